/* es-job.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define ES_TYPE_JOB (es_job_get_type ())

G_DECLARE_FINAL_TYPE (EsJob, es_job, ES, JOB, GObject)

/* One background operation as the UI sees it: a title, a cancellable, and
 * progress (fraction, message) that any thread may report.  Reports are
 * coalesced: the main thread gets at most one notify per idle.
 */
EsJob        *es_job_new              (const char *title);
const char   *es_job_get_title        (EsJob      *self);
GCancellable *es_job_get_cancellable  (EsJob      *self);
void          es_job_cancel           (EsJob      *self);
double        es_job_get_fraction     (EsJob      *self);
char         *es_job_dup_message      (EsJob      *self);
/* Thread-safe. */
void          es_job_update           (EsJob      *self,
                                       double      fraction,
                                       const char *message);
/* An EsProgressFunc for the engine, with the job as user data. */
void          es_job_progress_cb      (double      fraction,
                                       gpointer    user_data);

G_END_DECLS
