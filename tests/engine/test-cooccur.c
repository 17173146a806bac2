/* test-cooccur.c: the tokeniser and co-occurrence counting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-cooccur"

#include "config.h"

#include <string.h>

#include "es-engine.h"
#include "es-sparse-private.h"
#include "sparse-test-util.h"

typedef struct
{
  const char *text;
  const char *words;  /* joined by '|' */
} TokenCase;

static const TokenCase token_cases[] = {
  { "The cat's hat, and THE dog.", "the|cat's|hat|and|the|dog" },
  { "don't 'quoted' rock'n'roll o’clock", "don't|quoted|rock'n'roll|o'clock" },
  { "İstanbul IRMAK Iğdır", "istanbul|irmak|iğdır" },
  { "e-mail 3.14 x2 ½", "e|mail|3|14|x2|½" },
  { "ÉCOLE Straße ΣΟΦΊΑ", "école|straße|σοφία" },
  { "cafe\xcc\x81 naïve", "cafe\xcc\x81|naïve" },
  { "  ' '' end'", "end" },
  { "日本語 テキスト", "日本語|テキスト" },
};

static void
test_tokenize (gconstpointer data)
{
  const TokenCase *c = data;
  g_auto(GStrv) words = es_tokenize (c->text, -1);
  g_autofree char *joined = g_strjoinv ("|", words);

  g_assert_cmpstr (joined, ==, c->words);
}

static void
count_cb (const char *word,
          gsize       len,
          gpointer    data)
{
  (*(guint *) data)++;
}

static void
test_tokenize_invalid (void)
{
  g_autoptr(GString) scratch = g_string_new (NULL);
  const char text[] = "ab\xff" "cd \xc3 ef";
  g_auto(GStrv) words = es_tokenize (text, sizeof text - 1);
  g_autofree char *joined = g_strjoinv ("|", words);
  guint n = 0;

  g_test_summary ("Invalid UTF-8 bytes separate words and are counted");
  g_assert_cmpstr (joined, ==, "ab|cd|ef");
  g_assert_cmpuint (es_tokenize_foreach (text, sizeof text - 1, scratch, count_cb, &n), ==, 2);
  g_assert_cmpuint (n, ==, 3);
}

static void
collect_cb (const char *word,
            gsize       len,
            gpointer    data)
{
  g_assert_cmpuint (strlen (word), ==, len);
  g_string_append_len (data, word, len);
  g_string_append_c (data, '|');
}

/* Random text from pieces that hit every branch of the tokeniser: ASCII
 * words in both cases, apostrophes (ASCII and U+2019) inside and at the
 * edges, non-ASCII letters (İ, Σ, é, 日), a combining acute after ASCII
 * and after a space, a non-ASCII number, punctuation, invalid bytes.
 */
