/* es-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-window"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "es-window-private.h"

#include "es-dialogs.h"
#include "es-loader.h"
#include "es-settings.h"

/* Files bigger than this get the row-limit question first. */
#define LARGE_FILE_BYTES (G_GUINT64_CONSTANT (512) << 20)
#define LARGE_MEMORY_BYTES (G_GUINT64_CONSTANT (1) << 30)
#define FILTER_DEBOUNCE_MS 200
#define MAX_COMPONENTS 10
#define MAX_IDENTITY_COLUMNS 64
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

/* One request in flight: whose job, for which file. */
typedef struct
{
  EsWindow       *self;
  EsJob          *job;
  EsEmbeddingSet *set;       /* the loaded set, waiting for its reduction */
  char           *path;
  char          **axes;
  gboolean        replaces_set;
} Request;

static void
request_free (Request *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->job);
  g_clear_pointer (&request->set, es_embedding_set_unref);
  g_clear_pointer (&request->path, g_free);
  g_clear_pointer (&request->axes, g_strfreev);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static void
update_progress (EsWindow *self)
{
  EsJob *job = self->load_job != NULL ? self->load_job : self->project_job;

  /* The bindings carry fraction and message from whichever job runs. */
  g_binding_group_set_source (self->job_bindings, job);
  gtk_revealer_set_reveal_child (self->progress_revealer, job != NULL);
}

static void
set_job (EsWindow  *self,
         EsJob    **slot,
         EsJob     *job)
{
  if (*slot == job)
    return;

  if (*slot != NULL)
    {
      es_job_cancel (*slot);
      g_clear_object (slot);
    }
  if (job != NULL)
    *slot = g_object_ref (job);

  update_progress (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  _es_window_actions_update (self);
}

void
_es_window_show_error (EsWindow   *self,
                       const char *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);
  _es_window_actions_update (self);
}

static void
update_status (EsWindow *self)
{
  g_autoptr(GString) status = g_string_new (NULL);
  g_autofree char *base = NULL;

  if (self->set == NULL)
    {
      gtk_label_set_text (self->status_label, _("No embedding loaded"));
      gtk_window_set_title (GTK_WINDOW (self), _("Embedscope"));
      return;
    }

  base = g_path_get_basename (es_embedding_set_get_path (self->set) != NULL
                              ? es_embedding_set_get_path (self->set) : _("Untitled"));
  {
    EsFormat format = es_embedding_set_get_format (self->set);
    gboolean words = format != ES_FORMAT_PROJECTOR_TSV && format != ES_FORMAT_PROJECTOR_BYTES &&
                     format != ES_FORMAT_NPY;

    g_string_append_printf (status, words ? _("%s — %zu words × %zu dimensions (%s%s)")
                                          : _("%s — %zu points × %zu dimensions (%s%s)"),
                            base, es_embedding_set_get_n_valid (self->set),
                            es_embedding_set_get_dims (self->set),
                            es_format_to_string (format),
                            es_embedding_set_get_compression (self->set) == ES_COMPRESSION_GZIP
                            ? ", gzip" : "");
  }
  if (self->view_set != NULL && self->view_set != self->set)
    g_string_append_printf (status, _(" — isolated: %zu words"),
                            es_embedding_set_get_rows (self->view_set));
  if (self->box_rows->len > 0)
    g_string_append_printf (status, _(" — %u box-selected"), self->box_rows->len);

  if (self->projection != NULL)
    {
      guint n = 0;
      const double *cumulative = es_projection_get_cumulative_ratio (self->projection, &n);
      guint shown = self->three_d ? 3 : 2;

      if (cumulative != NULL && n >= shown && self->component_x < shown && self->component_y < shown)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          g_ascii_formatd (buf, sizeof buf, "%.1f", cumulative[shown - 1] * 100.0);
          g_string_append_printf (status, _(" — PCA: first %u components explain %s %%"), shown, buf);
        }

      /* Word axes are rarely perpendicular: say how far from it they are. */
      {
        const double *angles = es_projection_get_axis_angles_deg (self->projection, &n);

        if (angles != NULL && n > 0)
          {
            char buf[G_ASCII_DTOSTR_BUF_SIZE];

            g_ascii_formatd (buf, sizeof buf, "%.1f", angles[0]);
            g_string_append_printf (status, _(" — angle between X and Y: %s°"), buf);
          }
      }
    }

  gtk_label_set_text (self->status_label, status->str);

  {
    g_autofree char *title = g_strdup_printf (_("%s — Embedscope"), base);

    gtk_window_set_title (GTK_WINDOW (self), title);
  }
}

