/* es-session-private.h: what the session's reader and writer share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "es-session.h"

G_BEGIN_DECLS

/* Size and SHA-256 (hex) of the first MiB of a regular file. */
gboolean _es_session_fingerprint (const char  *path,
                                  guint64     *size,
                                  char       **checksum,
                                  GError     **error);

/* Every key of @root into @self; errors name @file and the key. */
gboolean _es_session_read_root   (JsonObject  *root,
                                  const char  *file,
                                  const char  *session_dir,
                                  EsSession   *self,
                                  GError     **error);

G_END_DECLS
