/* es-scatter-view.c
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

void
_es_scatter_view_invalidate (EsScatterView *self)
{
  self->dirty = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Without queueing a draw: safe from snapshot and size_allocate. */
static void
mark_view_changed (EsScatterView *self)
{
  /* The hit-test grid follows the camera. */
  g_clear_pointer (&self->index, es_point_index_free);
  self->dirty = TRUE;
}

void
_es_scatter_view_invalidate_view (EsScatterView *self)
{
  mark_view_changed (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
_es_scatter_view_fit (EsScatterView *self)
{
  double lo[3], hi[3];

  if (self->data == NULL)
    return;
  es_scatter_data_get_bounds (self->data, lo, hi);
  es_viewport_fit (&self->viewport, lo, hi, FIT_MARGIN * self->scale_factor);
  /* Before the first allocation there is nothing to fit into yet. */
  self->needs_fit = self->viewport.width <= 1 || self->viewport.height <= 1;
}

static void
set_rows (GArray        *array,
          const guint32 *rows,
          gsize          n_rows)
{
  g_array_set_size (array, 0);
  if (n_rows > 0)
    g_array_append_vals (array, rows, (guint) n_rows);
}

static void
fill_overlay (EsScatterView *self,
              EsPlotOverlay *overlay)
{
  es_plot_overlay_init (overlay);
  overlay->selected = self->selected;
  overlay->highlighted = (const guint32 *) (gpointer) self->highlighted->data;
  overlay->n_highlighted = self->highlighted->len;
  if (self->closeness->len == self->highlighted->len && self->closeness->len > 0)
    overlay->closeness = (const float *) (gpointer) self->closeness->data;
  overlay->pinned = (const guint32 *) (gpointer) self->pinned->data;
  overlay->n_pinned = self->pinned->len;
  overlay->search_hits = (const guint32 *) (gpointer) self->search_hits->data;
  overlay->n_search_hits = self->search_hits->len;
  overlay->path = (const guint32 *) (gpointer) self->path->data;
  overlay->n_path = self->path->len;
  overlay->selection = (const guint32 *) (gpointer) self->selection->data;
  overlay->n_selection = self->selection->len;
  overlay->links = (const guint32 *) (gpointer) self->links->data;
  overlay->n_links = self->links->len / 2;
  memcpy (overlay->analogy, self->analogy, sizeof self->analogy);
}

/* The plot colours follow the theme: light or dark by the text colour. */
void
_es_scatter_view_update_style (EsScatterView *self)
{
  GdkRGBA color;
  gboolean dark;
  int sf = self->scale_factor;

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &color);
G_GNUC_END_IGNORE_DEPRECATIONS

  if (!gdk_rgba_equal (&color, &self->last_color))
    {
      self->last_color = color;
      self->dirty = TRUE;
    }
  dark = 0.2126 * color.red + 0.7152 * color.green + 0.0722 * color.blue > 0.5;
  es_plot_style_init (&self->style, dark);
  self->style.foreground[0] = color.red;
  self->style.foreground[1] = color.green;
  self->style.foreground[2] = color.blue;
  self->style.point_size = self->point_size * sf;
  self->style.opacity = self->opacity;
  self->style.font_size = self->font_size * sf;
  self->style.show_labels = self->show_labels;
  self->style.show_density = self->show_density;
}

static void
ensure_viewport_size_for (EsScatterView *self,
                          int            width,
                          int            height)
{
  int sf = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  int w = MAX (width, 1) * sf;
  int h = MAX (height, 1) * sf;

  if (w != self->viewport.width || h != self->viewport.height || sf != self->scale_factor)
    {
      double k = MIN ((double) w / self->viewport.width, (double) h / self->viewport.height);

      if (self->viewport.width <= 1 || self->viewport.height <= 1)
        self->needs_fit = TRUE;
      self->scale_factor = sf;
      es_viewport_set_size (&self->viewport, w, h);
      /* Keep what was visible visible when the widget grows or shrinks. */
      if (!self->three_d)
        {
          self->viewport.scale *= k;
          self->viewport.fit_scale *= k;
        }
      mark_view_changed (self);
    }
  if (self->needs_fit && self->data != NULL)
    {
      _es_scatter_view_fit (self);
      mark_view_changed (self);
    }
}

void
_es_scatter_view_ensure_viewport_size (EsScatterView *self)
{
  ensure_viewport_size_for (self,
                            gtk_widget_get_width (GTK_WIDGET (self)),
                            gtk_widget_get_height (GTK_WIDGET (self)));
}

void
_es_scatter_view_ensure_texture (EsScatterView *self)
{
  int w = self->viewport.width;
  int h = self->viewport.height;
  int stride = cairo_format_stride_for_width (CAIRO_FORMAT_ARGB32, w);
  guchar *pixels;
  cairo_surface_t *surface;
  EsPlotOverlay overlay;
  g_autoptr(GBytes) bytes = NULL;

  if (!self->dirty && self->texture != NULL &&
      gdk_texture_get_width (self->texture) == w && gdk_texture_get_height (self->texture) == h)
    return;

  /* A fresh buffer each time: a GdkTexture's pixels must never change
   * while the renderer may still hold the previous one.
   */
  pixels = g_malloc ((gsize) stride * h);
  surface = cairo_image_surface_create_for_data (pixels, CAIRO_FORMAT_ARGB32, w, h, stride);
  fill_overlay (self, &overlay);
  es_scatter_renderer_render_image (self->renderer, surface, self->data, &self->viewport,
                                    &self->style, &overlay);
  cairo_surface_destroy (surface);

  bytes = g_bytes_new_take (pixels, (gsize) stride * h);
  g_clear_object (&self->texture);
  /* GDK_MEMORY_DEFAULT is Cairo's ARGB32 layout. */
  self->texture = gdk_memory_texture_new (w, h, GDK_MEMORY_DEFAULT, bytes, stride);
  self->dirty = FALSE;
}

/* The hit-test grid: built once per camera change, then each lookup
 * reads a few cells.
 */
void
_es_scatter_view_ensure_index (EsScatterView *self)
{
  g_assert (self->data != NULL);

  _es_scatter_view_ensure_viewport_size (self);
  if (!es_point_index_matches (self->index, self->data, &self->viewport))
    {
      g_clear_pointer (&self->index, es_point_index_free);
      self->index = es_point_index_new (self->data, &self->viewport);
    }
}

static void
es_scatter_view_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  EsScatterView *self = ES_SCATTER_VIEW (widget);
  int w = gtk_widget_get_width (widget);
  int h = gtk_widget_get_height (widget);
  cairo_t *cr;

  _es_scatter_view_ensure_viewport_size (self);
  _es_scatter_view_update_style (self);
  _es_scatter_view_ensure_texture (self);
  gtk_snapshot_append_texture (snapshot, self->texture, &GRAPHENE_RECT_INIT (0, 0, w, h));

  if (self->hover < 0 && !self->box_selecting)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  cairo_scale (cr, 1.0 / self->scale_factor, 1.0 / self->scale_factor);
  {
    double box[4];

    for (guint i = 0; i < 4; i++)
      box[i] = self->box[i] * self->scale_factor;
    g_autofree char *detail = NULL;

    if (self->hover >= 0 && self->detail_func != NULL && !self->dragging)
      detail = self->detail_func ((gsize) self->hover, self->detail_data);
    es_scatter_renderer_draw_interaction (self->renderer, cr, self->data, &self->viewport,
                                          &self->style, self->hover, detail,
                                          self->box_selecting && !self->lasso_selecting ? box : NULL);
    if (self->lasso_selecting && self->lasso->len >= 4)
      es_scatter_renderer_draw_lasso (cr, &self->style, (const double *) (gpointer) self->lasso->data,
                                      self->lasso->len / 2, self->scale_factor);
  }
  cairo_destroy (cr);
}

