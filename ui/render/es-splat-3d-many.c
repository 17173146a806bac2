/* es-splat-3d-many.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-splat-3d"

#include "config.h"

#include "es-splat-3d-private.h"

#include "es-plot-palette-private.h"
#include "es-splat-worker-private.h"

#include <math.h>
#include <string.h>
#ifdef __SSE2__
#include <immintrin.h>

#include "es-sprite-avx2-private.h"
#endif

#define DEPTH_SLICES  64
#define OPAQUE_ENOUGH 250   /* of 255: what lies behind adds under 2 % */

/* A marker of the many-points path, projected: the pixel and quarter
 * pixel of its centre (all of the position that _es_sprite_place ()
 * uses), its sprite, fog level and colour key.  8 bytes, so the parts'
 * lists are read in order instead of gathering and projecting the
 * coordinates again.
 */
typedef struct _Mark3d
{
  guint16 ux;    /* pixel + MARK_BIAS */
  guint16 uy;
  guint8  q1;    /* sprite q - 1 */
  guint8  sub;   /* fog level << 4 | quarter y << 2 | quarter x */
  guint16 key;
} Mark3d;

G_STATIC_ASSERT (sizeof (Mark3d) == 8);

#define MARK_BIAS 64   /* more than the widest marker's margin */

/* _es_sprite_place () from a mark, for rows [y_lo, y_hi) only: the part
 * of the frame one thread owns.  The sprite is placed on the whole
 * frame, so it lands on the same pixels however the frame is cut.
 */
static inline EsSpritePlace
place_mark (const EsSprite *s,
            int             ix,
            int             iy,
            guint           sub,
            int             width,
            int             y_lo,
            int             y_hi)
{
  int k = ((sub >> 2) & 3) * ES_SPRITE_SUB + (sub & 3);
  EsSpritePlace pl;

  pl.cov = s->coverage + k * s->size * s->size;
  pl.span = s->span + k * s->size * 2;
  pl.x0 = ix - s->radius;
  pl.y0 = iy - s->radius;
  pl.i0 = MAX (0, -pl.x0);
  pl.j0 = MAX (0, y_lo - pl.y0);
  pl.i1 = MIN (s->size, width - pl.x0);
  pl.j1 = MIN (s->size, y_hi - pl.y0);

  return pl;
}

/* Front-to-back compositing: the marker goes *under* what is already
 * there (dst + src * (1 - dst alpha)), which for points drawn nearest
 * first gives the same picture as drawing them farthest first with OVER.
 */
static inline void
splat_under (guint32             *accum,
             int                  width,
             const EsSprite      *s,
             const EsSpritePlace *placed,
             guint32              color)
{
  EsSpritePlace pl = *placed;

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

          row[i] = d + _es_pixel_scale (_es_pixel_scale (color, a + (a >> 7)), room + (room != 0));
        }
    }
}

#if defined(__SSE2__) && defined(__GNUC__)
#define HAVE_AVX2_SPLAT_UNDER 1
/* splat_under () eight pixels at a time for CPUs with AVX2 (see
 * es-sprite-avx2.h): the same integer arithmetic, so the same pixels.
 */
