/* test-umap.c: es_umap_run on data with known structure
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "es-engine-error.h"
#include "es-umap.h"

#include <math.h>
#include <string.h>

static EsEmbeddingSet *
make_set (const float *data,
          gsize        rows,
          gsize        dims)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);

  for (gsize i = 0; i < rows; i++)
    g_ptr_array_add (words, g_strdup_printf ("w%" G_GSIZE_FORMAT, i));
  g_ptr_array_add (words, NULL);
  return es_embedding_set_new_from_arrays (rows, dims, (const char * const *) words->pdata, data);
}

static double
gauss (GRand *rand)
{
  double u1 = g_rand_double_range (rand, 1e-12, 1), u2 = g_rand_double (rand);

  return sqrt (-2 * log (u1)) * cos (2 * G_PI * u2);
}

/* @n_blobs Gaussian blobs (σ 1) with centres 20 apart in 20-D. */
static float *
blobs (GRand *rand,
       gsize  rows,
       gsize  dims,
       guint  n_blobs)
{
  float *x = g_new (float, rows * dims);

  for (gsize i = 0; i < rows; i++)
    for (gsize d = 0; d < dims; d++)
      x[i * dims + d] = gauss (rand) + (d == i % n_blobs ? 20.0 : 0.0);
  return x;
}

static void
test_blobs_separate (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  const gsize rows = 800, dims = 20;
  const guint n_blobs = 4;
  g_autofree float *x = blobs (rand, rows, dims, n_blobs);
  g_autoptr(EsEmbeddingSet) set = make_set (x, rows, dims);
  g_autoptr(EsMatrix) coords = NULL;
  g_autoptr(GError) error = NULL;
  EsUmapOptions options;
  EsUmapInfo info;
  double centre[4][2] = { { 0 } }, spread[4] = { 0 };
  const float *y;
  guint correct = 0;

  es_umap_options_init (&options);
  options.metric = ES_METRIC_EUCLIDEAN;
  options.n_epochs = 200;
  coords = es_umap_run (set, &options, NULL, NULL, NULL, NULL, NULL, NULL, &info, &error);
  g_assert_no_error (error);
  y = es_matrix_get_data (coords);

  for (gsize i = 0; i < rows; i++)
    for (guint d = 0; d < 2; d++)
      centre[i % n_blobs][d] += y[i * 2 + d] / (rows / n_blobs);
  for (gsize i = 0; i < rows; i++)
    spread[i % n_blobs] = MAX (spread[i % n_blobs], hypot (y[i * 2] - centre[i % n_blobs][0],
                                                           y[i * 2 + 1] - centre[i % n_blobs][1]));
  /* Every point is nearer its own blob's centre than any other's. */
  for (gsize i = 0; i < rows; i++)
    {
      guint best = 0;
      double best_d = INFINITY;

      for (guint c = 0; c < n_blobs; c++)
        {
          double d = hypot (y[i * 2] - centre[c][0], y[i * 2 + 1] - centre[c][1]);

          if (d < best_d)
            best_d = d, best = c;
        }
      correct += best == i % n_blobs;
    }
  g_assert_cmpuint (correct, ==, rows);
  /* And the blobs do not touch: centre gaps exceed the two radii. */
  for (guint a = 0; a < n_blobs; a++)
    for (guint b = a + 1; b < n_blobs; b++)
      g_assert_cmpfloat (hypot (centre[a][0] - centre[b][0], centre[a][1] - centre[b][1]), >,
                         spread[a] + spread[b]);
  /* The kNN graph of separate blobs is disconnected: the stated fallback. */
  g_assert_cmpuint (info.n_graph_components, ==, n_blobs);
  g_assert_cmpint (info.init, ==, ES_UMAP_INIT_PCA);
  g_assert_nonnull (strstr (info.init_note, "components"));
}

/* A helix-like 1-D curve embedded in 50-D: the layout keeps its order
 * (layout neighbours of a point are its neighbours along the curve).
 */
