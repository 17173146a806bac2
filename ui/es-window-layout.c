/* es-window-layout.c: t-SNE and UMAP maps in the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine runs in a worker; every frame it reports (about every 100 ms)
 * is copied and, at most every FRAME_INTERVAL_MS, shown as the current
 * projection, so the map visibly unfolds while the plot stays interactive.
 * Pause blocks the worker inside its frame callback (the engines continue
 * exactly where they stopped, so a paused run ends as an uninterrupted one);
 * Cancel wakes it.  The finished map goes through the same path as a PCA.
 */

#define G_LOG_DOMAIN "es-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "es-window-private.h"

#include "es-kmeans.h"
#include "es-layout-quality.h"
#include "es-tsne.h"
#include "es-umap.h"
#include "es-worker.h"

#define FRAME_INTERVAL_MS 200
#define MIN_MAP_ROWS      5

typedef struct
{
  gatomicrefcount ref_count;
  EsWindow       *self;      /* main thread only */
  EsJob          *job;
  EsEmbeddingSet *set;
  gboolean        replaces_set;
  EsMethod        method;
  guint           dims;
  EsTsneOptions   tsne;
  EsUmapOptions   umap;
  char           *clamped;   /* "perplexity lowered to …", or NULL; main thread */

  GMutex          lock;      /* the fields below */
  GCond           resume;
  gboolean        paused;
  float          *frame;     /* latest frame, rows × dims */
  guint           frame_iteration;
  guint           frame_total;
  gboolean        frame_waiting;  /* an idle is queued to show it */
  gint64          frame_shown_us;
  char           *note;      /* what the status bar says of the result */
} LayoutRun;

static LayoutRun *
layout_run_ref (LayoutRun *run)
{
  g_atomic_ref_count_inc (&run->ref_count);
  return run;
}

static void
layout_run_unref (LayoutRun *run)
{
  if (!g_atomic_ref_count_dec (&run->ref_count))
    return;
  g_clear_object (&run->self);
  g_clear_object (&run->job);
  g_clear_pointer (&run->set, es_embedding_set_unref);
  g_free (run->frame);
  g_free (run->note);
  g_free (run->clamped);
  g_mutex_clear (&run->lock);
  g_cond_clear (&run->resume);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LayoutRun, layout_run_unref)

/* The run the window's Pause applies to. */
static GQuark
current_run_quark (void)
{
  return g_quark_from_static_string ("es-window-layout-run");
}

static gboolean
show_frame_cb (gpointer data)
{
  LayoutRun *run = data;
  EsWindow *self = run->self;
  g_autoptr(EsProjection) projection = NULL;
  g_autofree float *coords = NULL;
  gsize rows = es_embedding_set_get_rows (run->set);
  guint iteration, total;

  g_mutex_lock (&run->lock);
  run->frame_waiting = FALSE;
  coords = g_steal_pointer (&run->frame);
  iteration = run->frame_iteration;
  total = run->frame_total;
  g_mutex_unlock (&run->lock);

  /* Only while this run is the window's job, and on the view it maps. */
  if (coords == NULL || run->job != self->project_job)
    return G_SOURCE_REMOVE;
  if (!run->replaces_set && run->set != es_document_get_view_set (self->document))
    return G_SOURCE_REMOVE;

  projection = es_projection_new_layout (run->method, rows, es_embedding_set_get_dims (run->set),
                                         run->dims, coords, NULL);
  if (projection == NULL)
    return G_SOURCE_REMOVE;
  {
    g_autofree char *message = g_strdup_printf (_("%s: iteration %u of %u"),
                                                run->method == ES_METHOD_TSNE ? "t-SNE" : "UMAP",
                                                iteration, total);

    es_job_update (run->job, total > 0 ? (double) iteration / total : 0.0, message);
  }
  /* The frame replaces the picture, not the job: the run goes on. */
  _es_window_apply_projection (self,
                               run->replaces_set ? run->set : es_document_get_set (self->document),
                               run->set, projection, NULL);
  return G_SOURCE_REMOVE;
}

/* Worker thread: keep the latest frame, queue one idle to show it, and
 * wait here while paused.
 */
