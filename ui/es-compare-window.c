/* es-compare-window.c: two embedding spaces aligned and drawn together
 *
 * This file: the comparison job (load, align, score, plot data in a
 * worker) and the window's life.  The focus word and its lists are in
 * es-compare-focus.c, the widgets and actions in es-compare-actions.c,
 * the alignment popover in es-compare-options.c, the linked selection in
 * es-compare-link.c and sessions in es-compare-session.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-compare-window"

#include "config.h"

#include "es-compare-window-private.h"

#include <glib/gi18n.h>

#include "es-dialogs.h"
#include "es-job.h"
#include "es-loader.h"
#include "es-output.h"
#include "es-scatter-view.h"

G_DEFINE_FINAL_TYPE (EsCompareWindow, es_compare_window, GTK_TYPE_APPLICATION_WINDOW)

/* ---- the worker ---------------------------------------------------------- */

typedef struct
{
  EsEmbeddingSet *a;
  char           *path_a;
  EsEmbeddingSet *b;
  char           *path_b;
  EsComparisonOptions options;
  char           *anchors;
  EsJob          *job;
} Work;

typedef struct
{
  EsEmbeddingSet *a;
  EsComparison   *comparison;
  EsScatterData  *data_2d;
  EsScatterData  *data_3d;
} Outcome;

typedef struct
{
  EsJob *job;
  double base;
  double span;
} Span;

static void
work_free (Work *work)
{
  g_clear_pointer (&work->a, es_embedding_set_unref);
  g_clear_pointer (&work->b, es_embedding_set_unref);
  g_free (work->path_a);
  g_free (work->path_b);
  g_free (work->anchors);
  g_clear_object (&work->job);
  g_free (work);
}

static void
outcome_free (Outcome *outcome)
{
  g_clear_pointer (&outcome->a, es_embedding_set_unref);
  g_clear_pointer (&outcome->comparison, es_comparison_unref);
  g_clear_pointer (&outcome->data_2d, es_scatter_data_unref);
  g_clear_pointer (&outcome->data_3d, es_scatter_data_unref);
  g_free (outcome);
}

static void
span_progress (double   fraction,
               gpointer user_data)
{
  Span *span = user_data;

  es_job_update (span->job, span->base + span->span * CLAMP (fraction, 0, 1), NULL);
}

static EsEmbeddingSet *
load (const char   *path,
      Span         *span,
      GCancellable *cancellable,
      GError      **error)
{
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *message = g_strdup_printf (_("Loading %s…"), base);
  EsLoadOptions options;

  es_load_options_init (&options);
  es_job_update (span->job, span->base, message);
  return es_loader_load_path (path, &options, cancellable, span_progress, span, error);
}

/* A's words for both halves of the plot, coloured "A" and "B". */
static EsScatterData *
make_data (EsComparison *comparison,
           gboolean      three_d)
{
  gsize m = es_comparison_get_n_plotted (comparison);
  const gsize *plotted = es_comparison_get_plotted (comparison);
  guint nc;
  const float *coords = es_comparison_get_coords (comparison, &nc);
  g_autofree const char **words = g_new (const char *, 2 * m + 1);
  g_autofree guint *categories = g_new (guint, 2 * m + 1);
  const char *names[] = { "A", "B" };
  EsScatterData *data;

  double lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE;

  for (gsize i = 0; i < 2 * m * nc; i++)
    {
      lo = MIN (lo, coords[i]);
      hi = MAX (hi, coords[i]);
    }
  for (gsize i = 0; i < 2 * m; i++)
    {
      words[i] = es_comparison_get_word (comparison, plotted[i % m]);
      categories[i] = i < m ? 0 : 1;
    }
  /* B's copy of a label only where the word visibly moved: unmoved words
   * would otherwise show every label twice.
   */
  for (gsize j = 0; j < m; j++)
    {
      double d2 = 0;

      for (guint c = 0; c < nc; c++)
        {
          double d = (double) coords[j * nc + c] - coords[(m + j) * nc + c];

          d2 += d * d;
        }
      if (!(d2 >= 1e-4 * (hi - lo) * (hi - lo)))
        words[m + j] = "";
    }
  data = es_scatter_data_new_from_coords (coords, 2 * m, nc, 0, 1, three_d && nc >= 3 ? 2 : -1, NULL,
                                          (const char * const *) words);
  es_scatter_data_set_categories (data, categories, names, 2);
  return data;
}

