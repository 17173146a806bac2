/* es-change-scores.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Distances: pairs in blocks, A's rows mapped with one sgemm per block.
 * Overlap: the top_n words of each side become a set of their own and get
 * an exact cosine kNN graph (es-knn-graph: blocked sgemm); the neighbour
 * lists are then compared as sets of pair indices.
 */

#define G_LOG_DOMAIN "es-align"

#include "config.h"

#include "es-change-scores.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "es-engine-error.h"
#include "es-knn-graph.h"
#include "es-memory.h"

#define BLOCK_ROWS 4096

struct _EsChangeScores
{
  gsize    n;
  float   *distances;
  gsize    n_overlap;
  guint16 *overlap;
  guint    k;
  double   mean_distance;
  double   mean_overlap;
  double   residual;            /* the fit figures over these pairs */
  double   relative_residual;
  double   mean_cosine;
};

void
es_change_scores_free (EsChangeScores *self)
{
  if (self == NULL)
    return;
  g_free (self->distances);
  g_free (self->overlap);
  g_free (self);
}

static gboolean
compute_distances (EsChangeScores    *self,
                   EsEmbeddingSet    *a,
                   EsEmbeddingSet    *b,
                   const EsWordPairs *shared,
                   const EsAlignment *alignment,
                   GCancellable      *cancellable,
                   EsProgressFunc     progress,
                   gpointer           progress_data,
                   GError           **error)
{
  gsize da = es_alignment_get_dims_a (alignment), db = es_alignment_get_dims_b (alignment);
  const gsize *ra = es_word_pairs_get_rows_a (shared), *rb = es_word_pairs_get_rows_b (shared);
  g_autofree float *xb = g_new (float, BLOCK_ROWS * da);
  g_autofree float *zb = g_new (float, BLOCK_ROWS * db);
  const double *mean_b = es_alignment_get_mean_b (alignment);
  g_autofree float *mu = g_new0 (float, db);
  double sum = 0, res2 = 0, y2 = 0, cos_sum = 0;

  for (gsize j = 0; j < db && mean_b != NULL; j++)
    mu[j] = (float) mean_b[j];

  for (gsize start = 0; start < self->n; start += BLOCK_ROWS)
    {
      gsize count = MIN (BLOCK_ROWS, self->n - start);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (progress != NULL)
        progress (0.5 * start / self->n, progress_data);
      _es_align_gather (a, ra + start, count, xb);
      es_alignment_apply (alignment, xb, count, zb);
      for (gsize i = 0; i < count; i++)
        {
          const float *z = zb + i * db, *y = es_embedding_set_get_vector (b, rb[start + i]);
          float dot = 0, zz = 0, yy = 0, r = 0, yc = 0;

          /* The fit's residual and cosine come along in the same pass:
           * over the fit's own pairs they are the alignment's figures
           * (EsAlignOptions.skip_fit_measures).
           */
          for (gsize j = 0; j < db; j++)
            {
              float diff = z[j] - y[j], centred = y[j] - mu[j];

              dot += z[j] * y[j];
              zz += z[j] * z[j];
              yy += y[j] * y[j];
              r += diff * diff;
              yc += centred * centred;
            }
          /* Rounding can put cos a hair outside [−1, 1]. */
          self->distances[start + i] = zz > 0 && yy > 0 ? CLAMP (1.0f - dot / sqrtf (zz * yy), 0.0f, 2.0f)
                                                        : 1.0f;
          sum += self->distances[start + i];
          res2 += r;
          y2 += yc;
          cos_sum += zz > 0 && yy > 0 ? dot / sqrt ((double) zz * yy) : 0;
        }
    }
  self->mean_distance = self->n > 0 ? sum / self->n : 0;
  self->residual = sqrt (res2);
  self->relative_residual = y2 > 0 ? sqrt (res2 / y2) : 0;
  self->mean_cosine = self->n > 0 ? cos_sum / self->n : 0;

  return TRUE;
}

static EsKnnGraph *
subset_graph (EsEmbeddingSet  *set,
              const gsize     *rows,
              gsize            n,
              guint            k,
              GCancellable    *cancellable,
              GError         **error)
{
  g_autoptr(EsEmbeddingSet) subset = NULL;
  EsKnnOptions options;
  guint64 bytes;

  if (!es_memory_check (n, es_embedding_set_get_dims (set) * sizeof (float), "the overlap subset",
                        &bytes, error))
    return NULL;
  subset = es_embedding_set_subset (set, rows, n);
  es_knn_options_init (&options);
  options.k = k;
  options.metric = ES_METRIC_COSINE;
  options.method = ES_KNN_EXACT;

  return es_knn_graph_build (subset, &options, cancellable, NULL, NULL, error);
}

