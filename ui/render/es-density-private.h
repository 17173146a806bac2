/* es-density-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-scatter-renderer-private.h"

G_BEGIN_DECLS

/* 2D, many points: counts per pixel, box-filtered, coloured by density. */

void _es_scatter_renderer_render_points_density (EsScatterRenderer     *self,
                                                 guint32               *pixels,
                                                 int                    stride_px,
                                                 int                    width,
                                                 int                    height,
                                                 EsScatterData         *data,
                                                 const EsViewTransform *t,
                                                 const EsPlotStyle     *style);

G_END_DECLS
