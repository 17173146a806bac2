/* es-window-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-document.h"
#include "es-window.h"

#include "es-analogy-panel.h"
#include "es-axes-editor.h"
#include "es-compare-window.h"
#include "es-job.h"
#include "es-layer-bar.h"
#include "es-map-settings.h"
#include "es-neighbors-panel.h"
#include "es-session.h"
#include "es-scatter-view.h"
#include "es-selection-panel.h"
#include "es-topics-panel.h"
#include "es-word-search.h"

G_BEGIN_DECLS

struct _EsWindow
{
  GtkApplicationWindow  parent_instance;

  /* Template children */
  GtkMenuButton        *method_button;
  GtkMenuButton        *map_settings_button;
  EsMapSettings        *map_settings;
  GtkWidget            *components_box;
  GtkDropDown          *x_dropdown;
  GtkDropDown          *y_dropdown;
  GtkDropDown          *z_dropdown;
  GtkWidget            *z_label;
  EsWordSearch         *search;
  GtkMenuButton        *warnings_button;
  GtkListBox           *warnings_list;
  GtkRevealer          *error_revealer;
  GtkLabel             *error_label;
  GtkRevealer          *progress_revealer;
  GtkLabel             *progress_label;
  GtkProgressBar       *progress_bar;
  GtkWidget            *pause_button;   /* while a map optimises */
  GtkPaned             *paned;
  EsScatterView        *plot;
  GtkLabel             *status_label;
  GtkWidget            *sidebar;
  EsNeighborsPanel     *neighbors_panel;
  EsAnalogyPanel       *analogy_panel;
  EsSelectionPanel     *selection_panel;
  EsLayerBar           *layer_bar;
  EsAxesEditor         *axes_editor;
  GtkWidget            *axes_separator;
  GtkAdjustment        *top_n_adjustment;
  GtkEntry             *filter_entry;
  GtkDropDown          *category_dropdown;
  GtkDropDown          *label_dropdown;
  GtkDropDown          *color_dropdown;
  GtkAdjustment        *point_size_adjustment;
  GtkAdjustment        *opacity_adjustment;
  GtkAdjustment        *font_size_adjustment;
  GtkStringList        *component_names;
  GtkStringList        *z_component_names;
  GtkStringList        *category_names;
  GtkStringList        *label_names;
  GtkStringList        *color_names;
  GMenu                *recent_menu;

  /* Data: the whole file, what is shown (a subset when isolating), its
   * reduction.
   */
  EsDocument           *document;    /* the file, the view, the projection, focus, selection */
  EsEmbeddingSet       *pending_set;      /* loaded, its first reduction still running */
  char                 *pending_path;
  char                **projection_axes;  /* the expressions of an AXES projection */
  /* > 0 while a new data set, view and projection are being put in place:
   * the panels' signals then see half a switch, so marks wait for the end.
   */
  guint             switching;
  char                 *layout_note;  /* t-SNE/UMAP: time and quality, or why PCA */
  guint64               layout_seed;  /* Re-run Map draws another */
  EsMapParams           map_params;   /* the rest of a map's parameters (its seed: layout_seed) */
  gboolean              layout_paused;
  int                   layer_column;     /* a layered tensor's metadata "layer", or -1 */
  int                   position_column;  /* ... and "position" */
  guint                 applying_view;  /* > 0 while back/forward puts a view back */
  /* Sessions (es-window-session.c): how the file was loaded, and > 0
   * while a session is put in place (reductions wait for its end).
   */
  guint64               loaded_limit;
  char                 *loaded_metadata;
  guint64               pending_limit;
  char                 *pending_metadata;
  guint                 restoring;

  /* Properties */
  char                 *method;
  /* "identity" came with NMF topics, not from the user: the next file
   * (not a session) gets PCA again, and the setting keeps PCA.
   */
  gboolean              method_from_topics;
  gboolean              three_d;
  guint                 component_x;
  guint                 component_y;
  guint                 component_z;
  gboolean              filter_regex;
  guint                 top_n;
  char                 *filter_text;
  gboolean              show_sidebar;

  /* One job per consumer: cancel and replace. */
  GBindingGroup        *job_bindings;    /* progress bar and label <- current EsJob */
  EsJob                *load_job;
  EsJob                *project_job;
  EsJob                *cluster_job;
  EsJob                *save_job;        /* es-window-vectors.c */
  GCancellable         *metadata_cancellable;
  GCancellable         *dialog_cancellable;
  char                 *error;
  guint                 filter_source;
  guint                 update_plot_source;
  guint                 plot_generation;  /* the newest plot data asked for */
  gsize                 plot_shown;       /* rows the filters let through, of the plot's data */
  gboolean              plot_filtered;    /* a filter (text, regex, top N, category) is on */
  char                 *filter_valid_regex; /* the last regex that compiled: kept while the entry's is invalid */

  /* es-window-feedback.c: "Saved FILE" for a few seconds over the plot. */
  GtkRevealer          *feedback_revealer;
  GtkLabel             *feedback_label;
  guint                 feedback_source;

  /* es-window-preprocess.c: the CLI's --center / --normalize. */
  GSimpleActionGroup   *preprocess_actions;
  gboolean              preprocess_center;
  gboolean              preprocess_normalize;
  gsize                 plot_async_rows;  /* from this many rows, built in a worker */

  /* es-window-compare.c: the last compare window opened from here (weak). */
  EsCompareWindow      *compare;
  /* es-window-corpus.c: Open Corpus…, .mtx, NMF topics. */
  struct _EsWindowCorpus *corpus;
};

