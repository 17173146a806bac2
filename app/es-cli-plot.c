/* es-cli-plot.c: what every `render` draws with
 *
 * PCA, t-SNE, UMAP and a session's coordinates all end here: the
 * --clusters option, the highlighted word's neighbours, a session's
 * selection, analogy and style, the fit and the export.  It calls no other
 * command's file, so render, session, tsne and umap depend on it and not
 * on each other in a cycle.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-cli"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "es-cli-private.h"
#include "es-kmeans.h"
#include "es-neighbors.h"
#include "es-scatter-data.h"
#include "es-scatter-renderer.h"

/* The body of `embedscope render` (it was the renderer library's until the
 * layout issue: the renderer draws, the CLI decides what).
 */
#define ES_RENDER_N_NEIGHBORS 10

/* --clusters K, shared by every method's option table (PCA, t-SNE, UMAP). */
static gint render_clusters;

void
_es_cli_render_add_cluster_entry (GOptionContext *context)
{
  static const GOptionEntry entries[] = {
    { "clusters", 0, 0, G_OPTION_ARG_INT, &render_clusters,
      "Colour by K k-means clusters (cosine), named at their centres", "K" },
    { NULL }
  };

  render_clusters = 0;
  g_option_context_add_main_entries (context, entries, NULL);
}

int
_es_cli_render_check_clusters (const EsCliCommand *command)
{
  if (render_clusters < 0 || render_clusters > 10000)
    return _es_cli_usage_error (command, "--clusters must be between 1 and 10000");
  return -1;
}

/* K-means in the original space, as `embedscope cluster` does; the names
 * (the central words) label the colours and the map.
 */
static gboolean
apply_clusters (EsEmbeddingSet *set,
                EsScatterData  *data,
                GError        **error)
{
  g_autoptr(EsKmeans) km = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree guint *categories = NULL;
  const gint32 *assign;
  EsKmeansOptions options;
  gsize rows = es_embedding_set_get_rows (set);

  if (render_clusters <= 0)
    return TRUE;
  es_kmeans_options_init (&options);
  options.k = (guint) render_clusters;
  if (!(km = es_kmeans_compute (set, &options, NULL, NULL, NULL, error)))
    return FALSE;
  assign = es_kmeans_get_assignments (km);
  categories = g_new (guint, MAX (rows, 1));
  for (gsize r = 0; r < rows; r++)
    categories[r] = assign[r] >= 0 ? (guint) assign[r] : G_MAXUINT;
  for (guint c = 0; c < options.k; c++)
    g_ptr_array_add (names, (gpointer) es_kmeans_get_name (km, c));
  es_scatter_data_set_categories (data, categories, (const char * const *) names->pdata, options.k);

  return TRUE;
}

/* Highlight, fit and export: what every source of coordinates shares.
 * @view is the shown set (the rows of @data), @set the whole file the
 * neighbours are searched in; a session (nullable) adds its selection,
 * neighbour count and metric, style and camera.
 */
/* A session's analogy drawn as the window draws it: arrows b → a and
 * c → the best answer, for a - b + c.  Words no longer in the file leave
 * it out, as the window would show the expression's error.
 */
static void
session_analogy (EsEmbeddingSet *set,
                 EsScatterData  *data,
                 const char     *text,
                 gint64          analogy[4])
{
  g_autoptr(EsExpression) expression = es_expression_parse_for_set (text, set, NULL);
  g_autoptr(GArray) results = NULL;
  g_autofree gsize *rows = NULL;
  guint n = expression != NULL ? es_expression_get_n_terms (expression) : 0;
  gint64 a = -1, b = -1, c = -1;
  gsize row;

  rows = g_new0 (gsize, MAX (n, 1));
  if (expression == NULL || !es_expression_resolve (expression, set, FALSE, rows, NULL) ||
      !(results = es_neighbors_of_expression (set, text, ES_METRIC_COSINE, 1, NULL, NULL)))
    return;
  for (guint i = 0; i < n; i++)
    {
      double weight = es_expression_get_term_weight (expression, i);

      if (!es_scatter_data_lookup (data, es_embedding_set_get_word (set, rows[i]), &row))
        continue;
      if (weight > 0 && a < 0)
        a = (gint64) row;
      else if (weight < 0 && b < 0)
        b = (gint64) row;
      else if (weight > 0 && c < 0)
        c = (gint64) row;
    }
  analogy[0] = a, analogy[1] = b, analogy[2] = c;
  if (results->len > 0 &&
      es_scatter_data_lookup (data, es_embedding_set_get_word (set, g_array_index (results, EsNeighbor, 0).row),
                              &row))
    analogy[3] = (gint64) row;
}

