/* es-pca.c: exact PCA and truncated SVD through the D x D Gram matrix
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both decompose G = X^T X of the pre-processed rows X (n x D; PCA centres
 * them and divides G by n - 1, giving the covariance).  G is accumulated in
 * double from float ssyrk products over blocks of rows: each block sums only
 * a few thousand float products, and the blocks add up in double, so the
 * result agrees with a float64 computation to about 1e-7 while running at
 * float speed.  The top k eigenpairs of G then come from LAPACKE_dsyevr
 * (range 'I'), and every row is projected with one sgemm per block.
 *
 * Threads: BLAS runs with whatever thread count the application chose
 * (openblas_set_num_threads / OPENBLAS_NUM_THREADS); the engine never changes
 * that global setting.
 */

#define G_LOG_DOMAIN "es-pca"

#include "config.h"

#include "es-pca-private.h"

#include "es-engine-error.h"
#include "es-memory.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <string.h>

/* Upper triangle (row-major) of sum over blocks of block^T block, scaled. */
static double *
accumulate_gram (const EsRowPrep *prep,
                 double           scale,
                 float            block_scale,
                 GCancellable    *cancellable,
                 const EsStage   *stage,
                 GError         **error)
{
  gsize rows = es_embedding_set_get_rows (prep->set);
  gsize dims = es_embedding_set_get_dims (prep->set);
  gsize block_rows = MIN (rows, ES_PROJECTION_BLOCK_ROWS);
  g_autofree double *gram = g_try_new0 (double, dims * dims);
  g_autofree float *partial = g_try_new (float, dims * dims);
  g_autofree float *buffer = g_try_new (float, block_rows * dims);

  if (gram == NULL || partial == NULL || buffer == NULL)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                   "cannot allocate a %" G_GSIZE_FORMAT " x %" G_GSIZE_FORMAT " covariance matrix",
                   dims, dims);
      return NULL;
    }

  for (gsize first = 0; first < rows; first += block_rows)
    {
      gsize n = MIN (block_rows, rows - first);
      const float *block;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      _es_stage_report (stage, (double) first / rows);

      block = _es_row_prep_fill_block (prep, first, n, buffer);
      /* Values near the float range: the float products would overflow. */
      if (block_scale != 1.0f)
        {
          for (gsize i = 0; i < n * dims; i++)
            buffer[i] = block[i] * block_scale;
          block = buffer;
        }
      cblas_ssyrk (CblasRowMajor, CblasUpper, CblasTrans,
                   dims, n,
                   1.0f, block, dims,
                   0.0f, partial, dims);

      for (gsize i = 0; i < dims; i++)
        for (gsize j = i; j < dims; j++)
          gram[i * dims + j] += partial[i * dims + j];
    }

  for (gsize i = 0; i < dims; i++)
    for (gsize j = i; j < dims; j++)
      gram[i * dims + j] *= scale;

  _es_stage_report (stage, 1.0);

  return g_steal_pointer (&gram);
}

/* The largest absolute prepared value (0 when there is none). */
static double
max_abs_value (const EsRowPrep *prep,
               float           *buffer,
               gsize            block_rows)
{
  gsize rows = es_embedding_set_get_rows (prep->set);
  gsize dims = es_embedding_set_get_dims (prep->set);
  double max_abs = 0.0;

  for (gsize first = 0; first < rows; first += block_rows)
    {
      gsize n = MIN (block_rows, rows - first);
      const float *block = _es_row_prep_fill_block (prep, first, n, buffer);

      for (gsize i = 0; i < n * dims; i++)
        if (isfinite (block[i]))
          max_abs = MAX (max_abs, fabs ((double) block[i]));
    }

  return max_abs;
}

/* Top @k eigenpairs of the symmetric @gram (upper triangle; destroyed),
 * largest first: @values (k) and @vectors (k x dims, one per row, signed by
 * the convention of _es_component_fix_sign).
 */
static gboolean
top_eigenpairs (double  *gram,
                gsize    dims,
                guint    k,
                double  *values,
                double  *vectors,
                GError **error)
{
  g_autofree double *w = g_new (double, dims);
  g_autofree double *z = g_new (double, dims * k);
  g_autofree lapack_int *isuppz = g_new (lapack_int, 2 * MAX (k, 1));
  lapack_int found = 0;
  lapack_int info;

  /* abstol = 2 * safe minimum: the most accurate setting, per LAPACK. */
  info = LAPACKE_dsyevr (LAPACK_ROW_MAJOR, 'V', 'I', 'U',
                         dims, gram, dims,
                         0.0, 0.0, dims - k + 1, dims,
                         2.0 * LAPACKE_dlamch ('S'),
                         &found, w, z, k, isuppz);
  if (info != 0)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC,
                   "LAPACKE_dsyevr failed (info = %d) on the %" G_GSIZE_FORMAT " x %"
                   G_GSIZE_FORMAT " matrix",
                   (int) info, dims, dims);
      return FALSE;
    }
  if (found != (lapack_int) k)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC,
                   "LAPACKE_dsyevr found %d eigenvalues instead of %u",
                   (int) found, k);
      return FALSE;
    }

  /* dsyevr sorts ascending, and its vectors are the columns of z. */
  for (guint c = 0; c < k; c++)
    {
      guint src = k - 1 - c;

      values[c] = w[src];
      for (gsize j = 0; j < dims; j++)
        vectors[c * dims + j] = z[j * k + src];
      _es_component_fix_sign (vectors + c * dims, dims);
    }

  return TRUE;
}

