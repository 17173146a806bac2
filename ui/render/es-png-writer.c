/* es-png-writer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-png-writer"

#include "config.h"

#include "es-png-writer.h"

#include "es-deflate-parts-private.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

gboolean
es_write_all (int         fd,
              const void *data,
              gsize       length)
{
  const guint8 *p = data;

  while (length > 0)
    {
      ssize_t written = write (fd, p, length);

      if (written < 0)
        {
          if (errno == EINTR)
            continue;
          return FALSE;
        }
      p += written;
      length -= (gsize) written;
    }

  return TRUE;
}

/* 2^32 / a rounded up (0 for a = 0): n * recip >> 32 is n / a exactly
 * for every n < 2^16, so un-premultiplying needs no division or branch.
 */
static guint64 recip[256];

static void
init_recip (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      for (guint32 a = 1; a < 256; a++)
        recip[a] = ((G_GUINT64_CONSTANT (1) << 32) + a - 1) / a;
      g_once_init_leave (&done, 1);
    }
}

/* One premultiplied pixel to straight RGBA bytes, rounding like Cairo's
 * encoder: (c * 255 + a / 2) / a, and 0 where a is 0 (recip[0] = 0).
 */
static inline void
convert_pixel (guint32  p,
               guint8  *dst)
{
  guint32 a = p >> 24;
  guint64 k = recip[a];

  dst[0] = (guint8) ((((p >> 16) & 0xff) * 255 + a / 2) * k >> 32);
  dst[1] = (guint8) ((((p >> 8) & 0xff) * 255 + a / 2) * k >> 32);
  dst[2] = (guint8) (((p & 0xff) * 255 + a / 2) * k >> 32);
  dst[3] = (guint8) a;
}

/* Premultiplied native-endian ARGB to straight RGB(A) bytes. */
static void
convert_row (const guint32 *src,
             guint8        *dst,
             int            width,
             gboolean       alpha)
{
  int x = 0;

  if (!alpha)
    {
      /* Opaque (or RGB24, whose top byte is undefined): no division. */
      for (; x < width; x++)
        {
          *dst++ = (guint8) (src[x] >> 16);
          *dst++ = (guint8) (src[x] >> 8);
          *dst++ = (guint8) src[x];
        }
      return;
    }
  /* Runs of 8 opaque pixels (most of a plot) are only reordered. */
  for (; x + 8 <= width; x += 8)
    {
      guint32 all = 0xffffffff;

      for (int k = 0; k < 8; k++)
        all &= src[x + k];
      if (all >> 24 == 255)
        for (int k = 0; k < 8; k++)
          {
            guint32 p = src[x + k];
            guint32 rgba = GUINT32_TO_LE ((p & 0xff00ff00) | ((p >> 16) & 0xff) | ((p & 0xff) << 16));

            memcpy (dst + 4 * (x + k), &rgba, 4);
          }
      else
        for (int k = 0; k < 8; k++)
          convert_pixel (src[x + k], dst + 4 * (x + k));
    }
  for (; x < width; x++)
    convert_pixel (src[x], dst + 4 * x);
}

typedef struct
{
  const guint8 *data;
  int           stride;
  int           width;
  gboolean      alpha;
} RowSource;

/* PNG rows for the deflate parts: filter byte 0 ("none": plots are
 * mostly runs of flat background, and zlib level 1 without row filters
 * was both the fastest and the smallest of levels 1-3 x filters
 * none/sub/up/both x strategies default/RLE), then the pixels.
 */
static void
fill_rows (gpointer  user_data,
           int       first_row,
           int       n_rows,
           guint8   *dst)
{
  const RowSource *src = user_data;
  gsize row_bytes = 1 + (gsize) src->width * (src->alpha ? 4 : 3);

  for (int y = first_row; y < first_row + n_rows; y++, dst += row_bytes)
    {
      dst[0] = 0;
      convert_row ((const guint32 *) (gconstpointer) (src->data + (gsize) y * src->stride),
                   dst + 1, src->width, src->alpha);
    }
}

static void
put_be32 (guint8  *p,
          guint32  v)
{
  p[0] = (guint8) (v >> 24);
  p[1] = (guint8) (v >> 16);
  p[2] = (guint8) (v >> 8);
  p[3] = (guint8) v;
}

/* A chunk whose data is @n_pieces pieces of @parts from @first, CRC
 * joined from theirs.
 */
