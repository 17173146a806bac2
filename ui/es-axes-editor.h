/* es-axes-editor.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ES_TYPE_AXES_EDITOR (es_axes_editor_get_type ())

G_DECLARE_FINAL_TYPE (EsAxesEditor, es_axes_editor, ES, AXES_EDITOR, GtkWidget)

/* X, Y (and Z in 3D) word expressions.  "changed" is emitted once typing
 * pauses, so the window re-projects live without a job per keystroke.
 */
GtkWidget  *es_axes_editor_new               (void);
/* NULL-terminated, 2 or 3 expressions. */
char      **es_axes_editor_dup_axes          (EsAxesEditor       *self);
void        es_axes_editor_set_axes          (EsAxesEditor       *self,
                                              const char * const *axes);
gboolean    es_axes_editor_get_three_d       (EsAxesEditor       *self);
void        es_axes_editor_set_three_d       (EsAxesEditor       *self,
                                              gboolean            three_d);
gboolean    es_axes_editor_get_orthogonalize (EsAxesEditor       *self);
void        es_axes_editor_set_error         (EsAxesEditor       *self,
                                              const char         *message);
/* The message shown under the expressions, or NULL. */
const char *es_axes_editor_get_error         (EsAxesEditor       *self);

G_END_DECLS
