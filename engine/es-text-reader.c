/* es-text-reader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * word2vec / fastText text (with a `ROWS DIMS` header), headerless GloVe
 * and TensorBoard projector tensor TSV: one pass over the whole buffer,
 * splitting each line on runs of space/TAB and parsing straight into the
 * matrix, with no allocation per line or per word.
 */

#define G_LOG_DOMAIN "es-loader"

#include "config.h"

#include <string.h>

#include "es-engine-error.h"
#include "es-loader-private.h"

gsize
_es_split_fields (const char  *line,
                  const char  *end,
                  EsField    **fields,
                  gsize       *alloc)
{
  const char *p = line;
  gsize n = 0;

  for (;;)
    {
      const char *start;

      while (p < end && (*p == ' ' || *p == '\t'))
        p++;
      if (p >= end)
        break;
      start = p;
      while (p < end && *p != ' ' && *p != '\t')
        p++;

      if (n == *alloc)
        {
          *alloc = MAX (16, *alloc * 2);
          *fields = g_renew (EsField, *fields, *alloc);
        }
      (*fields)[n].start = start;
      (*fields)[n].len = p - start;
      n++;
    }

  return n;
}

/* The line starting at @p, without its "\r\n"/"\n"; *next is the line after. */
static inline const char *
line_end (const char  *p,
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

gboolean
_es_read_w2v_header (EsLoadContext *ctx,
                     EsW2vHeader   *header,
                     GError       **error)
{
  g_autofree EsField *fields = NULL;
  gsize alloc = 0;
  const char *next;
  const char *stop = line_end (ctx->data, ctx->data + ctx->len, &next);
  gsize n = _es_split_fields (ctx->data, stop, &fields, &alloc);
  g_autofree char *shown = NULL;

  if (n != 2)
    {
      shown = _es_load_context_show (ctx->data, stop - ctx->data);
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_HEADER,
                   "%s:1: malformed header `%s` (expected `ROWS DIMS`)", ctx->name, shown);
      return FALSE;
    }
  if (!_es_parse_uint (fields[0].start, fields[0].len, &header->rows))
    {
      shown = _es_load_context_show (fields[0].start, fields[0].len);
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_HEADER,
                   "%s:1: invalid row count `%s` in the header", ctx->name, shown);
      return FALSE;
    }
  if (!_es_parse_uint (fields[1].start, fields[1].len, &header->dims) || header->dims == 0)
    {
      shown = _es_load_context_show (fields[1].start, fields[1].len);
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_HEADER,
                   "%s:1: invalid dimension count `%s` in the header", ctx->name, shown);
      return FALSE;
    }
  if (header->rows == 0)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_EMPTY,
                   "%s: file contains no vectors (the header says 0 rows)", ctx->name);
      return FALSE;
    }
  header->data_start = next - ctx->data;

  return TRUE;
}

/* Word bytes are kept as they are; invalid UTF-8 is a warning (lenient) or
 * an error (strict).  A NUL byte is always an error: it means binary data.
 */
gboolean
_es_check_word (EsLoadContext *ctx,
                const char    *word,
                gsize          len,
                const char    *where,
                GError       **error)
{
  g_autofree char *shown = NULL;

  if (G_LIKELY (g_utf8_validate_len (word, len, NULL)))
    return TRUE;

  shown = _es_load_context_show (word, len);
  if (memchr (word, '\0', len) != NULL)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_PARSE,
                   "%s: word `%s` contains a NUL byte (binary data?)", where, shown);
      return FALSE;
    }
  if (ctx->options->encoding == ES_ENCODING_STRICT)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_ENCODING,
                   "%s: invalid UTF-8 in word `%s`", where, shown);
      return FALSE;
    }
  _es_load_warnings_add (ctx->warnings, "%s: invalid UTF-8 in word `%s`, kept byte-exact",
                         where, shown);

  return TRUE;
}

