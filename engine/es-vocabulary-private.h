/* es-vocabulary-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the loader: the hash of a word can be computed (and its slot
 * fetched into cache) while the row's values are still being copied, so
 * the insert that follows does not wait for memory.
 */

#pragma once

#include "es-vocabulary.h"

G_BEGIN_DECLS

guint64  _es_vocabulary_hash       (const char   *word,
                                    gsize         len);
void     _es_vocabulary_prefetch   (EsVocabulary *self,
                                    guint64       hash);
gboolean _es_vocabulary_add_hashed (EsVocabulary *self,
                                    const char   *word,
                                    gsize         len,
                                    guint64       hash,
                                    gsize        *index);

G_END_DECLS
