/* es-sparse-krylov.c: the block Krylov range finder of the truncated SVD
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Randomized block Krylov iteration (Musco & Musco 2015, "Randomized
 * block Krylov methods for stronger and faster approximate singular value
 * decomposition", algorithm 2): instead of keeping only the last block
 * (A Aᵀ)^q A Ω as subspace iteration does, keep every block of the Krylov
 * space and take the Ritz vectors of A Aᵀ on it.  Its error falls with
 * the square root of the spectral gap where subspace iteration's falls
 * with the gap itself, which is what a flat spectrum (PPMI matrices:
 * σ100 / σ120 ≈ 1.02 on Brown) needs.
 *
 * Each new block W = A (Aᵀ Y_i) is orthogonalised against every earlier
 * block once, or twice where needed (block Gram-Schmidt, BLAS 3; see
 * project_out), and then
 * within itself; the coefficients Y_jᵀ W are the blocks T_ji of the
 * projected matrix T = Qᵀ A Aᵀ Q (symmetric, so its upper half is all we
 * need).  The blocks are float32 (their products with A are ours, AVX2 or AVX-512),
 * T and its eigenvectors double (LAPACKE).  The top Ritz vectors are then
 * handed to es-sparse-svd.c's final step, which re-orthonormalises them
 * in double and takes the SVD of Aᵀ Q.
 */

#define G_LOG_DOMAIN "es-sparse"

#include "config.h"

#include "es-sparse-private.h"
#include "es-cooccur-private.h"

#include "es-engine-error.h"
#include "es-memory.h"

#include <lapacke.h>
#include <math.h>
#include <string.h>

/* The squared norms of @w's @b columns (rows × b, row-major). */
static void
column_norms_sq (const float *w,
                 gsize        rows,
                 guint        b,
                 double      *sq)
{
  memset (sq, 0, b * sizeof (double));
  for (gsize i = 0; i < rows; i++)
    for (guint c = 0; c < b; c++)
      sq[c] += (double) w[i * b + c] * w[i * b + c];
}

/* Reorthogonalise when a column kept less than this share of its norm
 * (see project_out).
 */
#define KEPT_MIN 1e-3

/* W (rows × b) -= Q_c (Q_cᵀ W), Q_c = the first @cols columns of the
 * basis @basis (rows × d); two tall products per pass (es-sparse-tall.c:
 * one per row half and thread), not one per block.  The coefficients are added to
 * column block @col of @t (d × d, row-major) when @t is given.
 *
 * One pass of classical Gram-Schmidt leaves a column that kept a share
 * κ of its norm about u/κ off orthogonal (u = 6e-8 in float32; Daniel,
 * Gragg, Kaufman & Stewart 1976 reorthogonalise below κ = 1/√2 to keep
 * it at u).  The Ritz values need far less: the basis only chooses the
 * subspace, and the final Rayleigh-Ritz step in double is exact for
 * whatever subspace it gets.  So a second pass runs only when some
 * column kept less than KEPT_MIN (orthogonality worse than ~6e-5).  The
 * share is taken of the largest column seen so far (*@scale_sq, about
 * σ1²), not of the column itself: when the Krylov space runs out (a
 * low-rank matrix), W = A Aᵀ Y is rounding noise of size u σ1² whose
 * "kept share" of itself says nothing.  Once a block needed the second
 * pass, *@twice is set and every later block gets two: a block made
 * from rounding noise and normalised carries that noise's
 * non-orthogonality into the next products (a rank-3 test matrix loses
 * 0.5 % of σ1 otherwise).  On the Brown PPMI no block needs the second
 * pass (1.5e-4 from ARPACK either way; the smallest share kept is
 * 6.5e-3), and the passes were half of the SVD's BLAS time.
 */
