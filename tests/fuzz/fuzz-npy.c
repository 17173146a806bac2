/* fuzz-npy.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * NumPy .npy: the magic is forced so that every input reaches the header\n * parser (the version byte, header length and dict are what is fuzzed).
 */

#define G_LOG_DOMAIN "es-fuzz"

#include "config.h"

#include <string.h>

#include "es-fuzz.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree uint8_t *copy = g_memdup2 (data, size);
  EsLoadOptions options;

  if (size >= 6)
    memcpy (copy, "\x93NUMPY", 6);
  es_fuzz_load_options (&options);
  es_fuzz_load (copy, size, "fuzz.npy", &options);

  return 0;
}
