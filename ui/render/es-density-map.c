/* es-density-map.c: a kernel density estimate of the shown points on the
 * screen grid
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-density-map"

#include "config.h"

#include "es-density-map-private.h"

#include <math.h>
#include <string.h>

/* The estimate, in screen pixels (what is shown, at any zoom, in 2D or a
 * 3D perspective alike):
 *
 * - Bandwidth by Scott's rule with Silverman's robust spread, per axis:
 *   h = n^(-1/6) * min (sd, IQR / 1.349), n the points on the surface
 *   (in two dimensions Scott's n^(-1/(d+4)) and Silverman's
 *   (4 / (d + 2))^(1/(d+4)) n^(-1/(d+4)) are the same factor; the IQR
 *   keeps a map of separate clusters from being smoothed into one blob).
 *   Kept within [1 px + 0.5 % of the short side, 25 % of it] and within
 *   10:1 of each other.
 * - Linear binning onto a grid of nodes h / 2.5 apart (each point's
 *   weight shared by its four nodes, Wand & Jones 1995, ch. 3), the
 *   grid reaching 4 h beyond the surface so that points just off it
 *   still count at the edges, then a separable Gaussian blur truncated
 *   at 4 h (the kernel's weights renormalised, so mass is kept).  O(N)
 *   for the binning plus O(grid) for the rest: at most 2^20 nodes.
 * - Contour levels as highest-density regions (Hyndman 1996) estimated
 *   from the points: the level for a share p is the density that the
 *   share p of the points exceed, so the p = 0.5 line encloses the
 *   densest half of the points (the density at each point read from the
 *   grid; a sample of 65536 points when there are more).
 */

#define MAX_NODES (1 << 20)

void
_es_density_grid_init (EsDensityGrid *self)
{
  memset (self, 0, sizeof *self);
}

void
_es_density_grid_clear (EsDensityGrid *self)
{
  g_free (self->f);
  g_free (self->tmp);
  g_free (self->above);
  g_free (self->xy);
  g_free (self->hist);
  memset (self, 0, sizeof *self);
}

/* Where the points are: surface position (ax * p[0] + bx, ay * p[1] + by)
 * of each @stride floats; so 2D data needs no projected copy.
 */
typedef struct
{
  const float *p;
  gsize        n;
  guint        stride;
  double       ax, bx, ay, by;
} Points;

static inline void
point_at (const Points *pts,
          gsize         k,
          double       *x,
          double       *y)
{
  const float *p = pts->p + k * pts->stride;

  *x = pts->ax * p[0] + pts->bx;
  *y = pts->ay * p[1] + pts->by;
}

/* The q-quantile of @n counts in @hist, to a pixel. */
static double
hist_quantile (const guint32 *hist,
               int            len,
               gsize          n,
               double         q)
{
  double want = q * n;
  gsize cum = 0;

  for (int k = 0; k < len; k++)
    {
      cum += hist[k];
      if (cum >= want)
        return k + 0.5;
    }
  return len - 0.5;
}

static double
robust_spread (double         sum,
               double         sum2,
               const guint32 *hist,
               int            len,
               gsize          n)
{
  double mean = sum / n;
  double sd = sqrt (MAX (sum2 / n - mean * mean, 0.0) * n / MAX (n - 1, 1));
  double iqr = hist_quantile (hist, len, n, 0.75) - hist_quantile (hist, len, n, 0.25);

  return iqr > 0 ? MIN (sd, iqr / 1.349) : sd;
}

/* One pass of the separable blur along rows (@step 1) or columns. */
static void
blur_rows (const float *in,
           float       *out,
           int          nx,
           int          ny,
           const float *w,
           int          r)
{
  for (int j = 0; j < ny; j++)
    {
      const float *src = in + (gsize) j * nx;
      float *dst = out + (gsize) j * nx;

      for (int i = 0; i < nx; i++)
        {
          int lo = MAX (-r, -i), hi = MIN (r, nx - 1 - i);
          float acc = 0;

          for (int k = lo; k <= hi; k++)
            acc += w[k + r] * src[i + k];
          dst[i] = acc;
        }
    }
}

