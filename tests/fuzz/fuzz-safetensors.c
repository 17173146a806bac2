/* fuzz-safetensors.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * .safetensors headers and tokenizer vocabularies.  The first byte
 * chooses: even → the rest as a safetensors file whose prefix is forced to
 * sniff as one (three NULs in the length, '{' at byte 8), so every input
 * reaches the header checks; odd → the rest as a tokenizer.json,
 * vocab.json or token list for a matrix of up to 255 rows (the second
 * byte).
 */

#define G_LOG_DOMAIN "es-fuzz"

#include "config.h"

#include <string.h>

#include "es-fuzz.h"
#include "es-token-vocab.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  if (size < 2)
    return 0;

  if ((data[0] & 1) == 0)
    {
      g_autofree uint8_t *copy = g_memdup2 (data + 1, size - 1);
      EsLoadOptions options;

      if (size - 1 >= 9)
        {
          memset (copy + 5, 0, 3);
          copy[8] = '{';
        }
      es_fuzz_load_options (&options);
      es_fuzz_load (copy, size - 1, "fuzz.safetensors", &options);
    }
  else
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(EsTokenVocab) vocab = es_token_vocab_parse ("fuzz.json", (const char *) data + 2,
                                                            size - 2, data[1], &error);

      if (vocab != NULL)
        for (gsize id = 0; id < es_token_vocab_get_size (vocab); id++)
          if (es_token_vocab_get (vocab, id) != NULL)
            g_free (es_token_vocab_decode (vocab, es_token_vocab_get (vocab, id)));
    }

  return 0;
}
