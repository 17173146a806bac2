/* es-tsne-bh.c: t-SNE repulsion by Barnes-Hut (3D maps)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * van der Maaten (2014), "Accelerating t-SNE using tree-based algorithms":
 * a 2^d-tree over the points; a cell of width w whose centre of mass lies
 * at distance r from y_i stands for all its points when w / r < θ.  The
 * tree is built serially in point order (so it is the same for every
 * thread count) and then only read, one fixed part of the points per
 * thread; the per-point sums of Z are added in point order.
 */

#define G_LOG_DOMAIN "es-tsne"

#include "config.h"

#include "es-tsne-private.h"

#include "es-engine-error.h"
#include "es-memory.h"

#include <math.h>

#define MAX_DEPTH 40

typedef struct
{
  double  com[3];     /* sum of positions, then their mean */
  float   center[3];
  float   half;
  guint32 count;
  gint32  child;      /* first of 2^d children, or −1 for a leaf */
  gint32  point;      /* a leaf's first point (then next[]), or −1 */
} Node;

typedef struct
{
  const float *y;
  gsize        n;
  guint        dims;
  double       theta2;
  Node        *nodes;
  gsize        n_nodes;
  gsize        cap;
  gint32      *next;
  float       *rep;
  double      *sum_w;
} Tree;

static gboolean
grow (Tree    *tree,
      GError **error)
{
  gsize cap = tree->cap * 2;
  guint64 bytes;
  Node *nodes;

  if (!es_memory_check (cap, sizeof (Node), "t-SNE Barnes-Hut tree", &bytes, error))
    return FALSE;
  if (!(nodes = g_try_realloc (tree->nodes, bytes)))
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                   "t-SNE Barnes-Hut tree: out of memory");
      return FALSE;
    }
  tree->nodes = nodes;
  tree->cap = cap;
  return TRUE;
}

static guint
orthant (const Tree  *tree,
         const Node  *node,
         const float *p)
{
  guint c = 0;

  for (guint d = 0; d < tree->dims; d++)
    if (p[d] >= node->center[d])
      c |= 1u << d;
  return c;
}

static gboolean
split (Tree    *tree,
       gsize    at,
       GError **error)
{
  guint n_children = 1u << tree->dims;
  gsize first = tree->n_nodes;
  Node *node;
  gint32 p;

  while (tree->n_nodes + n_children > tree->cap)
    if (!grow (tree, error))
      return FALSE;
  node = &tree->nodes[at];
  for (guint c = 0; c < n_children; c++)
    {
      Node *child = &tree->nodes[first + c];

      *child = (Node) { { 0, 0, 0 }, { 0, 0, 0 }, node->half / 2, 0, -1, -1 };
      for (guint d = 0; d < tree->dims; d++)
        child->center[d] = node->center[d] + ((c >> d) & 1 ? 1 : -1) * node->half / 2;
    }
  tree->n_nodes += n_children;

  /* Below MAX_DEPTH a leaf holds one point: move it down. */
  p = node->point;
  node->point = -1;
  node->child = (gint32) first;
  if (p >= 0)
    {
      const float *yp = tree->y + (gsize) p * tree->dims;
      Node *child = &tree->nodes[first + orthant (tree, node, yp)];

      child->point = p;
      tree->next[p] = -1;
      child->count = 1;
      for (guint d = 0; d < tree->dims; d++)
        child->com[d] = yp[d];
    }
  return TRUE;
}

static gboolean
insert (Tree    *tree,
        gint32   i,
        GError **error)
{
  const float *yi = tree->y + (gsize) i * tree->dims;
  gsize at = 0;

  for (guint depth = 0;; depth++)
    {
      Node *node = &tree->nodes[at];

      node->count++;
      for (guint d = 0; d < tree->dims; d++)
        node->com[d] += yi[d];
      if (node->child >= 0)
        {
          at = node->child + orthant (tree, node, yi);
          continue;
        }
      if (node->point < 0 || depth >= MAX_DEPTH)
        {
          tree->next[i] = node->point;
          node->point = i;
          return TRUE;
        }
      if (!split (tree, at, error))
        return FALSE;
      node = &tree->nodes[at];
      at = node->child + orthant (tree, node, yi);
    }
}

