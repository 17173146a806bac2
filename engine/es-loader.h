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

G_END_DECLS
