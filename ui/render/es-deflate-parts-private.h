/* es-deflate-parts-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One zlib stream made pigz-style: the rows are cut into contiguous
 * parts, each compressed on its own (raw deflate, ended with a sync
 * flush so the next part starts on a byte), by a few short-lived threads
 * taking parts in turn.  Concatenated, the parts are one deflate stream;
 * the zlib header and the adler32 of all rows (joined with
 * adler32_combine) go around them.  The parts share no dictionary, which
 * costs a little size.
 */
typedef struct _EsDeflateParts EsDeflateParts;

/* Fills @n_rows rows starting at @first_row into @dst, row after row,
 * each the stream's row length.  Called from several threads at once.
 */
typedef void (*EsDeflateRowsFunc) (gpointer  user_data,
                                   int       first_row,
                                   int       n_rows,
                                   guint8   *dst);

/* Test hook: @n_threads 0 picks by the machine and the size, 1 runs
 * alone; @rows_per_part 0 picks by the size.
 */
void            _es_deflate_parts_force      (guint              n_threads,
                                              guint              rows_per_part);

/* NULL with errno ENOMEM when zlib or the buffers cannot be allocated.
 * @max_piece bounds every piece's length (a PNG chunk's limit).
 */
EsDeflateParts *es_deflate_parts_new         (int                level,
                                              gsize              row_bytes,
                                              int                n_rows,
                                              gsize              max_piece,
                                              EsDeflateRowsFunc  fill,
                                              gpointer           user_data);
void            es_deflate_parts_free        (EsDeflateParts    *self);

/* The stream in order, as pieces each with its crc32 (from 0). */
guint           es_deflate_parts_get_n_pieces (EsDeflateParts   *self);
const guint8   *es_deflate_parts_get_piece    (EsDeflateParts   *self,
                                               guint             index,
                                               gsize            *length,
                                               guint32          *crc);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsDeflateParts, es_deflate_parts_free)

G_END_DECLS
