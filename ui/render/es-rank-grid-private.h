/* es-rank-grid-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "es-scatter-data.h"

G_BEGIN_DECLS

typedef struct _EsRankGrid EsRankGrid;

/* The 2D points of a scatter data bucketed by cell of a coarse grid, each
 * cell's rows in rank order: the rows inside a rectangle come out in rank
 * order at a cost per row handed out (plus one per cell), however many
 * points lie elsewhere.  Label placement walks rows by rank and stops
 * after a few thousand; zoomed in, most rows are off-screen and a plain
 * walk over all of them would cost milliseconds per million.
 * Not thread-safe (the walk's state lives in the grid).
 */
EsRankGrid    *es_rank_grid_new       (EsScatterData *data);
void           es_rank_grid_free      (EsRankGrid    *self);
EsScatterData *es_rank_grid_get_data  (EsRankGrid    *self);

/* Starts a walk over the rows in [x0, x1] x [y0, y1] (normalised
 * coordinates; rows near the edges may lie just outside).  FALSE, and no
 * walk, when that holds more than @max_fraction of the rows: a plain walk
 * over every row is as cheap then.
 */
gboolean       es_rank_grid_begin     (EsRankGrid    *self,
                                       double         x0,
                                       double         y0,
                                       double         x1,
                                       double         y1,
                                       double         max_fraction);
/* The next row by rank; FALSE at the end. */
gboolean       es_rank_grid_next      (EsRankGrid    *self,
                                       gsize         *row);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsRankGrid, es_rank_grid_free)

G_END_DECLS
