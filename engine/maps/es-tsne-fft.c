/* es-tsne-fft.c: t-SNE repulsion by FFT-accelerated interpolation (2D)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Linderman, Rachh, Hoskins, Steinerberger & Kluger (2019), "Fast
 * interpolation-based t-SNE", Nature Methods 16: the square around the
 * points is cut into B × B boxes of width at most 1, each holding p × p
 * equispaced interpolation nodes ((k + ½) / p of the box), so all nodes lie
 * on one equispaced grid.  p is 3, as in FIt-SNE, or 4 while the boxes are
 * crowded (see crowding ()): a tight cluster holds dozens of points per
 * box, and with 3 nodes per box the kernel's error inside it blurs the
 * cluster's inner neighbourhoods.  Every point spreads its charges
 * q = (1, y₁, y₂) to the nodes of its box with Lagrange polynomial
 * weights; the kernel w² = 1 / (1 + r²)² between all node pairs is a
 * Toeplitz matrix, applied as a circular convolution on the grid
 * zero-padded to m × m (m ≥ 2n) by FFT; the node potentials are
 * interpolated back with the same weights.  Then, with φ_t(i) ≈ Σ_j w_ij² q_t(j) (self included),
 *   Σ_j w_ij² (y_i − y_j)  = y_i φ₀ − (φ₁, φ₂)
 *   Σ_j w_ij               = (1 + |y_i|²) φ₀ − 2 y_i·(φ₁, φ₂) + φ₃
 * since w²(1 + r²) = w, with φ₃ the potential of the charge |y|²; Z is the
 * sum of the latter over i minus the n self terms.  The interpolated
 * kernel is a symmetric matrix A (spreading, the node kernel, the same
 * weights back), so Σ_i φ₃(i) = Σ_i Σ_j A_ij |y_j|² = Σ_j |y_j|² φ₀(j): Z
 * needs no fourth charge (FIt-SNE convolves four), and
 *   Z + n = Σ_i (1 + 2 |y_i|²) φ₀ − 2 y_i·(φ₁, φ₂).
 * Coordinates are taken relative to the square's centre, so |y|² stays
 * small and float keeps its precision.
 *
 * The kernel is even in both offsets, so its transform is real: only the
 * real part is kept and multiplied in.
 *
 * Determinism: the spreading is cut between the parts by the same rows as
 * the row transforms, at a box boundary along the first axis (a box's
 * nodes belong to it alone), each part visiting every point in order and
 * spreading those in its boxes (their weights computed there too), so
 * every node sums its charges in point order whoever runs which part;
 * the three charges'
 * transforms are cut between the parts by rows (the row transforms) and
 * by columns (the column transforms and the product with the kernel), at
 * fixed places, with one plan per part and stage; the potentials are
 * gathered in fixed parts of the points; plans are FFTW_ESTIMATE (measured
 * plans differ run to run).
 */

#define G_LOG_DOMAIN "es-tsne"

#include "config.h"

#include "es-tsne-fft-private.h"

#include "es-engine-error.h"
#include "es-memory.h"

#include <math.h>
#include <string.h>

#define MIN_BOXES   50     /* per dimension */
#define CROWD_UP    10.0   /* h³ × a point's box-mates: 4 nodes above this, */
#define CROWD_DOWN  7.0    /* back to 3 below this */
#define CROWD_EVERY 8      /* calls between two looks at the crowding */
#define BOX_LADDER  8      /* box widths step by 2^(1/8) */

EsTsneFft *
_es_tsne_fft_new (void)
{
  EsTsneFft *self = g_new0 (EsTsneFft, 1);

  self->p = 3;
  return self;
}

void
_es_tsne_fft_force_nodes (EsTsneFft *self,
                          guint      p)
{
  g_return_if_fail (p == 0 || p == 3 || p == 4);
  self->forced_p = p;
  if (p != 0)
    self->p = p;
}

guint
_es_tsne_fft_nodes (const EsTsneFft *self)
{
  return self->p;
}

void
_es_tsne_fft_free (EsTsneFft *self)
{
  if (self == NULL)
    return;
  _es_tsne_fft_free_grids (self);
  g_free (self->base);
  g_free (self->weights);
  g_free (self->sum_w);
  g_free (self->crowd);
  g_free (self);
}