static gboolean
write_idat (int             fd,
            EsDeflateParts *parts,
            guint           first,
            guint           n_pieces,
            gsize           length)
{
  guint8 head[8], tail[4];
  guint32 crc = crc32 (0, (const guint8 *) "IDAT", 4);

  put_be32 (head, (guint32) length);
  memcpy (head + 4, "IDAT", 4);
  if (!es_write_all (fd, head, sizeof head))
    return FALSE;
  for (guint i = first; i < first + n_pieces; i++)
    {
      gsize piece_length;
      guint32 piece_crc;
      const guint8 *piece = es_deflate_parts_get_piece (parts, i, &piece_length, &piece_crc);

      if (!es_write_all (fd, piece, piece_length))
        return FALSE;
      crc = crc32_combine (crc, piece_crc, (z_off_t) piece_length);
    }
  put_be32 (tail, crc);

  return es_write_all (fd, tail, sizeof tail);
}

/* The signature, IHDR, IDATs of at most 2^31-1 bytes each, IEND. */
static gboolean
write_chunks (int             fd,
              EsDeflateParts *parts,
              int             width,
              int             height,
              gboolean        alpha)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  static const guint8 iend[12] = { 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82 };
  const gsize max_chunk = G_MAXINT32;
  guint8 header[8 + 25];
  guint n_pieces, first = 0;
  gsize chunk_length = 0;

  memcpy (header, signature, 8);
  put_be32 (header + 8, 13);
  memcpy (header + 12, "IHDR", 4);
  put_be32 (header + 16, (guint32) width);
  put_be32 (header + 20, (guint32) height);
  header[24] = 8;                    /* bits per channel */
  header[25] = alpha ? 6 : 2;        /* RGBA : RGB */
  header[26] = 0;                    /* deflate */
  header[27] = 0;                    /* adaptive filters (all "none") */
  header[28] = 0;                    /* not interlaced */
  put_be32 (header + 29, crc32 (0, header + 12, 17));
  if (!es_write_all (fd, header, sizeof header))
    return FALSE;

  n_pieces = es_deflate_parts_get_n_pieces (parts);
  for (guint i = 0; i < n_pieces; i++)
    {
      gsize length;
      guint32 crc;

      es_deflate_parts_get_piece (parts, i, &length, &crc);
      if (chunk_length + length > max_chunk)
        {
          if (!write_idat (fd, parts, first, i - first, chunk_length))
            return FALSE;
          first = i;
          chunk_length = 0;
        }
      chunk_length += length;
    }
  if (!write_idat (fd, parts, first, n_pieces - first, chunk_length))
    return FALSE;

  return es_write_all (fd, iend, sizeof iend);
}

gboolean
es_png_write_surface (cairo_surface_t *surface,
                      int              fd)
{
  EsDeflateParts *parts;
  RowSource src;
  int height, saved_errno;
  cairo_format_t format;
  gboolean ok;

  g_return_val_if_fail (cairo_surface_get_type (surface) == CAIRO_SURFACE_TYPE_IMAGE, FALSE);
  format = cairo_image_surface_get_format (surface);
  g_return_val_if_fail (format == CAIRO_FORMAT_ARGB32 || format == CAIRO_FORMAT_RGB24, FALSE);

  cairo_surface_flush (surface);
  src.data = cairo_image_surface_get_data (surface);
  src.width = cairo_image_surface_get_width (surface);
  src.stride = cairo_image_surface_get_stride (surface);
  src.alpha = FALSE;
  height = cairo_image_surface_get_height (surface);
  if (src.width <= 0 || height <= 0)
    {
      errno = EINVAL;
      return FALSE;
    }

  if (format == CAIRO_FORMAT_ARGB32)
    for (int y = 0; y < height && !src.alpha; y++)
      {
        const guint32 *p = (const guint32 *) (gconstpointer) (src.data + (gsize) y * src.stride);
        guint32 all = 0xff000000;

        for (int x = 0; x < src.width; x++)
          all &= p[x];
        src.alpha = all != 0xff000000;
      }

  init_recip ();
  parts = es_deflate_parts_new (1, 1 + (gsize) src.width * (src.alpha ? 4 : 3), height,
                                1u << 30, fill_rows, &src);
  if (parts == NULL)
    return FALSE;
  ok = write_chunks (fd, parts, src.width, height, src.alpha);
  /* The write's errno, whatever freeing does. */
  saved_errno = errno;
  es_deflate_parts_free (parts);
  errno = saved_errno;

  return ok;
}
