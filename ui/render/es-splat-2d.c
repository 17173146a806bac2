/* es-splat-2d.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-splat-2d"

#include "config.h"

#include "es-splat-2d-private.h"

#include "es-plot-axes-private.h"
#include "es-plot-palette-private.h"

#include <math.h>
#include <string.h>
#ifdef __SSE2__
#include <immintrin.h>

#include "es-sprite-avx2-private.h"
#endif

#ifdef __SSE2__
/* _es_pixel_over (_es_pixel_scale (color, a + (a >> 7)), dst) for four
 * pixels at once, channel by channel in 16-bit lanes: the same integer
 * arithmetic as the scalar code (every product fits in 16 bits), so the
 * same pixels.
 */
static inline __m128i
over_coverage_x4 (__m128i dst,
                  guint32 cov4,
                  __m128i color16)
{
  const __m128i zero = _mm_setzero_si128 ();
  const __m128i c255 = _mm_set1_epi16 (255);
  __m128i a = _mm_unpacklo_epi8 (_mm_cvtsi32_si128 ((int) cov4), zero);
  __m128i a01, a23, s01, s23, ia01, ia23, d01, d23;

  a = _mm_add_epi16 (a, _mm_srli_epi16 (a, 7));
  a = _mm_unpacklo_epi16 (a, a);
  a01 = _mm_unpacklo_epi32 (a, a);
  a23 = _mm_unpackhi_epi32 (a, a);
  s01 = _mm_srli_epi16 (_mm_mullo_epi16 (color16, a01), 8);
  s23 = _mm_srli_epi16 (_mm_mullo_epi16 (color16, a23), 8);
  ia01 = _mm_sub_epi16 (c255, _mm_shufflehi_epi16 (_mm_shufflelo_epi16 (s01, 0xff), 0xff));
  ia23 = _mm_sub_epi16 (c255, _mm_shufflehi_epi16 (_mm_shufflelo_epi16 (s23, 0xff), 0xff));
  ia01 = _mm_add_epi16 (ia01, _mm_min_epi16 (ia01, _mm_set1_epi16 (1)));
  ia23 = _mm_add_epi16 (ia23, _mm_min_epi16 (ia23, _mm_set1_epi16 (1)));
  d01 = _mm_unpacklo_epi8 (dst, zero);
  d23 = _mm_unpackhi_epi8 (dst, zero);
  d01 = _mm_add_epi16 (s01, _mm_srli_epi16 (_mm_mullo_epi16 (d01, ia01), 8));
  d23 = _mm_add_epi16 (s23, _mm_srli_epi16 (_mm_mullo_epi16 (d23, ia23), 8));

  return _mm_packus_epi16 (d01, d23);
}
#endif

/* _es_sprite_splat () four pixels at a time where the sprite's rows, rounded up to
 * four pixels, stay on the surface; zero coverage leaves a pixel as it
 * was, so the rounding changes nothing.
 */
static inline void
splat_fast (guint32        *pixels,
            int             stride_px,
            int             width,
            int             height,
            const EsSprite *s,
            double          sx,
            double          sy,
            guint32         color)
{
#ifdef __SSE2__
  EsSpritePlace pl = _es_sprite_place (s, sx, sy, width, height);
  __m128i color16;

  if (pl.i0 != 0 || pl.x0 + s->size + 3 > width)
    {
      _es_sprite_splat (pixels, stride_px, width, height, s, sx, sy, color);
      return;
    }
  color16 = _mm_unpacklo_epi8 (_mm_set1_epi32 ((int) color), _mm_setzero_si128 ());
  for (int j = pl.j0; j < pl.j1; j++)
    {
      guint32 *row = pixels + (gsize) (pl.y0 + j) * stride_px + pl.x0;
      int a0, a1;
      const guint8 *c = _es_sprite_row (s, &pl, j, &a0, &a1);

      for (int i = a0; i < a1; i += 4)
        {
          guint32 cov4;
          __m128i d;

          memcpy (&cov4, c + i, 4);
          /* Past the span's end: other rows' coverage, masked off. */
          if (a1 - i < 4)
            cov4 &= 0xffffffffu >> (8 * (4 - (a1 - i)));
          d = _mm_loadu_si128 ((const __m128i *) (gconstpointer) (row + i));
          _mm_storeu_si128 ((__m128i *) (gpointer) (row + i), over_coverage_x4 (d, cov4, color16));
        }
    }
#else
  _es_sprite_splat (pixels, stride_px, width, height, s, sx, sy, color);
#endif
}

