/* es-prefault.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Page faults of a copying reader, taken by a second thread.  On a new
 * anonymous mapping most of a binary load is the kernel clearing pages on
 * first touch (on a virtual machine, more so), and mapping the input
 * costs faults too; a reader that only copies rows can hand both to the
 * other core.  The helper maps the input a little ahead of the reader
 * (MADV_POPULATE_READ, at most LEAD_BYTES ahead so the mapping does not
 * grow resident), gives back the input pages the reader is done with
 * (when it may, see EsLoadContext.release_consumed), and faults in the
 * matrix from its end backwards while the reader writes from the start,
 * until the two meet.
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

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif

/* Large enough to amortise the call, small enough to stop soon. */
#define CHUNK_BYTES (2u << 20)
#define INPUT_CHUNK_BYTES (1u << 20)
#define LEAD_BYTES (4u << 20)
#define AHEAD_BYTES (1u << 20)

struct _EsPrefault
{
  guintptr  start;     /* page-aligned bounds of the matrix */
  guintptr  end;
  guintptr  top;       /* the helper has mapped [top, end), atomic */
  guintptr  input;     /* page-aligned bounds of the input, or 0 */
  guintptr  input_end;
  gsize     front;     /* the reader's matrix offset, atomic */
  gsize     input_front; /* the reader's input offset, atomic */
  gboolean  release;   /* drop input pages behind the reader */
  gint      stop_requested;
  GThread  *thread;
};

static gpointer
prefault_thread (gpointer data)
{
  EsPrefault *self = data;
  guintptr top = self->end;
  guintptr mapped = self->input;
  guintptr released = self->input;
  gsize page_size = (gsize) sysconf (_SC_PAGESIZE);

  while (!g_atomic_int_get (&self->stop_requested))
    {
      guintptr bottom = top - MIN (top - self->start, (guintptr) CHUNK_BYTES);
      guintptr front = self->start + (gsize) g_atomic_pointer_get (&self->front);
      guintptr reader = self->input + (gsize) g_atomic_pointer_get (&self->input_front);

      /* Behind the reader: MADV_DONTNEED would cost it as much as the
       * faults (page tables and TLB entries to drop).
       */
      if (self->release && reader >= released + INPUT_CHUNK_BYTES)
        {
          guintptr until = reader & ~(guintptr) (page_size - 1);

          _es_release_pages ((const void *) released, (const void *) until);
          released = until;
          continue;
        }

      /* The input first, a little ahead of the reader. */
      mapped = MAX (mapped, reader & ~(guintptr) (page_size - 1));
      if (mapped < self->input_end && mapped < reader + LEAD_BYTES)
        {
          guintptr until = mapped + MIN (self->input_end - mapped, (guintptr) INPUT_CHUNK_BYTES);

          if (madvise ((void *) mapped, until - mapped, MADV_POPULATE_READ) != 0)
            self->input_end = mapped;   /* not supported: leave it to the reader */
          mapped = until;
          continue;
        }

      /* Then the matrix, until the reader got there first. */
      if (top > self->start && bottom > front)
        {
          if (madvise ((void *) bottom, top - bottom, MADV_POPULATE_WRITE) != 0)
            top = self->start;
          else
            top = bottom;
          g_atomic_pointer_set (&self->top, top);
          continue;
        }

      /* Both done, or waiting for the reader to move on. */
      if (mapped >= self->input_end && !self->release)
        break;
      g_usleep (200);
    }

  return NULL;
}

/* NULL when not worth it (small ranges, one processor) or no thread.
 * @input may be NULL; with @release_input, the helper gives back input
 * pages behind the reader, and the reader must not.
 */
EsPrefault *
_es_prefault_start (void       *base,
                    gsize       bytes,
                    const char *input,
                    gsize       input_len,
                    gboolean    release_input)
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
  self->top = self->end;
  if (input != NULL)
    {
      self->input = (guintptr) input & ~(guintptr) (page_size - 1);
      self->input_end = (guintptr) input + input_len;
      self->release = release_input;
    }
  self->thread = g_thread_try_new ("es-loader-prefault", prefault_thread, self, NULL);
  if (self->thread == NULL)
    {
      g_free (self);
      return NULL;
    }

  return self;
}

/* The reader has written up to @offset bytes of the matrix and read up
 * to @input_offset bytes of the input.
 */
void
_es_prefault_set_front (EsPrefault *self,
                        gsize       offset,
                        gsize       input_offset)
{
  if (self == NULL)
    return;

  g_atomic_pointer_set (&self->front, offset);
  g_atomic_pointer_set (&self->input_front, input_offset);
}

/* Bytes from the matrix start up to where the helper has mapped it. */
gsize
_es_prefault_get_top (EsPrefault *self)
{
  return (guintptr) g_atomic_pointer_get (&self->top) - self->start;
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

/* A writer that fills a fresh mapping in order maps it a little ahead
 * of itself: MADV_POPULATE_WRITE over AHEAD_BYTES costs a fraction of
 * taking one fault per page (about 0.19 s against 0.31 s for 480 MB
 * here), and the writer's stores then hit mapped pages.  @done is the
 * offset up to which @base is mapped (updated; G_MAXSIZE ends it); @end
 * is where the writer will write up to next; @limit is the end of what
 * may be mapped (a grown mapping may raise it later).  A
 * kernel without MADV_POPULATE_WRITE refuses the call and the writer
 * takes its faults as before.
 */
void
_es_populate_ahead_slow (char  *base,
                         gsize *done,
                         gsize  end,
                         gsize  limit)
{
  gsize page_size = (gsize) sysconf (_SC_PAGESIZE);
  guintptr from = ((guintptr) base + *done) & ~(guintptr) (page_size - 1);
  guintptr to = ((guintptr) base + MIN (limit, end + AHEAD_BYTES)) & ~(guintptr) (page_size - 1);

  if (limit < AHEAD_BYTES || page_size == 0)
    {
      *done = G_MAXSIZE;   /* small: not worth a call, ever */
      return;
    }
  if (to > from && madvise ((void *) from, to - from, MADV_POPULATE_WRITE) != 0)
    {
      *done = G_MAXSIZE;
      return;
    }
  *done = MAX (*done, (gsize) (to - (guintptr) base));
  if (limit - *done < page_size)
    *done = limit;   /* the last part page: the writer faults it */
}
