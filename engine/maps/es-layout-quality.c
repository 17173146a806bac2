/* es-layout-quality.c: how well a 2-D/3-D layout keeps the neighbourhoods
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For each sampled row: its distances to every usable row in the original
 * space (sgemm against blocks of the matrix, cosine or squared euclidean,
 * which rank the same as the distances) and in the layout; the k nearest in
 * each; their overlap; and the original-space rank of every layout
 * neighbour that is not an original one (the number of rows strictly
 * closer, plus one).  Per-sample values are stored and summed in sample
 * order, so threads do not change the result.
 */

#define G_LOG_DOMAIN "es-layout-quality"

#include "config.h"

#include "es-layout-quality.h"

#include "es-engine-error.h"
#include "es-memory.h"
#include "es-worker.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

#define QUERY_BLOCK  16
#define COLUMN_BLOCK 4096
#define MAX_THREADS  8

void
es_layout_quality_options_init (EsLayoutQualityOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->n_neighbors = 10;
  options->n_sample = 1000;
  options->seed = 42;
  options->metric = ES_METRIC_COSINE;
}

typedef struct
{
  EsEmbeddingSet *set;
  const float *x;
  const float *coords;
  guint dims;
  gsize rows, d;
  guint k;
  gboolean cosine;
  const guint8 *usable;
  const double *norm;     /* rows: |x| */
  const gint32 *sample;
  gsize n_sample;
  double *overlap;        /* per sample: shared neighbours */
  double *penalty;        /* per sample: Σ (r − k) */
  GCancellable *cancellable;
} Quality;

typedef struct
{
  Quality *q;
  gsize lo, hi;           /* samples */
} QualityPart;

/* The @k smallest (value, index) of @v over usable rows other than @self,
 * into @ids (ascending; ties by index).
 */
static void
smallest_k (const Quality *q,
            const float   *v,
            gsize          self,
            guint          k,
            gint32        *ids,
            float         *vals)
{
  guint m = 0;

  for (gsize r = 0; r < q->rows; r++)
    {
      float x = v[r];
      int pos;

      if (r == self || !q->usable[r])
        continue;
      if (m == k && !(x < vals[k - 1]))
        continue;
      pos = m < k ? (int) m++ : (int) k - 1;
      while (pos > 0 && x < vals[pos - 1])
        {
          vals[pos] = vals[pos - 1];
          ids[pos] = ids[pos - 1];
          pos--;
        }
      vals[pos] = x;
      ids[pos] = (gint32) r;
    }
}

