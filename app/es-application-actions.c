/* es-application-actions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-application"

#include "config.h"

#include <glib/gi18n.h>

#include "es-application.h"

#include "es-compare-window.h"

#include "es-settings.h"
#include "es-window.h"

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  const char *authors[] = { _("The Embedscope developers"), NULL };

  gtk_show_about_dialog (gtk_application_get_active_window (app),
                         "program-name", _("Embedscope"),
                         "logo-icon-name", APP_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Explore word embeddings: projections, neighbours and analogies"),
                         "website", "https://github.com/embedscope/embedscope",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "authors", authors,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GList *windows = g_list_copy (gtk_application_get_windows (app));

  /* Closing runs each window's close-request, which saves its state. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
  g_list_free (windows);
  g_application_quit (G_APPLICATION (app));
}

static void
new_window_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  EsWindow *window = es_window_new (GTK_APPLICATION (user_data));

  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-sample", NULL);
}

static void
dark_style_action (GSimpleAction *action,
                   GVariant      *state,
                   gpointer       user_data)
{
  gboolean dark = g_variant_get_boolean (state);

  /* A choice made here is remembered and beats the desktop's preference. */
  es_settings_set_boolean ("dark-style", dark);
  es_settings_save ();
  es_application_set_dark (ES_APPLICATION (user_data), dark);
}

/* (A, B): absolute paths; from `embedscope A --compare B`, maybe remote. */
static void
compare_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  const char *a, *b;
  EsCompareWindow *window;

  g_variant_get (param, "(&s&s)", &a, &b);
  window = es_compare_window_new (GTK_APPLICATION (user_data), NULL, a);
  gtk_window_present (GTK_WINDOW (window));
  es_compare_window_compare_path (window, b);
}

static const GActionEntry app_entries[] = {
  { "compare", compare_action, "(ss)" },
  { "about", about_action },
  { "quit", quit_action },
  { "new-window", new_window_action },
  { "dark-style", NULL, NULL, "false", dark_style_action },
};

static const struct {
  const char *action;
  const char *accels[3];
} app_accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.new-window", { "<Control>n", NULL } },
  { "window.close", { "<Control>w", NULL } },
  { "win.show-help-overlay", { "<Control>question", NULL } },
};

void
_es_application_actions_init (EsApplication *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_entries, G_N_ELEMENTS (app_entries), self);

  for (guint i = 0; i < G_N_ELEMENTS (app_accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), app_accels[i].action,
                                           app_accels[i].accels);
}
