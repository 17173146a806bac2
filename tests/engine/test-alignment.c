/* test-alignment.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * engine/align: shared vocabulary, Procrustes and linear maps against
 * scipy/numpy (values from tests/reference/make-align-reference.py), a
 * known rotation recovered, identity alignment, change scores, and the
 * refusals (too few pairs, orthogonal with different dims, missing anchors).
 */

#define G_LOG_DOMAIN "test-alignment"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "es-engine.h"
#include "es-alignment.h"
#include "es-change-scores.h"
#include "es-word-pairs.h"

/* /usr/bin/python3 tests/reference/make-align-reference.py (scipy 1.10.1,
 * numpy 1.24.2): scipy.linalg.orthogonal_procrustes (plain and centred,
 * scale = sum of singular values / ‖A_c‖²), numpy.linalg.lstsq, and
 * numpy top-5 cosine neighbour sets (self excluded) intersected.
 */
static const double procrustes_r[] = {
  0.6125743586180055, 0.45264255934113873, 0.5932471646712634, -0.26062457721087984, 0.0703598936208486, -0.45394517730039013, -0.11333022615799127, -0.8809878099124634, -0.7239981447008754, 0.5620821747819988, 0.15719806638901346, -0.3676670819988974, 0.3092391097566605, 0.5226012995306839, -0.7813468048005582, -0.1440702098065651
};
static const double procrustes_centred_r[] = {
  0.6150066544077776, 0.5084559516750279, 0.570434194523958, -0.19453583206750846, 0.1557080209340589, -0.3904058185656408, -0.12631847928698797, -0.8985443510687234, -0.7221113642341354, 0.5523863488290137, 0.15424778614146598, -0.3868231116954165, 0.27582060273820697, 0.5328462852114907, -0.7967785714857564, -0.07170592348310309
};
static const double procrustes_centred_scale = 0.5164696805261686;
static const double linear_w[] = {
  0.280625174973705, 0.05327538296302077, 0.09543644823649045, -0.02732708394584421, 0.055289709394242825, -0.06560300294937549, -0.533784559598488, 0.266401341235276, 0.05421853589607266, 0.15880086053473502, 0.3937732807996888, -0.6182671565019027
};
static const guint overlap_counts[] = { 0, 2, 2, 1, 2, 1, 2, 2, 0, 1, 0, 0, 2, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 2, 0, 0, 1, 2, 1, 2, 0 };

typedef float (*Formula) (int i, int j);

static float
fa (int i, int j)
{
  return (float) ((i * 37 + j * 11) % 97 - 48) / 7.0f;
}

static float
fb (int i, int j)
{
  return (float) ((i * 53 + j * 29) % 89 - 44) / 9.0f;
}

static float
fc (int i, int j)
{
  return (float) ((i * 17 + j * 31) % 83 - 41) / 5.0f;
}

static EsEmbeddingSet *
formula_set (Formula f,
             gsize   n,
             gsize   d,
             gsize   word_offset)
{
  g_autofree float *data = g_new (float, n * d);
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);

  for (gsize i = 0; i < n; i++)
    {
      for (gsize j = 0; j < d; j++)
        data[i * d + j] = f (i, j);
      g_ptr_array_add (words, g_strdup_printf ("w%" G_GSIZE_FORMAT, i + word_offset));
    }
  g_ptr_array_add (words, NULL);

  return es_embedding_set_new_from_arrays (n, d, (const char * const *) words->pdata, data);
}

static void
assert_matrix_close (const double *got,
                     const double *want,
                     gsize         n,
                     double        tolerance)
{
  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (got[i], want[i], tolerance);
}

static EsAlignment *
fit (EsEmbeddingSet *a,
     EsEmbeddingSet *b,
     EsAlignMethod   method,
     gboolean        center,
     gboolean        scale)
{
  g_autoptr(EsWordPairs) pairs = es_word_pairs_new_shared (a, b, NULL, NULL);
  g_autoptr(GError) error = NULL;
  EsAlignOptions options;
  EsAlignment *alignment;

  es_align_options_init (&options);
  options.method = method;
  options.center = center;
  options.scale = scale;
  alignment = es_alignment_fit (a, b, pairs, &options, NULL, &error);
  g_assert_no_error (error);

  return alignment;
}

