/* test-cli.c: the headless commands, run as a user runs them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cli-test-util.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <sys/wait.h>

static char *
sample_path (void)
{
  return g_test_build_filename (G_TEST_DIST, "..", "resources", "kjv-hamlet-5k-50d.w2v.txt", NULL);
}

/* Reads the number after "key": in a JSON text, independently of our
 * writer (a lenient scanner is enough for these flat shapes).
 */
static double
json_number (const char *json,
             const char *key)
{
  g_autofree char *needle = g_strdup_printf ("\"%s\": ", key);
  const char *p = strstr (json, needle);

  g_assert_nonnull (p);

  return g_ascii_strtod (p + strlen (needle), NULL);
}

static void
test_cli_info_json (void)
{
  g_auto(RunResult) r = { 0 };
  g_autofree char *sample = sample_path ();
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GString *expected = g_string_new ("\"words\": [");

  g_test_summary ("info --json reports the shape and the first words as the file has them");

  cli_test_run (&r, "info", sample, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_nonnull (strstr (r.out, "\"format\": \"word2vec-text\""));
  g_assert_nonnull (strstr (r.out, "\"compression\": \"none\""));
  g_assert_cmpfloat (json_number (r.out, "rows"), ==, 5000);
  g_assert_cmpfloat (json_number (r.out, "dims"), ==, 50);
  g_assert_nonnull (strstr (r.out, "\"warnings\": []"));

  /* The first five words, read from the file's own lines 2-6. */
  g_assert_true (g_file_get_contents (sample, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", 7);
  for (guint i = 1; i <= 5; i++)
    {
      g_autofree char *word = g_strndup (lines[i], strchr (lines[i], ' ') - lines[i]);

      g_string_append_printf (expected, "%s\"%s\"", i > 1 ? ", " : "", word);
    }
  g_string_append (expected, "]");
  g_assert_nonnull (strstr (r.out, expected->str));
  g_string_free (expected, TRUE);
}

static void
test_cli_input_errors (void)
{
  g_autofree char *bad = g_test_build_filename (G_TEST_DIST, "data", "bad", "row_too_few.txt", NULL);
  g_autofree char *sample = sample_path ();
  g_auto(RunResult) r1 = { 0 };
  g_auto(RunResult) r2 = { 0 };
  g_auto(RunResult) r3 = { 0 };
  g_autofree char *prefix = g_strdup_printf ("embedscope: %s:5:", bad);

  g_test_summary ("Input errors exit 1 with the file and line on stderr and nothing on stdout");

  cli_test_run (&r1, "info", bad, "--json", NULL);
  g_assert_cmpint (r1.status, ==, 1);
  g_assert_cmpstr (r1.out, ==, "");
  g_assert_true (g_str_has_prefix (r1.err, prefix));

  cli_test_run (&r2, "neighbors", sample, "nosuchwordanywhere", "--json", NULL);
  g_assert_cmpint (r2.status, ==, 1);
  g_assert_cmpstr (r2.out, ==, "");
  g_assert_nonnull (strstr (r2.err, "nosuchwordanywhere"));

  cli_test_run (&r3, "neighbors", sample, "gold", "-k", "5000", NULL);
  g_assert_cmpint (r3.status, ==, 1);
}

static void
test_cli_usage_errors (void)
{
  g_autofree char *sample = sample_path ();
  const char *cases[][6] = {
    { "info", NULL },
    { "info", sample, "--no-such-option", NULL },
    { "neighbors", sample, "gold", "-k", "many", NULL },
    { "neighbors", sample, "gold", "--metric", "manhattan", NULL },
    { "info", sample, "--shape", "12by4", NULL },
    { "project", sample, "--components", "0,1", NULL },
    { "analogy", sample, "man", "king", NULL },
  };

  g_test_summary ("Usage errors exit 2 and print nothing on stdout");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(RunResult) r = { 0 };

      cli_test_run (&r, cases[i][0], cases[i][1], cases[i][2], cases[i][3], cases[i][4], cases[i][5], NULL);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_cmpstr (r.out, ==, "");
      g_assert_true (g_str_has_prefix (r.err, "embedscope: "));
    }
}

static void
test_cli_neighbors_sample (void)
{
  g_autofree char *sample = sample_path ();
  g_auto(RunResult) r = { 0 };
  const char *first;

  g_test_summary ("The nearest neighbour of 'gold' in the sample is 'silver' (0.86 per the kit's notes)");

  cli_test_run (&r, "neighbors", sample, "gold", "-k", "3", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "\"query\": \"gold\""));
  g_assert_nonnull (strstr (r.out, "\"metric\": \"cosine\""));
  first = strstr (r.out, "\"neighbors\": [{\"word\": \"silver\", \"score\": ");
  g_assert_nonnull (first);
  g_assert_cmpfloat_with_epsilon (json_number (first, "score"), 0.86, 0.006);
}

static void
test_cli_analogy_order (void)
{
  g_autofree char *file = g_test_build_filename (G_TEST_DIST, "data", "cli", "analogy.txt", NULL);
  g_auto(RunResult) r = { 0 };
  g_auto(RunResult) s = { 0 };
  double man[3] = { 1, 0, 0 }, king[3] = { 1, 0, 1 }, woman[3] = { 1, 1, 0 }, queen[3] = { 1, 1, 1 };
  double target[3], dot = 0, nt = 0, nq = 0;

  g_test_summary ("analogy A B C answers B - A + C on unit vectors: man king woman -> queen");

  /* The expected 3CosAdd score, by hand. */
  for (guint i = 0; i < 3; i++)
    target[i] = king[i] / sqrt (2) - man[i] + woman[i] / sqrt (2);
  for (guint i = 0; i < 3; i++)
    {
      dot += target[i] * queen[i];
      nt += target[i] * target[i];
      nq += queen[i] * queen[i];
    }

  cli_test_run (&r, "analogy", file, "man", "king", "woman", "-k", "1", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "{\"word\": \"queen\""));
  g_assert_cmpfloat_with_epsilon (json_number (r.out, "score"), dot / sqrt (nt * nq), 1e-6);

  cli_test_run (&s, "similarity", file, "man", "king", "--json", NULL);
  g_assert_cmpint (s.status, ==, 0);
  g_assert_cmpfloat_with_epsilon (json_number (s.out, "cosine"), 1 / sqrt (2), 1e-6);
}

