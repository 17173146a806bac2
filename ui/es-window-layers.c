/* es-window-layers.c: a layered tensor (metadata columns "layer" and
 * "position"): the layer slider, the focus token's path through the layers,
 * and its neighbours within one layer.
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

/* A whole number, or -1. */
static gint64
parse_index (const char *text)
{
  guint64 value;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT32, &value, NULL))
    return -1;
  return (gint64) value;
}

static gint64
layer_of (EsMetadata *metadata,
          guint       column,
          gsize       row)
{
  return parse_index (es_metadata_get_value (metadata, row, column));
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

void
_es_window_update_layers (EsWindow *self)
{
  EsEmbeddingSet *set = es_document_get_set (self->document);
  EsMetadata *metadata = set != NULL ? es_embedding_set_get_metadata (set) : NULL;
  gint64 max_layer = -1;

  self->layer_column = self->position_column = -1;
  if (metadata != NULL)
    {
      self->layer_column = es_metadata_find_column (metadata, "layer");
      self->position_column = es_metadata_find_column (metadata, "position");
    }
  if (self->layer_column < 0 || self->position_column < 0)
    self->layer_column = self->position_column = -1;
  for (gsize r = 0; self->layer_column >= 0 && r < es_metadata_get_n_rows (metadata); r++)
    {
      gint64 layer = parse_index (es_metadata_get_value (metadata, r, (guint) self->layer_column));

      /* Not whole numbers: no layers after all. */
      if (layer < 0)
        {
          self->layer_column = self->position_column = -1;
          max_layer = -1;
          break;
        }
      max_layer = MAX (max_layer, layer);
    }
  es_layer_bar_set_n_layers (self->layer_bar, (guint) (max_layer + 1));
  _es_window_update_neighbor_range (self);
}

typedef struct
{
  gint64  layer;
  guint32 row;
} PathPoint;

static int
compare_path_points (gconstpointer a,
                     gconstpointer b)
{
  const PathPoint *pa = a, *pb = b;

  return pa->layer < pb->layer ? -1 : pa->layer > pb->layer;
}

/* The focus token at every layer, in layer order. */
void
_es_window_update_path (EsWindow *self)
{
  EsEmbeddingSet *view = es_document_get_view_set (self->document);
  EsMetadata *metadata = view != NULL ? es_embedding_set_get_metadata (view) : NULL;
  gint64 focus = es_document_get_focus (self->document);
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (PathPoint));
  g_autofree guint32 *rows = NULL;
  const char *position;

  if (self->layer_column < 0 || metadata == NULL || focus < 0 ||
      (gsize) focus >= es_metadata_get_n_rows (metadata) ||
      (guint) MAX (self->layer_column, self->position_column) >= es_metadata_get_n_columns (metadata))
    {
      es_scatter_view_set_path (self->plot, NULL, 0);
      return;
    }
  position = es_metadata_get_value (metadata, (gsize) focus, (guint) self->position_column);
  for (gsize r = 0; r < es_metadata_get_n_rows (metadata) && r < es_embedding_set_get_rows (view); r++)
    if (g_strcmp0 (es_metadata_get_value (metadata, r, (guint) self->position_column), position) == 0)
      {
        PathPoint p = { parse_index (es_metadata_get_value (metadata, r, (guint) self->layer_column)), (guint32) r };

        g_array_append_val (points, p);
      }
  g_array_sort (points, compare_path_points);
  rows = g_new (guint32, MAX (points->len, 1));
  for (guint i = 0; i < points->len; i++)
    rows[i] = g_array_index (points, PathPoint, i).row;
  es_scatter_view_set_path (self->plot, rows, points->len);
}
