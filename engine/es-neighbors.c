/* es-neighbors.c: exact k-nearest-neighbour search
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-neighbors"

#include "config.h"

#include "es-neighbors-private.h"

#include "es-engine-error.h"
#include "es-expression.h"
#include "es-worker.h"

#include <cblas.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The scan is bound by memory bandwidth: the matrix is streamed once and a
 * bounded heap keeps the best candidates, so nothing is sorted but the
 * winners.  A batch of queries goes through sgemm per block of rows.  One
 * query is split over the cores by our own threads, each scoring its rows
 * with one sdot per row, the heap test right behind it.  Not sgemv: on this
 * shape (300 columns, row-major) OpenBLAS 0.3.21's sgemv spends about twice
 * the CPU time of sdot per byte, and it only threads itself above ~7M
 * elements, so row blocks small enough to score from cache ran on one core.
 * The float32 scan only chooses candidates: a few more than k are kept and
 * rescored in double so the scores (and the order of close ones) do not
 * depend on float rounding inside BLAS.
 */
#define ROW_BLOCK   4096
#define QUERY_BATCH 64
#define SLACK       16
#define MAX_THREADS 8

/* Below this many rows per thread a thread costs more than it saves.  The
 * threads claim chunks of rows as they go, so one that the (shared) machine
 * slows down does not hold the others up.
 */
#define MIN_ROWS_PER_THREAD 32768
#define CHUNK_ROWS          4096
#define PREFETCH_BYTES      (64u << 10)

static guint scan_threads = 0;
static gsize chunk_rows = CHUNK_ROWS;

void
_es_neighbors_set_threading (guint threads,
                             gsize chunk)
{
  scan_threads = MIN (threads, MAX_THREADS);
  chunk_rows = chunk > 0 ? chunk : CHUNK_ROWS;
}

typedef struct
{
  float  *vector;     /* points into the batch matrix */
  double  norm;       /* of the double query */
  double  norm2_f;    /* squared norm of the float query, for euclidean */
  gsize  *exclude;    /* sorted copy */
  gsize   n_exclude;
  EsHeap  heap;
} QueryState;

static int
compare_rows (const void *a,
              const void *b)
{
  gsize x = *(const gsize *) a;
  gsize y = *(const gsize *) b;

  return x < y ? -1 : x > y;
}

static gboolean
is_excluded (const QueryState *state,
             gsize             row)
{
  return state->n_exclude > 0 &&
         bsearch (&row, state->exclude, state->n_exclude, sizeof (gsize), compare_rows) != NULL;
}

static double
exact_score (const float  *v,
             const double *q,
             gsize         dims,
             double        q_norm,
             EsMetric      metric)
{
  double dot = 0.0, vv = 0.0, dd = 0.0;

  for (gsize j = 0; j < dims; j++)
    {
      double x = v[j];
      double diff = x - q[j];

      dot += x * q[j];
      vv += x * x;
      dd += diff * diff;
    }

  switch (metric)
    {
    case ES_METRIC_EUCLIDEAN:
      return sqrt (dd);
    case ES_METRIC_DOT:
      return dot;
    case ES_METRIC_COSINE:
    default:
      /* A zero vector has no direction: its cosine is 0, never NaN. */
      if (vv == 0.0 || q_norm == 0.0)
        return 0.0;
      return dot / (sqrt (vv) * q_norm);
    }
}

int
_es_neighbor_compare (gconstpointer a,
                      gconstpointer b,
                      gpointer      user_data)
{
  const EsNeighbor *x = a;
  const EsNeighbor *y = b;
  EsMetric metric = GPOINTER_TO_INT (user_data);

  if (x->score != y->score)
    {
      gboolean x_first = metric == ES_METRIC_EUCLIDEAN ? x->score < y->score : x->score > y->score;

      return x_first ? -1 : 1;
    }

  return x->row < y->row ? -1 : x->row > y->row;
}

