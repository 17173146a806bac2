/* test-umap-parts.c: UMAP's stages against brute-force references
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "es-umap-private.h"

#include "es-engine-error.h"
#include "es-knn-graph.h"

#include <lapacke.h>
#include <math.h>
#include <string.h>

/* Gaussian points from GLib's seeded generator. */
static float *
random_points (GRand *rand,
               gsize  n,
               gsize  d)
{
  float *x = g_new (float, n * d);

  for (gsize q = 0; q < n * d; q++)
    {
      double u1 = g_rand_double_range (rand, 1e-12, 1), u2 = g_rand_double (rand);

      x[q] = sqrt (-2 * log (u1)) * cos (2 * G_PI * u2);
    }
  return x;
}

/* Brute-force euclidean kNN (self excluded), ascending, ties by index. */
static void
brute_knn (const float *x,
           gsize        n,
           gsize        d,
           guint        k,
           gint32      *indices,
           float       *distances)
{
  g_autofree double *dist = g_new (double, n);

  for (gsize i = 0; i < n; i++)
    {
      for (gsize j = 0; j < n; j++)
        {
          double s = 0;

          for (gsize c = 0; c < d; c++)
            s += (x[i * d + c] - x[j * d + c]) * (double) (x[i * d + c] - x[j * d + c]);
          dist[j] = sqrt (s);
        }
      for (guint q = 0; q < k; q++)
        {
          gsize best = G_MAXSIZE;

          for (gsize j = 0; j < n; j++)
            {
              gboolean used = j == i;

              for (guint r = 0; r < q && !used; r++)
                used = (gsize) indices[i * k + r] == j;
              if (!used && (best == G_MAXSIZE || dist[j] < dist[best]))
                best = j;
            }
          indices[i * k + q] = best == G_MAXSIZE ? ES_KNN_NONE : (gint32) best;
          distances[i * k + q] = best == G_MAXSIZE ? 0 : dist[best];
        }
    }
}

static void
test_smooth_knn_target (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  const gsize n = 400, d = 8;
  const guint k = 14;
  g_autofree float *x = random_points (rand, n, d);
  g_autofree gint32 *idx = g_new (gint32, n * k);
  g_autofree float *dist = g_new (float, n * k);
  g_autofree float *rho = g_new (float, n);
  g_autofree float *sigma = g_new (float, n);
  double target = log2 (k + 1);

  /* Two exact duplicates and a zero vector: rho skips the zero distance. */
  memcpy (x + 5 * d, x + 4 * d, d * sizeof (float));
  memset (x + 9 * d, 0, d * sizeof (float));
  brute_knn (x, n, d, k, idx, dist);
  _es_umap_smooth_knn (idx, dist, n, k, rho, sigma);

  for (gsize i = 0; i < n; i++)
    {
      double s = 0;
      float first_positive = 0;

      for (guint j = 0; j < k; j++)
        {
          double v = dist[i * k + j] - rho[i];

          s += v > 0 ? exp (-v / sigma[i]) : 1.0;
          if (first_positive == 0 && dist[i * k + j] > 0)
            first_positive = dist[i * k + j];
        }
      g_assert_cmpfloat (rho[i], ==, first_positive);
      g_assert_cmpfloat (sigma[i], >, 0);
      /* umap-learn's own tolerance is 1e-5 on this sum. */
      g_assert_cmpfloat_with_epsilon (s, target, 1e-4);
    }
  g_assert_cmpfloat (rho[4], >, 0);   /* the duplicate's 0 is not rho */
}

/* Recorded with umap-learn 0.5.3 (Debian 12's umap-learn package):
 *   /usr/bin/python3 -c 'from umap.umap_ import find_ab_params; print(find_ab_params(S, M))'
 * for each (spread S, min_dist M) below.
 */
