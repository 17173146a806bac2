/* test-splat.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The point splats: 3D nearest slice first against per-point drawing, the
 * 2D vector path against the scalar one, two threads against one, and every
 * path keeping an opaque background opaque.
 */

#include "config.h"

#include "render-test-util.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "es-label-cache-private.h"
#include "es-png-writer.h"
#include "es-rank-grid-private.h"
#include "es-point-index.h"
#include "es-scatter-data.h"
#include "es-scatter-renderer.h"
#include "es-splat-2d-private.h"
#include "es-viewport.h"

/* ---- 3D, many points: nearest slice first ----------------------------------- */

static void
plain_style (EsPlotStyle *style,
             double       opacity)
{
  es_plot_style_init (style, FALSE);
  style->show_axes = FALSE;
  style->show_labels = FALSE;
  style->show_legend = FALSE;
  style->show_category_names = FALSE;
  style->opacity = opacity;
  style->point_size = 6;
}

/* Renders with the many-points 3D path (@sliced) or the per-point one. */
static cairo_surface_t *
render_3d (EsScatterData     *data,
           const EsViewport  *vp,
           const EsPlotStyle *style,
           gboolean           sliced)
{
  g_autoptr(EsScatterRenderer) renderer = es_scatter_renderer_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, vp->width, vp->height);

  es_scatter_renderer_set_density_threshold (renderer, sliced ? 0 : G_MAXSIZE);
  es_scatter_renderer_render_image (renderer, surface, data, vp, style, NULL);
  cairo_surface_flush (surface);

  return surface;
}

static void
test_3d_sliced_positions (void)
{
  /* The far point first in row order: the path must reorder. */
  const float xyz[] = { 0.5f, 0.5f, 0,  0.5f, 0.5f, 1,  0, 0, 0,  1, 1, 1,  1, 0, 0.5f };
  const guint categories[] = { 0, 1, 1, 1, 1 };
  const char *names[] = { "far", "near" };
  g_autoptr(EsScatterData) data = es_scatter_data_new_from_coords (xyz, 5, 3, 0, 1, 2, NULL, NULL);
  EsPlotStyle style;
  EsViewport vp;
  const double D = 2.5;
  double f = MIN (400, 300) / 2.0, near_rgb[3], far_rgb[3];
  cairo_surface_t *surface;
  guint32 p;

  g_test_summary ("3D with many points (front-to-back slices): points land where the hand-computed "
                  "perspective puts them and the nearer of two coincident points shows");

  es_scatter_data_set_categories (data, categories, names, 2);
  plain_style (&style, 0.75);
  es_viewport_init (&vp, 400, 300, TRUE);
  vp.fov_deg = 90;
  vp.distance = D;
  es_viewport_set_angles (&vp, 0, 0);
  surface = render_3d (data, &vp, &style, TRUE);

  /* Normalised: each axis (v - 0.5) / 1 + 0.5 = v.  Camera on +z. */
  for (guint i = 2; i < 5; i++)
    {
      double x = xyz[3 * i], y = xyz[3 * i + 1], z = xyz[3 * i + 2];
      double depth = 0.5 + D - z;
      double sx = 200 + f * (x - 0.5) / depth;
      double sy = 150 - f * (y - 0.5) / depth;

      p = render_test_pixel_at (surface, (int) sx, (int) sy);
      g_assert_cmpuint (p & 0xffffff, !=, 0xffffff);
      /* Nothing 10 px off (markers are 6 px, under 3x perspective growth
       * at this distance).
       */
      g_assert_cmphex (render_test_pixel_at (surface, (int) sx + 14, (int) sy + 14) & 0xffffff, ==, 0xffffff);
    }

  /* Centre: category 1 (orange, near, z = 1) over category 0 (blue,
   * far): mostly orange, a quarter of the far blue showing through.
   */
  es_scatter_renderer_category_color (1, near_rgb);
  es_scatter_renderer_category_color (0, far_rgb);
  p = render_test_pixel_at (surface, 200, 150);
  g_test_message ("centre %08x", p);
  g_assert_cmpint ((p >> 16) & 0xff, >, (p & 0xff) + 60);
  {
    /* OVER, far then near, on white: the reference composite. */
    double a = 0.75, want[3];
    int tolerance = 40;   /* the depth fog mixes towards the background */

    for (guint c = 0; c < 3; c++)
      want[c] = 255 * (near_rgb[c] * a + (1 - a) * (far_rgb[c] * a + (1 - a)));
    g_assert_cmpint (ABS ((int) ((p >> 16) & 0xff) - (int) want[0]), <=, tolerance);
    g_assert_cmpint (ABS ((int) ((p >> 8) & 0xff) - (int) want[1]), <=, tolerance);
    g_assert_cmpint (ABS ((int) (p & 0xff) - (int) want[2]), <=, tolerance);
  }
  cairo_surface_destroy (surface);
}

