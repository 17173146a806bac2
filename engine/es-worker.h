/* es-worker.h: a hook run at the start of every engine worker thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The engine has no policy about its threads; an application may have one
 * (the GUI lowers their priority so its main thread keeps drawing frames).
 * @func runs in the worker thread before any work, in the loader's and the
 * reduction's threads; threads they start inherit what it sets.  NULL, the
 * default, does nothing.
 */
typedef void (*EsWorkerInitFunc) (void);

void es_worker_set_init_func (EsWorkerInitFunc func);
/* For the engine's own thread functions. */
void es_worker_enter         (void);

G_END_DECLS
