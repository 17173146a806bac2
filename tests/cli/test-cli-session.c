/* test-cli-session.c: `render --save-session` then `render --session`, as a
 * user runs them: the same picture, byte for byte
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cli-test-util.h"

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

static char *tmp_dir;

static char *
data_path (void)
{
  return g_test_build_filename (G_TEST_DIST, "data", "gensim", "lee_fasttext.vec", NULL);
}

static char *
tmp (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

static void
assert_same_file (const char *a,
                  const char *b)
{
  g_autoptr(GBytes) x = read_bytes (a);
  g_autoptr(GBytes) y = read_bytes (b);

  g_assert_cmpuint (g_bytes_get_size (x), >, 1000);
  g_assert_true (g_bytes_equal (x, y));
}

/* render FILE ARGS… --save-session S -o a.png (640 × 480), then render
 * --session S: the same bytes.  With @plain, also a render without
 * --save-session, which must not change the picture either.
 */
static void
round_trip (const char         *name,
            const char * const *args,
            gboolean            plain)
{
  g_autofree char *data = data_path ();
  g_autofree char *unsaved = g_strdup_printf ("%s-plain.png", name);
  g_autofree char *saving = g_strdup_printf ("%s-saving.png", name);
  g_autofree char *reopened = g_strdup_printf ("%s-reopened.png", name);
  g_autofree char *session = g_strdup_printf ("%s.embedscope", name);
  g_auto(RunResult) run = { 0 };
  g_autofree char *p_plain = tmp (unsaved);
  g_autofree char *p_saving = tmp (saving);
  g_autofree char *p_reopened = tmp (reopened);

  if (plain)
    {
      cli_test_run_in (&run, tmp_dir, "render", data, args[0], args[1], args[2], args[3], args[4],
                       args[5], args[6], args[7], "--width", "640", "--height", "480", "-o", unsaved, NULL);
      g_assert_cmpint (run.status, ==, 0);
    }
  cli_test_run_in (&run, tmp_dir, "render", data, args[0], args[1], args[2], args[3], args[4],
                   args[5], args[6], args[7], "--width", "640", "--height", "480", "-o", saving,
                   "--save-session", session, NULL);
  g_assert_cmpint (run.status, ==, 0);
  cli_test_run_in (&run, tmp_dir, "render", "--session", session, "--width", "640", "--height", "480",
                   "-o", reopened, NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);

  if (plain)
    assert_same_file (p_plain, p_saving);
  assert_same_file (p_saving, p_reopened);
}

/* The argument lists are padded with "--highlight WORD" pairs (repeated
 * flags: the last wins) so one call shape fits all.
 */
static void
test_pca (void)
{
  const char *args[] = { "--highlight", "the", "--components", "2,3", "--highlight", "the", "--highlight", "the" };

  g_test_summary ("PCA with a highlighted word: render, save, reopen, render: same PNG bytes");
  round_trip ("pca", args, TRUE);
}

static void
test_pca_3d (void)
{
  const char *args[] = { "--3d", "--azimuth", "50", "--elevation", "-10", "--highlight", "of", "--center" };

  g_test_summary ("3D, angles and pre-processing survive the round trip");
  round_trip ("pca3d", args, FALSE);
}

static void
test_axes (void)
{
  const char *args[] = { "--method", "axes", "--axis", "the - of", "--axis", "and", "--highlight", "and" };

  g_test_summary ("Custom axes expressions survive the round trip");
  round_trip ("axes", args, FALSE);
}

static void
test_tsne_stored (void)
{
  const char *args[] = { "--method", "tsne", "--limit", "120", "--iterations", "150", "--highlight", "the" };
  g_autofree char *session = tmp ("tsne.embedscope");
  g_autofree char *json = NULL;
  g_autofree char *edited = NULL;
  g_autofree char *p_plain = tmp ("tsne-saving.png");
  g_autofree char *p_edited = tmp ("tsne-edited.png");
  g_auto(RunResult) run = { 0 };
  const char *seed;

  g_test_summary ("A t-SNE session stores its map: reopening runs no t-SNE (another seed in the "
                  "file changes nothing) and draws the same bytes");

  round_trip ("tsne", args, TRUE);

  /* Were t-SNE run again, seed 99 would give another map. */
  g_assert_true (g_file_get_contents (session, &json, NULL, NULL));
  seed = strstr (json, "\"seed\" : \"");
  g_assert_nonnull (seed);
  edited = g_strdup_printf ("%.*s\"seed\" : \"99\"%s", (int) (seed - json), json,
                            strchr (seed + strlen ("\"seed\" : \""), '"') + 1);
  g_assert_true (g_file_set_contents (session, edited, -1, NULL));
  cli_test_run_in (&run, tmp_dir, "render", "--session", "tsne.embedscope", "--width", "640", "--height", "480",
                   "-o", "tsne-edited.png", NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_same_file (p_plain, p_edited);
}

static void
test_umap_stored (void)
{
  const char *args[] = { "--method", "umap", "--limit", "150", "--epochs", "60", "--highlight", "of" };

  g_test_summary ("A UMAP session stores its map too: the same bytes when reopened");
  round_trip ("umap", args, FALSE);
}

static void
test_malformed (void)
{
  g_autofree char *path = tmp ("bad.embedscope");
  g_autofree char *image = tmp ("x.png");
  g_auto(RunResult) run = { 0 };

  g_test_summary ("A session that does not parse: exit 1 naming file, line and column");

  g_assert_true (g_file_set_contents (path, "{\n  \"format\": \"embedscope-session\",\n  \"version\": 1,,\n}\n",
                                      -1, NULL));
  cli_test_run_in (&run, tmp_dir, "render", "--session", "bad.embedscope", "-o", "x.png", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "bad.embedscope:3:"));
  g_assert_false (g_file_test (image, G_FILE_TEST_EXISTS));
}