static void
test_cli_project_identity (void)
{
  g_autofree char *file = g_test_build_filename (G_TEST_DIST, "data", "cli", "analogy.txt", NULL);
  g_autofree char *dir = g_dir_make_tmp ("es-cli-XXXXXX", NULL);
  g_autofree char *output = g_build_filename (dir, "coords.tsv", NULL);
  g_autofree char *contents = NULL;
  g_auto(RunResult) r = { 0 };

  g_test_summary ("project --method identity writes the chosen columns as TSV with a header");

  cli_test_run (&r, "project", file, "--method", "identity", "--components", "3,1", "--output", output, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_get_contents (output, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==,
                   "word\tdim3\tdim1\n"
                   "man\t0\t1\n"
                   "woman\t0\t1\n"
                   "king\t1\t1\n"
                   "queen\t1\t1\n"
                   "apple\t-1\t0\n"
                   "pear\t0\t-1\n");
  g_unlink (output);
  g_rmdir (dir);
}

static void
test_cli_decimal_comma_locale (void)
{
  g_autofree char *file = g_test_build_filename (G_TEST_DIST, "data", "cli", "analogy.txt", NULL);
  g_auto(RunResult) r = { 0 };

  g_test_summary ("Under a decimal-comma locale numbers are still read and written with a point");

  if (setlocale (LC_ALL, "de_DE.UTF-8") == NULL)
    {
      if (g_getenv ("ES_REQUIRE_LOCALE") != NULL)
        g_error ("the de_DE.UTF-8 locale is missing (build-aux/quickstart creates it)");
      g_test_skip ("no de_DE.UTF-8 locale");
      return;
    }
  setlocale (LC_ALL, "C");

  g_setenv ("LC_ALL", "de_DE.UTF-8", TRUE);
  cli_test_run (&r, "similarity", file, "man", "king", NULL);
  g_unsetenv ("LC_ALL");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "0.707107"));
}

