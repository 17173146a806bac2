/* test-tsne-parts.c: t-SNE's calibration, affinities and repulsion
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "es-tsne-private.h"

#include <math.h>

static double
entropy_of (const float *p,
            guint        k)
{
  double h = 0;

  for (guint j = 0; j < k; j++)
    if (p[j] > 0)
      h -= p[j] * log (p[j]);
  return h;
}

/* Rows of every kind the kNN graph can give: spread, clustered, with ties
 * at the smallest distance (duplicate vectors: distance 0), all equal.
 */
static void
test_calibration_entropy (void)
{
  const double perplexities[] = { 2, 5, 30, 50 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  g_test_summary ("Per row, the entropy of p_j|i (computed here from p) is log (perplexity) "
                  "to 1e-4 whenever some β reaches it; otherwise p is the uniform limit");

  for (guint pi = 0; pi < G_N_ELEMENTS (perplexities); pi++)
    {
      double perplexity = perplexities[pi];
      guint k = (guint) (3 * perplexity);
      g_autofree float *d = g_new (float, k);
      g_autofree float *p = g_new (float, k);

      for (guint row = 0; row < 400; row++)
        {
          guint kind = row % 5, ties = 0;
          double sum = 0;

          for (guint j = 0; j < k; j++)
            {
              switch (kind)
                {
                case 0: d[j] = (float) g_rand_double_range (rand, 0, 2); break;       /* cosine-like */
                case 1: d[j] = (float) g_rand_double_range (rand, 100, 5000); break;  /* large squared */
                case 2: d[j] = (float) (1e-6 * g_rand_double (rand)); break;          /* tiny */
                case 3: d[j] = j < perplexity / 2 ? 0 : (float) g_rand_double (rand); break; /* duplicates */
                default: d[j] = 0.25f; break;                                        /* all equal */
                }
            }
          for (guint j = 0; j < k; j++)
            {
              gboolean is_min = TRUE;

              for (guint l = 0; l < k; l++)
                is_min = is_min && d[j] <= d[l];
              ties += is_min;
            }

          _es_tsne_calibrate_row (d, k, perplexity, p, NULL);
          for (guint j = 0; j < k; j++)
            {
              g_assert_true (isfinite (p[j]) && p[j] >= 0);
              sum += p[j];
            }
          g_assert_cmpfloat_with_epsilon (sum, 1, 1e-5);
          if (ties < perplexity && ties < k)
            g_assert_cmpfloat_with_epsilon (entropy_of (p, k), log (perplexity), 1e-4);
          else
            for (guint j = 0; j < k; j++)
              g_assert_cmpfloat_with_epsilon (p[j], d[j] == d[0] || kind == 4 ? 1.0 / ties : 0, 1e-6);
        }
    }
}

/* Brute-force euclidean neighbours, in the graph's row layout. */
static void
brute_knn (const float *x,
           gsize        n,
           guint        dims,
           guint        k,
           gint32      *idx,
           float       *dist)
{
  g_autofree double *d2 = g_new (double, n);

  for (gsize i = 0; i < n; i++)
    {
      for (gsize j = 0; j < n; j++)
        {
          d2[j] = 0;
          for (guint c = 0; c < dims; c++)
            d2[j] += (x[i * dims + c] - x[j * dims + c]) * (double) (x[i * dims + c] - x[j * dims + c]);
        }
      d2[i] = INFINITY;
      for (guint m = 0; m < k; m++)
        {
          gsize best = 0;

          for (gsize j = 1; j < n; j++)
            if (d2[j] < d2[best])
              best = j;
          idx[i * k + m] = (gint32) best;
          dist[i * k + m] = (float) sqrt (d2[best]);
          d2[best] = INFINITY;
        }
    }
}

static void
test_affinities_symmetric (void)
{
  const gsize n = 300;
  const guint dims = 8, k = 30;
  const double perplexity = 10;
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  g_autofree float *x = g_new (float, n * dims);
  g_autofree gint32 *idx = g_new (gint32, n * k);
  g_autofree float *dist = g_new (float, n * k);
  g_autofree float *cond = g_new (float, n * k);
  g_autofree float *d2 = g_new (float, k);
  g_autofree double *dense = g_new0 (double, n * n);
  g_auto(EsTsneAffinities) p = { 0 };
  g_autoptr(GError) error = NULL;
  double total = 0;

  g_test_summary ("P is symmetric, sums to 1 and equals (p_j|i + p_i|j) / 2n, each p_j|i "
                  "calibrated on its own row; rows sorted by column without repeats");

  for (gsize i = 0; i < n * dims; i++)
    x[i] = (float) g_rand_double_range (rand, -1, 1);
  /* Exact duplicates and a zero vector. */
  for (guint c = 0; c < dims; c++)
    {
      x[1 * dims + c] = x[0 * dims + c];
      x[2 * dims + c] = x[0 * dims + c];
      x[5 * dims + c] = 0;
    }
  brute_knn (x, n, dims, k, idx, dist);

  for (gsize i = 0; i < n; i++)
    {
      for (guint j = 0; j < k; j++)
        d2[j] = dist[i * k + j] * dist[i * k + j];
      _es_tsne_calibrate_row (d2, k, perplexity, cond + i * k, NULL);
      for (guint j = 0; j < k; j++)
        {
          dense[i * n + idx[i * k + j]] += cond[i * k + j] / (2.0 * n);
          dense[idx[i * k + j] * n + i] += cond[i * k + j] / (2.0 * n);
        }
    }

  for (guint threads = 1; threads <= 2; threads++)
    {
      g_autoptr(EsTsnePool) pool = _es_tsne_pool_new (threads);

      g_assert_true (_es_tsne_affinities_build (n, k, idx, dist, ES_METRIC_EUCLIDEAN, perplexity,
                                                pool, NULL, &p, &error));
      g_assert_no_error (error);
      total = 0;
      for (gsize i = 0; i < n; i++)
        {
          gsize nnz = 0;

          for (gsize e = p.row_ptr[i]; e < p.row_ptr[i + 1]; e++)
            {
              if (e > p.row_ptr[i])
                g_assert_cmpint (p.cols[e - 1], <, p.cols[e]);
              g_assert_cmpfloat_with_epsilon (p.vals[e], dense[i * n + p.cols[e]], 1e-9);
              total += p.vals[e];
            }
          for (gsize j = 0; j < n; j++)
            nnz += dense[i * n + j] > 0;
          g_assert_cmpuint (nnz, ==, p.row_ptr[i + 1] - p.row_ptr[i]);
        }
      g_assert_cmpfloat_with_epsilon (total, 1, 1e-5);
      _es_tsne_affinities_clear (&p);
    }
}

static double
relative_error (const double *exact,
                const float  *approx,
                gsize         n)
{
  double num = 0, den = 0;

  for (gsize e = 0; e < n; e++)
    {
      num += (exact[e] - approx[e]) * (exact[e] - approx[e]);
      den += exact[e] * exact[e];
    }
  return sqrt (num / den);
}

/* Points as a t-SNE map has them: a few clusters, spread @scale wide. */
static float *
map_points (gsize  n,
            guint  dims,
            double scale,
            guint  seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  float *y = g_new (float, n * dims);

  for (gsize i = 0; i < n; i++)
    {
      double centre = (i % 5) * scale / 5;

      for (guint d = 0; d < dims; d++)
        {
          double u = g_rand_double (rand), v = g_rand_double (rand);

          y[i * dims + d] = (float) (centre * (d == 0 ? 1 : 0.5) +
                                     scale / 20 * sqrt (-2 * log (1 - u)) * cos (2 * G_PI * v));
        }
    }
  return y;
}

typedef struct
{
  gsize  n;
  double scale;
} RepulsionCase;

static void
test_fft_repulsion (gconstpointer data)
{
  const RepulsionCase *c = data;
  g_autofree float *y = map_points (c->n, 2, c->scale, 11);
  g_autofree double *exact = g_new (double, c->n * 2);
  g_autofree float *approx = g_new (float, c->n * 2);
  g_autofree float *approx2 = g_new (float, c->n * 2);
  g_autoptr(EsTsneFft) fft = _es_tsne_fft_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(EsTsnePool) pool = _es_tsne_pool_new (2);
  double z_exact, z, z2, err;

  g_test_summary ("FFT-interpolated repulsion and Z against the exact O(N²) sums: relative "
                  "L2 error of the forces below 3e-2 (5e-3 with boxes narrower than 0.5), of Z below 3e-3; 1 and 2 threads identical");

  _es_tsne_repulsion_exact (y, c->n, 2, exact, &z_exact);
  g_assert_true (_es_tsne_fft_repulsion (fft, y, c->n, NULL, approx, &z, &error));
  g_assert_no_error (error);
  err = relative_error (exact, approx, c->n * 2);
  g_test_message ("n %zu scale %g: force error %.3g, Z error %.3g", c->n, c->scale, err,
                  fabs (z - z_exact) / z_exact);
  g_assert_cmpfloat (err, <, c->scale < 20 ? 5e-3 : 3e-2);
  g_assert_cmpfloat (fabs (z - z_exact) / z_exact, <, 3e-3);

  g_assert_true (_es_tsne_fft_repulsion (fft, y, c->n, pool, approx2, &z2, &error));
  g_assert_cmpmem (approx, c->n * 2 * sizeof (float), approx2, c->n * 2 * sizeof (float));
  g_assert_true (z == z2);
}

/* @n points in a 60 × 60 square (boxes 1 wide): with @crowded, four in
 * five in 12 tight clusters (σ = 0.4) at random places in it.
 */
static float *
crowd_points (gsize    n,
              gboolean crowded)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  float centre[12][2];
  float *y = g_new (float, n * 2);

  for (guint c = 0; c < 12; c++)
    for (guint d = 0; d < 2; d++)
      centre[c][d] = (float) g_rand_double_range (rand, 5, 55);
  for (gsize i = 0; i < n; i++)
    for (guint d = 0; d < 2; d++)
      {
        double u = g_rand_double (rand), v = g_rand_double (rand);

        y[i * 2 + d] = (crowded && i % 5 != 0)
                       ? (float) (centre[i % 12][d] + 0.4 * sqrt (-2 * log (1 - u)) * cos (2 * G_PI * v))
                       : (float) (60 * u);
      }
  /* The corners fix the square whatever the draws. */
  y[0] = y[1] = 0;
  y[2] = y[3] = 60;
  return y;
}

