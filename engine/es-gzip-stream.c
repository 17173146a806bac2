/* es-gzip-stream.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * gunzip into memory with GIO's GZlibDecompressor (no new dependency).
 *
 * - Multi-member files (`cat a.gz b.gz`) are valid gzip: when one member
 *   ends and input remains, a fresh decompressor starts on the rest.
 * - The whole stream is read and the trailer checked, so a wrong CRC is an
 *   error instead of a silent load.  GIO reports a bad trailer and bad
 *   deflate data with the same error, so the last 8 bytes (the final
 *   trailer) are fed separately: an error there is a CRC/length mismatch.
 * - Output is capped by the memory ceiling, which also stops gzip bombs.
 */

#define G_LOG_DOMAIN "es-loader"

#include "config.h"

#include "es-engine-error.h"
#include "es-loader-private.h"

#define OUT_CHUNK (4u << 20)
#define IN_CHUNK  (1u << 20)

GBytes *
_es_gunzip (const char    *name,
            const guint8  *data,
            gsize          len,
            guint64        memory_limit,
            GCancellable  *cancellable,
            EsProgressFunc progress,
            gpointer       progress_data,
            GError       **error)
{
  g_autofree guint8 *out = NULL;
  gsize out_len = 0;
  gsize out_alloc = 0;
  g_autoptr(GConverter) converter = NULL;
  gsize pos = 0;
  gsize trailer_start = len >= 8 ? len - 8 : 0;
  gboolean member_done = FALSE;

  converter = G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP));

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      gsize in_end, bytes_read = 0, bytes_written = 0;
      GConverterFlags flags = G_CONVERTER_NO_FLAGS;
      GConverterResult result;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (progress != NULL && len > 0)
        progress (0.5 * pos / len, progress_data);

      if (member_done)
        {
          /* Another member follows, or trailing padding (which gzip(1) also ignores). */
          if (len - pos >= 2 && data[pos] == 0x1f && data[pos + 1] == 0x8b)
            {
              g_object_unref (converter);
              converter = G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP));
              member_done = FALSE;
            }
          else
            break;
        }

      /* Never feed the final trailer together with data (see above). */
      in_end = pos < trailer_start ? MIN (pos + IN_CHUNK, trailer_start) : len;
      if (in_end == len)
        flags |= G_CONVERTER_INPUT_AT_END;

      /* Grow geometrically, within the memory ceiling (no gzip bomb). */
      if (out_alloc - out_len < OUT_CHUNK)
        {
          gsize want = MAX (out_alloc * 2, out_len + OUT_CHUNK);
          guint8 *bigger;

          if (out_len > memory_limit)
            {
              g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                           "%s: this file needs more than %.1f GB uncompressed; %.1f GB available — use --limit",
                           name, out_len / 1e9, memory_limit / 1e9);
              return NULL;
            }
          want = MIN (want, MAX (memory_limit, out_len) + OUT_CHUNK);
          bigger = g_try_realloc (out, want);
          if (bigger == NULL)
            {
              g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                           "%s: cannot allocate %.1f GB to uncompress it", name, want / 1e9);
              return NULL;
            }
          out = bigger;
          out_alloc = want;
        }

      result = g_converter_convert (converter, data + pos, in_end - pos,
                                    out + out_len, OUT_CHUNK, flags,
                                    &bytes_read, &bytes_written, &local_error);
      if (result != G_CONVERTER_ERROR)
        out_len += bytes_written;

      if (result == G_CONVERTER_ERROR)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
            g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_COMPRESSION,
                         "%s: unexpected end of gzip stream", name);
          else if (pos >= trailer_start)
            g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_COMPRESSION,
                         "%s: gzip CRC mismatch (corrupt gzip data)", name);
          else
            g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_COMPRESSION,
                         "%s: corrupt gzip data at byte %" G_GSIZE_FORMAT " (%s)",
                         name, pos, local_error->message);
          return NULL;
        }

      pos += bytes_read;
      if (result == G_CONVERTER_FINISHED)
        {
          member_done = TRUE;
          if (pos >= len)
            break;
        }
      else if (bytes_read == 0 && bytes_written == 0 && in_end == len)
        {
          /* All input given with INPUT_AT_END and still not finished. */
          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_COMPRESSION,
                       "%s: unexpected end of gzip stream", name);
          return NULL;
        }
    }

  /* Give back the unused tail of the last doubling. */
  out = g_realloc (out, MAX (out_len, 1));

  return g_bytes_new_take (g_steal_pointer (&out), out_len);
}
