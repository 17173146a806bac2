/* es-loader-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the loader's split files (sniffing, readers, gzip, warnings).
 */

#pragma once

#include <gio/gio.h>

#include "es-embedding-set.h"
#include "es-loader.h"

G_BEGIN_DECLS

/* How often (in bytes of input) readers poll the cancellable and report
 * progress: 1 MB keeps cancel well under 100 ms even at 1 GB/s.  Tests
 * lower it to cancel small files at many points.
 */
extern gsize _es_load_poll_bytes;
#define ES_LOAD_POLL_BYTES _es_load_poll_bytes
void _es_load_set_poll_bytes (gsize bytes);

/* Inputs smaller than this are read by one thread: a second one would not
 * pay for its start-up.  Tests lower it to run the two-thread paths on
 * small files (also on one-processor machines).
 */
#define ES_LOAD_SPLIT_MIN_DEFAULT (16u << 20)
extern gsize _es_load_split_min_bytes;
void _es_load_set_split_min (gsize bytes);
gboolean _es_load_use_two_threads (gsize bytes);

/* ---- a mapped file truncated while it is read (es-map-guard.c) ---- */

typedef struct
{
  const void *start;
  gsize       len;
  gint        tripped;   /* a page of it faulted: the file shrank */
} EsMapGuard;

gboolean _es_map_guard_add     (EsMapGuard *guard,
                                const void *start,
                                gsize       len);
void     _es_map_guard_remove  (EsMapGuard *guard);
gboolean _es_map_guard_tripped (EsMapGuard *guard);

/* Tests: called between mapping @path and reading it (e.g. to truncate
 * it), so a change during the load is deterministic.
 */
extern void (*_es_load_after_map_hook) (const char *path);

/* ---- first touch of the result on another core (es-prefault.c) ---- */

typedef struct _EsPrefault EsPrefault;

EsPrefault *_es_prefault_start     (void       *base,
                                    gsize       bytes,
                                    const char *input,
                                    gsize       input_len,
                                    gboolean    release_input);
void        _es_prefault_set_front (EsPrefault *self,
                                    gsize       offset,
                                    gsize       input_offset);
gsize       _es_prefault_get_top   (EsPrefault *self);
void        _es_prefault_finish    (EsPrefault *self);

void        _es_populate_ahead_slow (char      *base,
                                     gsize     *done,
                                     gsize      end,
                                     gsize      limit);

/* Before writing [0, @end) of a fresh mapping: see es-prefault.c. */
static inline void
_es_populate_ahead (char  *base,
                    gsize *done,
                    gsize  end,
                    gsize  limit)
{
  if (G_UNLIKELY (end > *done))
    _es_populate_ahead_slow (base, done, end, limit);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsPrefault, _es_prefault_finish)

/* ---- numbers (es-float-parser.c) ---- */

typedef enum
{
  ES_FLOAT_OK,        /* finite value */
  ES_FLOAT_NONFINITE, /* nan / inf written as such in the file */
  ES_FLOAT_OVERFLOW,  /* finite decimal beyond float32: became +-inf */
  ES_FLOAT_INVALID,   /* not a number at all */
} EsFloatStatus;

EsFloatStatus _es_parse_float        (const char  *text,
                                      gsize        len,
                                      float       *value);
EsFloatStatus _es_parse_float_prefix (const char  *p,
                                      const char  *end,
                                      float       *value,
                                      const char **stop);
gboolean      _es_parse_uint         (const char  *text,
                                      gsize        len,
                                      guint64     *value);

/* ---- warnings (es-load-warnings.c) ---- */

typedef struct _EsLoadWarnings EsLoadWarnings;

EsLoadWarnings *_es_load_warnings_new   (void);
void            _es_load_warnings_free  (EsLoadWarnings *self);
void            _es_load_warnings_add   (EsLoadWarnings *self,
                                         const char     *format,
                                         ...) G_GNUC_PRINTF (2, 3);
GPtrArray      *_es_load_warnings_steal (EsLoadWarnings *self);

/* ---- the state every reader shares (es-loader.c) ---- */

typedef struct
{
  const char          *name;         /* path as given, or display name */
  const char          *path;         /* NULL for in-memory bytes */
  const EsLoadOptions *options;
  GCancellable        *cancellable;
  EsProgressFunc       progress;
  gpointer             progress_data;
  double               progress_base;  /* parse progress maps to base + scale * f */
  double               progress_scale;
  const char          *data;           /* the whole (decompressed) content */
  gsize                len;
  gsize                data_offset;    /* BOM bytes skipped before data */
  guint64              memory_limit;
  EsLoadWarnings      *warnings;
  const char          *metadata_path;  /* options' or projector_config.json's */
  gsize                next_poll;      /* input offset of the next poll */
  gboolean             release_consumed; /* data is ours: readers may drop read pages */
  gboolean             data_is_file;   /* a file mapping: dropped pages read back intact */
  /* Streamed gzip text: data is a window of the inflated text, refilled
   * by _es_load_context_refill() (only the text reader streams).
   */
  struct _EsGzipStream *stream;
  struct _EsGzipPipe  *pipe;
  char                *window;         /* the first block, until the pipe takes over */
  gboolean             stream_eof;     /* data holds the end of the text */
  double               stream_fraction;
} EsLoadContext;