/* The relative L2 error of the forces on the points in the clusters. */
static double
crowd_error (const float  *y,
             gsize         n,
             guint         p,
             guint        *chosen)
{
  g_autofree double *exact = g_new (double, n * 2);
  g_autofree float *approx = g_new (float, n * 2);
  g_autoptr(EsTsneFft) fft = _es_tsne_fft_new ();
  g_autoptr(GError) error = NULL;
  double z_exact, z, num = 0, den = 0;

  _es_tsne_repulsion_exact (y, n, 2, exact, &z_exact);
  _es_tsne_fft_force_nodes (fft, p);
  g_assert_true (_es_tsne_fft_repulsion (fft, y, n, NULL, approx, &z, &error));
  g_assert_no_error (error);
  *chosen = _es_tsne_fft_nodes (fft);

  /* Two threads: the same bits. */
  {
    g_autoptr(EsTsneFft) fft2 = _es_tsne_fft_new ();
    g_autoptr(EsTsnePool) pool = _es_tsne_pool_new (2);
    g_autofree float *approx2 = g_new (float, n * 2);
    double z2;

    _es_tsne_fft_force_nodes (fft2, p);
    g_assert_true (_es_tsne_fft_repulsion (fft2, y, n, pool, approx2, &z2, &error));
    g_assert_cmpmem (approx, n * 2 * sizeof (float), approx2, n * 2 * sizeof (float));
    g_assert_true (z == z2);
  }
  for (gsize i = 0; i < n; i++)
    if (i % 5 != 0)
      for (guint d = 0; d < 2; d++)
        {
          num += (exact[i * 2 + d] - approx[i * 2 + d]) * (exact[i * 2 + d] - approx[i * 2 + d]);
          den += exact[i * 2 + d] * exact[i * 2 + d];
        }
  return sqrt (num / den);
}

