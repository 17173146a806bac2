/* es-loader.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "es-embedding-set.h"

G_BEGIN_DECLS

typedef enum
{
  ES_ENCODING_LENIENT, /* invalid UTF-8 words kept byte-exact, with a warning */
  ES_ENCODING_STRICT,  /* invalid UTF-8 is an error */
} EsEncodingPolicy;

typedef struct
{
  gsize            limit;          /* first N rows of the file; 0 = all */
  EsEncodingPolicy encoding;
  gsize            shape_rows;     /* raw projector .bytes; 0 = from projector_config.json */
  gsize            shape_dims;
  const char      *metadata_path;  /* projector metadata.tsv, or a TSV joined by first column */
  guint64          memory_limit;   /* bytes; 0 = the default ceiling */
  /* The CLI: "-" is stdin, and a pipe, FIFO or socket is read as a
   * stream within the ceiling (text formats only).  Otherwise (the GUI),
   * and for devices, only regular files load.
   */
  gboolean         allow_stream;
  /* Layers × tokens × dims tensors (.npy): only layer @layer (0-based)
   * when @select_layer, else every layer.
   */
  gboolean         select_layer;
  guint            layer;
  /* .safetensors: the tensor to load (NULL: the token embeddings, by
   * their usual names) and its tokens (NULL: tokenizer.json, vocab.json
   * or vocab.txt beside the file).
   */
  const char      *tensor_name;
  const char      *vocab_path;
} EsLoadOptions;

void            es_load_options_init (EsLoadOptions        *options);

/* Detects the format from the content (gzip by its magic, then word2vec
 * text/binary, GloVe, projector TSV, .npy), never from the extension alone,
 * except that raw projector .bytes cannot be sniffed and need a shape.
 * Errors name the file and the line (text) or row and byte offset (binary).
 * Warnings, one per problem line as "FILE:LINE: message" and at most 100
 * then "... and N more", end up in es_embedding_set_get_warnings().
 */
EsEmbeddingSet *es_loader_load_path   (const char           *path,
                                       const EsLoadOptions  *options,
                                       GCancellable         *cancellable,
                                       EsProgressFunc        progress,
                                       gpointer              progress_data,
                                       GError              **error);
/* The same on bytes already in memory (fuzzing, tests); display_name is
 * used in messages in place of the file name.
 */
EsEmbeddingSet *es_loader_load_bytes  (GBytes               *bytes,
                                       const char           *display_name,
                                       const EsLoadOptions  *options,
                                       GCancellable         *cancellable,
                                       EsProgressFunc        progress,
                                       gpointer              progress_data,
                                       GError              **error);
void            es_loader_load_path_async  (const char          *path,
                                            const EsLoadOptions *options,
                                            GCancellable        *cancellable,
                                            EsProgressFunc       progress,
                                            gpointer             progress_data,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
EsEmbeddingSet *es_loader_load_path_finish (GAsyncResult        *result,
                                            GError             **error);

/* Reads a metadata TSV (header row when it has more than one column) whose
 * first column names words of @set, and returns a new set with it attached.
 */
EsEmbeddingSet *es_loader_join_metadata (EsEmbeddingSet      *set,
                                         const char          *path,
                                         GError             **error);

/* What loading @path will cost, read from its first line without loading:
 * the word2vec header's shape, else a guess from the first line and the
 * size.  plausible is FALSE when the header asks for more values than the
 * file can hold (the load will fail with the real error: don't ask the
 * user how much of it to load).  Non-regular files give an empty estimate.
 */
typedef struct
{
  guint64  file_size;
  guint64  rows;
  guint64  dims;
  guint64  matrix_bytes;  /* rows × dims × 4, when plausible */
  gboolean gzip;
  gboolean from_header;
  gboolean plausible;
} EsLoadEstimate;

gboolean        es_loader_estimate     (const char      *path,
                                        EsLoadEstimate  *estimate,
                                        GError         **error);

/* Of two files dropped together, which is the metadata (labels) TSV of the
 * other: 0 for @path_a, 1 for @path_b, -1 when they are no such pair.  By
 * content (a numeric TSV and a text TSV with as many rows, or one more with
 * a header), then by name ("metadata", "labels").  Reads both files: call
 * it from a worker thread.
 */
int             es_loader_find_metadata (const char   *path_a,
                                         const char   *path_b,
                                         GCancellable *cancellable);

G_END_DECLS
