/* es-splat-worker-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A second thread for the point splats, kept for the renderer's life:
 * starting a thread per frame would cost about what it saves.  A job is
 * a function both threads call, each taking parts of the work until none
 * is left; if the worker has not started when the calling thread is done
 * (a busy machine), the job is taken back instead of waited for.
 */
typedef struct _EsSplatWorker EsSplatWorker;

typedef void (*EsSplatJob) (gpointer data);

/* Which threads the splats use; ONE and TWO are test hooks. */
typedef enum
{
  ES_SPLAT_THREADS_AUTO,   /* two threads for enough points */
  ES_SPLAT_THREADS_ONE,
  ES_SPLAT_THREADS_TWO,
} EsSplatThreads;

EsSplatWorker *_es_splat_worker_new       (const char    *name);
void           _es_splat_worker_free      (EsSplatWorker *worker);
gboolean       _es_splat_worker_solo      (EsSplatWorker *worker);
void           _es_splat_worker_run       (EsSplatWorker *worker,
                                           EsSplatJob     job,
                                           gpointer       caller_data,
                                           gpointer       worker_data);
void           _es_splat_worker_end_frame (EsSplatWorker *worker);

G_END_DECLS