static void
test_cli_evaluate_matches_gensim (void)
{
  g_autofree char *sample = sample_path ();
  g_autofree char *questions = g_test_build_filename (G_TEST_DIST, "data", "gensim", "questions-words.txt", NULL);
  g_autofree char *pairs = g_test_build_filename (G_TEST_DIST, "data", "gensim", "wordsim353.tsv", NULL);
  g_auto(RunResult) r = { 0 };

  g_test_summary ("evaluate --json gives gensim 4.2's figures (tests/data/reference/kjv-hamlet-*.tsv)");

  cli_test_run (&r, "evaluate", sample, "--analogies", questions, "--pairs", pairs, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  /* gensim: 60 correct of 1008, 18536 questions out of vocabulary. */
  g_assert_cmpfloat (json_number (r.out, "correct"), ==, 60);
  g_assert_cmpfloat (json_number (r.out, "total"), ==, 1008);
  g_assert_cmpfloat (json_number (r.out, "oov_questions"), ==, 18536);
  g_assert_cmpfloat_with_epsilon (json_number (r.out, "accuracy"), 60.0 / 1008, 1e-12);
  g_assert_nonnull (strstr (r.out, "{\"name\": \"capital-common-countries\", \"correct\": 0, \"total\": 0}"));
  g_assert_null (strstr (r.out, "\"name\": \"total\""));
  /* gensim: pearson 0.28898768, spearman 0.33360547, oov 86.118980 %, 49 pairs. */
  g_assert_cmpfloat_with_epsilon (json_number (r.out, "pearson"), 0.2889876815989702, 1e-4);
  g_assert_cmpfloat_with_epsilon (json_number (r.out, "spearman"), 0.3336054703802026, 1e-4);
  g_assert_cmpfloat_with_epsilon (json_number (r.out, "oov_ratio"), 0.8611898016997166, 1e-9);
  g_assert_cmpfloat (json_number (r.out, "pairs"), ==, 49);
}

static void
test_cli_project_pca_matches_sklearn (void)
{
  g_autofree char *sample = sample_path ();
  g_autofree char *reference = g_test_build_filename (G_TEST_DIST, "data", "reference",
                                                      "kjv-hamlet-5k-50d.projection.tsv", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(RunResult) r = { 0 };
  const char *p;
  guint n = 0;

  g_test_summary ("project --json reports scikit-learn's explained-variance ratios of the first 10 components");

  g_assert_true (g_file_get_contents (reference, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);

  cli_test_run (&r, "project", sample, "--method", "pca", "--components", "2,3", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "{\"method\": \"pca\", \"explained_variance_ratio\": ["));
  g_assert_null (strstr (r.out, "singular_values"));

  p = strchr (r.out, '[') + 1;
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "pca_ratio\t"))
      {
        g_auto(GStrv) fields = g_strsplit (lines[i], "\t", -1);

        for (n = 0; fields[n + 1] != NULL; n++)
          {
            char *end;
            double ours = g_ascii_strtod (p, &end);

            g_assert_true (end != p);
            g_assert_cmpfloat_with_epsilon (ours, g_ascii_strtod (fields[n + 1], NULL), 1e-6);
            p = end + (*end == ',' ? 2 : 0);
          }
      }
  g_assert_cmpuint (n, ==, 10);
  g_assert_cmpint (*p, ==, ']');
}

