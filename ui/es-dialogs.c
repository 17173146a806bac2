/* es-dialogs.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-dialogs"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "es-dialogs.h"

static void
add_filter (GtkFileChooser *chooser,
            const char     *name,
            const char     *patterns)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_auto(GStrv) split = g_strsplit (patterns, ";", -1);

  gtk_file_filter_set_name (filter, name);
  for (guint i = 0; split[i] != NULL; i++)
    gtk_file_filter_add_pattern (filter, split[i]);
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
add_filters (GtkFileChooser *chooser,
             EsFileKind      kind)
{
  switch (kind)
    {
    case ES_FILE_KIND_EMBEDDING:
      add_filter (chooser, _("All supported formats"),
                  "*.txt;*.vec;*.bin;*.w2v;*.tsv;*.bytes;*.npy;*.gz;*.json");
      add_filter (chooser, _("word2vec text, GloVe, fastText (.txt, .vec)"),
                  "*.txt;*.vec;*.w2v;*.txt.gz;*.vec.gz");
      add_filter (chooser, _("word2vec binary (.bin)"), "*.bin;*.bin.gz");
      add_filter (chooser, _("TensorBoard projector (.tsv, .bytes, .json)"),
                  "*.tsv;*.bytes;*.json");
      add_filter (chooser, _("NumPy array (.npy)"), "*.npy");
      add_filter (chooser, _("All files"), "*");
      break;

    case ES_FILE_KIND_EMBEDDING_OR_CORPUS:
      add_filters (chooser, ES_FILE_KIND_EMBEDDING);
      add_filter (chooser, _("Text corpus or Matrix Market (.txt, .mtx)"), "*.txt;*.cor;*.mtx;*.gz");
      /* A text file opens as a corpus only when asked: never by sniffing. */
      {
        const char *ids[] = { "embedding", "corpus", NULL };
        const char *labels[] = { _("Embedding (recognised by its content)"),
                                 _("Text corpus (count words → LSA vectors)"), NULL };

        gtk_file_chooser_add_choice (chooser, "open-as", _("Open as"), ids, labels);
        gtk_file_chooser_set_choice (chooser, "open-as", "embedding");
      }
      break;

    case ES_FILE_KIND_CORPUS:
      add_filter (chooser, _("Text corpus or Matrix Market (.txt, .mtx)"), "*.txt;*.cor;*.mtx;*.gz;*.mtx.gz");
      add_filter (chooser, _("All files"), "*");
      break;

    case ES_FILE_KIND_VECTORS:
      add_filter (chooser, _("word2vec text (.txt), binary (.bin), GloVe (glove in the name), NumPy (.npy)"),
                  "*.txt;*.vec;*.bin;*.npy");
      add_filter (chooser, _("All files"), "*");
      break;

    case ES_FILE_KIND_METADATA:
      add_filter (chooser, _("Metadata (.tsv, .txt)"), "*.tsv;*.txt");
      add_filter (chooser, _("All files"), "*");
      break;

    case ES_FILE_KIND_PNG:
      add_filter (chooser, _("PNG image"), "*.png");
      break;

    case ES_FILE_KIND_SVG:
      add_filter (chooser, _("SVG image"), "*.svg");
      break;

    case ES_FILE_KIND_PDF:
      add_filter (chooser, _("PDF document"), "*.pdf");
      break;

    case ES_FILE_KIND_TSV:
      add_filter (chooser, _("Tab-separated values"), "*.tsv");
      break;

    case ES_FILE_KIND_SESSION:
      add_filter (chooser, _("Embedscope session (.embedscope)"), "*.embedscope");
      add_filter (chooser, _("All files"), "*");
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
file_chooser_response_cb (GtkNativeDialog *native,
                          int              response,
                          gpointer         user_data)
{
  g_autoptr(GTask) task = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      GFile *file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
      /* Only Open… has the choice (asking another chooser warns). */
      const char *open_as = g_object_get_data (G_OBJECT (native), "es-open-as") != NULL
                            ? gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (native), "open-as") : NULL;

      if (file != NULL && g_strcmp0 (open_as, "corpus") == 0)
        g_object_set_data (G_OBJECT (file), "es-open-as-corpus", GINT_TO_POINTER (TRUE));
      if (file != NULL)
        g_task_return_pointer (task, file, g_object_unref);
      else
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", "No file chosen");
    }
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", "Dismissed");

  gtk_native_dialog_destroy (native);
  g_object_unref (native);
}

