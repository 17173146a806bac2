/* test-sparse-factor.c: PPMI/TF-IDF weighting, randomized SVD, NMF
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reference values (tests/data/gensim/dtm_test.mm) from
 *   /usr/bin/python3 tests/reference/make-sparse-reference.py
 * (a dense numpy PPMI, sklearn 1.2.1 TfidfTransformer() and NMF):
 *   ppmi k=1 sum 1324.59399 nnz 802 P[0,23] 1.24573493 P[9,545] 1.79221901 P[3,0] 0
 *   ppmi k=5 sum 203.709009 nnz 501 P[0,23] 0 P[9,545] 0.1827811 P[3,0] 0
 *   tfidf sum 75.6728104 T[0,23] 0.182883547 T[9,545] 0.0802275962
 *   singular values [25.476108272379307, 17.655293833157582, 15.406176761330572, ...]
 *   sklearn NMF k=3 nndsvda cd 200 iterations: reconstruction_err_ 33.1465218
 */

#define G_LOG_DOMAIN "test-sparse-factor"

#include "config.h"

#include <lapacke.h>
#include <math.h>
#include <string.h>

#include "es-engine.h"
#include "es-sparse-private.h"

static EsSparseMatrix *
read_dtm (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "gensim", "dtm_test.mm", NULL);
  g_autoptr(GError) error = NULL;
  EsSparseMatrix *m = es_matrix_market_read (path, NULL, NULL, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return m;
}

static double
sum_values (const EsSparseMatrix *m)
{
  double sum = 0;

  for (guint64 p = 0; p < es_sparse_matrix_get_nnz (m); p++)
    sum += es_sparse_matrix_get_values (m)[p];
  return sum;
}

static void
test_ppmi (void)
{
  g_autoptr(EsSparseMatrix) x = read_dtm ();
  g_autoptr(GError) error = NULL;
  EsWeightingOptions options;

  g_test_summary ("PPMI (α = 0.75, shift 1 and 5) and TF-IDF equal numpy/sklearn cell by cell");
  es_weighting_options_init (&options);
  {
    g_autoptr(EsSparseMatrix) p = es_weighting_apply (x, &options, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (es_sparse_matrix_get_nnz (p), ==, 802);
    g_assert_cmpfloat_with_epsilon (sum_values (p), 1324.59399, 1e-3);
    g_assert_cmpfloat_with_epsilon (es_sparse_matrix_get (p, 0, 23), 1.24573493, 1e-6);
    g_assert_cmpfloat_with_epsilon (es_sparse_matrix_get (p, 9, 545), 1.79221901, 1e-6);
    g_assert_cmpfloat (es_sparse_matrix_get (p, 3, 0), ==, 0.0f);
  }
  options.shift = 5;
  {
    g_autoptr(EsSparseMatrix) p = es_weighting_apply (x, &options, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (es_sparse_matrix_get_nnz (p), ==, 501);
    g_assert_cmpfloat_with_epsilon (sum_values (p), 203.709009, 1e-3);
    g_assert_cmpfloat (es_sparse_matrix_get (p, 0, 23), ==, 0.0f);
    g_assert_cmpfloat_with_epsilon (es_sparse_matrix_get (p, 9, 545), 0.1827811, 1e-6);
  }
  options.weighting = ES_WEIGHTING_TFIDF;
  {
    g_autoptr(EsSparseMatrix) t = es_weighting_apply (x, &options, &error);
    g_assert_no_error (error);
    g_assert_cmpfloat_with_epsilon (sum_values (t), 75.6728104, 1e-4);
    g_assert_cmpfloat_with_epsilon (es_sparse_matrix_get (t, 0, 23), 0.182883547, 1e-6);
    g_assert_cmpfloat_with_epsilon (es_sparse_matrix_get (t, 9, 545), 0.0802275962, 1e-6);
  }
}

/* A rows × cols sparse matrix (density ~ 8 %) with a decaying spectrum:
 * uniform noise plus 8 planted blocks of strength 12 · 0.7^b.
 */
static EsSparseMatrix *
make_matrix (gsize   rows,
             gsize   cols,
             guint32 seed)
{
  GRand *rand = g_rand_new_with_seed (seed);
  g_autoptr(GArray) ri = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) ci = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) v = g_array_new (FALSE, FALSE, sizeof (float));
  g_autoptr(GError) error = NULL;
  EsSparseMatrix *m;

  for (gsize i = 0; i < rows; i++)
    for (gsize j = 0; j < cols; j++)
      if (g_rand_double (rand) < 0.08)
        {
          guint32 a = i, b = j;
          float value = (float) (g_rand_double (rand) + (i % 8 == j % 8 ? 12.0 * pow (0.7, i % 8) : 0.0));

          g_array_append_val (ri, a);
          g_array_append_val (ci, b);
          g_array_append_val (v, value);
        }
  g_rand_free (rand);
  m = es_sparse_matrix_new_from_triplets (rows, cols, (guint32 *) ri->data, (guint32 *) ci->data,
                                          (float *) v->data, ri->len, NULL, &error);
  g_assert_no_error (error);
  return m;
}

