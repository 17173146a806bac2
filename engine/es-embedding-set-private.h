/* es-embedding-set-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the loader, which knows which rows are finite as it writes them.
 */

#pragma once

#include "es-embedding-set.h"

G_BEGIN_DECLS

EsEmbeddingSet *_es_embedding_set_new_with_valid (EsMatrix     *matrix,
                                                  EsVocabulary *vocabulary,
                                                  guint8       *valid,
                                                  gsize         n_valid);

G_END_DECLS
