/* es-sparse-util.c: threads, random numbers and huge-page blocks of engine/sparse
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-sparse"

#include "config.h"

#include "es-sparse-private.h"

#include "es-engine-error.h"
#include "es-memory.h"
#include "es-worker.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef __linux__
#include <sys/mman.h>
#endif

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

/* Large buffers are written once, in order: transparent huge pages (where
 * the system gives them on request) save most of the page faults, which
 * cost as much as the counting on a virtual machine.
 */
void
_es_advise_huge_pages (gpointer p,
                       gsize    bytes)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  const guintptr huge = 2u << 20;
  guintptr from = ((guintptr) p + huge - 1) & ~(huge - 1), to = ((guintptr) p + bytes) & ~(huge - 1);

  if (p != NULL && to > from)
    madvise ((void *) from, to - from, MADV_HUGEPAGE);
#endif
}

/* Large blocks aligned to 2 MB and advised, so every page of them can be
 * huge: on a virtual machine a fresh 4 kB page costs about as much to
 * fault in as the counting does to fill it.  From malloc: free with
 * g_free () (free ()), resize with g_realloc ().
 */
gpointer
_es_alloc_huge (guint64      count,
                guint64      size,
                gboolean     zero,
                const char  *what,
                GError     **error)
{
  const guint64 huge = 2u << 20;
  guint64 bytes;
  gpointer p = NULL;

  if (!es_memory_check (count, size, what, &bytes, error))
    return NULL;
  /* From 512 kB up, a whole huge page: 128 faults of 4 kB cost ~2.5 ms
   * here, one 2 MB page ~0.1 ms, for at most 1.5 MB more memory.
   */
  if (bytes < huge / 4)
    return zero ? es_memory_try_alloc0 (count, size, what, error) : es_memory_try_alloc (count, size, what, error);
  bytes = (bytes + huge - 1) & ~(huge - 1);
  if (bytes > G_MAXSIZE || posix_memalign (&p, huge, bytes) != 0)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE, "%s: out of memory", what);
      return NULL;
    }
  _es_advise_huge_pages (p, bytes);
  if (zero)
    memset (p, 0, count * size);
  return p;
}
