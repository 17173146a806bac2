/* es-png-writer.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

/* Writes an ARGB32 (or RGB24) image surface as PNG to @fd at zlib level
 * 1, compressed in parts on the machine's cores (es-deflate-parts.h):
 * Cairo's own encoder uses zlib's default level on one thread and takes
 * ~10x longer than drawing the frame.  RGB when every pixel is opaque,
 * RGBA otherwise.  FALSE with errno set on failure (ENOMEM when zlib or
 * a buffer cannot be allocated); nothing is written before the image is
 * compressed.
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
