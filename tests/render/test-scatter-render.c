/* test-scatter-render.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>

#include "es-engine.h"
#include "es-point-index.h"
#include "es-scatter-data.h"
#include "es-scatter-renderer.h"
#include "es-viewport.h"

#define W 400
#define H 300

/* ---- helpers ----------------------------------------------------------- */

static guint32
pixel_at (cairo_surface_t *surface,
          int              x,
          int              y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, cairo_image_surface_get_width (surface));
  g_assert_cmpint (y, <, cairo_image_surface_get_height (surface));
  return *(const guint32 *) (gconstpointer) (data + (gsize) y * stride + 4 * (gsize) x);
}

static void
assert_pixel_near (guint32 pixel,
                   int     r,
                   int     g,
                   int     b,
                   int     tolerance)
{
  int pr = (pixel >> 16) & 0xff, pg = (pixel >> 8) & 0xff, pb = pixel & 0xff;

  if (ABS (pr - r) > tolerance || ABS (pg - g) > tolerance || ABS (pb - b) > tolerance)
    g_error ("pixel %08x is not near (%d, %d, %d)", pixel, r, g, b);
}

static EsScatterData *
make_data (const float        *xy,
           gsize               n,
           const char * const *words)
{
  return es_scatter_data_new_from_coords (xy, n, 2, 0, 1, -1, NULL, words);
}

static void
plain_style (EsPlotStyle *style)
{
  es_plot_style_init (style, FALSE);
  style->show_axes = FALSE;
  style->show_labels = FALSE;
  style->show_legend = FALSE;
  style->show_category_names = FALSE;
  style->opacity = 1.0;
  style->point_size = 6;
}

static char *
random_words (GRand *rand,
              guint  i)
{
  static const char *syllables[] = { "ka", "lo", "mi", "ne", "su", "ta", "ri", "po" };
  GString *s = g_string_new (NULL);
  guint n = g_rand_int_range (rand, 2, 5);

  for (guint k = 0; k < n; k++)
    g_string_append (s, syllables[g_rand_int_range (rand, 0, 8)]);
  g_string_append_printf (s, "%u", i);
  return g_string_free (s, FALSE);
}

/* ---- viewport ---------------------------------------------------------- */

static void
test_viewport_zoom_keeps_pointer (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  g_test_summary ("Zooming around a surface point keeps the world point under it where it was");

  for (guint i = 0; i < 200; i++)
    {
      EsViewport vp;
      double px = g_rand_double_range (rand, 0, W);
      double py = g_rand_double_range (rand, 0, H);
      double f = exp (g_rand_double_range (rand, -2, 2));
      double wx, wy, wx2, wy2, sx, sy;

      es_viewport_init (&vp, W, H, FALSE);
      vp.center_x = g_rand_double_range (rand, -1, 2);
      vp.center_y = g_rand_double_range (rand, -1, 2);
      vp.scale = exp (g_rand_double_range (rand, 0, 8));

      es_viewport_unproject (&vp, px, py, &wx, &wy);
      es_viewport_zoom_at (&vp, f, px, py);
      es_viewport_unproject (&vp, px, py, &wx2, &wy2);
      g_assert_cmpfloat_with_epsilon (wx, wx2, 1e-9 * MAX (1, fabs (wx)));
      g_assert_cmpfloat_with_epsilon (wy, wy2, 1e-9 * MAX (1, fabs (wy)));

      /* And projecting it back lands on the pointer. */
      es_viewport_project (&vp, wx, wy, 0.5, &sx, &sy, NULL);
      g_assert_cmpfloat_with_epsilon (sx, px, 1e-6);
      g_assert_cmpfloat_with_epsilon (sy, py, 1e-6);
    }
}

static void
test_viewport_pan (void)
{
  EsViewport vp;
  double sx, sy, sx2, sy2;

  g_test_summary ("Dragging by (dx, dy) moves every point by (dx, dy) in 2D");

  es_viewport_init (&vp, W, H, FALSE);
  vp.scale = 250;
  es_viewport_project (&vp, 0.3, 0.7, 0.5, &sx, &sy, NULL);
  es_viewport_pan (&vp, 17, -9);
  es_viewport_project (&vp, 0.3, 0.7, 0.5, &sx2, &sy2, NULL);
  g_assert_cmpfloat_with_epsilon (sx2 - sx, 17, 1e-9);
  g_assert_cmpfloat_with_epsilon (sy2 - sy, -9, 1e-9);
}

static void
test_viewport_fit (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  const double margin = 20;

  g_test_summary ("After fit every point lies inside the surface minus the margin, and the box touches it");

  for (guint round = 0; round < 50; round++)
    {
      double lo[3] = { g_rand_double_range (rand, 0, 0.5), g_rand_double_range (rand, 0, 0.5), 0.5 };
      double hi[3] = { lo[0] + g_rand_double_range (rand, 0.01, 0.5),
                       lo[1] + g_rand_double_range (rand, 0.01, 0.5), 0.5 };
      EsViewport vp;
      double x0, y0, x1, y1;

      es_viewport_init (&vp, W, H, FALSE);
      es_viewport_fit (&vp, lo, hi, margin);
      es_viewport_project (&vp, lo[0], hi[1], 0.5, &x0, &y0, NULL);
      es_viewport_project (&vp, hi[0], lo[1], 0.5, &x1, &y1, NULL);
      g_assert_cmpfloat (x0, >=, margin - 1e-9);
      g_assert_cmpfloat (y0, >=, margin - 1e-9);
      g_assert_cmpfloat (x1, <=, W - margin + 1e-9);
      g_assert_cmpfloat (y1, <=, H - margin + 1e-9);
      /* Tight in one direction. */
      g_assert_true (fabs ((x1 - x0) - (W - 2 * margin)) < 1e-6 ||
                     fabs ((y1 - y0) - (H - 2 * margin)) < 1e-6);
      g_assert_cmpfloat_with_epsilon (es_viewport_get_zoom (&vp), 1.0, 1e-12);
    }
}

static void
test_viewport_3d_projection (void)
{
  EsViewport vp;
  double sx, sy, depth, f;
  const double D = 3.0;

  g_test_summary ("3D perspective matches hand-computed pinhole projections at azimuth 0 and 90");

  es_viewport_init (&vp, W, H, TRUE);
  vp.fov_deg = 90;          /* tan (45°) = 1: focal = min (W, H) / 2 */
  vp.distance = D;
  es_viewport_set_angles (&vp, 0, 0);
  f = MIN (W, H) / 2.0;

  /* Camera at (0.5, 0.5, 0.5 + D) looking down -z; right = +x, up = +y. */
  g_assert_true (es_viewport_project (&vp, 0.7, 0.6, 0.5, &sx, &sy, &depth));
  g_assert_cmpfloat_with_epsilon (depth, D, 1e-12);
  g_assert_cmpfloat_with_epsilon (sx, W / 2.0 + f * 0.2 / D, 1e-9);
  g_assert_cmpfloat_with_epsilon (sy, H / 2.0 - f * 0.1 / D, 1e-9);

  /* A point nearer the camera (z = 1.5, depth D - 1) spreads out more. */
  g_assert_true (es_viewport_project (&vp, 0.7, 0.5, 1.5, &sx, &sy, &depth));
  g_assert_cmpfloat_with_epsilon (depth, D - 1, 1e-12);
  g_assert_cmpfloat_with_epsilon (sx, W / 2.0 + f * 0.2 / (D - 1), 1e-9);

  /* Azimuth 90: camera at (0.5 + D, 0.5, 0.5) looking down -x; right = -z. */
  es_viewport_set_angles (&vp, 90, 0);
  g_assert_true (es_viewport_project (&vp, 0.5, 0.5, 0.3, &sx, &sy, &depth));
  g_assert_cmpfloat_with_epsilon (depth, D, 1e-12);
  g_assert_cmpfloat_with_epsilon (sx, W / 2.0 + f * 0.2 / D, 1e-9);
  g_assert_cmpfloat_with_epsilon (sy, H / 2.0, 1e-9);

  /* Elevation 90 is clamped short of the pole; behind the camera is hidden. */
  es_viewport_set_angles (&vp, 0, 95);
  g_assert_cmpfloat (vp.elevation, ==, 89);
  es_viewport_set_angles (&vp, 0, 0);
  g_assert_false (es_viewport_project (&vp, 0.5, 0.5, 0.5 + D + 1, &sx, &sy, &depth));
}

/* ---- scatter data -------------------------------------------------------- */

