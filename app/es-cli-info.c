/* es-cli-info.c: embedscope info
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "es-cli-private.h"
#include "es-safetensors.h"

#define N_FIRST_WORDS 5

/* The tensors of a .safetensors file or a sharded index: name, dtype and
 * shape (dtype and shape unknown for an index's entries, which name a
 * shard instead).  NULL when @path is neither.
 */
typedef struct
{
  char    *name;
  char    *dtype;   /* NULL for an index */
  char    *shape;   /* "[6, 4]", or the shard file */
  guint    n_dims;
  guint64  dims[ES_TENSOR_MAX_DIMS];
} TensorRow;

static void
tensor_row_free (gpointer pointer)
{
  TensorRow *row = pointer;

  g_free (row->name);
  g_free (row->dtype);
  g_free (row->shape);
  g_free (row);
}

static GPtrArray *
list_tensors (const char  *path,
              gboolean    *is_index,
              GError     **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  const guint8 *data;
  gsize len;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) ||
      (mapped = g_mapped_file_new (path, FALSE, NULL)) == NULL)
    return NULL;
  data = (const guint8 *) g_mapped_file_get_contents (mapped);
  len = g_mapped_file_get_length (mapped);
  rows = g_ptr_array_new_with_free_func (tensor_row_free);
  *is_index = FALSE;
  if (data != NULL && es_safetensors_sniff (data, len))
    {
      g_autoptr(EsSafetensors) file = es_safetensors_parse (path, data, len, error);

      if (file == NULL)
        return NULL;
      for (guint i = 0; i < es_safetensors_get_n_tensors (file); i++)
        {
          const EsTensorInfo *info = es_safetensors_get_tensor (file, i);
          TensorRow *row = g_new0 (TensorRow, 1);
          GString *shape = g_string_new ("[");

          for (guint d = 0; d < info->n_dims; d++)
            g_string_append_printf (shape, "%s%" G_GUINT64_FORMAT, d > 0 ? ", " : "", info->shape[d]);
          g_string_append_c (shape, ']');
          row->n_dims = info->n_dims;
          memcpy (row->dims, info->shape, sizeof row->dims);
          row->name = g_strdup (info->name);
          row->dtype = g_strdup (info->dtype);
          row->shape = g_string_free (shape, FALSE);
          g_ptr_array_add (rows, row);
        }
    }
  else if (data != NULL && es_safetensors_index_sniff ((const char *) data, len))
    {
      g_autoptr(GPtrArray) shards = NULL;
      g_autoptr(GPtrArray) names = es_safetensors_index_list (path, (const char *) data, len, &shards, error);

      if (names == NULL)
        return NULL;
      *is_index = TRUE;
      for (guint i = 0; i < names->len; i++)
        {
          TensorRow *row = g_new0 (TensorRow, 1);

          row->name = g_strdup (g_ptr_array_index (names, i));
          row->shape = g_strdup (g_ptr_array_index (shards, i));
          g_ptr_array_add (rows, row);
        }
    }
  else
    return NULL;

  return g_steal_pointer (&rows);
}

static void
print_tensors_human (GPtrArray *tensors,
                     gboolean   is_index)
{
  printf (is_index ? "Tensors:      %u (sharded: name, shard)\n" : "Tensors:      %u (name, dtype, shape)\n",
          tensors->len);
  for (guint i = 0; i < tensors->len; i++)
    {
      TensorRow *row = g_ptr_array_index (tensors, i);

      if (is_index)
        printf ("  %-40s %s\n", row->name, row->shape);
      else
        printf ("  %-40s %-5s %s\n", row->name, row->dtype, row->shape);
    }
}

static void
json_tensors (EsJsonBuilder *builder,
              GPtrArray     *tensors)
{
  es_json_builder_member (builder, "tensors");
  es_json_builder_begin_array (builder);
  for (guint i = 0; i < tensors->len; i++)
    {
      TensorRow *row = g_ptr_array_index (tensors, i);

      es_json_builder_begin_object (builder);
      es_json_builder_member (builder, "name");
      es_json_builder_string (builder, row->name, -1);
      if (row->dtype != NULL)
        {
          es_json_builder_member (builder, "dtype");
          es_json_builder_string (builder, row->dtype, -1);
          es_json_builder_member (builder, "shape");
          es_json_builder_begin_array (builder);
          for (guint d = 0; d < row->n_dims; d++)
            es_json_builder_int (builder, row->dims[d]);
          es_json_builder_end_array (builder);
        }
      else
        {
          es_json_builder_member (builder, "shard");
          es_json_builder_string (builder, row->shape, -1);
        }
      es_json_builder_end_object (builder);
    }
  es_json_builder_end_array (builder);
}

static void
print_json (EsEmbeddingSet *set,
            GPtrArray      *tensors)
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
  if (tensors != NULL)
    json_tensors (builder, tensors);
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
  g_autoptr(GPtrArray) tensors = NULL;
  gboolean is_index = FALSE;
  int status;

  if ((status = _es_cli_parse (context, command, &common, &argc, &argv, 1)) >= 0)
    goto out;

  /* A checkpoint: its tensors are listed even when none loads. */
  tensors = list_tensors (argv[1], &is_index, &error);
  if (error != NULL)
    {
      status = _es_cli_input_error (argv[1], error);
      goto out;
    }
  if (!(set = _es_cli_load (argv[1], &common, &error)))
    {
      if (tensors != NULL && !common.json)
        print_tensors_human (tensors, is_index);
      status = _es_cli_input_error (argv[1], error);
      goto out;
    }

  if (common.json)
    print_json (set, tensors);
  else
    {
      print_human (set);
      if (tensors != NULL)
        print_tensors_human (tensors, is_index);
    }
  status = ES_CLI_EXIT_OK;

out:
  _es_cli_common_clear (&common);
  return status;
}