#if defined(__SSE2__) && defined(__GNUC__)
#define HAVE_AVX2_SPLAT 1
/* splat_fast () eight pixels at a time (a 4-7 px marker's row in one
 * step), for CPUs with AVX2 (see es-sprite-avx2.h).
 */
__attribute__ ((target ("avx2"))) static inline void
splat_avx2 (guint32        *pixels,
            int             stride_px,
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
      _es_sprite_splat (pixels, stride_px, width, height, s, sx, sy, color);
      return;
    }
  color16 = _mm256_unpacklo_epi8 (_mm256_set1_epi32 ((int) color), zero);
  for (int j = pl.j0; j < pl.j1; j++)
    {
      guint32 *row = pixels + (gsize) (pl.y0 + j) * stride_px + pl.x0;
      int a0, a1;
      const guint8 *c = _es_sprite_row (s, &pl, j, &a0, &a1);

      for (int i = a0; i < a1; i += 8)
        {
          __m256i slo, shi, ialo, iahi, d, dlo, dhi;

          _es_sprite_source8_avx2 (c + i, a1 - i, color16, &slo, &shi);
          /* OVER: what is there scaled by 255 - the source's alpha. */
          ialo = _es_sprite_room_avx2 (slo);
          iahi = _es_sprite_room_avx2 (shi);
          d = _mm256_loadu_si256 ((const __m256i *) (gconstpointer) (row + i));
          dlo = _mm256_unpacklo_epi8 (d, zero);
          dhi = _mm256_unpackhi_epi8 (d, zero);
          dlo = _mm256_add_epi16 (slo, _mm256_srli_epi16 (_mm256_mullo_epi16 (dlo, ialo), 8));
          dhi = _mm256_add_epi16 (shi, _mm256_srli_epi16 (_mm256_mullo_epi16 (dhi, iahi), 8));
          _mm256_storeu_si256 ((__m256i *) (gpointer) (row + i), _mm256_packus_epi16 (dlo, dhi));
        }
    }
}
#endif

#define BAND_ROWS 8

/* Below this many points in the frame one thread is faster: waking the
 * worker costs more than half the splatting saves.
 */
#define SPLAT_THREAD_MIN_POINTS 20000

/* One band's points, for the splat loops below.  Only the rows in
 * [y_lo, y_hi) are written: each thread owns its rows, so the two never
 * touch the same pixel and every pixel sees its points in the same order
 * as with one thread.
 */
typedef struct
{
  guint32       *pixels;
  int            stride_px;
  int            width;
  int            height;
  const EsSprite  *sprite;
  const float   *xy;
  const guint32 *color;
  guint8        *hits;
  guint          saturation;
  guint32        from;
  guint32        to;
  int            y_lo;
  int            y_hi;
} SplatRun;

/* Points past @saturation in one pixel add nothing visible: skipped.  The
 * count uses frame coordinates; the splat sees only the owned rows (an
 * integer shift, so the sprite lands on the same pixels).
 */
#define SPLAT_RUN_BODY(SPLAT)                                                            \
  guint32 *clip = r->pixels + (gsize) r->y_lo * r->stride_px;                            \
  int clip_height = r->y_hi - r->y_lo;                                                   \
                                                                                         \
  for (guint32 k = r->from; k < r->to; k++)                                              \
    {                                                                                    \
      double sx = r->xy[2 * k], sy = r->xy[2 * k + 1];                                   \
                                                                                         \
      if (r->saturation != G_MAXUINT && sx >= 0 && sy >= 0 && sx < r->width && sy < r->height) \
        {                                                                                \
          guint8 *h = r->hits + (gsize) sy * r->width + (gsize) sx;                      \
                                                                                         \
          if (*h >= r->saturation)                                                       \
            continue;                                                                    \
          (*h)++;                                                                        \
        }                                                                                \
      SPLAT (clip, r->stride_px, r->width, clip_height, r->sprite, sx, sy - r->y_lo, r->color[k]); \
    }

