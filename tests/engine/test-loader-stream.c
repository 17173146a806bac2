/* test-loader-stream.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The loader's fast paths against its plain ones: gzip text streamed
 * block by block against the same text unzipped, the word2vec binary
 * reader with its helper thread against the reader alone, and a matrix
 * that must grow (in place) against values parsed by strtof.
 */

#define G_LOG_DOMAIN "test-loader-stream"
/* strtof_l and newlocale are GNU/POSIX-2008 extensions of <stdlib.h>. */
#define _GNU_SOURCE

#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "es-engine.h"
#include "es-loader-private.h"

static locale_t c_locale;

static char *
write_file (const char *dir,
            const char *name,
            const void *data,
            gsize       len)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, data, len, NULL));

  return path;
}

static GBytes *
gzip_bytes (const void *data,
            gsize       len)
{
  g_autoptr(GConverter) compressor = G_CONVERTER (g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 1));
  g_autoptr(GInputStream) plain = g_memory_input_stream_new_from_data (data, len, NULL);
  g_autoptr(GInputStream) packed = g_converter_input_stream_new (plain, compressor);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_output_stream_splice (out, packed, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
                          G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

/* Messages name the file: compare them with the name taken out. */
static char *
unnamed (const char *message,
         const char *path)
{
  g_autoptr(GString) s = g_string_new (message);

  g_string_replace (s, path, "FILE", 0);

  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* Same rows, words, bits, validity and warnings; or the same error. */
static void
assert_same_load (EsEmbeddingSet *a,
                  const GError   *error_a,
                  const char     *path_a,
                  EsEmbeddingSet *b,
                  const GError   *error_b,
                  const char     *path_b)
{
  gsize rows, dims;

  if (a == NULL)
    {
      g_autofree char *ma = NULL;
      g_autofree char *mb = NULL;

      g_assert_nonnull (error_a);
      g_assert_null (b);
      g_assert_nonnull (error_b);
      ma = unnamed (error_a->message, path_a);
      mb = unnamed (error_b->message, path_b);
      g_test_message ("both refused: %s", ma);
      g_assert_cmpstr (ma, ==, mb);
      return;
    }
  g_assert_nonnull (b);

  rows = es_embedding_set_get_rows (a);
  dims = es_embedding_set_get_dims (a);
  g_assert_cmpuint (rows, ==, es_embedding_set_get_rows (b));
  g_assert_cmpuint (dims, ==, es_embedding_set_get_dims (b));
  g_assert_cmpuint (es_embedding_set_get_n_valid (a), ==, es_embedding_set_get_n_valid (b));
  for (gsize i = 0; i < rows; i++)
    {
      gsize len = es_embedding_set_get_word_len (a, i);
      const float *v = es_embedding_set_get_vector (a, i);
      gboolean finite = TRUE;

      g_assert_cmpuint (len, ==, es_embedding_set_get_word_len (b, i));
      g_assert_true (memcmp (es_embedding_set_get_word (a, i), es_embedding_set_get_word (b, i), len) == 0);
      g_assert_true (memcmp (v, es_embedding_set_get_vector (b, i), dims * sizeof (float)) == 0);
      /* The validity the readers report, against isfinite. */
      for (gsize j = 0; j < dims; j++)
        finite = finite && isfinite (v[j]);
      g_assert_cmpint (es_embedding_set_is_row_valid (a, i), ==, finite);
      g_assert_cmpint (es_embedding_set_is_row_valid (b, i), ==, finite);
    }

  g_assert_cmpuint (es_embedding_set_get_warnings (a)->len, ==, es_embedding_set_get_warnings (b)->len);
  for (guint i = 0; i < es_embedding_set_get_warnings (a)->len; i++)
    {
      g_autofree char *wa = unnamed (g_ptr_array_index (es_embedding_set_get_warnings (a), i), path_a);
      g_autofree char *wb = unnamed (g_ptr_array_index (es_embedding_set_get_warnings (b), i), path_b);

      g_assert_cmpstr (wa, ==, wb);
    }
}

/* A value as GloVe files print them, in a few styles. */
static void
append_value (GString *text,
              GRand   *rand,
              char    *buf)
{
  double v = g_rand_double_range (rand, -3.0, 3.0);

  switch (g_rand_int_range (rand, 0, 8))
    {
    case 0:
      g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, "%.9g", v);
      break;
    case 1:
      g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, "%.6e", v * 1e-5);
      break;
    case 2:
      g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, "%.18e", v);
      break;
    default:
      g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, "%.5g", v);
      break;
    }
  g_string_append (text, buf);
}

