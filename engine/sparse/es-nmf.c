/* es-nmf.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With Ht = Hᵀ (cols × k), one iteration is
 *   P = X Ht, G = HtᵀHt:   W[i,r] ← max (0, W[i,r] + (P[i,r] − (W G)[i,r]) / G[r,r])  for r = 1..k
 *   Q = Xᵀ W, F = WᵀW:     Ht[j,r] ← max (0, Ht[j,r] + (Q[j,r] − (Ht F)[j,r]) / F[r,r])
 * each update the exact minimiser of the loss in that one variable (the
 * rows of W are independent, so a row's k updates run in order).  The loss
 * ‖X‖² − 2 Σ Ht∘Q + Σ F∘(HtᵀHt) needs no dense X.
 *
 * Precision: the factors hold float32 values (each update is computed in
 * double and rounded to the nearest float, which is at least as close to
 * the one-variable minimiser as the old value, so the loss still never
 * increases).  The sparse products then read float32 copies of the
 * factors, half the memory traffic, and sum in double, so P, Q and the
 * loss are as exact as in double.
 *
 * Passes: each half-iteration is one pass over the rows of X (or Xᵀ):
 * row i's product with the other factor, its HALS update, its float32
 * copy and its share of the new Gram matrix and of the loss, in fixed
 * chunks claimed by two threads, whose sums add in a fixed order: the
 * same result on one thread.  The initial loss comes from the first
 * pass too (⟨W, X Ht⟩ before the rows move).
 */

#define G_LOG_DOMAIN "es-sparse"

#include "config.h"

#include "es-nmf.h"

#include "es-engine-error.h"
#include "es-memory.h"
#include "es-sparse-kernels-private.h"
#include "es-sparse-private.h"
#include "es-sparse-svd.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

struct _EsNmf
{
  gsize   rows, cols;
  guint   k;
  double *w;
  double *ht;
  GArray *losses;
  guint   iterations;
  gboolean converged;
};

void
es_nmf_options_init (EsNmfOptions *options)
{
  options->components = 10;
  options->max_iterations = 200;
  options->tolerance = 1e-4;
  options->seed = 42;
  options->init = ES_NMF_INIT_NNDSVDA;
}

void
es_nmf_free (EsNmf *self)
{
  if (self == NULL)
    return;
  g_free (self->w);
  g_free (self->ht);
  g_clear_pointer (&self->losses, g_array_unref);
  g_free (self);
}

guint         es_nmf_get_components (const EsNmf *self) { return self->k; }
const double *es_nmf_get_w          (const EsNmf *self) { return self->w; }
const double *es_nmf_get_ht         (const EsNmf *self) { return self->ht; }
guint         es_nmf_get_iterations (const EsNmf *self) { return self->iterations; }
gboolean      es_nmf_get_converged  (const EsNmf *self) { return self->converged; }

double
es_nmf_get_error (const EsNmf *self)
{
  double loss = g_array_index (self->losses, double, self->losses->len - 1);

  return sqrt (MAX (loss, 0.0));
}

const double *
es_nmf_get_losses (const EsNmf *self,
                   guint       *n)
{
  *n = self->losses->len;
  return (const double *) self->losses->data;
}

