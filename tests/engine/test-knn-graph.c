/* test-knn-graph.c: the kNN graph against a brute force written here
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "es-engine-error.h"
#include "es-knn-graph.h"
#include "es-knn-graph-private.h"
#include "es-memory.h"
#include "maps-test-util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct
{
  double d;
  gint32 row;
} Ref;

static int
compare_ref (const void *a,
             const void *b)
{
  const Ref *x = a, *y = b;

  if (x->d != y->d)
    return x->d < y->d ? -1 : 1;
  return (x->row > y->row) - (x->row < y->row);
}

/* The distance in double, with the documented conventions. */
static double
ref_distance (EsEmbeddingSet *set,
              EsMetric        metric,
              gsize           a,
              gsize           b)
{
  const float *x = es_embedding_set_get_vector (set, a);
  const float *y = es_embedding_set_get_vector (set, b);
  double dot = 0.0, nx = 0.0, ny = 0.0, sq = 0.0;

  for (gsize j = 0; j < es_embedding_set_get_dims (set); j++)
    {
      dot += (double) x[j] * y[j];
      nx += (double) x[j] * x[j];
      ny += (double) y[j] * y[j];
      sq += ((double) x[j] - y[j]) * ((double) x[j] - y[j]);
    }
  if (metric == ES_METRIC_EUCLIDEAN)
    return sqrt (sq);
  if (nx == 0.0 || ny == 0.0)
    return 1.0;   /* zero vectors: distance 1 to everything */
  return 1.0 - dot / sqrt (nx * ny);
}

/* Sorted true neighbours of @q (valid rows other than q); *n gets how many. */
static Ref *
brute_force (EsEmbeddingSet *set,
             EsMetric        metric,
             gsize           q,
             gsize          *n)
{
  gsize rows = es_embedding_set_get_rows (set);
  Ref *refs = g_new (Ref, rows);
  gsize m = 0;

  for (gsize i = 0; i < rows; i++)
    if (i != q && es_embedding_set_is_row_valid (set, i))
      refs[m++] = (Ref) { ref_distance (set, metric, q, i), (gint32) i };
  qsort (refs, m, sizeof (Ref), compare_ref);
  *n = m;

  return refs;
}

/* Exact: position j holds a row whose true distance equals the true j-th
 * one (within float rounding), the stored distance is right, the order is
 * by distance then row, and the tail past the valid rows is ES_KNN_NONE.
 */
static void
assert_exact (EsEmbeddingSet   *set,
              const EsKnnGraph *graph,
              EsMetric          metric)
{
  gsize rows = es_embedding_set_get_rows (set);
  guint k = es_knn_graph_get_k (graph);

  g_assert_cmpuint (es_knn_graph_get_rows (graph), ==, rows);
  for (gsize q = 0; q < rows; q++)
    {
      const gint32 *ids = es_knn_graph_get_row_indices (graph, q);
      const float *dist = es_knn_graph_get_row_distances (graph, q);
      g_autofree Ref *refs = NULL;
      gsize m;

      if (!es_embedding_set_is_row_valid (set, q))
        {
          for (guint j = 0; j < k; j++)
            g_assert_cmpint (ids[j], ==, ES_KNN_NONE);
          continue;
        }

      refs = brute_force (set, metric, q, &m);
      for (guint j = 0; j < k; j++)
        {
          if (j >= m)
            {
              g_assert_cmpint (ids[j], ==, ES_KNN_NONE);
              continue;
            }
          g_assert_cmpint (ids[j], >=, 0);
          g_assert_cmpint (ids[j], !=, (gint32) q);
          g_assert_true (es_embedding_set_is_row_valid (set, ids[j]));
          g_assert_false (isnan (dist[j]));
          g_assert_cmpfloat_with_epsilon (ref_distance (set, metric, q, ids[j]), refs[j].d, 2e-5);
          g_assert_cmpfloat_with_epsilon (dist[j], refs[j].d, 2e-5);
          if (j > 0)
            {
              g_assert_cmpfloat (dist[j - 1], <=, dist[j]);
              if (dist[j - 1] == dist[j])
                g_assert_cmpint (ids[j - 1], <, ids[j]);
            }
        }
    }
}

