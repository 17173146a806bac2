/* es-binary-reader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * word2vec binary: a `ROWS DIMS\n` text header, then per row the word, one
 * space and DIMS little-endian float32.  word2vec-C writes a '\n' after
 * each vector, gensim does not: newlines before a word are skipped, so
 * both layouts load.  Floats are read with memcpy (no alignment in the
 * file), and every read is bounds-checked against the buffer.  The rows
 * are read in order by one thread, so results, warnings and errors are
 * those of a plain sequential read; for large files a helper thread takes
 * the page faults (es-prefault.c), which are most of the cost.
 */

#define G_LOG_DOMAIN "es-loader"

#include "config.h"

#include <math.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <string.h>

#include "es-engine-error.h"
#include "es-loader-private.h"
#include "es-vocabulary-private.h"

static inline float
read_float_le (const char *p)
{
  guint32 bits;
  float value;

  memcpy (&bits, p, sizeof bits);
  bits = GUINT32_FROM_LE (bits);
  memcpy (&value, &bits, sizeof value);

  return value;
}

/* One row of little-endian float32; FALSE if any is NaN or Inf.  Integer
 * tests on the bits vectorise (isfinite on each float does not).
 */
typedef guint32 EsU32x4 __attribute__ ((vector_size (16)));

static inline gboolean
copy_row (float      *slot,
          const char *src,
          gsize       dims)
{
  const EsU32x4 exponent = { 0x7f800000u, 0x7f800000u, 0x7f800000u, 0x7f800000u };
  EsU32x4 acc = { 0, 0, 0, 0 };
  guint32 non_finite = 0;
  gsize j = 0;

#if defined(__SSE2__) && G_BYTE_ORDER == G_LITTLE_ENDIAN
  /* Streaming stores: the matrix is far larger than any cache, so the
   * lines are not read in just to be overwritten, and the finiteness
   * test runs on the registers on the way.
   */
  if (((guintptr) slot & 15) == 0)
    {
      const __m128i exponent4 = _mm_set1_epi32 (0x7f800000);
      __m128i bad = _mm_setzero_si128 ();

      for (; j + 4 <= dims; j += 4)
        {
          __m128i v = _mm_loadu_si128 ((const __m128i *) (src + 4 * j));

          _mm_stream_si128 ((__m128i *) (slot + j), v);
          bad = _mm_or_si128 (bad, _mm_cmpeq_epi32 (_mm_and_si128 (v, exponent4), exponent4));
        }
      non_finite = _mm_movemask_epi8 (bad) != 0;
      for (; j < dims; j++)
        {
          guint32 bits;

          memcpy (&bits, src + 4 * j, sizeof bits);
          memcpy (&slot[j], &bits, sizeof bits);
          non_finite |= (bits & 0x7f800000u) == 0x7f800000u;
        }

      return non_finite == 0;
    }
#endif
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  memcpy (slot, src, dims * sizeof (float));
#else
  for (j = 0; j < dims; j++)
    slot[j] = read_float_le (src + 4 * j);
  j = 0;
#endif
  /* Four at a time (GCC vector extension; -O2 does not vectorise this). */
  for (; j + 4 <= dims; j += 4)
    {
      EsU32x4 bits;

      memcpy (&bits, &slot[j], sizeof bits);
      acc |= (EsU32x4) ((bits & exponent) == exponent);
    }
  non_finite = acc[0] | acc[1] | acc[2] | acc[3];
  for (; j < dims; j++)
    {
      guint32 bits;

      memcpy (&bits, &slot[j], sizeof bits);
      non_finite |= (bits & 0x7f800000u) == 0x7f800000u;
    }

  return non_finite == 0;
}

/* "FILE: row N (word), byte B", only built when something is reported. */
static char *
describe_row (EsLoadContext *ctx,
              guint64        row,
              const char    *word,
              gsize          word_len,
              gsize          pos)
{
  g_autofree char *shown = _es_load_context_show (word, word_len);

  return g_strdup_printf ("%s: row %" G_GUINT64_FORMAT " (%s), byte %" G_GSIZE_FORMAT,
                          ctx->name, row, shown, pos);
}

