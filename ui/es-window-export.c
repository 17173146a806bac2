/* es-window-export.c: the window's coordinates (all shown rows, or the
 * selection with its metadata columns) as a TSV file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "es-window-private.h"

#include "es-output.h"
#include "es-writer.h"

/* The metadata columns after the coordinates, row by row: the writer's
 * lines are the masked rows in order, after the header.
 */
static GString *
append_metadata_columns (GString        *tsv,
                         EsEmbeddingSet *set,
                         const guint8   *mask)
{
  EsMetadata *metadata = es_embedding_set_get_metadata (set);
  guint n_columns = metadata != NULL ? es_metadata_get_n_columns (metadata) : 0;
  GString *out;
  const char *line = tsv->str;
  gsize row = 0;
  gboolean header = TRUE;

  if (n_columns == 0)
    return tsv;
  out = g_string_sized_new (tsv->len * 2);
  while (*line != '\0')
    {
      const char *end = strchr (line, '\n');
      gsize len = end != NULL ? (gsize) (end - line) : strlen (line);

      g_string_append_len (out, line, len);
      if (!header)
        while (row < es_embedding_set_get_rows (set) && !mask[row])
          row++;
      for (guint c = 0; c < n_columns; c++)
        {
          const char *value;
          g_autofree char *clean = NULL;

          /* A joined file's key column repeats the first column. */
          if (g_ascii_strcasecmp (es_metadata_get_column_name (metadata, c), "word") == 0)
            continue;
          value = header ? es_metadata_get_column_name (metadata, c)
                                     : (row < es_metadata_get_n_rows (metadata)
                                        ? es_metadata_get_value (metadata, row, c) : NULL);
          clean = g_strdup (value != NULL ? value : "");

          g_strdelimit (clean, "\t\n\r", ' ');
          g_string_append_c (out, '\t');
          g_string_append (out, clean);
        }
      g_string_append_c (out, '\n');
      if (!header)
        row++;
      header = FALSE;
      line = end != NULL ? end + 1 : line + len;
    }
  g_string_free (tsv, TRUE);

  return out;
}

static gboolean
export_tsv (EsWindow    *self,
            const char  *path,
            gboolean     selection_only,
            GError     **error)
{
  g_autoptr(GString) tsv = NULL;
  g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  g_autofree guint8 *mask = NULL;
  const float *coords;
  guint n_components;
  guint axes[3];
  guint n_axes;
  gsize rows;

  if (es_document_get_view_set (self->document) == NULL || es_document_get_projection (self->document) == NULL || !_es_window_plot_components_valid (self))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", _("There is nothing to export"));
      return FALSE;
    }

  rows = es_projection_get_rows (es_document_get_projection (self->document));
  n_components = es_projection_get_n_components (es_document_get_projection (self->document));
  coords = es_projection_get_coords (es_document_get_projection (self->document));
  axes[0] = self->component_x;
  axes[1] = self->component_y;
  axes[2] = self->component_z;
  n_axes = self->three_d ? 3 : 2;
  if (selection_only)
    {
      gsize n_selected = 0;
      const gsize *selected = es_document_get_selection (self->document, &n_selected);

      mask = g_new0 (guint8, MAX (rows, 1));
      for (gsize i = 0; i < n_selected; i++)
        {
          guint32 view_row;

          if (_es_window_plot_to_view_row (self, selected[i], &view_row) && view_row < rows)
            mask[view_row] = 1;
        }
    }
  else
    mask = _es_window_plot_compute_mask (self, rows);

  for (guint a = 0; a < n_axes; a++)
    {
      char *name = _es_window_component_name (self, axes[a]);
      char *space = strchr (name, ' ');

      /* "PC1 (12.3 %)" -> "PC1", as the CLI writes it; an axis
       * expression stays whole, without tabs.
       */
      if (space != NULL && es_projection_get_method (es_document_get_projection (self->document)) != ES_METHOD_AXES)
        *space = '\0';
      g_strdelimit (name, "\t\n\r", ' ');
      g_ptr_array_add (titles, name);
    }
  for (gsize r = 0; r < rows; r++)
    mask[r] = mask[r] && es_embedding_set_is_row_valid (es_document_get_view_set (self->document), r);

  tsv = es_writer_coordinates_tsv (es_document_get_view_set (self->document), coords, n_components, axes,
                                   (const char * const *) titles->pdata, n_axes, mask, error);
  if (tsv == NULL)
    return FALSE;
  if (selection_only)
    tsv = append_metadata_columns (tsv, es_document_get_view_set (self->document), mask);

  /* es_output: a temporary file renamed into place, never a truncated file. */
  return es_output_write_file (path, tsv->str, tsv->len, error);
}

gboolean
_es_window_plot_export_tsv (EsWindow    *self,
                            const char  *path,
                            GError     **error)
{
  return export_tsv (self, path, FALSE, error);
}

/* The selected words shown in this view, with their metadata columns. */
gboolean
_es_window_plot_export_selection_tsv (EsWindow    *self,
                                      const char  *path,
                                      GError     **error)
{
  gsize n_selected = 0;

  es_document_get_selection (self->document, &n_selected);
  if (n_selected == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", _("Nothing is selected"));
      return FALSE;
    }
  return export_tsv (self, path, TRUE, error);
}
