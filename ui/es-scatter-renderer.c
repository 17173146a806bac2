/* es-scatter-renderer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-scatter-renderer"

#include "config.h"

#include "es-scatter-renderer.h"

#include "es-label-cache.h"
#include "es-png-writer.h"
#include "es-rank-grid.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#ifdef __SSE2__
#include <immintrin.h>
#endif

#define KEY_NONE      0xffff
#define OCC_CELL      4      /* label occupancy grid cell, pixels */
#define SUB           4      /* sub-pixel positions per axis of a sprite */
#define MAX_SPRITE_Q  256    /* diameters up to 64 px in quarter pixels */
#define FOG_LEVELS    16
#define LABEL_TRIES   2500   /* on-screen candidates measured per layout */
#define LABEL_SCAN    40000  /* on-screen candidates looked at per layout */
#define LABEL_RINGS   10     /* how far a forced label may move out of a crowd */
#define RANK_GRID_MIN 20000  /* rows from which label candidates come from a grid */

typedef struct
{
  int     radius;     /* sprite is (2 * radius + 1)^2 */
  int     size;
  guint8 *coverage;   /* SUB * SUB sprites, one per sub-pixel offset */
  guint8 *span;       /* per sprite and row: first and one-past-last covered pixel */
} Sprite;

struct _EsScatterRenderer
{
  Sprite          *sprites[MAX_SPRITE_Q + 1];
  float           *zbuf;
  gsize            zbuf_len;
  guint8          *hits;      /* points centred in each pixel, 2D */
  gsize            hits_len;
  float           *band_xy;   /* 2D: projected points grouped by band of rows */
  guint32         *band_color;
  gsize            band_len;
  guint8          *density;   /* big N: points per pixel, up to 255 */
  guint16         *hsum;      /* ... and their horizontal box sums */
  guint16         *key_at;    /* ... colour key of the last point per pixel */
  guint16         *hkey;
  guint32         *box_rows;
  gsize            density_len;
  gsize            density_threshold;
  guint8          *slice;     /* big N, 3D: depth slice per point */
  guint32         *order;     /* ... and the points nearest slice first */
  gsize            slice_len;
  guint32         *accum;     /* ... drawn front to back into this layer */
  gsize            accum_len;

  /* Label widths, measured once per data and font. */
  EsScatterData   *width_data;
  double           width_font_size;
  char            *width_font_family;
  float           *widths;

  guint8          *occupancy;
  gsize            occupancy_len;
  int              occ_cols;
  int              occ_rows;
  GArray          *labels;
  EsLabelCache    *label_cache;
  EsRankGrid      *rank_grid;   /* label candidates by rank near the view (2D) */
};

/* Okabe & Ito (2008), reordered so the first colours differ most and the
 * yellow (weak on white) comes late; black is replaced by grey so points
 * never look like text.
 */
static const double okabe_ito[8][3] = {
  { 0.000, 0.447, 0.698 }, /* blue */
  { 0.902, 0.624, 0.000 }, /* orange */
  { 0.000, 0.620, 0.451 }, /* bluish green */
  { 0.835, 0.369, 0.000 }, /* vermillion */
  { 0.337, 0.706, 0.914 }, /* sky blue */
  { 0.800, 0.475, 0.655 }, /* reddish purple */
  { 0.941, 0.894, 0.259 }, /* yellow */
  { 0.600, 0.600, 0.600 }, /* grey */
};

/* matplotlib's viridis at 17 evenly spaced stops. */
static const double viridis[17][3] = {
  { 0.2670, 0.0049, 0.3294 }, { 0.2823, 0.0950, 0.4173 }, { 0.2788, 0.1755, 0.4834 },
  { 0.2590, 0.2515, 0.5247 }, { 0.2297, 0.3224, 0.5457 }, { 0.1994, 0.3876, 0.5546 },
  { 0.1727, 0.4488, 0.5579 }, { 0.1490, 0.5081, 0.5573 }, { 0.1276, 0.5669, 0.5506 },
  { 0.1206, 0.6258, 0.5335 }, { 0.1579, 0.6838, 0.5017 }, { 0.2461, 0.7389, 0.4520 },
  { 0.3692, 0.7889, 0.3829 }, { 0.5160, 0.8312, 0.2943 }, { 0.6785, 0.8637, 0.1895 },
  { 0.8456, 0.8873, 0.0997 }, { 0.9932, 0.9062, 0.1439 },
};

static const double missing_rgb[3] = { 0.62, 0.62, 0.62 };

gboolean
es_plot_format_from_path (const char   *path,
                          EsPlotFormat *format)
{
  const char *dot;

  g_return_val_if_fail (path != NULL, FALSE);

  dot = strrchr (path, '.');
  if (dot == NULL || strchr (dot, G_DIR_SEPARATOR) != NULL)
    return FALSE;
  if (g_ascii_strcasecmp (dot, ".png") == 0)
    *format = ES_PLOT_FORMAT_PNG;
  else if (g_ascii_strcasecmp (dot, ".svg") == 0)
    *format = ES_PLOT_FORMAT_SVG;
  else if (g_ascii_strcasecmp (dot, ".pdf") == 0)
    *format = ES_PLOT_FORMAT_PDF;
  else
    return FALSE;

  return TRUE;
}

static void
set_rgba (double  c[4],
          double  r,
          double  g,
          double  b,
          double  a)
{
  c[0] = r;
  c[1] = g;
  c[2] = b;
  c[3] = a;
}

void
es_plot_style_init (EsPlotStyle *style,
                    gboolean     dark)
{
  g_return_if_fail (style != NULL);

  memset (style, 0, sizeof *style);
  if (dark)
    {
      set_rgba (style->background, 0.118, 0.118, 0.118, 1);
      set_rgba (style->foreground, 0.92, 0.92, 0.92, 1);
      set_rgba (style->grid, 1, 1, 1, 0.09);
      set_rgba (style->accent, 1.0, 0.64, 0.28, 1);
      /* Okabe & Ito's sky blue: their blue is too dark on a dark background. */
      set_rgba (style->point, 0.337, 0.706, 0.914, 1);
    }
  else
    {
      set_rgba (style->background, 1, 1, 1, 1);
      set_rgba (style->foreground, 0.14, 0.14, 0.16, 1);
      set_rgba (style->grid, 0, 0, 0, 0.08);
      set_rgba (style->accent, 0.90, 0.38, 0.0, 1);
      set_rgba (style->point, 0.000, 0.447, 0.698, 1);
    }
  style->point_size = 4;
  style->opacity = 0.75;
  style->font_size = 12;
  style->font_family = "Sans";
  style->show_labels = TRUE;
  style->show_axes = TRUE;
  style->show_legend = TRUE;
}

void
es_plot_overlay_init (EsPlotOverlay *overlay)
{
  g_return_if_fail (overlay != NULL);

  memset (overlay, 0, sizeof *overlay);
  overlay->selected = -1;
  for (guint i = 0; i < 4; i++)
    overlay->analogy[i] = -1;
}

void
es_scatter_renderer_category_color (guint  category,
                                    double rgb[3])
{
  guint base = category % 8;
  guint round = category / 8;

  memcpy (rgb, okabe_ito[base], 3 * sizeof (double));
  if (round > 0)
    {
      /* Beyond eight: alternately darker and lighter shades of the same
       * hues, so neighbours in the legend stay distinguishable.
       */
      double amount = 0.28 * ((round + 1) / 2) / (1.0 + (round + 1) / 2 * 0.5);

      for (guint c = 0; c < 3; c++)
        rgb[c] = round % 2 == 1 ? rgb[c] * (1 - amount) : rgb[c] + (1 - rgb[c]) * amount;
    }
}

void
es_scatter_renderer_gradient_color (double t,
                                    double rgb[3])
{
  double pos;
  int i;
  double f;

  if (!isfinite (t))
    {
      memcpy (rgb, missing_rgb, sizeof missing_rgb);
      return;
    }
  pos = CLAMP (t, 0.0, 1.0) * 16.0;
  i = MIN ((int) pos, 15);
  f = pos - i;
  for (guint c = 0; c < 3; c++)
    rgb[c] = viridis[i][c] * (1 - f) + viridis[i + 1][c] * f;
}

static void
key_color (const EsScatterData *data,
           const EsPlotStyle   *style,
           guint16              key,
           double               rgb[3])
{
  if (key == KEY_NONE)
    {
      memcpy (rgb, missing_rgb, sizeof missing_rgb);
      return;
    }
  switch (es_scatter_data_get_color_mode (data))
    {
    case ES_SCATTER_COLOR_CATEGORIES:
      es_scatter_renderer_category_color (key, rgb);
      break;

    case ES_SCATTER_COLOR_VALUES:
      es_scatter_renderer_gradient_color (key / 255.0, rgb);
      break;

    case ES_SCATTER_COLOR_NONE:
    default:
      memcpy (rgb, style->point, 3 * sizeof (double));
      break;
    }
}

static guint
n_color_keys (const EsScatterData *data)
{
  switch (es_scatter_data_get_color_mode (data))
    {
    case ES_SCATTER_COLOR_CATEGORIES:
      return MAX (es_scatter_data_get_n_categories (data), 1);
    case ES_SCATTER_COLOR_VALUES:
      return 256;
    case ES_SCATTER_COLOR_NONE:
    default:
      return 1;
    }
}

static guint32
pack_premultiplied (const double rgb[3],
                    double       alpha)
{
  guint32 a = (guint32) CLAMP (alpha * 255.0 + 0.5, 0, 255);
  guint32 r = (guint32) CLAMP (rgb[0] * a + 0.5, 0, a);
  guint32 g = (guint32) CLAMP (rgb[1] * a + 0.5, 0, a);
  guint32 b = (guint32) CLAMP (rgb[2] * a + 0.5, 0, a);

  return a << 24 | r << 16 | g << 8 | b;
}

/* ---- sprites and pixel blending -------------------------------------- */

static const Sprite *
get_sprite (EsScatterRenderer *self,
            double             diameter)
{
  int q = CLAMP ((int) (diameter * 4 + 0.5), 1, MAX_SPRITE_Q);
  Sprite *s = self->sprites[q];
  double r;

  if (s != NULL)
    return s;

  r = q / 8.0;
  s = g_new0 (Sprite, 1);
  s->radius = (int) ceil (r + 0.5);
  s->size = 2 * s->radius + 1;
  /* Padded: the vector splat reads up to 3 bytes past a row. */
  s->coverage = g_new0 (guint8, SUB * SUB * s->size * s->size + 16);
  for (int fy = 0; fy < SUB; fy++)
    for (int fx = 0; fx < SUB; fx++)
      {
        guint8 *cov = s->coverage + (fy * SUB + fx) * s->size * s->size;
        double cx = s->radius + (fx + 0.5) / SUB;
        double cy = s->radius + (fy + 0.5) / SUB;

        for (int j = 0; j < s->size; j++)
          for (int i = 0; i < s->size; i++)
            {
              double d = hypot (i + 0.5 - cx, j + 0.5 - cy);
              /* Area coverage of a disc edge, approximated by distance:
               * exact enough for 1-64 px markers and cheap to build.
               */
              double c = CLAMP (r + 0.5 - d, 0.0, 1.0);

              cov[j * s->size + i] = (guint8) (c * 255.0 + 0.5);
            }
      }

  /* Row spans: the corners of the square are empty, so skip them. */
  s->span = g_new0 (guint8, SUB * SUB * s->size * 2);
  for (int k = 0; k < SUB * SUB; k++)
    for (int j = 0; j < s->size; j++)
      {
        const guint8 *row = s->coverage + k * s->size * s->size + j * s->size;
        guint8 *span = s->span + (k * s->size + j) * 2;
        int first = s->size, last = 0;

        for (int i = 0; i < s->size; i++)
          if (row[i] != 0)
            {
              first = MIN (first, i);
              last = i + 1;
            }
        span[0] = (guint8) MIN (first, last);
        span[1] = (guint8) last;
      }
  self->sprites[q] = s;

  return s;
}

