/* es-embedding-writer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rows are formatted into a buffer that goes to es_output every megabyte,
 * so writing a set costs no second copy of it.
 */

#define G_LOG_DOMAIN "es-writer"

#include "config.h"

#include "es-embedding-writer.h"

#include <string.h>

#include "es-engine-error.h"
#include "es-output.h"
#include "es-writer.h"

#define FLUSH_BYTES (1u << 20)
#define POLL_ROWS 1024

static const struct
{
  EsFormat    format;
  const char *name;
} format_names[] = {
  { ES_FORMAT_WORD2VEC_TEXT, "w2v-text" },
  { ES_FORMAT_WORD2VEC_BINARY, "w2v-binary" },
  { ES_FORMAT_GLOVE, "glove" },
  { ES_FORMAT_NPY, "npy" },
};

gboolean
es_embedding_format_from_name (const char *name,
                               EsFormat   *format)
{
  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    if (g_strcmp0 (name, format_names[i].name) == 0)
      {
        *format = format_names[i].format;
        return TRUE;
      }

  return FALSE;
}

const char *
es_embedding_format_to_name (EsFormat format)
{
  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    if (format_names[i].format == format)
      return format_names[i].name;

  return NULL;
}

EsFormat
es_embedding_format_for_path (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *lower = g_ascii_strdown (base, -1);

  if (g_str_has_suffix (lower, ".npy"))
    return ES_FORMAT_NPY;
  if (g_str_has_suffix (lower, ".bin"))
    return ES_FORMAT_WORD2VEC_BINARY;
  if (strstr (lower, "glove") != NULL)
    return ES_FORMAT_GLOVE;

  return ES_FORMAT_WORD2VEC_TEXT;
}

char *
es_embedding_writer_words_path (const char *npy_path)
{
  gsize len = strlen (npy_path);

  if (len > 4 && g_ascii_strcasecmp (npy_path + len - 4, ".npy") == 0)
    return g_strdup_printf ("%.*s.words.tsv", (int) (len - 4), npy_path);

  return g_strconcat (npy_path, ".words.tsv", NULL);
}

static const char *
describe_char (char c)
{
  switch (c)
    {
    case ' ': return "a space";
    case '\t': return "a tab";
    default: return "a line break";
    }
}

/* NULL when @word fits @format, else what is wrong with it. */
static const char *
word_problem (const char *word,
              gsize       len,
              EsFormat    format)
{
  if (len == 0)
    return "is empty";

  for (gsize i = 0; i < len; i++)
    {
      char c = word[i];
      gboolean bad;

      if (format == ES_FORMAT_WORD2VEC_BINARY)
        /* The word ends at the first space; line breaks before a word
         * are skipped by every reader.
         */
        bad = c == ' ' || (i == 0 && (c == '\n' || c == '\r'));
      else if (format == ES_FORMAT_NPY)
        bad = c == '\t' || c == '\n' || c == '\r';
      else
        bad = c == ' ' || c == '\t' || c == '\n' || c == '\r';
      if (bad)
        return describe_char (c);
    }

  return NULL;
}

static const char *
format_title (EsFormat format)
{
  return format == ES_FORMAT_WORD2VEC_TEXT ? "word2vec text"
       : format == ES_FORMAT_WORD2VEC_BINARY ? "word2vec binary"
       : format == ES_FORMAT_GLOVE ? "GloVe text" : "a words TSV";
}

gboolean
es_embedding_writer_check_words (EsEmbeddingSet  *set,
                                 EsFormat         format,
                                 GError         **error)
{
  gsize rows = es_embedding_set_get_rows (set);

  for (gsize r = 0; r < rows; r++)
    {
      const char *problem = word_problem (es_embedding_set_get_word (set, r),
                                          es_embedding_set_get_word_len (set, r), format);

      if (problem != NULL)
        {
          g_autofree char *shown = es_embedding_set_dup_display_word (set, r);

          if (g_str_equal (problem, "is empty"))
            g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                         "the word of row %" G_GSIZE_FORMAT " is empty, which %s cannot hold",
                         r + 1, format_title (format));
          else
            g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                         "the word of row %" G_GSIZE_FORMAT " (“%s”) contains %s, which %s cannot hold",
                         r + 1, shown, problem, format_title (format));
          return FALSE;
        }
    }

  return TRUE;
}

typedef struct
{
  EsOutput *output;
  GString  *buf;
} Sink;

static gboolean
sink_flush (Sink     *sink,
            gboolean  force,
            GError  **error)
{
  if (sink->buf->len == 0 || (!force && sink->buf->len < FLUSH_BYTES))
    return TRUE;
  if (!es_output_write (sink->output, sink->buf->str, sink->buf->len, error))
    return FALSE;
  g_string_truncate (sink->buf, 0);

  return TRUE;
}

static void
append_le_floats (GString     *buf,
                  const float *values,
                  gsize        n)
{
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  g_string_append_len (buf, (const char *) values, n * sizeof (float));
#else
  for (gsize i = 0; i < n; i++)
    {
      guint32 bits;

      memcpy (&bits, &values[i], 4);
      bits = GUINT32_TO_LE (bits);
      g_string_append_len (buf, (const char *) &bits, 4);
    }
#endif
}

