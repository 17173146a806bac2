/* es-plot-palette.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-plot-palette"

#include "config.h"

#include "es-plot-palette-private.h"

#include <math.h>
#include <string.h>

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

/* On a dark background viridis' purple end vanishes (1.1:1 against the
 * dark style's grey): there the ramp starts at its 7th stop, the first
 * with 3:1 (WCAG's minimum for graphics).
 */
#define DARK_RAMP_START (6.0 / 16.0)

static gboolean
style_is_dark (const EsPlotStyle *style)
{
  return style != NULL &&
         0.2126 * style->background[0] + 0.7152 * style->background[1] + 0.0722 * style->background[2] < 0.5;
}

void
_es_plot_gradient_color (const EsPlotStyle *style,
                         double             t,
                         double             rgb[3])
{
  if (isfinite (t) && style_is_dark (style))
    t = DARK_RAMP_START + (1.0 - DARK_RAMP_START) * CLAMP (t, 0.0, 1.0);
  es_scatter_renderer_gradient_color (t, rgb);
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

void
_es_plot_key_color (const EsScatterData *data,
                    const EsPlotStyle   *style,
                    guint16              key,
                    double               rgb[3])
{
  if (key == ES_PLOT_KEY_NONE)
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
      _es_plot_gradient_color (style, key / 255.0, rgb);
      break;

    case ES_SCATTER_COLOR_NONE:
    default:
      memcpy (rgb, style->point, 3 * sizeof (double));
      break;
    }
}

guint
_es_plot_n_color_keys (const EsScatterData *data)
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

guint32
_es_plot_pack_premultiplied (const double rgb[3],
                             double       alpha)
{
  guint32 a = (guint32) CLAMP (alpha * 255.0 + 0.5, 0, 255);
  guint32 r = (guint32) CLAMP (rgb[0] * a + 0.5, 0, a);
  guint32 g = (guint32) CLAMP (rgb[1] * a + 0.5, 0, a);
  guint32 b = (guint32) CLAMP (rgb[2] * a + 0.5, 0, a);

  return a << 24 | r << 16 | g << 8 | b;
}

guint32 *
_es_plot_build_lut (const EsScatterData *data,
                    const EsPlotStyle   *style,
                    guint               *n_keys,
                    guint32             *missing)
{
  guint n = _es_plot_n_color_keys (data);
  guint32 *lut = g_new (guint32, n);
  double rgb[3];

  for (guint k = 0; k < n; k++)
    {
      _es_plot_key_color (data, style, (guint16) k, rgb);
      lut[k] = _es_plot_pack_premultiplied (rgb, style->opacity);
    }
  _es_plot_key_color (data, style, ES_PLOT_KEY_NONE, rgb);
  *missing = _es_plot_pack_premultiplied (rgb, style->opacity * 0.6);
  *n_keys = n;

  return lut;
}
