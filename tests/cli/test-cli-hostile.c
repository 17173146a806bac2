/* test-cli-hostile.c: the commands given what a hostile user would give
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Non-finite and out-of-range numbers, misspelt commands, special files
 * as inputs: exit 2 for usage, 1 for input, never a crash, a hang or a
 * file left behind.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

typedef struct
{
  char *out;
  char *err;
  int   status;
} RunResult;

static void
run_result_clear (RunResult *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RunResult, run_result_clear)

static void
run_argv (RunResult   *result,
          const char  *working_dir,
          const char  *stdin_path,
          const char **args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *command = NULL;
  int wait_status;

  if (stdin_path != NULL)
    {
      /* Through the shell for the redirection; every argument quoted. */
      GString *line = g_string_new ("exec ");
      g_autofree char *quoted = g_shell_quote (g_getenv ("ES_CLI"));

      g_string_append (line, quoted);
      for (guint i = 0; args[i] != NULL; i++)
        {
          g_autofree char *q = g_shell_quote (args[i]);

          g_string_append_printf (line, " %s", q);
        }
      g_clear_pointer (&quoted, g_free);
      quoted = g_shell_quote (stdin_path);
      g_string_append_printf (line, " < %s", quoted);
      command = g_string_free (line, FALSE);
      g_ptr_array_add (argv, (char *) "/bin/sh");
      g_ptr_array_add (argv, (char *) "-c");
      g_ptr_array_add (argv, command);
    }
  else
    {
      g_ptr_array_add (argv, (char *) g_getenv ("ES_CLI"));
      for (guint i = 0; args[i] != NULL; i++)
        g_ptr_array_add (argv, (char *) args[i]);
    }
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (working_dir, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &result->out, &result->err, &wait_status, &error);
  g_assert_no_error (error);
  if (!WIFEXITED (wait_status))
    g_error ("the command died of signal %d: %s", WTERMSIG (wait_status), result->err);
  result->status = WEXITSTATUS (wait_status);
}

static char *
sample_path (void)
{
  return g_test_build_filename (G_TEST_DIST, "..", "resources", "kjv-hamlet-5k-50d.w2v.txt", NULL);
}

static char *
good_path (void)
{
  return g_test_build_filename (G_TEST_DIST, "data", "bad", "good.txt", NULL);
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
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

/* ---- class 2: every float option finite and in range ---- */

static void
test_render_angles (void)
{
  g_autofree char *good = good_path ();
  g_autofree char *dir = g_dir_make_tmp ("es-cli-angles-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "plot.png", NULL);
  const char *bad[][2] = {
    { "--azimuth", "nan" }, { "--azimuth", "inf" }, { "--azimuth", "-inf" },
    { "--azimuth", "-nan" }, { "--elevation", "nan" }, { "--elevation", "inf" },
    { "--elevation", "90.5" }, { "--elevation", "-91" }, { "--elevation", "1e308" },
    { "--azimuth", "1e999" },
  };

  g_test_summary ("render --azimuth/--elevation: non-finite or out-of-range angles exit 2 "
                  "naming the option and leave no file behind; a large finite azimuth wraps");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto(RunResult) r = { 0 };
      const char *args[] = { "render", good, "--3d", bad[i][0], bad[i][1], "-o", png,
                             "--width", "64", "--height", "64", NULL };

      run_argv (&r, NULL, NULL, args);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_nonnull (strstr (r.err, bad[i][0]));
      g_assert_cmpuint (count_files (dir), ==, 0);
    }

  {
    g_auto(RunResult) r = { 0 };
    const char *args[] = { "render", good, "--3d", "--azimuth", "-7230", "--elevation", "-90",
                           "-o", png, "--width", "64", "--height", "64", NULL };

    run_argv (&r, NULL, NULL, args);
    /* (Under LeakSanitizer, stderr lists fontconfig's suppressed caches.) */
    g_assert_null (strstr (r.err, "embedscope:"));
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpuint (count_files (dir), ==, 1);
  }
  remove_tree (dir);
}

/* ---- class 8 and 9: small wrong answers ---- */

static void
test_shape_negative (void)
{
  g_autofree char *good = good_path ();
  const char *shapes[] = { "-1x4", "4x-1", "+4x4", " 4x4", "4x 4", "99999999999999999999x4", "4x" };

  g_test_summary ("--shape with a sign, a space or beyond 64 bits is a usage error (exit 2), "
                  "not an input error printing an uninitialised byte count");

  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      g_auto(RunResult) r = { 0 };
      const char *args[] = { "info", good, "--shape", shapes[i], NULL };

      run_argv (&r, NULL, NULL, args);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_nonnull (strstr (r.err, "--shape expects ROWSxDIMS"));
    }
}