static void
blur_columns (const float *in,
              float       *out,
              int          nx,
              int          ny,
              const float *w,
              int          r)
{
  /* Row by row, so the inner loop runs along memory. */
  for (int j = 0; j < ny; j++)
    {
      float *dst = out + (gsize) j * nx;
      int lo = MAX (-r, -j), hi = MIN (r, ny - 1 - j);

      memset (dst, 0, (gsize) nx * sizeof (float));
      for (int k = lo; k <= hi; k++)
        {
          const float *src = in + (gsize) (j + k) * nx;
          float wk = w[k + r];

          for (int i = 0; i < nx; i++)
            dst[i] += wk * src[i];
        }
    }
}

static float *
gaussian_weights (double h,
                  double cell,
                  int   *radius)
{
  int r = MAX (1, (int) ceil (4 * h / cell));
  float *w = g_new (float, 2 * r + 1);
  double sum = 0;

  for (int k = -r; k <= r; k++)
    {
      double d = k * cell / h;

      w[k + r] = (float) exp (-0.5 * d * d);
      sum += w[k + r];
    }
  for (int k = 0; k < 2 * r + 1; k++)
    w[k] = (float) (w[k] / sum);
  *radius = r;
  return w;
}

/* The density at surface position (x, y), bilinear between the nodes;
 * 0 off the grid.
 */
static double
density_at (const EsDensityGrid *self,
            double               x,
            double               y)
{
  double u = (x - self->x0) / self->cell, v = (y - self->y0) / self->cell, fu, fv;
  const float *at;
  int i, j;

  if (!(u >= 0 && u < self->nx - 1 && v >= 0 && v < self->ny - 1))
    return 0;
  i = (int) u;
  j = (int) v;
  fu = u - i;
  fv = v - j;
  at = self->f + (gsize) j * self->nx + i;
  return (1 - fv) * ((1 - fu) * at[0] + fu * at[1]) + fv * ((1 - fu) * at[self->nx] + fu * at[self->nx + 1]);
}

/* Highest-density regions from the points themselves: the density at
 * (up to MAX_LEVEL_SAMPLE of) the points in the grid, binned by
 * sqrt (f / fmax); the level for a share p is where the share p of the
 * points lies above it.  A node's shading uses the same table.
 */
#define MAX_LEVEL_SAMPLE (1 << 16)

static void
compute_levels (EsDensityGrid         *self,
                const Points          *pts,
                const EsDensityParams *params)
{
  gsize n_nodes = (gsize) self->nx * self->ny;
  gsize stride = self->n_binned / MAX_LEVEL_SAMPLE + 1, seen = 0;
  double *count;
  double fmax = 0, mass = 0;

  for (gsize k = 0; k < n_nodes; k++)
    {
      fmax = MAX (fmax, self->f[k]);
      mass += self->f[k];
    }
  self->fmax = fmax;
  self->mass = mass * self->cell * self->cell;
  if (self->above == NULL)
    self->above = g_new (double, ES_DENSITY_HIST_BINS + 1);
  count = self->above;
  memset (count, 0, (ES_DENSITY_HIST_BINS + 1) * sizeof (double));
  self->n_sampled = 0;
  if (fmax > 0)
    for (gsize k = 0; k < pts->n; k++)
      {
        double x, y, u, v;
        int b;

        point_at (pts, k, &x, &y);
        u = (x - self->x0) / self->cell;
        v = (y - self->y0) / self->cell;
        /* The same points as the binning, every stride-th of them. */
        if (!(u >= 0 && u < self->nx - 1 && v >= 0 && v < self->ny - 1))
          continue;
        if (seen++ % stride != 0)
          continue;
        /* Bins even in sqrt (f): fine enough in the faint outskirts. */
        b = (int) (sqrt (density_at (self, x, y) / fmax) * ES_DENSITY_HIST_BINS);
        count[CLAMP (b, 0, ES_DENSITY_HIST_BINS - 1)] += 1;
        self->n_sampled++;
      }
  /* In place: above[b] = the share of the points in bins b and up. */
  for (int b = ES_DENSITY_HIST_BINS - 1; b >= 0; b--)
    count[b] += count[b + 1];
  for (int b = 0; b <= ES_DENSITY_HIST_BINS && self->n_sampled > 0; b++)
    count[b] /= self->n_sampled;

  self->n_levels = MIN (params->n_levels, ES_PLOT_MAX_DENSITY_LEVELS);
  for (guint l = 0; l < self->n_levels; l++)
    {
      double p = CLAMP (params->levels[l], 0.0, 1.0), in_bin, s;
      int b = ES_DENSITY_HIST_BINS - 1;

      while (b > 0 && self->above[b] < p)
        b--;
      in_bin = self->above[b] - self->above[b + 1];
      s = b + 1 - (in_bin > 0 ? CLAMP ((p - self->above[b + 1]) / in_bin, 0.0, 1.0) : 1.0);
      self->level_fraction[l] = p;
      self->level[l] = fmax * (s / ES_DENSITY_HIST_BINS) * (s / ES_DENSITY_HIST_BINS);
    }
}

