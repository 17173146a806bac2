/* es-result-list.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-result-list"

#include "config.h"

#include "es-result-list.h"

#include "es-neighbors.h"

#include <math.h>

struct _EsResultList
{
  GtkWidget   parent_instance;

  GtkListBox *list_box;
  gboolean    show_rank;
};

G_DEFINE_FINAL_TYPE (EsResultList, es_result_list, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SHOW_RANK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GtkWidget *
make_row (EsResultList     *self,
          EsEmbeddingSet   *set,
          const EsNeighbor *n,
          guint             rank,
          double            scale)
{
  g_autofree char *word = es_embedding_set_dup_display_word (set, n->row);
  char score[G_ASCII_DTOSTR_BUF_SIZE];
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label;
  GtkWidget *row;

  if (self->show_rank)
    {
      g_autofree char *number = g_strdup_printf ("%u.", rank);

      label = gtk_label_new (number);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (box), label);
    }
  label = gtk_label_new (word);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  g_object_set_data (G_OBJECT (box), "word-label", label);
  /* The score as a bar too, from 0 to the list's largest magnitude, so
   * gaps between neighbours show at a glance.
   */
  {
    GtkWidget *bar = gtk_level_bar_new_for_interval (0, 1);

    gtk_level_bar_set_value (GTK_LEVEL_BAR (bar),
                             scale > 0 && isfinite (n->score) ? CLAMP (fabs (n->score) / scale, 0, 1) : 0);
    gtk_widget_set_size_request (bar, 56, -1);
    gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
    gtk_widget_add_css_class (bar, "es-score-bar");
    gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_LOW);
    gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_HIGH);
    gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_FULL);
    gtk_box_append (GTK_BOX (box), bar);
    g_object_set_data (G_OBJECT (box), "score-bar", bar);
  }
  g_ascii_formatd (score, sizeof score, "%.4f", n->score);
  label = gtk_label_new (score);
  gtk_widget_add_css_class (label, "es-score");
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_set_margin_start (box, 8);
  gtk_widget_set_margin_end (box, 8);
  gtk_widget_set_margin_top (box, 3);
  gtk_widget_set_margin_bottom (box, 3);

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  /* The word itself, not its display form: select-word looks it up. */
  g_object_set_data_full (G_OBJECT (row), "word",
                          g_strdup (es_embedding_set_get_word (set, n->row)), g_free);
  return row;
}

static void
row_activated_cb (EsResultList  *self,
                  GtkListBoxRow *row,
                  GtkListBox    *list_box)
{
  const char *word = g_object_get_data (G_OBJECT (row), "word");

  if (word != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.select-word", "s", word);
}

static void
es_result_list_dispose (GObject *object)
{
  EsResultList *self = ES_RESULT_LIST (object);

  g_clear_pointer ((GtkWidget **) &self->list_box, gtk_widget_unparent);

  G_OBJECT_CLASS (es_result_list_parent_class)->dispose (object);
}

static void
es_result_list_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  EsResultList *self = ES_RESULT_LIST (object);

  switch (prop_id)
    {
    case PROP_SHOW_RANK:
      g_value_set_boolean (value, self->show_rank);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
es_result_list_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  EsResultList *self = ES_RESULT_LIST (object);

  switch (prop_id)
    {
    case PROP_SHOW_RANK:
      es_result_list_set_show_rank (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
es_result_list_class_init (EsResultListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = es_result_list_dispose;
  object_class->get_property = es_result_list_get_property;
  object_class->set_property = es_result_list_set_property;

  properties[PROP_SHOW_RANK] =
    g_param_spec_boolean ("show-rank", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "esresultlist");
}

static void
es_result_list_init (EsResultList *self)
{
  self->list_box = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list_box, GTK_SELECTION_NONE);
  gtk_list_box_set_activate_on_single_click (self->list_box, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list_box), "boxed-list");
  gtk_widget_set_parent (GTK_WIDGET (self->list_box), GTK_WIDGET (self));
  g_signal_connect_swapped (self->list_box, "row-activated", G_CALLBACK (row_activated_cb), self);
}

GtkWidget *
es_result_list_new (void)
{
  return g_object_new (ES_TYPE_RESULT_LIST, NULL);
}

gboolean
es_result_list_get_show_rank (EsResultList *self)
{
  g_return_val_if_fail (ES_IS_RESULT_LIST (self), FALSE);

  return self->show_rank;
}

void
es_result_list_set_show_rank (EsResultList *self,
                              gboolean      show_rank)
{
  g_return_if_fail (ES_IS_RESULT_LIST (self));

  show_rank = !!show_rank;
  if (self->show_rank == show_rank)
    return;

  /* Takes effect with the next results. */
  self->show_rank = show_rank;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_RANK]);
}

