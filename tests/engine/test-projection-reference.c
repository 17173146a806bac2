/* test-projection-reference.c: PCA and SVD of real embeddings against
 * numpy / scikit-learn (tests/reference/make-projection-reference.py)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "es-engine.h"
#include "projection-test-util.h"

typedef struct
{
  const char *name;            /* tests/data/reference/NAME.projection.tsv */
  const char * const *path;    /* under G_TEST_SRCDIR */
} RealFile;

static const char * const kjv_path[] = { "..", "resources", "kjv-hamlet-5k-50d.w2v.txt", NULL };
static const char * const lee_path[] = { "data", "gensim", "lee_fasttext.vec", NULL };

static const RealFile real_files[] = {
  { "kjv-hamlet-5k-50d", kjv_path },
  { "lee_fasttext", lee_path },
};

#define K 10

static EsEmbeddingSet *
load_real (const RealFile *file)
{
  g_autofree char *path = g_build_filenamev ((char **) file->path);
  g_autofree char *full = g_test_build_filename (G_TEST_DIST, path, NULL);

  return projection_test_read_word2vec (full);
}

static char *
reference_path (const RealFile *file)
{
  g_autofree char *base = g_strconcat (file->name, ".projection.tsv", NULL);

  return g_test_build_filename (G_TEST_DIST, "data", "reference", base, NULL);
}

/* The single whole-set record @key: its values, at most @max. */
static guint
reference_values (const RealFile *file,
                  const char     *key,
                  double         *out,
                  guint           max)
{
  g_autofree char *path = reference_path (file);
  g_autoptr(GPtrArray) records = projection_test_read_reference (path, key);

  g_assert_cmpuint (records->len, ==, 1);

  return projection_test_parse_values (g_ptr_array_index (records, 0), 0, out, max);
}