/* Rescores the float32 candidates in double, sorts them and keeps k. */
static GArray *
finish_query (EsEmbeddingSet *set,
              const EsHeap   *heap,
              const double   *query,
              double          q_norm,
              EsMetric        metric,
              guint           k)
{
  gsize dims = es_embedding_set_get_dims (set);
  GArray *result = g_array_sized_new (FALSE, FALSE, sizeof (EsNeighbor), heap->len);

  for (guint i = 0; i < heap->len; i++)
    {
      EsNeighbor neighbor;

      neighbor.row = heap->items[i].row;
      neighbor.score = exact_score (es_embedding_set_get_vector (set, neighbor.row),
                                    query, dims, q_norm, metric);
      g_array_append_val (result, neighbor);
    }

  g_array_sort_with_data (result, _es_neighbor_compare, GINT_TO_POINTER (metric));
  if (result->len > k)
    g_array_set_size (result, k);

  return result;
}

/* The float32 ranking key of one row: larger is better for every metric. */
static inline float
float_good (const QueryState *state,
            float             dot,
            double            norm,
            EsMetric          metric)
{
  float good;

  switch (metric)
    {
    case ES_METRIC_EUCLIDEAN:
      good = (float) -(norm * norm + state->norm2_f - 2.0 * dot);
      break;
    case ES_METRIC_DOT:
      good = dot;
      break;
    case ES_METRIC_COSINE:
    default:
      /* The query is a unit vector here. */
      good = norm > 0.0 && state->norm > 0.0 ? (float) (dot / norm) : 0.0f;
      break;
    }

  /* Overflow in float32: let the double rescoring decide. */
  if (!isfinite (good))
    good = FLT_MAX;

  return good;
}

/* Most rows lose against the worst kept candidate, so the validity and
 * exclusion look-ups only run for the few that would enter the heap.
 */
static inline void
offer (EsEmbeddingSet   *set,
       const QueryState *state,
       EsHeap           *heap,
       float             good,
       gsize             row)
{
  if (heap->len == heap->cap && good < heap->items[0].good)
    return;
  if (!es_embedding_set_is_row_valid (set, row) || is_excluded (state, row))
    return;
  _es_heap_push (heap, good, row);
}

static void
score_block (EsEmbeddingSet *set,
             const float    *norms,
             const float    *block,
             gsize           first_row,
             gsize           n_rows,
             QueryState     *states,
             gsize           n_states,
             EsMetric        metric)
{
  for (gsize i = 0; i < n_rows; i++)
    {
      gsize row = first_row + i;
      double norm = norms[row];

      for (gsize q = 0; q < n_states; q++)
        offer (set, &states[q], &states[q].heap,
               float_good (&states[q], block[i * n_states + q], norm, metric), row);
    }
}

/* Many queries: sgemm scores a block of rows against all of them at once. */
static gboolean
scan_batch (EsEmbeddingSet *set,
            const float    *batch,
            QueryState     *states,
            gsize           n_queries,
            EsMetric        metric,
            gsize           limit,
            GCancellable   *cancellable,
            GError        **error)
{
  gsize dims = es_embedding_set_get_dims (set);
  const float *data = es_matrix_get_data (es_embedding_set_get_matrix (set));
  const float *norms = es_embedding_set_get_norms (set);
  g_autofree float *block = g_new (float, ROW_BLOCK * n_queries);

  for (gsize first = 0; first < limit; first += ROW_BLOCK)
    {
      gsize n_rows = MIN (ROW_BLOCK, limit - first);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      if (dims == 0)
        memset (block, 0, n_rows * n_queries * sizeof (float));
      else
        cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans,
                     (blasint) n_rows, (blasint) n_queries, (blasint) dims,
                     1.0f, data + first * dims, (blasint) dims,
                     batch, (blasint) dims, 0.0f, block, (blasint) n_queries);

      score_block (set, norms, block, first, n_rows, states, n_queries, metric);
    }

  return TRUE;
}

/* A single-query scan shared by its threads. */
typedef struct
{
  EsEmbeddingSet   *set;
  const float      *data;
  const float      *norms;
  const QueryState *state;
  EsMetric          metric;
  gsize             dims;
  gsize             limit;
  gsize             chunk;
  GCancellable     *cancellable;
  gsize             next;       /* first row not yet claimed (atomic) */
  gint              cancelled;  /* atomic */
} SingleScan;

typedef struct
{
  SingleScan *scan;
  EsHeap      heap;
} ScanWorker;

/* One thread: claims chunks of rows until none is left, keeping its best
 * rows in its own heap.
 */
