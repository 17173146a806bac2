/* es-window-corpus.c: Open Corpus…, a .mtx and NMF topics
 *
 * A corpus (or a Matrix Market file) becomes LSA vectors in a job through
 * the engine's pipeline (es-corpus-vectors.h, the CLI's `lsa`); the set
 * opens like a file and the document keeps the weighted matrix beside it,
 * so NMF can run on it.  NMF topics replace the set by W (words in
 * component coordinates, shown by the Identity method) and fill the topics
 * panel; a click on a topic colours the words by its weight.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-window"

#include "config.h"

#include <glib/gi18n.h>

#include "es-window-private.h"

#include "es-corpus-dialog.h"
#include "es-corpus-topics.h"
#include "es-corpus-vectors.h"
#include "es-dialogs.h"
#include "es-matrix-market.h"
#include "es-topics-panel.h"
#include "es-worker.h"

#define TOP_WORDS 10

struct _EsWindowCorpus
{
  EsCorpusVectors *pending;        /* computed; its first reduction is running */
  EsCorpusTopics  *topics;         /* NMF of the shown (or pending) topics set */
  EsCorpusVectors *topics_corpus;  /* ... and the matrix it factorised */
  gboolean         nonnegative;    /* the document's matrix can take NMF */
  EsTopicsPanel   *panel;
};

/* ---- the corpus job ---- */

typedef struct
{
  EsWindow        *self;
  EsJob           *job;
  char            *path;
  char            *name;
  gboolean         is_matrix;
  EsCorpusOptions  options;
} CorpusRequest;

static void
corpus_request_free (CorpusRequest *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->job);
  g_free (request->path);
  g_free (request->name);
  g_free (request);
}

static void
corpus_progress_cb (EsCorpusStage stage,
                    double        fraction,
                    gpointer      user_data)
{
  CorpusRequest *request = user_data;
  g_autofree char *message = NULL;

  switch (stage)
    {
    case ES_CORPUS_STAGE_COUNTING:
      message = g_strdup_printf (request->is_matrix ? _("Reading %s…") : _("Counting words in %s…"), request->name);
      break;
    case ES_CORPUS_STAGE_WEIGHTING:
      message = g_strdup (_("Weighting the counts…"));
      break;
    case ES_CORPUS_STAGE_SVD:
      message = g_strdup_printf (_("Truncated SVD (%u dimensions)…"), request->options.svd.dims);
      break;
    case ES_CORPUS_STAGE_NMF:
    default:
      message = g_strdup (_("Factorising…"));
      break;
    }
  es_job_update (request->job, fraction, message);
}

static void
corpus_thread_cb (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  CorpusRequest *request = task_data;
  g_autoptr(GError) error = NULL;
  EsCorpusVectors *result;

  es_worker_enter ();
  if (request->is_matrix)
    result = es_corpus_vectors_from_matrix (request->path, &request->options, NULL, cancellable,
                                            corpus_progress_cb, request, &error);
  else
    result = es_corpus_vectors_from_text (request->path, &request->options, NULL, cancellable,
                                          corpus_progress_cb, request, &error);
  if (result == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, result, (GDestroyNotify) es_corpus_vectors_unref);
}

static void
corpus_ready_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CorpusRequest *request = g_task_get_task_data (G_TASK (result));
  EsWindow *self = request->self;
  g_autoptr(EsCorpusVectors) corpus = NULL;
  g_autoptr(GError) error = NULL;

  corpus = g_task_propagate_pointer (G_TASK (result), &error);
  /* A newer file or corpus replaced this one. */
  if (request->job != self->load_job)
    return;
  _es_window_set_job (self, &self->load_job, NULL);
  if (corpus == NULL)
    {
      /* The current view stays; cancelling says nothing. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _es_window_show_error (self, error->message);
      return;
    }
  _es_window_show_error (self, NULL);
  g_clear_pointer (&self->corpus->pending, es_corpus_vectors_unref);
  self->corpus->pending = es_corpus_vectors_ref (corpus);
  _es_window_reduce_new_set (self, es_corpus_vectors_get_set (corpus));
}

/* Counts (or reads) @path and computes its vectors as the options say. */
void
_es_window_compute_corpus (EsWindow              *self,
                           const char            *path,
                           gboolean               is_matrix,
                           const EsCorpusOptions *options)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(EsJob) job = NULL;
  CorpusRequest *request;
  g_autofree char *message = NULL;

  request = g_new0 (CorpusRequest, 1);
  request->self = g_object_ref (self);
  request->path = g_strdup (path);
  request->name = g_filename_display_basename (path);
  request->is_matrix = is_matrix;
  request->options = *options;
  /* The dialog has no labels fields: M.rows.tsv beside the file, if any. */
  request->options.matrix.row_labels = NULL;
  request->options.matrix.col_labels = NULL;

  message = g_strdup_printf (is_matrix ? _("Reading %s…") : _("Counting words in %s…"), request->name);
  job = es_job_new (message);
  es_job_update (job, 0.0, message);
  request->job = g_object_ref (job);
  /* Like a new file: it replaces the running load and reduction. */
  _es_window_set_job (self, &self->project_job, NULL);
  _es_window_set_job (self, &self->load_job, job);

  task = g_task_new (NULL, es_job_get_cancellable (job), corpus_ready_cb, NULL);
  g_task_set_source_tag (task, _es_window_compute_corpus);
  g_task_set_task_data (task, request, (GDestroyNotify) corpus_request_free);
  g_task_run_in_thread (task, corpus_thread_cb);
}