/* Boutsidis & Gallopoulos (2008), NNDSVD, then zeros → @fill. */
static gboolean
init_nndsvd (EsNmf                *self,
             const EsSparseMatrix *x,
             const EsSparseMatrix *xt,
             double                fill,
             guint64               seed,
             GError              **error)
{
  g_autoptr(EsSparseSvd) svd = NULL;
  EsSparseSvdOptions options;
  const double *u, *v, *s;
  guint k = self->k;

  es_sparse_svd_options_init (&options);
  options.dims = k;
  options.seed = seed;
  /* scikit-learn's randomized_svd: subspace iteration, 10 oversamples,
   * n_iter='auto' (NNDSVD needs no more accuracy than that). */
  options.method = ES_SPARSE_SVD_SUBSPACE;
  options.oversamples = 10;
  options.power_iterations = k < 0.1 * MIN (self->rows, self->cols) ? 7 : 4;
  /* Xᵀ is NMF's too; the residual check would be one more product. */
  if (!(svd = _es_sparse_svd_compute_with (x, xt, FALSE, &options, NULL, NULL, NULL, error)))
    return FALSE;
  u = es_sparse_svd_get_u (svd);
  v = es_sparse_svd_get_v (svd);
  s = es_sparse_svd_get_singular_values (svd);

  /* The leading pair is non-negative up to sign (Perron–Frobenius). */
  for (gsize i = 0; i < self->rows; i++)
    self->w[i * k] = sqrt (s[0]) * fabs (u[i * k]);
  for (gsize j = 0; j < self->cols; j++)
    self->ht[j * k] = sqrt (s[0]) * fabs (v[j * k]);

  /* The others: the larger of the positive and the negative parts. */
  for (guint r = 1; r < k; r++)
    {
      double pu = 0, nu = 0, pv = 0, nv = 0, mu, mv, lambda;
      gboolean positive;

      for (gsize i = 0; i < self->rows; i++)
        {
          double a = u[i * k + r];
          if (a > 0)
            pu += a * a;
          else
            nu += a * a;
        }
      for (gsize j = 0; j < self->cols; j++)
        {
          double a = v[j * k + r];
          if (a > 0)
            pv += a * a;
          else
            nv += a * a;
        }
      pu = sqrt (pu);
      nu = sqrt (nu);
      pv = sqrt (pv);
      nv = sqrt (nv);
      positive = pu * pv > nu * nv;
      mu = positive ? pu : nu;
      mv = positive ? pv : nv;
      lambda = sqrt (s[r] * mu * mv);
      for (gsize i = 0; i < self->rows; i++)
        {
          double a = positive ? u[i * k + r] : -u[i * k + r];
          self->w[i * k + r] = a > 0 && mu > 0 ? lambda * a / mu : 0.0;
        }
      for (gsize j = 0; j < self->cols; j++)
        {
          double a = positive ? v[j * k + r] : -v[j * k + r];
          self->ht[j * k + r] = a > 0 && mv > 0 ? lambda * a / mv : 0.0;
        }
    }

  for (gsize i = 0; i < self->rows * k; i++)
    if (self->w[i] < 1e-6)
      self->w[i] = fill;
  for (gsize j = 0; j < self->cols * k; j++)
    if (self->ht[j] < 1e-6)
      self->ht[j] = fill;
  return TRUE;
}

/* @n rows' sweeps (n = 1 or 2, interleaved: each row's k updates are
 * one chain of dependent steps, and two independent chains keep the
 * core busy): a[r] ← max (0, a[r] + (p[r] − a·g[r]) / g[r,r]) for
 * r = 0..k−1 in order, each new value rounded to float32.  G (k rows,
 * @gs apart, zero past column k; symmetric: its row r is its column r).
 * The residual e = p − G a is formed once (Σ_s a[s] G[s], whole vectors
 * of @gs) and kept up to date as a[r] moves by δ (e −= δ G[r]): the
 * chain from one update to the next is then one multiply-add, not a dot
 * product and a division.  @inv holds 1 / g[r,r] (0 where g[r,r] ≤ 0:
 * such a column is left alone).  @p and @e hold @gs doubles per row.
 */
