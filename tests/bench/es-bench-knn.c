/* es-bench-knn.c: kNN graph recall and time, exact against approximate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   es-bench-knn FILE [--k 15,90] [--sample 1000] [--metric cosine] [--threads T] [--pca P]
 *                [--approximate-only | --exact-only]
 *
 * For each k: builds the graph with the exact path and with the
 * approximate path forced (fresh sets, so no cache is shared), and
 * measures both against a brute force in double on sampled rows (written
 * here, independent of the engine).  Recall@k counts a listed neighbour as
 * right when its true distance is within 1e-6 of the true k-th distance
 * (ties at the boundary are interchangeable).
 */

#define G_LOG_DOMAIN "es-bench-knn"

#include "config.h"

#include "es-knn-graph.h"
#include "es-loader.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
true_distance (EsEmbeddingSet *set,
               EsMetric        metric,
               gsize           a,
               gsize           b)
{
  const float *x = es_embedding_set_get_vector (set, a);
  const float *y = es_embedding_set_get_vector (set, b);
  gsize d = es_embedding_set_get_dims (set);
  double dot = 0.0, nx = 0.0, ny = 0.0, sq = 0.0;

  for (gsize j = 0; j < d; j++)
    {
      dot += (double) x[j] * y[j];
      nx += (double) x[j] * x[j];
      ny += (double) y[j] * y[j];
      sq += ((double) x[j] - y[j]) * ((double) x[j] - y[j]);
    }
  if (metric == ES_METRIC_EUCLIDEAN)
    return sqrt (sq);
  if (nx == 0.0 || ny == 0.0)
    return 1.0;
  return 1.0 - dot / sqrt (nx * ny);
}

/* Recall of @graph on @n_sample rows against brute force. */
static double
recall (EsEmbeddingSet   *set,
        const EsKnnGraph *graph,
        EsMetric          metric,
        const gsize      *sample,
        guint             n_sample,
        guint             k)
{
  gsize rows = es_embedding_set_get_rows (set);
  g_autofree double *dist = g_new (double, rows);
  g_autofree double *sorted = g_new (double, rows);
  guint64 hits = 0, total = 0;

  for (guint s = 0; s < n_sample; s++)
    {
      gsize q = sample[s], m = 0;
      const gint32 *ids = es_knn_graph_get_row_indices (graph, q);
      double kth;

      for (gsize i = 0; i < rows; i++)
        {
          dist[i] = NAN;
          if (i == q || !es_embedding_set_is_row_valid (set, i))
            continue;
          dist[i] = true_distance (set, metric, q, i);
          sorted[m++] = dist[i];
        }
      qsort (sorted, m, sizeof (double), compare_double);
      kth = sorted[MIN (k, m) - 1];
      for (guint j = 0; j < MIN (k, m); j++)
        {
          total++;
          if (ids[j] >= 0 && dist[ids[j]] <= kth + 1e-6)
            hits++;
        }
    }

  return (double) hits / total;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE - kNN graph recall and time");
  g_autofree char *ks = g_strdup ("15,90");
  g_autofree char *metric_name = g_strdup ("cosine");
  gint n_sample = 1000, threads = 0, pca = 0;
  gint64 seed = 42;
  gboolean approximate_only = FALSE, exact_only = FALSE;
  const GOptionEntry entries[] = {
    { "k", 'k', 0, G_OPTION_ARG_STRING, &ks, "Comma-separated k values (default 15,90)", "K" },
    { "sample", 's', 0, G_OPTION_ARG_INT, &n_sample, "Rows checked against brute force", "N" },
    { "metric", 'm', 0, G_OPTION_ARG_STRING, &metric_name, "cosine or euclidean", "M" },
    { "threads", 't', 0, G_OPTION_ARG_INT, &threads, "Threads (default: cores)", "T" },
    { "pca", 'p', 0, G_OPTION_ARG_INT, &pca, "Build on the top P principal components", "P" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed of the approximate path", "S" },
    { "approximate-only", 'a', 0, G_OPTION_ARG_NONE, &approximate_only, "Skip the exact path", NULL },
    { "exact-only", 'e', 0, G_OPTION_ARG_NONE, &exact_only, "Skip the approximate path", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) kv = NULL;
  g_autofree gsize *sample = NULL;
  EsMetric metric;
  gsize rows;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2 ||
      !es_metric_from_string (metric_name, &metric) || n_sample < 1)
    {
      fprintf (stderr, "%s\n", error ? error->message : "usage: es-bench-knn FILE [--k 15,90]");
      return 2;
    }

  kv = g_strsplit (ks, ",", -1);
  for (guint i = 0; kv[i] != NULL; i++)
    {
      guint k = (guint) g_ascii_strtoull (kv[i], NULL, 10);

      for (guint exact = approximate_only ? 0 : 1; exact <= 1 && !(exact_only && exact == 0); exact--)
        {
          g_autoptr(EsEmbeddingSet) set = es_loader_load_path (argv[1], NULL, NULL, NULL, NULL, &error);
          g_autoptr(EsKnnGraph) graph = NULL;
          EsKnnOptions options;
          gint64 t0;
          double seconds;

          if (set == NULL)
            {
              fprintf (stderr, "%s\n", error->message);
              return 1;
            }
          rows = es_embedding_set_get_rows (set);
          if (sample == NULL)
            {
              GRand *rand = g_rand_new_with_seed (7);
              guint m = 0;

              sample = g_new (gsize, n_sample);
              while (m < (guint) n_sample)
                {
                  gsize r = g_rand_int_range (rand, 0, (gint32) rows);

                  if (es_embedding_set_is_row_valid (set, r))
                    sample[m++] = r;
                }
              g_rand_free (rand);
            }

          es_knn_options_init (&options);
          options.k = k;
          options.metric = metric;
          options.method = exact ? ES_KNN_EXACT : ES_KNN_APPROXIMATE;
          options.n_threads = threads;
          options.pca_dims = pca;
          options.seed = seed;
          t0 = g_get_monotonic_time ();
          graph = es_knn_graph_build (set, &options, NULL, NULL, NULL, &error);
          seconds = (g_get_monotonic_time () - t0) / 1e6;
          if (graph == NULL)
            {
              fprintf (stderr, "%s\n", error->message);
              return 1;
            }
          printf ("%s\trows=%" G_GSIZE_FORMAT "\tk=%u\t%s\t%.2f s\trecall@%u=%.4f\n",
                  argv[1], rows, k, exact ? "exact" : "approximate", seconds, k,
                  recall (set, graph, metric, sample, n_sample, k));
          fflush (stdout);
        }
    }

  return 0;
}
