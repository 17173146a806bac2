/* es-kmeans-hartigan.c: Hartigan's single-row moves after Lloyd converges
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Lloyd stops when every row is nearest its own centroid, but moving a row
 * also moves the two means: taking row x out of cluster A (n_A rows) lowers
 * A's cost by n_A / (n_A − 1) |x − m_A|², and adding it to B raises B's by
 * n_B / (n_B + 1) |x − m_B|² (Hartigan & Wong 1979; Telgarsky & Vattani
 * 2010 show its fixed points are a subset of Lloyd's).  For spherical
 * k-means the cost of a cluster is n − |S| with S the sum of its unit rows,
 * so the change is exact through |S_A − x| and |S_B + x|.  One pass visits
 * the rows in order and moves a row when another cluster lowers the
 * objective, updating the sums at once: sequential, so the result depends
 * on nothing but the input.  Most rows cannot move: each block of rows is
 * scored against the pass's starting centroids by one sgemm, and a row is
 * ruled out when those distances (less their float error and how far each
 * centroid has drifted since) leave no cluster that could win; the rest
 * are scored against the centroids that could, in double.  (The Lloyd
 * rounds' Hamerly bound is too loose by then to rule out many.)  After a
 * full pass, the next passes visit only the rows the last one could not
 * rule out; the caller ends with a full pass that moves nothing.
 */

#define G_LOG_DOMAIN "es-kmeans"

#include "config.h"

#include "es-kmeans-private.h"

#include <cblas.h>
#include <float.h>
#include <math.h>
#include <string.h>

/* A move must win by this share of the cost it replaces: rounding can
 * never make two clusters trade a row back and forth.
 */
#define MIN_GAIN 1e-9

static inline double
dot_xd (const float  *x,
        const double *s,
        gsize         d)
{
  double s0 = 0.0, s1 = 0.0;
  gsize j = 0;

  for (; j + 2 <= d; j += 2)
    {
      s0 += x[j] * s[j];
      s1 += x[j + 1] * s[j + 1];
    }
  for (; j < d; j++)
    s0 += x[j] * s[j];
  return s0 + s1;
}

static inline double
norm_d (const double *s,
        gsize         d)
{
  double n2 = 0.0;

  for (gsize j = 0; j < d; j++)
    n2 += s[j] * s[j];
  return sqrt (n2);
}

/* |x − S / n|² in double, with |x|² known. */
static inline double
dist2_to_mean (const float  *x,
               double        x2,
               const double *s,
               double        s2,
               gsize         n,
               gsize         d)
{
  return MAX (x2 - 2.0 * dot_xd (x, s, d) / n + s2 / ((double) n * n), 0.0);
}

/* Rows @rows[0 .. @nr) (or @r0 .. @r0 + @nr when @rows is NULL) scored
 * against the pass's starting centroids by one sgemm (x·c).
 */
static void
chunk_scores (EsKm         *km,
              const gint32 *rows,
              gsize         r0,
              gsize         nr,
              float        *gather,
              float        *scores)
{
  gsize d = km->dims;
  const float *a = km->x + r0 * d;

  if (rows != NULL)
    {
      for (gsize i = 0; i < nr; i++)
        memcpy (gather + i * d, km->x + (gsize) rows[r0 + i] * d, d * sizeof (float));
      a = gather;
    }
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, nr, km->k, d, 1.0f,
               a, d, km->cent, d, 0.0f, scores, km->k);
}

/* A lower bound on row @r's distance to centroid @c from the starting
 * score @sc, less its worst float error @tol and the centroid's drift.
 */
static inline double
bound_to (const EsKm   *km,
          gsize         r,
          guint         c,
          float         sc,
          double        tol,
          const double *drift)
{
  double d2 = km->cosine ? 2.0 - 2.0 * sc * km->inv_norm[r]
                         : km->norm2[r] + km->cent_norm2[c] - 2.0 * sc;

  return MAX (sqrt (MAX (d2 - tol, 0.0)) - drift[c], 0.0);
}

static inline double
score_tol (const EsKm *km,
           gsize       r)
{
  return km->cosine ? 4.0 * km->dims * FLT_EPSILON
                    : 2.0 * km->dims * FLT_EPSILON * (km->norm2[r] + km->max_cent_norm2)
                      + 4.0 * FLT_EPSILON * km->max_cent_norm2;
}

