/* test-hostile.c: inputs made to crash, hang or exhaust the loader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 12's classes, each with a generated input (written to a temporary
 * folder when it must be large): checked sizes, the memory ceiling on
 * every input-sized allocation, files that change while they are read,
 * special files, quadratic work and wrong answers.
 */

#define G_LOG_DOMAIN "test-hostile"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "es-engine.h"
#include "es-loader-private.h"
#include "es-memory.h"

#include <lapacke.h>

static GBytes *
gzip_bytes (const void *data,
            gsize       len)
{
  g_autoptr(GConverter) compressor = G_CONVERTER (g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 1));
  g_autoptr(GInputStream) plain = g_memory_input_stream_new_from_data (data, len, NULL);
  g_autoptr(GInputStream) packed = g_converter_input_stream_new (plain, compressor);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_output_stream_splice (out, packed, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static EsEmbeddingSet *
load_text (const char  *text,
           gsize        len,
           const char  *name,
           GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, len);

  return es_loader_load_bytes (bytes, name, NULL, NULL, NULL, NULL, error);
}

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("es-hostile-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

/* ---- class 1: checked arithmetic ---- */

static void
test_streamed_gzip_huge_dims (void)
{
  const char *dims[] = { "9223372036854775808", "18446744073709551615", "4611686018427387904",
                         "9223372036854775807" };

  g_test_summary ("A streamed .gz whose header claims 2^63 (or 2^64-1) dimensions is an error, "
                  "not a division by zero");

  _es_load_set_gzip_window (256);
  for (guint i = 0; i < G_N_ELEMENTS (dims); i++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autoptr(GBytes) packed = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(EsEmbeddingSet) set = NULL;
      guint streamed = _es_load_n_streamed;

      g_string_append_printf (text, "3 %s\n", dims[i]);
      for (guint r = 0; r < 2000; r++)
        g_string_append_printf (text, "w%u 0.5 0.25 0.125\n", r);
      packed = gzip_bytes (text->str, text->len);
      set = es_loader_load_bytes (packed, "huge.txt.gz", NULL, NULL, NULL, NULL, &error);
      g_assert_null (set);
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_cmpuint (_es_load_n_streamed, ==, streamed + 1);
    }
  _es_load_set_gzip_window (0);
}

/* ---- class 3: the ceiling counts everything sized by input ---- */

static void
test_ceiling_counts_words (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EsEmbeddingSet) set = NULL;
  EsLoadOptions options;
  const guint rows = 400000;

  g_test_summary ("1-dimensional rows: the words and the hash table count against the ceiling, "
                  "not only the matrix (1.6 MB of floats, ~40 MB of vocabulary)");

  for (guint r = 0; r < rows; r++)
    g_string_append_printf (text, "w%x 1\n", r);
  bytes = g_bytes_new (text->str, text->len);
  es_load_options_init (&options);
  /* Twice the matrix, far below what the vocabulary takes. */
  options.memory_limit = 2 * rows * sizeof (float) + text->len;
  set = es_loader_load_bytes (bytes, "one-dim.txt", &options, NULL, NULL, NULL, &error);
  g_assert_null (set);
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "one-dim.txt"));
  g_clear_error (&error);

  /* With room for them, the same file loads. */
  options.memory_limit = (guint64) rows * (4 + 200);
  set = es_loader_load_bytes (bytes, "one-dim.txt", &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (es_embedding_set_get_rows (set), ==, rows);
}

