/* es-window-export.c: Export… and its actions; the window's coordinates
 * (all shown rows, or the selection with its metadata columns) as TSV
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "es-window-private.h"

#include "es-output.h"
#include "es-writer.h"

#include "es-dialogs.h"

/* The metadata columns after the coordinates, row by row: the writer's
 * lines are the masked rows in order, after the header.
 */
static GString *
append_metadata_columns (GString        *tsv,
                         EsEmbeddingSet *set,
                         const guint8   *mask)
{
  EsMetadata *metadata = es_embedding_set_get_metadata (set);
  guint n_columns = metadata != NULL ? es_metadata_get_n_columns (metadata) : 0;
  GString *out;
  const char *line = tsv->str;
  gsize row = 0;
  gboolean header = TRUE;

  if (n_columns == 0)
    return tsv;
  out = g_string_sized_new (tsv->len * 2);
  while (*line != '\0')
    {
      const char *end = strchr (line, '\n');
      gsize len = end != NULL ? (gsize) (end - line) : strlen (line);

      g_string_append_len (out, line, len);
      if (!header)
        while (row < es_embedding_set_get_rows (set) && !mask[row])
          row++;
      for (guint c = 0; c < n_columns; c++)
        {
          const char *value;
          g_autofree char *clean = NULL;

          /* A joined file's key column repeats the first column. */
          if (g_ascii_strcasecmp (es_metadata_get_column_name (metadata, c), "word") == 0)
            continue;
          value = header ? es_metadata_get_column_name (metadata, c)
                                     : (row < es_metadata_get_n_rows (metadata)
                                        ? es_metadata_get_value (metadata, row, c) : NULL);
          clean = g_strdup (value != NULL ? value : "");

          g_strdelimit (clean, "\t\n\r", ' ');
          g_string_append_c (out, '\t');
          g_string_append (out, clean);
        }
      g_string_append_c (out, '\n');
      if (!header)
        row++;
      header = FALSE;
      line = end != NULL ? end + 1 : line + len;
    }
  g_string_free (tsv, TRUE);

  return out;
}

static gboolean
export_tsv (EsWindow    *self,
            const char  *path,
            gboolean     selection_only,
            GError     **error)
{
  g_autoptr(GString) tsv = NULL;
  g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  g_autofree guint8 *mask = NULL;
  const float *coords;
  guint n_components;
  guint axes[3];
  guint n_axes;
  gsize rows;

  if (es_document_get_view_set (self->document) == NULL || es_document_get_projection (self->document) == NULL || !_es_window_plot_components_valid (self))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", _("There is nothing to export"));
      return FALSE;
    }

  rows = es_projection_get_rows (es_document_get_projection (self->document));
  n_components = es_projection_get_n_components (es_document_get_projection (self->document));
  coords = es_projection_get_coords (es_document_get_projection (self->document));
  axes[0] = self->component_x;
  axes[1] = self->component_y;
  axes[2] = self->component_z;
  n_axes = self->three_d ? 3 : 2;
  if (selection_only)
    {
      gsize n_selected = 0;
      const gsize *selected = es_document_get_selection (self->document, &n_selected);

      mask = g_new0 (guint8, MAX (rows, 1));
      for (gsize i = 0; i < n_selected; i++)
        {
          guint32 view_row;

          if (_es_window_plot_to_view_row (self, selected[i], &view_row) && view_row < rows)
            mask[view_row] = 1;
        }
    }
  else
    mask = _es_window_plot_compute_mask (self, rows);

  for (guint a = 0; a < n_axes; a++)
    {
      char *name = _es_window_component_name (self, axes[a]);
      char *space = strchr (name, ' ');

      /* "PC1 (12.3 %)" -> "PC1", as the CLI writes it; an axis
       * expression stays whole, without tabs.
       */
      if (space != NULL && es_projection_get_method (es_document_get_projection (self->document)) != ES_METHOD_AXES)
        *space = '\0';
      g_strdelimit (name, "\t\n\r", ' ');
      g_ptr_array_add (titles, name);
    }
  for (gsize r = 0; r < rows; r++)
    mask[r] = mask[r] && es_embedding_set_is_row_valid (es_document_get_view_set (self->document), r);

  tsv = es_writer_coordinates_tsv (es_document_get_view_set (self->document), coords, n_components, axes,
                                   (const char * const *) titles->pdata, n_axes, mask, error);
  if (tsv == NULL)
    return FALSE;
  if (selection_only)
    tsv = append_metadata_columns (tsv, es_document_get_view_set (self->document), mask);

  /* es_output: a temporary file renamed into place, never a truncated file. */
  return es_output_write_file (path, tsv->str, tsv->len, error);
}

