/* fuzz-matrix-market.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Matrix Market files and what is done with a matrix read from one.  The
 * first byte picks: bit 0 gzip the rest, bit 1 --transpose, bit 2 a rows
 * label file (the rest's first 64 bytes), bit 3 factor the matrix (PPMI,
 * randomized SVD, NMF) when it is small.  A matrix that is read must be a
 * valid CSR matrix and survive the writer and a second read bit for bit.
 */

#define G_LOG_DOMAIN "es-fuzz"

#include "config.h"

#include <math.h>
#include <string.h>
#include <zlib.h>

#include <glib/gstdio.h>

#include "es-engine.h"
#include "es-fuzz.h"
#include "es-memory.h"
#include "es-sparse-private.h"

static void
check_csr (const EsSparseMatrix *m)
{
  const guint64 *offsets = es_sparse_matrix_get_offsets (m);
  const guint32 *columns = es_sparse_matrix_get_columns (m);
  const float *values = es_sparse_matrix_get_values (m);
  gsize rows = es_sparse_matrix_get_rows (m);

  g_assert (offsets[0] == 0 && offsets[rows] == es_sparse_matrix_get_nnz (m));
  for (gsize i = 0; i < rows; i++)
    {
      g_assert (offsets[i] <= offsets[i + 1]);
      for (guint64 p = offsets[i]; p < offsets[i + 1]; p++)
        {
          g_assert (columns[p] < es_sparse_matrix_get_cols (m));
          g_assert (p == offsets[i] || columns[p - 1] < columns[p]);
          g_assert (isfinite (values[p]));
        }
    }
}

static void
check_round_trip (const EsSparseMatrix *m)
{
  const char *path = es_fuzz_write_temp ("round-trip.mtx", NULL, 0);
  g_autoptr(EsSparseMatrix) back = NULL;
  g_autoptr(GError) error = NULL;
  gsize rows = es_sparse_matrix_get_rows (m);
  guint64 nnz = es_sparse_matrix_get_nnz (m);

  g_assert (es_matrix_market_write (m, path, FALSE, &error));
  g_assert_no_error (error);
  back = es_matrix_market_read (path, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert (es_sparse_matrix_get_rows (back) == rows);
  g_assert (es_sparse_matrix_get_cols (back) == es_sparse_matrix_get_cols (m));
  g_assert (es_sparse_matrix_get_nnz (back) == nnz);
  g_assert (memcmp (es_sparse_matrix_get_offsets (back), es_sparse_matrix_get_offsets (m),
                    (rows + 1) * sizeof (guint64)) == 0);
  g_assert (nnz == 0 || memcmp (es_sparse_matrix_get_columns (back), es_sparse_matrix_get_columns (m),
                                nnz * sizeof (guint32)) == 0);
  g_assert (nnz == 0 || memcmp (es_sparse_matrix_get_values (back), es_sparse_matrix_get_values (m),
                                nnz * sizeof (float)) == 0);
}

/* Every outcome is a result or an error; results hold finite numbers. */
static void
factor (const EsSparseMatrix *m)
{
  gsize rows = es_sparse_matrix_get_rows (m), cols = es_sparse_matrix_get_cols (m);
  g_autoptr(EsSparseMatrix) weighted = NULL;
  g_autoptr(EsSparseSvd) svd = NULL;
  g_autoptr(EsNmf) nmf = NULL;
  g_autoptr(GError) error = NULL;
  EsWeightingOptions weighting;
  EsSparseSvdOptions svd_options;
  EsNmfOptions nmf_options;
  guint k = (guint) MIN (3, MIN (rows, cols) - 1);

  if (rows * cols > 4096 || MIN (rows, cols) < 2)
    return;
  es_weighting_options_init (&weighting);
  weighted = es_weighting_apply (m, &weighting, &error);
  g_assert ((weighted == NULL) != (error == NULL));
  g_clear_error (&error);

  es_sparse_svd_options_init (&svd_options);
  svd_options.dims = k;
  svd = es_sparse_svd_compute (m, &svd_options, NULL, NULL, NULL, &error);
  g_assert ((svd == NULL) != (error == NULL));
  g_clear_error (&error);
  if (svd != NULL)
    for (guint c = 0; c < k; c++)
      g_assert (isfinite (es_sparse_svd_get_singular_values (svd)[c]));

  es_nmf_options_init (&nmf_options);
  nmf_options.components = k;
  nmf_options.max_iterations = 20;
  nmf = es_nmf_compute (weighted != NULL ? weighted : m, &nmf_options, NULL, NULL, NULL, &error);
  g_assert ((nmf == NULL) != (error == NULL));
  if (nmf != NULL)
    g_assert (!isnan (es_nmf_get_error (nmf)));
}

static GBytes *
gzip (const uint8_t *data,
      size_t         size)
{
  z_stream z = { 0 };
  uLong bound;
  guint8 *out;
  int rc;

  g_assert (deflateInit2 (&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  bound = deflateBound (&z, size);
  out = g_malloc (bound);
  z.next_in = (Bytef *) data;
  z.avail_in = size;
  z.next_out = out;
  z.avail_out = bound;
  rc = deflate (&z, Z_FINISH);
  g_assert (rc == Z_STREAM_END);
  deflateEnd (&z);
  return g_bytes_new_take (out, z.total_out);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(EsSparseMatrix) m = NULL;
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) packed = NULL;
  EsMatrixMarketOptions options;
  const char *path, *labels;
  guint8 flags;

  if (size < 1)
    return 0;
  flags = data[0];
  data++;
  size--;
  es_memory_set_ceiling (256 << 20);
  /* One thread: a thread per product per input is most of the time. */
  _es_sparse_set_n_threads (1);
  es_matrix_market_options_init (&options);
  options.transpose = (flags & 2) != 0;
  /* The label file first: the reader looks for it beside the matrix. */
  labels = es_fuzz_write_temp ("fuzz.rows.tsv", data, MIN (size, 64));
  if (!(flags & 4))
    g_unlink (labels);
  if (flags & 1)
    {
      packed = gzip (data, size);
      path = es_fuzz_write_temp ("fuzz.mtx", g_bytes_get_data (packed, NULL), g_bytes_get_size (packed));
    }
  else
    path = es_fuzz_write_temp ("fuzz.mtx", data, size);

  m = es_matrix_market_read (path, &options, warnings, NULL, NULL, NULL, &error);
  g_assert ((m == NULL) != (error == NULL));
  if (m != NULL)
    {
      check_csr (m);
      for (gsize i = 0; i < MIN (es_sparse_matrix_get_rows (m), 4); i++)
        g_free (es_sparse_matrix_dup_row_label (m, i));
      check_round_trip (m);
      if (flags & 8)
        factor (m);
    }
  es_memory_set_ceiling (0);

  return 0;
}