/* The cached sprite without a call: this runs once per 3D point. */
static inline const Sprite *
sprite_for (EsScatterRenderer *self,
            double             diameter)
{
  int q = CLAMP ((int) (diameter * 4 + 0.5), 1, MAX_SPRITE_Q);

  return G_LIKELY (self->sprites[q] != NULL) ? self->sprites[q] : get_sprite (self, diameter);
}

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

/* floor () without the libm call: this runs several times per point. */
static inline int
fast_floor (double v)
{
  int i = (int) v;

  return i - (v < i);
}

/* p * a / 256 for all four premultiplied channels at once. */
static inline guint32
scale_pixel (guint32 p,
             guint32 a)
{
  guint32 rb = (((p & 0x00ff00ff) * a) >> 8) & 0x00ff00ff;
  guint32 ag = (((p >> 8) & 0x00ff00ff) * a) & 0xff00ff00;

  return rb | ag;
}

static inline guint32
over (guint32 src,
      guint32 dst)
{
  guint32 ia = 255 - (src >> 24);

  return src + scale_pixel (dst, ia + (ia >> 7));
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
} SpritePlace;

static inline SpritePlace
sprite_place (const Sprite *s,
              double        sx,
              double        sy,
              int           width,
              int           height)
{
  int ix = fast_floor (sx);
  int iy = fast_floor (sy);
  int fx = MIN ((int) ((sx - ix) * SUB), SUB - 1);
  int fy = MIN ((int) ((sy - iy) * SUB), SUB - 1);
  int k = fy * SUB + fx;
  SpritePlace pl;
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

static inline void
splat (guint32       *pixels,
       int            stride_px,
       int            width,
       int            height,
       const Sprite  *s,
       double         sx,
       double         sy,
       guint32        color)
{
  SpritePlace pl = sprite_place (s, sx, sy, width, height);
  const guint8 *cov = pl.cov, *span = pl.span;
  int x0 = pl.x0, y0 = pl.y0, i0 = pl.i0, j0 = pl.j0, i1 = pl.i1, j1 = pl.j1;

  for (int j = j0; j < j1; j++)
    {
      guint32 *row = pixels + (gsize) (y0 + j) * stride_px + x0;
      const guint8 *c = cov + j * s->size;
      int a0 = MAX (i0, span[2 * j]), a1 = MIN (i1, span[2 * j + 1]);

      for (int i = a0; i < a1; i++)
        {
          guint32 a = c[i];

          row[i] = over (scale_pixel (color, a + (a >> 7)), row[i]);
        }
    }
}

#ifdef __SSE2__
/* over (scale_pixel (color, a + (a >> 7)), dst) for four pixels at once,
 * channel by channel in 16-bit lanes: the same integer arithmetic as the
 * scalar code (every product fits in 16 bits), so the same pixels.
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
  ia01 = _mm_add_epi16 (ia01, _mm_srli_epi16 (ia01, 7));
  ia23 = _mm_add_epi16 (ia23, _mm_srli_epi16 (ia23, 7));
  d01 = _mm_unpacklo_epi8 (dst, zero);
  d23 = _mm_unpackhi_epi8 (dst, zero);
  d01 = _mm_add_epi16 (s01, _mm_srli_epi16 (_mm_mullo_epi16 (d01, ia01), 8));
  d23 = _mm_add_epi16 (s23, _mm_srli_epi16 (_mm_mullo_epi16 (d23, ia23), 8));

  return _mm_packus_epi16 (d01, d23);
}
#endif

/* splat () four pixels at a time where the sprite's rows, rounded up to
 * four pixels, stay on the surface; zero coverage leaves a pixel as it
 * was, so the rounding changes nothing.
 */
static inline void
splat_fast (guint32       *pixels,
            int            stride_px,
            int            width,
            int            height,
            const Sprite  *s,
            double         sx,
            double         sy,
            guint32        color)
{
#ifdef __SSE2__
  SpritePlace pl = sprite_place (s, sx, sy, width, height);
  const guint8 *cov = pl.cov, *span = pl.span;
  int x0 = pl.x0, y0 = pl.y0, j0 = pl.j0, j1 = pl.j1;
  __m128i color16;

  if (pl.i0 != 0 || x0 + s->size + 3 > width)
    {
      splat (pixels, stride_px, width, height, s, sx, sy, color);
      return;
    }
  color16 = _mm_unpacklo_epi8 (_mm_set1_epi32 ((int) color), _mm_setzero_si128 ());
  for (int j = j0; j < j1; j++)
    {
      guint32 *row = pixels + (gsize) (y0 + j) * stride_px + x0;
      const guint8 *c = cov + j * s->size;
      int a1 = span[2 * j + 1];

      for (int i = span[2 * j]; i < a1; i += 4)
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
  splat (pixels, stride_px, width, height, s, sx, sy, color);
#endif
}

#if defined(__SSE2__) && defined(__GNUC__)
#define HAVE_AVX2_SPLAT 1
/* splat_fast () eight pixels at a time (a 4-7 px marker's row in one
 * step), for CPUs with AVX2.  Unpacking works within 128-bit halves: the
 * low unpack holds pixels 0, 1, 4, 5 and the high one 2, 3, 6, 7, and the
 * coverage is spread to match.
 */
__attribute__ ((target ("avx2"))) static inline void
splat_avx2 (guint32       *pixels,
            int            stride_px,
            int            width,
            int            height,
            const Sprite  *s,
            double         sx,
            double         sy,
            guint32        color)
{
  SpritePlace pl = sprite_place (s, sx, sy, width, height);
  const guint8 *cov = pl.cov, *span = pl.span;
  int x0 = pl.x0, y0 = pl.y0, j0 = pl.j0, j1 = pl.j1;
  const __m256i zero = _mm256_setzero_si256 ();
  const __m256i c255 = _mm256_set1_epi16 (255);
  __m256i color16;

  if (pl.i0 != 0 || x0 + s->size + 7 > width)
    {
      splat (pixels, stride_px, width, height, s, sx, sy, color);
      return;
    }
  color16 = _mm256_unpacklo_epi8 (_mm256_set1_epi32 ((int) color), zero);
  for (int j = j0; j < j1; j++)
    {
      guint32 *row = pixels + (gsize) (y0 + j) * stride_px + x0;
      const guint8 *c = cov + j * s->size;
      int a1 = span[2 * j + 1];

      for (int i = span[2 * j]; i < a1; i += 8)
        {
          guint64 cov8;
          __m128i a, alo, ahi;
          __m256i a32, alo4, ahi4, slo, shi, ialo, iahi, d, dlo, dhi;

          memcpy (&cov8, c + i, 8);
          if (a1 - i < 8)
            cov8 &= G_GUINT64_CONSTANT (0xffffffffffffffff) >> (8 * (8 - (a1 - i)));
          a = _mm_unpacklo_epi8 (_mm_cvtsi64_si128 ((long long) cov8), _mm_setzero_si128 ());
          a = _mm_add_epi16 (a, _mm_srli_epi16 (a, 7));
          alo = _mm_unpacklo_epi16 (a, a);
          ahi = _mm_unpackhi_epi16 (a, a);
          a32 = _mm256_inserti128_si256 (_mm256_castsi128_si256 (alo), ahi, 1);
          alo4 = _mm256_unpacklo_epi32 (a32, a32);
          ahi4 = _mm256_unpackhi_epi32 (a32, a32);
          slo = _mm256_srli_epi16 (_mm256_mullo_epi16 (color16, alo4), 8);
          shi = _mm256_srli_epi16 (_mm256_mullo_epi16 (color16, ahi4), 8);
          ialo = _mm256_sub_epi16 (c255, _mm256_shufflehi_epi16 (_mm256_shufflelo_epi16 (slo, 0xff), 0xff));
          iahi = _mm256_sub_epi16 (c255, _mm256_shufflehi_epi16 (_mm256_shufflelo_epi16 (shi, 0xff), 0xff));
          ialo = _mm256_add_epi16 (ialo, _mm256_srli_epi16 (ialo, 7));
          iahi = _mm256_add_epi16 (iahi, _mm256_srli_epi16 (iahi, 7));
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

/* The same with a depth test: a pixel takes the point only if nothing
 * nearer covers it yet, so points need no per-frame depth sort.
 */
static inline void
splat_depth (guint32       *pixels,
             float         *zbuf,
             int            stride_px,
             int            width,
             int            height,
             const Sprite  *s,
             double         sx,
             double         sy,
             float          depth,
             guint32        color)
{
  SpritePlace pl = sprite_place (s, sx, sy, width, height);
  const guint8 *cov = pl.cov, *span = pl.span;
  int x0 = pl.x0, y0 = pl.y0, i0 = pl.i0, j0 = pl.j0, i1 = pl.i1, j1 = pl.j1;

  for (int j = j0; j < j1; j++)
    {
      guint32 *row = pixels + (gsize) (y0 + j) * stride_px + x0;
      float *zrow = zbuf + (gsize) (y0 + j) * width + x0;
      const guint8 *c = cov + j * s->size;
      int a0 = MAX (i0, span[2 * j]), a1 = MIN (i1, span[2 * j + 1]);

      /* Within a span every coverage is non-zero (a disc's rows are
       * contiguous); the depth test is a select, not a branch: which
       * way it goes is unpredictable in a dense cloud.
       */
      for (int i = a0; i < a1; i++)
        {
          guint32 a = c[i];
          guint32 old = row[i];
          float z = zrow[i];
          guint32 blended = over (scale_pixel (color, a + (a >> 7)), old);
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
splat_under (guint32       *accum,
             int            width,
             int            height,
             const Sprite  *s,
             double         sx,
             double         sy,
             guint32        color)
{
  SpritePlace pl = sprite_place (s, sx, sy, width, height);
  const guint8 *cov = pl.cov, *span = pl.span;
  int x0 = pl.x0, y0 = pl.y0, i0 = pl.i0, j0 = pl.j0, i1 = pl.i1, j1 = pl.j1;

  for (int j = j0; j < j1; j++)
    {
      guint32 *row = accum + (gsize) (y0 + j) * width + x0;
      const guint8 *c = cov + j * s->size;
      int a0 = MAX (i0, span[2 * j]), a1 = MIN (i1, span[2 * j + 1]);

      for (int i = a0; i < a1; i++)
        {
          guint32 a = c[i];
          guint32 d = row[i];
          guint32 room = 255 - (d >> 24);

          row[i] = d + scale_pixel (scale_pixel (color, a + (a >> 7)), room + (room >> 7));
        }
    }
}

static guint32 *
build_lut (const EsScatterData *data,
           const EsPlotStyle   *style,
           guint               *n_keys,
           guint32             *missing)
{
  guint n = n_color_keys (data);
  guint32 *lut = g_new (guint32, n);
  double rgb[3];

  for (guint k = 0; k < n; k++)
    {
      key_color (data, style, (guint16) k, rgb);
      lut[k] = pack_premultiplied (rgb, style->opacity);
    }
  key_color (data, style, KEY_NONE, rgb);
  *missing = pack_premultiplied (rgb, style->opacity * 0.6);
  *n_keys = n;

  return lut;
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
  guint32 bg = scale_pixel (background, a + (a >> 7));

  return (scale_pixel (c, 256 - f) + scale_pixel (bg, f)) | (a << 24);
}

/* ---- geometry helpers -------------------------------------------------- */

static double
nice_step (double range,
           int    target)
{
  double raw = range / MAX (target, 1);
  double mag = pow (10, floor (log10 (raw)));
  double norm = raw / mag;

  if (norm < 1.5)
    return mag;
  if (norm < 3.5)
    return 2 * mag;
  if (norm < 7.5)
    return 5 * mag;
  return 10 * mag;
}

static void
format_tick (double  value,
             double  step,
             char   *buf,
             gsize   len)
{
  int decimals = step >= 1 ? 0 : (int) ceil (-log10 (step) - 1e-9);
  char fmt[16];

  if (fabs (value) < step * 1e-6)
    value = 0;
  g_snprintf (fmt, sizeof fmt, "%%.%df", CLAMP (decimals, 0, 12));
  g_ascii_formatd (buf, len, fmt, value);
}

/* Data-unit ticks of one axis (2D) visible on the surface. */
static guint
compute_ticks (const EsScatterData *data,
               const EsViewport    *vp,
               guint                axis,
               double              *values,
               double              *positions,
               guint                max_ticks,
               double              *step_out)
{
  double a0, a1, b0, b1, lo, hi, step;
  guint n = 0;

  if (axis == 0)
    {
      es_viewport_unproject (vp, 0, 0, &a0, &b0);
      es_viewport_unproject (vp, vp->width, vp->height, &a1, &b1);
    }
  else
    {
      es_viewport_unproject (vp, 0, vp->height, &b0, &a0);
      es_viewport_unproject (vp, vp->width, 0, &b1, &a1);
    }
  lo = es_scatter_data_to_data_units (data, axis, a0);
  hi = es_scatter_data_to_data_units (data, axis, a1);
  if (!(hi > lo) || !isfinite (lo) || !isfinite (hi))
    return 0;

  step = nice_step (hi - lo, MAX (2, (int) ((axis == 0 ? vp->width : vp->height) / 110)));
  *step_out = step;
  for (double v = ceil (lo / step) * step; v <= hi && n < max_ticks; v += step)
    {
      double norm = es_scatter_data_from_data_units (data, axis, v);
      double sx, sy;

      if (axis == 0)
        es_viewport_project (vp, norm, 0.5, 0.5, &sx, &sy, NULL);
      else
        es_viewport_project (vp, 0.5, norm, 0.5, &sx, &sy, NULL);
      values[n] = v;
      positions[n] = axis == 0 ? sx : sy;
      n++;
    }

  return n;
}

static void
set_source (cairo_t      *cr,
            const double  c[4],
            double        alpha)
{
  cairo_set_source_rgba (cr, c[0], c[1], c[2], c[3] * alpha);
}

static void
select_font (cairo_t           *cr,
             const EsPlotStyle *style,
             double             scale,
             gboolean           bold)
{
  cairo_select_font_face (cr, style->font_family != NULL ? style->font_family : "Sans",
                          CAIRO_FONT_SLANT_NORMAL,
                          bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, MAX (style->font_size * scale, 1));
}

/* Text with a halo in the background colour: readable over points.  On
 * pixels the halo is the text itself shifted around (a glyph-cache hit
 * each, where an outline stroke costs ~80 us), and the whole label is
 * cached as an image; in vector output the halo is a stroked outline and
 * the text stays real text (so PDF keeps it searchable).
 */
static void
show_text_halo (EsScatterRenderer *self,
                cairo_t           *cr,
                const EsPlotStyle *style,
                double             x,
                double             y,
                const char        *text,
                const double       color[4])
{
  double halo[4] = { style->background[0], style->background[1], style->background[2],
                     style->background[3] * 0.85 };
  double w = MAX (style->font_size / 12, 1);

  if (es_label_cache_usable (cr))
    {
      es_label_cache_show (self->label_cache, cr, x, y, text, color, halo, w);
      return;
    }
  if (cairo_surface_get_type (cairo_get_target (cr)) == CAIRO_SURFACE_TYPE_IMAGE)
    {
      es_label_cache_show_uncached (cr, x, y, text, color, halo, w);
      return;
    }

  cairo_new_path (cr);
  set_source (cr, halo, 1);
  cairo_move_to (cr, x, y);
  cairo_text_path (cr, text);
  cairo_set_line_width (cr, MAX (style->font_size / 4, 2));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke (cr);
  cairo_move_to (cr, x, y);
  set_source (cr, color, 1);
  cairo_show_text (cr, text);
  cairo_new_path (cr);
}

static void
rounded_rect (cairo_t *cr,
              double   x,
              double   y,
              double   w,
              double   h,
              double   r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static gboolean
project_row (const EsScatterData   *data,
             const EsViewTransform *t,
             gsize                  row,
             double                *sx,
             double                *sy,
             double                *depth)
{
  double x, y, z;

  if (row >= es_scatter_data_get_n_points (data))
    return FALSE;
  if (!es_scatter_data_get_point (data, row, &x, &y, &z))
    return FALSE;
  return es_view_transform_project (t, x, y, z, sx, sy, depth);
}

/* Marker diameter of a point in 3D: perspective makes near points bigger. */
static double
depth_size_factor (const EsViewport *vp,
                   double            depth)
{
  if (!vp->three_d || depth <= 0)
    return 1.0;
  return CLAMP (vp->distance / depth, 0.35, 3.0);
}

/* ---- underlay: grid (2D) or bounding box (3D) ------------------------- */

static void
draw_underlay (cairo_t             *cr,
               const EsScatterData *data,
               const EsViewport    *vp,
               const EsPlotStyle   *style)
{
  if (!style->show_axes)
    return;

  cairo_save (cr);
  set_source (cr, style->grid, 1);
  cairo_set_line_width (cr, 1);

  if (!vp->three_d)
    {
      double values[64], pos[64], step;
      guint n;

      n = compute_ticks (data, vp, 0, values, pos, G_N_ELEMENTS (values), &step);
      for (guint i = 0; i < n; i++)
        {
          cairo_move_to (cr, floor (pos[i]) + 0.5, 0);
          cairo_line_to (cr, floor (pos[i]) + 0.5, vp->height);
        }
      n = compute_ticks (data, vp, 1, values, pos, G_N_ELEMENTS (values), &step);
      for (guint i = 0; i < n; i++)
        {
          cairo_move_to (cr, 0, floor (pos[i]) + 0.5);
          cairo_line_to (cr, vp->width, floor (pos[i]) + 0.5);
        }
      cairo_stroke (cr);
    }
  else
    {
      double lo[3], hi[3];
      EsViewTransform t;
      double corner[8][2];
      gboolean ok[8];

      es_scatter_data_get_bounds (data, lo, hi);
      es_viewport_get_transform (vp, &t);
      for (guint c = 0; c < 8; c++)
        ok[c] = es_view_transform_project (&t, c & 1 ? hi[0] : lo[0], c & 2 ? hi[1] : lo[1],
                                           c & 4 ? hi[2] : lo[2], &corner[c][0], &corner[c][1], NULL);
      /* The 12 edges join corners differing in exactly one bit. */
      for (guint a = 0; a < 8; a++)
        for (guint bit = 1; bit < 8; bit <<= 1)
          {
            guint b = a | bit;

            if (b == a || !ok[a] || !ok[b])
              continue;
            cairo_move_to (cr, corner[a][0], corner[a][1]);
            cairo_line_to (cr, corner[b][0], corner[b][1]);
          }
      set_source (cr, style->grid, 2.0);
      cairo_stroke (cr);
    }

  cairo_restore (cr);
}

/* ---- points: raster back-end ----------------------------------------- */

/* Big N: count the points per pixel, spread the counts by a (2R+1)^2 box
 * (two running sums, so the cost does not depend on N or the marker
 * size), and map every pixel's count c to alpha 1 - (1 - a)^c: what c
 * overlapping markers would give, at a fixed cost per pixel plus a few
 * nanoseconds per point instead of a sprite per point.  With colours,
 * a pixel takes the colour of the last point that landed on it, or else
 * of the nearest such pixel in the box (spread along with the counts).
 */
static void
render_points_density (EsScatterRenderer     *self,
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
  g_autofree int *vpos = g_new (int, width);
  g_autofree guint16 *vkey = g_new0 (guint16, width);
  g_autofree guint16 *zeros = g_new0 (guint16, width);
  guint n_keys = n_color_keys (data);
  guint8 *dens;
  guint16 *hsum, *key_at, *hkey;
  guint32 background = pack_premultiplied (style->background, style->background[3]);
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

      key_color (data, style, k < n_keys ? (guint16) k : KEY_NONE, rgb);
      opaque[k] = pack_premultiplied (rgb, 1.0);
    }
  /* One colour: most pixels are plain background, so their blend by
   * count is a lookup.
   */
  for (guint c = 0; c < 256; c++)
    on_background[c] = over (scale_pixel (opaque[0], alpha_of[c] + (alpha_of[c] >> 7)), background);

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
            kout[x] = in[x] != 0 ? kin[x] : kin[last];
          if (x - radius >= 0)
            acc -= in[x - radius];
        }
    }

  /* Vertical box sums as a running sum of rows, then colour. */
  memset (rows, 0, (width + 1) * sizeof (guint32));
  for (int x = 0; x < width; x++)
    vpos[x] = -1;
  for (int y = 0; y < MIN (radius, height); y++)
    for (int x = 0; x < width; x++)
      {
        rows[x] += hsum[(gsize) y * width + x];
        if (hsum[(gsize) y * width + x] != 0)
          {
            vpos[x] = y;
            vkey[x] = hkey[(gsize) y * width + x];
          }
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

                  dst[x] = over (scale_pixel (opaque[0], al + (al >> 7)), dst[x]);
                }
            }
          continue;
        }
      if (add != NULL)
        for (int x = 0; x < width; x++)
          {
            rows[x] += add[x];
            if (colored && add[x] != 0)
              {
                vpos[x] = y + radius;
                vkey[x] = kadd[x];
              }
          }
      for (int x = 0; x < width; x++)
        {
          guint32 c = rows[x];

          if (c != 0)
            {
              guint32 al = alpha_of[MIN (c, 255)];
              guint32 color = opaque[here[x] != 0 ? khere[x] : vkey[x]];

              dst[x] = over (scale_pixel (color, al + (al >> 7)), dst[x]);
            }
        }
      if (sub != NULL)
        for (int x = 0; x < width; x++)
          rows[x] -= sub[x];
    }
}

#define BAND_ROWS 8

static gboolean
use_density (EsScatterRenderer   *self,
             EsScatterData       *data,
             const EsViewport    *vp)
{
  return !vp->three_d && es_scatter_data_get_n_visible (data) >= self->density_threshold;
}

/* One band's points, for the splat loops below. */
typedef struct
{
  guint32       *pixels;
  int            stride_px;
  int            width;
  int            height;
  const Sprite  *sprite;
  const float   *xy;
  const guint32 *color;
  guint8        *hits;
  guint          saturation;
  guint32        from;
  guint32        to;
} SplatRun;

/* Points past @saturation in one pixel add nothing visible: skipped. */
#define SPLAT_RUN_BODY(SPLAT)                                                            \
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
      SPLAT (r->pixels, r->stride_px, r->width, r->height, r->sprite, sx, sy, r->color[k]); \
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

/* Background, grid and points of the 2D sprite path, one band of rows at
 * a time.  The points are first bucketed by band (a counting sort: two
 * linear passes), then each band is cleared just before its points are
 * blended in, so the pixels they touch are still in the cache; clearing
 * the whole surface first and splatting afterwards makes nearly every
 * point a cache miss.
 */
static void
render_points_banded (EsScatterRenderer   *self,
                      guint32             *pixels,
                      int                  stride_px,
                      int                  width,
                      int                  height,
                      EsScatterData       *data,
                      const EsViewport    *vp,
                      const EsPlotStyle   *style)
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
  const Sprite *sprite = get_sprite (self, MAX (style->point_size, 0.5));
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
  int filled = 0;
  SplatRun run;
#ifdef HAVE_AVX2_SPLAT
  gboolean avx2 = __builtin_cpu_supports ("avx2");
#endif

  lut = build_lut (data, style, &n_keys, &missing);
  es_viewport_get_transform (vp, &t);
  background = pack_premultiplied (style->background, style->background[3]);

  /* The grid, as the Cairo underlay would draw it: 1 px lines at the
   * floor of each tick position.
   */
  grid = over (pack_premultiplied (style->grid, style->grid[3]), background);
  grid_x = g_new (int, 64);
  grid_row = g_new0 (guint8, height);
  if (style->show_axes)
    {
      double values[64], pos[64], step;
      guint nt;

      nt = compute_ticks (data, vp, 0, values, pos, G_N_ELEMENTS (values), &step);
      for (guint i = 0; i < nt; i++)
        if (floor (pos[i]) >= 0 && floor (pos[i]) < width)
          grid_x[n_grid_x++] = (int) floor (pos[i]);
      nt = compute_ticks (data, vp, 1, values, pos, G_N_ELEMENTS (values), &step);
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
      memset (self->hits, 0, n_pixels);
    }

  /* Count per band, then place: points keep their spatial order within
   * a band.
   */
  band_start = g_new0 (guint32, n_bands + 1);
  for (gsize i = 0; i < n; i++)
    {
      double sx = t.ax * xyz[3 * i] + t.bx;
      double sy = t.ay * xyz[3 * i + 1] + t.by;

      if (sx < -margin || sy < -margin || sx >= width + margin || sy >= height + margin)
        continue;
      band_start[CLAMP (fast_floor (sy) / BAND_ROWS, 0, n_bands - 1) + 1]++;
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

        if (sx < -margin || sy < -margin || sx >= width + margin || sy >= height + margin)
          continue;
        pos = fill[CLAMP (fast_floor (sy) / BAND_ROWS, 0, n_bands - 1)]++;
        self->band_xy[2 * pos] = (float) sx;
        self->band_xy[2 * pos + 1] = (float) sy;
        self->band_color[pos] = keys[i] < n_keys ? lut[keys[i]] : missing;
      }
  }

  run.pixels = pixels;
  run.stride_px = stride_px;
  run.width = width;
  run.height = height;
  run.sprite = sprite;
  run.xy = self->band_xy;
  run.color = self->band_color;
  run.hits = self->hits;
  run.saturation = saturation;
  for (int b = 0; b < n_bands; b++)
    {
      /* Clear every row a sprite of this band can reach. */
      int need = MIN (height, (b + 1) * BAND_ROWS + sprite->radius + 1);

      for (; filled < need; filled++)
        memcpy (pixels + (gsize) filled * stride_px, grid_row[filled] ? grid_line : plain_line,
                (gsize) width * sizeof (guint32));

      run.from = band_start[b];
      run.to = band_start[b + 1];
#ifdef HAVE_AVX2_SPLAT
      if (avx2)
        splat_run_avx2 (&run);
      else
#endif
        splat_run (&run);
    }
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
  const Sprite *s;

  if (!project_3d (t, p, &sx, &sy, &depth))
    return;
  s = sprite_for (self, diameter * depth_size_factor (vp, depth));
  if (sx < -s->radius - 1 || sy < -s->radius - 1 ||
      sx >= width + s->radius + 1 || sy >= height + s->radius + 1)
    return;
  cx = (int) sx;
  cy = (int) sy;
  if (sx >= 0 && sy >= 0 && cx < width && cy < height &&
      self->zbuf[(gsize) cy * width + cx] < depth)
    return;
  level = (int) CLAMP ((depth - near) / (far - near) * FOG_LEVELS, 0, FOG_LEVELS - 1);
  splat_depth (pixels, self->zbuf, stride_px, width, height, s, sx, sy, (float) depth,
               fog[level * (n_keys + 1) + MIN (key, n_keys)]);
}

static void
render_points_raster (EsScatterRenderer   *self,
                      cairo_surface_t     *image,
                      EsScatterData       *data,
                      const EsViewport    *vp,
                      const EsPlotStyle   *style)
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

  lut = build_lut (data, style, &n_keys, &missing);
  es_viewport_get_transform (vp, &t);

  if (use_density (self, data, vp))
    render_points_density (self, pixels, stride_px, width, height, data, &t, style);
  else
    {
      guint32 background = pack_premultiplied (style->background, 1.0);
      g_autofree guint32 *fog = g_new (guint32, (gsize) (n_keys + 1) * FOG_LEVELS);
      double lo[3], hi[3], radius = 0, near, far;
      gsize n_pixels = (gsize) width * height;

      es_scatter_data_get_bounds (data, lo, hi);
      for (guint a = 0; a < 3; a++)
        radius += (hi[a] - lo[a]) * (hi[a] - lo[a]) / 4;
      radius = MAX (sqrt (radius), 1e-6);
      /* Depth cue spans the data's bounding sphere around the target. */
      near = vp->distance - radius;
      far = vp->distance + radius;

      for (guint level = 0; level < FOG_LEVELS; level++)
        {
          guint32 f = level * 150 / (FOG_LEVELS - 1);

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

          if (self->slice_len < n)
            {
              g_free (self->slice);
              g_free (self->order);
  g_free (self->accum);
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
              const Sprite *sp;

              if (!project_3d (&t, xyz + 3 * i, &sx, &sy, &depth))
                continue;
              sp = sprite_for (self, diameter * depth_size_factor (vp, depth));
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
              level = (int) CLAMP ((depth - near) / (far - near) * FOG_LEVELS, 0, FOG_LEVELS - 1);
              splat_under (self->accum, width, height, sp, sx, sy,
                           fog[level * (n_keys + 1) + MIN (keys[i], n_keys)]);
            }
          for (int y = 0; y < height; y++)
            {
              const guint32 *src = self->accum + (gsize) y * width;
              guint32 *dst = pixels + (gsize) y * stride_px;

              for (int x = 0; x < width; x++)
                if (src[x] != 0)
                  dst[x] = over (src[x], dst[x]);
            }
        }
    }
}

