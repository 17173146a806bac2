/* es-bytes-shape-dialog.h: ROWS × DIMS for a raw projector .bytes file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* @shapes: EsBytesShape, the first preselected (es_bytes_shape_guess ()). */
void     es_bytes_shape_dialog_ask_async  (GtkWindow           *parent,
                                           const char          *display_name,
                                           guint64              file_size,
                                           GArray              *shapes,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
/* FALSE when cancelled. */
gboolean es_bytes_shape_dialog_ask_finish (GAsyncResult        *result,
                                           guint64             *rows,
                                           guint64             *dims,
                                           GError             **error);

G_END_DECLS
