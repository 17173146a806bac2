/* test-render-fast-paths.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The speed paths of the plot: the libpng encoder, the hover grid, the
 * vector splat, the label image cache.  Each is checked against an
 * independent way of getting the same answer (Cairo's PNG decoder, a
 * brute-force nearest-point scan, the scalar splat used at the surface's
 * edge, Cairo drawing the text itself, a renderer with an empty cache,
 * the 2D splat on one thread).
 */

#include "config.h"

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

/* ---- PNG --------------------------------------------------------------- */

static cairo_surface_t *
random_surface (GRand    *rand,
                int       width,
                int       height,
                gboolean  opaque)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  guint8 *data = cairo_image_surface_get_data (s);
  int stride = cairo_image_surface_get_stride (s);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 a = opaque ? 255 : (guint32) g_rand_int_range (rand, 0, 256);
        guint32 r = (guint32) g_rand_int_range (rand, 0, (int) a + 1);
        guint32 g = (guint32) g_rand_int_range (rand, 0, (int) a + 1);
        guint32 b = (guint32) g_rand_int_range (rand, 0, (int) a + 1);

        /* Some flat runs too, like a plot's background. */
        if (x > width / 2)
          r = g = b = a;
        *(guint32 *) (gpointer) (data + (gsize) y * stride + 4 * x) = a << 24 | r << 16 | g << 8 | b;
      }
  cairo_surface_mark_dirty (s);

  return s;
}

/* Writes @s with our encoder, reads it back with Cairo's decoder and
 * returns the largest channel difference; @color_type gets the PNG
 * header's colour type (2 RGB, 6 RGBA).
 */
static int
png_round_trip (cairo_surface_t *s,
                int             *color_type)
{
  g_autofree char *dir = g_dir_make_tmp ("es-png-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "t.png", NULL);
  g_autofree char *bytes = NULL;
  gsize len;
  cairo_surface_t *back;
  int fd, worst = 0;

  fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  g_assert_cmpint (fd, >=, 0);
  g_assert_true (es_png_write_surface (s, fd));
  g_assert_cmpint (close (fd), ==, 0);

  g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
  g_assert_cmpuint (len, >, 26);
  g_assert_cmpmem (bytes + 1, 3, "PNG", 3);
  *color_type = (guint8) bytes[25];

  back = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (back), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (back), ==, cairo_image_surface_get_width (s));
  g_assert_cmpint (cairo_image_surface_get_height (back), ==, cairo_image_surface_get_height (s));
  for (int y = 0; y < cairo_image_surface_get_height (s); y++)
    for (int x = 0; x < cairo_image_surface_get_width (s); x++)
      {
        const guint8 *a = cairo_image_surface_get_data (s) + (gsize) y * cairo_image_surface_get_stride (s) + 4 * x;
        const guint8 *b = cairo_image_surface_get_data (back) + (gsize) y * cairo_image_surface_get_stride (back) + 4 * x;
        guint32 pa = *(const guint32 *) (gconstpointer) a, pb = *(const guint32 *) (gconstpointer) b;

        /* RGB24 read-back: the top byte is padding. */
        if (cairo_image_surface_get_format (back) == CAIRO_FORMAT_RGB24)
          pb = (pb & 0x00ffffff) | 0xff000000;
        for (int shift = 0; shift < 32; shift += 8)
          worst = MAX (worst, ABS ((int) ((pa >> shift) & 0xff) - (int) ((pb >> shift) & 0xff)));
      }
  cairo_surface_destroy (back);
  g_unlink (path);
  g_rmdir (dir);

  return worst;
}

static void
test_png_opaque (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  cairo_surface_t *s = random_surface (rand, 131, 67, TRUE);
  int color_type = -1;

  g_test_summary ("An opaque frame is written as RGB and Cairo's decoder reads back every pixel exactly");
  g_assert_cmpint (png_round_trip (s, &color_type), ==, 0);
  g_assert_cmpint (color_type, ==, 2);
  cairo_surface_destroy (s);
}

static void
test_png_translucent (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  cairo_surface_t *s = random_surface (rand, 97, 53, FALSE);
  int color_type = -1;

  g_test_summary ("A translucent frame is written as straight RGBA: premultiplied pixels come back within 1/255");
  g_assert_cmpint (png_round_trip (s, &color_type), <=, 1);
  g_assert_cmpint (color_type, ==, 6);
  cairo_surface_destroy (s);
}