#define ES_NMF_HALS(NAME, VT, VW)                                                   \
  ES_ALWAYS_INLINE void                                                             \
  NAME##_residual (const double *a0, const double *a1, guint k, const double *p,    \
                   const double *g, gsize gs, double *e, const int n, const int nv) \
  {                                                                                 \
    VT acc0[8], acc1[8], gv;                                                        \
                                                                                    \
    _Pragma ("GCC unroll 8")                                                        \
    for (int t = 0; t < nv; t++)                                                    \
      {                                                                             \
        memcpy (&acc0[t], p + t * VW, sizeof gv);                                   \
        if (n == 2)                                                                 \
          memcpy (&acc1[t], p + gs + t * VW, sizeof gv);                            \
      }                                                                             \
    for (guint s = 0; s < k; s++)                                                   \
      {                                                                             \
        VT b0 = (VT) { 0 } + a0[s], b1 = (VT) { 0 } + (n == 2 ? a1[s] : 0.0);       \
                                                                                    \
        _Pragma ("GCC unroll 8")                                                    \
        for (int t = 0; t < nv; t++)                                                \
          {                                                                         \
            memcpy (&gv, g + s * gs + t * VW, sizeof gv);                           \
            acc0[t] -= b0 * gv;                                                     \
            if (n == 2)                                                             \
              acc1[t] -= b1 * gv;                                                   \
          }                                                                         \
      }                                                                             \
    _Pragma ("GCC unroll 8")                                                        \
    for (int t = 0; t < nv; t++)                                                    \
      {                                                                             \
        memcpy (e + t * VW, &acc0[t], sizeof gv);                                   \
        if (n == 2)                                                                 \
          memcpy (e + gs + t * VW, &acc1[t], sizeof gv);                            \
      }                                                                             \
  }                                                                                 \
                                                                                    \
  /* e −= d · g over @gs doubles. */                                                \
  ES_ALWAYS_INLINE void                                                             \
  NAME##_axpy (double *e, double d, const double *g, gsize gs)                      \
  {                                                                                 \
    VT dv = (VT) { 0 } + d, ev, gv;                                                 \
                                                                                    \
    for (gsize c = 0; c < gs; c += VW)                                              \
      {                                                                             \
        memcpy (&ev, e + c, sizeof ev);                                             \
        memcpy (&gv, g + c, sizeof gv);                                             \
        ev -= dv * gv;                                                              \
        memcpy (e + c, &ev, sizeof ev);                                             \
      }                                                                             \
  }                                                                                 \
                                                                                    \
  ES_ALWAYS_INLINE void                                                             \
  NAME (double *a0, double *a1, guint k, const double *p, const double *g,          \
        gsize gs, const double *inv, double *e, const int n)                        \
  {                                                                                 \
    switch (gs / VW)                                                                \
      {                                                                             \
      case 1: NAME##_residual (a0, a1, k, p, g, gs, e, n, 1); break;                \
      case 2: NAME##_residual (a0, a1, k, p, g, gs, e, n, 2); break;                \
      case 3: NAME##_residual (a0, a1, k, p, g, gs, e, n, 3); break;                \
      case 4: NAME##_residual (a0, a1, k, p, g, gs, e, n, 4); break;                \
      case 5: NAME##_residual (a0, a1, k, p, g, gs, e, n, 5); break;                \
      case 6: NAME##_residual (a0, a1, k, p, g, gs, e, n, 6); break;                \
      case 7: NAME##_residual (a0, a1, k, p, g, gs, e, n, 7); break;                \
      case 8: NAME##_residual (a0, a1, k, p, g, gs, e, n, 8); break;                \
      default:                                                                      \
        /* Wider than the registers: e = p − Σ_s a[s] G[s] in memory. */            \
        for (int j = 0; j < n; j++)                                                 \
          {                                                                         \
            const double *a = j == 0 ? a0 : a1;                                     \
                                                                                    \
            memcpy (e + j * gs, p + j * gs, gs * sizeof (double));                  \
            for (guint s = 0; s < k; s++)                                           \
              NAME##_axpy (e + j * gs, a[s], g + s * gs, gs);                       \
          }                                                                         \
        break;                                                                      \
      }                                                                             \
    for (guint r = 0; r < k; r++)                                                   \
      {                                                                             \
        const double *gr = g + (gsize) r * gs;                                      \
        double v0, d0, v1 = 0, d1 = 0;                                              \
                                                                                    \
        if (inv[r] == 0)                                                            \
          continue;                                                                 \
        v0 = (float) MAX (0.0, a0[r] + e[r] * inv[r]);                              \
        d0 = v0 - a0[r];                                                            \
        if (n == 2)                                                                 \
          {                                                                         \
            v1 = (float) MAX (0.0, a1[r] + e[gs + r] * inv[r]);                     \
            d1 = v1 - a1[r];                                                        \
          }                                                                         \
        if (d0 != 0)                                                                \
          {                                                                         \
            a0[r] = v0;                                                             \
            NAME##_axpy (e, d0, gr, gs);                                            \
          }                                                                         \
        if (n == 2 && d1 != 0)                                                      \
          {                                                                         \
            a1[r] = v1;                                                             \
            NAME##_axpy (e + gs, d1, gr, gs);                                       \
          }                                                                         \
      }                                                                             \
  }

ES_NMF_HALS (hals_rows4, EsV4d, 4)

/* The upper triangle of @gram (k × k; from each row's diagonal, rounded
 * down to a whole vector) += Σ_j @rows_j @rows_jᵀ over @n consecutive rows
 * (k apart), added in row order: each entry of the Gram matrix is loaded
 * and stored once per @n rows, not once per row.
 */
