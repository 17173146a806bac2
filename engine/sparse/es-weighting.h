/* es-weighting.h: PPMI and TF-IDF weighting of a count matrix
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-sparse-matrix.h"

G_BEGIN_DECLS

typedef enum
{
  ES_WEIGHTING_NONE,
  ES_WEIGHTING_PPMI,
  ES_WEIGHTING_TFIDF,
} EsWeighting;

typedef struct
{
  EsWeighting weighting;
  double      alpha;  /* PPMI context-distribution smoothing; default 0.75 */
  double      shift;  /* PPMI shift k: log k is subtracted; default 1 (none) */
} EsWeightingOptions;

void            es_weighting_options_init  (EsWeightingOptions       *options);
const char     *es_weighting_to_string     (EsWeighting               weighting);
gboolean        es_weighting_from_string   (const char               *text,
                                            EsWeighting              *weighting);

/* A reweighted copy of @counts (non-negative, else an error):
 *  - PPMI (Levy, Goldberg & Dagan 2015): max (0, log (X_ij · Σ_c c_c^α /
 *    (r_i · c_j^α)) − log k) with row sums r and column sums c;
 *  - TF-IDF as scikit-learn's TfidfTransformer() (rows are documents,
 *    columns terms): X_ij · (ln ((1 + n) / (1 + df_j)) + 1), each row then
 *    scaled to unit length;
 *  - none: the counts.
 * Entries that become 0 are dropped.
 */
EsSparseMatrix *es_weighting_apply         (const EsSparseMatrix     *counts,
                                            const EsWeightingOptions *options,
                                            GError                  **error);

G_END_DECLS
