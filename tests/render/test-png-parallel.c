/* test-png-parallel.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The PNG writer's parallel deflate: for several sizes, pixel patterns
 * and part layouts (forced through the test hook), the file is taken
 * apart here — every chunk's CRC-32 checked with zlib's crc32, the IDAT
 * data inflated with zlib's uncompress (which checks the adler32), every
 * filtered row compared with the straight-alpha bytes spelled out below
 * — and decoded by libpng's own reader.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <png.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "es-deflate-parts-private.h"
#include "es-png-writer.h"

typedef enum
{
  PATTERN_PLOT,        /* random discs of colour on flat background */
  PATTERN_NOISE,       /* every channel random: hard to compress */
} Pattern;

static cairo_surface_t *
make_surface (GRand    *rand,
              int       width,
              int       height,
              gboolean  opaque,
              Pattern   pattern)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  guint8 *data = cairo_image_surface_get_data (s);
  int stride = cairo_image_surface_get_stride (s);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 a, r, g, b;

        if (pattern == PATTERN_PLOT && (x / 5 + y / 3) % 7 != 0)
          {
            /* Background: flat white; in translucent images every
             * other row transparent.
             */
            a = opaque || y % 2 == 1 ? 255 : 0;
            r = g = b = a;
          }
        else
          {
            a = opaque ? 255 : (guint32) g_rand_int_range (rand, 0, 256);
            r = (guint32) g_rand_int_range (rand, 0, (int) a + 1);
            g = (guint32) g_rand_int_range (rand, 0, (int) a + 1);
            b = (guint32) g_rand_int_range (rand, 0, (int) a + 1);
          }
        *(guint32 *) (gpointer) (data + (gsize) y * stride + 4 * x) = a << 24 | r << 16 | g << 8 | b;
      }
  /* At least one translucent pixel, near the end (the alpha check must
   * see it), in the translucent images.
   */
  if (!opaque)
    *(guint32 *) (gpointer) (data + (gsize) (height - 1) * stride + 4 * (width - 1)) = 0x80402010;
  cairo_surface_mark_dirty (s);

  return s;
}

/* The straight-alpha bytes a PNG of @s must hold: Cairo's rule,
 * c = (c' * 255 + a / 2) / a, and 0 where a is 0.
 */
static void
expected_pixel (cairo_surface_t *s,
                int              x,
                int              y,
                guint8           out[4])
{
  guint32 p = *(const guint32 *) (gconstpointer) (cairo_image_surface_get_data (s) +
                                                   (gsize) y * cairo_image_surface_get_stride (s) + 4 * x);
  guint32 a = p >> 24;

  for (int c = 0; c < 3; c++)
    {
      guint32 v = (p >> (16 - 8 * c)) & 0xff;

      out[c] = a == 0 ? 0 : (guint8) ((v * 255 + a / 2) / a);
    }
  out[3] = (guint8) a;
}

static guint32
read_be32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

