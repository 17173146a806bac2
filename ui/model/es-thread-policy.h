/* es-thread-policy.h: the GUI's background threads yield to its main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The nice value of loading, reducing and indexing threads in the GUI.
 * 4 gives the main thread about 2.5 times a worker's share of a core (CFS
 * weights 1024 : 423), enough to keep frames coming; 10 (weight 110) also
 * gave every other process on the machine ten times the workers' share:
 * beside one busy process a load took 3 times as long as the CLI's
 * (issue 11), and under a loaded CI the UI smoke test never finished.
 */
#define ES_THREAD_POLICY_BACKGROUND_NICE 4

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