static void
test_3d_sliced_like_per_point (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  g_autoptr(EsScatterData) data = render_test_clustered_data (rand, 20000, 3);
  EsPlotStyle style;
  EsViewport vp;
  double lo[3], hi[3], diff = 0;
  gsize covered_a = 0, covered_b = 0, both = 0;
  cairo_surface_t *a, *b;

  g_test_summary ("3D with many points: the sliced picture covers the same pixels as the per-point "
                  "depth-tested one, with close colours");

  plain_style (&style, 0.75);
  style.point_size = 3;
  es_viewport_init (&vp, 400, 300, TRUE);
  es_scatter_data_get_bounds (data, lo, hi);
  es_viewport_fit (&vp, lo, hi, 10);
  es_viewport_set_angles (&vp, 30, 20);
  a = render_3d (data, &vp, &style, FALSE);
  b = render_3d (data, &vp, &style, TRUE);
  for (int y = 0; y < 300; y++)
    for (int x = 0; x < 400; x++)
      {
        guint32 pa = render_test_pixel_at (a, x, y) & 0xffffff, pb = render_test_pixel_at (b, x, y) & 0xffffff;

        covered_a += pa != 0xffffff;
        covered_b += pb != 0xffffff;
        both += pa != 0xffffff && pb != 0xffffff;
        for (int shift = 0; shift < 24; shift += 8)
          diff += ABS ((int) ((pa >> shift) & 0xff) - (int) ((pb >> shift) & 0xff));
      }
  diff /= 3.0 * MAX (covered_a, 1);
  g_test_message ("covered %" G_GSIZE_FORMAT " / %" G_GSIZE_FORMAT ", both %" G_GSIZE_FORMAT
                  ", mean channel difference %.2f", covered_a, covered_b, both, diff);
  g_assert_cmpuint (covered_a, >, 20000);
  g_assert_cmpfloat (both, >=, 0.99 * covered_a);
  g_assert_cmpfloat (both, >=, 0.99 * covered_b);
  g_assert_cmpfloat (diff, <, 12);
  cairo_surface_destroy (a);
  cairo_surface_destroy (b);
}

/* ---- 2D splat: vector and scalar paths agree ---------------------------------- */

