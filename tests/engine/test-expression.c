/* test-expression.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include "es-engine.h"

typedef struct
{
  const char *word;
  double      weight;
  guint       column;
} ExpectedTerm;

static void
assert_terms (const char         *text,
              const ExpectedTerm *expected,
              guint               n_expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsExpression) expression = es_expression_parse (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (expression);
  g_assert_cmpuint (es_expression_get_n_terms (expression), ==, n_expected);

  for (guint i = 0; i < n_expected; i++)
    {
      g_assert_cmpstr (es_expression_get_term_word (expression, i), ==, expected[i].word);
      g_assert_cmpfloat_with_epsilon (es_expression_get_term_weight (expression, i),
                                      expected[i].weight, 1e-15);
      g_assert_cmpuint (es_expression_get_term_column (expression, i), ==, expected[i].column);
    }
}

static void
test_expression_simple (void)
{
  static const ExpectedTerm single[] = { { "king", 1.0, 1 } };
  static const ExpectedTerm analogy[] = {
    { "king", 1.0, 1 }, { "man", -1.0, 8 }, { "woman", 1.0, 14 },
  };
  static const ExpectedTerm spaced[] = {
    { "king", 1.0, 3 }, { "man", -1.0, 9 }, { "woman", 1.0, 16 },
  };
  static const ExpectedTerm leading[] = { { "a", -1.0, 2 }, { "b", 1.0, 4 } };
  static const ExpectedTerm plus[] = { { "a", 1.0, 3 } };

  g_test_summary ("Words joined by + and - get weights +1 and -1 and their columns");

  assert_terms ("king", single, 1);
  assert_terms ("king - man + woman", analogy, 3);
  assert_terms ("  king\t-man +\n woman  ", spaced, 3);
  assert_terms ("-a+b", leading, 2);
  assert_terms ("+ a", plus, 1);
}

static void
test_expression_unicode_minus (void)
{
  /* U+2212 is one character: columns count characters, not bytes. */
  static const ExpectedTerm expected[] = {
    { "king", 1.0, 1 }, { "man", -1.0, 8 }, { "woman", 1.0, 14 },
  };
  static const ExpectedTerm leading[] = { { "é", -1.0, 2 }, { "b", -1.0, 6 } };

  g_test_summary ("U+2212 MINUS SIGN subtracts like '-'");

  assert_terms ("king \xe2\x88\x92 man + woman", expected, 3);
  assert_terms ("\xe2\x88\x92\xc3\xa9 \xe2\x88\x92 b", leading, 2);
}

static void
test_expression_weights (void)
{
  static const ExpectedTerm expected[] = {
    { "king", 0.5, 5 }, { "queen", -2.0, 16 }, { "x", 1e-3, 29 }, { "y", 0.25, 37 },
  };
  static const ExpectedTerm numeric_words[] = {
    { "1990", 1.0, 1 }, { "3rd", -1.0, 8 }, { "7", 2.0, 16 },
  };

  g_test_summary ("Weights like 0.5*word scale a term; numbers without '*' are words");

  assert_terms ("0.5*king - 2 * queen + 1e-3*x + .25*y", expected, 4);
  assert_terms ("1990 - 3rd + 2*7", numeric_words, 3);
}

static void
test_expression_weights_locale (void)
{
  static const ExpectedTerm expected[] = { { "a", 0.5, 5 } };
  g_autofree char *old = g_strdup (setlocale (LC_NUMERIC, NULL));

  g_test_summary ("Weights parse the same under a locale with a decimal comma");

  if (setlocale (LC_NUMERIC, "de_DE.UTF-8") == NULL &&
      setlocale (LC_NUMERIC, "fr_FR.UTF-8") == NULL)
    g_test_message ("no decimal-comma locale installed; checking the C locale only");

  assert_terms ("0.5*a", expected, 1);
  setlocale (LC_NUMERIC, old);
}

static void
test_expression_avg (void)
{
  static const ExpectedTerm expected[] = {
    { "a", 1.0 / 3, 5 }, { "b", 1.0 / 3, 8 }, { "c", 1.0 / 3, 11 }, { "d", -1.0, 16 },
  };
  static const ExpectedTerm weighted[] = {
    { "x", -0.5, 10 }, { "y", -0.5, 13 }, { "z", 0.5, 17 },
  };
  static const ExpectedTerm nested[] = {
    { "a", 0.5, 5 }, { "b", 0.25, 12 }, { "c", 0.25, 15 },
  };
  static const ExpectedTerm avg_word[] = { { "avg", 1.0, 1 }, { "avg", 1.0, 7 } };

  g_test_summary ("avg(a, b, c) weighs each argument 1/n, times the weight in front");

  assert_terms ("avg(a, b, c) - d", expected, 4);
  assert_terms ("-1*avg ( x, y - z )", weighted, 3);
  assert_terms ("avg(a, avg(b, c))", nested, 3);
  assert_terms ("avg + \"avg\"", avg_word, 2);
}

