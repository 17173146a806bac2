/* es-selection-panel.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Only a view of the document's selection: the window hands it the words
 * after every change, and its buttons are the window's actions (copy,
 * export, isolate, clear), so it holds no state of its own to get stale.
 */

#define G_LOG_DOMAIN "es-selection-panel"

#include "config.h"

#include "es-selection-panel.h"

#include <glib/gi18n.h>

struct _EsSelectionPanel
{
  GtkWidget      parent_instance;

  GtkWidget     *box;
  GtkLabel      *count_label;
  GtkStringList *words;
};

G_DEFINE_FINAL_TYPE (EsSelectionPanel, es_selection_panel, GTK_TYPE_WIDGET)

static void
setup_item_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_margin_start (label, 6);
  gtk_list_item_set_child (item, label);
}

static void
bind_item_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  GtkStringObject *word = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), gtk_string_object_get_string (word));
}

static GtkWidget *
action_button (const char *icon,
               const char *tooltip,
               const char *action)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_widget_add_css_class (button, "flat");

  return button;
}

static void
es_selection_panel_dispose (GObject *object)
{
  EsSelectionPanel *self = ES_SELECTION_PANEL (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->words);

  G_OBJECT_CLASS (es_selection_panel_parent_class)->dispose (object);
}

static void
es_selection_panel_class_init (EsSelectionPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = es_selection_panel_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "selectionpanel");
}

static void
es_selection_panel_init (EsSelectionPanel *self)
{
  GtkWidget *header, *title, *scroller, *list, *buttons;
  GtkListItemFactory *factory;

  self->words = gtk_string_list_new (NULL);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  title = gtk_label_new (_("Selection"));
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_box_append (GTK_BOX (header), title);
  self->count_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->count_label), "dim-label");
  gtk_widget_set_hexpand (GTK_WIDGET (self->count_label), TRUE);
  gtk_label_set_xalign (self->count_label, 1);
  gtk_box_append (GTK_BOX (header), GTK_WIDGET (self->count_label));
  gtk_box_append (GTK_BOX (self->box), header);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_item_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_item_cb), NULL);
  /* A list view: a lasso over a crowd may hold tens of thousands. */
  list = gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->words)))),
                            factory);
  gtk_widget_add_css_class (list, "es-selection-list");
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 60);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 180);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_has_frame (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), list);
  gtk_box_append (GTK_BOX (self->box), scroller);

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_box_append (GTK_BOX (buttons), action_button ("edit-copy-symbolic", _("Copy the words"),
                                                    "win.copy-selection"));
  gtk_box_append (GTK_BOX (buttons), action_button ("document-save-as-symbolic",
                                                    _("Export the words with coordinates and metadata…"),
                                                    "win.export-selection"));
  gtk_box_append (GTK_BOX (buttons), action_button ("zoom-fit-best-symbolic", _("Isolate the selection"),
                                                    "win.isolate"));
  gtk_box_append (GTK_BOX (buttons), action_button ("edit-clear-symbolic", _("Clear the selection"),
                                                    "win.clear-selection"));
  gtk_box_append (GTK_BOX (self->box), buttons);

  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
es_selection_panel_new (void)
{
  return g_object_new (ES_TYPE_SELECTION_PANEL, NULL);
}

void
es_selection_panel_set_words (EsSelectionPanel   *self,
                              const char * const *words,
                              gsize               n_words)
{
  g_autofree const char **terminated = NULL;
  g_autofree char *count = NULL;
  g_autofree char *number = NULL;
  guint old;

  g_return_if_fail (ES_IS_SELECTION_PANEL (self));
  g_return_if_fail (words != NULL || n_words == 0);

  terminated = g_new (const char *, n_words + 1);
  for (gsize i = 0; i < n_words; i++)
    terminated[i] = words[i];
  terminated[n_words] = NULL;
  old = g_list_model_get_n_items (G_LIST_MODEL (self->words));
  gtk_string_list_splice (self->words, 0, old, terminated);

  number = g_strdup_printf ("%'" G_GSIZE_FORMAT, n_words);
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s word", "%s words", n_words), number);
  gtk_label_set_text (self->count_label, count);
  gtk_widget_set_visible (GTK_WIDGET (self), n_words > 0);
}

guint
es_selection_panel_get_n_words (EsSelectionPanel *self)
{
  g_return_val_if_fail (ES_IS_SELECTION_PANEL (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->words));
}

char *
es_selection_panel_dup_text (EsSelectionPanel *self)
{
  GString *text = g_string_new (NULL);
  guint n;

  g_return_val_if_fail (ES_IS_SELECTION_PANEL (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->words));
  for (guint i = 0; i < n; i++)
    {
      g_string_append (text, gtk_string_list_get_string (self->words, i));
      g_string_append_c (text, '\n');
    }

  return g_string_free (text, FALSE);
}
