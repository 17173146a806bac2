/* es-map-settings.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The popover only edits values; "apply" hands them to the window, which
 * owns them (and clamps them to the rows it maps, saying so).
 */

#define G_LOG_DOMAIN "es-map-settings"

#include "config.h"

#include "es-map-settings.h"

#include <glib/gi18n.h>

struct _EsMapSettings
{
  GtkPopover     parent_instance;

  GtkLabel      *title;
  GtkWidget     *tsne_rows[2];
  GtkWidget     *umap_rows[3];
  GtkSpinButton *perplexity;
  GtkSpinButton *iterations;
  GtkSpinButton *n_neighbors;
  GtkSpinButton *min_dist;
  GtkSpinButton *epochs;
  GtkSpinButton *seed;
};

G_DEFINE_FINAL_TYPE (EsMapSettings, es_map_settings, GTK_TYPE_POPOVER)

enum {
  APPLY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
es_map_params_init (EsMapParams *params)
{
  g_return_if_fail (params != NULL);

  /* The engines' defaults (es_tsne_options_init, es_umap_options_init). */
  params->perplexity = 30;
  params->iterations = 1000;
  params->n_neighbors = 15;
  params->min_dist = 0.1;
  params->epochs = 0;
  params->seed = 1;
}

char *
es_map_params_describe (const EsMapParams *params,
                        gboolean           tsne)
{
  g_return_val_if_fail (params != NULL, NULL);

  if (tsne)
    return g_strdup_printf ("perplexity %g, %u iterations, seed %" G_GUINT64_FORMAT,
                            params->perplexity, params->iterations, params->seed);
  if (params->epochs == 0)
    return g_strdup_printf ("%u neighbours, min_dist %g, seed %" G_GUINT64_FORMAT,
                            params->n_neighbors, params->min_dist, params->seed);
  return g_strdup_printf ("%u neighbours, min_dist %g, %u epochs, seed %" G_GUINT64_FORMAT,
                          params->n_neighbors, params->min_dist, params->epochs, params->seed);
}

/* One labelled spin button in the grid; returns the row's widgets' label. */
static GtkSpinButton *
add_row (GtkGrid     *grid,
         int          row,
         const char  *label,
         const char  *tooltip,
         double       min,
         double       max,
         double       step,
         guint        digits,
         GtkWidget  **label_out)
{
  GtkWidget *name = gtk_label_new_with_mnemonic (label);
  GtkWidget *spin = gtk_spin_button_new_with_range (min, max, step);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (name), spin);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_widget_set_tooltip_text (spin, tooltip);
  gtk_widget_set_hexpand (spin, TRUE);
  gtk_grid_attach (grid, name, 0, row, 1, 1);
  gtk_grid_attach (grid, spin, 1, row, 1, 1);
  *label_out = name;

  return GTK_SPIN_BUTTON (spin);
}

static void
apply_clicked_cb (EsMapSettings *self)
{
  /* Typed but not yet committed text counts. */
  gtk_spin_button_update (self->perplexity);
  gtk_spin_button_update (self->iterations);
  gtk_spin_button_update (self->n_neighbors);
  gtk_spin_button_update (self->min_dist);
  gtk_spin_button_update (self->epochs);
  gtk_spin_button_update (self->seed);
  gtk_popover_popdown (GTK_POPOVER (self));
  g_signal_emit (self, signals[APPLY], 0);
}

