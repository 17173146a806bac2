/* es-compare-window.c: two embedding spaces aligned and drawn together
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
#include "es-neighbors.h"
#include "es-output.h"
#include "es-result-list.h"
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

/* ---- showing it ---------------------------------------------------------- */

static gint64
pair_of_plot_row (EsCompareWindow *self,
                  gint64           row)
{
  gsize m;

  if (self->comparison == NULL || row < 0)
    return -1;
  m = es_comparison_get_n_plotted (self->comparison);
  if ((guint64) row >= 2 * m)
    return -1;
  return (gint64) es_comparison_get_plotted (self->comparison)[(gsize) row % m];
}

/* The hover card: which space, and how far the word moved (B's copy of
 * an unmoved word has no label of its own, so the word is repeated).
 */
static char *
detail_cb (gsize    row,
           gpointer user_data)
{
  EsCompareWindow *self = user_data;
  gint64 pair = pair_of_plot_row (self, (gint64) row);
  const float *dist;

  if (pair < 0)
    return NULL;
  dist = es_change_scores_get_distances (es_comparison_get_scores (self->comparison));
  return g_strdup_printf (row < es_comparison_get_n_plotted (self->comparison)
                          ? _("%s in A\ncosine distance %.4f after alignment")
                          : _("%s in B (aligned onto A)\ncosine distance %.4f after alignment"),
                          es_comparison_get_word (self->comparison, (gsize) pair), dist[pair]);
}

static void
add_link (EsCompareWindow *self,
          gsize            pair)
{
  gint64 j = es_comparison_plot_index (self->comparison, pair);
  guint32 link[2];

  if (j < 0)
    return;
  for (guint i = 0; i < self->links->len; i += 2)
    if (g_array_index (self->links, guint32, i) == (guint32) j)
      return;
  link[0] = (guint32) j;
  link[1] = (guint32) (j + es_comparison_get_n_plotted (self->comparison));
  g_array_append_vals (self->links, link, 2);
}

/* Arrows for the focus word, the selection and the most moved; the focus
 * word's two points ringed.
 */
static void
update_overlay (EsCompareWindow *self)
{
  g_array_set_size (self->links, 0);
  if (self->comparison == NULL)
    {
      es_scatter_view_set_links (self->plot, NULL, 0);
      es_scatter_view_set_highlighted (self->plot, NULL, 0);
      es_scatter_view_set_selected (self->plot, -1);
      return;
    }
  if (self->focus >= 0)
    add_link (self, (gsize) self->focus);
  for (guint i = 0; i < self->selected->len; i++)
    add_link (self, g_array_index (self->selected, gsize, i));
  for (gsize r = 0; r < MIN (N_ARROWS, es_comparison_get_n_shared (self->comparison)); r++)
    add_link (self, es_comparison_get_ranking (self->comparison)[r]);
  es_scatter_view_set_links (self->plot, (const guint32 *) (gpointer) self->links->data,
                             self->links->len / 2);

  {
    gint64 j = self->focus >= 0 ? es_comparison_plot_index (self->comparison, (gsize) self->focus) : -1;

    if (j >= 0)
      {
        guint32 rows[2] = { (guint32) j, (guint32) (j + es_comparison_get_n_plotted (self->comparison)) };

        es_scatter_view_set_highlighted (self->plot, rows, 2);
        es_scatter_view_set_selected (self->plot, j);
      }
    else
      {
        es_scatter_view_set_highlighted (self->plot, NULL, 0);
        es_scatter_view_set_selected (self->plot, -1);
      }
  }
}

void
_es_compare_window_update_overlay (EsCompareWindow *self)
{
  update_overlay (self);
}

static GArray *
neighbors_in (EsEmbeddingSet *set,
              gsize           row,
              GCancellable   *cancellable,
              GError        **error)
{
  gsize dims = es_embedding_set_get_dims (set);
  const float *v = es_embedding_set_get_vector (set, row);
  g_autofree double *query = g_new (double, MAX (dims, 1));

  for (gsize d = 0; d < dims; d++)
    query[d] = v[d];
  return es_neighbors_search (set, query, ES_METRIC_COSINE, K_NEIGHBORS, &row, 1, 0, cancellable, error);
}

