/* es-tsne.c: t-SNE, from the kNN graph to the map
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The recipe of Kobak & Berens (2019) and Belkina et al. (2019), as in
 * openTSNE and FIt-SNE: affinities from 3 × perplexity neighbours, PCA
 * initialisation scaled to a standard deviation of 1e-4 on the first axis,
 * early exaggeration (12 for 250 iterations), learning rate
 * max (N / 12 / 4, 50) for a gradient that keeps its factor 4, momentum
 * 0.5 then 0.8 with delta-bar-delta gains (Jacobs 1988, as in every t-SNE
 * since van der Maaten's).  Repulsion: FFT interpolation in 2D,
 * Barnes-Hut (θ = 0.5) in 3D, exact below EXACT_MAX_ROWS points.
 */

#define G_LOG_DOMAIN "es-tsne"

#include "config.h"

#include "es-tsne-private.h"

#include "es-engine-error.h"
#include "es-memory.h"
#include "es-projection.h"

#include <math.h>
#include <string.h>

#define EXACT_MAX_ROWS  256
#define BH_THETA        0.5
#define INIT_STD        1e-4
#define JITTER          1e-2     /* of INIT_STD: separates duplicate vectors */
#define FRAME_INTERVAL  (G_USEC_PER_SEC / 10)

/* Progress: the share of the whole run each phase ends at. */
#define PROGRESS_KNN        0.10
#define PROGRESS_AFFINITIES 0.15
#define PROGRESS_INIT       0.17

void
es_tsne_options_init (EsTsneOptions *options)
{
  g_return_if_fail (options != NULL);

  *options = (EsTsneOptions) {
    .dims = 2,
    .perplexity = 30,
    .n_iterations = 1000,
    .early_exaggeration = 12,
    .early_iterations = 250,
    .exaggeration = 1,
    .learning_rate = 0,
    .momentum_early = 0.5,
    .momentum = 0.8,
    .seed = 42,
    .metric = ES_METRIC_COSINE,
    .knn_method = ES_KNN_AUTO,
    .n_threads = 0,
  };
}

double
es_tsne_max_perplexity (gsize n_valid)
{
  return n_valid > 1 ? (n_valid - 1) / 3.0 : 0;
}

guint
es_tsne_get_k (double perplexity,
               gsize  n_valid)
{
  double k = floor (3 * perplexity);

  if (n_valid < 2)
    return 0;
  k = CLAMP (k, 1, (double) (n_valid - 1));
  return (guint) MIN (k, (double) G_MAXINT32);
}

static gboolean
check_options (const EsTsneOptions *options,
               gsize                n_valid,
               GError             **error)
{
  if (options->dims != 2 && options->dims != 3)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "t-SNE maps to 2 or 3 dimensions, not %u", options->dims);
      return FALSE;
    }
  if (!isfinite (options->perplexity) || !(options->perplexity > 0))
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "the perplexity must be a positive number, not %g", options->perplexity);
      return FALSE;
    }
  if (!isfinite (options->early_exaggeration) || !(options->early_exaggeration > 0) ||
      !isfinite (options->exaggeration) || !(options->exaggeration > 0) ||
      !isfinite (options->learning_rate) || options->learning_rate < 0 ||
      !(options->momentum >= 0 && options->momentum < 1) ||
      !(options->momentum_early >= 0 && options->momentum_early < 1))
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "t-SNE: exaggeration, learning rate or momentum out of range");
      return FALSE;
    }
  if (options->perplexity > es_tsne_max_perplexity (n_valid))
    {
      if (n_valid < 2)
        g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                     "t-SNE needs at least 2 valid rows, there %s %" G_GSIZE_FORMAT,
                     n_valid == 1 ? "is" : "are", n_valid);
      else
        g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                     "perplexity %g is too large for %" G_GSIZE_FORMAT " valid rows: "
                     "at most %.2f ((rows − 1) / 3, so that 3 × perplexity neighbours exist)",
                     options->perplexity, n_valid, floor (es_tsne_max_perplexity (n_valid) * 100) / 100);
      return FALSE;
    }
  return TRUE;
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static void
report (EsProgressFunc progress,
        gpointer       data,
        double         fraction)
{
  if (progress != NULL)
    progress (CLAMP (fraction, 0, 1), data);
}

static double
gaussian (GRand *rand)
{
  double u = g_rand_double (rand), v = g_rand_double (rand);

  return sqrt (-2 * log (1 - u)) * cos (2 * G_PI * v);
}

