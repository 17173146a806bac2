/* es-knn-rptree.c: random-projection trees, the kNN graph's first candidates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Dasgupta & Freund 2008: split every node at the median of the projections
 * on a random Gaussian direction, down to leaves of about k points; every
 * pair inside a leaf is a candidate.  Each tree's directions come from a
 * hash of (seed, tree), so a forest does not depend on the thread count.
 */

#define G_LOG_DOMAIN "es-knn-graph"

#include "config.h"

#include "es-knn-graph-private.h"

#include "es-worker.h"

#include <math.h>

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
  const EsKnnPoints *P;
  guint              first_tree, n_trees_total, step;
  guint              leaf_size;
  guint64            seed;
  gint32           **perms;      /* per tree: n point ids */
  GArray           **leaves;     /* per tree: EsKnnLeaf */
  GCancellable      *cancellable;
} TreePart;

static void
build_tree (const EsKnnPoints *P,
            guint64            seed,
            guint              leaf_size,
            gint32            *perm,
            GArray            *leaves,
            ProjId            *scratch,
            float             *dir)
{
  gsize n = P->n, d = P->d;
  guint64 state = seed;
  GArray *stack = g_array_new (FALSE, FALSE, sizeof (EsKnnLeaf));
  EsKnnLeaf root = { 0, (guint32) n };

  for (gsize i = 0; i < n; i++)
    perm[i] = (gint32) i;
  g_array_append_val (stack, root);

  while (stack->len > 0)
    {
      EsKnnLeaf node = g_array_index (stack, EsKnnLeaf, stack->len - 1);
      gsize m = node.hi - node.lo, half;
      EsKnnLeaf left, right;

      g_array_set_size (stack, stack->len - 1);
      if (m <= leaf_size)
        {
          g_array_append_val (leaves, node);
          continue;
        }

      /* A random Gaussian direction (Box–Muller). */
      for (gsize j = 0; j < d; j += 2)
        {
          double u1 = ((_es_knn_splitmix64 (&state) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
          double u2 = (_es_knn_splitmix64 (&state) >> 11) * (1.0 / 9007199254740992.0);
          double r = sqrt (-2.0 * log (u1));

          dir[j] = (float) (r * cos (2.0 * G_PI * u2));
          if (j + 1 < d)
            dir[j + 1] = (float) (r * sin (2.0 * G_PI * u2));
        }

      for (gsize i = 0; i < m; i++)
        {
          gint32 p = perm[node.lo + i];
          const float *x = _es_knn_point (P, p);
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
      build_tree (part->P, _es_knn_hash4 (part->seed, 0x7265, t, 0), part->leaf_size,
                  part->perms[t], part->leaves[t], scratch, dir);
    }

  return NULL;
}

gboolean
_es_knn_rp_forest (const EsKnnPoints *P,
                   guint              n_trees,
                   guint              leaf_size,
                   guint64            seed,
                   guint              n_threads,
                   gint32           **perms,
                   GArray           **leaves,
                   GCancellable      *cancellable)
{
  TreePart parts[ES_KNN_MAX_THREADS];

  for (guint t = 0; t < n_threads; t++)
    parts[t] = (TreePart) { P, t, n_trees, n_threads, leaf_size, seed, perms, leaves, cancellable };
  _es_knn_run_parts (tree_part_run, parts, sizeof parts[0], n_threads);

  return !g_cancellable_is_cancelled (cancellable);
}