gboolean
_es_window_plot_export_tsv (EsWindow    *self,
                            const char  *path,
                            GError     **error)
{
  return export_tsv (self, path, FALSE, error);
}

/* The selected words shown in this view, with their metadata columns. */
gboolean
_es_window_plot_export_selection_tsv (EsWindow    *self,
                                      const char  *path,
                                      GError     **error)
{
  gsize n_selected = 0;

  es_document_get_selection (self->document, &n_selected);
  if (n_selected == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", _("Nothing is selected"));
      return FALSE;
    }
  return export_tsv (self, path, TRUE, error);
}

static const char *
kind_extension (const char *kind)
{
  if (g_str_equal (kind, "coordinates") || g_str_equal (kind, "neighbors") ||
      g_str_equal (kind, "selection"))
    return "tsv";
  if (g_str_equal (kind, "png-2x"))
    return "png";

  return kind;
}

/* The image format follows the name, so a name without it gets it. */
static char *
with_extension (const char *path,
                const char *extension)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);
  g_autofree char *suffix = g_strconcat (".", extension, NULL);

  if (g_str_has_suffix (lower, suffix))
    return g_strdup (path);

  return g_strconcat (path, suffix, NULL);
}

/* The path an export of @kind to @path writes. */
static char *
export_path (const char *kind,
             const char *path)
{
  if (g_str_equal (kind, "png") || g_str_equal (kind, "svg") || g_str_equal (kind, "pdf"))
    return with_extension (path, kind);
  if (g_str_equal (kind, "png-2x"))
    return with_extension (path, "png");
  return g_strdup (path);
}

gboolean
_es_window_export (EsWindow    *self,
                   const char  *kind,
                   const char  *path,
                   GError     **error)
{
  if (g_str_equal (kind, "png") || g_str_equal (kind, "svg") || g_str_equal (kind, "pdf"))
    {
      g_autofree char *named = with_extension (path, kind);

      return es_scatter_view_export (self->plot, named, 0, 0, error);
    }

  if (g_str_equal (kind, "png-2x"))
    {
      g_autofree char *named = with_extension (path, "png");
      int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self->plot)) * 2;

      /* The same view at twice the pixels, for print and slides. */
      return es_scatter_view_export (self->plot, named,
                                     gtk_widget_get_width (GTK_WIDGET (self->plot)) * scale,
                                     gtk_widget_get_height (GTK_WIDGET (self->plot)) * scale,
                                     error);
    }

  if (g_str_equal (kind, "coordinates"))
    return _es_window_plot_export_tsv (self, path, error);
  if (g_str_equal (kind, "selection"))
    return _es_window_plot_export_selection_tsv (self, path, error);

  if (g_str_equal (kind, "neighbors"))
    {
      g_autofree char *tsv = es_neighbors_panel_dup_tsv (self->neighbors_panel);

      if (tsv == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                       _("Select a word first: there is no neighbour list"));
          return FALSE;
        }
      return es_output_write_file (path, tsv, strlen (tsv), error);
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Unknown export kind “%s”", kind);
  return FALSE;
}

typedef struct
{
  EsWindow *self;
  char     *kind;
  int       width;    /* PNG only: 0 for the view's size */
  int       height;
} ExportRequest;

static void
export_request_free (ExportRequest *request)
{
  g_object_unref (request->self);
  g_free (request->kind);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ExportRequest, export_request_free)

/* Nothing on screen changes after an export: say where it went. */
static void
saved_feedback (EsWindow   *self,
                const char *path)
{
  g_autofree char *display = g_filename_display_basename (path);
  g_autofree char *message = g_strdup_printf (_("Saved %s"), display);

  _es_window_show_feedback (self, message);
}

static void
export_ready_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ExportRequest) request = user_data;
  g_autoptr(GFile) file = es_dialogs_save_finish (result, NULL);
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *named = NULL;
  gboolean done;

  if (path == NULL)
    return;

  if (request->width > 0 && request->height > 0)
    {
      named = with_extension (path, "png");
      done = es_scatter_view_export (request->self->plot, named, request->width, request->height, &error);
    }
  else
    {
      named = export_path (request->kind, path);
      done = _es_window_export (request->self, request->kind, path, &error);
    }

  if (!done)
    es_dialogs_show_error (GTK_WINDOW (request->self), _("Could not export"), error->message);
  else
    saved_feedback (request->self, named);
}

