/* es-compare-session.c: the comparison in a saved session
 *
 * A session names A as its data file and, under "compare", B's file, the
 * alignment options and the focus word (es-session.h).  The main window
 * adds these when it has a compare window of its file open; the compare
 * window saves a session of its own (A as the linked main window shows
 * it, or with the default view when no window shows A, and the
 * comparison).  Opening either in the main window shows A and opens the
 * compare window again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-compare-window"

#include "config.h"

#include "es-compare-window-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "es-dialogs.h"

void
es_compare_window_add_to_session (EsCompareWindow *self,
                                  EsSession       *session)
{
  g_return_if_fail (ES_IS_COMPARE_WINDOW (self));
  g_return_if_fail (session != NULL);

  if (self->path_b == NULL)
    return;
  g_free (session->compare_path);
  session->compare_path = g_canonicalize_filename (self->path_b, NULL);
  g_free (session->compare_method);
  session->compare_method = g_strdup (self->options.method < 0 ? "auto"
                                      : es_align_method_to_string ((EsAlignMethod) self->options.method));
  session->compare_center = self->options.center;
  session->compare_scale = self->options.scale;
  g_free (session->compare_anchors);
  session->compare_anchors = self->options.anchors != NULL ? g_canonicalize_filename (self->options.anchors, NULL)
                                                           : NULL;
  session->compare_k = self->options.k;
  session->compare_overlap_top = self->options.overlap_top;
  g_free (session->compare_focus);
  session->compare_focus = g_strdup (es_compare_window_get_focus (self));
}

void
es_compare_window_apply_session (EsCompareWindow *self,
                                 const EsSession *session)
{
  EsComparisonOptions options;
  EsAlignMethod method;

  g_return_if_fail (ES_IS_COMPARE_WINDOW (self));
  g_return_if_fail (session != NULL);

  es_comparison_options_init (&options);
  if (session->compare_method != NULL && es_align_method_from_string (session->compare_method, &method))
    options.method = (int) method;
  options.center = session->compare_center;
  options.scale = session->compare_scale;
  options.anchors = session->compare_anchors;
  options.k = session->compare_k;
  options.overlap_top = session->compare_overlap_top;
  es_compare_window_set_options (self, &options);
  g_free (self->keep_focus);
  self->keep_focus = g_strdup (session->compare_focus);
}

gboolean
es_compare_window_save_session (EsCompareWindow *self,
                                const char      *path,
                                GError         **error)
{
  g_autoptr(EsSession) session = NULL;

  g_return_val_if_fail (ES_IS_COMPARE_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->path_a == NULL || self->path_b == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                   _("A session names the files it compares, and one of these was not opened from a file"));
      return FALSE;
    }
  /* A as the main window shows it (its writer: one place knows the view),
   * when that window shows A; else A with the default view.
   */
  session = _es_compare_link_dup_view_session (self);
  if (session == NULL)
    {
      g_auto(GStrv) words = es_compare_window_dup_selected_words (self);

      session = es_session_new ();
      session->data_path = g_canonicalize_filename (self->path_a, NULL);
      /* The linked main window's selection and focus are the compare view's. */
      session->selection = g_steal_pointer (&words);
      session->focus = g_strdup (es_compare_window_get_focus (self));
    }
  /* This window's pair and options, whichever compare window the main
   * window last opened.
   */
  es_compare_window_add_to_session (self, session);
  return es_session_save (session, path, error);
}

static void
save_ready_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(EsCompareWindow) self = user_data;
  g_autoptr(GFile) file = es_dialogs_save_finish (result, NULL);
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
  g_autoptr(GError) error = NULL;

  if (path != NULL && es_compare_window_get_plot (self) != NULL &&
      !es_compare_window_save_session (self, path, &error))
    es_dialogs_show_error (GTK_WINDOW (self), _("Could not save the session"), error->message);
}

static void
save_session_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  EsCompareWindow *self = ES_COMPARE_WINDOW (widget);

  if (self->comparison == NULL)
    return;
  es_dialogs_save_async (GTK_WINDOW (self), ES_FILE_KIND_SESSION, "compare.embedscope", self->dialog_cancellable,
                         save_ready_cb, g_object_ref (self));
}

void
_es_compare_session_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.save-session", NULL, save_session_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.save-session", NULL);
}
