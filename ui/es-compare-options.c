/* es-compare-options.c: how the compare window aligns, and how well it fitted
 *
 * A popover in the header bar: the method (automatic, orthogonal
 * Procrustes, least-squares linear map), centring, scaling, an anchor
 * list to fit on and the k of the neighbour overlap.  Each change runs
 * the comparison again as a job (the window's one job: a newer change
 * cancels the older run), keeping the focus word.  The fit figures sit
 * under the options.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-compare-window"

#include "config.h"

#include "es-compare-window-private.h"

#include <glib/gi18n.h>

#include "es-dialogs.h"

/* Method drop-down rows: automatic, then the EsAlignMethod values. */
static int
method_of_row (guint row)
{
  return row == 1 ? ES_ALIGN_ORTHOGONAL : row == 2 ? ES_ALIGN_LINEAR : -1;
}

static guint
row_of_method (int method)
{
  return method == ES_ALIGN_ORTHOGONAL ? 1 : method == ES_ALIGN_LINEAR ? 2 : 0;
}

void
_es_compare_options_sync (EsCompareWindow *self)
{
  g_autofree char *anchors = NULL;

  self->syncing_options++;
  gtk_drop_down_set_selected (self->method_dropdown, row_of_method (self->options.method));
  gtk_check_button_set_active (self->center_check, self->options.center);
  gtk_check_button_set_active (self->scale_check, self->options.scale);
  /* Scaling is Procrustes' (Umeyama); the linear map scales anyway. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->scale_check), self->options.method != ES_ALIGN_LINEAR);
  anchors = self->options.anchors != NULL ? g_path_get_basename (self->options.anchors) : NULL;
  gtk_label_set_text (self->anchors_label, anchors != NULL ? anchors : _("All shared words"));
  gtk_widget_set_visible (self->anchors_clear, anchors != NULL);
  gtk_spin_button_set_value (self->k_spin, self->options.k);
  self->syncing_options--;
}

static void
options_changed (EsCompareWindow *self)
{
  if (self->syncing_options > 0)
    return;
  _es_compare_options_sync (self);
  _es_compare_window_rerun (self);
}

static void
method_changed_cb (GtkDropDown     *dropdown,
                   GParamSpec      *pspec,
                   EsCompareWindow *self)
{
  int method = method_of_row (gtk_drop_down_get_selected (dropdown));

  if (self->syncing_options > 0 || method == self->options.method)
    return;
  self->options.method = method;
  options_changed (self);
}

static void
check_toggled_cb (GtkCheckButton  *check,
                  EsCompareWindow *self)
{
  gboolean *slot = check == self->center_check ? &self->options.center : &self->options.scale;

  if (self->syncing_options > 0 || !*slot == !gtk_check_button_get_active (check))
    return;
  *slot = gtk_check_button_get_active (check);
  options_changed (self);
}

static void
k_changed_cb (GtkSpinButton   *spin,
              EsCompareWindow *self)
{
  guint k = (guint) gtk_spin_button_get_value_as_int (spin);

  if (self->syncing_options > 0 || k == self->options.k)
    return;
  self->options.k = k;
  options_changed (self);
}

static void
anchors_ready_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(EsCompareWindow) self = user_data;
  g_autoptr(GFile) file = es_dialogs_open_finish (result, NULL);
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

  if (path != NULL && es_compare_window_get_plot (self) != NULL)
    {
      EsComparisonOptions options = self->options;

      options.anchors = path;
      es_compare_window_set_options (self, &options);
    }
}

static void
anchors_clicked_cb (GtkButton       *button,
                    EsCompareWindow *self)
{
  es_dialogs_open_async (GTK_WINDOW (self), ES_FILE_KIND_METADATA, self->dialog_cancellable,
                         anchors_ready_cb, g_object_ref (self));
}

static void
anchors_clear_cb (GtkButton       *button,
                  EsCompareWindow *self)
{
  EsComparisonOptions options = self->options;

  options.anchors = NULL;
  es_compare_window_set_options (self, &options);
}

/* Residual, anchor cosine and the vocabulary counts, also in the status
 * line; here with the options that made them.
 */
void
_es_compare_options_update_fit (EsCompareWindow *self)
{
  EsComparison *c = self->comparison;
  const EsWordPairs *pairs;
  const EsAlignment *al;
  g_autofree char *fitted_on = NULL;
  g_autofree char *overlap = NULL;
  g_autofree char *text = NULL;
  const EsChangeScores *scores;

  if (c == NULL)
    return;
  pairs = es_comparison_get_pairs (c);
  al = es_comparison_get_alignment (c);
  scores = es_comparison_get_scores (c);
  fitted_on = es_comparison_get_n_anchors (c) > 0
              ? g_strdup_printf (_("%" G_GSIZE_FORMAT " anchors"), es_comparison_get_n_anchors (c))
              : g_strdup_printf (_("all %" G_GSIZE_FORMAT " shared words"), es_word_pairs_get_n (pairs));
  overlap = es_change_scores_get_n_overlap (scores) > 0
            ? g_strdup_printf (_("Mean neighbour overlap %.3f (k = %u, %" G_GSIZE_FORMAT " most frequent words)"),
                               es_change_scores_get_mean_overlap (scores), es_change_scores_get_k (scores),
                               es_change_scores_get_n_overlap (scores))
            : g_strdup (_("No neighbour overlap (k = 0 or too few words)"));
  text = g_strdup_printf (_("%s fit of B onto A on %s\n"
                            "Residual %.4g (relative %.4f) · mean anchor cosine %.4f\n"
                            "Shared %" G_GSIZE_FORMAT " · only in A %" G_GSIZE_FORMAT
                            " · only in B %" G_GSIZE_FORMAT "\n%s"),
                          es_alignment_get_method (al) == ES_ALIGN_ORTHOGONAL ? _("Orthogonal") : _("Linear"),
                          fitted_on, es_alignment_get_residual (al), es_alignment_get_relative_residual (al),
                          es_alignment_get_mean_cosine (al), es_word_pairs_get_n (pairs),
                          es_word_pairs_get_only_a (pairs), es_word_pairs_get_only_b (pairs), overlap);
  gtk_label_set_text (self->fit_label, text);
}

static GtkWidget *
row_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  return label;
}

