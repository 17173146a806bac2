/* test-loader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The loader against the shared kit: every bad/ file with its expected
 * outcome, every real file checked value by value against its own text
 * (re-read here with strtof_l, independently of the loader's parser),
 * binaries against values extracted by gensim/numpy (tests/reference/).
 */

#define _GNU_SOURCE
#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "es-engine.h"
#include "es-float-parser-private.h"
#include "es-loader-private.h"

static locale_t c_locale;

static char *
data_path (const char *first,
           ...)
{
  va_list args;
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  const char *part;

  g_ptr_array_add (parts, (char *) g_test_get_dir (G_TEST_DIST));
  g_ptr_array_add (parts, (char *) "data");
  va_start (args, first);
  for (part = first; part != NULL; part = va_arg (args, const char *))
    g_ptr_array_add (parts, (char *) part);
  va_end (args);
  g_ptr_array_add (parts, NULL);

  return g_build_filenamev ((char **) parts->pdata);
}

static EsEmbeddingSet *
load (const char           *path,
      const EsLoadOptions  *options,
      GError              **error)
{
  return es_loader_load_path (path, options, NULL, NULL, NULL, error);
}

static EsEmbeddingSet *
load_ok (const char          *path,
         const EsLoadOptions *options)
{
  g_autoptr(GError) error = NULL;
  EsEmbeddingSet *set = load (path, options, &error);

  g_assert_no_error (error);
  g_assert_nonnull (set);

  return set;
}

static float
ref_strtof (const char *text)
{
  char *end = NULL;
  float v = strtof_l (text, &end, c_locale);

  g_assert_true (end != text && *end == '\0');

  return v;
}

static gboolean
same_bits (float a,
           float b)
{
  return memcmp (&a, &b, sizeof a) == 0;
}

static gboolean
warnings_contain (EsEmbeddingSet *set,
                  const char     *needle)
{
  GPtrArray *warnings = es_embedding_set_get_warnings (set);

  for (guint i = 0; i < warnings->len; i++)
    if (strstr (g_ptr_array_index (warnings, i), needle) != NULL)
      return TRUE;

  return FALSE;
}

static void
assert_same_set (EsEmbeddingSet *a,
                 EsEmbeddingSet *b)
{
  gsize rows = es_embedding_set_get_rows (a);
  gsize dims = es_embedding_set_get_dims (a);

  g_assert_cmpuint (rows, ==, es_embedding_set_get_rows (b));
  g_assert_cmpuint (dims, ==, es_embedding_set_get_dims (b));
  for (gsize i = 0; i < rows; i++)
    {
      gsize la = es_embedding_set_get_word_len (a, i);

      g_assert_cmpuint (la, ==, es_embedding_set_get_word_len (b, i));
      g_assert_true (memcmp (es_embedding_set_get_word (a, i), es_embedding_set_get_word (b, i), la) == 0);
    }
  g_assert_true (memcmp (es_matrix_get_data (es_embedding_set_get_matrix (a)),
                         es_matrix_get_data (es_embedding_set_get_matrix (b)),
                         rows * dims * sizeof (float)) == 0);
}

/* ---- bad/expectations.tsv ---- */

typedef struct
{
  const char *file;
  const char *needles[7];   /* in the error, or each in some warning */
  gsize n_warnings;          /* exact count for accepted files (G_MAXSIZE: don't check) */
  gsize n_valid;             /* rows not masked */
} Expectation;

/* What /work/shared/data/README.md (bad/ section) says each must name. */
static const Expectation expectations[] = {
  { "truncated.bin", { "row 7 (queen)", "byte 143", "unexpected end of file", "expected 4 floats" } },
  { "header_rows_too_many.bin", { "header promises 12 rows", "after row 10" } },
  { "header_dims_too_many.bin", { "row " } },
  { "header_huge_dims.bin", { "implausible header", "1000000000" } },
  { "header_rows_too_many.txt", { "expected 12 rows, found 10", "after line 11" } },
  { "header_dims_too_many.txt", { ":2: expected 5 values, found 4" } },
  { "header_extra_field.txt", { ":1: malformed header" } },
  { "header_negative.txt", { ":1: invalid row count" } },
  { "header_huge.txt", { ":1: implausible header", "99999999999" } },
  { "row_too_few.txt", { ":5: expected 4 values, found 3" } },
  { "row_too_many.txt", { ":7: expected 4 values, found 5" } },
  { "ragged.glove.txt", { ":6: expected 4 values, found 3" } },
  { "non_numeric.txt", { ":4: field 3 (`abc`) is not a number" } },
  { "empty.txt", { "empty file" } },
  { "empty.bin", { "empty file" } },
  { "header_only.txt", { ":2: header promises 3 rows, no data" } },
  { "header_only.bin", { ":2: header promises 3 rows, no data" } },
  { "header_zero_rows.txt", { "no vectors" } },
  { "corrupt.txt.gz", { "corrupt gzip data" } },
  { "inflate_error.txt.gz", { "corrupt gzip data" } },
  { "truncated.txt.gz", { "unexpected end of gzip stream" } },
  { "bad_crc.txt.gz", { "gzip CRC mismatch" } },
  { "second_member_cut.txt.gz", { "unexpected end of gzip stream at byte 207", "member at byte 113" } },
  { "crc_second_member.txt.gz", { "gzip CRC mismatch at byte 200", "member at byte 113" } },
  { "gzip_in_gzip.txt.gz", { "gzip file inside a gzip file" } },
  { "utf16.txt", { "UTF-16 text" } },
  { "utf16_bom.glove.txt", { "UTF-16 text" } },
  { "header_dims_2pow63.txt.gz", { ":1: implausible header", "9223372036854775808" } },
  { "header_dims_2pow64.txt", { ":1: implausible header", "18446744073709551615" } },
  { "junk_after_members.txt.gz", { "5 bytes after the last gzip member", "from byte 208" }, 1, 10 },
  /* accepted */
  { "header_rows_too_few.txt", { ":10: header says 8 rows, more data from line 10" }, 1, 10 },
  { "nan_inf.txt", { ":3: non-finite value nan", ":6: non-finite value inf",
                     ":9: non-finite value -Infinity" }, 3, 7 },
  { "nan.bin", { "row 2 (of)", "non-finite value nan" }, 1, 9 },
  { "float32_overflow.txt", { ":5: value out of float32 range (`1e39`)" }, 1, 9 },
  { "blank_lines.txt", { ":7: blank line" }, 1, 10 },
  { "invalid_utf8.txt", { ":3: invalid UTF-8", ":4: invalid UTF-8", ":5: invalid UTF-8",
                          ":6: invalid UTF-8", ":8: invalid UTF-8", ":9: invalid UTF-8" }, 6, 10 },
  { "invalid_utf8.bin", { "row 2 (", "row 3 (", "row 4 (", "row 5 (", "row 7 (", "row 8 (" }, 6, 10 },
  { "duplicate_words.txt", { ":10: duplicate word `king` (first at line 7)" }, 1, 9 },
  { "word_with_spaces.glove.txt", { NULL }, 0, 10 },
};

static const Expectation *
find_expectation (const char *file)
{
  for (guint i = 0; i < G_N_ELEMENTS (expectations); i++)
    if (strcmp (expectations[i].file, file) == 0)
      return &expectations[i];

  return NULL;
}

/* One test case per row of bad/expectations.tsv, named after its file, so
 * that a failure names its input.
 */
static void
test_loader_bad_file (gconstpointer data)
{
  const char *line = data;
  g_auto(GStrv) cols = g_strsplit (line, "\t", -1);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EsEmbeddingSet) set = NULL;
  const Expectation *expect;

  g_assert_cmpuint (g_strv_length (cols), >=, 3);
  g_test_summary (cols[3] != NULL ? cols[3] : cols[0]);
  path = data_path ("bad", cols[0], NULL);
  expect = find_expectation (cols[0]);
  set = load (path, NULL, &error);
  g_test_message ("%s -> %s", cols[0], error ? error->message : "accepted");

  if (strcmp (cols[1], "1") == 0)
    {
      g_assert_null (set);
      g_assert_error (error, ES_ENGINE_ERROR, error->code);
      g_assert_nonnull (strstr (error->message, path));
      g_assert_nonnull (expect);
      for (guint k = 0; expect->needles[k] != NULL; k++)
        if (strstr (error->message, expect->needles[k]) == NULL)
          g_error ("%s: `%s` not in `%s`", cols[0], expect->needles[k], error->message);
    }
  else
    {
      gsize rows;

      g_assert_no_error (error);
      g_assert_nonnull (set);
      /* NaN/Inf rows are kept and masked: "10" of "9|10" / "7|10". */
      rows = g_ascii_strtoull (strchr (cols[2], '|') ? strchr (cols[2], '|') + 1 : cols[2],
                               NULL, 10);
      g_assert_cmpuint (es_embedding_set_get_rows (set), ==, rows);
      g_assert_cmpuint (es_embedding_set_get_dims (set), ==, 4);
      if (expect != NULL)
        {
          for (guint k = 0; expect->needles[k] != NULL; k++)
            if (!warnings_contain (set, expect->needles[k]))
              g_error ("%s: no warning with `%s`", cols[0], expect->needles[k]);
          g_assert_cmpuint (es_embedding_set_get_warnings (set)->len, ==, expect->n_warnings);
          g_assert_cmpuint (es_embedding_set_get_n_valid (set), ==, expect->n_valid);
        }
      else
        {
          /* Clean files: no warnings, nothing masked. */
          g_assert_cmpuint (es_embedding_set_get_warnings (set)->len, ==, 0);
          g_assert_cmpuint (es_embedding_set_get_n_valid (set), ==, rows);
        }
      for (guint k = 0; k < es_embedding_set_get_warnings (set)->len; k++)
        g_assert_nonnull (strstr (g_ptr_array_index (es_embedding_set_get_warnings (set), k), path));
    }
}

