/* es-token-vocab.h: a tokenizer's tokens by id
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _EsTokenVocab EsTokenVocab;

/* Reads, by content:
 *  - a Hugging Face tokenizer.json: model.vocab as {"TOKEN": ID, …} (BPE,
 *    WordPiece) or [["TOKEN", SCORE], …] (Unigram: the index is the id),
 *    plus added_tokens [{"id": ID, "content": "TOKEN"}, …];
 *  - a vocab.json: {"TOKEN": ID, …};
 *  - anything else: one token per line, the line number (from 0) its id.
 * Ids at or beyond @max_ids (the rows of the matrix) are counted and left
 * out; a second token for an id is ignored (the first wins).  Errors name
 * @name (JSON errors the byte range) and what was expected.
 */
EsTokenVocab *es_token_vocab_parse         (const char          *name,
                                            const char          *data,
                                            gsize                len,
                                            gsize                max_ids,
                                            GError             **error);
void          es_token_vocab_free          (EsTokenVocab        *self);
/* Highest id + 1. */
gsize         es_token_vocab_get_size      (const EsTokenVocab  *self);
/* NULL for an id no token has. */
const char   *es_token_vocab_get           (const EsTokenVocab  *self,
                                            gsize                id);
gsize         es_token_vocab_get_n_beyond  (const EsTokenVocab  *self);
/* Byte-level BPE (GPT-2's byte-to-character table: "Ġthe"), from the
 * tokenizer's decoder or pre-tokenizer, or a vocab.json holding 'Ġ'.
 */
gboolean      es_token_vocab_is_byte_level (const EsTokenVocab  *self);

/* How @token reads as text: byte-level tokens mapped back to their bytes
 * ("Ġthe" → " the", when the bytes are valid UTF-8), SentencePiece's '▁'
 * as a space.  A new string; @token itself when nothing changes.
 */
char         *es_token_vocab_decode        (const EsTokenVocab  *self,
                                            const char          *token);

/* A token as a label: decoded as above (byte-level only with
 * @byte_level; a plain space stays a space, so "Ġthe #3 @1" decodes too),
 * then without leading and trailing white space.  The token itself when
 * that leaves nothing ("Ġ", "Ċ") or the bytes are not text.
 */
char         *es_token_display_text        (const char          *token,
                                            gsize                len,
                                            gboolean             byte_level);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsTokenVocab, es_token_vocab_free)

G_END_DECLS
