/* es-projection.c: the projection result, option checks and dispatch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-projection"

#include "config.h"

#include "es-projection-private.h"

#include "es-engine-error.h"
#include "es-pca-private.h"
#include "es-worker.h"

#include <math.h>
#include <string.h>

#define DEFAULT_COMPONENTS 10

const char *
es_method_to_string (EsMethod method)
{
  switch (method)
    {
    case ES_METHOD_SVD:      return "svd";
    case ES_METHOD_AXES:     return "axes";
    case ES_METHOD_IDENTITY: return "identity";
    case ES_METHOD_TSNE:     return "tsne";
    case ES_METHOD_UMAP:     return "umap";
    case ES_METHOD_PCA:
    default:                 return "pca";
    }
}

gboolean
es_method_from_string (const char *text,
                       EsMethod   *method)
{
  static const EsMethod methods[] = {
    ES_METHOD_PCA, ES_METHOD_SVD, ES_METHOD_AXES, ES_METHOD_IDENTITY, ES_METHOD_TSNE, ES_METHOD_UMAP,
  };

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    if (g_strcmp0 (text, es_method_to_string (methods[i])) == 0)
      {
        if (method != NULL)
          *method = methods[i];
        return TRUE;
      }

  return FALSE;
}

void
es_projection_options_init (EsProjectionOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->method = ES_METHOD_PCA;
}

EsProjection *
_es_projection_new (EsMethod   method,
                    gsize      rows,
                    gsize      dims,
                    guint      n_components,
                    GError   **error)
{
  EsProjection *self;
  gsize n_coords;
  float *coords;

  if (!g_size_checked_mul (&n_coords, rows, n_components) ||
      (coords = g_try_new (float, MAX (n_coords, 1))) == NULL)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                   "cannot allocate %u coordinates for %" G_GSIZE_FORMAT " rows",
                   n_components, rows);
      return NULL;
    }

  self = g_new0 (EsProjection, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->method = method;
  self->rows = rows;
  self->dims = dims;
  self->n_components = n_components;
  self->coords = coords;
  self->components = g_new0 (double, MAX ((gsize) n_components * dims, 1));

  return self;
}

gboolean
es_method_is_layout (EsMethod method)
{
  return method == ES_METHOD_TSNE || method == ES_METHOD_UMAP;
}

EsProjection *
es_projection_new_layout (EsMethod      method,
                          gsize         rows,
                          gsize         dims,
                          guint         n_components,
                          const float  *coords,
                          GError      **error)
{
  EsProjection *self;

  g_return_val_if_fail (es_method_is_layout (method), NULL);
  g_return_val_if_fail (n_components == 2 || n_components == 3, NULL);
  g_return_val_if_fail (coords != NULL || rows == 0, NULL);

  self = _es_projection_new (method, rows, dims, n_components, error);
  if (self == NULL)
    return NULL;
  if (rows > 0)
    memcpy (self->coords, coords, rows * n_components * sizeof (float));
  for (gsize r = 0; r < rows; r++)
    {
      const float *p = coords + r * n_components;
      gboolean finite = TRUE;

      for (guint c = 0; c < n_components; c++)
        finite = finite && isfinite (p[c]);
      self->n_fitted += finite;
    }
  return self;
}

EsProjection *
es_projection_ref (EsProjection *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
es_projection_unref (EsProjection *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_free (self->coords);
      g_free (self->components);
      g_free (self->mean);
      g_free (self->eigenvalues);
      g_free (self->ratio);
      g_free (self->cumulative);
      g_free (self->singular_values);
      g_free (self->angles);
      g_free (self);
    }
}

EsMethod
es_projection_get_method (const EsProjection *self)
{
  return self->method;
}

gsize
es_projection_get_rows (const EsProjection *self)
{
  return self->rows;
}

gsize
es_projection_get_dims (const EsProjection *self)
{
  return self->dims;
}

guint
es_projection_get_n_components (const EsProjection *self)
{
  return self->n_components;
}

const float *
es_projection_get_coords (const EsProjection *self)
{
  return self->coords;
}

const double *
es_projection_get_components (const EsProjection *self)
{
  return self->components;
}

const double *
es_projection_get_mean (const EsProjection *self)
{
  return self->mean;
}

static const double *
get_array (const double *array,
           guint         length,
           guint        *n)
{
  if (n != NULL)
    *n = array != NULL ? length : 0;

  return array;
}

const double *
es_projection_get_eigenvalues (const EsProjection *self,
                               guint              *n)
{
  return get_array (self->eigenvalues, self->n_components, n);
}

const double *
es_projection_get_explained_variance_ratio (const EsProjection *self,
                                            guint              *n)
{
  return get_array (self->ratio, self->n_components, n);
}

const double *
es_projection_get_cumulative_ratio (const EsProjection *self,
                                    guint              *n)
{
  return get_array (self->cumulative, self->n_components, n);
}

const double *
es_projection_get_singular_values (const EsProjection *self,
                                   guint              *n)
{
  return get_array (self->singular_values, self->n_components, n);
}

const double *
es_projection_get_axis_angles_deg (const EsProjection *self,
                                   guint              *n)
{
  return get_array (self->angles, self->n_angles, n);
}

gsize
es_projection_get_n_fitted (const EsProjection *self)
{
  return self->n_fitted;
}

/* Chosen columns as they are: a projection on unit basis vectors, so that
 * pre-processing and masking work as for every other method.
 */
