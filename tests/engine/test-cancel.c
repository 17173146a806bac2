/* test-cancel.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Cancelling a load or a PCA at random points of real files: every run
 * ends in the full result or G_IO_ERROR_CANCELLED, never anything else.
 * That nothing leaks on the way out is checked by the AddressSanitizer
 * build of .ci/run (leak detection is on for this suite).  The seed of
 * the random points is the test seed: rerun with --seed to reproduce.
 */

#define G_LOG_DOMAIN "test-cancel"

#include "config.h"

#include "es-engine.h"
#include "es-loader-private.h"

typedef struct
{
  const char *name;
  const char *path[4];    /* below G_TEST_DIST */
  gsize       split_min;  /* force the second reader thread; 0 = default */
  gsize       gzip_window; /* gzip text: stream through small blocks; 0 = default */
} LoadCase;

static const LoadCase load_cases[] = {
  { "text", { "..", "resources", "kjv-hamlet-5k-50d.w2v.txt", NULL }, 0 },
  { "text-two-threads", { "..", "resources", "kjv-hamlet-5k-50d.w2v.txt", NULL }, 64 << 10 },
  { "gzip", { "data", "gz", "lee_fasttext.vec.gz", NULL }, 0 },
  { "binary", { "data", "gensim", "euclidean_vectors.bin", NULL }, 0 },
  { "binary-two-threads", { "data", "gensim", "euclidean_vectors.bin", NULL }, 1 },
  { "gzip-stream", { "data", "gz", "lee_fasttext.vec.gz", NULL }, 0, 4096 },
};

/* How a run is cancelled: from the progress callback after a number of
 * calls (exact points between stages), or from another thread after a
 * delay (any point, also inside the second reader thread).
 */
typedef struct
{
  GCancellable *cancellable;
  guint         calls;
  guint         cancel_at;    /* 0 = never from the callback */
  gboolean      finished;     /* set by an async completion callback */
} Canceller;

typedef struct
{
  GCancellable *cancellable;
  gulong        delay_us;
} DelayedCancel;

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  Canceller *c = user_data;

  /* A worker still running after its task completed was abandoned. */
  g_assert_false (c->finished);
  g_assert_cmpfloat (fraction, >=, 0.0);
  g_assert_cmpfloat (fraction, <=, 1.0);
  if (++c->calls == c->cancel_at)
    g_cancellable_cancel (c->cancellable);
}

static gpointer
delayed_cancel_thread (gpointer data)
{
  DelayedCancel *d = data;

  g_usleep (d->delay_us);
  g_cancellable_cancel (d->cancellable);

  return NULL;
}

/* Runs @run_once @iterations times with random cancel points; returns how
 * many runs were cancelled.  @full_calls and @full_us describe an
 * uncancelled run.
 */
typedef gboolean (*RunFunc) (gpointer      data,
                             Canceller    *canceller,
                             GError      **error);

static guint
run_randomly (RunFunc  run_once,
              gpointer data,
              guint    iterations,
              guint    full_calls,
              gint64   full_us)
{
  guint cancelled = 0;

  for (guint i = 0; i < iterations; i++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GError) error = NULL;
      Canceller canceller = { cancellable, 0, 0, FALSE };
      DelayedCancel delayed = { cancellable, 0 };
      GThread *thread = NULL;
      gboolean ok;

      if (i % 2 == 0)
        canceller.cancel_at = g_test_rand_int_range (1, full_calls + 1);
      else
        {
          delayed.delay_us = g_test_rand_int_range (0, (gint32) MIN (full_us + 1, G_MAXINT32));
          thread = g_thread_new ("canceller", delayed_cancel_thread, &delayed);
        }

      ok = run_once (data, &canceller, &error);
      if (thread != NULL)
        g_thread_join (thread);

      if (ok)
        g_assert_no_error (error);
      else
        {
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
          cancelled++;
        }
    }

  return cancelled;
}

typedef struct
{
  char  *path;
  gsize  rows;
  gsize  dims;
} LoadRun;

static gboolean
load_once (gpointer    data,
           Canceller  *canceller,
           GError    **error)
{
  LoadRun *run = data;
  g_autoptr(EsEmbeddingSet) set = NULL;

  set = es_loader_load_path (run->path, NULL, canceller->cancellable,
                             progress_cb, canceller, error);
  if (set == NULL)
    return FALSE;

  /* A run that raced with the cancel and won is the whole file. */
  g_assert_cmpuint (es_embedding_set_get_rows (set), ==, run->rows);
  g_assert_cmpuint (es_embedding_set_get_dims (set), ==, run->dims);

  return TRUE;
}

