/* es-loader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The single entry point: map or receive the bytes, gunzip when the gzip
 * magic is there, strip a BOM, sniff the format from the content and hand
 * over to the reader for that format.  Readers work on one contiguous
 * buffer (an mmap for plain files), which keeps them simple and fast and
 * lets the text reader split a large file between two threads at a line
 * boundary.  Gzipped text is the exception: it streams through the text
 * reader block by block (es-gzip-pipe.c), so the uncompressed text is
 * never whole in memory; other gzipped formats are inflated whole.
 */

#define G_LOG_DOMAIN "es-loader"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "es-engine-error.h"
#include "es-loader-private.h"
#include "es-memory.h"
#include "es-safetensors.h"
#include "es-worker.h"

void
es_load_options_init (EsLoadOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->encoding = ES_ENCODING_LENIENT;
}

/* 90% of physical memory: beyond that the machine would swap itself to a
 * halt instead of failing cleanly.
 */
guint64
_es_default_memory_limit (void)
{
  return es_memory_get_ceiling ();
}

gsize _es_load_poll_bytes = 1u << 20;

/* Only between loads: readers on other threads read it unlocked. */
void
_es_load_set_poll_bytes (gsize bytes)
{
  _es_load_poll_bytes = bytes > 0 ? bytes : 1u << 20;
}

gsize _es_load_split_min_bytes = ES_LOAD_SPLIT_MIN_DEFAULT;

/* Only between loads, like the poll interval. */
void
_es_load_set_split_min (gsize bytes)
{
  _es_load_split_min_bytes = bytes;
}

/* Whether @bytes of work are worth a second thread. */
gboolean
_es_load_use_two_threads (gsize bytes)
{
  return bytes >= _es_load_split_min_bytes &&
         (g_get_num_processors () > 1 || _es_load_split_min_bytes != ES_LOAD_SPLIT_MIN_DEFAULT);
}

gboolean
_es_load_context_poll (EsLoadContext *ctx,
                       gsize          offset,
                       GError       **error)
{
  ctx->next_poll = offset + ES_LOAD_POLL_BYTES;

  if (g_cancellable_set_error_if_cancelled (ctx->cancellable, error))
    return FALSE;
  if (ctx->progress != NULL && ctx->len > 0)
    ctx->progress (ctx->progress_base + ctx->progress_scale * ((double) offset / ctx->len),
                   ctx->progress_data);

  return TRUE;
}

/* Gives back the whole pages inside [from, to): a 1 GB file mapping (or
 * an inflated copy) must not stay resident next to the matrix.  Only for
 * memory nobody reads again: anonymous pages read back as zeros, file
 * pages are faulted in again from the page cache.
 */
void
_es_release_pages (const void *from,
                   const void *to)
{
  gsize page_size = (gsize) sysconf (_SC_PAGESIZE);
  guintptr start, stop;

  start = ((guintptr) from + page_size - 1) & ~(guintptr) (page_size - 1);
  stop = (guintptr) to & ~(guintptr) (page_size - 1);
  if (start < stop)
    madvise ((void *) start, stop - start, MADV_DONTNEED);
}

/* Drops consumed input, when the data belongs to the loader (a mapping
 * or an inflated buffer, never the caller's bytes).
 */
void
_es_load_context_release (EsLoadContext *ctx,
                          const char    *from,
                          const char    *to)
{
  if (ctx->release_consumed)
    _es_release_pages (from, to);
}

/* File bytes for a message: valid UTF-8 (U+FFFD for bad bytes, \xNN for
 * control bytes) and short, since the offending text may be a
 * 100,000-byte word or binary garbage.
 */
char *
_es_load_context_show (const char *bytes,
                       gsize       len)
{
  const gsize max_chars = 60;
  const char *p = bytes;
  const char *end = bytes + len;
  GString *out = g_string_new (NULL);

  for (gsize n = 0; p < end; n++)
    {
      gunichar c;

      if (n == max_chars)
        {
          g_string_append (out, "…");
          break;
        }
      c = g_utf8_get_char_validated (p, end - p);
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append (out, "\xEF\xBF\xBD");   /* U+FFFD */
          p++;
        }
      else if (c < 0x20 || c == 0x7f)
        {
          g_string_append_printf (out, "\\x%02X", c);
          p++;
        }
      else
        {
          const char *next = g_utf8_next_char (p);

          g_string_append_len (out, p, next - p);
          p = next;
        }
    }

  return g_string_free (out, FALSE);
}

static gboolean
field_is_number (const EsField *f)
{
  float ignored;

  return _es_parse_float (f->start, f->len, &ignored) != ES_FLOAT_INVALID;
}

