/* es-dialogs.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  ES_FILE_KIND_EMBEDDING,
  ES_FILE_KIND_METADATA,
  ES_FILE_KIND_PNG,
  ES_FILE_KIND_SVG,
  ES_FILE_KIND_PDF,
  ES_FILE_KIND_TSV,
  ES_FILE_KIND_SESSION,
  ES_FILE_KIND_CORPUS,                /* a plain-text corpus or a .mtx */
  ES_FILE_KIND_VECTORS,               /* word2vec text/binary, GloVe, .npy (save) */
  ES_FILE_KIND_EMBEDDING_OR_CORPUS,   /* Open…: with an "Open as" choice */
} EsFileKind;

/* For ES_FILE_KIND_EMBEDDING_OR_CORPUS: TRUE when the user chose to open
 * the file as a text corpus (the GFile from es_dialogs_open_finish).
 */
gboolean  es_dialogs_file_is_corpus   (GFile                *file);

/* GTK 4.8 dialogs behind one async API, so that moving to GtkFileDialog
 * and GtkAlertDialog (4.10) touches this file only.  _finish returns NULL
 * with G_IO_ERROR_CANCELLED when the user dismissed the dialog.
 */
void      es_dialogs_open_async       (GtkWindow            *parent,
                                       EsFileKind            kind,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
GFile    *es_dialogs_open_finish      (GAsyncResult         *result,
                                       GError              **error);
void      es_dialogs_save_async       (GtkWindow            *parent,
                                       EsFileKind            kind,
                                       const char           *suggested_name,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
GFile    *es_dialogs_save_finish      (GAsyncResult         *result,
                                       GError              **error);
/* Asks for a row limit before loading a big file; *limit is 0 for all
 * rows.  FALSE when the user cancelled.
 */
void      es_dialogs_ask_limit_async  (GtkWindow            *parent,
                                       const char           *display_name,
                                       guint64               rows,
                                       guint64               dims,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
gboolean  es_dialogs_ask_limit_finish (GAsyncResult         *result,
                                       guint64              *limit,
                                       GError              **error);
/* Asks for one whole number between @min and @max (a spin button starting
 * at @initial).  FALSE when the user cancelled.
 */
void      es_dialogs_ask_number_async  (GtkWindow           *parent,
                                        const char          *title,
                                        const char          *text,
                                        const char          *label,
                                        guint64              initial,
                                        guint64              min,
                                        guint64              max,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean  es_dialogs_ask_number_finish (GAsyncResult        *result,
                                        guint64             *value,
                                        GError             **error);
/* Asks for the pixel size of an image export, starting from the view's
 * size (@width x @height) at @scale.  FALSE when the user cancelled.
 */
void      es_dialogs_ask_image_size_async  (GtkWindow            *parent,
                                            int                   width,
                                            int                   height,
                                            int                   scale,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean  es_dialogs_ask_image_size_finish (GAsyncResult         *result,
                                            int                  *width,
                                            int                  *height,
                                            GError              **error);
void      es_dialogs_show_error       (GtkWindow            *parent,
                                       const char           *primary,
                                       const char           *secondary);
/* "1.2 GB" for rows x dims float32. */
char     *es_dialogs_format_memory    (guint64               rows,
                                       guint64               dims);

G_END_DECLS
