/* es-vocabulary.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-engine-types.h"

G_BEGIN_DECLS

typedef struct _EsVocabulary EsVocabulary;

/* Words kept byte-exact (no normalisation, any bytes but NUL) in one
 * arena, with an open-addressing hash of row indices so that lookups are
 * O(1) and adding a word costs no malloc of its own.  Built by one thread,
 * then read-only and safe to share.
 */
EsVocabulary *es_vocabulary_new               (gsize               expected_words);
void          es_vocabulary_free              (EsVocabulary       *self);
gsize         es_vocabulary_get_size          (const EsVocabulary *self);
gboolean      es_vocabulary_add               (EsVocabulary       *self,
                                               const char         *word,
                                               gsize               len,
                                               gsize              *index);
const char   *es_vocabulary_get_word          (const EsVocabulary *self,
                                               gsize               index,
                                               gsize              *len);
gboolean      es_vocabulary_lookup            (const EsVocabulary *self,
                                               const char         *word,
                                               gssize              len,
                                               gsize              *index);
gsize         es_vocabulary_get_memory_size   (const EsVocabulary *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsVocabulary, es_vocabulary_free)

G_END_DECLS
