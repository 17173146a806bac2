/* test-tsne.c: t-SNE maps of generated data with known structure
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "es-engine.h"
#include "es-tsne.h"

#include <math.h>
#include <string.h>

static double
gaussian (GRand *rand)
{
  double u = g_rand_double (rand), v = g_rand_double (rand);

  return sqrt (-2 * log (1 - u)) * cos (2 * G_PI * v);
}

static EsEmbeddingSet *
set_from (const float *data,
          gsize        rows,
          gsize        dims)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);

  for (gsize i = 0; i < rows; i++)
    g_ptr_array_add (words, g_strdup_printf ("w%zu", i));
  g_ptr_array_add (words, NULL);
  return es_embedding_set_new_from_arrays (rows, dims, (const char * const *) words->pdata, data);
}

/* @n_blobs Gaussian blobs of unit spread in @dims dimensions, centres drawn
 * 30 apart on average: far beyond any point's 10 nearest neighbours.
 */
static EsEmbeddingSet *
make_blobs (gsize   n,
            gsize   dims,
            guint   n_blobs,
            guint  *labels)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  g_autofree float *centres = g_new (float, n_blobs * dims);
  g_autofree float *data = g_new (float, n * dims);

  for (gsize e = 0; e < n_blobs * dims; e++)
    centres[e] = (float) (30 / sqrt (dims) * gaussian (rand));
  for (gsize i = 0; i < n; i++)
    {
      labels[i] = i % n_blobs;
      for (gsize d = 0; d < dims; d++)
        data[i * dims + d] = (float) (centres[labels[i] * dims + d] + gaussian (rand));
    }
  return set_from (data, n, dims);
}

/* Share of the k nearest neighbours (squared distances over @dims
 * columns, @valid rows only) that have the point's own label.
 */
static double
neighbour_purity (const float  *x,
                  gsize         n,
                  gsize         dims,
                  const guint  *labels,
                  guint         k)
{
  g_autofree double *d2 = g_new (double, n);
  gsize same = 0;

  for (gsize i = 0; i < n; i++)
    {
      for (gsize j = 0; j < n; j++)
        {
          d2[j] = 0;
          for (gsize c = 0; c < dims; c++)
            d2[j] += (x[i * dims + c] - x[j * dims + c]) * (double) (x[i * dims + c] - x[j * dims + c]);
        }
      d2[i] = INFINITY;
      for (guint m = 0; m < k; m++)
        {
          gsize best = 0;

          for (gsize j = 1; j < n; j++)
            if (d2[j] < d2[best])
              best = j;
          same += labels[best] == labels[i];
          d2[best] = INFINITY;
        }
    }
  return same / (double) (n * k);
}

typedef struct
{
  guint dims;
  gsize n;
} BlobCase;