static void
test_scipy (void)
{
  g_autoptr(EsEmbeddingSet) a = formula_set (fa, 12, 4, 0);
  g_autoptr(EsEmbeddingSet) b = formula_set (fb, 12, 4, 0);
  g_autoptr(EsEmbeddingSet) b3 = formula_set (fb, 12, 3, 0);
  g_autoptr(EsAlignment) plain = fit (a, b, ES_ALIGN_ORTHOGONAL, FALSE, FALSE);
  g_autoptr(EsAlignment) centred = fit (a, b, ES_ALIGN_ORTHOGONAL, TRUE, TRUE);
  g_autoptr(EsAlignment) linear = fit (a, b3, ES_ALIGN_LINEAR, FALSE, FALSE);

  g_test_summary ("Procrustes (plain, centred + scaled) equals scipy's orthogonal_procrustes and "
                  "the linear map numpy's lstsq, to 1e-5");
  assert_matrix_close (es_alignment_get_matrix (plain), procrustes_r, 16, 1e-5);
  g_assert_cmpfloat (es_alignment_get_scale (plain), ==, 1.0);
  assert_matrix_close (es_alignment_get_matrix (centred), procrustes_centred_r, 16, 1e-5);
  g_assert_cmpfloat_with_epsilon (es_alignment_get_scale (centred), procrustes_centred_scale, 1e-6);
  g_assert_cmpuint (es_alignment_get_dims_b (linear), ==, 3);
  assert_matrix_close (es_alignment_get_matrix (linear), linear_w, 12, 1e-5);
}

/* A random orthogonal d × d matrix as a product of Givens rotations (no
 * LAPACK: independent of what is tested).
 */
static double *
random_rotation (gsize  d,
                 GRand *rand)
{
  double *q = g_new0 (double, d * d);

  for (gsize i = 0; i < d; i++)
    q[i * d + i] = 1;
  for (guint r = 0; r < 4 * d * d; r++)
    {
      gsize p = g_rand_int_range (rand, 0, d), s = g_rand_int_range (rand, 0, d);
      double t = g_rand_double_range (rand, 0, 2 * G_PI), c = cos (t), sn = sin (t);

      if (p == s)
        continue;
      for (gsize i = 0; i < d; i++)
        {
          double x = q[i * d + p], y = q[i * d + s];

          q[i * d + p] = c * x - sn * y;
          q[i * d + s] = sn * x + c * y;
        }
    }

  return q;
}

static void
test_known_rotation (void)
{
  const gsize n = 600, d = 24;
  GRand *rand = g_rand_new_with_seed (23);
  g_autofree double *q = random_rotation (d, rand);
  g_autofree float *xa = g_new (float, n * d);
  g_autofree float *xb = g_new (float, n * d);
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);

  g_test_summary ("a random rotation (with and without noise, shift and scale) is recovered");
  for (gsize i = 0; i < n; i++)
    g_ptr_array_add (words, g_strdup_printf ("w%" G_GSIZE_FORMAT, i));
  g_ptr_array_add (words, NULL);
  for (gsize i = 0; i < n * d; i++)
    xa[i] = (float) g_rand_double_range (rand, -1, 1);

  for (guint noisy = 0; noisy < 3; noisy++)
    {
      /* 0: exact; 1: noise 1e-3; 2: exact, ×2.5 and shifted by 3, centred + scaled. */
      double s = noisy == 2 ? 2.5 : 1.0, shift = noisy == 2 ? 3.0 : 0.0;
      g_autoptr(EsEmbeddingSet) a = NULL;
      g_autoptr(EsEmbeddingSet) b = NULL;
      g_autoptr(EsAlignment) alignment = NULL;
      const double *w;

      for (gsize i = 0; i < n; i++)
        for (gsize j = 0; j < d; j++)
          {
            double v = 0;

            for (gsize l = 0; l < d; l++)
              v += (double) xa[i * d + l] * q[l * d + j];
            xb[i * d + j] = (float) (s * v + shift + (noisy == 1 ? g_rand_double_range (rand, -1e-3, 1e-3) : 0));
          }
      a = es_embedding_set_new_from_arrays (n, d, (const char * const *) words->pdata, xa);
      b = es_embedding_set_new_from_arrays (n, d, (const char * const *) words->pdata, xb);
      alignment = fit (a, b, ES_ALIGN_ORTHOGONAL, noisy == 2, noisy == 2);
      w = es_alignment_get_matrix (alignment);
      for (gsize i = 0; i < d * d; i++)
        g_assert_cmpfloat_with_epsilon (w[i], q[i], noisy == 1 ? 1e-3 : 1e-5);
      g_assert_cmpfloat_with_epsilon (es_alignment_get_scale (alignment), s, 1e-5);
      g_assert_cmpfloat (es_alignment_get_mean_cosine (alignment), >, noisy == 1 ? 0.9999 : 0.999999);
      if (noisy != 1)
        g_assert_cmpfloat (es_alignment_get_relative_residual (alignment), <, 1e-5);
    }
  g_rand_free (rand);
}

