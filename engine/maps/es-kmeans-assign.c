/* es-kmeans-assign.c: one Lloyd assignment round with Hamerly's bounds,
 * and the centroid updates the bounds follow
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The method is described at the top of es-kmeans.c.  Rows are split
 * into fixed blocks (ES_KM_BLOCK_ROWS), each with its own partial sums;
 * threads take contiguous ranges of blocks, so the sums and the result do
 * not depend on the thread count.
 */

#define G_LOG_DOMAIN "es-kmeans"

#include "config.h"

#include "es-kmeans-private.h"

#include "es-worker.h"

#include <cblas.h>
#include <float.h>
#include <math.h>
#include <string.h>


/* Squared metric distance from the sgemm score of row @r against a
 * centroid (cosine: x·c; euclidean: |c|² − 2 x·c, already combined),
 * less the worst float error of that score, so a lower bound built from
 * it stays a lower bound.
 */
static inline double
bound_from_score (const EsKm *km,
                  gsize       r,
                  double      v)
{
  double d2, tol;

  if (km->cosine)
    {
      d2 = 2.0 - 2.0 * v * km->inv_norm[r];
      tol = 4.0 * km->dims * FLT_EPSILON;
    }
  else
    {
      d2 = km->norm2[r] + v;
      tol = 2.0 * km->dims * FLT_EPSILON * (km->norm2[r] + km->max_cent_norm2);
    }
  return sqrt (MAX (d2 - tol, 0.0));
}

/* Adds (@sign 1) or removes (−1) row @r to cluster @c's sums in block @b. */
void
es_km_block_move (EsKm    *km,
                  gsize    b,
                  gsize    r,
                  guint    c,
                  double   sign)
{
  gsize d = km->dims;
  const float *x = km->x + r * d;
  double w = sign * (km->cosine ? km->inv_norm[r] : 1.0);
  double *sc = km->block_sum + (b * km->k + c) * d;

  km->block_count[b * km->k + c] += sign > 0 ? 1 : -1;
  for (gsize j = 0; j < d; j++)
    sc[j] += x[j] * w;
}

/* Rows whose bounds failed: scored against every centroid by one sgemm
 * (in place when the whole block failed, as in the first round).  A row
 * only changes cluster when the new centroid is strictly closer in double.
 */