static void
frame_cb (const float *coords,
          gsize        rows,
          guint        dims,
          guint        iteration,
          guint        n_iterations,
          gpointer     user_data)
{
  LayoutRun *run = user_data;
  GCancellable *cancellable = es_job_get_cancellable (run->job);
  gint64 now = g_get_monotonic_time ();

  g_mutex_lock (&run->lock);
  if (run->frame == NULL)
    run->frame = g_try_new (float, rows * dims);
  if (run->frame != NULL)
    memcpy (run->frame, coords, rows * dims * sizeof (float));
  run->frame_iteration = iteration;
  run->frame_total = n_iterations;
  if (run->frame != NULL && !run->frame_waiting && iteration < n_iterations &&
      now - run->frame_shown_us >= FRAME_INTERVAL_MS * 1000)
    {
      run->frame_waiting = TRUE;
      run->frame_shown_us = now;
      g_idle_add_full (G_PRIORITY_HIGH_IDLE, show_frame_cb, layout_run_ref (run),
                       (GDestroyNotify) layout_run_unref);
    }
  while (run->paused && !g_cancellable_is_cancelled (cancellable))
    g_cond_wait (&run->resume, &run->lock);
  g_mutex_unlock (&run->lock);
}

static void
cancelled_cb (GCancellable *cancellable,
              LayoutRun    *run)
{
  g_mutex_lock (&run->lock);
  g_cond_broadcast (&run->resume);
  g_mutex_unlock (&run->lock);
}

static void
layout_thread_cb (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  LayoutRun *run = task_data;
  g_autoptr(EsMatrix) coords = NULL;
  g_autoptr(GError) error = NULL;
  EsLayoutTimings timings = { 0 };
  EsProjection *projection;
  gulong handler;

  es_worker_enter ();
  handler = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), run, NULL);
  if (run->method == ES_METHOD_TSNE)
    coords = es_tsne_run (run->set, &run->tsne, cancellable, es_job_progress_cb, run->job,
                          frame_cb, run, &timings, &error);
  else
    coords = es_umap_run (run->set, &run->umap, cancellable, es_job_progress_cb, run->job,
                          frame_cb, run, &timings, NULL, &error);
  g_cancellable_disconnect (cancellable, handler);
  if (coords == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  projection = es_projection_new_layout (run->method, es_matrix_get_rows (coords),
                                         es_embedding_set_get_dims (run->set), run->dims,
                                         es_matrix_get_data (coords), &error);
  if (projection == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The quality figure of the status bar (sampled: a second or so). */
  {
    EsLayoutQualityOptions options;
    EsLayoutQuality quality;

    es_layout_quality_options_init (&options);
    if (es_layout_quality_compute (run->set, es_matrix_get_data (coords), run->dims, &options,
                                   cancellable, &quality, NULL))
      {
        g_mutex_lock (&run->lock);
        run->note = g_strdup_printf (_("%s in %.1f s · 10-NN kept %.0f %% · trustworthiness %.2f"),
                                     run->method == ES_METHOD_TSNE ? "t-SNE" : "UMAP",
                                     timings.knn + timings.affinities + timings.init + timings.optimize,
                                     quality.knn_preservation * 100, quality.trustworthiness);
        g_mutex_unlock (&run->lock);
      }
  }
  g_task_return_pointer (task, projection, (GDestroyNotify) es_projection_unref);
}

static void
layout_ready_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(LayoutRun) run = user_data;
  EsWindow *self = run->self;
  g_autoptr(EsProjection) projection = NULL;
  g_autoptr(GError) error = NULL;

  projection = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_object_get_qdata (G_OBJECT (self), current_run_quark ()) == run)
    g_object_set_qdata (G_OBJECT (self), current_run_quark (), NULL);
  if (projection != NULL && run->job == self->project_job)
    {
      g_autofree char *key = _es_window_layout_key (self, run->method, run->dims);

      g_free (self->layout_note);
      /* The clamp stays said after the map is done, beside its quality. */
      if (run->note != NULL && run->clamped != NULL)
        self->layout_note = g_strdup_printf ("%s · %s", run->note, run->clamped);
      else
        self->layout_note = g_strdup (run->note != NULL ? run->note : run->clamped);
      if (!run->replaces_set)
        es_document_cache_layout (self->document, run->set, key, projection);
    }
  _es_window_finish_projection (self, run->job, run->set, run->replaces_set, projection, NULL, error);
}

