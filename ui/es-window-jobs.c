/* es-window-jobs.c: loading and reducing in workers, one job per consumer,
 * and swapping the results in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-window"

#include "config.h"

#include <glib/gi18n.h>

#include "es-window-private.h"

#include "es-loader.h"
#include "es-settings.h"
#include "es-worker.h"

#define MAX_COMPONENTS 10
#define MAX_IDENTITY_COLUMNS 64

typedef struct
{
  gpointer       data;
  GDestroyNotify destroy;
} Release;

static void
release_thread_cb (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  Release *release = task_data;

  es_worker_enter ();
  release->destroy (g_steal_pointer (&release->data));
}

/* Dropping the last reference to a 400k x 300 set frees half a gigabyte
 * (tens of milliseconds of munmap and hash-table teardown): not in the
 * main thread, where it would be a dropped frame.
 */
void
_es_window_release_later (gpointer       data,
                          GDestroyNotify destroy)
{
  g_autoptr(GTask) task = NULL;
  Release *release;

  if (data == NULL)
    return;

  release = g_new0 (Release, 1);
  release->data = data;
  release->destroy = destroy;
  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_source_tag (task, _es_window_release_later);
  g_task_set_task_data (task, release, g_free);
  g_task_run_in_thread (task, release_thread_cb);
}

/* One request in flight: whose job, for which file. */
typedef struct
{
  EsWindow       *self;
  EsJob          *job;
  EsEmbeddingSet *set;       /* the loaded set, waiting for its reduction */
  char           *path;
  char          **axes;
  gboolean        replaces_set;
} Request;

static void
request_free (Request *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->job);
  g_clear_pointer (&request->set, es_embedding_set_unref);
  g_clear_pointer (&request->path, g_free);
  g_clear_pointer (&request->axes, g_strfreev);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static void
update_progress (EsWindow *self)
{
  /* A save was asked for last: its progress first. */
  EsJob *job = self->save_job != NULL ? self->save_job :
               self->load_job != NULL ? self->load_job :
               self->project_job != NULL ? self->project_job : self->cluster_job;

  /* The bindings carry fraction and message from whichever job runs. */
  g_binding_group_set_source (self->job_bindings, job);
  gtk_revealer_set_reveal_child (self->progress_revealer, job != NULL);
}

void
_es_window_set_job (EsWindow  *self,
                    EsJob    **slot,
                    EsJob     *job)
{
  if (*slot == job)
    return;

  if (*slot != NULL)
    {
      es_job_cancel (*slot);
      g_clear_object (slot);
    }
  if (job != NULL)
    *slot = g_object_ref (job);

  update_progress (self);
  g_object_notify (G_OBJECT (self), "busy");
  _es_window_actions_update (self);
}

/* Swaps in a new view and its reduction together, so the plot never shows
 * a set with another set's coordinates.
 */
