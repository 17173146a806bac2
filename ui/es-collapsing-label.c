/* es-collapsing-label.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-collapsing-label"

#include "config.h"

#include "es-collapsing-label.h"

struct _EsCollapsingLabel
{
  GtkWidget  parent_instance;

  GtkWidget *image;
  GtkWidget *label;
};

G_DEFINE_FINAL_TYPE (EsCollapsingLabel, es_collapsing_label, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LABEL,
  PROP_ICON_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
es_collapsing_label_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  EsCollapsingLabel *self = ES_COLLAPSING_LABEL (widget);
  int image_min, image_nat, label_min, label_nat;

  gtk_widget_measure (self->image, orientation, -1, &image_min, &image_nat, NULL, NULL);
  gtk_widget_measure (self->label, orientation, -1, &label_min, &label_nat, NULL, NULL);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = image_min;
      *natural = MAX (image_min, label_nat);
    }
  else
    {
      *minimum = MAX (image_min, label_min);
      *natural = MAX (image_nat, label_nat);
    }
}

static void
es_collapsing_label_size_allocate (GtkWidget *widget,
                                   int        width,
                                   int        height,
                                   int        baseline)
{
  EsCollapsingLabel *self = ES_COLLAPSING_LABEL (widget);
  int label_nat;
  gboolean expanded;

  gtk_widget_measure (self->label, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &label_nat, NULL, NULL);
  expanded = width >= label_nat;

  gtk_widget_set_child_visible (self->label, expanded);
  gtk_widget_set_child_visible (self->image, !expanded);
  if (expanded)
    gtk_widget_allocate (self->label, width, height, baseline, NULL);
  else
    gtk_widget_allocate (self->image, width, height, baseline, NULL);
}

static void
es_collapsing_label_dispose (GObject *object)
{
  EsCollapsingLabel *self = ES_COLLAPSING_LABEL (object);

  g_clear_pointer (&self->image, gtk_widget_unparent);
  g_clear_pointer (&self->label, gtk_widget_unparent);

  G_OBJECT_CLASS (es_collapsing_label_parent_class)->dispose (object);
}

static void
es_collapsing_label_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  EsCollapsingLabel *self = ES_COLLAPSING_LABEL (object);

  switch (prop_id)
    {
    case PROP_LABEL:
      g_value_set_string (value, es_collapsing_label_get_label (self));
      break;

    case PROP_ICON_NAME:
      g_value_set_string (value, gtk_image_get_icon_name (GTK_IMAGE (self->image)));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
es_collapsing_label_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  EsCollapsingLabel *self = ES_COLLAPSING_LABEL (object);

  switch (prop_id)
    {
    case PROP_LABEL:
      es_collapsing_label_set_label (self, g_value_get_string (value));
      break;

    case PROP_ICON_NAME:
      es_collapsing_label_set_icon_name (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
es_collapsing_label_class_init (EsCollapsingLabelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = es_collapsing_label_dispose;
  object_class->get_property = es_collapsing_label_get_property;
  object_class->set_property = es_collapsing_label_set_property;
  widget_class->measure = es_collapsing_label_measure;
  widget_class->size_allocate = es_collapsing_label_size_allocate;

  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ICON_NAME] =
    g_param_spec_string ("icon-name", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "escollapsinglabel");
}

static void
es_collapsing_label_init (EsCollapsingLabel *self)
{
  self->image = gtk_image_new ();
  self->label = gtk_label_new (NULL);
  gtk_label_set_use_underline (GTK_LABEL (self->label), TRUE);
  gtk_widget_set_parent (self->image, GTK_WIDGET (self));
  gtk_widget_set_parent (self->label, GTK_WIDGET (self));
}

GtkWidget *
es_collapsing_label_new (const char *icon_name,
                         const char *text)
{
  return g_object_new (ES_TYPE_COLLAPSING_LABEL, "icon-name", icon_name, "label", text, NULL);
}

const char *
es_collapsing_label_get_label (EsCollapsingLabel *self)
{
  g_return_val_if_fail (ES_IS_COLLAPSING_LABEL (self), NULL);

  return gtk_label_get_label (GTK_LABEL (self->label));
}

void
es_collapsing_label_set_label (EsCollapsingLabel *self,
                               const char        *text)
{
  g_return_if_fail (ES_IS_COLLAPSING_LABEL (self));

  if (g_strcmp0 (text, es_collapsing_label_get_label (self)) == 0)
    return;

  gtk_label_set_label (GTK_LABEL (self->label), text != NULL ? text : "");
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABEL]);
}

void
es_collapsing_label_set_icon_name (EsCollapsingLabel *self,
                                   const char        *icon_name)
{
  g_return_if_fail (ES_IS_COLLAPSING_LABEL (self));

  if (g_strcmp0 (icon_name, gtk_image_get_icon_name (GTK_IMAGE (self->image))) == 0)
    return;

  gtk_image_set_from_icon_name (GTK_IMAGE (self->image), icon_name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ICON_NAME]);
}

gboolean
es_collapsing_label_get_expanded (EsCollapsingLabel *self)
{
  g_return_val_if_fail (ES_IS_COLLAPSING_LABEL (self), FALSE);

  return gtk_widget_get_child_visible (self->label);
}
