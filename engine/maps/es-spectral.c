/* es-spectral.c: UMAP's spectral start, the low eigenvectors of the graph
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The smallest non-trivial eigenvectors of the normalised Laplacian
 * L = I − D^-1/2 A D^-1/2 are the largest of M = D^-1/2 A D^-1/2 after the
 * trivial D^1/2 1 (eigenvalue 1).  Small graphs: M dense through
 * LAPACKE_dsyevr.  Others: Lanczos restricted to the complement of D^1/2 1,
 * in blocks of dims vectors (so that a repeated eigenvalue, as on a
 * symmetric graph, shows all its vectors), with full reorthogonalisation
 * (classical Gram-Schmidt twice; the coefficients fill the projected matrix
 * H = Vᵀ M V column by column) and thick restarts (Wu & Simon 2000): the
 * wanted Ritz vectors and the block past the basis are kept and the basis
 * grows again.  Convergence is judged on explicit residuals.
 * The small projected problems go to LAPACKE_dsyevr.
 *
 * Every reduction (dot products in fixed blocks of 4096, summed in order;
 * the sparse product row by row) is independent of the thread count.
 */

#define G_LOG_DOMAIN "es-umap"

#include "config.h"

#include "es-umap-private.h"

#include "es-engine-error.h"
#include "es-memory.h"
#include "es-worker.h"

#include <lapacke.h>
#include <math.h>
#include <string.h>

#define DENSE_MAX_N       400
#define DOT_BLOCK         4096
#define MAX_MATVECS       4000

/* Level-1 work is ours, not OpenBLAS's: on long vectors OpenBLAS hands each
 * ddot/daxpy to its thread pool, and on a loaded machine those hand-offs
 * (threads spinning for a core) made the spectral start 5-7 times slower
 * (en30k: 6.6-9.6 s against 1.3 s single-threaded, load 10).  Our loops
 * also sum in a fixed order, whatever the thread count.
 */
static double
dot_block (const double *x,
           const double *y,
           gsize         n)
{
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  gsize i = 0;

  for (; i + 4 <= n; i += 4)
    {
      s0 += x[i] * y[i];
      s1 += x[i + 1] * y[i + 1];
      s2 += x[i + 2] * y[i + 2];
      s3 += x[i + 3] * y[i + 3];
    }
  for (; i < n; i++)
    s0 += x[i] * y[i];
  return (s0 + s1) + (s2 + s3);
}

static double
vdot (const double *x,
      const double *y,
      gsize         n)
{
  double s = 0;

  for (gsize i = 0; i < n; i += DOT_BLOCK)
    s += dot_block (x + i, y + i, MIN (DOT_BLOCK, n - i));
  return s;
}

static void
vaxpy (gsize         n,
       double        a,
       const double *x,
       double       *y)
{
  for (gsize i = 0; i < n; i++)
    y[i] += a * x[i];
}

static void
vscal (gsize   n,
       double  a,
       double *x)
{
  for (gsize i = 0; i < n; i++)
    x[i] *= a;
}

typedef struct
{
  const EsUmapGraph *graph;
  const double      *scale;    /* D^-1/2 */
  const double      *x;
  double            *y;
  gsize              first, last;
} MatvecPart;

static gpointer
matvec_part (gpointer data)
{
  MatvecPart *p = data;

  for (gsize i = p->first; i < p->last; i++)
    {
      double s = 0;

      for (guint64 e = p->graph->row_ptr[i]; e < p->graph->row_ptr[i + 1]; e++)
        s += p->graph->val[e] * p->scale[p->graph->col[e]] * p->x[p->graph->col[e]];
      p->y[i] = s * p->scale[i];
    }
  return NULL;
}

static gpointer
matvec_thread (gpointer data)
{
  es_worker_enter ();
  return matvec_part (data);
}