/* ---- points: vector back-end ------------------------------------------ */

typedef struct
{
  guint32 index;
  float   depth;
} DepthItem;

static int
compare_depth_desc (gconstpointer a,
                    gconstpointer b)
{
  float da = ((const DepthItem *) a)->depth;
  float db = ((const DepthItem *) b)->depth;

  return da < db ? 1 : da > db ? -1 : 0;
}

static void
render_points_vector (cairo_t             *cr,
                      EsScatterData       *data,
                      const EsViewport    *vp,
                      const EsPlotStyle   *style)
{
  gsize n = es_scatter_data_get_n_visible (data);
  const float *xyz = es_scatter_data_get_sorted_xyz (data);
  const guint16 *keys = es_scatter_data_get_sorted_keys (data);
  g_autoptr(GArray) items = g_array_new (FALSE, FALSE, sizeof (DepthItem));
  EsViewTransform t;
  double r = MAX (style->point_size, 0.5) / 2;
  double lo[3], hi[3], radius = 0, near = 0, far = 1;
  int last_key = -1;
  guint in_path = 0;

  es_viewport_get_transform (vp, &t);
  es_scatter_data_get_bounds (data, lo, hi);
  for (guint a = 0; a < 3; a++)
    radius += (hi[a] - lo[a]) * (hi[a] - lo[a]) / 4;
  radius = MAX (sqrt (radius), 1e-6);
  near = vp->distance - radius;
  far = vp->distance + radius;

  for (gsize i = 0; i < n; i++)
    {
      double sx, sy, depth;
      DepthItem item = { (guint32) i, 0 };

      if (!es_view_transform_project (&t, xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2], &sx, &sy, &depth))
        continue;
      if (sx < -4 * r || sy < -4 * r || sx > vp->width + 4 * r || sy > vp->height + 4 * r)
        continue;
      item.depth = (float) depth;
      g_array_append_val (items, item);
    }
  /* Painter's order in 3D (a vector file has no depth buffer). */
  if (vp->three_d)
    g_array_sort (items, compare_depth_desc);

  cairo_save (cr);
  cairo_new_path (cr);
  for (guint k = 0; k < items->len; k++)
    {
      const DepthItem *item = &g_array_index (items, DepthItem, k);
      gsize i = item->index;
      double sx, sy, depth, rr = r, rgb[3];
      int key = keys[i];

      es_view_transform_project (&t, xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2], &sx, &sy, &depth);
      if (vp->three_d)
        {
          /* The fog in the raster's levels: points in depth order mostly
           * share one with the previous point, so they share a path.
           */
          int level = (int) CLAMP ((depth - near) / (far - near) * FOG_LEVELS, 0, FOG_LEVELS - 1);
          int colour = key * FOG_LEVELS + level;

          rr = r * depth_size_factor (vp, depth);
          if (colour != last_key || in_path >= 256)
            {
              double f = level * 150.0 / (FOG_LEVELS - 1) / 256.0;

              if (in_path > 0)
                cairo_fill (cr);
              in_path = 0;
              key_color (data, style, key, rgb);
              for (guint c = 0; c < 3; c++)
                rgb[c] = rgb[c] * (1 - f) + style->background[c] * f;
              cairo_set_source_rgba (cr, rgb[0], rgb[1], rgb[2],
                                     style->opacity * (key == KEY_NONE ? 0.6 : 1));
              last_key = colour;
            }
        }
      else if (key != last_key || in_path >= 256)
        {
          /* Short runs of one colour per path: a path of thousands of
           * discs makes Cairo's tessellator superlinear.
           */
          if (in_path > 0)
            cairo_fill (cr);
          in_path = 0;
          key_color (data, style, key, rgb);
          cairo_set_source_rgba (cr, rgb[0], rgb[1], rgb[2],
                                 style->opacity * (key == KEY_NONE ? 0.6 : 1));
          last_key = key;
        }
      cairo_new_sub_path (cr);
      cairo_arc (cr, sx, sy, rr, 0, 2 * G_PI);
      in_path++;
    }
  if (in_path > 0)
    cairo_fill (cr);
  cairo_restore (cr);
}