#define ES_NMF_OUTER(NAME, VT, VW)                                                  \
  ES_ALWAYS_INLINE void                                                             \
  NAME (double       *gram,                                                         \
        const double *rows,                                                         \
        guint         k,                                                            \
        const int     n)                                                            \
  {                                                                                 \
    for (guint r = 0; r < k; r++)                                                   \
      {                                                                             \
        double *gr = gram + (gsize) r * k;                                          \
        VT a[4];                                                                    \
        guint s = r / VW * VW;                                                      \
                                                                                    \
        _Pragma ("GCC unroll 4")                                                    \
        for (int j = 0; j < n; j++)                                                 \
          a[j] = (VT) { 0 } + rows[(gsize) j * k + r];                              \
        for (; s + VW <= k; s += VW)                                                \
          {                                                                         \
            VT g, b;                                                                \
                                                                                    \
            memcpy (&g, gr + s, sizeof g);                                          \
            _Pragma ("GCC unroll 4")                                                \
            for (int j = 0; j < n; j++)                                             \
              {                                                                     \
                memcpy (&b, rows + (gsize) j * k + s, sizeof b);                    \
                g += a[j] * b;                                                      \
              }                                                                     \
            memcpy (gr + s, &g, sizeof g);                                          \
          }                                                                         \
        for (; s < k; s++)                                                          \
          _Pragma ("GCC unroll 4")                                                  \
          for (int j = 0; j < n; j++)                                               \
            gr[s] += a[j][0] * rows[(gsize) j * k + s];                             \
      }                                                                             \
  }

ES_NMF_OUTER (add_outer4, EsV4d, 4)

/* The rows of a sweep go in chunks of about equal work, claimed by
 * whichever thread is free (the machine may be busy, and a row's HALS
 * and Gram work, ~k² whatever its entries, made a split by entries
 * alone twice as slow on one side); each chunk sums its share of the
 * Gram matrix and of the inner products on its own, and the chunks add
 * in a fixed order, so the result does not depend on the threads.
 */
#define ES_NMF_MAX_CHUNKS 32

typedef struct
{
  const EsSparseMatrix *x;       /* the rows to sweep: X for W, Xᵀ for Ht */
  const float          *other;   /* the other factor in float32, stride */
  const double         *g;       /* its Gram matrix (k × k) */
  double               *gp;      /* the same, rows @gs apart, zero padded */
  double               *a;       /* the factor updated (n × k) */
  float                *copy;    /* its float32 copy (n × stride) */
  guint                 k;
  gsize                 stride;
  gsize                 gs;      /* the double rows' stride (≥ @stride, whole vectors) */
  guint                 chunks;
  gsize                 bounds[ES_NMF_MAX_CHUNKS + 1];
  gint                  next;    /* the next chunk to claim (atomic) */
  double               *p[2];    /* per thread: two rows of X · other (2 × gs, zero past stride) */
  double               *e[2];    /* per thread: their HALS residuals (2 × gs) */
  double               *inv;     /* 1 / g[r,r], 0 where g[r,r] ≤ 0 (k) */
  double               *gram;    /* per chunk: Σ a_i a_iᵀ of the new rows (k × k) */
  double                inner[ES_NMF_MAX_CHUNKS];  /* per chunk: Σ a_i · p_i of the new rows */
  gboolean              before;  /* also Σ a_i · p_i of the old rows: */
  double                inner_before[ES_NMF_MAX_CHUNKS];
} SweepJob;

/* Rows from..to (chunk @c, scratch of thread @t): p = X_i · other, the
 * HALS update of row i, its float32 copy, and its share of the new Gram
 * matrix and of ⟨a, X·other⟩.
 */
#define ES_NMF_SWEEP(NAME, ROW_PRODUCT, HALS, OUTER)                                \
  static void                                                                       \
  NAME (SweepJob *job,                                                              \
        guint     t,                                                                \
        guint     c,                                                                \
        gsize     from,                                                             \
        gsize     to)                                                               \
  {                                                                                 \
    const guint64 *offsets = es_sparse_matrix_get_offsets (job->x);                 \
    const guint32 *columns = es_sparse_matrix_get_columns (job->x);                 \
    const float *values = es_sparse_matrix_get_values (job->x);                     \
    guint k = job->k;                                                               \
    double *p = job->p[t], *e = job->e[t], inner = 0, before = 0;                   \
    double *gram = job->gram + (gsize) c * k * k;                                   \
                                                                                    \
    for (gsize i = from; i < to; i += 2)                                            \
      {                                                                             \
        const int n = i + 1 < to ? 2 : 1;                                           \
        double *row = job->a + i * k;                                               \
                                                                                    \
        for (int j = 0; j < n; j++)                                                 \
          ROW_PRODUCT (columns, values, offsets[i + j], offsets[i + j + 1],         \
                       job->other, job->stride, p + j * job->gs);                   \
        if (job->before)                                                            \
          for (guint r = 0; r < n * k; r++)                                         \
            before += row[r] * p[r / k * job->gs + r % k];                          \
        if (n == 2)                                                                 \
          HALS (row, row + k, k, p, job->gp, job->gs, job->inv, e, 2);              \
        else                                                                        \
          HALS (row, row, k, p, job->gp, job->gs, job->inv, e, 1);                  \
        for (int j = 0; j < n; j++)                                                 \
          for (guint r = 0; r < k; r++)                                             \
            {                                                                       \
              job->copy[(i + j) * job->stride + r] = (float) row[j * k + r];        \
              inner += row[j * k + r] * p[j * job->gs + r];                         \
            }                                                                       \
        if ((i - from) % 4 == 2 && n == 2)                                          \
          OUTER (gram, job->a + (i - 2) * k, k, 4);                                 \
      }                                                                             \
    for (gsize i = to - (to - from) % 4; i < to; i++)                               \
      OUTER (gram, job->a + i * k, k, 1);                                           \
    job->inner[c] = inner;                                                          \
    job->inner_before[c] = before;                                                  \
  }

