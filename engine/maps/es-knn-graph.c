/* es-knn-graph.c: the k nearest neighbours of every row, exact or by
 * random-projection trees and NN-descent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Points.  The valid rows are copied once into a compact float matrix: unit
 * rows for cosine (so 1 − x·y is the distance), the rows as they are for
 * euclidean, or their top principal components (pca_dims).  Under cosine a
 * zero vector has no direction; we define its distance to every other row as
 * exactly 1 (what 1 − x·y gives for a zero unit-row, i.e. "orthogonal to
 * everything"): zero rows are kept out of the point set and merged in at
 * distance 1 at the end, so they never produce NaN and rank after every row
 * closer than orthogonal.
 *
 * Exact path.  Blocked brute force: a block of query points against a block
 * of all points through one sgemm; for cosine the score is −x·y, for
 * euclidean ||y||² − 2x·y (||x||² is constant per query).  A bounded max-heap
 * per query keeps k + SLACK candidates; these are rescored with the direct
 * pair distance (the same function the approximate path uses, summed in a
 * fixed order) and sorted by (distance, row), so the result does not depend
 * on BLAS rounding, blocking or thread count.  Threads own fixed ranges of
 * query points.
 *
 * Approximate path.  Random-projection trees (Dasgupta & Freund 2008: split
 * every node at the median of the projections on a random Gaussian
 * direction, down to leaves of about k points) give the first candidates:
 * every pair inside a leaf.  NN-descent (Dong, Moses & Li 2011) then refines:
 * per round every point samples up to MAX_CANDIDATES "new" and "old"
 * neighbours, forward and reverse (the sampling is by a hash of seed, round
 * and pair, so it is a function of the graph, not of scheduling), and the
 * local join scores every new×new and new×old pair.  Determinism without
 * locks: a row's list is the k smallest (distance, index) pairs of the set
 * of candidates offered to it, which does not depend on the order they are
 * offered in.  So threads score fixed pieces of work into per-owner
 * buffers, then each thread applies the buffers to the rows it owns (the
 * "accumulate then apply" of uwot's batch mode); the stopping rule counts
 * the entries that are new at the end of a round, a set function too.  Same
 * seed → the same graph bit for bit with any thread count.
 *
 * Cache.  A graph is stored on the set per (metric, exact/approximate,
 * pca_dims, seed for approximate ones); a request for a smaller k gets a
 * prefix view of it.  For exact graphs the prefix is exactly what a fresh
 * build gives.  An approximate graph's prefix is at least as good as a
 * fresh smaller-k build (more candidates were searched) but not bit-equal to
 * one: what a map shows can then depend on whether a larger graph was built
 * first in the same session.
 */

#define G_LOG_DOMAIN "es-knn-graph"

#include "config.h"

#include "es-knn-graph.h"

#include "es-embedding-set-private.h"
#include "es-engine-error.h"
#include "es-memory.h"
#include "es-projection.h"
#include "es-worker.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_THREADS     8
#define SLACK           16
#define QUERY_BLOCK     64
#define COLUMN_BLOCK    2048
/* Candidates sampled per point and round (ρK of Dong et al.).  A round's
 * join costs mc² distances per point.  Measured on en30k-100d (recall on 300
 * sampled rows against brute force): k = 15 with mc = 15 gave 0.959, 24
 * gave 0.974 (0.989 on 100k structured); k = 90 with mc = 60 gave 0.9996 in
 * twice the time of mc = 20, which gives 0.993 (long lists already hold most
 * of the answer, and reverse neighbours widen the sample).
 */
#define MAX_CANDIDATES  24
#define MAX_CANDIDATES_LARGE_K 20
#define PAIRS_PER_PIECE (1u << 18)
#define NND_DELTA       0.001

/* The exact path up to 50,000 rows.  Measured on this 2-core machine
 * (tests/bench/es-bench-knn, 2 threads, busy with other builds: ±50 %), on
 * the 30k × 100 English file: exact 3.5–5.5 s at k = 15 or 90; approximate
 * 1.8 s at k = 15, 9 s at k = 90.  The exact cost grows as N², the
 * approximate one about as N log N, so at k = 90 (t-SNE) they cross near
 * 60–70k rows, at k = 15 (UMAP) already below 30k.  50k keeps every file up
 * to the size of the English sample exact (no recall question at all, and
 * at most ~15 s), and hands larger ones to the approximate path, which is
 * ~7× quicker at 100k (6.5 s against ~45 s at k = 15).
 */
#define EXACT_MAX_ROWS  50000

struct _EsKnnGraph
{
  gatomicrefcount ref_count;
  EsKnnGraph *parent;   /* a prefix view shares its parent's arrays */
  gsize rows;
  guint k;
  guint stride;
  EsMetric metric;
  gboolean exact;
  guint pca_dims;
  gint32 *indices;
  float *distances;
};

typedef enum
{
  DIST_DOT,       /* 1 − x·y of unit rows */
  DIST_SQUARED,   /* ||x − y||² */
} DistKind;

typedef struct
{
  gsize n;            /* points */
  gsize d;
  float *x;           /* n × d */
  float *norm2;       /* DIST_SQUARED: squared norms, for the sgemm score */
  gint32 *row;        /* point → set row */
  DistKind kind;
} Points;

void
es_knn_options_init (EsKnnOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->k = 15;
  options->metric = ES_METRIC_COSINE;
  options->method = ES_KNN_AUTO;
  options->pca_dims = 0;
  options->seed = 42;
  options->n_threads = 0;
}

gsize
es_knn_exact_max_rows (void)
{
  return EXACT_MAX_ROWS;
}

/* ---- the graph object ------------------------------------------------ */

EsKnnGraph *
es_knn_graph_ref (EsKnnGraph *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
es_knn_graph_unref (EsKnnGraph *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      if (self->parent != NULL)
        es_knn_graph_unref (self->parent);
      else
        {
          g_free (self->indices);
          g_free (self->distances);
        }
      g_free (self);
    }
}

static gpointer
graph_ref_cb (gpointer data)
{
  return es_knn_graph_ref (data);
}

gsize
es_knn_graph_get_rows (const EsKnnGraph *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->rows;
}

guint
es_knn_graph_get_k (const EsKnnGraph *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->k;
}

EsMetric
es_knn_graph_get_metric (const EsKnnGraph *self)
{
  g_return_val_if_fail (self != NULL, ES_METRIC_COSINE);
  return self->metric;
}

gboolean
es_knn_graph_is_exact (const EsKnnGraph *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->exact;
}