typedef enum
{
  TEXT_GLOVE,
  TEXT_W2V,
  TEXT_TSV,
} TextKind;

/* ~@rows lines of @dims values with the usual oddities spread through:
 * blank lines, CRLF, a duplicate, nan, a 300 KB word, runs of separators,
 * and (when @broken_line > 0) a value missing on that line.
 */
static GString *
make_text (TextKind kind,
           guint    rows,
           guint    dims,
           guint    broken_line,
           guint32  seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  GString *text = g_string_new ("");
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  guint line = 0;

  if (kind == TEXT_W2V)
    {
      g_string_append_printf (text, "%u %u\n", rows, dims);
      line++;
    }
  for (guint r = 0; r < rows; r++)
    {
      gboolean crlf = r % 97 == 5;

      line++;
      if (kind == TEXT_GLOVE && r % 211 == 7)
        {
          g_string_append (text, crlf ? "\r\n" : "\n");
          line++;
        }
      if (kind != TEXT_TSV)
        {
          if (r == 300)
            {
              /* Longer than the room the pipe keeps for a carried line. */
              for (guint i = 0; i < 300000; i++)
                g_string_append_c (text, 'a' + i % 26);
            }
          else if (r % 250 == 249)
            g_string_append (text, "w3");   /* a duplicate of row 3 */
          else
            g_string_append_printf (text, "w%u", r);
        }
      for (guint j = 0; j < dims; j++)
        {
          if (line == broken_line && j == dims / 2)
            continue;
          if (kind != TEXT_TSV || j > 0)
            g_string_append (text, kind == TEXT_TSV ? "\t" : r % 53 == 9 ? "  " : " ");
          if (r % 401 == 13 && j == 1)
            g_string_append (text, "nan");
          else
            append_value (text, rand, buf);
        }
      if (r + 1 < rows || kind == TEXT_W2V)
        g_string_append (text, crlf ? "\r\n" : "\n");
    }

  return text;
}

