/* es-plot-labels-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-scatter-renderer-private.h"

G_BEGIN_DECLS

/* Word labels: where they go (never overlapping) and how they are drawn. */

void _es_scatter_renderer_show_text_halo  (EsScatterRenderer   *self,
                                           cairo_t             *cr,
                                           const EsPlotStyle   *style,
                                           double               x,
                                           double               y,
                                           const char          *text,
                                           const double         color[4]);
void _es_scatter_renderer_occupancy_reset (EsScatterRenderer   *self,
                                           int                  width,
                                           int                  height);
void _es_scatter_renderer_occupy          (EsScatterRenderer   *self,
                                           double               x,
                                           double               y,
                                           double               w,
                                           double               h);
gboolean _es_scatter_renderer_occupancy_is_free (EsScatterRenderer *self,
                                                 double             x,
                                                 double             y,
                                                 double             w,
                                                 double             h);
void _es_scatter_renderer_layout_labels   (EsScatterRenderer   *self,
                                           EsLabelContext      *lc,
                                           const EsPlotOverlay *overlay);
void _es_scatter_renderer_draw_labels     (EsScatterRenderer   *self,
                                           EsLabelContext      *lc,
                                           const EsPlotOverlay *overlay);

G_END_DECLS
