/* es-window-layer-neighbors.c: a tensor token's neighbours within one layer
 *
 * In a layers × tokens tensor every token appears once per layer, and its
 * nearest rows over the whole file are mostly itself in the next layers.
 * So the neighbour list of the focus token is restricted to the rows of
 * one layer: the layer the slider shows, or with the slider on "all" the
 * focus token's own.  A layer's rows are contiguous (layer-major, as the
 * loader lays them out); anything else gets no restriction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-window"

#include "config.h"

#include "es-window-private.h"

static gint64
layer_of (EsMetadata *metadata,
          guint       column,
          gsize       row)
{
  const char *text = es_metadata_get_value (metadata, row, column);
  guint64 value;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT32, &value, NULL))
    return -1;
  return (gint64) value;
}

void
_es_window_update_neighbor_range (EsWindow *self)
{
  EsEmbeddingSet *set = es_document_get_set (self->document);
  EsMetadata *metadata = set != NULL ? es_embedding_set_get_metadata (set) : NULL;
  gint64 focus = es_neighbors_panel_get_row (self->neighbors_panel);
  gint64 layer = es_layer_bar_get_layer (self->layer_bar);
  gsize n_rows, first = 0, n = 0;
  gboolean found = FALSE;

  if (self->layer_column < 0 || metadata == NULL || (guint) self->layer_column >= es_metadata_get_n_columns (metadata))
    {
      es_neighbors_panel_set_row_range (self->neighbors_panel, 0, 0);
      return;
    }
  n_rows = MIN (es_embedding_set_get_rows (set), es_metadata_get_n_rows (metadata));
  if (layer < 0 && focus >= 0 && (gsize) focus < n_rows)
    layer = layer_of (metadata, (guint) self->layer_column, (gsize) focus);
  for (gsize r = 0; layer >= 0 && r < n_rows; r++)
    {
      if (layer_of (metadata, (guint) self->layer_column, r) != layer)
        continue;
      if (!found)
        first = r;
      /* Not contiguous: no restriction. */
      else if (r != first + n)
        {
          n = 0;
          break;
        }
      found = TRUE;
      n++;
    }
  es_neighbors_panel_set_row_range (self->neighbors_panel, first, n);
}
