/* fuzz-bytes.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Raw projector .bytes: the shape comes from the first 8 bytes (rows and\n * dims, 32-bit little-endian each, so products overflow and mismatch the\n * size), the rest is the float32 data.
 */

#define G_LOG_DOMAIN "es-fuzz"

#include "config.h"

#include <string.h>

#include "es-fuzz.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  EsLoadOptions options;
  guint32 shape[2];

  if (size < sizeof shape)
    return 0;
  memcpy (shape, data, sizeof shape);
  es_fuzz_load_options (&options);
  options.shape_rows = GUINT32_FROM_LE (shape[0]);
  options.shape_dims = GUINT32_FROM_LE (shape[1]);
  if (options.shape_rows == 0 && options.shape_dims == 0)
    options.shape_dims = 1;
  es_fuzz_load (data + sizeof shape, size - sizeof shape, "fuzz.bytes", &options);

  return 0;
}
