/* es-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-window"

#include "config.h"

#include <glib/gi18n.h>

#include "es-window-private.h"

#include "es-collapsing-label.h"
#include "es-settings.h"

/* From here on the plot data (~0.25 us a row) is built in a worker. */
#define PLOT_ASYNC_ROWS 50000

/* From the compiled GResource in this library. */
GResource *es_get_resource (void);

G_DEFINE_FINAL_TYPE (EsWindow, es_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_METHOD,
  PROP_THREE_D,
  PROP_COMPONENT_X,
  PROP_COMPONENT_Y,
  PROP_COMPONENT_Z,
  PROP_SELECTED,
  PROP_BUSY,
  PROP_FILTER_REGEX,
  PROP_SHOW_SIDEBAR,
  PROP_TOP_N,
  PROP_FILTER_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
es_window_save_state (EsWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  es_settings_set_int ("window-width", width);
  es_settings_set_int ("window-height", height);
  es_settings_set_boolean ("window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  es_settings_set_string ("method", self->method_from_topics ? "pca" : self->method);
  es_settings_set_string ("metric", es_neighbors_panel_get_metric (self->neighbors_panel));
  es_settings_set_int ("k", (int) es_neighbors_panel_get_k (self->neighbors_panel));
  es_settings_set_boolean ("show-sidebar", self->show_sidebar);
  es_settings_save ();
}

static gboolean
es_window_close_request (GtkWindow *window)
{
  EsWindow *self = ES_WINDOW (window);

  es_window_save_state (self);
  _es_window_set_job (self, &self->load_job, NULL);
  _es_window_set_job (self, &self->project_job, NULL);
  _es_window_set_job (self, &self->cluster_job, NULL);
  _es_window_set_job (self, &self->save_job, NULL);

  return GTK_WINDOW_CLASS (es_window_parent_class)->close_request (window);
}

static void
es_window_dispose (GObject *object)
{
  EsWindow *self = (EsWindow *)object;

  g_clear_handle_id (&self->filter_source, g_source_remove);
  g_clear_handle_id (&self->update_plot_source, g_source_remove);
  _es_window_feedback_dispose (self);
  _es_window_compare_dispose (self);
  _es_window_corpus_dispose (self);
  if (self->load_job != NULL)
    es_job_cancel (self->load_job);
  g_clear_object (&self->load_job);
  if (self->project_job != NULL)
    es_job_cancel (self->project_job);
  g_clear_object (&self->project_job);
  if (self->cluster_job != NULL)
    es_job_cancel (self->cluster_job);
  g_clear_object (&self->cluster_job);
  if (self->save_job != NULL)
    es_job_cancel (self->save_job);
  g_clear_object (&self->save_job);
  if (self->job_bindings != NULL)
    g_binding_group_set_source (self->job_bindings, NULL);
  g_clear_object (&self->job_bindings);
  g_cancellable_cancel (self->dialog_cancellable);
  g_clear_object (&self->dialog_cancellable);

  /* Children may still emit while the template is torn down. */
  if (self->search != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->search, self);
      g_signal_handlers_disconnect_by_data (self->plot, self);
      g_signal_handlers_disconnect_by_data (self->category_dropdown, self);
      g_signal_handlers_disconnect_by_data (self->label_dropdown, self);
      g_signal_handlers_disconnect_by_data (self->color_dropdown, self);
      g_signal_handlers_disconnect_by_data (self->neighbors_panel, self);
      g_signal_handlers_disconnect_by_data (self->analogy_panel, self);
      g_signal_handlers_disconnect_by_data (self->axes_editor, self);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), ES_TYPE_WINDOW);
  g_clear_handle_id (&self->filter_source, g_source_remove);

  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_clear_object (&self->document);
  g_clear_pointer (&self->projection_axes, g_strfreev);
  g_clear_pointer (&self->pending_set, es_embedding_set_unref);
  g_clear_pointer (&self->pending_path, g_free);

  G_OBJECT_CLASS (es_window_parent_class)->dispose (object);
}

