/* es-knn-graph.c: the k nearest neighbours of every row, exact or by
 * random-projection trees and NN-descent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Points.  The valid rows, read in place from the set's matrix (or its top
 * principal components, pca_dims), never copied: at 400k × 300 a copy was
 * 480 MB, the matrix's own size.  Per point only a 1/|x| (cosine: the
 * distance is 1 − x·y/(|x||y|)) or a squared norm (euclidean, for the sgemm
 * score).  Under cosine a zero vector has no direction; we define its
 * distance to every other row as exactly 1 ("orthogonal to everything"):
 * zero rows are kept out of the point set and merged in at distance 1 at
 * the end, so they never produce NaN and rank after every row closer than
 * orthogonal.
 *
 * Memory.  The search's output (points × k ids and distances; NN-descent's
 * heaps) is grown in place into the graph (rows × k), so the lists are
 * never held twice; NN-descent's own peak is stated in es-knn-descent.c.
 *
 * Cache.  A graph is stored on the set per (metric, exact/approximate,
 * pca_dims, seed for approximate ones); a request for a smaller k gets a
 * prefix view of it.  For exact graphs the prefix is exactly what a fresh
 * build gives.  An approximate graph's prefix is at least as good as a
 * fresh smaller-k build (more candidates were searched) but not bit-equal to
 * one: what a map shows can then depend on whether a larger graph was built
 * first in the same session.
 *
 * The exact path is in es-knn-exact.c, the trees in es-knn-rptree.c,
 * NN-descent in es-knn-descent.c.
 */

#define G_LOG_DOMAIN "es-knn-graph"

#include "config.h"

#include "es-knn-graph-private.h"

#include "es-embedding-set-private.h"
#include "es-engine-error.h"
#include "es-memory.h"
#include "es-projection.h"

#include <math.h>
#include <string.h>

/* The exact path up to 50,000 rows.  Measured on this 2-core machine
 * (tests/bench/es-bench-knn, 2 threads, busy with other builds: ±50 %), on
 * the 30k × 100 English file: exact 3.5–5.5 s at k = 15 or 90; approximate
 * 1.8 s at k = 15, 9 s at k = 90.  The exact cost grows as N², the
 * approximate one about as N log N, so at k = 90 (t-SNE) they cross near
 * 60–70k rows, at k = 15 (UMAP) already below 30k.  50k keeps every file up
 * to the size of the English sample exact (no recall question at all, and
 * at most ~15 s), and hands larger ones to the approximate path, which is
 * ~7× quicker at 100k (6.5 s against ~45 s at k = 15).
 */
#define EXACT_MAX_ROWS  50000

/* From k = 50 (t-SNE's 90) with every row valid, the exact search runs
 * from half the score matrix (es-knn-exact-sym.c) and stays the quicker
 * one well past 50k rows: on the 100k × 100 structured file at k = 90,
 * exact 16.9 s against approximate 27.5 s (es-bench-knn, idle, session 8).
 * The exact cost grows as N² d; NN-descent's about as N log N and less than
 * linearly in d (400k × 300: 198 s).  They cross near N² d = 2.25e12:
 * 150k rows at d = 100, 86k at d = 300.  (At k = 15 the approximate path
 * is several times quicker from 50k rows on, so UMAP keeps the first rule.)
 */
#define EXACT_LARGE_K    50
#define EXACT_MAX_N2D    2.25e12

struct _EsKnnGraph
{
  gatomicrefcount ref_count;
  EsKnnGraph *parent;   /* a prefix view shares its parent's arrays */
  gsize rows;
  guint k;
  guint stride;
  EsMetric metric;
  gboolean exact;
  guint pca_dims;
  gint32 *indices;
  float *distances;
};

void
es_knn_options_init (EsKnnOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->k = 15;
  options->metric = ES_METRIC_COSINE;
  options->method = ES_KNN_AUTO;
  options->pca_dims = 0;
  options->seed = 42;
  options->n_threads = 0;
}

gsize
es_knn_exact_max_rows (void)
{
  return EXACT_MAX_ROWS;
}

gboolean
_es_knn_auto_is_exact (gsize n_valid,
                       gsize rows,
                       gsize search_dims,
                       guint k)
{
  if (n_valid <= EXACT_MAX_ROWS)
    return TRUE;
  return k >= EXACT_LARGE_K && n_valid == rows &&
         (double) n_valid * (double) n_valid * (double) search_dims <= EXACT_MAX_N2D;
}

/* ---- the graph object ------------------------------------------------ */

