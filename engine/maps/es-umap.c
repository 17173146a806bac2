/* es-umap.c: UMAP of every valid row, from the kNN graph to the layout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The stages (McInnes, Healy & Melville 2018): the k nearest neighbours
 * (es-knn-graph), the fuzzy simplicial set (es-umap-graph.c), a spectral
 * start (es-spectral.c; PCA when the graph is disconnected or Lanczos does
 * not converge, said in EsUmapInfo), then the optimisation
 * (es-umap-sgd.c).  Invalid rows take no part and come out NaN.  Defaults
 * and scalings are umap-learn's: n_neighbors counts the point itself, the
 * start is scaled to [0, 10] per axis with N(0, 1e-4) noise.
 */

#define G_LOG_DOMAIN "es-umap"

#include "config.h"

#include "es-umap-private.h"

#include "es-engine-error.h"
#include "es-memory.h"
#include "es-projection.h"

#include <math.h>
#include <string.h>

void
es_umap_options_init (EsUmapOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->dims = 2;
  options->n_neighbors = 15;
  options->min_dist = 0.1;
  options->spread = 1.0;
  options->n_epochs = 0;
  options->negative_sample_rate = 5;
  options->learning_rate = 1;
  options->seed = 42;
  options->metric = ES_METRIC_COSINE;
  options->knn_method = ES_KNN_AUTO;
  options->n_threads = 0;
}

guint
es_umap_default_epochs (gsize n_valid)
{
  return n_valid <= 10000 ? 500 : 200;
}

typedef struct
{
  EsProgressFunc progress;
  gpointer       data;
  double         start, span;
} Stage;

static void
stage_progress (double   fraction,
                gpointer user_data)
{
  Stage *stage = user_data;

  if (stage->progress != NULL)
    stage->progress (stage->start + stage->span * CLAMP (fraction, 0, 1), stage->data);
}

typedef struct
{
  EsLayoutFrameFunc frame;
  gpointer          data;
  float            *full;      /* rows × dims, invalid rows NaN */
  const gsize      *valid_rows;
  gsize             n_valid, rows;
  guint             dims, n_epochs;
} FrameState;

static void
scatter (const FrameState *state,
         const float      *compact)
{
  for (gsize c = 0; c < state->n_valid; c++)
    memcpy (state->full + state->valid_rows[c] * state->dims, compact + c * state->dims,
            state->dims * sizeof (float));
}

static void
frame_cb (const float *coords,
          guint        epoch,
          gpointer     data)
{
  FrameState *state = data;

  scatter (state, coords);
  state->frame (state->full, state->rows, state->dims, epoch, state->n_epochs, state->data);
}

/* umap-learn: each axis to [0, 10]. */
static void
scale_to_box (float *coords,
              gsize  n,
              guint  dims)
{
  for (guint d = 0; d < dims; d++)
    {
      float lo = INFINITY, hi = -INFINITY;

      for (gsize i = 0; i < n; i++)
        {
          lo = MIN (lo, coords[i * dims + d]);
          hi = MAX (hi, coords[i * dims + d]);
        }
      for (gsize i = 0; i < n; i++)
        coords[i * dims + d] = hi > lo ? 10.0f * (coords[i * dims + d] - lo) / (hi - lo) : 5.0f;
    }
}

static gboolean
spectral_start (const EsUmapGraph *graph,
                const EsUmapOptions *options,
                guint              n_threads,
                GCancellable      *cancellable,
                float             *coords,
                GError           **error)
{
  guint dims = options->dims;
  g_autofree double *x = es_memory_try_alloc ((guint64) graph->n * dims, sizeof (double),
                                              "The spectral layout", error);
  double max_abs = 0, expansion;

  if (x == NULL ||
      !_es_spectral_embed (graph, dims, options->seed, 1e-4, n_threads, cancellable, x, NULL, error))
    return FALSE;

  for (gsize q = 0; q < graph->n * dims; q++)
    max_abs = MAX (max_abs, fabs (x[q]));
  expansion = max_abs > 0 ? 10.0 / max_abs : 1.0;
  for (gsize q = 0; q < graph->n * dims; q++)
    coords[q] = x[q] * expansion + 1e-4 * _es_umap_normal (options->seed, 0x1A17, q);
  return TRUE;
}

