/* es-collapsing-label.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ES_TYPE_COLLAPSING_LABEL (es_collapsing_label_get_type ())

G_DECLARE_FINAL_TYPE (EsCollapsingLabel, es_collapsing_label, ES, COLLAPSING_LABEL, GtkWidget)

/* A button's content that is its text when there is room and its icon
 * when there is not: its minimum width is the icon's, its natural width
 * the text's, so a header bar of these can shrink with the window.
 */
GtkWidget  *es_collapsing_label_new           (const char        *icon_name,
                                               const char        *text);
const char *es_collapsing_label_get_label     (EsCollapsingLabel *self);
void        es_collapsing_label_set_label     (EsCollapsingLabel *self,
                                               const char        *text);
void        es_collapsing_label_set_icon_name (EsCollapsingLabel *self,
                                               const char        *icon_name);
/* TRUE while the text, not the icon, is shown. */
gboolean    es_collapsing_label_get_expanded  (EsCollapsingLabel *self);

G_END_DECLS