__attribute__ ((target ("avx2"))) static inline void
splat_under_avx2 (guint32             *accum,
                  int                  width,
                  const EsSprite      *s,
                  const EsSpritePlace *placed,
                  guint32              color)
{
  EsSpritePlace pl = *placed;
  const __m256i zero = _mm256_setzero_si256 ();
  __m256i color16;

  if (pl.i0 != 0 || pl.x0 + s->size + 7 > width)
    {
      splat_under (accum, width, s, placed, color);
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

/* ---- many points: cut into row parts, drawn by one or two threads ------ */

#define MAX_BANDS   1023  /* a point's cell packs its band in 10 bits ... */
#define CELL_SHIFT  6     /* ... above its depth slice */
#define NOT_DRAWN   0xffff
#define CHUNKS      4     /* index ranges of the first pass */
#define PARTS       2     /* row ranges of the frame, whatever the threads (fewer
                           * points drawn twice than with 3 or 4: faster) */
#define MAX_PARTS   4     /* ... with the test hook */

/* Below this many points one thread is faster: waking the worker costs
 * more than half the drawing saves.
 */
#define SPLAT_THREAD_MIN_POINTS 20000

/* Rows [y_lo, y_hi) of the frame and its list of points: those of bands
 * [b_from, b_to), every point whose marker can reach these rows, in the
 * global drawing order (nearest slice first, index order within one).
 */
typedef struct
{
  int      y_lo;
  int      y_hi;
  int      b_from;
  int      b_to;
  Mark3d  *list;
  guint32  start[DEPTH_SLICES + 1];
} Part3d;

typedef struct
{
  EsScatterRenderer     *self;
  const float           *xyz;
  const guint16         *keys;
  gsize                  n;
  EsViewTransform        t;
  const EsViewport      *vp;
  double                 near;
  double                 far;
  double                 diameter;
  double                 margin;      /* off-screen beyond this: not drawn */
  int                    width;
  int                    height;
  int                    band_shift;  /* bands of 1 << band_shift rows */
  int                    n_bands;
  guint32               *pixels;
  int                    stride_px;
  const guint32         *fog;
  guint                  n_keys;
  gboolean               avx2;
  gboolean               early_skip;
  /* First pass: per chunk of indices, the cells counted (and summed in
   * a last slot) and the depth range of the drawn points (for the sprites
   * to make beforehand).
   */
  guint32               *hist;        /* (CHUNKS + 1) x (n_bands << CELL_SHIFT) */
  double                 dmin[CHUNKS];
  double                 dmax[CHUNKS];
  /* Second pass: each chunk's marks into the lists of the parts whose
   * bands hold them, from these places on.
   */
  Part3d                 parts[MAX_PARTS];
  int                    n_parts;
  guint8                 part_first[MAX_BANDS];
  guint8                 part_last[MAX_BANDS];
  guint32                place[CHUNKS][MAX_PARTS][DEPTH_SLICES];
  int                    pass;
  int                    next;        /* atomic: the next chunk or part */
} Frame3d;

/* A point's cell (its band of rows and depth slice, or NOT_DRAWN:
 * behind the camera, NaN, far off screen) and mark.  The arithmetic is
 * project_3d ()'s, and the sprite, slice and fog level are computed as
 * they were for one point at a time, so the order and the pixels are the
 * same.
 */
static inline void
cell_point (Frame3d *f,
            gsize    i,
            guint32 *hist,
            double  *dmin,
            double  *dmax)
{
  guint16 *cell = f->self->cell;
  Mark3d *mark = f->self->mark;
  double sx, sy, depth, size;
  int ix, iy, fx, fy, q, sl, band;

  cell[i] = NOT_DRAWN;
  if (!project_3d (&f->t, f->xyz + 3 * i, &sx, &sy, &depth))
    return;
  if (!(sx >= -f->margin && sy >= -f->margin && sx < f->width + f->margin && sy < f->height + f->margin))
    return;
  ix = _es_fast_floor (sx);
  iy = _es_fast_floor (sy);
  fx = MIN ((int) ((sx - ix) * ES_SPRITE_SUB), ES_SPRITE_SUB - 1);
  fy = MIN ((int) ((sy - iy) * ES_SPRITE_SUB), ES_SPRITE_SUB - 1);
  size = _es_plot_depth_size_factor (f->vp, depth);
  q = CLAMP ((int) (f->diameter * size * 4 + 0.5), 1, ES_SPRITE_MAX_Q);
  sl = _es_plot_depth_slot (depth, f->near, f->far, DEPTH_SLICES);
  band = CLAMP (iy >> f->band_shift, 0, f->n_bands - 1);
  cell[i] = (guint16) ((band << CELL_SHIFT) | sl);
  hist[cell[i]]++;
  mark[i].ux = (guint16) (ix + MARK_BIAS);
  mark[i].uy = (guint16) (iy + MARK_BIAS);
  mark[i].q1 = (guint8) (q - 1);
  /* The fog's 16 levels are the slices' 64 four at a time: the same
   * fraction of the depth range, times a power of two.
   */
  mark[i].sub = (guint8) ((sl / (DEPTH_SLICES / ES_PLOT_FOG_LEVELS)) << 4 | fy << 2 | fx);
  mark[i].key = f->keys[i];
  *dmin = MIN (*dmin, depth);
  *dmax = MAX (*dmax, depth);
}

#ifdef HAVE_AVX2_SPLAT_UNDER
/* cell_point () for points [from, to), four at a time: the same
 * operations in the same order (and no fused multiply-add), so the same
 * doubles and integers.  Every lane computes everything; a point not
 * drawn just gets NOT_DRAWN.
 */
__attribute__ ((target ("avx2"))) static void
cells_avx2 (Frame3d *f,
            gsize    from,
            gsize    to,
            guint32 *hist,
            double  *dmin,
            double  *dmax)
{
  const EsViewTransform *t = &f->t;
  guint16 *cell = f->self->cell;
  Mark3d *mark = f->self->mark;
  __m256d e0 = _mm256_set1_pd (t->eye[0]), e1 = _mm256_set1_pd (t->eye[1]);
  __m256d e2 = _mm256_set1_pd (t->eye[2]);
  __m256d r0 = _mm256_set1_pd (t->right[0]), r1 = _mm256_set1_pd (t->right[1]);
  __m256d r2 = _mm256_set1_pd (t->right[2]);
  __m256d u0 = _mm256_set1_pd (t->up[0]), u1 = _mm256_set1_pd (t->up[1]);
  __m256d u2 = _mm256_set1_pd (t->up[2]);
  __m256d f0 = _mm256_set1_pd (t->forward[0]), f1 = _mm256_set1_pd (t->forward[1]);
  __m256d f2 = _mm256_set1_pd (t->forward[2]);
  __m256d half_w = _mm256_set1_pd (t->half_w), half_h = _mm256_set1_pd (t->half_h);
  __m256d focal = _mm256_set1_pd (t->focal), distance = _mm256_set1_pd (f->vp->distance);
  __m256d cam_near = _mm256_set1_pd (t->near);
  __m256d near = _mm256_set1_pd (f->near), range = _mm256_set1_pd (f->far - f->near);
  __m256d lo = _mm256_set1_pd (-f->margin);
  __m256d hi_x = _mm256_set1_pd (f->width + f->margin), hi_y = _mm256_set1_pd (f->height + f->margin);
  __m256d sub = _mm256_set1_pd (ES_SPRITE_SUB), one = _mm256_set1_pd (1.0);
  __m256d small = _mm256_set1_pd (0.35), big = _mm256_set1_pd (3.0), zero = _mm256_setzero_pd ();
  __m256d diameter = _mm256_set1_pd (f->diameter), four = _mm256_set1_pd (4), half = _mm256_set1_pd (0.5);
  __m256d slices = _mm256_set1_pd (DEPTH_SLICES), last = _mm256_set1_pd (DEPTH_SLICES - 1);
  __m256d three_d = _mm256_castsi256_pd (_mm256_set1_epi64x (f->vp->three_d ? -1 : 0));
  __m256d vmin = _mm256_set1_pd (INFINITY), vmax = _mm256_set1_pd (-INFINITY);
  __m256i to_32 = _mm256_setr_epi32 (0, 2, 4, 6, 1, 3, 5, 7);
  __m128i sub_max = _mm_set1_epi32 (ES_SPRITE_SUB - 1), bias = _mm_set1_epi32 (MARK_BIAS);
  __m128i q_lo = _mm_set1_epi32 (1), q_hi = _mm_set1_epi32 (ES_SPRITE_MAX_Q);
  __m128i last_band = _mm_set1_epi32 (f->n_bands - 1), not_drawn = _mm_set1_epi32 (NOT_DRAWN);
  __m128i low16 = _mm_set1_epi32 (0xffff), shift = _mm_cvtsi32_si128 (f->band_shift);
  double lanes[4];
  gsize i = from;

  for (; i + 4 <= to; i += 4)
    {
      const float *p = f->xyz + 3 * i;
      /* x0 y0 z0 x1 | y1 z1 x2 y2 | z2 x3 y3 z3, to x0-3, y0-3, z0-3. */
      __m128 a = _mm_loadu_ps (p), bb = _mm_loadu_ps (p + 4), c = _mm_loadu_ps (p + 8);
      __m128 xy01 = _mm_shuffle_ps (a, bb, _MM_SHUFFLE (1, 0, 3, 0));     /* x0 x1 y1 z1 */
      __m128 xy23 = _mm_shuffle_ps (bb, c, _MM_SHUFFLE (2, 1, 3, 2));     /* x2 y2 x3 y3 */
      __m128 x = _mm_shuffle_ps (xy01, xy23, _MM_SHUFFLE (2, 0, 1, 0));  /* x0 x1 x2 x3 */
      __m128 y = _mm_shuffle_ps (_mm_shuffle_ps (a, bb, _MM_SHUFFLE (0, 0, 1, 1)), xy23,
                                 _MM_SHUFFLE (3, 1, 2, 0));               /* y0 y1 y2 y3 */
      __m128 z = _mm_shuffle_ps (_mm_shuffle_ps (a, bb, _MM_SHUFFLE (1, 1, 2, 2)),
                                 c, _MM_SHUFFLE (3, 0, 2, 0));            /* z0 z1 z2 z3 */
      __m256d v0 = _mm256_sub_pd (_mm256_cvtps_pd (x), e0);
      __m256d v1 = _mm256_sub_pd (_mm256_cvtps_pd (y), e1);
      __m256d v2 = _mm256_sub_pd (_mm256_cvtps_pd (z), e2);
      __m256d cx = _mm256_add_pd (_mm256_add_pd (_mm256_mul_pd (v0, r0), _mm256_mul_pd (v1, r1)),
                                  _mm256_mul_pd (v2, r2));
      __m256d cy = _mm256_add_pd (_mm256_add_pd (_mm256_mul_pd (v0, u0), _mm256_mul_pd (v1, u1)),
                                  _mm256_mul_pd (v2, u2));
      __m256d cz = _mm256_add_pd (_mm256_add_pd (_mm256_mul_pd (v0, f0), _mm256_mul_pd (v1, f1)),
                                  _mm256_mul_pd (v2, f2));
      __m256d sx = _mm256_add_pd (half_w, _mm256_div_pd (_mm256_mul_pd (focal, cx), cz));
      __m256d sy = _mm256_sub_pd (half_h, _mm256_div_pd (_mm256_mul_pd (focal, cy), cz));
      __m256d fx = _mm256_floor_pd (sx), fy = _mm256_floor_pd (sy);
      __m256d drawn = _mm256_and_pd (_mm256_and_pd (_mm256_cmp_pd (sx, lo, _CMP_GE_OQ),
                                                    _mm256_cmp_pd (sy, lo, _CMP_GE_OQ)),
                                     _mm256_and_pd (_mm256_cmp_pd (sx, hi_x, _CMP_LT_OQ),
                                                    _mm256_cmp_pd (sy, hi_y, _CMP_LT_OQ)));
      /* _es_plot_depth_size_factor (). */
      __m256d size = _mm256_min_pd (_mm256_max_pd (_mm256_div_pd (distance, cz), small), big);
      __m256d qd, sld;
      __m128i drawn32, ix, iy, qx, qy, q, sl, band, k, lo32, hi32;
      int bits;

      drawn = _mm256_and_pd (drawn, _mm256_cmp_pd (cz, cam_near, _CMP_GT_OQ));
      bits = _mm256_movemask_pd (drawn);
      if (bits == 0)
        {
          memset (cell + i, 0xff, 4 * sizeof (guint16));
          continue;
        }
      drawn32 = _mm256_castsi256_si128 (_mm256_permutevar8x32_epi32 (_mm256_castpd_si256 (drawn), to_32));
      size = _mm256_blendv_pd (one, size, _mm256_and_pd (three_d, _mm256_cmp_pd (cz, zero, _CMP_GT_OQ)));
      qd = _mm256_add_pd (_mm256_mul_pd (_mm256_mul_pd (diameter, size), four), half);
      sld = _mm256_div_pd (_mm256_sub_pd (cz, near), range);
      sld = _mm256_min_pd (_mm256_max_pd (_mm256_mul_pd (sld, slices), zero), last);

      ix = _mm256_cvttpd_epi32 (fx);
      iy = _mm256_cvttpd_epi32 (fy);
      qx = _mm_min_epi32 (_mm256_cvttpd_epi32 (_mm256_mul_pd (_mm256_sub_pd (sx, fx), sub)), sub_max);
      qy = _mm_min_epi32 (_mm256_cvttpd_epi32 (_mm256_mul_pd (_mm256_sub_pd (sy, fy), sub)), sub_max);
      q = _mm_min_epi32 (_mm_max_epi32 (_mm256_cvttpd_epi32 (qd), q_lo), q_hi);
      sl = _mm256_cvttpd_epi32 (sld);
      band = _mm_min_epi32 (_mm_max_epi32 (_mm_sra_epi32 (iy, shift), _mm_setzero_si128 ()), last_band);
      k = _mm_blendv_epi8 (not_drawn, _mm_or_si128 (_mm_slli_epi32 (band, CELL_SHIFT), sl), drawn32);
      _mm_storel_epi64 ((__m128i *) (gpointer) (cell + i), _mm_packus_epi32 (k, k));

      /* The marks: ux | uy << 16, then q - 1 | sub << 8 | key << 16. */
      lo32 = _mm_or_si128 (_mm_and_si128 (_mm_add_epi32 (ix, bias), low16),
                           _mm_slli_epi32 (_mm_add_epi32 (iy, bias), 16));
      hi32 = _mm_or_si128 (_mm_slli_epi32 (_mm_srli_epi32 (sl, 2), 4),
                           _mm_or_si128 (_mm_slli_epi32 (qy, 2), qx));
      hi32 = _mm_or_si128 (_mm_sub_epi32 (q, q_lo), _mm_slli_epi32 (hi32, 8));
      hi32 = _mm_or_si128 (hi32, _mm_slli_epi32 (_mm_cvtepu16_epi32 (_mm_loadl_epi64 ((const __m128i *) (gconstpointer) (f->keys + i))), 16));
      _mm_storeu_si128 ((__m128i *) (gpointer) (mark + i), _mm_unpacklo_epi32 (lo32, hi32));
      _mm_storeu_si128 ((__m128i *) (gpointer) (mark + i + 2), _mm_unpackhi_epi32 (lo32, hi32));

      vmin = _mm256_min_pd (vmin, _mm256_blendv_pd (_mm256_set1_pd (INFINITY), cz, drawn));
      vmax = _mm256_max_pd (vmax, _mm256_blendv_pd (_mm256_set1_pd (-INFINITY), cz, drawn));
      for (int j = 0; j < 4; j++)
        if (bits & (1 << j))
          hist[cell[i + j]]++;
    }
  _mm256_storeu_pd (lanes, vmin);
  for (int j = 0; j < 4; j++)
    *dmin = MIN (*dmin, lanes[j]);
  _mm256_storeu_pd (lanes, vmax);
  for (int j = 0; j < 4; j++)
    *dmax = MAX (*dmax, lanes[j]);
  for (; i < to; i++)
    cell_point (f, i, hist, dmin, dmax);
}
#endif

static void
cells_chunk (Frame3d *f,
             int      c)
{
  guint32 *hist = f->hist + (gsize) c * ((gsize) f->n_bands << CELL_SHIFT);
  gsize from = f->n * c / CHUNKS, to = f->n * (c + 1) / CHUNKS;
  double dmin = INFINITY, dmax = -INFINITY;

  memset (hist, 0, ((gsize) f->n_bands << CELL_SHIFT) * sizeof (guint32));
#ifdef HAVE_AVX2_SPLAT_UNDER
  if (f->avx2)
    cells_avx2 (f, from, to, hist, &dmin, &dmax);
  else
#endif
    for (gsize i = from; i < to; i++)
      cell_point (f, i, hist, &dmin, &dmax);
  f->dmin[c] = dmin;
  f->dmax[c] = dmax;
}

/* The counting sort of the parts' lists, one chunk of points at a time:
 * a point goes to every part it can reach, after the points of its slice
 * in the earlier chunks, so each list is in the global drawing order.
 */
static void
lists_chunk (Frame3d *f,
             int      c)
{
  const guint16 *cell = f->self->cell;
  const Mark3d *mark = f->self->mark;
  gsize from = f->n * c / CHUNKS, to = f->n * (c + 1) / CHUNKS;
  guint32 (*place)[DEPTH_SLICES] = f->place[c];
  Mark3d *list[MAX_PARTS];

  for (int p = 0; p < f->n_parts; p++)
    list[p] = f->parts[p].list;
  for (gsize i = from; i < to; i++)
    {
      guint k = cell[i], band = k >> CELL_SHIFT, sl = k & (DEPTH_SLICES - 1);

      if (k == NOT_DRAWN)
        continue;
      for (int p = f->part_first[band]; p <= f->part_last[band]; p++)
        list[p][place[p][sl]++] = mark[i];
    }
}

/* Per-pixel state is the part's own, so a part draws the same pixels
 * whichever thread draws it, and whenever.
 */
#define DRAW_PART_BODY(SPLAT)                                                                 \
  EsScatterRenderer *self = f->self;                                                          \
  Mark3d *list = p->list;                                                                     \
  guint32 *accum = self->accum;                                                               \
  const guint32 *fog = f->fog;                                                                \
  const EsSprite * const *sprites = (const EsSprite * const *) self->sprites;                 \
  guint n_keys = f->n_keys;                                                                   \
  int width = f->width, height = f->height, y_lo = p->y_lo, y_hi = p->y_hi;                   \
  guint32 n_list = p->start[DEPTH_SLICES];                                                    \
  gboolean early_skip = f->early_skip;                                                        \
                                                                                              \
  /* The layer is clear: every frame clears what it composites. */                            \
  for (guint32 k = 0; k < n_list; k++)                                                        \
    {                                                                                         \
      Mark3d m = list[k];                                                                     \
      const EsSprite *sp = sprites[m.q1 + 1];                                                 \
      int ix = m.ux - MARK_BIAS, iy = m.uy - MARK_BIAS, r = sp->radius;                       \
      EsSpritePlace pl;                                                                       \
                                                                                              \
      if (ix < -r - 1 || iy < -r - 1 || ix >= width + r + 1 || iy >= height + r + 1)          \
        continue;                                                                             \
      /* Not on this part's rows: nothing to draw here. */                                    \
      if (iy + r < y_lo || iy - r >= y_hi)                                                    \
        continue;                                                                             \
      /* Already (nearly) opaque at its centre: everything nearer hides                       \
       * it, so skip it before any pixel work.  Only the part with the                        \
       * centre's row can tell: the others draw their rows of it (under                       \
       * what is there, so where that is opaque nothing changes).                             \
       */                                                                                     \
      if (early_skip && ix >= 0 && iy >= y_lo && ix < width && iy < y_hi &&                   \
          accum[(gsize) iy * width + ix] >> 24 >= OPAQUE_ENOUGH)                              \
        continue;                                                                             \
      pl = place_mark (sp, ix, iy, m.sub, width, y_lo, y_hi);                                 \
      SPLAT (accum, width, sp, &pl, fog[(m.sub >> 4) * (n_keys + 1) + MIN (m.key, n_keys)]);  \
    }                                                                                         \
                                                                                              \
  for (int y = y_lo; y < y_hi; y++)                                                           \
    {                                                                                         \
      guint32 *src = accum + (gsize) y * width;                                               \
      guint32 *dst = f->pixels + (gsize) y * f->stride_px;                                    \
                                                                                              \
      for (int x = 0; x < width; x++)                                                         \
        if (src[x] != 0)                                                                      \
          {                                                                                   \
            dst[x] = _es_pixel_over (src[x], dst[x]);                                         \
            src[x] = 0;                                                                       \
          }                                                                                   \
    }                                                                                         \

static void
draw_part (Frame3d *f,
           Part3d  *p)
{
  DRAW_PART_BODY (splat_under)
}

#ifdef HAVE_AVX2_SPLAT_UNDER
__attribute__ ((target ("avx2"))) static void
draw_part_avx2 (Frame3d *f,
                Part3d  *p)
{
  DRAW_PART_BODY (splat_under_avx2)
}
#endif

/* The job of both threads: chunks of the first pass, or parts. */
static void
frame_take (gpointer user_data)
{
  Frame3d *f = user_data;
  int n = f->pass == 2 ? f->n_parts : CHUNKS;
  int i;

  while ((i = g_atomic_int_add (&f->next, 1)) < n)
    {
      if (f->pass == 0)
        cells_chunk (f, i);
      else if (f->pass == 1)
        lists_chunk (f, i);
#ifdef HAVE_AVX2_SPLAT_UNDER
      else if (f->avx2)
        draw_part_avx2 (f, &f->parts[i]);
#endif
      else
        draw_part (f, &f->parts[i]);
    }
}

static void
frame_run (Frame3d       *f,
           EsSplatWorker *worker,
           int            pass)
{
  f->pass = pass;
  f->next = 0;
  if (worker != NULL)
    _es_splat_worker_run (worker, frame_take, f, f);
  else
    frame_take (f);
}

void
_es_scatter_renderer_set_splat_3d_test (EsScatterRenderer *self,
                                        int                n_parts,
                                        gboolean           early_skip,
                                        gboolean           vector)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (n_parts >= 0 && n_parts <= MAX_PARTS);

  self->splat_3d_parts = n_parts;
  self->splat_3d_no_skip = !early_skip;
  self->splat_3d_scalar = !vector;
}