static gboolean
pca_start (EsEmbeddingSet      *set,
           const EsUmapOptions *options,
           const gsize         *valid_rows,
           gsize                n_valid,
           GCancellable        *cancellable,
           float               *coords,
           GError             **error)
{
  guint dims = options->dims;
  guint n_comp = MIN (dims, es_embedding_set_get_dims (set));
  g_autoptr(EsProjection) projection = NULL;
  EsProjectionOptions popts;
  const float *pc;
  guint k;

  es_projection_options_init (&popts);
  popts.method = ES_METHOD_PCA;
  popts.n_components = n_comp;
  projection = es_projection_compute (set, &popts, cancellable, NULL, NULL, error);
  if (projection == NULL)
    return FALSE;
  pc = es_projection_get_coords (projection);
  k = es_projection_get_n_components (projection);
  for (gsize c = 0; c < n_valid; c++)
    for (guint d = 0; d < dims; d++)
      {
        float v = d < n_comp && d < k ? pc[valid_rows[c] * k + d] : 0.0f;

        coords[c * dims + d] = (isfinite (v) ? v : 0.0f) +
                               1e-4 * _es_umap_normal (options->seed, 0x1A18, c * dims + d);
      }
  return TRUE;
}

EsMatrix *
es_umap_run (EsEmbeddingSet        *set,
             const EsUmapOptions   *options,
             GCancellable          *cancellable,
             EsProgressFunc         progress,
             gpointer               progress_data,
             EsLayoutFrameFunc      frame,
             gpointer               frame_data,
             EsLayoutTimings       *timings,
             EsUmapInfo            *info_out,
             GError               **error)
{
  gsize rows, n_valid, c;
  guint k, dims, n_threads;
  double a, b;
  g_autoptr(EsKnnGraph) knn = NULL;
  g_autofree gsize *valid_rows = NULL;
  g_autofree gint32 *compact = NULL;
  g_autofree gint32 *indices = NULL;
  g_autofree float *distances = NULL;
  g_autofree float *coords = NULL;
  g_autofree guint32 *comp = NULL;
  g_autoptr(EsMatrix) out = NULL;
  EsUmapGraph graph = { 0 };
  EsKnnOptions knn_options;
  EsUmapSgdParams params;
  EsUmapInfo info = { 0 };
  EsLayoutTimings t = { 0 };
  Stage stage = { progress, progress_data, 0, 0 };
  FrameState frame_state;
  gint64 t0;
  gboolean ok = FALSE;

  g_return_val_if_fail (set != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  dims = options->dims;
  if ((dims != 2 && dims != 3) || options->n_neighbors < 2 ||
      !(options->min_dist >= 0) || !(options->spread > 0) ||
      !(options->negative_sample_rate >= 0) || !(options->learning_rate > 0) ||
      (options->metric != ES_METRIC_COSINE && options->metric != ES_METRIC_EUCLIDEAN))
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "invalid UMAP options (dims 2 or 3, n_neighbors ≥ 2, min_dist ≥ 0, spread > 0, "
                   "metric cosine or euclidean)");
      return NULL;
    }
  if (!es_umap_find_ab (options->spread, options->min_dist, &a, &b))
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC,
                   "cannot fit the UMAP curve to min_dist %g and spread %g", options->min_dist, options->spread);
      return NULL;
    }

  rows = es_embedding_set_get_rows (set);
  n_valid = es_embedding_set_get_n_valid (set);
  if (n_valid < (gsize) options->n_neighbors + 1)
    {
      if (n_valid < 3)
        g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                     "UMAP needs at least 3 valid rows, there are %" G_GSIZE_FORMAT, n_valid);
      else
        g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                     "%u neighbours need %u valid rows, there are %" G_GSIZE_FORMAT
                     ": at most %" G_GSIZE_FORMAT " neighbours",
                     options->n_neighbors, options->n_neighbors + 1, n_valid, n_valid - 1);
      return NULL;
    }

  n_threads = options->n_threads > 0 ? options->n_threads : (guint) g_get_num_processors ();
  n_threads = CLAMP (n_threads, 1, 2);
  k = options->n_neighbors - 1;
  info.a = a;
  info.b = b;
  info.n_epochs = options->n_epochs > 0 ? options->n_epochs : es_umap_default_epochs (n_valid);
  info.n_valid = n_valid;

  /* 1. The kNN graph, in the original space. */
  t0 = g_get_monotonic_time ();
  es_knn_options_init (&knn_options);
  knn_options.k = k;
  knn_options.metric = options->metric;
  knn_options.method = options->knn_method;
  knn_options.seed = options->seed;
  knn_options.n_threads = options->n_threads;
  knn_options.one_shot = options->one_shot;
  stage.start = 0;
  stage.span = 0.4;
  knn = es_knn_graph_build (set, &knn_options, cancellable, stage_progress, &stage, error);
  if (knn == NULL)
    return NULL;
  info.knn_exact = es_knn_graph_is_exact (knn);
  t.knn = (g_get_monotonic_time () - t0) / 1e6;

  /* 2. The fuzzy graph over the valid rows, numbered compactly. */
  t0 = g_get_monotonic_time ();
  if (!(valid_rows = es_memory_try_alloc (n_valid, sizeof (gsize), "The UMAP graph", error)))
    return NULL;
  c = 0;
  for (gsize i = 0; i < rows; i++)
    if (es_embedding_set_is_row_valid (set, i))
      valid_rows[c++] = i;
  g_assert (c == n_valid);
  if (n_valid == rows &&
      (rows < 2 || es_knn_graph_get_row_indices (knn, 1) == es_knn_graph_get_row_indices (knn, 0) + k))
    {
      /* Every row valid, k per row: the graph's own arrays are the compact
       * ones (the set keeps them cached; no copy).
       */
      const gint32 *knn_indices = es_knn_graph_get_row_indices (knn, 0);
      const float *knn_distances = es_knn_graph_get_row_distances (knn, 0);

      /* Our reference goes once the memberships are read: a one-shot graph
       * is then freed before the union allocates its own.
       */
      ok = _es_umap_fuzzy_graph (knn_indices, knn_distances, n_valid, k, info.n_epochs,
                                 (GDestroyNotify) es_knn_graph_unref, g_steal_pointer (&knn),
                                 &graph, error);
    }
  else
    {
      if (!(compact = es_memory_try_alloc (rows, sizeof (gint32), "The UMAP graph", error)) ||
          !(indices = es_memory_try_alloc ((guint64) n_valid * k, sizeof (gint32), "The UMAP graph", error)) ||
          !(distances = es_memory_try_alloc ((guint64) n_valid * k, sizeof (float), "The UMAP graph", error)))
        return NULL;
      for (gsize i = 0; i < rows; i++)
        compact[i] = ES_KNN_NONE;
      for (c = 0; c < n_valid; c++)
        compact[valid_rows[c]] = (gint32) c;
      for (c = 0; c < n_valid; c++)
        {
          const gint32 *idx = es_knn_graph_get_row_indices (knn, valid_rows[c]);
          const float *dist = es_knn_graph_get_row_distances (knn, valid_rows[c]);

          for (guint j = 0; j < k; j++)
            {
              gint32 r = idx[j];

              indices[c * k + j] = r >= 0 && (gsize) r < rows ? compact[r] : ES_KNN_NONE;
              distances[c * k + j] = dist[j];
            }
        }
      g_clear_pointer (&compact, g_free);
      g_clear_pointer (&knn, es_knn_graph_unref);
      ok = _es_umap_fuzzy_graph (indices, distances, n_valid, k, info.n_epochs, NULL, NULL, &graph, error);
    }
  g_clear_pointer (&knn, es_knn_graph_unref);
  if (!ok)
    goto out;
  ok = FALSE;
  g_clear_pointer (&indices, g_free);
  g_clear_pointer (&distances, g_free);
  info.n_edges = graph.row_ptr[n_valid];
  if (!(comp = es_memory_try_alloc (n_valid, sizeof (guint32), "The UMAP graph", error)))
    goto out;
  info.n_graph_components = _es_umap_graph_components (&graph, comp);
  t.affinities = (g_get_monotonic_time () - t0) / 1e6;
  if (progress != NULL)
    progress (0.45, progress_data);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;

  /* 3. The start. */
  t0 = g_get_monotonic_time ();
  if (!(coords = es_memory_try_alloc ((guint64) n_valid * dims, sizeof (float), "The UMAP layout", error)))
    goto out;
  info.init = ES_UMAP_INIT_SPECTRAL;
  if (info.n_graph_components != 1)
    {
      info.init = ES_UMAP_INIT_PCA;
      g_snprintf (info.init_note, sizeof info.init_note,
                  "PCA start: the neighbour graph has %u separate components", info.n_graph_components);
    }
  else
    {
      g_autoptr(GError) spectral_error = NULL;

      if (!spectral_start (&graph, options, n_threads, cancellable, coords, &spectral_error))
        {
          if (g_error_matches (spectral_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
              g_error_matches (spectral_error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE))
            {
              g_propagate_error (error, g_steal_pointer (&spectral_error));
              goto out;
            }
          info.init = ES_UMAP_INIT_PCA;
          g_snprintf (info.init_note, sizeof info.init_note, "PCA start: %s", spectral_error->message);
        }
    }
  if (info.init == ES_UMAP_INIT_PCA &&
      !pca_start (set, options, valid_rows, n_valid, cancellable, coords, error))
    goto out;
  scale_to_box (coords, n_valid, dims);
  t.init = (g_get_monotonic_time () - t0) / 1e6;

  /* 4. The optimisation. */
  t0 = g_get_monotonic_time ();
  if (!(out = es_matrix_new (rows, dims, error)))
    goto out;
  {
    float *full = es_matrix_get_data_mut (out);

    for (gsize q = 0; q < rows * dims; q++)
      full[q] = NAN;
    frame_state = (FrameState) { frame, frame_data, full, valid_rows, n_valid, rows, dims, info.n_epochs };
  }
  stage.start = 0.5;
  stage.span = 0.5;
  stage_progress (0, &stage);
  memset (&params, 0, sizeof params);
  params.dims = dims;
  params.n_epochs = info.n_epochs;
  params.a = a;
  params.b = b;
  params.gamma = 1.0;
  params.negative_sample_rate = options->negative_sample_rate;
  params.learning_rate = options->learning_rate;
  params.seed = options->seed;
  params.n_threads = n_threads;
  params.cancellable = cancellable;
  params.progress = stage_progress;
  params.progress_data = &stage;
  params.frame = frame != NULL ? frame_cb : NULL;
  params.frame_data = &frame_state;
  if (!_es_umap_optimize (&graph, &params, coords, error))
    goto out;
  scatter (&frame_state, coords);
  t.optimize = (g_get_monotonic_time () - t0) / 1e6;
  ok = TRUE;

out:
  _es_umap_graph_clear (&graph);
  if (!ok)
    return NULL;
  if (timings != NULL)
    *timings = t;
  if (info_out != NULL)
    *info_out = info;
  return g_steal_pointer (&out);
}
