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

static EsKmeans *
run_with (EsEmbeddingSet *set,
          guint           k,
          EsMetric        metric,
          guint64         seed,
          guint           seed_trials,
          guint           max_iterations,
          guint           max_refinements)
{
  g_autoptr(GError) error = NULL;
  EsKmeansOptions options;
  EsKmeans *km;

  es_kmeans_options_init (&options);
  options.k = k;
  options.metric = metric;
  options.seed = seed;
  options.seed_trials = seed_trials;
  options.max_iterations = max_iterations;
  options.max_refinements = max_refinements;
  km = es_kmeans_compute (set, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (km);

  return km;
}

/* The largest drop of the euclidean objective any single row's move to
 * another cluster would give (Hartigan's criterion), by brute force over
 * rows and clusters, with the means recomputed here from the assignment.
 */
static double
best_single_move (EsEmbeddingSet *set,
                  const gint32   *assign,
                  guint           k)
{
  gsize rows = es_embedding_set_get_rows (set), d = es_embedding_set_get_dims (set);
  g_autofree double *mean = g_new0 (double, (gsize) k * d);
  g_autofree double *n = g_new0 (double, k);
  double best = 0.0;

  for (gsize r = 0; r < rows; r++)
    {
      n[assign[r]]++;
      for (gsize j = 0; j < d; j++)
        mean[(gsize) assign[r] * d + j] += es_embedding_set_get_vector (set, r)[j];
    }
  for (guint c = 0; c < k; c++)
    for (gsize j = 0; j < d; j++)
      mean[(gsize) c * d + j] /= MAX (n[c], 1.0);
  for (gsize r = 0; r < rows; r++)
    {
      const float *x = es_embedding_set_get_vector (set, r);
      guint a = assign[r];
      double da = 0.0;

      if (n[a] <= 1)
        continue;
      for (gsize j = 0; j < d; j++)
        da += (x[j] - mean[a * d + j]) * (x[j] - mean[a * d + j]);
      for (guint c = 0; c < k; c++)
        {
          double dc = 0.0;

          if (c == a)
            continue;
          for (gsize j = 0; j < d; j++)
            dc += (x[j] - mean[c * d + j]) * (x[j] - mean[c * d + j]);
          best = MAX (best, n[a] / (n[a] - 1) * da - n[c] / (n[c] + 1) * dc);
        }
    }

  return best;
}

/* Seeding and refinement on overlapping planted clusters, against two
 * independent references: the objective of the planted partition (the
 * rows' own clusters with their sample means, computed here), and a brute
 * force check that no single row's move lowers the final objective.
 * Greedy k-means++ (the best of 2 + ln k candidates) must leave a seeding
 * potential (one assignment round) no worse than plain k-means++ summed
 * over the seeds; Hartigan's moves never end above plain Lloyd from the
 * same seeds, and over the seeds the runs reach the planted objective.
 */
static void
test_seeding_and_refinement (void)
{
  gsize rows = 3000, dims = 10;
  guint k = 20, n_seeds = 8, at_planted = 0;
  g_autofree float *data = maps_test_mixture (rows, dims, k, dims, 3.0, 0.25, 11);
  g_autoptr(EsEmbeddingSet) set = maps_test_set_new (rows, dims, data);
  g_autofree gint32 *planted = g_new (gint32, rows);
  double planted_obj, greedy_pot = 0.0, plain_pot = 0.0;

  for (gsize r = 0; r < rows; r++)
    planted[r] = r % k;
  {
    /* The planted objective: best_single_move's means, summed costs. */
    g_autofree double *mean = g_new0 (double, (gsize) k * dims);
    planted_obj = 0.0;
    for (gsize r = 0; r < rows; r++)
      for (gsize j = 0; j < dims; j++)
        mean[planted[r] * dims + j] += data[r * dims + j] / (rows / k);
    for (gsize r = 0; r < rows; r++)
      for (gsize j = 0; j < dims; j++)
        planted_obj += (data[r * dims + j] - mean[planted[r] * dims + j]) *
                       (data[r * dims + j] - mean[planted[r] * dims + j]);
  }

  for (guint64 seed = 1; seed <= n_seeds; seed++)
    {
      g_autoptr(EsKmeans) greedy = run_with (set, k, ES_METRIC_EUCLIDEAN, seed, 0, 1, 0);
      g_autoptr(EsKmeans) plain = run_with (set, k, ES_METRIC_EUCLIDEAN, seed, 1, 1, 0);
      g_autoptr(EsKmeans) lloyd = run_with (set, k, ES_METRIC_EUCLIDEAN, seed, 0, 300, 0);
      g_autoptr(EsKmeans) refined = run_with (set, k, ES_METRIC_EUCLIDEAN, seed, 0, 300, 100);
      double obj = es_kmeans_get_objective (refined), move;

      greedy_pot += es_kmeans_get_objective (greedy);
      plain_pot += es_kmeans_get_objective (plain);
      g_assert_cmpfloat (obj, <=, es_kmeans_get_objective (lloyd));
      g_assert_cmpfloat (fabs (objective_of (set, refined) - obj), <=, 1e-6 * obj);
      move = best_single_move (set, es_kmeans_get_assignments (refined), k);
      g_test_message ("seed %" G_GUINT64_FORMAT ": potential greedy %.1f plain %.1f; Lloyd %.3f, "
                      "refined %.3f, planted %.3f; best single move %.3g", seed,
                      es_kmeans_get_objective (greedy), es_kmeans_get_objective (plain),
                      es_kmeans_get_objective (lloyd), obj, planted_obj, move);
      g_assert_cmpfloat (move, <=, 1e-6 * obj);
      if (obj <= planted_obj * (1.0 + 1e-9))
        at_planted++;
    }
  g_test_message ("potentials summed: greedy %.1f, plain %.1f; %u of %u seeds at or below the planted objective",
                  greedy_pot, plain_pot, at_planted, n_seeds);
  g_assert_cmpfloat (greedy_pot, <=, plain_pot);
  g_assert_cmpuint (at_planted, >=, n_seeds / 2);

  /* Overlapping clusters, where Hartigan's moves matter, in both metrics:
   * never above Lloyd from the same seeds; euclidean: no single move left.
   */
  {
    g_autofree float *mixed = maps_test_mixture (rows, dims, k, dims, 1.2, 0.25, 11);
    g_autoptr(EsEmbeddingSet) mset = maps_test_set_new (rows, dims, mixed);
    EsMetric metrics[] = { ES_METRIC_EUCLIDEAN, ES_METRIC_COSINE };

    for (guint m = 0; m < G_N_ELEMENTS (metrics); m++)
      for (guint64 seed = 1; seed <= 3; seed++)
        {
          g_autoptr(EsKmeans) lloyd = run_with (mset, k, metrics[m], seed, 0, 300, 0);
          g_autoptr(EsKmeans) refined = run_with (mset, k, metrics[m], seed, 0, 300, 100);
          double obj = es_kmeans_get_objective (refined);

          g_test_message ("overlapping, %s, seed %" G_GUINT64_FORMAT ": Lloyd %.4f, refined %.4f",
                          es_metric_to_string (metrics[m]), seed, es_kmeans_get_objective (lloyd), obj);
          g_assert_cmpfloat (obj, <=, es_kmeans_get_objective (lloyd));
          g_assert_cmpfloat (fabs (objective_of (mset, refined) - obj), <=, 1e-6 * obj);
          if (metrics[m] == ES_METRIC_EUCLIDEAN)
            g_assert_cmpfloat (best_single_move (mset, es_kmeans_get_assignments (refined), k), <=, 1e-6 * obj);
        }
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
  g_test_add_func ("/kmeans/seeding-and-refinement", test_seeding_and_refinement);
  g_test_add_func ("/kmeans/names-and-invalid", test_names_and_invalid);
  g_test_add_func ("/kmeans/errors", test_errors);

  return g_test_run ();
}
