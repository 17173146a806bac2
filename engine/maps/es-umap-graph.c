/* es-umap-graph.c: UMAP's fuzzy simplicial set from the kNN graph
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * McInnes, Healy & Melville (2018), section 3 / algorithm 2-3: each row's
 * distances are shifted by rho (its nearest non-zero distance, so every
 * point is connected to at least one neighbour with membership 1) and
 * scaled by sigma, found by bisection so that the memberships sum to
 * log2 (k).  The directed memberships A are symmetrised by the fuzzy union
 * A + Aᵀ − A∘Aᵀ.  The constants (64 bisection steps, tolerance 1e-5, the
 * 1e-3 × mean distance floor on sigma) are umap-learn's.
 */

#define G_LOG_DOMAIN "es-umap"

#include "config.h"

#include "es-umap-private.h"

#include "es-engine-error.h"
#include "es-knn-graph.h"
#include "es-memory.h"

#include <math.h>
#include <string.h>

#define SMOOTH_K_TOLERANCE 1e-5
#define MIN_K_DIST_SCALE   1e-3
#define N_BISECTIONS       64

void
_es_umap_graph_clear (EsUmapGraph *graph)
{
  g_clear_pointer (&graph->row_ptr, g_free);
  g_clear_pointer (&graph->col, g_free);
  g_clear_pointer (&graph->val, g_free);
  graph->n = 0;
}

double
_es_umap_normal (guint64 seed,
                 guint64 a,
                 guint64 b)
{
  guint64 h1 = _es_umap_hash (seed, a, b, 0x51ED2701u);
  guint64 h2 = _es_umap_hash (seed, a, b, 0x2545F491u);
  double u1 = ((h1 >> 11) + 0.5) * (1.0 / 9007199254740992.0);
  double u2 = (h2 >> 11) * (1.0 / 9007199254740992.0);

  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

static inline gboolean
entry_ok (const gint32 *indices,
          const float  *distances,
          gsize         e,
          gsize         row)
{
  return indices[e] != ES_KNN_NONE && (gsize) indices[e] != row && isfinite (distances[e]);
}

void
_es_umap_smooth_knn (const gint32 *indices,
                     const float  *distances,
                     gsize         n,
                     guint         k,
                     float        *rho,
                     float        *sigma)
{
  double target = log2 ((double) k + 1.0);
  double total = 0;
  guint64 count = 0;
  double mean_all;

  for (gsize e = 0; e < n * (gsize) k; e++)
    if (entry_ok (indices, distances, e, e / k))
      {
        total += MAX (distances[e], 0.0f);
        count++;
      }
  mean_all = count > 0 ? total / count : 0;

  for (gsize i = 0; i < n; i++)
    {
      const gint32 *idx = indices + i * k;
      const float *dist = distances + i * k;
      double lo = 0, hi = INFINITY, mid = 1.0;
      double r = 0, row_total = 0;
      guint m = 0;
      gboolean have_rho = FALSE;

      /* Distances ascend: the first positive one is rho. */
      for (guint j = 0; j < k; j++)
        if (entry_ok (idx, dist, j, i))
          {
            double d = MAX (dist[j], 0.0f);

            row_total += d;
            m++;
            if (!have_rho && d > 0)
              {
                r = d;
                have_rho = TRUE;
              }
          }

      if (m == 0)
        {
          rho[i] = 0;
          sigma[i] = 1;
          continue;
        }

      for (guint it = 0; it < N_BISECTIONS; it++)
        {
          double psum = 0;

          for (guint j = 0; j < k; j++)
            if (entry_ok (idx, dist, j, i))
              {
                double d = MAX (dist[j], 0.0f) - r;

                psum += d > 0 ? exp (-d / mid) : 1.0;
              }
          if (fabs (psum - target) < SMOOTH_K_TOLERANCE)
            break;
          if (psum > target)
            {
              hi = mid;
              mid = (lo + hi) / 2;
            }
          else
            {
              lo = mid;
              mid = isinf (hi) ? mid * 2 : (lo + hi) / 2;
            }
        }

      if (r > 0)
        {
          double mean_row = row_total / m;

          if (mid < MIN_K_DIST_SCALE * mean_row)
            mid = MIN_K_DIST_SCALE * mean_row;
        }
      else if (mid < MIN_K_DIST_SCALE * mean_all)
        mid = MIN_K_DIST_SCALE * mean_all;

      rho[i] = r;
      sigma[i] = mid;
    }
}

typedef struct
{
  gint32 col;
  float  val;
} Entry;

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const Entry *x = a, *y = b;

  return (x->col > y->col) - (x->col < y->col);
}

