/* es-neighbors-panel.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-neighbors-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "es-neighbors-panel.h"

#include "es-writer.h"

#include "es-neighbors.h"
#include "es-result-list.h"

/* k and metric changes wait this long before a new search. */
#define DEBOUNCE_MS 150

struct _EsNeighborsPanel
{
  GtkWidget       parent_instance;

  GtkLabel       *word_label;
  GtkLabel       *details_label;
  GtkLabel       *status_label;
  GtkStack       *stack;
  EsResultList   *result_list;
  GtkAdjustment  *k_adjustment;

  EsEmbeddingSet *set;
  gint64          row;
  gsize           range_first;   /* candidates: rows [first, first + n); n = 0: all */
  gsize           range_n;
  char           *metric;
  guint           k;

  GCancellable   *cancellable;
  GArray         *neighbors;
  guint           debounce_source;
};

G_DEFINE_FINAL_TYPE (EsNeighborsPanel, es_neighbors_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ROW,
  PROP_METRIC,
  PROP_K,
  PROP_BUSY,
  N_PROPS
};

enum {
  NEIGHBORS_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static EsMetric
current_metric (EsNeighborsPanel *self)
{
  EsMetric metric = ES_METRIC_COSINE;

  es_metric_from_string (self->metric, &metric);

  return metric;
}

static void
set_neighbors (EsNeighborsPanel *self,
               GArray           *neighbors)
{
  g_clear_pointer (&self->neighbors, g_array_unref);
  self->neighbors = neighbors;
  es_result_list_set_results (self->result_list, self->set, neighbors);

  if (neighbors == NULL || self->set == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      g_signal_emit (self, signals[NEIGHBORS_CHANGED], 0);
      return;
    }

  gtk_stack_set_visible_child_name (self->stack, neighbors->len > 0 ? "list" : "empty");
  g_signal_emit (self, signals[NEIGHBORS_CHANGED], 0);
}

static void search_done (EsNeighborsPanel *self,
                         GAsyncResult     *result,
                         GArray           *neighbors,
                         GError           *error);

static void
search_ready_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(EsNeighborsPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  GArray *neighbors = es_neighbors_of_expression_finish (result, &error);

  search_done (self, result, neighbors, error);
}

/* Within a row range: the range as a set of its own, the word's vector
 * as the query, the rows mapped back.
 */
typedef struct
{
  EsEmbeddingSet *set;
  gsize           row;
  gsize           first;
  gsize           n;
  EsMetric        metric;
  guint           k;
} RangeSearch;

static void
range_search_free (RangeSearch *search)
{
  es_embedding_set_unref (search->set);
  g_free (search);
}

static void
range_search_thread (GTask        *task,
                     gpointer      source,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  RangeSearch *search = task_data;
  gsize dims = es_embedding_set_get_dims (search->set);
  g_autofree gsize *rows = g_new (gsize, search->n);
  g_autofree double *query = g_new (double, MAX (dims, 1));
  const float *v = es_embedding_set_get_vector (search->set, search->row);
  g_autoptr(EsEmbeddingSet) subset = NULL;
  GError *error = NULL;
  gsize self_row = search->row - search->first;
  gboolean inside = search->row >= search->first && self_row < search->n;
  GArray *neighbors;

  for (gsize i = 0; i < search->n; i++)
    rows[i] = search->first + i;
  for (gsize d = 0; d < dims; d++)
    query[d] = v[d];
  subset = es_embedding_set_subset (search->set, rows, search->n);
  neighbors = es_neighbors_search (subset, query, search->metric, search->k, inside ? &self_row : NULL,
                                   inside ? 1 : 0, 0, cancellable, &error);
  if (neighbors == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; i < neighbors->len; i++)
    g_array_index (neighbors, EsNeighbor, i).row += search->first;
  g_task_return_pointer (task, neighbors, (GDestroyNotify) g_array_unref);
}

static void
range_ready_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(EsNeighborsPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  GArray *neighbors = g_task_propagate_pointer (G_TASK (result), &error);

  search_done (self, result, neighbors, error);
}

static void
search_done (EsNeighborsPanel *self,
             GAsyncResult     *result,
             GArray           *neighbors,
             GError           *error)
{
  /* Only the current search may touch the panel. */
  if (g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    {
      g_clear_pointer (&neighbors, g_array_unref);
      return;
    }
  g_clear_object (&self->cancellable);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);

  if (neighbors == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          gtk_label_set_text (self->status_label, error->message);
          set_neighbors (self, NULL);
        }
      return;
    }

  set_neighbors (self, neighbors);
}

