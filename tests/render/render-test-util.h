/* render-test-util.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>

#include "es-scatter-data.h"

G_BEGIN_DECLS

/* Dense clusters, a uniform haze and a few exact duplicates (ties). */
EsScatterData *render_test_clustered_data (GRand *rand,
                                           gsize  n,
                                           guint  dims);

/* The pixel at (x, y), asserting it is inside the surface. */
guint32        render_test_pixel_at       (cairo_surface_t *surface,
                                           int              x,
                                           int              y);
/* The largest channel difference between two w × h blocks. */
int            render_test_block_diff     (cairo_surface_t *a,
                                           int              ax,
                                           int              ay,
                                           cairo_surface_t *b,
                                           int              bx,
                                           int              by,
                                           int              w,
                                           int              h);

G_END_DECLS
