/* es-text-reader-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the text reader and its second-thread worker.
 */

#pragma once

#include <string.h>

#if defined (__SSE2__)
#include <emmintrin.h>
#endif

#include "es-float-parser-private.h"
#include "es-loader-private.h"

G_BEGIN_DECLS

typedef struct
{
  EsLoadContext *ctx;
  EsFormat       format;
  gsize          dims;
  EsField       *fields;
  gsize          fields_alloc;
} EsTextReader;

static inline gboolean
_es_is_separator (char c)
{
  return c == ' ' || c == '\t';
}

/* Bytes the digit reader may read past the start of a value. */
#define ES_TEXT_LOOKAHEAD 32

/* Values parsed together by _es_text_fast_line(). */
#define ES_TEXT_BATCH 64

/* Where values must start for _es_text_fast_line() in a buffer. */
static inline const char *
_es_text_safe_end (const char *data,
                   gsize       len)
{
  return len > ES_TEXT_LOOKAHEAD ? data + len - ES_TEXT_LOOKAHEAD : data;
}

/* Bit i of the result is set when @b[i] is a separator (' ' or '\t'),
 * for the 64 bytes at @b.  The value loop finds where values start and
 * end from these bits instead of from the end of the previous value's
 * parse, so the parses of a line no longer wait for each other.
 */
static inline guint64
_es_text_separator_bits (const char *b)
{
#if defined (__SSE2__)
  const __m128i space = _mm_set1_epi8 (' ');
  const __m128i tab = _mm_set1_epi8 ('\t');
  guint64 bits = 0;

  for (guint k = 0; k < 4; k++)
    {
      __m128i v = _mm_loadu_si128 ((const __m128i *) (b + 16 * k));
      __m128i sep = _mm_or_si128 (_mm_cmpeq_epi8 (v, space), _mm_cmpeq_epi8 (v, tab));

      bits |= (guint64) (guint16) _mm_movemask_epi8 (sep) << (16 * k);
    }

  return bits;
#else
  /* Eight bytes at a time: a byte of y is zero iff it was ' ' (or '\t'
   * for z); the high bit of each byte of "nonzero" is exact (no borrow
   * from the neighbours), then the eight high bits are gathered.
   */
  const guint64 low7 = G_GUINT64_CONSTANT (0x7F7F7F7F7F7F7F7F);
  guint64 bits = 0;

  for (guint k = 0; k < 8; k++)
    {
      guint64 x;
      guint64 y, z, sep;

      memcpy (&x, b + 8 * k, sizeof x);
      x = GUINT64_FROM_LE (x);
      y = x ^ G_GUINT64_CONSTANT (0x2020202020202020);
      z = x ^ G_GUINT64_CONSTANT (0x0909090909090909);
      sep = ~(((y & low7) + low7) | y) | ~(((z & low7) + low7) | z);
      sep = (sep & ~low7) >> 7;
      bits |= ((sep * G_GUINT64_CONSTANT (0x0102040810204080)) >> 56) << (8 * k);
    }

  return bits;
#endif
}

/* Separator-to-value and value-to-separator changes in the 64 bytes at
 * @b, in order; *carry is 1 when the byte before @b is a separator, and
 * becomes that of the last byte.
 */
static inline guint64
_es_text_edges (const char *b,
                guint64    *carry)
{
  guint64 sep = _es_text_separator_bits (b);
  guint64 edges = sep ^ ((sep << 1) | *carry);

  *carry = sep >> 63;

  return edges;
}

/* The common line in one pass: a single-token word (none for TSV) and
 * exactly D finite numbers, then "\n" or "\r\n".  The line's end is found
 * on the way (no memchr pass first); *next is the line after it.  Anything
 * else returns FALSE and the line goes through the general path (split,
 * locate, parse), which knows every special case and error message; that
 * keeps this loop small and fast.  Values start before @safe_end, at least
 * ES_TEXT_LOOKAHEAD readable bytes before the end of the buffer, which the
 * 8-byte digit reader needs; lines nearer the end take the general path.
 * A line ends at its '\n', so the parse never passes the line it is on.
 * With @prefetch, the word is hashed for the builder's next commit.
 *
 * The values' starts and ends come from separator bits, 64 bytes at a
 * time (_es_text_edges), so each value is parsed from a known start and
 * must end exactly at the next separator: one value's parse does not wait
 * for the one before, and the core overlaps several.  The blocks are read
 * only while they end within the buffer (@safe_end + ES_TEXT_LOOKAHEAD);
 * the last value's end comes from its parse, as before, since its line
 * ends there and the next separator may be on the next line.
 */
