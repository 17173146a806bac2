/* test-compare-link.c: the compare window opened from the main window
 *
 * Ctrl+drop (through the drop handler's function, with the modifiers it
 * reads from the drop), and the selection linked both ways between the
 * compare view and the main window's document.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-compare-link"

#include "config.h"

#include "ui-test-util.h"

#include <gtk/gtk.h>
#include <string.h>

#include "es-compare-window.h"
#include "es-document.h"
#include "es-window.h"
#include "es-window-private.h"

static gboolean
window_not_busy (gpointer data)
{
  return !es_window_get_busy (data);
}

static gboolean
compare_not_busy (gpointer data)
{
  return !es_compare_window_get_busy (data);
}

static EsWindow *
open_window_on_sample (char **sample_out)
{
  char *sample = es_window_find_sample ();
  EsWindow *window = es_window_new (NULL);

  g_assert_nonnull (sample);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", sample));
  ui_test_wait_for (window_not_busy, window);
  g_assert_null (es_window_get_error (window));
  *sample_out = sample;
  return window;
}

static GPtrArray *
file_list (const char *a,
           const char *b)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (files, g_file_new_for_path (a));
  if (b != NULL)
    g_ptr_array_add (files, g_file_new_for_path (b));
  return files;
}

static gboolean
strv_has (char       **words,
          const char  *word)
{
  return words != NULL && g_strv_contains ((const char * const *) words, word);
}

static void
test_ctrl_drop (void)
{
  g_autofree char *sample = NULL;
  EsWindow *window = open_window_on_sample (&sample);
  EsEmbeddingSet *set = es_window_get_embedding_set (window);
  g_autofree char *iris = g_test_build_filename (G_TEST_DIST, "data", "projector", "iris_tensors.tsv", NULL);
  g_autoptr(GPtrArray) one = file_list (sample, NULL);
  g_autoptr(GPtrArray) two = file_list (sample, sample);
  g_autoptr(GPtrArray) plain = file_list (iris, NULL);
  EsCompareWindow *compare;

  g_test_summary ("Ctrl+drop of a file compares the window's data with it (A is the window's set, "
                  "B the file); Ctrl+drop of two files compares them; a plain drop still replaces");

  /* Ctrl + one file: a compare window, A = the window's set, B = the file. */
  g_assert_true (_es_window_drop_files (window, one, GDK_CONTROL_MASK));
  compare = window->compare;
  g_assert_nonnull (compare);
  ui_test_wait_for (compare_not_busy, compare);
  g_assert_null (es_compare_window_get_error (compare));
  g_assert_true (es_comparison_get_a (es_compare_window_get_comparison (compare)) == set);
  g_assert_cmpstr (es_compare_window_get_path_b (compare), ==, sample);
  /* The main window kept its data. */
  g_assert_true (es_window_get_embedding_set (window) == set);
  ui_test_destroy_window (GTK_WIDGET (compare));
  g_assert_null (window->compare);

  /* Ctrl + two files: those two, in their own window. */
  g_assert_true (_es_window_drop_files (window, two, GDK_CONTROL_MASK | GDK_SHIFT_MASK));
  compare = window->compare;
  g_assert_nonnull (compare);
  ui_test_wait_for (compare_not_busy, compare);
  g_assert_nonnull (es_compare_window_get_comparison (compare));
  g_assert_true (es_comparison_get_a (es_compare_window_get_comparison (compare)) != set);
  ui_test_destroy_window (GTK_WIDGET (compare));

  /* No Ctrl: the file replaces the data, no compare window. */
  g_assert_true (_es_window_drop_files (window, plain, GDK_SHIFT_MASK));
  ui_test_wait_for (window_not_busy, window);
  g_assert_null (window->compare);
  g_assert_cmpuint (es_embedding_set_get_rows (es_window_get_embedding_set (window)), ==, 150);
  ui_test_destroy_window (GTK_WIDGET (window));
}