/* ---- asking how ---- */

typedef struct
{
  GWeakRef  self;
  char     *path;
  gboolean  is_matrix;
} AskRequest;

static void
ask_request_free (AskRequest *request)
{
  g_weak_ref_clear (&request->self);
  g_free (request->path);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AskRequest, ask_request_free)

static void
ask_ready_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AskRequest) request = user_data;
  g_autoptr(EsWindow) self = g_weak_ref_get (&request->self);
  EsCorpusOptions options;

  if (es_corpus_dialog_ask_finish (result, &options, NULL) && self != NULL)
    _es_window_compute_corpus (self, request->path, request->is_matrix, &options);
}

/* Opens @path as a corpus (a Matrix Market file as a matrix): the dialog,
 * then the job.  A plain text is a corpus only because the user said so.
 */
void
_es_window_open_corpus_path (EsWindow   *self,
                             const char *path,
                             gboolean    is_matrix)
{
  AskRequest *request;
  g_autofree char *name = g_filename_display_basename (path);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *message = g_strdup_printf (_("%s: no such file"), path);

      _es_window_show_error (self, message);
      return;
    }
  request = g_new0 (AskRequest, 1);
  g_weak_ref_init (&request->self, self);
  request->path = g_strdup (path);
  request->is_matrix = is_matrix || es_matrix_market_sniff (path);
  es_corpus_dialog_ask_async (GTK_WINDOW (self), name, request->is_matrix, self->dialog_cancellable,
                              ask_ready_cb, request);
}

static void
open_corpus_ready_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(EsWindow) self = user_data;
  g_autoptr(GFile) file = es_dialogs_open_finish (result, NULL);
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

  if (path != NULL)
    _es_window_open_corpus_path (self, path, FALSE);
}

static void
open_corpus_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  EsWindow *self = ES_WINDOW (widget);

  es_dialogs_open_async (GTK_WINDOW (self), ES_FILE_KIND_CORPUS, self->dialog_cancellable,
                         open_corpus_ready_cb, g_object_ref (self));
}

static void
open_corpus_path_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  _es_window_open_corpus_path (ES_WINDOW (widget), g_variant_get_string (param, NULL), FALSE);
}

/* ---- NMF ---- */

typedef struct
{
  EsWindow        *self;
  EsJob           *job;
  EsCorpusVectors *corpus;
  EsNmfOptions     options;
  char            *title;
} NmfRequest;

static void
nmf_request_free (NmfRequest *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->job);
  g_clear_pointer (&request->corpus, es_corpus_vectors_unref);
  g_free (request->title);
  g_free (request);
}

static void
nmf_thread_cb (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  NmfRequest *request = task_data;
  g_autoptr(GError) error = NULL;
  EsCorpusTopics *topics;

  es_worker_enter ();
  topics = es_corpus_topics_compute (es_corpus_vectors_get_matrix (request->corpus), &request->options, TOP_WORDS,
                                     request->title, cancellable, es_job_progress_cb, request->job, &error);
  if (topics == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, topics, (GDestroyNotify) es_corpus_topics_free);
}

