/* es-label-cache-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

typedef struct _EsLabelCache EsLabelCache;

/* Text with its halo, rendered once as a small image per string, font,
 * colour and halo, then blitted: a label costs one composite instead of
 * nine glyph runs.  For pixel targets only (image surfaces drawn without
 * scaling); vector output keeps real text.  Not thread-safe.
 */
EsLabelCache *es_label_cache_new            (void);
void          es_label_cache_free           (EsLabelCache  *self);

/* Whether @cr can take cached labels: an image surface and a transform
 * that is a whole-pixel translation.
 */
gboolean      es_label_cache_usable         (cairo_t       *cr);

/* Draws @text with @cr's current font at (x, y) (the baseline origin,
 * snapped to the pixel grid as Cairo snaps glyphs), in @color over a halo
 * of @halo_color: eight copies of the text offset by up to 1.4 * @halo_width
 * pixels.
 */
void          es_label_cache_show           (EsLabelCache  *self,
                                             cairo_t       *cr,
                                             double         x,
                                             double         y,
                                             const char    *text,
                                             const double   color[4],
                                             const double   halo_color[4],
                                             double         halo_width);

/* Draws the same directly with Cairo (no cache): the reference the cache
 * must match, and the path for targets the cache cannot serve.
 */
void          es_label_cache_show_uncached  (cairo_t       *cr,
                                             double         x,
                                             double         y,
                                             const char    *text,
                                             const double   color[4],
                                             const double   halo_color[4],
                                             double         halo_width);

/* Images held, and lookups answered from them (for tests). */
guint         es_label_cache_get_n_entries  (EsLabelCache  *self);
guint64       es_label_cache_get_n_hits     (EsLabelCache  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsLabelCache, es_label_cache_free)

G_END_DECLS
