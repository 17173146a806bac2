/* es-alignment.h: map one embedding space onto another
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "es-embedding-set.h"
#include "es-word-pairs.h"

G_BEGIN_DECLS

typedef enum
{
  ES_ALIGN_ORTHOGONAL, /* Procrustes: W = U Vᵀ from the SVD of XᵀY (Schönemann 1966) */
  ES_ALIGN_LINEAR,     /* least squares: min ‖XW − Y‖ (Mikolov et al. 2013), any dims */
} EsAlignMethod;

typedef struct
{
  EsAlignMethod method;
  gboolean      center;  /* subtract each side's mean over the fit pairs first */
  gboolean      scale;   /* orthogonal only: one factor s = trace Σ / ‖X‖² (Umeyama) */
  /* No pass over the pairs to measure the fit (residual, mean cosine stay
   * 0): for callers that compute change scores over the same pairs, which
   * measure it on the way (es_change_scores_get_residual ()).
   */
  gboolean      skip_fit_measures;
} EsAlignOptions;

void          es_align_options_init         (EsAlignOptions    *options);
gboolean      es_align_method_from_string   (const char        *text,
                                             EsAlignMethod     *method);
const char   *es_align_method_to_string     (EsAlignMethod      method);

typedef struct _EsAlignment EsAlignment;

/* Fits the map of @a's rows onto @b's over @pairs:
 *   map(x) = s · (x − μa) W + μb
 * (μ = 0 without centring, s = 1 without scaling).  XᵀY is summed in
 * double over float sgemm blocks; the SVD is LAPACKE_dgesdd, the least
 * squares LAPACKE_dgels (in double on the whole pair matrix, through the
 * memory ceiling).  Errors: fewer pairs than @a's dims, orthogonal with
 * different dims, a rank-deficient linear problem, LAPACK failures.
 */
EsAlignment  *es_alignment_fit              (EsEmbeddingSet    *a,
                                             EsEmbeddingSet    *b,
                                             const EsWordPairs *pairs,
                                             const EsAlignOptions *options,
                                             GCancellable      *cancellable,
                                             GError           **error);
void          es_alignment_free             (EsAlignment       *self);

gsize         es_alignment_get_dims_a       (const EsAlignment *self);
gsize         es_alignment_get_dims_b       (const EsAlignment *self);
EsAlignMethod es_alignment_get_method       (const EsAlignment *self);
/* W, dims_a × dims_b, row-major. */
const double *es_alignment_get_matrix       (const EsAlignment *self);
double        es_alignment_get_scale        (const EsAlignment *self);
/* NULL without centring. */
const double *es_alignment_get_mean_a       (const EsAlignment *self);
const double *es_alignment_get_mean_b       (const EsAlignment *self);

/* The fit over its own pairs: ‖map(X) − Y‖_F, that divided by ‖Y − μb‖_F,
 * and the mean cosine of map(x) with y.
 */
gsize         es_alignment_get_n_fit        (const EsAlignment *self);
double        es_alignment_get_residual     (const EsAlignment *self);
double        es_alignment_get_relative_residual (const EsAlignment *self);
double        es_alignment_get_mean_cosine  (const EsAlignment *self);

/* map() of @n rows of @x (n × dims_a) into @out (n × dims_b), float. */
void          es_alignment_apply            (const EsAlignment *self,
                                             const float       *x,
                                             gsize              n,
                                             float             *out);

/* Translation precision on held-out pairs: the fraction whose mapped
 * vector has its counterpart among the 1 (@p1) and 5 (@p5) nearest valid
 * rows of @b by cosine (ties by row number).
 */
gboolean      es_alignment_precision        (const EsAlignment *self,
                                             EsEmbeddingSet    *a,
                                             EsEmbeddingSet    *b,
                                             const EsWordPairs *held_out,
                                             double            *p1,
                                             double            *p5,
                                             GCancellable      *cancellable,
                                             GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsAlignment, es_alignment_free)

/* For the change scores: @count rows of @set, @rows[start…], into @out
 * (count × dims floats).
 */
void          _es_align_gather              (EsEmbeddingSet    *set,
                                             const gsize       *rows,
                                             gsize              count,
                                             float             *out);

G_END_DECLS
