/* test-cli-umap.c: embedscope project|render --method umap, as a user runs them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <sys/wait.h>
#include <unistd.h>

#define N_ROWS   300
#define N_DIMS   10
#define N_BLOBS  3

static char *data_path;
static char *tiny_path;

static int
run_cli (char      **out,
         char      **err,
         const char *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;
  int wait_status;

  g_ptr_array_add (argv, (char *) g_getenv ("ES_CLI"));
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                out, err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  return WEXITSTATUS (wait_status);
}

/* word2vec text: N_BLOBS Gaussian blobs far apart, word "bB_i" in blob B. */
static char *
write_data (const char *name,
            guint       rows)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (9);
  GString *text = g_string_new (NULL);
  g_autofree char *base = g_strdup_printf ("%d-%s", (int) getpid (), name);
  char *path = g_build_filename (g_get_tmp_dir (), base, NULL);

  g_string_append_printf (text, "%u %u\n", rows, N_DIMS);
  for (guint i = 0; i < rows; i++)
    {
      g_string_append_printf (text, "b%u_%u", i % N_BLOBS, i);
      for (guint d = 0; d < N_DIMS; d++)
        g_string_append_printf (text, " %.5f", g_rand_double_range (rand, -1, 1) + (d == i % N_BLOBS ? 10 : 0));
      g_string_append_c (text, '\n');
    }
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
  g_string_free (text, TRUE);
  return path;
}

static void
test_project_json_and_tsv (void)
{
  g_autofree char *out = NULL, *err = NULL, *tsv = NULL, *again = NULL;
  g_autofree char *tsv_path = g_strdup_printf ("%s/%d-es-umap-cli.tsv", g_get_tmp_dir (), (int) getpid ());
  g_autofree char *tsv2_path = g_strdup_printf ("%s/%d-es-umap-cli2.tsv", g_get_tmp_dir (), (int) getpid ());
  g_auto(GStrv) lines = NULL;
  double x[N_ROWS], y[N_ROWS];
  guint blob[N_ROWS], same = 0;

  g_assert_cmpint (run_cli (&out, &err, "project", data_path, "--method", "umap", "--json",
                            "--output", tsv_path, "--seed", "3", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"method\": \"umap\""));
  g_assert_nonnull (strstr (out, "\"n_neighbors\": 15"));
  g_assert_nonnull (strstr (out, "\"epochs\": 500"));
  g_assert_nonnull (strstr (out, "\"knn_preservation\": "));
  g_assert_nonnull (strstr (out, "\"trustworthiness\": "));
  for (guint i = 0; i < 5; i++)
    {
      static const char *keys[] = { "\"knn\": ", "\"graph\": ", "\"init\": ", "\"optimize\": ", "\"total\": " };

      g_assert_nonnull (strstr (out, keys[i]));
    }

  g_assert_true (g_file_get_contents (tsv_path, &tsv, NULL, NULL));
  lines = g_strsplit (tsv, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "word\tUMAP1\tUMAP2");
  g_assert_cmpuint (g_strv_length (lines), ==, N_ROWS + 2);   /* header, rows, "" */
  for (guint i = 0; i < N_ROWS; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i + 1], "\t", -1);

      g_assert_cmpuint (g_strv_length (f), ==, 3);
      g_assert_true (sscanf (f[0], "b%u_", &blob[i]) == 1);
      x[i] = g_ascii_strtod (f[1], NULL);
      y[i] = g_ascii_strtod (f[2], NULL);
      g_assert_true (isfinite (x[i]) && isfinite (y[i]));
    }
  /* The planted blobs: every point's nearest layout neighbour shares its blob. */
  for (guint i = 0; i < N_ROWS; i++)
    {
      guint best = 0;
      double best_d = INFINITY;

      for (guint j = 0; j < N_ROWS; j++)
        if (j != i && hypot (x[i] - x[j], y[i] - y[j]) < best_d)
          best_d = hypot (x[i] - x[j], y[i] - y[j]), best = j;
      same += blob[best] == blob[i];
    }
  g_assert_cmpuint (same, ==, N_ROWS);

  /* Same seed, same file, byte for byte; --threads does not matter. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "project", data_path, "--method=umap", "--output", tsv2_path,
                            "--seed", "3", "--threads", "1", NULL), ==, 0);
  g_assert_true (g_file_get_contents (tsv2_path, &again, NULL, NULL));
  g_assert_cmpstr (tsv, ==, again);
  g_unlink (tsv_path);
  g_unlink (tsv2_path);
}

static void
test_project_3d_stdout (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_cmpint (run_cli (&out, &err, "project", data_path, "--method", "umap", "--3d",
                            "--neighbors", "8", "--min-dist", "0.3", "--iterations", "50", NULL), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "word\tUMAP1\tUMAP2\tUMAP3");
  g_assert_cmpuint (g_strv_length (lines), ==, N_ROWS + 2);
}

static void
test_bad_values (void)
{
  static const char *usage[][2] = {
    { "--min-dist", "-0.5" },
    { "--min-dist", "abc" },
    { "--neighbors", "x" },
    { "--neighbors", "1" },
    { "--epochs", "0" },
    { "--seed", "-3" },
    { "--metric", "dot" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (usage); i++)
    {
      g_autofree char *out = NULL, *err = NULL;

      g_assert_cmpint (run_cli (&out, &err, "project", data_path, "--method", "umap",
                                usage[i][0], usage[i][1], NULL), ==, 2);
      g_assert_cmpstr (err, !=, "");
    }

  /* Impossible for the data: exit 1, the file and the maximum named. */
  {
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (run_cli (&out, &err, "project", data_path, "--method", "umap",
                              "--neighbors", "300", NULL), ==, 1);
    g_assert_nonnull (strstr (err, data_path));
    g_assert_nonnull (strstr (err, "at most 299"));
  }
  {
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (run_cli (&out, &err, "project", tiny_path, "--method", "umap", NULL), ==, 1);
    g_assert_nonnull (strstr (err, "at most 5"));
  }
}

