/* es-test-utils.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "es-test-utils.h"

#include <stdarg.h>
#include <stdio.h>

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
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autofree float *data = NULL;
  guint64 rows, dims;
  va_list args;

  va_start (args, first_element);
  path = build_path_va (first_element, args);
  va_end (args);

  /* A minimal word2vec text reader until the real loader is merged. */
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  g_assert_true (sscanf (lines[0], "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, &rows, &dims) == 2);
  data = g_new (float, rows * dims);

  for (guint64 i = 0; i < rows; i++)
    {
      g_auto(GStrv) fields = g_strsplit (g_strstrip (lines[i + 1]), " ", -1);

      g_assert_cmpuint (g_strv_length (fields), ==, dims + 1);
      g_ptr_array_add (words, g_strdup (fields[0]));
      for (guint64 j = 0; j < dims; j++)
        data[i * dims + j] = (float) g_ascii_strtod (fields[j + 1], NULL);
    }
  g_ptr_array_add (words, NULL);

  return es_embedding_set_new_from_arrays (rows, dims, (const char * const *) words->pdata, data);
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
