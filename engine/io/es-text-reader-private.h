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
  gboolean       ssse3;         /* the CPU has SSSE3 (_es_text_fast_line) */
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
 * for the 64 bytes at @b, eight bytes at a time on any machine: a byte
 * of y is zero iff it was ' ' (of z: '\t'); the high bit of each byte
 * of "nonzero" is exact (no carry between bytes), and one multiplication
 * gathers the eight flags.
 */
static inline guint64
_es_text_separator_bits_portable (const char *b)
{
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
}

/* The same with SSE2 where there is (all x86-64).  The value loop finds
 * where values start and end from these bits instead of from the end of
 * the previous value's parse, so the parses of a line no longer wait for
 * each other.
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
  return _es_text_separator_bits_portable (b);
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

/* _es_text_fast_line(): once as it builds everywhere, once with SSSE3
 * for the values (x86, chosen at run time by EsTextReader.ssse3).
 */
#define ES_TEXT_FAST_LINE _es_text_fast_line_generic
#define ES_TEXT_FAST_LINE_TARGET
#define ES_TEXT_SPAN _es_parse_float_span
#include "es-text-fast-line.h"
#undef ES_TEXT_FAST_LINE
#undef ES_TEXT_FAST_LINE_TARGET
#undef ES_TEXT_SPAN

#if ES_HAVE_SPAN_SSSE3
#define ES_TEXT_FAST_LINE _es_text_fast_line_ssse3
#define ES_TEXT_FAST_LINE_TARGET __attribute__ ((target ("ssse3")))
#define ES_TEXT_SPAN _es_parse_float_span_ssse3
#include "es-text-fast-line.h"
#undef ES_TEXT_FAST_LINE
#undef ES_TEXT_FAST_LINE_TARGET
#undef ES_TEXT_SPAN
#endif

/* The common line in one pass (see es-text-fast-line.h); FALSE leaves it
 * to the general path.
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
#if ES_HAVE_SPAN_SSSE3
  if (r->ssse3)
    return _es_text_fast_line_ssse3 (r, p, safe_end, out, word, word_len, next, prefetch);
#endif

  return _es_text_fast_line_generic (r, p, safe_end, out, word, word_len, next, prefetch);
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
