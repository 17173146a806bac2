/* es-map-guard.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A file mapping whose file is truncated by another process raises SIGBUS
 * on the next read of a page past the new end, in whichever thread reads
 * it (the parser, the text worker, the gzip pipe).  Rather than guard
 * every read with sigsetjmp, a process-wide SIGBUS handler looks up the
 * faulting address among the mappings being loaded: when it is one of
 * them, the page is replaced by a zero page (readers then see zeros, which
 * parse as whatever they parse as), the guard is marked, and the read
 * resumes.  The loader checks the mark when it is done and reports "FILE
 * changed while it was being read" instead of its result.  A fault
 * anywhere else is not ours: the previous handler is restored and the
 * fault repeats with it.
 */

#define G_LOG_DOMAIN "es-loader"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "es-loader-private.h"

#define N_GUARDS 64

static EsMapGuard *guards[N_GUARDS];
static struct sigaction previous_action;
static guintptr page_mask;

static void
sigbus_handler (int        signum,
                siginfo_t *info,
                void      *context)
{
  guintptr addr = (guintptr) info->si_addr;

  for (guint i = 0; i < N_GUARDS; i++)
    {
      EsMapGuard *guard = g_atomic_pointer_get (&guards[i]);

      if (guard != NULL && addr >= (guintptr) guard->start &&
          addr < (guintptr) guard->start + guard->len)
        {
          void *page = (void *) (addr & page_mask);

          /* mmap is a plain system call: safe here in practice. */
          if (mmap (page, page_mask ? ~page_mask + 1 : 4096, PROT_READ,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
            break;
          g_atomic_int_set (&guard->tripped, 1);
          return;
        }
    }

  /* Not a mapping being loaded: the fault repeats with the old handler. */
  sigaction (SIGBUS, &previous_action, NULL);
}

static gpointer
install_handler (gpointer data)
{
  struct sigaction action;

  page_mask = ~((guintptr) sysconf (_SC_PAGESIZE) - 1);
  memset (&action, 0, sizeof action);
  action.sa_sigaction = sigbus_handler;
  action.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigemptyset (&action.sa_mask);
  sigaction (SIGBUS, &action, &previous_action);

  return NULL;
}

/* Guards [start, start + len) until _es_map_guard_remove (); @guard lives
 * as long.  FALSE when every slot is taken (64 loads at once): the load
 * then goes on unguarded.
 */
gboolean
_es_map_guard_add (EsMapGuard *guard,
                   const void *start,
                   gsize       len)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, install_handler, NULL);
  guard->start = start;
  guard->len = len;
  guard->tripped = 0;
  for (guint i = 0; i < N_GUARDS; i++)
    if (g_atomic_pointer_compare_and_exchange (&guards[i], NULL, guard))
      return TRUE;

  return FALSE;
}

void
_es_map_guard_remove (EsMapGuard *guard)
{
  for (guint i = 0; i < N_GUARDS; i++)
    g_atomic_pointer_compare_and_exchange (&guards[i], guard, NULL);
}

gboolean
_es_map_guard_tripped (EsMapGuard *guard)
{
  return g_atomic_int_get (&guard->tripped) != 0;
}