ES_NMF_SWEEP (sweep_rows, spmm_row_double, hals_rows4, add_outer4)
#if defined(__x86_64__) && defined(__GNUC__)
#define HAVE_AVX2_SWEEP 1
__attribute__ ((target ("avx2,fma"))) ES_NMF_SWEEP (sweep_rows_avx2, spmm_row_double, hals_rows4, add_outer4)

/* AVX-512: eight doubles per vector and up to 64 columns (k ≤ 64; a
 * stride of 8j + 4 ends in a vector of four) in one pass over the row's
 * entries, even and odd entries in two sets of sums (see chunk_double).
 * At k = 50 the AVX2 loop streams each row's entries four times.
 */
typedef double EsV8d __attribute__ ((vector_size (64)));

#define LOAD8_AS_DOUBLE(p) ((EsV8d) { (p)[0], (p)[1], (p)[2], (p)[3], (p)[4], (p)[5], (p)[6], (p)[7] })

__attribute__ ((target ("avx512f,avx2,fma"), always_inline)) static inline void
chunk_double8 (const guint32 *columns,
               const float   *values,
               guint64        p0,
               guint64        p1,
               const float   *x,
               gsize          width,
               double        *yi,
               const int      nv,
               const int      tail)
{
  EsV8d acc[8], odd[8];
  EsV4d acc4 = { 0 }, odd4 = { 0 };
  guint64 p = p0;

#pragma GCC unroll 8
  for (int t = 0; t < nv; t++)
    acc[t] = odd[t] = (EsV8d) { 0 };
  for (; p + 2 <= p1; p += 2)
    {
      const float *xp = x + (gsize) columns[p] * width;
      const float *xq = x + (gsize) columns[p + 1] * width;
      double v = values[p], w = values[p + 1];

#pragma GCC unroll 8
      for (int t = 0; t < nv; t++)
        {
          acc[t] += v * LOAD8_AS_DOUBLE (xp + 8 * t);
          odd[t] += w * LOAD8_AS_DOUBLE (xq + 8 * t);
        }
      if (tail)
        {
          acc4 += v * LOAD4_AS_DOUBLE (xp + 8 * nv);
          odd4 += w * LOAD4_AS_DOUBLE (xq + 8 * nv);
        }
    }
  if (p < p1)
    {
      const float *xp = x + (gsize) columns[p] * width;
      double v = values[p];

#pragma GCC unroll 8
      for (int t = 0; t < nv; t++)
        acc[t] += v * LOAD8_AS_DOUBLE (xp + 8 * t);
      if (tail)
        acc4 += v * LOAD4_AS_DOUBLE (xp + 8 * nv);
    }
#pragma GCC unroll 8
  for (int t = 0; t < nv; t++)
    {
      acc[t] += odd[t];
      memcpy (yi + 8 * t, &acc[t], sizeof acc[t]);
    }
  if (tail)
    {
      acc4 += odd4;
      memcpy (yi + 8 * nv, &acc4, sizeof acc4);
    }
}