static void
test_expression_quotes (void)
{
  static const ExpectedTerm expected[] = {
    { "new york", 1.0, 1 }, { "e-mail", -1.0, 14 }, { "say \"hi\"\\", 1.0, 25 },
  };

  g_test_summary ("Double quotes hold spaces and operator characters, \\\" and \\\\ escape");

  assert_terms ("\"new york\" - \"e-mail\" + \"say \\\"hi\\\"\\\\\"", expected, 3);
}

static void
assert_parse_error (const char *text,
                    const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsExpression) expression = es_expression_parse (text, &error);

  g_assert_null (expression);
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_EXPRESSION);
  g_test_message ("%s -> %s", text, error->message);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_expression_syntax_errors (void)
{
  g_test_summary ("Syntax errors name the 1-based column where parsing stopped");

  assert_parse_error ("", "empty expression");
  assert_parse_error ("   ", "empty expression");
  assert_parse_error ("king +", "expected a word at column 7 (end of expression)");
  assert_parse_error ("king - - man", "expected a word at column 8");
  assert_parse_error ("king man", "expected '+' or '-' at column 6");
  assert_parse_error ("a + \"b c", "unterminated quote at column 5");
  assert_parse_error ("a + \"\"", "empty quoted word at column 5");
  assert_parse_error ("avg(a, b", "expected ',' or ')' at column 9 (end of expression)");
  assert_parse_error ("avg(a,)", "expected a word at column 7");
  assert_parse_error ("a)", "unexpected ')' at column 2");
  assert_parse_error ("a * b", "expected '+' or '-' at column 3");
  assert_parse_error ("0.5*", "expected a word at column 5 (end of expression)");
  assert_parse_error ("a + 1e999*b", "weight out of range at column 5");
  assert_parse_error ("\xc3\xa9 \xe2\x88\x92 (", "expected a word at column 5");
}

static void
test_expression_round_trip (void)
{
  static const char *texts[] = {
    "king - man + woman",
    "-0.5*a + 0.1*b - 3*\"new york\"",
    "avg(a, b, c) + \"avg\" - \"x\\\"y\"",
    "\"1990\" + 2*\"3\"",
  };

  g_test_summary ("to_string gives text that parses back to the same terms");

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(EsExpression) a = es_expression_parse (texts[i], NULL);
      g_autofree char *text = es_expression_to_string (a);
      g_autoptr(EsExpression) b = es_expression_parse (text, NULL);

      g_test_message ("%s -> %s", texts[i], text);
      g_assert_nonnull (b);
      g_assert_cmpuint (es_expression_get_n_terms (a), ==, es_expression_get_n_terms (b));
      for (guint t = 0; t < es_expression_get_n_terms (a); t++)
        {
          g_assert_cmpstr (es_expression_get_term_word (a, t), ==,
                           es_expression_get_term_word (b, t));
          g_assert_cmpfloat (es_expression_get_term_weight (a, t), ==,
                             es_expression_get_term_weight (b, t));
        }
    }
}

static EsEmbeddingSet *
make_set (void)
{
  static const char *words[] = { "king", "man", "woman", "Paris", "zero", NULL };
  static const float data[] = {
    3, 4, 0,
    1, 0, 0,
    0, 2, 0,
    0, 0, -5,
    0, 0, 0,
  };

  return es_embedding_set_new_from_arrays (5, 3, words, data);
}

static void
test_expression_resolve (void)
{
  g_autoptr(EsEmbeddingSet) set = make_set ();
  g_autoptr(EsExpression) expression = es_expression_parse ("king - paris + PARIS", NULL);
  g_autoptr(EsExpression) unknown = es_expression_parse ("king + 0.5*\"foo\"", NULL);
  g_autoptr(GError) error = NULL;
  gsize rows[3];

  g_test_summary ("Resolution finds rows (optionally ignoring case) and names unknown words");

  g_assert_false (es_expression_resolve (expression, set, FALSE, rows, &error));
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_UNKNOWN_WORD);
  g_assert_cmpstr (error->message, ==, "unknown word 'paris' at column 8");
  g_clear_error (&error);

  g_assert_true (es_expression_resolve (expression, set, TRUE, rows, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rows[0], ==, 0);
  g_assert_cmpuint (rows[1], ==, 3);
  g_assert_cmpuint (rows[2], ==, 3);

  g_assert_false (es_expression_resolve (unknown, set, TRUE, rows, &error));
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_UNKNOWN_WORD);
  g_assert_cmpstr (error->message, ==, "unknown word 'foo' at column 12");
}