typedef struct
{
  GDestroyNotify func;
  gpointer       data;
} Release;

static void
release_inputs (Release *r)
{
  if (r->func != NULL)
    r->func (r->data);
  r->func = NULL;
}

static gboolean
fuzzy_graph (const gint32  *indices,
             const float   *distances,
             gsize          n,
             guint          k,
             guint          n_epochs,
             Release       *release,
             EsUmapGraph   *graph,
             GError       **error)
{
  g_autofree float *rho = NULL, *sigma = NULL;
  g_autofree Entry *a = NULL;            /* n × k, each row sorted by column */
  g_autofree guint32 *a_len = NULL;
  g_autofree guint64 *t_ptr = NULL;      /* Aᵀ in CSR, */
  g_autofree guint32 *t = NULL;          /* as positions in a (column: position / k) */
  g_autofree guint64 *t_fill = NULL;
  guint64 nk, total;
  float max_val = 0;

  memset (graph, 0, sizeof *graph);
  if (!es_checked_mul (n, k, &nk) || nk > G_MAXUINT32 ||
      !(rho = es_memory_try_alloc (n, sizeof (float), "The UMAP graph", error)) ||
      !(sigma = es_memory_try_alloc (n, sizeof (float), "The UMAP graph", error)) ||
      !(a = es_memory_try_alloc (nk, sizeof (Entry), "The UMAP graph", error)) ||
      !(a_len = es_memory_try_alloc0 (n, sizeof (guint32), "The UMAP graph", error)) ||
      !(t_ptr = es_memory_try_alloc0 (n + 1, sizeof (guint64), "The UMAP graph", error)) ||
      !(t_fill = es_memory_try_alloc (n, sizeof (guint64), "The UMAP graph", error)) ||
      !(t = es_memory_try_alloc (nk, sizeof (guint32), "The UMAP graph", error)))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE, "The UMAP graph is too large");
      return FALSE;
    }

  _es_umap_smooth_knn (indices, distances, n, k, rho, sigma);

  /* Directed memberships, each row sorted by column. */
  for (gsize i = 0; i < n; i++)
    {
      Entry *row = a + i * k;
      guint m = 0;

      for (guint j = 0; j < k; j++)
        {
          gsize e = i * k + j;
          double d, w;

          if (!entry_ok (indices, distances, e, i))
            continue;
          d = MAX (distances[e], 0.0f) - rho[i];
          w = (d <= 0 || sigma[i] == 0) ? 1.0 : exp (-d / sigma[i]);
          /* A kNN row lists a neighbour once; keep the first if not. */
          for (guint q = 0; q < m; q++)
            if (row[q].col == indices[e])
              goto next;
          row[m].col = indices[e];
          row[m].val = w;
          m++;
        next:;
        }
      qsort (row, m, sizeof (Entry), compare_entries);
      a_len[i] = m;
    }
  /* The kNN graph's arrays (48 MB at 400k rows) go before the union's. */
  release_inputs (release);

  /* Aᵀ by counting sort; scanning i in order keeps its rows sorted. */
  for (gsize i = 0; i < n; i++)
    for (guint q = 0; q < a_len[i]; q++)
      t_ptr[a[i * k + q].col + 1]++;
  for (gsize i = 0; i < n; i++)
    t_ptr[i + 1] += t_ptr[i];
  memcpy (t_fill, t_ptr, n * sizeof (guint64));
  for (gsize i = 0; i < n; i++)
    for (guint q = 0; q < a_len[i]; q++)
      {
        const Entry *e = &a[i * k + q];

        t[t_fill[e->col]++] = (guint32) (i * k + q);
      }

  /* Two passes over the merged rows: count, then fill. */
  if (!(graph->row_ptr = es_memory_try_alloc0 (n + 1, sizeof (guint64), "The UMAP graph", error)))
    return FALSE;
  graph->n = n;
  for (int pass = 0; pass < 2; pass++)
    {
      for (gsize i = 0; i < n; i++)
        {
          const Entry *x = a + i * k;
          const guint32 *y = t + t_ptr[i];
          guint nx = a_len[i];
          guint64 ny = t_ptr[i + 1] - t_ptr[i], p = 0, q = 0, m = 0;
          guint64 out = graph->row_ptr[i];

          while (p < nx || q < ny)
            {
              gint32 c;
              double u = 0, v = 0, w;

              gint32 yc = q < ny ? (gint32) (y[q] / k) : 0;

              if (q >= ny || (p < nx && x[p].col < yc))
                c = x[p].col, u = x[p++].val;
              else if (p >= nx || yc < x[p].col)
                c = yc, v = a[y[q++]].val;
              else
                c = x[p].col, u = x[p++].val, v = a[y[q++]].val;
              w = u + v - u * v;
              if (pass == 1)
                {
                  graph->col[out + m] = c;
                  graph->val[out + m] = w;
                  max_val = MAX (max_val, (float) w);
                }
              m++;
            }
          if (pass == 0)
            graph->row_ptr[i + 1] = m;
        }
      if (pass == 0)
        {
          for (gsize i = 0; i < n; i++)
            graph->row_ptr[i + 1] += graph->row_ptr[i];
          total = graph->row_ptr[n];
          if (!(graph->col = es_memory_try_alloc (total, sizeof (gint32), "The UMAP graph", error)) ||
              !(graph->val = es_memory_try_alloc (total, sizeof (float), "The UMAP graph", error)))
            {
              _es_umap_graph_clear (graph);
              return FALSE;
            }
        }
    }

  /* Drop zeros, and (as umap-learn before optimising) edges too weak to
   * be sampled even once in n_epochs.
   */
  {
    float floor_val = n_epochs > 0 ? max_val / n_epochs : 0;
    guint64 out = 0, start = 0;

    for (gsize i = 0; i < n; i++)
      {
        guint64 end = graph->row_ptr[i + 1];

        for (guint64 e = start; e < end; e++)
          if (graph->val[e] > 0 && graph->val[e] >= floor_val)
            {
              graph->col[out] = graph->col[e];
              graph->val[out] = graph->val[e];
              out++;
            }
        start = end;
        graph->row_ptr[i + 1] = out;
      }
  }

  return TRUE;
}

