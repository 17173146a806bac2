/* es-sparse-svd.h: randomized truncated SVD of a sparse matrix
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "es-engine-types.h"
#include "es-sparse-matrix.h"

G_BEGIN_DECLS

typedef enum
{
  ES_SPARSE_SVD_BLOCK_KRYLOV,  /* Musco & Musco 2015; the default */
  ES_SPARSE_SVD_SUBSPACE,      /* Halko, Martinsson & Tropp 2011, alg. 4.4 */
} EsSparseSvdMethod;

typedef struct
{
  guint             dims;              /* k; default 100 */
  guint             oversamples;       /* extra columns of the sketch (the block); default 4 */
  guint             power_iterations;  /* q; default 8 (block Krylov) */
  guint64           seed;              /* default 42 */
  EsSparseSvdMethod method;
} EsSparseSvdOptions;

typedef struct _EsSparseSvd EsSparseSvd;

void          es_sparse_svd_options_init        (EsSparseSvdOptions        *options);

/* A ≈ U Σ Vᵀ with the k largest singular values.  A is only multiplied,
 * never made dense.  The range of U comes from the block Krylov space
 * [A Ω, (A Aᵀ) A Ω, …, (A Aᵀ)^q A Ω] of block l = k + oversamples (rounded
 * up to 8), the top l Ritz vectors of A Aᵀ on it (es-sparse-krylov.c), or
 * with ES_SPARSE_SVD_SUBSPACE from the randomized range finder with q
 * power iterations (Halko, Martinsson & Tropp 2011, alg. 4.4,
 * re-normalised after each product by A).  Block Krylov keeps q + 1
 * blocks, so it costs about twice the products' memory and BLAS work of
 * subspace iteration, and on flat spectra (PPMI) it is far more accurate
 * for the same products: on the Brown PPMI, σ1..σ100 within 1e-3 of
 * ARPACK where subspace iteration is 5e-2 off.  The sketches are float32 (their sparse products are ours,
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
/* How it was computed: "block Krylov" or "subspace iteration", the block
 * width, the iterations and the dimension of the searched space.
 */
const char   *es_sparse_svd_get_method_name     (const EsSparseSvd         *self);
guint         es_sparse_svd_get_block           (const EsSparseSvd         *self);
guint         es_sparse_svd_get_iterations      (const EsSparseSvd         *self);
guint         es_sparse_svd_get_space_dims      (const EsSparseSvd         *self);
/* An a-posteriori accuracy: max over the k triplets of ‖A v − σ u‖ / σ
 * (Aᵀ u = σ v holds by construction, so some singular value of A lies
 * within that relative distance of each σ; the true error is usually
 * far smaller, about its square over the relative gap).
 */
double        es_sparse_svd_get_max_residual    (const EsSparseSvd         *self);

/* Row i of U · Σ^@power as float32 (rows × k); @power 0.5 by default
 * (Levy, Goldberg & Dagan 2015 find p = 0.5 or 0 better than 1).
 */
float        *es_sparse_svd_dup_row_vectors     (const EsSparseSvd         *self,
                                                 double                     power,
                                                 GError                   **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsSparseSvd, es_sparse_svd_free)

G_END_DECLS