char *
_es_window_component_name (EsWindow *self,
                           guint     i)
{
  EsProjection *projection = self->projection;
  const double *ratio;
  guint n = 0;

  switch (es_projection_get_method (projection))
    {
    case ES_METHOD_PCA:
      ratio = es_projection_get_explained_variance_ratio (projection, &n);
      if (ratio != NULL && i < n)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          g_ascii_formatd (buf, sizeof buf, "%.1f", ratio[i] * 100.0);
          return g_strdup_printf ("PC%u (%s %%)", i + 1, buf);
        }
      return g_strdup_printf ("PC%u", i + 1);

    case ES_METHOD_SVD:
      ratio = es_projection_get_singular_values (projection, &n);
      if (ratio != NULL && i < n)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          g_ascii_formatd (buf, sizeof buf, "%.3g", ratio[i]);
          return g_strdup_printf ("SV%u (σ %s)", i + 1, buf);
        }
      return g_strdup_printf ("SV%u", i + 1);

    case ES_METHOD_AXES:
      /* The axis is its expression: "man - woman". */
      if (self->projection_axes != NULL && i < g_strv_length (self->projection_axes))
        return g_strdup (self->projection_axes[i]);
      return g_strdup_printf (_("Axis %u"), i + 1);

    case ES_METHOD_IDENTITY:
      return g_strdup_printf (_("Dim %u"), i + 1);

    default:
      return g_strdup_printf ("%u", i + 1);
    }
}

static void
update_components (EsWindow *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  guint n = self->projection != NULL ? es_projection_get_n_components (self->projection) : 0;
  guint x = self->component_x, y = self->component_y, z = self->component_z;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (names, _es_window_component_name (self, i));
  g_ptr_array_add (names, NULL);

  gtk_string_list_splice (self->component_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->component_names)),
                          (const char * const *) names->pdata);
  gtk_string_list_splice (self->z_component_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->z_component_names)),
                          (const char * const *) names->pdata);

  /* Splicing resets the selection: put the choice back, in range. */
  if (n > 0)
    {
      if (x >= n || y >= n || x == y)
        x = 0, y = MIN (1, n - 1);
      if (z >= n)
        z = MIN (2, n - 1);
    }
  self->component_x = G_MAXUINT;
  self->component_y = G_MAXUINT;
  self->component_z = G_MAXUINT;
  g_object_set (self, "component-x", x, "component-y", y, "component-z", z, NULL);
}

static void
fill_string_list (GtkStringList *list,
                  const char    *first,
                  EsMetadata    *metadata)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  g_ptr_array_add (names, (gpointer) first);
  for (guint c = 0; metadata != NULL && c < es_metadata_get_n_columns (metadata); c++)
    g_ptr_array_add (names, (gpointer) es_metadata_get_column_name (metadata, c));
  g_ptr_array_add (names, NULL);

  gtk_string_list_splice (list, 0, g_list_model_get_n_items (G_LIST_MODEL (list)),
                          (const char * const *) names->pdata);
}

static void
update_metadata_choices (EsWindow *self)
{
  EsMetadata *metadata = self->set != NULL ? es_embedding_set_get_metadata (self->set) : NULL;
  guint color = 0;

  fill_string_list (self->label_names, _("Word"), metadata);
  fill_string_list (self->color_names, _("None"), metadata);

  /* A projector file's metadata usually has a class column: colour by the
   * last column when there is more than one.
   */
  if (metadata != NULL && es_metadata_get_n_columns (metadata) > 1)
    color = es_metadata_get_n_columns (metadata);
  else if (metadata != NULL)
    color = 1;
  gtk_drop_down_set_selected (self->label_dropdown, 0);
  gtk_drop_down_set_selected (self->color_dropdown, color);
}

static void
update_category_choices (EsWindow *self)
{
  EsMetadata *metadata = self->view_set != NULL ? es_embedding_set_get_metadata (self->view_set) : NULL;
  guint column = gtk_drop_down_get_selected (self->color_dropdown);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_ptr_array_add (names, (gpointer) _("All"));
  if (metadata != NULL && column != GTK_INVALID_LIST_POSITION && column > 0 &&
      column - 1 < es_metadata_get_n_columns (metadata))
    {
      for (gsize r = 0; r < es_metadata_get_n_rows (metadata) && names->len < 200; r++)
        {
          const char *value = es_metadata_get_value (metadata, r, column - 1);

          if (value != NULL && *value != '\0' && g_hash_table_add (seen, (gpointer) value))
            g_ptr_array_add (names, (gpointer) value);
        }
    }
  g_ptr_array_add (names, NULL);

  gtk_string_list_splice (self->category_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->category_names)),
                          (const char * const *) names->pdata);
  gtk_drop_down_set_selected (self->category_dropdown, 0);
}

