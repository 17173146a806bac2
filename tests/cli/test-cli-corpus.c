/* test-cli-corpus.c: embedscope cooccur, lsa and nmf, run as processes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cli-test-util.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

/* The test's temporary folder: commands run in it. */
static char *dir;

/* Two topics that never share a line: pets and traffic. */
static void
write_corpus (void)
{
  static const char *topics[2][6] = { { "cat", "dog", "pet", "fur", "purr", "bark" },
                                      { "car", "road", "wheel", "engine", "drive", "traffic" } };
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *path = g_build_filename (dir, "corpus.txt", NULL);
  GRand *rand = g_rand_new_with_seed (11);

  for (guint l = 0; l < 600; l++)
    {
      guint t = l % 2;

      for (guint w = 0; w < 8; w++)
        g_string_append_printf (text, "%s%s", w ? " " : "", topics[t][g_rand_int_range (rand, 0, 6)]);
      g_string_append (text, ".\n");
    }
  g_rand_free (rand);
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
}

static void
test_pipeline (void)
{
  g_auto(RunResult) count = { 0 };
  g_auto(RunResult) lsa = { 0 };
  g_auto(RunResult) direct = { 0 };
  g_auto(RunResult) neighbors = { 0 };
  g_auto(RunResult) nmf = { 0 };
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *rows_path = g_build_filename (dir, "counts.rows.tsv", NULL);
  g_autofree char *a_path = g_build_filename (dir, "a.txt", NULL);
  g_autofree char *b_path = g_build_filename (dir, "b.txt", NULL);

  g_test_summary ("cooccur writes counts and words; lsa on them equals lsa --corpus byte for byte; the "
                  "vectors open as an embedding whose neighbours stay in their topic; nmf separates topics");
  write_corpus ();
  cli_test_run_in (&count, dir, "cooccur", "corpus.txt", "--window", "3", "--min-count", "2", "--output", "counts.mtx", NULL);
  g_assert_cmpint (count.status, ==, 0);
  g_assert_true (g_file_get_contents (rows_path, &rows, NULL, NULL));
  g_assert_cmpuint (strlen (rows), ==, strlen ("cat\ndog\npet\nfur\npurr\nbark\ncar\nroad\nwheel\nengine\ndrive\ntraffic\n"));

  cli_test_run_in (&lsa, dir, "lsa", "counts.mtx", "--weight", "ppmi", "--dims", "2", "--output", "a.txt", NULL);
  g_assert_cmpint (lsa.status, ==, 0);
  cli_test_run_in (&direct, dir, "lsa", "--corpus", "corpus.txt", "--window", "3", "--min-count", "2", "--dims", "2",
           "--output", "b.txt", NULL);
  g_assert_cmpint (direct.status, ==, 0);
  g_assert_true (g_file_get_contents (a_path, &a, NULL, NULL));
  g_assert_true (g_file_get_contents (b_path, &b, NULL, NULL));
  g_assert_cmpstr (a, ==, b);
  g_assert_true (g_str_has_prefix (a, "12 2\n"));

  cli_test_run_in (&neighbors, dir, "neighbors", "a.txt", "cat", "--json", NULL);
  g_assert_cmpint (neighbors.status, ==, 0);
  {
    const char *first = strstr (neighbors.out, "\"word\"");
    g_assert_nonnull (first);
    g_assert_true (strstr (first, "\"dog\"") != NULL || strstr (first, "\"pet\"") != NULL);
    /* the first neighbour is a pet word */
    g_assert_true (g_str_has_prefix (first + strlen ("\"word\": "), "\"dog\"") ||
                   g_str_has_prefix (first + strlen ("\"word\": "), "\"pet\"") ||
                   g_str_has_prefix (first + strlen ("\"word\": "), "\"fur\"") ||
                   g_str_has_prefix (first + strlen ("\"word\": "), "\"purr\"") ||
                   g_str_has_prefix (first + strlen ("\"word\": "), "\"bark\""));
  }

  cli_test_run_in (&nmf, dir, "nmf", "counts.mtx", "--components", "2", "--top", "6", "--json", NULL);
  g_assert_cmpint (nmf.status, ==, 0);
  {
    const char *topics = strstr (nmf.out, "\"topics\"");
    const char *second;
    g_assert_nonnull (topics);
    second = strstr (topics, "], [");
    g_assert_nonnull (second);
    /* each topic holds "cat" or "car", never both */
    g_assert_true ((g_strstr_len (topics, second - topics, "\"cat\"") != NULL) !=
                   (g_strstr_len (topics, second - topics, "\"car\"") != NULL));
  }
  /* "errors": the start and each iteration, never increasing, ending at "error". */
  {
    const char *p = strstr (nmf.out, "\"errors\": [");
    const char *it = strstr (nmf.out, "\"iterations\": ");
    const char *err = strstr (nmf.out, "\"error\": ");
    double last = G_MAXDOUBLE;
    guint n = 0;

    g_assert_nonnull (p);
    g_assert_nonnull (it);
    g_assert_nonnull (err);
    p += strlen ("\"errors\": [");
    while (*p != ']')
      {
        char *end;
        double e = g_ascii_strtod (p, &end);

        g_assert_true (end != p);
        g_assert_cmpfloat (e, <=, last * (1 + 1e-12));
        last = e;
        n++;
        p = end;
        while (*p == ',' || *p == ' ')
          p++;
      }
    g_assert_cmpuint (n, ==, g_ascii_strtoull (it + strlen ("\"iterations\": "), NULL, 10) + 1);
    g_assert_cmpfloat (last, ==, g_ascii_strtod (err + strlen ("\"error\": "), NULL));
  }
}

