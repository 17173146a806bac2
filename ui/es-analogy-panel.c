/* es-analogy-panel.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-analogy-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "es-analogy-panel.h"

#include "es-expression.h"
#include "es-neighbors.h"
#include "es-result-list.h"

#define N_RESULTS 10

struct _EsAnalogyPanel
{
  GtkWidget       parent_instance;

  GtkEntry       *entry;
  GtkLabel       *status_label;
  EsResultList   *result_list;

  EsEmbeddingSet *set;
  GCancellable   *cancellable;
  GArray         *results;
  GArray         *term_rows;
  GArray         *term_weights;
  char           *error;
};

G_DEFINE_FINAL_TYPE (EsAnalogyPanel, es_analogy_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

enum {
  RESULTS_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
show_results (EsAnalogyPanel *self)
{
  gtk_label_set_text (self->status_label, self->error != NULL ? self->error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), self->error != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->result_list),
                          self->results != NULL && self->results->len > 0);
  es_result_list_set_results (self->result_list, self->set, self->results);
}

static void
reset (EsAnalogyPanel *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->results, g_array_unref);
  g_clear_pointer (&self->error, g_free);
  g_array_set_size (self->term_rows, 0);
  g_array_set_size (self->term_weights, 0);
}

static void
solve_ready_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(EsAnalogyPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  GArray *results;

  results = es_neighbors_of_expression_finish (result, &error);
  if (g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    {
      g_clear_pointer (&results, g_array_unref);
      return;
    }
  g_clear_object (&self->cancellable);

  if (results == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->error = g_strdup (error->message);
    }
  self->results = results;

  show_results (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  g_signal_emit (self, signals[RESULTS_CHANGED], 0);
}

static void
solve (EsAnalogyPanel *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  g_autoptr(EsExpression) expression = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gsize *rows = NULL;
  guint n;

  reset (self);

  if (self->set == NULL || text[0] == '\0')
    {
      show_results (self);
      g_signal_emit (self, signals[RESULTS_CHANGED], 0);
      return;
    }

  /* Parse and resolve here as well: the plot needs the terms' rows. */
  expression = es_expression_parse_for_set (text, self->set, &error);
  n = expression != NULL ? es_expression_get_n_terms (expression) : 0;
  rows = g_new0 (gsize, MAX (n, 1));
  if (expression == NULL || !es_expression_resolve (expression, self->set, FALSE, rows, &error))
    {
      self->error = g_strdup (error->message);
      show_results (self);
      g_signal_emit (self, signals[RESULTS_CHANGED], 0);
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      double weight = es_expression_get_term_weight (expression, i);

      g_array_append_val (self->term_rows, rows[i]);
      g_array_append_val (self->term_weights, weight);
    }

  self->cancellable = g_cancellable_new ();
  es_neighbors_of_expression_async (self->set, text, ES_METRIC_COSINE, N_RESULTS,
                                    self->cancellable, solve_ready_cb, g_object_ref (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
analogy_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  solve (ES_ANALOGY_PANEL (widget));
}

static void
entry_activate_cb (EsAnalogyPanel *self,
                   GtkEntry       *entry)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "panel.analogy", NULL);
}

static void
es_analogy_panel_dispose (GObject *object)
{
  EsAnalogyPanel *self = (EsAnalogyPanel *)object;
  GtkWidget *child;

  reset (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), ES_TYPE_ANALOGY_PANEL);
  /* Children the template does not bind (the root box) are ours too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->set, es_embedding_set_unref);

  G_OBJECT_CLASS (es_analogy_panel_parent_class)->dispose (object);
}

static void
es_analogy_panel_finalize (GObject *object)
{
  EsAnalogyPanel *self = (EsAnalogyPanel *)object;

  g_clear_pointer (&self->term_rows, g_array_unref);
  g_clear_pointer (&self->term_weights, g_array_unref);

  G_OBJECT_CLASS (es_analogy_panel_parent_class)->finalize (object);
}

static void
es_analogy_panel_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  EsAnalogyPanel *self = ES_ANALOGY_PANEL (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, es_analogy_panel_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
es_analogy_panel_class_init (EsAnalogyPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (ES_TYPE_RESULT_LIST);

  object_class->dispose = es_analogy_panel_dispose;
  object_class->finalize = es_analogy_panel_finalize;
  object_class->get_property = es_analogy_panel_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[RESULTS_CHANGED] =
    g_signal_new ("results-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/embedscope/Embedscope/ui/es-analogy-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, EsAnalogyPanel, entry);
  gtk_widget_class_bind_template_child (widget_class, EsAnalogyPanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, EsAnalogyPanel, result_list);
  gtk_widget_class_bind_template_callback (widget_class, entry_activate_cb);

  gtk_widget_class_install_action (widget_class, "panel.analogy", NULL, analogy_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "esanalogypanel");
}

static void
es_analogy_panel_init (EsAnalogyPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->term_rows = g_array_new (FALSE, FALSE, sizeof (gsize));
  self->term_weights = g_array_new (FALSE, FALSE, sizeof (double));
}

GtkWidget *
es_analogy_panel_new (void)
{
  return g_object_new (ES_TYPE_ANALOGY_PANEL, NULL);
}

void
es_analogy_panel_set_embedding_set (EsAnalogyPanel *self,
                                    EsEmbeddingSet *set)
{
  g_return_if_fail (ES_IS_ANALOGY_PANEL (self));

  if (self->set == set)
    return;

  reset (self);
  g_clear_pointer (&self->set, es_embedding_set_unref);
  if (set != NULL)
    self->set = es_embedding_set_ref (set);
  show_results (self);
  g_signal_emit (self, signals[RESULTS_CHANGED], 0);
}

const char *
es_analogy_panel_get_expression (EsAnalogyPanel *self)
{
  g_return_val_if_fail (ES_IS_ANALOGY_PANEL (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->entry));
}

void
es_analogy_panel_set_expression (EsAnalogyPanel *self,
                                 const char     *expression)
{
  g_return_if_fail (ES_IS_ANALOGY_PANEL (self));

  gtk_editable_set_text (GTK_EDITABLE (self->entry), expression != NULL ? expression : "");
}

GArray *
es_analogy_panel_get_results (EsAnalogyPanel *self)
{
  g_return_val_if_fail (ES_IS_ANALOGY_PANEL (self), NULL);

  return self->results;
}

const gsize *
es_analogy_panel_get_terms (EsAnalogyPanel  *self,
                            const double   **weights,
                            guint           *n_terms)
{
  g_return_val_if_fail (ES_IS_ANALOGY_PANEL (self), NULL);

  if (weights != NULL)
    *weights = (const double *) (gpointer) self->term_weights->data;
  if (n_terms != NULL)
    *n_terms = self->term_rows->len;

  return (const gsize *) (gpointer) self->term_rows->data;
}

const char *
es_analogy_panel_get_error (EsAnalogyPanel *self)
{
  g_return_val_if_fail (ES_IS_ANALOGY_PANEL (self), NULL);

  return self->error;
}

gboolean
es_analogy_panel_get_busy (EsAnalogyPanel *self)
{
  g_return_val_if_fail (ES_IS_ANALOGY_PANEL (self), FALSE);

  return self->cancellable != NULL;
}

void
es_analogy_panel_clear (EsAnalogyPanel *self)
{
  g_return_if_fail (ES_IS_ANALOGY_PANEL (self));

  reset (self);
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
  show_results (self);
  g_signal_emit (self, signals[RESULTS_CHANGED], 0);
}
