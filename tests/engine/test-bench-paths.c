/* test-bench-paths.c: the benchmark's code paths at a tiny size
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tests/bench/run times these operations at 100k-3M rows; here every one
 * runs once on 200 x 20 so a broken path is caught by the test suite.
 * The generated text and binary files are also checked against each other
 * with an independent parse (strtof_l here, raw bytes of the binary).
 */

#define G_LOG_DOMAIN "test-bench-paths"

/* strtof_l and newlocale are GNU/POSIX-2008 extensions of <stdlib.h>. */
#define _GNU_SOURCE

#include "config.h"

#include "es-engine.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define ROWS 200
#define DIMS 20

static char *tmp_dir;
static char *text_path;
static char *binary_path;
static char *gzip_path;

/* Runs a tool from the build tree (its path is in @env_var) and returns
 * its stdout; fails the test on a non-zero exit.
 */
static char *
run_tool (const char          *env_var,
          const char * const  *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = 0;

  g_ptr_array_add (argv, (char *) g_getenv (env_var));
  g_assert_nonnull (argv->pdata[0]);
  for (gsize i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_test_message ("stderr: %s", err);
  g_assert_no_error (error);

  return out;
}

/* "seconds\tkey=value..." -> seconds, and the value of @key (NAN if absent). */
static double
parse_result (const char *line,
              const char *key,
              double     *value)
{
  g_auto(GStrv) fields = g_strsplit (g_strchomp ((char *) line), "\t", -1);
  char *end = NULL;
  double seconds;

  g_assert_nonnull (fields[0]);
  seconds = g_ascii_strtod (fields[0], &end);
  g_assert_true (end != fields[0] && *end == '\0');
  g_assert_true (isfinite (seconds) && seconds >= 0);

  if (value != NULL)
    {
      gsize key_len = strlen (key);

      *value = NAN;
      for (guint i = 1; fields[i] != NULL; i++)
        if (strncmp (fields[i], key, key_len) == 0 && fields[i][key_len] == '=')
          *value = g_ascii_strtod (fields[i] + key_len + 1, NULL);
    }

  return seconds;
}

/* The text file parsed here, independently of the loader. */
static float *
parse_text_file (char ***words)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  locale_t c_locale = newlocale (LC_ALL_MASK, "C", (locale_t) 0);
  float *m = g_new (float, ROWS * DIMS);

  g_file_get_contents (text_path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, ROWS + 1);
  g_assert_cmpstr (lines[ROWS], ==, "");
  *words = g_new0 (char *, ROWS + 1);

  for (guint i = 0; i < ROWS; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], " ", -1);

      g_assert_cmpuint (g_strv_length (fields), ==, DIMS + 1);
      (*words)[i] = g_strdup (fields[0]);
      for (guint j = 0; j < DIMS; j++)
        {
          char *end;

          m[i * DIMS + j] = strtof_l (fields[j + 1], &end, c_locale);
          g_assert_cmpint (*end, ==, '\0');
        }
    }
  freelocale (c_locale);

  return m;
}