static void
project_out (const float *basis,
             gboolean    *twice,
             gsize        d,
             gsize        cols,
             float       *w,
             gsize        rows,
             guint        b,
             double      *t,
             guint        col,
             float       *h,
             double      *scale_sq)
{
  g_autofree double *before = g_new (double, b);
  g_autofree double *after = g_new (double, b);

  if (!*twice)
    {
      column_norms_sq (w, rows, b, before);
      for (guint c = 0; c < b; c++)
        *scale_sq = MAX (*scale_sq, before[c]);
    }
  for (guint pass = 0; pass < 2; pass++)
    {
      _es_sparse_tall_sgemm_tn (rows, cols, b, basis, d, w, b, h);
      _es_sparse_tall_sgemm_nn (rows, b, cols, -1.0f, basis, d, h, b, 1.0f, w, b);
      if (t != NULL)
        for (gsize r = 0; r < cols; r++)
          for (guint c = 0; c < b; c++)
            t[r * d + (gsize) col * b + c] += h[r * b + c];
      if (pass == 0 && !*twice)
        {
          gboolean enough = TRUE;

          column_norms_sq (w, rows, b, after);
          for (guint c = 0; c < b && enough; c++)
            enough = after[c] >= KEPT_MIN * KEPT_MIN * *scale_sq;
          if (enough)
            break;
          *twice = TRUE;
        }
    }
}

/* Columns [col·b, col·b + b) of @basis (rows × d) ← @block (rows × b). */
static void
store_block (float       *basis,
             gsize        d,
             guint        col,
             const float *block,
             gsize        rows,
             guint        b)
{
  for (gsize i = 0; i < rows; i++)
    memcpy (basis + i * d + (gsize) col * b, block + i * b, b * sizeof (float));
}