/* Many points: drawn nearest depth slice first (a counting sort on a
 * coarse depth, not a per-frame sort), so the early test at the marker's
 * centre rejects most of a dense cloud's hidden points before any pixel
 * work; front to back into a transparent layer composited over the
 * frame.  The frame is cut into row parts of about equal point counts,
 * each with the points that can reach its rows: the parts are drawn by
 * whichever thread is free, in the same way with one thread or two.
 */
void
_es_splat_3d_render_many (EsScatterRenderer     *self,
                          guint32               *pixels,
                          int                    stride_px,
                          int                    width,
                          int                    height,
                          EsScatterData         *data,
                          const EsViewport      *vp,
                          const EsViewTransform *t,
                          double                 diameter,
                          double                 near,
                          double                 far,
                          const guint32         *fog,
                          guint                  n_keys)
{
  g_autofree Frame3d *f = g_new0 (Frame3d, 1);
  gsize n = es_scatter_data_get_n_visible (data);
  gsize n_pixels = (gsize) width * height, cells, total = 0;
  EsSplatWorker *worker = NULL;
  const EsSprite *biggest;
  double dmin = INFINITY, dmax = -INFINITY;
  int q_lo, q_hi, reach, wanted, band_rows, cut = 0;
  guint32 *band_count, *sum;
  gboolean two;

  f->self = self;
  f->xyz = es_scatter_data_get_sorted_xyz (data);
  f->keys = es_scatter_data_get_sorted_keys (data);
  f->n = n;
  f->t = *t;
  f->vp = vp;
  f->near = near;
  f->far = far;
  f->diameter = diameter;
  f->width = width;
  f->height = height;
  f->band_shift = 3;
  while (((height - 1) >> f->band_shift) + 1 > MAX_BANDS)
    f->band_shift++;
  band_rows = 1 << f->band_shift;
  f->n_bands = (height + band_rows - 1) / band_rows;
  f->pixels = pixels;
  f->stride_px = stride_px;
  f->fog = fog;
  f->n_keys = n_keys;
  f->early_skip = !self->splat_3d_no_skip;
#ifdef HAVE_AVX2_SPLAT_UNDER
  f->avx2 = __builtin_cpu_supports ("avx2") && !self->splat_3d_scalar;
#endif
  /* The biggest marker (perspective makes a near one up to 3 times the
   * point size) is drawn if its centre is this close to the frame.
   */
  biggest = _es_scatter_renderer_get_sprite (self, diameter * 3.0);
  f->margin = biggest->radius + 1;

  two = self->splat_threads == ES_SPLAT_THREADS_TWO ||
        (self->splat_threads == ES_SPLAT_THREADS_AUTO && n >= SPLAT_THREAD_MIN_POINTS);
  if (two && self->splat_worker == NULL)
    self->splat_worker = _es_splat_worker_new ("es-splat");
  two = two && self->splat_worker != NULL;
  if (two && self->splat_threads == ES_SPLAT_THREADS_AUTO && _es_splat_worker_solo (self->splat_worker))
    two = FALSE;
  if (two)
    worker = self->splat_worker;

  cells = (gsize) f->n_bands << CELL_SHIFT;
  if (self->cell_len < n)
    {
      g_free (self->cell);
      g_free (self->mark);
      self->cell = g_new (guint16, n);
      self->mark = g_new (Mark3d, n);
      self->cell_len = n;
    }
  if (self->cell_hist_len < (CHUNKS + 1) * cells)
    {
      g_free (self->cell_hist);
      self->cell_hist = g_new (guint32, (CHUNKS + 1) * cells);
      self->cell_hist_len = (CHUNKS + 1) * cells;
    }
  if (self->accum_len < n_pixels)
    {
      g_free (self->accum);
      self->accum = g_new0 (guint32, n_pixels);
      self->accum_len = n_pixels;
    }
  f->hist = self->cell_hist;

  frame_run (f, worker, 0);

  /* The chunks' counts summed; the sprites of every depth drawn made
   * now, not by two threads at once.
   */
  sum = f->hist + CHUNKS * cells;
  memcpy (sum, f->hist, cells * sizeof (guint32));
  for (int c = 1; c < CHUNKS; c++)
    {
      const guint32 *h = f->hist + c * cells;

      for (gsize k = 0; k < cells; k++)
        sum[k] += h[k];
    }
  for (int c = 0; c < CHUNKS; c++)
    {
      dmin = MIN (dmin, f->dmin[c]);
      dmax = MAX (dmax, f->dmax[c]);
    }
  if (!(dmin <= dmax))
    {
      if (worker != NULL)
        _es_splat_worker_end_frame (worker);
      return;
    }
  q_lo = CLAMP ((int) (diameter * _es_plot_depth_size_factor (vp, dmax) * 4 + 0.5), 1, ES_SPRITE_MAX_Q);
  q_hi = CLAMP ((int) (diameter * _es_plot_depth_size_factor (vp, dmin) * 4 + 0.5), 1, ES_SPRITE_MAX_Q);
  for (int q = q_lo; q <= q_hi; q++)
    _es_scatter_renderer_get_sprite (self, q / 4.0);

  /* Cut where the points split evenly; a marker reaches this many bands
   * beyond its own.
   */
  band_count = g_new0 (guint32, f->n_bands + 1);
  for (int b = 0; b < f->n_bands; b++)
    {
      band_count[b + 1] = band_count[b];
      for (int sl = 0; sl < DEPTH_SLICES; sl++)
        band_count[b + 1] += sum[((gsize) b << CELL_SHIFT) + sl];
    }
  reach = (self->sprites[q_hi]->radius + band_rows) / band_rows;
  wanted = self->splat_3d_parts > 0 ? self->splat_3d_parts : PARTS;
  f->n_parts = 0;
  for (int i = 0; i < wanted && cut < f->n_bands; i++)
    {
      Part3d *p = &f->parts[f->n_parts++];
      int end = cut + 1;

      while (end < f->n_bands &&
             (i == wanted - 1 ||
              band_count[end] < (guint64) band_count[f->n_bands] * (i + 1) / wanted))
        end++;
      p->y_lo = MIN (height, cut * band_rows);
      p->y_hi = MIN (height, end * band_rows);
      p->b_from = MAX (0, cut - reach);
      p->b_to = MIN (f->n_bands, end + reach);
      p->start[0] = 0;
      for (int sl = 0; sl < DEPTH_SLICES; sl++)
        {
          p->start[sl + 1] = p->start[sl];
          for (int b = p->b_from; b < p->b_to; b++)
            p->start[sl + 1] += sum[((gsize) b << CELL_SHIFT) + sl];
        }
      total += p->start[DEPTH_SLICES];
      cut = end;
    }
  g_free (band_count);

  if (self->order_len < total)
    {
      g_free (self->order);
      self->order = g_new (Mark3d, total);
      self->order_len = total;
    }
  total = 0;
  for (int i = 0; i < f->n_parts; i++)
    {
      Part3d *p = &f->parts[i];

      p->list = self->order + total;
      total += p->start[DEPTH_SLICES];
      /* Where each chunk's points of a slice go: after the earlier
       * chunks' ones.
       */
      for (int sl = 0; sl < DEPTH_SLICES; sl++)
        {
          guint32 at = p->start[sl];

          for (int c = 0; c < CHUNKS; c++)
            {
              const guint32 *h = f->hist + c * cells;

              f->place[c][i][sl] = at;
              for (int b = p->b_from; b < p->b_to; b++)
                at += h[((gsize) b << CELL_SHIFT) + sl];
            }
        }
    }
  /* The parts a band's points go to: a run, the parts being in order. */
  for (int b = 0; b < f->n_bands; b++)
    {
      f->part_first[b] = 1;
      f->part_last[b] = 0;
    }
  for (int i = f->n_parts - 1; i >= 0; i--)
    for (int b = f->parts[i].b_from; b < f->parts[i].b_to; b++)
      f->part_first[b] = (guint8) i;
  for (int i = 0; i < f->n_parts; i++)
    for (int b = f->parts[i].b_from; b < f->parts[i].b_to; b++)
      f->part_last[b] = (guint8) i;

  frame_run (f, worker, 1);
  frame_run (f, worker, 2);
  if (worker != NULL)
    _es_splat_worker_end_frame (worker);
}