static void
test_linked_selection (void)
{
  g_autofree char *sample = NULL;
  EsWindow *window = open_window_on_sample (&sample);
  EsDocument *document = window->document;
  EsEmbeddingSet *set = es_window_get_embedding_set (window);
  EsCompareWindow *compare;
  EsComparison *c;
  GtkWidget *plot;
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_auto(GStrv) words = NULL;
  const gsize *selection;
  gsize n_sel = 0, m;
  gsize doc_rows[3] = { 7, 20, 333 };

  g_test_summary ("A box in the compare view selects the same words in the main window's document, "
                  "and the document's selection shows as the compare view's");

  compare = _es_window_compare_with_path (window, NULL, sample);
  g_assert_nonnull (compare);
  ui_test_wait_for (compare_not_busy, compare);
  c = es_compare_window_get_comparison (compare);
  g_assert_nonnull (c);
  m = es_comparison_get_n_plotted (c);
  plot = es_compare_window_get_plot (compare);

  /* Compare → document: plot rows of words 5 and 9 (A's point of one, B's
   * point of the other), as a box gives them.
   */
  {
    guint32 r[2] = { 5, (guint32) (m + 9) };
    const char *w5 = es_comparison_get_word (c, es_comparison_get_plotted (c)[5]);
    const char *w9 = es_comparison_get_word (c, es_comparison_get_plotted (c)[9]);

    g_array_append_vals (rows, r, 2);
    g_signal_emit_by_name (plot, "rows-selected", rows, 0);
    selection = es_document_get_selection (document, &n_sel);
    g_assert_cmpuint (n_sel, ==, 2);
    g_assert_cmpstr (es_embedding_set_get_word (set, selection[0]), ==, w5);
    g_assert_cmpstr (es_embedding_set_get_word (set, selection[1]), ==, w9);
  }

  /* Document → compare: three rows of the file. */
  es_document_select_rows (document, doc_rows, 3, ES_SELECT_REPLACE);
  words = es_compare_window_dup_selected_words (compare);
  g_assert_cmpuint (g_strv_length (words), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_true (strv_has (words, es_embedding_set_get_word (set, doc_rows[i])));
  g_clear_pointer (&words, g_strfreev);

  /* Clearing either side clears the other. */
  g_array_set_size (rows, 0);
  g_signal_emit_by_name (plot, "rows-selected", rows, 0);
  es_document_get_selection (document, &n_sel);
  g_assert_cmpuint (n_sel, ==, 0);

  /* The main window goes first: the link ends, the compare window lives. */
  {
    gpointer weak = compare;

    g_object_add_weak_pointer (G_OBJECT (compare), &weak);
    ui_test_destroy_window (GTK_WIDGET (window));
    g_signal_emit_by_name (plot, "rows-selected", rows, 0);
    g_assert_nonnull (weak);
    ui_test_destroy_window (GTK_WIDGET (compare));
  }
}

/* Opens @session in a new main window; returns it with its compare
 * window finished.
 */
static EsWindow *
reopen (const char *session)
{
  EsWindow *window = es_window_new (NULL);

  gtk_window_present (GTK_WINDOW (window));
  _es_window_open_session (window, session);
  ui_test_wait_for (window_not_busy, window);
  g_assert_nonnull (window->compare);
  ui_test_wait_for (compare_not_busy, window->compare);
  g_assert_null (es_compare_window_get_error (window->compare));
  return window;
}

static void
test_session (void)
{
  g_autofree char *sample = NULL;
  EsWindow *window = open_window_on_sample (&sample);
  g_autofree char *dir = g_dir_make_tmp ("es-compare-session-XXXXXX", NULL);
  g_autofree char *anchors = g_build_filename (dir, "anchors.txt", NULL);
  g_autofree char *from_main = g_build_filename (dir, "main.embedscope", NULL);
  g_autofree char *from_compare = g_build_filename (dir, "compare.embedscope", NULL);
  EsEmbeddingSet *set = es_window_get_embedding_set (window);
  g_autoptr(GString) list = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  EsComparisonOptions options;
  EsCompareWindow *compare;
  const char *focus;
  EsWindow *again;

  g_test_summary ("Saving a session with a compare window open stores B and the alignment options; "
                  "reopening it shows A and restores the comparison with those options and its focus "
                  "word; the compare window's own session does the same");

  for (gsize i = 0; i < 300; i++)
    g_string_append_printf (list, "%s\n", es_embedding_set_get_word (set, i));
  g_assert_true (g_file_set_contents (anchors, list->str, -1, NULL));
  focus = es_embedding_set_get_word (set, 123);

  compare = _es_window_compare_with_path (window, NULL, sample);
  ui_test_wait_for (compare_not_busy, compare);
  es_comparison_options_init (&options);
  options.method = ES_ALIGN_LINEAR;
  options.center = TRUE;
  options.k = 5;
  options.anchors = anchors;
  es_compare_window_set_options (compare, &options);
  ui_test_wait_for (compare_not_busy, compare);
  g_assert_cmpuint (es_comparison_get_n_anchors (es_compare_window_get_comparison (compare)), ==, 300);
  g_assert_true (es_compare_window_select_word (compare, focus));

  g_assert_true (_es_window_save_session (window, from_main, &error));
  g_assert_no_error (error);
  g_assert_true (es_compare_window_save_session (compare, from_compare, &error));
  g_assert_no_error (error);

  for (guint round = 0; round < 2; round++)
    {
      EsComparison *c;

      again = reopen (round == 0 ? from_main : from_compare);
      c = es_compare_window_get_comparison (again->compare);
      g_assert_true (es_comparison_get_a (c) == es_window_get_embedding_set (again));
      g_assert_cmpstr (es_compare_window_get_path_b (again->compare), ==, sample);
      g_assert_true (es_comparison_options_equal (es_compare_window_get_options (again->compare), &options));
      g_assert_true (es_comparison_options_equal (es_comparison_get_options (c), &options));
      g_assert_cmpint (es_alignment_get_method (es_comparison_get_alignment (c)), ==, ES_ALIGN_LINEAR);
      g_assert_cmpuint (es_comparison_get_n_anchors (c), ==, 300);
      g_assert_cmpuint (es_change_scores_get_k (es_comparison_get_scores (c)), ==, 5);
      g_assert_cmpstr (es_compare_window_get_focus (again->compare), ==, focus);
      ui_test_destroy_window (GTK_WIDGET (again->compare));
      ui_test_destroy_window (GTK_WIDGET (again));
    }

  ui_test_destroy_window (GTK_WIDGET (compare));
  ui_test_destroy_window (GTK_WIDGET (window));
  ui_test_remove_tree (dir);
}

static void
test_session_main_view (void)
{
  g_autofree char *sample = NULL;
  EsWindow *window = open_window_on_sample (&sample);
  g_autofree char *dir = g_dir_make_tmp ("es-compare-view-XXXXXX", NULL);
  g_autofree char *from_compare = g_build_filename (dir, "compare.embedscope", NULL);
  g_autoptr(GError) error = NULL;
  EsCompareWindow *compare;
  EsProjection *pa, *pb;
  EsWindow *again;
  gsize n;

  g_test_summary ("A session saved from the compare window stores A as the main window shows it: "
                  "reopened, the main window has the same method (SVD), components (2, 3), "
                  "centre + normalise, filter and top N, and the same coordinates; the comparison "
                  "comes back too");

  g_object_set (window, "method", "svd", NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "prep.spherize", NULL));
  ui_test_wait_for (window_not_busy, window);
  g_object_set (window, "component-x", 1u, "component-y", 2u, "filter-text", "th", "top-n", 3000u, NULL);
  ui_test_wait_for (window_not_busy, window);
  g_assert_true (window->preprocess_center && window->preprocess_normalize);

  compare = _es_window_compare_with_path (window, NULL, sample);
  ui_test_wait_for (compare_not_busy, compare);
  g_assert_null (es_compare_window_get_error (compare));
  g_assert_true (es_compare_window_save_session (compare, from_compare, &error));
  g_assert_no_error (error);

  again = reopen (from_compare);
  g_assert_cmpstr (again->method, ==, "svd");
  g_assert_cmpuint (again->component_x, ==, 1);
  g_assert_cmpuint (again->component_y, ==, 2);
  g_assert_true (again->preprocess_center);
  g_assert_true (again->preprocess_normalize);
  g_assert_cmpstr (again->filter_text, ==, "th");
  g_assert_cmpuint (again->top_n, ==, 3000);
  g_assert_cmpstr (es_compare_window_get_path_b (again->compare), ==, sample);
  pa = es_document_get_projection (window->document);
  pb = es_document_get_projection (again->document);
  g_assert_cmpint (es_projection_get_method (pb), ==, ES_METHOD_SVD);
  n = es_projection_get_rows (pa) * es_projection_get_n_components (pa);
  g_assert_cmpuint (es_projection_get_rows (pb) * es_projection_get_n_components (pb), ==, n);
  g_assert_cmpmem (es_projection_get_coords (pa), n * sizeof (float), es_projection_get_coords (pb),
                   n * sizeof (float));

  ui_test_destroy_window (GTK_WIDGET (again->compare));
  ui_test_destroy_window (GTK_WIDGET (again));
  ui_test_destroy_window (GTK_WIDGET (compare));
  ui_test_destroy_window (GTK_WIDGET (window));
  ui_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  gboolean display;
  g_autofree char *home = ui_test_init (&argc, &argv, "es-test-compare-link", &display);
  int status;

  if (!display)
    ui_test_add_no_display ("/ui/compare-link/no-display");
  else
    {
      g_test_add_func ("/ui/compare-link/ctrl-drop", test_ctrl_drop);
      g_test_add_func ("/ui/compare-link/selection", test_linked_selection);
      g_test_add_func ("/ui/compare-link/session", test_session);
      g_test_add_func ("/ui/compare-link/session-main-view", test_session_main_view);
    }
  status = g_test_run ();
  ui_test_remove_tree (home);

  return status;
}
