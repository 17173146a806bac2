/* test-projection.c: PCA, SVD and identity against independent references
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "es-engine.h"
#include "projection-test-util.h"

/* rows x dims float data: anisotropic Gaussian-ish noise around an offset,
 * from a fixed seed so every run sees the same numbers.
 */
static float *
make_data (gsize  rows,
           gsize  dims,
           double offset,
           guint  seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  float *data = g_new (float, rows * dims);

  for (gsize i = 0; i < rows; i++)
    {
      double shared = g_rand_double_range (rand, -1.0, 1.0);

      for (gsize j = 0; j < dims; j++)
        {
          /* Column j has spread ~ 1 / (j + 1) plus one shared direction. */
          double noise = g_rand_double_range (rand, -1.0, 1.0) / (j + 1);

          data[i * dims + j] = (float) (offset + j + noise + shared * (j % 3) * 0.7);
        }
    }

  return data;
}

static EsEmbeddingSet *
make_set (gsize        rows,
          gsize        dims,
          const float *data)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);

  for (gsize i = 0; i < rows; i++)
    g_ptr_array_add (words, g_strdup_printf ("w%" G_GSIZE_FORMAT, i));
  g_ptr_array_add (words, NULL);

  return es_embedding_set_new_from_arrays (rows, dims, (const char * const *) words->pdata, data);
}

