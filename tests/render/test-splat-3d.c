/* test-splat-3d.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The 3D splat of many points cuts the frame into row parts, each drawn
 * with the points that can reach its rows, by one thread or two.  Checked
 * by identities: two threads draw the pixels one does, and (with the
 * early skip at opaque centres off, the only step that looks beyond a
 * marker's own pixels) a cut frame is the uncut one.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "es-scatter-data.h"
#include "es-scatter-renderer.h"
#include "es-splat-2d-private.h"
#include "es-splat-3d-private.h"
#include "es-viewport.h"

/* Gaussian clusters over a uniform haze, a few exact duplicates; @flat
 * puts every point on the plane y = 0.5 (one row of the frame seen
 * edge-on).
 */
static EsScatterData *
cloud (GRand    *rand,
       gsize     n,
       gboolean  flat)
{
  g_autofree float *xyz = g_new (float, 3 * n);
  g_autofree guint *categories = g_new (guint, n);
  const char *names[] = { "a", "b", "c", "d", "e" };
  EsScatterData *data;

  for (gsize i = 0; i < n; i++)
    {
      double centre[3] = { (i % 5) * 0.4 - 0.8, (i % 3) * 0.5 - 0.5, (i % 2) * 0.6 - 0.3 };
      gboolean haze = i % 4 == 0;

      for (guint d = 0; d < 3; d++)
        {
          double g = sqrt (-2 * log (g_rand_double_range (rand, 1e-12, 1))) *
                     cos (2 * G_PI * g_rand_double (rand));

          xyz[3 * i + d] = haze ? (float) g_rand_double_range (rand, -1.2, 1.2)
                                : (float) (centre[d] + 0.08 * g);
        }
      if (flat)
        xyz[3 * i + 1] = 0;
      if (i % 97 == 1)
        memcpy (xyz + 3 * i, xyz + 3 * (i - 1), 3 * sizeof (float));
      categories[i] = i % 50 == 7 ? G_MAXUINT : (guint) ((i * 7 + i / 3) % G_N_ELEMENTS (names));
    }
  /* Bounds that keep the flat cloud flat (y spans a unit around 0). */
  if (flat)
    {
      xyz[1] = -0.5f;
      xyz[4] = 0.5f;
    }
  data = es_scatter_data_new_from_coords (xyz, n, 3, 0, 1, 2, NULL, NULL);
  es_scatter_data_set_categories (data, categories, names, G_N_ELEMENTS (names));

  return data;
}

typedef struct
{
  EsSplatThreads threads;
  int            parts;        /* 0: the default cut */
  gboolean       early_skip;
  gboolean       scalar;       /* no AVX2 */
} Setup;

/* Renders twice with one renderer (the second frame reuses its buffers
 * and thread); says whether the second thread exists afterwards.
 */
static cairo_surface_t *
render (EsScatterData     *data,
        const EsViewport  *vp,
        const EsPlotStyle *style,
        const Setup       *setup,
        gboolean          *threaded)
{
  g_autoptr(EsScatterRenderer) renderer = es_scatter_renderer_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, vp->width, vp->height);

  es_scatter_renderer_set_density_threshold (renderer, 0);
  _es_scatter_renderer_set_splat_threads (renderer, setup->threads);
  _es_scatter_renderer_set_splat_3d_test (renderer, setup->parts, setup->early_skip, !setup->scalar);
  es_scatter_renderer_render_image (renderer, surface, data, vp, style, NULL);
  es_scatter_renderer_render_image (renderer, surface, data, vp, style, NULL);
  cairo_surface_flush (surface);
  if (threaded != NULL)
    *threaded = renderer->splat_worker != NULL;

  return surface;
}

/* Pixels that differ, and (into @inked) those not of the background. */
static guint
count_differ (cairo_surface_t *a,
              cairo_surface_t *b,
              guint32          background,
              guint           *inked,
              int             *max_channel)
{
  int w = cairo_image_surface_get_width (a), h = cairo_image_surface_get_height (a);
  int stride = cairo_image_surface_get_stride (a);
  const guint8 *pa = cairo_image_surface_get_data (a), *pb = cairo_image_surface_get_data (b);
  guint differ = 0;

  *inked = 0;
  *max_channel = 0;
  for (int y = 0; y < h; y++)
    {
      const guint32 *ra = (const guint32 *) (gconstpointer) (pa + (gsize) y * stride);
      const guint32 *rb = (const guint32 *) (gconstpointer) (pb + (gsize) y * stride);

      for (int x = 0; x < w; x++)
        {
          differ += ra[x] != rb[x];
          *inked += ra[x] != background;
          for (int shift = 0; shift < 32; shift += 8)
            *max_channel = MAX (*max_channel, ABS ((int) ((ra[x] >> shift) & 0xff) -
                                                   (int) ((rb[x] >> shift) & 0xff)));
        }
    }

  return differ;
}