/* es-window-sync.c: the panels and plot follow the document. */
void      _es_window_sync_document_init (EsWindow       *self);
void      _es_window_class_sync_init    (GtkWidgetClass *widget_class);
void      _es_window_sync_init          (EsWindow       *self);
void      _es_window_class_actions_init (GtkWidgetClass *widget_class);
void      _es_window_actions_update     (EsWindow       *self);
void      _es_window_load_path          (EsWindow       *self,
                                         const char     *path,
                                         guint64         limit,
                                         const char     *metadata_path);
/* A raw projector .bytes file with the shape the user gave. */
void      _es_window_load_path_shaped   (EsWindow       *self,
                                         const char     *path,
                                         guint64         limit,
                                         const char     *metadata_path,
                                         guint64         shape_rows,
                                         guint64         shape_dims);
/* NULL: the current view (or the new file still on its way). */
void      _es_window_reproject          (EsWindow       *self,
                                         EsEmbeddingSet *view_set);
void      _es_window_select_word        (EsWindow       *self,
                                         const char     *word);
void      _es_window_show_error         (EsWindow       *self,
                                         const char     *message);
void      _es_window_join_metadata      (EsWindow       *self,
                                         const char     *path);
gboolean  _es_window_export             (EsWindow       *self,
                                         const char     *kind,
                                         const char     *path,
                                         GError        **error);
char     *_es_window_component_name     (EsWindow       *self,
                                         guint           component);
/* For tests and benchmarks: the size from which plot data is built in a
 * worker (0: always).
 */
void      _es_window_set_plot_async_rows (EsWindow      *self,
                                          gsize          rows);

/* es-window.c */
void      _es_window_set_selected       (EsWindow       *self,
                                         gint64          row);

/* es-window-jobs.c: loading and reducing in workers. */
/* destroy (data) in a worker: big sets are freed off the main thread. */
void      _es_window_release_later      (gpointer        data,
                                         GDestroyNotify  destroy);
void      _es_window_finish_projection  (EsWindow       *self,
                                         EsJob          *job,
                                         EsEmbeddingSet *set,
                                         gboolean        replaces_set,
                                         EsProjection   *projection,
                                         char          **axes,
                                         const GError   *error);
void      _es_window_projection_options (EsEmbeddingSet      *set,
                                         EsMethod             method,
                                         const char * const  *axes,
                                         gboolean             orthogonalize,
                                         gboolean             center,
                                         gboolean             normalize,
                                         EsProjectionOptions *options,
                                         guint              **columns);
