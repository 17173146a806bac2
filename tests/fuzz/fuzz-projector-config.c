/* fuzz-projector-config.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * projector_config.json: the scanner that finds the entry naming our\n * tensor, and the loader reading a raw tensor beside a fuzzed config (the\n * config is a file because the loader looks for it by path).
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
  static const float tensor[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
  g_autofree char *metadata = NULL;
  g_autofree char *tensor_path = NULL;
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(GError) error = NULL;
  gsize rows = 0, dims = 0;
  EsLoadOptions options;

  if (!_es_projector_config_scan ((const char *) data, size, "t.bytes", &rows, &dims, &metadata))
    g_assert (metadata == NULL);

  /* The whole path: config beside a 3 x 4 raw tensor. */
  tensor_path = g_strdup (es_fuzz_write_temp ("t.bytes", (const uint8_t *) tensor, sizeof tensor));
  es_fuzz_write_temp ("projector_config.json", data, size);
  es_fuzz_load_options (&options);
  set = es_loader_load_path (tensor_path, &options, NULL, NULL, NULL, &error);
  g_assert ((set == NULL) != (error == NULL));

  return 0;
}
