/* es-tsne-fft.c: t-SNE repulsion by FFT-accelerated interpolation (2D)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Linderman, Rachh, Hoskins, Steinerberger & Kluger (2019), "Fast
 * interpolation-based t-SNE", Nature Methods 16: the square around the
 * points is cut into B × B boxes of width at most 1, each holding p × p
 * equispaced interpolation nodes ((k + ½) / p of the box), so all nodes lie
 * on one equispaced grid.  Every point spreads its charges
 * q = (1, y₁, y₂) to the nodes of its box with Lagrange polynomial
 * weights; the kernel w² = 1 / (1 + r²)² between all node pairs is a
 * Toeplitz matrix, applied as a circular convolution on the zero-padded
 * 2n × 2n grid by FFT; the node potentials are interpolated back with the
 * same weights.  Then, with φ_t(i) ≈ Σ_j w_ij² q_t(j) (self included),
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
 * Determinism: the interpolation weights are computed in fixed parts of
 * the points; the spreading is cut between the parts by the same rows as
 * the row transforms, at a box boundary along the first axis (a box's
 * nodes belong to it alone), each part visiting every point in order and
 * spreading those in its boxes, so every node sums its charges in point
 * order whoever runs which part; the three charges'
 * transforms are cut between the parts by rows (the row transforms) and
 * by columns (the column transforms and the product with the kernel), at
 * fixed places, with one plan per part and stage; the potentials are
 * gathered in fixed parts of the points; plans are FFTW_ESTIMATE (measured
 * plans differ run to run).
 */

#define G_LOG_DOMAIN "es-tsne"

#include "config.h"

#include "es-tsne-private.h"

#include "es-engine-error.h"
#include "es-memory.h"

#include <fftw3.h>
#include <math.h>
#include <string.h>

#define N_INTERP   3      /* nodes per box and dimension */
#define MIN_BOXES  50     /* per dimension */
#define MAX_BOXES  512    /* beyond, boxes get wider than 1 (less accurate) */
#define N_TERMS    3
#define BOX_LADDER 8      /* box widths step by 2^(1/8) */
#define COL_BLOCK  8      /* columns per contiguous transform batch */

/* FFTW's planner is not thread-safe; only execution is. */
static GMutex planner_lock;

struct _EsTsneFft
{
  guint          nn;                          /* nodes per dimension */
  guint          m;                           /* padded: 2 nn */
  guint          nn_cap;                      /* the blocks below hold this many */
  float         *kernel_t;                    /* the kernel's transform (real), column c at c × m */
  float         *real_block;                  /* the terms' real grids, real_stride apart */
  fftwf_complex *hat_block;                   /* the terms' row transforms, hat_stride apart */
  fftwf_complex *col_buf[ES_TSNE_N_PARTS];    /* COL_BLOCK columns of m, contiguous */
  float         *real[N_TERMS];               /* nn × m: the rows that are not padding */
  fftwf_complex *hat[N_TERMS];                /* nn × (m/2 + 1): the rows needed */
  fftwf_plan     kernel_plan;                 /* 2D DCT-I of the kernel's quarter, in the real block */
  /* Per part, every term: */
  fftwf_plan     rows_r2c[ES_TSNE_N_PARTS];   /* its rows → hat rows */
  fftwf_plan     rows_c2r[ES_TSNE_N_PARTS];   /* hat rows → its rows */
  /* Per part: COL_BLOCK columns, and one (the part's last few). */
  fftwf_plan     cols_forward[ES_TSNE_N_PARTS][2];
  fftwf_plan     cols_backward[ES_TSNE_N_PARTS][2];
  guint          row_split[ES_TSNE_N_PARTS + 1];
  guint          col_split[ES_TSNE_N_PARTS + 1];
  float          kernel_box;                  /* the box width kernel_t is for; 0: none */

  gsize          n_cap;
  guint32       *base;                        /* n × 2 first node per dim */
  float         *weights;                     /* n × 2 × N_INTERP */
  double        *sum_w;                       /* n */
};

