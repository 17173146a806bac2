/* es-matrix-market.h: Matrix Market coordinate files, read and written
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "es-engine-types.h"
#include "es-sparse-matrix.h"

G_BEGIN_DECLS

typedef struct
{
  const char *row_labels;  /* one label per line (first TAB field); NULL = M.rows.tsv if present */
  const char *col_labels;  /* NULL = M.cols.tsv if present */
  gboolean    transpose;   /* points are the columns */
} EsMatrixMarketOptions;

void            es_matrix_market_options_init (EsMatrixMarketOptions        *options);

/* Whether the file (gunzipped) starts with "%%MatrixMarket". */
gboolean        es_matrix_market_sniff        (const char                   *path);

/* "M.rows.tsv" beside "M.mtx" or "M.mtx.gz" (@kind "rows" or "cols"). */
char           *es_matrix_market_labels_path  (const char                   *path,
                                               const char                   *kind);

/* A `coordinate` matrix (real, integer or pattern; general or symmetric),
 * plain or gzip, streamed.  Errors name the line: `array` format, complex,
 * hermitian or skew-symmetric fields, an index out of range, a value that
 * is not a finite number, more or fewer entries than the size line says.
 * Duplicate entries are summed (as scipy does) with a warning appended to
 * @warnings (may be NULL).
 */
EsSparseMatrix *es_matrix_market_read         (const char                   *path,
                                               const EsMatrixMarketOptions  *options,
                                               GPtrArray                    *warnings,
                                               GCancellable                 *cancellable,
                                               EsProgressFunc                progress,
                                               gpointer                      progress_data,
                                               GError                      **error);

/* "%%MatrixMarket matrix coordinate real general", values as the shortest
 * float32 decimals, through es_output; with @labels also M.rows.tsv and
 * M.cols.tsv for the labels the matrix has.
 */
gboolean        es_matrix_market_write        (const EsSparseMatrix         *matrix,
                                               const char                   *path,
                                               gboolean                      labels,
                                               GError                      **error);

G_END_DECLS