static void
update_warnings (EsWindow *self)
{
  GPtrArray *warnings = self->set != NULL ? es_embedding_set_get_warnings (self->set) : NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->warnings_list))) != NULL)
    gtk_list_box_remove (self->warnings_list, child);

  gtk_widget_set_visible (GTK_WIDGET (self->warnings_button), warnings != NULL && warnings->len > 0);
  if (warnings == NULL || warnings->len == 0)
    return;

  {
    g_autofree char *tooltip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                             "%u load warning",
                                                             "%u load warnings",
                                                             warnings->len),
                                                warnings->len);
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->warnings_button), tooltip);
  }

  for (guint i = 0; i < warnings->len; i++)
    {
      GtkWidget *label = gtk_label_new (g_ptr_array_index (warnings, i));

      gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 60);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_set_margin_start (label, 6);
      gtk_widget_set_margin_end (label, 6);
      gtk_widget_set_margin_top (label, 3);
      gtk_widget_set_margin_bottom (label, 3);
      gtk_list_box_append (self->warnings_list, label);
    }
}

static void
set_selected (EsWindow *self,
              gint64    row)
{
  if (self->view_set == NULL || row < 0 || (gsize) row >= es_embedding_set_get_rows (self->view_set))
    row = -1;

  if (row >= 0)
    {
      g_free (self->selected_word);
      self->selected_word = g_strdup (es_embedding_set_get_word (self->view_set, (gsize) row));
    }
  else
    g_clear_pointer (&self->selected_word, g_free);

  if (self->selected == row)
    return;

  self->selected = row;
  /* Else the new view's data, still being built, brings the selection. */
  if (_es_window_plot_is_current (self))
    es_scatter_view_set_selected (self->plot, row);

  /* Neighbours are searched in the whole file, not the isolated subset. */
  {
    gsize full_row;

    if (row >= 0 && es_embedding_set_lookup (self->set, self->selected_word, &full_row))
      es_neighbors_panel_set_row (self->neighbors_panel, (gint64) full_row);
    else
      es_neighbors_panel_set_row (self->neighbors_panel, -1);
  }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
  _es_window_actions_update (self);
}

/* Swaps in a new view and its reduction together, so the plot never shows
 * a set with another set's coordinates.
 */
static void
apply_projection (EsWindow       *self,
                  EsEmbeddingSet *set,
                  EsEmbeddingSet *view_set,
                  EsProjection   *projection,
                  char          **axes)
{
  gboolean new_set = set != self->set;
  gboolean new_view = view_set != self->view_set;
  g_autofree char *word = g_strdup (self->selected_word);

  if (new_set)
    {
      g_array_set_size (self->box_rows, 0);
      g_clear_pointer (&self->set, es_embedding_set_unref);
      self->set = es_embedding_set_ref (set);
      es_word_search_set_embedding_set (self->search, set);
      es_neighbors_panel_set_embedding_set (self->neighbors_panel, set);
      es_analogy_panel_set_embedding_set (self->analogy_panel, set);
      update_warnings (self);
      update_metadata_choices (self);
    }
  if (new_view)
    {
      g_clear_pointer (&self->view_set, es_embedding_set_unref);
      self->view_set = es_embedding_set_ref (view_set);
    }

  g_clear_pointer (&self->projection, es_projection_unref);
  self->projection = es_projection_ref (projection);
  if (axes != self->projection_axes)
    {
      g_clear_pointer (&self->projection_axes, g_strfreev);
      self->projection_axes = g_strdupv (axes);
    }

  update_components (self);
  if (new_set || new_view)
    update_category_choices (self);
  _es_window_plot_update (self);

  /* Keep the selected word across reloads and subsets. */
  {
    gsize row;

    self->selected = -2;
    if (word != NULL && es_embedding_set_lookup (self->view_set, word, &row))
      set_selected (self, (gint64) row);
    else
      set_selected (self, -1);
  }

  update_status (self);
  _es_window_actions_update (self);
}

static void
fill_projection_options (EsWindow            *self,
                         EsEmbeddingSet      *set,
                         EsProjectionOptions *options,
                         char              ***axes,
                         guint              **columns)
{
  EsMethod method = ES_METHOD_PCA;
  gsize dims = es_embedding_set_get_dims (set);

  es_method_from_string (self->method, &method);
  es_projection_options_init (options);
  options->method = method;
  /* An isolated handful of words has fewer components than dimensions. */
  options->n_components = (guint) MIN (MIN ((gsize) MAX_COMPONENTS, dims),
                                       MAX (es_embedding_set_get_n_valid (set), 2) - 1);
  options->n_components = MAX (options->n_components, 1);

  if (method == ES_METHOD_AXES)
    {
      *axes = es_axes_editor_dup_axes (self->axes_editor);
      options->axes = (const char * const *) *axes;
      options->orthogonalize = es_axes_editor_get_orthogonalize (self->axes_editor);
    }
  else if (method == ES_METHOD_IDENTITY)
    {
      guint n = (guint) MIN ((gsize) MAX_IDENTITY_COLUMNS, dims);

      *columns = g_new (guint, n);
      for (guint i = 0; i < n; i++)
        (*columns)[i] = i;
      options->columns = *columns;
      options->n_columns = n;
    }
}

