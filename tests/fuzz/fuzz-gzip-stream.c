/* fuzz-gzip-stream.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The streamed gzip text path with extreme headers: the input's first
 * byte picks a header (2^63 dimensions, 2^64 - 1 rows, zero, negative,
 * huge and tiny counts), the rest is the text after it; both are
 * compressed here (so the inflater always succeeds and the text reader,
 * not zlib, gets the input) and read through small windows, so lines
 * longer than a block and refills are the usual case.
 */

#define G_LOG_DOMAIN "es-fuzz"

#include "config.h"

#include <string.h>
#include <zlib.h>

#include "es-fuzz.h"
#include "es-loader-private.h"

static const char *const headers[] = {
  "", "3 9223372036854775808\n", "9223372036854775808 3\n", "18446744073709551615 4\n",
  "4 18446744073709551615\n", "18446744073709551616 2\n", "0 0\n", "1 0\n", "0 1\n",
  "-1 4\n", "4 -1\n", "4611686018427387904 4611686018427387904\n", "1 4294967296\n",
  "4294967297 1\n", "2 3\n", "1 1\n", "99999999999999999999999 3\n", "3 2\r\n", "3 2\r",
};

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const gsize windows[] = { 64, 256, 4096, 0 };
  g_autoptr(GByteArray) text = g_byte_array_new ();
  g_autofree guint8 *packed = NULL;
  uLongf packed_len;
  EsLoadOptions options;
  z_stream zs = { 0 };

  if (size < 1)
    return 0;
  g_byte_array_append (text, (const guint8 *) headers[data[0] % G_N_ELEMENTS (headers)],
                       strlen (headers[data[0] % G_N_ELEMENTS (headers)]));
  g_byte_array_append (text, data + 1, size - 1);

  /* A gzip member of the text (windowBits 15 + 16). */
  packed_len = compressBound (text->len) + 64;
  packed = g_malloc (packed_len);
  if (deflateInit2 (&zs, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return 0;
  zs.next_in = text->data;
  zs.avail_in = text->len;
  zs.next_out = packed;
  zs.avail_out = packed_len;
  if (deflate (&zs, Z_FINISH) != Z_STREAM_END)
    {
      deflateEnd (&zs);
      return 0;
    }
  packed_len = zs.total_out;
  deflateEnd (&zs);

  _es_load_set_gzip_window (windows[size % G_N_ELEMENTS (windows)]);
  es_fuzz_load_options (&options);
  options.memory_limit = 32 << 20;
  if (size % 3 == 0)
    options.limit = 2;
  es_fuzz_load (packed, packed_len, "fuzz.txt.gz", &options);
  _es_load_set_gzip_window (0);

  return 0;
}
