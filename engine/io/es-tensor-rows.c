/* es-tensor-rows.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rows of a layers × tokens × dims tensor (a transformer's hidden states
 * for one text) are keyed by position: the same token at two positions,
 * or in two layers, is two rows.  Each row's word is "TOKEN #POS @LAYER"
 * (0-based, as numpy indexes them): unique by construction, and the
 * token stays readable.  The metadata has the parts on their own —
 * token, position, layer — so a view can colour by layer or follow one
 * position across layers.
 */

#define G_LOG_DOMAIN "es-loader"

#include "config.h"

#include <string.h>

#include "es-engine-error.h"
#include "es-loader-private.h"

EsEmbeddingSet *
_es_tensor_rows_finish (EsLoadContext  *ctx,
                        EsRowBuilder   *builder,
                        gsize           tokens,
                        gsize           first_layer,
                        const char     *tokens_path,
                        GError        **error)
{
  static const char *const columns[] = { "token", "position", "layer", NULL };
  g_autoptr(EsMetadata) table = NULL;
  g_autoptr(EsMetadata) metadata = es_metadata_new (columns);
  g_autoptr(GString) word = g_string_new (NULL);
  EsEmbeddingSet *set;
  EsTokenDisplay display = ES_TOKEN_DISPLAY_NONE;

  if (tokens_path != NULL)
    {
      table = _es_metadata_read_tsv (tokens_path, ctx->memory_limit, error);
      if (table == NULL)
        return NULL;
      if (es_metadata_get_n_rows (table) != tokens)
        {
          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_DIMENSION,
                       "%s: %" G_GSIZE_FORMAT " tokens, but %s has %" G_GSIZE_FORMAT
                       " per layer (its shape is layers × tokens × dims)",
                       tokens_path, es_metadata_get_n_rows (table), ctx->name, tokens);
          return NULL;
        }
    }

  for (gsize i = 0; i < builder->rows; i++)
    {
      gsize position = i % tokens;
      gsize layer = first_layer + i / tokens;
      const char *token = table != NULL ? es_metadata_get_value (table, position, 0) : "";

      /* A tokenizer's pieces: shown decoded ("Ġthe" → "the", '▁' → ' '). */
      if (strstr (token, "\xC4\xA0") != NULL)
        display = ES_TOKEN_DISPLAY_BYTE_LEVEL;
      else if (display == ES_TOKEN_DISPLAY_NONE && strstr (token, "\xE2\x96\x81") != NULL)
        display = ES_TOKEN_DISPLAY_PIECES;
      char position_text[24], layer_text[24];
      const char *values[] = { token, position_text, layer_text };

      g_snprintf (position_text, sizeof position_text, "%" G_GSIZE_FORMAT, position);
      g_snprintf (layer_text, sizeof layer_text, "%" G_GSIZE_FORMAT, layer);
      g_string_assign (word, token);
      if (word->len > 0)
        g_string_append_c (word, ' ');
      g_string_append_printf (word, "#%s @%s", position_text, layer_text);
      if (!es_vocabulary_add (builder->vocabulary, word->str, word->len, NULL))
        {
          /* Cannot happen ("#POS @LAYER" ends every word); never abort. */
          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_FORMAT,
                       "%s: row %" G_GSIZE_FORMAT ": label '%s' repeats", ctx->name, i + 1, word->str);
          return NULL;
        }
      es_metadata_append_row (metadata, values);
    }

  set = _es_row_builder_finish (builder);
  es_embedding_set_set_metadata (set, metadata);
  es_embedding_set_set_token_display (set, display);

  return set;
}
