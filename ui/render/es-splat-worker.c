/* es-splat-worker.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-splat-worker"

#include "config.h"

#include "es-splat-worker-private.h"

struct _EsSplatWorker
{
  GThread    *thread;
  GMutex      lock;
  GCond       cond;
  EsSplatJob  job;
  gpointer    data;
  gboolean    pending;
  gboolean    running;
  gboolean    quit;
  gint64      started;     /* when the worker took the job, 0 if not */
  /* Calling thread only: this frame's time alone and the worker's delays
   * in starting; frames to draw alone after the worker started late a
   * few frames in a row (its core busy with other work).
   */
  gint64      frame_alone;
  gint64      frame_delay;
  int         solo_frames;
  int         late_frames;
};

static gpointer
worker_main (gpointer user_data)
{
  EsSplatWorker *w = user_data;

  g_mutex_lock (&w->lock);
  for (;;)
    {
      EsSplatJob job;
      gpointer data;

      while (!w->quit && !w->pending)
        g_cond_wait (&w->cond, &w->lock);
      if (w->quit)
        break;
      w->pending = FALSE;
      w->running = TRUE;
      w->started = g_get_monotonic_time ();
      job = w->job;
      data = w->data;
      g_mutex_unlock (&w->lock);
      job (data);
      g_mutex_lock (&w->lock);
      w->running = FALSE;
      g_cond_broadcast (&w->cond);
    }
  g_mutex_unlock (&w->lock);

  return NULL;
}

/* NULL if no thread can be started: the caller then draws alone. */
EsSplatWorker *
_es_splat_worker_new (const char *name)
{
  EsSplatWorker *w = g_new0 (EsSplatWorker, 1);
  g_autoptr(GError) error = NULL;

  g_mutex_init (&w->lock);
  g_cond_init (&w->cond);
  w->thread = g_thread_try_new (name, worker_main, w, &error);
  if (w->thread == NULL)
    {
      g_debug ("No splat thread, drawing on one: %s", error->message);
      g_mutex_clear (&w->lock);
      g_cond_clear (&w->cond);
      g_free (w);
      return NULL;
    }

  return w;
}

void
_es_splat_worker_free (EsSplatWorker *w)
{
  if (w == NULL)
    return;

  g_mutex_lock (&w->lock);
  w->quit = TRUE;
  g_cond_broadcast (&w->cond);
  g_mutex_unlock (&w->lock);
  g_thread_join (w->thread);
  g_mutex_clear (&w->lock);
  g_cond_clear (&w->cond);
  g_free (w);
}

/* TRUE while backing off after late frames: this frame is drawn alone. */
gboolean
_es_splat_worker_solo (EsSplatWorker *w)
{
  if (w->solo_frames <= 0)
    return FALSE;
  w->solo_frames--;

  return TRUE;
}

/* Runs @job (@caller_data) here and @job (@worker_data) on the worker,
 * returning when both are done or the worker's call was taken back.
 */
void
_es_splat_worker_run (EsSplatWorker *w,
                      EsSplatJob     job,
                      gpointer       caller_data,
                      gpointer       worker_data)
{
  gint64 start = g_get_monotonic_time (), alone;

  g_mutex_lock (&w->lock);
  w->job = job;
  w->data = worker_data;
  w->started = 0;
  w->pending = TRUE;
  g_cond_broadcast (&w->cond);
  g_mutex_unlock (&w->lock);

  job (caller_data);

  /* No part left: cancel the job if the worker has not picked it up,
   * else wait for its last part.
   */
  alone = g_get_monotonic_time ();
  g_mutex_lock (&w->lock);
  w->pending = FALSE;
  while (w->running)
    g_cond_wait (&w->cond, &w->lock);
  w->job = NULL;
  w->data = NULL;
  w->frame_alone += alone - start;
  w->frame_delay += (w->started != 0 ? w->started : alone) - start;
  g_mutex_unlock (&w->lock);
}

/* After the jobs of a frame.  A worker that starts late costs more than it
 * saves: after a few frames in a row where it started after a quarter of
 * the time this thread worked alone, draw alone for a while, then retry.
 * (A worker that started in time but took longer is still a gain.)
 */
void
_es_splat_worker_end_frame (EsSplatWorker *w)
{
  if (w->frame_delay > w->frame_alone / 4)
    w->late_frames++;
  else
    w->late_frames = 0;
  if (w->late_frames >= 3)
    {
      w->late_frames = 0;
      w->solo_frames = 60;
    }
  w->frame_alone = 0;
  w->frame_delay = 0;
}
