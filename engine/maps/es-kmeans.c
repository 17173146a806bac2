/* es-kmeans.c: k-means clusters of the rows, named by their own words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Seeding: greedy k-means++ (Arthur & Vassilvitskii 2007, with 2 + ⌊ln k⌋
 * trials per centre keeping the one that lowers the potential most, as
 * scikit-learn does) on a seeded uniform sample of max (16384, 64 k) valid
 * rows, so seeding costs k passes over the sample, not over a 400k file.
 *
 * Lloyd rounds read the set's matrix in place (no copy: peak memory stays
 * near the matrix).  Assignment: one sgemm per fixed block of rows against
 * the k centroids (cosine: x·c with unit c; euclidean: ||c||² − 2x·c).  A row
 * only changes cluster when the new centroid is strictly closer in a double
 * recomputation, and the cost is summed in double, so the objective cannot
 * rise through float rounding: with exact means (accumulated in double)
 * Lloyd's objective never increases.  Each block of rows keeps its own
 * partial sums, added in block order: results do not depend on the thread
 * count.  An emptied cluster takes the row farthest from its centroid (its
 * cost drops to 0; the objective still does not rise).
 */

#define G_LOG_DOMAIN "es-kmeans"

#include "config.h"

#include "es-kmeans.h"

#include "es-engine-error.h"
#include "es-memory.h"
#include "es-worker.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

#define BLOCK_ROWS   4096
#define MAX_THREADS  8
#define SAMPLE_MIN   16384
#define SAMPLE_PER_K 64
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
  options->max_iterations = 100;
  options->seed = 42;
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

/* ---- the work ---------------------------------------------------------- */

typedef struct
{
  EsEmbeddingSet *set;
  const float *x;        /* the matrix */
  gsize rows, dims;
  guint k;
  gboolean cosine;
  double *inv_norm;      /* rows: 1/|x| (cosine; 0 for zero rows) */
  float *cent;           /* k × dims */
  double *cent_d;        /* k × dims, the same in double */
  float *cent_norm2;     /* euclidean: ||c||² */
  gint32 *assign;
  double *cost;          /* rows */
  gsize n_blocks;
  double *block_sum;     /* n_blocks × k × dims */
  gsize *block_count;    /* n_blocks × k */
  double *block_obj;     /* n_blocks */
  gsize *block_changes;  /* n_blocks */
  GCancellable *cancellable;
} Km;

typedef struct
{
  Km *km;
  gsize b_lo, b_hi;
  float *scores;
} KmPart;

/* Cost of row @r in cluster @c, in double. */
static inline double
row_cost (const Km *km,
          gsize     r,
          guint     c)
{
  const float *x = km->x + r * km->dims;
  const double *cd = km->cent_d + (gsize) c * km->dims;
  double s = 0.0;

  if (km->cosine)
    {
      for (gsize j = 0; j < km->dims; j++)
        s += x[j] * cd[j];
      return 1.0 - s * km->inv_norm[r];
    }
  for (gsize j = 0; j < km->dims; j++)
    {
      double t = x[j] - cd[j];
      s += t * t;
    }
  return s;
}

static gpointer
assign_part_run (gpointer data)
{
  KmPart *part = data;
  Km *km = part->km;
  gsize d = km->dims;
  guint k = km->k;

  es_worker_enter ();

  for (gsize b = part->b_lo; b < part->b_hi; b++)
    {
      gsize r0 = b * BLOCK_ROWS, nr = MIN (BLOCK_ROWS, km->rows - r0);
      double *sum = km->block_sum + b * k * d;
      gsize *count = km->block_count + b * k;
      double obj = 0.0;
      gsize changes = 0;

      if (g_cancellable_is_cancelled (km->cancellable))
        return NULL;

      memset (sum, 0, k * d * sizeof (double));
      memset (count, 0, k * sizeof (gsize));

      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans,
                   nr, k, d,
                   1.0f, km->x + r0 * d, d,
                   km->cent, d,
                   0.0f, part->scores, k);

      for (gsize i = 0; i < nr; i++)
        {
          gsize r = r0 + i;
          const float *s = part->scores + i * k;
          guint best = 0;
          float best_v;
          gint32 cur = km->assign[r];
          double cost;
          const float *x = km->x + r * d;
          double w;

          if (!es_embedding_set_is_row_valid (km->set, r))
            continue;

          if (km->cosine)
            {
              best_v = s[0];
              for (guint c = 1; c < k; c++)
                if (s[c] > best_v)
                  best_v = s[c], best = c;
            }
          else
            {
              best_v = km->cent_norm2[0] - 2.0f * s[0];
              for (guint c = 1; c < k; c++)
                {
                  float v = km->cent_norm2[c] - 2.0f * s[c];

                  if (v < best_v)
                    best_v = v, best = c;
                }
            }

          if (cur < 0)
            {
              cur = best;
              cost = row_cost (km, r, best);
              changes++;
            }
          else
            {
              cost = row_cost (km, r, cur);
              if ((guint) cur != best)
                {
                  double alt = row_cost (km, r, best);

                  if (alt < cost)
                    {
                      cur = best;
                      cost = alt;
                      changes++;
                    }
                }
            }
          km->assign[r] = cur;
          km->cost[r] = cost;
          obj += cost;

          w = km->cosine ? km->inv_norm[r] : 1.0;
          count[cur]++;
          for (gsize j = 0; j < d; j++)
            sum[(gsize) cur * d + j] += x[j] * w;
        }

      km->block_obj[b] = obj;
      km->block_changes[b] = changes;
    }

  return NULL;
}