static void
test_curve_ordered (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (2);
  const gsize rows = 600, dims = 50;
  g_autofree float *x = g_new0 (float, rows * dims);
  g_autofree double *dir = g_new (double, dims * 6);
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(EsMatrix) coords = NULL;
  g_autoptr(GError) error = NULL;
  EsUmapOptions options;
  EsUmapInfo info;
  const float *y;
  guint good = 0;

  for (gsize q = 0; q < dims * 6; q++)
    dir[q] = gauss (rand) / sqrt (dims);
  for (gsize i = 0; i < rows; i++)
    {
      double t = (double) i / rows;
      double f[6] = { 6 * t, cos (3 * t), sin (3 * t), cos (5 * t), sin (5 * t), t * t };

      for (gsize d = 0; d < dims; d++)
        for (guint c = 0; c < 6; c++)
          x[i * dims + d] += f[c] * dir[c * dims + d];
    }
  set = make_set (x, rows, dims);
  es_umap_options_init (&options);
  options.metric = ES_METRIC_EUCLIDEAN;
  options.n_neighbors = 10;
  options.n_epochs = 200;
  coords = es_umap_run (set, &options, NULL, NULL, NULL, NULL, NULL, NULL, &info, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info.init, ==, ES_UMAP_INIT_SPECTRAL);
  y = es_matrix_get_data (coords);

  /* For each point, its nearest point in the layout lies within 5 steps
   * along the curve.
   */
  for (gsize i = 0; i < rows; i++)
    {
      gsize best = 0;
      double best_d = INFINITY;

      for (gsize j = 0; j < rows; j++)
        {
          double d = hypot (y[i * 2] - y[j * 2], y[i * 2 + 1] - y[j * 2 + 1]);

          if (j != i && d < best_d)
            best_d = d, best = j;
        }
      good += (best > i ? best - i : i - best) <= 5;
    }
  g_test_message ("%u of %" G_GSIZE_FORMAT " layout neighbours within 5 steps", good, rows);
  g_assert_cmpuint (good, >=, rows * 98 / 100);
}

static EsMatrix *
run_seeded (EsEmbeddingSet *set,
            guint64         seed,
            guint           n_threads,
            guint           dims)
{
  g_autoptr(GError) error = NULL;
  EsUmapOptions options;
  EsMatrix *coords;

  es_umap_options_init (&options);
  options.seed = seed;
  options.n_threads = n_threads;
  options.dims = dims;
  options.n_epochs = 30;
  coords = es_umap_run (set, &options, NULL, NULL, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return coords;
}

static void
test_reproducible (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  const gsize rows = 1100, dims = 16;   /* above the 1024 rows that split epochs over threads */
  g_autofree float *x = g_new (float, rows * dims);
  g_autoptr(EsEmbeddingSet) set = NULL;

  for (gsize q = 0; q < rows * dims; q++)
    x[q] = gauss (rand);
  set = make_set (x, rows, dims);
  for (guint dims_out = 2; dims_out <= 3; dims_out++)
    {
      g_autoptr(EsMatrix) a = run_seeded (set, 7, 1, dims_out);
      g_autoptr(EsMatrix) b = run_seeded (set, 7, 2, dims_out);
      g_autoptr(EsMatrix) c = run_seeded (set, 7, 2, dims_out);
      g_autoptr(EsMatrix) d = run_seeded (set, 8, 2, dims_out);
      gsize bytes = rows * dims_out * sizeof (float);

      g_assert_cmpint (memcmp (es_matrix_get_data (a), es_matrix_get_data (b), bytes), ==, 0);
      g_assert_cmpint (memcmp (es_matrix_get_data (b), es_matrix_get_data (c), bytes), ==, 0);
      g_assert_cmpint (memcmp (es_matrix_get_data (c), es_matrix_get_data (d), bytes), !=, 0);
    }
}

typedef struct
{
  GCancellable *cancellable;
  guint         cancel_at;
  guint         frames;
  guint         last_iteration;
} CancelState;

static void
cancel_frame (const float *coords,
              gsize        rows,
              guint        dims,
              guint        iteration,
              guint        n_iterations,
              gpointer     user_data)
{
  CancelState *state = user_data;

  state->frames++;
  state->last_iteration = iteration;
  g_assert_cmpuint (iteration, <=, n_iterations);
  if (state->frames == state->cancel_at)
    g_cancellable_cancel (state->cancellable);
}

static void
cancel_progress (double   fraction,
                 gpointer user_data)
{
  CancelState *state = user_data;

  if (state->cancel_at == 0 && fraction > 0.6)
    g_cancellable_cancel (state->cancellable);
}

static void
test_cancel (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (4);
  const gsize rows = 3000, dims = 8;
  g_autofree float *x = g_new (float, rows * dims);
  g_autoptr(EsEmbeddingSet) set = NULL;
  EsUmapOptions options;

  for (gsize q = 0; q < rows * dims; q++)
    x[q] = gauss (rand);
  set = make_set (x, rows, dims);
  es_umap_options_init (&options);
  options.n_epochs = 5000;

  /* Cancelled by progress (mid-optimisation) and before anything starts. */
  for (int when = 0; when < 2; when++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GError) error = NULL;
      CancelState state = { cancellable, 0, 0, 0 };
      EsMatrix *coords;

      if (when == 1)
        g_cancellable_cancel (cancellable);
      coords = es_umap_run (set, &options, cancellable, cancel_progress, &state,
                            cancel_frame, &state, NULL, NULL, &error);
      g_assert_null (coords);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    }
}

