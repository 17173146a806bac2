/* es-output.h: the one way anything is written to a user-named path
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _EsOutput EsOutput;

/* How a path is written, decided from what it is now (es_output_kind ()):
 *  - absent or a regular file: a temporary file beside it, fsync'd, renamed
 *    over it, so a failed write never leaves a truncated file;
 *  - a symlink: the same on the file it resolves to (the link stays);
 *  - "-", or the file the process's stdout already is: written to stdout;
 *  - a character device, FIFO or socket (a terminal, /dev/null, a pipe):
 *    written directly, every error (ENOSPC on a full device) reported;
 *  - anything else (a directory, a block device): refused.
 * A device node is never replaced by a regular file.
 */
typedef enum
{
  ES_OUTPUT_REPLACE,   /* temp file + rename */
  ES_OUTPUT_DIRECT,    /* open and write in place */
  ES_OUTPUT_STDOUT,
  ES_OUTPUT_REFUSED,
} EsOutputKind;

EsOutputKind es_output_kind        (const char  *path,
                                    char       **target,
                                    GError     **error);

EsOutput    *es_output_open        (const char  *path,
                                    GError     **error);
/* The descriptor to write to (for writers that take one, like the PNG
 * encoder); record a failed write's errno with es_output_fail ().
 */
int          es_output_get_fd      (EsOutput    *self);
void         es_output_fail        (EsOutput    *self,
                                    int          saved_errno);
gboolean     es_output_write       (EsOutput    *self,
                                    const void  *data,
                                    gsize        len,
                                    GError     **error);
/* Flushes and closes (and renames into place); FALSE with the first error
 * of the whole write, naming the path.  Frees @self either way.
 */
gboolean     es_output_commit      (EsOutput    *self,
                                    GError     **error);
/* Drops what was written (the temporary file); frees @self. */
void         es_output_abort       (EsOutput    *self);

/* The whole of @data to @path by the rules above. */
gboolean     es_output_write_file  (const char  *path,
                                    const void  *data,
                                    gsize        len,
                                    GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsOutput, es_output_abort)

G_END_DECLS
