/* es-scatter-view.c: the plot widget, its properties and its camera
 *
 * Drawing is in es-scatter-view-draw.c, the marked rows in
 * es-scatter-view-marks.c, input (pan, zoom, Box/Lasso, menu) in
 * es-scatter-view-actions.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-scatter-view"

#include "config.h"

#include "es-scatter-view-private.h"

#include <glib/gi18n.h>

#include "es-point-index.h"
#include "es-scatter-renderer.h"

#include <math.h>
#include <string.h>

G_DEFINE_FINAL_TYPE (EsScatterView, es_scatter_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_DATA,
  PROP_SELECTED,
  PROP_THREE_D,
  PROP_POINT_SIZE,
  PROP_OPACITY,
  PROP_FONT_SIZE,
  PROP_SHOW_LABELS,
  PROP_TOOL,
  PROP_SHOW_DENSITY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
guint _es_scatter_view_signals[N_SIGNALS];

static void
es_scatter_view_dispose (GObject *object)
{
  EsScatterView *self = ES_SCATTER_VIEW (object);

  g_clear_pointer (&self->context_menu, gtk_widget_unparent);
  g_clear_object (&self->texture);
  g_clear_pointer (&self->index, es_point_index_free);
  g_clear_pointer (&self->data, es_scatter_data_unref);

  G_OBJECT_CLASS (es_scatter_view_parent_class)->dispose (object);
}

static void
es_scatter_view_finalize (GObject *object)
{
  EsScatterView *self = ES_SCATTER_VIEW (object);

  g_clear_pointer (&self->renderer, es_scatter_renderer_free);
  g_array_unref (self->highlighted);
  g_array_unref (self->pinned);
  g_array_unref (self->search_hits);
  g_array_unref (self->selection);
  g_array_unref (self->path);
  g_array_unref (self->links);
  g_array_unref (self->closeness);
  if (self->detail_destroy != NULL)
    self->detail_destroy (self->detail_data);
  g_array_unref (self->lasso);

  G_OBJECT_CLASS (es_scatter_view_parent_class)->finalize (object);
}

static void
es_scatter_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  EsScatterView *self = ES_SCATTER_VIEW (object);

  switch (prop_id)
    {
    case PROP_DATA:
      g_value_set_boxed (value, es_scatter_view_get_data (self));
      break;
    case PROP_SELECTED:
      g_value_set_int64 (value, es_scatter_view_get_selected (self));
      break;
    case PROP_THREE_D:
      g_value_set_boolean (value, es_scatter_view_get_three_d (self));
      break;
    case PROP_POINT_SIZE:
      g_value_set_double (value, es_scatter_view_get_point_size (self));
      break;
    case PROP_OPACITY:
      g_value_set_double (value, es_scatter_view_get_opacity (self));
      break;
    case PROP_FONT_SIZE:
      g_value_set_double (value, es_scatter_view_get_font_size (self));
      break;
    case PROP_SHOW_LABELS:
      g_value_set_boolean (value, es_scatter_view_get_show_labels (self));
      break;
    case PROP_TOOL:
      g_value_set_string (value, es_scatter_view_get_tool (self));
      break;
    case PROP_SHOW_DENSITY:
      g_value_set_boolean (value, es_scatter_view_get_show_density (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
es_scatter_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  EsScatterView *self = ES_SCATTER_VIEW (object);

  switch (prop_id)
    {
    case PROP_DATA:
      es_scatter_view_set_data (self, g_value_get_boxed (value));
      break;
    case PROP_SELECTED:
      es_scatter_view_set_selected (self, g_value_get_int64 (value));
      break;
    case PROP_THREE_D:
      es_scatter_view_set_three_d (self, g_value_get_boolean (value));
      break;
    case PROP_POINT_SIZE:
      es_scatter_view_set_point_size (self, g_value_get_double (value));
      break;
    case PROP_OPACITY:
      es_scatter_view_set_opacity (self, g_value_get_double (value));
      break;
    case PROP_FONT_SIZE:
      es_scatter_view_set_font_size (self, g_value_get_double (value));
      break;
    case PROP_SHOW_LABELS:
      es_scatter_view_set_show_labels (self, g_value_get_boolean (value));
      break;
    case PROP_TOOL:
      es_scatter_view_set_tool (self, g_value_get_string (value));
      break;
    case PROP_SHOW_DENSITY:
      es_scatter_view_set_show_density (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
es_scatter_view_class_init (EsScatterViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = es_scatter_view_dispose;
  object_class->finalize = es_scatter_view_finalize;
  object_class->get_property = es_scatter_view_get_property;
  object_class->set_property = es_scatter_view_set_property;

  widget_class->snapshot = _es_scatter_view_snapshot;
  widget_class->measure = _es_scatter_view_measure;
  widget_class->size_allocate = _es_scatter_view_size_allocate;

  properties[PROP_DATA] =
    g_param_spec_boxed ("data", NULL, NULL, ES_TYPE_SCATTER_DATA,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED] =
    g_param_spec_int64 ("selected", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_THREE_D] =
    g_param_spec_boolean ("three-d", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_POINT_SIZE] =
    g_param_spec_double ("point-size", NULL, NULL, 0.5, 64.0, 4.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OPACITY] =
    g_param_spec_double ("opacity", NULL, NULL, 0.02, 1.0, 0.75,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FONT_SIZE] =
    g_param_spec_double ("font-size", NULL, NULL, 4.0, 72.0, 12.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_LABELS] =
    g_param_spec_boolean ("show-labels", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOOL] =
    g_param_spec_string ("tool", NULL, NULL, "pan",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_DENSITY] =
    g_param_spec_boolean ("show-density", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A point was clicked (also when it was selected already). */
  _es_scatter_view_signals[POINT_ACTIVATED] =
    g_signal_new ("point-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  _es_scatter_view_signals[SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* A box, a lasso or a modified click: a GArray of guint32 rows in rank
   * order, and how they combine with the selection (an EsSelectMode:
   * 0 replace, 1 add, 2 subtract).
   */
  _es_scatter_view_signals[ROWS_SELECTED] =
    g_signal_new ("rows-selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_ARRAY, G_TYPE_INT);

  /* A click on a category's name in the plot (a cluster heading): the
   * category and how it combines with the selection (as rows-selected).
   */
  _es_scatter_view_signals[CATEGORY_ACTIVATED] =
    g_signal_new ("category-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_INT);

  _es_scatter_view_class_init_actions (widget_class);

  gtk_widget_class_set_css_name (widget_class, "scatterview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
es_scatter_view_init (EsScatterView *self)
{
  self->selected = -1;
  self->hover = -1;
  self->point_size = 4.0;
  self->opacity = 0.75;
  self->font_size = 12.0;
  self->show_labels = TRUE;
  self->scale_factor = 1;
  self->needs_fit = TRUE;
  for (guint i = 0; i < 4; i++)
    self->analogy[i] = -1;
  self->highlighted = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->pinned = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->search_hits = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->selection = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->path = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->links = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->closeness = g_array_new (FALSE, FALSE, sizeof (float));
  self->lasso = g_array_new (FALSE, FALSE, sizeof (double));
  self->tool = g_intern_static_string ("pan");
  self->renderer = es_scatter_renderer_new ();
  es_viewport_init (&self->viewport, 1, 1, FALSE);
  self->dirty = TRUE;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  _es_scatter_view_init_controllers (self);
  _es_scatter_view_update_actions (self);
}

GtkWidget *
es_scatter_view_new (void)
{
  return g_object_new (ES_TYPE_SCATTER_VIEW, NULL);
}

EsScatterData *
es_scatter_view_get_data (EsScatterView *self)
{
  g_return_val_if_fail (ES_IS_SCATTER_VIEW (self), NULL);

  return self->data;
}

void
es_scatter_view_set_data (EsScatterView *self,
                          EsScatterData *data)
{
  g_return_if_fail (ES_IS_SCATTER_VIEW (self));

  if (data == self->data)
    return;

  g_clear_pointer (&self->data, es_scatter_data_unref);
  if (data != NULL)
    self->data = es_scatter_data_ref (data);
  self->hover = -1;
  _es_scatter_view_fit (self);
  /* Rows of the old data mean nothing in the new one. */
  if (self->selected >= 0 && (data == NULL || (gsize) self->selected >= es_scatter_data_get_n_points (data)))
    es_scatter_view_set_selected (self, -1);
  _es_scatter_view_update_actions (self);
  _es_scatter_view_invalidate_view (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATA]);
}

gint64
es_scatter_view_get_selected (EsScatterView *self)
{
  g_return_val_if_fail (ES_IS_SCATTER_VIEW (self), -1);

  return self->selected;
}

void
es_scatter_view_set_selected (EsScatterView *self,
                              gint64         row)
{
  g_return_if_fail (ES_IS_SCATTER_VIEW (self));
  g_return_if_fail (row >= -1);

  if (row >= 0 && (self->data == NULL || (guint64) row >= es_scatter_data_get_n_points (self->data)))
    row = -1;
  if (row == self->selected)
    return;

  self->selected = row;
  _es_scatter_view_update_actions (self);
  _es_scatter_view_invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
  g_signal_emit (self, _es_scatter_view_signals[SELECTION_CHANGED], 0);
}

gboolean
es_scatter_view_get_three_d (EsScatterView *self)
{
  g_return_val_if_fail (ES_IS_SCATTER_VIEW (self), FALSE);

  return self->three_d;
}

void
es_scatter_view_set_three_d (EsScatterView *self,
                             gboolean       three_d)
{
  g_return_if_fail (ES_IS_SCATTER_VIEW (self));

  three_d = !!three_d;
  if (three_d == self->three_d)
    return;

  self->three_d = three_d;
  es_viewport_init (&self->viewport, self->viewport.width, self->viewport.height, three_d);
  _es_scatter_view_fit (self);
  _es_scatter_view_invalidate_view (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THREE_D]);
}

double
es_scatter_view_get_point_size (EsScatterView *self)
{
  g_return_val_if_fail (ES_IS_SCATTER_VIEW (self), 0);

  return self->point_size;
}

void
es_scatter_view_set_point_size (EsScatterView *self,
                                double         point_size)
{
  g_return_if_fail (ES_IS_SCATTER_VIEW (self));

  point_size = CLAMP (point_size, 0.5, 64.0);
  if (point_size == self->point_size)
    return;

  self->point_size = point_size;
  _es_scatter_view_invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POINT_SIZE]);
}

