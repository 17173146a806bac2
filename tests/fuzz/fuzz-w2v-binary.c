/* fuzz-w2v-binary.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * word2vec binary: a text header, then per row a word, a space and DIMS\n * raw float32.  The sniffer decides binary from the bytes after the first\n * word, which mutations of the seeds keep binary.
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

  es_fuzz_load_options (&options);
  if (size % 3 == 0)
    options.limit = 2;
  es_fuzz_load (data, size, "fuzz.bin", &options);

  return 0;
}
