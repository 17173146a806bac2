/* es-transform.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A matrix applied to every row (X W through sgemm), or directions
 * projected out (X − X Q Qᵀ).  Several directions are orthonormalised
 * first: projecting out one unit vector after another is only the
 * projection onto their joint complement when they are orthogonal.
 * Rows go in blocks so a cancel stops within one block.
 */

#define G_LOG_DOMAIN "es-align"

#include "config.h"

#include "es-transform.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <string.h>

#include "es-engine-error.h"
#include "es-memory.h"

#define BLOCK_ROWS 16384

/* A set on @matrix with @set's words and metadata. */
static EsEmbeddingSet *
new_like (EsEmbeddingSet *set,
          EsMatrix       *matrix)
{
  gsize rows = es_embedding_set_get_rows (set);
  EsVocabulary *vocabulary = es_vocabulary_new (rows);
  EsEmbeddingSet *out;

  for (gsize i = 0; i < rows; i++)
    {
      gboolean added = es_vocabulary_add (vocabulary, es_embedding_set_get_word (set, i),
                                          es_embedding_set_get_word_len (set, i), NULL);

      g_assert (added);
    }
  out = es_embedding_set_new (matrix, vocabulary);
  if (es_embedding_set_get_metadata (set) != NULL)
    es_embedding_set_set_metadata (out, es_embedding_set_get_metadata (set));

  return out;
}

static EsMatrix *
new_output (EsEmbeddingSet  *set,
            gsize            dims,
            GError         **error)
{
  guint64 bytes;

  if (!es_memory_check (es_embedding_set_get_rows (set), (guint64) dims * sizeof (float),
                        "the transformed embedding", &bytes, error))
    return NULL;

  return es_matrix_new (es_embedding_set_get_rows (set), dims, error);
}

EsEmbeddingSet *
es_transform_matrix (EsEmbeddingSet  *set,
                     const EsMatrix  *w,
                     const char      *w_name,
                     GCancellable    *cancellable,
                     GError         **error)
{
  gsize rows, dims, out_dims;
  const float *x, *wd;
  g_autoptr(EsMatrix) out = NULL;
  float *y;

  g_return_val_if_fail (set != NULL && w != NULL, NULL);

  rows = es_embedding_set_get_rows (set);
  dims = es_embedding_set_get_dims (set);
  out_dims = es_matrix_get_cols (w);
  if (w_name == NULL)
    w_name = "the matrix";
  if (es_matrix_get_rows (w) != dims)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_DIMENSION,
                   "%s is %" G_GSIZE_FORMAT " × %" G_GSIZE_FORMAT " but the embedding is %"
                   G_GSIZE_FORMAT " × %" G_GSIZE_FORMAT " (rows × dims): the matrix needs %"
                   G_GSIZE_FORMAT " rows, one per dimension",
                   w_name, es_matrix_get_rows (w), out_dims, rows, dims, dims);
      return NULL;
    }
  wd = es_matrix_get_data (w);
  for (gsize i = 0; i < dims * out_dims; i++)
    if (!isfinite (wd[i]))
      {
        g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC,
                     "%s: row %" G_GSIZE_FORMAT ", column %" G_GSIZE_FORMAT
                     " is not a finite number", w_name, i / out_dims + 1, i % out_dims + 1);
        return NULL;
      }

  if (!(out = new_output (set, out_dims, error)))
    return NULL;
  x = es_matrix_get_data (es_embedding_set_get_matrix (set));
  y = es_matrix_get_data_mut (out);
  for (gsize start = 0; start < rows; start += BLOCK_ROWS)
    {
      gsize n = MIN (BLOCK_ROWS, rows - start);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, n, out_dims, dims,
                   1.0f, x + start * dims, dims, wd, out_dims, 0.0f, y + start * out_dims, out_dims);
    }

  return new_like (set, g_steal_pointer (&out));
}

