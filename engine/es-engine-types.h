/* es-engine-types.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _EsMatrix       EsMatrix;
typedef struct _EsEmbeddingSet EsEmbeddingSet;
typedef struct _EsExpression   EsExpression;
typedef struct _EsProjection   EsProjection;

/* Called from the worker thread; fraction is in [0, 1]. */
typedef void (*EsProgressFunc) (double   fraction,
                                gpointer user_data);

typedef enum
{
  ES_METRIC_COSINE,
  ES_METRIC_EUCLIDEAN,
  ES_METRIC_DOT,
} EsMetric;

const char *es_metric_to_string   (EsMetric    metric);
gboolean    es_metric_from_string (const char *text,
                                   EsMetric   *metric);

G_END_DECLS
