/* es-corpus-dialog.c: the parameters of Open Corpus… and of a .mtx file
 *
 * A corpus is counted (window, min count, max vocabulary), a matrix is
 * read (its points may be its columns); then both are weighted and
 * factorised (dimensions, power).  The defaults are the CLI's `lsa`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-corpus-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "es-corpus-dialog.h"

typedef struct
{
  GtkWidget       *dialog;
  GtkSpinButton   *window;
  GtkSpinButton   *min_count;
  GtkSpinButton   *max_vocab;
  GtkCheckButton  *transpose;
  GtkSpinButton   *dims;
  GtkDropDown     *weighting;
  GtkSpinButton   *power;
  gboolean         is_matrix;
  gboolean         answered;
} CorpusDialog;

/* The order of the weighting drop-down. */
static const EsWeighting weightings[] = { ES_WEIGHTING_PPMI, ES_WEIGHTING_TFIDF, ES_WEIGHTING_NONE };

static void
response_cb (GtkDialog *dialog,
             int        response,
             GTask     *task)
{
  CorpusDialog *cd = g_task_get_task_data (task);

  cd->answered = TRUE;
  if (response == GTK_RESPONSE_ACCEPT)
    {
      EsCorpusOptions *options = g_new0 (EsCorpusOptions, 1);
      guint w = gtk_drop_down_get_selected (cd->weighting);

      es_corpus_options_init (options, cd->is_matrix);
      options->cooccur.window = (guint) gtk_spin_button_get_value_as_int (cd->window);
      options->cooccur.min_count = (guint64) gtk_spin_button_get_value (cd->min_count);
      options->cooccur.max_vocab = (gsize) gtk_spin_button_get_value (cd->max_vocab);
      options->matrix.transpose = gtk_check_button_get_active (cd->transpose);
      options->svd.dims = (guint) gtk_spin_button_get_value_as_int (cd->dims);
      options->weighting.weighting = weightings[MIN (w, G_N_ELEMENTS (weightings) - 1)];
      options->power = gtk_spin_button_get_value (cd->power);
      g_task_return_pointer (task, options, g_free);
    }
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("Cancelled"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_unref (task);
}

/* Destroyed with its parent, unanswered: a cancellation, so the caller's
 * data (and the window it holds) is released.
 */
static void
destroy_cb (GtkWidget *dialog,
            GTask     *task)
{
  CorpusDialog *cd = g_task_get_task_data (task);

  if (cd->answered)
    return;
  cd->answered = TRUE;
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("Cancelled"));
  g_object_unref (task);
}

static GtkSpinButton *
add_spin (GtkGrid    *grid,
          int         row,
          const char *mnemonic,
          const char *name,
          const char *tooltip,
          double      min,
          double      max,
          double      step,
          double      value,
          guint       digits)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (mnemonic);
  GtkWidget *spin = gtk_spin_button_new_with_range (min, max, step);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_widget_set_name (spin, name);
  gtk_widget_set_tooltip_text (spin, tooltip);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), spin);
  gtk_grid_attach (grid, label, 0, row, 1, 1);
  gtk_grid_attach (grid, spin, 1, row, 1, 1);
  return GTK_SPIN_BUTTON (spin);
}

