/* test-writer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The TSV tables the CLI and the app share (es-writer.h), checked by a
 * round trip through the loader: what is written reads back bit for bit.
 */

#define G_LOG_DOMAIN "test-writer"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "es-engine.h"

static void
test_format_float_round_trip (void)
{
  GRand *rand = g_rand_new_with_seed (7);

  g_test_summary ("es_format_float gives the shortest decimal that parses back to the same float32");
  for (guint i = 0; i < 100000; i++)
    {
      union { guint32 u; float f; } v = { .u = g_rand_int (rand) };
      g_autofree char *text = NULL;

      if (!isfinite (v.f))
        continue;
      text = es_format_float (v.f);
      g_assert_true ((float) g_ascii_strtod (text, NULL) == v.f);
    }
  {
    g_autofree char *a = es_format_float (0.1f);
    g_autofree char *b = es_format_float (NAN);
    g_autofree char *c = es_format_float (-INFINITY);

    g_assert_cmpstr (a, ==, "0.1");
    g_assert_cmpstr (b, ==, "nan");
    g_assert_cmpstr (c, ==, "-inf");
  }
  g_rand_free (rand);
}

static void
test_coordinates_round_trip (void)
{
  static const char *words[] = { "alpha", "beta", "gamma", "delta" };
  float data[4 * 3];
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(EsEmbeddingSet) back = NULL;
  g_autoptr(GString) tsv = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("es-writer-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "coords.tsv", NULL);
  g_autofree char *body = NULL;
  static const guint columns[2] = { 2, 0 };
  static const char *titles[2] = { "PC3", "PC1" };
  static const guint8 mask[4] = { 1, 0, 1, 1 };
  EsLoadOptions options;

  g_test_summary ("a coordinate table of chosen columns and masked rows, without its header "
                  "line, loads back as the same float32 values");
  for (guint i = 0; i < G_N_ELEMENTS (data); i++)
    data[i] = (float) (sin (i * 1.7) * pow (10, (int) i % 7 - 3));
  set = es_embedding_set_new_from_arrays (4, 3, words, data);
  tsv = es_writer_coordinates_tsv (set, data, 3, columns, titles, 2, mask, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (tsv->str, "word\tPC3\tPC1\n"));
  g_assert_null (strstr (tsv->str, "beta"));

  /* The body is a GloVe-style table the loader reads. */
  body = g_strdup (strchr (tsv->str, '\n') + 1);
  for (char *p = body; *p; p++)
    if (*p == '\t')
      *p = ' ';
  g_assert_true (es_output_write_file (path, body, strlen (body), NULL));
  es_load_options_init (&options);
  back = es_loader_load_path (path, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (es_embedding_set_get_rows (back), ==, 3);
  for (guint r = 0, src = 0; src < 4; src++)
    {
      const float *v;

      if (!mask[src])
        continue;
      g_assert_cmpstr (es_embedding_set_get_word (back, r), ==, words[src]);
      v = es_embedding_set_get_vector (back, r);
      g_assert_true (v[0] == data[src * 3 + 2]);
      g_assert_true (v[1] == data[src * 3 + 0]);
      r++;
    }
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_refuses_tab_words (void)
{
  static const char *words[] = { "fine", "tab\tword" };
  static const float data[4] = { 1, 2, 3, 4 };
  static const guint columns[2] = { 0, 1 };
  static const char *titles[2] = { "x", "y" };
  g_autoptr(EsEmbeddingSet) set = es_embedding_set_new_from_arrays (2, 2, words, data);
  g_autoptr(GError) error = NULL;
  GString *tsv;

  g_test_summary ("a word holding a tab cannot be written to a TSV: an error naming the row");
  tsv = es_writer_coordinates_tsv (set, data, 2, columns, titles, 2, NULL, &error);
  g_assert_null (tsv);
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "row 2"));
}

static void
test_neighbors_table (void)
{
  static const char *words[] = { "king", "queen", "man" };
  static const float data[6] = { 1, 0, 0.8f, 0.6f, 0, 1 };
  g_autoptr(EsEmbeddingSet) set = es_embedding_set_new_from_arrays (3, 2, words, data);
  EsNeighbor n[2] = { { 1, 0.8 }, { 2, 0.0 } };
  g_autoptr(GString) tsv = es_writer_neighbors_tsv (set, "king", ES_METRIC_COSINE, n, 2, NULL);

  g_test_summary ("the neighbour table: a comment naming the query and metric, a header, ranks");
  g_assert_cmpstr (tsv->str, ==,
                   "# neighbours of king (cosine, k = 2)\nrank\tword\tscore\n1\tqueen\t0.8\n2\tman\t0\n");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/writer/format-float", test_format_float_round_trip);
  g_test_add_func ("/writer/coordinates-round-trip", test_coordinates_round_trip);
  g_test_add_func ("/writer/refuses-tab-words", test_refuses_tab_words);
  g_test_add_func ("/writer/neighbors", test_neighbors_table);

  return g_test_run ();
}
