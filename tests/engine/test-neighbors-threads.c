/* test-neighbors-threads.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One query is scanned by several threads, each keeping its own heap;
 * the merged lists must be exactly those of one thread, of the batched
 * (sgemm) path and of a plain double full sort, ties and exclusions
 * included.  The thresholds are lowered so small sets use 2 to 5 threads
 * whatever the number of cores.
 */

#define G_LOG_DOMAIN "test-neighbors-threads"

#include "config.h"

#include <math.h>
#include <string.h>

#include "es-engine.h"
#include "es-neighbors-private.h"
#include "es-test-utils.h"

static const EsMetric metrics[] = { ES_METRIC_COSINE, ES_METRIC_EUCLIDEAN, ES_METRIC_DOT };

static void
assert_same (GArray *a,
             GArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      const EsNeighbor *x = &g_array_index (a, EsNeighbor, i);
      const EsNeighbor *y = &g_array_index (b, EsNeighbor, i);

      g_assert_cmpuint (x->row, ==, y->row);
      /* Both are the same double rescoring of the same row: bit-equal. */
      g_assert_cmpfloat (x->score, ==, y->score);
    }
}

/* The query alone through the threaded path: @threads threads claiming
 * @chunk rows at a time.
 */
static GArray *
search_threads (EsEmbeddingSet *set,
                const double   *query,
                EsMetric        metric,
                guint           k,
                const gsize    *exclude,
                gsize           n_exclude,
                gsize           restrict_rows,
                guint           threads,
                gsize           chunk)
{
  g_autoptr(GError) error = NULL;
  GArray *result;

  _es_neighbors_set_threading (threads, chunk);
  result = es_neighbors_search (set, query, metric, k, exclude, n_exclude, restrict_rows,
                                NULL, &error);
  _es_neighbors_set_threading (0, 0);
  g_assert_no_error (error);
  g_assert_nonnull (result);

  return result;
}

/* The query through the batched path: a batch of two runs sgemm. */
static GArray *
search_batched (EsEmbeddingSet *set,
                const double   *query,
                EsMetric        metric,
                guint           k,
                const gsize    *exclude,
                gsize           n_exclude,
                gsize           restrict_rows)
{
  EsNeighborQuery queries[2] = {
    { query, exclude, n_exclude },
    { query, NULL, 0 },
  };
  GArray *results[2] = { NULL, NULL };
  g_autoptr(GError) error = NULL;

  g_assert_true (_es_neighbors_search_many (set, queries, 2, metric, k, restrict_rows,
                                            NULL, results, &error));
  g_assert_no_error (error);
  g_array_unref (results[1]);

  return results[0];
}

typedef struct
{
  gsize  row;
  double key;   /* larger is better */
} Ranked;

static int
compare_ranked (gconstpointer a,
                gconstpointer b)
{
  const Ranked *x = a, *y = b;

  if (x->key != y->key)
    return x->key > y->key ? -1 : 1;
  return x->row < y->row ? -1 : x->row > y->row;
}

/* Independent reference: every valid, not excluded row scored in double,
 * fully sorted, ties by row.
 */
