/* test-sparse.c: CSR matrices and Matrix Market files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reference values: scipy.io.mmread of tests/data/gensim/dtm_test.mm, from
 *   /usr/bin/python3 tests/reference/make-sparse-reference.py
 *   shape (10, 546) nnz 812 sum 1112.0 sumsq 2290.0
 *   row sums [112, 166, 108, 102, 113, 119, 90, 64, 93, 145]
 *   m[0, 23] = 5, m.max () = 12
 */

#define G_LOG_DOMAIN "test-sparse"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "es-engine.h"
#include "es-sparse-private.h"
#include "sparse-test-util.h"

static EsSparseMatrix *
read_text (const char  *name,
           const char  *text,
           gboolean     gzip,
           GPtrArray   *warnings,
           GError     **error)
{
  g_autofree char *path = sparse_test_write (name, text, -1, gzip);

  return es_matrix_market_read (path, NULL, warnings, NULL, NULL, NULL, error);
}

static void
check_dtm (EsSparseMatrix *m)
{
  static const double row_sums[] = { 112, 166, 108, 102, 113, 119, 90, 64, 93, 145 };
  const guint64 *offsets = es_sparse_matrix_get_offsets (m);
  const float *values = es_sparse_matrix_get_values (m);
  const guint32 *columns = es_sparse_matrix_get_columns (m);
  double sum = 0;
  float max = 0;

  g_assert_cmpuint (es_sparse_matrix_get_rows (m), ==, 10);
  g_assert_cmpuint (es_sparse_matrix_get_cols (m), ==, 546);
  g_assert_cmpuint (es_sparse_matrix_get_nnz (m), ==, 812);
  for (gsize i = 0; i < 10; i++)
    {
      double row = 0;

      for (guint64 p = offsets[i]; p < offsets[i + 1]; p++)
        {
          row += values[p];
          max = MAX (max, values[p]);
          if (p > offsets[i])
            g_assert_cmpuint (columns[p], >, columns[p - 1]);
        }
      g_assert_cmpfloat (row, ==, row_sums[i]);
      sum += row;
    }
  g_assert_cmpfloat (sum, ==, 1112.0);
  g_assert_cmpfloat (es_sparse_matrix_frobenius_sq (m), ==, 2290.0);
  g_assert_cmpfloat (es_sparse_matrix_get (m, 0, 23), ==, 5.0f);
  g_assert_cmpfloat (max, ==, 12.0f);
}

