/* es-topics-panel.h: NMF topics, each by its top words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "es-corpus-topics.h"

G_BEGIN_DECLS

#define ES_TYPE_TOPICS_PANEL (es_topics_panel_get_type ())

G_DECLARE_FINAL_TYPE (EsTopicsPanel, es_topics_panel, ES, TOPICS_PANEL, GtkWidget)

/* "topic-activated" (guint topic): a row was clicked (or activated). */
GtkWidget   *es_topics_panel_new            (void);
/* Lists @topics' words (copied; NULL: empty). */
void         es_topics_panel_set_topics     (EsTopicsPanel  *self,
                                             EsCorpusTopics *topics);
guint        es_topics_panel_get_n_topics   (EsTopicsPanel  *self);
/* The top words of @topic, space-separated, as listed. */
const char  *es_topics_panel_get_words      (EsTopicsPanel  *self,
                                             guint           topic);
/* Marks @topic as the one the points are coloured by (-1: none). */
void         es_topics_panel_set_active     (EsTopicsPanel  *self,
                                             int             topic);
int          es_topics_panel_get_active     (EsTopicsPanel  *self);

G_END_DECLS
