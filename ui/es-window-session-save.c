/* es-window-session-save.c: File → Save Session…
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window described by words (EsSession, engine/io); a finished
 * t-SNE/UMAP map's coordinates go with it.
 */

#define G_LOG_DOMAIN "es-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "es-window-private.h"

#include "es-dialogs.h"
#include "es-session.h"

static char *
dropdown_string (GtkDropDown   *dropdown,
                 GtkStringList *names)
{
  guint i = gtk_drop_down_get_selected (dropdown);

  if (i == GTK_INVALID_LIST_POSITION || i == 0)
    return NULL;
  return g_strdup (gtk_string_list_get_string (names, i));
}

static char **
set_words (EsEmbeddingSet *set)
{
  gsize rows = es_embedding_set_get_rows (set);
  char **words = g_new0 (char *, rows + 1);

  for (gsize r = 0; r < rows; r++)
    words[r] = g_strdup (es_embedding_set_get_word (set, r));
  return words;
}

/* What the window shows, by word. */
EsSession *
_es_window_dup_session (EsWindow *self)
{
  EsEmbeddingSet *set = es_document_get_set (self->document);
  EsEmbeddingSet *view = es_document_get_view_set (self->document);
  EsProjection *projection = es_document_get_projection (self->document);
  EsKmeans *clusters = es_document_get_clusters (self->document);
  EsSession *session;
  const gsize *selected;
  gsize n_selected = 0;

  if (set == NULL || view == NULL || projection == NULL)
    return NULL;

  session = es_session_new ();
  if (es_embedding_set_get_path (set) != NULL)
    session->data_path = g_canonicalize_filename (es_embedding_set_get_path (set), NULL);
  else
    session->derived_reason = g_strdup (_("it was computed, not opened from a file"));
  session->metadata_path = g_strdup (self->loaded_metadata);
  session->limit = self->loaded_limit;

  es_method_from_string (self->method, &session->method);
  session->three_d = self->three_d;
  session->components[0] = self->component_x;
  session->components[1] = self->component_y;
  session->components[2] = self->component_z;
  session->axes = es_axes_editor_dup_axes (self->axes_editor);
  session->orthogonalize = es_axes_editor_get_orthogonalize (self->axes_editor);
  session->center = self->preprocess_center;
  session->normalize = self->preprocess_normalize;
  session->seed = self->layout_seed;
  /* The finished map itself (not a frame of a running one, nor the PCA a
   * too-small view falls back to).
   */
  if (es_method_is_layout (es_projection_get_method (projection)) && self->project_job == NULL)
    es_session_set_coords (session, es_projection_get_coords (projection),
                           es_projection_get_rows (projection),
                           es_projection_get_n_components (projection));

  if (view != set)
    session->isolate = set_words (view);
  selected = es_document_get_selection (self->document, &n_selected);
  session->selection = g_new0 (char *, n_selected + 1);
  for (gsize i = 0; i < n_selected; i++)
    session->selection[i] = g_strdup (es_embedding_set_get_word (set, selected[i]));
  session->focus = g_strdup (es_document_get_focus_word (self->document));
  session->neighbors_k = es_neighbors_panel_get_k (self->neighbors_panel);
  g_free (session->metric);
  session->metric = g_strdup (es_neighbors_panel_get_metric (self->neighbors_panel));

  session->filter_text = g_strdup (self->filter_text);
  session->filter_regex = self->filter_regex;
  session->top_n = self->top_n;
  session->label_column = dropdown_string (self->label_dropdown, self->label_names);
  if (_es_window_color_is_clusters (self))
    session->color_column = g_strdup ("cluster");
  else
    session->color_column = dropdown_string (self->color_dropdown, self->color_names);
  session->category = dropdown_string (self->category_dropdown, self->category_names);
  session->clusters = clusters != NULL ? es_kmeans_get_k (clusters) : 0;

  /* The camera: exactly, for a window of the same size; else its zoom
   * against a fit without margin and where it looks.
   */
  if (_es_window_plot_is_current (self))
    {
      EsViewport viewport, fitted;
      double lo[3], hi[3];

      es_scatter_view_get_viewport (self->plot, &viewport);
      fitted = viewport;
      es_scatter_data_get_bounds (es_scatter_view_get_data (self->plot), lo, hi);
      es_viewport_fit (&fitted, lo, hi, 0);
      session->has_camera = TRUE;
      session->view_width = viewport.width;
      session->view_height = viewport.height;
      session->azimuth = viewport.azimuth;
      session->elevation = viewport.elevation;
      session->center_xy[0] = viewport.center_x;
      session->center_xy[1] = viewport.center_y;
      memcpy (session->target, viewport.target, sizeof session->target);
      session->scale = viewport.scale;
      session->distance = viewport.distance;
      session->zoom = viewport.three_d ? fitted.fit_distance / viewport.distance
                                       : viewport.scale / fitted.fit_scale;
    }
  session->point_size = gtk_adjustment_get_value (self->point_size_adjustment);
  session->opacity = gtk_adjustment_get_value (self->opacity_adjustment);
  session->font_size = gtk_adjustment_get_value (self->font_size_adjustment);
  session->show_density = es_scatter_view_get_show_density (self->plot);
  /* Only an expression that was solved: a half-typed one is not the view. */
  if (es_analogy_panel_get_results (self->analogy_panel) != NULL)
    session->analogy = g_strdup (es_analogy_panel_get_expression (self->analogy_panel));
  /* A compare window of this file: the pair and its options. */
  if (self->compare != NULL && es_compare_window_get_comparison (self->compare) != NULL &&
      es_comparison_get_a (es_compare_window_get_comparison (self->compare)) == set)
    es_compare_window_add_to_session (self->compare, session);
  return session;
}