static void
test_ceiling_metadata_cells (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *tensor = g_build_filename (dir, "tensor.tsv", NULL);
  g_autofree char *meta = g_build_filename (dir, "metadata.tsv", NULL);
  g_autoptr(GString) header = g_string_new ("label");
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(EsEmbeddingSet) set = NULL;
  EsLoadOptions options;

  g_test_summary ("A 120 KB metadata file with 50,000 columns over 20,000 rows asks for 10^9 cells: "
                  "refused over the ceiling with the usual message, no abort");

  for (guint c = 1; c < 50000; c++)
    g_string_append (header, "\tc");
  g_string_append_c (header, '\n');
  for (guint r = 0; r < 20000; r++)
    g_string_append (header, "x\n");
  g_assert_true (g_file_set_contents (meta, header->str, header->len, NULL));
  for (guint r = 0; r < 20000; r++)
    g_string_append (text, "0.5\t0.25\n");
  g_assert_true (g_file_set_contents (tensor, text->str, text->len, NULL));

  es_load_options_init (&options);
  options.metadata_path = meta;
  options.memory_limit = 1u << 30;
  set = es_loader_load_path (tensor, &options, NULL, NULL, NULL, &error);
  g_assert_null (set);
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "metadata.tsv"));
  g_assert_nonnull (strstr (error->message, "50000 columns"));

  remove_tree (dir);
}

/* ---- class 4: a mapped file truncated during the load ---- */

static gsize truncate_to;

static void
truncate_hook (const char *path)
{
  g_assert_cmpint (truncate (path, truncate_to), ==, 0);
}

static void
test_truncated_while_read (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *plain = g_build_filename (dir, "big.txt", NULL);
  g_autofree char *packed_path = g_build_filename (dir, "big.txt.gz", NULL);
  g_autoptr(GString) text = g_string_new ("8000 50\n");
  g_autoptr(GBytes) packed = NULL;
  const char *paths[] = { plain, packed_path, plain };
  const gsize cuts[] = { 0, 4096, 100000 };

  g_test_summary ("A file truncated by another process after it is mapped (a test hook between "
                  "mapping and reading): \"FILE changed while it was being read\", no SIGBUS, in "
                  "the parser, the second text thread and the gzip pipe");

  for (guint r = 0; r < 8000; r++)
    {
      g_string_append_printf (text, "w%u", r);
      for (guint d = 0; d < 50; d++)
        g_string_append_printf (text, " 0.%03u", (r * 31 + d * 7) % 1000);
      g_string_append_c (text, '\n');
    }
  packed = gzip_bytes (text->str, text->len);

  for (guint p = 0; p < G_N_ELEMENTS (paths); p++)
    for (guint c = 0; c < G_N_ELEMENTS (cuts); c++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(EsEmbeddingSet) set = NULL;
        gboolean gz = paths[p] == packed_path;

        if (gz)
          g_assert_true (g_file_set_contents (paths[p], g_bytes_get_data (packed, NULL),
                                              g_bytes_get_size (packed), NULL));
        else
          g_assert_true (g_file_set_contents (paths[p], text->str, text->len, NULL));
        /* The last plain round splits the text between two threads. */
        _es_load_set_split_min (p == 2 ? 1 : 0);
        if (p == 0 && c == 0)
          _es_load_set_split_min (ES_LOAD_SPLIT_MIN_DEFAULT);
        truncate_to = cuts[c];
        _es_load_after_map_hook = truncate_hook;
        set = es_loader_load_path (paths[p], NULL, NULL, NULL, NULL, &error);
        _es_load_after_map_hook = NULL;
        _es_load_set_split_min (ES_LOAD_SPLIT_MIN_DEFAULT);
        g_assert_null (set);
        g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TRUNCATED);
        g_assert_true (g_str_has_prefix (error->message, paths[p]));
        g_assert_nonnull (strstr (error->message, "changed while it was being read"));
      }

  /* Untouched, the same file loads (the guard costs nothing). */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(EsEmbeddingSet) set = NULL;

    g_assert_true (g_file_set_contents (plain, text->str, text->len, NULL));
    set = es_loader_load_path (plain, NULL, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (es_embedding_set_get_rows (set), ==, 8000);
  }
  remove_tree (dir);
}

/* ---- class 7: special files ---- */