static void
es_neighbors_panel_search (EsNeighborsPanel *self)
{
  g_autofree char *quoted = NULL;
  GString *expression;
  const char *word;

  g_clear_handle_id (&self->debounce_source, g_source_remove);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->set == NULL || self->row < 0 || (gsize) self->row >= es_embedding_set_get_rows (self->set))
    {
      gtk_label_set_text (self->word_label, "");
      gtk_label_set_text (self->status_label, _("Click a point or search for a word."));
      set_neighbors (self, NULL);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
      return;
    }

  /* The word quoted, so that words with operator characters stay one atom. */
  word = es_embedding_set_get_word (self->set, (gsize) self->row);
  expression = g_string_new ("\"");
  for (const char *p = word; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (expression, '\\');
      g_string_append_c (expression, *p);
    }
  g_string_append_c (expression, '"');
  quoted = g_string_free (expression, FALSE);

  {
    g_autofree char *display = es_embedding_set_dup_display_word (self->set, (gsize) self->row);

    gtk_label_set_text (self->word_label, display);
  }

  self->cancellable = g_cancellable_new ();
  if (self->range_n > 0 && self->range_first + self->range_n <= es_embedding_set_get_rows (self->set) &&
      es_embedding_set_is_row_valid (self->set, (gsize) self->row))
    {
      RangeSearch *search = g_new0 (RangeSearch, 1);
      g_autoptr(GTask) task = g_task_new (NULL, self->cancellable, range_ready_cb, g_object_ref (self));

      search->set = es_embedding_set_ref (self->set);
      search->row = (gsize) self->row;
      search->first = self->range_first;
      search->n = self->range_n;
      search->metric = current_metric (self);
      search->k = self->k;
      g_task_set_task_data (task, search, (GDestroyNotify) range_search_free);
      g_task_run_in_thread (task, range_search_thread);
    }
  else
    es_neighbors_of_expression_async (self->set, quoted, current_metric (self), self->k,
                                      self->cancellable, search_ready_cb, g_object_ref (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static gboolean
debounce_cb (gpointer user_data)
{
  EsNeighborsPanel *self = user_data;

  self->debounce_source = 0;
  es_neighbors_panel_search (self);

  return G_SOURCE_REMOVE;
}

static void
queue_search (EsNeighborsPanel *self)
{
  g_clear_handle_id (&self->debounce_source, g_source_remove);
  self->debounce_source = g_timeout_add (DEBOUNCE_MS, debounce_cb, self);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  EsNeighborsPanel *self = ES_NEIGHBORS_PANEL (widget);
  g_autofree char *tsv = es_neighbors_panel_dup_tsv (self);

  if (tsv != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), tsv);
}

static void
es_neighbors_panel_dispose (GObject *object)
{
  EsNeighborsPanel *self = (EsNeighborsPanel *)object;
  GtkWidget *child;

  g_clear_handle_id (&self->debounce_source, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), ES_TYPE_NEIGHBORS_PANEL);
  /* Children the template does not bind (the root box) are ours too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->set, es_embedding_set_unref);
  g_clear_pointer (&self->neighbors, g_array_unref);

  G_OBJECT_CLASS (es_neighbors_panel_parent_class)->dispose (object);
}

static void
es_neighbors_panel_finalize (GObject *object)
{
  EsNeighborsPanel *self = (EsNeighborsPanel *)object;

  g_clear_pointer (&self->metric, g_free);

  G_OBJECT_CLASS (es_neighbors_panel_parent_class)->finalize (object);
}

static void
es_neighbors_panel_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  EsNeighborsPanel *self = ES_NEIGHBORS_PANEL (object);

  switch (prop_id)
    {
    case PROP_ROW:
      g_value_set_int64 (value, es_neighbors_panel_get_row (self));
      break;

    case PROP_METRIC:
      g_value_set_string (value, es_neighbors_panel_get_metric (self));
      break;

    case PROP_K:
      g_value_set_uint (value, es_neighbors_panel_get_k (self));
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, es_neighbors_panel_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
es_neighbors_panel_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  EsNeighborsPanel *self = ES_NEIGHBORS_PANEL (object);

  switch (prop_id)
    {
    case PROP_ROW:
      es_neighbors_panel_set_row (self, g_value_get_int64 (value));
      break;

    case PROP_METRIC:
      es_neighbors_panel_set_metric (self, g_value_get_string (value));
      break;

    case PROP_K:
      es_neighbors_panel_set_k (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
es_neighbors_panel_class_init (EsNeighborsPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (ES_TYPE_RESULT_LIST);

  object_class->dispose = es_neighbors_panel_dispose;
  object_class->finalize = es_neighbors_panel_finalize;
  object_class->get_property = es_neighbors_panel_get_property;
  object_class->set_property = es_neighbors_panel_set_property;

  properties[PROP_ROW] =
    g_param_spec_int64 ("row", NULL, NULL,
                        -1, G_MAXINT64, -1,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_METRIC] =
    g_param_spec_string ("metric", NULL, NULL,
                         "cosine",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_K] =
    g_param_spec_uint ("k", NULL, NULL,
                       1, 100, 10,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[NEIGHBORS_CHANGED] =
    g_signal_new ("neighbors-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/embedscope/Embedscope/ui/es-neighbors-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, EsNeighborsPanel, word_label);
  gtk_widget_class_bind_template_child (widget_class, EsNeighborsPanel, details_label);
  gtk_widget_class_bind_template_child (widget_class, EsNeighborsPanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, EsNeighborsPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, EsNeighborsPanel, result_list);
  gtk_widget_class_bind_template_child (widget_class, EsNeighborsPanel, k_adjustment);

  gtk_widget_class_install_property_action (widget_class, "panel.metric", "metric");
  gtk_widget_class_install_action (widget_class, "panel.copy", NULL, copy_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "esneighborspanel");
}

static void
es_neighbors_panel_init (EsNeighborsPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->row = -1;
  self->metric = g_strdup ("cosine");
  self->k = 10;

  g_object_bind_property (self, "k", self->k_adjustment, "value",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
}

GtkWidget *
es_neighbors_panel_new (void)
{
  return g_object_new (ES_TYPE_NEIGHBORS_PANEL, NULL);
}

void
es_neighbors_panel_set_embedding_set (EsNeighborsPanel *self,
                                      EsEmbeddingSet   *set)
{
  g_return_if_fail (ES_IS_NEIGHBORS_PANEL (self));

  if (self->set == set)
    return;

  g_clear_pointer (&self->set, es_embedding_set_unref);
  if (set != NULL)
    self->set = es_embedding_set_ref (set);
  self->row = -1;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROW]);
  es_neighbors_panel_search (self);
}

void
es_neighbors_panel_set_row (EsNeighborsPanel *self,
                            gint64            row)
{
  g_return_if_fail (ES_IS_NEIGHBORS_PANEL (self));

  if (self->row == row)
    return;

  self->row = row;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROW]);
  /* A new word is searched at once; only parameter changes are debounced. */
  es_neighbors_panel_search (self);
}