static void
matvec (const EsUmapGraph *graph,
        const double      *scale,
        guint              n_threads,
        const double      *x,
        double            *y)
{
  MatvecPart parts[2];
  GThread *thread = NULL;
  guint t = graph->n >= 20000 && n_threads > 1 ? 2 : 1;

  for (guint i = 0; i < t; i++)
    parts[i] = (MatvecPart) { graph, scale, x, y, graph->n * i / t, graph->n * (i + 1) / t };
  if (t > 1)
    thread = g_thread_new ("es-spectral", matvec_thread, &parts[1]);
  matvec_part (&parts[0]);
  if (thread != NULL)
    g_thread_join (thread);
}

/* Removes from @w its components along @trivial and the first @j columns
 * of @basis (n doubles each): classical Gram-Schmidt, twice (CGS2, as
 * stable as modified Gram-Schmidt for orthogonality).  Each pass reads the
 * basis once, a block of DOT_BLOCK rows at a time with that block of @w in
 * cache: all the coefficients first, then all the subtractions.  Adds the
 * coefficients to @h.
 */
static void
orthogonalize (double       *basis,
               gsize         n,
               guint         j,
               const double *trivial,
               double       *w,
               double       *h)
{
  g_autofree double *c = g_new (double, j + 1);

  for (int pass = 0; pass < 2; pass++)
    {
      memset (c, 0, (j + 1) * sizeof (double));
      for (gsize b = 0; b < n; b += DOT_BLOCK)
        {
          gsize len = MIN (DOT_BLOCK, n - b);

          c[0] += dot_block (trivial + b, w + b, len);
          for (guint i = 0; i < j; i++)
            c[i + 1] += dot_block (basis + i * n + b, w + b, len);
        }
      for (gsize b = 0; b < n; b += DOT_BLOCK)
        {
          gsize len = MIN (DOT_BLOCK, n - b);

          vaxpy (len, -c[0], trivial + b, w + b);
          for (guint i = 0; i < j; i++)
            vaxpy (len, -c[i + 1], basis + i * n + b, w + b);
        }
      if (h != NULL)
        for (guint i = 0; i < j; i++)
          h[i] += c[i + 1];
    }
}

static void
add_random (double       *basis,
            gsize         n,
            guint         j,
            const double *trivial,
            guint64       seed,
            guint64       stream)
{
  double *v = basis + (gsize) j * n;
  double b;

  for (gsize i = 0; i < n; i++)
    v[i] = _es_umap_normal (seed, 0x5EC7 + stream, i);
  orthogonalize (basis, n, j, trivial, v, NULL);
  b = sqrt (vdot (v, v, n));
  vscal (n, 1 / b, v);
}

static gboolean
dense_embed (const EsUmapGraph *graph,
             const double      *scale,
             guint              dims,
             double            *out,
             double            *eigenvalues,
             GError           **error)
{
  gsize n = graph->n;
  g_autofree double *m = g_new0 (double, n * n);
  g_autofree double *w = g_new (double, n);
  g_autofree double *z = g_new (double, n * (dims + 1));
  g_autofree lapack_int *isuppz = g_new (lapack_int, 2 * (dims + 1));
  lapack_int found = 0, info;

  for (gsize i = 0; i < n; i++)
    for (guint64 e = graph->row_ptr[i]; e < graph->row_ptr[i + 1]; e++)
      m[i * n + graph->col[e]] = scale[i] * graph->val[e] * scale[graph->col[e]];

  /* The dims + 1 largest; the largest is the trivial one. */
  info = LAPACKE_dsyevr (LAPACK_ROW_MAJOR, 'V', 'I', 'U', n, m, n, 0, 0,
                         n - dims, n, 0, &found, w, z, dims + 1, isuppz);
  if (info != 0 || found != (lapack_int) dims + 1)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC,
                   "LAPACKE_dsyevr failed on the graph Laplacian (info %d)", (int) info);
      return FALSE;
    }
  /* Ascending order: column dims is the trivial one; take the next ones down. */
  for (guint c = 0; c < dims; c++)
    {
      guint src = dims - 1 - c;

      for (gsize i = 0; i < n; i++)
        out[i * dims + c] = z[i * (dims + 1) + src];
      if (eigenvalues != NULL)
        eigenvalues[c] = w[src];
    }
  return TRUE;
}

