/* es-sparse-svd.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-sparse"

#include "config.h"

#include "es-sparse-svd.h"

#include "es-engine-error.h"
#include "es-memory.h"
#include "es-sparse-private.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <string.h>

struct _EsSparseSvd
{
  gsize   rows;
  gsize   cols;
  guint   k;
  double *s;
  double *u;   /* rows × k */
  double *v;   /* cols × k */
  EsSparseSvdMethod method;
  guint   block;
  guint   iterations;
  guint   space_dims;
  double  max_residual;
};

void
es_sparse_svd_options_init (EsSparseSvdOptions *options)
{
  options->dims = 100;
  options->oversamples = 4;
  options->power_iterations = 8;
  options->seed = 42;
  options->method = ES_SPARSE_SVD_BLOCK_KRYLOV;
}

void
es_sparse_svd_free (EsSparseSvd *self)
{
  if (self == NULL)
    return;
  g_free (self->s);
  g_free (self->u);
  g_free (self->v);
  g_free (self);
}

guint         es_sparse_svd_get_dims            (const EsSparseSvd *self) { return self->k; }
const double *es_sparse_svd_get_singular_values (const EsSparseSvd *self) { return self->s; }
const double *es_sparse_svd_get_u               (const EsSparseSvd *self) { return self->u; }
const double *es_sparse_svd_get_v               (const EsSparseSvd *self) { return self->v; }
guint         es_sparse_svd_get_block           (const EsSparseSvd *self) { return self->block; }
guint         es_sparse_svd_get_iterations      (const EsSparseSvd *self) { return self->iterations; }
guint         es_sparse_svd_get_space_dims      (const EsSparseSvd *self) { return self->space_dims; }
double        es_sparse_svd_get_max_residual    (const EsSparseSvd *self) { return self->max_residual; }

const char *
es_sparse_svd_get_method_name (const EsSparseSvd *self)
{
  return self->method == ES_SPARSE_SVD_BLOCK_KRYLOV ? "block Krylov" : "subspace iteration";
}

/* All the tall matrices (rows × l) are row-major, and every step on them
 * is BLAS 3: Cholesky QR (R = chol (YᵀY), Y ← Y R⁻¹) instead of
 * Householder, whose panels go column by column through BLAS 2.  It
 * squares the condition number, so it is used only where the basis is
 * well conditioned (cond < 1e6, checked on R's diagonal), twice where the
 * result must be orthonormal to double precision and one pass is not
 * enough (CholeskyQR2, Yamamoto et al. 2015); else Householder (LAPACKE's
 * row-major QR) takes over.
 */

static gboolean
qr_failed (lapack_int  info,
           GError    **error)
{
  if (info == 0)
    return FALSE;
  g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC,
               "The QR factorisation failed (LAPACK info %d)", (int) info);
  return TRUE;
}

/* @y (rows × l) ← an orthonormal basis of its columns (Householder). */
static gboolean
householder_float (float   *y,
                   gsize    rows,
                   guint    l,
                   GError **error)
{
  g_autofree float *tau = g_new (float, l);
  lapack_int info = LAPACKE_sgeqrf (LAPACK_ROW_MAJOR, rows, l, y, l, tau);

  if (info == 0)
    info = LAPACKE_sorgqr (LAPACK_ROW_MAJOR, rows, l, l, y, l, tau);
  return !qr_failed (info, error);
}

static gboolean
householder_double (double  *y,
                    gsize    rows,
                    guint    l,
                    GError **error)
{
  g_autofree double *tau = g_new (double, l);
  lapack_int info = LAPACKE_dgeqrf (LAPACK_ROW_MAJOR, rows, l, y, l, tau);

  if (info == 0)
    info = LAPACKE_dorgqr (LAPACK_ROW_MAJOR, rows, l, l, y, l, tau);
  return !qr_failed (info, error);
}

/* @r (l × l, row-major) ← chol (@g) in place, upper; FALSE when @g is not
 * numerically positive definite or its square root is worse conditioned
 * than 1e6.
 */
static gboolean
cholesky_well_conditioned (double *r,
                           guint   l)
{
  double lo = G_MAXDOUBLE, hi = 0;

  if (LAPACKE_dpotrf (LAPACK_ROW_MAJOR, 'U', l, r, l) != 0)
    return FALSE;
  for (guint i = 0; i < l; i++)
    {
      lo = MIN (lo, fabs (r[i * l + i]));
      hi = MAX (hi, fabs (r[i * l + i]));
    }
  return lo > 1e-6 * hi;
}

