/* es-knn-graph-private.h: what the kNN graph's exact path, random-projection
 * trees and NN-descent share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-knn-graph.h"

#include <math.h>
#include <string.h>

G_BEGIN_DECLS

typedef float EsKnnV4 __attribute__ ((vector_size (16)));
typedef gint32 EsKnnV4i __attribute__ ((vector_size (16)));

/* The exact scans' eight-wide step: the keys of eight scores s (−s f for
 * dot products, f − 2 s for squared distances) into v, and a mask of the
 * lanes at most their root (bit l for lane l; 0 for none).  Most steps
 * fail that one compare and offer nothing, so v and the mask are written
 * only when one passes.
 */
static inline guint
_es_knn_keys8 (gboolean     dot,
               const float *s,
               EsKnnV4      f0,
               EsKnnV4      f1,
               EsKnnV4      r0,
               EsKnnV4      r1,
               float       *v)
{
  EsKnnV4 s0, s1, v0, v1;
  EsKnnV4i b0, b1, below;
  guint64 lanes[2];
  guint mask = 0;

  memcpy (&s0, s, sizeof s0);
  memcpy (&s1, s + 4, sizeof s1);
  if (dot)
    {
      v0 = -s0 * f0;
      v1 = -s1 * f1;
    }
  else
    {
      v0 = f0 - 2.0f * s0;
      v1 = f1 - 2.0f * s1;
    }
  b0 = v0 <= r0;
  b1 = v1 <= r1;
  below = b0 | b1;
  memcpy (lanes, &below, sizeof lanes);
  if ((lanes[0] | lanes[1]) == 0)
    return 0;
  memcpy (v, &v0, sizeof v0);
  memcpy (v + 4, &v1, sizeof v1);
  for (guint l = 0; l < 4; l++)
    mask |= ((guint) b0[l] & 1) << l | ((guint) b1[l] & 1) << (l + 4);
  return mask;
}

#define ES_KNN_MAX_THREADS 8

typedef enum
{
  ES_KNN_DIST_DOT,       /* 1 − x·y / (|x| |y|) */
  ES_KNN_DIST_SQUARED,   /* ||x − y||² */
} EsKnnDist;

/* The points: the set's valid rows (cosine: of non-zero norm), read in
 * place from the set's matrix (or the PCA coordinates), never copied.
 */
typedef struct
{
  gsize n;            /* points */
  gsize d;
  const float *x;     /* the matrix: rows × ld floats, row r at x + r × ld */
  gsize rows;
  gsize ld;
  gint32 *row;        /* point → row of x */
  gint32 *point;      /* row of x → point, or -1 (invalid or zero rows) */
  float *scale;       /* ES_KNN_DIST_DOT: 1/|x| per point */
  float *norm2;       /* ES_KNN_DIST_SQUARED: squared norms per point, for the sgemm score */
  EsKnnDist kind;
} EsKnnPoints;

static inline const float *
_es_knn_point (const EsKnnPoints *P,
               gsize              p)
{
  return P->x + (gsize) P->row[p] * P->ld;
}

typedef struct
{
  float  key;
  gint32 id;
} EsKnnKeyId;

/* Leaves of a random-projection tree: ranges of its permutation. */
typedef struct
{
  guint32 lo, hi;
} EsKnnLeaf;

