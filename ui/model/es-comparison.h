/* es-comparison.h: two embedding sets aligned, scored and projected together
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "es-alignment.h"
#include "es-change-scores.h"
#include "es-embedding-set.h"
#include "es-word-pairs.h"

G_BEGIN_DECLS

typedef struct _EsComparison EsComparison;

/* How to align and score (the compare window's options, stored in
 * sessions): the alignment's method (-1: orthogonal when the dims match,
 * else linear), centring and scaling; an anchor list to fit on (a file
 * es_word_pairs_new_from_file () reads, "word_a word_b" meaning A's word
 * and B's; NULL: every shared word); the neighbour overlap's k and how
 * many of the most frequent shared words it covers (0: no overlap).
 */
typedef struct
{
  int         method;
  gboolean    center;
  gboolean    scale;
  const char *anchors;
  guint       k;
  gsize       overlap_top;
} EsComparisonOptions;

void            es_comparison_options_init     (EsComparisonOptions  *options);
gboolean        es_comparison_options_equal    (const EsComparisonOptions *a,
                                                const EsComparisonOptions *b);

/* What the compare window shows, computed in one go off the UI thread:
 * the shared vocabulary of @a and @b (pairs in @a's row order), @b aligned
 * onto @a (orthogonal Procrustes when the dims match, else the linear map),
 * every shared word's cosine distance after alignment, and one joint
 * projection: the first 3 principal components of the stacked vectors
 * [A; aligned B] of the plotted words, which are the first @max_plotted
 * shared words (the most frequent) plus the @n_top most moved.  Plot row
 * j < n_plotted is A's vector of plotted word j, row n_plotted + j the
 * aligned B vector of the same word.  @options NULL: the defaults.  With
 * anchors the fit figures are over the anchors, the distances over every
 * shared word.  Immutable once returned.
 */
EsComparison   *es_comparison_compute          (EsEmbeddingSet       *a,
                                                EsEmbeddingSet       *b,
                                                const EsComparisonOptions *options,
                                                gsize                 max_plotted,
                                                gsize                 n_top,
                                                GCancellable         *cancellable,
                                                EsProgressFunc        progress,
                                                gpointer              progress_data,
                                                GError              **error);
EsComparison   *es_comparison_ref              (EsComparison         *self);
void            es_comparison_unref            (EsComparison         *self);

EsEmbeddingSet *es_comparison_get_a            (const EsComparison   *self);
EsEmbeddingSet *es_comparison_get_b            (const EsComparison   *self);
const EsWordPairs *es_comparison_get_pairs     (const EsComparison   *self);
const EsAlignment *es_comparison_get_alignment (const EsComparison   *self);
const EsChangeScores *es_comparison_get_scores (const EsComparison   *self);
/* The options it was computed with (anchors: a copy of the path). */
const EsComparisonOptions *es_comparison_get_options (const EsComparison *self);
/* The anchor pairs fitted on (A rows, B rows), or NULL without anchors. */
gsize           es_comparison_get_n_anchors    (const EsComparison   *self);
/* Pair @pair's neighbour overlap |top-k(A) ∩ top-k(B)| / k, or -1 when
 * it is past the overlap's words (or there is none).
 */
double          es_comparison_get_overlap      (const EsComparison   *self,
                                                gsize                 pair);
gsize           es_comparison_get_n_shared     (const EsComparison   *self);
/* Pair indices, most moved first (es_change_scores_rank_by_distance). */
const gsize    *es_comparison_get_ranking      (const EsComparison   *self);
/* The word of pair @pair (A's spelling). */
const char     *es_comparison_get_word         (const EsComparison   *self,
                                                gsize                 pair);
/* The pair of A's row @row_a, or -1 when the word is not shared. */
gint64          es_comparison_pair_of_row_a    (const EsComparison   *self,
                                                gsize                 row_a);
gint64          es_comparison_pair_of_word     (const EsComparison   *self,
                                                const char           *word);

gsize           es_comparison_get_n_plotted    (const EsComparison   *self);
/* Plotted word j's pair index (n_plotted entries). */
const gsize    *es_comparison_get_plotted      (const EsComparison   *self);
/* Plotted word index of @pair, or -1 when it is not plotted. */
gint64          es_comparison_plot_index       (const EsComparison   *self,
                                                gsize                 pair);
/* 2 * n_plotted rows of n_components floats (2 or 3). */
const float    *es_comparison_get_coords       (const EsComparison   *self,
                                                guint                *n_components);

/* "rank<TAB>word<TAB>cosine_distance" for every shared word, most moved
 * first; a word holding a tab or line break is an error naming its row.
 */
GString        *es_comparison_scores_tsv       (const EsComparison   *self,
                                                GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsComparison, es_comparison_unref)

G_END_DECLS