static EsProjection *
compute (EsEmbeddingSet *set,
         EsMethod        method,
         guint           k,
         gboolean        center,
         gboolean        normalize)
{
  EsProjectionOptions options;
  g_autoptr(GError) error = NULL;
  EsProjection *projection;

  es_projection_options_init (&options);
  options.method = method;
  options.n_components = k;
  options.center = center;
  options.normalize = normalize;

  projection = es_projection_compute (set, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (projection);

  return projection;
}

/* The rows as the method sees them, in double: masked rows dropped,
 * normalised when asked; returns the count and their mean.
 */
static double *
independent_rows (EsEmbeddingSet *set,
                  gboolean        normalize,
                  gsize          *n_out,
                  double        **mean_out)
{
  gsize rows = es_embedding_set_get_rows (set);
  gsize dims = es_embedding_set_get_dims (set);
  double *x = g_new0 (double, rows * dims);
  double *mean = g_new0 (double, dims);
  gsize n = 0;

  for (gsize i = 0; i < rows; i++)
    {
      const float *v = es_embedding_set_get_vector (set, i);
      double norm = 0.0;
      gboolean finite = TRUE;

      for (gsize j = 0; j < dims; j++)
        {
          finite = finite && isfinite (v[j]);
          norm += (double) v[j] * v[j];
        }
      if (!finite)
        continue;
      norm = normalize && norm > 0.0 ? sqrt (norm) : 1.0;
      for (gsize j = 0; j < dims; j++)
        {
          x[n * dims + j] = v[j] / norm;
          mean[j] += x[n * dims + j];
        }
      n++;
    }

  for (gsize j = 0; j < dims; j++)
    mean[j] /= n;

  *n_out = n;
  *mean_out = mean;

  return x;
}

static void
assert_orthonormal (const double *v,
                    guint         k,
                    gsize         dims)
{
  for (guint a = 0; a < k; a++)
    for (guint b = 0; b < k; b++)
      {
        double d = 0.0;

        for (gsize j = 0; j < dims; j++)
          d += v[a * dims + j] * v[b * dims + j];
        g_assert_cmpfloat_with_epsilon (d, a == b ? 1.0 : 0.0, 1e-6);
      }
}

static void
assert_sign_convention (const double *v,
                        guint         k,
                        gsize         dims)
{
  for (guint c = 0; c < k; c++)
    {
      gsize best = 0;

      for (gsize j = 1; j < dims; j++)
        if (fabs (v[c * dims + j]) > fabs (v[c * dims + best]))
          best = j;
      g_assert_cmpfloat (v[c * dims + best], >, 0.0);
    }
}

/* Checks @projection (PCA, or SVD when @svd) against C, the covariance or
 * Gram matrix computed here in plain double loops: C v = lambda v, the
 * components orthonormal, the ratios lambda / trace (C), and every
 * coordinate equal to (x - mean) . v.
 */
static void
check_decomposition (EsEmbeddingSet     *set,
                     const EsProjection *projection,
                     gboolean            svd,
                     gboolean            center,
                     gboolean            normalize)
{
  gsize rows = es_embedding_set_get_rows (set);
  gsize dims = es_embedding_set_get_dims (set);
  guint k = es_projection_get_n_components (projection);
  const double *v = es_projection_get_components (projection);
  const float *coords = es_projection_get_coords (projection);
  g_autofree double *mean = NULL;
  g_autofree double *x = NULL;
  g_autofree double *c = g_new0 (double, dims * dims);
  const double *values;
  double trace = 0.0, lambda_max = 0.0, coord_scale = 0.0, max_coord_error = 0.0;
  gsize n, valid_seen = 0;
  guint n_values;

  x = independent_rows (set, normalize, &n, &mean);
  g_assert_cmpuint (es_projection_get_n_fitted (projection), ==, n);

  for (gsize i = 0; i < n; i++)
    for (gsize a = 0; a < dims; a++)
      for (gsize b = 0; b < dims; b++)
        {
          double xa = x[i * dims + a] - (center ? mean[a] : 0.0);
          double xb = x[i * dims + b] - (center ? mean[b] : 0.0);

          c[a * dims + b] += xa * xb / (svd ? 1.0 : (double) (n - 1));
        }
  for (gsize a = 0; a < dims; a++)
    trace += c[a * dims + a];

  if (center)
    {
      const double *m = es_projection_get_mean (projection);

      g_assert_nonnull (m);
      for (gsize j = 0; j < dims; j++)
        g_assert_cmpfloat_with_epsilon (m[j], mean[j], 1e-9 * (1.0 + fabs (mean[j])));
    }
  else
    g_assert_null (es_projection_get_mean (projection));

  assert_orthonormal (v, k, dims);
  assert_sign_convention (v, k, dims);

  if (svd)
    values = es_projection_get_singular_values (projection, &n_values);
  else
    values = es_projection_get_eigenvalues (projection, &n_values);
  g_assert_nonnull (values);
  g_assert_cmpuint (n_values, ==, k);
  lambda_max = svd ? values[0] * values[0] : values[0];

  for (guint comp = 0; comp < k; comp++)
    {
      double lambda = svd ? values[comp] * values[comp] : values[comp];

      if (comp > 0)
        g_assert_cmpfloat (values[comp], <=, values[comp - 1]);
      for (gsize a = 0; a < dims; a++)
        {
          double r = -lambda * v[comp * dims + a];

          for (gsize b = 0; b < dims; b++)
            r += c[a * dims + b] * v[comp * dims + b];
          g_assert_cmpfloat (fabs (r), <, 1e-6 * lambda_max);
        }
    }

  if (!svd)
    {
      const double *ratio = es_projection_get_explained_variance_ratio (projection, NULL);
      const double *cumulative = es_projection_get_cumulative_ratio (projection, NULL);
      double sum = 0.0;

      for (guint comp = 0; comp < k; comp++)
        {
          sum += values[comp] / trace;
          /* Products are summed in float within a row block: ~1e-7. */
          g_assert_cmpfloat_with_epsilon (ratio[comp], values[comp] / trace, 1e-6);
          g_assert_cmpfloat_with_epsilon (cumulative[comp], sum, 1e-6);
        }
      if (k == dims)
        g_assert_cmpfloat_with_epsilon (cumulative[k - 1], 1.0, 1e-6);
    }
  else
    {
      guint n_ratio = 99;

      g_assert_null (es_projection_get_explained_variance_ratio (projection, &n_ratio));
      g_assert_cmpuint (n_ratio, ==, 0);
    }

  /* Coordinates: (x - mean) . v for the valid rows, in the same order. */
  for (gsize i = 0; i < n * dims; i++)
    coord_scale = MAX (coord_scale, fabs (x[i] - (center ? mean[i % dims] : 0.0)));
  for (gsize i = 0; i < rows; i++)
    {
      if (!es_embedding_set_is_row_valid (set, i))
        {
          for (guint comp = 0; comp < k; comp++)
            g_assert_true (isnan (coords[i * k + comp]));
          continue;
        }
      for (guint comp = 0; comp < k; comp++)
        {
          double expected = 0.0;

          for (gsize j = 0; j < dims; j++)
            expected += (x[valid_seen * dims + j] - (center ? mean[j] : 0.0)) * v[comp * dims + j];
          max_coord_error = MAX (max_coord_error, fabs (coords[i * k + comp] - expected));
        }
      valid_seen++;
    }
  g_test_message ("largest coordinate error %.3g (coordinate scale %.3g)", max_coord_error, coord_scale);
  g_assert_cmpfloat (max_coord_error, <, 1e-5 * coord_scale * sqrt (dims));
}

static void
test_projection_method_strings (void)
{
  static const EsMethod methods[] = {
    ES_METHOD_PCA, ES_METHOD_SVD, ES_METHOD_AXES, ES_METHOD_IDENTITY,
  };
  EsProjectionOptions options;
  EsMethod method = ES_METHOD_AXES;

  g_test_summary ("Method names round-trip; options start as PCA with no pre-processing");

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      g_assert_true (es_method_from_string (es_method_to_string (methods[i]), &method));
      g_assert_cmpint (method, ==, methods[i]);
    }
  g_assert_cmpstr (es_method_to_string (ES_METHOD_PCA), ==, "pca");
  g_assert_cmpstr (es_method_to_string (ES_METHOD_SVD), ==, "svd");
  g_assert_false (es_method_from_string ("lda", &method));
  g_assert_true (es_method_from_string ("tsne", &method) && method == ES_METHOD_TSNE);
  g_assert_true (es_method_from_string ("umap", &method) && method == ES_METHOD_UMAP);
  g_assert_false (es_method_from_string ("PCA ", &method));
  g_assert_false (es_method_from_string (NULL, &method));

  memset (&options, 0xff, sizeof options);
  es_projection_options_init (&options);
  g_assert_cmpint (options.method, ==, ES_METHOD_PCA);
  g_assert_false (options.center);
  g_assert_false (options.normalize);
  g_assert_false (options.orthogonalize);
  g_assert_cmpuint (options.n_components, ==, 0);
  g_assert_null (options.axes);
  g_assert_null (options.columns);
  g_assert_cmpuint (options.n_columns, ==, 0);
}