static void
free_plans (EsTsneFft *self)
{
  g_mutex_lock (&planner_lock);
  g_clear_pointer (&self->kernel_plan, fftwf_destroy_plan);
  for (guint p = 0; p < ES_TSNE_N_PARTS; p++)
    {
      g_clear_pointer (&self->rows_r2c[p], fftwf_destroy_plan);
      g_clear_pointer (&self->rows_c2r[p], fftwf_destroy_plan);
      for (guint b = 0; b < 2; b++)
        {
          g_clear_pointer (&self->cols_forward[p][b], fftwf_destroy_plan);
          g_clear_pointer (&self->cols_backward[p][b], fftwf_destroy_plan);
        }
    }
  g_mutex_unlock (&planner_lock);
  self->nn = self->m = 0;
  self->kernel_box = 0;
}

static void
free_grids (EsTsneFft *self)
{
  free_plans (self);
  g_clear_pointer (&self->kernel_t, fftwf_free);
  g_clear_pointer (&self->real_block, fftwf_free);
  g_clear_pointer (&self->hat_block, fftwf_free);
  for (guint p = 0; p < ES_TSNE_N_PARTS; p++)
    g_clear_pointer (&self->col_buf[p], fftwf_free);
  memset (self->real, 0, sizeof self->real);
  memset (self->hat, 0, sizeof self->hat);
  self->nn_cap = 0;
}

EsTsneFft *
_es_tsne_fft_new (void)
{
  return g_new0 (EsTsneFft, 1);
}

void
_es_tsne_fft_free (EsTsneFft *self)
{
  if (self == NULL)
    return;
  free_grids (self);
  g_free (self->base);
  g_free (self->weights);
  g_free (self->sum_w);
  g_free (self);
}

/* Where part p's share of @total starts: about p / parts of it, rounded
 * down to a multiple of @unit: 4 keeps every part's first row at the
 * 32-byte alignment FFTW's SIMD codelets were planned with; rows also
 * start at a box (12 = 4 × N_INTERP), so that a part spreads its own rows.
 */
static guint
split_at (guint total,
          guint p,
          guint unit)
{
  if (p >= ES_TSNE_N_PARTS)
    return total;
  return (guint) ((gsize) total * p / ES_TSNE_N_PARTS) / unit * unit;
}

/* Term strides, rounded up to 32 bytes for the alignment. */
static gsize
real_stride (guint nn)
{
  return ((gsize) nn * 2 * nn + 7) / 8 * 8;
}

static gsize
hat_stride (guint nn)
{
  return ((gsize) nn * (nn + 1) + 3) / 4 * 4;
}

/* The blocks for up to @nn_cap nodes per dimension (a quarter more than
 * asked, up to the largest grid, so that a growing map does not map and
 * fault in new blocks at every step), checked against the ceiling before
 * FFTW's allocator (which must be used for its alignment) is asked.  The
 * kernel's 2D transform runs in the terms' blocks: m × m reals fit in the
 * N_TERMS × nn × m, m × (m/2 + 1) complex in the N_TERMS × nn × (nn + 1).
 */
static gboolean
alloc_blocks (EsTsneFft *self,
              guint      nn,
              GError   **error)
{
  guint nn_cap = MIN (nn + nn / 4, N_INTERP * MAX_BOXES);
  gsize m = 2 * (gsize) MAX (nn_cap, nn), mc = m / 2 + 1;
  guint64 bytes;

  nn_cap = MAX (nn_cap, nn);
  if (!es_memory_check (N_TERMS * (real_stride (nn_cap) + 2 * hat_stride (nn_cap)) + m * mc +
                        ES_TSNE_N_PARTS * 2 * COL_BLOCK * m,
                        sizeof (float), "t-SNE interpolation grid", &bytes, error))
    return FALSE;

  free_grids (self);
  self->kernel_t = fftwf_alloc_real (m * mc);
  self->real_block = fftwf_alloc_real (N_TERMS * real_stride (nn_cap));
  self->hat_block = fftwf_alloc_complex (N_TERMS * hat_stride (nn_cap));
  for (guint p = 0; p < ES_TSNE_N_PARTS; p++)
    self->col_buf[p] = fftwf_alloc_complex (COL_BLOCK * m);
  if (self->kernel_t == NULL || self->real_block == NULL || self->hat_block == NULL ||
      self->col_buf[0] == NULL || self->col_buf[ES_TSNE_N_PARTS - 1] == NULL)
    {
      free_grids (self);
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                   "t-SNE interpolation grid: out of memory (%.1f GB)", bytes / 1e9);
      return FALSE;
    }
  self->nn_cap = nn_cap;
  return TRUE;
}

/* The kernel's quarter transform: after its input, 32-byte aligned. */
static float *
kernel_out (EsTsneFft *self)
{
  gsize q = (gsize) (self->nn + 1) * (self->nn + 1);

  return self->real_block + (q + 7) / 8 * 8;
}

