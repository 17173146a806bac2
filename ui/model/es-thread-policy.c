/* es-thread-policy.c: background threads at a lower priority (Linux)
 *
 * Two cores, a loader that uses both and an OpenBLAS pool that uses all of
 * them: without this, the main thread waits for a core and frames drop
 * while a big file loads.  Linux nice values are per thread and threads
 * inherit them from the thread that creates them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-thread-policy"

#include "config.h"

#include "es-thread-policy.h"

#include <errno.h>
#include <stdlib.h>

#ifdef __linux__
# include <sys/resource.h>
# include <sys/syscall.h>
# include <unistd.h>
#endif

#include "es-worker.h"

#ifdef __linux__
static void
lower_thread (pid_t tid)
{
  int current;

  errno = 0;
  current = getpriority (PRIO_PROCESS, (id_t) tid);
  if (errno != 0 || current >= ES_THREAD_POLICY_BACKGROUND_NICE)
    return;
  if (setpriority (PRIO_PROCESS, (id_t) tid, ES_THREAD_POLICY_BACKGROUND_NICE) != 0)
    g_debug ("thread %d keeps its priority: %s", (int) tid, g_strerror (errno));
}
#endif

void
es_thread_policy_lower_current (void)
{
#ifdef __linux__
  lower_thread ((pid_t) syscall (SYS_gettid));
#endif
}

void
es_thread_policy_install (void)
{
#ifdef __linux__
  pid_t self = (pid_t) syscall (SYS_gettid);
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *name;

  /* Before GTK: its renderer threads must keep their priority.  A BLAS
   * pool started by a library constructor would be lowered here.
   */
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      pid_t tid = (pid_t) strtol (name, NULL, 10);

      if (tid > 0 && tid != self)
        lower_thread (tid);
    }
#endif
  es_worker_set_init_func (es_thread_policy_lower_current);
}