EsEmbeddingSet *
_es_binary_reader_load (EsLoadContext  *ctx,
                        GError        **error)
{
  g_auto(EsRowBuilder) builder = { 0 };
  g_autoptr(GArray) file_row_of = g_array_new (FALSE, FALSE, sizeof (guint64));
  EsW2vHeader header;
  const char *data = ctx->data;
  gsize len = ctx->len;
  gsize pos;
  guint64 wanted, row_bytes, capacity;
  gsize limit = ctx->options->limit;
  guint64 file_rows = 0;
  gsize released = 0;
  g_autoptr(EsPrefault) prefault = NULL;

  if (!_es_read_w2v_header (ctx, &header, error))
    return NULL;
  pos = header.data_start;

  /* Each row needs at least a 1-byte word, a space and 4*D bytes: a
   * header whose single row cannot fit is refused before any allocation;
   * otherwise only as many rows as can fit are allocated, and a file cut
   * short gets the precise "row N, byte B" error from the loop below.
   */
  wanted = limit > 0 ? MIN (header.rows, limit) : header.rows;
  if (!g_uint64_checked_mul (&row_bytes, header.dims, 4) ||
      !g_uint64_checked_add (&row_bytes, row_bytes, 2) ||
      row_bytes > len - pos)
    {
      if (pos == len)
        g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_EMPTY,
                     "%s:2: header promises %" G_GUINT64_FORMAT " rows, no data",
                     ctx->name, header.rows);
      else
        g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_HEADER,
                     "%s: implausible header: rows of %" G_GUINT64_FORMAT
                     " floats cannot fit in %" G_GSIZE_FORMAT " bytes",
                     ctx->name, header.dims, len);
      return NULL;
    }
  capacity = MIN (wanted, (len - pos) / row_bytes);

  if (!_es_row_builder_init (&builder, ctx, header.dims, capacity, error))
    return NULL;
  /* Copying rows is cheap; faulting in the matrix is not: the other core
   * does that from the far end (see es-prefault.c).
   */
  prefault = _es_prefault_start (es_matrix_get_data_mut (builder.matrix),
                                 capacity * header.dims * sizeof (float),
                                 data + pos, len - pos, ctx->release_consumed);
  builder.prefault = prefault;

  while (file_rows < wanted)
    {
      guint64 row = file_rows + 1;   /* 1-based in messages */
      const char *word;
      const char *space;
      gsize word_len;
      gsize vector_pos;
      float *slot;
      gsize first_row;
      gboolean finite;

      if (G_UNLIKELY (pos >= ctx->next_poll))
        {
          _es_prefault_set_front (prefault, builder.rows * header.dims * sizeof (float),
                                  pos - header.data_start);
          if (!_es_load_context_poll (ctx, pos, error))
            return NULL;
          /* Rows read so far are not looked at again (the helper
           * gives them back, if there is one).
           */
          if (prefault == NULL)
            _es_load_context_release (ctx, data + released, data + pos);
          released = pos;
        }

      while (pos < len && (data[pos] == '\n' || data[pos] == '\r'))
        pos++;
      if (pos == len)
        {
          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TRUNCATED,
                       "%s: row %" G_GUINT64_FORMAT ", byte %" G_GSIZE_FORMAT ": header promises %"
                       G_GUINT64_FORMAT " rows, file ends after row %" G_GUINT64_FORMAT,
                       ctx->name, row, pos, header.rows, file_rows);
          return NULL;
        }

      word = data + pos;
      space = memchr (word, ' ', len - pos);
      if (space == NULL)
        {
          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TRUNCATED,
                       "%s: row %" G_GUINT64_FORMAT ", byte %" G_GSIZE_FORMAT
                       ": unexpected end of file in a word",
                       ctx->name, row, pos);
          return NULL;
        }
      word_len = space - word;
      vector_pos = space + 1 - data;
      if (word_len == 0)
        {
          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_PARSE,
                       "%s: row %" G_GUINT64_FORMAT ", byte %" G_GSIZE_FORMAT ": empty word",
                       ctx->name, row, pos);
          return NULL;
        }

      if (len - vector_pos < header.dims * 4)
        {
          /* The byte where the data ran out, as in "row 7 (queen), byte 143". */
          g_autofree char *where = describe_row (ctx, row, word, word_len, len);

          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TRUNCATED,
                       "%s: unexpected end of file, expected %" G_GUINT64_FORMAT " floats",
                       where, header.dims);
          return NULL;
        }
      if (G_UNLIKELY (!g_utf8_validate_len (word, word_len, NULL)))
        {
          g_autofree char *where = describe_row (ctx, row, word, word_len, word - data);

          if (!_es_check_word (ctx, word, word_len, where, error))
            return NULL;
        }

      slot = _es_row_builder_slot (&builder, error);
      if (slot == NULL)
        return NULL;
      _es_row_builder_prefetch (&builder, word, word_len);
      /* And the next row's word, a whole row ahead of its insert (only a
       * hint: the next iteration reads it properly).
       */
      {
        gsize next = vector_pos + header.dims * 4;

        while (next < len && (data[next] == '\n' || data[next] == '\r'))
          next++;
        if (next < len)
          {
            const char *next_space = memchr (data + next, ' ', MIN (len - next, 64));

            if (next_space != NULL)
              _es_vocabulary_prefetch (builder.vocabulary,
                                       _es_vocabulary_hash (data + next, next_space - (data + next)));
          }
      }
      finite = copy_row (slot, data + vector_pos, header.dims);
      if (G_UNLIKELY (!finite))
        {
          g_autofree char *where = describe_row (ctx, row, word, word_len, word - data);

          for (gsize j = 0; j < header.dims; j++)
            if (!isfinite (slot[j]))
              {
                _es_load_warnings_add (ctx->warnings, "%s: non-finite value %s", where,
                                       isnan (slot[j]) ? "nan" : slot[j] > 0 ? "inf" : "-inf");
                break;
              }
        }
      pos = vector_pos + header.dims * 4;
      file_rows++;

      if (G_LIKELY (_es_row_builder_commit (&builder, word, word_len, finite, &first_row)))
        _es_record_line (file_row_of, row);
      else
        {
          g_autofree char *where = describe_row (ctx, row, word, word_len, word - data);

          _es_load_warnings_add (ctx->warnings,
                                 "%s: duplicate word (first at row %" G_GUINT64_FORMAT "), this row skipped",
                                 where, g_array_index (file_row_of, guint64, first_row));
        }
    }

#ifdef __SSE2__
  /* The streamed rows are visible to other threads after this. */
  _mm_sfence ();
#endif

  /* Data past the promised rows cannot be trusted to be rows. */
  while (pos < len && g_ascii_isspace (data[pos]))
    pos++;
  if (pos < len && limit == 0)
    _es_load_warnings_add (ctx->warnings,
                           "%s: byte %" G_GSIZE_FORMAT ": header says %" G_GUINT64_FORMAT
                           " rows, %" G_GSIZE_FORMAT " bytes after them ignored",
                           ctx->name, pos, header.rows, len - pos);

  return _es_row_builder_finish (&builder);
}
