/* test-cli-transform.c: embedscope transform, run as a process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cli-test-util.h"

#include <glib.h>
#include <string.h>

/* Values with few mantissa bits: every product and sum below is exact in
 * float32, so W then W⁻¹ and the removal of an axis give the same text.
 */
static const char input[] =
  "4 3\naxis 1 0 0\nthe 0.5 -1.25 2\nof 1.5 0.25 -0.5\nand -0.75 2 1\n";

static char *
write_file (const char *dir,
            const char *name,
            const char *text)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

/* A little-endian float64 .npy written by hand (format 1.0). */
static char *
write_npy (const char   *dir,
           const char   *name,
           guint         rows,
           guint         cols,
           const double *values)
{
  g_autoptr(GString) file = g_string_new ("\x93NUMPY\x01");
  g_autofree char *header = g_strdup_printf ("{'descr': '<f8', 'fortran_order': False, 'shape': (%u, %u), }",
                                             rows, cols);
  gsize padded = 64;
  char *path = g_build_filename (dir, name, NULL);
  guint16 len;

  g_string_append_c (file, 0);
  while (10 + strlen (header) + 1 > padded)
    padded += 64;
  len = GUINT16_TO_LE (padded - 10);
  g_string_append_len (file, (const char *) &len, 2);
  g_string_append (file, header);
  while (file->len < padded - 1)
    g_string_append_c (file, ' ');
  g_string_append_c (file, '\n');
  for (guint i = 0; i < rows * cols; i++)
    {
      guint64 bits;

      memcpy (&bits, &values[i], 8);
      bits = GUINT64_TO_LE (bits);
      g_string_append_len (file, (const char *) &bits, 8);
    }
  g_assert_true (g_file_set_contents (path, file->str, file->len, NULL));

  return path;
}

static void
test_identity_and_inverse (void)
{
  static const double identity[9] = { 1, 0, 0, 0, 1, 0, 0, 0, 1 };
  static const double w[9] = { 2, 1, 0, 0, 0.5, 4, 0, 0, 1 };
  static const double w_inverse[9] = { 0.5, -1, 4, 0, 2, -8, 0, 0, 1 };
  g_autofree char *dir = g_dir_make_tmp ("es-cli-transform-XXXXXX", NULL);
  g_autofree char *in = write_file (dir, "in.txt", input);
  g_autofree char *i_npy = write_npy (dir, "i.npy", 3, 3, identity);
  g_autofree char *w_npy = write_npy (dir, "w.npy", 3, 3, w);
  g_autofree char *wi_npy = write_npy (dir, "wi.npy", 3, 3, w_inverse);
  g_autofree char *same = g_build_filename (dir, "same.txt", NULL);
  g_autofree char *mapped = g_build_filename (dir, "mapped.bin", NULL);
  g_autofree char *back = g_build_filename (dir, "back.txt", NULL);
  g_autofree char *text = NULL;
  g_auto(RunResult) a = { 0 };
  g_auto(RunResult) b = { 0 };
  g_auto(RunResult) c = { 0 };

  g_test_summary ("W = I writes the input's bytes again; W then W⁻¹ (exact in binary) too");
  cli_test_run (&a, "transform", in, "--matrix", i_npy, "--output", same, NULL);
  g_assert_cmpint (a.status, ==, 0);
  g_assert_true (g_file_get_contents (same, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, input);
  g_clear_pointer (&text, g_free);

  cli_test_run (&b, "transform", in, "--matrix", w_npy, "-o", mapped, "--json", NULL);
  g_assert_cmpint (b.status, ==, 0);
  g_assert_nonnull (strstr (b.out, "\"format\": \"w2v-binary\""));
  cli_test_run (&c, "transform", mapped, "--matrix", wi_npy, "-o", back, NULL);
  g_assert_cmpint (c.status, ==, 0);
  g_assert_true (g_file_get_contents (back, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, input);
  cli_test_remove_dir (dir);
}

static void
test_remove_axis (void)
{
  g_autofree char *dir = g_dir_make_tmp ("es-cli-transform-XXXXXX", NULL);
  g_autofree char *in = write_file (dir, "in.txt", input);
  g_autofree char *out = g_build_filename (dir, "out.txt", NULL);
  g_autofree char *text = NULL;
  g_auto(RunResult) r = { 0 };

  g_test_summary ("removing the direction of a unit axis zeroes that column and keeps the others");
  cli_test_run (&r, "transform", in, "--remove-direction", "axis", "--output", out, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_get_contents (out, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "4 3\naxis 0 0 0\nthe 0 -1.25 2\nof 0 0.25 -0.5\nand 0 2 1\n");
  cli_test_remove_dir (dir);
}

static void
test_errors (void)
{
  static const double w23[6] = { 1, 0, 0, 0, 1, 0 };
  g_autofree char *dir = g_dir_make_tmp ("es-cli-transform-XXXXXX", NULL);
  g_autofree char *in = write_file (dir, "in.txt", input);
  g_autofree char *w_npy = write_npy (dir, "w23.npy", 2, 3, w23);
  g_autofree char *out = g_build_filename (dir, "out.txt", NULL);
  struct
  {
    const char *args[6];
    int         status;
    const char *message;
  } cases[] = {
    { { "--matrix", NULL }, 1, "is 2 × 3 but the embedding is 4 × 3" },
    { { "--remove-direction", "queen", NULL }, 1, "unknown word 'queen'" },
    { { "--remove-direction", "the - the", NULL }, 1, "zero vector" },
    { { "--remove-direction", "the", "--remove-direction", "0.5*the", NULL }, 1, "span" },
    { { "--matrix", in, NULL }, 1, "must be a 2-D .npy" },
    { { NULL }, 2, "either --matrix or --remove-direction" },
    { { "--matrix", NULL, "--remove-direction", "the", NULL }, 2, "either" },
    { { "--remove-direction", "the", "--format", "csv", NULL }, 2, "unknown format" },
  };

  g_test_summary ("a wrong shape, unknown word or singular direction exits 1 naming it; "
                  "bad flags exit 2; nothing is written");
  cases[0].args[1] = w_npy;
  cases[6].args[1] = w_npy;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(RunResult) r = { 0 };
      const char *a[6] = { 0 };

      for (guint j = 0; j < 6; j++)
        a[j] = cases[i].args[j];
      cli_test_run (&r, "transform", in, "--output", out, a[0], a[1], a[2], a[3], a[4], a[5], NULL);
      g_assert_cmpint (r.status, ==, cases[i].status);
      if (strstr (r.err, cases[i].message) == NULL)
        g_error ("case %u: '%s' not in: %s", i, cases[i].message, r.err);
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    }
  {
    g_auto(RunResult) r = { 0 };

    cli_test_run (&r, "transform", in, "--remove-direction", "the", NULL);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "--output is required"));
  }
  cli_test_remove_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/transform/identity-and-inverse", test_identity_and_inverse);
  g_test_add_func ("/cli/transform/remove-axis", test_remove_axis);
  g_test_add_func ("/cli/transform/errors", test_errors);

  return g_test_run ();
}