static void
test_identity (void)
{
  g_autoptr(EsEmbeddingSet) a = formula_set (fa, 50, 6, 0);
  g_autoptr(EsAlignment) alignment = fit (a, a, ES_ALIGN_ORTHOGONAL, FALSE, FALSE);
  g_autoptr(EsWordPairs) pairs = es_word_pairs_new_shared (a, a, NULL, NULL);
  g_autoptr(EsChangeScores) scores = NULL;
  const double *w = es_alignment_get_matrix (alignment);

  g_test_summary ("a space aligned with itself: W = I, residual 0, every distance 0, overlap k");
  for (gsize i = 0; i < 6; i++)
    for (gsize j = 0; j < 6; j++)
      g_assert_cmpfloat_with_epsilon (w[i * 6 + j], i == j, 1e-6);
  g_assert_cmpfloat (es_alignment_get_residual (alignment), <, 1e-4);
  scores = es_change_scores_compute (a, a, pairs, alignment, 5, 50, NULL, NULL, NULL, NULL);
  for (gsize i = 0; i < 50; i++)
    {
      g_assert_cmpfloat (es_change_scores_get_distances (scores)[i], <, 1e-6);
      g_assert_cmpuint (es_change_scores_get_overlap (scores)[i], ==, 5);
    }
}

static void
test_overlap_numpy (void)
{
  g_autoptr(EsEmbeddingSet) a = formula_set (fa, 40, 5, 0);
  g_autoptr(EsEmbeddingSet) b = formula_set (fc, 40, 5, 0);
  g_autoptr(EsWordPairs) pairs = es_word_pairs_new_shared (a, b, NULL, NULL);
  g_autoptr(EsAlignment) alignment = fit (a, b, ES_ALIGN_ORTHOGONAL, FALSE, FALSE);
  g_autoptr(EsChangeScores) scores = es_change_scores_compute (a, b, pairs, alignment, 5, 100,
                                                                NULL, NULL, NULL, NULL);

  g_test_summary ("neighbour overlap counts equal a numpy computation on the same inputs, exactly");
  g_assert_cmpuint (es_change_scores_get_n_overlap (scores), ==, 40);
  for (gsize i = 0; i < 40; i++)
    g_assert_cmpuint (es_change_scores_get_overlap (scores)[i], ==, overlap_counts[i]);
}