/* One Cholesky QR in double; @r (l × l) gets R.  @y is untouched on FALSE.
 * *@well_conditioned: LAPACK's estimate of R's condition number (1-norm)
 * is below 100.  Q's distance from orthonormal is about u·cond (Y)²
 * (Yamamoto et al. 2015), so such a Q is orthonormal to ~1e-12 already
 * and a second pass would not change it (measured on Brown: 6e-15 with one
 * pass or two, the Ritz vectors' cond 1.0, Aᵀ Q's 9).
 */
static gboolean
cholesky_qr_double (double   *y,
                    gsize     rows,
                    guint     l,
                    double   *r,
                    gboolean *well_conditioned)
{
  double rcond = 0;

  memset (r, 0, (gsize) l * l * sizeof (double));
  _es_sparse_tall_dsyrk (rows, l, y, r);
  if (!cholesky_well_conditioned (r, l))
    return FALSE;
  *well_conditioned = LAPACKE_dtrcon (LAPACK_ROW_MAJOR, '1', 'U', 'N', l, r, l, &rcond) == 0 && rcond > 1e-2;
  _es_sparse_tall_dtrsm (rows, l, r, y);
  return TRUE;
}

/* CholeskyQR2: Y = Q R with Q orthonormal to double precision (~1e-12
 * or better); @r (l × l, upper) gets R.  FALSE when Y is too
 * ill-conditioned (then @y may hold a first, less accurate Q).  The
 * second pass only where the first R is not well conditioned.
 */
static gboolean
cholesky_qr2 (double *y,
              gsize   rows,
              guint   l,
              double *r)
{
  g_autofree double *r1 = g_new (double, (gsize) l * l);
  gboolean well_conditioned;

  if (!cholesky_qr_double (y, rows, l, r1, &well_conditioned))
    return FALSE;
  if (well_conditioned)
    {
      memcpy (r, r1, (gsize) l * l * sizeof (double));
      return TRUE;
    }
  if (!cholesky_qr_double (y, rows, l, r, &well_conditioned))
    return FALSE;
  /* Y = Q₁ R₁ = Q R₂ R₁ */
  cblas_dtrmm (CblasRowMajor, CblasRight, CblasUpper, CblasNoTrans, CblasNonUnit, l, l, 1.0, r1, l, r, l);
  return TRUE;
}

/* The power iterations' normalisation in float32 (one Cholesky QR, the
 * l × l factorisation in double): the basis only has to stay well
 * conditioned; the final one is made in double.
 */
gboolean
_es_sparse_normalize_float (float    *y,
                            gsize     rows,
                            guint     l,
                            gboolean *householder,
                            GError  **error)
{
  g_autofree float *gf = g_new0 (float, (gsize) l * l);
  g_autofree double *g = g_new (double, (gsize) l * l);

  _es_sparse_tall_ssyrk (rows, l, y, gf);
  for (gsize i = 0; i < (gsize) l * l; i++)
    g[i] = gf[i];
  if (householder != NULL)
    *householder = FALSE;
  if (!cholesky_well_conditioned (g, l))
    {
      if (householder != NULL)
        *householder = TRUE;
      return householder_float (y, rows, l, error);
    }
  for (gsize i = 0; i < (gsize) l * l; i++)
    gf[i] = (float) g[i];
  _es_sparse_tall_strsm (rows, l, gf, y);
  return TRUE;
}

typedef struct
{
  float   *out;
  guint64  n;
  guint64  seed;
} NormalJob;

/* Normals 2j and 2j + 1 are the two of Box–Muller on splitmix64's draws
 * 2j and 2j + 1 from @seed (its state after i draws is seed + i·γ, so
 * each half starts where it is): both outputs, half the sin/cos/log
 * of one normal per pair of draws.
 */
static void
normal_part (guint    index,
             gpointer data)
{
  NormalJob *job = data;
  guint64 pairs = (job->n + 1) / 2;
  guint64 from = index == 0 ? 0 : pairs / 2, to = index == 0 ? pairs / 2 : pairs;
  guint64 state = job->seed + 2 * from * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);

  for (guint64 j = from; j < to; j++)
    {
      double u1 = ((_es_sparse_rand_next (&state) >> 11) + 1.0) / 9007199254740992.0;
      double u2 = (_es_sparse_rand_next (&state) >> 11) / 9007199254740992.0;
      double r = sqrt (-2.0 * log (u1)), c = cos (2.0 * G_PI * u2), sn = sin (2.0 * G_PI * u2);

      job->out[2 * j] = (float) (r * c);
      if (2 * j + 1 < job->n)
        job->out[2 * j + 1] = (float) (r * sn);
    }
}