static void
test_splat_paths_agree (void)
{
  static const double sizes[] = { 1.5, 4, 6, 9, 14, 23 };

  g_test_summary ("2D markers: a point well inside the surface (drawn 4 or 8 pixels a step) and the "
                  "same point near the right edge (drawn a pixel at a time) give identical pixels, "
                  "for marker sizes 1.5-23 px, sub-pixel offsets and translucent colours");

  for (guint si = 0; si < G_N_ELEMENTS (sizes); si++)
    for (guint f = 0; f < 4; f++)
      {
        const int W = 200, H = 60;
        /* Same sub-pixel offset in both places: the same sprite. */
        double frac = 0.1 + 0.27 * f;
        /* The marker's reach from its centre pixel. */
        int box = (int) ceil (sizes[si] / 2 + 0.5);
        double xs[2] = { 40 + frac, W - box - 2 + frac };
        double ys[2] = { 30.3 + frac / 2, 30.3 + frac / 2 };
        /* Normalised coordinates, with the viewport mapping 1 unit to 1 px. */
        float xyz[6];
        const guint categories[2] = { 1, 1 };
        const char *names[] = { "a", "b" };
        g_autoptr(EsScatterData) data = NULL;
        g_autoptr(EsScatterRenderer) renderer = es_scatter_renderer_new ();
        cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
        EsPlotStyle style;
        EsViewport vp;
        EsViewTransform t;
        int worst, ink = 0;

        /* Data units are pixels (y down); the viewport undoes the data's
         * normalisation (n = (v - c) * k + 0.5) so that a unit is a pixel.
         */
        for (guint i = 0; i < 2; i++)
          {
            xyz[3 * i] = (float) xs[i];
            xyz[3 * i + 1] = (float) -ys[i];
            xyz[3 * i + 2] = 0;
          }
        data = es_scatter_data_new_from_coords (xyz, 2, 3, 0, 1, -1, NULL, NULL);
        es_scatter_data_set_categories (data, categories, names, 2);
        es_viewport_init (&vp, W, H, FALSE);
        {
          double cx, kx, cy, ky;

          es_scatter_data_get_transform (data, 0, &cx, &kx);
          es_scatter_data_get_transform (data, 1, &cy, &ky);
          vp.scale = 1 / kx;
          vp.center_x = 0.5 + (W / 2.0 - cx) * kx;
          vp.center_y = 0.5 - (H / 2.0 + cy) * ky;
        }
        es_viewport_get_transform (&vp, &t);
        for (guint i = 0; i < 2; i++)
          {
            double nx, ny, nz;

            g_assert_true (es_scatter_data_get_point (data, i, &nx, &ny, &nz));
            xs[i] = t.ax * nx + t.bx;
            ys[i] = t.ay * ny + t.by;
          }
        g_assert_cmpfloat (fabs ((xs[0] - floor (xs[0])) - (xs[1] - floor (xs[1]))), <, 1e-4);
        g_assert_cmpfloat (fabs (ys[0] - ys[1]), <, 1e-4);
        g_assert_cmpfloat (xs[1] + sizes[si] / 2, <, W);

        plain_style (&style, 0.7);
        style.point_size = sizes[si];
        es_scatter_renderer_render_image (renderer, surface, data, &vp, &style, NULL);
        cairo_surface_flush (surface);

        worst = render_test_block_diff (surface, (int) floor (xs[0]) - box, (int) floor (ys[0]) - box,
                            surface, (int) floor (xs[1]) - box, (int) floor (ys[1]) - box,
                            2 * box + 1, 2 * box + 1);
        for (int y = -box; y <= box; y++)
          for (int x = -box; x <= box; x++)
            ink += (render_test_pixel_at (surface, (int) floor (xs[0]) + x, (int) floor (ys[0]) + y) & 0xffffff) != 0xffffff;
        g_test_message ("size %g offset %.2f: %d px inked, worst difference %d", sizes[si], frac, ink, worst);
        g_assert_cmpint (ink, >=, (int) (sizes[si] * sizes[si] / 2));
        g_assert_cmpint (worst, ==, 0);
        cairo_surface_destroy (surface);
      }
}

/* ---- 2D splat: two threads draw the pixels one does ---------------------------- */

/* Renders @data with the 2D splat on one thread or forced onto two; also
 * says whether the second thread exists afterwards.
 */
