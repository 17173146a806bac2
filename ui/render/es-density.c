/* es-density.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-density"

#include "config.h"

#include "es-density-private.h"

#include "es-plot-palette-private.h"

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

/* What a count becomes on screen, per colour key. */
typedef struct
{
  guint8   alpha_of[256];       /* by count (capped at 255) */
  guint32  on_background[256];  /* key 0 over the background, by count */
  guint32 *opaque;              /* per key; the last one for rows without */
  guint32 *key_on_background;   /* per key and count, or NULL (many keys) */
  guint32  background;
} DensityColors;

static void
density_colors_init (DensityColors     *self,
                     EsScatterData     *data,
                     const EsPlotStyle *style,
                     guint              n_keys,
                     gboolean           colored)
{
  double a = CLAMP (style->opacity, 0.0, 1.0);

  self->background = _es_plot_pack_premultiplied (style->background, style->background[3]);
  for (guint c = 0; c < 256; c++)
    self->alpha_of[c] = (guint8) CLAMP ((1 - pow (1 - a, c)) * 255 + 0.5, 0, 255);
  self->opaque = g_new (guint32, n_keys + 1);
  for (guint k = 0; k <= n_keys; k++)
    {
      double rgb[3];

      _es_plot_key_color (data, style, k < n_keys ? (guint16) k : ES_PLOT_KEY_NONE, rgb);
      self->opaque[k] = _es_plot_pack_premultiplied (rgb, 1.0);
    }
  /* Few colours: the same for every colour key (1 KiB each). */
  self->key_on_background = NULL;
  if (colored && n_keys + 1 <= MAX_KEY_TABLES)
    {
      self->key_on_background = g_new (guint32, (gsize) (n_keys + 1) * 256);
      for (guint k = 0; k <= n_keys; k++)
        for (guint c = 0; c < 256; c++)
          {
            guint32 al = self->alpha_of[c];

            self->key_on_background[k * 256 + c] =
              _es_pixel_over (_es_pixel_scale (self->opaque[k], al + (al >> 7)), self->background);
          }
    }
  /* One colour: most pixels are plain background, so their blend by
   * count is a lookup.
   */
  for (guint c = 0; c < 256; c++)
    {
      guint32 al = self->alpha_of[c];

      self->on_background[c] = _es_pixel_over (_es_pixel_scale (self->opaque[0], al + (al >> 7)),
                                               self->background);
    }
}

static void
density_colors_clear (DensityColors *self)
{
  g_clear_pointer (&self->opaque, g_free);
  g_clear_pointer (&self->key_on_background, g_free);
}

/* Key @key's colour at count @c over whatever @dst holds. */
static inline guint32
density_blend (const DensityColors *colors,
               guint32              key,
               guint32              c,
               guint32              dst)
{
  guint32 al = colors->alpha_of[MIN (c, 255)];

  return _es_pixel_over (_es_pixel_scale (colors->opaque[key], al + (al >> 7)), dst);
}

/* Points per pixel (capped at 255) and, with colours, the key of the
 * last point on each pixel.
 */
static void
count_points (guint8                *dens,
              guint16               *key_at,
              int                    width,
              int                    height,
              EsScatterData         *data,
              const EsViewTransform *t,
              gboolean               colored,
              guint                  n_keys)
{
  gsize n = es_scatter_data_get_n_visible (data);
  const float *xyz = es_scatter_data_get_sorted_xyz (data);
  const guint16 *keys = es_scatter_data_get_sorted_keys (data);

  memset (dens, 0, (gsize) width * height);
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
}

/* One row's horizontal box sums (counts are capped at 255, so a sum of
 * up to 2R+1 of them fits), without a test per pixel: x adds
 * in[x + radius] while x < width - radius and drops in[x - radius] from
 * x = radius on.
 */
static void
box_row_plain (const guint8 *in,
               guint16      *out,
               int           width,
               int           radius)
{
  int e = MAX (width - radius, 0), b = MIN (radius, width);
  guint32 acc = 0;
  int x = 0;

  for (int i = 0; i < b; i++)
    acc += in[i];
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
}

