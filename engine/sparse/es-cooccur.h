/* es-cooccur.h: word co-occurrence counts from a plain-text corpus
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "es-engine-types.h"
#include "es-sparse-matrix.h"

G_BEGIN_DECLS

#define ES_COOCCUR_MAX_WINDOW          100
#define ES_COOCCUR_MAX_WEIGHTED_WINDOW 20

typedef struct
{
  guint    window;             /* words on each side; default 5 */
  guint64  min_count;          /* keep words seen at least this often; default 5 */
  gsize    max_vocab;          /* then the most frequent N; 0 = all */
  gboolean distance_weighting; /* a pair d words apart counts 1/d; default off */
} EsCooccurOptions;

void            es_cooccur_options_init (EsCooccurOptions        *options);

/* Reads @path (UTF-8 text, or gzip of it, by its magic) twice, streaming,
 * on up to two cores: the words (es-tokenizer.h) and their counts, then
 * the vocabulary (count ≥ min_count, the max_vocab most frequent, ties by
 * byte order), then for every in-vocabulary word and every other one at
 * most @window in-vocabulary words away on the same line (out-of-vocabulary
 * words are dropped first, as word2vec does), X[w][c] += 1 (or 1/d).
 * The result is symmetric, vocabulary × vocabulary, rows and columns
 * labelled by the words in decreasing frequency; counts are exact (integer
 * arithmetic, whatever the thread count).  Invalid UTF-8 is skipped with a
 * warning in @warnings; an empty vocabulary is an error.
 */
EsSparseMatrix *es_cooccur_count        (const char              *path,
                                         const EsCooccurOptions  *options,
                                         GPtrArray               *warnings,
                                         GCancellable            *cancellable,
                                         EsProgressFunc           progress,
                                         gpointer                 progress_data,
                                         GError                 **error);

G_END_DECLS
