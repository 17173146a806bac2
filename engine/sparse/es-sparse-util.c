/* es-sparse-util.c: threads and random numbers of engine/sparse
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-sparse"

#include "config.h"

#include "es-sparse-private.h"

#include "es-memory.h"
#include "es-worker.h"

#include <math.h>
#include <string.h>

static guint forced_threads;

void
_es_sparse_set_n_threads (guint n)
{
  forced_threads = n;
}

guint
_es_sparse_n_threads (void)
{
  if (forced_threads > 0)
    return forced_threads;
  return CLAMP (g_get_num_processors (), 1, 2);
}

typedef struct
{
  EsSparseTask func;
  gpointer     data;
  guint        index;
} TaskCall;

static gpointer
task_thread (gpointer data)
{
  TaskCall *call = data;

  es_worker_enter ();
  call->func (call->index, call->data);
  return NULL;
}

/* Index i runs in thread i % n_threads, in increasing order; callers make
 * each index's result independent of which thread ran it.
 */
void
_es_sparse_run_parallel (guint        n,
                         EsSparseTask func,
                         gpointer     data)
{
  guint threads = MIN (n, _es_sparse_n_threads ());

  if (threads <= 1)
    {
      for (guint i = 0; i < n; i++)
        func (i, data);
      return;
    }

  for (guint base = 0; base < n; base += threads)
    {
      GThread *workers[8];
      TaskCall calls[8];
      guint m = MIN (threads, n - base);

      for (guint t = 1; t < m; t++)
        {
          calls[t] = (TaskCall) { func, data, base + t };
          workers[t] = g_thread_new ("es-sparse", task_thread, &calls[t]);
        }
      func (base, data);
      for (guint t = 1; t < m; t++)
        g_thread_join (workers[t]);
    }
}

double
_es_sparse_rand_normal (guint64 *state)
{
  /* Box–Muller on two 53-bit uniforms in (0, 1]. */
  double u1 = ((_es_sparse_rand_next (state) >> 11) + 1.0) / 9007199254740992.0;
  double u2 = (_es_sparse_rand_next (state) >> 11) / 9007199254740992.0;

  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}
