/* test-density-map.c: the density map: the estimate against a brute-force
 * sum, its identities, marching squares against circles, the levels
 * against the share of points they enclose, and the layer in the raster
 * and vector back-ends.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "es-contour-private.h"
#include "es-density-map-private.h"
#include "es-plot-density-private.h"
#include "es-scatter-renderer.h"

#define W 320
#define H 240

static const double default_levels[] = { 0.25, 0.5, 0.75, 0.9 };

static void
params_init (EsDensityParams *params,
             double           fixed_h)
{
  memset (params, 0, sizeof *params);
  params->bandwidth = 1;
  params->fixed_h = fixed_h;
  params->levels = default_levels;
  params->n_levels = G_N_ELEMENTS (default_levels);
}

/* Two Gaussian clusters and a few stragglers off the surface. */
static float *
two_clusters (GRand *rand,
              gsize  n)
{
  float *xy = g_new (float, 2 * n);

  for (gsize k = 0; k < n; k++)
    {
      double u1 = g_rand_double_range (rand, 1e-12, 1), u2 = g_rand_double (rand);
      double r = sqrt (-2 * log (u1)), a = 2 * G_PI * u2;
      gboolean first = k % 3 != 0;
      double s = first ? 14 : 24;

      xy[2 * k] = (float) ((first ? 100 : 215) + s * r * cos (a));
      xy[2 * k + 1] = (float) ((first ? 80 : 150) + s * r * sin (a));
    }
  /* Far off the surface: out of the grid, out of the sums. */
  xy[0] = -5000;
  xy[2] = 9000;
  return xy;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* numpy.percentile's default (linear) quantile of sorted values. */
static double
quantile (const double *sorted,
          gsize         n,
          double        q)
{
  double at = q * (n - 1);
  gsize i = (gsize) at;

  return i + 1 < n ? sorted[i] + (at - i) * (sorted[i + 1] - sorted[i]) : sorted[n - 1];
}

/* Scott's factor n^(-1/6) times min (sd, IQR / 1.349), computed here
 * from the points on the surface with exact quantiles.
 */
static double
rule_bandwidth (const float *xy,
                gsize        n,
                guint        axis,
                int          extent)
{
  g_autofree double *v = g_new (double, n);
  double sum = 0, sum2 = 0, mean, sd, iqr;
  gsize m = 0;

  for (gsize k = 0; k < n; k++)
    if (xy[2 * k] >= 0 && xy[2 * k] < W && xy[2 * k + 1] >= 0 && xy[2 * k + 1] < H)
      v[m++] = xy[2 * k + axis];
  for (gsize k = 0; k < m; k++)
    sum += v[k];
  mean = sum / m;
  for (gsize k = 0; k < m; k++)
    sum2 += (v[k] - mean) * (v[k] - mean);
  sd = sqrt (sum2 / (m - 1));
  qsort (v, m, sizeof (double), compare_double);
  iqr = quantile (v, m, 0.75) - quantile (v, m, 0.25);
  (void) extent;

  return pow ((double) m, -1.0 / 6) * MIN (sd, iqr / 1.349);
}

static void
test_kde_brute_force (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  gsize n = 600;
  g_autofree float *xy = two_clusters (rand, n);
  EsDensityGrid grid;
  EsDensityParams params;
  double worst = 0, l1 = 0, l1_ref = 0;

  g_test_summary ("The binned and blurred estimate matches the direct sum of Gaussians "
                  "(bandwidths by Scott's rule with the robust spread, recomputed here)");

  _es_density_grid_init (&grid);
  params_init (&params, 0);
  g_assert_true (_es_density_grid_compute_xy (&grid, xy, n, W, H, &params));
  g_assert_cmpuint (grid.n_screen, ==, n - 2);
  g_assert_cmpuint (grid.n_binned, ==, n - 2);

  g_assert_cmpfloat_with_epsilon (grid.hx, rule_bandwidth (xy, n, 0, W), 0.03 * grid.hx);
  g_assert_cmpfloat_with_epsilon (grid.hy, rule_bandwidth (xy, n, 1, H), 0.03 * grid.hy);

  for (int j = 0; j < grid.ny; j++)
    for (int i = 0; i < grid.nx; i++)
      {
        double x = grid.x0 + i * grid.cell, y = grid.y0 + j * grid.cell, ref = 0;

        for (gsize k = 2; k < n; k++)
          {
            double dx = (x - xy[2 * k]) / grid.hx, dy = (y - xy[2 * k + 1]) / grid.hy;

            ref += exp (-0.5 * (dx * dx + dy * dy));
          }
        ref /= 2 * G_PI * grid.hx * grid.hy * (n - 2);
        worst = MAX (worst, fabs (grid.f[(gsize) j * grid.nx + i] - ref));
        l1 += fabs (grid.f[(gsize) j * grid.nx + i] - ref);
        l1_ref += ref;
      }
  g_test_message ("h = (%.2f, %.2f) px, cell %.2f px, max error %.3g of the peak %.3g, L1 %.4f",
                  grid.hx, grid.hy, grid.cell, worst, grid.fmax, l1 / l1_ref);
  g_assert_cmpfloat (worst, <=, 0.02 * grid.fmax);
  g_assert_cmpfloat (l1 / l1_ref, <=, 0.02);

  _es_density_grid_clear (&grid);
}

static void
test_kde_single_point (void)
{
  const float xy[2] = { 160.3f, 120.6f };
  const double h = 12;
  EsDensityGrid grid;
  EsDensityParams params;
  double peak = 1 / (2 * G_PI * h * h), worst = 0;

  g_test_summary ("One point's estimate is the Gaussian of the bandwidth, of mass 1");

  _es_density_grid_init (&grid);
  params_init (&params, h);
  g_assert_true (_es_density_grid_compute_xy (&grid, xy, 1, W, H, &params));
  g_assert_cmpfloat (grid.hx, ==, h);
  g_assert_cmpfloat (grid.hy, ==, h);
  g_assert_cmpfloat_with_epsilon (grid.mass, 1.0, 1e-4);
  for (int j = 0; j < grid.ny; j++)
    for (int i = 0; i < grid.nx; i++)
      {
        double dx = grid.x0 + i * grid.cell - xy[0], dy = grid.y0 + j * grid.cell - xy[1];
        double ref = peak * exp (-0.5 * (dx * dx + dy * dy) / (h * h));

        worst = MAX (worst, fabs (grid.f[(gsize) j * grid.nx + i] - ref));
      }
  /* Linear binning spreads the point over its cell's four nodes. */
  g_assert_cmpfloat (worst, <=, 0.03 * peak);

  _es_density_grid_clear (&grid);
}

static void
test_kde_mass (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autofree float *xy = two_clusters (rand, 3000);
  EsDensityGrid grid;
  EsDensityParams params;

  g_test_summary ("The estimate integrates to 1 over the grid (points well inside), also for "
                  "points on a line (the bandwidths kept within 10:1)");

  _es_density_grid_init (&grid);
  params_init (&params, 0);
  g_assert_true (_es_density_grid_compute_xy (&grid, xy, 3000, W, H, &params));
  g_assert_cmpfloat_with_epsilon (grid.mass, 1.0, 1e-3);

  /* Points on a line: no spread across it, yet a bounded bandwidth. */
  for (gsize k = 0; k < 3000; k++)
    {
      xy[2 * k] = (float) (10 + k * 0.1);
      xy[2 * k + 1] = 120;
    }
  g_assert_true (_es_density_grid_compute_xy (&grid, xy, 3000, W, H, &params));
  g_assert_cmpfloat (grid.hx / grid.hy, <=, 10 + 1e-9);
  g_assert_cmpfloat_with_epsilon (grid.mass, 1.0, 1e-3);

  /* No point on the surface: nothing to draw. */
  xy[0] = -5000;
  g_assert_false (_es_density_grid_compute_xy (&grid, xy, 1, W, H, &params));
  _es_density_grid_clear (&grid);
}

/* The points of one traced path, in grid units, as a polygon. */
static gboolean
inside_paths (const EsContourPath *paths,
              guint                n_paths,
              const float         *pxy,
              double               x,
              double               y)
{
  gboolean inside = FALSE;

  /* Even-odd over every closed path: holes count out. */
  for (guint p = 0; p < n_paths; p++)
    {
      const float *v = pxy + 2 * paths[p].start;
      guint m = paths[p].n;

      if (!paths[p].closed)
        continue;
      for (guint a = 0, b = m - 1; a < m; b = a++)
        if ((v[2 * a + 1] > y) != (v[2 * b + 1] > y) &&
            x < (v[2 * b] - v[2 * a]) * (y - v[2 * a + 1]) / (v[2 * b + 1] - v[2 * a + 1]) + v[2 * a])
          inside = !inside;
    }
  return inside;
}

static void
test_contour_circle (void)
{
  const int nx = 81, ny = 61;
  const double cx = 40.3, cy = 29.8, s = 9, R = 13;
  g_autofree float *f = g_new (float, nx * ny);
  EsContourSet set;
  const EsContourPath *path;
  double level = exp (-0.5 * (R / s) * (R / s)), worst = 0, length = 0;

  g_test_summary ("Marching squares on a radial function: one closed path on the circle of the "
                  "level's radius");

  for (int j = 0; j < ny; j++)
    for (int i = 0; i < nx; i++)
      f[j * nx + i] = (float) exp (-0.5 * ((i - cx) * (i - cx) + (j - cy) * (j - cy)) / (s * s));

  _es_contour_set_init (&set);
  _es_contour_trace (&set, f, nx, ny, level);
  g_assert_cmpuint (set.paths->len, ==, 1);
  path = &g_array_index (set.paths, EsContourPath, 0);
  g_assert_true (path->closed);
  for (guint k = 0; k < path->n; k++)
    {
      const float *p = &g_array_index (set.xy, float, 2 * (path->start + k));
      const float *q = &g_array_index (set.xy, float, 2 * (path->start + (k + 1) % path->n));

      worst = MAX (worst, fabs (hypot (p[0] - cx, p[1] - cy) - R));
      length += hypot (q[0] - p[0], q[1] - p[1]);
    }
  g_test_message ("%u points, worst radius error %.4f, length %.3f (2 pi R = %.3f)",
                  path->n, worst, length, 2 * G_PI * R);
  /* Linear interpolation along the edges of a unit grid. */
  g_assert_cmpfloat (worst, <=, 0.02 * R);
  g_assert_cmpfloat (fabs (length - 2 * G_PI * R), <=, 0.01 * 2 * G_PI * R);

  /* Two bumps: two loops; a level cut by the border: an open path. */
  for (int j = 0; j < ny; j++)
    for (int i = 0; i < nx; i++)
      f[j * nx + i] = (float) (exp (-0.5 * ((i - 20.0) * (i - 20.0) + (j - 30.0) * (j - 30.0)) / 16) +
                               exp (-0.5 * ((i - 60.0) * (i - 60.0) + (j - 30.0) * (j - 30.0)) / 16));
  _es_contour_set_reset (&set);
  _es_contour_trace (&set, f, nx, ny, 0.5);
  g_assert_cmpuint (set.paths->len, ==, 2);
  g_assert_true (g_array_index (set.paths, EsContourPath, 0).closed);
  g_assert_true (g_array_index (set.paths, EsContourPath, 1).closed);

  for (int j = 0; j < ny; j++)
    for (int i = 0; i < nx; i++)
      f[j * nx + i] = (float) i;
  _es_contour_set_reset (&set);
  _es_contour_trace (&set, f, nx, ny, 30.5);
  g_assert_cmpuint (set.paths->len, ==, 1);
  path = &g_array_index (set.paths, EsContourPath, 0);
  g_assert_false (path->closed);
  g_assert_cmpuint (path->n, ==, (guint) ny);

  /* Flat or non-finite: nothing, no crash. */
  _es_contour_set_reset (&set);
  _es_contour_trace (&set, f, nx, ny, NAN);
  _es_contour_trace (&set, f, 1, 1, 0.5);
  g_assert_cmpuint (set.paths->len, ==, 0);
  _es_contour_set_clear (&set);
}

static void
test_levels_enclose_share (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  gsize n = 20000;
  g_autofree float *xy = two_clusters (rand, n);
  EsDensityGrid grid;
  EsDensityParams params;
  EsContourSet set;

  g_test_summary ("The contour for a share p encloses that share of the points (point in "
                  "polygon over the joined paths)");

  _es_density_grid_init (&grid);
  _es_contour_set_init (&set);
  params_init (&params, 0);
  g_assert_true (_es_density_grid_compute_xy (&grid, xy, n, W, H, &params));
  g_assert_cmpuint (grid.n_levels, ==, 4);
  for (guint l = 0; l < grid.n_levels; l++)
    {
      gsize in = 0;

      if (l > 0)
        g_assert_cmpfloat (grid.level[l], <, grid.level[l - 1]);
      _es_contour_set_reset (&set);
      _es_contour_trace (&set, grid.f, grid.nx, grid.ny, grid.level[l]);
      for (gsize k = 2; k < n; k++)
        in += inside_paths ((const EsContourPath *) (gpointer) set.paths->data, set.paths->len,
                            (const float *) (gpointer) set.xy->data,
                            (xy[2 * k] - grid.x0) / grid.cell, (xy[2 * k + 1] - grid.y0) / grid.cell);
      g_test_message ("level %.2f: %u paths, %.4f of the points inside",
                      default_levels[l], set.paths->len, (double) in / (n - 2));
      g_assert_cmpfloat (fabs ((double) in / (n - 2) - default_levels[l]), <=, 0.01);
    }

  /* A Gaussian cloud of sd s: its estimate falls off radially, so the
   * region is a disc, and the one holding the share p of the points
   * (drawn from the cloud, not from the blurred estimate) has the radius
   * s sqrt (-2 ln (1 - p)).
   */
  {
    const double s = 20, h = 8;
    g_autofree float *cloud = g_new (float, 2 * n);

    for (gsize k = 0; k < n; k++)
      {
        double u1 = g_rand_double_range (rand, 1e-12, 1), a = 2 * G_PI * g_rand_double (rand);

        cloud[2 * k] = (float) (160 + s * sqrt (-2 * log (u1)) * cos (a));
        cloud[2 * k + 1] = (float) (120 + s * sqrt (-2 * log (u1)) * sin (a));
      }
    params_init (&params, h);
    g_assert_true (_es_density_grid_compute_xy (&grid, cloud, n, W, H, &params));
    for (guint l = 0; l < grid.n_levels; l++)
      {
        double r = s * sqrt (-2 * log (1 - default_levels[l])), sum = 0;
        const EsContourPath *path;

        _es_contour_set_reset (&set);
        _es_contour_trace (&set, grid.f, grid.nx, grid.ny, grid.level[l]);
        g_assert_cmpuint (set.paths->len, ==, 1);
        path = &g_array_index (set.paths, EsContourPath, 0);
        for (guint k = 0; k < path->n; k++)
          {
            const float *p = &g_array_index (set.xy, float, 2 * (path->start + k));

            sum += hypot (grid.x0 + p[0] * grid.cell - 160, grid.y0 + p[1] * grid.cell - 120);
          }
        g_test_message ("share %.2f: mean radius %.2f, expected %.2f", default_levels[l],
                        sum / path->n, r);
        g_assert_cmpfloat (fabs (sum / path->n - r), <=, 0.03 * r);
      }
  }

  _es_contour_set_clear (&set);
  _es_density_grid_clear (&grid);
}

/* ---- the layer in the renderer ------------------------------------------- */

static EsScatterData *
cluster_data (gsize    n,
              gboolean three_d,
              gboolean half_masked)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  g_autofree float *xy = two_clusters (rand, n + 2);
  g_autofree float *xyz = g_new (float, 3 * n);

  /* Without the two far stragglers: the clusters fill the view. */
  for (gsize k = 0; k < n; k++)
    {
      xyz[3 * k] = xy[2 * k + 4] / 100;
      xyz[3 * k + 1] = xy[2 * k + 5] / 100;
      xyz[3 * k + 2] = (float) g_rand_double (rand);
      if (half_masked && k % 2 == 1)
        xyz[3 * k] = NAN;
    }
  return es_scatter_data_new_from_coords (xyz, n, 3, 0, 1, three_d ? 2 : -1, NULL, NULL);
}

