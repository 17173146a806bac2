/* es-projection.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "es-embedding-set.h"

G_BEGIN_DECLS

typedef enum
{
  ES_METHOD_PCA,      /* exact, centred on the mean of all valid rows */
  ES_METHOD_SVD,      /* truncated SVD, no centring (LSA-style) */
  ES_METHOD_AXES,     /* dot product with unit axes from word expressions */
  ES_METHOD_IDENTITY, /* chosen columns as they are */
  ES_METHOD_TSNE,     /* a t-SNE layout (engine/maps), made by es_projection_new_layout () */
  ES_METHOD_UMAP,     /* a UMAP layout (engine/maps), likewise */
} EsMethod;

const char *es_method_to_string   (EsMethod    method);
gboolean    es_method_from_string (const char *text,
                                   EsMethod   *method);

typedef struct
{
  EsMethod            method;
  gboolean            center;         /* pre-processing: subtract the column means (SVD, axes) */
  gboolean            normalize;      /* pre-processing: L2-normalise every row first */
  guint               n_components;   /* PCA/SVD: how many to compute; 0 = min (10, dims) */
  const char * const *axes;           /* AXES: 2 or 3 expressions, NULL-terminated */
  gboolean            orthogonalize;  /* AXES: Gram-Schmidt in the given order */
  const guint        *columns;        /* IDENTITY: 0-based columns */
  guint               n_columns;
} EsProjectionOptions;

void          es_projection_options_init (EsProjectionOptions *options);

/* Rows that are not valid (NaN/Inf) are left out of the fit and get NaN
 * coordinates.  Component signs follow one documented rule: the entry of
 * largest magnitude of every component vector is positive (on a tie, the
 * first such entry); custom axes keep the direction of their expression.
 * Pre-processing is never implicit: @normalize first, then @center (PCA
 * always centres).  Custom axes are evaluated on the pre-processed words.
 * BLAS runs with the thread count the application set (OPENBLAS_NUM_THREADS
 * or openblas_set_num_threads()); the engine never changes it.
 */
EsProjection *es_projection_compute        (EsEmbeddingSet             *set,
                                            const EsProjectionOptions  *options,
                                            GCancellable               *cancellable,
                                            EsProgressFunc              progress,
                                            gpointer                    progress_data,
                                            GError                    **error);
void          es_projection_compute_async  (EsEmbeddingSet             *set,
                                            const EsProjectionOptions  *options,
                                            GCancellable               *cancellable,
                                            EsProgressFunc              progress,
                                            gpointer                    progress_data,
                                            GAsyncReadyCallback         callback,
                                            gpointer                    user_data);
EsProjection *es_projection_compute_finish (GAsyncResult               *result,
                                            GError                    **error);

/* A non-linear layout as a projection, so that everything that works on
 * PCA coordinates (plot, neighbours, marks, export) works on it: @coords is
 * rows × n_components (2 or 3), copied; NaN rows stay NaN.  It has no
 * components, mean or variance figures.
 */
EsProjection *es_projection_new_layout                (EsMethod            method,
                                                       gsize               rows,
                                                       gsize               dims,
                                                       guint               n_components,
                                                       const float        *coords,
                                                       GError            **error);
gboolean      es_method_is_layout                     (EsMethod            method);

EsProjection *es_projection_ref                       (EsProjection       *self);
void          es_projection_unref                     (EsProjection       *self);
EsMethod      es_projection_get_method                (const EsProjection *self);
gsize         es_projection_get_rows                  (const EsProjection *self);
gsize         es_projection_get_dims                  (const EsProjection *self);
guint         es_projection_get_n_components          (const EsProjection *self);
/* rows x n_components, row-major; NaN for masked rows. */
const float  *es_projection_get_coords                (const EsProjection *self);
/* n_components x dims, row-major, unit vectors (after pre-processing). */
const double *es_projection_get_components            (const EsProjection *self);
/* dims; the mean subtracted before projecting, or NULL when none was. */
const double *es_projection_get_mean                  (const EsProjection *self);
/* PCA: eigenvalues of the covariance (divided by n - 1, as numpy does),
 * per-component ratios of the total variance, and their running sum.
 * NULL (and *n = 0) for other methods.
 */
const double *es_projection_get_eigenvalues           (const EsProjection *self,
                                                       guint              *n);
const double *es_projection_get_explained_variance_ratio (const EsProjection *self,
                                                       guint              *n);
const double *es_projection_get_cumulative_ratio      (const EsProjection *self,
                                                       guint              *n);
/* SVD: singular values, descending. */
const double *es_projection_get_singular_values       (const EsProjection *self,
                                                       guint              *n);
/* AXES: angles in degrees between axes before any orthogonalisation:
 * (1,2) for two axes; (1,2), (1,3), (2,3) for three.
 */
const double *es_projection_get_axis_angles_deg       (const EsProjection *self,
                                                       guint              *n);
gsize         es_projection_get_n_fitted              (const EsProjection *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsProjection, es_projection_unref)

G_END_DECLS