typedef enum
{
  CAMERA_FIT,
  CAMERA_INSIDE,    /* the camera in the cloud: many points behind it */
  CAMERA_ASIDE,     /* the cloud half off the frame */
  CAMERA_EDGE_ON,   /* a flat cloud seen edge-on: all on a few rows */
  CAMERA_CLOSE,     /* zoomed in: big near markers */
} Camera;

typedef struct
{
  int    width;
  int    height;
  double point_size;
  double opacity;
  Camera camera;
} Case;

static const Case cases[] = {
  { 1920, 1080, 4, 0.7, CAMERA_FIT },
  { 640, 357, 6, 1.0, CAMERA_FIT },
  { 333, 97, 9, 0.2, CAMERA_FIT },
  { 1000, 1000, 1.5, 0.35, CAMERA_FIT },
  { 800, 600, 23, 0.5, CAMERA_FIT },
  { 640, 480, 4, 0.8, CAMERA_INSIDE },
  { 640, 480, 6, 0.6, CAMERA_ASIDE },
  { 640, 481, 5, 0.9, CAMERA_EDGE_ON },
  { 500, 300, 3, 1.0, CAMERA_CLOSE },
  { 300, 1, 7, 0.7, CAMERA_FIT },
  { 301, 2, 23, 1.0, CAMERA_FIT },
  { 9, 17, 2, 0.5, CAMERA_FIT },
};