/* Share of listed neighbours within the true k-th distance, on every
 * @step-th row.
 */
static double
recall (EsEmbeddingSet   *set,
        const EsKnnGraph *graph,
        EsMetric          metric,
        gsize             step)
{
  guint k = es_knn_graph_get_k (graph);
  guint64 hits = 0, total = 0;

  for (gsize q = 0; q < es_embedding_set_get_rows (set); q += step)
    {
      const gint32 *ids = es_knn_graph_get_row_indices (graph, q);
      g_autofree Ref *refs = NULL;
      gsize m;

      refs = brute_force (set, metric, q, &m);
      for (guint j = 0; j < k; j++)
        {
          total++;
          if (ids[j] >= 0 && ref_distance (set, metric, q, ids[j]) <= refs[k - 1].d + 1e-6)
            hits++;
        }
    }

  return (double) hits / total;
}

static EsKnnGraph *
build (EsEmbeddingSet *set,
       guint           k,
       EsMetric        metric,
       EsKnnMethod     method,
       guint           threads,
       guint64         seed)
{
  g_autoptr(GError) error = NULL;
  EsKnnOptions options;
  EsKnnGraph *graph;

  es_knn_options_init (&options);
  options.k = k;
  options.metric = metric;
  options.method = method;
  options.n_threads = threads;
  options.seed = seed;
  graph = es_knn_graph_build (set, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (graph);

  return graph;
}

/* Random data with the awkward rows: NaN, zero, duplicates. */
static EsEmbeddingSet *
awkward_set (gsize rows,
             gsize dims)
{
  g_autofree float *data = maps_test_mixture (rows, dims, 5, 4, 1.0, 0.2, 11);

  data[3 * dims + 1] = NAN;
  memset (data + 7 * dims, 0, dims * sizeof (float));
  memset (data + 8 * dims, 0, dims * sizeof (float));
  memcpy (data + 20 * dims, data + 21 * dims, dims * sizeof (float));
  memcpy (data + 22 * dims, data + 21 * dims, dims * sizeof (float));

  return maps_test_set_new (rows, dims, data);
}

static void
test_exact_brute_force (void)
{
  g_autoptr(EsEmbeddingSet) set = awkward_set (700, 12);
  EsMetric metrics[] = { ES_METRIC_COSINE, ES_METRIC_EUCLIDEAN };

  for (guint i = 0; i < G_N_ELEMENTS (metrics); i++)
    {
      g_autoptr(EsKnnGraph) graph = build (set, 10, metrics[i], ES_KNN_EXACT, 2, 1);

      g_assert_true (es_knn_graph_is_exact (graph));
      g_assert_cmpint (es_knn_graph_get_metric (graph), ==, metrics[i]);
      assert_exact (set, graph, metrics[i]);
    }
}

/* Every row valid: the exact path from half the score matrix
 * (es-knn-exact-sym.c), with an odd and an even number of block groups
 * and a last block cut short, against brute force; 1 and 2 threads agree.
 * Groups of 768 points: 1000 × 12 is 2 groups of blocks of 144, 1500 ×
 * 8 is 3 groups (one short) of blocks of 176, 700 × 300 one group.  The
 * schedule does not depend on the metric: 1500 × 8 runs cosine only (its
 * brute force is the test's slowest part, under ASan).
 */
static void
test_exact_symmetric (void)
{
  static const gsize shapes[][3] = { { 1000, 12, 2 }, { 1500, 8, 1 }, { 700, 300, 2 } };
  EsMetric metrics[] = { ES_METRIC_COSINE, ES_METRIC_EUCLIDEAN };

  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      gsize rows = shapes[s][0], dims = shapes[s][1];
      g_autofree float *data = maps_test_mixture (rows, dims, 5, 4, 1.0, 0.2, 13);
      g_autoptr(EsEmbeddingSet) set = NULL, twin = NULL;

      /* Duplicates: ties broken by row. */
      memcpy (data + 20 * dims, data + 21 * dims, dims * sizeof (float));
      memcpy (data + 22 * dims, data + 21 * dims, dims * sizeof (float));
      set = maps_test_set_new (rows, dims, data);
      twin = maps_test_set_new (rows, dims, data);
      for (guint i = 0; i < shapes[s][2]; i++)
        {
          g_autoptr(EsKnnGraph) graph = build (set, 40, metrics[i], ES_KNN_EXACT, 2, 1);
          g_autoptr(EsKnnGraph) one = NULL;
          g_autoptr(GError) error = NULL;
          EsKnnOptions options;

          assert_exact (set, graph, metrics[i]);
          /* One thread, on a twin set (not the graph cached on this one). */
          es_knn_options_init (&options);
          options.k = 40;
          options.metric = metrics[i];
          options.method = ES_KNN_EXACT;
          options.n_threads = 1;
          options.one_shot = TRUE;
          one = es_knn_graph_build (twin, &options, NULL, NULL, NULL, &error);
          g_assert_no_error (error);
          g_assert_true (one != graph);
          g_assert_cmpmem (es_knn_graph_get_row_indices (one, 0), rows * 40 * sizeof (gint32),
                           es_knn_graph_get_row_indices (graph, 0), rows * 40 * sizeof (gint32));
          g_assert_cmpmem (es_knn_graph_get_row_distances (one, 0), rows * 40 * sizeof (float),
                           es_knn_graph_get_row_distances (graph, 0), rows * 40 * sizeof (float));
        }
    }
}