static cairo_surface_t *
render_2d_threads (EsScatterData       *data,
                   const EsViewport    *vp,
                   const EsPlotStyle   *style,
                   const EsPlotOverlay *overlay,
                   EsSplatThreads       mode,
                   gboolean            *threaded)
{
  g_autoptr(EsScatterRenderer) renderer = es_scatter_renderer_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, vp->width, vp->height);

  es_scatter_renderer_set_density_threshold (renderer, G_MAXSIZE);
  _es_scatter_renderer_set_splat_threads (renderer, mode);
  /* Twice: the second frame reuses the buffers and the thread. */
  es_scatter_renderer_render_image (renderer, surface, data, vp, style, overlay);
  es_scatter_renderer_render_image (renderer, surface, data, vp, style, overlay);
  cairo_surface_flush (surface);
  *threaded = renderer->splat_worker != NULL;

  return surface;
}

static void
test_splat_threads_identical (void)
{
  /* Frame sizes (one with an odd number of 8-row bands, one whose last
   * band is partial), marker sizes (up to 3 bands of reach), opacities
   * (saturation counting on and off) and zooms.
   */
  static const struct
  {
    int    width;
    int    height;
    double point_size;
    double opacity;
    double zoom;
  } cases[] = {
    { 1920, 1080, 4, 0.7, 1 },
    { 640, 357, 6, 0.7, 1 },
    { 1000, 1000, 1.5, 0.35, 1 },
    { 800, 600, 23, 0.5, 1 },
    { 640, 360, 6, 1.0, 3 },
    { 333, 97, 9, 0.2, 1 },
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (4);
  g_autoptr(EsScatterData) data = NULL;
  const gsize n = 120000;
  g_autofree guint *categories = g_new (guint, n);
  const char *names[] = { "a", "b", "c", "d", "e", "f" };
  guint32 highlighted[40];
  EsPlotOverlay overlay;

  g_test_summary ("2D frames of 120k points in 6 colours, with a selection and highlighted "
                  "neighbours, are byte-identical drawn by one thread or split over two: "
                  "1920x1080 and odd band counts (357 and 97 rows), markers 1.5-23 px, "
                  "opacity 0.2-1, zoomed in; the thread is started for 120k points, not for 5k");

  data = render_test_clustered_data (rand, n, 2);
  for (gsize i = 0; i < n; i++)
    categories[i] = i % 50 == 7 ? G_MAXUINT : (guint) ((i * 7 + i / 3) % G_N_ELEMENTS (names));
  es_scatter_data_set_categories (data, categories, names, G_N_ELEMENTS (names));
  es_plot_overlay_init (&overlay);
  overlay.selected = 12;
  for (guint i = 0; i < G_N_ELEMENTS (highlighted); i++)
    highlighted[i] = 100 + 37 * i;
  overlay.highlighted = highlighted;
  overlay.n_highlighted = G_N_ELEMENTS (highlighted);

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      EsPlotStyle style;
      EsViewport vp;
      cairo_surface_t *one, *two;
      gboolean threaded_one, threaded_two;
      const guint8 *p1, *p2;
      int stride, h = cases[c].height, w = cases[c].width;
      guint differ = 0, inked = 0;
      guint32 background;

      plain_style (&style, cases[c].opacity);
      style.point_size = cases[c].point_size;
      style.show_axes = TRUE;
      style.show_labels = TRUE;
      es_viewport_init (&vp, w, h, FALSE);
      vp.scale *= cases[c].zoom;

      one = render_2d_threads (data, &vp, &style, &overlay, ES_SPLAT_THREADS_ONE, &threaded_one);
      two = render_2d_threads (data, &vp, &style, &overlay, ES_SPLAT_THREADS_TWO, &threaded_two);
      g_assert_false (threaded_one);
      g_assert_true (threaded_two);

      p1 = cairo_image_surface_get_data (one);
      p2 = cairo_image_surface_get_data (two);
      stride = cairo_image_surface_get_stride (one);
      background = render_test_pixel_at (one, w - 1, h - 1);
      for (int y = 0; y < h; y++)
        {
          const guint32 *r1 = (const guint32 *) (gconstpointer) (p1 + (gsize) y * stride);
          const guint32 *r2 = (const guint32 *) (gconstpointer) (p2 + (gsize) y * stride);

          for (int x = 0; x < w; x++)
            {
              differ += r1[x] != r2[x];
              inked += r1[x] != background;
            }
        }
      g_test_message ("%dx%d (%d bands), %g px, opacity %g, zoom %g: %u px inked, %u differ",
                      w, h, (h + 7) / 8, cases[c].point_size, cases[c].opacity, cases[c].zoom,
                      inked, differ);
      g_assert_cmpuint (inked, >, (guint) w * h / 20);
      g_assert_cmpuint (differ, ==, 0);
      cairo_surface_destroy (one);
      cairo_surface_destroy (two);
    }

  /* Left to itself, the renderer starts the thread only for many points. */
  {
    g_autoptr(EsScatterData) few = render_test_clustered_data (rand, 5000, 2);
    EsPlotStyle style;
    EsViewport vp;
    cairo_surface_t *surface;
    gboolean threaded;

    plain_style (&style, 0.7);
    es_viewport_init (&vp, 640, 480, FALSE);
    surface = render_2d_threads (few, &vp, &style, NULL, ES_SPLAT_THREADS_AUTO, &threaded);
    g_assert_false (threaded);
    cairo_surface_destroy (surface);
    surface = render_2d_threads (data, &vp, &style, NULL, ES_SPLAT_THREADS_AUTO, &threaded);
    g_assert_true (threaded);
    cairo_surface_destroy (surface);
  }
}