static GArray *
brute_force (EsEmbeddingSet *set,
             const double   *query,
             EsMetric        metric,
             guint           k,
             const gsize    *exclude,
             gsize           n_exclude,
             gsize           restrict_rows)
{
  gsize rows = restrict_rows > 0 ? restrict_rows : es_embedding_set_get_rows (set);
  gsize dims = es_embedding_set_get_dims (set);
  g_autoptr(GArray) ranked = g_array_new (FALSE, FALSE, sizeof (Ranked));
  GArray *result = g_array_new (FALSE, FALSE, sizeof (EsNeighbor));
  double qq = 0;

  for (gsize j = 0; j < dims; j++)
    qq += query[j] * query[j];

  for (gsize i = 0; i < rows; i++)
    {
      const float *v = es_embedding_set_get_vector (set, i);
      double dot = 0, vv = 0, dd = 0;
      gboolean skip = !es_embedding_set_is_row_valid (set, i);
      Ranked r = { i, 0 };

      for (gsize e = 0; e < n_exclude; e++)
        skip |= exclude[e] == i;
      if (skip)
        continue;

      for (gsize j = 0; j < dims; j++)
        {
          dot += v[j] * query[j];
          vv += (double) v[j] * v[j];
          dd += (v[j] - query[j]) * (v[j] - query[j]);
        }
      r.key = metric == ES_METRIC_COSINE ? (vv > 0 && qq > 0 ? dot / (sqrt (vv) * sqrt (qq)) : 0)
            : metric == ES_METRIC_EUCLIDEAN ? -sqrt (dd) : dot;
      g_array_append_val (ranked, r);
    }

  g_array_sort (ranked, compare_ranked);
  for (guint i = 0; i < MIN (k, ranked->len); i++)
    {
      const Ranked *r = &g_array_index (ranked, Ranked, i);
      EsNeighbor n = { r->row, metric == ES_METRIC_EUCLIDEAN ? -r->key : r->key };

      g_array_append_val (result, n);
    }

  return result;
}

static void
assert_close (GArray *result,
              GArray *reference)
{
  g_assert_cmpuint (result->len, ==, reference->len);
  for (guint i = 0; i < result->len; i++)
    {
      g_assert_cmpuint (g_array_index (result, EsNeighbor, i).row, ==,
                        g_array_index (reference, EsNeighbor, i).row);
      g_assert_cmpfloat_with_epsilon (g_array_index (result, EsNeighbor, i).score,
                                      g_array_index (reference, EsNeighbor, i).score, 1e-9);
    }
}

/* Every thread count gives what one thread, the batched path and the
 * reference give.
 */
static void
check_query (EsEmbeddingSet *set,
             const double   *query,
             EsMetric        metric,
             guint           k,
             const gsize    *exclude,
             gsize           n_exclude,
             gsize           restrict_rows)
{
  g_autoptr(GArray) one = search_threads (set, query, metric, k, exclude, n_exclude, restrict_rows, 1, 0);
  g_autoptr(GArray) batched = search_batched (set, query, metric, k, exclude, n_exclude, restrict_rows);
  g_autoptr(GArray) reference = brute_force (set, query, metric, k, exclude, n_exclude, restrict_rows);

  assert_same (one, batched);
  assert_close (one, reference);
  for (guint threads = 2; threads <= 5; threads++)
    {
      static const gsize chunks[] = { 1, 97, 1000 };

      for (guint c = 0; c < G_N_ELEMENTS (chunks); c++)
        {
          g_autoptr(GArray) many = search_threads (set, query, metric, k, exclude, n_exclude,
                                                   restrict_rows, threads, chunks[c]);

          assert_same (many, one);
        }
    }
}

/* Random rows, with exact duplicates of row 5 spread over the file,
 * a zero row and a NaN row.
 */
static EsEmbeddingSet *
make_random_set (gsize   rows,
                 gsize   dims,
                 float **data_out)
{
  static const gsize copies[] = { 999, 2500, 4001, 6999 };
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  float *data = g_new (float, rows * dims);
  EsEmbeddingSet *set;

  for (gsize i = 0; i < rows; i++)
    {
      g_ptr_array_add (words, g_strdup_printf ("w%" G_GSIZE_FORMAT, i));
      for (gsize j = 0; j < dims; j++)
        data[i * dims + j] = (float) g_rand_double_range (rand, -1, 1);
    }
  g_ptr_array_add (words, NULL);

  for (guint c = 0; c < G_N_ELEMENTS (copies); c++)
    memcpy (data + copies[c] * dims, data + 5 * dims, dims * sizeof (float));
  memset (data + 3000 * dims, 0, dims * sizeof (float));
  data[4500 * dims + 1] = NAN;

  set = es_embedding_set_new_from_arrays (rows, dims, (const char * const *) words->pdata, data);
  *data_out = data;

  return set;
}

