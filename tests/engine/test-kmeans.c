/* test-kmeans.c: k-means on planted clusters, its objective, its names
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "es-engine-error.h"
#include "es-kmeans.h"
#include "maps-test-util.h"

#include <math.h>
#include <string.h>

static EsKmeans *
run (EsEmbeddingSet *set,
     guint           k,
     EsMetric        metric,
     guint           threads,
     guint64         seed)
{
  g_autoptr(GError) error = NULL;
  EsKmeansOptions options;
  EsKmeans *km;

  es_kmeans_options_init (&options);
  options.k = k;
  options.metric = metric;
  options.n_threads = threads;
  options.seed = seed;
  km = es_kmeans_compute (set, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (km);

  return km;
}

/* The objective recomputed here from the assignments and centroids. */
static double
objective_of (EsEmbeddingSet *set,
              EsKmeans       *km)
{
  gsize d = es_embedding_set_get_dims (set);
  const gint32 *assign = es_kmeans_get_assignments (km);
  const float *cent = es_kmeans_get_centroids (km);
  double total = 0.0;

  for (gsize r = 0; r < es_embedding_set_get_rows (set); r++)
    {
      const float *x = es_embedding_set_get_vector (set, r);
      const float *c;
      double dot = 0.0, nx = 0.0, sq = 0.0;

      if (assign[r] < 0)
        continue;
      c = cent + (gsize) assign[r] * d;
      for (gsize j = 0; j < d; j++)
        {
          dot += (double) x[j] * c[j];
          nx += (double) x[j] * x[j];
          sq += ((double) x[j] - c[j]) * ((double) x[j] - c[j]);
        }
      total += es_kmeans_get_metric (km) == ES_METRIC_COSINE ? 1.0 - (nx > 0 ? dot / sqrt (nx) : 0.0) : sq;
    }

  return total;
}

/* Well separated blobs (centres N(0, 8²), spread 0.5): every planted
 * cluster maps to exactly one found cluster and back (a bijection).
 */
static void
test_planted (void)
{
  gsize rows = 3000, dims = 30;
  guint k = 12;
  g_autofree float *data = maps_test_mixture (rows, dims, k, 10, 8.0, 0.05, 4);
  g_autoptr(EsEmbeddingSet) set = maps_test_set_new (rows, dims, data);
  EsMetric metrics[] = { ES_METRIC_EUCLIDEAN, ES_METRIC_COSINE };

  for (guint m = 0; m < G_N_ELEMENTS (metrics); m++)
    {
      g_autoptr(EsKmeans) km = run (set, k, metrics[m], 2, 1);
      const gint32 *assign = es_kmeans_get_assignments (km);
      gint map[64];

      for (guint c = 0; c < k; c++)
        map[c] = -1;
      for (gsize r = 0; r < rows; r++)
        {
          guint planted = r % k;

          if (map[planted] < 0)
            map[planted] = assign[r];
          g_assert_cmpint (assign[r], ==, map[planted]);
        }
      for (guint a = 0; a < k; a++)
        for (guint b = a + 1; b < k; b++)
          g_assert_cmpint (map[a], !=, map[b]);
      g_assert_true (es_kmeans_get_converged (km));
      g_assert_cmpuint (es_kmeans_get_sizes (km)[map[0]], ==, rows / k);
    }
}

/* Overlapping clusters take many rounds: the objective after each
 * assignment step never increases, and the last one is the objective of
 * the returned assignment (recomputed here).
 */
static void
test_objective_never_increases (void)
{
  gsize rows = 4000, dims = 16;
  g_autofree float *data = maps_test_mixture (rows, dims, 40, 8, 0.6, 0.3, 8);
  g_autoptr(EsEmbeddingSet) set = maps_test_set_new (rows, dims, data);
  EsMetric metrics[] = { ES_METRIC_EUCLIDEAN, ES_METRIC_COSINE };

  for (guint m = 0; m < G_N_ELEMENTS (metrics); m++)
    {
      g_autoptr(EsKmeans) km = run (set, 25, metrics[m], 2, 3);
      const double *history;
      guint n;

      history = es_kmeans_get_objective_history (km, &n);
      g_test_message ("%s: %u rounds, objective %g -> %g", es_metric_to_string (metrics[m]),
                      n, history[0], history[n - 1]);
      g_assert_cmpuint (n, >=, 3);
      for (guint i = 1; i < n; i++)
        g_assert_cmpfloat (history[i], <=, history[i - 1]);
      if (es_kmeans_get_converged (km))
        g_assert_cmpfloat (fabs (objective_of (set, km) - history[n - 1]), <=, 1e-4 * history[n - 1]);
    }
}

