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
 *
 * In detail:
 *  - exactly one sign between two terms ("a - - b" is an error); U+2212
 *    MINUS SIGN is the same as '-';
 *  - a number is digits with an optional '.' and exponent ("2", "0.5",
 *    ".25", "1e-3"), read locale-independently; it is a weight only when
 *    '*' follows, otherwise it is an ordinary word ("1990", "3rd");
 *  - "avg" is the function only when '(' follows; its arguments are full
 *    expressions and the weight in front of avg multiplies them all; quote
 *    it ("avg") to mean the word;
 *  - whitespace between tokens is ignored;
 *  - columns count characters from 1; a term's column is where its word
 *    (or its opening quote) starts.
 * Syntax errors are ES_ENGINE_ERROR_EXPRESSION, "expected a word at column
 * 7"; unknown words ES_ENGINE_ERROR_UNKNOWN_WORD, "unknown word 'foo' at
 * column 7".
 */
/* As es_expression_parse (), except that a @text that is exactly a word of
 * @set is that word (a literal), so "e-mail" is not "e minus mail".  The
 * CLI, search, analogy and axes all resolve queries through this.
 */
EsExpression *es_expression_parse_for_set (const char      *text,
                                           EsEmbeddingSet  *set,
                                           GError         **error);
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
 * first scaled to unit length (gensim's most_similar does that; a zero
 * vector stays zero).  Words resolve exactly, then ignoring case; a word
 * whose row holds NaN or Inf is ES_ENGINE_ERROR_NUMERIC.
 */
gboolean      es_expression_evaluate         (const EsExpression  *self,
                                              EsEmbeddingSet      *set,
                                              gboolean             unit_terms,
                                              double              *out,
                                              GError             **error);
char         *es_expression_to_string        (const EsExpression  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsExpression, es_expression_free)

G_END_DECLS
