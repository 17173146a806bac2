/* es-scatter-view-actions.c: the plot's input (pointer, scroll, drag,
 * pinch, context menu) and its plot.* actions and keys
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Split from es-scatter-view.c as gnome-text-editor splits
 * editor-page-actions.c from editor-page.c: that file draws and holds the
 * properties, this one turns events into camera moves and commands.
 */

#define G_LOG_DOMAIN "es-scatter-view"

#include "config.h"

#include "es-scatter-view-private.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

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
  _es_scatter_view_invalidate_view (self);
  set_hover (self, -1);

  return TRUE;
}

/* Shift adds, Ctrl subtracts, nothing replaces (EsSelectMode's values). */
static int
mode_from_state (GdkModifierType state)
{
  if (state & GDK_CONTROL_MASK)
    return 2;
  if (state & GDK_SHIFT_MASK)
    return 1;
  return 0;
}

static void
emit_rows_selected (EsScatterView *self,
                    GArray        *rows,
                    int            mode)
{
  g_signal_emit (self, _es_scatter_view_signals[ROWS_SELECTED], 0, rows, mode);
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
  self->select_mode = mode_from_state (state);
  /* Only Pan moves the camera; there a modifier still draws a box. */
  self->box_selecting = !g_str_equal (self->tool, "pan") ||
                        (state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK)) != 0;
  self->lasso_selecting = self->box_selecting && g_str_equal (self->tool, "lasso");
  set_hover (self, -1);
  self->box[0] = self->box[2] = x;
  self->box[1] = self->box[3] = y;
  g_array_set_size (self->lasso, 0);
  g_array_append_val (self->lasso, x);
  g_array_append_val (self->lasso, y);
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          ox,
                double          oy,
                EsScatterView  *self)
{
  int sf = self->scale_factor;

  if (self->lasso_selecting)
    {
      double x = self->box[0] + ox, y = self->box[1] + oy;
      guint n = self->lasso->len;
      const double *last = &g_array_index (self->lasso, double, n - 2);

      /* A vertex every few pixels is smooth enough and keeps the test cheap. */
      if (hypot (x - last[0], y - last[1]) >= 3)
        {
          g_array_append_val (self->lasso, x);
          g_array_append_val (self->lasso, y);
          gtk_widget_queue_draw (GTK_WIDGET (self));
        }
      return;
    }
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
  _es_scatter_view_invalidate_view (self);
}

static void
drag_end_cb (GtkGestureDrag *gesture,
             double          ox,
             double          oy,
             EsScatterView  *self)
{
  int sf = self->scale_factor;
  g_autoptr(GArray) rows = NULL;
  gboolean lasso = self->lasso_selecting;

  self->dragging = FALSE;
  if (!self->box_selecting)
    return;
  self->box_selecting = FALSE;
  self->lasso_selecting = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  /* A press without a move is a click, handled by the click gesture. */
  if (self->data == NULL || (fabs (ox) < 2 && fabs (oy) < 2))
    return;

  _es_scatter_view_ensure_index (self);
  if (lasso)
    {
      g_autoptr(GArray) device = g_array_sized_new (FALSE, FALSE, sizeof (double), self->lasso->len);

      for (guint i = 0; i < self->lasso->len; i++)
        {
          double v = g_array_index (self->lasso, double, i) * sf;

          g_array_append_val (device, v);
        }
      rows = es_point_index_query_polygon (self->index, (const double *) (gpointer) device->data,
                                           device->len / 2);
    }
  else
    rows = es_point_index_query_rect (self->index, self->box[0] * sf, self->box[1] * sf,
                                      (self->box[0] + ox) * sf, (self->box[1] + oy) * sf);
  emit_rows_selected (self, rows, self->select_mode);
}

