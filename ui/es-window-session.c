/* es-window-session.c: File → Open Session…, and the session actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Saving is in es-window-session-save.c.  Opening reads and checks the session,
 * loads its file in a worker, builds the shown set and its projection (the
 * stored map, or a PCA/axes reduction in a worker), then puts everything in
 * place in one document transaction; until then the current view stays,
 * and a failure only shows its message.
 */

#define G_LOG_DOMAIN "es-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "es-window-private.h"

#include "es-dialogs.h"
#include "es-loader.h"
#include "es-session.h"
#include "es-settings.h"

#define MAX_COMPONENTS 10
#define MAX_IDENTITY_COLUMNS 64

/* ---- opening ---- */

typedef struct
{
  EsWindow       *self;
  EsJob          *job;
  EsSession      *session;
  EsEmbeddingSet *set;
  EsEmbeddingSet *view;
  gboolean        stored;   /* the projection is the session's own map */
  gboolean        borrowed; /* @self not held: the plot's tick callback owns us */
} Restore;

static void
restore_free (Restore *restore)
{
  if (restore->borrowed)
    restore->self = NULL;
  g_clear_object (&restore->self);
  g_clear_object (&restore->job);
  g_clear_pointer (&restore->session, es_session_free);
  g_clear_pointer (&restore->set, es_embedding_set_unref);
  g_clear_pointer (&restore->view, es_embedding_set_unref);
  g_free (restore);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Restore, restore_free)

static void
select_by_name (GtkDropDown   *dropdown,
                GtkStringList *names,
                const char    *name)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (names));

  if (name == NULL)
    {
      gtk_drop_down_set_selected (dropdown, 0);
      return;
    }
  for (guint i = 1; i < n; i++)
    if (g_strcmp0 (gtk_string_list_get_string (names, i), name) == 0)
      {
        gtk_drop_down_set_selected (dropdown, i);
        return;
      }
}

static void
apply_camera (EsWindow  *self,
              EsSession *session)
{
  EsViewport viewport, fitted;
  double lo[3], hi[3];
  gboolean same_size;

  es_scatter_view_get_viewport (self->plot, &viewport);
  if (viewport.three_d)
    es_viewport_set_angles (&viewport, session->azimuth, session->elevation);
  if (session->has_camera)
    {
      fitted = viewport;
      es_scatter_data_get_bounds (es_scatter_view_get_data (self->plot), lo, hi);
      es_viewport_fit (&fitted, lo, hi, 0);
      same_size = session->view_width == viewport.width && session->view_height == viewport.height;
      if (viewport.three_d)
        {
          viewport.distance = same_size && session->distance > 0
                              ? session->distance : fitted.fit_distance / session->zoom;
          memcpy (viewport.target, session->target, sizeof viewport.target);
        }
      else
        {
          viewport.scale = same_size && session->scale > 0
                           ? session->scale : fitted.fit_scale * session->zoom;
          viewport.center_x = session->center_xy[0];
          viewport.center_y = session->center_xy[1];
        }
    }
  es_scatter_view_set_viewport (self->plot, &viewport);
}

/* The camera waits for the plot to settle: its data (a big view's is built
 * in a worker), its size (a new window is not allocated yet; the side
 * panel fills after the neighbour search), or a fit or resize would undo
 * it.  At the saved size it is put back exactly; a window that never gets
 * that size gets the zoom after a second.
 */
#define CAMERA_PENDING "es-window-session-camera-pending"
#define CAMERA_MAX_FRAMES 60

typedef struct
{
  Restore *restore;
  guint    frames;
} CameraWait;

static void
camera_wait_free (gpointer data)
{
  CameraWait *wait = data;

  g_object_set_data (G_OBJECT (wait->restore->self), CAMERA_PENDING, NULL);
  restore_free (wait->restore);
  g_free (wait);
}

static gboolean
camera_tick_cb (GtkWidget     *plot,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  CameraWait *wait = user_data;
  EsWindow *self = wait->restore->self;
  EsSession *session = wait->restore->session;
  EsViewport viewport;

  wait->frames++;
  if (!_es_window_plot_is_current (self) || gtk_widget_get_width (plot) <= 1 ||
      gtk_widget_get_height (plot) <= 1 || self->filter_source != 0 || es_window_get_busy (self) ||
      es_neighbors_panel_get_busy (self->neighbors_panel))
    return G_SOURCE_CONTINUE;
  es_scatter_view_get_viewport (self->plot, &viewport);
  if (session->has_camera && session->view_width > 0 &&
      (viewport.width != session->view_width || viewport.height != session->view_height) &&
      wait->frames < CAMERA_MAX_FRAMES)
    return G_SOURCE_CONTINUE;
  apply_camera (self, session);
  return G_SOURCE_REMOVE;
}