static void
test_moved (void)
{
  const gsize n = 400, d = 16;
  GRand *rand = g_rand_new_with_seed (5);
  g_autofree double *q = random_rotation (d, rand);
  g_autofree float *xa = g_new (float, n * d);
  g_autofree float *xb = g_new (float, n * d);
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(EsEmbeddingSet) a = NULL;
  g_autoptr(EsEmbeddingSet) b = NULL;
  g_autoptr(EsWordPairs) pairs = NULL;
  g_autoptr(EsAlignment) alignment = NULL;
  g_autoptr(EsChangeScores) scores = NULL;
  g_autofree gsize *order = NULL;
  g_autofree gsize *by_overlap = NULL;

  g_test_summary ("two words whose vectors are swapped in a rotated, noisy copy rank as most moved");
  for (gsize i = 0; i < n; i++)
    g_ptr_array_add (words, g_strdup_printf ("w%" G_GSIZE_FORMAT, i));
  g_ptr_array_add (words, NULL);
  for (gsize i = 0; i < n * d; i++)
    xa[i] = (float) g_rand_double_range (rand, -1, 1);
  for (gsize i = 0; i < n; i++)
    {
      gsize src = i == 7 ? 300 : i == 300 ? 7 : i;

      for (gsize j = 0; j < d; j++)
        {
          double v = 0;

          for (gsize l = 0; l < d; l++)
            v += (double) xa[src * d + l] * q[l * d + j];
          xb[i * d + j] = (float) (v + g_rand_double_range (rand, -0.02, 0.02));
        }
    }
  a = es_embedding_set_new_from_arrays (n, d, (const char * const *) words->pdata, xa);
  b = es_embedding_set_new_from_arrays (n, d, (const char * const *) words->pdata, xb);
  pairs = es_word_pairs_new_shared (a, b, NULL, NULL);
  alignment = fit (a, b, ES_ALIGN_ORTHOGONAL, FALSE, FALSE);
  scores = es_change_scores_compute (a, b, pairs, alignment, 10, n, NULL, NULL, NULL, NULL);
  order = es_change_scores_rank_by_distance (scores);
  g_assert_true ((order[0] == 7 && order[1] == 300) || (order[0] == 300 && order[1] == 7));
  by_overlap = es_change_scores_rank_by_overlap (scores);
  g_assert_true ((by_overlap[0] == 7 && by_overlap[1] == 300) || (by_overlap[0] == 300 && by_overlap[1] == 7));
  g_assert_cmpfloat (es_change_scores_get_distances (scores)[order[2]], <, 0.01);

  /* Over the fit's own pairs the scores' pass gives the fit's figures
   * (what `compare` reports when the fit skips its measuring pass), and a
   * fit that skips it leaves them 0 but maps the same.
   */
  g_assert_cmpfloat_with_epsilon (es_change_scores_get_residual (scores),
                                  es_alignment_get_residual (alignment),
                                  1e-5 * es_alignment_get_residual (alignment));
  g_assert_cmpfloat_with_epsilon (es_change_scores_get_relative_residual (scores),
                                  es_alignment_get_relative_residual (alignment), 1e-6);
  g_assert_cmpfloat_with_epsilon (es_change_scores_get_mean_cosine (scores),
                                  es_alignment_get_mean_cosine (alignment), 1e-6);
  {
    EsAlignOptions options;
    g_autoptr(EsAlignment) skipped = NULL;

    es_align_options_init (&options);
    options.skip_fit_measures = TRUE;
    skipped = es_alignment_fit (a, b, pairs, &options, NULL, NULL);
    g_assert_nonnull (skipped);
    g_assert_cmpfloat (es_alignment_get_residual (skipped), ==, 0);
    g_assert_cmpmem (es_alignment_get_matrix (skipped), d * d * sizeof (double),
                     es_alignment_get_matrix (alignment), d * d * sizeof (double));
  }
  g_rand_free (rand);
}

