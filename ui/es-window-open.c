/* es-window-open.c: which file, how much of it, and with which metadata
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "es-window-private.h"

#include "es-bytes-shape.h"
#include "es-bytes-shape-dialog.h"
#include "es-dialogs.h"
#include "es-loader.h"
#include "es-matrix-market.h"
#include "es-session.h"

/* Files bigger than this get the row-limit question first. */
#define LARGE_FILE_BYTES (G_GUINT64_CONSTANT (512) << 20)
#define LARGE_MEMORY_BYTES (G_GUINT64_CONSTANT (1) << 30)

/* A big file waiting for the answer to "how many rows?". */
typedef struct
{
  EsWindow *self;
  char     *path;
} LimitRequest;

static void
limit_request_free (LimitRequest *request)
{
  g_clear_object (&request->self);
  g_free (request->path);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LimitRequest, limit_request_free)

static void
ask_limit_ready_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(LimitRequest) request = user_data;
  guint64 limit = 0;

  if (es_dialogs_ask_limit_finish (result, &limit, NULL))
    _es_window_load_path (request->self, request->path, limit, NULL);
}

/* A .bytes file waiting for its shape; the window only weakly: closed
 * meanwhile, it goes, and its dialog with it.
 */
typedef struct
{
  GWeakRef  self;
  char     *path;
} ShapeRequest;

static void
shape_request_free (ShapeRequest *request)
{
  g_weak_ref_clear (&request->self);
  g_free (request->path);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShapeRequest, shape_request_free)

static void
ask_shape_ready_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(ShapeRequest) request = user_data;
  g_autoptr(EsWindow) self = g_weak_ref_get (&request->self);
  guint64 rows = 0, dims = 0;

  if (es_bytes_shape_dialog_ask_finish (result, &rows, &dims, NULL) && self != NULL)
    _es_window_load_path_shaped (self, request->path, 0, NULL, rows, dims);
}

void
es_window_open (EsWindow *self,
                GFile    *file)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *path = NULL;
  EsLoadEstimate estimate;

  g_return_if_fail (ES_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);
      g_autofree char *message = g_strdup_printf (_("%s: only local files can be opened"), uri);

      _es_window_show_error (self, message);
      return;
    }

  /* A session is recognised by its content, whatever its name. */
  if (es_session_sniff (path))
    {
      _es_window_open_session (self, path);
      return;
    }

  /* A sparse matrix by its banner: the LSA dialog (transpose, dims). */
  if (es_matrix_market_sniff (path))
    {
      _es_window_open_corpus_path (self, path, TRUE);
      return;
    }

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                            G_FILE_QUERY_INFO_NONE, NULL, NULL);
  /* Raw float32 without its config: its shape from the user, not an
   * error naming a command-line flag.
   */
  {
    g_autoptr(GArray) shapes = info != NULL ? es_bytes_shape_guess (path, 64) : NULL;

    if (shapes != NULL)
      {
        ShapeRequest *request = g_new0 (ShapeRequest, 1);

        g_weak_ref_init (&request->self, self);
        request->path = g_steal_pointer (&path);
        es_bytes_shape_dialog_ask_async (GTK_WINDOW (self), g_file_info_get_display_name (info),
                                         (guint64) g_file_info_get_size (info), shapes,
                                         self->dialog_cancellable, ask_shape_ready_cb, request);
        return;
      }
  }
  /* Big on disk, or big once in memory by its header: ask first.  A
   * header the file cannot hold is no question: the load reports it.
   */
  if (info != NULL && es_loader_estimate (path, &estimate, NULL) && estimate.plausible &&
      (estimate.file_size > LARGE_FILE_BYTES || estimate.matrix_bytes > LARGE_MEMORY_BYTES))
    {
      LimitRequest *request = g_new0 (LimitRequest, 1);

      request->self = g_object_ref (self);
      request->path = g_steal_pointer (&path);
      es_dialogs_ask_limit_async (GTK_WINDOW (self), g_file_info_get_display_name (info),
                                  estimate.rows, estimate.dims, NULL, ask_limit_ready_cb, request);
      return;
    }

  _es_window_load_path (self, path, 0, NULL);
}

void
_es_window_join_metadata (EsWindow   *self,
                          const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsEmbeddingSet) joined = NULL;
  EsFormat format;

  if (es_document_get_set (self->document) == NULL)
    return;

  /* Projector tensors have no words: their metadata is row-aligned, which
   * the loader handles; anything else joins by word.
   */
  format = es_embedding_set_get_format (es_document_get_set (self->document));
  if ((format == ES_FORMAT_PROJECTOR_TSV || format == ES_FORMAT_PROJECTOR_BYTES ||
       format == ES_FORMAT_NPY) && es_embedding_set_get_path (es_document_get_set (self->document)) != NULL)
    {
      _es_window_load_path (self, es_embedding_set_get_path (es_document_get_set (self->document)), 0, path);
      return;
    }

  joined = es_loader_join_metadata (es_document_get_set (self->document), path, &error);
  if (joined == NULL)
    {
      _es_window_show_error (self, error->message);
      return;
    }

  _es_window_show_error (self, NULL);
  g_free (self->loaded_metadata);
  self->loaded_metadata = g_canonicalize_filename (path, NULL);
  /* The reduction does not depend on metadata: keep it. */
  {
    g_autoptr(EsProjection) projection = es_projection_ref (es_document_get_projection (self->document));

    gboolean was_reducing = self->project_job != NULL && self->pending_set == NULL;
    g_autoptr(EsEmbeddingSet) view = es_embedding_set_ref (joined);

    /* Isolated: the same words, now with their metadata. */
    if (es_document_get_view_set (self->document) != es_document_get_set (self->document))
      {
        gsize n = es_embedding_set_get_rows (es_document_get_view_set (self->document));
        g_autofree gsize *rows = g_new (gsize, MAX (n, 1));

        for (gsize i = 0; i < n; i++)
          if (!es_embedding_set_lookup (joined, es_embedding_set_get_word (es_document_get_view_set (self->document), i), &rows[i]))
            rows[i] = 0;
        g_clear_pointer (&view, es_embedding_set_unref);
        view = es_embedding_set_subset (joined, rows, n);
      }

    _es_window_apply_projection (self, joined, view, projection, self->projection_axes);
    /* A reduction of the set without metadata would bring it back. */
    if (was_reducing)
      _es_window_reproject (self, joined);
  }
}

char *
es_window_find_sample (void)
{
  const char *name = "kjv-hamlet-5k-50d.w2v.txt";
  g_autofree char *installed = g_build_filename (PKGDATADIR, name, NULL);
  const char * const *dirs = g_get_system_data_dirs ();

  if (g_file_test (installed, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&installed);

  for (guint i = 0; dirs[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (dirs[i], "embedscope", name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }

  if (g_file_test (SOURCE_SAMPLE, G_FILE_TEST_IS_REGULAR))
    return g_strdup (SOURCE_SAMPLE);

  return NULL;
}
