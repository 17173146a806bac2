/* test-cli-convert.c: embedscope convert, run as a process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cli-test-util.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

static char *
write_file (const char *dir,
            const char *name,
            const char *text)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static void
test_chain (void)
{
  g_autofree char *dir = g_dir_make_tmp ("es-cli-convert-XXXXXX", NULL);
  g_autofree char *in = write_file (dir, "in.txt", "3 2\nthe 0.1 -2.5\nof 1e-07 3\nand 0 7.25\n");
  g_autofree char *bin = g_build_filename (dir, "v.bin", NULL);
  g_autofree char *npy = g_build_filename (dir, "v.npy", NULL);
  g_autofree char *words = g_build_filename (dir, "v.words.tsv", NULL);
  g_autofree char *glove = g_build_filename (dir, "glove.txt", NULL);
  g_autofree char *out = g_build_filename (dir, "out.vec", NULL);
  g_autofree char *text = NULL;
  g_auto(RunResult) a = { 0 };
  g_auto(RunResult) b = { 0 };
  g_auto(RunResult) c = { 0 };
  g_auto(RunResult) d = { 0 };

  g_test_summary ("convert picks the format from the name; text -> binary -> npy -> GloVe -> text "
                  "gives the input back");
  cli_test_run (&a, "convert", in, bin, NULL);
  g_assert_cmpint (a.status, ==, 0);
  cli_test_run (&b, "convert", bin, npy, "--json", NULL);
  g_assert_cmpint (b.status, ==, 0);
  g_assert_nonnull (strstr (b.out, "\"format\": \"npy\""));
  g_assert_true (g_file_test (words, G_FILE_TEST_IS_REGULAR));
  cli_test_run (&c, "convert", npy, "--metadata", words, glove, NULL);
  g_assert_cmpint (c.status, ==, 0);
  cli_test_run (&d, "convert", glove, out, NULL);
  g_assert_cmpint (d.status, ==, 0);
  g_assert_true (g_file_get_contents (out, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "3 2\nthe 0.1 -2.5\nof 1e-07 3\nand 0 7.25\n");
  cli_test_remove_dir (dir);
}

static void
test_errors (void)
{
  g_autofree char *dir = g_dir_make_tmp ("es-cli-convert-XXXXXX", NULL);
  g_autofree char *in = write_file (dir, "in.tsv", "a\t1\t2\nnew york\t3\t4\n");
  g_autofree char *out = g_build_filename (dir, "out.txt", NULL);
  g_autofree char *bin = g_build_filename (dir, "out.bin", NULL);

  g_test_summary ("bad flags exit 2; a word a text format cannot hold exits 1 naming the row");
  {
    g_auto(RunResult) r = { 0 };

    cli_test_run (&r, "convert", in, out, "--format", "csv", NULL);
    g_assert_cmpint (r.status, ==, 2);
  }
  {
    g_auto(RunResult) r = { 0 };

    cli_test_run (&r, "convert", in, NULL);
    g_assert_cmpint (r.status, ==, 2);
  }
  {
    g_auto(RunResult) r = { 0 };

    cli_test_run (&r, "convert", in, out, "--words", "w.tsv", NULL);
    g_assert_cmpint (r.status, ==, 2);
  }
  {
    g_auto(RunResult) r = { 0 };

    cli_test_run (&r, "convert", in, out, NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "row 2"));
    g_assert_nonnull (strstr (r.err, "new york"));
    g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  }
  {
    g_auto(RunResult) r = { 0 };

    cli_test_run (&r, "convert", in, bin, NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "contains a space"));
  }
  cli_test_remove_dir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/convert/chain", test_chain);
  g_test_add_func ("/cli/convert/errors", test_errors);

  return g_test_run ();
}
