/* es-plot-cairo.c: the Cairo helpers every part of the plot draws with
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The renderer and its decorations (axes, labels, overlay, vector points)
 * all call these; they live below all of them so that no decoration calls
 * up into es-scatter-renderer.c.
 */

#define G_LOG_DOMAIN "es-plot-cairo"

#include "config.h"

#include "es-plot-cairo-private.h"

#include <math.h>

void
_es_plot_set_source (cairo_t      *cr,
                     const double  c[4],
                     double        alpha)
{
  cairo_set_source_rgba (cr, c[0], c[1], c[2], c[3] * alpha);
}

void
_es_plot_select_font (cairo_t           *cr,
                      const EsPlotStyle *style,
                      double             scale,
                      gboolean           bold)
{
  cairo_select_font_face (cr, style->font_family != NULL ? style->font_family : "Sans",
                          CAIRO_FONT_SLANT_NORMAL,
                          bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, MAX (style->font_size * scale, 1));
}

void
_es_plot_rounded_rect (cairo_t *cr,
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

/* The depths the 3D depth cue spans: the data's bounding sphere around
 * the camera's target.
 */
void
_es_plot_depth_range (const EsScatterData *data,
                      const EsViewport    *vp,
                      double              *near,
                      double              *far)
{
  double lo[3], hi[3], radius = 0;

  es_scatter_data_get_bounds (data, lo, hi);
  for (guint a = 0; a < 3; a++)
    radius += (hi[a] - lo[a]) * (hi[a] - lo[a]) / 4;
  radius = MAX (sqrt (radius), 1e-6);
  *near = vp->distance - radius;
  *far = vp->distance + radius;
}
