/* es-worker.c: the worker-thread hook
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-worker"

#include "config.h"

#include "es-worker.h"

static EsWorkerInitFunc init_func;

void
es_worker_set_init_func (EsWorkerInitFunc func)
{
  g_atomic_pointer_set (&init_func, func);
}

void
es_worker_enter (void)
{
  EsWorkerInitFunc func = g_atomic_pointer_get (&init_func);

  if (func != NULL)
    func ();
}
