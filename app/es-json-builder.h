/* es-json-builder.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _EsJsonBuilder EsJsonBuilder;

/* A minimal streaming JSON writer for the CLI's --json output: objects,
 * arrays, strings (invalid UTF-8 shown as U+FFFD), integers and doubles
 * printed locale-independently with the shortest round-trip digits.
 */
EsJsonBuilder *es_json_builder_new          (void);
void           es_json_builder_free         (EsJsonBuilder *self);
void           es_json_builder_begin_object (EsJsonBuilder *self);
void           es_json_builder_end_object   (EsJsonBuilder *self);
void           es_json_builder_begin_array  (EsJsonBuilder *self);
void           es_json_builder_end_array    (EsJsonBuilder *self);
void           es_json_builder_member       (EsJsonBuilder *self,
                                             const char    *name);
void           es_json_builder_string       (EsJsonBuilder *self,
                                             const char    *value,
                                             gssize         len);
void           es_json_builder_int          (EsJsonBuilder *self,
                                             gint64         value);
void           es_json_builder_double       (EsJsonBuilder *self,
                                             double         value);
void           es_json_builder_boolean      (EsJsonBuilder *self,
                                             gboolean       value);
char          *es_json_builder_free_to_string (EsJsonBuilder *self);

/* Shortest decimal that parses back to the same double, "C" locale. */
char          *es_format_double             (double         value);
/* Shortest decimal that parses back to the same float. */
char          *es_format_float              (float          value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsJsonBuilder, es_json_builder_free)

G_END_DECLS