static void
test_cli_raw_bytes_shape (void)
{
  g_autofree char *source = g_test_build_filename (G_TEST_DIST, "data", "projector", "iris_tensors.bytes", NULL);
  g_autofree char *dir = g_dir_make_tmp ("es-cli-XXXXXX", NULL);
  g_autofree char *copy = g_build_filename (dir, "iris_tensors.bytes", NULL);
  g_autofree char *contents = NULL;
  g_auto(RunResult) r1 = { 0 };
  g_auto(RunResult) r2 = { 0 };
  gsize len;

  g_test_summary ("Raw .bytes without a config asks for --shape, and loads with it");

  g_assert_true (g_file_get_contents (source, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (copy, contents, len, NULL));

  cli_test_run (&r1, "info", copy, "--json", NULL);
  g_assert_cmpint (r1.status, ==, 1);
  g_assert_cmpstr (r1.out, ==, "");
  g_assert_nonnull (strstr (r1.err, "--shape ROWSxDIMS"));

  cli_test_run (&r2, "info", copy, "--shape", "150x4", "--json", NULL);
  g_assert_cmpint (r2.status, ==, 0);
  g_assert_nonnull (strstr (r2.out, "\"format\": \"projector-bytes\""));
  g_assert_cmpfloat (json_number (r2.out, "rows"), ==, 150);
  g_assert_cmpfloat (json_number (r2.out, "dims"), ==, 4);

  g_unlink (copy);
  g_rmdir (dir);
}

static guint32
read_be32 (const guchar *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static void
test_cli_render (void)
{
  g_autofree char *sample = sample_path ();
  g_autofree char *dir = g_dir_make_tmp ("es-cli-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "plot.png", NULL);
  g_autofree char *svg = g_build_filename (dir, "plot.svg", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.png", NULL);
  g_autofree char *txt = g_build_filename (dir, "plot.txt", NULL);
  g_autofree guchar *contents = NULL;
  g_auto(RunResult) r4 = { 0 };
  g_auto(RunResult) r1 = { 0 };
  g_auto(RunResult) r2 = { 0 };
  g_auto(RunResult) r3 = { 0 };
  gsize len;

  g_test_summary ("render writes a PNG of the asked size, an SVG, and no file on error");

  cli_test_run (&r1, "render", sample, "--3d", "--azimuth", "40", "--highlight", "gold",
           "--width", "640", "--height", "400", "--output", png, NULL);
  g_assert_cmpint (r1.status, ==, 0);
  g_assert_true (g_file_get_contents (png, (char **) &contents, &len, NULL));
  g_assert_cmpuint (len, >, 33);
  g_assert_cmpmem (contents, 8, "\x89PNG\r\n\x1a\n", 8);
  g_assert_cmpmem (contents + 12, 4, "IHDR", 4);
  g_assert_cmpuint (read_be32 (contents + 16), ==, 640);
  g_assert_cmpuint (read_be32 (contents + 20), ==, 400);

  cli_test_run (&r2, "render", sample, "--method", "svd", "--components", "2,3", "--output", svg, NULL);
  g_assert_cmpint (r2.status, ==, 0);
  g_assert_true (g_file_test (svg, G_FILE_TEST_IS_REGULAR));

  cli_test_run (&r3, "render", sample, "--highlight", "nosuchwordanywhere", "--output", missing, NULL);
  g_assert_cmpint (r3.status, ==, 1);
  g_assert_nonnull (strstr (r3.err, "nosuchwordanywhere"));
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));

  /* No image format by that name: refused before anything is written. */
  cli_test_run (&r4, "render", sample, "--output", txt, NULL);
  g_assert_cmpint (r4.status, !=, 0);
  g_assert_nonnull (strstr (r4.err, "--output"));
  g_assert_false (g_file_test (txt, G_FILE_TEST_EXISTS));

  g_unlink (png);
  g_unlink (svg);
  g_rmdir (dir);
}

static gsize
count_substrings (const char *text,
                  const char *needle)
{
  gsize n = 0;

  for (const char *p = strstr (text, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static void
test_cli_render_density (void)
{
  g_autofree char *sample = sample_path ();
  g_autofree char *dir = g_dir_make_tmp ("es-cli-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "plain.png", NULL);
  g_autofree char *dpng = g_build_filename (dir, "density.png", NULL);
  g_autofree char *svg = g_build_filename (dir, "plain.svg", NULL);
  g_autofree char *dsvg = g_build_filename (dir, "density.svg", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.png", NULL);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  gsize la, lb;
  const char *malformed[][2] = {
    { "--density-levels", "0.5,abc" },
    { "--density-levels", "1.5" },
    { "--density-levels", "0" },
    { "--density-levels", "" },
    { "--density-levels", "0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9" },
    { "--density-bandwidth", "abc" },
    { "--density-bandwidth", "0" },
    { "--density-bandwidth", "nan" },
  };

  g_test_summary ("render --density changes the PNG, puts vector contours and an image in the "
                  "SVG, and malformed density options exit 2 writing nothing");

  {
    g_auto(RunResult) r1 = { 0 };
    g_auto(RunResult) r2 = { 0 };

    cli_test_run (&r1, "render", sample, "--width", "400", "--height", "300", "--output", png, NULL);
    cli_test_run (&r2, "render", sample, "--width", "400", "--height", "300", "--density",
                  "--output", dpng, NULL);
    g_assert_cmpint (r1.status, ==, 0);
    g_assert_cmpint (r2.status, ==, 0);
    g_assert_true (g_file_get_contents (png, &a, &la, NULL));
    g_assert_true (g_file_get_contents (dpng, &b, &lb, NULL));
    g_assert_false (la == lb && memcmp (a, b, la) == 0);
    g_clear_pointer (&a, g_free);
    g_clear_pointer (&b, g_free);
  }
  {
    g_auto(RunResult) r1 = { 0 };
    g_auto(RunResult) r2 = { 0 };

    cli_test_run (&r1, "render", sample, "--width", "400", "--height", "300", "--output", svg, NULL);
    cli_test_run (&r2, "render", sample, "--width", "400", "--height", "300", "--density-levels",
                  "0.5,0.9", "--output", dsvg, NULL);
    g_assert_cmpint (r1.status, ==, 0);
    g_assert_cmpint (r2.status, ==, 0);
    g_assert_true (g_file_get_contents (svg, &a, NULL, NULL));
    g_assert_true (g_file_get_contents (dsvg, &b, NULL, NULL));
    /* The contours: stroked paths of curves; the shading: an image. */
    g_assert_cmpuint (count_substrings (b, " C "), >, count_substrings (a, " C ") + 20);
    g_assert_nonnull (strstr (b, "<image"));
    g_assert_null (strstr (a, "<image"));
  }

  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_auto(RunResult) r = { 0 };

      cli_test_run (&r, "render", sample, "--density", malformed[i][0], malformed[i][1],
                    "--output", bad, NULL);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_nonnull (strstr (r.err, malformed[i][0]));
      g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
    }
  /* UMAP's render parses its own flags: checked before any work. */
  {
    g_auto(RunResult) r = { 0 };

    cli_test_run (&r, "render", sample, "--method", "umap", "--density-levels", "2",
                  "--output", bad, NULL);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "--density-levels"));
  }

  g_unlink (png);
  g_unlink (dpng);
  g_unlink (svg);
  g_unlink (dsvg);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/info/json", test_cli_info_json);
  g_test_add_func ("/cli/errors/input", test_cli_input_errors);
  g_test_add_func ("/cli/errors/usage", test_cli_usage_errors);
  g_test_add_func ("/cli/neighbors/sample", test_cli_neighbors_sample);
  g_test_add_func ("/cli/analogy/order", test_cli_analogy_order);
  g_test_add_func ("/cli/project/identity", test_cli_project_identity);
  g_test_add_func ("/cli/locale/decimal-comma", test_cli_decimal_comma_locale);
  g_test_add_func ("/cli/info/raw-bytes", test_cli_raw_bytes_shape);
  g_test_add_func ("/cli/render/files", test_cli_render);
  g_test_add_func ("/cli/render/density", test_cli_render_density);
  g_test_add_func ("/cli/evaluate/gensim", test_cli_evaluate_matches_gensim);
  g_test_add_func ("/cli/project/sklearn", test_cli_project_pca_matches_sklearn);

  return g_test_run ();
}