static GBytes *
write_png (cairo_surface_t *s,
           guint            n_threads,
           guint            rows_per_part)
{
  g_autofree char *dir = g_dir_make_tmp ("es-png-par-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "t.png", NULL);
  char *bytes = NULL;
  gsize len;
  int fd;

  fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  g_assert_cmpint (fd, >=, 0);
  _es_deflate_parts_force (n_threads, rows_per_part);
  g_assert_true (es_png_write_surface (s, fd));
  _es_deflate_parts_force (0, 0);
  g_assert_cmpint (close (fd), ==, 0);
  g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
  g_unlink (path);
  g_rmdir (dir);

  return g_bytes_new_take (bytes, len);
}

/* Chunk by chunk with zlib's CRC-32, then the IDAT stream inflated and
 * every row compared.  Returns the colour type; @n_flushes gets how many
 * times the stream holds a sync flush's bytes.
 */
static int
check_by_hand (GBytes          *png,
               cairo_surface_t *s,
               guint           *n_flushes)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  int width = cairo_image_surface_get_width (s), height = cairo_image_surface_get_height (s);
  gsize len, pos = 8, raw_len, row_bytes;
  const guint8 *b = g_bytes_get_data (png, &len);
  g_autoptr(GByteArray) idat = g_byte_array_new ();
  g_autofree guint8 *raw = NULL;
  gboolean seen_iend = FALSE;
  int color_type = -1, channels;

  g_assert_cmpuint (len, >, 8);
  g_assert_cmpmem (b, 8, signature, 8);
  while (pos < len)
    {
      guint32 length, crc;
      const guint8 *type;

      g_assert_false (seen_iend);
      g_assert_cmpuint (pos + 12, <=, len);
      length = read_be32 (b + pos);
      g_assert_cmpuint (length, <=, G_MAXINT32);
      g_assert_cmpuint (pos + 12 + length, <=, len);
      type = b + pos + 4;
      crc = (guint32) crc32 (0, type, 4 + length);
      g_assert_cmphex (crc, ==, read_be32 (b + pos + 8 + length));
      if (memcmp (type, "IHDR", 4) == 0)
        {
          g_assert_cmpuint (pos, ==, 8);
          g_assert_cmpuint (length, ==, 13);
          g_assert_cmpuint (read_be32 (type + 4), ==, (guint) width);
          g_assert_cmpuint (read_be32 (type + 8), ==, (guint) height);
          g_assert_cmpuint (type[12], ==, 8);
          color_type = type[13];
          g_assert_cmpmem (type + 14, 3, "\0\0\0", 3);
        }
      else if (memcmp (type, "IDAT", 4) == 0)
        g_byte_array_append (idat, type + 4, length);
      else if (memcmp (type, "IEND", 4) == 0)
        {
          g_assert_cmpuint (length, ==, 0);
          seen_iend = TRUE;
        }
      pos += 12 + length;
    }
  g_assert_true (seen_iend);
  g_assert_true (color_type == 2 || color_type == 6);

  *n_flushes = 0;
  for (guint i = 0; i + 4 <= idat->len; i++)
    if (memcmp (idat->data + i, "\0\0\377\377", 4) == 0)
      (*n_flushes)++;

  channels = color_type == 6 ? 4 : 3;
  row_bytes = 1 + (gsize) width * channels;
  /* One spare byte: uncompress must stop at the stream's end by itself. */
  raw_len = row_bytes * height + 1;
  raw = g_malloc (raw_len);
  g_assert_cmpint (uncompress (raw, &raw_len, idat->data, idat->len), ==, Z_OK);
  g_assert_cmpuint (raw_len, ==, row_bytes * height);
  for (int y = 0; y < height; y++)
    {
      const guint8 *row = raw + (gsize) y * row_bytes;

      g_assert_cmpuint (row[0], ==, 0);
      for (int x = 0; x < width; x++)
        {
          guint8 want[4];

          expected_pixel (s, x, y, want);
          if (memcmp (row + 1 + channels * x, want, channels) != 0)
            g_error ("pixel (%d, %d) differs", x, y);
        }
    }

  return color_type;
}

/* libpng's reader, straight RGBA out. */
static void
check_with_libpng (GBytes          *png,
                   cairo_surface_t *s)
{
  png_image image = { .version = PNG_IMAGE_VERSION };
  gsize len;
  const guint8 *b = g_bytes_get_data (png, &len);
  g_autofree guint8 *pixels = NULL;

  g_assert_true (png_image_begin_read_from_memory (&image, b, len));
  g_assert_cmpuint (image.width, ==, (guint) cairo_image_surface_get_width (s));
  g_assert_cmpuint (image.height, ==, (guint) cairo_image_surface_get_height (s));
  image.format = PNG_FORMAT_RGBA;
  pixels = g_malloc (PNG_IMAGE_SIZE (image));
  if (!png_image_finish_read (&image, NULL, pixels, 0, NULL))
    g_error ("libpng: %s", image.message);
  for (guint y = 0; y < image.height; y++)
    for (guint x = 0; x < image.width; x++)
      {
        guint8 want[4];

        expected_pixel (s, (int) x, (int) y, want);
        if (memcmp (pixels + 4 * ((gsize) y * image.width + x), want, 4) != 0)
          g_error ("libpng: pixel (%u, %u) differs", x, y);
      }
}