static gboolean
field_is_integer (const EsField *f)
{
  gsize i = (f->len > 0 && (f->start[0] == '-' || f->start[0] == '+')) ? 1 : 0;

  if (i == f->len)
    return FALSE;
  for (; i < f->len; i++)
    if (!g_ascii_isdigit (f->start[i]))
      return FALSE;

  return TRUE;
}

/* The fields of the first non-blank line at or after @p. */
static gsize
first_fields (const char  *p,
              const char  *end,
              EsField    **fields,
              gsize       *alloc,
              const char **line_start)
{
  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *stop = nl != NULL ? nl : end;
      gsize n;

      if (stop > p && stop[-1] == '\r')
        stop--;
      n = _es_split_fields (p, stop, fields, alloc);
      if (n > 0)
        {
          if (line_start != NULL)
            *line_start = p;
          return n;
        }
      p = nl != NULL ? nl + 1 : end;
    }

  return 0;
}

/* Classic Mac line ends: a CR and no LF in the first 64 KB.  Read as one
 * line, the whole file would be one row whose word is everything.
 */
static gboolean
has_lone_cr_line_ends (const char *data,
                       gsize       len)
{
  gsize span = MIN (len, 64u << 10);

  return memchr (data, '\n', span) == NULL && memchr (data, '\r', span) != NULL;
}

/* Whether the rows after a word2vec header are laid out as binary: a
 * word, a space, 4 * dims bytes (then an optional '\n', as the C tool
 * writes) for the first rows (up to 16), each span holding a byte no
 * decimal number has.  A valid binary file whose floats happen to be
 * printable bytes passes; a text file with a typo does not (its other
 * rows are plain numbers).
 */
static gboolean
binary_layout_holds (const char *p,
                     const char *end,
                     guint64     rows,
                     guint64     dims)
{
  guint64 span;
  guint checked = 0;

  if (dims == 0 || !es_checked_mul (dims, 4, &span) || span > (guint64) (end - p))
    return FALSE;
  for (guint64 r = 0; r < MIN (rows, 16) && p < end; r++)
    {
      const char *space = memchr (p, ' ', MIN ((gsize) (end - p), 4096));
      gboolean odd = FALSE;

      if (space == NULL || space == p || (guint64) (end - space - 1) < span)
        return FALSE;
      for (const char *q = p; q < space; q++)
        if (*q == '\n' || *q == '\t')
          return FALSE;
      for (const char *q = space + 1; q < space + 1 + span && !odd; q++)
        odd = !(g_ascii_isdigit (*q) || strchr (".eE+- \t\r\n", *q) != NULL) || *q == '\0';
      if (!odd)
        return FALSE;
      p = space + 1 + span;
      if (p < end && *p == '\n')
        p++;
      checked++;
    }

  return checked > 0;
}

/* Text formats, decided from the first line (and for word2vec, whether
 * the first row after the header is text or raw floats).
 */