guint
es_knn_graph_get_pca_dims (const EsKnnGraph *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->pca_dims;
}

const gint32 *
es_knn_graph_get_row_indices (const EsKnnGraph *self,
                              gsize             row)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (row < self->rows, NULL);
  return self->indices + row * self->stride;
}

const float *
es_knn_graph_get_row_distances (const EsKnnGraph *self,
                                gsize             row)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (row < self->rows, NULL);
  return self->distances + row * self->stride;
}

static EsKnnGraph *
graph_new_prefix (EsKnnGraph *parent,
                  guint       k)
{
  EsKnnGraph *self = g_new0 (EsKnnGraph, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->parent = es_knn_graph_ref (parent);
  self->rows = parent->rows;
  self->k = k;
  self->stride = parent->stride;
  self->metric = parent->metric;
  self->exact = parent->exact;
  self->pca_dims = parent->pca_dims;
  self->indices = parent->indices;
  self->distances = parent->distances;

  return self;
}

/* ---- small helpers ---------------------------------------------------- */

static inline guint64
splitmix64 (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

static inline guint64
hash4 (guint64 a,
       guint64 b,
       guint64 c,
       guint64 d)
{
  guint64 s = a;

  s = splitmix64 (&s) ^ b;
  s = splitmix64 (&s) ^ c;
  s = splitmix64 (&s) ^ d;
  return splitmix64 (&s);
}

/* Same bits for (a, b) and (b, a): the products and differences commute and
 * the sum runs in one fixed order.
 */
static inline float
pair_distance (const Points *P,
               gsize         a,
               gsize         b)
{
  const float *x = P->x + a * P->d;
  const float *y = P->x + b * P->d;
  gsize d = P->d, j = 0;
  float acc[8] = { 0 };
  float sum;

  if (P->kind == DIST_DOT)
    {
      for (; j + 8 <= d; j += 8)
        for (guint l = 0; l < 8; l++)
          acc[l] += x[j + l] * y[j + l];
      for (; j < d; j++)
        acc[j & 7] += x[j] * y[j];
    }
  else
    {
      for (; j + 8 <= d; j += 8)
        for (guint l = 0; l < 8; l++)
          {
            float t = x[j + l] - y[j + l];
            acc[l] += t * t;
          }
      for (; j < d; j++)
        {
          float t = x[j] - y[j];
          acc[j & 7] += t * t;
        }
    }

  sum = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
  if (P->kind == DIST_DOT)
    return CLAMP (1.0f - sum, 0.0f, 2.0f);
  return sum;
}

/* (key, id) total order. */
static inline gboolean
pair_less (float  ka,
           gint32 ia,
           float  kb,
           gint32 ib)
{
  return ka < kb || (ka == kb && (guint32) ia < (guint32) ib);
}

/* Max-heap of (key, id), root the largest; empty slots are (+inf, -1),
 * which sort last (as id -1 is the largest unsigned).
 */
static inline void
heap_sift_down (float  *key,
                gint32 *id,
                guint8 *flag,
                guint   n,
                guint   i)
{
  for (;;)
    {
      guint l = 2 * i + 1, r = l + 1, m = i;

      if (l < n && pair_less (key[m], id[m], key[l], id[l]))
        m = l;
      if (r < n && pair_less (key[m], id[m], key[r], id[r]))
        m = r;
      if (m == i)
        return;

      { float tk = key[i]; key[i] = key[m]; key[m] = tk; }
      { gint32 ti = id[i]; id[i] = id[m]; id[m] = ti; }
      if (flag != NULL)
        { guint8 tf = flag[i]; flag[i] = flag[m]; flag[m] = tf; }
      i = m;
    }
}

/* Offers (k, i) to a full heap of @n slots; TRUE if taken. */
static inline gboolean
heap_offer (float  *key,
            gint32 *id,
            guint8 *flag,
            guint   n,
            float   k,
            gint32  i,
            guint8  f)
{
  if (!pair_less (k, i, key[0], id[0]))
    return FALSE;
  for (guint j = 0; j < n; j++)
    if (id[j] == i)
      return FALSE;

  key[0] = k;
  id[0] = i;
  if (flag != NULL)
    flag[0] = f;
  heap_sift_down (key, id, flag, n, 0);

  return TRUE;
}

typedef struct
{
  float  key;
  gint32 id;
} KeyId;

static int
compare_key_id (const void *a,
                const void *b)
{
  const KeyId *x = a, *y = b;

  if (pair_less (x->key, x->id, y->key, y->id))
    return -1;
  return pair_less (y->key, y->id, x->key, x->id);
}

static void
sort_key_id (KeyId *items,
             guint  n)
{
  /* Insertion sort: lists are short (k + SLACK). */
  for (guint i = 1; i < n; i++)
    {
      KeyId t = items[i];
      guint j = i;

      while (j > 0 && compare_key_id (&t, &items[j - 1]) < 0)
        {
          items[j] = items[j - 1];
          j--;
        }
      items[j] = t;
    }
}

/* Runs func (data + t * size) for t in [0, n_threads), t = 0 on this thread. */
typedef gpointer (*PartFunc) (gpointer data);

static void
run_parts (PartFunc  func,
           gpointer  parts,
           gsize     part_size,
           guint     n_threads)
{
  GThread *threads[MAX_THREADS] = { NULL };

  for (guint t = 1; t < n_threads; t++)
    threads[t] = g_thread_new ("es-knn", func, (char *) parts + t * part_size);
  func (parts);
  for (guint t = 1; t < n_threads; t++)
    g_thread_join (threads[t]);
}

static guint
resolve_threads (guint requested)
{
  guint n = requested > 0 ? requested : g_get_num_processors ();

  return CLAMP (n, 1, MAX_THREADS);
}

/* ---- points ----------------------------------------------------------- */

static void
points_clear (Points *P)
{
  g_clear_pointer (&P->x, g_free);
  g_clear_pointer (&P->norm2, g_free);
  g_clear_pointer (&P->row, g_free);
}

/* Fills @P from the set (or from @pca coordinates, rows × @pdims), and
 * @zero_rows (cosine: valid rows of norm 0; a sorted list).
 */
static gboolean
points_prepare (EsEmbeddingSet *set,
                EsMetric        metric,
                const float    *pca,
                guint           pdims,
                Points         *P,
                GArray         *zero_rows,
                GError        **error)
{
  gsize rows = es_embedding_set_get_rows (set);
  gsize dims = es_embedding_set_get_dims (set);
  gsize d = pca != NULL ? pdims : dims;
  gsize n = 0;

  P->d = d;
  P->kind = (metric == ES_METRIC_COSINE && pca == NULL) ? DIST_DOT : DIST_SQUARED;
  P->row = es_memory_try_alloc (MAX (es_embedding_set_get_n_valid (set), 1), sizeof (gint32),
                                "the kNN graph's row map", error);
  if (P->row == NULL)
    return FALSE;

  for (gsize i = 0; i < rows; i++)
    {
      if (!es_embedding_set_is_row_valid (set, i))
        continue;
      if (metric == ES_METRIC_COSINE)
        {
          const float *v = es_embedding_set_get_vector (set, i);
          double s = 0.0;

          for (gsize j = 0; j < dims; j++)
            s += (double) v[j] * v[j];
          if (!(s > 0.0))
            {
              gint32 r = (gint32) i;
              g_array_append_val (zero_rows, r);
              continue;
            }
        }
      P->row[n++] = (gint32) i;
    }
  P->n = n;

  P->x = es_memory_try_alloc ((guint64) MAX (n, 1) * d, sizeof (float),
                              "the kNN graph's copy of the vectors", error);
  if (P->x == NULL)
    return FALSE;

  for (gsize p = 0; p < n; p++)
    {
      float *dst = P->x + p * d;
      gsize r = P->row[p];

      if (pca != NULL)
        memcpy (dst, pca + r * d, d * sizeof (float));
      else
        {
          const float *v = es_embedding_set_get_vector (set, r);

          if (P->kind == DIST_DOT)
            {
              double s = 0.0, scale;

              for (gsize j = 0; j < d; j++)
                s += (double) v[j] * v[j];
              scale = 1.0 / sqrt (s);
              for (gsize j = 0; j < d; j++)
                dst[j] = (float) (v[j] * scale);
            }
          else
            memcpy (dst, v, d * sizeof (float));
        }
    }

  if (P->kind == DIST_SQUARED)
    {
      P->norm2 = es_memory_try_alloc (MAX (n, 1), sizeof (float), "the kNN graph's norms", error);
      if (P->norm2 == NULL)
        return FALSE;
      for (gsize p = 0; p < n; p++)
        {
          const float *v = P->x + p * d;
          float s = 0.0f;

          for (gsize j = 0; j < d; j++)
            s += v[j] * v[j];
          P->norm2[p] = s;
        }
    }

  return TRUE;
}

/* ---- exact path ------------------------------------------------------- */

typedef struct
{
  const Points   *P;
  guint           k;        /* min (k, n − 1) */
  guint           kk;       /* candidates kept: min (k + SLACK, n − 1) */
  gsize           lo, hi;   /* query points */
  gint32         *out_id;   /* n × k, point indices */
  float          *out_key;  /* n × k, internal distances */
  GCancellable   *cancellable;
  EsProgressFunc  progress;
  gpointer        progress_data;
  gboolean        failed;
  GError         *error;
} ExactPart;

static gpointer
exact_part_run (gpointer data)
{
  ExactPart *part = data;
  const Points *P = part->P;
  gsize n = P->n, d = P->d;
  guint kk = part->kk;
  g_autofree float *scores = NULL;
  g_autofree float *hkey = NULL;
  g_autofree gint32 *hid = NULL;
  g_autofree KeyId *cand = NULL;

  es_worker_enter ();

  scores = g_try_new (float, (gsize) QUERY_BLOCK * COLUMN_BLOCK);
  hkey = g_try_new (float, (gsize) QUERY_BLOCK * kk);
  hid = g_try_new (gint32, (gsize) QUERY_BLOCK * kk);
  cand = g_try_new (KeyId, kk);
  if (scores == NULL || hkey == NULL || hid == NULL || cand == NULL)
    {
      g_set_error (&part->error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                   "cannot allocate the kNN search buffers");
      part->failed = TRUE;
      return NULL;
    }

  for (gsize q0 = part->lo; q0 < part->hi; q0 += QUERY_BLOCK)
    {
      gsize nq = MIN (QUERY_BLOCK, part->hi - q0);

      if (g_cancellable_is_cancelled (part->cancellable))
        {
          part->failed = TRUE;
          return NULL;
        }
      if (part->progress != NULL)
        part->progress ((double) (q0 - part->lo) / (part->hi - part->lo), part->progress_data);

      for (gsize i = 0; i < nq * kk; i++)
        {
          hkey[i] = INFINITY;
          hid[i] = -1;
        }

      for (gsize c0 = 0; c0 < n; c0 += COLUMN_BLOCK)
        {
          gsize nc = MIN (COLUMN_BLOCK, n - c0);

          cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans,
                       nq, nc, d,
                       1.0f, P->x + q0 * d, d,
                       P->x + c0 * d, d,
                       0.0f, scores, nc);

          for (gsize qi = 0; qi < nq; qi++)
            {
              const float *s = scores + qi * nc;
              float *key = hkey + qi * kk;
              gint32 *id = hid + qi * kk;
              gsize q = q0 + qi;

              for (gsize cj = 0; cj < nc; cj++)
                {
                  gsize c = c0 + cj;
                  float v = P->kind == DIST_DOT ? -s[cj] : P->norm2[c] - 2.0f * s[cj];

                  if (c == q || !pair_less (v, (gint32) c, key[0], id[0]))
                    continue;
                  key[0] = v;
                  id[0] = (gint32) c;
                  heap_sift_down (key, id, NULL, kk, 0);
                }
            }
        }

      /* Rescore the candidates with the direct distance; keep k. */
      for (gsize qi = 0; qi < nq; qi++)
        {
          gsize q = q0 + qi;
          guint m = 0;

          for (guint j = 0; j < kk; j++)
            {
              gint32 c = hid[qi * kk + j];

              if (c < 0)
                continue;
              cand[m].key = pair_distance (P, q, c);
              cand[m].id = c;
              m++;
            }
          sort_key_id (cand, m);
          g_assert (m >= part->k);
          for (guint j = 0; j < part->k; j++)
            {
              part->out_id[q * part->k + j] = cand[j].id;
              part->out_key[q * part->k + j] = cand[j].key;
            }
        }
    }

  return NULL;
}

static gboolean
knn_exact (const Points    *P,
           guint            k,
           guint            n_threads,
           gint32          *out_id,
           float           *out_key,
           GCancellable    *cancellable,
           EsProgressFunc   progress,
           gpointer         progress_data,
           GError         **error)
{
  ExactPart parts[MAX_THREADS];
  gsize n = P->n;
  gboolean ok = TRUE;

  if (n < 2 || k == 0)
    return TRUE;

  n_threads = (guint) MIN ((gsize) n_threads, MAX (n / QUERY_BLOCK, 1));
  memset (parts, 0, sizeof parts);
  for (guint t = 0; t < n_threads; t++)
    {
      parts[t].P = P;
      parts[t].k = k;
      parts[t].kk = (guint) MIN ((gsize) k + SLACK, n - 1);
      parts[t].lo = n * t / n_threads;
      parts[t].hi = n * (t + 1) / n_threads;
      parts[t].out_id = out_id;
      parts[t].out_key = out_key;
      parts[t].cancellable = cancellable;
    }
  parts[0].progress = progress;
  parts[0].progress_data = progress_data;

  run_parts (exact_part_run, parts, sizeof parts[0], n_threads);

  for (guint t = 0; t < n_threads; t++)
    {
      if (parts[t].error != NULL && ok)
        {
          g_propagate_error (error, parts[t].error);
          parts[t].error = NULL;
          ok = FALSE;
        }
      g_clear_error (&parts[t].error);
      if (parts[t].failed)
        ok = FALSE;
    }
  if (!ok && (error == NULL || *error == NULL))
    g_cancellable_set_error_if_cancelled (cancellable, error);

  return ok;
}

/* ---- approximate path: random-projection trees ----------------------- */

typedef struct
{
  guint32 lo, hi;
} Leaf;

typedef struct
{
  float  proj;
  gint32 id;
} ProjId;

static inline gboolean
proj_less (const ProjId *a,
           const ProjId *b)
{
  return a->proj < b->proj || (a->proj == b->proj && a->id < b->id);
}

/* Puts the element of rank @nth of a[0..n) at a[nth], smaller before it. */
static void
select_nth (ProjId *a,
            gsize   n,
            gsize   nth)
{
  gsize lo = 0, hi = n;   /* [lo, hi) contains nth */

  while (hi - lo > 1)
    {
      gsize mid = lo + (hi - lo) / 2, store = lo;
      ProjId pivot, t;
      ProjId *x = &a[lo], *y = &a[mid], *z = &a[hi - 1];
      ProjId *m;

      /* Median of three as pivot, moved to the end. */
      if (proj_less (x, y))
        m = proj_less (y, z) ? y : (proj_less (x, z) ? z : x);
      else
        m = proj_less (x, z) ? x : (proj_less (y, z) ? z : y);
      pivot = *m;
      *m = a[hi - 1];
      a[hi - 1] = pivot;

      for (gsize i = lo; i < hi - 1; i++)
        if (proj_less (&a[i], &pivot))
          {
            t = a[i]; a[i] = a[store]; a[store] = t;
            store++;
          }
      a[hi - 1] = a[store];
      a[store] = pivot;

      if (store == nth)
        return;
      if (nth < store)
        hi = store;
      else
        lo = store + 1;
    }
}

typedef struct
{
  const Points *P;
  guint         first_tree, n_trees_total, step;
  guint         leaf_size;
  guint64       seed;
  gint32      **perms;      /* per tree: n point ids */
  GArray      **leaves;     /* per tree: Leaf */
  GCancellable *cancellable;
} TreePart;

static void
build_tree (const Points *P,
            guint64       seed,
            guint         leaf_size,
            gint32       *perm,
            GArray       *leaves,
            ProjId       *scratch,
            float        *dir)
{
  gsize n = P->n, d = P->d;
  guint64 state = seed;
  GArray *stack = g_array_new (FALSE, FALSE, sizeof (Leaf));
  Leaf root = { 0, (guint32) n };

  for (gsize i = 0; i < n; i++)
    perm[i] = (gint32) i;
  g_array_append_val (stack, root);

  while (stack->len > 0)
    {
      Leaf node = g_array_index (stack, Leaf, stack->len - 1);
      gsize m = node.hi - node.lo, half;
      Leaf left, right;

      g_array_set_size (stack, stack->len - 1);
      if (m <= leaf_size)
        {
          g_array_append_val (leaves, node);
          continue;
        }

      /* A random Gaussian direction (Box–Muller). */
      for (gsize j = 0; j < d; j += 2)
        {
          double u1 = ((splitmix64 (&state) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
          double u2 = (splitmix64 (&state) >> 11) * (1.0 / 9007199254740992.0);
          double r = sqrt (-2.0 * log (u1));

          dir[j] = (float) (r * cos (2.0 * G_PI * u2));
          if (j + 1 < d)
            dir[j + 1] = (float) (r * sin (2.0 * G_PI * u2));
        }

      for (gsize i = 0; i < m; i++)
        {
          gint32 p = perm[node.lo + i];
          const float *x = P->x + (gsize) p * d;
          float acc[8] = { 0 };
          gsize j = 0;

          for (; j + 8 <= d; j += 8)
            for (guint l = 0; l < 8; l++)
              acc[l] += x[j + l] * dir[j + l];
          for (; j < d; j++)
            acc[j & 7] += x[j] * dir[j];
          scratch[i].proj = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
          scratch[i].id = p;
        }

      half = m / 2;
      select_nth (scratch, m, half);
      for (gsize i = 0; i < m; i++)
        perm[node.lo + i] = scratch[i].id;

      left.lo = node.lo;
      left.hi = (guint32) (node.lo + half);
      right.lo = left.hi;
      right.hi = node.hi;
      g_array_append_val (stack, right);
      g_array_append_val (stack, left);
    }

  g_array_unref (stack);
}

static gpointer
tree_part_run (gpointer data)
{
  TreePart *part = data;
  g_autofree ProjId *scratch = g_new (ProjId, MAX (part->P->n, 1));
  g_autofree float *dir = g_new (float, part->P->d + 1);

  es_worker_enter ();

  for (guint t = part->first_tree; t < part->n_trees_total; t += part->step)
    {
      if (g_cancellable_is_cancelled (part->cancellable))
        return NULL;
      build_tree (part->P, hash4 (part->seed, 0x7265, t, 0), part->leaf_size,
                  part->perms[t], part->leaves[t], scratch, dir);
    }

  return NULL;
}

/* ---- approximate path: the joins ------------------------------------- */

typedef struct
{
  gint32 p;   /* the row offered a neighbour */
  gint32 q;
  float  d;
} Update;

typedef struct
{
  const gint32 *a;   /* new */
  guint         na;
  const gint32 *b;   /* old */
  guint         nb;
} Group;

typedef struct _Nnd Nnd;

typedef struct
{
  Nnd      *nnd;
  guint     t;
  /* compute phase */
  const Group *groups;
  gsize     g_lo, g_hi;
  Update   *buf[MAX_THREADS];   /* per owner */
  gsize     n_buf[MAX_THREADS];
  /* apply / sample phase */
  gsize     lo, hi;             /* owned points */
  guint     iteration;
  guint64   count;
} NndPart;

struct _Nnd
{
  const Points *P;
  guint         k;
  guint         mc;          /* max candidates */
  guint         n_threads;
  guint64       seed;
  float        *hkey;        /* n × k max-heaps */
  gint32       *hid;
  guint8       *hflag;       /* 0 old; 1 new; 2 new, inserted this round */
  float        *thresh;      /* heap tops, updated in apply phases only */
  gint32       *new_id;      /* n × mc */
  guint64      *new_pri;
  gint32       *old_id;
  guint64      *old_pri;
  guint        *n_new, *n_old;
  gsize         bounds[MAX_THREADS + 1];
  NndPart       parts[MAX_THREADS];
};

static inline guint
owner_of (const Nnd *nnd,
          gint32     p)
{
  guint t = 0;

  while ((gsize) p >= nnd->bounds[t + 1])
    t++;
  return t;
}

static inline void
push_update (NndPart *part,
             gint32   p,
             gint32   q,
             float    d)
{
  Nnd *nnd = part->nnd;
  guint o;

  if (d > nnd->thresh[p])
    return;
  o = owner_of (nnd, p);
  part->buf[o][part->n_buf[o]++] = (Update) { p, q, d };
}

static gpointer
join_compute_run (gpointer data)
{
  NndPart *part = data;
  const Points *P = part->nnd->P;

  for (guint o = 0; o < part->nnd->n_threads; o++)
    part->n_buf[o] = 0;

  for (gsize g = part->g_lo; g < part->g_hi; g++)
    {
      const Group *grp = &part->groups[g];

      for (guint i = 0; i < grp->na; i++)
        {
          gint32 p = grp->a[i];

          for (guint j = i + 1; j < grp->na; j++)
            {
              gint32 q = grp->a[j];
              float dist;

              if (p == q)
                continue;
              dist = pair_distance (P, p, q);
              push_update (part, p, q, dist);
              push_update (part, q, p, dist);
            }
          for (guint j = 0; j < grp->nb; j++)
            {
              gint32 q = grp->b[j];
              float dist;

              if (p == q)
                continue;
              dist = pair_distance (P, p, q);
              push_update (part, p, q, dist);
              push_update (part, q, p, dist);
            }
        }
    }

  return NULL;
}

static gpointer
join_apply_run (gpointer data)
{
  NndPart *part = data;
  Nnd *nnd = part->nnd;
  guint k = nnd->k;

  for (guint t = 0; t < nnd->n_threads; t++)
    {
      const NndPart *src = &nnd->parts[t];
      const Update *u = src->buf[part->t];

      for (gsize i = 0; i < src->n_buf[part->t]; i++)
        {
          gsize p = u[i].p;

          if (heap_offer (nnd->hkey + p * k, nnd->hid + p * k, nnd->hflag + p * k, k,
                          u[i].d, u[i].q, 2))
            nnd->thresh[p] = nnd->hkey[p * k];
        }
    }

  return NULL;
}

static inline guint64
group_pairs (const Group *g)
{
  return (guint64) g->na * (g->na > 0 ? g->na - 1 : 0) + 2 * (guint64) g->na * g->nb;
}

/* Offers every new×new and new×old pair of @groups to both points. */
static gboolean
run_joins (Nnd          *nnd,
           const Group  *groups,
           gsize         n_groups,
           GCancellable *cancellable)
{
  gsize cursor = 0;

  while (cursor < n_groups)
    {
      guint used = 0;

      if (g_cancellable_is_cancelled (cancellable))
        return FALSE;

      for (guint t = 0; t < nnd->n_threads; t++)
        {
          guint64 pairs = 0;

          nnd->parts[t].groups = groups;
          nnd->parts[t].g_lo = cursor;
          while (cursor < n_groups && (pairs == 0 || pairs + group_pairs (&groups[cursor]) <= PAIRS_PER_PIECE))
            pairs += group_pairs (&groups[cursor++]);
          nnd->parts[t].g_hi = cursor;
          if (nnd->parts[t].g_hi > nnd->parts[t].g_lo)
            used = t + 1;
        }

      run_parts (join_compute_run, nnd->parts, sizeof nnd->parts[0], MAX (used, 1));
      for (guint t = used; t < nnd->n_threads; t++)
        for (guint o = 0; o < nnd->n_threads; o++)
          nnd->parts[t].n_buf[o] = 0;
      run_parts (join_apply_run, nnd->parts, sizeof nnd->parts[0], nnd->n_threads);
    }

  return TRUE;
}

/* Bounded max-heap of 64-bit keys (priority << 32 | id), empty = MAXUINT64. */
static inline void
cand_offer (guint64 *heap,
            guint    n,
            guint64  key)
{
  if (key >= heap[0])
    return;
  for (guint j = 0; j < n; j++)
    if (heap[j] == key)
      return;
  heap[0] = key;
  for (guint i = 0;;)
    {
      guint l = 2 * i + 1, r = l + 1, m = i;
      guint64 t;

      if (l < n && heap[l] > heap[m])
        m = l;
      if (r < n && heap[r] > heap[m])
        m = r;
      if (m == i)
        break;
      t = heap[i]; heap[i] = heap[m]; heap[m] = t;
      i = m;
    }
}

static inline guint64
cand_key (const Nnd *nnd,
          guint      iteration,
          gint32     owner,
          gint32     cand)
{
  guint64 pri = hash4 (nnd->seed, iteration, (guint32) owner, (guint32) cand) >> 32;

  return (pri << 32) | (guint32) cand;
}

/* Samples the new and old candidates of the owned points. */
static gpointer
sample_run (gpointer data)
{
  NndPart *part = data;
  Nnd *nnd = part->nnd;
  gsize n = nnd->P->n, lo = part->lo, hi = part->hi;
  guint k = nnd->k, mc = nnd->mc;

  for (gsize v = lo; v < hi; v++)
    for (guint j = 0; j < mc; j++)
      {
        nnd->new_pri[v * mc + j] = G_MAXUINT64;
        nnd->old_pri[v * mc + j] = G_MAXUINT64;
      }

  for (gsize v = 0; v < n; v++)
    for (guint j = 0; j < k; j++)
      {
        gint32 u = nnd->hid[v * k + j];
        gboolean is_new = nnd->hflag[v * k + j];
        guint64 *pri = is_new ? nnd->new_pri : nnd->old_pri;

        if (u < 0)
          continue;
        if (v >= lo && v < hi)
          cand_offer (pri + v * mc, mc, cand_key (nnd, part->iteration, (gint32) v, u));
        if ((gsize) u >= lo && (gsize) u < hi)
          cand_offer (pri + (gsize) u * mc, mc, cand_key (nnd, part->iteration, u, (gint32) v));
      }

  for (gsize v = lo; v < hi; v++)
    {
      guint nn = 0, no = 0;

      for (guint j = 0; j < mc; j++)
        {
          guint64 a = nnd->new_pri[v * mc + j], b = nnd->old_pri[v * mc + j];

          if (a != G_MAXUINT64)
            nnd->new_id[v * mc + nn++] = (gint32) (guint32) a;
          if (b != G_MAXUINT64)
            nnd->old_id[v * mc + no++] = (gint32) (guint32) b;
        }
      nnd->n_new[v] = nn;
      nnd->n_old[v] = no;
    }

  return NULL;
}

/* After every thread has sampled (sampling reads all rows' flags): the
 * sampled new neighbours of the owned rows become old.
 */
static gpointer
mark_old_run (gpointer data)
{
  NndPart *part = data;
  Nnd *nnd = part->nnd;
  guint k = nnd->k, mc = nnd->mc;

  for (gsize v = part->lo; v < part->hi; v++)
    {
      guint nn = nnd->n_new[v];

      for (guint j = 0; j < k; j++)
        if (nnd->hflag[v * k + j])
          for (guint c = 0; c < nn; c++)
            if (nnd->new_id[v * mc + c] == nnd->hid[v * k + j])
              {
                nnd->hflag[v * k + j] = 0;
                break;
              }
    }

  return NULL;
}

/* Counts the entries of the owned rows inserted this round (a function of
 * the final lists, whatever order the updates came in), then makes them
 * plain new.
 */
static gpointer
count_new_run (gpointer data)
{
  NndPart *part = data;
  Nnd *nnd = part->nnd;
  guint k = nnd->k;

  part->count = 0;
  for (gsize i = part->lo * k; i < part->hi * k; i++)
    if (nnd->hflag[i] == 2)
      {
        part->count++;
        nnd->hflag[i] = 1;
      }

  return NULL;
}

/* Rows the leaves left short get random points, deterministically per row. */
static gpointer
fill_random_run (gpointer data)
{
  NndPart *part = data;
  Nnd *nnd = part->nnd;
  gsize n = nnd->P->n;
  guint k = nnd->k;

  for (gsize p = part->lo; p < part->hi; p++)
    {
      guint64 state = hash4 (nnd->seed, 0x66696c6c, p, 0);

      for (guint attempt = 0; attempt < 8 * k && nnd->hid[p * k] < 0; attempt++)
        {
          gint32 q = (gint32) (splitmix64 (&state) % n);

          if ((gsize) q == p)
            continue;
          if (heap_offer (nnd->hkey + p * k, nnd->hid + p * k, nnd->hflag + p * k, k,
                          pair_distance (nnd->P, p, q), q, 1))
            nnd->thresh[p] = nnd->hkey[p * k];
        }
    }

  return NULL;
}

static gboolean
knn_approximate (const Points   *P,
                 guint           k,
                 guint64         seed,
                 guint           n_threads,
                 gint32         *out_id,
                 float          *out_key,
                 GCancellable   *cancellable,
                 EsProgressFunc  progress,
                 gpointer        progress_data,
                 GError        **error)
{
  gsize n = P->n;
  guint n_trees, leaf_size, max_iter;
  guint64 bytes, threshold;
  Nnd nnd = { 0 };
  gint32 **perms = NULL;
  GArray **leaves = NULL;
  Group *groups = NULL;
  gsize n_groups = 0;
  gboolean ok = FALSE;
  TreePart tparts[MAX_THREADS];

  n_trees = CLAMP (5 + (guint) round (pow ((double) n, 0.25)), 5, 12);
  leaf_size = CLAMP (k + 1, 24, 128);
  max_iter = MAX (5, (guint) round (log2 ((double) n)));

  nnd.P = P;
  nnd.k = k;
  nnd.mc = k <= 40 ? MAX_CANDIDATES : MAX_CANDIDATES_LARGE_K;
  nnd.n_threads = n_threads;
  nnd.seed = seed;
  for (guint t = 0; t <= n_threads; t++)
    nnd.bounds[t] = n * t / n_threads;

  /* Everything sized by n, asked for at once. */
  bytes = (guint64) n * k * (sizeof (float) + sizeof (gint32) + 1)
        + (guint64) n * nnd.mc * 2 * (sizeof (gint32) + sizeof (guint64))
        + (guint64) n * n_trees * sizeof (gint32)
        + (guint64) n * (sizeof (float) + 2 * sizeof (guint) + sizeof (Group))
        + (guint64) n_threads * n_threads * (PAIRS_PER_PIECE + 128 * 128) * sizeof (Update);
  if (!es_memory_check (bytes, 1, "the approximate kNN graph", NULL, error))
    return FALSE;

  nnd.hkey = g_new (float, n * k);
  nnd.hid = g_new (gint32, n * k);
  nnd.hflag = g_new0 (guint8, n * k);
  nnd.thresh = g_new (float, n);
  nnd.new_id = g_new (gint32, n * nnd.mc);
  nnd.old_id = g_new (gint32, n * nnd.mc);
  nnd.new_pri = g_new (guint64, n * nnd.mc);
  nnd.old_pri = g_new (guint64, n * nnd.mc);
  nnd.n_new = g_new0 (guint, n);
  nnd.n_old = g_new0 (guint, n);
  for (gsize i = 0; i < n * k; i++)
    {
      nnd.hkey[i] = INFINITY;
      nnd.hid[i] = -1;
    }
  for (gsize i = 0; i < n; i++)
    nnd.thresh[i] = INFINITY;

  for (guint t = 0; t < n_threads; t++)
    {
      NndPart *part = &nnd.parts[t];

      part->nnd = &nnd;
      part->t = t;
      part->lo = nnd.bounds[t];
      part->hi = nnd.bounds[t + 1];
      for (guint o = 0; o < n_threads; o++)
        part->buf[o] = g_new (Update, (gsize) PAIRS_PER_PIECE + 128 * 128);
    }

  /* Trees. */
  g_debug ("approximate kNN: %" G_GSIZE_FORMAT " points, k %u, %u trees, leaves %u, %u candidates",
           n, k, n_trees, leaf_size, nnd.mc);
  if (progress != NULL)
    progress (0.0, progress_data);
  perms = g_new0 (gint32 *, n_trees);
  leaves = g_new0 (GArray *, n_trees);
  for (guint t = 0; t < n_trees; t++)
    {
      perms[t] = g_new (gint32, n);
      leaves[t] = g_array_new (FALSE, FALSE, sizeof (Leaf));
    }
  for (guint t = 0; t < n_threads; t++)
    tparts[t] = (TreePart) { P, t, n_trees, n_threads, leaf_size, seed, perms, leaves, cancellable };
  run_parts (tree_part_run, tparts, sizeof tparts[0], n_threads);
  if (g_cancellable_is_cancelled (cancellable))
    goto out;

  g_debug ("trees built");
  for (guint t = 0; t < n_trees; t++)
    n_groups += leaves[t]->len;
  groups = g_new (Group, MAX (n_groups, n));
  n_groups = 0;
  for (guint t = 0; t < n_trees; t++)
    for (guint l = 0; l < leaves[t]->len; l++)
      {
        Leaf *leaf = &g_array_index (leaves[t], Leaf, l);

        groups[n_groups++] = (Group) { perms[t] + leaf->lo, leaf->hi - leaf->lo, NULL, 0 };
      }
  if (!run_joins (&nnd, groups, n_groups, cancellable))
    goto out;
  run_parts (fill_random_run, nnd.parts, sizeof nnd.parts[0], n_threads);
  run_parts (count_new_run, nnd.parts, sizeof nnd.parts[0], n_threads);
  g_debug ("leaves joined");
  for (guint t = 0; t < n_trees; t++)
    g_clear_pointer (&perms[t], g_free);

  /* NN-descent rounds. */
  threshold = (guint64) (NND_DELTA * n * k);
  for (guint it = 0; it < max_iter; it++)
    {
      guint64 changed = 0;

      if (progress != NULL)
        progress (0.1 + 0.9 * it / max_iter, progress_data);
      for (guint t = 0; t < n_threads; t++)
        nnd.parts[t].iteration = it + 1;
      run_parts (sample_run, nnd.parts, sizeof nnd.parts[0], n_threads);
      run_parts (mark_old_run, nnd.parts, sizeof nnd.parts[0], n_threads);

      n_groups = 0;
      for (gsize v = 0; v < n; v++)
        if (nnd.n_new[v] > 0)
          groups[n_groups++] = (Group) { nnd.new_id + v * nnd.mc, nnd.n_new[v],
                                         nnd.old_id + v * nnd.mc, nnd.n_old[v] };
      if (n_groups == 0)
        break;
      if (!run_joins (&nnd, groups, n_groups, cancellable))
        goto out;

      run_parts (count_new_run, nnd.parts, sizeof nnd.parts[0], n_threads);
      for (guint t = 0; t < n_threads; t++)
        changed += nnd.parts[t].count;
      g_debug ("NN-descent round %u: %" G_GUINT64_FORMAT " new entries", it + 1, changed);
      if (changed <= threshold)
        break;
    }

  /* Sorted output. */
  {
    g_autofree KeyId *items = g_new (KeyId, k);

    for (gsize p = 0; p < n; p++)
      {
        for (guint j = 0; j < k; j++)
          items[j] = (KeyId) { nnd.hkey[p * k + j], nnd.hid[p * k + j] };
        sort_key_id (items, k);
        for (guint j = 0; j < k; j++)
          {
            out_id[p * k + j] = items[j].id;
            out_key[p * k + j] = items[j].key;
          }
      }
  }
  ok = TRUE;

out:
  if (!ok)
    g_cancellable_set_error_if_cancelled (cancellable, error);
  for (guint t = 0; t < n_trees && perms != NULL; t++)
    {
      g_free (perms[t]);
      g_array_unref (leaves[t]);
    }
  g_free (perms);
  g_free (leaves);
  g_free (groups);
  for (guint t = 0; t < n_threads; t++)
    for (guint o = 0; o < n_threads; o++)
      g_free (nnd.parts[t].buf[o]);
  g_free (nnd.hkey);
  g_free (nnd.hid);
  g_free (nnd.hflag);
  g_free (nnd.thresh);
  g_free (nnd.new_id);
  g_free (nnd.old_id);
  g_free (nnd.new_pri);
  g_free (nnd.old_pri);
  g_free (nnd.n_new);
  g_free (nnd.n_old);

  return ok;
}

/* ---- assembly and the public entry ----------------------------------- */

static inline float
final_distance (DistKind kind,
                gboolean pca_cosine,
                float    key)
{
  if (kind == DIST_DOT)
    return key;
  if (pca_cosine)
    return 0.5f * key;   /* ||x − y||² = 2 − 2 cos between unit rows */
  return sqrtf (key);
}

static gboolean
knn_build (EsEmbeddingSet      *set,
           const EsKnnOptions  *options,
           gboolean             exact,
           guint                pca_dims,
           GCancellable        *cancellable,
           EsProgressFunc       progress,
           gpointer             progress_data,
           EsKnnGraph         **out,
           GError             **error)
{
  gsize rows = es_embedding_set_get_rows (set);
  guint k = options->k;
  guint n_threads = resolve_threads (options->n_threads);
  g_autoptr(EsProjection) projection = NULL;
  g_autoptr(GArray) zero_rows = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autofree gint32 *pt_id = NULL;
  g_autofree float *pt_key = NULL;
  g_autofree KeyId *merged = NULL;
  Points P = { 0 };
  guint kp;
  EsKnnGraph *graph;
  gboolean ok = FALSE;

  if (pca_dims > 0)
    {
      EsProjectionOptions popt;

      es_projection_options_init (&popt);
      popt.method = ES_METHOD_PCA;
      popt.n_components = pca_dims;
      popt.normalize = options->metric == ES_METRIC_COSINE;
      projection = es_projection_compute (set, &popt, cancellable, NULL, NULL, error);
      if (projection == NULL)
        return FALSE;
    }

  if (!points_prepare (set, options->metric,
                       projection != NULL ? es_projection_get_coords (projection) : NULL,
                       pca_dims, &P, zero_rows, error))
    goto out;
  g_clear_pointer (&projection, es_projection_unref);

  kp = (guint) MIN ((gsize) k, P.n > 0 ? P.n - 1 : 0);
  pt_id = es_memory_try_alloc ((guint64) MAX (P.n, 1) * MAX (kp, 1), sizeof (gint32),
                               "the kNN graph", error);
  pt_key = pt_id != NULL ? es_memory_try_alloc ((guint64) MAX (P.n, 1) * MAX (kp, 1),
                                                sizeof (float), "the kNN graph", error) : NULL;
  if (pt_key == NULL)
    goto out;

  /* NN-descent needs a few times k points to mean anything. */
  if (!exact && P.n <= 4 * ((gsize) kp + 1))
    exact = TRUE;

  if (kp > 0)
    {
      if (exact)
        ok = knn_exact (&P, kp, n_threads, pt_id, pt_key, cancellable, progress, progress_data, error);
      else
        ok = knn_approximate (&P, kp, options->seed, n_threads, pt_id, pt_key,
                              cancellable, progress, progress_data, error);
      if (!ok)
        goto out;
    }

  graph = g_new0 (EsKnnGraph, 1);
  g_atomic_ref_count_init (&graph->ref_count);
  graph->rows = rows;
  graph->k = k;
  graph->stride = k;
  graph->metric = options->metric;
  graph->exact = exact;
  graph->pca_dims = pca_dims;
  graph->indices = es_memory_try_alloc ((guint64) rows * k, sizeof (gint32), "the kNN graph", error);
  graph->distances = graph->indices != NULL
    ? es_memory_try_alloc ((guint64) rows * k, sizeof (float), "the kNN graph", error) : NULL;
  if (graph->distances == NULL)
    {
      es_knn_graph_unref (graph);
      ok = FALSE;
      goto out;
    }
  for (gsize i = 0; i < rows * k; i++)
    {
      graph->indices[i] = ES_KNN_NONE;
      graph->distances[i] = INFINITY;
    }

  merged = g_new (KeyId, (gsize) kp + MIN ((gsize) k, zero_rows->len) + 1);
  for (gsize p = 0; p < P.n; p++)
    {
      gsize r = P.row[p];
      guint m = 0, zi = 0, nz = MIN (k, zero_rows->len);

      for (guint j = 0; j < kp; j++)
        if (pt_id[p * kp + j] >= 0)
          merged[m++] = (KeyId) { final_distance (P.kind, pca_dims > 0 && options->metric == ES_METRIC_COSINE,
                                                pt_key[p * kp + j]),
                                P.row[pt_id[p * kp + j]] };
      /* Zero rows are at distance 1 from every row (cosine). */
      for (; zi < nz; zi++)
        merged[m++] = (KeyId) { 1.0f, g_array_index (zero_rows, gint32, zi) };
      sort_key_id (merged, m);
      for (guint j = 0; j < MIN (m, k); j++)
        {
          graph->indices[r * k + j] = merged[j].id;
          graph->distances[r * k + j] = merged[j].key;
        }
    }
  /* A zero row: every other valid row at distance 1, so by row number. */
  for (guint z = 0; z < zero_rows->len; z++)
    {
      gsize r = g_array_index (zero_rows, gint32, z);
      guint m = 0;

      for (gsize i = 0; i < rows && m < k; i++)
        if (i != r && es_embedding_set_is_row_valid (set, i))
          {
            graph->indices[r * k + m] = (gint32) i;
            graph->distances[r * k + m] = 1.0f;
            m++;
          }
    }

  if (progress != NULL)
    progress (1.0, progress_data);
  *out = graph;
  ok = TRUE;

out:
  points_clear (&P);
  return ok;
}

EsKnnGraph *
es_knn_graph_build (EsEmbeddingSet      *set,
                    const EsKnnOptions  *options,
                    GCancellable        *cancellable,
                    EsProgressFunc       progress,
                    gpointer             progress_data,
                    GError             **error)
{
  EsKnnOptions defaults;
  gsize n_valid, dims;
  guint pca_dims;
  gboolean exact;
  g_autofree char *key = NULL;
  g_autoptr(EsKnnGraph) cached = NULL;
  EsKnnGraph *graph = NULL;

  g_return_val_if_fail (set != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (options == NULL)
    {
      es_knn_options_init (&defaults);
      options = &defaults;
    }

  n_valid = es_embedding_set_get_n_valid (set);
  dims = es_embedding_set_get_dims (set);

  if (options->k == 0)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "a kNN graph needs k ≥ 1 neighbours per row");
      return NULL;
    }
  if (options->k > G_MAXINT32 / 2 || es_embedding_set_get_rows (set) > G_MAXINT32)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                   "a kNN graph of %" G_GSIZE_FORMAT " rows with k = %u is too large",
                   es_embedding_set_get_rows (set), options->k);
      return NULL;
    }
  if (options->metric != ES_METRIC_COSINE && options->metric != ES_METRIC_EUCLIDEAN)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "the kNN graph supports the cosine and euclidean metrics, not %s",
                   es_metric_to_string (options->metric));
      return NULL;
    }

  /* PCA needs 2 valid rows and fewer components than dimensions to mean
   * anything; otherwise the original space is used, and the graph says so.
   */
  pca_dims = options->pca_dims;
  if (pca_dims >= dims || n_valid < 2)
    pca_dims = 0;

  switch (options->method)
    {
    case ES_KNN_EXACT:
      exact = TRUE;
      break;
    case ES_KNN_APPROXIMATE:
      /* NN-descent needs a few times k points to mean anything. */
      exact = n_valid <= 4 * ((gsize) options->k + 1) || n_valid <= 256;
      break;
    case ES_KNN_AUTO:
    default:
      exact = n_valid <= es_knn_exact_max_rows ();
      break;
    }

  if (exact)
    key = g_strdup_printf ("es-knn-graph/%s/exact/%u", es_metric_to_string (options->metric), pca_dims);
  else
    key = g_strdup_printf ("es-knn-graph/%s/approximate/%u/%" G_GUINT64_FORMAT,
                           es_metric_to_string (options->metric), pca_dims, options->seed);

  cached = _es_embedding_set_dup_attached (set, key, graph_ref_cb);
  if (cached != NULL && cached->k >= options->k)
    {
      if (progress != NULL)
        progress (1.0, progress_data);
      if (cached->k == options->k)
        return g_steal_pointer (&cached);
      return graph_new_prefix (cached, options->k);
    }

  if (!knn_build (set, options, exact, pca_dims, cancellable, progress, progress_data, &graph, error))
    return NULL;

  /* Keep the largest: another thread may have stored a larger one meanwhile. */
  g_clear_pointer (&cached, es_knn_graph_unref);
  cached = _es_embedding_set_dup_attached (set, key, graph_ref_cb);
  if (cached == NULL || cached->k < graph->k)
    _es_embedding_set_set_attached (set, key, es_knn_graph_ref (graph),
                                    (GDestroyNotify) es_knn_graph_unref);

  return graph;
}
