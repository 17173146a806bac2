/* es-writer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-writer"

#include "config.h"

#include "es-writer.h"

#include <math.h>
#include <string.h>

#include "es-engine-error.h"

char *
es_format_float (float value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    return g_strdup (isnan (value) ? "nan" : value > 0 ? "inf" : "-inf");

  for (int digits = 1; digits <= 9; digits++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", digits);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if ((float) g_ascii_strtod (buf, NULL) == value)
        break;
    }

  return g_strdup (buf);
}

/* TSV has no escape: a TAB or line break inside a field would shift every
 * column after it.
 */
static gboolean
check_field (const char  *text,
             gsize        len,
             const char  *what,
             gsize        row,
             GError     **error)
{
  for (gsize i = 0; i < len; i++)
    if (text[i] == '\t' || text[i] == '\n' || text[i] == '\r')
      {
        g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                     "%s of row %" G_GSIZE_FORMAT " contains a %s, which a TSV file cannot hold",
                     what, row + 1, text[i] == '\t' ? "tab" : "line break");
        return FALSE;
      }
  return TRUE;
}

GString *
es_writer_coordinates_tsv (EsEmbeddingSet      *set,
                           const float         *coords,
                           guint                stride,
                           const guint         *columns,
                           const char * const  *titles,
                           guint                n_columns,
                           const guint8        *row_mask,
                           GError             **error)
{
  gsize rows;
  g_autoptr(GString) tsv = NULL;

  g_return_val_if_fail (set != NULL, NULL);
  g_return_val_if_fail (coords != NULL || es_embedding_set_get_rows (set) == 0, NULL);
  g_return_val_if_fail (columns != NULL && titles != NULL, NULL);

  rows = es_embedding_set_get_rows (set);
  tsv = g_string_sized_new (MIN (rows, 1u << 20) * (8 + 12 * n_columns));

  g_string_append (tsv, "word");
  for (guint c = 0; c < n_columns; c++)
    {
      g_return_val_if_fail (columns[c] < stride, NULL);
      if (strpbrk (titles[c], "\t\n\r") != NULL)
        {
          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                       "column title “%s” contains a tab or line break", titles[c]);
          return NULL;
        }
      g_string_append_c (tsv, '\t');
      g_string_append (tsv, titles[c]);
    }
  g_string_append_c (tsv, '\n');

  for (gsize r = 0; r < rows; r++)
    {
      const char *word;
      gsize len;
      gboolean valid;

      if (row_mask != NULL && !row_mask[r])
        continue;
      word = es_embedding_set_get_word (set, r);
      len = es_embedding_set_get_word_len (set, r);
      if (!check_field (word, len, "the word", r, error))
        return NULL;
      valid = es_embedding_set_is_row_valid (set, r);
      g_string_append_len (tsv, word, len);
      for (guint c = 0; c < n_columns; c++)
        {
          g_autofree char *value = es_format_float (valid ? coords[r * stride + columns[c]] : NAN);

          g_string_append_c (tsv, '\t');
          g_string_append (tsv, value);
        }
      g_string_append_c (tsv, '\n');
    }

  return g_steal_pointer (&tsv);
}

GString *
es_writer_neighbors_tsv (EsEmbeddingSet    *set,
                         const char        *query,
                         EsMetric           metric,
                         const EsNeighbor  *neighbors,
                         guint              n_neighbors,
                         GError           **error)
{
  g_autoptr(GString) tsv = g_string_new (NULL);

  g_return_val_if_fail (set != NULL, NULL);
  g_return_val_if_fail (query != NULL, NULL);

  if (strpbrk (query, "\n\r") != NULL)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "the query contains a line break, which a TSV file cannot hold");
      return NULL;
    }
  g_string_append_printf (tsv, "# neighbours of %s (%s, k = %u)\n",
                          query, es_metric_to_string (metric), n_neighbors);
  g_string_append_printf (tsv, "rank\tword\t%s\n", metric == ES_METRIC_EUCLIDEAN ? "distance" : "score");
  for (guint i = 0; i < n_neighbors; i++)
    {
      g_autofree char *score = es_format_float ((float) neighbors[i].score);
      gsize row = neighbors[i].row;

      if (!check_field (es_embedding_set_get_word (set, row), es_embedding_set_get_word_len (set, row),
                        "the word", row, error))
        return NULL;
      g_string_append_printf (tsv, "%u\t", i + 1);
      g_string_append_len (tsv, es_embedding_set_get_word (set, row), es_embedding_set_get_word_len (set, row));
      g_string_append_printf (tsv, "\t%s\n", score);
    }

  return g_steal_pointer (&tsv);
}
