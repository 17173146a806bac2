/* es-test-utils.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "es-test-utils.h"

#include <stdarg.h>

static char *
build_path_va (const char *first_element,
               va_list     args)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  g_ptr_array_add (parts, (gpointer) g_test_get_dir (G_TEST_DIST));
  for (const char *part = first_element; part != NULL; part = va_arg (args, const char *))
    g_ptr_array_add (parts, (gpointer) part);
  g_ptr_array_add (parts, NULL);

  return g_build_filenamev ((char **) parts->pdata);
}

EsEmbeddingSet *
es_test_load_set (const char *first_element,
                  ...)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  EsLoadOptions options;
  EsEmbeddingSet *set;
  va_list args;

  va_start (args, first_element);
  path = build_path_va (first_element, args);
  va_end (args);

  es_load_options_init (&options);
  set = es_loader_load_path (path, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (set);

  return set;
}

GPtrArray *
es_test_read_tsv (const char *first_element,
                  ...)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  va_list args;

  va_start (args, first_element);
  path = build_path_va (first_element, args);
  va_end (args);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0' && lines[i][0] != '#')
      g_ptr_array_add (rows, g_strsplit (lines[i], "\t", -1));

  return rows;
}