void
_es_window_apply_projection (EsWindow       *self,
                             EsEmbeddingSet *set,
                             EsEmbeddingSet *view_set,
                             EsProjection   *projection,
                             char          **axes)
{
  EsEmbeddingSet *old_set = es_document_get_set (self->document);
  EsEmbeddingSet *old_view = es_document_get_view_set (self->document);
  EsProjection *old_projection = es_document_get_projection (self->document);
  gboolean new_set = set != old_set;
  gboolean new_view = view_set != old_view;

  /* The old data is freed in a worker (a big set takes a while): hold it
   * until the document has let go.
   */
  if (old_set != NULL && new_set)
    _es_window_release_later (es_embedding_set_ref (old_set), (GDestroyNotify) es_embedding_set_unref);
  if (old_view != NULL && new_view)
    _es_window_release_later (es_embedding_set_ref (old_view), (GDestroyNotify) es_embedding_set_unref);
  if (old_projection != NULL && old_projection != projection)
    _es_window_release_later (es_projection_ref (old_projection), (GDestroyNotify) es_projection_unref);

  /* One transaction: the document switches the file, the view and the
   * projection at once (and maps focus and selection to them by word)
   * before any panel hears of it; the marks are computed once at the end.
   * A panel signal in between used to map rows of the new file through the
   * old view (issue 11's crash).
   */
  self->switching++;
  es_document_begin (self->document);
  es_document_set_data (self->document, set, view_set, projection);
  if (new_set)
    {
      es_word_search_set_embedding_set (self->search, set);
      es_neighbors_panel_set_embedding_set (self->neighbors_panel, set);
      es_analogy_panel_set_embedding_set (self->analogy_panel, set);
      _es_window_update_warnings (self);
      _es_window_update_metadata_choices (self);
      _es_window_corpus_set_changed (self, set);
    }
  if (axes != self->projection_axes)
    {
      g_clear_pointer (&self->projection_axes, g_strfreev);
      self->projection_axes = g_strdupv (axes);
    }

  _es_window_update_components (self);
  if (new_set || new_view)
    _es_window_update_category_choices (self);
  _es_window_plot_update (self);
  es_document_end (self->document);
  self->switching--;

  _es_window_plot_update_marks (self);
  _es_window_update_status (self);
  _es_window_actions_update (self);
  /* What is shown now is a step of history (once: the same view again is none). */
  _es_window_record_view (self);
}

/* The rule for a reduction's options, the window's and a reopened
 * session's alike, so that a session computes what was on screen.
 * @method a layout: its PCA start (a map of fewer than 5 points is no map:
 * PCA shows them).  @columns gets what options->columns points to.
 */
void
_es_window_projection_options (EsEmbeddingSet      *set,
                               EsMethod             method,
                               const char * const  *axes,
                               gboolean             orthogonalize,
                               gboolean             center,
                               gboolean             normalize,
                               EsProjectionOptions *options,
                               guint              **columns)
{
  gsize dims = es_embedding_set_get_dims (set);

  es_projection_options_init (options);
  options->method = es_method_is_layout (method) ? ES_METHOD_PCA : method;
  /* An isolated handful of words has fewer components than dimensions. */
  options->n_components = (guint) MIN (MIN ((gsize) MAX_COMPONENTS, dims),
                                       MAX (es_embedding_set_get_n_valid (set), 2) - 1);
  options->n_components = MAX (options->n_components, 1);
  options->center = center;
  options->normalize = normalize;

  if (options->method == ES_METHOD_AXES)
    {
      options->axes = axes;
      options->orthogonalize = orthogonalize;
    }
  else if (options->method == ES_METHOD_IDENTITY)
    {
      guint n = (guint) MIN ((gsize) MAX_IDENTITY_COLUMNS, dims);

      *columns = g_new (guint, n);
      for (guint i = 0; i < n; i++)
        (*columns)[i] = i;
      options->columns = *columns;
      options->n_columns = n;
    }
}

static void
fill_projection_options (EsWindow            *self,
                         EsEmbeddingSet      *set,
                         EsProjectionOptions *options,
                         char              ***axes,
                         guint              **columns)
{
  EsMethod method = ES_METHOD_PCA;

  es_method_from_string (self->method, &method);
  if (method == ES_METHOD_AXES)
    *axes = es_axes_editor_dup_axes (self->axes_editor);
  _es_window_projection_options (set, method, (const char * const *) *axes,
                                 es_axes_editor_get_orthogonalize (self->axes_editor),
                                 self->preprocess_center, self->preprocess_normalize, options, columns);
}

/* The end of any reduction job (a projection or a layout): applies the
 * result, or shows the error, unless a newer job replaced @job.
 */
