/* es-expression.c: the word-arithmetic grammar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-expression"

#include "config.h"

#include "es-expression.h"

#include "es-engine-error.h"

#include <math.h>
#include <string.h>

/* Grammar details beyond the header:
 *
 *  - Signs are ASCII '+' / '-' or U+2212 MINUS SIGN.  The first term may
 *    carry a sign; "a - - b" is a syntax error (one sign between terms).
 *  - A weight is a decimal number (digits, optional '.', optional exponent),
 *    parsed with g_ascii_strtod so it never depends on the locale, and must
 *    be followed by '*'.  A number not followed by '*' is an ordinary word
 *    ("1990", "3rd").
 *  - "avg" followed by '(' is the function; quote it ("avg") for the word.
 *    The arguments are full expressions, each weighted 1/n and multiplied
 *    by the weight and sign in front of avg; avg may nest.
 *  - Whitespace (ASCII and Unicode) separates tokens and is otherwise
 *    ignored.  Columns count characters (not bytes), starting at 1; a
 *    term's column is where its word (or opening quote) starts.
 */

typedef struct
{
  char   *word;
  double  weight;
  guint   column;
} Term;

struct _EsExpression
{
  GArray *terms; /* Term */
};

typedef struct
{
  const char *text;
  const char *p;
  GArray     *terms;
  guint       depth;
} Parser;

#define MAX_DEPTH 64
#define MINUS_SIGN "\xe2\x88\x92" /* U+2212 */

static void
term_clear (gpointer data)
{
  Term *term = data;

  g_free (term->word);
}

static guint
parser_column (const Parser *parser,
               const char   *at)
{
  return (guint) g_utf8_strlen (parser->text, at - parser->text) + 1;
}

static void
skip_space (Parser *parser)
{
  while (*parser->p != '\0')
    {
      gunichar c = g_utf8_get_char_validated (parser->p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2 || !g_unichar_isspace (c))
        break;
      parser->p = g_utf8_next_char (parser->p);
    }
}

static gboolean
is_word_stop (const char *p)
{
  gunichar c;

  if (*p == '\0' || strchr ("+-*(),\"", *p) != NULL)
    return TRUE;
  if (strncmp (p, MINUS_SIGN, strlen (MINUS_SIGN)) == 0)
    return TRUE;

  c = g_utf8_get_char_validated (p, -1);

  return c != (gunichar) -1 && c != (gunichar) -2 && g_unichar_isspace (c);
}

/* Advances over one character, or one byte when the text is not UTF-8
 * (words are byte strings; we never refuse them here).
 */
static const char *
next_char (const char *p)
{
  gunichar c = g_utf8_get_char_validated (p, -1);

  if (c == (gunichar) -1 || c == (gunichar) -2)
    return p + 1;

  return g_utf8_next_char (p);
}

static gboolean
parse_error (Parser      *parser,
             const char  *at,
             GError     **error,
             const char  *what)
{
  if (*at == '\0')
    g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_EXPRESSION,
                 "%s at column %u (end of expression)", what, parser_column (parser, at));
  else
    g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_EXPRESSION,
                 "%s at column %u", what, parser_column (parser, at));

  return FALSE;
}

/* Reads an optional sign; returns +1, -1, or 0 when there is none. */
static int
parse_sign (Parser *parser)
{
  skip_space (parser);

  if (*parser->p == '+')
    {
      parser->p++;
      return 1;
    }
  if (*parser->p == '-')
    {
      parser->p++;
      return -1;
    }
  if (strncmp (parser->p, MINUS_SIGN, strlen (MINUS_SIGN)) == 0)
    {
      parser->p += strlen (MINUS_SIGN);
      return -1;
    }

  return 0;
}

