/* es-scatter-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-scatter-view"

#include "config.h"

#include "es-scatter-view.h"

#include <glib/gi18n.h>

#include "es-point-index.h"
#include "es-scatter-renderer.h"

#include <math.h>
#include <string.h>

#define KEY_PAN_FRACTION 0.1    /* of the view, per arrow key in 2D */
#define KEY_ORBIT_PX     10.0   /* the drag an arrow key stands for in 3D */
#define FIT_MARGIN       40.0   /* clear of the tick labels along the edges */
#define ZOOM_STEP        1.25

struct _EsScatterView
{
  GtkWidget          parent_instance;

  EsScatterData     *data;
  gint64             selected;
  gboolean           three_d;
  double             point_size;
  double             opacity;
  double             font_size;
  gboolean           show_labels;

  GArray            *highlighted;
  GArray            *pinned;
  GArray            *search_hits;
  gint64             analogy[4];

  EsViewport         viewport;
  gboolean           needs_fit;
  int                scale_factor;

  /* The plot as last rendered: re-rendered only when marked dirty or the
   * size changes, so hover and pointer moves cost a texture draw.
   */
  EsScatterRenderer *renderer;
  GdkTexture        *texture;
  gboolean           dirty;
  EsPlotStyle        style;
  GdkRGBA            last_color;

  EsPointIndex      *index;
  gint64             hover;
  double             pointer_x;
  double             pointer_y;

  GtkWidget         *context_menu;

  EsViewport         drag_start;
  gboolean           dragging;
  gboolean           box_selecting;
  double             box[4];
  double             zoom_last;
};

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
  N_PROPS
};

enum {
  POINT_ACTIVATED,
  SELECTION_CHANGED,
  ROWS_SELECTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
invalidate (EsScatterView *self)
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

static void
invalidate_view (EsScatterView *self)
{
  mark_view_changed (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
fit (EsScatterView *self)
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
  overlay->pinned = (const guint32 *) (gpointer) self->pinned->data;
  overlay->n_pinned = self->pinned->len;
  overlay->search_hits = (const guint32 *) (gpointer) self->search_hits->data;
  overlay->n_search_hits = self->search_hits->len;
  memcpy (overlay->analogy, self->analogy, sizeof self->analogy);
}

/* The plot colours follow the theme: light or dark by the text colour. */
static void
update_style (EsScatterView *self)
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
      fit (self);
      mark_view_changed (self);
    }
}

static void
ensure_viewport_size (EsScatterView *self)
{
  ensure_viewport_size_for (self,
                            gtk_widget_get_width (GTK_WIDGET (self)),
                            gtk_widget_get_height (GTK_WIDGET (self)));
}

static void
ensure_texture (EsScatterView *self)
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
static void
ensure_index (EsScatterView *self)
{
  g_assert (self->data != NULL);

  ensure_viewport_size (self);
  if (!es_point_index_matches (self->index, self->data, &self->viewport))
    {
      g_clear_pointer (&self->index, es_point_index_free);
      self->index = es_point_index_new (self->data, &self->viewport);
    }
}

