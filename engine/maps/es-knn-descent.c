/* es-knn-descent.c: the approximate kNN graph, random-projection trees then
 * NN-descent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
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
 */

#define G_LOG_DOMAIN "es-knn-graph"

#include "config.h"

#include "es-knn-graph-private.h"

#include "es-memory.h"

#include <math.h>
#include <string.h>

/* Candidates sampled per point and round (ρK of Dong et al.).  A round's
 * join costs mc² distances per point.  Measured on en30k-100d (recall on 300
 * sampled rows against brute force): k = 15 with mc = 15 gave 0.959, 24
 * gave 0.974 (0.989 on 100k structured); k = 90 with mc = 60 gave 0.9996 in
 * twice the time of mc = 20, which gives 0.993 (long lists already hold most
 * of the answer, and reverse neighbours widen the sample).
 */
#define MAX_CANDIDATES  24
#define MAX_CANDIDATES_LARGE_K 20
/* Pairs scored per piece of a join, at most: each thread's buffers hold a
 * piece's updates (12 bytes each) for every owner.  Small sets get small
 * pieces (and buffers); the cut does not change the result, as a row's
 * list is a function of the set of candidates offered to it.
 */
#define PAIRS_PER_PIECE (1u << 18)
#define PAIRS_PER_POINT 64
#define PIECE_SLACK     (128 * 128)   /* one group over: a leaf of ≤ 128 points */
#define NND_DELTA       0.001

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
  Update   *buf[ES_KNN_MAX_THREADS];   /* per owner */
  gsize     n_buf[ES_KNN_MAX_THREADS];
  /* apply / sample phase */
  gsize     lo, hi;             /* owned points */
  guint     iteration;
  guint64   count;
} NndPart;

struct _Nnd
{
  const EsKnnPoints *P;
  guint         k;
  guint         mc;          /* max candidates */
  guint         n_threads;
  guint64       seed;
  guint64       piece_pairs;
  float        *hkey;        /* n × k max-heaps: the caller's output arrays */
  gint32       *hid;
  guint8       *hflag;       /* 0 old; 1 new; 2 new, inserted this round */
  float        *thresh;      /* heap tops, updated in apply phases only */
  /* n × mc: while sampling, heaps of ids (priorities recomputed from the
   * hash, not stored); then each row's sampled ids, compacted to the front.
   */
  gint32       *new_id;
  gint32       *old_id;
  guint64      *new_top;     /* n: the key at each heap's root */
  guint64      *old_top;
  guint        *n_new, *n_old;
  gsize         bounds[ES_KNN_MAX_THREADS + 1];
  NndPart       parts[ES_KNN_MAX_THREADS];
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
  const EsKnnPoints *P = part->nnd->P;

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
              dist = _es_knn_pair_distance (P, p, q);
              push_update (part, p, q, dist);
              push_update (part, q, p, dist);
            }
          for (guint j = 0; j < grp->nb; j++)
            {
              gint32 q = grp->b[j];
              float dist;

              if (p == q)
                continue;
              dist = _es_knn_pair_distance (P, p, q);
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

          if (_es_knn_heap_offer (nnd->hkey + p * k, nnd->hid + p * k, nnd->hflag + p * k, k,
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
          while (cursor < n_groups && (pairs == 0 || pairs + group_pairs (&groups[cursor]) <= nnd->piece_pairs))
            pairs += group_pairs (&groups[cursor++]);
          nnd->parts[t].g_hi = cursor;
          if (nnd->parts[t].g_hi > nnd->parts[t].g_lo)
            used = t + 1;
        }

      _es_knn_run_parts (join_compute_run, nnd->parts, sizeof nnd->parts[0], MAX (used, 1));
      for (guint t = used; t < nnd->n_threads; t++)
        for (guint o = 0; o < nnd->n_threads; o++)
          nnd->parts[t].n_buf[o] = 0;
      _es_knn_run_parts (join_apply_run, nnd->parts, sizeof nnd->parts[0], nnd->n_threads);
    }

  return TRUE;
}

/* A candidate's sampling key: (hash priority << 32 | id), so the order is
 * total; empty slots (-1) are the largest.
 */
static inline guint64
cand_key (const Nnd *nnd,
          guint      iteration,
          gint32     owner,
          gint32     cand)
{
  guint64 pri;

  if (cand < 0)
    return G_MAXUINT64;
  pri = _es_knn_hash4 (nnd->seed, iteration, (guint32) owner, (guint32) cand) >> 32;
  return (pri << 32) | (guint32) cand;
}

/* Offers @cand to @owner's bounded max-heap of @n ids (by cand_key): the
 * keys are recomputed instead of stored, which shrinks the sampling arrays
 * to a third (n × mc × 2 ids, where ids plus 64-bit keys took three times
 * that); only the root's key is kept (*top), so that a refused offer, the
 * common case, costs one hash as before.
 */