static void
test_gzip_stream_same_as_plain (void)
{
  g_autofree char *dir = g_dir_make_tmp ("es-stream-XXXXXX", NULL);
  const gsize windows[] = { 4096, 64 << 10, 0 };
  struct { TextKind kind; guint rows; guint dims; guint broken; const char *name; } cases[] = {
    { TEXT_GLOVE, 1500, 300, 0, "glove.txt" },
    { TEXT_W2V, 1200, 100, 0, "w2v.vec" },
    { TEXT_TSV, 2000, 50, 0, "tensors.tsv" },
    { TEXT_GLOVE, 1500, 300, 1234, "broken.txt" },
    { TEXT_W2V, 1200, 100, 777, "broken.vec" },
  };
  gsize streamed = _es_load_n_streamed;
  guint n_loads = 0;

  g_test_summary ("gzip text streamed block by block (also through 4 KB windows, lines longer than "
                  "the window, CRLF, blank lines, nan, duplicates, errors) loads exactly like the "
                  "text unzipped: rows, words, bits, validity, warnings, errors and their lines");

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GString) text = make_text (cases[c].kind, cases[c].rows, cases[c].dims,
                                           cases[c].broken, 42 + c);
      g_autoptr(GBytes) packed = gzip_bytes (text->str, text->len);
      g_autofree char *gz_name = g_strconcat (cases[c].name, ".gz", NULL);
      g_autofree char *plain = write_file (dir, cases[c].name, text->str, text->len);
      g_autofree char *gz = write_file (dir, gz_name, g_bytes_get_data (packed, NULL),
                                        g_bytes_get_size (packed));

      for (guint w = 0; w < G_N_ELEMENTS (windows); w++)
        {
          g_autoptr(GError) error_a = NULL;
          g_autoptr(GError) error_b = NULL;
          g_autoptr(EsEmbeddingSet) a = NULL;
          g_autoptr(EsEmbeddingSet) b = NULL;

          _es_load_set_gzip_window (windows[w]);
          a = es_loader_load_path (plain, NULL, NULL, NULL, NULL, &error_a);
          b = es_loader_load_path (gz, NULL, NULL, NULL, NULL, &error_b);
          g_test_message ("%s, window %" G_GSIZE_FORMAT ": %s", gz_name, windows[w],
                          error_a != NULL ? error_a->message : "accepted");
          assert_same_load (a, error_a, plain, b, error_b, gz);
          if (b != NULL)
            g_assert_cmpint (es_embedding_set_get_compression (b), ==, ES_COMPRESSION_GZIP);
          /* A limit stops the stream early (the inflating thread too). */
          {
            EsLoadOptions options;
            g_autoptr(GError) limit_error_a = NULL;
            g_autoptr(GError) limit_error_b = NULL;
            g_autoptr(EsEmbeddingSet) limit_a = NULL;
            g_autoptr(EsEmbeddingSet) limit_b = NULL;

            es_load_options_init (&options);
            options.limit = 400;
            limit_a = es_loader_load_path (plain, &options, NULL, NULL, NULL, &limit_error_a);
            limit_b = es_loader_load_path (gz, &options, NULL, NULL, NULL, &limit_error_b);
            assert_same_load (limit_a, limit_error_a, plain, limit_b, limit_error_b, gz);
          }
          if (cases[c].broken > 0)
            {
              g_autofree char *line = g_strdup_printf (":%u: expected", cases[c].broken);

              g_assert_nonnull (error_b);
              g_assert_nonnull (strstr (error_b->message, line));
            }
          n_loads++;
        }
      g_unlink (plain);
      g_unlink (gz);
    }
  _es_load_set_gzip_window (0);

  /* The files are larger than the small windows: every .gz load streamed
   * (the default 4 MB window holds these whole, and falls back).
   */
  g_assert_cmpuint (_es_load_n_streamed - streamed, >=, 2 * G_N_ELEMENTS (cases));
  g_assert_cmpuint (n_loads, ==, 3 * G_N_ELEMENTS (cases));
  g_rmdir (dir);
}

static void
test_gzip_stream_corrupt (void)
{
  g_autofree char *dir = g_dir_make_tmp ("es-stream-XXXXXX", NULL);
  g_autoptr(GString) text = make_text (TEXT_GLOVE, 1500, 300, 0, 7);
  g_autoptr(GBytes) packed = gzip_bytes (text->str, text->len);
  gsize len = g_bytes_get_size (packed);
  g_autofree guint8 *bytes = g_memdup2 (g_bytes_get_data (packed, NULL), len);
  struct { gsize cut; gsize flip; const char *needle; } cases[] = {
    { len / 2, 0, "unexpected end of gzip stream" },
    { len - 3, 0, "unexpected end of gzip stream" },
    { len, len - 6, "gzip CRC mismatch" },          /* the CRC in the trailer */
    { len, len - 2, "gzip CRC mismatch" },          /* the length in the trailer */
  };

  g_test_summary ("Streamed gzip: truncation and CRC or length mismatch are still errors, "
                  "even though the text before them was already parsed");

  _es_load_set_gzip_window (64 << 10);
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autofree guint8 *copy = g_memdup2 (bytes, len);
      g_autofree char *path = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(EsEmbeddingSet) set = NULL;

      if (cases[c].flip > 0)
        copy[cases[c].flip] ^= 0x55;
      path = write_file (dir, "bad.txt.gz", copy, cases[c].cut);
      set = es_loader_load_path (path, NULL, NULL, NULL, NULL, &error);
      g_assert_null (set);
      g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_COMPRESSION);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, cases[c].needle));
      g_unlink (path);
    }
  _es_load_set_gzip_window (0);
  g_rmdir (dir);
}

/* A word2vec binary whose float bytes hold what looks like row starts
 * ("abc " and '\n'), with nan rows, a duplicate and a word that is not
 * UTF-8; @newlines: word2vec-C's '\n' after each vector.
 */