/* The same with the key of the latest coloured pixel in the box. */
static void
box_row_keyed (const guint8  *in,
               const guint16 *kin,
               guint16       *out,
               guint16       *kout,
               int            width,
               int            radius)
{
  guint32 acc = 0;
  int last = -1;

  for (int x = 0; x < MIN (radius, width); x++)
    {
      acc += in[x];
      if (in[x] != 0)
        last = x;
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
      if (acc != 0)
        {
          /* This pixel's own key if it has one, else the latest in the
           * box; a select, not a branch (which way it goes is
           * unpredictable in a dense cloud).
           */
          int own = -(int) (in[x] != 0);

          kout[x] = kin[(x & own) | (last & ~own)];
        }
      if (x - radius >= 0)
        acc -= in[x - radius];
    }
}

/* One output row of the vertical box: add the row entering the box,
 * colour, drop the row leaving it, in one pass over the row sums.
 */
static void
colour_row_plain (const DensityColors *colors,
                  guint32             *dst,
                  guint32             *rows,
                  const guint16       *in,
                  const guint16       *out,
                  int                  width)
{
  for (int x = 0; x < width; x++)
    {
      guint32 c = rows[x] + in[x];

      rows[x] = c - out[x];
      if (c == 0)
        continue;
      if (dst[x] == colors->background)
        dst[x] = colors->on_background[MIN (c, 255)];
      else
        dst[x] = density_blend (colors, 0, c, dst[x]);
    }
}

/* The same with colours: the row entering the box brings the colour of
 * its latest point, if it has one (@vkey keeps it per column); a pixel
 * with points of its own (@here) keeps its own key (@khere).
 */
static void
colour_row_keyed (const DensityColors *colors,
                  guint32             *dst,
                  guint32             *rows,
                  guint16             *vkey,
                  const guint16       *here,
                  const guint16       *khere,
                  const guint16       *in,
                  const guint16       *kin,
                  const guint16       *out,
                  int                  width)
{
  for (int x = 0; x < width; x++)
    {
      guint32 c = rows[x] + in[x];
      guint32 own, key;

      if (in[x] != 0)
        vkey[x] = kin[x];
      rows[x] = c - out[x];
      if (c == 0)
        continue;
      own = -(guint32) (here[x] != 0);
      key = (khere[x] & own) | (vkey[x] & ~own);
      if (colors->key_on_background != NULL && dst[x] == colors->background)
        dst[x] = colors->key_on_background[key * 256 + MIN (c, 255)];
      else
        dst[x] = density_blend (colors, key, c, dst[x]);
    }
}

static void
ensure_buffers (EsScatterRenderer *self,
                int                width,
                int                height)
{
  gsize n_pixels = (gsize) width * height;

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
}

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
  gboolean colored = es_scatter_data_get_color_mode (data) != ES_SCATTER_COLOR_NONE;
  int radius = (int) ((MAX (style->point_size, 1.0) - 1) / 2 + 0.5);
  g_autofree guint16 *vkey = g_new0 (guint16, width);
  g_autofree guint16 *zeros = g_new0 (guint16, width);
  guint n_keys = _es_plot_n_color_keys (data);
  DensityColors colors;
  guint16 *hsum, *hkey;
  guint32 *rows;

  ensure_buffers (self, width, height);
  hsum = self->hsum;
  hkey = self->hkey;
  rows = self->box_rows;
  density_colors_init (&colors, data, style, n_keys, colored);

  count_points (self->density, self->key_at, width, height, data, t, colored, n_keys);

  for (int y = 0; y < height; y++)
    {
      gsize at = (gsize) y * width;

      if (colored)
        box_row_keyed (self->density + at, self->key_at + at, hsum + at, hkey + at, width, radius);
      else
        box_row_plain (self->density + at, hsum + at, width, radius);
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
      const guint16 *in = y + radius < height ? hsum + (gsize) (y + radius) * width : zeros;
      const guint16 *kin = y + radius < height ? hkey + (gsize) (y + radius) * width : zeros;
      const guint16 *out = y - radius >= 0 ? hsum + (gsize) (y - radius) * width : zeros;

      if (colored)
        colour_row_keyed (&colors, dst, rows, vkey, hsum + (gsize) y * width,
                          hkey + (gsize) y * width, in, kin, out, width);
      else
        colour_row_plain (&colors, dst, rows, in, out, width);
    }

  density_colors_clear (&colors);
}