static void
run_assign (Km      *km,
            KmPart  *parts,
            guint    n_threads)
{
  GThread *threads[MAX_THREADS] = { NULL };

  for (guint t = 0; t < n_threads; t++)
    {
      parts[t].b_lo = km->n_blocks * t / n_threads;
      parts[t].b_hi = km->n_blocks * (t + 1) / n_threads;
    }
  for (guint t = 1; t < n_threads; t++)
    threads[t] = g_thread_new ("es-kmeans", assign_part_run, &parts[t]);
  assign_part_run (&parts[0]);
  for (guint t = 1; t < n_threads; t++)
    g_thread_join (threads[t]);
}

static void
set_centroid (Km           *km,
              guint         c,
              const double *v)
{
  gsize d = km->dims;
  double scale = 1.0, n2 = 0.0;

  if (km->cosine)
    {
      for (gsize j = 0; j < d; j++)
        n2 += v[j] * v[j];
      if (!(n2 > 0.0))
        return;   /* no direction: keep the old centroid */
      scale = 1.0 / sqrt (n2);
    }
  n2 = 0.0;
  for (gsize j = 0; j < d; j++)
    {
      km->cent_d[c * d + j] = v[j] * scale;
      km->cent[c * d + j] = (float) km->cent_d[c * d + j];
      n2 += (double) km->cent[c * d + j] * km->cent[c * d + j];
    }
  if (km->cent_norm2 != NULL)
    km->cent_norm2[c] = (float) n2;
}

