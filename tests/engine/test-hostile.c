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
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "es-engine.h"
#include "es-loader-private.h"
#include "es-memory.h"

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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/hostile/checked/streamed-gzip-huge-dims", test_streamed_gzip_huge_dims);
  g_test_add_func ("/engine/hostile/ceiling/words", test_ceiling_counts_words);
  g_test_add_func ("/engine/hostile/ceiling/metadata-cells", test_ceiling_metadata_cells);

  return g_test_run ();
}