/* A weight is a number immediately followed (after optional spaces) by '*'. */
static gboolean
scan_weight (Parser *parser,
             double *weight)
{
  const char *p = parser->p;
  const char *start = p;
  gboolean digits = FALSE;
  g_autofree char *number = NULL;

  while (g_ascii_isdigit (*p))
    p++, digits = TRUE;
  if (*p == '.')
    {
      p++;
      while (g_ascii_isdigit (*p))
        p++, digits = TRUE;
    }
  if (!digits)
    return FALSE;
  if (*p == 'e' || *p == 'E')
    {
      const char *q = p + 1;

      if (*q == '+' || *q == '-')
        q++;
      if (g_ascii_isdigit (*q))
        {
          while (g_ascii_isdigit (*q))
            q++;
          p = q;
        }
    }

  number = g_strndup (start, p - start);
  parser->p = p;
  skip_space (parser);
  if (*parser->p != '*')
    {
      parser->p = start;
      return FALSE;
    }

  parser->p++;
  *weight = g_ascii_strtod (number, NULL);

  return TRUE;
}

static gboolean parse_expr (Parser   *parser,
                            double    scale,
                            gboolean  in_avg,
                            GError  **error);

static gboolean
parse_avg (Parser  *parser,
           double   scale,
           GError **error)
{
  /* Arguments are parsed into the same list; their weights are divided by
   * the argument count once it is known.
   */
  guint first = parser->terms->len;
  guint n_args = 0;

  if (++parser->depth > MAX_DEPTH)
    return parse_error (parser, parser->p, error, "expression nested too deeply");

  for (;;)
    {
      if (!parse_expr (parser, scale, TRUE, error))
        return FALSE;
      n_args++;

      skip_space (parser);
      if (*parser->p == ',')
        {
          parser->p++;
          continue;
        }
      if (*parser->p == ')')
        {
          parser->p++;
          break;
        }

      return parse_error (parser, parser->p, error, "expected ',' or ')'");
    }

  for (guint i = first; i < parser->terms->len; i++)
    g_array_index (parser->terms, Term, i).weight /= n_args;

  parser->depth--;

  return TRUE;
}

static gboolean
parse_quoted (Parser  *parser,
              char   **word,
              GError **error)
{
  const char *open = parser->p;
  g_autoptr(GString) out = g_string_new (NULL);

  parser->p++;
  for (;;)
    {
      if (*parser->p == '\0')
        return parse_error (parser, open, error, "unterminated quote");
      if (*parser->p == '"')
        {
          parser->p++;
          break;
        }
      if (*parser->p == '\\' && (parser->p[1] == '"' || parser->p[1] == '\\'))
        parser->p++;
      g_string_append_c (out, *parser->p);
      parser->p++;
    }

  if (out->len == 0)
    return parse_error (parser, open, error, "empty quoted word");

  *word = g_string_free (g_steal_pointer (&out), FALSE);

  return TRUE;
}

static gboolean
parse_term (Parser  *parser,
            double   weight,
            GError **error)
{
  const char *start;
  double number;
  Term term = { 0 };

  skip_space (parser);
  start = parser->p;
  if (scan_weight (parser, &number))
    {
      if (!isfinite (number))
        return parse_error (parser, start, error, "weight out of range");
      weight *= number;
      skip_space (parser);
    }

  start = parser->p;

  if (*start == '"')
    {
      if (!parse_quoted (parser, &term.word, error))
        return FALSE;
    }
  else
    {
      while (!is_word_stop (parser->p))
        parser->p = next_char (parser->p);

      if (parser->p == start)
        return parse_error (parser, start, error, "expected a word");

      if (parser->p - start == 3 && strncmp (start, "avg", 3) == 0)
        {
          const char *after = parser->p;

          skip_space (parser);
          if (*parser->p == '(')
            {
              parser->p++;
              return parse_avg (parser, weight, error);
            }
          parser->p = after;
        }

      term.word = g_strndup (start, parser->p - start);
    }

  term.weight = weight;
  term.column = parser_column (parser, start);
  g_array_append_val (parser->terms, term);

  return TRUE;
}

