/* es-kmeans.h: k-means clusters of the rows, named by their own words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "es-embedding-set.h"
#include "es-engine-types.h"

G_BEGIN_DECLS

typedef struct _EsKmeans EsKmeans;

typedef struct
{
  guint    k;               /* clusters */
  EsMetric metric;          /* COSINE (default): spherical k-means; EUCLIDEAN: plain */
  guint    max_iterations;  /* Lloyd rounds; default 300, as scikit-learn */
  guint64  seed;
  guint    n_threads;       /* 0 = default; the result does not depend on it */
  guint    seed_trials;     /* k-means++ candidates per centre, the best kept;
                             * 0 (default) = greedy 2 + ⌊ln k⌋, 1 = plain k-means++ */
  guint    max_refinements; /* Hartigan passes after Lloyd converges (default 100; 0 = none) */
} EsKmeansOptions;

/* Per phase wall-clock seconds. */
typedef struct
{
  double seeding;
  double iterations;
  double naming;
} EsKmeansTimings;

void          es_kmeans_options_init (EsKmeansOptions *options);

/* Lloyd's algorithm in the original space from greedy k-means++ seeds,
 * then Hartigan's single-row moves until none lowers the objective (each
 * followed by Lloyd rounds).
 * Cosine: spherical k-means (unit centroids, cost 1 − cos; a zero vector
 * costs 1 in every cluster and joins cluster 0 unless already placed).
 * Euclidean: squared distances.  Invalid rows get cluster -1.  Stops when no
 * row changes cluster (in a Lloyd round and the Hartigan pass after it) or
 * after max_iterations Lloyd rounds.  k > valid rows is
 * ES_ENGINE_ERROR_INVALID_ARGUMENT.
 */
EsKmeans     *es_kmeans_compute      (EsEmbeddingSet         *set,
                                      const EsKmeansOptions  *options,
                                      GCancellable           *cancellable,
                                      EsProgressFunc          progress,
                                      gpointer                progress_data,
                                      GError                **error);
EsKmeans     *es_kmeans_ref          (EsKmeans               *self);
void          es_kmeans_unref        (EsKmeans               *self);

guint         es_kmeans_get_k           (const EsKmeans *self);
gsize         es_kmeans_get_rows        (const EsKmeans *self);
EsMetric      es_kmeans_get_metric      (const EsKmeans *self);
/* rows; the cluster of each row, -1 for invalid rows. */
const gint32 *es_kmeans_get_assignments (const EsKmeans *self);
/* k × dims, row-major (unit rows for cosine). */
const float  *es_kmeans_get_centroids   (const EsKmeans *self);
/* k; rows per cluster. */
const gsize  *es_kmeans_get_sizes       (const EsKmeans *self);
/* Sum over valid rows of the cost to their centroid, after the last
 * assignment step; one value per completed iteration (never increasing).
 */
double        es_kmeans_get_objective   (const EsKmeans *self);
const double *es_kmeans_get_objective_history (const EsKmeans *self,
                                               guint          *n);
guint         es_kmeans_get_iterations  (const EsKmeans *self);
gboolean      es_kmeans_get_converged   (const EsKmeans *self);
/* Up to 3 member rows nearest the centroid, nearest first (-1 pads), and
 * their words joined by " · ": "paris · london · berlin".  They are chosen
 * among the cluster's first es_kmeans_naming_pool (size) members in row
 * order (files list the most frequent words first), so that a cluster is
 * named by words a reader knows.
 */
gsize         es_kmeans_naming_pool     (gsize           cluster_size);
const gint32 *es_kmeans_get_central_rows (const EsKmeans *self,
                                          guint           cluster);
const char   *es_kmeans_get_name        (const EsKmeans *self,
                                         guint           cluster);
const EsKmeansTimings *es_kmeans_get_timings (const EsKmeans *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsKmeans, es_kmeans_unref)

G_END_DECLS
