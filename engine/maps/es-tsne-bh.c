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
 *
 * The traversal reads a compact copy of the tree (32-byte nodes: centre of
 * mass, the squared width over θ², count, children, leaf point), walks it
 * with an explicit stack and never descends into an empty child.  A leaf
 * of one point has that point as its centre of mass, so leaves cost no
 * lookup of y.  Points are visited in the tree's depth-first order
 * (neighbours one after another, so the nodes they open stay in cache);
 * each point's sums depend on the tree alone, so any order and any split
 * over the threads give the same bits.
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

/* The traversal's node. */
typedef struct
{
  float   com[3];
  float   open2;      /* (2 half)² / θ²: summarised when r² > open2 */
  guint32 count;
  gint32  child;      /* first of 2^d children, or −1 for a leaf */
  gint32  point;      /* a leaf's first point (then next[]) */
  gint32  pad;
} TNode;

#define STACK_SIZE (8 * (MAX_DEPTH + 2))

typedef struct
{
  const float *y;
  TNode       *tnodes;
  gint32      *order;   /* points in depth-first leaf order */
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

/* The repulsion on point @i: Σ w² (y_i − y_j) and Σ w over j ≠ i. */
static void
visit (const Tree *tree,
       gsize       i,
       double     *rep,
       double     *sum_w)
{
  const TNode *nodes = tree->tnodes;
  const float *yi = tree->y + i * tree->dims;
  gboolean three = tree->dims == 3;
  guint n_children = 1u << tree->dims;
  double y0 = yi[0], y1 = yi[1], y2 = three ? yi[2] : 0.0;
  double r0 = 0, r1 = 0, r2s = 0, sw = 0;
  gint32 stack[STACK_SIZE];
  guint top = 0;

  stack[top++] = 0;
  while (top > 0)
    {
      const TNode *node = &nodes[stack[--top]];
      double d0 = y0 - node->com[0], d1 = y1 - node->com[1];
      double d2 = three ? y2 - node->com[2] : 0.0;
      double r2 = d0 * d0 + d1 * d1 + d2 * d2, w, q;

      if (node->child < 0 && node->count > 1)
        {
          /* Points piled up at MAX_DEPTH: each on its own. */
          for (gint32 p = node->point; p >= 0; p = tree->next[p])
            {
              const float *yp = tree->y + (gsize) p * tree->dims;
              double e0, e1, e2;

              if ((gsize) p == i)
                continue;
              e0 = y0 - yp[0];
              e1 = y1 - yp[1];
              e2 = three ? y2 - yp[2] : 0.0;
              w = 1 / (1 + e0 * e0 + e1 * e1 + e2 * e2);
              sw += w;
              r0 += w * w * e0;
              r1 += w * w * e1;
              r2s += w * w * e2;
            }
          continue;
        }
      if (node->child < 0 || node->open2 < r2)
        {
          /* A one-point leaf (its centre of mass is the point) or a cell
           * far enough to stand for its points.
           */
          if (node->child < 0 && (gsize) node->point == i)
            continue;
          w = 1 / (1 + r2);
          q = node->count * w;
          sw += q;
          q *= w;
          r0 += q * d0;
          r1 += q * d1;
          r2s += q * d2;
          continue;
        }
      for (guint c = n_children; c-- > 0;)
        {
          gint32 ch = node->child + (gint32) c;

          if (nodes[ch].count > 0)
            stack[top++] = ch;
        }
    }
  rep[0] = r0;
  rep[1] = r1;
  rep[2] = r2s;
  *sum_w = sw;
}

static void
traverse_part (guint    part,
               gpointer data)
{
  Tree *tree = data;
  gsize begin, end;

  _es_tsne_part_range (tree->n, part, &begin, &end);
  for (gsize k = begin; k < end; k++)
    {
      gsize i = (gsize) tree->order[k];
      double rep[3], sum_w;

      visit (tree, i, rep, &sum_w);
      for (guint d = 0; d < tree->dims; d++)
        tree->rep[i * tree->dims + d] = (float) rep[d];
      tree->sum_w[i] = sum_w;
    }
}

/* The compact copy for the traversal, and the points in depth-first leaf
 * order.
 */
static void
compact (Tree *tree)
{
  guint n_children = 1u << tree->dims;
  gsize n_order = 0;
  gint32 stack[STACK_SIZE];
  guint top = 0;

  for (gsize a = 0; a < tree->n_nodes; a++)
    {
      const Node *node = &tree->nodes[a];
      TNode *t = &tree->tnodes[a];
      double open = 2.0 * node->half;

      for (guint d = 0; d < 3; d++)
        t->com[d] = d < tree->dims ? (float) node->com[d] : 0.0f;
      t->open2 = (float) (open * open / tree->theta2);
      t->count = node->count;
      t->child = node->child;
      t->point = node->point;
      t->pad = 0;
    }

  stack[top++] = 0;
  while (top > 0)
    {
      const Node *node = &tree->nodes[stack[--top]];

      if (node->child < 0)
        {
          for (gint32 p = node->point; p >= 0; p = tree->next[p])
            tree->order[n_order++] = p;
          continue;
        }
      for (guint c = n_children; c-- > 0;)
        if (tree->nodes[node->child + c].count > 0)
          stack[top++] = node->child + (gint32) c;
    }
  g_assert (n_order == tree->n);
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
  Tree tree = { y, NULL, NULL, n, dims, theta * theta, NULL, 1, 0, NULL, rep, NULL };
  float lo[3], hi[3], half = 0;
  gboolean ok = FALSE;
  double sum = 0;

  g_return_val_if_fail (dims == 2 || dims == 3, FALSE);
  g_return_val_if_fail (n > 0, FALSE);

  tree.cap = MAX (16, 2 * n);
  if (!(tree.nodes = es_memory_try_alloc (tree.cap, sizeof (Node), "t-SNE Barnes-Hut tree", error)) ||
      !(tree.next = es_memory_try_alloc (n, sizeof (gint32), "t-SNE Barnes-Hut tree", error)) ||
      !(tree.sum_w = es_memory_try_alloc (n, sizeof (double), "t-SNE Barnes-Hut tree", error)) ||
      !(tree.order = es_memory_try_alloc (n, sizeof (gint32), "t-SNE Barnes-Hut tree", error)))
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
  if (!(tree.tnodes = es_memory_try_alloc (tree.n_nodes, sizeof (TNode), "t-SNE Barnes-Hut tree", error)))
    goto out;
  compact (&tree);

  _es_tsne_parallel (pool, traverse_part, &tree);
  for (gsize i = 0; i < n; i++)
    sum += tree.sum_w[i];
  *z = MAX (sum, 1e-300);
  ok = TRUE;

out:
  g_free (tree.nodes);
  g_free (tree.next);
  g_free (tree.sum_w);
  g_free (tree.tnodes);
  g_free (tree.order);
  return ok;
}
