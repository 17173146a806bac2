/* test-render-nonfinite.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The renderer never makes an index out of a non-finite screen coordinate,
 * whatever produced it: a NaN or infinite camera set behind the setters'
 * back, huge coordinates, NaN points.  Every back-end and every label,
 * overlay and hit-test path runs on such frames; the test passes if
 * nothing crashes (the sanitizer build checks the indexes) and the frame
 * is still drawn.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "es-point-index.h"
#include "es-scatter-data.h"
#include "es-scatter-renderer.h"
#include "es-viewport.h"

static EsScatterData *
make_data (gsize  n,
           float  spread,
           char ***words_out)
{
  g_autofree float *xyz = g_new (float, 3 * n);
  char **words = g_new0 (char *, n + 1);
  EsScatterData *data;

  for (gsize i = 0; i < n; i++)
    {
      xyz[3 * i] = spread * (float) ((double) i / n - 0.5);
      xyz[3 * i + 1] = spread * (float) (((i * 7) % n) / (double) n - 0.5);
      xyz[3 * i + 2] = spread * (float) (((i * 13) % n) / (double) n - 0.5);
      words[i] = g_strdup_printf ("w%" G_GSIZE_FORMAT, i);
    }
  /* Non-finite points among them. */
  xyz[3] = NAN;
  xyz[7] = INFINITY;
  xyz[11] = -INFINITY;
  data = es_scatter_data_new_from_coords (xyz, n, 3, 0, 1, 2, NULL, (const char * const *) words);
  *words_out = words;

  return data;
}

static void
draw_everything (EsScatterData    *data,
                 const EsViewport *vp,
                 gsize             n)
{
  g_autoptr(EsScatterRenderer) renderer = es_scatter_renderer_new ();
  cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, vp->width, vp->height);
  cairo_surface_t *vector = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cairo_t *cr;
  EsPlotStyle style;
  EsPlotOverlay overlay;
  guint32 highlighted[] = { 1, 2, 3, 5 };
  double box[4] = { NAN, 0, INFINITY, 50 };
  EsPointIndex *index;

  es_plot_style_init (&style, FALSE);
  style.show_labels = TRUE;
  style.show_axes = TRUE;
  es_plot_overlay_init (&overlay);
  overlay.selected = 1;
  overlay.highlighted = highlighted;
  overlay.n_highlighted = G_N_ELEMENTS (highlighted);
  overlay.analogy[0] = 1;
  overlay.analogy[1] = 2;
  overlay.analogy[2] = 3;
  overlay.analogy[3] = 5;

  for (guint pass = 0; pass < 2; pass++)
    {
      /* Marker per point, then the many-points paths. */
      es_scatter_renderer_set_density_threshold (renderer, pass == 0 ? G_MAXSIZE : 0);
      es_scatter_renderer_render_image (renderer, image, data, vp, &style, &overlay);
      cr = cairo_create (image);
      es_scatter_renderer_draw_interaction (renderer, cr, data, vp, &style, 1, "row 1\nnorm 2", box);
      cairo_destroy (cr);
    }
  cr = cairo_create (vector);
  es_scatter_renderer_draw (renderer, cr, data, vp, &style, &overlay);
  cairo_destroy (cr);

  /* The export path of `render`: fitted to its own size, through es_output. */
  {
    g_autofree char *dir = g_dir_make_tmp ("es-nonfinite-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "plot.png", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(GDir) listing = NULL;
    const char *name;

    g_assert_true (es_scatter_renderer_export (data, vp, &style, &overlay, path,
                                               ES_PLOT_FORMAT_PNG, 200, 120, &error));
    g_assert_no_error (error);
    listing = g_dir_open (dir, 0, NULL);
    while ((name = g_dir_read_name (listing)) != NULL)
      {
        g_autofree char *file = g_build_filename (dir, name, NULL);

        /* Nothing but the plot: no temporary file left behind. */
        g_assert_cmpstr (name, ==, "plot.png");
        g_unlink (file);
      }
    g_rmdir (dir);
  }

  index = es_point_index_new (data, vp);
  es_point_index_lookup (index, NAN, NAN, 5);
  es_point_index_lookup (index, INFINITY, -INFINITY, 5);
  es_point_index_lookup (index, 10, 10, INFINITY);
  es_point_index_lookup (index, 1e300, -1e300, 5);
  es_point_index_lookup (index, 5, 5, 1e300);
  /* A rubber band with huge or NaN corners (fuzz-render's first finding:
   * floor (-6.6e268) made an int).
   */
  g_array_unref (es_point_index_query_rect (index, -6.6e268, 0, 10, 10));
  g_array_unref (es_point_index_query_rect (index, -1e300, -1e300, 1e300, 1e300));
  g_array_unref (es_point_index_query_rect (index, NAN, 0, 10, 10));
  es_point_index_free (index);

  g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (image);
  cairo_surface_destroy (vector);
  (void) n;
}