static void
check_layouts (int       width,
               int       height,
               gboolean  opaque,
               Pattern   pattern)
{
  /* Threads, rows per part: one part; the auto split on two threads
   * (8 parts); three threads with uneven parts (the last one short);
   * one row per part.
   */
  static const guint layouts[][2] = { { 1, 0 }, { 2, 0 }, { 3, 37 }, { 2, 1 } };
  g_autoptr(GRand) rand = g_rand_new_with_seed ((guint32) (width * 31 + height + opaque + 2 * pattern));
  cairo_surface_t *s = make_surface (rand, width, height, opaque, pattern);

  for (guint i = 0; i < G_N_ELEMENTS (layouts); i++)
    {
      g_autoptr(GBytes) png = NULL;
      guint n_flushes;
      int color_type;

      /* One row per part only on the small images: thousands of parts
       * are slow, not more interesting.
       */
      if (layouts[i][1] == 1 && height > 300)
        continue;
      png = write_png (s, layouts[i][0], layouts[i][1]);
      color_type = check_by_hand (png, s, &n_flushes);
      g_assert_cmpint (color_type, ==, opaque ? 2 : 6);
      check_with_libpng (png, s);
      /* Every part but the last ends with a sync flush, an empty stored
       * block (0000ffff): that many at least, so the hook really split the
       * stream.
       */
      if (i > 0)
        {
          guint threads = layouts[i][0];
          int rows = layouts[i][1] > 0 ? MIN ((int) layouts[i][1], height)
                                       : MAX (1, height / (int) (4 * threads));

          g_assert_cmpuint (n_flushes, >=, (guint) ((height + rows - 1) / rows - 1));
        }
    }
  cairo_surface_destroy (s);
}

static void
test_png_parallel_small (void)
{
  g_test_summary ("1x1, 3x7 and 257x300 images, opaque and translucent, flat or noisy, in one part or many: "
                  "valid chunks and zlib stream, every pixel as expected, read by libpng");
  for (int opaque = 0; opaque < 2; opaque++)
    for (Pattern pattern = PATTERN_PLOT; pattern <= PATTERN_NOISE; pattern++)
      {
        check_layouts (1, 1, opaque, pattern);
        check_layouts (3, 7, opaque, pattern);
        check_layouts (257, 300, opaque, pattern);
      }
}

static void
test_png_parallel_large (void)
{
  g_test_summary ("1920x1080 and 641x1001 (odd: uneven parts) images, opaque and translucent, flat or noisy, "
                  "on one thread and on several");
  for (int opaque = 0; opaque < 2; opaque++)
    for (Pattern pattern = PATTERN_PLOT; pattern <= PATTERN_NOISE; pattern++)
      {
        check_layouts (1920, 1080, opaque, pattern);
        check_layouts (641, 1001, opaque, pattern);
      }
}

static void
test_png_every_alpha (void)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 256, 256);
  guint8 *data = cairo_image_surface_get_data (s);
  g_autoptr(GBytes) png = NULL;
  guint n_flushes;

  g_test_summary ("Every premultiplied value of every alpha (a 256x256 table, c <= a) un-premultiplies "
                  "exactly, whether its run of 8 pixels is opaque or not");
  for (guint32 a = 0; a < 256; a++)
    for (guint32 c = 0; c < 256; c++)
      {
        /* Row a, column c; past c = a the row is opaque white. */
        guint32 p = c <= a ? a << 24 | c << 16 | (a - c) << 8 | c / 2 : 0xffffffff;

        *(guint32 *) (gpointer) (data + (gsize) a * cairo_image_surface_get_stride (s) + 4 * c) = p;
      }
  cairo_surface_mark_dirty (s);
  png = write_png (s, 2, 0);
  g_assert_cmpint (check_by_hand (png, s, &n_flushes), ==, 6);
  check_with_libpng (png, s);
  cairo_surface_destroy (s);
}