static void
test_read_dtm (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "gensim", "dtm_test.mm", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(EsSparseMatrix) m = NULL;
  g_autofree char *label = NULL;

  g_test_summary ("gensim's dtm_test.mm reads as scipy.io.mmread reads it");
  g_assert_true (es_matrix_market_sniff (path));
  m = es_matrix_market_read (path, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  check_dtm (m);
  label = es_sparse_matrix_dup_row_label (m, 16 - 7);
  g_assert_cmpstr (label, ==, "row 10");
}

static void
test_round_trip_gzip (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "gensim", "dtm_test.mm", NULL);
  g_autofree char *out = g_build_filename (sparse_test_dir (), "copy.mtx", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *gz = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EsSparseMatrix) m = NULL;
  g_autoptr(EsSparseMatrix) back = NULL;
  g_autoptr(EsSparseMatrix) t = NULL;
  gsize len;
  char **labels = g_new0 (char *, 11);

  g_test_summary ("A written matrix (with labels) reads back equal, also gzipped; transpose swaps");
  m = es_matrix_market_read (path, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 10; i++)
    labels[i] = g_strdup_printf ("doc%u", i);
  es_sparse_matrix_take_row_labels (m, labels);
  g_assert_true (es_matrix_market_write (m, out, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (out, &contents, &len, NULL));
  gz = sparse_test_write ("copy.mtx.gz", contents, len, TRUE);
  {
    g_autofree char *rows = g_build_filename (sparse_test_dir (), "copy.rows.tsv", NULL);
    g_assert_true (g_file_test (rows, G_FILE_TEST_IS_REGULAR));
  }
  back = es_matrix_market_read (gz, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  check_dtm (back);
  g_assert_cmpstr (es_sparse_matrix_get_row_label (back, 3), ==, "doc3");
  g_assert_null (es_sparse_matrix_get_col_label (back, 3));

  t = es_sparse_matrix_transpose (back, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (es_sparse_matrix_get_rows (t), ==, 546);
  g_assert_cmpfloat (es_sparse_matrix_get (t, 23, 0), ==, 5.0f);
  g_assert_cmpstr (es_sparse_matrix_get_col_label (t, 3), ==, "doc3");
}

static void
test_write_values (void)
{
  /* Integers (plain, with trailing zeros, at and past 2^24), fractions,
   * negatives, the float32 extremes. */
  static const float values[] = { 1, 7, 10, 12, 100, 120, 1000, 1010, 65536, 1e6f, 1234567, 16777215,
                                  16777216, 123456792, 3e9f, -3, -10, -120, 0.5f, 2.5f, 0.1f, 1.0f / 3,
                                  1e-7f, 1e-45f, 3.4028235e38f, -0.25f, 0 };
  const guint n = G_N_ELEMENTS (values);
  g_autofree guint32 *rows = g_new (guint32, n);
  g_autofree guint32 *cols = g_new (guint32, n);
  g_autofree char *out = g_build_filename (sparse_test_dir (), "values.mtx", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EsSparseMatrix) m = NULL;
  g_autoptr(EsSparseMatrix) back = NULL;

  g_test_summary ("Each written value is es_format_float's shortest decimal, and the matrix reads "
                  "back with the same rows, columns and float32 bits");
  for (guint i = 0; i < n; i++)
    {
      rows[i] = i % 5;
      cols[i] = (i * 7) % n;
    }
  m = es_sparse_matrix_new_from_triplets (5, n, rows, cols, values, n, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (es_matrix_market_write (m, out, FALSE, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (out, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3 + n + 1);
  for (guint k = 3; k < 3 + n; k++)
    {
      guint r, c;
      char text[64], expected[ES_FLOAT_BUF_SIZE];
      const float *v = es_sparse_matrix_get_values (m);
      const guint64 *offsets = es_sparse_matrix_get_offsets (m);
      const guint32 *columns = es_sparse_matrix_get_columns (m);
      guint64 p;

      g_assert_cmpint (sscanf (lines[k], "%u %u %63s", &r, &c, text), ==, 3);
      for (p = offsets[r - 1]; p < offsets[r] && columns[p] != c - 1; p++)
        ;
      g_assert_cmpuint (p, <, offsets[r]);
      es_format_float_buf (v[p], expected);
      g_assert_cmpstr (text, ==, expected);
    }

  back = es_matrix_market_read (out, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (es_sparse_matrix_get_rows (back), ==, 5);
  g_assert_cmpuint (es_sparse_matrix_get_cols (back), ==, n);
  g_assert_cmpuint (es_sparse_matrix_get_nnz (back), ==, es_sparse_matrix_get_nnz (m));
  g_assert_cmpmem (es_sparse_matrix_get_offsets (back), 6 * sizeof (guint64),
                   es_sparse_matrix_get_offsets (m), 6 * sizeof (guint64));
  g_assert_cmpmem (es_sparse_matrix_get_columns (back), n * sizeof (guint32),
                   es_sparse_matrix_get_columns (m), n * sizeof (guint32));
  g_assert_cmpmem (es_sparse_matrix_get_values (back), n * sizeof (float),
                   es_sparse_matrix_get_values (m), n * sizeof (float));
}

static void
test_symmetric_pattern_duplicates (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(EsSparseMatrix) m = NULL;

  g_test_summary ("symmetric mirrors, pattern gives ones, duplicates are summed with a warning");
  m = read_text ("sym.mtx", "%%MatrixMarket matrix coordinate integer symmetric\n% c\n\n3 3 4\n"
                 "1 1 2\n3 1 7\n2 2 -1\n3 1 1\n", FALSE, warnings, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (es_sparse_matrix_get (m, 0, 2), ==, 8.0f);
  g_assert_cmpfloat (es_sparse_matrix_get (m, 2, 0), ==, 8.0f);
  g_assert_cmpfloat (es_sparse_matrix_get (m, 1, 1), ==, -1.0f);
  g_assert_cmpuint (es_sparse_matrix_get_nnz (m), ==, 4);
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_nonnull (strstr (warnings->pdata[0], "duplicate"));
  g_assert_false (es_sparse_matrix_is_nonnegative (m));
  g_clear_pointer (&m, es_sparse_matrix_unref);

  m = read_text ("pat.mtx", "%%MatrixMarket matrix coordinate pattern general\n2 3 2\n2 3\n1 1", FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (es_sparse_matrix_get (m, 1, 2), ==, 1.0f);
  g_assert_cmpfloat (es_sparse_matrix_get (m, 0, 0), ==, 1.0f);
  g_assert_cmpfloat (es_sparse_matrix_get (m, 0, 2), ==, 0.0f);
}

typedef struct
{
  const char *name;
  const char *text;
  const char *message;  /* a part of the error */
} BadCase;

static const BadCase bad_cases[] = {
  { "array", "%%MatrixMarket matrix array real general\n2 2\n1\n2\n3\n4\n", ":1: the 'array'" },
  { "complex", "%%MatrixMarket matrix coordinate complex general\n1 1 1\n1 1 1 0\n", ":1: complex" },
  { "hermitian", "%%MatrixMarket matrix coordinate real hermitian\n1 1 1\n1 1 1\n", ":1: hermitian" },
  { "skew", "%%MatrixMarket matrix coordinate real skew-symmetric\n2 2 1\n2 1 1\n", ":1: skew-symmetric" },
  { "row-range", "%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 1\n3 1 1\n", ":4: row index 3" },
  { "col-zero", "%%MatrixMarket matrix coordinate real general\n2 2 1\n1 0 1\n", ":3: column index 0" },
  { "too-few", "%%MatrixMarket matrix coordinate real general\n2 2 3\n1 1 1\n2 2 1\n", ":4: the file ends after 2 of the 3" },
  { "too-many", "%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 1\n2 2 1\n", ":4: more entries than the 1" },
  { "nan", "%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 nan\n", ":3: the value 'nan'" },
  { "no-value", "%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1\n", ":3: expected a number" },
  { "garbage", "%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 1 x\n", ":3: unexpected text" },
  { "size", "%%MatrixMarket matrix coordinate real general\n2 x 1\n", ":2: expected the size line" },
  { "too-dense", "%%MatrixMarket matrix coordinate real general\n2 2 5\n", ":2: 5 entries do not fit" },
  { "no-banner", "2 2 1\n1 1 1\n", ":1: expected the banner" },
  { "huge-declared", "%%MatrixMarket matrix coordinate real general\n4000000000 4000000000 16000000000000000000\n1 1 1\n",
    ":3: the file ends after 1 of the" },
  { "empty", "", "the file is empty" },
};

static void
test_bad (gconstpointer data)
{
  const BadCase *c = data;
  g_autofree char *name = g_strdup_printf ("%s.mtx", c->name);
  g_autoptr(GError) error = NULL;
  g_autoptr(EsSparseMatrix) m = read_text (name, c->text, FALSE, NULL, &error);

  g_assert_null (m);
  g_assert_nonnull (error);
  g_assert_true (error->domain == ES_ENGINE_ERROR);
  if (strstr (error->message, c->message) == NULL)
    g_error ("%s: '%s' lacks '%s'", c->name, error->message, c->message);
}

static void
test_labels_mismatch (void)
{
  g_autofree char *rows = sparse_test_write ("lab.rows.tsv", "a\nb\nc\n", -1, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(EsSparseMatrix) m = read_text ("lab.mtx", "%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 1\n",
                                           FALSE, NULL, &error);

  g_test_summary ("A labels file beside the matrix with the wrong number of lines is an error");
  g_assert_null (m);
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_DIMENSION);
}

/* Entry by entry against the dense matrix, skewed rows so that the two
 * halves of the transpose differ in rows; 1 and 2 threads agree. */
static void
test_transpose (void)
{
  const gsize rows = 700, cols = 90;
  g_autofree float *dense = g_new0 (float, rows * cols);
  g_autoptr(GArray) ri = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) ci = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) vi = g_array_new (FALSE, FALSE, sizeof (float));
  g_autoptr(EsSparseMatrix) a = NULL;
  g_autoptr(EsSparseMatrix) t = NULL;
  g_autoptr(EsSparseMatrix) t1 = NULL;
  g_autoptr(GError) error = NULL;
  guint64 state = 7;

  g_test_summary ("Transpose: every entry moves to (j, i), rows sorted, the same with 1 and 2 threads");
  for (guint32 i = 0; i < rows; i++)
    for (guint32 j = 0; j < cols; j++)
      {
        state = state * 6364136223846793005u + 1442695040888963407u;
        /* The first 20 rows dense, the rest ~5 % full. */
        if (i < 20 || (state >> 33) % 20 == 0)
          {
            float v = (float) ((state >> 40) % 1000) + 1;

            dense[i * cols + j] = v;
            g_array_append_val (ri, i);
            g_array_append_val (ci, j);
            g_array_append_val (vi, v);
          }
      }
  a = es_sparse_matrix_new_from_triplets (rows, cols, (guint32 *) ri->data, (guint32 *) ci->data,
                                          (float *) vi->data, ri->len, NULL, &error);
  g_assert_no_error (error);
  t = es_sparse_matrix_transpose (a, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (es_sparse_matrix_get_rows (t), ==, cols);
  g_assert_cmpuint (es_sparse_matrix_get_cols (t), ==, rows);
  g_assert_cmpuint (es_sparse_matrix_get_nnz (t), ==, ri->len);
  for (gsize j = 0; j < cols; j++)
    {
      const guint64 *off = es_sparse_matrix_get_offsets (t);
      const guint32 *col = es_sparse_matrix_get_columns (t);
      gsize n = 0;

      for (guint64 p = off[j]; p < off[j + 1]; p++)
        {
          if (p > off[j])
            g_assert_cmpuint (col[p - 1], <, col[p]);
          g_assert_cmpfloat (es_sparse_matrix_get_values (t)[p], ==, dense[col[p] * cols + j]);
        }
      for (gsize i = 0; i < rows; i++)
        n += dense[i * cols + j] != 0;
      g_assert_cmpuint (off[j + 1] - off[j], ==, n);
    }
  _es_sparse_set_n_threads (1);
  t1 = es_sparse_matrix_transpose (a, &error);
  _es_sparse_set_n_threads (0);
  g_assert_no_error (error);
  g_assert_cmpmem (es_sparse_matrix_get_offsets (t1), (cols + 1) * sizeof (guint64),
                   es_sparse_matrix_get_offsets (t), (cols + 1) * sizeof (guint64));
  g_assert_cmpmem (es_sparse_matrix_get_columns (t1), ri->len * sizeof (guint32),
                   es_sparse_matrix_get_columns (t), ri->len * sizeof (guint32));
}

static void
test_multiply (void)
{
  /* [[1 0 2], [0 3 0]] · [[1 2], [3 4], [5 6]] = [[11 14], [9 12]] */
  static const guint32 ri[] = { 1, 0, 0 }, ci[] = { 1, 2, 0 };
  static const float v[] = { 3, 2, 1 };
  static const double x[] = { 1, 2, 3, 4, 5, 6 };
  double y[4];
  g_autoptr(GError) error = NULL;
  g_autoptr(EsSparseMatrix) m = es_sparse_matrix_new_from_triplets (2, 3, ri, ci, v, 3, NULL, &error);

  g_test_summary ("The sparse × dense product against a hand computation");
  g_assert_no_error (error);
  es_sparse_matrix_multiply (m, x, 2, y);
  g_assert_cmpfloat (y[0], ==, 11);
  g_assert_cmpfloat (y[1], ==, 14);
  g_assert_cmpfloat (y[2], ==, 9);
  g_assert_cmpfloat (y[3], ==, 12);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sparse/matrix-market/dtm", test_read_dtm);
  g_test_add_func ("/sparse/matrix-market/round-trip-gzip", test_round_trip_gzip);
  g_test_add_func ("/sparse/matrix-market/write-values", test_write_values);
  g_test_add_func ("/sparse/matrix-market/symmetric-pattern-duplicates", test_symmetric_pattern_duplicates);
  g_test_add_func ("/sparse/matrix-market/labels-mismatch", test_labels_mismatch);
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sparse/matrix-market/bad/%s", bad_cases[i].name);
      g_test_add_data_func (path, &bad_cases[i], test_bad);
    }
  g_test_add_func ("/sparse/matrix/multiply", test_multiply);
  g_test_add_func ("/sparse/matrix/transpose", test_transpose);
  status = g_test_run ();
  sparse_test_cleanup ();
  return status;
}