static void
test_projection_pca_identities (void)
{
  /* 5000 rows spans several row blocks, so block accumulation is covered. */
  const gsize rows = 5000, dims = 8;
  g_autofree float *data = make_data (rows, dims, 10.0, 1);
  g_autoptr(EsEmbeddingSet) set = make_set (rows, dims, data);
  g_autoptr(EsProjection) all = compute (set, ES_METHOD_PCA, dims, FALSE, FALSE);
  g_autoptr(EsProjection) three = compute (set, ES_METHOD_PCA, 3, FALSE, FALSE);
  g_autoptr(EsProjection) normalized = compute (set, ES_METHOD_PCA, 4, FALSE, TRUE);
  g_autoptr(EsProjection) defaults = compute (set, ES_METHOD_PCA, 0, FALSE, FALSE);

  g_test_summary ("PCA: C v = lambda v for the covariance computed independently, "
                  "orthonormal components, ratios of the trace, coords = (x - mean) . v, "
                  "and normalisation happens before centring");

  g_assert_cmpint (es_projection_get_method (all), ==, ES_METHOD_PCA);
  g_assert_cmpuint (es_projection_get_rows (all), ==, rows);
  g_assert_cmpuint (es_projection_get_dims (all), ==, dims);
  check_decomposition (set, all, FALSE, TRUE, FALSE);
  check_decomposition (set, three, FALSE, TRUE, FALSE);
  check_decomposition (set, normalized, FALSE, TRUE, TRUE);

  /* 0 components means min (10, dims). */
  g_assert_cmpuint (es_projection_get_n_components (defaults), ==, dims);

  /* The top 3 of a full decomposition are the 3-component decomposition. */
  for (gsize i = 0; i < 3 * dims; i++)
    g_assert_cmpfloat_with_epsilon (es_projection_get_components (three)[i],
                                    es_projection_get_components (all)[i], 1e-9);
}

