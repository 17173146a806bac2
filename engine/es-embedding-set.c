/* es-embedding-set.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-embedding-set"

#include "config.h"

#include <math.h>
#include <string.h>

#include "es-embedding-set-private.h"

#include "es-token-vocab.h"

struct _EsEmbeddingSet
{
  gatomicrefcount ref_count;
  EsMatrix *matrix;
  EsVocabulary *vocabulary;
  guint8 *valid;            /* 1 when the row is all finite */
  gsize n_valid;
  char *path;
  EsFormat format;
  EsCompression compression;
  GPtrArray *warnings;
  EsMetadata *metadata;
  EsTokenDisplay token_display;

  /* Derived lazily, under the mutex, then read-only. */
  GMutex lazy_lock;
  float *norms;
  GHashTable *folded;       /* upper-cased word -> row + 1, first wins */
  GData *attached;          /* derived results other engine parts cache here */
};

const char *
es_format_to_string (EsFormat format)
{
  switch (format)
    {
    case ES_FORMAT_WORD2VEC_TEXT:   return "word2vec-text";
    case ES_FORMAT_WORD2VEC_BINARY: return "word2vec-binary";
    case ES_FORMAT_GLOVE:           return "glove";
    case ES_FORMAT_PROJECTOR_TSV:   return "projector-tsv";
    case ES_FORMAT_PROJECTOR_BYTES: return "projector-bytes";
    case ES_FORMAT_NPY:             return "npy";
    case ES_FORMAT_SAFETENSORS:     return "safetensors";
    case ES_FORMAT_UNKNOWN:
    default:                        return "unknown";
    }
}

const char *
es_compression_to_string (EsCompression compression)
{
  return compression == ES_COMPRESSION_GZIP ? "gzip" : "none";
}

EsEmbeddingSet *
es_embedding_set_new (EsMatrix     *matrix,
                      EsVocabulary *vocabulary)
{
  EsEmbeddingSet *self;
  gsize rows, dims;
  const float *data;

  g_return_val_if_fail (matrix != NULL, NULL);
  g_return_val_if_fail (vocabulary != NULL, NULL);
  g_return_val_if_fail (es_vocabulary_get_size (vocabulary) == es_matrix_get_rows (matrix), NULL);

  rows = es_matrix_get_rows (matrix);
  dims = es_matrix_get_cols (matrix);
  data = es_matrix_get_data (matrix);

  self = g_new0 (EsEmbeddingSet, 1);
  g_atomic_ref_count_init (&self->ref_count);
  g_mutex_init (&self->lazy_lock);
  self->matrix = matrix;
  self->vocabulary = vocabulary;
  self->warnings = g_ptr_array_new_with_free_func (g_free);
  self->valid = g_malloc (MAX (rows, 1));

  for (gsize i = 0; i < rows; i++)
    {
      const float *v = data + i * dims;
      guint32 non_finite = 0;

      /* All exponent bits set is NaN or Inf; integer tests vectorise
       * (a float sum would be one long dependency chain per row).
       */
      for (gsize j = 0; j < dims; j++)
        {
          guint32 bits;

          memcpy (&bits, &v[j], sizeof bits);
          non_finite |= (bits & 0x7f800000u) == 0x7f800000u;
        }
      self->valid[i] = !non_finite;
      self->n_valid += self->valid[i];
    }

  return self;
}

/* Takes @valid (one byte per row, 1 when the row is all finite, as
 * es_embedding_set_new() would compute): rescanning a 480 MB matrix that
 * the reader has just written costs a pass over memory.
 */
EsEmbeddingSet *
_es_embedding_set_new_with_valid (EsMatrix     *matrix,
                                  EsVocabulary *vocabulary,
                                  guint8       *valid,
                                  gsize         n_valid)
{
  EsEmbeddingSet *self;

  g_return_val_if_fail (matrix != NULL, NULL);
  g_return_val_if_fail (vocabulary != NULL, NULL);
  g_return_val_if_fail (valid != NULL, NULL);
  g_return_val_if_fail (es_vocabulary_get_size (vocabulary) == es_matrix_get_rows (matrix), NULL);

  self = g_new0 (EsEmbeddingSet, 1);
  g_atomic_ref_count_init (&self->ref_count);
  g_mutex_init (&self->lazy_lock);
  self->matrix = matrix;
  self->vocabulary = vocabulary;
  self->warnings = g_ptr_array_new_with_free_func (g_free);
  self->valid = valid;
  self->n_valid = n_valid;

  return self;
}

EsEmbeddingSet *
es_embedding_set_new_from_arrays (gsize               rows,
                                  gsize               dims,
                                  const char * const *words,
                                  const float        *data)
{
  EsVocabulary *vocabulary = es_vocabulary_new (rows);

  for (gsize i = 0; i < rows; i++)
    if (!es_vocabulary_add (vocabulary, words[i], strlen (words[i]), NULL))
      g_return_val_if_reached (NULL);

  return es_embedding_set_new (es_matrix_new_from_data (rows, dims, data), vocabulary);
}

