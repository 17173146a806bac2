/* es-tensors-private.h: shared by the files of engine/tensors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Parses @len bytes of JSON from a file (@name; @offset is where they
 * start in it, for messages) after refusing nesting deeper than 64 and
 * input over the memory ceiling (a JSON tree costs several times its
 * text).  The root node is the parser's.
 */
JsonParser *_es_json_parse (const char  *name,
                            const char  *json,
                            gsize        len,
                            guint64      offset,
                            const char  *what,
                            GError     **error);

G_END_DECLS