static void
test_png_parallel_auto (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  cairo_surface_t *s = make_surface (rand, 1920, 1080, FALSE, PATTERN_PLOT);
  g_autoptr(GBytes) png = write_png (s, 0, 0);

  guint n_flushes;

  g_test_summary ("Without the hook (the machine's threads), a plot-sized frame is still exact");
  check_by_hand (png, s, &n_flushes);
  check_with_libpng (png, s);
  cairo_surface_destroy (s);
}

/* Rows of the test's own bytes, 16 symbols in a scrambled order: each
 * part compresses to many pieces.
 */
static void
fill_counter_rows (gpointer  user_data,
                   int       first_row,
                   int       n_rows,
                   guint8   *dst)
{
  const gsize *row_bytes = user_data;

  for (int y = first_row; y < first_row + n_rows; y++)
    for (gsize i = 0; i < *row_bytes; i++)
      {
        /* murmur3's finaliser */
        guint32 v = (guint32) y * 7919 + (guint32) i;

        v = (v ^ (v >> 16)) * 0x85ebca6b;
        v = (v ^ (v >> 13)) * 0xc2b2ae35;
        *dst++ = (guint8) ((v ^ (v >> 16)) & 15);
      }
}

static void
test_deflate_pieces (void)
{
  gsize row_bytes = 1001;
  const int n_rows = 613;
  g_autoptr(EsDeflateParts) parts = NULL;
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  g_autofree guint8 *raw = g_malloc (row_bytes * n_rows + 1);
  g_autofree guint8 *want = g_malloc (row_bytes * n_rows);
  uLongf raw_len = row_bytes * n_rows + 1;
  guint n;

  g_test_summary ("Pieces never exceed the given length, carry their own CRC-32, and join into one zlib stream "
                  "of the rows");
  _es_deflate_parts_force (2, 50);
  parts = es_deflate_parts_new (1, row_bytes, n_rows, 777, fill_counter_rows, &row_bytes);
  _es_deflate_parts_force (0, 0);
  g_assert_nonnull (parts);
  n = es_deflate_parts_get_n_pieces (parts);
  /* 13 parts of ~25 KB each in pieces of 777 bytes. */
  g_assert_cmpuint (n, >, 13 * 20);
  for (guint i = 0; i < n; i++)
    {
      gsize length;
      guint32 crc;
      const guint8 *piece = es_deflate_parts_get_piece (parts, i, &length, &crc);

      g_assert_cmpuint (length, <=, 777);
      g_assert_cmphex (crc, ==, crc32 (0, piece, length));
      g_byte_array_append (stream, piece, length);
    }
  g_assert_cmpint (uncompress (raw, &raw_len, stream->data, stream->len), ==, Z_OK);
  g_assert_cmpuint (raw_len, ==, row_bytes * n_rows);
  fill_counter_rows (&row_bytes, 0, n_rows, want);
  g_assert_cmpmem (raw, raw_len, want, row_bytes * n_rows);
}

static void
test_png_parallel_write_error (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  cairo_surface_t *s = make_surface (rand, 1920, 1080, FALSE, PATTERN_PLOT);
  int fd = g_open ("/dev/full", O_WRONLY, 0);
  gboolean ok;

  g_test_summary ("A failing write after a parallel encode returns FALSE with errno ENOSPC");
  if (fd < 0)
    {
      g_test_skip ("no /dev/full");
      cairo_surface_destroy (s);
      return;
    }
  _es_deflate_parts_force (2, 0);
  errno = 0;
  ok = es_png_write_surface (s, fd);
  g_assert_cmpint (errno, ==, ENOSPC);
  _es_deflate_parts_force (0, 0);
  g_assert_false (ok);
  close (fd);
  cairo_surface_destroy (s);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/render/png/parallel/small", test_png_parallel_small);
  g_test_add_func ("/render/png/parallel/large", test_png_parallel_large);
  g_test_add_func ("/render/png/parallel/auto", test_png_parallel_auto);
  g_test_add_func ("/render/png/parallel/every-alpha", test_png_every_alpha);
  g_test_add_func ("/render/png/parallel/deflate-pieces", test_deflate_pieces);
  g_test_add_func ("/render/png/parallel/write-error", test_png_parallel_write_error);

  return g_test_run ();
}