/* Line number of each kept row, to name the first occurrence of a duplicate. */
void
_es_record_line (GArray  *lines,
                 guint64  line)
{
  g_array_append_val (lines, line);
}

typedef struct
{
  EsLoadContext *ctx;
  EsFormat       format;
  gsize          dims;
  EsField       *fields;
  gsize          fields_alloc;
} TextReader;

/* Parses the value fields [first, first + dims) of a line into @out. */
static gboolean
parse_values (TextReader *r,
              guint64     line,
              gsize       first,
              float      *out,
              GError    **error)
{
  const EsField *bad = NULL;
  EsFloatStatus bad_status = ES_FLOAT_OK;

  for (gsize j = 0; j < r->dims; j++)
    {
      const EsField *f = &r->fields[first + j];
      EsFloatStatus status = _es_parse_float (f->start, f->len, &out[j]);

      if (G_LIKELY (status == ES_FLOAT_OK))
        continue;

      if (status == ES_FLOAT_INVALID)
        {
          g_autofree char *shown = _es_load_context_show (f->start, f->len);

          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_PARSE,
                       "%s:%" G_GUINT64_FORMAT ": field %" G_GSIZE_FORMAT " (`%s`) is not a number",
                       r->ctx->name, line, first + j + 1, shown);
          return FALSE;
        }
      if (bad == NULL)
        {
          bad = f;
          bad_status = status;
        }
    }

  /* The row is kept (numbering stays as in the file) and masked later. */
  if (bad != NULL)
    {
      g_autofree char *shown = _es_load_context_show (bad->start, bad->len);

      if (bad_status == ES_FLOAT_OVERFLOW)
        _es_load_warnings_add (r->ctx->warnings,
                               "%s:%" G_GUINT64_FORMAT ": value out of float32 range (`%s`), read as inf",
                               r->ctx->name, line, shown);
      else
        _es_load_warnings_add (r->ctx->warnings,
                               "%s:%" G_GUINT64_FORMAT ": non-finite value %s",
                               r->ctx->name, line, shown);
    }

  return TRUE;
}

/* Splits a data line into word and values according to the format. */
static gboolean
locate_values (TextReader  *r,
               guint64      line,
               gsize        n,
               gsize       *first,
               GError     **error)
{
  gsize found;

  switch (r->format)
    {
    case ES_FORMAT_PROJECTOR_TSV:
      if (n == r->dims)
        {
          *first = 0;
          return TRUE;
        }
      found = n;
      break;

    case ES_FORMAT_GLOVE:
      /* Only headerless GloVe may have spaces in words (glove.840B's
       * ". . ."): the word is everything before the last D fields.  A
       * number just before them would make the split ambiguous, so that
       * counts as a wrong number of values.
       */
      if (n > r->dims)
        {
          float ignored;
          const EsField *before = &r->fields[n - r->dims - 1];

          if (n == r->dims + 1 ||
              _es_parse_float (before->start, before->len, &ignored) == ES_FLOAT_INVALID)
            {
              *first = n - r->dims;
              return TRUE;
            }
          found = r->dims;
          while (found < n - 1 &&
                 _es_parse_float (r->fields[n - found - 1].start,
                                  r->fields[n - found - 1].len, &ignored) != ES_FLOAT_INVALID)
            found++;
        }
      else
        found = n - 1;
      break;

    case ES_FORMAT_WORD2VEC_TEXT:
      if (n == r->dims + 1)
        {
          *first = 1;
          return TRUE;
        }
      found = n - 1;
      break;

    case ES_FORMAT_UNKNOWN:
    case ES_FORMAT_WORD2VEC_BINARY:
    case ES_FORMAT_PROJECTOR_BYTES:
    case ES_FORMAT_NPY:
    default:
      g_assert_not_reached ();
    }

  g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_DIMENSION,
               "%s:%" G_GUINT64_FORMAT ": expected %" G_GSIZE_FORMAT " values, found %" G_GSIZE_FORMAT,
               r->ctx->name, line, r->dims, found);
  return FALSE;
}

