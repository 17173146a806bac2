/* es-blas.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * OpenBLAS starts its thread pool when the library loads, and the pool's
 * threads then busy-wait for work (sched_yield) for about 0.1 s before
 * they sleep: every embedscope process paid a tenth of a second of a
 * core at start, while its own loader threads wanted both cores.  The
 * pool can be ended before anything uses it; OpenBLAS starts it again on
 * the first call that needs threads (as it does after a fork), so only
 * the idle spin at start goes away.  The variable OPENBLAS_THREAD_TIMEOUT
 * would shorten it too, but it is read when the library loads, before
 * main().
 */

#define G_LOG_DOMAIN "es-engine"

#include "config.h"

#include <dlfcn.h>

#include "es-blas.h"

/**
 * es_blas_settle:
 *
 * Stops OpenBLAS's idle thread pool.  Call it at the start of main(),
 * before any thread uses BLAS: ending the pool under a running BLAS call
 * is not safe.  Looked up at run time, so another BLAS (or an OpenBLAS
 * built without its own threads) just makes this a no-op.
 *
 * Returns: whether there was a pool to stop
 */
gboolean
es_blas_settle (void)
{
  int (*shutdown) (void) = (int (*) (void)) dlsym (RTLD_DEFAULT, "blas_thread_shutdown_");

  if (shutdown == NULL)
    return FALSE;

  return shutdown () == 0;
}