/* Fewer rows than dimensions: the n x n matrix K = X X^T has the same
 * non-zero eigenvalues as X^T X, and each component is X^T u / |X^T u|.
 * An 8000-dimension file of 4 rows decomposes a 4 x 4 matrix instead of an
 * 8000 x 8000 one (47 s, not cancellable).  In double, scaled to at most 1.
 */
static EsProjection *
pca_by_row_gram (EsEmbeddingSet             *set,
                 const EsProjectionOptions  *options,
                 const EsRowPrep            *prep,
                 double                     *mean_owned,
                 gsize                       n_valid,
                 guint                       k,
                 GCancellable               *cancellable,
                 const EsStage              *stage,
                 GError                    **error)
{
  g_autofree double *mean = mean_owned;
  gboolean pca = options->method == ES_METHOD_PCA;
  gsize rows = es_embedding_set_get_rows (set);
  gsize dims = es_embedding_set_get_dims (set);
  EsStage project_stage = *stage;
  g_autoptr(EsProjection) self = NULL;
  g_autofree float *block = NULL;
  g_autofree double *x = NULL;
  g_autofree double *gram = NULL;
  g_autofree double *values = NULL;
  g_autofree double *u = NULL;
  double max_abs = 0.0, trace = 0.0, back;

  block = es_memory_try_alloc (rows, dims * sizeof (float), "the PCA's rows", error);
  x = block != NULL ? es_memory_try_alloc (rows, dims * sizeof (double), "the PCA's rows", error) : NULL;
  gram = x != NULL ? es_memory_try_alloc (rows, rows * sizeof (double), "the PCA's Gram matrix", error) : NULL;
  if (gram == NULL)
    return NULL;
  {
    const float *filled = _es_row_prep_fill_block (prep, 0, rows, block);

    for (gsize i = 0; i < rows * dims; i++)
      if (isfinite (filled[i]))
        max_abs = MAX (max_abs, fabs ((double) filled[i]));
    if (!(max_abs > 0.0))
      max_abs = 1.0;
    for (gsize i = 0; i < rows * dims; i++)
      x[i] = isfinite (filled[i]) ? filled[i] / max_abs : 0.0;
  }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  /* K = X X^T (upper triangle), then its trace: the total variance. */
  cblas_dsyrk (CblasRowMajor, CblasUpper, CblasNoTrans, rows, dims,
               1.0, x, dims, 0.0, gram, rows);
  back = max_abs * max_abs / (pca ? (double) (n_valid - 1) : 1.0);
  for (gsize i = 0; i < rows; i++)
    trace += gram[i * rows + i];
  trace *= back;
  if (pca && !(trace > 0.0))
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC,
                   "PCA: the total variance is zero (all %" G_GSIZE_FORMAT " valid rows are equal)",
                   n_valid);
      return NULL;
    }

  self = _es_projection_new (options->method, rows, dims, k, error);
  if (self == NULL)
    return NULL;
  self->n_fitted = n_valid;
  values = g_new (double, k);
  u = g_new (double, (gsize) k * rows);
  if (!top_eigenpairs (gram, rows, k, values, u, error))
    return NULL;

  for (guint c = 0; c < k; c++)
    {
      double *v = self->components + (gsize) c * dims;
      double norm = 0.0;

      /* v = X^T u, normalised (the sign as the covariance path fixes it). */
      cblas_dgemv (CblasRowMajor, CblasTrans, rows, dims, 1.0, x, dims, u + (gsize) c * rows, 1,
                   0.0, v, 1);
      for (gsize j = 0; j < dims; j++)
        norm += v[j] * v[j];
      norm = sqrt (norm);
      if (norm > 0.0)
        for (gsize j = 0; j < dims; j++)
          v[j] /= norm;
      _es_component_fix_sign (v, dims);
      values[c] = MAX (values[c], 0.0) * back;
    }

  if (pca)
    {
      self->eigenvalues = g_memdup2 (values, sizeof (double) * k);
      self->ratio = g_new (double, k);
      self->cumulative = g_new (double, k);
      for (guint c = 0; c < k; c++)
        {
          self->ratio[c] = self->eigenvalues[c] / trace;
          self->cumulative[c] = self->ratio[c] + (c > 0 ? self->cumulative[c - 1] : 0.0);
        }
    }
  else
    {
      self->singular_values = g_new (double, k);
      for (guint c = 0; c < k; c++)
        self->singular_values[c] = sqrt (values[c]);
    }
  _es_stage_report (stage, 0.8);

  project_stage.start = stage->start + stage->span * 0.8;
  project_stage.span = stage->span * 0.2;
  if (!_es_projection_project_rows (self, prep, cancellable, &project_stage, error))
    return NULL;
  self->mean = g_steal_pointer (&mean);

  return g_steal_pointer (&self);
}