/* D of a headerless file, from its first data line. */
static gboolean
infer_dims (TextReader  *r,
            const char  *p,
            const char  *end,
            GError     **error)
{
  for (guint64 line = 1; p < end; line++)
    {
      const char *next;
      const char *stop = line_end (p, end, &next);
      gsize n = _es_split_fields (p, stop, &r->fields, &r->fields_alloc);
      gsize trailing = 0;
      float ignored;

      p = next;
      if (n == 0)
        continue;

      /* GloVe: trailing numeric fields, but the first field is the word. */
      while (trailing < n &&
             _es_parse_float (r->fields[n - trailing - 1].start,
                              r->fields[n - trailing - 1].len, &ignored) != ES_FLOAT_INVALID)
        trailing++;
      if (r->format == ES_FORMAT_GLOVE)
        trailing = MIN (trailing, n - 1);
      else if (trailing < n)
        trailing = 0;

      if (trailing == 0)
        {
          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_FORMAT,
                       "%s:%" G_GUINT64_FORMAT ": expected a word followed by numbers",
                       r->ctx->name, line);
          return FALSE;
        }
      r->dims = trailing;
      return TRUE;
    }

  g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_EMPTY,
               "%s: file contains no vectors", r->ctx->name);
  return FALSE;
}

EsEmbeddingSet *
_es_text_reader_load (EsLoadContext  *ctx,
                      EsFormat        format,
                      GError        **error)
{
  TextReader r = { ctx, format, 0, NULL, 0 };
  g_auto(EsRowBuilder) builder = { 0 };
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (guint64));
  const char *p = ctx->data;
  const char *end = ctx->data + ctx->len;
  const char *next;
  EsW2vHeader header = { 0 };
  gboolean has_header = format == ES_FORMAT_WORD2VEC_TEXT;
  gsize limit = ctx->options->limit;
  guint64 line = 0;
  guint64 last_data_line = 0;
  guint64 file_rows = 0;
  guint64 blank_first = 0;
  guint64 blank_count = 0;
  gboolean warned_extra = FALSE;
  gsize capacity;
  EsEmbeddingSet *set = NULL;
  char where[64];

  if (has_header)
    {
      guint64 wanted, min_bytes;

      if (!_es_read_w2v_header (ctx, &header, error))
        goto out;
      r.dims = header.dims;
      p = ctx->data + header.data_start;
      line = 1;

      /* Every value needs at least a digit and a separator: refuse a header
       * the file cannot hold before allocating anything from it.
       */
      wanted = limit > 0 ? MIN (header.rows, limit) : header.rows;
      if (!g_uint64_checked_mul (&min_bytes, wanted, header.dims) ||
          !g_uint64_checked_mul (&min_bytes, min_bytes, 2) ||
          min_bytes > ctx->len - header.data_start)
        {
          if (header.data_start == ctx->len)
            g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_EMPTY,
                         "%s:2: header promises %" G_GUINT64_FORMAT " rows, no data",
                         ctx->name, header.rows);
          else
            g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_HEADER,
                         "%s:1: implausible header: %" G_GUINT64_FORMAT " rows x %" G_GUINT64_FORMAT
                         " values cannot fit in %" G_GSIZE_FORMAT " bytes",
                         ctx->name, header.rows, header.dims, ctx->len);
          goto out;
        }
      capacity = wanted;
    }
  else
    {
      const char *first_stop;
      gsize first_len;

      if (!infer_dims (&r, p, end, error))
        goto out;

      /* Estimate the row count from the first line's length; the builder
       * grows if the guess is short.
       */
      first_stop = line_end (p, end, &next);
      first_len = MAX ((gsize) (next - p), 2 * r.dims);
      capacity = ctx->len / first_len + ctx->len / first_len / 8 + 16;
      capacity = MIN (capacity, ctx->len / (2 * r.dims) + 1);
      if (limit > 0)
        capacity = MIN (capacity, limit);
      (void) first_stop;
    }

  if (!_es_row_builder_init (&builder, ctx, r.dims, capacity, error))
    goto out;

  for (; p < end; p = next)
    {
      const char *stop = line_end (p, end, &next);
      gsize n;
      gsize first = 0;
      float *slot;
      gsize first_row;

      line++;
      if (G_UNLIKELY ((gsize) (p - ctx->data) >= ctx->next_poll) &&
          !_es_load_context_poll (ctx, p - ctx->data, error))
        goto out;

      n = _es_split_fields (p, stop, &r.fields, &r.fields_alloc);
      if (n == 0)
        {
          /* Blank lines are only worth a warning when data follows. */
          if (blank_count++ == 0)
            blank_first = line;
          continue;
        }
      if (limit > 0 && file_rows == limit)
        break;
      for (; blank_count > 0; blank_count--, blank_first++)
        _es_load_warnings_add (ctx->warnings, "%s:%" G_GUINT64_FORMAT ": blank line skipped",
                               ctx->name, blank_first);

      if (has_header && file_rows == header.rows && !warned_extra)
        {
          _es_load_warnings_add (ctx->warnings,
                                 "%s:%" G_GUINT64_FORMAT ": header says %" G_GUINT64_FORMAT
                                 " rows, more data from line %" G_GUINT64_FORMAT,
                                 ctx->name, line, header.rows, line);
          warned_extra = TRUE;
        }

      if (!locate_values (&r, line, n, &first, error))
        goto out;
      slot = _es_row_builder_slot (&builder, error);
      if (slot == NULL || !parse_values (&r, line, first, slot, error))
        goto out;
      file_rows++;
      last_data_line = line;

      if (format == ES_FORMAT_PROJECTOR_TSV)
        {
          /* Words come from the metadata once every row is known. */
          builder.rows++;
          continue;
        }

      {
        const char *word = r.fields[0].start;
        gsize word_len = r.fields[first - 1].start + r.fields[first - 1].len - word;

        g_snprintf (where, sizeof where, "%" G_GUINT64_FORMAT, line);
        if (G_UNLIKELY (!g_utf8_validate_len (word, word_len, NULL)))
          {
            g_autofree char *prefix = g_strdup_printf ("%s:%s", ctx->name, where);

            if (!_es_check_word (ctx, word, word_len, prefix, error))
              goto out;
          }
        if (G_UNLIKELY (!_es_row_builder_commit (&builder, word, word_len, &first_row)))
          {
            g_autofree char *shown = _es_load_context_show (word, word_len);

            _es_load_warnings_add (ctx->warnings,
                                   "%s:%" G_GUINT64_FORMAT ": duplicate word `%s` (first at line %"
                                   G_GUINT64_FORMAT "), this row skipped",
                                   ctx->name, line, shown, g_array_index (lines, guint64, first_row));
            continue;
          }
        _es_record_line (lines, line);
      }
    }

  if (has_header && file_rows < header.rows && (limit == 0 || file_rows < limit))
    {
      if (file_rows == 0)
        g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_EMPTY,
                     "%s:2: header promises %" G_GUINT64_FORMAT " rows, no data",
                     ctx->name, header.rows);
      else
        g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TRUNCATED,
                     "%s: expected %" G_GUINT64_FORMAT " rows, found %" G_GUINT64_FORMAT
                     " (end of file after line %" G_GUINT64_FORMAT ")",
                     ctx->name, header.rows, file_rows, last_data_line);
      goto out;
    }
  if (builder.rows == 0)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_EMPTY,
                   "%s: file contains no vectors", ctx->name);
      goto out;
    }

  if (format == ES_FORMAT_PROJECTOR_TSV)
    set = _es_attach_projector_metadata (ctx, &builder, ctx->metadata_path, error);
  else
    set = _es_row_builder_finish (&builder);

out:
  g_free (r.fields);
  return set;
}
