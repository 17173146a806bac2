/* test-embedding-writer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * es-embedding-writer: every format reads back bit for bit through the
 * loader, conversions chain losslessly, gensim reads the very bytes we
 * write (checksums recorded by tests/reference/make-writer-reference.py),
 * and words a format cannot hold are refused naming the row.
 */

#define G_LOG_DOMAIN "test-embedding-writer"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "es-engine.h"

static const EsFormat all_formats[] = {
  ES_FORMAT_WORD2VEC_TEXT, ES_FORMAT_WORD2VEC_BINARY, ES_FORMAT_GLOVE, ES_FORMAT_NPY,
};

static const char *
file_name (EsFormat format)
{
  return format == ES_FORMAT_WORD2VEC_TEXT ? "out.txt"
       : format == ES_FORMAT_WORD2VEC_BINARY ? "out.bin"
       : format == ES_FORMAT_GLOVE ? "out.glove.txt" : "out.npy";
}

static EsEmbeddingSet *
load (const char *path,
      EsFormat    format)
{
  g_autofree char *words = es_embedding_writer_words_path (path);
  g_autoptr(GError) error = NULL;
  EsLoadOptions options;
  EsEmbeddingSet *set;

  es_load_options_init (&options);
  if (format == ES_FORMAT_NPY)
    options.metadata_path = words;
  set = es_loader_load_path (path, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (es_embedding_set_get_format (set), ==, format);

  return set;
}

static void
assert_same_set (EsEmbeddingSet *a,
                 EsEmbeddingSet *b)
{
  gsize rows = es_embedding_set_get_rows (a), dims = es_embedding_set_get_dims (a);

  g_assert_cmpuint (es_embedding_set_get_rows (b), ==, rows);
  g_assert_cmpuint (es_embedding_set_get_dims (b), ==, dims);
  for (gsize r = 0; r < rows; r++)
    {
      g_assert_cmpstr (es_embedding_set_get_word (a, r), ==, es_embedding_set_get_word (b, r));
      g_assert_cmpmem (es_embedding_set_get_vector (a, r), dims * 4,
                       es_embedding_set_get_vector (b, r), dims * 4);
    }
}

/* Random bit patterns: every exponent, subnormals, -0. */
static EsEmbeddingSet *
random_set (gsize rows,
            gsize dims,
            guint seed)
{
  GRand *rand = g_rand_new_with_seed (seed);
  g_autofree float *data = g_new (float, rows * dims);
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  EsEmbeddingSet *set;

  for (gsize i = 0; i < rows * dims; i++)
    {
      union { guint32 u; float f; } v;

      do
        v.u = g_rand_int (rand);
      while (!isfinite (v.f));
      data[i] = i == 3 ? -0.0f : v.f;
    }
  for (gsize r = 0; r < rows; r++)
    g_ptr_array_add (words, r % 3 == 0 ? g_strdup_printf ("wörd%" G_GSIZE_FORMAT, r)
                                       : g_strdup_printf ("w%" G_GSIZE_FORMAT "_ü東", r));
  g_ptr_array_add (words, NULL);
  set = es_embedding_set_new_from_arrays (rows, dims, (const char * const *) words->pdata, data);
  g_rand_free (rand);

  return set;
}

static void
test_round_trip (void)
{
  g_autoptr(EsEmbeddingSet) set = random_set (300, 17, 11);
  g_autofree char *dir = g_dir_make_tmp ("es-ewriter-XXXXXX", NULL);

  g_test_summary ("each format (w2v text/binary, GloVe, npy + words) loads back with the same "
                  "words and the same float32 bits, random bit patterns included");
  for (guint f = 0; f < G_N_ELEMENTS (all_formats); f++)
    {
      g_autofree char *path = g_build_filename (dir, file_name (all_formats[f]), NULL);
      g_autofree char *words = es_embedding_writer_words_path (path);
      g_autoptr(EsEmbeddingSet) back = NULL;
      g_autoptr(GError) error = NULL;

      es_embedding_writer_write (set, path, all_formats[f], NULL, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      back = load (path, all_formats[f]);
      assert_same_set (set, back);
      g_unlink (path);
      g_unlink (words);
    }
  g_rmdir (dir);
}

static char *
read_all (const char *path)
{
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return contents;
}

static void
test_chain (void)
{
  g_autoptr(EsEmbeddingSet) set = random_set (50, 9, 3);
  g_autofree char *dir = g_dir_make_tmp ("es-ewriter-XXXXXX", NULL);
  g_autofree char *first = g_build_filename (dir, "first.txt", NULL);
  g_autofree char *last = g_build_filename (dir, "last.txt", NULL);
  g_autoptr(EsEmbeddingSet) current = es_embedding_set_ref (set);
  g_autofree char *a = NULL, *b = NULL;

  g_test_summary ("text -> binary -> GloVe -> npy -> text gives byte-identical text");
  g_assert_true (es_embedding_writer_write (set, first, ES_FORMAT_WORD2VEC_TEXT, NULL, NULL, NULL, NULL, NULL));
  for (guint f = 1; f < G_N_ELEMENTS (all_formats); f++)
    {
      g_autofree char *path = g_build_filename (dir, file_name (all_formats[f]), NULL);
      g_autoptr(GError) error = NULL;

      es_embedding_writer_write (current, path, all_formats[f], NULL, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      g_clear_pointer (&current, es_embedding_set_unref);
      current = load (path, all_formats[f]);
    }
  g_assert_true (es_embedding_writer_write (current, last, ES_FORMAT_WORD2VEC_TEXT, NULL, NULL, NULL, NULL, NULL));
  a = read_all (first);
  b = read_all (last);
  g_assert_cmpstr (a, ==, b);
  /* The first line is the header, values are shortest decimals. */
  g_assert_true (g_str_has_prefix (a, "50 9\n"));
}

/* The set make-writer-reference.py builds, in the same float32 steps. */
static EsEmbeddingSet *
reference_set (void)
{
  static const char *words[] = { "the", "naïve", "Ġthe", "▁of", "x", "東京", "end." };
  float data[7 * 5];

  for (int i = 0; i < 7; i++)
    for (int j = 0; j < 5; j++)
      {
        volatile float v = (float) (((i * 37 + j * 11) % 97) - 48) / 7.0f;
        volatile float scale = (float) pow (10.0, (i + j) % 5 - 2);

        data[i * 5 + j] = v * scale;
      }

  return es_embedding_set_new_from_arrays (7, 5, words, data);
}

static void
test_gensim_reads_our_bytes (void)
{
  /* /usr/bin/python3 tests/reference/make-writer-reference.py build/app/embedscope
   * (python3-gensim 4.2.0, numpy 1.24.2): gensim's load_word2vec_format
   * (binary, text, no_header for GloVe) and np.load gave back the words in
   * order and the float32 bits exactly, for files with these SHA-256 sums;
   * gensim's most_similar("the") on the binary file: 東京 0.983946681022644.
   */
  static const char *sums[] = {
    "6f61f67badb0928fad57d11f83213e5431c2b864a92e652ff5c525629b112e1a",
    "50b5b35dddc567f98ab8ac3151ba9a9342976aecaf1e0056c7d041d262616a95",
    "38b296e59a941ab90d0372097b2ff382fb6a8688c27e7f9d736e7fb3e13d5faf",
    "d0b440621f7c4c0476fec3b3ff497309d553c1c70f8e29693c6aab393ecdacca",
  };
  g_autoptr(EsEmbeddingSet) set = reference_set ();
  g_autofree char *dir = g_dir_make_tmp ("es-ewriter-XXXXXX", NULL);

  g_test_summary ("the files we write are byte for byte those gensim (and numpy) read back exactly");
  for (guint f = 0; f < G_N_ELEMENTS (all_formats); f++)
    {
      g_autofree char *path = g_build_filename (dir, file_name (all_formats[f]), NULL);
      g_autofree char *contents = NULL;
      g_autofree char *sum = NULL;
      gsize len;

      g_assert_true (es_embedding_writer_write (set, path, all_formats[f], NULL, NULL, NULL, NULL, NULL));
      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
      g_assert_cmpstr (sum, ==, sums[f]);
    }
  {
    const float *a = es_embedding_set_get_vector (set, 0), *b = es_embedding_set_get_vector (set, 5);
    double dot = 0, na = 0, nb = 0;

    for (int j = 0; j < 5; j++)
      dot += a[j] * b[j], na += a[j] * a[j], nb += b[j] * b[j];
    g_assert_cmpfloat_with_epsilon (dot / sqrt (na * nb), 0.983946681022644, 1e-6);
  }
}

static void
test_bad_words (void)
{
  static const struct
  {
    const char *word;
    EsFormat    format;
    const char *message;
  } cases[] = {
    { "new york", ES_FORMAT_WORD2VEC_TEXT, "row 3 (“new york”) contains a space" },
    { "new york", ES_FORMAT_GLOVE, "row 3 (“new york”) contains a space" },
    { "new york", ES_FORMAT_WORD2VEC_BINARY, "row 3 (“new york”) contains a space" },
    { "a\tb", ES_FORMAT_WORD2VEC_TEXT, "contains a tab" },
    { "a\nb", ES_FORMAT_GLOVE, "contains a line break" },
    { "\nab", ES_FORMAT_WORD2VEC_BINARY, "contains a line break" },
    { "a\tb", ES_FORMAT_NPY, "row 3" },
  };
  g_autofree char *dir = g_dir_make_tmp ("es-ewriter-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "out", NULL);

  g_test_summary ("a word a format cannot hold is an error naming the row, and nothing is written");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *words[] = { "one", "two", cases[i].word, "four" };
      float data[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
      g_autoptr(EsEmbeddingSet) set = es_embedding_set_new_from_arrays (4, 2, words, data);
      g_autoptr(GError) error = NULL;

      g_assert_false (es_embedding_writer_write (set, path, cases[i].format, NULL, NULL, NULL, NULL, &error));
      g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, cases[i].message));
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
    }
  {
    /* A tab is fine in binary: the word ends at the space. */
    const char *words[] = { "a\tb", "c\nd" };
    float data[2] = { 1.5f, -2.25f };
    g_autoptr(EsEmbeddingSet) set = es_embedding_set_new_from_arrays (2, 1, words, data);
    g_autoptr(EsEmbeddingSet) back = NULL;

    g_assert_true (es_embedding_writer_write (set, path, ES_FORMAT_WORD2VEC_BINARY, NULL, NULL, NULL, NULL, NULL));
    back = load (path, ES_FORMAT_WORD2VEC_BINARY);
    assert_same_set (set, back);
    g_unlink (path);
  }
  g_rmdir (dir);
}

static void
test_format_rules (void)
{
  EsFormat format;

  g_test_summary ("the format from a name and from a file name");
  g_assert_cmpint (es_embedding_format_for_path ("/a/b/vectors.npy"), ==, ES_FORMAT_NPY);
  g_assert_cmpint (es_embedding_format_for_path ("x.BIN"), ==, ES_FORMAT_WORD2VEC_BINARY);
  g_assert_cmpint (es_embedding_format_for_path ("glove.6B.50d.txt"), ==, ES_FORMAT_GLOVE);
  g_assert_cmpint (es_embedding_format_for_path ("vectors.vec"), ==, ES_FORMAT_WORD2VEC_TEXT);
  g_assert_true (es_embedding_format_from_name ("w2v-binary", &format));
  g_assert_cmpint (format, ==, ES_FORMAT_WORD2VEC_BINARY);
  g_assert_false (es_embedding_format_from_name ("tsv", &format));
  {
    g_autofree char *a = es_embedding_writer_words_path ("/d/x.npy");
    g_autofree char *b = es_embedding_writer_words_path ("/d/x.dat");

    g_assert_cmpstr (a, ==, "/d/x.words.tsv");
    g_assert_cmpstr (b, ==, "/d/x.dat.words.tsv");
  }
}

static void
test_shortest (void)
{
  GRand *rand = g_rand_new_with_seed (19);

  g_test_summary ("es_format_float_buf's bisection gives what a linear search from 1 digit gives");
  for (guint i = 0; i < 20000; i++)
    {
      union { guint32 u; float f; } v = { .u = g_rand_int (rand) };
      char buf[ES_FLOAT_BUF_SIZE], linear[ES_FLOAT_BUF_SIZE];

      if (!isfinite (v.f))
        continue;
      es_format_float_buf (v.f, buf);
      for (int d = 1; d <= 9; d++)
        {
          char format[8];

          g_snprintf (format, sizeof format, "%%.%dg", d);
          g_ascii_formatd (linear, sizeof linear, format, v.f);
          if ((float) g_ascii_strtod (linear, NULL) == v.f)
            break;
        }
      g_assert_cmpstr (buf, ==, linear);
    }
  g_rand_free (rand);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/embedding-writer/round-trip", test_round_trip);
  g_test_add_func ("/embedding-writer/chain", test_chain);
  g_test_add_func ("/embedding-writer/gensim", test_gensim_reads_our_bytes);
  g_test_add_func ("/embedding-writer/bad-words", test_bad_words);
  g_test_add_func ("/embedding-writer/format-rules", test_format_rules);
  g_test_add_func ("/embedding-writer/shortest", test_shortest);

  return g_test_run ();
}