typedef struct
{
  EsComparison *comparison;
  gsize         pair;
  GArray       *in_a;
  GArray       *in_b;
} NeighborWork;

static void
neighbor_work_free (NeighborWork *work)
{
  es_comparison_unref (work->comparison);
  g_clear_pointer (&work->in_a, g_array_unref);
  g_clear_pointer (&work->in_b, g_array_unref);
  g_free (work);
}

static void
neighbors_thread (GTask        *task,
                  gpointer      source,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  NeighborWork *work = task_data;
  const EsWordPairs *pairs = es_comparison_get_pairs (work->comparison);
  GError *error = NULL;

  work->in_a = neighbors_in (es_comparison_get_a (work->comparison),
                             es_word_pairs_get_rows_a (pairs)[work->pair], cancellable, &error);
  if (work->in_a != NULL)
    work->in_b = neighbors_in (es_comparison_get_b (work->comparison),
                               es_word_pairs_get_rows_b (pairs)[work->pair], cancellable, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Each listed word's neighbour overlap (Gonen et al.), where the
 * comparison has it: the words of @list looked up as words of A.
 */
static void
note_overlaps (EsCompareWindow *self,
               EsResultList    *list)
{
  guint n = es_result_list_get_n_rows (list);

  for (guint i = 0; i < n; i++)
    {
      gint64 pair = es_comparison_pair_of_word (self->comparison, es_result_list_get_word (list, i));
      double overlap = pair >= 0 ? es_comparison_get_overlap (self->comparison, (gsize) pair) : -1;
      g_autofree char *note = NULL;

      if (overlap < 0)
        continue;
      /* Translators: the neighbour overlap of a word, 0…1 (∩: intersection). */
      note = g_strdup_printf (_("∩ %.2f"), overlap);
      es_result_list_set_note (list, i, note);
    }
}

static void
neighbors_ready_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(EsCompareWindow) self = user_data;
  NeighborWork *work = g_task_get_task_data (G_TASK (result));
  EsEmbeddingSet *a, *b;

  if (!g_task_propagate_boolean (G_TASK (result), NULL) || self->comparison != work->comparison ||
      self->plot == NULL)
    return;
  a = es_comparison_get_a (work->comparison);
  b = es_comparison_get_b (work->comparison);
  es_result_list_set_results (ES_RESULT_LIST (self->lists[2]), a, work->in_a);
  es_result_list_set_results (ES_RESULT_LIST (self->lists[3]), b, work->in_b);
  memset (self->shared_a, 0, sizeof self->shared_a);
  memset (self->shared_b, 0, sizeof self->shared_b);
  /* Shared neighbours: the same word in both lists. */
  for (guint i = 0; i < work->in_a->len && i < K_NEIGHBORS; i++)
    for (guint j = 0; j < work->in_b->len && j < K_NEIGHBORS; j++)
      {
        const EsNeighbor *na = &g_array_index (work->in_a, EsNeighbor, i);
        const EsNeighbor *nb = &g_array_index (work->in_b, EsNeighbor, j);

        if (g_strcmp0 (es_embedding_set_get_word (a, na->row), es_embedding_set_get_word (b, nb->row)) == 0)
          {
            self->shared_a[i] = self->shared_b[j] = TRUE;
            es_result_list_set_marked (ES_RESULT_LIST (self->lists[2]), i, TRUE);
            es_result_list_set_marked (ES_RESULT_LIST (self->lists[3]), j, TRUE);
          }
      }
  note_overlaps (self, ES_RESULT_LIST (self->lists[2]));
  note_overlaps (self, ES_RESULT_LIST (self->lists[3]));
}

static void
set_focus (EsCompareWindow *self,
           gint64           pair)
{
  NeighborWork *work;
  GTask *task;

  self->focus = pair;
  g_cancellable_cancel (self->neighbors_cancellable);
  g_clear_object (&self->neighbors_cancellable);
  es_result_list_set_results (ES_RESULT_LIST (self->lists[2]), NULL, NULL);
  es_result_list_set_results (ES_RESULT_LIST (self->lists[3]), NULL, NULL);
  memset (self->shared_a, 0, sizeof self->shared_a);
  memset (self->shared_b, 0, sizeof self->shared_b);
  update_overlay (self);
  if (self->comparison == NULL || pair < 0)
    {
      gtk_label_set_text (self->focus_label, _("Click a word in the plot or a list"));
      return;
    }

  {
    g_autofree char *text = NULL;
    const float *dist = es_change_scores_get_distances (es_comparison_get_scores (self->comparison));

    double overlap = es_comparison_get_overlap (self->comparison, (gsize) pair);

    if (overlap >= 0)
      text = g_strdup_printf (_("%s: cosine distance %.4f after alignment\nneighbour overlap %.2f (k = %u)"),
                              es_comparison_get_word (self->comparison, (gsize) pair), dist[pair], overlap,
                              es_change_scores_get_k (es_comparison_get_scores (self->comparison)));
    else
      text = g_strdup_printf (_("%s: cosine distance %.4f after alignment"),
                              es_comparison_get_word (self->comparison, (gsize) pair), dist[pair]);
    gtk_label_set_text (self->focus_label, text);
  }

  work = g_new0 (NeighborWork, 1);
  work->comparison = es_comparison_ref (self->comparison);
  work->pair = (gsize) pair;
  self->neighbors_cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->neighbors_cancellable, neighbors_ready_cb, g_object_ref (self));
  g_task_set_task_data (task, work, (GDestroyNotify) neighbor_work_free);
  g_task_run_in_thread (task, neighbors_thread);
  g_object_unref (task);
}