static void
test_data_normalise (void)
{
  const float xy[] = { 0, 0,  10, 5,  NAN, 1,  4, 2,  10, 0 };
  const char *words[] = { "a", "b", "masked", "c", "d" };
  g_autoptr(EsScatterData) data = make_data (xy, 5, words);
  double x, y, z, lo[3], hi[3];
  gsize row;

  g_test_summary ("Coordinates get one scale for both axes (range 10), centred at 0.5; NaN rows are masked");

  g_assert_cmpuint (es_scatter_data_get_n_points (data), ==, 5);
  g_assert_cmpuint (es_scatter_data_get_n_visible (data), ==, 4);
  g_assert_false (es_scatter_data_get_point (data, 2, &x, &y, NULL));

  /* x: (x - 5) / 10 + 0.5; y: (y - 2.5) / 10 + 0.5 */
  g_assert_true (es_scatter_data_get_point (data, 3, &x, &y, &z));
  g_assert_cmpfloat_with_epsilon (x, (4 - 5) / 10.0 + 0.5, 1e-6);
  g_assert_cmpfloat_with_epsilon (y, (2 - 2.5) / 10.0 + 0.5, 1e-6);
  g_assert_cmpfloat (z, ==, 0.5);

  es_scatter_data_get_bounds (data, lo, hi);
  g_assert_cmpfloat_with_epsilon (lo[0], 0.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (hi[0], 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (lo[1], 0.25, 1e-9);
  g_assert_cmpfloat_with_epsilon (hi[1], 0.75, 1e-9);
  g_assert_cmpfloat_with_epsilon (es_scatter_data_to_data_units (data, 0, 0.75), 7.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (es_scatter_data_from_data_units (data, 1, 5), 0.75, 1e-9);

  g_assert_cmpstr (es_scatter_data_get_label (data, 3), ==, "c");
  g_assert_true (es_scatter_data_lookup (data, "d", &row));
  g_assert_cmpuint (row, ==, 4);
  g_assert_false (es_scatter_data_lookup (data, "zzz", NULL));

  /* The spatial order holds every visible row exactly once. */
  {
    const guint32 *rows = es_scatter_data_get_sorted_rows (data);
    guint seen = 0;

    for (guint i = 0; i < 4; i++)
      seen |= 1u << rows[i];
    g_assert_cmpuint (seen, ==, 0x1b);
  }
}

static void
test_legend_more_fits (void)
{
  float xy[2 * 20];
  guint categories[20];
  const char *names[20];
  char name_buf[20][4];
  g_autoptr(EsScatterData) data = NULL;
  g_autoptr(EsScatterRenderer) renderer = es_scatter_renderer_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 400);
  EsPlotStyle style;
  EsViewport vp;
  double lo[3], hi[3];
  guint inked = 0, edge = 0;

  g_test_summary ("A legend of many one-letter categories is wide enough for its \"+N more\" row: "
                  "nothing is drawn in the columns next to the surface's right edge");

  for (guint i = 0; i < 20; i++)
    {
      xy[2 * i] = (float) (i % 5);
      xy[2 * i + 1] = (float) (i / 5);
      categories[i] = i;
      g_snprintf (name_buf[i], sizeof name_buf[i], "%c", 'a' + i);
      names[i] = name_buf[i];
    }
  data = es_scatter_data_new_from_coords (xy, 20, 2, 0, 1, -1, NULL, NULL);
  es_scatter_data_set_categories (data, categories, names, 20);
  es_plot_style_init (&style, FALSE);
  style.show_axes = FALSE;
  style.show_labels = FALSE;
  es_viewport_init (&vp, 400, 400, FALSE);
  es_scatter_data_get_bounds (data, lo, hi);
  /* Points kept to the left half, away from the legend. */
  es_viewport_fit (&vp, lo, hi, 20);
  vp.center_x += 0.6 / vp.scale * 200;
  es_scatter_renderer_render_image (renderer, surface, data, &vp, &style, NULL);
  cairo_surface_flush (surface);

  for (int y = 0; y < 400; y++)
    for (int x = 300; x < 400; x++)
      {
        gboolean ink = (pixel_at (surface, x, y) & 0xff) < 160;

        inked += ink;
        edge += ink && x >= 396;
      }
  g_test_message ("dark pixels in the right quarter: %u, at the edge: %u", inked, edge);
  g_assert_cmpuint (inked, >, 100);
  g_assert_cmpuint (edge, ==, 0);
  cairo_surface_destroy (surface);
}

static void
test_gizmo_names_on_surface (void)
{
  const float xyz[] = { 0, 0, 0,  1, 0, 0,  0, 1, 0,  0, 0, 1,  1, 1, 1 };
  g_autoptr(EsScatterData) data = es_scatter_data_new_from_coords (xyz, 5, 3, 0, 1, 2, NULL, NULL);
  g_autoptr(EsScatterRenderer) renderer = es_scatter_renderer_new ();
  EsPlotStyle style;
  EsViewport vp;
  double lo[3], hi[3];

  g_test_summary ("3D: the axis gizmo's names stay on the surface whichever way the axes point "
                  "(nothing drawn in the outermost columns and rows)");

  es_scatter_data_set_axis_title (data, 0, "First component");
  es_scatter_data_set_axis_title (data, 1, "Second component");
  es_scatter_data_set_axis_title (data, 2, "Third component");
  es_plot_style_init (&style, FALSE);
  style.show_labels = FALSE;
  es_viewport_init (&vp, 400, 300, TRUE);
  es_scatter_data_get_bounds (data, lo, hi);
  es_viewport_fit (&vp, lo, hi, 10);
  for (int az = 0; az < 360; az += 30)
    {
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 300);
      guint edge = 0;

      es_viewport_set_angles (&vp, az, 20);
      es_scatter_renderer_render_image (renderer, surface, data, &vp, &style, NULL);
      cairo_surface_flush (surface);
      /* The gizmo sits bottom left: its side and bottom edges. */
      for (int y = 150; y < 300; y++)
        edge += (pixel_at (surface, 0, y) & 0xffffff) != 0xffffff;
      for (int x = 0; x < 200; x++)
        edge += (pixel_at (surface, x, 299) & 0xffffff) != 0xffffff;
      g_test_message ("azimuth %d: %u edge pixels inked", az, edge);
      g_assert_cmpuint (edge, ==, 0);
      cairo_surface_destroy (surface);
    }
}

static void
test_data_categories (void)
{
  const float xy[] = { 0, 0, 1, 1, 2, 0, 3, 1 };
  const char *cols[] = { "word", "kind", NULL };
  g_autoptr(EsScatterData) data = make_data (xy, 4, NULL);
  g_autoptr(EsMetadata) md = es_metadata_new (cols);
  g_autoptr(EsMetadata) num = es_metadata_new (cols);
  const char *r0[] = { "a", "fruit" }, *r1[] = { "b", "tool" }, *r2[] = { "c", "fruit" }, *r3[] = { "d", "" };
  const char *n0[] = { "a", "1.5" }, *n1[] = { "b", "-2" }, *n2[] = { "c", "" }, *n3[] = { "d", "4" };
  double lo, hi;

  g_test_summary ("A text column colours by category in order of appearance; a numeric one by gradient");

  es_metadata_append_row (md, r0);
  es_metadata_append_row (md, r1);
  es_metadata_append_row (md, r2);
  es_metadata_append_row (md, r3);
  g_assert_true (es_scatter_data_set_color_column (data, md, 1));
  g_assert_cmpint (es_scatter_data_get_color_mode (data), ==, ES_SCATTER_COLOR_CATEGORIES);
  g_assert_cmpuint (es_scatter_data_get_n_categories (data), ==, 2);
  g_assert_cmpstr (es_scatter_data_get_category_name (data, 0), ==, "fruit");
  g_assert_cmpstr (es_scatter_data_get_category_name (data, 1), ==, "tool");
  g_assert_cmpuint (es_scatter_data_get_category (data, 2), ==, 0);
  g_assert_cmpuint (es_scatter_data_get_category (data, 3), ==, G_MAXUINT);
  g_assert_cmpstr (es_scatter_data_get_color_title (data), ==, "kind");

  es_metadata_append_row (num, n0);
  es_metadata_append_row (num, n1);
  es_metadata_append_row (num, n2);
  es_metadata_append_row (num, n3);
  g_assert_true (es_scatter_data_set_color_column (data, num, 1));
  g_assert_cmpint (es_scatter_data_get_color_mode (data), ==, ES_SCATTER_COLOR_VALUES);
  es_scatter_data_get_value_range (data, &lo, &hi);
  g_assert_cmpfloat (lo, ==, -2);
  g_assert_cmpfloat (hi, ==, 4);
}

static void
test_data_from_projection (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "resources",
                                                 "kjv-hamlet-5k-50d.w2v.txt", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(EsProjection) projection = NULL;
  g_autoptr(EsScatterData) data = NULL;
  EsProjectionOptions options;
  const float *coords;
  double x, y;

  g_test_summary ("Scatter data from a PCA of the sample: one point per row, titles with explained variance");

  set = es_loader_load_path (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  es_projection_options_init (&options);
  options.method = ES_METHOD_PCA;
  options.n_components = 3;
  projection = es_projection_compute (set, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  g_assert_null (es_scatter_data_new_from_projection (set, projection, 0, 5, -1, &error));
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  data = es_scatter_data_new_from_projection (set, projection, 0, 1, 2, &error);
  g_assert_no_error (error);
  g_assert_true (es_scatter_data_is_3d (data));
  g_assert_cmpuint (es_scatter_data_get_n_points (data), ==, es_embedding_set_get_rows (set));
  g_assert_true (g_str_has_prefix (es_scatter_data_get_axis_title (data, 0), "PC1 ("));
  g_assert_true (g_str_has_suffix (es_scatter_data_get_axis_title (data, 2), "%)"));
  g_assert_cmpstr (es_scatter_data_get_label (data, 0), ==, es_embedding_set_get_word (set, 0));

  /* Normalised back to data units gives the projection's coordinates. */
  coords = es_projection_get_coords (projection);
  g_assert_true (es_scatter_data_get_point (data, 7, &x, &y, NULL));
  g_assert_cmpfloat_with_epsilon (es_scatter_data_to_data_units (data, 0, x), coords[7 * 3 + 0], 1e-4);
  g_assert_cmpfloat_with_epsilon (es_scatter_data_to_data_units (data, 1, y), coords[7 * 3 + 1], 1e-4);
}

/* ---- raster back-end ------------------------------------------------- */

static void
test_raster_points (gconstpointer user_data)
{
  /* Data units; the independent maths below follows the documented
   * normalisation: range = max (10, 4) = 10, centre (5, 2).
   */
  const float xy[] = { 0, 0,  10, 4,  3, 1,  8, 3 };
  g_autoptr(EsScatterData) data = make_data (xy, 4, NULL);
  g_autoptr(EsScatterRenderer) renderer = es_scatter_renderer_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
  EsPlotStyle style;
  EsViewport vp;
  double lo[3] = { 0, 0.3, 0.5 }, hi[3] = { 1, 0.7, 0.5 };
  const double margin = 30;
  double scale;

  g_test_summary ("Each point's pixel, where the viewport maths puts it, has the first palette colour; "
                  "the space between points keeps the background");

  plain_style (&style);
  /* Also through the density path of big N, forced here. */
  if (GPOINTER_TO_INT (user_data))
    es_scatter_renderer_set_density_threshold (renderer, 0);
  es_viewport_init (&vp, W, H, FALSE);
  es_viewport_fit (&vp, lo, hi, margin);
  es_scatter_renderer_render_image (renderer, surface, data, &vp, &style, NULL);

  /* fit: scale = min ((W - 2m) / 1, (H - 2m) / 0.4) = 340, centred at (0.5, 0.5). */
  scale = MIN ((W - 2 * margin) / 1.0, (H - 2 * margin) / 0.4);
  for (guint i = 0; i < 4; i++)
    {
      double nx = (xy[2 * i] - 5) / 10.0 + 0.5;
      double ny = (xy[2 * i + 1] - 2) / 10.0 + 0.5;
      double sx = W / 2.0 + (nx - 0.5) * scale;
      double sy = H / 2.0 - (ny - 0.5) * scale;

      /* Okabe-Ito blue (0, 114, 178), opaque. */
      assert_pixel_near (pixel_at (surface, (int) sx, (int) sy), 0, 114, 178, 2);
      g_assert_cmpuint (pixel_at (surface, (int) sx, (int) sy) >> 24, ==, 255);
    }
  /* Normalised (0.5, 0.6) is 0.3 (102 px) from the nearest point: empty. */
  assert_pixel_near (pixel_at (surface, (int) (W / 2.0 + (0.5 - 0.5) * scale),
                               (int) (H / 2.0 - (0.6 - 0.5) * scale)), 255, 255, 255, 0);
  /* Far corner: background. */
  assert_pixel_near (pixel_at (surface, 2, 2), 255, 255, 255, 0);

  cairo_surface_destroy (surface);
}

static void
test_raster_categories (gconstpointer user_data)
{
  const float xy[] = { 0, 0, 1, 0, 2, 0 };
  const guint cats[] = { 0, 1, G_MAXUINT };
  const char *names[] = { "one", "two" };
  g_autoptr(EsScatterData) data = make_data (xy, 3, NULL);
  g_autoptr(EsScatterRenderer) renderer = es_scatter_renderer_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
  EsPlotStyle style;
  EsViewport vp;
  double lo[3], hi[3], sx, sy;

  g_test_summary ("Categories take the Okabe-Ito colours in order; a row without one is grey");

  es_scatter_data_set_categories (data, cats, names, 2);
  plain_style (&style);
  if (GPOINTER_TO_INT (user_data))
    es_scatter_renderer_set_density_threshold (renderer, 0);
  es_viewport_init (&vp, W, H, FALSE);
  es_scatter_data_get_bounds (data, lo, hi);
  es_viewport_fit (&vp, lo, hi, 40);
  es_scatter_renderer_render_image (renderer, surface, data, &vp, &style, NULL);

  es_viewport_project (&vp, 0.0, 0.5, 0.5, &sx, &sy, NULL);
  assert_pixel_near (pixel_at (surface, (int) sx, (int) sy), 0, 114, 178, 2);    /* blue */
  es_viewport_project (&vp, 0.5, 0.5, 0.5, &sx, &sy, NULL);
  assert_pixel_near (pixel_at (surface, (int) sx, (int) sy), 230, 159, 0, 2);    /* orange */
  es_viewport_project (&vp, 1.0, 0.5, 0.5, &sx, &sy, NULL);
  /* Missing: grey 0.62, at 60 % over white by the sprite path. */
  if (GPOINTER_TO_INT (user_data))
    assert_pixel_near (pixel_at (surface, (int) sx, (int) sy), 158, 158, 158, 3);
  else
    assert_pixel_near (pixel_at (surface, (int) sx, (int) sy), 198, 198, 198, 3);
  /* Between the points: background. */
  es_viewport_project (&vp, 0.25, 0.5, 0.5, &sx, &sy, NULL);
  assert_pixel_near (pixel_at (surface, (int) sx, (int) sy), 255, 255, 255, 0);

  cairo_surface_destroy (surface);
}

static void
test_raster_gradient (void)
{
  const float xy[] = { 0, 0, 1, 0, 2, 0 };
  const double values[] = { -3, 7, NAN };
  g_autoptr(EsScatterData) data = make_data (xy, 3, NULL);
  g_autoptr(EsScatterRenderer) renderer = es_scatter_renderer_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
  EsPlotStyle style;
  EsViewport vp;
  double lo[3], hi[3], sx, sy;

  g_test_summary ("Numeric values map min to viridis' dark purple and max to its yellow (matplotlib's end points)");

  es_scatter_data_set_values (data, values, "score");
  plain_style (&style);
  es_viewport_init (&vp, W, H, FALSE);
  es_scatter_data_get_bounds (data, lo, hi);
  es_viewport_fit (&vp, lo, hi, 40);
  es_scatter_renderer_render_image (renderer, surface, data, &vp, &style, NULL);

  /* matplotlib: viridis(0) = (0.267, 0.0049, 0.3294), viridis(1) = (0.9932, 0.9062, 0.1439) */
  es_viewport_project (&vp, 0.0, 0.5, 0.5, &sx, &sy, NULL);
  assert_pixel_near (pixel_at (surface, (int) sx, (int) sy), 68, 1, 84, 2);
  es_viewport_project (&vp, 0.5, 0.5, 0.5, &sx, &sy, NULL);
  assert_pixel_near (pixel_at (surface, (int) sx, (int) sy), 253, 231, 37, 2);

  cairo_surface_destroy (surface);
}

static void
test_vector_points (void)
{
  const float xy[] = { 0, 0,  10, 4,  3, 1,  8, 3 };
  g_autoptr(EsScatterData) data = make_data (xy, 4, NULL);
  g_autoptr(EsScatterRenderer) renderer = es_scatter_renderer_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 2 * W, 2 * H);
  cairo_t *cr = cairo_create (surface);
  EsPlotStyle style;
  EsViewport vp;
  double lo[3], hi[3];

  g_test_summary ("The vector back-end (taken because of a transform) puts points where the raster one does");

  plain_style (&style);
  es_viewport_init (&vp, W, H, FALSE);
  es_scatter_data_get_bounds (data, lo, hi);
  es_viewport_fit (&vp, lo, hi, 30);
  /* Twice the size through a Cairo transform: not the pixel path. */
  cairo_scale (cr, 2, 2);
  es_scatter_renderer_draw (renderer, cr, data, &vp, &style, NULL);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  for (gsize i = 0; i < 4; i++)
    {
      double x, y, sx, sy;

      es_scatter_data_get_point (data, i, &x, &y, NULL);
      es_viewport_project (&vp, x, y, 0.5, &sx, &sy, NULL);
      assert_pixel_near (pixel_at (surface, (int) (2 * sx), (int) (2 * sy)), 0, 114, 178, 2);
    }
  assert_pixel_near (pixel_at (surface, W, (int) (2 * (H / 2.0 - 0.1 * 340))), 255, 255, 255, 0);

  cairo_surface_destroy (surface);
}

static void
test_overlay_selection (void)
{
  const float xy[] = { 0, 0, 1, 0.5f, 0.5f, 1 };
  g_autoptr(EsScatterData) data = make_data (xy, 3, NULL);
  g_autoptr(EsScatterRenderer) renderer = es_scatter_renderer_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
  EsPlotStyle style;
  EsPlotOverlay overlay;
  EsViewport vp;
  double lo[3], hi[3], x0, y0, x1, y1, x, y;
  guint32 neighbours[] = { 1 };
  guint32 p;

  g_test_summary ("The selection gets a dark ring, the link to a neighbour is drawn in the accent colour");

  plain_style (&style);
  es_plot_overlay_init (&overlay);
  overlay.selected = 0;
  overlay.highlighted = neighbours;
  overlay.n_highlighted = 1;
  es_viewport_init (&vp, W, H, FALSE);
  es_scatter_data_get_bounds (data, lo, hi);
  es_viewport_fit (&vp, lo, hi, 40);
  es_scatter_renderer_render_image (renderer, surface, data, &vp, &style, &overlay);

  es_scatter_data_get_point (data, 0, &x, &y, NULL);
  es_viewport_project (&vp, x, y, 0.5, &x0, &y0, NULL);
  es_scatter_data_get_point (data, 1, &x, &y, NULL);
  es_viewport_project (&vp, x, y, 0.5, &x1, &y1, NULL);

  /* Ring radius: point radius 3 + 3 + 1.5 = 7.5 px; straight above the
   * point (the link leaves to the right).
   */
  p = pixel_at (surface, (int) x0, (int) (y0 - 7.5));
  g_assert_cmpuint ((p >> 16) & 0xff, <, 90);
  g_assert_cmpuint (p & 0xff, <, 90);
  /* Halfway along the link (a thin anti-aliased line: the most covered
   * of the 3x3 pixels there): orange, accent (0.90, 0.38, 0) at 55 % over
   * white, so red well above blue.
   */
  {
    int best = 0;

    for (int dy = -1; dy <= 1; dy++)
      for (int dx = -1; dx <= 1; dx++)
        {
          p = pixel_at (surface, (int) ((x0 + x1) / 2) + dx, (int) ((y0 + y1) / 2) + dy);
          best = MAX (best, (int) ((p >> 16) & 0xff) - (int) (p & 0xff));
        }
    g_assert_cmpint (best, >, 60);
  }

  cairo_surface_destroy (surface);
}

static void
test_raster_3d (void)
{
  const float xyz[] = { 0, 0, 0,  1, 1, 1,  1, 0, 0.5 };
  g_autoptr(EsScatterData) data = es_scatter_data_new_from_coords (xyz, 3, 3, 0, 1, 2, NULL, NULL);
  g_autoptr(EsScatterRenderer) renderer = es_scatter_renderer_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
  EsPlotStyle style;
  EsViewport vp;
  const double D = 2.5;
  double f = MIN (W, H) / 2.0;

  g_test_summary ("3D points are drawn where the hand-computed perspective puts them");

  plain_style (&style);
  es_viewport_init (&vp, W, H, TRUE);
  vp.fov_deg = 90;
  vp.distance = D;
  es_viewport_set_angles (&vp, 0, 0);
  es_scatter_renderer_render_image (renderer, surface, data, &vp, &style, NULL);

  /* Normalised: each axis (v - 0.5) / 1 + 0.5 = v.  Camera on +z. */
  for (guint i = 0; i < 3; i++)
    {
      double x = xyz[3 * i], y = xyz[3 * i + 1], z = xyz[3 * i + 2];
      double depth = 0.5 + D - z;
      double sx = W / 2.0 + f * (x - 0.5) / depth;
      double sy = H / 2.0 - f * (y - 0.5) / depth;
      guint32 p = pixel_at (surface, (int) sx, (int) sy);

      /* Coloured (not white); blue dominates even with the depth fog. */
      g_assert_cmpuint (p & 0xff, >, (p >> 16) & 0xff);
    }
  assert_pixel_near (pixel_at (surface, W / 2, H / 2), 255, 255, 255, 0);

  cairo_surface_destroy (surface);
}

static void
test_labels_disjoint (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(EsScatterRenderer) renderer = es_scatter_renderer_new ();
  g_autoptr(EsScatterData) data = NULL;
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 2 * W, 2 * H);
  g_autofree float *xy = g_new (float, 2 * 800);
  EsPlotStyle style;
  EsPlotOverlay overlay;
  EsViewport vp;
  double lo[3], hi[3];
  const EsLabelBox *labels;
  gsize n_labels, n_zoomed;
  guint32 neighbours[] = { 1, 2 };
  gboolean seen_selected = FALSE;

  g_test_summary ("Placed labels never overlap, stay on the surface, include the selection, and get denser when zooming in");

  for (guint i = 0; i < 800; i++)
    {
      xy[2 * i] = g_rand_double (rand);
      xy[2 * i + 1] = g_rand_double (rand);
      g_ptr_array_add (words, random_words (rand, i));
    }
  data = make_data (xy, 800, (const char * const *) words->pdata);
  es_plot_style_init (&style, FALSE);
  es_plot_overlay_init (&overlay);
  overlay.selected = 500;
  overlay.highlighted = neighbours;
  overlay.n_highlighted = 2;
  es_viewport_init (&vp, 2 * W, 2 * H, FALSE);
  es_scatter_data_get_bounds (data, lo, hi);
  es_viewport_fit (&vp, lo, hi, 20);
  es_scatter_renderer_render_image (renderer, surface, data, &vp, &style, &overlay);

  labels = es_scatter_renderer_get_labels (renderer, &n_labels);
  g_test_message ("%" G_GSIZE_FORMAT " labels placed", n_labels);
  g_assert_cmpuint (n_labels, >=, 20);
  for (gsize i = 0; i < n_labels; i++)
    {
      const EsLabelBox *a = &labels[i];

      g_assert_cmpfloat (a->width, >, 0);
      g_assert_cmpfloat (a->x, >=, 0);
      g_assert_cmpfloat (a->y, >=, 0);
      g_assert_cmpfloat (a->x + a->width, <=, vp.width);
      g_assert_cmpfloat (a->y + a->height, <=, vp.height);
      seen_selected |= a->row == 500;
      for (gsize j = i + 1; j < n_labels; j++)
        {
          const EsLabelBox *b = &labels[j];
          gboolean apart = a->x + a->width <= b->x || b->x + b->width <= a->x ||
                           a->y + a->height <= b->y || b->y + b->height <= a->y;

          /* Only forced labels (selection, neighbours) may overlap each
           * other; every other label goes to a free spot.
           */
          if (!apart && !(a->forced && b->forced))
            g_error ("labels %u and %u overlap", a->row, b->row);
        }
    }
  g_assert_true (seen_selected);
  /* The selection and its neighbours come first, forced. */
  g_assert_cmpuint (labels[0].row, ==, 500);
  g_assert_true (labels[0].forced);

  /* Zoom 4x around the centre: the visible area holds a quarter of the
   * points, spread out: relatively more of them get a label.
   */
  {
    gsize visible = 0, labelled_visible;
    double sx, sy;

    es_viewport_zoom_at (&vp, 4, vp.width / 2.0, vp.height / 2.0);
    es_scatter_renderer_render_image (renderer, surface, data, &vp, &style, NULL);
    labels = es_scatter_renderer_get_labels (renderer, &n_zoomed);
    for (gsize i = 0; i < 800; i++)
      {
        double x, y;

        es_scatter_data_get_point (data, i, &x, &y, NULL);
        es_viewport_project (&vp, x, y, 0.5, &sx, &sy, NULL);
        visible += sx >= 0 && sy >= 0 && sx < vp.width && sy < vp.height;
      }
    labelled_visible = n_zoomed;
    g_test_message ("zoomed: %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " visible labelled; before %"
                    G_GSIZE_FORMAT " of 800", labelled_visible, visible, n_labels);
    g_assert_cmpfloat ((double) labelled_visible / visible, >, (double) n_labels / 800 * 1.5);
  }

  /* A selection of every point (a box over the whole cloud) with labels
   * off: its labels go only where they fit, never a forced pile, and the
   * focus word still comes first.
   */
  {
    g_autofree guint32 *all = g_new (guint32, 800);
    gsize n_sel_labels;

    for (guint i = 0; i < 800; i++)
      all[i] = i;
    overlay.selection = all;
    overlay.n_selection = 800;
    style.show_labels = FALSE;
    es_viewport_fit (&vp, lo, hi, 20);
    es_scatter_renderer_render_image (renderer, surface, data, &vp, &style, &overlay);
    labels = es_scatter_renderer_get_labels (renderer, &n_sel_labels);
    g_test_message ("selection of 800: %" G_GSIZE_FORMAT " labels", n_sel_labels);
    g_assert_cmpuint (n_sel_labels, >=, 20);
    g_assert_cmpuint (n_sel_labels, <, 400);
    g_assert_cmpuint (labels[0].row, ==, 500);
    for (gsize i = 0; i < n_sel_labels; i++)
      for (gsize j = i + 1; j < n_sel_labels; j++)
        {
          const EsLabelBox *a = &labels[i], *b = &labels[j];
          gboolean apart = a->x + a->width <= b->x || b->x + b->width <= a->x ||
                           a->y + a->height <= b->y || b->y + b->height <= a->y;

          if (!apart && !(a->forced && b->forced))
            g_error ("selection labels %u and %u overlap", a->row, b->row);
        }
  }

  cairo_surface_destroy (surface);
}

static void
test_labels_crowd (void)
{
  /* Ten words on (almost) one spot, all of them selection or neighbours:
   * the way a word's nearest neighbours often sit in a 2D plot.
   */
  float xy[2 * 10 + 2 * 2];
  const char *words[] = { "selected", "alpha", "bravo", "charlie", "delta", "echo", "foxtrot",
                          "golf", "hotel", "india", "left", "right" };
  guint32 neighbours[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
  g_autoptr(EsScatterData) data = NULL;
  g_autoptr(EsScatterRenderer) renderer = es_scatter_renderer_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
  EsPlotStyle style;
  EsPlotOverlay overlay;
  EsViewport vp;
  double lo[3], hi[3];
  const EsLabelBox *labels;
  gsize n = 0;
  guint displaced = 0;

  g_test_summary ("Labels that must show (selection, neighbours) in a crowd move to free spots "
                  "nearby, with a leader line, instead of overlapping");

  for (guint i = 0; i < 10; i++)
    {
      xy[2 * i] = 0.5f + 0.001f * (float) i;
      xy[2 * i + 1] = 0.5f - 0.001f * (float) i;
    }
  /* Two far points only set the bounds. */
  xy[20] = 0; xy[21] = 0; xy[22] = 1; xy[23] = 1;
  data = make_data (xy, 12, words);
  es_plot_style_init (&style, FALSE);
  style.show_labels = FALSE;
  es_plot_overlay_init (&overlay);
  overlay.selected = 0;
  overlay.highlighted = neighbours;
  overlay.n_highlighted = G_N_ELEMENTS (neighbours);
  es_viewport_init (&vp, W, H, FALSE);
  es_scatter_data_get_bounds (data, lo, hi);
  es_viewport_fit (&vp, lo, hi, 20);
  es_scatter_renderer_render_image (renderer, surface, data, &vp, &style, &overlay);

  labels = es_scatter_renderer_get_labels (renderer, &n);
  g_assert_cmpuint (n, ==, 10);
  for (gsize i = 0; i < n; i++)
    {
      const EsLabelBox *a = &labels[i];
      double x, y, sx, sy, dx, dy;

      g_assert_true (a->forced);
      g_assert_cmpfloat (a->x, >=, 0);
      g_assert_cmpfloat (a->y, >=, 0);
      g_assert_cmpfloat (a->x + a->width, <=, W);
      g_assert_cmpfloat (a->y + a->height, <=, H);
      for (gsize j = i + 1; j < n; j++)
        {
          const EsLabelBox *b = &labels[j];
          gboolean apart = a->x + a->width <= b->x || b->x + b->width <= a->x ||
                           a->y + a->height <= b->y || b->y + b->height <= a->y;

          if (!apart)
            g_error ("labels “%s” and “%s” overlap", words[a->row], words[b->row]);
        }

      /* Near its point: the box's nearest side within a few label heights. */
      es_scatter_data_get_point (data, a->row, &x, &y, NULL);
      es_viewport_project (&vp, x, y, 0.5, &sx, &sy, NULL);
      dx = MAX (MAX (a->x - sx, sx - (a->x + a->width)), 0);
      dy = MAX (MAX (a->y - sy, sy - (a->y + a->height)), 0);
      g_assert_cmpfloat (hypot (dx, dy), <, 10 * a->height);
      displaced += a->displaced;
    }
  /* Eight spots touch a point; ten labels need at least two moved out. */
  g_assert_cmpuint (displaced, >=, 2);
  /* The selection keeps its place right next to its point. */
  g_assert_cmpuint (labels[0].row, ==, 0);
  g_assert_false (labels[0].displaced);

  cairo_surface_destroy (surface);
}

/* WCAG 2 relative luminance of an sRGB byte triple. */
static double
relative_luminance (guint32 pixel)
{
  double lin[3];

  for (guint c = 0; c < 3; c++)
    {
      double v = ((pixel >> (16 - 8 * c)) & 0xff) / 255.0;

      lin[c] = v <= 0.03928 ? v / 12.92 : pow ((v + 0.055) / 1.055, 2.4);
    }
  return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
}

static void
test_style_point_contrast (void)
{
  const float xy[] = { 0.5f, 0.5f, 0, 0, 1, 1 };
  const char *words[] = { "a", "b", "c" };
  g_autoptr(EsScatterData) data = make_data (xy, 3, words);

  g_test_summary ("Uncoloured points stand out from the background by at least 4.5:1 (WCAG) "
                  "in both the light and the dark style");

  for (guint dark = 0; dark <= 1; dark++)
    {
      g_autoptr(EsScatterRenderer) renderer = es_scatter_renderer_new ();
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
      EsPlotStyle style;
      EsViewport vp;
      double lo[3], hi[3], x, y, sx, sy, lp, lb, ratio;
      guint32 point, background;

      es_plot_style_init (&style, dark);
      style.opacity = 1;
      style.point_size = 10;
      style.show_labels = FALSE;
      style.show_axes = FALSE;
      es_viewport_init (&vp, W, H, FALSE);
      es_scatter_data_get_bounds (data, lo, hi);
      es_viewport_fit (&vp, lo, hi, 20);
      es_scatter_renderer_render_image (renderer, surface, data, &vp, &style, NULL);
      cairo_surface_flush (surface);

      es_scatter_data_get_point (data, 0, &x, &y, NULL);
      es_viewport_project (&vp, x, y, 0.5, &sx, &sy, NULL);
      point = pixel_at (surface, (int) sx, (int) sy);
      background = pixel_at (surface, 5, H / 2);
      lp = relative_luminance (point);
      lb = relative_luminance (background);
      ratio = (MAX (lp, lb) + 0.05) / (MIN (lp, lb) + 0.05);
      g_test_message ("%s: point %06x on %06x, contrast %.2f", dark ? "dark" : "light",
                      point & 0xffffff, background & 0xffffff, ratio);
      g_assert_cmpfloat (ratio, >=, 4.5);
      cairo_surface_destroy (surface);
    }
}

/* Renders @data with the selection on row 0 and rows 1..n_highlighted as
 * its neighbours, no other labels.
 */
static cairo_surface_t *
render_focus (EsScatterData  *data,
              const guint32  *highlighted,
              gsize           n_highlighted,
              int             w,
              int             h)
{
  g_autoptr(EsScatterRenderer) renderer = es_scatter_renderer_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  EsPlotStyle style;
  EsPlotOverlay overlay;
  EsViewport vp;
  double lo[3], hi[3];

  plain_style (&style);
  es_plot_overlay_init (&overlay);
  overlay.selected = 0;
  overlay.highlighted = highlighted;
  overlay.n_highlighted = n_highlighted;
  es_viewport_init (&vp, w, h, FALSE);
  es_scatter_data_get_bounds (data, lo, hi);
  es_viewport_fit (&vp, lo, hi, 20);
  es_scatter_renderer_render_image (renderer, surface, data, &vp, &style, &overlay);
  cairo_surface_flush (surface);

  return surface;
}

static void
test_labels_focus_on_top (void)
{
  enum { N = 80, SW = 220, SH = 160 };
  float xy[2 * N + 4];
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  guint32 neighbours[N - 1];
  g_autoptr(EsScatterData) data = NULL;
  cairo_surface_t *alone, *crowd;
  guint ink = 0, kept = 0;

  g_test_summary ("At k ≥ 50 in a crowd with no free spot left, the selected word's own label "
                  "stays readable: every pixel of its text drawn alone is the same with 79 "
                  "neighbour labels around it (it is drawn last, on top) (issue 11)");

  for (guint i = 0; i < N; i++)
    {
      xy[2 * i] = 0.5f + 0.0005f * (float) (i % 9);
      xy[2 * i + 1] = 0.5f - 0.0005f * (float) (i / 9);
      g_ptr_array_add (words, g_strdup_printf (i == 0 ? "SELECTEDWORD" : "neighbour%u", i));
      if (i > 0)
        neighbours[i - 1] = i;
    }
  xy[2 * N] = 0; xy[2 * N + 1] = 0; xy[2 * N + 2] = 1; xy[2 * N + 3] = 1;
  g_ptr_array_add (words, g_strdup ("left"));
  g_ptr_array_add (words, g_strdup ("right"));
  g_ptr_array_add (words, NULL);
  data = make_data (xy, N + 2, (const char * const *) words->pdata);

  alone = render_focus (data, NULL, 0, SW, SH);
  crowd = render_focus (data, neighbours, N - 1, SW, SH);
  /* The text's ink: dark pixels of the label drawn alone (the points are
   * a blue that is not this dark).
   */
  for (int y = 0; y < SH; y++)
    for (int x = 0; x < SW; x++)
      {
        guint32 a = pixel_at (alone, x, y);
        guint32 b = pixel_at (crowd, x, y);
        gboolean dark = ((a >> 16) & 0xff) < 80 && ((a >> 8) & 0xff) < 80 && (a & 0xff) < 80;

        if (!dark)
          continue;
        ink++;
        kept += ABS ((int) ((a >> 16) & 0xff) - (int) ((b >> 16) & 0xff)) <= 24 &&
                ABS ((int) ((a >> 8) & 0xff) - (int) ((b >> 8) & 0xff)) <= 24 &&
                ABS ((int) (a & 0xff) - (int) (b & 0xff)) <= 24;
      }
  g_test_message ("text pixels %u, unchanged in the crowd %u", ink, kept);
  g_assert_cmpuint (ink, >, 30);
  /* Text edges blend with what lies under the halo: 96 % here, 42 % when
   * neighbours were drawn over it.
   */
  g_assert_cmpuint (kept, >=, ink * 9 / 10);

  cairo_surface_destroy (alone);
  cairo_surface_destroy (crowd);
}

static void
test_dark_gradient_contrast (void)
{
  const float xy[] = { 0, 0, 1, 0, 2, 0 };
  const double values[] = { -3, 7, 2 };
  g_autoptr(EsScatterData) data = make_data (xy, 3, NULL);

  g_test_summary ("In the dark style the lowest value's colour stands out from the background by "
                  "at least 3:1 (WCAG, graphics): viridis' dark purple end is trimmed; the light "
                  "style keeps matplotlib's end points (issue 11)");

  es_scatter_data_set_values (data, values, "score");
  for (guint dark = 0; dark <= 1; dark++)
    {
      g_autoptr(EsScatterRenderer) renderer = es_scatter_renderer_new ();
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
      EsPlotStyle style;
      EsViewport vp;
      double lo[3], hi[3], sx, sy, lp, lb, ratio;
      guint32 point, background;

      es_plot_style_init (&style, dark);
      style.opacity = 1;
      style.point_size = 10;
      style.show_labels = FALSE;
      style.show_axes = FALSE;
      style.show_legend = FALSE;
      es_viewport_init (&vp, W, H, FALSE);
      es_scatter_data_get_bounds (data, lo, hi);
      es_viewport_fit (&vp, lo, hi, 40);
      es_scatter_renderer_render_image (renderer, surface, data, &vp, &style, NULL);
      cairo_surface_flush (surface);

      /* Coordinates are normalised: x 0, 1, 2 become 0, 0.5, 1. */
      es_viewport_project (&vp, 0.0, 0.5, 0.5, &sx, &sy, NULL);
      point = pixel_at (surface, (int) sx, (int) sy);
      background = pixel_at (surface, 5, 5);
      lp = relative_luminance (point);
      lb = relative_luminance (background);
      ratio = (MAX (lp, lb) + 0.05) / (MIN (lp, lb) + 0.05);
      g_test_message ("%s: lowest value %06x on %06x, contrast %.2f", dark ? "dark" : "light",
                      point & 0xffffff, background & 0xffffff, ratio);
      if (dark)
        g_assert_cmpfloat (ratio, >=, 3.0);
      else
        assert_pixel_near (point, 68, 1, 84, 2);
      /* The top of the ramp is viridis' yellow in both. */
      es_viewport_project (&vp, 0.5, 0.5, 0.5, &sx, &sy, NULL);
      assert_pixel_near (pixel_at (surface, (int) sx, (int) sy), 253, 231, 37, 2);
      cairo_surface_destroy (surface);
    }
}

static void
test_labels_priority (void)
{
  /* Two points on top of each other: only one label fits, the higher
   * ranked (lower row) one.
   */
  const float xy[] = { 0, 0,  0.0001f, 0,  1, 1 };
  const char *words[] = { "first", "second", "third" };
  g_autoptr(EsScatterData) data = make_data (xy, 3, words);
  g_autoptr(EsScatterRenderer) renderer = es_scatter_renderer_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
  EsPlotStyle style;
  EsViewport vp;
  double lo[3], hi[3];
  const EsLabelBox *labels;
  gsize n;
  gboolean second = FALSE;

  g_test_summary ("Of two colliding labels the higher-ranked word (lower row) wins");

  es_plot_style_init (&style, FALSE);
  style.show_axes = FALSE;
  style.font_size = 40;     /* four candidate spots, all colliding */
  es_viewport_init (&vp, W, H, FALSE);
  es_scatter_data_get_bounds (data, lo, hi);
  es_viewport_fit (&vp, lo, hi, 60);
  es_scatter_renderer_render_image (renderer, surface, data, &vp, &style, NULL);
  labels = es_scatter_renderer_get_labels (renderer, &n);
  /* Placed in rank order, and the first at its preferred spot, right of
   * its point: it never had to give way.
   */
  {
    double x, y, sx, sy;
    gssize pos_first = -1, pos_second = -1;

    for (gsize i = 0; i < n; i++)
      {
        if (labels[i].row == 0)
          pos_first = i;
        if (labels[i].row == 1)
          pos_second = i;
      }
    g_assert_cmpint (pos_first, >=, 0);
    g_assert_true (pos_second < 0 || pos_second > pos_first);
    es_scatter_data_get_point (data, 0, &x, &y, NULL);
    es_viewport_project (&vp, x, y, 0.5, &sx, &sy, NULL);
    g_assert_cmpfloat (labels[pos_first].x, >, sx);
    g_assert_cmpfloat (labels[pos_first].y, <, sy);
    g_assert_cmpfloat (labels[pos_first].y + labels[pos_first].height, >, sy);
    /* The second cannot sit right of the (same) point as well. */
    g_assert_true (pos_second < 0 || labels[pos_second].x + labels[pos_second].width <= sx + 1 ||
                   labels[pos_second].y + labels[pos_second].height <= sy ||
                   labels[pos_second].y >= sy);
  }

  /* With the second pinned, both are shown. */
  {
    guint32 pinned[] = { 1 };
    EsPlotOverlay overlay;

    es_plot_overlay_init (&overlay);
    overlay.pinned = pinned;
    overlay.n_pinned = 1;
    es_scatter_renderer_render_image (renderer, surface, data, &vp, &style, &overlay);
    labels = es_scatter_renderer_get_labels (renderer, &n);
    for (gsize i = 0; i < n; i++)
      second |= labels[i].row == 1 && labels[i].forced;
    g_assert_true (second);
  }

  cairo_surface_destroy (surface);
}

/* ---- point index --------------------------------------------------------- */

static void
test_point_index (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  g_autofree float *xy = g_new (float, 2 * 3000);
  g_autoptr(EsScatterData) data = NULL;
  g_autoptr(EsPointIndex) index = NULL;
  EsViewport vp;
  double lo[3], hi[3];
  const double radius = 10;

  g_test_summary ("Grid lookups agree with a brute-force nearest-point search");

  for (guint i = 0; i < 3000; i++)
    {
      xy[2 * i] = g_rand_double (rand);
      xy[2 * i + 1] = g_rand_double (rand);
    }
  data = make_data (xy, 3000, NULL);
  es_viewport_init (&vp, W, H, FALSE);
  es_scatter_data_get_bounds (data, lo, hi);
  es_viewport_fit (&vp, lo, hi, 10);
  index = es_point_index_new (data, &vp);
  g_assert_true (es_point_index_matches (index, data, &vp));

  for (guint q = 0; q < 500; q++)
    {
      double px = g_rand_double_range (rand, 0, W);
      double py = g_rand_double_range (rand, 0, H);
      gint64 best = -1;
      double best_d2 = radius * radius;

      for (gsize i = 0; i < 3000; i++)
        {
          double x, y, sx, sy, d2;

          es_scatter_data_get_point (data, i, &x, &y, NULL);
          es_viewport_project (&vp, x, y, 0.5, &sx, &sy, NULL);
          d2 = (sx - px) * (sx - px) + (sy - py) * (sy - py);
          if (d2 < best_d2)
            {
              best = i;
              best_d2 = d2;
            }
        }
      g_assert_cmpint (es_point_index_lookup (index, px, py, radius), ==, best);
    }

  /* A rectangle query returns exactly the points inside. */
  {
    g_autoptr(GArray) rows = es_point_index_query_rect (index, 100, 50, 200, 150);
    gsize expected = 0;

    for (gsize i = 0; i < 3000; i++)
      {
        double x, y, sx, sy;

        es_scatter_data_get_point (data, i, &x, &y, NULL);
        es_viewport_project (&vp, x, y, 0.5, &sx, &sy, NULL);
        expected += sx >= 100 && sx <= 200 && sy >= 50 && sy <= 150;
      }
    g_assert_cmpuint (rows->len, ==, expected);
    g_assert_cmpuint (rows->len, >, 0);
  }
}

/* ---- export ---------------------------------------------------------------- */

static EsScatterData *
fruit_data (void)
{
  const float xy[] = { 0, 0,  1, 0.5f,  0.3f, 1,  0.8f, 0.1f };
  const char *words[] = { "apple", "banana", "cherry", "damson" };

  return make_data (xy, 4, words);
}

static void
export_setup (EsScatterData *data,
              EsViewport    *vp,
              EsPlotStyle   *style)
{
  double lo[3], hi[3];

  es_plot_style_init (style, FALSE);
  es_viewport_init (vp, W, H, FALSE);
  es_scatter_data_get_bounds (data, lo, hi);
  es_viewport_fit (vp, lo, hi, 40);
}

static gboolean
run (const char * const *argv,
     char              **out)
{
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, out, NULL, &status, &error))
    {
      g_test_message ("cannot run %s: %s", argv[0], error->message);
      return FALSE;
    }
  return g_spawn_check_wait_status (status, NULL);
}

