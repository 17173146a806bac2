/* es-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-application"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "es-application.h"

#include "es-settings.h"
#include "es-thread-policy.h"
#include "es-window.h"

#define PORTAL_BUS_NAME   "org.freedesktop.portal.Desktop"
#define PORTAL_OBJECT     "/org/freedesktop/portal/desktop"
#define PORTAL_SETTINGS   "org.freedesktop.portal.Settings"
#define APPEARANCE        "org.freedesktop.appearance"

struct _EsApplication
{
  GtkApplication  parent_instance;

  GDBusConnection *bus;
  guint            portal_signal;
  gboolean         dark;
};

G_DEFINE_FINAL_TYPE (EsApplication, es_application, GTK_TYPE_APPLICATION)

/* color-scheme: 0 no preference, 1 prefer dark, 2 prefer light.  An
 * explicit choice from the menu, remembered, wins over the desktop.
 */
static void
apply_color_scheme (EsApplication *self,
                    GVariant      *value)
{
  g_autoptr(GVariant) inner = NULL;

  if (g_key_file_has_key (es_settings_get (), "embedscope", "dark-style", NULL))
    return;

  inner = g_variant_ref (value);
  /* Read() wraps the value in one more variant than SettingChanged. */
  while (g_variant_is_of_type (inner, G_VARIANT_TYPE_VARIANT))
    {
      GVariant *child = g_variant_get_variant (inner);

      g_variant_unref (inner);
      inner = child;
    }
  if (g_variant_is_of_type (inner, G_VARIANT_TYPE_UINT32))
    es_application_set_dark (self, g_variant_get_uint32 (inner) == 1);
}

static void
portal_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(EsApplication) self = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, NULL);
  if (reply == NULL)
    return;

  g_variant_get (reply, "(v)", &value);
  apply_color_scheme (self, value);
}

static void
portal_changed_cb (GDBusConnection *connection,
                   const char      *sender,
                   const char      *object_path,
                   const char      *interface,
                   const char      *signal,
                   GVariant        *parameters,
                   gpointer         user_data)
{
  const char *ns, *key;
  g_autoptr(GVariant) value = NULL;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(ssv)")))
    return;

  g_variant_get (parameters, "(&s&sv)", &ns, &key, &value);
  if (g_str_equal (ns, APPEARANCE) && g_str_equal (key, "color-scheme"))
    apply_color_scheme (ES_APPLICATION (user_data), value);
}

/* GTK 4.8 has no color-scheme setting: ask the settings portal, when
 * there is a session bus and a portal at all.
 */
static void
watch_portal (EsApplication *self)
{
  self->bus = g_application_get_dbus_connection (G_APPLICATION (self));
  if (self->bus == NULL)
    return;
  g_object_ref (self->bus);

  self->portal_signal =
    g_dbus_connection_signal_subscribe (self->bus, PORTAL_BUS_NAME, PORTAL_SETTINGS,
                                        "SettingChanged", PORTAL_OBJECT, APPEARANCE,
                                        G_DBUS_SIGNAL_FLAGS_NONE, portal_changed_cb, self, NULL);
  g_dbus_connection_call (self->bus, PORTAL_BUS_NAME, PORTAL_OBJECT, PORTAL_SETTINGS, "Read",
                          g_variant_new ("(ss)", APPEARANCE, "color-scheme"),
                          G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NO_AUTO_START, 2000,
                          NULL, portal_read_cb, g_object_ref (self));
}

static void
es_application_startup (GApplication *application)
{
  EsApplication *self = ES_APPLICATION (application);
  g_autoptr(GtkCssProvider) provider = NULL;

  G_APPLICATION_CLASS (es_application_parent_class)->startup (application);

  g_set_application_name (_("Embedscope"));
  gtk_window_set_default_icon_name (APP_ID);

  /* GtkApplication loads menus, the help overlay and icons by itself, not CSS. */
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/embedscope/Embedscope/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  _es_application_actions_init (self);

  es_application_set_dark (self, es_settings_get_boolean ("dark-style", FALSE));
  watch_portal (self);
}

static EsWindow *
new_window (EsApplication *self)
{
  EsWindow *window = es_window_new (GTK_APPLICATION (self));

  gtk_window_present (GTK_WINDOW (window));

  return window;
}

static void
es_application_activate (GApplication *application)
{
  EsApplication *self = ES_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  /* A first launch shows a real plot at once. */
  window = GTK_WINDOW (new_window (self));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-sample", NULL);
}

