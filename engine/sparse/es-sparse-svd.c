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
};

void
es_sparse_svd_options_init (EsSparseSvdOptions *options)
{
  options->dims = 100;
  options->oversamples = 10;
  options->power_iterations = 5;
  options->seed = 42;
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

/* @y (rows × l, row-major) ← an orthonormal basis of its columns. */
static gboolean
orthonormalize (double  *y,
                gsize    rows,
                guint    l,
                GError **error)
{
  g_autofree double *tau = g_new (double, l);
  lapack_int info;

  info = LAPACKE_dgeqrf (LAPACK_ROW_MAJOR, rows, l, y, l, tau);
  if (info == 0)
    info = LAPACKE_dorgqr (LAPACK_ROW_MAJOR, rows, l, l, y, l, tau);
  if (info != 0)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC,
                   "The QR factorisation failed (LAPACK info %d)", (int) info);
      return FALSE;
    }
  return TRUE;
}

/* Cheaper normalisation for the intermediate power iterations (Cholesky
 * QR: R = chol (YᵀY), Y ← Y R⁻¹, all BLAS 3); its basis only has to stay
 * well conditioned (the final one is Householder).  Falls back to
 * Householder when YᵀY is not numerically positive definite.
 */
static gboolean
normalize_fast (double  *y,
                gsize    rows,
                guint    l,
                GError **error)
{
  g_autofree double *g = g_new0 (double, (gsize) l * l);

  cblas_dsyrk (CblasRowMajor, CblasUpper, CblasTrans, l, rows, 1.0, y, l, 0.0, g, l);
  if (LAPACKE_dpotrf (LAPACK_ROW_MAJOR, 'U', l, g, l) != 0)
    return orthonormalize (y, rows, l, error);
  cblas_dtrsm (CblasRowMajor, CblasRight, CblasUpper, CblasNoTrans, CblasNonUnit, rows, l, 1.0, g, l, y, l);
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
  g_autoptr(EsSparseSvd) self = NULL;
  g_autoptr(EsSparseMatrix) at = NULL;
  g_autofree double *y = NULL;      /* rows × l */
  g_autofree double *z = NULL;      /* cols × l */
  g_autofree double *s = NULL;
  g_autofree double *w = NULL;      /* cols × l */
  g_autofree double *ut = NULL;     /* l × l */
  g_autofree double *superb = NULL;
  EsSparseSvdOptions defaults;
  gsize m = es_sparse_matrix_get_rows (a), n = es_sparse_matrix_get_cols (a);
  guint k, l;
  guint64 state;
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
  l = (guint) MIN ((guint64) k + options->oversamples, MIN (m, n));

  if (!(y = es_memory_try_alloc (m, (guint64) l * sizeof (double), "The SVD sketch", error)) ||
      !(z = es_memory_try_alloc (n, (guint64) l * sizeof (double), "The SVD sketch", error)) ||
      !(w = es_memory_try_alloc (n, (guint64) l * sizeof (double), "The SVD sketch", error)) ||
      !(at = es_sparse_matrix_transpose (a, error)))
    return NULL;

  /* Ω: standard normal, cols × l. */
  state = options->seed;
  for (guint64 i = 0; i < (guint64) n * l; i++)
    z[i] = _es_sparse_rand_normal (&state);

  es_sparse_matrix_multiply (a, z, l, y);
  if (!normalize_fast (y, m, l, error))
    return NULL;
  for (guint q = 0; q < options->power_iterations; q++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      es_sparse_matrix_multiply (at, y, l, z);
      if (!normalize_fast (z, n, l, error))
        return NULL;
      es_sparse_matrix_multiply (a, z, l, y);
      if (!(q + 1 == options->power_iterations ? orthonormalize (y, m, l, error) : normalize_fast (y, m, l, error)))
        return NULL;
      if (progress != NULL)
        progress (0.9 * (q + 1) / (options->power_iterations + 1), progress_data);
    }
  if (options->power_iterations == 0 && !orthonormalize (y, m, l, error))
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  /* Bᵀ = Aᵀ Q (cols × l) = W Σ Ũᵀ, so A ≈ Q Ũ Σ Wᵀ. */
  es_sparse_matrix_multiply (at, y, l, z);
  s = g_new (double, l);
  ut = g_new (double, (gsize) l * l);
  superb = g_new (double, l);
  info = LAPACKE_dgesvd (LAPACK_ROW_MAJOR, 'S', 'S', n, l, z, l, s, w, l, ut, l, superb);
  if (info != 0)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC,
                   "The small SVD did not converge (LAPACK info %d)", (int) info);
      return NULL;
    }

  self = g_new0 (EsSparseSvd, 1);
  self->rows = m;
  self->cols = n;
  self->k = k;
  self->s = g_memdup2 (s, k * sizeof (double));
  if (!(self->u = es_memory_try_alloc (m, (guint64) k * sizeof (double), "The SVD vectors", error)) ||
      !(self->v = es_memory_try_alloc (n, (guint64) k * sizeof (double), "The SVD vectors", error)))
    return NULL;
  /* U = Q · (Ũᵀ)ᵀ, first k columns. */
  cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasTrans, m, k, l, 1.0, y, l, ut, l, 0.0, self->u, k);
  for (gsize j = 0; j < n; j++)
    memcpy (self->v + j * k, w + j * l, k * sizeof (double));

  /* Signs: the largest-magnitude entry of each column of U positive. */
  for (guint c = 0; c < k; c++)
    {
      double best = 0;

      for (gsize i = 0; i < m; i++)
        if (fabs (self->u[i * k + c]) > fabs (best))
          best = self->u[i * k + c];
      if (best < 0)
        {
          for (gsize i = 0; i < m; i++)
            self->u[i * k + c] = -self->u[i * k + c];
          for (gsize j = 0; j < n; j++)
            self->v[j * k + c] = -self->v[j * k + c];
        }
    }
  if (progress != NULL)
    progress (1.0, progress_data);

  return g_steal_pointer (&self);
}

float *
es_sparse_svd_dup_row_vectors (const EsSparseSvd  *self,
                               double              power,
                               GError            **error)
{
  float *out = es_memory_try_alloc (self->rows, (guint64) self->k * sizeof (float), "The word vectors", error);
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
