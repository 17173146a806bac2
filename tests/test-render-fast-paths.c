/* test-render-fast-paths.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The speed paths of the plot: the libpng encoder, the hover grid.
 * Each is checked against an independent way of getting the same answer
 * (Cairo's PNG decoder, a brute-force nearest-point scan).
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "es-png-writer.h"
#include "es-point-index.h"
#include "es-scatter-data.h"
#include "es-scatter-renderer.h"
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

  return g_test_run ();
}
