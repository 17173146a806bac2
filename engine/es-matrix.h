/* es-matrix.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-engine-types.h"

G_BEGIN_DECLS

/* A dense float32 matrix, row-major and contiguous, its data 64-byte
 * aligned.  Immutable once shared: only the creator writes into it, before
 * handing it on.
 */
EsMatrix    *es_matrix_new          (gsize           rows,
                                     gsize           cols,
                                     GError        **error);
EsMatrix    *es_matrix_new_from_data (gsize          rows,
                                     gsize           cols,
                                     const float    *data);
EsMatrix    *es_matrix_ref          (EsMatrix       *self);
void         es_matrix_unref        (EsMatrix       *self);
gsize        es_matrix_get_rows     (const EsMatrix *self);
gsize        es_matrix_get_cols     (const EsMatrix *self);
const float *es_matrix_get_data     (const EsMatrix *self);
float       *es_matrix_get_data_mut (EsMatrix       *self);
const float *es_matrix_get_row      (const EsMatrix *self,
                                     gsize           row);
void         es_matrix_shrink_rows  (EsMatrix       *self,
                                     gsize           rows);

/* Overflow-checked rows * cols * sizeof (float). */
gboolean     es_matrix_byte_size    (guint64         rows,
                                     guint64         cols,
                                     guint64        *bytes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsMatrix, es_matrix_unref)

G_END_DECLS
