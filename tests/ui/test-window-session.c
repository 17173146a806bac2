/* test-window-session.c: File → Save Session / Open Session in the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-window-session"

#include "config.h"

#include "ui-test-util.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <string.h>

#include "es-document.h"
#include "es-neighbors-panel.h"
#include "es-session.h"
#include "es-window.h"
#include "es-window-private.h"

#define WIDTH     900
#define HEIGHT    640

static char *tmp_dir;

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Not busy, the plot showing the current view, the neighbours found. */
static gboolean
settled (gpointer data)
{
  EsWindow *window = data;

  return !es_window_get_busy (window) && _es_window_plot_is_current (window) &&
         !es_neighbors_panel_get_busy (window->neighbors_panel) &&
         gtk_widget_get_width (es_window_get_plot (window)) > 1;
}

static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
camera_placed (gpointer data)
{
  return g_object_get_data (G_OBJECT (data), "es-window-session-camera-pending") == NULL;
}

static char *
data_path (void)
{
  return g_test_build_filename (G_TEST_DIST, "data", "gensim", "lee_fasttext.vec", NULL);
}

static EsWindow *
new_window (void)
{
  EsWindow *window = es_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static guint8 *
pixels (const char *path,
        gsize      *size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = gdk_texture_new_from_filename (path, &error);
  guint8 *data;
  int w, h;

  g_assert_no_error (error);
  w = gdk_texture_get_width (texture);
  h = gdk_texture_get_height (texture);
  data = g_malloc ((gsize) w * h * 4);
  gdk_texture_download (texture, data, (gsize) w * 4);
  *size = (gsize) w * h * 4;
  return data;
}

/* The view of a window exported and compared pixel for pixel. */
static void
assert_same_picture (EsWindow   *a,
                     EsWindow   *b,
                     const char *name)
{
  g_autofree char *pa = g_strdup_printf ("%s/%s-a.png", tmp_dir, name);
  g_autofree char *pb = g_strdup_printf ("%s/%s-b.png", tmp_dir, name);
  g_autofree guint8 *xa = NULL;
  g_autofree guint8 *xb = NULL;
  gsize na = 0, nb = 0;

  g_assert_cmpint (gtk_widget_get_width (es_window_get_plot (a)), ==,
                   gtk_widget_get_width (es_window_get_plot (b)));
  g_assert_cmpint (gtk_widget_get_height (es_window_get_plot (a)), ==,
                   gtk_widget_get_height (es_window_get_plot (b)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (a), "win.export-to", "(ss)", "png", pa));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (b), "win.export-to", "(ss)", "png", pb));
  g_assert_null (es_window_get_error (a));
  g_assert_null (es_window_get_error (b));
  xa = pixels (pa, &na);
  xb = pixels (pb, &nb);
  g_assert_cmpuint (na, >, 1000);
  g_assert_cmpmem (xa, na, xb, nb);
}

static EsWindow *
open_session (const char *path)
{
  EsWindow *window = new_window ();

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", path));
  ui_test_wait_for (settled, window);
  /* The camera is put in place once the window has settled. */
  ui_test_wait_for (camera_placed, window);
  ui_test_wait_for (settled, window);
  return window;
}

