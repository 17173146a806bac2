/* es-safetensors.h: the header of a .safetensors file, checked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Element types the readers convert (exactly) to float32; others are
 * listed but not loaded.
 */
typedef enum
{
  ES_TENSOR_OTHER,
  ES_TENSOR_F16,
  ES_TENSOR_BF16,
  ES_TENSOR_F32,
  ES_TENSOR_F64,
} EsTensorType;

#define ES_TENSOR_MAX_DIMS 8

typedef struct
{
  char         *name;
  char         *dtype;     /* as the header spells it: "F32", "BF16", "I64"… */
  EsTensorType  type;
  guint         n_dims;
  guint64       shape[ES_TENSOR_MAX_DIMS];
  guint64       begin;     /* byte offsets into the data part */
  guint64       end;
} EsTensorInfo;

typedef struct _EsSafetensors EsSafetensors;

/* Whether @data starts like a safetensors file: an 8-byte little-endian
 * header length below 2^40 (so three NUL bytes, which no text has), then '{'.
 */
gboolean            es_safetensors_sniff         (const guint8        *data,
                                                  gsize                len);

/* The format (https://huggingface.co/docs/safetensors): 8 bytes of
 * little-endian header length N, N bytes of JSON
 * {"NAME": {"dtype": "F32", "shape": [R, C], "data_offsets": [BEGIN, END]}, …,
 *  "__metadata__": {…}}, then the data.  Everything is checked before any
 * tensor is read: N within the file and under 100 MB, JSON nesting at most
 * 64 deep (a bomb never reaches the parser), known dtypes, offsets within
 * the data and not overlapping, and END − BEGIN = the shape's element count
 * × the dtype's size (checked multiplication).  Errors name @name, the byte
 * and what was expected.  @data is the whole file; only the header is read.
 */
EsSafetensors      *es_safetensors_parse         (const char          *name,
                                                  const guint8        *data,
                                                  gsize                len,
                                                  GError             **error);
void                es_safetensors_free          (EsSafetensors       *self);
/* Tensors in the order of their data. */
guint               es_safetensors_get_n_tensors (const EsSafetensors *self);
const EsTensorInfo *es_safetensors_get_tensor    (const EsSafetensors *self,
                                                  guint                index);
const EsTensorInfo *es_safetensors_find          (const EsSafetensors *self,
                                                  const char          *name);
/* 8 + N: where the data part starts in the file. */
guint64             es_safetensors_get_data_start (const EsSafetensors *self);

/* Of @names, the token-embedding matrix: @requested when given (an error
 * listing some names when absent), else the first of the usual names
 * (model.embed_tokens.weight, embeddings.word_embeddings.weight,
 * transformer.wte.weight, wte.weight, tok_embeddings.weight, …), else a
 * name ending in one of them.  Errors name @file_name.
 */
const char         *es_safetensors_pick_embeddings (const char * const *names,
                                                    guint               n_names,
                                                    const char         *requested,
                                                    const char         *file_name,
                                                    GError            **error);

/* model.safetensors.index.json: {"weight_map": {"TENSOR": "SHARD", …}}.
 * Returns the shard file holding @tensor (a plain file name beside the
 * index; a path is refused), or NULL with an error.  @tensor NULL picks the
 * token embeddings as es_safetensors_pick_embeddings() does; the name
 * chosen goes to @chosen.
 */
char               *es_safetensors_index_find    (const char          *name,
                                                  const char          *json,
                                                  gsize                len,
                                                  const char          *tensor,
                                                  char               **chosen,
                                                  GError             **error);
/* Whether @data is JSON whose first key is or holds "weight_map" (by a
 * look at the first 4 KB).
 */
gboolean            es_safetensors_index_sniff   (const char          *data,
                                                  gsize                len);

/* Every tensor of a sharded index, name and shard file, in name order:
 * for `info`.  NULL with an error when the JSON is not such an index.
 */
GPtrArray          *es_safetensors_index_list    (const char          *name,
                                                  const char          *json,
                                                  gsize                len,
                                                  GPtrArray          **shards,
                                                  GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsSafetensors, es_safetensors_free)

G_END_DECLS
