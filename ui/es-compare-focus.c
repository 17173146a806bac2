/* es-compare-focus.c: the compare window's focus word and what shows it
 *
 * The focus word's two points ringed and joined by an arrow (with the
 * selection's and the most moved words'), its neighbours in A and in B
 * (searched in a worker; shared ones marked), the Most Moved and Most
 * Stable lists with their neighbour-overlap notes, and the status line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-compare-window"

#include "config.h"

#include "es-compare-window-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "es-neighbors.h"
#include "es-result-list.h"
#include "es-scatter-view.h"
#include "es-word-pairs.h"

gint64
_es_compare_window_pair_of_plot_row (EsCompareWindow *self,
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
char *
_es_compare_window_detail_cb (gsize    row,
           gpointer user_data)
{
  EsCompareWindow *self = user_data;
  gint64 pair = _es_compare_window_pair_of_plot_row (self, (gint64) row);
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

void
_es_compare_window_set_focus (EsCompareWindow *self,
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

void
_es_compare_window_fill_ranked (EsCompareWindow *self)
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

void
_es_compare_window_update_status (EsCompareWindow *self)
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

void
_es_compare_window_show_data (EsCompareWindow *self)
{
  gboolean three_d = gtk_toggle_button_get_active (self->three_d) && self->data_3d != NULL &&
                     es_scatter_data_is_3d (self->data_3d);

  es_scatter_view_set_data (self->plot, three_d ? self->data_3d : self->data_2d);
  es_scatter_view_set_three_d (self->plot, three_d);
  update_overlay (self);
}
