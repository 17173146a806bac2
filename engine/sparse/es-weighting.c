/* es-weighting.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-sparse"

#include "config.h"

#include "es-weighting.h"

#include "es-engine-error.h"
#include "es-memory.h"

#include <math.h>
#include <string.h>

void
es_weighting_options_init (EsWeightingOptions *options)
{
  options->weighting = ES_WEIGHTING_PPMI;
  options->alpha = 0.75;
  options->shift = 1.0;
}

const char *
es_weighting_to_string (EsWeighting weighting)
{
  switch (weighting)
    {
    case ES_WEIGHTING_PPMI:
      return "ppmi";
    case ES_WEIGHTING_TFIDF:
      return "tfidf";
    case ES_WEIGHTING_NONE:
    default:
      return "none";
    }
}

gboolean
es_weighting_from_string (const char  *text,
                          EsWeighting *weighting)
{
  if (g_strcmp0 (text, "ppmi") == 0)
    *weighting = ES_WEIGHTING_PPMI;
  else if (g_strcmp0 (text, "tfidf") == 0)
    *weighting = ES_WEIGHTING_TFIDF;
  else if (g_strcmp0 (text, "none") == 0)
    *weighting = ES_WEIGHTING_NONE;
  else
    return FALSE;
  return TRUE;
}

static void
apply_ppmi (EsSparseMatrix *m,
            const double   *row_sums,
            const double   *col_sums,
            double          alpha,
            double          shift)
{
  gsize rows = es_sparse_matrix_get_rows (m), cols = es_sparse_matrix_get_cols (m);
  const guint64 *offsets = es_sparse_matrix_get_offsets (m);
  const guint32 *columns = es_sparse_matrix_get_columns (m);
  float *values = es_sparse_matrix_get_values_mut (m);
  g_autofree double *log_ctx = g_new (double, cols);
  double total = 0, log_shift = log (shift), log_total;

  for (gsize j = 0; j < cols; j++)
    total += col_sums[j] > 0 ? pow (col_sums[j], alpha) : 0.0;
  log_total = log (total);
  for (gsize j = 0; j < cols; j++)
    log_ctx[j] = col_sums[j] > 0 ? alpha * log (col_sums[j]) : 0.0;
  for (gsize i = 0; i < rows; i++)
    {
      double log_row = row_sums[i] > 0 ? log (row_sums[i]) : 0.0;

      for (guint64 p = offsets[i]; p < offsets[i + 1]; p++)
        {
          double v = values[p];
          double pmi;

          if (v <= 0)
            {
              values[p] = 0.0f;
              continue;
            }
          pmi = log (v) + log_total - log_row - log_ctx[columns[p]] - log_shift;
          values[p] = pmi > 0 ? (float) pmi : 0.0f;
        }
    }
}

static void
apply_tfidf (EsSparseMatrix *m)
{
  gsize rows = es_sparse_matrix_get_rows (m), cols = es_sparse_matrix_get_cols (m);
  const guint64 *offsets = es_sparse_matrix_get_offsets (m);
  const guint32 *columns = es_sparse_matrix_get_columns (m);
  float *values = es_sparse_matrix_get_values_mut (m);
  g_autofree double *idf = g_new0 (double, cols);

  for (guint64 p = 0; p < es_sparse_matrix_get_nnz (m); p++)
    if (values[p] != 0.0f)
      idf[columns[p]] += 1.0;
  for (gsize j = 0; j < cols; j++)
    idf[j] = log ((1.0 + rows) / (1.0 + idf[j])) + 1.0;
  for (gsize i = 0; i < rows; i++)
    {
      double norm = 0;

      for (guint64 p = offsets[i]; p < offsets[i + 1]; p++)
        {
          double v = values[p] * idf[columns[p]];
          norm += v * v;
        }
      norm = sqrt (norm);
      for (guint64 p = offsets[i]; p < offsets[i + 1]; p++)
        values[p] = norm > 0 ? (float) (values[p] * idf[columns[p]] / norm) : 0.0f;
    }
}

EsSparseMatrix *
es_weighting_apply (const EsSparseMatrix      *counts,
                    const EsWeightingOptions  *options,
                    GError                   **error)
{
  g_autoptr(EsSparseMatrix) m = NULL;
  EsWeightingOptions defaults;

  if (options == NULL)
    {
      es_weighting_options_init (&defaults);
      options = &defaults;
    }
  if (options->weighting != ES_WEIGHTING_NONE && !es_sparse_matrix_is_nonnegative (counts))
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "%s weighting needs non-negative counts, and the matrix has negative values",
                   es_weighting_to_string (options->weighting));
      return NULL;
    }
  if (options->weighting == ES_WEIGHTING_PPMI && (!(options->alpha > 0) || !(options->shift >= 1)))
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "PPMI needs α > 0 and a shift k ≥ 1");
      return NULL;
    }
  if (!(m = es_sparse_matrix_copy (counts, error)))
    return NULL;

  if (options->weighting == ES_WEIGHTING_PPMI)
    {
      gsize rows = es_sparse_matrix_get_rows (m), cols = es_sparse_matrix_get_cols (m);
      const guint64 *offsets = es_sparse_matrix_get_offsets (m);
      const guint32 *columns = es_sparse_matrix_get_columns (m);
      const float *values = es_sparse_matrix_get_values (m);
      g_autofree double *row_sums = es_memory_try_alloc0 (rows, sizeof (double), "The row sums", error);
      g_autofree double *col_sums = es_memory_try_alloc0 (cols, sizeof (double), "The column sums", error);

      if (row_sums == NULL || col_sums == NULL)
        return NULL;
      for (gsize i = 0; i < rows; i++)
        for (guint64 p = offsets[i]; p < offsets[i + 1]; p++)
          {
            row_sums[i] += values[p];
            col_sums[columns[p]] += values[p];
          }
      apply_ppmi (m, row_sums, col_sums, options->alpha, options->shift);
    }
  else if (options->weighting == ES_WEIGHTING_TFIDF)
    apply_tfidf (m);

  es_sparse_matrix_prune_zeros (m);
  return g_steal_pointer (&m);
}