static void
projection_ready_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  EsWindow *self = request->self;
  g_autoptr(EsProjection) projection = NULL;
  g_autoptr(GError) error = NULL;
  EsMethod method = ES_METHOD_PCA;

  projection = es_projection_compute_finish (result, &error);

  /* A newer request replaced this one: drop it silently. */
  if (request->job != self->project_job)
    return;
  set_job (self, &self->project_job, NULL);
  if (request->replaces_set)
    {
      g_clear_pointer (&self->pending_set, es_embedding_set_unref);
      g_clear_pointer (&self->pending_path, g_free);
    }

  es_method_from_string (self->method, &method);
  if (method == ES_METHOD_AXES)
    es_axes_editor_set_error (self->axes_editor, NULL);

  if (projection == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (method == ES_METHOD_AXES)
        es_axes_editor_set_error (self->axes_editor, error->message);
      _es_window_show_error (self, error->message);
      return;
    }

  if (request->replaces_set)
    {
      _es_window_show_error (self, NULL);
      apply_projection (self, request->set, request->set, projection, request->axes);
    }
  else
    apply_projection (self, self->set, request->set, projection, request->axes);
}

static void
start_projection (EsWindow       *self,
                  EsEmbeddingSet *view_set,
                  gboolean        replaces_set,
                  const char     *path)
{
  g_autoptr(EsJob) job = NULL;
  g_auto(GStrv) axes = NULL;
  g_autofree guint *columns = NULL;
  EsProjectionOptions options;
  Request *request;

  /* A method change during the first reduction of a new file must not
   * fall back to the old file: remember which set is on its way.
   */
  if (replaces_set && view_set != self->pending_set)
    {
      g_autoptr(EsEmbeddingSet) keep = es_embedding_set_ref (view_set);
      g_autofree char *keep_path = g_strdup (path);

      g_clear_pointer (&self->pending_set, es_embedding_set_unref);
      g_free (self->pending_path);
      self->pending_set = g_steal_pointer (&keep);
      self->pending_path = g_steal_pointer (&keep_path);
    }

  job = es_job_new (_("Reducing"));
  {
    g_autofree char *message = g_strdup_printf (_("Computing the %s projection…"),
                                                gtk_menu_button_get_label (self->method_button));

    es_job_update (job, 0.0, message);
  }
  set_job (self, &self->project_job, job);

  fill_projection_options (self, view_set, &options, &axes, &columns);

  request = g_new0 (Request, 1);
  request->self = g_object_ref (self);
  request->job = g_object_ref (job);
  request->set = es_embedding_set_ref (view_set);
  request->path = g_strdup (path);
  request->replaces_set = replaces_set;
  request->axes = g_strdupv (axes);

  es_projection_compute_async (view_set, &options, es_job_get_cancellable (job),
                               es_job_progress_cb, job,
                               projection_ready_cb, request);
}

void
_es_window_reproject (EsWindow       *self,
                      EsEmbeddingSet *view_set)
{
  g_return_if_fail (ES_IS_WINDOW (self));

  if (view_set == NULL && self->pending_set != NULL && self->project_job != NULL)
    {
      g_autoptr(EsEmbeddingSet) pending = es_embedding_set_ref (self->pending_set);
      g_autofree char *path = g_strdup (self->pending_path);

      start_projection (self, pending, TRUE, path);
      return;
    }

  if (view_set == NULL)
    view_set = self->view_set;
  if (view_set == NULL)
    return;

  start_projection (self, view_set, FALSE, NULL);
}

static void
load_ready_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  EsWindow *self = request->self;
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(GError) error = NULL;

  set = es_loader_load_path_finish (result, &error);

  if (request->job != self->load_job)
    return;
  set_job (self, &self->load_job, NULL);

  if (set == NULL)
    {
      /* The current dataset stays; the engine's message names file and line. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _es_window_show_error (self, error->message);
      return;
    }

  es_settings_add_recent (request->path);
  es_settings_save ();
  {
    g_autoptr(GFile) file = g_file_new_for_path (request->path);
    g_autofree char *uri = g_file_get_uri (file);

    /* The recent manager writes into the data dir, which may not exist yet. */
    g_mkdir_with_parents (g_get_user_data_dir (), 0700);
    {
      GtkRecentData data = { 0 };

      data.display_name = NULL;
      data.mime_type = (char *) "text/plain";
      data.app_name = (char *) "Embedscope";
      data.app_exec = (char *) "embedscope %f";
      gtk_recent_manager_add_full (gtk_recent_manager_get_default (), uri, &data);
    }
  }
  _es_window_actions_update (self);

  start_projection (self, set, TRUE, request->path);
}