static gboolean
alloc_grids (EsTsneFft *self,
             guint      nn,
             GError   **error)
{
  guint m = 2 * nn;
  int mc = (int) (m / 2 + 1), len = (int) m;
  gsize rs = real_stride (nn), hs = hat_stride (nn);
  gboolean ok = TRUE;

  if (nn > self->nn_cap && !alloc_blocks (self, nn, error))
    return FALSE;
  free_plans (self);
  self->nn = nn;
  self->m = m;
  for (guint t = 0; t < N_TERMS; t++)
    {
      self->real[t] = self->real_block + t * rs;
      self->hat[t] = self->hat_block + t * hs;
    }

  /* The charges' 2D transforms by rows then columns: only the nn rows
   * that are not padding are transformed forward, and only those needed
   * backward; the columns go through a contiguous buffer a few at a time
   * (FFTW_ESTIMATE plans strided column transforms one column at a time,
   * at half the speed of contiguous ones), where the zero padding is added
   * and the unneeded rows dropped.
   */
  g_mutex_lock (&planner_lock);
  self->kernel_plan = fftwf_plan_r2r_2d ((int) nn + 1, (int) nn + 1, self->real_block, kernel_out (self),
                                         FFTW_REDFT00, FFTW_REDFT00, FFTW_ESTIMATE);
  for (guint p = 0; p < ES_TSNE_N_PARTS + 1; p++)
    {
      self->row_split[p] = split_at (nn, p, 4 * N_INTERP);
      self->col_split[p] = split_at ((guint) mc, p, 1);
    }
  for (guint p = 0; p < ES_TSNE_N_PARTS; p++)
    {
      guint r0 = self->row_split[p];
      int rows = (int) (self->row_split[p + 1] - r0);
      fftwf_iodim row_dim = { len, 1, 1 };
      fftwf_iodim rows_fwd[2] = { { N_TERMS, (int) rs, (int) hs }, { rows, len, mc } };
      fftwf_iodim rows_bwd[2] = { { N_TERMS, (int) hs, (int) rs }, { rows, mc, len } };
      fftwf_complex *hat_rows = self->hat_block + (gsize) r0 * mc;

      if (rows > 0)
        {
          self->rows_r2c[p] = fftwf_plan_guru_dft_r2c (1, &row_dim, 2, rows_fwd, self->real_block + (gsize) r0 * m,
                                                       hat_rows, FFTW_ESTIMATE);
          self->rows_c2r[p] = fftwf_plan_guru_dft_c2r (1, &row_dim, 2, rows_bwd, hat_rows,
                                                       self->real_block + (gsize) r0 * m, FFTW_ESTIMATE);
          ok = ok && self->rows_r2c[p] != NULL && self->rows_c2r[p] != NULL;
        }
      for (guint b = 0; b < 2; b++)
        {
          int howmany = b == 0 ? COL_BLOCK : 1;

          self->cols_forward[p][b] = fftwf_plan_many_dft (1, &len, howmany, self->col_buf[p], NULL, 1, len,
                                                          self->col_buf[p], NULL, 1, len, FFTW_FORWARD, FFTW_ESTIMATE);
          self->cols_backward[p][b] = fftwf_plan_many_dft (1, &len, howmany, self->col_buf[p], NULL, 1, len,
                                                           self->col_buf[p], NULL, 1, len, FFTW_BACKWARD, FFTW_ESTIMATE);
          ok = ok && self->cols_forward[p][b] != NULL && self->cols_backward[p][b] != NULL;
        }
    }
  g_mutex_unlock (&planner_lock);
  if (!ok || self->kernel_plan == NULL)
    {
      free_grids (self);
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                   "t-SNE interpolation grid: FFTW could not plan %u × %u transforms", m, m);
      return FALSE;
    }
  return TRUE;
}

/* The smallest b' ≥ b with no prime factor above 7: FFTs of 2 × 3 × b'. */
static guint
smooth_size (guint b)
{
  for (;; b++)
    {
      guint r = b;

      for (guint f = 2; f <= 7; f++)
        while (r % f == 0)
          r /= f;
      if (r == 1)
        return b;
    }
}

typedef struct
{
  EsTsneFft   *self;
  const float *y;
  gsize        n;
  float        lo;
  float        center;
  float        box;       /* box width */
  float        denom[N_INTERP];
  float       *rep;
} FftJob;

