/* es-pair-sorter.c: co-occurrence pairs counted by radix sort and merge
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A hash map of pair counts misses the cache on nearly every add once it
 * outgrows it; a buffer of pair keys is written in order, sorted by LSD
 * radix on the key's significant bits (≤ 12 bits a pass, 2–4 passes), and
 * reduced, so every memory access is sequential or within a
 * cache-resident histogram.
 */

#define G_LOG_DOMAIN "es-sparse"

#include "config.h"

#include "es-cooccur-private.h"

#include "es-cooccur.h"

#include "es-memory.h"

#ifdef __linux__
#include <sys/mman.h>
#endif

/* Large buffers are written once, in order: transparent huge pages (where
 * the system gives them on request) save most of the page faults, which
 * cost as much as the sorting on a virtual machine.
 */
void
_es_advise_huge_pages (gpointer p,
                       gsize    bytes)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  const guintptr huge = 2u << 20;
  guintptr from = ((guintptr) p + huge - 1) & ~(huge - 1), to = ((guintptr) p + bytes) & ~(huge - 1);

  if (p != NULL && to > from)
    madvise ((void *) from, to - from, MADV_HUGEPAGE);
#endif
}

gboolean
_es_pair_sorter_init (EsPairSorter   *self,
                      gsize           capacity,
                      gsize           expected,
                      guint           key_bits,
                      guint           distance_bits,
                      const guint64  *units,
                      GError        **error)
{
  memset (self, 0, sizeof *self);
  self->max_capacity = MAX (capacity, 2 * ES_COOCCUR_MAX_WINDOW);
  self->capacity = MIN (self->max_capacity, MAX (expected, 1 << 16));
  self->key_bits = MAX (key_bits, 1);
  self->distance_bits = distance_bits;
  self->units = units;
  if (!(self->buffer = es_memory_try_alloc (self->capacity, sizeof (guint64), "The co-occurrence buffer", error)) ||
      !(self->temp = es_memory_try_alloc (self->capacity, sizeof (guint64), "The co-occurrence buffer", error)) ||
      !(self->run_counts = es_memory_try_alloc (self->capacity, sizeof (guint64), "The co-occurrence buffer", error)))
    {
      _es_pair_sorter_clear (self);
      return FALSE;
    }
  _es_advise_huge_pages (self->buffer, self->capacity * sizeof (guint64));
  _es_advise_huge_pages (self->temp, self->capacity * sizeof (guint64));
  _es_advise_huge_pages (self->run_counts, self->capacity * sizeof (guint64));
  return TRUE;
}

void
_es_pair_run_clear (EsPairRun *run)
{
  g_clear_pointer (&run->keys, g_free);
  g_clear_pointer (&run->counts, g_free);
  run->len = 0;
  run->alloc = 0;
}

void
_es_pair_sorter_clear (EsPairSorter *self)
{
  g_clear_pointer (&self->buffer, g_free);
  g_clear_pointer (&self->temp, g_free);
  g_clear_pointer (&self->run_counts, g_free);
  _es_pair_run_clear (&self->acc);
  _es_pair_run_clear (&self->spare);
  self->fill = 0;
}

static gboolean
run_alloc (EsPairRun  *run,
           gsize       len,
           GError    **error)
{
  run->len = 0;
  run->alloc = len;
  run->keys = es_memory_try_alloc (len, sizeof (guint64), "The co-occurrence counts", error);
  run->counts = run->keys != NULL ? es_memory_try_alloc (len, sizeof (guint64), "The co-occurrence counts", error) : NULL;
  if (run->counts == NULL)
    {
      _es_pair_run_clear (run);
      return FALSE;
    }
  _es_advise_huge_pages (run->keys, len * sizeof (guint64));
  _es_advise_huge_pages (run->counts, len * sizeof (guint64));
  return TRUE;
}

/* LSD radix sort of @n keys of @bits significant bits; the sorted keys
 * end in *@keys (the two buffers may swap).
 */
static void
radix_sort (guint64 **keys,
            guint64 **temp,
            gsize     n,
            guint     bits)
{
  guint passes = (bits + 11) / 12, digit = (bits + passes - 1) / passes;
  gsize buckets = (gsize) 1 << digit;
  g_autofree gsize *hist = g_new0 (gsize, buckets * passes);
  guint64 *src = *keys, *dst = *temp;

  for (gsize i = 0; i < n; i++)
    {
      guint64 k = src[i];

      for (guint p = 0; p < passes; p++)
        hist[p * buckets + ((k >> (p * digit)) & (buckets - 1))]++;
    }
  for (guint p = 0; p < passes; p++)
    {
      gsize *h = hist + p * buckets, sum = 0;
      guint shift = p * digit;

      /* A digit that is the same in every key moves nothing. */
      if (h[(src[0] >> shift) & (buckets - 1)] == n)
        continue;
      for (gsize b = 0; b < buckets; b++)
        {
          gsize c = h[b];
          h[b] = sum;
          sum += c;
        }
      for (gsize i = 0; i < n; i++)
        {
          guint64 k = src[i];
          dst[h[(k >> shift) & (buckets - 1)]++] = k;
        }
      { guint64 *t = src; src = dst; dst = t; }
    }
  *keys = src;
  *temp = dst;
}