guint64  _es_default_memory_limit   (void);
gboolean _es_load_context_poll      (EsLoadContext *ctx,
                                     gsize          offset,
                                     GError       **error);
char    *_es_load_context_show      (const char    *bytes,
                                     gsize          len);
void     _es_release_pages          (const void    *from,
                                     const void    *to);
void     _es_load_context_release   (EsLoadContext *ctx,
                                     const char    *from,
                                     const char    *to);

/* ---- growing result (es-row-builder.c) ---- */

typedef struct
{
  EsLoadContext *ctx;
  EsMatrix      *matrix;     /* capacity rows; only `rows` are filled */
  gsize          capacity;
  gsize          rows;
  gsize          dims;
  EsVocabulary  *vocabulary;
  guint8        *valid;      /* per committed row: all finite (capacity entries) */
  gsize          n_valid;
  gsize          valid_rows; /* rows with an entry; != rows when rows were added by hand */
  const char    *hashed_word;  /* _es_row_builder_prefetch()'s word and its hash */
  gsize          hashed_len;
  guint64        hash;
  gsize          mapped;     /* matrix bytes mapped ahead of the rows */
  EsPrefault    *prefault;   /* maps the matrix from the far end, or NULL */
} EsRowBuilder;

gboolean        _es_row_builder_init   (EsRowBuilder  *self,
                                        EsLoadContext *ctx,
                                        gsize          dims,
                                        gsize          capacity,
                                        GError       **error);
float          *_es_row_builder_slot   (EsRowBuilder  *self,
                                        GError       **error);
void            _es_row_builder_prefetch (EsRowBuilder *self,
                                          const char   *word,
                                          gsize         len);
gboolean        _es_row_builder_commit (EsRowBuilder  *self,
                                        const char    *word,
                                        gsize          len,
                                        gboolean       finite,
                                        gsize         *first);
EsEmbeddingSet *_es_row_builder_finish (EsRowBuilder  *self);
void            _es_row_builder_clear  (EsRowBuilder  *self);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (EsRowBuilder, _es_row_builder_clear)

/* What a row costs besides its floats: the word's offset (8 bytes) and at
 * least 8 bytes of word arena, two hash slots of 16 bytes (four while the
 * table doubles), the finite flag and the line number the text reader keeps
 * (to name duplicates).  A file of 1-dimensional rows needs
 * far more for this than for its matrix.
 */
#define ES_ROW_OVERHEAD 89u

gboolean        _es_check_memory       (EsLoadContext *ctx,
                                        guint64        rows,
                                        guint64        dims,
                                        GError       **error);

/* ---- gzip (es-gzip-stream.c) ---- */

typedef struct _EsGzipStream EsGzipStream;

EsGzipStream *_es_gzip_stream_new           (const char          *name,
                                             const guint8        *data,
                                             gsize                len,
                                             gboolean             release_input);
void          _es_gzip_stream_free          (EsGzipStream        *self);
gboolean      _es_gzip_stream_is_eof        (const EsGzipStream  *self);
double        _es_gzip_stream_get_fraction  (const EsGzipStream  *self);
guint64       _es_gzip_stream_get_size_hint (const EsGzipStream  *self);
gsize         _es_gzip_stream_get_junk_offset (const EsGzipStream *self);
gboolean      _es_gzip_stream_read          (EsGzipStream        *self,
                                             char                *out,
                                             gsize                max,
                                             gsize               *written,
                                             GError             **error);
gboolean      _es_gzip_stream_read_all      (EsGzipStream        *self,
                                             char               **buffer,
                                             gsize               *len,
                                             gsize               *alloc,
                                             guint64              memory_limit,
                                             GCancellable        *cancellable,
                                             EsProgressFunc       progress,
                                             gpointer             progress_data,
                                             GError             **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsGzipStream, _es_gzip_stream_free)

typedef struct _EsGzipPipe EsGzipPipe;

EsGzipPipe   *_es_gzip_pipe_start           (EsGzipStream        *stream,
                                             const char          *name,
                                             gsize                block_size,
                                             guint64              memory_limit);
