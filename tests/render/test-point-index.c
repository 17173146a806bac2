/* test-point-index.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The hover grid (EsPointIndex) against a brute-force nearest-point scan.
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

/* ---- hover grid ---------------------------------------------------------- */

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
  g_autoptr(EsScatterData) data = render_test_clustered_data (rand, n, three_d ? 3 : 2);
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

/* ---- lasso --------------------------------------------------------------- */

/* An L-shaped (concave) lasso is the union of two rectangles: the rule
 * used here is that union, not the crossing count the index uses.
 */
static void
check_lasso (gboolean three_d)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7 + three_d);
  g_autoptr(EsScatterData) data = render_test_clustered_data (rand, 30000, three_d ? 3 : 2);
  g_autoptr(EsPointIndex) index = NULL;
  g_autoptr(GArray) got = NULL;
  g_autoptr(GArray) want = g_array_new (FALSE, FALSE, sizeof (guint32));
  const float *xyz = es_scatter_data_get_xyz (data);
  /* (40,30)-(200,30)-(200,90)-(120,90)-(120,170)-(40,170), clockwise. */
  const double outline[] = { 40, 30, 200, 30, 200, 90, 120, 90, 120, 170, 40, 170 };
  EsViewTransform t;
  EsViewport vp;
  double lo[3], hi[3];

  es_viewport_init (&vp, 320, 200, three_d);
  es_scatter_data_get_bounds (data, lo, hi);
  es_viewport_fit (&vp, lo, hi, 10);
  es_viewport_get_transform (&vp, &t);
  index = es_point_index_new (data, &vp);
  got = es_point_index_query_polygon (index, outline, G_N_ELEMENTS (outline) / 2);

  for (gsize i = 0; i < es_scatter_data_get_n_points (data); i++)
    {
      double sx, sy, depth;
      float fx, fy;

      if (!es_view_transform_project (&t, xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2], &sx, &sy, &depth) ||
          !(sx >= 0 && sy >= 0 && sx < vp.width && sy < vp.height))
        continue;
      fx = (float) sx;
      fy = (float) sy;
      if ((fx > 40 && fx < 200 && fy > 30 && fy < 90) || (fx > 40 && fx < 120 && fy > 30 && fy < 170))
        g_array_append_val (want, (guint32) { (guint32) i });
    }

  g_assert_cmpuint (want->len, >, 500);
  g_assert_cmpuint (got->len, ==, want->len);
  /* Both in row order. */
  for (guint i = 0; i < want->len; i++)
    g_assert_cmpuint (g_array_index (got, guint32, i), ==, g_array_index (want, guint32, i));

  /* Fewer than three vertices select nothing. */
  g_clear_pointer (&got, g_array_unref);
  got = es_point_index_query_polygon (index, outline, 2);
  g_assert_cmpuint (got->len, ==, 0);
}

static void
test_lasso_matches_shape (void)
{
  g_test_summary ("A concave lasso selects exactly the points inside it (union of two rectangles), "
                  "in 2D and by projected position in 3D");
  check_lasso (FALSE);
  check_lasso (TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/render/hover/brute-force", test_hover_matches_brute_force);
  g_test_add_func ("/render/lasso/shape", test_lasso_matches_shape);

  return g_test_run ();
}
