/* es-cli-layout-quality.c: what every map prints: its coordinates as TSV
 * and its quality figures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-cli"

#include "config.h"

#include <stdio.h>

#include "es-cli-private.h"
#include "es-layout-quality.h"
#include "es-output.h"
#include "es-writer.h"

/* word, then @prefix1 … @prefixD: one line a row (NaN for masked rows),
 * to @output through the one output path, or stdout when NULL.
 */
gboolean
_es_cli_write_coords_tsv (EsEmbeddingSet *set,
                          const EsMatrix *coords,
                          const char     *prefix,
                          const char     *output,
                          GError        **error)
{
  gsize rows = es_matrix_get_rows (coords);
  guint dims = (guint) es_matrix_get_cols (coords);
  const float *data = es_matrix_get_data (coords);
  g_autoptr(GString) tsv = g_string_sized_new (rows * 32);

  g_string_append (tsv, "word");
  for (guint d = 0; d < dims; d++)
    g_string_append_printf (tsv, "\t%s%u", prefix, d + 1);
  g_string_append_c (tsv, '\n');
  for (gsize i = 0; i < rows; i++)
    {
      g_string_append_len (tsv, es_embedding_set_get_word (set, i), es_embedding_set_get_word_len (set, i));
      for (guint d = 0; d < dims; d++)
        {
          g_autofree char *value = es_format_float (data[i * dims + d]);

          g_string_append_c (tsv, '\t');
          g_string_append (tsv, value);
        }
      g_string_append_c (tsv, '\n');
    }
  if (output == NULL)
    {
      fflush (stdout);
      output = "-";
    }
  return es_output_write_file (output, tsv->str, tsv->len, error);
}

/* "quality": kNN-10 preservation and trustworthiness on sampled rows, with
 * what a random layout would score; null when too few rows are usable.
 */
void
_es_cli_layout_quality_json (EsJsonBuilder  *builder,
                             EsEmbeddingSet *set,
                             const EsMatrix *coords,
                             EsMetric        metric)
{
  EsLayoutQualityOptions options;
  EsLayoutQuality quality;
  g_autoptr(GError) error = NULL;

  es_layout_quality_options_init (&options);
  options.metric = metric;

  es_json_builder_member (builder, "quality");
  if (!es_layout_quality_compute (set, es_matrix_get_data (coords), (guint) es_matrix_get_cols (coords),
                                  &options, NULL, &quality, &error))
    {
      es_json_builder_begin_object (builder);
      es_json_builder_member (builder, "error");
      es_json_builder_string (builder, error->message, -1);
      es_json_builder_end_object (builder);
      return;
    }
  es_json_builder_begin_object (builder);
  es_json_builder_member (builder, "n_neighbors");
  es_json_builder_int (builder, options.n_neighbors);
  es_json_builder_member (builder, "sampled_rows");
  es_json_builder_int (builder, (gint64) quality.n_sampled);
  es_json_builder_member (builder, "knn_preservation");
  es_json_builder_double (builder, quality.knn_preservation);
  es_json_builder_member (builder, "trustworthiness");
  es_json_builder_double (builder, quality.trustworthiness);
  es_json_builder_member (builder, "chance_knn_preservation");
  es_json_builder_double (builder, quality.chance_knn_preservation);
  es_json_builder_member (builder, "chance_trustworthiness");
  es_json_builder_double (builder, quality.chance_trustworthiness);
  es_json_builder_end_object (builder);
}

/* The same figures for people, or why there are none. */
void
_es_cli_print_layout_quality (EsEmbeddingSet *set,
                              const EsMatrix *coords,
                              EsMetric        metric)
{
  EsLayoutQualityOptions options;
  EsLayoutQuality quality;
  g_autoptr(GError) error = NULL;

  es_layout_quality_options_init (&options);
  options.metric = metric;
  if (!es_layout_quality_compute (set, es_matrix_get_data (coords), (guint) es_matrix_get_cols (coords),
                                  &options, NULL, &quality, &error))
    printf ("  no quality figures: %s\n", error->message);
  else
    printf ("  10-NN preservation %.3f (chance %.3f), trustworthiness %.3f (%" G_GSIZE_FORMAT
            " rows sampled)\n", quality.knn_preservation, quality.chance_knn_preservation,
            quality.trustworthiness, quality.n_sampled);
}
