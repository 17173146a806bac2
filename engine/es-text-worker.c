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
 * Memory: the worker copies its words into a small arena and gives back
 * the pages of input it has read, and the merge gives back the worker's
 * values as it copies them, so neither the file nor a second half-matrix
 * stays resident next to the result.
 */

#define G_LOG_DOMAIN "es-loader"

#include "config.h"

#include "es-text-reader-private.h"

/* The merge gives back the worker's values in steps of this size. */
#define RELEASE_BYTES (64u << 10)

typedef struct
{
  gsize offset;   /* word start in the worker's arena */
  gsize len;
} WordSpan;

struct _EsTextWorker
{
  EsTextReader  reader;      /* read-only copy; the worker never touches fields */
  const char   *start;
  const char   *end;
  const char   *stop;        /* first line not parsed */
  float        *values;
  gsize         capacity;    /* rows */
  gsize         rows;
  WordSpan     *words;
  GString      *arena;       /* the words, back to back */
  gsize         merged;      /* rows whose values were given back */
  guint64       memory_budget;
  gint          stop_requested;
  gsize         progress;    /* bytes done, read atomically */
  GThread      *thread;
};

static gboolean
grow (EsTextWorker *self)
{
  gsize capacity = self->capacity * 2;
  guint64 bytes;

  /* Past the budget the worker just stops: the main thread goes on from there. */
  if (!es_matrix_byte_size (capacity, self->reader.dims, &bytes) ||
      bytes + capacity * sizeof (WordSpan) > self->memory_budget)
    return FALSE;

  {
    float *values = g_try_realloc (self->values, bytes);
    WordSpan *words;

    if (values == NULL)
      return FALSE;
    self->values = values;
    words = g_try_realloc (self->words, capacity * sizeof (WordSpan));
    if (words == NULL)
      return FALSE;
    self->words = words;
  }
  self->capacity = capacity;

  return TRUE;
}

static gpointer
worker_thread (gpointer data)
{
  EsTextWorker *self = data;
  const char *p = self->start;
  const char *next_poll = p + ES_LOAD_POLL_BYTES;
  const char *released = p;
  GCancellable *cancellable = self->reader.ctx->cancellable;

  while (p < self->end)
    {
      const char *next;
      const char *stop = _es_line_end (p, self->end, &next);
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
      if (self->rows == self->capacity && !grow (self))
        break;
      if (!_es_text_fast_line (&self->reader, p, stop,
                               self->values + self->rows * self->reader.dims, &word, &word_len))
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
                       const char         *start,
                       const char         *end,
                       gsize               expected_rows,
                       guint64             memory_budget)
{
  EsTextWorker *self = g_new0 (EsTextWorker, 1);
  guint64 bytes;

  self->reader = *reader;
  self->reader.fields = NULL;
  self->reader.fields_alloc = 0;
  self->start = start;
  self->end = end;
  self->stop = start;
  self->memory_budget = memory_budget;
  self->capacity = MAX (expected_rows, 16);
  self->arena = g_string_sized_new (self->capacity * 8);

  if (!es_matrix_byte_size (self->capacity, reader->dims, &bytes) ||
      bytes + self->capacity * sizeof (WordSpan) > memory_budget ||
      (self->values = g_try_malloc (bytes)) == NULL ||
      (self->words = g_try_new (WordSpan, self->capacity)) == NULL)
    {
      /* Not worth failing the load over: the main thread reads it all. */
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

const float *
_es_text_worker_get_row (EsTextWorker  *self,
                         gsize          row,
                         const char   **word,
                         gsize         *word_len)
{
  gsize dims = self->reader.dims;

  *word = self->arena->str + self->words[row].offset;
  *word_len = self->words[row].len;

  /* Rows are taken in order: the pages of earlier ones can go. */
  if ((row - self->merged) * dims * sizeof (float) >= RELEASE_BYTES)
    {
      _es_release_pages (self->values + self->merged * dims, self->values + row * dims);
      self->merged = row;
    }

  return self->values + row * dims;
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
  g_free (self->values);
  g_free (self->words);
  if (self->arena != NULL)
    g_string_free (self->arena, TRUE);
  g_free (self);
}