EsKnnGraph *
es_knn_graph_ref (EsKnnGraph *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
es_knn_graph_unref (EsKnnGraph *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      if (self->parent != NULL)
        es_knn_graph_unref (self->parent);
      else
        {
          g_free (self->indices);
          g_free (self->distances);
        }
      g_free (self);
    }
}

static gpointer
graph_ref_cb (gpointer data)
{
  return es_knn_graph_ref (data);
}

gsize
es_knn_graph_get_rows (const EsKnnGraph *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->rows;
}

guint
es_knn_graph_get_k (const EsKnnGraph *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->k;
}

EsMetric
es_knn_graph_get_metric (const EsKnnGraph *self)
{
  g_return_val_if_fail (self != NULL, ES_METRIC_COSINE);
  return self->metric;
}

gboolean
es_knn_graph_is_exact (const EsKnnGraph *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->exact;
}

guint
es_knn_graph_get_pca_dims (const EsKnnGraph *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->pca_dims;
}

const gint32 *
es_knn_graph_get_row_indices (const EsKnnGraph *self,
                              gsize             row)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (row < self->rows, NULL);
  return self->indices + row * self->stride;
}

const float *
es_knn_graph_get_row_distances (const EsKnnGraph *self,
                                gsize             row)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (row < self->rows, NULL);
  return self->distances + row * self->stride;
}

