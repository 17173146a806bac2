/* test-cli-tsne.c: `project` and `render` with --method tsne, run as a user runs them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cli-test-util.h"

#include <math.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <sys/wait.h>

/* The test's files (a directory of its own, removed at the end). */
static char *tmp_dir;

/* The number after "key": (a lenient scanner, independent of our writer). */
static double
json_number (const char *json,
             const char *key)
{
  g_autofree char *needle = g_strdup_printf ("\"%s\": ", key);
  const char *p = strstr (json, needle);

  g_assert_nonnull (p);
  return g_ascii_strtod (p + strlen (needle), NULL);
}

/* A word2vec text file of @rows rows: three blobs in 6 dimensions; row 7
 * is NaN when @with_nan.  Returns its path in the test's own directory.
 */
static char *
write_blobs (const char *name,
             guint       rows,
             gboolean    with_nan)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (17);
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (tmp_dir, name, NULL);

  g_string_append_printf (text, "%u 6\n", rows);
  for (guint i = 0; i < rows; i++)
    {
      g_string_append_printf (text, "word%u", i);
      for (guint d = 0; d < 6; d++)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          if (with_nan && i == 7)
            g_string_append (text, " nan");
          else
            g_string_append_printf (text, " %s",
                                    g_ascii_dtostr (buf, sizeof buf,
                                                    (d == i % 3 ? 10 : 0) + g_rand_double_range (rand, -1, 1)));
        }
      g_string_append_c (text, '\n');
    }
  g_file_set_contents (path, text->str, text->len, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_project_tsv (void)
{
  g_autofree char *input = write_blobs ("blobs.txt", 60, TRUE);
  g_autofree char *output = g_build_filename (tmp_dir, "coords.tsv", NULL);
  g_autofree char *output2 = g_build_filename (tmp_dir, "coords2.tsv", NULL);
  g_autofree char *a = NULL, *b = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(RunResult) r = { 0 };

  g_test_summary ("project --method tsne writes word, tsne1, tsne2 for every row, nan for the "
                  "NaN row, finite elsewhere; the same seed twice gives the same file");

  cli_test_run (&r, "project", input, "--method", "tsne", "--perplexity", "5", "--iterations", "150",
           "--seed", "3", "--output", output, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_get_contents (output, &a, NULL, NULL));
  lines = g_strsplit (a, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 62);  /* header, 60 rows, "" after the last \n */
  g_assert_cmpstr (lines[0], ==, "word\ttsne1\ttsne2");
  for (guint i = 1; i <= 60; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", -1);
      g_autofree char *word = g_strdup_printf ("word%u", i - 1);

      g_assert_cmpuint (g_strv_length (fields), ==, 3);
      g_assert_cmpstr (fields[0], ==, word);
      for (guint c = 1; c <= 2; c++)
        {
          double v = g_ascii_strtod (fields[c], NULL);

          if (i - 1 == 7)
            g_assert_cmpstr (fields[c], ==, "nan");
          else
            g_assert_true (isfinite (v));
        }
    }

  cli_test_run (&r, "project", input, "--method", "tsne", "--perplexity", "5", "--iterations", "150",
           "--seed", "3", "--output", output2, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_get_contents (output2, &b, NULL, NULL));
  g_assert_cmpstr (a, ==, b);
}

static void
test_project_json_3d (void)
{
  g_autofree char *input = write_blobs ("blobs3.txt", 45, FALSE);
  g_auto(RunResult) r = { 0 };
  g_auto(GStrv) lines = NULL;

  g_test_summary ("--json names the method, its parameters, the quality figures (above "
                  "chance on blobs) and the phase timings; --3d writes three columns");

  cli_test_run (&r, "project", input, "--method", "tsne", "--perplexity", "4", "--iterations", "100", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "\"method\": \"tsne\""));
  g_assert_nonnull (strstr (r.out, "\"neighbors\": 12"));
  g_assert_nonnull (strstr (r.out, "\"iterations\": 100"));
  /* Three blobs of 15 rows: most of a row's 10 nearest are in its blob,
   * in the map as in the original space; chance is 10 / 44.
   */
  g_assert_cmpfloat (json_number (r.out, "knn_preservation"), >, 2 * json_number (r.out, "chance_knn_preservation"));
  g_assert_cmpfloat (json_number (r.out, "trustworthiness"), >, json_number (r.out, "chance_trustworthiness"));
  g_assert_cmpfloat (json_number (r.out, "trustworthiness"), <=, 1);
  for (guint i = 0; i < 4; i++)
    {
      static const char *keys[] = { "\"knn\": ", "\"affinities\": ", "\"init\": ", "\"optimize\": " };

      g_assert_nonnull (strstr (r.out, keys[i]));
    }
  /* 45 rows: the neighbours were searched exactly, and the JSON says so. */
  g_assert_nonnull (strstr (r.out, "\"knn_exact\": true"));

  cli_test_run (&r, "project", input, "--method", "tsne", "--perplexity", "4", "--iterations", "100", "--3d", NULL);
  g_assert_cmpint (r.status, ==, 0);
  lines = g_strsplit (r.out, "\n", 2);
  g_assert_cmpstr (lines[0], ==, "word\ttsne1\ttsne2\ttsne3");
}

