/* es-bytes-shape.h: the shapes a raw projector .bytes file can have
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint64  rows;
  guint64  dims;
  char    *source;   /* the metadata file whose rows gave it, or NULL */
} EsBytesShape;

void       es_bytes_shape_clear (EsBytesShape *shape);

/* For a raw float32 file (a ".bytes" name, no projector_config.json beside
 * it giving the shape, a size that is a multiple of 4, content that is not
 * text): the shapes ROWS × DIMS its size allows, 2 ≤ DIMS ≤ 65536, in
 * ascending DIMS, at most @max_shapes; first the one whose ROWS is the
 * line count of a metadata TSV beside it (a header line dropped when it
 * has more than one column) when that fits.  NULL when the file needs no
 * shape (or is no such file).  Reads the directory: call it where I/O may
 * block.
 */
GArray    *es_bytes_shape_guess (const char *path,
                                 guint       max_shapes);

G_END_DECLS