static void
test_png_write_error (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  cairo_surface_t *s = random_surface (rand, 640, 480, FALSE);
  int fd = g_open ("/dev/full", O_WRONLY, 0);

  g_test_summary ("A failing write (disk full) returns FALSE with errno set, no crash");
  if (fd < 0)
    {
      g_test_skip ("no /dev/full");
      cairo_surface_destroy (s);
      return;
    }
  errno = 0;
  g_assert_false (es_png_write_surface (s, fd));
  g_assert_cmpint (errno, ==, ENOSPC);
  close (fd);
  cairo_surface_destroy (s);
}

/* ---- hover grid ---------------------------------------------------------- */

/* Dense clusters, a uniform haze and a few exact duplicates (ties). */
static EsScatterData *
clustered_data (GRand *rand,
                gsize  n,
                guint  dims)
{
  g_autofree float *xyz = g_new (float, dims * n);

  for (gsize i = 0; i < n; i++)
    {
      double cx = (i % 5) * 0.4 - 0.8, cy = (i % 3) * 0.5 - 0.5;
      gboolean haze = i % 4 == 0;

      for (guint d = 0; d < dims; d++)
        {
          double g = sqrt (-2 * log (g_rand_double_range (rand, 1e-12, 1))) *
                     cos (2 * G_PI * g_rand_double (rand));

          xyz[dims * i + d] = haze ? (float) g_rand_double_range (rand, -1.2, 1.2)
                                   : (float) ((d == 0 ? cx : d == 1 ? cy : 0) + 0.05 * g);
        }
      if (i % 97 == 1)
        memcpy (xyz + dims * i, xyz + dims * (i - 1), dims * sizeof (float));
    }

  return es_scatter_data_new_from_coords (xyz, n, dims, 0, 1, dims > 2 ? 2 : -1, NULL, NULL);
}

/* The rule spelled out, over every point: within @radius of (x, y) on
 * the surface; in 3D the front-most (then nearest), in 2D the nearest
 * (then the lowest row).
 */
static gint64
brute_force_lookup (EsScatterData    *data,
                    const EsViewport *vp,
                    double            x,
                    double            y,
                    double            radius)
{
  const float *xyz = es_scatter_data_get_xyz (data);
  EsViewTransform t;
  gint64 best = -1;
  double best_d2 = radius * radius, best_depth = INFINITY;

  es_viewport_get_transform (vp, &t);
  for (gsize i = 0; i < es_scatter_data_get_n_points (data); i++)
    {
      double sx, sy, depth, dx, dy, d2;
      float fx, fy, fd;

      if (!es_view_transform_project (&t, xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2], &sx, &sy, &depth))
        continue;
      if (!(sx >= 0 && sy >= 0 && sx < vp->width && sy < vp->height))
        continue;
      /* Positions are kept as floats. */
      fx = (float) sx;
      fy = (float) sy;
      fd = (float) depth;
      dx = fx - x;
      dy = fy - y;
      d2 = dx * dx + dy * dy;
      if (d2 > radius * radius)
        continue;
      if (vp->three_d)
        {
          if (fd < best_depth || (fd == best_depth && d2 < best_d2))
            {
              best = (gint64) i;
              best_d2 = d2;
              best_depth = fd;
            }
        }
      else if (d2 < best_d2 || (d2 == best_d2 && best < 0))
        {
          best = (gint64) i;
          best_d2 = d2;
        }
    }

  return best;
}

static void
check_hover (gsize    n,
             gboolean three_d,
             double   zoom)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed ((guint32) n + three_d);
  g_autoptr(EsScatterData) data = clustered_data (rand, n, three_d ? 3 : 2);
  g_autoptr(EsPointIndex) index = NULL;
  EsViewport vp;
  double lo[3], hi[3];
  guint hits = 0;

  es_viewport_init (&vp, 320, 200, three_d);
  es_scatter_data_get_bounds (data, lo, hi);
  es_viewport_fit (&vp, lo, hi, 10);
  if (zoom != 1)
    es_viewport_zoom_at (&vp, zoom, 100, 70);
  index = es_point_index_new (data, &vp);

  for (guint q = 0; q < 400; q++)
    {
      /* Some pointers just off the surface too. */
      double x = g_rand_double_range (rand, -10, 330);
      double y = g_rand_double_range (rand, -10, 210);
      double radius = q % 3 == 0 ? 40 : q % 3 == 1 ? 8 : 0.5;
      gint64 got = es_point_index_lookup (index, x, y, radius);
      gint64 want = brute_force_lookup (data, &vp, x, y, radius);

      if (got != want)
        g_error ("lookup (%g, %g, r %g): %" G_GINT64_FORMAT ", brute force %" G_GINT64_FORMAT,
                 x, y, radius, got, want);
      hits += got >= 0;
    }
  /* Not a vacuous comparison: most lookups hit something. */
  g_assert_cmpuint (hits, >, 80);
}