static void
fill_ranked (EsCompareWindow *self)
{
  EsComparison *c = self->comparison;
  gsize n = es_comparison_get_n_shared (c);
  const gsize *ranking = es_comparison_get_ranking (c);
  const gsize *rows_a = es_word_pairs_get_rows_a (es_comparison_get_pairs (c));
  const float *dist = es_change_scores_get_distances (es_comparison_get_scores (c));
  g_autoptr(GArray) moved = g_array_new (FALSE, FALSE, sizeof (EsNeighbor));
  g_autoptr(GArray) stable = g_array_new (FALSE, FALSE, sizeof (EsNeighbor));

  for (gsize r = 0; r < MIN (N_LISTED, n); r++)
    {
      EsNeighbor m = { rows_a[ranking[r]], dist[ranking[r]] };
      EsNeighbor s = { rows_a[ranking[n - 1 - r]], dist[ranking[n - 1 - r]] };

      g_array_append_val (moved, m);
      g_array_append_val (stable, s);
    }
  es_result_list_set_results (ES_RESULT_LIST (self->lists[0]), self->a, moved);
  es_result_list_set_results (ES_RESULT_LIST (self->lists[1]), self->a, stable);
  note_overlaps (self, ES_RESULT_LIST (self->lists[0]));
  note_overlaps (self, ES_RESULT_LIST (self->lists[1]));
}

static void
update_status (EsCompareWindow *self)
{
  EsComparison *c = self->comparison;
  const EsWordPairs *pairs;
  const EsAlignment *al;
  g_autofree char *name_a = NULL;
  g_autofree char *text = NULL;

  if (c == NULL)
    return;
  pairs = es_comparison_get_pairs (c);
  al = es_comparison_get_alignment (c);
  name_a = self->path_a != NULL ? g_path_get_basename (self->path_a) : g_strdup ("A");
  text = g_strdup_printf (_("A: %s · B: %s · %" G_GSIZE_FORMAT " shared words (only in A: %" G_GSIZE_FORMAT
                            ", only in B: %" G_GSIZE_FORMAT ") · %s fit of B onto A: residual %.4g "
                            "(relative %.4f), mean cosine %.4f · mean distance %.4f"),
                          name_a, self->name_b != NULL ? self->name_b : "B", es_word_pairs_get_n (pairs),
                          es_word_pairs_get_only_a (pairs), es_word_pairs_get_only_b (pairs),
                          es_alignment_get_method (al) == ES_ALIGN_ORTHOGONAL ? _("Orthogonal") : _("Linear"),
                          es_alignment_get_residual (al), es_alignment_get_relative_residual (al),
                          es_alignment_get_mean_cosine (al),
                          es_change_scores_get_mean_distance (es_comparison_get_scores (c)));
  gtk_label_set_text (self->status, text);
}

