/* ui-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ui-test-util.h"

#include <glib/gstdio.h>
#include <math.h>

#include "es-window.h"
#include "es-window-private.h"

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
ui_test_wait_for (Condition condition,
                  gpointer  data)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (UI_TEST_TIMEOUT_S, timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_assert_false (timed_out);
}

void
ui_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        ui_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

char *
ui_test_init (int         *argc,
              char      ***argv,
              const char  *name,
              gboolean    *has_display)
{
  g_autofree char *template = g_strconcat (name, "-XXXXXX", NULL);
  char *home = g_dir_make_tmp (template, NULL);
  g_autofree char *config = NULL;
  g_autofree char *data = NULL;

  g_assert_nonnull (home);
  config = g_build_filename (home, "config", NULL);
  data = g_build_filename (home, "data", NULL);
  g_mkdir_with_parents (config, 0700);
  g_mkdir_with_parents (data, 0700);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("XDG_DATA_HOME", data, TRUE);

  g_test_init (argc, argv, NULL);
  *has_display = gtk_init_check ();
  if (*has_display)
    g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  return home;
}

static void
no_display (void)
{
  if (g_getenv ("ES_REQUIRE_DISPLAY") != NULL)
    {
      g_test_fail_printf ("no display, and ES_REQUIRE_DISPLAY is set");
      return;
    }
  g_test_skip ("no display");
}

void
ui_test_add_no_display (const char *path)
{
  g_test_add_func (path, no_display);
}

GtkWidget *
ui_test_find_named (GtkWidget  *widget,
                    const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ui_test_find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
ui_test_other_toplevel (GtkWidget *except)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);

      if (w != except && gtk_widget_get_visible (w))
        return w;
    }
  return NULL;
}

void
ui_test_destroy_window (GtkWidget *window)
{
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  while (window != NULL && g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_null (window);
}

gboolean
ui_test_window_settled (gpointer data)
{
  EsWindow *window = data;

  return !es_window_get_busy (window) && window->filter_source == 0 &&
         (es_window_get_projection (window) == NULL || _es_window_plot_is_current (window));
}

gboolean
ui_test_window_another_set (gpointer data)
{
  EsWindow *window = data;

  return ui_test_window_settled (window) &&
         (es_window_get_error (window) != NULL ||
          g_object_get_data (G_OBJECT (window), "reference") != es_window_get_embedding_set (window));
}

gsize
ui_test_finite_points (gpointer data)
{
  EsScatterData *plot = es_scatter_view_get_data (ES_SCATTER_VIEW (es_window_get_plot (data)));
  gsize n = 0;

  for (gsize r = 0; r < es_scatter_data_get_n_points (plot); r++)
    {
      double x, y;

      es_scatter_data_get_point (plot, r, &x, &y, NULL);
      n += isfinite (x) && isfinite (y);
    }
  return n;
}