static EsFormat
sniff_text (EsLoadContext *ctx)
{
  g_autofree EsField *fields = NULL;
  gsize alloc = 0;
  const char *end = ctx->data + ctx->len;
  const char *start = NULL;
  gsize n = first_fields (ctx->data, end, &fields, &alloc, &start);
  gboolean header = FALSE;
  gboolean all_numbers = TRUE;
  const char *nl;
  guint64 dims = 0;
  guint64 header_rows = 0;

  if (n == 0)
    return ES_FORMAT_GLOVE;

  for (gsize i = 0; i < n && all_numbers; i++)
    all_numbers = field_is_number (&fields[i]);

  /* "ROWS DIMS"; a negative count is still meant as a header (and then
   * refused), as is "10 4 extra".
   */
  if (n == 2 && field_is_integer (&fields[0]) && field_is_integer (&fields[1]))
    header = TRUE;
  else if (n >= 3 && field_is_integer (&fields[0]) && field_is_integer (&fields[1]) &&
           !all_numbers)
    header = TRUE;

  /* A 2-D projector TSV of integers looks like a header; word2vec writers
   * separate the header with a space, and the next line would have a word.
   */
  nl = memchr (start, '\n', end - start);
  if (header && n == 2 && all_numbers && nl != NULL &&
      memchr (start, '\t', fields[1].start - start) != NULL)
    {
      gsize n_next = first_fields (nl + 1, end, &fields, &alloc, NULL);

      if (n_next == 2 && field_is_number (&fields[0]) && field_is_number (&fields[1]))
        return ES_FORMAT_PROJECTOR_TSV;
      n_next = first_fields (start, end, &fields, &alloc, NULL);
      g_assert (n_next == n);
    }

  if (!header)
    {
      if (all_numbers && memchr (start, '\t', fields[n - 1].start - start) != NULL)
        return ES_FORMAT_PROJECTOR_TSV;
      return ES_FORMAT_GLOVE;
    }

  /* The header must be the first line for word2vec. */
  nl = memchr (ctx->data, '\n', ctx->len);
  if (start != ctx->data || nl == NULL ||
      !_es_parse_uint (fields[1].start, fields[1].len, &dims) ||
      !_es_parse_uint (fields[0].start, fields[0].len, &header_rows))
    return ES_FORMAT_WORD2VEC_TEXT;

  /* Text when everything after the first word of the next line reads as
   * numbers; raw float32 bytes essentially never do (they hold NULs and
   * control bytes, and '\n' rarely falls where a line would end).
   */
  n = first_fields (nl + 1, end, &fields, &alloc, NULL);
  if (n == 0)
    return ES_FORMAT_WORD2VEC_TEXT;
  all_numbers = n >= 2;
  for (gsize i = 1; i < n && all_numbers; i++)
    all_numbers = field_is_number (&fields[i]);
  if (all_numbers)
    return ES_FORMAT_WORD2VEC_TEXT;

  /* A text row with a typo must not be read as floats (that would load
   * garbage): binary when the rows are laid out as binary rows, or when
   * the bytes where the first vector would be are not plain text.
   */
  if (binary_layout_holds (nl + 1, end, header_rows, dims))
    return ES_FORMAT_WORD2VEC_BINARY;
  {
    const char *vector = fields[0].start + fields[0].len + 1;
    gsize span = MIN ((guint64) (end - MIN (vector, end)), MIN (dims, 1024) * 4);

    if (!g_utf8_validate_len (vector, span, NULL))
      return ES_FORMAT_WORD2VEC_BINARY;
    for (gsize i = 0; i < span; i++)
      if (((guchar) vector[i] < 0x20 && vector[i] != '\t' && vector[i] != '\r' && vector[i] != '\n') ||
          vector[i] == 0x7f)
        return ES_FORMAT_WORD2VEC_BINARY;
  }

  return ES_FORMAT_WORD2VEC_TEXT;
}

/* Whether the start of the data looks like text at all (no control
 * bytes, valid UTF-8 apart from a character cut at the end).
 */
static gboolean
sniffs_as_text (const EsLoadContext *ctx)
{
  gsize span = MIN (ctx->len, 4096);
  const char *end_valid = NULL;

  if (!g_utf8_validate_len (ctx->data, span, &end_valid) && ctx->data + span - end_valid > 3)
    return FALSE;
  for (gsize i = 0; i < span; i++)
    {
      guchar c = ctx->data[i];

      if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f)
        return FALSE;
    }

  return TRUE;
}

/* Whether @data holds everything sniff_text() and sniffs_as_text() look
 * at: two lines with content, and 4 KB after them.  Blank lines are
 * counted generously (any ASCII space), which only asks for more.
 */
static gboolean
sniff_span_complete (const char *data,
                     gsize       len)
{
  const char *p = data;
  const char *end = data + len;
  guint lines = 0;

  while (lines < 2)
    {
      const char *nl = memchr (p, '\n', end - p);

      if (nl == NULL)
        return FALSE;
      for (const char *q = p; q < nl; q++)
        if (!g_ascii_isspace (*q))
          {
            lines++;
            break;
          }
      p = nl + 1;
    }

  return (gsize) (end - p) >= 4096;
}

/* Whether @data holds a whole line with content. */
static gboolean
first_line_complete (const char *data,
                     gsize       len)
{
  const char *p = data, *end = data + len;

  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);

      if (nl == NULL)
        return FALSE;
      for (const char *q = p; q < nl; q++)
        if (!g_ascii_isspace (*q))
          return TRUE;
      p = nl + 1;
    }

  return FALSE;
}

/* The first block of a gzip stream: enough for the sniffers to decide as
 * they would on the whole text (grown for very long first lines, within
 * the memory ceiling, which also stops a bomb of one endless line).
 */
static gsize gzip_window = 1u << 20;
gsize _es_load_n_streamed;

/* Tests: small windows refill (and grow for long lines) many times. */
void
_es_load_set_gzip_window (gsize bytes)
{
  gzip_window = bytes > 0 ? bytes : 1u << 20;
}

