/* es-safetensors-reader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The token-embedding matrix of a transformer checkpoint: the header is
 * checked whole (es-safetensors.c), then only the chosen tensor's bytes
 * are read, converted exactly to float32 (F16, BF16) within the memory
 * ceiling.  Row i is token id i: its word is the token (byte-exact, so
 * "Ġthe" and "the" stay apart), with the id and the decoded text as
 * metadata.  A matrix longer than the vocabulary (padded for speed) gets
 * "#ID" for the rows no token names, and a warning.
 */

#define G_LOG_DOMAIN "es-loader"

#include "config.h"

#include <string.h>

#include "es-engine-error.h"
#include "es-loader-private.h"
#include "es-safetensors.h"
#include "es-token-vocab.h"

/* Beside the checkpoint, in this order. */
static const char *const vocab_files[] = { "tokenizer.json", "vocab.json", "vocab.txt" };

static EsTokenVocab *
load_vocab (EsLoadContext  *ctx,
            gsize           rows,
            char          **used_path,
            GError        **error)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;
  EsTokenVocab *vocab;

  if (ctx->options->vocab_path != NULL)
    path = g_strdup (ctx->options->vocab_path);
  else if (ctx->path != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (ctx->path);

      for (guint i = 0; i < G_N_ELEMENTS (vocab_files) && path == NULL; i++)
        {
          g_autofree char *candidate = g_build_filename (dir, vocab_files[i], NULL);

          if (g_file_test (candidate, G_FILE_TEST_IS_REGULAR))
            path = g_steal_pointer (&candidate);
        }
    }
  if (path == NULL)
    return NULL;

  if (!_es_read_side_file (path, ctx->memory_limit / 4, &contents, &len, error))
    return NULL;
  vocab = es_token_vocab_parse (path, contents, len, rows, error);
  if (vocab != NULL)
    *used_path = g_steal_pointer (&path);

  return vocab;
}

/* The word of row @id: its token, or "#ID" when it has none (or an empty
 * one); a token already taken (two ids, one string) gets " #ID" after it.
 */
static gboolean
add_word (EsVocabulary *vocabulary,
          const char   *token,
          gsize         id)
{
  g_autofree char *word = NULL;

  if (token != NULL && *token != '\0' &&
      es_vocabulary_add (vocabulary, token, strlen (token), NULL))
    return TRUE;
  word = token != NULL && *token != '\0'
    ? g_strdup_printf ("%s #%" G_GSIZE_FORMAT, token, id)
    : g_strdup_printf ("#%" G_GSIZE_FORMAT, id);
  for (guint attempt = 0; attempt < 8; attempt++)
    {
      g_autofree char *longer = NULL;

      if (es_vocabulary_add (vocabulary, word, strlen (word), NULL))
        return TRUE;
      longer = g_strdup_printf ("%s#%" G_GSIZE_FORMAT, word, id);
      g_free (word);
      word = g_steal_pointer (&longer);
    }

  return FALSE;
}