static gsize
assign_full (EsKmPart *part,
             gsize   r0,
             gsize   nr,
             gsize   nf)
{
  EsKm *km = part->km;
  gsize d = km->dims, changes = 0;
  guint k = km->k;
  const float *a;

  if (nf == 0)
    return 0;
  if (nf == nr)
    a = km->x + r0 * d;
  else
    {
      for (gsize g = 0; g < nf; g++)
        memcpy (part->gather + g * d, km->x + part->full[g] * d, d * sizeof (float));
      a = part->gather;
    }
  /* Straight out of sgemm: −x·c (cosine) or |c|² − 2 x·c (euclidean),
   * the smallest first.
   */
  if (!km->cosine)
    for (gsize g = 0; g < nf; g++)
      memcpy (part->scores + g * k, km->cent_norm2, k * sizeof (float));
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans,
               nf, k, d, km->cosine ? -1.0f : -2.0f, a, d, km->cent, d,
               km->cosine ? 0.0f : 1.0f, part->scores, k);

  for (gsize g = 0; g < nf; g++)
    {
      gsize r = part->full[g];
      const float *s = part->scores + g * k;
      guint best = 0;
      float vb = INFINITY, v2 = INFINITY;
      gint32 cur = km->assign[r];
      double cost;

      part->prev[g] = cur;
      for (guint c = 0; c < k; c++)
        if (s[c] < v2)
          {
            if (s[c] < vb)
              {
                v2 = vb;
                vb = s[c], best = c;
              }
            else
              v2 = s[c];
          }

      if (cur < 0)
        {
          cur = best;
          cost = es_km_row_cost (km, r, best);
          changes++;
        }
      else
        {
          cost = km->cost[r];
          if ((guint) cur != best)
            {
              double alt = es_km_row_cost (km, r, best);

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
      /* The nearest centroid other than the row's own. */
      {
        float other = (guint) cur == best ? v2 : vb;

        if (isinf (other))
          km->lower[r] = INFINITY;
        else
          km->lower[r] = bound_from_score (km, r, km->cosine ? -(double) other : (double) other);
      }
    }

  return changes;
}

static gpointer
assign_part_run (gpointer data)
{
  EsKmPart *part = data;
  EsKm *km = part->km;

  es_worker_enter ();

  for (gsize b = part->b_lo; b < part->b_hi; b++)
    {
      gsize r0 = b * ES_KM_BLOCK_ROWS, nr = MIN (ES_KM_BLOCK_ROWS, km->rows - r0), nf = 0;
      double obj = 0.0;

      if (g_cancellable_is_cancelled (km->cancellable))
        return NULL;

      /* Hamerly (2010): the exact cost to the own centroid is an upper
       * bound u; no other centroid can be nearer when u ≤ half the gap
       * to the nearest other centroid or u ≤ the row's lower bound.
       */
      for (gsize i = 0; i < nr; i++)
        {
          gsize r = r0 + i;
          gint32 cur = km->assign[r];
          double u;

          if (!es_embedding_set_is_row_valid (km->set, r))
            continue;
          if (cur < 0)
            {
              part->full[nf++] = r;
              continue;
            }
          km->cost[r] = es_km_row_cost (km, r, cur);
          if (km->cosine && km->inv_norm[r] == 0.0)
            continue;   /* a zero row costs 1 everywhere: it never moves */
          km->lower[r] -= (guint) cur == km->move_arg ? km->move2 : km->move1;
          u = sqrt (MAX (km->cost[r], 0.0) * (km->cosine ? 2.0 : 1.0));
          if (u > km->half_sep[cur] && u > km->lower[r])
            part->full[nf++] = r;
        }
      km->block_full[b] = nf;
      km->block_changes[b] = assign_full (part, r0, nr, nf);

      /* The block's sums follow the rows that moved, in row order. */
      for (gsize g = 0; g < nf; g++)
        {
          gsize r = part->full[g];
          gint32 from = part->prev[g], to = km->assign[r];

          if (from == to)
            continue;
          if (from >= 0)
            es_km_block_move (km, b, r, from, -1.0);
          es_km_block_move (km, b, r, to, 1.0);
        }
      for (gsize i = 0; i < nr; i++)
        if (km->assign[r0 + i] >= 0)
          obj += km->cost[r0 + i];
      km->block_obj[b] = obj;
    }

  return NULL;
}

void
es_km_run_assign (EsKm     *km,
                  EsKmPart *parts,
                  guint     n_threads)
{
  GThread *threads[ES_KM_MAX_THREADS] = { NULL };

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

void
es_km_set_centroid (EsKm         *km,
                    guint         c,
                    const double *v)
{
  gsize d = km->dims;
  double scale = 1.0, n2 = 0.0, move = 0.0;

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
      double t = v[j] * scale - km->cent_d[c * d + j];

      move += t * t;
      km->cent_d[c * d + j] = v[j] * scale;
      km->cent[c * d + j] = (float) km->cent_d[c * d + j];
      n2 += (double) km->cent[c * d + j] * km->cent[c * d + j];
    }
  km->moves[c] += sqrt (move);
  if (km->cent_norm2 != NULL)
    km->cent_norm2[c] = (float) n2;
}

/* After the centroids moved: the bounds' inputs for the next round. */
void
es_km_update_bounds (EsKm *km)
{
  gsize d = km->dims;
  guint k = km->k;

  km->move1 = km->move2 = 0.0;
  km->move_arg = 0;
  for (guint c = 0; c < k; c++)
    {
      /* Grown a little: the float centroids the sgemm sees are within
       * rounding of the double ones the bounds are about.
       */
      double m = km->moves[c] * (1.0 + 1e-6) + 1e-7;

      if (m > km->move1)
        {
          km->move2 = km->move1;
          km->move1 = m;
          km->move_arg = c;
        }
      else if (m > km->move2)
        km->move2 = m;
      km->moves[c] = 0.0;
      km->half_sep[c] = INFINITY;
    }
  km->max_cent_norm2 = 0.0;
  for (guint c = 0; c < k; c++)
    {
      const double *a = km->cent_d + (gsize) c * d;

      if (km->cent_norm2 != NULL)
        km->max_cent_norm2 = MAX (km->max_cent_norm2, km->cent_norm2[c]);
      for (guint e = c + 1; e < k; e++)
        {
          const double *b = km->cent_d + (gsize) e * d;
          double s = 0.0, h;

          for (gsize j = 0; j < d; j++)
            s += (a[j] - b[j]) * (a[j] - b[j]);
          h = 0.5 * sqrt (s) * (1.0 - 1e-6);
          km->half_sep[c] = MIN (km->half_sep[c], h);
          km->half_sep[e] = MIN (km->half_sep[e], h);
        }
    }
}