static void
test_render_png (void)
{
  g_autofree char *out = NULL, *err = NULL, *png = NULL;
  g_autofree char *png_path = g_strdup_printf ("%s/%d-es-umap-cli.png", g_get_tmp_dir (), (int) getpid ());
  gsize len = 0;

  g_assert_cmpint (run_cli (&out, &err, "render", data_path, "--method", "umap", "--epochs", "50",
                            "--output", png_path, "--width", "320", "--height", "200", NULL), ==, 0);
  g_assert_true (g_file_get_contents (png_path, &png, &len, NULL));
  g_assert_cmpuint (len, >, 8);
  g_assert_cmpint (memcmp (png, "\x89PNG\r\n\x1a\n", 8), ==, 0);
  g_unlink (png_path);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "render", data_path, "--method", "umap", "--min-dist", "-1",
                            "--output", png_path, NULL), ==, 2);
}

static void
test_small_and_outputs (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *small_path = write_data ("es-umap-cli-small.txt", 12);
  g_autofree char *dir = g_dir_make_tmp ("es-umap-cli-XXXXXX", NULL);
  g_auto(GStrv) lines = NULL;

  g_test_summary ("12 rows: a map without quality figures (said), not a failure; an output that "
                  "cannot be written (a folder) is an error naming it");

  g_assert_cmpint (run_cli (&out, &err, "project", small_path, "--method", "umap", "--neighbors", "11",
                            "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"quality\": {\"error\": \"the layout quality at 10 neighbours needs"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The TSV on stdout: a header and the 12 rows. */
  g_assert_cmpint (run_cli (&out, &err, "project", small_path, "--method", "umap", "--neighbors", "11",
                            NULL), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 12 + 1);
  g_assert_cmpstr (lines[0], ==, "word\tUMAP1\tUMAP2");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (&out, &err, "project", small_path, "--method", "umap", "--neighbors", "11",
                            "--output", dir, NULL), ==, 1);
  g_assert_nonnull (strstr (err, dir));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "cluster", small_path, "--clusters", "3", "--output", dir, NULL), ==, 1);
  g_assert_nonnull (strstr (err, dir));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "project", small_path, "--method", "tsne", "--perplexity", "3",
                            "--output", dir, NULL), ==, 1);
  g_assert_nonnull (strstr (err, dir));

  g_rmdir (dir);
  g_unlink (small_path);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  data_path = write_data ("es-umap-cli.txt", N_ROWS);
  tiny_path = write_data ("es-umap-cli-tiny.txt", 6);

  g_test_add_func ("/cli/umap/project-json-tsv", test_project_json_and_tsv);
  g_test_add_func ("/cli/umap/project-3d", test_project_3d_stdout);
  g_test_add_func ("/cli/umap/bad-values", test_bad_values);
  g_test_add_func ("/cli/umap/render-png", test_render_png);
  g_test_add_func ("/cli/umap/small-and-outputs", test_small_and_outputs);

  status = g_test_run ();
  g_unlink (data_path);
  g_unlink (tiny_path);
  g_free (data_path);
  g_free (tiny_path);
  return status;
}