static void
test_nonfinite_camera (void)
{
  const double angles[][2] = {
    { NAN, 20 }, { 30, NAN }, { INFINITY, 20 }, { -INFINITY, -INFINITY },
    { 1e308, 89 }, { -1e308, -89 }, { 30, 1e308 },
  };
  const double distances[] = { NAN, INFINITY, 0, -1, 1e-300, 1e300 };
  const gsize n = 5000;
  g_auto(GStrv) words = NULL;
  g_autoptr(EsScatterData) data = make_data (n, 2, &words);

  g_test_summary ("A NaN or infinite camera (azimuth, elevation, distance, scale, centre) "
                  "draws an empty or partial frame, never indexes the label grid, splat or "
                  "hit index with INT_MIN");

  for (int three_d = 1; three_d >= 0; three_d--)
    {
      for (guint i = 0; i < G_N_ELEMENTS (angles); i++)
        {
          EsViewport vp;

          double min[3], max[3];

          /* The size `render` draws at by default. */
          es_viewport_init (&vp, 1600, 1000, three_d);
          es_scatter_data_get_bounds (data, min, max);
          es_viewport_fit (&vp, min, max, 10);
          /* Behind the setter's back: the projection itself must cope. */
          vp.azimuth = angles[i][0];
          vp.elevation = angles[i][1];
          draw_everything (data, &vp, n);
          /* And through it: the camera stays finite. */
          es_viewport_init (&vp, 320, 200, three_d);
          es_viewport_set_angles (&vp, angles[i][0], angles[i][1]);
          g_assert_true (isfinite (vp.azimuth) && isfinite (vp.elevation));
          g_assert_cmpfloat (vp.elevation, >=, -90);
          g_assert_cmpfloat (vp.elevation, <=, 90);
        }
      for (guint i = 0; i < G_N_ELEMENTS (distances); i++)
        {
          EsViewport vp;

          es_viewport_init (&vp, 320, 200, three_d);
          vp.distance = distances[i];
          vp.scale = distances[i];
          vp.center_x = distances[i];
          draw_everything (data, &vp, n);
        }
    }
}

static void
test_huge_coordinates (void)
{
  const float spreads[] = { 3.4e38f, 1e30f, 1e-30f };

  g_test_summary ("Coordinates near ±3.4e38 (a file of huge values, a diverged layout) "
                  "render without a non-finite index");

  for (guint s = 0; s < G_N_ELEMENTS (spreads); s++)
    for (guint three_d = 0; three_d < 2; three_d++)
      {
        g_auto(GStrv) words = NULL;
        g_autoptr(EsScatterData) data = make_data (300, spreads[s], &words);
        EsViewport vp;
        double min[3], max[3];

        es_viewport_init (&vp, 256, 256, three_d);
        es_scatter_data_get_bounds (data, min, max);
        es_viewport_fit (&vp, min, max, 10);
        draw_everything (data, &vp, 300);
        es_viewport_zoom_at (&vp, 1e300, 5, 5);
        draw_everything (data, &vp, 300);
      }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/render/nonfinite/camera", test_nonfinite_camera);
  g_test_add_func ("/render/nonfinite/huge-coordinates", test_huge_coordinates);

  return g_test_run ();
}
