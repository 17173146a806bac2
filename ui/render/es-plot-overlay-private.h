/* es-plot-overlay-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-scatter-renderer-private.h"

G_BEGIN_DECLS

/* What is singled out (selection, neighbours, analogy) and the hover layer. */

void _es_plot_draw_overlay (cairo_t             *cr,
                            EsScatterData       *data,
                            const EsViewport    *vp,
                            const EsPlotStyle   *style,
                            const EsPlotOverlay *overlay,
                            double               scale);

G_END_DECLS