static void
run_chooser (GtkWindow            *parent,
             GtkFileChooserAction  action,
             const char           *title,
             const char           *accept,
             EsFileKind            kind,
             const char           *suggested_name,
             gpointer              source_tag,
             GCancellable         *cancellable,
             GAsyncReadyCallback   callback,
             gpointer              user_data)
{
  GtkFileChooserNative *native;
  GTask *task;

  task = g_task_new (parent, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  /* The ref from _new is ours until the response. */
  native = gtk_file_chooser_native_new (title, parent, action, accept, _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  add_filters (GTK_FILE_CHOOSER (native), kind);
  if (kind == ES_FILE_KIND_EMBEDDING_OR_CORPUS)
    g_object_set_data (G_OBJECT (native), "es-open-as", GINT_TO_POINTER (TRUE));
  if (suggested_name != NULL)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), suggested_name);
  g_signal_connect (native, "response", G_CALLBACK (file_chooser_response_cb), task);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

void
es_dialogs_open_async (GtkWindow           *parent,
                       EsFileKind           kind,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  const char *title = kind == ES_FILE_KIND_METADATA ? _("Open Metadata") :
                      kind == ES_FILE_KIND_CORPUS ? _("Open Corpus") :
                      kind == ES_FILE_KIND_SESSION ? _("Open Session") : _("Open Embedding");

  run_chooser (parent, GTK_FILE_CHOOSER_ACTION_OPEN, title, _("_Open"), kind, NULL,
               es_dialogs_open_async, cancellable, callback, user_data);
}

gboolean
es_dialogs_file_is_corpus (GFile *file)
{
  return file != NULL && g_object_get_data (G_OBJECT (file), "es-open-as-corpus") != NULL;
}

GFile *
es_dialogs_open_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
es_dialogs_save_async (GtkWindow           *parent,
                       EsFileKind           kind,
                       const char          *suggested_name,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  run_chooser (parent, GTK_FILE_CHOOSER_ACTION_SAVE,
               kind == ES_FILE_KIND_SESSION ? _("Save Session") : _("Export"),
               kind == ES_FILE_KIND_SESSION ? _("_Save") : _("_Export"), kind,
               suggested_name, es_dialogs_save_async, cancellable, callback, user_data);
}

GFile *
es_dialogs_save_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
es_dialogs_format_memory (guint64 rows,
                          guint64 dims)
{
  double bytes = (double) rows * (double) dims * 4.0;

  return g_format_size ((guint64) MIN (bytes, (double) G_MAXUINT64));
}

typedef struct
{
  GtkSpinButton *spin;
  GtkLabel      *memory;
  guint64        dims;
} LimitDialog;

static void
limit_changed_cb (GtkSpinButton *spin,
                  LimitDialog   *ld)
{
  g_autofree char *size = es_dialogs_format_memory ((guint64) gtk_spin_button_get_value (spin),
                                                    ld->dims);
  g_autofree char *text = g_strdup_printf (_("Memory needed: %s"), size);

  gtk_label_set_text (ld->memory, text);
}

static void
limit_response_cb (GtkDialog *dialog,
                   int        response,
                   gpointer   user_data)
{
  g_autoptr(GTask) task = user_data;
  LimitDialog *ld = g_task_get_task_data (task);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      guint64 *limit = g_new (guint64, 1);

      *limit = (guint64) gtk_spin_button_get_value (ld->spin);
      g_task_return_pointer (task, limit, g_free);
    }
  else if (response == GTK_RESPONSE_APPLY)
    {
      guint64 *limit = g_new0 (guint64, 1);

      g_task_return_pointer (task, limit, g_free);
    }
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", "Dismissed");

  gtk_window_destroy (GTK_WINDOW (dialog));
}

