/* test-tsne-order.c: the points renumbered in map order, the FFT's length
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "es-tsne-fft-private.h"

#include <math.h>

/* A symmetric P with 0 to 25 entries a row. */
static void
random_affinities (GRand            *rand,
              gsize             n,
              EsTsneAffinities *p,
              float            *dense)
{
  gsize nnz = 0;

  for (gsize i = 0; i < n; i++)
    for (guint t = 0; t < i % 13; t++)
      {
        gsize j = (gsize) g_rand_int_range (rand, 0, (gint32) n);
        float v = (float) g_rand_double_range (rand, 1e-6, 1e-3);

        if (j != i)
          dense[i * n + j] = dense[j * n + i] = v;
      }
  p->n = n;
  p->row_ptr = g_new (gsize, n + 1);
  p->cols = g_new (gint32, n * n);
  p->vals = g_new (float, n * n);
  for (gsize i = 0; i < n; i++)
    {
      p->row_ptr[i] = nnz;
      for (gsize j = 0; j < n; j++)
        if (dense[i * n + j] > 0)
          {
            p->cols[nnz] = (gint32) j;
            p->vals[nnz++] = dense[i * n + j];
          }
    }
  p->row_ptr[n] = nnz;
}

static void
attraction (const EsTsneAffinities *p,
            const float            *y,
            float                  *out)
{
  _es_tsne_attraction (p, y, 2, 0, p->n, out);
}

static void
test_renumber (void)
{
  const gsize n = 400;
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  g_auto(EsTsneAffinities) p = { 0 };
  g_autofree float *dense = g_new0 (float, n * n);
  g_autofree float *y = g_new (float, n * 2);
  g_autofree float *y2 = g_new (float, n * 2);
  g_autofree float *before = g_new (float, n * 2);
  g_autofree float *after = g_new (float, n * 2);
  g_autofree gsize *order = g_new (gsize, n);
  g_autofree gboolean *seen = g_new0 (gboolean, n);
  g_autoptr(EsTsneOrder) renumber = NULL;
  g_autoptr(GError) error = NULL;
  gsize nnz, *second;

  g_test_summary ("Renumbering the points in map order is a relabelling: a permutation, "
                  "every entry of P kept with its value, the attraction on each point the "
                  "same to 1e-5, also after a second (random) renumbering");

  random_affinities (rand, n, &p, dense);
  nnz = p.row_ptr[n];
  for (gsize e = 0; e < n * 2; e++)
    y[e] = (float) g_rand_double_range (rand, -30, 30);
  attraction (&p, y, before);

  renumber = _es_tsne_order_new (n, nnz, &error);
  g_assert_no_error (error);
  _es_tsne_order_compute (renumber, y, 2);
  memcpy (order, _es_tsne_order_get (renumber), n * sizeof (gsize));
  for (gsize i = 0; i < n; i++)
    {
      g_assert_cmpuint (order[i], <, n);
      g_assert_false (seen[order[i]]);
      seen[order[i]] = TRUE;
    }
  _es_tsne_order_permute_affinities (renumber, &p);
  g_assert_cmpuint (p.row_ptr[n], ==, nnz);
  for (gsize i = 0; i < n; i++)
    {
      gsize count = 0;

      for (gsize j = 0; j < n; j++)
        count += dense[order[i] * n + j] > 0;
      g_assert_cmpuint (p.row_ptr[i + 1] - p.row_ptr[i], ==, count);
      for (gsize e = p.row_ptr[i]; e < p.row_ptr[i + 1]; e++)
        {
          gsize j = (gsize) p.cols[e];

          g_assert_cmpuint (j, <, n);
          g_assert_cmpfloat (p.vals[e], ==, dense[order[i] * n + order[j]]);
        }
    }

  memcpy (y2, y, n * 2 * sizeof (float));
  _es_tsne_order_permute_rows (renumber, y2, 2);
  attraction (&p, y2, after);
  for (gsize i = 0; i < n; i++)
    for (guint d = 0; d < 2; d++)
      {
        double a = before[2 * order[i] + d], b = after[2 * i + d];

        g_assert_cmpfloat (fabs (a - b), <=, 1e-5 * (fabs (a) + 1e-6));
      }

  /* A second renumbering (a random one) composes with the first. */
  second = _es_tsne_order_get (renumber);
  for (gsize i = 0; i < n; i++)
    second[i] = i;
  for (gsize i = n - 1; i > 0; i--)
    {
      gsize j = (gsize) g_rand_int_range (rand, 0, (gint32) i + 1), t = second[i];

      second[i] = second[j];
      second[j] = t;
    }
  _es_tsne_order_permute_affinities (renumber, &p);
  _es_tsne_order_permute_rows (renumber, y2, 2);
  attraction (&p, y2, after);
  for (gsize i = 0; i < n; i++)
    for (guint d = 0; d < 2; d++)
      {
        double a = before[2 * order[second[i]] + d], b = after[2 * i + d];

        g_assert_cmpfloat (fabs (a - b), <=, 1e-5 * (fabs (a) + 1e-6));
      }
}