static void
test_generate_formats_agree (void)
{
  g_auto(GStrv) words = NULL;
  g_autofree float *expected = parse_text_file (&words);
  g_autofree char *binary = NULL;
  g_autoptr(GError) error = NULL;
  const char *p;
  gsize len;
  guint negative = 0;
  GHashTable *seen = g_hash_table_new (g_str_hash, g_str_equal);

  /* Unique words, mixed signs. */
  for (guint i = 0; i < ROWS; i++)
    g_assert_true (g_hash_table_add (seen, words[i]));
  g_hash_table_unref (seen);
  for (guint i = 0; i < ROWS * DIMS; i++)
    negative += expected[i] < 0;
  g_assert_cmpuint (negative, >, ROWS * DIMS / 4);
  g_assert_cmpuint (negative, <, ROWS * DIMS * 3 / 4);

  /* The binary holds, bit for bit, the floats of the printed decimals. */
  g_file_get_contents (binary_path, &binary, &len, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (binary, "200 20\n"));
  p = binary + strlen ("200 20\n");
  for (guint i = 0; i < ROWS; i++)
    {
      gsize word_len = strlen (words[i]);

      g_assert_cmpmem (p, word_len, words[i], word_len);
      g_assert_cmpint (p[word_len], ==, ' ');
      p += word_len + 1;
      g_assert_cmpmem (p, DIMS * sizeof (float), expected + i * DIMS, DIMS * sizeof (float));
      p += DIMS * sizeof (float);
      g_assert_cmpint (*p++, ==, '\n');
    }
  g_assert_true (p == binary + len);

  /* All three files load to that same matrix. */
  for (guint f = 0; f < 3; f++)
    {
      const char *path = f == 0 ? text_path : f == 1 ? binary_path : gzip_path;
      g_autoptr(EsEmbeddingSet) set = es_loader_load_path (path, NULL, NULL, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (es_embedding_set_get_rows (set), ==, ROWS);
      g_assert_cmpuint (es_embedding_set_get_dims (set), ==, DIMS);
      g_assert_cmpmem (es_matrix_get_data (es_embedding_set_get_matrix (set)), ROWS * DIMS * sizeof (float),
                       expected, ROWS * DIMS * sizeof (float));
      for (guint i = 0; i < ROWS; i++)
        g_assert_cmpstr (es_embedding_set_get_word (set, i), ==, words[i]);
      g_assert_cmpint (es_embedding_set_get_compression (set), ==,
                       f == 2 ? ES_COMPRESSION_GZIP : ES_COMPRESSION_NONE);
    }
}

static void
test_bench_load (void)
{
  const char *paths[] = { text_path, binary_path, gzip_path };

  for (guint f = 0; f < G_N_ELEMENTS (paths); f++)
    {
      const char *args[] = { "load", paths[f], NULL };
      g_autofree char *out = run_tool ("ES_BENCH", args);
      double rows, dims, matrix_bytes;

      parse_result (out, "rows", &rows);
      g_assert_cmpfloat (rows, ==, ROWS);
      parse_result (out, "dims", &dims);
      g_assert_cmpfloat (dims, ==, DIMS);
      parse_result (out, "matrix_bytes", &matrix_bytes);
      g_assert_cmpfloat (matrix_bytes, ==, ROWS * DIMS * sizeof (float));
    }
}

static void
test_bench_pca (void)
{
  const char *args[] = { "pca", binary_path, NULL };
  g_autofree char *out = run_tool ("ES_BENCH", args);
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(EsProjection) projection = NULL;
  g_autoptr(GError) error = NULL;
  EsProjectionOptions options;
  const double *ratio;
  double evr[3];
  guint n;

  for (guint i = 0; i < 3; i++)
    {
      char key[8];

      g_snprintf (key, sizeof key, "evr%u", i + 1);
      parse_result (out, key, &evr[i]);
    }

  /* Random data: about 1/20 each, descending, and what the text file gives. */
  g_assert_cmpfloat (evr[0], >=, evr[1]);
  g_assert_cmpfloat (evr[1], >=, evr[2]);
  g_assert_cmpfloat (evr[2], >, 0.02);
  g_assert_cmpfloat (evr[0], <, 0.15);

  set = es_loader_load_path (text_path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  es_projection_options_init (&options);
  options.method = ES_METHOD_PCA;
  options.n_components = 3;
  projection = es_projection_compute (set, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  ratio = es_projection_get_explained_variance_ratio (projection, &n);
  g_assert_cmpuint (n, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpfloat_with_epsilon (ratio[i], evr[i], 1e-5);
}

static void
test_bench_knn (void)
{
  const char *single[] = { "knn-single", binary_path, "--queries", "5", NULL };
  const char *batched[] = { "knn-batched", text_path, "--queries", "7", NULL };
  g_autofree char *out1 = run_tool ("ES_BENCH", single);
  g_autofree char *out2 = run_tool ("ES_BENCH", batched);
  double bound, bytes, bw, queries;

  parse_result (out1, "matrix_bytes", &bytes);
  g_assert_cmpfloat (bytes, ==, ROWS * DIMS * sizeof (float));
  parse_result (out1, "bw_gbs", &bw);
  g_assert_cmpfloat (bw, >, 0);
  parse_result (out1, "bound_s", &bound);
  g_assert_cmpfloat_with_epsilon (bound, bytes / (bw * 1e9), bound * 1e-4);
  parse_result (out2, "queries", &queries);
  g_assert_cmpfloat (queries, ==, 7);
}

static void
test_bench_bandwidth (void)
{
  const char *args[] = { "bandwidth", "--points", "1000000", NULL };
  g_autofree char *out = run_tool ("ES_BENCH", args);
  double seconds, bw, bytes;

  seconds = parse_result (out, "bw_gbs", &bw);
  parse_result (out, "bytes", &bytes);
  g_assert_cmpfloat (bytes, ==, 4e6);
  g_assert_cmpfloat_with_epsilon (seconds, bytes / (bw * 1e9), seconds * 1e-3);
}

static void
test_bench_draw (void)
{
  const char *ops[] = { "draw-2d", "draw-3d" };

  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    {
      g_autofree char *png = g_build_filename (tmp_dir, "frame.png", NULL);
      const char *args[] = { ops[i], "--points", "500", "--frames", "2", "--output", png, NULL };
      const char *from_file[] = { ops[i], binary_path, "--frames", "1", NULL };
      g_autofree char *out = run_tool ("ES_BENCH", args);
      g_autofree char *out2 = run_tool ("ES_BENCH", from_file);
      g_autofree char *head = NULL;
      double points, fps, seconds;

      seconds = parse_result (out, "points", &points);
      g_assert_cmpfloat (points, ==, 500);
      parse_result (out, "fps", &fps);
      g_assert_cmpfloat_with_epsilon (fps * seconds, 1, 1e-3);
      g_assert_true (g_file_get_contents (png, &head, NULL, NULL));
      g_assert_cmpmem (head, 4, "\x89PNG", 4);
      g_unlink (png);

      parse_result (out2, "points", &points);
      g_assert_cmpfloat (points, ==, ROWS);
    }
}

static void
test_bench_hover (void)
{
  const char *args[] = { "hover", "--points", "2000", NULL };
  g_autofree char *out = run_tool ("ES_BENCH", args);
  double points, hits, build;

  parse_result (out, "points", &points);
  g_assert_cmpfloat (points, ==, 2000);
  parse_result (out, "build_s", &build);
  g_assert_cmpfloat (build, >=, 0);
  /* 2000 points on 1920 x 1080: some pointer positions hit, most miss. */
  parse_result (out, "hit_fraction", &hits);
  g_assert_cmpfloat (hits, >, 0.01);
  g_assert_cmpfloat (hits, <, 0.9);
}

static void
test_bench_density (void)
{
  const char *args[] = { "density", "--points", "2000", "--frames", "2", NULL };
  g_autofree char *out = run_tool ("ES_BENCH", args);
  double points, nodes, h;

  parse_result (out, "points", &points);
  g_assert_cmpfloat (points, ==, 2000);
  /* The estimate was made: a grid at least as large as the view. */
  parse_result (out, "nodes", &nodes);
  parse_result (out, "h_px", &h);
  g_assert_cmpfloat (h, >, 0);
  g_assert_cmpfloat (nodes * (h / 2.5) * (h / 2.5), >=, 1000.0 * 700);
}

static void
test_bench_export (void)
{
  const char *formats[] = { "png", "svg", "pdf" };
  const char *magic[] = { "\x89PNG", "<?xml", "%PDF" };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *op = g_strconcat ("export-", formats[i], NULL);
      g_autofree char *path = g_strdup_printf ("%s/plot.%s", tmp_dir, formats[i]);
      const char *args[] = { op, "--points", "300", "--output", path, NULL };
      g_autofree char *out = run_tool ("ES_BENCH", args);
      g_autofree char *contents = NULL;
      gsize len;
      double file_bytes;

      parse_result (out, "file_bytes", &file_bytes);
      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      g_assert_cmpfloat (file_bytes, ==, len);
      g_assert_true (g_str_has_prefix (contents, magic[i]));
      g_unlink (path);
    }
}

static void
write_gzip_copy (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (gzip_path);
  g_autoptr(GFileOutputStream) raw = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE,
                                                     NULL, &error);
  g_autoptr(GZlibCompressor) gz = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr(GOutputStream) out = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_no_error (error);
  out = g_converter_output_stream_new (G_OUTPUT_STREAM (raw), G_CONVERTER (gz));
  g_file_get_contents (text_path, &contents, &len, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (out, contents, len, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, &error);
  g_assert_no_error (error);
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

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_summary ("es-bench-generate and every es-bench operation at 200 x 20");

  tmp_dir = g_dir_make_tmp ("es-bench-XXXXXX", &error);
  g_assert_no_error (error);
  text_path = g_build_filename (tmp_dir, "small.txt", NULL);
  binary_path = g_build_filename (tmp_dir, "small.bin", NULL);
  gzip_path = g_build_filename (tmp_dir, "small.txt.gz", NULL);
  {
    const char *args[] = { "--rows", "200", "--dims", "20", "--seed", "7",
                           "--also-binary", binary_path, text_path, NULL };
    g_autofree char *out = run_tool ("ES_BENCH_GENERATE", args);
  }
  write_gzip_copy ();

  g_test_add_func ("/engine/bench/generate-formats-agree", test_generate_formats_agree);
  g_test_add_func ("/engine/bench/load", test_bench_load);
  g_test_add_func ("/engine/bench/pca", test_bench_pca);
  g_test_add_func ("/engine/bench/knn", test_bench_knn);
  g_test_add_func ("/engine/bench/bandwidth", test_bench_bandwidth);
  g_test_add_func ("/engine/bench/draw", test_bench_draw);
  g_test_add_func ("/engine/bench/hover", test_bench_hover);
  g_test_add_func ("/engine/bench/density", test_bench_density);
  g_test_add_func ("/engine/bench/export", test_bench_export);

  status = g_test_run ();

  remove_tree (tmp_dir);
  g_free (text_path);
  g_free (binary_path);
  g_free (gzip_path);
  g_free (tmp_dir);

  return status;
}
