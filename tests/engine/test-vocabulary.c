/* test-vocabulary.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "es-engine.h"

static void
test_vocabulary_add_lookup (void)
{
  g_autoptr(EsVocabulary) vocabulary = es_vocabulary_new (2);
  char key[32];
  gsize index;
  gsize len;

  g_test_summary ("Words are found again by their bytes after the table grew many times");

  for (guint i = 0; i < 10000; i++)
    {
      g_snprintf (key, sizeof key, "w%u", i);
      g_assert_true (es_vocabulary_add (vocabulary, key, strlen (key), &index));
      g_assert_cmpuint (index, ==, i);
    }
  g_assert_cmpuint (es_vocabulary_get_size (vocabulary), ==, 10000);

  for (guint i = 0; i < 10000; i++)
    {
      g_snprintf (key, sizeof key, "w%u", i);
      g_assert_true (es_vocabulary_lookup (vocabulary, key, -1, &index));
      g_assert_cmpuint (index, ==, i);
      g_assert_cmpstr (es_vocabulary_get_word (vocabulary, i, &len), ==, key);
      g_assert_cmpuint (len, ==, strlen (key));
    }

  g_assert_false (es_vocabulary_lookup (vocabulary, "w10000", -1, NULL));
  g_assert_false (es_vocabulary_lookup (vocabulary, "w1", 1, NULL));
}

static void
test_vocabulary_duplicates (void)
{
  g_autoptr(EsVocabulary) vocabulary = es_vocabulary_new (4);
  gsize index = 99;

  g_test_summary ("A repeated word is refused and the first occurrence is reported");

  g_assert_true (es_vocabulary_add (vocabulary, "king", 4, NULL));
  g_assert_true (es_vocabulary_add (vocabulary, "queen", 5, NULL));
  g_assert_false (es_vocabulary_add (vocabulary, "king", 4, &index));
  g_assert_cmpuint (index, ==, 0);
  g_assert_cmpuint (es_vocabulary_get_size (vocabulary), ==, 2);
}

static void
test_vocabulary_byte_exact (void)
{
  g_autoptr(EsVocabulary) vocabulary = es_vocabulary_new (4);
  gsize index;

  g_test_summary ("NFC and NFD spellings and Latin-1 bytes stay distinct words");

  g_assert_true (es_vocabulary_add (vocabulary, "caf\xc3\xa9", 5, NULL));
  g_assert_true (es_vocabulary_add (vocabulary, "cafe\xcc\x81", 6, NULL));
  g_assert_true (es_vocabulary_add (vocabulary, "caf\xe9", 4, NULL));
  g_assert_true (es_vocabulary_add (vocabulary, "caf\xe8", 4, NULL));
  g_assert_true (es_vocabulary_lookup (vocabulary, "caf\xe8", -1, &index));
  g_assert_cmpuint (index, ==, 3);
}

static void
test_embedding_set_mask_and_norms (void)
{
  const char *words[] = { "a", "b", "c", "Zero" };
  const float data[] = { 3, 4, 1, NAN, 0, -2, 0, 0 };
  g_autoptr(EsEmbeddingSet) set = es_embedding_set_new_from_arrays (4, 2, words, data);
  const float *norms;
  gsize row;

  g_test_summary ("Non-finite rows are masked, norms are exact, case-insensitive lookup works");

  g_assert_cmpuint (es_embedding_set_get_rows (set), ==, 4);
  g_assert_cmpuint (es_embedding_set_get_dims (set), ==, 2);
  g_assert_true (es_embedding_set_is_row_valid (set, 0));
  g_assert_false (es_embedding_set_is_row_valid (set, 1));
  g_assert_cmpuint (es_embedding_set_get_n_valid (set), ==, 3);
  g_assert_cmpuint ((guintptr) es_matrix_get_data (es_embedding_set_get_matrix (set)) % 64, ==, 0);

  norms = es_embedding_set_get_norms (set);
  g_assert_cmpfloat (norms[0], ==, 5.f);
  g_assert_cmpfloat (norms[2], ==, 2.f);
  g_assert_cmpfloat (norms[3], ==, 0.f);

  g_assert_false (es_embedding_set_lookup (set, "zero", NULL));
  g_assert_true (es_embedding_set_lookup_ignore_case (set, "zERO", &row));
  g_assert_cmpuint (row, ==, 3);
}

static void
test_embedding_set_subset (void)
{
  const char *words[] = { "a", "b", "c" };
  const float data[] = { 1, 2, 3, 4, 5, 6 };
  const gsize rows[] = { 2, 0 };
  g_autoptr(EsEmbeddingSet) set = es_embedding_set_new_from_arrays (3, 2, words, data);
  g_autoptr(EsEmbeddingSet) subset = es_embedding_set_subset (set, rows, 2);
  gsize row;

  g_test_summary ("A subset keeps the chosen rows in order with their words");

  g_assert_cmpuint (es_embedding_set_get_rows (subset), ==, 2);
  g_assert_cmpstr (es_embedding_set_get_word (subset, 0), ==, "c");
  g_assert_cmpfloat (es_embedding_set_get_vector (subset, 0)[1], ==, 6.f);
  g_assert_true (es_embedding_set_lookup (subset, "a", &row));
  g_assert_cmpuint (row, ==, 1);
  g_assert_false (es_embedding_set_lookup (subset, "b", NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/vocabulary/add-lookup", test_vocabulary_add_lookup);
  g_test_add_func ("/engine/vocabulary/duplicates", test_vocabulary_duplicates);
  g_test_add_func ("/engine/vocabulary/byte-exact", test_vocabulary_byte_exact);
  g_test_add_func ("/engine/embedding-set/mask-and-norms", test_embedding_set_mask_and_norms);
  g_test_add_func ("/engine/embedding-set/subset", test_embedding_set_subset);

  return g_test_run ();
}
