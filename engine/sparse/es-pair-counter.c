/* es-pair-counter.c: co-occurrence pairs counted by bucket and accumulate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The words are in memory as ids, so the pairs are enumerated twice: once
 * to count each row's entries (a pair (a, b) adds b to row a and a to row
 * b), then to write each entry straight into its row's place (a counting
 * sort by row with no keys stored twice).  Each row is then summed in a
 * dense accumulator the size of the vocabulary (in cache) and read back in
 * column order through a two-level bitmap.  Rows go in ranges of at most
 * `budget` entries, so the buffer stays bounded; the threads take disjoint
 * streams, then disjoint rows, and counts are integers: the result does
 * not depend on the thread count.
 */

#define G_LOG_DOMAIN "es-sparse"

#include "config.h"

#include "es-cooccur-private.h"

#include "es-engine-error.h"
#include "es-memory.h"
#include "es-sparse-private.h"

#include <stdlib.h>
#include <string.h>


gboolean
_es_id_stream_grow (EsIdStream  *self,
                    GError     **error)
{
  gsize alloc = MAX (self->alloc * 2, 1 << 20);
  guint32 *ids;

  if (self->ids == NULL)
    {
      self->ids = _es_alloc_huge (alloc, sizeof (guint32), FALSE, "The words of the corpus", error);
      self->alloc = self->ids != NULL ? alloc : 0;
      return self->ids != NULL;
    }
  if (!es_memory_check (alloc, sizeof (guint32), "The words of the corpus", NULL, error))
    return FALSE;
  if (!(ids = g_try_realloc (self->ids, alloc * sizeof (guint32))))
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE, "The words of the corpus: out of memory");
      return FALSE;
    }
  self->ids = ids;
  self->alloc = alloc;
  return TRUE;
}

void
_es_id_stream_clear (EsIdStream *self)
{
  g_clear_pointer (&self->ids, g_free);
  self->len = self->alloc = 0;
}

typedef struct
{
  guint64 *acc;     /* vocab_size counts, zero between rows */
  guint64 *bits;    /* a bit per column touched */
  guint64 *words;   /* a bit per non-zero word of bits */
  guint32 *cols;    /* where this sweep's rows go */
  float   *vals;
  gsize    len;
} Accumulator;

typedef struct
{
  const EsIdStream *streams;
  guint             n_streams;
  gsize             n;          /* vocabulary size */
  guint             window;
  guint             dbits;      /* low bits of an entry holding the distance */
  const guint64    *units;
  guint64           scale;
  guint64          *hist;       /* n_streams × n: each stream's entries per row */
  guint64          *start;      /* the sweep's rows: where each starts in buffer (span + 1) */
  guint64          *pos;        /* n_streams × span: each stream's next place per row */
  gpointer          buffer;     /* guint16 entries when narrow, else guint32 */
  gboolean          narrow;
  gsize             r0, r1;     /* the sweep's rows */
  gsize             mid;        /* accumulator 0 takes [r0, mid), 1 [mid, r1) */
  guint64          *offsets;    /* n + 1: each row's entries, summed at the end */
  guint32          *cols;       /* the matrix's columns and values, room for bound */
  float            *vals;
  Accumulator       accs[2];
} Counter;

/* Each row's entries in one stream. */
static void
histogram_task (guint    index,
                gpointer data)
{
  Counter *c = data;
  const guint32 *ids = c->streams[index].ids;
  gsize n = c->streams[index].len, w = c->window;
  guint64 *h = c->hist + (gsize) index * c->n;

  for (gsize s = 0; s < n;)
    {
      gsize e = s;

      while (e < n && ids[e] != ES_WORD_TABLE_NONE)
        e++;
      for (gsize t = s; t < e; t++)
        {
          gsize last = MIN (e, t + w + 1);

          h[ids[t]] += last - t - 1;
          for (gsize u = t + 1; u < last; u++)
            h[ids[u]]++;
        }
      s = e + 1;
    }
}

