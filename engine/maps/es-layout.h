/* es-layout.h: what the non-linear maps (t-SNE, UMAP) share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Called on the worker thread at most every ~100 ms (and after the last
 * iteration) with the current coordinates, rows × dims row-major, invalid
 * rows NaN.  The GUI copies them to animate the map; the buffer is only
 * valid during the call.
 */
typedef void (*EsLayoutFrameFunc) (const float *coords,
                                   gsize        rows,
                                   guint        dims,
                                   guint        iteration,
                                   guint        n_iterations,
                                   gpointer     user_data);

/* Wall-clock seconds of each phase, for --json and the benchmarks, and
 * how the neighbours were found (stated, never hidden).
 */
typedef struct
{
  double   knn;
  double   affinities;
  double   init;
  double   optimize;
  gboolean knn_exact;
} EsLayoutTimings;

G_END_DECLS
