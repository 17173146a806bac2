/* es-nmf.h: non-negative matrix factorisation of a sparse matrix
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
  ES_NMF_INIT_NNDSVDA, /* Boutsidis & Gallopoulos 2008, zeros filled with mean (X) */
  ES_NMF_INIT_RANDOM,  /* |N(0, 1)| · sqrt (mean (X) / k), seeded */
} EsNmfInit;

typedef struct
{
  guint     components;      /* k; default 10 */
  guint     max_iterations;  /* default 200; at least 1 is run */
  double    tolerance;       /* stop when the loss improves by less than this fraction; default 1e-4 */
  guint64   seed;            /* default 42 */
  EsNmfInit init;
} EsNmfOptions;

typedef struct _EsNmf EsNmf;

void          es_nmf_options_init    (EsNmfOptions        *options);

/* X ≈ W H with W (rows × k) and H (k × cols) non-negative, minimising the
 * Frobenius loss ‖X − WH‖² by HALS, i.e. exact coordinate descent on one
 * column of W or row of H at a time (Cichocki & Phan 2009; the 'cd'
 * solver of scikit-learn): the loss never increases.  X stays sparse (its
 * products with the thin factors are ours); X must be non-negative.
 */
EsNmf        *es_nmf_compute         (const EsSparseMatrix *x,
                                      const EsNmfOptions   *options,
                                      GCancellable         *cancellable,
                                      EsProgressFunc        progress,
                                      gpointer              progress_data,
                                      GError              **error);
void          es_nmf_free            (EsNmf               *self);
guint         es_nmf_get_components  (const EsNmf         *self);
/* rows × k and cols × k (H transposed), row-major. */
const double *es_nmf_get_w           (const EsNmf         *self);
const double *es_nmf_get_ht          (const EsNmf         *self);
guint         es_nmf_get_iterations  (const EsNmf         *self);
gboolean      es_nmf_get_converged   (const EsNmf         *self);
/* ‖X − WH‖_F (scikit-learn's reconstruction_err_). */
double        es_nmf_get_error       (const EsNmf         *self);
/* ‖X − WH‖² after the initialisation (index 0) and each iteration. */
const double *es_nmf_get_losses      (const EsNmf         *self,
                                      guint               *n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsNmf, es_nmf_free)

G_END_DECLS