static void
test_round_trip_tsne (void)
{
  g_autofree char *data = data_path ();
  g_autofree char *session = g_build_filename (tmp_dir, "tsne.embedscope", NULL);
  EsWindow *a = new_window ();
  EsWindow *b;
  EsProjection *pa, *pb;
  gsize rows[] = { 3, 5, 8, 13, 21 };
  gsize n_selected = 0;

  g_test_summary ("Map of an isolated selection with a filter: save, open in a new window, the "
                  "same pixels; the stored t-SNE map is used, not computed again");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (a), "win.open-path", "s", data));
  ui_test_wait_for (settled, a);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (a), "win.select-word", "s", "school"));
  ui_test_wait_for (settled, a);
  es_document_select_rows (a->document, rows, G_N_ELEMENTS (rows), ES_SELECT_ADD);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (a), "win.isolate", NULL));
  ui_test_wait_for (settled, a);
  g_assert_true (es_window_get_view_set (a) != es_window_get_embedding_set (a));
  g_object_set (a, "method", "tsne", NULL);
  ui_test_wait_for (settled, a);
  g_assert_cmpint (es_projection_get_method (es_window_get_projection (a)), ==, ES_METHOD_TSNE);
  g_object_set (a, "filter-text", "o", NULL);
  spin (400);
  ui_test_wait_for (settled, a);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (a), "win.save-session-to", "s", session));
  g_assert_null (es_window_get_error (a));
  g_assert_true (es_session_sniff (session));

  b = open_session (session);
  g_assert_null (es_window_get_error (b));
  g_assert_cmpstr (b->method, ==, "tsne");
  g_assert_cmpstr (b->filter_text, ==, "o");
  g_assert_cmpstr (es_document_get_focus_word (b->document), ==, "school");
  es_document_get_selection (b->document, &n_selected);
  g_assert_cmpuint (n_selected, ==, G_N_ELEMENTS (rows));
  /* The map itself, bit for bit, and no t-SNE ran for it. */
  pa = es_window_get_projection (a);
  pb = es_window_get_projection (b);
  g_assert_cmpuint (es_projection_get_rows (pb), ==, es_projection_get_rows (pa));
  g_assert_cmpmem (es_projection_get_coords (pb), es_projection_get_rows (pb) * 2 * sizeof (float),
                   es_projection_get_coords (pa), es_projection_get_rows (pa) * 2 * sizeof (float));
  g_assert_nonnull (strstr (b->layout_note, "restored from the session"));

  assert_same_picture (a, b, "tsne");
  ui_test_destroy_window (GTK_WIDGET (a));
  ui_test_destroy_window (GTK_WIDGET (b));
}

static void
test_round_trip_pca_camera (void)
{
  g_autofree char *data = data_path ();
  g_autofree char *session = g_build_filename (tmp_dir, "pca.embedscope", NULL);
  EsWindow *a = new_window ();
  EsWindow *b;
  EsViewport viewport;

  g_test_summary ("PCA, other components, a zoomed and panned camera, point size: same pixels");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (a), "win.open-path", "s", data));
  ui_test_wait_for (settled, a);
  g_object_set (a, "component-x", 1u, "component-y", 2u, NULL);
  spin (400);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (a), "win.select-word", "s", "police"));
  ui_test_wait_for (settled, a);
  gtk_adjustment_set_value (a->point_size_adjustment, 9);
  es_scatter_view_get_viewport (a->plot, &viewport);
  es_viewport_zoom_at (&viewport, 1.7, viewport.width * 0.3, viewport.height * 0.6);
  es_viewport_pan (&viewport, 25, -10);
  es_scatter_view_set_viewport (a->plot, &viewport);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (a), "win.save-session-to", "s", session));
  b = open_session (session);
  g_assert_cmpuint (b->component_x, ==, 1);
  g_assert_cmpfloat (gtk_adjustment_get_value (b->point_size_adjustment), ==, 9);
  assert_same_picture (a, b, "pca");
  ui_test_destroy_window (GTK_WIDGET (a));
  ui_test_destroy_window (GTK_WIDGET (b));
}

static void
test_round_trip_spherized (void)
{
  g_autofree char *data = data_path ();
  g_autofree char *session = g_build_filename (tmp_dir, "spherized.embedscope", NULL);
  EsWindow *a = new_window ();
  EsWindow *b, *plain;
  EsProjection *pa, *pb, *pplain;
  gsize n;

  g_test_summary ("Spherize and orthogonalised axes are saved and reopened: the same coordinates");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (a), "win.open-path", "s", data));
  ui_test_wait_for (settled, a);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (a), "prep.spherize", NULL));
  g_object_set (a->axes_editor, "orthogonalize", FALSE, NULL);
  spin (200);
  ui_test_wait_for (settled, a);
  g_assert_true (a->preprocess_center && a->preprocess_normalize);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (a), "win.save-session-to", "s", session));
  b = open_session (session);
  g_assert_true (b->preprocess_center);
  g_assert_true (b->preprocess_normalize);
  g_assert_false (es_axes_editor_get_orthogonalize (b->axes_editor));

  /* The same numbers as the window saved, and not those of a plain PCA. */
  pa = es_document_get_projection (a->document);
  pb = es_document_get_projection (b->document);
  n = es_projection_get_rows (pa) * es_projection_get_n_components (pa);
  g_assert_cmpuint (es_projection_get_rows (pb) * es_projection_get_n_components (pb), ==, n);
  g_assert_cmpmem (es_projection_get_coords (pa), n * sizeof (float),
                   es_projection_get_coords (pb), n * sizeof (float));
  plain = new_window ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (plain), "win.open-path", "s", data));
  ui_test_wait_for (settled, plain);
  pplain = es_document_get_projection (plain->document);
  g_assert_true (memcmp (es_projection_get_coords (pplain), es_projection_get_coords (pa),
                         2 * sizeof (float)) != 0);
  ui_test_destroy_window (GTK_WIDGET (plain));
  ui_test_destroy_window (GTK_WIDGET (a));
  ui_test_destroy_window (GTK_WIDGET (b));
}

