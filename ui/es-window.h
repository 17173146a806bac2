/* es-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "es-embedding-set.h"
#include "es-projection.h"

G_BEGIN_DECLS

#define ES_TYPE_WINDOW (es_window_get_type ())

G_DECLARE_FINAL_TYPE (EsWindow, es_window, ES, WINDOW, GtkApplicationWindow)

EsWindow       *es_window_new                (GtkApplication *application);
/* Loads in a worker thread; the current dataset stays until it is ready. */
void            es_window_open               (EsWindow       *self,
                                              GFile          *file);
/* The bundled sample: installed in pkgdatadir, else in the source tree. */
char           *es_window_find_sample        (void);
/* What is shown (the isolated subset when isolating). */
EsEmbeddingSet *es_window_get_embedding_set  (EsWindow       *self);
EsEmbeddingSet *es_window_get_view_set       (EsWindow       *self);
EsProjection   *es_window_get_projection     (EsWindow       *self);
gint64          es_window_get_selected       (EsWindow       *self);
/* TRUE while a load or a reduction runs. */
gboolean        es_window_get_busy           (EsWindow       *self);
const char     *es_window_get_error          (EsWindow       *self);
GtkWidget      *es_window_get_plot           (EsWindow       *self);

G_END_DECLS