/* PCA of the valid rows (unit rows for cosine), scaled so the first axis
 * has standard deviation INIT_STD, plus a seeded jitter of JITTER × that;
 * a seeded Gaussian of INIT_STD when PCA has nothing to offer (fewer
 * input dimensions than map dimensions, all rows equal).
 */
static void
initialize (EsEmbeddingSet *set,
            const gsize    *rows,
            gsize           n,
            guint           dims,
            EsMetric        metric,
            guint64         seed,
            GCancellable   *cancellable,
            float          *y)
{
  guint32 seeds[2] = { (guint32) seed, (guint32) (seed >> 32) };
  g_autoptr(GRand) rand = g_rand_new_with_seed_array (seeds, 2);
  g_autoptr(EsProjection) projection = NULL;
  double scale = 0;

  if (es_embedding_set_get_dims (set) >= dims)
    {
      EsProjectionOptions options;

      es_projection_options_init (&options);
      options.method = ES_METHOD_PCA;
      options.n_components = dims;
      options.normalize = metric == ES_METRIC_COSINE;
      projection = es_projection_compute (set, &options, cancellable, NULL, NULL, NULL);
    }
  if (projection != NULL)
    {
      const float *coords = es_projection_get_coords (projection);
      guint stride = es_projection_get_n_components (projection);
      double mean = 0, var = 0;

      for (gsize i = 0; i < n; i++)
        mean += coords[rows[i] * stride];
      mean /= n;
      for (gsize i = 0; i < n; i++)
        {
          double v = coords[rows[i] * stride] - mean;

          var += v * v;
        }
      if (var > 0 && isfinite (var))
        scale = INIT_STD / sqrt (var / n);
      for (gsize i = 0; i < n && scale > 0; i++)
        for (guint d = 0; d < dims; d++)
          y[i * dims + d] = (float) (coords[rows[i] * stride + d] * scale +
                                     INIT_STD * JITTER * gaussian (rand));
    }
  if (!(scale > 0))
    for (gsize i = 0; i < n * dims; i++)
      y[i] = (float) (INIT_STD * gaussian (rand));
}

typedef struct
{
  const EsTsneAffinities *p;
  gsize        n;
  guint        dims;
  const float *y;
  float       *y_next;
  const float *rep;
  float       *attr;
  float       *update;
  float       *gains;
  float        exaggeration;
  float        momentum;
  float        learning_rate;
  float        inv_z;
} StepJob;

/* A part's points: their gradient and their step, into y_next (every
 * part reads all of y for the attraction, so y itself must stay).
 */
static void
step_part (guint    part,
           gpointer data)
{
  StepJob *job = data;
  gsize begin, end;

  _es_tsne_part_range (job->n, part, &begin, &end);
  _es_tsne_attraction (job->p, job->y, job->dims, begin, end, job->attr);
  for (gsize e = begin * job->dims; e < end * job->dims; e++)
    {
      float g = 4 * (job->exaggeration * job->attr[e] - job->rep[e] * job->inv_z), u = job->update[e];
      /* Delta-bar-delta as scikit-learn has it: grow where the step turned. */
      float gain = u * g < 0 ? job->gains[e] + 0.2f : job->gains[e] * 0.8f;

      gain = MAX (gain, 0.01f);
      job->gains[e] = gain;
      u = job->momentum * u - job->learning_rate * gain * g;
      job->update[e] = u;
      job->y_next[e] = job->y[e] + u;
    }
}

static void
emit_frame (EsLayoutFrameFunc  frame,
            gpointer           frame_data,
            float             *out,
            gsize              rows,
            const gsize       *valid_rows,
            const float       *y,
            gsize              n,
            guint              dims,
            guint              iteration,
            guint              n_iterations)
{
  for (gsize i = 0; i < n; i++)
    memcpy (out + valid_rows[i] * dims, y + i * dims, dims * sizeof (float));
  if (frame != NULL)
    frame (out, rows, dims, iteration, n_iterations, frame_data);
}

/* The points renumbered in map order (es-tsne-order.c): P, the state the
 * steps carry and which row each point is.
 */