static void
splat_run (const SplatRun *r)
{
  SPLAT_RUN_BODY (splat_fast)
}

#ifdef HAVE_AVX2_SPLAT
__attribute__ ((target ("avx2"))) static void
splat_run_avx2 (const SplatRun *r)
{
  SPLAT_RUN_BODY (splat_avx2)
}
#endif

/* The part of a frame one thread draws: bands [b_from, b_to) clipped to
 * rows [run.y_lo, run.y_hi).  A band next to a cut is drawn by both
 * neighbouring parts, each into its own rows and with its own saturation
 * counts (the same points in the same order: the same decisions).
 */
typedef struct
{
  SplatRun        run;
  const guint32  *band_start;
  int             b_from;
  int             b_to;
  const guint8   *grid_row;
  const guint32  *plain_line;
  const guint32  *grid_line;
  const guint32  *base;       /* width-wide rows to clear to instead, or NULL */
  gboolean        avx2;
} SplatPart;

/* Row @y as it is before the points: background and grid, or the base
 * layer the caller drew (the density map's shading).
 */
static inline void
clear_row (const SplatPart *p,
           const SplatRun  *run,
           int              y)
{
  const guint32 *src = p->base != NULL ? p->base + (gsize) y * run->width
                       : p->grid_row[y] ? p->grid_line : p->plain_line;

  memcpy (run->pixels + (gsize) y * run->stride_px, src, (gsize) run->width * sizeof (guint32));
}

static void
splat_part (gpointer user_data)
{
  SplatPart *p = user_data;
  SplatRun run = p->run;
  int filled = run.y_lo;

  if (run.saturation != G_MAXUINT)
    {
      int h0 = MIN (p->b_from * BAND_ROWS, run.height);
      int h1 = MIN (p->b_to * BAND_ROWS, run.height);

      if (h1 > h0)
        memset (run.hits + (gsize) h0 * run.width, 0, (gsize) (h1 - h0) * run.width);
    }

  for (int b = p->b_from; b < p->b_to; b++)
    {
      /* Clear every row a sprite of this band can reach. */
      int need = MIN (run.y_hi, (b + 1) * BAND_ROWS + run.sprite->radius + 1);

      for (; filled < need; filled++)
        clear_row (p, &run, filled);

      run.from = p->band_start[b];
      run.to = p->band_start[b + 1];
#ifdef HAVE_AVX2_SPLAT
      if (p->avx2)
        splat_run_avx2 (&run);
      else
#endif
        splat_run (&run);
    }
  for (; filled < run.y_hi; filled++)
    clear_row (p, &run, filled);
}

/* The parts of one frame, taken in turn by whichever thread is free. */
#define SPLAT_MAX_PARTS 4

typedef struct
{
  SplatPart parts[SPLAT_MAX_PARTS];
  int       n_parts;
  int       next;        /* atomic: the next part to take */
} SplatFrame;

/* What one thread needs to take parts: each has its own saturation counts. */
typedef struct
{
  SplatFrame *frame;
  guint8     *hits;
} SplatTaker;

static void
splat_frame_take (gpointer user_data)
{
  SplatTaker *taker = user_data;
  SplatFrame *f = taker->frame;
  int i;

  while ((i = g_atomic_int_add (&f->next, 1)) < f->n_parts)
    {
      SplatPart part = f->parts[i];

      part.run.hits = taker->hits;
      splat_part (&part);
    }
}

void
_es_scatter_renderer_set_splat_threads (EsScatterRenderer *self,
                                        EsSplatThreads     mode)
{
  g_return_if_fail (self != NULL);

  self->splat_threads = mode;
}

/* Background, grid and points of the 2D sprite path, one band of rows at
 * a time.  The points are first bucketed by band (a counting sort: two
 * linear passes), then each band is cleared just before its points are
 * blended in, so the pixels they touch are still in the cache; clearing
 * the whole surface first and splatting afterwards makes nearly every
 * point a cache miss.  With enough points the frame is cut into parts
 * of about equal point counts, drawn by this thread and a second one.
 */
