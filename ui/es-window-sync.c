/* es-window-sync.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Keeps the window's panels, plot and status in step with the document
 * (focus, selection, clusters) and with each other's signals.
 */

#define G_LOG_DOMAIN "es-window"

#include "config.h"

#include <glib/gi18n.h>

#include "es-window-private.h"

void
_es_window_show_error (EsWindow   *self,
                       const char *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);
  _es_window_actions_update (self);
}

/* The focus lives in the document; the plot, the neighbour panel and the
 * property follow it from document_changed_cb ().
 */
void
_es_window_set_selected (EsWindow *self,
                         gint64    row)
{
  es_document_set_focus (self->document, row);
}

static void
sync_focus (EsWindow *self)
{
  gint64 row = es_document_get_focus (self->document);
  const char *word = es_document_get_focus_word (self->document);
  gsize full_row;

  /* Else the new view's data, still being built, brings the selection. */
  if (_es_window_plot_is_current (self))
    es_scatter_view_set_selected (self->plot, row);

  {
    g_autofree char *details = row >= 0 ? _es_window_describe_row (self, es_document_get_view_set (self->document),
                                                                   (gsize) row) : NULL;

    es_neighbors_panel_set_details (self->neighbors_panel, details);
  }

  /* Neighbours are searched in the whole file, not the isolated subset. */
  if (row >= 0 && es_embedding_set_lookup (es_document_get_set (self->document), word, &full_row))
    es_neighbors_panel_set_row (self->neighbors_panel, (gint64) full_row);
  else
    es_neighbors_panel_set_row (self->neighbors_panel, -1);
  _es_window_update_neighbor_range (self);

  /* The search box names the selected word, not the one searched before. */
  es_word_search_show_word (self->search, word);

  g_object_notify (G_OBJECT (self), "selected");
}

/* The side panel lists the selection in file order. */
static void
sync_selection_list (EsWindow *self)
{
  EsEmbeddingSet *set = es_document_get_set (self->document);
  gsize n = 0;
  const gsize *rows = es_document_get_selection (self->document, &n);
  g_autofree const char **words = NULL;

  if (set == NULL)
    n = 0;
  words = g_new (const char *, n + 1);
  for (gsize i = 0; i < n; i++)
    words[i] = es_embedding_set_get_word (set, rows[i]);
  es_selection_panel_set_words (self->selection_panel, words, n);
}

static void
document_changed_cb (EsWindow   *self,
                     guint       changes,
                     EsDocument *document)
{
  if (changes & (ES_DOCUMENT_CHANGE_FOCUS | ES_DOCUMENT_CHANGE_DATA))
    sync_focus (self);
  /* A word chosen (in the plot, a list, the search): an old "not in the
   * vocabulary" or failed action above it is stale.
   */
  if ((changes & ES_DOCUMENT_CHANGE_FOCUS) && !(changes & ES_DOCUMENT_CHANGE_DATA) &&
      es_document_get_focus (document) >= 0 && self->error != NULL)
    _es_window_show_error (self, NULL);
  if (changes & ES_DOCUMENT_CHANGE_CLUSTERS)
    {
      EsMetadata *metadata = es_embedding_set_get_metadata (es_document_get_set (document));
      guint n_columns = metadata != NULL ? es_metadata_get_n_columns (metadata) : 0;

      _es_window_update_metadata_choices (self);
      /* New clusters are what the user asked to see. */
      if (es_document_get_clusters (document) != NULL)
        gtk_drop_down_set_selected (self->color_dropdown, n_columns + 1);
      _es_window_plot_update (self);
    }
  if (changes & (ES_DOCUMENT_CHANGE_SELECTION | ES_DOCUMENT_CHANGE_DATA))
    sync_selection_list (self);
  if (changes & ES_DOCUMENT_CHANGE_VIEW_RESTORED)
    _es_window_apply_view_state (self);
  if (changes & (ES_DOCUMENT_CHANGE_SELECTION | ES_DOCUMENT_CHANGE_FOCUS))
    {
      _es_window_plot_update_marks (self);
      _es_window_update_status (self);
    }
  _es_window_actions_update (self);
}

