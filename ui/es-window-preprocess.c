/* es-window-preprocess.c: the CLI's --center and --normalize in the GUI
 *
 * Two toggles (and "Spherize", the Projector's name for both) in the
 * method menu.  They are projection options, as in `embedscope project`:
 * the loaded set is reduced again, the file itself is untouched, and the
 * status bar says what was done to the rows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-window"

#include "config.h"

#include <glib/gi18n.h>

#include "es-window-private.h"

/* The menu's check marks, without "change-state" (it would come back here). */
static void
show_state (EsWindow   *self,
            const char *name,
            gboolean    on)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->preprocess_actions), name);

  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (on));
}

static void
set_preprocess (EsWindow *self,
                gboolean  center,
                gboolean  normalize)
{
  gboolean same = self->preprocess_center == center && self->preprocess_normalize == normalize;

  _es_window_preprocess_set (self, center, normalize);
  if (same)
    return;
  _es_window_update_status (self);
  if (es_document_get_set (self->document) != NULL)
    _es_window_reproject (self, NULL);
}

static void
change_state_cb (GSimpleAction *action,
                 GVariant      *value,
                 EsWindow      *self)
{
  const char *name = g_action_get_name (G_ACTION (action));
  gboolean on = g_variant_get_boolean (value);

  if (g_str_equal (name, "center"))
    set_preprocess (self, on, self->preprocess_normalize);
  else if (g_str_equal (name, "normalize"))
    set_preprocess (self, self->preprocess_center, on);
  else
    set_preprocess (self, on, on);
}

void
_es_window_preprocess_init (EsWindow *self)
{
  static const char * const names[] = { "center", "normalize", "spherize" };

  self->preprocess_actions = g_simple_action_group_new ();
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GSimpleAction) action = g_simple_action_new_stateful (names[i], NULL,
                                                                      g_variant_new_boolean (FALSE));

      g_signal_connect_object (action, "change-state", G_CALLBACK (change_state_cb), self, 0);
      g_action_map_add_action (G_ACTION_MAP (self->preprocess_actions), G_ACTION (action));
    }
  gtk_widget_insert_action_group (GTK_WIDGET (self), "prep", G_ACTION_GROUP (self->preprocess_actions));
}

/* A session's flags, for a projection computed with them: no reduction. */
void
_es_window_preprocess_set (EsWindow *self,
                           gboolean  center,
                           gboolean  normalize)
{
  show_state (self, "center", center);
  show_state (self, "normalize", normalize);
  show_state (self, "spherize", center && normalize);
  self->preprocess_center = center;
  self->preprocess_normalize = normalize;
}

/* What was done to the rows before this reduction, or NULL. */
char *
_es_window_preprocess_describe (EsWindow *self)
{
  /* Maps build their own neighbour graph from the raw rows. */
  if (g_strcmp0 (self->method, "tsne") == 0 || g_strcmp0 (self->method, "umap") == 0)
    return NULL;
  if (self->preprocess_center && self->preprocess_normalize)
    return g_strdup (_("spherized: rows L2-normalised, then centred"));
  if (self->preprocess_normalize)
    return g_strdup (_("rows L2-normalised"));
  if (self->preprocess_center)
    return g_strdup (_("centred"));
  return NULL;
}