static void
test_tokenize_fast_path (void)
{
  static const char *pieces[] = { "a", "Zq", "THE", "x9", "0", "'", "\xe2\x80\x99", " ", "  ", ",", ".",
                                  "-", "\xc3\xa9", "\xc4\xb0", "\xce\xa3", "\xe6\x97\xa5",
                                  "\xcc\x81", "\xc2\xbd", "\xff", "\xc3", "\t", "\xc2\xa0", "don't" };
  g_autoptr(GString) fast_scratch = g_string_new (NULL);
  g_autoptr(GString) slow_scratch = g_string_new (NULL);
  GRand *rand = g_rand_new_with_seed (11);
  guint non_ascii_words = 0;

  g_test_summary ("The ASCII fast path gives the same words and invalid-byte counts as the "
                  "character-by-character definition on 20,000 random mixed ASCII/Unicode lines");
  for (guint trial = 0; trial < 20000; trial++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autoptr(GString) fast = g_string_new (NULL);
      g_autoptr(GString) slow = g_string_new (NULL);
      guint n = g_rand_int_range (rand, 0, 30);
      gsize invalid_fast, invalid_slow;

      for (guint i = 0; i < n; i++)
        g_string_append (text, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
      invalid_fast = es_tokenize_foreach (text->str, text->len, fast_scratch, collect_cb, fast);
      invalid_slow = _es_tokenize_foreach_reference (text->str, text->len, slow_scratch, collect_cb, slow);
      g_assert_cmpstr (fast->str, ==, slow->str);
      g_assert_cmpuint (invalid_fast, ==, invalid_slow);
      for (gsize i = 0; i < fast->len; i++)
        if ((guchar) fast->str[i] >= 0x80)
          {
            non_ascii_words++;
            break;
          }
    }
  /* The pieces do reach the Unicode path. */
  g_assert_cmpuint (non_ascii_words, >, 1000);
  g_rand_free (rand);
}

/* ---- counting against brute force ---- */

static const char *vocabulary[] = { "alpha", "beta", "gamma", "delta", "eps", "zeta", "eta", "theta",
                                    "iota", "kappa", "lambda", "mu", "Nu", "XI", "omicron", "pi" };

/* A text of @lines lines of Zipf-ish words (some rare enough to fall
 * under min-count), with punctuation.
 */
static char *
make_text (guint lines,
           guint32 seed)
{
  GString *text = g_string_new (NULL);
  GRand *rand = g_rand_new_with_seed (seed);

  for (guint l = 0; l < lines; l++)
    {
      guint n = g_rand_int_range (rand, 0, 14);

      for (guint t = 0; t < n; t++)
        {
          guint r = g_rand_int_range (rand, 0, 120);
          guint w = r < 60 ? r % 4 : r < 100 ? 4 + r % 6 : 10 + r % 6;

          g_string_append (text, vocabulary[w]);
          g_string_append (text, t % 5 == 4 ? ", " : " ");
        }
      g_string_append (text, l % 7 == 3 ? "\r\n" : "\n");
    }
  g_rand_free (rand);
  return g_string_free (text, FALSE);
}

/* X[a][b] for every pair of in-vocabulary tokens ≤ window apart on a line,
 * both directions, computed directly from es_tokenize's words.
 */
static GHashTable *
brute_force (const char *text,
             guint       window,
             guint       min_count,
             gboolean    weighted)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTable *pairs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint l = 0; lines[l] != NULL; l++)
    {
      g_auto(GStrv) words = es_tokenize (lines[l], -1);
      for (guint i = 0; words[i] != NULL; i++)
        {
          guint c = GPOINTER_TO_UINT (g_hash_table_lookup (counts, words[i]));
          g_hash_table_insert (counts, g_strdup (words[i]), GUINT_TO_POINTER (c + 1));
        }
    }
  for (guint l = 0; lines[l] != NULL; l++)
    {
      g_auto(GStrv) all = es_tokenize (lines[l], -1);
      g_autoptr(GPtrArray) kept = g_ptr_array_new ();

      for (guint i = 0; all[i] != NULL; i++)
        if (GPOINTER_TO_UINT (g_hash_table_lookup (counts, all[i])) >= min_count)
          g_ptr_array_add (kept, all[i]);
      for (guint i = 0; i < kept->len; i++)
        for (guint j = 0; j < kept->len; j++)
          {
            guint d = i > j ? i - j : j - i;
            char *key;
            double *v;

            if (d == 0 || d > window)
              continue;
            key = g_strdup_printf ("%s %s", (char *) kept->pdata[i], (char *) kept->pdata[j]);
            v = g_hash_table_lookup (pairs, key);
            if (v == NULL)
              {
                v = g_new0 (double, 1);
                g_hash_table_insert (pairs, g_strdup (key), v);
              }
            *v += weighted ? 1.0 / d : 1.0;
            g_free (key);
          }
    }
  return pairs;
}

static void
check_against (EsSparseMatrix *m,
               GHashTable     *pairs)
{
  gsize n = es_sparse_matrix_get_rows (m);
  guint64 seen = 0;

  for (gsize i = 0; i < n; i++)
    for (gsize j = 0; j < n; j++)
      {
        g_autofree char *key = g_strdup_printf ("%s %s", es_sparse_matrix_get_row_label (m, i),
                                                es_sparse_matrix_get_col_label (m, j));
        double *expected = g_hash_table_lookup (pairs, key);
        float got = es_sparse_matrix_get (m, i, j);

        if (expected == NULL)
          g_assert_cmpfloat (got, ==, 0.0f);
        else
          {
            g_assert_cmpfloat_with_epsilon (got, *expected, 1e-6 * *expected);
            seen++;
          }
      }
  g_assert_cmpuint (seen, ==, g_hash_table_size (pairs));
  g_assert_cmpuint (es_sparse_matrix_get_nnz (m), ==, seen);
}

