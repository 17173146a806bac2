/* test-window.c: the main window driven through its actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include "ui-test-util.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "es-analogy-panel.h"
#include "es-axes-editor.h"
#include "es-collapsing-label.h"
#include "es-embedding-set.h"
#include "es-metadata.h"
#include "es-neighbors.h"
#include "es-neighbors-panel.h"
#include "es-projection.h"
#include "es-scatter-data.h"
#include "es-scatter-view.h"
#include "es-selection-panel.h"
#include "es-tsne.h"
#include "es-window.h"
#include "es-window-private.h"
#include "es-word-search.h"


static gboolean
not_busy (gpointer data)
{
  return !es_window_get_busy (ES_WINDOW (data));
}

static gboolean
panel_has_neighbors (gpointer data)
{
  return !es_neighbors_panel_get_busy (data) && es_neighbors_panel_get_neighbors (data) != NULL;
}

static gboolean
analogy_done (gpointer data)
{
  return !es_analogy_panel_get_busy (data) &&
         (es_analogy_panel_get_results (data) != NULL || es_analogy_panel_get_error (data) != NULL);
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Reference rows "kind positive negative restrict rank word score" made by
 * gensim (tests/reference/make-gensim-reference.py).
 */
static GPtrArray *
load_reference (const char *kind,
                const char *positive,
                const char *negative)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "reference",
                                                 "kjv-hamlet-neighbors.tsv", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char **fields = g_strsplit (lines[i], "\t", -1);

      if (g_strv_length (fields) == 7 && g_str_equal (fields[0], kind) &&
          g_str_equal (fields[1], positive) && g_str_equal (fields[2], negative) &&
          g_str_equal (fields[3], "0"))
        g_ptr_array_add (rows, fields);
      else
        g_strfreev (fields);
    }

  return rows;
}

static char *
sample_path (void)
{
  char *path = es_window_find_sample ();

  g_assert_nonnull (path);
  return path;
}

static EsWindow *
open_window_on_sample (void)
{
  g_autofree char *sample = sample_path ();
  EsWindow *window = es_window_new (NULL);

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", sample));
  g_assert_true (es_window_get_busy (window));
  ui_test_wait_for (not_busy, window);
  g_assert_null (es_window_get_error (window));
  g_assert_nonnull (es_window_get_embedding_set (window));

  return window;
}

/* Like the close button: close-request saves the state, then destroys. */
static void
close_window (EsWindow *window)
{
  GtkWidget *widget = GTK_WIDGET (window);

  g_object_add_weak_pointer (G_OBJECT (widget), (gpointer *) &widget);
  gtk_window_close (GTK_WINDOW (window));
  for (guint i = 0; widget != NULL && i < 2000; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_null (widget);
}

static double
reference_value (const char *key,
                 guint       column)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "reference",
                                                 "kjv-hamlet-5k-50d.projection.tsv", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", -1);

      if (g_str_equal (fields[0], key) && g_strv_length (fields) > column + 1)
        return g_ascii_strtod (fields[column + 1], NULL);
    }

  g_assert_not_reached ();
  return NAN;
}

static void
test_window_open_sample (void)
{
  EsWindow *window;
  EsEmbeddingSet *set;
  EsProjection *projection;
  EsScatterData *data;
  const double *ratio;
  guint n_ratio = 0;

  g_test_summary ("The window loads the sample in a worker, reduces it with PCA and "
                  "feeds the plot; the variance ratios match scikit-learn");

  window = open_window_on_sample ();
  set = es_window_get_embedding_set (window);
  g_assert_cmpuint (es_embedding_set_get_rows (set), ==, 5000);
  g_assert_cmpuint (es_embedding_set_get_dims (set), ==, 50);
  g_assert_true (es_window_get_view_set (window) == set);

  projection = es_window_get_projection (window);
  g_assert_nonnull (projection);
  g_assert_cmpint (es_projection_get_method (projection), ==, ES_METHOD_PCA);
  g_assert_cmpuint (es_projection_get_n_components (projection), ==, 10);
  ratio = es_projection_get_explained_variance_ratio (projection, &n_ratio);
  g_assert_cmpfloat_with_epsilon (ratio[0], reference_value ("pca_ratio", 0), 1e-5);
  g_assert_cmpfloat_with_epsilon (ratio[1], reference_value ("pca_ratio", 1), 1e-5);

  /* The plot shows every row, in 2D. */
  data = es_scatter_view_get_data (ES_SCATTER_VIEW (es_window_get_plot (window)));
  g_assert_nonnull (data);
  g_assert_cmpuint (es_scatter_data_get_n_points (data), ==, 5000);
  g_assert_cmpuint (es_scatter_data_get_n_visible (data), ==, 5000);
  g_assert_false (es_scatter_data_is_3d (data));
  /* The X picker names PC1 with its share of the variance (13.3 %). */
  g_assert_cmpstr (es_scatter_data_get_axis_title (data, 0), ==, "PC1 (13.3 %)");

  ui_test_destroy_window (GTK_WIDGET (window));
}

static void
test_window_methods (void)
{
  EsWindow *window = open_window_on_sample ();
  EsEmbeddingSet *set = es_window_get_embedding_set (window);
  EsProjection *projection;
  EsScatterData *data;
  g_autofree char *method = NULL;
  gboolean three_d = FALSE;
  const float *coords;
  gsize row;

  g_test_summary ("win.method switches the reduction, win.three-d the plot");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.method", "s", "svd"));
  ui_test_wait_for (not_busy, window);
  projection = es_window_get_projection (window);
  g_assert_cmpint (es_projection_get_method (projection), ==, ES_METHOD_SVD);
  {
    guint n = 0;
    const double *sv = es_projection_get_singular_values (projection, &n);

    g_assert_cmpfloat_with_epsilon (sv[0], reference_value ("svd_raw_sv", 0), 1e-3);
  }

  /* Identity: the coordinates are the file's own numbers. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.method", "s", "identity"));
  ui_test_wait_for (not_busy, window);
  projection = es_window_get_projection (window);
  g_assert_cmpint (es_projection_get_method (projection), ==, ES_METHOD_IDENTITY);
  coords = es_projection_get_coords (projection);
  g_assert_cmpfloat_with_epsilon (coords[0], 0.083790, 1e-6);
  g_assert_cmpfloat_with_epsilon (coords[1], -0.126398, 1e-6);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.method", "s", "axes"));
  ui_test_wait_for (not_busy, window);
  projection = es_window_get_projection (window);
  g_assert_cmpint (es_projection_get_method (projection), ==, ES_METHOD_AXES);
  g_assert_cmpuint (es_projection_get_n_components (projection), ==, 2);
  g_object_get (window, "method", &method, NULL);
  g_assert_cmpstr (method, ==, "axes");

  /* Custom axes in 3D need a third expression: a new reduction. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.three-d", NULL));
  ui_test_wait_for (not_busy, window);
  g_object_get (window, "three-d", &three_d, NULL);
  g_assert_true (three_d);
  g_assert_cmpuint (es_projection_get_n_components (es_window_get_projection (window)), ==, 3);
  data = es_scatter_view_get_data (ES_SCATTER_VIEW (es_window_get_plot (window)));
  g_assert_true (es_scatter_data_is_3d (data));
  g_assert_true (es_scatter_view_get_three_d (ES_SCATTER_VIEW (es_window_get_plot (window))));

  /* Back to PCA in 3D, and to 2D. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.method", "s", "pca"));
  ui_test_wait_for (not_busy, window);
  data = es_scatter_view_get_data (ES_SCATTER_VIEW (es_window_get_plot (window)));
  g_assert_true (es_scatter_data_is_3d (data));
  g_assert_true (es_embedding_set_lookup (set, "king", &row));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.three-d", NULL));
  data = es_scatter_view_get_data (ES_SCATTER_VIEW (es_window_get_plot (window)));
  g_assert_false (es_scatter_data_is_3d (data));

  /* The plot's own 3D item (its context menu) switches the window too, so
   * the plot gets a third component and the header follows.
   */
  g_assert_true (gtk_widget_activate_action (es_window_get_plot (window), "plot.toggle-3d", NULL));
  g_object_get (window, "three-d", &three_d, NULL);
  g_assert_true (three_d);
  data = es_scatter_view_get_data (ES_SCATTER_VIEW (es_window_get_plot (window)));
  g_assert_true (es_scatter_data_is_3d (data));
  g_assert_true (gtk_widget_activate_action (es_window_get_plot (window), "plot.toggle-3d", NULL));
  g_object_get (window, "three-d", &three_d, NULL);
  g_assert_false (three_d);

  ui_test_destroy_window (GTK_WIDGET (window));
}

static void
test_window_select_and_neighbors (void)
{
  EsWindow *window = open_window_on_sample ();
  EsEmbeddingSet *set = es_window_get_embedding_set (window);
  EsNeighborsPanel *panel;
  g_autoptr(GPtrArray) reference = load_reference ("cosine", "king", "");
  GArray *neighbors;
  GtkWidget *row;
  gsize king, first;

  g_test_summary ("Selecting a word lists its neighbours in the original space as gensim "
                  "ranks them; activating a neighbour selects it; isolate and show all");

  g_assert_true (es_embedding_set_lookup (set, "king", &king));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.select-word", "s", "king"));
  g_assert_cmpint (es_window_get_selected (window), ==, (gint64) king);
  g_assert_cmpint (es_scatter_view_get_selected (ES_SCATTER_VIEW (es_window_get_plot (window))), ==,
                   (gint64) king);

  panel = ES_NEIGHBORS_PANEL (find_descendant (GTK_WIDGET (window), ES_TYPE_NEIGHBORS_PANEL));
  ui_test_wait_for (panel_has_neighbors, panel);
  neighbors = es_neighbors_panel_get_neighbors (panel);
  g_assert_cmpuint (neighbors->len, ==, 10);
  g_assert_cmpuint (reference->len, >=, 10);
  for (guint i = 0; i < 10; i++)
    {
      char **ref = g_ptr_array_index (reference, i);
      const EsNeighbor *n = &g_array_index (neighbors, EsNeighbor, i);

      g_assert_cmpstr (es_embedding_set_get_word (set, n->row), ==, ref[5]);
      g_assert_cmpfloat_with_epsilon (n->score, g_ascii_strtod (ref[6], NULL), 1e-5);
    }

  /* k from the panel's property; metric through its action. */
  es_neighbors_panel_set_k (panel, 5);
  ui_test_wait_for (panel_has_neighbors, panel);
  g_assert_cmpuint (es_neighbors_panel_get_neighbors (panel)->len, ==, 5);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "panel.metric", "s", "euclidean"));
  ui_test_wait_for (panel_has_neighbors, panel);
  {
    g_autoptr(GPtrArray) euclid = load_reference ("euclidean", "king", "");
    const EsNeighbor *n = &g_array_index (es_neighbors_panel_get_neighbors (panel), EsNeighbor, 0);
    char **ref = g_ptr_array_index (euclid, 0);

    g_assert_cmpstr (es_embedding_set_get_word (set, n->row), ==, ref[5]);
    g_assert_cmpfloat_with_epsilon (n->score, g_ascii_strtod (ref[6], NULL), 1e-4);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "panel.metric", "s", "cosine"));
  es_neighbors_panel_set_k (panel, 10);
  ui_test_wait_for (panel_has_neighbors, panel);

  /* Isolate: the reduction re-runs on king and its 10 neighbours. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.isolate", NULL));
  ui_test_wait_for (not_busy, window);
  g_assert_cmpuint (es_embedding_set_get_rows (es_window_get_view_set (window)), ==, 11);
  g_assert_cmpuint (es_projection_get_rows (es_window_get_projection (window)), ==, 11);
  g_assert_cmpuint (es_scatter_data_get_n_points (
                      es_scatter_view_get_data (ES_SCATTER_VIEW (es_window_get_plot (window)))), ==, 11);
  /* The selection follows the word into the subset. */
  g_assert_cmpstr (es_embedding_set_get_word (es_window_get_view_set (window),
                                              (gsize) es_window_get_selected (window)), ==, "king");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-all", NULL));
  ui_test_wait_for (not_busy, window);
  g_assert_true (es_window_get_view_set (window) == set);
  g_assert_cmpint (es_window_get_selected (window), ==, (gint64) king);
  ui_test_wait_for (panel_has_neighbors, panel);

  /* Activating the first neighbour's row selects that word. */
  neighbors = es_neighbors_panel_get_neighbors (panel);
  first = g_array_index (neighbors, EsNeighbor, 0).row;
  row = find_descendant (GTK_WIDGET (panel), GTK_TYPE_LIST_BOX_ROW);
  g_assert_nonnull (row);
  g_signal_emit_by_name (gtk_widget_get_parent (row), "row-activated", row);
  g_assert_cmpint (es_window_get_selected (window), ==, (gint64) first);

  /* Unknown words leave the selection and say so. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.select-word", "s", "zzzznotaword"));
  g_assert_cmpint (es_window_get_selected (window), ==, (gint64) first);
  g_assert_nonnull (strstr (es_window_get_error (window), "zzzznotaword"));

  ui_test_destroy_window (GTK_WIDGET (window));
}

static void
test_window_box_selection (void)
{
  EsWindow *window = open_window_on_sample ();
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (guint32));

  g_test_summary ("A Shift+drag box selection is what Isolate reduces");

  for (guint32 r = 100; r < 140; r++)
    g_array_append_val (rows, r);
  g_signal_emit_by_name (es_window_get_plot (window), "rows-selected", rows, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.isolate", NULL));
  ui_test_wait_for (not_busy, window);
  g_assert_cmpuint (es_embedding_set_get_rows (es_window_get_view_set (window)), ==, 40);
  g_assert_cmpstr (es_embedding_set_get_word (es_window_get_view_set (window), 0), ==,
                   es_embedding_set_get_word (es_window_get_embedding_set (window), 100));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-all", NULL));
  ui_test_wait_for (not_busy, window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.clear-selection", NULL));
  /* Nothing selected, nothing boxed: Isolate is off. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.isolate", NULL);
  g_assert_false (es_window_get_busy (window));

  ui_test_destroy_window (GTK_WIDGET (window));
}

/* Isolates rows [@first, @end) of the file under @method and waits. */
static void
isolate_under (EsWindow   *window,
               const char *method,
               guint32     first,
               guint32     end)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (guint32));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-all", NULL));
  ui_test_wait_for (not_busy, window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.method", "s", "pca"));
  ui_test_wait_for (not_busy, window);
  for (guint32 r = first; r < end; r++)
    g_array_append_val (rows, r);
  g_signal_emit_by_name (es_window_get_plot (window), "rows-selected", rows, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.isolate", NULL));
  ui_test_wait_for (not_busy, window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.method", "s", method));
  ui_test_wait_for (not_busy, window);
  g_assert_null (es_window_get_error (window));
  g_assert_cmpuint (es_embedding_set_get_rows (es_window_get_view_set (window)), ==, end - first);
}

static void
test_window_map_small_subsets (void)
{
  EsWindow *window = open_window_on_sample ();
  g_autofree char *perplexity = g_strdup_printf ("perplexity lowered to %.1f for 12 points",
                                                 (12.0 - 1.0) / 3.0);

  g_test_summary ("On a small isolated subset a map lowers perplexity to (N-1)/3 and neighbours to "
                  "N-1 and says so; below 5 points PCA shows them");

  /* 12 points: perplexity 30 > 11/3, 15 neighbours > 11. */
  isolate_under (window, "tsne", 200, 212);
  g_assert_cmpint (es_projection_get_method (es_window_get_projection (window)), ==, ES_METHOD_TSNE);
  g_assert_nonnull (window->layout_note);
  g_assert_nonnull (strstr (window->layout_note, perplexity));

  isolate_under (window, "umap", 200, 212);
  g_assert_cmpint (es_projection_get_method (es_window_get_projection (window)), ==, ES_METHOD_UMAP);
  g_assert_nonnull (strstr (window->layout_note, "neighbours lowered to 11 for 12 points"));

  /* 4 points: no map, the PCA of the four. */
  isolate_under (window, "umap", 300, 304);
  g_assert_cmpint (es_projection_get_method (es_window_get_projection (window)), ==, ES_METHOD_PCA);
  g_assert_cmpuint (es_projection_get_rows (es_window_get_projection (window)), ==, 4);

  ui_test_destroy_window (GTK_WIDGET (window));
}

static void
emit_rows (EsWindow *window,
           guint32   first,
           guint32   end,
           int       mode)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (guint32));

  for (guint32 r = first; r < end; r++)
    g_array_append_val (rows, r);
  g_signal_emit_by_name (es_window_get_plot (window), "rows-selected", rows, mode);
}

