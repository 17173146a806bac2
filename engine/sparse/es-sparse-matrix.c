/* es-sparse-matrix.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-sparse"

#include "config.h"

#include "es-sparse-matrix.h"

#include "es-engine-error.h"
#include "es-memory.h"
#include "es-sparse-private.h"
#include "es-cooccur-private.h"

#include <string.h>

struct _EsSparseMatrix
{
  gatomicrefcount ref_count;
  gsize           rows;
  gsize           cols;
  guint64         nnz;
  guint64        *offsets;
  guint32        *columns;
  float          *values;
  char          **row_labels;
  char          **col_labels;
};

EsSparseMatrix *
es_sparse_matrix_new (gsize    rows,
                      gsize    cols,
                      guint64  nnz,
                      GError **error)
{
  g_autoptr(EsSparseMatrix) self = g_new0 (EsSparseMatrix, 1);
  guint64 n_offsets;

  g_atomic_ref_count_init (&self->ref_count);
  self->rows = rows;
  self->cols = cols;
  self->nnz = nnz;
  if (cols > G_MAXUINT32 || !es_checked_add (rows, 1, &n_offsets))
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                   "A sparse matrix of %" G_GSIZE_FORMAT " × %" G_GSIZE_FORMAT " is too large", rows, cols);
      return NULL;
    }
  if (!(self->offsets = es_memory_try_alloc0 (n_offsets, sizeof (guint64), "The sparse matrix", error)) ||
      !(self->columns = _es_alloc_huge (nnz, sizeof (guint32), FALSE, "The sparse matrix", error)) ||
      !(self->values = _es_alloc_huge (nnz, sizeof (float), FALSE, "The sparse matrix", error)))
    return NULL;

  return g_steal_pointer (&self);
}

EsSparseMatrix *
es_sparse_matrix_ref (EsSparseMatrix *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
es_sparse_matrix_unref (EsSparseMatrix *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->offsets);
  g_free (self->columns);
  g_free (self->values);
  g_strfreev (self->row_labels);
  g_strfreev (self->col_labels);
  g_free (self);
}

gsize   es_sparse_matrix_get_rows (const EsSparseMatrix *self) { return self->rows; }
gsize   es_sparse_matrix_get_cols (const EsSparseMatrix *self) { return self->cols; }
guint64 es_sparse_matrix_get_nnz  (const EsSparseMatrix *self) { return self->nnz; }
const guint64 *es_sparse_matrix_get_offsets (const EsSparseMatrix *self) { return self->offsets; }
const guint32 *es_sparse_matrix_get_columns (const EsSparseMatrix *self) { return self->columns; }
const float   *es_sparse_matrix_get_values  (const EsSparseMatrix *self) { return self->values; }
guint64 *es_sparse_matrix_get_offsets_mut (EsSparseMatrix *self) { return self->offsets; }
guint32 *es_sparse_matrix_get_columns_mut (EsSparseMatrix *self) { return self->columns; }
float   *es_sparse_matrix_get_values_mut  (EsSparseMatrix *self) { return self->values; }

void
es_sparse_matrix_take_row_labels (EsSparseMatrix  *self,
                                  char           **labels)
{
  g_strfreev (self->row_labels);
  self->row_labels = labels;
}

void
es_sparse_matrix_take_col_labels (EsSparseMatrix  *self,
                                  char           **labels)
{
  g_strfreev (self->col_labels);
  self->col_labels = labels;
}

const char *
es_sparse_matrix_get_row_label (const EsSparseMatrix *self,
                                gsize                 row)
{
  g_return_val_if_fail (row < self->rows, NULL);
  return self->row_labels != NULL ? self->row_labels[row] : NULL;
}

const char *
es_sparse_matrix_get_col_label (const EsSparseMatrix *self,
                                gsize                 col)
{
  g_return_val_if_fail (col < self->cols, NULL);
  return self->col_labels != NULL ? self->col_labels[col] : NULL;
}

char *
es_sparse_matrix_dup_row_label (const EsSparseMatrix *self,
                                gsize                 row)
{
  const char *label = es_sparse_matrix_get_row_label (self, row);

  return label != NULL ? g_strdup (label) : g_strdup_printf ("row %" G_GSIZE_FORMAT, row + 1);
}

void
es_sparse_matrix_prune_zeros (EsSparseMatrix *self)
{
  guint64 out = 0, start = 0;

  for (gsize i = 0; i < self->rows; i++)
    {
      guint64 end = self->offsets[i + 1];

      for (guint64 p = start; p < end; p++)
        if (self->values[p] != 0.0f)
          {
            self->columns[out] = self->columns[p];
            self->values[out] = self->values[p];
            out++;
          }
      start = end;
      self->offsets[i + 1] = out;
    }
  self->nnz = out;
}

static char **
copy_labels (char **labels)
{
  return labels != NULL ? g_strdupv (labels) : NULL;
}

typedef struct
{
  const EsSparseMatrix *a;
  EsSparseMatrix       *t;
  gsize                 split;
  gboolean              count;
  guint64              *next[2];  /* per half: its count, then where its next entry goes, per column */
} TransposeJob;