/* es-window-layout.c: FALSE when @view_set is too small for a map (PCA then). */
gboolean  _es_window_start_layout       (EsWindow       *self,
                                         EsJob          *job,
                                         EsEmbeddingSet *view_set,
                                         gboolean        replaces_set,
                                         EsMethod        method);
char     *_es_window_layout_key         (EsWindow       *self,
                                         EsMethod        method,
                                         guint           dims);
void      _es_window_layout_pause       (EsWindow       *self,
                                         gboolean        paused);
gboolean  _es_window_color_is_clusters  (EsWindow       *self);
/* es-window-layout.c: k-means of the whole file in a worker. */
void      _es_window_start_clusters     (EsWindow       *self,
                                         guint           k);
void      _es_window_set_job            (EsWindow       *self,
                                         EsJob         **slot,
                                         EsJob          *job);
/* Swaps in a new view and its reduction together, so the plot never
 * shows a set with another set's coordinates.
 */
void      _es_window_apply_projection   (EsWindow       *self,
                                         EsEmbeddingSet *set,
                                         EsEmbeddingSet *view_set,
                                         EsProjection   *projection,
                                         char          **axes);

/* es-window-layers.c: a layers × tokens tensor (metadata "layer" and
 * "position"): the layer bar.
 */
void      _es_window_update_layers      (EsWindow       *self);

/* es-window-history.c: the method, 2D/3D, isolate and filters as steps of
 * the document's history.
 */
void      _es_window_record_view        (EsWindow       *self);
void      _es_window_apply_view_state   (EsWindow       *self);
/* es-window-session.c: File → Save Session… / Open Session…. */
void      _es_window_class_session_init (GtkWidgetClass *widget_class);
/* es-window-session-save.c */
void      _es_window_class_session_save_init (GtkWidgetClass *widget_class);
void      _es_window_session_actions_update (EsWindow   *self);
void      _es_window_open_session       (EsWindow       *self,
                                         const char     *path);
gboolean  _es_window_save_session       (EsWindow       *self,
                                         const char     *path,
                                         GError        **error);
/* What the window shows as a session (NULL: nothing shown). */
EsSession *_es_window_dup_session     (EsWindow       *self);
/* es-window-feedback.c: a short note over the plot ("Saved FILE"). */
void      _es_window_feedback_init      (EsWindow       *self);
void      _es_window_feedback_dispose   (EsWindow       *self);
void      _es_window_show_feedback      (EsWindow       *self,
                                         const char     *message);

/* es-window-preprocess.c: centre / L2-normalise the rows before reducing. */
void      _es_window_preprocess_init    (EsWindow       *self);
void      _es_window_preprocess_set     (EsWindow       *self,
                                         gboolean        center,
                                         gboolean        normalize);
char     *_es_window_preprocess_describe (EsWindow      *self);

/* es-window-corpus.c: a corpus or .mtx → LSA vectors, NMF topics. */
typedef struct _EsWindowCorpus EsWindowCorpus;
void      _es_window_class_corpus_init  (GtkWidgetClass *widget_class);
void      _es_window_corpus_init        (EsWindow       *self);
void      _es_window_corpus_dispose     (EsWindow       *self);
void      _es_window_corpus_actions_update (EsWindow    *self);
void      _es_window_corpus_set_changed (EsWindow       *self,
                                         EsEmbeddingSet *set);
void      _es_window_open_corpus_path   (EsWindow       *self,
                                         const char     *path,
                                         gboolean        is_matrix);
void      _es_window_compute_corpus     (EsWindow       *self,
                                         const char     *path,
                                         gboolean        is_matrix,
                                         const EsCorpusOptions *options);
void      _es_window_compute_topics     (EsWindow       *self,
                                         guint           k);
void      _es_window_color_by_topic     (EsWindow       *self,
                                         guint           topic);
gboolean  _es_window_is_topics_set      (EsWindow       *self,
                                         EsEmbeddingSet *set);
/* es-window-vectors.c: Save Vectors As… in a job (FALSE: nothing to save). */
void      _es_window_class_vectors_init (GtkWidgetClass *widget_class);
gboolean  _es_window_save_vectors       (EsWindow       *self,
                                         const char     *path,
                                         GError        **error);
