/* es-deflate-parts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-deflate-parts"

#include "config.h"

#include "es-deflate-parts-private.h"

#include <errno.h>
#include <zlib.h>
#if HAVE_LIBDEFLATE
#include <libdeflate.h>
#endif

/* Rows handed to zlib at a time: small enough to stay in the cache. */
#define BATCH_BYTES (64 * 1024)
/* Below this a second thread costs about what it saves. */
#define MIN_PARALLEL_BYTES (1024 * 1024)
#define MIN_PARALLEL_ROWS 256
/* Parts per thread, so a thread that got the busy rows (or started late)
 * is helped; each part restarts the dictionary, ~0.1% of the size.
 */
#define PARTS_PER_THREAD 4
#define MAX_THREADS 8

/* The same sums; libdeflate's use SIMD (adler32 of a 1920x1080 frame:
 * ~0.2 ms against zlib's ~2.3 ms).
 */
static inline guint32
sum_adler32 (guint32       adler,
             const guint8 *data,
             gsize         length)
{
#if HAVE_LIBDEFLATE
  return libdeflate_adler32 (adler, data, length);
#else
  return (guint32) adler32_z (adler, data, length);
#endif
}

static inline guint32
sum_crc32 (const guint8 *data,
           gsize         length)
{
#if HAVE_LIBDEFLATE
  return libdeflate_crc32 (0, data, length);
#else
  return (guint32) crc32_z (0, data, length);
#endif
}

typedef struct
{
  guint8  *out;
  gsize    capacity;
  gsize    length;
  gsize    in_length;
  guint32  adler;
  guint32 *crcs;      /* one per piece of at most max_piece bytes */
} Part;

typedef struct
{
  const guint8 *data;
  gsize         length;
  guint32       crc;
} Piece;

struct _EsDeflateParts
{
  int                level;
  gsize              row_bytes;
  int                n_rows;
  gsize              max_piece;
  EsDeflateRowsFunc  fill;
  gpointer           user_data;

  int                rows_per_part;
  int                n_parts;
  Part              *parts;
  int                next_part;   /* atomic */
  int                error;       /* atomic: first errno, 0 if none */

  guint8             header[2];
  guint8             trailer[4];
  GArray            *pieces;
};

static guint forced_threads;
static guint forced_rows_per_part;

void
_es_deflate_parts_force (guint n_threads,
                         guint rows_per_part)
{
  forced_threads = n_threads;
  forced_rows_per_part = rows_per_part;
}

/* More room for @strm's output: the rest of the buffer (zlib counts in
 * 32 bits), or a buffer twice as large.
 */
static gboolean
grow_output (Part     *part,
             z_stream *strm)
{
  gsize used = (gsize) (strm->next_out - part->out);

  if (part->capacity == used)
    {
      gsize bigger = part->capacity * 2 + 64;
      guint8 *out = g_try_realloc (part->out, bigger);

      if (out == NULL)
        return FALSE;
      part->out = out;
      part->capacity = bigger;
      strm->next_out = out + used;
    }
  strm->avail_out = (uInt) MIN (part->capacity - used, G_MAXUINT);

  return TRUE;
}

/* One part with @strm (fresh or reset): every part but the last ends
 * with a sync flush (an empty stored block, byte-aligned, not final).
 */
