/* test-thread-policy.c: the GUI's workers yield to its main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-thread-policy"

#include "config.h"

#include <glib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "es-loader.h"
#include "es-projection.h"
#include "es-thread-policy.h"

static int
current_nice (void)
{
  return getpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid));
}

typedef struct
{
  GMutex   mutex;
  int      min_nice;
  int      max_nice;
  guint    calls;
  gboolean done;
  gpointer result;
} Seen;

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  Seen *seen = user_data;
  int nice = current_nice ();

  g_mutex_lock (&seen->mutex);
  seen->min_nice = MIN (seen->min_nice, nice);
  seen->max_nice = MAX (seen->max_nice, nice);
  seen->calls++;
  g_mutex_unlock (&seen->mutex);
}

static void
load_ready_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Seen *seen = user_data;

  seen->result = es_loader_load_path_finish (result, NULL);
  seen->done = TRUE;
}

static void
projection_ready_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Seen *seen = user_data;

  seen->result = es_projection_compute_finish (result, NULL);
  seen->done = TRUE;
}

static void
test_thread_policy_workers (void)
{
  g_autofree char *sample = g_test_build_filename (G_TEST_DIST, "..", "resources",
                                                   "kjv-hamlet-5k-50d.w2v.txt", NULL);
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(EsProjection) projection = NULL;
  EsProjectionOptions options;
  Seen seen = { .min_nice = 100, .max_nice = -100 };

  g_test_summary ("Once installed, the loader's and the reduction's worker threads run at "
                  "nice 10 and the main thread keeps its priority");

  if (current_nice () >= ES_THREAD_POLICY_BACKGROUND_NICE)
    {
      g_test_skip ("the test itself already runs at nice 10 or more");
      return;
    }
  g_mutex_init (&seen.mutex);
  es_thread_policy_install ();

  es_loader_load_path_async (sample, NULL, NULL, progress_cb, &seen, load_ready_cb, &seen);
  while (!seen.done)
    g_main_context_iteration (NULL, TRUE);
  set = seen.result;
  g_assert_nonnull (set);
  g_assert_cmpuint (seen.calls, >, 0);
  g_assert_cmpint (seen.min_nice, ==, ES_THREAD_POLICY_BACKGROUND_NICE);
  g_assert_cmpint (seen.max_nice, ==, ES_THREAD_POLICY_BACKGROUND_NICE);

  seen.done = FALSE;
  seen.calls = 0;
  seen.min_nice = 100;
  seen.max_nice = -100;
  es_projection_options_init (&options);
  es_projection_compute_async (set, &options, NULL, progress_cb, &seen, projection_ready_cb, &seen);
  while (!seen.done)
    g_main_context_iteration (NULL, TRUE);
  projection = seen.result;
  g_assert_nonnull (projection);
  g_assert_cmpuint (seen.calls, >, 0);
  g_assert_cmpint (seen.min_nice, ==, ES_THREAD_POLICY_BACKGROUND_NICE);

  /* The main thread is not a worker. */
  g_assert_cmpint (current_nice (), <, ES_THREAD_POLICY_BACKGROUND_NICE);
  g_mutex_clear (&seen.mutex);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ui/thread-policy/workers", test_thread_policy_workers);

  return g_test_run ();
}
