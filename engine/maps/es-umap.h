/* es-umap.h: UMAP (McInnes, Healy & Melville 2018) of every row
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "es-embedding-set.h"
#include "es-engine-types.h"
#include "es-knn-graph.h"
#include "es-layout.h"

G_BEGIN_DECLS

typedef struct
{
  guint    dims;                  /* 2 or 3 */
  guint    n_neighbors;           /* as umap-learn: counts the point itself (15 = 14 others) */
  double   min_dist;              /* >= 0; default 0.1 */
  double   spread;                /* > 0; default 1 */
  guint    n_epochs;              /* 0: 500 up to 10,000 valid rows, else 200 (as umap-learn) */
  double   negative_sample_rate;  /* default 5 */
  double   learning_rate;         /* default 1 */
  guint64  seed;
  EsMetric metric;                /* cosine (default) or euclidean */
  EsKnnMethod knn_method;         /* default ES_KNN_AUTO */
  guint    n_threads;             /* 0: the number of cores (at most 2); the result does not depend on it */
  gboolean one_shot;              /* free the kNN graph once the fuzzy graph is built instead of
                                   * caching it in the set (see EsKnnOptions.one_shot) */
} EsUmapOptions;

typedef enum
{
  ES_UMAP_INIT_SPECTRAL,          /* eigenvectors of the normalised graph Laplacian */
  ES_UMAP_INIT_PCA,               /* fallback: the reason is in EsUmapInfo.init_note */
} EsUmapInit;

/* What the run did, for the CLI's JSON and the GUI's status line. */
typedef struct
{
  double     a, b;                /* the fitted curve 1 / (1 + a d^2b) */
  guint      n_epochs;
  guint      n_valid;             /* rows laid out (others are NaN) */
  guint64    n_edges;             /* directed edges of the fuzzy graph (both directions) */
  guint      n_graph_components;  /* connected components of the fuzzy graph */
  EsUmapInit init;
  char       init_note[160];      /* why PCA replaced the spectral start, or "" */
  gboolean   knn_exact;
} EsUmapInfo;

void      es_umap_options_init   (EsUmapOptions         *options);
guint     es_umap_default_epochs (gsize                  n_valid);

/* Lays out every valid row of @set; returns rows × dims coordinates with NaN
 * for invalid (NaN/masked) rows.  Needs at least n_neighbors + 1 valid rows
 * (ES_ENGINE_ERROR_INVALID_ARGUMENT naming the maximum otherwise).  @frame
 * (nullable) gets the coordinates about every 100 ms and after the last
 * epoch.  @timings and @info are optional.  Same seed, same output, whatever
 * n_threads.
 */
EsMatrix *es_umap_run            (EsEmbeddingSet        *set,
                                  const EsUmapOptions   *options,
                                  GCancellable          *cancellable,
                                  EsProgressFunc         progress,
                                  gpointer               progress_data,
                                  EsLayoutFrameFunc      frame,
                                  gpointer               frame_data,
                                  EsLayoutTimings       *timings,
                                  EsUmapInfo            *info,
                                  GError               **error);

/* The a, b of 1 / (1 + a d^2b) fitted by least squares (Levenberg-Marquardt)
 * to 1 below @min_dist and exp (-(d - min_dist) / spread) above, on 300
 * points of [0, 3 spread], as umap-learn's find_ab_params.
 */
gboolean  es_umap_find_ab        (double                 spread,
                                  double                 min_dist,
                                  double                *a,
                                  double                *b);

G_END_DECLS