static inline void
cand_offer (const Nnd *nnd,
            guint      iteration,
            gint32     owner,
            gint32    *heap,
            guint64   *top,
            guint      n,
            gint32     cand)
{
  guint64 key = cand_key (nnd, iteration, owner, cand);

  if (key >= *top)
    return;
  for (guint j = 0; j < n; j++)
    if (heap[j] == cand)
      return;
  for (guint i = 0;;)
    {
      guint l = 2 * i + 1, r = l + 1, m = i;
      guint64 km = key, kl, kr;

      if (l < n && (kl = cand_key (nnd, iteration, owner, heap[l])) > km)
        {
          m = l;
          km = kl;
        }
      if (r < n && (kr = cand_key (nnd, iteration, owner, heap[r])) > km)
        {
          m = r;
          km = kr;
        }
      if (i == 0)
        *top = km;
      if (m == i)
        {
          heap[i] = cand;
          break;
        }
      heap[i] = heap[m];
      i = m;
    }
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
        nnd->new_id[v * mc + j] = -1;
        nnd->old_id[v * mc + j] = -1;
      }
  for (gsize v = lo; v < hi; v++)
    nnd->new_top[v] = nnd->old_top[v] = G_MAXUINT64;

  for (gsize v = 0; v < n; v++)
    for (guint j = 0; j < k; j++)
      {
        gint32 u = nnd->hid[v * k + j];
        gboolean is_new = nnd->hflag[v * k + j];
        gint32 *heap = is_new ? nnd->new_id : nnd->old_id;
        guint64 *top = is_new ? nnd->new_top : nnd->old_top;

        if (u < 0)
          continue;
        if (v >= lo && v < hi)
          cand_offer (nnd, part->iteration, (gint32) v, heap + v * mc, top + v, mc, u);
        if ((gsize) u >= lo && (gsize) u < hi)
          cand_offer (nnd, part->iteration, u, heap + (gsize) u * mc, top + u, mc, (gint32) v);
      }

  for (gsize v = lo; v < hi; v++)
    {
      guint nn = 0, no = 0;

      for (guint j = 0; j < mc; j++)
        {
          gint32 a = nnd->new_id[v * mc + j], b = nnd->old_id[v * mc + j];

          /* In place: nn, no ≤ j. */
          if (a >= 0)
            nnd->new_id[v * mc + nn++] = a;
          if (b >= 0)
            nnd->old_id[v * mc + no++] = b;
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
      guint64 state = _es_knn_hash4 (nnd->seed, 0x66696c6c, p, 0);

      for (guint attempt = 0; attempt < 8 * k && nnd->hid[p * k] < 0; attempt++)
        {
          gint32 q = (gint32) (_es_knn_splitmix64 (&state) % n);

          if ((gsize) q == p)
            continue;
          if (_es_knn_heap_offer (nnd->hkey + p * k, nnd->hid + p * k, nnd->hflag + p * k, k,
                                  _es_knn_pair_distance (nnd->P, p, q), q, 1))
            nnd->thresh[p] = nnd->hkey[p * k];
        }
    }

  return NULL;
}