double
_es_density_grid_coverage (const EsDensityGrid *self,
                           double               f)
{
  double s;
  int b;

  if (!(self->fmax > 0 && self->n_sampled > 0) || !(f > 0))
    return 1.0;
  s = sqrt (MIN (f / self->fmax, 1.0)) * ES_DENSITY_HIST_BINS;
  b = MIN ((int) s, ES_DENSITY_HIST_BINS - 1);

  return self->above[b + 1] + (self->above[b] - self->above[b + 1]) * (b + 1 - s);
}

static gboolean
compute_points (EsDensityGrid         *self,
                const Points          *pts,
                int                    width,
                int                    height,
                const EsDensityParams *params)
{
  double sx = 0, sxx = 0, sy = 0, syy = 0, short_side = MIN (width, height);
  double h_min, h_max, mx, my, cell, scale;
  gsize n_nodes;
  g_autofree float *wx = NULL;
  g_autofree float *wy = NULL;
  int rx, ry, nx, ny;
  float *f;

  self->n_screen = self->n_binned = 0;
  self->nx = self->ny = 0;
  self->n_levels = 0;
  if (width < 1 || height < 1)
    return FALSE;

  /* The spread of the points on the surface: sums (about the centre,
   * against cancellation) and a histogram per axis for the quartiles.
   */
  if (self->hist_len < (gsize) width + height)
    {
      g_free (self->hist);
      self->hist = g_new (guint32, (gsize) width + height);
      self->hist_len = (gsize) width + height;
    }
  memset (self->hist, 0, ((gsize) width + height) * sizeof (guint32));
  for (gsize k = 0; k < pts->n; k++)
    {
      double x, y;

      point_at (pts, k, &x, &y);
      if (!(x >= 0 && x < width && y >= 0 && y < height))
        continue;
      self->n_screen++;
      self->hist[(int) x]++;
      self->hist[width + (int) y]++;
      x -= width / 2.0;
      y -= height / 2.0;
      sx += x;
      sxx += x * x;
      sy += y;
      syy += y * y;
    }
  if (self->n_screen == 0)
    return FALSE;

  h_min = 1 + 0.005 * short_side;
  h_max = 0.25 * short_side;
  if (params->fixed_h > 0)
    {
      self->hx = self->hy = MAX (params->fixed_h, 0.5);
    }
  else
    {
      double factor = pow ((double) self->n_screen, -1.0 / 6) *
                      (params->bandwidth > 0 && isfinite (params->bandwidth) ? params->bandwidth : 1.0);

      self->hx = factor * robust_spread (sx, sxx, self->hist, width, self->n_screen);
      self->hy = factor * robust_spread (sy, syy, self->hist + width, height, self->n_screen);
      self->hx = CLAMP (isfinite (self->hx) ? self->hx : 0, h_min, h_max);
      self->hy = CLAMP (isfinite (self->hy) ? self->hy : 0, h_min, h_max);
      /* Within 10:1 of each other: points on a line would otherwise
       * ask for a blur of hundreds of nodes along it.
       */
      self->hx = MAX (self->hx, self->hy / 10);
      self->hy = MAX (self->hy, self->hx / 10);
    }

  /* Nodes 2.5 nodes per h on the narrower axis; coarser if that would
   * make too many.
   */
  mx = 4 * self->hx;
  my = 4 * self->hy;
  cell = MIN (self->hx, self->hy) / 2.5;
  scale = ((width + 2 * mx) / cell + 2) * ((height + 2 * my) / cell + 2) / MAX_NODES;
  if (scale > 1)
    cell *= sqrt (scale) * 1.01;
  nx = (int) ceil ((width + 2 * mx) / cell) + 1;
  ny = (int) ceil ((height + 2 * my) / cell) + 1;
  n_nodes = (gsize) nx * ny;
  self->nx = nx;
  self->ny = ny;
  self->cell = cell;
  self->x0 = -mx;
  self->y0 = -my;

  if (self->f_len < n_nodes)
    {
      g_free (self->f);
      g_free (self->tmp);
      self->f = g_new (float, n_nodes);
      self->tmp = g_new (float, n_nodes);
      self->f_len = n_nodes;
    }
  f = self->f;
  memset (f, 0, n_nodes * sizeof (float));

  /* Linear binning. */
  {
    double inv = 1.0 / cell;

    for (gsize k = 0; k < pts->n; k++)
      {
        double u, v, fu, fv;
        int i, j;
        float *at;

        point_at (pts, k, &u, &v);
        u = (u - self->x0) * inv;
        v = (v - self->y0) * inv;
        if (!(u >= 0 && u < nx - 1 && v >= 0 && v < ny - 1))
          continue;
        i = (int) u;
        j = (int) v;
        fu = u - i;
        fv = v - j;
        at = f + (gsize) j * nx + i;
        at[0] += (float) ((1 - fu) * (1 - fv));
        at[1] += (float) (fu * (1 - fv));
        at[nx] += (float) ((1 - fu) * fv);
        at[nx + 1] += (float) (fu * fv);
        self->n_binned++;
      }
  }

  wx = gaussian_weights (self->hx, cell, &rx);
  wy = gaussian_weights (self->hy, cell, &ry);
  blur_rows (f, self->tmp, nx, ny, wx, rx);
  blur_columns (self->tmp, f, nx, ny, wy, ry);
  {
    float norm = (float) (1.0 / ((double) self->n_binned * cell * cell));

    for (gsize k = 0; k < n_nodes; k++)
      f[k] *= norm;
  }

  compute_levels (self, pts, params);
  return TRUE;
}

