/* es-cooccur-private.h: the word table and the pair sorter of es-cooccur.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

/* ---- words → counts and ids: open addressing, strings in one arena
 * (es-word-table.c) ---- */
typedef struct
{
  guint64 hash;
  guint64 count;
  guint64 offset;   /* into the arena */
  guint32 len;      /* 0 where the slot is free (a word has ≥ 1 byte) */
  guint32 id;       /* in the vocabulary, or G_MAXUINT32 */
} EsWordSlot;

typedef struct
{
  EsWordSlot *slots;
  gsize       capacity;  /* power of two */
  gsize       size;
  char       *arena;
  guint64     arena_len;
  guint64     arena_alloc;
} EsWordTable;

gboolean _es_word_table_init  (EsWordTable  *self,
                               gsize         capacity,
                               GError      **error);
void     _es_word_table_clear (EsWordTable  *self);
/* The word's slot, added with count 0 when absent; NULL only when growing
 * fails (@error set).
 */
EsWordSlot *_es_word_table_add (EsWordTable  *self,
                                const char   *word,
                                gsize         len,
                                guint64       hash,
                                GError      **error);

/* A multiply-xorshift hash of the bytes, 8 at a time. */
static inline guint64
_es_word_hash (const char *word,
               gsize       len)
{
  const guint64 k = G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  guint64 h = len * k;
  gsize i = 0;

  for (; i + 8 <= len; i += 8)
    {
      guint64 w;

      memcpy (&w, word + i, 8);
      h = (h ^ w) * k;
      h ^= h >> 29;
    }
  if (i < len)
    {
      guint64 w = 0;

      memcpy (&w, word + i, len - i);
      h = (h ^ w) * k;
    }
  h ^= h >> 32;
  h *= G_GUINT64_CONSTANT (0xd6e8feb86659fd93);
  h ^= h >> 32;
  return h;
}

/* memcmp () == 0 inline: words are short, a libc call costs more. */
static inline gboolean
_es_word_equal (const char *a,
                const char *b,
                gsize       len)
{
  for (; len >= 8; a += 8, b += 8, len -= 8)
    {
      guint64 x, y;

      memcpy (&x, a, 8);
      memcpy (&y, b, 8);
      if (x != y)
        return FALSE;
    }
  for (; len > 0; len--)
    if (*a++ != *b++)
      return FALSE;
  return TRUE;
}

/* The slot of a word already in the table, or NULL. */
static inline const EsWordSlot *
_es_word_table_find (const EsWordTable *self,
                     const char        *word,
                     gsize              len,
                     guint64            hash)
{
  gsize mask = self->capacity - 1;

  for (gsize i = hash & mask;; i = (i + 1) & mask)
    {
      const EsWordSlot *slot = &self->slots[i];

      if (slot->len == 0)
        return NULL;
      if (slot->hash == hash && slot->len == len && _es_word_equal (self->arena + slot->offset, word, len))
        return slot;
    }
}

/* ---- pair counts by sort and reduce (es-pair-sorter.c) ----
 * Each pair is one 64-bit key (with the distance in its low bits when
 * weighted).  Keys go into a buffer; a full buffer is radix-sorted on the
 * key's bits only, reduced to (pair, count) and merged into a sorted
 * accumulator.  Counts are integers, so the result does not depend on the
 * order of the pairs.
 */
typedef struct
{
  guint64 *keys;     /* pair keys, strictly increasing */
  guint64 *counts;
  gsize    len;
  gsize    alloc;
} EsPairRun;

typedef struct
{
  guint64       *buffer;
  guint64       *temp;
  gsize          fill;
  gsize          capacity;
  gsize          max_capacity;  /* the buffer doubles up to this, then flushes */
  guint          key_bits;      /* bits of a buffered key */
  guint          distance_bits; /* its low bits holding the distance, or 0 */
  const guint64 *units;         /* the count of distance d, when weighted */
  guint64       *run_counts;    /* a flushed buffer's counts (capacity) */
  EsPairRun      acc;
  EsPairRun      spare;         /* the next merge's output, swapped with acc */
} EsPairSorter;

/* @capacity keys at most, @expected (when known) from the start. */
gboolean _es_pair_sorter_init  (EsPairSorter   *self,
                                gsize           capacity,
                                gsize           expected,
                                guint           key_bits,
                                guint           distance_bits,
                                const guint64  *units,
                                GError        **error);
void     _es_pair_sorter_clear (EsPairSorter   *self);
/* Room for @need more keys: the buffer doubles while below its maximum,
 * else it is flushed; FALSE (error set) only when memory is short.
 */
gboolean _es_pair_sorter_reserve (EsPairSorter  *self,
                                  gsize          need,
                                  GError       **error);
/* Sorts and merges the buffer into the accumulator; FALSE (error set) only
 * when memory is short.
 */
gboolean _es_pair_sorter_flush (EsPairSorter   *self,
                                GError        **error);
/* *@into ← the merge of @a and @b (their counts summed), allocated to
 * size; @a and @b are freed.
 */
gboolean _es_pair_run_merge    (EsPairRun      *a,
                                EsPairRun      *b,
                                EsPairRun      *into,
                                GError        **error);
void     _es_pair_run_clear    (EsPairRun      *run);
/* madvise (MADV_HUGEPAGE) on the whole 2 MB pages inside [p, p + bytes). */
void     _es_advise_huge_pages (gpointer        p,
                                gsize           bytes);

G_END_DECLS
