/* es-neighbors.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "es-embedding-set.h"

G_BEGIN_DECLS

typedef struct
{
  gsize  row;
  double score; /* cosine and dot: similarity, descending; euclidean: distance, ascending */
} EsNeighbor;

/* Exact k nearest rows to @query (dims doubles) over all valid rows, in the
 * ORIGINAL space, minus @exclude.  With @restrict_rows > 0 only the first
 * that many rows are candidates (gensim's restrict_vocab).  Zero vectors
 * never produce NaN (their cosine is 0).  Returns an array of EsNeighbor.
 */
GArray  *es_neighbors_search          (EsEmbeddingSet  *set,
                                       const double    *query,
                                       EsMetric         metric,
                                       guint            k,
                                       const gsize     *exclude,
                                       gsize            n_exclude,
                                       gsize            restrict_rows,
                                       GCancellable    *cancellable,
                                       GError         **error);
/* A word or any expression (es-expression.h); the words of the expression
 * are excluded from the results.  Cosine follows gensim's most_similar
 * (weighted mean of unit vectors); euclidean and dot use the raw vectors.
 */
GArray  *es_neighbors_of_expression   (EsEmbeddingSet  *set,
                                       const char      *expression,
                                       EsMetric         metric,
                                       guint            k,
                                       GCancellable    *cancellable,
                                       GError         **error);
void     es_neighbors_of_expression_async  (EsEmbeddingSet      *set,
                                            const char          *expression,
                                            EsMetric             metric,
                                            guint                k,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GArray  *es_neighbors_of_expression_finish (GAsyncResult        *result,
                                            GError             **error);

/* gensim semantics: most_similar(positive, negative) = 3CosAdd on unit
 * vectors, or most_similar_cosmul (3CosMul) with @cosmul; input words
 * excluded.  Both arrays NULL-terminated.
 */
GArray  *es_neighbors_analogy         (EsEmbeddingSet      *set,
                                       const char * const  *positive,
                                       const char * const  *negative,
                                       gboolean             cosmul,
                                       guint                k,
                                       gsize                restrict_rows,
                                       GCancellable        *cancellable,
                                       GError             **error);

/* Cosine similarity of two words (0 when either is a zero vector). */
gboolean es_neighbors_similarity      (EsEmbeddingSet  *set,
                                       const char      *a,
                                       const char      *b,
                                       double          *cosine,
                                       GError         **error);

G_END_DECLS
