/* es-thread-policy.h: the GUI's background threads yield to its main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The nice value of loading, reducing and indexing threads in the GUI. */
#define ES_THREAD_POLICY_BACKGROUND_NICE 10

/* Call once from the main thread before GTK starts: makes every engine
 * worker thread lower itself (es_worker_set_init_func), and lowers the
 * threads that already exist other than the caller.  OpenBLAS starts its
 * pool on the first BLAS call, from a reduction worker, so its threads
 * inherit the lower priority.  The CLI does not call it.
 */
void     es_thread_policy_install       (void);
/* Lowers the calling thread's priority; never raises it. */
void     es_thread_policy_lower_current (void);

G_END_DECLS