/* Each entry of the sweep's rows to its place: a column (and a distance),
 * 16 bits when the vocabulary fits and there is no distance, else 32.
 */
#define SCATTER(T)                                                            \
  for (gsize s = 0; s < n;)                                                   \
    {                                                                         \
      gsize e = s;                                                            \
                                                                              \
      while (e < n && ids[e] != ES_WORD_TABLE_NONE)                           \
        e++;                                                                  \
      for (gsize t = s; t < e; t++)                                           \
        {                                                                     \
          gsize last = MIN (e, t + w + 1), a = ids[t];                        \
          gboolean a_in = a - r0 < span;                                      \
                                                                              \
          for (gsize u = t + 1; u < last; u++)                                \
            {                                                                 \
              gsize b = ids[u];                                               \
              guint32 d = dbits ? (guint32) (u - t) : 0;                      \
                                                                              \
              if (a_in)                                                       \
                ((T *) c->buffer)[pos[a - r0]++] = (T) ((b << dbits) | d);    \
              if (b - r0 < span)                                              \
                ((T *) c->buffer)[pos[b - r0]++] = (T) ((a << dbits) | d);    \
            }                                                                 \
        }                                                                     \
      s = e + 1;                                                              \
    }

static void
scatter_task (guint    index,
              gpointer data)
{
  Counter *c = data;
  const guint32 *ids = c->streams[index].ids;
  gsize n = c->streams[index].len, w = c->window, r0 = c->r0, span = c->r1 - c->r0;
  guint64 *pos = c->pos + (gsize) index * span;
  guint dbits = c->dbits;

  if (c->narrow)
    SCATTER (guint16)
  else
    SCATTER (guint32)
}

static gboolean
accumulator_init (Accumulator  *a,
                  gsize         n,
                  GError      **error)
{
  gsize words = (n + 63) / 64;

  if (a->acc != NULL)
    return TRUE;
  return (a->acc = es_memory_try_alloc0 (n, sizeof (guint64), "The co-occurrence rows", error)) != NULL &&
         (a->bits = es_memory_try_alloc0 (words, sizeof (guint64), "The co-occurrence rows", error)) != NULL &&
         (a->words = es_memory_try_alloc0 ((words + 63) / 64, sizeof (guint64), "The co-occurrence rows", error)) != NULL;
}

/* Rows [from, to) of the sweep summed, in column order, into a->out. */
static void
accumulate_task (guint    index,
                 gpointer data)
{
  Counter *c = data;
  Accumulator *a = &c->accs[index];
  gsize from = index == 0 ? c->r0 : c->mid, to = index == 0 ? c->mid : c->r1;
  guint64 *acc = a->acc, *bits = a->bits, *words = a->words;
  guint dbits = c->dbits;
  guint32 dmask = (1u << dbits) - 1;
  gsize o = 0;

  for (gsize r = from; r < to; r++)
    {
      gsize e = c->start[r - c->r0], end = c->start[r + 1 - c->r0];
      guint32 lo = G_MAXUINT32, hi = 0;
      gsize first = o;

      if (e == end)
        {
          c->offsets[r + 1] = 0;
          continue;
        }
#define MARK(col, add)                                          \
      G_STMT_START {                                            \
        acc[col] += (add);                                      \
        bits[(col) >> 6] |= (guint64) 1 << ((col) & 63);        \
        words[(col) >> 12] |= (guint64) 1 << (((col) >> 6) & 63); \
        lo = MIN (lo, col);                                     \
        hi = MAX (hi, col);                                     \
      } G_STMT_END
      if (c->narrow)
        for (const guint16 *x = (const guint16 *) c->buffer + e, *xend = (const guint16 *) c->buffer + end; x < xend; x++)
          {
            guint32 col = *x;
            MARK (col, 1);
          }
      else
        for (const guint32 *x = (const guint32 *) c->buffer + e, *xend = (const guint32 *) c->buffer + end; x < xend; x++)
          {
            guint32 col = *x >> dbits;
            MARK (col, dbits ? c->units[*x & dmask] : 1);
          }
#undef MARK
      for (gsize w2 = lo >> 12; w2 <= hi >> 12; w2++)
        for (guint64 x2 = words[w2]; x2 != 0; x2 &= x2 - 1)
          {
            gsize w1 = w2 * 64 + (gsize) __builtin_ctzll (x2);

            for (guint64 x1 = bits[w1]; x1 != 0; x1 &= x1 - 1)
              {
                gsize col = w1 * 64 + (gsize) __builtin_ctzll (x1);
                guint64 count = acc[col];

                a->cols[o] = (guint32) col;
                a->vals[o++] = c->scale == 1 ? (float) count : (float) ((double) count / (double) c->scale);
                acc[col] = 0;
              }
            bits[w1] = 0;
          }
      for (gsize w2 = lo >> 12; w2 <= hi >> 12; w2++)
        words[w2] = 0;
      c->offsets[r + 1] = o - first;
    }
  a->len = o;
}