gboolean
_es_cli_render_data (EsEmbeddingSet  *set,
                     EsEmbeddingSet  *view,
                     EsScatterData   *data,
                     const EsSession *session,
                     gboolean         three_d,
                     double           azimuth,
                     double           elevation,
                     const char      *highlight_word,
                     const char      *output,
                     EsPlotFormat     format,
                     int              width,
                     int              height,
                     GError         **error)
{
  EsPlotStyle style;
  EsPlotOverlay overlay;
  EsViewport viewport;
  double lo[3], hi[3];
  g_autoptr(GArray) neighbors = NULL;
  g_autoptr(GArray) neighbor_rows = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) hit_rows = g_array_new (FALSE, FALSE, sizeof (guint32));
  gsize row;

  es_plot_style_init (&style, FALSE);
  _es_cli_density_apply (&style);
  es_plot_overlay_init (&overlay);
  if (!apply_clusters (view != NULL ? view : set, data, error))
    return FALSE;
  if (session != NULL)
    {
      if (session->point_size > 0)
        style.point_size = session->point_size;
      if (session->opacity > 0)
        style.opacity = session->opacity;
      if (session->font_size > 0)
        style.font_size = session->font_size;
      style.show_density = style.show_density || session->show_density;
      if (session->analogy != NULL)
        session_analogy (set, data, session->analogy, overlay.analogy);
      /* The selected words are marked as the window marks them. */
      for (guint i = 0; session->selection != NULL && session->selection[i] != NULL; i++)
        if (es_scatter_data_lookup (data, session->selection[i], &row))
          {
            guint32 r = (guint32) row;

            g_array_append_val (hit_rows, r);
          }
      overlay.selection = (const guint32 *) (gpointer) hit_rows->data;
      overlay.n_selection = hit_rows->len;
    }
  if (highlight_word != NULL)
    {
      gsize full_row;

      /* Exact first; "King" still finds "king". */
      if (!es_scatter_data_lookup (data, highlight_word, &row) &&
          !es_embedding_set_lookup_ignore_case (view, highlight_word, &row))
        {
          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_UNKNOWN_WORD,
                       "“%s” is not in the vocabulary", highlight_word);
          return FALSE;
        }
      overlay.selected = (gint64) row;

      /* As in the app: the word's nearest neighbours in the original
       * space (of the whole file) are ringed, linked and labelled.
       */
      if (es_embedding_set_lookup (set, es_embedding_set_get_word (view, row), &full_row) &&
          es_embedding_set_is_row_valid (set, full_row))
        {
          g_autofree double *query = g_new (double, es_embedding_set_get_dims (set));
          const float *vector = es_embedding_set_get_vector (set, full_row);
          guint k = MIN (session != NULL ? session->neighbors_k : ES_RENDER_N_NEIGHBORS,
                         es_embedding_set_get_n_valid (set) - 1);
          EsMetric metric = session != NULL && g_strcmp0 (session->metric, "euclidean") == 0
                            ? ES_METRIC_EUCLIDEAN : ES_METRIC_COSINE;

          for (gsize j = 0; j < es_embedding_set_get_dims (set); j++)
            query[j] = vector[j];
          neighbors = es_neighbors_search (set, query, metric, k, &full_row, 1, 0, NULL, error);
          if (neighbors == NULL)
            return FALSE;
          for (guint i = 0; i < neighbors->len; i++)
            {
              gsize r = g_array_index (neighbors, EsNeighbor, i).row;
              guint32 v;

              if (set != view &&
                  !es_embedding_set_lookup (view, es_embedding_set_get_word (set, r), &r))
                continue;
              v = (guint32) r;
              g_array_append_val (neighbor_rows, v);
            }
          overlay.highlighted = (const guint32 *) (gpointer) neighbor_rows->data;
          overlay.n_highlighted = neighbor_rows->len;
        }
    }

  es_viewport_init (&viewport, width, height, three_d);
  es_scatter_data_get_bounds (data, lo, hi);
  es_viewport_fit (&viewport, lo, hi, 24);
  if (three_d)
    es_viewport_set_angles (&viewport, azimuth, elevation);
  /* A session's camera (one saved by the window): exactly at the same
   * size, else its zoom against a fit without margin; where it looked.
   */
  if (session != NULL && session->has_camera)
    {
      EsViewport fitted = viewport;
      gboolean same_size = session->view_width == width && session->view_height == height;

      es_viewport_fit (&fitted, lo, hi, 0);
      if (three_d)
        {
          viewport.distance = same_size && session->distance > 0
                              ? session->distance : fitted.fit_distance / session->zoom;
          memcpy (viewport.target, session->target, sizeof viewport.target);
        }
      else
        {
          viewport.scale = same_size && session->scale > 0
                           ? session->scale : fitted.fit_scale * session->zoom;
          viewport.center_x = session->center_xy[0];
          viewport.center_y = session->center_xy[1];
        }
    }

  return es_scatter_renderer_export (data, &viewport, &style, &overlay, output, format,
                                     width, height, error);
}

gboolean
_es_cli_render_coords (EsEmbeddingSet *set,
                  const float    *coords,
                  guint           dims,
                  const char     *axis_name,
                  double          azimuth,
                  double          elevation,
                  const char     *highlight_word,
                  const char     *output,
                  int             width,
                  int             height,
                  GError        **error)
{
  g_autoptr(EsScatterData) data = NULL;
  EsPlotFormat format;

  g_return_val_if_fail (set != NULL, FALSE);
  g_return_val_if_fail (coords != NULL, FALSE);
  g_return_val_if_fail (dims == 2 || dims == 3, FALSE);
  g_return_val_if_fail (output != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!es_plot_format_from_path (output, &format))
    {
      g_autofree char *display = g_filename_display_name (output);

      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "%s: unknown image format: use .png, .svg or .pdf", display);
      return FALSE;
    }
  if (width <= 0 || height <= 0 || width > 32768 || height > 32768)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "invalid image size %d × %d", width, height);
      return FALSE;
    }

  data = es_scatter_data_new_from_coords (coords, es_embedding_set_get_rows (set), dims, 0, 1,
                                          dims == 3 ? 2 : -1, set, NULL);
  for (guint d = 0; d < dims && axis_name != NULL; d++)
    {
      g_autofree char *title = g_strdup_printf ("%s %u", axis_name, d + 1);

      es_scatter_data_set_axis_title (data, d, title);
    }
  return _es_cli_render_data (set, set, data, NULL, dims == 3, azimuth, elevation, highlight_word,
                              output, format, width, height, error);
}
