/* es-change-scores.h: how far each shared word moved between two spaces
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "es-alignment.h"
#include "es-embedding-set.h"
#include "es-word-pairs.h"

G_BEGIN_DECLS

typedef struct _EsChangeScores EsChangeScores;

/* For every pair of @shared: the cosine distance 1 − cos(map(a), b) after
 * @alignment; and for the first @top_n pairs (the most frequent words of
 * the first set: its first rows), the neighbour overlap
 * |top-k(a) ∩ top-k(b)| / k of Gonen et al. (2020), the top-k taken by
 * cosine within those @top_n words in each space (exact; no alignment
 * needed).  @top_n = 0: no overlap; larger than the pairs: all of them.
 */
EsChangeScores *es_change_scores_compute     (EsEmbeddingSet    *a,
                                              EsEmbeddingSet    *b,
                                              const EsWordPairs *shared,
                                              const EsAlignment *alignment,
                                              guint              k,
                                              gsize              top_n,
                                              GCancellable      *cancellable,
                                              EsProgressFunc     progress,
                                              gpointer           progress_data,
                                              GError           **error);
void            es_change_scores_free        (EsChangeScores    *self);

gsize           es_change_scores_get_n       (const EsChangeScores *self);
const float    *es_change_scores_get_distances (const EsChangeScores *self);
/* Overlap counts (0…k) for the first get_n_overlap () pairs. */
gsize           es_change_scores_get_n_overlap (const EsChangeScores *self);
const guint16  *es_change_scores_get_overlap (const EsChangeScores *self);
guint           es_change_scores_get_k       (const EsChangeScores *self);
double          es_change_scores_get_mean_distance (const EsChangeScores *self);
double          es_change_scores_get_mean_overlap  (const EsChangeScores *self);
/* The alignment's fit figures (es_alignment_get_residual () …) measured
 * over @shared's pairs in the same pass as the distances: the fit's own
 * when it was fitted on @shared.
 */
double          es_change_scores_get_residual      (const EsChangeScores *self);
double          es_change_scores_get_relative_residual (const EsChangeScores *self);
double          es_change_scores_get_mean_cosine   (const EsChangeScores *self);

/* Pair indices, most moved first: by cosine distance descending (ties
 * by pair index).  Reverse it for the most stable.
 */
gsize          *es_change_scores_rank_by_distance (const EsChangeScores *self);
/* The first get_n_overlap () pairs by overlap ascending (least overlap =
 * most moved), ties by larger cosine distance, then pair index.
 */
gsize          *es_change_scores_rank_by_overlap  (const EsChangeScores *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsChangeScores, es_change_scores_free)

G_END_DECLS