static gboolean
parse_expr (Parser   *parser,
            double    scale,
            gboolean  in_avg,
            GError  **error)
{
  int sign = parse_sign (parser);

  if (!parse_term (parser, sign < 0 ? -scale : scale, error))
    return FALSE;

  for (;;)
    {
      skip_space (parser);
      if (*parser->p == '\0')
        break;
      if (in_avg && (*parser->p == ',' || *parser->p == ')'))
        break;

      sign = parse_sign (parser);
      if (sign == 0)
        {
          if (*parser->p == ')' || *parser->p == ',')
            return parse_error (parser, parser->p, error,
                                *parser->p == ')' ? "unexpected ')'" : "unexpected ','");
          return parse_error (parser, parser->p, error, "expected '+' or '-'");
        }

      skip_space (parser);
      {
        const char *second = parser->p;

        if (parse_sign (parser) != 0)
          return parse_error (parser, second, error, "expected a word");
      }

      if (!parse_term (parser, sign < 0 ? -scale : scale, error))
        return FALSE;
    }

  return TRUE;
}

EsExpression *
es_expression_parse (const char  *text,
                     GError     **error)
{
  Parser parser = { 0 };
  g_autoptr(GArray) terms = g_array_new (FALSE, FALSE, sizeof (Term));
  EsExpression *self;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_array_set_clear_func (terms, term_clear);

  parser.text = text;
  parser.p = text;
  parser.terms = terms;

  skip_space (&parser);
  if (*parser.p == '\0')
    {
      g_set_error_literal (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_EXPRESSION,
                           "empty expression");
      return NULL;
    }

  if (!parse_expr (&parser, 1.0, FALSE, error))
    return NULL;

  self = g_new0 (EsExpression, 1);
  self->terms = g_steal_pointer (&terms);

  return self;
}

EsExpression *
es_expression_parse_for_set (const char      *text,
                             EsEmbeddingSet  *set,
                             GError         **error)
{
  gsize row;

  g_return_val_if_fail (text != NULL, NULL);

  /* "e-mail", "new_york", "c++": a query that is exactly a word of the
   * vocabulary means that word, whatever it would parse as.
   */
  if (set != NULL && *text != '\0' && es_embedding_set_lookup (set, text, &row))
    {
      g_autoptr(GArray) terms = g_array_new (FALSE, FALSE, sizeof (Term));
      Term term = { g_strdup (text), 1.0, 0 };
      EsExpression *self;

      g_array_set_clear_func (terms, term_clear);
      g_array_append_val (terms, term);
      self = g_new0 (EsExpression, 1);
      self->terms = g_steal_pointer (&terms);
      return self;
    }
  return es_expression_parse (text, error);
}

void
es_expression_free (EsExpression *self)
{
  if (self == NULL)
    return;

  g_array_unref (self->terms);
  g_free (self);
}

guint
es_expression_get_n_terms (const EsExpression *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->terms->len;
}

const char *
es_expression_get_term_word (const EsExpression *self,
                             guint               term)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (term < self->terms->len, NULL);

  return g_array_index (self->terms, Term, term).word;
}

double
es_expression_get_term_weight (const EsExpression *self,
                               guint               term)
{
  g_return_val_if_fail (self != NULL, 0.0);
  g_return_val_if_fail (term < self->terms->len, 0.0);

  return g_array_index (self->terms, Term, term).weight;
}

guint
es_expression_get_term_column (const EsExpression *self,
                               guint               term)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (term < self->terms->len, 0);

  return g_array_index (self->terms, Term, term).column;
}

gboolean
es_expression_resolve (const EsExpression  *self,
                       EsEmbeddingSet      *set,
                       gboolean             ignore_case,
                       gsize               *rows,
                       GError             **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (set != NULL, FALSE);

  for (guint i = 0; i < self->terms->len; i++)
    {
      const Term *term = &g_array_index (self->terms, Term, i);
      gsize row;

      if (!es_embedding_set_lookup (set, term->word, &row) &&
          !(ignore_case && es_embedding_set_lookup_ignore_case (set, term->word, &row)))
        {
          g_autofree char *display = g_utf8_make_valid (term->word, -1);

          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_UNKNOWN_WORD,
                       "unknown word '%s' at column %u", display, term->column);
          return FALSE;
        }

      if (rows != NULL)
        rows[i] = row;
    }

  return TRUE;
}