static void
transpose_job_clear (TransposeJob *job)
{
  g_clear_pointer (&job->next[0], g_free);
  g_clear_pointer (&job->next[1], g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TransposeJob, transpose_job_clear)

/* Rows in increasing order, so each new row's columns come out sorted. */
static void
transpose_half (guint    index,
                gpointer data)
{
  TransposeJob *job = data;
  const EsSparseMatrix *a = job->a;
  gsize from = index == 0 ? 0 : job->split, to = index == 0 ? job->split : a->rows;
  guint64 *next = job->next[index];

  if (job->count)
    {
      for (guint64 p = a->offsets[from]; p < a->offsets[to]; p++)
        next[a->columns[p]]++;
      return;
    }
  for (gsize i = from; i < to; i++)
    for (guint64 p = a->offsets[i]; p < a->offsets[i + 1]; p++)
      {
        guint64 q = next[a->columns[p]]++;

        job->t->columns[q] = (guint32) i;
        job->t->values[q] = a->values[p];
      }
}

EsSparseMatrix *
es_sparse_matrix_transpose (const EsSparseMatrix  *self,
                            GError               **error)
{
  g_autoptr(EsSparseMatrix) t = es_sparse_matrix_new (self->cols, self->rows, self->nnz, error);
  g_auto(TransposeJob) job = { 0 };

  if (t == NULL)
    return NULL;
  if (self->rows > G_MAXUINT32)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                   "A sparse matrix of %" G_GSIZE_FORMAT " rows cannot be transposed", self->rows);
      return NULL;
    }
  /* Two row halves (split by entries), each counting and then placing
   * its own entries, half 0's first in each column: the same matrix as
   * one pass, in about half the time (the placing is cache misses).
   */
  if (!(job.next[0] = es_memory_try_alloc0 (self->cols + 1, sizeof (guint64), "The transposed matrix", error)) ||
      !(job.next[1] = es_memory_try_alloc0 (self->cols + 1, sizeof (guint64), "The transposed matrix", error)))
    return NULL;
  job.a = self;
  job.t = t;
  job.split = _es_sparse_split_rows (self);
  job.count = TRUE;
  _es_sparse_run_parallel (2, transpose_half, &job);
  for (gsize j = 0; j < self->cols; j++)
    {
      guint64 first = job.next[0][j], second = job.next[1][j];

      job.next[0][j] = t->offsets[j];
      job.next[1][j] = t->offsets[j] + first;
      t->offsets[j + 1] = t->offsets[j] + first + second;
    }
  job.count = FALSE;
  _es_sparse_run_parallel (2, transpose_half, &job);
  t->row_labels = copy_labels (self->col_labels);
  t->col_labels = copy_labels (self->row_labels);

  return g_steal_pointer (&t);
}

gboolean
es_sparse_matrix_is_nonnegative (const EsSparseMatrix *self)
{
  for (guint64 p = 0; p < self->nnz; p++)
    if (!(self->values[p] >= 0.0f))
      return FALSE;
  return TRUE;
}

double
es_sparse_matrix_frobenius_sq (const EsSparseMatrix *self)
{
  double sum = 0;

  for (guint64 p = 0; p < self->nnz; p++)
    sum += (double) self->values[p] * self->values[p];
  return sum;
}

float
es_sparse_matrix_get (const EsSparseMatrix *self,
                      gsize                 row,
                      gsize                 col)
{
  guint64 lo, hi;

  g_return_val_if_fail (row < self->rows && col < self->cols, 0.0f);
  lo = self->offsets[row];
  hi = self->offsets[row + 1];
  while (lo < hi)
    {
      guint64 mid = lo + (hi - lo) / 2;

      if (self->columns[mid] == col)
        return self->values[mid];
      if (self->columns[mid] < col)
        lo = mid + 1;
      else
        hi = mid;
    }
  return 0.0f;
}