/* Writes text lines until the reader closes the pipe. */
static gpointer
endless_writer (gpointer data)
{
  int fd = GPOINTER_TO_INT (data);
  char line[4096];

  memset (line, 'a', sizeof line);
  line[sizeof line - 1] = '\n';
  while (write (fd, line, sizeof line) > 0)
    ;
  close (fd);
  return NULL;
}

static void
test_special_files (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);
  g_autofree char *zero = g_build_filename (dir, "zero", NULL);
  g_autofree char *analogies = g_build_filename (dir, "questions.txt", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(EsEmbeddingSet) set = NULL;
  EsLoadOptions options;
  gint64 start;

  g_test_summary ("A FIFO without a writer never blocks the open; the GUI's loads refuse "
                  "non-regular files by name; the CLI reads a pipe as a stream within the "
                  "ceiling; side files (analogy sets) must be regular files");

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  es_load_options_init (&options);

  start = g_get_monotonic_time ();
  set = es_loader_load_path (fifo, &options, NULL, NULL, NULL, &error);
  g_assert_null (set);
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "a pipe, not a regular file"));
  g_clear_error (&error);

  /* As a stream: no writer is an empty stream, at once. */
  options.allow_stream = TRUE;
  set = es_loader_load_path (fifo, &options, NULL, NULL, NULL, &error);
  g_assert_null (set);
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_EMPTY);
  g_clear_error (&error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);

  /* The folder itself. */
  set = es_loader_load_path (dir, &options, NULL, NULL, NULL, &error);
  g_assert_null (set);
  g_assert_nonnull (strstr (error->message, "a folder"));
  g_clear_error (&error);

  /* A side file that is a FIFO: refused, not read. */
  {
    g_autoptr(EsEmbeddingSet) small = NULL;
    const char *text = "4 2\na 1 0\nb 0 1\nc 1 1\nd 0.5 1\n";

    small = load_text (text, strlen (text), "small.txt", &error);
    g_assert_no_error (error);
    g_assert_null (es_evaluate_analogies (small, fifo, 0, FALSE, NULL, NULL, NULL, &error));
    g_assert_nonnull (strstr (error->message, "not a regular file"));
    g_clear_error (&error);
  }

  /* A zero device, made here (never the real /dev): endless, so refused by
   * name even on the command line, and as a side file.
   */
  if (mknod (zero, S_IFCHR | 0600, makedev (1, 5)) == 0)
    {
      g_autoptr(EsEmbeddingSet) small = NULL;
      const char *text = "2 2\na 1 0\nb 0 1\n";

      set = es_loader_load_path (zero, &options, NULL, NULL, NULL, &error);
      g_assert_null (set);
      g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_FORMAT);
      g_assert_nonnull (strstr (error->message, "a character device, not a regular file"));
      g_clear_error (&error);

      small = load_text (text, strlen (text), "small.txt", &error);
      g_assert_null (es_evaluate_analogies (small, zero, 0, FALSE, NULL, NULL, NULL, &error));
      g_assert_nonnull (strstr (error->message, "not a regular file"));
      g_clear_error (&error);
    }
  else
    g_test_message ("mknod: %s (not root): the device case is skipped", g_strerror (errno));

  /* A pipe that never ends: the stream stops at the ceiling. */
  {
    int fds[2];
    GThread *writer;

    g_assert_cmpint (pipe (fds), ==, 0);
    writer = g_thread_new ("writer", endless_writer, GINT_TO_POINTER (fds[1]));
    {
      g_autofree char *path = g_strdup_printf ("/proc/self/fd/%d", fds[0]);

      options.memory_limit = 8u << 20;
      set = es_loader_load_path (path, &options, NULL, NULL, NULL, &error);
    }
    close (fds[0]);
    g_thread_join (writer);
    g_assert_null (set);
    g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE);
    g_clear_error (&error);
  }

  (void) analogies;
  remove_tree (dir);
}

/* ---- class 8 and 9: gzip members, trailers, what a file is ---- */

