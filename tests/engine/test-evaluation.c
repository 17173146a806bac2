/* test-evaluation.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "es-engine.h"
#include "es-test-utils.h"

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "gensim", name, NULL);
}

static void
check_analogy_reference (EsEmbeddingSet *set,
                         const char     *name)
{
  g_autofree char *file = g_strconcat (name, "-analogies.tsv", NULL);
  g_autoptr(GPtrArray) rows = es_test_read_tsv ("data", "reference", file, NULL);
  g_autofree char *questions = data_path ("questions-words.txt");
  g_autoptr(EsAnalogyEvaluation) result = NULL;
  guint section = 0;
  guint runs = 0;

  for (guint i = 0; i < rows->len; i++)
    {
      char **fields = g_ptr_array_index (rows, i);

      if (strcmp (fields[0], "run") == 0)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GTimer) timer = g_timer_new ();
          gsize restrict_rows = g_ascii_strtoull (fields[1], NULL, 10);
          gboolean case_insensitive = strcmp (fields[2], "1") == 0;

          g_clear_pointer (&result, es_analogy_evaluation_free);
          result = es_evaluate_analogies (set, questions, restrict_rows, case_insensitive,
                                          NULL, NULL, NULL, &error);
          g_assert_no_error (error);
          g_assert_nonnull (result);
          g_test_message ("%s restrict %" G_GSIZE_FORMAT " case-insensitive %d: %u/%u in %.3f s",
                          name, restrict_rows, case_insensitive, result->correct, result->total,
                          g_timer_elapsed (timer, NULL));
          section = 0;
          runs++;
        }
      else if (strcmp (fields[0], "section") == 0)
        {
          const EsAnalogySection *ours;

          g_assert_cmpuint (section, <, result->sections->len);
          ours = g_ptr_array_index (result->sections, section);
          g_assert_cmpstr (ours->name, ==, fields[1]);
          g_assert_cmpuint (ours->total, ==, g_ascii_strtoull (fields[3], NULL, 10));
          /* A near-tie may flip one answer between float32 and double. */
          g_assert_cmpint (ABS ((int) ours->correct - (int) g_ascii_strtoull (fields[2], NULL, 10)), <=, 1);
          section++;
        }
      else if (strcmp (fields[0], "total") == 0)
        {
          g_assert_cmpuint (section, ==, result->sections->len);
          g_assert_cmpuint (result->total, ==, g_ascii_strtoull (fields[2], NULL, 10));
          g_assert_cmpuint (result->oov_questions, ==, g_ascii_strtoull (fields[3], NULL, 10));
          /* 0.1 percentage point */
          g_assert_cmpfloat_with_epsilon (result->accuracy, g_ascii_strtod (fields[4], NULL), 0.001);
          g_assert_cmpfloat_with_epsilon (result->accuracy,
                                          (double) result->correct / result->total, 1e-15);
        }
    }

  g_assert_cmpuint (runs, ==, 3);
}

static void
check_pairs_reference (EsEmbeddingSet *set,
                       const char     *name)
{
  g_autofree char *file = g_strconcat (name, "-pairs.tsv", NULL);
  g_autoptr(GPtrArray) rows = es_test_read_tsv ("data", "reference", file, NULL);

  g_assert_cmpuint (rows->len, ==, 6);
  for (guint i = 0; i < rows->len; i++)
    {
      char **fields = g_ptr_array_index (rows, i);
      g_autofree char *path = data_path (fields[0]);
      g_autoptr(GError) error = NULL;
      EsPairsEvaluation out = { 0 };

      g_assert_true (es_evaluate_pairs (set, path, g_ascii_strtoull (fields[1], NULL, 10),
                                        strcmp (fields[2], "1") == 0, &out, &error));
      g_assert_no_error (error);
      g_test_message ("%s %s: pearson %.6f spearman %.6f oov %.4f pairs %u",
                      name, fields[0], out.pearson, out.spearman, out.oov_ratio, out.pairs);
      g_assert_cmpfloat_with_epsilon (out.pearson, g_ascii_strtod (fields[3], NULL), 1e-4);
      g_assert_cmpfloat_with_epsilon (out.spearman, g_ascii_strtod (fields[4], NULL), 1e-4);
      g_assert_cmpfloat_with_epsilon (out.oov_ratio, g_ascii_strtod (fields[5], NULL), 1e-12);
      g_assert_cmpuint (out.pairs, ==, g_ascii_strtoull (fields[6], NULL, 10));
    }
}