void
_es_window_load_path (EsWindow   *self,
                      const char *path,
                      guint64     limit,
                      const char *metadata_path)
{
  g_autoptr(EsJob) job = NULL;
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *message = g_strdup_printf (_("Loading %s…"), base);
  EsLoadOptions options;
  Request *request;

  g_return_if_fail (ES_IS_WINDOW (self));
  g_return_if_fail (path != NULL);

  /* A new file replaces every running job. */
  set_job (self, &self->project_job, NULL);
  g_clear_pointer (&self->pending_set, es_embedding_set_unref);
  g_clear_pointer (&self->pending_path, g_free);
  job = es_job_new (message);
  es_job_update (job, 0.0, message);
  set_job (self, &self->load_job, job);

  es_load_options_init (&options);
  options.limit = (gsize) limit;
  options.metadata_path = metadata_path;

  request = g_new0 (Request, 1);
  request->self = g_object_ref (self);
  request->job = g_object_ref (job);
  request->path = g_strdup (path);

  es_loader_load_path_async (path, &options, es_job_get_cancellable (job),
                             es_job_progress_cb, job, load_ready_cb, request);
}

/* Rows and dims from the first line when it is a word2vec header, else a
 * guess from the first line and the file size.
 */
static gboolean
estimate_shape (GFile   *file,
                guint64  size,
                guint64 *rows,
                guint64 *dims)
{
  g_autoptr(GFileInputStream) input = g_file_read (file, NULL, NULL);
  g_autoptr(GInputStream) stream = NULL;
  g_autofree char *buffer = NULL;
  g_autofree char *line = NULL;
  const char *newline;
  gsize got = 0;
  guchar magic[2] = { 0, 0 };
  gboolean gzip;
  g_auto(GStrv) fields = NULL;
  gsize length = 0;

  if (input == NULL)
    return FALSE;

  gzip = g_input_stream_read (G_INPUT_STREAM (input), magic, 2, NULL, NULL) == 2 &&
         magic[0] == 0x1f && magic[1] == 0x8b;
  g_seekable_seek (G_SEEKABLE (input), 0, G_SEEK_SET, NULL, NULL);
  if (gzip)
    {
      g_autoptr(GZlibDecompressor) decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);

      stream = g_converter_input_stream_new (G_INPUT_STREAM (input), G_CONVERTER (decompressor));
      /* Text embeddings compress about 3:1. */
      size *= 3;
    }
  else
    stream = g_object_ref (G_INPUT_STREAM (input));

  /* Only the first 64 KiB: a binary file may have no newline at all. */
  buffer = g_malloc (65536 + 1);
  if (!g_input_stream_read_all (stream, buffer, 65536, &got, NULL, NULL) || got == 0)
    return FALSE;
  buffer[got] = '\0';
  newline = memchr (buffer, '\n', got);
  if (newline == NULL)
    return FALSE;
  length = (gsize) (newline - buffer);
  line = g_strndup (buffer, length);
  fields = g_strsplit_set (g_strstrip (line), " \t", -1);
  if (g_strv_length (fields) == 2 &&
      g_ascii_string_to_unsigned (fields[0], 10, 1, G_MAXUINT64, rows, NULL) &&
      g_ascii_string_to_unsigned (fields[1], 10, 1, G_MAXUINT64, dims, NULL))
    return TRUE;

  *dims = MAX (g_strv_length (fields), 2) - 1;
  *rows = size / MAX (length + 1, 1);

  return TRUE;
}

static void
ask_limit_ready_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  guint64 limit = 0;

  if (es_dialogs_ask_limit_finish (result, &limit, NULL))
    _es_window_load_path (request->self, request->path, limit, NULL);
}

void
es_window_open (EsWindow *self,
                GFile    *file)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *path = NULL;
  guint64 rows = 0, dims = 0;

  g_return_if_fail (ES_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);
      g_autofree char *message = g_strdup_printf (_("%s: only local files can be opened"), uri);

      _es_window_show_error (self, message);
      return;
    }

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                            G_FILE_QUERY_INFO_NONE, NULL, NULL);
  /* Big on disk, or big once in memory by its header: ask first. */
  if (info != NULL &&
      estimate_shape (file, (guint64) g_file_info_get_size (info), &rows, &dims) &&
      ((guint64) g_file_info_get_size (info) > LARGE_FILE_BYTES ||
       (double) rows * (double) dims * 4.0 > (double) LARGE_MEMORY_BYTES))
    {
      Request *request = g_new0 (Request, 1);

      request->self = g_object_ref (self);
      request->path = g_steal_pointer (&path);
      es_dialogs_ask_limit_async (GTK_WINDOW (self), g_file_info_get_display_name (info),
                                  rows, dims, NULL, ask_limit_ready_cb, request);
      return;
    }

  _es_window_load_path (self, path, 0, NULL);
}