static void
test_pairs_and_refusals (void)
{
  g_autoptr(EsEmbeddingSet) a = formula_set (fa, 30, 4, 0);
  g_autoptr(EsEmbeddingSet) b = formula_set (fb, 30, 4, 27);   /* w27…w56: 3 shared */
  g_autoptr(EsEmbeddingSet) b5 = formula_set (fb, 30, 5, 0);
  g_autoptr(EsWordPairs) shared = es_word_pairs_new_shared (a, b, NULL, NULL);
  g_autoptr(EsWordPairs) all = es_word_pairs_new_shared (a, b5, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("es-align-XXXXXX", NULL);
  g_autofree char *anchors = g_build_filename (dir, "anchors.txt", NULL);
  EsAlignOptions options;

  g_test_summary ("shared/missing counts; too few pairs, orthogonal across dims and missing anchors "
                  "are errors naming the problem");
  g_assert_cmpuint (es_word_pairs_get_n (shared), ==, 3);
  g_assert_cmpuint (es_word_pairs_get_only_a (shared), ==, 27);
  g_assert_cmpuint (es_word_pairs_get_only_b (shared), ==, 27);
  g_assert_cmpuint (es_word_pairs_get_rows_a (shared)[0], ==, 27);
  g_assert_cmpuint (es_word_pairs_get_rows_b (shared)[0], ==, 0);

  es_align_options_init (&options);
  g_assert_null (es_alignment_fit (a, b, shared, &options, NULL, &error));
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_DIMENSION);
  g_assert_nonnull (strstr (error->message, "3 word pairs to fit, fewer than the 4 dimensions"));
  g_clear_error (&error);

  g_assert_null (es_alignment_fit (a, b5, all, &options, NULL, &error));
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_DIMENSION);
  g_assert_nonnull (strstr (error->message, "4 and 5"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (anchors, "# pairs\nw1\nw2\tw3\nzebra\nw4 w99\n\n", -1, NULL));
  g_assert_null (es_word_pairs_new_from_file (a, b5, anchors, &error));
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_UNKNOWN_WORD);
  g_assert_nonnull (strstr (error->message, "2 anchor words are missing"));
  g_assert_nonnull (strstr (error->message, "“zebra” (line 4, in neither)"));
  g_assert_nonnull (strstr (error->message, "“w99” (line 5, not in B)"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (anchors, "w1\nw2\tw3\nw1\nw5 w6\n", -1, NULL));
  {
    g_autoptr(EsWordPairs) listed = es_word_pairs_new_from_file (a, b5, anchors, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (es_word_pairs_get_n (listed), ==, 3);
    g_assert_cmpuint (es_word_pairs_get_rows_a (listed)[1], ==, 2);
    g_assert_cmpuint (es_word_pairs_get_rows_b (listed)[1], ==, 3);
  }
  g_unlink (anchors);
  g_rmdir (dir);
}

static void
test_precision (void)
{
  const gsize n = 300, d = 12;
  GRand *rand = g_rand_new_with_seed (9);
  g_autofree double *q = random_rotation (d, rand);
  g_autofree float *xa = g_new (float, n * d);
  g_autofree float *xb = g_new (float, n * d);
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(EsEmbeddingSet) a = NULL;
  g_autoptr(EsEmbeddingSet) b = NULL;
  g_autoptr(EsWordPairs) pairs = NULL;
  g_autoptr(EsWordPairs) fit_pairs = NULL;
  g_autoptr(EsWordPairs) held = NULL;
  g_autoptr(EsAlignment) alignment = NULL;
  EsAlignOptions options;
  double p1, p5;

  g_test_summary ("held-out translation precision@1 and @5 are 1 for an exact rotation");
  for (gsize i = 0; i < n; i++)
    g_ptr_array_add (words, g_strdup_printf ("w%" G_GSIZE_FORMAT, i));
  g_ptr_array_add (words, NULL);
  for (gsize i = 0; i < n * d; i++)
    xa[i] = (float) g_rand_double_range (rand, -1, 1);
  for (gsize i = 0; i < n; i++)
    for (gsize j = 0; j < d; j++)
      {
        double v = 0;

        for (gsize l = 0; l < d; l++)
          v += (double) xa[i * d + l] * q[l * d + j];
        xb[i * d + j] = (float) v;
      }
  a = es_embedding_set_new_from_arrays (n, d, (const char * const *) words->pdata, xa);
  b = es_embedding_set_new_from_arrays (n, d, (const char * const *) words->pdata, xb);
  pairs = es_word_pairs_new_shared (a, b, NULL, NULL);
  es_word_pairs_split (pairs, 0.2, 1, &fit_pairs, &held);
  g_assert_cmpuint (es_word_pairs_get_n (held), ==, 60);
  g_assert_cmpuint (es_word_pairs_get_n (fit_pairs), ==, 240);
  es_align_options_init (&options);
  alignment = es_alignment_fit (a, b, fit_pairs, &options, NULL, NULL);
  g_assert_true (es_alignment_precision (alignment, a, b, held, &p1, &p5, NULL, NULL));
  g_assert_cmpfloat (p1, ==, 1.0);
  g_assert_cmpfloat (p5, ==, 1.0);
  g_rand_free (rand);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/align/scipy", test_scipy);
  g_test_add_func ("/align/known-rotation", test_known_rotation);
  g_test_add_func ("/align/identity", test_identity);
  g_test_add_func ("/align/overlap-numpy", test_overlap_numpy);
  g_test_add_func ("/align/moved", test_moved);
  g_test_add_func ("/align/pairs-and-refusals", test_pairs_and_refusals);
  g_test_add_func ("/align/precision", test_precision);

  return g_test_run ();
}