static void
renumber (EsTsneOrder      *order,
          EsTsneAffinities *p,
          float            *y,
          float            *update,
          float            *gains,
          gsize            *valid_rows,
          guint             dims)
{
  _es_tsne_order_compute (order, y, dims);
  _es_tsne_order_permute_affinities (order, p);
  _es_tsne_order_permute_rows (order, y, dims);
  _es_tsne_order_permute_rows (order, update, dims);
  _es_tsne_order_permute_rows (order, gains, dims);
  _es_tsne_order_permute_indices (order, valid_rows);
}

/* When the points are renumbered: at the start (the initial layout's
 * order), then each time the map has taken as many steps again as it had
 * (64, 128, 256, 512): often while it forms, rarely once it has.  Each
 * renumbering moves P's rows (through one extra array of nnz, freed after
 * the last); it saves 15–40 % of the attraction's, spreading's and
 * gathering's time.
 */
#define RENUMBER_LAST 512

static gboolean
renumber_at (guint it)
{
  return it == 0 || (it >= 64 && it <= RENUMBER_LAST && (it & (it - 1)) == 0);
}

static gboolean
optimize (EsTsneAffinities       *p,
          const EsTsneOptions    *options,
          EsTsnePool             *pool,
          float                  *y,
          float                  *out,
          gsize                   rows,
          gsize                  *valid_rows,
          GCancellable           *cancellable,
          EsProgressFunc          progress,
          gpointer                progress_data,
          EsLayoutFrameFunc       frame,
          gpointer                frame_data,
          GError                **error)
{
  gsize n = p->n;
  guint dims = options->dims;
  g_autofree float *rep = NULL, *attr = NULL, *update = NULL, *gains = NULL, *spare = NULL;
  float *y_next;
  g_autofree double *rep_exact = NULL;
  g_autoptr(EsTsneFft) fft = NULL;
  g_autoptr(EsTsneOrder) order = NULL;
  gint64 last_frame = g_get_monotonic_time ();
  int last_percent = -1;
  double learning_rate = options->learning_rate;
  StepJob job;

  if (!(rep = es_memory_try_alloc (n, dims * sizeof (float), "t-SNE gradient", error)) ||
      !(attr = es_memory_try_alloc (n, dims * sizeof (float), "t-SNE gradient", error)) ||
      !(spare = es_memory_try_alloc (n, dims * sizeof (float), "t-SNE coordinates", error)) ||
      !(update = es_memory_try_alloc0 (n, dims * sizeof (float), "t-SNE gradient", error)) ||
      !(gains = es_memory_try_alloc (n, dims * sizeof (float), "t-SNE gradient", error)))
    return FALSE;
  if (n > EXACT_MAX_ROWS && !(order = _es_tsne_order_new (n, p->row_ptr[n], error)))
    return FALSE;
  for (gsize e = 0; e < n * dims; e++)
    gains[e] = 1;
  if (n <= EXACT_MAX_ROWS)
    rep_exact = g_new (double, n * dims);
  else if (dims == 2)
    fft = _es_tsne_fft_new ();

  if (learning_rate == 0)
    learning_rate = MAX (n / options->early_exaggeration / 4, 50);

  /* The step writes the other buffer; y is whichever holds the map now. */
  y_next = spare;
  job = (StepJob) { p, n, dims, y, y_next, rep, attr, update, gains, 0, 0, (float) learning_rate, 0 };
  for (guint it = 0; it < options->n_iterations; it++)
    {
      gboolean early = it < options->early_iterations;
      double z;
      int percent;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (order != NULL && renumber_at (it))
        renumber (order, p, y, update, gains, valid_rows, dims);
      if (it == RENUMBER_LAST)
        g_clear_pointer (&order, _es_tsne_order_free);

      if (rep_exact != NULL)
        {
          _es_tsne_repulsion_exact (y, n, dims, rep_exact, &z);
          for (gsize e = 0; e < n * dims; e++)
            rep[e] = (float) rep_exact[e];
        }
      else if (fft != NULL)
        {
          if (!_es_tsne_fft_repulsion (fft, y, n, pool, rep, &z, error))
            return FALSE;
        }
      else if (!_es_tsne_bh_repulsion (y, n, dims, BH_THETA, pool, rep, &z, error))
        return FALSE;

      job.exaggeration = (float) (early ? options->early_exaggeration : options->exaggeration);
      job.momentum = (float) (early ? options->momentum_early : options->momentum);
      job.inv_z = (float) (1 / MAX (z, 1e-300));
      job.y = y;
      job.y_next = y_next;
      _es_tsne_parallel (pool, step_part, &job);
      y_next = y;
      y = job.y_next;

      percent = (int) (100.0 * (it + 1) / options->n_iterations);
      if (percent != last_percent)
        {
          report (progress, progress_data,
                  PROGRESS_INIT + (1 - PROGRESS_INIT) * (it + 1) / options->n_iterations);
          last_percent = percent;
        }
      if (frame != NULL && g_get_monotonic_time () - last_frame >= FRAME_INTERVAL)
        {
          emit_frame (frame, frame_data, out, rows, valid_rows, y, n, dims, it + 1, options->n_iterations);
          last_frame = g_get_monotonic_time ();
        }
    }
  emit_frame (frame, frame_data, out, rows, valid_rows, y, n, dims, options->n_iterations,
              options->n_iterations);
  return TRUE;
}