typedef struct
{
  const char *args[4];
  int         status;
  const char *message;
} BadCase;

static void
test_bad_values (void)
{
  static const BadCase cases[] = {
    { { "--perplexity", "-1" }, 2, "--perplexity" },
    { { "--perplexity", "0" }, 2, "--perplexity" },
    { { "--perplexity", "nan" }, 2, "--perplexity" },
    { { "--perplexity", "inf" }, 2, "--perplexity" },
    { { "--perplexity", "abc" }, 2, "--perplexity" },
    { { "--iterations", "-5" }, 2, "--iterations" },
    { { "--iterations", "1.5" }, 2, "--iterations" },
    { { "--seed", "-1" }, 2, "--seed" },
    { { "--seed", "x" }, 2, "--seed" },
    { { "--components", "1,2" }, 2, "do not apply" },
    /* 20 valid rows: the largest perplexity is 19 / 3. */
    { { "--perplexity", "6.4" }, 1, "at most 6.33" },
  };
  g_autofree char *input = write_blobs ("blobs20.txt", 20, FALSE);

  g_test_summary ("Malformed --perplexity, --iterations, --seed and linear-only flags exit 2 "
                  "naming the flag; a perplexity the rows cannot support exits 1 with the maximum");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(RunResult) r = { 0 };

      cli_test_run (&r, "project", input, "--method", "tsne", cases[i].args[0], cases[i].args[1], NULL);
      g_test_message ("%s %s: %d %s", cases[i].args[0], cases[i].args[1], r.status, r.err);
      g_assert_cmpint (r.status, ==, cases[i].status);
      g_assert_nonnull (strstr (r.err, cases[i].message));
    }
}

static void
test_other_methods_refuse_tsne_flags (void)
{
  g_autofree char *input = write_blobs ("blobs-pca.txt", 20, FALSE);
  g_auto(RunResult) r = { 0 };

  g_test_summary ("--perplexity without --method tsne is a usage error; PCA stays the default");

  cli_test_run (&r, "project", input, "--perplexity", "5", NULL);
  g_assert_cmpint (r.status, ==, 2);
  cli_test_run (&r, "project", input, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "word\tPC1\tPC2\n"));
}

static void
test_too_few_rows (void)
{
  g_autofree char *one = write_blobs ("one.txt", 1, FALSE);
  g_auto(RunResult) r = { 0 };

  g_test_summary ("One valid row: exit 1 saying t-SNE needs at least 2");

  cli_test_run (&r, "project", one, "--method", "tsne", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "at least 2 valid rows"));
}

static void
test_render (void)
{
  g_autofree char *input = write_blobs ("blobs-render.txt", 40, TRUE);
  g_autofree char *png = g_build_filename (tmp_dir, "map.png", NULL);
  g_autofree char *head = NULL;
  gsize len = 0;
  g_auto(RunResult) r = { 0 };

  g_test_summary ("render --method tsne writes a PNG (its signature checked); a malformed "
                  "--perplexity exits 2 before any work");

  cli_test_run (&r, "render", input, "--method", "tsne", "--perplexity", "5", "--iterations", "100",
           "--width", "200", "--height", "150", "--output", png, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_get_contents (png, &head, &len, NULL));
  g_assert_cmpuint (len, >, 8);
  g_assert_cmpmem (head, 8, "\x89PNG\r\n\x1a\n", 8);

  cli_test_run (&r, "render", input, "--method", "tsne", "--perplexity", "x", "--output", png, NULL);
  g_assert_cmpint (r.status, ==, 2);
  cli_test_run (&r, "render", input, "--method", "tsne", "--3d", "--perplexity", "5", "--iterations", "50",
           "--width", "200", "--height", "150", "--output", png, NULL);
  g_assert_cmpint (r.status, ==, 0);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  GDir *dir;
  const char *name;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("es-test-cli-tsne-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/cli/tsne/project-tsv", test_project_tsv);
  g_test_add_func ("/cli/tsne/project-json-3d", test_project_json_3d);
  g_test_add_func ("/cli/tsne/bad-values", test_bad_values);
  g_test_add_func ("/cli/tsne/other-methods", test_other_methods_refuse_tsne_flags);
  g_test_add_func ("/cli/tsne/too-few-rows", test_too_few_rows);
  g_test_add_func ("/cli/tsne/render", test_render);
  status = g_test_run ();

  dir = g_dir_open (tmp_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

      g_remove (path);
    }
  g_clear_pointer (&dir, g_dir_close);
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  return status;
}