/* For tests: called in the worker before it writes. */
extern void (*_es_window_save_vectors_hook) (GCancellable *cancellable);
/* For tests: the NMF topics list of the side panel. */
EsTopicsPanel *_es_window_get_topics_panel (EsWindow    *self);
/* es-window-jobs.c: a computed set (no file) shown like a new file. */
void      _es_window_reduce_new_set     (EsWindow       *self,
                                         EsEmbeddingSet *set);

/* es-window-drop.c: files dropped on the window, handed to the engine. */
gboolean  _es_window_drop_cb            (GtkDropTarget  *target,
                                         const GValue   *value,
                                         double          x,
                                         double          y,
                                         EsWindow       *self);
/* What a drop of @files does with the modifiers @state (Ctrl: compare). */
gboolean  _es_window_drop_files         (EsWindow       *self,
                                         GPtrArray      *files,
                                         GdkModifierType state);

/* es-window-layers.c: a layered tensor's neighbours within one layer, and
 * the focus token's path through the layers.
 */
void      _es_window_update_neighbor_range (EsWindow    *self);
void      _es_window_update_path        (EsWindow       *self);

/* es-window-compare.c: a compare window from this one, its selection
 * linked to the document.  @path_a NULL: A is the window's data.
 */
EsCompareWindow *_es_window_compare_with_path (EsWindow  *self,
                                         const char     *path_a,
                                         const char     *path_b);
void      _es_window_compare_dispose    (EsWindow       *self);
/* A session's comparison (if any): its compare window again. */
void      _es_window_compare_from_session (EsWindow     *self,
                                         EsSession      *session);

/* es-window-status.c: the window around the plot. */
void      _es_window_update_status      (EsWindow       *self);
void      _es_window_update_components  (EsWindow       *self);
void      _es_window_update_metadata_choices (EsWindow *self);
void      _es_window_update_category_choices (EsWindow *self);
void      _es_window_update_warnings    (EsWindow       *self);
void      _es_window_set_component_factories (GtkDropDown *dropdown);
gboolean  _es_window_top_n_output_cb    (GtkSpinButton  *spin,
                                         EsWindow       *self);
int       _es_window_top_n_input_cb     (GtkSpinButton  *spin,
                                         double         *value,
                                         EsWindow       *self);

/* es-window-plot.c: everything that feeds the plot. */
void      _es_window_plot_update        (EsWindow       *self);
void      _es_window_plot_update_marks  (EsWindow       *self);
gboolean  _es_window_plot_is_current    (EsWindow       *self);
/* Debounced: filters, components and colours change in bursts. */
void      _es_window_plot_queue_update  (EsWindow       *self);
/* es-window-describe.c: the hover card's text. */
char     *_es_window_plot_point_detail  (gsize           row,
                                         gpointer        user_data);
/* A row of @view (a view of the document's file): its place in the file,
 * norm, metadata and cluster, as lines.
 */
char     *_es_window_describe_row       (EsWindow       *self,
                                         EsEmbeddingSet *view,
                                         gsize           row);
void      _es_window_plot_category_activated_cb (EsWindow *self,
                                         guint           category,
                                         int             mode,
                                         EsScatterView  *plot);
void      _es_window_plot_rows_selected_cb (EsWindow    *self,
                                         GArray         *rows,
                                         int             mode,
                                         EsScatterView  *plot);
/* es-window-plot.c, shared with es-window-export.c */
gboolean  _es_window_plot_components_valid (EsWindow *self);
guint8   *_es_window_plot_compute_mask     (EsWindow *self,
                                            gsize     rows);
gboolean  _es_window_plot_to_view_row      (EsWindow *self,
                                            gsize     full_row,
                                            guint32  *view_row);
/* es-window-export.c */
void      _es_window_export_actions_init (GtkWidgetClass *widget_class);
gboolean  _es_window_plot_export_selection_tsv (EsWindow *self,
                                         const char     *path,
                                         GError        **error);
gboolean  _es_window_plot_export_tsv    (EsWindow       *self,
                                         const char     *path,
                                         GError        **error);

G_END_DECLS
