/* es-cli-transform.c: embedscope transform
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-cli"

#include "config.h"

#include <stdio.h>

#include "es-cli-private.h"
#include "es-embedding-writer.h"
#include "es-transform.h"

/* W from an .npy file (float32 or float64, 2-D): the loader reads it, so
 * it gets the same checks as any input; only .npy is accepted, since a
 * text "matrix" would be a set of words.
 */
static EsEmbeddingSet *
load_matrix (const char  *path,
             GError     **error)
{
  EsLoadOptions options;
  g_autoptr(EsEmbeddingSet) w = NULL;

  es_load_options_init (&options);
  if (!(w = es_loader_load_path (path, &options, NULL, NULL, NULL, error)))
    return NULL;
  if (es_embedding_set_get_format (w) != ES_FORMAT_NPY)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_FORMAT,
                   "%s: the matrix must be a 2-D .npy file (float32 or float64), not %s",
                   path, es_format_to_string (es_embedding_set_get_format (w)));
      return NULL;
    }

  return g_steal_pointer (&w);
}

/* The directions of the --remove-direction expressions, each a sum of
 * unit word vectors as in analogies ("he - she").
 */
static double *
evaluate_directions (EsEmbeddingSet  *set,
                     char           **expressions,
                     GError         **error)
{
  guint n = g_strv_length (expressions);
  gsize dims = es_embedding_set_get_dims (set);
  g_autofree double *directions = g_new0 (double, (gsize) n * dims);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EsExpression) expression = es_expression_parse_for_set (expressions[i], set, error);

      if (expression == NULL ||
          !es_expression_evaluate (expression, set, TRUE, directions + (gsize) i * dims, error))
        {
          g_prefix_error (error, "--remove-direction '%s': ", expressions[i]);
          return NULL;
        }
    }

  return g_steal_pointer (&directions);
}

int
_es_cli_transform (int    argc,
                   char **argv)
{
  const EsCliCommand *command = _es_cli_find_command ("transform");
  EsCliCommon common = { 0 };
  g_autofree char *matrix_path = NULL;
  g_auto(GStrv) remove = NULL;
  g_autofree char *output = NULL;
  g_autofree char *format_name = NULL;
  g_autofree char *words = NULL;
  const GOptionEntry entries[] = {
    { "matrix", 0, 0, G_OPTION_ARG_FILENAME, &matrix_path,
      "Multiply every row by this DIMS × D' matrix (.npy, float32 or float64)", "W.npy" },
    { "remove-direction", 0, 0, G_OPTION_ARG_STRING_ARRAY, &remove,
      "Project out the direction of this word expression (repeatable)", "EXPR" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Where the new embedding goes", "OUT" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name,
      "w2v-text, w2v-binary, glove or npy (default: from OUT's name)", "FORMAT" },
    { "words", 0, 0, G_OPTION_ARG_FILENAME, &words,
      "With npy: where the words TSV goes (default OUT without .npy + .words.tsv)", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = _es_cli_context_new (command, &common, entries);
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(EsEmbeddingSet) w = NULL;
  g_autoptr(EsEmbeddingSet) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *words_path = NULL;
  g_autofree double *directions = NULL;
  guint n_remove;
  EsFormat format;
  int status;

  if ((status = _es_cli_parse (context, command, &common, &argc, &argv, 1)) >= 0)
    goto out;
  n_remove = remove != NULL ? g_strv_length (remove) : 0;
  if ((matrix_path != NULL) == (n_remove > 0))
    {
      status = _es_cli_usage_error (command, "give either --matrix or --remove-direction");
      goto out;
    }
  if (output == NULL)
    {
      status = _es_cli_usage_error (command, "--output is required");
      goto out;
    }
  if ((status = _es_cli_vectors_format (command, format_name, words, output, &format)) >= 0)
    goto out;

  if (!(set = _es_cli_load (argv[1], &common, &error)))
    {
      status = _es_cli_input_error (argv[1], error);
      goto out;
    }
  if (!common.json)
    _es_cli_print_warnings (set);
  /* Fail before the work when the words cannot be written. */
  if (!es_embedding_writer_check_words (set, format, &error))
    {
      status = _es_cli_input_error (argv[1], error);
      goto out;
    }

  if (matrix_path != NULL)
    {
      if (!(w = load_matrix (matrix_path, &error)))
        {
          status = _es_cli_input_error (matrix_path, error);
          goto out;
        }
      result = es_transform_matrix (set, es_embedding_set_get_matrix (w), matrix_path, NULL, &error);
    }
  else if ((directions = evaluate_directions (set, remove, &error)) != NULL)
    result = es_transform_remove_directions (set, directions, n_remove,
                                             (const char * const *) remove, NULL, &error);
  if (result == NULL)
    {
      status = _es_cli_input_error (argv[1], error);
      goto out;
    }

  if (!_es_cli_write_vectors (result, output, format, words, &words_path, &error))
    {
      status = _es_cli_input_error (output, error);
      goto out;
    }

  if (common.json)
    {
      EsJsonBuilder *builder = es_json_builder_new ();

      es_json_builder_begin_object (builder);
      _es_cli_vectors_written_json (builder, result, output, format, words_path);
      es_json_builder_member (builder, "removed_directions");
      es_json_builder_int (builder, n_remove);
      es_json_builder_end_object (builder);
      _es_cli_print_json (builder);
    }
  else
    _es_cli_print_vectors_written (result, output, format, words_path);
  status = ES_CLI_EXIT_OK;

out:
  _es_cli_common_clear (&common);
  return status;
}