static void
nmf_ready_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  NmfRequest *request = g_task_get_task_data (G_TASK (result));
  EsWindow *self = request->self;
  g_autoptr(EsCorpusTopics) topics = NULL;
  g_autoptr(GError) error = NULL;

  topics = g_task_propagate_pointer (G_TASK (result), &error);
  if (request->job != self->load_job)
    return;
  _es_window_set_job (self, &self->load_job, NULL);
  if (topics == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _es_window_show_error (self, error->message);
      return;
    }
  _es_window_show_error (self, NULL);
  g_clear_pointer (&self->corpus->topics, es_corpus_topics_free);
  g_clear_pointer (&self->corpus->topics_corpus, es_corpus_vectors_unref);
  self->corpus->topics = g_steal_pointer (&topics);
  self->corpus->topics_corpus = es_corpus_vectors_ref (request->corpus);
  /* The words in component coordinates: X and Y are two topics.  Set
   * before the reduction (held back meanwhile) so that it runs once, and
   * marked as the topics' so that the next file gets PCA again.
   */
  self->restoring++;
  g_object_set (self, "method", "identity", NULL);
  self->restoring--;
  self->method_from_topics = TRUE;
  _es_window_reduce_new_set (self, es_corpus_topics_get_set (self->corpus->topics));
}

gboolean
_es_window_is_topics_set (EsWindow       *self,
                          EsEmbeddingSet *set)
{
  return self->corpus != NULL && self->corpus->topics != NULL &&
         es_corpus_topics_get_set (self->corpus->topics) == set;
}

/* NMF with @k components of the document's matrix, in a job. */
void
_es_window_compute_topics (EsWindow *self,
                           guint     k)
{
  EsCorpusVectors *corpus = es_document_get_corpus (self->document);
  g_autoptr(GTask) task = NULL;
  g_autoptr(EsJob) job = NULL;
  NmfRequest *request;
  g_autofree char *message = NULL;

  if (corpus == NULL || !self->corpus->nonnegative)
    return;
  request = g_new0 (NmfRequest, 1);
  request->self = g_object_ref (self);
  request->corpus = es_corpus_vectors_ref (corpus);
  es_nmf_options_init (&request->options);
  request->options.components = MAX (k, 1);
  /* The topics set's title names the corpus, not its LSA. */
  request->title = g_filename_display_basename (es_corpus_vectors_get_path (corpus));

  message = g_strdup_printf (_("NMF: %u topics…"), request->options.components);
  job = es_job_new (message);
  es_job_update (job, 0.0, message);
  request->job = g_object_ref (job);
  _es_window_set_job (self, &self->project_job, NULL);
  _es_window_set_job (self, &self->load_job, job);

  task = g_task_new (NULL, es_job_get_cancellable (job), nmf_ready_cb, NULL);
  g_task_set_source_tag (task, _es_window_compute_topics);
  g_task_set_task_data (task, request, (GDestroyNotify) nmf_request_free);
  g_task_run_in_thread (task, nmf_thread_cb);
}

static void
ask_topics_ready_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(EsWindow) self = user_data;
  guint64 k = 0;

  if (es_dialogs_ask_number_finish (result, &k, NULL))
    _es_window_compute_topics (self, (guint) k);
}

static void
nmf_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  EsWindow *self = ES_WINDOW (widget);
  EsCorpusVectors *corpus = es_document_get_corpus (self->document);
  EsSparseMatrix *m;
  guint64 most;

  if (corpus == NULL || !self->corpus->nonnegative)
    return;
  m = es_corpus_vectors_get_matrix (corpus);
  most = MIN (MIN (es_sparse_matrix_get_rows (m), es_sparse_matrix_get_cols (m)), 200);
  es_dialogs_ask_number_async (GTK_WINDOW (self), _("NMF Topics"),
                               _("Non-negative matrix factorisation of the weighted counts: each topic is "
                                 "listed by its top words, and the words are placed by their topic weights."),
                               _("_Topics"), MIN (10, most), 1, MAX (most, 1), self->dialog_cancellable,
                               ask_topics_ready_cb, g_object_ref (self));
}

static void
nmf_k_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  _es_window_compute_topics (ES_WINDOW (widget), g_variant_get_uint32 (param));
}

static void
topic_activated_cb (EsTopicsPanel *panel,
                    guint          topic,
                    EsWindow      *self)
{
  _es_window_color_by_topic (self, topic);
}

/* Colours the words by @topic's weight (its metadata column) and makes it
 * the Y axis: where the topic lives on the map, beyond its ten listed
 * words.
 */
