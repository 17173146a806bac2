/* es-point-index.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-scatter-data.h"
#include "es-viewport.h"

G_BEGIN_DECLS

typedef struct _EsPointIndex EsPointIndex;

/* A screen-space bucket grid of the projected points for hit-testing:
 * built once per data/viewport change in O(n), then every lookup reads only
 * the few cells around the pointer.
 */
EsPointIndex *es_point_index_new         (EsScatterData      *data,
                                          const EsViewport   *viewport);
void          es_point_index_free        (EsPointIndex       *self);
gboolean      es_point_index_matches     (const EsPointIndex *self,
                                          EsScatterData      *data,
                                          const EsViewport   *viewport);
/* The row nearest to (x, y) within @radius pixels (in front first, in 3D),
 * or -1.
 */
gint64        es_point_index_lookup      (const EsPointIndex *self,
                                          double              x,
                                          double              y,
                                          double              radius);
/* Rows inside the rectangle, in rank order. */
GArray       *es_point_index_query_rect  (const EsPointIndex *self,
                                          double              x0,
                                          double              y0,
                                          double              x1,
                                          double              y1);
/* Rows inside the closed outline @xy (x, y pairs; even-odd rule), in rank
 * order; fewer than three vertices select nothing.
 */
GArray       *es_point_index_query_polygon (const EsPointIndex *self,
                                          const double       *xy,
                                          gsize               n_vertices);
/* The projected position of a row; FALSE when off the surface or hidden. */
gboolean      es_point_index_get_position (const EsPointIndex *self,
                                          gsize               row,
                                          double             *x,
                                          double             *y);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsPointIndex, es_point_index_free)

G_END_DECLS