/* Registers test_loader_bad_file () for every row; returns how many. */
static guint
add_bad_file_tests (void)
{
  g_autofree char *tsv_path = data_path ("bad", "expectations.tsv", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  if (!g_file_get_contents (tsv_path, &contents, NULL, NULL))
    g_error ("cannot read %s", tsv_path);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *name = NULL;
      const char *tab = strchr (lines[i], '\t');

      if (lines[i][0] == '#' || lines[i][0] == '\0' || tab == NULL)
        continue;
      name = g_strdup_printf ("/engine/loader/bad/%.*s", (int) (tab - lines[i]), lines[i]);
      g_test_add_data_func_full (name, g_strdup (lines[i]), test_loader_bad_file, g_free);
      n++;
    }
  return n;
}

static guint n_bad_files;

static void
test_loader_bad_count (void)
{
  g_test_summary ("bad/expectations.tsv still lists every file of bad/ (60 rows)");
  g_assert_cmpuint (n_bad_files, ==, 60);
}

static void
test_loader_same_as_good (void)
{
  const char *text_twins[] = { "crlf.txt", "bom.txt", "tabs.txt", "no_final_newline.txt",
                               "trailing_space.txt", "good.txt.gz", "not_gzip.txt.gz",
                               "good.glove.txt", "crlf.glove.txt", "bom.glove.txt", "good.bin",
                               "cr_only.txt" };
  g_autofree char *good_path = data_path ("bad", "good.txt", NULL);
  g_autoptr(EsEmbeddingSet) good = load_ok (good_path, NULL);
  const char *words[] = { "the", "of", "and", "to", "in", "king", "queen", "water", "red", "london" };

  g_test_summary ("CRLF, lone CR, BOM, TABs, no final newline, trailing spaces, gzip, GloVe and binary twins equal good.txt");

  g_assert_cmpint (es_embedding_set_get_format (good), ==, ES_FORMAT_WORD2VEC_TEXT);
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    g_assert_cmpstr (es_embedding_set_get_word (good, i), ==, words[i]);
  g_assert_true (es_embedding_set_get_vector (good, 0)[0] == 0.125f);
  g_assert_true (es_embedding_set_get_vector (good, 0)[3] == -1.625f);

  for (guint i = 0; i < G_N_ELEMENTS (text_twins); i++)
    {
      g_autofree char *path = data_path ("bad", text_twins[i], NULL);
      g_autoptr(EsEmbeddingSet) set = load_ok (path, NULL);

      g_test_message ("%s", text_twins[i]);
      assert_same_set (good, set);
      g_assert_cmpuint (es_embedding_set_get_warnings (set)->len, ==, 0);
      for (gsize r = 0; r < 10; r++)
        g_assert_null (strchr (es_embedding_set_get_word (set, r), '\r'));
    }

  {
    g_autofree char *path = data_path ("bad", "good.txt.gz", NULL);
    g_autofree char *plain = data_path ("bad", "not_gzip.txt.gz", NULL);
    g_autofree char *bin = data_path ("bad", "good.bin", NULL);
    g_autofree char *glove = data_path ("bad", "good.glove.txt", NULL);
    g_autoptr(EsEmbeddingSet) gz = load_ok (path, NULL);
    g_autoptr(EsEmbeddingSet) not_gz = load_ok (plain, NULL);
    g_autoptr(EsEmbeddingSet) binary = load_ok (bin, NULL);
    g_autoptr(EsEmbeddingSet) gl = load_ok (glove, NULL);

    g_assert_cmpint (es_embedding_set_get_compression (gz), ==, ES_COMPRESSION_GZIP);
    g_assert_cmpint (es_embedding_set_get_compression (not_gz), ==, ES_COMPRESSION_NONE);
    g_assert_cmpint (es_embedding_set_get_compression (good), ==, ES_COMPRESSION_NONE);
    g_assert_cmpint (es_embedding_set_get_format (binary), ==, ES_FORMAT_WORD2VEC_BINARY);
    g_assert_cmpint (es_embedding_set_get_format (gl), ==, ES_FORMAT_GLOVE);
    g_assert_cmpstr (es_embedding_set_get_path (gz), ==, path);
  }
}

static void
test_loader_float_formats (void)
{
  g_autofree char *path = data_path ("bad", "float_formats.txt", NULL);
  g_autoptr(EsEmbeddingSet) set = load_ok (path, NULL);
  const float *r0 = es_embedding_set_get_vector (set, 0);
  const float *r1 = es_embedding_set_get_vector (set, 1);

  g_test_summary ("1e-05 -1.5E+02 +0.5 .5 / 5. -0 0 -6.3681e-05 read exactly, -0 keeps its sign");

  g_assert_true (same_bits (r0[0], 1e-05f));
  g_assert_true (same_bits (r0[1], -150.f));
  g_assert_true (same_bits (r0[2], 0.5f));
  g_assert_true (same_bits (r0[3], 0.5f));
  g_assert_true (same_bits (r1[0], 5.f));
  g_assert_true (same_bits (r1[1], -0.f));
  g_assert_true (signbit (r1[1]));
  g_assert_true (same_bits (r1[2], 0.f));
  g_assert_false (signbit (r1[2]));
  g_assert_true (same_bits (r1[3], -6.3681e-05f));
}

static void
test_loader_words (void)
{
  g_autofree char *utf8_path = data_path ("bad", "utf8_words.txt", NULL);
  g_autofree char *utf8_bin = data_path ("bad", "utf8_words.bin", NULL);
  g_autofree char *long_path = data_path ("bad", "long_word.txt", NULL);
  g_autofree char *long_bin = data_path ("bad", "long_word.bin", NULL);
  g_autofree char *spaces_path = data_path ("bad", "word_with_spaces.glove.txt", NULL);
  g_autofree char *dup_path = data_path ("bad", "duplicate_words.txt", NULL);
  g_autoptr(EsEmbeddingSet) utf8 = load_ok (utf8_path, NULL);
  g_autoptr(EsEmbeddingSet) utf8b = load_ok (utf8_bin, NULL);
  g_autoptr(EsEmbeddingSet) longw = load_ok (long_path, NULL);
  g_autoptr(EsEmbeddingSet) longb = load_ok (long_bin, NULL);
  g_autoptr(EsEmbeddingSet) spaces = load_ok (spaces_path, NULL);
  g_autoptr(EsEmbeddingSet) dup = load_ok (dup_path, NULL);
  gsize nfc, nfd, row;

  g_test_summary ("Words byte-exact: NFC/NFD distinct, 100,000-byte word, spaces in GloVe words, first duplicate wins");

  g_assert_true (es_embedding_set_lookup (utf8, "caf\xc3\xa9", &nfc));
  g_assert_true (es_embedding_set_lookup (utf8, "cafe\xcc\x81", &nfd));
  g_assert_cmpuint (nfc, ==, 0);
  g_assert_cmpuint (nfd, ==, 1);
  g_assert_true (es_embedding_set_lookup (utf8, "\xf0\x9f\x99\x82", NULL));
  g_assert_true (es_embedding_set_lookup (utf8, "\xe6\x9d\xb1\xe4\xba\xac", NULL));
  assert_same_set (utf8, utf8b);

  /* The word as the file has it (line 5), cut out here independently. */
  {
    g_autofree char *contents = NULL;
    g_auto(GStrv) lines = NULL;
    const char *space;

    g_assert_true (g_file_get_contents (long_path, &contents, NULL, NULL));
    lines = g_strsplit (contents, "\n", -1);
    space = strchr (lines[4], ' ');
    g_assert_cmpuint (space - lines[4], >=, 99999);
    g_assert_cmpuint (es_embedding_set_get_word_len (longw, 3), ==, space - lines[4]);
    g_assert_true (memcmp (es_embedding_set_get_word (longw, 3), lines[4], space - lines[4]) == 0);
    g_assert_true (g_str_has_suffix (es_embedding_set_get_word (longw, 3), "long"));
  }
  assert_same_set (longw, longb);

  g_assert_true (es_embedding_set_lookup (spaces, ". . .", &row));
  g_assert_cmpuint (row, ==, 2);
  g_assert_true (es_embedding_set_get_vector (spaces, 2)[0] == 0.375f);
  g_assert_true (es_embedding_set_lookup (spaces, "new york", &row));
  g_assert_cmpuint (row, ==, 4);
  g_assert_true (es_embedding_set_get_vector (spaces, 4)[3] == -2.125f);

  g_assert_true (es_embedding_set_lookup (dup, "king", &row));
  g_assert_cmpuint (row, ==, 5);
  g_assert_true (es_embedding_set_get_vector (dup, row)[0] == -0.75f);
  g_assert_cmpstr (es_embedding_set_get_word (dup, 8), ==, "london");
}

static void
test_loader_invalid_utf8 (void)
{
  g_autofree char *path = data_path ("bad", "invalid_utf8.txt", NULL);
  g_autofree char *bin = data_path ("bad", "invalid_utf8.bin", NULL);
  g_autoptr(EsEmbeddingSet) set = load_ok (path, NULL);
  g_autoptr(EsEmbeddingSet) set_bin = load_ok (bin, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(EsEmbeddingSet) strict = NULL;
  EsLoadOptions options;

  g_test_summary ("Invalid UTF-8 kept byte-exact in lenient mode, an error naming the line in strict mode");

  g_assert_true (es_embedding_set_lookup (set, "caf\xe9", NULL));
  g_assert_false (es_embedding_set_lookup (set, "caf\xe8", NULL));
  assert_same_set (set, set_bin);

  es_load_options_init (&options);
  options.encoding = ES_ENCODING_STRICT;
  strict = load (path, &options, &error);
  g_assert_null (strict);
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_ENCODING);
  g_assert_nonnull (strstr (error->message, ":3: invalid UTF-8"));
  g_clear_error (&error);

  strict = load (bin, &options, &error);
  g_assert_null (strict);
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_ENCODING);
  g_assert_nonnull (strstr (error->message, "row 2 ("));
}