/* Same seed, 1 or 2 threads: the same assignments and centroids. */
static void
test_deterministic (void)
{
  gsize rows = 9000, dims = 12;   /* more than two blocks of rows */
  g_autofree float *data = maps_test_mixture (rows, dims, 30, 6, 0.8, 0.2, 5);
  g_autoptr(EsEmbeddingSet) set = maps_test_set_new (rows, dims, data);
  g_autoptr(EsKmeans) a = run (set, 20, ES_METRIC_COSINE, 1, 9);
  g_autoptr(EsKmeans) b = run (set, 20, ES_METRIC_COSINE, 2, 9);

  g_assert_cmpmem (es_kmeans_get_assignments (a), rows * sizeof (gint32),
                   es_kmeans_get_assignments (b), rows * sizeof (gint32));
  g_assert_cmpmem (es_kmeans_get_centroids (a), 20 * dims * sizeof (float),
                   es_kmeans_get_centroids (b), 20 * dims * sizeof (float));
  g_assert_cmpfloat (es_kmeans_get_objective (a), ==, es_kmeans_get_objective (b));
}

/* Names: the 3 members nearest the centroid, by a brute force here;
 * invalid rows get -1; zero vectors and duplicates do not break it.
 */
static void
test_names_and_invalid (void)
{
  gsize rows = 600, dims = 8;
  g_autofree float *data = maps_test_mixture (rows, dims, 4, 4, 5.0, 0.05, 6);
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(EsKmeans) km = NULL;
  const gint32 *assign;

  data[10 * dims + 2] = NAN;
  memset (data + 11 * dims, 0, dims * sizeof (float));
  memcpy (data + 12 * dims, data + 13 * dims, dims * sizeof (float));
  set = maps_test_set_new (rows, dims, data);
  km = run (set, 4, ES_METRIC_COSINE, 2, 1);
  assign = es_kmeans_get_assignments (km);
  g_assert_cmpint (assign[10], ==, -1);
  g_assert_cmpint (assign[11], >=, 0);

  for (guint c = 0; c < 4; c++)
    {
      const gint32 *central = es_kmeans_get_central_rows (km, c);
      const float *cent = es_kmeans_get_centroids (km) + c * dims;
      double best[3] = { INFINITY, INFINITY, INFINITY };
      gint32 ids[3] = { -1, -1, -1 };
      g_autofree char *expected = NULL;
      gsize size = 0, seen = 0;

      for (gsize r = 0; r < rows; r++)
        size += assign[r] == (gint32) c;
      /* The documented rule: the cluster's first max (25, size / 10) rows. */
      g_assert_cmpuint (es_kmeans_naming_pool (size), ==, MAX (25, size / 10));
      for (gsize r = 0; r < rows; r++)
        {
          const float *x = es_embedding_set_get_vector (set, r);
          double dot = 0.0, nx = 0.0, cost;
          int pos;

          if (assign[r] != (gint32) c || seen++ >= MAX (25, size / 10))
            continue;
          for (gsize j = 0; j < dims; j++)
            {
              dot += (double) x[j] * cent[j];
              nx += (double) x[j] * x[j];
            }
          cost = 1.0 - (nx > 0 ? dot / sqrt (nx) : 0.0);
          if (!(cost < best[2]))
            continue;
          for (pos = 2; pos > 0 && cost < best[pos - 1]; pos--)
            {
              best[pos] = best[pos - 1];
              ids[pos] = ids[pos - 1];
            }
          best[pos] = cost;
          ids[pos] = (gint32) r;
        }
      for (guint j = 0; j < 3; j++)
        g_assert_cmpint (central[j], ==, ids[j]);
      expected = g_strdup_printf ("w%d · w%d · w%d", ids[0], ids[1], ids[2]);
      g_assert_cmpstr (es_kmeans_get_name (km, c), ==, expected);
    }
}

static void
test_errors (void)
{
  g_autofree float *data = maps_test_mixture (10, 3, 2, 2, 1.0, 0.1, 3);
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  EsKmeansOptions options;

  data[0] = NAN;
  set = maps_test_set_new (10, 3, data);
  es_kmeans_options_init (&options);
  options.k = 10;   /* 9 valid rows */
  g_assert_null (es_kmeans_compute (set, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* k = valid rows works: every row its own cluster. */
  options.k = 9;
  {
    g_autoptr(EsKmeans) km = es_kmeans_compute (set, &options, NULL, NULL, NULL, &error);

    g_assert_no_error (error);
    for (guint c = 0; c < 9; c++)
      g_assert_cmpuint (es_kmeans_get_sizes (km)[c], ==, 1);
  }

  g_cancellable_cancel (cancellable);
  options.k = 2;
  g_assert_null (es_kmeans_compute (set, &options, cancellable, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kmeans/planted", test_planted);
  g_test_add_func ("/kmeans/objective-never-increases", test_objective_never_increases);
  g_test_add_func ("/kmeans/deterministic", test_deterministic);
  g_test_add_func ("/kmeans/names-and-invalid", test_names_and_invalid);
  g_test_add_func ("/kmeans/errors", test_errors);

  return g_test_run ();
}
