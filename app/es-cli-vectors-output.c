/* es-cli-vectors-output.c: writing an embedding set, as convert and
 * transform do (the format from --format or the name, the words file
 * beside a .npy, and what was written reported)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-cli"

#include "config.h"

#include <stdio.h>

#include "es-cli-private.h"
#include "es-embedding-writer.h"

int
_es_cli_vectors_format (const EsCliCommand *command,
                        const char         *format_name,
                        const char         *words,
                        const char         *output,
                        EsFormat           *format)
{
  if (format_name == NULL)
    *format = es_embedding_format_for_path (output);
  else if (!es_embedding_format_from_name (format_name, format))
    return _es_cli_usage_error (command, "unknown format '%s' (w2v-text, w2v-binary, glove or npy)",
                                format_name);
  if (words != NULL && *format != ES_FORMAT_NPY)
    return _es_cli_usage_error (command, "--words is for --format npy only");
  return -1;
}

gboolean
_es_cli_write_vectors (EsEmbeddingSet  *set,
                       const char      *output,
                       EsFormat         format,
                       const char      *words,
                       char           **words_path,
                       GError         **error)
{
  *words_path = NULL;
  if (format == ES_FORMAT_NPY)
    *words_path = words != NULL ? g_strdup (words) : es_embedding_writer_words_path (output);
  return es_embedding_writer_write (set, output, format, *words_path, NULL, NULL, NULL, error);
}

void
_es_cli_vectors_written_json (EsJsonBuilder  *builder,
                              EsEmbeddingSet *set,
                              const char     *output,
                              EsFormat        format,
                              const char     *words_path)
{
  es_json_builder_member (builder, "output");
  es_json_builder_string (builder, output, -1);
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
}

void
_es_cli_print_vectors_written (EsEmbeddingSet *set,
                               const char     *output,
                               EsFormat        format,
                               const char     *words_path)
{
  fprintf (stderr, "Wrote %" G_GSIZE_FORMAT " × %" G_GSIZE_FORMAT " (%s) to %s%s%s\n",
           es_embedding_set_get_rows (set), es_embedding_set_get_dims (set),
           es_embedding_format_to_name (format), output,
           words_path != NULL ? " and the words to " : "", words_path != NULL ? words_path : "");
}