EsEmbeddingSet *
es_embedding_set_ref (EsEmbeddingSet *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
es_embedding_set_unref (EsEmbeddingSet *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      es_matrix_unref (self->matrix);
      es_vocabulary_free (self->vocabulary);
      g_free (self->valid);
      g_free (self->path);
      g_ptr_array_unref (self->warnings);
      g_clear_pointer (&self->metadata, es_metadata_unref);
      g_free (self->norms);
      g_clear_pointer (&self->folded, g_hash_table_unref);
      g_datalist_clear (&self->attached);
      g_mutex_clear (&self->lazy_lock);
      g_free (self);
    }
}

void
es_embedding_set_set_source (EsEmbeddingSet *self,
                             const char     *path,
                             EsFormat        format,
                             EsCompression   compression)
{
  g_free (self->path);
  self->path = g_strdup (path);
  self->format = format;
  self->compression = compression;
}

void
es_embedding_set_take_warnings (EsEmbeddingSet *self,
                                GPtrArray      *warnings)
{
  g_ptr_array_unref (self->warnings);
  self->warnings = warnings;
}

void
es_embedding_set_set_metadata (EsEmbeddingSet *self,
                               EsMetadata     *metadata)
{
  g_return_if_fail (metadata == NULL ||
                    es_metadata_get_n_rows (metadata) == es_embedding_set_get_rows (self));

  if (metadata != NULL)
    es_metadata_ref (metadata);
  g_clear_pointer (&self->metadata, es_metadata_unref);
  self->metadata = metadata;
}

gsize
es_embedding_set_get_rows (const EsEmbeddingSet *self)
{
  return es_matrix_get_rows (self->matrix);
}

gsize
es_embedding_set_get_dims (const EsEmbeddingSet *self)
{
  return es_matrix_get_cols (self->matrix);
}

EsMatrix *
es_embedding_set_get_matrix (const EsEmbeddingSet *self)
{
  return self->matrix;
}

const float *
es_embedding_set_get_vector (const EsEmbeddingSet *self,
                             gsize                 row)
{
  return es_matrix_get_row (self->matrix, row);
}

const char *
es_embedding_set_get_word (const EsEmbeddingSet *self,
                           gsize                 row)
{
  return es_vocabulary_get_word (self->vocabulary, row, NULL);
}

gsize
es_embedding_set_get_word_len (const EsEmbeddingSet *self,
                               gsize                 row)
{
  gsize len = 0;

  es_vocabulary_get_word (self->vocabulary, row, &len);

  return len;
}

/* Words keep their bytes exactly; for display, invalid UTF-8 becomes
 * U+FFFD and tokens are decoded.
 */
char *
es_embedding_set_dup_display_word (const EsEmbeddingSet *self,
                                   gsize                 row)
{
  gsize len = 0;
  const char *word = es_vocabulary_get_word (self->vocabulary, row, &len);

  if (self->token_display != ES_TOKEN_DISPLAY_NONE)
    return es_token_display_text (word, len, self->token_display == ES_TOKEN_DISPLAY_BYTE_LEVEL);
  return g_utf8_make_valid (word, len);
}

void
es_embedding_set_set_token_display (EsEmbeddingSet *self,
                                    EsTokenDisplay  display)
{
  g_return_if_fail (self != NULL);

  self->token_display = display;
}

EsTokenDisplay
es_embedding_set_get_token_display (const EsEmbeddingSet *self)
{
  g_return_val_if_fail (self != NULL, ES_TOKEN_DISPLAY_NONE);

  return self->token_display;
}

const EsVocabulary *
es_embedding_set_get_vocabulary (const EsEmbeddingSet *self)
{
  return self->vocabulary;
}

gboolean
es_embedding_set_lookup (const EsEmbeddingSet *self,
                         const char           *word,
                         gsize                *row)
{
  return es_vocabulary_lookup (self->vocabulary, word, -1, row);
}

static char *
fold_word (const char *word,
           gsize       len)
{
  if (g_utf8_validate (word, len, NULL))
    return g_utf8_strup (word, len);

  return g_ascii_strup (word, len);
}

gboolean
es_embedding_set_lookup_ignore_case (EsEmbeddingSet *self,
                                     const char     *word,
                                     gsize          *row)
{
  g_autofree char *folded_word = NULL;
  gpointer value;

  g_mutex_lock (&self->lazy_lock);
  if (self->folded == NULL)
    {
      gsize rows = es_embedding_set_get_rows (self);

      self->folded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (gsize i = 0; i < rows; i++)
        {
          gsize len;
          const char *w = es_vocabulary_get_word (self->vocabulary, i, &len);
          char *key = fold_word (w, len);

          if (g_hash_table_contains (self->folded, key))
            g_free (key);
          else
            g_hash_table_insert (self->folded, key, GSIZE_TO_POINTER (i + 1));
        }
    }
  g_mutex_unlock (&self->lazy_lock);

  folded_word = fold_word (word, strlen (word));
  value = g_hash_table_lookup (self->folded, folded_word);
  if (value == NULL)
    return FALSE;

  if (row != NULL)
    *row = GPOINTER_TO_SIZE (value) - 1;

  return TRUE;
}