static inline guint64
_es_knn_splitmix64 (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

static inline guint64
_es_knn_hash4 (guint64 a,
               guint64 b,
               guint64 c,
               guint64 d)
{
  guint64 s = a;

  s = _es_knn_splitmix64 (&s) ^ b;
  s = _es_knn_splitmix64 (&s) ^ c;
  s = _es_knn_splitmix64 (&s) ^ d;
  return _es_knn_splitmix64 (&s);
}

/* Same bits for (a, b) and (b, a): the products, differences and the
 * product of the two scales commute, and the sum runs in one fixed order.
 */
static inline float
_es_knn_pair_distance (const EsKnnPoints *P,
                       gsize              a,
                       gsize              b)
{
  const float *x = _es_knn_point (P, a);
  const float *y = _es_knn_point (P, b);
  gsize d = P->d, j = 0;
  float acc[8] = { 0 };
  float sum;

  if (P->kind == ES_KNN_DIST_DOT)
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
  if (P->kind == ES_KNN_DIST_DOT)
    return CLAMP (1.0f - sum * (P->scale[a] * P->scale[b]), 0.0f, 2.0f);
  return sum;
}

/* (key, id) total order. */
static inline gboolean
_es_knn_pair_less (float  ka,
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
_es_knn_heap_sift_down (float  *key,
                        gint32 *id,
                        guint8 *flag,
                        guint   n,
                        guint   i)
{
  for (;;)
    {
      guint l = 2 * i + 1, r = l + 1, m = i;

      if (l < n && _es_knn_pair_less (key[m], id[m], key[l], id[l]))
        m = l;
      if (r < n && _es_knn_pair_less (key[m], id[m], key[r], id[r]))
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
_es_knn_heap_offer (float  *key,
                    gint32 *id,
                    guint8 *flag,
                    guint   n,
                    float   k,
                    gint32  i,
                    guint8  f)
{
  if (!_es_knn_pair_less (k, i, key[0], id[0]))
    return FALSE;
  for (guint j = 0; j < n; j++)
    if (id[j] == i)
      return FALSE;

  key[0] = k;
  id[0] = i;
  if (flag != NULL)
    flag[0] = f;
  _es_knn_heap_sift_down (key, id, flag, n, 0);

  return TRUE;
}

/* Sorts by (key, id). */
void     _es_knn_sort_key_id (EsKnnKeyId     *items,
                              guint           n);

/* Runs func (parts + t * part_size) for t in [0, n_threads), t = 0 on this thread. */
typedef gpointer (*EsKnnPartFunc) (gpointer data);
void     _es_knn_run_parts   (EsKnnPartFunc   func,
                              gpointer        parts,
                              gsize           part_size,
                              guint           n_threads);

/* Exact from half the score matrix (es-knn-exact-sym.c), when every row
 * is a point, in order; _es_knn_exact() takes it then.
 */
gboolean _es_knn_exact_symmetric_applies (const EsKnnPoints *P);
gboolean _es_knn_exact_symmetric (const EsKnnPoints *P,
                                  guint           k,
                                  guint           n_threads,
                                  gint32         *out_id,
                                  float          *out_key,
                                  GCancellable   *cancellable,
                                  EsProgressFunc  progress,
                                  gpointer        progress_data,
                                  GError        **error);

/* Exact: blocked brute force (es-knn-exact.c). */
gboolean _es_knn_exact       (const EsKnnPoints *P,
                              guint           k,
                              guint           n_threads,
                              gint32         *out_id,
                              float          *out_key,
                              GCancellable   *cancellable,
                              EsProgressFunc  progress,
                              gpointer        progress_data,
                              GError        **error);

/* @n_trees random-projection trees (es-knn-rptree.c): perms[t] gets a
 * permutation of the points, leaves[t] its leaves (EsKnnLeaf).  FALSE if
 * cancelled.
 */
gboolean _es_knn_rp_forest   (const EsKnnPoints *P,
                              guint           n_trees,
                              guint           leaf_size,
                              guint64         seed,
                              guint           n_threads,
                              gint32        **perms,
                              GArray        **leaves,
                              GCancellable   *cancellable);

/* Approximate: trees, then NN-descent (es-knn-descent.c). */
gboolean _es_knn_approximate (const EsKnnPoints *P,
                              guint           k,
                              guint64         seed,
                              guint           n_threads,
                              gint32         *out_id,
                              float          *out_key,
                              GCancellable   *cancellable,
                              EsProgressFunc  progress,
                              gpointer        progress_data,
                              GError        **error);

/* ES_KNN_AUTO's choice: exact up to es_knn_exact_max_rows (); from k = 50
 * with every row valid, as long as N² d stays below the point where the
 * exact search from half the score matrix stops being the quicker one.
 */
gboolean _es_knn_auto_is_exact (gsize n_valid,
                                gsize rows,
                                gsize search_dims,
                                guint k);

G_END_DECLS