static void
click_released_cb (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   EsScatterView   *self)
{
  GdkModifierType state;
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (guint32));
  gint64 row;
  int mode;

  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (self->box_selecting || self->data == NULL)
    return;
  state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  mode = mode_from_state (state);

  /* A category's name sits over its points: a click on it means the
   * whole category.
   */
  {
    gsize n_names = 0;
    const EsLabelBox *names = es_scatter_renderer_get_category_labels (self->renderer, &n_names);
    double dx = x * self->scale_factor, dy = y * self->scale_factor;

    for (gsize i = 0; i < n_names; i++)
      if (dx >= names[i].x && dx <= names[i].x + names[i].width &&
          dy >= names[i].y && dy <= names[i].y + names[i].height)
        {
          g_signal_emit (self, _es_scatter_view_signals[CATEGORY_ACTIVATED], 0, names[i].row, mode);
          return;
        }
  }

  row = es_scatter_view_lookup_point (self, x, y);

  /* Shift+click adds the word to the selection, Ctrl+click takes it out. */
  if (mode != 0)
    {
      if (row < 0)
        return;
      g_array_append_val (rows, (guint32) { (guint32) row });
      emit_rows_selected (self, rows, mode);
      if (mode == 1)
        {
          es_scatter_view_set_selected (self, row);
          g_signal_emit (self, _es_scatter_view_signals[POINT_ACTIVATED], 0, row);
        }
      return;
    }

  /* A click on empty space clears the selection and the focus. */
  if (row < 0)
    emit_rows_selected (self, rows, 0);
  es_scatter_view_set_selected (self, row);
  if (row >= 0)
    g_signal_emit (self, _es_scatter_view_signals[POINT_ACTIVATED], 0, row);
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
  _es_scatter_view_invalidate_view (self);
}

static void
zoom_by (EsScatterView *self,
         double         factor)
{
  _es_scatter_view_ensure_viewport_size (self);
  es_viewport_zoom_at (&self->viewport, factor,
                       self->viewport.width / 2.0, self->viewport.height / 2.0);
  _es_scatter_view_invalidate_view (self);
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
  _es_scatter_view_ensure_viewport_size (self);
  if (self->viewport.three_d)
    es_viewport_orbit (&self->viewport, -dx * KEY_ORBIT_PX, -dy * KEY_ORBIT_PX);
  else
    {
      double step = MIN (self->viewport.width, self->viewport.height) * KEY_PAN_FRACTION;

      es_viewport_pan (&self->viewport, -dx * step, -dy * step);
    }
  _es_scatter_view_invalidate_view (self);
}

static void
fit_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  EsScatterView *self = ES_SCATTER_VIEW (widget);

  _es_scatter_view_ensure_viewport_size (self);
  _es_scatter_view_fit (self);
  _es_scatter_view_invalidate_view (self);
}

static void
reset_view_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  EsScatterView *self = ES_SCATTER_VIEW (widget);

  _es_scatter_view_ensure_viewport_size (self);
  es_viewport_init (&self->viewport, self->viewport.width, self->viewport.height, self->three_d);
  _es_scatter_view_fit (self);
  _es_scatter_view_invalidate_view (self);
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
          _es_scatter_view_invalidate (self);
          return;
        }
    }
  g_array_append_val (self->pinned, row);
  _es_scatter_view_invalidate (self);
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

  _es_scatter_view_ensure_viewport_size (self);
  _es_scatter_view_update_style (self);
  _es_scatter_view_ensure_texture (self);
  gdk_clipboard_set_texture (gtk_widget_get_clipboard (widget), self->texture);
}

void
_es_scatter_view_update_actions (EsScatterView *self)
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

void
_es_scatter_view_class_init_actions (GtkWidgetClass *widget_class)
{
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
  gtk_widget_class_install_property_action (widget_class, "plot.tool", "tool");
  gtk_widget_class_install_property_action (widget_class, "plot.show-density", "show-density");

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
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, 0, "plot.tool", "s", "pan");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_b, 0, "plot.tool", "s", "box");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, 0, "plot.tool", "s", "lasso");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, 0, "plot.show-density", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "plot.copy-word", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "plot.copy-image", NULL);
}

void
_es_scatter_view_init_controllers (EsScatterView *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

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
    g_autoptr(GMenu) select_section = g_menu_new ();
    g_autoptr(GMenu) tool_section = g_menu_new ();

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
    /* win.* actions reach the window that holds the plot. */
    append_item (select_section, _("Clear Selection"), "win.clear-selection", "Escape");
    append_item (select_section, _("Isolate Selection"), "win.isolate", "<Control>i");
    append_item (tool_section, _("Pan"), "plot.tool::pan", "h");
    append_item (tool_section, _("Box Select"), "plot.tool::box", "b");
    append_item (tool_section, _("Lasso Select"), "plot.tool::lasso", "o");
    append_item (view_section, _("Density Map"), "plot.show-density", "d");
    g_menu_append_section (menu, NULL, G_MENU_MODEL (word_section));
    g_menu_append_section (menu, NULL, G_MENU_MODEL (select_section));
    g_menu_append_section (menu, NULL, G_MENU_MODEL (tool_section));
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
}
