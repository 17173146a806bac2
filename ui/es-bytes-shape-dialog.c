/* es-bytes-shape-dialog.c: ROWS × DIMS for a raw projector .bytes file
 *
 * Raw float32 has no header: the shape comes from its projector config,
 * or from the user.  The dialog offers the shapes the size allows (the
 * one a metadata file beside it implies first) and takes any other whose
 * product matches.  The widgets are named for tests ("shapes", "rows",
 * "dims", "ok").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-bytes-shape-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "es-bytes-shape-dialog.h"
#include "es-bytes-shape.h"

typedef struct
{
  GtkWidget     *dialog;
  GtkDropDown   *shapes_dropdown;
  GtkSpinButton *rows;
  GtkSpinButton *dims;
  GtkWidget     *ok;
  GtkLabel      *check;
  GArray        *shapes;
  guint64        n_floats;
  gboolean       updating;
  gboolean       answered;
} ShapeDialog;

static void
shape_dialog_free (ShapeDialog *sd)
{
  g_clear_pointer (&sd->shapes, g_array_unref);
  g_free (sd);
}

static void
update_check (ShapeDialog *sd)
{
  guint64 rows = (guint64) gtk_spin_button_get_value (sd->rows);
  guint64 dims = (guint64) gtk_spin_button_get_value (sd->dims);
  gboolean fits = rows > 0 && dims > 0 && rows * dims == sd->n_floats;

  gtk_widget_set_sensitive (sd->ok, fits);
  if (fits)
    gtk_label_set_text (sd->check, "");
  else
    {
      g_autofree char *text = g_strdup_printf (_("%" G_GUINT64_FORMAT " × %" G_GUINT64_FORMAT
                                                 " is not the file's %" G_GUINT64_FORMAT " numbers"),
                                               rows, dims, sd->n_floats);

      gtk_label_set_text (sd->check, text);
    }
}

static void
shape_chosen_cb (GtkDropDown *dropdown,
                 GParamSpec  *pspec,
                 ShapeDialog *sd)
{
  guint i = gtk_drop_down_get_selected (dropdown);

  if (i == GTK_INVALID_LIST_POSITION || i >= sd->shapes->len || sd->updating)
    return;
  sd->updating = TRUE;
  gtk_spin_button_set_value (sd->rows, (double) g_array_index (sd->shapes, EsBytesShape, i).rows);
  gtk_spin_button_set_value (sd->dims, (double) g_array_index (sd->shapes, EsBytesShape, i).dims);
  sd->updating = FALSE;
  update_check (sd);
}

/* Typing the rows fills in the dimensions when they divide evenly. */
static void
rows_changed_cb (GtkSpinButton *spin,
                 ShapeDialog   *sd)
{
  guint64 rows = (guint64) gtk_spin_button_get_value (spin);

  if (!sd->updating && rows > 0 && sd->n_floats % rows == 0)
    {
      sd->updating = TRUE;
      gtk_spin_button_set_value (sd->dims, (double) (sd->n_floats / rows));
      sd->updating = FALSE;
    }
  update_check (sd);
}

static void
dims_changed_cb (GtkSpinButton *spin,
                 ShapeDialog   *sd)
{
  update_check (sd);
}

static void
response_cb (GtkDialog *dialog,
             int        response,
             GTask     *task)
{
  ShapeDialog *sd = g_task_get_task_data (task);

  sd->answered = TRUE;
  if (response == GTK_RESPONSE_ACCEPT && gtk_widget_get_sensitive (sd->ok))
    {
      guint64 *answer = g_new (guint64, 2);

      answer[0] = (guint64) gtk_spin_button_get_value (sd->rows);
      answer[1] = (guint64) gtk_spin_button_get_value (sd->dims);
      g_task_return_pointer (task, answer, g_free);
    }
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("Cancelled"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_unref (task);
}

/* Destroyed with its parent window, unanswered: a cancellation, so that
 * the caller's data (and the window it holds) is released.
 */
static void
destroy_cb (GtkWidget *dialog,
            GTask     *task)
{
  ShapeDialog *sd = g_task_get_task_data (task);

  if (sd->answered)
    return;
  sd->answered = TRUE;
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("Cancelled"));
  g_object_unref (task);
}