static void
test_cancel_load (gconstpointer data)
{
  const LoadCase *c = data;
  g_autoptr(EsEmbeddingSet) full = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Canceller counter = { NULL, 0, 0, FALSE };
  LoadRun run = { NULL, 0, 0 };
  gint64 start;
  guint iterations = g_test_thorough () ? 200 : 40;
  guint cancelled;

  g_test_summary ("Cancelling a load at random points ends in the whole set or "
                  "G_IO_ERROR_CANCELLED; ASan checks that everything was freed");

  run.path = g_test_build_filename (G_TEST_DIST, c->path[0], c->path[1], c->path[2], c->path[3],
                                   NULL);
  if (c->split_min > 0)
    _es_text_reader_set_split_min (c->split_min);
  if (c->gzip_window > 0)
    _es_load_set_gzip_window (c->gzip_window);
  if (c->split_min > 0 && g_get_num_processors () < 2)
    g_test_message ("one processor: the two-thread path runs only when forced, as here");

  start = g_get_monotonic_time ();
  full = es_loader_load_path (run.path, NULL, NULL, progress_cb, &counter, &error);
  g_assert_no_error (error);
  run.rows = es_embedding_set_get_rows (full);
  run.dims = es_embedding_set_get_dims (full);
  g_assert_cmpuint (counter.calls, >=, 1);

  /* Cancelled before it starts: nothing is read. */
  g_cancellable_cancel (cancellable);
  g_assert_null (es_loader_load_path (run.path, NULL, cancellable, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  cancelled = run_randomly (load_once, &run, iterations, counter.calls,
                            g_get_monotonic_time () - start);
  g_test_message ("%s: %u of %u runs cancelled (%u progress calls in a full run)",
                  c->name, cancelled, iterations, counter.calls);
  /* Cancelling at the first progress call always stops the load. */
  g_assert_cmpuint (cancelled, >, 0);

  _es_text_reader_set_split_min (16u << 20);
  _es_load_set_gzip_window (0);
  g_free (run.path);
}

typedef struct
{
  EsEmbeddingSet *set;
  EsProjection   *full;
} PcaRun;

static gboolean
pca_once (gpointer    data,
          Canceller  *canceller,
          GError    **error)
{
  PcaRun *run = data;
  EsProjectionOptions options;
  g_autoptr(EsProjection) projection = NULL;
  guint n;

  es_projection_options_init (&options);
  options.n_components = 3;
  projection = es_projection_compute (run->set, &options, canceller->cancellable,
                                      progress_cb, canceller, error);
  if (projection == NULL)
    return FALSE;

  g_assert_cmpfloat_with_epsilon (es_projection_get_eigenvalues (projection, &n)[0],
                                  es_projection_get_eigenvalues (run->full, &n)[0], 1e-9);

  return TRUE;
}

static void
test_cancel_pca (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "resources",
                                                 "kjv-hamlet-5k-50d.w2v.txt", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(EsProjection) full = NULL;
  Canceller counter = { NULL, 0, 0, FALSE };
  EsProjectionOptions options;
  PcaRun run;
  gint64 start;
  guint iterations = g_test_thorough () ? 200 : 40;
  guint cancelled;

  g_test_summary ("Cancelling a PCA at random points ends in the full result or "
                  "G_IO_ERROR_CANCELLED; ASan checks that everything was freed");

  set = es_loader_load_path (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  es_projection_options_init (&options);
  options.n_components = 3;
  start = g_get_monotonic_time ();
  full = es_projection_compute (set, &options, NULL, progress_cb, &counter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (counter.calls, >=, 2);

  run.set = set;
  run.full = full;
  cancelled = run_randomly (pca_once, &run, iterations, counter.calls,
                            g_get_monotonic_time () - start);
  g_test_message ("PCA: %u of %u runs cancelled (%u progress calls in a full run)",
                  cancelled, iterations, counter.calls);
  g_assert_cmpuint (cancelled, >, 0);
}

/* Async: the completion callback comes only after the worker returned,
 * so no progress may follow it (a return-on-cancel task would abandon a
 * thread that still holds the file and the half-built matrix).
 */
typedef struct
{
  Canceller  canceller;
  gboolean   done;
  GError    *error;
  gpointer   result;
} AsyncRun;

static void
load_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  AsyncRun *run = user_data;

  run->canceller.finished = TRUE;
  run->result = es_loader_load_path_finish (result, &run->error);
  run->done = TRUE;
}

static void
pca_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  AsyncRun *run = user_data;

  run->canceller.finished = TRUE;
  run->result = es_projection_compute_finish (result, &run->error);
  run->done = TRUE;
}

static gboolean
cancel_timeout_cb (gpointer data)
{
  g_cancellable_cancel (data);

  return G_SOURCE_REMOVE;
}

static void
test_cancel_async (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "resources",
                                                 "kjv-hamlet-5k-50d.w2v.txt", NULL);
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(GError) error = NULL;
  guint iterations = g_test_thorough () ? 100 : 20;
  guint cancelled = 0;

  g_test_summary ("Cancelled async loads and PCAs complete only after their worker "
                  "returned, with the result or G_IO_ERROR_CANCELLED");

  set = es_loader_load_path (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < iterations; i++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      AsyncRun run = { { cancellable, 0, 0, FALSE }, FALSE, NULL, NULL };
      gboolean pca = i % 2 == 1;
      guint source;

      source = g_timeout_add (g_test_rand_int_range (0, 30), cancel_timeout_cb, cancellable);
      if (pca)
        {
          EsProjectionOptions options;

          es_projection_options_init (&options);
          es_projection_compute_async (set, &options, cancellable, progress_cb, &run.canceller,
                                       pca_done_cb, &run);
        }
      else
        es_loader_load_path_async (path, NULL, cancellable, progress_cb, &run.canceller,
                                   load_done_cb, &run);

      while (!run.done)
        g_main_context_iteration (NULL, TRUE);
      if (!g_cancellable_is_cancelled (cancellable))
        g_source_remove (source);

      if (run.result == NULL)
        {
          g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
          g_clear_error (&run.error);
          cancelled++;
        }
      else if (pca)
        es_projection_unref (run.result);
      else
        es_embedding_set_unref (run.result);
    }

  g_test_message ("async: %u of %u runs cancelled", cancelled, iterations);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* A poll every 16 KB: many cancel points even in a 130 KB file. */
  _es_load_set_poll_bytes (16 << 10);

  for (guint i = 0; i < G_N_ELEMENTS (load_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/engine/cancel/load/%s", load_cases[i].name);

      g_test_add_data_func (name, &load_cases[i], test_cancel_load);
    }
  g_test_add_func ("/engine/cancel/pca", test_cancel_pca);
  g_test_add_func ("/engine/cancel/async", test_cancel_async);

  return g_test_run ();
}