static gpointer
scan_worker (gpointer user_data)
{
  ScanWorker *worker = user_data;
  SingleScan *scan = worker->scan;
  const QueryState *state = scan->state;
  blasint dims = (blasint) scan->dims;
  gsize ahead = MAX (PREFETCH_BYTES / (scan->dims * sizeof (float)), 1);

  for (;;)
    {
      gsize first = (gsize) g_atomic_pointer_add (&scan->next, scan->chunk);
      gsize end;

      if (first >= scan->limit)
        break;
      if (g_cancellable_is_cancelled (scan->cancellable))
        {
          g_atomic_int_set (&scan->cancelled, TRUE);
          break;
        }

      end = MIN (first + scan->chunk, scan->limit);
      for (gsize row = first; row < end; row++)
        {
          float dot;

          /* One line of a row ~64 KB ahead: its page walk (4 KB pages
           * here) and the hardware prefetcher's start on a new page
           * happen before the scan gets there (18 % faster at 400k).
           */
          if (row + ahead < scan->limit)
            __builtin_prefetch (scan->data + (row + ahead) * scan->dims, 0, 3);
          dot = cblas_sdot (dims, scan->data + row * scan->dims, 1, state->vector, 1);
          offer (scan->set, state, &worker->heap,
                 float_good (state, dot, scan->norms[row], scan->metric), row);
        }
    }

  return NULL;
}

/* One query over rows [0, limit), split across the cores.  Whatever rows
 * each thread got, merging the threads' heaps leaves in @state's exactly
 * what one heap over all rows would hold: the heap order is total (score,
 * then row) and each of the overall best is among the best of its thread.
 */
static gboolean
scan_single (EsEmbeddingSet *set,
             QueryState     *state,
             EsMetric        metric,
             gsize           limit,
             GCancellable   *cancellable,
             GError        **error)
{
  ScanWorker workers[MAX_THREADS];
  GThread *threads[MAX_THREADS] = { NULL };
  SingleScan scan;
  guint n_threads;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  scan.set = set;
  scan.data = es_matrix_get_data (es_embedding_set_get_matrix (set));
  scan.norms = es_embedding_set_get_norms (set);
  scan.state = state;
  scan.metric = metric;
  scan.dims = es_embedding_set_get_dims (set);
  scan.limit = limit;
  scan.chunk = chunk_rows;
  scan.cancellable = cancellable;
  scan.next = 0;
  scan.cancelled = FALSE;

  if (scan_threads > 0)
    n_threads = scan_threads;
  else
    n_threads = (guint) CLAMP (limit / MIN_ROWS_PER_THREAD, 1,
                               MIN (g_get_num_processors (), MAX_THREADS));
  /* OpenBLAS threads sdot itself past 10000 elements: do not nest. */
  if (scan.dims > 10000)
    n_threads = 1;

  /* The calling thread is worker 0; a thread that cannot be started just
   * leaves more chunks to the others.
   */
  for (guint t = 0; t < n_threads; t++)
    {
      workers[t].scan = &scan;
      workers[t].heap.items = g_new (EsHeapItem, state->heap.cap);
      workers[t].heap.len = 0;
      workers[t].heap.cap = state->heap.cap;
      if (t > 0)
        threads[t] = g_thread_try_new ("es-knn", scan_worker, &workers[t], NULL);
    }
  scan_worker (&workers[0]);

  for (guint t = 0; t < n_threads; t++)
    {
      if (threads[t] != NULL)
        g_thread_join (threads[t]);
      for (guint i = 0; i < workers[t].heap.len; i++)
        _es_heap_push (&state->heap, workers[t].heap.items[i].good, workers[t].heap.items[i].row);
      g_free (workers[t].heap.items);
    }

  if (g_atomic_int_get (&scan.cancelled))
    {
      /* Reset in between: still report what stopped the scan. */
      if (!g_cancellable_set_error_if_cancelled (cancellable, error))
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
      return FALSE;
    }

  return TRUE;
}

