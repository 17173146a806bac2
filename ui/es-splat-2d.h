/* es-splat-2d.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-scatter-renderer-private.h"

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

/* Test hook: whether the banded splat draws with a second thread. */
typedef enum
{
  ES_SPLAT_THREADS_AUTO,   /* two threads from SPLAT_THREAD_MIN_POINTS points */
  ES_SPLAT_THREADS_ONE,
  ES_SPLAT_THREADS_TWO,
} EsSplatThreads;

void _es_scatter_renderer_set_splat_threads (EsScatterRenderer *self,
                                             EsSplatThreads     mode);

G_END_DECLS
