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

/* Everything a renumbering needs, allocated once for the run, so that it
 * cannot fail half-way (and an out-of-memory shows before the run).
 */
struct _EsTsneOrder
{
  gsize    n;
  gsize    nnz;
  gsize   *order;     /* n: the point to become point i */
  gsize   *index;     /* n + 1: cells' starts, then P's new row starts */
  gint32  *inv;       /* n: the new number of old point i */
  guint32 *cell;      /* n */
  float   *rows;      /* n × 3: rows of a float array in new order */
  gint32  *scratch;   /* nnz: one of P's arrays in new order */
};

EsTsneOrder *
_es_tsne_order_new (gsize    n,
                    gsize    nnz,
                    GError **error)
{
  g_autoptr(EsTsneOrder) self = g_new0 (EsTsneOrder, 1);
  gsize cells = ORDER_CELLS * ORDER_CELLS;

  self->n = n;
  self->nnz = nnz;
  if (!(self->order = es_memory_try_alloc (MAX (n, 1), sizeof (gsize), "t-SNE order", error)) ||
      !(self->index = es_memory_try_alloc (MAX (n, cells) + 1, sizeof (gsize), "t-SNE order", error)) ||
      !(self->inv = es_memory_try_alloc (MAX (n, 1), sizeof (gint32), "t-SNE order", error)) ||
      !(self->cell = es_memory_try_alloc (MAX (n, 1), sizeof (guint32), "t-SNE order", error)) ||
      !(self->rows = es_memory_try_alloc (MAX (n, 1), 3 * sizeof (float), "t-SNE order", error)) ||
      !(self->scratch = es_memory_try_alloc (MAX (nnz, 1), sizeof (gint32), "t-SNE order", error)))
    return NULL;
  return g_steal_pointer (&self);
}

void
_es_tsne_order_free (EsTsneOrder *self)
{
  if (self == NULL)
    return;
  g_free (self->order);
  g_free (self->index);
  g_free (self->inv);
  g_free (self->cell);
  g_free (self->rows);
  g_free (self->scratch);
  g_free (self);
}

gsize *
_es_tsne_order_get (EsTsneOrder *self)
{
  return self->order;
}

/* Column by column along the first axis, each column in the direction
 * the previous one ended (a snake): consecutive points stay adjacent
 * across a column change.  Counting sort on the cell: stable, so ties keep
 * their current order.
 */
void
_es_tsne_order_compute (EsTsneOrder *self,
                        const float *y,
                        guint        dims)
{
  gsize n = self->n, *start = self->index;
  float lo[2] = { INFINITY, INFINITY }, hi[2] = { -INFINITY, -INFINITY };
  float scale[2];

  for (gsize i = 0; i < n; i++)
    for (guint d = 0; d < 2; d++)
      {
        lo[d] = MIN (lo[d], y[i * dims + d]);
        hi[d] = MAX (hi[d], y[i * dims + d]);
      }
  for (guint d = 0; d < 2; d++)
    scale[d] = hi[d] > lo[d] ? ORDER_CELLS / (hi[d] - lo[d]) : 0;
  memset (start, 0, (ORDER_CELLS * ORDER_CELLS + 1) * sizeof (gsize));
  for (gsize i = 0; i < n; i++)
    {
      guint cx = (guint) MIN ((y[i * dims] - lo[0]) * scale[0], ORDER_CELLS - 1.0f);
      guint cy = (guint) MIN ((y[i * dims + 1] - lo[1]) * scale[1], ORDER_CELLS - 1.0f);

      if (cx % 2 == 1)
        cy = ORDER_CELLS - 1 - cy;
      self->cell[i] = cx * ORDER_CELLS + cy;
      start[self->cell[i] + 1]++;
    }
  for (guint c = 0; c < ORDER_CELLS * ORDER_CELLS; c++)
    start[c + 1] += start[c];
  for (gsize i = 0; i < n; i++)
    self->order[start[self->cell[i]]++] = i;
}

/* P renumbered: new point i is old point order[i], its row moved to place
 * i (rows left in place and looked up through an index cost four times as
 * much: a TLB miss and a cold prefetcher per row).  The columns go to the
 * scratch array, then the values to the columns' old array, which the
 * scratch replaces: one extra array of nnz, not a copy of P.
 */
void
_es_tsne_order_permute_affinities (EsTsneOrder      *self,
                                   EsTsneAffinities *p)
{
  gsize n = self->n, *ptr = self->index;
  gint32 *cols = self->scratch;
  float *vals = (float *) p->cols;

  g_return_if_fail (p->n == n && p->row_ptr[n] == self->nnz);

  ptr[0] = 0;
  for (gsize i = 0; i < n; i++)
    {
      gsize old = self->order[i];

      self->inv[old] = (gint32) i;
      ptr[i + 1] = ptr[i] + (p->row_ptr[old + 1] - p->row_ptr[old]);
    }
  for (gsize i = 0; i < n; i++)
    {
      const gint32 *from = p->cols + p->row_ptr[self->order[i]];

      for (gsize e = ptr[i]; e < ptr[i + 1]; e++)
        cols[e] = self->inv[*from++];
    }
  for (gsize i = 0; i < n; i++)
    memcpy (vals + ptr[i], p->vals + p->row_ptr[self->order[i]], (ptr[i + 1] - ptr[i]) * sizeof (float));
  memcpy (p->row_ptr, ptr, (n + 1) * sizeof (gsize));
  self->scratch = (gint32 *) p->vals;
  p->vals = vals;
  p->cols = cols;
}

/* Rows of @width (at most 3) floats put in the new order. */
void
_es_tsne_order_permute_rows (EsTsneOrder *self,
                             float       *x,
                             guint        width)
{
  g_return_if_fail (width <= 3);

  for (gsize i = 0; i < self->n; i++)
    memcpy (self->rows + i * width, x + self->order[i] * width, width * sizeof (float));
  memcpy (x, self->rows, self->n * width * sizeof (float));
}

void
_es_tsne_order_permute_indices (EsTsneOrder *self,
                                gsize       *x)
{
  gsize *tmp = self->index;

  for (gsize i = 0; i < self->n; i++)
    tmp[i] = x[self->order[i]];
  memcpy (x, tmp, self->n * sizeof (gsize));
}
