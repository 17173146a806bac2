/* es-plot-cairo-private.h: Cairo helpers shared by the renderer's files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>

#include "es-scatter-data.h"
#include "es-scatter-renderer.h"
#include "es-viewport.h"

G_BEGIN_DECLS

void             _es_plot_set_source              (cairo_t               *cr,
                                                   const double           c[4],
                                                   double                 alpha);
void             _es_plot_select_font             (cairo_t               *cr,
                                                   const EsPlotStyle     *style,
                                                   double                 scale,
                                                   gboolean               bold);
void             _es_plot_rounded_rect            (cairo_t               *cr,
                                                   double                 x,
                                                   double                 y,
                                                   double                 w,
                                                   double                 h,
                                                   double                 r);
void             _es_plot_depth_range             (const EsScatterData   *data,
                                                   const EsViewport      *vp,
                                                   double                *near,
                                                   double                *far);

G_END_DECLS