static void
test_hover_matches_brute_force (void)
{
  g_test_summary ("Hover lookups give exactly the brute-force answer (nearest, ties to the lowest row; "
                  "front-most in 3D) for 1k-200k points, zoomed in and fitted, radii 0.5-40 px");
  check_hover (1000, FALSE, 1);
  check_hover (50000, FALSE, 1);
  check_hover (200000, FALSE, 1);
  check_hover (200000, FALSE, 3.5);
  check_hover (20000, TRUE, 1);
  check_hover (100000, TRUE, 2);
}

/* ---- 3D, many points: nearest slice first ----------------------------------- */

static void
plain_style (EsPlotStyle *style,
             double       opacity)
{
  es_plot_style_init (style, FALSE);
  style->show_axes = FALSE;
  style->show_labels = FALSE;
  style->show_legend = FALSE;
  style->opacity = opacity;
  style->point_size = 6;
}

static guint32
pixel_at (cairo_surface_t *surface,
          int              x,
          int              y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);

  g_assert_true (x >= 0 && y >= 0);
  g_assert_true (x < cairo_image_surface_get_width (surface) && y < cairo_image_surface_get_height (surface));
  return *(const guint32 *) (gconstpointer) (data + (gsize) y * cairo_image_surface_get_stride (surface) + 4 * x);
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

      p = pixel_at (surface, (int) sx, (int) sy);
      g_assert_cmpuint (p & 0xffffff, !=, 0xffffff);
      /* Nothing 10 px off (markers are 6 px, under 3x perspective growth
       * at this distance).
       */
      g_assert_cmphex (pixel_at (surface, (int) sx + 14, (int) sy + 14) & 0xffffff, ==, 0xffffff);
    }

  /* Centre: category 1 (orange, near, z = 1) over category 0 (blue,
   * far): mostly orange, a quarter of the far blue showing through.
   */
  es_scatter_renderer_category_color (1, near_rgb);
  es_scatter_renderer_category_color (0, far_rgb);
  p = pixel_at (surface, 200, 150);
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
  g_autoptr(EsScatterData) data = clustered_data (rand, 20000, 3);
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
        guint32 pa = pixel_at (a, x, y) & 0xffffff, pb = pixel_at (b, x, y) & 0xffffff;

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

/* Largest channel difference between two w x h blocks. */
static int
block_diff (cairo_surface_t *a,
            int              ax,
            int              ay,
            cairo_surface_t *b,
            int              bx,
            int              by,
            int              w,
            int              h)
{
  int worst = 0;

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint32 pa = pixel_at (a, ax + x, ay + y), pb = pixel_at (b, bx + x, by + y);

        for (int shift = 0; shift < 32; shift += 8)
          worst = MAX (worst, ABS ((int) ((pa >> shift) & 0xff) - (int) ((pb >> shift) & 0xff)));
      }

  return worst;
}

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

        worst = block_diff (surface, (int) floor (xs[0]) - box, (int) floor (ys[0]) - box,
                            surface, (int) floor (xs[1]) - box, (int) floor (ys[1]) - box,
                            2 * box + 1, 2 * box + 1);
        for (int y = -box; y <= box; y++)
          for (int x = -box; x <= box; x++)
            ink += (pixel_at (surface, (int) floor (xs[0]) + x, (int) floor (ys[0]) + y) & 0xffffff) != 0xffffff;
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

  data = clustered_data (rand, n, 2);
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
      background = pixel_at (one, w - 1, h - 1);
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
    g_autoptr(EsScatterData) few = clustered_data (rand, 5000, 2);
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

/* ---- label image cache ------------------------------------------------------------ */

static cairo_surface_t *
white_surface (int w,
               int h)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cairo_t *cr = cairo_create (s);

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_destroy (cr);

  return s;
}