typedef struct
{
  EsTsneFft   *self;
  const float *y;
  gsize        n;
  float        lo;
  float        center;
  float        box;       /* box width */
  guint        p;         /* nodes per box */
  float        denom[MAX_INTERP];
  float       *rep;
} FftJob;

static inline void
lagrange (const FftJob *job,
          float         t,
          guint         p,
          float        *w)
{
  for (guint k = 0; k < p; k++)
    {
      float v = job->denom[k];

      for (guint l = 0; l < p; l++)
        if (l != k)
          v *= t - (l + 0.5f) / p;
      w[k] = v;
    }
}

/* Point i's box along dimension d, and its position there in box widths
 * from the grid's start (@u).
 */
static inline guint
box_of (const FftJob *job,
        gsize         i,
        guint         d,
        guint         boxes,
        float        *u)
{
  guint b;

  *u = (job->y[i * 2 + d] - job->lo) / job->box;
  b = (guint) CLAMP (*u, 0.0f, (float) (boxes - 1));
  return MIN (b, boxes - 1);
}

/* Point i's first node along dimension d and its interpolation weights. */
static inline __attribute__ ((always_inline)) void
weights_point (FftJob  *job,
               gsize    i,
               guint    d,
               guint    p,
               guint    boxes,
               guint32 *base,
               float   *w)
{
  float u;
  guint b = box_of (job, i, d, boxes, &u);

  *base = b * p;
  lagrange (job, u - b, p, w);
}

/* The charges of the points in this part's boxes, in point order, straight
 * into the rows of the transforms' inputs (zeroed first; the padding is 0);
 * their boxes and weights are kept for the gathering (every point is in
 * one part's boxes).
 */
static inline __attribute__ ((always_inline)) void
spread_points (FftJob *job,
               guint   part,
               guint   p)
{
  EsTsneFft *self = job->self;
  guint m = self->m, boxes = self->nn / p;
  guint box_lo = self->row_split[part] / p, box_hi = self->row_split[part + 1] / p;

  g_assert (boxes * p == self->nn);
  if (box_lo >= box_hi)
    return;
  for (guint t = 0; t < N_TERMS; t++)
    for (guint r = box_lo * p; r < box_hi * p; r++)
      memset (self->real[t] + (gsize) r * m, 0, self->nn * sizeof (float));
  for (gsize i = 0; i < job->n; i++)
    {
      float *w = self->weights + i * 2 * MAX_INTERP;
      guint32 *base = self->base + i * 2;
      float q[N_TERMS], u;
      guint box = box_of (job, i, 0, boxes, &u);

      if (box < box_lo || box >= box_hi)
        continue;
      weights_point (job, i, 0, p, boxes, base, w);
      weights_point (job, i, 1, p, boxes, base + 1, w + MAX_INTERP);
      q[0] = 1;
      q[1] = job->y[i * 2] - job->center;
      q[2] = job->y[i * 2 + 1] - job->center;
      for (guint kx = 0; kx < p; kx++)
        for (guint ky = 0; ky < p; ky++)
          {
            float c = w[kx] * w[MAX_INTERP + ky];
            gsize node = (gsize) (base[0] + kx) * m + base[1] + ky;

            for (guint t = 0; t < N_TERMS; t++)
              self->real[t][node] += c * q[t];
          }
    }
}

static void
spread_part (guint    part,
             gpointer data)
{
  FftJob *job = data;

  if (job->p == 3)
    spread_points (job, part, 3);
  else
    spread_points (job, part, 4);
}

/* The kernel between node offsets, wrapped for the circular convolution;
 * offsets nn … m − nn are never used by an nn-long input and stay 0.  It
 * is even in both offsets, so its transform is real and even too: the 2D
 * DFT of the m × m grid is the 2D DCT-I (REDFT00) of its
 * (m/2 + 1) × (m/2 + 1) quarter, a quarter of the points and a real
 * transform (k̂ at r and m − r are equal).  Computed in the potentials'
 * block (the row transforms overwrite it next) by rows, then by columns,
 * each stage cut between the parts like the charges' (rows nn and after
 * are 0, and so is their transform); kept by columns.
 */