static void
test_fft_crowded (void)
{
  const gsize n = 3000;
  g_autofree float *crowded = crowd_points (n, TRUE);
  g_autofree float *sparse = crowd_points (n, FALSE);
  double err3, err4, err_auto;
  guint chosen;

  g_test_summary ("Crowded boxes get 4 interpolation nodes per box instead of 3: in tight clusters "
                  "their forces are at least 3 times closer to the exact sums; a sparse map keeps 3; "
                  "1 and 2 threads identical");

  err3 = crowd_error (crowded, n, 3, &chosen);
  g_assert_cmpuint (chosen, ==, 3);
  err4 = crowd_error (crowded, n, 4, &chosen);
  g_assert_cmpuint (chosen, ==, 4);
  err_auto = crowd_error (crowded, n, 0, &chosen);
  g_test_message ("clusters: force error %.3g with 3 nodes, %.3g with 4, %.3g chosen (%u)", err3, err4,
                  err_auto, chosen);
  g_assert_cmpuint (chosen, ==, 4);
  g_assert_true (err_auto == err4);
  g_assert_cmpfloat (err4 * 3, <, err3);

  crowd_error (sparse, n, 0, &chosen);
  g_assert_cmpuint (chosen, ==, 3);
}

static void
test_bh_repulsion (gconstpointer data)
{
  const RepulsionCase *c = data;
  g_autofree float *y = map_points (c->n, 3, c->scale, 13);
  g_autofree double *exact = g_new (double, c->n * 3);
  g_autofree float *approx = g_new (float, c->n * 3);
  g_autofree float *approx2 = g_new (float, c->n * 3);
  g_autoptr(GError) error = NULL;
  g_autoptr(EsTsnePool) pool = _es_tsne_pool_new (2);
  double z_exact, z, z2, err;

  g_test_summary ("Barnes-Hut (θ = 0.5) repulsion and Z in 3D against the exact sums: "
                  "relative L2 error of the forces below 2e-2, of Z below 1e-2; threads identical");

  /* Duplicates: the tree must stop splitting. */
  for (guint d = 0; d < 3; d++)
    y[3 + d] = y[d];
  _es_tsne_repulsion_exact (y, c->n, 3, exact, &z_exact);
  g_assert_true (_es_tsne_bh_repulsion (y, c->n, 3, 0.5, NULL, approx, &z, &error));
  g_assert_no_error (error);
  err = relative_error (exact, approx, c->n * 3);
  g_test_message ("n %zu scale %g: force error %.3g, Z error %.3g", c->n, c->scale, err,
                  fabs (z - z_exact) / z_exact);
  g_assert_cmpfloat (err, <, 2e-2);
  g_assert_cmpfloat (fabs (z - z_exact) / z_exact, <, 1e-2);

  g_assert_true (_es_tsne_bh_repulsion (y, c->n, 3, 0.5, pool, approx2, &z2, &error));
  g_assert_cmpmem (approx, c->n * 3 * sizeof (float), approx2, c->n * 3 * sizeof (float));
  g_assert_true (z == z2);
}

