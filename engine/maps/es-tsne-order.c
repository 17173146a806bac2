/* es-tsne-order.c: the points renumbered in map order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The optimisation's inner loops read a point's neighbours' coordinates
 * (the attraction) and the interpolation grid's nodes around each point
 * (the FFT repulsion's spreading and gathering).  In the rows' own order
 * both are random accesses; numbered by where the points lie in the map,
 * a point's neighbours in P (near it in the map once it has formed) and
 * its grid nodes are near those of the points before it, in cache.  The
 * renumbering is a function of the coordinates alone, so the run stays
 * reproducible.
 */

#define G_LOG_DOMAIN "es-tsne"

#include "config.h"

#include "es-tsne-private.h"

#include "es-memory.h"

#include <math.h>
#include <string.h>

/* Cells per side of the bounding square the points are binned in: fine
 * enough that a cell column holds a few hundred points at 30k.
 */
#define ORDER_CELLS 256

/* Column by column along the first axis, each column in the direction
 * the previous one ended (a snake): consecutive points stay adjacent
 * across a column change.  Counting sort on the cell: stable, so ties keep
 * their current order.
 */
gboolean
_es_tsne_map_order (const float *y,
                    gsize        n,
                    guint        dims,
                    gsize       *order,
                    GError     **error)
{
  g_autofree guint32 *cell = NULL;
  g_autofree gsize *start = NULL;
  float lo[2] = { INFINITY, INFINITY }, hi[2] = { -INFINITY, -INFINITY };
  float scale[2];

  if (!(cell = es_memory_try_alloc (MAX (n, 1), sizeof (guint32), "t-SNE order", error)) ||
      !(start = es_memory_try_alloc0 (ORDER_CELLS * ORDER_CELLS + 1, sizeof (gsize), "t-SNE order", error)))
    return FALSE;
  for (gsize i = 0; i < n; i++)
    for (guint d = 0; d < 2; d++)
      {
        lo[d] = MIN (lo[d], y[i * dims + d]);
        hi[d] = MAX (hi[d], y[i * dims + d]);
      }
  for (guint d = 0; d < 2; d++)
    scale[d] = hi[d] > lo[d] ? ORDER_CELLS / (hi[d] - lo[d]) : 0;
  for (gsize i = 0; i < n; i++)
    {
      guint cx = (guint) MIN ((y[i * dims] - lo[0]) * scale[0], ORDER_CELLS - 1.0f);
      guint cy = (guint) MIN ((y[i * dims + 1] - lo[1]) * scale[1], ORDER_CELLS - 1.0f);

      if (cx % 2 == 1)
        cy = ORDER_CELLS - 1 - cy;
      cell[i] = cx * ORDER_CELLS + cy;
      start[cell[i] + 1]++;
    }
  for (guint c = 0; c < ORDER_CELLS * ORDER_CELLS; c++)
    start[c + 1] += start[c];
  for (gsize i = 0; i < n; i++)
    order[start[cell[i]]++] = i;
  return TRUE;
}

/* P renumbered: new point i is old point order[i].  Columns are relabelled
 * in place, rows only looked up through row_of.
 */
gboolean
_es_tsne_affinities_permute (EsTsneAffinities *p,
                             const gsize      *order,
                             GError          **error)
{
  gsize n = p->n, nnz = p->row_ptr[n];
  g_autofree gint32 *inv = NULL;
  g_autofree gsize *row_of = NULL;

  if (!(inv = es_memory_try_alloc (MAX (n, 1), sizeof (gint32), "t-SNE order", error)) ||
      !(row_of = es_memory_try_alloc (MAX (n, 1), sizeof (gsize), "t-SNE order", error)))
    return FALSE;
  for (gsize i = 0; i < n; i++)
    {
      inv[order[i]] = (gint32) i;
      row_of[i] = p->row_of != NULL ? p->row_of[order[i]] : order[i];
    }
  for (gsize e = 0; e < nnz; e++)
    p->cols[e] = inv[p->cols[e]];
  g_free (p->row_of);
  p->row_of = g_steal_pointer (&row_of);
  return TRUE;
}

/* Rows of @width floats put in @order, through @tmp (n × width). */
void
_es_tsne_permute_rows (float       *x,
                       gsize        n,
                       guint        width,
                       const gsize *order,
                       float       *tmp)
{
  for (gsize i = 0; i < n; i++)
    memcpy (tmp + i * width, x + order[i] * width, width * sizeof (float));
  memcpy (x, tmp, n * width * sizeof (float));
}
