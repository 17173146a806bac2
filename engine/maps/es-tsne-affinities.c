/* es-tsne-affinities.c: perplexity calibration and the symmetric P
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each row's Gaussian precision β is found by Newton's method kept inside
 * a bisection's bracket (van der Maaten 2014 bisects): the entropy of p_j|i ∝ exp (−β d_ij) falls monotonically as β grows,
 * from log k at β = 0 to log (ties at the smallest distance) as β → ∞.
 * Distances are shifted by the row's smallest first (the p do not change,
 * and nothing underflows), so zero and duplicate vectors are ordinary.
 */

#define G_LOG_DOMAIN "es-tsne"

#include "config.h"

#include "es-tsne-private.h"

#include "es-engine-error.h"
#include "es-memory.h"

#include <math.h>
#include <string.h>

#define CALIBRATION_TOL        1e-5
#define CALIBRATION_MAX_STEPS  200
#define BETA_MAX               1e250

/* The entropy of p_j ∝ exp (−β s_j), s_j = d_j − dmin, and its derivative
 * in β, −β Var (s) under p.
 */
static double
row_entropy (const float *d,
             guint        k,
             double       dmin,
             double       beta,
             double      *slope)
{
  double sum = 0, m1 = 0, m2 = 0, mean;

  for (guint j = 0; j < k; j++)
    {
      double s = d[j] - dmin;
      double e = exp (-beta * s);

      sum += e;
      m1 += s * e;
      m2 += s * s * e;
    }
  /* sum ≥ 1: the smallest distance gives exp (0). */
  mean = m1 / sum;
  *slope = -beta * MAX (m2 / sum - mean * mean, 0.0);
  return log (sum) + beta * mean;
}

double
_es_tsne_calibrate_row (const float *d,
                        guint        k,
                        double       perplexity,
                        float       *p,
                        double      *entropy)
{
  double target = log (perplexity);
  double dmin = INFINITY, mean = 0, sum = 0;
  double beta, lo = 0, hi = INFINITY, h = 0, slope;

  g_return_val_if_fail (k > 0, 0);

  for (guint j = 0; j < k; j++)
    dmin = MIN (dmin, (double) d[j]);
  for (guint j = 0; j < k; j++)
    mean += (d[j] - dmin) / k;

  if (!(mean > 0))
    {
      /* All equal: every β gives the uniform distribution. */
      for (guint j = 0; j < k; j++)
        p[j] = 1.0f / k;
      if (entropy != NULL)
        *entropy = log (k);
      return 0;
    }

  /* Newton's steps while they stay inside the bracket [lo, hi] of β
   * that the signs of h − target have shown; otherwise bisection (or
   * doubling while there is no upper end).  Some 4 steps instead of 25.
   */
  beta = 1 / mean;
  for (guint step = 0; step < CALIBRATION_MAX_STEPS; step++)
    {
      double next;

      h = row_entropy (d, k, dmin, beta, &slope);
      if (fabs (h - target) < CALIBRATION_TOL)
        break;
      if (h > target)
        lo = beta;
      else
        hi = beta;
      next = slope < 0 ? beta - (h - target) / slope : NAN;
      if (!(next > lo && next < hi))
        next = h > target ? (isinf (hi) ? beta * 2 : (beta + hi) / 2) : (lo + beta) / 2;
      beta = next;
      if (beta > BETA_MAX)
        break;
    }

  for (guint j = 0; j < k; j++)
    {
      double e = exp (-beta * (d[j] - dmin));

      sum += e;
      p[j] = (float) e;
    }
  for (guint j = 0; j < k; j++)
    p[j] = (float) (p[j] / sum);

  if (entropy != NULL)
    *entropy = h;
  return beta;
}

void
_es_tsne_affinities_clear (EsTsneAffinities *p)
{
  g_clear_pointer (&p->row_ptr, g_free);
  g_clear_pointer (&p->cols, g_free);
  g_clear_pointer (&p->vals, g_free);
  p->n = 0;
}

typedef struct
{
  gsize         n;
  guint         k;
  const gint32 *idx;
  const float  *dist;
  EsMetric      metric;
  double        perplexity;
  float        *cond;      /* n × k conditional p_j|i */
} CalibrateJob;