static gboolean
fill_first_window (EsLoadContext  *ctx,
                   EsGzipStream   *stream,
                   char          **window,
                   gsize          *window_len,
                   gsize          *window_alloc,
                   GError        **error)
{
  *window_alloc = gzip_window;
  *window = g_malloc (*window_alloc);

  for (;;)
    {
      gsize written = 0;

      if (g_cancellable_set_error_if_cancelled (ctx->cancellable, error))
        return FALSE;
      if (*window_len == *window_alloc)
        {
          if (*window_len > ctx->memory_limit)
            {
              g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                           "%s: this file needs more than %.1f GB uncompressed; %.1f GB available — use --limit",
                           ctx->name, *window_len / 1e9, ctx->memory_limit / 1e9);
              return FALSE;
            }
          *window_alloc *= 2;
          *window = g_realloc (*window, *window_alloc);
        }
      if (!_es_gzip_stream_read (stream, *window + *window_len, *window_alloc - *window_len,
                                 &written, error))
        return FALSE;
      *window_len += written;
      if (_es_gzip_stream_is_eof (stream) || sniff_span_complete (*window, *window_len))
        return TRUE;
      /* Sniffing needs a bounded prefix: once the first line is whole,
       * 64 windows are enough (a second line of 512 MB streams).
       */
      if (*window_len >= 64 * gzip_window && first_line_complete (*window, *window_len))
        return TRUE;
    }
}

/* Text formats stream; so does nothing else.  The decision is the one the
 * loader makes below on the whole text (sniff_span_complete() holds).
 */
static gboolean
gzip_streamable (EsLoadContext *ctx,
                 EsGzipStream  *stream,
                 const char    *window,
                 gsize          window_len,
                 gsize          config_rows,
                 gsize          config_dims)
{
  EsLoadContext probe = *ctx;
  EsFormat format;

  if (_es_gzip_stream_is_eof (stream) || window_len < 6 ||
      memcmp (window, "\x93NUMPY", 6) == 0 ||
      es_safetensors_sniff ((const guint8 *) window, window_len) ||
      ctx->options->shape_rows > 0 || ctx->options->shape_dims > 0 ||
      (config_rows > 0 && config_dims > 0))
    return FALSE;

  probe.data = window;
  probe.len = window_len;
  if (memcmp (window, "\xEF\xBB\xBF", 3) == 0)
    {
      probe.data += 3;
      probe.len -= 3;
    }
  if (has_lone_cr_line_ends (probe.data, probe.len))
    return FALSE;
  format = sniff_text (&probe);
  if (format == ES_FORMAT_WORD2VEC_BINARY)
    return FALSE;
  if (g_str_has_suffix (ctx->name, ".bytes") && !sniffs_as_text (&probe))
    return FALSE;

  return TRUE;
}

/* The next block of a streamed text after the unread text at *keep,
 * which *keep then points at again.  Between blocks is where a streamed
 * load polls.
 */
gboolean
_es_load_context_refill (EsLoadContext  *ctx,
                         const char    **keep,
                         GError        **error)
{
  gsize kept = ctx->data + ctx->len - *keep;
  const char *data = NULL;
  gsize len = 0;

  /* Progress first: a cancel from its callback stops this very load. */
  if (ctx->progress != NULL)
    ctx->progress (ctx->progress_base + ctx->progress_scale * ctx->stream_fraction,
                   ctx->progress_data);
  if (g_cancellable_set_error_if_cancelled (ctx->cancellable, error))
    return FALSE;

  if (!_es_gzip_pipe_next (ctx->pipe, *keep, kept, &data, &len, &ctx->stream_eof,
                           &ctx->stream_fraction, error))
    return FALSE;
  ctx->data = data;
  ctx->len = len;
  *keep = data;
  /* What was kept of the first block is copied out. */
  g_clear_pointer (&ctx->window, g_free);

  return TRUE;
}

/* Files that are something else than their bytes read as text suggest:
 * say what they are rather than "expected a word followed by numbers".
 */
static gboolean
say_what_it_is (const char    *name,
                const guint8  *data,
                gsize          len,
                gboolean       gzipped,
                GError       **error)
{
  gsize n_even_nul = 0, n_odd_nul = 0, span = MIN (len, 512) & ~(gsize) 1;

  if (gzipped && len >= 2 && data[0] == 0x1f && data[1] == 0x8b)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_FORMAT,
                   "%s: a gzip file inside a gzip file (compressed twice): gunzip it once, "
                   "then open the result", name);
      return FALSE;
    }
  for (gsize i = 0; i < span; i += 2)
    {
      n_even_nul += data[i] == 0;
      n_odd_nul += data[i + 1] == 0;
    }
  if ((len >= 2 && ((data[0] == 0xFF && data[1] == 0xFE) || (data[0] == 0xFE && data[1] == 0xFF))) ||
      (span >= 8 && (n_even_nul == span / 2) != (n_odd_nul == span / 2)))
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_ENCODING,
                   "%s: UTF-16 text; embedding files are UTF-8 (convert it, e.g. "
                   "iconv -f UTF-16 -t UTF-8)", name);
      return FALSE;
    }

  return TRUE;
}

