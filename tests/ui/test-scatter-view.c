/* test-scatter-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <gtk/gtk.h>
#include <math.h>

#include "es-scatter-view.h"

#define N_POINTS 500

static EsScatterData *
make_data (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autofree float *xy = g_new (float, 2 * N_POINTS);

  for (guint i = 0; i < N_POINTS; i++)
    {
      xy[2 * i] = g_rand_double (rand);
      xy[2 * i + 1] = g_rand_double (rand);
      g_ptr_array_add (words, g_strdup_printf ("word%u", i));
    }
  return es_scatter_data_new_from_coords (xy, N_POINTS, 2, 0, 1, -1, NULL,
                                          (const char * const *) words->pdata);
}

static void
spin (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

typedef struct
{
  GtkWidget     *window;
  EsScatterView *view;
  EsScatterData *data;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  user_data)
{
  f->window = gtk_window_new ();
  f->view = ES_SCATTER_VIEW (es_scatter_view_new ());
  f->data = make_data ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 400, 300);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->view));
  es_scatter_view_set_data (f->view, f->data);
  gtk_window_present (GTK_WINDOW (f->window));
  gtk_test_widget_wait_for_draw (f->window);
  spin ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  user_data)
{
  GtkWidget *window = f->window;

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &f->window);
  gtk_window_destroy (GTK_WINDOW (window));
  spin ();
  g_assert_null (f->window);
  es_scatter_data_unref (f->data);
}

static void
test_actions_zoom_fit (Fixture       *f,
                       gconstpointer  user_data)
{
  EsViewport before, after;
  double lo[3], hi[3], sx, sy;

  g_test_summary ("plot.zoom-in scales the view by 1.25 around the centre; plot.fit brings back all points");

  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->view)), >, 100);
  es_scatter_view_get_viewport (f->view, &before);
  g_assert_cmpint (before.width, ==, gtk_widget_get_width (GTK_WIDGET (f->view)) * gtk_widget_get_scale_factor (GTK_WIDGET (f->view)));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "plot.zoom-in", NULL));
  es_scatter_view_get_viewport (f->view, &after);
  g_assert_cmpfloat_with_epsilon (after.scale / before.scale, 1.25, 1e-9);
  /* The centre stays. */
  g_assert_cmpfloat_with_epsilon (after.center_x, before.center_x, 1e-9);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "plot.zoom-out", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "plot.zoom-out", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "plot.zoom-out", NULL));
  es_viewport_pan (&after, 500, 0);
  es_scatter_view_set_viewport (f->view, &after);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "plot.fit", NULL));
  es_scatter_view_get_viewport (f->view, &after);
  g_assert_cmpfloat_with_epsilon (after.scale, before.scale, 1e-9);
  es_scatter_data_get_bounds (f->data, lo, hi);
  es_viewport_project (&after, lo[0], hi[1], 0.5, &sx, &sy, NULL);
  g_assert_cmpfloat (sx, >=, 0);
  g_assert_cmpfloat (sy, >=, 0);
  es_viewport_project (&after, hi[0], lo[1], 0.5, &sx, &sy, NULL);
  g_assert_cmpfloat (sx, <=, after.width);
  g_assert_cmpfloat (sy, <=, after.height);

  /* Activating on the window does not reach the widget's actions. */
  g_assert_false (gtk_widget_activate_action (f->window, "plot.zoom-in", NULL));
}