static gboolean
compress_part (EsDeflateParts *self,
               int             index,
               z_stream       *strm,
               guint8         *batch,
               int             batch_rows)
{
  Part *part = &self->parts[index];
  int first = index * self->rows_per_part;
  int end = MIN (first + self->rows_per_part, self->n_rows);
  gboolean last = index == self->n_parts - 1;
  gsize n_pieces;

  part->in_length = (gsize) (end - first) * self->row_bytes;
  /* Plots shrink ~10x: start at a quarter and grow if needed, rather
   * than reserve the worst case for every part of a huge image.
   */
  part->capacity = MIN (deflateBound (strm, part->in_length) + 64, part->in_length / 4 + 64 * 1024);
  part->out = g_try_malloc (part->capacity);
  if (part->out == NULL)
    return FALSE;
  strm->next_out = part->out;
  strm->avail_out = 0;
  if (!grow_output (part, strm))
    return FALSE;
  part->adler = 1;

  for (int y = first; y < end; y += batch_rows)
    {
      int n = MIN (batch_rows, end - y);
      gsize bytes = (gsize) n * self->row_bytes;
      int flush = y + n < end ? Z_NO_FLUSH : last ? Z_FINISH : Z_SYNC_FLUSH;

      self->fill (self->user_data, y, n, batch);
      part->adler = sum_adler32 (part->adler, batch, bytes);
      strm->next_in = batch;
      strm->avail_in = (uInt) bytes;
      for (;;)
        {
          int ret;

          if (strm->avail_out == 0 && !grow_output (part, strm))
            return FALSE;
          ret = deflate (strm, flush);
          if (ret == Z_STREAM_ERROR || (ret == Z_BUF_ERROR && strm->avail_out != 0))
            return FALSE;
          if (flush == Z_FINISH ? ret == Z_STREAM_END
                                : strm->avail_in == 0 && strm->avail_out != 0)
            break;
        }
    }
  part->length = (gsize) (strm->next_out - part->out);

  /* The checksums of the pieces the chunks will be cut into, here on
   * the part's thread.
   */
  n_pieces = MAX (1, (part->length + self->max_piece - 1) / self->max_piece);
  part->crcs = g_try_new (guint32, n_pieces);
  if (part->crcs == NULL)
    return FALSE;
  for (gsize i = 0; i < n_pieces; i++)
    {
      gsize off = i * self->max_piece;

      part->crcs[i] = sum_crc32 (part->out + off, MIN (self->max_piece, part->length - off));
    }

  return TRUE;
}

/* Takes parts in turn until none is left, on each thread (the calling
 * one too); one z_stream per thread, reset between parts.
 */
