/* es-matrix-market.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The format: NIST's "The Matrix Market Exchange Formats: Initial Design"
 * (Boisvert, Pozo & Remington 1996).  A banner line, comment lines
 * starting with '%', a size line "ROWS COLS ENTRIES", then one entry per
 * line "I J [VALUE]" with 1-based indices.
 */

#define G_LOG_DOMAIN "es-sparse"

#include "config.h"

#include "es-matrix-market.h"

#include "es-engine-error.h"
#include "es-loader-private.h"
#include "es-memory.h"
#include "es-output.h"
#include "es-sparse-private.h"
#include "es-writer.h"

#include <math.h>
#include <string.h>

#define BLOCK_SIZE (8u << 20)

void
es_matrix_market_options_init (EsMatrixMarketOptions *options)
{
  memset (options, 0, sizeof *options);
}

gboolean
es_matrix_market_sniff (const char *path)
{
  g_autoptr(EsLineSource) source = _es_line_source_open (path, 4096, NULL);
  const char *data;
  gsize len;
  guint64 line;

  if (source == NULL || !_es_line_source_next (source, &data, &len, &line, NULL))
    return FALSE;
  return len >= 14 && g_ascii_strncasecmp (data, "%%MatrixMarket", 14) == 0;
}

char *
es_matrix_market_labels_path (const char *path,
                              const char *kind)
{
  g_autofree char *base = g_strdup (path);
  gsize len = strlen (base);

  if (len > 3 && g_ascii_strcasecmp (base + len - 3, ".gz") == 0)
    base[len -= 3] = '\0';
  if (len > 4 && g_ascii_strcasecmp (base + len - 4, ".mtx") == 0)
    base[len -= 4] = '\0';

  return g_strdup_printf ("%s.%s.tsv", base, kind);
}

typedef enum { FIELD_REAL, FIELD_INTEGER, FIELD_PATTERN } Field;

typedef struct
{
  const char   *name;
  guint64       line;
  gboolean      have_banner;
  gboolean      have_size;
  Field         field;
  gboolean      symmetric;
  guint64       rows, cols, declared;
  guint64       seen;
  /* triplets, grown by doubling (the size line is not trusted) */
  guint32      *ri, *ci;
  float        *v;
  guint64       n, alloc;
} Reader;

static void
reader_clear (Reader *r)
{
  g_free (r->ri);
  g_free (r->ci);
  g_free (r->v);
}

static gboolean
fail (Reader      *r,
      GError     **error,
      const char  *format,
      ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (Reader      *r,
      GError     **error,
      const char  *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_PARSE, "%s:%" G_GUINT64_FORMAT ": %s",
               r->name, r->line, message);
  return FALSE;
}