void
es_dialogs_ask_limit_async (GtkWindow           *parent,
                            const char          *display_name,
                            guint64              rows,
                            guint64              dims,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autofree char *all_size = es_dialogs_format_memory (rows, dims);
  GtkWidget *dialog;
  GtkWidget *area;
  GtkWidget *box;
  LimitDialog *ld;
  GTask *task;

  task = g_task_new (parent, cancellable, callback, user_data);
  g_task_set_source_tag (task, es_dialogs_ask_limit_async);
  ld = g_new0 (LimitDialog, 1);
  ld->dims = dims;
  g_task_set_task_data (task, ld, g_free);

  dialog = gtk_message_dialog_new (parent,
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION,
                                   GTK_BUTTONS_NONE,
                                   _("“%s” is large"), display_name);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog),
                                            _("About %" G_GUINT64_FORMAT " words of %"
                                              G_GUINT64_FORMAT " dimensions need %s. "
                                              "You can load only the first (most frequent) words."),
                                            rows, dims, all_size);
  gtk_dialog_add_buttons (GTK_DIALOG (dialog),
                          _("_Cancel"), GTK_RESPONSE_CANCEL,
                          _("Load _All"), GTK_RESPONSE_APPLY,
                          _("_Load First Words"), GTK_RESPONSE_ACCEPT,
                          NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);

  area = gtk_message_dialog_get_message_area (GTK_MESSAGE_DIALOG (dialog));
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_append (GTK_BOX (box), gtk_label_new (_("Words to load:")));
  ld->spin = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (1000, MAX (rows, 1000), 1000));
  gtk_spin_button_set_value (ld->spin, MIN (rows, 100000));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (ld->spin));
  gtk_box_append (GTK_BOX (area), box);
  ld->memory = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (ld->memory, 0.0f);
  gtk_box_append (GTK_BOX (area), GTK_WIDGET (ld->memory));
  g_signal_connect (ld->spin, "value-changed", G_CALLBACK (limit_changed_cb), ld);
  limit_changed_cb (ld->spin, ld);

  g_signal_connect (dialog, "response", G_CALLBACK (limit_response_cb), task);
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
es_dialogs_ask_limit_finish (GAsyncResult  *result,
                             guint64       *limit,
                             GError       **error)
{
  g_autofree guint64 *value = NULL;

  g_return_val_if_fail (G_IS_TASK (result), FALSE);

  value = g_task_propagate_pointer (G_TASK (result), error);
  if (value == NULL)
    return FALSE;
  if (limit != NULL)
    *limit = *value;

  return TRUE;
}

static void
number_response_cb (GtkDialog *dialog,
                    int        response,
                    GTask     *task)
{
  GtkSpinButton *spin = g_task_get_task_data (task);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      guint64 *value = g_new (guint64, 1);

      *value = (guint64) gtk_spin_button_get_value_as_int (spin);
      g_task_return_pointer (task, value, g_free);
    }
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
  g_object_unref (task);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

void
es_dialogs_ask_number_async (GtkWindow           *parent,
                             const char          *title,
                             const char          *text,
                             const char          *label,
                             guint64              initial,
                             guint64              min,
                             guint64              max,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GtkWidget *dialog, *area, *box, *spin;
  GTask *task;

  task = g_task_new (parent, cancellable, callback, user_data);
  g_task_set_source_tag (task, es_dialogs_ask_number_async);

  dialog = gtk_message_dialog_new (parent, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE, "%s", title);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", text);
  gtk_dialog_add_buttons (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL,
                          _("_OK"), GTK_RESPONSE_ACCEPT, NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);

  area = gtk_message_dialog_get_message_area (GTK_MESSAGE_DIALOG (dialog));
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_append (GTK_BOX (box), gtk_label_new (label));
  max = MAX (max, min);
  spin = gtk_spin_button_new_with_range ((double) min, (double) max, 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), (double) CLAMP (initial, min, max));
  gtk_box_append (GTK_BOX (box), spin);
  gtk_box_append (GTK_BOX (area), box);
  g_task_set_task_data (task, spin, NULL);

  g_signal_connect (dialog, "response", G_CALLBACK (number_response_cb), task);
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
es_dialogs_ask_number_finish (GAsyncResult  *result,
                              guint64       *value,
                              GError       **error)
{
  g_autofree guint64 *answer = NULL;

  g_return_val_if_fail (G_IS_TASK (result), FALSE);

  answer = g_task_propagate_pointer (G_TASK (result), error);
  if (answer == NULL)
    return FALSE;
  if (value != NULL)
    *value = *answer;
  return TRUE;
}

/* Cairo's image surfaces stop at 32767; this keeps one export under 1 GiB. */
#define MAX_IMAGE_SIDE 16384
#define MAX_SCALE      4

typedef struct
{
  GtkSpinButton   *width;
  GtkSpinButton   *height;
  GtkCheckButton  *keep_ratio;
  GtkToggleButton *scales[MAX_SCALE];
  GtkLabel        *memory;
  double           ratio;      /* view width / height */
  int              view_width;
  int              view_height;
  gboolean         updating;
} SizeDialog;

static void
size_sync_scales (SizeDialog *sd)
{
  int w = gtk_spin_button_get_value_as_int (sd->width);
  int h = gtk_spin_button_get_value_as_int (sd->height);

  /* A scale button stays down only while the size is exactly that scale. */
  for (int s = 1; s <= MAX_SCALE; s++)
    gtk_toggle_button_set_active (sd->scales[s - 1],
                                  w == sd->view_width * s && h == sd->view_height * s);
}