static void
es_application_open (GApplication  *application,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  EsApplication *self = ES_APPLICATION (application);

  for (int i = 0; i < n_files; i++)
    {
      GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (self));
      EsWindow *window;

      /* The first file reuses an empty window; others get their own. */
      if (i == 0 && active != NULL && es_window_get_embedding_set (ES_WINDOW (active)) == NULL &&
          !es_window_get_busy (ES_WINDOW (active)))
        window = ES_WINDOW (active);
      else
        window = new_window (self);

      gtk_window_present (GTK_WINDOW (window));
      es_window_open (window, files[i]);
    }
}

static void
es_application_shutdown (GApplication *application)
{
  EsApplication *self = ES_APPLICATION (application);

  if (self->bus != NULL && self->portal_signal != 0)
    g_dbus_connection_signal_unsubscribe (self->bus, self->portal_signal);
  self->portal_signal = 0;
  g_clear_object (&self->bus);
  es_settings_save ();

  G_APPLICATION_CLASS (es_application_parent_class)->shutdown (application);
}

static void
es_application_class_init (EsApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->startup = es_application_startup;
  app_class->activate = es_application_activate;
  app_class->open = es_application_open;
  app_class->shutdown = es_application_shutdown;
}

static void
es_application_init (EsApplication *self)
{
}

EsApplication *
es_application_new (void)
{
  return g_object_new (ES_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/embedscope/Embedscope",
                       NULL);
}

gboolean
es_application_get_dark (EsApplication *self)
{
  g_return_val_if_fail (ES_IS_APPLICATION (self), FALSE);

  return self->dark;
}

void
es_application_set_dark (EsApplication *self,
                         gboolean       dark)
{
  GAction *action;

  g_return_if_fail (ES_IS_APPLICATION (self));

  self->dark = !!dark;
  g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", self->dark, NULL);

  action = g_action_map_lookup_action (G_ACTION_MAP (self), "dark-style");
  if (action != NULL)
    g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (self->dark));
}

/* `embedscope A --compare B`: A and B resolved here, then compared by the
 * running instance (app.compare over D-Bus) or by this one.  -1 when the
 * command line has no --compare.
 */
static int
run_compare (EsApplication *app,
             int            argc,
             char         **argv)
{
  g_autofree char *compare = NULL;
  const GOptionEntry entries[] = {
    { "compare", 0, 0, G_OPTION_ARG_FILENAME, &compare, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_auto(GStrv) args = g_new0 (char *, argc + 1);
  g_autoptr(GFile) file_a = NULL;
  g_autoptr(GFile) file_b = NULL;
  g_autofree char *path_a = NULL;
  g_autofree char *path_b = NULL;
  char **rest = args;
  int n = argc;

  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_set_ignore_unknown_options (context, TRUE);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &n, &rest, NULL) || compare == NULL)
    return -1;
  if (n != 2 || rest[1][0] == '-')
    {
      g_printerr (_("Usage: embedscope A --compare B (one file A)\n"));
      return 2;
    }
  file_a = g_file_new_for_commandline_arg (rest[1]);
  file_b = g_file_new_for_commandline_arg (compare);
  path_a = g_file_get_path (file_a);
  path_b = g_file_get_path (file_b);
  if (path_a == NULL || path_b == NULL)
    {
      g_printerr (_("embedscope: --compare needs local files\n"));
      return 1;
    }
  if (!g_application_register (G_APPLICATION (app), NULL, NULL))
    return 1;
  g_action_group_activate_action (G_ACTION_GROUP (app), "compare", g_variant_new ("(ss)", path_a, path_b));
  /* Without files: here the compare window holds the application; when
   * remote, this only raises that window and unregisters cleanly.
   */
  return g_application_run (G_APPLICATION (app), 1, argv);
}

int
es_application_run_gui (int    argc,
                        char **argv)
{
  int status;

  g_autoptr(EsApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  es_thread_policy_install ();

  app = es_application_new ();
  g_application_add_main_option (G_APPLICATION (app), "compare", 0, 0, G_OPTION_ARG_FILENAME,
                                 _("Compare the file given with FILE in a compare window"), _("FILE"));
  if ((status = run_compare (app, argc, argv)) >= 0)
    return status;

  return g_application_run (G_APPLICATION (app), argc, argv);
}