/* ---- real files against their own text ---- */

typedef struct
{
  const char *parts[3];
  EsFormat    format;
  gsize       rows;
  gsize       dims;
  const char *first;
  const char *last;
} RealFile;

static const RealFile real_text_files[] = {
  { { "gensim", "lee_fasttext.vec" }, ES_FORMAT_WORD2VEC_TEXT, 1762, 10, "the", NULL },
  { { "gensim", "pang_lee_polarity_fasttext.vec" }, ES_FORMAT_WORD2VEC_TEXT, 1694, 100, NULL, NULL },
  { { "gensim", "test_glove.txt" }, ES_FORMAT_GLOVE, 76, 50, "the", NULL },
  { { "gensim", "word2vec_pre_kv_c" }, ES_FORMAT_WORD2VEC_TEXT, 1750, 10, NULL, NULL },
  { { "gensim", "EN.1-10.cbow1_wind5_hs0_neg10_size300_smpl1e-05.txt" }, ES_FORMAT_WORD2VEC_TEXT,
    20, 300, "one", "mango" },
  { { "npm-word2vec", "vectors.txt" }, ES_FORMAT_WORD2VEC_TEXT, 2631, 200, "</s>", NULL },
  { { "projector", "iris_tensors.tsv" }, ES_FORMAT_PROJECTOR_TSV, 150, 4, "0", "149" },
};

/* Re-reads every line with strtof_l and compares words and bits. */
static void
check_against_text (EsEmbeddingSet *set,
                    const char     *path,
                    gboolean        has_header,
                    gboolean        has_word)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  gsize row = 0;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);

  for (guint i = has_header ? 1 : 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit_set (lines[i], " \t\r", -1);
      guint n = 0;
      const float *v;

      if (g_strstrip (lines[i])[0] == '\0')
        continue;
      g_assert_cmpuint (row, <, es_embedding_set_get_rows (set));
      v = es_embedding_set_get_vector (set, row);
      for (guint k = 0; fields[k] != NULL; k++)
        {
          if (fields[k][0] == '\0')
            continue;
          if (n == 0 && has_word)
            g_assert_cmpstr (es_embedding_set_get_word (set, row), ==, fields[k]);
          else
            {
              guint j = has_word ? n - 1 : n;

              g_assert_cmpuint (j, <, es_embedding_set_get_dims (set));
              if (!same_bits (v[j], ref_strtof (fields[k])))
                g_error ("%s row %" G_GSIZE_FORMAT " value %u: %.9g != %s", path, row, j, v[j], fields[k]);
            }
          n++;
        }
      g_assert_cmpuint (n, ==, es_embedding_set_get_dims (set) + (has_word ? 1 : 0));
      row++;
    }
  g_assert_cmpuint (row, ==, es_embedding_set_get_rows (set));
}

static void
test_loader_real_text (void)
{
  g_test_summary ("gensim, npm-word2vec, projector TSV and the bundled sample: shape, format, "
                  "every word and value equal to the file's own text");

  for (guint i = 0; i < G_N_ELEMENTS (real_text_files); i++)
    {
      const RealFile *f = &real_text_files[i];
      g_autofree char *path = data_path (f->parts[0], f->parts[1], NULL);
      g_autoptr(EsEmbeddingSet) set = load_ok (path, NULL);
      gsize rows = es_embedding_set_get_rows (set);

      g_test_message ("%s", path);
      g_assert_cmpint (es_embedding_set_get_format (set), ==, f->format);
      g_assert_cmpuint (rows, ==, f->rows);
      g_assert_cmpuint (es_embedding_set_get_dims (set), ==, f->dims);
      if (f->first != NULL)
        g_assert_cmpstr (es_embedding_set_get_word (set, 0), ==, f->first);
      if (f->last != NULL)
        g_assert_cmpstr (es_embedding_set_get_word (set, rows - 1), ==, f->last);
      check_against_text (set, path, f->format == ES_FORMAT_WORD2VEC_TEXT,
                          f->format != ES_FORMAT_PROJECTOR_TSV);
    }

  {
    g_autofree char *path = g_build_filename (g_test_get_dir (G_TEST_DIST), "..", "resources",
                                              "kjv-hamlet-5k-50d.w2v.txt", NULL);
    g_autoptr(EsEmbeddingSet) set = load_ok (path, NULL);

    g_assert_cmpuint (es_embedding_set_get_rows (set), ==, 5000);
    g_assert_cmpuint (es_embedding_set_get_dims (set), ==, 50);
    g_assert_cmpuint (es_embedding_set_get_warnings (set)->len, ==, 0);
    check_against_text (set, path, TRUE, TRUE);
  }
}

static void
test_loader_pang_lee (void)
{
  g_autofree char *path = data_path ("gensim", "pang_lee_polarity_fasttext.vec", NULL);
  g_autoptr(EsEmbeddingSet) set = load_ok (path, NULL);
  g_autoptr(EsEmbeddingSet) strict = NULL;
  g_autoptr(GError) error = NULL;
  EsLoadOptions options;
  const char *lines[] = { ":150:", ":284:", ":435:", ":444:", ":1573:" };

  g_test_summary ("Real cp1252 words: lenient warns about lines 150, 284, 435, 444, 1573; strict fails at 150");

  g_assert_cmpuint (es_embedding_set_get_warnings (set)->len, ==, 5);
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    g_assert_true (warnings_contain (set, lines[i]));
  g_assert_true (es_embedding_set_lookup (set, "clich\xe9s", NULL));

  es_load_options_init (&options);
  options.encoding = ES_ENCODING_STRICT;
  strict = load (path, &options, &error);
  g_assert_null (strict);
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_ENCODING);
  g_assert_nonnull (strstr (error->message, ":150:"));
}

static void
test_loader_binary (void)
{
  g_autofree char *path = data_path ("gensim", "euclidean_vectors.bin", NULL);
  g_autofree char *ref_path = data_path ("reference", "euclidean_vectors_rows.tsv", NULL);
  g_autoptr(EsEmbeddingSet) set = load_ok (path, NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_checked = 0;

  g_test_summary ("gensim's euclidean_vectors.bin (no newline after vectors) equals gensim's own reading");

  g_assert_cmpint (es_embedding_set_get_format (set), ==, ES_FORMAT_WORD2VEC_BINARY);
  g_assert_cmpuint (es_embedding_set_get_rows (set), ==, 2747);
  g_assert_cmpuint (es_embedding_set_get_dims (set), ==, 10);

  g_assert_true (g_file_get_contents (ref_path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cols = NULL;
      g_auto(GStrv) values = NULL;
      gsize row;

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      cols = g_strsplit (lines[i], "\t", 3);
      row = g_ascii_strtoull (cols[0], NULL, 10);
      g_assert_cmpstr (es_embedding_set_get_word (set, row), ==, cols[1]);
      values = g_strsplit (cols[2], " ", -1);
      g_assert_cmpuint (g_strv_length (values), ==, 10);
      for (guint j = 0; j < 10; j++)
        g_assert_true (same_bits (es_embedding_set_get_vector (set, row)[j], ref_strtof (values[j])));
      n_checked++;
    }
  g_assert_cmpuint (n_checked, ==, 7);
}

static void
test_loader_projector (void)
{
  g_autofree char *tsv = data_path ("projector", "iris_tensors.tsv", NULL);
  g_autofree char *bytes = data_path ("projector", "iris_tensors.bytes", NULL);
  g_autofree char *labels = data_path ("projector", "iris_labels.tsv", NULL);
  g_autofree char *tmp = g_dir_make_tmp ("es-loader-XXXXXX", NULL);
  g_autofree char *lonely = g_build_filename (tmp, "iris_tensors.bytes", NULL);
  g_autofree char *raw = NULL;
  gsize raw_len;
  g_autoptr(EsEmbeddingSet) from_tsv = NULL;
  g_autoptr(EsEmbeddingSet) from_config = NULL;
  g_autoptr(EsEmbeddingSet) from_shape = NULL;
  g_autoptr(EsEmbeddingSet) no_shape = NULL;
  g_autoptr(EsEmbeddingSet) bad_shape = NULL;
  g_autoptr(GError) error = NULL;
  EsMetadata *metadata;
  EsLoadOptions options;

  g_test_summary ("Projector TSV, .bytes with projector_config.json or an explicit shape, metadata attached");

  es_load_options_init (&options);
  options.metadata_path = labels;
  from_tsv = load_ok (tsv, &options);
  g_assert_cmpint (es_embedding_set_get_format (from_tsv), ==, ES_FORMAT_PROJECTOR_TSV);
  metadata = es_embedding_set_get_metadata (from_tsv);
  g_assert_nonnull (metadata);
  g_assert_cmpuint (es_metadata_get_n_rows (metadata), ==, 150);
  g_assert_cmpuint (es_metadata_get_n_columns (metadata), ==, 5);
  g_assert_cmpstr (es_metadata_get_column_name (metadata, 4), ==, "class");
  g_assert_cmpstr (es_metadata_get_value (metadata, 0, 4), ==, "Iris-setosa");
  g_assert_cmpstr (es_metadata_get_value (metadata, 149, 4), ==, "Iris-virginica");
  /* The first column (sepal-length) repeats, so words are point indices. */
  g_assert_cmpstr (es_embedding_set_get_word (from_tsv, 0), ==, "0");
  g_assert_cmpstr (es_embedding_set_get_word (from_tsv, 149), ==, "149");

  /* projector_config.json beside the .bytes gives shape and metadata. */
  from_config = load_ok (bytes, NULL);
  g_assert_cmpint (es_embedding_set_get_format (from_config), ==, ES_FORMAT_PROJECTOR_BYTES);
  assert_same_set (from_tsv, from_config);
  g_assert_nonnull (es_embedding_set_get_metadata (from_config));
  g_assert_cmpstr (es_metadata_get_value (es_embedding_set_get_metadata (from_config), 50, 4), ==,
                   "Iris-versicolor");

  /* Without a config: only an explicit shape will do. */
  g_assert_true (g_file_get_contents (bytes, &raw, &raw_len, NULL));
  g_assert_true (g_file_set_contents (lonely, raw, raw_len, NULL));
  no_shape = load (lonely, NULL, &error);
  g_assert_null (no_shape);
  g_assert_nonnull (error);
  g_clear_error (&error);

  es_load_options_init (&options);
  options.shape_rows = 150;
  options.shape_dims = 4;
  from_shape = load_ok (lonely, &options);
  assert_same_set (from_tsv, from_shape);
  g_assert_null (es_embedding_set_get_metadata (from_shape));

  options.shape_rows = 151;
  bad_shape = load (lonely, &options, &error);
  g_assert_null (bad_shape);
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_DIMENSION);
  g_assert_nonnull (strstr (error->message, "2400"));

  g_unlink (lonely);
  g_rmdir (tmp);
}

static void
test_loader_projector_metadata (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("es-loader-XXXXXX", NULL);
  g_autofree char *tensor = g_build_filename (tmp, "t.tsv", NULL);
  g_autofree char *labels = g_build_filename (tmp, "labels.tsv", NULL);
  g_autofree char *short_labels = g_build_filename (tmp, "short.tsv", NULL);
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(EsEmbeddingSet) bad = NULL;
  g_autoptr(GError) error = NULL;
  EsLoadOptions options;

  g_test_summary ("Single-column metadata has no header and unique labels become the words; counts must match");

  g_assert_true (g_file_set_contents (tensor, "1\t2\n3\t4.5\n-1\t0\n", -1, NULL));
  g_assert_true (g_file_set_contents (labels, "alpha\nbeta\ngamma\n\n", -1, NULL));
  g_assert_true (g_file_set_contents (short_labels, "alpha\nbeta\n", -1, NULL));

  es_load_options_init (&options);
  options.metadata_path = labels;
  set = load_ok (tensor, &options);
  g_assert_cmpuint (es_embedding_set_get_rows (set), ==, 3);
  g_assert_cmpstr (es_embedding_set_get_word (set, 0), ==, "alpha");
  g_assert_cmpstr (es_embedding_set_get_word (set, 2), ==, "gamma");
  g_assert_true (es_embedding_set_get_vector (set, 1)[1] == 4.5f);
  g_assert_cmpstr (es_metadata_get_value (es_embedding_set_get_metadata (set), 1, 0), ==, "beta");

  options.metadata_path = short_labels;
  bad = load (tensor, &options, &error);
  g_assert_null (bad);
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_DIMENSION);
  g_assert_nonnull (strstr (error->message, short_labels));

  g_unlink (tensor);
  g_unlink (labels);
  g_unlink (short_labels);
  g_rmdir (tmp);
}