static gpointer
run_parts (gpointer user_data)
{
  EsDeflateParts *self = user_data;
  z_stream strm = { 0 };
  gboolean started = FALSE;
  guint8 *batch = NULL;
  int batch_rows = (int) MAX (1, BATCH_BYTES / self->row_bytes);

  for (;;)
    {
      int index = g_atomic_int_add (&self->next_part, 1);

      if (index >= self->n_parts || g_atomic_int_get (&self->error) != 0)
        break;
      if (!started)
        {
          batch = g_try_malloc ((gsize) batch_rows * self->row_bytes);
          if (batch == NULL ||
              deflateInit2 (&strm, self->level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
            {
              g_atomic_int_compare_and_exchange (&self->error, 0, ENOMEM);
              break;
            }
          started = TRUE;
        }
      else if (deflateReset (&strm) != Z_OK)
        {
          g_atomic_int_compare_and_exchange (&self->error, 0, EIO);
          break;
        }
      if (!compress_part (self, index, &strm, batch, batch_rows))
        {
          g_atomic_int_compare_and_exchange (&self->error, 0, ENOMEM);
          break;
        }
    }
  if (started)
    deflateEnd (&strm);
  g_free (batch);

  return NULL;
}

static guint
pick_threads (EsDeflateParts *self)
{
  if (forced_threads > 0)
    return MIN (forced_threads, MAX_THREADS);
  if (self->n_rows < MIN_PARALLEL_ROWS ||
      self->row_bytes * (gsize) self->n_rows < MIN_PARALLEL_BYTES)
    return 1;

  return CLAMP (g_get_num_processors (), 1, MAX_THREADS);
}

static void
add_piece (EsDeflateParts *self,
           const guint8   *data,
           gsize           length,
           guint32         crc)
{
  Piece piece = { data, length, crc };

  g_array_append_val (self->pieces, piece);
}

EsDeflateParts *
es_deflate_parts_new (int                level,
                      gsize              row_bytes,
                      int                n_rows,
                      gsize              max_piece,
                      EsDeflateRowsFunc  fill,
                      gpointer           user_data)
{
  g_autoptr(EsDeflateParts) self = g_new0 (EsDeflateParts, 1);
  GThread *threads[MAX_THREADS];
  guint n_threads, n_started = 0;
  guint32 adler;
  int error;

  g_return_val_if_fail (row_bytes > 0 && n_rows > 0 && max_piece >= 4, NULL);

  self->level = level;
  self->row_bytes = row_bytes;
  self->n_rows = n_rows;
  self->max_piece = max_piece;
  self->fill = fill;
  self->user_data = user_data;
  self->pieces = g_array_new (FALSE, FALSE, sizeof (Piece));

  n_threads = pick_threads (self);
  if (forced_rows_per_part > 0)
    self->rows_per_part = (int) MIN (forced_rows_per_part, (guint) n_rows);
  else if (n_threads == 1)
    self->rows_per_part = n_rows;
  else
    self->rows_per_part = MAX (1, n_rows / (int) (n_threads * PARTS_PER_THREAD));
  self->n_parts = (n_rows + self->rows_per_part - 1) / self->rows_per_part;
  self->parts = g_new0 (Part, self->n_parts);
  n_threads = MIN (n_threads, (guint) self->n_parts);

  /* A thread that cannot start leaves its parts to the others. */
  for (guint i = 1; i < n_threads; i++)
    {
      threads[n_started] = g_thread_try_new ("es-deflate", run_parts, self, NULL);
      if (threads[n_started] != NULL)
        n_started++;
    }
  run_parts (self);
  for (guint i = 0; i < n_started; i++)
    g_thread_join (threads[i]);

  error = g_atomic_int_get (&self->error);
  if (error != 0)
    {
      es_deflate_parts_free (g_steal_pointer (&self));
      errno = error;
      return NULL;
    }

  /* zlib header: deflate, 32K window, "fastest" level, no dictionary. */
  self->header[0] = 0x78;
  self->header[1] = 0x01;
  add_piece (self, self->header, 2, crc32 (0, self->header, 2));
  adler = adler32 (0, NULL, 0);
  for (int p = 0; p < self->n_parts; p++)
    {
      Part *part = &self->parts[p];

      adler = adler32_combine (adler, part->adler, (z_off_t) part->in_length);
      for (gsize off = 0, i = 0; off < part->length; off += max_piece, i++)
        add_piece (self, part->out + off, MIN (max_piece, part->length - off), part->crcs[i]);
    }
  self->trailer[0] = (guint8) (adler >> 24);
  self->trailer[1] = (guint8) (adler >> 16);
  self->trailer[2] = (guint8) (adler >> 8);
  self->trailer[3] = (guint8) adler;
  add_piece (self, self->trailer, 4, crc32 (0, self->trailer, 4));

  return g_steal_pointer (&self);
}

void
es_deflate_parts_free (EsDeflateParts *self)
{
  if (self == NULL)
    return;
  for (int p = 0; self->parts != NULL && p < self->n_parts; p++)
    {
      g_free (self->parts[p].out);
      g_free (self->parts[p].crcs);
    }
  g_free (self->parts);
  g_clear_pointer (&self->pieces, g_array_unref);
  g_free (self);
}

guint
es_deflate_parts_get_n_pieces (EsDeflateParts *self)
{
  return self->pieces->len;
}

const guint8 *
es_deflate_parts_get_piece (EsDeflateParts *self,
                            guint           index,
                            gsize          *length,
                            guint32        *crc)
{
  const Piece *piece = &g_array_index (self->pieces, Piece, index);

  g_return_val_if_fail (index < self->pieces->len, NULL);
  *length = piece->length;
  *crc = piece->crc;

  return piece->data;
}