static gboolean
analogy_solved (gpointer data)
{
  EsWindow *window = data;

  return !es_analogy_panel_get_busy (window->analogy_panel) &&
         es_analogy_panel_get_results (window->analogy_panel) != NULL && settled (window);
}

static void
test_round_trip_analogy_density (void)
{
  g_autofree char *data = data_path ();
  g_autofree char *session = g_build_filename (tmp_dir, "analogy.embedscope", NULL);
  g_autofree char *plain = g_build_filename (tmp_dir, "plain.embedscope", NULL);
  EsWindow *a = new_window ();
  EsWindow *b;

  g_test_summary ("A solved analogy and the density map come back with the session: same pixels");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (a), "win.open-path", "s", data));
  ui_test_wait_for (settled, a);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (a), "win.save-session-to", "s", plain));
  es_analogy_panel_set_expression (a->analogy_panel, "police - man + government");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (a->analogy_panel), "panel.analogy", NULL));
  ui_test_wait_for (analogy_solved, a);
  es_scatter_view_set_show_density (a->plot, TRUE);
  spin (200);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (a), "win.save-session-to", "s", session));
  b = open_session (session);
  ui_test_wait_for (analogy_solved, b);
  g_assert_cmpstr (es_analogy_panel_get_expression (b->analogy_panel), ==, "police - man + government");
  g_assert_true (es_scatter_view_get_show_density (b->plot));
  assert_same_picture (a, b, "analogy");

  /* A session without them clears both from the window it opens in. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (b), "win.open-path", "s", plain));
  ui_test_wait_for (settled, b);
  ui_test_wait_for (camera_placed, b);
  g_assert_false (es_scatter_view_get_show_density (b->plot));
  g_assert_null (es_analogy_panel_get_results (b->analogy_panel));
  ui_test_destroy_window (GTK_WIDGET (a));
  ui_test_destroy_window (GTK_WIDGET (b));
}

/* A window showing the data file, and a session path with @text in it. */
static EsWindow *
window_with_bad_session (const char  *name,
                         const char  *text,
                         char       **path)
{
  g_autofree char *data = data_path ();
  EsWindow *window = new_window ();

  *path = g_build_filename (tmp_dir, name, NULL);
  g_assert_true (g_file_set_contents (*path, text, -1, NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", data));
  ui_test_wait_for (settled, window);
  return window;
}

static void
test_malformed_keeps_view (void)
{
  g_autofree char *path = NULL;
  EsWindow *window = window_with_bad_session ("bad.embedscope",
                                              "{\n \"format\": \"embedscope-session\",\n \"version\": 1,\n \"data\" {}\n}\n",
                                              &path);
  EsEmbeddingSet *before = es_window_get_embedding_set (window);
  EsProjection *projection = es_window_get_projection (window);

  g_test_summary ("A session that does not parse: the error names file, line and column; "
                  "the current view stays");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", path));
  ui_test_wait_for (settled, window);
  g_assert_nonnull (es_window_get_error (window));
  g_assert_nonnull (strstr (es_window_get_error (window), "bad.embedscope:4:"));
  g_assert_true (es_window_get_embedding_set (window) == before);
  g_assert_true (es_window_get_projection (window) == projection);
  ui_test_destroy_window (GTK_WIDGET (window));
}

static void
test_newer_version_keeps_view (void)
{
  g_autofree char *path = NULL;
  EsWindow *window = window_with_bad_session ("newer.embedscope",
                                              "{\"format\": \"embedscope-session\", \"version\": 99}",
                                              &path);
  EsEmbeddingSet *before = es_window_get_embedding_set (window);

  g_test_summary ("A session of a newer version: refused saying so, the current view stays");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", path));
  ui_test_wait_for (settled, window);
  g_assert_nonnull (strstr (es_window_get_error (window), "newer"));
  g_assert_true (es_window_get_embedding_set (window) == before);
  ui_test_destroy_window (GTK_WIDGET (window));
}

static void
test_missing_file_named (void)
{
  g_autofree char *path = NULL;
  EsWindow *window = window_with_bad_session ("missing.embedscope",
                                              "{\"format\": \"embedscope-session\", \"version\": 1, "
                                              "\"data\": {\"path\": \"gone-words.vec\"}}",
                                              &path);
  EsEmbeddingSet *before = es_window_get_embedding_set (window);

  g_test_summary ("A session whose data file is gone: named (a dialog offers to locate it), the "
                  "current view stays");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", path));
  ui_test_wait_for (settled, window);
  g_assert_nonnull (strstr (es_window_get_error (window), "gone-words.vec"));
  g_assert_true (es_window_get_embedding_set (window) == before);
  ui_test_destroy_window (GTK_WIDGET (window));
}

static void
test_changed_file_warns (void)
{
  g_autofree char *data = data_path ();
  g_autofree char *copy = g_build_filename (tmp_dir, "copy.vec", NULL);
  g_autofree char *session = g_build_filename (tmp_dir, "changed.embedscope", NULL);
  g_autofree char *contents = NULL;
  EsWindow *a = new_window ();
  EsWindow *b;

  g_test_summary ("A data file changed since saving: a warning, the map computed again");

  g_assert_true (g_file_get_contents (data, &contents, NULL, NULL));
  g_assert_true (g_file_set_contents (copy, contents, -1, NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (a), "win.open-path", "s", copy));
  ui_test_wait_for (settled, a);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (a), "win.select-word", "s", "school"));
  ui_test_wait_for (settled, a);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (a), "win.isolate", NULL));
  ui_test_wait_for (settled, a);
  g_object_set (a, "method", "umap", NULL);
  ui_test_wait_for (settled, a);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (a), "win.save-session-to", "s", session));

  /* One digit of the first vector changed: same size, another checksum. */
  contents[strlen ("1762 10\nthe -0.6599")] = contents[strlen ("1762 10\nthe -0.6599")] == '1' ? '2' : '1';
  g_assert_true (g_file_set_contents (copy, contents, -1, NULL));
  b = open_session (session);
  g_assert_nonnull (es_window_get_error (b));
  g_assert_nonnull (strstr (es_window_get_error (b), "has changed"));
  g_assert_null (strstr (b->layout_note != NULL ? b->layout_note : "", "restored from the session"));
  g_assert_cmpint (es_projection_get_method (es_window_get_projection (b)), ==, ES_METHOD_UMAP);
  ui_test_destroy_window (GTK_WIDGET (a));
  ui_test_destroy_window (GTK_WIDGET (b));
}

int
main (int   argc,
      char *argv[])
{
  gboolean display;
  int status;

  tmp_dir = ui_test_init (&argc, &argv, "es-test-window-session", &display);
  if (!display)
    ui_test_add_no_display ("/ui/session/no-display");
  else
    {
      g_test_add_func ("/ui/session/round-trip-tsne", test_round_trip_tsne);
      g_test_add_func ("/ui/session/round-trip-pca-camera", test_round_trip_pca_camera);
      g_test_add_func ("/ui/session/round-trip-spherized", test_round_trip_spherized);
      g_test_add_func ("/ui/session/round-trip-analogy-density", test_round_trip_analogy_density);
      g_test_add_func ("/ui/session/malformed", test_malformed_keeps_view);
      g_test_add_func ("/ui/session/newer-version", test_newer_version_keeps_view);
      g_test_add_func ("/ui/session/missing-file", test_missing_file_named);
      g_test_add_func ("/ui/session/changed-file", test_changed_file_warns);
    }
  status = g_test_run ();
  ui_test_remove_tree (tmp_dir);
  g_free (tmp_dir);

  return status;
}