/* Binary formats need a file they can trust the size of: a stream read
 * from a pipe is refused before its reader runs.
 */
static gboolean
refuse_stream (const char  *name,
               const char  *stream_kind,
               const char  *format,
               GError     **error)
{
  if (stream_kind == NULL)
    return FALSE;
  g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_FORMAT,
               "%s: %s data from %s: binary formats load only from a regular file", name,
               format, stream_kind);
  return TRUE;
}

static EsEmbeddingSet *
load_data (const char          *name,
           const char          *path,
           const char          *stream_kind,
           const guint8        *data,
           gsize                len,
           const EsLoadOptions *options,
           GCancellable        *cancellable,
           EsProgressFunc       progress,
           gpointer             progress_data,
           GError             **error)
{
  EsLoadOptions defaults;
  EsLoadContext ctx = { 0 };
  g_autoptr(EsGzipStream) stream = NULL;
  g_autofree char *window = NULL;
  gsize window_alloc = 0;
  g_autofree char *config_metadata = NULL;
  EsCompression compression = ES_COMPRESSION_NONE;
  EsFormat format = ES_FORMAT_UNKNOWN;
  gsize config_rows = 0;
  gsize config_dims = 0;
  guint64 config_bytes = 0;
  gsize len_compressed;
  g_autofree char *cr_copy = NULL;
  EsEmbeddingSet *set = NULL;

  if (options == NULL)
    {
      es_load_options_init (&defaults);
      options = &defaults;
    }

  ctx.name = name;
  ctx.path = path;
  ctx.options = options;
  ctx.cancellable = cancellable;
  ctx.progress = progress;
  ctx.progress_data = progress_data;
  ctx.progress_scale = 1.0;
  ctx.memory_limit = options->memory_limit ? options->memory_limit : _es_default_memory_limit ();
  ctx.metadata_path = options->metadata_path;
  /* Path loads own their bytes (a private mapping or an inflated copy). */
  ctx.release_consumed = path != NULL;
  ctx.data_is_file = path != NULL;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  if (path != NULL)
    _es_projector_config_find (path, &config_rows, &config_dims, &config_metadata);
  if (ctx.metadata_path == NULL)
    ctx.metadata_path = config_metadata;

  /* By the magic, never by the name: a ".gz" with plain text loads as is.
   * Text streams through the text reader block by block; the formats read
   * from one buffer (binary, npy, raw bytes) are inflated whole.
   */
  len_compressed = len;
  if (len >= 2 && data[0] == 0x1f && data[1] == 0x8b)
    {
      gsize window_len = 0;

      stream = _es_gzip_stream_new (name, data, len, ctx.data_is_file);
      if (!fill_first_window (&ctx, stream, &window, &window_len, &window_alloc, error))
        return NULL;
      compression = ES_COMPRESSION_GZIP;
      ctx.data_is_file = FALSE;

      if (gzip_streamable (&ctx, stream, window, window_len, config_rows, config_dims))
        {
          _es_load_n_streamed++;
          /* The first block is ctx's until the pipe's blocks replace it. */
          ctx.stream = stream;
          ctx.window = g_steal_pointer (&window);
          ctx.stream_fraction = _es_gzip_stream_get_fraction (stream);
          ctx.pipe = _es_gzip_pipe_start (stream, name, MIN (gzip_window, 1u << 20),
                                          ctx.memory_limit);
          /* A window, refilled in place: nothing to give back. */
          ctx.release_consumed = FALSE;
        }
      else
        {
          if (!_es_gzip_stream_read_all (stream, &window, &window_len, &window_alloc,
                                         ctx.memory_limit, cancellable, progress, progress_data,
                                         error))
            return NULL;
          /* The uncompressed data stays in memory next to the matrix. */
          ctx.memory_limit -= MIN (ctx.memory_limit / 2, window_len);
          ctx.progress_base = 0.5;
          ctx.progress_scale = 0.5;
        }
      data = (const guint8 *) (ctx.stream != NULL ? ctx.window : window);
      len = window_len;
    }

  if (len == 0)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_EMPTY, "%s: empty file", name);
      _es_gzip_pipe_free (ctx.pipe);
      g_free (ctx.window);
      return NULL;
    }

  /* safetensors first: its length prefix may look like a BOM or UTF-16. */
  if (es_safetensors_sniff (data, len) || (path != NULL && es_safetensors_index_sniff ((const char *) data, len)))
    {
      ctx.data = (const char *) data;
      ctx.len = len;
      ctx.warnings = _es_load_warnings_new ();
      format = ES_FORMAT_SAFETENSORS;
      if (!es_safetensors_sniff (data, len))
        set = _es_safetensors_index_load (&ctx, error);
      else if (!refuse_stream (name, stream_kind, ".safetensors", error))
        set = _es_safetensors_reader_load (&ctx, error);
      goto done;
    }

  /* (Raw float32 of a given shape may start with any bytes.) */
  if (options->shape_rows == 0 && options->shape_dims == 0 && config_rows == 0 &&
      !say_what_it_is (name, data, len, compression == ES_COMPRESSION_GZIP, error))
    {
      _es_gzip_pipe_free (ctx.pipe);
      g_free (ctx.window);
      return NULL;
    }

  if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      len -= 3;
      ctx.data_offset = 3;
    }
  ctx.data = (const char *) data;
  ctx.len = len;
  ctx.warnings = _es_load_warnings_new ();

  if (len >= 6 && memcmp (data, "\x93NUMPY", 6) == 0)
    {
      format = ES_FORMAT_NPY;
      if (!refuse_stream (name, stream_kind, ".npy", error))
        set = _es_npy_reader_load (&ctx, error);
    }
  else if (options->shape_rows > 0 || options->shape_dims > 0)
    {
      /* Raw float32 cannot be recognised: the caller says what it is. */
      format = ES_FORMAT_PROJECTOR_BYTES;
      if (!refuse_stream (name, stream_kind, "raw float32", error))
        set = _es_bytes_reader_load (&ctx, options->shape_rows, options->shape_dims, error);
    }
  else if (config_rows > 0 && config_dims > 0 &&
           es_matrix_byte_size (config_rows, config_dims, &config_bytes) &&
           config_bytes == len + ctx.data_offset)
    {
      format = ES_FORMAT_PROJECTOR_BYTES;
      set = _es_bytes_reader_load (&ctx, config_rows, config_dims, error);
    }
  else
    {
      /* A lone CR ends a line, like CRLF: the readers see LF (a copy,
       * within the ceiling).
       */
      if (has_lone_cr_line_ends (ctx.data, ctx.len))
        {
          cr_copy = es_memory_try_alloc (ctx.len, 1, name, error);
          if (cr_copy == NULL)
            goto done;
          for (gsize i = 0; i < ctx.len; i++)
            cr_copy[i] = ctx.data[i] == '\r' ? '\n' : ctx.data[i];
          ctx.data = cr_copy;
          ctx.release_consumed = FALSE;
          ctx.data_is_file = FALSE;
        }
      format = sniff_text (&ctx);
      /* A config also gives the shape of TSV tensors; for anything else
       * it names, the size is wrong, and the bytes reader says so.
       */
      if (config_rows > 0 && config_dims > 0 && format != ES_FORMAT_PROJECTOR_TSV)
        {
          format = ES_FORMAT_PROJECTOR_BYTES;
          set = _es_bytes_reader_load (&ctx, config_rows, config_dims, error);
        }
      else if (format == ES_FORMAT_WORD2VEC_BINARY)
        {
          if (!refuse_stream (name, stream_kind, "word2vec binary", error))
            set = _es_binary_reader_load (&ctx, error);
        }
      else if (g_str_has_suffix (name, ".bytes") && !sniffs_as_text (&ctx))
        {
          /* Almost surely raw projector float32: say what would help
           * rather than how the bytes fail to parse as text.
           */
          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_FORMAT,
                       "%s: raw float32 projector data cannot be recognised from its content; "
                       "give its shape (--shape ROWSxDIMS, e.g. 150x4) or keep its "
                       "projector_config.json beside it", name);
        }
      else
        set = _es_text_reader_load (&ctx, format, error);
    }

  /* Word formats: the metadata TSV is joined by its first column. */
  if (set != NULL && options->metadata_path != NULL &&
      (format == ES_FORMAT_WORD2VEC_TEXT || format == ES_FORMAT_WORD2VEC_BINARY ||
       format == ES_FORMAT_GLOVE))
    {
      g_autoptr(EsMetadata) joined = _es_metadata_join (set, options->metadata_path,
                                                              ctx.memory_limit, error);

      if (joined == NULL)
        g_clear_pointer (&set, es_embedding_set_unref);
      else
        es_embedding_set_set_metadata (set, joined);
    }

