/* es-matrix-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the loader's row builder, which grows its matrix while reading.
 */

#pragma once

#include "es-matrix.h"

G_BEGIN_DECLS

gboolean _es_matrix_resize_rows (EsMatrix  *self,
                                 gsize      rows,
                                 GError   **error);

G_END_DECLS