/* A lower bound on row @r's distance to every centroid but its own @a:
 * the starting distance from the scores @s, less their worst float error
 * and less how far that centroid has drifted in this pass.  (The Lloyd
 * rounds' bound is too loose by now: it shrinks by the largest centroid
 * move every round.)
 */
static double
other_bound (const EsKm   *km,
             gsize         r,
             gint32        a,
             const float  *s,
             const double *drift)
{
  double best = INFINITY, tol = score_tol (km, r);

  for (guint c = 0; c < km->k; c++)
    if ((gint32) c != a)
      best = MIN (best, bound_to (km, r, c, s[c], tol, drift));
  return MAX (best, 0.0);
}

gsize
es_km_hartigan (EsKm         *km,
                const gint32 *rows,
                gsize         n_rows,
                gint32       *cand,
                gsize        *n_cand,
                float        *gather)
{
  gsize d = km->dims, moves = 0, nmin = G_MAXSIZE;
  guint k = km->k;
  g_autofree double *sum = g_new0 (double, (gsize) k * d);
  g_autofree double *sum2 = g_new (double, k);   /* |S_c|² */
  g_autofree gsize *count = g_new0 (gsize, k);
  g_autofree double *drift = g_new0 (double, k);
  g_autofree double *old = g_new (double, d);
  g_autofree float *scores = g_new (float, (gsize) ES_KM_BLOCK_ROWS * k);
  double smin = INFINITY;
  /* The last Lloyd round's moves, not yet taken off the lower bounds. */
  double slack = km->move1;

  if (rows == NULL)
    n_rows = km->rows;
  *n_cand = 0;

  for (gsize b = 0; b < km->n_blocks; b++)
    for (guint c = 0; c < k; c++)
      {
        gsize nb = km->block_count[b * k + c];

        if (nb == 0)
          continue;
        count[c] += nb;
        for (gsize j = 0; j < d; j++)
          sum[(gsize) c * d + j] += km->block_sum[(b * k + c) * d + j];
      }
  for (guint c = 0; c < k; c++)
    {
      double n = norm_d (sum + (gsize) c * d, d);

      sum2[c] = n * n;
      if (count[c] == 0)
        continue;   /* an empty cluster takes no rows here */
      smin = MIN (smin, n);
      nmin = MIN (nmin, count[c]);
    }

  for (gsize i = 0; i < n_rows; i++)
    {
      gsize r = rows != NULL ? (gsize) rows[i] : i;
      gint32 a = km->assign[r];
      const float *x = km->x + r * d;
      double *sa = sum + (gsize) a * d;
      const float *srow;
      double w, x2, loss, lb, tol, best_gain = 0.0;
      gint32 best = -1;

      if (i % ES_KM_BLOCK_ROWS == 0)
        {
          if (g_cancellable_is_cancelled (km->cancellable))
            break;
          chunk_scores (km, rows, i, MIN (ES_KM_BLOCK_ROWS, n_rows - i), gather, scores);
        }
      if (a < 0 || count[a] <= 1)
        continue;
      if (km->cosine && km->inv_norm[r] == 0.0)
        continue;
      w = km->cosine ? km->inv_norm[r] : 1.0;
      x2 = km->norm2[r] * w * w;
      srow = scores + (i % ES_KM_BLOCK_ROWS) * k;
      tol = score_tol (km, r);
      lb = other_bound (km, r, a, srow, drift);

      if (km->cosine)
        {
          /* Taking x out of A costs |S_A| − |S_A − x|; putting it in B
           * gains |S_B + x| − |S_B|, which grows with x·S_B / |S_B| ≤
           * |S_B| (1 − lb²/2) and shrinks as |S_B| grows.
           */
          double na = sqrt (sum2[a]);
          double kappa;

          double xs = w * dot_xd (x, sa, d);

          loss = na - sqrt (MAX (sum2[a] - 2.0 * xs + x2, 0.0));
          kappa = 1.0 - 0.5 * lb * lb;
          if (sqrt (smin * smin + 2.0 * smin * kappa + 1.0) - smin <= loss * (1.0 + MIN_GAIN))
            continue;
          for (guint c = 0; c < k; c++)
            {
              double gain;

              double sc, l;

              if ((gint32) c == a || count[c] == 0)
                continue;
              sc = sqrt (sum2[c]);
              l = bound_to (km, r, c, srow[c], tol, drift);
              if (sqrt (sum2[c] + 2.0 * sc * (1.0 - 0.5 * l * l) + 1.0) - sc <= loss)
                continue;
              gain = sqrt (MAX (sum2[c] + 2.0 * w * dot_xd (x, sum + (gsize) c * d, d) + x2, 0.0))
                   - sqrt (sum2[c]);
              if (gain - loss > best_gain)
                {
                  best_gain = gain - loss;
                  best = c;
                }
            }
          if (best >= 0 && best_gain <= MIN_GAIN * MAX (loss, 0.0) + 1e-12)
            best = -1;
        }
      else
        {
          /* Taking x out of A saves n_A / (n_A − 1) |x − m_A|²; putting it
           * in B costs n_B / (n_B + 1) |x − m_B|² ≥ nmin / (nmin + 1) lb².
           */
          double na = (double) count[a];
          double best_cost = INFINITY;

          double da2 = dist2_to_mean (x, x2, sa, sum2[a], count[a], d);

          loss = na / (na - 1.0) * da2;
          if ((double) nmin / (nmin + 1.0) * lb * lb >= loss * (1.0 - MIN_GAIN))
            continue;
          for (guint c = 0; c < k; c++)
            {
              double nb = (double) count[c], cost;

              double l;

              if ((gint32) c == a || count[c] == 0)
                continue;
              l = bound_to (km, r, c, srow[c], tol, drift);
              if (nb / (nb + 1.0) * l * l >= MIN (best_cost, loss))
                continue;
              cost = nb / (nb + 1.0) * dist2_to_mean (x, x2, sum + (gsize) c * d, sum2[c], count[c], d);
              if (cost < best_cost)
                {
                  best_cost = cost;
                  best = c;
                }
            }
          if (best >= 0 && !(best_cost < loss * (1.0 - MIN_GAIN)))
            best = -1;
        }
      cand[(*n_cand)++] = (gint32) r;
      if (best < 0)
        continue;

      /* Move: both sums, both counts, the block sums, and how far the two
       * centroids went (the pass's bound on every centroid's drift).
       */
      {
        gint32 ends[2] = { a, best };
        double sign[2] = { -1.0, 1.0 };

        for (guint e = 0; e < 2; e++)
          {
            gint32 c = ends[e];
            double *s = sum + (gsize) c * d;
            double n0 = (double) count[c], n1 = n0 + sign[e], scale0, scale1, mv = 0.0;

            memcpy (old, s, d * sizeof (double));
            for (gsize j = 0; j < d; j++)
              s[j] += sign[e] * w * x[j];
            sum2[c] = 0.0;
            for (gsize j = 0; j < d; j++)
              sum2[c] += s[j] * s[j];
            if (km->cosine)
              {
                double o = norm_d (old, d);

                scale0 = o > 0.0 ? 1.0 / o : 0.0;
                scale1 = sum2[c] > 0.0 ? 1.0 / sqrt (sum2[c]) : 0.0;
              }
            else
              {
                scale0 = 1.0 / n0;
                scale1 = 1.0 / n1;
              }
            for (gsize j = 0; j < d; j++)
              {
                double t = s[j] * scale1 - old[j] * scale0;

                mv += t * t;
              }
            drift[c] += sqrt (mv) * (1.0 + 1e-9) + 1e-12;
            count[c] = (gsize) n1;
            nmin = MIN (nmin, count[c]);
            smin = MIN (smin, sqrt (sum2[c]));
            es_km_block_move (km, r / ES_KM_BLOCK_ROWS, r, c, sign[e]);
          }
        km->assign[r] = best;
        km->lower[r] = 0.0;   /* a new own cluster: its bound starts again */
        moves++;
      }
    }

  if (moves > 0)
    {
      /* New centroids.  The bounds stay valid less the centroids' net
       * moves (es_km_set_centroid records them for the next round) and
       * the last Lloyd round's, taken off here; a row that moved has a
       * new own cluster, so its bound starts again.
       */
      for (guint c = 0; c < k; c++)
        if (count[c] > 0)
          {
            double *s = sum + (gsize) c * d;

            if (!km->cosine)
              for (gsize j = 0; j < d; j++)
                s[j] /= (double) count[c];
            es_km_set_centroid (km, c, s);
          }
      for (gsize r = 0; r < km->rows; r++)
        km->lower[r] = MAX (km->lower[r] - slack, 0.0);
    }
  g_debug ("k-means Hartigan pass: %" G_GSIZE_FORMAT " rows moved", moves);

  return moves;
}
