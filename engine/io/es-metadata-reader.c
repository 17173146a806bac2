/* es-metadata-reader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Metadata TSVs: the projector's metadata.tsv (one row per tensor row) and
 * word -> columns tables joined onto a loaded set.  As in the projector,
 * a file with more than one column has a header row; a single column has
 * none.  Values are split on TAB only (labels may contain spaces).
 */

#define G_LOG_DOMAIN "es-loader"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "es-engine-error.h"
#include "es-loader-private.h"
#include "es-memory.h"

static GPtrArray *
split_tabs (const char *line,
            const char *end)
{
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);

  for (;;)
    {
      const char *tab = memchr (line, '\t', end - line);
      const char *stop = tab != NULL ? tab : end;

      g_ptr_array_add (values, g_strndup (line, stop - line));
      if (tab == NULL)
        break;
      line = tab + 1;
    }
  g_ptr_array_add (values, NULL);

  return values;
}

/* Side files (metadata, projector_config.json) are named by the data
 * itself, so they are as untrusted as it is: only regular files (a FIFO
 * or /dev/zero named there would hang or exhaust memory) and only up to
 * @max_bytes.
 */
gboolean
_es_read_side_file (const char  *path,
                    guint64      max_bytes,
                    char       **contents,
                    gsize       *len,
                    GError     **error)
{
  struct stat st;
  g_autofree char *buffer = NULL;
  gsize used = 0, alloc;
  int fd;

  /* Opened without blocking and checked on the descriptor: a FIFO swapped
   * in after a stat() must not hang the open, nor a device be read.
   */
  fd = open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0 || fstat (fd, &st) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_FAILED,
                   "%s: %s", path, g_strerror (saved_errno));
      if (fd >= 0)
        close (fd);
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_FORMAT,
                   "%s: not a regular file", path);
      close (fd);
      return FALSE;
    }
  if ((guint64) st.st_size > max_bytes)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                   "%s: this file needs %.1f GB; %.1f GB available",
                   path, st.st_size / 1e9, max_bytes / 1e9);
      close (fd);
      return FALSE;
    }
  /* The size may change while it is read: never past the bound. */
  alloc = (gsize) st.st_size + 1;
  buffer = g_malloc (alloc + 1);
  for (;;)
    {
      gssize got;

      if (used == alloc)
        {
          if (alloc > max_bytes)
            {
              g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                           "%s: this file grew past %.1f GB while it was read",
                           path, max_bytes / 1e9);
              close (fd);
              return FALSE;
            }
          alloc = MIN (alloc * 2, max_bytes + 1);
          buffer = g_realloc (buffer, alloc + 1);
        }
      got = read (fd, buffer + used, alloc - used);
      if (got < 0 && errno == EINTR)
        continue;
      if (got < 0)
        {
          int saved_errno = errno;

          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_FAILED,
                       "%s: %s", path, g_strerror (saved_errno));
          close (fd);
          return FALSE;
        }
      if (got == 0)
        break;
      used += got;
    }
  close (fd);
  buffer[used] = '\0';
  *contents = g_steal_pointer (&buffer);
  *len = used;

  return TRUE;
}

/* A table of @rows × @columns cells (a pointer each) within @memory_limit:
 * a short file whose header has 50,000 columns over 20,000 empty lines
 * would otherwise ask for 10^9 cells.
 */
static gboolean
check_cells (const char  *path,
             guint64      rows,
             guint64      columns,
             guint64      memory_limit,
             GError     **error)
{
  guint64 bytes;

  if (!es_checked_mul (rows, columns, &bytes) ||
      !es_checked_mul (bytes, sizeof (gpointer), &bytes) || bytes > memory_limit)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                   "%s: %" G_GUINT64_FORMAT " rows × %" G_GUINT64_FORMAT
                   " columns of metadata need %.1f GB, over the memory ceiling of %.1f GB",
                   path, rows, columns,
                   (double) rows * (double) columns * sizeof (gpointer) / 1e9,
                   memory_limit / 1e9);
      return FALSE;
    }

  return TRUE;
}

