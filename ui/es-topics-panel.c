/* es-topics-panel.c: NMF topics, each by its top words; a click asks for
 * the points to be coloured by that topic's weight
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-topics-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "es-topics-panel.h"

struct _EsTopicsPanel
{
  GtkWidget   parent_instance;

  GtkWidget  *heading;
  GtkListBox *list;
  GPtrArray  *words;   /* char *, one per topic */
  int         active;
  gboolean    updating;
};

G_DEFINE_FINAL_TYPE (EsTopicsPanel, es_topics_panel, GTK_TYPE_WIDGET)

enum
{
  TOPIC_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
row_activated_cb (GtkListBox    *list,
                  GtkListBoxRow *row,
                  EsTopicsPanel *self)
{
  int topic = gtk_list_box_row_get_index (row);

  if (self->updating || topic < 0)
    return;
  self->active = topic;
  g_signal_emit (self, signals[TOPIC_ACTIVATED], 0, (guint) topic);
}

static void
es_topics_panel_dispose (GObject *object)
{
  EsTopicsPanel *self = ES_TOPICS_PANEL (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->words, g_ptr_array_unref);

  G_OBJECT_CLASS (es_topics_panel_parent_class)->dispose (object);
}

static void
es_topics_panel_class_init (EsTopicsPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = es_topics_panel_dispose;

  signals[TOPIC_ACTIVATED] =
    g_signal_new ("topic-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "topics-panel");
}

static void
es_topics_panel_init (EsTopicsPanel *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))), 6);
  self->words = g_ptr_array_new_with_free_func (g_free);
  self->active = -1;

  self->heading = gtk_label_new (_("Topics (NMF): click one to colour the words by it"));
  gtk_label_set_xalign (GTK_LABEL (self->heading), 0);
  gtk_label_set_wrap (GTK_LABEL (self->heading), TRUE);
  gtk_widget_add_css_class (self->heading, "heading");
  gtk_widget_set_parent (self->heading, GTK_WIDGET (self));

  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_SINGLE);
  gtk_list_box_set_activate_on_single_click (self->list, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  gtk_widget_set_name (GTK_WIDGET (self->list), "topics");
  gtk_widget_set_parent (GTK_WIDGET (self->list), GTK_WIDGET (self));
  g_signal_connect (self->list, "row-activated", G_CALLBACK (row_activated_cb), self);
}

GtkWidget *
es_topics_panel_new (void)
{
  return g_object_new (ES_TYPE_TOPICS_PANEL, NULL);
}

void
es_topics_panel_set_topics (EsTopicsPanel  *self,
                            EsCorpusTopics *topics)
{
  GtkWidget *child;
  guint n;

  g_return_if_fail (ES_IS_TOPICS_PANEL (self));

  self->updating = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  g_ptr_array_set_size (self->words, 0);
  self->active = -1;

  n = topics != NULL ? es_corpus_topics_get_n_topics (topics) : 0;
  for (guint t = 0; t < n; t++)
    {
      g_autofree char *words = g_strjoinv (" ", (char **) es_corpus_topics_get_words (topics, t));
      g_autofree char *text = g_strdup_printf ("%u", t + 1);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkWidget *number = gtk_label_new (text);
      GtkWidget *label = gtk_label_new (words);

      gtk_widget_add_css_class (number, "dim-label");
      gtk_widget_add_css_class (number, "numeric");
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_set_margin_top (box, 3);
      gtk_widget_set_margin_bottom (box, 3);
      gtk_widget_set_margin_start (box, 6);
      gtk_widget_set_margin_end (box, 6);
      gtk_box_append (GTK_BOX (box), number);
      gtk_box_append (GTK_BOX (box), label);
      gtk_list_box_append (self->list, box);
      g_ptr_array_add (self->words, g_steal_pointer (&words));
    }
  self->updating = FALSE;
}

guint
es_topics_panel_get_n_topics (EsTopicsPanel *self)
{
  g_return_val_if_fail (ES_IS_TOPICS_PANEL (self), 0);

  return self->words->len;
}

const char *
es_topics_panel_get_words (EsTopicsPanel *self,
                           guint          topic)
{
  g_return_val_if_fail (ES_IS_TOPICS_PANEL (self), NULL);
  g_return_val_if_fail (topic < self->words->len, NULL);

  return self->words->pdata[topic];
}

void
es_topics_panel_set_active (EsTopicsPanel *self,
                            int            topic)
{
  g_return_if_fail (ES_IS_TOPICS_PANEL (self));

  self->updating = TRUE;
  self->active = topic >= 0 && (guint) topic < self->words->len ? topic : -1;
  if (self->active >= 0)
    gtk_list_box_select_row (self->list, gtk_list_box_get_row_at_index (self->list, self->active));
  else
    gtk_list_box_unselect_all (self->list);
  self->updating = FALSE;
}

int
es_topics_panel_get_active (EsTopicsPanel *self)
{
  g_return_val_if_fail (ES_IS_TOPICS_PANEL (self), -1);

  return self->active;
}