static void
calibrate_part (guint    part,
                gpointer data)
{
  CalibrateJob *job = data;
  g_autofree float *d = g_new (float, job->k);
  gsize begin, end;

  _es_tsne_part_range (job->n, part, &begin, &end);
  for (gsize i = begin; i < end; i++)
    {
      const gint32 *idx = job->idx + i * job->k;
      const float *dist = job->dist + i * job->k;
      float *p = job->cond + i * job->k;
      guint m = 0;

      /* Neighbours are sorted with missing ones (ES_KNN_NONE) last. */
      for (guint j = 0; j < job->k && idx[j] != ES_KNN_NONE; j++, m++)
        d[j] = job->metric == ES_METRIC_EUCLIDEAN ? dist[j] * dist[j] : MAX (dist[j], 0.0f);
      memset (p, 0, job->k * sizeof (float));
      if (m > 0)
        _es_tsne_calibrate_row (d, m, job->perplexity, p, NULL);
    }
}

typedef struct
{
  gint32 col;
  float  val;
} Entry;

typedef struct
{
  gsize        n;
  double       scale;
  const gsize *row_ptr;
  const gsize *own;      /* n × 2: [begin, end) of row i's own list in its segment */
  gsize       *len;      /* n: merged length */
  gint32      *cols;
  float       *vals;
  Entry       *tmp;      /* per part: longest entries */
  gsize        longest;
} MergeJob;

/* Row i's segment holds, in the order they were listed, the pairs from
 * the lists of rows before i (columns < i, ascending), i's own list
 * (unsorted) and the pairs from the rows after i (columns > i,
 * ascending): sorting the own list and merging the three, earlier runs
 * first on equal columns, is the stable sort by column.  A column is
 * listed at most twice; the two are summed in that order.
 */
static void
merge_part (guint    part,
            gpointer data)
{
  MergeJob *job = data;
  Entry *row = job->tmp + part * job->longest;
  gsize begin, end;

  _es_tsne_part_range (job->n, part, &begin, &end);
  for (gsize i = begin; i < end; i++)
    {
      gsize r0 = job->row_ptr[i], len = job->row_ptr[i + 1] - r0;
      gsize na = job->own[2 * i] - r0, nb = job->own[2 * i + 1] - r0;
      gsize a = 0, b = na, c = nb, w = r0;

      for (gsize e = 0; e < len; e++)
        row[e] = (Entry) { job->cols[r0 + e], job->vals[r0 + e] };

      /* The own list, row[na, nb) (distinct columns), by insertion sort. */
      for (gsize e = na + 1; e < nb; e++)
        {
          Entry t = row[e];
          gsize j = e;

          while (j > na && row[j - 1].col > t.col)
            {
              row[j] = row[j - 1];
              j--;
            }
          row[j] = t;
        }

      while (a < na || b < nb || c < len)
        {
          Entry t;

          if (a < na && (b == nb || row[a].col <= row[b].col) && (c == len || row[a].col <= row[c].col))
            t = row[a++];
          else if (b < nb && (c == len || row[b].col <= row[c].col))
            t = row[b++];
          else
            t = row[c++];

          if (w > r0 && job->cols[w - 1] == t.col)
            job->vals[w - 1] = (float) (job->vals[w - 1] + t.val * job->scale);
          else
            {
              job->cols[w] = t.col;
              job->vals[w++] = (float) (t.val * job->scale);
            }
        }
      job->len[i] = w - r0;
    }
}

