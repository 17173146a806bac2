/* test-transform.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * engine/align/es-transform: identities (W = I gives the same floats;
 * W then W⁻¹ gives the rows back; after removing v every row is
 * orthogonal to v and unchanged along everything orthogonal to v), two
 * directions against numpy's QR, and the refusals.
 */

#define G_LOG_DOMAIN "test-transform"

#include "config.h"

#include <math.h>
#include <string.h>

#include "es-engine.h"
#include "es-transform.h"

static const char *const words[] = { "he", "she", "king", "queen", "doctor" };
static const float x[5][4] = {
  { 0.5f, -1.25f, 2.0f, 0.75f },
  { 1.5f, 0.25f, -0.5f, 1.0f },
  { -0.75f, 2.0f, 1.0f, 0.5f },
  { 0.25f, 0.5f, 0.125f, -1.5f },
  { 3.0f, -0.5f, 0.25f, 2.5f },
};

/* /usr/bin/python3 tests/reference/make-transform-reference.py (numpy
 * 1.24.2): directions u(he) - u(she) and u(king) - u(queen) (u: unit
 * rows), Q from np.linalg.qr, X - X Q Qᵀ.
 */
static const float removed_reference[5][4] = {
  { 1.39473104, -0.623975694, 0.567928791, 0.685892701 },
  { 1.04262424, -0.466449916, 0.424552351, 0.512735665 },
  { -0.162800923, 1.40212607, 0.549954534, -0.865300715 },
  { -0.108424485, 0.933807969, 0.366266578, -0.576285362 },
  { 2.75726724, -1.45534503, 1.01992524, 1.48697269 },
};

static EsEmbeddingSet *
make_set (void)
{
  return es_embedding_set_new_from_arrays (5, 4, (const char * const *) words, &x[0][0]);
}

