/* es-metadata.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-engine-types.h"

G_BEGIN_DECLS

typedef struct _EsMetadata EsMetadata;

/* A table of strings, one row per embedding row, with named columns
 * (projector metadata.tsv, or a word -> category join).
 */
EsMetadata *es_metadata_new              (const char * const *column_names);
EsMetadata *es_metadata_ref              (EsMetadata         *self);
void        es_metadata_unref            (EsMetadata         *self);
void        es_metadata_append_row       (EsMetadata         *self,
                                          const char * const *values);
guint       es_metadata_get_n_columns    (const EsMetadata   *self);
gsize       es_metadata_get_n_rows       (const EsMetadata   *self);
const char *es_metadata_get_column_name  (const EsMetadata   *self,
                                          guint               column);
int         es_metadata_find_column      (const EsMetadata   *self,
                                          const char         *name);
const char *es_metadata_get_value        (const EsMetadata   *self,
                                          gsize               row,
                                          guint               column);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsMetadata, es_metadata_unref)

G_END_DECLS
