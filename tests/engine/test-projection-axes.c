/* test-projection-axes.c: custom axes from word expressions, checked by hand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "es-engine.h"
#include "projection-test-util.h"

#define SQRT3 1.7320508075688772

/* a - b is the x axis; c is 60 degrees from it, d 90 degrees; e is a
 * 3-4-12 vector of length 13.
 */
static const char * const words[] = { "a", "b", "c", "d", "e", "f", "nan", "zero", NULL };
enum { A, B, C, D, E, F, NAN_ROW, ZERO, N_ROWS };
static const float data[N_ROWS * 3] = {
  2, 0, 0,
  1, 0, 0,
  1, (float) SQRT3, 0,
  0, 3, 0,
  3, 4, 12,
  1, 1, 2,
  NAN, 0, 0,
  0, 0, 0,
};

static EsEmbeddingSet *
make_set (void)
{
  return es_embedding_set_new_from_arrays (N_ROWS, 3, words, data);
}

static EsProjection *
compute_axes (EsEmbeddingSet     *set,
              const char * const *axes,
              gboolean            orthogonalize,
              gboolean            center,
              gboolean            normalize,
              GError            **error)
{
  EsProjectionOptions options;

  es_projection_options_init (&options);
  options.method = ES_METHOD_AXES;
  options.axes = axes;
  options.orthogonalize = orthogonalize;
  options.center = center;
  options.normalize = normalize;

  return es_projection_compute (set, &options, NULL, NULL, NULL, error);
}

static void
assert_coord (const EsProjection *projection,
              gsize               row,
              guint               axis,
              double              expected)
{
  guint k = es_projection_get_n_components (projection);

  g_assert_cmpfloat_with_epsilon (es_projection_get_coords (projection)[row * k + axis], expected, 1e-5);
}

