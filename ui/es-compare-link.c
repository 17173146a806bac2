/* es-compare-link.c: the compare window's selection linked to a document's
 *
 * When A is the main window's file (the same EsEmbeddingSet as the
 * document's set), a box or lasso in the compare view selects the same
 * words in the document, and the document's selection (from its plot,
 * its lists, back/forward) becomes the compare view's, as arrows.  A row
 * of A is a pair when the word is shared; words only in A are selected in
 * the document but have no arrow.  When the document opens another file
 * the link goes quiet (its set is no longer A) until it shows A again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-compare-window"

#include "config.h"

#include "es-compare-window-private.h"

#include "es-word-pairs.h"

/* The document shows A: the link is live. */
gboolean
_es_compare_link_is_live (EsCompareWindow *self)
{
  return self->document != NULL && self->comparison != NULL &&
         es_document_get_set (self->document) == es_comparison_get_a (self->comparison);
}

/* Document → compare view. */
static void
selection_from_document (EsCompareWindow *self)
{
  const gsize *rows;
  gsize n_rows = 0;

  rows = es_document_get_selection (self->document, &n_rows);
  g_array_set_size (self->selected, 0);
  for (gsize i = 0; i < n_rows; i++)
    {
      gint64 pair = es_comparison_pair_of_row_a (self->comparison, rows[i]);
      gsize p = (gsize) pair;

      /* As many arrows as a box gives at most. */
      if (pair >= 0 && self->selected->len < 500)
        g_array_append_val (self->selected, p);
    }
}

void
_es_compare_link_selection_to_document (EsCompareWindow *self)
{
  const gsize *rows_a;
  g_autofree gsize *rows = NULL;

  if (!_es_compare_link_is_live (self))
    return;
  rows_a = es_word_pairs_get_rows_a (es_comparison_get_pairs (self->comparison));
  rows = g_new (gsize, self->selected->len + 1);
  for (guint i = 0; i < self->selected->len; i++)
    rows[i] = rows_a[g_array_index (self->selected, gsize, i)];
  self->linking++;
  if (self->selected->len == 0)
    es_document_clear_selection (self->document);
  else
    es_document_select_rows (self->document, rows, self->selected->len, ES_SELECT_REPLACE);
  self->linking--;
}

void
_es_compare_window_selection_changed (EsCompareWindow *self,
                                      gboolean         from_document)
{
  if (from_document && _es_compare_link_is_live (self))
    selection_from_document (self);
  else if (!from_document)
    _es_compare_link_selection_to_document (self);
  _es_compare_window_update_overlay (self);
}

static void
document_changed_cb (EsDocument      *document,
                     guint            changes,
                     EsCompareWindow *self)
{
  if (self->linking > 0 || (changes & (ES_DOCUMENT_CHANGE_SELECTION | ES_DOCUMENT_CHANGE_DATA)) == 0)
    return;
  if (_es_compare_link_is_live (self))
    _es_compare_window_selection_changed (self, TRUE);
}

static void
document_gone_cb (gpointer  data,
                  GObject  *where)
{
  EsCompareWindow *self = data;

  self->document = NULL;
  self->document_changed_id = 0;
}

void
_es_compare_link_dispose (EsCompareWindow *self)
{
  if (self->view_owner != NULL)
    g_object_remove_weak_pointer (self->view_owner, (gpointer *) &self->view_owner);
  self->view_owner = NULL;
  self->view_session = NULL;
  if (self->document == NULL)
    return;
  g_clear_signal_handler (&self->document_changed_id, self->document);
  g_object_weak_unref (G_OBJECT (self->document), document_gone_cb, self);
  self->document = NULL;
}

void
es_compare_window_link_document (EsCompareWindow *self,
                                 EsDocument      *document)
{
  g_return_if_fail (ES_IS_COMPARE_WINDOW (self));
  g_return_if_fail (document == NULL || ES_IS_DOCUMENT (document));

  _es_compare_link_dispose (self);
  if (document == NULL)
    return;
  self->document = document;
  g_object_weak_ref (G_OBJECT (document), document_gone_cb, self);
  self->document_changed_id = g_signal_connect (document, "changed", G_CALLBACK (document_changed_cb), self);
  _es_compare_window_selection_changed (self, TRUE);
}

char **
es_compare_window_dup_selected_words (EsCompareWindow *self)
{
  GPtrArray *words;

  g_return_val_if_fail (ES_IS_COMPARE_WINDOW (self), NULL);

  words = g_ptr_array_new ();
  for (guint i = 0; self->comparison != NULL && i < self->selected->len; i++)
    g_ptr_array_add (words, g_strdup (es_comparison_get_word (self->comparison,
                                                                g_array_index (self->selected, gsize, i))));
  g_ptr_array_add (words, NULL);
  return (char **) g_ptr_array_free (words, FALSE);
}

void
es_compare_window_set_view_session (EsCompareWindow          *self,
                                    GObject                  *owner,
                                    EsCompareViewSessionFunc  func)
{
  g_return_if_fail (ES_IS_COMPARE_WINDOW (self));
  g_return_if_fail (owner == NULL || G_IS_OBJECT (owner));

  if (self->view_owner != NULL)
    g_object_remove_weak_pointer (self->view_owner, (gpointer *) &self->view_owner);
  self->view_owner = owner;
  self->view_session = func;
  if (owner != NULL)
    g_object_add_weak_pointer (owner, (gpointer *) &self->view_owner);
}

EsSession *
_es_compare_link_dup_view_session (EsCompareWindow *self)
{
  if (self->view_owner == NULL || self->view_session == NULL || !_es_compare_link_is_live (self))
    return NULL;
  return self->view_session (self->view_owner);
}
