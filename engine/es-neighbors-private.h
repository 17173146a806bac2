/* es-neighbors-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-neighbors.h"

G_BEGIN_DECLS

typedef struct
{
  float good;   /* larger is better, whatever the metric */
  gsize row;
} EsHeapItem;

typedef struct
{
  EsHeapItem *items;
  guint       len;
  guint       cap;
} EsHeap;

/* A bounded min-heap of candidates: the root is the worst one kept, and
 * between equal scores the lower row wins.
 */
static inline gboolean
_es_heap_item_worse (const EsHeapItem *a,
                     const EsHeapItem *b)
{
  return a->good < b->good || (a->good == b->good && a->row > b->row);
}

static inline void
_es_heap_push (EsHeap *heap,
               float   good,
               gsize   row)
{
  EsHeapItem item = { good, row };
  guint i;

  if (heap->len < heap->cap)
    {
      i = heap->len++;
      while (i > 0)
        {
          guint parent = (i - 1) / 2;

          if (!_es_heap_item_worse (&item, &heap->items[parent]))
            break;
          heap->items[i] = heap->items[parent];
          i = parent;
        }
      heap->items[i] = item;
      return;
    }

  if (heap->cap == 0 || !_es_heap_item_worse (&heap->items[0], &item))
    return;

  i = 0;
  for (;;)
    {
      guint child = 2 * i + 1;

      if (child >= heap->len)
        break;
      if (child + 1 < heap->len && _es_heap_item_worse (&heap->items[child + 1], &heap->items[child]))
        child++;
      if (!_es_heap_item_worse (&heap->items[child], &item))
        break;
      heap->items[i] = heap->items[child];
      i = child;
    }
  heap->items[i] = item;
}

/* Orders EsNeighbor best first for the metric in @user_data, ties by row. */
int      _es_neighbor_compare (gconstpointer a,
                               gconstpointer b,
                               gpointer      user_data);

typedef struct
{
  const double *vector;    /* dims doubles */
  const gsize  *exclude;
  gsize         n_exclude;
} EsNeighborQuery;

/* Many queries in one pass over the matrix (sgemm per row block; a single
 * query is split across threads instead); results[i] receives a new GArray
 * of EsNeighbor for queries[i].
 */
gboolean _es_neighbors_search_many (EsEmbeddingSet        *set,
                                    const EsNeighborQuery *queries,
                                    gsize                  n_queries,
                                    EsMetric               metric,
                                    guint                  k,
                                    gsize                  restrict_rows,
                                    GCancellable          *cancellable,
                                    GArray               **results,
                                    GError               **error);

/* One query is scanned by @threads threads (0: one per core on large
 * sets) claiming @chunk rows at a time (0: the default).  For tests, to
 * reach the threaded path on small sets; not thread-safe.
 */
void     _es_neighbors_set_threading (guint threads,
                                      gsize chunk);

/* Resolves a word exactly, then ignoring case; fails for unknown words and
 * for rows holding NaN or Inf.
 */
gboolean _es_neighbors_resolve_word (EsEmbeddingSet  *set,
                                     const char      *word,
                                     gsize           *row,
                                     GError         **error);

G_END_DECLS
