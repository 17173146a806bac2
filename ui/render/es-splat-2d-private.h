/* es-splat-2d-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-scatter-renderer-private.h"
#include "es-splat-worker-private.h"

G_BEGIN_DECLS

/* 2D, up to the density threshold: a sprite per point, band by band. */

void _es_scatter_renderer_render_points_banded (EsScatterRenderer *self,
                                                guint32           *pixels,
                                                int                stride_px,
                                                int                width,
                                                int                height,
                                                EsScatterData     *data,
                                                const EsViewport  *vp,
                                                const EsPlotStyle *style);

/* Test hook: whether the banded 2D splat and the 3D splat of many points
 * draw with a second thread.
 */
void _es_scatter_renderer_set_splat_threads (EsScatterRenderer *self,
                                             EsSplatThreads     mode);

G_END_DECLS
