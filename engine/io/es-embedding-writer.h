/* es-embedding-writer.h: an embedding set to word2vec, GloVe or .npy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "es-embedding-set.h"

G_BEGIN_DECLS

/* The formats written (a subset of EsFormat):
 *  - ES_FORMAT_WORD2VEC_TEXT: "ROWS DIMS", then "word v1 v2 …" per row;
 *  - ES_FORMAT_WORD2VEC_BINARY: the same header, then per row the word,
 *    one space, DIMS little-endian float32 and a '\n' (word2vec-C's layout);
 *  - ES_FORMAT_GLOVE: "word v1 v2 …" per row, no header;
 *  - ES_FORMAT_NPY: a float32 (rows, dims) .npy (format 1.0, C order,
 *    '<f4') plus a words TSV, one word per line, no header.
 * Text values are es_format_float (): the shortest decimal that reads back
 * as the same float32, so text and binary round trips are bit-exact
 * (masked NaN/Inf rows are written as they are: "nan", "inf").
 * Words the format cannot hold are an error naming the row (1-based):
 * text: a space, tab or line break anywhere; binary: a space, or a line
 * break first; the words TSV: a tab or line break.  An empty word fits no
 * format.
 */

/* "w2v-text", "w2v-binary", "glove", "npy" → the format; FALSE otherwise. */
gboolean  es_embedding_format_from_name     (const char       *name,
                                             EsFormat         *format);
const char *es_embedding_format_to_name     (EsFormat          format);

/* From the file name: ".npy" → npy, ".bin" → word2vec binary, a name
 * holding "glove" → GloVe, anything else → word2vec text.  A trailing
 * ".gz" is not written compressed and so is not special.
 */
EsFormat  es_embedding_format_for_path      (const char       *path);

/* Where the words of an .npy go unless named: "x.npy" → "x.words.tsv",
 * any other name → name + ".words.tsv".
 */
char     *es_embedding_writer_words_path    (const char       *npy_path);

/* Writes @set to @path (and, for npy, the words to @words_path, or the
 * default above when NULL) through es_output: a failed write leaves no
 * truncated file.  Cancellable between rows; progress in [0, 1].
 */
gboolean  es_embedding_writer_write         (EsEmbeddingSet   *set,
                                             const char       *path,
                                             EsFormat          format,
                                             const char       *words_path,
                                             GCancellable     *cancellable,
                                             EsProgressFunc    progress,
                                             gpointer          progress_data,
                                             GError          **error);

/* The check the writer makes, for callers that want to fail early:
 * FALSE with the error naming the first word @format cannot hold.
 */
gboolean  es_embedding_writer_check_words   (EsEmbeddingSet   *set,
                                             EsFormat          format,
                                             GError          **error);

G_END_DECLS