static void
test_window_selection_tools (void)
{
  EsWindow *window = open_window_on_sample ();
  EsEmbeddingSet *set = es_window_get_embedding_set (window);
  GtkWidget *plot = es_window_get_plot (window);
  EsSelectionPanel *panel = ES_SELECTION_PANEL (find_descendant (GTK_WIDGET (window), ES_TYPE_SELECTION_PANEL));
  g_autofree char *dir = g_dir_make_tmp ("es-selection-XXXXXX", NULL);
  g_autofree char *groups = g_build_filename (dir, "groups.tsv", NULL);
  g_autofree char *out = g_build_filename (dir, "selection.tsv", NULL);
  g_autofree char *text = NULL;
  g_autofree char *tsv = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) expected = g_string_new (NULL);

  g_test_summary ("Box and lasso selections replace, add (Shift) and subtract (Ctrl); the side "
                  "panel lists them; export writes them with metadata; back undoes a change; a "
                  "click on empty space clears; the tool keys switch the drag");

  g_assert_nonnull (panel);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (panel)));

  emit_rows (window, 100, 140, 0);
  g_assert_cmpuint (es_selection_panel_get_n_words (panel), ==, 40);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (panel)));
  emit_rows (window, 130, 150, 1);
  g_assert_cmpuint (es_selection_panel_get_n_words (panel), ==, 50);
  emit_rows (window, 100, 110, 2);
  g_assert_cmpuint (es_selection_panel_get_n_words (panel), ==, 40);

  /* The list is the file's words of rows 110..149, in file order. */
  for (gsize r = 110; r < 150; r++)
    g_string_append_printf (expected, "%s\n", es_embedding_set_get_word (set, r));
  text = es_selection_panel_dup_text (panel);
  g_assert_cmpstr (text, ==, expected->str);

  /* Exported with coordinates and the metadata columns. */
  g_assert_true (g_file_set_contents (groups, "word\tgroup\nking\troyal\n", -1, NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-metadata-path", "s", groups));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-to", "(ss)", "selection", out));
  g_assert_null (es_window_get_error (window));
  g_assert_true (g_file_get_contents (out, &tsv, NULL, NULL));
  lines = g_strsplit (tsv, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 42);   /* header, 40 rows, "" */
  g_assert_true (g_str_has_prefix (lines[0], "word\t"));
  g_assert_true (g_str_has_suffix (lines[0], "\tgroup"));
  for (guint i = 1; i <= 40; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], "\t", -1);

      g_assert_cmpstr (cells[0], ==, es_embedding_set_get_word (set, 109 + i));
      g_assert_cmpuint (g_strv_length (cells), ==, 4);   /* word, x, y, group */
    }

  /* Back undoes the subtraction. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.back", NULL));
  g_assert_cmpuint (es_selection_panel_get_n_words (panel), ==, 50);

  /* A click on empty space: an empty replace, which also drops the focus. */
  _es_window_set_selected (window, 5);
  emit_rows (window, 0, 0, 0);
  g_assert_cmpuint (es_selection_panel_get_n_words (panel), ==, 0);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (panel)));
  g_assert_cmpint (es_window_get_selected (window), ==, -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.back", NULL));
  g_assert_cmpuint (es_selection_panel_get_n_words (panel), ==, 50);

  /* The tools. */
  g_assert_cmpstr (es_scatter_view_get_tool (ES_SCATTER_VIEW (plot)), ==, "pan");
  g_assert_true (gtk_widget_activate_action (plot, "plot.tool", "s", "lasso"));
  g_assert_cmpstr (es_scatter_view_get_tool (ES_SCATTER_VIEW (plot)), ==, "lasso");
  g_assert_true (gtk_widget_activate_action (plot, "plot.tool", "s", "box"));
  g_assert_cmpstr (es_scatter_view_get_tool (ES_SCATTER_VIEW (plot)), ==, "box");
  es_scatter_view_set_tool (ES_SCATTER_VIEW (plot), "nonsense");
  g_assert_cmpstr (es_scatter_view_get_tool (ES_SCATTER_VIEW (plot)), ==, "pan");

  /* Switching files maps the selection by word: the sample's rows 110..149
   * are words the iris file lacks, so it is empty there and no crash.
   */
  {
    g_autofree char *iris = g_test_build_filename (G_TEST_DIST, "data", "projector", "iris_tensors.tsv", NULL);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", iris));
    ui_test_wait_for (not_busy, window);
    g_assert_cmpuint (es_selection_panel_get_n_words (panel), ==, 0);
  }

  g_unlink (out);
  g_unlink (groups);
  g_rmdir (dir);
  ui_test_destroy_window (GTK_WIDGET (window));
}

static void
test_window_analogy (void)
{
  EsWindow *window = open_window_on_sample ();
  EsEmbeddingSet *set = es_window_get_embedding_set (window);
  g_autoptr(GPtrArray) reference = load_reference ("add", "king woman", "man");
  EsAnalogyPanel *panel;
  GArray *results;

  g_test_summary ("The analogy entry ranks words as gensim's most_similar does");

  panel = ES_ANALOGY_PANEL (find_descendant (GTK_WIDGET (window), ES_TYPE_ANALOGY_PANEL));
  es_analogy_panel_set_expression (panel, "king - man + woman");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "panel.analogy", NULL));
  ui_test_wait_for (analogy_done, panel);
  g_assert_null (es_analogy_panel_get_error (panel));
  results = es_analogy_panel_get_results (panel);
  g_assert_cmpuint (results->len, ==, 10);
  for (guint i = 0; i < 10; i++)
    {
      char **ref = g_ptr_array_index (reference, i);
      const EsNeighbor *n = &g_array_index (results, EsNeighbor, i);

      g_assert_cmpstr (es_embedding_set_get_word (set, n->row), ==, ref[5]);
      g_assert_cmpfloat_with_epsilon (n->score, g_ascii_strtod (ref[6], NULL), 1e-5);
    }

  /* An unknown word is an error shown in the panel, not a crash. */
  es_analogy_panel_set_expression (panel, "king - zzzznotaword");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "panel.analogy", NULL));
  ui_test_wait_for (analogy_done, panel);
  g_assert_nonnull (strstr (es_analogy_panel_get_error (panel), "zzzznotaword"));
  g_assert_null (es_analogy_panel_get_results (panel));

  ui_test_destroy_window (GTK_WIDGET (window));
}

static char *
read_file (const char *path,
           gsize      *length)
{
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, length, NULL));
  return contents;
}