gboolean
_es_umap_fuzzy_graph (const gint32  *indices,
                      const float   *distances,
                      gsize          n,
                      guint          k,
                      guint          n_epochs,
                      GDestroyNotify release,
                      gpointer       release_data,
                      EsUmapGraph   *graph,
                      GError       **error)
{
  Release r = { release, release_data };
  gboolean ok = fuzzy_graph (indices, distances, n, k, n_epochs, &r, graph, error);

  release_inputs (&r);
  return ok;
}

guint
_es_umap_graph_components (const EsUmapGraph *graph,
                           guint32           *comp)
{
  g_autofree guint32 *queue = es_memory_try_alloc (graph->n, sizeof (guint32), "The UMAP graph", NULL);
  guint count = 0;

  if (queue == NULL)
    return 0;

  for (gsize i = 0; i < graph->n; i++)
    comp[i] = G_MAXUINT32;

  for (gsize s = 0; s < graph->n; s++)
    {
      gsize head = 0, tail = 0;

      if (comp[s] != G_MAXUINT32)
        continue;
      comp[s] = count;
      queue[tail++] = s;
      while (head < tail)
        {
          guint32 v = queue[head++];

          for (guint64 e = graph->row_ptr[v]; e < graph->row_ptr[v + 1]; e++)
            if (comp[graph->col[e]] == G_MAXUINT32)
              {
                comp[graph->col[e]] = count;
                queue[tail++] = graph->col[e];
              }
        }
      count++;
    }

  return count;
}
