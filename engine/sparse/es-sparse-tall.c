/* es-sparse-tall.c: BLAS products of tall matrices on two fixed row halves
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SVD's dense steps work on tall row-major matrices (rows × l, rows ≫
 * l).  Each call here cuts the rows into the same two halves whatever
 * the thread count and hands one to each of the engine's two threads:
 * products row by row (Y ← Y R⁻¹, C = A B) are simply split, and the
 * reductions over the rows (AᵀB, YᵀY) are summed per half and then added
 * in a fixed order.  So the result does not depend on how many threads
 * ran the halves.  With BLAS on one thread (the CLI's lsa and nmf), this
 * is what keeps the dense steps on both cores; a multi-threaded BLAS
 * still works, each half calling into it.
 */

#define G_LOG_DOMAIN "es-sparse"

#include "config.h"

#include "es-sparse-private.h"

#include <cblas.h>
#include <string.h>

/* Y ← Y R⁻¹ goes through OpenBLAS in runs of this many rows: it packs all
 * the rows it is given into its own buffer, and a whole half (7k rows ×
 * 104 doubles) is 6 MB of that buffer faulted in on first use (~16 µs a
 * page on a VM) and far outside L2.  Each row's result does not depend
 * on the others, so the runs change nothing.
 */
#define TRSM_ROWS 512

typedef enum
{
  TALL_SGEMM_TN,
  TALL_SGEMM_NN,
  TALL_SSYRK,
  TALL_STRSM,
  TALL_DSYRK,
  TALL_DTRSM,
  TALL_DGEMM_NN,
  TALL_DGEMM_NT,
} TallOp;

typedef struct
{
  TallOp       op;
  gsize        rows;
  guint        m, n, k;     /* see each function */
  float        alpha, beta;
  const void  *a;
  gsize        lda;
  const void  *b;
  gsize        ldb;
  void        *c;
  gsize        ldc;
  void        *part[2];     /* per-half sums of a reduction */
} TallJob;

static void
tall_half (guint    index,
           gpointer data)
{
  TallJob *job = data;
  gsize from = index == 0 ? 0 : job->rows / 2, to = index == 0 ? job->rows / 2 : job->rows;
  gsize h = to - from;

  if (h == 0)
    return;
  switch (job->op)
    {
    case TALL_SGEMM_TN:
      cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, job->m, job->n, h, 1.0f,
                   (const float *) job->a + from * job->lda, job->lda,
                   (const float *) job->b + from * job->ldb, job->ldb, 0.0f, job->part[index], job->n);
      break;
    case TALL_SGEMM_NN:
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, h, job->n, job->k, job->alpha,
                   (const float *) job->a + from * job->lda, job->lda, job->b, job->ldb, job->beta,
                   (float *) job->c + from * job->ldc, job->ldc);
      break;
    case TALL_SSYRK:
      cblas_ssyrk (CblasRowMajor, CblasUpper, CblasTrans, job->n, h, 1.0f,
                   (const float *) job->a + from * job->lda, job->lda, 0.0f, job->part[index], job->n);
      break;
    case TALL_STRSM:
      for (gsize i = from; i < to; i += TRSM_ROWS)
        cblas_strsm (CblasRowMajor, CblasRight, CblasUpper, CblasNoTrans, CblasNonUnit, MIN (TRSM_ROWS, to - i),
                     job->n, 1.0f, job->b, job->ldb, (float *) job->c + i * job->ldc, job->ldc);
      break;
    case TALL_DSYRK:
      cblas_dsyrk (CblasRowMajor, CblasUpper, CblasTrans, job->n, h, 1.0,
                   (const double *) job->a + from * job->lda, job->lda, 0.0, job->part[index], job->n);
      break;
    case TALL_DTRSM:
      for (gsize i = from; i < to; i += TRSM_ROWS)
        cblas_dtrsm (CblasRowMajor, CblasRight, CblasUpper, CblasNoTrans, CblasNonUnit, MIN (TRSM_ROWS, to - i),
                     job->n, 1.0, job->b, job->ldb, (double *) job->c + i * job->ldc, job->ldc);
      break;
    case TALL_DGEMM_NN:
    case TALL_DGEMM_NT:
      cblas_dgemm (CblasRowMajor, CblasNoTrans, job->op == TALL_DGEMM_NN ? CblasNoTrans : CblasTrans,
                   h, job->n, job->k, 1.0, (const double *) job->a + from * job->lda, job->lda,
                   job->b, job->ldb, 0.0, (double *) job->c + from * job->ldc, job->ldc);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Runs @job's halves; a reduction (@part_size values per half) is
 * summed into @out (half 0 + half 1).
 */
