/* es-tsne-fft-grid.c: the FFT repulsion's grids and FFTW plans
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The three charges' real grids, their row transforms, per-part column
 * buffers and the kernel's transform live in a few blocks from FFTW's
 * allocator (for its alignment), sized a quarter ahead so that a growing
 * map does not reallocate at every step; the plans are remade whenever the
 * node count changes (FFTW_ESTIMATE: cheap, and the same every run).
 */

#define G_LOG_DOMAIN "es-tsne"

#include "config.h"

#include "es-tsne-fft-private.h"

#include "es-engine-error.h"
#include "es-memory.h"

#include <string.h>

/* FFTW's planner is not thread-safe; only execution is. */
static GMutex planner_lock;

static void
free_plans (EsTsneFft *self)
{
  g_mutex_lock (&planner_lock);
  for (guint p = 0; p < ES_TSNE_N_PARTS; p++)
    {
      g_clear_pointer (&self->kernel_rows[p], fftwf_destroy_plan);
      g_clear_pointer (&self->kernel_columns[p], fftwf_destroy_plan);
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

void
_es_tsne_fft_free_grids (EsTsneFft *self)
{
  free_plans (self);
  g_clear_pointer (&self->kernel_t, fftwf_free);
  g_clear_pointer (&self->real_block, fftwf_free);
  g_clear_pointer (&self->out_block, fftwf_free);
  g_clear_pointer (&self->hat_block, fftwf_free);
  for (guint p = 0; p < ES_TSNE_N_PARTS; p++)
    g_clear_pointer (&self->col_buf[p], fftwf_free);
  memset (self->real, 0, sizeof self->real);
  memset (self->out, 0, sizeof self->out);
  memset (self->hat, 0, sizeof self->hat);
  self->nn_cap = 0;
}

/* Where part p's share of @total starts: about p / parts of it, rounded
 * down to a multiple of @unit: 4 keeps every part's first row at the
 * 32-byte alignment FFTW's SIMD codelets were planned with; rows also
 * start at a box (12: a multiple of 3 and 4 nodes per box), so that a part
 * spreads its own rows.
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
real_stride (guint nn,
             guint m)
{
  return ((gsize) nn * m + 7) / 8 * 8;
}

static gsize
hat_stride (guint nn,
            guint m)
{
  return ((gsize) nn * (m / 2 + 1) + 3) / 4 * 4;
}

/* The transforms' length for @nn nodes: the smallest 2^a, 3 × 2^a or
 * 5 × 2^a of at least 2 nn (the zero padding of the circular convolution
 * only needs 2 nn − 1).  FFTW's codelets run these about twice as fast per
 * point as lengths with factors 7, 9 or 15 (720: 1.30 µs a transform,
 * 768: 0.94; 1008: 1.56, 1024: 0.87; tests/bench/RESULTS-maps.md), which
 * more than pays for the longer padding.
 */
guint
_es_tsne_fft_length (guint nn)
{
  guint best = G_MAXUINT;

  for (guint f = 1; f <= 5; f += 2)
    {
      guint64 m = f;

      while (m < 2 * (guint64) nn)
        m *= 2;
      if (m % 2 == 0 && m < best)
        best = (guint) m;
    }
  return best;
}

/* The blocks for up to @nn_cap nodes per dimension (a quarter more than
 * asked, up to the largest grid, so that a growing map does not map and
 * fault in new blocks at every step), checked against the ceiling before
 * FFTW's allocator (which must be used for its alignment) is asked.  The
 * kernel's quarter, (m/2 + 1)² reals, is transformed in the potentials'
 * block of N_TERMS × nn × m (m ≤ 8/3 × 2 nn).
 */
static gboolean
alloc_blocks (EsTsneFft *self,
              guint      nn,
              GError   **error)
{
  guint nn_cap = MIN (nn + nn / 4, MAX_INTERP * MAX_BOXES), m_cap;
  gsize m, mc;
  guint64 bytes;

  nn_cap = MAX (nn_cap, nn);
  m_cap = _es_tsne_fft_length (nn_cap);
  m = m_cap;
  mc = m / 2 + 1;
  if (!es_memory_check (N_TERMS * (2 * real_stride (nn_cap, m_cap) + 2 * hat_stride (nn_cap, m_cap)) + m * mc +
                        ES_TSNE_N_PARTS * 6 * COL_BLOCK * m,
                        sizeof (float), "t-SNE interpolation grid", &bytes, error))
    return FALSE;

  _es_tsne_fft_free_grids (self);
  self->kernel_t = fftwf_alloc_real (m * mc);
  self->real_block = fftwf_alloc_real (N_TERMS * real_stride (nn_cap, m_cap));
  self->out_block = fftwf_alloc_real (N_TERMS * real_stride (nn_cap, m_cap));
  self->hat_block = fftwf_alloc_complex (N_TERMS * hat_stride (nn_cap, m_cap));
  for (guint p = 0; p < ES_TSNE_N_PARTS; p++)
    self->col_buf[p] = fftwf_alloc_complex (3 * COL_BLOCK * m);
  if (self->kernel_t == NULL || self->real_block == NULL || self->out_block == NULL || self->hat_block == NULL ||
      self->col_buf[0] == NULL || self->col_buf[ES_TSNE_N_PARTS - 1] == NULL)
    {
      _es_tsne_fft_free_grids (self);
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                   "t-SNE interpolation grid: out of memory (%.1f GB)", bytes / 1e9);
      return FALSE;
    }
  self->nn_cap = nn_cap;
  return TRUE;
}

gboolean
_es_tsne_fft_alloc_grids (EsTsneFft *self,
             guint      nn,
             GError   **error)
{
  guint m = _es_tsne_fft_length (nn);
  int mc = (int) (m / 2 + 1), len = (int) m;
  gsize rs = real_stride (nn, m), hs = hat_stride (nn, m);
  gboolean ok = TRUE;

  /* The blocks' length for nn_cap is at least m (both grow with nn). */
  if (nn > self->nn_cap && !alloc_blocks (self, nn, error))
    return FALSE;
  free_plans (self);
  self->nn = nn;
  self->m = m;
  for (guint t = 0; t < N_TERMS; t++)
    {
      self->real[t] = self->real_block + t * rs;
      self->out[t] = self->out_block + t * rs;
      self->hat[t] = self->hat_block + t * hs;
    }
  /* The charges' padding (columns nn … m − 1 of each row) stays 0: the
   * spreading writes, and zeroes, only the first nn columns.
   */
  memset (self->real_block, 0, N_TERMS * rs * sizeof (float));
  for (guint p = 0; p < ES_TSNE_N_PARTS; p++)
    memset (self->col_buf[p], 0, (gsize) COL_BLOCK * m * sizeof (fftwf_complex));

  /* The charges' 2D transforms by rows then columns: only the nn rows
   * that are not padding are transformed forward, and only those needed
   * backward; the columns go through a contiguous buffer a few at a time
   * (FFTW_ESTIMATE plans strided column transforms one column at a time,
   * at half the speed of contiguous ones), where the zero padding is added
   * and the unneeded rows dropped; out of place, through the buffer's
   * three thirds (in place, FFTW copies each column through a buffer of
   * its own: a quarter slower), so the input's padding stays 0.
   */
  g_mutex_lock (&planner_lock);
  for (guint p = 0; p < ES_TSNE_N_PARTS + 1; p++)
    {
      self->row_split[p] = split_at (nn, p, 12);
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
      guint c0 = self->col_split[p];
      int cols = (int) (self->col_split[p + 1] - c0);
      fftw_r2r_kind dct = FFTW_REDFT00;
      fftwf_iodim kernel_row = { mc, 1, 1 }, kernel_rows = { rows, mc, mc };
      fftwf_iodim kernel_col = { mc, mc, mc }, kernel_cols = { cols, 1, 1 };

      if (rows > 0)
        {
          float *k = self->out_block + (gsize) r0 * mc;

          self->kernel_rows[p] = fftwf_plan_guru_r2r (1, &kernel_row, 1, &kernel_rows, k, k, &dct, FFTW_ESTIMATE);
          ok = ok && self->kernel_rows[p] != NULL;
        }
      if (cols > 0)
        {
          float *k = self->out_block + c0;

          self->kernel_columns[p] = fftwf_plan_guru_r2r (1, &kernel_col, 1, &kernel_cols, k, k, &dct, FFTW_ESTIMATE);
          ok = ok && self->kernel_columns[p] != NULL;
        }
      if (rows > 0)
        {
          self->rows_r2c[p] = fftwf_plan_guru_dft_r2c (1, &row_dim, 2, rows_fwd, self->real_block + (gsize) r0 * m,
                                                       hat_rows, FFTW_ESTIMATE);
          self->rows_c2r[p] = fftwf_plan_guru_dft_c2r (1, &row_dim, 2, rows_bwd, hat_rows,
                                                       self->out_block + (gsize) r0 * m, FFTW_ESTIMATE);
          ok = ok && self->rows_r2c[p] != NULL && self->rows_c2r[p] != NULL;
        }
      for (guint b = 0; b < 2; b++)
        {
          int howmany = b == 0 ? COL_BLOCK : 1;

          fftwf_complex *in = self->col_buf[p], *mid = in + (gsize) COL_BLOCK * m, *back = mid + (gsize) COL_BLOCK * m;

          self->cols_forward[p][b] = fftwf_plan_many_dft (1, &len, howmany, in, NULL, 1, len,
                                                          mid, NULL, 1, len, FFTW_FORWARD, FFTW_ESTIMATE);
          self->cols_backward[p][b] = fftwf_plan_many_dft (1, &len, howmany, mid, NULL, 1, len,
                                                           back, NULL, 1, len, FFTW_BACKWARD, FFTW_ESTIMATE);
          ok = ok && self->cols_forward[p][b] != NULL && self->cols_backward[p][b] != NULL;
        }
    }
  g_mutex_unlock (&planner_lock);
  if (!ok)
    {
      _es_tsne_fft_free_grids (self);
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                   "t-SNE interpolation grid: FFTW could not plan %u × %u transforms", m, m);
      return FALSE;
    }
  return TRUE;
}

/* The smallest b' ≥ b with no prime factor above 7: FFTs of 2 × 3 × b'. */
guint
_es_tsne_fft_smooth_size (guint b)
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