double
es_scatter_view_get_opacity (EsScatterView *self)
{
  g_return_val_if_fail (ES_IS_SCATTER_VIEW (self), 0);

  return self->opacity;
}

void
es_scatter_view_set_opacity (EsScatterView *self,
                             double         opacity)
{
  g_return_if_fail (ES_IS_SCATTER_VIEW (self));

  opacity = CLAMP (opacity, 0.02, 1.0);
  if (opacity == self->opacity)
    return;

  self->opacity = opacity;
  _es_scatter_view_invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPACITY]);
}

double
es_scatter_view_get_font_size (EsScatterView *self)
{
  g_return_val_if_fail (ES_IS_SCATTER_VIEW (self), 0);

  return self->font_size;
}

void
es_scatter_view_set_font_size (EsScatterView *self,
                               double         font_size)
{
  g_return_if_fail (ES_IS_SCATTER_VIEW (self));

  font_size = CLAMP (font_size, 4.0, 72.0);
  if (font_size == self->font_size)
    return;

  self->font_size = font_size;
  _es_scatter_view_invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FONT_SIZE]);
}

gboolean
es_scatter_view_get_show_labels (EsScatterView *self)
{
  g_return_val_if_fail (ES_IS_SCATTER_VIEW (self), FALSE);

  return self->show_labels;
}

