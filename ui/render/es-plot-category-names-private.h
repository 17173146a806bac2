/* es-plot-category-names-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-scatter-renderer-private.h"

G_BEGIN_DECLS

/* The names of the colour categories (clusters, metadata classes) at their
 * centres, as headings of the map: placed before any word label, largest
 * category first, each only where it fits, so zooming in shows more.
 */
void _es_scatter_renderer_layout_category_names (EsScatterRenderer *self,
                                                 EsLabelContext    *lc);
void _es_scatter_renderer_draw_category_names   (EsScatterRenderer *self,
                                                 EsLabelContext    *lc);
void _es_scatter_renderer_clear_category_names  (EsScatterRenderer *self);

G_END_DECLS