void
_es_window_finish_projection (EsWindow       *self,
                              EsJob          *job,
                              EsEmbeddingSet *set,
                              gboolean        replaces_set,
                              EsProjection   *projection,
                              char          **axes,
                              const GError   *error)
{
  EsMethod method = ES_METHOD_PCA;

  /* A newer request replaced this one: drop it silently. */
  if (job != self->project_job)
    return;
  _es_window_set_job (self, &self->project_job, NULL);
  if (replaces_set)
    {
      g_clear_pointer (&self->pending_set, es_embedding_set_unref);
      g_clear_pointer (&self->pending_path, g_free);
    }

  es_method_from_string (self->method, &method);
  if (method == ES_METHOD_AXES)
    es_axes_editor_set_error (self->axes_editor, NULL);

  if (projection == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Once: under the expressions when the side panel shows them,
       * else in the window's banner.
       */
      if (method == ES_METHOD_AXES && self->show_sidebar)
        es_axes_editor_set_error (self->axes_editor, error->message);
      else
        _es_window_show_error (self, error->message);
      return;
    }
  /* Fixed axes take their banner message (sidebar hidden) away too. */
  if (method == ES_METHOD_AXES && !replaces_set && self->error != NULL)
    _es_window_show_error (self, NULL);

  if (replaces_set)
    {
      _es_window_show_error (self, NULL);
      _es_window_apply_projection (self, set, set, projection, axes);
    }
  else
    _es_window_apply_projection (self, es_document_get_set (self->document), set, projection, axes);
}

static void
projection_ready_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(EsProjection) projection = NULL;
  g_autoptr(GError) error = NULL;

  projection = es_projection_compute_finish (result, &error);
  _es_window_finish_projection (request->self, request->job, request->set, request->replaces_set,
                                projection, request->axes, error);
}

static void
start_projection (EsWindow       *self,
                  EsEmbeddingSet *view_set,
                  gboolean        replaces_set,
                  const char     *path)
{
  g_autoptr(EsJob) job = NULL;
  g_auto(GStrv) axes = NULL;
  g_autofree guint *columns = NULL;
  EsProjectionOptions options;
  Request *request;

  /* A method change during the first reduction of a new file must not
   * fall back to the old file: remember which set is on its way.
   */
  if (replaces_set && view_set != self->pending_set)
    {
      g_autoptr(EsEmbeddingSet) keep = es_embedding_set_ref (view_set);
      g_autofree char *keep_path = g_strdup (path);

      g_clear_pointer (&self->pending_set, es_embedding_set_unref);
      g_free (self->pending_path);
      self->pending_set = g_steal_pointer (&keep);
      self->pending_path = g_steal_pointer (&keep_path);
    }

  /* Identity was the NMF topics' view: another file gets what a new file
   * gets (a session sets its own method, which clears the mark).
   */
  if (replaces_set && self->method_from_topics && !_es_window_is_topics_set (self, view_set))
    {
      self->restoring++;
      g_object_set (self, "method", "pca", NULL);
      self->restoring--;
    }

  job = es_job_new (_("Reducing"));
  {
    g_autofree char *message = g_strdup_printf (_("Computing the %s projection…"),
                                                gtk_menu_button_get_label (self->method_button));

    es_job_update (job, 0.0, message);
  }
  _es_window_set_job (self, &self->project_job, job);

  /* t-SNE and UMAP: their own engines, animated (es-window-layout.c). */
  {
    EsMethod method = ES_METHOD_PCA;

    es_method_from_string (self->method, &method);
    if (es_method_is_layout (method) &&
        _es_window_start_layout (self, job, view_set, replaces_set, method))
      return;
  }

  fill_projection_options (self, view_set, &options, &axes, &columns);

  request = g_new0 (Request, 1);
  request->self = g_object_ref (self);
  request->job = g_object_ref (job);
  request->set = es_embedding_set_ref (view_set);
  request->path = g_strdup (path);
  request->replaces_set = replaces_set;
  request->axes = g_strdupv (axes);

  es_projection_compute_async (view_set, &options, es_job_get_cancellable (job),
                               es_job_progress_cb, job,
                               projection_ready_cb, request);
}