static char *
export_name (EsWindow   *self,
             const char *kind)
{
  g_autofree char *base = NULL;
  char *dot;

  base = g_path_get_basename (es_document_get_set (self->document) != NULL && es_embedding_set_get_path (es_document_get_set (self->document)) != NULL
                              ? es_embedding_set_get_path (es_document_get_set (self->document)) : "embedding");
  if ((dot = strchr (base, '.')) != NULL)
    *dot = '\0';
  if (g_str_equal (kind, "selection"))
    return g_strdup_printf ("%s-selection.tsv", base);
  if (g_str_equal (kind, "neighbors"))
    return g_strdup_printf ("%s-neighbours-%s.tsv", base,
                            es_document_get_focus_word (self->document) != NULL ? es_document_get_focus_word (self->document) : "");

  return g_strdup_printf ("%s-%s.%s", base, self->method, kind_extension (kind));
}

static void
image_size_ready_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(ExportRequest) request = user_data;
  g_autofree char *name = NULL;
  int width = 0, height = 0;
  EsWindow *self;

  if (!es_dialogs_ask_image_size_finish (result, &width, &height, NULL))
    return;

  self = request->self;
  request->width = width;
  request->height = height;
  name = export_name (self, request->kind);
  es_dialogs_save_async (GTK_WINDOW (self), ES_FILE_KIND_PNG, name, self->dialog_cancellable,
                         export_ready_cb, g_steal_pointer (&request));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  EsWindow *self = ES_WINDOW (widget);
  const char *kind = g_variant_get_string (param, NULL);
  g_autofree char *name = NULL;
  ExportRequest *request;
  EsFileKind file_kind;

  if (g_str_equal (kind, "png") || g_str_equal (kind, "png-2x"))
    file_kind = ES_FILE_KIND_PNG;
  else if (g_str_equal (kind, "svg"))
    file_kind = ES_FILE_KIND_SVG;
  else if (g_str_equal (kind, "pdf"))
    file_kind = ES_FILE_KIND_PDF;
  else if (g_str_equal (kind, "coordinates") || g_str_equal (kind, "neighbors") ||
           g_str_equal (kind, "selection"))
    file_kind = ES_FILE_KIND_TSV;
  else
    return;

  request = g_new0 (ExportRequest, 1);
  request->self = g_object_ref (self);
  request->kind = g_strdup (kind);

  /* A PNG's pixel size first (the view's, at a scale, or any), then where. */
  if (g_str_equal (kind, "png"))
    {
      GtkWidget *plot = GTK_WIDGET (self->plot);

      es_dialogs_ask_image_size_async (GTK_WINDOW (self),
                                       MAX (gtk_widget_get_width (plot), 1),
                                       MAX (gtk_widget_get_height (plot), 1),
                                       gtk_widget_get_scale_factor (plot),
                                       self->dialog_cancellable, image_size_ready_cb, request);
      return;
    }

  name = export_name (self, kind);
  es_dialogs_save_async (GTK_WINDOW (self), file_kind, name, self->dialog_cancellable,
                         export_ready_cb, request);
}

static void
export_to_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  EsWindow *self = ES_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  const char *kind;
  const char *path;

  g_variant_get (param, "(&s&s)", &kind, &path);
  if (!_es_window_export (self, kind, path, &error))
    _es_window_show_error (self, error->message);
  else
    {
      g_autofree char *named = export_path (kind, path);

      saved_feedback (self, named);
    }
}

/* Its own action, so the menu item is greyed out without a neighbour list. */
static void
export_neighbors_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  gtk_widget_activate_action (widget, "win.export", "s", "neighbors");
}

static void
export_png_to_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  EsWindow *self = ES_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *named = NULL;
  const char *path;
  int width, height;

  g_variant_get (param, "(&sii)", &path, &width, &height);
  named = with_extension (path, "png");
  if (width <= 0 || height <= 0)
    _es_window_show_error (self, _("The image needs a width and a height"));
  else if (!es_scatter_view_export (self->plot, named, width, height, &error))
    _es_window_show_error (self, error->message);
  else
    saved_feedback (self, named);
}

static void
export_selection_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  gtk_widget_activate_action (widget, "win.export", "s", "selection");
}

/* The export actions: Export… (a file chooser, then the writer its kind
 * names), the scripted export-to and export-png-to, the neighbour list and
 * the selection.
 */
void
_es_window_export_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.export-selection", NULL, export_selection_action);
  gtk_widget_class_install_action (widget_class, "win.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "win.export-to", "(ss)", export_to_action);
  gtk_widget_class_install_action (widget_class, "win.export-neighbors", NULL, export_neighbors_action);
  gtk_widget_class_install_action (widget_class, "win.export-png-to", "(sii)", export_png_to_action);
}
