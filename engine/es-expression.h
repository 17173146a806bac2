/* es-expression.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-embedding-set.h"

G_BEGIN_DECLS

/* The one word-arithmetic grammar shared by the CLI, the UI, analogies and
 * custom axes:
 *
 *   expr   := term (('+' | '-' | U+2212) term)*      a leading sign is allowed
 *   term   := [number '*'] atom
 *   atom   := word | '"' quoted word '"' | 'avg' '(' expr (',' expr)* ')'
 *
 * A word is a run of bytes up to whitespace or one of + - * ( ) , " ; inside
 * double quotes anything goes (\" and \\ escape).  avg(a, b, c) weighs each
 * argument 1/n.  The parsed result is a flat list of (word, weight) terms.
 */
EsExpression *es_expression_parse            (const char          *text,
                                              GError             **error);
void          es_expression_free             (EsExpression        *self);
guint         es_expression_get_n_terms      (const EsExpression  *self);
const char   *es_expression_get_term_word    (const EsExpression  *self,
                                              guint                term);
double        es_expression_get_term_weight  (const EsExpression  *self,
                                              guint                term);
/* 1-based character column of the term in the text, for messages. */
guint         es_expression_get_term_column  (const EsExpression  *self,
                                              guint                term);
/* Looks every word up (each exact first, then ignoring case when
 * @ignore_case), and fails naming the first unknown word and its column.
 */
gboolean      es_expression_resolve          (const EsExpression  *self,
                                              EsEmbeddingSet      *set,
                                              gboolean             ignore_case,
                                              gsize               *rows,
                                              GError             **error);
/* sum of weight * v(word), in double; with @unit_terms each word vector is
 * first scaled to unit length (gensim's most_similar does that).
 */
gboolean      es_expression_evaluate         (const EsExpression  *self,
                                              EsEmbeddingSet      *set,
                                              gboolean             unit_terms,
                                              double              *out,
                                              GError             **error);
char         *es_expression_to_string        (const EsExpression  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsExpression, es_expression_free)

G_END_DECLS