static void
compare_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Work *work = task_data;
  g_autoptr(EsEmbeddingSet) a = work->a != NULL ? es_embedding_set_ref (work->a) : NULL;
  g_autoptr(EsEmbeddingSet) b = work->b != NULL ? es_embedding_set_ref (work->b) : NULL;
  g_autoptr(GError) error = NULL;
  Span span = { work->job, 0, 0.2 };
  Outcome *outcome;

  if (a == NULL && !(a = load (work->path_a, &span, cancellable, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  span.base = 0.2;
  span.span = 0.3;
  if (b == NULL && !(b = load (work->path_b, &span, cancellable, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  outcome = g_new0 (Outcome, 1);
  outcome->a = g_steal_pointer (&a);
  span.base = 0.5;
  span.span = 0.5;
  es_job_update (work->job, 0.5, _("Aligning and projecting…"));
  outcome->comparison = es_comparison_compute (outcome->a, b, &work->options, MAX_PLOTTED, N_TOP_PLOTTED, cancellable,
                                               span_progress, &span, &error);
  if (outcome->comparison == NULL)
    {
      outcome_free (outcome);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  outcome->data_2d = make_data (outcome->comparison, FALSE);
  outcome->data_3d = make_data (outcome->comparison, TRUE);
  g_task_return_pointer (task, outcome, (GDestroyNotify) outcome_free);
}

static void
set_job (EsCompareWindow *self,
         EsJob           *job);

static void
compare_ready_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(EsCompareWindow) self = user_data;
  EsJob *job = g_task_get_task_data (G_TASK (result)) != NULL
               ? ((Work *) g_task_get_task_data (G_TASK (result)))->job : NULL;
  g_autoptr(GError) error = NULL;
  Outcome *outcome = g_task_propagate_pointer (G_TASK (result), &error);

  /* A newer job, or the window is gone: drop it. */
  if (job != self->job || self->plot == NULL)
    {
      g_clear_pointer (&outcome, outcome_free);
      return;
    }
  set_job (self, NULL);
  if (outcome == NULL)
    {
      g_free (self->error);
      self->error = g_strdup (error->message);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *text = g_strdup_printf (_("Comparison failed: %s"), error->message);

          gtk_label_set_text (self->status, text);
          gtk_label_set_text (self->fit_label, text);
          es_dialogs_show_error (GTK_WINDOW (self), _("Could not compare"), error->message);
        }
      else
        gtk_label_set_text (self->status, _("Cancelled"));
      return;
    }

  g_clear_pointer (&self->error, g_free);
  if (self->a == NULL)
    self->a = es_embedding_set_ref (outcome->a);
  g_clear_pointer (&self->comparison, es_comparison_unref);
  g_clear_pointer (&self->data_2d, es_scatter_data_unref);
  g_clear_pointer (&self->data_3d, es_scatter_data_unref);
  self->comparison = g_steal_pointer (&outcome->comparison);
  self->data_2d = g_steal_pointer (&outcome->data_2d);
  self->data_3d = g_steal_pointer (&outcome->data_3d);
  outcome_free (outcome);
  g_array_set_size (self->selected, 0);
  _es_compare_window_update_status (self);
  _es_compare_window_fill_ranked (self);
  _es_compare_window_show_data (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-session", TRUE);
  _es_compare_options_update_fit (self);
  {
    gint64 keep = self->keep_focus != NULL ? es_comparison_pair_of_word (self->comparison, self->keep_focus) : -1;

    g_clear_pointer (&self->keep_focus, g_free);
    _es_compare_window_set_focus (self, keep >= 0 ? keep : es_comparison_get_n_shared (self->comparison) > 0
                                        ? (gint64) es_comparison_get_ranking (self->comparison)[0] : -1);
  }
  /* The document's selection, if linked, in the new comparison. */
  _es_compare_window_selection_changed (self, TRUE);
}

static void
job_notify_cb (EsJob      *job,
               GParamSpec *pspec,
               gpointer    user_data)
{
  EsCompareWindow *self = user_data;
  g_autofree char *message = es_job_dup_message (job);

  gtk_progress_bar_set_fraction (self->progress, es_job_get_fraction (job));
  if (message != NULL)
    gtk_progress_bar_set_text (self->progress, message);
}

static void
set_job (EsCompareWindow *self,
         EsJob           *job)
{
  if (self->job != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->job, self);
      es_job_cancel (self->job);
      g_clear_object (&self->job);
    }
  if (job != NULL)
    {
      self->job = g_object_ref (job);
      g_signal_connect (job, "notify", G_CALLBACK (job_notify_cb), self);
      gtk_progress_bar_set_fraction (self->progress, 0);
      gtk_progress_bar_set_text (self->progress, es_job_get_title (job));
    }
  if (self->progress_box != NULL)
    gtk_widget_set_visible (self->progress_box, job != NULL);
}

static void
start (EsCompareWindow *self,
       EsEmbeddingSet  *b,
       const char      *path_b_arg)
{
  g_autoptr(EsJob) job = es_job_new (_("Comparing…"));
  /* A copy: a re-run passes self->path_b, which is replaced below. */
  g_autofree char *path_b = g_strdup (path_b_arg);
  Work *work = g_new0 (Work, 1);
  GTask *task;

  g_free (self->name_b);
  self->name_b = path_b != NULL ? g_path_get_basename (path_b)
                 : g_strdup (es_embedding_set_get_path (b) != NULL ? es_embedding_set_get_path (b) : "B");
  if (path_b != NULL || (b != NULL && es_embedding_set_get_path (b) != NULL))
    {
      g_autofree char *old = self->path_b;

      self->path_b = g_strdup (path_b != NULL ? path_b : es_embedding_set_get_path (b));
    }
  work->options = self->options;
  work->options.anchors = work->anchors = g_strdup (self->options.anchors);
  work->a = self->a != NULL ? es_embedding_set_ref (self->a) : NULL;
  work->path_a = g_strdup (self->path_a);
  work->b = b != NULL ? es_embedding_set_ref (b) : NULL;
  work->path_b = g_strdup (path_b);
  work->job = g_object_ref (job);
  if (work->a == NULL && work->path_a == NULL)
    {
      work_free (work);
      g_return_if_reached ();
    }
  set_job (self, job);
  task = g_task_new (NULL, es_job_get_cancellable (job), compare_ready_cb, g_object_ref (self));
  g_task_set_task_data (task, work, (GDestroyNotify) work_free);
  g_task_run_in_thread (task, compare_thread);
  g_object_unref (task);
}

/* The options changed: the same A and B again, keeping the focus word. */
void
_es_compare_window_rerun (EsCompareWindow *self)
{
  const char *focus = es_compare_window_get_focus (self);

  if (focus != NULL)
    {
      g_free (self->keep_focus);
      self->keep_focus = g_strdup (focus);
    }
  if (self->comparison != NULL)
    start (self, es_comparison_get_b (self->comparison), self->path_b);
  else if (self->path_b != NULL)
    start (self, NULL, self->path_b);
}

void
es_compare_window_compare_path (EsCompareWindow *self,
                                const char      *path_b)
{
  g_return_if_fail (ES_IS_COMPARE_WINDOW (self));
  g_return_if_fail (path_b != NULL);

  start (self, NULL, path_b);
}

void
es_compare_window_compare_set (EsCompareWindow *self,
                               EsEmbeddingSet  *b)
{
  g_return_if_fail (ES_IS_COMPARE_WINDOW (self));
  g_return_if_fail (b != NULL);

  start (self, b, NULL);
}
static void
es_compare_window_dispose (GObject *object)
{
  EsCompareWindow *self = ES_COMPARE_WINDOW (object);

  /* Running work sees self->plot == NULL and drops its result. */
  set_job (self, NULL);
  _es_compare_link_dispose (self);
  self->progress_box = NULL;
  self->plot = NULL;
  g_cancellable_cancel (self->neighbors_cancellable);
  g_clear_object (&self->neighbors_cancellable);
  g_cancellable_cancel (self->dialog_cancellable);
  g_clear_object (&self->dialog_cancellable);
  g_clear_pointer (&self->comparison, es_comparison_unref);
  g_clear_pointer (&self->data_2d, es_scatter_data_unref);
  g_clear_pointer (&self->data_3d, es_scatter_data_unref);

  G_OBJECT_CLASS (es_compare_window_parent_class)->dispose (object);
}

static void
es_compare_window_finalize (GObject *object)
{
  EsCompareWindow *self = ES_COMPARE_WINDOW (object);

  g_clear_pointer (&self->a, es_embedding_set_unref);
  g_free (self->path_a);
  g_free (self->name_b);
  g_free (self->path_b);
  g_free (self->anchors);
  g_free (self->keep_focus);
  g_free (self->error);
  g_array_unref (self->selected);
  g_array_unref (self->links);

  G_OBJECT_CLASS (es_compare_window_parent_class)->finalize (object);
}

static void
es_compare_window_class_init (EsCompareWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = es_compare_window_dispose;
  object_class->finalize = es_compare_window_finalize;

  _es_compare_actions_class_init (widget_class);
  _es_compare_session_class_init (widget_class);
}

static void
es_compare_window_init (EsCompareWindow *self)
{
  self->focus = -1;
  es_comparison_options_init (&self->options);
  self->selected = g_array_new (FALSE, FALSE, sizeof (gsize));
  self->links = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->dialog_cancellable = g_cancellable_new ();
  _es_compare_window_build (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-session", FALSE);
  gtk_label_set_text (self->focus_label, _("Click a word in the plot or a list"));
}

EsCompareWindow *
es_compare_window_new (GtkApplication *application,
                       EsEmbeddingSet *a,
                       const char     *path_a)
{
  EsCompareWindow *self;

  g_return_val_if_fail (a != NULL || path_a != NULL, NULL);

  self = g_object_new (ES_TYPE_COMPARE_WINDOW, "application", application, NULL);
  self->a = a != NULL ? es_embedding_set_ref (a) : NULL;
  self->path_a = g_strdup (path_a != NULL ? path_a : es_embedding_set_get_path (a));
  return self;
}

gboolean
es_compare_window_get_busy (EsCompareWindow *self)
{
  g_return_val_if_fail (ES_IS_COMPARE_WINDOW (self), FALSE);

  return self->job != NULL;
}

const char *
es_compare_window_get_error (EsCompareWindow *self)
{
  g_return_val_if_fail (ES_IS_COMPARE_WINDOW (self), NULL);

  return self->error;
}

EsComparison *
es_compare_window_get_comparison (EsCompareWindow *self)
{
  g_return_val_if_fail (ES_IS_COMPARE_WINDOW (self), NULL);

  return self->comparison;
}

const char *
es_compare_window_get_focus (EsCompareWindow *self)
{
  g_return_val_if_fail (ES_IS_COMPARE_WINDOW (self), NULL);

  if (self->comparison == NULL || self->focus < 0)
    return NULL;
  return es_comparison_get_word (self->comparison, (gsize) self->focus);
}

gboolean
es_compare_window_select_word (EsCompareWindow *self,
                               const char      *word)
{
  gint64 pair;

  g_return_val_if_fail (ES_IS_COMPARE_WINDOW (self), FALSE);

  if (self->comparison == NULL || (pair = es_comparison_pair_of_word (self->comparison, word)) < 0)
    return FALSE;
  _es_compare_window_set_focus (self, pair);
  return TRUE;
}

const guint32 *
es_compare_window_get_links (EsCompareWindow *self,
                             gsize           *n_links)
{
  g_return_val_if_fail (ES_IS_COMPARE_WINDOW (self), NULL);

  *n_links = self->links->len / 2;
  return (const guint32 *) (gpointer) self->links->data;
}

const char *
es_compare_window_get_path_b (EsCompareWindow *self)
{
  g_return_val_if_fail (ES_IS_COMPARE_WINDOW (self), NULL);

  return self->path_b;
}

GtkWidget *
es_compare_window_get_plot (EsCompareWindow *self)
{
  g_return_val_if_fail (ES_IS_COMPARE_WINDOW (self), NULL);

  return GTK_WIDGET (self->plot);
}

GtkWidget *
es_compare_window_get_list (EsCompareWindow *self,
                            guint            which)
{
  g_return_val_if_fail (ES_IS_COMPARE_WINDOW (self), NULL);
  g_return_val_if_fail (which < 4, NULL);

  return self->lists[which];
}

gboolean
es_compare_window_is_shared_neighbor (EsCompareWindow *self,
                                      gboolean         in_b,
                                      guint            index)
{
  g_return_val_if_fail (ES_IS_COMPARE_WINDOW (self), FALSE);

  return index < K_NEIGHBORS && (in_b ? self->shared_b : self->shared_a)[index];
}

gboolean
es_compare_window_export_scores (EsCompareWindow *self,
                                 const char      *path,
                                 GError         **error)
{
  g_autoptr(GString) tsv = NULL;

  g_return_val_if_fail (ES_IS_COMPARE_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->comparison == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("Nothing compared yet"));
      return FALSE;
    }
  if (!(tsv = es_comparison_scores_tsv (self->comparison, error)))
    return FALSE;
  return es_output_write_file (path, tsv->str, tsv->len, error);
}
