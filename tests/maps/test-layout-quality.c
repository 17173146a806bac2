/* test-layout-quality.c: kNN preservation and trustworthiness against
 * identities, the chance values, and scikit-learn
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "es-engine-error.h"
#include "es-layout-quality.h"
#include "maps-test-util.h"

#include <math.h>

static void
compute (EsEmbeddingSet  *set,
         const float     *coords,
         guint            dims,
         EsMetric         metric,
         gsize            n_sample,
         EsLayoutQuality *out)
{
  g_autoptr(GError) error = NULL;
  EsLayoutQualityOptions options;

  es_layout_quality_options_init (&options);
  options.metric = metric;
  options.n_sample = n_sample;
  g_assert_true (es_layout_quality_compute (set, coords, dims, &options, NULL, out, &error));
  g_assert_no_error (error);
}

/* 2-D data laid out as itself: every neighbourhood kept. */
static void
test_identity (void)
{
  gsize rows = 700;
  g_autofree float *data = maps_test_mixture (rows, 2, 5, 2, 1.0, 0.0, 3);
  g_autoptr(EsEmbeddingSet) set = maps_test_set_new (rows, 2, data);
  EsLayoutQuality q;

  compute (set, data, 2, ES_METRIC_EUCLIDEAN, 10000, &q);
  g_assert_cmpuint (q.n_sampled, ==, rows);
  g_assert_cmpfloat (q.knn_preservation, ==, 1.0);
  g_assert_cmpfloat_with_epsilon (q.trustworthiness, 1.0, 1e-12);
}

/* A random layout: each layout neighbour a uniform other row, so the
 * preservation is k/(n − 1) and trustworthiness
 * 1 − (1 − k/(n − 1)) (n − k)/(2n − 3k − 1) on average (derived in the
 * header): 0.01001 and 0.50223 at n = 1000, k = 10.
 */
static void
test_random_layout (void)
{
  gsize rows = 1000;
  g_autofree float *data = maps_test_mixture (rows, 20, 10, 6, 1.0, 0.1, 4);
  g_autoptr(EsEmbeddingSet) set = maps_test_set_new (rows, 20, data);
  g_autofree float *layout = g_new (float, rows * 2);
  GRand *rand = g_rand_new_with_seed (17);
  EsLayoutQuality q;

  for (gsize i = 0; i < rows * 2; i++)
    layout[i] = (float) g_rand_double (rand);
  g_rand_free (rand);

  compute (set, layout, 2, ES_METRIC_COSINE, rows, &q);
  g_test_message ("random layout: preservation %.5f (chance %.5f), trustworthiness %.5f (chance %.5f)",
                  q.knn_preservation, q.chance_knn_preservation, q.trustworthiness, q.chance_trustworthiness);
  g_assert_cmpfloat_with_epsilon (q.chance_knn_preservation, 10.0 / 999.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (q.chance_trustworthiness, 1.0 - (1.0 - 10.0 / 999.0) * 990.0 / 1969.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (q.knn_preservation, q.chance_knn_preservation, 0.006);
  g_assert_cmpfloat_with_epsilon (q.trustworthiness, q.chance_trustworthiness, 0.02);
}

/* A fixed formula in both languages; the layout a linear mix of 4 of the
 * 6 coordinates.  Reference values from scikit-learn 1.2.1:
 *
 *   /usr/bin/python3 -c "import numpy as np, math
 *   from sklearn.manifold import trustworthiness
 *   n,d=80,6
 *   X=np.array([[math.sin(0.37*i*(j+1))+math.cos(0.11*i*j+j) for j in range(d)] for i in range(n)],dtype=np.float32)
 *   Y=np.array([[X[i,0]+0.3*X[i,3], X[i,1]-0.2*X[i,4]] for i in range(n)],dtype=np.float32)
 *   print(trustworthiness(X.astype(np.float64),Y.astype(np.float64),n_neighbors=10))
 *   print(trustworthiness(X.astype(np.float64),Y.astype(np.float64),n_neighbors=10,metric='cosine'))"
 *   0.677422480620155
 *   0.6546511627906977
 */
static void
test_sklearn (void)
{
  gsize n = 80, d = 6;
  g_autofree float *x = g_new (float, n * d);
  g_autofree float *y = g_new (float, n * 2);
  g_autoptr(EsEmbeddingSet) set = NULL;
  EsLayoutQuality q;

  for (gsize i = 0; i < n; i++)
    for (gsize j = 0; j < d; j++)
      x[i * d + j] = (float) (sin (0.37 * i * (j + 1)) + cos (0.11 * i * j + j));
  for (gsize i = 0; i < n; i++)
    {
      y[i * 2] = (float) ((double) x[i * d] + 0.3 * x[i * d + 3]);
      y[i * 2 + 1] = (float) ((double) x[i * d + 1] - 0.2 * x[i * d + 4]);
    }
  set = maps_test_set_new (n, d, x);

  compute (set, y, 2, ES_METRIC_EUCLIDEAN, n, &q);
  g_assert_cmpfloat_with_epsilon (q.trustworthiness, 0.677422480620155, 1e-9);
  compute (set, y, 2, ES_METRIC_COSINE, n, &q);
  g_assert_cmpfloat_with_epsilon (q.trustworthiness, 0.6546511627906977, 1e-9);
}

/* Sampling is seeded; NaN rows (in the set or the layout) are left out;
 * too few rows is an error.
 */
static void
test_sample_and_invalid (void)
{
  gsize rows = 500;
  g_autofree float *data = maps_test_mixture (rows, 8, 5, 4, 1.0, 0.1, 4);
  g_autofree float *layout = g_new (float, rows * 2);
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(GError) error = NULL;
  EsLayoutQualityOptions options;
  EsLayoutQuality a, b, c;

  for (gsize i = 0; i < rows; i++)
    {
      layout[i * 2] = data[i * 8];
      layout[i * 2 + 1] = data[i * 8 + 1];
    }
  data[5 * 8] = NAN;
  layout[6 * 2 + 1] = NAN;
  set = maps_test_set_new (rows, 8, data);

  es_layout_quality_options_init (&options);
  options.n_sample = 100;
  g_assert_true (es_layout_quality_compute (set, layout, 2, &options, NULL, &a, NULL));
  g_assert_true (es_layout_quality_compute (set, layout, 2, &options, NULL, &b, NULL));
  options.n_threads = 1;
  g_assert_true (es_layout_quality_compute (set, layout, 2, &options, NULL, &c, NULL));
  g_assert_cmpuint (a.n_used, ==, rows - 2);
  g_assert_cmpuint (a.n_sampled, ==, 100);
  g_assert_cmpfloat (a.knn_preservation, ==, b.knn_preservation);
  g_assert_cmpfloat (a.trustworthiness, ==, c.trustworthiness);
  g_assert_cmpfloat (a.knn_preservation, >, a.chance_knn_preservation);

  {
    g_autoptr(EsEmbeddingSet) tiny = maps_test_set_new (20, 8, data + 8 * 8);

    g_assert_false (es_layout_quality_compute (tiny, layout + 16 * 2, 2, &options, NULL, &a, &error));
    g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/layout-quality/identity", test_identity);
  g_test_add_func ("/layout-quality/random-layout", test_random_layout);
  g_test_add_func ("/layout-quality/sklearn", test_sklearn);
  g_test_add_func ("/layout-quality/sample-and-invalid", test_sample_and_invalid);

  return g_test_run ();
}