static guint
thread_count (const EsTsneOptions *options)
{
  guint n = options->n_threads > 0 ? options->n_threads : g_get_num_processors ();

  return CLAMP (n, 1, ES_TSNE_N_PARTS);
}

EsMatrix *
es_tsne_run_on_graph (EsEmbeddingSet      *set,
                      EsKnnGraph          *graph,
                      const EsTsneOptions *options,
                      GCancellable        *cancellable,
                      EsProgressFunc       progress,
                      gpointer             progress_data,
                      EsLayoutFrameFunc    frame,
                      gpointer             frame_data,
                      EsLayoutTimings     *timings,
                      GError             **error)
{
  gsize rows, n, n_valid;
  guint k, dims, n_threads;
  g_autofree gsize *valid_rows = NULL;
  g_autofree gint32 *compact = NULL;
  g_autofree gint32 *idx = NULL;
  g_autofree float *dist = NULL;
  const gint32 *gi_all = NULL;
  const float *gd_all = NULL;
  g_autofree float *y = NULL;
  g_auto(EsTsneAffinities) p = { 0 };
  g_autoptr(EsMatrix) result = NULL;
  g_autoptr(EsTsnePool) pool = NULL;
  float *out;
  gint64 start;

  g_return_val_if_fail (set != NULL, NULL);
  g_return_val_if_fail (graph != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  rows = es_embedding_set_get_rows (set);
  n_valid = es_embedding_set_get_n_valid (set);
  if (!check_options (options, n_valid, error))
    return NULL;
  dims = options->dims;
  k = es_tsne_get_k (options->perplexity, n_valid);
  n_threads = thread_count (options);
  pool = _es_tsne_pool_new (n_threads);
  if (es_knn_graph_get_rows (graph) != rows || es_knn_graph_get_k (graph) < k ||
      es_knn_graph_get_metric (graph) != options->metric)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "t-SNE needs a %s graph of %" G_GSIZE_FORMAT " rows with at least %u neighbours, "
                   "not a %s one of %" G_GSIZE_FORMAT " with %u",
                   es_metric_to_string (options->metric), rows, k,
                   es_metric_to_string (es_knn_graph_get_metric (graph)),
                   es_knn_graph_get_rows (graph), es_knn_graph_get_k (graph));
      return NULL;
    }

  /* Valid rows only, in row order: compact indices 0 … n − 1. */
  if (!(result = es_matrix_new (rows, dims, error)) ||
      !(valid_rows = es_memory_try_alloc (MAX (n_valid, 1), sizeof (gsize), "t-SNE", error)) ||
      !(compact = es_memory_try_alloc (rows, sizeof (gint32), "t-SNE", error)) ||
      !(y = es_memory_try_alloc ((guint64) n_valid * dims, sizeof (float), "t-SNE coordinates", error)))
    return NULL;
  n = 0;
  for (gsize r = 0; r < rows; r++)
    {
      compact[r] = -1;
      if (es_embedding_set_is_row_valid (set, r))
        {
          compact[r] = (gint32) n;
          valid_rows[n++] = r;
        }
    }
  g_assert (n == n_valid);

  start = g_get_monotonic_time ();
  if (n == rows && es_knn_graph_get_k (graph) == k &&
      (rows < 2 || es_knn_graph_get_row_indices (graph, 1) == es_knn_graph_get_row_indices (graph, 0) + k))
    {
      /* Every row valid and k per row: the graph's own arrays (cached on the
       * set) are the compact lists, missing entries last; no copy.
       */
      gi_all = es_knn_graph_get_row_indices (graph, 0);
      gd_all = es_knn_graph_get_row_distances (graph, 0);
    }
  else if (!(idx = es_memory_try_alloc ((guint64) n_valid * k, sizeof (gint32), "t-SNE neighbours", error)) ||
           !(dist = es_memory_try_alloc ((guint64) n_valid * k, sizeof (float), "t-SNE neighbours", error)))
    return NULL;
  for (gsize i = 0; i < n && idx != NULL; i++)
    {
      const gint32 *gi = es_knn_graph_get_row_indices (graph, valid_rows[i]);
      const float *gd = es_knn_graph_get_row_distances (graph, valid_rows[i]);
      guint m = 0;

      for (guint j = 0; j < k; j++)
        if (gi[j] != ES_KNN_NONE && gi[j] >= 0 && (gsize) gi[j] < rows && compact[gi[j]] >= 0 &&
            (gsize) gi[j] != valid_rows[i])
          {
            idx[i * k + m] = compact[gi[j]];
            dist[i * k + m++] = gd[j];
          }
      for (; m < k; m++)
        {
          idx[i * k + m] = ES_KNN_NONE;
          dist[i * k + m] = 0;
        }
    }
  if (idx != NULL)
    {
      gi_all = idx;
      gd_all = dist;
    }
  if (!_es_tsne_affinities_build (n, k, gi_all, gd_all, options->metric, options->perplexity,
                                  pool, cancellable, &p, error))
    return NULL;
  g_clear_pointer (&idx, g_free);
  g_clear_pointer (&dist, g_free);
  if (timings != NULL)
    {
      timings->affinities = seconds_since (start);
      timings->knn_exact = es_knn_graph_is_exact (graph);
    }
  report (progress, progress_data, PROGRESS_AFFINITIES);

  start = g_get_monotonic_time ();
  initialize (set, valid_rows, n, dims, options->metric, options->seed, cancellable, y);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (timings != NULL)
    timings->init = seconds_since (start);
  report (progress, progress_data, PROGRESS_INIT);

  start = g_get_monotonic_time ();
  out = es_matrix_get_data_mut (result);
  for (gsize e = 0; e < rows * dims; e++)
    out[e] = NAN;
  if (!optimize (&p, options, pool, y, out, rows, valid_rows, cancellable,
                 progress, progress_data, frame, frame_data, error))
    return NULL;
  if (timings != NULL)
    timings->optimize = seconds_since (start);

  return g_steal_pointer (&result);
}