static gpointer
quality_part_run (gpointer data)
{
  QualityPart *part = data;
  Quality *q = part->q;
  gsize rows = q->rows, d = q->d;
  guint k = q->k;
  g_autofree float *orig = g_try_new (float, (gsize) QUERY_BLOCK * rows);
  g_autofree float *lay = g_try_new (float, rows);
  g_autofree float *queries = g_try_new (float, (gsize) QUERY_BLOCK * d);
  g_autofree float *scores = g_try_new (float, (gsize) QUERY_BLOCK * COLUMN_BLOCK);
  g_autofree gint32 *oid = g_new (gint32, k);
  g_autofree gint32 *lid = g_new (gint32, k);
  g_autofree float *oval = g_new (float, k);
  g_autofree float *lval = g_new (float, k);

  es_worker_enter ();
  if (orig == NULL || lay == NULL || queries == NULL || scores == NULL)
    return GINT_TO_POINTER (1);

  for (gsize s0 = part->lo; s0 < part->hi; s0 += QUERY_BLOCK)
    {
      gsize ns = MIN (QUERY_BLOCK, part->hi - s0);

      if (g_cancellable_is_cancelled (q->cancellable))
        return NULL;

      for (gsize i = 0; i < ns; i++)
        memcpy (queries + i * d, q->x + (gsize) q->sample[s0 + i] * d, d * sizeof (float));

      for (gsize c0 = 0; c0 < rows; c0 += COLUMN_BLOCK)
        {
          gsize nc = MIN (COLUMN_BLOCK, rows - c0);

          cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans,
                       ns, nc, d, 1.0f, queries, d, q->x + c0 * d, d, 0.0f, scores, nc);
          for (gsize i = 0; i < ns; i++)
            {
              gsize a = q->sample[s0 + i];

              for (gsize j = 0; j < nc; j++)
                {
                  gsize b = c0 + j;
                  float v;

                  if (!q->usable[b])
                    v = INFINITY;
                  else if (q->cosine)
                    v = (q->norm[a] > 0.0 && q->norm[b] > 0.0)
                      ? (float) (1.0 - scores[i * nc + j] / (q->norm[a] * q->norm[b])) : 1.0f;
                  else
                    v = (float) (q->norm[a] * q->norm[a] + q->norm[b] * q->norm[b]
                                 - 2.0 * scores[i * nc + j]);
                  orig[i * rows + b] = v;
                }
            }
        }

      for (gsize i = 0; i < ns; i++)
        {
          gsize a = q->sample[s0 + i];
          const float *o = orig + i * rows;
          const float *ca = q->coords + a * q->dims;
          double overlap = 0.0, penalty = 0.0;

          for (gsize b = 0; b < rows; b++)
            {
              float s = 0.0f;

              if (q->usable[b])
                for (guint c = 0; c < q->dims; c++)
                  {
                    float t = q->coords[b * q->dims + c] - ca[c];
                    s += t * t;
                  }
              lay[b] = s;
            }

          smallest_k (q, o, a, k, oid, oval);
          smallest_k (q, lay, a, k, lid, lval);

          for (guint j = 0; j < k; j++)
            {
              gboolean shared = FALSE;

              for (guint l = 0; l < k; l++)
                if (lid[j] == oid[l])
                  {
                    shared = TRUE;
                    break;
                  }
              if (shared)
                overlap += 1.0;
              else
                {
                  float dj = o[lid[j]];
                  gsize rank = 1;

                  for (gsize b = 0; b < rows; b++)
                    if (b != a && q->usable[b] && o[b] < dj)
                      rank++;
                  penalty += (double) rank - k;
                }
            }
          q->overlap[s0 + i] = overlap;
          q->penalty[s0 + i] = penalty;
        }
    }

  return NULL;
}

