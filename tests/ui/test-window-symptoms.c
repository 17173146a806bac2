/* test-window-symptoms.c: the symptoms issue 11 lists under "Why", each
 * as the sequence a user ran into it with
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-window-symptoms"

#include "config.h"

#include "ui-test-util.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "es-embedding-set.h"
#include "es-projection.h"
#include "es-scatter-data.h"
#include "es-scatter-view.h"
#include "es-window.h"
#include "es-window-private.h"
#include "es-word-search.h"


/* Spins the main loop for @ms (the search entry's delayed signal). */
static void
spin_ms (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

static char *
data_file (const char *dir,
           const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", dir, name, NULL);
}

static EsWindow *
open_window_on (const char *path)
{
  EsWindow *window = es_window_new (NULL);

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", path));
  ui_test_wait_for (ui_test_window_settled, window);
  g_assert_null (es_window_get_error (window));

  return window;
}

static EsWindow *
open_window_on_sample (void)
{
  g_autofree char *sample = es_window_find_sample ();

  g_assert_nonnull (sample);
  return open_window_on (sample);
}

static void
test_axes_pca_three_d (void)
{
  EsWindow *window = open_window_on_sample ();
  EsScatterData *data;
  guint x, y, z;

  g_test_summary ("Custom Axes → PCA → 3D shows PC3 as Z, not PC2 again (a flat sheet) (issue 11)");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.method", "s", "axes"));
  ui_test_wait_for (ui_test_window_settled, window);
  g_assert_cmpuint (es_projection_get_n_components (es_window_get_projection (window)), ==, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.method", "s", "pca"));
  ui_test_wait_for (ui_test_window_settled, window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.three-d", NULL));
  ui_test_wait_for (ui_test_window_settled, window);

  g_object_get (window, "component-x", &x, "component-y", &y, "component-z", &z, NULL);
  g_assert_cmpuint (x, ==, 0);
  g_assert_cmpuint (y, ==, 1);
  g_assert_cmpuint (z, ==, 2);
  data = es_scatter_view_get_data (ES_SCATTER_VIEW (es_window_get_plot (window)));
  g_assert_true (es_scatter_data_is_3d (data));
  ui_test_destroy_window (GTK_WIDGET (window));
}

static gboolean
text_contains (const char *haystack,
               const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    {
      g_test_message ("“%s” not in “%s”", needle, haystack);
      return FALSE;
    }
  return TRUE;
}

static void
test_filter_status_and_invalid_regex (void)
{
  EsWindow *window = open_window_on_sample ();
  EsEmbeddingSet *set = es_window_get_embedding_set (window);
  gsize total = es_embedding_set_get_n_valid (set);
  gsize with_king = 0;
  g_autofree char *expected = NULL;
  GtkWidget *entry = GTK_WIDGET (window->filter_entry);

  g_test_summary ("A filter says so in the status bar (“N of M words shown (filter)”); an invalid "
                  "regex marks the entry (error style, the reason as tooltip) and keeps the last "
                  "valid filter instead of showing everything (issue 11)");

  g_assert_null (strstr (gtk_label_get_text (window->status_label), "(filter)"));
  for (gsize r = 0; r < es_embedding_set_get_rows (set); r++)
    if (es_embedding_set_is_row_valid (set, r))
      {
        g_autofree char *lower = g_ascii_strdown (es_embedding_set_get_word (set, r), -1);

        with_king += strstr (lower, "king") != NULL;
      }
  g_assert_cmpuint (with_king, >, 1);

  g_object_set (window, "filter-text", "king", NULL);
  ui_test_wait_for (ui_test_window_settled, window);
  g_assert_cmpuint (ui_test_finite_points (window), ==, with_king);
  expected = g_strdup_printf ("%'" G_GSIZE_FORMAT " of %'" G_GSIZE_FORMAT " words shown (filter)", with_king, total);
  g_assert_true (text_contains (gtk_label_get_text (window->status_label), expected));

  /* A regex matching one word, then one that does not compile. */
  g_object_set (window, "filter-regex", TRUE, "filter-text", "^king$", NULL);
  ui_test_wait_for (ui_test_window_settled, window);
  g_assert_cmpuint (ui_test_finite_points (window), ==, 1);
  g_assert_false (gtk_widget_has_css_class (entry, "error"));
  g_object_set (window, "filter-text", "^king$|([", NULL);
  ui_test_wait_for (ui_test_window_settled, window);
  g_assert_true (gtk_widget_has_css_class (entry, "error"));
  g_assert_nonnull (gtk_widget_get_tooltip_text (entry));
  g_assert_cmpuint (ui_test_finite_points (window), ==, 1);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("1 of %'" G_GSIZE_FORMAT " words shown (filter)", total);
  g_assert_true (text_contains (gtk_label_get_text (window->status_label), expected));

  /* Fixed: the mark goes; cleared: everything, and the status says no filter. */
  g_object_set (window, "filter-text", "^kings?$", NULL);
  ui_test_wait_for (ui_test_window_settled, window);
  g_assert_false (gtk_widget_has_css_class (entry, "error"));
  g_assert_null (gtk_widget_get_tooltip_text (entry));
  g_object_set (window, "filter-text", "", NULL);
  ui_test_wait_for (ui_test_window_settled, window);
  g_assert_cmpuint (ui_test_finite_points (window), ==, total);
  g_assert_null (strstr (gtk_label_get_text (window->status_label), "(filter)"));
  ui_test_destroy_window (GTK_WIDGET (window));
}

static void
test_export_feedback (void)
{
  EsWindow *window = open_window_on_sample ();
  g_autofree char *dir = g_dir_make_tmp ("es-symptoms-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "plot-coordinates.tsv", NULL);
  g_autofree char *png = g_build_filename (dir, "picture", NULL);
  g_autofree char *png_named = g_build_filename (dir, "picture.png", NULL);

  g_test_summary ("An export says where it went (“Saved FILE” over the plot), which no other "
                  "part of the window shows (issue 11)");

  g_assert_false (gtk_revealer_get_reveal_child (window->feedback_revealer));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-to", "(ss)", "coordinates", path));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_true (gtk_revealer_get_reveal_child (window->feedback_revealer));
  g_assert_true (text_contains (gtk_label_get_text (window->feedback_label), "plot-coordinates.tsv"));

  /* The name written, with the extension the image got. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-to", "(ss)", "png", png));
  g_assert_true (g_file_test (png_named, G_FILE_TEST_IS_REGULAR));
  g_assert_true (text_contains (gtk_label_get_text (window->feedback_label), "picture.png"));

  /* A failure is an error, not "Saved". */
  _es_window_show_feedback (window, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-to", "(ss)", "coordinates",
                                             "/nonexistent-dir/x.tsv"));
  g_assert_false (gtk_revealer_get_reveal_child (window->feedback_revealer));
  g_assert_nonnull (es_window_get_error (window));

  g_unlink (path);
  g_unlink (png_named);
  g_rmdir (dir);
  ui_test_destroy_window (GTK_WIDGET (window));
}

static GtkWidget *
find_popover (GtkWidget *widget)
{
  if (GTK_IS_POPOVER (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_popover (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
popover_visible (EsWindow *window)
{
  GtkWidget *popover = find_popover (GTK_WIDGET (window->search));

  return popover != NULL && gtk_widget_get_visible (popover);
}

static void
test_search_box (void)
{
  g_autofree char *big = data_file ("npm-word2vec", "vectors.txt");
  EsWindow *window = open_window_on_sample ();
  EsEmbeddingSet *set = es_window_get_embedding_set (window);
  EsWordSearch *search = window->search;
  GtkEditable *editable = es_word_search_get_editable (search);
  gsize king, queen, hamlet;

  g_test_summary ("The search box: Enter right after typing takes the typed word (not the first "
                  "completion of what was typed before); the completion stays closed after it and "
                  "after another file (as from a dialog); it shows the word selected elsewhere; an "
                  "old “not in the vocabulary” banner goes when a word is selected (issue 11)");

  g_assert_true (es_embedding_set_lookup (set, "king", &king));
  g_assert_true (es_embedding_set_lookup (set, "queen", &queen));
  g_assert_true (es_embedding_set_lookup (set, "hamlet", &hamlet));
  ui_test_wait_for ((Condition) es_word_search_is_ready, search);

  /* Typed "kin" (completions listed), then "queen" and Enter at once,
   * before the entry's delayed search-changed.
   */
  es_word_search_set_text (search, "kin");
  g_assert_true (popover_visible (window));
  gtk_editable_set_text (editable, "queen");
  g_signal_emit_by_name (editable, "activate");
  g_assert_cmpint (es_window_get_selected (window), ==, (gint64) queen);
  g_assert_false (popover_visible (window));
  spin_ms (400);
  g_assert_false (popover_visible (window));

  /* Selected elsewhere (a click in the plot, a neighbour): the box follows. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.select-row", "x", (gint64) hamlet));
  g_assert_cmpstr (gtk_editable_get_text (editable), ==, "hamlet");
  spin_ms (400);
  g_assert_false (popover_visible (window));

  /* An unknown word: the banner; another word selected: gone. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.select-word", "s", "zzzqqq"));
  g_assert_nonnull (es_window_get_error (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.select-row", "x", (gint64) king));
  g_assert_null (es_window_get_error (window));
  g_assert_cmpstr (gtk_editable_get_text (editable), ==, "king");

  /* Another file: its index comes, the completion stays closed. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", big));
  ui_test_wait_for (ui_test_window_settled, window);
  ui_test_wait_for ((Condition) es_word_search_is_ready, search);
  spin_ms (300);
  g_assert_false (popover_visible (window));

  /* Esc clears the selection and the box. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel", NULL));
  g_assert_cmpstr (gtk_editable_get_text (editable), ==, "");
  ui_test_destroy_window (GTK_WIDGET (window));
}

static void
test_huge_headers (void)
{
  g_autofree char *huge = data_file ("bad", "header_huge.txt");
  g_autofree char *huge_dims = data_file ("bad", "header_huge_dims.bin");
  g_autofree char *sample = es_window_find_sample ();
  EsWindow *window = open_window_on (sample);
  const char *paths[] = { huge, huge_dims };

  g_test_summary ("bad/header_huge.txt and header_huge_dims.bin go straight to their error: no "
                  "“how many words to load?” dialog first; with a row limit the error comes as "
                  "fast as without (issue 11)");

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GListModel) toplevels = gtk_window_get_toplevels ();
      g_autoptr(GTimer) timer = g_timer_new ();
      double all, first;

      g_object_ref (toplevels);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", paths[i]));
      ui_test_wait_for (ui_test_window_settled, window);
      all = g_timer_elapsed (timer, NULL);
      g_assert_nonnull (es_window_get_error (window));
      g_assert_cmpuint (g_list_model_get_n_items (toplevels), ==, 1);

      g_timer_start (timer);
      _es_window_load_path (window, paths[i], 1000, NULL);
      ui_test_wait_for (ui_test_window_settled, window);
      first = g_timer_elapsed (timer, NULL);
      g_assert_nonnull (es_window_get_error (window));
      g_test_message ("%s: error after %.3f s (load all), %.3f s (first 1,000)", paths[i], all, first);
      g_assert_cmpfloat (first, <=, 2 * all + 0.5);
      /* The old picture stays. */
      g_assert_nonnull (es_window_get_projection (window));
    }
  ui_test_destroy_window (GTK_WIDGET (window));
}

static void
check_preprocessed (EsWindow *window,
                    gboolean  center,
                    gboolean  normalize)
{
  EsEmbeddingSet *set = es_window_get_embedding_set (window);
  EsProjection *shown = es_window_get_projection (window);
  EsProjectionOptions options;
  g_autoptr(EsProjection) reference = NULL;
  g_autoptr(GError) error = NULL;
  const float *a, *b;
  guint n = es_projection_get_n_components (shown);

  g_test_message ("center %d normalize %d", center, normalize);
  /* As `embedscope project --center --normalize` computes it. */
  es_projection_options_init (&options);
  options.method = ES_METHOD_SVD;
  options.center = center;
  options.normalize = normalize;
  options.n_components = n;
  reference = es_projection_compute (set, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (es_projection_get_rows (reference), ==, es_projection_get_rows (shown));
  a = es_projection_get_coords (shown);
  b = es_projection_get_coords (reference);
  for (gsize i = 0; i < es_projection_get_rows (shown) * n; i++)
    if (isfinite (a[i]) || isfinite (b[i]))
      g_assert_cmpfloat_with_epsilon (a[i], b[i], 1e-4);
}

static void
test_center_normalize (void)
{
  EsWindow *window = open_window_on_sample ();
  const char *status;

  g_test_summary ("The CLI's --center and --normalize in the GUI: menu toggles (Spherize is both) "
                  "that reduce the loaded set again with the same pre-processing as `embedscope "
                  "project`, stated in the status bar (issue 11)");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.method", "s", "svd"));
  ui_test_wait_for (ui_test_window_settled, window);
  check_preprocessed (window, FALSE, FALSE);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "prep.normalize", NULL));
  ui_test_wait_for (ui_test_window_settled, window);
  check_preprocessed (window, FALSE, TRUE);
  status = gtk_label_get_text (window->status_label);
  g_assert_true (text_contains (status, "rows L2-normalised"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "prep.center", NULL));
  ui_test_wait_for (ui_test_window_settled, window);
  check_preprocessed (window, TRUE, TRUE);
  g_assert_true (text_contains (gtk_label_get_text (window->status_label), "spherized"));

  /* Both on is Spherize: unchecking it turns both off, checking both on. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "prep.spherize", NULL));
  ui_test_wait_for (ui_test_window_settled, window);
  check_preprocessed (window, FALSE, FALSE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "prep.spherize", NULL));
  ui_test_wait_for (ui_test_window_settled, window);
  check_preprocessed (window, TRUE, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "prep.center", NULL));
  ui_test_wait_for (ui_test_window_settled, window);
  check_preprocessed (window, FALSE, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "prep.normalize", NULL));
  ui_test_wait_for (ui_test_window_settled, window);
  check_preprocessed (window, FALSE, FALSE);
  g_assert_null (strstr (gtk_label_get_text (window->status_label), "normalised"));
  ui_test_destroy_window (GTK_WIDGET (window));
}

static void
test_bytes_shape_dialog (void)
{
  g_autofree char *iris_bytes = data_file ("projector", "iris_tensors.bytes");
  g_autofree char *iris_labels = data_file ("projector", "iris_labels.tsv");
  g_autofree char *iris_tsv = data_file ("projector", "iris_tensors.tsv");
  g_autofree char *dir = g_dir_make_tmp ("es-shape-XXXXXX", NULL);
  g_autofree char *bytes = g_build_filename (dir, "iris.bytes", NULL);
  g_autofree char *labels = g_build_filename (dir, "iris_labels.tsv", NULL);
  g_autofree char *contents = NULL;
  gsize len = 0;
  EsWindow *window = open_window_on (iris_tsv);
  g_autoptr(EsEmbeddingSet) reference = es_embedding_set_ref (es_window_get_embedding_set (window));
  EsEmbeddingSet *set;
  GtkWidget *dialog;
  GtkSpinButton *rows, *dims;

  g_test_summary ("A projector .bytes file without its config, opened from the GUI, asks for "
                  "ROWS × DIMS (150 × 4 preselected from the labels file beside it) and loads "
                  "the same numbers as the TSV tensors; a wrong product cannot be confirmed "
                  "(issue 11)");

  g_assert_true (g_file_get_contents (iris_bytes, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (bytes, contents, (gssize) len, NULL));
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (iris_labels, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (labels, contents, (gssize) len, NULL));

  g_object_set_data (G_OBJECT (window), "reference", reference);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", bytes));
  dialog = ui_test_other_toplevel (GTK_WIDGET (window));
  g_assert_nonnull (dialog);
  g_assert_null (es_window_get_error (window));
  rows = GTK_SPIN_BUTTON (ui_test_find_named (dialog, "rows"));
  dims = GTK_SPIN_BUTTON (ui_test_find_named (dialog, "dims"));
  g_assert_cmpfloat (gtk_spin_button_get_value (rows), ==, 150);
  g_assert_cmpfloat (gtk_spin_button_get_value (dims), ==, 4);

  /* 100 rows: 6 dimensions fill it in; 7 does not fit. */
  gtk_spin_button_set_value (rows, 100);
  g_assert_cmpfloat (gtk_spin_button_get_value (dims), ==, 6);
  gtk_spin_button_set_value (dims, 7);
  g_assert_false (gtk_widget_get_sensitive (ui_test_find_named (dialog, "ok")));
  gtk_spin_button_set_value (rows, 150);
  g_assert_true (gtk_widget_get_sensitive (ui_test_find_named (dialog, "ok")));
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  ui_test_wait_for (ui_test_window_another_set, window);

  g_assert_null (es_window_get_error (window));
  set = es_window_get_embedding_set (window);
  g_assert_true (set != reference);
  g_assert_cmpuint (es_embedding_set_get_rows (set), ==, 150);
  g_assert_cmpuint (es_embedding_set_get_dims (set), ==, 4);
  for (gsize r = 0; r < 150; r++)
    g_assert_cmpmem (es_embedding_set_get_vector (set, r), 4 * sizeof (float),
                     es_embedding_set_get_vector (reference, r), 4 * sizeof (float));

  /* The window closed while the dialog is up: both go (the window is
   * finalized, nothing keeps it).
   */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", bytes));
  g_assert_nonnull (ui_test_other_toplevel (GTK_WIDGET (window)));
  ui_test_destroy_window (GTK_WIDGET (window));
  g_assert_null (ui_test_other_toplevel (NULL));

  g_unlink (bytes);
  g_unlink (labels);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  gboolean display;
  g_autofree char *home = ui_test_init (&argc, &argv, "es-test-window-symptoms", &display);
  int status;

  if (!display)
    ui_test_add_no_display ("/ui/symptoms/no-display");
  else
    {
      g_test_add_func ("/ui/symptoms/axes-pca-three-d", test_axes_pca_three_d);
      g_test_add_func ("/ui/symptoms/filter-status-invalid-regex", test_filter_status_and_invalid_regex);
      g_test_add_func ("/ui/symptoms/export-feedback", test_export_feedback);
      g_test_add_func ("/ui/symptoms/search-box", test_search_box);
      g_test_add_func ("/ui/symptoms/huge-headers", test_huge_headers);
      g_test_add_func ("/ui/symptoms/center-normalize", test_center_normalize);
      g_test_add_func ("/ui/symptoms/bytes-shape-dialog", test_bytes_shape_dialog);
    }
  status = g_test_run ();
  ui_test_remove_tree (home);

  return status;
}
