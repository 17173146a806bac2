/* es-projection-rows.c: pre-processing and projecting rows block by block
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The embedding is never copied whole (a 3M x 300 set is 3.6 GB): every
 * pass reads ES_PROJECTION_BLOCK_ROWS rows at a time into one small float
 * buffer, pre-processed there.
 */

#define G_LOG_DOMAIN "es-projection"

#include "config.h"

#include "es-projection-private.h"

#include "es-engine-error.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

void
_es_stage_report (const EsStage *stage,
                  double         fraction)
{
  if (stage != NULL && stage->func != NULL)
    stage->func (stage->start + stage->span * CLAMP (fraction, 0.0, 1.0), stage->data);
}

/* 1 / |v|, or 1 for a zero row so that it stays zero. */
static double
row_scale (const float *v,
           gsize        dims)
{
  double sum = 0.0;

  for (gsize j = 0; j < dims; j++)
    sum += (double) v[j] * v[j];

  return sum > 0.0 ? 1.0 / sqrt (sum) : 1.0;
}

/* Rows [first, first + n_rows) pre-processed into @buffer (n_rows x dims),
 * masked rows as zeros.  When nothing needs changing the rows are used where
 * they are and the matrix itself is returned.
 */
const float *
_es_row_prep_fill_block (const EsRowPrep *prep,
                         gsize            first,
                         gsize            n_rows,
                         float           *buffer)
{
  EsEmbeddingSet *set = prep->set;
  gsize dims = es_embedding_set_get_dims (set);
  gboolean as_is = !prep->normalize && prep->mean == NULL;

  if (as_is)
    {
      gboolean all_valid = TRUE;

      for (gsize i = 0; i < n_rows && all_valid; i++)
        all_valid = es_embedding_set_is_row_valid (set, first + i);
      if (all_valid)
        return es_embedding_set_get_vector (set, first);
    }

  for (gsize i = 0; i < n_rows; i++)
    {
      const float *v = es_embedding_set_get_vector (set, first + i);
      float *out = buffer + i * dims;
      double scale;

      if (!es_embedding_set_is_row_valid (set, first + i))
        {
          memset (out, 0, dims * sizeof (float));
          continue;
        }

      if (as_is)
        {
          memcpy (out, v, dims * sizeof (float));
          continue;
        }

      /* Centre in double, round once: the centred values keep full float
       * precision even when the mean is large compared to the spread.
       */
      scale = prep->normalize ? row_scale (v, dims) : 1.0;
      if (prep->mean != NULL)
        for (gsize j = 0; j < dims; j++)
          out[j] = (float) (scale * v[j] - prep->mean[j]);
      else
        for (gsize j = 0; j < dims; j++)
          out[j] = (float) (scale * v[j]);
    }

  return buffer;
}

/* Column means of the valid rows (normalised first when asked), in double. */
double *
_es_row_prep_compute_mean (const EsRowPrep *prep,
                           GCancellable    *cancellable,
                           const EsStage   *stage,
                           GError         **error)
{
  EsEmbeddingSet *set = prep->set;
  gsize rows = es_embedding_set_get_rows (set);
  gsize dims = es_embedding_set_get_dims (set);
  gsize n_valid = es_embedding_set_get_n_valid (set);
  g_autofree double *mean = g_new0 (double, MAX (dims, 1));

  if (n_valid == 0)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC,
                   "cannot centre: the set has no valid rows (all hold NaN or Inf)");
      return NULL;
    }

  for (gsize i = 0; i < rows; i++)
    {
      const float *v;
      double scale;

      if (i % ES_PROJECTION_BLOCK_ROWS == 0)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return NULL;
          _es_stage_report (stage, (double) i / rows);
        }

      if (!es_embedding_set_is_row_valid (set, i))
        continue;

      v = es_embedding_set_get_vector (set, i);
      scale = prep->normalize ? row_scale (v, dims) : 1.0;
      for (gsize j = 0; j < dims; j++)
        mean[j] += scale * v[j];
    }

  for (gsize j = 0; j < dims; j++)
    mean[j] /= n_valid;

  _es_stage_report (stage, 1.0);

  return g_steal_pointer (&mean);
}

/* coords = prep (rows) . components^T, one sgemm per block; masked rows NaN. */
gboolean
_es_projection_project_rows (EsProjection    *self,
                             const EsRowPrep *prep,
                             GCancellable    *cancellable,
                             const EsStage   *stage,
                             GError         **error)
{
  EsEmbeddingSet *set = prep->set;
  gsize rows = self->rows;
  gsize dims = self->dims;
  guint k = self->n_components;
  gsize block_rows = MIN (rows, ES_PROJECTION_BLOCK_ROWS);
  g_autofree float *buffer = g_new (float, MAX (block_rows * dims, 1));
  g_autofree float *components = g_new (float, MAX ((gsize) k * dims, 1));

  for (gsize c = 0; c < (gsize) k * dims; c++)
    components[c] = (float) self->components[c];

  for (gsize first = 0; first < rows; first += block_rows)
    {
      gsize n = MIN (block_rows, rows - first);
      const float *block;
      float *out = self->coords + first * k;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      _es_stage_report (stage, (double) first / rows);

      block = _es_row_prep_fill_block (prep, first, n, buffer);
      if (dims > 0)
        cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans,
                     n, k, dims,
                     1.0f, block, dims,
                     components, dims,
                     0.0f, out, k);
      else
        memset (out, 0, n * k * sizeof (float));

      for (gsize i = 0; i < n; i++)
        if (!es_embedding_set_is_row_valid (set, first + i))
          for (guint c = 0; c < k; c++)
            out[i * k + c] = NAN;
    }

  _es_stage_report (stage, 1.0);

  return TRUE;
}

/* The sign convention: the entry of largest magnitude is made positive; on a
 * tie the first such entry decides.  Eigen- and singular vectors are only
 * defined up to sign, and this keeps plots from flipping between runs,
 * versions and BLAS builds.
 */
void
_es_component_fix_sign (double *component,
                        gsize   dims)
{
  gsize best = 0;

  for (gsize j = 1; j < dims; j++)
    if (fabs (component[j]) > fabs (component[best]))
      best = j;

  if (dims > 0 && component[best] < 0.0)
    for (gsize j = 0; j < dims; j++)
      component[j] = -component[j];
}
