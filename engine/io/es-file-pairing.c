/* es-file-pairing.c: which of two files dropped together is the metadata
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two files are a tensors + metadata pair when their content says so: a
 * numeric TSV, and a TSV with a text column and as many rows (one more
 * with a header).  When neither is a text table (projector .bytes, say)
 * the names may still tell ("metadata", "labels").
 */

#define G_LOG_DOMAIN "es-loader"

#include "config.h"

#include "es-loader.h"

#include <string.h>

#define BLOCK_BYTES (1 << 20)

/* What the pairing needs to know of one file. */
typedef struct
{
  gint64   lines;     /* -1: not a text table (binary, gzip, unreadable) */
  gboolean numeric;   /* every field of the first line is a number */
  gboolean has_text;  /* some field of the first line is not */
} TableShape;

static gboolean
is_number (const char *field)
{
  char *end = NULL;

  if (*field == '\0')
    return FALSE;
  g_ascii_strtod (field, &end);
  return end != field && *end == '\0';
}

static void
shape_first_line (TableShape *shape,
                  const char *line,
                  gsize       length)
{
  g_autofree char *copy = g_strndup (line, length);
  g_auto(GStrv) fields = NULL;

  g_strchomp (copy);
  fields = g_strsplit (copy, "\t", -1);
  shape->numeric = fields[0] != NULL;
  for (guint i = 0; fields[i] != NULL; i++)
    {
      if (is_number (fields[i]))
        continue;
      shape->numeric = FALSE;
      if (fields[i][0] != '\0')
        shape->has_text = TRUE;
    }
}

static TableShape
read_shape (const char   *path,
            GCancellable *cancellable)
{
  TableShape shape = { -1, FALSE, FALSE };
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInputStream) input = NULL;
  g_autofree char *block = NULL;
  g_autoptr(GString) first = g_string_new (NULL);
  gboolean first_done = FALSE;
  gboolean pending = FALSE;   /* the line being read has content */
  gint64 lines = 0;
  gssize got;

  /* Only regular files: a FIFO would block, a device never end. */
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE,
                            cancellable, NULL);
  if (info == NULL || g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    return shape;
  input = g_file_read (file, cancellable, NULL);
  if (input == NULL)
    return shape;

  block = g_malloc (BLOCK_BYTES);
  while ((got = g_input_stream_read (G_INPUT_STREAM (input), block, BLOCK_BYTES,
                                     cancellable, NULL)) > 0)
    {
      const char *p = block, *end = block + got;

      /* gzip and binary tensors are no text tables. */
      if (lines == 0 && first->len == 0 &&
          ((got >= 2 && (guchar) block[0] == 0x1f && (guchar) block[1] == 0x8b) ||
           memchr (block, '\0', (gsize) got) != NULL))
        return shape;

      /* Lines with content: blank lines (a trailing one, say) are no rows. */
      while (p < end)
        {
          const char *nl = memchr (p, '\n', (gsize) (end - p));
          const char *stop = nl != NULL ? nl : end;

          if (!first_done)
            g_string_append_len (first, p, stop - p);
          pending |= stop - p > (stop > p && stop[-1] == '\r' ? 1 : 0);
          if (nl == NULL)
            break;
          if (pending)
            {
              first_done = TRUE;
              lines++;
            }
          else if (!first_done)
            g_string_truncate (first, 0);
          pending = FALSE;
          p = nl + 1;
        }
    }
  if (got < 0)
    return shape;

  shape.lines = lines + (pending ? 1 : 0);
  shape_first_line (&shape, first->str, first->len);
  return shape;
}

/* Which of the two is the metadata of the other, or -1. */
static int
find_metadata (const TableShape shapes[2])
{
  int found = -1;

  for (int m = 0; m < 2; m++)
    {
      const TableShape *meta = &shapes[m], *tensors = &shapes[1 - m];

      if (meta->lines < 1 || tensors->lines < 1 || !tensors->numeric || !meta->has_text)
        continue;
      if (meta->lines != tensors->lines && meta->lines != tensors->lines + 1)
        continue;
      if (found >= 0)
        return -1;
      found = m;
    }

  return found;
}

static gboolean
is_metadata_name (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *lower = g_ascii_strdown (base, -1);

  return strstr (lower, "metadata") != NULL || strstr (lower, "label") != NULL;
}

int
es_loader_find_metadata (const char   *path_a,
                         const char   *path_b,
                         GCancellable *cancellable)
{
  TableShape shapes[2];
  int m;

  g_return_val_if_fail (path_a != NULL && path_b != NULL, -1);

  shapes[0] = read_shape (path_a, cancellable);
  shapes[1] = read_shape (path_b, cancellable);
  m = find_metadata (shapes);
  if (m < 0 && is_metadata_name (path_a) != is_metadata_name (path_b))
    m = is_metadata_name (path_a) ? 0 : 1;

  return m;
}