static void
size_update_memory (SizeDialog *sd)
{
  guint64 bytes = (guint64) gtk_spin_button_get_value_as_int (sd->width) *
                  (guint64) gtk_spin_button_get_value_as_int (sd->height) * 4;
  g_autofree char *size = g_format_size (bytes);
  g_autofree char *text = g_strdup_printf (_("Memory needed while rendering: %s"), size);

  gtk_label_set_text (sd->memory, text);
}

static void
size_width_changed_cb (GtkSpinButton *spin,
                       SizeDialog    *sd)
{
  if (sd->updating)
    return;
  sd->updating = TRUE;
  if (gtk_check_button_get_active (sd->keep_ratio))
    gtk_spin_button_set_value (sd->height, round (gtk_spin_button_get_value (spin) / sd->ratio));
  size_sync_scales (sd);
  size_update_memory (sd);
  sd->updating = FALSE;
}

static void
size_height_changed_cb (GtkSpinButton *spin,
                        SizeDialog    *sd)
{
  if (sd->updating)
    return;
  sd->updating = TRUE;
  if (gtk_check_button_get_active (sd->keep_ratio))
    gtk_spin_button_set_value (sd->width, round (gtk_spin_button_get_value (spin) * sd->ratio));
  size_sync_scales (sd);
  size_update_memory (sd);
  sd->updating = FALSE;
}

static void
size_scale_toggled_cb (GtkToggleButton *button,
                       SizeDialog      *sd)
{
  int scale = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "scale"));

  if (sd->updating || !gtk_toggle_button_get_active (button))
    return;
  sd->updating = TRUE;
  gtk_spin_button_set_value (sd->width, sd->view_width * scale);
  gtk_spin_button_set_value (sd->height, sd->view_height * scale);
  size_sync_scales (sd);
  size_update_memory (sd);
  sd->updating = FALSE;
}

static void
size_response_cb (GtkDialog *dialog,
                  int        response,
                  gpointer   user_data)
{
  g_autoptr(GTask) task = user_data;
  SizeDialog *sd = g_task_get_task_data (task);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      int *size = g_new (int, 2);

      gtk_spin_button_update (sd->width);
      gtk_spin_button_update (sd->height);
      size[0] = gtk_spin_button_get_value_as_int (sd->width);
      size[1] = gtk_spin_button_get_value_as_int (sd->height);
      g_task_return_pointer (task, size, g_free);
    }
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", "Dismissed");

  gtk_window_destroy (GTK_WINDOW (dialog));
}

static GtkWidget *
size_row_label (const char *text,
                GtkWidget  *mnemonic_widget)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  gtk_label_set_xalign (GTK_LABEL (label), 1.0f);
  if (mnemonic_widget != NULL)
    gtk_label_set_mnemonic_widget (GTK_LABEL (label), mnemonic_widget);
  return label;
}

static GtkWidget *
size_unit_label (void)
{
  GtkWidget *label = gtk_label_new (_("pixels"));

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

static GtkSpinButton *
size_spin (const char *name,
           int         value)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (16, MAX_IMAGE_SIDE, 1);

  /* Named, so tests can find them. */
  gtk_widget_set_name (spin, name);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), 6);
  return GTK_SPIN_BUTTON (spin);
}