void
es_bytes_shape_dialog_ask_async (GtkWindow           *parent,
                                 const char          *display_name,
                                 guint64              file_size,
                                 GArray              *shapes,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  ShapeDialog *sd = g_new0 (ShapeDialog, 1);
  GtkWidget *area, *grid, *label;
  g_autofree char *size = g_format_size (file_size);
  g_autofree char *text = NULL;
  GTask *task;

  g_return_if_fail (shapes != NULL && shapes->len > 0);

  /* No reference to @parent: closing it must dispose it, which destroys
   * the dialog with it.
   */
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, es_bytes_shape_dialog_ask_async);
  sd->shapes = g_array_ref (shapes);
  sd->n_floats = file_size / 4;
  g_task_set_task_data (task, sd, (GDestroyNotify) shape_dialog_free);

  text = g_strdup_printf (_("%s (%s) is raw float32 numbers without its projector_config.json: "
                            "how many rows (points) and dimensions does it hold?"), display_name, size);
  sd->dialog = gtk_message_dialog_new (parent, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                       GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE, "%s",
                                       _("Shape of the tensor file"));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (sd->dialog), "%s", text);
  gtk_dialog_add_button (GTK_DIALOG (sd->dialog), _("_Cancel"), GTK_RESPONSE_CANCEL);
  sd->ok = gtk_dialog_add_button (GTK_DIALOG (sd->dialog), _("_Open"), GTK_RESPONSE_ACCEPT);
  gtk_widget_set_name (sd->ok, "ok");
  gtk_dialog_set_default_response (GTK_DIALOG (sd->dialog), GTK_RESPONSE_ACCEPT);

  for (guint i = 0; i < shapes->len; i++)
    {
      EsBytesShape *s = &g_array_index (shapes, EsBytesShape, i);

      if (s->source != NULL)
        {
          g_autofree char *base = g_filename_display_basename (s->source);

          g_ptr_array_add (names, g_strdup_printf (_("%" G_GUINT64_FORMAT " × %" G_GUINT64_FORMAT
                                                     " (rows of %s)"), s->rows, s->dims, base));
        }
      else
        g_ptr_array_add (names, g_strdup_printf ("%" G_GUINT64_FORMAT " × %" G_GUINT64_FORMAT,
                                                 s->rows, s->dims));
    }
  g_ptr_array_add (names, NULL);

  grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  label = gtk_label_new_with_mnemonic (_("Sh_apes that fit"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  sd->shapes_dropdown = GTK_DROP_DOWN (gtk_drop_down_new_from_strings ((const char * const *) names->pdata));
  gtk_widget_set_name (GTK_WIDGET (sd->shapes_dropdown), "shapes");
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (sd->shapes_dropdown));
  gtk_grid_attach (GTK_GRID (grid), label, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (sd->shapes_dropdown), 1, 0, 1, 1);

  label = gtk_label_new_with_mnemonic (_("_Rows"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  sd->rows = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (1, (double) MAX (sd->n_floats, 1), 1));
  gtk_widget_set_name (GTK_WIDGET (sd->rows), "rows");
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (sd->rows));
  gtk_grid_attach (GTK_GRID (grid), label, 0, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (sd->rows), 1, 1, 1, 1);

  label = gtk_label_new_with_mnemonic (_("_Dimensions"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  sd->dims = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (1, (double) MAX (sd->n_floats, 1), 1));
  gtk_widget_set_name (GTK_WIDGET (sd->dims), "dims");
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (sd->dims));
  gtk_grid_attach (GTK_GRID (grid), label, 0, 2, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (sd->dims), 1, 2, 1, 1);

  sd->check = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (sd->check), "error");
  gtk_label_set_wrap (sd->check, TRUE);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (sd->check), 0, 3, 2, 1);

  area = gtk_message_dialog_get_message_area (GTK_MESSAGE_DIALOG (sd->dialog));
  gtk_box_append (GTK_BOX (area), grid);

  g_signal_connect (sd->shapes_dropdown, "notify::selected", G_CALLBACK (shape_chosen_cb), sd);
  g_signal_connect (sd->rows, "value-changed", G_CALLBACK (rows_changed_cb), sd);
  g_signal_connect (sd->dims, "value-changed", G_CALLBACK (dims_changed_cb), sd);
  shape_chosen_cb (sd->shapes_dropdown, NULL, sd);

  g_signal_connect (sd->dialog, "response", G_CALLBACK (response_cb), task);
  g_signal_connect (sd->dialog, "destroy", G_CALLBACK (destroy_cb), task);
  /* Closing the window closes its question too (destroy-with-parent waits
   * for the parent's dispose, which a mapped modal child can hold off).
   */
  if (parent != NULL)
    g_signal_connect_object (parent, "unrealize", G_CALLBACK (gtk_window_destroy), sd->dialog,
                             G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (sd->dialog));
}

gboolean
es_bytes_shape_dialog_ask_finish (GAsyncResult  *result,
                                  guint64       *rows,
                                  guint64       *dims,
                                  GError       **error)
{
  g_autofree guint64 *answer = NULL;

  g_return_val_if_fail (G_IS_TASK (result), FALSE);

  answer = g_task_propagate_pointer (G_TASK (result), error);
  if (answer == NULL)
    return FALSE;
  *rows = answer[0];
  *dims = answer[1];
  return TRUE;
}
