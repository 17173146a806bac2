/* es-matrix.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-matrix"
/* mremap and MREMAP_MAYMOVE are Linux extensions. */
#define _GNU_SOURCE

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "es-engine-error.h"
#include "es-matrix-private.h"

#define ES_MATRIX_ALIGNMENT 64

/* Large matrices are their own mapping: a loader that underestimated the
 * row count grows one with mremap(), which moves page tables, never the
 * data (no second copy, no doubled peak).
 */
#define ES_MATRIX_MAP_MIN (1u << 20)

struct _EsMatrix
{
  gatomicrefcount ref_count;
  gsize rows;
  gsize cols;
  float *data;
  gsize mapped;    /* bytes of the mapping, 0 when from posix_memalign */
};

static gsize
page_round (guint64 bytes)
{
  gsize page = (gsize) sysconf (_SC_PAGESIZE);

  return (bytes + page - 1) & ~(guint64) (page - 1);
}

gboolean
es_matrix_byte_size (guint64  rows,
                     guint64  cols,
                     guint64 *bytes)
{
  guint64 cells;

  if (!g_uint64_checked_mul (&cells, rows, cols))
    return FALSE;
  if (!g_uint64_checked_mul (bytes, cells, sizeof (float)))
    return FALSE;
  /* The allocation rounds up to the alignment; keep room for that. */
  return *bytes <= G_MAXSIZE - ES_MATRIX_ALIGNMENT;
}

EsMatrix *
es_matrix_new (gsize    rows,
               gsize    cols,
               GError **error)
{
  EsMatrix *self;
  guint64 bytes;
  void *data = NULL;

  if (!es_matrix_byte_size (rows, cols, &bytes))
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                   "a %" G_GSIZE_FORMAT " x %" G_GSIZE_FORMAT " matrix does not fit in memory",
                   rows, cols);
      return NULL;
    }

  if (bytes >= ES_MATRIX_MAP_MIN && bytes <= G_MAXSIZE / 2)
    {
      gsize mapped = page_round (bytes);

      /* Pages are aligned far beyond ES_MATRIX_ALIGNMENT. */
      data = mmap (NULL, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (data == MAP_FAILED)
        {
          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                       "cannot allocate %.1f MB for a %" G_GSIZE_FORMAT " x %" G_GSIZE_FORMAT " matrix",
                       bytes / 1e6, rows, cols);
          return NULL;
        }
      self = g_new0 (EsMatrix, 1);
      g_atomic_ref_count_init (&self->ref_count);
      self->rows = rows;
      self->cols = cols;
      self->data = data;
      self->mapped = mapped;
      return self;
    }

  /* aligned_alloc wants a multiple of the alignment. */
  bytes = MAX (ES_MATRIX_ALIGNMENT, (bytes + ES_MATRIX_ALIGNMENT - 1) & ~(guint64) (ES_MATRIX_ALIGNMENT - 1));
  if (posix_memalign (&data, ES_MATRIX_ALIGNMENT, bytes) != 0)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                   "cannot allocate %.1f MB for a %" G_GSIZE_FORMAT " x %" G_GSIZE_FORMAT " matrix",
                   bytes / 1e6, rows, cols);
      return NULL;
    }

  self = g_new0 (EsMatrix, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->rows = rows;
  self->cols = cols;
  self->data = data;

  return self;
}

EsMatrix *
es_matrix_new_from_data (gsize        rows,
                         gsize        cols,
                         const float *data)
{
  EsMatrix *self = es_matrix_new (rows, cols, NULL);

  g_return_val_if_fail (self != NULL, NULL);

  if (rows * cols > 0)
    memcpy (self->data, data, rows * cols * sizeof (float));

  return self;
}

EsMatrix *
es_matrix_ref (EsMatrix *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
es_matrix_unref (EsMatrix *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      if (self->mapped > 0)
        munmap (self->data, self->mapped);
      else
        free (self->data);
      g_free (self);
    }
}

gsize
es_matrix_get_rows (const EsMatrix *self)
{
  return self->rows;
}

gsize
es_matrix_get_cols (const EsMatrix *self)
{
  return self->cols;
}

const float *
es_matrix_get_data (const EsMatrix *self)
{
  return self->data;
}

float *
es_matrix_get_data_mut (EsMatrix *self)
{
  return self->data;
}

const float *
es_matrix_get_row (const EsMatrix *self,
                   gsize           row)
{
  g_return_val_if_fail (row < self->rows, NULL);

  return self->data + row * self->cols;
}

/* Used by loaders that over-allocated from a header and found fewer rows
 * (or skipped duplicates).  Memory is not returned; the tail is unused.
 */
void
es_matrix_shrink_rows (EsMatrix *self,
                       gsize     rows)
{
  g_return_if_fail (rows <= self->rows);

  self->rows = rows;
}

/* For loaders only (the matrix must not be shared yet): @rows rows, the
 * first min(old, new) kept.  A mapped matrix is remapped in place or
 * moved by the kernel without copying; a small one is copied.
 */
gboolean
_es_matrix_resize_rows (EsMatrix  *self,
                        gsize      rows,
                        GError   **error)
{
  guint64 bytes;
  gsize keep = MIN (rows, self->rows) * self->cols * sizeof (float);
  g_autoptr(EsMatrix) bigger = NULL;

  if (!es_matrix_byte_size (rows, self->cols, &bytes))
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                   "a %" G_GSIZE_FORMAT " x %" G_GSIZE_FORMAT " matrix does not fit in memory",
                   rows, self->cols);
      return FALSE;
    }

  if (self->mapped > 0 && bytes <= G_MAXSIZE / 2)
    {
      gsize mapped = page_round (MAX (bytes, 1));
      void *data = mremap (self->data, self->mapped, mapped, MREMAP_MAYMOVE);

      if (data == MAP_FAILED)
        {
          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                       "cannot allocate %.1f MB for a %" G_GSIZE_FORMAT " x %" G_GSIZE_FORMAT " matrix",
                       bytes / 1e6, rows, self->cols);
          return FALSE;
        }
      self->data = data;
      self->mapped = mapped;
      self->rows = rows;
      return TRUE;
    }

  bigger = es_matrix_new (rows, self->cols, error);
  if (bigger == NULL)
    return FALSE;
  if (keep > 0)
    memcpy (bigger->data, self->data, keep);
  if (self->mapped > 0)
    munmap (self->data, self->mapped);
  else
    free (self->data);
  self->data = g_steal_pointer (&bigger->data);
  self->mapped = bigger->mapped;
  self->rows = rows;
  bigger->mapped = 0;

  return TRUE;
}
