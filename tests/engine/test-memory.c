/* test-memory.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The memory ceiling every input-sized allocation asks first.
 */

#define G_LOG_DOMAIN "test-memory"

#include "config.h"

#include <string.h>
#include <unistd.h>

#include "es-engine.h"
#include "es-memory.h"

static void
test_default_ceiling (void)
{
  guint64 physical = (guint64) sysconf (_SC_PHYS_PAGES) * (guint64) sysconf (_SC_PAGESIZE);

  g_test_summary ("the default ceiling is 90 % of physical memory");
  es_memory_set_ceiling (0);
  g_assert_cmpfloat_with_epsilon ((double) es_memory_get_ceiling (), physical * 0.9, physical * 0.001);
}

static void
test_overflow (void)
{
  g_autoptr(GError) error = NULL;
  guint64 out = 0;

  g_test_summary ("a product that overflows 64 bits is refused, not wrapped");
  g_assert_false (es_checked_mul (G_MAXUINT64 / 2 + 1, 2, &out));
  g_assert_false (es_checked_add (G_MAXUINT64, 1, &out));
  g_assert_true (es_checked_mul (1u << 31, 1u << 31, &out));
  g_assert_cmpuint (out, ==, G_GUINT64_CONSTANT (1) << 62);
  g_assert_null (es_memory_try_alloc (G_GUINT64_CONSTANT (1) << 40, G_GUINT64_CONSTANT (1) << 40,
                                      "the test table", &error));
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "the test table"));
}

static void
test_over_ceiling (void)
{
  g_autoptr(GError) error = NULL;
  gpointer block;

  g_test_summary ("over the ceiling: an error with the size and the ceiling; under it: zeroed memory");
  es_memory_set_ceiling (1000);
  g_assert_null (es_memory_try_alloc (1001, 1, "metadata cells", &error));
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "metadata cells needs"));
  g_assert_nonnull (strstr (error->message, "over the memory ceiling"));
  g_clear_error (&error);

  block = es_memory_try_alloc0 (250, 4, "just fits", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 1000; i++)
    g_assert_cmpint (((guint8 *) block)[i], ==, 0);
  g_free (block);

  block = es_memory_try_alloc (0, 8, "nothing", &error);
  g_assert_no_error (error);
  g_assert_nonnull (block);
  g_free (block);
  es_memory_set_ceiling (0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/memory/default-ceiling", test_default_ceiling);
  g_test_add_func ("/memory/overflow", test_overflow);
  g_test_add_func ("/memory/over-ceiling", test_over_ceiling);

  return g_test_run ();
}
