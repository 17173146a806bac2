/* es-splat-3d.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-splat-3d"

#include "config.h"

#include "es-splat-3d-private.h"

#include "es-plot-palette-private.h"

#include <math.h>
#include <string.h>

/* _es_sprite_splat () with a depth test: a pixel takes the point only if
 * nothing nearer covers it yet, so points need no per-frame depth sort.
 */
static inline void
splat_depth (guint32        *pixels,
             float          *zbuf,
             int             stride_px,
             int             width,
             int             height,
             const EsSprite *s,
             double          sx,
             double          sy,
             float           depth,
             guint32         color)
{
  EsSpritePlace pl = _es_sprite_place (s, sx, sy, width, height);

  for (int j = pl.j0; j < pl.j1; j++)
    {
      guint32 *row = pixels + (gsize) (pl.y0 + j) * stride_px + pl.x0;
      float *zrow = zbuf + (gsize) (pl.y0 + j) * width + pl.x0;
      int a0, a1;
      const guint8 *c = _es_sprite_row (s, &pl, j, &a0, &a1);

      /* Within a span every coverage is non-zero (a disc's rows are
       * contiguous); the depth test is a select, not a branch: which
       * way it goes is unpredictable in a dense cloud.
       */
      for (int i = a0; i < a1; i++)
        {
          guint32 a = c[i];
          guint32 old = row[i];
          float z = zrow[i];
          guint32 blended = _es_pixel_over (_es_pixel_scale (color, a + (a >> 7)), old);
          gboolean hidden = z < depth;

          row[i] = hidden ? old : blended;
          /* Only the solid core hides what is behind it; edges blend. */
          zrow[i] = hidden || a <= 160 ? z : depth;
        }
    }
}

/* Mixes a premultiplied colour towards the (opaque) background by f/256,
 * keeping its alpha: the depth cue of 3D.
 */
static guint32
fog_pixel (guint32 c,
           guint32 background,
           guint32 f)
{
  guint32 a = c >> 24;
  guint32 bg = _es_pixel_scale (background, a + (a >> 7));

  return (_es_pixel_scale (c, 256 - f) + _es_pixel_scale (bg, f)) | (a << 24);
}

/* One 3D marker: projected, sized by perspective, depth-tested at its
 * centre first (most hidden points of a dense cloud end there), then
 * splatted with a depth test per pixel.
 */
static inline void
draw_point_3d (EsScatterRenderer     *self,
               guint32               *pixels,
               int                    stride_px,
               int                    width,
               int                    height,
               const EsViewTransform *t,
               const EsViewport      *vp,
               const float           *p,
               guint16                key,
               double                 diameter,
               double                 near,
               double                 far,
               const guint32         *fog,
               guint                  n_keys)
{
  double sx, sy, depth;
  int level, cx, cy;
  const EsSprite *s;

  if (!project_3d (t, p, &sx, &sy, &depth))
    return;
  s = _es_scatter_renderer_sprite_for (self, diameter * _es_plot_depth_size_factor (vp, depth));
  if (!(sx >= -s->radius - 1 && sy >= -s->radius - 1 &&
        sx < width + s->radius + 1 && sy < height + s->radius + 1))
    return;
  cx = (int) sx;
  cy = (int) sy;
  if (sx >= 0 && sy >= 0 && cx < width && cy < height &&
      self->zbuf[(gsize) cy * width + cx] < depth)
    return;
  level = _es_plot_depth_slot (depth, near, far, ES_PLOT_FOG_LEVELS);
  splat_depth (pixels, self->zbuf, stride_px, width, height, s, sx, sy, (float) depth,
               fog[level * (n_keys + 1) + MIN (key, n_keys)]);
}

void
_es_scatter_renderer_render_points_3d (EsScatterRenderer *self,
                                       cairo_surface_t   *image,
                                       EsScatterData     *data,
                                       const EsViewport  *vp,
                                       const EsPlotStyle *style)
{
  guint32 *pixels = (guint32 *) cairo_image_surface_get_data (image);
  int stride_px = cairo_image_surface_get_stride (image) / 4;
  int width = cairo_image_surface_get_width (image);
  int height = cairo_image_surface_get_height (image);
  gsize n = es_scatter_data_get_n_visible (data);
  const float *xyz = es_scatter_data_get_sorted_xyz (data);
  const guint16 *keys = es_scatter_data_get_sorted_keys (data);
  g_autofree guint32 *lut = NULL;
  guint32 missing;
  guint n_keys;
  EsViewTransform t;
  double diameter = MAX (style->point_size, 0.5);

  lut = _es_plot_build_lut (data, style, &n_keys, &missing);
  es_viewport_get_transform (vp, &t);

  guint32 background = _es_plot_pack_premultiplied (style->background, 1.0);
  g_autofree guint32 *fog = g_new (guint32, (gsize) (n_keys + 1) * ES_PLOT_FOG_LEVELS);
  double near, far;
  gsize n_pixels = (gsize) width * height;

  _es_plot_depth_range (data, vp, &near, &far);

  for (guint level = 0; level < ES_PLOT_FOG_LEVELS; level++)
    {
      guint32 f = level * 150 / (ES_PLOT_FOG_LEVELS - 1);

      for (guint k = 0; k <= n_keys; k++)
        fog[level * (n_keys + 1) + k] = fog_pixel (k < n_keys ? lut[k] : missing, background, f);
    }

  if (n < self->density_threshold)
    {
      if (self->zbuf_len < n_pixels)
        {
          g_free (self->zbuf);
          self->zbuf = g_new (float, n_pixels);
          self->zbuf_len = n_pixels;
        }
      for (gsize p = 0; p < n_pixels; p++)
        self->zbuf[p] = INFINITY;
      for (gsize i = 0; i < n; i++)
        draw_point_3d (self, pixels, stride_px, width, height, &t, vp, xyz + 3 * i, keys[i],
                       diameter, near, far, fog, n_keys);
    }
  else
    _es_splat_3d_render_many (self, pixels, stride_px, width, height, data, vp, &t, diameter,
                              near, far, fog, n_keys);
}