/* The attraction (2D: four entries at a time; 3D: one) against a double
 * sum over the same sparse rows written here; rows of 0 to 13 entries, so
 * every tail length after the groups of four occurs.
 */
static void
test_attraction (void)
{
  const gsize n = 400;
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_auto(EsTsneAffinities) p = { 0 };
  g_autofree float *y = g_new (float, n * 3);
  g_autofree float *attr = g_new (float, n * 3);
  gsize nnz = 0;

  g_test_summary ("Σ_j P_ij (y_i − y_j) / (1 + |y_i − y_j|²) per point agrees with a double "
                  "sum to 1e-5 of the sum of the terms' magnitudes, in 2D and 3D");

  p.n = n;
  p.row_ptr = g_new (gsize, n + 1);
  p.cols = g_new (gint32, n * 14);
  p.vals = g_new (float, n * 14);
  p.row_ptr[0] = 0;
  for (gsize i = 0; i < n; i++)
    {
      guint len = i % 14;

      for (guint e = 0; e < len; e++)
        {
          p.cols[nnz] = g_rand_int_range (rand, 0, (gint32) n);
          p.vals[nnz++] = (float) g_rand_double_range (rand, 1e-6, 1e-3);
        }
      p.row_ptr[i + 1] = nnz;
    }
  for (gsize e = 0; e < n * 3; e++)
    y[e] = (float) g_rand_double_range (rand, -20, 20);

  for (guint dims = 2; dims <= 3; dims++)
    {
      _es_tsne_attraction (&p, y, dims, 0, n / 3, attr);
      _es_tsne_attraction (&p, y, dims, n / 3, n, attr);
      for (gsize i = 0; i < n; i++)
        for (guint d = 0; d < dims; d++)
          {
            double sum = 0, scale = 1e-30;

            for (gsize e = p.row_ptr[i]; e < p.row_ptr[i + 1]; e++)
              {
                gsize j = (gsize) p.cols[e];
                double r2 = 1, diff;

                for (guint c = 0; c < dims; c++)
                  r2 += ((double) y[i * dims + c] - y[j * dims + c]) * ((double) y[i * dims + c] - y[j * dims + c]);
                diff = (double) y[i * dims + d] - y[j * dims + d];
                sum += p.vals[e] * diff / r2;
                scale += fabs (p.vals[e] * diff / r2);
              }
            g_assert_cmpfloat (fabs (attr[i * dims + d] - sum), <=, 1e-5 * scale);
          }
    }
}

int
main (int argc, char **argv)
{
  static const RepulsionCase fft_cases[] = {
    { 1500, 1e-3 },   /* the initialisation: everything in one box */
    { 1500, 8 },
    { 2000, 60 },     /* more than the minimum of 50 boxes */
  };
  static const RepulsionCase bh_cases[] = {
    { 1500, 1e-3 },
    { 1500, 20 },
  };

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/tsne/calibration-entropy", test_calibration_entropy);
  g_test_add_func ("/engine/tsne/affinities-symmetric", test_affinities_symmetric);
  g_test_add_func ("/engine/tsne/attraction", test_attraction);
  g_test_add_func ("/engine/tsne/fft-crowded", test_fft_crowded);
  for (guint i = 0; i < G_N_ELEMENTS (fft_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/engine/tsne/fft-repulsion/n%zu-scale%g",
                                               fft_cases[i].n, fft_cases[i].scale);

      g_test_add_data_func (path, &fft_cases[i], test_fft_repulsion);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bh_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/engine/tsne/bh-repulsion/n%zu-scale%g",
                                               bh_cases[i].n, bh_cases[i].scale);

      g_test_add_data_func (path, &bh_cases[i], test_bh_repulsion);
    }
  return g_test_run ();
}
