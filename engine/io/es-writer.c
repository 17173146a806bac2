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

/* Shortest by bisection on the number of significant digits: if d
 * digits read back as @value, so do d + 1 (the d-digit decimal is itself
 * a (d + 1)-digit one, and the nearest (d + 1)-digit decimal is no farther
 * away), so the property is monotone in d and 9 always suffices.
 */
gsize
es_format_float_buf (float  value,
                     char  *buf)
{
  static const char *formats[10] = { NULL, "%.1g", "%.2g", "%.3g", "%.4g",
                                     "%.5g", "%.6g", "%.7g", "%.8g", "%.9g" };
  char trial[ES_FLOAT_BUF_SIZE];
  int lo = 1, hi = 9;

  if (!isfinite (value))
    {
      g_strlcpy (buf, isnan (value) ? "nan" : value > 0 ? "inf" : "-inf", ES_FLOAT_BUF_SIZE);
      return strlen (buf);
    }

  g_ascii_formatd (buf, ES_FLOAT_BUF_SIZE, formats[9], value);
  while (lo < hi)
    {
      int mid = (lo + hi) / 2;

      g_ascii_formatd (trial, sizeof trial, formats[mid], value);
      if ((float) g_ascii_strtod (trial, NULL) == value)
        {
          hi = mid;
          memcpy (buf, trial, sizeof trial);
        }
      else
        lo = mid + 1;
    }

  return strlen (buf);
}

char *
es_format_float (float value)
{
  char buf[ES_FLOAT_BUF_SIZE];

  es_format_float_buf (value, buf);

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
