/* es-plot-vector-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-scatter-renderer-private.h"

G_BEGIN_DECLS

/* Points as Cairo paths, for SVG and PDF. */

void _es_plot_render_points_vector (cairo_t           *cr,
                                    EsScatterData     *data,
                                    const EsViewport  *vp,
                                    const EsPlotStyle *style);

G_END_DECLS