static gboolean
parse_banner (Reader      *r,
              const char  *line,
              gsize        len,
              GError     **error)
{
  g_autofree char *text = g_ascii_strdown (line, len);
  g_auto(GStrv) words = NULL;
  GPtrArray *kept = g_ptr_array_new ();
  const char *object, *format, *field, *symmetry;

  g_strdelimit (text, "\t\r", ' ');
  words = g_strsplit (text, " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (words[i][0] != '\0')
      g_ptr_array_add (kept, words[i]);
  if (kept->len != 5)
    {
      g_ptr_array_unref (kept);
      return fail (r, error, "expected '%%%%MatrixMarket matrix coordinate FIELD SYMMETRY'");
    }
  object = kept->pdata[1];
  format = kept->pdata[2];
  field = kept->pdata[3];
  symmetry = kept->pdata[4];
  g_ptr_array_unref (kept);

  if (strcmp (object, "matrix") != 0)
    return fail (r, error, "the object is '%s'; only 'matrix' is supported", object);
  if (strcmp (format, "array") == 0)
    return fail (r, error, "the 'array' (dense) format is not supported; only 'coordinate'");
  if (strcmp (format, "coordinate") != 0)
    return fail (r, error, "unknown format '%s' (expected 'coordinate')", format);
  if (strcmp (field, "real") == 0 || strcmp (field, "double") == 0)
    r->field = FIELD_REAL;
  else if (strcmp (field, "integer") == 0)
    r->field = FIELD_INTEGER;
  else if (strcmp (field, "pattern") == 0)
    r->field = FIELD_PATTERN;
  else if (strcmp (field, "complex") == 0)
    return fail (r, error, "complex matrices are not supported (real, integer or pattern)");
  else
    return fail (r, error, "unknown field '%s' (expected real, integer or pattern)", field);
  if (strcmp (symmetry, "general") == 0)
    r->symmetric = FALSE;
  else if (strcmp (symmetry, "symmetric") == 0)
    r->symmetric = TRUE;
  else if (strcmp (symmetry, "skew-symmetric") == 0 || strcmp (symmetry, "hermitian") == 0)
    return fail (r, error, "%s matrices are not supported (general or symmetric)", symmetry);
  else
    return fail (r, error, "unknown symmetry '%s' (expected general or symmetric)", symmetry);

  r->have_banner = TRUE;
  return TRUE;
}

static inline const char *
skip_blanks (const char *p,
             const char *end)
{
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
    p++;
  return p;
}

static gboolean
parse_index (const char **pp,
             const char  *end,
             guint64     *out)
{
  const char *p = skip_blanks (*pp, end), *start = p;
  guint64 v = 0;

  while (p < end && g_ascii_isdigit (*p))
    {
      if (v > (G_MAXUINT64 - 9) / 10)
        return FALSE;
      v = v * 10 + (guint64) (*p++ - '0');
    }
  if (p == start || (p < end && *p != ' ' && *p != '\t' && *p != '\r'))
    return FALSE;
  *pp = p;
  *out = v;
  return TRUE;
}

static gboolean
parse_size (Reader      *r,
            const char  *p,
            const char  *end,
            GError     **error)
{
  guint64 cells;

  if (!parse_index (&p, end, &r->rows) || !parse_index (&p, end, &r->cols) ||
      !parse_index (&p, end, &r->declared) || skip_blanks (p, end) != end)
    return fail (r, error, "expected the size line 'ROWS COLUMNS ENTRIES'");
  if (r->rows == 0 || r->cols == 0)
    return fail (r, error, "the matrix has no rows or no columns");
  if (r->rows > G_MAXUINT32 || r->cols > G_MAXUINT32)
    return fail (r, error, "at most %u rows and columns are supported", G_MAXUINT32);
  if (r->symmetric && r->rows != r->cols)
    return fail (r, error, "a symmetric matrix must be square, not %" G_GUINT64_FORMAT " × %" G_GUINT64_FORMAT,
                 r->rows, r->cols);
  if (es_checked_mul (r->rows, r->cols, &cells) && r->declared > cells)
    return fail (r, error, "%" G_GUINT64_FORMAT " entries do not fit in %" G_GUINT64_FORMAT " × %" G_GUINT64_FORMAT,
                 r->declared, r->rows, r->cols);
  r->have_size = TRUE;
  return TRUE;
}

static gboolean
push (Reader   *r,
      guint32   i,
      guint32   j,
      float     v,
      GError  **error)
{
  if (r->n == r->alloc)
    {
      guint64 want = MAX (r->alloc * 2, MIN (r->declared * (r->symmetric ? 2 : 1) + 1, 1u << 20));

      if (!es_memory_check (want, 2 * sizeof (guint32) + sizeof (float), "The matrix entries", NULL, error))
        return FALSE;
      r->ri = g_realloc_n (r->ri, want, sizeof (guint32));
      r->ci = g_realloc_n (r->ci, want, sizeof (guint32));
      r->v = g_realloc_n (r->v, want, sizeof (float));
      r->alloc = want;
    }
  r->ri[r->n] = i;
  r->ci[r->n] = j;
  r->v[r->n] = v;
  r->n++;
  return TRUE;
}

static gboolean
parse_entry (Reader      *r,
             const char  *p,
             const char  *end,
             GError     **error)
{
  guint64 i, j;
  float value = 1.0f;

  if (r->seen == r->declared)
    return fail (r, error, "more entries than the %" G_GUINT64_FORMAT " the size line declares", r->declared);
  if (!parse_index (&p, end, &i) || !parse_index (&p, end, &j))
    return fail (r, error, "expected an entry 'ROW COLUMN%s'", r->field == FIELD_PATTERN ? "" : " VALUE");
  if (i < 1 || i > r->rows)
    return fail (r, error, "row index %" G_GUINT64_FORMAT " is outside 1..%" G_GUINT64_FORMAT, i, r->rows);
  if (j < 1 || j > r->cols)
    return fail (r, error, "column index %" G_GUINT64_FORMAT " is outside 1..%" G_GUINT64_FORMAT, j, r->cols);
  if (r->field != FIELD_PATTERN)
    {
      const char *stop;
      EsFloatStatus status;

      p = skip_blanks (p, end);
      status = _es_parse_float_prefix (p, end, &value, &stop);
      if (p == end || status == ES_FLOAT_INVALID)
        return fail (r, error, "expected a number after the indices");
      if (status != ES_FLOAT_OK)
        return fail (r, error, "the value '%.*s' is not a finite float32 number", (int) MIN (stop - p, 40), p);
      p = stop;
    }
  if (skip_blanks (p, end) != end)
    return fail (r, error, "unexpected text after the entry");

  r->seen++;
  if (!push (r, (guint32) (i - 1), (guint32) (j - 1), value, error))
    return FALSE;
  if (r->symmetric && i != j && !push (r, (guint32) (j - 1), (guint32) (i - 1), value, error))
    return FALSE;
  return TRUE;
}

static gboolean
parse_line (Reader      *r,
            const char  *p,
            const char  *end,
            GError     **error)
{
  if (!r->have_banner)
    {
      if (end - p < 14 || g_ascii_strncasecmp (p, "%%MatrixMarket", 14) != 0)
        return fail (r, error, "expected the banner '%%%%MatrixMarket matrix coordinate ...'");
      return parse_banner (r, p, end - p, error);
    }
  if (p < end && *p == '%')
    return TRUE;
  if (skip_blanks (p, end) == end)
    return TRUE;
  if (!r->have_size)
    return parse_size (r, p, end, error);
  return parse_entry (r, p, end, error);
}

/* One label per line (the first TAB-separated field), exactly @n lines. */
static char **
read_labels (const char  *path,
             guint64      n,
             GError     **error)
{
  g_autoptr(EsLineSource) source = _es_line_source_open (path, BLOCK_SIZE, error);
  g_autoptr(GPtrArray) labels = NULL;
  const char *data;
  gsize len;
  guint64 first;

  if (source == NULL)
    return NULL;
  labels = g_ptr_array_new_with_free_func (g_free);
  while (_es_line_source_next (source, &data, &len, &first, error))
    {
      const char *p = data, *end = data + len;

      while (p < end)
        {
          const char *nl = memchr (p, '\n', end - p);
          const char *stop = nl != NULL ? nl : end;
          const char *tab = memchr (p, '\t', stop - p);
          const char *label_end = tab != NULL ? tab : stop;

          if (label_end > p && label_end[-1] == '\r')
            label_end--;
          if (labels->len >= n)
            {
              g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_DIMENSION,
                           "%s: more than the %" G_GUINT64_FORMAT " labels the matrix needs", path, n);
              return NULL;
            }
          g_ptr_array_add (labels, g_strndup (p, label_end - p));
          p = stop + 1;
        }
    }
  if (error != NULL && *error != NULL)
    return NULL;
  if (labels->len != n)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_DIMENSION,
                   "%s: %u labels for %" G_GUINT64_FORMAT " rows or columns", path, labels->len, n);
      return NULL;
    }
  g_ptr_array_add (labels, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&labels), FALSE);
}