static EsSparseMatrix *
count_file (const char *path,
            guint       window,
            guint       min_count,
            gboolean    weighted,
            GPtrArray  *warnings)
{
  EsCooccurOptions options;
  g_autoptr(GError) error = NULL;
  EsSparseMatrix *m;

  es_cooccur_options_init (&options);
  options.window = window;
  options.min_count = min_count;
  options.distance_weighting = weighted;
  m = es_cooccur_count (path, &options, warnings, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return m;
}

static void
test_counts (void)
{
  g_autofree char *text = make_text (400, 7);
  g_autofree char *path = sparse_test_write ("corpus.txt", text, -1, FALSE);
  g_autofree char *gz = sparse_test_write ("corpus.txt.gz", text, -1, TRUE);

  g_test_summary ("Counts equal a brute-force count over es_tokenize's words: windows 1, 2, 5, "
                  "plain and 1/d, one and two threads, a tiny sweep budget (many sweeps over "
                  "the rows, 32-bit entries), plain and gzip");
  for (guint w = 1; w <= 5; w += (w == 2 ? 3 : 1))
    for (int weighted = 0; weighted < 2; weighted++)
      {
        g_autoptr(GHashTable) pairs = brute_force (text, w, 5, weighted);

        for (guint threads = 1; threads <= 3; threads++)
          {
            g_autoptr(EsSparseMatrix) m = NULL;
            g_autoptr(EsSparseMatrix) mz = NULL;

            /* 3: two threads with sweeps of 200 entries (many sweeps,
             * some rows alone in theirs) and 32-bit entries. */
            _es_sparse_set_n_threads (MIN (threads, 2));
            _es_cooccur_set_pair_buffer (threads == 3 ? 200 : 0);
            m = count_file (path, w, 5, weighted, NULL);
            check_against (m, pairs);
            mz = count_file (gz, w, 5, weighted, NULL);
            check_against (mz, pairs);
          }
      }
  _es_sparse_set_n_threads (0);
  _es_cooccur_set_pair_buffer (0);
}

static void
test_vocabulary (void)
{
  g_autofree char *path = sparse_test_write ("vocab.txt", "b a c a b a d\nc a b\n", -1, FALSE);
  EsCooccurOptions options;
  g_autoptr(GError) error = NULL;
  g_autoptr(EsSparseMatrix) m = NULL;

  g_test_summary ("The vocabulary is sorted by count then bytes, cut by min count and max size");
  es_cooccur_options_init (&options);
  options.min_count = 2;
  options.max_vocab = 2;
  m = es_cooccur_count (path, &options, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (es_sparse_matrix_get_rows (m), ==, 2);
  g_assert_cmpstr (es_sparse_matrix_get_row_label (m, 0), ==, "a");
  g_assert_cmpstr (es_sparse_matrix_get_row_label (m, 1), ==, "b");
}

static void
test_invalid_utf8 (void)
{
  g_autofree char *path = sparse_test_write ("bad.txt", "one two\nthree \xff\xfe four\none two\n", -1, FALSE);
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(EsSparseMatrix) m = count_file (path, 2, 1, FALSE, warnings);

  g_test_summary ("Invalid UTF-8 is skipped with a warning naming the first line");
  g_assert_cmpuint (es_sparse_matrix_get_rows (m), ==, 4);
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_nonnull (strstr (warnings->pdata[0], "bad.txt:2: invalid UTF-8; 2 bytes"));
  g_assert_cmpfloat (es_sparse_matrix_get (m, 0, 1), ==, 2.0f);
}

static void
test_empty (void)
{
  g_autofree char *path = sparse_test_write ("empty.txt", "... !!! ---\nonce\n", -1, FALSE);
  g_autofree char *none = sparse_test_write ("none.txt", "", 0, FALSE);
  EsCooccurOptions options;
  g_autoptr(GError) error = NULL;
  g_autoptr(EsSparseMatrix) m = NULL;

  g_test_summary ("No word reaching min count is an error; so is a bad window");
  es_cooccur_options_init (&options);
  m = es_cooccur_count (path, &options, NULL, NULL, NULL, NULL, &error);
  g_assert_null (m);
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_EMPTY);
  g_clear_error (&error);
  m = es_cooccur_count (none, &options, NULL, NULL, NULL, NULL, &error);
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_EMPTY);
  g_clear_error (&error);
  options.window = 0;
  m = es_cooccur_count (path, &options, NULL, NULL, NULL, NULL, &error);
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (token_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sparse/tokenize/%u", i);
      g_test_add_data_func (path, &token_cases[i], test_tokenize);
    }
  g_test_add_func ("/sparse/tokenize/invalid", test_tokenize_invalid);
  g_test_add_func ("/sparse/tokenize/fast-path", test_tokenize_fast_path);
  g_test_add_func ("/sparse/cooccur/brute-force", test_counts);
  g_test_add_func ("/sparse/cooccur/vocabulary", test_vocabulary);
  g_test_add_func ("/sparse/cooccur/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/sparse/cooccur/empty", test_empty);
  status = g_test_run ();
  sparse_test_cleanup ();
  return status;
}
