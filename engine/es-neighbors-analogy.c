/* es-neighbors-analogy.c: gensim's most_similar and most_similar_cosmul
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-neighbors"

#include "config.h"

#include "es-neighbors-private.h"

#include "es-engine-error.h"

#include <cblas.h>
#include <float.h>
#include <math.h>
#include <string.h>

#define ROW_BLOCK 4096
#define SLACK     16
/* gensim's guard against dividing by a zero product of negatives */
#define COSMUL_EPSILON 0.000001

static gboolean
resolve_words (EsEmbeddingSet     *set,
               const char * const *words,
               GArray             *rows,
               GError            **error)
{
  for (guint i = 0; words != NULL && words[i] != NULL; i++)
    {
      gsize row;

      if (!_es_neighbors_resolve_word (set, words[i], &row, error))
        return FALSE;
      g_array_append_val (rows, row);
    }

  return TRUE;
}

/* Row @row scaled to unit length, in double; a zero vector stays zero. */
static void
unit_vector (EsEmbeddingSet *set,
             gsize           row,
             double         *out)
{
  gsize dims = es_embedding_set_get_dims (set);
  const float *v = es_embedding_set_get_vector (set, row);
  double norm = 0.0;

  for (gsize j = 0; j < dims; j++)
    norm += (double) v[j] * v[j];
  norm = sqrt (norm);

  for (gsize j = 0; j < dims; j++)
    out[j] = norm > 0.0 ? v[j] / norm : 0.0;
}

static gboolean
is_input (const GArray *exclude,
          gsize         row)
{
  for (guint i = 0; i < exclude->len; i++)
    if (g_array_index (exclude, gsize, i) == row)
      return TRUE;

  return FALSE;
}

/* (1 + cos) / 2 products over the terms, as gensim's most_similar_cosmul:
 * the first n_pos of @cosines are positive terms, the rest negative.
 */
static double
cosmul_score (const double *cosines,
              guint         n_pos,
              guint         n_terms)
{
  double numerator = 1.0, denominator = 1.0;

  for (guint t = 0; t < n_terms; t++)
    {
      double shifted = (1.0 + cosines[t]) / 2.0;

      if (t < n_pos)
        numerator *= shifted;
      else
        denominator *= shifted;
    }

  return numerator / (denominator + COSMUL_EPSILON);
}

static GArray *
search_cosmul (EsEmbeddingSet  *set,
               const GArray    *rows,
               guint            n_pos,
               guint            k,
               gsize            restrict_rows,
               GCancellable    *cancellable,
               GError         **error)
{
  gsize dims = es_embedding_set_get_dims (set);
  gsize n_rows_total = es_embedding_set_get_rows (set);
  gsize limit = restrict_rows > 0 ? MIN (restrict_rows, n_rows_total) : n_rows_total;
  guint n_terms = rows->len;
  const float *data = es_matrix_get_data (es_embedding_set_get_matrix (set));
  const float *norms = es_embedding_set_get_norms (set);
  g_autofree double *units = g_new (double, MAX (n_terms * dims, 1));
  g_autofree float *units_f = g_new0 (float, MAX (n_terms * dims, 1));
  g_autofree float *block = g_new (float, (gsize) ROW_BLOCK * n_terms);
  g_autofree double *cosines = g_new (double, n_terms);
  g_autofree EsHeapItem *items = g_new (EsHeapItem, k + SLACK);
  EsHeap heap = { items, 0, k + SLACK };
  GArray *result;

  for (guint t = 0; t < n_terms; t++)
    {
      unit_vector (set, g_array_index (rows, gsize, t), units + t * dims);
      for (gsize j = 0; j < dims; j++)
        units_f[t * dims + j] = (float) units[t * dims + j];
    }

  for (gsize first = 0; first < limit; first += ROW_BLOCK)
    {
      gsize n = MIN (ROW_BLOCK, limit - first);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      if (dims == 0)
        memset (block, 0, n * n_terms * sizeof (float));
      else
        cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans,
                     (blasint) n, (blasint) n_terms, (blasint) dims,
                     1.0f, data + first * dims, (blasint) dims,
                     units_f, (blasint) dims, 0.0f, block, (blasint) n_terms);

      for (gsize i = 0; i < n; i++)
        {
          gsize row = first + i;
          double norm = norms[row];
          float good;

          if (!es_embedding_set_is_row_valid (set, row) || is_input (rows, row))
            continue;

          for (guint t = 0; t < n_terms; t++)
            cosines[t] = norm > 0.0 ? block[i * n_terms + t] / norm : 0.0;

          good = (float) cosmul_score (cosines, n_pos, n_terms);
          if (!isfinite (good))
            good = FLT_MAX;
          _es_heap_push (&heap, good, row);
        }
    }

  /* Rescore the candidates in double. */
  result = g_array_sized_new (FALSE, FALSE, sizeof (EsNeighbor), heap.len);
  for (guint i = 0; i < heap.len; i++)
    {
      EsNeighbor neighbor;
      const float *v;
      double vv = 0.0;

      neighbor.row = heap.items[i].row;
      v = es_embedding_set_get_vector (set, neighbor.row);
      for (gsize j = 0; j < dims; j++)
        vv += (double) v[j] * v[j];

      for (guint t = 0; t < n_terms; t++)
        {
          double dot = 0.0;

          for (gsize j = 0; j < dims; j++)
            dot += v[j] * units[t * dims + j];
          cosines[t] = vv > 0.0 ? dot / sqrt (vv) : 0.0;
        }

      neighbor.score = cosmul_score (cosines, n_pos, n_terms);
      g_array_append_val (result, neighbor);
    }

  g_array_sort_with_data (result, _es_neighbor_compare, GINT_TO_POINTER (ES_METRIC_COSINE));
  if (result->len > k)
    g_array_set_size (result, k);

  return result;
}

/* Note: gensim 4.2's most_similar_cosmul accepts restrict_vocab but ignores
 * it; here it restricts the candidates for both methods.
 */
GArray *
es_neighbors_analogy (EsEmbeddingSet      *set,
                      const char * const  *positive,
                      const char * const  *negative,
                      gboolean             cosmul,
                      guint                k,
                      gsize                restrict_rows,
                      GCancellable        *cancellable,
                      GError             **error)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autofree double *query = NULL;
  g_autofree double *unit = NULL;
  gsize dims;
  guint n_pos;

  g_return_val_if_fail (set != NULL, NULL);

  if (!resolve_words (set, positive, rows, error))
    return NULL;
  n_pos = rows->len;
  if (!resolve_words (set, negative, rows, error))
    return NULL;

  if (n_pos == 0 && (cosmul || rows->len == 0))
    {
      g_set_error_literal (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                           cosmul ? "an analogy needs at least one positive word"
                                  : "an analogy needs at least one word");
      return NULL;
    }

  if (cosmul)
    return search_cosmul (set, rows, n_pos, k, restrict_rows, cancellable, error);

  /* 3CosAdd: the sum of +/- unit vectors, compared by cosine. */
  dims = es_embedding_set_get_dims (set);
  query = g_new0 (double, MAX (dims, 1));
  unit = g_new (double, MAX (dims, 1));
  for (guint t = 0; t < rows->len; t++)
    {
      double sign = t < n_pos ? 1.0 : -1.0;

      unit_vector (set, g_array_index (rows, gsize, t), unit);
      for (gsize j = 0; j < dims; j++)
        query[j] += sign * unit[j];
    }

  return es_neighbors_search (set, query, ES_METRIC_COSINE, k,
                              (const gsize *) (gpointer) rows->data, rows->len,
                              restrict_rows, cancellable, error);
}
