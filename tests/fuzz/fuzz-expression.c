/* fuzz-expression.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The word-expression grammar of analogies and custom axes: parse, print,\n * resolve and evaluate on a fixed four-word set (one of its rows NaN).
 */

#define G_LOG_DOMAIN "es-fuzz"

#include "config.h"

#include <string.h>

#include "es-fuzz.h"

#include <math.h>

#include "es-expression.h"

static EsEmbeddingSet *
fixed_set (void)
{
  static EsEmbeddingSet *set = NULL;

  if (set == NULL)
    {
      const char * const words[] = { "king", "Queen", "man", "nan-row", "avg", "é" };
      const float values[] = {
        1, 2, 3,
        4, 5, 6,
        0, 0, 0,
        NAN, 1, 2,
        -1, 0.5f, 2,
        1e30f, -1e30f, 1e-30f,
      };

      set = es_embedding_set_new_from_arrays (G_N_ELEMENTS (words), 3, words, values);
    }

  return set;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(EsExpression) expression = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *printed = NULL;
  g_autofree gsize *rows = NULL;
  double out[3];

  expression = es_expression_parse (text, &error);
  g_assert ((expression == NULL) != (error == NULL));
  if (expression == NULL)
    return 0;

  printed = es_expression_to_string (expression);
  g_assert (printed != NULL);
  for (guint i = 0; i < es_expression_get_n_terms (expression); i++)
    {
      g_assert (es_expression_get_term_word (expression, i) != NULL);
      (void) es_expression_get_term_weight (expression, i);
      (void) es_expression_get_term_column (expression, i);
    }

  rows = g_new0 (gsize, MAX (es_expression_get_n_terms (expression), 1));
  if (!es_expression_resolve (expression, fixed_set (), size % 2, rows, &error))
    {
      g_assert (error != NULL);
      g_clear_error (&error);
    }
  if (!es_expression_evaluate (expression, fixed_set (), size % 3 == 0, out, &error))
    g_assert (error != NULL);

  return 0;
}
