/* es-vocabulary.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-vocabulary"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "es-vocabulary-private.h"

#define EMPTY_SLOT G_MAXUINT64

typedef struct
{
  guint64 index;        /* word index or EMPTY_SLOT */
  guint64 hash;         /* cached, so growing and probing never re-read words */
} EsVocabularySlot;

struct _EsVocabulary
{
  char *arena;          /* words, each followed by a NUL */
  gsize arena_len;
  gsize arena_alloc;
  guint64 *offsets;     /* n_words + 1 entries */
  gsize n_words;
  gsize offsets_alloc;
  EsVocabularySlot *slots; /* one cache line holds both fields of a probe */
  gsize n_slots;        /* power of two */
};

static inline guint64
hash_bytes (const char *word,
            gsize       len)
{
  /* FNV-1a with a final mix: words are short, this is not the bottleneck. */
  guint64 h = G_GUINT64_CONSTANT (0xcbf29ce484222325);

  for (gsize i = 0; i < len; i++)
    {
      h ^= (guchar) word[i];
      h *= G_GUINT64_CONSTANT (0x100000001b3);
    }
  h ^= h >> 33;
  h *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  h ^= h >> 33;

  return h;
}

/* Probes land anywhere in the table: with 4 KB pages nearly each one is
 * a TLB miss, which on a virtual machine costs a nested page walk.  A
 * large table asks for huge pages (aligned to them); a small one stays
 * in the TLB anyway.  Freed with g_free() either way (it is free()).
 */
#define HUGE_PAGE_BYTES (2u << 20)

static EsVocabularySlot *
alloc_slots (gsize n_slots)
{
  gsize bytes = n_slots * sizeof (EsVocabularySlot);
  void *mem = NULL;

  if (bytes < 2 * HUGE_PAGE_BYTES || posix_memalign (&mem, HUGE_PAGE_BYTES, bytes) != 0)
    return g_new (EsVocabularySlot, n_slots);
#ifdef MADV_HUGEPAGE
  madvise (mem, bytes, MADV_HUGEPAGE);
#endif

  return mem;
}

static void
grow_slots (EsVocabulary *self)
{
  gsize n_slots = self->n_slots ? self->n_slots * 2 : 64;
  EsVocabularySlot *slots = alloc_slots (n_slots);

  for (gsize i = 0; i < n_slots; i++)
    slots[i].index = EMPTY_SLOT;

  for (gsize i = 0; i < self->n_slots; i++)
    {
      gsize pos;

      if (self->slots[i].index == EMPTY_SLOT)
        continue;

      pos = self->slots[i].hash & (n_slots - 1);
      while (slots[pos].index != EMPTY_SLOT)
        pos = (pos + 1) & (n_slots - 1);
      slots[pos] = self->slots[i];
    }

  g_free (self->slots);
  self->slots = slots;
  self->n_slots = n_slots;
}

EsVocabulary *
es_vocabulary_new (gsize expected_words)
{
  EsVocabulary *self = g_new0 (EsVocabulary, 1);

  self->offsets_alloc = MAX (expected_words, 16) + 1;
  self->offsets = g_new (guint64, self->offsets_alloc);
  self->offsets[0] = 0;
  self->arena_alloc = MAX (expected_words, 16) * 8;
  self->arena = g_malloc (self->arena_alloc);

  while (self->n_slots < 2 * MAX (expected_words, 16))
    grow_slots (self);

  return self;
}

void
es_vocabulary_free (EsVocabulary *self)
{
  if (self == NULL)
    return;

  g_free (self->arena);
  g_free (self->offsets);
  g_free (self->slots);
  g_free (self);
}

gsize
es_vocabulary_get_size (const EsVocabulary *self)
{
  return self->n_words;
}

static gboolean
find_slot (const EsVocabulary *self,
           const char         *word,
           gsize               len,
           guint64             hash,
           gsize              *pos_out)
{
  gsize pos = hash & (self->n_slots - 1);

  while (self->slots[pos].index != EMPTY_SLOT)
    {
      guint64 index = self->slots[pos].index;

      if (self->slots[pos].hash == hash &&
          self->offsets[index + 1] - self->offsets[index] - 1 == len &&
          memcmp (self->arena + self->offsets[index], word, len) == 0)
        {
          *pos_out = pos;
          return TRUE;
        }
      pos = (pos + 1) & (self->n_slots - 1);
    }

  *pos_out = pos;
  return FALSE;
}

/* Returns FALSE (and the existing index) when the word is already there:
 * the first occurrence wins.
 */
guint64
_es_vocabulary_hash (const char *word,
                     gsize       len)
{
  return hash_bytes (word, len);
}

void
_es_vocabulary_prefetch (EsVocabulary *self,
                         guint64       hash)
{
  __builtin_prefetch (&self->slots[hash & (self->n_slots - 1)], 1);
}

gboolean
es_vocabulary_add (EsVocabulary *self,
                   const char   *word,
                   gsize         len,
                   gsize        *index)
{
  return _es_vocabulary_add_hashed (self, word, len, hash_bytes (word, len), index);
}

/* @hash must be _es_vocabulary_hash (word, len). */
gboolean
_es_vocabulary_add_hashed (EsVocabulary *self,
                           const char   *word,
                           gsize         len,
                           guint64       hash,
                           gsize        *index)
{
  gsize pos;

  if (find_slot (self, word, len, hash, &pos))
    {
      if (index != NULL)
        *index = self->slots[pos].index;
      return FALSE;
    }

  if (self->arena_len + len + 1 > self->arena_alloc)
    {
      self->arena_alloc = MAX (self->arena_alloc * 2, self->arena_len + len + 1);
      self->arena = g_realloc (self->arena, self->arena_alloc);
    }
  memcpy (self->arena + self->arena_len, word, len);
  self->arena[self->arena_len + len] = '\0';
  self->arena_len += len + 1;

  if (self->n_words + 2 > self->offsets_alloc)
    {
      self->offsets_alloc *= 2;
      self->offsets = g_renew (guint64, self->offsets, self->offsets_alloc);
    }
  self->offsets[self->n_words + 1] = self->arena_len;

  self->slots[pos].index = self->n_words;
  self->slots[pos].hash = hash;
  if (index != NULL)
    *index = self->n_words;
  self->n_words++;

  /* Keep the load factor under 1/2. */
  if (self->n_words * 2 > self->n_slots)
    grow_slots (self);

  return TRUE;
}

const char *
es_vocabulary_get_word (const EsVocabulary *self,
                        gsize               index,
                        gsize              *len)
{
  g_return_val_if_fail (index < self->n_words, NULL);

  if (len != NULL)
    *len = self->offsets[index + 1] - self->offsets[index] - 1;

  return self->arena + self->offsets[index];
}

gboolean
es_vocabulary_lookup (const EsVocabulary *self,
                      const char         *word,
                      gssize              len,
                      gsize              *index)
{
  gsize pos;

  if (len < 0)
    len = strlen (word);

  if (!find_slot (self, word, len, hash_bytes (word, len), &pos))
    return FALSE;

  if (index != NULL)
    *index = self->slots[pos].index;

  return TRUE;
}

gsize
es_vocabulary_get_memory_size (const EsVocabulary *self)
{
  return self->arena_alloc + self->offsets_alloc * sizeof (guint64) +
         self->n_slots * 2 * sizeof (guint64);
}