static void
counter_clear (Counter *c)
{
  g_free (c->hist);
  g_free (c->start);
  g_free (c->pos);
  g_free (c->buffer);
  g_free (c->offsets);
  g_free (c->cols);
  g_free (c->vals);
  for (guint i = 0; i < 2; i++)
    {
      g_free (c->accs[i].acc);
      g_free (c->accs[i].bits);
      g_free (c->accs[i].words);
    }
}

/* The end of the sweep starting at row @r0: rows while their entries fit
 * in @budget (at least one row).
 */
static gsize
sweep_end (const guint64 *total,
           gsize          n,
           gsize          r0,
           guint64        budget)
{
  guint64 sum = total[r0];
  gsize r1 = r0 + 1;

  while (r1 < n && sum + total[r1] <= budget)
    sum += total[r1++];
  return r1;
}

/* Room for a row's distinct columns: its entries, at most the vocabulary. */
static inline guint64
row_bound (const guint64 *total,
           gsize          r,
           gsize          n)
{
  return MIN (total[r], n);
}

EsSparseMatrix *
_es_pair_count (const EsIdStream *streams,
                guint             n_streams,
                gsize             vocab_size,
                guint             window,
                const guint64    *units,
                guint64           scale,
                guint64           budget,
                gboolean          narrow,
                GCancellable     *cancellable,
                GError          **error)
{
  Counter c = { 0 };
  g_autofree guint64 *total = NULL;
  guint64 max_sweep = 0, max_span = 0, bound = 0, at = 0, entries = 0;
  EsSparseMatrix *m;
  gsize n = vocab_size;

  g_return_val_if_fail (n_streams == 2, NULL);
  c.streams = streams;
  c.n_streams = n_streams;
  c.n = n;
  c.window = window;
  c.units = units;
  c.scale = scale;
  c.dbits = scale == 1 ? 0 : g_bit_storage (window);
  if (n == 0 || (guint64) n >= (G_GUINT64_CONSTANT (1) << (32 - c.dbits)))
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE, "Too many words (%" G_GSIZE_FORMAT ")", n);
      return NULL;
    }
  if (!(c.hist = es_memory_try_alloc0 (n, n_streams * sizeof (guint64), "The co-occurrence rows", error)) ||
      !(total = es_memory_try_alloc (n, sizeof (guint64), "The co-occurrence rows", error)) ||
      !(c.offsets = es_memory_try_alloc0 (n + 1, sizeof (guint64), "The co-occurrence matrix", error)))
    goto fail;
  _es_sparse_run_parallel (n_streams, histogram_task, &c);
  for (gsize r = 0; r < n; r++)
    {
      total[r] = c.hist[r] + c.hist[n + r];
      bound += row_bound (total, r, n);
      entries += total[r];
    }
  /* Each sweep enumerates every pair again, and every page of the buffer
   * is fresh memory to fault in: 8M entries (32 MB) per sweep or an eighth
   * of them, whichever is more, cost about the same time as one sweep and
   * far less memory (measured in tests/bench/RESULTS-corpus.md).
   */
  if (budget == 0)
    budget = MAX (G_GUINT64_CONSTANT (1) << 23, entries / 8 + 1);

  /* The sweeps' largest size and span, for one buffer. */
  for (gsize r0 = 0, r1; r0 < n; r0 = r1)
    {
      guint64 sum = 0;

      r1 = sweep_end (total, n, r0, budget);
      for (gsize r = r0; r < r1; r++)
        sum += total[r];
      max_sweep = MAX (max_sweep, sum);
      max_span = MAX (max_span, r1 - r0);
    }
  /* The columns and values get room for the bound; the pages past the
   * real count are never touched, and given back at the end.
   */
  c.narrow = narrow && c.dbits == 0 && n <= 65536;
  if (!(c.buffer = _es_alloc_huge (MAX (max_sweep, 1), c.narrow ? 2 : 4, FALSE, "The co-occurrence buffer", error)) ||
      !(c.start = es_memory_try_alloc (max_span + 1, sizeof (guint64), "The co-occurrence rows", error)) ||
      !(c.pos = es_memory_try_alloc (max_span, n_streams * sizeof (guint64), "The co-occurrence rows", error)) ||
      !(c.cols = _es_alloc_huge (MAX (bound, 1), sizeof (guint32), FALSE, "The co-occurrence matrix", error)) ||
      !(c.vals = _es_alloc_huge (MAX (bound, 1), sizeof (float), FALSE, "The co-occurrence matrix", error)) ||
      !accumulator_init (&c.accs[0], n, error) || !accumulator_init (&c.accs[1], n, error))
    goto fail;

  for (gsize r1; c.r0 < n; c.r0 = r1)
    {
      gsize span;
      guint64 half, bound0 = 0;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto fail;
      c.r1 = r1 = sweep_end (total, n, c.r0, budget);
      span = r1 - c.r0;
      c.start[0] = 0;
      for (gsize i = 0; i < span; i++)
        {
          c.pos[i] = c.start[i];
          c.pos[span + i] = c.start[i] + c.hist[c.r0 + i];
          c.start[i + 1] = c.start[i] + total[c.r0 + i];
        }
      _es_sparse_run_parallel (n_streams, scatter_task, &c);

      /* Two halves of about the same number of entries; the second half's
       * rows go after the first's room, then move down to close the gap.
       */
      half = c.start[span] / 2;
      for (c.mid = c.r0; c.mid < r1 && c.start[c.mid - c.r0] < half; c.mid++)
        bound0 += row_bound (total, c.mid, n);
      c.accs[0].cols = c.cols + at;
      c.accs[0].vals = c.vals + at;
      c.accs[1].cols = c.cols + at + bound0;
      c.accs[1].vals = c.vals + at + bound0;
      _es_sparse_run_parallel (2, accumulate_task, &c);
      if (c.accs[1].len > 0 && c.accs[0].len < bound0)
        {
          memmove (c.cols + at + c.accs[0].len, c.accs[1].cols, c.accs[1].len * sizeof (guint32));
          memmove (c.vals + at + c.accs[0].len, c.accs[1].vals, c.accs[1].len * sizeof (float));
        }
      at += c.accs[0].len + c.accs[1].len;
    }

  for (gsize r = 0; r < n; r++)
    c.offsets[r + 1] += c.offsets[r];
  g_assert (c.offsets[n] == at);
  m = _es_sparse_matrix_new_take (n, n, at, g_steal_pointer (&c.offsets),
                                  g_realloc (g_steal_pointer (&c.cols), MAX (at, 1) * sizeof (guint32)),
                                  g_realloc (g_steal_pointer (&c.vals), MAX (at, 1) * sizeof (float)));
  counter_clear (&c);
  return m;

fail:
  counter_clear (&c);
  return NULL;
}
