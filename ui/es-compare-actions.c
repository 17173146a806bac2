/* es-compare-actions.c: the compare window's widgets, their signals and its
 * actions (select a word, export, compare A with another file)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-compare-window"

#include "config.h"

#include "es-compare-window-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "es-dialogs.h"
#include "es-result-list.h"
#include "es-scatter-view.h"

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
  gint64 pair = _es_compare_window_pair_of_plot_row (self, row);

  if (pair >= 0)
    _es_compare_window_set_focus (self, pair);
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
      gint64 pair = _es_compare_window_pair_of_plot_row (self, g_array_index (rows, guint32, i));
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
    _es_compare_window_show_data (self);
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

void
_es_compare_window_build (EsCompareWindow *self)
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
  es_scatter_view_set_detail_func (self->plot, _es_compare_window_detail_cb, self, NULL);
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

void
_es_compare_actions_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.select-word", "s", select_word_action);
  gtk_widget_class_install_action (widget_class, "win.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "win.compare-with", NULL, compare_with_action);
}
