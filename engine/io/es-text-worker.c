/* es-text-worker.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The second half of a large text file, parsed on a second core while the
 * main thread does the first half.  The worker only runs the fast path
 * (one word, D finite numbers) into its own buffers and stops at the first
 * line that needs anything else: the main thread then merges its rows in
 * file order (vocabulary, duplicates, line numbers) and carries on from
 * where the worker stopped with the general path, so warnings, errors and
 * the result are exactly those of a single-threaded read.
 *
 * Memory: the worker writes its rows straight into the result matrix,
 * after as many rows as the first half has lines (which it counts first,
 * while the main thread starts parsing): in a clean file they are then
 * already where they belong and the merge copies nothing; blank lines or
 * duplicates in the first half only move them down.  It copies its words
 * into a small arena and gives back the input pages it has read.
 */

#define G_LOG_DOMAIN "es-loader"

#include "config.h"

#include "es-text-reader-private.h"

typedef struct
{
  gsize offset;   /* word start in the worker's arena */
  gsize len;
} WordSpan;

struct _EsTextWorker
{
  EsTextReader  reader;      /* read-only copy; the worker never touches fields */
  const char   *first;       /* start of the main thread's half */
  const char   *start;
  const char   *end;
  const char   *stop;        /* first line not parsed */
  float        *matrix;      /* the result's storage, total_rows rows */
  gsize         total_rows;
  float        *values;      /* where this half's rows go */
  gsize         capacity;    /* rows */
  gsize         rows;
  WordSpan     *words;
  GString      *arena;       /* the words, back to back */
  gint          stop_requested;
  gsize         progress;    /* bytes done, read atomically */
  GThread      *thread;
};

/* Lines of the main thread's half: at most that many rows come before ours. */
static gsize
count_first_lines (EsTextWorker *self)
{
  EsLoadContext *ctx = self->reader.ctx;
  const char *p = self->first;
  const char *released = p;
  gsize lines = 0;

  while (p < self->start)
    {
      const char *window_end = p + MIN ((gsize) (self->start - p), ES_LOAD_POLL_BYTES);

      while (p < window_end)
        {
          const char *nl = memchr (p, '\n', window_end - p);

          if (nl == NULL)
            break;
          lines++;
          p = nl + 1;
        }
      p = window_end;
      /* Counted file pages need not stay mapped until the main thread is
       * there (it maps them again from the page cache); an inflated
       * buffer has no copy elsewhere, and is resident anyway.
       */
      if (ctx->data_is_file)
        _es_load_context_release (ctx, released, p);
      released = p;
      if (g_atomic_int_get (&self->stop_requested))
        break;
    }

  return lines;
}

static gpointer
worker_thread (gpointer data)
{
  EsTextWorker *self = data;
  const char *p = self->start;
  const char *next_poll = p + ES_LOAD_POLL_BYTES;
  const char *released = p;
  GCancellable *cancellable = self->reader.ctx->cancellable;
  const char *safe_end = _es_text_safe_end (self->reader.ctx->data, self->reader.ctx->len);
  gsize before = count_first_lines (self);
  gsize mapped = 0;

  /* No room after the first half: the main thread reads everything. */
  if (before < self->total_rows && !g_atomic_int_get (&self->stop_requested))
    {
      self->values = self->matrix + before * self->reader.dims;
      self->capacity = self->total_rows - before;
    }

  while (p < self->end && self->rows < self->capacity)
    {
      const char *next;
      const char *word = NULL;
      gsize word_len = 0;

      if (G_UNLIKELY (p >= next_poll))
        {
          next_poll = p + ES_LOAD_POLL_BYTES;
          _es_load_context_release (self->reader.ctx, released, p);
          released = p;
          g_atomic_pointer_set (&self->progress, (gsize) (p - self->start));
          if (g_atomic_int_get (&self->stop_requested) ||
              g_cancellable_is_cancelled (cancellable))
            break;
        }
      _es_populate_ahead ((char *) self->values, &mapped,
                          (self->rows + 1) * self->reader.dims * sizeof (float),
                          self->capacity * self->reader.dims * sizeof (float));
      if (!_es_text_fast_line (&self->reader, p, safe_end,
                               self->values + self->rows * self->reader.dims, &word, &word_len,
                               &next, NULL))
        break;
      self->words[self->rows].offset = self->arena->len;
      self->words[self->rows].len = word_len;
      if (word_len > 0)
        g_string_append_len (self->arena, word, word_len);
      self->rows++;
      p = next;
    }

  self->stop = p;
  g_atomic_pointer_set (&self->progress, (gsize) (p - self->start));

  return NULL;
}

EsTextWorker *
_es_text_worker_start (const EsTextReader *reader,
                       const char         *first,
                       const char         *start,
                       const char         *end,
                       float              *matrix,
                       gsize               total_rows)
{
  EsTextWorker *self = g_new0 (EsTextWorker, 1);

  self->reader = *reader;
  self->reader.fields = NULL;
  self->reader.fields_alloc = 0;
  self->first = first;
  self->start = start;
  self->end = end;
  self->stop = start;
  self->matrix = matrix;
  self->total_rows = total_rows;
  /* Rows of this half: at most its share of the total, as words go. */
  self->words = g_try_new (WordSpan, total_rows);
  self->arena = g_string_sized_new (4096);
  if (self->words == NULL)
    {
      _es_text_worker_free (self);
      return NULL;
    }

  self->thread = g_thread_try_new ("es-loader-half", worker_thread, self, NULL);
  if (self->thread == NULL)
    {
      _es_text_worker_free (self);
      return NULL;
    }

  return self;
}

void
_es_text_worker_stop (EsTextWorker *self)
{
  g_atomic_int_set (&self->stop_requested, 1);
}

void
_es_text_worker_join (EsTextWorker *self)
{
  if (self->thread != NULL)
    g_thread_join (g_steal_pointer (&self->thread));
}

gsize
_es_text_worker_get_progress (EsTextWorker *self)
{
  return (gsize) g_atomic_pointer_get (&self->progress);
}

gsize
_es_text_worker_get_rows (EsTextWorker *self)
{
  return self->rows;
}

/* The row sits in the result matrix already, at or after its final place. */
const float *
_es_text_worker_get_row (EsTextWorker  *self,
                         gsize          row,
                         const char   **word,
                         gsize         *word_len)
{
  *word = self->arena->str + self->words[row].offset;
  *word_len = self->words[row].len;

  return self->values + row * self->reader.dims;
}

const char *
_es_text_worker_get_stop (EsTextWorker *self)
{
  return self->stop;
}

void
_es_text_worker_free (EsTextWorker *self)
{
  if (self == NULL)
    return;

  if (self->thread != NULL)
    {
      _es_text_worker_stop (self);
      _es_text_worker_join (self);
    }
  g_free (self->words);
  if (self->arena != NULL)
    g_string_free (self->arena, TRUE);
  g_free (self);
}