static void
test_window_export (void)
{
  EsWindow *window = open_window_on_sample ();
  EsEmbeddingSet *set = es_window_get_embedding_set (window);
  EsProjection *projection = es_window_get_projection (window);
  EsNeighborsPanel *panel;
  g_autofree char *dir = g_dir_make_tmp ("es-export-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "view.png", NULL);
  g_autofree char *svg = g_build_filename (dir, "view.svg", NULL);
  g_autofree char *pdf = g_build_filename (dir, "view.pdf", NULL);
  g_autofree char *tsv = g_build_filename (dir, "coords.tsv", NULL);
  g_autofree char *ntsv = g_build_filename (dir, "neighbours.tsv", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  gsize length = 0;
  gsize king;

  g_test_summary ("win.export-to writes PNG, SVG, PDF, coordinate and neighbour TSV files");

  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.select-word", "s", "king"));
  panel = ES_NEIGHBORS_PANEL (find_descendant (GTK_WIDGET (window), ES_TYPE_NEIGHBORS_PANEL));
  ui_test_wait_for (panel_has_neighbors, panel);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-to", "(ss)", "png", png));
  g_assert_null (es_window_get_error (window));
  contents = read_file (png, &length);
  g_assert_cmpuint (length, >, 1000);
  g_assert_cmpmem (contents, 8, "\x89PNG\r\n\x1a\n", 8);
  g_clear_pointer (&contents, g_free);

  /* Double size: twice the plot's pixels, read back from the PNG header. */
  {
    g_autofree char *png2 = g_build_filename (dir, "view2x", NULL);
    g_autofree char *png2_named = g_build_filename (dir, "view2x.png", NULL);
    g_autoptr(GdkTexture) texture = NULL;
    GtkWidget *plot = es_window_get_plot (window);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-to", "(ss)",
                                               "png-2x", png2));
    g_assert_null (es_window_get_error (window));
    texture = gdk_texture_new_from_filename (png2_named, NULL);
    g_assert_nonnull (texture);
    g_assert_cmpint (gdk_texture_get_width (texture), ==, 2 * gtk_widget_get_width (plot));
    g_assert_cmpint (gdk_texture_get_height (texture), ==, 2 * gtk_widget_get_height (plot));
    g_remove (png2_named);
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-to", "(ss)", "svg", svg));
  contents = read_file (svg, &length);
  g_assert_nonnull (strstr (contents, "<svg"));
  g_clear_pointer (&contents, g_free);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-to", "(ss)", "pdf", pdf));
  contents = read_file (pdf, &length);
  g_assert_cmpmem (contents, 5, "%PDF-", 5);
  g_clear_pointer (&contents, g_free);

  /* Coordinates: a header and one line per word, PC1/PC2 of the reduction. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-to", "(ss)",
                                             "coordinates", tsv));
  contents = read_file (tsv, NULL);
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5000 + 2);
  g_assert_cmpstr (lines[0], ==, "word\tPC1\tPC2");
  g_assert_true (es_embedding_set_lookup (set, "king", &king));
  {
    g_auto(GStrv) fields = g_strsplit (lines[king + 1], "\t", -1);

    g_assert_cmpstr (fields[0], ==, "king");
    /* scikit-learn's PCA of the same file; components are defined up to
     * sign, and the engine fixes signs by its own rule.
     */
    g_assert_cmpfloat_with_epsilon (fabs (g_ascii_strtod (fields[1], NULL)), 0.5971938201206559, 1e-4);
    g_assert_cmpfloat_with_epsilon (fabs (g_ascii_strtod (fields[2], NULL)), 0.7268568242709658, 1e-4);
    g_assert_cmpfloat_with_epsilon (g_ascii_strtod (fields[1], NULL),
                                    es_projection_get_coords (projection)[king * 10], 1e-6);
  }
  g_clear_pointer (&contents, g_free);
  g_clear_pointer (&lines, g_strfreev);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-to", "(ss)",
                                             "neighbors", ntsv));
  contents = read_file (ntsv, NULL);
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2 + 10 + 1);
  g_assert_true (g_str_has_prefix (lines[2], "1\tarioch\t0.78"));
  g_clear_pointer (&contents, g_free);

  /* A failed export leaves the existing file alone. */
  {
    g_autofree char *missing = g_build_filename (dir, "no-such-dir", "x.tsv", NULL);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-to", "(ss)",
                                               "coordinates", missing));
    g_assert_nonnull (es_window_get_error (window));
    g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  }

  g_remove (png);
  g_remove (svg);
  g_remove (pdf);
  g_remove (tsv);
  g_remove (ntsv);
  g_rmdir (dir);
  ui_test_destroy_window (GTK_WIDGET (window));
}

static void
test_window_bad_file (void)
{
  EsWindow *window = open_window_on_sample ();
  EsEmbeddingSet *set = es_window_get_embedding_set (window);
  EsProjection *projection = es_window_get_projection (window);
  g_autofree char *bad = g_test_build_filename (G_TEST_DIST, "data", "bad", "row_too_few.txt",
                                                NULL);

  g_test_summary ("A file that fails to load leaves the current dataset and shows the "
                  "engine's message with the file and line");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", bad));
  ui_test_wait_for (not_busy, window);
  g_assert_true (es_window_get_embedding_set (window) == set);
  g_assert_true (es_window_get_projection (window) == projection);
  g_assert_cmpuint (es_scatter_data_get_n_points (
                      es_scatter_view_get_data (ES_SCATTER_VIEW (es_window_get_plot (window)))), ==, 5000);
  g_assert_nonnull (es_window_get_error (window));
  g_test_message ("error: %s", es_window_get_error (window));
  g_assert_nonnull (strstr (es_window_get_error (window), "row_too_few.txt:"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.dismiss-error", NULL));
  g_assert_null (es_window_get_error (window));

  /* A file with warnings loads and keeps them for the warnings list. */
  {
    g_autofree char *dup = g_test_build_filename (G_TEST_DIST, "data", "bad", "duplicate_words.txt", NULL);
    GPtrArray *warnings;

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", dup));
    ui_test_wait_for (not_busy, window);
    g_assert_false (es_window_get_embedding_set (window) == set);
    warnings = es_embedding_set_get_warnings (es_window_get_embedding_set (window));
    g_assert_nonnull (warnings);
    g_assert_cmpuint (warnings->len, >, 0);
  }

  ui_test_destroy_window (GTK_WIDGET (window));
}

static void
count_cb (guint *count)
{
  (*count)++;
}

static void
test_window_method_during_load (void)
{
  EsWindow *window = open_window_on_sample ();
  EsEmbeddingSet *old_set = es_window_get_embedding_set (window);
  g_autofree char *other = g_test_build_filename (G_TEST_DIST, "data", "bad", "good.txt", NULL);

  g_test_summary ("Switching the method while a new file is loading still shows the new file");

  /* During the load. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", other));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.method", "s", "svd"));
  ui_test_wait_for (not_busy, window);
  g_assert_false (es_window_get_embedding_set (window) == old_set);
  g_assert_cmpint (es_projection_get_method (es_window_get_projection (window)), ==, ES_METHOD_SVD);

  /* During the new file's first reduction: the load has ended (busy went
   * TRUE, FALSE, TRUE) but the old file is still shown.
   */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-sample", NULL));
  ui_test_wait_for (not_busy, window);
  old_set = es_window_get_embedding_set (window);
  {
    guint notifies = 0;
    gulong id = g_signal_connect_swapped (window, "notify::busy", G_CALLBACK (count_cb), &notifies);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", other));
    while (notifies < 3)
      g_main_context_iteration (NULL, TRUE);
    g_signal_handler_disconnect (window, id);
  }
  g_assert_true (es_window_get_busy (window));
  g_assert_true (es_window_get_embedding_set (window) == old_set);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.method", "s", "pca"));
  ui_test_wait_for (not_busy, window);
  g_assert_false (es_window_get_embedding_set (window) == old_set);
  g_assert_cmpint (es_projection_get_method (es_window_get_projection (window)), ==, ES_METHOD_PCA);
  g_assert_true (es_projection_get_rows (es_window_get_projection (window)) ==
                 es_embedding_set_get_rows (es_window_get_embedding_set (window)));

  ui_test_destroy_window (GTK_WIDGET (window));
}

static void
test_window_cancel (void)
{
  EsWindow *window = open_window_on_sample ();
  EsEmbeddingSet *set = es_window_get_embedding_set (window);
  g_autofree char *sample = sample_path ();

  g_test_summary ("Cancel stops a load and keeps the current dataset");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", sample));
  g_assert_true (es_window_get_busy (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel", NULL));
  ui_test_wait_for (not_busy, window);
  /* Either the cancel won, or the tiny file had already loaded. */
  if (es_window_get_embedding_set (window) == set)
    g_assert_null (es_window_get_error (window));

  ui_test_destroy_window (GTK_WIDGET (window));
}

static gboolean
filter_applied (gpointer data)
{
  EsWindow *window = data;
  EsScatterData *scatter = es_scatter_view_get_data (ES_SCATTER_VIEW (es_window_get_plot (window)));
  gsize *expected = g_object_get_data (G_OBJECT (window), "expected-visible");

  return scatter != NULL && es_scatter_data_get_n_visible (scatter) == *expected;
}

static void
test_window_filters (void)
{
  EsWindow *window = open_window_on_sample ();
  EsEmbeddingSet *set = es_window_get_embedding_set (window);
  g_autoptr(GRegex) regex = g_regex_new ("^k.*g$", 0, 0, NULL);
  gsize expected = 0;

  g_test_summary ("Top-N, substring and regex filters hide exactly the rows they should");

  g_object_set_data (G_OBJECT (window), "expected-visible", &expected);

  expected = 100;
  g_object_set (window, "top-n", 100u, NULL);
  ui_test_wait_for (filter_applied, window);

  /* Substring, ignoring case, counted here by a plain scan. */
  g_object_set (window, "top-n", 0u, NULL);
  expected = 0;
  for (gsize r = 0; r < es_embedding_set_get_rows (set); r++)
    if (strstr (es_embedding_set_get_word (set, r), "ing") != NULL)
      expected++;
  g_assert_cmpuint (expected, >, 10);
  g_object_set (window, "filter-text", "ING", NULL);
  ui_test_wait_for (filter_applied, window);

  expected = 0;
  for (gsize r = 0; r < es_embedding_set_get_rows (set); r++)
    if (g_regex_match (regex, es_embedding_set_get_word (set, r), 0, NULL))
      expected++;
  g_assert_cmpuint (expected, >, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.filter-regex", NULL));
  g_object_set (window, "filter-text", "^k.*g$", NULL);
  ui_test_wait_for (filter_applied, window);

  expected = 5000;
  g_object_set (window, "filter-text", "", NULL);
  ui_test_wait_for (filter_applied, window);

  ui_test_destroy_window (GTK_WIDGET (window));
}

static gboolean
search_ready (gpointer data)
{
  return es_word_search_is_ready (data);
}

static void
test_window_search (void)
{
  EsWindow *window = open_window_on_sample ();
  EsEmbeddingSet *set = es_window_get_embedding_set (window);
  EsWordSearch *search = ES_WORD_SEARCH (find_descendant (GTK_WIDGET (window), ES_TYPE_WORD_SEARCH));
  const gsize *hits;
  gsize n_hits = 0;
  gsize expected = 0;
  gsize king;

  g_test_summary ("The search completes a prefix over the whole vocabulary, most frequent first");

  ui_test_wait_for (search_ready, search);
  es_word_search_set_text (search, "KIN");
  hits = es_word_search_get_hits (search, &n_hits);

  for (gsize r = 0; r < es_embedding_set_get_rows (set); r++)
    if (g_ascii_strncasecmp (es_embedding_set_get_word (set, r), "kin", 3) == 0)
      expected++;
  g_assert_cmpuint (n_hits, ==, expected);
  for (gsize i = 0; i < n_hits; i++)
    {
      g_assert_true (g_ascii_strncasecmp (es_embedding_set_get_word (set, hits[i]), "kin", 3) == 0);
      if (i > 0)
        g_assert_cmpuint (hits[i - 1], <, hits[i]);
    }

  /* An exact word comes first whatever its rank. */
  g_assert_true (es_embedding_set_lookup (set, "kingdom", &king));
  es_word_search_set_text (search, "kingdom");
  hits = es_word_search_get_hits (search, &n_hits);
  g_assert_cmpuint (n_hits, >=, 1);
  g_assert_cmpuint (hits[0], ==, king);

  /* Choosing it selects the word in the window. */
  g_signal_emit_by_name (es_word_search_get_editable (search), "activate");
  g_assert_cmpint (es_window_get_selected (window), ==, (gint64) king);

  ui_test_destroy_window (GTK_WIDGET (window));
}

static void
test_window_remembers (void)
{
  EsWindow *window = open_window_on_sample ();
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "embedscope", "settings.ini", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *method = NULL;

  g_test_summary ("Method and recent files survive the window (atomic key file)");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.method", "s", "svd"));
  ui_test_wait_for (not_busy, window);
  close_window (window);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "method=svd"));
  g_assert_nonnull (strstr (contents, "kjv-hamlet-5k-50d.w2v.txt"));

  window = es_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  g_object_get (window, "method", &method, NULL);
  g_assert_cmpstr (method, ==, "svd");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.method", "s", "pca");
  close_window (window);
}

static void
test_window_metadata (void)
{
  EsWindow *window = open_window_on_sample ();
  g_autofree char *dir = g_dir_make_tmp ("es-metadata-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "groups.tsv", NULL);
  const char *tsv = "word\tgroup\nking\troyal\nqueen\troyal\nman\tperson\nwoman\tperson\n";
  EsScatterData *data;
  EsMetadata *metadata;

  g_test_summary ("A metadata TSV joined by word colours the plot by its last column");

  g_assert_true (g_file_set_contents (path, tsv, -1, NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-metadata-path", "s", path));
  g_assert_null (es_window_get_error (window));
  metadata = es_embedding_set_get_metadata (es_window_get_embedding_set (window));
  g_assert_nonnull (metadata);
  g_assert_cmpstr (es_metadata_get_column_name (metadata, es_metadata_get_n_columns (metadata) - 1), ==, "group");

  data = es_scatter_view_get_data (ES_SCATTER_VIEW (es_window_get_plot (window)));
  g_assert_cmpint (es_scatter_data_get_color_mode (data), ==, ES_SCATTER_COLOR_CATEGORIES);
  g_assert_cmpuint (es_scatter_data_get_n_categories (data), >=, 2);
  {
    gsize king;

    g_assert_true (es_embedding_set_lookup (es_window_get_embedding_set (window), "king", &king));
    g_assert_cmpstr (es_scatter_data_get_category_name (data, es_scatter_data_get_category (data, king)),
                     ==, "royal");

    /* A click on the name "royal" in the plot selects its members. */
    g_signal_emit_by_name (es_window_get_plot (window), "category-activated",
                           es_scatter_data_get_category (data, king), 0);
    {
      gsize n_selected = 0;
      const gsize *selected = es_document_get_selection (window->document, &n_selected);
      gsize queen;

      g_assert_true (es_embedding_set_lookup (es_window_get_embedding_set (window), "queen", &queen));
      g_assert_cmpuint (n_selected, ==, 2);
      g_assert_cmpuint (selected[0], ==, MIN (king, queen));
      g_assert_cmpuint (selected[1], ==, MAX (king, queen));
    }
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.clear-selection", NULL));

    /* The point card: the row in the file, the norm and the metadata. */
    {
      EsEmbeddingSet *set = es_window_get_embedding_set (window);
      const float *v = es_embedding_set_get_vector (set, king);
      g_autofree char *card = _es_window_plot_point_detail (king, window);
      g_autofree char *place = g_strdup_printf ("row %'" G_GSIZE_FORMAT " of %'" G_GSIZE_FORMAT, king + 1,
                                                es_embedding_set_get_rows (set));
      g_autofree char *norm = NULL;
      double sum = 0;

      for (gsize j = 0; j < es_embedding_set_get_dims (set); j++)
        sum += (double) v[j] * v[j];
      norm = g_strdup_printf ("norm %.4g", sqrt (sum));
      g_assert_nonnull (strstr (card, place));
      g_assert_nonnull (strstr (card, norm));
      g_assert_nonnull (strstr (card, "group: royal"));
    }
  }

  /* Joined while isolating: the isolated words stay, with their groups. */
  {
    EsNeighborsPanel *panel = ES_NEIGHBORS_PANEL (find_descendant (GTK_WIDGET (window),
                                                                   ES_TYPE_NEIGHBORS_PANEL));
    EsEmbeddingSet *view;
    gsize row;

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.select-word", "s", "king"));
    ui_test_wait_for (panel_has_neighbors, panel);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.isolate", NULL));
    ui_test_wait_for (not_busy, window);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-metadata-path", "s", path));
    view = es_window_get_view_set (window);
    g_assert_cmpuint (es_embedding_set_get_rows (view), ==, 11);
    g_assert_true (es_embedding_set_lookup (view, "king", &row));
    g_assert_cmpstr (es_metadata_get_value (es_embedding_set_get_metadata (view), row, 1), ==, "royal");
    g_assert_cmpuint (es_scatter_data_get_n_points (
                        es_scatter_view_get_data (ES_SCATTER_VIEW (es_window_get_plot (window)))), ==, 11);
  }

  /* A missing file is an error that keeps the data. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-metadata-path", "s",
                                             "/nonexistent/groups.tsv"));
  g_assert_nonnull (es_window_get_error (window));
  g_assert_nonnull (es_embedding_set_get_metadata (es_window_get_embedding_set (window)));

  g_remove (path);
  g_rmdir (dir);
  ui_test_destroy_window (GTK_WIDGET (window));
}

static GtkWidget *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (GTK_IS_MESSAGE_DIALOG (item))
        return GTK_WIDGET (item);
    }
  return NULL;
}

static void
test_window_large_file (void)
{
  EsWindow *window = open_window_on_sample ();
  EsEmbeddingSet *set = es_window_get_embedding_set (window);
  g_autofree char *dir = g_dir_make_tmp ("es-large-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "huge.txt", NULL);
  g_autoptr(GString) text = g_string_new ("50000000 300\nking");
  g_autofree char *secondary = NULL;
  GtkWidget *dialog;

  g_test_summary ("A file whose header announces 50M x 300 floats (60 GB) asks for a row "
                  "limit before loading; cancelling keeps the current data.  A header the "
                  "file cannot hold gets no question, only the loader's error");

  for (guint i = 0; i < 300; i++)
    g_string_append (text, " 0.5");
  g_string_append_c (text, '\n');
  g_assert_true (g_file_set_contents (path, text->str, -1, NULL));

  /* 1 KB cannot hold 15e9 values: straight to the error, current data kept. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", path));
  g_assert_null (find_message_dialog ());
  ui_test_wait_for (not_busy, window);
  g_assert_nonnull (es_window_get_error (window));
  g_assert_true (es_window_get_embedding_set (window) == set);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.dismiss-error", NULL));

  /* Sparse, so it costs no disk: now the file could be what it says. */
  g_assert_cmpint (truncate (path, G_GINT64_CONSTANT (32) << 30), ==, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", path));
  g_assert_false (es_window_get_busy (window));
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_object_get (dialog, "secondary-text", &secondary, NULL);
  g_test_message ("%s", secondary);
  /* 50e6 x 300 x 4 bytes, in g_format_size's SI units (a no-break space). */
  g_assert_nonnull (strstr (secondary, "60.0\xc2\xa0GB"));

  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  g_assert_null (find_message_dialog ());
  g_assert_false (es_window_get_busy (window));
  g_assert_true (es_window_get_embedding_set (window) == set);

  g_remove (path);
  g_rmdir (dir);
  ui_test_destroy_window (GTK_WIDGET (window));
}

static GtkWidget *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (item, type))
        return GTK_WIDGET (item);
    }
  return NULL;
}

/* The drop-down whose second entry starts with @label. */
static GtkWidget *
find_choice (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_DROP_DOWN (widget))
    {
      GListModel *model = gtk_drop_down_get_model (GTK_DROP_DOWN (widget));

      if (model != NULL && GTK_IS_STRING_LIST (model) && g_list_model_get_n_items (model) == 2 &&
          g_str_has_prefix (gtk_string_list_get_string (GTK_STRING_LIST (model), 1), label))
        return widget;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_choice (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_window_open_dialog (void)
{
  EsWindow *window = open_window_on_sample ();
  EsEmbeddingSet *set = es_window_get_embedding_set (window);
  g_autoptr(GListModel) filters = NULL;
  GtkWidget *chooser;

  g_test_summary ("Ctrl+O's file chooser offers the supported formats and an \"Open as\" choice; "
                  "dismissing it changes nothing; \"Text corpus\" asks the corpus questions");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open", NULL));
  /* Without a portal, GtkFileChooserNative falls back to a dialog. */
  chooser = find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_assert_nonnull (chooser);
  filters = gtk_file_chooser_get_filters (GTK_FILE_CHOOSER (chooser));
  g_assert_cmpuint (g_list_model_get_n_items (filters), ==, 7);
  g_assert_cmpstr (gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "open-as"), ==, "embedding");
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  for (guint i = 0; i < 100 && find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG) != NULL; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_false (es_window_get_busy (window));
  g_assert_true (es_window_get_embedding_set (window) == set);

  /* "Open as: Text corpus" brings the corpus dialog, not a load. */
  {
    g_autofree char *corpus = g_test_build_filename (G_TEST_DIST, "data", "gensim", "lee_background.cor", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (corpus);
    GtkWidget *question = NULL;

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open", NULL));
    chooser = find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
    g_assert_nonnull (chooser);
    g_assert_true (gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), file, NULL));
    /* As a user picks it: the choice's drop-down (4.8's set_choice does
     * not move it).
     */
    {
      GtkWidget *dropdown = find_choice (chooser, "Text corpus");

      g_assert_nonnull (dropdown);
      gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), 1);
      g_assert_cmpstr (gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "open-as"), ==, "corpus");
    }
    /* The chooser selects the file once its folder has loaded. */
    for (guint i = 0; i < 5000; i++)
      {
        g_autoptr(GFile) chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

        if (chosen != NULL && g_file_equal (chosen, file))
          break;
        g_main_context_iteration (NULL, FALSE);
        g_usleep (1000);
      }
    gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
    for (guint i = 0; i < 2000 && question == NULL; i++)
      {
        question = find_toplevel (GTK_TYPE_MESSAGE_DIALOG);
        if (question != NULL && ui_test_find_named (question, "min-count") == NULL)
          question = NULL;
        g_main_context_iteration (NULL, FALSE);
        g_usleep (1000);
      }
    if (question == NULL)
      g_error ("no corpus dialog; error: %s, busy %d", es_window_get_error (window), es_window_get_busy (window));
    g_assert_false (es_window_get_busy (window));
    gtk_dialog_response (GTK_DIALOG (question), GTK_RESPONSE_CANCEL);
    g_assert_true (es_window_get_embedding_set (window) == set);
  }

  ui_test_destroy_window (GTK_WIDGET (window));
}

/* Width and height from a PNG's IHDR chunk, which must come first. */
static void
read_png_size (const char *path,
               guint32    *width,
               guint32    *height)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  const guchar *p;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >=, 24);
  g_assert_cmpmem (contents, 8, "\x89PNG\r\n\x1a\n", 8);
  g_assert_cmpmem (contents + 12, 4, "IHDR", 4);
  p = (const guchar *) contents + 16;
  *width = ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
  *height = ((guint32) p[4] << 24) | ((guint32) p[5] << 16) | ((guint32) p[6] << 8) | p[7];
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_IS_REGULAR);
}