static void
test_actions_move (Fixture       *f,
                   gconstpointer  user_data)
{
  EsViewport before, after;
  double sx0, sy0, sx1, sy1, step;

  g_test_summary ("Arrow keys (plot.move) pan a tenth of the view in 2D and turn the camera "
                  "5 degrees in 3D");

  es_scatter_view_get_viewport (f->view, &before);
  step = MIN (before.width, before.height) * 0.1;
  es_viewport_project (&before, 0.5, 0.5, 0.5, &sx0, &sy0, NULL);

  /* Right: look further right, so the content moves left. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "plot.move", "(ii)", 1, 0));
  es_scatter_view_get_viewport (f->view, &after);
  es_viewport_project (&after, 0.5, 0.5, 0.5, &sx1, &sy1, NULL);
  g_assert_cmpfloat_with_epsilon (sx1 - sx0, -step, 1e-6);
  g_assert_cmpfloat_with_epsilon (sy1 - sy0, 0, 1e-6);

  /* Up: the content moves down. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "plot.move", "(ii)", 0, -1));
  es_scatter_view_get_viewport (f->view, &after);
  es_viewport_project (&after, 0.5, 0.5, 0.5, &sx0, &sy0, NULL);
  g_assert_cmpfloat_with_epsilon (sx0 - sx1, 0, 1e-6);
  g_assert_cmpfloat_with_epsilon (sy0 - sy1, step, 1e-6);
  g_assert_cmpfloat_with_epsilon (after.scale, before.scale, 1e-12);

  es_scatter_view_set_three_d (f->view, TRUE);
  es_scatter_view_get_viewport (f->view, &before);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "plot.move", "(ii)", -1, 0));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "plot.move", "(ii)", 0, 1));
  es_scatter_view_get_viewport (f->view, &after);
  g_assert_cmpfloat_with_epsilon (fmod (before.azimuth - after.azimuth + 360, 360), 5, 1e-9);
  g_assert_cmpfloat_with_epsilon (before.elevation - after.elevation, 5, 1e-9);
}

static void
test_lookup_point (Fixture       *f,
                   gconstpointer  user_data)
{
  EsViewport vp;
  int sf = gtk_widget_get_scale_factor (GTK_WIDGET (f->view));

  g_test_summary ("lookup_point returns the point nearest to the pointer, -1 far from all");

  es_scatter_view_get_viewport (f->view, &vp);
  for (gsize row = 0; row < N_POINTS; row += 37)
    {
      double x, y, sx, sy;
      double best_d2 = G_MAXDOUBLE;
      gint64 best = -1;

      es_scatter_data_get_point (f->data, row, &x, &y, NULL);
      es_viewport_project (&vp, x, y, 0.5, &sx, &sy, NULL);
      /* Brute force from a spot 2 px off the point. */
      for (gsize i = 0; i < N_POINTS; i++)
        {
          double xi, yi, px, py, d2;

          es_scatter_data_get_point (f->data, i, &xi, &yi, NULL);
          es_viewport_project (&vp, xi, yi, 0.5, &px, &py, NULL);
          d2 = (px - sx - 2) * (px - sx - 2) + (py - sy) * (py - sy);
          if (d2 < best_d2)
            {
              best_d2 = d2;
              best = i;
            }
        }
      g_assert_cmpint (es_scatter_view_lookup_point (f->view, (sx + 2) / sf, sy / sf), ==, best);
    }

  /* Zoomed far in on a corner, the middle of the widget is empty. */
  es_viewport_zoom_at (&vp, 1000, 0, 0);
  es_scatter_view_set_viewport (f->view, &vp);
  {
    gint64 row = es_scatter_view_lookup_point (f->view, 200, 150);

    if (row >= 0)
      {
        double x, y, sx, sy;

        es_scatter_data_get_point (f->data, row, &x, &y, NULL);
        es_viewport_project (&vp, x, y, 0.5, &sx, &sy, NULL);
        g_assert_cmpfloat (hypot (sx - 200 * sf, sy - 150 * sf), <=, 8 * sf);
      }
  }
}

static GBytes *
load_bytes (const char *path)
{
  char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_bytes_new_take (contents, len);
}

static void
notify_count_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
selection_changed_cb (EsScatterView *view,
                      guint         *count)
{
  (*count)++;
}

static void
test_selected_notify (Fixture       *f,
                      gconstpointer  user_data)
{
  guint notifies = 0, changes = 0;
  gint64 value = 0;

  g_test_summary ("selected notifies exactly once per change (EXPLICIT_NOTIFY) and clamps bad rows to -1");

  g_signal_connect (f->view, "notify::selected", G_CALLBACK (notify_count_cb), &notifies);
  g_signal_connect (f->view, "selection-changed", G_CALLBACK (selection_changed_cb), &changes);

  es_scatter_view_set_selected (f->view, 5);
  es_scatter_view_set_selected (f->view, 5);
  g_assert_cmpuint (notifies, ==, 1);
  g_assert_cmpuint (changes, ==, 1);
  g_object_set (f->view, "selected", (gint64) 7, NULL);
  g_object_set (f->view, "selected", (gint64) 7, NULL);
  g_assert_cmpuint (notifies, ==, 2);
  g_object_get (f->view, "selected", &value, NULL);
  g_assert_cmpint (value, ==, 7);
  es_scatter_view_set_selected (f->view, N_POINTS + 10);
  g_assert_cmpint (es_scatter_view_get_selected (f->view), ==, -1);
  g_assert_cmpuint (notifies, ==, 3);

  /* Other properties: once per change too. */
  notifies = 0;
  g_signal_connect (f->view, "notify::point-size", G_CALLBACK (notify_count_cb), &notifies);
  es_scatter_view_set_point_size (f->view, 6);
  es_scatter_view_set_point_size (f->view, 6);
  g_assert_cmpuint (notifies, ==, 1);
}