static void
show_data (EsCompareWindow *self)
{
  gboolean three_d = gtk_toggle_button_get_active (self->three_d) && self->data_3d != NULL &&
                     es_scatter_data_is_3d (self->data_3d);

  es_scatter_view_set_data (self->plot, three_d ? self->data_3d : self->data_2d);
  es_scatter_view_set_three_d (self->plot, three_d);
  update_overlay (self);
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
  update_status (self);
  fill_ranked (self);
  show_data (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-session", TRUE);
  _es_compare_options_update_fit (self);
  {
    gint64 keep = self->keep_focus != NULL ? es_comparison_pair_of_word (self->comparison, self->keep_focus) : -1;

    g_clear_pointer (&self->keep_focus, g_free);
    set_focus (self, keep >= 0 ? keep : es_comparison_get_n_shared (self->comparison) > 0
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

/* ---- actions ------------------------------------------------------------- */

static void
select_word_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  es_compare_window_select_word (ES_COMPARE_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
point_activated_cb (EsScatterView   *plot,
                    gint64           row,
                    EsCompareWindow *self)
{
  gint64 pair = pair_of_plot_row (self, row);

  if (pair >= 0)
    set_focus (self, pair);
}

static void
rows_selected_cb (EsScatterView   *plot,
                  GArray          *rows,
                  int              mode,
                  EsCompareWindow *self)
{
  /* A box or lasso: the words under it get arrows (either of their points);
   * a linked document selects them too.
   */
  if (mode == 0)
    g_array_set_size (self->selected, 0);
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      gint64 pair = pair_of_plot_row (self, g_array_index (rows, guint32, i));
      gsize p = (gsize) pair;

      if (pair < 0)
        continue;
      if (mode == 2)
        {
          for (guint k = 0; k < self->selected->len; k++)
            if (g_array_index (self->selected, gsize, k) == p)
              g_array_remove_index (self->selected, k--);
        }
      else if (self->selected->len < 500)
        g_array_append_val (self->selected, p);
    }
  _es_compare_window_selection_changed (self, FALSE);
}

static void
three_d_toggled_cb (GtkToggleButton *button,
                    EsCompareWindow *self)
{
  if (self->comparison != NULL)
    show_data (self);
}

static void
cancel_clicked_cb (GtkButton       *button,
                   EsCompareWindow *self)
{
  if (self->job != NULL)
    es_job_cancel (self->job);
}

typedef struct
{
  EsCompareWindow *self;
  char            *kind;
} ExportRequest;

static void
export_ready_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ExportRequest *request = user_data;
  g_autoptr(GFile) file = es_dialogs_save_finish (result, NULL);
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = TRUE;

  if (path != NULL && request->self->plot != NULL)
    {
      if (g_str_equal (request->kind, "tsv"))
        done = es_compare_window_export_scores (request->self, path, &error);
      else
        done = es_scatter_view_export (request->self->plot, path, 0, 0, &error);
      if (!done)
        es_dialogs_show_error (GTK_WINDOW (request->self), _("Could not export"), error->message);
    }
  g_object_unref (request->self);
  g_free (request->kind);
  g_free (request);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  EsCompareWindow *self = ES_COMPARE_WINDOW (widget);
  const char *kind = g_variant_get_string (param, NULL);
  EsFileKind file_kind = ES_FILE_KIND_PNG;
  g_autofree char *name = g_strdup_printf ("compare.%s", kind);
  ExportRequest *request;

  if (self->comparison == NULL)
    return;
  if (g_str_equal (kind, "svg"))
    file_kind = ES_FILE_KIND_SVG;
  else if (g_str_equal (kind, "pdf"))
    file_kind = ES_FILE_KIND_PDF;
  else if (g_str_equal (kind, "tsv"))
    file_kind = ES_FILE_KIND_TSV;
  else if (!g_str_equal (kind, "png"))
    return;
  request = g_new0 (ExportRequest, 1);
  request->self = g_object_ref (self);
  request->kind = g_strdup (kind);
  es_dialogs_save_async (GTK_WINDOW (self), file_kind, name, self->dialog_cancellable, export_ready_cb, request);
}

static void
compare_with_ready_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(EsCompareWindow) self = user_data;
  g_autoptr(GFile) file = es_dialogs_open_finish (result, NULL);
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

  if (path != NULL && self->plot != NULL)
    es_compare_window_compare_path (self, path);
}

static void
compare_with_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  EsCompareWindow *self = ES_COMPARE_WINDOW (widget);

  es_dialogs_open_async (GTK_WINDOW (self), ES_FILE_KIND_EMBEDDING, self->dialog_cancellable,
                         compare_with_ready_cb, g_object_ref (self));
}

/* ---- the widget ---------------------------------------------------------- */

static GtkWidget *
titled (const char *title,
        GtkWidget  *child,
        gboolean    expand)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (box), label);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), child);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 120);
  gtk_widget_set_vexpand (scrolled, expand);
  gtk_box_append (GTK_BOX (box), scrolled);
  gtk_widget_set_vexpand (box, expand);
  return box;
}