static gboolean
has_toplevel (gpointer data)
{
  return find_toplevel (GPOINTER_TO_SIZE (data)) != NULL;
}

/* The chooser loads the folder set_file named asynchronously; answering
 * before it is done cancels its own check of the name.
 */
static void
settle_chooser (void)
{
  gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static void
choose_file (GtkWidget  *chooser,
             const char *dir,
             const char *name)
{
  g_autoptr(GFile) folder = g_file_new_for_path (dir);

  settle_chooser ();
  g_assert_true (gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL));
  settle_chooser ();
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  settle_chooser ();
}

static void
test_window_export_png_size (void)
{
  EsWindow *window = open_window_on_sample ();
  GtkWidget *plot = es_window_get_plot (window);
  g_autofree char *dir = g_dir_make_tmp ("es-export-size-XXXXXX", NULL);
  g_autofree char *fixed = g_build_filename (dir, "fixed.png", NULL);
  g_autofree char *chosen = g_build_filename (dir, "chosen.png", NULL);
  g_autofree char *doubled = g_build_filename (dir, "doubled.png", NULL);
  guint32 width = 0, height = 0;
  int plot_width, plot_height;
  GtkWidget *dialog;
  GtkWidget *spin;
  GtkWidget *chooser;

  g_test_summary ("PNG export at a chosen pixel size, scripted and through the size dialog "
                  "and file chooser; the PNG header has that size");

  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  plot_width = gtk_widget_get_width (plot);
  plot_height = gtk_widget_get_height (plot);
  g_assert_cmpint (plot_width, >, 16);

  /* Scripted: any size, even another shape than the view. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-png-to", "(sii)",
                                             fixed, 640, 360));
  g_assert_null (es_window_get_error (window));
  read_png_size (fixed, &width, &height);
  g_assert_cmpuint (width, ==, 640);
  g_assert_cmpuint (height, ==, 360);

  /* Interactive: Export → PNG asks for the size first, at the view's
   * size; a new width keeps the view's proportions.
   */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export", "s", "png"));
  ui_test_wait_for (has_toplevel, GSIZE_TO_POINTER (GTK_TYPE_DIALOG));
  dialog = find_toplevel (GTK_TYPE_DIALOG);
  g_assert_false (GTK_IS_FILE_CHOOSER (dialog));
  spin = ui_test_find_named (dialog, "width");
  g_assert_true (GTK_IS_SPIN_BUTTON (spin));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (spin)), ==,
                   plot_width * gtk_widget_get_scale_factor (plot));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 1000);
  spin = ui_test_find_named (dialog, "height");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (spin)), ==,
                   (int) round (1000.0 * plot_height / plot_width));
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);

  /* Then where: the file chooser (a dialog without a portal). */
  ui_test_wait_for (has_toplevel, GSIZE_TO_POINTER (GTK_TYPE_FILE_CHOOSER_DIALOG));
  chooser = find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  choose_file (chooser, dir, "chosen.png");
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  ui_test_wait_for (file_exists, chosen);
  read_png_size (chosen, &width, &height);
  g_assert_cmpuint (width, ==, 1000);
  g_assert_cmpuint (height, ==, (guint32) round (1000.0 * plot_height / plot_width));

  /* The 2× button: twice the view's pixels. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export", "s", "png"));
  ui_test_wait_for (has_toplevel, GSIZE_TO_POINTER (GTK_TYPE_DIALOG));
  dialog = find_toplevel (GTK_TYPE_DIALOG);
  {
    GtkWidget *button = NULL;

    for (GtkWidget *w = ui_test_find_named (dialog, "width");
         w != NULL && button == NULL;
         w = gtk_widget_get_parent (w))
      if (GTK_IS_GRID (w))
        {
          GtkWidget *scales = gtk_grid_get_child_at (GTK_GRID (w), 1, 0);

          button = gtk_widget_get_next_sibling (gtk_widget_get_first_child (scales));
        }
    g_assert_true (GTK_IS_TOGGLE_BUTTON (button));
    g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "2×");
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
  }
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  ui_test_wait_for (has_toplevel, GSIZE_TO_POINTER (GTK_TYPE_FILE_CHOOSER_DIALOG));
  chooser = find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  choose_file (chooser, dir, "doubled.png");
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  ui_test_wait_for (file_exists, doubled);
  read_png_size (doubled, &width, &height);
  g_assert_cmpuint (width, ==, 2 * plot_width);
  g_assert_cmpuint (height, ==, 2 * plot_height);

  g_remove (fixed);
  g_remove (chosen);
  g_remove (doubled);
  g_rmdir (dir);
  ui_test_destroy_window (GTK_WIDGET (window));
}

static GtkDropTarget *
find_drop_target (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }
  return NULL;
}

/* Emits the drop target's "drop" as GTK does once the data arrived. */
static gboolean
drop_value (GtkDropTarget *drop,
            const GValue  *value)
{
  gboolean handled = FALSE;

  g_signal_emit_by_name (drop, "drop", value, 20.0, 20.0, &handled);
  return handled;
}