static void
es_scatter_view_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  EsScatterView *self = ES_SCATTER_VIEW (widget);

  /* Follow the new size here, so snapshot only reads state. */
  ensure_viewport_size_for (self, width, height);
  /* A popover parented to a plain widget is placed by its parent. */
  if (self->context_menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->context_menu));
}

static void
es_scatter_view_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  *minimum = 100;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 640 : 480;
}

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

  widget_class->snapshot = es_scatter_view_snapshot;
  widget_class->measure = es_scatter_view_measure;
  widget_class->size_allocate = es_scatter_view_size_allocate;

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

void
es_scatter_view_set_highlighted (EsScatterView *self,
                                 const guint32 *rows,
                                 gsize          n_rows)
{
  g_return_if_fail (ES_IS_SCATTER_VIEW (self));
  g_return_if_fail (rows != NULL || n_rows == 0);

  set_rows (self->highlighted, rows, n_rows);
  g_array_set_size (self->closeness, 0);
  _es_scatter_view_invalidate (self);
}

void
es_scatter_view_set_closeness (EsScatterView *self,
                               const float   *closeness,
                               gsize          n_rows)
{
  g_return_if_fail (ES_IS_SCATTER_VIEW (self));
  g_return_if_fail (closeness != NULL || n_rows == 0);

  g_array_set_size (self->closeness, 0);
  if (n_rows > 0)
    g_array_append_vals (self->closeness, closeness, (guint) n_rows);
  _es_scatter_view_invalidate (self);
}