/* Rank 3 (layers × tokens × dims): rows keyed by position, labels
 * "TOKEN #POS @LAYER", metadata token/position/layer; float16 read exactly.
 */
static void
test_loader_npy_rank3 (void)
{
  g_autofree char *flat = data_path ("npy", "iris_f4.npy", NULL);
  g_autofree char *iris3 = data_path ("npy", "iris_3d.npy", NULL);
  g_autofree char *hidden = data_path ("npy", "hidden_f16.npy", NULL);
  g_autofree char *tokens = data_path ("npy", "hidden.tokens.tsv", NULL);
  g_autofree char *labels = data_path ("projector", "iris_labels.tsv", NULL);
  g_autoptr(EsEmbeddingSet) reference = load_ok (flat, NULL);
  g_autoptr(EsEmbeddingSet) set3 = load_ok (iris3, NULL);
  g_autoptr(EsEmbeddingSet) h = NULL;
  g_autoptr(EsEmbeddingSet) layer = NULL;
  g_autoptr(GError) error = NULL;
  EsMetadata *metadata;
  EsLoadOptions options;
  /* /usr/bin/python3 (numpy 1.24.2): h = ((np.arange(60.).reshape(3, 4, 5) - 29.5) / 7)
   * .astype('<f2').astype(np.float32).reshape(12, 5); rows 0, 7 and 11, '%.9g'.
   */
  static const float row0[] = { -4.21484375f, -4.0703125f, -3.92773438f, -3.78515625f, -3.64257812f };
  static const float row7[] = { 0.785644531f, 0.928710938f, 1.07128906f, 1.21386719f, 1.35742188f };
  static const float row11[] = { 3.64257812f, 3.78515625f, 3.92773438f, 4.0703125f, 4.21484375f };

  g_test_summary ("a rank-3 .npy loads as layers·tokens rows keyed by position (labels may repeat), "
                  "float16 exactly, one layer with select_layer; a tokens TSV of the wrong length is refused");

  /* The same floats as the 2-D file, 150 × 2 positions of 2 dims. */
  g_assert_cmpuint (es_embedding_set_get_rows (set3), ==, 300);
  g_assert_cmpuint (es_embedding_set_get_dims (set3), ==, 2);
  g_assert_true (memcmp (es_matrix_get_data (es_embedding_set_get_matrix (reference)),
                         es_matrix_get_data (es_embedding_set_get_matrix (set3)),
                         600 * sizeof (float)) == 0);
  g_assert_cmpstr (es_embedding_set_get_word (set3, 0), ==, "#0 @0");
  g_assert_cmpstr (es_embedding_set_get_word (set3, 5), ==, "#1 @2");

  es_load_options_init (&options);
  options.metadata_path = tokens;
  h = load_ok (hidden, &options);
  g_assert_cmpuint (es_embedding_set_get_rows (h), ==, 12);
  g_assert_cmpuint (es_embedding_set_get_dims (h), ==, 5);
  g_assert_cmpmem (es_embedding_set_get_vector (h, 0), sizeof row0, row0, sizeof row0);
  g_assert_cmpmem (es_embedding_set_get_vector (h, 7), sizeof row7, row7, sizeof row7);
  g_assert_cmpmem (es_embedding_set_get_vector (h, 11), sizeof row11, row11, sizeof row11);
  g_assert_cmpstr (es_embedding_set_get_word (h, 0), ==, "the #0 @0");
  g_assert_cmpstr (es_embedding_set_get_word (h, 2), ==, "the #2 @0");
  g_assert_cmpstr (es_embedding_set_get_word (h, 7), ==, "mat #3 @1");
  metadata = es_embedding_set_get_metadata (h);
  g_assert_nonnull (metadata);
  g_assert_cmpint (es_metadata_find_column (metadata, "layer"), ==, 2);
  g_assert_cmpstr (es_metadata_get_value (metadata, 6, 0), ==, "the");
  g_assert_cmpstr (es_metadata_get_value (metadata, 6, 1), ==, "2");
  g_assert_cmpstr (es_metadata_get_value (metadata, 6, 2), ==, "1");

  options.select_layer = TRUE;
  options.layer = 2;
  layer = load_ok (hidden, &options);
  g_assert_cmpuint (es_embedding_set_get_rows (layer), ==, 4);
  g_assert_cmpmem (es_embedding_set_get_vector (layer, 3), sizeof row11, row11, sizeof row11);
  g_assert_cmpstr (es_embedding_set_get_word (layer, 3), ==, "mat #3 @2");

  options.layer = 3;
  g_assert_null (load (hidden, &options, &error));
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "3 layers"));
  g_clear_error (&error);

  es_load_options_init (&options);
  options.metadata_path = labels;
  g_assert_null (load (hidden, &options, &error));
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_DIMENSION);
  g_assert_nonnull (strstr (error->message, "per layer"));
}

static void
test_loader_npy (void)
{
  g_autofree char *bytes = data_path ("projector", "iris_tensors.bytes", NULL);
  g_autofree char *f4 = data_path ("npy", "iris_f4.npy", NULL);
  g_autofree char *f8 = data_path ("npy", "iris_f8_v2.npy", NULL);
  g_autofree char *labels = data_path ("projector", "iris_labels.tsv", NULL);
  const char *bad[] = { "bad_fortran.npy", "bad_3d_big_endian.npy", "bad_int.npy",
                        "bad_big_endian.npy", "bad_truncated.npy" };
  const char *bad_needles[] = { "fortran_order", "dtype", "dtype", "dtype", "needs more data" };
  g_autoptr(EsEmbeddingSet) reference = load_ok (bytes, NULL);
  g_autoptr(EsEmbeddingSet) set4 = load_ok (f4, NULL);
  g_autoptr(EsEmbeddingSet) set8 = NULL;
  EsLoadOptions options;

  g_test_summary ("numpy-written .npy (v1 <f4, v2 <f8) equal the raw tensor; other layouts refused clearly");

  g_assert_cmpint (es_embedding_set_get_format (set4), ==, ES_FORMAT_NPY);
  g_assert_cmpuint (es_embedding_set_get_rows (set4), ==, 150);
  g_assert_true (memcmp (es_matrix_get_data (es_embedding_set_get_matrix (reference)),
                         es_matrix_get_data (es_embedding_set_get_matrix (set4)),
                         150 * 4 * sizeof (float)) == 0);
  g_assert_cmpstr (es_embedding_set_get_word (set4, 7), ==, "7");

  es_load_options_init (&options);
  options.metadata_path = labels;
  set8 = load_ok (f8, &options);
  assert_same_set (reference, set8);
  g_assert_cmpuint (es_metadata_get_n_rows (es_embedding_set_get_metadata (set8)), ==, 150);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = data_path ("npy", bad[i], NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(EsEmbeddingSet) set = load (path, NULL, &error);

      g_assert_null (set);
      g_assert_nonnull (error);
      g_test_message ("%s: %s", bad[i], error->message);
      g_assert_nonnull (strstr (error->message, path));
      g_assert_nonnull (strstr (error->message, bad_needles[i]));
    }
}