static GByteArray *
make_binary (guint    rows,
             guint    dims,
             gboolean newlines)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (rows + dims);
  GByteArray *bytes = g_byte_array_new ();
  g_autofree char *header = g_strdup_printf ("%u %u\n", rows, dims);

  g_byte_array_append (bytes, (const guint8 *) header, strlen (header));
  for (guint r = 0; r < rows; r++)
    {
      g_autofree char *word = r == 500 ? g_strdup ("caf\xe9") :
                              r % 300 == 299 ? g_strdup ("w7") : g_strdup_printf ("w%u", r);

      g_byte_array_append (bytes, (const guint8 *) word, strlen (word));
      g_byte_array_append (bytes, (const guint8 *) " ", 1);
      for (guint j = 0; j < dims; j++)
        {
          float v = (float) g_rand_double_range (rand, -1, 1);

          if (r % 37 == 3 && j % 8 == 0)
            memcpy (&v, "abc ", 4);        /* bytes of a fake row start */
          else if (r % 41 == 5 && j % 8 == 1)
            memcpy (&v, "\nx y", 4);
          else if (r % 173 == 11 && j == 2)
            v = NAN;
          g_byte_array_append (bytes, (const guint8 *) &v, 4);
        }
      if (newlines)
        g_byte_array_append (bytes, (const guint8 *) "\n", 1);
    }

  return bytes;
}

static void
test_binary_two_threads (void)
{
  g_autofree char *dir = g_dir_make_tmp ("es-binary-XXXXXX", NULL);
  const char *kit[][2] = { { "bad", "good.bin" }, { "bad", "nan.bin" }, { "bad", "long_word.bin" },
                           { "bad", "truncated.bin" }, { "bad", "invalid_utf8.bin" },
                           { "bad", "utf8_words.bin" }, { "bad", "header_rows_too_many.bin" },
                           { "gensim", "euclidean_vectors.bin" } };
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  g_test_summary ("word2vec binary with the helper thread (input mapped ahead and given back, "
                  "matrix faulted in from the far end) loads exactly like without it, also "
                  "with fake row starts inside the floats, truncated at many points");

  for (guint i = 0; i < G_N_ELEMENTS (kit); i++)
    g_ptr_array_add (paths, g_test_build_filename (G_TEST_DIST, "data", kit[i][0], kit[i][1], NULL));
  for (guint n = 0; n < 2; n++)
    {
      g_autoptr(GByteArray) bin = make_binary (2000, 96, n == 1);
      g_autofree char *name = g_strdup_printf ("made%u.bin", n);

      g_ptr_array_add (paths, write_file (dir, name, bin->data, bin->len));
      /* Cut inside a word, a vector, between rows. */
      for (guint cut = 1; cut < 8; cut++)
        {
          g_autofree char *cut_name = g_strdup_printf ("made%u-cut%u.bin", n, cut);

          g_ptr_array_add (paths, write_file (dir, cut_name, bin->data, bin->len / 8 * cut + cut * 13));
        }
    }

  /* Poll (and so hand over input) every 4 KB. */
  _es_load_set_poll_bytes (4096);
  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      g_autoptr(GError) error_a = NULL;
      g_autoptr(GError) error_b = NULL;
      g_autoptr(EsEmbeddingSet) a = NULL;
      g_autoptr(EsEmbeddingSet) b = NULL;

      _es_load_set_split_min (G_MAXSIZE);
      a = es_loader_load_path (path, NULL, NULL, NULL, NULL, &error_a);
      _es_load_set_split_min (1);
      b = es_loader_load_path (path, NULL, NULL, NULL, NULL, &error_b);
      _es_load_set_split_min (ES_LOAD_SPLIT_MIN_DEFAULT);
      g_test_message ("%s: %s", path, error_a != NULL ? error_a->message : "accepted");
      if (a != NULL)
        g_assert_cmpint (es_embedding_set_get_format (a), ==, ES_FORMAT_WORD2VEC_BINARY);
      assert_same_load (a, error_a, path, b, error_b, path);
      if (strstr (path, "made") != NULL && strstr (path, "cut") == NULL)
        {
          /* 2000 rows, 6 duplicates of w7 skipped; the Latin-1 word kept. */
          g_assert_nonnull (a);
          g_assert_cmpuint (es_embedding_set_get_rows (a), ==, 1994);
          g_assert_cmpuint (es_embedding_set_get_n_valid (a), <, 1994);
        }
    }
  _es_load_set_poll_bytes (0);

  for (guint i = G_N_ELEMENTS (kit); i < paths->len; i++)
    g_unlink (g_ptr_array_index (paths, i));
  g_rmdir (dir);
}