static void
test_axes_angles (void)
{
  static const char * const axes[] = { "a - b", "c", "d", NULL };
  g_autoptr(EsEmbeddingSet) set = make_set ();
  g_autoptr(EsProjection) projection = NULL;
  g_autoptr(GError) error = NULL;
  const double *angles, *v;
  guint n = 0;

  g_test_summary ("Axes a - b, c, d: angles 60, 90 and 30 degrees; coordinates are dot "
                  "products with the unit axes; a NaN row gets NaN");

  projection = compute_axes (set, axes, FALSE, FALSE, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (es_projection_get_method (projection), ==, ES_METHOD_AXES);
  g_assert_cmpuint (es_projection_get_n_components (projection), ==, 3);
  g_assert_cmpuint (es_projection_get_n_fitted (projection), ==, N_ROWS - 1);
  g_assert_null (es_projection_get_mean (projection));

  angles = es_projection_get_axis_angles_deg (projection, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpfloat_with_epsilon (angles[0], 60.0, 1e-4);
  g_assert_cmpfloat_with_epsilon (angles[1], 90.0, 1e-4);
  g_assert_cmpfloat_with_epsilon (angles[2], 30.0, 1e-4);

  v = es_projection_get_components (projection);
  g_assert_cmpfloat_with_epsilon (v[0], 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (v[3], 0.5, 1e-7);
  g_assert_cmpfloat_with_epsilon (v[4], SQRT3 / 2, 1e-7);
  g_assert_cmpfloat_with_epsilon (v[7], 1.0, 1e-12);

  /* e = (3, 4, 12) */
  assert_coord (projection, E, 0, 3.0);
  assert_coord (projection, E, 1, 1.5 + 2 * SQRT3);
  assert_coord (projection, E, 2, 4.0);
  assert_coord (projection, C, 0, 1.0);
  assert_coord (projection, C, 1, 2.0);
  assert_coord (projection, ZERO, 2, 0.0);
  for (guint a = 0; a < 3; a++)
    g_assert_true (isnan (es_projection_get_coords (projection)[NAN_ROW * 3 + a]));
}

static void
test_axes_orthogonalize (void)
{
  static const char * const two[] = { "a - b", "c", NULL };
  static const char * const three[] = { "a - b", "c", "f", NULL };
  static const char * const parallel[] = { "a - b", "c", "d", NULL };
  g_autoptr(EsEmbeddingSet) set = make_set ();
  g_autoptr(EsProjection) projection = NULL;
  g_autoptr(GError) error = NULL;
  const double *v, *angles;
  guint n = 0;

  g_test_summary ("Gram-Schmidt keeps axis 1, makes the others orthogonal in order, still "
                  "reports the angles before, and fails naming an axis in the span of "
                  "the earlier ones");

  projection = compute_axes (set, two, TRUE, FALSE, FALSE, &error);
  g_assert_no_error (error);
  angles = es_projection_get_axis_angles_deg (projection, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpfloat_with_epsilon (angles[0], 60.0, 1e-4);
  v = es_projection_get_components (projection);
  g_assert_cmpfloat_with_epsilon (v[0] * v[3] + v[1] * v[4] + v[2] * v[5], 0.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (v[4], 1.0, 1e-12);
  assert_coord (projection, E, 0, 3.0);
  assert_coord (projection, E, 1, 4.0);
  g_clear_pointer (&projection, es_projection_unref);

  projection = compute_axes (set, three, TRUE, FALSE, FALSE, &error);
  g_assert_no_error (error);
  v = es_projection_get_components (projection);
  for (guint a = 0; a < 3; a++)
    for (guint b = 0; b < 3; b++)
      g_assert_cmpfloat_with_epsilon (v[a * 3] * v[b * 3] + v[a * 3 + 1] * v[b * 3 + 1] +
                                      v[a * 3 + 2] * v[b * 3 + 2], a == b ? 1.0 : 0.0, 1e-12);
  assert_coord (projection, E, 0, 3.0);
  assert_coord (projection, E, 1, 4.0);
  assert_coord (projection, E, 2, 12.0);
  /* Angles before: f = (1, 1, 2) against x and against c. */
  angles = es_projection_get_axis_angles_deg (projection, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpfloat_with_epsilon (angles[1], acos (1 / sqrt (6.0)) * 180 / G_PI, 1e-4);
  g_assert_cmpfloat_with_epsilon (angles[2], acos ((0.5 + SQRT3 / 2) / sqrt (6.0)) * 180 / G_PI, 1e-4);
  g_clear_pointer (&projection, es_projection_unref);

  /* d lies in the plane of x and c. */
  projection = compute_axes (set, parallel, TRUE, FALSE, FALSE, &error);
  g_assert_null (projection);
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC);
  g_assert_nonnull (strstr (error->message, "axis 3"));
  g_assert_nonnull (strstr (error->message, "\"d\""));
}

static void
test_axes_preprocessing (void)
{
  static const char * const centred_axes[] = { "c", "2*c - a", NULL };
  static const char * const unit_axes[] = { "e", "a + e", NULL };
  g_autoptr(EsEmbeddingSet) set = make_set ();
  g_autoptr(EsProjection) projection = NULL;
  g_autoptr(GError) error = NULL;
  double mean[3] = { 0 }, axis1[3], axis2[3], n1 = 0, n2 = 0, e1 = 0, e2 = 0;
  const double *m;

  g_test_summary ("With center the axes are the expressions of the centred words, with "
                  "normalize of the unit words, and the rows are pre-processed the same way");

  /* Centred: mean over the 7 valid rows. */
  for (guint i = 0; i < N_ROWS; i++)
    if (i != NAN_ROW)
      for (guint j = 0; j < 3; j++)
        mean[j] += data[i * 3 + j] / 7.0;
  for (guint j = 0; j < 3; j++)
    {
      axis1[j] = data[C * 3 + j] - mean[j];
      axis2[j] = 2 * (data[C * 3 + j] - mean[j]) - (data[A * 3 + j] - mean[j]);
      n1 += axis1[j] * axis1[j];
      n2 += axis2[j] * axis2[j];
    }
  for (guint j = 0; j < 3; j++)
    {
      e1 += (data[E * 3 + j] - mean[j]) * axis1[j] / sqrt (n1);
      e2 += (data[E * 3 + j] - mean[j]) * axis2[j] / sqrt (n2);
    }

  projection = compute_axes (set, centred_axes, FALSE, TRUE, FALSE, &error);
  g_assert_no_error (error);
  m = es_projection_get_mean (projection);
  g_assert_nonnull (m);
  for (guint j = 0; j < 3; j++)
    g_assert_cmpfloat_with_epsilon (m[j], mean[j], 1e-12);
  assert_coord (projection, E, 0, e1);
  assert_coord (projection, E, 1, e2);
  g_clear_pointer (&projection, es_projection_unref);

  /* Normalised: e / 13 is the first axis, (1, 0, 0) + e / 13 the second. */
  projection = compute_axes (set, unit_axes, FALSE, FALSE, TRUE, &error);
  g_assert_no_error (error);
  g_assert_null (es_projection_get_mean (projection));
  assert_coord (projection, E, 0, 1.0);
  assert_coord (projection, B, 0, 3.0 / 13.0);
  assert_coord (projection, A, 0, 3.0 / 13.0);
  {
    double s[3] = { 1 + 3 / 13.0, 4 / 13.0, 12 / 13.0 };
    double len = sqrt (s[0] * s[0] + s[1] * s[1] + s[2] * s[2]);

    assert_coord (projection, A, 1, s[0] / len);
    assert_coord (projection, E, 1, (3 * s[0] + 4 * s[1] + 12 * s[2]) / 13.0 / len);
  }
}

static void
assert_axes_fail (const char * const *axes,
                  gboolean            orthogonalize,
                  int                 code,
                  const char * const *fragments)
{
  g_autoptr(EsEmbeddingSet) set = make_set ();
  g_autoptr(GError) error = NULL;
  g_autoptr(EsProjection) projection = compute_axes (set, axes, orthogonalize, FALSE, FALSE, &error);

  g_assert_null (projection);
  g_assert_error (error, ES_ENGINE_ERROR, code);
  g_test_message ("error: %s", error->message);
  for (guint i = 0; fragments[i] != NULL; i++)
    g_assert_nonnull (strstr (error->message, fragments[i]));
}

static void
test_axes_errors (void)
{
  static const char * const unknown[] = { "a - b", "c + zzz", NULL };
  static const char * const unknown_msg[] = { "axis 2", "'zzz'", "column 5", NULL };
  static const char * const syntax[] = { "a -", "c", NULL };
  static const char * const syntax_msg[] = { "axis 1", NULL };
  static const char * const zero[] = { "a", "b - b", NULL };
  static const char * const zero_msg[] = { "axis 2", "zero vector", NULL };
  static const char * const nan_word[] = { "a", "nan", NULL };
  static const char * const nan_msg[] = { "axis 2", "nan", NULL };
  static const char * const one[] = { "a", NULL };
  static const char * const four[] = { "a", "b", "c", "d", NULL };
  static const char * const count_msg[] = { "2 or 3", NULL };

  g_test_summary ("Axis errors name the axis, and for unknown words the word and column");

  assert_axes_fail (unknown, FALSE, ES_ENGINE_ERROR_UNKNOWN_WORD, unknown_msg);
  assert_axes_fail (syntax, FALSE, ES_ENGINE_ERROR_EXPRESSION, syntax_msg);
  assert_axes_fail (zero, FALSE, ES_ENGINE_ERROR_NUMERIC, zero_msg);
  assert_axes_fail (nan_word, FALSE, ES_ENGINE_ERROR_NUMERIC, nan_msg);
  assert_axes_fail (one, FALSE, ES_ENGINE_ERROR_INVALID_ARGUMENT, count_msg);
  assert_axes_fail (four, FALSE, ES_ENGINE_ERROR_INVALID_ARGUMENT, count_msg);
}

static void
test_axes_async (void)
{
  g_autoptr(EsEmbeddingSet) set = make_set ();
  g_autoptr(EsProjection) projection = NULL;
  g_autoptr(GError) error = NULL;
  EsProjectionOptions *options = g_new0 (EsProjectionOptions, 1);
  char **axes = g_new0 (char *, 3);

  g_test_summary ("The async job copies the axis expressions: the caller may free them "
                  "as soon as it has started the job");

  axes[0] = g_strdup ("a - b");
  axes[1] = g_strdup ("c");
  es_projection_options_init (options);
  options->method = ES_METHOD_AXES;
  options->axes = (const char * const *) axes;
  options->orthogonalize = TRUE;

  projection = projection_test_compute_async (set, options, axes, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (es_projection_get_n_components (projection), ==, 2);
  assert_coord (projection, E, 0, 3.0);
  assert_coord (projection, E, 1, 4.0);
}

void
projection_test_add_axes_tests (void)
{
  g_test_add_func ("/engine/projection/axes/angles", test_axes_angles);
  g_test_add_func ("/engine/projection/axes/orthogonalize", test_axes_orthogonalize);
  g_test_add_func ("/engine/projection/axes/preprocessing", test_axes_preprocessing);
  g_test_add_func ("/engine/projection/axes/errors", test_axes_errors);
  g_test_add_func ("/engine/projection/axes/async", test_axes_async);
}