void
es_scatter_view_set_show_labels (EsScatterView *self,
                                 gboolean       show_labels)
{
  g_return_if_fail (ES_IS_SCATTER_VIEW (self));

  show_labels = !!show_labels;
  if (show_labels == self->show_labels)
    return;

  self->show_labels = show_labels;
  _es_scatter_view_invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_LABELS]);
}

gboolean
es_scatter_view_get_show_density (EsScatterView *self)
{
  g_return_val_if_fail (ES_IS_SCATTER_VIEW (self), FALSE);

  return self->show_density;
}

void
es_scatter_view_set_show_density (EsScatterView *self,
                                  gboolean       show_density)
{
  g_return_if_fail (ES_IS_SCATTER_VIEW (self));

  show_density = !!show_density;
  if (show_density == self->show_density)
    return;

  self->show_density = show_density;
  _es_scatter_view_invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_DENSITY]);
}

const char *
es_scatter_view_get_tool (EsScatterView *self)
{
  g_return_val_if_fail (ES_IS_SCATTER_VIEW (self), NULL);

  return self->tool;
}

void
es_scatter_view_set_tool (EsScatterView *self,
                          const char    *tool)
{
  g_return_if_fail (ES_IS_SCATTER_VIEW (self));

  if (g_strcmp0 (tool, "box") != 0 && g_strcmp0 (tool, "lasso") != 0)
    tool = "pan";
  if (g_str_equal (tool, self->tool))
    return;
  self->tool = g_intern_string (tool);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), g_str_equal (tool, "pan") ? NULL : "crosshair");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOL]);
}

void
es_scatter_view_set_detail_func (EsScatterView         *self,
                                 EsScatterViewDetailFunc func,
                                 gpointer               user_data,
                                 GDestroyNotify         destroy)
{
  g_return_if_fail (ES_IS_SCATTER_VIEW (self));

  if (self->detail_destroy != NULL)
    self->detail_destroy (self->detail_data);
  self->detail_func = func;
  self->detail_data = user_data;
  self->detail_destroy = destroy;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gint64
es_scatter_view_lookup_point (EsScatterView *self,
                              double         x,
                              double         y)
{
  int sf;

  g_return_val_if_fail (ES_IS_SCATTER_VIEW (self), -1);

  if (self->data == NULL)
    return -1;
  _es_scatter_view_ensure_index (self);
  sf = self->scale_factor;

  return es_point_index_lookup (self->index, x * sf, y * sf,
                                MAX (8.0, self->point_size) * sf);
}

void
es_scatter_view_get_viewport (EsScatterView *self,
                              EsViewport    *viewport)
{
  g_return_if_fail (ES_IS_SCATTER_VIEW (self));
  g_return_if_fail (viewport != NULL);

  _es_scatter_view_ensure_viewport_size (self);
  *viewport = self->viewport;
}

void
es_scatter_view_set_viewport (EsScatterView    *self,
                              const EsViewport *viewport)
{
  g_return_if_fail (ES_IS_SCATTER_VIEW (self));
  g_return_if_fail (viewport != NULL);

  self->viewport = *viewport;
  self->needs_fit = FALSE;
  _es_scatter_view_invalidate_view (self);
  if (!!viewport->three_d != self->three_d)
    {
      self->three_d = !!viewport->three_d;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THREE_D]);
    }
}

