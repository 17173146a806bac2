/* es-point-index.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-point-index"

#include "config.h"

#include "es-point-index.h"

#include <math.h>

/* Cell side in pixels: about CELL_LOAD points per cell on average, so a
 * lookup reads a bounded number of points whatever N is.  Not below
 * CELL_MIN: smaller cells made the build (a scatter into the cells)
 * twice as slow at 1M points for no faster lookups.
 */
#define CELL_MAX  16.0
#define CELL_MIN  4.0
#define CELL_LOAD 4.0

struct _EsPointIndex
{
  EsScatterData *data;
  EsViewport     viewport;
  double         cell;
  int            cols;
  int            rows;
  guint32       *cell_start;   /* cols * rows + 1 prefix sums */
  guint32       *cell_rows;    /* point rows bucketed by cell */
  float         *cell_xy;      /* their positions, in the same order (no random reads) */
  float         *sx;           /* per row: projected position, NaN if off-surface */
  float         *sy;
  float         *depth;
};

/* floor (v / cell) as an int in [lo, hi]: clamped while still a double,
 * so a huge or NaN pointer coordinate never becomes an int out of range
 * (NaN gives @lo).
 */
static inline int
cell_clamp (double v,
            double cell,
            int    lo,
            int    hi)
{
  double c = floor (v / cell);

  if (!(c >= lo))
    return lo;
  if (c > hi)
    return hi;
  return (int) c;
}

