/* es-umap-sgd.c: UMAP's optimisation, in deterministic batch epochs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The cross-entropy between the fuzzy graph and the layout's memberships
 * 1 / (1 + a d^2b) is minimised by sampling (McInnes et al. 2018, section
 * 3.3): an edge of weight w is sampled every max_w / w epochs
 * (epochs_per_sample) and pulls its head towards its tail; each sample comes
 * with negative_sample_rate random points that push the head away.  Every
 * gradient component is clipped at ±4 and the step decays linearly to 0.
 *
 * umap-learn moves points during the epoch, in an order that depends on
 * the threads; here, as in uwot's batch mode (Melville), an epoch first
 * computes every vertex's gradient from the positions at the epoch's start
 * (the head of each edge only: the graph is symmetric, so every edge is
 * seen from both ends), each vertex summing its own edges in CSR order, then
 * applies them with Adam (Kingma & Ba 2015; β1 0.5, β2 0.9 as uwot's batch
 * default).  Negative samples are drawn by a hash of (seed, edge, epoch,
 * sample), so the result depends neither on the partition nor on the thread
 * count.
 */

#define G_LOG_DOMAIN "es-umap"

#include "config.h"

#include "es-umap-private.h"

#include "es-engine-error.h"
#include "es-memory.h"
#include "es-worker.h"

#include <math.h>
#include <string.h>

#define MAX_DIMS      3
#define GRAD_CLIP     4.0f
#define ADAM_BETA1    0.5
#define ADAM_BETA2    0.9
#define ADAM_EPS      1e-7
#define FRAME_USEC    (100 * 1000)
#define NEG_CHUNK     8

typedef struct
{
  const EsUmapGraph     *graph;
  const EsUmapSgdParams *params;
  const float           *coords;
  float                 *grad;
  float                  max_w;      /* epochs per sample: max_w / val, computed, not stored */
  float                 *next;       /* epoch of the next sample */
  float                 *next_neg;   /* epoch of the next negative samples */
  guint                  epoch;
  gsize                  first, last;
} EpochPart;

static inline float
clip (float v)
{
  return v > GRAD_CLIP ? GRAD_CLIP : v < -GRAD_CLIP ? -GRAD_CLIP : v;
}

static gpointer
epoch_part (gpointer data)
{
  EpochPart *p = data;
  const EsUmapGraph *graph = p->graph;
  const EsUmapSgdParams *params = p->params;
  guint dims = params->dims;
  gsize nv = graph->n;
  float a = params->a, b = params->b, gamma = params->gamma;
  float neg_rate = params->negative_sample_rate;
  float epoch = p->epoch;

  for (gsize i = p->first; i < p->last; i++)
    {
      const float *yi = p->coords + i * dims;
      float g[MAX_DIMS] = { 0, 0, 0 };

      for (guint64 e = graph->row_ptr[i]; e < graph->row_ptr[i + 1]; e++)
        {
          const float *yj;
          float d2 = 0, diff[MAX_DIMS], eps, eps_neg;
          int n_neg;

          if (p->next[e] > epoch)
            continue;

          yj = p->coords + (gsize) graph->col[e] * dims;
          for (guint d = 0; d < dims; d++)
            {
              diff[d] = yi[d] - yj[d];
              d2 += diff[d] * diff[d];
            }
          if (d2 > 0)
            {
              float pb = powf (d2, b);
              float coeff = -2.0f * a * b * pb / d2 / (a * pb + 1.0f);

              for (guint d = 0; d < dims; d++)
                g[d] += clip (coeff * diff[d]);
            }
          eps = p->graph->val[e] > 0 ? p->max_w / p->graph->val[e] : INFINITY;
          p->next[e] += eps;

          eps_neg = eps / neg_rate;
          n_neg = (int) ((epoch - p->next_neg[e]) / eps_neg);
          for (int s0 = 0; s0 < n_neg; s0 += NEG_CHUNK)
            {
              gsize picks[NEG_CHUNK];
              int nc = MIN (NEG_CHUNK, n_neg - s0);

              /* The samples' rows first, fetched together: the points
               * they read are random, so each would be a cache miss in turn.
               */
              for (int s = 0; s < nc; s++)
                {
                  picks[s] = _es_umap_range (_es_umap_hash (params->seed, e, p->epoch, s0 + s), nv);
                  __builtin_prefetch (p->coords + picks[s] * dims);
                }
              for (int s = 0; s < nc; s++)
                {
                  gsize r = picks[s];
                  const float *yr = p->coords + r * dims;

                  if (r == i)
                    continue;
                  d2 = 0;
                  for (guint d = 0; d < dims; d++)
                    {
                      diff[d] = yi[d] - yr[d];
                      d2 += diff[d] * diff[d];
                    }
                  if (d2 > 0)
                    {
                      float coeff = 2.0f * gamma * b / ((0.001f + d2) * (a * powf (d2, b) + 1.0f));

                      if (coeff > 0)
                        for (guint d = 0; d < dims; d++)
                          g[d] += clip (coeff * diff[d]);
                    }
                }
            }
          if (n_neg > 0)
            p->next_neg[e] += n_neg * eps_neg;
        }

      for (guint d = 0; d < dims; d++)
        p->grad[i * dims + d] = g[d];
    }

  return NULL;
}