/* Map order puts consecutive points near each other: 20 000 points
 * uniform in a 60 × 60 square are 31 apart on average in a random order;
 * along any path through ~80-point strips the average step is below 2.
 */
static void
test_map_order_local (void)
{
  const gsize n = 20000;
  g_autoptr(GRand) rand = g_rand_new_with_seed (9);
  g_autofree float *y = g_new (float, n * 3);
  g_autoptr(EsTsneOrder) renumber = _es_tsne_order_new (n, 1, NULL);
  double before = 0, after = 0;

  g_test_summary ("Map order puts consecutive points near each other: the mean step "
                  "between consecutive points falls from ~31 to below 2 (2D and 3D)");

  for (guint dims = 2; dims <= 3; dims++)
    {
      const gsize *order;

      before = after = 0;
      for (gsize e = 0; e < n * dims; e++)
        y[e] = (float) g_rand_double_range (rand, 0, 60);
      _es_tsne_order_compute (renumber, y, dims);
      order = _es_tsne_order_get (renumber);
      for (gsize i = 1; i < n; i++)
        {
          before += hypot (y[i * dims] - y[(i - 1) * dims], y[i * dims + 1] - y[(i - 1) * dims + 1]);
          after += hypot (y[order[i] * dims] - y[order[i - 1] * dims],
                          y[order[i] * dims + 1] - y[order[i - 1] * dims + 1]);
        }
      g_test_message ("dims %u: mean step %.2f in row order, %.2f in map order", dims,
                      before / (n - 1), after / (n - 1));
      g_assert_cmpfloat (before / (n - 1), >, 25);
      g_assert_cmpfloat (after / (n - 1), <, 2);
    }
}

/* 2^a × f with f in {1, 3, 5}. */
static gboolean
fast_form (guint m)
{
  while (m % 2 == 0)
    m /= 2;
  return m == 1 || m == 3 || m == 5;
}

static void
test_fft_length (void)
{
  g_test_summary ("The FFT's length for nn nodes is the smallest even 2^a, 3 × 2^a or "
                  "5 × 2^a of at least 2 nn, by search, for every nn the grids can have");

  for (guint nn = 1; nn <= MAX_INTERP * MAX_BOXES; nn++)
    {
      guint m = _es_tsne_fft_length (nn), smallest = 2 * nn;

      while (!(smallest % 2 == 0 && fast_form (smallest)))
        smallest++;
      g_assert_cmpuint (m, ==, smallest);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/tsne/renumber", test_renumber);
  g_test_add_func ("/engine/tsne/map-order-local", test_map_order_local);
  g_test_add_func ("/engine/tsne/fft-length", test_fft_length);
  return g_test_run ();
}
