/* es-window-plot.c: what the window feeds its plot
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "es-window-private.h"


#include "es-neighbors.h"
#include "es-row-filter.h"
#include "es-scatter-data.h"
#include "es-worker.h"

/* Filters and component changes wait this long for the next keystroke. */
#define FILTER_DEBOUNCE_MS 200
/* Frames after which the renderer has let go of replaced plot data. */
#define RETIRE_FRAMES 3

/* The filters (top N, text, category, layer), taken from the widgets in
 * the main thread so that any thread can apply them to the rows.
 */
static EsRowFilter *
window_row_filter (EsWindow *self)
{
  EsRowFilter *filter = es_row_filter_new ();
  const char *text = self->filter_text != NULL ? self->filter_text : "";
  guint category = gtk_drop_down_get_selected (self->category_dropdown);
  guint color = gtk_drop_down_get_selected (self->color_dropdown);
  EsEmbeddingSet *view_set = es_document_get_view_set (self->document);
  EsMetadata *metadata = es_embedding_set_get_metadata (view_set);
  g_autoptr(GError) error = NULL;

  /* The isolated subset keeps every word: top N is about the file. */
  es_row_filter_set_top_n (filter, view_set == es_document_get_set (self->document) ? self->top_n : 0);
  if (category != GTK_INVALID_LIST_POSITION && category > 0 && metadata != NULL &&
      color != GTK_INVALID_LIST_POSITION && color > 0)
    es_row_filter_set_category (filter, (int) color - 1,
                                gtk_string_list_get_string (self->category_names, category));

  if (self->layer_column >= 0 && es_layer_bar_get_layer (self->layer_bar) >= 0 && metadata != NULL &&
      (guint) self->layer_column < es_metadata_get_n_columns (metadata))
    {
      gint64 focus = es_document_get_focus (self->document);
      g_autofree char *layer = g_strdup_printf ("%d", es_layer_bar_get_layer (self->layer_bar));
      const char *keep_position = NULL;

      /* One layer, but the focus token in every layer (its path). */
      if (focus >= 0 && self->position_column >= 0 && (gsize) focus < es_metadata_get_n_rows (metadata))
        keep_position = es_metadata_get_value (metadata, (gsize) focus, (guint) self->position_column);
      es_row_filter_set_layer (filter, self->layer_column, layer, self->position_column, keep_position);
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->filter_entry), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->filter_entry), NULL);
  if (!es_row_filter_set_text (filter, text, self->filter_regex, &error))
    {
      g_autofree char *tip = g_strdup_printf (_("Invalid regular expression: %s"), error->message);

      gtk_widget_add_css_class (GTK_WIDGET (self->filter_entry), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->filter_entry), tip);
      /* Half-typed ("[a-"): the last valid filter stays, not everything. */
      if (self->filter_valid_regex != NULL)
        es_row_filter_set_text (filter, self->filter_valid_regex, TRUE, NULL);
    }
  else if (text[0] != '\0' && self->filter_regex)
    {
      g_free (self->filter_valid_regex);
      self->filter_valid_regex = g_strdup (text);
    }
  else
    g_clear_pointer (&self->filter_valid_regex, g_free);

  return filter;
}

guint8 *
_es_window_plot_compute_mask (EsWindow *self,
                              gsize     rows)
{
  g_autoptr(EsRowFilter) filter = window_row_filter (self);

  return es_row_filter_run (filter, es_document_get_view_set (self->document), rows);
}

gboolean
_es_window_plot_components_valid (EsWindow *self)
{
  guint n = es_projection_get_n_components (es_document_get_projection (self->document));

  return self->component_x < n && self->component_y < n &&
         (!self->three_d || self->component_z < n);
}

/* Everything the plot data is built from, so a worker can build it: the
 * projection, set and metadata are immutable and referenced.
 */
typedef struct
{
  EsWindow       *self;
  guint           generation;
  EsProjection   *projection;
  EsEmbeddingSet *view_set;
  EsRowFilter    *filter;
  guint           cx, cy;
  gint            cz;
  guint           label_column;   /* G_MAXUINT: the words */
  guint           color_column;   /* G_MAXUINT: none */
  EsKmeans       *clusters;       /* colour by cluster (of the whole file), or NULL */
  EsEmbeddingSet *set;            /* the whole file the clusters index */
  char           *titles[3];
  gsize           n_shown;        /* out: valid rows the filters let through */
  gboolean        filtered;       /* out: a filter is on */
} PlotBuild;