gboolean
_es_sparse_krylov_range (const EsSparseMatrix *a,
                         const EsSparseMatrix *at,
                         guint                 b,
                         guint                 q,
                         guint                 l,
                         guint64               seed,
                         float                *y,
                         GCancellable         *cancellable,
                         EsProgressFunc        progress,
                         gpointer              progress_data,
                         GError              **error)
{
  gsize m = es_sparse_matrix_get_rows (a), n = es_sparse_matrix_get_cols (a);
  gsize d = (gsize) b * (q + 1);
  g_autofree float *basis = NULL;   /* rows × d: Y_0 … Y_q */
  g_autofree float *block = NULL;   /* rows × b: the current Y_i */
  g_autofree float *z = NULL;       /* cols × b */
  g_autofree float *w = NULL;       /* rows × b */
  g_autofree float *h = NULL;       /* d × b */
  g_autofree double *t = NULL;      /* d × d */
  g_autofree float *tf = NULL;      /* T in float32 */
  g_autofree float *lambda = NULL;
  g_autofree float *vectors = NULL;  /* T's top l eigenvectors, ascending, column-major (d × l) */
  g_autofree lapack_int *isuppz = NULL;
  lapack_int found = 0;
  g_autofree float *s = NULL;       /* d × l: the top Ritz vectors' coefficients */
  gboolean householder = FALSE;
  double scale_sq = 0;
  gboolean twice = FALSE, twice_always = TRUE;
  lapack_int info;

  g_return_val_if_fail (l <= d && d <= MIN (m, n), FALSE);

  if (!(basis = _es_alloc_huge (m, (guint64) d * sizeof (float), FALSE, "The Krylov basis", error)) ||
      !(block = _es_alloc_huge (m, (guint64) b * sizeof (float), FALSE, "The Krylov basis", error)) ||
      !(z = _es_alloc_huge (n, (guint64) b * sizeof (float), FALSE, "The Krylov basis", error)) ||
      !(w = _es_alloc_huge (m, (guint64) b * sizeof (float), FALSE, "The Krylov basis", error)) ||
      !(t = _es_alloc_huge (d, d * sizeof (double), TRUE, "The Krylov projection", error)))
    return FALSE;
  h = g_new (float, d * b);

  /* Y_0 = orth (A Ω), Ω random signs (Rademacher) rather than normals:
   * any start with a component along each top singular vector will do,
   * and signs cost a fifth of Box–Muller's logs and sines.  Measured on
   * Brown's PPMI against ARPACK, max σ error at 3 iterations 4.53e-2
   * (normals 4.56e-2), at 8 2.2e-4 (normals 1.6e-4).
   */
  _es_sparse_fill_signs (z, (guint64) n * b, seed);
  _es_sparse_spmm_float (a, z, b, block);
  if (!_es_sparse_normalize_float (block, m, b, NULL, error) ||
      !_es_sparse_normalize_float (block, m, b, NULL, error))
    return FALSE;
  store_block (basis, d, 0, block, m, b);

  for (guint i = 0; i <= q; i++)
    {
      gboolean again = FALSE;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      /* W = A Aᵀ Y_i; its coefficients on Y_0 … Y_i are T's column block i. */
      _es_sparse_spmm_float (at, block, b, z);
      _es_sparse_spmm_float (a, z, b, w);
      project_out (basis, &twice, d, (gsize) (i + 1) * b, w, m, b, t, i, h, &scale_sq);
      if (i < q)
        {
          /* Y_{i+1} = orth (W) (CholeskyQR2).  A block that lost its rank
           * (the space is exhausted) comes out of Householder as any
           * orthonormal columns, so it is made orthogonal to the others
           * once more.
           */
          memcpy (block, w, m * b * sizeof (float));
          if (!_es_sparse_normalize_float (block, m, b, &householder, error) ||
              !_es_sparse_normalize_float (block, m, b, &again, error))
            return FALSE;
          if (householder || again)
            {
              project_out (basis, &twice_always, d, (gsize) (i + 1) * b, block, m, b, NULL, 0, h, &scale_sq);
              if (!_es_sparse_normalize_float (block, m, b, NULL, error))
                return FALSE;
            }
          store_block (basis, d, i + 1, block, m, b);
        }
      if (progress != NULL)
        progress (0.85 * (i + 1) / (q + 1), progress_data);
    }

  /* T: the upper block triangle was computed; mirror it (averaging the
   * two halves of each diagonal block).  Only the top l eigenpairs are
   * needed: ssyevr (MRRR) finds them after the tridiagonal reduction
   * for a fraction of the cost for all d (d = 936 by default).  In
   * float32: T's entries are float32 sums already, and the eigenvectors
   * only pick the subspace Y, whose singular values are then found in
   * double (Brown: σ moves by < 1e-7 relative against dsyevr, in about
   * half its time).  T is symmetric, so its row-major upper half is the
   * column-major lower half LAPACK reads without a transposed copy.
   */
  for (gsize r = 0; r < d; r++)
    for (gsize c = 0; c < r; c++)
      {
        if (r / b > c / b)
          t[r * d + c] = t[c * d + r];
        else
          t[r * d + c] = t[c * d + r] = 0.5 * (t[r * d + c] + t[c * d + r]);
      }
  tf = g_new (float, d * d);
  for (gsize e = 0; e < d * d; e++)
    tf[e] = (float) t[e];
  lambda = g_new (float, d);
  vectors = g_new (float, d * l);
  isuppz = g_new (lapack_int, 2 * (gsize) l);
  info = LAPACKE_ssyevr (LAPACK_COL_MAJOR, 'V', 'I', 'L', d, tf, d, 0, 0, d - l + 1, d, 0, &found,
                         lambda, vectors, d, isuppz);
  if (info == 0 && found != (lapack_int) l)
    info = -1;
  if (info != 0)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC,
                   "The Krylov eigenproblem did not converge (LAPACK info %d)", (int) info);
      return FALSE;
    }

  /* Y = Q S, S = the eigenvectors of the l largest eigenvalues. */
  s = g_new (float, d * l);
  for (gsize r = 0; r < d; r++)
    for (guint c = 0; c < l; c++)
      s[r * l + c] = vectors[(l - 1 - c) * d + r];
  _es_sparse_tall_sgemm_nn (m, l, d, 1.0f, basis, d, s, l, 0.0f, y, l);
  return TRUE;
}
