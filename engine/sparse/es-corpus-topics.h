/* es-corpus-topics.h: NMF topics of a count or PPMI matrix
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "es-embedding-set.h"
#include "es-nmf.h"
#include "es-sparse-matrix.h"

G_BEGIN_DECLS

/* NMF topics of a matrix: W as the words' coordinates, each component's
 * top columns (by H's row, ties by column index).
 */
typedef struct _EsCorpusTopics EsCorpusTopics;

/* X ≈ WH of @matrix (es-nmf.h); @title names the set ("… — NMF 10 topics").
 * The set's rows are @matrix's rows with W's k values, and a metadata column
 * per topic ("topic 1: w1 w2 w3") holding each word's weight, to colour by.
 */
EsCorpusTopics    *es_corpus_topics_compute      (EsSparseMatrix        *matrix,
                                                  const EsNmfOptions    *options,
                                                  guint                  top,
                                                  const char            *title,
                                                  GCancellable          *cancellable,
                                                  EsProgressFunc         progress,
                                                  gpointer               progress_data,
                                                  GError               **error);
void               es_corpus_topics_free         (EsCorpusTopics        *self);
EsNmf             *es_corpus_topics_get_nmf      (EsCorpusTopics        *self);
EsEmbeddingSet    *es_corpus_topics_get_set      (EsCorpusTopics        *self);
guint              es_corpus_topics_get_n_topics (EsCorpusTopics        *self);
/* The top words of @topic (NULL-terminated). */
const char * const *es_corpus_topics_get_words   (EsCorpusTopics        *self,
                                                  guint                  topic);
const char        *es_corpus_topics_get_title    (EsCorpusTopics        *self);

/* The @top columns @nmf weighs most in @component (H's row), ties by
 * index: @top indices (fewer when the matrix has fewer columns; *n_out).
 */
gsize             *es_nmf_dup_top_columns        (const EsNmf           *nmf,
                                                  gsize                  cols,
                                                  guint                  component,
                                                  gsize                  top,
                                                  gsize                 *n_out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsCorpusTopics, es_corpus_topics_free)

G_END_DECLS
