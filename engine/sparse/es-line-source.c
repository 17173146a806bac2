/* es-line-source.c: a text file as blocks of whole lines, plain or gzip
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-sparse"

#include "config.h"

#include "es-sparse-private.h"

#include "es-engine-error.h"
#include "es-loader-private.h"
#include "es-memory.h"

#include <string.h>

struct _EsLineSource
{
  char         *name;
  GMappedFile  *mapping;
  const char   *data;
  gsize         len;
  gsize         pos;         /* plain: next byte to hand out */
  gsize         block_size;
  EsGzipStream *gzip;
  char         *buffer;      /* gzip: carried partial line + new text */
  gsize         buffer_alloc;
  gsize         carry;       /* bytes of an unfinished line at buffer's start */
  gsize         carry_from;  /* where that line starts in the last block */
  guint64       line;        /* number of the next block's first line */
  gboolean      done;
};

EsLineSource *
_es_line_source_open (const char  *path,
                      gsize        block_size,
                      GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  EsLineSource *self;
  GMappedFile *mapping;

  mapping = g_mapped_file_new (path, FALSE, &local_error);
  if (mapping == NULL)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_FAILED, "%s", local_error->message);
      return NULL;
    }

  self = g_new0 (EsLineSource, 1);
  self->name = g_strdup (path);
  self->mapping = mapping;
  self->data = g_mapped_file_get_contents (mapping);
  self->len = g_mapped_file_get_length (mapping);
  self->block_size = MAX (block_size, 4096);
  self->line = 1;
  if (self->len >= 2 && (guint8) self->data[0] == 0x1f && (guint8) self->data[1] == 0x8b)
    {
      self->gzip = _es_gzip_stream_new (path, (const guint8 *) self->data, self->len, FALSE);
      self->buffer_alloc = self->block_size;
      self->buffer = g_malloc (self->buffer_alloc);
    }

  return self;
}

void
_es_line_source_free (EsLineSource *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->gzip, _es_gzip_stream_free);
  g_clear_pointer (&self->mapping, g_mapped_file_unref);
  g_free (self->buffer);
  g_free (self->name);
  g_free (self);
}

gboolean
_es_line_source_is_gzip (EsLineSource *self)
{
  return self->gzip != NULL;
}

double
_es_line_source_fraction (EsLineSource *self)
{
  if (self->gzip != NULL)
    return _es_gzip_stream_get_fraction (self->gzip);
  return self->len > 0 ? (double) self->pos / self->len : 1.0;
}

static guint64
count_lines (const char *data,
             gsize       len)
{
  guint64 n = 0;
  const char *p = data, *end = data + len;

  while ((p = memchr (p, '\n', end - p)) != NULL)
    {
      n++;
      p++;
    }
  return n;
}

/* The end of the last whole line in [data, data + len), or 0. */
static gsize
last_break (const char *data,
            gsize       len)
{
  for (gsize i = len; i > 0; i--)
    if (data[i - 1] == '\n')
      return i;
  return 0;
}

/* FALSE at the end (no error) or on an error (set). */
gboolean
_es_line_source_next (EsLineSource  *self,
                      const char   **data,
                      gsize         *len,
                      guint64       *first_line,
                      GError       **error)
{
  gsize cut;

  if (self->done)
    return FALSE;

  if (self->gzip == NULL)
    {
      gsize end = MIN (self->len, self->pos + self->block_size);

      if (self->pos >= self->len)
        {
          self->done = TRUE;
          return FALSE;
        }
      /* Extend the block to the next line break (a long line grows it). */
      if (end < self->len)
        {
          const char *nl = memchr (self->data + end, '\n', self->len - end);
          end = nl != NULL ? (gsize) (nl - self->data) + 1 : self->len;
        }
      *data = self->data + self->pos;
      *len = end - self->pos;
      *first_line = self->line;
      self->line += count_lines (*data, *len);
      self->pos = end;
      return TRUE;
    }

  /* gzip: keep the unfinished line, inflate after it until a block holds a
   * line break (doubling the buffer for a very long line) or the text ends.
   */
  for (;;)
    {
      gsize written = 0, have;

      if (self->carry_from > 0)
        {
          memmove (self->buffer, self->buffer + self->carry_from, self->carry);
          self->carry_from = 0;
        }
      if (self->buffer_alloc - self->carry < self->block_size / 2)
        {
          guint64 bytes = (guint64) self->buffer_alloc * 2;

          if (!es_memory_check (bytes, 1, "A line of the text", NULL, error))
            return FALSE;
          self->buffer_alloc = bytes;
          self->buffer = g_realloc (self->buffer, self->buffer_alloc);
        }
      if (!_es_gzip_stream_read (self->gzip, self->buffer + self->carry,
                                 self->buffer_alloc - self->carry, &written, error))
        return FALSE;
      have = self->carry + written;
      if (_es_gzip_stream_is_eof (self->gzip))
        {
          self->done = TRUE;
          if (have == 0)
            return FALSE;
          cut = have;
        }
      else
        cut = last_break (self->buffer, have);

      if (cut == 0)
        {
          self->carry = have;
          continue;
        }
      *data = self->buffer;
      *len = cut;
      *first_line = self->line;
      self->line += count_lines (self->buffer, cut);
      self->carry = have - cut;
      self->carry_from = cut;
      return TRUE;
    }
}
