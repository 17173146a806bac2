/* es-text-fast-line.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The text reader's line parser, included twice by
 * es-text-reader-private.h (no include guard): as ES_TEXT_FAST_LINE,
 * built with ES_TEXT_FAST_LINE_TARGET, parsing values with ES_TEXT_SPAN
 * (_es_parse_float_span or its SSSE3 twin).
 */

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
 * time (_es_text_edges), not from the end of the previous value's parse,
 * so each value is parsed on its own from a known start and must end
 * exactly at the next separator, and the core overlaps several.  The
 * usual value (ES_TEXT_SPAN) leaves its digits and divisor in a batch
 * whose divisions run together; the rest go through the digit reader
 * and the general number parser as before, one by one.  The last value's
 * end comes from its parse, since its line ends there and the next
 * separator may be on the next line.
 */
ES_TEXT_FAST_LINE_TARGET static inline gboolean
ES_TEXT_FAST_LINE (const EsTextReader  *r,
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
          if (G_LIKELY (ES_TEXT_SPAN (start, end, &m[i], &divisor[i])))
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

