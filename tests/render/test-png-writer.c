/* test-png-writer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The PNG encoder, checked by Cairo's PNG decoder (opaque, translucent) and
 * by a failing write.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "es-label-cache-private.h"
#include "es-png-writer.h"
#include "es-rank-grid-private.h"
#include "es-point-index.h"
#include "es-scatter-data.h"
#include "es-scatter-renderer.h"
#include "es-splat-2d-private.h"
#include "es-viewport.h"

/* ---- PNG --------------------------------------------------------------- */

static cairo_surface_t *
random_surface (GRand    *rand,
                int       width,
                int       height,
                gboolean  opaque)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  guint8 *data = cairo_image_surface_get_data (s);
  int stride = cairo_image_surface_get_stride (s);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 a = opaque ? 255 : (guint32) g_rand_int_range (rand, 0, 256);
        guint32 r = (guint32) g_rand_int_range (rand, 0, (int) a + 1);
        guint32 g = (guint32) g_rand_int_range (rand, 0, (int) a + 1);
        guint32 b = (guint32) g_rand_int_range (rand, 0, (int) a + 1);

        /* Some flat runs too, like a plot's background. */
        if (x > width / 2)
          r = g = b = a;
        *(guint32 *) (gpointer) (data + (gsize) y * stride + 4 * x) = a << 24 | r << 16 | g << 8 | b;
      }
  cairo_surface_mark_dirty (s);

  return s;
}

/* Writes @s with our encoder, reads it back with Cairo's decoder and
 * returns the largest channel difference; @color_type gets the PNG
 * header's colour type (2 RGB, 6 RGBA).
 */
static int
png_round_trip (cairo_surface_t *s,
                int             *color_type)
{
  g_autofree char *dir = g_dir_make_tmp ("es-png-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "t.png", NULL);
  g_autofree char *bytes = NULL;
  gsize len;
  cairo_surface_t *back;
  int fd, worst = 0;

  fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  g_assert_cmpint (fd, >=, 0);
  g_assert_true (es_png_write_surface (s, fd));
  g_assert_cmpint (close (fd), ==, 0);

  g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
  g_assert_cmpuint (len, >, 26);
  g_assert_cmpmem (bytes + 1, 3, "PNG", 3);
  *color_type = (guint8) bytes[25];

  back = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (back), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (back), ==, cairo_image_surface_get_width (s));
  g_assert_cmpint (cairo_image_surface_get_height (back), ==, cairo_image_surface_get_height (s));
  for (int y = 0; y < cairo_image_surface_get_height (s); y++)
    for (int x = 0; x < cairo_image_surface_get_width (s); x++)
      {
        const guint8 *a = cairo_image_surface_get_data (s) + (gsize) y * cairo_image_surface_get_stride (s) + 4 * x;
        const guint8 *b = cairo_image_surface_get_data (back) + (gsize) y * cairo_image_surface_get_stride (back) + 4 * x;
        guint32 pa = *(const guint32 *) (gconstpointer) a, pb = *(const guint32 *) (gconstpointer) b;

        /* RGB24 read-back: the top byte is padding. */
        if (cairo_image_surface_get_format (back) == CAIRO_FORMAT_RGB24)
          pb = (pb & 0x00ffffff) | 0xff000000;
        for (int shift = 0; shift < 32; shift += 8)
          worst = MAX (worst, ABS ((int) ((pa >> shift) & 0xff) - (int) ((pb >> shift) & 0xff)));
      }
  cairo_surface_destroy (back);
  g_unlink (path);
  g_rmdir (dir);

  return worst;
}

static void
test_png_opaque (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  cairo_surface_t *s = random_surface (rand, 131, 67, TRUE);
  int color_type = -1;

  g_test_summary ("An opaque frame is written as RGB and Cairo's decoder reads back every pixel exactly");
  g_assert_cmpint (png_round_trip (s, &color_type), ==, 0);
  g_assert_cmpint (color_type, ==, 2);
  cairo_surface_destroy (s);
}

static void
test_png_translucent (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  cairo_surface_t *s = random_surface (rand, 97, 53, FALSE);
  int color_type = -1;

  g_test_summary ("A translucent frame is written as straight RGBA: premultiplied pixels come back within 1/255");
  g_assert_cmpint (png_round_trip (s, &color_type), <=, 1);
  g_assert_cmpint (color_type, ==, 6);
  cairo_surface_destroy (s);
}

static void
test_png_write_error (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  cairo_surface_t *s = random_surface (rand, 640, 480, FALSE);
  int fd = g_open ("/dev/full", O_WRONLY, 0);

  g_test_summary ("A failing write (disk full) returns FALSE with errno set, no crash");
  if (fd < 0)
    {
      g_test_skip ("no /dev/full");
      cairo_surface_destroy (s);
      return;
    }
  errno = 0;
  g_assert_false (es_png_write_surface (s, fd));
  g_assert_cmpint (errno, ==, ENOSPC);
  close (fd);
  cairo_surface_destroy (s);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/render/png/opaque", test_png_opaque);
  g_test_add_func ("/render/png/translucent", test_png_translucent);
  g_test_add_func ("/render/png/write-error", test_png_write_error);

  return g_test_run ();
}
