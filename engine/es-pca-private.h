/* es-pca-private.h: exact PCA and truncated SVD
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-projection-private.h"

G_BEGIN_DECLS

/* ES_METHOD_PCA or ES_METHOD_SVD, with @n_components already checked. */
EsProjection *_es_pca_compute (EsEmbeddingSet             *set,
                               const EsProjectionOptions  *options,
                               guint                       n_components,
                               GCancellable               *cancellable,
                               const EsStage              *stage,
                               GError                    **error);

G_END_DECLS
