/* fuzz-projector-tsv.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Projector TSV tensors and their metadata.tsv: the input is the tensor\n * TSV, a NUL byte, then the metadata (read from a file, as the loader only\n * takes metadata by path).  The metadata is also joined onto word formats\n * when the first part sniffs as one.
 */

#define G_LOG_DOMAIN "es-fuzz"

#include "config.h"

#include <string.h>

#include "es-fuzz.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const uint8_t *nul = memchr (data, '\0', size);
  EsLoadOptions options;
  size_t tensor_size = nul != NULL ? (size_t) (nul - data) : size;

  es_fuzz_load_options (&options);
  if (nul != NULL)
    options.metadata_path = es_fuzz_write_temp ("metadata.tsv", nul + 1,
                                                size - tensor_size - 1);
  if (size % 3 == 0)
    options.limit = 5;
  es_fuzz_load (data, tensor_size, "fuzz.tsv", &options);

  return 0;
}