void
_es_sparse_fill_normal (float   *out,
             guint64  n,
             guint64  seed)
{
  NormalJob job = { out, n, seed };

  _es_sparse_run_parallel (2, normal_part, &job);
}

/* Entry e is bit e % 64 of splitmix64's draw e / 64 from @seed: 1 → −1,
 * 0 → +1.  Each half starts at its own draw (the state after i draws is
 * seed + i·γ).
 */
static void
sign_part (guint    index,
           gpointer data)
{
  NormalJob *job = data;
  guint64 draws = (job->n + 63) / 64;
  guint64 from = index == 0 ? 0 : draws / 2, to = index == 0 ? draws / 2 : draws;
  guint64 state = job->seed + from * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);

  for (guint64 j = from; j < to; j++)
    {
      guint64 bits = _es_sparse_rand_next (&state);
      guint64 end = MIN (64, job->n - 64 * j);

      for (guint64 b = 0; b < end; b++)
        job->out[64 * j + b] = (bits >> b) & 1 ? -1.0f : 1.0f;
    }
}

void
_es_sparse_fill_signs (float   *out,
                       guint64  n,
                       guint64  seed)
{
  NormalJob job = { out, n, seed };

  _es_sparse_run_parallel (2, sign_part, &job);
}

typedef struct
{
  const EsSparseSvd *self;
  const float       *av;     /* rows × width */
  guint              width;
  double            *sq[2];  /* per row half: Σ_i (A V − U Σ)²_ic */
} ResidualJob;

static void
residual_half (guint    index,
               gpointer data)
{
  ResidualJob *job = data;
  const EsSparseSvd *self = job->self;
  gsize from = index == 0 ? 0 : self->rows / 2, to = index == 0 ? self->rows / 2 : self->rows;
  double *sq = job->sq[index];

  for (gsize i = from; i < to; i++)
    for (guint c = 0; c < self->k; c++)
      {
        double e = job->av[i * job->width + c] - self->s[c] * self->u[i * self->k + c];
        sq[c] += e * e;
      }
}

/* max_i ‖A v_i − σ_i u_i‖ / σ_i, through one product A V (float32 sums:
 * accurate to ~1e-6 relative, and the residual is a bound of 1e-2..1e-4);
 * the rows' sums in two fixed halves.  V is padded with zero columns to
 * a whole number of 8-float vectors: the product's kernels take the
 * columns past the last whole vector one at a time (k = 100: 4 more
 * passes over every row).
 */
static gboolean
measure_residual (EsSparseSvd           *self,
                  const EsSparseMatrix  *a,
                  GError               **error)
{
  guint width = (self->k + 7) / 8 * 8;
  g_autofree float *vf = _es_alloc_huge (self->cols, (guint64) width * sizeof (float), FALSE, "The SVD check", error);
  g_autofree float *av = NULL;
  g_autofree double *sq0 = g_new0 (double, self->k);
  g_autofree double *sq1 = g_new0 (double, self->k);
  ResidualJob job = { self, NULL, width, { sq0, sq1 } };

  if (vf == NULL ||
      !(av = _es_alloc_huge (self->rows, (guint64) width * sizeof (float), FALSE, "The SVD check", error)))
    return FALSE;
  for (gsize j = 0; j < self->cols; j++)
    for (guint c = 0; c < width; c++)
      vf[j * width + c] = c < self->k ? (float) self->v[j * self->k + c] : 0.0f;
  _es_sparse_spmm_float (a, vf, width, av);
  job.av = av;
  _es_sparse_run_parallel (2, residual_half, &job);
  self->max_residual = 0;
  for (guint c = 0; c < self->k; c++)
    if (self->s[c] > 0)
      self->max_residual = MAX (self->max_residual, sqrt (sq0[c] + sq1[c]) / self->s[c]);
  return TRUE;
}

EsSparseSvd *
es_sparse_svd_compute (const EsSparseMatrix      *a,
                       const EsSparseSvdOptions  *options,
                       GCancellable              *cancellable,
                       EsProgressFunc             progress,
                       gpointer                   progress_data,
                       GError                   **error)
{
  return _es_sparse_svd_compute_with (a, NULL, TRUE, options, cancellable, progress, progress_data, error);
}