static inline gboolean
_es_text_fast_line (const EsTextReader  *r,
                    const char          *p,
                    const char          *safe_end,
                    float               *out,
                    const char         **word,
                    gsize               *word_len,
                    const char         **next,
                    EsRowBuilder        *prefetch)
{
  const char *base;
  const char *q;
  guint64 edges, carry = 1;

  if (r->format != ES_FORMAT_PROJECTOR_TSV)
    {
      while (p < safe_end && _es_is_separator (*p))
        p++;
      *word = p;
      while (p < safe_end && !_es_is_separator (*p) && *p != '\n' && *p != '\r')
        p++;
      *word_len = p - *word;
      if (*word_len == 0 || p >= safe_end || !_es_is_separator (*p))
        return FALSE;
      /* The word's hash slot arrives while the values are parsed. */
      if (prefetch != NULL)
        _es_row_builder_prefetch (prefetch, *word, *word_len);
    }

  /* The next 64-byte block, if @safe_end is at least 64 bytes after its
   * start: then every value found in it starts before @safe_end, with
   * the ES_TEXT_LOOKAHEAD bytes the digit readers need, and the block
   * itself is within the buffer.
   */
#define ES_TEXT_NEXT_EDGES()                                            \
  while (G_UNLIKELY (edges == 0))                                       \
    {                                                                   \
      base += 64;                                                       \
      if (safe_end - base < 64)                                         \
        return FALSE;                                                   \
      edges = _es_text_edges (base, &carry);                            \
    }

  base = p;
  if (safe_end - base < 64)
    return FALSE;
  edges = _es_text_edges (base, &carry);

  /* All values but the last, a batch at a time: their m and divisor
   * first, then the divisions together, then the values the span parser
   * left, one by one.
   */
  for (gsize j0 = 0; j0 + 1 < r->dims; j0 += ES_TEXT_BATCH)
    {
      gsize n = MIN (ES_TEXT_BATCH, r->dims - 1 - j0);
      guint32 m[ES_TEXT_BATCH];
      float divisor[ES_TEXT_BATCH];
      const char *left_start[ES_TEXT_BATCH];
      const char *left_end[ES_TEXT_BATCH];
      gsize left[ES_TEXT_BATCH];
      gsize n_left = 0;

      for (gsize i = 0; i < n; i++)
        {
          const char *start;
          const char *end;

          ES_TEXT_NEXT_EDGES ();
          start = base + (guint) __builtin_ctzll (edges);
          edges &= edges - 1;
          ES_TEXT_NEXT_EDGES ();
          end = base + (guint) __builtin_ctzll (edges);
          edges &= edges - 1;
          if (G_LIKELY (_es_parse_float_span (start, end, &m[i], &divisor[i])))
            continue;
          m[i] = 0;
          divisor[i] = 1.0f;
          left[n_left] = i;
          left_start[n_left] = start;
          left_end[n_left] = end;
          n_left++;
        }
      _es_span_divide (m, divisor, out + j0, n);

      for (gsize k = 0; k < n_left; k++)
        {
          float *value = &out[j0 + left[k]];

          /* A value can hold no '\n', so the buffer's end bounds it as
           * well as the line's end would.  Anything but a separator
           * after the number (a '\n' too early, a junk byte) leaves it
           * short of the next separator.
           */
          if ((!_es_parse_float_swar (left_start[k], value, &q) &&
               _es_parse_float_prefix (left_start[k], safe_end + ES_TEXT_LOOKAHEAD, value, &q) != ES_FLOAT_OK) ||
              q != left_end[k])
            return FALSE;
        }
    }

  /* The last value ends where its parse does (its line ends there). */
  ES_TEXT_NEXT_EDGES ();
  {
    const char *start = base + (guint) __builtin_ctzll (edges);

    if (!_es_parse_float_swar (start, &out[r->dims - 1], &q) &&
        _es_parse_float_prefix (start, safe_end + ES_TEXT_LOOKAHEAD, &out[r->dims - 1], &q) != ES_FLOAT_OK)
      return FALSE;
  }
#undef ES_TEXT_NEXT_EDGES

  p = q;
  /* A long value (the general parser's) may end at the buffer's end. */
  if (p >= safe_end)
    return FALSE;
  while (p < safe_end && _es_is_separator (*p))
    p++;
  if (p >= safe_end)
    return FALSE;

  /* Here the line must end: fewer values (or trailing text) are the
   * general path's to report.
   */
  if (*p == '\n')
    {
      *next = p + 1;
      return TRUE;
    }
  if (*p == '\r' && p[1] == '\n')
    {
      *next = p + 2;
      return TRUE;
    }

  return FALSE;
}

/* The line starting at @p, without its "\r\n"/"\n"; *next is the line after. */
static inline const char *
_es_line_end (const char  *p,
              const char  *end,
              const char **next)
{
  const char *nl = memchr (p, '\n', end - p);
  const char *stop = nl != NULL ? nl : end;

  *next = nl != NULL ? nl + 1 : end;
  if (stop > p && stop[-1] == '\r')
    stop--;

  return stop;
}

/* Parses [start, end) (start at a line start) with the fast path only, in
 * a thread of its own, until a line needs the general path.
 */
typedef struct _EsTextWorker EsTextWorker;

EsTextWorker *_es_text_worker_start (const EsTextReader *reader,
                                     const char       *first,
                                     const char       *start,
                                     const char       *end,
                                     float            *matrix,
                                     gsize             total_rows);
void          _es_text_worker_stop  (EsTextWorker     *self);
void          _es_text_worker_join  (EsTextWorker     *self);
gsize         _es_text_worker_get_progress (EsTextWorker *self);
gsize         _es_text_worker_get_rows     (EsTextWorker *self);
const float  *_es_text_worker_get_row      (EsTextWorker *self,
                                            gsize         row,
                                            const char  **word,
                                            gsize        *word_len);
const char   *_es_text_worker_get_stop     (EsTextWorker *self);
void          _es_text_worker_free         (EsTextWorker *self);

G_END_DECLS
