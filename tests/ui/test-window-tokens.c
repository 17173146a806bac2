/* test-window-tokens.c: tokenizer tokens and tensor layers in the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-window-tokens"

#include "config.h"

#include "ui-test-util.h"

#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "es-neighbors.h"
#include "es-neighbors-panel.h"
#include "es-window.h"
#include "es-window-private.h"

static gboolean
not_busy (gpointer data)
{
  return !es_window_get_busy (data);
}

static gboolean
panel_done (gpointer data)
{
  EsWindow *window = data;

  return !es_neighbors_panel_get_busy (window->neighbors_panel) &&
         es_neighbors_panel_get_neighbors (window->neighbors_panel) != NULL;
}

static EsWindow *
open_window (const char *path,
             const char *metadata)
{
  EsWindow *window = es_window_new (NULL);

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", path));
  ui_test_wait_for (not_busy, window);
  g_assert_null (es_window_get_error (window));
  if (metadata != NULL)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-metadata-path", "s", metadata));
      ui_test_wait_for (not_busy, window);
      g_assert_null (es_window_get_error (window));
    }
  return window;
}

static void
test_decoded_labels (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "safetensors", "tiny", "model.safetensors", NULL);
  EsWindow *window = open_window (path, NULL);
  EsScatterData *data = es_scatter_view_get_data (ES_SCATTER_VIEW (es_window_get_plot (window)));
  g_autofree char *card = NULL;

  g_test_summary ("A GPT-2 checkpoint's tokens are labelled decoded in the plot (\"Ġthe\" → \"the\", "
                  "\"ĠcafÃ©\" → \"café\") and the point card shows the raw token");

  g_assert_nonnull (data);
  g_assert_cmpstr (es_scatter_data_get_label (data, 1), ==, "the");
  g_assert_cmpstr (es_scatter_data_get_label (data, 2), ==, "caf\xC3\xA9");
  card = _es_window_describe_row (window, es_window_get_embedding_set (window), 2);
  g_assert_nonnull (strstr (card, "token: \xC4\xA0" "caf\xC3\x83\xC2\xA9"));
  ui_test_destroy_window (GTK_WIDGET (window));
}

/* Cosine of rows @a and @b, in double. */
static double
cosine (EsEmbeddingSet *set,
        gsize           a,
        gsize           b)
{
  const float *x = es_embedding_set_get_vector (set, a), *y = es_embedding_set_get_vector (set, b);
  double dot = 0, xx = 0, yy = 0;

  for (gsize d = 0; d < es_embedding_set_get_dims (set); d++)
    {
      dot += (double) x[d] * y[d];
      xx += (double) x[d] * x[d];
      yy += (double) y[d] * y[d];
    }
  return dot / sqrt (xx * yy);
}

static void
test_neighbors_within_layer (void)
{
  g_autofree char *npy = g_test_build_filename (G_TEST_DIST, "data", "npy", "hidden_f16.npy", NULL);
  g_autofree char *tokens = g_test_build_filename (G_TEST_DIST, "data", "npy", "hidden.tokens.tsv", NULL);
  EsWindow *window = open_window (npy, tokens);
  EsEmbeddingSet *set = es_window_get_embedding_set (window);
  GArray *neighbors;
  gsize first, n;

  g_test_summary ("In a layers × tokens tensor the focus token's neighbours are the rows of one layer: "
                  "its own with the slider on all layers, else the slider's; each score is the cosine "
                  "computed here");

  g_assert_cmpuint (es_embedding_set_get_rows (set), ==, 12);
  g_assert_cmpuint (es_layer_bar_get_n_layers (window->layer_bar), ==, 3);

  /* Row 5: layer 1, position 1.  Its layer is rows 4–7: 3 neighbours. */
  _es_window_set_selected (window, 5);
  ui_test_wait_for (panel_done, window);
  es_neighbors_panel_get_row_range (window->neighbors_panel, &first, &n);
  g_assert_cmpuint (first, ==, 4);
  g_assert_cmpuint (n, ==, 4);
  neighbors = es_neighbors_panel_get_neighbors (window->neighbors_panel);
  g_assert_cmpuint (neighbors->len, ==, 3);
  /* The plot draws the token's path: position 1 in layers 0, 1, 2. */
  {
    gsize n_path = 0;
    const guint32 *path = es_scatter_view_get_path (window->plot, &n_path);

    g_assert_cmpuint (n_path, ==, 3);
    g_assert_cmpuint (path[0], ==, 1);
    g_assert_cmpuint (path[1], ==, 5);
    g_assert_cmpuint (path[2], ==, 9);
  }
  for (guint i = 0; i < neighbors->len; i++)
    {
      const EsNeighbor *nb = &g_array_index (neighbors, EsNeighbor, i);

      g_assert_cmpuint (nb->row, >=, 4);
      g_assert_cmpuint (nb->row, <, 8);
      g_assert_cmpuint (nb->row, !=, 5);
      g_assert_cmpfloat (fabs (nb->score - cosine (set, 5, nb->row)), <, 1e-5);
      if (i > 0)
        g_assert_cmpfloat (nb->score, <=, g_array_index (neighbors, EsNeighbor, i - 1).score);
    }

  /* The slider on layer 2: rows 8–11, all four candidates (5 is not one). */
  es_layer_bar_set_layer (window->layer_bar, 2);
  ui_test_wait_for (panel_done, window);
  es_neighbors_panel_get_row_range (window->neighbors_panel, &first, &n);
  g_assert_cmpuint (first, ==, 8);
  g_assert_cmpuint (n, ==, 4);
  neighbors = es_neighbors_panel_get_neighbors (window->neighbors_panel);
  g_assert_cmpuint (neighbors->len, ==, 4);
  for (guint i = 0; i < neighbors->len; i++)
    {
      const EsNeighbor *nb = &g_array_index (neighbors, EsNeighbor, i);

      g_assert_cmpuint (nb->row, >=, 8);
      g_assert_cmpfloat (fabs (nb->score - cosine (set, 5, nb->row)), <, 1e-5);
    }
  ui_test_destroy_window (GTK_WIDGET (window));
}

int
main (int   argc,
      char *argv[])
{
  gboolean display;
  g_autofree char *home = ui_test_init (&argc, &argv, "es-test-window-tokens", &display);
  int status;

  if (!display)
    ui_test_add_no_display ("/ui/tokens/no-display");
  else
    {
      g_test_add_func ("/ui/tokens/decoded-labels", test_decoded_labels);
      g_test_add_func ("/ui/tokens/neighbors-within-layer", test_neighbors_within_layer);
    }
  status = g_test_run ();
  ui_test_remove_tree (home);

  return status;
}
