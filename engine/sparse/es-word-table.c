/* es-word-table.c: a corpus's words and their counts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GHashTable with g_str_hash costs a pointer chase and a strcmp per
 * token; here a slot holds the full 64-bit hash and the length, so a
 * probe compares bytes only on a real match, and the words sit in one
 * arena.
 */

#define G_LOG_DOMAIN "es-sparse"

#include "config.h"

#include "es-cooccur-private.h"

#include "es-engine-error.h"
#include "es-memory.h"

gboolean
_es_word_table_init (EsWordTable  *self,
                     gsize         capacity,
                     GError      **error)
{
  gsize c = 1024;

  while (c < capacity)
    c *= 2;
  memset (self, 0, sizeof *self);
  self->slots = es_memory_try_alloc0 (c, sizeof (EsWordSlot), "The word table", error);
  if (self->slots == NULL)
    return FALSE;
  self->capacity = c;
  self->arena_alloc = 1 << 16;
  self->arena = g_malloc (self->arena_alloc);
  return TRUE;
}

void
_es_word_table_clear (EsWordTable *self)
{
  g_clear_pointer (&self->slots, g_free);
  g_clear_pointer (&self->arena, g_free);
  memset (self, 0, sizeof *self);
}

static gboolean
grow (EsWordTable  *self,
      GError      **error)
{
  gsize c = self->capacity * 2, mask = c - 1;
  EsWordSlot *slots = es_memory_try_alloc0 (c, sizeof (EsWordSlot), "The word table", error);

  if (slots == NULL)
    return FALSE;
  for (gsize i = 0; i < self->capacity; i++)
    if (self->slots[i].len != 0)
      {
        gsize j = self->slots[i].hash & mask;

        while (slots[j].len != 0)
          j = (j + 1) & mask;
        slots[j] = self->slots[i];
      }
  g_free (self->slots);
  self->slots = slots;
  self->capacity = c;
  return TRUE;
}

EsWordSlot *
_es_word_table_add (EsWordTable  *self,
                    const char   *word,
                    gsize         len,
                    guint64       hash,
                    GError      **error)
{
  gsize mask, i;
  EsWordSlot *slot;

  if (G_UNLIKELY (len > G_MAXUINT32))
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                   "A word of %" G_GSIZE_FORMAT " bytes (at most 4 GB)", len);
      return NULL;
    }
  if (G_UNLIKELY ((self->size + 1) * 2 > self->capacity) && !grow (self, error))
    return NULL;
  mask = self->capacity - 1;
  for (i = hash & mask;; i = (i + 1) & mask)
    {
      slot = &self->slots[i];
      if (slot->len == 0)
        break;
      if (slot->hash == hash && slot->len == len && _es_word_equal (self->arena + slot->offset, word, len))
        return slot;
    }

  if (self->arena_len + len > self->arena_alloc)
    {
      guint64 bytes = MAX (self->arena_alloc * 2, self->arena_len + len);

      if (!es_memory_check (bytes, 1, "The words of the corpus", NULL, error))
        return NULL;
      self->arena = g_realloc (self->arena, bytes);
      self->arena_alloc = bytes;
    }
  memcpy (self->arena + self->arena_len, word, len);
  slot->hash = hash;
  slot->count = 0;
  slot->offset = self->arena_len;
  slot->len = (guint32) len;
  slot->id = G_MAXUINT32;
  self->arena_len += len;
  self->size++;
  return slot;
}