/* Everything at once: the window's fields first (their reductions held
 * back), then the data, then what is singled out, in one transaction.
 */
static void
restore_apply (Restore      *restore,
               EsProjection *projection)
{
  EsWindow *self = restore->self;
  EsSession *session = restore->session;
  g_autofree gsize *rows = NULL;
  g_auto(GStrv) axes = NULL;
  gsize n = 0;

  self->restoring++;
  es_document_begin (self->document);
  g_object_set (self, "method", es_method_to_string (session->method), "three-d", session->three_d, NULL);
  if (session->axes != NULL)
    es_axes_editor_set_axes (self->axes_editor, (const char * const *) session->axes);
  g_object_set (self->axes_editor, "orthogonalize", session->orthogonalize, NULL);
  if (session->method == ES_METHOD_AXES)
    axes = g_strdupv (session->axes);
  self->layout_seed = session->seed;
  _es_window_preprocess_set (self, session->center, session->normalize);
  g_free (self->loaded_metadata);
  self->loaded_metadata = g_strdup (session->metadata_path);
  self->loaded_limit = session->limit;

  _es_window_show_error (self, NULL);
  _es_window_apply_projection (self, restore->set, restore->view, projection, axes);

  g_object_set (self,
                "component-x", session->components[0],
                "component-y", session->components[1],
                "component-z", session->components[2],
                "filter-text", session->filter_text != NULL ? session->filter_text : "",
                "filter-regex", session->filter_regex,
                "top-n", session->top_n,
                NULL);
  select_by_name (self->label_dropdown, self->label_names, session->label_column);
  select_by_name (self->color_dropdown, self->color_names, session->color_column);
  select_by_name (self->category_dropdown, self->category_names, session->category);
  if (session->point_size > 0)
    gtk_adjustment_set_value (self->point_size_adjustment, session->point_size);
  if (session->opacity > 0)
    gtk_adjustment_set_value (self->opacity_adjustment, session->opacity);
  if (session->font_size > 0)
    gtk_adjustment_set_value (self->font_size_adjustment, session->font_size);
  if (session->metric != NULL)
    es_neighbors_panel_set_metric (self->neighbors_panel, session->metric);
  if (session->neighbors_k > 0)
    es_neighbors_panel_set_k (self->neighbors_panel, session->neighbors_k);
  es_scatter_view_set_show_density (self->plot, session->show_density);
  es_analogy_panel_set_expression (self->analogy_panel, session->analogy);
  gtk_widget_activate_action (GTK_WIDGET (self->analogy_panel), "panel.analogy", NULL);

  rows = es_session_lookup_words (session, restore->set, (const char * const *) session->selection,
                                  "selected", &n);
  es_document_select_rows (self->document, rows, n, ES_SELECT_REPLACE);
  if (session->focus != NULL && !es_document_set_focus_word (self->document, session->focus))
    es_session_add_warning (session, _("The focus word “%s” is not shown"), session->focus);
  es_document_end (self->document);
  self->restoring--;

  /* The filters' debounced update would come later and refit the camera. */
  _es_window_plot_update (self);
  g_free (self->layout_note);
  self->layout_note = restore->stored
                      ? g_strdup_printf (_("%s restored from the session (seed %" G_GUINT64_FORMAT ")"),
                                         session->method == ES_METHOD_TSNE ? "t-SNE" : "UMAP",
                                         session->seed)
                      : NULL;

  if (session->clusters >= 2)
    _es_window_start_clusters (self, session->clusters);
  /* A map not stored (or dropped): computed again on the shown words. */
  if (es_method_is_layout (session->method) && !restore->stored)
    _es_window_reproject (self, NULL);
  _es_window_compare_from_session (self, session);

  if (session->warnings->len > 0)
    {
      g_ptr_array_add (session->warnings, NULL);
      {
        g_autofree char *text = g_strjoinv ("\n", (char **) session->warnings->pdata);

        _es_window_show_error (self, text);
      }
      g_ptr_array_remove_index (session->warnings, session->warnings->len - 1);
    }
  /* Open Recent reopens the session (recognised by content). */
  if (session->path != NULL)
    {
      es_settings_add_recent (session->path);
      es_settings_save ();
    }
  _es_window_update_status (self);
  _es_window_actions_update (self);
}

