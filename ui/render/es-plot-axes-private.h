/* es-plot-axes-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-scatter-renderer-private.h"

G_BEGIN_DECLS

/* The fixed furniture: grid or box, ticks and titles, 3D gizmo, legend. */

guint _es_plot_compute_ticks            (const EsScatterData *data,
                                         const EsViewport    *vp,
                                         guint                axis,
                                         double              *values,
                                         double              *positions,
                                         guint                max_ticks,
                                         double              *step_out);
void  _es_plot_draw_underlay            (cairo_t             *cr,
                                         const EsScatterData *data,
                                         const EsViewport    *vp,
                                         const EsPlotStyle   *style);
void  _es_scatter_renderer_draw_axes_2d (EsScatterRenderer   *self,
                                         EsLabelContext      *lc,
                                         double               scale);
void  _es_scatter_renderer_draw_gizmo   (EsScatterRenderer   *self,
                                         EsLabelContext      *lc,
                                         double               scale);
void  _es_scatter_renderer_draw_legend  (EsScatterRenderer   *self,
                                         EsLabelContext      *lc,
                                         double               scale);

G_END_DECLS