static double *
densify (const EsSparseMatrix *m)
{
  gsize rows = es_sparse_matrix_get_rows (m), cols = es_sparse_matrix_get_cols (m);
  double *d = g_new0 (double, rows * cols);

  for (gsize i = 0; i < rows; i++)
    for (guint64 p = es_sparse_matrix_get_offsets (m)[i]; p < es_sparse_matrix_get_offsets (m)[i + 1]; p++)
      d[i * cols + es_sparse_matrix_get_columns (m)[p]] = es_sparse_matrix_get_values (m)[p];
  return d;
}

/* To 1e-12: the final QRs promise double precision (one Cholesky QR
 * pass only where R is well conditioned, else two).
 */
static void
check_orthonormal (const double *a,
                   gsize         n,
                   guint         k)
{
  for (guint r = 0; r < k; r++)
    for (guint s = 0; s < k; s++)
      {
        double dot = 0;

        for (gsize i = 0; i < n; i++)
          dot += a[i * k + r] * a[i * k + s];
        g_assert_cmpfloat_with_epsilon (dot, r == s ? 1.0 : 0.0, 1e-12);
      }
}

static void
check_svd (EsSparseMatrix *m,
           guint           k)
{
  gsize rows = es_sparse_matrix_get_rows (m), cols = es_sparse_matrix_get_cols (m);
  g_autofree double *dense = densify (m);
  g_autofree double *s = g_new (double, MIN (rows, cols));
  g_autofree double *superb = g_new (double, MIN (rows, cols));
  g_autoptr(GError) error = NULL;
  g_autoptr(EsSparseSvd) svd = NULL;
  g_autoptr(EsSparseSvd) one = NULL;
  EsSparseSvdOptions options;

  g_assert_cmpint (LAPACKE_dgesvd (LAPACK_ROW_MAJOR, 'N', 'N', rows, cols, dense, cols, s,
                                   NULL, 1, NULL, 1, superb), ==, 0);
  es_sparse_svd_options_init (&options);
  options.dims = k;
  svd = es_sparse_svd_compute (m, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint c = 0; c < k; c++)
    g_test_message ("σ%u %.9g %.9g", c, es_sparse_svd_get_singular_values (svd)[c], s[c]);
  for (guint c = 0; c < k; c++)
    g_assert_cmpfloat_with_epsilon (es_sparse_svd_get_singular_values (svd)[c], s[c], 1e-4 * s[c]);
  check_orthonormal (es_sparse_svd_get_u (svd), rows, k);
  check_orthonormal (es_sparse_svd_get_v (svd), cols, k);

  /* A v_c = σ_c u_c for the leading, well-separated components */
  {
    g_autofree double *av = g_new (double, rows * k);
    const double *u = es_sparse_svd_get_u (svd);

    es_sparse_matrix_multiply (m, es_sparse_svd_get_v (svd), k, av);
    for (gsize i = 0; i < rows; i++)
      for (guint c = 0; c < 3; c++)
        g_assert_cmpfloat_with_epsilon (av[i * k + c], es_sparse_svd_get_singular_values (svd)[c] * u[i * k + c],
                                        1e-2 * s[0] / sqrt (rows));
  }

  /* One thread gives the same bits. */
  _es_sparse_set_n_threads (1);
  one = es_sparse_svd_compute (m, &options, NULL, NULL, NULL, &error);
  _es_sparse_set_n_threads (0);
  g_assert_no_error (error);
  g_assert_cmpmem (es_sparse_svd_get_u (one), rows * k * sizeof (double),
                   es_sparse_svd_get_u (svd), rows * k * sizeof (double));
}