EsMetadata *
_es_metadata_read_tsv (const char  *path,
                       guint64      memory_limit,
                       GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(EsMetadata) metadata = NULL;
  const char *p, *end;
  gsize len;
  guint n_columns;

  /* Every value becomes its own string: a few times the file size. */
  if (!_es_read_side_file (path, memory_limit / 4, &contents, &len, error))
    return NULL;

  p = contents;
  end = contents + len;
  if (len >= 3 && memcmp (p, "\xEF\xBB\xBF", 3) == 0)
    p += 3;

  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *stop = nl != NULL ? nl : end;

      if (stop > p && stop[-1] == '\r')
        stop--;
      g_ptr_array_add (rows, split_tabs (p, stop));
      p = nl != NULL ? nl + 1 : end;
    }

  /* Trailing empty lines are the usual final newline, not rows. */
  while (rows->len > 0)
    {
      GPtrArray *last = g_ptr_array_index (rows, rows->len - 1);

      if (last->len != 2 || *(const char *) g_ptr_array_index (last, 0) != '\0')
        break;
      g_ptr_array_remove_index (rows, rows->len - 1);
    }
  if (rows->len == 0)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_EMPTY,
                   "%s: empty metadata file", path);
      return NULL;
    }

  n_columns = ((GPtrArray *) g_ptr_array_index (rows, 0))->len - 1;
  if (!check_cells (path, rows->len, n_columns, memory_limit / 2, error))
    return NULL;
  if (n_columns > 1)
    {
      GPtrArray *header = g_ptr_array_index (rows, 0);

      metadata = es_metadata_new ((const char * const *) header->pdata);
      g_ptr_array_remove_index (rows, 0);
    }
  else
    {
      const char *names[] = { "label", NULL };

      metadata = es_metadata_new (names);
    }

  for (guint i = 0; i < rows->len; i++)
    es_metadata_append_row (metadata,
                            (const char * const *) ((GPtrArray *) g_ptr_array_index (rows, i))->pdata);

  return g_steal_pointer (&metadata);
}

/* The first @rows rows of @metadata (when --limit cut the tensor short). */
static EsMetadata *
metadata_head (EsMetadata *metadata,
               gsize       rows)
{
  guint n_columns = es_metadata_get_n_columns (metadata);
  g_autofree const char **names = g_new0 (const char *, n_columns + 1);
  g_autofree const char **values = g_new0 (const char *, n_columns + 1);
  EsMetadata *head;

  for (guint c = 0; c < n_columns; c++)
    names[c] = es_metadata_get_column_name (metadata, c);
  head = es_metadata_new (names);
  for (gsize i = 0; i < rows; i++)
    {
      for (guint c = 0; c < n_columns; c++)
        values[c] = es_metadata_get_value (metadata, i, c);
      es_metadata_append_row (head, values);
    }

  return head;
}

/* Projector tensors have no words: a row's word is the first metadata
 * column when that column is unique (a label), else the row number (the
 * projector's point index, 0-based).
 */
