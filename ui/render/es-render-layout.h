/* es-render-layout.h: `embedscope render` of ready-made coordinates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-embedding-set.h"

G_BEGIN_DECLS

/* Plots @coords (rows × @dims, NaN rows hidden) of @set's words to @output
 * (.png, .svg or .pdf); @dims 3 draws in perspective.  @axis_prefix names
 * the axes ("UMAP" gives "UMAP 1", "UMAP 2").  @highlight_word (nullable)
 * is selected, its 10 nearest neighbours (cosine, original space) ringed.
 */
gboolean es_render_layout (EsEmbeddingSet *set,
                           const float    *coords,
                           guint           dims,
                           const char     *axis_prefix,
                           double          azimuth,
                           double          elevation,
                           const char     *highlight_word,
                           const char     *output,
                           int             width,
                           int             height,
                           GError        **error);

G_END_DECLS