/* Draws @text at (x, y) through @cache, or with Cairo when @cache is NULL. */
static cairo_surface_t *
label_image (EsLabelCache *cache,
             const char   *text,
             double        size,
             gboolean      bold,
             const double  color[4],
             double        x,
             double        y)
{
  static const double halo[4] = { 1, 1, 1, 0.85 };
  cairo_surface_t *s = white_surface (160, 40);
  cairo_t *cr = cairo_create (s);

  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL,
                          bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, size);
  if (cache != NULL)
    {
      g_assert_true (es_label_cache_usable (cr));
      es_label_cache_show (cache, cr, x, y, text, color, halo, 1);
    }
  else
    {
      cairo_move_to (cr, x, y);
      cairo_set_source_rgba (cr, color[0], color[1], color[2], color[3]);
      cairo_show_text (cr, text);
    }
  cairo_destroy (cr);
  cairo_surface_flush (s);

  return s;
}

static guint
count_ink (cairo_surface_t *s)
{
  guint n = 0;

  for (int y = 0; y < cairo_image_surface_get_height (s); y++)
    for (int x = 0; x < cairo_image_surface_get_width (s); x++)
      n += (pixel_at (s, x, y) & 0xff) < 128;

  return n;
}

static void
test_label_cache_like_cairo (void)
{
  static const double dark[4] = { 0.1, 0.1, 0.15, 1 };
  static const char *words[] = { "Hamlet", "gjpqy", "Ophelia's", "x", "W" };
  g_autoptr(EsLabelCache) cache = es_label_cache_new ();

  g_test_summary ("A cached label (its halo white on white, so invisible) has the pixels of Cairo "
                  "drawing the same text at the same whole-pixel origin, descenders and wide "
                  "glyphs included (no clipping)");

  for (guint w = 0; w < G_N_ELEMENTS (words); w++)
    for (guint pass = 0; pass < 2; pass++)
      {
        /* The second pass is served from the cache. */
        cairo_surface_t *a = label_image (cache, words[w], 14, FALSE, dark, 20, 25);
        cairo_surface_t *b = label_image (NULL, words[w], 14, FALSE, dark, 20, 25);
        int worst = block_diff (a, 0, 0, b, 0, 0, 160, 40);

        g_test_message ("%s: %u ink pixels, worst difference %d", words[w], count_ink (b), worst);
        g_assert_cmpuint (count_ink (b), >, 4);
        g_assert_cmpint (worst, <=, 2);
        cairo_surface_destroy (a);
        cairo_surface_destroy (b);
      }
  g_assert_cmpuint (es_label_cache_get_n_entries (cache), ==, G_N_ELEMENTS (words));
  g_assert_cmpuint (es_label_cache_get_n_hits (cache), ==, G_N_ELEMENTS (words));
}

static void
test_label_cache_keys (void)
{
  static const double dark[4] = { 0.1, 0.1, 0.15, 1 };
  static const double red[4] = { 0.9, 0.1, 0.1, 1 };
  g_autoptr(EsLabelCache) cache = es_label_cache_new ();
  cairo_surface_t *alpha, *again, *bravo, *reddish, *bigger, *bold, *moved;

  g_test_summary ("The label cache answers by text, colour, size and weight: changing any of them "
                  "changes the pixels, and only an identical request is a hit");

  alpha = label_image (cache, "alpha", 14, FALSE, dark, 20, 25);
  again = label_image (cache, "alpha", 14, FALSE, dark, 20, 25);
  g_assert_cmpuint (es_label_cache_get_n_hits (cache), ==, 1);
  g_assert_cmpint (block_diff (alpha, 0, 0, again, 0, 0, 160, 40), ==, 0);

  bravo = label_image (cache, "bravo", 14, FALSE, dark, 20, 25);
  reddish = label_image (cache, "alpha", 14, FALSE, red, 20, 25);
  bigger = label_image (cache, "alpha", 18, FALSE, dark, 20, 25);
  bold = label_image (cache, "alpha", 14, TRUE, dark, 20, 25);
  g_assert_cmpuint (es_label_cache_get_n_hits (cache), ==, 1);
  g_assert_cmpuint (es_label_cache_get_n_entries (cache), ==, 5);
  g_assert_cmpint (block_diff (alpha, 0, 0, bravo, 0, 0, 160, 40), >, 100);
  g_assert_cmpint (block_diff (alpha, 0, 0, reddish, 0, 0, 160, 40), >, 100);
  g_assert_cmpint (block_diff (alpha, 0, 0, bigger, 0, 0, 160, 40), >, 100);
  g_assert_cmpint (block_diff (alpha, 0, 0, bold, 0, 0, 160, 40), >, 50);

  /* A hit drawn elsewhere is the same picture, moved. */
  moved = label_image (cache, "alpha", 14, FALSE, dark, 27, 31);
  g_assert_cmpuint (es_label_cache_get_n_hits (cache), ==, 2);
  g_assert_cmpint (block_diff (alpha, 0, 0, moved, 7, 6, 150, 34), ==, 0);

  cairo_surface_destroy (alpha);
  cairo_surface_destroy (again);
  cairo_surface_destroy (bravo);
  cairo_surface_destroy (reddish);
  cairo_surface_destroy (bigger);
  cairo_surface_destroy (bold);
  cairo_surface_destroy (moved);
}

