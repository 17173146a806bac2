/* test-cli-cluster.c: embedscope cluster, run as a process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cli-test-util.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

/* 3 planted groups of 40 words (gA0.., gB0.., gC0..) far apart in 4-D,
 * plus a NaN row; word2vec text.
 */
static char *
write_planted (const char *dir)
{
  g_autoptr(GString) text = g_string_new ("121 4\n");
  char *path = g_build_filename (dir, "planted.txt", NULL);
  static const double centres[3][4] = { { 10, 0, 0, 1 }, { 0, 10, 0, 1 }, { 0, 0, 10, 1 } };
  GRand *rand = g_rand_new_with_seed (5);

  for (guint i = 0; i < 120; i++)
    {
      guint g = i % 3;

      g_string_append_printf (text, "g%c%u", 'A' + g, i / 3);
      for (guint j = 0; j < 4; j++)
        g_string_append_printf (text, " %.4f", centres[g][j] + g_rand_double_range (rand, -1, 1));
      g_string_append_c (text, '\n');
    }
  g_string_append (text, "broken nan nan nan nan\n");
  g_rand_free (rand);
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));

  return path;
}

static void
test_tsv (void)
{
  g_autofree char *dir = g_dir_make_tmp ("es-cli-cluster-XXXXXX", NULL);
  g_autofree char *input = write_planted (dir);
  g_autofree char *output = g_build_filename (dir, "clusters.tsv", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *again = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(RunResult) r = { 0 };
  g_auto(RunResult) r2 = { 0 };
  int map[3] = { -1, -1, -1 };

  cli_test_run (&r, "cluster", input, "--clusters", "3", "--seed", "7", "--output", output, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_get_contents (output, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "word\tcluster\tname");
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 121 + 1);

  for (guint i = 0; i < 121; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i + 1], "\t", -1);
      int cluster;

      g_assert_cmpuint (g_strv_length (fields), ==, 3);
      cluster = atoi (fields[1]);
      if (i == 120)
        {
          g_assert_cmpstr (fields[0], ==, "broken");
          g_assert_cmpint (cluster, ==, -1);
          g_assert_cmpstr (fields[2], ==, "");
          continue;
        }
      /* Each planted group is one cluster, named by 3 of its own words. */
      if (map[i % 3] < 0)
        map[i % 3] = cluster;
      g_assert_cmpint (cluster, ==, map[i % 3]);
      {
        g_auto(GStrv) words = g_strsplit (fields[2], " · ", -1);

        g_assert_cmpuint (g_strv_length (words), ==, 3);
        for (guint w = 0; w < 3; w++)
          g_assert_cmpint (words[w][1], ==, fields[0][1]);
      }
    }
  g_assert_cmpint (map[0], !=, map[1]);
  g_assert_cmpint (map[1], !=, map[2]);
  g_assert_cmpint (map[0], !=, map[2]);

  /* Same seed, same file. */
  g_remove (output);
  cli_test_run (&r2, "cluster", input, "--clusters", "3", "--seed", "7", "--output", output, NULL);
  g_assert_cmpint (r2.status, ==, 0);
  g_assert_true (g_file_get_contents (output, &again, NULL, NULL));
  g_assert_cmpstr (again, ==, contents);

  g_remove (output);
  g_remove (input);
  g_rmdir (dir);
}

static void
test_json (void)
{
  g_autofree char *dir = g_dir_make_tmp ("es-cli-cluster-XXXXXX", NULL);
  g_autofree char *input = write_planted (dir);
  g_auto(RunResult) r = { 0 };

  cli_test_run (&r, "cluster", input, "--clusters", "3", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "\"k\": 3"));
  g_assert_nonnull (strstr (r.out, "\"sizes\": [40, 40, 40]"));
  g_assert_nonnull (strstr (r.out, "\"objective\": "));
  g_assert_nonnull (strstr (r.out, "\"converged\": true"));
  g_assert_nonnull (strstr (r.out, "\"names\": [\""));
  g_assert_nonnull (strstr (r.out, "\"timings\": {\"load\": "));

  g_remove (input);
  g_rmdir (dir);
}

static void
test_errors (void)
{
  g_autofree char *dir = g_dir_make_tmp ("es-cli-cluster-XXXXXX", NULL);
  g_autofree char *input = write_planted (dir);
  const char *malformed[] = { "0", "-3", "abc", "2.5", "" };

  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_auto(RunResult) r = { 0 };

      cli_test_run (&r, "cluster", input, "--clusters", malformed[i], NULL);
      g_assert_cmpint (r.status, ==, 2);
    }
  {
    g_auto(RunResult) r = { 0 };

    cli_test_run (&r, "cluster", input, NULL);
    g_assert_cmpint (r.status, ==, 2);
  }
  {
    g_auto(RunResult) r = { 0 };

    cli_test_run (&r, "cluster", input, "--clusters", "3", "--seed", "x", NULL);
    g_assert_cmpint (r.status, ==, 2);
  }
  {
    g_auto(RunResult) r = { 0 };

    /* 120 valid rows. */
    cli_test_run (&r, "cluster", input, "--clusters", "121", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "planted.txt"));
    g_assert_nonnull (strstr (r.err, "120 valid rows"));
  }
  {
    g_auto(RunResult) r = { 0 };

    cli_test_run (&r, "cluster", input, "--clusters", "120", "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
  }

  g_remove (input);
  g_rmdir (dir);
}

static void
test_render_clusters (void)
{
  g_autofree char *dir = g_dir_make_tmp ("es-cli-cluster-XXXXXX", NULL);
  g_autofree char *input = write_planted (dir);
  g_autofree char *plain = g_build_filename (dir, "plain.png", NULL);
  g_autofree char *coloured = g_build_filename (dir, "clusters.png", NULL);
  g_autofree char *umap = g_build_filename (dir, "umap.png", NULL);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  gsize la, lb;
  g_auto(RunResult) r = { 0 };

  g_test_summary ("render --clusters K colours PCA and UMAP plots by k-means clusters; a bad K "
                  "is a usage error (2) or an input error (1) naming it");

  cli_test_run (&r, "render", input, "--width", "400", "--height", "300", "-o", plain, NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_test_run (&r, "render", input, "--clusters", "3", "--width", "400", "--height", "300", "-o", coloured, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_get_contents (plain, &a, &la, NULL));
  g_assert_true (g_file_get_contents (coloured, &b, &lb, NULL));
  g_assert_true (la != lb || memcmp (a, b, la) != 0);

  cli_test_run (&r, "render", input, "--method", "umap", "--clusters", "3", "--width", "400",
                "--height", "300", "-o", umap, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_test (umap, G_FILE_TEST_EXISTS));

  cli_test_run (&r, "render", input, "--clusters", "-2", "-o", plain, NULL);
  g_assert_cmpint (r.status, ==, 2);
  cli_test_run (&r, "render", input, "--clusters", "abc", "-o", plain, NULL);
  g_assert_cmpint (r.status, ==, 2);
  cli_test_run (&r, "render", input, "--clusters", "500", "-o", plain, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "k = 500"));

  cli_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli-cluster/tsv", test_tsv);
  g_test_add_func ("/cli-cluster/json", test_json);
  g_test_add_func ("/cli-cluster/errors", test_errors);
  g_test_add_func ("/cli-cluster/render", test_render_clusters);

  return g_test_run ();
}