static void
fit_view (EsViewport    *vp,
          EsScatterData *data,
          gboolean       three_d)
{
  double lo[3], hi[3];

  es_viewport_init (vp, W, H, three_d);
  es_scatter_data_get_bounds (data, lo, hi);
  es_viewport_fit (vp, lo, hi, 10);
}

static cairo_surface_t *
render (EsScatterRenderer *renderer,
        EsScatterData     *data,
        const EsViewport  *vp,
        const EsPlotStyle *style)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);

  es_scatter_renderer_render_image (renderer, surface, data, vp, style, NULL);
  return surface;
}

static gsize
count_different (cairo_surface_t *a,
                 cairo_surface_t *b)
{
  const guint8 *pa = cairo_image_surface_get_data (a), *pb = cairo_image_surface_get_data (b);
  int stride = cairo_image_surface_get_stride (a);
  gsize n = 0;

  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++)
      n += memcmp (pa + (gsize) y * stride + 4 * x, pb + (gsize) y * stride + 4 * x, 4) != 0;
  return n;
}

static void
test_layer_raster (gconstpointer user_data)
{
  gsize threshold = GPOINTER_TO_SIZE (user_data);
  g_autoptr(EsScatterData) data = cluster_data (3000, FALSE, FALSE);
  g_autoptr(EsScatterRenderer) renderer = es_scatter_renderer_new ();
  EsPlotStyle style;
  EsViewport vp;
  cairo_surface_t *plain, *dens, *again;
  const EsDensityGrid *grid;
  guint computed;

  g_test_summary ("The map changes the picture, by either point path, and is reused for the "
                  "same view");

  /* Either the sprite path or the per-pixel one draws the points. */
  es_scatter_renderer_set_density_threshold (renderer, threshold);
  es_plot_style_init (&style, FALSE);
  style.show_labels = FALSE;
  fit_view (&vp, data, FALSE);
  plain = render (renderer, data, &vp, &style);
  style.show_density = TRUE;
  dens = render (renderer, data, &vp, &style);
  g_assert_cmpuint (count_different (plain, dens), >, W * H / 10);

  grid = _es_scatter_renderer_get_density_grid (renderer);
  g_assert_nonnull (grid);
  g_assert_cmpuint (grid->n_screen, ==, 3000);

  /* The same view again: the estimate is reused and the picture equal;
   * a pan computes it anew.
   */
  computed = renderer->density_layer->n_computed;
  again = render (renderer, data, &vp, &style);
  g_assert_cmpuint (count_different (dens, again), ==, 0);
  g_assert_cmpuint (renderer->density_layer->n_computed, ==, computed);
  es_viewport_pan (&vp, 5, 0);
  cairo_surface_destroy (again);
  again = render (renderer, data, &vp, &style);
  g_assert_cmpuint (renderer->density_layer->n_computed, ==, computed + 1);

  cairo_surface_destroy (plain);
  cairo_surface_destroy (dens);
  cairo_surface_destroy (again);
}