static void
test_export_svg (void)
{
  g_autoptr(EsScatterData) data = fruit_data ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("es-render-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "plot.svg", NULL);
  g_autofree char *contents = NULL;
  EsViewport vp;
  EsPlotStyle style;
  const char *argv[] = { "xmllint", "--noout", path, NULL };
  g_autofree char *xmllint = NULL;
  guint uses = 0;

  g_test_summary ("SVG export parses with xmllint and draws its labels as glyph uses");

  export_setup (data, &vp, &style);
  g_assert_true (es_scatter_renderer_export (data, &vp, &style, NULL, path, ES_PLOT_FORMAT_SVG,
                                             W, H, &error));
  g_assert_no_error (error);
  xmllint = g_find_program_in_path ("xmllint");
  if (xmllint == NULL)
    {
      g_test_skip ("xmllint is not installed (libxml2-utils)");
      return;
    }
  g_assert_true (run (argv, NULL));

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "width=\"400pt\""));
  for (const char *p = contents; (p = strstr (p, "xlink:href=\"#glyph")) != NULL; p++)
    uses++;
  /* At least "apple" + "banana" + "cherry" + "damson" glyphs (27 letters). */
  g_assert_cmpuint (uses, >=, 27);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_export_pdf (void)
{
  g_autoptr(EsScatterData) data = fruit_data ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("es-render-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "plot.pdf", NULL);
  g_autofree char *text = NULL;
  EsViewport vp;
  EsPlotStyle style;
  const char *argv[] = { "pdftotext", path, "-", NULL };
  g_autofree char *pdftotext = NULL;

  g_test_summary ("PDF export keeps the labels as text (pdftotext finds every word)");

  export_setup (data, &vp, &style);
  g_assert_true (es_scatter_renderer_export (data, &vp, &style, NULL, path, ES_PLOT_FORMAT_PDF,
                                             W, H, &error));
  g_assert_no_error (error);
  pdftotext = g_find_program_in_path ("pdftotext");
  if (pdftotext == NULL)
    {
      g_test_skip ("pdftotext is not installed (poppler-utils)");
      return;
    }
  g_assert_true (run (argv, &text));
  g_assert_nonnull (strstr (text, "apple"));
  g_assert_nonnull (strstr (text, "banana"));
  g_assert_nonnull (strstr (text, "cherry"));
  g_assert_nonnull (strstr (text, "damson"));

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_export_pdf_discs (void)
{
  /* A and B (blue) overlap, C (orange) overlaps B; D gives the fit its
   * scale. In Morton order A, B, C, D: A and B are one colour run.
   */
  const float xy[] = { 0, 0,  0.1f, 0,  0.2f, 0,  1, 0.4f };
  const guint cats[] = { 0, 0, 1, 0 };
  const char *names[] = { "blue", "orange" };
  g_autoptr(EsScatterData) data = make_data (xy, 4, NULL);
  g_autoptr(EsScatterRenderer) renderer = es_scatter_renderer_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("es-render-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "discs.pdf", NULL);
  g_autofree char *prefix = g_build_filename (dir, "discs", NULL);
  g_autofree char *png = g_build_filename (dir, "discs.png", NULL);
  const char *argv[] = { "pdftoppm", "-png", "-r", "144", "-singlefile", path, prefix, NULL };
  g_autofree char *pdftoppm = NULL;
  cairo_surface_t *page, *reference;
  cairo_t *cr;
  EsViewport vp;
  EsPlotStyle style;
  double lo[3], hi[3], sx[4], sy[4], d, ink_page = 0, ink_reference = 0;
  guint differ = 0;

  g_test_summary ("PDF discs, rasterised by poppler, cover what Cairo's filled arcs cover, in the run's "
                  "colour at the style's opacity: one run composites once, the next one over it");

  es_scatter_data_set_categories (data, cats, names, 2);
  plain_style (&style);
  style.opacity = 0.5;
  es_viewport_init (&vp, W, H, FALSE);
  es_scatter_data_get_bounds (data, lo, hi);
  es_viewport_fit (&vp, lo, hi, 40);
  for (gsize i = 0; i < 4; i++)
    {
      double x, y;

      es_scatter_data_get_point (data, i, &x, &y, NULL);
      es_viewport_project (&vp, x, y, 0.5, &sx[i], &sy[i], NULL);
    }
  /* Radius 0.8 of the spacing: neighbours overlap, next-but-one do not. */
  d = sx[1] - sx[0];
  g_assert_cmpfloat (d, >, 20);
  style.point_size = 1.6 * d;

  g_assert_true (es_scatter_renderer_export (data, &vp, &style, NULL, path, ES_PLOT_FORMAT_PDF,
                                             W, H, &error));
  g_assert_no_error (error);
  pdftoppm = g_find_program_in_path ("pdftoppm");
  if (pdftoppm == NULL)
    {
      g_test_skip ("pdftoppm is not installed (poppler-utils)");
      return;
    }
  g_assert_true (run (argv, NULL));
  page = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (page), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (page), ==, 2 * W);
  g_assert_cmpint (cairo_image_surface_get_height (page), ==, 2 * H);

  /* Independent colours: Okabe-Ito blue (0, 114, 178) and orange
   * (230, 159, 0) at 50 % over white.
   */
  assert_pixel_near (pixel_at (page, (int) (2 * sx[0] - 2 * 0.5 * d), (int) (2 * sy[0])), 128, 185, 217, 3);
  /* A ∩ B is one run: painted once, not darker. */
  assert_pixel_near (pixel_at (page, (int) (2 * (sx[0] + sx[1]) / 2), (int) (2 * sy[0])), 128, 185, 217, 3);
  assert_pixel_near (pixel_at (page, (int) (2 * sx[1]), (int) (2 * sy[1])), 128, 185, 217, 3);
  /* B ∩ C: orange over blue over white. */
  assert_pixel_near (pixel_at (page, (int) (2 * (sx[1] + sx[2]) / 2), (int) (2 * sy[1])), 179, 172, 108, 3);
  assert_pixel_near (pixel_at (page, (int) (2 * sx[2] + 2 * 0.5 * d), (int) (2 * sy[2])), 243, 207, 128, 3);
  assert_pixel_near (pixel_at (page, (int) (2 * sx[3]), (int) (2 * sy[3])), 128, 185, 217, 3);
  /* Outside the discs: background. */
  assert_pixel_near (pixel_at (page, (int) (2 * sx[0]), (int) (2 * sy[0] - 2 * d)), 255, 255, 255, 0);

  /* Against the same scene as filled arcs (the back-end for any target
   * but PDF), drawn by Cairo at the same 2x scale: the same ink, and
   * pixels differ only along the edges (the two rasterisers' coverage).
   */
  reference = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 2 * W, 2 * H);
  cr = cairo_create (reference);
  cairo_scale (cr, 2, 2);
  es_scatter_renderer_draw (renderer, cr, data, &vp, &style, NULL);
  cairo_destroy (cr);
  cairo_surface_flush (reference);
  for (int y = 0; y < 2 * H; y++)
    for (int x = 0; x < 2 * W; x++)
      {
        guint32 a = pixel_at (page, x, y), b = pixel_at (reference, x, y);
        int worst = 0;

        for (int shift = 0; shift < 24; shift += 8)
          {
            int ca = (a >> shift) & 0xff, cb = (b >> shift) & 0xff;

            worst = MAX (worst, ABS (ca - cb));
            ink_page += 255 - ca;
            ink_reference += 255 - cb;
          }
        if (worst > 24)
          differ++;
      }
  g_test_message ("ink %.0f (PDF) vs %.0f (arcs); %u pixels differ by more than 24", ink_page, ink_reference, differ);
  g_assert_cmpfloat (fabs (ink_page - ink_reference), <, 0.01 * ink_reference);
  /* The discs' edges are about 4 × 2π × 0.8 d × 2 px long. */
  g_assert_cmpuint (differ, <, (guint) (4 * 2 * G_PI * 0.8 * d * 2 / 4));

  cairo_surface_destroy (reference);
  cairo_surface_destroy (page);
  g_unlink (png);
  g_unlink (path);
  g_rmdir (dir);
}

/* memmem: a stream's bytes may hold NULs, which end g_strstr_len. */
static const char *
find_bytes (const char *from,
            const char *end,
            const char *needle)
{
  gsize n = strlen (needle);

  for (const char *p = from; p + n <= end; p++)
    if (memcmp (p, needle, n) == 0)
      return p;
  return NULL;
}

/* Every deflated stream of a PDF, inflated and joined. */
static GString *
pdf_streams (const char *path)
{
  g_autofree char *contents = NULL;
  GString *out = g_string_new (NULL);
  gsize length = 0;
  const char *p, *end;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  end = contents + length;
  for (p = contents; (p = find_bytes (p, end, "stream\n")) != NULL; )
    {
      g_autoptr(GConverter) inflater = G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB));
      const char *data = p + strlen ("stream\n");
      const char *stop = find_bytes (data, end, "endstream");
      char buffer[65536];
      gsize in_left, read, written;
      GConverterResult result;

      g_assert_nonnull (stop);
      in_left = stop - data;
      do
        {
          result = g_converter_convert (inflater, data, in_left, buffer, sizeof buffer,
                                        G_CONVERTER_INPUT_AT_END, &read, &written, NULL);
          g_string_append_len (out, buffer, written);
          data += read;
          in_left -= read;
        }
      while (result == G_CONVERTER_CONVERTED);
      p = stop + strlen ("endstream");
    }

  return out;
}