static inline void
lagrange (const FftJob *job,
          float         t,
          float        *w)
{
  for (guint k = 0; k < N_INTERP; k++)
    {
      float v = job->denom[k];

      for (guint l = 0; l < N_INTERP; l++)
        if (l != k)
          v *= t - (l + 0.5f) / N_INTERP;
      w[k] = v;
    }
}

/* Each point's box and interpolation weights, in fixed parts of the points. */
static void
weights_part (guint    part,
              gpointer data)
{
  FftJob *job = data;
  EsTsneFft *self = job->self;
  guint boxes = self->nn / N_INTERP;
  gsize begin, end;

  _es_tsne_part_range (job->n, part, &begin, &end);
  for (gsize i = begin; i < end; i++)
    {
      float *w = self->weights + i * 2 * N_INTERP;
      guint32 *base = self->base + i * 2;

      for (guint d = 0; d < 2; d++)
        {
          float u = (job->y[i * 2 + d] - job->lo) / job->box;
          guint b = (guint) CLAMP (u, 0.0f, (float) (boxes - 1));

          b = MIN (b, boxes - 1);
          base[d] = b * N_INTERP;
          lagrange (job, u - b, w + d * N_INTERP);
        }
    }
}

/* The charges of the points in this part's boxes, in point order, straight
 * into the rows of the transforms' inputs (zeroed first, padding included).
 */
static void
spread_part (guint    part,
             gpointer data)
{
  FftJob *job = data;
  EsTsneFft *self = job->self;
  guint m = self->m, boxes = self->nn / N_INTERP;
  guint box_lo = self->row_split[part] / N_INTERP, box_hi = self->row_split[part + 1] / N_INTERP;

  g_assert (boxes * N_INTERP == self->nn);
  if (box_lo >= box_hi)
    return;
  for (guint t = 0; t < N_TERMS; t++)
    memset (self->real[t] + (gsize) box_lo * N_INTERP * m, 0,
            (gsize) (box_hi - box_lo) * N_INTERP * m * sizeof (float));
  for (gsize i = 0; i < job->n; i++)
    {
      const float *w = self->weights + i * 2 * N_INTERP;
      const guint32 *base = self->base + i * 2;
      guint box = base[0] / N_INTERP;
      float q[N_TERMS];

      if (box < box_lo || box >= box_hi)
        continue;
      q[0] = 1;
      q[1] = job->y[i * 2] - job->center;
      q[2] = job->y[i * 2 + 1] - job->center;
      for (guint kx = 0; kx < N_INTERP; kx++)
        for (guint ky = 0; ky < N_INTERP; ky++)
          {
            float c = w[kx] * w[N_INTERP + ky];
            gsize node = (gsize) (base[0] + kx) * m + base[1] + ky;

            for (guint t = 0; t < N_TERMS; t++)
              self->real[t][node] += c * q[t];
          }
    }
}

/* The kernel between node offsets, wrapped for the circular convolution;
 * offset nn is never used by an nn-long input and stays 0.  It is even in
 * both offsets, so its transform is real and even too: the 2D DFT of the
 * m × m grid is the 2D DCT-I (REDFT00) of its (nn + 1) × (nn + 1) quarter,
 * a quarter of the points and a real transform (k̂ at r and m − r are
 * equal).  Computed in the terms' real block (spreading overwrites it
 * next), kept by columns.
 */
