/* es-cooccur-private.h: the word table and the pair counter of es-cooccur.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <string.h>

#include "es-sparse-matrix.h"

G_BEGIN_DECLS

/* ---- words → counts and ids: open addressing over 8-byte slots (a hash
 * tag with the length, an entry index); each entry's first 8 bytes in a
 * dense array beside, so a word of up to 8 bytes (most of them) is matched
 * without its entry or the arena; entries in order of first sight, which
 * puts the frequent words together (es-word-table.c) ---- */
typedef struct
{
  guint64 hash;
  guint64 count;
  guint64 offset;   /* into the arena */
  guint32 len;
  guint32 id;       /* free for the caller */
} EsWordEntry;

typedef struct
{
  guint32 tag;      /* the hash's bits 40..63, then MIN (len, 255) */
  guint32 index;    /* entry index + 1; 0 where the slot is free */
} EsWordSlot;

typedef struct
{
  EsWordSlot  *slots;
  gsize        capacity;  /* power of two */
  EsWordEntry *entries;
  guint64     *first8;    /* each entry's first 8 bytes, zero-padded */
  gsize        size;
  gsize        entries_alloc;
  char        *arena;
  guint64      arena_len;
  guint64      arena_alloc;
} EsWordTable;

#define ES_WORD_TABLE_NONE G_MAXUINT32

gboolean _es_word_table_init  (EsWordTable  *self,
                               gsize         capacity,
                               GError      **error);
void     _es_word_table_clear (EsWordTable  *self);
/* Adds a word known to be absent (count 0); ES_WORD_TABLE_NONE only when
 * memory is short (@error set).
 */
guint32  _es_word_table_insert (EsWordTable  *self,
                                const char   *word,
                                gsize         len,
                                guint64       first8,
                                guint64       hash,
                                GError      **error);

/* The first 8 bytes of @word, zero-padded.  @readable: the bytes from
 * @word that may be read (at least @len); with 8 of them, one load.
 */
static inline guint64
_es_word_first8 (const char *word,
                 gsize       len,
                 gsize       readable)
{
  guint64 w = 0;

#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  if (readable >= 8)
    {
      memcpy (&w, word, 8);
      return len >= 8 ? w : w & ((G_GUINT64_CONSTANT (1) << (8 * len)) - 1);
    }
#endif
  for (gsize i = 0; i < MIN (len, 8); i++)
    ((guint8 *) &w)[i] = (guint8) word[i];
  return w;
}

/* A multiply-xorshift hash: of @first8 and @len, then the bytes after the
 * 8th, 8 at a time.
 */
static inline guint64
_es_word_hash (const char *word,
               gsize       len,
               guint64     first8)
{
  const guint64 k = G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  guint64 h = ((len * k) ^ first8) * k;

  for (gsize i = 8; i < len; i += 8)
    {
      guint64 w = 0;

      memcpy (&w, word + i, MIN (8, len - i));
      h ^= h >> 29;
      h = (h ^ w) * k;
    }
  h ^= h >> 32;
  h *= G_GUINT64_CONSTANT (0xd6e8feb86659fd93);
  h ^= h >> 32;
  return h;
}

static inline guint32
_es_word_tag (guint64 hash,
              gsize   len)
{
  return (guint32) ((hash >> 40) << 8) | (guint32) MIN (len, 255);
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

/* The word's entry index, or ES_WORD_TABLE_NONE. */
static inline guint32
_es_word_table_find (const EsWordTable *self,
                     const char        *word,
                     gsize              len,
                     guint64            first8,
                     guint64            hash)
{
  gsize mask = self->capacity - 1;
  guint32 tag = _es_word_tag (hash, len);

  for (gsize i = hash & mask;; i = (i + 1) & mask)
    {
      const EsWordSlot *slot = &self->slots[i];

      if (slot->index == 0)
        return ES_WORD_TABLE_NONE;
      if (slot->tag == tag && self->first8[slot->index - 1] == first8)
        {
          const EsWordEntry *e;

          if (len <= 8)
            return slot->index - 1;
          e = &self->entries[slot->index - 1];
          if (e->len == len && _es_word_equal (self->arena + e->offset + 8, word + 8, len - 8))
            return slot->index - 1;
        }
    }
}

/* The word's entry index, added with count 0 when absent;
 * ES_WORD_TABLE_NONE only when memory is short (@error set).
 */
static inline guint32
_es_word_table_add (EsWordTable  *self,
                    const char   *word,
                    gsize         len,
                    guint64       first8,
                    guint64       hash,
                    GError      **error)
{
  guint32 index = _es_word_table_find (self, word, len, first8, hash);

  if (G_LIKELY (index != ES_WORD_TABLE_NONE))
    return index;
  return _es_word_table_insert (self, word, len, first8, hash, error);
}

/* ---- pair counts by bucket and accumulate (es-pair-counter.c) ----
 * Each thread's words, as vocabulary ids in text order with
 * ES_WORD_TABLE_NONE after each line.
 */
typedef struct
{
  guint32 *ids;
  gsize    len;
  gsize    alloc;
} EsIdStream;

/* Room for one more id (doubling); FALSE (@error set) when memory is short. */
gboolean _es_id_stream_grow  (EsIdStream  *self,
                              GError     **error);
void     _es_id_stream_clear (EsIdStream  *self);

static inline gboolean
_es_id_stream_append (EsIdStream  *self,
                      guint32      id,
                      GError     **error)
{
  if (G_UNLIKELY (self->len == self->alloc) && !_es_id_stream_grow (self, error))
    return FALSE;
  self->ids[self->len++] = id;
  return TRUE;
}

/* The symmetric co-occurrence matrix (vocab_size²) of the pairs within
 * @window of each other in @streams (@n_streams of them); @units[d] is
 * the count of a pair at distance d and @scale the unit (1, or
 * lcm(1..window) with distance weighting).  Rows go in sweeps of at most
 * @budget entries (0: chosen here; a row with more takes a sweep alone),
 * of 16 bits when @narrow allows and the vocabulary fits.  The same result for
 * any thread count.
 */
EsSparseMatrix *_es_pair_count (const EsIdStream *streams,
                                guint             n_streams,
                                gsize             vocab_size,
                                guint             window,
                                const guint64    *units,
                                guint64           scale,
                                guint64           budget,
                                gboolean          narrow,
                                GCancellable     *cancellable,
                                GError          **error);

/* A matrix taking @offsets (rows + 1), @columns and @values (nnz each, or
 * 1 when nnz is 0), all from g_malloc (es-sparse-matrix.c).
 */
EsSparseMatrix *_es_sparse_matrix_new_take (gsize     rows,
                                            gsize     cols,
                                            guint64   nnz,
                                            guint64  *offsets,
                                            guint32  *columns,
                                            float    *values);

G_END_DECLS