void
_es_scatter_renderer_render_points_banded (EsScatterRenderer *self,
                                           guint32           *pixels,
                                           int                stride_px,
                                           int                width,
                                           int                height,
                                           EsScatterData     *data,
                                           const EsViewport  *vp,
                                           const EsPlotStyle *style)
{
  gsize n = es_scatter_data_get_n_visible (data);
  const float *xyz = es_scatter_data_get_sorted_xyz (data);
  const guint16 *keys = es_scatter_data_get_sorted_keys (data);
  g_autofree guint32 *lut = NULL;
  g_autofree guint32 *band_start = NULL;
  g_autofree int *grid_x = NULL;
  g_autofree guint8 *grid_row = NULL;
  g_autofree guint32 *plain_line = NULL;
  g_autofree guint32 *grid_line = NULL;
  guint32 missing, background, grid;
  guint n_keys;
  EsViewTransform t;
  const EsSprite *sprite = _es_scatter_renderer_get_sprite (self, MAX (style->point_size, 0.5));
  double margin = sprite->radius + 1;
  int n_bands = (height + BAND_ROWS - 1) / BAND_ROWS;
  gsize n_pixels = (gsize) width * height;
  double a = CLAMP (style->opacity, 0.0, 1.0);
  /* After this many points centred in one pixel it is opaque to 1/255:
   * more add nothing visible there, so they are skipped.
   */
  guint saturation = a >= 0.999 ? 1 : a <= 0.02 ? 255
                     : (guint) CLAMP (ceil (log (1.0 / 255) / log (1 - a)), 1, 255);
  guint n_grid_x = 0;
  gboolean two;
  SplatPart top;
  SplatFrame frame;

  lut = _es_plot_build_lut (data, style, &n_keys, &missing);
  es_viewport_get_transform (vp, &t);
  background = _es_plot_pack_premultiplied (style->background, style->background[3]);

  /* The grid, as the Cairo underlay would draw it: 1 px lines at the
   * floor of each tick position.
   */
  grid = _es_pixel_over (_es_plot_pack_premultiplied (style->grid, style->grid[3]), background);
  grid_x = g_new (int, 64);
  grid_row = g_new0 (guint8, height);
  if (style->show_axes)
    {
      double values[64], pos[64], step;
      guint nt;

      nt = _es_plot_compute_ticks (data, vp, 0, values, pos, G_N_ELEMENTS (values), &step);
      for (guint i = 0; i < nt; i++)
        if (floor (pos[i]) >= 0 && floor (pos[i]) < width)
          grid_x[n_grid_x++] = (int) floor (pos[i]);
      nt = _es_plot_compute_ticks (data, vp, 1, values, pos, G_N_ELEMENTS (values), &step);
      for (guint i = 0; i < nt; i++)
        if (floor (pos[i]) >= 0 && floor (pos[i]) < height)
          grid_row[(int) floor (pos[i])] = 1;
    }

  /* Two template rows, copied with memcpy (much faster than a loop of
   * stores): the background crossed by the vertical grid lines, and a
   * horizontal grid line.
   */
  plain_line = g_new (guint32, width);
  grid_line = g_new (guint32, width);
  for (int x = 0; x < width; x++)
    {
      plain_line[x] = background;
      grid_line[x] = grid;
    }
  for (guint g = 0; g < n_grid_x; g++)
    plain_line[grid_x[g]] = grid;

  if (self->band_len < n)
    {
      g_free (self->band_xy);
      g_free (self->band_color);
      self->band_xy = g_new (float, 2 * n);
      self->band_color = g_new (guint32, n);
      self->band_len = n;
    }

  /* Count per band, then place: points keep their spatial order within
   * a band.
   */
  band_start = g_new0 (guint32, n_bands + 1);
  for (gsize i = 0; i < n; i++)
    {
      double sx = t.ax * xyz[3 * i] + t.bx;
      double sy = t.ay * xyz[3 * i + 1] + t.by;

      if (!(sx >= -margin && sy >= -margin && sx < width + margin && sy < height + margin))
        continue;
      band_start[CLAMP (_es_fast_floor (sy) / BAND_ROWS, 0, n_bands - 1) + 1]++;
    }
  for (int b = 0; b < n_bands; b++)
    band_start[b + 1] += band_start[b];
  {
    g_autofree guint32 *fill = g_memdup2 (band_start, sizeof (guint32) * (n_bands + 1));

    for (gsize i = 0; i < n; i++)
      {
        double sx = t.ax * xyz[3 * i] + t.bx;
        double sy = t.ay * xyz[3 * i + 1] + t.by;
        guint32 pos;

        if (!(sx >= -margin && sy >= -margin && sx < width + margin && sy < height + margin))
          continue;
        pos = fill[CLAMP (_es_fast_floor (sy) / BAND_ROWS, 0, n_bands - 1)]++;
        self->band_xy[2 * pos] = (float) sx;
        self->band_xy[2 * pos + 1] = (float) sy;
        self->band_color[pos] = keys[i] < n_keys ? lut[keys[i]] : missing;
      }
  }

  two = n_bands >= 2 &&
        (self->splat_threads == ES_SPLAT_THREADS_TWO ||
         (self->splat_threads == ES_SPLAT_THREADS_AUTO &&
          band_start[n_bands] >= SPLAT_THREAD_MIN_POINTS));
  if (two && self->splat_worker == NULL)
    self->splat_worker = _es_splat_worker_new ("es-splat");
  two = two && self->splat_worker != NULL;
  if (two && self->splat_threads == ES_SPLAT_THREADS_AUTO && _es_splat_worker_solo (self->splat_worker))
    two = FALSE;

  /* Few points per pixel on average: nothing saturates, skip the count. */
  if (n < n_pixels / 8)
    saturation = G_MAXUINT;
  else
    {
      if (self->hits_len < n_pixels)
        {
          g_free (self->hits);
          self->hits = g_new (guint8, n_pixels);
          self->hits_len = n_pixels;
        }
      if (two && self->hits2_len < n_pixels)
        {
          g_free (self->hits2);
          self->hits2 = g_new (guint8, n_pixels);
          self->hits2_len = n_pixels;
        }
    }

  top.run.pixels = pixels;
  top.run.stride_px = stride_px;
  top.run.width = width;
  top.run.height = height;
  top.run.sprite = sprite;
  top.run.xy = self->band_xy;
  top.run.color = self->band_color;
  top.run.hits = self->hits;
  top.run.saturation = saturation;
  top.run.y_lo = 0;
  top.run.y_hi = height;
  top.band_start = band_start;
  top.b_from = 0;
  top.b_to = n_bands;
  top.grid_row = grid_row;
  top.plain_line = plain_line;
  top.grid_line = grid_line;
  top.base = self->splat_base;
#ifdef HAVE_AVX2_SPLAT
  top.avx2 = __builtin_cpu_supports ("avx2");
#else
  top.avx2 = FALSE;
#endif

  if (!two)
    {
      splat_part (&top);
      return;
    }

  {
    /* Cut at the bands that split the points evenly; a sprite reaches
     * this many bands beyond its own, so both neighbours draw those
     * bands, clipped to their rows.
     */
    int reach = (sprite->radius + BAND_ROWS) / BAND_ROWS;
    guint32 total = band_start[n_bands];
    int cut = 0;

    frame.n_parts = 0;
    frame.next = 0;
    for (int i = 0; i < SPLAT_MAX_PARTS && cut < n_bands; i++)
      {
        SplatPart *part = &frame.parts[frame.n_parts++];
        int end = cut + 1;

        while (end < n_bands &&
               (i == SPLAT_MAX_PARTS - 1 ||
                band_start[end] < (guint64) total * (i + 1) / SPLAT_MAX_PARTS))
          end++;
        *part = top;
        part->run.y_lo = MIN (height, cut * BAND_ROWS);
        part->run.y_hi = MIN (height, end * BAND_ROWS);
        part->b_from = MAX (0, cut - reach);
        part->b_to = MIN (n_bands, end + reach);
        cut = end;
      }

    {
      SplatTaker caller = { &frame, self->hits }, worker = { &frame, self->hits2 };

      _es_splat_worker_run (self->splat_worker, splat_frame_take, &caller, &worker);
      _es_splat_worker_end_frame (self->splat_worker);
    }
  }
}
