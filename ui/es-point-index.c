/* es-point-index.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-point-index"

#include "config.h"

#include "es-point-index.h"

#include <math.h>

#define CELL 16.0

struct _EsPointIndex
{
  EsScatterData *data;
  EsViewport     viewport;
  int            cols;
  int            rows;
  guint32       *cell_start;   /* cols * rows + 1 prefix sums */
  guint32       *cell_rows;    /* point rows bucketed by cell */
  float         *sx;           /* per row: projected position, NaN if off-surface */
  float         *sy;
  float         *depth;
};

static inline int
cell_of (const EsPointIndex *self,
         double              x,
         double              y)
{
  int cx = (int) (x / CELL);
  int cy = (int) (y / CELL);

  if (x < 0 || y < 0 || cx >= self->cols || cy >= self->rows)
    return -1;
  return cy * self->cols + cx;
}

EsPointIndex *
es_point_index_new (EsScatterData    *data,
                    const EsViewport *viewport)
{
  EsPointIndex *self;
  EsViewTransform t;
  gsize n;
  gsize n_cells;
  const float *xyz;
  g_autofree guint32 *fill = NULL;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (viewport != NULL, NULL);

  self = g_new0 (EsPointIndex, 1);
  self->data = es_scatter_data_ref (data);
  self->viewport = *viewport;
  self->cols = (int) ceil (viewport->width / CELL);
  self->rows = (int) ceil (viewport->height / CELL);
  n_cells = (gsize) self->cols * self->rows;
  n = es_scatter_data_get_n_points (data);
  xyz = es_scatter_data_get_xyz (data);

  self->sx = g_new (float, MAX (n, 1));
  self->sy = g_new (float, MAX (n, 1));
  self->depth = g_new (float, MAX (n, 1));
  self->cell_start = g_new0 (guint32, n_cells + 1);

  es_viewport_get_transform (viewport, &t);
  /* Counting sort into cells: one pass to count, one to fill. */
  for (gsize i = 0; i < n; i++)
    {
      double sx, sy, d;
      int c = -1;

      if (!isnan (xyz[3 * i]) &&
          es_view_transform_project (&t, xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2], &sx, &sy, &d))
        c = cell_of (self, sx, sy);
      if (c < 0)
        {
          self->sx[i] = self->sy[i] = NAN;
          continue;
        }
      self->sx[i] = (float) sx;
      self->sy[i] = (float) sy;
      self->depth[i] = (float) d;
      self->cell_start[c + 1]++;
    }
  for (gsize c = 0; c < n_cells; c++)
    self->cell_start[c + 1] += self->cell_start[c];

  self->cell_rows = g_new (guint32, MAX (self->cell_start[n_cells], 1));
  fill = g_memdup2 (self->cell_start, sizeof (guint32) * (n_cells + 1));
  for (gsize i = 0; i < n; i++)
    {
      int c;

      if (isnan (self->sx[i]))
        continue;
      c = cell_of (self, self->sx[i], self->sy[i]);
      self->cell_rows[fill[c]++] = (guint32) i;
    }

  return self;
}

void
es_point_index_free (EsPointIndex *self)
{
  if (self == NULL)
    return;

  es_scatter_data_unref (self->data);
  g_free (self->cell_start);
  g_free (self->cell_rows);
  g_free (self->sx);
  g_free (self->sy);
  g_free (self->depth);
  g_free (self);
}

gboolean
es_point_index_matches (const EsPointIndex *self,
                        EsScatterData      *data,
                        const EsViewport   *viewport)
{
  return self != NULL && self->data == data && es_viewport_equal (&self->viewport, viewport);
}

gint64
es_point_index_lookup (const EsPointIndex *self,
                       double              x,
                       double              y,
                       double              radius)
{
  int c0 = (int) floor ((x - radius) / CELL);
  int c1 = (int) floor ((x + radius) / CELL);
  int r0 = (int) floor ((y - radius) / CELL);
  int r1 = (int) floor ((y + radius) / CELL);
  gint64 best = -1;
  double best_d2 = radius * radius;
  double best_depth = INFINITY;

  g_return_val_if_fail (self != NULL, -1);

  c0 = MAX (c0, 0);
  r0 = MAX (r0, 0);
  c1 = MIN (c1, self->cols - 1);
  r1 = MIN (r1, self->rows - 1);

  for (int r = r0; r <= r1; r++)
    for (int c = c0; c <= c1; c++)
      {
        int cell = r * self->cols + c;

        for (guint32 k = self->cell_start[cell]; k < self->cell_start[cell + 1]; k++)
          {
            guint32 row = self->cell_rows[k];
            double dx = self->sx[row] - x;
            double dy = self->sy[row] - y;
            double d2 = dx * dx + dy * dy;

            if (d2 > radius * radius)
              continue;
            /* In 3D a point in front wins over one behind it; otherwise
             * the nearest, then the higher ranked.
             */
            if (self->viewport.three_d)
              {
                if (self->depth[row] < best_depth ||
                    (self->depth[row] == best_depth && d2 < best_d2))
                  {
                    best = row;
                    best_d2 = d2;
                    best_depth = self->depth[row];
                  }
              }
            else if (d2 < best_d2 || (d2 == best_d2 && (best < 0 || row < best)))
              {
                best = row;
                best_d2 = d2;
              }
          }
      }

  return best;
}

static int
compare_guint32 (gconstpointer a,
                 gconstpointer b)
{
  guint32 x = *(const guint32 *) a;
  guint32 y = *(const guint32 *) b;

  return x < y ? -1 : x > y;
}

GArray *
es_point_index_query_rect (const EsPointIndex *self,
                           double              x0,
                           double              y0,
                           double              x1,
                           double              y1)
{
  GArray *result = g_array_new (FALSE, FALSE, sizeof (guint32));
  double lx = MIN (x0, x1), hx = MAX (x0, x1);
  double ly = MIN (y0, y1), hy = MAX (y0, y1);
  int c0 = MAX ((int) floor (lx / CELL), 0);
  int c1 = MIN ((int) floor (hx / CELL), self->cols - 1);
  int r0 = MAX ((int) floor (ly / CELL), 0);
  int r1 = MIN ((int) floor (hy / CELL), self->rows - 1);

  for (int r = r0; r <= r1; r++)
    for (int c = c0; c <= c1; c++)
      {
        int cell = r * self->cols + c;

        for (guint32 k = self->cell_start[cell]; k < self->cell_start[cell + 1]; k++)
          {
            guint32 row = self->cell_rows[k];

            if (self->sx[row] >= lx && self->sx[row] <= hx &&
                self->sy[row] >= ly && self->sy[row] <= hy)
              g_array_append_val (result, row);
          }
      }
  g_array_sort (result, compare_guint32);

  return result;
}

gboolean
es_point_index_get_position (const EsPointIndex *self,
                             gsize               row,
                             double             *x,
                             double             *y)
{
  g_return_val_if_fail (row < es_scatter_data_get_n_points (self->data), FALSE);

  if (isnan (self->sx[row]))
    return FALSE;
  *x = self->sx[row];
  *y = self->sy[row];
  return TRUE;
}