static gboolean
attach_labels (EsSparseMatrix  *m,
               const char      *path,
               const char      *given,
               const char      *kind,
               gboolean         rows,
               GError         **error)
{
  g_autofree char *beside = NULL;
  const char *file = given;
  char **labels;

  if (file == NULL)
    {
      beside = es_matrix_market_labels_path (path, kind);
      if (!g_file_test (beside, G_FILE_TEST_IS_REGULAR))
        return TRUE;
      file = beside;
    }
  labels = read_labels (file, rows ? es_sparse_matrix_get_rows (m) : es_sparse_matrix_get_cols (m), error);
  if (labels == NULL)
    return FALSE;
  if (rows)
    es_sparse_matrix_take_row_labels (m, labels);
  else
    es_sparse_matrix_take_col_labels (m, labels);
  return TRUE;
}

EsSparseMatrix *
es_matrix_market_read (const char                   *path,
                       const EsMatrixMarketOptions  *options,
                       GPtrArray                    *warnings,
                       GCancellable                 *cancellable,
                       EsProgressFunc                progress,
                       gpointer                      progress_data,
                       GError                      **error)
{
  g_autoptr(EsLineSource) source = NULL;
  g_autoptr(EsSparseMatrix) m = NULL;
  g_autoptr(GError) local_error = NULL;
  EsMatrixMarketOptions defaults;
  Reader r = { 0 };
  const char *data;
  gsize len;
  guint64 first;
  guint64 duplicates = 0;

  if (options == NULL)
    {
      es_matrix_market_options_init (&defaults);
      options = &defaults;
    }
  r.name = path;
  if (!(source = _es_line_source_open (path, BLOCK_SIZE, error)))
    return NULL;

  while (_es_line_source_next (source, &data, &len, &first, &local_error))
    {
      const char *p = data, *end = data + len;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto fail;
      r.line = first;
      while (p < end)
        {
          const char *nl = memchr (p, '\n', end - p);
          const char *stop = nl != NULL ? nl : end;

          if (!parse_line (&r, p, stop, error))
            goto fail;
          p = stop + 1;
          r.line++;
        }
      if (progress != NULL)
        progress (0.9 * _es_line_source_fraction (source), progress_data);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      goto fail;
    }
  if (!r.have_banner)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_EMPTY, "%s: the file is empty", path);
      goto fail;
    }
  r.line = MAX (r.line, 2) - 1;
  if (!r.have_size)
    {
      fail (&r, error, "the file ends before the size line");
      goto fail;
    }
  if (r.seen != r.declared)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TRUNCATED,
                   "%s:%" G_GUINT64_FORMAT ": the file ends after %" G_GUINT64_FORMAT " of the %"
                   G_GUINT64_FORMAT " entries the size line declares", path, r.line, r.seen, r.declared);
      goto fail;
    }

  m = es_sparse_matrix_new_from_triplets (r.rows, r.cols, r.ri, r.ci, r.v, r.n, &duplicates, error);
  reader_clear (&r);
  memset (&r, 0, sizeof r);
  if (m == NULL)
    return NULL;
  if (duplicates > 0 && warnings != NULL)
    g_ptr_array_add (warnings, g_strdup_printf ("%s: %" G_GUINT64_FORMAT " duplicate entries were summed",
                                                path, duplicates));
  if (!attach_labels (m, path, options->row_labels, "rows", TRUE, error) ||
      !attach_labels (m, path, options->col_labels, "cols", FALSE, error))
    return NULL;
  if (options->transpose)
    {
      EsSparseMatrix *t = es_sparse_matrix_transpose (m, error);

      if (t == NULL)
        return NULL;
      es_sparse_matrix_unref (m);
      m = t;
    }
  if (progress != NULL)
    progress (1.0, progress_data);

  return g_steal_pointer (&m);