static void
test_projection_pca_mean_row (void)
{
  const gsize rows = 101, dims = 5;
  g_autofree float *data = make_data (rows, dims, 3.0, 2);
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(EsProjection) projection = NULL;
  const float *coords;
  double mean[5] = { 0 };

  g_test_summary ("PCA: a row equal to the mean projects to the origin");

  /* The last row is set to the mean of the others, which leaves the mean
   * unchanged.
   */
  for (gsize i = 0; i < rows - 1; i++)
    for (gsize j = 0; j < dims; j++)
      mean[j] += data[i * dims + j] / (double) (rows - 1);
  for (gsize j = 0; j < dims; j++)
    data[(rows - 1) * dims + j] = (float) mean[j];

  set = make_set (rows, dims, data);
  projection = compute (set, ES_METHOD_PCA, 3, FALSE, FALSE);
  coords = es_projection_get_coords (projection);
  for (guint c = 0; c < 3; c++)
    g_assert_cmpfloat (fabs (coords[(rows - 1) * 3 + c]), <, 1e-5);

  /* And the coordinates of all rows sum to zero. */
  for (guint c = 0; c < 3; c++)
    {
      double sum = 0.0;

      for (gsize i = 0; i < rows; i++)
        sum += coords[i * 3 + c];
      g_assert_cmpfloat (fabs (sum), <, 1e-4);
    }
}

static void
test_projection_svd_identities (void)
{
  const gsize rows = 3000, dims = 7;
  g_autofree float *data = make_data (rows, dims, 0.5, 3);
  g_autoptr(EsEmbeddingSet) set = make_set (rows, dims, data);
  g_autoptr(EsProjection) raw = compute (set, ES_METHOD_SVD, 4, FALSE, FALSE);
  g_autoptr(EsProjection) normalized = compute (set, ES_METHOD_SVD, dims, FALSE, TRUE);
  g_autoptr(EsProjection) centred = compute (set, ES_METHOD_SVD, 5, TRUE, FALSE);
  g_autoptr(EsProjection) pca = compute (set, ES_METHOD_PCA, 5, FALSE, FALSE);
  const double *sv, *eig;

  g_test_summary ("SVD: X^T X v = s^2 v for the Gram matrix computed independently; "
                  "no centring unless asked, and a centred SVD is PCA");

  check_decomposition (set, raw, TRUE, FALSE, FALSE);
  check_decomposition (set, normalized, TRUE, FALSE, TRUE);
  check_decomposition (set, centred, TRUE, TRUE, FALSE);
  g_assert_null (es_projection_get_eigenvalues (raw, NULL));

  /* s^2 / (n - 1) of the centred data are the PCA eigenvalues. */
  sv = es_projection_get_singular_values (centred, NULL);
  eig = es_projection_get_eigenvalues (pca, NULL);
  for (guint c = 0; c < 5; c++)
    g_assert_cmpfloat_with_epsilon (sv[c] * sv[c] / (rows - 1), eig[c], 1e-9 * eig[0]);
  for (gsize i = 0; i < 5 * dims; i++)
    g_assert_cmpfloat_with_epsilon (es_projection_get_components (centred)[i],
                                    es_projection_get_components (pca)[i], 1e-7);
}

