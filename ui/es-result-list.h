/* es-result-list.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "es-embedding-set.h"

G_BEGIN_DECLS

#define ES_TYPE_RESULT_LIST (es_result_list_get_type ())

G_DECLARE_FINAL_TYPE (EsResultList, es_result_list, ES, RESULT_LIST, GtkWidget)

/* A ranked list of words with their scores (the neighbours and the
 * analogy panels): one row a result, "N." first when show-rank is set, the
 * score right-aligned.  Activating a row activates win.select-word with
 * its word.
 */
GtkWidget  *es_result_list_new           (void);
gboolean    es_result_list_get_show_rank (EsResultList   *self);
void        es_result_list_set_show_rank (EsResultList   *self,
                                          gboolean        show_rank);
/* @results: EsNeighbor rows of @set, or NULL to empty the list. */
void        es_result_list_set_results   (EsResultList   *self,
                                          EsEmbeddingSet *set,
                                          GArray         *results);
guint       es_result_list_get_n_rows    (EsResultList   *self);
/* The word a row selects, or NULL past the end. */
const char *es_result_list_get_word      (EsResultList   *self,
                                          guint           index);
/* Marks a row (e.g. a neighbour shared by two spaces): bold on a tint,
 * the "es-marked" style class.  Reset by set_results.
 */
void        es_result_list_set_marked    (EsResultList   *self,
                                          guint           index,
                                          gboolean        marked);
gboolean    es_result_list_get_marked    (EsResultList   *self,
                                          guint           index);
/* A short dim text beside a row's score (e.g. "overlap 0.40"); NULL
 * removes it.  Reset by set_results.
 */
void        es_result_list_set_note      (EsResultList   *self,
                                          guint           index,
                                          const char     *note);
/* The note of a row, or NULL. */
const char *es_result_list_get_note      (EsResultList   *self,
                                          guint           index);
/* As if the row were clicked. */
void        es_result_list_activate_row  (EsResultList   *self,
                                          guint           index);

G_END_DECLS