static void
es_map_settings_class_init (EsMapSettingsClass *klass)
{
  /* The values are read with es_map_settings_get_params (). */
  signals[APPLY] = g_signal_new ("apply", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
es_map_settings_init (EsMapSettings *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *note, *button, *seed_label;
  EsMapParams defaults;

  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  self->title = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->title), "heading");
  gtk_label_set_xalign (self->title, 0);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->title));

  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  self->perplexity = add_row (GTK_GRID (grid), 0, _("_Perplexity"),
                              _("About how many neighbours each point keeps close (t-SNE); at most "
                                "(points − 1) / 3"),
                              2, 500, 1, 1, &self->tsne_rows[0]);
  self->iterations = add_row (GTK_GRID (grid), 1, _("_Iterations"),
                              _("Gradient steps, the first 250 with early exaggeration"),
                              250, 20000, 50, 0, &self->tsne_rows[1]);
  self->n_neighbors = add_row (GTK_GRID (grid), 2, _("_Neighbours"),
                               _("Size of the local neighbourhood, the point included (UMAP)"),
                               2, 500, 1, 0, &self->umap_rows[0]);
  self->min_dist = add_row (GTK_GRID (grid), 3, _("_Minimum distance"),
                            _("How tightly points may pack in the map (UMAP)"),
                            0, 0.99, 0.05, 2, &self->umap_rows[1]);
  self->epochs = add_row (GTK_GRID (grid), 4, _("_Epochs"),
                          _("Optimisation rounds; 0 chooses by size (500 up to 10,000 points, else 200)"),
                          0, 10000, 50, 0, &self->umap_rows[2]);
  self->seed = add_row (GTK_GRID (grid), 5, _("_Seed"),
                        _("The same seed and parameters give the same map, bit for bit"),
                        0, G_MAXINT32, 1, 0, &seed_label);
  gtk_box_append (GTK_BOX (box), grid);

  note = gtk_label_new (_("Values beyond what the shown points allow are lowered, and the status bar "
                          "says so."));
  gtk_label_set_wrap (GTK_LABEL (note), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (note), 34);
  gtk_label_set_xalign (GTK_LABEL (note), 0);
  gtk_widget_add_css_class (note, "dim-label");
  gtk_widget_add_css_class (note, "caption");
  gtk_box_append (GTK_BOX (box), note);

  button = gtk_button_new_with_mnemonic (_("_Run Map"));
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (apply_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), button);

  gtk_popover_set_child (GTK_POPOVER (self), box);
  gtk_popover_set_default_widget (GTK_POPOVER (self), button);

  es_map_params_init (&defaults);
  es_map_settings_set_params (self, &defaults);
  es_map_settings_set_method (self, "tsne");
}

GtkWidget *
es_map_settings_new (void)
{
  return g_object_new (ES_TYPE_MAP_SETTINGS, NULL);
}

void
es_map_settings_set_method (EsMapSettings *self,
                            const char    *method)
{
  gboolean tsne;

  g_return_if_fail (ES_IS_MAP_SETTINGS (self));

  tsne = g_strcmp0 (method, "umap") != 0;
  gtk_label_set_text (self->title, tsne ? _("t-SNE Settings") : _("UMAP Settings"));
  for (guint i = 0; i < G_N_ELEMENTS (self->tsne_rows); i++)
    {
      gtk_widget_set_visible (self->tsne_rows[i], tsne);
      gtk_widget_set_visible (gtk_label_get_mnemonic_widget (GTK_LABEL (self->tsne_rows[i])), tsne);
    }
  for (guint i = 0; i < G_N_ELEMENTS (self->umap_rows); i++)
    {
      gtk_widget_set_visible (self->umap_rows[i], !tsne);
      gtk_widget_set_visible (gtk_label_get_mnemonic_widget (GTK_LABEL (self->umap_rows[i])), !tsne);
    }
}

void
es_map_settings_set_params (EsMapSettings     *self,
                            const EsMapParams *params)
{
  g_return_if_fail (ES_IS_MAP_SETTINGS (self));
  g_return_if_fail (params != NULL);

  gtk_spin_button_set_value (self->perplexity, params->perplexity);
  gtk_spin_button_set_value (self->iterations, params->iterations);
  gtk_spin_button_set_value (self->n_neighbors, params->n_neighbors);
  gtk_spin_button_set_value (self->min_dist, params->min_dist);
  gtk_spin_button_set_value (self->epochs, params->epochs);
  gtk_spin_button_set_value (self->seed, (double) MIN (params->seed, (guint64) G_MAXINT32));
}

void
es_map_settings_get_params (EsMapSettings *self,
                            EsMapParams   *params)
{
  g_return_if_fail (ES_IS_MAP_SETTINGS (self));
  g_return_if_fail (params != NULL);

  params->perplexity = gtk_spin_button_get_value (self->perplexity);
  params->iterations = (guint) gtk_spin_button_get_value_as_int (self->iterations);
  params->n_neighbors = (guint) gtk_spin_button_get_value_as_int (self->n_neighbors);
  params->min_dist = gtk_spin_button_get_value (self->min_dist);
  params->epochs = (guint) gtk_spin_button_get_value_as_int (self->epochs);
  params->seed = (guint64) gtk_spin_button_get_value_as_int (self->seed);
}