void
es_dialogs_ask_image_size_async (GtkWindow           *parent,
                                 int                  width,
                                 int                  height,
                                 int                  scale,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GtkWidget *dialog;
  GtkWidget *grid;
  GtkWidget *scales;
  GtkWidget *accept;
  GtkWidget *hint;
  SizeDialog *sd;
  GTask *task;

  task = g_task_new (parent, cancellable, callback, user_data);
  g_task_set_source_tag (task, es_dialogs_ask_image_size_async);
  sd = g_new0 (SizeDialog, 1);
  sd->view_width = CLAMP (width, 16, MAX_IMAGE_SIDE);
  sd->view_height = CLAMP (height, 16, MAX_IMAGE_SIDE);
  sd->ratio = (double) sd->view_width / sd->view_height;
  scale = CLAMP (scale, 1, MAX_SCALE);
  g_task_set_task_data (task, sd, g_free);

  dialog = g_object_new (GTK_TYPE_DIALOG,
                         "title", _("Export PNG Image"),
                         "transient-for", parent,
                         "modal", TRUE,
                         "destroy-with-parent", TRUE,
                         "use-header-bar", TRUE,
                         "resizable", FALSE,
                         NULL);
  gtk_dialog_add_buttons (GTK_DIALOG (dialog),
                          _("_Cancel"), GTK_RESPONSE_CANCEL,
                          _("_Choose File…"), GTK_RESPONSE_ACCEPT,
                          NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  accept = gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  gtk_widget_add_css_class (accept, "suggested-action");

  grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_widget_set_margin_start (grid, 24);
  gtk_widget_set_margin_end (grid, 24);
  gtk_widget_set_margin_top (grid, 18);
  gtk_widget_set_margin_bottom (grid, 24);

  /* 1x is the view as on screen; the others multiply its pixels. */
  scales = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (scales, "linked");
  for (int s = 1; s <= MAX_SCALE; s++)
    {
      g_autofree char *text = g_strdup_printf ("%d×", s);
      g_autofree char *tooltip = g_strdup_printf (_("%d × %d pixels"),
                                                  sd->view_width * s, sd->view_height * s);
      GtkWidget *button = gtk_toggle_button_new_with_label (text);

      g_object_set_data (G_OBJECT (button), "scale", GINT_TO_POINTER (s));
      gtk_widget_set_tooltip_text (button, tooltip);
      gtk_widget_set_hexpand (button, TRUE);
      if (s > 1)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), sd->scales[0]);
      sd->scales[s - 1] = GTK_TOGGLE_BUTTON (button);
      gtk_box_append (GTK_BOX (scales), button);
    }
  gtk_grid_attach (GTK_GRID (grid), size_row_label (_("Scale"), NULL), 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), scales, 1, 0, 2, 1);

  sd->width = size_spin ("width", sd->view_width * scale);
  sd->height = size_spin ("height", sd->view_height * scale);
  gtk_grid_attach (GTK_GRID (grid), size_row_label (_("_Width"), GTK_WIDGET (sd->width)),
                   0, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (sd->width), 1, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), size_unit_label (), 2, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), size_row_label (_("_Height"), GTK_WIDGET (sd->height)),
                   0, 2, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (sd->height), 1, 2, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), size_unit_label (), 2, 2, 1, 1);

  sd->keep_ratio = GTK_CHECK_BUTTON (
    gtk_check_button_new_with_mnemonic (_("_Keep the view’s proportions")));
  gtk_widget_set_name (GTK_WIDGET (sd->keep_ratio), "keep-ratio");
  gtk_check_button_set_active (sd->keep_ratio, TRUE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (sd->keep_ratio),
                               _("Otherwise a different shape shows more or less of the "
                                 "plot around the view"));
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (sd->keep_ratio), 1, 3, 2, 1);

  hint = gtk_label_new (_("Points, labels and the legend are scaled with the image."));
  gtk_label_set_xalign (GTK_LABEL (hint), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (hint), 36);
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_grid_attach (GTK_GRID (grid), hint, 0, 4, 3, 1);
  sd->memory = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (sd->memory, 0.0f);
  gtk_widget_add_css_class (GTK_WIDGET (sd->memory), "dim-label");
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (sd->memory), 0, 5, 3, 1);

  gtk_box_append (GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (dialog))), grid);

  size_sync_scales (sd);
  size_update_memory (sd);
  g_signal_connect (sd->width, "value-changed", G_CALLBACK (size_width_changed_cb), sd);
  g_signal_connect (sd->height, "value-changed", G_CALLBACK (size_height_changed_cb), sd);
  for (int s = 0; s < MAX_SCALE; s++)
    g_signal_connect (sd->scales[s], "toggled", G_CALLBACK (size_scale_toggled_cb), sd);

  g_signal_connect (dialog, "response", G_CALLBACK (size_response_cb), task);
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
es_dialogs_ask_image_size_finish (GAsyncResult  *result,
                                  int           *width,
                                  int           *height,
                                  GError       **error)
{
  g_autofree int *size = NULL;

  g_return_val_if_fail (G_IS_TASK (result), FALSE);

  size = g_task_propagate_pointer (G_TASK (result), error);
  if (size == NULL)
    return FALSE;
  if (width != NULL)
    *width = size[0];
  if (height != NULL)
    *height = size[1];

  return TRUE;
}

static void
message_response_cb (GtkDialog *dialog,
                     int        response,
                     gpointer   user_data)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
}

void
es_dialogs_show_error (GtkWindow  *parent,
                       const char *primary,
                       const char *secondary)
{
  GtkWidget *dialog;

  dialog = gtk_message_dialog_new (parent,
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_ERROR,
                                   GTK_BUTTONS_CLOSE,
                                   "%s", primary);
  if (secondary != NULL)
    gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", secondary);
  g_signal_connect (dialog, "response", G_CALLBACK (message_response_cb), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}