static void
test_spmm (void)
{
  g_autoptr(EsSparseMatrix) m = make_matrix (53, 41, 7);
  gsize rows = 53, cols = 41;
  g_autofree double *dense = densify (m);

  /* Beyond 40: the AVX-512 kernel's cases (whole vectors of 16, a half
   * vector of 8, a scalar tail, more than one chunk of 128). */
  static const gsize wide[] = { 63, 100, 104, 120, 128, 135, 136, 137, 150, 200, 264 };

  g_test_summary ("The float32 sparse × thin dense products equal a dense double product (float sums "
                  "to 1e-5, double sums to 1e-12) for widths 1–40 and 11 up to 264, with the same bits "
                  "on one thread");
  for (guint w = 0; w < 40 + G_N_ELEMENTS (wide); w++)
    {
      gsize width = w < 40 ? w + 1 : wide[w - 40];
      g_autofree float *x = g_new (float, cols * width);
      g_autofree float *yf = g_new (float, rows * width);
      g_autofree float *yf1 = g_new (float, rows * width);
      g_autofree double *yd = g_new (double, rows * width);
      g_autofree double *yd1 = g_new (double, rows * width);

      for (gsize e = 0; e < cols * width; e++)
        x[e] = (float) ((e * 7919 % 1000) / 250.0 - 2.0);
      _es_sparse_spmm_float (m, x, width, yf);
      _es_sparse_spmm_double (m, x, width, yd);
      for (gsize i = 0; i < rows; i++)
        for (gsize c = 0; c < width; c++)
          {
            double want = 0, scale = 0;

            for (gsize j = 0; j < cols; j++)
              {
                want += dense[i * cols + j] * x[j * width + c];
                scale += fabs (dense[i * cols + j] * x[j * width + c]);
              }
            g_assert_cmpfloat_with_epsilon (yf[i * width + c], want, 1e-5 * scale + 1e-30);
            g_assert_cmpfloat_with_epsilon (yd[i * width + c], want, 1e-12 * scale + 1e-30);
          }
      _es_sparse_set_n_threads (1);
      _es_sparse_spmm_float (m, x, width, yf1);
      _es_sparse_spmm_double (m, x, width, yd1);
      _es_sparse_set_n_threads (0);
      g_assert_cmpmem (yf, rows * width * sizeof (float), yf1, rows * width * sizeof (float));
      g_assert_cmpmem (yd, rows * width * sizeof (double), yd1, rows * width * sizeof (double));
    }
}

/* Y R⁻¹ by back substitution per row, in double: x R = y. */
static void
solve_rows (const double *y,
            const double *r,
            gsize         rows,
            guint         n,
            double       *x)
{
  for (gsize i = 0; i < rows; i++)
    for (guint j = 0; j < n; j++)
      {
        double sum = y[i * n + j];

        for (guint p = 0; p < j; p++)
          sum -= x[i * n + p] * r[p * n + j];
        x[i * n + j] = sum / r[j * n + j];
      }
}

static void
test_tall_trsm (void)
{
  /* 2600 rows: two halves of 1300, each solved in runs of 512 rows. */
  gsize rows = 2600;
  guint n = 24;
  g_autofree double *y = g_new (double, rows * n);
  g_autofree double *r = g_new0 (double, n * n);
  g_autofree double *want = g_new (double, rows * n);
  g_autofree double *yd = g_new (double, rows * n);
  g_autofree double *yd1 = g_new (double, rows * n);
  g_autofree float *yf = g_new (float, rows * n);
  g_autofree float *yf1 = g_new (float, rows * n);
  g_autofree float *rf = g_new (float, n * n);

  g_test_summary ("Y ← Y R⁻¹ on tall matrices (two halves, runs of rows) equals back substitution "
                  "row by row (double to 1e-13, float to 1e-5), with the same bits on one thread");
  for (gsize e = 0; e < rows * n; e++)
    y[e] = (double) ((e * 7919 % 1000) / 250.0 - 2.0);
  for (guint i = 0; i < n; i++)
    for (guint j = i; j < n; j++)
      r[i * n + j] = i == j ? 2.0 + (i % 3) : ((i * 31 + j * 17) % 11) / 20.0 - 0.25;
  solve_rows (y, r, rows, n, want);
  for (gsize e = 0; e < rows * n; e++)
    yf[e] = (float) (yd[e] = y[e]);
  for (gsize e = 0; e < (gsize) n * n; e++)
    rf[e] = (float) r[e];
  memcpy (yd1, yd, rows * n * sizeof (double));
  memcpy (yf1, yf, rows * n * sizeof (float));
  _es_sparse_tall_dtrsm (rows, n, r, yd);
  _es_sparse_tall_strsm (rows, n, rf, yf);
  _es_sparse_set_n_threads (1);
  _es_sparse_tall_dtrsm (rows, n, r, yd1);
  _es_sparse_tall_strsm (rows, n, rf, yf1);
  _es_sparse_set_n_threads (0);
  for (gsize e = 0; e < rows * n; e++)
    {
      g_assert_cmpfloat_with_epsilon (yd[e], want[e], 1e-13 * (1 + fabs (want[e])));
      g_assert_cmpfloat_with_epsilon (yf[e], want[e], 1e-5 * (1 + fabs (want[e])));
    }
  g_assert_cmpmem (yd, rows * n * sizeof (double), yd1, rows * n * sizeof (double));
  g_assert_cmpmem (yf, rows * n * sizeof (float), yf1, rows * n * sizeof (float));
}

