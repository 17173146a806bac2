/* fuzz-text.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * word2vec text, GloVe and anything else the sniffer may take a text for:
 * the whole path of es_loader_load_bytes, as a file would go.  The small
 * --limit variant runs on every other input, since it stops readers early.
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
  options.encoding = size % 2 ? ES_ENCODING_STRICT : ES_ENCODING_LENIENT;
  if (size % 3 == 0)
    options.limit = 3;
  es_fuzz_load (data, size, "fuzz.txt", &options);

  return 0;
}