static void
test_threads_random (void)
{
  const gsize rows = 7000, dims = 20;
  g_autofree float *data = NULL;
  g_autoptr(EsEmbeddingSet) set = make_random_set (rows, dims, &data);
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  double dup[20], mixed[20], far[20];

  g_test_summary ("2 to 5 scanning threads, 1 to 1000 rows a chunk, give bit-identical lists to "
                  "one thread and to the batched path, and the double full sort's, with ties "
                  "spread over the chunks");

  g_assert_false (es_embedding_set_is_row_valid (set, 4500));
  for (gsize j = 0; j < dims; j++)
    {
      dup[j] = data[5 * dims + j];
      mixed[j] = data[17 * dims + j] + 0.3 * data[6000 * dims + j];
      far[j] = 40.0 * g_rand_double_range (rand, -1, 1);
    }

  for (guint m = 0; m < G_N_ELEMENTS (metrics); m++)
    {
      const gsize none[] = { 0 };
      const gsize self[] = { 5 };
      const gsize some_copies[] = { 2500, 5, 6999 };

      /* Ties: row 5 and its four copies score exactly alike, lowest row first. */
      check_query (set, dup, metrics[m], 10, none, 0, 0);
      check_query (set, dup, metrics[m], 3, self, 1, 0);
      check_query (set, dup, metrics[m], 10, some_copies, 3, 0);
      check_query (set, mixed, metrics[m], 1, none, 0, 0);
      check_query (set, mixed, metrics[m], 50, some_copies, 3, 0);
      check_query (set, far, metrics[m], 10, none, 0, 0);
      /* Restricted: only the first 3333 rows are shared out. */
      check_query (set, mixed, metrics[m], 10, self, 1, 3333);
      /* More neighbours asked than rows: every valid row comes back. */
      check_query (set, far, metrics[m], 40, none, 0, 37);
    }

  {
    const gsize self[] = { 5 };
    g_autoptr(GArray) result = search_threads (set, dup, ES_METRIC_COSINE, 4, self, 1, 0, 4, 97);

    g_assert_cmpuint (g_array_index (result, EsNeighbor, 0).row, ==, 999);
    g_assert_cmpuint (g_array_index (result, EsNeighbor, 1).row, ==, 2500);
    g_assert_cmpuint (g_array_index (result, EsNeighbor, 2).row, ==, 4001);
    g_assert_cmpuint (g_array_index (result, EsNeighbor, 3).row, ==, 6999);
    g_assert_cmpfloat_with_epsilon (g_array_index (result, EsNeighbor, 3).score, 1.0, 1e-12);
  }
}

/* A real file: the bundled sample, each of many words as a query, its own
 * word excluded, like most_similar.
 */
static void
test_threads_sample (void)
{
  g_autoptr(EsEmbeddingSet) set = es_test_load_set ("..", "resources", "kjv-hamlet-5k-50d.w2v.txt", NULL);
  gsize rows = es_embedding_set_get_rows (set);
  gsize dims = es_embedding_set_get_dims (set);
  g_autofree double *query = g_new (double, dims);

  g_test_summary ("On the bundled 5k x 50 sample, threaded single queries equal one thread, "
                  "the batched path and a double full sort");

  for (gsize row = 0; row < rows; row += 97)
    {
      const float *v = es_embedding_set_get_vector (set, row);

      for (gsize j = 0; j < dims; j++)
        query[j] = v[j];
      for (guint m = 0; m < G_N_ELEMENTS (metrics); m++)
        check_query (set, query, metrics[m], 10, &row, 1, 0);
    }
}

typedef struct
{
  GCancellable *cancellable;
  gulong        delay_us;
} DelayedCancel;

static gpointer
cancel_thread (gpointer data)
{
  DelayedCancel *d = data;

  g_usleep (d->delay_us);
  g_cancellable_cancel (d->cancellable);

  return NULL;
}

