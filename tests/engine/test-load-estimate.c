/* test-load-estimate.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The two questions the GUI asks before a load, answered by the engine:
 * what a file will cost (from its first line) and which of two dropped
 * files is the metadata of the other.
 */

#define G_LOG_DOMAIN "test-load-estimate"

#include "config.h"

#include <glib/gstdio.h>

#include "es-engine.h"

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

static void
test_estimate_header (void)
{
  g_autofree char *path = data_path ("npm-word2vec/vectors.txt");
  g_autoptr(GError) error = NULL;
  EsLoadEstimate e;

  g_test_summary ("a word2vec header gives the exact shape and the matrix size");
  g_assert_true (es_loader_estimate (path, &e, &error));
  g_assert_no_error (error);
  g_assert_true (e.from_header);
  g_assert_true (e.plausible);
  g_assert_false (e.gzip);
  g_assert_cmpuint (e.rows, ==, 2631);
  g_assert_cmpuint (e.dims, ==, 200);
  g_assert_cmpuint (e.matrix_bytes, ==, 2631 * 200 * 4);
}

static void
test_estimate_implausible (void)
{
  g_autofree char *path = data_path ("bad/header_huge.txt");
  g_autofree char *dir = g_dir_make_tmp ("es-estimate-XXXXXX", NULL);
  g_autofree char *dims_path = g_build_filename (dir, "dims.txt", NULL);
  EsLoadEstimate e;

  g_test_summary ("a header asking for more values than the file holds is implausible "
                  "(the GUI must not ask how much of it to load), also when the product overflows");
  g_assert_true (es_loader_estimate (path, &e, NULL));
  g_assert_true (e.from_header);
  g_assert_cmpuint (e.rows, ==, G_GUINT64_CONSTANT (99999999999));
  g_assert_false (e.plausible);
  g_assert_cmpuint (e.matrix_bytes, ==, 0);

  g_assert_true (g_file_set_contents (dims_path, "2 9223372036854775808\na 1\n", -1, NULL));
  g_assert_true (es_loader_estimate (dims_path, &e, NULL));
  g_assert_false (e.plausible);
  g_unlink (dims_path);
  g_rmdir (dir);
}

static void
test_estimate_glove_gzip (void)
{
  g_autofree char *dir = g_dir_make_tmp ("es-estimate-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "g.txt.gz", NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GZlibCompressor) gzip = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (memory, G_CONVERTER (gzip));
  EsLoadEstimate e;

  g_test_summary ("GloVe (no header) in gzip: dims from the first line, rows a guess from the size");
  for (int i = 0; i < 1000; i++)
    g_string_append_printf (text, "w%d 0.5 -0.25 0.125\n", i);
  g_assert_true (g_output_stream_write_all (out, text->str, text->len, NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  g_assert_true (g_file_set_contents (path, g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (memory)),
                                      g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (memory)), NULL));
  g_assert_true (es_loader_estimate (path, &e, NULL));
  g_assert_true (e.gzip);
  g_assert_false (e.from_header);
  g_assert_cmpuint (e.dims, ==, 3);
  g_assert_cmpuint (e.rows, >, 0);
  g_assert_true (e.plausible);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_estimate_safetensors (void)
{
  g_autofree char *dir = g_dir_make_tmp ("es-estimate-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "model.safetensors", NULL);
  /* A header, then data holding a line break and what reads as a
   * "first line" of two huge counts.
   */
  static const char file[] = "\x10\0\0\0\0\0\0\0{}              \n99999999999 99999\nx";
  EsLoadEstimate e;

  g_test_summary ("a safetensors file has no first line to estimate from: nothing to ask");
  g_assert_true (g_file_set_contents (path, file, sizeof file - 1, NULL));
  g_assert_true (es_loader_estimate (path, &e, NULL));
  g_assert_cmpuint (e.rows, ==, 0);
  g_assert_false (e.from_header);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_estimate_missing (void)
{
  g_autoptr(GError) error = NULL;
  EsLoadEstimate e;

  g_assert_false (es_loader_estimate ("/nonexistent/es-estimate", &e, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_find_metadata (void)
{
  g_autofree char *tensors = data_path ("projector/iris_tensors.tsv");
  g_autofree char *labels = data_path ("projector/iris_labels.tsv");
  g_autofree char *bytes = data_path ("projector/iris_tensors.bytes");
  g_autofree char *vectors = data_path ("npm-word2vec/vectors.txt");

  g_test_summary ("a numeric TSV and a text TSV with one more row (header) pair up either way round; "
                  "a binary tensor pairs by the other's name; two tensors don't pair");
  g_assert_cmpint (es_loader_find_metadata (tensors, labels, NULL), ==, 1);
  g_assert_cmpint (es_loader_find_metadata (labels, tensors, NULL), ==, 0);
  g_assert_cmpint (es_loader_find_metadata (bytes, labels, NULL), ==, 1);
  g_assert_cmpint (es_loader_find_metadata (tensors, vectors, NULL), ==, -1);
  g_assert_cmpint (es_loader_find_metadata (tensors, tensors, NULL), ==, -1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/load-estimate/header", test_estimate_header);
  g_test_add_func ("/load-estimate/implausible", test_estimate_implausible);
  g_test_add_func ("/load-estimate/glove-gzip", test_estimate_glove_gzip);
  g_test_add_func ("/load-estimate/safetensors", test_estimate_safetensors);
  g_test_add_func ("/load-estimate/missing", test_estimate_missing);
  g_test_add_func ("/load-estimate/find-metadata", test_find_metadata);

  return g_test_run ();
}