void
_es_window_color_by_topic (EsWindow *self,
                           guint     topic)
{
  EsMetadata *metadata;

  if (self->corpus->topics == NULL || es_document_get_set (self->document) != es_corpus_topics_get_set (self->corpus->topics))
    return;
  metadata = es_embedding_set_get_metadata (es_document_get_set (self->document));
  if (metadata == NULL || topic >= es_metadata_get_n_columns (metadata))
    return;
  gtk_drop_down_set_selected (self->color_dropdown, topic + 1);
  /* And up the Y axis: coloured alone, most of a topic's words stay in
   * the pile at the origin of two other topics.
   */
  if (topic != self->component_x && topic < g_list_model_get_n_items (G_LIST_MODEL (self->component_names)))
    gtk_drop_down_set_selected (self->y_dropdown, topic);
  es_topics_panel_set_active (self->corpus->panel, (int) topic);
}

/* ---- the window's side ---- */

/* Inside the document transaction that brings @set: the corpus or the
 * topics it came from go into the document; the topics panel follows.
 */
void
_es_window_corpus_set_changed (EsWindow       *self,
                               EsEmbeddingSet *set)
{
  EsWindowCorpus *c = self->corpus;
  gboolean topics = c->topics != NULL && es_corpus_topics_get_set (c->topics) == set;

  if (c->pending != NULL && es_corpus_vectors_get_set (c->pending) == set)
    {
      es_document_set_corpus (self->document, c->pending, es_corpus_vectors_get_title (c->pending));
      c->nonnegative = es_sparse_matrix_is_nonnegative (es_corpus_vectors_get_matrix (c->pending));
    }
  else if (topics)
    {
      es_document_set_corpus (self->document, c->topics_corpus, es_corpus_topics_get_title (c->topics));
      c->nonnegative = es_sparse_matrix_is_nonnegative (es_corpus_vectors_get_matrix (c->topics_corpus));
    }
  else
    c->nonnegative = FALSE;
  g_clear_pointer (&c->pending, es_corpus_vectors_unref);
  if (!topics)
    {
      g_clear_pointer (&c->topics, es_corpus_topics_free);
      g_clear_pointer (&c->topics_corpus, es_corpus_vectors_unref);
    }
  es_topics_panel_set_topics (c->panel, topics ? c->topics : NULL);
  gtk_widget_set_visible (GTK_WIDGET (c->panel), topics);
  if (topics)
    _es_window_color_by_topic (self, 0);
}

void
_es_window_corpus_actions_update (EsWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean has_set = es_document_get_set (self->document) != NULL;

  if (self->corpus == NULL)
    return;
  gtk_widget_action_set_enabled (widget, "win.nmf", self->corpus->nonnegative && es_document_get_corpus (self->document) != NULL);
  gtk_widget_action_set_enabled (widget, "win.nmf-k", self->corpus->nonnegative && es_document_get_corpus (self->document) != NULL);
  gtk_widget_action_set_enabled (widget, "win.save-vectors", has_set);
  gtk_widget_action_set_enabled (widget, "win.save-vectors-to", has_set);
}

EsTopicsPanel *
_es_window_get_topics_panel (EsWindow *self)
{
  return self->corpus->panel;
}

void
_es_window_corpus_init (EsWindow *self)
{
  GtkWidget *box = gtk_widget_get_parent (GTK_WIDGET (self->axes_editor));

  self->corpus = g_new0 (EsWindowCorpus, 1);
  self->corpus->panel = ES_TOPICS_PANEL (es_topics_panel_new ());
  gtk_widget_set_visible (GTK_WIDGET (self->corpus->panel), FALSE);
  g_signal_connect (self->corpus->panel, "topic-activated", G_CALLBACK (topic_activated_cb), self);
  /* At the top of the side panel: the topics are what an NMF view is about. */
  gtk_box_insert_child_after (GTK_BOX (box), GTK_WIDGET (self->corpus->panel), NULL);
}

void
_es_window_corpus_dispose (EsWindow *self)
{
  if (self->corpus == NULL)
    return;
  g_clear_pointer (&self->corpus->pending, es_corpus_vectors_unref);
  g_clear_pointer (&self->corpus->topics, es_corpus_topics_free);
  g_clear_pointer (&self->corpus->topics_corpus, es_corpus_vectors_unref);
  g_clear_pointer (&self->corpus, g_free);
}

void
_es_window_class_corpus_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.open-corpus", NULL, open_corpus_action);
  gtk_widget_class_install_action (widget_class, "win.open-corpus-path", "s", open_corpus_path_action);
  gtk_widget_class_install_action (widget_class, "win.nmf", NULL, nmf_action);
  gtk_widget_class_install_action (widget_class, "win.nmf-k", "u", nmf_k_action);
}