static void
test_expression_evaluate (void)
{
  g_autoptr(EsEmbeddingSet) set = make_set ();
  g_autoptr(EsExpression) expression = es_expression_parse ("king - man + 0.5*woman", NULL);
  g_autoptr(EsExpression) with_zero = es_expression_parse ("avg(king, Paris) - zero", NULL);
  g_autoptr(GError) error = NULL;
  double out[3];

  g_test_summary ("Evaluation equals the hand-computed weighted sums, raw and unit");

  /* (3,4,0) - (1,0,0) + 0.5*(0,2,0) = (2, 5, 0) */
  g_assert_true (es_expression_evaluate (expression, set, FALSE, out, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (out[0], 2.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (out[1], 5.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (out[2], 0.0, 1e-12);

  /* (0.6,0.8,0) - (1,0,0) + 0.5*(0,1,0) = (-0.4, 1.3, 0) */
  g_assert_true (es_expression_evaluate (expression, set, TRUE, out, &error));
  g_assert_cmpfloat_with_epsilon (out[0], -0.4, 1e-12);
  g_assert_cmpfloat_with_epsilon (out[1], 1.3, 1e-12);
  g_assert_cmpfloat_with_epsilon (out[2], 0.0, 1e-12);

  /* The zero vector stays zero when normalised: no NaN. */
  g_assert_true (es_expression_evaluate (with_zero, set, TRUE, out, &error));
  g_assert_cmpfloat_with_epsilon (out[0], 0.3, 1e-12);
  g_assert_cmpfloat_with_epsilon (out[1], 0.4, 1e-12);
  g_assert_cmpfloat_with_epsilon (out[2], -0.5, 1e-12);

  g_assert_true (es_expression_evaluate (with_zero, set, FALSE, out, &error));
  g_assert_cmpfloat_with_epsilon (out[0], 1.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (out[1], 2.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (out[2], -2.5, 1e-12);
}

static void
test_expression_evaluate_invalid_row (void)
{
  static const char *words[] = { "ok", "bad", NULL };
  const float data[] = { 1, 2, NAN, 0 };
  g_autoptr(EsEmbeddingSet) set = es_embedding_set_new_from_arrays (2, 2, words, data);
  g_autoptr(EsExpression) expression = es_expression_parse ("ok + bad", NULL);
  g_autoptr(GError) error = NULL;
  double out[2];

  g_test_summary ("A word whose vector holds NaN is refused rather than poisoning the sum");

  g_assert_false (es_expression_evaluate (expression, set, FALSE, out, &error));
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC);
}

static void
test_expression_literal_word (void)
{
  static const char *words[] = { "e-mail", "e", "mail", "c++" };
  static const float data[8] = { 1, 0, 0, 1, 0.5f, 0.5f, 1, 1 };
  g_autoptr(EsEmbeddingSet) set = es_embedding_set_new_from_arrays (4, 2, words, data);
  g_autoptr(EsExpression) literal = NULL;
  g_autoptr(EsExpression) parsed = NULL;
  g_autoptr(EsExpression) spaced = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("a query that is exactly a vocabulary word is that word (issue 11: "
                  "'e-mail' is not 'e - mail'); without the set it parses as before");
  literal = es_expression_parse_for_set ("e-mail", set, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (es_expression_get_n_terms (literal), ==, 1);
  g_assert_cmpstr (es_expression_get_term_word (literal, 0), ==, "e-mail");
  g_assert_cmpfloat (es_expression_get_term_weight (literal, 0), ==, 1.0);

  parsed = es_expression_parse ("e-mail", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (es_expression_get_n_terms (parsed), ==, 2);

  spaced = es_expression_parse_for_set ("e - mail", set, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (es_expression_get_n_terms (spaced), ==, 2);

  g_clear_pointer (&literal, es_expression_free);
  literal = es_expression_parse_for_set ("c++", set, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (es_expression_get_term_word (literal, 0), ==, "c++");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/expression/simple", test_expression_simple);
  g_test_add_func ("/engine/expression/unicode-minus", test_expression_unicode_minus);
  g_test_add_func ("/engine/expression/weights", test_expression_weights);
  g_test_add_func ("/engine/expression/weights-locale", test_expression_weights_locale);
  g_test_add_func ("/engine/expression/avg", test_expression_avg);
  g_test_add_func ("/engine/expression/quotes", test_expression_quotes);
  g_test_add_func ("/engine/expression/syntax-errors", test_expression_syntax_errors);
  g_test_add_func ("/engine/expression/round-trip", test_expression_round_trip);
  g_test_add_func ("/engine/expression/resolve", test_expression_resolve);
  g_test_add_func ("/engine/expression/evaluate", test_expression_evaluate);
  g_test_add_func ("/engine/expression/evaluate-invalid-row", test_expression_evaluate_invalid_row);
  g_test_add_func ("/engine/expression/literal-word", test_expression_literal_word);

  return g_test_run ();
}
