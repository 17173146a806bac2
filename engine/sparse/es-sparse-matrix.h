/* es-sparse-matrix.h: a compressed sparse row matrix with labels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _EsSparseMatrix EsSparseMatrix;

/* CSR: row i's entries are columns[offsets[i] .. offsets[i + 1]) (strictly
 * increasing) with their float32 values.  Offsets are 64-bit, so a matrix
 * may hold more than 4G entries; column indices are 32-bit.  Rows and
 * columns may carry labels (words, documents).  Immutable once shared.
 */
EsSparseMatrix *es_sparse_matrix_new             (gsize                  rows,
                                                  gsize                  cols,
                                                  guint64                nnz,
                                                  GError               **error);
/* Entries in any order; duplicates are summed and counted in
 * *n_duplicates.  Indices are 0-based and must be in range.
 */
EsSparseMatrix *es_sparse_matrix_new_from_triplets (gsize                rows,
                                                  gsize                  cols,
                                                  const guint32         *row_index,
                                                  const guint32         *col_index,
                                                  const float           *values,
                                                  guint64                n,
                                                  guint64               *n_duplicates,
                                                  GError               **error);
EsSparseMatrix *es_sparse_matrix_copy            (const EsSparseMatrix  *self,
                                                  GError               **error);
EsSparseMatrix *es_sparse_matrix_ref             (EsSparseMatrix        *self);
void            es_sparse_matrix_unref           (EsSparseMatrix        *self);

gsize           es_sparse_matrix_get_rows        (const EsSparseMatrix  *self);
gsize           es_sparse_matrix_get_cols        (const EsSparseMatrix  *self);
guint64         es_sparse_matrix_get_nnz         (const EsSparseMatrix  *self);
const guint64  *es_sparse_matrix_get_offsets     (const EsSparseMatrix  *self);
const guint32  *es_sparse_matrix_get_columns     (const EsSparseMatrix  *self);
const float    *es_sparse_matrix_get_values      (const EsSparseMatrix  *self);
/* Only while private to the creator (filling or reweighting). */
guint64        *es_sparse_matrix_get_offsets_mut (EsSparseMatrix        *self);
guint32        *es_sparse_matrix_get_columns_mut (EsSparseMatrix        *self);
float          *es_sparse_matrix_get_values_mut  (EsSparseMatrix        *self);
/* Drops stored zeros (after reweighting); only while private. */
void            es_sparse_matrix_prune_zeros     (EsSparseMatrix        *self);

/* Labels: @labels has rows (cols) strings, taken.  NULL clears them. */
void            es_sparse_matrix_take_row_labels (EsSparseMatrix        *self,
                                                  char                 **labels);
void            es_sparse_matrix_take_col_labels (EsSparseMatrix        *self,
                                                  char                 **labels);
/* The label, or NULL when the matrix has none. */
const char     *es_sparse_matrix_get_row_label   (const EsSparseMatrix  *self,
                                                  gsize                  row);
const char     *es_sparse_matrix_get_col_label   (const EsSparseMatrix  *self,
                                                  gsize                  col);
/* The label, or "row 17" (1-based, as in the file) without labels. */
char           *es_sparse_matrix_dup_row_label   (const EsSparseMatrix  *self,
                                                  gsize                  row);

/* Columns become rows, labels swap. */
EsSparseMatrix *es_sparse_matrix_transpose       (const EsSparseMatrix  *self,
                                                  GError               **error);
gboolean        es_sparse_matrix_is_nonnegative  (const EsSparseMatrix  *self);
double          es_sparse_matrix_frobenius_sq    (const EsSparseMatrix  *self);
/* The value at (row, col), 0 when not stored (binary search). */
float           es_sparse_matrix_get             (const EsSparseMatrix  *self,
                                                  gsize                  row,
                                                  gsize                  col);

/* @y (rows × @k, row-major) = self · @x (cols × @k), in double, on up to
 * two threads; the result does not depend on the thread count.
 */
void            es_sparse_matrix_multiply        (const EsSparseMatrix  *self,
                                                  const double          *x,
                                                  gsize                  k,
                                                  double                *y);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsSparseMatrix, es_sparse_matrix_unref)

G_END_DECLS