gboolean
_es_window_save_session (EsWindow    *self,
                         const char  *path,
                         GError     **error)
{
  g_autoptr(EsSession) session = _es_window_dup_session (self);

  if (session == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", _("There is nothing to save"));
      return FALSE;
    }
  return es_session_save (session, path, error);
}

static void
save_ready_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(EsWindow) self = user_data;
  g_autoptr(GFile) file = es_dialogs_save_finish (result, NULL);
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
  g_autoptr(GError) error = NULL;

  if (path != NULL && !_es_window_save_session (self, path, &error))
    es_dialogs_show_error (GTK_WINDOW (self), _("Could not save the session"), error->message);
}

static void
save_session_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  EsWindow *self = ES_WINDOW (widget);
  EsEmbeddingSet *set = es_document_get_set (self->document);
  g_autofree char *base = NULL;
  g_autofree char *name = NULL;
  char *dot;

  if (set == NULL)
    return;
  /* Refused before asking where: a derived set has no file to name. */
  if (es_embedding_set_get_path (set) == NULL)
    {
      es_dialogs_show_error (GTK_WINDOW (self), _("Could not save the session"),
                             _("This data set was computed, not opened from a file: save it as a "
                               "file first, then save the session."));
      return;
    }
  base = g_path_get_basename (es_embedding_set_get_path (set));
  if ((dot = strchr (base, '.')) != NULL)
    *dot = '\0';
  name = g_strconcat (base, ".embedscope", NULL);
  es_dialogs_save_async (GTK_WINDOW (self), ES_FILE_KIND_SESSION, name, self->dialog_cancellable,
                         save_ready_cb, g_object_ref (self));
}

static void
save_session_to_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  EsWindow *self = ES_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!_es_window_save_session (self, g_variant_get_string (param, NULL), &error))
    _es_window_show_error (self, error->message);
}

void
_es_window_class_session_save_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.save-session", NULL, save_session_action);
  gtk_widget_class_install_action (widget_class, "win.save-session-to", "s", save_session_to_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.save-session", NULL);
}