static void
visit (const Tree *tree,
       gsize       at,
       gsize       i,
       double     *rep,
       double     *sum_w)
{
  const Node *node = &tree->nodes[at];
  const float *yi = tree->y + i * tree->dims;
  double diff[3], r2 = 0;

  if (node->count == 0)
    return;
  if (node->child < 0)
    {
      for (gint32 p = node->point; p >= 0; p = tree->next[p])
        {
          double w = 1;

          if ((gsize) p == i)
            continue;
          for (guint d = 0; d < tree->dims; d++)
            {
              diff[d] = (double) yi[d] - tree->y[(gsize) p * tree->dims + d];
              w += diff[d] * diff[d];
            }
          w = 1 / w;
          *sum_w += w;
          for (guint d = 0; d < tree->dims; d++)
            rep[d] += w * w * diff[d];
        }
      return;
    }
  for (guint d = 0; d < tree->dims; d++)
    {
      diff[d] = yi[d] - node->com[d];
      r2 += diff[d] * diff[d];
    }
  if (4.0 * node->half * node->half < tree->theta2 * r2)
    {
      double w = 1 / (1 + r2);

      *sum_w += node->count * w;
      for (guint d = 0; d < tree->dims; d++)
        rep[d] += node->count * w * w * diff[d];
      return;
    }
  for (guint c = 0; c < (1u << tree->dims); c++)
    visit (tree, node->child + c, i, rep, sum_w);
}

static void
traverse_part (guint    part,
               gpointer data)
{
  Tree *tree = data;
  gsize begin, end;

  _es_tsne_part_range (tree->n, part, &begin, &end);
  for (gsize i = begin; i < end; i++)
    {
      double rep[3] = { 0, 0, 0 }, sum_w = 0;

      visit (tree, 0, i, rep, &sum_w);
      for (guint d = 0; d < tree->dims; d++)
        tree->rep[i * tree->dims + d] = (float) rep[d];
      tree->sum_w[i] = sum_w;
    }
}

gboolean
_es_tsne_bh_repulsion (const float *y,
                       gsize        n,
                       guint        dims,
                       double       theta,
                       EsTsnePool  *pool,
                       float       *rep,
                       double      *z,
                       GError     **error)
{
  Tree tree = { y, n, dims, theta * theta, NULL, 1, 0, NULL, rep, NULL };
  float lo[3], hi[3], half = 0;
  gboolean ok = FALSE;
  double sum = 0;

  g_return_val_if_fail (dims == 2 || dims == 3, FALSE);
  g_return_val_if_fail (n > 0, FALSE);

  tree.cap = MAX (16, 2 * n);
  if (!(tree.nodes = es_memory_try_alloc (tree.cap, sizeof (Node), "t-SNE Barnes-Hut tree", error)) ||
      !(tree.next = es_memory_try_alloc (n, sizeof (gint32), "t-SNE Barnes-Hut tree", error)) ||
      !(tree.sum_w = es_memory_try_alloc (n, sizeof (double), "t-SNE Barnes-Hut tree", error)))
    goto out;

  for (guint d = 0; d < dims; d++)
    {
      lo[d] = INFINITY;
      hi[d] = -INFINITY;
    }
  for (gsize i = 0; i < n; i++)
    for (guint d = 0; d < dims; d++)
      {
        lo[d] = MIN (lo[d], y[i * dims + d]);
        hi[d] = MAX (hi[d], y[i * dims + d]);
      }
  for (guint d = 0; d < dims; d++)
    half = MAX (half, (hi[d] - lo[d]) / 2);
  tree.nodes[0] = (Node) { { 0, 0, 0 }, { 0, 0, 0 }, half * 1.0001f + 1e-6f, 0, -1, -1 };
  for (guint d = 0; d < dims; d++)
    tree.nodes[0].center[d] = lo[d] + (hi[d] - lo[d]) / 2;

  for (gsize i = 0; i < n; i++)
    if (!insert (&tree, (gint32) i, error))
      goto out;
  for (gsize a = 0; a < tree.n_nodes; a++)
    for (guint d = 0; d < dims && tree.nodes[a].count > 0; d++)
      tree.nodes[a].com[d] /= tree.nodes[a].count;

  _es_tsne_parallel (pool, traverse_part, &tree);
  for (gsize i = 0; i < n; i++)
    sum += tree.sum_w[i];
  *z = MAX (sum, 1e-300);
  ok = TRUE;

out:
  g_free (tree.nodes);
  g_free (tree.next);
  g_free (tree.sum_w);
  return ok;
}