static void
plot_build_free (PlotBuild *build)
{
  g_clear_object (&build->self);
  g_clear_pointer (&build->projection, es_projection_unref);
  g_clear_pointer (&build->view_set, es_embedding_set_unref);
  g_clear_pointer (&build->clusters, es_kmeans_unref);
  g_clear_pointer (&build->set, es_embedding_set_unref);
  g_clear_pointer (&build->filter, es_row_filter_free);
  for (guint a = 0; a < 3; a++)
    g_free (build->titles[a]);
  g_free (build);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlotBuild, plot_build_free)

/* Each shown row's cluster (through its word when the view is a subset),
 * the legend naming each cluster by its most central words.
 */
static void
set_cluster_colors (EsScatterData *data,
                    PlotBuild     *build,
                    gsize          rows)
{
  const gint32 *assign = es_kmeans_get_assignments (build->clusters);
  guint k = es_kmeans_get_k (build->clusters);
  g_autofree guint *categories = g_new (guint, MAX (rows, 1));
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  for (gsize r = 0; r < rows; r++)
    {
      gsize full = r;

      categories[r] = G_MAXUINT;
      if (build->view_set != build->set &&
          !es_embedding_set_lookup (build->set, es_embedding_set_get_word (build->view_set, r), &full))
        continue;
      if (full < es_kmeans_get_rows (build->clusters) && assign[full] >= 0)
        categories[r] = (guint) assign[full];
    }
  for (guint c = 0; c < k; c++)
    g_ptr_array_add (names, g_strdup (es_kmeans_get_name (build->clusters, c)));
  es_scatter_data_set_categories (data, categories, (const char * const *) names->pdata, k);
}

/* The heavy part (the filters, a copy of the coordinates, the spatial sort,
 * colours): about 100 ms at 400k rows, in any thread.
 */
static EsScatterData *
plot_build_run (PlotBuild *build)
{
  EsScatterData *data;
  EsMetadata *metadata = es_embedding_set_get_metadata (build->view_set);
  gsize rows = es_projection_get_rows (build->projection);
  guint n_components = es_projection_get_n_components (build->projection);
  g_autofree float *coords = NULL;
  g_autofree guint8 *mask = es_row_filter_run (build->filter, build->view_set, rows);
  g_autoptr(GPtrArray) labels = NULL;

  /* Filtered rows become NaN: the plot masks them like invalid rows. */
  coords = g_memdup2 (es_projection_get_coords (build->projection),
                      rows * n_components * sizeof (float));
  build->n_shown = 0;
  for (gsize r = 0; r < rows; r++)
    if (!mask[r])
      for (guint c = 0; c < n_components; c++)
        coords[r * n_components + c] = NAN;
    else if (es_embedding_set_is_row_valid (build->view_set, r))
      build->n_shown++;
  build->filtered = es_row_filter_is_filtering (build->filter, rows);

  if (build->label_column != G_MAXUINT)
    {
      labels = g_ptr_array_sized_new ((guint) rows + 1);
      for (gsize r = 0; r < rows; r++)
        {
          const char *value = es_metadata_get_value (metadata, r, build->label_column);

          g_ptr_array_add (labels, (gpointer) (value != NULL ? value : ""));
        }
      g_ptr_array_add (labels, NULL);
    }

  data = es_scatter_data_new_from_coords (coords, rows, n_components,
                                          build->cx, build->cy, build->cz,
                                          build->view_set,
                                          labels != NULL
                                          ? (const char * const *) labels->pdata : NULL);
  for (guint a = 0; a < 3; a++)
    if (build->titles[a] != NULL)
      es_scatter_data_set_axis_title (data, a, build->titles[a]);
  if (build->color_column != G_MAXUINT)
    es_scatter_data_set_color_column (data, metadata, build->color_column);
  else if (build->clusters != NULL)
    set_cluster_colors (data, build, rows);

  return data;
}

typedef struct
{
  EsScatterData *data;
  guint          ticks;
} Retired;

