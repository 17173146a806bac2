/* es-compare-window-private.h: the compare window's parts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-compare-window.h"

#include "es-document.h"
#include "es-job.h"
#include "es-scatter-view.h"

G_BEGIN_DECLS

/* Plotted: the most frequent shared words, plus the most moved. */
#define MAX_PLOTTED   20000
#define N_TOP_PLOTTED 200
#define N_LISTED      100
#define N_ARROWS      10
#define K_NEIGHBORS   10

struct _EsCompareWindow
{
  GtkApplicationWindow parent_instance;

  EsEmbeddingSet *a;
  char           *path_a;
  char           *name_b;
  char           *path_b;        /* B's file, when it came from one */
  EsComparisonOptions options;   /* options.anchors points at anchors */
  char           *anchors;
  char           *keep_focus;    /* the focus word to keep across a re-run */
  EsComparison   *comparison;
  EsScatterData  *data_2d;
  EsScatterData  *data_3d;
  EsJob          *job;
  char           *error;
  gint64          focus;         /* pair, or -1 */
  GArray         *selected;      /* pairs selected in the plot */
  GArray         *links;         /* guint32 (from, to) plot rows */
  GCancellable   *neighbors_cancellable;
  GCancellable   *dialog_cancellable;
  gboolean        shared_a[K_NEIGHBORS];
  gboolean        shared_b[K_NEIGHBORS];

  EsScatterView  *plot;
  GtkLabel       *status;
  GtkProgressBar *progress;
  GtkWidget      *progress_box;
  GtkToggleButton *three_d;
  GtkLabel       *focus_label;
  GtkWidget      *lists[4];

  /* es-compare-options.c: the options popover and the fit. */
  GtkWidget      *options_button;
  GtkDropDown    *method_dropdown;
  GtkCheckButton *center_check;
  GtkCheckButton *scale_check;
  GtkLabel       *anchors_label;
  GtkWidget      *anchors_clear;
  GtkSpinButton  *k_spin;
  GtkLabel       *fit_label;
  guint           syncing_options;  /* > 0 while the widgets are set from the options */

  /* es-compare-link.c: the main window's document, whose selection is
   * linked to this window's (weak; only while its set is A).
   */
  EsDocument     *document;
  gulong          document_changed_id;
  guint           linking;          /* > 0 while passing a selection across */
  /* ... and the window that shows it, for sessions saved here (weak). */
  GObject        *view_owner;
  EsCompareViewSessionFunc view_session;
};

/* es-compare-window.c: the comparison job. */
void      _es_compare_window_rerun           (EsCompareWindow *self);
/* es-compare-link.c: after a box or lasso (or a linked document) changed
 * self->selected.
 */
void      _es_compare_window_selection_changed (EsCompareWindow *self,
                                               gboolean         from_document);
/* es-compare-focus.c */
void      _es_compare_window_update_overlay  (EsCompareWindow *self);

/* es-compare-focus.c: the focus word, its neighbours, the arrows, the
 * ranked lists and the status line.
 */
gint64    _es_compare_window_pair_of_plot_row (EsCompareWindow *self,
                                               gint64           row);
char     *_es_compare_window_detail_cb       (gsize            row,
                                              gpointer         user_data);
void      _es_compare_window_set_focus       (EsCompareWindow *self,
                                              gint64           pair);
void      _es_compare_window_fill_ranked     (EsCompareWindow *self);
void      _es_compare_window_update_status   (EsCompareWindow *self);
void      _es_compare_window_show_data       (EsCompareWindow *self);

/* es-compare-actions.c: the widgets, their signals and the actions. */
void      _es_compare_window_build           (EsCompareWindow *self);
void      _es_compare_actions_class_init     (GtkWidgetClass  *widget_class);

/* es-compare-options.c */
GtkWidget *_es_compare_options_build         (EsCompareWindow *self);
void      _es_compare_options_sync           (EsCompareWindow *self);
void      _es_compare_options_update_fit     (EsCompareWindow *self);

/* es-compare-session.c */
void      _es_compare_session_class_init     (GtkWidgetClass  *widget_class);

/* es-compare-link.c */
void      _es_compare_link_selection_to_document (EsCompareWindow *self);
void      _es_compare_link_dispose           (EsCompareWindow *self);
gboolean  _es_compare_link_is_live           (EsCompareWindow *self);
/* A session of what the linked window shows A with, or NULL (unlinked). */
EsSession *_es_compare_link_dup_view_session (EsCompareWindow *self);

G_END_DECLS