gboolean
_es_knn_approximate (const EsKnnPoints *P,
                     guint              k,
                     guint64            seed,
                     guint              n_threads,
                     gint32            *out_id,
                     float             *out_key,
                     GCancellable      *cancellable,
                     EsProgressFunc     progress,
                     gpointer           progress_data,
                     GError           **error)
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

  n_trees = CLAMP (5 + (guint) round (pow ((double) n, 0.25)), 5, 12);
  leaf_size = CLAMP (k + 1, 24, 128);
  max_iter = MAX (5, (guint) round (log2 ((double) n)));

  nnd.P = P;
  nnd.k = k;
  nnd.mc = k <= 40 ? MAX_CANDIDATES : MAX_CANDIDATES_LARGE_K;
  nnd.n_threads = n_threads;
  nnd.seed = seed;
  nnd.piece_pairs = CLAMP ((guint64) n * PAIRS_PER_POINT, 1u << 14, PAIRS_PER_PIECE);
  for (guint t = 0; t <= n_threads; t++)
    nnd.bounds[t] = n * t / n_threads;

  /* The peak past the caller's output (n × k ids and distances, which
   * are the heaps here) and the points, asked for at once: the flags, per
   * point numbers, the join buffers, and the larger of the trees'
   * permutations (freed once their leaves are joined) and the sampled
   * candidates (allocated only then).
   */
  bytes = (guint64) n * k
        + (guint64) n * (sizeof (float) + 2 * sizeof (guint) + sizeof (Group))
        + (guint64) n_threads * n_threads * (nnd.piece_pairs + PIECE_SLACK) * sizeof (Update)
        + MAX ((guint64) n * n_trees * sizeof (gint32),
               (guint64) n * (nnd.mc * 2 * sizeof (gint32) + 2 * sizeof (guint64)));
  if (!es_memory_check (bytes, 1, "the approximate kNN graph", NULL, error))
    return FALSE;

  nnd.hkey = out_key;
  nnd.hid = out_id;
  nnd.hflag = g_new0 (guint8, n * k);
  nnd.thresh = g_new (float, n);
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
        part->buf[o] = g_new (Update, (gsize) nnd.piece_pairs + PIECE_SLACK);
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
      leaves[t] = g_array_new (FALSE, FALSE, sizeof (EsKnnLeaf));
    }
  if (!_es_knn_rp_forest (P, n_trees, leaf_size, seed, n_threads, perms, leaves, cancellable))
    goto out;

  g_debug ("trees built");
  for (guint t = 0; t < n_trees; t++)
    n_groups += leaves[t]->len;
  groups = g_new (Group, MAX (n_groups, n));
  n_groups = 0;
  for (guint t = 0; t < n_trees; t++)
    for (guint l = 0; l < leaves[t]->len; l++)
      {
        EsKnnLeaf *leaf = &g_array_index (leaves[t], EsKnnLeaf, l);

        groups[n_groups++] = (Group) { perms[t] + leaf->lo, leaf->hi - leaf->lo, NULL, 0 };
      }
  if (!run_joins (&nnd, groups, n_groups, cancellable))
    goto out;
  _es_knn_run_parts (fill_random_run, nnd.parts, sizeof nnd.parts[0], n_threads);
  _es_knn_run_parts (count_new_run, nnd.parts, sizeof nnd.parts[0], n_threads);
  g_debug ("leaves joined");
  for (guint t = 0; t < n_trees; t++)
    {
      g_clear_pointer (&perms[t], g_free);
      g_clear_pointer (&leaves[t], g_array_unref);
    }
  nnd.new_id = g_new (gint32, n * nnd.mc);
  nnd.old_id = g_new (gint32, n * nnd.mc);
  nnd.new_top = g_new (guint64, n);
  nnd.old_top = g_new (guint64, n);

  /* NN-descent rounds. */
  threshold = (guint64) (NND_DELTA * n * k);
  for (guint it = 0; it < max_iter; it++)
    {
      guint64 changed = 0;

      if (progress != NULL)
        progress (0.1 + 0.9 * it / max_iter, progress_data);
      for (guint t = 0; t < n_threads; t++)
        nnd.parts[t].iteration = it + 1;
      _es_knn_run_parts (sample_run, nnd.parts, sizeof nnd.parts[0], n_threads);
      _es_knn_run_parts (mark_old_run, nnd.parts, sizeof nnd.parts[0], n_threads);

      n_groups = 0;
      for (gsize v = 0; v < n; v++)
        if (nnd.n_new[v] > 0)
          groups[n_groups++] = (Group) { nnd.new_id + v * nnd.mc, nnd.n_new[v],
                                         nnd.old_id + v * nnd.mc, nnd.n_old[v] };
      if (n_groups == 0)
        break;
      if (!run_joins (&nnd, groups, n_groups, cancellable))
        goto out;

      _es_knn_run_parts (count_new_run, nnd.parts, sizeof nnd.parts[0], n_threads);
      for (guint t = 0; t < n_threads; t++)
        changed += nnd.parts[t].count;
      g_debug ("NN-descent round %u: %" G_GUINT64_FORMAT " new entries", it + 1, changed);
      if (changed <= threshold)
        break;
    }

  /* Sorted output, each heap in place. */
  {
    g_autofree EsKnnKeyId *items = g_new (EsKnnKeyId, k);

    for (gsize p = 0; p < n; p++)
      {
        for (guint j = 0; j < k; j++)
          items[j] = (EsKnnKeyId) { out_key[p * k + j], out_id[p * k + j] };
        _es_knn_sort_key_id (items, k);
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
      if (leaves[t] != NULL)
        g_array_unref (leaves[t]);
    }
  g_free (perms);
  g_free (leaves);
  g_free (groups);
  for (guint t = 0; t < n_threads; t++)
    for (guint o = 0; o < n_threads; o++)
      g_free (nnd.parts[t].buf[o]);
  g_free (nnd.hflag);
  g_free (nnd.thresh);
  g_free (nnd.new_id);
  g_free (nnd.old_id);
  g_free (nnd.new_top);
  g_free (nnd.old_top);
  g_free (nnd.n_new);
  g_free (nnd.n_old);

  return ok;
}