static void
test_export_pdf_compact (void)
{
  g_autoptr(EsScatterData) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) content = NULL;
  g_autofree char *dir = g_dir_make_tmp ("es-render-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "many.pdf", NULL);
  g_autofree float *xy = g_new (float, 2 * 500);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  EsViewport vp;
  EsPlotStyle style;
  double lo[3], hi[3];
  guint curves = 0, lines = 0;

  g_test_summary ("A 2D PDF draws its discs as short round-capped lines, not as curves: "
                  "a line per point and no Bezier in the page");

  for (guint i = 0; i < 2 * 500; i++)
    xy[i] = (float) g_rand_double (rand);
  data = make_data (xy, 500, NULL);
  plain_style (&style);
  es_viewport_init (&vp, W, H, FALSE);
  es_scatter_data_get_bounds (data, lo, hi);
  es_viewport_fit (&vp, lo, hi, 30);
  g_assert_true (es_scatter_renderer_export (data, &vp, &style, NULL, path, ES_PLOT_FORMAT_PDF,
                                             W, H, &error));
  g_assert_no_error (error);

  content = pdf_streams (path);
  for (gsize i = 1; i + 1 < content->len; i++)
    {
      char before = content->str[i - 1], after = content->str[i + 1];

      if (!g_ascii_isspace (before) || !g_ascii_isspace (after))
        continue;
      if (content->str[i] == 'c')
        curves++;
      else if (content->str[i] == 'l')
        lines++;
    }
  g_test_message ("%u lines, %u curves in %" G_GSIZE_FORMAT " bytes of content", lines, curves, content->len);
  g_assert_cmpuint (lines, ==, 500);
  g_assert_cmpuint (curves, ==, 0);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_export_png_scaled (void)
{
  g_autoptr(EsScatterData) data = fruit_data ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("es-render-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "plot.png", NULL);
  cairo_surface_t *png;
  EsViewport vp;
  EsPlotStyle style;
  double x, y, sx, sy;

  g_test_summary ("PNG export at twice the size shows the same view: every point moves to twice its position");

  export_setup (data, &vp, &style);
  style.show_labels = FALSE;
  style.opacity = 1;
  g_assert_true (es_scatter_renderer_export (data, &vp, &style, NULL, path, ES_PLOT_FORMAT_PNG,
                                             2 * W, 2 * H, &error));
  g_assert_no_error (error);

  png = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (png), ==, 2 * W);
  g_assert_cmpint (cairo_image_surface_get_height (png), ==, 2 * H);
  for (gsize i = 0; i < 4; i++)
    {
      es_scatter_data_get_point (data, i, &x, &y, NULL);
      es_viewport_project (&vp, x, y, 0.5, &sx, &sy, NULL);
      assert_pixel_near (pixel_at (png, (int) (2 * sx), (int) (2 * sy)), 0, 114, 178, 2);
    }
  cairo_surface_destroy (png);

  g_unlink (path);
  g_rmdir (dir);
}

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
test_export_atomic (void)
{
  g_autoptr(EsScatterData) data = fruit_data ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("es-render-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "keep.png", NULL);
  g_autofree char *blocker = g_build_filename (dir, "not-a-dir", NULL);
  g_autofree char *bad = g_build_filename (blocker, "plot.png", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-dir", "plot.svg", NULL);
  g_autofree char *contents = NULL;
  struct rlimit old_limit, limit;
  EsViewport vp;
  EsPlotStyle style;

  g_test_summary ("A failed export reports a GError, keeps an existing file byte for byte and leaves no temporary file");

  export_setup (data, &vp, &style);
  g_assert_true (g_file_set_contents (path, "original", -1, NULL));
  g_assert_true (g_file_set_contents (blocker, "", -1, NULL));

  /* Folder missing, or a file where a folder should be. */
  g_assert_false (es_scatter_renderer_export (data, &vp, &style, NULL, missing, ES_PLOT_FORMAT_SVG,
                                              W, H, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "plot.svg"));
  g_clear_error (&error);
  g_assert_false (es_scatter_renderer_export (data, &vp, &style, NULL, bad, ES_PLOT_FORMAT_PNG,
                                              W, H, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* A write that fails half-way (file size limit: EFBIG) over an existing
   * file: the old content survives.  Works as root too, unlike chmod.
   */
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &old_limit), ==, 0);
  limit = old_limit;
  limit.rlim_cur = 200;
  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
  g_assert_false (es_scatter_renderer_export (data, &vp, &style, NULL, path, ES_PLOT_FORMAT_PNG,
                                              W, H, &error));
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &old_limit), ==, 0);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "original");
  g_clear_pointer (&contents, g_free);

  /* The target is a folder: the rename fails, the temporary goes away. */
  {
    g_autofree char *sub = g_build_filename (dir, "sub.pdf", NULL);
    g_autofree char *inner = g_build_filename (sub, "x", NULL);

    g_assert_cmpint (g_mkdir (sub, 0755), ==, 0);
    g_assert_true (g_file_set_contents (inner, "", -1, NULL));
    g_assert_false (es_scatter_renderer_export (data, &vp, &style, NULL, sub, ES_PLOT_FORMAT_PDF,
                                                W, H, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
    g_unlink (inner);
    g_rmdir (sub);
  }
  g_assert_cmpuint (count_entries (dir), ==, 2);

  /* And a successful export replaces the file. */
  g_assert_true (es_scatter_renderer_export (data, &vp, &style, NULL, path, ES_PLOT_FORMAT_PNG,
                                             W, H, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (memcmp (contents, "\x89PNG", 4) == 0);
  g_assert_cmpuint (count_entries (dir), ==, 2);

  g_unlink (path);
  g_unlink (blocker);
  g_rmdir (dir);
}

/* Three Gaussian blobs of 600, 300 and 100 points, one category each. */
static void
test_category_names (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(EsScatterData) data = NULL;
  g_autoptr(EsScatterRenderer) renderer = es_scatter_renderer_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 2 * W, 2 * H);
  const double centre[3][2] = { { 0, 0 }, { 10, 0 }, { 5, 8 } };
  const gsize size[3] = { 600, 300, 100 };
  const char *names[] = { "big", "middle", "small" };
  g_autofree float *xy = g_new (float, 2 * 1000);
  g_autofree guint *cats = g_new (guint, 1000);
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  const EsLabelBox *boxes;
  gsize n = 0, row = 0;
  EsPlotStyle style;
  EsViewport vp;
  double lo[3], hi[3];

  g_test_summary ("Category (cluster) names are drawn at their centres, largest first, never "
                  "overlapping; none without categories or with the option off");

  for (guint c = 0; c < 3; c++)
    for (gsize i = 0; i < size[c]; i++, row++)
      {
        xy[2 * row] = (float) (centre[c][0] + 0.8 * (g_rand_double (rand) - 0.5));
        xy[2 * row + 1] = (float) (centre[c][1] + 0.8 * (g_rand_double (rand) - 0.5));
        cats[row] = c;
        g_ptr_array_add (words, random_words (rand, (guint) row));
      }
  g_ptr_array_add (words, NULL);
  data = make_data (xy, 1000, (const char * const *) words->pdata);
  es_scatter_data_set_categories (data, cats, names, 3);
  plain_style (&style);
  style.show_category_names = TRUE;
  es_viewport_init (&vp, 2 * W, 2 * H, FALSE);
  es_scatter_data_get_bounds (data, lo, hi);
  es_viewport_fit (&vp, lo, hi, 40);
  es_scatter_renderer_render_image (renderer, surface, data, &vp, &style, NULL);

  boxes = es_scatter_renderer_get_category_labels (renderer, &n);
  g_assert_cmpuint (n, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      double sx, sy, mx = 0, my = 0;
      gsize first = i == 0 ? 0 : i == 1 ? 600 : 900;

      /* Largest first, and centred on the blob (within its spread). */
      g_assert_cmpuint (boxes[i].row, ==, i);
      for (gsize r = first; r < first + size[i]; r++)
        {
          double x, y;

          es_scatter_data_get_point (data, r, &x, &y, NULL);
          mx += x / size[i];
          my += y / size[i];
        }
      es_viewport_project (&vp, mx, my, 0.5, &sx, &sy, NULL);
      g_assert_cmpfloat (fabs (boxes[i].x + boxes[i].width / 2 - sx), <, 0.4 * vp.width / 12);
      g_assert_cmpfloat (fabs (boxes[i].y + boxes[i].height / 2 - sy), <, boxes[i].height * 1.6);
      for (guint j = 0; j < i; j++)
        g_assert_true (boxes[i].x + boxes[i].width <= boxes[j].x || boxes[j].x + boxes[j].width <= boxes[i].x ||
                       boxes[i].y + boxes[i].height <= boxes[j].y || boxes[j].y + boxes[j].height <= boxes[i].y);
    }

  style.show_category_names = FALSE;
  es_scatter_renderer_render_image (renderer, surface, data, &vp, &style, NULL);
  es_scatter_renderer_get_category_labels (renderer, &n);
  g_assert_cmpuint (n, ==, 0);

  cairo_surface_destroy (surface);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/render/viewport/zoom-keeps-pointer", test_viewport_zoom_keeps_pointer);
  g_test_add_func ("/render/viewport/pan", test_viewport_pan);
  g_test_add_func ("/render/viewport/fit", test_viewport_fit);
  g_test_add_func ("/render/viewport/3d-projection", test_viewport_3d_projection);
  g_test_add_func ("/render/data/normalise", test_data_normalise);
  g_test_add_func ("/render/data/categories", test_data_categories);
  g_test_add_func ("/render/data/from-projection", test_data_from_projection);
  g_test_add_data_func ("/render/raster/points", GINT_TO_POINTER (FALSE), test_raster_points);
  g_test_add_data_func ("/render/raster/points-density", GINT_TO_POINTER (TRUE), test_raster_points);
  g_test_add_data_func ("/render/raster/categories", GINT_TO_POINTER (FALSE), test_raster_categories);
  g_test_add_data_func ("/render/raster/categories-density", GINT_TO_POINTER (TRUE), test_raster_categories);
  g_test_add_func ("/render/raster/gradient", test_raster_gradient);
  g_test_add_func ("/render/raster/3d", test_raster_3d);
  g_test_add_func ("/render/raster/overlay-selection", test_overlay_selection);
  g_test_add_func ("/render/vector/points", test_vector_points);
  g_test_add_func ("/render/labels/disjoint", test_labels_disjoint);
  g_test_add_func ("/render/labels/priority", test_labels_priority);
  g_test_add_func ("/render/labels/crowd", test_labels_crowd);
  g_test_add_func ("/render/style/point-contrast", test_style_point_contrast);
  g_test_add_func ("/render/legend/more-fits", test_legend_more_fits);
  g_test_add_func ("/render/gizmo/names-on-surface", test_gizmo_names_on_surface);
  g_test_add_func ("/render/point-index/lookup", test_point_index);
  g_test_add_func ("/render/export/svg", test_export_svg);
  g_test_add_func ("/render/export/pdf", test_export_pdf);
  g_test_add_func ("/render/export/pdf-discs", test_export_pdf_discs);
  g_test_add_func ("/render/export/pdf-compact", test_export_pdf_compact);
  g_test_add_func ("/render/export/png-scaled", test_export_png_scaled);
  g_test_add_func ("/render/export/atomic", test_export_atomic);
  g_test_add_func ("/render/category-names", test_category_names);
  g_test_add_func ("/render/labels/focus-on-top", test_labels_focus_on_top);
  g_test_add_func ("/render/style/dark-gradient-contrast", test_dark_gradient_contrast);

  return g_test_run ();
}