static void
test_threads_cancel (void)
{
  const gsize rows = 300000, dims = 16;
  g_autofree float *data = g_new (float, rows * dims);
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(GArray) full = NULL;
  double query[16];
  guint cancelled = 0;
  double t0, full_us;

  g_test_summary ("Cancelling a threaded scan at random points gives the full list or "
                  "G_IO_ERROR_CANCELLED; a cancelled cancellable stops it before it starts");

  for (gsize i = 0; i < rows; i++)
    {
      g_ptr_array_add (words, g_strdup_printf ("w%" G_GSIZE_FORMAT, i));
      for (gsize j = 0; j < dims; j++)
        data[i * dims + j] = (float) g_test_rand_double_range (-1, 1);
    }
  g_ptr_array_add (words, NULL);
  set = es_embedding_set_new_from_arrays (rows, dims, (const char * const *) words->pdata, data);
  for (gsize j = 0; j < dims; j++)
    query[j] = data[j];

  _es_neighbors_set_threading (2, 0);
  t0 = g_get_monotonic_time ();
  full = es_neighbors_search (set, query, ES_METRIC_COSINE, 10, NULL, 0, 0, NULL, NULL);
  full_us = g_get_monotonic_time () - t0;
  g_assert_nonnull (full);

  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GError) error = NULL;
    GArray *result;

    g_cancellable_cancel (cancellable);
    result = es_neighbors_search (set, query, ES_METRIC_COSINE, 10, NULL, 0, 0, cancellable, &error);
    g_assert_null (result);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }

  for (guint i = 0; i < 30; i++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GError) error = NULL;
      DelayedCancel delayed = { cancellable, (gulong) g_test_rand_double_range (0, full_us * 1.2) };
      GThread *thread = g_thread_new ("canceller", cancel_thread, &delayed);
      GArray *result;

      result = es_neighbors_search (set, query, ES_METRIC_COSINE, 10, NULL, 0, 0, cancellable, &error);
      g_thread_join (thread);
      if (result == NULL)
        {
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
          cancelled++;
        }
      else
        {
          g_assert_no_error (error);
          assert_same (result, full);
          g_array_unref (result);
        }
    }
  _es_neighbors_set_threading (0, 0);

  g_test_message ("%u of 30 runs cancelled (an uncancelled scan takes %.0f us)", cancelled, full_us);
}

static GThread *worker_entered_in;
static guint worker_enter_count;

static void
record_worker_enter (void)
{
  worker_entered_in = g_thread_self ();
  g_atomic_int_inc (&worker_enter_count);
}

static void
neighbors_ready_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GArray **out = user_data;

  *out = es_neighbors_of_expression_finish (result, NULL);
}

static void
test_threads_worker_hook (void)
{
  g_autoptr(EsEmbeddingSet) set = es_test_load_set ("..", "resources", "kjv-hamlet-5k-50d.w2v.txt", NULL);
  g_autoptr(GArray) neighbors = NULL;

  g_test_summary ("An asynchronous query runs the application's worker hook in its own "
                  "thread (the GUI lowers its priority there, and the scan threads inherit it)");

  es_worker_set_init_func (record_worker_enter);
  es_neighbors_of_expression_async (set, "king", ES_METRIC_COSINE, 10, NULL,
                                    neighbors_ready_cb, &neighbors);
  while (neighbors == NULL)
    g_main_context_iteration (NULL, TRUE);
  es_worker_set_init_func (NULL);

  g_assert_cmpuint (neighbors->len, ==, 10);
  g_assert_cmpuint (g_atomic_int_get (&worker_enter_count), ==, 1);
  g_assert_true (worker_entered_in != g_thread_self ());
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/neighbors/threads/random", test_threads_random);
  g_test_add_func ("/engine/neighbors/threads/sample", test_threads_sample);
  g_test_add_func ("/engine/neighbors/threads/cancel", test_threads_cancel);
  g_test_add_func ("/engine/neighbors/threads/worker-hook", test_threads_worker_hook);

  return g_test_run ();
}