/* Zero vectors (cosine): distance 1 to everything, never NaN; they rank
 * after every closer-than-orthogonal row and list the first rows.
 */
static void
test_zero_vectors (void)
{
  g_autoptr(EsEmbeddingSet) set = awkward_set (300, 6);
  g_autoptr(EsKnnGraph) graph = build (set, 299, ES_METRIC_COSINE, ES_KNN_EXACT, 1, 1);
  const gint32 *ids = es_knn_graph_get_row_indices (graph, 7);
  const float *dist = es_knn_graph_get_row_distances (graph, 7);

  /* Row 7 is zero: every other valid row at distance 1, by row number
   * (0, 1, 2, 4, ...: 3 is NaN), 298 valid rows other than itself.
   */
  g_assert_cmpint (ids[0], ==, 0);
  g_assert_cmpint (ids[3], ==, 4);
  g_assert_cmpint (ids[6], ==, 8);
  for (guint j = 0; j < 298; j++)
    g_assert_cmpfloat (dist[j], ==, 1.0f);
  g_assert_cmpint (ids[298], ==, ES_KNN_NONE);
  assert_exact (set, graph, ES_METRIC_COSINE);
}

/* k larger than the valid rows: the tail is ES_KNN_NONE; tiny sets. */
static void
test_small_sets (void)
{
  for (gsize rows = 1; rows <= 5; rows++)
    {
      g_autofree float *data = maps_test_mixture (rows, 3, 2, 2, 1.0, 0.1, 3);
      g_autoptr(EsEmbeddingSet) set = maps_test_set_new (rows, 3, data);

      for (guint m = 0; m < 3; m++)
        {
          EsKnnMethod method = (EsKnnMethod[]) { ES_KNN_AUTO, ES_KNN_EXACT, ES_KNN_APPROXIMATE }[m];
          g_autoptr(EsKnnGraph) graph = build (set, 4, ES_METRIC_COSINE, method, 2, 1);

          assert_exact (set, graph, ES_METRIC_COSINE);
        }
    }
}

