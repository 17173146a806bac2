/* es-cli-layout-quality.c: the quality figures every map prints
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-cli"

#include "config.h"

#include "es-cli-private.h"
#include "es-layout-quality.h"

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