done:
  /* gzip(1) warns of trailing garbage: so does the loader. */
  if (set != NULL && stream != NULL && _es_gzip_stream_get_junk_offset (stream) > 0)
    _es_load_warnings_add (ctx.warnings,
                           "%s: %" G_GSIZE_FORMAT " bytes after the last gzip member (from byte %"
                           G_GSIZE_FORMAT ") are not gzip data: ignored",
                           name, len_compressed - _es_gzip_stream_get_junk_offset (stream),
                           _es_gzip_stream_get_junk_offset (stream));

  if (set != NULL)
    {
      es_embedding_set_set_source (set, name, format, compression);
      es_embedding_set_take_warnings (set, _es_load_warnings_steal (ctx.warnings));
      if (progress != NULL)
        progress (1.0, progress_data);
    }
  _es_load_warnings_free (ctx.warnings);
  /* The pipe's thread reads the stream: it ends first. */
  _es_gzip_pipe_free (ctx.pipe);
  g_free (ctx.window);

  return set;
}

void (*_es_load_after_map_hook) (const char *path);

/* What a non-regular file is, for messages. */
static const char *
describe_mode (mode_t mode)
{
  if (S_ISFIFO (mode))
    return "a pipe";
  if (S_ISCHR (mode))
    return "a character device";
  if (S_ISSOCK (mode))
    return "a socket";
  if (S_ISBLK (mode))
    return "a block device";
  if (S_ISDIR (mode))
    return "a folder";
  return "not a regular file";
}

