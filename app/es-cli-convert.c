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
  if (format_name != NULL)
    {
      if (!es_embedding_format_from_name (format_name, &format))
        {
          status = _es_cli_usage_error (command, "unknown format '%s' (w2v-text, w2v-binary, glove or npy)",
                                        format_name);
          goto out;
        }
    }
  else
    format = es_embedding_format_for_path (argv[2]);
  if (words != NULL && format != ES_FORMAT_NPY)
    {
      status = _es_cli_usage_error (command, "--words is for --format npy only");
      goto out;
    }

  if (!(set = _es_cli_load (argv[1], &common, &error)))
    {
      status = _es_cli_input_error (argv[1], error);
      goto out;
    }
  if (!common.json)
    _es_cli_print_warnings (set);

  if (format == ES_FORMAT_NPY)
    words_path = words != NULL ? g_strdup (words) : es_embedding_writer_words_path (argv[2]);
  if (!es_embedding_writer_write (set, argv[2], format, words_path, NULL, NULL, NULL, &error))
    {
      status = _es_cli_input_error (argv[2], error);
      goto out;
    }

  if (common.json)
    {
      EsJsonBuilder *builder = es_json_builder_new ();

      es_json_builder_begin_object (builder);
      es_json_builder_member (builder, "output");
      es_json_builder_string (builder, argv[2], -1);
      es_json_builder_member (builder, "format");
      es_json_builder_string (builder, es_embedding_format_to_name (format), -1);
      if (words_path != NULL)
        {
          es_json_builder_member (builder, "words");
          es_json_builder_string (builder, words_path, -1);
        }
      es_json_builder_member (builder, "rows");
      es_json_builder_int (builder, es_embedding_set_get_rows (set));
      es_json_builder_member (builder, "dims");
      es_json_builder_int (builder, es_embedding_set_get_dims (set));
      es_json_builder_end_object (builder);
      _es_cli_print_json (builder);
    }
  else
    {
      fprintf (stderr, "Wrote %" G_GSIZE_FORMAT " × %" G_GSIZE_FORMAT " (%s) to %s",
               es_embedding_set_get_rows (set), es_embedding_set_get_dims (set),
               es_embedding_format_to_name (format), argv[2]);
      if (words_path != NULL)
        fprintf (stderr, " and the words to %s", words_path);
      fprintf (stderr, "\n");
    }
  status = ES_CLI_EXIT_OK;

out:
  _es_cli_common_clear (&common);
  return status;
}
