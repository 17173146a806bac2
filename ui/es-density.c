/* es-density.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-density"

#include "config.h"

#include "es-density.h"

#include "es-plot-palette.h"

#include <math.h>
#include <string.h>

#define MAX_KEY_TABLES 64   /* colours blended by lookup, 1 KiB each */

/* Big N: count the points per pixel, spread the counts by a (2R+1)^2 box
 * (two running sums, so the cost does not depend on N or the marker
 * size), and map every pixel's count c to alpha 1 - (1 - a)^c: what c
 * overlapping markers would give, at a fixed cost per pixel plus a few
 * nanoseconds per point instead of a sprite per point.  With colours,
 * a pixel takes the colour of the last point that landed on it, or else
 * of the nearest such pixel in the box (spread along with the counts).
 */
void
_es_scatter_renderer_render_points_density (EsScatterRenderer     *self,
                                            guint32               *pixels,
                                            int                    stride_px,
                                            int                    width,
                                            int                    height,
                                            EsScatterData         *data,
                                            const EsViewTransform *t,
                                            const EsPlotStyle     *style)
{
  gsize n = es_scatter_data_get_n_visible (data);
  const float *xyz = es_scatter_data_get_sorted_xyz (data);
  const guint16 *keys = es_scatter_data_get_sorted_keys (data);
  gboolean colored = es_scatter_data_get_color_mode (data) != ES_SCATTER_COLOR_NONE;
  gsize n_pixels = (gsize) width * height;
  int radius = (int) ((MAX (style->point_size, 1.0) - 1) / 2 + 0.5);
  guint8 alpha_of[256];
  double a = CLAMP (style->opacity, 0.0, 1.0);
  g_autofree guint32 *opaque = NULL;
  g_autofree guint16 *vkey = g_new0 (guint16, width);
  g_autofree guint16 *zeros = g_new0 (guint16, width);
  g_autofree guint32 *key_on_background = NULL;
  guint n_keys = _es_plot_n_color_keys (data);
  guint8 *dens;
  guint16 *hsum, *key_at, *hkey;
  guint32 background = _es_plot_pack_premultiplied (style->background, style->background[3]);
  guint32 on_background[256];
  guint32 *rows;

  if (self->density_len < n_pixels)
    {
      g_free (self->density);
      g_free (self->hsum);
      g_free (self->key_at);
      g_free (self->hkey);
      self->density = g_new (guint8, n_pixels);
      self->hsum = g_new (guint16, n_pixels);
      self->key_at = g_new (guint16, n_pixels);
      self->hkey = g_new (guint16, n_pixels);
      self->density_len = n_pixels;
    }
  /* The width can change at the same pixel count. */
  self->box_rows = g_renew (guint32, self->box_rows, width + 1);
  dens = self->density;
  hsum = self->hsum;
  key_at = self->key_at;
  hkey = self->hkey;
  rows = self->box_rows;
  memset (dens, 0, n_pixels);

  for (guint c = 0; c < 256; c++)
    alpha_of[c] = (guint8) CLAMP ((1 - pow (1 - a, c)) * 255 + 0.5, 0, 255);
  /* Opaque colours per key; the last slot for rows without one. */
  opaque = g_new (guint32, n_keys + 1);
  for (guint k = 0; k <= n_keys; k++)
    {
      double rgb[3];

      _es_plot_key_color (data, style, k < n_keys ? (guint16) k : ES_PLOT_KEY_NONE, rgb);
      opaque[k] = _es_plot_pack_premultiplied (rgb, 1.0);
    }
  /* Few colours: the same for every colour key (1 KiB each). */
  if (colored && n_keys + 1 <= MAX_KEY_TABLES)
    {
      key_on_background = g_new (guint32, (gsize) (n_keys + 1) * 256);
      for (guint k = 0; k <= n_keys; k++)
        for (guint c = 0; c < 256; c++)
          {
            guint32 al = alpha_of[c];

            key_on_background[k * 256 + c] =
              _es_pixel_over (_es_pixel_scale (opaque[k], al + (al >> 7)), background);
          }
    }
  /* One colour: most pixels are plain background, so their blend by
   * count is a lookup.
   */
  for (guint c = 0; c < 256; c++)
    {
      guint32 al = alpha_of[c];

      on_background[c] = _es_pixel_over (_es_pixel_scale (opaque[0], al + (al >> 7)), background);
    }

  for (gsize i = 0; i < n; i++)
    {
      double sx = t->ax * xyz[3 * i] + t->bx;
      double sy = t->ay * xyz[3 * i + 1] + t->by;
      gsize at;

      if (!(sx >= 0 && sy >= 0 && sx < width && sy < height))
        continue;
      at = (gsize) sy * width + (gsize) sx;
      if (dens[at] < 255)
        dens[at]++;
      if (colored)
        key_at[at] = MIN (keys[i], n_keys);
    }

  /* Horizontal box sums, row by row (counts are capped at 255, so a sum
   * of up to 2R+1 of them fits), with the latest coloured pixel.
   */
  for (int y = 0; y < height; y++)
    {
      const guint8 *in = dens + (gsize) y * width;
      const guint16 *kin = key_at + (gsize) y * width;
      guint16 *out = hsum + (gsize) y * width;
      guint16 *kout = hkey + (gsize) y * width;
      guint32 acc = 0;
      int last = -1;

      for (int x = 0; x < MIN (radius, width); x++)
        {
          acc += in[x];
          if (in[x] != 0)
            last = x;
        }
      if (!colored)
        {
          /* The same running sum without a test per pixel: x adds
           * in[x + radius] while x < width - radius and drops
           * in[x - radius] from x = radius on.
           */
          int e = MAX (width - radius, 0), b = MIN (radius, width);
          int x = 0;

          for (; x < MIN (b, e); x++)
            {
              acc += in[x + radius];
              out[x] = (guint16) MIN (acc, 65535);
            }
          for (; x < e; x++)
            {
              acc += in[x + radius];
              out[x] = (guint16) MIN (acc, 65535);
              acc -= in[x - radius];
            }
          for (; x < b; x++)
            out[x] = (guint16) MIN (acc, 65535);
          for (; x < width; x++)
            {
              out[x] = (guint16) MIN (acc, 65535);
              acc -= in[x - radius];
            }
          continue;
        }
      for (int x = 0; x < width; x++)
        {
          if (x + radius < width)
            {
              acc += in[x + radius];
              if (in[x + radius] != 0)
                last = x + radius;
            }
          out[x] = (guint16) MIN (acc, 65535);
          if (colored && acc != 0)
            {
              /* This pixel's own key if it has one, else the latest in
               * the box; a select, not a branch (which way it goes is
               * unpredictable in a dense cloud).
               */
              int own = -(int) (in[x] != 0);

              kout[x] = kin[(x & own) | (last & ~own)];
            }
          if (x - radius >= 0)
            acc -= in[x - radius];
        }
    }

  /* Vertical box sums as a running sum of rows, then colour. */
  memset (rows, 0, (width + 1) * sizeof (guint32));
  for (int y = 0; y < MIN (radius, height); y++)
    for (int x = 0; x < width; x++)
      {
        rows[x] += hsum[(gsize) y * width + x];
        if (hsum[(gsize) y * width + x] != 0)
          vkey[x] = hkey[(gsize) y * width + x];
      }
  for (int y = 0; y < height; y++)
    {
      guint32 *dst = pixels + (gsize) y * stride_px;
      const guint16 *here = hsum + (gsize) y * width;
      const guint16 *khere = hkey + (gsize) y * width;
      const guint16 *add = y + radius < height ? hsum + (gsize) (y + radius) * width : NULL;
      const guint16 *kadd = y + radius < height ? hkey + (gsize) (y + radius) * width : NULL;
      const guint16 *sub = y - radius >= 0 ? hsum + (gsize) (y - radius) * width : NULL;

      if (!colored)
        {
          /* Add the row entering the box, colour, drop the row leaving
           * it: one pass over the row sums.
           */
          const guint16 *in = add != NULL ? add : zeros;
          const guint16 *out = sub != NULL ? sub : zeros;

          for (int x = 0; x < width; x++)
            {
              guint32 c = rows[x] + in[x];

              rows[x] = c - out[x];
              if (c == 0)
                continue;
              if (dst[x] == background)
                dst[x] = on_background[MIN (c, 255)];
              else
                {
                  guint32 al = alpha_of[MIN (c, 255)];

                  dst[x] = _es_pixel_over (_es_pixel_scale (opaque[0], al + (al >> 7)), dst[x]);
                }
            }
          continue;
        }
      {
        /* The same one pass with colours: the row entering the box
         * brings the colour of its latest point, if it has one.
         */
        const guint16 *in = add != NULL ? add : zeros;
        const guint16 *kin = kadd != NULL ? kadd : zeros;
        const guint16 *out = sub != NULL ? sub : zeros;

        for (int x = 0; x < width; x++)
          {
            guint32 c = rows[x] + in[x];
            guint32 key;

            if (in[x] != 0)
              vkey[x] = kin[x];
            rows[x] = c - out[x];
            if (c == 0)
              continue;
            {
              guint32 own = -(guint32) (here[x] != 0);

              key = (khere[x] & own) | (vkey[x] & ~own);
            }
            if (key_on_background != NULL && dst[x] == background)
              dst[x] = key_on_background[key * 256 + MIN (c, 255)];
            else
              {
                guint32 al = alpha_of[MIN (c, 255)];

                dst[x] = _es_pixel_over (_es_pixel_scale (opaque[key], al + (al >> 7)), dst[x]);
              }
          }
      }
    }
}