static void
restore_finish (Restore      *restore,
                EsProjection *projection)
{
  EsWindow *self = restore->self;
  CameraWait *wait = g_new0 (CameraWait, 1);

  restore_apply (restore, projection);
  /* The plot's tick callback holds the wait, and the plot goes with the
   * window: a strong reference here would be a cycle that keeps a closed
   * window (and its data) alive until the camera settles, which it never
   * does once the window is unmapped.
   */
  restore->borrowed = TRUE;
  g_object_unref (self);
  wait->restore = restore;
  g_object_set_data (G_OBJECT (self), CAMERA_PENDING, GINT_TO_POINTER (TRUE));
  gtk_widget_add_tick_callback (GTK_WIDGET (self->plot), camera_tick_cb, wait, camera_wait_free);
}

static void
projection_ready_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(Restore) restore = user_data;
  g_autoptr(EsProjection) projection = NULL;
  g_autoptr(GError) error = NULL;
  EsWindow *self = restore->self;

  projection = es_projection_compute_finish (result, &error);
  if (restore->job != self->project_job)
    return;
  _es_window_set_job (self, &self->project_job, NULL);
  if (projection == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _es_window_show_error (self, error->message);
      return;
    }
  restore_finish (g_steal_pointer (&restore), projection);
}

/* The window's own rule for a reduction (es-window-jobs.c), so that a
 * reopened session computes what was on screen.
 */
static void
start_projection (Restore *restore)
{
  EsSession *session = restore->session;
  g_autofree guint *columns = NULL;
  g_autoptr(EsJob) job = es_job_new (_("Reducing"));
  EsProjectionOptions options;

  es_job_update (job, 0.0, _("Computing the session's projection…"));
  _es_window_set_job (restore->self, &restore->self->project_job, job);
  g_set_object (&restore->job, job);

  /* A map not stored is computed after the restore, from a PCA start. */
  _es_window_projection_options (restore->view, session->method, (const char * const *) session->axes,
                                 session->orthogonalize, session->center, session->normalize,
                                 &options, &columns);
  es_projection_compute_async (restore->view, &options, es_job_get_cancellable (job), es_job_progress_cb, job,
                               projection_ready_cb, restore);
}

static void
load_ready_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Restore) restore = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(EsProjection) stored = NULL;
  EsWindow *self = restore->self;

  restore->set = es_loader_load_path_finish (result, &error);
  if (restore->job != self->load_job)
    return;
  _es_window_set_job (self, &self->load_job, NULL);
  if (restore->set == NULL)
    {
      /* The current view stays; the engine's message names file and line. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _es_window_show_error (self, error->message);
      return;
    }

  restore->view = es_session_build_view (restore->session, restore->set);
  stored = es_session_stored_layout (restore->session, restore->view);
  if (stored != NULL)
    {
      /* The map itself: no t-SNE or UMAP runs. */
      restore->stored = TRUE;
      restore_finish (g_steal_pointer (&restore), stored);
      return;
    }
  start_projection (g_steal_pointer (&restore));
}

static void
restore_start (EsWindow  *self,
               EsSession *session)
{
  g_autofree char *base = g_path_get_basename (session->data_path);
  g_autofree char *message = g_strdup_printf (_("Opening the session on %s…"), base);
  g_autoptr(EsJob) job = es_job_new (message);
  Restore *restore = g_new0 (Restore, 1);
  EsLoadOptions options;

  /* Like a new file: every running job is replaced. */
  _es_window_set_job (self, &self->project_job, NULL);
  es_job_update (job, 0.0, message);
  _es_window_set_job (self, &self->load_job, job);

  restore->self = g_object_ref (self);
  restore->job = g_object_ref (job);
  restore->session = session;

  es_load_options_init (&options);
  options.limit = (gsize) session->limit;
  options.metadata_path = session->metadata_path;
  es_loader_load_path_async (session->data_path, &options, es_job_get_cancellable (job),
                             es_job_progress_cb, job, load_ready_cb, restore);
}

/* A file the session names is gone: say which, offer to locate it.  The
 * dialogs hold the window weakly: closing it must not wait for them.
 */
typedef struct
{
  GWeakRef   window;
  EsSession *session;
  gboolean   metadata;   /* the metadata file is the one missing */
} Locate;

static void
locate_free (Locate *locate)
{
  g_weak_ref_clear (&locate->window);
  g_clear_pointer (&locate->session, es_session_free);
  g_free (locate);
}