static void
test_window_drop (void)
{
  EsWindow *window = open_window_on_sample ();
  EsEmbeddingSet *sample = es_window_get_embedding_set (window);
  g_autofree char *tensors = g_test_build_filename (G_TEST_DIST, "data", "projector",
                                                    "iris_tensors.tsv", NULL);
  g_autofree char *labels = g_test_build_filename (G_TEST_DIST, "data", "projector",
                                                   "iris_labels.tsv", NULL);
  g_autofree char *bad = g_test_build_filename (G_TEST_DIST, "data", "bad", "row_too_few.txt",
                                                NULL);
  GtkDropTarget *drop = find_drop_target (GTK_WIDGET (window));
  gsize n_types = 0;
  const GType *types;
  gboolean file_list = FALSE, file = FALSE;
  EsEmbeddingSet *set;

  g_test_summary ("Dropping files on the window opens them: a single file, a file list (as file "
                  "managers send), a tensors + labels pair; a bad file keeps the data");

  g_assert_nonnull (drop);
  types = gtk_drop_target_get_gtypes (drop, &n_types);
  for (gsize i = 0; i < n_types; i++)
    {
      file_list |= types[i] == GDK_TYPE_FILE_LIST;
      file |= types[i] == G_TYPE_FILE;
    }
  g_assert_true (file_list);
  g_assert_true (file);

  /* One GFile. */
  {
    g_auto(GValue) value = G_VALUE_INIT;
    g_autoptr(GFile) gfile = g_file_new_for_path (tensors);

    g_value_init (&value, G_TYPE_FILE);
    g_value_set_object (&value, gfile);
    g_assert_true (drop_value (drop, &value));
    g_assert_true (es_window_get_busy (window));
    ui_test_wait_for (not_busy, window);
    g_assert_null (es_window_get_error (window));
    set = es_window_get_embedding_set (window);
    g_assert_true (set != sample);
    g_assert_true (g_str_has_suffix (es_embedding_set_get_path (set), "/iris_tensors.tsv"));
    g_assert_cmpuint (es_embedding_set_get_rows (set), ==, 150);
    g_assert_null (es_embedding_set_get_metadata (set));
  }

  /* A file list: the tensors and their labels, in either order. */
  {
    g_auto(GValue) value = G_VALUE_INIT;
    GFile *pair[2] = { g_file_new_for_path (labels), g_file_new_for_path (tensors) };

    g_value_init (&value, GDK_TYPE_FILE_LIST);
    g_value_take_boxed (&value, gdk_file_list_new_from_array (pair, 2));
    g_object_unref (pair[0]);
    g_object_unref (pair[1]);
    g_assert_true (drop_value (drop, &value));
    ui_test_wait_for (not_busy, window);
    g_assert_null (es_window_get_error (window));
    set = es_window_get_embedding_set (window);
    g_assert_true (g_str_has_suffix (es_embedding_set_get_path (set), "/iris_tensors.tsv"));
    g_assert_nonnull (es_embedding_set_get_metadata (set));
    g_assert_cmpuint (es_metadata_get_n_columns (es_embedding_set_get_metadata (set)), ==, 5);
  }

  /* A bad file: the engine's message, and the iris data stays. */
  {
    g_auto(GValue) value = G_VALUE_INIT;
    GFile *one[1] = { g_file_new_for_path (bad) };

    g_value_init (&value, GDK_TYPE_FILE_LIST);
    g_value_take_boxed (&value, gdk_file_list_new_from_array (one, 1));
    g_object_unref (one[0]);
    g_assert_true (drop_value (drop, &value));
    ui_test_wait_for (not_busy, window);
    g_assert_nonnull (es_window_get_error (window));
    g_assert_nonnull (strstr (es_window_get_error (window), "row_too_few.txt:"));
    g_assert_true (es_window_get_embedding_set (window) == set);
  }

  /* Nothing usable: not taken. */
  {
    g_auto(GValue) value = G_VALUE_INIT;

    g_value_init (&value, GDK_TYPE_FILE_LIST);
    g_value_take_boxed (&value, gdk_file_list_new_from_array (NULL, 0));
    g_assert_false (drop_value (drop, &value));
  }

  ui_test_destroy_window (GTK_WIDGET (window));
}

typedef struct
{
  EsWindow   *window;
  gsize       row;
  const char *label;
} LabelWait;

static gboolean
plot_label_is (gpointer user_data)
{
  LabelWait *lw = user_data;
  GtkWidget *plot = es_window_get_plot (lw->window);
  EsScatterData *data = es_scatter_view_get_data (ES_SCATTER_VIEW (plot));

  return data != NULL && lw->row < es_scatter_data_get_n_points (data) &&
         g_strcmp0 (es_scatter_data_get_label (data, lw->row), lw->label) == 0;
}

static gboolean
plot_visible_is (gpointer user_data)
{
  LabelWait *lw = user_data;
  GtkWidget *plot = es_window_get_plot (lw->window);
  EsScatterData *data = es_scatter_view_get_data (ES_SCATTER_VIEW (plot));

  return data != NULL && es_scatter_data_get_n_visible (data) == lw->row;
}

static void
test_window_label_column (void)
{
  EsWindow *window = es_window_new (NULL);
  g_autofree char *tensors = g_test_build_filename (G_TEST_DIST, "data", "projector",
                                                    "iris_tensors.tsv", NULL);
  g_autofree char *labels = g_test_build_filename (G_TEST_DIST, "data", "projector",
                                                   "iris_labels.tsv", NULL);
  GtkDropDown *label_column, *colour_column, *category;
  LabelWait lw = { window, 0, NULL };
  EsScatterData *data;

  g_test_summary ("Projector tensors with their metadata: the chosen label column labels the "
                  "points, the class column colours them, and the category filter keeps one class");

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", tensors));
  ui_test_wait_for (not_busy, window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-metadata-path", "s", labels));
  ui_test_wait_for (not_busy, window);
  g_assert_null (es_window_get_error (window));

  label_column = GTK_DROP_DOWN (ui_test_find_named (GTK_WIDGET (window), "label-column"));
  colour_column = GTK_DROP_DOWN (ui_test_find_named (GTK_WIDGET (window), "colour-column"));
  category = GTK_DROP_DOWN (ui_test_find_named (GTK_WIDGET (window), "category-column"));
  g_assert_nonnull (label_column);

  /* Columns: the word (a row number here), then the five of the TSV. The
   * class column, the last, colours by default.
   */
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (label_column)), ==, 6);
  g_assert_cmpuint (gtk_drop_down_get_selected (colour_column), ==, 5);
  data = es_scatter_view_get_data (ES_SCATTER_VIEW (es_window_get_plot (window)));
  g_assert_cmpint (es_scatter_data_get_color_mode (data), ==, ES_SCATTER_COLOR_CATEGORIES);
  g_assert_cmpuint (es_scatter_data_get_n_categories (data), ==, 3);

  /* Label by class: rows 0-49 are setosa, 100-149 virginica in the file. */
  gtk_drop_down_set_selected (label_column, 5);
  lw.row = 0;
  lw.label = "Iris-setosa";
  ui_test_wait_for (plot_label_is, &lw);
  lw.row = 120;
  lw.label = "Iris-virginica";
  g_assert_true (plot_label_is (&lw));

  /* Label by sepal length: row 0 is 5.1 (the TSV's first data line). */
  gtk_drop_down_set_selected (label_column, 1);
  lw.row = 0;
  lw.label = "5.1";
  ui_test_wait_for (plot_label_is, &lw);

  /* Keep one class: 50 of 150 points stay visible. */
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (category)), ==, 4);
  gtk_drop_down_set_selected (category, 2);
  lw.row = 50;
  ui_test_wait_for (plot_visible_is, &lw);

  ui_test_destroy_window (GTK_WIDGET (window));
}

static GtkWidget *
find_menu_button_by_icon (GtkWidget  *widget,
                          const char *icon)
{
  if (GTK_IS_MENU_BUTTON (widget) &&
      g_strcmp0 (gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget)), icon) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_menu_button_by_icon (child, icon);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The popover menu's item (a private GtkModelButton) showing @text. */
static GtkWidget *
find_menu_item (GtkWidget  *widget,
                const char *text)
{
  if (g_str_equal (G_OBJECT_TYPE_NAME (widget), "GtkModelButton"))
    {
      g_autofree char *item_text = NULL;

      g_object_get (widget, "text", &item_text, NULL);
      if (g_strcmp0 (item_text, text) == 0)
        return widget;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_menu_item (child, text);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
menu_item_active (GtkWidget *item)
{
  gboolean active = FALSE;

  g_object_get (item, "active", &active, NULL);
  return active;
}

static void
test_window_main_menu (void)
{
  EsWindow *window = es_window_new (NULL);
  g_autofree char *tensors = g_test_build_filename (G_TEST_DIST, "data", "projector",
                                                    "iris_tensors.tsv", NULL);
  GtkWidget *button = find_menu_button_by_icon (GTK_WIDGET (window), "open-menu-symbolic");
  GMenuModel *recent = NULL;
  GtkWidget *item;
  gboolean found = FALSE;

  g_test_summary ("The main menu's check item follows the side panel from the start, and "
                  "recent file names keep their underscores");

  gtk_window_present (GTK_WINDOW (window));
  g_assert_nonnull (button);
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  item = find_menu_item (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button))),
                         "Show Side Panel");
  g_assert_nonnull (item);
  g_assert_true (gtk_widget_get_visible (find_descendant (GTK_WIDGET (window), ES_TYPE_NEIGHBORS_PANEL)));
  g_assert_true (menu_item_active (item));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-sidebar", NULL));
  g_assert_false (menu_item_active (item));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-sidebar", NULL));
  g_assert_true (menu_item_active (item));
  gtk_menu_button_popdown (GTK_MENU_BUTTON (button));

  /* "iris_tensors.tsv", not "iristensors.tsv" with a mnemonic "t". */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", tensors));
  ui_test_wait_for (not_busy, window);
  {
    GMenuModel *menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button));

    for (int i = 0; i < g_menu_model_get_n_items (menu) && recent == NULL; i++)
      {
        g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

        for (int j = 0; section != NULL && j < g_menu_model_get_n_items (section) && recent == NULL; j++)
          recent = g_menu_model_get_item_link (section, j, G_MENU_LINK_SUBMENU);
      }
  }
  g_assert_nonnull (recent);
  for (int i = 0; i < g_menu_model_get_n_items (recent); i++)
    {
      g_autofree char *label = NULL;

      g_assert_true (g_menu_model_get_item_attribute (recent, i, G_MENU_ATTRIBUTE_LABEL, "s", &label));
      found |= g_str_equal (label, "iris__tensors.tsv");
    }
  g_assert_true (found);
  g_object_unref (recent);

  ui_test_destroy_window (GTK_WIDGET (window));
}

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

static void
test_window_warnings_popover (void)
{
  EsWindow *window = open_window_on_sample ();
  g_autofree char *dup = g_test_build_filename (G_TEST_DIST, "data", "bad", "duplicate_words.txt", NULL);
  GtkWidget *button = find_menu_button_by_icon (GTK_WIDGET (window), "dialog-warning-symbolic");
  GtkWidget *popover;
  GtkWidget *label;

  g_test_summary ("Load warnings show in a popover wide enough to read them");

  g_assert_nonnull (button);
  g_assert_false (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", dup));
  ui_test_wait_for (not_busy, window);
  g_assert_true (gtk_widget_get_visible (button));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-warnings", NULL));
  popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button)));
  ui_test_wait_for (widget_mapped, popover);
  label = find_descendant (popover, GTK_TYPE_LABEL);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "duplicate"));
  /* Wrapped labels alone would let it shrink to a few pixels. */
  g_assert_cmpint (gtk_widget_get_width (popover), >=, 400);
  g_assert_cmpint (gtk_widget_get_width (label), >=, 300);
  gtk_popover_popdown (GTK_POPOVER (popover));

  ui_test_destroy_window (GTK_WIDGET (window));
}

