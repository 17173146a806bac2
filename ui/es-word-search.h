/* es-word-search.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "es-embedding-set.h"

G_BEGIN_DECLS

#define ES_TYPE_WORD_SEARCH (es_word_search_get_type ())

G_DECLARE_FINAL_TYPE (EsWordSearch, es_word_search, ES, WORD_SEARCH, GtkWidget)

/* A search entry with a completion popover over the vocabulary.  The
 * words are indexed once (sorted case-insensitively, in a worker thread),
 * so a prefix query is a binary search whatever the vocabulary size, and
 * the list shows the best-ranked matches only.  Choosing a word activates
 * win.select-word.
 */
GtkWidget    *es_word_search_new               (void);
void          es_word_search_set_embedding_set (EsWordSearch   *self,
                                                EsEmbeddingSet *set);
/* Rows matching the current text (prefix, ignoring ASCII case), best rank
 * first, at most ES_WORD_SEARCH_MAX_HITS.
 */
const gsize  *es_word_search_get_hits          (EsWordSearch   *self,
                                                gsize          *n_hits);
GtkEditable  *es_word_search_get_editable      (EsWordSearch   *self);
void          es_word_search_set_text          (EsWordSearch   *self,
                                                const char     *text);
gboolean      es_word_search_is_ready          (EsWordSearch   *self);
/* The word selected elsewhere (NULL: none): shown in the entry, no
 * completion, no hits.
 */
void          es_word_search_show_word         (EsWordSearch   *self,
                                                const char     *word);

#define ES_WORD_SEARCH_MAX_HITS 200

G_END_DECLS