static GBytes *
two_members (const char *text)
{
  gsize half = strlen (text) / 2;
  g_autoptr(GBytes) a = NULL;
  g_autoptr(GBytes) b = NULL;
  GByteArray *both = g_byte_array_new ();

  while (text[half - 1] != '\n')
    half++;
  a = gzip_bytes (text, half);
  b = gzip_bytes (text + half, strlen (text) - half);
  g_byte_array_append (both, g_bytes_get_data (a, NULL), g_bytes_get_size (a));
  g_byte_array_append (both, g_bytes_get_data (b, NULL), g_bytes_get_size (b));

  return g_byte_array_free_to_bytes (both);
}

static const char good_text[] =
  "6 3\nthe 0.1 0.2 0.3\nof 0.4 0.5 0.6\nand 0.7 0.8 0.9\nto 1 1.1 1.2\nin 1.3 1.4 1.5\nking 1.6 1.7 1.8\n";

static void
test_gzip_members (void)
{
  g_autoptr(GBytes) packed = two_members (good_text);
  gsize len = g_bytes_get_size (packed);
  const guint8 *bytes = g_bytes_get_data (packed, NULL);

  g_test_summary ("A .gz whose second member is cut (by 1 to 8 bytes) is an error naming the byte "
                  "where it ends; junk after the last member is a warning naming its byte; a CRC "
                  "error names the trailer's byte, not byte 0");

  for (gsize cut = 1; cut <= 8; cut++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(EsEmbeddingSet) set = load_text ((const char *) bytes, len - cut, "cut.txt.gz", &error);
      g_autofree char *at = g_strdup_printf ("at byte %" G_GSIZE_FORMAT, len - cut);

      g_assert_null (set);
      g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_COMPRESSION);
      g_assert_nonnull (strstr (error->message, at));
    }

  {
    g_autoptr(GByteArray) junk = g_byte_array_new ();
    g_autoptr(GBytes) junk_bytes = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(EsEmbeddingSet) set = NULL;
    g_autofree char *at = g_strdup_printf ("from byte %" G_GSIZE_FORMAT, len);
    GPtrArray *warnings;

    g_byte_array_append (junk, bytes, len);
    g_byte_array_append (junk, (const guint8 *) "JUNK\n", 5);
    junk_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&junk));
    set = es_loader_load_bytes (junk_bytes, "junk.txt.gz", NULL, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (es_embedding_set_get_rows (set), ==, 6);
    warnings = es_embedding_set_get_warnings (set);
    g_assert_cmpuint (warnings->len, ==, 1);
    g_assert_nonnull (strstr (g_ptr_array_index (warnings, 0), "5 bytes after the last gzip member"));
    g_assert_nonnull (strstr (g_ptr_array_index (warnings, 0), at));
  }

  {
    g_autoptr(GBytes) one = gzip_bytes (good_text, strlen (good_text));
    g_autofree guint8 *bad = g_memdup2 (g_bytes_get_data (one, NULL), g_bytes_get_size (one));
    gsize n = g_bytes_get_size (one);
    g_autoptr(GError) error = NULL;
    g_autoptr(EsEmbeddingSet) set = NULL;
    g_autofree char *at = g_strdup_printf ("CRC mismatch at byte %" G_GSIZE_FORMAT, n - 8);

    bad[n - 8] ^= 0x55;   /* the CRC-32, first byte of the 8-byte trailer */
    set = load_text ((const char *) bad, n, "crc.txt.gz", &error);
    g_assert_null (set);
    g_assert_nonnull (strstr (error->message, at));
  }
}