/* ---- overlays: selection, neighbours, analogy ------------------------ */

static void
draw_arrow (cairo_t *cr,
            double   x0,
            double   y0,
            double   x1,
            double   y1,
            double   head)
{
  double dx = x1 - x0, dy = y1 - y0;
  double len = hypot (dx, dy);
  double ux, uy;

  if (len < 1)
    return;
  ux = dx / len;
  uy = dy / len;
  cairo_move_to (cr, x0, y0);
  cairo_line_to (cr, x1 - ux * head * 0.8, y1 - uy * head * 0.8);
  cairo_stroke (cr);
  cairo_move_to (cr, x1, y1);
  cairo_line_to (cr, x1 - ux * head - uy * head * 0.45, y1 - uy * head + ux * head * 0.45);
  cairo_line_to (cr, x1 - ux * head + uy * head * 0.45, y1 - uy * head - ux * head * 0.45);
  cairo_close_path (cr);
  cairo_fill (cr);
}

static void
draw_overlay (cairo_t             *cr,
              EsScatterData       *data,
              const EsViewport    *vp,
              const EsPlotStyle   *style,
              const EsPlotOverlay *overlay,
              double               scale)
{
  EsViewTransform t;
  double sel_x = 0, sel_y = 0, depth;
  gboolean have_sel;
  double ring = MAX (style->point_size, 2) / 2 + 3 * scale;

  es_viewport_get_transform (vp, &t);
  cairo_save (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);

  have_sel = overlay->selected >= 0 &&
             project_row (data, &t, (gsize) overlay->selected, &sel_x, &sel_y, &depth);

  /* Links first, so rings and labels sit on top. */
  if (have_sel)
    {
      set_source (cr, style->accent, 0.55);
      cairo_set_line_width (cr, 1.25 * scale);
      for (gsize i = 0; i < overlay->n_highlighted; i++)
        {
          double x, y;

          if (project_row (data, &t, overlay->highlighted[i], &x, &y, &depth))
            {
              cairo_move_to (cr, sel_x, sel_y);
              cairo_line_to (cr, x, y);
            }
        }
      cairo_stroke (cr);
    }

  cairo_set_line_width (cr, 1.75 * scale);
  set_source (cr, style->accent, 1);
  for (gsize i = 0; i < overlay->n_highlighted; i++)
    {
      double x, y;

      if (project_row (data, &t, overlay->highlighted[i], &x, &y, &depth))
        {
          cairo_new_sub_path (cr);
          cairo_arc (cr, x, y, ring * depth_size_factor (vp, depth), 0, 2 * G_PI);
        }
    }
  cairo_stroke (cr);

  set_source (cr, style->foreground, 0.8);
  cairo_set_line_width (cr, 1.25 * scale);
  for (gsize i = 0; i < overlay->n_search_hits; i++)
    {
      double x, y;

      if (project_row (data, &t, overlay->search_hits[i], &x, &y, &depth))
        cairo_rectangle (cr, x - ring, y - ring, 2 * ring, 2 * ring);
    }
  cairo_stroke (cr);

  /* Analogy a - b + c = result: the offset b -> a, drawn again from c. */
  {
    double p[4][2];
    gboolean ok[4];

    for (guint i = 0; i < 4; i++)
      ok[i] = overlay->analogy[i] >= 0 &&
              project_row (data, &t, (gsize) overlay->analogy[i], &p[i][0], &p[i][1], &depth);
    set_source (cr, style->accent, 1);
    cairo_set_line_width (cr, 2 * scale);
    if (ok[0] && ok[1])
      {
        double dash[] = { 5 * scale, 4 * scale };

        cairo_set_dash (cr, dash, 2, 0);
        draw_arrow (cr, p[1][0], p[1][1], p[0][0], p[0][1], 9 * scale);
        cairo_set_dash (cr, NULL, 0, 0);
      }
    if (ok[2] && ok[3])
      draw_arrow (cr, p[2][0], p[2][1], p[3][0], p[3][1], 9 * scale);
    for (guint i = 0; i < 4; i++)
      {
        if (ok[i])
          {
            cairo_new_sub_path (cr);
            cairo_arc (cr, p[i][0], p[i][1], ring, 0, 2 * G_PI);
          }
      }
    cairo_stroke (cr);
  }

  if (have_sel)
    {
      double r = ring * depth_size_factor (vp, depth) + 1.5 * scale;

      cairo_set_line_width (cr, 4.5 * scale);
      set_source (cr, style->background, 0.9);
      cairo_arc (cr, sel_x, sel_y, r, 0, 2 * G_PI);
      cairo_stroke (cr);
      cairo_set_line_width (cr, 2.25 * scale);
      set_source (cr, style->foreground, 1);
      cairo_arc (cr, sel_x, sel_y, r, 0, 2 * G_PI);
      cairo_stroke (cr);
    }

  cairo_restore (cr);
}

