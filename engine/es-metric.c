/* es-metric.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "es-engine-types.h"

const char *
es_metric_to_string (EsMetric metric)
{
  switch (metric)
    {
    case ES_METRIC_EUCLIDEAN: return "euclidean";
    case ES_METRIC_DOT:       return "dot";
    case ES_METRIC_COSINE:
    default:                  return "cosine";
    }
}

gboolean
es_metric_from_string (const char *text,
                       EsMetric   *metric)
{
  static const EsMetric metrics[] = { ES_METRIC_COSINE, ES_METRIC_EUCLIDEAN, ES_METRIC_DOT };

  for (guint i = 0; i < G_N_ELEMENTS (metrics); i++)
    if (g_strcmp0 (text, es_metric_to_string (metrics[i])) == 0)
      {
        *metric = metrics[i];
        return TRUE;
      }

  return FALSE;
}