/* Perplexity and neighbours above what the rows allow are clamped, and the
 * status bar says so (issue 13: the GUI clamps, the CLI refuses).
 */
static char *
clamp_options (LayoutRun *run,
               gsize      n_valid)
{
  if (run->method == ES_METHOD_TSNE)
    {
      double max = es_tsne_max_perplexity (n_valid);

      if (run->tsne.perplexity > max)
        {
          run->tsne.perplexity = max;
          return g_strdup_printf (_("perplexity lowered to %.1f for %" G_GSIZE_FORMAT " points"),
                                  max, n_valid);
        }
    }
  else if (run->umap.n_neighbors > n_valid - 1)
    {
      run->umap.n_neighbors = (guint) (n_valid - 1);
      return g_strdup_printf (_("neighbours lowered to %u for %" G_GSIZE_FORMAT " points"),
                              run->umap.n_neighbors, n_valid);
    }
  return NULL;
}

/* What names a map in the document's cache: its method, dims and seed. */
char *
_es_window_layout_key (EsWindow *self,
                       EsMethod  method,
                       guint     dims)
{
  EsMapParams params = self->map_params;
  g_autofree char *described = NULL;

  params.seed = self->layout_seed;
  described = es_map_params_describe (&params, method == ES_METHOD_TSNE);
  return g_strdup_printf ("%s %uD %s", es_method_to_string (method), dims, described);
}

gboolean
_es_window_start_layout (EsWindow       *self,
                         EsJob          *job,
                         EsEmbeddingSet *view_set,
                         gboolean        replaces_set,
                         EsMethod        method)
{
  g_autoptr(GTask) task = NULL;
  gsize n_valid = es_embedding_set_get_n_valid (view_set);
  LayoutRun *run;

  /* Computed before for this view: at once. */
  if (!replaces_set)
    {
      g_autofree char *key = _es_window_layout_key (self, method, self->three_d ? 3 : 2);
      EsProjection *cached = es_document_lookup_layout (self->document, view_set, key);

      if (cached != NULL)
        {
          g_autoptr(EsProjection) keep = es_projection_ref (cached);

          g_free (self->layout_note);
          self->layout_note = g_strdup_printf (_("%s computed before (seed %" G_GUINT64_FORMAT ")"),
                                               method == ES_METHOD_TSNE ? "t-SNE" : "UMAP",
                                               self->layout_seed);
          _es_window_finish_projection (self, job, view_set, FALSE, keep, NULL, NULL);
          return TRUE;
        }
    }

  if (n_valid < MIN_MAP_ROWS)
    {
      g_free (self->layout_note);
      self->layout_note = g_strdup_printf (_("PCA: %" G_GSIZE_FORMAT " points are too few for a map"),
                                           n_valid);
      return FALSE;
    }

  run = g_new0 (LayoutRun, 1);
  g_atomic_ref_count_init (&run->ref_count);
  g_mutex_init (&run->lock);
  g_cond_init (&run->resume);
  run->self = g_object_ref (self);
  run->job = g_object_ref (job);
  run->set = es_embedding_set_ref (view_set);
  run->replaces_set = replaces_set;
  run->method = method;
  run->dims = self->three_d ? 3 : 2;
  es_tsne_options_init (&run->tsne);
  es_umap_options_init (&run->umap);
  run->tsne.dims = run->umap.dims = run->dims;
  run->tsne.seed = run->umap.seed = self->layout_seed;
  run->tsne.perplexity = self->map_params.perplexity;
  run->tsne.n_iterations = MAX (self->map_params.iterations, run->tsne.early_iterations + 1);
  run->umap.n_neighbors = self->map_params.n_neighbors;
  run->umap.min_dist = self->map_params.min_dist;
  run->umap.n_epochs = self->map_params.epochs;
  run->clamped = clamp_options (run, n_valid);
  g_free (self->layout_note);
  self->layout_note = g_strdup (run->clamped);

  g_object_set_qdata (G_OBJECT (self), current_run_quark (), run);
  /* A new run starts running, whatever the one it replaces was doing. */
  self->layout_paused = FALSE;
  _es_window_actions_update (self);
  task = g_task_new (NULL, es_job_get_cancellable (job), layout_ready_cb, run);
  g_task_set_source_tag (task, _es_window_start_layout);
  g_task_set_task_data (task, layout_run_ref (run), (GDestroyNotify) layout_run_unref);
  g_task_run_in_thread (task, layout_thread_cb);
  return TRUE;
}