/* ---- labels ------------------------------------------------------------ */

static void
occupancy_reset (EsScatterRenderer *self,
                 int                width,
                 int                height)
{
  gsize len;

  self->occ_cols = (width + OCC_CELL - 1) / OCC_CELL;
  self->occ_rows = (height + OCC_CELL - 1) / OCC_CELL;
  len = (gsize) self->occ_cols * self->occ_rows;
  if (self->occupancy_len < len)
    {
      g_free (self->occupancy);
      self->occupancy = g_new (guint8, len);
      self->occupancy_len = len;
    }
  memset (self->occupancy, 0, len);
}

/* Cells of the grid a box touches; a box only goes where all are free, so
 * two placed boxes never share a cell and are disjoint.
 */
static gboolean
occupancy_cells (EsScatterRenderer *self,
                 double             x,
                 double             y,
                 double             w,
                 double             h,
                 int               *c0,
                 int               *r0,
                 int               *c1,
                 int               *r1)
{
  *c0 = (int) floor (x / OCC_CELL);
  *r0 = (int) floor (y / OCC_CELL);
  *c1 = (int) floor ((x + w) / OCC_CELL);
  *r1 = (int) floor ((y + h) / OCC_CELL);

  return *c0 >= 0 && *r0 >= 0 && *c1 < self->occ_cols && *r1 < self->occ_rows;
}

static gboolean
occupancy_is_free (EsScatterRenderer *self,
                   double             x,
                   double             y,
                   double             w,
                   double             h)
{
  int c0, r0, c1, r1;

  if (!occupancy_cells (self, x, y, w, h, &c0, &r0, &c1, &r1))
    return FALSE;
  for (int r = r0; r <= r1; r++)
    for (int c = c0; c <= c1; c++)
      if (self->occupancy[r * self->occ_cols + c])
        return FALSE;

  return TRUE;
}

static void
occupancy_mark (EsScatterRenderer *self,
                double             x,
                double             y,
                double             w,
                double             h)
{
  int c0 = MAX ((int) floor (x / OCC_CELL), 0);
  int r0 = MAX ((int) floor (y / OCC_CELL), 0);
  int c1 = MIN ((int) floor ((x + w) / OCC_CELL), self->occ_cols - 1);
  int r1 = MIN ((int) floor ((y + h) / OCC_CELL), self->occ_rows - 1);

  for (int r = r0; r <= r1; r++)
    for (int c = c0; c <= c1; c++)
      self->occupancy[r * self->occ_cols + c] = 1;
}

static double
label_width (EsScatterRenderer   *self,
             cairo_t             *cr,
             EsScatterData       *data,
             const EsPlotStyle   *style,
             double              font_size,
             gsize                row)
{
  cairo_text_extents_t ext;

  if (self->width_data != data || self->width_font_size != font_size ||
      g_strcmp0 (self->width_font_family, style->font_family) != 0)
    {
      gsize n = es_scatter_data_get_n_points (data);

      g_clear_pointer (&self->width_data, es_scatter_data_unref);
      g_clear_pointer (&self->widths, g_free);
      g_free (self->width_font_family);
      self->width_data = es_scatter_data_ref (data);
      self->width_font_size = font_size;
      self->width_font_family = g_strdup (style->font_family);
      self->widths = g_new (float, MAX (n, 1));
      for (gsize i = 0; i < n; i++)
        self->widths[i] = -1;
    }
  if (self->widths[row] < 0)
    {
      cairo_text_extents (cr, es_scatter_data_get_label (data, row), &ext);
      self->widths[row] = (float) ext.x_advance;
    }

  return self->widths[row];
}

typedef struct
{
  cairo_t             *cr;
  EsScatterData       *data;
  const EsViewport    *vp;
  const EsPlotStyle   *style;
  EsViewTransform      t;
  double               font_size;
  double               ascent;
  double               height;
  double               pad;
  GHashTable          *placed;
} LabelContext;

/* Right, left, above, below, then the diagonals. */
static const int label_dirs[8][2] = {
  { 1, 0 }, { -1, 0 }, { 0, -1 }, { 0, 1 }, { 1, -1 }, { -1, -1 }, { 1, 1 }, { -1, 1 },
};

/* The box at @dist from the point in a direction, its near side facing it. */
static void
label_position (double  sx,
                double  sy,
                double  w,
                double  h,
                double  dist,
                guint   dir,
                double *x,
                double *y)
{
  int dx = label_dirs[dir][0], dy = label_dirs[dir][1];
  double d = dx != 0 && dy != 0 ? dist * G_SQRT2 / 2 : dist;
  double px = sx + dx * d, py = sy + dy * d;

  *x = dx > 0 ? px : dx < 0 ? px - w : px - w / 2;
  *y = dy > 0 ? py : dy < 0 ? py - h : py - h / 2;
}

