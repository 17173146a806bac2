/* es-cli-info.c: embedscope info
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-cli"

#include "config.h"

#include <stdio.h>

#include "es-cli-private.h"

#define N_FIRST_WORDS 5

static void
print_json (EsEmbeddingSet *set)
{
  EsJsonBuilder *builder = es_json_builder_new ();
  GPtrArray *warnings = es_embedding_set_get_warnings (set);
  gsize rows = es_embedding_set_get_rows (set);

  es_json_builder_begin_object (builder);
  es_json_builder_member (builder, "format");
  es_json_builder_string (builder, es_format_to_string (es_embedding_set_get_format (set)), -1);
  es_json_builder_member (builder, "compression");
  es_json_builder_string (builder, es_compression_to_string (es_embedding_set_get_compression (set)), -1);
  es_json_builder_member (builder, "rows");
  es_json_builder_int (builder, rows);
  es_json_builder_member (builder, "dims");
  es_json_builder_int (builder, es_embedding_set_get_dims (set));
  es_json_builder_member (builder, "words");
  es_json_builder_begin_array (builder);
  for (gsize i = 0; i < MIN (rows, N_FIRST_WORDS); i++)
    _es_cli_json_word (builder, set, i);
  es_json_builder_end_array (builder);
  es_json_builder_member (builder, "warnings");
  es_json_builder_begin_array (builder);
  for (guint i = 0; i < warnings->len; i++)
    es_json_builder_string (builder, g_ptr_array_index (warnings, i), -1);
  es_json_builder_end_array (builder);
  es_json_builder_end_object (builder);

  _es_cli_print_json (builder);
}

static void
print_human (EsEmbeddingSet *set)
{
  GPtrArray *warnings = es_embedding_set_get_warnings (set);
  gsize rows = es_embedding_set_get_rows (set);
  gsize dims = es_embedding_set_get_dims (set);
  gsize masked = rows - es_embedding_set_get_n_valid (set);
  EsMetadata *metadata = es_embedding_set_get_metadata (set);

  printf ("File:         %s\n", es_embedding_set_get_path (set));
  printf ("Format:       %s%s\n", es_format_to_string (es_embedding_set_get_format (set)),
          es_embedding_set_get_compression (set) == ES_COMPRESSION_GZIP ? ", gzip" : "");
  printf ("Rows:         %" G_GSIZE_FORMAT "\n", rows);
  if (masked > 0)
    printf ("Masked rows:  %" G_GSIZE_FORMAT " (NaN/Inf: left out of reductions and neighbours)\n", masked);
  printf ("Dimensions:   %" G_GSIZE_FORMAT "\n", dims);
  printf ("Memory:       %.1f MB (float32)\n", rows * (double) dims * 4 / 1e6);
  printf ("First words: ");
  for (gsize i = 0; i < MIN (rows, N_FIRST_WORDS); i++)
    {
      g_autofree char *word = _es_cli_display_word (set, i);

      printf (" %s", word);
    }
  printf ("\n");
  if (metadata != NULL)
    {
      printf ("Metadata:    ");
      for (guint c = 0; c < es_metadata_get_n_columns (metadata); c++)
        printf (" %s", es_metadata_get_column_name (metadata, c));
      printf ("\n");
    }
  if (warnings->len > 0)
    {
      printf ("Warnings:\n");
      for (guint i = 0; i < warnings->len; i++)
        printf ("  %s\n", (const char *) g_ptr_array_index (warnings, i));
    }
}

int
_es_cli_info (int    argc,
              char **argv)
{
  const EsCliCommand *command = _es_cli_find_command ("info");
  EsCliCommon common = { 0 };
  g_autoptr(GOptionContext) context = _es_cli_context_new (command, &common, NULL);
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if ((status = _es_cli_parse (context, command, &common, &argc, &argv, 1)) >= 0)
    goto out;

  if (!(set = _es_cli_load (argv[1], &common, &error)))
    {
      status = _es_cli_input_error (argv[1], error);
      goto out;
    }

  if (common.json)
    print_json (set);
  else
    print_human (set);
  status = ES_CLI_EXIT_OK;

out:
  _es_cli_common_clear (&common);
  return status;
}