/* A pipe, FIFO or character device, read to its end within the ceiling
 * (the CLI's `-` and `<(zcat …)`).
 */
static gboolean
read_stream (const char  *name,
             int          fd,
             guint64      memory_limit,
             GCancellable *cancellable,
             char       **data,
             gsize       *len,
             GError     **error)
{
  gsize alloc = 1u << 16;
  gsize used = 0;
  char *buffer = g_malloc (alloc);
  int flags = fcntl (fd, F_GETFL);

  /* Opened without blocking (a FIFO without a writer must not hang the
   * open); the reads may wait for data.
   */
  if (flags >= 0)
    fcntl (fd, F_SETFL, flags & ~O_NONBLOCK);
  for (;;)
    {
      gssize got;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto fail;
      if (used == alloc)
        {
          if (alloc > memory_limit / 2)
            {
              g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                           "%s: this stream needs more than %.1f GB; %.1f GB available — use --limit",
                           name, alloc / 1e9, memory_limit / 1e9);
              goto fail;
            }
          alloc *= 2;
          buffer = g_realloc (buffer, alloc);
        }
      got = read (fd, buffer + used, alloc - used);
      if (got < 0 && errno == EINTR)
        continue;
      if (got < 0)
        {
          int saved_errno = errno;

          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_FAILED,
                       "%s: %s", name, g_strerror (saved_errno));
          goto fail;
        }
      if (got == 0)
        break;
      used += got;
    }
  *data = buffer;
  *len = used;
  return TRUE;

fail:
  g_free (buffer);
  return FALSE;
}