fail:
  reader_clear (&r);
  return NULL;
}

static gboolean
write_labels (const EsSparseMatrix  *m,
              const char            *path,
              gboolean               rows,
              GError               **error)
{
  gsize n = rows ? es_sparse_matrix_get_rows (m) : es_sparse_matrix_get_cols (m);
  g_autofree char *file = es_matrix_market_labels_path (path, rows ? "rows" : "cols");
  g_autoptr(GString) text = NULL;

  if ((rows ? es_sparse_matrix_get_row_label (m, 0) : es_sparse_matrix_get_col_label (m, 0)) == NULL)
    return TRUE;
  text = g_string_new (NULL);
  for (gsize i = 0; i < n; i++)
    {
      const char *label = rows ? es_sparse_matrix_get_row_label (m, i) : es_sparse_matrix_get_col_label (m, i);

      if (strpbrk (label, "\t\n\r") != NULL)
        {
          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                       "%s: label %" G_GSIZE_FORMAT " holds a TAB or a line break", file, i + 1);
          return FALSE;
        }
      g_string_append (text, label);
      g_string_append_c (text, '\n');
    }
  return es_output_write_file (file, text->str, text->len, error);
}

/* Digits of @v at @p, most significant first; returns the end. */
static inline char *
put_uint (char    *p,
          guint64  v)
{
  char tmp[20];
  int n = 0;

  do
    {
      tmp[n++] = (char) ('0' + v % 10);
      v /= 10;
    }
  while (v != 0);
  while (n > 0)
    *p++ = tmp[--n];
  return p;
}

