/* es-layout-quality.h: how well a 2-D/3-D layout keeps the neighbourhoods
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "es-embedding-set.h"
#include "es-engine-types.h"

G_BEGIN_DECLS

typedef struct
{
  guint    n_neighbors;  /* 10 by default */
  gsize    n_sample;     /* sampled rows; 1000 by default; ≥ usable rows: all */
  guint64  seed;
  EsMetric metric;       /* of the original space; cosine by default */
  guint    n_threads;    /* 0 = default; the result does not depend on it */
} EsLayoutQualityOptions;

typedef struct
{
  /* Mean share of a sampled row's n_neighbors nearest original-space
   * neighbours found among its n_neighbors nearest in the layout.
   */
  double knn_preservation;
  /* Trustworthiness (Venna & Kaski 2001), the sum over rows estimated
   * from the sample: 1 − 2/(k (2n − 3k − 1)) · n · mean_i Σ_{j ∈ U_i} (r(i,j) − k),
   * U_i the layout neighbours that are not original ones, r their rank in
   * the original space.  scikit-learn's trustworthiness() on all rows.
   */
  double trustworthiness;
  /* The values a random layout has on average: k/(n − 1) for the
   * preservation, 1 − (1 − k/(n − 1)) (n − k)/(2n − 3k − 1) for
   * trustworthiness (each layout neighbour a uniform other row).
   */
  double chance_knn_preservation;
  double chance_trustworthiness;
  gsize  n_used;         /* rows valid in both the set and the layout */
  gsize  n_sampled;
} EsLayoutQuality;

void     es_layout_quality_options_init (EsLayoutQualityOptions       *options);

/* @coords: rows × @dims (2 or 3) row-major; rows that are invalid in the
 * set or non-finite in the layout are left out.  Needs at least
 * 2 n_neighbors + 1 usable rows (ES_ENGINE_ERROR_INVALID_ARGUMENT otherwise).
 */
gboolean es_layout_quality_compute      (EsEmbeddingSet               *set,
                                         const float                  *coords,
                                         guint                         dims,
                                         const EsLayoutQualityOptions *options,
                                         GCancellable                 *cancellable,
                                         EsLayoutQuality              *out,
                                         GError                      **error);

G_END_DECLS
