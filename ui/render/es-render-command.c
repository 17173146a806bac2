/* es-render-command.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-render-command"

#include "config.h"

#include "es-render-command.h"

#include "es-engine-error.h"
#include "es-neighbors.h"
#include "es-scatter-data.h"
#include "es-scatter-renderer.h"

#define ES_RENDER_N_NEIGHBORS 10

/* Highlight, fit and export: what every source of coordinates shares. */
static gboolean
render_data (EsEmbeddingSet *set,
             EsScatterData  *data,
             gboolean        three_d,
             double          azimuth,
             double          elevation,
             const char     *highlight_word,
             const char     *output,
             EsPlotFormat    format,
             int             width,
             int             height,
             GError        **error)
{
  EsPlotStyle style;
  EsPlotOverlay overlay;
  EsViewport viewport;
  double lo[3], hi[3];
  g_autoptr(GArray) neighbors = NULL;
  g_autofree guint32 *neighbor_rows = NULL;
  gsize row;

  es_plot_style_init (&style, FALSE);
  es_plot_overlay_init (&overlay);
  if (highlight_word != NULL)
    {
      /* Exact first; "King" still finds "king". */
      if (!es_scatter_data_lookup (data, highlight_word, &row) &&
          !es_embedding_set_lookup_ignore_case (set, highlight_word, &row))
        {
          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_UNKNOWN_WORD,
                       "“%s” is not in the vocabulary", highlight_word);
          return FALSE;
        }
      overlay.selected = (gint64) row;

      /* As in the app: the word's nearest neighbours in the original
       * space (cosine) are ringed, linked and labelled.
       */
      if (es_embedding_set_is_row_valid (set, row))
        {
          g_autofree double *query = g_new (double, es_embedding_set_get_dims (set));
          const float *vector = es_embedding_set_get_vector (set, row);
          guint k = MIN (ES_RENDER_N_NEIGHBORS, es_embedding_set_get_n_valid (set) - 1);

          for (gsize j = 0; j < es_embedding_set_get_dims (set); j++)
            query[j] = vector[j];
          neighbors = es_neighbors_search (set, query, ES_METRIC_COSINE, k, &row, 1, 0, NULL, error);
          if (neighbors == NULL)
            return FALSE;
          neighbor_rows = g_new (guint32, MAX (neighbors->len, 1));
          for (guint i = 0; i < neighbors->len; i++)
            neighbor_rows[i] = g_array_index (neighbors, EsNeighbor, i).row;
          overlay.highlighted = neighbor_rows;
          overlay.n_highlighted = neighbors->len;
        }
    }

  es_viewport_init (&viewport, width, height, three_d);
  es_scatter_data_get_bounds (data, lo, hi);
  es_viewport_fit (&viewport, lo, hi, 24);
  if (three_d)
    es_viewport_set_angles (&viewport, azimuth, elevation);

  return es_scatter_renderer_export (data, &viewport, &style, &overlay, output, format,
                                     width, height, error);
}

gboolean
es_render_file (const char                 *input,
                const EsLoadOptions        *load_options,
                const EsProjectionOptions  *projection_options,
                guint                       cx,
                guint                       cy,
                gint                        cz,
                double                      azimuth,
                double                      elevation,
                const char                 *highlight_word,
                const char                 *output,
                int                         width,
                int                         height,
                GError                    **error)
{
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(EsProjection) projection = NULL;
  g_autoptr(EsScatterData) data = NULL;
  EsProjectionOptions options;
  EsPlotFormat format;

  g_return_val_if_fail (input != NULL, FALSE);
  g_return_val_if_fail (output != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Check what needs no work first: a typo should not cost a PCA. */
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

  set = es_loader_load_path (input, load_options, NULL, NULL, NULL, error);
  if (set == NULL)
    return FALSE;

  if (projection_options != NULL)
    options = *projection_options;
  else
    es_projection_options_init (&options);
  /* Enough components for the ones asked for. */
  if (options.method == ES_METHOD_PCA || options.method == ES_METHOD_SVD)
    options.n_components = MAX (options.n_components,
                                 MAX (MAX (cx, cy), cz >= 0 ? (guint) cz : 0) + 1);

  projection = es_projection_compute (set, &options, NULL, NULL, NULL, error);
  if (projection == NULL)
    return FALSE;

  data = es_scatter_data_new_from_projection (set, projection, cx, cy, cz, error);
  if (data == NULL)
    return FALSE;

  return render_data (set, data, cz >= 0, azimuth, elevation, highlight_word, output, format,
                      width, height, error);
}

gboolean
es_render_coords (EsEmbeddingSet *set,
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
  return render_data (set, data, dims == 3, azimuth, elevation, highlight_word, output, format,
                      width, height, error);
}