static void
test_blobs_separate (gconstpointer data)
{
  const BlobCase *c = data;
  const gsize dims = 20;
  g_autofree guint *labels = g_new (guint, c->n);
  g_autoptr(EsEmbeddingSet) set = make_blobs (c->n, dims, 5, labels);
  g_autoptr(EsMatrix) coords = NULL;
  g_autoptr(GError) error = NULL;
  EsTsneOptions options;
  double original, layout;

  g_test_summary ("Five well-separated Gaussian blobs stay apart: the share of each point's "
                  "10 nearest neighbours in the map with its own blob is at least that in the "
                  "original space (1 here, checked) minus 0.02");

  es_tsne_options_init (&options);
  options.dims = c->dims;
  options.perplexity = 15;
  options.metric = ES_METRIC_EUCLIDEAN;
  options.n_iterations = 400;
  coords = es_tsne_run (set, &options, NULL, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (coords);
  g_assert_cmpuint (es_matrix_get_rows (coords), ==, c->n);
  g_assert_cmpuint (es_matrix_get_cols (coords), ==, c->dims);

  original = neighbour_purity (es_matrix_get_data (es_embedding_set_get_matrix (set)), c->n, dims, labels, 10);
  layout = neighbour_purity (es_matrix_get_data (coords), c->n, c->dims, labels, 10);
  g_test_message ("purity: original %.4f, map %.4f", original, layout);
  g_assert_cmpfloat (original, ==, 1.0);
  g_assert_cmpfloat (layout, >=, original - 0.02);
}

/* A smooth open curve in 50 dimensions: one coordinate rises steadily,
 * the others wave with small amplitude; points are equispaced in t.
 */
static void
test_curve_ordered (void)
{
  const gsize n = 400, dims = 50;
  g_autoptr(GRand) rand = g_rand_new_with_seed (9);
  g_autofree float *data = g_new (float, n * dims);
  g_autofree double *freq = g_new (double, dims);
  g_autofree double *phase = g_new (double, dims);
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(EsMatrix) coords = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree double *d2 = g_new (double, n);
  EsTsneOptions options;
  const float *y;
  gsize kept = 0, pairs = 0;

  g_test_summary ("A 1-D curve in 50-D stays a curve: of each point's two neighbours along "
                  "the curve, at least 90 % are among its 6 nearest points in the map");

  for (gsize d = 0; d < dims; d++)
    {
      freq[d] = g_rand_double_range (rand, 0.5, 2);
      phase[d] = g_rand_double_range (rand, 0, 2 * G_PI);
    }
  for (gsize i = 0; i < n; i++)
    {
      double t = i / (double) (n - 1);

      for (gsize d = 0; d < dims; d++)
        data[i * dims + d] = (float) (d == 0 ? 20 * t : sin (2 * G_PI * freq[d] * t + phase[d]));
    }
  set = set_from (data, n, dims);

  es_tsne_options_init (&options);
  options.perplexity = 10;
  options.metric = ES_METRIC_EUCLIDEAN;
  options.n_iterations = 500;
  coords = es_tsne_run (set, &options, NULL, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  y = es_matrix_get_data (coords);

  for (gsize i = 0; i < n; i++)
    {
      for (gsize j = 0; j < n; j++)
        d2[j] = (y[2 * i] - y[2 * j]) * (double) (y[2 * i] - y[2 * j]) +
                (y[2 * i + 1] - y[2 * j + 1]) * (double) (y[2 * i + 1] - y[2 * j + 1]);
      for (gsize s = 0; s < 2; s++)
        {
          gsize j = s == 0 ? i - 1 : i + 1, closer = 0;

          if ((s == 0 && i == 0) || j >= n)
            continue;
          for (gsize l = 0; l < n; l++)
            closer += l != i && d2[l] < d2[j];
          pairs++;
          kept += closer < 6;
        }
    }
  g_test_message ("curve neighbours kept: %zu of %zu", kept, pairs);
  g_assert_cmpfloat (kept / (double) pairs, >=, 0.9);
}

typedef struct
{
  float *last;
  gsize  rows;
  guint  dims;
  guint  iteration;
  guint  calls;
} FrameLog;

static void
frame_cb (const float *coords,
          gsize        rows,
          guint        dims,
          guint        iteration,
          guint        n_iterations,
          gpointer     user_data)
{
  FrameLog *log = user_data;

  g_assert_cmpuint (iteration, <=, n_iterations);
  g_free (log->last);
  log->last = g_memdup2 (coords, rows * dims * sizeof (float));
  log->rows = rows;
  log->dims = dims;
  log->iteration = iteration;
  log->calls++;
}

static void
test_deterministic (void)
{
  const gsize n = 400;
  g_autofree guint *labels = g_new (guint, n);
  g_autoptr(EsEmbeddingSet) set = make_blobs (n, 10, 4, labels);
  g_autoptr(EsMatrix) a = NULL, b = NULL, c = NULL;
  g_autoptr(GError) error = NULL;
  FrameLog log = { 0 };
  EsTsneOptions options;

  g_test_summary ("Same seed: bit-identical maps with 1 and 2 threads (2D FFT and 3D "
                  "Barnes-Hut); another seed differs; the last frame is the result");

  es_tsne_options_init (&options);
  options.n_iterations = 200;
  options.seed = 1234;
  options.n_threads = 1;
  a = es_tsne_run (set, &options, NULL, NULL, NULL, frame_cb, &log, NULL, &error);
  g_assert_no_error (error);
  options.n_threads = 2;
  b = es_tsne_run (set, &options, NULL, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (es_matrix_get_data (a), n * 2 * sizeof (float), es_matrix_get_data (b), n * 2 * sizeof (float));

  g_assert_cmpuint (log.calls, >=, 1);
  g_assert_cmpuint (log.iteration, ==, 200);
  g_assert_cmpuint (log.rows, ==, n);
  g_assert_cmpmem (log.last, n * 2 * sizeof (float), es_matrix_get_data (a), n * 2 * sizeof (float));
  g_free (log.last);

  options.seed = 1235;
  c = es_tsne_run (set, &options, NULL, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (memcmp (es_matrix_get_data (a), es_matrix_get_data (c), n * 2 * sizeof (float)) != 0);

  /* 3D (Barnes-Hut) too. */
  g_clear_pointer (&a, es_matrix_unref);
  g_clear_pointer (&b, es_matrix_unref);
  options.dims = 3;
  options.n_iterations = 50;
  options.n_threads = 1;
  a = es_tsne_run (set, &options, NULL, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  options.n_threads = 2;
  b = es_tsne_run (set, &options, NULL, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (es_matrix_get_data (a), n * 3 * sizeof (float), es_matrix_get_data (b), n * 3 * sizeof (float));
}

typedef struct
{
  GCancellable *cancellable;
  double        at;
} CancelAt;

static void
cancel_progress_cb (double   fraction,
                    gpointer user_data)
{
  CancelAt *c = user_data;

  if (fraction >= c->at)
    g_cancellable_cancel (c->cancellable);
}

static void
test_cancel (void)
{
  const gsize n = 400;
  g_autofree guint *labels = g_new (guint, n);
  g_autoptr(EsEmbeddingSet) set = make_blobs (n, 10, 4, labels);
  g_autoptr(GRand) rand = g_rand_new ();
  EsTsneOptions options;

  g_test_summary ("Cancelled before the start, after the kNN graph, the affinities, the "
                  "initialisation or at a random iteration: G_IO_ERROR_CANCELLED, no result, "
                  "nothing leaked (under ASan)");

  es_tsne_options_init (&options);
  options.n_iterations = 200;
  for (guint trial = 0; trial < 8; trial++)
    {
      static const double fixed[] = { 0, 0.1, 0.15, 0.17 };
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      CancelAt at = { cancellable, trial < 4 ? fixed[trial] : g_rand_double_range (rand, 0.17, 0.99) };
      g_autoptr(GError) error = NULL;
      g_autoptr(EsMatrix) coords = NULL;

      if (at.at == 0)
        g_cancellable_cancel (cancellable);
      options.dims = trial % 2 ? 3 : 2;
      coords = es_tsne_run (set, &options, cancellable, cancel_progress_cb, &at, NULL, NULL, NULL, &error);
      g_test_message ("cancel at %.3f (%uD)", at.at, options.dims);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_null (coords);
    }
}

static void
test_invalid_rows (void)
{
  const gsize n = 400, dims = 8;   /* above the exact repulsion's 256: renumbered */
  g_autoptr(GRand) rand = g_rand_new_with_seed (2);
  g_autofree float *data = g_new (float, n * dims);
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(EsMatrix) coords = NULL;
  g_autoptr(GError) error = NULL;
  EsTsneOptions options;
  const float *xy;
  double copies, others;

  g_test_summary ("NaN rows get NaN coordinates; zero vectors and 20 copies of one vector "
                  "(more duplicates than the perplexity) get finite ones, placed "
                  "around the original (under a quarter of the rows' mean distance to it)");

  for (gsize e = 0; e < n * dims; e++)
    data[e] = (float) gaussian (rand);
  for (gsize d = 0; d < dims; d++)
    {
      data[3 * dims + d] = NAN;
      data[4 * dims + d] = 0;
      data[5 * dims + d] = 0;
      for (gsize i = 20; i < 40; i++)
        data[i * dims + d] = data[10 * dims + d];
    }
  data[50 * dims + 2] = INFINITY;
  set = set_from (data, n, dims);

  for (guint metric = 0; metric < 2; metric++)
    {
      es_tsne_options_init (&options);
      options.perplexity = 5;
      options.n_iterations = 250;
      options.metric = metric ? ES_METRIC_EUCLIDEAN : ES_METRIC_COSINE;
      coords = es_tsne_run (set, &options, NULL, NULL, NULL, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      xy = es_matrix_get_data (coords);
      for (gsize i = 0; i < n; i++)
        for (guint d = 0; d < 2; d++)
          {
            float v = xy[i * 2 + d];

            if (i == 3 || i == 50)
              g_assert_true (isnan (v));
            else
              g_assert_true (isfinite (v));
          }
      /* The copies of row 10 around it: the rows kept their coordinates. */
      copies = others = 0;
      for (gsize i = 0; i < n; i++)
        if (i != 3 && i != 50 && i != 10)
          {
            double r = hypot (xy[i * 2] - xy[20], xy[i * 2 + 1] - xy[21]);

            if (i >= 20 && i < 40)
              copies += r / 20;
            else
              others += r / (n - 23);
          }
      g_assert_cmpfloat (copies, <, others / 4);
      g_clear_pointer (&coords, es_matrix_unref);
    }
}

static void
test_errors (void)
{
  const float data[] = { 0, 1, 1, 0, 1, 1, 2, 3, 3, 1, NAN, 0, 5, 5 };
  g_autoptr(EsEmbeddingSet) set = set_from (data, 7, 2);
  g_autoptr(GError) error = NULL;
  g_autoptr(EsMatrix) coords = NULL;
  EsTsneOptions options;

  g_test_summary ("Perplexity above (valid rows − 1) / 3, dims other than 2 or 3, a "
                  "non-positive perplexity: ES_ENGINE_ERROR_INVALID_ARGUMENT; the largest "
                  "perplexity allowed runs (6 valid rows, 3 neighbours, 2 or 3 dims)");

  g_assert_cmpfloat (es_tsne_max_perplexity (6), ==, 5 / 3.0);
  g_assert_cmpuint (es_tsne_get_k (5 / 3.0, 6), ==, 5);
  g_assert_cmpuint (es_tsne_get_k (30, 6), ==, 5);
  g_assert_cmpuint (es_tsne_get_k (30, 1000), ==, 90);

  es_tsne_options_init (&options);
  options.perplexity = 1.7;
  coords = es_tsne_run (set, &options, NULL, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "at most 1.66 "));
  g_assert_null (coords);
  g_clear_error (&error);

  options.perplexity = -1;
  g_assert_null (es_tsne_run (set, &options, NULL, NULL, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  options.perplexity = 1;
  options.dims = 4;
  g_assert_null (es_tsne_run (set, &options, NULL, NULL, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  for (guint dims = 2; dims <= 3; dims++)
    {
      options.dims = dims;
      options.perplexity = 5 / 3.0;
      options.n_iterations = 100;
      coords = es_tsne_run (set, &options, NULL, NULL, NULL, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (isnan (es_matrix_get_data (coords)[5 * dims]));
      g_assert_true (isfinite (es_matrix_get_data (coords)[6 * dims]));
      g_clear_pointer (&coords, es_matrix_unref);
    }
}

static void
test_on_graph (void)
{
  const gsize n = 300;
  g_autofree guint *labels = g_new (guint, n);
  g_autoptr(EsEmbeddingSet) set = make_blobs (n, 10, 3, labels);
  g_autoptr(EsKnnGraph) graph = NULL;
  g_autoptr(EsMatrix) a = NULL, b = NULL;
  g_autoptr(GError) error = NULL;
  EsKnnOptions knn;
  EsTsneOptions options;

  g_test_summary ("A cached exact graph with a larger k gives the same map as a run that builds "
                  "its own; a graph of another metric is refused");

  es_knn_options_init (&knn);
  knn.k = 60;
  knn.method = ES_KNN_EXACT;
  graph = es_knn_graph_build (set, &knn, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  es_tsne_options_init (&options);
  options.perplexity = 10;
  options.n_iterations = 100;
  options.knn_method = ES_KNN_EXACT;
  a = es_tsne_run_on_graph (set, graph, &options, NULL, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  b = es_tsne_run (set, &options, NULL, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (es_matrix_get_data (a), n * 2 * sizeof (float), es_matrix_get_data (b), n * 2 * sizeof (float));

  options.metric = ES_METRIC_EUCLIDEAN;
  g_assert_null (es_tsne_run_on_graph (set, graph, &options, NULL, NULL, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT);
}

int
main (int argc, char **argv)
{
  static const BlobCase blobs[] = {
    { 2, 250 },   /* the exact repulsion */
    { 2, 500 },   /* FFT interpolation */
    { 3, 300 },   /* Barnes-Hut */
  };

  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (blobs); i++)
    {
      g_autofree char *path = g_strdup_printf ("/engine/tsne/blobs-separate/%uD-n%zu", blobs[i].dims, blobs[i].n);

      g_test_add_data_func (path, &blobs[i], test_blobs_separate);
    }
  g_test_add_func ("/engine/tsne/curve-ordered", test_curve_ordered);
  g_test_add_func ("/engine/tsne/deterministic", test_deterministic);
  g_test_add_func ("/engine/tsne/cancel", test_cancel);
  g_test_add_func ("/engine/tsne/invalid-rows", test_invalid_rows);
  g_test_add_func ("/engine/tsne/errors", test_errors);
  g_test_add_func ("/engine/tsne/on-graph", test_on_graph);
  return g_test_run ();
}