gboolean
_es_tsne_affinities_build (gsize             n,
                           guint             k,
                           const gint32     *idx,
                           const float      *dist,
                           EsMetric          metric,
                           double            perplexity,
                           EsTsnePool       *pool,
                           GCancellable     *cancellable,
                           EsTsneAffinities *out,
                           GError          **error)
{
  g_autofree float *cond = NULL;
  g_autofree gsize *fill = NULL, *own = NULL;
  g_autofree Entry *row = NULL;
  guint64 nk;
  CalibrateJob job;
  MergeJob merge;
  gsize *row_ptr, longest = 0, w = 0, listed;
  double scale = 1.0 / (2.0 * n);

  memset (out, 0, sizeof *out);
  if (!es_checked_mul (n, k, &nk))
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                   "t-SNE affinities: %" G_GSIZE_FORMAT " × %u overflows", n, k);
      return FALSE;
    }
  if (!(cond = es_memory_try_alloc (nk, sizeof (float), "t-SNE affinities", error)))
    return FALSE;

  job = (CalibrateJob) { n, k, idx, dist, metric, perplexity, cond };
  _es_tsne_parallel (pool, calibrate_part, &job);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  /* Symmetrise: every (i, j) of the kNN lists lands in row i and in row j
   * (at most 2 n k entries); each row is then sorted by column (stably:
   * merge_part), the pairs listed from both sides summed, and the rows
   * compacted in place.
   */
  out->n = n;
  if (!(out->row_ptr = es_memory_try_alloc0 (n + 1, sizeof (gsize), "t-SNE affinities", error)) ||
      !(fill = es_memory_try_alloc (n + 1, sizeof (gsize), "t-SNE affinities", error)))
    goto fail;
  row_ptr = out->row_ptr;
  for (gsize i = 0; i < n; i++)
    for (guint j = 0; j < k; j++)
      if (idx[i * k + j] != ES_KNN_NONE && cond[i * k + j] > 0)
        {
          row_ptr[i + 1]++;
          row_ptr[idx[i * k + j] + 1]++;
        }
  for (gsize i = 0; i < n; i++)
    {
      longest = MAX (longest, row_ptr[i + 1]);
      row_ptr[i + 1] += row_ptr[i];
    }
  memcpy (fill, row_ptr, (n + 1) * sizeof (gsize));

  if (!(out->cols = es_memory_try_alloc (MAX (row_ptr[n], 1), sizeof (gint32), "t-SNE affinities", error)) ||
      !(out->vals = es_memory_try_alloc (MAX (row_ptr[n], 1), sizeof (float), "t-SNE affinities", error)) ||
      !(own = es_memory_try_alloc (n, 2 * sizeof (gsize), "t-SNE affinities", error)) ||
      !(row = es_memory_try_alloc (ES_TSNE_N_PARTS, MAX (longest, 1) * sizeof (Entry), "t-SNE affinities", error)))
    goto fail;
  for (gsize i = 0; i < n; i++)
    {
      own[2 * i] = fill[i];
      for (guint j = 0; j < k; j++)
        {
          gint32 c = idx[i * k + j];
          float v = cond[i * k + j];

          if (c == ES_KNN_NONE || !(v > 0))
            continue;
          out->cols[fill[i]] = c;
          out->vals[fill[i]++] = v;
          out->cols[fill[c]] = (gint32) i;
          out->vals[fill[c]++] = v;
        }
      own[2 * i + 1] = fill[i];
    }
  g_clear_pointer (&cond, g_free);

  merge = (MergeJob) {
    .n = n, .scale = scale, .row_ptr = row_ptr, .own = own, .len = fill,
    .cols = out->cols, .vals = out->vals, .tmp = row, .longest = MAX (longest, 1),
  };
  _es_tsne_parallel (pool, merge_part, &merge);
  for (gsize i = 0; i < n; i++)
    {
      gsize begin = row_ptr[i], len = fill[i];

      memmove (out->cols + w, out->cols + begin, len * sizeof (gint32));
      memmove (out->vals + w, out->vals + begin, len * sizeof (float));
      row_ptr[i] = w;
      w += len;
    }
  listed = row_ptr[n];
  row_ptr[n] = w;

  /* Pairs listed from both sides were merged: give back the unused tail (up
   * to half of 2 n k entries).
   */
  if (w < listed && w > 0)
    {
      gpointer shrunk;

      if ((shrunk = g_try_realloc (out->cols, w * sizeof (gint32))) != NULL)
        out->cols = shrunk;
      if ((shrunk = g_try_realloc (out->vals, w * sizeof (float))) != NULL)
        out->vals = shrunk;
    }
  return TRUE;

fail:
  _es_tsne_affinities_clear (out);
  return FALSE;
}
