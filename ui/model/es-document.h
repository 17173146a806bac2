/* es-document.h: what the user is looking at, in one object
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "es-corpus-vectors.h"
#include "es-embedding-set.h"
#include "es-kmeans.h"
#include "es-projection.h"

G_BEGIN_DECLS

#define ES_TYPE_DOCUMENT (es_document_get_type ())

G_DECLARE_FINAL_TYPE (EsDocument, es_document, ES, DOCUMENT, GObject)

/* What a "changed" signal reports (several at once after a transaction). */
typedef enum
{
  ES_DOCUMENT_CHANGE_DATA      = 1 << 0,  /* the file, the shown subset or the projection */
  ES_DOCUMENT_CHANGE_FOCUS     = 1 << 1,  /* the focus word */
  ES_DOCUMENT_CHANGE_SELECTION = 1 << 2,  /* the selected rows */
  ES_DOCUMENT_CHANGE_HISTORY   = 1 << 3,  /* can go back / forward */
  ES_DOCUMENT_CHANGE_CLUSTERS  = 1 << 4,  /* k-means clusters of the file */
  ES_DOCUMENT_CHANGE_VIEW      = 1 << 5,  /* the view state (method, isolate, filters) */
  ES_DOCUMENT_CHANGE_VIEW_RESTORED = 1 << 6, /* ... by back or forward: to be applied */
} EsDocumentChange;

typedef enum
{
  ES_SELECT_REPLACE,
  ES_SELECT_ADD,       /* Shift */
  ES_SELECT_SUBTRACT,  /* Ctrl */
} EsSelectMode;

EsDocument     *es_document_new                (void);

/* Changes inside begin/end are one transaction: "changed" is emitted once,
 * at the outermost end, with every change's flag, and the document is
 * consistent at every emission (every row it names is a row of the current
 * set).  Transactions nest.
 */
void            es_document_begin              (EsDocument      *self);
void            es_document_end                (EsDocument      *self);

/* The whole file, the rows shown (a subset when isolating: @view_set may be
 * @set), and their projection.  A new file maps the focus and the selection
 * to it by word and drops the words it lacks.
 */
void            es_document_set_data           (EsDocument      *self,
                                                EsEmbeddingSet  *set,
                                                EsEmbeddingSet  *view_set,
                                                EsProjection    *projection);
EsEmbeddingSet *es_document_get_set            (EsDocument      *self);
EsEmbeddingSet *es_document_get_view_set       (EsDocument      *self);
EsProjection   *es_document_get_projection     (EsDocument      *self);

/* The focus word as a row of the view set (-1: none). */
void            es_document_set_focus          (EsDocument      *self,
                                                gint64           view_row);
gboolean        es_document_set_focus_word     (EsDocument      *self,
                                                const char      *word);
gint64          es_document_get_focus          (EsDocument      *self);
const char     *es_document_get_focus_word     (EsDocument      *self);

/* The selection, as sorted rows of the whole file. */
void            es_document_select_rows        (EsDocument      *self,
                                                const gsize     *rows,
                                                gsize            n_rows,
                                                EsSelectMode     mode);
void            es_document_clear_selection    (EsDocument      *self);
const gsize    *es_document_get_selection      (EsDocument      *self,
                                                gsize           *n_rows);
gboolean        es_document_is_selected        (EsDocument      *self,
                                                gsize            row);

/* What the window shows beyond the data: its method, the isolated words,
 * the filters… as a GVariant it defines (floating refs are sunk; NULL:
 * none).  Each change is a step of history; going back or forward to a
 * step with another view state sets it and reports
 * ES_DOCUMENT_CHANGE_VIEW_RESTORED, for the window to apply.
 */
void            es_document_set_view_state     (EsDocument      *self,
                                                GVariant        *state);
GVariant       *es_document_get_view_state     (EsDocument      *self);

/* Back and forward through the focus, the selection and the view state
 * (by word, so a step back survives a reload); every transaction that
 * changed one of them is one step.
 */
gboolean        es_document_can_go_back        (EsDocument      *self);
gboolean        es_document_can_go_forward     (EsDocument      *self);
gboolean        es_document_go_back            (EsDocument      *self);
gboolean        es_document_go_forward         (EsDocument      *self);

/* Clusters of the whole file (rows of es_document_get_set ()); dropped
 * when another file comes.  NULL: none.
 */
void            es_document_set_clusters       (EsDocument      *self,
                                                EsKmeans        *clusters);
EsKmeans       *es_document_get_clusters       (EsDocument      *self);

/* The matrix the current set was computed from (Open Corpus, a .mtx: its
 * LSA vectors, or NMF topics of it), kept for NMF, and the set's name
 * ("corpus.txt — LSA 100d").  Set after es_document_set_data in the same
 * transaction: a new set drops both.  NULL: none.
 */
void            es_document_set_corpus         (EsDocument      *self,
                                                EsCorpusVectors *corpus,
                                                const char      *title);
EsCorpusVectors *es_document_get_corpus        (EsDocument      *self);
const char     *es_document_get_title          (EsDocument      *self);

/* Maps already computed (t-SNE, UMAP) for a view of the current file, by
 * a key naming the method and its parameters: switching back to one is
 * instant.  Dropped when another file comes.
 */
void            es_document_cache_layout       (EsDocument      *self,
                                                EsEmbeddingSet  *view_set,
                                                const char      *key,
                                                EsProjection    *projection);
EsProjection   *es_document_lookup_layout      (EsDocument      *self,
                                                EsEmbeddingSet  *view_set,
                                                const char      *key);

/* For tests: FALSE with a message when an invariant is broken. */
gboolean        es_document_check              (EsDocument      *self,
                                                char           **message);

G_END_DECLS