EsEmbeddingSet *
_es_attach_projector_metadata (EsLoadContext  *ctx,
                               EsRowBuilder   *builder,
                               const char     *metadata_path,
                               GError        **error)
{
  g_autoptr(EsMetadata) metadata = NULL;
  gboolean use_labels = FALSE;
  EsEmbeddingSet *set;

  if (metadata_path != NULL)
    {
      gsize n;

      metadata = _es_metadata_read_tsv (metadata_path, ctx->memory_limit, error);
      if (metadata == NULL)
        return NULL;
      n = es_metadata_get_n_rows (metadata);
      if (n != builder->rows && !(ctx->options->limit > 0 && n > builder->rows))
        {
          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_DIMENSION,
                       "%s: metadata has %" G_GSIZE_FORMAT " rows but %s has %" G_GSIZE_FORMAT,
                       metadata_path, n, ctx->name, builder->rows);
          return NULL;
        }
      if (n != builder->rows)
        {
          EsMetadata *head = metadata_head (metadata, builder->rows);

          es_metadata_unref (metadata);
          metadata = head;
        }

      /* Try the labels as words; any repeat (or empty label) means no. */
      use_labels = TRUE;
      for (gsize i = 0; i < builder->rows && use_labels; i++)
        {
          const char *label = es_metadata_get_value (metadata, i, 0);

          use_labels = *label != '\0' &&
                       es_vocabulary_add (builder->vocabulary, label, strlen (label), NULL);
        }
      if (!use_labels)
        {
          es_vocabulary_free (builder->vocabulary);
          builder->vocabulary = es_vocabulary_new (builder->rows);
        }
    }

  if (!use_labels)
    {
      for (gsize i = 0; i < builder->rows; i++)
        {
          char number[32];
          int len = g_snprintf (number, sizeof number, "%" G_GSIZE_FORMAT, i);

          es_vocabulary_add (builder->vocabulary, number, len, NULL);
        }
    }

  set = _es_row_builder_finish (builder);
  if (metadata != NULL)
    es_embedding_set_set_metadata (set, metadata);

  return set;
}

/* The table at @path joined onto the words of @set: one row per row of
 * the set, empty values for words the table does not name.
 */
EsMetadata *
_es_metadata_join (const EsEmbeddingSet  *set,
                   const char            *path,
                   guint64                memory_limit,
                   GError               **error)
{
  g_autoptr(EsMetadata) table = NULL;
  g_autoptr(GHashTable) by_word = NULL;
  g_autofree const char **names = NULL;
  g_autofree const char **values = NULL;
  EsMetadata *joined;
  gsize rows;
  guint n_columns;

  table = _es_metadata_read_tsv (path, memory_limit, error);
  if (table == NULL)
    return NULL;

  /* First occurrence of a word in the table wins, as in the loader. */
  by_word = g_hash_table_new (g_str_hash, g_str_equal);
  for (gsize i = es_metadata_get_n_rows (table); i > 0; i--)
    g_hash_table_insert (by_word, (gpointer) es_metadata_get_value (table, i - 1, 0),
                         GSIZE_TO_POINTER (i));

  n_columns = es_metadata_get_n_columns (table);
  if (!check_cells (path, es_embedding_set_get_rows (set), n_columns, memory_limit / 2, error))
    return NULL;
  names = g_new0 (const char *, n_columns + 1);
  values = g_new0 (const char *, n_columns + 1);
  for (guint c = 0; c < n_columns; c++)
    names[c] = es_metadata_get_column_name (table, c);
  joined = es_metadata_new (names);

  rows = es_embedding_set_get_rows (set);
  for (gsize i = 0; i < rows; i++)
    {
      gsize found = GPOINTER_TO_SIZE (g_hash_table_lookup (by_word,
                                                           es_embedding_set_get_word (set, i)));

      for (guint c = 0; c < n_columns; c++)
        values[c] = found > 0 ? es_metadata_get_value (table, found - 1, c) : "";
      es_metadata_append_row (joined, values);
    }

  return joined;
}

EsEmbeddingSet *
es_loader_join_metadata (EsEmbeddingSet  *set,
                         const char      *path,
                         GError         **error)
{
  g_autoptr(EsMetadata) joined = NULL;
  g_autofree gsize *all = NULL;
  gsize rows;
  EsEmbeddingSet *copy;

  g_return_val_if_fail (set != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  joined = _es_metadata_join (set, path, _es_default_memory_limit (), error);
  if (joined == NULL)
    return NULL;

  /* Sets are immutable once shared: attach to a copy. */
  rows = es_embedding_set_get_rows (set);
  all = g_new (gsize, MAX (rows, 1));
  for (gsize i = 0; i < rows; i++)
    all[i] = i;
  copy = es_embedding_set_subset (set, all, rows);
  es_embedding_set_set_metadata (copy, joined);

  return copy;
}