void
_es_window_join_metadata (EsWindow   *self,
                          const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EsEmbeddingSet) joined = NULL;
  EsFormat format;

  if (self->set == NULL)
    return;

  /* Projector tensors have no words: their metadata is row-aligned, which
   * the loader handles; anything else joins by word.
   */
  format = es_embedding_set_get_format (self->set);
  if ((format == ES_FORMAT_PROJECTOR_TSV || format == ES_FORMAT_PROJECTOR_BYTES ||
       format == ES_FORMAT_NPY) && es_embedding_set_get_path (self->set) != NULL)
    {
      _es_window_load_path (self, es_embedding_set_get_path (self->set), 0, path);
      return;
    }

  joined = es_loader_join_metadata (self->set, path, &error);
  if (joined == NULL)
    {
      _es_window_show_error (self, error->message);
      return;
    }

  _es_window_show_error (self, NULL);
  /* The reduction does not depend on metadata: keep it. */
  {
    g_autoptr(EsProjection) projection = es_projection_ref (self->projection);

    gboolean was_reducing = self->project_job != NULL && self->pending_set == NULL;
    g_autoptr(EsEmbeddingSet) view = es_embedding_set_ref (joined);

    /* Isolated: the same words, now with their metadata. */
    if (self->view_set != self->set)
      {
        gsize n = es_embedding_set_get_rows (self->view_set);
        g_autofree gsize *rows = g_new (gsize, MAX (n, 1));

        for (gsize i = 0; i < n; i++)
          if (!es_embedding_set_lookup (joined, es_embedding_set_get_word (self->view_set, i), &rows[i]))
            rows[i] = 0;
        g_clear_pointer (&view, es_embedding_set_unref);
        view = es_embedding_set_subset (joined, rows, n);
      }

    apply_projection (self, joined, view, projection, self->projection_axes);
    /* A reduction of the set without metadata would bring it back. */
    if (was_reducing)
      _es_window_reproject (self, joined);
  }
}

void
_es_window_select_word (EsWindow   *self,
                        const char *word)
{
  gsize row;

  if (self->view_set == NULL || word == NULL)
    return;

  if (es_embedding_set_lookup (self->view_set, word, &row) ||
      es_embedding_set_lookup_ignore_case (self->view_set, word, &row))
    {
      _es_window_show_error (self, NULL);
      set_selected (self, (gint64) row);
      return;
    }

  {
    g_autofree char *message = g_strdup_printf (_("“%s” is not in the vocabulary"), word);

    _es_window_show_error (self, message);
  }
}

char *
es_window_find_sample (void)
{
  const char *name = "kjv-hamlet-5k-50d.w2v.txt";
  g_autofree char *installed = g_build_filename (PKGDATADIR, name, NULL);
  const char * const *dirs = g_get_system_data_dirs ();

  if (g_file_test (installed, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&installed);

  for (guint i = 0; dirs[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (dirs[i], "embedscope", name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }

  if (g_file_test (SOURCE_SAMPLE, G_FILE_TEST_IS_REGULAR))
    return g_strdup (SOURCE_SAMPLE);

  return NULL;
}

static void
neighbors_changed_cb (EsWindow         *self,
                      EsNeighborsPanel *panel)
{
  _es_window_plot_update_marks (self);
  _es_window_actions_update (self);
}

static void
analogy_changed_cb (EsWindow       *self,
                    EsAnalogyPanel *panel)
{
  _es_window_plot_update_marks (self);
}

static void
axes_changed_cb (EsWindow     *self,
                 EsAxesEditor *editor)
{
  if (g_strcmp0 (self->method, "axes") == 0)
    _es_window_reproject (self, NULL);
}

static void
search_hits_changed_cb (EsWindow     *self,
                        EsWordSearch *search)
{
  _es_window_plot_update_marks (self);
}

static gboolean
filter_timeout_cb (gpointer user_data)
{
  EsWindow *self = user_data;

  self->filter_source = 0;
  _es_window_plot_update (self);

  return G_SOURCE_REMOVE;
}

static void
filter_changed_cb (EsWindow *self)
{
  g_clear_handle_id (&self->filter_source, g_source_remove);
  self->filter_source = g_timeout_add (FILTER_DEBOUNCE_MS, filter_timeout_cb, self);
}

static void
plot_selected_cb (EsWindow      *self,
                  GParamSpec    *pspec,
                  EsScatterView *plot)
{
  set_selected (self, es_scatter_view_get_selected (plot));
}

static void
plot_point_activated_cb (EsWindow      *self,
                         gint64         row,
                         EsScatterView *plot)
{
  set_selected (self, row);
}

static void
plot_rows_selected_cb (EsWindow      *self,
                       GArray        *rows,
                       EsScatterView *plot)
{
  g_array_set_size (self->box_rows, 0);
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      guint32 view_row = g_array_index (rows, guint32, i);
      gsize row;

      if (self->view_set == self->set)
        row = view_row;
      else if (!es_embedding_set_lookup (self->set,
                                         es_embedding_set_get_word (self->view_set, view_row), &row))
        continue;
      g_array_append_val (self->box_rows, row);
    }

  /* Box-selected words are marked like search hits, and Isolate takes them. */
  _es_window_plot_update_marks (self);
  update_status (self);
  _es_window_actions_update (self);
}

/* No limit is 0 words: the spin button says "All" instead. */
static gboolean
top_n_output_cb (GtkSpinButton *spin,
                 EsWindow      *self)
{
  if (gtk_adjustment_get_value (gtk_spin_button_get_adjustment (spin)) >= 0.5)
    return FALSE;

  gtk_editable_set_text (GTK_EDITABLE (spin), _("All"));
  return TRUE;
}

static int
top_n_input_cb (GtkSpinButton *spin,
                double        *value,
                EsWindow      *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (spin))));

  if (*text != '\0' && g_ascii_strcasecmp (text, "all") != 0 && g_utf8_collate (text, _("All")) != 0)
    return FALSE;

  *value = 0;
  return TRUE;
}