static inline int
cell_of (const EsPointIndex *self,
         double              x,
         double              y)
{
  int cx, cy;

  /* NaN fails this too, before it is made an int. */
  if (!(x >= 0 && y >= 0 && x < (double) self->cols * self->cell && y < (double) self->rows * self->cell))
    return -1;
  cx = (int) (x / self->cell);
  cy = (int) (y / self->cell);
  if (cx >= self->cols || cy >= self->rows)
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
  n = es_scatter_data_get_n_points (data);
  xyz = es_scatter_data_get_xyz (data);

  self->sx = g_new (float, MAX (n, 1));
  self->sy = g_new (float, MAX (n, 1));
  self->depth = g_new (float, MAX (n, 1));

  /* Cells sized for all the points fitted on the surface (zoomed in,
   * fewer land there and cells are only emptier).
   */
  self->cell = CELL_MAX;
  if (n > 0)
    self->cell = CLAMP (sqrt ((double) viewport->width * viewport->height * CELL_LOAD / n),
                        CELL_MIN, CELL_MAX);
  self->cols = MAX ((int) ceil (viewport->width / self->cell), 1);
  self->rows = MAX ((int) ceil (viewport->height / self->cell), 1);
  n_cells = (gsize) self->cols * self->rows;
  self->cell_start = g_new0 (guint32, n_cells + 1);

  es_viewport_get_transform (viewport, &t);
  /* Counting sort into cells: one pass to project and count, one to fill. */
  for (gsize i = 0; i < n; i++)
    {
      double sx, sy, d;
      int c = -1;

      if (!isnan (xyz[3 * i]) &&
          es_view_transform_project (&t, xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2], &sx, &sy, &d) &&
          sx >= 0 && sy >= 0 && sx < viewport->width && sy < viewport->height)
        c = cell_of (self, (float) sx, (float) sy);
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
  self->cell_xy = g_new (float, 2 * MAX (self->cell_start[n_cells], 1));
  fill = g_memdup2 (self->cell_start, sizeof (guint32) * (n_cells + 1));
  for (gsize i = 0; i < n; i++)
    {
      int c;
      guint32 k;

      if (isnan (self->sx[i]))
        continue;
      c = cell_of (self, self->sx[i], self->sy[i]);
      k = fill[c]++;
      self->cell_rows[k] = (guint32) i;
      self->cell_xy[2 * k] = self->sx[i];
      self->cell_xy[2 * k + 1] = self->sy[i];
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
  g_free (self->cell_xy);
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

/* The points of one cell against the best so far. */
static inline void
scan_cell (const EsPointIndex *self,
           int                 cell,
           double              x,
           double              y,
           double              r2,
           gint64             *best,
           double             *best_d2,
           double             *best_depth)
{
  for (guint32 k = self->cell_start[cell]; k < self->cell_start[cell + 1]; k++)
    {
      double dx = self->cell_xy[2 * k] - x;
      double dy = self->cell_xy[2 * k + 1] - y;
      double d2 = dx * dx + dy * dy;
      guint32 row;

      if (d2 > r2)
        continue;
      row = self->cell_rows[k];
      /* In 3D a point in front wins over one behind it; otherwise
       * the nearest, then the higher ranked.
       */
      if (self->viewport.three_d)
        {
          if (self->depth[row] < *best_depth ||
              (self->depth[row] == *best_depth && d2 < *best_d2))
            {
              *best = row;
              *best_d2 = d2;
              *best_depth = self->depth[row];
            }
        }
      else if (d2 < *best_d2 || (d2 == *best_d2 && (*best < 0 || row < *best)))
        {
          *best = row;
          *best_d2 = d2;
        }
    }
}

gint64
es_point_index_lookup (const EsPointIndex *self,
                       double              x,
                       double              y,
                       double              radius)
{
  gint64 best = -1;
  double r2 = radius * radius;
  double best_d2 = r2;
  double best_depth = INFINITY;
  int pc, pr, c0, c1, r0, r1;

  g_return_val_if_fail (self != NULL, -1);

  if (!(radius >= 0) || isnan (x) || isnan (y))
    return -1;
  /* Entirely off the grid: nothing (the clamps below would pick an edge). */
  if (!(x + radius >= 0 && y + radius >= 0 &&
        x - radius < (double) self->cols * self->cell && y - radius < (double) self->rows * self->cell))
    return -1;
  c0 = cell_clamp (x - radius, self->cell, 0, self->cols - 1);
  c1 = cell_clamp (x + radius, self->cell, 0, self->cols - 1);
  r0 = cell_clamp (y - radius, self->cell, 0, self->rows - 1);
  r1 = cell_clamp (y + radius, self->cell, 0, self->rows - 1);
  if (c0 > c1 || r0 > r1)
    return -1;

  /* 3D: the front-most point anywhere in the radius, so read them all. */
  if (self->viewport.three_d)
    {
      for (int r = r0; r <= r1; r++)
        for (int c = c0; c <= c1; c++)
          scan_cell (self, r * self->cols + c, x, y, r2, &best, &best_d2, &best_depth);
      return best;
    }

  /* 2D: rings of cells around the pointer's, stopping once nothing
   * further out can be nearer than the best so far (a point k+1 rings
   * out is more than k cells away), so a lookup reads a few cells
   * whatever the radius and N.
   */
  pc = cell_clamp (x, self->cell, -1, self->cols);
  pr = cell_clamp (y, self->cell, -1, self->rows);
  for (int k = 0; ; k++)
    {
      /* Nearer than any point left can be, minus float slack. */
      double reach = (k - 0.001) * self->cell;

      for (int r = MAX (pr - k, r0); r <= MIN (pr + k, r1); r++)
        {
          gboolean edge = r == pr - k || r == pr + k;
          int step = edge ? 1 : 2 * k;

          for (int c = pc - k; c <= pc + k; c += MAX (step, 1))
            if (c >= c0 && c <= c1)
              scan_cell (self, r * self->cols + c, x, y, r2, &best, &best_d2, &best_depth);
        }
      if (reach > 0 && (reach * reach > best_d2 || reach > radius))
        break;
      if (pc - k <= c0 && pc + k >= c1 && pr - k <= r0 && pr + k >= r1)
        break;
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
  int c0, c1, r0, r1;

  /* NaN corners select nothing; huge ones are clamped before any int. */
  if (isnan (x0) || isnan (y0) || isnan (x1) || isnan (y1) ||
      !(hx >= 0 && hy >= 0 && lx < (double) self->cols * self->cell &&
        ly < (double) self->rows * self->cell))
    return result;
  c0 = cell_clamp (lx, self->cell, 0, self->cols - 1);
  c1 = cell_clamp (hx, self->cell, 0, self->cols - 1);
  r0 = cell_clamp (ly, self->cell, 0, self->rows - 1);
  r1 = cell_clamp (hy, self->cell, 0, self->rows - 1);

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

/* Even-odd rule: a ray to the right crosses the outline an odd number of
 * times from inside, so a figure-eight lasso selects what looks filled.
 */
static gboolean
inside_polygon (const double *xy,
                gsize         n,
                double        x,
                double        y)
{
  gboolean inside = FALSE;

  for (gsize i = 0, j = n - 1; i < n; j = i++)
    {
      double xi = xy[2 * i], yi = xy[2 * i + 1];
      double xj = xy[2 * j], yj = xy[2 * j + 1];

      if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
        inside = !inside;
    }

  return inside;
}

GArray *
es_point_index_query_polygon (const EsPointIndex *self,
                              const double       *xy,
                              gsize               n_vertices)
{
  double lx = G_MAXDOUBLE, ly = G_MAXDOUBLE, hx = -G_MAXDOUBLE, hy = -G_MAXDOUBLE;
  GArray *result;
  guint kept = 0;

  if (n_vertices < 3)
    return g_array_new (FALSE, FALSE, sizeof (guint32));
  for (gsize i = 0; i < n_vertices; i++)
    {
      lx = MIN (lx, xy[2 * i]);
      hx = MAX (hx, xy[2 * i]);
      ly = MIN (ly, xy[2 * i + 1]);
      hy = MAX (hy, xy[2 * i + 1]);
    }
  /* The bounding box through the grid, then the outline on what it found. */
  result = es_point_index_query_rect (self, lx, ly, hx, hy);
  for (guint i = 0; i < result->len; i++)
    {
      guint32 row = g_array_index (result, guint32, i);

      if (inside_polygon (xy, n_vertices, self->sx[row], self->sy[row]))
        g_array_index (result, guint32, kept++) = row;
    }
  g_array_set_size (result, kept);

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