static void
test_pin_and_3d (Fixture       *f,
                 gconstpointer  user_data)
{
  gsize n;
  EsViewport vp;

  g_test_summary ("plot.pin-selected toggles the pin of the selection; plot.toggle-3d switches the camera");

  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (f->view), "plot.pin-selected", NULL) &&
                  es_scatter_view_get_pinned (f->view, &n) != NULL && n > 0);
  es_scatter_view_set_selected (f->view, 12);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "plot.pin-selected", NULL));
  g_assert_true (es_scatter_view_is_pinned (f->view, 12));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "plot.pin-selected", NULL));
  g_assert_false (es_scatter_view_is_pinned (f->view, 12));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "plot.toggle-3d", NULL));
  g_assert_true (es_scatter_view_get_three_d (f->view));
  es_scatter_view_get_viewport (f->view, &vp);
  g_assert_true (vp.three_d);
  gtk_widget_queue_draw (GTK_WIDGET (f->view));
  gtk_test_widget_wait_for_draw (f->window);
}

static void
clipboard_text_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);
  g_assert_no_error (error);
}

static void
test_copy (Fixture       *f,
           gconstpointer  user_data)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (f->view));
  g_autofree char *text = NULL;

  g_test_summary ("plot.copy-word and plot.copy-neighbours put the words on the clipboard");

  es_scatter_view_set_selected (f->view, 4);
  es_scatter_view_set_highlighted (f->view, (guint32[]) { 7, 9 }, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "plot.copy-word", NULL));
  gdk_clipboard_read_text_async (clipboard, NULL, clipboard_text_cb, &text);
  while (text == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (text, ==, "word4");
  g_clear_pointer (&text, g_free);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "plot.copy-neighbours", NULL));
  gdk_clipboard_read_text_async (clipboard, NULL, clipboard_text_cb, &text);
  while (text == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (text, ==, "word4\nword7\nword9");
}

static GtkEventController *
find_controller (GtkWidget *widget,
                 GType      type)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (controller, type))
        return controller;   /* the widget keeps it alive */
    }
  g_assert_not_reached ();
}

static void
test_gestures (Fixture       *f,
               gconstpointer  user_data)
{
  GtkEventController *drag = find_controller (GTK_WIDGET (f->view), GTK_TYPE_GESTURE_DRAG);
  GtkEventController *scroll = find_controller (GTK_WIDGET (f->view), GTK_TYPE_EVENT_CONTROLLER_SCROLL);
  GtkEventController *motion = find_controller (GTK_WIDGET (f->view), GTK_TYPE_EVENT_CONTROLLER_MOTION);
  int sf = gtk_widget_get_scale_factor (GTK_WIDGET (f->view));
  EsViewport before, after;
  double sx0, sy0, sx1, sy1, wx, wy, wx2, wy2;
  gboolean handled = FALSE;

  g_test_summary ("Dragging pans the content with the pointer (2D) or orbits (3D); scrolling zooms around the pointer");

  /* Drag by (30, -20): every point follows. */
  es_scatter_view_get_viewport (f->view, &before);
  es_viewport_project (&before, 0.4, 0.6, 0.5, &sx0, &sy0, NULL);
  g_signal_emit_by_name (drag, "drag-begin", 100.0, 100.0);
  g_signal_emit_by_name (drag, "drag-update", 30.0, -20.0);
  g_signal_emit_by_name (drag, "drag-end", 30.0, -20.0);
  es_scatter_view_get_viewport (f->view, &after);
  es_viewport_project (&after, 0.4, 0.6, 0.5, &sx1, &sy1, NULL);
  g_assert_cmpfloat_with_epsilon (sx1 - sx0, 30 * sf, 1e-6);
  g_assert_cmpfloat_with_epsilon (sy1 - sy0, -20 * sf, 1e-6);

  /* Wheel one notch up at (120, 80): zooms in, that spot stays put. */
  g_signal_emit_by_name (motion, "motion", 120.0, 80.0);
  es_viewport_unproject (&after, 120 * sf, 80 * sf, &wx, &wy);
  g_signal_emit_by_name (scroll, "scroll", 0.0, -1.0, &handled);
  g_assert_true (handled);
  es_scatter_view_get_viewport (f->view, &before);
  g_assert_cmpfloat (before.scale, >, after.scale);
  es_viewport_unproject (&before, 120 * sf, 80 * sf, &wx2, &wy2);
  g_assert_cmpfloat_with_epsilon (wx2, wx, 1e-9);
  g_assert_cmpfloat_with_epsilon (wy2, wy, 1e-9);

  /* 3D: the same drag turns the camera half a degree per pixel. */
  es_scatter_view_set_three_d (f->view, TRUE);
  es_scatter_view_get_viewport (f->view, &before);
  g_signal_emit_by_name (drag, "drag-begin", 100.0, 100.0);
  g_signal_emit_by_name (drag, "drag-update", 30.0, -20.0);
  g_signal_emit_by_name (drag, "drag-end", 30.0, -20.0);
  es_scatter_view_get_viewport (f->view, &after);
  g_assert_cmpfloat_with_epsilon (fmod (before.azimuth - after.azimuth + 360, 360), 15, 1e-9);
  g_assert_cmpfloat_with_epsilon (before.elevation - after.elevation, 10, 1e-9);
}

