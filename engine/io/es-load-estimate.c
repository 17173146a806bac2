/* es-load-estimate.c: what a file will cost to load, from its first line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The GUI asks "how many words?" before a big load; it needs the shape
 * without loading.  A word2vec header gives it; otherwise the first line's
 * fields and the file size guess it.  A header that the file cannot hold
 * (more values than bytes) is no reason to ask: the load will fail at once
 * with the real error, so such an estimate is marked implausible.
 */

#define G_LOG_DOMAIN "es-loader"

#include "config.h"

#include "es-loader.h"

#include <string.h>

#include "es-engine-error.h"
#include "es-safetensors.h"

#define PROBE_BYTES 65536
/* gzip's deflate cannot do better than about 1032:1. */
#define GZIP_MAX_RATIO 1032
/* Text embeddings compress about 3:1. */
#define GZIP_TYPICAL_RATIO 3

gboolean
es_loader_estimate (const char       *path,
                    EsLoadEstimate   *estimate,
                    GError          **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInputStream) input = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autofree char *buffer = NULL;
  g_autofree char *line = NULL;
  g_auto(GStrv) fields = NULL;
  const char *newline;
  guchar magic[2] = { 0, 0 };
  gsize got = 0, length;
  guint64 size, room, values;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (estimate != NULL, FALSE);

  memset (estimate, 0, sizeof *estimate);
  file = g_file_new_for_path (path);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, NULL, error);
  if (info == NULL)
    return FALSE;
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    return TRUE;   /* nothing to estimate: the loader says what it is */

  size = (guint64) g_file_info_get_size (info);
  estimate->file_size = size;
  input = g_file_read (file, NULL, error);
  if (input == NULL)
    return FALSE;

  estimate->gzip = g_input_stream_read (G_INPUT_STREAM (input), magic, 2, NULL, NULL) == 2 &&
                   magic[0] == 0x1f && magic[1] == 0x8b;
  if (!g_seekable_seek (G_SEEKABLE (input), 0, G_SEEK_SET, NULL, error))
    return FALSE;
  if (estimate->gzip)
    {
      g_autoptr(GZlibDecompressor) decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);

      stream = g_converter_input_stream_new (G_INPUT_STREAM (input), G_CONVERTER (decompressor));
    }
  else
    stream = g_object_ref (G_INPUT_STREAM (input));

  /* Only the first 64 KiB: a binary file may have no newline at all. */
  buffer = g_malloc (PROBE_BYTES + 1);
  if (!g_input_stream_read_all (stream, buffer, PROBE_BYTES, &got, NULL, NULL) || got == 0)
    return TRUE;
  buffer[got] = '\0';
  /* A checkpoint's shape is in its JSON header, not in a first line: the
   * loader reads only the chosen tensor and checks it against the ceiling.
   */
  if (es_safetensors_sniff ((const guint8 *) buffer, got) || es_safetensors_index_sniff (buffer, got))
    return TRUE;
  newline = memchr (buffer, '\n', got);
  if (newline == NULL)
    return TRUE;
  length = (gsize) (newline - buffer);
  line = g_strndup (buffer, length);
  fields = g_strsplit_set (g_strstrip (line), " \t", -1);

  if (g_strv_length (fields) == 2 &&
      g_ascii_string_to_unsigned (fields[0], 10, 1, G_MAXUINT64, &estimate->rows, NULL) &&
      g_ascii_string_to_unsigned (fields[1], 10, 1, G_MAXUINT64, &estimate->dims, NULL))
    estimate->from_header = TRUE;
  else
    {
      guint64 unpacked = size;

      if (estimate->gzip && !g_uint64_checked_mul (&unpacked, size, GZIP_TYPICAL_RATIO))
        unpacked = G_MAXUINT64;
      estimate->dims = MAX (g_strv_length (fields), 2) - 1;
      estimate->rows = unpacked / MAX (length + 1, 1);
    }

  /* A value takes at least 4 bytes in a binary file and 2 in a text one
   * ("0 "); a header asking for more than the file could hold is wrong.
   */
  if (!estimate->gzip || !g_uint64_checked_mul (&room, size, GZIP_MAX_RATIO))
    room = estimate->gzip ? G_MAXUINT64 : size;
  estimate->plausible = g_uint64_checked_mul (&values, estimate->rows, estimate->dims) &&
                        values / 2 <= room &&
                        g_uint64_checked_mul (&estimate->matrix_bytes, values, sizeof (float));
  if (!estimate->plausible)
    estimate->matrix_bytes = 0;

  return TRUE;
}