/* @out (room for a->len + b->len) ← the merge of @a and @b. */
static void
merge_into (EsPairRun       *out,
            const EsPairRun *a,
            const EsPairRun *b)
{
  gsize i = 0, j = 0, o = 0;

  while (i < a->len && j < b->len)
    {
      guint64 ka = a->keys[i], kb = b->keys[j];

      if (ka < kb)
        {
          out->keys[o] = ka;
          out->counts[o++] = a->counts[i++];
        }
      else if (kb < ka)
        {
          out->keys[o] = kb;
          out->counts[o++] = b->counts[j++];
        }
      else
        {
          out->keys[o] = ka;
          out->counts[o++] = a->counts[i++] + b->counts[j++];
        }
    }
  /* The tails; an empty run may have no arrays at all (memcpy wants them). */
  if (i < a->len)
    {
      memcpy (out->keys + o, a->keys + i, (a->len - i) * sizeof (guint64));
      memcpy (out->counts + o, a->counts + i, (a->len - i) * sizeof (guint64));
      o += a->len - i;
    }
  if (j < b->len)
    {
      memcpy (out->keys + o, b->keys + j, (b->len - j) * sizeof (guint64));
      memcpy (out->counts + o, b->counts + j, (b->len - j) * sizeof (guint64));
      o += b->len - j;
    }
  out->len = o;
}

gboolean
_es_pair_run_merge (EsPairRun  *a,
                    EsPairRun  *b,
                    EsPairRun  *into,
                    GError    **error)
{
  EsPairRun out;

  if (!run_alloc (&out, a->len + b->len, error))
    return FALSE;
  merge_into (&out, a, b);
  _es_pair_run_clear (a);
  _es_pair_run_clear (b);
  /* Give back the room the merged duplicates left. */
  out.keys = g_realloc (out.keys, MAX (out.len, 1) * sizeof (guint64));
  out.counts = g_realloc (out.counts, MAX (out.len, 1) * sizeof (guint64));
  out.alloc = out.len;
  *into = out;
  return TRUE;
}

gboolean
_es_pair_sorter_reserve (EsPairSorter  *self,
                         gsize          need,
                         GError       **error)
{
  gsize c = MIN (self->capacity * 2, self->max_capacity);
  guint64 *buffer;

  if (self->fill + need <= self->capacity)
    return TRUE;
  if (c == self->capacity || c < self->fill + need)
    return _es_pair_sorter_flush (self, error);
  /* Small corpora never allocate the whole buffer. */
  if (!es_memory_check (c, 3 * sizeof (guint64), "The co-occurrence buffer", NULL, error))
    return FALSE;
  buffer = g_realloc (self->buffer, c * sizeof (guint64));
  self->buffer = buffer;
  g_free (self->temp);
  g_free (self->run_counts);
  self->temp = g_malloc (c * sizeof (guint64));
  self->run_counts = g_malloc (c * sizeof (guint64));
  self->capacity = c;
  _es_advise_huge_pages (self->buffer, c * sizeof (guint64));
  _es_advise_huge_pages (self->temp, c * sizeof (guint64));
  _es_advise_huge_pages (self->run_counts, c * sizeof (guint64));
  return TRUE;
}

gboolean
_es_pair_sorter_flush (EsPairSorter  *self,
                       GError       **error)
{
  EsPairRun run = { 0 };
  gsize n = self->fill, o = 0;
  guint shift = self->distance_bits;
  guint64 mask = ((guint64) 1 << shift) - 1;
  guint64 *keys;

  if (n == 0)
    return TRUE;
  radix_sort (&self->buffer, &self->temp, n, self->key_bits);
  keys = self->buffer;

  /* Reduce: the pairs into temp, their counts into run_counts. */
  for (gsize i = 0; i < n;)
    {
      guint64 pair = keys[i] >> shift, count = 0;

      if (shift == 0)
        {
          gsize j = i;

          while (j < n && keys[j] == keys[i])
            j++;
          count = j - i;
          i = j;
        }
      else
        for (; i < n && keys[i] >> shift == pair; i++)
          count += self->units[keys[i] & mask];
      self->temp[o] = pair;
      self->run_counts[o++] = count;
    }
  self->fill = 0;
  run.keys = self->temp;
  run.counts = self->run_counts;
  run.len = o;

  /* acc ← acc + run through the spare (grown by half when short), so the
   * same two blocks serve every flush.
   */
  if (self->spare.alloc < self->acc.len + o)
    {
      gsize want = MAX (self->acc.len + o, self->spare.alloc + self->spare.alloc / 2);

      _es_pair_run_clear (&self->spare);
      if (!run_alloc (&self->spare, want, error))
        return FALSE;
    }
  merge_into (&self->spare, &self->acc, &run);
  { EsPairRun t = self->acc; self->acc = self->spare; self->spare = t; }
  return TRUE;
}