static void
es_window_finalize (GObject *object)
{
  EsWindow *self = (EsWindow *)object;

  g_clear_pointer (&self->method, g_free);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->layout_note, g_free);
  g_clear_pointer (&self->filter_text, g_free);
  g_clear_pointer (&self->loaded_metadata, g_free);
  g_clear_pointer (&self->pending_metadata, g_free);
  g_clear_pointer (&self->filter_valid_regex, g_free);
  g_clear_object (&self->preprocess_actions);

  G_OBJECT_CLASS (es_window_parent_class)->finalize (object);
}

static void
es_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  EsWindow *self = ES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_METHOD:
      /* Queried by the property action while the template is built. */
      g_value_set_string (value, self->method != NULL ? self->method : "pca");
      break;

    case PROP_THREE_D:
      g_value_set_boolean (value, self->three_d);
      break;

    case PROP_COMPONENT_X:
      g_value_set_uint (value, self->component_x);
      break;

    case PROP_COMPONENT_Y:
      g_value_set_uint (value, self->component_y);
      break;

    case PROP_COMPONENT_Z:
      g_value_set_uint (value, self->component_z);
      break;

    case PROP_SELECTED:
      g_value_set_int64 (value, es_window_get_selected (self));
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, es_window_get_busy (self));
      break;

    case PROP_FILTER_REGEX:
      g_value_set_boolean (value, self->filter_regex);
      break;

    case PROP_SHOW_SIDEBAR:
      g_value_set_boolean (value, self->show_sidebar);
      break;

    case PROP_TOP_N:
      g_value_set_uint (value, self->top_n);
      break;

    case PROP_FILTER_TEXT:
      g_value_set_string (value, self->filter_text != NULL ? self->filter_text : "");
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_component (EsWindow   *self,
               guint      *slot,
               guint       value,
               GParamSpec *pspec)
{
  GtkDropDown *dropdown = slot == &self->component_x ? self->x_dropdown :
                          slot == &self->component_y ? self->y_dropdown : self->z_dropdown;

  if (*slot == value)
    return;

  *slot = value;
  if (gtk_drop_down_get_selected (dropdown) != value)
    gtk_drop_down_set_selected (dropdown, value);
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
  /* Another component needs no new reduction, only new plot data. */
  _es_window_plot_queue_update (self);
  _es_window_update_status (self);
}

