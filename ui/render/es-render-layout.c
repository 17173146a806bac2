/* es-render-layout.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-render-command"

#include "config.h"

#include "es-render-layout.h"

#include "es-engine-error.h"
#include "es-neighbors.h"
#include "es-scatter-data.h"
#include "es-scatter-renderer.h"

#define ES_RENDER_N_NEIGHBORS 10

gboolean
es_render_layout (EsEmbeddingSet *set,
                  const float    *coords,
                  guint           dims,
                  const char     *axis_prefix,
                  double          azimuth,
                  double          elevation,
                  const char     *highlight_word,
                  const char     *output,
                  int             width,
                  int             height,
                  GError        **error)
{
  g_autoptr(EsScatterData) data = NULL;
  g_autoptr(GArray) neighbors = NULL;
  g_autofree guint32 *neighbor_rows = NULL;
  EsPlotFormat format;
  EsPlotStyle style;
  EsPlotOverlay overlay;
  EsViewport viewport;
  double lo[3], hi[3];
  gsize row;

  g_return_val_if_fail (dims == 2 || dims == 3, FALSE);

  if (!es_plot_format_from_path (output, &format))
    {
      g_autofree char *display = g_filename_display_name (output);

      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "%s: unknown image format: use .png, .svg or .pdf", display);
      return FALSE;
    }

  data = es_scatter_data_new_from_coords (coords, es_embedding_set_get_rows (set), dims,
                                          0, 1, dims == 3 ? 2 : -1, set, NULL);
  for (guint axis = 0; axis < dims; axis++)
    {
      g_autofree char *title = g_strdup_printf ("%s %u", axis_prefix, axis + 1);

      es_scatter_data_set_axis_title (data, axis, title);
    }

  es_plot_style_init (&style, FALSE);
  es_plot_overlay_init (&overlay);
  if (highlight_word != NULL)
    {
      if (!es_scatter_data_lookup (data, highlight_word, &row) &&
          !es_embedding_set_lookup_ignore_case (set, highlight_word, &row))
        {
          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_UNKNOWN_WORD,
                       "“%s” is not in the vocabulary", highlight_word);
          return FALSE;
        }
      overlay.selected = (gint64) row;
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

  es_viewport_init (&viewport, width, height, dims == 3);
  es_scatter_data_get_bounds (data, lo, hi);
  es_viewport_fit (&viewport, lo, hi, 24);
  if (dims == 3)
    es_viewport_set_angles (&viewport, azimuth, elevation);

  return es_scatter_renderer_export (data, &viewport, &style, &overlay, output, format,
                                     width, height, error);
}