void
_es_window_layout_pause (EsWindow *self,
                         gboolean  paused)
{
  LayoutRun *run = g_object_get_qdata (G_OBJECT (self), current_run_quark ());

  if (run == NULL)
    return;
  g_mutex_lock (&run->lock);
  run->paused = paused;
  g_cond_broadcast (&run->resume);
  g_mutex_unlock (&run->lock);
  es_job_update (run->job, es_job_get_fraction (run->job), paused ? _("Paused") : NULL);
}

/* ---- clusters ---- */

typedef struct
{
  EsWindow       *self;
  EsJob          *job;
  EsEmbeddingSet *set;
  guint           k;
} ClusterRun;

static void
cluster_run_free (ClusterRun *run)
{
  g_clear_object (&run->self);
  g_clear_object (&run->job);
  g_clear_pointer (&run->set, es_embedding_set_unref);
  g_free (run);
}

static void
cluster_thread_cb (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  ClusterRun *run = task_data;
  EsKmeansOptions options;
  GError *error = NULL;
  EsKmeans *clusters;

  es_worker_enter ();
  es_kmeans_options_init (&options);
  options.k = run->k;
  clusters = es_kmeans_compute (run->set, &options, cancellable, es_job_progress_cb, run->job, &error);
  if (clusters == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, clusters, (GDestroyNotify) es_kmeans_unref);
}

static void
cluster_ready_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ClusterRun *run = g_task_get_task_data (G_TASK (result));
  EsWindow *self = run->self;
  g_autoptr(EsKmeans) clusters = NULL;
  g_autoptr(GError) error = NULL;

  clusters = g_task_propagate_pointer (G_TASK (result), &error);
  if (run->job != self->cluster_job)
    return;
  _es_window_set_job (self, &self->cluster_job, NULL);
  if (clusters == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _es_window_show_error (self, error->message);
      return;
    }
  /* Another file came meanwhile: these clusters are of the old one. */
  if (run->set != es_document_get_set (self->document))
    return;
  es_document_set_clusters (self->document, clusters);
}

void
_es_window_start_clusters (EsWindow *self,
                           guint     k)
{
  EsEmbeddingSet *set = es_document_get_set (self->document);
  g_autoptr(EsJob) job = NULL;
  g_autoptr(GTask) task = NULL;
  g_autofree char *message = NULL;
  ClusterRun *run;

  if (set == NULL)
    return;
  if (k < 2 || k > es_embedding_set_get_n_valid (set))
    {
      g_autofree char *text = g_strdup_printf (_("%u clusters need at least %u words; this file has %" G_GSIZE_FORMAT),
                                               k, MAX (k, 2u), es_embedding_set_get_n_valid (set));

      _es_window_show_error (self, text);
      return;
    }

  message = g_strdup_printf (_("Finding %u clusters…"), k);
  job = es_job_new (_("Clusters"));
  es_job_update (job, 0.0, message);
  _es_window_set_job (self, &self->cluster_job, job);

  run = g_new0 (ClusterRun, 1);
  run->self = g_object_ref (self);
  run->job = g_object_ref (job);
  run->set = es_embedding_set_ref (set);
  run->k = k;
  task = g_task_new (NULL, es_job_get_cancellable (job), cluster_ready_cb, NULL);
  g_task_set_source_tag (task, _es_window_start_clusters);
  g_task_set_task_data (task, run, (GDestroyNotify) cluster_run_free);
  g_task_run_in_thread (task, cluster_thread_cb);
}
