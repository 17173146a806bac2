/* es-window-actions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "es-window-private.h"


#include "es-dialogs.h"
#include "es-neighbors.h"
#include "es-settings.h"

static void
open_ready_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(EsWindow) self = user_data;
  g_autoptr(GFile) file = es_dialogs_open_finish (result, NULL);
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

  /* "Open as: text corpus" in the dialog; never guessed from the text. */
  if (path != NULL && es_dialogs_file_is_corpus (file))
    _es_window_open_corpus_path (self, path, FALSE);
  else if (file != NULL)
    es_window_open (self, file);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  EsWindow *self = ES_WINDOW (widget);

  es_dialogs_open_async (GTK_WINDOW (self), ES_FILE_KIND_EMBEDDING_OR_CORPUS, self->dialog_cancellable,
                         open_ready_cb, g_object_ref (self));
}

static void
compare_with_ready_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(EsWindow) self = user_data;
  g_autoptr(GFile) file = es_dialogs_open_finish (result, NULL);
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

  if (path != NULL && es_document_get_set (self->document) != NULL)
    _es_window_compare_with_path (self, NULL, path);
}

static void
compare_with_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  EsWindow *self = ES_WINDOW (widget);

  if (es_document_get_set (self->document) == NULL)
    return;
  es_dialogs_open_async (GTK_WINDOW (self), ES_FILE_KIND_EMBEDDING, self->dialog_cancellable,
                         compare_with_ready_cb, g_object_ref (self));
}

static void
open_path_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (g_variant_get_string (param, NULL));

  es_window_open (ES_WINDOW (widget), file);
}

static void
open_sample_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  g_autofree char *sample = es_window_find_sample ();

  if (sample != NULL)
    _es_window_load_path (ES_WINDOW (widget), sample, 0, NULL);
  else
    _es_window_show_error (ES_WINDOW (widget), _("The bundled sample is not installed"));
}

static void
open_metadata_ready_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(EsWindow) self = user_data;
  g_autoptr(GFile) file = es_dialogs_open_finish (result, NULL);
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

  if (path != NULL)
    _es_window_join_metadata (self, path);
}

static void
open_metadata_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  EsWindow *self = ES_WINDOW (widget);

  es_dialogs_open_async (GTK_WINDOW (self), ES_FILE_KIND_METADATA, self->dialog_cancellable,
                         open_metadata_ready_cb, g_object_ref (self));
}

static void
open_metadata_path_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *param)
{
  _es_window_join_metadata (ES_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
pause_map_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  EsWindow *self = ES_WINDOW (widget);

  self->layout_paused = !self->layout_paused;
  _es_window_layout_pause (self, self->layout_paused);
  _es_window_actions_update (self);
}

/* Another seed: the same map parameters, another start. */
static void
rerun_map_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  EsWindow *self = ES_WINDOW (widget);

  self->layout_seed++;
  self->layout_paused = FALSE;
  _es_window_reproject (self, NULL);
}

static void
clusters_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  _es_window_start_clusters (ES_WINDOW (widget), g_variant_get_uint32 (param));
}

static void
ask_clusters_ready_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(EsWindow) self = user_data;
  guint64 k = 0;

  if (es_dialogs_ask_number_finish (result, &k, NULL))
    _es_window_start_clusters (self, (guint) k);
}

static void
ask_clusters_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  EsWindow *self = ES_WINDOW (widget);
  EsEmbeddingSet *set = es_document_get_set (self->document);

  if (set == NULL)
    return;
  es_dialogs_ask_number_async (GTK_WINDOW (self), _("Clusters"),
                               _("Group the words by k-means in the original space (cosine); each "
                                 "cluster is named by its three most central words."),
                               _("Number of clusters (default 20)"), 20, 2,
                               MIN (es_embedding_set_get_n_valid (set), 1000), NULL,
                               ask_clusters_ready_cb, g_object_ref (self));
}

/* Esc: cancels what runs; when nothing runs, clears the selection (one
 * step back in history brings it back).
 */
static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  EsWindow *self = ES_WINDOW (widget);
  if (!es_window_get_busy (self))
    {
      es_document_begin (self->document);
      es_document_clear_selection (self->document);
      es_document_set_focus (self->document, -1);
      es_document_end (self->document);
      return;
    }
  /* The callbacks see the cancellation and clear the jobs. */
  if (self->load_job != NULL)
    es_job_cancel (self->load_job);
  if (self->project_job != NULL)
    es_job_cancel (self->project_job);
  if (self->cluster_job != NULL)
    es_job_cancel (self->cluster_job);
  if (self->save_job != NULL)
    es_job_cancel (self->save_job);
  self->layout_paused = FALSE;
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  es_document_go_back (ES_WINDOW (widget)->document);
}

static void
forward_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  es_document_go_forward (ES_WINDOW (widget)->document);
}

static void
dismiss_error_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  _es_window_show_error (ES_WINDOW (widget), NULL);
}

static void
select_word_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  _es_window_select_word (ES_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
select_row_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  g_object_set (widget, "selected", g_variant_get_int64 (param), NULL);
}

