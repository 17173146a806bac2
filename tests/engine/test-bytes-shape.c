/* test-bytes-shape.c: the shapes offered for a raw projector .bytes file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "es-bytes-shape.h"

static char *
write_file (const char *dir,
            const char *name,
            const char *contents,
            gsize       len)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, (gssize) len, NULL));
  return path;
}

static void
test_bytes_shape_guess (void)
{
  g_autofree char *dir = g_dir_make_tmp ("es-bytes-shape-XXXXXX", NULL);
  g_autofree char *iris = g_test_build_filename (G_TEST_DIST, "data", "projector", "iris_tensors.bytes", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *bytes = NULL;
  g_autofree char *labels = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GArray) shapes = NULL;
  g_autoptr(GString) tsv = g_string_new ("sepal\tclass\n");
  gsize len = 0;
  guint expected = 0;

  g_test_summary ("A raw .bytes file without its config: every ROWS × DIMS its size allows (checked "
                  "against a scan of all divisors), the metadata file's line count first; a file "
                  "with its config, text named .bytes or a size not a multiple of 4 needs none");

  /* Beside its projector_config.json: the shape is known. */
  g_assert_null (es_bytes_shape_guess (iris, 16));

  /* The same 2400 bytes alone: 600 floats. */
  g_assert_true (g_file_get_contents (iris, &contents, &len, NULL));
  bytes = write_file (dir, "tensors.bytes", contents, len);
  shapes = es_bytes_shape_guess (bytes, 1000);
  g_assert_nonnull (shapes);
  for (guint d = 2; d <= 600; d++)
    expected += 600 % d == 0;
  g_assert_cmpuint (shapes->len, ==, expected);
  for (guint i = 0; i < shapes->len; i++)
    {
      EsBytesShape *s = &g_array_index (shapes, EsBytesShape, i);

      g_assert_cmpuint (s->rows * s->dims, ==, 600);
      g_assert_null (s->source);
      if (i > 0)
        g_assert_cmpuint (g_array_index (shapes, EsBytesShape, i - 1).dims, <, s->dims);
    }
  g_clear_pointer (&shapes, g_array_unref);

  /* A labels file with a header and 150 rows: 150 × 4 first. */
  for (guint r = 0; r < 150; r++)
    g_string_append_printf (tsv, "%u\tsetosa\n", r);
  labels = write_file (dir, "tensors_labels.tsv", tsv->str, tsv->len);
  shapes = es_bytes_shape_guess (bytes, 1000);
  g_assert_cmpuint (g_array_index (shapes, EsBytesShape, 0).rows, ==, 150);
  g_assert_cmpuint (g_array_index (shapes, EsBytesShape, 0).dims, ==, 4);
  g_assert_cmpstr (g_array_index (shapes, EsBytesShape, 0).source, ==, labels);
  g_assert_cmpuint (shapes->len, ==, expected);
  g_clear_pointer (&shapes, g_array_unref);
  shapes = es_bytes_shape_guess (bytes, 3);
  g_assert_cmpuint (shapes->len, ==, 3);
  g_clear_pointer (&shapes, g_array_unref);

  /* Not a multiple of 4; text named .bytes. */
  g_unlink (bytes);
  g_free (bytes);
  bytes = write_file (dir, "odd.bytes", contents, 2401 <= len ? 2401 : len - 1);
  g_assert_null (es_bytes_shape_guess (bytes, 16));
  text = write_file (dir, "text.bytes", "1 2 3\n4 5 6\n", 12);
  g_assert_null (es_bytes_shape_guess (text, 16));

  g_unlink (bytes);
  g_unlink (text);
  g_unlink (labels);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/bytes-shape/guess", test_bytes_shape_guess);
  return g_test_run ();
}