typedef struct
{
  const char *name;
  int         status;
  const char *args[8];
} ExitCase;

static const ExitCase exit_cases[] = {
  { "window-zero", 2, { "cooccur", "corpus.txt", "--window", "0" } },
  { "window-text", 2, { "cooccur", "corpus.txt", "--window", "five" } },
  { "weight", 2, { "lsa", "counts.mtx", "--weight", "bm25" } },
  { "dims-text", 2, { "lsa", "counts.mtx", "--dims", "x" } },
  { "both-inputs", 2, { "lsa", "counts.mtx", "--corpus", "corpus.txt" } },
  { "no-input", 2, { "lsa" } },
  { "nmf-no-k", 2, { "nmf", "counts.mtx" } },
  { "missing", 1, { "cooccur", "no-such-file.txt" } },
  { "text-as-matrix", 1, { "lsa", "corpus.txt" } },
  { "dims-too-many", 1, { "lsa", "counts.mtx", "--dims", "12" } },
  { "empty-vocabulary", 1, { "cooccur", "corpus.txt", "--min-count", "100000" } },
  { "nmf-negative", 1, { "nmf", "negative.mtx", "--components", "1" } },
};

static void
test_exit (gconstpointer data)
{
  const ExitCase *c = data;
  g_auto(RunResult) result = { 0 };
  g_autofree char *negative = g_build_filename (dir, "negative.mtx", NULL);

  g_assert_true (g_file_set_contents (negative, "%%MatrixMarket matrix coordinate real general\n3 3 2\n1 1 -1\n2 2 1\n",
                                      -1, NULL));
  write_corpus ();
  {
    g_auto(RunResult) count = { 0 };
    cli_test_run_in (&count, dir, "cooccur", "corpus.txt", "--min-count", "2", "--output", "counts.mtx", NULL);
    g_assert_cmpint (count.status, ==, 0);
  }
  cli_test_run_in (&result, dir, c->args[0], c->args[1], c->args[2], c->args[3], c->args[4], c->args[5], NULL);
  if (result.status != c->status)
    g_error ("%s: exit %d (expected %d): %s", c->name, result.status, c->status, result.err);
  g_assert_true (g_str_has_prefix (result.err, "embedscope: "));
}

static void
remove_dir (void)
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
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("es-cli-corpus-XXXXXX", NULL);
  g_test_add_func ("/cli/corpus/pipeline", test_pipeline);
  for (guint i = 0; i < G_N_ELEMENTS (exit_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cli/corpus/exit/%s", exit_cases[i].name);
      g_test_add_data_func (path, &exit_cases[i], test_exit);
    }
  status = g_test_run ();
  remove_dir ();
  g_free (dir);
  return status;
}