static void
color_column_changed_cb (EsWindow *self)
{
  update_category_choices (self);
  filter_changed_cb (self);
}

static gboolean
is_metadata_name (GFile *file)
{
  g_autofree char *base = g_file_get_basename (file);
  g_autofree char *lower = g_ascii_strdown (base != NULL ? base : "", -1);

  return strstr (lower, "metadata") != NULL || strstr (lower, "label") != NULL;
}

/* A file manager offers a file list (text/uri-list); other sources a single
 * file.  Two files, one named like metadata, are a projector pair.
 */
static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         EsWindow      *self)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST) && g_value_get_boxed (value) != NULL)
    {
      GSList *list = gdk_file_list_get_files (g_value_get_boxed (value));

      for (GSList *l = list; l != NULL; l = l->next)
        g_ptr_array_add (files, g_object_ref (l->data));
      g_slist_free (list);
    }
  else if (G_VALUE_HOLDS (value, G_TYPE_FILE) && g_value_get_object (value) != NULL)
    g_ptr_array_add (files, g_object_ref (g_value_get_object (value)));

  if (files->len == 0)
    return FALSE;

  if (files->len == 2 && is_metadata_name (g_ptr_array_index (files, 0)) !=
                         is_metadata_name (g_ptr_array_index (files, 1)))
    {
      guint m = is_metadata_name (g_ptr_array_index (files, 0)) ? 0 : 1;
      g_autofree char *path = g_file_get_path (g_ptr_array_index (files, 1 - m));
      g_autofree char *metadata = g_file_get_path (g_ptr_array_index (files, m));

      if (path != NULL && metadata != NULL)
        {
          _es_window_load_path (self, path, 0, metadata);
          return TRUE;
        }
    }

  es_window_open (self, g_ptr_array_index (files, 0));

  return TRUE;
}

static void
component_setup_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  ellipsize)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  if (GPOINTER_TO_INT (ellipsize))
    {
      /* Room permitting "PC1 (13.3 %)" shows whole and longer expressions
       * end in "…"; a narrow window keeps at least "PC1 (1…".
       */
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (label), 7);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 16);
    }
  gtk_list_item_set_child (item, label);
}

static void
component_bind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  ellipsize)
{
  GtkWidget *label = gtk_list_item_get_child (item);
  const char *text = gtk_string_object_get_string (gtk_list_item_get_item (item));

  gtk_label_set_text (GTK_LABEL (label), text);
}

/* A custom axis is a whole expression: the header button shows its start,
 * the list all of it, so the header keeps fitting a small window.
 */
static void
set_component_factories (GtkDropDown *dropdown)
{
  g_autoptr(GtkListItemFactory) button = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkListItemFactory) list = gtk_signal_list_item_factory_new ();

  g_signal_connect (button, "setup", G_CALLBACK (component_setup_cb), GINT_TO_POINTER (TRUE));
  g_signal_connect (button, "bind", G_CALLBACK (component_bind_cb), NULL);
  g_signal_connect (list, "setup", G_CALLBACK (component_setup_cb), GINT_TO_POINTER (FALSE));
  g_signal_connect (list, "bind", G_CALLBACK (component_bind_cb), NULL);
  gtk_drop_down_set_factory (dropdown, button);
  gtk_drop_down_set_list_factory (dropdown, list);
}

