/* es-render-command.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-loader.h"
#include "es-projection.h"

G_BEGIN_DECLS

/* `embedscope render`: load @input, project it, plot components cx, cy
 * (and cz >= 0 for 3D, seen from @azimuth / @elevation degrees), select
 * @highlight_word (nullable) and write @output (PNG, SVG or PDF by its
 * extension) at width x height, atomically.  No GTK.
 */
gboolean es_render_file (const char                 *input,
                         const EsLoadOptions        *load_options,
                         const EsProjectionOptions  *projection_options,
                         guint                       cx,
                         guint                       cy,
                         gint                        cz,
                         double                      azimuth,
                         double                      elevation,
                         const char                 *highlight_word,
                         const char                 *output,
                         int                         width,
                         int                         height,
                         GError                    **error);

/* The same for coordinates computed elsewhere (t-SNE, UMAP): @coords holds
 * rows × @dims floats for the rows of @set (NaN: not drawn); axes are
 * titled "@axis_name 1", "@axis_name 2"….
 */
gboolean es_render_coords (EsEmbeddingSet             *set,
                           const float                *coords,
                           guint                       dims,
                           const char                 *axis_name,
                           double                      azimuth,
                           double                      elevation,
                           const char                 *highlight_word,
                           const char                 *output,
                           int                         width,
                           int                         height,
                           GError                    **error);

G_END_DECLS