static gpointer
epoch_thread (gpointer data)
{
  es_worker_enter ();
  return epoch_part (data);
}

gboolean
_es_umap_optimize (const EsUmapGraph     *graph,
                   const EsUmapSgdParams *params,
                   float                 *coords,
                   GError               **error)
{
  gsize n = graph->n;
  guint dims = params->dims;
  guint64 n_edges = graph->row_ptr[n], nd;
  g_autofree float *next = NULL, *next_neg = NULL;
  g_autofree float *grad = NULL, *m1 = NULL, *m2 = NULL;
  guint n_threads = CLAMP (params->n_threads, 1, 2);
  float max_w = 0;
  double beta1t = 1, beta2t = 1;
  gint64 last_frame = g_get_monotonic_time ();

  g_return_val_if_fail (dims >= 1 && dims <= MAX_DIMS, FALSE);

  if (!es_checked_mul (n, dims, &nd) ||
      !(next = es_memory_try_alloc (n_edges, sizeof (float), "The UMAP optimisation", error)) ||
      !(next_neg = es_memory_try_alloc (n_edges, sizeof (float), "The UMAP optimisation", error)) ||
      !(grad = es_memory_try_alloc (nd, sizeof (float), "The UMAP optimisation", error)) ||
      !(m1 = es_memory_try_alloc0 (nd, sizeof (float), "The UMAP optimisation", error)) ||
      !(m2 = es_memory_try_alloc0 (nd, sizeof (float), "The UMAP optimisation", error)))
    return FALSE;

  for (guint64 e = 0; e < n_edges; e++)
    max_w = MAX (max_w, graph->val[e]);
  for (guint64 e = 0; e < n_edges; e++)
    {
      float eps = graph->val[e] > 0 ? max_w / graph->val[e] : INFINITY;

      next[e] = eps;
      next_neg[e] = eps / params->negative_sample_rate;
    }

  for (guint epoch = 0; epoch < params->n_epochs; epoch++)
    {
      EpochPart parts[2];
      GThread *thread = NULL;
      double alpha = params->learning_rate * (1.0 - (double) epoch / params->n_epochs);
      double ad_scale, epsc;
      gint64 now;
      guint t = n >= 1024 ? n_threads : 1;

      if (g_cancellable_set_error_if_cancelled (params->cancellable, error))
        return FALSE;

      for (guint i = 0; i < t; i++)
        parts[i] = (EpochPart) { graph, params, coords, grad, max_w, next, next_neg, epoch,
                                 n * i / t, n * (i + 1) / t };
      if (t > 1)
        thread = g_thread_new ("es-umap", epoch_thread, &parts[1]);
      epoch_part (&parts[0]);
      if (thread != NULL)
        g_thread_join (thread);

      /* Adam, bias-corrected, with the decaying step as its alpha. */
      beta1t *= ADAM_BETA1;
      beta2t *= ADAM_BETA2;
      ad_scale = alpha * sqrt (1 - beta2t) / (1 - beta1t);
      epsc = sqrt (1 - beta2t) * ADAM_EPS;
      for (guint64 q = 0; q < nd; q++)
        {
          float g = grad[q];

          m1[q] += (1 - ADAM_BETA1) * (g - m1[q]);
          m2[q] += (1 - ADAM_BETA2) * (g * g - m2[q]);
          coords[q] += ad_scale * m1[q] / (sqrtf (m2[q]) + epsc);
        }

      if (params->progress != NULL)
        params->progress ((double) (epoch + 1) / params->n_epochs, params->progress_data);
      now = g_get_monotonic_time ();
      if (params->frame != NULL && (now - last_frame >= FRAME_USEC || epoch + 1 == params->n_epochs))
        {
          params->frame (coords, epoch + 1, params->frame_data);
          last_frame = now;
        }
    }

  return TRUE;
}
