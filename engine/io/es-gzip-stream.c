/* es-gzip-stream.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * gunzip with zlib, either block
 * by block into the caller's buffer (the text reader parses each block as
 * it comes, so the uncompressed text is never whole in memory) or all at
 * once (_es_gunzip, for the formats read from one buffer).
 *
 * - Multi-member files (`cat a.gz b.gz`) are valid gzip: when one member
 *   ends and input remains, a fresh decompressor starts on the rest.
 * - The whole stream is read and every member's trailer checked, so a
 *   wrong CRC is an error naming the trailer's byte, and a member cut
 *   short (also the last byte of the second one) is an error naming where
 *   the input ends; bytes after the last member that are not a member are
 *   a warning (as gzip(1) warns of "trailing garbage").
 * - zlib directly (not GIO's GZlibDecompressor, whose 32-bit avail_out
 *   truncates a request of 4 GiB or more): each inflate call is capped.
 * - All-at-once output is capped by the memory ceiling, which also stops
 *   gzip bombs (block by block, the reader caps what it keeps).
 */

#define G_LOG_DOMAIN "es-loader"

#include "config.h"

#include <zlib.h>

#include "es-engine-error.h"
#include "es-loader-private.h"

#define OUT_CHUNK (4u << 20)
#define IN_CHUNK  (1u << 20)
#define OUT_CALL  (1u << 30)   /* per inflate call: far below uInt's 4 GiB */

struct _EsGzipStream
{
  char          *name;
  const guint8  *data;
  gsize          len;
  gsize          pos;
  gsize          member_start;
  z_stream       zs;
  gboolean       zs_ready;
  gboolean       member_done;
  gsize          junk_at;    /* trailing bytes that are no member; 0 = none */
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
  /* 15 + 16: a gzip wrapper, checked (CRC-32 and length). */
  self->zs_ready = inflateInit2 (&self->zs, 15 + 16) == Z_OK;

  return self;
}

void
_es_gzip_stream_free (EsGzipStream *self)
{
  if (self == NULL)
    return;

  if (self->zs_ready)
    inflateEnd (&self->zs);
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

/* Where the trailing bytes that are no gzip member start (0: none). */
gsize
_es_gzip_stream_get_junk_offset (const EsGzipStream *self)
{
  return self->junk_at;
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

  if (!self->zs_ready)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_COMPRESSION,
                   "%s: cannot start the gzip decoder", self->name);
      return FALSE;
    }

  /* The compressed file must not stay resident next to the matrix. */
  if (self->release && self->pos >= self->released + IN_CHUNK)
    {
      _es_release_pages (self->data + self->released, self->data + self->pos);
      self->released = self->pos & ~(gsize) (IN_CHUNK - 1);
    }

  while (*written < max && !self->eof)
    {
      gsize in_len, out_len, consumed, produced;
      int ret;

      if (self->member_done)
        {
          /* Another member follows, or bytes that are none: gzip(1)
           * warns of trailing garbage, so does the loader.
           */
          if (self->len - self->pos >= 2 && self->data[self->pos] == 0x1f &&
              self->data[self->pos + 1] == 0x8b)
            {
              inflateReset (&self->zs);
              self->member_start = self->pos;
              self->member_done = FALSE;
            }
          else
            {
              if (self->pos < self->len)
                self->junk_at = self->pos;
              self->eof = TRUE;
              break;
            }
        }

      in_len = MIN (self->len - self->pos, IN_CHUNK);
      out_len = MIN (max - *written, OUT_CALL);
      self->zs.next_in = (Bytef *) (self->data + self->pos);
      self->zs.avail_in = (uInt) in_len;
      self->zs.next_out = (Bytef *) (out + *written);
      self->zs.avail_out = (uInt) out_len;
      ret = inflate (&self->zs, Z_NO_FLUSH);
      consumed = in_len - self->zs.avail_in;
      produced = out_len - self->zs.avail_out;
      self->pos += consumed;
      *written += produced;
      self->total_out += produced;

      if (ret == Z_STREAM_END)
        {
          self->member_done = TRUE;
          if (self->pos >= self->len)
            self->eof = TRUE;
        }
      else if (ret == Z_DATA_ERROR || ret == Z_NEED_DICT || ret == Z_MEM_ERROR ||
               ret == Z_STREAM_ERROR)
        {
          const char *msg = self->zs.msg != NULL ? self->zs.msg : "invalid data";

          /* A check fails after its 4 bytes are read: name them. */
          if (g_str_equal (msg, "incorrect data check"))
            g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_COMPRESSION,
                         "%s: gzip CRC mismatch at byte %" G_GSIZE_FORMAT
                         " (corrupt gzip data: the trailer of the member at byte %" G_GSIZE_FORMAT ")",
                         self->name, self->pos >= 4 ? self->pos - 4 : 0, self->member_start);
          else if (g_str_equal (msg, "incorrect length check"))
            g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_COMPRESSION,
                         "%s: gzip CRC mismatch: wrong length at byte %" G_GSIZE_FORMAT
                         " (corrupt gzip data: the trailer of the member at byte %" G_GSIZE_FORMAT ")",
                         self->name, self->pos >= 4 ? self->pos - 4 : 0, self->member_start);
          else
            g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_COMPRESSION,
                         "%s: corrupt gzip data at byte %" G_GSIZE_FORMAT " (%s)",
                         self->name, self->pos, msg);
          return FALSE;
        }
      else if (consumed == 0 && produced == 0)
        {
          /* Z_BUF_ERROR with room to write: the input ran out mid-member. */
          if (out_len > 0 && self->pos >= self->len)
            {
              g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_COMPRESSION,
                           "%s: unexpected end of gzip stream at byte %" G_GSIZE_FORMAT
                           " (the member at byte %" G_GSIZE_FORMAT " is cut short)",
                           self->name, self->len, self->member_start);
              return FALSE;
            }
          break;
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
