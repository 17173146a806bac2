/* es-window-drop.c: files dropped on the window
 *
 * Two files are a tensors + metadata pair when their content says so: a
 * numeric TSV, and a TSV with a text column and as many rows (one more
 * with a header).  Counting rows reads both files, so it runs in a worker.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "es-window-private.h"

#include "es-worker.h"

#define BLOCK_BYTES (1 << 20)

/* What the pairing needs to know of one file. */
typedef struct
{
  gint64   lines;     /* -1: not a text table (binary, gzip, unreadable) */
  gboolean numeric;   /* every field of the first line is a number */
  gboolean has_text;  /* some field of the first line is not */
} TableShape;

typedef struct
{
  EsWindow *self;
  EsJob    *job;
  GFile    *files[2];
} PairRequest;

static void
pair_request_free (PairRequest *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->job);
  g_clear_object (&request->files[0]);
  g_clear_object (&request->files[1]);
  g_free (request);
}

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
read_shape (GFile        *file,
            GCancellable *cancellable)
{
  TableShape shape = { -1, FALSE, FALSE };
  g_autoptr(GFileInputStream) input = g_file_read (file, cancellable, NULL);
  g_autofree char *block = g_malloc (BLOCK_BYTES);
  g_autoptr(GString) first = g_string_new (NULL);
  gboolean first_done = FALSE;
  gboolean pending = FALSE;   /* the line being read has content */
  gint64 lines = 0;
  gssize got;

  if (input == NULL)
    return shape;

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

static void
pair_thread_cb (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PairRequest *request = task_data;
  TableShape shapes[2];

  es_worker_enter ();
  shapes[0] = read_shape (request->files[0], cancellable);
  shapes[1] = read_shape (request->files[1], cancellable);
  g_task_return_int (task, find_metadata (shapes));
}

static gboolean
is_metadata_name (GFile *file)
{
  g_autofree char *base = g_file_get_basename (file);
  g_autofree char *lower = g_ascii_strdown (base != NULL ? base : "", -1);

  return strstr (lower, "metadata") != NULL || strstr (lower, "label") != NULL;
}

static void
pair_ready_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  PairRequest *request = g_task_get_task_data (G_TASK (result));
  EsWindow *self = request->self;
  int m = (int) g_task_propagate_int (G_TASK (result), NULL);

  /* Something else was opened meanwhile. */
  if (request->job != self->load_job)
    return;

  /* Not a text table (projector .bytes, say): the names may still tell. */
  if (m < 0 && is_metadata_name (request->files[0]) != is_metadata_name (request->files[1]))
    m = is_metadata_name (request->files[0]) ? 0 : 1;

  if (m >= 0)
    {
      g_autofree char *path = g_file_get_path (request->files[1 - m]);
      g_autofree char *metadata = g_file_get_path (request->files[m]);

      if (path != NULL && metadata != NULL)
        {
          _es_window_load_path (self, path, 0, metadata);
          return;
        }
    }

  _es_window_set_job (self, &self->load_job, NULL);
  es_window_open (self, request->files[0]);
}

/* A file manager offers a file list (text/uri-list); other sources a single
 * file.
 */
gboolean
_es_window_drop_cb (GtkDropTarget *target,
                    const GValue  *value,
                    double         x,
                    double         y,
                    EsWindow      *self)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST) && g_value_get_boxed (value) != NULL)
    {
      GSList *list = gdk_file_list_get_files (g_value_get_boxed (value));

      for (GSList *l = list; l != NULL; l = l->next)
        g_ptr_array_add (files, g_object_ref (l->data));
      g_slist_free (list);
    }
  else if (G_VALUE_HOLDS (value, G_TYPE_FILE) && g_value_get_object (value) != NULL)
    g_ptr_array_add (files, g_object_ref (g_value_get_object (value)));

  if (files->len == 0)
    return FALSE;

  if (files->len == 2)
    {
      g_autoptr(EsJob) job = es_job_new (_("Opening"));
      g_autoptr(GTask) task = NULL;
      PairRequest *request = g_new0 (PairRequest, 1);

      /* Busy (and cancellable) from the drop on, like any load. */
      es_job_update (job, 0.0, _("Reading the dropped files…"));
      _es_window_set_job (self, &self->project_job, NULL);
      _es_window_set_job (self, &self->load_job, job);

      request->self = g_object_ref (self);
      request->job = g_object_ref (job);
      request->files[0] = g_object_ref (g_ptr_array_index (files, 0));
      request->files[1] = g_object_ref (g_ptr_array_index (files, 1));
      task = g_task_new (NULL, es_job_get_cancellable (job), pair_ready_cb, NULL);
      g_task_set_source_tag (task, _es_window_drop_cb);
      g_task_set_task_data (task, request, (GDestroyNotify) pair_request_free);
      g_task_run_in_thread (task, pair_thread_cb);
      return TRUE;
    }

  es_window_open (self, g_ptr_array_index (files, 0));

  return TRUE;
}
