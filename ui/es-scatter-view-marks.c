/* es-scatter-view-marks.c: the rows the plot marks
 *
 * Highlighted neighbours (and their closeness), pinned words, search hits,
 * a token's path across layers, the selection, compare arrows and the
 * analogy: each a list of rows the renderer draws over the points.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-scatter-view"

#include "config.h"

#include "es-scatter-view-private.h"

#include <string.h>

static void
set_rows (GArray        *array,
          const guint32 *rows,
          gsize          n_rows)
{
  g_array_set_size (array, 0);
  if (n_rows > 0)
    g_array_append_vals (array, rows, (guint) n_rows);
}

void
es_scatter_view_set_highlighted (EsScatterView *self,
                                 const guint32 *rows,
                                 gsize          n_rows)
{
  g_return_if_fail (ES_IS_SCATTER_VIEW (self));
  g_return_if_fail (rows != NULL || n_rows == 0);

  set_rows (self->highlighted, rows, n_rows);
  g_array_set_size (self->closeness, 0);
  _es_scatter_view_invalidate (self);
}

void
es_scatter_view_set_closeness (EsScatterView *self,
                               const float   *closeness,
                               gsize          n_rows)
{
  g_return_if_fail (ES_IS_SCATTER_VIEW (self));
  g_return_if_fail (closeness != NULL || n_rows == 0);

  g_array_set_size (self->closeness, 0);
  if (n_rows > 0)
    g_array_append_vals (self->closeness, closeness, (guint) n_rows);
  _es_scatter_view_invalidate (self);
}

void
es_scatter_view_set_pinned (EsScatterView *self,
                            const guint32 *rows,
                            gsize          n_rows)
{
  g_return_if_fail (ES_IS_SCATTER_VIEW (self));
  g_return_if_fail (rows != NULL || n_rows == 0);

  set_rows (self->pinned, rows, n_rows);
  _es_scatter_view_invalidate (self);
}

const guint32 *
es_scatter_view_get_pinned (EsScatterView *self,
                            gsize         *n_rows)
{
  g_return_val_if_fail (ES_IS_SCATTER_VIEW (self), NULL);

  if (n_rows != NULL)
    *n_rows = self->pinned->len;
  return (const guint32 *) (gpointer) self->pinned->data;
}

gboolean
es_scatter_view_is_pinned (EsScatterView *self,
                           gsize          row)
{
  g_return_val_if_fail (ES_IS_SCATTER_VIEW (self), FALSE);

  for (guint i = 0; i < self->pinned->len; i++)
    if (g_array_index (self->pinned, guint32, i) == row)
      return TRUE;

  return FALSE;
}

void
es_scatter_view_set_search_hits (EsScatterView *self,
                                 const guint32 *rows,
                                 gsize          n_rows)
{
  g_return_if_fail (ES_IS_SCATTER_VIEW (self));
  g_return_if_fail (rows != NULL || n_rows == 0);

  set_rows (self->search_hits, rows, n_rows);
  _es_scatter_view_invalidate (self);
}

void
es_scatter_view_set_path (EsScatterView *self,
                          const guint32 *rows,
                          gsize          n_rows)
{
  g_return_if_fail (ES_IS_SCATTER_VIEW (self));
  g_return_if_fail (rows != NULL || n_rows == 0);

  set_rows (self->path, rows, n_rows);
  _es_scatter_view_invalidate (self);
}

const guint32 *
es_scatter_view_get_path (EsScatterView *self,
                          gsize         *n_rows)
{
  g_return_val_if_fail (ES_IS_SCATTER_VIEW (self), NULL);

  if (n_rows != NULL)
    *n_rows = self->path->len;
  return (const guint32 *) (gpointer) self->path->data;
}

void
es_scatter_view_set_selection (EsScatterView *self,
                               const guint32 *rows,
                               gsize          n_rows)
{
  g_return_if_fail (ES_IS_SCATTER_VIEW (self));
  g_return_if_fail (rows != NULL || n_rows == 0);

  set_rows (self->selection, rows, n_rows);
  _es_scatter_view_invalidate (self);
}

void
es_scatter_view_set_links (EsScatterView *self,
                           const guint32 *pairs,
                           gsize          n_links)
{
  g_return_if_fail (ES_IS_SCATTER_VIEW (self));
  g_return_if_fail (pairs != NULL || n_links == 0);
  g_return_if_fail (n_links <= G_MAXUINT / 2);

  set_rows (self->links, pairs, 2 * n_links);
  _es_scatter_view_invalidate (self);
}

void
es_scatter_view_set_analogy (EsScatterView *self,
                             gint64         a,
                             gint64         b,
                             gint64         c,
                             gint64         result)
{
  g_return_if_fail (ES_IS_SCATTER_VIEW (self));

  self->analogy[0] = a;
  self->analogy[1] = b;
  self->analogy[2] = c;
  self->analogy[3] = result;
  _es_scatter_view_invalidate (self);
}