static void check_and_start (EsWindow *self, EsSession *session);

static void
locate_file_ready_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Locate *locate = user_data;
  g_autoptr(EsWindow) self = g_weak_ref_get (&locate->window);
  g_autoptr(GFile) file = es_dialogs_open_finish (result, NULL);
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

  if (path != NULL && self != NULL)
    {
      char **slot = locate->metadata ? &locate->session->metadata_path : &locate->session->data_path;

      g_free (*slot);
      *slot = g_steal_pointer (&path);
      check_and_start (self, g_steal_pointer (&locate->session));
    }
  locate_free (locate);
}

static void
locate_response_cb (GtkDialog *dialog,
                    int        response,
                    Locate    *locate)
{
  g_autoptr(EsWindow) self = g_weak_ref_get (&locate->window);

  if (response == GTK_RESPONSE_ACCEPT && self != NULL && locate->session != NULL)
    {
      /* The dialog's own copy goes with it (locate_closure_free). */
      Locate *next = g_new0 (Locate, 1);

      g_weak_ref_init (&next->window, self);
      next->session = g_steal_pointer (&locate->session);
      next->metadata = locate->metadata;
      es_dialogs_open_async (GTK_WINDOW (self),
                             next->metadata ? ES_FILE_KIND_METADATA : ES_FILE_KIND_EMBEDDING,
                             self->dialog_cancellable, locate_file_ready_cb, next);
    }
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
locate_closure_free (gpointer  data,
                     GClosure *closure)
{
  locate_free (data);
}

static void
ask_locate (EsWindow     *self,
            EsSession    *session,
            const GError *error)
{
  Locate *locate = g_new0 (Locate, 1);
  GtkWidget *dialog;

  locate->metadata = session->metadata_path != NULL && !g_file_test (session->metadata_path, G_FILE_TEST_EXISTS) &&
                     g_file_test (session->data_path, G_FILE_TEST_EXISTS);
  g_weak_ref_init (&locate->window, self);
  locate->session = session;
  dialog = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                   "%s", _("A file of the session is missing"));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", error->message);
  gtk_dialog_add_buttons (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL,
                          _("_Locate…"), GTK_RESPONSE_ACCEPT, NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_signal_connect_data (dialog, "response", G_CALLBACK (locate_response_cb), locate,
                         locate_closure_free, G_CONNECT_DEFAULT);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
check_and_start (EsWindow  *self,
                 EsSession *session)
{
  g_autoptr(GError) error = NULL;

  if (!es_session_check_files (session, &error))
    {
      if (g_error_matches (error, ES_SESSION_ERROR, ES_SESSION_ERROR_MISSING_FILE))
        {
          _es_window_show_error (self, error->message);
          ask_locate (self, session, error);
          return;
        }
      _es_window_show_error (self, error->message);
      es_session_free (session);
      return;
    }
  restore_start (self, session);
}

void
_es_window_open_session (EsWindow   *self,
                         const char *path)
{
  g_autoptr(GError) error = NULL;
  EsSession *session;

  g_return_if_fail (ES_IS_WINDOW (self));

  /* JSON that does not parse, a newer version: the message says where or
   * why, and the current view stays.
   */
  if ((session = es_session_read (path, &error)) == NULL)
    {
      _es_window_show_error (self, error->message);
      return;
    }
  check_and_start (self, session);
}

static void
open_ready_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(EsWindow) self = user_data;
  g_autoptr(GFile) file = es_dialogs_open_finish (result, NULL);
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

  if (path != NULL)
    _es_window_open_session (self, path);
}

static void
open_session_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  EsWindow *self = ES_WINDOW (widget);

  es_dialogs_open_async (GTK_WINDOW (self), ES_FILE_KIND_SESSION, self->dialog_cancellable,
                         open_ready_cb, g_object_ref (self));
}

static void
open_session_path_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  _es_window_open_session (ES_WINDOW (widget), g_variant_get_string (param, NULL));
}

void
_es_window_session_actions_update (EsWindow *self)
{
  gboolean has_view = es_document_get_projection (self->document) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-session", has_view);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-session-to", has_view);
}

void
_es_window_class_session_init (GtkWidgetClass *widget_class)
{
  _es_window_class_session_save_init (widget_class);
  gtk_widget_class_install_action (widget_class, "win.open-session", NULL, open_session_action);
  gtk_widget_class_install_action (widget_class, "win.open-session-path", "s", open_session_path_action);
}
