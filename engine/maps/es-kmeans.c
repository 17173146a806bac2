/* es-kmeans.c: k-means clusters of the rows, named by their own words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Seeding (es-kmeans-seed.c): greedy k-means++ on a sample of the rows.
 * Assignment with Hamerly's bounds, below, in es-kmeans-assign.c.
 * Refinement (es-kmeans-hartigan.c): Hartigan's moves at Lloyd's fixed points.
 *
 * Lloyd rounds read the set's matrix in place (no copy: peak memory stays
 * near the matrix).  Assignment, with Hamerly's bounds (Hamerly 2010): the
 * exact cost of each row to its own centroid is recomputed in double every
 * round (an upper bound); a row is scored against all k centroids only
 * when that bound exceeds both half the gap from its centroid to the
 * nearest other one and the row's lower bound (the distance to its second
 * nearest centroid at its last full scoring, less the centroids' moves
 * since).  Late rounds, where few rows can move, so cost O(n d), not
 * O(n k d).  Rows that fail are gathered per fixed block of rows and scored
 * by one sgemm against the k centroids (cosine: x·c with unit c;
 * euclidean: ||c||² − 2x·c).  A row only changes cluster when the new
 * centroid is strictly closer in a double recomputation, and the cost is
 * summed in double, so the objective cannot rise through float rounding:
 * with exact means (accumulated in double) Lloyd's objective never
 * increases.  Each block of rows keeps its own partial sums, added in
 * block order, and which rows a block gathers depends on its rows alone:
 * results do not depend on the thread count.  An emptied cluster takes
 * the row farthest from its centroid (its cost drops to 0; the objective
 * still does not rise).
 */

#define G_LOG_DOMAIN "es-kmeans"

#include "config.h"

#include "es-kmeans.h"
#include "es-kmeans-private.h"

#include "es-engine-error.h"
#include "es-memory.h"

#include <math.h>
#include <string.h>

#define N_CENTRAL    3
#define N_NAMING_MIN   25  /* naming looks at a cluster's first max (25, size / 10) rows */
#define N_NAMING_SHARE 10

struct _EsKmeans
{
  gatomicrefcount ref_count;
  guint k;
  gsize rows, dims;
  EsMetric metric;
  gint32 *assign;
  float *centroids;
  gsize *sizes;
  GArray *history;
  guint iterations;
  gboolean converged;
  gint32 *central;     /* k × N_CENTRAL */
  char **names;
  EsKmeansTimings timings;
};

void
es_kmeans_options_init (EsKmeansOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->k = 20;
  options->metric = ES_METRIC_COSINE;
  options->max_iterations = 300;
  options->seed = 42;
  options->max_refinements = 100;
}

EsKmeans *
es_kmeans_ref (EsKmeans *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
es_kmeans_unref (EsKmeans *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_free (self->assign);
      g_free (self->centroids);
      g_free (self->sizes);
      g_clear_pointer (&self->history, g_array_unref);
      g_free (self->central);
      g_strfreev (self->names);
      g_free (self);
    }
}

guint es_kmeans_get_k (const EsKmeans *self) { return self->k; }
gsize es_kmeans_get_rows (const EsKmeans *self) { return self->rows; }
EsMetric es_kmeans_get_metric (const EsKmeans *self) { return self->metric; }
const gint32 *es_kmeans_get_assignments (const EsKmeans *self) { return self->assign; }
const float *es_kmeans_get_centroids (const EsKmeans *self) { return self->centroids; }
const gsize *es_kmeans_get_sizes (const EsKmeans *self) { return self->sizes; }
guint es_kmeans_get_iterations (const EsKmeans *self) { return self->iterations; }
gboolean es_kmeans_get_converged (const EsKmeans *self) { return self->converged; }
const EsKmeansTimings *es_kmeans_get_timings (const EsKmeans *self) { return &self->timings; }

double
es_kmeans_get_objective (const EsKmeans *self)
{
  g_return_val_if_fail (self != NULL, NAN);
  if (self->history->len == 0)
    return NAN;
  return g_array_index (self->history, double, self->history->len - 1);
}

const double *
es_kmeans_get_objective_history (const EsKmeans *self,
                                 guint          *n)
{
  g_return_val_if_fail (self != NULL, NULL);
  *n = self->history->len;
  return (const double *) self->history->data;
}

gsize
es_kmeans_naming_pool (gsize cluster_size)
{
  return MAX (N_NAMING_MIN, cluster_size / N_NAMING_SHARE);
}

