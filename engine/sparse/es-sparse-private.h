/* es-sparse-private.h: shared by engine/sparse's split files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "es-engine-types.h"
#include "es-sparse-matrix.h"
#include "es-sparse-svd.h"
#include "es-tokenizer.h"

G_BEGIN_DECLS

/* ---- whole lines of a file, block by block (es-line-source.c) ----
 * A plain file is mapped and handed out in place; a gzip file (by its
 * magic, never its name) is inflated block by block, so neither is ever
 * whole in memory beyond the mapping.  Each block ends at a line break
 * (or the end of the file); *first_line is the 1-based number of its
 * first line.
 */
typedef struct _EsLineSource EsLineSource;

EsLineSource *_es_line_source_open     (const char    *path,
                                        gsize          block_size,
                                        GError       **error);
gboolean      _es_line_source_next     (EsLineSource  *self,
                                        const char   **data,
                                        gsize         *len,
                                        guint64       *first_line,
                                        GError       **error);
double        _es_line_source_fraction (EsLineSource  *self);
gboolean      _es_line_source_is_gzip  (EsLineSource  *self);
void          _es_line_source_free     (EsLineSource  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsLineSource, _es_line_source_free)

/* The tokeniser's definition, one character at a time, without the ASCII
 * fast path of es_tokenize_foreach (tests compare the two).
 */
gsize _es_tokenize_foreach_reference (const char  *text,
                                      gsize        len,
                                      GString     *scratch,
                                      EsTokenFunc  func,
                                      gpointer     user_data);

/* Tests: the pair entries counted per sweep over the rows (0: the
 * default); a value set also turns off the 16-bit entries, so the tests
 * cover both widths.
 */
void _es_cooccur_set_pair_buffer (gsize keys);

/* ---- threads: run @func (index, data) for index 0..n-1 on up to two cores ---- */
typedef void (*EsSparseTask) (guint    index,
                              gpointer data);
void _es_sparse_run_parallel (guint        n,
                              EsSparseTask func,
                              gpointer     data);
guint _es_sparse_n_threads   (void);
/* Tests: force one thread (1) or the default (0). */
void _es_sparse_set_n_threads (guint n);

/* ---- sparse × thin dense products (es-sparse-spmm.c) ----
 * @y (rows × @width) = @a · @x (cols × @width), both row-major with stride
 * @width; float32 input, float32 or double sums.  On up to two threads,
 * with the same result on one.
 */
void _es_sparse_spmm_float  (const EsSparseMatrix *a,
                             const float          *x,
                             gsize                 width,
                             float                *y);
void _es_sparse_spmm_double (const EsSparseMatrix *a,
                             const float          *x,
                             gsize                 width,
                             double               *y);
/* The row where half of @a's entries are done: the two threads' parts. */
gsize _es_sparse_split_rows (const EsSparseMatrix *a);

/* A deterministic generator (splitmix64) for seeded algorithms. */
static inline guint64
_es_sparse_rand_next (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}
double _es_sparse_rand_normal (guint64 *state);

/* ---- the SVD's pieces (es-sparse-svd.c, es-sparse-krylov.c) ---- */
/* @out[i] = the i-th standard normal from @seed, on two threads. */
void     _es_sparse_fill_normal     (float          *out,
                                     guint64         n,
                                     guint64         seed);
/* @out[i] = ±1, the i-th random sign from @seed, on two threads. */
void     _es_sparse_fill_signs      (float          *out,
                                     guint64         n,
                                     guint64         seed);
/* @y (rows × l, row-major) ← an orthonormal basis of its columns in
 * float32: one Cholesky QR (Gram in double), Householder when @y is
 * ill-conditioned (then *@householder, if given, is TRUE).
 */
gboolean _es_sparse_normalize_float (float          *y,
                                     gsize           rows,
                                     guint           l,
                                     gboolean       *householder,
                                     GError        **error);
/* @y (rows(a) × l) ← the top-@l Ritz vectors of A Aᵀ on the block Krylov
 * space [A Ω, (A Aᵀ) A Ω, …, (A Aᵀ)^q A Ω], Ω cols × @block random signs from
 * @seed, l ≤ block·(q + 1) ≤ min (rows, cols).
 */
gboolean _es_sparse_krylov_range    (const EsSparseMatrix *a,
                                     const EsSparseMatrix *at,
                                     guint           block,
                                     guint           q,
                                     guint           l,
                                     guint64         seed,
                                     float          *y,
                                     GCancellable   *cancellable,
                                     EsProgressFunc  progress,
                                     gpointer        progress_data,
                                     GError        **error);

/* es_sparse_svd_compute () with A's transpose @at given (or NULL: made
 * here), and the residual check (one more product by A) only if @check
 * (else the max residual is NaN).
 */
EsSparseSvd *_es_sparse_svd_compute_with (const EsSparseMatrix     *a,
                                          const EsSparseMatrix     *at,
                                          gboolean                  check,
                                          const EsSparseSvdOptions *options,
                                          GCancellable             *cancellable,
                                          EsProgressFunc            progress,
                                          gpointer                  progress_data,
                                          GError                  **error);

/* @count × @size bytes (checked against the memory ceiling), aligned to
 * and advised for huge pages when 512 kB or more (rounded up to a whole
 * 2 MB); zeroed if @zero.  Free
 * with g_free (), resize with g_realloc ().
 */
gpointer _es_alloc_huge (guint64      count,
                         guint64      size,
                         gboolean     zero,
                         const char  *what,
                         GError     **error);

/* madvise (MADV_HUGEPAGE) on the whole 2 MB pages inside [p, p + bytes). */
void     _es_advise_huge_pages (gpointer        p,
                                gsize           bytes);

G_END_DECLS

/* es-sparse-tall.c: BLAS on tall row-major matrices, split into two
 * fixed row halves (one per thread; the same result on one thread).
 * C (m × n) = Aᵀ B over @rows rows; C = α A B + β C (A rows × k); G (n × n,
 * upper) = AᵀA; Y ← Y R⁻¹ (R n × n upper); C = A B or A Bᵀ in double.
 */
void _es_sparse_tall_sgemm_tn (gsize rows, guint m, guint n, const float *a, gsize lda, const float *b,
                               gsize ldb, float *c);
void _es_sparse_tall_sgemm_nn (gsize rows, guint n, guint k, float alpha, const float *a, gsize lda,
                               const float *b, gsize ldb, float beta, float *c, gsize ldc);
void _es_sparse_tall_ssyrk    (gsize rows, guint n, const float *a, float *g);
void _es_sparse_tall_strsm    (gsize rows, guint n, const float *r, float *y);
void _es_sparse_tall_dsyrk    (gsize rows, guint n, const double *a, double *g);
void _es_sparse_tall_dtrsm    (gsize rows, guint n, const double *r, double *y);
void _es_sparse_tall_dgemm    (gsize rows, gboolean trans_b, guint n, guint k, const double *a, gsize lda,
                               const double *b, gsize ldb, double *c, gsize ldc);