static void
kernel (FftJob *job)
{
  EsTsneFft *self = job->self;
  guint nn = self->nn, m = self->m, mc = m / 2 + 1, q = nn + 1;
  float spacing = job->box / N_INTERP;
  float *k = self->real_block, *k_hat = kernel_out (self);
  g_autofree float *d2 = g_new (float, q);

  g_assert (mc == q);
  for (guint i = 0; i < q; i++)
    {
      float d = (float) i * spacing;

      d2[i] = d * d;
    }
  for (guint ix = 0; ix < q; ix++)
    for (guint iy = 0; iy < q; iy++)
      {
        float r = 1 + d2[ix] + d2[iy];

        k[(gsize) ix * q + iy] = (ix == nn || iy == nn) ? 0 : 1 / (r * r);
      }
  fftwf_execute_r2r (self->kernel_plan, k, k_hat);
  for (guint c = 0; c < mc; c++)
    for (guint r = 0; r < m; r++)
      self->kernel_t[(gsize) c * m + r] = k_hat[(gsize) MIN (r, m - r) * q + c];
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
 * buffer: the nn rows in, zero padding to m, forward, times the kernel,
 * backward, the nn rows out.  A column's arithmetic depends only on
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
            for (guint j = 0; j < w; j++)
              memset (buf + (gsize) j * m + nn, 0, (m - nn) * sizeof (fftwf_complex));
            fftwf_execute (self->cols_forward[part][plan]);
            for (guint j = 0; j < w; j++)
              {
                fftwf_complex *x = buf + (gsize) j * m;
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
                  hat[(gsize) r * mc + j0 + j][0] = buf[(gsize) j * m + r][0];
                  hat[(gsize) r * mc + j0 + j][1] = buf[(gsize) j * m + r][1];
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

static void
gather_part (guint    part,
             gpointer data)
{
  FftJob *job = data;
  EsTsneFft *self = job->self;
  guint m = self->m;
  float scale = 1.0f / ((float) m * m);
  gsize begin, end;

  _es_tsne_part_range (job->n, part, &begin, &end);
  for (gsize i = begin; i < end; i++)
    {
      const float *w = self->weights + i * 2 * N_INTERP;
      const guint32 *base = self->base + i * 2;
      float phi[N_TERMS] = { 0, 0, 0 };
      float y1 = job->y[i * 2] - job->center, y2 = job->y[i * 2 + 1] - job->center;

      for (guint kx = 0; kx < N_INTERP; kx++)
        for (guint ky = 0; ky < N_INTERP; ky++)
          {
            float c = w[kx] * w[N_INTERP + ky];
            gsize node = (gsize) (base[0] + kx) * m + base[1] + ky;

            for (guint t = 0; t < N_TERMS; t++)
              phi[t] += c * self->real[t][node];
          }
      for (guint t = 0; t < N_TERMS; t++)
        phi[t] *= scale;
      job->rep[i * 2] = y1 * phi[0] - phi[1];
      job->rep[i * 2 + 1] = y2 * phi[0] - phi[2];
      /* Σ_j w_ij with φ₃(i) replaced by |y_i|² φ₀(i): the same total. */
      self->sum_w[i] = (1.0 + 2.0 * (y1 * y1 + y2 * y2)) * phi[0] - 2.0 * (y1 * phi[1] + y2 * phi[2]);
    }
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
  FftJob job = { self, y, n, 0, 0, 0, { 0 }, rep };
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
          !(self->weights = es_memory_try_alloc (n, 2 * N_INTERP * sizeof (float), "t-SNE interpolation", error)) ||
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
  /* B = max (MIN_BOXES, ⌈range⌉) boxes, rounded up to an FFT-friendly
   * count, of a width at least range / B (at most 1 when B is ⌈range⌉)
   * rounded up on a ladder 2^(1/BOX_LADDER) apart, the grid centred on the
   * points: the grid size changes only when ⌈range⌉ passes a friendly
   * count, the kernel's transform only when the width steps.
   */
  boxes = (guint) MAX (MIN (ceilf (range), (float) MAX_BOXES), (float) MIN_BOXES);
  boxes = smooth_size (boxes);
  box = exp2 (ceil (log2 ((double) range / boxes) * BOX_LADDER) / BOX_LADDER);
  nn = boxes * N_INTERP;
  if (nn != self->nn && !alloc_grids (self, nn, error))
    return FALSE;

  job.center = lo + range / 2;
  job.box = (float) box;
  job.lo = job.center - (float) (boxes * box / 2);
  need_kernel = self->kernel_box != job.box;
  self->kernel_box = job.box;
  for (guint k = 0; k < N_INTERP; k++)
    {
      double v = 1;

      for (guint l = 0; l < N_INTERP; l++)
        if (l != k)
          v *= (k - (double) l) / N_INTERP;
      job.denom[k] = (float) (1 / v);
    }

  if (need_kernel)
    kernel (&job);
  _es_tsne_parallel (pool, weights_part, &job);
  _es_tsne_parallel (pool, rows_forward_part, &job);
  _es_tsne_parallel (pool, columns_part, &job);
  _es_tsne_parallel (pool, rows_backward_part, &job);
  _es_tsne_parallel (pool, gather_part, &job);

  for (gsize i = 0; i < n; i++)
    sum += self->sum_w[i];
  *z = MAX (sum - n, 1e-300);
  return TRUE;
}