/* ---- every path: an opaque background stays opaque --------------------------- */

static void
test_opaque_background_stays_opaque (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(EsScatterData) data = render_test_clustered_data (rand, 30000, 3);
  static const double opacities[] = { 0.2, 0.5, 0.85, 1 };
  static const double sizes[] = { 3, 6, 14 };
  const char *paths[] = { "2d", "2d-two-threads", "2d-density", "3d", "3d-many" };

  g_test_summary ("Translucent markers over an opaque background leave every pixel opaque (alpha "
                  "255), on every drawing path: the blend's 1 - alpha must not round 255 down");

  for (guint p = 0; p < G_N_ELEMENTS (paths); p++)
    for (guint o = 0; o < G_N_ELEMENTS (opacities); o++)
      for (guint z = 0; z < G_N_ELEMENTS (sizes); z++)
        {
          gboolean three_d = g_str_has_prefix (paths[p], "3d");
          g_autoptr(EsScatterRenderer) renderer = es_scatter_renderer_new ();
          cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 320, 240);
          EsPlotStyle style;
          EsViewport vp;
          double lo[3], hi[3];
          gsize translucent = 0, inked = 0;

          plain_style (&style, opacities[o]);
          style.point_size = sizes[z];
          g_assert_cmpfloat (style.background[3], ==, 1.0);
          es_viewport_init (&vp, 320, 240, three_d);
          es_scatter_data_get_bounds (data, lo, hi);
          es_viewport_fit (&vp, lo, hi, 10);
          if (three_d)
            es_viewport_set_angles (&vp, 30, 20);
          es_scatter_renderer_set_density_threshold (renderer,
                                                     g_str_has_suffix (paths[p], "density") ||
                                                     g_str_has_suffix (paths[p], "many") ? 0 : G_MAXSIZE);
          _es_scatter_renderer_set_splat_threads (renderer, g_str_has_suffix (paths[p], "threads")
                                                              ? ES_SPLAT_THREADS_TWO
                                                              : ES_SPLAT_THREADS_ONE);
          es_scatter_renderer_render_image (renderer, surface, data, &vp, &style, NULL);
          cairo_surface_flush (surface);
          for (int y = 0; y < 240; y++)
            for (int x = 0; x < 320; x++)
              {
                guint32 px = render_test_pixel_at (surface, x, y);

                translucent += px >> 24 != 0xff;
                inked += (px & 0xffffff) != 0xffffff;
              }
          g_test_message ("%s, opacity %.2f, %g px: %" G_GSIZE_FORMAT " px inked, %" G_GSIZE_FORMAT
                          " translucent", paths[p], opacities[o], sizes[z], inked, translucent);
          g_assert_cmpuint (inked, >, 1000);
          g_assert_cmpuint (translucent, ==, 0);
          cairo_surface_destroy (surface);
        }
}