static gboolean
compute_overlap (EsChangeScores    *self,
                 EsEmbeddingSet    *a,
                 EsEmbeddingSet    *b,
                 const EsWordPairs *shared,
                 GCancellable      *cancellable,
                 GError           **error)
{
  gsize n = self->n_overlap;
  g_autoptr(EsKnnGraph) ga = NULL;
  g_autoptr(EsKnnGraph) gb = NULL;
  double sum = 0;

  if (self->k >= n)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "k = %u neighbours need more than the %" G_GSIZE_FORMAT " shared words compared",
                   self->k, n);
      return FALSE;
    }
  if (!(ga = subset_graph (a, es_word_pairs_get_rows_a (shared), n, self->k, cancellable, error)) ||
      !(gb = subset_graph (b, es_word_pairs_get_rows_b (shared), n, self->k, cancellable, error)))
    return FALSE;

  self->overlap = g_new0 (guint16, n);
  for (gsize i = 0; i < n; i++)
    {
      const gint32 *na = es_knn_graph_get_row_indices (ga, i);
      const gint32 *nb = es_knn_graph_get_row_indices (gb, i);
      guint count = 0;

      for (guint p = 0; p < self->k; p++)
        for (guint q = 0; q < self->k; q++)
          if (na[p] != ES_KNN_NONE && na[p] == nb[q])
            {
              count++;
              break;
            }
      self->overlap[i] = count;
      sum += (double) count / self->k;
    }
  self->mean_overlap = sum / n;

  return TRUE;
}

EsChangeScores *
es_change_scores_compute (EsEmbeddingSet    *a,
                          EsEmbeddingSet    *b,
                          const EsWordPairs *shared,
                          const EsAlignment *alignment,
                          guint              k,
                          gsize              top_n,
                          GCancellable      *cancellable,
                          EsProgressFunc     progress,
                          gpointer           progress_data,
                          GError           **error)
{
  g_autoptr(EsChangeScores) self = g_new0 (EsChangeScores, 1);

  g_return_val_if_fail (a != NULL && b != NULL && shared != NULL && alignment != NULL, NULL);
  g_return_val_if_fail (k > 0 && k <= G_MAXUINT16, NULL);

  self->n = es_word_pairs_get_n (shared);
  self->k = k;
  self->n_overlap = MIN (top_n, self->n);
  if (!(self->distances = es_memory_try_alloc (self->n, sizeof (float), "the change scores", error)))
    return NULL;
  if (!compute_distances (self, a, b, shared, alignment, cancellable, progress, progress_data, error))
    return NULL;
  if (self->n_overlap > 0 && !compute_overlap (self, a, b, shared, cancellable, error))
    return NULL;
  if (progress != NULL)
    progress (1.0, progress_data);

  return g_steal_pointer (&self);
}

gsize
es_change_scores_get_n (const EsChangeScores *self)
{
  return self->n;
}

const float *
es_change_scores_get_distances (const EsChangeScores *self)
{
  return self->distances;
}

gsize
es_change_scores_get_n_overlap (const EsChangeScores *self)
{
  return self->n_overlap;
}

const guint16 *
es_change_scores_get_overlap (const EsChangeScores *self)
{
  return self->overlap;
}

guint
es_change_scores_get_k (const EsChangeScores *self)
{
  return self->k;
}

double
es_change_scores_get_mean_distance (const EsChangeScores *self)
{
  return self->mean_distance;
}

double
es_change_scores_get_mean_overlap (const EsChangeScores *self)
{
  return self->mean_overlap;
}

static int
by_distance (gconstpointer pa,
             gconstpointer pb,
             gpointer      data)
{
  const EsChangeScores *self = data;
  gsize i = *(const gsize *) pa, j = *(const gsize *) pb;
  float di = self->distances[i], dj = self->distances[j];

  if (di != dj)
    return di > dj ? -1 : 1;
  return i < j ? -1 : i > j;
}

static int
by_overlap (gconstpointer pa,
            gconstpointer pb,
            gpointer      data)
{
  const EsChangeScores *self = data;
  gsize i = *(const gsize *) pa, j = *(const gsize *) pb;

  if (self->overlap[i] != self->overlap[j])
    return self->overlap[i] < self->overlap[j] ? -1 : 1;

  return by_distance (pa, pb, data);
}

gsize *
es_change_scores_rank_by_distance (const EsChangeScores *self)
{
  gsize *order = g_new (gsize, MAX (self->n, 1));

  for (gsize i = 0; i < self->n; i++)
    order[i] = i;
  g_qsort_with_data (order, (gint) self->n, sizeof (gsize), by_distance, (gpointer) self);

  return order;
}

gsize *
es_change_scores_rank_by_overlap (const EsChangeScores *self)
{
  gsize *order = g_new (gsize, MAX (self->n_overlap, 1));

  for (gsize i = 0; i < self->n_overlap; i++)
    order[i] = i;
  g_qsort_with_data (order, (gint) self->n_overlap, sizeof (gsize), by_overlap, (gpointer) self);

  return order;
}

double
es_change_scores_get_residual (const EsChangeScores *self)
{
  return self->residual;
}

double
es_change_scores_get_relative_residual (const EsChangeScores *self)
{
  return self->relative_residual;
}

double
es_change_scores_get_mean_cosine (const EsChangeScores *self)
{
  return self->mean_cosine;
}