static gboolean
search_batch (EsEmbeddingSet        *set,
              const EsNeighborQuery *queries,
              gsize                  n_queries,
              EsMetric               metric,
              guint                  k,
              gsize                  limit,
              GCancellable          *cancellable,
              GArray               **results,
              GError               **error)
{
  gsize dims = es_embedding_set_get_dims (set);
  g_autofree float *batch = g_new0 (float, MAX (n_queries * dims, 1));
  g_autofree QueryState *states = g_new0 (QueryState, n_queries);
  guint cap = k + SLACK;
  gboolean ok;

  for (gsize q = 0; q < n_queries; q++)
    {
      QueryState *state = &states[q];
      const double *v = queries[q].vector;
      double norm = 0.0, norm2_f = 0.0;

      for (gsize j = 0; j < dims; j++)
        norm += v[j] * v[j];
      norm = sqrt (norm);

      state->vector = batch + q * dims;
      for (gsize j = 0; j < dims; j++)
        {
          state->vector[j] = metric == ES_METRIC_COSINE ? (norm > 0.0 ? (float) (v[j] / norm) : 0.0f)
                                                        : (float) v[j];
          norm2_f += (double) state->vector[j] * state->vector[j];
        }
      state->norm = norm;
      state->norm2_f = norm2_f;
      state->exclude = g_memdup2 (queries[q].exclude, queries[q].n_exclude * sizeof (gsize));
      state->n_exclude = queries[q].n_exclude;
      if (state->n_exclude > 0)
        qsort (state->exclude, state->n_exclude, sizeof (gsize), compare_rows);
      state->heap.cap = cap;
      state->heap.items = g_new (EsHeapItem, cap);
    }

  if (n_queries == 1 && dims > 0)
    ok = scan_single (set, &states[0], metric, limit, cancellable, error);
  else
    ok = scan_batch (set, batch, states, n_queries, metric, limit, cancellable, error);

  for (gsize q = 0; q < n_queries; q++)
    {
      if (ok)
        results[q] = finish_query (set, &states[q].heap, queries[q].vector,
                                   states[q].norm, metric, k);
      g_free (states[q].exclude);
      g_free (states[q].heap.items);
    }

  return ok;
}

gboolean
_es_neighbors_search_many (EsEmbeddingSet        *set,
                           const EsNeighborQuery *queries,
                           gsize                  n_queries,
                           EsMetric               metric,
                           guint                  k,
                           gsize                  restrict_rows,
                           GCancellable          *cancellable,
                           GArray               **results,
                           GError               **error)
{
  gsize rows = es_embedding_set_get_rows (set);
  gsize dims = es_embedding_set_get_dims (set);
  gsize limit = restrict_rows > 0 ? MIN (restrict_rows, rows) : rows;

  for (gsize q = 0; q < n_queries; q++)
    {
      results[q] = NULL;
      for (gsize j = 0; j < dims; j++)
        if (!isfinite (queries[q].vector[j]))
          {
            g_set_error_literal (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC,
                                 "the query vector holds NaN or Inf");
            return FALSE;
          }
    }

  for (gsize first = 0; first < n_queries; first += QUERY_BATCH)
    {
      gsize n = MIN (QUERY_BATCH, n_queries - first);

      if (!search_batch (set, queries + first, n, metric, k, limit,
                         cancellable, results + first, error))
        {
          for (gsize q = 0; q < first; q++)
            g_clear_pointer (&results[q], g_array_unref);
          return FALSE;
        }
    }

  return TRUE;
}

GArray *
es_neighbors_search (EsEmbeddingSet  *set,
                     const double    *query,
                     EsMetric         metric,
                     guint            k,
                     const gsize     *exclude,
                     gsize            n_exclude,
                     gsize            restrict_rows,
                     GCancellable    *cancellable,
                     GError         **error)
{
  EsNeighborQuery q = { query, exclude, n_exclude };
  GArray *result = NULL;

  g_return_val_if_fail (set != NULL, NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (exclude != NULL || n_exclude == 0, NULL);

  if (!_es_neighbors_search_many (set, &q, 1, metric, k, restrict_rows,
                                  cancellable, &result, error))
    return NULL;

  return result;
}

gboolean
_es_neighbors_resolve_word (EsEmbeddingSet  *set,
                            const char      *word,
                            gsize           *row,
                            GError         **error)
{
  if (!es_embedding_set_lookup (set, word, row) &&
      !es_embedding_set_lookup_ignore_case (set, word, row))
    {
      g_autofree char *display = g_utf8_make_valid (word, -1);

      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_UNKNOWN_WORD,
                   "unknown word '%s'", display);
      return FALSE;
    }

  if (!es_embedding_set_is_row_valid (set, *row))
    {
      g_autofree char *display = g_utf8_make_valid (word, -1);

      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC,
                   "the vector of '%s' holds NaN or Inf", display);
      return FALSE;
    }

  return TRUE;
}