gboolean
_es_density_grid_compute_xy (EsDensityGrid         *self,
                             const float           *xy,
                             gsize                  n,
                             int                    width,
                             int                    height,
                             const EsDensityParams *params)
{
  Points pts = { xy, n, 2, 1, 0, 1, 0 };

  g_return_val_if_fail (self != NULL && params != NULL, FALSE);
  g_return_val_if_fail (xy != NULL || n == 0, FALSE);

  return compute_points (self, &pts, width, height, params);
}

gboolean
_es_density_grid_compute (EsDensityGrid         *self,
                          EsScatterData         *data,
                          const EsViewTransform *t,
                          int                    width,
                          int                    height,
                          const EsDensityParams *params)
{
  gsize n = es_scatter_data_get_n_visible (data);
  const float *xyz = es_scatter_data_get_sorted_xyz (data);

  if (!t->three_d)
    {
      /* Straight from the data: x and y are affine on the surface. */
      Points pts = { xyz, n, 3, t->ax, t->bx, t->ay, t->by };

      return compute_points (self, &pts, width, height, params);
    }

  if (self->xy_len < n)
    {
      g_free (self->xy);
      self->xy = g_new (float, 2 * MAX (n, 1));
      self->xy_len = n;
    }
  for (gsize k = 0; k < n; k++)
    {
      double px, py;

      if (!es_view_transform_project (t, xyz[3 * k], xyz[3 * k + 1], xyz[3 * k + 2], &px, &py, NULL))
        px = py = NAN;
      self->xy[2 * k] = (float) px;
      self->xy[2 * k + 1] = (float) py;
    }

  return _es_density_grid_compute_xy (self, self->xy, n, width, height, params);
}
