/* es-transform.h: linear maps as data — a new embedding set from an old one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "es-embedding-set.h"

G_BEGIN_DECLS

/* Every row x of @set becomes x W, with @w a dims × out_dims matrix
 * (row-major; @w_name names it in errors).  The words, metadata and
 * masking carry over (a NaN row stays NaN).  The product is one float
 * sgemm per block of rows.  Errors: W's row count is not @set's
 * dimension (naming both shapes), non-finite W, the memory ceiling.
 */
EsEmbeddingSet *es_transform_matrix            (EsEmbeddingSet  *set,
                                                const EsMatrix  *w,
                                                const char      *w_name,
                                                GCancellable    *cancellable,
                                                GError         **error);

/* Projects @n directions (n × dims, row-major, any length) out of every
 * row: x − Σ (x·q_j) q_j, with q_1…q_n the orthonormal basis of their span
 * from a QR decomposition (LAPACKE dgeqrf + dorgqr), in the order given
 * (Bolukbasi et al. 2016's "neutralise" step, for one or several
 * directions).  @labels (nullable, n strings) name the directions in
 * errors.  Errors: a zero direction or one in the span of those before it
 * (ES_ENGINE_ERROR_NUMERIC), more directions than dimensions.
 */
EsEmbeddingSet *es_transform_remove_directions (EsEmbeddingSet      *set,
                                                const double        *directions,
                                                gsize                n,
                                                const char * const  *labels,
                                                GCancellable        *cancellable,
                                                GError             **error);

G_END_DECLS