static void
set_hover (EsScatterView *self,
           gint64         row)
{
  if (row == self->hover)
    return;
  self->hover = row;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
motion_cb (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           EsScatterView            *self)
{
  self->pointer_x = x;
  self->pointer_y = y;
  /* While dragging the camera moves with every event: no hit-testing
   * (it would rebuild the grid each time).
   */
  if (self->dragging)
    return;
  set_hover (self, es_scatter_view_lookup_point (self, x, y));
}

static void
leave_cb (GtkEventControllerMotion *motion,
          EsScatterView            *self)
{
  set_hover (self, -1);
}

static gboolean
scroll_cb (GtkEventControllerScroll *scroll,
           double                    dx,
           double                    dy,
           EsScatterView            *self)
{
  double per_unit;
  int sf = self->scale_factor;

  if (self->data == NULL)
    return FALSE;
  /* A wheel notch zooms by about 16 %; touchpads scroll in pixels. */
  per_unit = gtk_event_controller_scroll_get_unit (scroll) == GDK_SCROLL_UNIT_WHEEL ? 0.15 : 0.01;
  es_viewport_zoom_at (&self->viewport, exp (-dy * per_unit),
                       self->pointer_x * sf, self->pointer_y * sf);
  invalidate_view (self);
  set_hover (self, -1);

  return TRUE;
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               EsScatterView  *self)
{
  GdkModifierType state;

  state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  self->drag_start = self->viewport;
  self->dragging = TRUE;
  self->box_selecting = (state & GDK_SHIFT_MASK) != 0;
  set_hover (self, -1);
  self->box[0] = self->box[2] = x;
  self->box[1] = self->box[3] = y;
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          ox,
                double          oy,
                EsScatterView  *self)
{
  int sf = self->scale_factor;

  if (self->box_selecting)
    {
      self->box[2] = self->box[0] + ox;
      self->box[3] = self->box[1] + oy;
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }

  self->viewport = self->drag_start;
  if (self->three_d)
    es_viewport_orbit (&self->viewport, ox, oy);
  else
    es_viewport_pan (&self->viewport, ox * sf, oy * sf);
  invalidate_view (self);
}

static void
drag_end_cb (GtkGestureDrag *gesture,
             double          ox,
             double          oy,
             EsScatterView  *self)
{
  int sf = self->scale_factor;
  g_autoptr(GArray) rows = NULL;

  self->dragging = FALSE;
  if (!self->box_selecting)
    return;
  self->box_selecting = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (self->data == NULL || (fabs (ox) < 2 && fabs (oy) < 2))
    return;

  ensure_index (self);
  rows = es_point_index_query_rect (self->index, self->box[0] * sf, self->box[1] * sf,
                                    (self->box[0] + ox) * sf, (self->box[1] + oy) * sf);
  g_signal_emit (self, signals[ROWS_SELECTED], 0, rows);
}

static void
click_released_cb (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   EsScatterView   *self)
{
  gint64 row;

  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (self->box_selecting)
    return;
  row = es_scatter_view_lookup_point (self, x, y);
  es_scatter_view_set_selected (self, row);
  if (row >= 0)
    g_signal_emit (self, signals[POINT_ACTIVATED], 0, row);
}

static void
append_item (GMenu      *menu,
             const char *label,
             const char *action,
             const char *accel)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (label, action);

  if (accel != NULL)
    g_menu_item_set_attribute (item, "accel", "s", accel);
  g_menu_append_item (menu, item);
}

static void
context_pressed_cb (GtkGestureClick *gesture,
                    int              n_press,
                    double           x,
                    double           y,
                    EsScatterView   *self)
{
  gint64 row = es_scatter_view_lookup_point (self, x, y);

  /* Right-click acts on the point under the pointer, if any. */
  if (row >= 0)
    es_scatter_view_set_selected (self, row);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu),
                               &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

static void
zoom_begin_cb (GtkGesture       *gesture,
               GdkEventSequence *sequence,
               EsScatterView    *self)
{
  self->zoom_last = 1.0;
}

static void
zoom_scale_changed_cb (GtkGestureZoom *gesture,
                       double          scale,
                       EsScatterView  *self)
{
  double cx, cy;
  int sf = self->scale_factor;

  if (scale <= 0 || self->zoom_last <= 0)
    return;
  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &cx, &cy))
    {
      cx = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
      cy = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
    }
  es_viewport_zoom_at (&self->viewport, scale / self->zoom_last, cx * sf, cy * sf);
  self->zoom_last = scale;
  invalidate_view (self);
}

static void
zoom_by (EsScatterView *self,
         double         factor)
{
  ensure_viewport_size (self);
  es_viewport_zoom_at (&self->viewport, factor,
                       self->viewport.width / 2.0, self->viewport.height / 2.0);
  invalidate_view (self);
}

static void
zoom_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  zoom_by (ES_SCATTER_VIEW (widget), ZOOM_STEP);
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  zoom_by (ES_SCATTER_VIEW (widget), 1.0 / ZOOM_STEP);
}

/* Arrow keys: (dx, dy) is the direction to look.  2D pans a tenth of the
 * view; 3D turns as a 10 px drag would (5 degrees).
 */
static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  EsScatterView *self = ES_SCATTER_VIEW (widget);
  int dx = 0, dy = 0;

  g_variant_get (parameter, "(ii)", &dx, &dy);
  ensure_viewport_size (self);
  if (self->viewport.three_d)
    es_viewport_orbit (&self->viewport, -dx * KEY_ORBIT_PX, -dy * KEY_ORBIT_PX);
  else
    {
      double step = MIN (self->viewport.width, self->viewport.height) * KEY_PAN_FRACTION;

      es_viewport_pan (&self->viewport, -dx * step, -dy * step);
    }
  invalidate_view (self);
}

static void
fit_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  EsScatterView *self = ES_SCATTER_VIEW (widget);

  ensure_viewport_size (self);
  fit (self);
  invalidate_view (self);
}

static void
reset_view_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  EsScatterView *self = ES_SCATTER_VIEW (widget);

  ensure_viewport_size (self);
  es_viewport_init (&self->viewport, self->viewport.width, self->viewport.height, self->three_d);
  fit (self);
  invalidate_view (self);
}

