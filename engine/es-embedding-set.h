/* es-embedding-set.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-engine-types.h"
#include "es-matrix.h"
#include "es-metadata.h"
#include "es-vocabulary.h"

G_BEGIN_DECLS

typedef enum
{
  ES_FORMAT_UNKNOWN,
  ES_FORMAT_WORD2VEC_TEXT,
  ES_FORMAT_WORD2VEC_BINARY,
  ES_FORMAT_GLOVE,
  ES_FORMAT_PROJECTOR_TSV,
  ES_FORMAT_PROJECTOR_BYTES,
  ES_FORMAT_NPY,
  ES_FORMAT_SAFETENSORS,
} EsFormat;

typedef enum
{
  ES_COMPRESSION_NONE,
  ES_COMPRESSION_GZIP,
} EsCompression;

const char *es_format_to_string      (EsFormat      format);
const char *es_compression_to_string (EsCompression compression);

/* An immutable embedding: matrix (row i is word i), vocabulary, optional
 * metadata, where it came from and the warnings raised while loading.
 * Rows holding NaN or Inf are kept (so row numbers match the file and the
 * metadata) but masked: es_embedding_set_is_row_valid() is FALSE for them and
 * every reduction and neighbour search skips them.
 */
EsEmbeddingSet   *es_embedding_set_new              (EsMatrix             *matrix,
                                                     EsVocabulary         *vocabulary);
EsEmbeddingSet   *es_embedding_set_new_from_arrays  (gsize                 rows,
                                                     gsize                 dims,
                                                     const char * const   *words,
                                                     const float          *data);
EsEmbeddingSet   *es_embedding_set_ref              (EsEmbeddingSet       *self);
void              es_embedding_set_unref            (EsEmbeddingSet       *self);

/* Only while the set is still private to its creator. */
void              es_embedding_set_set_source       (EsEmbeddingSet       *self,
                                                     const char           *path,
                                                     EsFormat              format,
                                                     EsCompression         compression);
void              es_embedding_set_take_warnings    (EsEmbeddingSet       *self,
                                                     GPtrArray            *warnings);
void              es_embedding_set_set_metadata     (EsEmbeddingSet       *self,
                                                     EsMetadata           *metadata);

gsize             es_embedding_set_get_rows         (const EsEmbeddingSet *self);
gsize             es_embedding_set_get_dims         (const EsEmbeddingSet *self);
EsMatrix         *es_embedding_set_get_matrix       (const EsEmbeddingSet *self);
const float      *es_embedding_set_get_vector       (const EsEmbeddingSet *self,
                                                     gsize                 row);
const char       *es_embedding_set_get_word         (const EsEmbeddingSet *self,
                                                     gsize                 row);
gsize             es_embedding_set_get_word_len     (const EsEmbeddingSet *self,
                                                     gsize                 row);
char             *es_embedding_set_dup_display_word (const EsEmbeddingSet *self,
                                                     gsize                 row);
const EsVocabulary *es_embedding_set_get_vocabulary (const EsEmbeddingSet *self);
gboolean          es_embedding_set_lookup           (const EsEmbeddingSet *self,
                                                     const char           *word,
                                                     gsize                *row);
gboolean          es_embedding_set_lookup_ignore_case (EsEmbeddingSet     *self,
                                                     const char           *word,
                                                     gsize                *row);
gboolean          es_embedding_set_is_row_valid     (const EsEmbeddingSet *self,
                                                     gsize                 row);
gsize             es_embedding_set_get_n_valid      (const EsEmbeddingSet *self);
const float      *es_embedding_set_get_norms        (EsEmbeddingSet       *self);
const char       *es_embedding_set_get_path         (const EsEmbeddingSet *self);
EsFormat          es_embedding_set_get_format       (const EsEmbeddingSet *self);
EsCompression     es_embedding_set_get_compression  (const EsEmbeddingSet *self);
GPtrArray        *es_embedding_set_get_warnings     (const EsEmbeddingSet *self);
EsMetadata       *es_embedding_set_get_metadata     (const EsEmbeddingSet *self);

/* Words that are a tokenizer's tokens are shown decoded
 * (es_embedding_set_dup_display_word): SentencePiece's '▁' as a space, or byte-level
 * BPE's "Ġthe" as "the".  The words themselves stay byte-exact.  Kept by
 * subsets.
 */
typedef enum
{
  ES_TOKEN_DISPLAY_NONE,
  ES_TOKEN_DISPLAY_PIECES,      /* '▁' */
  ES_TOKEN_DISPLAY_BYTE_LEVEL,  /* GPT-2's byte-to-character table, and '▁' */
} EsTokenDisplay;

void              es_embedding_set_set_token_display (EsEmbeddingSet     *self,
                                                     EsTokenDisplay      display);
EsTokenDisplay    es_embedding_set_get_token_display (const EsEmbeddingSet *self);
EsEmbeddingSet   *es_embedding_set_subset           (const EsEmbeddingSet *self,
                                                     const gsize          *rows,
                                                     gsize                 n_rows);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsEmbeddingSet, es_embedding_set_unref)

G_END_DECLS
