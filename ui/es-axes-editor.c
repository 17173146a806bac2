/* es-axes-editor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-axes-editor"

#include "config.h"

#include "es-axes-editor.h"

#define DEBOUNCE_MS 400

struct _EsAxesEditor
{
  GtkWidget  parent_instance;

  GtkEntry  *x_entry;
  GtkEntry  *y_entry;
  GtkEntry  *z_entry;
  GtkWidget *z_label;
  GtkLabel  *error_label;

  gboolean   three_d;
  gboolean   orthogonalize;
  guint      debounce_source;
};

G_DEFINE_FINAL_TYPE (EsAxesEditor, es_axes_editor, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_THREE_D,
  PROP_ORTHOGONALIZE,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static gboolean
debounce_cb (gpointer user_data)
{
  EsAxesEditor *self = user_data;

  self->debounce_source = 0;
  g_signal_emit (self, signals[CHANGED], 0);

  return G_SOURCE_REMOVE;
}

static void
queue_changed (EsAxesEditor *self)
{
  g_clear_handle_id (&self->debounce_source, g_source_remove);
  self->debounce_source = g_timeout_add (DEBOUNCE_MS, debounce_cb, self);
}

static void
entry_changed_cb (EsAxesEditor *self,
                  GtkEditable  *editable)
{
  queue_changed (self);
}

static void
es_axes_editor_dispose (GObject *object)
{
  EsAxesEditor *self = (EsAxesEditor *)object;
  GtkWidget *child;

  if (self->x_entry != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->x_entry, self);
      g_signal_handlers_disconnect_by_data (self->y_entry, self);
      g_signal_handlers_disconnect_by_data (self->z_entry, self);
    }
  g_clear_handle_id (&self->debounce_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), ES_TYPE_AXES_EDITOR);
  /* Children the template does not bind (the root box) are ours too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (es_axes_editor_parent_class)->dispose (object);
}

static void
es_axes_editor_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  EsAxesEditor *self = ES_AXES_EDITOR (object);

  switch (prop_id)
    {
    case PROP_THREE_D:
      g_value_set_boolean (value, es_axes_editor_get_three_d (self));
      break;

    case PROP_ORTHOGONALIZE:
      g_value_set_boolean (value, es_axes_editor_get_orthogonalize (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
es_axes_editor_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  EsAxesEditor *self = ES_AXES_EDITOR (object);

  switch (prop_id)
    {
    case PROP_THREE_D:
      es_axes_editor_set_three_d (self, g_value_get_boolean (value));
      break;

    case PROP_ORTHOGONALIZE:
      if (self->orthogonalize != g_value_get_boolean (value))
        {
          self->orthogonalize = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
          queue_changed (self);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
es_axes_editor_class_init (EsAxesEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = es_axes_editor_dispose;
  object_class->get_property = es_axes_editor_get_property;
  object_class->set_property = es_axes_editor_set_property;

  properties[PROP_THREE_D] =
    g_param_spec_boolean ("three-d", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ORTHOGONALIZE] =
    g_param_spec_boolean ("orthogonalize", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/embedscope/Embedscope/ui/es-axes-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, EsAxesEditor, x_entry);
  gtk_widget_class_bind_template_child (widget_class, EsAxesEditor, y_entry);
  gtk_widget_class_bind_template_child (widget_class, EsAxesEditor, z_entry);
  gtk_widget_class_bind_template_child (widget_class, EsAxesEditor, z_label);
  gtk_widget_class_bind_template_child (widget_class, EsAxesEditor, error_label);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed_cb);

  gtk_widget_class_install_property_action (widget_class, "axes.orthogonalize", "orthogonalize");

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "esaxeseditor");
}

static void
es_axes_editor_init (EsAxesEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_widget_set_visible (self->z_label, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->z_entry), FALSE);
}

GtkWidget *
es_axes_editor_new (void)
{
  return g_object_new (ES_TYPE_AXES_EDITOR, NULL);
}

char **
es_axes_editor_dup_axes (EsAxesEditor *self)
{
  GStrvBuilder *builder;
  char **axes;

  g_return_val_if_fail (ES_IS_AXES_EDITOR (self), NULL);

  builder = g_strv_builder_new ();
  g_strv_builder_add (builder, gtk_editable_get_text (GTK_EDITABLE (self->x_entry)));
  g_strv_builder_add (builder, gtk_editable_get_text (GTK_EDITABLE (self->y_entry)));
  if (self->three_d)
    g_strv_builder_add (builder, gtk_editable_get_text (GTK_EDITABLE (self->z_entry)));
  axes = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  return axes;
}

void
es_axes_editor_set_axes (EsAxesEditor       *self,
                         const char * const *axes)
{
  GtkEntry *entries[3];

  g_return_if_fail (ES_IS_AXES_EDITOR (self));

  entries[0] = self->x_entry;
  entries[1] = self->y_entry;
  entries[2] = self->z_entry;
  for (guint i = 0; axes != NULL && axes[i] != NULL && i < 3; i++)
    gtk_editable_set_text (GTK_EDITABLE (entries[i]), axes[i]);
}

gboolean
es_axes_editor_get_three_d (EsAxesEditor *self)
{
  g_return_val_if_fail (ES_IS_AXES_EDITOR (self), FALSE);

  return self->three_d;
}

void
es_axes_editor_set_three_d (EsAxesEditor *self,
                            gboolean      three_d)
{
  g_return_if_fail (ES_IS_AXES_EDITOR (self));

  three_d = !!three_d;
  if (self->three_d == three_d)
    return;

  self->three_d = three_d;
  gtk_widget_set_visible (self->z_label, three_d);
  gtk_widget_set_visible (GTK_WIDGET (self->z_entry), three_d);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THREE_D]);
}

gboolean
es_axes_editor_get_orthogonalize (EsAxesEditor *self)
{
  g_return_val_if_fail (ES_IS_AXES_EDITOR (self), FALSE);

  return self->orthogonalize;
}

void
es_axes_editor_set_error (EsAxesEditor *self,
                          const char   *message)
{
  g_return_if_fail (ES_IS_AXES_EDITOR (self));

  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

const char *
es_axes_editor_get_error (EsAxesEditor *self)
{
  g_return_val_if_fail (ES_IS_AXES_EDITOR (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->error_label))
         ? gtk_label_get_text (self->error_label) : NULL;
}