static gboolean
write_rows (EsEmbeddingSet  *set,
            EsFormat         format,
            Sink            *sink,
            GCancellable    *cancellable,
            EsProgressFunc   progress,
            gpointer         progress_data,
            GError         **error)
{
  gsize rows = es_embedding_set_get_rows (set);
  gsize dims = es_embedding_set_get_dims (set);
  const EsMatrix *matrix = es_embedding_set_get_matrix (set);
  char number[ES_FLOAT_BUF_SIZE];

  if (format == ES_FORMAT_WORD2VEC_TEXT || format == ES_FORMAT_WORD2VEC_BINARY)
    g_string_append_printf (sink->buf, "%" G_GSIZE_FORMAT " %" G_GSIZE_FORMAT "\n", rows, dims);

  for (gsize r = 0; r < rows; r++)
    {
      const float *row = es_matrix_get_row (matrix, r);

      if (r % POLL_ROWS == 0)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          if (progress != NULL)
            progress ((double) r / rows, progress_data);
        }

      if (format != ES_FORMAT_NPY)
        g_string_append_len (sink->buf, es_embedding_set_get_word (set, r),
                             es_embedding_set_get_word_len (set, r));
      if (format == ES_FORMAT_WORD2VEC_BINARY)
        {
          g_string_append_c (sink->buf, ' ');
          append_le_floats (sink->buf, row, dims);
        }
      else if (format == ES_FORMAT_NPY)
        append_le_floats (sink->buf, row, dims);
      else
        for (gsize j = 0; j < dims; j++)
          {
            gsize len = es_format_float_buf (row[j], number);

            g_string_append_c (sink->buf, ' ');
            g_string_append_len (sink->buf, number, len);
          }
      if (format != ES_FORMAT_NPY)
        g_string_append_c (sink->buf, '\n');

      if (!sink_flush (sink, FALSE, error))
        return FALSE;
    }

  return sink_flush (sink, TRUE, error);
}

/* Format 1.0: magic, version, a 2-byte header length, then the dict padded
 * with spaces and a '\n' so that the data starts on a 64-byte boundary.
 */
static void
append_npy_header (GString *buf,
                   gsize    rows,
                   gsize    dims)
{
  g_autoptr(GString) dict = g_string_new (NULL);
  gsize total;

  g_string_printf (dict, "{'descr': '<f4', 'fortran_order': False, 'shape': (%" G_GSIZE_FORMAT
                   ", %" G_GSIZE_FORMAT "), }", rows, dims);
  total = 10 + dict->len + 1;
  while (total % 64 != 0)
    {
      g_string_append_c (dict, ' ');
      total++;
    }
  g_string_append_c (dict, '\n');

  g_string_append_len (buf, "\x93NUMPY\x01\x00", 8);
  g_string_append_c (buf, (char) (dict->len & 0xff));
  g_string_append_c (buf, (char) (dict->len >> 8));
  g_string_append_len (buf, dict->str, dict->len);
}

static gboolean
write_words_tsv (EsEmbeddingSet  *set,
                 const char      *path,
                 GError         **error)
{
  gsize rows = es_embedding_set_get_rows (set);
  g_autoptr(EsOutput) output = es_output_open (path, error);
  g_autoptr(GString) buf = g_string_sized_new (FLUSH_BYTES + 4096);
  Sink sink = { output, buf };

  if (output == NULL)
    return FALSE;
  for (gsize r = 0; r < rows; r++)
    {
      g_string_append_len (buf, es_embedding_set_get_word (set, r), es_embedding_set_get_word_len (set, r));
      g_string_append_c (buf, '\n');
      if (!sink_flush (&sink, FALSE, error))
        return FALSE;
    }
  if (!sink_flush (&sink, TRUE, error))
    return FALSE;

  return es_output_commit (g_steal_pointer (&output), error);
}

gboolean
es_embedding_writer_write (EsEmbeddingSet  *set,
                           const char      *path,
                           EsFormat         format,
                           const char      *words_path,
                           GCancellable    *cancellable,
                           EsProgressFunc   progress,
                           gpointer         progress_data,
                           GError         **error)
{
  g_autoptr(EsOutput) output = NULL;
  g_autoptr(GString) buf = NULL;
  g_autofree char *default_words = NULL;
  Sink sink;

  g_return_val_if_fail (set != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (es_embedding_format_to_name (format) != NULL, FALSE);

  if (!es_embedding_writer_check_words (set, format, error))
    return FALSE;

  if (format == ES_FORMAT_NPY)
    {
      if (words_path == NULL)
        words_path = default_words = es_embedding_writer_words_path (path);
      if (g_strcmp0 (words_path, path) == 0)
        {
          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                       "the words file cannot be the .npy file itself (%s)", path);
          return FALSE;
        }
    }

  if (!(output = es_output_open (path, error)))
    return FALSE;
  buf = g_string_sized_new (FLUSH_BYTES + 65536);
  sink = (Sink) { output, buf };
  if (format == ES_FORMAT_NPY)
    append_npy_header (buf, es_embedding_set_get_rows (set), es_embedding_set_get_dims (set));
  if (!write_rows (set, format, &sink, cancellable, progress, progress_data, error))
    return FALSE;
  /* The words go last, after the only long step, so that a cancelled or
   * failed write leaves neither file behind.
   */
  if (format == ES_FORMAT_NPY && !write_words_tsv (set, words_path, error))
    return FALSE;
  if (!es_output_commit (g_steal_pointer (&output), error))
    return FALSE;
  if (progress != NULL)
    progress (1.0, progress_data);

  return TRUE;
}