static EsKnnGraph *
graph_new_prefix (EsKnnGraph *parent,
                  guint       k)
{
  EsKnnGraph *self = g_new0 (EsKnnGraph, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->parent = es_knn_graph_ref (parent);
  self->rows = parent->rows;
  self->k = k;
  self->stride = parent->stride;
  self->metric = parent->metric;
  self->exact = parent->exact;
  self->pca_dims = parent->pca_dims;
  self->indices = parent->indices;
  self->distances = parent->distances;

  return self;
}

/* ---- shared helpers --------------------------------------------------- */

static inline void
swap_key_id (EsKnnKeyId *a,
             EsKnnKeyId *b)
{
  EsKnnKeyId t = *a;

  *a = *b;
  *b = t;
}

static inline gboolean
key_id_less (const EsKnnKeyId *a,
             const EsKnnKeyId *b)
{
  return _es_knn_pair_less (a->key, a->id, b->key, b->id);
}

static void
insertion_sort_key_id (EsKnnKeyId *items,
                       guint       n)
{
  for (guint i = 1; i < n; i++)
    {
      EsKnnKeyId t = items[i];
      guint j = i;

      while (j > 0 && key_id_less (&t, &items[j - 1]))
        {
          items[j] = items[j - 1];
          j--;
        }
      items[j] = t;
    }
}

/* Partitions items[0, n), n ≥ 3, around the median of its first, middle
 * and last items; returns the pivot's final place (everything before it
 * is less, everything after it greater: the (key, id) are distinct).
 */
static guint
partition_key_id (EsKnnKeyId *items,
                  guint       n)
{
  guint mid = n / 2, last = n - 1, i, j;
  EsKnnKeyId pivot;

  if (key_id_less (&items[mid], &items[0]))
    swap_key_id (&items[mid], &items[0]);
  if (key_id_less (&items[last], &items[0]))
    swap_key_id (&items[last], &items[0]);
  if (key_id_less (&items[last], &items[mid]))
    swap_key_id (&items[last], &items[mid]);
  /* items[0] ≤ pivot ≤ items[last]: sentinels for the two scans. */
  swap_key_id (&items[mid], &items[last - 1]);
  pivot = items[last - 1];
  i = 0;
  j = last - 1;
  for (;;)
    {
      while (key_id_less (&items[++i], &pivot))
        ;
      while (key_id_less (&pivot, &items[--j]))
        ;
      if (i >= j)
        break;
      swap_key_id (&items[i], &items[j]);
    }
  swap_key_id (&items[i], &items[last - 1]);
  return i;
}

void
_es_knn_sort_key_id (EsKnnKeyId *items,
                     guint       n)
{
  /* Quicksort down to short runs (every run's pivot is a median of three),
   * then insertion sort; lists are k + SLACK long.
   */
  while (n > 24)
    {
      guint p = partition_key_id (items, n);

      if (p < n - 1 - p)
        {
          _es_knn_sort_key_id (items, p);
          items += p + 1;
          n -= p + 1;
        }
      else
        {
          _es_knn_sort_key_id (items + p + 1, n - p - 1);
          n = p;
        }
    }
  insertion_sort_key_id (items, n);
}

void
_es_knn_run_parts (EsKnnPartFunc func,
                   gpointer      parts,
                   gsize         part_size,
                   guint         n_threads)
{
  GThread *threads[ES_KNN_MAX_THREADS] = { NULL };

  for (guint t = 1; t < n_threads; t++)
    threads[t] = g_thread_new ("es-knn", func, (char *) parts + t * part_size);
  func (parts);
  for (guint t = 1; t < n_threads; t++)
    g_thread_join (threads[t]);
}

static guint
resolve_threads (guint requested)
{
  guint n = requested > 0 ? requested : g_get_num_processors ();

  return CLAMP (n, 1, ES_KNN_MAX_THREADS);
}

/* ---- points ----------------------------------------------------------- */

static void
points_clear (EsKnnPoints *P)
{
  g_clear_pointer (&P->row, g_free);
  g_clear_pointer (&P->point, g_free);
  g_clear_pointer (&P->scale, g_free);
  g_clear_pointer (&P->norm2, g_free);
}

/* Fills @P over the set's matrix (or over @pca coordinates, rows × @pdims),
 * in place, and @zero_rows (cosine: valid rows of norm 0; a sorted list).
 * What it allocates is a few numbers per row, not the vectors: the graph
 * needs no copy of the matrix.
 */
static gboolean
points_prepare (EsEmbeddingSet *set,
                EsMetric        metric,
                const float    *pca,
                guint           pdims,
                EsKnnPoints    *P,
                GArray         *zero_rows,
                GError        **error)
{
  gsize rows = es_embedding_set_get_rows (set);
  gsize dims = es_embedding_set_get_dims (set);
  gsize n_valid = MAX (es_embedding_set_get_n_valid (set), 1);
  gsize d = pca != NULL ? pdims : dims;
  gsize n = 0;

  P->d = d;
  P->ld = d;
  P->rows = rows;
  P->x = pca != NULL ? pca : es_matrix_get_data (es_embedding_set_get_matrix (set));
  P->kind = (metric == ES_METRIC_COSINE && pca == NULL) ? ES_KNN_DIST_DOT : ES_KNN_DIST_SQUARED;
  if (!(P->row = es_memory_try_alloc (n_valid, sizeof (gint32), "the kNN graph's row map", error)) ||
      !(P->point = es_memory_try_alloc (MAX (rows, 1), sizeof (gint32), "the kNN graph's row map", error)) ||
      !(P->scale = es_memory_try_alloc (P->kind == ES_KNN_DIST_DOT ? n_valid : 1, sizeof (float),
                                        "the kNN graph's norms", error)) ||
      !(P->norm2 = es_memory_try_alloc (P->kind == ES_KNN_DIST_SQUARED ? n_valid : 1, sizeof (float),
                                        "the kNN graph's norms", error)))
    return FALSE;

  for (gsize i = 0; i < rows; i++)
    {
      const float *v = P->x + i * P->ld;
      double s = 0.0;

      P->point[i] = -1;
      if (!es_embedding_set_is_row_valid (set, i))
        continue;
      if (metric == ES_METRIC_COSINE)
        {
          const float *raw = es_embedding_set_get_vector (set, i);

          for (gsize j = 0; j < dims; j++)
            s += (double) raw[j] * raw[j];
          if (!(s > 0.0))
            {
              gint32 r = (gint32) i;
              g_array_append_val (zero_rows, r);
              continue;
            }
        }
      if (P->kind == ES_KNN_DIST_DOT)
        P->scale[n] = (float) (1.0 / sqrt (s));
      else
        {
          float f = 0.0f;

          for (gsize j = 0; j < d; j++)
            f += v[j] * v[j];
          P->norm2[n] = f;
        }
      P->point[i] = (gint32) n;
      P->row[n++] = (gint32) i;
    }
  P->n = n;

  return TRUE;
}

/* ---- assembly and the public entry ----------------------------------- */

static inline float
final_distance (EsKnnDist kind,
                gboolean pca_cosine,
                float    key)
{
  if (kind == ES_KNN_DIST_DOT)
    return key;
  if (pca_cosine)
    return 0.5f * key;   /* ||x − y||² = 2 − 2 cos between unit rows */
  return sqrtf (key);
}

static gboolean
knn_build (EsEmbeddingSet      *set,
           const EsKnnOptions  *options,
           gboolean             exact,
           guint                pca_dims,
           GCancellable        *cancellable,
           EsProgressFunc       progress,
           gpointer             progress_data,
           EsKnnGraph         **out,
           GError             **error)
{
  gsize rows = es_embedding_set_get_rows (set);
  guint k = options->k;
  guint n_threads = resolve_threads (options->n_threads);
  g_autoptr(EsProjection) projection = NULL;
  g_autoptr(GArray) zero_rows = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autofree gint32 *pt_id = NULL;
  g_autofree float *pt_key = NULL;
  g_autofree EsKnnKeyId *merged = NULL;
  EsKnnPoints P = { 0 };
  guint kp;
  EsKnnGraph *graph;
  gboolean ok = FALSE;

  if (pca_dims > 0)
    {
      EsProjectionOptions popt;

      es_projection_options_init (&popt);
      popt.method = ES_METHOD_PCA;
      popt.n_components = pca_dims;
      popt.normalize = options->metric == ES_METRIC_COSINE;
      projection = es_projection_compute (set, &popt, cancellable, NULL, NULL, error);
      if (projection == NULL)
        return FALSE;
    }

  if (!points_prepare (set, options->metric,
                       projection != NULL ? es_projection_get_coords (projection) : NULL,
                       pca_dims, &P, zero_rows, error))
    goto out;

  kp = (guint) MIN ((gsize) k, P.n > 0 ? P.n - 1 : 0);
  pt_id = es_memory_try_alloc ((guint64) MAX (P.n, 1) * MAX (kp, 1), sizeof (gint32),
                               "the kNN graph", error);
  pt_key = pt_id != NULL ? es_memory_try_alloc ((guint64) MAX (P.n, 1) * MAX (kp, 1),
                                                sizeof (float), "the kNN graph", error) : NULL;
  if (pt_key == NULL)
    goto out;

  /* NN-descent needs a few times k points to mean anything. */
  if (!exact && P.n <= 4 * ((gsize) kp + 1))
    exact = TRUE;

  if (kp > 0)
    {
      if (exact)
        ok = _es_knn_exact (&P, kp, n_threads, pt_id, pt_key, cancellable, progress, progress_data, error);
      else
        ok = _es_knn_approximate (&P, kp, options->seed, n_threads, pt_id, pt_key,
                                  cancellable, progress, progress_data, error);
      if (!ok)
        goto out;
    }

  g_clear_pointer (&projection, es_projection_unref);

  /* The graph in row space (rows × k) in the same two arrays, grown and
   * filled from the last point back: row[p] ≥ p and k ≥ kp, so no point's
   * list is overwritten before it is read, and the search's lists and the
   * graph are never held twice.
   */
  if ((guint64) rows * k > (guint64) MAX (P.n, 1) * MAX (kp, 1))
    {
      gpointer grown;

      if (!es_memory_check ((guint64) rows * k, sizeof (gint32), "the kNN graph", NULL, error))
        goto out;
      if ((grown = g_try_realloc (pt_id, (gsize) rows * k * sizeof (gint32))) != NULL)
        pt_id = grown;
      if (grown == NULL || (grown = g_try_realloc (pt_key, (gsize) rows * k * sizeof (float))) == NULL)
        {
          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                       "cannot allocate the kNN graph of %" G_GSIZE_FORMAT " rows", rows);
          goto out;
        }
      pt_key = grown;
    }

  merged = g_new (EsKnnKeyId, (gsize) kp + MIN ((gsize) k, zero_rows->len) + 1);
  for (gsize p = P.n; p-- > 0;)
    {
      gsize r = P.row[p];
      guint m = 0, zi = 0, nz = MIN (k, zero_rows->len);

      for (guint j = 0; j < kp; j++)
        if (pt_id[p * kp + j] >= 0)
          merged[m++] = (EsKnnKeyId) { final_distance (P.kind, pca_dims > 0 && options->metric == ES_METRIC_COSINE,
                                                       pt_key[p * kp + j]),
                                       P.row[pt_id[p * kp + j]] };
      /* Zero rows are at distance 1 from every row (cosine). */
      for (; zi < nz; zi++)
        merged[m++] = (EsKnnKeyId) { 1.0f, g_array_index (zero_rows, gint32, zi) };
      _es_knn_sort_key_id (merged, m);
      for (guint j = 0; j < k; j++)
        {
          pt_id[r * k + j] = j < m ? merged[j].id : ES_KNN_NONE;
          pt_key[r * k + j] = j < m ? merged[j].key : INFINITY;
        }
    }
  for (gsize r = 0; r < rows; r++)
    if (P.point[r] < 0)
      for (guint j = 0; j < k; j++)
        {
          pt_id[r * k + j] = ES_KNN_NONE;
          pt_key[r * k + j] = INFINITY;
        }

  graph = g_new0 (EsKnnGraph, 1);
  g_atomic_ref_count_init (&graph->ref_count);
  graph->rows = rows;
  graph->k = k;
  graph->stride = k;
  graph->metric = options->metric;
  graph->exact = exact;
  graph->pca_dims = pca_dims;
  graph->indices = g_steal_pointer (&pt_id);
  graph->distances = g_steal_pointer (&pt_key);

  /* A zero row: every other valid row at distance 1, so by row number. */
  for (guint z = 0; z < zero_rows->len; z++)
    {
      gsize r = g_array_index (zero_rows, gint32, z);
      guint m = 0;

      for (gsize i = 0; i < rows && m < k; i++)
        if (i != r && es_embedding_set_is_row_valid (set, i))
          {
            graph->indices[r * k + m] = (gint32) i;
            graph->distances[r * k + m] = 1.0f;
            m++;
          }
    }

  if (progress != NULL)
    progress (1.0, progress_data);
  *out = graph;
  ok = TRUE;

out:
  points_clear (&P);
  return ok;
}

