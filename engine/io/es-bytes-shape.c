/* es-bytes-shape.c: the shapes a raw projector .bytes file can have
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-bytes-shape"

#include "config.h"

#include "es-bytes-shape.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "es-loader-private.h"

#define MAX_DIMS 65536
/* Metadata files bigger than this are not counted (a guess, not a load). */
#define MAX_METADATA_BYTES (G_GUINT64_CONSTANT (256) << 20)

void
es_bytes_shape_clear (EsBytesShape *shape)
{
  g_clear_pointer (&shape->source, g_free);
}

/* Text (the text readers' business), not raw float32: printable ASCII
 * and white space only in the first bytes.
 */
static gboolean
looks_like_text (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = g_file_read (file, NULL, NULL);
  guchar buf[4096];
  gssize n;

  if (stream == NULL)
    return FALSE;
  n = g_input_stream_read (G_INPUT_STREAM (stream), buf, sizeof buf, NULL, NULL);
  if (n <= 0)
    return FALSE;
  for (gssize i = 0; i < n; i++)
    if (!(g_ascii_isprint (buf[i]) || buf[i] == '\n' || buf[i] == '\t' || buf[i] == '\r'))
      return FALSE;

  return TRUE;
}

/* Rows of a metadata TSV: its non-empty lines, less a header when the
 * first line has more than one column (the Projector's rule).  0 when it
 * cannot be read.
 */
static guint64
metadata_rows (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  guint64 lines = 0;
  gboolean header = FALSE;
  const char *p, *end;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return 0;
  end = contents + len;
  for (p = contents; p < end;)
    {
      const char *nl = memchr (p, '\n', (gsize) (end - p));
      const char *stop = nl != NULL ? nl : end;

      if (stop > p && !(stop - p == 1 && *p == '\r'))
        {
          if (lines == 0)
            header = memchr (p, '\t', (gsize) (stop - p)) != NULL;
          lines++;
        }
      p = nl != NULL ? nl + 1 : end;
    }

  return header && lines > 0 ? lines - 1 : lines;
}

static gboolean
is_metadata_name (const char *name)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);

  return (g_str_has_suffix (lower, ".tsv") || g_str_has_suffix (lower, ".txt")) &&
         (strstr (lower, "label") != NULL || strstr (lower, "metadata") != NULL ||
          strstr (lower, "meta") != NULL);
}

/* g_ptr_array_sort hands pointers to the elements. */
static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The first metadata TSV beside @path (by name order) whose row count
 * divides @n_floats.
 */
static char *
find_metadata (const char *path,
               guint64     n_floats,
               guint64    *rows)
{
  g_autofree char *dir_name = g_path_get_dirname (path);
  g_autoptr(GDir) dir = g_dir_open (dir_name, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (is_metadata_name (name))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *candidate = g_build_filename (dir_name, g_ptr_array_index (names, i), NULL);
      GStatBuf st;
      guint64 n;

      if (g_stat (candidate, &st) != 0 || !S_ISREG (st.st_mode) || (guint64) st.st_size > MAX_METADATA_BYTES)
        continue;
      n = metadata_rows (candidate);
      if (n >= 1 && n_floats % n == 0 && n_floats / n >= 1)
        {
          *rows = n;
          return g_steal_pointer (&candidate);
        }
    }

  return NULL;
}

GArray *
es_bytes_shape_guess (const char *path,
                      guint       max_shapes)
{
  g_autofree char *lower = NULL;
  g_autoptr(GArray) shapes = NULL;
  GStatBuf st;
  gsize config_rows = 0, config_dims = 0;
  g_autofree char *config_metadata = NULL;
  g_autofree char *metadata = NULL;
  guint64 n_floats, meta_rows = 0;

  g_return_val_if_fail (path != NULL, NULL);

  lower = g_ascii_strdown (path, -1);
  if (!g_str_has_suffix (lower, ".bytes"))
    return NULL;
  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode) || st.st_size <= 0 || st.st_size % 4 != 0)
    return NULL;
  if (_es_projector_config_find (path, &config_rows, &config_dims, &config_metadata) &&
      config_rows > 0 && config_dims > 0)
    return NULL;
  if (looks_like_text (path))
    return NULL;

  n_floats = (guint64) st.st_size / 4;
  shapes = g_array_new (FALSE, FALSE, sizeof (EsBytesShape));
  g_array_set_clear_func (shapes, (GDestroyNotify) es_bytes_shape_clear);

  metadata = config_metadata != NULL ? g_strdup (config_metadata) : NULL;
  if (metadata != NULL)
    {
      meta_rows = metadata_rows (metadata);
      if (meta_rows == 0 || n_floats % meta_rows != 0)
        g_clear_pointer (&metadata, g_free);
    }
  if (metadata == NULL)
    metadata = find_metadata (path, n_floats, &meta_rows);
  if (metadata != NULL && max_shapes > 0)
    {
      EsBytesShape shape = { meta_rows, n_floats / meta_rows, g_steal_pointer (&metadata) };

      g_array_append_val (shapes, shape);
    }

  for (guint64 dims = 2; dims <= MIN (n_floats, MAX_DIMS) && shapes->len < max_shapes; dims++)
    if (n_floats % dims == 0 &&
        !(shapes->len > 0 && g_array_index (shapes, EsBytesShape, 0).source != NULL &&
          g_array_index (shapes, EsBytesShape, 0).dims == dims))
      {
        EsBytesShape shape = { n_floats / dims, dims, NULL };

        g_array_append_val (shapes, shape);
      }

  if (shapes->len == 0)
    return NULL;
  return g_steal_pointer (&shapes);
}