static void
build (EsCompareWindow *self)
{
  GtkWidget *header = gtk_header_bar_new ();
  GtkWidget *outer = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *paned = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);
  GtkWidget *side = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *ranked = gtk_notebook_new ();
  GtkWidget *pairs = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *cancel, *menu_button;
  g_autoptr(GMenu) menu = g_menu_new ();

  gtk_window_set_title (GTK_WINDOW (self), _("Compare"));
  gtk_window_set_default_size (GTK_WINDOW (self), 1200, 760);

  self->three_d = GTK_TOGGLE_BUTTON (gtk_toggle_button_new_with_label (_("3D")));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->three_d), _("Show the first three components"));
  g_signal_connect (self->three_d, "toggled", G_CALLBACK (three_d_toggled_cb), self);
  gtk_header_bar_pack_start (GTK_HEADER_BAR (header), GTK_WIDGET (self->three_d));
  gtk_header_bar_pack_start (GTK_HEADER_BAR (header), _es_compare_options_build (self));
  g_menu_append (menu, _("Compare A With…"), "win.compare-with");
  g_menu_append (menu, _("Save Session…"), "win.save-session");
  g_menu_append (menu, _("Export Image as PNG…"), "win.export::png");
  g_menu_append (menu, _("Export Image as SVG…"), "win.export::svg");
  g_menu_append (menu, _("Export Image as PDF…"), "win.export::pdf");
  g_menu_append (menu, _("Export Change Scores as TSV…"), "win.export::tsv");
  menu_button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), "open-menu-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (menu_button), G_MENU_MODEL (menu));
  gtk_header_bar_pack_end (GTK_HEADER_BAR (header), menu_button);
  gtk_window_set_titlebar (GTK_WINDOW (self), header);

  self->plot = ES_SCATTER_VIEW (es_scatter_view_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->plot), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->plot), TRUE);
  g_signal_connect (self->plot, "point-activated", G_CALLBACK (point_activated_cb), self);
  es_scatter_view_set_detail_func (self->plot, detail_cb, self, NULL);
  g_signal_connect (self->plot, "rows-selected", G_CALLBACK (rows_selected_cb), self);
  gtk_paned_set_start_child (GTK_PANED (paned), GTK_WIDGET (self->plot));
  gtk_paned_set_resize_start_child (GTK_PANED (paned), TRUE);

  for (guint i = 0; i < 4; i++)
    {
      self->lists[i] = es_result_list_new ();
      es_result_list_set_show_rank (ES_RESULT_LIST (self->lists[i]), i < 2);
    }
  gtk_notebook_append_page (GTK_NOTEBOOK (ranked), titled (_("Cosine distance after alignment · ∩ neighbour overlap"), self->lists[0], TRUE),
                            gtk_label_new (_("Most Moved")));
  gtk_notebook_append_page (GTK_NOTEBOOK (ranked), titled (_("Cosine distance after alignment · ∩ neighbour overlap"), self->lists[1], TRUE),
                            gtk_label_new (_("Most Stable")));
  gtk_widget_set_vexpand (ranked, TRUE);
  gtk_box_append (GTK_BOX (side), ranked);
  self->focus_label = GTK_LABEL (gtk_label_new (NULL));
  /* Not wrapped: a wrapping label here upsets the paned's height-for-width. */
  gtk_label_set_ellipsize (self->focus_label, PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (self->focus_label, 0);
  gtk_box_append (GTK_BOX (side), GTK_WIDGET (self->focus_label));
  gtk_box_set_homogeneous (GTK_BOX (pairs), TRUE);
  gtk_box_append (GTK_BOX (pairs), titled (_("Neighbours in A"), self->lists[2], TRUE));
  gtk_box_append (GTK_BOX (pairs), titled (_("Neighbours in B"), self->lists[3], TRUE));
  gtk_widget_set_vexpand (pairs, TRUE);
  gtk_box_append (GTK_BOX (side), pairs);
  gtk_widget_set_margin_start (side, 8);
  gtk_widget_set_margin_end (side, 8);
  gtk_widget_set_margin_top (side, 8);
  gtk_widget_set_margin_bottom (side, 8);
  gtk_widget_set_size_request (side, 440, -1);
  gtk_paned_set_end_child (GTK_PANED (paned), side);
  gtk_paned_set_resize_end_child (GTK_PANED (paned), FALSE);
  gtk_paned_set_shrink_end_child (GTK_PANED (paned), FALSE);
  gtk_widget_set_vexpand (paned, TRUE);
  gtk_box_append (GTK_BOX (outer), paned);

  self->status = GTK_LABEL (gtk_label_new (_("Comparing…")));
  gtk_label_set_xalign (self->status, 0);
  gtk_label_set_wrap (self->status, TRUE);
  gtk_label_set_selectable (self->status, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->status), TRUE);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->status));
  self->progress_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_progress_bar_set_show_text (self->progress, TRUE);
  gtk_widget_set_size_request (GTK_WIDGET (self->progress), 240, -1);
  gtk_widget_set_valign (GTK_WIDGET (self->progress), GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (self->progress_box), GTK_WIDGET (self->progress));
  cancel = gtk_button_new_with_label (_("Cancel"));
  g_signal_connect (cancel, "clicked", G_CALLBACK (cancel_clicked_cb), self);
  gtk_box_append (GTK_BOX (self->progress_box), cancel);
  gtk_widget_set_visible (self->progress_box, FALSE);
  gtk_box_append (GTK_BOX (bar), self->progress_box);
  gtk_widget_set_margin_start (bar, 8);
  gtk_widget_set_margin_end (bar, 8);
  gtk_widget_set_margin_top (bar, 4);
  gtk_widget_set_margin_bottom (bar, 4);
  gtk_box_append (GTK_BOX (outer), bar);
  gtk_window_set_child (GTK_WINDOW (self), outer);
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

  gtk_widget_class_install_action (widget_class, "win.select-word", "s", select_word_action);
  gtk_widget_class_install_action (widget_class, "win.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "win.compare-with", NULL, compare_with_action);
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
  build (self);
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
  set_focus (self, pair);
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