static GtkWidget *
find_label_with_prefix (GtkWidget  *widget,
                        const char *prefix)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), prefix))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label_with_prefix (child, prefix);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
collect_collapsing (GtkWidget *widget,
                    GPtrArray *found)
{
  if (ES_IS_COLLAPSING_LABEL (widget))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_collapsing (child, found);
}

static void
test_window_header_fits (void)
{
  EsWindow *window = es_window_new (NULL);
  g_autofree char *sample = sample_path ();
  GtkWidget *titlebar = gtk_window_get_titlebar (GTK_WINDOW (window));
  g_autoptr(GPtrArray) collapsing = g_ptr_array_new ();
  int min = 0;

  g_test_summary ("At 1280 px in 3D the three component pickers show their whole names and "
                  "Open and Export their text; the window can shrink below 900 px in 3D and "
                  "800 px in 2D (Xvfb's three window buttons included), where Open and Export "
                  "become icons");

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.three-d", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", sample));
  ui_test_wait_for (not_busy, window);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 1280);

  for (guint i = 0; i < 3; i++)
    {
      const char *prefix = (const char *[]) { "PC1 (", "PC2 (", "PC3 (" }[i];
      GtkWidget *label = find_label_with_prefix (titlebar, prefix);

      g_assert_nonnull (label);
      g_test_message ("%s", gtk_label_get_text (GTK_LABEL (label)));
      g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label))));
    }
  collect_collapsing (titlebar, collapsing);
  g_assert_cmpuint (collapsing->len, ==, 2);
  for (guint i = 0; i < collapsing->len; i++)
    g_assert_true (es_collapsing_label_get_expanded (g_ptr_array_index (collapsing, i)));

  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  g_test_message ("minimum width in 3D: %d", min);
  g_assert_cmpint (min, <, 900);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.three-d", NULL));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  g_test_message ("minimum width in 2D: %d", min);
  g_assert_cmpint (min, <, 800);

  /* At its narrowest the text buttons give way to their icons. */
  gtk_window_set_default_size (GTK_WINDOW (window), min, 800);
  for (guint i = 0; i < 50 && gtk_widget_get_width (GTK_WIDGET (window)) > min; i++)
    gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_test_message ("narrow window: %d px", gtk_widget_get_width (GTK_WIDGET (window)));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, min);
  for (guint i = 0; i < collapsing->len; i++)
    g_assert_false (es_collapsing_label_get_expanded (g_ptr_array_index (collapsing, i)));

  ui_test_destroy_window (GTK_WIDGET (window));
}

static void
test_window_axis_error_once (void)
{
  EsWindow *window = open_window_on_sample ();
  EsAxesEditor *editor = ES_AXES_EDITOR (find_descendant (GTK_WIDGET (window), ES_TYPE_AXES_EDITOR));
  const char *bad[] = { "king - zzzznotaword", "man - woman", NULL };
  const char *good[] = { "king - queen", "man - woman", NULL };

  g_test_summary ("A bad custom axis says so once: under the expressions while the side "
                  "panel shows them, in the window banner when it is hidden");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.method", "s", "axes"));
  ui_test_wait_for (not_busy, window);
  es_axes_editor_set_axes (editor, bad);
  _es_window_reproject (window, NULL);
  ui_test_wait_for (not_busy, window);
  g_assert_nonnull (es_axes_editor_get_error (editor));
  g_assert_nonnull (strstr (es_axes_editor_get_error (editor), "zzzznotaword"));
  g_assert_null (es_window_get_error (window));

  g_object_set (window, "show-sidebar", FALSE, NULL);
  _es_window_reproject (window, NULL);
  ui_test_wait_for (not_busy, window);
  g_assert_null (es_axes_editor_get_error (editor));
  g_assert_nonnull (es_window_get_error (window));
  g_assert_nonnull (strstr (es_window_get_error (window), "zzzznotaword"));

  es_axes_editor_set_axes (editor, good);
  _es_window_reproject (window, NULL);
  ui_test_wait_for (not_busy, window);
  g_assert_null (es_window_get_error (window));
  g_assert_null (es_axes_editor_get_error (editor));

  g_object_set (window, "show-sidebar", TRUE, NULL);
  ui_test_destroy_window (GTK_WIDGET (window));
}

/* Drops two files and waits for what they opened. */
static void
drop_pair (EsWindow   *window,
           const char *first,
           const char *second)
{
  g_auto(GValue) value = G_VALUE_INIT;
  GFile *pair[2] = { g_file_new_for_path (first), g_file_new_for_path (second) };

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_array (pair, 2));
  g_object_unref (pair[0]);
  g_object_unref (pair[1]);
  g_assert_true (drop_value (find_drop_target (GTK_WIDGET (window)), &value));
  g_assert_true (es_window_get_busy (window));
  ui_test_wait_for (not_busy, window);
  if (es_window_get_error (window) != NULL)
    g_test_message ("error: %s", es_window_get_error (window));
  g_assert_null (es_window_get_error (window));
}