static void
test_projection_nan_rows (void)
{
  const gsize rows = 300, dims = 6;
  const gsize bad[] = { 17, 250 };
  g_autofree float *data = make_data (rows, dims, 1.0, 4);
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(EsEmbeddingSet) clean = NULL;
  g_autofree gsize *keep = g_new (gsize, rows);
  gsize n_keep = 0;

  g_test_summary ("Rows with NaN or Inf are left out of the fit and get NaN coordinates; "
                  "the fit equals the one without those rows");

  data[bad[0] * dims + 2] = NAN;
  data[bad[1] * dims + 0] = INFINITY;
  set = make_set (rows, dims, data);
  for (gsize i = 0; i < rows; i++)
    if (i != bad[0] && i != bad[1])
      keep[n_keep++] = i;
  clean = es_embedding_set_subset (set, keep, n_keep);
  g_assert_cmpuint (es_embedding_set_get_n_valid (clean), ==, rows - 2);

  for (guint m = 0; m < 2; m++)
    {
      EsMethod method = m == 0 ? ES_METHOD_PCA : ES_METHOD_SVD;
      g_autoptr(EsProjection) masked = compute (set, method, 4, FALSE, TRUE);
      g_autoptr(EsProjection) reference = compute (clean, method, 4, FALSE, TRUE);
      const double *a, *b;
      const float *ca = es_projection_get_coords (masked);
      const float *cb = es_projection_get_coords (reference);

      g_assert_cmpuint (es_projection_get_n_fitted (masked), ==, rows - 2);
      g_assert_cmpuint (es_projection_get_rows (masked), ==, rows);
      check_decomposition (set, masked, method == ES_METHOD_SVD, method == ES_METHOD_PCA, TRUE);

      if (method == ES_METHOD_PCA)
        {
          a = es_projection_get_eigenvalues (masked, NULL);
          b = es_projection_get_eigenvalues (reference, NULL);
        }
      else
        {
          a = es_projection_get_singular_values (masked, NULL);
          b = es_projection_get_singular_values (reference, NULL);
        }
      for (guint c = 0; c < 4; c++)
        g_assert_cmpfloat_with_epsilon (a[c], b[c], 1e-6 * b[0]);
      for (gsize i = 0; i < 4 * dims; i++)
        g_assert_cmpfloat_with_epsilon (es_projection_get_components (masked)[i],
                                        es_projection_get_components (reference)[i], 1e-6);

      for (guint c = 0; c < 4; c++)
        {
          g_assert_true (isnan (ca[bad[0] * 4 + c]));
          g_assert_true (isnan (ca[bad[1] * 4 + c]));
        }
      for (gsize i = 0; i < n_keep; i++)
        for (guint c = 0; c < 4; c++)
          g_assert_cmpfloat_with_epsilon (ca[keep[i] * 4 + c], cb[i * 4 + c], 1e-5);
    }
}