static void
kernel_rows_part (guint    part,
                  gpointer data)
{
  FftJob *job = data;
  EsTsneFft *self = job->self;
  guint nn = self->nn, q = self->m / 2 + 1, r0 = self->row_split[part], r1 = self->row_split[part + 1];
  float spacing = job->box / job->p, *k = self->out_block;

  for (guint ix = r0; ix < r1; ix++)
    {
      float dx = (float) ix * spacing;

      for (guint iy = 0; iy < q; iy++)
        {
          float dy = (float) iy * spacing, r = 1 + dx * dx + dy * dy;

          k[(gsize) ix * q + iy] = iy >= nn ? 0 : 1 / (r * r);
        }
    }
  if (self->kernel_rows[part] != NULL)
    fftwf_execute (self->kernel_rows[part]);
  if (part == ES_TSNE_N_PARTS - 1)
    memset (k + (gsize) nn * q, 0, (gsize) (q - nn) * q * sizeof (float));
}

static void
kernel_columns_part (guint    part,
                     gpointer data)
{
  FftJob *job = data;
  EsTsneFft *self = job->self;
  guint m = self->m, q = m / 2 + 1, c0 = self->col_split[part], c1 = self->col_split[part + 1];
  const float *k = self->out_block;

  if (self->kernel_columns[part] != NULL)
    fftwf_execute (self->kernel_columns[part]);
  for (guint c = c0; c < c1; c++)
    for (guint r = 0; r < m; r++)
      self->kernel_t[(gsize) c * m + r] = k[(gsize) MIN (r, m - r) * q + c];
}

/* The part's rows: spread, then their row transforms, every term. */
static void
rows_forward_part (guint    part,
                   gpointer data)
{
  FftJob *job = data;
  EsTsneFft *self = job->self;

  spread_part (part, data);
  if (self->rows_r2c[part] != NULL)
    fftwf_execute (self->rows_r2c[part]);
}

/* The part's columns, every term, COL_BLOCK at a time through the part's
 * buffer: the nn rows in (the padding to m stays 0), forward, times the
 * kernel, backward, the nn rows out.  A column's arithmetic depends only on
 * whether it falls in a full block, which the fixed split decides.
 */
static void
columns_part (guint    part,
              gpointer data)
{
  FftJob *job = data;
  EsTsneFft *self = job->self;
  guint nn = self->nn, m = self->m, mc = m / 2 + 1, c0 = self->col_split[part], c1 = self->col_split[part + 1];
  fftwf_complex *buf = self->col_buf[part];

  for (guint t = 0; t < N_TERMS; t++)
    for (guint cb = c0; cb < c1; cb += COL_BLOCK)
      {
        guint nb = MIN (COL_BLOCK, c1 - cb), plan = nb == COL_BLOCK ? 0 : 1;
        fftwf_complex *hat = self->hat[t] + cb;

        /* A part of fewer than COL_BLOCK left goes one column at a time. */
        for (guint j0 = 0; j0 < nb; j0 += plan == 0 ? COL_BLOCK : 1)
          {
            guint w = plan == 0 ? COL_BLOCK : 1;

            for (guint r = 0; r < nn; r++)
              for (guint j = 0; j < w; j++)
                {
                  buf[(gsize) j * m + r][0] = hat[(gsize) r * mc + j0 + j][0];
                  buf[(gsize) j * m + r][1] = hat[(gsize) r * mc + j0 + j][1];
                }
            fftwf_execute (self->cols_forward[part][plan]);
            for (guint j = 0; j < w; j++)
              {
                fftwf_complex *x = buf + (gsize) (COL_BLOCK + j) * m;
                const float *k = self->kernel_t + (gsize) (cb + j0 + j) * m;

                for (guint r = 0; r < m; r++)
                  {
                    x[r][0] *= k[r];
                    x[r][1] *= k[r];
                  }
              }
            fftwf_execute (self->cols_backward[part][plan]);
            for (guint r = 0; r < nn; r++)
              for (guint j = 0; j < w; j++)
                {
                  hat[(gsize) r * mc + j0 + j][0] = buf[(gsize) (2 * COL_BLOCK + j) * m + r][0];
                  hat[(gsize) r * mc + j0 + j][1] = buf[(gsize) (2 * COL_BLOCK + j) * m + r][1];
                }
          }
      }
}

