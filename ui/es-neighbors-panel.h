/* es-neighbors-panel.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "es-embedding-set.h"

G_BEGIN_DECLS

#define ES_TYPE_NEIGHBORS_PANEL (es_neighbors_panel_get_type ())

G_DECLARE_FINAL_TYPE (EsNeighborsPanel, es_neighbors_panel, ES, NEIGHBORS_PANEL, GtkWidget)

/* The k nearest neighbours of the selected word in the ORIGINAL space,
 * computed in a worker thread (cancel and replace).  Activating a row
 * activates win.select-word with its word.
 */
GtkWidget  *es_neighbors_panel_new               (void);
void        es_neighbors_panel_set_embedding_set (EsNeighborsPanel *self,
                                                  EsEmbeddingSet   *set);
/* A row of the set, or -1 for none. */
void        es_neighbors_panel_set_row           (EsNeighborsPanel *self,
                                                  gint64            row);
gint64      es_neighbors_panel_get_row           (EsNeighborsPanel *self);
const char *es_neighbors_panel_get_metric        (EsNeighborsPanel *self);
void        es_neighbors_panel_set_metric        (EsNeighborsPanel *self,
                                                  const char       *metric);
guint       es_neighbors_panel_get_k             (EsNeighborsPanel *self);
void        es_neighbors_panel_set_k             (EsNeighborsPanel *self,
                                                  guint             k);
/* EsNeighbor entries of the current row, or NULL while none. */
GArray     *es_neighbors_panel_get_neighbors     (EsNeighborsPanel *self);
gboolean    es_neighbors_panel_get_busy          (EsNeighborsPanel *self);
/* "rank\tword\tscore" lines with a header naming the metric. */
char       *es_neighbors_panel_dup_tsv           (EsNeighborsPanel *self);
/* Candidates only rows [@first, @first + @n) (a tensor's layer); @n = 0:
 * every row.  The word's own row may lie outside.
 */
void        es_neighbors_panel_set_row_range     (EsNeighborsPanel *self,
                                                  gsize             first,
                                                  gsize             n);
void        es_neighbors_panel_get_row_range     (EsNeighborsPanel *self,
                                                  gsize            *first,
                                                  gsize            *n);
/* Lines under the word (its row, norm, metadata); NULL hides them. */
void        es_neighbors_panel_set_details       (EsNeighborsPanel *self,
                                                  const char       *details);

G_END_DECLS
