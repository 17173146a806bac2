/* es-tsne.h: t-SNE maps of every row (2D and 3D)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "es-embedding-set.h"
#include "es-knn-graph.h"
#include "es-layout.h"

G_BEGIN_DECLS

typedef struct
{
  guint       dims;                 /* 2 or 3 */
  double      perplexity;           /* 30; 3 × perplexity neighbours */
  guint       n_iterations;         /* 1000, early exaggeration included */
  double      early_exaggeration;   /* 12 */
  guint       early_iterations;     /* 250 */
  double      exaggeration;         /* 1, after the early phase */
  double      learning_rate;        /* 0 = auto: max (N / early_exaggeration / 4, 50) */
  double      momentum_early;       /* 0.5 during the early phase */
  double      momentum;             /* 0.8 after it */
  guint64     seed;                 /* initial jitter; the approximate kNN graph */
  EsMetric    metric;               /* ES_METRIC_COSINE (default) or ES_METRIC_EUCLIDEAN */
  EsKnnMethod knn_method;           /* ES_KNN_AUTO */
  guint       n_threads;            /* 0 = the number of cores (at most 2 used); no effect on the result */
} EsTsneOptions;

void      es_tsne_options_init     (EsTsneOptions        *options);

/* The neighbours t-SNE asks the kNN graph for: floor (3 × perplexity),
 * at least 1, at most @n_valid − 1.
 */
guint     es_tsne_get_k            (double                perplexity,
                                    gsize                 n_valid);
/* The largest perplexity @n_valid valid rows allow: (n_valid − 1) / 3. */
double    es_tsne_max_perplexity   (gsize                 n_valid);

/* Runs t-SNE on every valid row of @set and returns rows × dims
 * coordinates (NaN for invalid rows).  The same options and seed give the
 * same coordinates bit for bit, whatever n_threads is.
 *
 * Called on the worker thread: @progress (fraction of the whole run) and
 * @frame (at most every ~100 ms and after the last iteration, with the
 * current coordinates).  Cancellation is checked at every iteration and
 * gives G_IO_ERROR_CANCELLED with nothing left allocated.
 *
 * Pausing: the engine has no pause of its own.  A GUI pauses the run by
 * blocking inside @frame (e.g. waiting on a GCond until Resume) and must
 * wake that wait when it cancels; the run continues exactly where it
 * stopped, so a paused run gives the same result as an uninterrupted one.
 *
 * Errors: ES_ENGINE_ERROR_INVALID_ARGUMENT when dims is not 2 or 3, the
 * perplexity is not a positive number, or it is above
 * es_tsne_max_perplexity() of the valid rows; ES_ENGINE_ERROR_TOO_LARGE over
 * the memory ceiling.  @timings (nullable) gets the time of each phase.
 */
EsMatrix *es_tsne_run              (EsEmbeddingSet       *set,
                                    const EsTsneOptions  *options,
                                    GCancellable         *cancellable,
                                    EsProgressFunc        progress,
                                    gpointer              progress_data,
                                    EsLayoutFrameFunc     frame,
                                    gpointer              frame_data,
                                    EsLayoutTimings      *timings,
                                    GError              **error);
/* The same on a graph already built for @set (k at least es_tsne_get_k(),
 * same metric); a graph with a larger k is used through its prefix.  For
 * the GUI's cache: changing only the seed or the iterations re-uses it.
 */
EsMatrix *es_tsne_run_on_graph     (EsEmbeddingSet       *set,
                                    EsKnnGraph           *graph,
                                    const EsTsneOptions  *options,
                                    GCancellable         *cancellable,
                                    EsProgressFunc        progress,
                                    gpointer              progress_data,
                                    EsLayoutFrameFunc     frame,
                                    gpointer              frame_data,
                                    EsLayoutTimings      *timings,
                                    GError              **error);

G_END_DECLS
