/* es-window-feedback.c: a short note over the plot after something was
 * done that shows nowhere else ("Saved FILE" after an export)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-window"

#include "config.h"

#include <glib/gi18n.h>

#include "es-window-private.h"

/* Long enough to read a file name. */
#define FEEDBACK_SECONDS 4

static void
close_clicked_cb (EsWindow *self)
{
  _es_window_show_feedback (self, NULL);
}

void
_es_window_feedback_init (EsWindow *self)
{
  GtkWidget *overlay = gtk_widget_get_parent (GTK_WIDGET (self->plot));
  GtkWidget *box;
  GtkWidget *close;

  g_return_if_fail (GTK_IS_OVERLAY (overlay));

  self->feedback_revealer = GTK_REVEALER (gtk_revealer_new ());
  gtk_revealer_set_transition_type (self->feedback_revealer, GTK_REVEALER_TRANSITION_TYPE_SLIDE_UP);
  gtk_widget_set_halign (GTK_WIDGET (self->feedback_revealer), GTK_ALIGN_CENTER);
  gtk_widget_set_valign (GTK_WIDGET (self->feedback_revealer), GTK_ALIGN_END);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->feedback_revealer), 24);
  /* Hidden, it must not take the plot's clicks. */
  gtk_widget_set_can_target (GTK_WIDGET (self->feedback_revealer), FALSE);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (box, "app-notification");
  gtk_widget_add_css_class (box, "osd");
  self->feedback_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_ellipsize (self->feedback_label, PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (self->feedback_label, 60);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->feedback_label));
  close = gtk_button_new_from_icon_name ("window-close-symbolic");
  gtk_widget_add_css_class (close, "flat");
  gtk_widget_set_tooltip_text (close, _("Dismiss"));
  g_signal_connect_swapped (close, "clicked", G_CALLBACK (close_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), close);
  gtk_revealer_set_child (self->feedback_revealer, box);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), GTK_WIDGET (self->feedback_revealer));
}

void
_es_window_feedback_dispose (EsWindow *self)
{
  g_clear_handle_id (&self->feedback_source, g_source_remove);
}

static gboolean
feedback_timeout_cb (gpointer user_data)
{
  EsWindow *self = user_data;

  self->feedback_source = 0;
  _es_window_show_feedback (self, NULL);

  return G_SOURCE_REMOVE;
}

/* NULL hides it. */
void
_es_window_show_feedback (EsWindow   *self,
                          const char *message)
{
  g_clear_handle_id (&self->feedback_source, g_source_remove);
  if (message == NULL)
    {
      gtk_revealer_set_reveal_child (self->feedback_revealer, FALSE);
      gtk_widget_set_can_target (GTK_WIDGET (self->feedback_revealer), FALSE);
      return;
    }

  gtk_label_set_text (self->feedback_label, message);
  gtk_revealer_set_reveal_child (self->feedback_revealer, TRUE);
  gtk_widget_set_can_target (GTK_WIDGET (self->feedback_revealer), TRUE);
  self->feedback_source = g_timeout_add_seconds (FEEDBACK_SECONDS, feedback_timeout_cb, self);
}