GArray *
es_neighbors_of_expression (EsEmbeddingSet  *set,
                            const char      *expression,
                            EsMetric         metric,
                            guint            k,
                            GCancellable    *cancellable,
                            GError         **error)
{
  g_autoptr(EsExpression) parsed = NULL;
  g_autofree double *query = NULL;
  g_autofree gsize *rows = NULL;
  guint n_terms;

  g_return_val_if_fail (set != NULL, NULL);
  g_return_val_if_fail (expression != NULL, NULL);

  parsed = es_expression_parse_for_set (expression, set, error);
  if (parsed == NULL)
    return NULL;

  n_terms = es_expression_get_n_terms (parsed);
  rows = g_new (gsize, n_terms);
  query = g_new (double, MAX (es_embedding_set_get_dims (set), 1));

  /* Cosine: gensim's weighted mean of unit vectors (its length does not
   * matter).  Euclidean and dot: the raw weighted sum.
   */
  if (!es_expression_resolve (parsed, set, TRUE, rows, error) ||
      !es_expression_evaluate (parsed, set, metric == ES_METRIC_COSINE, query, error))
    return NULL;

  return es_neighbors_search (set, query, metric, k, rows, n_terms, 0, cancellable, error);
}

typedef struct
{
  EsEmbeddingSet *set;
  char           *expression;
  EsMetric        metric;
  guint           k;
} NeighborsTaskData;

static void
neighbors_task_data_free (gpointer data)
{
  NeighborsTaskData *task_data = data;

  es_embedding_set_unref (task_data->set);
  g_free (task_data->expression);
  g_free (task_data);
}

static void
neighbors_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      data,
                  GCancellable *cancellable)
{
  NeighborsTaskData *task_data = data;
  GError *error = NULL;
  GArray *result;

  /* The scan's own threads inherit what the hook sets (the GUI's lower priority). */
  es_worker_enter ();
  result = es_neighbors_of_expression (task_data->set, task_data->expression,
                                       task_data->metric, task_data->k,
                                       cancellable, &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) g_array_unref);
}

void
es_neighbors_of_expression_async (EsEmbeddingSet      *set,
                                  const char          *expression,
                                  EsMetric             metric,
                                  guint                k,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  NeighborsTaskData *task_data;

  g_return_if_fail (set != NULL);
  g_return_if_fail (expression != NULL);

  task_data = g_new0 (NeighborsTaskData, 1);
  task_data->set = es_embedding_set_ref (set);
  task_data->expression = g_strdup (expression);
  task_data->metric = metric;
  task_data->k = k;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, es_neighbors_of_expression_async);
  /* Not LOW: while frames keep GTK's redraw source (priority 120) busy,
   * a LOW completion is never dispatched (a load that never ends).
   */
  g_task_set_priority (task, G_PRIORITY_DEFAULT);
  g_task_set_task_data (task, task_data, neighbors_task_data_free);
  g_task_run_in_thread (task, neighbors_thread);
}

GArray *
es_neighbors_of_expression_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == es_neighbors_of_expression_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
es_neighbors_similarity (EsEmbeddingSet  *set,
                         const char      *a,
                         const char      *b,
                         double          *cosine,
                         GError         **error)
{
  gsize row_a, row_b;
  const float *u, *v;
  double dot = 0.0, uu = 0.0, vv = 0.0;
  gsize dims;

  g_return_val_if_fail (set != NULL, FALSE);
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);
  g_return_val_if_fail (cosine != NULL, FALSE);

  if (!_es_neighbors_resolve_word (set, a, &row_a, error) ||
      !_es_neighbors_resolve_word (set, b, &row_b, error))
    return FALSE;

  dims = es_embedding_set_get_dims (set);
  u = es_embedding_set_get_vector (set, row_a);
  v = es_embedding_set_get_vector (set, row_b);
  for (gsize j = 0; j < dims; j++)
    {
      dot += (double) u[j] * v[j];
      uu += (double) u[j] * u[j];
      vv += (double) v[j] * v[j];
    }

  *cosine = uu > 0.0 && vv > 0.0 ? dot / (sqrt (uu) * sqrt (vv)) : 0.0;

  return TRUE;
}
