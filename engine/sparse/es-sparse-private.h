/* es-sparse-private.h: shared by engine/sparse's split files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "es-engine-types.h"
#include "es-sparse-matrix.h"
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

/* ---- a guint64 → guint64 hash map, open addressing (es-pair-map.c) ---- */
typedef struct
{
  guint64 *keys;   /* ES_PAIR_MAP_EMPTY where free */
  guint64 *values;
  gsize    capacity; /* power of two */
  gsize    size;
} EsPairMap;

#define ES_PAIR_MAP_EMPTY G_MAXUINT64

gboolean _es_pair_map_init  (EsPairMap  *self,
                             gsize       capacity,
                             GError    **error);
void     _es_pair_map_clear (EsPairMap  *self);
gboolean _es_pair_map_grow  (EsPairMap  *self,
                             GError    **error);

static inline guint64
_es_pair_map_hash (guint64 key)
{
  key ^= key >> 33;
  key *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  key ^= key >> 33;
  return key;
}

/* Adds @value to @key's count; FALSE (error set) only when growing fails. */
static inline gboolean
_es_pair_map_add (EsPairMap  *self,
                  guint64     key,
                  guint64     value,
                  GError    **error)
{
  gsize mask, i;

  if (G_UNLIKELY ((self->size + 1) * 2 > self->capacity) && !_es_pair_map_grow (self, error))
    return FALSE;
  mask = self->capacity - 1;
  for (i = _es_pair_map_hash (key) & mask;; i = (i + 1) & mask)
    {
      if (self->keys[i] == key)
        {
          self->values[i] += value;
          return TRUE;
        }
      if (self->keys[i] == ES_PAIR_MAP_EMPTY)
        {
          self->keys[i] = key;
          self->values[i] = value;
          self->size++;
          return TRUE;
        }
    }
}

/* The tokeniser's definition, one character at a time, without the ASCII
 * fast path of es_tokenize_foreach (tests compare the two).
 */
gsize _es_tokenize_foreach_reference (const char  *text,
                                      gsize        len,
                                      GString     *scratch,
                                      EsTokenFunc  func,
                                      gpointer     user_data);

/* Tests: the pair keys buffered per thread before a sort (0: the default). */
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

G_END_DECLS