static void
set_camera (EsViewport    *vp,
            EsScatterData *data,
            const Case    *c)
{
  double lo[3], hi[3];

  es_viewport_init (vp, c->width, c->height, TRUE);
  es_scatter_data_get_bounds (data, lo, hi);
  es_viewport_fit (vp, lo, hi, 10);
  es_viewport_set_angles (vp, 35, 20);
  switch (c->camera)
    {
    case CAMERA_FIT:
      break;
    case CAMERA_INSIDE:
      vp->distance = vp->fit_distance * 0.15;
      break;
    case CAMERA_ASIDE:
      es_viewport_set_angles (vp, 80, -30);
      vp->target[0] += 0.45;
      vp->target[1] -= 0.3;
      break;
    case CAMERA_EDGE_ON:
      es_viewport_set_angles (vp, 20, 0);
      break;
    case CAMERA_CLOSE:
      es_viewport_zoom_at (vp, 4, c->width / 2.0, c->height / 2.0);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Enough ink that the frame shows the cloud: a row's worth edge-on. */
static guint
min_inked (const Case *c)
{
  return c->camera == CAMERA_EDGE_ON ? (guint) c->width : (guint) c->width * c->height / 50;
}

static void
style_for (EsPlotStyle *style,
           const Case  *c)
{
  es_plot_style_init (style, FALSE);
  style->show_axes = FALSE;
  style->show_labels = FALSE;
  style->show_legend = FALSE;
  style->show_category_names = FALSE;
  style->opacity = c->opacity;
  style->point_size = c->point_size;
}

static void
test_threads_identical (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(EsScatterData) data = cloud (rand, 150000, FALSE);
  g_autoptr(EsScatterData) flat = cloud (rand, 60000, TRUE);

  g_test_summary ("3D frames of many points are byte-identical drawn by one thread or two: "
                  "1920x1080 to 1-row frames, markers 1.5-23 px, opacity 0.2-1, the camera "
                  "fitted, inside the cloud, aside, edge-on to a flat cloud, zoomed in; with the "
                  "default cut (2 parts) and with 3 and 4 parts");

  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    for (int parts = 0; parts <= 4; parts += parts == 0 ? 3 : 1)
      {
        const Case *c = &cases[k];
        EsScatterData *d = c->camera == CAMERA_EDGE_ON ? flat : data;
        Setup one = { ES_SPLAT_THREADS_ONE, parts, TRUE };
        Setup two = { ES_SPLAT_THREADS_TWO, parts, TRUE };
        EsPlotStyle style;
        EsViewport vp;
        cairo_surface_t *a, *b;
        gboolean threaded_one, threaded_two;
        guint differ, inked;
        int max_channel;

        style_for (&style, c);
        set_camera (&vp, d, c);
        a = render (d, &vp, &style, &one, &threaded_one);
        b = render (d, &vp, &style, &two, &threaded_two);
        differ = count_differ (a, b, 0xffffffff, &inked, &max_channel);
        g_test_message ("%dx%d, %g px, opacity %g, camera %d, %d parts: %u px inked, %u differ",
                        c->width, c->height, c->point_size, c->opacity, c->camera, parts,
                        inked, differ);
        g_assert_false (threaded_one);
        g_assert_true (threaded_two);
        g_assert_cmpuint (inked, >, min_inked (c));
        g_assert_cmpuint (differ, ==, 0);
        cairo_surface_destroy (a);
        cairo_surface_destroy (b);
      }
}

static void
test_cut_invisible (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (12);
  g_autoptr(EsScatterData) data = cloud (rand, 150000, FALSE);
  g_autoptr(EsScatterData) flat = cloud (rand, 60000, TRUE);

  g_test_summary ("Without the early skip, 3D frames of many points cut into the default 2, or "
                  "3 or 4 row parts (one thread or two) are byte-identical to the uncut frame: "
                  "every marker reaching a part's rows is drawn there, clipped to them; with the "
                  "skip, the cut frame differs from the exact one in at most 2 % more pixels "
                  "than the uncut frame");

  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      const Case *c = &cases[k];
      EsScatterData *d = c->camera == CAMERA_EDGE_ON ? flat : data;
      Setup uncut = { ES_SPLAT_THREADS_ONE, 1, FALSE };
      Setup uncut_skip = { ES_SPLAT_THREADS_ONE, 1, TRUE };
      Setup cut_skip = { ES_SPLAT_THREADS_TWO, 0, TRUE };
      Setup cuts[] = {
        { ES_SPLAT_THREADS_ONE, 0, FALSE },
        { ES_SPLAT_THREADS_TWO, 0, FALSE },
        { ES_SPLAT_THREADS_TWO, 4, FALSE },
        { ES_SPLAT_THREADS_ONE, 3, FALSE },
      };
      EsPlotStyle style;
      EsViewport vp;
      cairo_surface_t *ref, *a, *b;
      guint differ, inked;
      int max_channel;

      style_for (&style, c);
      set_camera (&vp, d, c);
      ref = render (d, &vp, &style, &uncut, NULL);
      for (guint s = 0; s < G_N_ELEMENTS (cuts); s++)
        {
          cairo_surface_t *cut = render (d, &vp, &style, &cuts[s], NULL);

          differ = count_differ (ref, cut, 0xffffffff, &inked, &max_channel);
          g_test_message ("%dx%d, %g px, opacity %g, camera %d, %d parts, %d threads, no skip: "
                          "%u px inked, %u differ (by up to %d)", c->width, c->height,
                          c->point_size, c->opacity, c->camera, cuts[s].parts,
                          cuts[s].threads == ES_SPLAT_THREADS_TWO ? 2 : 1, inked, differ,
                          max_channel);
          g_assert_cmpuint (inked, >, min_inked (c));
          g_assert_cmpuint (differ, ==, 0);
          cairo_surface_destroy (cut);
        }

      /* With the skip, a part skips only markers with their centre on
       * its rows; the others draw their rows of them, under what is
       * there.  Near the cuts some marker edges the skip would have lost
       * stay: the picture is about as far from the exact one as the
       * uncut frame (which the skip already leaves in many pixels).
       */
      {
        guint from_exact_uncut, from_exact_cut, inked_skip;

        a = render (d, &vp, &style, &uncut_skip, NULL);
        b = render (d, &vp, &style, &cut_skip, NULL);
        differ = count_differ (a, b, 0xffffffff, &inked_skip, &max_channel);
        from_exact_uncut = count_differ (ref, a, 0xffffffff, &inked, &max_channel);
        from_exact_cut = count_differ (ref, b, 0xffffffff, &inked, &max_channel);
        g_test_message ("  with the skip: %u of %u inked px differ from the uncut frame; %u and "
                        "%u from the exact one, uncut and cut", differ, inked_skip,
                        from_exact_uncut, from_exact_cut);
        g_assert_cmpuint (from_exact_cut, <=, from_exact_uncut + from_exact_uncut / 50);
        cairo_surface_destroy (a);
        cairo_surface_destroy (b);
      }
      cairo_surface_destroy (ref);
    }
}

static void
test_scalar_like_vector (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (15);
  g_autoptr(EsScatterData) data = cloud (rand, 100001, FALSE);
  g_autoptr(EsScatterData) flat = cloud (rand, 30003, TRUE);

  g_test_summary ("3D frames of many points are byte-identical with the AVX2 projection and splat "
                  "or the scalar ones (where the CPU has AVX2; else both are scalar)");

  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      const Case *c = &cases[k];
      EsScatterData *d = c->camera == CAMERA_EDGE_ON ? flat : data;
      Setup vector = { ES_SPLAT_THREADS_TWO, 0, TRUE, FALSE };
      Setup scalar = { ES_SPLAT_THREADS_ONE, 0, TRUE, TRUE };
      EsPlotStyle style;
      EsViewport vp;
      cairo_surface_t *a, *b;
      guint differ, inked;
      int max_channel;

      style_for (&style, c);
      set_camera (&vp, d, c);
      a = render (d, &vp, &style, &vector, NULL);
      b = render (d, &vp, &style, &scalar, NULL);
      differ = count_differ (a, b, 0xffffffff, &inked, &max_channel);
      g_test_message ("%dx%d, camera %d: %u px inked, %u differ", c->width, c->height, c->camera,
                      inked, differ);
      g_assert_cmpuint (inked, >, min_inked (c));
      g_assert_cmpuint (differ, ==, 0);
      cairo_surface_destroy (a);
      cairo_surface_destroy (b);
    }
}