static void
test_find_ab (void)
{
  static const struct { double spread, min_dist, a, b; } cases[] = {
    { 1.0, 0.1,   1.5769434601962196, 0.8950608779914887 },
    { 1.0, 0.001, 1.9290733952004866, 0.7915045329560677 },
    { 1.0, 0.5,   0.583030020479462,  1.3341669929263487 },
    { 2.0, 0.25,  0.41627349693884963, 0.9218551322340262 },
    { 1.0, 0.0,   1.9328083975546724, 0.7904949734010681 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double a, b;

      g_assert_true (es_umap_find_ab (cases[i].spread, cases[i].min_dist, &a, &b));
      g_test_message ("spread %g min_dist %g: a %.9f b %.9f", cases[i].spread, cases[i].min_dist, a, b);
      g_assert_cmpfloat (fabs (a - cases[i].a) / cases[i].a, <, 2e-4);
      g_assert_cmpfloat (fabs (b - cases[i].b) / cases[i].b, <, 2e-4);
    }
  {
    double a, b;

    g_assert_false (es_umap_find_ab (1.0, -0.1, &a, &b));
    g_assert_false (es_umap_find_ab (0.0, 0.1, &a, &b));
    g_assert_false (es_umap_find_ab (NAN, 0.1, &a, &b));
  }
}

typedef struct
{
  gint32 *idx;
  float  *dist;
  gsize   count;
  guint   calls;
} Poison;

static void
poison_inputs (gpointer data)
{
  Poison *p = data;

  for (gsize q = 0; q < p->count; q++)
    {
      p->idx[q] = G_MAXINT32;
      p->dist[q] = NAN;
    }
  p->calls++;
}

/* The memberships and the union, entry by entry, against a dense copy. */
static void
test_fuzzy_union_dense (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  const gsize n = 120, d = 5;
  const guint k = 6;
  g_autofree float *x = random_points (rand, n, d);
  g_autofree gint32 *idx = g_new (gint32, n * k);
  g_autofree float *dist = g_new (float, n * k);
  g_autofree float *rho = g_new (float, n);
  g_autofree float *sigma = g_new (float, n);
  g_autofree double *dense = g_new0 (double, n * n);
  EsUmapGraph graph;
  guint64 nnz = 0;
  Poison poison = { 0 };

  brute_knn (x, n, d, k, idx, dist);
  /* A row with a missing neighbour and an invalid row are skipped. */
  idx[3 * k + 5] = ES_KNN_NONE;
  for (guint j = 0; j < k; j++)
    idx[7 * k + j] = ES_KNN_NONE;
  _es_umap_smooth_knn (idx, dist, n, k, rho, sigma);
  for (gsize i = 0; i < n; i++)
    for (guint j = 0; j < k; j++)
      if (idx[i * k + j] != ES_KNN_NONE)
        dense[i * n + idx[i * k + j]] = exp (-MAX (0, dist[i * k + j] - rho[i]) / sigma[i]);

  /* The inputs are poisoned when released: a read after it would show. */
  poison.idx = idx;
  poison.dist = dist;
  poison.count = n * k;
  g_assert_true (_es_umap_fuzzy_graph (idx, dist, n, k, 0, poison_inputs, &poison, &graph, NULL));
  g_assert_cmpuint (poison.calls, ==, 1);
  g_assert_cmpuint (graph.n, ==, n);
  for (gsize i = 0; i < n; i++)
    {
      for (guint64 e = graph.row_ptr[i]; e < graph.row_ptr[i + 1]; e++)
        {
          gint32 j = graph.col[e];
          double u = dense[i * n + j], v = dense[j * n + i];

          if (e > graph.row_ptr[i])
            g_assert_cmpint (graph.col[e - 1], <, j);
          g_assert_cmpfloat_with_epsilon (graph.val[e], u + v - u * v, 1e-5);
        }
      for (gsize j = 0; j < n; j++)
        if (dense[i * n + j] > 0 || dense[j * n + i] > 0)
          nnz++;
    }
  g_assert_cmpuint (graph.row_ptr[n], ==, nnz);
  _es_umap_graph_clear (&graph);
}

/* All points equal: every distance 0, memberships 1, no NaN. */
static void
test_fuzzy_all_duplicates (void)
{
  const gsize n = 10;
  const guint k = 4;
  gint32 idx[10 * 4];
  float dist[10 * 4] = { 0 };
  EsUmapGraph graph;
  guint32 comp[10];

  for (gsize i = 0; i < n; i++)
    for (guint j = 0; j < k; j++)
      idx[i * k + j] = (i + j + 1) % n;
  g_assert_true (_es_umap_fuzzy_graph (idx, dist, n, k, 200, NULL, NULL, &graph, NULL));
  for (guint64 e = 0; e < graph.row_ptr[n]; e++)
    g_assert_cmpfloat (graph.val[e], ==, 1.0f);
  g_assert_cmpuint (_es_umap_graph_components (&graph, comp), ==, 1);
  _es_umap_graph_clear (&graph);
}

/* A CSR graph from an edge list (both directions). */
static void
graph_from_dense (const double *w,
                  gsize         n,
                  EsUmapGraph  *graph)
{
  guint64 nnz = 0;

  graph->n = n;
  graph->row_ptr = g_new0 (guint64, n + 1);
  for (gsize q = 0; q < n * n; q++)
    nnz += w[q] != 0;
  graph->col = g_new (gint32, MAX (nnz, 1));
  graph->val = g_new (float, MAX (nnz, 1));
  nnz = 0;
  for (gsize i = 0; i < n; i++)
    {
      for (gsize j = 0; j < n; j++)
        if (w[i * n + j] != 0)
          {
            graph->col[nnz] = j;
            graph->val[nnz++] = w[i * n + j];
          }
      graph->row_ptr[i + 1] = nnz;
    }
}

/* Lanczos (n above the dense limit) against LAPACKE on the dense matrix. */
static void
test_spectral_vs_dense (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  const gsize n = 700, d = 3;
  const guint k = 10, dims = 2;
  g_autofree float *x = random_points (rand, n, d);
  g_autofree gint32 *idx = g_new (gint32, n * k);
  g_autofree float *dist = g_new (float, n * k);
  g_autofree double *m = g_new0 (double, n * n);
  g_autofree double *deg = g_new0 (double, n);
  g_autofree double *w = g_new (double, n);
  g_autofree double *z = g_new (double, n * 3);
  g_autofree lapack_int *isuppz = g_new (lapack_int, 6);
  g_autofree double *out = g_new (double, n * dims);
  g_autofree guint32 *comp = g_new (guint32, n);
  double eig[2];
  lapack_int found;
  EsUmapGraph graph;

  /* Three well-mixed Gaussian blobs make a connected graph with a gap. */
  for (gsize i = 0; i < n; i++)
    x[i * d] += 4.0 * (i % 3);
  brute_knn (x, n, d, k, idx, dist);
  g_assert_true (_es_umap_fuzzy_graph (idx, dist, n, k, 0, NULL, NULL, &graph, NULL));
  g_assert_cmpuint (_es_umap_graph_components (&graph, comp), ==, 1);

  for (gsize i = 0; i < n; i++)
    for (guint64 e = graph.row_ptr[i]; e < graph.row_ptr[i + 1]; e++)
      deg[i] += graph.val[e];
  for (gsize i = 0; i < n; i++)
    for (guint64 e = graph.row_ptr[i]; e < graph.row_ptr[i + 1]; e++)
      m[i * n + graph.col[e]] = graph.val[e] / sqrt (deg[i] * deg[graph.col[e]]);
  g_assert_cmpint (LAPACKE_dsyevr (LAPACK_ROW_MAJOR, 'V', 'I', 'U', n, m, n, 0, 0, n - 2, n, 0,
                                   &found, w, z, 3, isuppz), ==, 0);
  g_assert_cmpfloat_with_epsilon (w[2], 1.0, 1e-9);

  g_assert_true (_es_spectral_embed (&graph, dims, 1, 1e-6, 2, NULL, out, eig, NULL));
  for (guint c = 0; c < dims; c++)
    {
      double dot = 0;

      g_test_message ("eigenvalue %u: %.9f (dense %.9f)", c, eig[c], w[1 - c]);
      g_assert_cmpfloat_with_epsilon (eig[c], w[1 - c], 1e-8);
      for (gsize i = 0; i < n; i++)
        dot += out[i * dims + c] * z[i * 3 + 1 - c];
      g_assert_cmpfloat (fabs (dot), >, 0.9999);
    }
  _es_umap_graph_clear (&graph);
}

/* A ring of n equal weights: M = A/2 has eigenvalues cos (2πj/n), the top
 * non-trivial one twice, spanned by cos and sin of 2πi/n.
 */
static void
test_spectral_ring (void)
{
  const gsize n = 1000;
  g_autofree double *w = g_new0 (double, n * n);
  g_autofree double *out = g_new (double, n * 2);
  double eig[2];
  EsUmapGraph graph;

  for (gsize i = 0; i < n; i++)
    w[i * n + (i + 1) % n] = w[((i + 1) % n) * n + i] = 1;
  graph_from_dense (w, n, &graph);
  g_assert_true (_es_spectral_embed (&graph, 2, 5, 1e-7, 1, NULL, out, eig, NULL));
  for (guint c = 0; c < 2; c++)
    {
      double pc = 0, ps = 0;

      g_assert_cmpfloat_with_epsilon (eig[c], cos (2 * G_PI / n), 1e-9);
      /* In span {cos, sin} (each of norm sqrt (n/2)). */
      for (gsize i = 0; i < n; i++)
        {
          pc += out[i * 2 + c] * cos (2 * G_PI * i / n) / sqrt (n / 2.0);
          ps += out[i * 2 + c] * sin (2 * G_PI * i / n) / sqrt (n / 2.0);
        }
      g_assert_cmpfloat_with_epsilon (pc * pc + ps * ps, 1.0, 1e-6);
    }
  _es_umap_graph_clear (&graph);
}

static void
test_spectral_disconnected (void)
{
  const gsize n = 20;
  g_autofree double *w = g_new0 (double, n * n);
  g_autofree double *out = g_new (double, n * 2);
  g_autoptr(GError) error = NULL;
  EsUmapGraph graph;

  /* One isolated point: refused with a message, no crash. */
  for (gsize i = 0; i + 2 < n; i++)
    w[i * n + i + 1] = w[(i + 1) * n + i] = 1;
  graph_from_dense (w, n, &graph);
  g_assert_false (_es_spectral_embed (&graph, 2, 5, 1e-7, 1, NULL, out, NULL, &error));
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC);
  _es_umap_graph_clear (&graph);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/umap/smooth-knn/target", test_smooth_knn_target);
  g_test_add_func ("/umap/find-ab", test_find_ab);
  g_test_add_func ("/umap/fuzzy-union/dense", test_fuzzy_union_dense);
  g_test_add_func ("/umap/fuzzy-union/duplicates", test_fuzzy_all_duplicates);
  g_test_add_func ("/umap/spectral/dense-reference", test_spectral_vs_dense);
  g_test_add_func ("/umap/spectral/ring", test_spectral_ring);
  g_test_add_func ("/umap/spectral/isolated", test_spectral_disconnected);

  return g_test_run ();
}