static void
test_projection_identity (void)
{
  static const float data[] = {
    1, 2, 3, 4,
    -2, 0.5f, 8, 1,
    0, 0, 0, 0,
    NAN, 1, 1, 1,
    3, -4, 0, 12,
  };
  static const guint columns[] = { 3, 0, 3 };
  static const guint bad_columns[] = { 1, 4 };
  g_autoptr(EsEmbeddingSet) set = make_set (5, 4, data);
  g_autoptr(GError) error = NULL;
  EsProjectionOptions options;
  double mean3 = (4 + 1 + 0 + 12) / 4.0, mean0 = (1 - 2 + 0 + 3) / 4.0;

  g_test_summary ("Identity: the chosen columns as they are (repeats allowed), "
                  "centred or normalised only when asked; a column out of range is an error");

  es_projection_options_init (&options);
  options.method = ES_METHOD_IDENTITY;
  options.columns = columns;
  options.n_columns = G_N_ELEMENTS (columns);

  for (guint variant = 0; variant < 3; variant++)
    {
      g_autoptr(EsProjection) projection = NULL;
      const float *coords;
      const double *components;

      options.center = variant == 1;
      options.normalize = variant == 2;
      projection = es_projection_compute (set, &options, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      coords = es_projection_get_coords (projection);
      components = es_projection_get_components (projection);

      g_assert_cmpuint (es_projection_get_n_components (projection), ==, 3);
      g_assert_cmpuint (es_projection_get_n_fitted (projection), ==, 4);
      g_assert_cmpfloat (components[0 * 4 + 3], ==, 1.0);
      g_assert_cmpfloat (components[1 * 4 + 0], ==, 1.0);
      g_assert_cmpfloat (components[0 * 4 + 0], ==, 0.0);
      g_assert_null (es_projection_get_eigenvalues (projection, NULL));
      g_assert_null (es_projection_get_singular_values (projection, NULL));
      g_assert_true (isnan (coords[3 * 3 + 0]));

      for (gsize i = 0; i < 5; i++)
        {
          const float *v = data + i * 4;
          double expected3 = v[3], expected0 = v[0];

          if (i == 3)
            continue;
          if (variant == 1)
            {
              expected3 -= mean3;
              expected0 -= mean0;
            }
          if (variant == 2 && i != 2)
            {
              double norm = sqrt (v[0] * v[0] + v[1] * v[1] + v[2] * v[2] + v[3] * v[3]);

              expected3 /= norm;
              expected0 /= norm;
            }
          if (variant == 0)
            {
              /* As they are means bit-exact. */
              g_assert_cmpfloat (coords[i * 3 + 0], ==, v[3]);
              g_assert_cmpfloat (coords[i * 3 + 1], ==, v[0]);
            }
          g_assert_cmpfloat_with_epsilon (coords[i * 3 + 0], expected3, 1e-6);
          g_assert_cmpfloat_with_epsilon (coords[i * 3 + 1], expected0, 1e-6);
          g_assert_cmpfloat (coords[i * 3 + 2], ==, coords[i * 3 + 0]);
        }

      if (variant == 1)
        g_assert_cmpfloat_with_epsilon (es_projection_get_mean (projection)[3], mean3, 1e-12);
      else
        g_assert_null (es_projection_get_mean (projection));
    }

  options.center = FALSE;
  options.normalize = FALSE;
  options.columns = bad_columns;
  options.n_columns = G_N_ELEMENTS (bad_columns);
  g_assert_null (es_projection_compute (set, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "column 4"));
  g_clear_error (&error);

  options.n_columns = 0;
  g_assert_null (es_projection_compute (set, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT);
}

static void
assert_compute_fails (EsEmbeddingSet            *set,
                      const EsProjectionOptions *options,
                      GQuark                     domain,
                      int                        code,
                      const char                *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsProjection) projection = es_projection_compute (set, options, NULL, NULL, NULL, &error);

  g_assert_null (projection);
  g_assert_error (error, domain, code);
  g_test_message ("error: %s", error->message);
  if (fragment != NULL)
    g_assert_nonnull (strstr (error->message, fragment));
}

static void
test_projection_errors (void)
{
  static const float one_valid[] = { 1, 2, 3, NAN, 5, 6 };
  static const float same[] = { 1, 2, 3, 1, 2, 3, 1, 2, 3 };
  g_autofree float *data = make_data (20, 4, 0.0, 5);
  g_autoptr(EsEmbeddingSet) set = make_set (20, 4, data);
  g_autoptr(EsEmbeddingSet) single = make_set (2, 3, one_valid);
  g_autoptr(EsEmbeddingSet) equal = make_set (3, 3, same);
  EsProjectionOptions options;

  g_test_summary ("More components than dimensions, fewer than 2 valid rows and zero "
                  "variance are reported as errors, never crashes");

  es_projection_options_init (&options);
  options.n_components = 5;
  assert_compute_fails (set, &options, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT, "5 components");
  options.method = ES_METHOD_SVD;
  assert_compute_fails (set, &options, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT, "4 dimensions");

  options.n_components = 0;
  assert_compute_fails (single, &options, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC, "at least 2 valid rows");
  options.method = ES_METHOD_PCA;
  assert_compute_fails (single, &options, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC, "at least 2 valid rows");
  assert_compute_fails (equal, &options, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC, "variance is zero");

  options.method = ES_METHOD_AXES;
  assert_compute_fails (set, &options, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT, "2 or 3");
}

typedef struct
{
  GCancellable *cancellable;
  double cancel_at;
  double last;
  guint calls;
} ProgressData;

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  ProgressData *pd = user_data;

  g_assert_cmpfloat (fraction, >=, pd->last);
  g_assert_cmpfloat (fraction, <=, 1.0);
  pd->last = fraction;
  pd->calls++;
  if (pd->cancellable != NULL && fraction >= pd->cancel_at)
    g_cancellable_cancel (pd->cancellable);
}

