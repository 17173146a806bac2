/* es-fuzz-replay.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The normal test suite's side of fuzzing: a harness linked with this
 * main() instead of libFuzzer replays every input the fuzzer once crashed
 * on, tests/data/fuzz-regressions/HARNESS-*, one test each.  Passing means
 * the engine returned (a result or an error) without an assertion or, in
 * the sanitizer build, a sanitizer report.
 */

#define G_LOG_DOMAIN "es-fuzz"

#include "config.h"

#include <string.h>

#include "es-fuzz.h"

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
replay (gconstpointer data)
{
  const char *path = data;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  g_test_summary ("An input that once crashed a fuzz harness now loads or fails cleanly");
  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  LLVMFuzzerTestOneInput ((const uint8_t *) contents, len);
}

static void
no_inputs (void)
{
  g_test_skip ("no regression inputs for this harness: the fuzzer found nothing here yet");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  g_autofree char *prefix = NULL;
  g_autoptr(GDir) listing = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, ==, 2);

  /* argv[1] is the harness, e.g. "fuzz-text": its inputs are text-*. */
  prefix = g_strdup_printf ("%s-", argv[1] + strlen ("fuzz-"));
  dir = g_test_build_filename (G_TEST_DIST, "data", "fuzz-regressions", NULL);
  listing = g_dir_open (dir, 0, NULL);
  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_prefix (name, prefix))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      g_autofree char *test = g_strdup_printf ("/engine/%s/%s", argv[1], file);

      g_test_add_data_func_full (test, g_build_filename (dir, file, NULL), replay, g_free);
    }
  if (names->len == 0)
    {
      g_autofree char *test = g_strdup_printf ("/engine/%s/none", argv[1]);

      g_test_add_func (test, no_inputs);
    }

  return g_test_run ();
}