static void
test_3d_sliced_growing (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (9);
  g_autoptr(EsScatterData) small = render_test_clustered_data (rand, 3000, 3);
  g_autoptr(EsScatterData) large = render_test_clustered_data (rand, 60000, 3);
  g_autoptr(EsScatterRenderer) reused = es_scatter_renderer_new ();
  g_autoptr(EsScatterRenderer) fresh = es_scatter_renderer_new ();
  cairo_surface_t *a = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 300);
  cairo_surface_t *b = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 300);
  EsPlotStyle style;
  EsViewport vp;
  double lo[3], hi[3];

  g_test_summary ("3D, many points: a renderer that drew a small cloud draws a larger one exactly as a "
                  "fresh renderer does (its buffers grow without losing one)");

  plain_style (&style, 0.75);
  style.point_size = 3;
  es_viewport_init (&vp, 400, 300, TRUE);
  es_scatter_data_get_bounds (large, lo, hi);
  es_viewport_fit (&vp, lo, hi, 10);
  es_scatter_renderer_set_density_threshold (reused, 0);
  es_scatter_renderer_set_density_threshold (fresh, 0);
  es_scatter_renderer_render_image (reused, a, small, &vp, &style, NULL);
  es_scatter_renderer_render_image (reused, a, large, &vp, &style, NULL);
  es_scatter_renderer_render_image (fresh, b, large, &vp, &style, NULL);
  cairo_surface_flush (a);
  cairo_surface_flush (b);
  g_assert_cmpint (render_test_block_diff (a, 0, 0, b, 0, 0, 400, 300), ==, 0);
  cairo_surface_destroy (a);
  cairo_surface_destroy (b);
}

/* The normalised x at which a point at (., ny, nz) lands on @target_sx. */
static double
solve_x (const EsViewport *vp,
         double            ny,
         double            nz,
         double            target_sx)
{
  double x0 = 0.4, x1 = 0.6, s0, s1, sy;

  g_assert_true (es_viewport_project (vp, x0, ny, nz, &s0, &sy, NULL));
  for (guint it = 0; it < 30; it++)
    {
      double x2;

      g_assert_true (es_viewport_project (vp, x1, ny, nz, &s1, &sy, NULL));
      if (fabs (s1 - target_sx) < 1e-9 || s1 == s0)
        break;
      x2 = x1 + (target_sx - s1) * (x1 - x0) / (s1 - s0);
      x0 = x1;
      s0 = s1;
      x1 = x2;
    }

  return x1;
}

