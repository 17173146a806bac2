/* es-kmeans-private.h: the state k-means' seeding and Lloyd rounds share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-kmeans.h"

G_BEGIN_DECLS

#define ES_KM_BLOCK_ROWS 4096   /* rows per block of partial sums */
#define ES_KM_MAX_THREADS 8

typedef struct
{
  EsEmbeddingSet *set;
  const float *x;        /* the matrix */
  gsize rows, dims;
  guint k;
  gboolean cosine;
  double *inv_norm;      /* rows: 1/|x| (cosine; 0 for zero rows) */
  double *norm2;         /* rows: |x|² (euclidean) */
  float *cent;           /* k × dims */
  double *cent_d;        /* k × dims, the same in double */
  float *cent_norm2;     /* euclidean: ||c||² */
  double max_cent_norm2; /* euclidean: the largest ||c||² */
  /* Hamerly's bounds (metric distances: |x − c| euclidean, |x/|x| − c|
   * cosine).  half_sep[c]: half the distance from c to its nearest other
   * centroid; lower[r]: at most the distance from row r to every centroid
   * but its own; move1/move2: the two largest centroid moves of the last
   * update (move_arg: whose is the largest).
   */
  double *half_sep;      /* k */
  double *lower;         /* rows */
  double move1, move2;
  guint move_arg;
  double *moves;         /* k */
  gint32 *assign;
  double *cost;          /* rows */
  gsize n_blocks;
  double *block_sum;     /* n_blocks × k × dims */
  gsize *block_count;    /* n_blocks × k */
  double *block_obj;     /* n_blocks */
  gsize *block_changes;  /* n_blocks */
  gsize *block_full;     /* n_blocks: rows scored against every centroid */
  GCancellable *cancellable;
} EsKm;

/* Cost of row @r in cluster @c, in double (cosine: 1 − cos; euclidean:
 * the squared distance).  Four partial sums: the compiler may keep them in
 * registers, and the order is fixed, so the value is too.
 */
static inline double
es_km_row_cost (const EsKm *km,
                gsize       r,
                guint       c)
{
  const float *x = km->x + r * km->dims;
  const double *cd = km->cent_d + (gsize) c * km->dims;
  gsize d = km->dims, j = 0;
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;

  if (km->cosine)
    {
      for (; j + 4 <= d; j += 4)
        {
          s0 += x[j] * cd[j];
          s1 += x[j + 1] * cd[j + 1];
          s2 += x[j + 2] * cd[j + 2];
          s3 += x[j + 3] * cd[j + 3];
        }
      for (; j < d; j++)
        s0 += x[j] * cd[j];
      return 1.0 - ((s0 + s1) + (s2 + s3)) * km->inv_norm[r];
    }
  for (; j + 4 <= d; j += 4)
    {
      double t0 = x[j] - cd[j], t1 = x[j + 1] - cd[j + 1];
      double t2 = x[j + 2] - cd[j + 2], t3 = x[j + 3] - cd[j + 3];

      s0 += t0 * t0;
      s1 += t1 * t1;
      s2 += t2 * t2;
      s3 += t3 * t3;
    }
  for (; j < d; j++)
    {
      double t = x[j] - cd[j];
      s0 += t * t;
    }
  return (s0 + s1) + (s2 + s3);
}

/* One thread's share of an assignment round: blocks [b_lo, b_hi). */
typedef struct
{
  EsKm *km;
  gsize b_lo, b_hi;
  float *scores;   /* ES_KM_BLOCK_ROWS × k */
  float *gather;   /* ES_KM_BLOCK_ROWS × dims: the rows whose bounds failed */
  gsize *full;     /* ES_KM_BLOCK_ROWS: their row numbers */
  gint32 *prev;    /* ES_KM_BLOCK_ROWS: their clusters before */
} EsKmPart;

/* es-kmeans-assign.c */
void     es_km_run_assign   (EsKm          *km,
                             EsKmPart      *parts,
                             guint          n_threads);
void     es_km_update_bounds (EsKm         *km);
void     es_km_set_centroid (EsKm          *km,
                             guint          c,
                             const double  *v);
gboolean es_km_seed         (EsKm          *km,
                             guint64        seed,
                             guint          trials,
                             GError       **error);
void     es_km_block_move   (EsKm          *km,
                             gsize          b,
                             gsize          r,
                             guint          c,
                             double         sign);
gsize    es_km_hartigan     (EsKm          *km,
                             const gint32  *rows,
                             gsize          n_rows,
                             gint32        *cand,
                             gsize         *n_cand,
                             float         *gather);

G_END_DECLS