void
es_corpus_dialog_ask_async (GtkWindow           *parent,
                            const char          *display_name,
                            gboolean             is_matrix,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  CorpusDialog *cd = g_new0 (CorpusDialog, 1);
  const char *weighting_names[] = { _("PPMI (smoothed, α = 0.75)"), _("TF-IDF"), _("None (the counts)"), NULL };
  EsCorpusOptions defaults;
  GtkWidget *area, *grid, *label;
  g_autofree char *text = NULL;
  GTask *task;
  int row = 0;

  es_corpus_options_init (&defaults, is_matrix);
  cd->is_matrix = is_matrix;
  /* No reference to @parent: closing it disposes it, and the dialog with it. */
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, es_corpus_dialog_ask_async);
  g_task_set_task_data (task, cd, g_free);

  text = is_matrix
    ? g_strdup_printf (_("%s is a sparse matrix (Matrix Market). Its rows become points with the "
                         "vectors of a truncated SVD (LSA)."), display_name)
    : g_strdup_printf (_("%s is read as plain text: words that occur near each other within a line "
                         "are counted, weighted, and factorised by a truncated SVD (LSA)."), display_name);
  cd->dialog = gtk_message_dialog_new (parent, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                       GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE, "%s",
                                       is_matrix ? _("Vectors from a matrix") : _("Vectors from a corpus"));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (cd->dialog), "%s", text);
  gtk_dialog_add_button (GTK_DIALOG (cd->dialog), _("_Cancel"), GTK_RESPONSE_CANCEL);
  gtk_widget_set_name (gtk_dialog_add_button (GTK_DIALOG (cd->dialog), _("_Compute"), GTK_RESPONSE_ACCEPT), "ok");
  gtk_dialog_set_default_response (GTK_DIALOG (cd->dialog), GTK_RESPONSE_ACCEPT);

  grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  cd->window = add_spin (GTK_GRID (grid), row++, _("_Window (words each side)"), "window",
                         _("Pairs at most this many words apart within a line are counted"),
                         1, ES_COOCCUR_MAX_WINDOW, 1, defaults.cooccur.window, 0);
  cd->min_count = add_spin (GTK_GRID (grid), row++, _("_Minimum count"), "min-count",
                            _("Words seen fewer times are left out"), 1, 1e9, 1,
                            (double) defaults.cooccur.min_count, 0);
  cd->max_vocab = add_spin (GTK_GRID (grid), row++, _("Ma_ximum vocabulary (0: all)"), "max-vocab",
                            _("Keep only the most frequent words"), 0, G_MAXUINT32 - 1, 1000, 0, 0);
  cd->transpose = GTK_CHECK_BUTTON (gtk_check_button_new_with_mnemonic (_("_Transpose (points are columns)")));
  gtk_widget_set_name (GTK_WIDGET (cd->transpose), "transpose");
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (cd->transpose), 0, row++, 2, 1);
  cd->dims = add_spin (GTK_GRID (grid), row++, _("_Dimensions"), "dims",
                       _("Singular vectors kept; fewer than the vocabulary"), 1, 10000, 1,
                       defaults.svd.dims, 0);

  label = gtk_label_new_with_mnemonic (_("W_eighting"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  cd->weighting = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (weighting_names));
  gtk_widget_set_name (GTK_WIDGET (cd->weighting), "weighting");
  for (guint i = 0; i < G_N_ELEMENTS (weightings); i++)
    if (weightings[i] == defaults.weighting.weighting)
      gtk_drop_down_set_selected (cd->weighting, i);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (cd->weighting));
  gtk_grid_attach (GTK_GRID (grid), label, 0, row, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (cd->weighting), 1, row++, 1, 1);
  cd->power = add_spin (GTK_GRID (grid), row++, _("_Power p (vectors U·Σᵖ)"), "power",
                        _("0.5 weighs the dimensions by the square root of their singular values"),
                        0, 1, 0.1, defaults.power, 2);

  /* A corpus is counted, a matrix is read: show only what applies. */
  for (int r = 0; r < 3; r++)
    for (int c = 0; c < 2; c++)
      gtk_widget_set_visible (gtk_grid_get_child_at (GTK_GRID (grid), c, r), !is_matrix);
  gtk_widget_set_visible (GTK_WIDGET (cd->transpose), is_matrix);

  area = gtk_message_dialog_get_message_area (GTK_MESSAGE_DIALOG (cd->dialog));
  gtk_box_append (GTK_BOX (area), grid);

  g_signal_connect (cd->dialog, "response", G_CALLBACK (response_cb), task);
  g_signal_connect (cd->dialog, "destroy", G_CALLBACK (destroy_cb), task);
  if (parent != NULL)
    g_signal_connect_object (parent, "unrealize", G_CALLBACK (gtk_window_destroy), cd->dialog,
                             G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (cd->dialog));
}

gboolean
es_corpus_dialog_ask_finish (GAsyncResult     *result,
                             EsCorpusOptions  *options,
                             GError          **error)
{
  g_autofree EsCorpusOptions *answer = NULL;

  g_return_val_if_fail (G_IS_TASK (result), FALSE);

  answer = g_task_propagate_pointer (G_TASK (result), error);
  if (answer == NULL)
    return FALSE;
  *options = *answer;
  return TRUE;
}