static void
test_layer_fade (void)
{
  EsViewport vp;

  g_test_summary ("Points fade under the map at the fitted zoom and come back as you zoom in");

  es_viewport_init (&vp, W, H, FALSE);
  vp.fit_scale = vp.scale = 100;
  g_assert_cmpfloat_with_epsilon (_es_plot_density_point_fade (&vp), 0.2, 1e-12);
  vp.scale = 200;
  g_assert_cmpfloat_with_epsilon (_es_plot_density_point_fade (&vp), 0.2 + 0.8 / 3, 1e-12);
  vp.scale = 800;
  g_assert_cmpfloat_with_epsilon (_es_plot_density_point_fade (&vp), 1.0, 1e-12);
  vp.scale = 50;
  g_assert_cmpfloat_with_epsilon (_es_plot_density_point_fade (&vp), 0.2, 1e-12);
  vp.scale = NAN;
  g_assert_cmpfloat_with_epsilon (_es_plot_density_point_fade (&vp), 0.2, 1e-12);
}

static void
test_layer_3d_and_masked (void)
{
  g_autoptr(EsScatterData) data3 = cluster_data (2000, TRUE, FALSE);
  g_autoptr(EsScatterData) half = cluster_data (2000, FALSE, TRUE);
  g_autoptr(EsScatterRenderer) renderer = es_scatter_renderer_new ();
  EsPlotStyle style;
  EsViewport vp;
  cairo_surface_t *plain, *dens;
  const EsDensityGrid *grid;

  g_test_summary ("The map works in a 3D perspective and counts only the shown rows");

  es_plot_style_init (&style, TRUE);
  style.show_labels = FALSE;
  fit_view (&vp, data3, TRUE);
  plain = render (renderer, data3, &vp, &style);
  style.show_density = TRUE;
  dens = render (renderer, data3, &vp, &style);
  grid = _es_scatter_renderer_get_density_grid (renderer);
  g_assert_nonnull (grid);
  g_assert_cmpuint (grid->n_screen, >, 1900);
  g_assert_cmpuint (count_different (plain, dens), >, W * H / 10);
  cairo_surface_destroy (plain);
  cairo_surface_destroy (dens);

  /* Filtered-out (NaN) rows are not in the estimate. */
  fit_view (&vp, half, FALSE);
  dens = render (renderer, half, &vp, &style);
  grid = _es_scatter_renderer_get_density_grid (renderer);
  g_assert_nonnull (grid);
  g_assert_cmpuint (es_scatter_data_get_n_visible (half), ==, 1000);
  g_assert_cmpuint (grid->n_binned, <=, 1000);
  g_assert_cmpuint (grid->n_screen, >=, 990);
  cairo_surface_destroy (dens);

  /* Nothing on the surface: nothing drawn, no crash. */
  vp.center_x += 1000;
  dens = render (renderer, half, &vp, &style);
  g_assert_null (_es_scatter_renderer_get_density_grid (renderer));
  cairo_surface_destroy (dens);
}

