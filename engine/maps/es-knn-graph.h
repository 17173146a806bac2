/* es-knn-graph.h: the k nearest neighbours of every row, built once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "es-embedding-set.h"
#include "es-engine-types.h"

G_BEGIN_DECLS

typedef struct _EsKnnGraph EsKnnGraph;

/* Marks "no neighbour": every slot of an invalid (NaN/masked) row, and the
 * tail of a row when fewer than k other valid rows exist.
 */
#define ES_KNN_NONE (-1)

typedef enum
{
  ES_KNN_AUTO,        /* exact below es_knn_exact_max_rows() (further at k ≥ 50, see
                       * es-knn-graph.c), approximate above */
  ES_KNN_EXACT,       /* blocked brute force through sgemm */
  ES_KNN_APPROXIMATE, /* random-projection trees + NN-descent */
} EsKnnMethod;

typedef struct
{
  guint       k;          /* neighbours per row, self excluded */
  EsMetric    metric;     /* ES_METRIC_COSINE (default) or ES_METRIC_EUCLIDEAN */
  EsKnnMethod method;
  guint       pca_dims;   /* 0: original space; else on the top exact PCs (stated, never hidden) */
  guint64     seed;       /* approximate path only */
  guint       n_threads;  /* 0 = default; the result does not depend on it */
  gboolean    one_shot;   /* don't keep the graph in the set's cache: it is freed with its last
                           * reference (a CLI run never asks twice; 48 MB at 400k × k = 15) */
} EsKnnOptions;

void        es_knn_options_init     (EsKnnOptions         *options);
gsize       es_knn_exact_max_rows   (void);

/* Builds (or takes from the set's cache, as a prefix of a graph built for a
 * larger k with the same metric, method and pca_dims) the graph of every
 * row of @set.  Rows are the set's rows; invalid rows have no neighbours and
 * valid rows never list them.  Each row's neighbours are sorted by distance
 * ascending (ties by row number).  Distances: 1 − cos for cosine, the
 * (unsquared) Euclidean distance for euclidean.
 */
EsKnnGraph *es_knn_graph_build      (EsEmbeddingSet       *set,
                                     const EsKnnOptions   *options,
                                     GCancellable         *cancellable,
                                     EsProgressFunc        progress,
                                     gpointer              progress_data,
                                     GError              **error);
EsKnnGraph *es_knn_graph_ref        (EsKnnGraph           *self);
void        es_knn_graph_unref      (EsKnnGraph           *self);

gsize       es_knn_graph_get_rows   (const EsKnnGraph     *self);
guint       es_knn_graph_get_k      (const EsKnnGraph     *self);
EsMetric    es_knn_graph_get_metric (const EsKnnGraph     *self);
gboolean    es_knn_graph_is_exact   (const EsKnnGraph     *self);
guint       es_knn_graph_get_pca_dims (const EsKnnGraph   *self);
/* k entries for @row (a prefix view may have a longer stride underneath). */
const gint32 *es_knn_graph_get_row_indices   (const EsKnnGraph *self,
                                              gsize             row);
const float  *es_knn_graph_get_row_distances (const EsKnnGraph *self,
                                              gsize             row);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsKnnGraph, es_knn_graph_unref)

G_END_DECLS