void
_es_window_select_word (EsWindow   *self,
                        const char *word)
{
  gsize row;

  if (es_document_get_view_set (self->document) == NULL || word == NULL)
    return;

  if (es_embedding_set_lookup (es_document_get_view_set (self->document), word, &row) ||
      es_embedding_set_lookup_ignore_case (es_document_get_view_set (self->document), word, &row))
    {
      _es_window_show_error (self, NULL);
      _es_window_set_selected (self, (gint64) row);
      return;
    }

  {
    g_autofree char *message = g_strdup_printf (_("“%s” is not in the vocabulary"), word);

    _es_window_show_error (self, message);
  }
}

static void
neighbors_changed_cb (EsWindow         *self,
                      EsNeighborsPanel *panel)
{
  _es_window_plot_update_marks (self);
  _es_window_actions_update (self);
}

static void
analogy_changed_cb (EsWindow       *self,
                    EsAnalogyPanel *panel)
{
  _es_window_plot_update_marks (self);
}

static void
axes_changed_cb (EsWindow     *self,
                 EsAxesEditor *editor)
{
  if (g_strcmp0 (self->method, "axes") == 0)
    _es_window_reproject (self, NULL);
}

static void
search_hits_changed_cb (EsWindow     *self,
                        EsWordSearch *search)
{
  _es_window_plot_update_marks (self);
}

static void
plot_selected_cb (EsWindow      *self,
                  GParamSpec    *pspec,
                  EsScatterView *plot)
{
  /* The plot drops its selection when it gets new data; the document
   * keeps the focus word across a switch and tells the plot at the end.
   */
  if (self->switching > 0)
    return;
  _es_window_set_selected (self, es_scatter_view_get_selected (plot));
}

/* The popover opens on the values in use (Re-run Map changes the seed). */
static void
map_settings_shown_cb (EsWindow *self)
{
  EsMapParams params = self->map_params;

  params.seed = self->layout_seed;
  es_map_settings_set_params (self->map_settings, &params);
}

static void
map_settings_apply_cb (EsWindow *self)
{
  es_map_settings_get_params (self->map_settings, &self->map_params);
  self->layout_seed = self->map_params.seed;
  _es_window_reproject (self, NULL);
}

static void
plot_point_activated_cb (EsWindow      *self,
                         gint64         row,
                         EsScatterView *plot)
{
  _es_window_set_selected (self, row);
}

static void
color_column_changed_cb (EsWindow *self)
{
  _es_window_update_category_choices (self);
  _es_window_plot_queue_update (self);
}

/* Before the template: its children's signals may reach the window. */
void
_es_window_sync_document_init (EsWindow *self)
{
  g_signal_connect_object (self->document, "changed", G_CALLBACK (document_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

void
_es_window_class_sync_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, neighbors_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, analogy_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, axes_changed_cb);
}

/* After the template: the plot, the map popover, the dropdowns. */
void
_es_window_sync_init (EsWindow *self)
{
  g_signal_connect_swapped (self->map_settings, "apply", G_CALLBACK (map_settings_apply_cb), self);
  g_signal_connect_swapped (self->map_settings_button, "notify::active", G_CALLBACK (map_settings_shown_cb), self);
  g_signal_connect_swapped (self->color_dropdown, "notify::selected", G_CALLBACK (color_column_changed_cb), self);
  g_signal_connect_swapped (self->plot, "notify::selected", G_CALLBACK (plot_selected_cb), self);
  g_signal_connect_swapped (self->plot, "point-activated", G_CALLBACK (plot_point_activated_cb), self);
  g_signal_connect_swapped (self->search, "hits-changed", G_CALLBACK (search_hits_changed_cb), self);
}