EsSparseSvd *
_es_sparse_svd_compute_with (const EsSparseMatrix      *a,
                             const EsSparseMatrix      *given_at,
                             gboolean                   check,
                             const EsSparseSvdOptions  *options,
                             GCancellable              *cancellable,
                             EsProgressFunc             progress,
                             gpointer                   progress_data,
                             GError                   **error)
{
  g_autoptr(EsSparseSvd) self = NULL;
  g_autoptr(EsSparseMatrix) own_at = NULL;
  const EsSparseMatrix *at = given_at;
  g_autofree float *y = NULL;       /* rows × l */
  g_autofree float *z = NULL;       /* cols × l */
  g_autofree double *q = NULL;      /* rows × l */
  g_autofree double *c = NULL;      /* cols × l */
  g_autofree double *r = NULL;      /* l × l */
  g_autofree double *s = NULL;
  g_autofree double *ur = NULL;     /* l × l */
  g_autofree double *pt = NULL;     /* l × l */
  g_autofree double *superb = NULL;
  EsSparseSvdOptions defaults;
  gsize m = es_sparse_matrix_get_rows (a), n = es_sparse_matrix_get_cols (a);
  gboolean householder_c = FALSE;
  guint k, l, iterations, space_dims;
  lapack_int info;

  if (options == NULL)
    {
      es_sparse_svd_options_init (&defaults);
      options = &defaults;
    }
  k = options->dims;
  if (k < 1 || k >= MIN (m, n))
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "%u dimensions need a matrix larger than %" G_GSIZE_FORMAT " × %" G_GSIZE_FORMAT
                   " (at most %" G_GSIZE_FORMAT ")", k, m, n, MIN (m, n) - 1);
      return NULL;
    }
  /* The sketch is a whole number of vectors wide where the matrix allows
   * (the extra columns are extra oversampling).
   */
  l = (guint) MIN ((guint64) k + options->oversamples, MIN (m, n));
  if ((l + 7) / 8 * 8 <= MIN (m, n))
    l = (l + 7) / 8 * 8;
  /* Block Krylov where not even two blocks fit: one block of all
   * min (rows, cols) columns spans A's range.
   */
  if (options->method == ES_SPARSE_SVD_BLOCK_KRYLOV && MIN (m, n) < 2 * (gsize) l)
    l = MIN (m, n);

  /* Every large buffer here is on huge pages (_es_alloc_huge): on a
   * virtual machine a fresh 4 kB page costs ~16 µs to fault in, and the
   * SVD of Brown touched ~20k of them (a third of its CPU time).
   */
  if (!(y = _es_alloc_huge (m, (guint64) l * sizeof (float), FALSE, "The SVD sketch", error)) ||
      !(z = _es_alloc_huge (n, (guint64) l * sizeof (float), FALSE, "The SVD sketch", error)) ||
      (at == NULL && !(at = own_at = es_sparse_matrix_transpose (a, error))))
    return NULL;

  if (options->method == ES_SPARSE_SVD_BLOCK_KRYLOV)
    {
      /* As many blocks as fit in min (rows, cols). */
      iterations = MIN (options->power_iterations, (guint) (MIN (m, n) / l) - 1);
      if (!_es_sparse_krylov_range (a, at, l, iterations, l, options->seed, y,
                                    cancellable, progress, progress_data, error))
        return NULL;
      space_dims = l * (iterations + 1);
    }
  else
    {
      /* Y = A Ω with Ω standard normal (cols × l), then q times
       * Y ← A (Aᵀ Y), all in float32.  Only Y is re-normalised: Aᵀ Y, with Y
       * orthonormal, is no worse conditioned than A's top l singular values.
       */
      _es_sparse_fill_normal (z, (guint64) n * l, options->seed);
      _es_sparse_spmm_float (a, z, l, y);
      for (guint it = 0; it < options->power_iterations; it++)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
              !_es_sparse_normalize_float (y, m, l, NULL, error))
            return NULL;
          _es_sparse_spmm_float (at, y, l, z);
          _es_sparse_spmm_float (a, z, l, y);
          if (progress != NULL)
            progress (0.9 * (it + 1) / (options->power_iterations + 1), progress_data);
        }
      iterations = options->power_iterations;
      space_dims = l;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  /* Q: Y's orthonormal basis, in double. */
  r = g_new (double, (gsize) l * l);
  if (!(q = _es_alloc_huge (m, (guint64) l * sizeof (double), FALSE, "The SVD sketch", error)) ||
      !(c = _es_alloc_huge (n, (guint64) l * sizeof (double), FALSE, "The SVD sketch", error)))
    return NULL;
  for (gsize i = 0; i < m * l; i++)
    q[i] = y[i];
  if ((!cholesky_qr2 (q, m, l, r)) && !householder_double (q, m, l, error))
    return NULL;
  for (gsize i = 0; i < m * l; i++)
    y[i] = (float) q[i];

  /* C = Aᵀ Q (cols × l; float32 sums are accurate to ~1e-7 here, and C
   * is only factored, never re-orthonormalised), so A ≈ Q Cᵀ.  C = Q₂ R and
   * R = U_R Σ Pᵀ (a small SVD) give C = (Q₂ U_R) Σ Pᵀ: U = Q P, V = Q₂ U_R.
   * An ill-conditioned C (A of rank < l) goes to LAPACK's SVD whole.
   */
  _es_sparse_spmm_float (at, y, l, z);
  for (gsize j = 0; j < n * l; j++)
    c[j] = z[j];
  if (!cholesky_qr2 (c, n, l, r))
    {
      householder_c = TRUE;
      for (gsize j = 0; j < n * l; j++)
        c[j] = z[j];
    }
  s = g_new (double, l);
  ur = g_new (double, (gsize) l * l);
  pt = g_new (double, (gsize) l * l);
  superb = g_new (double, l);
  if (householder_c)
    /* C = W Σ Pᵀ, W (cols × l) over C. */
    info = LAPACKE_dgesvd (LAPACK_ROW_MAJOR, 'O', 'S', n, l, c, l, s, NULL, l, pt, l, superb);
  else
    info = LAPACKE_dgesvd (LAPACK_ROW_MAJOR, 'S', 'S', l, l, r, l, s, ur, l, pt, l, superb);
  if (info != 0)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC,
                   "The small SVD did not converge (LAPACK info %d)", (int) info);
      return NULL;
    }

  self = g_new0 (EsSparseSvd, 1);
  self->method = options->method;
  self->block = l;
  self->iterations = iterations;
  self->space_dims = space_dims;
  self->rows = m;
  self->cols = n;
  self->k = k;
  self->s = g_memdup2 (s, k * sizeof (double));
  if (!(self->u = _es_alloc_huge (m, (guint64) k * sizeof (double), FALSE, "The SVD vectors", error)) ||
      !(self->v = _es_alloc_huge (n, (guint64) k * sizeof (double), FALSE, "The SVD vectors", error)))
    return NULL;
  /* U = Q P (first k columns; Pᵀ is row-major). */
  _es_sparse_tall_dgemm (m, TRUE, k, l, q, l, pt, l, self->u, k);
  if (householder_c)
    for (gsize j = 0; j < n; j++)
      memcpy (self->v + j * k, c + j * l, k * sizeof (double));
  else
    _es_sparse_tall_dgemm (n, FALSE, k, l, c, l, ur, l, self->v, k);

  /* Signs: the largest-magnitude entry of each column of U positive (the
   * first such entry on ties), found in one pass over U's rows.
   */
  {
    g_autofree double *best = g_new0 (double, k);

    for (gsize i = 0; i < m; i++)
      for (guint col = 0; col < k; col++)
        if (fabs (self->u[i * k + col]) > fabs (best[col]))
          best[col] = self->u[i * k + col];
    for (gsize i = 0; i < m; i++)
      for (guint col = 0; col < k; col++)
        if (best[col] < 0)
          self->u[i * k + col] = -self->u[i * k + col];
    for (gsize j = 0; j < n; j++)
      for (guint col = 0; col < k; col++)
        if (best[col] < 0)
          self->v[j * k + col] = -self->v[j * k + col];
  }
  if (!check)
    self->max_residual = NAN;
  else if (!measure_residual (self, a, error))
    return NULL;
  if (progress != NULL)
    progress (1.0, progress_data);

  return g_steal_pointer (&self);
}

float *
es_sparse_svd_dup_row_vectors (const EsSparseSvd  *self,
                               double              power,
                               GError            **error)
{
  float *out = _es_alloc_huge (self->rows, (guint64) self->k * sizeof (float), FALSE, "The word vectors", error);
  g_autofree double *scale = g_new (double, self->k);

  if (out == NULL)
    return NULL;
  for (guint c = 0; c < self->k; c++)
    scale[c] = power == 0 ? 1.0 : pow (self->s[c], power);
  for (gsize i = 0; i < self->rows; i++)
    for (guint c = 0; c < self->k; c++)
      out[i * self->k + c] = (float) (self->u[i * self->k + c] * scale[c]);
  return out;
}