EsProjection *
_es_pca_compute (EsEmbeddingSet             *set,
                 const EsProjectionOptions  *options,
                 guint                       n_components,
                 GCancellable               *cancellable,
                 const EsStage              *stage,
                 GError                    **error)
{
  gboolean pca = options->method == ES_METHOD_PCA;
  gboolean center = pca || options->center;
  gsize n_valid = es_embedding_set_get_n_valid (set);
  gsize dims = es_embedding_set_get_dims (set);
  EsStage mean_stage = *stage, gram_stage = *stage, project_stage = *stage;
  EsRowPrep prep = { set, options->normalize, NULL };
  g_autofree double *mean = NULL;
  g_autofree double *gram = NULL;
  g_autoptr(EsProjection) self = NULL;
  double trace = 0.0;
  guint k = n_components;

  g_assert (options->method == ES_METHOD_PCA || options->method == ES_METHOD_SVD);
  g_assert (k >= 1 && k <= dims);

  if (n_valid < 2)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC,
                   "%s needs at least 2 valid rows, the set has %" G_GSIZE_FORMAT,
                   pca ? "PCA" : "SVD", n_valid);
      return NULL;
    }
  if (dims > G_MAXINT)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                   "%" G_GSIZE_FORMAT " dimensions are too many to decompose", dims);
      return NULL;
    }

  /* Progress: the passes over the rows dominate; the eigensolver is quick. */
  mean_stage.span = stage->span * (center ? 0.15 : 0.0);
  gram_stage.start = mean_stage.start + mean_stage.span;
  gram_stage.span = stage->span * (center ? 0.6 : 0.75);
  project_stage.start = stage->start + stage->span * 0.8;
  project_stage.span = stage->span * 0.2;

  if (center)
    {
      mean = _es_row_prep_compute_mean (&prep, cancellable, &mean_stage, error);
      if (mean == NULL)
        return NULL;
      prep.mean = mean;
    }

  if (es_embedding_set_get_rows (set) < dims && k < n_valid)
    return pca_by_row_gram (set, options, &prep, g_steal_pointer (&mean), n_valid, k,
                            cancellable, stage, error);

  gram = accumulate_gram (&prep, pca ? 1.0 / (n_valid - 1) : 1.0, 1.0f, cancellable, &gram_stage, error);
  if (gram == NULL)
    return NULL;

  for (gsize j = 0; j < dims; j++)
    trace += gram[j * dims + j];

  /* Values near ±3.4e38 overflow the float products: again, scaled to at
   * most 1 and scaled back in double (the ratios would be NaN, "null").
   */
  if (!isfinite (trace))
    {
      gsize block_rows = MIN (es_embedding_set_get_rows (set), ES_PROJECTION_BLOCK_ROWS);
      g_autofree float *buffer = es_memory_try_alloc (block_rows, dims * sizeof (float),
                                                      "the PCA's row block", error);
      double max_abs;

      if (buffer == NULL)
        return NULL;
      max_abs = max_abs_value (&prep, buffer, block_rows);
      g_clear_pointer (&gram, g_free);
      gram = accumulate_gram (&prep, (pca ? 1.0 / (n_valid - 1) : 1.0) * max_abs * max_abs,
                              (float) (1.0 / max_abs), cancellable, &gram_stage, error);
      if (gram == NULL)
        return NULL;
      trace = 0.0;
      for (gsize j = 0; j < dims; j++)
        trace += gram[j * dims + j];
    }
  if (pca && !(trace > 0.0))
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC,
                   "PCA: the total variance is zero (all %" G_GSIZE_FORMAT " valid rows are equal)",
                   n_valid);
      return NULL;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  self = _es_projection_new (options->method, es_embedding_set_get_rows (set), dims, k, error);
  if (self == NULL)
    return NULL;
  self->n_fitted = n_valid;

  if (pca)
    {
      self->eigenvalues = g_new (double, k);
      if (!top_eigenpairs (gram, dims, k, self->eigenvalues, self->components, error))
        return NULL;

      /* ratio = eigenvalue / total variance, as sklearn's explained_variance_ratio_ */
      self->ratio = g_new (double, k);
      self->cumulative = g_new (double, k);
      for (guint c = 0; c < k; c++)
        {
          self->ratio[c] = self->eigenvalues[c] / trace;
          self->cumulative[c] = self->ratio[c] + (c > 0 ? self->cumulative[c - 1] : 0.0);
        }
    }
  else
    {
      self->singular_values = g_new (double, k);
      if (!top_eigenpairs (gram, dims, k, self->singular_values, self->components, error))
        return NULL;

      /* Rounding can leave a zero eigenvalue slightly negative. */
      for (guint c = 0; c < k; c++)
        self->singular_values[c] = sqrt (MAX (self->singular_values[c], 0.0));
    }
  _es_stage_report (stage, 0.8);

  if (!_es_projection_project_rows (self, &prep, cancellable, &project_stage, error))
    return NULL;

  self->mean = g_steal_pointer (&mean);

  return g_steal_pointer (&self);
}