static void
copy_selection_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  EsWindow *self = ES_WINDOW (widget);
  g_autofree char *text = es_selection_panel_dup_text (self->selection_panel);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
}

static void
clear_selection_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  EsWindow *self = ES_WINDOW (widget);

  /* One step back in history undoes it. */
  es_document_begin (self->document);
  es_document_clear_selection (self->document);
  es_document_set_focus (self->document, -1);
  es_document_end (self->document);
}

static void
isolate_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  EsWindow *self = ES_WINDOW (widget);
  GArray *neighbors = es_neighbors_panel_get_neighbors (self->neighbors_panel);
  gint64 row = es_neighbors_panel_get_row (self->neighbors_panel);
  g_autoptr(GArray) rows = NULL;
  g_autoptr(EsEmbeddingSet) subset = NULL;
  gsize n_selected = 0;
  const gsize *selected = es_document_get_selection (self->document, &n_selected);

  if (es_document_get_set (self->document) == NULL || ((neighbors == NULL || row < 0) && n_selected == 0))
    return;

  /* The box selection, the selected word and its neighbours, once each. */
  {
    g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
    gsize r;

    rows = g_array_new (FALSE, FALSE, sizeof (gsize));
    for (gsize i = 0; i < n_selected; i++)
      {
        r = selected[i];
        if (g_hash_table_add (seen, GSIZE_TO_POINTER (r + 1)))
          g_array_append_val (rows, r);
      }
    if (row >= 0 && neighbors != NULL)
      {
        r = (gsize) row;
        if (g_hash_table_add (seen, GSIZE_TO_POINTER (r + 1)))
          g_array_append_val (rows, r);
        for (guint i = 0; i < neighbors->len; i++)
          {
            r = g_array_index (neighbors, EsNeighbor, i).row;
            if (g_hash_table_add (seen, GSIZE_TO_POINTER (r + 1)))
              g_array_append_val (rows, r);
          }
      }
  }
  if (rows->len < 3)
    {
      _es_window_show_error (self, _("Isolate needs at least three words"));
      return;
    }

  subset = es_embedding_set_subset (es_document_get_set (self->document), (const gsize *) (gpointer) rows->data, rows->len);
  if (subset == NULL)
    return;

  /* The plot keeps the old view until the subset's reduction is ready. */
  _es_window_reproject (self, subset);
}

static void
show_all_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  EsWindow *self = ES_WINDOW (widget);

  if (es_document_get_set (self->document) != NULL)
    _es_window_reproject (self, es_document_get_set (self->document));
}

static void
focus_search_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  gtk_widget_grab_focus (GTK_WIDGET (ES_WINDOW (widget)->search));
}

static void
show_warnings_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  EsWindow *self = ES_WINDOW (widget);

  if (gtk_widget_get_visible (GTK_WIDGET (self->warnings_button)))
    gtk_menu_button_popup (self->warnings_button);
}

static void
update_recent_menu (EsWindow *self)
{
  g_auto(GStrv) recent = es_settings_dup_recent ();

  g_menu_remove_all (self->recent_menu);
  for (guint i = 0; recent[i] != NULL; i++)
    {
      g_autofree char *base = g_path_get_basename (recent[i]);
      /* Menu labels take mnemonics: "iris_tensors.tsv" must keep its "_". */
      g_auto(GStrv) parts = g_strsplit (base, "_", -1);
      g_autofree char *label = g_strjoinv ("__", parts);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target_value (item, "win.open-path", g_variant_new_string (recent[i]));
      g_menu_append_item (self->recent_menu, item);
    }
}

