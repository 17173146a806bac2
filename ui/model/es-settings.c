/* es-settings.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-settings"

#include "config.h"

#include "es-settings.h"

#include "es-output.h"

#include <errno.h>

#define GROUP       "embedscope"
#define RECENT_KEY  "recent-files"
#define RECENT_MAX  10

static GKeyFile *settings;

static char *
settings_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "embedscope", "settings.ini", NULL);
}

GKeyFile *
es_settings_get (void)
{
  if (settings == NULL)
    {
      g_autofree char *path = settings_path ();
      g_autoptr(GError) error = NULL;

      settings = g_key_file_new ();
      if (!g_key_file_load_from_file (settings, path, G_KEY_FILE_NONE, &error) &&
          !g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_debug ("Ignoring settings: %s", error->message);
    }

  return settings;
}

void
es_settings_save (void)
{
  g_autofree char *path = settings_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;

  if (settings == NULL)
    return;

  data = g_key_file_to_data (settings, &len, NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !es_output_write_file (path, data, len, &error))
    g_debug ("Could not save settings to %s: %s", path,
             error != NULL ? error->message : g_strerror (errno));
}

char **
es_settings_dup_recent (void)
{
  char **recent = g_key_file_get_string_list (es_settings_get (), GROUP, RECENT_KEY, NULL, NULL);

  return recent != NULL ? recent : g_new0 (char *, 1);
}

void
es_settings_add_recent (const char *path)
{
  g_auto(GStrv) old = es_settings_dup_recent ();
  g_autoptr(GPtrArray) list = g_ptr_array_new ();

  g_return_if_fail (path != NULL);

  g_ptr_array_add (list, (gpointer) path);
  for (guint i = 0; old[i] != NULL && list->len < RECENT_MAX; i++)
    if (g_strcmp0 (old[i], path) != 0)
      g_ptr_array_add (list, old[i]);

  g_key_file_set_string_list (es_settings_get (), GROUP, RECENT_KEY,
                              (const char * const *) list->pdata, list->len);
}

int
es_settings_get_int (const char *key,
                     int         fallback)
{
  g_autoptr(GError) error = NULL;
  int value = g_key_file_get_integer (es_settings_get (), GROUP, key, &error);

  return error != NULL ? fallback : value;
}

void
es_settings_set_int (const char *key,
                     int         value)
{
  g_key_file_set_integer (es_settings_get (), GROUP, key, value);
}

char *
es_settings_dup_string (const char *key,
                        const char *fallback)
{
  char *value = g_key_file_get_string (es_settings_get (), GROUP, key, NULL);

  return value != NULL ? value : g_strdup (fallback);
}

void
es_settings_set_string (const char *key,
                        const char *value)
{
  g_key_file_set_string (es_settings_get (), GROUP, key, value != NULL ? value : "");
}

gboolean
es_settings_get_boolean (const char *key,
                         gboolean    fallback)
{
  g_autoptr(GError) error = NULL;
  gboolean value = g_key_file_get_boolean (es_settings_get (), GROUP, key, &error);

  return error != NULL ? fallback : value;
}

void
es_settings_set_boolean (const char *key,
                         gboolean    value)
{
  g_key_file_set_boolean (es_settings_get (), GROUP, key, value);
}