gboolean      _es_gzip_pipe_next            (EsGzipPipe          *self,
                                             const char          *keep,
                                             gsize                keep_len,
                                             const char         **data,
                                             gsize               *len,
                                             gboolean            *eof,
                                             double              *fraction,
                                             GError             **error);
void          _es_gzip_pipe_free            (EsGzipPipe          *self);

/* Tests: the first window's size, and how many loads streamed. */
void          _es_load_set_gzip_window      (gsize                bytes);
extern gsize  _es_load_n_streamed;

gboolean      _es_load_context_refill       (EsLoadContext       *ctx,
                                             const char         **keep,
                                             GError             **error);

/* ---- readers ---- */

/* Fields of one text line, split on runs of space/TAB. */
typedef struct
{
  const char *start;
  gsize       len;
} EsField;

gsize           _es_split_fields        (const char     *line,
                                         const char     *end,
                                         EsField       **fields,
                                         gsize          *alloc);
EsEmbeddingSet *_es_text_reader_load    (EsLoadContext  *ctx,
                                         EsFormat        format,
                                         GError        **error);
void            _es_text_reader_set_split_min (gsize     bytes);
EsEmbeddingSet *_es_binary_reader_load  (EsLoadContext  *ctx,
                                         GError        **error);
EsEmbeddingSet *_es_npy_reader_load     (EsLoadContext  *ctx,
                                         GError        **error);
/* Little-endian element types of raw tensors (.npy, .safetensors). */
typedef enum
{
  ES_RAW_F16,
  ES_RAW_BF16,
  ES_RAW_F32,
  ES_RAW_F64,
} EsRawType;

gsize           _es_raw_type_size       (EsRawType       type);
gboolean        _es_read_raw_rows       (EsLoadContext  *ctx,
                                         EsRowBuilder   *builder,
                                         const char     *src,
                                         gsize           rows,
                                         EsRawType       type,
                                         GError        **error);
/* Words "TOKEN #POS @LAYER" and metadata (token, position, layer) for
 * the rows of a layers × @tokens × dims tensor, from @first_layer on;
 * the tokens are the first column of @tokens_path (nullable), one per
 * position (es-tensor-rows.c).
 */
EsEmbeddingSet *_es_tensor_rows_finish  (EsLoadContext  *ctx,
                                         EsRowBuilder   *builder,
                                         gsize           tokens,
                                         gsize           first_layer,
                                         const char     *tokens_path,
                                         GError        **error);
/* .safetensors (es-safetensors-reader.c): the token-embedding matrix (or
 * options->tensor_name) with its tokens; a sharded index loads the shard
 * holding it.
 */
EsEmbeddingSet *_es_safetensors_reader_load (EsLoadContext  *ctx,
                                             GError        **error);
EsEmbeddingSet *_es_safetensors_index_load  (EsLoadContext  *ctx,
                                             GError        **error);
EsEmbeddingSet *_es_bytes_reader_load   (EsLoadContext  *ctx,
                                         gsize           rows,
                                         gsize           dims,
                                         GError        **error);

/* ---- projector side files (es-projector-config.c, es-metadata-reader.c) ---- */

gboolean        _es_projector_config_find (const char   *tensor_path,
                                           gsize        *rows,
                                           gsize        *dims,
                                           char        **metadata_path);
gboolean        _es_projector_config_scan (const char   *json,
                                           gsize         len,
                                           const char   *tensor_basename,
                                           gsize        *rows,
                                           gsize        *dims,
                                           char        **metadata_path);
gboolean        _es_read_side_file        (const char   *path,
                                           guint64       max_bytes,
                                           char        **contents,
                                           gsize        *len,
                                           GError      **error);
EsMetadata     *_es_metadata_read_tsv     (const char   *path,
                                           guint64       memory_limit,
                                           GError      **error);
EsMetadata     *_es_metadata_join         (const EsEmbeddingSet *set,
                                           const char           *path,
                                           guint64               memory_limit,
                                           GError              **error);
EsEmbeddingSet *_es_attach_projector_metadata (EsLoadContext  *ctx,
                                               EsRowBuilder   *builder,
                                               const char     *metadata_path,
                                               GError        **error);


/* ---- word2vec header (es-text-reader.c), shared with the binary reader ---- */

typedef struct
{
  guint64 rows;
  guint64 dims;
  gsize   data_start;   /* offset of the byte after the header's '\n' */
} EsW2vHeader;

gboolean _es_read_w2v_header (EsLoadContext *ctx,
                              EsW2vHeader   *header,
                              GError       **error);
gboolean _es_check_word      (EsLoadContext *ctx,
                              const char    *word,
                              gsize          len,
                              const char    *where,
                              GError       **error);
void     _es_record_line     (GArray        *lines,
                              guint64        line);

G_END_DECLS