static gboolean
retired_tick_cb (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       user_data)
{
  Retired *retired = user_data;

  return ++retired->ticks < RETIRE_FRAMES ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
retired_free (gpointer user_data)
{
  Retired *retired = user_data;

  _es_window_release_later (retired->data, (GDestroyNotify) es_scatter_data_unref);
  g_free (retired);
}

/* The renderer keeps its own reference to the data it drew last until it
 * draws the next: hold ours until then, so that the last one, and with
 * it the old set, goes in a worker.
 */
static void
retire_after_frames (EsWindow      *self,
                     EsScatterData *data)
{
  Retired *retired = g_new0 (Retired, 1);

  retired->data = data;
  gtk_widget_add_tick_callback (GTK_WIDGET (self->plot), retired_tick_cb, retired, retired_free);
}

/* In the main thread, unless a newer build replaced this one. */
static void
plot_build_apply (PlotBuild     *build,
                  EsScatterData *data)
{
  EsWindow *self = build->self;
  EsScatterData *old;

  if (build->generation != self->plot_generation)
    return;

  /* The old data may hold the last reference to the old set. */
  old = es_scatter_view_get_data (self->plot);
  if (old != NULL && old != data)
    retire_after_frames (self, es_scatter_data_ref (old));
  /* The plot drops a selection its new data lacks: not the user's doing,
   * so the document's focus stays (plot_selected_cb ignores it).
   */
  self->switching++;
  es_scatter_view_set_data (self->plot, data);
  es_scatter_view_set_selected (self->plot, es_document_get_focus (self->document));
  self->switching--;
  self->plot_shown = build->n_shown;
  self->plot_filtered = build->filtered;
  _es_window_plot_update_marks (self);
  _es_window_update_status (self);
}

static void
plot_build_thread_cb (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  es_worker_enter ();
  g_task_return_pointer (task, plot_build_run (task_data), (GDestroyNotify) es_scatter_data_unref);
}

static void
plot_build_ready_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(EsScatterData) data = g_task_propagate_pointer (G_TASK (result), NULL);

  plot_build_apply (g_task_get_task_data (G_TASK (result)), data);
}

/* TRUE when the plot shows the current view (not the one before it while
 * the new one is built): rows of the view are rows of the plot.
 */
gboolean
_es_window_plot_is_current (EsWindow *self)
{
  EsScatterData *data = es_scatter_view_get_data (self->plot);

  return data != NULL && es_scatter_data_get_embedding_set (data) == es_document_get_view_set (self->document) &&
         es_scatter_data_get_n_points (data) == es_embedding_set_get_rows (es_document_get_view_set (self->document));
}

void
_es_window_plot_update (EsWindow *self)
{
  g_autoptr(PlotBuild) build = NULL;
  EsMetadata *metadata;
  guint label_column, color_column;
  gsize rows;

  g_return_if_fail (ES_IS_WINDOW (self));

  g_clear_handle_id (&self->filter_source, g_source_remove);

  if (es_document_get_view_set (self->document) == NULL || es_document_get_projection (self->document) == NULL)
    return;
  if (!_es_window_plot_components_valid (self))
    return;

  rows = es_projection_get_rows (es_document_get_projection (self->document));
  metadata = es_embedding_set_get_metadata (es_document_get_view_set (self->document));
  label_column = gtk_drop_down_get_selected (self->label_dropdown);
  color_column = gtk_drop_down_get_selected (self->color_dropdown);

  build = g_new0 (PlotBuild, 1);
  build->self = g_object_ref (self);
  build->generation = ++self->plot_generation;
  build->projection = es_projection_ref (es_document_get_projection (self->document));
  build->view_set = es_embedding_set_ref (es_document_get_view_set (self->document));
  build->filter = window_row_filter (self);
  build->cx = self->component_x;
  build->cy = self->component_y;
  build->cz = self->three_d ? (gint) self->component_z : -1;
  build->label_column = G_MAXUINT;
  build->color_column = G_MAXUINT;
  if (metadata != NULL && label_column != GTK_INVALID_LIST_POSITION && label_column > 0 &&
      label_column - 1 < es_metadata_get_n_columns (metadata))
    build->label_column = label_column - 1;
  if (metadata != NULL && color_column != GTK_INVALID_LIST_POSITION && color_column > 0 &&
      color_column - 1 < es_metadata_get_n_columns (metadata))
    build->color_column = color_column - 1;
  else if (_es_window_color_is_clusters (self))
    {
      build->clusters = es_kmeans_ref (es_document_get_clusters (self->document));
      build->set = es_embedding_set_ref (es_document_get_set (self->document));
    }
  {
    guint axes[3] = { build->cx, build->cy, (guint) MAX (build->cz, 0) };

    for (guint a = 0; a < (self->three_d ? 3u : 2u); a++)
      build->titles[a] = _es_window_component_name (self, axes[a]);
  }

  /* Small sets at once (the plot follows every click in the same frame);
   * big ones in a worker, the old picture staying until the new is ready.
   */
  if (rows < self->plot_async_rows)
    {
      g_autoptr(EsScatterData) data = plot_build_run (build);

      plot_build_apply (build, data);
    }
  else
    {
      g_autoptr(GTask) task = g_task_new (NULL, NULL, plot_build_ready_cb, NULL);

      g_task_set_source_tag (task, _es_window_plot_update);
      g_task_set_task_data (task, g_steal_pointer (&build), (GDestroyNotify) plot_build_free);
      g_task_run_in_thread (task, plot_build_thread_cb);
    }
}

