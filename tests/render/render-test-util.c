/* render-test-util.c: data the render tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "render-test-util.h"

#include <math.h>
#include <string.h>

/* Dense clusters, a uniform haze and a few exact duplicates (ties). */
EsScatterData *
render_test_clustered_data (GRand *rand,
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


guint32
render_test_pixel_at (cairo_surface_t *surface,
          int              x,
          int              y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);

  g_assert_true (x >= 0 && y >= 0);
  g_assert_true (x < cairo_image_surface_get_width (surface) && y < cairo_image_surface_get_height (surface));
  return *(const guint32 *) (gconstpointer) (data + (gsize) y * cairo_image_surface_get_stride (surface) + 4 * x);
}

/* Largest channel difference between two w x h blocks. */
int
render_test_block_diff (cairo_surface_t *a,
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
        guint32 pa = render_test_pixel_at (a, ax + x, ay + y), pb = render_test_pixel_at (b, bx + x, by + y);

        for (int shift = 0; shift < 32; shift += 8)
          worst = MAX (worst, ABS ((int) ((pa >> shift) & 0xff) - (int) ((pb >> shift) & 0xff)));
      }

  return worst;
}