static void
es_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  EsWindow *self = ES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_METHOD:
      {
        const char *method = g_value_get_string (value);
        EsMethod parsed;

        if (method == NULL || !es_method_from_string (method, &parsed) ||
            g_strcmp0 (self->method, method) == 0)
          break;
        g_free (self->method);
        self->method = g_strdup (es_method_to_string (parsed));
        self->method_from_topics = FALSE;
        gtk_menu_button_set_label (self->method_button,
                                   parsed == ES_METHOD_PCA ? _("PCA") :
                                   parsed == ES_METHOD_SVD ? _("SVD") :
                                   parsed == ES_METHOD_AXES ? _("Custom Axes") :
                                   parsed == ES_METHOD_TSNE ? _("t-SNE") :
                                   parsed == ES_METHOD_UMAP ? _("UMAP") : _("Identity"));
        gtk_widget_set_visible (GTK_WIDGET (self->map_settings_button),
                                parsed == ES_METHOD_TSNE || parsed == ES_METHOD_UMAP);
        es_map_settings_set_method (self->map_settings, self->method);
        gtk_widget_set_visible (GTK_WIDGET (self->axes_editor), parsed == ES_METHOD_AXES);
        gtk_widget_set_visible (self->axes_separator, parsed == ES_METHOD_AXES);
        g_object_notify_by_pspec (object, pspec);
        _es_window_reproject (self, NULL);
      }
      break;

    case PROP_THREE_D:
      if (self->three_d != g_value_get_boolean (value))
        {
          self->three_d = g_value_get_boolean (value);
          gtk_widget_set_visible (self->z_label, self->three_d);
          gtk_widget_set_visible (GTK_WIDGET (self->z_dropdown), self->three_d);
          es_axes_editor_set_three_d (self->axes_editor, self->three_d);
          g_object_notify_by_pspec (object, pspec);
          /* Axes and maps compute a third coordinate of their own. */
          if (g_strcmp0 (self->method, "axes") == 0 || g_strcmp0 (self->method, "tsne") == 0 ||
              g_strcmp0 (self->method, "umap") == 0)
            _es_window_reproject (self, NULL);
          else
            {
              _es_window_plot_update (self);
              _es_window_record_view (self);
            }
          _es_window_update_status (self);
        }
      break;

    case PROP_COMPONENT_X:
      set_component (self, &self->component_x, g_value_get_uint (value), pspec);
      break;

    case PROP_COMPONENT_Y:
      set_component (self, &self->component_y, g_value_get_uint (value), pspec);
      break;

    case PROP_COMPONENT_Z:
      set_component (self, &self->component_z, g_value_get_uint (value), pspec);
      break;

    case PROP_SELECTED:
      _es_window_set_selected (self, g_value_get_int64 (value));
      break;

    case PROP_FILTER_REGEX:
      if (self->filter_regex != g_value_get_boolean (value))
        {
          self->filter_regex = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
          _es_window_plot_queue_update (self);
        }
      break;

    case PROP_SHOW_SIDEBAR:
      if (self->show_sidebar != g_value_get_boolean (value))
        {
          self->show_sidebar = g_value_get_boolean (value);
          gtk_widget_set_visible (self->sidebar, self->show_sidebar);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_TOP_N:
      if (self->top_n != g_value_get_uint (value))
        {
          self->top_n = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
          _es_window_plot_queue_update (self);
        }
      break;

    case PROP_FILTER_TEXT:
      if (g_strcmp0 (self->filter_text, g_value_get_string (value)) != 0)
        {
          g_free (self->filter_text);
          self->filter_text = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
          _es_window_plot_queue_update (self);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
es_window_class_init (EsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = es_window_dispose;
  object_class->finalize = es_window_finalize;
  object_class->get_property = es_window_get_property;
  object_class->set_property = es_window_set_property;

  window_class->close_request = es_window_close_request;

  properties[PROP_METHOD] =
    g_param_spec_string ("method", NULL, NULL,
                         "pca",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_THREE_D] =
    g_param_spec_boolean ("three-d", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPONENT_X] =
    g_param_spec_uint ("component-x", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPONENT_Y] =
    g_param_spec_uint ("component-y", NULL, NULL,
                       0, G_MAXUINT, 1,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPONENT_Z] =
    g_param_spec_uint ("component-z", NULL, NULL,
                       0, G_MAXUINT, 2,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED] =
    g_param_spec_int64 ("selected", NULL, NULL,
                        -1, G_MAXINT64, -1,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILTER_REGEX] =
    g_param_spec_boolean ("filter-regex", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_SIDEBAR] =
    g_param_spec_boolean ("show-sidebar", NULL, NULL,
                          TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOP_N] =
    g_param_spec_uint ("top-n", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILTER_TEXT] =
    g_param_spec_string ("filter-text", NULL, NULL,
                         "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Referencing the resource links its object file, whose constructor
   * registers it, even from a static library.  Not in a g_assert: release
   * builds compile those out, and the window would lose its template.
   */
  if (es_get_resource () == NULL)
    g_critical ("the application's resources are not linked in");

  g_type_ensure (ES_TYPE_SCATTER_VIEW);
  g_type_ensure (ES_TYPE_WORD_SEARCH);
  g_type_ensure (ES_TYPE_NEIGHBORS_PANEL);
  g_type_ensure (ES_TYPE_ANALOGY_PANEL);
  g_type_ensure (ES_TYPE_SELECTION_PANEL);
  g_type_ensure (ES_TYPE_LAYER_BAR);
  g_type_ensure (ES_TYPE_AXES_EDITOR);
  g_type_ensure (ES_TYPE_COLLAPSING_LABEL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/embedscope/Embedscope/ui/es-window.ui");
  gtk_widget_class_bind_template_child (widget_class, EsWindow, method_button);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, map_settings_button);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, selection_panel);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, layer_bar);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, components_box);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, x_dropdown);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, y_dropdown);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, z_dropdown);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, z_label);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, search);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, warnings_button);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, warnings_list);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, pause_button);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, plot);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, neighbors_panel);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, analogy_panel);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, axes_editor);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, axes_separator);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, top_n_adjustment);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, category_dropdown);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, label_dropdown);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, color_dropdown);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, point_size_adjustment);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, opacity_adjustment);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, font_size_adjustment);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, component_names);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, z_component_names);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, category_names);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, label_names);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, color_names);
  gtk_widget_class_bind_template_child (widget_class, EsWindow, recent_menu);
  gtk_widget_class_bind_template_callback_full (widget_class, "top_n_output_cb",
                                                G_CALLBACK (_es_window_top_n_output_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "top_n_input_cb",
                                                G_CALLBACK (_es_window_top_n_input_cb));

  _es_window_class_sync_init (widget_class);
  _es_window_class_actions_init (widget_class);
  _es_window_class_session_init (widget_class);
  _es_window_class_corpus_init (widget_class);
  _es_window_class_vectors_init (widget_class);
}