static void
test_svd (void)
{
  g_autoptr(EsSparseMatrix) dtm = read_dtm ();
  g_autoptr(EsSparseMatrix) big = make_matrix (300, 200, 3);
  g_autoptr(EsSparseSvd) svd = NULL;
  g_autoptr(GError) error = NULL;
  EsSparseSvdOptions options;

  g_test_summary ("Randomized SVD: singular values equal LAPACKE's dense SVD to 1e-4, U and V "
                  "orthonormal to 1e-12, A v = σ u, independent of the thread count; k ≥ min is an error");
  check_svd (dtm, 5);
  check_svd (big, 6);

  es_sparse_svd_options_init (&options);
  options.dims = 10;
  svd = es_sparse_svd_compute (dtm, &options, NULL, NULL, NULL, &error);
  g_assert_null (svd);
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT);
}

/* The largest relative difference of the first k singular values from
 * LAPACKE's dense SVD of the same matrix.
 */
static double
svd_error (EsSparseMatrix           *m,
           const EsSparseSvdOptions *options,
           const double             *s,
           EsSparseSvd             **out)
{
  g_autoptr(GError) error = NULL;
  EsSparseSvd *svd = es_sparse_svd_compute (m, options, NULL, NULL, NULL, &error);
  double worst = 0;

  g_assert_no_error (error);
  for (guint c = 0; c < options->dims; c++)
    worst = MAX (worst, fabs (es_sparse_svd_get_singular_values (svd)[c] - s[c]) / s[c]);
  *out = svd;
  return worst;
}