/* es_format_float_buf (): the shortest "%.Pg" that reads back.  An integer
 * below 2²⁴ in magnitude (every count) is exact in float32, so its P is its
 * significant digits without trailing zeros, and %g writes it plain, or as
 * d.ddde+XX when its exponent is at least P; by hand, as printf would.
 * Anything else through es_format_float_buf ().
 */
static inline char *
put_float (char  *p,
           float  value)
{
  float mag = fabsf (value);
  guint64 n, m;
  int digits = 0, zeros = 0;
  char mant[20];

  if (!(mag >= 1.0f && mag < 16777216.0f) || (float) (guint64) mag != mag)
    return p + es_format_float_buf (value, p);
  n = (guint64) mag;
  for (m = n; m % 10 == 0; m /= 10)
    zeros++;
  if (value < 0)
    *p++ = '-';
  if (zeros == 0)
    return put_uint (p, n);
  /* Scientific (the exponent, zeros + digits - 1, is ≥ P = digits): the
   * mantissa's digits with a point after the first.
   */
  digits = (int) (put_uint (mant, m) - mant);
  *p++ = mant[0];
  if (digits > 1)
    {
      *p++ = '.';
      memcpy (p, mant + 1, digits - 1);
      p += digits - 1;
    }
  *p++ = 'e';
  *p++ = '+';
  if (zeros + digits - 1 < 10)
    *p++ = '0';
  return put_uint (p, zeros + digits - 1);
}

gboolean
es_matrix_market_write (const EsSparseMatrix  *m,
                        const char            *path,
                        gboolean               labels,
                        GError               **error)
{
  /* Lines are formatted by hand into one buffer, written when nearly full:
   * printf and the float search per entry took minutes for 10M entries.
   */
  enum { BUFFER = 1 << 20, LINE_BYTES = 2 * 20 + ES_FLOAT_BUF_SIZE + 4 };
  g_autoptr(EsOutput) out = NULL;
  g_autofree char *buffer = g_malloc (BUFFER);
  g_autofree char *header = NULL;
  const guint64 *offsets = es_sparse_matrix_get_offsets (m);
  const guint32 *columns = es_sparse_matrix_get_columns (m);
  const float *values = es_sparse_matrix_get_values (m);
  char row[24];
  char *p = buffer;

  if (!(out = es_output_open (path, error)))
    return FALSE;
  header = g_strdup_printf ("%%%%MatrixMarket matrix coordinate real general\n"
                            "%% written by embedscope %s\n"
                            "%" G_GSIZE_FORMAT " %" G_GSIZE_FORMAT " %" G_GUINT64_FORMAT "\n",
                            PACKAGE_VERSION, es_sparse_matrix_get_rows (m), es_sparse_matrix_get_cols (m),
                            es_sparse_matrix_get_nnz (m));
  if (!es_output_write (out, header, strlen (header), error))
    return FALSE;
  for (gsize i = 0; i < es_sparse_matrix_get_rows (m); i++)
    {
      gsize row_len = put_uint (row, i + 1) - row;

      row[row_len++] = ' ';
      for (guint64 q = offsets[i]; q < offsets[i + 1]; q++)
        {
          if (p - buffer > BUFFER - LINE_BYTES)
            {
              if (!es_output_write (out, buffer, p - buffer, error))
                return FALSE;
              p = buffer;
            }
          memcpy (p, row, row_len);
          p = put_uint (p + row_len, (guint64) columns[q] + 1);
          *p++ = ' ';
          p = put_float (p, values[q]);
          *p++ = '\n';
        }
    }
  if (!es_output_write (out, buffer, p - buffer, error) || !es_output_commit (g_steal_pointer (&out), error))
    return FALSE;

  return !labels || (write_labels (m, path, TRUE, error) && write_labels (m, path, FALSE, error));
}
