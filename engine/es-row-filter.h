/* es-row-filter.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-embedding-set.h"
#include "es-metadata.h"

G_BEGIN_DECLS

/* Which rows of a view pass the user's filters: the top N rows of the file,
 * one metadata category, a word filter (substring or regex, both without
 * case) and one layer of a layered tensor.  The window and a session's
 * headless render apply the same rule through this one type.
 */
typedef struct _EsRowFilter EsRowFilter;

EsRowFilter *es_row_filter_new             (void);
void         es_row_filter_free            (EsRowFilter    *self);

/* 0: every row.  Only meaningful when the view is the whole file. */
void         es_row_filter_set_top_n       (EsRowFilter    *self,
                                            gsize           top_n);
/* Rows whose @column holds @value; a negative column: no category filter. */
void         es_row_filter_set_category    (EsRowFilter    *self,
                                            int             column,
                                            const char     *value);
/* A case-insensitive substring, or a regex when @regex.  An invalid regex
 * returns FALSE with @error and leaves the word filter as it was.
 */
gboolean     es_row_filter_set_text        (EsRowFilter    *self,
                                            const char     *text,
                                            gboolean        regex,
                                            GError        **error);
/* Rows whose @layer_column is @layer pass, and also (the focus token's path
 * through the layers) every row whose @position_column is @keep_position.
 */
void         es_row_filter_set_layer       (EsRowFilter    *self,
                                            int             layer_column,
                                            const char     *layer,
                                            int             position_column,
                                            const char     *keep_position);
/* The top N, category or word filter hides some of @rows (the layer is a
 * choice of view, not a filter, for the status line).
 */
gboolean     es_row_filter_is_filtering    (const EsRowFilter *self,
                                            gsize              rows);

/* One byte for each of @rows rows of @set, 1 where the row passes; rows
 * past the set's never do.  Any thread.
 */
guint8      *es_row_filter_run             (const EsRowFilter *self,
                                            EsEmbeddingSet    *set,
                                            gsize              rows);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsRowFilter, es_row_filter_free)

G_END_DECLS
