/* es-corpus-vectors.h: from a text corpus or a Matrix Market file to word
 * vectors (count → weight → truncated SVD), and topics by NMF
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "es-cooccur.h"
#include "es-embedding-set.h"
#include "es-matrix-market.h"
#include "es-sparse-svd.h"
#include "es-weighting.h"

G_BEGIN_DECLS

typedef enum
{
  ES_CORPUS_STAGE_COUNTING,   /* counting a corpus, or reading a .mtx */
  ES_CORPUS_STAGE_WEIGHTING,
  ES_CORPUS_STAGE_SVD,
  ES_CORPUS_STAGE_NMF,
} EsCorpusStage;

/* @fraction is of the whole pipeline (0 → 1), @stage the step it is in. */
typedef void (*EsCorpusProgressFunc) (EsCorpusStage stage,
                                      double        fraction,
                                      gpointer      user_data);

typedef struct
{
  EsCooccurOptions      cooccur;    /* a corpus */
  EsMatrixMarketOptions matrix;     /* a .mtx: labels, transpose */
  EsWeightingOptions    weighting;  /* PPMI for a corpus, none for a matrix */
  EsSparseSvdOptions    svd;        /* dims (k), power iterations, seed */
  double                power;      /* vectors U·Σ^power; default 0.5 */
} EsCorpusOptions;

typedef struct _EsCorpusVectors EsCorpusVectors;

/* The defaults of `embedscope lsa --corpus` (@is_matrix FALSE) or of
 * `embedscope lsa M.mtx` (TRUE: no weighting).
 */
void               es_corpus_options_init        (EsCorpusOptions       *options,
                                                  gboolean               is_matrix);

/* `embedscope lsa --corpus PATH`: co-occurrence counts (es-cooccur.h), the
 * weighting, then a randomized truncated SVD (es-sparse-svd.h); the rows of
 * U·Σ^p labelled by their words.  Warnings (invalid UTF-8) are appended to
 * @warnings (may be NULL) and kept by the set.  The weighted matrix stays
 * with the result (es_corpus_vectors_get_matrix), for NMF.
 */
EsCorpusVectors   *es_corpus_vectors_from_text   (const char            *path,
                                                  const EsCorpusOptions *options,
                                                  GPtrArray             *warnings,
                                                  GCancellable          *cancellable,
                                                  EsCorpusProgressFunc   progress,
                                                  gpointer               progress_data,
                                                  GError               **error);
/* `embedscope lsa M.mtx`: the same from a Matrix Market file (its row
 * labels from M.rows.tsv or options->matrix, else "row_17"; the columns
 * are the points when options->matrix.transpose).
 */
EsCorpusVectors   *es_corpus_vectors_from_matrix (const char            *path,
                                                  const EsCorpusOptions *options,
                                                  GPtrArray             *warnings,
                                                  GCancellable          *cancellable,
                                                  EsCorpusProgressFunc   progress,
                                                  gpointer               progress_data,
                                                  GError               **error);
EsCorpusVectors   *es_corpus_vectors_ref         (EsCorpusVectors       *self);
void               es_corpus_vectors_unref       (EsCorpusVectors       *self);
/* The vectors as an embedding set (no path: it was computed). */
EsEmbeddingSet    *es_corpus_vectors_get_set     (EsCorpusVectors       *self);
/* The weighted (or plain) matrix the SVD factorised. */
EsSparseMatrix    *es_corpus_vectors_get_matrix  (EsCorpusVectors       *self);
const EsSparseSvd *es_corpus_vectors_get_svd     (EsCorpusVectors       *self);
EsWeighting        es_corpus_vectors_get_weighting (EsCorpusVectors     *self);
double             es_corpus_vectors_get_power   (EsCorpusVectors       *self);
/* "corpus.txt — LSA 100d". */
const char        *es_corpus_vectors_get_title   (EsCorpusVectors       *self);
const char        *es_corpus_vectors_get_path    (EsCorpusVectors       *self);
/* Seconds spent making the matrix (count or read, and weight) and in the SVD. */
double             es_corpus_vectors_get_matrix_seconds (EsCorpusVectors *self);
double             es_corpus_vectors_get_svd_seconds    (EsCorpusVectors *self);
/* CPU seconds (user + system, all threads of the process) in the SVD:
 * the fair figure on a shared machine. */
double             es_corpus_vectors_get_svd_cpu_seconds (EsCorpusVectors *self);
/* The process's CPU seconds so far (all threads). */
double             es_corpus_process_cpu_seconds        (void);

/* Rows of @m as an embedding set: its row labels, else "row_17". */
EsEmbeddingSet    *es_corpus_make_set            (const EsSparseMatrix  *m,
                                                  const float           *data,
                                                  gsize                  dims,
                                                  GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsCorpusVectors, es_corpus_vectors_unref)

G_END_DECLS
