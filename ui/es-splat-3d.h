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

/* Test hook: into how many row parts the frame of many points is cut
 * (0: the default, 1: not cut), whether a point whose centre is already
 * opaque is skipped (the only thing that makes the cut show), and whether
 * the AVX2 code is used where the CPU has it.
 */
void _es_scatter_renderer_set_splat_3d_test (EsScatterRenderer *self,
                                             int                n_parts,
                                             gboolean           early_skip,
                                             gboolean           vector);

G_END_DECLS
