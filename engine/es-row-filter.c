/* es-row-filter.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-row-filter"

#include "config.h"

#include <string.h>

#include "es-row-filter.h"

struct _EsRowFilter
{
  gsize   top_n;
  int     category_column;
  char   *category;
  GRegex *regex;
  char   *needle;            /* lower case */
  int     layer_column;
  char   *layer;
  int     position_column;
  char   *keep_position;
};

EsRowFilter *
es_row_filter_new (void)
{
  EsRowFilter *self = g_new0 (EsRowFilter, 1);

  self->category_column = -1;
  self->layer_column = -1;
  self->position_column = -1;
  return self;
}

void
es_row_filter_free (EsRowFilter *self)
{
  if (self == NULL)
    return;
  g_free (self->category);
  g_clear_pointer (&self->regex, g_regex_unref);
  g_free (self->needle);
  g_free (self->layer);
  g_free (self->keep_position);
  g_free (self);
}

void
es_row_filter_set_top_n (EsRowFilter *self,
                         gsize        top_n)
{
  self->top_n = top_n;
}

void
es_row_filter_set_category (EsRowFilter *self,
                            int          column,
                            const char  *value)
{
  g_free (self->category);
  self->category = column >= 0 && value != NULL ? g_strdup (value) : NULL;
  self->category_column = self->category != NULL ? column : -1;
}

gboolean
es_row_filter_set_text (EsRowFilter *self,
                        const char  *text,
                        gboolean     regex,
                        GError     **error)
{
  GRegex *compiled = NULL;

  if (text != NULL && text[0] != '\0' && regex &&
      (compiled = g_regex_new (text, G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, error)) == NULL)
    return FALSE;

  g_clear_pointer (&self->regex, g_regex_unref);
  g_clear_pointer (&self->needle, g_free);
  self->regex = compiled;
  if (text != NULL && text[0] != '\0' && !regex)
    self->needle = g_ascii_strdown (text, -1);
  return TRUE;
}

void
es_row_filter_set_layer (EsRowFilter *self,
                         int          layer_column,
                         const char  *layer,
                         int          position_column,
                         const char  *keep_position)
{
  g_clear_pointer (&self->layer, g_free);
  g_clear_pointer (&self->keep_position, g_free);
  self->layer_column = layer_column >= 0 && layer != NULL ? layer_column : -1;
  self->layer = self->layer_column >= 0 ? g_strdup (layer) : NULL;
  self->position_column = position_column;
  self->keep_position = self->layer_column >= 0 && position_column >= 0 ? g_strdup (keep_position) : NULL;
}

gboolean
es_row_filter_is_filtering (const EsRowFilter *self,
                            gsize              rows)
{
  return (self->top_n > 0 && self->top_n < rows) || self->category != NULL ||
         self->regex != NULL || self->needle != NULL;
}

static gboolean
row_passes (const EsRowFilter *self,
            EsEmbeddingSet    *set,
            EsMetadata        *metadata,
            gsize              r)
{
  const char *word;

  if (self->top_n > 0 && r >= self->top_n)
    return FALSE;
  /* A column past the table's (metadata replaced meanwhile): no filter. */
  if (metadata != NULL && self->layer_column >= 0 &&
      (guint) self->layer_column < es_metadata_get_n_columns (metadata) &&
      g_strcmp0 (es_metadata_get_value (metadata, r, (guint) self->layer_column), self->layer) != 0 &&
      (self->keep_position == NULL ||
       (guint) self->position_column >= es_metadata_get_n_columns (metadata) ||
       g_strcmp0 (es_metadata_get_value (metadata, r, (guint) self->position_column),
                  self->keep_position) != 0))
    return FALSE;
  if (metadata != NULL && self->category_column >= 0 &&
      (guint) self->category_column < es_metadata_get_n_columns (metadata) &&
      g_strcmp0 (es_metadata_get_value (metadata, r, (guint) self->category_column), self->category) != 0)
    return FALSE;
  if (self->regex == NULL && self->needle == NULL)
    return TRUE;

  word = es_embedding_set_get_word (set, r);
  if (self->regex != NULL)
    return g_utf8_validate (word, -1, NULL) && g_regex_match (self->regex, word, 0, NULL);
  else
    {
      g_autofree char *lower = g_ascii_strdown (word, -1);

      return strstr (lower, self->needle) != NULL;
    }
}

guint8 *
es_row_filter_run (const EsRowFilter *self,
                   EsEmbeddingSet    *set,
                   gsize              rows)
{
  gsize set_rows = es_embedding_set_get_rows (set);
  EsMetadata *metadata = es_embedding_set_get_metadata (set);
  guint8 *mask = g_new0 (guint8, MAX (rows, 1));

  if (metadata != NULL && es_metadata_get_n_rows (metadata) < set_rows)
    metadata = NULL;
  for (gsize r = 0; r < MIN (rows, set_rows); r++)
    mask[r] = row_passes (self, set, metadata, r);
  return mask;
}
