/* sparse-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sparse-test-util.h"

#include <string.h>

#include <glib/gstdio.h>

static char *dir;

const char *
sparse_test_dir (void)
{
  if (dir == NULL)
    dir = g_dir_make_tmp ("es-sparse-XXXXXX", NULL);
  g_assert_nonnull (dir);
  return dir;
}

void
sparse_test_cleanup (void)
{
  g_autoptr(GDir) d = NULL;
  const char *name;

  if (dir == NULL)
    return;
  d = g_dir_open (dir, 0, NULL);
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
  g_clear_pointer (&dir, g_free);
}

char *
sparse_test_write (const char *name,
                   const char *text,
                   gssize      len,
                   gboolean    gzip)
{
  char *path = g_build_filename (sparse_test_dir (), name, NULL);
  gsize n = len < 0 ? strlen (text) : (gsize) len;

  if (gzip)
    {
      g_autoptr(GZlibCompressor) z = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
      g_autoptr(GMemoryOutputStream) mem = G_MEMORY_OUTPUT_STREAM (g_memory_output_stream_new_resizable ());
      g_autoptr(GOutputStream) out = g_converter_output_stream_new (G_OUTPUT_STREAM (mem), G_CONVERTER (z));

      g_assert_true (g_output_stream_write_all (out, text, n, NULL, NULL, NULL));
      g_assert_true (g_output_stream_close (out, NULL, NULL));
      g_assert_true (g_file_set_contents (path, g_memory_output_stream_get_data (mem),
                                          g_memory_output_stream_get_data_size (mem), NULL));
    }
  else
    g_assert_true (g_file_set_contents (path, text, n, NULL));
  return path;
}