static void
test_misspelt_command (void)
{
  g_autofree char *good = good_path ();
  g_autofree char *dir = g_dir_make_tmp ("es-cli-typo-XXXXXX", NULL);
  g_autofree char *infos = g_build_filename (dir, "infos", NULL);
  const char *typos[][2] = {
    { "infos", "info" }, { "neighbours", "neighbors" }, { "analogie", "analogy" },
    { "rendr", "render" }, { "evalute", "evaluate" },
  };

  g_test_summary ("A command within edit distance 2 that is not a path exits 2 with "
                  "'did you mean'; an existing file of that name still opens as a file");

  for (guint i = 0; i < G_N_ELEMENTS (typos); i++)
    {
      g_auto(RunResult) r = { 0 };
      g_autofree char *expected = g_strdup_printf ("unknown command '%s' — did you mean '%s'?",
                                                   typos[i][0], typos[i][1]);
      const char *args[] = { typos[i][0], good, NULL };

      run_argv (&r, dir, NULL, args);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_nonnull (strstr (r.err, expected));
    }

  /* A file called "infos" is a file: the GUI would open it (not started
   * here); the misspelling check must not claim it.
   */
  g_assert_true (g_file_set_contents (infos, "x", 1, NULL));
  {
    g_auto(RunResult) r = { 0 };
    const char *args[] = { "--version", NULL };

    run_argv (&r, dir, NULL, args);
    g_assert_cmpint (r.status, ==, 0);
  }
  remove_tree (dir);
}

static void
test_analogy_restrict (void)
{
  g_autofree char *sample = sample_path ();
  g_auto(RunResult) r = { 0 };
  g_auto(RunResult) ok = { 0 };
  const char *args[] = { "analogy", sample, "the", "and", "of", "--restrict", "4", "-k", "5", NULL };
  const char *ok_args[] = { "analogy", sample, "the", "and", "of", "--restrict", "8", "-k", "5", NULL };

  g_test_summary ("analogy --restrict 4 -k 5: fewer candidates than k is exit 1 (the README's rule), "
                  "not one answer with exit 0");

  run_argv (&r, NULL, NULL, args);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "k = 5"));
  g_assert_cmpstr (r.out, ==, "");

  /* The first 8 words minus the 3 of the question leave exactly 5. */
  run_argv (&ok, NULL, NULL, ok_args);
  g_assert_cmpint (ok.status, ==, 0);
}

/* ---- class 7: special files ---- */

static void
test_stdin_and_pipes (void)
{
  g_autofree char *good = good_path ();
  g_autofree char *good_bin = g_test_build_filename (G_TEST_DIST, "data", "bad", "good.bin", NULL);
  g_autofree char *dir = g_dir_make_tmp ("es-cli-fifo-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);
  g_autofree char *cat_text = g_strdup_printf ("cat %s | \"$ES_CLI\" info - --json", good);
  g_autofree char *cat_bin = g_strdup_printf ("cat %s | \"$ES_CLI\" info -", good_bin);
  g_auto(RunResult) r1 = { 0 };
  g_auto(RunResult) r2 = { 0 };
  g_auto(RunResult) r3 = { 0 };
  g_auto(RunResult) r4 = { 0 };
  const char *sh1[] = { "/bin/sh", "-c", cat_text, NULL };
  const char *sh2[] = { "/bin/sh", "-c", cat_bin, NULL };
  const char *fifo_args[] = { "info", fifo, NULL };
  const char *analogies_args[] = { "evaluate", good, "--analogies", fifo, NULL };
  g_autoptr(GError) error = NULL;
  int status;

  g_test_summary ("The CLI reads text from - or a pipe as a stream; binary formats from a pipe "
                  "are refused by name; a FIFO without a writer returns at once (empty), "
                  "also as an --analogies side file");

  g_assert_true (g_spawn_sync (NULL, (char **) sh1, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &r1.out, &r1.err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  g_assert_nonnull (strstr (r1.out, "\"rows\": 10"));

  g_assert_true (g_spawn_sync (NULL, (char **) sh2, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &r2.out, &r2.err, &status, &error));
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 1);
  g_assert_nonnull (strstr (r2.err, "word2vec binary data from a pipe"));

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  run_argv (&r3, NULL, NULL, fifo_args);
  g_assert_cmpint (r3.status, ==, 1);
  g_assert_nonnull (strstr (r3.err, "empty file"));
  run_argv (&r4, NULL, NULL, analogies_args);
  g_assert_cmpint (r4.status, ==, 1);
  g_assert_nonnull (strstr (r4.err, "not a regular file"));

  remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/hostile/render-angles", test_render_angles);
  g_test_add_func ("/cli/hostile/shape-negative", test_shape_negative);
  g_test_add_func ("/cli/hostile/misspelt-command", test_misspelt_command);
  g_test_add_func ("/cli/hostile/analogy-restrict", test_analogy_restrict);

  g_test_add_func ("/cli/hostile/stdin-and-pipes", test_stdin_and_pipes);

  return g_test_run ();
}