gboolean
es_embedding_set_is_row_valid (const EsEmbeddingSet *self,
                               gsize                 row)
{
  g_return_val_if_fail (row < es_embedding_set_get_rows (self), FALSE);

  return self->valid[row];
}

gsize
es_embedding_set_get_n_valid (const EsEmbeddingSet *self)
{
  return self->n_valid;
}

/* L2 norm of each row, accumulated in double; 0 for masked rows. */
const float *
es_embedding_set_get_norms (EsEmbeddingSet *self)
{
  g_mutex_lock (&self->lazy_lock);
  if (self->norms == NULL)
    {
      gsize rows = es_embedding_set_get_rows (self);
      gsize dims = es_embedding_set_get_dims (self);
      float *norms = g_new (float, MAX (rows, 1));

      for (gsize i = 0; i < rows; i++)
        {
          const float *v = es_matrix_get_row (self->matrix, i);
          double sum = 0.0;

          if (self->valid[i])
            for (gsize j = 0; j < dims; j++)
              sum += (double) v[j] * v[j];
          norms[i] = (float) sqrt (sum);
        }
      self->norms = norms;
    }
  g_mutex_unlock (&self->lazy_lock);

  return self->norms;
}

const char *
es_embedding_set_get_path (const EsEmbeddingSet *self)
{
  return self->path;
}

EsFormat
es_embedding_set_get_format (const EsEmbeddingSet *self)
{
  return self->format;
}

EsCompression
es_embedding_set_get_compression (const EsEmbeddingSet *self)
{
  return self->compression;
}

GPtrArray *
es_embedding_set_get_warnings (const EsEmbeddingSet *self)
{
  return self->warnings;
}

EsMetadata *
es_embedding_set_get_metadata (const EsEmbeddingSet *self)
{
  return self->metadata;
}

/* A new set with the given rows, in the given order (for "isolate"). */
EsEmbeddingSet *
es_embedding_set_subset (const EsEmbeddingSet *self,
                         const gsize          *rows,
                         gsize                 n_rows)
{
  gsize dims = es_embedding_set_get_dims (self);
  g_autoptr(EsMatrix) matrix = es_matrix_new (n_rows, dims, NULL);
  g_autoptr(EsVocabulary) vocabulary = es_vocabulary_new (n_rows);
  EsEmbeddingSet *subset;
  float *out;

  g_return_val_if_fail (matrix != NULL, NULL);

  out = es_matrix_get_data_mut (matrix);
  for (gsize i = 0; i < n_rows; i++)
    {
      gsize len;
      const char *word;

      g_return_val_if_fail (rows[i] < es_embedding_set_get_rows (self), NULL);

      word = es_vocabulary_get_word (self->vocabulary, rows[i], &len);
      if (!es_vocabulary_add (vocabulary, word, len, NULL))
        g_return_val_if_reached (NULL);
      memcpy (out + i * dims, es_matrix_get_row (self->matrix, rows[i]), dims * sizeof (float));
    }

  subset = es_embedding_set_new (g_steal_pointer (&matrix), g_steal_pointer (&vocabulary));
  es_embedding_set_set_source (subset, self->path, self->format, self->compression);
  subset->token_display = self->token_display;

  if (self->metadata != NULL)
    {
      guint n_columns = es_metadata_get_n_columns (self->metadata);
      g_autoptr(GPtrArray) names = g_ptr_array_new ();
      g_autoptr(EsMetadata) metadata = NULL;
      g_autofree const char **values = g_new0 (const char *, n_columns + 1);

      for (guint c = 0; c < n_columns; c++)
        g_ptr_array_add (names, (char *) es_metadata_get_column_name (self->metadata, c));
      g_ptr_array_add (names, NULL);
      metadata = es_metadata_new ((const char * const *) names->pdata);

      for (gsize i = 0; i < n_rows; i++)
        {
          for (guint c = 0; c < n_columns; c++)
            values[c] = es_metadata_get_value (self->metadata, rows[i], c);
          es_metadata_append_row (metadata, values);
        }
      es_embedding_set_set_metadata (subset, metadata);
    }

  return subset;
}

/* Attached data: derived results (the kNN graphs) cached on the set, freed
 * with it.  The set itself stays immutable; the cache sits under the lazy
 * lock like the norms.
 */
gpointer
_es_embedding_set_dup_attached (EsEmbeddingSet *self,
                                const char     *key,
                                gpointer      (*copy) (gpointer))
{
  gpointer data;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  g_mutex_lock (&self->lazy_lock);
  data = g_datalist_get_data (&self->attached, key);
  if (data != NULL && copy != NULL)
    data = copy (data);
  g_mutex_unlock (&self->lazy_lock);

  return data;
}

void
_es_embedding_set_set_attached (EsEmbeddingSet *self,
                                const char     *key,
                                gpointer        data,
                                GDestroyNotify  destroy)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (key != NULL);

  g_mutex_lock (&self->lazy_lock);
  g_datalist_set_data_full (&self->attached, key, data, destroy);
  g_mutex_unlock (&self->lazy_lock);
}
