/* es-window-plot.c: what the window feeds its plot
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "es-window-private.h"

#include "es-neighbors.h"
#include "es-scatter-data.h"

/* Which rows of the view pass the filters (top N, text, category). */
static guint8 *
compute_mask (EsWindow *self,
              gsize     rows)
{
  EsMetadata *metadata = es_embedding_set_get_metadata (self->view_set);
  const char *text = self->filter_text != NULL ? self->filter_text : "";
  guint top_n = self->top_n;
  guint category = gtk_drop_down_get_selected (self->category_dropdown);
  guint color = gtk_drop_down_get_selected (self->color_dropdown);
  const char *category_name = NULL;
  g_autoptr(GRegex) regex = NULL;
  g_autofree char *needle = NULL;
  guint8 *mask = g_new (guint8, rows);

  memset (mask, 1, rows);

  if (category != GTK_INVALID_LIST_POSITION && category > 0 && metadata != NULL &&
      color != GTK_INVALID_LIST_POSITION && color > 0)
    category_name = gtk_string_list_get_string (self->category_names, category);

  gtk_widget_remove_css_class (GTK_WIDGET (self->filter_entry), "error");
  if (text[0] != '\0' && self->filter_regex)
    {
      g_autoptr(GError) error = NULL;

      regex = g_regex_new (text, G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, &error);
      if (regex == NULL)
        {
          gtk_widget_add_css_class (GTK_WIDGET (self->filter_entry), "error");
          gtk_widget_set_tooltip_text (GTK_WIDGET (self->filter_entry), error->message);
        }
    }
  else if (text[0] != '\0')
    needle = g_ascii_strdown (text, -1);

  for (gsize r = 0; r < rows; r++)
    {
      const char *word;

      /* The isolated subset keeps every word: top N is about the file. */
      if (top_n > 0 && r >= top_n && self->view_set == self->set)
        {
          mask[r] = 0;
          continue;
        }
      if (category_name != NULL &&
          g_strcmp0 (es_metadata_get_value (metadata, r, color - 1), category_name) != 0)
        {
          mask[r] = 0;
          continue;
        }
      if (regex == NULL && needle == NULL)
        continue;

      word = es_embedding_set_get_word (self->view_set, r);
      if (regex != NULL)
        mask[r] = g_utf8_validate (word, -1, NULL) && g_regex_match (regex, word, 0, NULL);
      else
        {
          g_autofree char *lower = g_ascii_strdown (word, -1);

          mask[r] = strstr (lower, needle) != NULL;
        }
    }

  return mask;
}

static gboolean
components_valid (EsWindow *self)
{
  guint n = es_projection_get_n_components (self->projection);

  return self->component_x < n && self->component_y < n &&
         (!self->three_d || self->component_z < n);
}

void
_es_window_plot_update (EsWindow *self)
{
  g_autoptr(EsScatterData) data = NULL;
  g_autofree float *coords = NULL;
  g_autofree guint8 *mask = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  EsMetadata *metadata;
  guint label_column, color_column;
  guint n_components;
  gsize rows;
  gint cz;

  g_return_if_fail (ES_IS_WINDOW (self));

  g_clear_handle_id (&self->filter_source, g_source_remove);

  if (self->view_set == NULL || self->projection == NULL)
    return;
  if (!components_valid (self))
    return;

  rows = es_projection_get_rows (self->projection);
  n_components = es_projection_get_n_components (self->projection);
  cz = self->three_d ? (gint) self->component_z : -1;

  /* Filtered rows become NaN: the plot masks them like invalid rows. */
  mask = compute_mask (self, rows);
  coords = g_memdup2 (es_projection_get_coords (self->projection),
                      rows * n_components * sizeof (float));
  for (gsize r = 0; r < rows; r++)
    if (!mask[r])
      for (guint c = 0; c < n_components; c++)
        coords[r * n_components + c] = NAN;

  metadata = es_embedding_set_get_metadata (self->view_set);
  label_column = gtk_drop_down_get_selected (self->label_dropdown);
  color_column = gtk_drop_down_get_selected (self->color_dropdown);

  if (metadata != NULL && label_column != GTK_INVALID_LIST_POSITION && label_column > 0 &&
      label_column - 1 < es_metadata_get_n_columns (metadata))
    {
      labels = g_ptr_array_new ();
      for (gsize r = 0; r < rows; r++)
        {
          const char *value = es_metadata_get_value (metadata, r, label_column - 1);

          g_ptr_array_add (labels, (gpointer) (value != NULL ? value : ""));
        }
      g_ptr_array_add (labels, NULL);
    }

  data = es_scatter_data_new_from_coords (coords, rows, n_components,
                                          self->component_x, self->component_y, cz,
                                          self->view_set,
                                          labels != NULL ? (const char * const *) labels->pdata : NULL);

  {
    guint axes[3] = { self->component_x, self->component_y, (guint) MAX (cz, 0) };

    for (guint a = 0; a < (self->three_d ? 3u : 2u); a++)
      {
        g_autofree char *title = _es_window_component_name (self, axes[a]);

        es_scatter_data_set_axis_title (data, a, title);
      }
  }

  if (metadata != NULL && color_column != GTK_INVALID_LIST_POSITION && color_column > 0 &&
      color_column - 1 < es_metadata_get_n_columns (metadata))
    es_scatter_data_set_color_column (data, metadata, color_column - 1);

  es_scatter_view_set_data (self->plot, data);
  es_scatter_view_set_selected (self->plot, self->selected);
  _es_window_plot_update_marks (self);
}

