/* es-cli-convert.c: embedscope convert
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-cli"

#include "config.h"

#include <stdio.h>

#include "es-cli-private.h"
#include "es-embedding-writer.h"

int
_es_cli_convert (int    argc,
                 char **argv)
{
  const EsCliCommand *command = _es_cli_find_command ("convert");
  EsCliCommon common = { 0 };
  g_autofree char *format_name = NULL;
  g_autofree char *words = NULL;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name,
      "w2v-text, w2v-binary, glove or npy (default: from OUT's name)", "FORMAT" },
    { "words", 0, 0, G_OPTION_ARG_FILENAME, &words,
      "With npy: where the words TSV goes (default OUT without .npy + .words.tsv)", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = _es_cli_context_new (command, &common, entries);
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *words_path = NULL;
  EsFormat format;
  int status;

  if ((status = _es_cli_parse (context, command, &common, &argc, &argv, 2)) >= 0)
    goto out;
  if ((status = _es_cli_vectors_format (command, format_name, words, argv[2], &format)) >= 0)
    goto out;

  if (!(set = _es_cli_load (argv[1], &common, &error)))
    {
      status = _es_cli_input_error (argv[1], error);
      goto out;
    }
  if (!common.json)
    _es_cli_print_warnings (set);

  if (!_es_cli_write_vectors (set, argv[2], format, words, &words_path, &error))
    {
      status = _es_cli_input_error (argv[2], error);
      goto out;
    }

  if (common.json)
    {
      EsJsonBuilder *builder = es_json_builder_new ();

      es_json_builder_begin_object (builder);
      _es_cli_vectors_written_json (builder, set, argv[2], format, words_path);
      es_json_builder_end_object (builder);
      _es_cli_print_json (builder);
    }
  else
    _es_cli_print_vectors_written (set, argv[2], format, words_path);
  status = ES_CLI_EXIT_OK;

out:
  _es_cli_common_clear (&common);
  return status;
}