static void
test_evaluation_gensim_kjv (void)
{
  g_autoptr(EsEmbeddingSet) set = es_test_load_set ("..", "resources", "kjv-hamlet-5k-50d.w2v.txt", NULL);

  g_test_summary ("kjv-hamlet: evaluate_word_analogies and evaluate_word_pairs equal gensim 4.2");

  check_analogy_reference (set, "kjv-hamlet");
  check_pairs_reference (set, "kjv-hamlet");
}

static void
test_evaluation_gensim_lee (void)
{
  g_autoptr(EsEmbeddingSet) set = es_test_load_set ("data", "gensim", "lee_fasttext.vec", NULL);

  g_test_summary ("lee_fasttext: evaluate_word_analogies and evaluate_word_pairs equal gensim 4.2");

  check_analogy_reference (set, "lee");
  check_pairs_reference (set, "lee");
}

static char *
write_temp (const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("es-evaluation-XXXXXX", &error);
  char *path;

  g_assert_no_error (error);
  path = g_build_filename (dir, name, NULL);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);

  return path;
}

static void
remove_temp (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_unlink (path);
  g_rmdir (dir);
}

/* a -> b is the offset (0, 1); c + offset lands near d. */
static EsEmbeddingSet *
make_analogy_set (void)
{
  static const char *words[] = { "man", "woman", "king", "queen", "King", "prince", "far", NULL };
  static const float data[] = {
    1.0f, 0.0f, 0.0f,
    1.0f, 1.0f, 0.0f,
    1.0f, 0.0f, 1.0f,
    1.0f, 1.0f, 1.0f,
    1.0f, 0.01f, 1.0f,
    1.0f, 0.0f, 1.1f,
    -1.0f, -1.0f, -1.0f,
  };

  return es_embedding_set_new_from_arrays (7, 3, words, data);
}