static void
tall_run (TallJob *job,
          gsize    part_size,
          gsize    value_size,
          void    *out)
{
  g_autofree void *p0 = part_size ? g_malloc0 (part_size * value_size) : NULL;
  g_autofree void *p1 = part_size ? g_malloc0 (part_size * value_size) : NULL;

  job->part[0] = p0;
  job->part[1] = p1;
  _es_sparse_run_parallel (2, tall_half, job);
  if (part_size == 0)
    return;
  if (value_size == sizeof (float))
    for (gsize i = 0; i < part_size; i++)
      ((float *) out)[i] = ((float *) p0)[i] + ((float *) p1)[i];
  else
    for (gsize i = 0; i < part_size; i++)
      ((double *) out)[i] = ((double *) p0)[i] + ((double *) p1)[i];
}

void
_es_sparse_tall_sgemm_tn (gsize        rows,
                          guint        m,
                          guint        n,
                          const float *a,
                          gsize        lda,
                          const float *b,
                          gsize        ldb,
                          float       *c)
{
  TallJob job = { .op = TALL_SGEMM_TN, .rows = rows, .m = m, .n = n, .a = a, .lda = lda, .b = b, .ldb = ldb };

  tall_run (&job, (gsize) m * n, sizeof (float), c);
}

void
_es_sparse_tall_sgemm_nn (gsize        rows,
                          guint        n,
                          guint        k,
                          float        alpha,
                          const float *a,
                          gsize        lda,
                          const float *b,
                          gsize        ldb,
                          float        beta,
                          float       *c,
                          gsize        ldc)
{
  TallJob job = { .op = TALL_SGEMM_NN, .rows = rows, .n = n, .k = k, .alpha = alpha, .beta = beta,
                  .a = a, .lda = lda, .b = b, .ldb = ldb, .c = c, .ldc = ldc };

  tall_run (&job, 0, 0, NULL);
}

void
_es_sparse_tall_ssyrk (gsize        rows,
                       guint        n,
                       const float *a,
                       float       *g)
{
  TallJob job = { .op = TALL_SSYRK, .rows = rows, .n = n, .a = a, .lda = n };

  tall_run (&job, (gsize) n * n, sizeof (float), g);
}

void
_es_sparse_tall_strsm (gsize        rows,
                       guint        n,
                       const float *r,
                       float       *y)
{
  TallJob job = { .op = TALL_STRSM, .rows = rows, .n = n, .b = r, .ldb = n, .c = y, .ldc = n };

  tall_run (&job, 0, 0, NULL);
}

void
_es_sparse_tall_dsyrk (gsize         rows,
                       guint         n,
                       const double *a,
                       double       *g)
{
  TallJob job = { .op = TALL_DSYRK, .rows = rows, .n = n, .a = a, .lda = n };

  tall_run (&job, (gsize) n * n, sizeof (double), g);
}

void
_es_sparse_tall_dtrsm (gsize         rows,
                       guint         n,
                       const double *r,
                       double       *y)
{
  TallJob job = { .op = TALL_DTRSM, .rows = rows, .n = n, .b = r, .ldb = n, .c = y, .ldc = n };

  tall_run (&job, 0, 0, NULL);
}

void
_es_sparse_tall_dgemm (gsize         rows,
                       gboolean      trans_b,
                       guint         n,
                       guint         k,
                       const double *a,
                       gsize         lda,
                       const double *b,
                       gsize         ldb,
                       double       *c,
                       gsize         ldc)
{
  TallJob job = { .op = trans_b ? TALL_DGEMM_NT : TALL_DGEMM_NN, .rows = rows, .n = n, .k = k,
                  .a = a, .lda = lda, .b = b, .ldb = ldb, .c = c, .ldc = ldc };

  tall_run (&job, 0, 0, NULL);
}