static void
test_svd_krylov (void)
{
  /* Uniform noise, 8 % dense: a Marchenko-Pastur spectrum, flat at the
   * top after σ1 (σ20 / σ40 ≈ 1.1 here), the case power iterations are
   * slow on.
   */
  gsize rows = 700, cols = 500;
  GRand *rand = g_rand_new_with_seed (5);
  g_autoptr(GArray) ri = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) ci = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) v = g_array_new (FALSE, FALSE, sizeof (float));
  g_autoptr(EsSparseMatrix) m = NULL;
  g_autoptr(EsSparseSvd) krylov = NULL;
  g_autoptr(EsSparseSvd) subspace = NULL;
  g_autofree double *dense = NULL;
  g_autofree double *s = g_new (double, cols);
  g_autofree double *superb = g_new (double, cols);
  g_autoptr(GError) error = NULL;
  EsSparseSvdOptions options;
  double err_krylov, err_subspace;

  g_test_summary ("Block Krylov SVD on a flat spectrum: σ1..σ20 equal LAPACKE's dense SVD to 1e-4, "
                  "U and V orthonormal to 1e-12, the reported residual bounds the error; subspace "
                  "iteration with as many products by A is at least 10× further off");
  for (guint32 i = 0; i < rows; i++)
    for (guint32 j = 0; j < cols; j++)
      if (g_rand_double (rand) < 0.08)
        {
          float value = (float) g_rand_double (rand);

          g_array_append_val (ri, i);
          g_array_append_val (ci, j);
          g_array_append_val (v, value);
        }
  g_rand_free (rand);
  m = es_sparse_matrix_new_from_triplets (rows, cols, (guint32 *) ri->data, (guint32 *) ci->data,
                                          (float *) v->data, ri->len, NULL, &error);
  g_assert_no_error (error);
  dense = densify (m);
  g_assert_cmpint (LAPACKE_dgesvd (LAPACK_ROW_MAJOR, 'N', 'N', rows, cols, dense, cols, s,
                                   NULL, 1, NULL, 1, superb), ==, 0);

  es_sparse_svd_options_init (&options);
  options.dims = 20;
  options.power_iterations = 12;
  err_krylov = svd_error (m, &options, s, &krylov);
  g_assert_cmpstr (es_sparse_svd_get_method_name (krylov), ==, "block Krylov");
  /* 24 columns a block, 13 blocks: 312 of 500 dimensions searched. */
  g_assert_cmpuint (es_sparse_svd_get_space_dims (krylov), ==, 24 * 13);
  /* Subspace iteration with the same 26 products by A or Aᵀ (12 power
   * iterations of two, plus the first and the last). */
  options.method = ES_SPARSE_SVD_SUBSPACE;
  err_subspace = svd_error (m, &options, s, &subspace);
  g_test_message ("σ1 %.6g σ20 %.6g σ40 %.6g; relative error: block Krylov %.3g (residual %.3g), "
                  "subspace iteration %.3g", s[0], s[19], s[39], err_krylov,
                  es_sparse_svd_get_max_residual (krylov), err_subspace);
  g_assert_cmpfloat (err_krylov, <=, 1e-4);
  g_assert_cmpfloat (err_krylov, <=, es_sparse_svd_get_max_residual (krylov));
  g_assert_cmpfloat (err_subspace, >=, 10 * err_krylov);
  check_orthonormal (es_sparse_svd_get_u (krylov), rows, 20);
  check_orthonormal (es_sparse_svd_get_v (krylov), cols, 20);
}

/* A rank-@rank matrix: row i is Σ_r c_ir · pattern_r, small integers. */
static EsSparseMatrix *
make_low_rank (gsize rows,
               gsize cols,
               guint rank)
{
  g_autoptr(GArray) ri = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) ci = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) v = g_array_new (FALSE, FALSE, sizeof (float));
  g_autoptr(GError) error = NULL;
  EsSparseMatrix *m;

  for (guint32 i = 0; i < rows; i++)
    for (guint32 j = 0; j < cols; j++)
      {
        float value = 0;

        for (guint r = 0; r < rank; r++)
          value += (float) (((i * 7 + r * 3) % 5) * ((j * 11 + r * 5) % 4 == 0 ? (r + 1) : 0));
        if (value != 0)
          {
            g_array_append_val (ri, i);
            g_array_append_val (ci, j);
            g_array_append_val (v, value);
          }
      }
  m = es_sparse_matrix_new_from_triplets (rows, cols, (guint32 *) ri->data, (guint32 *) ci->data,
                                          (float *) v->data, ri->len, NULL, &error);
  g_assert_no_error (error);
  return m;
}

static void
test_svd_krylov_rank (void)
{
  g_autoptr(EsSparseMatrix) m = make_low_rank (160, 120, 3);
  g_autofree double *dense = densify (m);
  g_autofree double *s = g_new (double, 120);
  g_autofree double *superb = g_new (double, 120);
  g_autoptr(EsSparseSvd) svd = NULL;
  g_autoptr(GError) error = NULL;
  EsSparseSvdOptions options;

  g_test_summary ("Block Krylov on a rank-3 matrix (the Krylov space runs out after one block): "
                  "σ1..σ3 equal LAPACKE's, the rest are zero, U and V stay orthonormal (1e-12)");
  g_assert_cmpint (LAPACKE_dgesvd (LAPACK_ROW_MAJOR, 'N', 'N', 160, 120, dense, 120, s,
                                   NULL, 1, NULL, 1, superb), ==, 0);
  g_assert_cmpfloat (s[3], <, 1e-9 * s[0]);
  es_sparse_svd_options_init (&options);
  options.dims = 10;
  svd = es_sparse_svd_compute (m, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint c = 0; c < 3; c++)
    g_assert_cmpfloat_with_epsilon (es_sparse_svd_get_singular_values (svd)[c], s[c], 1e-4 * s[c]);
  for (guint c = 3; c < 10; c++)
    g_assert_cmpfloat (es_sparse_svd_get_singular_values (svd)[c], <, 1e-5 * s[0]);
  check_orthonormal (es_sparse_svd_get_u (svd), 160, 10);
  check_orthonormal (es_sparse_svd_get_v (svd), 120, 10);
}

