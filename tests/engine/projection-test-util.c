/* projection-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "projection-test-util.h"

#include <string.h>

EsEmbeddingSet *
projection_test_read_word2vec (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) header = NULL;
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autofree float *data = NULL;
  gsize rows, dims;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  lines = g_strsplit (contents, "\n", -1);
  header = g_strsplit (lines[0], " ", -1);
  g_assert_cmpuint (g_strv_length (header), ==, 2);
  rows = g_ascii_strtoull (header[0], NULL, 10);
  dims = g_ascii_strtoull (header[1], NULL, 10);
  g_assert_cmpuint (g_strv_length (lines), >=, rows + 1);

  data = g_new (float, rows * dims);
  for (gsize i = 0; i < rows; i++)
    {
      g_auto(GStrv) fields = g_strsplit (g_strchomp (lines[i + 1]), " ", -1);

      g_assert_cmpuint (g_strv_length (fields), ==, dims + 1);
      g_ptr_array_add (words, g_strdup (fields[0]));
      for (gsize j = 0; j < dims; j++)
        {
          char *end;

          data[i * dims + j] = (float) g_ascii_strtod (fields[j + 1], &end);
          g_assert_true (*end == '\0');
        }
    }
  g_ptr_array_add (words, NULL);

  return es_embedding_set_new_from_arrays (rows, dims, (const char * const *) words->pdata, data);
}

GPtrArray *
projection_test_read_reference (const char *path,
                                const char *key)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *tab = strchr (lines[i], '\t');

      if (lines[i][0] == '#' || tab == NULL)
        continue;
      if (strlen (key) == (gsize) (tab - lines[i]) && strncmp (lines[i], key, tab - lines[i]) == 0)
        g_ptr_array_add (records, g_strsplit (tab + 1, "\t", -1));
    }

  g_assert_cmpuint (records->len, >, 0);

  return records;
}

guint
projection_test_parse_values (char * const *fields,
                              guint         first,
                              double       *out,
                              guint         max)
{
  guint n = 0;

  for (guint i = first; fields[i] != NULL && n < max; i++)
    {
      char *end;

      out[n++] = g_ascii_strtod (fields[i], &end);
      g_assert_true (*end == '\0');
    }

  return n;
}