static void
test_what_it_is (void)
{
  g_autoptr(GBytes) once = gzip_bytes (good_text, strlen (good_text));
  g_autoptr(GBytes) twice = gzip_bytes (g_bytes_get_data (once, NULL), g_bytes_get_size (once));
  g_autoptr(GError) error = NULL;
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autofree char *utf16 = NULL;
  gsize utf16_len = 0;
  const char *order[] = { "UTF-16LE", "UTF-16BE", "UTF-16" };

  g_test_summary ("A gzip file inside a gzip file, and UTF-16 text (with or without a BOM), "
                  "get a message saying what the file is");

  set = es_loader_load_bytes (twice, "twice.txt.gz", NULL, NULL, NULL, NULL, &error);
  g_assert_null (set);
  g_assert_nonnull (strstr (error->message, "gzip file inside a gzip file"));
  g_clear_error (&error);

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      g_clear_pointer (&utf16, g_free);
      utf16 = g_convert (good_text, -1, order[i], "UTF-8", NULL, &utf16_len, &error);
      g_assert_no_error (error);
      set = load_text (utf16, utf16_len, "wide.txt", &error);
      g_assert_null (set);
      g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_ENCODING);
      g_assert_nonnull (strstr (error->message, "UTF-16 text"));
      g_clear_error (&error);
    }
}

/* ---- class 9: .npy headers as numpy writes and reads them ---- */

static GBytes *
npy_bytes (const char *dict)
{
  GByteArray *out = g_byte_array_new ();
  g_autoptr(GString) header = g_string_new (dict);
  const float values[6] = { 1, 2, 3, 4, 5, 6 };
  guint16 header_len;

  while ((10 + header->len + 1) % 64 != 0)
    g_string_append_c (header, ' ');
  g_string_append_c (header, '\n');
  header_len = GUINT16_TO_LE (header->len);
  g_byte_array_append (out, (const guint8 *) "\x93NUMPY\x01\x00", 8);
  g_byte_array_append (out, (const guint8 *) &header_len, 2);
  g_byte_array_append (out, (const guint8 *) header->str, header->len);
  g_byte_array_append (out, (const guint8 *) values, sizeof values);

  return g_byte_array_free_to_bytes (out);
}

