/* es-settings.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the app remembers between runs, in a key file under
 * g_get_user_config_dir()/embedscope/.  Not GSettings: the app must run
 * from the build tree without an installed, compiled schema (GSettings
 * aborts on a missing schema), and a key file needs no D-Bus in tests.
 * Saves are atomic (g_file_set_contents writes a temporary and renames).
 */
GKeyFile  *es_settings_get            (void);
void       es_settings_save           (void);
char     **es_settings_dup_recent     (void);
void       es_settings_add_recent     (const char *path);
int        es_settings_get_int        (const char *key,
                                       int         fallback);
void       es_settings_set_int        (const char *key,
                                       int         value);
char      *es_settings_dup_string     (const char *key,
                                       const char *fallback);
void       es_settings_set_string     (const char *key,
                                       const char *value);
gboolean   es_settings_get_boolean    (const char *key,
                                       gboolean    fallback);
void       es_settings_set_boolean    (const char *key,
                                       gboolean    value);

G_END_DECLS