static void
test_3d_splat_paths_agree (void)
{
  g_test_summary ("3D, many points: a marker well inside the surface (drawn 8 pixels a step) and the "
                  "same marker near the right edge (a pixel at a time) give identical pixels");

  for (guint f = 0; f < 3; f++)
    {
      const int W = 240, H = 120;
      double frac = 0.15 + 0.3 * f, xs[2], ny = 0.5, nz = 0.5, c[3], k;
      float xyz[6 * 3];
      g_autoptr(EsScatterData) probe = NULL;
      g_autoptr(EsScatterData) data = NULL;
      g_autoptr(EsScatterRenderer) renderer = es_scatter_renderer_new ();
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
      EsPlotStyle style;
      EsViewport vp;
      int box, worst, ink = 0;

      plain_style (&style, 0.7);
      style.point_size = 7;
      /* Two far anchors fix the data's normalisation. */
      xyz[0] = -10; xyz[1] = -10; xyz[2] = -10;
      xyz[3] = 10; xyz[4] = 10; xyz[5] = 10;
      xyz[6] = 0; xyz[7] = 0; xyz[8] = 0;
      xyz[9] = 0; xyz[10] = 0; xyz[11] = 0;
      probe = es_scatter_data_new_from_coords (xyz, 2, 3, 0, 1, 2, NULL, NULL);
      for (guint a = 0; a < 3; a++)
        es_scatter_data_get_transform (probe, a, &c[a], &k);

      es_viewport_init (&vp, W, H, TRUE);
      vp.distance = 0.5;
      es_viewport_set_angles (&vp, 0, 0);
      {
        /* Marker reach at this depth, from the projected size. */
        double sx0, sy0, depth;

        g_assert_true (es_viewport_project (&vp, 0.5, ny, nz, &sx0, &sy0, &depth));
        box = (int) ceil (style.point_size * CLAMP (vp.distance / depth, 0.35, 3.0) / 2 + 0.5);
        xs[0] = 60 + frac;
        xs[1] = W - box - 2 + frac;
        for (guint i = 0; i < 2; i++)
          {
            double nx = solve_x (&vp, ny, nz, xs[i]);

            xyz[6 + 3 * i] = (float) ((nx - 0.5) / k + c[0]);
            xyz[7 + 3 * i] = (float) ((ny - 0.5) / k + c[1]);
            xyz[8 + 3 * i] = (float) ((nz - 0.5) / k + c[2]);
            /* A second marker just below, at the same depth, drawn under
             * the first: the blend must read what is already there.
             */
            xyz[12 + 3 * i] = xyz[6 + 3 * i];
            xyz[13 + 3 * i] = (float) ((ny - 0.008 - 0.5) / k + c[1]);
            xyz[14 + 3 * i] = xyz[8 + 3 * i];
          }
      }
      data = es_scatter_data_new_from_coords (xyz, 6, 3, 0, 1, 2, NULL, NULL);
      for (guint i = 0; i < 2; i++)
        {
          double nx, nyy, nzz, sy;

          g_assert_true (es_scatter_data_get_point (data, 2 + i, &nx, &nyy, &nzz));
          g_assert_true (es_viewport_project (&vp, nx, nyy, nzz, &xs[i], &sy, NULL));
          g_test_message ("point %u: nx %g sx %g", i, nx, xs[i]);
          g_assert_cmpfloat (fabs (xs[i] - floor (xs[i]) - frac), <, 1e-3);
        }

      es_scatter_renderer_set_density_threshold (renderer, 0);
      es_scatter_renderer_render_image (renderer, surface, data, &vp, &style, NULL);
      cairo_surface_flush (surface);
      {
        double sx, sy;
        int y0;

        g_assert_true (es_viewport_project (&vp, 0.5, ny, nz, &sx, &sy, NULL));
        y0 = (int) floor (sy) - box;
        worst = render_test_block_diff (surface, (int) floor (xs[0]) - box, y0,
                            surface, (int) floor (xs[1]) - box, y0, 2 * box + 1, 2 * box + 6);
        for (int y = 0; y <= 2 * box + 5; y++)
          for (int x = -box; x <= box; x++)
            ink += (render_test_pixel_at (surface, (int) floor (xs[0]) + x, y0 + y) & 0xffffff) != 0xffffff;
      }
      g_test_message ("offset %.2f: reach %d px, %d px inked, worst difference %d", frac, box, ink, worst);
      g_assert_cmpint (ink, >=, 20);
      g_assert_cmpint (worst, ==, 0);
      cairo_surface_destroy (surface);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/render/3d-sliced/positions", test_3d_sliced_positions);
  g_test_add_func ("/render/3d-sliced/like-per-point", test_3d_sliced_like_per_point);
  g_test_add_func ("/render/3d-sliced/growing", test_3d_sliced_growing);
  g_test_add_func ("/render/3d-sliced/paths-agree", test_3d_splat_paths_agree);
  g_test_add_func ("/render/splat/paths-agree", test_splat_paths_agree);
  g_test_add_func ("/render/splat/threads-identical", test_splat_threads_identical);
  g_test_add_func ("/render/opaque-background", test_opaque_background_stays_opaque);

  return g_test_run ();
}
