/* es-prefault.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Faults in a freshly allocated result matrix from a second thread.  On a
 * new anonymous mapping most of a binary load is the kernel clearing pages
 * on first touch (on a virtual machine, more so); a reader that only
 * copies rows can hand that to the other core.  The helper works from the
 * end of the range backwards while the reader writes from the start, and
 * stops when the two meet, so neither waits for the other.
 *
 * MADV_POPULATE_WRITE maps pages writable without writing to them, so it
 * never races with the reader's stores (contents are untouched); a kernel
 * without it (before 5.14) refuses the call and the helper just ends.
 * The result is therefore the same with or without it: this is only about
 * who pays for the page faults.
 */

#define G_LOG_DOMAIN "es-loader"

#include "config.h"

#include <sys/mman.h>
#include <unistd.h>

#include "es-loader-private.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

/* Large enough to amortise the call, small enough to stop soon. */
#define CHUNK_BYTES (2u << 20)

struct _EsPrefault
{
  guintptr  start;     /* page-aligned bounds of the range */
  guintptr  end;
  gsize     front;     /* the reader's position (bytes from start), atomic */
  gint      stop_requested;
  GThread  *thread;
};

static gpointer
prefault_thread (gpointer data)
{
  EsPrefault *self = data;
  guintptr top = self->end;

  while (top > self->start && !g_atomic_int_get (&self->stop_requested))
    {
      guintptr bottom = top - MIN (top - self->start, (guintptr) CHUNK_BYTES);
      guintptr front = self->start + (gsize) g_atomic_pointer_get (&self->front);

      /* The reader got here first: the rest is faulted in already. */
      if (bottom <= front)
        break;
      if (madvise ((void *) bottom, top - bottom, MADV_POPULATE_WRITE) != 0)
        break;
      top = bottom;
    }

  return NULL;
}

/* NULL when not worth it (small ranges, one processor) or no thread. */
EsPrefault *
_es_prefault_start (void  *base,
                    gsize  bytes)
{
  gsize page_size = (gsize) sysconf (_SC_PAGESIZE);
  EsPrefault *self;

  if (!_es_load_use_two_threads (bytes) || page_size == 0)
    return NULL;

  self = g_new0 (EsPrefault, 1);
  self->start = ((guintptr) base + page_size - 1) & ~(guintptr) (page_size - 1);
  self->end = ((guintptr) base + bytes) & ~(guintptr) (page_size - 1);
  if (self->end <= self->start)
    {
      g_free (self);
      return NULL;
    }
  self->thread = g_thread_try_new ("es-loader-prefault", prefault_thread, self, NULL);
  if (self->thread == NULL)
    {
      g_free (self);
      return NULL;
    }

  return self;
}

/* The reader has written up to @offset bytes from the start of the range. */
void
_es_prefault_set_front (EsPrefault *self,
                        gsize       offset)
{
  if (self != NULL)
    g_atomic_pointer_set (&self->front, offset);
}

void
_es_prefault_finish (EsPrefault *self)
{
  if (self == NULL)
    return;

  g_atomic_int_set (&self->stop_requested, 1);
  g_thread_join (self->thread);
  g_free (self);
}
