/* es-cli-layout-quality.c: the quality figures every map prints
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-cli"

#include "config.h"

#include "es-cli-private.h"

void
_es_cli_layout_quality_json (EsJsonBuilder  *builder,
                             EsEmbeddingSet *set,
                             const EsMatrix *coords,
                             EsMetric        metric)
{
  (void) builder;
  (void) set;
  (void) coords;
  (void) metric;
}