/* Points on a 6 x 5 lattice, labelled from @words. */
static EsScatterData *
lattice_data (const char * const *words)
{
  float xyz[30 * 3];

  for (guint i = 0; i < 30; i++)
    {
      xyz[3 * i] = (float) (i % 6);
      xyz[3 * i + 1] = (float) (i / 6);
      xyz[3 * i + 2] = 0;
    }

  return es_scatter_data_new_from_coords (xyz, 30, 3, 0, 1, -1, NULL, words);
}

static cairo_surface_t *
render_labels (EsScatterRenderer *renderer,
               EsScatterData     *data,
               gboolean           dark)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 480, 320);
  EsPlotStyle style;
  EsViewport vp;
  double lo[3], hi[3];

  es_plot_style_init (&style, dark);
  style.show_axes = FALSE;
  style.point_size = 3;
  es_viewport_init (&vp, 480, 320, FALSE);
  es_scatter_data_get_bounds (data, lo, hi);
  es_viewport_fit (&vp, lo, hi, 40);
  es_scatter_renderer_render_image (renderer, s, data, &vp, &style, NULL);
  cairo_surface_flush (s);

  return s;
}

static void
test_label_cache_in_renderer (void)
{
  const char *words_a[31], *words_b[31];
  g_autofree char *arena = g_malloc (30 * 2 * 16);
  g_autoptr(EsScatterData) a = NULL;
  g_autoptr(EsScatterData) b = NULL;
  g_autoptr(EsScatterRenderer) warm = es_scatter_renderer_new ();
  g_autoptr(EsScatterRenderer) fresh = es_scatter_renderer_new ();
  cairo_surface_t *img_a, *img_b_warm, *img_b_fresh, *img_b_dark, *img_b_dark_fresh;
  gsize n_labels;

  g_test_summary ("A renderer whose label cache is full of one data set's words draws another data "
                  "set (same points, other words) and another style exactly as a fresh renderer "
                  "does: a stale label would show as a pixel difference");

  for (guint i = 0; i < 30; i++)
    {
      words_a[i] = arena + 32 * i;
      words_b[i] = arena + 32 * i + 16;
      g_snprintf ((char *) words_a[i], 16, "word%u", i);
      g_snprintf ((char *) words_b[i], 16, i % 2 ? "word%u" : "other%u", i);
    }
  words_a[30] = words_b[30] = NULL;
  a = lattice_data (words_a);
  b = lattice_data (words_b);

  img_a = render_labels (warm, a, FALSE);
  es_scatter_renderer_get_labels (warm, &n_labels);
  g_assert_cmpuint (n_labels, >=, 20);
  img_b_warm = render_labels (warm, b, FALSE);
  img_b_fresh = render_labels (fresh, b, FALSE);
  g_assert_cmpint (block_diff (img_b_warm, 0, 0, img_b_fresh, 0, 0, 480, 320), ==, 0);
  /* ... and the words did change the picture. */
  g_assert_cmpint (block_diff (img_a, 0, 0, img_b_fresh, 0, 0, 480, 320), >, 100);

  img_b_dark = render_labels (warm, b, TRUE);
  g_clear_pointer (&fresh, es_scatter_renderer_free);
  fresh = es_scatter_renderer_new ();
  img_b_dark_fresh = render_labels (fresh, b, TRUE);
  g_assert_cmpint (block_diff (img_b_dark, 0, 0, img_b_dark_fresh, 0, 0, 480, 320), ==, 0);

  cairo_surface_destroy (img_a);
  cairo_surface_destroy (img_b_warm);
  cairo_surface_destroy (img_b_fresh);
  cairo_surface_destroy (img_b_dark);
  cairo_surface_destroy (img_b_dark_fresh);
}

/* ---- label candidates by rank near the view ---------------------------------------- */