/* Greedy k-means++ on a sample of the valid rows. */
static gboolean
seed_centroids (Km       *km,
                guint64   seed,
                GError  **error)
{
  gsize d = km->dims, n_valid = 0, m;
  guint k = km->k, trials = 2 + (guint) log ((double) k);
  g_autofree gint32 *valid = NULL;
  g_autofree double *dmin = NULL;
  g_autofree double *dtrial = NULL;
  g_autofree double *best_d = NULL;
  g_autofree double *vec = g_new (double, d);
  GRand *rand = g_rand_new_with_seed_array ((const guint32 *) &seed, 2);
  double potential = 0.0;

  valid = es_memory_try_alloc (MAX (km->rows, 1), sizeof (gint32), "k-means seeding", error);
  if (valid == NULL)
    {
      g_rand_free (rand);
      return FALSE;
    }
  for (gsize r = 0; r < km->rows; r++)
    if (es_embedding_set_is_row_valid (km->set, r))
      valid[n_valid++] = (gint32) r;

  /* A uniform sample: the first m of a partial Fisher-Yates shuffle. */
  m = MIN (n_valid, MAX ((gsize) SAMPLE_MIN, (gsize) SAMPLE_PER_K * k));
  for (gsize i = 0; i < m && m < n_valid; i++)
    {
      gsize j = i + (gsize) (g_rand_double (rand) * (n_valid - i));
      gint32 t = valid[i];

      j = MIN (j, n_valid - 1);
      valid[i] = valid[j];
      valid[j] = t;
    }

  dmin = g_new (double, m);
  dtrial = g_new (double, m);
  best_d = g_new (double, m);

  /* The first centre uniformly. */
  {
    gsize pick = MIN ((gsize) (g_rand_double (rand) * m), m - 1);
    const float *x = km->x + (gsize) valid[pick] * d;

    for (gsize j = 0; j < d; j++)
      vec[j] = x[j] * (km->cosine ? km->inv_norm[valid[pick]] : 1.0);
    if (km->cosine && km->inv_norm[valid[pick]] == 0.0)
      vec[0] = 1.0;   /* a zero row: any unit direction */
    set_centroid (km, 0, vec);
    for (gsize i = 0; i < m; i++)
      {
        dmin[i] = MAX (row_cost (km, valid[i], 0), 0.0);
        potential += dmin[i];
      }
  }

  for (guint c = 1; c < k; c++)
    {
      double best_pot = INFINITY;
      gsize best_pick = 0;

      if (g_cancellable_is_cancelled (km->cancellable))
        break;

      for (guint t = 0; t < trials; t++)
        {
          double target = g_rand_double (rand) * potential, acc = 0.0, pot = 0.0;
          gsize pick = m - 1;
          const float *x;

          if (potential > 0.0)
            {
              for (gsize i = 0; i < m; i++)
                {
                  acc += dmin[i];
                  if (acc > target)
                    {
                      pick = i;
                      break;
                    }
                }
            }
          else
            pick = MIN ((gsize) (g_rand_double (rand) * m), m - 1);

          x = km->x + (gsize) valid[pick] * d;
          for (gsize j = 0; j < d; j++)
            vec[j] = x[j] * (km->cosine ? km->inv_norm[valid[pick]] : 1.0);
          if (km->cosine && km->inv_norm[valid[pick]] == 0.0)
            vec[c % d] = 1.0;
          set_centroid (km, c, vec);
          for (gsize i = 0; i < m; i++)
            {
              dtrial[i] = MIN (dmin[i], MAX (row_cost (km, valid[i], c), 0.0));
              pot += dtrial[i];
            }
          if (pot < best_pot)
            {
              best_pot = pot;
              best_pick = pick;
              memcpy (best_d, dtrial, m * sizeof (double));
            }
        }

      {
        const float *x = km->x + (gsize) valid[best_pick] * d;

        for (gsize j = 0; j < d; j++)
          vec[j] = x[j] * (km->cosine ? km->inv_norm[valid[best_pick]] : 1.0);
        if (km->cosine && km->inv_norm[valid[best_pick]] == 0.0)
          vec[c % d] = 1.0;
        set_centroid (km, c, vec);
        memcpy (dmin, best_d, m * sizeof (double));
        potential = best_pot;
      }
    }

  g_rand_free (rand);
  return !g_cancellable_set_error_if_cancelled (km->cancellable, error);
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
  Km km = { 0 };
  KmPart parts[MAX_THREADS] = { { 0 } };
  guint n_threads, k;
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
  n_threads = CLAMP (n_threads, 1, MAX_THREADS);

  km.set = set;
  km.x = es_matrix_get_data (es_embedding_set_get_matrix (set));
  km.rows = es_embedding_set_get_rows (set);
  km.dims = d;
  km.k = k;
  km.cosine = options->metric == ES_METRIC_COSINE;
  km.cancellable = cancellable;
  km.n_blocks = (km.rows + BLOCK_ROWS - 1) / BLOCK_ROWS;
  n_threads = (guint) MIN ((gsize) n_threads, MAX (km.n_blocks, 1));

  /* Everything sized by the input, checked at once. */
  bytes = (guint64) km.rows * (sizeof (double) * 2 + sizeof (gint32))
        + (guint64) km.n_blocks * k * (d * sizeof (double) + sizeof (gsize))
        + (guint64) k * d * (sizeof (float) + sizeof (double))
        + (guint64) n_threads * BLOCK_ROWS * k * sizeof (float);
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
  km.cost = g_new0 (double, MAX (km.rows, 1));
  km.assign = g_new (gint32, MAX (km.rows, 1));
  km.cent = g_new0 (float, (gsize) k * d);
  km.cent_d = g_new0 (double, (gsize) k * d);
  km.cent_norm2 = km.cosine ? NULL : g_new0 (float, k);
  km.block_sum = g_new (double, km.n_blocks * k * d);
  km.block_count = g_new (gsize, km.n_blocks * k);
  km.block_obj = g_new0 (double, km.n_blocks);
  km.block_changes = g_new0 (gsize, km.n_blocks);
  for (guint t = 0; t < n_threads; t++)
    {
      parts[t].km = &km;
      parts[t].scores = g_new (float, (gsize) BLOCK_ROWS * k);
    }

  for (gsize r = 0; r < km.rows; r++)
    {
      km.assign[r] = -1;
      if (km.cosine && es_embedding_set_is_row_valid (set, r))
        {
          const float *x = km.x + r * d;
          double s = 0.0;

          for (gsize j = 0; j < d; j++)
            s += (double) x[j] * x[j];
          km.inv_norm[r] = s > 0.0 ? 1.0 / sqrt (s) : 0.0;
        }
    }

  t0 = g_get_monotonic_time ();
  if (progress != NULL)
    progress (0.0, progress_data);
  if (!seed_centroids (&km, options->seed, error))
    goto out;
  self->timings.seeding = (g_get_monotonic_time () - t0) / 1e6;

  t0 = g_get_monotonic_time ();
  for (guint it = 0; it < MAX (options->max_iterations, 1); it++)
    {
      g_autofree double *total = NULL;
      g_autofree gsize *count = NULL;
      double obj = 0.0;
      gsize changes = 0;

      if (progress != NULL)
        progress (0.1 + 0.85 * it / MAX (options->max_iterations, 1), progress_data);

      run_assign (&km, parts, n_threads);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;

      /* Fixed-order reduction over the blocks. */
      total = g_new0 (double, (gsize) k * d);
      count = g_new0 (gsize, k);
      for (gsize b = 0; b < km.n_blocks; b++)
        {
          obj += km.block_obj[b];
          changes += km.block_changes[b];
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
          changes++;
        }

      for (guint c = 0; c < k; c++)
        if (count[c] > 0)
          {
            for (gsize j = 0; j < d; j++)
              total[c * d + j] /= km.cosine ? 1.0 : (double) count[c];
            set_centroid (&km, c, total + (gsize) c * d);
          }

      g_debug ("k-means round %u: objective %.6f, %" G_GSIZE_FORMAT " changes", it + 1, obj, changes);
      if (changes == 0)
        {
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
        cost = row_cost (&km, r, c);
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
  g_free (km.inv_norm);
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
    g_free (parts[t].scores);

  return ok ? g_steal_pointer (&self) : NULL;
}