static gboolean
label_fits (EsScatterRenderer *self,
            LabelContext      *lc,
            double             x,
            double             y,
            double             w)
{
  double h = lc->height, pad = lc->pad;

  return x >= 0 && y >= 0 && x + w <= lc->vp->width && y + h <= lc->vp->height &&
         occupancy_is_free (self, x - pad, y - pad, w + 2 * pad, h + 2 * pad);
}

static gboolean
try_place_label (EsScatterRenderer *self,
                 LabelContext      *lc,
                 gsize              row,
                 gboolean           forced)
{
  double sx, sy, depth, w, r, h = lc->height, pad = lc->pad;
  double x = 0, y = 0;
  gboolean found = FALSE;
  EsLabelBox box = { 0 };

  if (g_hash_table_contains (lc->placed, GSIZE_TO_POINTER (row)))
    return FALSE;
  if (!project_row (lc->data, &lc->t, row, &sx, &sy, &depth))
    return FALSE;
  if (sx < 0 || sy < 0 || sx >= lc->vp->width || sy >= lc->vp->height)
    return FALSE;
  if (*es_scatter_data_get_label (lc->data, row) == '\0')
    return FALSE;

  w = label_width (self, lc->cr, lc->data, lc->style, lc->font_size, row);
  r = MAX (lc->style->point_size, 2) / 2 * depth_size_factor (lc->vp, depth) + 2;

  /* Next to the point: the four sides (and, for labels that must show,
   * the corners too).
   */
  for (guint c = 0; c < (forced ? 8u : 4u) && !found; c++)
    {
      label_position (sx, sy, w, h, r, c, &x, &y);
      found = label_fits (self, lc, x, y, w);
    }
  if (!found && !forced)
    return FALSE;

  /* A label that must show but sits in a crowd (a word's neighbours are
   * often one clump) moves outwards ring by ring, to the nearest free
   * spot, and gets a leader line back to its point.
   */
  for (guint ring = 1; ring <= LABEL_RINGS && !found; ring++)
    for (guint c = 0; c < 8 && !found; c++)
      {
        label_position (sx, sy, w, h, r + ring * h * 0.8, c, &x, &y);
        found = label_fits (self, lc, x, y, w);
        box.displaced = found;
      }

  if (!found)
    {
      /* Nowhere free: right of the point, kept on the surface. */
      label_position (sx, sy, w, h, r, 0, &x, &y);
      x = CLAMP (x, 0, MAX (lc->vp->width - w, 0));
      y = CLAMP (y, 0, MAX (lc->vp->height - h, 0));
    }

  box.x = x;
  box.y = y;
  box.row = (guint32) row;
  box.forced = forced;
  box.width = w;
  box.height = h;
  occupancy_mark (self, box.x - pad, box.y - pad, w + 2 * pad, h + 2 * pad);
  g_array_append_val (self->labels, box);
  g_hash_table_add (lc->placed, GSIZE_TO_POINTER (row));

  return TRUE;
}

static void
layout_labels (EsScatterRenderer   *self,
               LabelContext        *lc,
               const EsPlotOverlay *overlay)
{
  gsize n = es_scatter_data_get_n_points (lc->data);
  double area = (double) lc->vp->width * lc->vp->height;
  guint max_labels = (guint) CLAMP (area / (lc->height * lc->height * 25), 10, 1200);
  /* Regions of the surface with their own share, so the frequent words
   * in the middle of the cloud do not take every label.
   */
  double region = MAX (8 * lc->height, 64);
  int region_cols = (int) ceil (lc->vp->width / region);
  int region_rows = (int) ceil (lc->vp->height / region);
  guint region_cap = (guint) MAX (2, region * region / (lc->height * lc->height * 18));
  g_autofree guint16 *region_count = g_new0 (guint16, (gsize) region_cols * region_rows);
  guint tries = 0;
  guint scanned = 0;
  gsize next_row = 0;
  gboolean by_grid = FALSE;

  /* Always labelled, most important first. */
  if (overlay->selected >= 0)
    try_place_label (self, lc, (gsize) overlay->selected, TRUE);
  for (guint i = 0; i < 4; i++)
    if (overlay->analogy[i] >= 0)
      try_place_label (self, lc, (gsize) overlay->analogy[i], TRUE);
  for (gsize i = 0; i < overlay->n_highlighted; i++)
    try_place_label (self, lc, overlay->highlighted[i], TRUE);
  for (gsize i = 0; i < overlay->n_pinned; i++)
    try_place_label (self, lc, overlay->pinned[i], TRUE);
  for (gsize i = 0; i < overlay->n_search_hits; i++)
    try_place_label (self, lc, overlay->search_hits[i], TRUE);

  if (!lc->style->show_labels)
    return;

  /* Then by rank while there is room; zooming in spreads the points, so
   * more of them find a free spot.  When most points are off the surface
   * only the rows near it are walked (still by rank).
   */
  if (!lc->vp->three_d && n >= RANK_GRID_MIN)
    {
      double x0, y0, x1, y1;

      if (self->rank_grid == NULL || es_rank_grid_get_data (self->rank_grid) != lc->data)
        {
          g_clear_pointer (&self->rank_grid, es_rank_grid_free);
          self->rank_grid = es_rank_grid_new (lc->data);
        }
      es_viewport_unproject (lc->vp, 0, lc->vp->height, &x0, &y0);
      es_viewport_unproject (lc->vp, lc->vp->width, 0, &x1, &y1);
      by_grid = es_rank_grid_begin (self->rank_grid, x0, y0, x1, y1, 0.25);
    }
  while (self->labels->len < max_labels && tries < LABEL_TRIES && scanned < LABEL_SCAN)
    {
      double sx, sy, depth;
      guint16 *count;
      gsize row;

      if (by_grid)
        {
          if (!es_rank_grid_next (self->rank_grid, &row))
            break;
        }
      else if (next_row < n)
        row = next_row++;
      else
        break;
      if (!project_row (lc->data, &lc->t, row, &sx, &sy, &depth) ||
          sx < 0 || sy < 0 || sx >= lc->vp->width || sy >= lc->vp->height)
        continue;
      scanned++;
      count = &region_count[(int) (sy / region) * region_cols + (int) (sx / region)];
      if (*count >= region_cap)
        continue;
      tries++;
      if (try_place_label (self, lc, row, FALSE))
        (*count)++;
    }
}

static void
draw_labels (EsScatterRenderer *self,
             LabelContext      *lc,
             const EsPlotOverlay *overlay)
{
  /* Leader lines first, under every label's halo. */
  cairo_save (lc->cr);
  cairo_set_line_width (lc->cr, MAX (lc->font_size / 12, 1));
  set_source (lc->cr, lc->style->foreground, 0.6);
  for (guint i = 0; i < self->labels->len; i++)
    {
      const EsLabelBox *box = &g_array_index (self->labels, EsLabelBox, i);
      double sx, sy, depth, cx, cy, len;

      if (!box->displaced || !project_row (lc->data, &lc->t, box->row, &sx, &sy, &depth))
        continue;
      /* From the edge of the point's ring to the nearest side of the box. */
      cx = CLAMP (sx, box->x, box->x + box->width);
      cy = CLAMP (sy, box->y + box->height * 0.2, box->y + box->height * 0.8);
      len = hypot (cx - sx, cy - sy);
      if (len < 1)
        continue;
      {
        double r = MAX (lc->style->point_size, 2) / 2 * depth_size_factor (lc->vp, depth) + 1;

        cairo_move_to (lc->cr, sx + (cx - sx) * r / len, sy + (cy - sy) * r / len);
        cairo_line_to (lc->cr, cx, cy);
      }
    }
  cairo_stroke (lc->cr);
  cairo_restore (lc->cr);

  for (guint i = 0; i < self->labels->len; i++)
    {
      const EsLabelBox *box = &g_array_index (self->labels, EsLabelBox, i);
      gboolean selected = overlay->selected >= 0 && box->row == (guint32) overlay->selected;

      select_font (lc->cr, lc->style, lc->font_size / lc->style->font_size, selected);
      show_text_halo (self, lc->cr, lc->style, box->x, box->y + lc->ascent,
                      es_scatter_data_get_label (lc->data, box->row), lc->style->foreground);
    }
}

/* ---- axes, gizmo, legend --------------------------------------------- */

static void
draw_axes_2d (EsScatterRenderer *self,
              LabelContext      *lc,
              double             scale)
{
  cairo_t *cr = lc->cr;
  double values[64], pos[64], step = 1;
  char buf[64];
  guint n;
  double small = lc->font_size * 0.85;
  double inset = 6 * scale;
  cairo_text_extents_t ext;
  cairo_font_extents_t fext;
  const char *title;

  cairo_save (cr);
  cairo_select_font_face (cr, lc->style->font_family, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, small);
  cairo_font_extents (cr, &fext);

  n = compute_ticks (lc->data, lc->vp, 0, values, pos, G_N_ELEMENTS (values), &step);
  for (guint i = 0; i < n; i++)
    {
      double x, y = lc->vp->height - inset - fext.descent;

      format_tick (values[i], step, buf, sizeof buf);
      cairo_text_extents (cr, buf, &ext);
      x = pos[i] - ext.x_advance / 2;
      if (x < 40 * scale || x + ext.x_advance > lc->vp->width - inset)
        continue;
      occupancy_mark (self, x, y - fext.ascent, ext.x_advance, fext.height);
      show_text_halo (self, cr, lc->style, x, y, buf, lc->style->foreground);
    }

  n = compute_ticks (lc->data, lc->vp, 1, values, pos, G_N_ELEMENTS (values), &step);
  for (guint i = 0; i < n; i++)
    {
      double y = pos[i] + (fext.ascent - fext.descent) / 2;

      format_tick (values[i], step, buf, sizeof buf);
      cairo_text_extents (cr, buf, &ext);
      /* Clear of the axis title above and the x tick labels below. */
      if (y - fext.ascent < inset + lc->height + 2 * scale || y > lc->vp->height - fext.height * 2 - inset)
        continue;
      occupancy_mark (self, inset, y - fext.ascent, ext.x_advance, fext.height);
      show_text_halo (self, cr, lc->style, inset, y, buf, lc->style->foreground);
    }

  /* Axis titles: x at the bottom right above its ticks, y at the top left. */
  cairo_select_font_face (cr, lc->style->font_family, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, lc->font_size);
  title = es_scatter_data_get_axis_title (lc->data, 0);
  if (title != NULL)
    {
      double x, y = lc->vp->height - inset - fext.height - 4 * scale;

      cairo_text_extents (cr, title, &ext);
      x = lc->vp->width - inset - ext.x_advance;
      occupancy_mark (self, x, y - lc->ascent, ext.x_advance, lc->height);
      show_text_halo (self, cr, lc->style, x, y, title, lc->style->foreground);
    }
  title = es_scatter_data_get_axis_title (lc->data, 1);
  if (title != NULL)
    {
      cairo_text_extents (cr, title, &ext);
      occupancy_mark (self, inset, inset, ext.x_advance, lc->height);
      show_text_halo (self, cr, lc->style, inset, inset + lc->ascent, title, lc->style->foreground);
    }

  cairo_restore (cr);
}

