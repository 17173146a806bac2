/* es-window-compare.c: a compare window opened from the main window
 *
 * "Compare With…" and Ctrl+drop both come here.  The compare window's A
 * is this window's file when it compares with it, and then its
 * selection is linked to the document's (es_compare_window_link_document).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-window"

#include "config.h"

#include "es-window-private.h"

static EsCompareWindow *
compare_with (EsWindow        *self,
              const char      *path_a,
              const char      *path_b,
              const EsSession *session)
{
  EsEmbeddingSet *set = es_document_get_set (self->document);
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  EsCompareWindow *compare;

  g_return_val_if_fail (path_b != NULL, NULL);

  if (path_a == NULL && set == NULL)
    return NULL;
  /* Its own window: A is this window's file (or @path_a), B the other. */
  compare = es_compare_window_new (application, path_a == NULL ? set : NULL, path_a);
  if (session != NULL)
    es_compare_window_apply_session (compare, session);
  if (path_a == NULL)
    {
      es_compare_window_link_document (compare, self->document);
      /* A session saved there stores A as this window shows it. */
      es_compare_window_set_view_session (compare, G_OBJECT (self),
                                          (EsCompareViewSessionFunc) _es_window_dup_session);
    }
  if (self->compare != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->compare), (gpointer *) &self->compare);
  self->compare = compare;
  g_object_add_weak_pointer (G_OBJECT (compare), (gpointer *) &self->compare);
  gtk_window_present (GTK_WINDOW (compare));
  es_compare_window_compare_path (compare, path_b);
  return compare;
}

EsCompareWindow *
_es_window_compare_with_path (EsWindow   *self,
                              const char *path_a,
                              const char *path_b)
{
  return compare_with (self, path_a, path_b, NULL);
}

void
_es_window_compare_from_session (EsWindow  *self,
                                 EsSession *session)
{
  if (session->compare_path != NULL)
    compare_with (self, NULL, session->compare_path, session);
}

void
_es_window_compare_dispose (EsWindow *self)
{
  if (self->compare != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->compare), (gpointer *) &self->compare);
  self->compare = NULL;
}