static void
test_invalid_options (void)
{
  g_autofree float *data = maps_test_mixture (10, 3, 2, 2, 1.0, 0.1, 3);
  g_autoptr(EsEmbeddingSet) set = maps_test_set_new (10, 3, data);
  g_autoptr(GError) error = NULL;
  EsKnnOptions options;

  es_knn_options_init (&options);
  g_assert_cmpint (options.metric, ==, ES_METRIC_COSINE);
  options.k = 0;
  g_assert_null (es_knn_graph_build (set, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  options.k = 3;
  options.metric = ES_METRIC_DOT;
  g_assert_null (es_knn_graph_build (set, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT);
}

/* The approximate path, forced, on structured data: the recall the issue
 * asks of it, against brute force.
 */
static void
test_approximate_recall (void)
{
  gsize rows = 2500, dims = 40;
  g_autofree float *data = maps_test_mixture (rows, dims, 30, 10, 1.0, 0.1, 5);
  g_autoptr(EsEmbeddingSet) set = maps_test_set_new (rows, dims, data);
  EsMetric metrics[] = { ES_METRIC_COSINE, ES_METRIC_EUCLIDEAN };

  for (guint i = 0; i < G_N_ELEMENTS (metrics); i++)
    {
      g_autoptr(EsKnnGraph) g15 = build (set, 15, metrics[i], ES_KNN_APPROXIMATE, 2, 7);
      g_autoptr(EsEmbeddingSet) set2 = maps_test_set_new (rows, dims, data);
      g_autoptr(EsKnnGraph) g90 = build (set2, 90, metrics[i], ES_KNN_APPROXIMATE, 2, 7);
      double r15 = recall (set, g15, metrics[i], 25);
      double r90 = recall (set2, g90, metrics[i], 25);

      g_test_message ("%s: recall@15 %.4f, recall@90 %.4f", es_metric_to_string (metrics[i]), r15, r90);
      g_assert_false (es_knn_graph_is_exact (g15));
      g_assert_cmpfloat (r15, >=, 0.95);
      g_assert_cmpfloat (r90, >=, 0.90);

      /* Sorted, no self, no duplicates. */
      for (gsize q = 0; q < rows; q++)
        {
          const gint32 *ids = es_knn_graph_get_row_indices (g15, q);
          const float *dist = es_knn_graph_get_row_distances (g15, q);

          for (guint j = 0; j < 15; j++)
            {
              g_assert_cmpint (ids[j], >=, 0);
              g_assert_cmpint (ids[j], !=, (gint32) q);
              g_assert_cmpfloat_with_epsilon (dist[j], ref_distance (set, metrics[i], q, ids[j]), 2e-5);
              for (guint l = 0; l < j; l++)
                g_assert_cmpint (ids[l], !=, ids[j]);
              if (j > 0)
                g_assert_cmpfloat (dist[j - 1], <=, dist[j]);
            }
        }
    }
}

/* Same seed: the same graph bit for bit, with 1, 2 or 3 threads. */
static void
test_approximate_deterministic (void)
{
  gsize rows = 2000, dims = 24;
  g_autofree float *data = maps_test_mixture (rows, dims, 20, 6, 1.0, 0.1, 9);
  EsKnnGraph *graphs[3];

  /* The duplicates and NaN make ties and holes. */
  memcpy (data + 5 * dims, data + 6 * dims, dims * sizeof (float));
  data[9 * dims] = NAN;

  for (guint t = 0; t < 3; t++)
    {
      g_autoptr(EsEmbeddingSet) set = maps_test_set_new (rows, dims, data);

      graphs[t] = build (set, 20, ES_METRIC_COSINE, ES_KNN_APPROXIMATE, t + 1, 99);
    }
  for (guint t = 1; t < 3; t++)
    for (gsize q = 0; q < rows; q++)
      {
        g_assert_cmpmem (es_knn_graph_get_row_indices (graphs[0], q), 20 * sizeof (gint32),
                         es_knn_graph_get_row_indices (graphs[t], q), 20 * sizeof (gint32));
        g_assert_cmpmem (es_knn_graph_get_row_distances (graphs[0], q), 20 * sizeof (float),
                         es_knn_graph_get_row_distances (graphs[t], q), 20 * sizeof (float));
      }
  for (guint t = 0; t < 3; t++)
    es_knn_graph_unref (graphs[t]);
}

/* A smaller k after a larger one: a prefix view of the cached graph, equal
 * to a fresh build (exact path); the cache is per metric.
 */
static void
test_cache_prefix (void)
{
  g_autoptr(EsEmbeddingSet) set = awkward_set (500, 8);
  g_autoptr(EsEmbeddingSet) fresh_set = awkward_set (500, 8);
  g_autoptr(EsKnnGraph) big = build (set, 30, ES_METRIC_COSINE, ES_KNN_EXACT, 2, 1);
  g_autoptr(EsKnnGraph) small = build (set, 7, ES_METRIC_COSINE, ES_KNN_EXACT, 2, 1);
  g_autoptr(EsKnnGraph) again = build (set, 30, ES_METRIC_COSINE, ES_KNN_EXACT, 2, 1);
  g_autoptr(EsKnnGraph) fresh = build (fresh_set, 7, ES_METRIC_COSINE, ES_KNN_EXACT, 2, 1);
  g_autoptr(EsKnnGraph) euclid = build (set, 7, ES_METRIC_EUCLIDEAN, ES_KNN_EXACT, 2, 1);

  g_assert_true (again == big);
  g_assert_cmpuint (es_knn_graph_get_k (small), ==, 7);
  for (gsize q = 0; q < 500; q++)
    {
      g_assert_true (es_knn_graph_get_row_indices (small, q) == es_knn_graph_get_row_indices (big, q));
      g_assert_cmpmem (es_knn_graph_get_row_indices (small, q), 7 * sizeof (gint32),
                       es_knn_graph_get_row_indices (fresh, q), 7 * sizeof (gint32));
      g_assert_cmpmem (es_knn_graph_get_row_distances (small, q), 7 * sizeof (float),
                       es_knn_graph_get_row_distances (fresh, q), 7 * sizeof (float));
    }
  g_assert_cmpint (es_knn_graph_get_metric (euclid), ==, ES_METRIC_EUCLIDEAN);
  assert_exact (set, euclid, ES_METRIC_EUCLIDEAN);

  /* The prefix outlives the set and the parent reference. */
  g_clear_pointer (&big, es_knn_graph_unref);
  g_clear_pointer (&again, es_knn_graph_unref);
  g_clear_pointer (&set, es_embedding_set_unref);
  g_assert_cmpint (es_knn_graph_get_row_indices (small, 499)[6], >=, 0);
}

/* A one-shot build is not kept: the next build recomputes it (a new
 * object, equal content), and a cached build never hands it out.
 */
static void
test_one_shot (void)
{
  g_autoptr(EsEmbeddingSet) set = awkward_set (300, 8);
  g_autoptr(GError) error = NULL;
  g_autoptr(EsKnnGraph) first = NULL;
  g_autoptr(EsKnnGraph) second = NULL;
  g_autoptr(EsKnnGraph) cached = NULL;
  g_autoptr(EsKnnGraph) cached_again = NULL;
  EsKnnOptions options;

  es_knn_options_init (&options);
  options.k = 9;
  options.method = ES_KNN_EXACT;
  options.one_shot = TRUE;
  first = es_knn_graph_build (set, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  second = es_knn_graph_build (set, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (first != second);
  for (gsize q = 0; q < 300; q++)
    g_assert_cmpmem (es_knn_graph_get_row_indices (first, q), 9 * sizeof (gint32),
                     es_knn_graph_get_row_indices (second, q), 9 * sizeof (gint32));

  cached = build (set, 9, ES_METRIC_COSINE, ES_KNN_EXACT, 2, 1);
  cached_again = build (set, 9, ES_METRIC_COSINE, ES_KNN_EXACT, 2, 1);
  g_assert_true (cached != first && cached != second);
  g_assert_true (cached_again == cached);
}

/* Data lying in a 3-D subspace of 10 dimensions: the graph on the top 3
 * principal components is the exact graph of the full space.
 */
static void
test_pca_dims (void)
{
  gsize rows = 400, dims = 10;
  g_autofree float *data = maps_test_mixture (rows, dims, 4, 3, 1.0, 0.0, 21);
  g_autoptr(EsEmbeddingSet) set = maps_test_set_new (rows, dims, data);
  g_autoptr(GError) error = NULL;
  g_autoptr(EsKnnGraph) graph = NULL;
  EsKnnOptions options;

  es_knn_options_init (&options);
  options.k = 8;
  options.metric = ES_METRIC_EUCLIDEAN;
  options.method = ES_KNN_EXACT;
  options.pca_dims = 3;
  graph = es_knn_graph_build (set, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (es_knn_graph_get_pca_dims (graph), ==, 3);
  g_assert_cmpfloat (recall (set, graph, ES_METRIC_EUCLIDEAN, 1), >=, 0.999);

  /* Cosine on the PCs of the unit rows: 1 − cos from the chord. */
  {
    g_autoptr(EsKnnGraph) cosine = NULL;

    options.metric = ES_METRIC_COSINE;
    options.pca_dims = 9;
    cosine = es_knn_graph_build (set, &options, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpfloat (recall (set, cosine, ES_METRIC_COSINE, 1), >=, 0.99);
    g_assert_cmpfloat_with_epsilon (es_knn_graph_get_row_distances (cosine, 0)[0],
                                    ref_distance (set, ES_METRIC_COSINE, 0,
                                                  es_knn_graph_get_row_indices (cosine, 0)[0]), 1e-3);
  }

  /* As many PCs as dimensions: the original space, and the graph says so. */
  {
    g_autoptr(EsKnnGraph) full = NULL;

    options.pca_dims = 10;
    full = es_knn_graph_build (set, &options, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (es_knn_graph_get_pca_dims (full), ==, 0);
  }
}

static void
test_cancel (void)
{
  gsize rows = 3000, dims = 16;
  g_autofree float *data = maps_test_mixture (rows, dims, 10, 4, 1.0, 0.1, 2);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  g_cancellable_cancel (cancellable);
  for (guint m = 0; m < 2; m++)
    {
      g_autoptr(EsEmbeddingSet) set = maps_test_set_new (rows, dims, data);
      g_autoptr(GError) error = NULL;
      g_autoptr(EsKnnGraph) graph = NULL;
      EsKnnOptions options;

      es_knn_options_init (&options);
      options.method = m == 0 ? ES_KNN_EXACT : ES_KNN_APPROXIMATE;
      graph = es_knn_graph_build (set, &options, cancellable, NULL, NULL, &error);
      g_assert_null (graph);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    }
}

/* The graph reads the set's matrix in place: under a memory ceiling below
 * the matrix's own size (each allocation is checked against it), where a
 * copy of the vectors would be refused, both paths build, the exact one
 * still exact, the approximate one with its recall.  The awkward rows (NaN,
 * zero) make the points differ from the rows.
 */
static void
test_in_place_memory (void)
{
  gsize dims = 512;
  EsMetric metrics[] = { ES_METRIC_COSINE, ES_METRIC_EUCLIDEAN };

  for (guint m = 0; m < 2; m++)
    for (guint i = 0; i < G_N_ELEMENTS (metrics) - m; i++)
      {
        EsKnnMethod method = m == 0 ? ES_KNN_EXACT : ES_KNN_APPROXIMATE;
        gsize rows = m == 0 ? 400 : 600;
        guint64 matrix = (guint64) rows * dims * sizeof (float);
        g_autofree float *data = maps_test_mixture (rows, dims, 12, 8, 1.0, 0.1, 13 + i);
        g_autoptr(EsEmbeddingSet) set = NULL;
        g_autoptr(EsKnnGraph) graph = NULL;
        g_autoptr(GError) error = NULL;
        EsKnnOptions options;

        data[5 * dims] = NAN;
        memset (data + 9 * dims, 0, dims * sizeof (float));
        set = maps_test_set_new (rows, dims, data);
        es_knn_options_init (&options);
        options.k = 15;
        options.metric = metrics[i];
        options.method = method;
        options.n_threads = 1;
        /* 0.92 MB at 600 rows: over the approximate path's stated peak
         * there (0.80 MB, most of it a join buffer of 38k + 16k updates),
         * under the 1.23 MB a copy of the vectors would take.
         */
        es_memory_set_ceiling (matrix * 3 / 4);
        graph = es_knn_graph_build (set, &options, NULL, NULL, NULL, &error);
        es_memory_set_ceiling (0);
        g_assert_no_error (error);
        g_assert_nonnull (graph);
        if (m == 0)
          assert_exact (set, graph, metrics[i]);
        else
          {
            double r = recall (set, graph, metrics[i], 13);

            g_test_message ("%s under a %.1f MB ceiling: recall@15 %.4f",
                            es_metric_to_string (metrics[i]), matrix * 0.75 / 1e6, r);
            g_assert_false (es_knn_graph_is_exact (graph));
            g_assert_cmpfloat (r, >=, 0.95);
          }
      }
}

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  double *last = user_data;

  g_assert_cmpfloat (fraction, >=, 0.0);
  g_assert_cmpfloat (fraction, <=, 1.0);
  *last = fraction;
}

static void
test_progress (void)
{
  gsize rows = 1500, dims = 16;
  g_autofree float *data = maps_test_mixture (rows, dims, 10, 4, 1.0, 0.1, 2);
  g_autoptr(EsEmbeddingSet) set = maps_test_set_new (rows, dims, data);
  g_autoptr(EsKnnGraph) graph = NULL;
  double last = -1.0;
  EsKnnOptions options;

  es_knn_options_init (&options);
  options.method = ES_KNN_APPROXIMATE;
  graph = es_knn_graph_build (set, &options, NULL, progress_cb, &last, NULL);
  g_assert_nonnull (graph);
  g_assert_cmpfloat (last, ==, 1.0);
}

static void
test_auto_choice (void)
{
  g_test_summary ("ES_KNN_AUTO: exact up to 50k rows; at t-SNE's k = 90 with every row valid, "
                  "exact while N² d ≤ 2.25e12 (es-bench-knn at 100k × 100: exact 16.9 s, "
                  "approximate 27.5 s); UMAP's k = 15 and masked rows keep the 50k rule");

  g_assert_cmpuint (es_knn_exact_max_rows (), ==, 50000);
  g_assert_true (_es_knn_auto_is_exact (50000, 50000, 768, 15));
  g_assert_true (_es_knn_auto_is_exact (50000, 60000, 300, 90));
  g_assert_false (_es_knn_auto_is_exact (50001, 50001, 100, 15));
  g_assert_true (_es_knn_auto_is_exact (100000, 100000, 100, 90));
  g_assert_true (_es_knn_auto_is_exact (150000, 150000, 100, 90));
  g_assert_false (_es_knn_auto_is_exact (150001, 150001, 100, 90));
  g_assert_false (_es_knn_auto_is_exact (100000, 100001, 100, 90));   /* a masked row */
  g_assert_true (_es_knn_auto_is_exact (86000, 86000, 300, 90));
  g_assert_false (_es_knn_auto_is_exact (100000, 100000, 300, 90));
  g_assert_false (_es_knn_auto_is_exact (400000, 400000, 300, 90));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/knn-graph/exact-brute-force", test_exact_brute_force);
  g_test_add_func ("/knn-graph/exact-symmetric", test_exact_symmetric);
  g_test_add_func ("/knn-graph/zero-vectors", test_zero_vectors);
  g_test_add_func ("/knn-graph/small-sets", test_small_sets);
  g_test_add_func ("/knn-graph/invalid-options", test_invalid_options);
  g_test_add_func ("/knn-graph/approximate-recall", test_approximate_recall);
  g_test_add_func ("/knn-graph/approximate-deterministic", test_approximate_deterministic);
  g_test_add_func ("/knn-graph/cache-prefix", test_cache_prefix);
  g_test_add_func ("/knn-graph/one-shot", test_one_shot);
  g_test_add_func ("/knn-graph/pca-dims", test_pca_dims);
  g_test_add_func ("/knn-graph/cancel", test_cancel);
  g_test_add_func ("/knn-graph/progress", test_progress);
  g_test_add_func ("/knn-graph/in-place-memory", test_in_place_memory);
  g_test_add_func ("/knn-graph/auto-choice", test_auto_choice);

  return g_test_run ();
}