static void
test_projection_cancel_progress (void)
{
  static const guint columns[] = { 1, 2 };
  const gsize rows = 20000, dims = 16;
  g_autofree float *data = make_data (rows, dims, 0.0, 6);
  g_autoptr(EsEmbeddingSet) set = make_set (rows, dims, data);
  EsMethod methods[] = { ES_METHOD_PCA, ES_METHOD_SVD, ES_METHOD_IDENTITY };
  EsProjectionOptions options;

  g_test_summary ("Progress rises from 0 to 1; a cancelled job (before or during the "
                  "work) returns G_IO_ERROR_CANCELLED");

  es_projection_options_init (&options);
  options.columns = columns;
  options.n_columns = 2;
  options.center = TRUE;

  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(EsProjection) done = NULL;
      ProgressData pd = { NULL, 2.0, 0.0, 0 };

      options.method = methods[m];

      done = es_projection_compute (set, &options, cancellable, progress_cb, &pd, &error);
      g_assert_no_error (error);
      g_assert_cmpfloat (pd.last, ==, 1.0);
      g_assert_cmpuint (pd.calls, >, 10);

      /* Cancelled half-way, from the progress callback. */
      pd = (ProgressData) { cancellable, 0.5, 0.0, 0 };
      g_assert_null (es_projection_compute (set, &options, cancellable, progress_cb, &pd, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_cmpfloat (pd.last, <, 1.0);
      g_clear_error (&error);

      /* Cancelled before it starts. */
      g_assert_null (es_projection_compute (set, &options, cancellable, NULL, NULL, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    }
}

static void
async_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (source);
  *out = g_object_ref (result);
}

/* Frees @options and @strings as soon as the job is started, poisoned
 * first, to show that the job works on its own copy.
 */
EsProjection *
projection_test_compute_async (EsEmbeddingSet      *set,
                               EsProjectionOptions *options,
                               char               **strings,
                               GCancellable        *cancellable,
                               GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  es_projection_compute_async (set, options, cancellable, NULL, NULL, async_done_cb, &result);
  memset (options, 0xaa, sizeof *options);
  g_free (options);
  for (guint i = 0; strings != NULL && strings[i] != NULL; i++)
    memset (strings[i], 'x', strlen (strings[i]));
  g_strfreev (strings);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return es_projection_compute_finish (result, error);
}

static void
test_projection_async (void)
{
  const gsize rows = 4000, dims = 12;
  g_autofree float *data = make_data (rows, dims, 2.0, 7);
  g_autoptr(EsEmbeddingSet) set = make_set (rows, dims, data);
  g_autoptr(EsProjection) sync = compute (set, ES_METHOD_PCA, 6, FALSE, TRUE);
  g_autoptr(EsProjection) async = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  EsProjectionOptions *options = g_new0 (EsProjectionOptions, 1);

  g_test_summary ("The async variant gives the sync result, copies its options, and "
                  "reports cancellation");

  es_projection_options_init (options);
  options->normalize = TRUE;
  options->n_components = 6;
  async = projection_test_compute_async (set, options, NULL, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (es_projection_get_n_components (async), ==, 6);
  for (gsize i = 0; i < rows * 6; i++)
    g_assert_cmpfloat_with_epsilon (es_projection_get_coords (async)[i],
                                    es_projection_get_coords (sync)[i], 1e-6);
  for (guint c = 0; c < 6; c++)
    g_assert_cmpfloat_with_epsilon (es_projection_get_explained_variance_ratio (async, NULL)[c],
                                    es_projection_get_explained_variance_ratio (sync, NULL)[c], 1e-12);

  g_cancellable_cancel (cancellable);
  options = g_new0 (EsProjectionOptions, 1);
  es_projection_options_init (options);
  g_assert_null (projection_test_compute_async (set, options, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/projection/method-strings", test_projection_method_strings);
  g_test_add_func ("/engine/projection/pca/identities", test_projection_pca_identities);
  g_test_add_func ("/engine/projection/pca/mean-row", test_projection_pca_mean_row);
  g_test_add_func ("/engine/projection/svd/identities", test_projection_svd_identities);
  g_test_add_func ("/engine/projection/nan-rows", test_projection_nan_rows);
  g_test_add_func ("/engine/projection/identity", test_projection_identity);
  g_test_add_func ("/engine/projection/errors", test_projection_errors);
  g_test_add_func ("/engine/projection/cancel-progress", test_projection_cancel_progress);
  g_test_add_func ("/engine/projection/async", test_projection_async);
  projection_test_add_reference_tests ();
  projection_test_add_axes_tests ();

  return g_test_run ();
}
