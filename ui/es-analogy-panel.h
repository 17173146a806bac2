/* es-analogy-panel.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "es-embedding-set.h"

G_BEGIN_DECLS

#define ES_TYPE_ANALOGY_PANEL (es_analogy_panel_get_type ())

G_DECLARE_FINAL_TYPE (EsAnalogyPanel, es_analogy_panel, ES, ANALOGY_PANEL, GtkWidget)

/* An expression entry ("king - man + woman") and its ranked nearest words
 * by cosine, gensim's most_similar.  panel.analogy solves the entry text;
 * activating a result activates win.select-word.
 */
GtkWidget    *es_analogy_panel_new               (void);
void          es_analogy_panel_set_embedding_set (EsAnalogyPanel *self,
                                                  EsEmbeddingSet *set);
const char   *es_analogy_panel_get_expression    (EsAnalogyPanel *self);
void          es_analogy_panel_set_expression    (EsAnalogyPanel *self,
                                                  const char     *expression);
/* EsNeighbor results of the last solved expression, or NULL. */
GArray       *es_analogy_panel_get_results       (EsAnalogyPanel *self);
/* Rows and weights of the expression's words (n_terms entries). */
const gsize  *es_analogy_panel_get_terms         (EsAnalogyPanel *self,
                                                  const double  **weights,
                                                  guint          *n_terms);
const char   *es_analogy_panel_get_error         (EsAnalogyPanel *self);
gboolean      es_analogy_panel_get_busy          (EsAnalogyPanel *self);
void          es_analogy_panel_clear             (EsAnalogyPanel *self);

G_END_DECLS
