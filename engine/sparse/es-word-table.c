/* es-word-table.c: a corpus's words and their counts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GHashTable with g_str_hash costs a pointer chase and a strcmp per
 * token; here a slot is 8 bytes (a hash tag with the length, an entry
 * index), the first 8 bytes of each word sit in a dense array, so a short
 * word is found without touching its entry or its string, and the slots
 * of a large vocabulary stay in cache; the words sit in one arena.
 */

#define G_LOG_DOMAIN "es-sparse"

#include "config.h"

#include "es-cooccur-private.h"
#include "es-sparse-private.h"

#include "es-engine-error.h"
#include "es-memory.h"

gboolean
_es_word_table_init (EsWordTable  *self,
                     gsize         capacity,
                     GError      **error)
{
  gsize c = 1024;

  while (c < capacity + capacity / 2)
    c *= 2;
  memset (self, 0, sizeof *self);
  self->slots = _es_alloc_huge (c, sizeof (EsWordSlot), TRUE, "The word table", error);
  self->entries_alloc = c / 4 * 3;
  self->entries = self->slots != NULL ? es_memory_try_alloc (self->entries_alloc, sizeof (EsWordEntry),
                                                              "The word table", error)
                                      : NULL;
  self->first8 = self->entries != NULL ? es_memory_try_alloc (self->entries_alloc, sizeof (guint64),
                                                               "The word table", error)
                                       : NULL;
  if (self->first8 == NULL)
    {
      _es_word_table_clear (self);
      return FALSE;
    }
  self->capacity = c;
  self->arena_alloc = 1 << 16;
  self->arena = g_malloc (self->arena_alloc);
  return TRUE;
}

void
_es_word_table_clear (EsWordTable *self)
{
  g_clear_pointer (&self->slots, g_free);
  g_clear_pointer (&self->entries, g_free);
  g_clear_pointer (&self->first8, g_free);
  g_clear_pointer (&self->arena, g_free);
  memset (self, 0, sizeof *self);
}

/* Doubles the slots (and the entries: at most 3 per 4 slots). */
static gboolean
grow (EsWordTable  *self,
      GError      **error)
{
  gsize c = self->capacity * 2, mask = c - 1, alloc = c / 4 * 3;
  EsWordSlot *slots;
  EsWordEntry *entries;
  guint64 *first8;

  if (!es_memory_check (alloc, sizeof (EsWordEntry) + sizeof (guint64), "The word table", NULL, error) ||
      !(slots = _es_alloc_huge (c, sizeof (EsWordSlot), TRUE, "The word table", error)))
    return FALSE;
  entries = g_try_realloc (self->entries, alloc * sizeof (EsWordEntry));
  if (entries != NULL)
    self->entries = entries;
  first8 = entries != NULL ? g_try_realloc (self->first8, alloc * sizeof (guint64)) : NULL;
  if (first8 == NULL)
    {
      g_free (slots);
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE, "The word table: out of memory");
      return FALSE;
    }
  self->first8 = first8;
  self->entries_alloc = alloc;
  for (gsize e = 0; e < self->size; e++)
    {
      guint64 hash = entries[e].hash;
      gsize j = hash & mask;

      while (slots[j].index != 0)
        j = (j + 1) & mask;
      slots[j].tag = _es_word_tag (hash, entries[e].len);
      slots[j].index = (guint32) (e + 1);
    }
  g_free (self->slots);
  self->slots = slots;
  self->capacity = c;
  return TRUE;
}

guint32
_es_word_table_insert (EsWordTable  *self,
                       const char   *word,
                       gsize         len,
                       guint64       first8,
                       guint64       hash,
                       GError      **error)
{
  gsize mask, i;
  EsWordEntry *e;

  if (G_UNLIKELY (len > G_MAXUINT32 || self->size >= G_MAXUINT32 - 2))
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                   len > G_MAXUINT32 ? "A word of %" G_GSIZE_FORMAT " bytes (at most 4 GB)"
                                     : "Too many distinct words (%" G_GSIZE_FORMAT ")",
                   len > G_MAXUINT32 ? len : self->size);
      return ES_WORD_TABLE_NONE;
    }
  if (G_UNLIKELY (self->size + 1 > self->capacity / 4 * 3) && !grow (self, error))
    return ES_WORD_TABLE_NONE;
  if (self->arena_len + len > self->arena_alloc)
    {
      guint64 bytes = MAX (self->arena_alloc * 2, self->arena_len + len);

      if (!es_memory_check (bytes, 1, "The words of the corpus", NULL, error))
        return ES_WORD_TABLE_NONE;
      self->arena = g_realloc (self->arena, bytes);
      self->arena_alloc = bytes;
    }
  mask = self->capacity - 1;
  for (i = hash & mask; self->slots[i].index != 0; i = (i + 1) & mask)
    ;
  e = &self->entries[self->size];
  memcpy (self->arena + self->arena_len, word, len);
  e->hash = hash;
  e->count = 0;
  e->offset = self->arena_len;
  e->len = (guint32) len;
  e->id = ES_WORD_TABLE_NONE;
  self->arena_len += len;
  self->first8[self->size] = first8;
  self->slots[i].tag = _es_word_tag (hash, len);
  self->slots[i].index = (guint32) ++self->size;
  return (guint32) (self->size - 1);
}
