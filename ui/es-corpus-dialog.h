/* es-corpus-dialog.h: how to turn a corpus or a .mtx into vectors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "es-corpus-vectors.h"

G_BEGIN_DECLS

/* Asks for the counting window, min count, max vocabulary (a corpus), the
 * transpose toggle (a .mtx, @is_matrix), dimensions, weighting and power.
 * The widgets are named for tests ("window", "min-count", "max-vocab",
 * "transpose", "dims", "weighting", "power", "ok").  FALSE from _finish
 * when the user cancelled.
 */
void      es_corpus_dialog_ask_async  (GtkWindow            *parent,
                                       const char           *display_name,
                                       gboolean              is_matrix,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
gboolean  es_corpus_dialog_ask_finish (GAsyncResult         *result,
                                       EsCorpusOptions      *options,
                                       GError              **error);

G_END_DECLS