/* Q (n × dims, row-major: row j is q_j) of the directions' QR, or an
 * error naming the first direction that adds nothing.
 */
static float *
orthonormal_basis (const double        *directions,
                   gsize                n,
                   gsize                dims,
                   const char * const  *labels,
                   GError             **error)
{
  /* Row-major n × dims is column-major dims × n: columns = directions. */
  g_autofree double *a = g_memdup2 (directions, n * dims * sizeof (double));
  g_autofree double *tau = g_new0 (double, n);
  float *q;
  lapack_int info;

  info = LAPACKE_dgeqrf (LAPACK_COL_MAJOR, dims, n, a, dims, tau);
  if (info != 0)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC,
                   "the QR decomposition of the directions failed (dgeqrf info %d)", (int) info);
      return NULL;
    }
  /* |R_jj| is the length of direction j beyond the span of those before
   * it: relative to its own length, a tiny one is numerically dependent.
   */
  for (gsize j = 0; j < n; j++)
    {
      double length = cblas_dnrm2 (dims, directions + j * dims, 1);
      double beyond = fabs (a[j + j * dims]);

      if (!(length > 0.0) || !isfinite (length) || beyond <= 1e-6 * length)
        {
          g_autofree char *which = labels != NULL
            ? g_strdup_printf ("direction %" G_GSIZE_FORMAT " ('%s')", j + 1, labels[j])
            : g_strdup_printf ("direction %" G_GSIZE_FORMAT, j + 1);

          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC,
                       length > 0.0 && isfinite (length)
                         ? "%s lies in the span of the directions before it: there is nothing new to remove"
                         : "%s is a zero vector (or not finite): it has no direction to remove",
                       which);
          return NULL;
        }
    }
  info = LAPACKE_dorgqr (LAPACK_COL_MAJOR, dims, n, n, a, dims, tau);
  if (info != 0)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC,
                   "forming the orthonormal directions failed (dorgqr info %d)", (int) info);
      return NULL;
    }
  q = g_new (float, n * dims);
  for (gsize i = 0; i < n * dims; i++)
    q[i] = (float) a[i];

  return q;
}

EsEmbeddingSet *
es_transform_remove_directions (EsEmbeddingSet      *set,
                                const double        *directions,
                                gsize                n,
                                const char * const  *labels,
                                GCancellable        *cancellable,
                                GError             **error)
{
  gsize rows, dims;
  g_autofree float *q = NULL;
  g_autofree float *p = NULL;
  g_autoptr(EsMatrix) out = NULL;
  const float *x;
  float *y;

  g_return_val_if_fail (set != NULL && (directions != NULL || n == 0), NULL);

  rows = es_embedding_set_get_rows (set);
  dims = es_embedding_set_get_dims (set);
  if (n == 0 || n > dims)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "%" G_GSIZE_FORMAT " directions to remove from %" G_GSIZE_FORMAT
                   " dimensions: give between 1 and %" G_GSIZE_FORMAT, n, dims, dims);
      return NULL;
    }
  if (!(q = orthonormal_basis (directions, n, dims, labels, error)))
    return NULL;
  if (!(out = new_output (set, dims, error)))
    return NULL;

  x = es_matrix_get_data (es_embedding_set_get_matrix (set));
  y = es_matrix_get_data_mut (out);
  memcpy (y, x, rows * dims * sizeof (float));
  p = g_new (float, (gsize) MIN (rows, BLOCK_ROWS) * n + 1);
  for (gsize start = 0; start < rows; start += BLOCK_ROWS)
    {
      gsize m = MIN (BLOCK_ROWS, rows - start);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      /* P = X Qᵀ (m × n), then Y = X − P Q. */
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, m, n, dims,
                   1.0f, x + start * dims, dims, q, dims, 0.0f, p, n);
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, m, dims, n,
                   -1.0f, p, n, q, dims, 1.0f, y + start * dims, dims);
    }

  return new_like (set, g_steal_pointer (&out));
}