static void
test_missing_data (void)
{
  g_autofree char *copy = tmp ("copy.vec");
  g_autofree char *data = data_path ();
  g_autofree char *contents = NULL;
  g_autofree char *moved = tmp ("moved.vec");
  g_autofree char *first = tmp ("m.png");
  g_autofree char *second = tmp ("m2.png");
  g_auto(RunResult) run = { 0 };

  g_test_summary ("A session whose data file is gone: exit 1 naming it; FILE on the command "
                  "line locates it");

  g_assert_true (g_file_get_contents (data, &contents, NULL, NULL));
  g_assert_true (g_file_set_contents (copy, contents, -1, NULL));
  cli_test_run_in (&run, tmp_dir, "render", "copy.vec", "-o", "m.png", "--save-session", "m.embedscope", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpint (g_rename (copy, moved), ==, 0);

  cli_test_run_in (&run, tmp_dir, "render", "--session", "m.embedscope", "-o", "m2.png", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "copy.vec"));

  cli_test_run_in (&run, tmp_dir, "render", "--session", "m.embedscope", "moved.vec", "-o", "m2.png", NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_same_file (first, second);
}

static void
test_density (void)
{
  const char *args[] = { "--density", "--highlight", "police", "--highlight", "police", "--highlight", "police",
                         "--density" };

  g_test_summary ("render --density, saved and reopened: the density map comes back, same PNG bytes");
  round_trip ("density", args, TRUE);
}

/* A copy of @session with "analogy": @expression in its view. */
static char *
with_analogy (const char *session,
              const char *expression,
              const char *name)
{
  g_autofree char *path = tmp (session);
  g_autofree char *text = NULL;
  g_autofree char *member = g_strdup_printf ("\"analogy\" : \"%s\"", expression);
  g_auto(GStrv) parts = NULL;
  g_autofree char *edited = NULL;
  char *out = tmp (name);

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  parts = g_strsplit (text, "\"analogy\" : null", 2);
  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  edited = g_strjoin (member, parts[0], parts[1], NULL);
  g_assert_true (g_file_set_contents (out, edited, -1, NULL));
  return out;
}

static void
test_analogy (void)
{
  const char *args[] = { "--highlight", "police", "--highlight", "police", "--highlight", "police",
                         "--highlight", "police" };
  g_auto(RunResult) run = { 0 };
  g_autofree char *solved = NULL;
  g_autofree char *unknown = NULL;
  g_autofree char *p_plain = tmp ("analogy-saving.png");
  g_autofree char *p_solved = tmp ("analogy-solved.png");
  g_autofree char *p_unknown = tmp ("analogy-unknown.png");
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GBytes) drawn = NULL;

  g_test_summary ("A session's analogy is drawn (arrows); one whose words are gone is left out, not an error");
  round_trip ("analogy", args, FALSE);
  solved = with_analogy ("analogy.embedscope", "police - man + government", "solved.embedscope");
  unknown = with_analogy ("analogy.embedscope", "police - zzzunknown + government", "unknown.embedscope");

  cli_test_run_in (&run, tmp_dir, "render", "--session", solved, "--width", "640", "--height", "480",
                   "-o", p_solved, NULL);
  g_assert_cmpint (run.status, ==, 0);
  plain = read_bytes (p_plain);
  drawn = read_bytes (p_solved);
  g_assert_false (g_bytes_equal (plain, drawn));

  cli_test_run_in (&run, tmp_dir, "render", "--session", unknown, "--width", "640", "--height", "480",
                   "-o", p_unknown, NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_same_file (p_plain, p_unknown);
}

static void
test_usage (void)
{
  g_auto(RunResult) run = { 0 };

  g_test_summary ("--session without --output is a usage error (exit 2)");

  cli_test_run_in (&run, tmp_dir, "render", "--session", "none.embedscope", NULL);
  g_assert_cmpint (run.status, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("es-cli-session-XXXXXX", NULL);

  g_test_add_func ("/cli/session/pca", test_pca);
  g_test_add_func ("/cli/session/pca-3d", test_pca_3d);
  g_test_add_func ("/cli/session/axes", test_axes);
  g_test_add_func ("/cli/session/tsne-stored", test_tsne_stored);
  g_test_add_func ("/cli/session/umap-stored", test_umap_stored);
  g_test_add_func ("/cli/session/malformed", test_malformed);
  g_test_add_func ("/cli/session/missing-data", test_missing_data);
  g_test_add_func ("/cli/session/usage", test_usage);
  g_test_add_func ("/cli/session/density", test_density);
  g_test_add_func ("/cli/session/analogy", test_analogy);

  status = g_test_run ();
  cli_test_remove_dir (tmp_dir);
  g_free (tmp_dir);
  return status;
}
