/* es-rank-grid.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-rank-grid"

#include "config.h"

#include "es-rank-grid-private.h"

#include <math.h>

#define GRID 64

typedef struct
{
  guint32 row;   /* the cell's next row by rank */
  guint32 pos;   /* its index in cell_rows */
  guint32 end;
} Cursor;

struct _EsRankGrid
{
  EsScatterData *data;
  double         lo[2];
  double         cell[2];          /* cell size per axis */
  guint32        start[GRID * GRID + 1];
  guint32       *cell_rows;        /* by cell, then by rank */
  gsize          n_rows;
  Cursor        *heap;             /* the walk: a min-heap on row */
  guint          heap_len;
};

static int
cell_index (const EsRankGrid *self,
            double            v,
            guint             axis)
{
  return CLAMP ((int) floor ((v - self->lo[axis]) / self->cell[axis]), 0, GRID - 1);
}

EsRankGrid *
es_rank_grid_new (EsScatterData *data)
{
  EsRankGrid *self;
  const float *xyz;
  gsize n;
  double lo[3], hi[3];
  g_autofree guint16 *cell_of = NULL;
  g_autofree guint32 *fill = NULL;

  g_return_val_if_fail (data != NULL, NULL);

  self = g_new0 (EsRankGrid, 1);
  self->data = es_scatter_data_ref (data);
  n = es_scatter_data_get_n_points (data);
  xyz = es_scatter_data_get_xyz (data);
  es_scatter_data_get_bounds (data, lo, hi);
  for (guint a = 0; a < 2; a++)
    {
      self->lo[a] = isfinite (lo[a]) ? lo[a] : 0;
      if (isfinite (hi[a]) && hi[a] > self->lo[a])
        self->cell[a] = (hi[a] - self->lo[a]) / GRID;
      else
        self->cell[a] = 1.0 / GRID;
    }

  /* A counting sort by cell: rows go in ascending, so each cell keeps
   * rank order.  Masked rows (NaN) are left out.
   */
  cell_of = g_new (guint16, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    {
      const float *p = xyz + 3 * i;

      if (isnan (p[0]) || isnan (p[1]))
        {
          cell_of[i] = G_MAXUINT16;
          continue;
        }
      cell_of[i] = (guint16) (cell_index (self, p[1], 1) * GRID + cell_index (self, p[0], 0));
      self->start[cell_of[i] + 1]++;
      self->n_rows++;
    }
  for (guint c = 0; c < GRID * GRID; c++)
    self->start[c + 1] += self->start[c];
  fill = g_memdup2 (self->start, sizeof self->start);
  self->cell_rows = g_new (guint32, MAX (self->n_rows, 1));
  for (gsize i = 0; i < n; i++)
    if (cell_of[i] != G_MAXUINT16)
      self->cell_rows[fill[cell_of[i]]++] = (guint32) i;
  self->heap = g_new (Cursor, GRID * GRID);

  return self;
}

void
es_rank_grid_free (EsRankGrid *self)
{
  if (self == NULL)
    return;

  es_scatter_data_unref (self->data);
  g_free (self->cell_rows);
  g_free (self->heap);
  g_free (self);
}

EsScatterData *
es_rank_grid_get_data (EsRankGrid *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->data;
}

static void
sift_down (Cursor *heap,
           guint   len,
           guint   i)
{
  Cursor item = heap[i];

  for (;;)
    {
      guint child = 2 * i + 1;

      if (child >= len)
        break;
      if (child + 1 < len && heap[child + 1].row < heap[child].row)
        child++;
      if (heap[child].row >= item.row)
        break;
      heap[i] = heap[child];
      i = child;
    }
  heap[i] = item;
}

gboolean
es_rank_grid_begin (EsRankGrid *self,
                    double      x0,
                    double      y0,
                    double      x1,
                    double      y1,
                    double      max_fraction)
{
  int c0, c1, r0, r1;
  gsize inside = 0;

  g_return_val_if_fail (self != NULL, FALSE);

  self->heap_len = 0;
  if (!(x1 >= x0 && y1 >= y0))
    return TRUE;
  c0 = cell_index (self, x0, 0);
  c1 = cell_index (self, x1, 0);
  r0 = cell_index (self, y0, 1);
  r1 = cell_index (self, y1, 1);
  for (int r = r0; r <= r1; r++)
    inside += self->start[r * GRID + c1 + 1] - self->start[r * GRID + c0];
  if (inside > max_fraction * self->n_rows)
    return FALSE;

  for (int r = r0; r <= r1; r++)
    for (int c = c0; c <= c1; c++)
      {
        guint32 s = self->start[r * GRID + c], e = self->start[r * GRID + c + 1];

        if (s < e)
          self->heap[self->heap_len++] = (Cursor) { self->cell_rows[s], s, e };
      }
  for (guint i = self->heap_len / 2; i > 0; i--)
    sift_down (self->heap, self->heap_len, i - 1);

  return TRUE;
}

gboolean
es_rank_grid_next (EsRankGrid *self,
                   gsize      *row)
{
  Cursor *top;

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->heap_len == 0)
    return FALSE;
  top = &self->heap[0];
  *row = top->row;
  if (++top->pos < top->end)
    top->row = self->cell_rows[top->pos];
  else
    *top = self->heap[--self->heap_len];
  sift_down (self->heap, self->heap_len, 0);

  return TRUE;
}
