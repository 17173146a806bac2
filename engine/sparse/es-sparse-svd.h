/* es-sparse-svd.h: randomized truncated SVD of a sparse matrix
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "es-engine-types.h"
#include "es-sparse-matrix.h"

G_BEGIN_DECLS

typedef struct
{
  guint   dims;              /* k; default 100 */
  guint   oversamples;       /* extra columns of the sketch; default 10 */
  guint   power_iterations;  /* default 5 (scikit-learn's TruncatedSVD) */
  guint64 seed;              /* default 42 */
} EsSparseSvdOptions;

typedef struct _EsSparseSvd EsSparseSvd;

void          es_sparse_svd_options_init        (EsSparseSvdOptions        *options);

/* A ≈ U Σ Vᵀ with the k largest singular values, by the randomized range
 * finder with power iterations (Halko, Martinsson & Tropp 2011, alg. 4.4,
 * re-normalised after each product by A): A is only multiplied, never
 * made dense.  The sketches are float32 (their sparse products are ours,
 * on two threads); the final basis and the small SVD are in double
 * (Cholesky QR through BLAS 3, Householder QR and the SVD through
 * LAPACKE), so the singular values carry float32 accuracy (~1e-6
 * relative) and U, V are orthonormal to double precision.  Signs are fixed so
 * that each column of U has its largest-magnitude entry positive.
 * Deterministic for a seed, whatever the thread count.  k must be below
 * min (rows, cols).
 */
EsSparseSvd  *es_sparse_svd_compute             (const EsSparseMatrix      *a,
                                                 const EsSparseSvdOptions  *options,
                                                 GCancellable              *cancellable,
                                                 EsProgressFunc             progress,
                                                 gpointer                   progress_data,
                                                 GError                   **error);
void          es_sparse_svd_free                (EsSparseSvd               *self);
guint         es_sparse_svd_get_dims            (const EsSparseSvd         *self);
const double *es_sparse_svd_get_singular_values (const EsSparseSvd         *self);
/* rows × k and cols × k, row-major. */
const double *es_sparse_svd_get_u               (const EsSparseSvd         *self);
const double *es_sparse_svd_get_v               (const EsSparseSvd         *self);

/* Row i of U · Σ^@power as float32 (rows × k); @power 0.5 by default
 * (Levy, Goldberg & Dagan 2015 find p = 0.5 or 0 better than 1).
 */
float        *es_sparse_svd_dup_row_vectors     (const EsSparseSvd         *self,
                                                 double                     power,
                                                 GError                   **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsSparseSvd, es_sparse_svd_free)

G_END_DECLS