static gsize
count_substrings (const char *text,
                  const char *needle)
{
  gsize n = 0;

  for (const char *p = strstr (text, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static void
test_layer_vector (void)
{
  g_autoptr(EsScatterData) data = cluster_data (400, FALSE, FALSE);
  g_autofree char *dir = g_dir_make_tmp ("es-density-XXXXXX", NULL);
  g_autofree char *plain_svg = g_build_filename (dir, "plain.svg", NULL);
  g_autofree char *dens_svg = g_build_filename (dir, "density.svg", NULL);
  g_autofree char *dens_pdf = g_build_filename (dir, "density.pdf", NULL);
  g_autofree char *plain_text = NULL;
  g_autofree char *dens_text = NULL;
  g_autoptr(GError) error = NULL;
  EsPlotStyle style;
  EsViewport vp;
  gsize curves_plain, curves_dens;

  g_test_summary ("SVG and PDF carry the map: an embedded image and vector contour paths");

  es_plot_style_init (&style, FALSE);
  style.show_labels = FALSE;
  fit_view (&vp, data, FALSE);
  g_assert_true (es_scatter_renderer_export (data, &vp, &style, NULL, plain_svg,
                                             ES_PLOT_FORMAT_SVG, W, H, &error));
  g_assert_no_error (error);
  style.show_density = TRUE;
  g_assert_true (es_scatter_renderer_export (data, &vp, &style, NULL, dens_svg,
                                             ES_PLOT_FORMAT_SVG, W, H, &error));
  g_assert_no_error (error);
  g_assert_true (es_scatter_renderer_export (data, &vp, &style, NULL, dens_pdf,
                                             ES_PLOT_FORMAT_PDF, W, H, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (plain_svg, &plain_text, NULL, NULL));
  g_assert_true (g_file_get_contents (dens_svg, &dens_text, NULL, NULL));
  /* Cairo writes curves as " C " in path data; the points are arcs (also
   * curves), so the contours show as many more of them, in stroked
   * paths, and the shading as an image.
   */
  curves_plain = count_substrings (plain_text, " C ");
  curves_dens = count_substrings (dens_text, " C ");
  g_test_message ("curves: %" G_GSIZE_FORMAT " without, %" G_GSIZE_FORMAT " with", curves_plain,
                  curves_dens);
  g_assert_cmpuint (curves_dens, >, curves_plain + 20);
  g_assert_cmpuint (count_substrings (dens_text, "<path"), >, count_substrings (plain_text, "<path"));
  g_assert_nonnull (strstr (dens_text, "<image"));
  g_assert_null (strstr (plain_text, "<image"));
  g_assert_true (g_file_test (dens_pdf, G_FILE_TEST_IS_REGULAR));

  g_unlink (plain_svg);
  g_unlink (dens_svg);
  g_unlink (dens_pdf);
  g_rmdir (dir);
}

static void
test_layer_hostile (void)
{
  const float odd[] = { NAN, 0, 1e30f, -1e30f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 3e-39f, 1, 0, 0 };
  const float same[] = { 0.25f, 0.75f, 0.25f, 0.75f, 0.25f, 0.75f };
  const double scales[] = { 1e-300, 1e-3, 1, 1e6, 1e300, NAN, INFINITY };
  g_autoptr(EsScatterData) data = es_scatter_data_new_from_coords (odd, G_N_ELEMENTS (odd) / 2, 2,
                                                                   0, 1, -1, NULL, NULL);
  g_autoptr(EsScatterData) dup = es_scatter_data_new_from_coords (same, 3, 2, 0, 1, -1, NULL, NULL);
  g_autoptr(EsScatterRenderer) renderer = es_scatter_renderer_new ();
  EsPlotStyle style;

  g_test_summary ("Non-finite, huge and coincident points and absurd cameras draw the map "
                  "without a crash");

  es_plot_style_init (&style, FALSE);
  style.show_density = TRUE;
  style.density_bandwidth = NAN;
  style.n_density_levels = 3;
  style.density_levels[0] = NAN;
  style.density_levels[1] = 2;
  style.density_levels[2] = 0.5;
  for (guint i = 0; i < G_N_ELEMENTS (scales); i++)
    for (guint k = 0; k < 2; k++)
      {
        EsViewport vp;
        cairo_surface_t *surface;

        fit_view (&vp, k == 0 ? data : dup, i % 2 == 1);
        vp.scale = scales[i];
        vp.distance = scales[i];
        surface = render (renderer, k == 0 ? data : dup, &vp, &style);
        cairo_surface_destroy (surface);
      }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/density/kde/brute-force", test_kde_brute_force);
  g_test_add_func ("/density/kde/single-point", test_kde_single_point);
  g_test_add_func ("/density/kde/mass", test_kde_mass);
  g_test_add_func ("/density/contour/circle", test_contour_circle);
  g_test_add_func ("/density/levels/share", test_levels_enclose_share);
  g_test_add_data_func ("/density/layer/raster-sprites", GSIZE_TO_POINTER (G_MAXSIZE), test_layer_raster);
  g_test_add_data_func ("/density/layer/raster-many", GSIZE_TO_POINTER (1), test_layer_raster);
  g_test_add_func ("/density/layer/fade", test_layer_fade);
  g_test_add_func ("/density/layer/3d-masked", test_layer_3d_and_masked);
  g_test_add_func ("/density/layer/vector", test_layer_vector);
  g_test_add_func ("/density/layer/hostile", test_layer_hostile);

  return g_test_run ();
}