gboolean
es_layout_quality_compute (EsEmbeddingSet               *set,
                           const float                  *coords,
                           guint                         dims,
                           const EsLayoutQualityOptions *options,
                           GCancellable                 *cancellable,
                           EsLayoutQuality              *out,
                           GError                      **error)
{
  EsLayoutQualityOptions defaults;
  Quality q = { 0 };
  QualityPart parts[MAX_THREADS];
  GThread *threads[MAX_THREADS] = { NULL };
  g_autofree guint8 *usable = NULL;
  g_autofree double *norm = NULL;
  g_autofree gint32 *sample = NULL;
  g_autofree double *overlap = NULL;
  g_autofree double *penalty = NULL;
  gsize rows, n = 0, m;
  guint n_threads, k;
  gboolean failed = FALSE;
  double sum_overlap = 0.0, sum_penalty = 0.0;

  g_return_val_if_fail (set != NULL, FALSE);
  g_return_val_if_fail (coords != NULL, FALSE);
  g_return_val_if_fail (dims >= 1, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (options == NULL)
    {
      es_layout_quality_options_init (&defaults);
      options = &defaults;
    }
  k = MAX (options->n_neighbors, 1);
  rows = es_embedding_set_get_rows (set);

  usable = es_memory_try_alloc (MAX (rows, 1), 1, "the layout quality", error);
  norm = usable != NULL ? es_memory_try_alloc (MAX (rows, 1), sizeof (double), "the layout quality", error) : NULL;
  sample = norm != NULL ? es_memory_try_alloc (MAX (rows, 1), sizeof (gint32), "the layout quality", error) : NULL;
  if (sample == NULL)
    return FALSE;

  q.x = es_matrix_get_data (es_embedding_set_get_matrix (set));
  q.d = es_embedding_set_get_dims (set);
  for (gsize r = 0; r < rows; r++)
    {
      gboolean ok = es_embedding_set_is_row_valid (set, r);
      double s = 0.0;

      for (guint c = 0; c < dims && ok; c++)
        ok = isfinite (coords[r * dims + c]);
      usable[r] = ok;
      if (!ok)
        continue;
      for (gsize j = 0; j < q.d; j++)
        s += (double) q.x[r * q.d + j] * q.x[r * q.d + j];
      norm[r] = sqrt (s);
      sample[n++] = (gint32) r;
    }

  /* Trustworthiness's normaliser 2n − 3k − 1 must be positive. */
  if (n < 2 * (gsize) k + 1)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "the layout quality at %u neighbours needs at least %u usable rows, there are %" G_GSIZE_FORMAT,
                   k, 2 * k + 1, n);
      return FALSE;
    }

  /* A seeded sample: the first m of a partial Fisher-Yates shuffle, then
   * in row order.
   */
  m = MIN (n, MAX (options->n_sample, 1));
  if (m < n)
    {
      guint64 s = options->seed;
      GRand *rand = g_rand_new_with_seed_array ((const guint32 *) &s, 2);

      for (gsize i = 0; i < m; i++)
        {
          gsize j = MIN (i + (gsize) (g_rand_double (rand) * (n - i)), n - 1);
          gint32 t = sample[i];

          sample[i] = sample[j];
          sample[j] = t;
        }
      g_rand_free (rand);
    }

  overlap = g_new0 (double, m);
  penalty = g_new0 (double, m);

  q.set = set;
  q.coords = coords;
  q.dims = dims;
  q.rows = rows;
  q.k = k;
  q.cosine = options->metric != ES_METRIC_EUCLIDEAN;
  q.usable = usable;
  q.norm = norm;
  q.sample = sample;
  q.n_sample = m;
  q.overlap = overlap;
  q.penalty = penalty;
  q.cancellable = cancellable;

  n_threads = options->n_threads > 0 ? options->n_threads : g_get_num_processors ();
  n_threads = (guint) CLAMP ((gsize) n_threads, 1, MIN ((gsize) MAX_THREADS, (m + QUERY_BLOCK - 1) / QUERY_BLOCK));
  for (guint t = 0; t < n_threads; t++)
    {
      /* Block-aligned ranges. */
      gsize nb = (m + QUERY_BLOCK - 1) / QUERY_BLOCK;

      parts[t].q = &q;
      parts[t].lo = MIN (m, nb * t / n_threads * QUERY_BLOCK);
      parts[t].hi = MIN (m, nb * (t + 1) / n_threads * QUERY_BLOCK);
    }
  for (guint t = 1; t < n_threads; t++)
    threads[t] = g_thread_new ("es-quality", quality_part_run, &parts[t]);
  failed = quality_part_run (&parts[0]) != NULL;
  for (guint t = 1; t < n_threads; t++)
    failed |= g_thread_join (threads[t]) != NULL;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (failed)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                   "cannot allocate the layout quality's distance rows");
      return FALSE;
    }

  for (gsize i = 0; i < m; i++)
    {
      sum_overlap += overlap[i];
      sum_penalty += penalty[i];
    }

  out->n_used = n;
  out->n_sampled = m;
  out->knn_preservation = sum_overlap / ((double) m * k);
  out->trustworthiness = 1.0 - 2.0 / ((double) k * (2.0 * n - 3.0 * k - 1.0)) * (sum_penalty / m);
  out->chance_knn_preservation = (double) k / (n - 1);
  out->chance_trustworthiness = 1.0 - (1.0 - (double) k / (n - 1)) * (n - (double) k) / (2.0 * n - 3.0 * k - 1.0);

  return TRUE;
}
