/* take-screenshot.c: the README/AppStream screenshot, made reproducibly
 *
 *   xvfb-run -a -s "-screen 0 1400x900x24" build/tests/take-screenshot docs/screenshot.png [WORD] [ANALOGY]
 *
 * Opens the main window on the bundled sample, selects a word, solves an
 * analogy and renders the window with GTK's own renderer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "take-screenshot"

#include "config.h"

#include <gtk/gtk.h>

#include "es-analogy-panel.h"
#include "es-neighbors-panel.h"
#include "es-window.h"

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkCssProvider) provider = NULL;
  g_autofree char *sample = NULL;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  const char *word = argc > 2 ? argv[2] : "king";
  const char *analogy = argc > 3 ? argv[3] : "king - man + woman";
  EsWindow *window;
  int width, height;

  if (argc < 2)
    {
      g_printerr ("usage: %s OUTPUT.png [WORD] [ANALOGY]\n", argv[0]);
      return 2;
    }

  gtk_init ();
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/embedscope/Embedscope/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  window = es_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));

  sample = es_window_find_sample ();
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", sample);
  while (es_window_get_busy (window) || es_window_get_projection (window) == NULL)
    g_main_context_iteration (NULL, TRUE);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.select-word", "s", word);
  {
    EsAnalogyPanel *panel = ES_ANALOGY_PANEL (find_descendant (GTK_WIDGET (window), ES_TYPE_ANALOGY_PANEL));

    es_analogy_panel_set_expression (panel, analogy);
    gtk_widget_activate_action (GTK_WIDGET (panel), "panel.analogy", NULL);
  }
  spin (1500);

  width = gtk_widget_get_width (GTK_WIDGET (window));
  height = gtk_widget_get_height (GTK_WIDGET (window));
  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, argv[1]))
    {
      g_printerr ("could not write %s\n", argv[1]);
      return 1;
    }

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