static void
test_grow_in_place (void)
{
  g_autoptr(GString) text = g_string_new ("");
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EsEmbeddingSet) set = NULL;
  const guint rows = 6000;
  const guint dims = 64;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_test_summary ("A GloVe file whose first lines are long (so the row estimate is 20x short) "
                  "grows its matrix while loading; every value equals strtof's");

  for (guint r = 0; r < rows; r++)
    {
      /* The first 256 lines carry 40 KB words: the estimate sees few rows. */
      if (r < 256)
        {
          for (guint i = 0; i < 40000; i++)
            g_string_append_c (text, 'a' + (i + r) % 26);
          g_string_append_printf (text, "%u", r);
        }
      else
        g_string_append_printf (text, "w%u", r);
      for (guint j = 0; j < dims; j++)
        {
          g_ascii_formatd (buf, sizeof buf, "%.6g", g_rand_double_range (rand, -2, 2));
          g_string_append_printf (text, " %s", buf);
          g_ptr_array_add (values, g_strdup (buf));
        }
      g_string_append_c (text, '\n');
    }
  bytes = g_bytes_new (text->str, text->len);
  set = es_loader_load_bytes (bytes, "grow.txt", NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (es_embedding_set_get_rows (set), ==, rows);
  for (guint r = 0; r < rows; r++)
    for (guint j = 0; j < dims; j++)
      {
        float expected = strtof_l (g_ptr_array_index (values, r * dims + j), NULL, c_locale);

        g_assert_true (memcmp (&es_embedding_set_get_vector (set, r)[j], &expected, sizeof expected) == 0);
      }
  g_assert_cmpstr (es_embedding_set_get_word (set, rows - 1), ==, "w5999");
}

static void
test_gzip_whole_formats (void)
{
  g_autofree char *dir = g_dir_make_tmp ("es-stream-XXXXXX", NULL);
  const char *files[][2] = { { "npy", "iris_f4.npy" }, { "npy", "iris_f8_v2.npy" },
                             { "npy", "bad_truncated.npy" }, { "bad", "good.bin" },
                             { "bad", "truncated.bin" }, { "gensim", "euclidean_vectors.bin" } };
  const gsize windows[] = { 4096, 0 };
  gsize streamed = _es_load_n_streamed;

  g_test_summary ("Gzipped .npy and word2vec binary are inflated whole (never streamed) and load "
                  "exactly like the plain files, errors included");

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *plain = g_test_build_filename (G_TEST_DIST, "data", files[i][0], files[i][1], NULL);
      g_autofree char *contents = NULL;
      gsize len = 0;
      g_autoptr(GBytes) packed = NULL;
      g_autofree char *gz_name = g_strconcat (files[i][1], ".gz", NULL);
      g_autofree char *gz = NULL;

      g_assert_true (g_file_get_contents (plain, &contents, &len, NULL));
      packed = gzip_bytes (contents, len);
      gz = write_file (dir, gz_name, g_bytes_get_data (packed, NULL), g_bytes_get_size (packed));
      for (guint w = 0; w < G_N_ELEMENTS (windows); w++)
        {
          g_autoptr(GError) error_a = NULL;
          g_autoptr(GError) error_b = NULL;
          g_autoptr(EsEmbeddingSet) a = NULL;
          g_autoptr(EsEmbeddingSet) b = NULL;

          _es_load_set_gzip_window (windows[w]);
          a = es_loader_load_path (plain, NULL, NULL, NULL, NULL, &error_a);
          b = es_loader_load_path (gz, NULL, NULL, NULL, NULL, &error_b);
          g_test_message ("%s: %s", gz_name, error_a != NULL ? error_a->message : "accepted");
          assert_same_load (a, error_a, plain, b, error_b, gz);
          if (b != NULL)
            g_assert_cmpint (es_embedding_set_get_format (a), ==, es_embedding_set_get_format (b));
        }
      g_unlink (gz);
    }
  _es_load_set_gzip_window (0);
  g_assert_cmpuint (_es_load_n_streamed, ==, streamed);
  g_rmdir (dir);
}