/* Words are looked up exactly first and then ignoring case, so a query that
 * gensim accepts resolves to the same rows, and "King" still works when
 * only "king" exists.  A word whose vector holds NaN or Inf is refused.
 */
gboolean
es_expression_evaluate (const EsExpression  *self,
                        EsEmbeddingSet      *set,
                        gboolean             unit_terms,
                        double              *out,
                        GError             **error)
{
  gsize dims;
  g_autofree gsize *rows = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (set != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  dims = es_embedding_set_get_dims (set);
  rows = g_new (gsize, MAX (self->terms->len, 1));

  if (!es_expression_resolve (self, set, TRUE, rows, error))
    return FALSE;

  memset (out, 0, dims * sizeof (double));

  for (guint i = 0; i < self->terms->len; i++)
    {
      const Term *term = &g_array_index (self->terms, Term, i);
      const float *v = es_embedding_set_get_vector (set, rows[i]);
      double scale = term->weight;

      if (!es_embedding_set_is_row_valid (set, rows[i]))
        {
          g_autofree char *display = g_utf8_make_valid (term->word, -1);

          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC,
                       "the vector of '%s' at column %u holds NaN or Inf",
                       display, term->column);
          return FALSE;
        }

      if (unit_terms)
        {
          double norm = 0.0;

          for (gsize j = 0; j < dims; j++)
            norm += (double) v[j] * v[j];
          norm = sqrt (norm);

          /* A zero vector stays zero instead of becoming NaN. */
          if (norm == 0.0)
            continue;
          scale /= norm;
        }

      for (gsize j = 0; j < dims; j++)
        out[j] += scale * v[j];
    }

  return TRUE;
}

static gboolean
word_needs_quotes (const char *word)
{
  const char *p;

  if (*word == '\0' || strcmp (word, "avg") == 0)
    return TRUE;

  /* Something that starts like a weight would be read as one. */
  if (g_ascii_isdigit (*word) || *word == '.')
    {
      for (p = word; *p != '\0'; p++)
        if (!g_ascii_isdigit (*p) && *p != '.' && *p != 'e' && *p != 'E')
          break;
      if (*p == '\0')
        return FALSE;
    }

  for (p = word; *p != '\0'; p = next_char (p))
    if (*p == '\\' || is_word_stop (p))
      return TRUE;

  return FALSE;
}

/* The shortest decimal that reads back as the same double. */
static void
format_weight (GString *out,
               double   weight)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (int digits = 6; digits <= 17; digits++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", digits);
      g_ascii_formatd (buf, sizeof buf, format, weight);
      if (g_ascii_strtod (buf, NULL) == weight)
        break;
    }

  g_string_append (out, buf);
}

/* A canonical text that parses back to the same terms. */
char *
es_expression_to_string (const EsExpression *self)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_string_new (NULL);

  for (guint i = 0; i < self->terms->len; i++)
    {
      const Term *term = &g_array_index (self->terms, Term, i);
      double weight = term->weight;
      gboolean negative = signbit (weight);

      if (i == 0)
        g_string_append (out, negative ? "-" : "");
      else
        g_string_append (out, negative ? " - " : " + ");

      weight = fabs (weight);
      if (weight != 1.0)
        {
          format_weight (out, weight);
          g_string_append_c (out, '*');
        }

      if (word_needs_quotes (term->word))
        {
          g_string_append_c (out, '"');
          for (const char *p = term->word; *p != '\0'; p++)
            {
              if (*p == '"' || *p == '\\')
                g_string_append_c (out, '\\');
              g_string_append_c (out, *p);
            }
          g_string_append_c (out, '"');
        }
      else
        g_string_append (out, term->word);
    }

  return g_string_free (out, FALSE);
}
