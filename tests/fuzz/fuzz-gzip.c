/* fuzz-gzip.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * gzip streams (one or more members) and what they inflate to: the magic\n * is forced so that every input is inflated.  The memory ceiling also caps\n * the inflated size, so bombs must be refused, not inflated.
 */

#define G_LOG_DOMAIN "es-fuzz"

#include "config.h"

#include <string.h>

#include "es-fuzz.h"
#include "es-loader-private.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree uint8_t *copy = g_memdup2 (data, size);
  EsLoadOptions options;

  if (size >= 2)
    memcpy (copy, "\x1f\x8b", 2);
  /* Small blocks: text longer than a few KB streams (and refills). */
  if (size % 2 == 0)
    _es_load_set_gzip_window (256);
  else
    _es_load_set_gzip_window (0);
  es_fuzz_load_options (&options);
  options.memory_limit = 16 << 20;
  es_fuzz_load (copy, size, "fuzz.txt.gz", &options);

  return 0;
}