void
es_scatter_view_set_pinned (EsScatterView *self,
                            const guint32 *rows,
                            gsize          n_rows)
{
  g_return_if_fail (ES_IS_SCATTER_VIEW (self));
  g_return_if_fail (rows != NULL || n_rows == 0);

  set_rows (self->pinned, rows, n_rows);
  _es_scatter_view_invalidate (self);
}

const guint32 *
es_scatter_view_get_pinned (EsScatterView *self,
                            gsize         *n_rows)
{
  g_return_val_if_fail (ES_IS_SCATTER_VIEW (self), NULL);

  if (n_rows != NULL)
    *n_rows = self->pinned->len;
  return (const guint32 *) (gpointer) self->pinned->data;
}

gboolean
es_scatter_view_is_pinned (EsScatterView *self,
                           gsize          row)
{
  g_return_val_if_fail (ES_IS_SCATTER_VIEW (self), FALSE);

  for (guint i = 0; i < self->pinned->len; i++)
    if (g_array_index (self->pinned, guint32, i) == row)
      return TRUE;

  return FALSE;
}

void
es_scatter_view_set_search_hits (EsScatterView *self,
                                 const guint32 *rows,
                                 gsize          n_rows)
{
  g_return_if_fail (ES_IS_SCATTER_VIEW (self));
  g_return_if_fail (rows != NULL || n_rows == 0);

  set_rows (self->search_hits, rows, n_rows);
  _es_scatter_view_invalidate (self);
}

void
es_scatter_view_set_path (EsScatterView *self,
                          const guint32 *rows,
                          gsize          n_rows)
{
  g_return_if_fail (ES_IS_SCATTER_VIEW (self));
  g_return_if_fail (rows != NULL || n_rows == 0);

  set_rows (self->path, rows, n_rows);
  _es_scatter_view_invalidate (self);
}

const guint32 *
es_scatter_view_get_path (EsScatterView *self,
                          gsize         *n_rows)
{
  g_return_val_if_fail (ES_IS_SCATTER_VIEW (self), NULL);

  if (n_rows != NULL)
    *n_rows = self->path->len;
  return (const guint32 *) (gpointer) self->path->data;
}

void
es_scatter_view_set_selection (EsScatterView *self,
                               const guint32 *rows,
                               gsize          n_rows)
{
  g_return_if_fail (ES_IS_SCATTER_VIEW (self));
  g_return_if_fail (rows != NULL || n_rows == 0);

  set_rows (self->selection, rows, n_rows);
  _es_scatter_view_invalidate (self);
}

void
es_scatter_view_set_links (EsScatterView *self,
                           const guint32 *pairs,
                           gsize          n_links)
{
  g_return_if_fail (ES_IS_SCATTER_VIEW (self));
  g_return_if_fail (pairs != NULL || n_links == 0);
  g_return_if_fail (n_links <= G_MAXUINT / 2);

  set_rows (self->links, pairs, 2 * n_links);
  _es_scatter_view_invalidate (self);
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

void
es_scatter_view_set_analogy (EsScatterView *self,
                             gint64         a,
                             gint64         b,
                             gint64         c,
                             gint64         result)
{
  g_return_if_fail (ES_IS_SCATTER_VIEW (self));

  self->analogy[0] = a;
  self->analogy[1] = b;
  self->analogy[2] = c;
  self->analogy[3] = result;
  _es_scatter_view_invalidate (self);
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

gboolean
es_scatter_view_export (EsScatterView  *self,
                        const char     *path,
                        int             width,
                        int             height,
                        GError        **error)
{
  EsPlotFormat format;
  EsPlotOverlay overlay;

  g_return_val_if_fail (ES_IS_SCATTER_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!es_plot_format_from_path (path, &format))
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Cannot export “%s”: use a .png, .svg or .pdf name", display);
      return FALSE;
    }

  _es_scatter_view_ensure_viewport_size (self);
  _es_scatter_view_update_style (self);
  fill_overlay (self, &overlay);
  if (width <= 0 || height <= 0)
    {
      width = self->viewport.width;
      height = self->viewport.height;
    }

  return es_scatter_renderer_export (self->data, &self->viewport, &self->style, &overlay,
                                     path, format, width, height, error);
}
