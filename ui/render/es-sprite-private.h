/* es-sprite-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ES_SPRITE_SUB   4     /* sub-pixel positions per axis of a sprite */
#define ES_SPRITE_MAX_Q 256   /* diameters up to 64 px in quarter pixels */

/* A round, anti-aliased marker as coverage masks, one per sub-pixel
 * offset, and the premultiplied ARGB32 blending every splat shares.  The
 * helpers are inline: they run per pixel in the point loops.
 */
typedef struct
{
  int     radius;     /* sprite is (2 * radius + 1)^2 */
  int     size;
  guint8 *coverage;   /* ES_SPRITE_SUB^2 sprites, one per sub-pixel offset */
  guint8 *span;       /* per sprite and row: first and one-past-last covered pixel */
} EsSprite;

/* A marker of diameter @quarter_px / 4 pixels. */
EsSprite *es_sprite_new  (int       quarter_px);
void      es_sprite_free (EsSprite *self);

/* floor () without the libm call: this runs several times per point. */
static inline int
_es_fast_floor (double v)
{
  int i = (int) v;

  return i - (v < i);
}

/* p * a / 256 for all four premultiplied channels at once. */
static inline guint32
_es_pixel_scale (guint32 p,
                 guint32 a)
{
  guint32 rb = (((p & 0x00ff00ff) * a) >> 8) & 0x00ff00ff;
  guint32 ag = (((p >> 8) & 0x00ff00ff) * a) & 0xff00ff00;

  return rb | ag;
}

static inline guint32
_es_pixel_over (guint32 src,
                guint32 dst)
{
  guint32 ia = 255 - (src >> 24);

  return src + _es_pixel_scale (dst, ia + (ia != 0));
}

/* Where a sprite lands: the coverage mask for the point's subpixel
 * offset, its top-left pixel and the part inside the surface.  Shared by
 * every splat; inlined, so it costs nothing in the hot loops.
 */
typedef struct
{
  const guint8 *cov;
  const guint8 *span;
  int           x0, y0;
  int           i0, j0, i1, j1;
} EsSpritePlace;

static inline EsSpritePlace
_es_sprite_place (const EsSprite *s,
                  double          sx,
                  double          sy,
                  int             width,
                  int             height)
{
  int ix = _es_fast_floor (sx);
  int iy = _es_fast_floor (sy);
  int fx = MIN ((int) ((sx - ix) * ES_SPRITE_SUB), ES_SPRITE_SUB - 1);
  int fy = MIN ((int) ((sy - iy) * ES_SPRITE_SUB), ES_SPRITE_SUB - 1);
  int k = fy * ES_SPRITE_SUB + fx;
  EsSpritePlace pl;
  const guint8 *cov = s->coverage + k * s->size * s->size;
  const guint8 *span = s->span + k * s->size * 2;
  int x0 = ix - s->radius;
  int y0 = iy - s->radius;
  int i0 = MAX (0, -x0), j0 = MAX (0, -y0);
  int i1 = MIN (s->size, width - x0), j1 = MIN (s->size, height - y0);

  pl.cov = cov;
  pl.span = span;
  pl.x0 = x0;
  pl.y0 = y0;
  pl.i0 = i0;
  pl.j0 = j0;
  pl.i1 = i1;
  pl.j1 = j1;

  return pl;
}

/* Row @j of a placed sprite: its coverage, and in [*a0, *a1) the
 * columns that are covered and on the surface.
 */
static inline const guint8 *
_es_sprite_row (const EsSprite      *s,
                const EsSpritePlace *pl,
                int                  j,
                int                 *a0,
                int                 *a1)
{
  *a0 = MAX (pl->i0, pl->span[2 * j]);
  *a1 = MIN (pl->i1, pl->span[2 * j + 1]);

  return pl->cov + j * s->size;
}

static inline void
_es_sprite_splat (guint32        *pixels,
                  int             stride_px,
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
      guint32 *row = pixels + (gsize) (pl.y0 + j) * stride_px + pl.x0;
      int a0, a1;
      const guint8 *c = _es_sprite_row (s, &pl, j, &a0, &a1);

      for (int i = a0; i < a1; i++)
        {
          guint32 a = c[i];

          row[i] = _es_pixel_over (_es_pixel_scale (color, a + (a >> 7)), row[i]);
        }
    }
}

G_END_DECLS