/* @width (a whole 4) floats of each entry's row; k ≤ 64. */
__attribute__ ((target ("avx512f,avx2,fma"), always_inline)) static inline void
spmm_row_double8 (const guint32 *columns,
                  const float   *values,
                  guint64        p0,
                  guint64        p1,
                  const float   *x,
                  gsize          width,
                  double        *yi)
{
#define ES_NMF_CHUNK8(TAIL)                                                                 \
  switch (width / 8)                                                                        \
    {                                                                                       \
    case 8: chunk_double8 (columns, values, p0, p1, x, width, yi, 8, TAIL); break;          \
    case 7: chunk_double8 (columns, values, p0, p1, x, width, yi, 7, TAIL); break;          \
    case 6: chunk_double8 (columns, values, p0, p1, x, width, yi, 6, TAIL); break;          \
    case 5: chunk_double8 (columns, values, p0, p1, x, width, yi, 5, TAIL); break;          \
    case 4: chunk_double8 (columns, values, p0, p1, x, width, yi, 4, TAIL); break;          \
    case 3: chunk_double8 (columns, values, p0, p1, x, width, yi, 3, TAIL); break;          \
    case 2: chunk_double8 (columns, values, p0, p1, x, width, yi, 2, TAIL); break;          \
    case 1: chunk_double8 (columns, values, p0, p1, x, width, yi, 1, TAIL); break;          \
    case 0: chunk_double8 (columns, values, p0, p1, x, width, yi, 0, TAIL); break;          \
    default: g_assert_not_reached ();                                                       \
    }
  if (width % 8 != 0)
    ES_NMF_CHUNK8 (1)
  else
    ES_NMF_CHUNK8 (0)
#undef ES_NMF_CHUNK8
}

ES_NMF_HALS (hals_rows8, EsV8d, 8)
ES_NMF_OUTER (add_outer8, EsV8d, 8)

__attribute__ ((target ("avx512f,avx2,fma"))) ES_NMF_SWEEP (sweep_rows_avx512, spmm_row_double8, hals_rows8, add_outer8)

/* The AVX-512 sweep where the CPU has it and k ≤ 64. */
static gboolean
use_avx512 (guint k)
{
  return k <= 64 && __builtin_cpu_supports ("avx512f");
}

#endif