GtkWidget *
_es_compare_options_build (EsCompareWindow *self)
{
  const char *methods[] = { N_("Automatic"), N_("Orthogonal (Procrustes)"), N_("Linear (least squares)"), NULL };
  const char *translated[G_N_ELEMENTS (methods)];
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *anchors_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *button, *heading;

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    translated[i] = methods[i] != NULL ? _(methods[i]) : NULL;
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);

  heading = row_label (_("Alignment"));
  gtk_widget_add_css_class (heading, "heading");
  gtk_grid_attach (GTK_GRID (grid), heading, 0, 0, 2, 1);

  gtk_grid_attach (GTK_GRID (grid), row_label (_("Method")), 0, 1, 1, 1);
  self->method_dropdown = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (translated));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->method_dropdown),
                               _("Automatic: orthogonal when the dimensions match, else linear"));
  g_signal_connect (self->method_dropdown, "notify::selected", G_CALLBACK (method_changed_cb), self);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->method_dropdown), 1, 1, 1, 1);

  self->center_check = GTK_CHECK_BUTTON (gtk_check_button_new_with_label (_("Centre both spaces")));
  g_signal_connect (self->center_check, "toggled", G_CALLBACK (check_toggled_cb), self);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->center_check), 0, 2, 2, 1);
  self->scale_check = GTK_CHECK_BUTTON (gtk_check_button_new_with_label (_("Scale (one factor)")));
  g_signal_connect (self->scale_check, "toggled", G_CALLBACK (check_toggled_cb), self);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->scale_check), 0, 3, 2, 1);

  gtk_grid_attach (GTK_GRID (grid), row_label (_("Fit on")), 0, 4, 1, 1);
  self->anchors_label = GTK_LABEL (row_label (NULL));
  gtk_label_set_ellipsize (self->anchors_label, PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (self->anchors_label, 22);
  gtk_widget_set_hexpand (GTK_WIDGET (self->anchors_label), TRUE);
  gtk_box_append (GTK_BOX (anchors_box), GTK_WIDGET (self->anchors_label));
  button = gtk_button_new_with_label (_("Anchors…"));
  gtk_widget_set_tooltip_text (button, _("A word list: \"word\" or \"word_in_A word_in_B\" per line"));
  g_signal_connect (button, "clicked", G_CALLBACK (anchors_clicked_cb), self);
  gtk_box_append (GTK_BOX (anchors_box), button);
  self->anchors_clear = gtk_button_new_from_icon_name ("edit-clear-symbolic");
  gtk_widget_set_tooltip_text (self->anchors_clear, _("Fit on every shared word"));
  g_signal_connect (self->anchors_clear, "clicked", G_CALLBACK (anchors_clear_cb), self);
  gtk_box_append (GTK_BOX (anchors_box), self->anchors_clear);
  gtk_grid_attach (GTK_GRID (grid), anchors_box, 1, 4, 1, 1);

  gtk_grid_attach (GTK_GRID (grid), row_label (_("Neighbour overlap k")), 0, 5, 1, 1);
  self->k_spin = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (0, 100, 1));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->k_spin),
                               _("Shared neighbours among the k nearest in each space (0: none)"));
  g_signal_connect (self->k_spin, "value-changed", G_CALLBACK (k_changed_cb), self);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->k_spin), 1, 5, 1, 1);

  heading = row_label (_("Fit"));
  gtk_widget_add_css_class (heading, "heading");
  gtk_widget_set_margin_top (heading, 6);
  gtk_grid_attach (GTK_GRID (grid), heading, 0, 6, 2, 1);
  self->fit_label = GTK_LABEL (row_label (_("Not compared yet")));
  gtk_label_set_wrap (self->fit_label, TRUE);
  gtk_label_set_max_width_chars (self->fit_label, 48);
  gtk_label_set_selectable (self->fit_label, TRUE);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->fit_label), 0, 7, 2, 1);

  gtk_popover_set_child (GTK_POPOVER (popover), grid);
  self->options_button = gtk_menu_button_new ();
  gtk_menu_button_set_label (GTK_MENU_BUTTON (self->options_button), _("Alignment"));
  gtk_widget_set_tooltip_text (self->options_button, _("How B is aligned onto A, and how well it fits"));
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->options_button), popover);
  _es_compare_options_sync (self);
  return self->options_button;
}

void
es_compare_window_set_options (EsCompareWindow           *self,
                               const EsComparisonOptions *options)
{
  g_autofree char *old = NULL;

  g_return_if_fail (ES_IS_COMPARE_WINDOW (self));
  g_return_if_fail (options != NULL);

  if (es_comparison_options_equal (options, &self->options))
    return;
  old = self->anchors;
  self->options = *options;
  self->options.anchors = self->anchors = g_strdup (options->anchors);
  _es_compare_options_sync (self);
  _es_compare_window_rerun (self);
}

const EsComparisonOptions *
es_compare_window_get_options (EsCompareWindow *self)
{
  g_return_val_if_fail (ES_IS_COMPARE_WINDOW (self), NULL);

  return &self->options;
}