/* es-cooccur-private.h: a matrix around arrays already filled (taken). */
EsSparseMatrix *
_es_sparse_matrix_new_take (gsize     rows,
                            gsize     cols,
                            guint64   nnz,
                            guint64  *offsets,
                            guint32  *columns,
                            float    *values)
{
  EsSparseMatrix *self = g_new0 (EsSparseMatrix, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->rows = rows;
  self->cols = cols;
  self->nnz = nnz;
  self->offsets = offsets;
  self->columns = columns;
  self->values = values;
  return self;
}

EsSparseMatrix *
es_sparse_matrix_new_from_triplets (gsize          rows,
                                    gsize          cols,
                                    const guint32 *row_index,
                                    const guint32 *col_index,
                                    const float   *values,
                                    guint64        n,
                                    guint64       *n_duplicates,
                                    GError       **error)
{
  g_autoptr(EsSparseMatrix) self = es_sparse_matrix_new (rows, cols, n, error);
  g_autofree guint64 *next = NULL;
  g_autofree guint64 *order = NULL;
  guint64 out = 0, start = 0, dups = 0;

  if (self == NULL)
    return NULL;

  /* Two stable counting sorts (by column, then by row): every row comes out
   * sorted by column in O(n), whatever the order of the input.
   */
  if (!(next = es_memory_try_alloc0 (MAX (rows, cols) + 1, sizeof (guint64), "The sparse matrix", error)) ||
      !(order = es_memory_try_alloc (n, sizeof (guint64), "The sparse matrix", error)))
    return NULL;
  for (guint64 p = 0; p < n; p++)
    next[col_index[p] + 1]++;
  for (gsize j = 0; j < cols; j++)
    next[j + 1] += next[j];
  for (guint64 p = 0; p < n; p++)
    order[next[col_index[p]]++] = p;

  for (guint64 p = 0; p < n; p++)
    self->offsets[row_index[p] + 1]++;
  for (gsize i = 0; i < rows; i++)
    self->offsets[i + 1] += self->offsets[i];
  memcpy (next, self->offsets, (rows + 1) * sizeof (guint64));
  for (guint64 s = 0; s < n; s++)
    {
      guint64 p = order[s];
      guint64 q = next[row_index[p]]++;

      self->columns[q] = col_index[p];
      self->values[q] = values[p];
    }

  /* Sum equal columns in place. */
  for (gsize i = 0; i < rows; i++)
    {
      guint64 end = self->offsets[i + 1];
      guint64 row_start = out;

      for (guint64 a = start; a < end; a++)
        {
          if (out > row_start && self->columns[out - 1] == self->columns[a])
            {
              self->values[out - 1] += self->values[a];
              dups++;
              continue;
            }
          self->columns[out] = self->columns[a];
          self->values[out] = self->values[a];
          out++;
        }
      start = end;
      self->offsets[i + 1] = out;
    }
  self->nnz = out;
  if (n_duplicates != NULL)
    *n_duplicates = dups;

  return g_steal_pointer (&self);
}

typedef struct
{
  const EsSparseMatrix *a;
  const double         *x;
  double               *y;
  gsize                 k;
  gsize                 split;  /* row where the second half starts */
} MultiplyJob;

static void
multiply_part (guint    index,
               gpointer data)
{
  MultiplyJob *job = data;
  const EsSparseMatrix *a = job->a;
  gsize from = index == 0 ? 0 : job->split;
  gsize to = index == 0 ? job->split : a->rows;
  gsize k = job->k;

  for (gsize i = from; i < to; i++)
    {
      double *y = job->y + i * k;

      memset (y, 0, k * sizeof (double));
      for (guint64 p = a->offsets[i]; p < a->offsets[i + 1]; p++)
        {
          const double *x = job->x + (gsize) a->columns[p] * k;
          double v = a->values[p];

          for (gsize c = 0; c < k; c++)
            y[c] += v * x[c];
        }
    }
}

void
es_sparse_matrix_multiply (const EsSparseMatrix *self,
                           const double         *x,
                           gsize                 k,
                           double               *y)
{
  MultiplyJob job = { self, x, y, k, 0 };
  guint64 half = self->nnz / 2;
  gsize lo = 0, hi = self->rows;

  /* Split where half the entries are done (each row is summed by one
   * thread in its own order: the result is the same on one thread).
   */
  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (self->offsets[mid] < half)
        lo = mid + 1;
      else
        hi = mid;
    }
  job.split = lo;
  _es_sparse_run_parallel (2, multiply_part, &job);
}

EsSparseMatrix *
es_sparse_matrix_copy (const EsSparseMatrix  *self,
                       GError               **error)
{
  EsSparseMatrix *copy = es_sparse_matrix_new (self->rows, self->cols, self->nnz, error);

  if (copy == NULL)
    return NULL;
  memcpy (copy->offsets, self->offsets, (self->rows + 1) * sizeof (guint64));
  memcpy (copy->columns, self->columns, self->nnz * sizeof (guint32));
  memcpy (copy->values, self->values, self->nnz * sizeof (float));
  copy->row_labels = copy_labels (self->row_labels);
  copy->col_labels = copy_labels (self->col_labels);
  return copy;
}