const gint32 *
es_kmeans_get_central_rows (const EsKmeans *self,
                            guint           cluster)
{
  g_return_val_if_fail (self != NULL && cluster < self->k, NULL);
  return self->central + (gsize) cluster * N_CENTRAL;
}

const char *
es_kmeans_get_name (const EsKmeans *self,
                    guint           cluster)
{
  g_return_val_if_fail (self != NULL && cluster < self->k, NULL);
  return self->names[cluster];
}

EsKmeans *
es_kmeans_compute (EsEmbeddingSet         *set,
                   const EsKmeansOptions  *options,
                   GCancellable           *cancellable,
                   EsProgressFunc          progress,
                   gpointer                progress_data,
                   GError                **error)
{
  EsKmeansOptions defaults;
  g_autoptr(EsKmeans) self = NULL;
  EsKm km = { 0 };
  EsKmPart parts[ES_KM_MAX_THREADS] = { { 0 } };
  guint n_threads, k, refinements;
  gint32 *h_rows = NULL, *h_next = NULL;   /* Hartigan's rows to visit */
  gsize h_n = 0;
  gboolean stable = FALSE;
  gsize n_valid, d;
  guint64 bytes;
  gint64 t0;
  gboolean ok = FALSE;

  g_return_val_if_fail (set != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (options == NULL)
    {
      es_kmeans_options_init (&defaults);
      options = &defaults;
    }
  k = options->k;
  n_valid = es_embedding_set_get_n_valid (set);
  d = es_embedding_set_get_dims (set);

  if (k == 0 || k > n_valid)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "k-means needs 1 ≤ k ≤ the %" G_GSIZE_FORMAT " valid rows, not k = %u",
                   n_valid, k);
      return NULL;
    }
  if (options->metric != ES_METRIC_COSINE && options->metric != ES_METRIC_EUCLIDEAN)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "k-means supports the cosine and euclidean metrics, not %s",
                   es_metric_to_string (options->metric));
      return NULL;
    }

  n_threads = options->n_threads > 0 ? options->n_threads : g_get_num_processors ();
  n_threads = CLAMP (n_threads, 1, ES_KM_MAX_THREADS);

  km.set = set;
  km.x = es_matrix_get_data (es_embedding_set_get_matrix (set));
  km.rows = es_embedding_set_get_rows (set);
  km.dims = d;
  km.k = k;
  km.cosine = options->metric == ES_METRIC_COSINE;
  km.cancellable = cancellable;
  km.n_blocks = (km.rows + ES_KM_BLOCK_ROWS - 1) / ES_KM_BLOCK_ROWS;
  n_threads = (guint) MIN ((gsize) n_threads, MAX (km.n_blocks, 1));

  /* Everything sized by the input, checked at once. */
  bytes = (guint64) km.rows * (sizeof (double) * 3 + sizeof (gint32) * 3)
        + (guint64) km.n_blocks * k * (d * sizeof (double) + sizeof (gsize))
        + (guint64) n_threads * ES_KM_BLOCK_ROWS * (d * sizeof (float) + sizeof (gsize))
        + (guint64) MIN (km.rows, MAX ((gsize) 65536, (gsize) 64 * k)) * d * sizeof (float)
        + (guint64) k * d * (sizeof (float) + sizeof (double))
        + (guint64) n_threads * ES_KM_BLOCK_ROWS * k * sizeof (float);
  if (!es_memory_check (bytes, 1, "k-means", NULL, error))
    return NULL;

  self = g_new0 (EsKmeans, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->k = k;
  self->rows = km.rows;
  self->dims = d;
  self->metric = options->metric;
  self->history = g_array_new (FALSE, FALSE, sizeof (double));

  km.inv_norm = g_new0 (double, MAX (km.rows, 1));
  km.norm2 = g_new0 (double, MAX (km.rows, 1));
  km.lower = g_new0 (double, MAX (km.rows, 1));
  km.half_sep = g_new0 (double, k);
  km.moves = g_new0 (double, k);
  km.block_full = g_new0 (gsize, km.n_blocks);
  km.cost = g_new0 (double, MAX (km.rows, 1));
  km.assign = g_new (gint32, MAX (km.rows, 1));
  km.cent = g_new0 (float, (gsize) k * d);
  km.cent_d = g_new0 (double, (gsize) k * d);
  km.cent_norm2 = km.cosine ? NULL : g_new0 (float, k);
  km.block_sum = g_new0 (double, km.n_blocks * k * d);
  km.block_count = g_new0 (gsize, km.n_blocks * k);
  km.block_obj = g_new0 (double, km.n_blocks);
  km.block_changes = g_new0 (gsize, km.n_blocks);
  for (guint t = 0; t < n_threads; t++)
    {
      parts[t].km = &km;
      parts[t].scores = g_new (float, (gsize) ES_KM_BLOCK_ROWS * k);
      parts[t].gather = g_new (float, (gsize) ES_KM_BLOCK_ROWS * d);
      parts[t].full = g_new (gsize, ES_KM_BLOCK_ROWS);
      parts[t].prev = g_new (gint32, ES_KM_BLOCK_ROWS);
    }

  for (gsize r = 0; r < km.rows; r++)
    {
      km.assign[r] = -1;
      if (es_embedding_set_is_row_valid (set, r))
        {
          const float *x = km.x + r * d;
          double s = 0.0;

          for (gsize j = 0; j < d; j++)
            s += (double) x[j] * x[j];
          km.norm2[r] = s;
          if (km.cosine)
            km.inv_norm[r] = s > 0.0 ? 1.0 / sqrt (s) : 0.0;
        }
    }

  t0 = g_get_monotonic_time ();
  if (progress != NULL)
    progress (0.0, progress_data);
  if (!es_km_seed (&km, options->seed, options->seed_trials, error))
    goto out;
  es_km_update_bounds (&km);
  self->timings.seeding = (g_get_monotonic_time () - t0) / 1e6;

  t0 = g_get_monotonic_time ();
  refinements = 0;
  if (options->max_refinements > 0)
    {
      h_rows = g_new (gint32, MAX (km.rows, 1));
      h_next = g_new (gint32, MAX (km.rows, 1));
    }
  for (guint it = 0; it < MAX (options->max_iterations, 1); it++)
    {
      g_autofree double *total = NULL;
      g_autofree gsize *count = NULL;
      double obj = 0.0;
      gsize changes = 0, full = 0;

      if (progress != NULL)
        progress (0.1 + 0.85 * it / MAX (options->max_iterations, 1), progress_data);

      es_km_run_assign (&km, parts, n_threads);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;

      /* Fixed-order reduction over the blocks. */
      total = g_new0 (double, (gsize) k * d);
      count = g_new0 (gsize, k);
      for (gsize b = 0; b < km.n_blocks; b++)
        {
          obj += km.block_obj[b];
          changes += km.block_changes[b];
          full += km.block_full[b];
          for (guint c = 0; c < k; c++)
            {
              gsize nb = km.block_count[b * k + c];

              if (nb == 0)
                continue;
              count[c] += nb;
              for (gsize j = 0; j < d; j++)
                total[c * d + j] += km.block_sum[(b * k + c) * d + j];
            }
        }
      g_array_append_val (self->history, obj);
      self->iterations = it + 1;

      /* Emptied clusters take the row farthest from its centroid (among
       * clusters of more than one row); lowest row on ties.
       */
      for (guint c = 0; c < k; c++)
        {
          gsize far = G_MAXSIZE;
          double far_cost = -1.0;
          double w;
          gint32 from;
          const float *x;

          if (count[c] > 0)
            continue;
          for (gsize r = 0; r < km.rows; r++)
            if (km.assign[r] >= 0 && count[km.assign[r]] > 1 && km.cost[r] > far_cost)
              {
                far_cost = km.cost[r];
                far = r;
              }
          if (far == G_MAXSIZE)
            break;
          from = km.assign[far];
          es_km_block_move (&km, far / ES_KM_BLOCK_ROWS, far, from, -1.0);
          es_km_block_move (&km, far / ES_KM_BLOCK_ROWS, far, c, 1.0);
          x = km.x + far * d;
          w = km.cosine ? km.inv_norm[far] : 1.0;
          for (gsize j = 0; j < d; j++)
            {
              total[(gsize) from * d + j] -= x[j] * w;
              total[(gsize) c * d + j] += x[j] * w;
            }
          count[from]--;
          count[c]++;
          km.assign[far] = c;
          km.cost[far] = 0.0;
          km.lower[far] = 0.0;   /* its old centroid is now an other one */
          changes++;
        }

      for (guint c = 0; c < k; c++)
        if (count[c] > 0)
          {
            for (gsize j = 0; j < d; j++)
              total[c * d + j] /= km.cosine ? 1.0 : (double) count[c];
            es_km_set_centroid (&km, c, total + (gsize) c * d);
          }

      es_km_update_bounds (&km);
      g_debug ("k-means round %u: objective %.6f, %" G_GSIZE_FORMAT " changes, %"
               G_GSIZE_FORMAT " rows scored in full", it + 1, obj, changes, full);
      if (changes > 0)
        stable = FALSE;
      if (changes == 0)
        {
          /* A fixed point of Lloyd's; Hartigan's moves may leave it.  A
           * full pass, then passes over the rows it could not rule out
           * until none moves, then a full pass again to be sure.
           * Hartigan's fixed points are Lloyd's too: the round after
           * confirms it.
           */
          gsize moved = 0, m;
          gboolean all = TRUE;

          while (!stable && refinements < options->max_refinements)
            {
              gsize n_next;

              refinements++;
              m = es_km_hartigan (&km, all ? NULL : h_rows, h_n, h_next, &n_next, parts[0].gather);
              if (g_cancellable_set_error_if_cancelled (cancellable, error))
                goto out;
              moved += m;
              if (m > 0)
                es_km_update_bounds (&km);
              if (m == 0 && all)
                stable = TRUE;
              all = m == 0;
              { gint32 *t = h_rows; h_rows = h_next; h_next = t; }
              h_n = n_next;
            }
          if (moved > 0)
            continue;
          self->converged = TRUE;
          break;
        }
    }
  self->timings.iterations = (g_get_monotonic_time () - t0) / 1e6;

  /* Sizes, central rows and names against the final centroids. */
  t0 = g_get_monotonic_time ();
  self->sizes = g_new0 (gsize, k);
  self->central = g_new (gint32, (gsize) k * N_CENTRAL);
  {
    g_autofree double *central_cost = g_new (double, (gsize) k * N_CENTRAL);

    for (gsize i = 0; i < (gsize) k * N_CENTRAL; i++)
      {
        self->central[i] = -1;
        central_cost[i] = INFINITY;
      }
    g_autofree gsize *seen = g_new0 (gsize, k);

    for (gsize r = 0; r < km.rows; r++)
      if (km.assign[r] >= 0)
        self->sizes[km.assign[r]]++;
    for (gsize r = 0; r < km.rows; r++)
      {
        gint32 c = km.assign[r];
        double cost;
        gint32 *ids;
        double *costs;
        int pos;

        /* Names come from a cluster's familiar words: the nearest the
         * centroid among its most frequent members (files list the most
         * frequent first), else rare words that happen to sit at the
         * centre name it ("acceptation · generality").
         */
        if (c < 0 || seen[c]++ >= es_kmeans_naming_pool (self->sizes[c]))
          continue;
        cost = es_km_row_cost (&km, r, c);
        ids = self->central + (gsize) c * N_CENTRAL;
        costs = central_cost + (gsize) c * N_CENTRAL;
        if (!(cost < costs[N_CENTRAL - 1]))
          continue;
        for (pos = N_CENTRAL - 1; pos > 0 && cost < costs[pos - 1]; pos--)
          {
            costs[pos] = costs[pos - 1];
            ids[pos] = ids[pos - 1];
          }
        costs[pos] = cost;
        ids[pos] = (gint32) r;
      }
  }
  self->names = g_new0 (char *, k + 1);
  for (guint c = 0; c < k; c++)
    {
      GString *name = g_string_new (NULL);

      for (guint j = 0; j < N_CENTRAL; j++)
        {
          gint32 r = self->central[c * N_CENTRAL + j];
          g_autofree char *word = NULL;

          if (r < 0)
            break;
          word = es_embedding_set_dup_display_word (set, r);
          if (j > 0)
            g_string_append (name, " · ");
          g_string_append (name, word);
        }
      self->names[c] = g_string_free (name, FALSE);
    }
  self->timings.naming = (g_get_monotonic_time () - t0) / 1e6;

  self->assign = g_steal_pointer (&km.assign);
  self->centroids = g_steal_pointer (&km.cent);
  if (progress != NULL)
    progress (1.0, progress_data);
  ok = TRUE;

out:
  g_free (h_rows);
  g_free (h_next);
  g_free (km.inv_norm);
  g_free (km.norm2);
  g_free (km.lower);
  g_free (km.half_sep);
  g_free (km.moves);
  g_free (km.block_full);
  g_free (km.cost);
  g_free (km.assign);
  g_free (km.cent);
  g_free (km.cent_d);
  g_free (km.cent_norm2);
  g_free (km.block_sum);
  g_free (km.block_count);
  g_free (km.block_obj);
  g_free (km.block_changes);
  for (guint t = 0; t < n_threads; t++)
    {
      g_free (parts[t].scores);
      g_free (parts[t].gather);
      g_free (parts[t].full);
      g_free (parts[t].prev);
    }

  return ok ? g_steal_pointer (&self) : NULL;
}