static void
rows_backward_part (guint    part,
                    gpointer data)
{
  FftJob *job = data;
  EsTsneFft *self = job->self;

  if (self->rows_c2r[part] != NULL)
    fftwf_execute (self->rows_c2r[part]);
}

static inline __attribute__ ((always_inline)) void
gather_points (FftJob *job,
               guint   part,
               guint   p)
{
  EsTsneFft *self = job->self;
  guint m = self->m;
  float scale = 1.0f / ((float) m * m);
  gsize begin, end;

  _es_tsne_part_range (job->n, part, &begin, &end);
  for (gsize i = begin; i < end; i++)
    {
      const float *w = self->weights + i * 2 * MAX_INTERP;
      const guint32 *base = self->base + i * 2;
      float phi[N_TERMS] = { 0, 0, 0 };
      float y1 = job->y[i * 2] - job->center, y2 = job->y[i * 2 + 1] - job->center;

      for (guint kx = 0; kx < p; kx++)
        for (guint ky = 0; ky < p; ky++)
          {
            float c = w[kx] * w[MAX_INTERP + ky];
            gsize node = (gsize) (base[0] + kx) * m + base[1] + ky;

            for (guint t = 0; t < N_TERMS; t++)
              phi[t] += c * self->out[t][node];
          }
      for (guint t = 0; t < N_TERMS; t++)
        phi[t] *= scale;
      job->rep[i * 2] = y1 * phi[0] - phi[1];
      job->rep[i * 2 + 1] = y2 * phi[0] - phi[2];
      /* Σ_j w_ij with φ₃(i) replaced by |y_i|² φ₀(i): the same total. */
      self->sum_w[i] = (1.0 + 2.0 * (y1 * y1 + y2 * y2)) * phi[0] - 2.0 * (y1 * phi[1] + y2 * phi[2]);
    }
}

static void
gather_part (guint    part,
             gpointer data)
{
  FftJob *job = data;

  if (job->p == 3)
    gather_points (job, part, 3);
  else
    gather_points (job, part, 4);
}

/* How crowded the boxes are: h³ times the number of points in a point's
 * box, averaged over the points.  The interpolated kernel's error on one
 * pair grows as h³ with 3 nodes per box (h in the kernel's unit), and a
 * point's force sums it over the points around it, so this is what a
 * point's force error grows with.  On the English 30k map it ends near 5
 * and 3 nodes keep the map's neighbourhoods; on a mixture of tight
 * clusters it ends near 22 and they blur (kNN-10 kept 0.181, against 0.224
 * with 4 nodes and 0.225 for Barnes-Hut at θ = 0.5): tests/bench/RESULTS-maps.md.
 */
static double
crowding (EsTsneFft   *self,
          const float *y,
          gsize        n,
          float        lo,
          double       box,
          guint        boxes,
          GError     **error)
{
  gsize cells = (gsize) boxes * boxes;
  double pairs = 0;

  if (cells > self->crowd_cap)
    {
      g_clear_pointer (&self->crowd, g_free);
      self->crowd_cap = 0;
      if (!(self->crowd = es_memory_try_alloc (cells, sizeof (guint32), "t-SNE interpolation", error)))
        return -1;
      self->crowd_cap = cells;
    }
  memset (self->crowd, 0, cells * sizeof (guint32));
  for (gsize i = 0; i < n; i++)
    {
      guint bx = (guint) CLAMP ((y[i * 2] - lo) / box, 0.0, boxes - 1.0);
      guint by = (guint) CLAMP ((y[i * 2 + 1] - lo) / box, 0.0, boxes - 1.0);
      guint32 *c = self->crowd + (gsize) bx * boxes + by;

      /* Σ over boxes of c², one point at a time. */
      pairs += 2.0 * (*c)++ + 1;
    }
  return box * box * box * pairs / n;
}