static void
test_window_drop_by_content (void)
{
  EsWindow *window = open_window_on_sample ();
  g_autofree char *dir = g_dir_make_tmp ("es-test-drop-XXXXXX", NULL);
  g_autofree char *tensors_src = g_test_build_filename (G_TEST_DIST, "data", "projector",
                                                        "iris_tensors.tsv", NULL);
  g_autofree char *labels_src = g_test_build_filename (G_TEST_DIST, "data", "projector",
                                                       "iris_labels.tsv", NULL);
  g_autofree char *tensors = g_build_filename (dir, "points.tsv", NULL);
  g_autofree char *labels = g_build_filename (dir, "second.tsv", NULL);
  g_autofree char *short_labels = g_build_filename (dir, "short.tsv", NULL);
  g_autofree char *tensors_copy = g_build_filename (dir, "more-points.tsv", NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;
  EsEmbeddingSet *set;
  char *cut;

  g_test_summary ("Two dropped files pair as tensors + metadata by their content, whatever "
                  "their names: the numeric TSV is loaded and the TSV with a text column and "
                  "as many rows (plus a header) becomes its metadata; otherwise no pairing");

  g_assert_true (g_file_get_contents (tensors_src, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (tensors, contents, (gssize) length, NULL));
  g_assert_true (g_file_set_contents (tensors_copy, contents, (gssize) length, NULL));
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (labels_src, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (labels, contents, (gssize) length, NULL));
  /* The header and the first 10 rows only. */
  cut = contents;
  for (guint i = 0; i < 11; i++)
    cut = strchr (cut, '\n') + 1;
  g_assert_true (g_file_set_contents (short_labels, contents, cut - contents, NULL));

  /* Neither name says "label" or "metadata"; the labels come first. */
  drop_pair (window, labels, tensors);
  set = es_window_get_embedding_set (window);
  g_assert_true (g_str_has_suffix (es_embedding_set_get_path (set), "/points.tsv"));
  g_assert_cmpuint (es_embedding_set_get_rows (set), ==, 150);
  g_assert_nonnull (es_embedding_set_get_metadata (set));
  g_assert_cmpuint (es_metadata_get_n_columns (es_embedding_set_get_metadata (set)), ==, 5);
  g_assert_cmpstr (es_metadata_get_value (es_embedding_set_get_metadata (set), 0, 4), ==, "Iris-setosa");

  /* Rows that do not match: the first file opens alone. */
  drop_pair (window, tensors, short_labels);
  set = es_window_get_embedding_set (window);
  g_assert_true (g_str_has_suffix (es_embedding_set_get_path (set), "/points.tsv"));
  g_assert_null (es_embedding_set_get_metadata (set));

  /* Two numeric tables: no metadata either. */
  drop_pair (window, tensors_copy, tensors);
  set = es_window_get_embedding_set (window);
  g_assert_true (g_str_has_suffix (es_embedding_set_get_path (set), "/more-points.tsv"));
  g_assert_null (es_embedding_set_get_metadata (set));

  ui_test_destroy_window (GTK_WIDGET (window));
  g_unlink (tensors);
  g_unlink (tensors_copy);
  g_unlink (labels);
  g_unlink (short_labels);
  g_rmdir (dir);
}

static void
test_window_shortcuts_window (void)
{
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWidget *overlay;
  GtkWidget *switcher;
  gint64 end;

  g_test_summary ("The keyboard-shortcuts window lays out on one page without GTK warnings "
                  "(the page switcher of a second page reported a min width of -4)");

  builder = gtk_builder_new_from_resource ("/io/github/embedscope/Embedscope/gtk/help-overlay.ui");
  overlay = GTK_WIDGET (gtk_builder_get_object (builder, "help_overlay"));
  g_assert_nonnull (overlay);
  gtk_window_set_default_size (GTK_WINDOW (overlay), 900, 900);
  gtk_window_present (GTK_WINDOW (overlay));
  /* Warnings are fatal in the tests: laying it out is the check. */
  end = g_get_monotonic_time () + 300 * 1000;
  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }

  switcher = find_descendant (overlay, GTK_TYPE_STACK_SWITCHER);
  g_assert_true (switcher == NULL || !gtk_widget_is_visible (switcher));

  gtk_window_destroy (GTK_WINDOW (overlay));
}

static gboolean
plot_shows_view (gpointer data)
{
  EsWindow *window = data;
  EsScatterData *scatter = es_scatter_view_get_data (ES_SCATTER_VIEW (es_window_get_plot (window)));

  return scatter != NULL && !es_window_get_busy (window) &&
         es_scatter_data_get_embedding_set (scatter) == es_window_get_view_set (window) &&
         g_str_has_prefix (es_scatter_data_get_axis_title (scatter, 0), "PC3");
}

static void
test_window_plot_in_worker (void)
{
  g_autofree char *sample = sample_path ();
  EsWindow *window = es_window_new (NULL);
  EsScatterView *plot = ES_SCATTER_VIEW (es_window_get_plot (window));
  g_autoptr(EsScatterData) reference = NULL;
  EsScatterData *before, *data;
  gsize n;

  g_test_summary ("Big sets get their plot data from a worker: the old picture stays until "
                  "the newest request is ready, older ones are dropped, and the result equals "
                  "the data built directly from the projection");

  _es_window_set_plot_async_rows (window, 0);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", sample));
  ui_test_wait_for (not_busy, window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.select-word", "s", "king"));

  /* Two requests in a row: the plot keeps its data until the last one is built. */
  before = es_scatter_view_get_data (plot);
  g_object_set (window, "component-x", 1u, NULL);
  _es_window_plot_update (window);
  g_object_set (window, "component-x", 2u, NULL);
  _es_window_plot_update (window);
  g_assert_true (es_scatter_view_get_data (plot) == before);
  ui_test_wait_for (plot_shows_view, window);

  data = es_scatter_view_get_data (plot);
  n = es_scatter_data_get_n_points (data);
  g_assert_cmpuint (n, ==, es_embedding_set_get_rows (es_window_get_view_set (window)));
  g_assert_cmpint (es_scatter_view_get_selected (plot), ==, es_window_get_selected (window));
  g_assert_cmpint (es_window_get_selected (window), >=, 0);

  reference = es_scatter_data_new_from_projection (es_window_get_view_set (window),
                                                   es_window_get_projection (window), 2, 1, -1, NULL);
  g_assert_nonnull (reference);
  g_assert_cmpmem (es_scatter_data_get_xyz (data), n * 3 * sizeof (float),
                   es_scatter_data_get_xyz (reference), n * 3 * sizeof (float));

  ui_test_destroy_window (GTK_WIDGET (window));
}

/* The crash of issue 11: a selection (and its neighbour list, an analogy,
 * an isolated subset) in place while another file is opened.  Each variant
 * ends on the new file with every mark a row of it.
 */
static void
check_marks_in_range (EsWindow *window)
{
  EsScatterData *data = es_scatter_view_get_data (ES_SCATTER_VIEW (es_window_get_plot (window)));
  gsize rows = es_embedding_set_get_rows (es_window_get_view_set (window));

  g_assert_cmpuint (es_scatter_data_get_n_points (data), ==, rows);
  g_assert_cmpint (es_window_get_selected (window), <, (gint64) rows);
  g_assert_cmpint (es_scatter_view_get_selected (ES_SCATTER_VIEW (es_window_get_plot (window))), <,
                   (gint64) rows);
}

static void
switch_file_with (const char *what)
{
  g_autofree char *big = g_test_build_filename (G_TEST_DIST, "data", "npm-word2vec", "vectors.txt", NULL);
  g_autofree char *small = g_test_build_filename (G_TEST_DIST, "data", "projector", "iris_tensors.tsv", NULL);
  EsWindow *window = es_window_new (NULL);
  EsNeighborsPanel *panel;
  EsAnalogyPanel *analogy;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", big));
  ui_test_wait_for (not_busy, window);
  g_assert_cmpuint (es_embedding_set_get_rows (es_window_get_embedding_set (window)), ==, 2631);

  /* Step 2: a word selected, its neighbours listed (row numbers of this file). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.select-word", "s", "Hamlet"));
  panel = ES_NEIGHBORS_PANEL (find_descendant (GTK_WIDGET (window), ES_TYPE_NEIGHBORS_PANEL));
  ui_test_wait_for (panel_has_neighbors, panel);
  es_neighbors_panel_set_k (panel, 50);
  ui_test_wait_for (panel_has_neighbors, panel);
  if (g_str_equal (what, "analogy"))
    {
      analogy = ES_ANALOGY_PANEL (find_descendant (GTK_WIDGET (window), ES_TYPE_ANALOGY_PANEL));
      es_analogy_panel_set_expression (analogy, "Hamlet - King + Queen");
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (analogy), "panel.analogy", NULL));
      ui_test_wait_for (analogy_done, analogy);
    }
  else if (g_str_equal (what, "isolate"))
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.isolate", NULL));
      ui_test_wait_for (not_busy, window);
    }
  else if (g_str_equal (what, "three-d"))
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.three-d", NULL));

  /* Step 3: a smaller file, whose rows the old numbers overrun. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", small));
  ui_test_wait_for (not_busy, window);
  g_assert_cmpuint (es_embedding_set_get_rows (es_window_get_embedding_set (window)), ==, 150);
  check_marks_in_range (window);
  /* "Hamlet" is no word of the iris file: nothing stays selected. */
  g_assert_cmpint (es_window_get_selected (window), ==, -1);

  /* And back: the word is found again by name. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", big));
  ui_test_wait_for (not_busy, window);
  check_marks_in_range (window);

  ui_test_destroy_window (GTK_WIDGET (window));
}

static void
test_window_switch_file (gconstpointer data)
{
  g_test_summary ("Open a file, select a word (and list 50 neighbours, or run an analogy, or "
                  "isolate, or go 3D), open a smaller file: no crash, every mark a row of the "
                  "new file (issue 11)");
  switch_file_with (data);
}

static gboolean
plot_shows_method (gpointer data)
{
  EsWindow *window = data;
  EsProjection *projection = es_window_get_projection (window);

  return !es_window_get_busy (window) && projection != NULL &&
         es_method_is_layout (es_projection_get_method (projection));
}

typedef struct
{
  EsWindow *window;
  guint     frames;   /* projections shown while the job still ran */
} FrameCount;

static void
count_frames_cb (EsScatterView *plot,
                 GParamSpec    *pspec,
                 FrameCount    *count)
{
  if (es_window_get_busy (count->window))
    count->frames++;
}

static void
test_window_maps (void)
{
  g_autofree char *iris = g_test_build_filename (G_TEST_DIST, "data", "projector", "iris_tensors.tsv", NULL);
  EsWindow *window = es_window_new (NULL);
  EsScatterView *plot = ES_SCATTER_VIEW (es_window_get_plot (window));
  FrameCount count = { window, 0 };
  EsProjection *projection, *tsne;
  gulong handler;

  g_test_summary ("t-SNE and UMAP from the method menu: the map animates while it runs (plot data "
                  "replaced before the job ends), ends as a layout projection of every row with "
                  "finite coordinates, works in 3D, the focus word survives, PCA comes back; "
                  "fewer than 5 points fall back to PCA and say so");

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", iris));
  ui_test_wait_for (not_busy, window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.select-row", "x", (gint64) 7));

  handler = g_signal_connect (plot, "notify::data", G_CALLBACK (count_frames_cb), &count);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.method", "s", "tsne"));
  ui_test_wait_for (plot_shows_method, window);
  projection = es_window_get_projection (window);
  tsne = projection;
  g_assert_cmpint (es_projection_get_method (projection), ==, ES_METHOD_TSNE);
  g_assert_cmpuint (es_projection_get_rows (projection), ==, 150);
  g_assert_cmpuint (es_projection_get_n_fitted (projection), ==, 150);
  g_test_message ("t-SNE frames shown while running: %u", count.frames);
  g_assert_cmpint (es_window_get_selected (window), ==, 7);

  count.frames = 0;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.method", "s", "umap"));
  ui_test_wait_for (plot_shows_method, window);
  g_assert_cmpint (es_projection_get_method (es_window_get_projection (window)), ==, ES_METHOD_UMAP);
  g_test_message ("UMAP frames shown while running: %u", count.frames);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.three-d", NULL));
  ui_test_wait_for (plot_shows_method, window);
  g_assert_cmpuint (es_projection_get_n_components (es_window_get_projection (window)), ==, 3);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.three-d", NULL));
  ui_test_wait_for (plot_shows_method, window);
  g_signal_handler_disconnect (plot, handler);

  /* Isolate 4 points: too few for a map. */
  {
    g_autofree char *bytes = NULL;
    EsNeighborsPanel *panel = ES_NEIGHBORS_PANEL (find_descendant (GTK_WIDGET (window), ES_TYPE_NEIGHBORS_PANEL));

    ui_test_wait_for (panel_has_neighbors, panel);
    es_neighbors_panel_set_k (panel, 3);
    ui_test_wait_for (panel_has_neighbors, panel);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.isolate", NULL));
    ui_test_wait_for (not_busy, window);
    g_assert_cmpuint (es_embedding_set_get_rows (es_window_get_view_set (window)), ==, 4);
    g_assert_cmpint (es_projection_get_method (es_window_get_projection (window)), ==, ES_METHOD_PCA);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-all", NULL));
  ui_test_wait_for (plot_shows_method, window);

  /* Back to t-SNE: the map of before, at once, from the document's cache. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.method", "s", "tsne"));
  g_assert_false (es_window_get_busy (window));
  g_assert_true (es_window_get_projection (window) == tsne);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.method", "s", "pca"));
  ui_test_wait_for (not_busy, window);
  g_assert_cmpint (es_projection_get_method (es_window_get_projection (window)), ==, ES_METHOD_PCA);
  ui_test_destroy_window (GTK_WIDGET (window));
}

static void
test_window_map_settings (void)
{
  g_autofree char *iris = g_test_build_filename (G_TEST_DIST, "data", "projector", "iris_tensors.tsv", NULL);
  EsWindow *window = es_window_new (NULL);
  EsMapParams params;
  EsTsneOptions options;
  EsProjection *first, *tuned;
  g_autoptr(EsMatrix) reference = NULL;
  const float *got, *want;

  g_test_summary ("The map settings popover's perplexity, iterations and seed are what the map is "
                  "computed with (the engine run directly gives the same coordinates bit for bit); "
                  "each setting is its own cached map; it shows only for t-SNE and UMAP");

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", iris));
  ui_test_wait_for (not_busy, window);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->map_settings_button)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.method", "s", "tsne"));
  ui_test_wait_for (plot_shows_method, window);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->map_settings_button)));
  first = es_window_get_projection (window);

  es_map_params_init (&params);
  params.perplexity = 10;
  params.iterations = 400;
  params.seed = 7;
  es_map_settings_set_params (window->map_settings, &params);
  g_signal_emit_by_name (window->map_settings, "apply");
  ui_test_wait_for (plot_shows_method, window);
  tuned = es_window_get_projection (window);
  g_assert_true (tuned != first);

  es_tsne_options_init (&options);
  options.perplexity = 10;
  options.n_iterations = 400;
  options.seed = 7;
  reference = es_tsne_run (es_window_get_view_set (window), &options, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
  g_assert_nonnull (reference);
  got = es_projection_get_coords (tuned);
  want = es_matrix_get_data (reference);
  g_assert_cmpuint (es_projection_get_n_components (tuned), ==, 2);
  for (gsize i = 0; i < 150 * 2; i++)
    g_assert_cmpfloat (got[i], ==, want[i]);

  /* The defaults again: the first map, from the cache, at once. */
  es_map_params_init (&params);
  params.seed = 1;
  es_map_settings_set_params (window->map_settings, &params);
  g_signal_emit_by_name (window->map_settings, "apply");
  g_assert_false (es_window_get_busy (window));
  g_assert_true (es_window_get_projection (window) == first);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.method", "s", "pca"));
  ui_test_wait_for (not_busy, window);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->map_settings_button)));
  ui_test_destroy_window (GTK_WIDGET (window));
}

static gboolean
filter_settled (gpointer data)
{
  return ((EsWindow *) data)->filter_source == 0;
}

static void
test_window_view_history (void)
{
  EsWindow *window = open_window_on_sample ();
  EsEmbeddingSet *set = es_window_get_embedding_set (window);
  EsNeighborsPanel *panel = ES_NEIGHBORS_PANEL (find_descendant (GTK_WIDGET (window), ES_TYPE_NEIGHBORS_PANEL));
  g_autofree char *filter = NULL;

  g_test_summary ("Back and forward step through isolate, show all, the method, 2D/3D and the "
                  "filters as well as the selection");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.select-word", "s", "king"));
  ui_test_wait_for (panel_has_neighbors, panel);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.isolate", NULL));
  ui_test_wait_for (not_busy, window);
  g_assert_cmpuint (es_embedding_set_get_rows (es_window_get_view_set (window)), ==, 11);

  /* Back: the whole file again; forward: the same 11 words. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.back", NULL));
  ui_test_wait_for (not_busy, window);
  g_assert_true (es_window_get_view_set (window) == set);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.forward", NULL));
  ui_test_wait_for (not_busy, window);
  g_assert_cmpuint (es_embedding_set_get_rows (es_window_get_view_set (window)), ==, 11);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-all", NULL));
  ui_test_wait_for (not_busy, window);

  /* The method. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.method", "s", "svd"));
  ui_test_wait_for (not_busy, window);
  g_assert_cmpint (es_projection_get_method (es_window_get_projection (window)), ==, ES_METHOD_SVD);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.back", NULL));
  ui_test_wait_for (not_busy, window);
  g_assert_cmpint (es_projection_get_method (es_window_get_projection (window)), ==, ES_METHOD_PCA);
  g_assert_true (es_window_get_view_set (window) == set);

  /* A filter (debounced: one step when it applies). */
  g_object_set (window, "filter-text", "kin", NULL);
  g_assert_cmpuint (window->filter_source, !=, 0);
  ui_test_wait_for (filter_settled, window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.back", NULL));
  g_object_get (window, "filter-text", &filter, NULL);
  g_assert_cmpstr (filter, ==, "");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.forward", NULL));
  g_clear_pointer (&filter, g_free);
  g_object_get (window, "filter-text", &filter, NULL);
  g_assert_cmpstr (filter, ==, "kin");

  ui_test_destroy_window (GTK_WIDGET (window));
}

static gboolean
layer_plot_visible_is (gpointer data)
{
  EsWindow *window = data;
  EsScatterData *scatter = es_scatter_view_get_data (ES_SCATTER_VIEW (es_window_get_plot (window)));
  gsize *expected = g_object_get_data (G_OBJECT (window), "expected-visible");

  return window->filter_source == 0 && scatter != NULL && es_scatter_data_get_n_visible (scatter) == *expected;
}

static void
test_window_layers (void)
{
  g_autofree char *dir = g_dir_make_tmp ("es-layers-XXXXXX", NULL);
  g_autofree char *tensors = g_build_filename (dir, "states.tsv", NULL);
  g_autofree char *meta = g_build_filename (dir, "states-metadata.tsv", NULL);
  g_autoptr(GString) t = g_string_new (NULL);
  g_autoptr(GString) m = g_string_new ("token\tposition\tlayer\n");
  const char *tokens[] = { "the", "cat", "sat", "on", "mat" };
  EsWindow *window = es_window_new (NULL);
  gsize expected = 0;
  gsize n_path = 0;

  g_test_summary ("A layers × tokens tensor (metadata layer and position) gets a layer slider that "
                  "shows one layer on the shared axes, and the focus token's path through every layer "
                  "in layer order");

  /* 3 layers × 5 tokens × 4 dims, the layers drifting apart. */
  for (guint l = 0; l < 3; l++)
    for (guint p = 0; p < 5; p++)
      {
        g_string_append_printf (t, "%g\t%g\t%g\t%g\n", l * 2.0 + p * 0.1, p * 1.0 - l, 0.5 * p * p, (double) l * p);
        g_string_append_printf (m, "%s\t%u\t%u\n", tokens[p], p, l);
      }
  g_assert_true (g_file_set_contents (tensors, t->str, -1, NULL));
  g_assert_true (g_file_set_contents (meta, m->str, -1, NULL));

  gtk_window_present (GTK_WINDOW (window));
  g_object_set_data (G_OBJECT (window), "expected-visible", &expected);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", tensors));
  ui_test_wait_for (not_busy, window);
  g_assert_null (es_window_get_error (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-metadata-path", "s", meta));
  ui_test_wait_for (not_busy, window);
  g_assert_null (es_window_get_error (window));
  g_assert_cmpuint (es_layer_bar_get_n_layers (window->layer_bar), ==, 3);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->layer_bar)));

  /* Layer 1 alone: its 5 tokens. */
  es_layer_bar_set_layer (window->layer_bar, 1);
  expected = 5;
  ui_test_wait_for (layer_plot_visible_is, window);

  /* The focus "sat" of layer 1 (row 7): its path is rows 2, 7, 12, and
   * those stay visible with layer 1.
   */
  _es_window_set_selected (window, 7);
  {
    EsScatterView *plot = ES_SCATTER_VIEW (es_window_get_plot (window));
    const guint32 *rows = es_scatter_view_get_path (plot, &n_path);

    g_assert_cmpuint (n_path, ==, 3);
    g_assert_cmpuint (rows[0], ==, 2);
    g_assert_cmpuint (rows[1], ==, 7);
    g_assert_cmpuint (rows[2], ==, 12);
  }
  _es_window_plot_queue_update (window);
  expected = 7;
  ui_test_wait_for (layer_plot_visible_is, window);

  /* All layers again. */
  es_layer_bar_set_layer (window->layer_bar, -1);
  expected = 15;
  ui_test_wait_for (layer_plot_visible_is, window);

  ui_test_destroy_window (GTK_WIDGET (window));
  g_unlink (tensors);
  g_unlink (meta);
  g_rmdir (dir);
}

static void
test_window_map_cancel_pause (void)
{
  g_autofree char *sample = sample_path ();
  EsWindow *window = es_window_new (NULL);
  EsProjection *before;

  g_test_summary ("a map can be paused, resumed and cancelled half-way: cancel keeps a "
                  "consistent picture and no job");
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", sample));
  ui_test_wait_for (not_busy, window);
  before = es_window_get_projection (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.method", "s", "umap"));
  g_assert_true (es_window_get_busy (window));
  g_assert_true (gtk_widget_get_visible (window->pause_button));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.pause-map", NULL));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (window->pause_button)), ==, "_Resume");
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (es_window_get_busy (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.pause-map", NULL));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (window->pause_button)), ==, "_Pause");

  /* Paused, then another method: the new map runs, and says so. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.pause-map", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.method", "s", "tsne"));
  g_assert_true (es_window_get_busy (window));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (window->pause_button)), ==, "_Pause");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel", NULL));
  ui_test_wait_for (not_busy, window);
  g_assert_false (gtk_widget_get_visible (window->pause_button));
  g_assert_nonnull (es_window_get_projection (window));
  g_assert_cmpuint (es_projection_get_rows (es_window_get_projection (window)), ==,
                    es_embedding_set_get_rows (es_window_get_view_set (window)));
  (void) before;

  /* Paused, then cancelled: the worker must wake up and end. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.rerun-map", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.pause-map", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel", NULL));
  ui_test_wait_for (not_busy, window);
  ui_test_destroy_window (GTK_WIDGET (window));
}

static gboolean
plot_shows_clusters (gpointer data)
{
  EsWindow *window = data;
  EsScatterData *scatter = es_scatter_view_get_data (ES_SCATTER_VIEW (es_window_get_plot (window)));

  return scatter != NULL && !es_window_get_busy (window) &&
         es_scatter_data_get_embedding_set (scatter) == es_window_get_view_set (window) &&
         es_scatter_data_get_n_categories (scatter) > 0;
}

static void
test_window_clusters (void)
{
  g_autofree char *big = g_test_build_filename (G_TEST_DIST, "data", "npm-word2vec", "vectors.txt", NULL);
  g_autofree char *iris = g_test_build_filename (G_TEST_DIST, "data", "projector", "iris_tensors.tsv", NULL);
  EsWindow *window = es_window_new (NULL);
  EsScatterView *plot = ES_SCATTER_VIEW (es_window_get_plot (window));
  EsDocument *document;
  EsScatterData *data;
  EsKmeans *clusters;

  g_test_summary ("win.clusters runs k-means in a job, colours the plot by cluster with a legend "
                  "of the clusters' own words, works on a map too; another file drops them; an "
                  "impossible k says so and keeps the view");

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", big));
  ui_test_wait_for (not_busy, window);
  document = window->document;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.clusters", "u", 8u));
  g_assert_true (es_window_get_busy (window));
  ui_test_wait_for (not_busy, window);
  clusters = es_document_get_clusters (document);
  g_assert_nonnull (clusters);
  g_assert_cmpuint (es_kmeans_get_k (clusters), ==, 8);
  ui_test_wait_for (plot_shows_clusters, window);
  data = es_scatter_view_get_data (plot);
  g_assert_cmpuint (es_scatter_data_get_n_categories (data), ==, 8);
  for (guint c = 0; c < 8; c++)
    {
      /* "a · b · c": the three words nearest the centroid. */
      g_assert_cmpstr (es_scatter_data_get_category_name (data, c), ==, es_kmeans_get_name (clusters, c));
      g_assert_nonnull (strstr (es_kmeans_get_name (clusters, c), " · "));
    }
  for (gsize r = 0; r < 50; r++)
    g_assert_cmpuint (es_scatter_data_get_category (data, r), ==,
                      (guint) es_kmeans_get_assignments (clusters)[r]);

  /* On a UMAP map the colours stay. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.method", "s", "umap"));
  ui_test_wait_for (plot_shows_method, window);
  ui_test_wait_for (plot_shows_clusters, window);
  g_assert_cmpuint (es_scatter_data_get_n_categories (es_scatter_view_get_data (plot)), ==, 8);

  /* Too many for the file: an error, nothing else changes. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.method", "s", "pca"));
  ui_test_wait_for (not_busy, window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", iris));
  ui_test_wait_for (not_busy, window);
  g_assert_null (es_document_get_clusters (document));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.clusters", "u", 500u));
  g_assert_nonnull (es_window_get_error (window));
  g_assert_false (es_window_get_busy (window));
  ui_test_destroy_window (GTK_WIDGET (window));
}

static void
test_window_escape_back_forward (void)
{
  EsWindow *window = open_window_on_sample ();
  EsEmbeddingSet *set = es_window_get_embedding_set (window);
  gsize king, queen;

  g_test_summary ("Esc clears the selection when nothing runs; Alt+Left (win.back) brings an "
                  "accidentally changed selection back, Alt+Right redoes it (issue 11)");
  g_assert_true (es_embedding_set_lookup (set, "king", &king));
  g_assert_true (es_embedding_set_lookup (set, "queen", &queen));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.select-word", "s", "king"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.select-word", "s", "queen"));
  g_assert_cmpint (es_window_get_selected (window), ==, (gint64) queen);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel", NULL));
  g_assert_cmpint (es_window_get_selected (window), ==, -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.back", NULL));
  g_assert_cmpint (es_window_get_selected (window), ==, (gint64) queen);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.back", NULL));
  g_assert_cmpint (es_window_get_selected (window), ==, (gint64) king);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.forward", NULL));
  g_assert_cmpint (es_window_get_selected (window), ==, (gint64) queen);
  g_assert_cmpint (es_scatter_view_get_selected (ES_SCATTER_VIEW (es_window_get_plot (window))), ==,
                   (gint64) queen);
  ui_test_destroy_window (GTK_WIDGET (window));
}

static gboolean
slow_frame_tick_cb (GtkWidget     *widget,
                    GdkFrameClock *clock,
                    gpointer       user_data)
{
  /* A frame that takes longer than the frame interval, as a big plot
   * under a slow machine (or ASan) does: the redraw source never idles.
   */
  gtk_widget_queue_draw (widget);
  g_usleep (25000);
  return G_SOURCE_CONTINUE;
}

static void
test_window_load_while_redrawing (void)
{
  g_autofree char *big = g_test_build_filename (G_TEST_DIST, "data", "npm-word2vec", "vectors.txt", NULL);
  EsWindow *window = open_window_on_sample ();
  EsEmbeddingSet *before = es_window_get_embedding_set (window);
  guint tick;

  g_test_summary ("a load finishes while every frame is slower than the frame interval (its "
                  "completion used to sit at G_PRIORITY_LOW, below GTK's redraw, and never ran)");
  gtk_window_present (GTK_WINDOW (window));
  tick = gtk_widget_add_tick_callback (es_window_get_plot (window), slow_frame_tick_cb, NULL, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", big));
  ui_test_wait_for (not_busy, window);
  g_assert_true (es_window_get_embedding_set (window) != before);
  g_assert_cmpuint (es_embedding_set_get_rows (es_window_get_embedding_set (window)), ==, 2631);
  gtk_widget_remove_tick_callback (es_window_get_plot (window), tick);
  ui_test_destroy_window (GTK_WIDGET (window));
}

int
main (int   argc,
      char *argv[])
{
  gboolean display;
  g_autofree char *home = ui_test_init (&argc, &argv, "es-test-window", &display);
  int status;

  if (!display)
    ui_test_add_no_display ("/ui/window/no-display");
  else
    {
      g_test_add_func ("/ui/window/open-sample", test_window_open_sample);
      g_test_add_func ("/ui/window/methods", test_window_methods);
      g_test_add_func ("/ui/window/select-and-neighbors", test_window_select_and_neighbors);
      g_test_add_func ("/ui/window/analogy", test_window_analogy);
      g_test_add_func ("/ui/window/box-selection", test_window_box_selection);
      g_test_add_func ("/ui/window/selection-tools", test_window_selection_tools);
      g_test_add_func ("/ui/window/map-settings", test_window_map_settings);
      g_test_add_func ("/ui/window/view-history", test_window_view_history);
      g_test_add_func ("/ui/window/layers", test_window_layers);
      g_test_add_func ("/ui/window/export", test_window_export);
      g_test_add_func ("/ui/window/bad-file", test_window_bad_file);
      g_test_add_func ("/ui/window/cancel", test_window_cancel);
      g_test_add_func ("/ui/window/method-during-load", test_window_method_during_load);
      g_test_add_func ("/ui/window/filters", test_window_filters);
      g_test_add_func ("/ui/window/search", test_window_search);
      g_test_add_func ("/ui/window/remembers", test_window_remembers);
      g_test_add_func ("/ui/window/metadata", test_window_metadata);
      g_test_add_func ("/ui/window/large-file", test_window_large_file);
      g_test_add_func ("/ui/window/open-dialog", test_window_open_dialog);
      g_test_add_func ("/ui/window/export-png-size", test_window_export_png_size);
      g_test_add_func ("/ui/window/drop", test_window_drop);
      g_test_add_func ("/ui/window/label-column", test_window_label_column);
      g_test_add_func ("/ui/window/main-menu", test_window_main_menu);
      g_test_add_func ("/ui/window/warnings-popover", test_window_warnings_popover);
      g_test_add_func ("/ui/window/header-fits", test_window_header_fits);
      g_test_add_func ("/ui/window/plot-in-worker", test_window_plot_in_worker);
      g_test_add_func ("/ui/window/shortcuts-window", test_window_shortcuts_window);
      g_test_add_func ("/ui/window/axis-error-once", test_window_axis_error_once);
      g_test_add_func ("/ui/window/drop-by-content", test_window_drop_by_content);
      g_test_add_data_func ("/ui/window/switch-file/selection", "selection", test_window_switch_file);
      g_test_add_data_func ("/ui/window/switch-file/analogy", "analogy", test_window_switch_file);
      g_test_add_data_func ("/ui/window/switch-file/isolate", "isolate", test_window_switch_file);
      g_test_add_data_func ("/ui/window/switch-file/three-d", "three-d", test_window_switch_file);
      g_test_add_func ("/ui/window/maps", test_window_maps);
      g_test_add_func ("/ui/window/clusters", test_window_clusters);
      g_test_add_func ("/ui/window/escape-back-forward", test_window_escape_back_forward);
      g_test_add_func ("/ui/window/load-while-redrawing", test_window_load_while_redrawing);
      g_test_add_func ("/ui/window/map-cancel-pause", test_window_map_cancel_pause);
      g_test_add_func ("/ui/window/map-small-subsets", test_window_map_small_subsets);
    }
  status = g_test_run ();
  ui_test_remove_tree (home);

  return status;
}
