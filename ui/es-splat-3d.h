/* es-splat-3d.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-scatter-renderer-private.h"

G_BEGIN_DECLS

/* 3D: a depth-tested sprite per point, or nearest slice first for many. */

void _es_scatter_renderer_render_points_3d (EsScatterRenderer *self,
                                            cairo_surface_t   *image,
                                            EsScatterData     *data,
                                            const EsViewport  *vp,
                                            const EsPlotStyle *style);

G_END_DECLS