EsEmbeddingSet *
es_loader_load_path (const char           *path,
                     const EsLoadOptions  *options,
                     GCancellable         *cancellable,
                     EsProgressFunc        progress,
                     gpointer              progress_data,
                     GError              **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GError) local_error = NULL;
  EsMapGuard guard;
  gboolean guarded;
  gboolean allow_stream = options != NULL && options->allow_stream;
  gboolean is_stdin = allow_stream && g_strcmp0 (path, "-") == 0;
  const char *name = path;
  EsEmbeddingSet *set;
  struct stat before, after;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* O_NONBLOCK: opening a FIFO nobody writes to returns at once. */
  fd = is_stdin ? dup (STDIN_FILENO) : open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0 || fstat (fd, &before) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_FAILED,
                   "%s: %s", name, g_strerror (saved_errno));
      if (fd >= 0)
        close (fd);
      return NULL;
    }

  if (!S_ISREG (before.st_mode))
    {
      g_autofree char *contents = NULL;
      gsize len = 0;
      guint64 limit = options != NULL && options->memory_limit ? options->memory_limit : _es_default_memory_limit ();

      /* Streams: pipes, FIFOs, sockets and stdin (whatever it is); a named
       * device (/dev/zero, /dev/urandom) would only fill the ceiling.
       */
      if (!allow_stream || S_ISDIR (before.st_mode) || S_ISBLK (before.st_mode) ||
          (S_ISCHR (before.st_mode) && !is_stdin))
        {
          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_FORMAT,
                       "%s: %s, not a regular file: embeddings load from files%s", name,
                       describe_mode (before.st_mode),
                       allow_stream || S_ISDIR (before.st_mode) || S_ISBLK (before.st_mode)
                         ? "" : " (the command line reads text formats from a pipe or -)");
          close (fd);
          return NULL;
        }
      if (!read_stream (name, fd, limit, cancellable, &contents, &len, error))
        {
          close (fd);
          return NULL;
        }
      close (fd);

      return load_data (name, NULL, describe_mode (before.st_mode), (const guint8 *) contents, len,
                        options, cancellable, progress, progress_data, error);
    }

  /* mmap: the kernel reads ahead and nothing is copied. */
  mapped = g_mapped_file_new_from_fd (fd, FALSE, &local_error);
  if (mapped == NULL)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_FAILED,
                   "%s: %s", name, local_error->message);
      close (fd);
      return NULL;
    }

  /* Another process may truncate the file under the mapping: reads past
   * its new end fault (SIGBUS); the guard turns that into an error.
   */
  guarded = g_mapped_file_get_length (mapped) > 0 &&
            _es_map_guard_add (&guard, g_mapped_file_get_contents (mapped),
                               g_mapped_file_get_length (mapped));
  if (_es_load_after_map_hook != NULL)
    _es_load_after_map_hook (path);

  set = load_data (name, is_stdin ? NULL : path, NULL,
                   (const guint8 *) g_mapped_file_get_contents (mapped),
                   g_mapped_file_get_length (mapped),
                   options, cancellable, progress, progress_data, &local_error);

  if (guarded)
    _es_map_guard_remove (&guard);
  if ((guarded && _es_map_guard_tripped (&guard)) ||
      fstat (fd, &after) != 0 || after.st_size != before.st_size)
    {
      g_clear_pointer (&set, es_embedding_set_unref);
      g_clear_error (&local_error);
      g_set_error (&local_error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TRUNCATED,
                   "%s changed while it was being read (its size went from %" G_GINT64_FORMAT
                   " to %" G_GINT64_FORMAT " bytes); nothing was loaded",
                   name, (gint64) before.st_size,
                   fstat (fd, &after) == 0 ? (gint64) after.st_size : (gint64) -1);
    }
  close (fd);
  if (set == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));

  return set;
}

EsEmbeddingSet *
es_loader_load_bytes (GBytes               *bytes,
                      const char           *display_name,
                      const EsLoadOptions  *options,
                      GCancellable         *cancellable,
                      EsProgressFunc        progress,
                      gpointer              progress_data,
                      GError              **error)
{
  gsize len = 0;
  const guint8 *data;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &len);

  return load_data (display_name != NULL ? display_name : "(memory)", NULL, NULL, data, len,
                    options, cancellable, progress, progress_data, error);
}

/* Everything the worker needs, owned by the task: it touches nothing else. */
typedef struct
{
  char           *path;
  EsLoadOptions   options;
  char           *metadata_path;
  char           *tensor_name;
  char           *vocab_path;
  EsProgressFunc  progress;
  gpointer        progress_data;
} LoadTaskData;

static void
load_task_data_free (gpointer pointer)
{
  LoadTaskData *data = pointer;

  g_free (data->path);
  g_free (data->metadata_path);
  g_free (data->tensor_name);
  g_free (data->vocab_path);
  g_free (data);
}

static void
load_thread_cb (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  LoadTaskData *data = task_data;
  GError *error = NULL;
  EsEmbeddingSet *set;

  es_worker_enter ();
  set = es_loader_load_path (data->path, &data->options, cancellable,
                             data->progress, data->progress_data, &error);
  if (set == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, set, (GDestroyNotify) es_embedding_set_unref);
}

void
es_loader_load_path_async (const char          *path,
                           const EsLoadOptions *options,
                           GCancellable        *cancellable,
                           EsProgressFunc       progress,
                           gpointer             progress_data,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadTaskData *data;

  g_return_if_fail (path != NULL);

  data = g_new0 (LoadTaskData, 1);
  data->path = g_strdup (path);
  if (options != NULL)
    data->options = *options;
  else
    es_load_options_init (&data->options);
  data->metadata_path = g_strdup (data->options.metadata_path);
  data->options.metadata_path = data->metadata_path;
  data->tensor_name = g_strdup (data->options.tensor_name);
  data->options.tensor_name = data->tensor_name;
  data->vocab_path = g_strdup (data->options.vocab_path);
  data->options.vocab_path = data->vocab_path;
  data->progress = progress;
  data->progress_data = progress_data;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, es_loader_load_path_async);
  /* Not LOW: while frames keep GTK's redraw source (priority 120) busy,
   * a LOW completion is never dispatched (a load that never ends).
   */
  g_task_set_priority (task, G_PRIORITY_DEFAULT);
  g_task_set_task_data (task, data, load_task_data_free);
  g_task_run_in_thread (task, load_thread_cb);
}

EsEmbeddingSet *
es_loader_load_path_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, es_loader_load_path_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
