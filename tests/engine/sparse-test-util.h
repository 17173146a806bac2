/* sparse-test-util.h: temporary files for the engine/sparse tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A fresh temporary folder, removed with its files by sparse_test_cleanup (). */
const char *sparse_test_dir      (void);
void        sparse_test_cleanup  (void);
/* Writes @text (gzip-compressed with @gzip) to @name in that folder. */
char       *sparse_test_write    (const char *name,
                                  const char *text,
                                  gssize      len,
                                  gboolean    gzip);

G_END_DECLS
