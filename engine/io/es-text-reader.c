/* es-text-reader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * word2vec / fastText text (with a `ROWS DIMS` header), headerless GloVe
 * and TensorBoard projector tensor TSV: one pass over the whole buffer,
 * splitting each line on runs of space/TAB and parsing straight into the
 * matrix, with no allocation per line or per word.  Common lines take a
 * one-pass fast path; everything unusual (blank lines, non-finite values,
 * words with spaces, errors) goes through a general path that knows all
 * the rules.  Large files are split in two at a line boundary and the
 * second half is read by es-text-worker.c on another core.  Gzipped text
 * arrives block by block (pass_stream): the same pass reads the complete
 * lines of each block and carries the last, partial one over.
 */

#define G_LOG_DOMAIN "es-loader"
/* memrchr is a GNU extension of <string.h>. */
#define _GNU_SOURCE

#include "config.h"

#include <string.h>

#include "es-engine-error.h"
#include "es-loader-private.h"
#include "es-memory.h"
#include "es-text-reader-private.h"
#include "es-vocabulary-private.h"

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

gboolean
_es_read_w2v_header (EsLoadContext *ctx,
                     EsW2vHeader   *header,
                     GError       **error)
{
  g_autofree EsField *fields = NULL;
  gsize alloc = 0;
  const char *next;
  const char *stop = _es_line_end (ctx->data, ctx->data + ctx->len, &next);
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


/* Parses the value fields [first, first + dims) of a line into @out. */
static gboolean
parse_values (EsTextReader *r,
              guint64     line,
              gsize       first,
              float      *out,
              gboolean   *finite,
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
  *finite = bad == NULL;
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
locate_values (EsTextReader  *r,
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
    case ES_FORMAT_SAFETENSORS:
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
infer_dims (EsTextReader  *r,
            const char  *p,
            const char  *end,
            GError     **error)
{
  for (guint64 line = 1; p < end; line++)
    {
      const char *next;
      const char *stop = _es_line_end (p, end, &next);
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

/* Mean length of the first (up to) 256 lines or 1 MB. */
static gsize
mean_line_length (const char *p,
                  const char *end)
{
  const char *start = p;
  const char *limit = p + MIN ((gsize) (end - p), (gsize) 1 << 20);
  gsize lines = 0;

  while (p < limit && lines < 256)
    {
      const char *nl = memchr (p, '\n', limit - p);

      if (nl == NULL)
        break;
      p = nl + 1;
      lines++;
    }
  if (lines == 0)
    return end - start;

  return (p - start) / lines;
}

/* Tests force the two-thread paths on small files (and one-core
 * machines); the threshold is shared by every reader.
 */
void
_es_text_reader_set_split_min (gsize bytes)
{
  _es_load_set_split_min (bytes);
}

/* Everything one pass over the lines keeps, so that the pass can stop at
 * the middle of the file and resume after the worker's rows are merged.
 */
typedef struct
{
  EsTextReader  r;
  EsRowBuilder  builder;
  GArray       *lines;          /* line number of each kept row */
  EsW2vHeader   header;
  gboolean      has_header;
  gsize         limit;
  guint64       line;           /* number of the last line read */
  guint64       last_data_line;
  guint64       file_rows;      /* data lines, duplicates included */
  guint64       blank_first;    /* pending blank lines, warned about once data follows */
  guint64       blank_count;
  gboolean      warned_extra;
  gboolean      done;           /* limit reached */
  EsTextWorker *worker;         /* for progress while it runs */
  const char   *worker_start;
  const char   *released;       /* input before this was given back */
} TextPass;

static gboolean
pass_poll (TextPass    *pass,
           const char  *p,
           GError     **error)
{
  EsLoadContext *ctx = pass->r.ctx;
  gsize done = p - ctx->data;

  /* Both halves count towards progress while the worker runs. */
  if (pass->worker != NULL)
    done += _es_text_worker_get_progress (pass->worker);

  if (!_es_load_context_poll (ctx, done, error))
    return FALSE;
  ctx->next_poll = (p - ctx->data) + ES_LOAD_POLL_BYTES;
  _es_load_context_release (ctx, pass->released, p);
  pass->released = p;

  return TRUE;
}

/* Bookkeeping due before every data line: pending blank lines and rows
 * beyond the header's count.
 */
static void
pass_before_data (TextPass *pass)
{
  EsLoadContext *ctx = pass->r.ctx;

  for (; pass->blank_count > 0; pass->blank_count--, pass->blank_first++)
    _es_load_warnings_add (ctx->warnings, "%s:%" G_GUINT64_FORMAT ": blank line skipped",
                           ctx->name, pass->blank_first);

  if (pass->has_header && pass->file_rows == pass->header.rows && !pass->warned_extra)
    {
      _es_load_warnings_add (ctx->warnings,
                             "%s:%" G_GUINT64_FORMAT ": header says %" G_GUINT64_FORMAT
                             " rows, more data from line %" G_GUINT64_FORMAT,
                             ctx->name, pass->line, pass->header.rows, pass->line);
      pass->warned_extra = TRUE;
    }
}

/* Keeps the row just parsed into the builder's slot under @word. */
static gboolean
pass_commit (TextPass    *pass,
             const char  *word,
             gsize        word_len,
             gboolean     finite,
             GError     **error)
{
  EsLoadContext *ctx = pass->r.ctx;
  gsize first_row;

  pass->file_rows++;
  pass->last_data_line = pass->line;
  if (pass->limit > 0 && pass->file_rows == pass->limit)
    pass->done = TRUE;

  if (pass->r.format == ES_FORMAT_PROJECTOR_TSV)
    {
      /* Words come from the metadata once every row is known. */
      pass->builder.rows++;
      return TRUE;
    }

  if (G_UNLIKELY (!g_utf8_validate_len (word, word_len, NULL)))
    {
      g_autofree char *prefix = g_strdup_printf ("%s:%" G_GUINT64_FORMAT, ctx->name, pass->line);

      if (!_es_check_word (ctx, word, word_len, prefix, error))
        return FALSE;
    }

  if (G_LIKELY (_es_row_builder_commit (&pass->builder, word, word_len, finite, &first_row)))
    _es_record_line (pass->lines, pass->line);
  else
    {
      g_autofree char *shown = _es_load_context_show (word, word_len);

      _es_load_warnings_add (ctx->warnings,
                             "%s:%" G_GUINT64_FORMAT ": duplicate word `%s` (first at line %"
                             G_GUINT64_FORMAT "), this row skipped",
                             ctx->name, pass->line, shown,
                             g_array_index (pass->lines, guint64, first_row));
    }

  return TRUE;
}

/* Reads the lines of [p, end); p is at a line start. */
static gboolean
pass_read (TextPass    *pass,
           const char  *p,
           const char  *end,
           GError     **error)
{
  EsTextReader *r = &pass->r;
  EsLoadContext *ctx = r->ctx;
  const char *safe_end = _es_text_safe_end (ctx->data, ctx->len);
  const char *next;

  for (; p < end && !pass->done; p = next)
    {
      const char *stop;
      const char *word = NULL;
      gsize word_len = 0;
      gsize n, first = 0;
      gboolean finite = TRUE;
      float *slot;

      pass->line++;
      if (G_UNLIKELY ((gsize) (p - ctx->data) >= ctx->next_poll) && !pass_poll (pass, p, error))
        return FALSE;

      slot = _es_row_builder_slot (&pass->builder, error);
      if (slot == NULL)
        return FALSE;

      /* The common line, unless some bookkeeping is due. */
      if (G_LIKELY (_es_text_fast_line (r, p, safe_end, slot, &word, &word_len, &next,
                                        r->format != ES_FORMAT_PROJECTOR_TSV ? &pass->builder : NULL)) &&
          G_LIKELY (pass->blank_count == 0 &&
                    !(pass->has_header && pass->file_rows == pass->header.rows)))
        {
          /* The fast path takes finite values only. */
          if (!pass_commit (pass, word, word_len, TRUE, error))
            return FALSE;
          continue;
        }

      stop = _es_line_end (p, end, &next);
      n = _es_split_fields (p, stop, &r->fields, &r->fields_alloc);
      if (n == 0)
        {
          /* Blank lines are only worth a warning when data follows. */
          if (pass->blank_count++ == 0)
            pass->blank_first = pass->line;
          continue;
        }
      pass_before_data (pass);

      if (!locate_values (r, pass->line, n, &first, error) ||
          !parse_values (r, pass->line, first, slot, &finite, error))
        return FALSE;
      if (first > 0)
        {
          word = r->fields[0].start;
          word_len = r->fields[first - 1].start + r->fields[first - 1].len - word;
        }
      if (!pass_commit (pass, word, word_len, finite, error))
        return FALSE;
    }

  return TRUE;
}

/* Takes the worker's rows in file order, as if this thread had read them. */
static gboolean
pass_merge (TextPass      *pass,
            EsTextWorker  *worker,
            GError       **error)
{
  gsize rows = _es_text_worker_get_rows (worker);
  gsize dims = pass->r.dims;

  g_debug ("%s: merging %" G_GSIZE_FORMAT " rows parsed by the second thread",
           pass->r.ctx->name, rows);

  for (gsize i = 0; i < rows && !pass->done; i++)
    {
      const char *word;
      gsize word_len;
      const float *values = _es_text_worker_get_row (worker, i, &word, &word_len);
      float *slot = _es_row_builder_slot (&pass->builder, error);

      /* A tight loop of inserts: fetch the slots a few words ahead. */
      if (i + 8 < rows)
        {
          const char *ahead;
          gsize ahead_len;

          _es_text_worker_get_row (worker, i + 8, &ahead, &ahead_len);
          _es_vocabulary_prefetch (pass->builder.vocabulary, _es_vocabulary_hash (ahead, ahead_len));
        }

      if (slot == NULL)
        return FALSE;
      pass->line++;
      pass_before_data (pass);
      /* In place unless earlier lines were blank or duplicates. */
      if (slot != values)
        memmove (slot, values, dims * sizeof (float));
      /* The worker takes fast-path (finite) lines only. */
      if (!pass_commit (pass, word, word_len, TRUE, error))
        return FALSE;
    }

  return TRUE;
}

/* Streamed gzip text: the lines of each inflated block, the last
 * (partial) line carried over to the next.  pass_read() never polls here
 * (its offsets are within a block): refills do.
 */
static gboolean
pass_stream (TextPass    *pass,
             const char  *p,
             GError     **error)
{
  EsLoadContext *ctx = pass->r.ctx;
  gsize no_newline = 0;   /* bytes at p known to hold no '\n' */

  ctx->next_poll = G_MAXSIZE;
  for (;;)
    {
      const char *end = ctx->data + ctx->len;
      gboolean eof = ctx->stream_eof;
      const char *complete = end;

      if (!eof)
        {
          /* Only the new bytes: a line longer than a block would otherwise
           * be scanned again at every block (quadratic).
           */
          const char *from = p + MIN (no_newline, (gsize) (end - p));
          const char *nl = memrchr (from, '\n', end - from);

          complete = nl != NULL ? nl + 1 : p;
          no_newline = end - complete;
        }
      if (complete > p && !pass_read (pass, p, complete, error))
        return FALSE;
      if (eof || pass->done)
        return TRUE;
      p = complete;
      if (!_es_load_context_refill (ctx, &p, error))
        return FALSE;
    }
}

/* The size of the text, or for a stream a guess (for sizing only). */
static guint64
text_size (EsLoadContext *ctx)
{
  if (ctx->stream != NULL)
    return MIN (_es_gzip_stream_get_size_hint (ctx->stream), ctx->memory_limit);

  return ctx->len;
}

EsEmbeddingSet *
_es_text_reader_load (EsLoadContext  *ctx,
                      EsFormat        format,
                      GError        **error)
{
  TextPass pass = { { ctx, format, 0, NULL, 0 } };
  const char *p = ctx->data;
  const char *end = ctx->data + ctx->len;
  gsize capacity;
  gsize first_len;
  EsEmbeddingSet *set = NULL;

#if ES_HAVE_SPAN_SSSE3
  pass.r.ssse3 = __builtin_cpu_supports ("ssse3");
#endif
  pass.lines = g_array_new (FALSE, FALSE, sizeof (guint64));
  pass.released = ctx->data;
  pass.has_header = format == ES_FORMAT_WORD2VEC_TEXT;
  pass.limit = ctx->options->limit;

  if (pass.has_header)
    {
      guint64 wanted, min_bytes;

      if (!_es_read_w2v_header (ctx, &pass.header, error))
        goto out;
      pass.r.dims = pass.header.dims;
      p = ctx->data + pass.header.data_start;
      pass.line = 1;

      /* Every value needs at least a digit and a separator: refuse a header
       * the file cannot hold before allocating anything from it.
       */
      wanted = pass.limit > 0 ? MIN (pass.header.rows, pass.limit) : pass.header.rows;
      if (ctx->stream != NULL)
        {
          /* Streamed: the size is not known yet; a header that promises
           * more than the text holds ends in the "expected N rows" error.
           */
          guint64 row_bytes;

          /* 2 * dims wraps for a header of 2^63 dimensions. */
          if (!es_checked_mul (pass.header.dims, 2, &row_bytes))
            capacity = 1;
          else
            capacity = MIN (wanted, text_size (ctx) / row_bytes + 1);
        }
      else if (!g_uint64_checked_mul (&min_bytes, wanted, pass.header.dims) ||
          !g_uint64_checked_mul (&min_bytes, min_bytes, 2) ||
          min_bytes > ctx->len - pass.header.data_start)
        {
          if (pass.header.data_start == ctx->len)
            g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_EMPTY,
                         "%s:2: header promises %" G_GUINT64_FORMAT " rows, no data",
                         ctx->name, pass.header.rows);
          else
            g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_HEADER,
                         "%s:1: implausible header: %" G_GUINT64_FORMAT " rows x %" G_GUINT64_FORMAT
                         " values cannot fit in %" G_GSIZE_FORMAT " bytes",
                         ctx->name, pass.header.rows, pass.header.dims, ctx->len);
          goto out;
        }
      else
        capacity = wanted;
    }
  else
    {
      if (!infer_dims (&pass.r, p, end, error))
        goto out;

      /* Estimate the row count from the mean length of the first lines
       * (one line alone can be much longer than the rest); the builder
       * grows if the guess is short, but growing copies the matrix and
       * doubles the peak, and capacity never touched costs no memory, so
       * the margin is generous.  An estimate must not fail the memory
       * check on its own: growing later checks the real need.
       */
      first_len = mean_line_length (p, end);
      first_len = MAX (first_len, 2 * pass.r.dims);
      capacity = text_size (ctx) / first_len + text_size (ctx) / first_len / 4 + 16;
      capacity = MIN (capacity, text_size (ctx) / (2 * pass.r.dims) + 1);
      capacity = MIN (capacity, MAX (ctx->memory_limit / (pass.r.dims * sizeof (float) + ES_ROW_OVERHEAD), 1));
      if (pass.limit > 0)
        capacity = MIN (capacity, pass.limit);
    }

  if (!_es_row_builder_init (&pass.builder, ctx, pass.r.dims, capacity, error))
    goto out;

  /* Large files: the second half on another core (see es-text-worker.c),
   * writing into the same matrix: the builder must not grow while it runs,
   * which holds as long as the first half's lines fit (the worker checks).
   */
  if (pass.limit == 0 && ctx->stream == NULL && _es_load_use_two_threads (end - p))
    {
      /* A little before the middle: this thread also builds the
       * vocabulary (of both halves), the worker only counts its way to
       * its half first; 48% evens them out on 400k x 300 GloVe.
       */
      gsize split = (gsize) ((end - p) * 0.48);
      const char *middle = memchr (p + split, '\n', end - p - split);

      if (middle != NULL && middle + 1 < end)
        {
          /* Both threads read across the middle (the worker counts the
           * first half's lines; the main thread finishes what the worker
           * could not): dropped pages must read back intact, which holds
           * for a file mapping but not for an inflated buffer.
           */
          if (!pass.r.ctx->data_is_file)
            pass.r.ctx->release_consumed = FALSE;
          pass.worker_start = middle + 1;
          pass.worker = _es_text_worker_start (&pass.r, p, pass.worker_start, end,
                                               es_matrix_get_data_mut (pass.builder.matrix),
                                               pass.builder.capacity);
        }
    }

  if (pass.worker != NULL)
    {
      gboolean ok = pass_read (&pass, p, pass.worker_start, error);
      EsTextWorker *worker = g_steal_pointer (&pass.worker);

      if (!ok)
        _es_text_worker_stop (worker);
      _es_text_worker_join (worker);
      ok = ok && pass_merge (&pass, worker, error);
      p = _es_text_worker_get_stop (worker);
      pass.released = p;
      _es_text_worker_free (worker);
      if (!ok)
        goto out;
    }
  if (ctx->stream != NULL ? !pass_stream (&pass, p, error) : !pass_read (&pass, p, end, error))
    goto out;

  if (pass.has_header && pass.file_rows < pass.header.rows &&
      (pass.limit == 0 || pass.file_rows < pass.limit))
    {
      if (pass.file_rows == 0)
        g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_EMPTY,
                     "%s:2: header promises %" G_GUINT64_FORMAT " rows, no data",
                     ctx->name, pass.header.rows);
      else
        g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TRUNCATED,
                     "%s: expected %" G_GUINT64_FORMAT " rows, found %" G_GUINT64_FORMAT
                     " (end of file after line %" G_GUINT64_FORMAT ")",
                     ctx->name, pass.header.rows, pass.file_rows, pass.last_data_line);
      goto out;
    }
  if (pass.builder.rows == 0)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_EMPTY,
                   "%s: file contains no vectors", ctx->name);
      goto out;
    }

  if (format == ES_FORMAT_PROJECTOR_TSV)
    set = _es_attach_projector_metadata (ctx, &pass.builder, ctx->metadata_path, error);
  else
    set = _es_row_builder_finish (&pass.builder);

out:
  _es_text_worker_free (pass.worker);
  _es_row_builder_clear (&pass.builder);
  g_array_unref (pass.lines);
  g_free (pass.r.fields);
  return set;
}