/* A row of the whole file to the same word's row in the view. */
gboolean
_es_window_plot_to_view_row (EsWindow *self,
                             gsize     full_row,
                             guint32  *view_row)
{
  gsize row;

  /* Rows from a panel that has not caught up with the file: never index. */
  if (full_row >= es_embedding_set_get_rows (es_document_get_set (self->document)))
    return FALSE;
  if (es_document_get_view_set (self->document) == es_document_get_set (self->document))
    {
      *view_row = (guint32) full_row;
      return TRUE;
    }
  if (!es_embedding_set_lookup (es_document_get_view_set (self->document), es_embedding_set_get_word (es_document_get_set (self->document), full_row), &row))
    return FALSE;

  *view_row = (guint32) row;
  return TRUE;
}

void
_es_window_plot_update_marks (EsWindow *self)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (guint32));
  GArray *neighbors;
  GArray *results;
  const gsize *hits;
  const gsize *selected;
  gsize n_selected = 0;
  const gsize *terms;
  const double *weights;
  gsize n_hits = 0;
  guint n_terms = 0;
  gint64 a = -1, b = -1, c = -1, result = -1;

  if (es_document_get_view_set (self->document) == NULL || es_document_get_set (self->document) == NULL || self->plot == NULL || self->switching > 0)
    return;
  /* The new view's marks come with its data (plot_build_apply). */
  if (!_es_window_plot_is_current (self))
    return;

  neighbors = es_neighbors_panel_get_neighbors (self->neighbors_panel);
  {
    g_autoptr(GArray) closeness = g_array_new (FALSE, FALSE, sizeof (float));
    double first = 0, last = 0;

    if (neighbors != NULL && neighbors->len > 0)
      {
        first = g_array_index (neighbors, EsNeighbor, 0).score;
        last = g_array_index (neighbors, EsNeighbor, neighbors->len - 1).score;
      }
    for (guint i = 0; neighbors != NULL && es_document_get_focus (self->document) >= 0 && i < neighbors->len; i++)
      {
        guint32 row;
        /* Along the list's own range of scores (similarity or distance). */
        float near = first != last
                     ? (float) (1 - (g_array_index (neighbors, EsNeighbor, i).score - first) / (last - first) * 0.85)
                     : 1.0f;

        if (_es_window_plot_to_view_row (self, g_array_index (neighbors, EsNeighbor, i).row, &row))
          {
            g_array_append_val (rows, row);
            g_array_append_val (closeness, near);
          }
      }
    es_scatter_view_set_highlighted (self->plot, (const guint32 *) (gpointer) rows->data, rows->len);
    es_scatter_view_set_closeness (self->plot, (const float *) (gpointer) closeness->data, closeness->len);
  }

  g_array_set_size (rows, 0);
  hits = es_word_search_get_hits (self->search, &n_hits);
  for (gsize i = 0; i < n_hits; i++)
    {
      guint32 row;

      if (_es_window_plot_to_view_row (self, hits[i], &row))
        g_array_append_val (rows, row);
    }
  es_scatter_view_set_search_hits (self->plot, (const guint32 *) (gpointer) rows->data, rows->len);

  g_array_set_size (rows, 0);
  selected = es_document_get_selection (self->document, &n_selected);
  for (gsize i = 0; i < n_selected; i++)
    {
      guint32 row;

      if (_es_window_plot_to_view_row (self, selected[i], &row))
        g_array_append_val (rows, row);
    }
  es_scatter_view_set_selection (self->plot, (const guint32 *) (gpointer) rows->data, rows->len);

  /* a - b + c = result, from the expression's signs. */
  terms = es_analogy_panel_get_terms (self->analogy_panel, &weights, &n_terms);
  results = es_analogy_panel_get_results (self->analogy_panel);
  for (guint i = 0; i < n_terms; i++)
    {
      guint32 row;

      if (!_es_window_plot_to_view_row (self, terms[i], &row))
        continue;
      if (weights[i] > 0 && a < 0)
        a = row;
      else if (weights[i] < 0 && b < 0)
        b = row;
      else if (weights[i] > 0 && c < 0)
        c = row;
    }
  if (results != NULL && results->len > 0)
    {
      guint32 row;

      if (_es_window_plot_to_view_row (self, g_array_index (results, EsNeighbor, 0).row, &row))
        result = row;
    }
  es_scatter_view_set_analogy (self->plot, a, b, c, result);
  _es_window_update_path (self);
}