static void
test_export (Fixture       *f,
             gconstpointer  user_data)
{
  g_autofree char *dir = g_dir_make_tmp ("es-view-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "view.png", NULL);
  g_autofree char *bad = g_build_filename (dir, "view.bmp", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  EsViewport vp;

  g_test_summary ("Export writes the current view at the widget's size; an unknown extension is an error");

  es_scatter_view_set_selected (f->view, 3);
  g_assert_true (es_scatter_view_export (f->view, png, 0, 0, &error));
  g_assert_no_error (error);
  texture = gdk_texture_new_from_filename (png, &error);
  g_assert_no_error (error);
  es_scatter_view_get_viewport (f->view, &vp);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, vp.width);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, vp.height);

  g_assert_false (es_scatter_view_export (f->view, bad, 0, 0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));

  g_unlink (png);
  g_rmdir (dir);
}

static void
test_density_toggle (Fixture       *f,
                     gconstpointer  user_data)
{
  g_autofree char *dir = g_dir_make_tmp ("es-view-XXXXXX", NULL);
  g_autofree char *plain = g_build_filename (dir, "plain.png", NULL);
  g_autofree char *dens = g_build_filename (dir, "density.png", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) a = NULL;
  g_autoptr(GBytes) b = NULL;
  guint notified = 0;

  g_test_summary ("plot.show-density toggles the show-density property, which the drawing and "
                  "the export follow");

  g_signal_connect (f->view, "notify::show-density", G_CALLBACK (notify_count_cb), &notified);
  g_assert_false (es_scatter_view_get_show_density (f->view));
  g_assert_true (es_scatter_view_export (f->view, plain, 0, 0, &error));
  g_assert_no_error (error);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "plot.show-density", NULL));
  g_assert_true (es_scatter_view_get_show_density (f->view));
  g_assert_cmpuint (notified, ==, 1);
  gtk_widget_queue_draw (GTK_WIDGET (f->view));
  gtk_test_widget_wait_for_draw (f->window);
  g_assert_true (es_scatter_view_export (f->view, dens, 0, 0, &error));
  g_assert_no_error (error);
  a = load_bytes (plain);
  b = load_bytes (dens);
  g_assert_false (g_bytes_equal (a, b));

  /* Zoomed in and 3D: still drawn, no warnings. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "plot.zoom-in", NULL));
  gtk_test_widget_wait_for_draw (f->window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "plot.toggle-3d", NULL));
  gtk_test_widget_wait_for_draw (f->window);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "plot.show-density", NULL));
  g_assert_false (es_scatter_view_get_show_density (f->view));
  g_assert_cmpuint (notified, ==, 2);

  g_unlink (plain);
  g_unlink (dens);
  g_rmdir (dir);
}

static void
invalidated_cb (GdkPaintable *paintable,
                gboolean     *done)
{
  *done = TRUE;
}

static void
test_snapshot_pixels (Fixture       *f,
                      gconstpointer  user_data)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (f->view));
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  gboolean done = FALSE;
  int w = gtk_widget_get_width (GTK_WIDGET (f->view));
  int h = gtk_widget_get_height (GTK_WIDGET (f->view));
  gsize stride = 4 * (gsize) w;
  EsViewport vp;
  guint checked = 0;

  g_test_summary ("What the widget snapshots (GTK's renderer, not ours) has the point colour where the viewport puts points");

  if (gtk_widget_get_scale_factor (GTK_WIDGET (f->view)) != 1)
    {
      g_test_skip ("needs scale factor 1");
      return;
    }
  es_scatter_view_set_show_labels (f->view, FALSE);
  es_scatter_view_set_opacity (f->view, 1.0);
  g_signal_connect (paintable, "invalidate-contents", G_CALLBACK (invalidated_cb), &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (f->window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  pixels = g_malloc (stride * h);
  gdk_texture_download (texture, pixels, stride);

  es_scatter_view_get_viewport (f->view, &vp);
  for (gsize row = 0; row < N_POINTS; row += 25)
    {
      double x, y, sx, sy;
      const guchar *p;

      es_scatter_data_get_point (f->data, row, &x, &y, NULL);
      es_viewport_project (&vp, x, y, 0.5, &sx, &sy, NULL);
      /* Away from the tick labels at the edges. */
      if (sx < 60 || sy < 30 || sx > w - 10 || sy > h - 40)
        continue;
      /* B, G, R, A in memory: Okabe-Ito blue (0, 114, 178). */
      p = pixels + (gsize) sy * stride + 4 * (gsize) sx;
      g_assert_cmpint (ABS (p[2] - 0), <=, 3);
      g_assert_cmpint (ABS (p[1] - 114), <=, 3);
      g_assert_cmpint (ABS (p[0] - 178), <=, 3);
      checked++;
    }
  g_assert_cmpuint (checked, >=, 10);
}