static EsProjection *
identity_compute (EsEmbeddingSet             *set,
                  const EsProjectionOptions  *options,
                  GCancellable               *cancellable,
                  const EsStage              *stage,
                  GError                    **error)
{
  gsize dims = es_embedding_set_get_dims (set);
  EsRowPrep prep = { set, options->normalize, NULL };
  EsStage mean_stage = *stage, project_stage = *stage;
  g_autofree double *mean = NULL;
  g_autoptr(EsProjection) self = NULL;

  if (options->columns == NULL || options->n_columns == 0)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "identity projection: no columns given");
      return NULL;
    }
  for (guint c = 0; c < options->n_columns; c++)
    if (options->columns[c] >= dims)
      {
        g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                     "identity projection: column %u does not exist (the set has %"
                     G_GSIZE_FORMAT " dimensions, numbered from 0)",
                     options->columns[c], dims);
        return NULL;
      }

  mean_stage.span = stage->span * 0.5;
  project_stage.start = stage->start + mean_stage.span;
  project_stage.span = stage->span - mean_stage.span;

  if (options->center)
    {
      mean = _es_row_prep_compute_mean (&prep, cancellable, &mean_stage, error);
      if (mean == NULL)
        return NULL;
      prep.mean = mean;
    }

  self = _es_projection_new (ES_METHOD_IDENTITY, es_embedding_set_get_rows (set), dims,
                             options->n_columns, error);
  if (self == NULL)
    return NULL;
  self->n_fitted = es_embedding_set_get_n_valid (set);
  for (guint c = 0; c < options->n_columns; c++)
    self->components[c * dims + options->columns[c]] = 1.0;

  if (!_es_projection_project_rows (self, &prep, cancellable, &project_stage, error))
    return NULL;

  self->mean = g_steal_pointer (&mean);

  return g_steal_pointer (&self);
}

EsProjection *
es_projection_compute (EsEmbeddingSet             *set,
                       const EsProjectionOptions  *options,
                       GCancellable               *cancellable,
                       EsProgressFunc              progress,
                       gpointer                    progress_data,
                       GError                    **error)
{
  EsStage stage = { progress, progress_data, 0.0, 1.0 };
  gsize dims;
  EsProjection *result = NULL;
  guint k;

  g_return_val_if_fail (set != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  dims = es_embedding_set_get_dims (set);
  _es_stage_report (&stage, 0.0);

  switch (options->method)
    {
    case ES_METHOD_PCA:
    case ES_METHOD_SVD:
      k = options->n_components != 0 ? options->n_components : (guint) MIN (DEFAULT_COMPONENTS, dims);
      if (dims == 0)
        g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                     "%s: the set has no dimensions", es_method_to_string (options->method));
      else if (k > dims)
        g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                     "%s: %u components asked for, but the vectors have only %" G_GSIZE_FORMAT
                     " dimensions",
                     es_method_to_string (options->method), k, dims);
      else
        result = _es_pca_compute (set, options, k, cancellable, &stage, error);
      break;

    case ES_METHOD_AXES:
      result = _es_axes_compute (set, options, cancellable, &stage, error);
      break;

    case ES_METHOD_TSNE:
    case ES_METHOD_UMAP:
      /* Layouts have their own engines and options (engine/maps). */
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "%s is a layout: run it with es_tsne_run () or es_umap_run ()",
                   es_method_to_string (options->method));
      break;

    case ES_METHOD_IDENTITY:
      result = identity_compute (set, options, cancellable, &stage, error);
      break;

    default:
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "unknown projection method %d", (int) options->method);
      break;
    }

  if (result != NULL)
    _es_stage_report (&stage, 1.0);

  return result;
}

/* The worker reads only this copy, never the caller's options. */
typedef struct
{
  EsEmbeddingSet *set;
  EsProjectionOptions options;
  char **axes;
  guint *columns;
  EsProgressFunc progress;
  gpointer progress_data;
} ComputeData;

static void
compute_data_free (gpointer data)
{
  ComputeData *cd = data;

  es_embedding_set_unref (cd->set);
  g_strfreev (cd->axes);
  g_free (cd->columns);
  g_free (cd);
}

static void
compute_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ComputeData *cd = task_data;
  GError *error = NULL;
  EsProjection *result;

  es_worker_enter ();
  result = es_projection_compute (cd->set, &cd->options, cancellable,
                                  cd->progress, cd->progress_data, &error);
  if (result != NULL)
    g_task_return_pointer (task, result, (GDestroyNotify) es_projection_unref);
  else
    g_task_return_error (task, error);
}

void
es_projection_compute_async (EsEmbeddingSet             *set,
                             const EsProjectionOptions  *options,
                             GCancellable               *cancellable,
                             EsProgressFunc              progress,
                             gpointer                    progress_data,
                             GAsyncReadyCallback         callback,
                             gpointer                    user_data)
{
  g_autoptr(GTask) task = NULL;
  ComputeData *cd;

  g_return_if_fail (set != NULL);
  g_return_if_fail (options != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  cd = g_new0 (ComputeData, 1);
  cd->set = es_embedding_set_ref (set);
  cd->options = *options;
  cd->axes = g_strdupv ((char **) options->axes);
  cd->options.axes = (const char * const *) cd->axes;
  if (options->columns != NULL)
    cd->columns = g_memdup2 (options->columns, options->n_columns * sizeof (guint));
  cd->options.columns = cd->columns;
  cd->progress = progress;
  cd->progress_data = progress_data;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, es_projection_compute_async);
  /* Not LOW: while frames keep GTK's redraw source (priority 120) busy,
   * a LOW completion is never dispatched (a load that never ends).
   */
  g_task_set_priority (task, G_PRIORITY_DEFAULT);
  g_task_set_task_data (task, cd, compute_data_free);
  g_task_run_in_thread (task, compute_thread);
}

EsProjection *
es_projection_compute_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == es_projection_compute_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
