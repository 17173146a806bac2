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

/* The common line in one pass: a single-token word (none for TSV) and
 * exactly D finite numbers.  Anything else returns FALSE and the line goes
 * through the general path (split, locate, parse), which knows every
 * special case and error message; that keeps this loop small and fast.
 */
static inline gboolean
_es_text_fast_line (const EsTextReader  *r,
                    const char          *p,
                    const char          *stop,
                    float               *out,
                    const char         **word,
                    gsize               *word_len)
{
  if (r->format != ES_FORMAT_PROJECTOR_TSV)
    {
      while (p < stop && _es_is_separator (*p))
        p++;
      *word = p;
      while (p < stop && !_es_is_separator (*p))
        p++;
      *word_len = p - *word;
      if (*word_len == 0)
        return FALSE;
    }

  /* A line ended by '\n' with 16 more bytes after it lets the 8-byte
   * digit reader run without bounds checks: it stops at the '\n' (or the
   * '\r' before it) like at any non-digit.
   */
  if ((gsize) (r->ctx->data + r->ctx->len - stop) >= 16)
    {
      for (gsize j = 0; j < r->dims; j++)
        {
          const char *q;

          while (_es_is_separator (*p))
            p++;
          if (p == stop)
            return FALSE;
          if (G_UNLIKELY (!_es_parse_float_swar (p, &out[j], &q)) &&
              _es_parse_float_prefix (p, stop, &out[j], &q) != ES_FLOAT_OK)
            return FALSE;
          p = q;
          if (p < stop && !_es_is_separator (*p))
            return FALSE;
        }
    }
  else
    {
      for (gsize j = 0; j < r->dims; j++)
        {
          while (p < stop && _es_is_separator (*p))
            p++;
          if (p == stop ||
              _es_parse_float_prefix (p, stop, &out[j], &p) != ES_FLOAT_OK ||
              (p < stop && !_es_is_separator (*p)))
            return FALSE;
        }
    }
  while (p < stop && _es_is_separator (*p))
    p++;

  return p == stop;
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