static void
es_window_save_state (EsWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  es_settings_set_int ("window-width", width);
  es_settings_set_int ("window-height", height);
  es_settings_set_boolean ("window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  es_settings_set_string ("method", self->method);
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
  set_job (self, &self->load_job, NULL);
  set_job (self, &self->project_job, NULL);

  return GTK_WINDOW_CLASS (es_window_parent_class)->close_request (window);
}

static void
es_window_dispose (GObject *object)
{
  EsWindow *self = (EsWindow *)object;

  g_clear_handle_id (&self->filter_source, g_source_remove);
  g_clear_handle_id (&self->update_plot_source, g_source_remove);
  if (self->load_job != NULL)
    es_job_cancel (self->load_job);
  g_clear_object (&self->load_job);
  if (self->project_job != NULL)
    es_job_cancel (self->project_job);
  g_clear_object (&self->project_job);
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

  g_clear_pointer (&self->projection, es_projection_unref);
  g_clear_pointer (&self->projection_axes, g_strfreev);
  g_clear_pointer (&self->pending_set, es_embedding_set_unref);
  g_clear_pointer (&self->pending_path, g_free);
  g_clear_pointer (&self->view_set, es_embedding_set_unref);
  g_clear_pointer (&self->set, es_embedding_set_unref);

  G_OBJECT_CLASS (es_window_parent_class)->dispose (object);
}

static void
es_window_finalize (GObject *object)
{
  EsWindow *self = (EsWindow *)object;

  g_clear_pointer (&self->method, g_free);
  g_clear_pointer (&self->selected_word, g_free);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->box_rows, g_array_unref);
  g_clear_pointer (&self->filter_text, g_free);

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
  filter_changed_cb (self);
  update_status (self);
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
        gtk_menu_button_set_label (self->method_button,
                                   parsed == ES_METHOD_PCA ? _("PCA") :
                                   parsed == ES_METHOD_SVD ? _("SVD") :
                                   parsed == ES_METHOD_AXES ? _("Custom Axes") : _("Identity"));
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
          if (g_strcmp0 (self->method, "axes") == 0)
            _es_window_reproject (self, NULL);
          else
            _es_window_plot_update (self);
          update_status (self);
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
      set_selected (self, g_value_get_int64 (value));
      break;

    case PROP_FILTER_REGEX:
      if (self->filter_regex != g_value_get_boolean (value))
        {
          self->filter_regex = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
          filter_changed_cb (self);
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
          filter_changed_cb (self);
        }
      break;

    case PROP_FILTER_TEXT:
      if (g_strcmp0 (self->filter_text, g_value_get_string (value)) != 0)
        {
          g_free (self->filter_text);
          self->filter_text = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
          filter_changed_cb (self);
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
   * registers it, even from a static library.
   */
  g_assert (es_get_resource () != NULL);

  g_type_ensure (ES_TYPE_SCATTER_VIEW);
  g_type_ensure (ES_TYPE_WORD_SEARCH);
  g_type_ensure (ES_TYPE_NEIGHBORS_PANEL);
  g_type_ensure (ES_TYPE_ANALOGY_PANEL);
  g_type_ensure (ES_TYPE_AXES_EDITOR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/embedscope/Embedscope/ui/es-window.ui");
  gtk_widget_class_bind_template_child (widget_class, EsWindow, method_button);
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
  gtk_widget_class_bind_template_callback (widget_class, neighbors_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, analogy_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, axes_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, top_n_output_cb);
  gtk_widget_class_bind_template_callback (widget_class, top_n_input_cb);

  _es_window_class_actions_init (widget_class);
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
  gtk_widget_init_template (GTK_WIDGET (self));

  self->selected = -1;
  self->plot_async_rows = PLOT_ASYNC_ROWS;
  self->box_rows = g_array_new (FALSE, FALSE, sizeof (gsize));
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

  set_component_factories (self->x_dropdown);
  set_component_factories (self->y_dropdown);
  set_component_factories (self->z_dropdown);
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
  g_signal_connect_swapped (self->category_dropdown, "notify::selected", G_CALLBACK (filter_changed_cb), self);
  g_signal_connect_swapped (self->label_dropdown, "notify::selected", G_CALLBACK (filter_changed_cb), self);
  g_signal_connect_swapped (self->color_dropdown, "notify::selected", G_CALLBACK (color_column_changed_cb), self);
  g_signal_connect_swapped (self->plot, "notify::selected", G_CALLBACK (plot_selected_cb), self);
  g_signal_connect_swapped (self->plot, "point-activated", G_CALLBACK (plot_point_activated_cb), self);
  g_signal_connect_swapped (self->plot, "rows-selected", G_CALLBACK (plot_rows_selected_cb), self);
  g_signal_connect_swapped (self->search, "hits-changed", G_CALLBACK (search_hits_changed_cb), self);

  drop = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (drop, (GType[2]) { GDK_TYPE_FILE_LIST, G_TYPE_FILE }, 2);
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
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

  update_status (self);
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

  return self->set;
}

EsEmbeddingSet *
es_window_get_view_set (EsWindow *self)
{
  g_return_val_if_fail (ES_IS_WINDOW (self), NULL);

  return self->view_set;
}

EsProjection *
es_window_get_projection (EsWindow *self)
{
  g_return_val_if_fail (ES_IS_WINDOW (self), NULL);

  return self->projection;
}

gint64
es_window_get_selected (EsWindow *self)
{
  g_return_val_if_fail (ES_IS_WINDOW (self), -1);

  return self->selected;
}

gboolean
es_window_get_busy (EsWindow *self)
{
  g_return_val_if_fail (ES_IS_WINDOW (self), FALSE);

  return self->load_job != NULL || self->project_job != NULL;
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
