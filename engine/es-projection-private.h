/* es-projection-private.h: the result struct and the row helpers shared by
 * es-projection.c, es-projection-rows.c, es-pca.c and es-axes.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-projection.h"

G_BEGIN_DECLS

/* Rows are read in blocks of this many: small enough to poll the
 * cancellable often and to keep float accumulations short, large enough
 * for BLAS to run at full speed.
 */
#define ES_PROJECTION_BLOCK_ROWS 2048

struct _EsProjection
{
  gatomicrefcount ref_count;
  EsMethod method;
  gsize rows;
  gsize dims;
  guint n_components;
  gsize n_fitted;
  float *coords;            /* rows x n_components */
  double *components;       /* n_components x dims */
  double *mean;             /* dims, or NULL */
  double *eigenvalues;      /* PCA: n_components each */
  double *ratio;
  double *cumulative;
  double *singular_values;  /* SVD: n_components */
  double *angles;           /* AXES: n_angles */
  guint n_angles;
};

/* Progress of one stage, mapped onto [start, start + span] of the whole job. */
typedef struct
{
  EsProgressFunc func;
  gpointer data;
  double start;
  double span;
} EsStage;

/* How rows are turned into the vectors that are fitted and projected:
 * L2-normalised first (when @normalize), then @mean subtracted (when
 * non-NULL).  Masked rows become zero vectors.
 */
typedef struct
{
  EsEmbeddingSet *set;
  gboolean normalize;
  const double *mean;
} EsRowPrep;

EsProjection *_es_projection_new            (EsMethod           method,
                                             gsize              rows,
                                             gsize              dims,
                                             guint              n_components,
                                             GError           **error);
void          _es_stage_report              (const EsStage     *stage,
                                             double             fraction);
const float  *_es_row_prep_fill_block       (const EsRowPrep   *prep,
                                             gsize              first,
                                             gsize              n_rows,
                                             float             *buffer);
double       *_es_row_prep_compute_mean     (const EsRowPrep   *prep,
                                             GCancellable      *cancellable,
                                             const EsStage     *stage,
                                             GError           **error);
gboolean      _es_projection_project_rows   (EsProjection      *self,
                                             const EsRowPrep   *prep,
                                             GCancellable      *cancellable,
                                             const EsStage     *stage,
                                             GError           **error);
void          _es_component_fix_sign        (double            *component,
                                             gsize              dims);
EsProjection *_es_axes_compute              (EsEmbeddingSet             *set,
                                             const EsProjectionOptions  *options,
                                             GCancellable               *cancellable,
                                             const EsStage              *stage,
                                             GError                    **error);

G_END_DECLS
