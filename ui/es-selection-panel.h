/* es-selection-panel.h: the selected words, listed in the side panel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ES_TYPE_SELECTION_PANEL (es_selection_panel_get_type ())

G_DECLARE_FINAL_TYPE (EsSelectionPanel, es_selection_panel, ES, SELECTION_PANEL, GtkWidget)

GtkWidget *es_selection_panel_new       (void);

/* The words, in the order given (the panel copies them); none hides it. */
void       es_selection_panel_set_words (EsSelectionPanel   *self,
                                         const char * const *words,
                                         gsize               n_words);
guint      es_selection_panel_get_n_words (EsSelectionPanel *self);
/* One word per line, for the clipboard. */
char      *es_selection_panel_dup_text  (EsSelectionPanel   *self);

G_END_DECLS
