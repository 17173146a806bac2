/* es-umap-ab.c: the a, b of UMAP's low-dimensional similarity curve
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * UMAP replaces the target curve (1 below min_dist, exp (-(d - min_dist) /
 * spread) beyond) by the smooth 1 / (1 + a d^2b) fitted by least squares on
 * 300 points of [0, 3 spread], as umap-learn's find_ab_params does with
 * scipy's curve_fit (MINPACK's Levenberg-Marquardt from a = b = 1).  Two
 * parameters: the normal equations are a 2 × 2 system solved in closed form.
 */

#define G_LOG_DOMAIN "es-umap"

#include "config.h"

#include "es-umap.h"

#include <math.h>

#define N_POINTS 300

static double
sum_squares (const double *x,
             const double *y,
             double        a,
             double        b)
{
  double s = 0;

  for (int i = 0; i < N_POINTS; i++)
    {
      double r = 1.0 / (1.0 + a * pow (x[i], 2 * b)) - y[i];

      s += r * r;
    }
  return s;
}

gboolean
es_umap_find_ab (double  spread,
                 double  min_dist,
                 double *a_out,
                 double *b_out)
{
  double x[N_POINTS], y[N_POINTS];
  double a = 1, b = 1, lambda = 1e-3;
  double cost;

  g_return_val_if_fail (a_out != NULL && b_out != NULL, FALSE);
  if (!(spread > 0) || !(min_dist >= 0) || !isfinite (spread) || !isfinite (min_dist))
    return FALSE;

  for (int i = 0; i < N_POINTS; i++)
    {
      x[i] = 3 * spread * i / (N_POINTS - 1.0);
      y[i] = x[i] < min_dist ? 1.0 : exp (-(x[i] - min_dist) / spread);
    }

  cost = sum_squares (x, y, a, b);
  for (int it = 0; it < 500; it++)
    {
      double jtj[3] = { 0, 0, 0 }, jtr[2] = { 0, 0 };
      gboolean improved = FALSE;

      for (int i = 0; i < N_POINTS; i++)
        {
          double u = x[i] > 0 ? pow (x[i], 2 * b) : 0;
          double denom = 1 + a * u;
          double f = 1 / denom, r = f - y[i];
          double da = -u / (denom * denom);
          double db = x[i] > 0 ? -a * u * 2 * log (x[i]) / (denom * denom) : 0;

          jtj[0] += da * da;
          jtj[1] += da * db;
          jtj[2] += db * db;
          jtr[0] += da * r;
          jtr[1] += db * r;
        }

      /* Marquardt's scaling: damp along diag (JᵀJ); raise the damping
       * until a step lowers the cost.
       */
      for (int tries = 0; tries < 40 && !improved; tries++)
        {
          double m00 = jtj[0] * (1 + lambda), m11 = jtj[2] * (1 + lambda), m01 = jtj[1];
          double det = m00 * m11 - m01 * m01;
          double da, db, na, nb, new_cost;

          if (!(fabs (det) > 0))
            {
              lambda *= 10;
              continue;
            }
          da = -(m11 * jtr[0] - m01 * jtr[1]) / det;
          db = -(m00 * jtr[1] - m01 * jtr[0]) / det;
          na = a + da;
          nb = b + db;
          new_cost = na > 0 && nb > 0 ? sum_squares (x, y, na, nb) : INFINITY;
          if (new_cost < cost)
            {
              gboolean small = fabs (da) <= 1e-12 * (fabs (a) + 1e-12) && fabs (db) <= 1e-12 * (fabs (b) + 1e-12);
              double rel = (cost - new_cost) / MAX (cost, 1e-300);

              a = na;
              b = nb;
              cost = new_cost;
              lambda = MAX (lambda / 10, 1e-12);
              improved = TRUE;
              if (small || rel < 1e-15)
                goto done;
            }
          else
            lambda *= 10;
        }
      if (!improved)
        break;
    }

done:
  if (!isfinite (a) || !isfinite (b) || a <= 0 || b <= 0)
    return FALSE;
  *a_out = a;
  *b_out = b;
  return TRUE;
}
