/* es-window-describe.c: a row in words, for the hover card and the
 * neighbour panel's details.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-window"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "es-window-private.h"

/* The hover card's lines: where the word is in the file, its length, its
 * metadata and its cluster.  From the plot's own data, so a card drawn
 * during a switch still describes the point under the pointer.
 */
char *
_es_window_plot_point_detail (gsize    row,
                              gpointer user_data)
{
  EsWindow *self = user_data;
  EsScatterData *data = es_scatter_view_get_data (self->plot);

  return _es_window_describe_row (self, data != NULL ? es_scatter_data_get_embedding_set (data) : NULL, row);
}

char *
_es_window_describe_row (EsWindow       *self,
                         EsEmbeddingSet *view,
                         gsize           row)
{
  EsEmbeddingSet *set = es_document_get_set (self->document);
  EsMetadata *metadata;
  GString *text;
  gsize full = row;
  guint shown = 0;

  if (view == NULL || row >= es_embedding_set_get_rows (view))
    return NULL;
  text = g_string_new (NULL);
  if (set != NULL && view != set &&
      !es_embedding_set_lookup (set, es_embedding_set_get_word (view, row), &full))
    set = NULL;
  if (set == NULL)
    set = view;
  g_string_append_printf (text, _("row %'" G_GSIZE_FORMAT " of %'" G_GSIZE_FORMAT), full + 1,
                          es_embedding_set_get_rows (set));
  if (es_embedding_set_is_row_valid (view, row))
    {
      const float *v = es_embedding_set_get_vector (view, row);
      double sum = 0;

      for (gsize j = 0; j < es_embedding_set_get_dims (view); j++)
        sum += (double) v[j] * v[j];
      g_string_append_printf (text, _(" · norm %.4g"), sqrt (sum));
    }
  metadata = es_embedding_set_get_metadata (view);
  /* A token shown decoded: the raw one here (unless a column has it). */
  if (es_embedding_set_get_token_display (view) != ES_TOKEN_DISPLAY_NONE &&
      (metadata == NULL || es_metadata_find_column (metadata, "token") < 0))
    {
      g_autofree char *decoded = es_embedding_set_dup_display_word (view, row);
      g_autofree char *raw = g_utf8_make_valid (es_embedding_set_get_word (view, row),
                                                es_embedding_set_get_word_len (view, row));

      if (!g_str_equal (decoded, raw))
        g_string_append_printf (text, _("\ntoken: %s"), raw);
    }
  for (guint c = 0; metadata != NULL && c < es_metadata_get_n_columns (metadata) && shown < 6; c++)
    {
      const char *name = es_metadata_get_column_name (metadata, c);
      const char *value = row < es_metadata_get_n_rows (metadata) ? es_metadata_get_value (metadata, row, c) : NULL;

      if (value == NULL || *value == '\0' || g_ascii_strcasecmp (name, "word") == 0)
        continue;
      g_string_append_printf (text, "\n%s: %s", name, value);
      shown++;
    }
  if (es_document_get_clusters (self->document) != NULL && set == es_document_get_set (self->document))
    {
      EsKmeans *clusters = es_document_get_clusters (self->document);

      if (full < es_kmeans_get_rows (clusters) && es_kmeans_get_assignments (clusters)[full] >= 0)
        g_string_append_printf (text, _("\ncluster: %s"),
                                es_kmeans_get_name (clusters, (guint) es_kmeans_get_assignments (clusters)[full]));
    }

  return g_string_free (text, FALSE);
}