static void
test_identity (void)
{
  g_autoptr(EsEmbeddingSet) set = make_set ();
  g_autoptr(EsMatrix) w = es_matrix_new (4, 4, NULL);
  g_autoptr(EsEmbeddingSet) out = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("W = I gives the same floats, bit for bit, and the same words in order");
  memset (es_matrix_get_data_mut (w), 0, 16 * sizeof (float));
  for (guint i = 0; i < 4; i++)
    es_matrix_get_data_mut (w)[i * 4 + i] = 1.0f;
  out = es_transform_matrix (set, w, "I", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (es_embedding_set_get_rows (out), ==, 5);
  g_assert_cmpuint (es_embedding_set_get_dims (out), ==, 4);
  g_assert_cmpmem (es_matrix_get_data (es_embedding_set_get_matrix (out)), 20 * sizeof (float),
                   &x[0][0], sizeof x);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpstr (es_embedding_set_get_word (out, i), ==, words[i]);
}

static void
test_round_trip (void)
{
  /* Triangular with powers of two: W⁻¹ is exact in binary. */
  static const float w_data[4 * 4] = {
    2, 1, 0, 0.5f,
    0, 0.5f, 4, 0,
    0, 0, 1, 2,
    0, 0, 0, 0.25f,
  };
  static const float w_inverse[4 * 4] = {
    0.5f, -1, 4, -33,
    0, 2, -8, 64,
    0, 0, 1, -8,
    0, 0, 0, 4,
  };
  g_autoptr(EsEmbeddingSet) set = make_set ();
  g_autoptr(EsMatrix) w = es_matrix_new_from_data (4, 4, w_data);
  g_autoptr(EsMatrix) wi = es_matrix_new_from_data (4, 4, w_inverse);
  g_autoptr(EsEmbeddingSet) mapped = NULL;
  g_autoptr(EsEmbeddingSet) back = NULL;
  g_autoptr(GError) error = NULL;
  float product[16] = { 0 };

  g_test_summary ("W then W⁻¹ gives the rows back; X W equals a brute-force product");
  /* The inverse really is one. */
  for (guint i = 0; i < 4; i++)
    for (guint j = 0; j < 4; j++)
      for (guint k = 0; k < 4; k++)
        product[i * 4 + j] += w_data[i * 4 + k] * w_inverse[k * 4 + j];
  for (guint i = 0; i < 16; i++)
    g_assert_cmpfloat (product[i], ==, i % 5 == 0 ? 1.0f : 0.0f);

  mapped = es_transform_matrix (set, w, "W", NULL, &error);
  g_assert_no_error (error);
  for (guint r = 0; r < 5; r++)
    for (guint j = 0; j < 4; j++)
      {
        double sum = 0;

        for (guint k = 0; k < 4; k++)
          sum += (double) x[r][k] * w_data[k * 4 + j];
        g_assert_cmpfloat_with_epsilon (es_embedding_set_get_vector (mapped, r)[j], sum, 1e-5);
      }
  back = es_transform_matrix (mapped, wi, "W⁻¹", NULL, &error);
  g_assert_no_error (error);
  for (guint r = 0; r < 5; r++)
    for (guint j = 0; j < 4; j++)
      g_assert_cmpfloat_with_epsilon (es_embedding_set_get_vector (back, r)[j], x[r][j], 1e-5);
}

static void
test_rectangular (void)
{
  static const float w_data[4 * 2] = { 1, 0, 0, 1, 1, 0, 0, -1 };
  g_autoptr(EsEmbeddingSet) set = make_set ();
  g_autoptr(EsMatrix) w = es_matrix_new_from_data (4, 2, w_data);
  g_autoptr(EsMatrix) wrong = es_matrix_new_from_data (2, 4, w_data);
  g_autoptr(EsEmbeddingSet) out = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("a 4 × 2 map gives 2-D rows; a 2 × 4 one is refused naming both shapes");
  out = es_transform_matrix (set, w, "W", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (es_embedding_set_get_dims (out), ==, 2);
  g_assert_cmpfloat (es_embedding_set_get_vector (out, 0)[0], ==, 0.5f + 2.0f);
  g_assert_cmpfloat (es_embedding_set_get_vector (out, 0)[1], ==, -1.25f - 0.75f);

  g_assert_null (es_transform_matrix (set, wrong, "W.npy", NULL, &error));
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_DIMENSION);
  g_assert_nonnull (strstr (error->message, "W.npy is 2 × 4"));
  g_assert_nonnull (strstr (error->message, "5 × 4"));
}

static void
test_remove_one (void)
{
  g_autoptr(EsEmbeddingSet) set = make_set ();
  g_autoptr(EsEmbeddingSet) out = NULL;
  g_autoptr(GError) error = NULL;
  /* v and two vectors orthogonal to it (and to each other). */
  static const double v[4] = { 1, 2, -2, 0.5 };
  static const double w1[4] = { 2, -1, 0, 0 };
  static const double w2[4] = { 0, 0, 1, 4 };
  double v_norm = sqrt (1 + 4 + 4 + 0.25);

  g_test_summary ("after removing v every row's dot with v is ~0 and its dot with any vector "
                  "orthogonal to v is unchanged");
  out = es_transform_remove_directions (set, v, 1, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint r = 0; r < 5; r++)
    {
      const float *y = es_embedding_set_get_vector (out, r);
      double dv = 0, d1 = 0, d1x = 0, d2 = 0, d2x = 0, diff = 0, along = 0;

      for (guint j = 0; j < 4; j++)
        {
          dv += y[j] * v[j];
          d1 += y[j] * w1[j];
          d1x += x[r][j] * w1[j];
          d2 += y[j] * w2[j];
          d2x += x[r][j] * w2[j];
          along += x[r][j] * v[j] / v_norm;
        }
      g_assert_cmpfloat (fabs (dv / v_norm), <, 1e-5);
      g_assert_cmpfloat_with_epsilon (d1, d1x, 1e-5);
      g_assert_cmpfloat_with_epsilon (d2, d2x, 1e-5);
      /* x − y is exactly the component along v. */
      for (guint j = 0; j < 4; j++)
        diff += pow (x[r][j] - y[j] - along * v[j] / v_norm, 2);
      g_assert_cmpfloat (sqrt (diff), <, 1e-5);
    }
}

static void
test_remove_two_numpy (void)
{
  g_autoptr(EsEmbeddingSet) set = make_set ();
  g_autoptr(EsEmbeddingSet) out = NULL;
  g_autoptr(EsExpression) e1 = NULL;
  g_autoptr(EsExpression) e2 = NULL;
  g_autoptr(GError) error = NULL;
  double directions[2 * 4];

  g_test_summary ("two directions from word expressions match numpy's QR projection");
  e1 = es_expression_parse_for_set ("he - she", set, &error);
  g_assert_no_error (error);
  e2 = es_expression_parse_for_set ("king - queen", set, &error);
  g_assert_no_error (error);
  g_assert_true (es_expression_evaluate (e1, set, TRUE, directions, &error));
  g_assert_true (es_expression_evaluate (e2, set, TRUE, directions + 4, &error));
  out = es_transform_remove_directions (set, directions, 2, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint r = 0; r < 5; r++)
    for (guint j = 0; j < 4; j++)
      g_assert_cmpfloat_with_epsilon (es_embedding_set_get_vector (out, r)[j],
                                      removed_reference[r][j], 1e-5);
}

static void
test_remove_singular (void)
{
  g_autoptr(EsEmbeddingSet) set = make_set ();
  g_autoptr(GError) error = NULL;
  static const double zero[4] = { 0 };
  static const double dependent[3 * 4] = { 1, 2, 3, 4, 0, 1, 0, 0, 2, 5, 6, 8 };
  static const char *const labels[] = { "a", "b", "2a + b" };
  double five[5 * 4] = { 0 };

  g_test_summary ("a zero direction, one in the span of the earlier ones, or more directions "
                  "than dimensions are refused, naming the direction");
  g_assert_null (es_transform_remove_directions (set, zero, 1, NULL, NULL, &error));
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC);
  g_assert_nonnull (strstr (error->message, "zero"));
  g_clear_error (&error);

  g_assert_null (es_transform_remove_directions (set, dependent, 3, (const char * const *) labels,
                                                 NULL, &error));
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC);
  g_assert_nonnull (strstr (error->message, "direction 3 ('2a + b')"));
  g_clear_error (&error);

  for (guint i = 0; i < 4; i++)
    five[i * 4 + i] = 1;
  five[16] = 1;
  g_assert_null (es_transform_remove_directions (set, five, 5, NULL, NULL, &error));
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT);
}

static void
test_cancel (void)
{
  g_autoptr(EsEmbeddingSet) set = make_set ();
  g_autoptr(EsMatrix) w = es_matrix_new_from_data (4, 1, (const float[]) { 1, 1, 1, 1 });
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_test_summary ("a cancelled transform returns NULL with G_IO_ERROR_CANCELLED");
  g_cancellable_cancel (cancellable);
  g_assert_null (es_transform_matrix (set, w, "W", cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/transform/identity", test_identity);
  g_test_add_func ("/transform/round-trip", test_round_trip);
  g_test_add_func ("/transform/rectangular", test_rectangular);
  g_test_add_func ("/transform/remove-one", test_remove_one);
  g_test_add_func ("/transform/remove-two-numpy", test_remove_two_numpy);
  g_test_add_func ("/transform/remove-singular", test_remove_singular);
  g_test_add_func ("/transform/cancel", test_cancel);

  return g_test_run ();
}
