/* es-layer-bar.h: which layer of a layers × tokens tensor is shown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ES_TYPE_LAYER_BAR (es_layer_bar_get_type ())

G_DECLARE_FINAL_TYPE (EsLayerBar, es_layer_bar, ES, LAYER_BAR, GtkWidget)

GtkWidget *es_layer_bar_new          (void);
/* 0 hides the bar (not a layered set). */
void       es_layer_bar_set_n_layers (EsLayerBar *self,
                                      guint       n_layers);
guint      es_layer_bar_get_n_layers (EsLayerBar *self);
/* -1: every layer. */
int        es_layer_bar_get_layer    (EsLayerBar *self);
void       es_layer_bar_set_layer    (EsLayerBar *self,
                                      int         layer);

G_END_DECLS
