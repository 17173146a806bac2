/* es-splat-3d.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-splat-3d"

#include "config.h"

#include "es-splat-3d.h"

#include "es-plot-palette.h"

#include <math.h>
#include <string.h>
#ifdef __SSE2__
#include <immintrin.h>

#include "es-sprite-avx2.h"
#endif

/* es_view_transform_project () for 3D, inlined into the point loops
 * (the same arithmetic, so the same pixels).
 */
static inline gboolean
project_3d (const EsViewTransform *t,
            const float           *p,
            double                *sx,
            double                *sy,
            double                *depth)
{
  double v0 = p[0] - t->eye[0], v1 = p[1] - t->eye[1], v2 = p[2] - t->eye[2];
  double cx = v0 * t->right[0] + v1 * t->right[1] + v2 * t->right[2];
  double cy = v0 * t->up[0] + v1 * t->up[1] + v2 * t->up[2];
  double cz = v0 * t->forward[0] + v1 * t->forward[1] + v2 * t->forward[2];

  *depth = cz;
  if (!(cz > t->near))
    return FALSE;
  *sx = t->half_w + t->focal * cx / cz;
  *sy = t->half_h - t->focal * cy / cz;
  return TRUE;
}

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

/* Front-to-back compositing: the marker goes *under* what is already
 * there (dst + src * (1 - dst alpha)), which for points drawn nearest
 * first gives the same picture as drawing them farthest first with OVER.
 */
static inline void
splat_under (guint32        *accum,
             int             width,
             int             height,
             const EsSprite *s,
             double          sx,
             double          sy,
             guint32         color)
{
  EsSpritePlace pl = _es_sprite_place (s, sx, sy, width, height);

  for (int j = pl.j0; j < pl.j1; j++)
    {
      guint32 *row = accum + (gsize) (pl.y0 + j) * width + pl.x0;
      int a0, a1;
      const guint8 *c = _es_sprite_row (s, &pl, j, &a0, &a1);

      for (int i = a0; i < a1; i++)
        {
          guint32 a = c[i];
          guint32 d = row[i];
          guint32 room = 255 - (d >> 24);

          row[i] = d + _es_pixel_scale (_es_pixel_scale (color, a + (a >> 7)), room + (room >> 7));
        }
    }
}

#if defined(__SSE2__) && defined(__GNUC__)
#define HAVE_AVX2_SPLAT_UNDER 1
/* splat_under () eight pixels at a time for CPUs with AVX2 (see
 * es-sprite-avx2.h): the same integer arithmetic, so the same pixels.  Not inlined (it cannot be, into code
 * built for any x86-64): one call per marker drawn.
 */
__attribute__ ((target ("avx2"))) static void
splat_under_avx2 (guint32        *accum,
                  int             width,
                  int             height,
                  const EsSprite *s,
                  double          sx,
                  double          sy,
                  guint32         color)
{
  EsSpritePlace pl = _es_sprite_place (s, sx, sy, width, height);
  const __m256i zero = _mm256_setzero_si256 ();
  __m256i color16;

  if (pl.i0 != 0 || pl.x0 + s->size + 7 > width)
    {
      splat_under (accum, width, height, s, sx, sy, color);
      return;
    }
  color16 = _mm256_unpacklo_epi8 (_mm256_set1_epi32 ((int) color), zero);
  for (int j = pl.j0; j < pl.j1; j++)
    {
      guint32 *row = accum + (gsize) (pl.y0 + j) * width + pl.x0;
      int a0, a1;
      const guint8 *c = _es_sprite_row (s, &pl, j, &a0, &a1);

      for (int i = a0; i < a1; i += 8)
        {
          __m256i slo, shi, rlo, rhi, d, dlo, dhi;

          _es_sprite_source8_avx2 (c + i, a1 - i, color16, &slo, &shi);
          d = _mm256_loadu_si256 ((const __m256i *) (gconstpointer) (row + i));
          dlo = _mm256_unpacklo_epi8 (d, zero);
          dhi = _mm256_unpackhi_epi8 (d, zero);
          /* UNDER: the source scaled by the room left under what is there. */
          rlo = _es_sprite_room_avx2 (dlo);
          rhi = _es_sprite_room_avx2 (dhi);
          dlo = _mm256_add_epi16 (dlo, _mm256_srli_epi16 (_mm256_mullo_epi16 (slo, rlo), 8));
          dhi = _mm256_add_epi16 (dhi, _mm256_srli_epi16 (_mm256_mullo_epi16 (shi, rhi), 8));
          _mm256_storeu_si256 ((__m256i *) (gpointer) (row + i), _mm256_packus_epi16 (dlo, dhi));
        }
    }
}
#endif

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

