/* es-session-restore.c: a session against the file it names, by word
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-session"

#include "config.h"

#include "es-session.h"

#include "es-metadata.h"
#include "es-row-filter.h"

#include <string.h>

/* Words named in a warning before "…". */
#define WARN_WORDS 5

gsize *
es_session_lookup_words (EsSession          *self,
                         EsEmbeddingSet     *set,
                         const char * const *words,
                         const char         *what,
                         gsize              *n_rows)
{
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  gsize n_words = words != NULL ? g_strv_length ((char **) words) : 0;
  gsize *rows = g_new (gsize, MAX (n_words, 1));
  gsize n = 0, n_missing = 0;

  g_return_val_if_fail (self != NULL && set != NULL && n_rows != NULL, NULL);

  for (gsize i = 0; i < n_words; i++)
    {
      gsize row;

      if (es_embedding_set_lookup (set, words[i], &row))
        {
          /* A word listed twice is one row. */
          if (g_hash_table_add (seen, GSIZE_TO_POINTER (row + 1)))
            rows[n++] = row;
          continue;
        }
      if (n_missing++ < WARN_WORDS)
        g_string_append_printf (missing, "%s“%s”", missing->len > 0 ? ", " : "", words[i]);
    }
  if (n_missing > 0)
    {
      const char *path = es_embedding_set_get_path (set);
      g_autofree char *name = path != NULL ? g_filename_display_basename (path) : g_strdup ("the file");

      es_session_add_warning (self, "%" G_GSIZE_FORMAT " %s %s not in %s, dropped: %s%s",
                              n_missing, what, n_missing == 1 ? "word is" : "words are", name,
                              missing->str, n_missing > WARN_WORDS ? ", …" : "");
    }
  *n_rows = n;
  return rows;
}

EsEmbeddingSet *
es_session_build_view (EsSession      *self,
                       EsEmbeddingSet *set)
{
  g_autofree gsize *rows = NULL;
  gsize n = 0, n_words;

  g_return_val_if_fail (self != NULL && set != NULL, NULL);

  if (self->isolate == NULL)
    return es_embedding_set_ref (set);
  n_words = g_strv_length (self->isolate);
  rows = es_session_lookup_words (self, set, (const char * const *) self->isolate, "isolated", &n);
  if (n == 0)
    {
      es_session_add_warning (self, "None of the isolated words is in the file: all are shown");
      es_session_drop_coords (self, "The isolated words changed");
      return es_embedding_set_ref (set);
    }
  /* The map's rows were those words in that order. */
  if (n != n_words)
    es_session_drop_coords (self, "The isolated words changed");
  return es_embedding_set_subset (set, rows, n);
}

EsProjection *
es_session_stored_layout (EsSession      *self,
                          EsEmbeddingSet *view_set)
{
  guint dims = self->three_d ? 3 : 2;

  g_return_val_if_fail (self != NULL && view_set != NULL, NULL);

  if (self->coords == NULL)
    return NULL;
  if (!es_method_is_layout (self->method))
    {
      es_session_set_coords (self, NULL, 0, 0);
      return NULL;
    }
  if (self->coords_rows != es_embedding_set_get_rows (view_set) || self->coords_dims != dims)
    {
      g_autofree char *why = g_strdup_printf ("The stored map has %" G_GSIZE_FORMAT " rows × %u "
                                              "but %" G_GSIZE_FORMAT " rows × %u are shown",
                                              self->coords_rows, self->coords_dims,
                                              es_embedding_set_get_rows (view_set), dims);

      es_session_drop_coords (self, why);
      return NULL;
    }
  return es_projection_new_layout (self->method, self->coords_rows,
                                   es_embedding_set_get_dims (view_set), dims, self->coords, NULL);
}

guint8 *
es_session_filter_mask (const EsSession *self,
                        EsEmbeddingSet  *view_set,
                        gboolean         whole_file)
{
  EsMetadata *metadata = es_embedding_set_get_metadata (view_set);
  g_autoptr(EsRowFilter) filter = es_row_filter_new ();

  if (whole_file)
    es_row_filter_set_top_n (filter, self->top_n);
  if (self->category != NULL && metadata != NULL && self->color_column != NULL)
    es_row_filter_set_category (filter, es_metadata_find_column (metadata, self->color_column), self->category);
  /* An invalid regex filters nothing, as the window shows before one is valid. */
  if (!es_row_filter_set_text (filter, self->filter_text, self->filter_regex, NULL))
    es_row_filter_set_text (filter, NULL, FALSE, NULL);
  return es_row_filter_run (filter, view_set, es_embedding_set_get_rows (view_set));
}