static EsProjection *
compute (EsEmbeddingSet *set,
         EsMethod        method,
         gboolean        normalize)
{
  EsProjectionOptions options;
  g_autoptr(GError) error = NULL;
  EsProjection *projection;

  es_projection_options_init (&options);
  options.method = method;
  options.n_components = K;
  options.normalize = normalize;
  projection = es_projection_compute (set, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  return projection;
}

static void
assert_close (const char   *what,
              const double *ours,
              const double *reference,
              guint         n,
              double        tolerance,
              gboolean      relative)
{
  double worst = 0.0;

  for (guint i = 0; i < n; i++)
    {
      double diff = fabs (ours[i] - reference[i]);

      if (relative)
        diff /= fabs (reference[i]);
      worst = MAX (worst, diff);
      if (diff > tolerance)
        g_error ("%s[%u]: %.10g, reference %.10g (difference %.3g > %.3g)",
                 what, i, ours[i], reference[i], diff, tolerance);
    }
  g_test_message ("%s: largest %s difference %.3g", what, relative ? "relative" : "absolute", worst);
}

/* Coordinates of the named rows, compared per component up to one sign. */
static void
assert_coords (const RealFile     *file,
               const char         *key,
               EsEmbeddingSet     *set,
               const EsProjection *projection)
{
  g_autofree char *path = reference_path (file);
  g_autoptr(GPtrArray) records = projection_test_read_reference (path, key);
  const float *coords = es_projection_get_coords (projection);
  guint k = es_projection_get_n_components (projection);
  g_autofree double *reference = g_new (double, records->len * K);
  g_autofree gsize *rows = g_new (gsize, records->len);
  double worst = 0.0;

  g_assert_cmpuint (k, ==, K);

  for (guint r = 0; r < records->len; r++)
    {
      char **fields = g_ptr_array_index (records, r);

      rows[r] = g_ascii_strtoull (fields[0], NULL, 10);
      g_assert_cmpstr (es_embedding_set_get_word (set, rows[r]), ==, fields[1]);
      g_assert_cmpuint (projection_test_parse_values (fields, 2, reference + r * K, K), ==, K);
    }

  for (guint c = 0; c < K; c++)
    {
      double agreement = 0.0, sign;

      for (guint r = 0; r < records->len; r++)
        agreement += coords[rows[r] * k + c] * reference[r * K + c];
      sign = agreement < 0.0 ? -1.0 : 1.0;

      for (guint r = 0; r < records->len; r++)
        {
          double diff = fabs (sign * coords[rows[r] * k + c] - reference[r * K + c]);

          worst = MAX (worst, diff);
          if (diff > 1e-3)
            g_error ("%s %s: row %" G_GSIZE_FORMAT " component %u: %.6g, reference %.6g",
                     file->name, key, rows[r], c, sign * coords[rows[r] * k + c], reference[r * K + c]);
        }
    }
  g_test_message ("%s %s: largest coordinate difference %.3g", file->name, key, worst);
}

static void
test_reference_pca (gconstpointer user_data)
{
  const RealFile *file = user_data;
  g_autoptr(EsEmbeddingSet) set = load_real (file);
  g_autoptr(EsProjection) pca = compute (set, ES_METHOD_PCA, FALSE);
  g_autoptr(EsProjection) pca_norm = compute (set, ES_METHOD_PCA, TRUE);
  gsize dims = es_embedding_set_get_dims (set);
  double reference[K], component[512];
  guint n;

  g_test_summary ("PCA of a real embedding matches sklearn PCA(10, svd_solver='full'): "
                  "ratios to 1e-4, variances to 1e-4 relative, components and "
                  "coordinates up to sign");

  g_assert_cmpuint (es_projection_get_n_fitted (pca), ==, es_embedding_set_get_rows (set));

  g_assert_cmpuint (reference_values (file, "pca_ratio", reference, K), ==, K);
  assert_close ("pca_ratio", es_projection_get_explained_variance_ratio (pca, &n), reference, K, 1e-4, FALSE);
  g_assert_cmpuint (n, ==, K);

  g_assert_cmpuint (reference_values (file, "pca_variance", reference, K), ==, K);
  assert_close ("pca_variance", es_projection_get_eigenvalues (pca, NULL), reference, K, 1e-4, TRUE);

  g_assert_cmpuint (reference_values (file, "pca_norm_ratio", reference, K), ==, K);
  assert_close ("pca_norm_ratio", es_projection_get_explained_variance_ratio (pca_norm, NULL),
                reference, K, 1e-4, FALSE);

  g_assert_cmpuint (dims, <=, G_N_ELEMENTS (component));
  for (guint c = 0; c < 3; c++)
    {
      g_autofree char *key = g_strdup_printf ("pca_component%u", c);
      const double *ours = es_projection_get_components (pca) + c * dims;
      double dot = 0.0;

      g_assert_cmpuint (reference_values (file, key, component, dims), ==, dims);
      for (gsize j = 0; j < dims; j++)
        dot += ours[j] * component[j];
      if (dot < 0.0)
        for (gsize j = 0; j < dims; j++)
          component[j] = -component[j];
      assert_close (key, ours, component, dims, 1e-4, FALSE);
    }

  assert_coords (file, "pca_coords", set, pca);
}

static void
test_reference_svd (gconstpointer user_data)
{
  const RealFile *file = user_data;
  g_autoptr(EsEmbeddingSet) set = load_real (file);
  g_autoptr(EsProjection) raw = compute (set, ES_METHOD_SVD, FALSE);
  g_autoptr(EsProjection) norm = compute (set, ES_METHOD_SVD, TRUE);
  double reference[K];
  guint n;

  g_test_summary ("Truncated SVD of a real embedding, raw and row-normalised, matches "
                  "numpy.linalg.svd: singular values to 1e-4 relative, U S up to sign");

  g_assert_null (es_projection_get_mean (raw));

  g_assert_cmpuint (reference_values (file, "svd_raw_sv", reference, K), ==, K);
  assert_close ("svd_raw_sv", es_projection_get_singular_values (raw, &n), reference, K, 1e-4, TRUE);
  g_assert_cmpuint (n, ==, K);
  assert_coords (file, "svd_raw_coords", set, raw);

  g_assert_cmpuint (reference_values (file, "svd_norm_sv", reference, K), ==, K);
  assert_close ("svd_norm_sv", es_projection_get_singular_values (norm, NULL), reference, K, 1e-4, TRUE);
  assert_coords (file, "svd_norm_coords", set, norm);
}

static void
test_reference_sign (gconstpointer user_data)
{
  const RealFile *file = user_data;
  g_autoptr(EsEmbeddingSet) set = load_real (file);
  gsize dims = es_embedding_set_get_dims (set);

  g_test_summary ("Every PCA and SVD component has its entry of largest magnitude positive");

  for (guint m = 0; m < 2; m++)
    {
      g_autoptr(EsProjection) projection = compute (set, m == 0 ? ES_METHOD_PCA : ES_METHOD_SVD, FALSE);
      const double *v = es_projection_get_components (projection);

      for (guint c = 0; c < K; c++)
        {
          double largest = 0.0;

          for (gsize j = 0; j < dims; j++)
            if (fabs (v[c * dims + j]) > fabs (largest))
              largest = v[c * dims + j];
          g_assert_cmpfloat (largest, >, 0.0);
        }
    }
}

void
projection_test_add_reference_tests (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (real_files); i++)
    {
      g_autofree char *pca = g_strdup_printf ("/engine/projection/reference/%s/pca", real_files[i].name);
      g_autofree char *svd = g_strdup_printf ("/engine/projection/reference/%s/svd", real_files[i].name);
      g_autofree char *sign = g_strdup_printf ("/engine/projection/reference/%s/sign", real_files[i].name);

      g_test_add_data_func (pca, &real_files[i], test_reference_pca);
      g_test_add_data_func (svd, &real_files[i], test_reference_svd);
      g_test_add_data_func (sign, &real_files[i], test_reference_sign);
    }
}