static void
test_svd_scipy (void)
{
  g_autoptr(EsSparseMatrix) dtm = read_dtm ();
  g_autoptr(GError) error = NULL;
  g_autoptr(EsSparseSvd) svd = NULL;
  EsSparseSvdOptions options;
  static const double scipy[] = { 25.476108272379307, 17.655293833157582, 15.406176761330572,
                                  14.491372299496128, 13.889975001490724 };

  g_test_summary ("dtm_test.mm's singular values equal numpy's recorded ones");
  es_sparse_svd_options_init (&options);
  options.dims = 5;
  svd = es_sparse_svd_compute (dtm, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint c = 0; c < 5; c++)
    g_assert_cmpfloat_with_epsilon (es_sparse_svd_get_singular_values (svd)[c], scipy[c], 1e-4 * scipy[c]);
}

static void
check_monotone (EsNmf *nmf)
{
  guint n;
  const double *losses = es_nmf_get_losses (nmf, &n);

  g_assert_cmpuint (n, >, 2);
  for (guint i = 1; i < n; i++)
    g_assert_cmpfloat (losses[i], <=, losses[i - 1] * (1 + 1e-12) + 1e-9);
}

static void
test_nmf (void)
{
  g_autoptr(EsSparseMatrix) dtm = read_dtm ();
  g_autoptr(EsNmf) nmf = NULL;
  g_autoptr(EsNmf) random = NULL;
  g_autoptr(GError) error = NULL;
  EsNmfOptions options;

  g_test_summary ("NMF: the loss never increases (NNDSVDa and random starts); after 200 iterations it is "
                  "within 1 % of sklearn's NMF(init='nndsvda', solver='cd') on the same matrix; "
                  "the same bits on one thread");
  es_nmf_options_init (&options);
  options.components = 3;
  options.tolerance = 0;
  options.max_iterations = 200;
  nmf = es_nmf_compute (dtm, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  check_monotone (nmf);
  g_assert_cmpuint (es_nmf_get_iterations (nmf), ==, 200);
  g_assert_cmpfloat_with_epsilon (es_nmf_get_error (nmf), 33.1465218, 0.01 * 33.1465218);
  for (gsize i = 0; i < 10 * 3; i++)
    g_assert_cmpfloat (es_nmf_get_w (nmf)[i], >=, 0);

  /* One thread gives the same bits. */
  {
    g_autoptr(EsNmf) one = NULL;

    _es_sparse_set_n_threads (1);
    one = es_nmf_compute (dtm, &options, NULL, NULL, NULL, &error);
    _es_sparse_set_n_threads (0);
    g_assert_no_error (error);
    g_assert_cmpmem (es_nmf_get_w (one), 10 * 3 * sizeof (double), es_nmf_get_w (nmf), 10 * 3 * sizeof (double));
    g_assert_cmpmem (es_nmf_get_ht (one), 546 * 3 * sizeof (double), es_nmf_get_ht (nmf), 546 * 3 * sizeof (double));
  }

  options.init = ES_NMF_INIT_RANDOM;
  options.components = 5;
  options.max_iterations = 100;
  random = es_nmf_compute (dtm, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  check_monotone (random);
}

/* Reference HALS half-step in plain double loops on dense matrices:
 * @a (rows × k) ← its row-by-row coordinate minimisers for X ≈ @a @bᵀ
 * with X @x (rows × cols), each value rounded to float32 as the engine
 * stores them (Cichocki & Phan 2009).
 */
static void
reference_hals (double       *a,
                const double *x,
                const double *b,
                gsize         rows,
                gsize         cols,
                guint         k)
{
  g_autofree double *g = g_new0 (double, k * k);
  g_autofree double *p = g_new0 (double, k);

  for (guint r = 0; r < k; r++)
    for (guint s = 0; s < k; s++)
      for (gsize j = 0; j < cols; j++)
        g[r * k + s] += b[j * k + r] * b[j * k + s];
  for (gsize i = 0; i < rows; i++)
    {
      for (guint r = 0; r < k; r++)
        {
          p[r] = 0;
          for (gsize j = 0; j < cols; j++)
            p[r] += x[i * cols + j] * b[j * k + r];
        }
      for (guint r = 0; r < k; r++)
        {
          double num = p[r];

          for (guint s = 0; s < k; s++)
            num -= g[r * k + s] * a[i * k + s];
          if (g[r * k + r] > 0)
            a[i * k + r] = (float) MAX (0.0, a[i * k + r] + num / g[r * k + r]);
        }
    }
}

static double
dense_loss (const double *x,
            const double *w,
            const double *ht,
            gsize         rows,
            gsize         cols,
            guint         k)
{
  double loss = 0;

  for (gsize i = 0; i < rows; i++)
    for (gsize j = 0; j < cols; j++)
      {
        double e = x[i * cols + j];

        for (guint r = 0; r < k; r++)
          e -= w[i * k + r] * ht[j * k + r];
        loss += e * e;
      }
  return loss;
}

static void
test_nmf_reference (void)
{
  const gsize m = 157, n = 93;
  static const guint ks[] = { 5, 12, 50 };
  g_autofree double *x = g_new0 (double, m * n);
  g_autofree double *xt = g_new0 (double, m * n);
  g_autoptr(GArray) ri = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) ci = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) vi = g_array_new (FALSE, FALSE, sizeof (float));
  g_autoptr(EsSparseMatrix) sx = NULL;
  g_autoptr(GError) error = NULL;
  guint64 state = 11;
  double mean = 0;

  g_test_summary ("NMF's first iterations (balanced chunks, rows two at a time) equal plain HALS loops "
                  "on the dense matrix, its initial and later losses the dense ‖X − WH‖², for k = 5, 12, 50; "
                  "the same bits on one thread");
  /* The first 12 rows full, the rest ~15 %: chunks of very different row counts. */
  for (guint32 i = 0; i < m; i++)
    for (guint32 j = 0; j < n; j++)
      {
        state = state * 6364136223846793005u + 1442695040888963407u;
        if (i < 12 || (state >> 33) % 100 < 15)
          {
            float v = (float) ((state >> 40) % 997 + 1) / 100.0f;

            x[i * n + j] = xt[j * m + i] = v;
            mean += v;
            g_array_append_val (ri, i);
            g_array_append_val (ci, j);
            g_array_append_val (vi, v);
          }
      }
  mean /= (double) m * n;
  sx = es_sparse_matrix_new_from_triplets (m, n, (guint32 *) ri->data, (guint32 *) ci->data,
                                           (float *) vi->data, ri->len, NULL, &error);
  g_assert_no_error (error);

  for (guint t = 0; t < G_N_ELEMENTS (ks); t++)
    {
      guint k = ks[t];
      g_autofree double *w = g_new (double, m * k);
      g_autofree double *ht = g_new (double, n * k);
      g_autoptr(EsNmf) nmf = NULL;
      g_autoptr(EsNmf) one = NULL;
      EsNmfOptions options;
      guint64 seed = 5;
      double scale = sqrt (mean / k), big = 0, reference[3];
      const double *losses;
      guint count;

      /* The random start as es-nmf.h defines it: Ht, then W. */
      for (gsize i = 0; i < n * k; i++)
        ht[i] = (float) (scale * fabs (_es_sparse_rand_normal (&seed)));
      for (gsize i = 0; i < m * k; i++)
        w[i] = (float) (scale * fabs (_es_sparse_rand_normal (&seed)));
      reference[0] = dense_loss (x, w, ht, m, n, k);
      for (guint it = 1; it <= 2; it++)
        {
          reference_hals (w, x, ht, m, n, k);
          reference_hals (ht, xt, w, n, m, k);
          reference[it] = dense_loss (x, w, ht, m, n, k);
        }

      es_nmf_options_init (&options);
      options.components = k;
      options.init = ES_NMF_INIT_RANDOM;
      options.seed = 5;
      options.tolerance = 0;
      options.max_iterations = 2;
      nmf = es_nmf_compute (sx, &options, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      losses = es_nmf_get_losses (nmf, &count);
      g_assert_cmpuint (count, ==, 3);
      for (guint it = 0; it < 3; it++)
        g_assert_cmpfloat_with_epsilon (losses[it], reference[it], 1e-9 * reference[it]);
      for (gsize i = 0; i < m * k; i++)
        big = MAX (big, w[i]);
      for (gsize i = 0; i < m * k; i++)
        g_assert_cmpfloat_with_epsilon (es_nmf_get_w (nmf)[i], w[i], 1e-5 * big);
      big = 0;
      for (gsize i = 0; i < n * k; i++)
        big = MAX (big, ht[i]);
      for (gsize i = 0; i < n * k; i++)
        g_assert_cmpfloat_with_epsilon (es_nmf_get_ht (nmf)[i], ht[i], 1e-5 * big);

      _es_sparse_set_n_threads (1);
      one = es_nmf_compute (sx, &options, NULL, NULL, NULL, &error);
      _es_sparse_set_n_threads (0);
      g_assert_no_error (error);
      g_assert_cmpmem (es_nmf_get_w (one), m * k * sizeof (double), es_nmf_get_w (nmf), m * k * sizeof (double));
      g_assert_cmpmem (es_nmf_get_ht (one), n * k * sizeof (double), es_nmf_get_ht (nmf), n * k * sizeof (double));
      g_assert_cmpmem (es_nmf_get_losses (one, &count), 3 * sizeof (double), losses, 3 * sizeof (double));
    }
}

static void
test_nmf_planted (void)
{
  /* X = W H exactly, W 60 × 3 and H 3 × 40 non-negative and sparse. */
  g_autoptr(GArray) ri = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) ci = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) v = g_array_new (FALSE, FALSE, sizeof (float));
  g_autoptr(EsSparseMatrix) x = NULL;
  g_autoptr(EsNmf) nmf = NULL;
  g_autoptr(GError) error = NULL;
  EsNmfOptions options;

  g_test_summary ("Planted non-negative factors are recovered (relative error < 1e-3)");
  for (guint32 i = 0; i < 60; i++)
    for (guint32 j = 0; j < 40; j++)
      {
        float value = 0;

        for (guint r = 0; r < 3; r++)
          {
            float w = (i % 3 == r || i % 7 == r) ? 1.0f + (i % 5) : 0.0f;
            float h = (j % 3 == r) ? 2.0f + (j % 4) : 0.0f;
            value += w * h;
          }
        if (value != 0)
          {
            g_array_append_val (ri, i);
            g_array_append_val (ci, j);
            g_array_append_val (v, value);
          }
      }
  x = es_sparse_matrix_new_from_triplets (60, 40, (guint32 *) ri->data, (guint32 *) ci->data,
                                          (float *) v->data, ri->len, NULL, &error);
  g_assert_no_error (error);
  es_nmf_options_init (&options);
  options.components = 3;
  options.tolerance = 0;
  options.max_iterations = 500;
  nmf = es_nmf_compute (x, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (es_nmf_get_error (nmf), <, 1e-3 * sqrt (es_sparse_matrix_frobenius_sq (x)));
}

