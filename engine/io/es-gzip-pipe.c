/* es-gzip-pipe.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Streamed gzip text, inflated on a second thread: inflating costs about
 * as much as parsing, so the two overlap.  A few fixed blocks circulate
 * between the threads (filled ones to the reader, read ones back), which
 * bounds the memory to a few MB whatever the file size.  Each block keeps
 * room in front of its data for the partial line the reader carries over
 * from the block before, so the text stays contiguous without copying
 * more than that line (a longer line goes to an overflow buffer).
 */

#define G_LOG_DOMAIN "es-loader"

#include "config.h"

#include <string.h>

#include "es-engine-error.h"
#include "es-loader-private.h"

#define HEADROOM (256u << 10)
#define N_BLOCKS 3

typedef struct
{
  char    *buf;         /* HEADROOM, then up to block_size bytes of text */
  gsize    len;
  gboolean eof;         /* the stream ended with this block */
  double   fraction;    /* of the compressed input, after this block */
  GError  *error;
} Block;

struct _EsGzipPipe
{
  char         *name;
  EsGzipStream *stream;
  GAsyncQueue  *filled;
  GAsyncQueue  *empty;
  gsize         block_size;
  Block         blocks[N_BLOCKS];
  Block        *current;   /* the block the reader is in, if any */
  char         *overflow;  /* for a carried line longer than HEADROOM */
  gsize         overflow_alloc;
  guint64       memory_limit;
  gint          stop_requested;
  GThread      *thread;
};

static gpointer
pipe_thread (gpointer data)
{
  EsGzipPipe *self = data;

  for (;;)
    {
      Block *block = g_async_queue_pop (self->empty);

      if (g_atomic_int_get (&self->stop_requested))
        break;
      block->len = 0;
      if (!_es_gzip_stream_read (self->stream, block->buf + HEADROOM, self->block_size, &block->len,
                                 &block->error))
        block->eof = TRUE;
      else
        block->eof = _es_gzip_stream_is_eof (self->stream);
      block->fraction = _es_gzip_stream_get_fraction (self->stream);
      g_async_queue_push (self->filled, block);
      if (block->eof)
        break;
    }

  return NULL;
}

EsGzipPipe *
_es_gzip_pipe_start (EsGzipStream *stream,
                     const char   *name,
                     gsize         block_size,
                     guint64       memory_limit)
{
  EsGzipPipe *self = g_new0 (EsGzipPipe, 1);

  self->block_size = block_size;
  self->name = g_strdup (name);
  self->stream = stream;
  self->memory_limit = memory_limit;
  self->filled = g_async_queue_new ();
  self->empty = g_async_queue_new ();
  for (guint i = 0; i < N_BLOCKS; i++)
    {
      self->blocks[i].buf = g_malloc (HEADROOM + block_size);
      g_async_queue_push (self->empty, &self->blocks[i]);
    }
  self->thread = g_thread_new ("es-loader-gunzip", pipe_thread, self);

  return self;
}

/* The next block after the @keep_len bytes at @keep (the unread end of
 * the text so far), as one contiguous *data of *len bytes.
 */
gboolean
_es_gzip_pipe_next (EsGzipPipe  *self,
                    const char  *keep,
                    gsize        keep_len,
                    const char **data,
                    gsize       *len,
                    gboolean    *eof,
                    double      *fraction,
                    GError     **error)
{
  Block *block = g_async_queue_pop (self->filled);
  Block *previous = self->current;

  if (block->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&block->error));
      g_async_queue_push (self->empty, block);
      return FALSE;
    }

  if (keep_len <= HEADROOM)
    {
      memcpy (block->buf + HEADROOM - keep_len, keep, keep_len);
      *data = block->buf + HEADROOM - keep_len;
      *len = keep_len + block->len;
    }
  else
    {
      gsize need = keep_len + block->len;

      if (need > self->memory_limit)
        {
          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                       "%s: a line needs more than %.1f GB; %.1f GB available",
                       self->name, need / 1e9, self->memory_limit / 1e9);
          g_async_queue_push (self->empty, block);
          return FALSE;
        }
      /* @keep may be in the overflow buffer already; at its start (a line
       * longer than a block, growing), it stays where it is: moving it
       * every block made one 512 MB line quadratic.
       */
      if (keep == self->overflow)
        ;
      else if (keep >= self->overflow && keep < self->overflow + self->overflow_alloc)
        memmove (self->overflow, keep, keep_len);
      else
        {
          if (need > self->overflow_alloc)
            {
              self->overflow_alloc = MAX (need, self->overflow_alloc * 2);
              self->overflow = g_realloc (self->overflow, self->overflow_alloc);
            }
          memcpy (self->overflow, keep, keep_len);
        }
      if (need > self->overflow_alloc)
        {
          self->overflow_alloc = MAX (need, self->overflow_alloc * 2);
          self->overflow = g_realloc (self->overflow, self->overflow_alloc);
        }
      memcpy (self->overflow + keep_len, block->buf + HEADROOM, block->len);
      *data = self->overflow;
      *len = need;
    }
  *eof = block->eof;
  *fraction = block->fraction;

  /* What the reader kept is copied out: the old block can be refilled. */
  if (previous != NULL)
    g_async_queue_push (self->empty, previous);
  self->current = block;

  return TRUE;
}

void
_es_gzip_pipe_free (EsGzipPipe *self)
{
  if (self == NULL)
    return;

  /* Wake the thread if it waits for a block, and let it end. */
  g_atomic_int_set (&self->stop_requested, 1);
  for (guint i = 0; i < N_BLOCKS; i++)
    g_async_queue_push (self->empty, &self->blocks[i]);
  g_thread_join (self->thread);

  for (guint i = 0; i < N_BLOCKS; i++)
    {
      g_clear_error (&self->blocks[i].error);
      g_free (self->blocks[i].buf);
    }
  g_async_queue_unref (self->filled);
  g_async_queue_unref (self->empty);
  g_free (self->overflow);
  g_free (self->name);
  g_free (self);
}