static gboolean
filter_timeout_cb (gpointer user_data)
{
  EsWindow *self = user_data;

  self->filter_source = 0;
  _es_window_plot_update (self);
  _es_window_record_view (self);

  return G_SOURCE_REMOVE;
}

void
_es_window_plot_queue_update (EsWindow *self)
{
  g_clear_handle_id (&self->filter_source, g_source_remove);
  self->filter_source = g_timeout_add (FILTER_DEBOUNCE_MS, filter_timeout_cb, self);
}

void
_es_window_plot_category_activated_cb (EsWindow      *self,
                                       guint          category,
                                       int            mode,
                                       EsScatterView *plot)
{
  EsScatterData *data = es_scatter_view_get_data (plot);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (guint32));

  if (data == NULL || !_es_window_plot_is_current (self))
    return;
  /* The members shown, so a filter or an isolate narrows it as it looks. */
  for (gsize r = 0; r < es_scatter_data_get_n_points (data); r++)
    {
      double x, y, z;

      if (es_scatter_data_get_category (data, r) == category &&
          es_scatter_data_get_point (data, r, &x, &y, &z))
        g_array_append_val (rows, (guint32) { (guint32) r });
    }
  _es_window_plot_rows_selected_cb (self, rows, mode, plot);
}

void
_es_window_plot_rows_selected_cb (EsWindow      *self,
                                  GArray        *rows,
                                  int            mode,
                                  EsScatterView *plot)
{
  g_autoptr(GArray) full = g_array_new (FALSE, FALSE, sizeof (gsize));
  EsEmbeddingSet *set = es_document_get_set (self->document);
  EsEmbeddingSet *view = es_document_get_view_set (self->document);

  for (guint i = 0; set != NULL && rows != NULL && i < rows->len; i++)
    {
      guint32 view_row = g_array_index (rows, guint32, i);
      gsize row;

      if (view_row >= es_embedding_set_get_rows (view))
        continue;
      if (view == set)
        row = view_row;
      else if (!es_embedding_set_lookup (set, es_embedding_set_get_word (view, view_row), &row))
        continue;
      g_array_append_val (full, row);
    }

  if (mode < ES_SELECT_REPLACE || mode > ES_SELECT_SUBTRACT)
    mode = ES_SELECT_REPLACE;
  /* One step of history: a click on empty space clears the focus too.
   * The document's "changed" redraws the marks, the list and the status.
   */
  es_document_begin (self->document);
  es_document_select_rows (self->document, (const gsize *) (gpointer) full->data, full->len,
                           (EsSelectMode) mode);
  if (mode == ES_SELECT_REPLACE && full->len == 0)
    es_document_set_focus (self->document, -1);
  es_document_end (self->document);
}