static void
test_npy_double_quotes (void)
{
  const char *dicts[] = {
    "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2, 3), }",
    "{'descr': \"<f4\", \"fortran_order\": False, 'shape': (2, 3)}",
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
  };

  g_test_summary (".npy headers with double-quoted keys and values (numpy reads any Python "
                  "literal) load like single-quoted ones");

  for (guint i = 0; i < G_N_ELEMENTS (dicts); i++)
    {
      g_autoptr(GBytes) bytes = npy_bytes (dicts[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(EsEmbeddingSet) set = es_loader_load_bytes (bytes, "q.npy", NULL, NULL, NULL,
                                                            NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (es_embedding_set_get_rows (set), ==, 2);
      g_assert_cmpuint (es_embedding_set_get_dims (set), ==, 3);
      g_assert_cmpfloat (es_embedding_set_get_vector (set, 1)[2], ==, 6);
    }
}

/* ---- class 8: wrong answers without an error ---- */

static void
test_lone_cr (void)
{
  g_autofree char *cr = g_strdup (good_text);
  g_autoptr(GString) big = g_string_new ("2000 3\r");

  g_test_summary ("CR-only line ends (classic Mac) load like LF, plain and gzipped (also "
                  "streamed), not as one row whose word is the whole file");

  for (char *p = cr; *p != '\0'; p++)
    if (*p == '\n')
      *p = '\r';
  for (guint r = 0; r < 2000; r++)
    g_string_append_printf (big, "w%u 0.%u 1 2\r", r, r);

  for (guint v = 0; v < 4; v++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(EsEmbeddingSet) set = NULL;
      g_autoptr(GBytes) bytes = NULL;
      const char *text = v % 2 == 0 ? cr : big->str;
      gsize len = strlen (text);
      gsize rows = v % 2 == 0 ? 6 : 2000;

      bytes = v < 2 ? g_bytes_new (text, len) : gzip_bytes (text, len);
      _es_load_set_gzip_window (v == 3 ? 4096 : 0);
      set = es_loader_load_bytes (bytes, v < 2 ? "mac.txt" : "mac.txt.gz", NULL, NULL, NULL,
                                  NULL, &error);
      _es_load_set_gzip_window (0);
      g_assert_no_error (error);
      g_assert_cmpuint (es_embedding_set_get_rows (set), ==, rows);
      g_assert_cmpuint (es_embedding_set_get_dims (set), ==, 3);
      g_assert_cmpstr (es_embedding_set_get_word (set, rows - 1), ==, v % 2 == 0 ? "king" : "w1999");
    }
}

static void
test_printable_binary (void)
{
  /* Floats whose 4 bytes are all printable ASCII. */
  const char *words[] = { "alpha", "beta", "gamma" };
  const char *vectors[] = { "AAAABBBBCCCC", "0.1x2.3e4567", "zzzz~~~~!!!!" };
  g_autoptr(GByteArray) file = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EsEmbeddingSet) set = NULL;

  g_test_summary ("A valid word2vec binary whose vectors' bytes happen to be printable loads as "
                  "binary (values as memcpy reads them), not refused as bad text");

  g_byte_array_append (file, (const guint8 *) "3 3\n", 4);
  for (guint r = 0; r < 3; r++)
    {
      g_byte_array_append (file, (const guint8 *) words[r], strlen (words[r]));
      g_byte_array_append (file, (const guint8 *) " ", 1);
      g_byte_array_append (file, (const guint8 *) vectors[r], 12);
      g_byte_array_append (file, (const guint8 *) "\n", 1);
    }
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&file));
  set = es_loader_load_bytes (bytes, "printable.bin", NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (es_embedding_set_get_format (set), ==, ES_FORMAT_WORD2VEC_BINARY);
  g_assert_cmpuint (es_embedding_set_get_rows (set), ==, 3);
  for (guint r = 0; r < 3; r++)
    for (guint d = 0; d < 3; d++)
      {
        float expected;

        memcpy (&expected, vectors[r] + 4 * d, 4);
        if (isfinite (expected))
          g_assert_cmpfloat (es_embedding_set_get_vector (set, r)[d], ==, expected);
      }
}

/* ---- class 6 and 8: PCA with fewer rows than dimensions, huge values ---- */

static EsEmbeddingSet *
random_set (gsize  rows,
            gsize  dims,
            double amplitude,
            guint  seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autofree float *data = g_new (float, rows * dims);
  g_auto(GStrv) words = g_new0 (char *, rows + 1);

  for (gsize i = 0; i < rows; i++)
    {
      words[i] = g_strdup_printf ("w%" G_GSIZE_FORMAT, i);
      for (gsize j = 0; j < dims; j++)
        data[i * dims + j] = (float) (amplitude * g_rand_double_range (rand, -1, 1) * (1.0 + j % 3));
    }

  return es_embedding_set_new_from_arrays (rows, dims, (const char * const *) words, data);
}

/* The covariance's eigenvalues, largest first, by LAPACK on a matrix this
 * test builds itself in double: the reference.
 */
static double *
reference_eigenvalues (EsEmbeddingSet *set)
{
  gsize n = es_embedding_set_get_rows (set), d = es_embedding_set_get_dims (set);
  g_autofree double *mean = g_new0 (double, d);
  g_autofree double *cov = g_new0 (double, d * d);
  double *w = g_new (double, d);

  for (gsize i = 0; i < n; i++)
    for (gsize j = 0; j < d; j++)
      mean[j] += es_embedding_set_get_vector (set, i)[j] / (double) n;
  for (gsize i = 0; i < n; i++)
    for (gsize a = 0; a < d; a++)
      for (gsize b = 0; b < d; b++)
        cov[a * d + b] += (es_embedding_set_get_vector (set, i)[a] - mean[a]) *
                          (es_embedding_set_get_vector (set, i)[b] - mean[b]) / (n - 1);
  g_assert_cmpint (LAPACKE_dsyev (LAPACK_ROW_MAJOR, 'N', 'U', d, cov, d, w), ==, 0);
  for (gsize j = 0; j < d / 2; j++)
    {
      double t = w[j];

      w[j] = w[d - 1 - j];
      w[d - 1 - j] = t;
    }
  return w;
}

static void
test_pca_row_gram (void)
{
  g_autoptr(EsEmbeddingSet) small = random_set (6, 40, 1.0, 7);
  g_autoptr(EsEmbeddingSet) wide = random_set (4, 8000, 1.0, 8);
  g_autofree double *reference = reference_eigenvalues (small);
  g_autoptr(EsProjection) projection = NULL;
  g_autoptr(GError) error = NULL;
  EsProjectionOptions options;
  const double *values, *ratio, *components;
  double total = 0.0;
  gint64 start;
  guint k;

  g_test_summary ("PCA with fewer rows than dimensions goes through the n x n Gram matrix: same "
                  "eigenvalues and ratios as LAPACK on the covariance; 8000 dims x 4 rows in well "
                  "under a second (was 47 s)");

  es_projection_options_init (&options);
  options.method = ES_METHOD_PCA;
  options.n_components = 3;
  projection = es_projection_compute (small, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  values = es_projection_get_eigenvalues (projection, &k);
  ratio = es_projection_get_explained_variance_ratio (projection, &k);
  components = es_projection_get_components (projection);
  for (gsize j = 0; j < 40; j++)
    total += reference[j];
  for (guint c = 0; c < 3; c++)
    {
      double norm = 0.0;

      g_assert_cmpfloat_with_epsilon (values[c], reference[c], 1e-6 * reference[0]);
      g_assert_cmpfloat_with_epsilon (ratio[c], reference[c] / total, 1e-6);
      for (gsize j = 0; j < 40; j++)
        norm += components[c * 40 + j] * components[c * 40 + j];
      g_assert_cmpfloat_with_epsilon (norm, 1.0, 1e-9);
    }

  g_clear_pointer (&projection, es_projection_unref);
  start = g_get_monotonic_time ();
  projection = es_projection_compute (wide, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
  ratio = es_projection_get_explained_variance_ratio (projection, &k);
  g_assert_true (ratio[0] > 0 && ratio[0] + ratio[1] + ratio[2] <= 1.0 + 1e-9);
}

static void
test_pca_huge_values (void)
{
  g_autoptr(EsEmbeddingSet) huge = random_set (50, 4, 1.0e38, 9);
  g_autoptr(EsEmbeddingSet) huge_wide = random_set (3, 8, 1.0e38, 10);
  EsEmbeddingSet *sets[] = { huge, huge_wide };

  g_test_summary ("Values near ±3.4e38: the explained-variance ratios are finite and equal those "
                  "of the same data scaled down (ratios are scale-invariant), not null");

  for (guint s = 0; s < G_N_ELEMENTS (sets); s++)
    {
      gsize n = es_embedding_set_get_rows (sets[s]), d = es_embedding_set_get_dims (sets[s]);
      g_autofree float *scaled = g_new (float, n * d);
      g_auto(GStrv) words = g_new0 (char *, n + 1);
      g_autoptr(EsEmbeddingSet) small = NULL;
      g_autoptr(EsProjection) a = NULL;
      g_autoptr(EsProjection) b = NULL;
      g_autoptr(GError) error = NULL;
      EsProjectionOptions options;
      const double *ra, *rb;
      guint k;

      for (gsize i = 0; i < n; i++)
        {
          words[i] = g_strdup (es_embedding_set_get_word (sets[s], i));
          for (gsize j = 0; j < d; j++)
            scaled[i * d + j] = (float) (es_embedding_set_get_vector (sets[s], i)[j] * 1e-36);
        }
      small = es_embedding_set_new_from_arrays (n, d, (const char * const *) words, scaled);
      es_projection_options_init (&options);
      options.method = ES_METHOD_PCA;
      options.n_components = 2;
      a = es_projection_compute (sets[s], &options, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      b = es_projection_compute (small, &options, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      ra = es_projection_get_explained_variance_ratio (a, &k);
      rb = es_projection_get_explained_variance_ratio (b, &k);
      for (guint c = 0; c < 2; c++)
        {
          g_assert_true (isfinite (ra[c]));
          g_assert_cmpfloat_with_epsilon (ra[c], rb[c], 1e-5);
        }
    }
}

/* ---- class 6: a huge line in a .gz is linear work ---- */

static void
test_gzip_huge_line (void)
{
  const gsize dims = 2500000;
  g_autoptr(GString) text = g_string_sized_new (2 * 6 * dims + 64);
  g_autoptr(GBytes) packed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EsEmbeddingSet) set = NULL;
  guint streamed = _es_load_n_streamed;
  gint64 start, plain_time, gzip_time;

  g_test_summary ("Two 12 MB lines in a streamed .gz, through 512-byte blocks: each block adds only its "
                  "own bytes (was a rescan and a copy of the whole partial line per block)");

  g_string_append_printf (text, "2 %" G_GSIZE_FORMAT "\n", dims);
  for (guint r = 0; r < 2; r++)
    {
      g_string_append (text, r == 0 ? "first" : "second");
      for (gsize d = 0; d < dims; d++)
        g_string_append (text, " 0.25");
      g_string_append_c (text, '\n');
    }
  packed = gzip_bytes (text->str, text->len);

  /* The reference: the same text, not compressed (read in one piece). */
  start = g_get_monotonic_time ();
  set = load_text (text->str, text->len, "long.txt", &error);
  g_assert_no_error (error);
  plain_time = g_get_monotonic_time () - start;
  g_clear_pointer (&set, es_embedding_set_unref);

  _es_load_set_gzip_window (512);
  start = g_get_monotonic_time ();
  set = es_loader_load_bytes (packed, "long.txt.gz", NULL, NULL, NULL, NULL, &error);
  gzip_time = g_get_monotonic_time () - start;
  _es_load_set_gzip_window (0);
  g_assert_no_error (error);
  g_assert_cmpuint (_es_load_n_streamed, ==, streamed + 1);
  g_assert_cmpuint (es_embedding_set_get_dims (set), ==, dims);
  g_assert_cmpfloat (es_embedding_set_get_vector (set, 1)[dims - 1], ==, 0.25f);
  /* Inflating costs about as much as parsing; rescanning cost 6-20 times. */
  g_test_message ("plain %.2f s, gzip %.2f s", plain_time / 1e6, gzip_time / 1e6);
  g_assert_cmpint (gzip_time, <, 3 * plain_time + G_USEC_PER_SEC / 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* The endless writer learns that its reader is gone from EPIPE. */
  signal (SIGPIPE, SIG_IGN);

  g_test_add_func ("/engine/hostile/checked/streamed-gzip-huge-dims", test_streamed_gzip_huge_dims);
  g_test_add_func ("/engine/hostile/ceiling/words", test_ceiling_counts_words);
  g_test_add_func ("/engine/hostile/ceiling/metadata-cells", test_ceiling_metadata_cells);

  g_test_add_func ("/engine/hostile/changed/truncated-while-read", test_truncated_while_read);
  g_test_add_func ("/engine/hostile/special/files", test_special_files);

  g_test_add_func ("/engine/hostile/gzip/members", test_gzip_members);
  g_test_add_func ("/engine/hostile/what-it-is", test_what_it_is);

  g_test_add_func ("/engine/hostile/npy/double-quotes", test_npy_double_quotes);

  g_test_add_func ("/engine/hostile/wrong/lone-cr", test_lone_cr);
  g_test_add_func ("/engine/hostile/wrong/printable-binary", test_printable_binary);

  g_test_add_func ("/engine/hostile/pca/row-gram", test_pca_row_gram);
  g_test_add_func ("/engine/hostile/pca/huge-values", test_pca_huge_values);

  g_test_add_func ("/engine/hostile/gzip/huge-line", test_gzip_huge_line);

  return g_test_run ();
}