static void
sweep_chunk (SweepJob *job,
             guint     t,
             guint     c)
{
  gsize from = job->bounds[c], to = job->bounds[c + 1];

  memset (job->gram + (gsize) c * job->k * job->k, 0, (gsize) job->k * job->k * sizeof (double));
#ifdef HAVE_AVX2_SWEEP
  if (job->gs % 8 == 0 && use_avx512 (job->k))
    {
      sweep_rows_avx512 (job, t, c, from, to);
      return;
    }
  if (__builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma"))
    {
      sweep_rows_avx2 (job, t, c, from, to);
      return;
    }
#endif
  sweep_rows (job, t, c, from, to);
}

static void
sweep_part (guint    index,
            gpointer data)
{
  SweepJob *job = data;
  guint c;

  while ((c = (guint) g_atomic_int_add (&job->next, 1)) < job->chunks)
    sweep_chunk (job, index, c);
}

/* Chunk bounds: equal shares of Σ_i (entries of row i + a row's own
 * work in entries, ~2k: its HALS update and Gram share against the
 * product's stride-wide sums per entry).
 */
static void
split_chunks (SweepJob             *job,
              const EsSparseMatrix *x)
{
  const guint64 *offsets = es_sparse_matrix_get_offsets (x);
  gsize rows = es_sparse_matrix_get_rows (x), i = 0;
  guint64 row_cost = 2 * (guint64) job->k + 16;
  double total = (double) offsets[rows] + (double) row_cost * rows;

  job->bounds[0] = 0;
  for (guint c = 1; c < job->chunks; c++)
    {
      double target = total * c / job->chunks;

      while (i < rows && (double) offsets[i] + (double) row_cost * i < target)
        i++;
      job->bounds[c] = i;
    }
  job->bounds[job->chunks] = rows;
}

static void
sweep_job_clear (SweepJob *job)
{
  for (guint part = 0; part < 2; part++)
    {
      g_clear_pointer (&job->p[part], g_free);
      g_clear_pointer (&job->e[part], g_free);
    }
  g_clear_pointer (&job->gram, g_free);
  g_clear_pointer (&job->gp, g_free);
  g_clear_pointer (&job->inv, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SweepJob, sweep_job_clear)

/* One half-iteration in one pass over @x's rows (in chunks, see
 * SweepJob): @a ← HALS (@a; @x · @other, @g); @gram ← @aᵀ@a; returns
 * ⟨@a, @x · @other⟩, and ⟨old @a, @x · @other⟩ in *@inner_before if
 * job->before.
 */
static double
sweep (SweepJob             *job,
       const EsSparseMatrix *x,
       const float          *other,
       const double         *g,
       double               *a,
       float                *copy,
       double               *gram,
       double               *inner_before)
{
  guint k = job->k;
  double inner, before;

  job->x = x;
  job->other = other;
  job->g = g;
  for (guint r = 0; r < k; r++)
    for (gsize c = 0; c < job->gs; c++)
      job->gp[r * job->gs + c] = c < k ? g[(gsize) r * k + c] : 0.0;
  job->a = a;
  job->copy = copy;
  split_chunks (job, x);
  for (guint r = 0; r < k; r++)
    job->inv[r] = g[(gsize) r * k + r] > 0 ? 1.0 / g[(gsize) r * k + r] : 0.0;
  g_atomic_int_set (&job->next, 0);
  _es_sparse_run_parallel (2, sweep_part, job);
  memcpy (gram, job->gram, (gsize) k * k * sizeof (double));
  for (guint c = 1; c < job->chunks; c++)
    for (gsize e = 0; e < (gsize) k * k; e++)
      gram[e] += job->gram[(gsize) c * k * k + e];
  inner = before = 0;
  for (guint c = 0; c < job->chunks; c++)
    {
      inner += job->inner[c];
      before += job->inner_before[c];
    }
  *inner_before = before;
  /* add_outer made the upper triangle. */
  for (guint r = 1; r < k; r++)
    for (guint c = 0; c < r; c++)
      gram[(gsize) r * k + c] = gram[(gsize) c * k + r];
  return inner;
}

/* @copy (n × stride) ← @a (n × k) in float32, rounding @a to it. */
static void
round_to_float (double *a,
                gsize   n,
                guint   k,
                float  *copy,
                gsize   stride)
{
  for (gsize i = 0; i < n; i++)
    for (guint r = 0; r < k; r++)
      {
        copy[i * stride + r] = (float) a[i * k + r];
        a[i * k + r] = copy[i * stride + r];
      }
}

/* Σ x and Σ x² over @x's entries, in four lanes added in a fixed order. */
static void
sum_entries (const EsSparseMatrix *x,
             double               *sum,
             double               *sum_sq)
{
  const float *v = es_sparse_matrix_get_values (x);
  guint64 nnz = es_sparse_matrix_get_nnz (x), p = 0;
  EsV4d s = { 0 }, sq = { 0 };

  for (; p + 4 <= nnz; p += 4)
    {
      EsV4d a = { v[p], v[p + 1], v[p + 2], v[p + 3] };

      s += a;
      sq += a * a;
    }
  *sum = (s[0] + s[1]) + (s[2] + s[3]);
  *sum_sq = (sq[0] + sq[1]) + (sq[2] + sq[3]);
  for (; p < nnz; p++)
    {
      *sum += v[p];
      *sum_sq += (double) v[p] * v[p];
    }
}

static void
gram (const double *a,
      gsize         n,
      guint         k,
      double       *g)
{
  cblas_dgemm (CblasRowMajor, CblasTrans, CblasNoTrans, k, k, n, 1.0, a, k, a, k, 0.0, g, k);
}

EsNmf *
es_nmf_compute (const EsSparseMatrix  *x,
                const EsNmfOptions    *options,
                GCancellable          *cancellable,
                EsProgressFunc         progress,
                gpointer               progress_data,
                GError               **error)
{
  g_autoptr(EsNmf) self = NULL;
  g_autoptr(EsSparseMatrix) xt = NULL;
  g_autofree float *wf = NULL;      /* rows × stride, zero padded */
  g_autofree float *htf = NULL;     /* cols × stride */
  g_autofree double *g = NULL;
  g_autofree double *f = NULL;
  g_auto(SweepJob) job = { 0 };
  EsNmfOptions defaults;
  gsize m = es_sparse_matrix_get_rows (x), n = es_sparse_matrix_get_cols (x);
  double norm_x, mean, loss, previous;
  guint k;
  gsize stride, gs;

  if (options == NULL)
    {
      es_nmf_options_init (&defaults);
      options = &defaults;
    }
  k = options->components;
  if (!es_sparse_matrix_is_nonnegative (x))
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "NMF needs a non-negative matrix, and this one has negative values "
                   "(weight it with ppmi or tfidf, or use counts)");
      return NULL;
    }
  if (k < 1 || k >= MIN (m, n))
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "%u components need a matrix larger than %" G_GSIZE_FORMAT " × %" G_GSIZE_FORMAT
                   " (at most %" G_GSIZE_FORMAT ")", k, m, n, MIN (m, n) - 1);
      return NULL;
    }

  self = g_new0 (EsNmf, 1);
  self->rows = m;
  self->cols = n;
  self->k = k;
  self->losses = g_array_new (FALSE, FALSE, sizeof (double));
  /* The float32 factors' rows are whole vectors of four wide, the
   * double rows of the sweep (P, its residual, G) whole vectors of eight
   * with AVX-512: at k = 10, 12 floats a row, not 16, are gathered and
   * summed per entry.
   */
  stride = gs = (k + 3) / 4 * 4;