static void
test_rank_grid_walk (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(EsScatterData) data = clustered_data (rand, 60000, 2);
  g_autoptr(EsRankGrid) grid = es_rank_grid_new (data);
  static const double rects[][4] = {
    { 0.45, 0.45, 0.5, 0.52 }, { 0.0, 0.0, 0.1, 0.1 }, { 0.3, 0.6, 0.31, 0.9 }, { -1, -1, -0.5, -0.5 },
  };

  g_test_summary ("The rank grid hands out every row inside a rectangle, in rank order, and few "
                  "others; it declines a rectangle holding most rows");

  g_assert_false (es_rank_grid_begin (grid, -1, -1, 2, 2, 0.25));
  for (guint k = 0; k < G_N_ELEMENTS (rects); k++)
    {
      const double *r = rects[k];
      gsize row, last = 0, walked = 0, inside = 0, found = 0;
      gboolean first = TRUE;

      g_assert_true (es_rank_grid_begin (grid, r[0], r[1], r[2], r[3], 0.25));
      for (gsize i = 0; i < es_scatter_data_get_n_points (data); i++)
        {
          double x, y;

          if (es_scatter_data_get_point (data, i, &x, &y, NULL) &&
              x >= r[0] && x <= r[2] && y >= r[1] && y <= r[3])
            inside++;
        }
      while (es_rank_grid_next (grid, &row))
        {
          double x, y;

          g_assert_true (first || row > last);
          first = FALSE;
          last = row;
          walked++;
          g_assert_true (es_scatter_data_get_point (data, row, &x, &y, NULL));
          found += x >= r[0] && x <= r[2] && y >= r[1] && y <= r[3];
        }
      g_test_message ("rect %u: %" G_GSIZE_FORMAT " inside, %" G_GSIZE_FORMAT " walked",
                      k, inside, walked);
      g_assert_cmpuint (found, ==, inside);
      g_assert_cmpuint (walked, <, 60000 / 4);
    }
}

static void
test_3d_sliced_growing (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (9);
  g_autoptr(EsScatterData) small = clustered_data (rand, 3000, 3);
  g_autoptr(EsScatterData) large = clustered_data (rand, 60000, 3);
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
  g_assert_cmpint (block_diff (a, 0, 0, b, 0, 0, 400, 300), ==, 0);
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
        worst = block_diff (surface, (int) floor (xs[0]) - box, y0,
                            surface, (int) floor (xs[1]) - box, y0, 2 * box + 1, 2 * box + 6);
        for (int y = 0; y <= 2 * box + 5; y++)
          for (int x = -box; x <= box; x++)
            ink += (pixel_at (surface, (int) floor (xs[0]) + x, y0 + y) & 0xffffff) != 0xffffff;
      }
      g_test_message ("offset %.2f: reach %d px, %d px inked, worst difference %d", frac, box, ink, worst);
      g_assert_cmpint (ink, >=, 20);
      g_assert_cmpint (worst, ==, 0);
      cairo_surface_destroy (surface);
    }
}

/* ---- every path: an opaque background stays opaque --------------------------- */

static void
test_opaque_background_stays_opaque (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(EsScatterData) data = clustered_data (rand, 30000, 3);
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
                guint32 px = pixel_at (surface, x, y);

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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/render/png/opaque", test_png_opaque);
  g_test_add_func ("/render/png/translucent", test_png_translucent);
  g_test_add_func ("/render/png/write-error", test_png_write_error);
  g_test_add_func ("/render/hover/brute-force", test_hover_matches_brute_force);
  g_test_add_func ("/render/3d-sliced/positions", test_3d_sliced_positions);
  g_test_add_func ("/render/3d-sliced/like-per-point", test_3d_sliced_like_per_point);
  g_test_add_func ("/render/3d-sliced/growing", test_3d_sliced_growing);
  g_test_add_func ("/render/3d-sliced/paths-agree", test_3d_splat_paths_agree);
  g_test_add_func ("/render/splat/paths-agree", test_splat_paths_agree);
  g_test_add_func ("/render/splat/threads-identical", test_splat_threads_identical);
  g_test_add_func ("/render/rank-grid/walk", test_rank_grid_walk);
  g_test_add_func ("/render/label-cache/like-cairo", test_label_cache_like_cairo);
  g_test_add_func ("/render/label-cache/keys", test_label_cache_keys);
  g_test_add_func ("/render/label-cache/in-renderer", test_label_cache_in_renderer);
  g_test_add_func ("/render/opaque-background", test_opaque_background_stays_opaque);

  return g_test_run ();
}