static void
test_reused (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (14);
  g_autoptr(EsScatterData) data = cloud (rand, 80000, FALSE);
  g_autoptr(EsScatterData) flat = cloud (rand, 30000, TRUE);
  g_autoptr(EsScatterRenderer) reused = es_scatter_renderer_new ();

  g_test_summary ("One renderer drawing 3D frames of many points of changing sizes, cameras and "
                  "markers, on two threads, draws each as a fresh renderer does (its layer and "
                  "lists are left clear and regrown)");

  es_scatter_renderer_set_density_threshold (reused, 0);
  _es_scatter_renderer_set_splat_threads (reused, ES_SPLAT_THREADS_TWO);
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      const Case *c = &cases[(k * 5) % G_N_ELEMENTS (cases)];
      EsScatterData *d = c->camera == CAMERA_EDGE_ON ? flat : data;
      Setup fresh = { ES_SPLAT_THREADS_ONE, 0, TRUE };
      EsPlotStyle style;
      EsViewport vp;
      cairo_surface_t *a, *b;
      guint differ, inked;
      int max_channel;

      style_for (&style, c);
      set_camera (&vp, d, c);
      a = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, vp.width, vp.height);
      es_scatter_renderer_render_image (reused, a, d, &vp, &style, NULL);
      cairo_surface_flush (a);
      b = render (d, &vp, &style, &fresh, NULL);
      differ = count_differ (a, b, 0xffffffff, &inked, &max_channel);
      g_test_message ("%dx%d, camera %d: %u px inked, %u differ", c->width, c->height, c->camera,
                      inked, differ);
      g_assert_cmpuint (differ, ==, 0);
      cairo_surface_destroy (a);
      cairo_surface_destroy (b);
    }
}

static void
test_auto_threads (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (13);
  g_autoptr(EsScatterData) few = cloud (rand, 3000, FALSE);
  g_autoptr(EsScatterData) many = cloud (rand, 60000, FALSE);
  Setup automatic = { ES_SPLAT_THREADS_AUTO, 0, TRUE };
  Case c = { 640, 480, 4, 0.7, CAMERA_FIT };
  EsPlotStyle style;
  EsViewport vp;
  cairo_surface_t *s;
  gboolean threaded;

  g_test_summary ("Left to itself, the 3D splat of many points starts the second thread for 60k "
                  "points, not for 3k");

  style_for (&style, &c);
  set_camera (&vp, few, &c);
  s = render (few, &vp, &style, &automatic, &threaded);
  g_assert_false (threaded);
  cairo_surface_destroy (s);
  set_camera (&vp, many, &c);
  s = render (many, &vp, &style, &automatic, &threaded);
  g_assert_true (threaded);
  cairo_surface_destroy (s);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/render/splat-3d/threads-identical", test_threads_identical);
  g_test_add_func ("/render/splat-3d/cut-invisible", test_cut_invisible);
  g_test_add_func ("/render/splat-3d/scalar-like-vector", test_scalar_like_vector);
  g_test_add_func ("/render/splat-3d/reused", test_reused);
  g_test_add_func ("/render/splat-3d/auto-threads", test_auto_threads);

  return g_test_run ();
}
