/* es-compare-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "es-comparison.h"
#include "es-document.h"
#include "es-embedding-set.h"
#include "es-session.h"

G_BEGIN_DECLS

#define ES_TYPE_COMPARE_WINDOW (es_compare_window_get_type ())

G_DECLARE_FINAL_TYPE (EsCompareWindow, es_compare_window, ES, COMPARE_WINDOW, GtkApplicationWindow)

/* A window comparing two embedding sets: B is loaded (when given as a
 * path), aligned onto A and scored in a worker; the plot shows both
 * spaces in one projection with arrows from A's position of a word to
 * B's.  @a may be NULL with @path_a set: then A is loaded too.
 */
EsCompareWindow *es_compare_window_new           (GtkApplication  *application,
                                                  EsEmbeddingSet  *a,
                                                  const char      *path_a);
/* Loads @path_b and compares; a failure shows the error and keeps A. */
void             es_compare_window_compare_path  (EsCompareWindow *self,
                                                  const char      *path_b);
void             es_compare_window_compare_set   (EsCompareWindow *self,
                                                  EsEmbeddingSet  *b);

/* TRUE while a load or the comparison runs. */
gboolean         es_compare_window_get_busy      (EsCompareWindow *self);
/* The last failure, or NULL. */
const char      *es_compare_window_get_error     (EsCompareWindow *self);
/* The finished comparison, or NULL. */
EsComparison    *es_compare_window_get_comparison (EsCompareWindow *self);
/* The focus word (selected in the lists or the plot), or NULL. */
const char      *es_compare_window_get_focus     (EsCompareWindow *self);
gboolean         es_compare_window_select_word   (EsCompareWindow *self,
                                                  const char      *word);
/* The arrows drawn: (from, to) plot rows, *n_links pairs. */
const guint32   *es_compare_window_get_links     (EsCompareWindow *self,
                                                  gsize           *n_links);
GtkWidget       *es_compare_window_get_plot      (EsCompareWindow *self);
/* The side lists: 0 most moved, 1 most stable, 2 neighbours in A,
 * 3 neighbours in B (EsResultList).
 */
GtkWidget       *es_compare_window_get_list      (EsCompareWindow *self,
                                                  guint            which);
/* Whether row @index of the B (@in_b) or A neighbour list is a shared neighbour. */
gboolean         es_compare_window_is_shared_neighbor (EsCompareWindow *self,
                                                  gboolean         in_b,
                                                  guint            index);
/* The alignment options; a change runs the comparison again (a job,
 * keeping the focus word).  Anchors are copied.
 */
void             es_compare_window_set_options   (EsCompareWindow *self,
                                                  const EsComparisonOptions *options);
const EsComparisonOptions *es_compare_window_get_options (EsCompareWindow *self);
/* B's file (NULL when B came as a set without a path). */
const char      *es_compare_window_get_path_b    (EsCompareWindow *self);
/* Links this window's selection with @document's while @document's set
 * is A (the window compares that set): a box or lasso here selects the
 * words there and back.  NULL unlinks; the link ends with the document.
 */
void             es_compare_window_link_document (EsCompareWindow *self,
                                                  EsDocument      *document);
/* What the window showing A (linked above) shows, as a session: a
 * session saved here stores A with that view (method, axes, centre and
 * normalise, filters, camera…), not the default one.  Asked only while
 * @owner lives and the link is live; the link's end forgets it.
 */
typedef EsSession *(*EsCompareViewSessionFunc) (gpointer owner);
void             es_compare_window_set_view_session (EsCompareWindow          *self,
                                                  GObject                  *owner,
                                                  EsCompareViewSessionFunc  func);
/* The words selected in the plot (box, lasso or the linked document),
 * NULL-terminated.
 */
char           **es_compare_window_dup_selected_words (EsCompareWindow *self);

/* Sessions: B's file, the options and the focus word into @session
 * (nothing when B has no file); the same back from @session, before
 * es_compare_window_compare_path (); a session of A and the comparison.
 */
void             es_compare_window_add_to_session (EsCompareWindow *self,
                                                  EsSession       *session);
void             es_compare_window_apply_session (EsCompareWindow *self,
                                                  const EsSession *session);
gboolean         es_compare_window_save_session  (EsCompareWindow *self,
                                                  const char      *path,
                                                  GError         **error);

/* The change scores as TSV (es_output: atomic). */
gboolean         es_compare_window_export_scores (EsCompareWindow *self,
                                                  const char      *path,
                                                  GError         **error);

G_END_DECLS