static void
test_loader_gzip (void)
{
  struct { const char *gz[2]; const char *plain[2]; } pairs[] = {
    { { "gz", "lee_fasttext.vec.gz" }, { "gensim", "lee_fasttext.vec" } },
    { { "gz", "good.bin.gz" }, { "bad", "good.bin" } },
    { { "gz", "good_two_members.txt.gz" }, { "bad", "good.txt" } },
  };

  g_test_summary ("gzip (including a gzipped binary and a two-member file) equals the plain load");

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_autofree char *gz = data_path (pairs[i].gz[0], pairs[i].gz[1], NULL);
      g_autofree char *plain = data_path (pairs[i].plain[0], pairs[i].plain[1], NULL);
      g_autoptr(EsEmbeddingSet) a = load_ok (gz, NULL);
      g_autoptr(EsEmbeddingSet) b = load_ok (plain, NULL);

      assert_same_set (a, b);
      g_assert_cmpint (es_embedding_set_get_format (a), ==, es_embedding_set_get_format (b));
      g_assert_cmpint (es_embedding_set_get_compression (a), ==, ES_COMPRESSION_GZIP);
    }
}

static void
test_loader_decimal_comma (void)
{
  g_autofree char *path = data_path ("bad", "float_formats.txt", NULL);
  g_autofree char *good_path = data_path ("bad", "good.txt", NULL);
  g_autofree char *saved = g_strdup (setlocale (LC_ALL, NULL));
  const char *comma_locales[] = { "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8",
                                  "ru_RU.UTF-8", "nl_NL.UTF-8" };
  const char *found = NULL;

  g_test_summary ("Numbers parse the same under a decimal-comma locale");

  for (guint i = 0; i < G_N_ELEMENTS (comma_locales) && found == NULL; i++)
    if (setlocale (LC_ALL, comma_locales[i]) != NULL)
      found = comma_locales[i];
  if (found == NULL || strcmp (localeconv ()->decimal_point, ",") != 0)
    {
      setlocale (LC_ALL, saved);
      /* CI must run this test: build-aux/quickstart makes the locale. */
      if (g_getenv ("ES_REQUIRE_LOCALE") != NULL)
        g_error ("no decimal-comma locale, but ES_REQUIRE_LOCALE is set");
      g_test_skip ("no decimal-comma locale installed (install `locales` and generate de_DE.UTF-8)");
      return;
    }

  {
    g_autoptr(EsEmbeddingSet) set = load_ok (path, NULL);
    g_autoptr(EsEmbeddingSet) good = load_ok (good_path, NULL);
    const float *r0 = es_embedding_set_get_vector (set, 0);

    g_assert_true (same_bits (r0[0], 1e-05f));
    g_assert_true (same_bits (r0[2], 0.5f));
    g_assert_true (same_bits (es_embedding_set_get_vector (set, 1)[3], -6.3681e-05f));
    g_assert_true (es_embedding_set_get_vector (good, 0)[0] == 0.125f);
  }
  {
    /* %.18e values take the strtof_l path, which must ignore the locale too. */
    g_autofree char *en = data_path ("gensim", "EN.1-10.cbow1_wind5_hs0_neg10_size300_smpl1e-05.txt", NULL);
    g_autoptr(EsEmbeddingSet) set = load_ok (en, NULL);

    check_against_text (set, en, TRUE, TRUE);
  }
  setlocale (LC_ALL, saved);
}

/* The loader's number parser on many random strings in the formats files
 * use, through the public API (a one-row GloVe file per batch).
 */
static void
test_loader_random_floats (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261126);
  const char *formats[] = { "%.5g", "%.6f", "%.9g", "%.18e", "%.3e", "%.7g", "%.1f", "%.12g",
                            "%.0f", "%.3f", "%.8f", "%g", "%.2g" };
  const guint n_values = 1000;
  const guint n_batches = 200;
  guint n_checked = 0;

  g_test_summary ("200,000 random decimals (%.5g, %.6f, %.9g, %.18e, ...) parse bit-identical to strtof_l");

  for (guint batch = 0; batch < n_batches; batch++)
    {
      g_autoptr(GString) line = g_string_new ("w");
      g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(EsEmbeddingSet) set = NULL;
      g_autoptr(GError) error = NULL;
      const float *v;

      for (guint i = 0; i < n_values; i++)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];
          const char *format = formats[g_rand_int_range (rand, 0, G_N_ELEMENTS (formats))];
          double mantissa = g_rand_double_range (rand, -1.0, 1.0);
          int exponent = g_rand_int_range (rand, -12, 13);
          double value = mantissa * pow (10.0, exponent);

          /* Half of them exactly representable as float, like files written from float32. */
          if (g_rand_boolean (rand))
            value = (float) value;
          if (g_rand_int_range (rand, 0, 50) == 0)
            value = mantissa * pow (10.0, g_rand_int_range (rand, -45, 39));
          g_ascii_formatd (buf, sizeof buf, format, value);
          g_string_append_c (line, ' ');
          g_string_append (line, buf);
          g_ptr_array_add (texts, g_strdup (buf));
        }
      g_string_append_c (line, '\n');
      /* Twice: the first line has data after it (the reader's 8-byte
       * digit path), the last one not (the bounded path).
       */
      g_string_append_printf (line, "u%s", line->str + 1);

      bytes = g_bytes_new (line->str, line->len);
      set = es_loader_load_bytes (bytes, "random", NULL, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (es_embedding_set_get_dims (set), ==, n_values);
      g_assert_cmpuint (es_embedding_set_get_rows (set), ==, 2);
      for (guint i = 0; i < n_values * 2; i++)
        {
          float expected = ref_strtof (g_ptr_array_index (texts, i % n_values));

          v = es_embedding_set_get_vector (set, i / n_values);
          if (!same_bits (v[i % n_values], expected))
            g_error ("`%s`: got %.9g, strtof_l %.9g", (char *) g_ptr_array_index (texts, i % n_values),
                     v[i % n_values], expected);
          n_checked++;
        }
    }
  g_assert_cmpuint (n_checked, ==, 2 * n_values * n_batches);
}

/* The 8-byte digit reader on every shape of short number (digit counts 0..9
 * on both sides of the point, signs, exponents, junk after it): when it
 * accepts, it must agree with the general parser and strtof_l on the
 * value and on where the number stops.
 */
static void
test_loader_float_swar (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (4);
  const char tails[] = " \t\n\r,x.e-+";
  guint n_accepted = 0;

  g_test_summary ("The 8-byte digit reader agrees with the general parser and strtof_l, or declines");

  for (guint i = 0; i < 400000; i++)
    {
      char text[64];
      gsize len = 0;
      guint n_int = g_rand_int_range (rand, 0, 10);
      guint n_frac = g_rand_int_range (rand, 0, 10);
      float fast = 0.f, general = 0.f;
      const char *fast_stop = NULL, *general_stop = NULL;

      if (g_rand_int_range (rand, 0, 3) == 0)
        text[len++] = "-+"[g_rand_int_range (rand, 0, 2)];
      for (guint k = 0; k < n_int; k++)
        text[len++] = '0' + g_rand_int_range (rand, 0, 10);
      if (n_frac > 0 || g_rand_boolean (rand))
        text[len++] = '.';
      for (guint k = 0; k < n_frac; k++)
        text[len++] = '0' + g_rand_int_range (rand, 0, 10);
      if (g_rand_int_range (rand, 0, 4) == 0)
        {
          guint n_exp = g_rand_int_range (rand, 0, 6);

          text[len++] = "eE"[g_rand_int_range (rand, 0, 2)];
          if (g_rand_boolean (rand))
            text[len++] = "-+"[g_rand_int_range (rand, 0, 2)];
          for (guint k = 0; k < n_exp; k++)
            text[len++] = '0' + g_rand_int_range (rand, 0, 10);
        }
      /* What follows: a separator, junk, or the line end; then padding. */
      text[len] = tails[g_rand_int_range (rand, 0, sizeof tails - 1)];
      memset (text + len + 1, g_rand_boolean (rand) ? '7' : '\n', sizeof text - len - 1);

      if (!_es_parse_float_swar (text, &fast, &fast_stop))
        continue;
      n_accepted++;
      g_assert_cmpint (_es_parse_float_prefix (text, text + len + 1, &general, &general_stop), ==,
                       ES_FLOAT_OK);
      if (fast_stop != general_stop || !same_bits (fast, general))
        g_error ("`%.*s`: digit reader %.9g (stop %d), general %.9g (stop %d)", (int) len + 1, text,
                 fast, (int) (fast_stop - text), general, (int) (general_stop - text));
      if (fast_stop == text + len)
        {
          char nul_terminated[64];

          memcpy (nul_terminated, text, len);
          nul_terminated[len] = '\0';
          g_assert_true (same_bits (fast, ref_strtof (nul_terminated)));
        }
    }
  g_test_message ("%u accepted by the digit reader", n_accepted);
  g_assert_cmpuint (n_accepted, >, 50000);
}

/* The fast path's domain (significand < 2^24, |exponent| <= 10) on a dense
 * grid, through the internal parser, against strtof_l.
 */
