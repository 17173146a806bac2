/* es-word-pairs.h: which row of one embedding goes with which row of another
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "es-embedding-set.h"

G_BEGIN_DECLS

typedef struct _EsWordPairs EsWordPairs;

/* The shared vocabulary of @a and @b by exact word: one pair per valid
 * row of @a whose word is a valid row of @b, in @a's row order (so the
 * first pairs are @a's most frequent words).  Also counts the valid words
 * without a valid counterpart on the other side (only_a, only_b), and the
 * rows masked as invalid (NaN/Inf) in @a plus those in @b.
 */
EsWordPairs *es_word_pairs_new_shared      (EsEmbeddingSet  *a,
                                            EsEmbeddingSet  *b,
                                            GCancellable    *cancellable,
                                            GError         **error);
/* An anchor list: one pair per line, "word" (the same word on both sides)
 * or "word_a<TAB>word_b" (else "word_a word_b" split at the one space);
 * blank lines and lines starting with '#' are skipped.  Words missing (or
 * invalid) on either side are an error naming them (the first 10, then
 * how many more) with their line numbers.  A pair listed twice counts once.
 */
EsWordPairs *es_word_pairs_new_from_file   (EsEmbeddingSet  *a,
                                            EsEmbeddingSet  *b,
                                            const char      *path,
                                            GError         **error);
EsWordPairs *es_word_pairs_new             (const gsize     *rows_a,
                                            const gsize     *rows_b,
                                            gsize            n);
void         es_word_pairs_free            (EsWordPairs     *self);

gsize        es_word_pairs_get_n           (const EsWordPairs *self);
const gsize *es_word_pairs_get_rows_a      (const EsWordPairs *self);
const gsize *es_word_pairs_get_rows_b      (const EsWordPairs *self);
/* From es_word_pairs_new_shared () only (0 otherwise). */
gsize        es_word_pairs_get_only_a      (const EsWordPairs *self);
gsize        es_word_pairs_get_only_b      (const EsWordPairs *self);
gsize        es_word_pairs_get_invalid     (const EsWordPairs *self);

/* Splits off a deterministic hold-out: pairs are shuffled with @seed and
 * round (@fraction × n) of them go to *held_out, the rest to *fit (both in
 * the original order).  @fraction in [0, 1).
 */
void         es_word_pairs_split           (const EsWordPairs *self,
                                            double             fraction,
                                            guint64            seed,
                                            EsWordPairs      **fit,
                                            EsWordPairs      **held_out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsWordPairs, es_word_pairs_free)

G_END_DECLS