#define DEPTH_SLICES  64
#define OPAQUE_ENOUGH 250   /* of 255: what lies behind adds under 2 % */

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
  if (sx < -s->radius - 1 || sy < -s->radius - 1 ||
      sx >= width + s->radius + 1 || sy >= height + s->radius + 1)
    return;
  cx = (int) sx;
  cy = (int) sy;
  if (sx >= 0 && sy >= 0 && cx < width && cy < height &&
      self->zbuf[(gsize) cy * width + cx] < depth)
    return;
  level = (int) CLAMP ((depth - near) / (far - near) * ES_PLOT_FOG_LEVELS, 0, ES_PLOT_FOG_LEVELS - 1);
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
    {
      /* Many points: draw them nearest depth slice first (a counting
       * sort on a coarse depth, two linear passes, not a per-frame
       * sort), so the early depth test rejects most of a dense
       * cloud's hidden points before any pixel work.  Within a slice
       * the points keep their spatial order.
       */
      guint32 start[DEPTH_SLICES + 1] = { 0 };
#ifdef HAVE_AVX2_SPLAT_UNDER
      gboolean avx2 = __builtin_cpu_supports ("avx2");
#endif

      if (self->slice_len < n)
        {
          g_free (self->slice);
          g_free (self->order);
          self->slice = g_new (guint8, n);
          self->order = g_new (guint32, n);
          self->slice_len = n;
        }
      for (gsize i = 0; i < n; i++)
        {
          const float *q = xyz + 3 * i;
          double depth = (q[0] - t.eye[0]) * t.forward[0] + (q[1] - t.eye[1]) * t.forward[1] +
                         (q[2] - t.eye[2]) * t.forward[2];
          int sl = DEPTH_SLICES;

          /* Behind the camera (or NaN): not drawn. */
          if (depth > t.near)
            sl = (int) CLAMP ((depth - near) / (far - near) * DEPTH_SLICES, 0, DEPTH_SLICES - 1);
          self->slice[i] = (guint8) sl;
          if (sl < DEPTH_SLICES)
            start[sl + 1]++;
        }
      for (int b = 0; b < DEPTH_SLICES; b++)
        start[b + 1] += start[b];
      for (gsize i = 0; i < n; i++)
        if (self->slice[i] < DEPTH_SLICES)
          self->order[start[self->slice[i]]++] = (guint32) i;
      /* start[b] is now the end of slice b: the points drawn, into
       * a transparent layer composited over the frame at the end.
       */
      if (self->accum_len < n_pixels)
        {
          g_free (self->accum);
          self->accum = g_new (guint32, n_pixels);
          self->accum_len = n_pixels;
        }
      memset (self->accum, 0, n_pixels * sizeof (guint32));
      for (guint32 k = 0; k < start[DEPTH_SLICES - 1]; k++)
        {
          guint32 i = self->order[k];
          double sx, sy, depth;
          int level, cx, cy;
          const EsSprite *sp;

          if (!project_3d (&t, xyz + 3 * i, &sx, &sy, &depth))
            continue;
          sp = _es_scatter_renderer_sprite_for (self, diameter * _es_plot_depth_size_factor (vp, depth));
          if (sx < -sp->radius - 1 || sy < -sp->radius - 1 ||
              sx >= width + sp->radius + 1 || sy >= height + sp->radius + 1)
            continue;
          /* Already (nearly) opaque at its centre: everything nearer
           * hides it, so skip it before any pixel work.
           */
          cx = (int) sx;
          cy = (int) sy;
          if (sx >= 0 && sy >= 0 && cx < width && cy < height &&
              self->accum[(gsize) cy * width + cx] >> 24 >= OPAQUE_ENOUGH)
            continue;
          level = (int) CLAMP ((depth - near) / (far - near) * ES_PLOT_FOG_LEVELS, 0, ES_PLOT_FOG_LEVELS - 1);
#ifdef HAVE_AVX2_SPLAT_UNDER
          if (avx2)
            splat_under_avx2 (self->accum, width, height, sp, sx, sy,
                              fog[level * (n_keys + 1) + MIN (keys[i], n_keys)]);
          else
#endif
            splat_under (self->accum, width, height, sp, sx, sy,
                         fog[level * (n_keys + 1) + MIN (keys[i], n_keys)]);
        }
      for (int y = 0; y < height; y++)
        {
          const guint32 *src = self->accum + (gsize) y * width;
          guint32 *dst = pixels + (gsize) y * stride_px;

          for (int x = 0; x < width; x++)
            if (src[x] != 0)
              dst[x] = _es_pixel_over (src[x], dst[x]);
        }
    }
}