static void
test_loader_float_fast_path (void)
{
  guint n_checked = 0;

  g_test_summary ("Significands below 2^24 with exponents -10..10 (the fast path) equal strtof_l");

  for (int k = -10; k <= 10; k++)
    for (guint32 m = 0; m < (1u << 24); m += 101 + (m & 7))
      {
        char text[32];
        float value = 0.f;
        float expected;

        g_snprintf (text, sizeof text, "%ue%d", m, k);
        g_assert_cmpint (_es_parse_float (text, strlen (text), &value), ==, ES_FLOAT_OK);
        expected = ref_strtof (text);
        if (!same_bits (value, expected))
          g_error ("`%s`: got %.9g, strtof_l %.9g", text, value, expected);
        n_checked++;
      }
  g_assert_cmpuint (n_checked, >, 3000000);
}

static void
test_loader_bad_numbers (void)
{
  const char *bad[] = { "abc", "1,5", "0.1.2", "0x1p3", "nan(1)", "1e", "--1", "+", ".", "e5", "1e+" };
  const char *good[] = { "NaN", "-nan", "INF", "-Infinity", "infinity", "1E5", "-.5e-3", "0.", "+0" };

  g_test_summary ("Only decimal numbers, nan, inf and infinity are values; anything else names the field");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *text = g_strdup_printf ("w 1 2\nv 1 %s\n", bad[i]);
      g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
      g_autoptr(GError) error = NULL;
      g_autoptr(EsEmbeddingSet) set = es_loader_load_bytes (bytes, "mem", NULL, NULL, NULL, NULL, &error);
      g_autofree char *needle = g_strdup_printf ("mem:2: field 3 (`%s`) is not a number", bad[i]);

      g_assert_null (set);
      g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_PARSE);
      g_assert_cmpstr (error->message, ==, needle);
    }
  /* A typo in the first row of a word2vec text file is a parse error, not
   * a reason to read the text as binary floats.
   */
  {
    static const char typo[] = "2 3\nthe 0.1 abc 0.3\nof 1 2 3\n";
    g_autoptr(GBytes) bytes = g_bytes_new_static (typo, sizeof typo - 1);
    g_autoptr(GError) error = NULL;
    g_autoptr(EsEmbeddingSet) set = es_loader_load_bytes (bytes, "typo", NULL, NULL, NULL, NULL, &error);

    g_assert_null (set);
    g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_PARSE);
    g_assert_cmpstr (error->message, ==, "typo:2: field 3 (`abc`) is not a number");
  }
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *text = g_strdup_printf ("w 1 2\nv 1 %s\n", good[i]);
      g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
      g_autoptr(GError) error = NULL;
      g_autoptr(EsEmbeddingSet) set = es_loader_load_bytes (bytes, "mem", NULL, NULL, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (es_embedding_set_get_dims (set), ==, 2);
      g_assert_true (same_bits (es_embedding_set_get_vector (set, 1)[1], ref_strtof (good[i])) ||
                     (isnan (es_embedding_set_get_vector (set, 1)[1]) && isnan (ref_strtof (good[i]))));
    }
}

static void
test_loader_warning_cap (void)
{
  g_autoptr(GString) text = g_string_new ("");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EsEmbeddingSet) set = NULL;
  GPtrArray *warnings;

  g_test_summary ("At most 100 warnings, then one `... and N more`; duplicates in binaries name both rows");

  for (guint i = 0; i < 300; i++)
    g_string_append_printf (text, "w%u 1 %s\n", i, i % 2 ? "nan" : "2");
  bytes = g_bytes_new (text->str, text->len);
  set = es_loader_load_bytes (bytes, "many", NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (es_embedding_set_get_rows (set), ==, 300);
  g_assert_cmpuint (es_embedding_set_get_n_valid (set), ==, 150);
  warnings = es_embedding_set_get_warnings (set);
  g_assert_cmpuint (warnings->len, ==, 101);
  g_assert_cmpstr (g_ptr_array_index (warnings, 0), ==, "many:2: non-finite value nan");
  g_assert_cmpstr (g_ptr_array_index (warnings, 99), ==, "many:200: non-finite value nan");
  g_assert_cmpstr (g_ptr_array_index (warnings, 100), ==, "... and 50 more");

  {
    /* A word2vec binary with `b` twice: rows 2 and 3 (1-based). */
    static const char binary[] = "3 1\na \0\0\x80\x3f\nb \0\0\0\x40\nb \0\0\x40\x40\n";
    g_autoptr(GBytes) bin = g_bytes_new_static (binary, sizeof binary - 1);
    g_autoptr(EsEmbeddingSet) bin_set = es_loader_load_bytes (bin, "dup.bin", NULL, NULL, NULL, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpint (es_embedding_set_get_format (bin_set), ==, ES_FORMAT_WORD2VEC_BINARY);
    g_assert_cmpuint (es_embedding_set_get_rows (bin_set), ==, 2);
    g_assert_true (es_embedding_set_get_vector (bin_set, 1)[0] == 2.0f);
    g_assert_cmpuint (es_embedding_set_get_warnings (bin_set)->len, ==, 1);
    g_assert_cmpstr (g_ptr_array_index (es_embedding_set_get_warnings (bin_set), 0), ==,
                     "dup.bin: row 3 (b), byte 18: duplicate word (first at row 2), this row skipped");
  }
}

/* Loads @path once by one thread and once split between two threads at
 * the middle, and asserts the same result, warnings or error.
 */
static void
assert_split_equivalent (const char          *path,
                         const EsLoadOptions *options)
{
  g_autoptr(GError) error1 = NULL;
  g_autoptr(GError) error2 = NULL;
  g_autoptr(EsEmbeddingSet) one = NULL;
  g_autoptr(EsEmbeddingSet) two = NULL;

  _es_text_reader_set_split_min (G_MAXSIZE);
  one = load (path, options, &error1);
  _es_text_reader_set_split_min (1);
  two = load (path, options, &error2);
  _es_text_reader_set_split_min (16u << 20);

  g_test_message ("%s: %s", path, error1 ? error1->message : "accepted");
  if (one == NULL)
    {
      g_assert_null (two);
      g_assert_nonnull (error2);
      g_assert_cmpstr (error1->message, ==, error2->message);
      return;
    }
  g_assert_nonnull (two);
  assert_same_set (one, two);
  g_assert_cmpuint (es_embedding_set_get_warnings (one)->len, ==, es_embedding_set_get_warnings (two)->len);
  for (guint i = 0; i < es_embedding_set_get_warnings (one)->len; i++)
    g_assert_cmpstr (g_ptr_array_index (es_embedding_set_get_warnings (one), i), ==,
                     g_ptr_array_index (es_embedding_set_get_warnings (two), i));
}

static void
test_loader_two_threads (void)
{
  const char *bad[] = { "good.txt", "good.glove.txt", "blank_lines.txt", "duplicate_words.txt",
                        "header_rows_too_few.txt", "header_rows_too_many.txt", "invalid_utf8.txt",
                        "nan_inf.txt", "row_too_few.txt", "row_too_many.txt", "non_numeric.txt",
                        "ragged.glove.txt", "word_with_spaces.glove.txt", "crlf.txt",
                        "no_final_newline.txt", "float32_overflow.txt", "long_word.txt" };
  const char *real[][2] = { { "gensim", "lee_fasttext.vec" }, { "gensim", "pang_lee_polarity_fasttext.vec" },
                            { "gensim", "test_glove.txt" }, { "projector", "iris_tensors.tsv" },
                            { "npm-word2vec", "vectors.txt" } };
  g_autofree char *sample = g_build_filename (g_test_get_dir (G_TEST_DIST), "..", "resources",
                                              "kjv-hamlet-5k-50d.w2v.txt", NULL);
  g_autoptr(GString) dups = g_string_new ("");
  g_autofree char *tmp = g_dir_make_tmp ("es-loader-XXXXXX", NULL);
  g_autofree char *dups_path = g_build_filename (tmp, "dups.txt", NULL);
  EsLoadOptions strict;

  g_test_summary ("Splitting a text file between two threads changes nothing: rows, words, warnings, errors");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = data_path ("bad", bad[i], NULL);

      assert_split_equivalent (path, NULL);
    }
  for (guint i = 0; i < G_N_ELEMENTS (real); i++)
    {
      g_autofree char *path = data_path (real[i][0], real[i][1], NULL);

      assert_split_equivalent (path, NULL);
    }
  assert_split_equivalent (sample, NULL);

  es_load_options_init (&strict);
  strict.encoding = ES_ENCODING_STRICT;
  {
    g_autofree char *path = data_path ("gensim", "pang_lee_polarity_fasttext.vec", NULL);

    assert_split_equivalent (path, &strict);
  }

  /* Duplicates across the halves name lines of both halves. */
  for (guint i = 0; i < 400; i++)
    g_string_append_printf (dups, "w%u 0.5 %u\n", i % 150, i);
  g_assert_true (g_file_set_contents (dups_path, dups->str, dups->len, NULL));
  assert_split_equivalent (dups_path, NULL);

  g_unlink (dups_path);
  g_rmdir (tmp);
}