typedef struct
{
  EsProgressFunc func;
  gpointer       data;
} KnnProgress;

static void
knn_progress_cb (double   fraction,
                 gpointer user_data)
{
  KnnProgress *p = user_data;

  p->func (CLAMP (fraction, 0, 1) * PROGRESS_KNN, p->data);
}

EsMatrix *
es_tsne_run (EsEmbeddingSet      *set,
             const EsTsneOptions *options,
             GCancellable        *cancellable,
             EsProgressFunc       progress,
             gpointer             progress_data,
             EsLayoutFrameFunc    frame,
             gpointer             frame_data,
             EsLayoutTimings     *timings,
             GError             **error)
{
  g_autoptr(EsKnnGraph) graph = NULL;
  EsKnnOptions knn_options;
  EsLayoutTimings local = { 0 };
  KnnProgress knn_progress = { progress, progress_data };
  EsMatrix *result;
  gsize n_valid;
  gint64 start;

  g_return_val_if_fail (set != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  n_valid = es_embedding_set_get_n_valid (set);
  if (!check_options (options, n_valid, error))
    return NULL;

  es_knn_options_init (&knn_options);
  knn_options.k = es_tsne_get_k (options->perplexity, n_valid);
  knn_options.metric = options->metric;
  knn_options.method = options->knn_method;
  knn_options.seed = options->seed;
  knn_options.n_threads = options->n_threads;

  start = g_get_monotonic_time ();
  graph = es_knn_graph_build (set, &knn_options, cancellable,
                              progress != NULL ? knn_progress_cb : NULL, &knn_progress, error);
  if (graph == NULL)
    return NULL;
  local.knn = seconds_since (start);
  report (progress, progress_data, PROGRESS_KNN);

  result = es_tsne_run_on_graph (set, graph, options, cancellable, progress, progress_data,
                                 frame, frame_data, &local, error);
  if (result != NULL && timings != NULL)
    *timings = local;
  return result;
}
