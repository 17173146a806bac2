/* es-text-reader-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the text reader and its second-thread worker.
 */

#pragma once

#include <string.h>

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

/* Where values must start for _es_text_fast_line() in a buffer. */
static inline const char *
_es_text_safe_end (const char *data,
                   gsize       len)
{
  return len > ES_TEXT_LOOKAHEAD ? data + len - ES_TEXT_LOOKAHEAD : data;
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

  for (gsize j = 0; j < r->dims; j++)
    {
      const char *q;

      while (p < safe_end && _es_is_separator (*p))
        p++;
      if (p >= safe_end)
        return FALSE;
      /* A value can hold no '\n', so the buffer's end bounds it as well
       * as the line's end would.
       */
      if (G_UNLIKELY (!_es_parse_float_swar (p, &out[j], &q)) &&
          _es_parse_float_prefix (p, safe_end + ES_TEXT_LOOKAHEAD, &out[j], &q) != ES_FLOAT_OK)
        return FALSE;
      p = q;
      /* A long value (the general parser's) may end at the buffer's end. */
      if (p >= safe_end || (j + 1 < r->dims && !_es_is_separator (*p)))
        return FALSE;
    }
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
