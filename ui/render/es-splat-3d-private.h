/* es-splat-3d-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the two ways a 3D frame is drawn: a depth-tested sprite per
 * point (es-splat-3d.c) and, for many points, nearest slice first on row
 * parts (es-splat-3d-many.c).
 */

#pragma once

#include <math.h>

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


/* es_view_transform_project () for 3D, inlined into the point loops
 * (the same arithmetic, so the same pixels).
 */
static inline gboolean
project_3d (const EsViewTransform *t,
            const float           *p,
            double                *sx,
            double                *sy,
            double                *depth)
{
  double v0 = p[0] - t->eye[0], v1 = p[1] - t->eye[1], v2 = p[2] - t->eye[2];
  double cx = v0 * t->right[0] + v1 * t->right[1] + v2 * t->right[2];
  double cy = v0 * t->up[0] + v1 * t->up[1] + v2 * t->up[2];
  double cz = v0 * t->forward[0] + v1 * t->forward[1] + v2 * t->forward[2];

  *depth = cz;
  if (!(cz > t->near))
    return FALSE;
  *sx = t->half_w + t->focal * cx / cz;
  *sy = t->half_h - t->focal * cy / cz;
  /* Never an index from a non-finite coordinate. */
  return isfinite (*sx) && isfinite (*sy);
}

/* Many points, from _es_scatter_renderer_render_points_3d (). */
void _es_splat_3d_render_many (EsScatterRenderer     *self,
                               guint32               *pixels,
                               int                    stride_px,
                               int                    width,
                               int                    height,
                               EsScatterData         *data,
                               const EsViewport      *vp,
                               const EsViewTransform *t,
                               double                 diameter,
                               double                 near,
                               double                 far,
                               const guint32         *fog,
                               guint                  n_keys);

G_END_DECLS