static void
draw_gizmo (EsScatterRenderer *self,
            LabelContext      *lc,
            double             scale)
{
  static const double axis_rgb[3][3] = {
    { 0.835, 0.369, 0.000 }, { 0.000, 0.620, 0.451 }, { 0.000, 0.447, 0.698 },
  };
  cairo_t *cr = lc->cr;
  double len = 36 * scale;
  double ox = 16 * scale + len, oy = lc->vp->height - 16 * scale - len;
  guint order[3] = { 0, 1, 2 };
  double depth[3];

  cairo_save (cr);
  for (guint a = 0; a < 3; a++)
    depth[a] = lc->t.forward[a];
  /* Farthest axis first. */
  for (guint i = 0; i < 3; i++)
    for (guint j = i + 1; j < 3; j++)
      if (depth[order[j]] > depth[order[i]])
        {
          guint tmp = order[i];

          order[i] = order[j];
          order[j] = tmp;
        }

  occupancy_mark (self, ox - len - 8 * scale, oy - len - 8 * scale, 2 * len + 16 * scale, 2 * len + 16 * scale);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  select_font (cr, lc->style, 0.85 * lc->font_size / lc->style->font_size, TRUE);
  for (guint i = 0; i < 3; i++)
    {
      guint a = order[i];
      double dx = lc->t.right[a] * len;
      double dy = -lc->t.up[a] * len;
      const char *title = es_scatter_data_get_axis_title (lc->data, a);
      double c[4] = { axis_rgb[a][0], axis_rgb[a][1], axis_rgb[a][2], 1 };

      cairo_set_line_width (cr, 2.5 * scale);
      set_source (cr, c, 1);
      cairo_move_to (cr, ox, oy);
      cairo_line_to (cr, ox + dx, oy + dy);
      cairo_stroke (cr);
      {
        /* The short name ("PC1", not "PC1 (9.8 %)") beyond the tip, on the
         * far side of it, so the three never cross each other or the axes.
         */
        g_autofree char *name = g_strdup (title != NULL ? title : (const char *[]) { "X", "Y", "Z" }[a]);
        char *paren = strstr (name, " (");
        cairo_text_extents_t ext;
        double l = hypot (dx, dy), ux = l > 1e-6 ? dx / l : 0, uy = l > 1e-6 ? dy / l : 0;
        double tx = ox + dx + ux * 4 * scale, ty = oy + dy + uy * 4 * scale;
        double ascent = 0.7 * 0.85 * lc->font_size;

        if (paren != NULL && paren != name)
          *paren = '\0';
        cairo_text_extents (cr, name, &ext);
        /* Anchor: the text's left edge when the axis points right, its
         * right edge when left, its middle in between; likewise vertically.
         */
        tx -= ext.x_advance * (1 - ux) / 2;
        ty += ascent * (1 + uy) / 2;
        show_text_halo (self, cr, lc->style, tx, ty, name, c);
      }
    }
  cairo_restore (cr);
}

static void
draw_legend (EsScatterRenderer *self,
             LabelContext      *lc,
             double             scale)
{
  cairo_t *cr = lc->cr;
  EsScatterColorMode mode = es_scatter_data_get_color_mode (lc->data);
  const char *title = es_scatter_data_get_color_title (lc->data);
  double pad = 8 * scale, row_h = lc->height * 1.15, swatch = lc->font_size * 0.7;
  double x, y, w = 0, h;
  guint n_show = 0, n_more = 0;
  cairo_text_extents_t ext;
  char more[64];

  if (mode == ES_SCATTER_COLOR_NONE || !lc->style->show_legend)
    return;

  cairo_save (cr);
  select_font (cr, lc->style, lc->font_size / lc->style->font_size, TRUE);
  if (title != NULL)
    {
      cairo_text_extents (cr, title, &ext);
      w = ext.x_advance;
    }
  select_font (cr, lc->style, lc->font_size / lc->style->font_size, FALSE);

  if (mode == ES_SCATTER_COLOR_CATEGORIES)
    {
      guint n_cat = es_scatter_data_get_n_categories (lc->data);

      n_show = MIN (n_cat, 12);
      n_more = n_cat - n_show;
      for (guint i = 0; i < n_show; i++)
        {
          cairo_text_extents (cr, es_scatter_data_get_category_name (lc->data, i), &ext);
          w = MAX (w, swatch + 6 * scale + ext.x_advance);
        }
      g_snprintf (more, sizeof more, _("+%u more"), n_more);
      h = (n_show + (n_more > 0) + (title != NULL)) * row_h;
    }
  else
    {
      w = MAX (w, swatch * 1.5 + 6 * scale + 6 * lc->font_size * 0.6);
      h = (title != NULL ? row_h : 0) + 120 * scale;
    }

  x = lc->vp->width - w - 2 * pad - 10 * scale;
  y = 10 * scale;
  occupancy_mark (self, x, y, w + 2 * pad, h + 2 * pad);

  rounded_rect (cr, x, y, w + 2 * pad, h + 2 * pad, 6 * scale);
  set_source (cr, lc->style->background, 0.88);
  cairo_fill_preserve (cr);
  set_source (cr, lc->style->foreground, 0.18);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);

  x += pad;
  y += pad;
  if (title != NULL)
    {
      select_font (cr, lc->style, lc->font_size / lc->style->font_size, TRUE);
      set_source (cr, lc->style->foreground, 1);
      cairo_move_to (cr, x, y + lc->ascent);
      cairo_show_text (cr, title);
      y += row_h;
      select_font (cr, lc->style, lc->font_size / lc->style->font_size, FALSE);
    }

  if (mode == ES_SCATTER_COLOR_CATEGORIES)
    {
      for (guint i = 0; i < n_show; i++)
        {
          double rgb[3];

          es_scatter_renderer_category_color (i, rgb);
          cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
          cairo_arc (cr, x + swatch / 2, y + lc->height / 2, swatch / 2, 0, 2 * G_PI);
          cairo_fill (cr);
          set_source (cr, lc->style->foreground, 1);
          cairo_move_to (cr, x + swatch + 6 * scale, y + lc->ascent);
          cairo_show_text (cr, es_scatter_data_get_category_name (lc->data, i));
          y += row_h;
        }
      if (n_more > 0)
        {
          set_source (cr, lc->style->foreground, 0.7);
          cairo_move_to (cr, x + swatch + 6 * scale, y + lc->ascent);
          cairo_show_text (cr, more);
        }
    }
  else
    {
      cairo_pattern_t *pattern;
      double bar_h = 120 * scale - row_h / 2;
      double lo, hi;
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      pattern = cairo_pattern_create_linear (0, y + bar_h, 0, y);
      for (guint s = 0; s < 17; s++)
        cairo_pattern_add_color_stop_rgb (pattern, s / 16.0, viridis[s][0], viridis[s][1], viridis[s][2]);
      cairo_rectangle (cr, x, y + lc->height / 2, swatch * 1.5, bar_h - lc->height / 2);
      cairo_set_source (cr, pattern);
      cairo_fill (cr);
      cairo_pattern_destroy (pattern);

      es_scatter_data_get_value_range (lc->data, &lo, &hi);
      set_source (cr, lc->style->foreground, 1);
      for (guint k = 0; k < 3; k++)
        {
          double v = hi - (hi - lo) * k / 2.0;
          double yy = y + lc->height / 2 + (bar_h - lc->height / 2) * k / 2.0;

          g_ascii_formatd (buf, sizeof buf, "%.3g", v);
          cairo_move_to (cr, x + swatch * 1.5 + 6 * scale, yy + lc->ascent / 2);
          cairo_show_text (cr, buf);
        }
    }

  cairo_restore (cr);
}

/* Everything drawn with Cairo on top of the points, shared by both
 * back-ends so the screen, PNG, SVG and PDF agree.
 */
static void
draw_decorations (EsScatterRenderer   *self,
                  cairo_t             *cr,
                  EsScatterData       *data,
                  const EsViewport    *vp,
                  const EsPlotStyle   *style,
                  const EsPlotOverlay *overlay)
{
  g_autoptr(GHashTable) placed = g_hash_table_new (NULL, NULL);
  LabelContext lc = { cr, data, vp, style };
  cairo_font_extents_t fext;
  double scale = style->font_size / 12.0;

  es_viewport_get_transform (vp, &lc.t);
  lc.font_size = style->font_size;
  lc.placed = placed;
  lc.pad = MAX (1.5, style->font_size / 6);
  cairo_save (cr);
  select_font (cr, style, 1.0, FALSE);
  cairo_font_extents (cr, &fext);
  lc.ascent = fext.ascent;
  lc.height = fext.ascent + fext.descent;

  occupancy_reset (self, vp->width, vp->height);
  g_array_set_size (self->labels, 0);

  draw_overlay (cr, data, vp, style, overlay, MAX (scale, 1.0));

  /* Reserve the fixed furniture first, so labels avoid it. */
  if (style->show_axes)
    {
      if (vp->three_d)
        draw_gizmo (self, &lc, scale);
      else
        draw_axes_2d (self, &lc, scale);
    }
  draw_legend (self, &lc, scale);

  select_font (cr, style, 1.0, FALSE);
  layout_labels (self, &lc, overlay);
  draw_labels (self, &lc, overlay);

  cairo_restore (cr);
}

/* ---- public API ------------------------------------------------------- */

EsScatterRenderer *
es_scatter_renderer_new (void)
{
  EsScatterRenderer *self = g_new0 (EsScatterRenderer, 1);

  self->labels = g_array_new (FALSE, FALSE, sizeof (EsLabelBox));
  self->label_cache = es_label_cache_new ();
  /* Above this many points (one colour, 2D) the density path is faster
   * than a sprite per point (measured: 1M points in ~10 ms against ~70).
   */
  self->density_threshold = 150000;

  return self;
}

void
es_scatter_renderer_free (EsScatterRenderer *self)
{
  if (self == NULL)
    return;

  for (guint q = 0; q <= MAX_SPRITE_Q; q++)
    {
      if (self->sprites[q] != NULL)
        {
          g_free (self->sprites[q]->coverage);
          g_free (self->sprites[q]->span);
          g_free (self->sprites[q]);
        }
    }
  g_free (self->zbuf);
  g_free (self->hits);
  g_free (self->band_xy);
  g_free (self->band_color);
  g_free (self->density);
  g_free (self->hsum);
  g_free (self->key_at);
  g_free (self->hkey);
  g_free (self->box_rows);
  g_free (self->slice);
  g_free (self->order);
  g_free (self->accum);
  g_clear_pointer (&self->width_data, es_scatter_data_unref);
  g_free (self->width_font_family);
  g_free (self->widths);
  g_free (self->occupancy);
  g_array_unref (self->labels);
  es_label_cache_free (self->label_cache);
  es_rank_grid_free (self->rank_grid);
  g_free (self);
}