/* NaN rows come out NaN, and the others are laid out. */
static void
test_nan_rows (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  const gsize rows = 200, dims = 6;
  g_autofree float *x = g_new (float, rows * dims);
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(EsMatrix) coords = NULL;
  g_autoptr(GError) error = NULL;
  EsUmapOptions options;
  CancelState frames = { NULL, G_MAXUINT, 0, 0 };
  const float *y;

  for (gsize q = 0; q < rows * dims; q++)
    x[q] = gauss (rand);
  x[3 * dims + 2] = NAN;
  x[77 * dims] = NAN;
  /* A zero vector and duplicates under cosine. */
  memset (x + 10 * dims, 0, dims * sizeof (float));
  memcpy (x + 11 * dims, x + 12 * dims, dims * sizeof (float));
  memcpy (x + 13 * dims, x + 12 * dims, dims * sizeof (float));
  set = make_set (x, rows, dims);
  es_umap_options_init (&options);
  options.n_epochs = 100;
  coords = es_umap_run (set, &options, NULL, NULL, NULL, cancel_frame, &frames, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (frames.last_iteration, ==, 100);
  y = es_matrix_get_data (coords);
  for (gsize i = 0; i < rows; i++)
    for (guint d = 0; d < 2; d++)
      {
        if (i == 3 || i == 77)
          g_assert_true (isnan (y[i * 2 + d]));
        else
          g_assert_true (isfinite (y[i * 2 + d]));
      }
}

/* Too few rows for K: an error naming the maximum; tiny N works. */
static void
test_small_inputs (void)
{
  float x[6 * 3] = { 1, 0, 0,  0, 1, 0,  0, 0, 1,  1, 1, 0,  0, 1, 1,  1, 0, 1 };
  g_autoptr(EsEmbeddingSet) set = make_set (x, 6, 3);
  g_autoptr(GError) error = NULL;
  g_autoptr(EsMatrix) coords = NULL;
  EsUmapOptions options;

  es_umap_options_init (&options);
  g_assert_null (es_umap_run (set, &options, NULL, NULL, NULL, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "at most 5"));
  g_clear_error (&error);

  options.n_neighbors = 5;
  coords = es_umap_run (set, &options, NULL, NULL, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (gsize q = 0; q < 12; q++)
    g_assert_true (isfinite (es_matrix_get_data (coords)[q]));

  options.min_dist = -1;
  g_assert_null (es_umap_run (set, &options, NULL, NULL, NULL, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/umap/blobs-separate", test_blobs_separate);
  g_test_add_func ("/umap/curve-ordered", test_curve_ordered);
  g_test_add_func ("/umap/reproducible", test_reproducible);
  g_test_add_func ("/umap/cancel", test_cancel);
  g_test_add_func ("/umap/nan-rows", test_nan_rows);
  g_test_add_func ("/umap/small-inputs", test_small_inputs);

  return g_test_run ();
}