void
es_result_list_set_results (EsResultList   *self,
                            EsEmbeddingSet *set,
                            GArray         *results)
{
  GtkWidget *child;

  g_return_if_fail (ES_IS_RESULT_LIST (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);

  if (set == NULL || results == NULL)
    return;

  {
    double scale = 0;

    for (guint i = 0; i < results->len; i++)
      if (isfinite (g_array_index (results, EsNeighbor, i).score))
        scale = MAX (scale, fabs (g_array_index (results, EsNeighbor, i).score));
    for (guint i = 0; i < results->len; i++)
      gtk_list_box_append (self->list_box,
                           make_row (self, set, &g_array_index (results, EsNeighbor, i), i + 1, scale));
  }
}

guint
es_result_list_get_n_rows (EsResultList *self)
{
  guint n = 0;

  g_return_val_if_fail (ES_IS_RESULT_LIST (self), 0);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;

  return n;
}

const char *
es_result_list_get_word (EsResultList *self,
                         guint         index)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (ES_IS_RESULT_LIST (self), NULL);

  row = gtk_list_box_get_row_at_index (self->list_box, (int) index);
  return row != NULL ? g_object_get_data (G_OBJECT (row), "word") : NULL;
}

void
es_result_list_activate_row (EsResultList *self,
                             guint         index)
{
  GtkListBoxRow *row;

  g_return_if_fail (ES_IS_RESULT_LIST (self));

  row = gtk_list_box_get_row_at_index (self->list_box, (int) index);
  if (row != NULL)
    g_signal_emit_by_name (self->list_box, "row-activated", row);
}

void
es_result_list_set_marked (EsResultList *self,
                           guint         index,
                           gboolean      marked)
{
  GtkListBoxRow *row;

  g_return_if_fail (ES_IS_RESULT_LIST (self));

  row = gtk_list_box_get_row_at_index (self->list_box, (int) MIN (index, G_MAXINT));
  if (row == NULL)
    return;
  if (marked)
    gtk_widget_add_css_class (GTK_WIDGET (row), "es-marked");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "es-marked");
}

gboolean
es_result_list_get_marked (EsResultList *self,
                           guint         index)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (ES_IS_RESULT_LIST (self), FALSE);

  row = gtk_list_box_get_row_at_index (self->list_box, (int) MIN (index, G_MAXINT));
  return row != NULL && gtk_widget_has_css_class (GTK_WIDGET (row), "es-marked");
}

void
es_result_list_set_note (EsResultList *self,
                         guint         index,
                         const char   *note)
{
  GtkListBoxRow *row;
  GtkWidget *box, *label;

  g_return_if_fail (ES_IS_RESULT_LIST (self));

  row = gtk_list_box_get_row_at_index (self->list_box, (int) MIN (index, G_MAXINT));
  if (row == NULL)
    return;
  box = gtk_list_box_row_get_child (row);
  label = g_object_get_data (G_OBJECT (row), "note-label");
  if (note == NULL)
    {
      if (label != NULL)
        {
          gtk_box_remove (GTK_BOX (box), label);
          gtk_label_set_width_chars (GTK_LABEL (g_object_get_data (G_OBJECT (box), "word-label")), -1);
          gtk_widget_set_size_request (g_object_get_data (G_OBJECT (box), "score-bar"), 56, -1);
        }
      g_object_set_data (G_OBJECT (row), "note-label", NULL);
      return;
    }
  if (label == NULL)
    {
      GtkWidget *word = g_object_get_data (G_OBJECT (box), "word-label");

      label = gtk_label_new (NULL);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "caption");
      /* A narrow list keeps most of the word beside the note: the bar
       * gives up half its width (the score is still written beside it).
       */
      gtk_label_set_width_chars (GTK_LABEL (word), 7);
      gtk_widget_set_size_request (g_object_get_data (G_OBJECT (box), "score-bar"), 24, -1);
      gtk_box_insert_child_after (GTK_BOX (box), label, g_object_get_data (G_OBJECT (box), "word-label"));
      g_object_set_data (G_OBJECT (row), "note-label", label);
    }
  gtk_label_set_text (GTK_LABEL (label), note);
}

const char *
es_result_list_get_note (EsResultList *self,
                         guint         index)
{
  GtkListBoxRow *row;
  GtkWidget *label;

  g_return_val_if_fail (ES_IS_RESULT_LIST (self), NULL);

  row = gtk_list_box_get_row_at_index (self->list_box, (int) MIN (index, G_MAXINT));
  label = row != NULL ? g_object_get_data (G_OBJECT (row), "note-label") : NULL;
  return label != NULL ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}