/* A row of the whole file to the same word's row in the view. */
static gboolean
to_view_row (EsWindow *self,
             gsize     full_row,
             guint32  *view_row)
{
  gsize row;

  if (self->view_set == self->set)
    {
      *view_row = (guint32) full_row;
      return TRUE;
    }
  if (!es_embedding_set_lookup (self->view_set, es_embedding_set_get_word (self->set, full_row), &row))
    return FALSE;

  *view_row = (guint32) row;
  return TRUE;
}

void
_es_window_plot_update_marks (EsWindow *self)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (guint32));
  GArray *neighbors;
  GArray *results;
  const gsize *hits;
  const gsize *terms;
  const double *weights;
  gsize n_hits = 0;
  guint n_terms = 0;
  gint64 a = -1, b = -1, c = -1, result = -1;

  if (self->view_set == NULL || self->set == NULL || self->plot == NULL)
    return;

  neighbors = es_neighbors_panel_get_neighbors (self->neighbors_panel);
  for (guint i = 0; neighbors != NULL && self->selected >= 0 && i < neighbors->len; i++)
    {
      guint32 row;

      if (to_view_row (self, g_array_index (neighbors, EsNeighbor, i).row, &row))
        g_array_append_val (rows, row);
    }
  es_scatter_view_set_highlighted (self->plot, (const guint32 *) (gpointer) rows->data, rows->len);

  g_array_set_size (rows, 0);
  hits = es_word_search_get_hits (self->search, &n_hits);
  for (gsize i = 0; i < n_hits; i++)
    {
      guint32 row;

      if (to_view_row (self, hits[i], &row))
        g_array_append_val (rows, row);
    }
  for (guint i = 0; i < self->box_rows->len; i++)
    {
      guint32 row;

      if (to_view_row (self, g_array_index (self->box_rows, gsize, i), &row))
        g_array_append_val (rows, row);
    }
  es_scatter_view_set_search_hits (self->plot, (const guint32 *) (gpointer) rows->data, rows->len);

  /* a - b + c = result, from the expression's signs. */
  terms = es_analogy_panel_get_terms (self->analogy_panel, &weights, &n_terms);
  results = es_analogy_panel_get_results (self->analogy_panel);
  for (guint i = 0; i < n_terms; i++)
    {
      guint32 row;

      if (!to_view_row (self, terms[i], &row))
        continue;
      if (weights[i] > 0 && a < 0)
        a = row;
      else if (weights[i] < 0 && b < 0)
        b = row;
      else if (weights[i] > 0 && c < 0)
        c = row;
    }
  if (results != NULL && results->len > 0)
    {
      guint32 row;

      if (to_view_row (self, g_array_index (results, EsNeighbor, 0).row, &row))
        result = row;
    }
  es_scatter_view_set_analogy (self->plot, a, b, c, result);
}

gboolean
_es_window_plot_export_tsv (EsWindow    *self,
                            const char  *path,
                            GError     **error)
{
  g_autoptr(GString) tsv = g_string_new (NULL);
  g_autofree guint8 *mask = NULL;
  const float *coords;
  guint n_components;
  guint axes[3];
  guint n_axes;
  gsize rows;

  if (self->view_set == NULL || self->projection == NULL || !components_valid (self))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", _("There is nothing to export"));
      return FALSE;
    }

  rows = es_projection_get_rows (self->projection);
  n_components = es_projection_get_n_components (self->projection);
  coords = es_projection_get_coords (self->projection);
  axes[0] = self->component_x;
  axes[1] = self->component_y;
  axes[2] = self->component_z;
  n_axes = self->three_d ? 3 : 2;
  mask = compute_mask (self, rows);

  g_string_append (tsv, "word");
  for (guint a = 0; a < n_axes; a++)
    {
      g_autofree char *name = _es_window_component_name (self, axes[a]);
      char *space = strchr (name, ' ');

      /* "PC1 (12.3 %)" -> "PC1": a header is for programs; an axis
       * expression stays whole, without tabs.
       */
      if (space != NULL && es_projection_get_method (self->projection) != ES_METHOD_AXES)
        *space = '\0';
      g_strdelimit (name, "\t\n", ' ');
      g_string_append_printf (tsv, "\t%s", name);
    }
  g_string_append_c (tsv, '\n');

  for (gsize r = 0; r < rows; r++)
    {
      if (!mask[r] || !es_embedding_set_is_row_valid (self->view_set, r))
        continue;

      g_string_append (tsv, es_embedding_set_get_word (self->view_set, r));
      for (guint a = 0; a < n_axes; a++)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          g_ascii_formatd (buf, sizeof buf, "%.9g", coords[r * n_components + axes[a]]);
          g_string_append_printf (tsv, "\t%s", buf);
        }
      g_string_append_c (tsv, '\n');
    }

  /* Written to a temporary and renamed: never a truncated file. */
  return g_file_set_contents (path, tsv->str, (gssize) tsv->len, error);
}