static void
test_nmf_negative (void)
{
  static const guint32 ri[] = { 0, 1, 2 }, ci[] = { 0, 1, 2 };
  static const float v[] = { 1, -2, 3 };
  g_autoptr(GError) error = NULL;
  g_autoptr(EsSparseMatrix) x = es_sparse_matrix_new_from_triplets (3, 3, ri, ci, v, 3, NULL, &error);
  g_autoptr(EsNmf) nmf = NULL;
  EsNmfOptions options;

  g_test_summary ("A negative entry is refused with a message");
  es_nmf_options_init (&options);
  options.components = 1;
  nmf = es_nmf_compute (x, &options, NULL, NULL, NULL, &error);
  g_assert_null (nmf);
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "non-negative"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sparse/weighting/ppmi-tfidf", test_ppmi);
  g_test_add_func ("/sparse/spmm/dense-reference", test_spmm);
  g_test_add_func ("/sparse/svd/tall-trsm", test_tall_trsm);
  g_test_add_func ("/sparse/svd/dense-reference", test_svd);
  g_test_add_func ("/sparse/svd/numpy", test_svd_scipy);
  g_test_add_func ("/sparse/svd/block-krylov", test_svd_krylov);
  g_test_add_func ("/sparse/svd/block-krylov-rank", test_svd_krylov_rank);
  g_test_add_func ("/sparse/nmf/sklearn", test_nmf);
  g_test_add_func ("/sparse/nmf/planted", test_nmf_planted);
  g_test_add_func ("/sparse/nmf/reference", test_nmf_reference);
  g_test_add_func ("/sparse/nmf/negative", test_nmf_negative);
  return g_test_run ();
}