void
_es_window_reproject (EsWindow       *self,
                      EsEmbeddingSet *view_set)
{
  g_return_if_fail (ES_IS_WINDOW (self));

  /* A session being put in place brings its own projection. */
  if (self->restoring > 0)
    return;

  if (view_set == NULL && self->pending_set != NULL && self->project_job != NULL)
    {
      g_autoptr(EsEmbeddingSet) pending = es_embedding_set_ref (self->pending_set);
      g_autofree char *path = g_strdup (self->pending_path);

      start_projection (self, pending, TRUE, path);
      return;
    }

  if (view_set == NULL)
    view_set = es_document_get_view_set (self->document);
  if (view_set == NULL)
    return;

  start_projection (self, view_set, FALSE, NULL);
}

static void
load_ready_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  EsWindow *self = request->self;
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(GError) error = NULL;

  set = es_loader_load_path_finish (result, &error);

  if (request->job != self->load_job)
    return;
  _es_window_set_job (self, &self->load_job, NULL);

  if (set == NULL)
    {
      /* The current dataset stays; the engine's message names file and line. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _es_window_show_error (self, error->message);
      return;
    }

  self->loaded_limit = self->pending_limit;
  g_free (self->loaded_metadata);
  self->loaded_metadata = g_steal_pointer (&self->pending_metadata);
  es_settings_add_recent (request->path);
  es_settings_save ();
  {
    g_autoptr(GFile) file = g_file_new_for_path (request->path);
    g_autofree char *uri = g_file_get_uri (file);

    /* The recent manager writes into the data dir, which may not exist yet. */
    g_mkdir_with_parents (g_get_user_data_dir (), 0700);
    {
      GtkRecentData data = { 0 };

      data.display_name = NULL;
      data.mime_type = (char *) "text/plain";
      data.app_name = (char *) "Embedscope";
      data.app_exec = (char *) "embedscope %f";
      gtk_recent_manager_add_full (gtk_recent_manager_get_default (), uri, &data);
    }
  }
  _es_window_actions_update (self);

  start_projection (self, set, TRUE, request->path);
}

void
_es_window_reduce_new_set (EsWindow       *self,
                           EsEmbeddingSet *set)
{
  g_return_if_fail (ES_IS_WINDOW (self));

  start_projection (self, set, TRUE, NULL);
}

void
_es_window_load_path (EsWindow   *self,
                      const char *path,
                      guint64     limit,
                      const char *metadata_path)
{
  _es_window_load_path_shaped (self, path, limit, metadata_path, 0, 0);
}

void
_es_window_load_path_shaped (EsWindow   *self,
                             const char *path,
                             guint64     limit,
                             const char *metadata_path,
                             guint64     shape_rows,
                             guint64     shape_dims)
{
  g_autoptr(EsJob) job = NULL;
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *message = g_strdup_printf (_("Loading %s…"), base);
  EsLoadOptions options;
  Request *request;

  g_return_if_fail (ES_IS_WINDOW (self));
  g_return_if_fail (path != NULL);

  /* A new file replaces every running job. */
  _es_window_set_job (self, &self->project_job, NULL);
  g_clear_pointer (&self->pending_set, es_embedding_set_unref);
  g_clear_pointer (&self->pending_path, g_free);
  job = es_job_new (message);
  es_job_update (job, 0.0, message);
  _es_window_set_job (self, &self->load_job, job);

  es_load_options_init (&options);
  options.limit = (gsize) limit;
  options.metadata_path = metadata_path;
  self->pending_limit = limit;
  g_free (self->pending_metadata);
  self->pending_metadata = metadata_path != NULL ? g_canonicalize_filename (metadata_path, NULL) : NULL;
  options.shape_rows = (gsize) shape_rows;
  options.shape_dims = (gsize) shape_dims;

  request = g_new0 (Request, 1);
  request->self = g_object_ref (self);
  request->job = g_object_ref (job);
  request->path = g_strdup (path);

  es_loader_load_path_async (path, &options, es_job_get_cancellable (job),
                             es_job_progress_cb, job, load_ready_cb, request);
}
