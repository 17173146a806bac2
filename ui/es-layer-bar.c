/* es-layer-bar.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A slider over the layers and an "All" toggle; the window filters the
 * plot to the layer (the projection stays fitted on every layer, so the
 * axes are shared and a token moves between layers on the same axes).
 */

#define G_LOG_DOMAIN "es-layer-bar"

#include "config.h"

#include "es-layer-bar.h"

#include <glib/gi18n.h>
#include <math.h>

struct _EsLayerBar
{
  GtkWidget        parent_instance;

  GtkWidget       *box;
  GtkScale        *scale;
  GtkToggleButton *all;
  guint            n_layers;
  int              layer;
  gboolean         updating;
};

G_DEFINE_FINAL_TYPE (EsLayerBar, es_layer_bar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LAYER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_layer_internal (EsLayerBar *self,
                    int         layer)
{
  if (self->n_layers == 0)
    layer = -1;
  layer = CLAMP (layer, -1, (int) self->n_layers - 1);
  if (layer == self->layer)
    return;
  self->layer = layer;
  self->updating = TRUE;
  gtk_toggle_button_set_active (self->all, layer < 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->scale), layer >= 0);
  if (layer >= 0)
    gtk_range_set_value (GTK_RANGE (self->scale), layer);
  self->updating = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAYER]);
}

static void
scale_changed_cb (EsLayerBar *self)
{
  if (!self->updating && !gtk_toggle_button_get_active (self->all))
    set_layer_internal (self, (int) lround (gtk_range_get_value (GTK_RANGE (self->scale))));
}

static void
all_toggled_cb (EsLayerBar *self)
{
  if (self->updating)
    return;
  set_layer_internal (self, gtk_toggle_button_get_active (self->all)
                            ? -1 : (int) lround (gtk_range_get_value (GTK_RANGE (self->scale))));
}

static void
es_layer_bar_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  EsLayerBar *self = ES_LAYER_BAR (object);

  switch (prop_id)
    {
    case PROP_LAYER:
      g_value_set_int (value, self->layer);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
es_layer_bar_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  EsLayerBar *self = ES_LAYER_BAR (object);

  switch (prop_id)
    {
    case PROP_LAYER:
      es_layer_bar_set_layer (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
es_layer_bar_dispose (GObject *object)
{
  EsLayerBar *self = ES_LAYER_BAR (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (es_layer_bar_parent_class)->dispose (object);
}

static void
es_layer_bar_class_init (EsLayerBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = es_layer_bar_dispose;
  object_class->get_property = es_layer_bar_get_property;
  object_class->set_property = es_layer_bar_set_property;

  properties[PROP_LAYER] =
    g_param_spec_int ("layer", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "layerbar");
}

static void
es_layer_bar_init (EsLayerBar *self)
{
  GtkWidget *title, *row;

  self->layer = -1;
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  title = gtk_label_new (_("Layer"));
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_box_append (GTK_BOX (self->box), title);

  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->scale = GTK_SCALE (gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 0, 1, 1));
  gtk_scale_set_digits (self->scale, 0);
  gtk_scale_set_draw_value (self->scale, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->scale), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->scale), FALSE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->scale),
                               _("The layer shown; the axes are fitted on every layer, so they are shared"));
  g_signal_connect_swapped (self->scale, "value-changed", G_CALLBACK (scale_changed_cb), self);
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->scale));
  self->all = GTK_TOGGLE_BUTTON (gtk_toggle_button_new_with_mnemonic (_("_All")));
  gtk_toggle_button_set_active (self->all, TRUE);
  gtk_widget_set_valign (GTK_WIDGET (self->all), GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->all), _("Show every layer"));
  g_signal_connect_swapped (self->all, "toggled", G_CALLBACK (all_toggled_cb), self);
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->all));
  gtk_box_append (GTK_BOX (self->box), row);

  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
es_layer_bar_new (void)
{
  return g_object_new (ES_TYPE_LAYER_BAR, NULL);
}

void
es_layer_bar_set_n_layers (EsLayerBar *self,
                           guint       n_layers)
{
  g_return_if_fail (ES_IS_LAYER_BAR (self));

  self->n_layers = n_layers;
  gtk_widget_set_visible (GTK_WIDGET (self), n_layers > 1);
  if (n_layers > 1)
    {
      self->updating = TRUE;
      gtk_range_set_range (GTK_RANGE (self->scale), 0, n_layers - 1);
      gtk_scale_clear_marks (self->scale);
      for (guint l = 0; l < n_layers && n_layers <= 64; l++)
        gtk_scale_add_mark (self->scale, l, GTK_POS_BOTTOM, NULL);
      self->updating = FALSE;
    }
  set_layer_internal (self, -1);
}

guint
es_layer_bar_get_n_layers (EsLayerBar *self)
{
  g_return_val_if_fail (ES_IS_LAYER_BAR (self), 0);

  return self->n_layers;
}

int
es_layer_bar_get_layer (EsLayerBar *self)
{
  g_return_val_if_fail (ES_IS_LAYER_BAR (self), -1);

  return self->layer;
}

void
es_layer_bar_set_layer (EsLayerBar *self,
                        int         layer)
{
  g_return_if_fail (ES_IS_LAYER_BAR (self));

  set_layer_internal (self, layer);
}
