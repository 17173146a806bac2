/* es-window-vectors.c: Save Vectors As… in a job
 *
 * Writing 400k × 300 as text takes seconds: the set (immutable, shared by
 * reference) is written in a worker with progress and Cancel like the
 * other long jobs, and the view stays usable.  The writer goes through
 * es_output, so a cancelled or failed write leaves no file under the
 * chosen name (and an existing one as it was).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-window"

#include "config.h"

#include <glib/gi18n.h>

#include "es-window-private.h"

#include "es-dialogs.h"
#include "es-embedding-writer.h"
#include "es-worker.h"

void (*_es_window_save_vectors_hook) (GCancellable *cancellable) = NULL;

typedef struct
{
  EsWindow       *self;
  EsJob          *job;
  EsEmbeddingSet *set;
  char           *path;
  char           *words_path;   /* .npy: the words beside it */
  EsFormat        format;
} SaveRequest;

static void
save_request_free (SaveRequest *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->job);
  g_clear_pointer (&request->set, es_embedding_set_unref);
  g_free (request->path);
  g_free (request->words_path);
  g_free (request);
}

static void
save_thread_cb (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  SaveRequest *request = task_data;
  g_autoptr(GError) error = NULL;

  es_worker_enter ();
  if (_es_window_save_vectors_hook != NULL)
    _es_window_save_vectors_hook (cancellable);
  if (es_embedding_writer_write (request->set, request->path, request->format, request->words_path,
                                 cancellable, es_job_progress_cb, request->job, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
save_ready_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  SaveRequest *request = g_task_get_task_data (G_TASK (result));
  EsWindow *self = request->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *note = NULL;

  gboolean written = g_task_propagate_boolean (G_TASK (result), &error);

  /* A newer save replaced this one, or the window closed: it was
   * cancelled (or wrote just before), and the window has nothing to say.
   */
  if (request->job != self->save_job)
    return;
  _es_window_set_job (self, &self->save_job, NULL);
  if (!written)
    {
      /* Cancelled: nothing was written, and nothing to say. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _es_window_show_error (self, error->message);
      return;
    }
  name = g_filename_display_basename (request->path);
  note = g_strdup_printf (_("Saved %s"), name);
  _es_window_show_feedback (self, note);
}

/* Writes the document's whole set to @path (its format from the name) in
 * a job; FALSE with the error when there is nothing to save.
 */
gboolean
_es_window_save_vectors (EsWindow    *self,
                         const char  *path,
                         GError     **error)
{
  EsEmbeddingSet *set = es_document_get_set (self->document);
  g_autoptr(GTask) task = NULL;
  g_autoptr(EsJob) job = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;
  SaveRequest *request;

  if (set == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Nothing to save"));
      return FALSE;
    }
  /* Words the format cannot hold are the worker's error, shown like any. */
  request = g_new0 (SaveRequest, 1);
  request->format = es_embedding_format_for_path (path);
  request->self = g_object_ref (self);
  request->set = es_embedding_set_ref (set);
  request->path = g_strdup (path);
  if (request->format == ES_FORMAT_NPY)
    request->words_path = es_embedding_writer_words_path (path);

  name = g_filename_display_basename (path);
  message = g_strdup_printf (_("Saving %s…"), name);
  job = es_job_new (message);
  es_job_update (job, 0.0, message);
  request->job = g_object_ref (job);
  _es_window_set_job (self, &self->save_job, job);

  task = g_task_new (NULL, es_job_get_cancellable (job), save_ready_cb, NULL);
  g_task_set_source_tag (task, _es_window_save_vectors);
  g_task_set_task_data (task, request, (GDestroyNotify) save_request_free);
  g_task_run_in_thread (task, save_thread_cb);
  return TRUE;
}

static void
save_vectors_ready_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(EsWindow) self = user_data;
  g_autoptr(GFile) file = es_dialogs_save_finish (result, NULL);
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
  g_autoptr(GError) error = NULL;

  if (path != NULL && !_es_window_save_vectors (self, path, &error))
    _es_window_show_error (self, error->message);
}

/* "lee.txt — LSA 100d" → "lee-lsa-100d.txt" */
static char *
suggested_name (const char *title)
{
  g_autoptr(GString) s = g_string_new (NULL);

  if (title == NULL)
    return g_strdup ("vectors.txt");
  for (const char *p = title; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        g_string_append_unichar (s, g_unichar_tolower (c));
      else if (s->len > 0 && s->str[s->len - 1] != '-')
        g_string_append_c (s, '-');
    }
  g_string_append (s, ".txt");
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
save_vectors_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  EsWindow *self = ES_WINDOW (widget);
  g_autofree char *name = NULL;

  if (es_document_get_set (self->document) == NULL)
    return;
  name = suggested_name (es_document_get_title (self->document));
  es_dialogs_save_async (GTK_WINDOW (self), ES_FILE_KIND_VECTORS, name, self->dialog_cancellable,
                         save_vectors_ready_cb, g_object_ref (self));
}

static void
save_vectors_to_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  EsWindow *self = ES_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!_es_window_save_vectors (self, g_variant_get_string (param, NULL), &error))
    _es_window_show_error (self, error->message);
}

void
_es_window_class_vectors_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.save-vectors", NULL, save_vectors_action);
  gtk_widget_class_install_action (widget_class, "win.save-vectors-to", "s", save_vectors_to_action);
}