static void
test_loader_limit (void)
{
  g_autofree char *text = data_path ("gensim", "lee_fasttext.vec", NULL);
  g_autofree char *bin = data_path ("gensim", "euclidean_vectors.bin", NULL);
  g_autofree char *glove = data_path ("gensim", "test_glove.txt", NULL);
  g_autofree char *short_header = data_path ("bad", "header_rows_too_many.txt", NULL);
  g_autoptr(EsEmbeddingSet) full = load_ok (text, NULL);
  g_autoptr(EsEmbeddingSet) full_bin = load_ok (bin, NULL);
  g_autoptr(EsEmbeddingSet) full_glove = load_ok (glove, NULL);
  EsLoadOptions options;
  const char *paths[] = { text, bin, glove };
  EsEmbeddingSet *fulls[] = { full, full_bin, full_glove };

  g_test_summary ("limit keeps the first N rows of text, binary and GloVe files");

  es_load_options_init (&options);
  options.limit = 25;
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(EsEmbeddingSet) set = load_ok (paths[i], &options);
      gsize dims = es_embedding_set_get_dims (set);

      g_assert_cmpuint (es_embedding_set_get_rows (set), ==, 25);
      for (gsize r = 0; r < 25; r++)
        {
          g_assert_cmpstr (es_embedding_set_get_word (set, r), ==, es_embedding_set_get_word (fulls[i], r));
          g_assert_true (memcmp (es_embedding_set_get_vector (set, r),
                                 es_embedding_set_get_vector (fulls[i], r), dims * sizeof (float)) == 0);
        }
    }

  /* The header promises 12 rows, the file has 10: fine when only 5 are wanted. */
  options.limit = 5;
  {
    g_autoptr(EsEmbeddingSet) set = load_ok (short_header, &options);

    g_assert_cmpuint (es_embedding_set_get_rows (set), ==, 5);
  }
}

static void
test_loader_memory_limit (void)
{
  g_autofree char *path = data_path ("gensim", "lee_fasttext.vec", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(EsEmbeddingSet) set = NULL;
  EsLoadOptions options;

  g_test_summary ("Over the memory ceiling: a clear error suggesting --limit, no allocation");

  es_load_options_init (&options);
  options.memory_limit = 10000;
  set = load (path, &options, &error);
  g_assert_null (set);
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "use --limit"));
  g_clear_error (&error);

  /* A gzip bomb (64 MB of zeros in ~64 KB) stops at the ceiling. */
  {
    g_autoptr(GConverter) compressor = G_CONVERTER (g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9));
    g_autofree char *zeros = g_malloc0 (64u << 20);
    g_autofree guint8 *packed = g_malloc (1u << 20);
    gsize read = 0, written = 0;
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(EsEmbeddingSet) bomb = NULL;

    g_assert_cmpint (g_converter_convert (compressor, zeros, 64u << 20, packed, 1u << 20,
                                          G_CONVERTER_INPUT_AT_END, &read, &written, &error),
                     ==, G_CONVERTER_FINISHED);
    g_assert_no_error (error);
    bytes = g_bytes_new (packed, written);
    options.memory_limit = 16u << 20;
    bomb = es_loader_load_bytes (bytes, "bomb.gz", &options, NULL, NULL, NULL, &error);
    g_assert_null (bomb);
    g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE);
    g_assert_nonnull (strstr (error->message, "bomb.gz: this file needs more than"));
  }
}

typedef struct
{
  GCancellable *cancellable;
  double        last;
  guint         calls;
  gboolean      monotonic;
} ProgressState;

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  ProgressState *state = user_data;

  if (fraction < state->last)
    state->monotonic = FALSE;
  state->last = fraction;
  state->calls++;
  if (state->cancellable != NULL)
    g_cancellable_cancel (state->cancellable);
}

static void
test_loader_progress_cancel (void)
{
  g_autofree char *path = g_build_filename (g_test_get_dir (G_TEST_DIST), "..", "resources",
                                            "kjv-hamlet-5k-50d.w2v.txt", NULL);
  g_autofree char *gz = data_path ("gz", "lee_fasttext.vec.gz", NULL);
  ProgressState state = { NULL, 0.0, 0, TRUE };
  g_autoptr(GError) error = NULL;

  g_test_summary ("Progress is monotonic and reaches 1.0; a cancel from the callback stops the load");

  {
    g_autoptr(EsEmbeddingSet) set = es_loader_load_path (path, NULL, NULL, progress_cb, &state, &error);

    g_assert_no_error (error);
    g_assert_true (state.monotonic);
    g_assert_cmpfloat (state.last, ==, 1.0);
    g_assert_cmpuint (state.calls, >=, 3);   /* the file is 2.4 MB: polled every MB */
  }

  /* Plain, gzip, and plain split between two threads. */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(EsEmbeddingSet) set = NULL;
      ProgressState cancel_state = { cancellable, 0.0, 0, TRUE };

      _es_text_reader_set_split_min (i == 2 ? 1 : 16u << 20);
      set = es_loader_load_path (i == 1 ? gz : path, NULL, cancellable, progress_cb, &cancel_state, &error);
      g_assert_null (set);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_cmpfloat (cancel_state.last, <, 1.0);
      g_clear_error (&error);
    }
  _es_text_reader_set_split_min (16u << 20);

  /* Split progress is monotonic too and ends at 1. */
  {
    ProgressState split_state = { NULL, 0.0, 0, TRUE };
    g_autoptr(EsEmbeddingSet) set = NULL;

    _es_text_reader_set_split_min (1);
    set = es_loader_load_path (path, NULL, NULL, progress_cb, &split_state, &error);
    _es_text_reader_set_split_min (16u << 20);
    g_assert_no_error (error);
    g_assert_true (split_state.monotonic);
    g_assert_cmpfloat (split_state.last, ==, 1.0);
  }
}

static void
load_async_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  EsEmbeddingSet **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = es_loader_load_path_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_loader_async_and_bytes (void)
{
  g_autofree char *path = data_path ("gensim", "lee_fasttext.vec", NULL);
  g_autoptr(EsEmbeddingSet) sync = load_ok (path, NULL);
  g_autoptr(EsEmbeddingSet) async = NULL;
  g_autoptr(EsEmbeddingSet) from_bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;
  g_autoptr(GBytes) bytes = NULL;

  g_test_summary ("The async load and load_bytes give the same set as load_path");

  es_loader_load_path_async (path, NULL, NULL, NULL, NULL, load_async_cb, &async);
  while (async == NULL)
    g_main_context_iteration (NULL, TRUE);
  assert_same_set (sync, async);
  g_assert_cmpstr (es_embedding_set_get_path (async), ==, path);

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  from_bytes = es_loader_load_bytes (bytes, "lee.vec", NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_same_set (sync, from_bytes);
  g_assert_cmpstr (es_embedding_set_get_path (from_bytes), ==, "lee.vec");
  g_assert_cmpint (es_embedding_set_get_format (from_bytes), ==, ES_FORMAT_WORD2VEC_TEXT);
}

static void
test_loader_join_metadata (void)
{
  g_autofree char *path = data_path ("bad", "good.txt", NULL);
  g_autofree char *tmp = g_dir_make_tmp ("es-loader-XXXXXX", NULL);
  g_autofree char *tsv = g_build_filename (tmp, "categories.tsv", NULL);
  g_autoptr(EsEmbeddingSet) set = load_ok (path, NULL);
  g_autoptr(EsEmbeddingSet) joined = NULL;
  g_autoptr(GError) error = NULL;
  EsMetadata *metadata;
  int category;

  g_test_summary ("A word -> category TSV joins by word; unknown words get empty values");

  g_assert_true (g_file_set_contents (tsv,
                                      "word\tcategory\tcolour\r\n"
                                      "king\troyal\tgold\r\n"
                                      "queen\troyal\r\n"
                                      "emperor\troyal\tpurple\r\n"
                                      "red\tcolour\tred\r\n", -1, NULL));
  joined = es_loader_join_metadata (set, tsv, &error);
  g_assert_no_error (error);
  g_assert_true (joined != set);
  assert_same_set (set, joined);
  g_assert_null (es_embedding_set_get_metadata (set));

  metadata = es_embedding_set_get_metadata (joined);
  g_assert_cmpuint (es_metadata_get_n_rows (metadata), ==, 10);
  category = es_metadata_find_column (metadata, "category");
  g_assert_cmpint (category, ==, 1);
  g_assert_cmpstr (es_metadata_get_value (metadata, 5, category), ==, "royal");   /* king */
  g_assert_cmpstr (es_metadata_get_value (metadata, 5, 2), ==, "gold");
  g_assert_cmpstr (es_metadata_get_value (metadata, 6, 2), ==, "");               /* queen: short row */
  g_assert_cmpstr (es_metadata_get_value (metadata, 8, category), ==, "colour");  /* red */
  g_assert_cmpstr (es_metadata_get_value (metadata, 0, category), ==, "");        /* the */

  /* The same through the load options. */
  {
    g_autoptr(EsEmbeddingSet) loaded = NULL;
    EsLoadOptions options;

    es_load_options_init (&options);
    options.metadata_path = tsv;
    loaded = load_ok (path, &options);
    assert_same_set (set, loaded);
    g_assert_cmpstr (es_metadata_get_value (es_embedding_set_get_metadata (loaded), 5, 1), ==, "royal");
    g_assert_cmpstr (es_metadata_get_value (es_embedding_set_get_metadata (loaded), 1, 1), ==, "");
  }

  g_unlink (tsv);
  g_rmdir (tmp);
}

static void
test_loader_projector_config_scan (void)
{
  const char *json =
    "{ \"embeddings\": [ {\"tensorPath\": \"a/other.bytes\", \"tensorShape\": [3, 2]},"
    "  {\"tensorName\": \"x \\\"quoted\\\"\", \"nested\": {\"deep\": [1, [2, {\"k\": null}]]},"
    "   \"tensorShape\": [150, 4], \"tensorPath\": \"oss_data\\/iris.bytes\","
    "   \"metadataPath\": \"oss_data/labels.tsv\", \"flag\": true} ] }";
  const char *broken[] = { "", "{", "{\"tensorPath\": \"iris.bytes\"", "[[[[[[", "{\"a\" 1}",
                           "\"unterminated" };
  gsize rows = 0, dims = 0;
  char *metadata = NULL;

  g_test_summary ("The projector_config.json scanner finds the matching entry and survives broken JSON");

  g_assert_true (_es_projector_config_scan (json, strlen (json), "iris.bytes", &rows, &dims, &metadata));
  g_assert_cmpuint (rows, ==, 150);
  g_assert_cmpuint (dims, ==, 4);
  g_assert_cmpstr (metadata, ==, "oss_data/labels.tsv");
  g_free (metadata);

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      metadata = NULL;
      g_assert_false (_es_projector_config_scan (broken[i], strlen (broken[i]), "iris.bytes",
                                                           &rows, &dims, &metadata));
      g_assert_null (metadata);
    }
}