EsEmbeddingSet *
_es_safetensors_reader_load (EsLoadContext  *ctx,
                             GError        **error)
{
  static const char *const columns[] = { "token", "id", "text", NULL };
  g_auto(EsRowBuilder) builder = { 0 };
  g_autoptr(EsSafetensors) file = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(EsTokenVocab) vocab = NULL;
  g_autoptr(EsMetadata) metadata = NULL;
  g_autoptr(GError) vocab_error = NULL;
  g_autofree char *vocab_path = NULL;
  const EsTensorInfo *info;
  const char *pick;
  EsRawType type;
  gsize rows, dims, wanted, n_missing = 0;
  EsEmbeddingSet *set;

  /* The length prefix may look like a BOM: these are the file's bytes. */
  ctx->data -= ctx->data_offset;
  ctx->len += ctx->data_offset;
  ctx->data_offset = 0;

  file = es_safetensors_parse (ctx->name, (const guint8 *) ctx->data, ctx->len, error);
  if (file == NULL)
    return NULL;
  for (guint i = 0; i < es_safetensors_get_n_tensors (file); i++)
    g_ptr_array_add (names, es_safetensors_get_tensor (file, i)->name);
  pick = es_safetensors_pick_embeddings ((const char * const *) names->pdata, names->len,
                                         ctx->options->tensor_name, ctx->name, error);
  if (pick == NULL)
    return NULL;
  info = es_safetensors_find (file, pick);

  switch (info->type)
    {
    case ES_TENSOR_F16:  type = ES_RAW_F16; break;
    case ES_TENSOR_BF16: type = ES_RAW_BF16; break;
    case ES_TENSOR_F32:  type = ES_RAW_F32; break;
    case ES_TENSOR_F64:  type = ES_RAW_F64; break;
    case ES_TENSOR_OTHER:
    default:
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_FORMAT,
                   "%s: tensor '%s' is %s; expected F32, F16, BF16 or F64 values", ctx->name,
                   pick, info->dtype);
      return NULL;
    }
  if (info->n_dims != 2)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_FORMAT,
                   "%s: tensor '%s' has %u dimensions; expected a 2-D matrix (tokens × dims)",
                   ctx->name, pick, info->n_dims);
      return NULL;
    }
  if (info->shape[0] == 0 || info->shape[1] == 0)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_EMPTY,
                   "%s: tensor '%s' has no rows or no columns (shape [%" G_GUINT64_FORMAT ", %"
                   G_GUINT64_FORMAT "])", ctx->name, pick, info->shape[0], info->shape[1]);
      return NULL;
    }
  rows = info->shape[0];
  dims = info->shape[1];

  wanted = ctx->options->limit > 0 ? MIN (rows, ctx->options->limit) : rows;
  if (!_es_row_builder_init (&builder, ctx, dims, wanted, error) ||
      !_es_read_raw_rows (ctx, &builder,
                          ctx->data + es_safetensors_get_data_start (file) + info->begin,
                          wanted, type, error))
    return NULL;

  vocab = load_vocab (ctx, rows, &vocab_path, &vocab_error);
  if (vocab_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&vocab_error));
      return NULL;
    }

  metadata = es_metadata_new (columns);
  for (gsize id = 0; id < builder.rows; id++)
    {
      const char *token = vocab != NULL ? es_token_vocab_get (vocab, id) : NULL;
      g_autofree char *text = token != NULL ? es_token_vocab_decode (vocab, token) : g_strdup ("");
      char id_text[24];
      const char *values[] = { token != NULL ? token : "", id_text, text };

      g_snprintf (id_text, sizeof id_text, "%" G_GSIZE_FORMAT, id);
      n_missing += token == NULL;
      if (!add_word (builder.vocabulary, token, id))
        {
          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_FORMAT,
                       "%s: row %" G_GSIZE_FORMAT ": no unique label for token '%s'", ctx->name, id,
                       token != NULL ? token : "");
          return NULL;
        }
      es_metadata_append_row (metadata, values);
    }

  if (vocab == NULL)
    _es_load_warnings_add (ctx->warnings,
                           "%s: no tokenizer.json, vocab.json or vocab.txt beside it: rows are "
                           "labelled #ID (give the tokens with --vocab)", ctx->name);
  else
    {
      if (n_missing > 0)
        _es_load_warnings_add (ctx->warnings,
                               "%s: %" G_GSIZE_FORMAT " of the %" G_GSIZE_FORMAT " rows of '%s' have no "
                               "token in %s (a padded matrix?): they are labelled #ID",
                               ctx->name, n_missing, builder.rows, pick, vocab_path);
      if (es_token_vocab_get_n_beyond (vocab) > 0)
        _es_load_warnings_add (ctx->warnings,
                               "%s: %" G_GSIZE_FORMAT " tokens have ids beyond the %" G_GSIZE_FORMAT
                               " rows of '%s': left out", vocab_path,
                               es_token_vocab_get_n_beyond (vocab), rows, pick);
    }

  set = _es_row_builder_finish (&builder);
  es_embedding_set_set_metadata (set, metadata);
  if (vocab != NULL)
    es_embedding_set_set_token_display (set, es_token_vocab_is_byte_level (vocab) ? ES_TOKEN_DISPLAY_BYTE_LEVEL
                                                                                  : ES_TOKEN_DISPLAY_PIECES);

  return set;
}

/* A shard that is itself an index would recurse without end. */
static _Thread_local guint index_depth;

EsEmbeddingSet *
_es_safetensors_index_load (EsLoadContext  *ctx,
                            GError        **error)
{
  g_autofree char *chosen = NULL;
  g_autofree char *shard = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *shard_path = NULL;
  g_autofree char *vocab_path = NULL;
  EsLoadOptions options;
  EsEmbeddingSet *set;

  if (ctx->path == NULL || index_depth > 0)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_FORMAT,
                   "%s: a sharded-checkpoint index %s", ctx->name,
                   index_depth > 0 ? "names another index as a shard" : "loads only from a file beside its shards");
      return NULL;
    }
  shard = es_safetensors_index_find (ctx->name, ctx->data, ctx->len, ctx->options->tensor_name,
                                     &chosen, error);
  if (shard == NULL)
    return NULL;
  dir = g_path_get_dirname (ctx->path);
  shard_path = g_build_filename (dir, shard, NULL);

  options = *ctx->options;
  options.tensor_name = chosen;
  index_depth++;
  set = es_loader_load_path (shard_path, &options, ctx->cancellable, ctx->progress,
                             ctx->progress_data, error);
  index_depth--;
  if (set == NULL)
    g_prefix_error (error, "%s (tensor '%s', shard %s): ", ctx->name, chosen, shard);
  else
    {
      /* The loader gives the set this load's warnings: keep the shard's. */
      GPtrArray *warnings = es_embedding_set_get_warnings (set);

      for (guint i = 0; i < warnings->len; i++)
        _es_load_warnings_add (ctx->warnings, "%s", (const char *) g_ptr_array_index (warnings, i));
    }

  return set;
}