/* Pages of [from, to) that are resident, by mincore(). */
static gsize
count_resident (const char *base,
                gsize       from,
                gsize       to)
{
  gsize page = (gsize) sysconf (_SC_PAGESIZE);
  gsize n = (to - from) / page;
  g_autofree unsigned char *vec = g_malloc (n);
  gsize resident = 0;

  g_assert_cmpint (mincore ((void *) (base + from), to - from, vec), ==, 0);
  for (gsize i = 0; i < n; i++)
    resident += vec[i] & 1;

  return resident;
}

static void
test_populate_ahead (void)
{
  const gsize bytes = 8u << 20;
  gsize page = (gsize) sysconf (_SC_PAGESIZE);
  char *base = mmap (NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  gsize done = 0;
  gsize small = 0;

  g_test_summary ("A writer's pages are mapped ahead of it in one call per step, never past the "
                  "limit, and what it already wrote stays as it was");
  g_assert_true (base != MAP_FAILED);
  memset (base, 0x5a, 3 * page + 10);   /* the writer has got this far */
  g_assert_cmpuint (count_resident (base, 0, bytes), ==, 4);

  _es_populate_ahead (base, &done, 3 * page + 10, bytes);
  if (done == G_MAXSIZE)
    {
      g_test_skip ("MADV_POPULATE_WRITE not supported by this kernel");
      munmap (base, bytes);
      return;
    }
  g_assert_cmpuint (done % page, ==, 0);
  g_assert_cmpuint (done, >, 3 * page + 10);
  g_assert_cmpuint (count_resident (base, 0, done), ==, done / page);
  g_assert_cmpuint (count_resident (base, done, bytes), ==, 0);
  for (gsize i = 0; i < 3 * page + 10; i++)
    g_assert_cmpint (base[i], ==, 0x5a);
  g_assert_cmpint (base[3 * page + 10], ==, 0);

  /* Nothing new while the writer is behind the mark. */
  {
    gsize before = done;

    _es_populate_ahead (base, &done, before - 1, bytes);
    g_assert_cmpuint (done, ==, before);
  }

  /* Up to the limit and no further; a limit mid-page stops at its page. */
  _es_populate_ahead (base, &done, bytes - page / 2, bytes - page / 2);
  g_assert_cmpuint (done, ==, bytes - page / 2);
  g_assert_cmpuint (count_resident (base, 0, bytes - page), ==, bytes / page - 1);
  g_assert_cmpuint (count_resident (base, bytes - page, bytes), ==, 0);

  /* Too small to be worth a call: ends for good. */
  _es_populate_ahead (base, &small, 100, 64 * 1024);
  g_assert_cmpuint (small, ==, G_MAXSIZE);

  munmap (base, bytes);
}

/* word2vec binary of @rows x @dims whose row r holds bits[(r * dims + j) % n_bits]. */
static GByteArray *
make_binary_bits (guint          rows,
                  guint          dims,
                  const guint32 *bits,
                  guint          n_bits)
{
  GByteArray *bin = g_byte_array_new ();
  g_autofree char *header = g_strdup_printf ("%u %u\n", rows, dims);

  g_byte_array_append (bin, (const guint8 *) header, strlen (header));
  for (guint r = 0; r < rows; r++)
    {
      g_autofree char *word = g_strdup_printf ("%sw%u ", r % 3 == 0 ? "long-" : "", r);

      g_byte_array_append (bin, (const guint8 *) word, strlen (word));
      for (guint j = 0; j < dims; j++)
        {
          guint32 le = GUINT32_TO_LE (bits[(r * dims + j) % n_bits]);

          g_byte_array_append (bin, (const guint8 *) &le, 4);
        }
      if (r % 2 == 0)
        g_byte_array_append (bin, (const guint8 *) "\n", 1);
    }

  return bin;
}

static void
test_binary_copy_bits (void)
{
  g_autofree char *dir = g_dir_make_tmp ("es-bits-XXXXXX", NULL);
  const guint dims_cases[] = { 1, 3, 4, 5, 8, 13, 300, 301 };

  g_test_summary ("word2vec binary rows are copied bit for bit (NaN payloads, -0, denormals) "
                  "and each NaN or Inf is reported once per row, at every position of a row, "
                  "for aligned and unaligned rows and the tail of a row");

  for (guint d = 0; d < G_N_ELEMENTS (dims_cases); d++)
    {
      guint dims = dims_cases[d];
      /* Finite values of every kind, then one non-finite value per row
       * at position (row % dims), or none on every fourth row.
       */
      guint rows = 2 * dims + 8;
      g_autofree guint32 *want = g_new (guint32, (gsize) rows * dims);
      const guint32 odd[] = { 0x80000000u, 0x00000001u, 0x007fffffu, 0x7f7fffffu, 0xff7fffffu,
                              0x3f800000u, 0xbf800000u, 0x00800000u };
      const guint32 bad[] = { 0x7fc00000u, 0x7f800000u, 0xff800000u, 0x7f800001u, 0xffc12345u };
      g_autoptr(GByteArray) bin = NULL;
      g_autofree char *name = g_strdup_printf ("bits%u.bin", dims);
      g_autofree char *path = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(EsEmbeddingSet) set = NULL;
      GPtrArray *warnings;
      guint n_bad = 0;

      for (guint r = 0; r < rows; r++)
        for (guint j = 0; j < dims; j++)
          {
            guint32 *w = &want[(gsize) r * dims + j];

            *w = odd[(r + j) % G_N_ELEMENTS (odd)];
            if (r % 4 != 3 && j == r % dims)
              *w = bad[r % G_N_ELEMENTS (bad)];
          }
      bin = make_binary_bits (rows, dims, want, rows * dims);
      path = write_file (dir, name, bin->data, bin->len);

      set = es_loader_load_path (path, NULL, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (es_embedding_set_get_rows (set), ==, rows);
      g_assert_cmpmem (es_matrix_get_data (es_embedding_set_get_matrix (set)),
                       (gsize) rows * dims * 4, want, (gsize) rows * dims * 4);
      for (guint r = 0; r < rows; r++)
        n_bad += r % 4 != 3;
      g_assert_cmpuint (es_embedding_set_get_n_valid (set), ==, rows - n_bad);
      /* Warnings are kept up to a cap, then counted. */
      warnings = es_embedding_set_get_warnings (set);
      g_assert_cmpuint (warnings->len, >=, MIN (n_bad, 100));
      for (guint r = 0, k = 0; r < rows && k < 100; r++)
        if (r % 4 != 3)
          {
            g_autofree char *row_text = g_strdup_printf (": row %u (", r + 1);

            g_assert_nonnull (strstr (g_ptr_array_index (warnings, k), row_text));
            g_assert_nonnull (strstr (g_ptr_array_index (warnings, k), "non-finite value"));
            k++;
          }
      g_unlink (path);
    }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  c_locale = newlocale (LC_ALL_MASK, "C", (locale_t) 0);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/loader/gzip-stream/same-as-plain", test_gzip_stream_same_as_plain);
  g_test_add_func ("/engine/loader/gzip-stream/corrupt", test_gzip_stream_corrupt);
  g_test_add_func ("/engine/loader/gzip-stream/whole-formats", test_gzip_whole_formats);
  g_test_add_func ("/engine/loader/binary-two-threads", test_binary_two_threads);
  g_test_add_func ("/engine/loader/grow-in-place", test_grow_in_place);
  g_test_add_func ("/engine/loader/populate-ahead", test_populate_ahead);
  g_test_add_func ("/engine/loader/binary-copy-bits", test_binary_copy_bits);

  return g_test_run ();
}
