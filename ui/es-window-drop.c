/* es-window-drop.c: files dropped on the window
 *
 * Two files are a tensors + metadata pair when the engine says so
 * (es_loader_find_metadata ()); it reads both files, so it runs in a
 * worker.  This file only hands the files on.  Ctrl+drop compares
 * (es-window-compare.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-window"

#include "config.h"

#include <glib/gi18n.h>

#include "es-window-private.h"

#include "es-loader.h"
#include "es-worker.h"

typedef struct
{
  EsWindow *self;
  EsJob    *job;
  GFile    *files[2];
} PairRequest;

static void
pair_request_free (PairRequest *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->job);
  g_clear_object (&request->files[0]);
  g_clear_object (&request->files[1]);
  g_free (request);
}

static void
pair_thread_cb (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PairRequest *request = task_data;
  g_autofree char *a = g_file_get_path (request->files[0]);
  g_autofree char *b = g_file_get_path (request->files[1]);

  es_worker_enter ();
  g_task_return_int (task, a != NULL && b != NULL ? es_loader_find_metadata (a, b, cancellable) : -1);
}

static void
pair_ready_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  PairRequest *request = g_task_get_task_data (G_TASK (result));
  EsWindow *self = request->self;
  int m = (int) g_task_propagate_int (G_TASK (result), NULL);

  /* Something else was opened meanwhile. */
  if (request->job != self->load_job)
    return;

  if (m >= 0)
    {
      g_autofree char *path = g_file_get_path (request->files[1 - m]);
      g_autofree char *metadata = g_file_get_path (request->files[m]);

      if (path != NULL && metadata != NULL)
        {
          _es_window_load_path (self, path, 0, metadata);
          return;
        }
    }

  _es_window_set_job (self, &self->load_job, NULL);
  es_window_open (self, request->files[0]);
}

/* A file manager offers a file list (text/uri-list); other sources a single
 * file.  The modifiers are those of the drop itself.
 */
gboolean
_es_window_drop_cb (GtkDropTarget *target,
                    const GValue  *value,
                    double         x,
                    double         y,
                    EsWindow      *self)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST) && g_value_get_boxed (value) != NULL)
    {
      GSList *list = gdk_file_list_get_files (g_value_get_boxed (value));

      for (GSList *l = list; l != NULL; l = l->next)
        g_ptr_array_add (files, g_object_ref (l->data));
      g_slist_free (list);
    }
  else if (G_VALUE_HOLDS (value, G_TYPE_FILE) && g_value_get_object (value) != NULL)
    g_ptr_array_add (files, g_object_ref (g_value_get_object (value)));

  return _es_window_drop_files (self, files,
                                gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (target)));
}

/* Ctrl: compare instead of replacing.  One file is compared with what the
 * window shows (or just opened when it shows nothing); two files with
 * each other.
 */
static gboolean
drop_compare (EsWindow  *self,
              GPtrArray *files)
{
  g_autofree char *a = NULL, *b = NULL;

  if (files->len == 1 && es_document_get_set (self->document) != NULL)
    {
      b = g_file_get_path (g_ptr_array_index (files, 0));
      return b != NULL && _es_window_compare_with_path (self, NULL, b) != NULL;
    }
  if (files->len != 2)
    return FALSE;
  a = g_file_get_path (g_ptr_array_index (files, 0));
  b = g_file_get_path (g_ptr_array_index (files, 1));
  return a != NULL && b != NULL && _es_window_compare_with_path (self, a, b) != NULL;
}

gboolean
_es_window_drop_files (EsWindow       *self,
                       GPtrArray      *files,
                       GdkModifierType state)
{
  if (files->len == 0)
    return FALSE;

  if ((state & GDK_CONTROL_MASK) != 0 && drop_compare (self, files))
    return TRUE;

  if (files->len == 2)
    {
      g_autoptr(EsJob) job = es_job_new (_("Opening"));
      g_autoptr(GTask) task = NULL;
      PairRequest *request = g_new0 (PairRequest, 1);

      /* Busy (and cancellable) from the drop on, like any load. */
      es_job_update (job, 0.0, _("Reading the dropped files…"));
      _es_window_set_job (self, &self->project_job, NULL);
      _es_window_set_job (self, &self->load_job, job);

      request->self = g_object_ref (self);
      request->job = g_object_ref (job);
      request->files[0] = g_object_ref (g_ptr_array_index (files, 0));
      request->files[1] = g_object_ref (g_ptr_array_index (files, 1));
      task = g_task_new (NULL, es_job_get_cancellable (job), pair_ready_cb, NULL);
      g_task_set_source_tag (task, _es_window_drop_files);
      g_task_set_task_data (task, request, (GDestroyNotify) pair_request_free);
      g_task_run_in_thread (task, pair_thread_cb);
      return TRUE;
    }

  es_window_open (self, g_ptr_array_index (files, 0));

  return TRUE;
}