static void
test_evaluation_analogies_by_hand (void)
{
  g_autoptr(EsEmbeddingSet) set = make_analogy_set ();
  g_autofree char *path = write_temp ("questions.txt",
                                      ": royals\n"
                                      "man woman king queen\n"
                                      "MAN WOMAN KING QUEEN\n"
                                      "man woman king prince\n"
                                      "man woman king\n"
                                      "man man king prince\n"
                                      "\n"
                                      ": unknown\n"
                                      "man woman king duke\n"
                                      ": empty\n");
  g_autoptr(EsAnalogyEvaluation) insensitive = NULL;
  g_autoptr(EsAnalogyEvaluation) sensitive = NULL;
  g_autoptr(EsAnalogyEvaluation) restricted = NULL;
  const EsAnalogySection *section;
  g_autoptr(GError) error = NULL;

  g_test_summary ("Hand-made questions: gensim's answer rule, sections, OOV and case handling");

  /* The query is king + (woman - man) on unit vectors; among the answers
   * not in {man, woman, king}, queen is nearest.  For "man man king
   * prince" the query is king itself: the nearest answer "King" (row 4)
   * folds to KING, a question word, so gensim's rule moves on to prince.
   */
  insensitive = es_evaluate_analogies (set, path, 0, TRUE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (insensitive->sections->len, ==, 3);
  section = g_ptr_array_index (insensitive->sections, 0);
  g_assert_cmpstr (section->name, ==, "royals");
  g_assert_cmpuint (section->correct, ==, 3);
  g_assert_cmpuint (section->total, ==, 4);
  section = g_ptr_array_index (insensitive->sections, 1);
  g_assert_cmpstr (section->name, ==, "unknown");
  g_assert_cmpuint (section->total, ==, 0);
  section = g_ptr_array_index (insensitive->sections, 2);
  g_assert_cmpstr (section->name, ==, "empty");
  g_assert_cmpuint (insensitive->correct, ==, 3);
  g_assert_cmpuint (insensitive->total, ==, 4);
  g_assert_cmpuint (insensitive->oov_questions, ==, 1);
  g_assert_cmpfloat_with_epsilon (insensitive->accuracy, 3.0 / 4.0, 1e-15);

  /* Case-sensitive: the upper-case line is unknown, and "King" is now a
   * candidate that is not a question word, so it is the (wrong) answer.
   */
  sensitive = es_evaluate_analogies (set, path, 0, FALSE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sensitive->correct, ==, 1);
  g_assert_cmpuint (sensitive->total, ==, 3);
  g_assert_cmpuint (sensitive->oov_questions, ==, 2);

  /* Only the first four words: prince is unknown. */
  restricted = es_evaluate_analogies (set, path, 4, TRUE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (restricted->total, ==, 2);
  g_assert_cmpuint (restricted->correct, ==, 2);
  g_assert_cmpuint (restricted->oov_questions, ==, 3);

  remove_temp (path);
}

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  double *last = user_data;

  g_assert_cmpfloat (fraction, >=, *last);
  g_assert_cmpfloat (fraction, <=, 1.0);
  *last = fraction;
}

static void
test_evaluation_analogies_progress (void)
{
  g_autoptr(EsEmbeddingSet) set = es_test_load_set ("..", "resources", "kjv-hamlet-5k-50d.w2v.txt", NULL);
  g_autofree char *questions = data_path ("questions-words.txt");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(EsAnalogyEvaluation) result = NULL;
  g_autoptr(GError) error = NULL;
  double last = 0.0;

  g_test_summary ("Progress rises to 1; a cancelled evaluation stops with G_IO_ERROR_CANCELLED");

  result = es_evaluate_analogies (set, questions, 0, TRUE, NULL, progress_cb, &last, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (last, ==, 1.0);
  g_clear_pointer (&result, es_analogy_evaluation_free);

  g_cancellable_cancel (cancellable);
  result = es_evaluate_analogies (set, questions, 0, TRUE, cancellable, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_evaluation_analogies_errors (void)
{
  g_autoptr(EsEmbeddingSet) set = make_analogy_set ();
  g_autofree char *path = write_temp ("questions.txt", "# comment\nman woman king queen\n");
  g_autoptr(EsAnalogyEvaluation) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = g_strdup_printf ("%s:2: question before the first ': section' line", path);

  g_test_summary ("A question before any section is an error naming the file and line");

  result = es_evaluate_analogies (set, path, 0, TRUE, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, message);
  g_clear_error (&error);

  result = es_evaluate_analogies (set, "/nonexistent/questions.txt", 0, TRUE, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_FAILED);

  remove_temp (path);
}

static void
test_evaluation_pairs_by_hand (void)
{
  /* Cosines: (a,b) 1, (a,c) 0, (a,d) -1, (b,c) 0 */
  static const char *words[] = { "a", "b", "c", "d", NULL };
  static const float data[] = { 1, 0, 2, 0, 0, 3, -1, 0 };
  g_autoptr(EsEmbeddingSet) set = es_embedding_set_new_from_arrays (4, 2, words, data);
  g_autofree char *path = write_temp ("pairs.txt",
                                      "# comment\n"
                                      "a\tb\t10\n"
                                      "a c 4\n"
                                      "A\tD\t1\n"
                                      "b\tc\t4\n"
                                      "a\tz\t3\n"
                                      "word1\tword2\tscore\n"
                                      "a b\n");
  EsPairsEvaluation out = { 0 };
  g_autoptr(GError) error = NULL;

  g_test_summary ("Hand-computed Pearson and Spearman (with ties), OOV as a fraction");

  /* gold (10, 4, 1, 4), model (1, 0, -1, 0):
   * pearson: gold mean 4.75, deviations (5.25, -.75, -3.75, -.75); model
   * mean 0, deviations (1, 0, -1, 0): sxy = 9, sxx = 42.75, syy = 2,
   * r = 9 / sqrt (85.5).
   * spearman: ranks gold (4, 2.5, 1, 2.5), model (4, 2.5, 1, 2.5): 1.
   * One pair of the five valid lines is unknown: 1/5.
   */
  g_assert_true (es_evaluate_pairs (set, path, 0, TRUE, &out, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (out.pairs, ==, 4);
  g_assert_cmpfloat_with_epsilon (out.pearson, 9.0 / sqrt (85.5), 1e-12);
  g_assert_cmpfloat_with_epsilon (out.spearman, 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (out.oov_ratio, 0.2, 1e-15);

  /* Case-sensitive: "A D" is unknown too. */
  g_assert_true (es_evaluate_pairs (set, path, 0, FALSE, &out, &error));
  g_assert_cmpuint (out.pairs, ==, 3);
  g_assert_cmpfloat_with_epsilon (out.oov_ratio, 0.4, 1e-15);

  /* Only "a" is in the vocabulary: no pair left. */
  g_assert_false (es_evaluate_pairs (set, path, 1, TRUE, &out, &error));
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_EMPTY);

  remove_temp (path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/evaluation/analogies-by-hand", test_evaluation_analogies_by_hand);
  g_test_add_func ("/engine/evaluation/analogies-errors", test_evaluation_analogies_errors);
  g_test_add_func ("/engine/evaluation/analogies-progress", test_evaluation_analogies_progress);
  g_test_add_func ("/engine/evaluation/pairs-by-hand", test_evaluation_pairs_by_hand);
  g_test_add_func ("/engine/evaluation/gensim-kjv-hamlet", test_evaluation_gensim_kjv);
  g_test_add_func ("/engine/evaluation/gensim-lee", test_evaluation_gensim_lee);

  return g_test_run ();
}
