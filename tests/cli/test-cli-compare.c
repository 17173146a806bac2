/* test-cli-compare.c: embedscope compare, run as a process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cli-test-util.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

/* 60 words in 3-D; B is A rotated 90° about z (x, y, z) -> (-y, x, z),
 * with the vectors of w3 and w40 swapped.
 */
static void
write_pair (const char *dir,
            char      **path_a,
            char      **path_b)
{
  g_autoptr(GString) ta = g_string_new ("60 3\n");
  g_autoptr(GString) tb = g_string_new ("60 3\n");
  float v[60][3];

  for (int i = 0; i < 60; i++)
    for (int j = 0; j < 3; j++)
      v[i][j] = (float) ((i * 37 + j * 11) % 97 - 48) / 8.0f;
  for (int i = 0; i < 60; i++)
    {
      int s = i == 3 ? 40 : i == 40 ? 3 : i;

      g_string_append_printf (ta, "w%d %g %g %g\n", i, v[i][0], v[i][1], v[i][2]);
      g_string_append_printf (tb, "w%d %g %g %g\n", i, -v[s][1], v[s][0], v[s][2]);
    }
  *path_a = g_build_filename (dir, "a.txt", NULL);
  *path_b = g_build_filename (dir, "b.txt", NULL);
  g_assert_true (g_file_set_contents (*path_a, ta->str, -1, NULL));
  g_assert_true (g_file_set_contents (*path_b, tb->str, -1, NULL));
}

static void
test_compare (void)
{
  g_autofree char *dir = g_dir_make_tmp ("es-cli-compare-XXXXXX", NULL);
  g_autofree char *a = NULL, *b = NULL;
  g_autofree char *tsv = g_build_filename (dir, "scores.tsv", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(RunResult) r = { 0 };
  g_auto(RunResult) j = { 0 };

  g_test_summary ("compare ranks the two swapped words first, writes every shared word's scores, "
                  "and --json reports counts and the fit");
  write_pair (dir, &a, &b);
  cli_test_run (&r, "compare", a, b, "--top", "3", "-k", "5", "--output", tsv, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "Shared words: 60 (only in A: 0, only in B: 0"));
  g_assert_true (g_file_get_contents (tsv, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "rank\tword\tcosine_distance\tneighbor_overlap");
  g_assert_cmpuint (g_strv_length (lines), ==, 62);
  g_assert_true (g_str_has_prefix (lines[1], "1\tw3\t") || g_str_has_prefix (lines[1], "1\tw40\t"));
  g_assert_true (g_str_has_prefix (lines[2], "2\tw3\t") || g_str_has_prefix (lines[2], "2\tw40\t"));

  cli_test_run (&j, "compare", a, b, "--json", "--center", "--scale", NULL);
  g_assert_cmpint (j.status, ==, 0);
  g_assert_nonnull (strstr (j.out, "\"shared\": 60"));
  g_assert_nonnull (strstr (j.out, "\"method\": \"orthogonal\""));
  g_assert_nonnull (strstr (j.out, "\"most_moved\": [{\"word\": \"w"));
  cli_test_remove_dir (dir);
}

static void
test_errors (void)
{
  g_autofree char *dir = g_dir_make_tmp ("es-cli-compare-XXXXXX", NULL);
  g_autofree char *a = NULL, *b = NULL;
  g_autofree char *anchors = g_build_filename (dir, "anchors.txt", NULL);
  g_autofree char *small = g_build_filename (dir, "small.txt", NULL);
  g_autofree char *wide = g_build_filename (dir, "wide.txt", NULL);
  const char *bad_flags[][2] = {
    { "--method", "cubic" }, { "-k", "0" }, { "--top", "-1" }, { "--holdout", "1.5" },
    { "--overlap-words", "x" },
  };

  g_test_summary ("bad flags exit 2; missing anchors, too few shared words and orthogonal across "
                  "dimensions exit 1 naming the problem");
  write_pair (dir, &a, &b);
  for (guint i = 0; i < G_N_ELEMENTS (bad_flags); i++)
    {
      g_auto(RunResult) r = { 0 };

      cli_test_run (&r, "compare", a, b, bad_flags[i][0], bad_flags[i][1], NULL);
      g_assert_cmpint (r.status, ==, 2);
    }
  {
    g_auto(RunResult) r = { 0 };

    cli_test_run (&r, "compare", a, b, "--method", "linear", "--scale", NULL);
    g_assert_cmpint (r.status, ==, 2);
  }
  {
    g_auto(RunResult) r = { 0 };

    g_assert_true (g_file_set_contents (anchors, "w1\nw2\nnowhere\n", -1, NULL));
    cli_test_run (&r, "compare", a, b, "--anchors", anchors, NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "“nowhere” (line 3, in neither)"));
  }
  {
    g_auto(RunResult) r = { 0 };

    g_assert_true (g_file_set_contents (small, "2 3\nw1 1 0 0\nw2 0 1 0\n", -1, NULL));
    cli_test_run (&r, "compare", a, small, NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "2 word pairs to fit, fewer than the 3 dimensions"));
  }
  {
    g_auto(RunResult) r = { 0 };
    g_auto(RunResult) l = { 0 };
    g_autoptr(GString) text = g_string_new ("10 4\n");

    for (int i = 0; i < 10; i++)
      g_string_append_printf (text, "w%d %d %d %d %d\n", i, i, i * i % 7, (i * 3) % 5, 1 - i);
    g_assert_true (g_file_set_contents (wide, text->str, -1, NULL));
    cli_test_run (&r, "compare", a, wide, "--overlap-words", "0", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "3 and 4"));
    /* The linear map crosses dimensions. */
    cli_test_run (&l, "compare", a, wide, "--method", "linear", "--overlap-words", "0", NULL);
    g_assert_cmpint (l.status, ==, 0);
    g_assert_nonnull (strstr (l.out, "Linear map on 10 pairs"));
  }
  cli_test_remove_dir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/compare/scores", test_compare);
  g_test_add_func ("/cli/compare/errors", test_errors);

  return g_test_run ();
}