gboolean
_es_tsne_fft_repulsion (EsTsneFft   *self,
                        const float *y,
                        gsize        n,
                        EsTsnePool  *pool,
                        float       *rep,
                        double      *z,
                        GError     **error)
{
  FftJob job = { self, y, n, 0, 0, 0, 3, { 0 }, rep };
  gboolean need_kernel;
  float lo = INFINITY, hi = -INFINITY, range;
  double box;
  guint boxes, nn;
  double sum = 0;

  g_return_val_if_fail (n > 0, FALSE);

  if (n > self->n_cap)
    {
      g_clear_pointer (&self->base, g_free);
      g_clear_pointer (&self->weights, g_free);
      g_clear_pointer (&self->sum_w, g_free);
      self->n_cap = 0;
      if (!(self->base = es_memory_try_alloc (n, 2 * sizeof (guint32), "t-SNE interpolation", error)) ||
          !(self->weights = es_memory_try_alloc (n, 2 * MAX_INTERP * sizeof (float), "t-SNE interpolation", error)) ||
          !(self->sum_w = es_memory_try_alloc (n, sizeof (double), "t-SNE interpolation", error)))
        return FALSE;
      self->n_cap = n;
    }

  for (gsize i = 0; i < 2 * n; i++)
    {
      lo = MIN (lo, y[i]);
      hi = MAX (hi, y[i]);
    }
  range = hi - lo;
  if (!(range > 1e-6f))
    range = 1e-6f;
  /* B = max (MIN_BOXES, ⌈range⌉) boxes, rounded up to a 7-smooth count
   * (fewer distinct grids, so fewer plans), of a width at least range / B (at most 1 when B is ⌈range⌉)
   * rounded up on a ladder 2^(1/BOX_LADDER) apart, the grid centred on the
   * points: the grid size changes only when ⌈range⌉ passes a friendly
   * count, the kernel's transform only when the width steps.
   */
  boxes = (guint) MAX (MIN (ceilf (range), (float) MAX_BOXES), (float) MIN_BOXES);
  boxes = _es_tsne_fft_smooth_size (boxes);
  box = exp2 (ceil (log2 ((double) range / boxes) * BOX_LADDER) / BOX_LADDER);
  job.center = lo + range / 2;
  job.box = (float) box;
  job.lo = job.center - (float) (boxes * box / 2);

  /* 4 nodes per box where the boxes are crowded; the band between the two
   * limits keeps a map near one from switching at every step.
   */
  if (self->forced_p == 0 && self->calls++ % CROWD_EVERY == 0)
    {
      double crowd = crowding (self, y, n, job.lo, box, boxes, error);

      if (crowd < 0)
        return FALSE;
      if (crowd > CROWD_UP || crowd < CROWD_DOWN)
        {
          guint p = crowd > CROWD_UP ? 4 : 3;

          if (p != self->p)
            g_debug ("call %u: crowding %.1f, %u nodes per box", self->calls - 1, crowd, p);
          self->p = p;
        }
    }
  job.p = self->p;
  nn = boxes * job.p;
  if (nn != self->nn && !_es_tsne_fft_alloc_grids (self, nn, error))
    return FALSE;

  need_kernel = self->kernel_box != job.box || self->kernel_p != job.p;
  self->kernel_box = job.box;
  self->kernel_p = job.p;
  for (guint k = 0; k < job.p; k++)
    {
      double v = 1;

      for (guint l = 0; l < job.p; l++)
        if (l != k)
          v *= (k - (double) l) / job.p;
      job.denom[k] = (float) (1 / v);
    }

  if (need_kernel)
    {
      _es_tsne_parallel (pool, kernel_rows_part, &job);
      _es_tsne_parallel (pool, kernel_columns_part, &job);
    }
  _es_tsne_parallel (pool, rows_forward_part, &job);
  _es_tsne_parallel (pool, columns_part, &job);
  _es_tsne_parallel (pool, rows_backward_part, &job);
  _es_tsne_parallel (pool, gather_part, &job);

  for (gsize i = 0; i < n; i++)
    sum += self->sum_w[i];
  *z = MAX (sum - n, 1e-300);
  return TRUE;
}