/* Random damage to valid files: an error or a set, never a crash (run
 * under ASan/valgrind to catch out-of-bounds reads).
 */
static void
test_loader_release_consumed (void)
{
  g_autofree char *path = g_build_filename (g_test_get_dir (G_TEST_DIST), "..", "resources",
                                            "kjv-hamlet-5k-50d.w2v.txt", NULL);
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(EsEmbeddingSet) reference = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *bin = NULL;
  GString *out = g_string_new (NULL);

  g_test_summary ("Path loads give back the input pages they have read (text, split text, "
                  "binary) and still load exactly what an in-memory load of the same bytes does");

  /* In-memory bytes are the caller's: never given back. */
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 2 * ES_LOAD_POLL_BYTES);
  bytes = g_bytes_new_static (contents, len);
  reference = es_loader_load_bytes (bytes, "kjv", NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (es_embedding_set_get_rows (reference), ==, 5000);

  for (guint split = 0; split < 2; split++)
    {
      g_autoptr(EsEmbeddingSet) set = NULL;

      _es_text_reader_set_split_min (split ? 1 : G_MAXSIZE);
      set = es_loader_load_path (path, NULL, NULL, NULL, NULL, &error);
      _es_text_reader_set_split_min (16u << 20);
      g_assert_no_error (error);
      assert_same_set (reference, set);
    }

  /* Gzipped: the inflated copy is the loader's own, and is given back too. */
  {
    g_autofree char *gz_dir = g_dir_make_tmp ("es-release-XXXXXX", NULL);
    g_autofree char *gz = g_build_filename (gz_dir, "kjv.txt.gz", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (gz);
    g_autoptr(GFileOutputStream) raw = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE,
                                                       NULL, &error);
    g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 1);
    g_autoptr(GOutputStream) zipped = NULL;

    g_assert_no_error (error);
    zipped = g_converter_output_stream_new (G_OUTPUT_STREAM (raw), G_CONVERTER (compressor));
    g_assert_true (g_output_stream_write_all (zipped, contents, len, NULL, NULL, &error));
    g_assert_true (g_output_stream_close (zipped, NULL, &error));
    g_assert_no_error (error);

    for (guint split = 0; split < 2; split++)
      {
        g_autoptr(EsEmbeddingSet) set = NULL;

        _es_text_reader_set_split_min (split ? 1 : G_MAXSIZE);
        set = es_loader_load_path (gz, NULL, NULL, NULL, NULL, &error);
        _es_text_reader_set_split_min (16u << 20);
        g_assert_no_error (error);
        g_assert_cmpint (es_embedding_set_get_compression (set), ==, ES_COMPRESSION_GZIP);
        assert_same_set (reference, set);
      }
    g_remove (gz);
    g_rmdir (gz_dir);
  }

  /* Larger vectors as word2vec binary, over 1 MB so that pages are given back. */
  {
    g_autofree char *vectors = data_path ("npm-word2vec", "vectors.txt", NULL);

    g_clear_pointer (&reference, es_embedding_set_unref);
    reference = es_loader_load_path (vectors, NULL, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
  }
  g_string_append_printf (out, "%" G_GSIZE_FORMAT " %" G_GSIZE_FORMAT "\n",
                          es_embedding_set_get_rows (reference), es_embedding_set_get_dims (reference));
  for (gsize i = 0; i < es_embedding_set_get_rows (reference); i++)
    {
      g_string_append_printf (out, "%s ", es_embedding_set_get_word (reference, i));
      g_string_append_len (out, (const char *) es_embedding_set_get_vector (reference, i),
                           es_embedding_set_get_dims (reference) * sizeof (float));
      g_string_append_c (out, '\n');
    }
  g_assert_cmpuint (out->len, >, ES_LOAD_POLL_BYTES);
  dir = g_dir_make_tmp ("es-release-XXXXXX", NULL);
  bin = g_build_filename (dir, "kjv.bin", NULL);
  g_assert_true (g_file_set_contents (bin, out->str, out->len, NULL));
  g_test_message ("binary: %" G_GSIZE_FORMAT " bytes", out->len);
  g_string_free (out, TRUE);
  {
    g_autoptr(EsEmbeddingSet) set = es_loader_load_path (bin, NULL, NULL, NULL, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpint (es_embedding_set_get_format (set), ==, ES_FORMAT_WORD2VEC_BINARY);
    assert_same_set (reference, set);
  }
  g_remove (bin);
  g_rmdir (dir);
}

static void
test_loader_mutations (void)
{
  const char *files[][2] = { { "bad", "good.txt" }, { "bad", "good.bin" }, { "bad", "good.txt.gz" },
                             { "bad", "good.glove.txt" }, { "npy", "iris_f4.npy" },
                             { "projector", "iris_tensors.tsv" } };
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  guint n_loaded = 0, n_refused = 0;

  g_test_summary ("3,000 randomly damaged files load or fail cleanly");

  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autofree char *path = data_path (files[f][0], files[f][1], NULL);
      g_autofree char *contents = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      for (guint i = 0; i < 500; i++)
        {
          guint8 *buf = g_memdup2 (contents, len);
          gsize cur = len;
          g_autoptr(GBytes) bytes = NULL;
          g_autoptr(GError) error = NULL;
          g_autoptr(EsEmbeddingSet) set = NULL;
          EsLoadOptions options;

          for (int m = g_rand_int_range (rand, 1, 4); m > 0 && cur > 0; m--)
            {
              gsize pos = g_rand_int_range (rand, 0, cur);

              switch (g_rand_int_range (rand, 0, 4))
                {
                case 0:
                  buf[pos] ^= 1 << g_rand_int_range (rand, 0, 8);
                  break;
                case 1:
                  cur = pos;
                  break;
                case 2:
                  buf[pos] = " \t\n\r.-e0\xff"[g_rand_int_range (rand, 0, 10)];
                  break;
                default:
                  memmove (buf + pos, buf + pos + 1, cur - pos - 1);
                  cur--;
                  break;
                }
            }
          bytes = g_bytes_new_take (buf, cur);
          es_load_options_init (&options);
          options.encoding = g_rand_boolean (rand) ? ES_ENCODING_STRICT : ES_ENCODING_LENIENT;
          _es_text_reader_set_split_min (g_rand_boolean (rand) ? 1 : 16u << 20);
          set = es_loader_load_bytes (bytes, "damaged", &options, NULL, NULL, NULL, &error);
          g_assert_true ((set == NULL) == (error != NULL));
          if (set != NULL)
            n_loaded++;
          else
            n_refused++;
        }
    }
  _es_text_reader_set_split_min (16u << 20);
  g_test_message ("%u loaded, %u refused", n_loaded, n_refused);
  g_assert_cmpuint (n_loaded + n_refused, ==, 3000);
}

int
main (int   argc,
      char *argv[])
{
  c_locale = newlocale (LC_ALL_MASK, "C", (locale_t) 0);
  g_test_init (&argc, &argv, NULL);

  n_bad_files = add_bad_file_tests ();
  g_test_add_func ("/engine/loader/bad-count", test_loader_bad_count);
  g_test_add_func ("/engine/loader/same-as-good", test_loader_same_as_good);
  g_test_add_func ("/engine/loader/float-formats", test_loader_float_formats);
  g_test_add_func ("/engine/loader/words", test_loader_words);
  g_test_add_func ("/engine/loader/invalid-utf8", test_loader_invalid_utf8);
  g_test_add_func ("/engine/loader/real-text", test_loader_real_text);
  g_test_add_func ("/engine/loader/pang-lee", test_loader_pang_lee);
  g_test_add_func ("/engine/loader/binary", test_loader_binary);
  g_test_add_func ("/engine/loader/projector", test_loader_projector);
  g_test_add_func ("/engine/loader/projector-metadata", test_loader_projector_metadata);
  g_test_add_func ("/engine/loader/projector-config", test_loader_projector_config_scan);
  g_test_add_func ("/engine/loader/npy", test_loader_npy);
  g_test_add_func ("/engine/loader/npy-rank3", test_loader_npy_rank3);
  g_test_add_func ("/engine/loader/gzip", test_loader_gzip);
  g_test_add_func ("/engine/loader/decimal-comma", test_loader_decimal_comma);
  g_test_add_func ("/engine/loader/random-floats", test_loader_random_floats);
  g_test_add_func ("/engine/loader/float-fast-path", test_loader_float_fast_path);
  g_test_add_func ("/engine/loader/float-swar", test_loader_float_swar);
  g_test_add_func ("/engine/loader/bad-numbers", test_loader_bad_numbers);
  g_test_add_func ("/engine/loader/warning-cap", test_loader_warning_cap);
  g_test_add_func ("/engine/loader/two-threads", test_loader_two_threads);
  g_test_add_func ("/engine/loader/release-consumed", test_loader_release_consumed);
  g_test_add_func ("/engine/loader/limit", test_loader_limit);
  g_test_add_func ("/engine/loader/memory-limit", test_loader_memory_limit);
  g_test_add_func ("/engine/loader/progress-cancel", test_loader_progress_cancel);
  g_test_add_func ("/engine/loader/async-and-bytes", test_loader_async_and_bytes);
  g_test_add_func ("/engine/loader/join-metadata", test_loader_join_metadata);
  g_test_add_func ("/engine/loader/mutations", test_loader_mutations);

  return g_test_run ();
}
