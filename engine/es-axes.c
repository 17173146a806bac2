/* es-axes.c: projection on axes given as word expressions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each axis is an expression ("good - bad", "avg(king, queen)") evaluated on
 * the same pre-processed vectors that are projected: with normalize the
 * words are unit vectors, with center the axis is the expression applied to
 * the centred words (sum w_i (x_i - mean)).  Its direction is normalised and
 * every row's coordinate is its dot product with it.  Angles are reported
 * before any Gram-Schmidt, because they say how independent the chosen
 * directions really are.
 */

#define G_LOG_DOMAIN "es-axes"

#include "config.h"

#include "es-projection-private.h"

#include "es-engine-error.h"
#include "es-expression.h"

#include <math.h>

/* Below this length an orthogonalised unit axis is considered to lie in
 * the span of the axes before it (about 6e-5 degrees away).
 */
#define ORTHOGONAL_EPSILON 1e-6

static double
dot (const double *a,
     const double *b,
     gsize         dims)
{
  double sum = 0.0;

  for (gsize j = 0; j < dims; j++)
    sum += a[j] * b[j];

  return sum;
}

/* The unit direction of one axis expression, into @out (dims). */
static gboolean
evaluate_axis (EsEmbeddingSet             *set,
               const EsProjectionOptions  *options,
               const double               *mean,
               guint                       axis,
               double                     *out,
               GError                    **error)
{
  const char *text = options->axes[axis];
  gsize dims = es_embedding_set_get_dims (set);
  g_autoptr(EsExpression) expression = NULL;
  double norm;

  expression = es_expression_parse_for_set (text, set, error);
  if (expression == NULL ||
      !es_expression_evaluate (expression, set, options->normalize, out, error))
    {
      g_prefix_error (error, "axis %u (\"%s\"): ", axis + 1, text);
      return FALSE;
    }

  if (mean != NULL)
    {
      double weights = 0.0;

      for (guint t = 0; t < es_expression_get_n_terms (expression); t++)
        weights += es_expression_get_term_weight (expression, t);
      for (gsize j = 0; j < dims; j++)
        out[j] -= weights * mean[j];
    }

  norm = sqrt (dot (out, out, dims));
  if (!(norm > 0.0) || !isfinite (norm))
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC,
                   "axis %u (\"%s\") is a zero vector and has no direction",
                   axis + 1, text);
      return FALSE;
    }

  for (gsize j = 0; j < dims; j++)
    out[j] /= norm;

  return TRUE;
}

EsProjection *
_es_axes_compute (EsEmbeddingSet             *set,
                  const EsProjectionOptions  *options,
                  GCancellable               *cancellable,
                  const EsStage              *stage,
                  GError                    **error)
{
  static const guint pairs[3][2] = { { 0, 1 }, { 0, 2 }, { 1, 2 } };
  gsize dims = es_embedding_set_get_dims (set);
  guint n_axes = options->axes != NULL ? g_strv_length ((char **) options->axes) : 0;
  EsRowPrep prep = { set, options->normalize, NULL };
  EsStage mean_stage = *stage, project_stage = *stage;
  g_autofree double *mean = NULL;
  g_autoptr(EsProjection) self = NULL;
  double *axes;

  if (n_axes < 2 || n_axes > 3)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "custom axes: 2 or 3 expressions are needed, %u given", n_axes);
      return NULL;
    }
  if (dims == 0)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "custom axes: the set has no dimensions");
      return NULL;
    }

  mean_stage.span = stage->span * 0.4;
  project_stage.start = stage->start + stage->span * 0.5;
  project_stage.span = stage->span * 0.5;

  if (options->center)
    {
      mean = _es_row_prep_compute_mean (&prep, cancellable, &mean_stage, error);
      if (mean == NULL)
        return NULL;
      prep.mean = mean;
    }

  self = _es_projection_new (ES_METHOD_AXES, es_embedding_set_get_rows (set), dims, n_axes, error);
  if (self == NULL)
    return NULL;
  self->n_fitted = es_embedding_set_get_n_valid (set);
  axes = self->components;

  for (guint a = 0; a < n_axes; a++)
    if (!evaluate_axis (set, options, mean, a, axes + a * dims, error))
      return NULL;

  self->n_angles = n_axes == 2 ? 1 : 3;
  self->angles = g_new (double, self->n_angles);
  for (guint p = 0; p < self->n_angles; p++)
    {
      double c = dot (axes + pairs[p][0] * dims, axes + pairs[p][1] * dims, dims);

      self->angles[p] = acos (CLAMP (c, -1.0, 1.0)) * 180.0 / G_PI;
    }

  /* Modified Gram-Schmidt in the given order: axis 1 keeps its direction. */
  if (options->orthogonalize)
    for (guint a = 1; a < n_axes; a++)
      {
        double *v = axes + a * dims;
        double norm;

        for (guint b = 0; b < a; b++)
          {
            const double *u = axes + b * dims;
            double c = dot (v, u, dims);

            for (gsize j = 0; j < dims; j++)
              v[j] -= c * u[j];
          }

        norm = sqrt (dot (v, v, dims));
        if (norm < ORTHOGONAL_EPSILON)
          {
            g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC,
                         "axis %u (\"%s\") lies in the span of the axes before it, "
                         "so it cannot be orthogonalised",
                         a + 1, options->axes[a]);
            return NULL;
          }
        for (gsize j = 0; j < dims; j++)
          v[j] /= norm;
      }

  _es_stage_report (stage, 0.5);

  if (!_es_projection_project_rows (self, &prep, cancellable, &project_stage, error))
    return NULL;

  self->mean = g_steal_pointer (&mean);

  return g_steal_pointer (&self);
}
