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

/* Derived data cached on the set under @key, freed with it (or when
 * replaced).  dup returns copy (data) taken under the lock, or NULL.
 */
gpointer        _es_embedding_set_dup_attached   (EsEmbeddingSet *self,
                                                  const char     *key,
                                                  gpointer      (*copy) (gpointer));
void            _es_embedding_set_set_attached   (EsEmbeddingSet *self,
                                                  const char     *key,
                                                  gpointer        data,
                                                  GDestroyNotify  destroy);

G_END_DECLS