static void
test_finalize (void)
{
  GtkWidget *view = es_scatter_view_new ();
  g_autoptr(EsScatterData) data = make_data ();

  g_test_summary ("A view holding data, pins and highlights finalizes without leaks of references");

  g_object_ref_sink (view);
  es_scatter_view_set_data (ES_SCATTER_VIEW (view), data);
  es_scatter_view_set_highlighted (ES_SCATTER_VIEW (view), (guint32[]) { 1, 2 }, 2);
  es_scatter_view_set_pinned (ES_SCATTER_VIEW (view), (guint32[]) { 3 }, 1);
  g_assert_true (es_scatter_view_get_data (ES_SCATTER_VIEW (view)) == data);
  g_assert_finalize_object (view);
}

static void
test_no_display (void)
{
  if (g_getenv ("ES_REQUIRE_DISPLAY") != NULL)
    g_error ("no display, but ES_REQUIRE_DISPLAY is set");
  g_test_skip ("no display");
}

int
main (int   argc,
      char *argv[])
{
  /* What gtk_test_init () does, but with gtk_init_check () so that a
   * missing display is a skip (or, in CI, a failure) instead of an abort.
   */
  g_test_init (&argc, &argv, NULL);
  gtk_disable_setlocale ();
  setlocale (LC_ALL, "en_US.UTF-8");
  if (!gtk_init_check ())
    {
      g_test_add_func ("/ui/scatter-view/no-display", test_no_display);
      return g_test_run ();
    }
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add ("/ui/scatter-view/actions-zoom-fit", Fixture, NULL, fixture_setup, test_actions_zoom_fit, fixture_teardown);
  g_test_add ("/ui/scatter-view/actions-move", Fixture, NULL, fixture_setup, test_actions_move, fixture_teardown);
  g_test_add ("/ui/scatter-view/lookup-point", Fixture, NULL, fixture_setup, test_lookup_point, fixture_teardown);
  g_test_add ("/ui/scatter-view/selected-notify", Fixture, NULL, fixture_setup, test_selected_notify, fixture_teardown);
  g_test_add ("/ui/scatter-view/pin-and-3d", Fixture, NULL, fixture_setup, test_pin_and_3d, fixture_teardown);
  g_test_add ("/ui/scatter-view/gestures", Fixture, NULL, fixture_setup, test_gestures, fixture_teardown);
  g_test_add ("/ui/scatter-view/copy", Fixture, NULL, fixture_setup, test_copy, fixture_teardown);
  g_test_add ("/ui/scatter-view/export", Fixture, NULL, fixture_setup, test_export, fixture_teardown);
  g_test_add ("/ui/scatter-view/density-toggle", Fixture, NULL, fixture_setup, test_density_toggle, fixture_teardown);
  g_test_add ("/ui/scatter-view/snapshot-pixels", Fixture, NULL, fixture_setup, test_snapshot_pixels, fixture_teardown);
  g_test_add_func ("/ui/scatter-view/finalize", test_finalize);

  return g_test_run ();
}
