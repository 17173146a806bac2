/* test-plot-links.c: EsPlotOverlay links drawn as arrows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "es-scatter-data.h"
#include "es-scatter-renderer.h"
#include "es-viewport.h"

#define W 300
#define H 200

/* Points 0 and 1 far apart on one horizontal line, 2 at a third place,
 * 3 masked (NaN).
 */
static const float xy[] = { 0.0f, 0.0f, 1.0f, 0.0f, 0.5f, 1.0f, NAN, NAN };

static void
fitted_viewport (EsScatterData *data,
                 EsViewport    *vp)
{
  double lo[3], hi[3];

  es_viewport_init (vp, W, H, FALSE);
  es_scatter_data_get_bounds (data, lo, hi);
  es_viewport_fit (vp, lo, hi, 20);
}

static cairo_surface_t *
render (const guint32 *links,
        gsize          n_links)
{
  g_autoptr(EsScatterData) data = es_scatter_data_new_from_coords (xy, 4, 2, 0, 1, -1, NULL, NULL);
  g_autoptr(EsScatterRenderer) renderer = es_scatter_renderer_new ();
  cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
  EsPlotStyle style;
  EsPlotOverlay overlay;
  EsViewport vp;

  es_plot_style_init (&style, FALSE);
  style.show_axes = FALSE;
  style.show_labels = FALSE;
  style.show_legend = FALSE;
  style.show_category_names = FALSE;
  style.point_size = 4;
  es_plot_overlay_init (&overlay);
  g_assert_null (overlay.links);
  g_assert_cmpuint (overlay.n_links, ==, 0);
  overlay.links = links;
  overlay.n_links = n_links;
  fitted_viewport (data, &vp);
  es_scatter_renderer_render_image (renderer, image, data, &vp, &style, &overlay);
  return image;
}

static gboolean
same_image (cairo_surface_t *a,
            cairo_surface_t *b)
{
  int stride = cairo_image_surface_get_stride (a);

  return memcmp (cairo_image_surface_get_data (a), cairo_image_surface_get_data (b),
                 (gsize) stride * H) == 0;
}

/* The midpoint of the segment between two points in pixels. */
static guint32
pixel_between (cairo_surface_t *image,
               gsize            from,
               gsize            to)
{
  g_autoptr(EsScatterData) data = es_scatter_data_new_from_coords (xy, 4, 2, 0, 1, -1, NULL, NULL);
  EsViewport vp;
  double x0, y0, x1, y1, nx, ny, nz;
  int x, y;

  fitted_viewport (data, &vp);
  g_assert_true (es_scatter_data_get_point (data, from, &nx, &ny, &nz));
  es_viewport_project (&vp, nx, ny, nz, &x0, &y0, NULL);
  g_assert_true (es_scatter_data_get_point (data, to, &nx, &ny, &nz));
  es_viewport_project (&vp, nx, ny, nz, &x1, &y1, NULL);
  /* Far apart on screen, so the midpoint is clear of both markers. */
  g_assert_cmpfloat (fabs (x1 - x0), >, 100);
  x = (int) floor ((x0 + x1) / 2);
  y = (int) floor ((y0 + y1) / 2);
  g_assert_cmpint (x, >, 0);
  g_assert_cmpint (x, <, W);
  g_assert_cmpint (y, >, 0);
  g_assert_cmpint (y, <, H);
  {
    const guint8 *d = cairo_image_surface_get_data (image);

    return *(const guint32 *) (gconstpointer) (d + (gsize) y * cairo_image_surface_get_stride (image) + 4 * x);
  }
}

static void
test_link_drawn (void)
{
  static const guint32 link[] = { 0, 1 };
  cairo_surface_t *plain = render (NULL, 0);
  cairo_surface_t *linked = render (link, 1);
  guint32 bg = pixel_between (plain, 0, 1);
  guint32 fg = pixel_between (linked, 0, 1);
  int lum_bg = ((bg >> 16) & 0xff) + ((bg >> 8) & 0xff) + (bg & 0xff);
  int lum_fg = ((fg >> 16) & 0xff) + ((fg >> 8) & 0xff) + (fg & 0xff);

  /* Light style: the arrow is the dark foreground on the light background. */
  g_assert_cmpint (lum_fg + 200, <, lum_bg);
  g_assert_false (same_image (plain, linked));
  cairo_surface_destroy (plain);
  cairo_surface_destroy (linked);
}

static void
test_degenerate_links (void)
{
  /* A zero-length link (a word that did not move), links to a masked
   * row and past the end: nothing drawn, no crash.
   */
  static const guint32 links[] = { 2, 2, 0, 3, 3, 1, 0, 99, G_MAXUINT32, 1 };
  cairo_surface_t *plain = render (NULL, 0);
  cairo_surface_t *linked = render (links, G_N_ELEMENTS (links) / 2);

  g_assert_true (same_image (plain, linked));
  cairo_surface_destroy (plain);
  cairo_surface_destroy (linked);
}

static void
test_vector_export (void)
{
  /* The vector back-end draws the same arrow (SVG export). */
  static const guint32 link[] = { 0, 1 };
  g_autoptr(EsScatterData) data = es_scatter_data_new_from_coords (xy, 4, 2, 0, 1, -1, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("es-links-XXXXXX", NULL);
  g_autofree char *with = g_build_filename (dir, "with.svg", NULL);
  g_autofree char *without = g_build_filename (dir, "without.svg", NULL);
  g_autofree char *a = NULL, *b = NULL;
  gsize la, lb;
  EsPlotStyle style;
  EsPlotOverlay overlay;
  EsViewport vp;

  es_plot_style_init (&style, FALSE);
  style.show_axes = FALSE;
  style.show_legend = FALSE;
  fitted_viewport (data, &vp);
  es_plot_overlay_init (&overlay);
  g_assert_true (es_scatter_renderer_export (data, &vp, &style, &overlay, without,
                                             ES_PLOT_FORMAT_SVG, W, H, &error));
  overlay.links = link;
  overlay.n_links = 1;
  g_assert_true (es_scatter_renderer_export (data, &vp, &style, &overlay, with,
                                             ES_PLOT_FORMAT_SVG, W, H, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (with, &a, &la, NULL));
  g_assert_true (g_file_get_contents (without, &b, &lb, NULL));
  /* A stroked shaft and a filled head: more path data. */
  g_assert_cmpuint (la, >, lb);
  g_unlink (with);
  g_unlink (without);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plot-links/drawn", test_link_drawn);
  g_test_add_func ("/plot-links/degenerate", test_degenerate_links);
  g_test_add_func ("/plot-links/vector-export", test_vector_export);
  return g_test_run ();
}