static void
pin_selected_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  EsScatterView *self = ES_SCATTER_VIEW (widget);
  guint32 row;

  if (self->selected < 0)
    return;
  row = (guint32) self->selected;
  /* Toggles. */
  for (guint i = 0; i < self->pinned->len; i++)
    {
      if (g_array_index (self->pinned, guint32, i) == row)
        {
          g_array_remove_index (self->pinned, i);
          invalidate (self);
          return;
        }
    }
  g_array_append_val (self->pinned, row);
  invalidate (self);
}

static void
copy_word_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  EsScatterView *self = ES_SCATTER_VIEW (widget);

  if (self->data == NULL || self->selected < 0)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget),
                          es_scatter_data_get_label (self->data, (gsize) self->selected));
}

static void
copy_neighbours_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  EsScatterView *self = ES_SCATTER_VIEW (widget);
  g_autoptr(GString) text = g_string_new (NULL);
  gsize n;

  if (self->data == NULL || self->selected < 0)
    return;
  /* The word, then its neighbours, one per line. */
  n = es_scatter_data_get_n_points (self->data);
  g_string_append (text, es_scatter_data_get_label (self->data, (gsize) self->selected));
  for (guint i = 0; i < self->highlighted->len; i++)
    {
      guint32 row = g_array_index (self->highlighted, guint32, i);

      if (row < n)
        g_string_append_printf (text, "\n%s", es_scatter_data_get_label (self->data, row));
    }
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text->str);
}

static void
copy_image_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  EsScatterView *self = ES_SCATTER_VIEW (widget);

  ensure_viewport_size (self);
  update_style (self);
  ensure_texture (self);
  gdk_clipboard_set_texture (gtk_widget_get_clipboard (widget), self->texture);
}

static void
update_actions (EsScatterView *self)
{
  gboolean has_data = self->data != NULL;
  gboolean has_selection = has_data && self->selected >= 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "plot.zoom-in", has_data);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "plot.zoom-out", has_data);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "plot.fit", has_data);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "plot.move", has_data);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "plot.reset-view", has_data);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "plot.pin-selected", has_selection);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "plot.copy-word", has_selection);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "plot.copy-neighbours", has_selection);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "plot.copy-image", has_data);
}