void
es_neighbors_panel_set_row_range (EsNeighborsPanel *self,
                                  gsize             first,
                                  gsize             n)
{
  g_return_if_fail (ES_IS_NEIGHBORS_PANEL (self));

  if (n == 0)
    first = 0;
  if (self->range_first == first && self->range_n == n)
    return;
  self->range_first = first;
  self->range_n = n;
  if (self->row >= 0)
    es_neighbors_panel_search (self);
}

void
es_neighbors_panel_get_row_range (EsNeighborsPanel *self,
                                  gsize            *first,
                                  gsize            *n)
{
  g_return_if_fail (ES_IS_NEIGHBORS_PANEL (self));

  *first = self->range_first;
  *n = self->range_n;
}

gint64
es_neighbors_panel_get_row (EsNeighborsPanel *self)
{
  g_return_val_if_fail (ES_IS_NEIGHBORS_PANEL (self), -1);

  return self->row;
}

const char *
es_neighbors_panel_get_metric (EsNeighborsPanel *self)
{
  g_return_val_if_fail (ES_IS_NEIGHBORS_PANEL (self), NULL);

  return self->metric;
}

void
es_neighbors_panel_set_metric (EsNeighborsPanel *self,
                               const char       *metric)
{
  EsMetric parsed;

  g_return_if_fail (ES_IS_NEIGHBORS_PANEL (self));

  if (metric == NULL || !es_metric_from_string (metric, &parsed))
    return;
  if (g_strcmp0 (self->metric, es_metric_to_string (parsed)) == 0)
    return;

  g_free (self->metric);
  self->metric = g_strdup (es_metric_to_string (parsed));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_METRIC]);
  queue_search (self);
}

guint
es_neighbors_panel_get_k (EsNeighborsPanel *self)
{
  g_return_val_if_fail (ES_IS_NEIGHBORS_PANEL (self), 0);

  return self->k;
}

void
es_neighbors_panel_set_k (EsNeighborsPanel *self,
                          guint             k)
{
  g_return_if_fail (ES_IS_NEIGHBORS_PANEL (self));

  k = CLAMP (k, 1, 100);
  if (self->k == k)
    return;

  self->k = k;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_K]);
  queue_search (self);
}

GArray *
es_neighbors_panel_get_neighbors (EsNeighborsPanel *self)
{
  g_return_val_if_fail (ES_IS_NEIGHBORS_PANEL (self), NULL);

  return self->neighbors;
}

gboolean
es_neighbors_panel_get_busy (EsNeighborsPanel *self)
{
  g_return_val_if_fail (ES_IS_NEIGHBORS_PANEL (self), FALSE);

  return self->cancellable != NULL || self->debounce_source != 0;
}

char *
es_neighbors_panel_dup_tsv (EsNeighborsPanel *self)
{
  GString *tsv;

  g_return_val_if_fail (ES_IS_NEIGHBORS_PANEL (self), NULL);

  if (self->neighbors == NULL || self->set == NULL || self->row < 0)
    return NULL;

  tsv = es_writer_neighbors_tsv (self->set, es_embedding_set_get_word (self->set, (gsize) self->row),
                                 current_metric (self),
                                 (const EsNeighbor *) self->neighbors->data, self->neighbors->len, NULL);
  if (tsv == NULL)
    return NULL;
  return g_string_free (tsv, FALSE);
}

void
es_neighbors_panel_set_details (EsNeighborsPanel *self,
                                const char       *details)
{
  g_return_if_fail (ES_IS_NEIGHBORS_PANEL (self));

  gtk_label_set_text (self->details_label, details != NULL ? details : "");
  gtk_widget_set_visible (GTK_WIDGET (self->details_label), details != NULL && *details != '\0');
}