gboolean
_es_spectral_embed (const EsUmapGraph *graph,
                    guint              dims,
                    guint64            seed,
                    double             tol,
                    guint              n_threads,
                    GCancellable      *cancellable,
                    double            *out,
                    double            *eigenvalues,
                    GError           **error)
{
  gsize n = graph->n;
  g_autofree double *scale = NULL, *trivial = NULL, *basis = NULL, *w = NULL;
  g_autofree double *h = NULL, *hs = NULL, *theta = NULL, *s = NULL, *ritz = NULL, *col = NULL;
  g_autofree lapack_int *isuppz = NULL;
  guint p = dims + 3;              /* kept at each restart */
  guint m;                          /* basis size before a restart */
  guint bs;                         /* block size */
  guint j, filled, n_matvecs = 0;
  double norm = 0;

  g_return_val_if_fail (dims >= 1, FALSE);

  if (n < dims + 2)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC,
                   "%" G_GSIZE_FORMAT " points are too few for a spectral layout", n);
      return FALSE;
    }

  if (!(scale = es_memory_try_alloc (n, sizeof (double), "The spectral layout", error)) ||
      !(trivial = es_memory_try_alloc (n, sizeof (double), "The spectral layout", error)) ||
      !(w = es_memory_try_alloc (n, sizeof (double), "The spectral layout", error)))
    return FALSE;

  for (gsize i = 0; i < n; i++)
    {
      double d = 0;

      for (guint64 e = graph->row_ptr[i]; e < graph->row_ptr[i + 1]; e++)
        d += graph->val[e];
      if (!(d > 0))
        {
          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC,
                       "the graph has an isolated point (row %" G_GSIZE_FORMAT ")", i);
          return FALSE;
        }
      scale[i] = 1 / sqrt (d);
      trivial[i] = sqrt (d);
      norm += d;
    }
  for (gsize i = 0; i < n; i++)
    trivial[i] /= sqrt (norm);

  if (n <= DENSE_MAX_N)
    return dense_embed (graph, scale, dims, out, eigenvalues, error);

  bs = dims;
  m = MIN (n - 1 - bs, MAX (3 * p + bs, 48));
  if (m < p + 2 * bs)
    return dense_embed (graph, scale, dims, out, eigenvalues, error);
  /* Past 64 MB of basis, fewer vectors (slower convergence, bounded
   * memory), but at least 20: with 13 (1M rows), each restart kept 5 and
   * added 6, and the start needed about twice the products.
   */
  while (m > p + 3 * bs && m + bs > 20 && (guint64) (m + bs) * n * sizeof (double) > 64ull << 20)
    m--;

  if (!(basis = es_memory_try_alloc ((guint64) (m + bs) * n, sizeof (double), "The spectral layout", error)) ||
      !(ritz = es_memory_try_alloc ((guint64) p * n, sizeof (double), "The spectral layout", error)))
    return FALSE;
  h = g_new0 (double, (m + bs) * (m + bs));
  hs = g_new (double, m * m);
  theta = g_new (double, m);
  s = g_new (double, m * m);
  col = g_new (double, m + bs);
  isuppz = g_new (lapack_int, 2 * m);

  /* Start: bs seeded random vectors in the complement of the trivial one
   * (a block, so that an eigenvalue of multiplicity up to bs, as on
   * symmetric graphs, shows all its vectors).
   */
  for (filled = 0; filled < bs; filled++)
    add_random (basis, n, filled, trivial, seed, filled);

  j = 0;
  for (;;)
    {
      lapack_int found = 0, info;
      double worst = 0;
      guint k;

      /* Grow: column j of H = Vᵀ M v_j, and M v_j (orthogonalised) is the
       * next vector of the block Krylov sequence.
       */
      for (; j < m; j++)
        {
          double *v = basis + (gsize) j * n;
          double norm_w;

          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          memset (col, 0, (m + bs) * sizeof (double));
          matvec (graph, scale, n_threads, v, w);
          n_matvecs++;
          norm_w = sqrt (vdot (w, w, n));
          orthogonalize (basis, n, filled, trivial, w, col);
          for (guint i = 0; i < filled; i++)
            h[i * (m + bs) + j] = h[j * (m + bs) + i] = col[i];
          if (filled < m + bs)
            {
              double beta = sqrt (vdot (w, w, n));

              if (beta <= 1e-10 * MAX (norm_w, 1e-300))
                add_random (basis, n, filled, trivial, seed, 1000 + n_matvecs);
              else
                {
                  memcpy (basis + (gsize) filled * n, w, n * sizeof (double));
                  vscal (n, 1 / beta, basis + (gsize) filled * n);
                }
              filled++;
            }
        }

      /* The projected problem: the p largest Ritz pairs. */
      for (guint r = 0; r < m; r++)
        for (guint c = 0; c < m; c++)
          hs[r * m + c] = h[r * (m + bs) + c];
      k = MIN (p, m);
      info = LAPACKE_dsyevr (LAPACK_ROW_MAJOR, 'V', 'I', 'U', m, hs, m, 0, 0,
                             m - k + 1, m, 0, &found, theta, s, m, isuppz);
      if (info != 0 || found != (lapack_int) k)
        {
          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC,
                       "LAPACKE_dsyevr failed on the Lanczos matrix (info %d)", (int) info);
          return FALSE;
        }

      /* Ritz vectors: basis[0..m) × s, the k largest (ascending); a thin
       * product (k ≤ 6 columns), in blocks so that ritz stays in cache.
       */
      memset (ritz, 0, (gsize) k * n * sizeof (double));
      for (gsize b = 0; b < n; b += DOT_BLOCK)
        for (guint q = 0; q < k; q++)
          for (guint r = 0; r < m; r++)
            vaxpy (MIN (DOT_BLOCK, n - b), s[r * m + q], basis + (gsize) r * n + b, ritz + (gsize) q * n + b);

      /* Explicit residuals ||M x − θ x|| of the wanted ones. */
      for (guint q = k - dims; q < k; q++)
        {
          matvec (graph, scale, n_threads, ritz + (gsize) q * n, w);
          n_matvecs++;
          vaxpy (n, -theta[q], ritz + (gsize) q * n, w);
          worst = MAX (worst, sqrt (vdot (w, w, n)));
        }

      if (worst < tol || n_matvecs >= MAX_MATVECS)
        {
          if (!(worst < tol))
            {
              g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC,
                           "the spectral layout did not converge in %u products (residual %.2g)",
                           n_matvecs, worst);
              return FALSE;
            }
          for (guint c = 0; c < dims; c++)
            {
              guint q = k - 1 - c;

              for (gsize i = 0; i < n; i++)
                out[i * dims + c] = ritz[q * n + i];
              if (eigenvalues != NULL)
                eigenvalues[c] = theta[q];
            }
          g_debug ("spectral layout: basis %u, %u products, residual %.2g", m + bs, n_matvecs, worst);
          return TRUE;
        }

      /* Thick restart: the k Ritz vectors (H becomes diag (theta) there),
       * then the bs vectors past the basis, whose H entries the next
       * columns fill.
       */
      memmove (basis + (gsize) k * n, basis + (gsize) m * n, (gsize) bs * n * sizeof (double));
      memcpy (basis, ritz, (gsize) k * n * sizeof (double));
      memset (h, 0, (m + bs) * (m + bs) * sizeof (double));
      for (guint q = 0; q < k; q++)
        h[q * (m + bs) + q] = theta[q];
      j = k;
      filled = k + bs;
    }
}
