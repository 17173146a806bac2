/* test-comparison.c: EsComparison on spaces related by a known rotation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "es-comparison.h"

#define ROWS 400
#define DIMS 12

/* Words "w0".."w399"; A random, B = A·Q for an orthogonal Q made of plane
 * (Givens) rotations, orthogonal by construction, with the rows of words
 * @moved_1 and @moved_2 swapped in B.
 */
static void
make_pair (EsEmbeddingSet **a,
           EsEmbeddingSet **b,
           gint             moved_1,
           gint             moved_2)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autofree float *x = g_new (float, ROWS * DIMS);
  g_autofree float *y = g_new (float, ROWS * DIMS);
  g_auto(GStrv) words = g_new0 (char *, ROWS + 1);

  for (gsize i = 0; i < ROWS * DIMS; i++)
    x[i] = y[i] = (float) g_rand_double_range (rand, -1, 1);
  for (guint r = 0; r < 40; r++)
    {
      guint p = g_rand_int_range (rand, 0, DIMS), q = (p + 1 + g_rand_int_range (rand, 0, DIMS - 1)) % DIMS;
      double t = g_rand_double_range (rand, 0, 2 * G_PI), c = cos (t), s = sin (t);

      for (gsize i = 0; i < ROWS; i++)
        {
          double u = y[i * DIMS + p], v = y[i * DIMS + q];

          y[i * DIMS + p] = (float) (c * u - s * v);
          y[i * DIMS + q] = (float) (s * u + c * v);
        }
    }
  if (moved_1 >= 0)
    for (gsize d = 0; d < DIMS; d++)
      {
        float t = y[moved_1 * DIMS + d];

        y[moved_1 * DIMS + d] = y[moved_2 * DIMS + d];
        y[moved_2 * DIMS + d] = t;
      }
  for (gsize i = 0; i < ROWS; i++)
    words[i] = g_strdup_printf ("w%" G_GSIZE_FORMAT, i);
  *a = es_embedding_set_new_from_arrays (ROWS, DIMS, (const char * const *) words, x);
  *b = es_embedding_set_new_from_arrays (ROWS, DIMS, (const char * const *) words, y);
}

static void
test_rotation_recovered (void)
{
  g_autoptr(EsEmbeddingSet) a = NULL;
  g_autoptr(EsEmbeddingSet) b = NULL;
  g_autoptr(EsComparison) c = NULL;
  g_autoptr(GError) error = NULL;
  const float *dist, *coords;
  guint nc;
  gsize m;

  make_pair (&a, &b, -1, -1);
  c = es_comparison_compute (a, b, NULL, 100, 10, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (es_comparison_get_n_shared (c), ==, ROWS);
  dist = es_change_scores_get_distances (es_comparison_get_scores (c));
  for (gsize i = 0; i < ROWS; i++)
    g_assert_cmpfloat (fabs (dist[i]), <, 1e-5);
  /* B aligned onto A lands on A: each word's two plot points coincide. */
  m = es_comparison_get_n_plotted (c);
  /* The first 100, plus those of the 10 "most moved" (noise here) beyond them. */
  g_assert_cmpuint (m, >=, 100);
  g_assert_cmpuint (m, <=, 110);
  coords = es_comparison_get_coords (c, &nc);
  g_assert_cmpuint (nc, ==, 3);
  for (gsize j = 0; j < m; j++)
    for (guint k = 0; k < nc; k++)
      g_assert_cmpfloat (fabs (coords[j * nc + k] - coords[(m + j) * nc + k]), <, 1e-4);
  g_assert_cmpint (es_comparison_pair_of_word (c, "w7"), ==, 7);
  g_assert_cmpint (es_comparison_pair_of_word (c, "nope"), ==, -1);
}

static void
test_swapped_on_top_and_plotted (void)
{
  g_autoptr(EsEmbeddingSet) a = NULL;
  g_autoptr(EsEmbeddingSet) b = NULL;
  g_autoptr(EsComparison) c = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) tsv = NULL;
  const gsize *ranking;

  make_pair (&a, &b, 5, 350);
  /* Only the first 50 words plotted, plus the 3 most moved. */
  c = es_comparison_compute (a, b, NULL, 50, 3, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  ranking = es_comparison_get_ranking (c);
  g_assert_true ((ranking[0] == 5 && ranking[1] == 350) || (ranking[0] == 350 && ranking[1] == 5));
  /* Word 350 is rare but moved: plotted anyway, after the first 50. */
  g_assert_cmpint (es_comparison_plot_index (c, 350), >=, 50);
  g_assert_cmpint (es_comparison_plot_index (c, 5), ==, 5);
  g_assert_cmpint (es_comparison_plot_index (c, 200), ==, -1);
  /* The third most moved is noise: among the first 50 or not. */
  g_assert_cmpuint (es_comparison_get_n_plotted (c), >=, 51);
  g_assert_cmpuint (es_comparison_get_n_plotted (c), <=, 52);
  tsv = es_comparison_scores_tsv (c, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (tsv->str, "rank\tword\tcosine_distance\n1\tw"));
}

static void
test_no_shared_words (void)
{
  const char *wa[] = { "a", "b", "c" }, *wb[] = { "x", "y", "z" };
  float v[9] = { 1, 0, 0, 0, 1, 0, 0, 0, 1 };
  g_autoptr(EsEmbeddingSet) a = es_embedding_set_new_from_arrays (3, 3, wa, v);
  g_autoptr(EsEmbeddingSet) b = es_embedding_set_new_from_arrays (3, 3, wb, v);
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  g_assert_null (es_comparison_compute (a, b, NULL, 10, 10, NULL, NULL, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_cancellable_cancel (cancellable);
  g_assert_null (es_comparison_compute (a, a, NULL, 10, 10, cancellable, NULL, NULL, &error));
  g_assert_nonnull (error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/comparison/rotation", test_rotation_recovered);
  g_test_add_func ("/comparison/swapped", test_swapped_on_top_and_plotted);
  g_test_add_func ("/comparison/errors", test_no_shared_words);
  return g_test_run ();
}