#ifdef HAVE_AVX2_SWEEP
  if (use_avx512 (k))
    gs = (k + 7) / 8 * 8;
#endif
  /* On huge pages: at k = 50 their 4 kB faults alone took ~0.1 s. */
  if (!(self->w = _es_alloc_huge (m, (guint64) k * sizeof (double), FALSE, "The NMF factors", error)) ||
      !(self->ht = _es_alloc_huge (n, (guint64) k * sizeof (double), FALSE, "The NMF factors", error)) ||
      !(wf = _es_alloc_huge (m, (guint64) stride * sizeof (float), TRUE, "The NMF factors", error)) ||
      !(htf = _es_alloc_huge (n, (guint64) stride * sizeof (float), TRUE, "The NMF factors", error)) ||
      !(xt = es_sparse_matrix_transpose (x, error)))
    return NULL;
  g = g_new (double, (gsize) k * k);
  f = g_new (double, (gsize) k * k);
  job.k = k;
  job.stride = stride;
  job.gs = gs;
  job.inv = g_new (double, k);
  /* Up to 32 chunks, their Gram matrices within 2 MB. */
  job.chunks = (guint) CLAMP ((2u << 20) / ((guint64) k * k * sizeof (double)), 2, ES_NMF_MAX_CHUNKS);
  job.gram = g_new (double, (gsize) job.chunks * k * k);
  job.gp = g_new (double, (gsize) k * gs);
  for (guint part = 0; part < 2; part++)
    {
      job.p[part] = g_new0 (double, 2 * gs);
      job.e[part] = g_new (double, 2 * gs);
    }

  sum_entries (x, &mean, &norm_x);
  mean /= (double) m * n;

  if (options->init == ES_NMF_INIT_NNDSVDA)
    {
      if (!init_nndsvd (self, x, xt, mean, options->seed, error))
        return NULL;
    }
  else
    {
      guint64 state = options->seed;
      double scale = sqrt (mean / k);

      for (gsize i = 0; i < n * k; i++)
        self->ht[i] = scale * fabs (_es_sparse_rand_normal (&state));
      for (gsize i = 0; i < m * k; i++)
        self->w[i] = scale * fabs (_es_sparse_rand_normal (&state));
    }

  round_to_float (self->w, m, k, wf, stride);
  round_to_float (self->ht, n, k, htf, stride);

  gram (self->w, m, k, f);
  gram (self->ht, n, k, g);
  loss = 0;
  for (guint it = 0; it < MAX (options->max_iterations, 1); it++)
    {
      double inner_ht_q, before, fg = cblas_ddot (k * k, f, 1, g, 1);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      /* W from P = X Ht and G = HtᵀHt, giving F = WᵀW; then Ht from
       * Q = Xᵀ W and F, giving G and ⟨Ht, Q⟩ for the loss.  The first
       * pass also gives ⟨W, P⟩ of the initial W: the initial loss
       * without a product of its own.
       */
      job.before = it == 0;
      sweep (&job, x, htf, g, self->w, wf, f, &before);
      if (it == 0)
        {
          loss = norm_x - 2 * before + fg;
          g_array_append_val (self->losses, loss);
        }
      inner_ht_q = sweep (&job, xt, wf, f, self->ht, htf, g, &before);

      previous = loss;
      loss = norm_x - 2 * inner_ht_q + cblas_ddot (k * k, f, 1, g, 1);
      g_array_append_val (self->losses, loss);
      self->iterations = it + 1;
      if (progress != NULL)
        progress ((double) (it + 1) / MAX (options->max_iterations, 1), progress_data);
      if (options->tolerance > 0 && previous - loss < options->tolerance * previous)
        {
          self->converged = TRUE;
          break;
        }
    }

  return g_steal_pointer (&self);
}