void
_es_window_actions_update (EsWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean busy = es_window_get_busy (self);
  gboolean has_view = es_document_get_projection (self->document) != NULL;
  gboolean has_neighbors = es_neighbors_panel_get_neighbors (self->neighbors_panel) != NULL;
  gsize n_selected = 0;

  es_document_get_selection (self->document, &n_selected);
  {
    gsize n_sel = 0;

    es_document_get_selection (self->document, &n_sel);
    gtk_widget_action_set_enabled (widget, "win.cancel",
                                   busy || n_sel > 0 || es_document_get_focus (self->document) >= 0);
  }
  gtk_widget_action_set_enabled (widget, "win.back", es_document_can_go_back (self->document));
  gtk_widget_action_set_enabled (widget, "win.compare-with", es_document_get_set (self->document) != NULL);
  gtk_widget_action_set_enabled (widget, "win.forward", es_document_can_go_forward (self->document));
  {
    gboolean is_map = g_strcmp0 (self->method, "tsne") == 0 || g_strcmp0 (self->method, "umap") == 0;

    gtk_widget_action_set_enabled (widget, "win.pause-map", is_map && self->project_job != NULL);
    gtk_widget_set_visible (self->pause_button, is_map && self->project_job != NULL);
    gtk_button_set_label (GTK_BUTTON (self->pause_button), self->layout_paused ? _("_Resume") : _("_Pause"));
    gtk_widget_action_set_enabled (widget, "win.rerun-map", is_map && es_document_get_set (self->document) != NULL);
    gtk_widget_action_set_enabled (widget, "win.clusters", es_document_get_set (self->document) != NULL);
    gtk_widget_action_set_enabled (widget, "win.ask-clusters", es_document_get_set (self->document) != NULL);
  }
  gtk_widget_action_set_enabled (widget, "win.dismiss-error", self->error != NULL);
  gtk_widget_action_set_enabled (widget, "win.open-metadata", es_document_get_set (self->document) != NULL);
  gtk_widget_action_set_enabled (widget, "win.open-metadata-path", es_document_get_set (self->document) != NULL);
  gtk_widget_action_set_enabled (widget, "win.export", has_view);
  gtk_widget_action_set_enabled (widget, "win.export-to", has_view);
  gtk_widget_action_set_enabled (widget, "win.export-png-to", has_view);
  gtk_widget_action_set_enabled (widget, "win.export-neighbors", has_view && has_neighbors);
  gtk_widget_action_set_enabled (widget, "win.select-word", es_document_get_view_set (self->document) != NULL);
  gtk_widget_action_set_enabled (widget, "win.select-row", es_document_get_view_set (self->document) != NULL);
  gtk_widget_action_set_enabled (widget, "win.copy-selection", n_selected > 0);
  gtk_widget_action_set_enabled (widget, "win.export-selection", n_selected > 0 && has_view);
  gtk_widget_action_set_enabled (widget, "win.clear-selection",
                                 es_document_get_focus (self->document) >= 0 || n_selected > 0);
  gtk_widget_action_set_enabled (widget, "win.isolate",
                                 es_document_get_view_set (self->document) == es_document_get_set (self->document) &&
                                 ((has_neighbors && es_document_get_focus (self->document) >= 0) || n_selected > 0));
  gtk_widget_action_set_enabled (widget, "win.show-all",
                                 es_document_get_view_set (self->document) != NULL && es_document_get_view_set (self->document) != es_document_get_set (self->document));
  _es_window_corpus_actions_update (self);
  gtk_widget_action_set_enabled (widget, "win.show-warnings",
                                 es_document_get_set (self->document) != NULL && es_embedding_set_get_warnings (es_document_get_set (self->document)) != NULL &&
                                 es_embedding_set_get_warnings (es_document_get_set (self->document))->len > 0);
  gtk_widget_set_sensitive (self->components_box, has_view);
  _es_window_session_actions_update (self);

  update_recent_menu (self);
}

void
_es_window_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.open-path", "s", open_path_action);
  gtk_widget_class_install_action (widget_class, "win.open-sample", NULL, open_sample_action);
  gtk_widget_class_install_action (widget_class, "win.compare-with", NULL, compare_with_action);
  gtk_widget_class_install_action (widget_class, "win.open-metadata", NULL, open_metadata_action);
  gtk_widget_class_install_action (widget_class, "win.open-metadata-path", "s", open_metadata_path_action);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.forward", NULL, forward_action);
  gtk_widget_class_install_action (widget_class, "win.pause-map", NULL, pause_map_action);
  gtk_widget_class_install_action (widget_class, "win.clusters", "u", clusters_action);
  gtk_widget_class_install_action (widget_class, "win.ask-clusters", NULL, ask_clusters_action);
  gtk_widget_class_install_action (widget_class, "win.rerun-map", NULL, rerun_map_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-error", NULL, dismiss_error_action);
  gtk_widget_class_install_action (widget_class, "win.select-word", "s", select_word_action);
  gtk_widget_class_install_action (widget_class, "win.select-row", "x", select_row_action);
  gtk_widget_class_install_action (widget_class, "win.clear-selection", NULL, clear_selection_action);
  gtk_widget_class_install_action (widget_class, "win.copy-selection", NULL, copy_selection_action);
  _es_window_export_actions_init (widget_class);
  gtk_widget_class_install_action (widget_class, "win.isolate", NULL, isolate_action);
  gtk_widget_class_install_action (widget_class, "win.show-all", NULL, show_all_action);
  gtk_widget_class_install_action (widget_class, "win.focus-search", NULL, focus_search_action);
  gtk_widget_class_install_action (widget_class, "win.show-warnings", NULL, show_warnings_action);
  gtk_widget_class_install_property_action (widget_class, "win.method", "method");
  gtk_widget_class_install_property_action (widget_class, "win.three-d", "three-d");
  gtk_widget_class_install_property_action (widget_class, "win.filter-regex", "filter-regex");
  gtk_widget_class_install_property_action (widget_class, "win.show-sidebar", "show-sidebar");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.open-metadata", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.focus-search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_CONTROL_MASK, "win.three-d", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "win.method", "s", "pca");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "win.method", "s", "svd");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK, "win.method", "s", "axes");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_4, GDK_ALT_MASK, "win.method", "s", "identity");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "win.isolate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.show-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export", "s", "png");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.show-sidebar", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "win.forward", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_5, GDK_ALT_MASK, "win.method", "s", "tsne");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_6, GDK_ALT_MASK, "win.method", "s", "umap");
}