static void
es_window_init (EsWindow *self)
{
  g_autofree char *method = NULL;
  g_autofree char *metric = NULL;
  GtkDropTarget *drop;

  /* Before the template: its menus read the property actions' states
   * once, when their items are built.
   */
  self->show_sidebar = TRUE;
  /* Before the template: its children's signals may reach the window. */
  self->document = es_document_new ();
  _es_window_sync_document_init (self);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->plot_async_rows = PLOT_ASYNC_ROWS;
  self->layout_seed = 1;
  self->layer_column = self->position_column = -1;
  g_signal_connect_swapped (self->layer_bar, "notify::layer", G_CALLBACK (_es_window_plot_queue_update), self);
  g_signal_connect_swapped (self->layer_bar, "notify::layer", G_CALLBACK (_es_window_update_neighbor_range), self);
  es_map_params_init (&self->map_params);
  self->map_settings = ES_MAP_SETTINGS (es_map_settings_new ());
  gtk_menu_button_set_popover (self->map_settings_button, GTK_WIDGET (self->map_settings));
  self->method = g_strdup ("pca");
  self->component_x = 0;
  self->component_y = 1;
  self->component_z = 2;
  self->dialog_cancellable = g_cancellable_new ();
  self->job_bindings = g_binding_group_new ();
  g_binding_group_bind (self->job_bindings, "fraction", self->progress_bar, "fraction", G_BINDING_SYNC_CREATE);
  g_binding_group_bind (self->job_bindings, "message", self->progress_label, "label", G_BINDING_SYNC_CREATE);
  gtk_menu_button_set_label (self->method_button, _("PCA"));
  gtk_widget_set_visible (GTK_WIDGET (self->axes_editor), FALSE);
  gtk_widget_set_visible (self->axes_separator, FALSE);
  gtk_widget_set_visible (self->z_label, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->z_dropdown), FALSE);

  _es_window_feedback_init (self);
  _es_window_preprocess_init (self);
  _es_window_corpus_init (self);
  _es_window_set_component_factories (self->x_dropdown);
  _es_window_set_component_factories (self->y_dropdown);
  _es_window_set_component_factories (self->z_dropdown);
  g_object_bind_property (self->x_dropdown, "selected", self, "component-x", G_BINDING_DEFAULT);
  g_object_bind_property (self->y_dropdown, "selected", self, "component-y", G_BINDING_DEFAULT);
  g_object_bind_property (self->z_dropdown, "selected", self, "component-z", G_BINDING_DEFAULT);
  /* Both ways: the plot's context menu has a 3D item too. */
  g_object_bind_property (self, "three-d", self->plot, "three-d",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  g_object_bind_property (self, "top-n", self->top_n_adjustment, "value",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "filter-text", self->filter_entry, "text",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_swapped (self->category_dropdown, "notify::selected", G_CALLBACK (_es_window_plot_queue_update), self);
  g_signal_connect_swapped (self->label_dropdown, "notify::selected", G_CALLBACK (_es_window_plot_queue_update), self);
  _es_window_sync_init (self);
  g_signal_connect_swapped (self->plot, "rows-selected", G_CALLBACK (_es_window_plot_rows_selected_cb), self);
  es_scatter_view_set_detail_func (self->plot, _es_window_plot_point_detail, self, NULL);
  g_signal_connect_swapped (self->plot, "category-activated",
                            G_CALLBACK (_es_window_plot_category_activated_cb), self);

  drop = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (drop, (GType[2]) { GDK_TYPE_FILE_LIST, G_TYPE_FILE }, 2);
  g_signal_connect (drop, "drop", G_CALLBACK (_es_window_drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  /* What the last session used. */
  gtk_window_set_default_size (GTK_WINDOW (self),
                               MAX (es_settings_get_int ("window-width", 1200), 640),
                               MAX (es_settings_get_int ("window-height", 760), 480));
  if (es_settings_get_boolean ("window-maximized", FALSE))
    gtk_window_maximize (GTK_WINDOW (self));
  method = es_settings_dup_string ("method", "pca");
  metric = es_settings_dup_string ("metric", "cosine");
  g_free (self->method);
  self->method = NULL;
  g_object_set (self, "method", method, "show-sidebar", es_settings_get_boolean ("show-sidebar", TRUE), NULL);
  if (self->method == NULL)
    g_object_set (self, "method", "pca", NULL);
  es_neighbors_panel_set_metric (self->neighbors_panel, metric);
  es_neighbors_panel_set_k (self->neighbors_panel, (guint) es_settings_get_int ("k", 10));

  _es_window_update_status (self);
  _es_window_actions_update (self);
}

EsWindow *
es_window_new (GtkApplication *application)
{
  return g_object_new (ES_TYPE_WINDOW, "application", application, NULL);
}

EsEmbeddingSet *
es_window_get_embedding_set (EsWindow *self)
{
  g_return_val_if_fail (ES_IS_WINDOW (self), NULL);

  return es_document_get_set (self->document);
}

EsEmbeddingSet *
es_window_get_view_set (EsWindow *self)
{
  g_return_val_if_fail (ES_IS_WINDOW (self), NULL);

  return es_document_get_view_set (self->document);
}

EsProjection *
es_window_get_projection (EsWindow *self)
{
  g_return_val_if_fail (ES_IS_WINDOW (self), NULL);

  return es_document_get_projection (self->document);
}

gint64
es_window_get_selected (EsWindow *self)
{
  g_return_val_if_fail (ES_IS_WINDOW (self), -1);

  return es_document_get_focus (self->document);
}

gboolean
es_window_get_busy (EsWindow *self)
{
  g_return_val_if_fail (ES_IS_WINDOW (self), FALSE);

  return self->load_job != NULL || self->project_job != NULL || self->cluster_job != NULL ||
         self->save_job != NULL;
}

const char *
es_window_get_error (EsWindow *self)
{
  g_return_val_if_fail (ES_IS_WINDOW (self), NULL);

  return self->error;
}

void
_es_window_set_plot_async_rows (EsWindow *self,
                                gsize     rows)
{
  g_return_if_fail (ES_IS_WINDOW (self));

  self->plot_async_rows = rows;
}

GtkWidget *
es_window_get_plot (EsWindow *self)
{
  g_return_val_if_fail (ES_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->plot);
}