EsKnnGraph *
es_knn_graph_build (EsEmbeddingSet      *set,
                    const EsKnnOptions  *options,
                    GCancellable        *cancellable,
                    EsProgressFunc       progress,
                    gpointer             progress_data,
                    GError             **error)
{
  EsKnnOptions defaults;
  gsize n_valid, dims;
  guint pca_dims;
  gboolean exact;
  g_autofree char *key = NULL;
  g_autoptr(EsKnnGraph) cached = NULL;
  EsKnnGraph *graph = NULL;

  g_return_val_if_fail (set != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (options == NULL)
    {
      es_knn_options_init (&defaults);
      options = &defaults;
    }

  n_valid = es_embedding_set_get_n_valid (set);
  dims = es_embedding_set_get_dims (set);

  if (options->k == 0)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "a kNN graph needs k ≥ 1 neighbours per row");
      return NULL;
    }
  if (options->k > G_MAXINT32 / 2 || es_embedding_set_get_rows (set) > G_MAXINT32)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                   "a kNN graph of %" G_GSIZE_FORMAT " rows with k = %u is too large",
                   es_embedding_set_get_rows (set), options->k);
      return NULL;
    }
  if (options->metric != ES_METRIC_COSINE && options->metric != ES_METRIC_EUCLIDEAN)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "the kNN graph supports the cosine and euclidean metrics, not %s",
                   es_metric_to_string (options->metric));
      return NULL;
    }

  /* PCA needs 2 valid rows and fewer components than dimensions to mean
   * anything; otherwise the original space is used, and the graph says so.
   */
  pca_dims = options->pca_dims;
  if (pca_dims >= dims || n_valid < 2)
    pca_dims = 0;

  switch (options->method)
    {
    case ES_KNN_EXACT:
      exact = TRUE;
      break;
    case ES_KNN_APPROXIMATE:
      /* NN-descent needs a few times k points to mean anything. */
      exact = n_valid <= 4 * ((gsize) options->k + 1) || n_valid <= 256;
      break;
    case ES_KNN_AUTO:
    default:
      exact = _es_knn_auto_is_exact (n_valid, es_embedding_set_get_rows (set),
                                     pca_dims > 0 ? pca_dims : dims, options->k);
      break;
    }

  if (exact)
    key = g_strdup_printf ("es-knn-graph/%s/exact/%u", es_metric_to_string (options->metric), pca_dims);
  else
    key = g_strdup_printf ("es-knn-graph/%s/approximate/%u/%" G_GUINT64_FORMAT,
                           es_metric_to_string (options->metric), pca_dims, options->seed);

  cached = _es_embedding_set_dup_attached (set, key, graph_ref_cb);
  if (cached != NULL && cached->k >= options->k)
    {
      if (progress != NULL)
        progress (1.0, progress_data);
      if (cached->k == options->k)
        return g_steal_pointer (&cached);
      return graph_new_prefix (cached, options->k);
    }

  if (!knn_build (set, options, exact, pca_dims, cancellable, progress, progress_data, &graph, error))
    return NULL;

  if (options->one_shot)
    return graph;

  /* Keep the largest: another thread may have stored a larger one meanwhile. */
  g_clear_pointer (&cached, es_knn_graph_unref);
  cached = _es_embedding_set_dup_attached (set, key, graph_ref_cb);
  if (cached == NULL || cached->k < graph->k)
    _es_embedding_set_set_attached (set, key, es_knn_graph_ref (graph),
                                    (GDestroyNotify) es_knn_graph_unref);

  return graph;
}
