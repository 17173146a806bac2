/* es-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ES_TYPE_APPLICATION (es_application_get_type ())

G_DECLARE_FINAL_TYPE (EsApplication, es_application, ES, APPLICATION, GtkApplication)

EsApplication *es_application_new           (void);
gboolean       es_application_get_dark      (EsApplication *self);
void           es_application_set_dark      (EsApplication *self,
                                             gboolean       dark);
/* Creates the application (G_APPLICATION_HANDLES_OPEN) and runs it; the
 * CLI dispatch in main() happens before this, without GTK.
 */
int            es_application_run_gui       (int            argc,
                                             char         **argv);

/* es-application-actions.c */
void           _es_application_actions_init (EsApplication *self);

G_END_DECLS
