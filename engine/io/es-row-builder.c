/* es-row-builder.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The growing matrix + vocabulary a reader fills row by row.  Readers
 * size it from a checked header or an estimate from the file size; when
 * that is short it doubles, which for a large matrix is an mremap (no
 * copy, see es-matrix.c).
 */

#define G_LOG_DOMAIN "es-loader"

#include "config.h"

#include <string.h>

#include "es-loader-private.h"

#include "es-embedding-set-private.h"
#include "es-engine-error.h"
#include "es-memory.h"
#include "es-matrix-private.h"
#include "es-vocabulary-private.h"

/* Refuses anything over the memory ceiling before allocating it. */
gboolean
_es_check_memory (EsLoadContext *ctx,
                  guint64        rows,
                  guint64        dims,
                  GError       **error)
{
  guint64 bytes, words;

  /* The words and their hash table count too, not only the matrix. */
  if (!es_matrix_byte_size (rows, dims, &bytes) ||
      !es_checked_mul (rows, ES_ROW_OVERHEAD, &words) ||
      !es_checked_add (bytes, words, &bytes) || bytes > ctx->memory_limit)
    {
      double need = (double) rows * ((double) dims * sizeof (float) + ES_ROW_OVERHEAD);

      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                   "%s: this file needs %.1f GB; %.1f GB available — use --limit",
                   ctx->name, need / 1e9, ctx->memory_limit / 1e9);
      return FALSE;
    }

  return TRUE;
}

gboolean
_es_row_builder_init (EsRowBuilder  *self,
                      EsLoadContext *ctx,
                      gsize          dims,
                      gsize          capacity,
                      GError       **error)
{
  memset (self, 0, sizeof *self);
  self->ctx = ctx;
  self->dims = dims;
  self->capacity = MAX (capacity, 1);

  if (!_es_check_memory (ctx, self->capacity, dims, error))
    return FALSE;

  self->matrix = es_matrix_new (self->capacity, dims, error);
  if (self->matrix == NULL)
    return FALSE;
  self->vocabulary = es_vocabulary_new (self->capacity);
  self->valid = g_malloc (self->capacity);

  return TRUE;
}

/* Storage for the next row; the reader parses straight into it. */
float *
_es_row_builder_slot (EsRowBuilder  *self,
                      GError       **error)
{
  if (self->rows == self->capacity)
    {
      gsize capacity = self->capacity * 2;

      if (!_es_check_memory (self->ctx, capacity, self->dims, error))
        {
          /* Maybe the exact need still fits: grow by less. */
          g_clear_error (error);
          capacity = self->capacity + self->capacity / 8 + 1;
          if (!_es_check_memory (self->ctx, capacity, self->dims, error))
            return NULL;
        }

      /* A large matrix grows in place (mremap): no copy, no doubled peak. */
      if (!_es_matrix_resize_rows (self->matrix, capacity, error))
        return NULL;
      self->valid = g_realloc (self->valid, capacity);
      self->capacity = capacity;
    }

  {
    gsize end = (self->rows + 1) * self->dims * sizeof (float);
    gsize limit = self->capacity * self->dims * sizeof (float);

    if (G_UNLIKELY (end > self->mapped) && self->prefault != NULL)
      {
        /* A helper maps from the other end: stop where it got to. */
        gsize top = _es_prefault_get_top (self->prefault);

        if (end > top)
          self->mapped = limit;
        else
          limit = top;
      }
    _es_populate_ahead ((char *) es_matrix_get_data_mut (self->matrix), &self->mapped, end, limit);
  }

  return es_matrix_get_data_mut (self->matrix) + self->rows * self->dims;
}

/* Hashes the word of the row about to be copied and fetches its slot,
 * so the commit after the copy does not wait for memory.
 */
void
_es_row_builder_prefetch (EsRowBuilder *self,
                          const char   *word,
                          gsize         len)
{
  self->hashed_word = word;
  self->hashed_len = len;
  self->hash = _es_vocabulary_hash (word, len);
  _es_vocabulary_prefetch (self->vocabulary, self->hash);
}

/* Keeps the row in the slot under @word; FALSE (and the row of the first
 * occurrence in @first) when the word is already there: first one wins.
 * @finite says whether the row holds no NaN or Inf (the reader knows: the
 * embedding set would otherwise rescan the whole matrix for it).
 */
gboolean
_es_row_builder_commit (EsRowBuilder *self,
                        const char   *word,
                        gsize         len,
                        gboolean      finite,
                        gsize        *first)
{
  gboolean added;

  if (word == self->hashed_word && len == self->hashed_len && word != NULL)
    added = _es_vocabulary_add_hashed (self->vocabulary, word, len, self->hash, first);
  else
    added = es_vocabulary_add (self->vocabulary, word, len, first);
  self->hashed_word = NULL;
  if (!added)
    return FALSE;

  if (self->valid_rows == self->rows)
    {
      self->valid[self->rows] = finite != FALSE;
      self->n_valid += finite != FALSE;
      self->valid_rows++;
    }
  self->rows++;

  return TRUE;
}

EsEmbeddingSet *
_es_row_builder_finish (EsRowBuilder *self)
{
  EsEmbeddingSet *set;

  es_matrix_shrink_rows (self->matrix, self->rows);
  if (self->valid_rows == self->rows && self->rows > 0)
    set = _es_embedding_set_new_with_valid (g_steal_pointer (&self->matrix),
                                            g_steal_pointer (&self->vocabulary),
                                            g_steal_pointer (&self->valid), self->n_valid);
  else
    set = es_embedding_set_new (g_steal_pointer (&self->matrix),
                                g_steal_pointer (&self->vocabulary));

  return set;
}

void
_es_row_builder_clear (EsRowBuilder *self)
{
  g_clear_pointer (&self->matrix, es_matrix_unref);
  g_clear_pointer (&self->vocabulary, es_vocabulary_free);
  g_clear_pointer (&self->valid, g_free);
}