static void
es_scatter_view_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  EsScatterView *self = ES_SCATTER_VIEW (widget);
  int w = gtk_widget_get_width (widget);
  int h = gtk_widget_get_height (widget);
  cairo_t *cr;

  ensure_viewport_size (self);
  update_style (self);
  ensure_texture (self);
  gtk_snapshot_append_texture (snapshot, self->texture, &GRAPHENE_RECT_INIT (0, 0, w, h));

  if (self->hover < 0 && !self->box_selecting)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  cairo_scale (cr, 1.0 / self->scale_factor, 1.0 / self->scale_factor);
  {
    double box[4];

    for (guint i = 0; i < 4; i++)
      box[i] = self->box[i] * self->scale_factor;
    es_scatter_renderer_draw_interaction (self->renderer, cr, self->data, &self->viewport,
                                          &self->style, self->hover,
                                          self->box_selecting ? box : NULL);
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
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A point was clicked (also when it was selected already). */
  signals[POINT_ACTIVATED] =
    g_signal_new ("point-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* Shift+drag: a GArray of guint32 rows, in rank order. */
  signals[ROWS_SELECTED] =
    g_signal_new ("rows-selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ARRAY);

  gtk_widget_class_install_action (widget_class, "plot.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "plot.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "plot.fit", NULL, fit_action);
  gtk_widget_class_install_action (widget_class, "plot.move", "(ii)", move_action);
  gtk_widget_class_install_action (widget_class, "plot.reset-view", NULL, reset_view_action);
  gtk_widget_class_install_action (widget_class, "plot.pin-selected", NULL, pin_selected_action);
  gtk_widget_class_install_action (widget_class, "plot.copy-word", NULL, copy_word_action);
  gtk_widget_class_install_action (widget_class, "plot.copy-neighbours", NULL, copy_neighbours_action);
  gtk_widget_class_install_action (widget_class, "plot.copy-image", NULL, copy_image_action);
  gtk_widget_class_install_property_action (widget_class, "plot.toggle-3d", "three-d");
  gtk_widget_class_install_property_action (widget_class, "plot.show-labels", "show-labels");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, 0, "plot.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, 0, "plot.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, 0, "plot.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, 0, "plot.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, 0, "plot.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, 0, "plot.fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Home, 0, "plot.fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "plot.move", "(ii)", -1, 0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "plot.move", "(ii)", 1, 0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, 0, "plot.move", "(ii)", 0, -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, 0, "plot.move", "(ii)", 0, 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Left, 0, "plot.move", "(ii)", -1, 0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Right, 0, "plot.move", "(ii)", 1, 0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Up, 0, "plot.move", "(ii)", 0, -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Down, 0, "plot.move", "(ii)", 0, 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, 0, "plot.reset-view", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, 0, "plot.pin-selected", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, 0, "plot.show-labels", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "plot.copy-word", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "plot.copy-image", NULL);

  gtk_widget_class_set_css_name (widget_class, "scatterview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
es_scatter_view_init (EsScatterView *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

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
  self->renderer = es_scatter_renderer_new ();
  es_viewport_init (&self->viewport, 1, 1, FALSE);
  self->dirty = TRUE;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (controller, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (controller, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gesture = gtk_gesture_drag_new ();
  g_signal_connect (gesture, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (gesture, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (gesture, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_click_new ();
  g_signal_connect (gesture, "released", G_CALLBACK (click_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_SECONDARY);
  g_signal_connect (gesture, "pressed", G_CALLBACK (context_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  {
    g_autoptr(GMenu) menu = g_menu_new ();
    g_autoptr(GMenu) view_section = g_menu_new ();
    g_autoptr(GMenu) word_section = g_menu_new ();

    /* With their keys, as a menu bar would show them. */
    append_item (word_section, _("Pin or Unpin Word"), "plot.pin-selected", "p");
    append_item (word_section, _("Copy Word"), "plot.copy-word", "<Control>c");
    append_item (word_section, _("Copy Word and Neighbours"), "plot.copy-neighbours", NULL);
    append_item (word_section, _("Copy Image"), "plot.copy-image", "<Control><Shift>c");
    append_item (view_section, _("Zoom In"), "plot.zoom-in", "plus");
    append_item (view_section, _("Zoom Out"), "plot.zoom-out", "minus");
    append_item (view_section, _("Fit to Data"), "plot.fit", "Home");
    append_item (view_section, _("Reset View"), "plot.reset-view", "r");
    append_item (view_section, _("3D"), "plot.toggle-3d", "<Control>3");
    append_item (view_section, _("Show Labels"), "plot.show-labels", "l");
    g_menu_append_section (menu, NULL, G_MENU_MODEL (word_section));
    g_menu_append_section (menu, NULL, G_MENU_MODEL (view_section));
    self->context_menu = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
    gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
    gtk_widget_set_halign (self->context_menu, GTK_ALIGN_START);
    gtk_widget_set_parent (self->context_menu, GTK_WIDGET (self));
  }

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect (gesture, "begin", G_CALLBACK (zoom_begin_cb), self);
  g_signal_connect (gesture, "scale-changed", G_CALLBACK (zoom_scale_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  update_actions (self);
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
  fit (self);
  /* Rows of the old data mean nothing in the new one. */
  if (self->selected >= 0 && (data == NULL || (gsize) self->selected >= es_scatter_data_get_n_points (data)))
    es_scatter_view_set_selected (self, -1);
  update_actions (self);
  invalidate_view (self);
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
  update_actions (self);
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
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
  fit (self);
  invalidate_view (self);
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
  invalidate (self);
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
  invalidate (self);
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
  invalidate (self);
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
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_LABELS]);
}

void
es_scatter_view_set_highlighted (EsScatterView *self,
                                 const guint32 *rows,
                                 gsize          n_rows)
{
  g_return_if_fail (ES_IS_SCATTER_VIEW (self));
  g_return_if_fail (rows != NULL || n_rows == 0);

  set_rows (self->highlighted, rows, n_rows);
  invalidate (self);
}

void
es_scatter_view_set_pinned (EsScatterView *self,
                            const guint32 *rows,
                            gsize          n_rows)
{
  g_return_if_fail (ES_IS_SCATTER_VIEW (self));
  g_return_if_fail (rows != NULL || n_rows == 0);

  set_rows (self->pinned, rows, n_rows);
  invalidate (self);
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
  invalidate (self);
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
  invalidate (self);
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
  ensure_index (self);
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

  ensure_viewport_size (self);
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
  invalidate_view (self);
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

  ensure_viewport_size (self);
  update_style (self);
  fill_overlay (self, &overlay);
  if (width <= 0 || height <= 0)
    {
      width = self->viewport.width;
      height = self->viewport.height;
    }

  return es_scatter_renderer_export (self->data, &self->viewport, &self->style, &overlay,
                                     path, format, width, height, error);
}
