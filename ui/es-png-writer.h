/* es-png-writer.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

/* Writes an ARGB32 (or RGB24) image surface as PNG to @fd with libpng at
 * a fast zlib level: Cairo's own encoder uses zlib's default level and
 * takes ~10x longer than drawing the frame.  RGB when every pixel is
 * opaque, RGBA otherwise.  FALSE with errno set on failure.
 */
gboolean es_png_write_surface (cairo_surface_t *surface,
                               int              fd);

/* All of @data to @fd, retrying short and interrupted writes.  FALSE
 * with errno set on failure.
 */
gboolean es_write_all         (int              fd,
                               const void      *data,
                               gsize            length);

G_END_DECLS
