/* es-gzip-stream.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * gunzip with GIO's GZlibDecompressor (no new dependency), either block
 * by block into the caller's buffer (the text reader parses each block as
 * it comes, so the uncompressed text is never whole in memory) or all at
 * once (_es_gunzip, for the formats read from one buffer).
 *
 * - Multi-member files (`cat a.gz b.gz`) are valid gzip: when one member
 *   ends and input remains, a fresh decompressor starts on the rest.
 * - The whole stream is read and the trailer checked, so a wrong CRC is an
 *   error instead of a silent load.  GIO reports a bad trailer and bad
 *   deflate data with the same error, so the last 8 bytes (the final
 *   trailer) are fed separately: an error there is a CRC/length mismatch.
 * - All-at-once output is capped by the memory ceiling, which also stops
 *   gzip bombs (block by block, the reader caps what it keeps).
 */

#define G_LOG_DOMAIN "es-loader"

#include "config.h"

#include "es-engine-error.h"
#include "es-loader-private.h"

#define OUT_CHUNK (4u << 20)
#define IN_CHUNK  (1u << 20)

struct _EsGzipStream
{
  char          *name;
  const guint8  *data;
  gsize          len;
  gsize          pos;
  gsize          trailer_start;
  GConverter    *converter;
  gboolean       member_done;
  gboolean       eof;
  guint64        total_out;
  gboolean       release;    /* give back consumed input (a file mapping) */
  gsize          released;
};

/* With @release_input, compressed pages already inflated are given back
 * (they read back intact from a file mapping, see _es_release_pages()).
 */
EsGzipStream *
_es_gzip_stream_new (const char   *name,
                     const guint8 *data,
                     gsize         len,
                     gboolean      release_input)
{
  EsGzipStream *self = g_new0 (EsGzipStream, 1);

  self->release = release_input;
  self->name = g_strdup (name);
  self->data = data;
  self->len = len;
  self->trailer_start = len >= 8 ? len - 8 : 0;
  self->converter = G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP));

  return self;
}

void
_es_gzip_stream_free (EsGzipStream *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->converter);
  g_free (self->name);
  g_free (self);
}

gboolean
_es_gzip_stream_is_eof (const EsGzipStream *self)
{
  return self->eof;
}

/* Fraction of the compressed input consumed. */
double
_es_gzip_stream_get_fraction (const EsGzipStream *self)
{
  return self->len > 0 ? (double) self->pos / self->len : 1.0;
}

/* The uncompressed size as the last member's trailer says (modulo 4 GB,
 * and of that member only: a hint for sizing, never trusted).
 */
guint64
_es_gzip_stream_get_size_hint (const EsGzipStream *self)
{
  const guint8 *t = self->data + self->len - 4;
  guint64 isize;

  if (self->len < 18)
    return self->len;
  isize = t[0] | (t[1] << 8) | (t[2] << 16) | ((guint64) t[3] << 24);

  return MAX (isize, (guint64) self->len);
}

/* Inflates into @out until it is full or the stream ends (*written may
 * then be short; _es_gzip_stream_is_eof() says which).
 */
gboolean
_es_gzip_stream_read (EsGzipStream  *self,
                      char          *out,
                      gsize          max,
                      gsize         *written,
                      GError       **error)
{
  *written = 0;

  /* The compressed file must not stay resident next to the matrix. */
  if (self->release && self->pos >= self->released + IN_CHUNK)
    {
      _es_release_pages (self->data + self->released, self->data + self->pos);
      self->released = self->pos & ~(gsize) (IN_CHUNK - 1);
    }

  while (*written < max && !self->eof)
    {
      g_autoptr(GError) local_error = NULL;
      gsize in_end, bytes_read = 0, bytes_written = 0;
      GConverterFlags flags = G_CONVERTER_NO_FLAGS;
      GConverterResult result;

      if (self->member_done)
        {
          /* Another member follows, or trailing padding (which gzip(1) also ignores). */
          if (self->len - self->pos >= 2 && self->data[self->pos] == 0x1f &&
              self->data[self->pos + 1] == 0x8b)
            {
              g_object_unref (self->converter);
              self->converter = G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP));
              self->member_done = FALSE;
            }
          else
            {
              self->eof = TRUE;
              break;
            }
        }

      /* Never feed the final trailer together with data (see above). */
      in_end = self->pos < self->trailer_start ?
               MIN (self->pos + IN_CHUNK, self->trailer_start) : self->len;
      if (in_end == self->len)
        flags |= G_CONVERTER_INPUT_AT_END;

      result = g_converter_convert (self->converter, self->data + self->pos, in_end - self->pos,
                                    out + *written, max - *written, flags,
                                    &bytes_read, &bytes_written, &local_error);
      if (result == G_CONVERTER_ERROR)
        {
          /* Output full: the caller comes back with room. */
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NO_SPACE) && *written > 0)
            break;
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
            g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_COMPRESSION,
                         "%s: unexpected end of gzip stream", self->name);
          else if (self->pos >= self->trailer_start)
            g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_COMPRESSION,
                         "%s: gzip CRC mismatch (corrupt gzip data)", self->name);
          else
            g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_COMPRESSION,
                         "%s: corrupt gzip data at byte %" G_GSIZE_FORMAT " (%s)",
                         self->name, self->pos, local_error->message);
          return FALSE;
        }

      self->pos += bytes_read;
      *written += bytes_written;
      self->total_out += bytes_written;
      if (result == G_CONVERTER_FINISHED)
        {
          self->member_done = TRUE;
          if (self->pos >= self->len)
            self->eof = TRUE;
        }
      else if (bytes_read == 0 && bytes_written == 0 && in_end == self->len)
        {
          /* All input given with INPUT_AT_END and still not finished. */
          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_COMPRESSION,
                       "%s: unexpected end of gzip stream", self->name);
          return FALSE;
        }
    }

  return TRUE;
}

/* Inflates the rest of @self after the @len bytes already in @buffer
 * (allocated @alloc), growing it within the memory ceiling.
 */
gboolean
_es_gzip_stream_read_all (EsGzipStream  *self,
                          char         **buffer,
                          gsize         *len,
                          gsize         *alloc,
                          guint64        memory_limit,
                          GCancellable  *cancellable,
                          EsProgressFunc progress,
                          gpointer       progress_data,
                          GError       **error)
{
  do
    {
      gsize written = 0;

      /* At least once, also when the first block held everything. */
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (progress != NULL)
        progress (0.5 * _es_gzip_stream_get_fraction (self), progress_data);
      if (self->eof)
        break;

      /* Grow geometrically, within the memory ceiling (no gzip bomb). */
      if (*alloc - *len < OUT_CHUNK)
        {
          gsize want = MAX (*alloc * 2, *len + OUT_CHUNK);
          char *bigger;

          if (*len > memory_limit)
            {
              g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                           "%s: this file needs more than %.1f GB uncompressed; %.1f GB available — use --limit",
                           self->name, *len / 1e9, memory_limit / 1e9);
              return FALSE;
            }
          want = MIN (want, MAX (memory_limit, *len) + OUT_CHUNK);
          bigger = g_try_realloc (*buffer, want);
          if (bigger == NULL)
            {
              g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                           "%s: cannot allocate %.1f GB to uncompress it", self->name, want / 1e9);
              return FALSE;
            }
          *buffer = bigger;
          *alloc = want;
        }

      if (!_es_gzip_stream_read (self, *buffer + *len, MIN (*alloc - *len, OUT_CHUNK), &written, error))
        return FALSE;
      *len += written;
    }
  while (TRUE);

  return TRUE;
}
