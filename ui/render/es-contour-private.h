/* es-contour-private.h: isolines of a grid by marching squares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One joined isoline: points [start, start + n) of the set's xy. */
typedef struct
{
  guint    start;
  guint    n;
  gboolean closed;   /* a loop; else it ends on the grid's border */
} EsContourPath;

typedef struct
{
  GArray *xy;      /* float x, y pairs of every path, in grid units */
  GArray *paths;   /* EsContourPath */
  int    *links;   /* scratch: two neighbours per cell edge */
  gsize   links_len;
  guint8 *seen;
  gsize   seen_len;
} EsContourSet;

void _es_contour_set_init  (EsContourSet *self);
void _es_contour_set_clear (EsContourSet *self);
void _es_contour_set_reset (EsContourSet *self);

/* Appends the isolines f = @level of @f (@nx × @ny values, row-major;
 * node (i, j) sits at x = i, y = j) as polylines: the segments of every
 * cell joined at the cell edges they share, so a closed curve is one
 * path, not hundreds of segments.  Inside is f >= @level; a saddle cell
 * is resolved by the mean of its corners.
 */
void _es_contour_trace     (EsContourSet *self,
                            const float  *f,
                            int           nx,
                            int           ny,
                            double        level);

G_END_DECLS