void
es_scatter_renderer_render_image (EsScatterRenderer   *self,
                                  cairo_surface_t     *image,
                                  EsScatterData       *data,
                                  const EsViewport    *viewport,
                                  const EsPlotStyle   *style,
                                  const EsPlotOverlay *overlay)
{
  cairo_t *cr;
  guint32 *pixels;
  int stride_px, width, height;
  guint32 background;

  g_return_if_fail (self != NULL);
  g_return_if_fail (cairo_surface_get_type (image) == CAIRO_SURFACE_TYPE_IMAGE);
  g_return_if_fail (cairo_image_surface_get_format (image) == CAIRO_FORMAT_ARGB32);
  g_return_if_fail (viewport != NULL && style != NULL);

  width = cairo_image_surface_get_width (image);
  height = cairo_image_surface_get_height (image);
  g_return_if_fail (width == viewport->width && height == viewport->height);

  cairo_surface_flush (image);
  pixels = (guint32 *) cairo_image_surface_get_data (image);
  stride_px = cairo_image_surface_get_stride (image) / 4;
  cr = cairo_create (image);

  if (data != NULL && !viewport->three_d && !use_density (self, data, viewport))
    {
      /* Clears, draws the grid and the points in one sweep. */
      render_points_banded (self, pixels, stride_px, width, height, data, viewport, style);
      cairo_surface_mark_dirty (image);
    }
  else
    {
      background = pack_premultiplied (style->background, style->background[3]);
      for (int y = 0; y < height; y++)
        {
          guint32 *row = pixels + (gsize) y * stride_px;

          for (int x = 0; x < width; x++)
            row[x] = background;
        }
      cairo_surface_mark_dirty (image);

      if (data != NULL)
        {
          draw_underlay (cr, data, viewport, style);
          cairo_surface_flush (image);
          render_points_raster (self, image, data, viewport, style);
          cairo_surface_mark_dirty (image);
        }
    }

  if (data != NULL)
    {
      EsPlotOverlay empty;

      if (overlay == NULL)
        {
          es_plot_overlay_init (&empty);
          overlay = &empty;
        }
      draw_decorations (self, cr, data, viewport, style, overlay);
    }
  cairo_destroy (cr);
  cairo_surface_flush (image);
}

void
es_scatter_renderer_draw (EsScatterRenderer   *self,
                          cairo_t             *cr,
                          EsScatterData       *data,
                          const EsViewport    *viewport,
                          const EsPlotStyle   *style,
                          const EsPlotOverlay *overlay)
{
  cairo_surface_t *target;
  cairo_matrix_t m;
  EsPlotOverlay empty;

  g_return_if_fail (self != NULL);
  g_return_if_fail (cr != NULL);
  g_return_if_fail (viewport != NULL && style != NULL);

  target = cairo_get_target (cr);
  cairo_get_matrix (cr, &m);
  if (cairo_surface_get_type (target) == CAIRO_SURFACE_TYPE_IMAGE &&
      cairo_image_surface_get_format (target) == CAIRO_FORMAT_ARGB32 &&
      cairo_image_surface_get_width (target) == viewport->width &&
      cairo_image_surface_get_height (target) == viewport->height &&
      m.xx == 1 && m.yy == 1 && m.xy == 0 && m.yx == 0 && m.x0 == 0 && m.y0 == 0)
    {
      es_scatter_renderer_render_image (self, target, data, viewport, style, overlay);
      return;
    }

  if (overlay == NULL)
    {
      es_plot_overlay_init (&empty);
      overlay = &empty;
    }

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, viewport->width, viewport->height);
  cairo_clip (cr);
  set_source (cr, style->background, 1);
  cairo_paint (cr);
  if (data != NULL)
    {
      draw_underlay (cr, data, viewport, style);
      render_points_vector (cr, data, viewport, style);
      draw_decorations (self, cr, data, viewport, style, overlay);
    }
  cairo_restore (cr);
}

void
es_scatter_renderer_draw_interaction (EsScatterRenderer *self,
                                      cairo_t           *cr,
                                      EsScatterData     *data,
                                      const EsViewport  *viewport,
                                      const EsPlotStyle *style,
                                      gint64             hover,
                                      const double      *box)
{
  EsViewTransform t;
  double sx, sy, depth;

  g_return_if_fail (cr != NULL);

  cairo_save (cr);
  if (box != NULL)
    {
      double x = MIN (box[0], box[2]), y = MIN (box[1], box[3]);
      double w = fabs (box[2] - box[0]), h = fabs (box[3] - box[1]);

      cairo_rectangle (cr, x + 0.5, y + 0.5, w, h);
      set_source (cr, style->accent, 0.12);
      cairo_fill_preserve (cr);
      set_source (cr, style->accent, 0.9);
      cairo_set_line_width (cr, 1);
      cairo_stroke (cr);
    }

  es_viewport_get_transform (viewport, &t);
  if (data != NULL && hover >= 0 && project_row (data, &t, (gsize) hover, &sx, &sy, &depth))
    {
      const char *word = es_scatter_data_get_label (data, (gsize) hover);
      double r = MAX (style->point_size, 2) / 2 * depth_size_factor (viewport, depth) + 3;
      cairo_text_extents_t ext;
      cairo_font_extents_t fext;
      double bx, by, bw, bh, pad = 5;

      cairo_set_line_width (cr, 2);
      set_source (cr, style->accent, 1);
      cairo_arc (cr, sx, sy, r, 0, 2 * G_PI);
      cairo_stroke (cr);

      /* The word in a small tag above right, kept on the surface. */
      select_font (cr, style, 1.0, TRUE);
      cairo_text_extents (cr, word, &ext);
      cairo_font_extents (cr, &fext);
      bw = ext.x_advance + 2 * pad;
      bh = fext.ascent + fext.descent + 2 * pad;
      bx = CLAMP (sx + r + 4, 0, MAX (viewport->width - bw, 0));
      by = CLAMP (sy - r - 4 - bh, 0, MAX (viewport->height - bh, 0));
      rounded_rect (cr, bx, by, bw, bh, 4);
      set_source (cr, style->foreground, 0.88);
      cairo_fill (cr);
      set_source (cr, style->background, 1);
      cairo_move_to (cr, bx + pad, by + pad + fext.ascent);
      cairo_show_text (cr, word);
    }
  cairo_restore (cr);
}

void
es_scatter_renderer_set_density_threshold (EsScatterRenderer *self,
                                           gsize              n_points)
{
  g_return_if_fail (self != NULL);

  self->density_threshold = n_points;
}

const EsLabelBox *
es_scatter_renderer_get_labels (EsScatterRenderer *self,
                                gsize             *n_labels)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (n_labels != NULL)
    *n_labels = self->labels->len;
  return (const EsLabelBox *) (gpointer) self->labels->data;
}

/* ---- export ------------------------------------------------------------- */

typedef struct
{
  int      fd;
  int      saved_errno;
} WriteTarget;

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  WriteTarget *target = closure;

  while (length > 0)
    {
      ssize_t written = write (target->fd, data, length);

      if (written < 0)
        {
          if (errno == EINTR)
            continue;
          target->saved_errno = errno;
          return CAIRO_STATUS_WRITE_ERROR;
        }
      data += written;
      length -= (unsigned int) written;
    }

  return CAIRO_STATUS_SUCCESS;
}

static gboolean
write_plot (WriteTarget         *target,
            EsScatterData       *data,
            const EsViewport    *vp,
            const EsPlotStyle   *style,
            const EsPlotOverlay *overlay,
            EsPlotFormat         format)
{
  g_autoptr(EsScatterRenderer) renderer = es_scatter_renderer_new ();
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  switch (format)
    {
    case ES_PLOT_FORMAT_PNG:
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, vp->width, vp->height);
      if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
        {
          cairo_surface_destroy (surface);
          target->saved_errno = ENOMEM;
          return FALSE;
        }
      {
        gboolean ok;

        es_scatter_renderer_render_image (renderer, surface, data, vp, style, overlay);
        ok = es_png_write_surface (surface, target->fd);
        if (!ok)
          target->saved_errno = errno;
        cairo_surface_destroy (surface);
        return ok;
      }

    case ES_PLOT_FORMAT_SVG:
      surface = cairo_svg_surface_create_for_stream (write_cb, target, vp->width, vp->height);
      break;

    case ES_PLOT_FORMAT_PDF:
      surface = cairo_pdf_surface_create_for_stream (write_cb, target, vp->width, vp->height);
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Embedscope");
      break;

    default:
      g_assert_not_reached ();
    }

  cr = cairo_create (surface);
  es_scatter_renderer_draw (renderer, cr, data, vp, style, overlay);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  return status == CAIRO_STATUS_SUCCESS;
}

gboolean
es_scatter_renderer_export (EsScatterData        *data,
                            const EsViewport     *viewport,
                            const EsPlotStyle    *style,
                            const EsPlotOverlay  *overlay,
                            const char           *path,
                            EsPlotFormat          format,
                            int                   width,
                            int                   height,
                            GError              **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp_path = NULL;
  g_autofree char *display = NULL;
  EsViewport vp;
  EsPlotStyle st;
  WriteTarget target = { -1, 0 };
  double k;
  gboolean ok;

  g_return_val_if_fail (viewport != NULL, FALSE);
  g_return_val_if_fail (style != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  display = g_filename_display_name (path);
  if (width <= 0 || height <= 0 || width > 32768 || height > 32768)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Cannot export “%s”: invalid size %d × %d", display, width, height);
      return FALSE;
    }

  /* The same view at the new size: what was visible stays visible and
   * markers and text grow with it.
   */
  vp = *viewport;
  st = *style;
  k = MIN ((double) width / viewport->width, (double) height / viewport->height);
  es_viewport_set_size (&vp, width, height);
  vp.scale *= k;
  vp.fit_scale *= k;
  st.point_size *= k;
  st.font_size *= k;

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  tmp_path = g_strdup_printf ("%s%c.%s.XXXXXX", dir, G_DIR_SEPARATOR, base);
  target.fd = g_mkstemp_full (tmp_path, O_WRONLY | O_CLOEXEC, 0666);
  if (target.fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Cannot write “%s”: %s", display, g_strerror (saved));
      return FALSE;
    }
  /* mkstemp creates 0600; an image is not secret.  (Reading the umask
   * means setting it, which races with other threads, so use the usual
   * 0644.)
   */
  if (fchmod (target.fd, 0644) != 0)
    g_debug ("fchmod failed on %s: %s", tmp_path, g_strerror (errno));

  ok = write_plot (&target, data, &vp, &st, overlay, format);
  if (ok && fsync (target.fd) != 0)
    {
      target.saved_errno = errno;
      ok = FALSE;
    }
  if (close (target.fd) != 0 && ok)
    {
      target.saved_errno = errno;
      ok = FALSE;
    }
  if (ok && g_rename (tmp_path, path) != 0)
    {
      target.saved_errno = errno;
      ok = FALSE;
    }
  if (!ok)
    {
      int saved = target.saved_errno != 0 ? target.saved_errno : EIO;

      g_unlink (tmp_path);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Cannot write “%s”: %s", display, g_strerror (saved));
      return FALSE;
    }

  return TRUE;
}
