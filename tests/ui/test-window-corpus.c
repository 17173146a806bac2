/* test-window-corpus.c: Open Corpus…, a .mtx, NMF topics and Save Vectors
 * As… in a real window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-window-corpus"

#include "config.h"

#include "ui-test-util.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "es-corpus-vectors.h"
#include "es-embedding-set.h"
#include "es-loader.h"
#include "es-projection.h"
#include "es-scatter-data.h"
#include "es-scatter-view.h"
#include "es-topics-panel.h"
#include "es-window.h"
#include "es-window-private.h"

static char *dir;

static char *
corpus_path (void)
{
  return g_test_build_filename (G_TEST_DIST, "data", "gensim", "lee_background.cor", NULL);
}

static EsWindow *
open_window_on_sample (void)
{
  g_autofree char *sample = es_window_find_sample ();
  EsWindow *window = es_window_new (NULL);

  g_assert_nonnull (sample);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", sample));
  ui_test_wait_for (ui_test_window_settled, window);
  g_assert_null (es_window_get_error (window));
  return window;
}

/* An empty window: what a user who has only a corpus starts from. */
static EsWindow *
open_empty_window (void)
{
  EsWindow *window = es_window_new (NULL);

  gtk_window_present (GTK_WINDOW (window));
  ui_test_wait_for (ui_test_window_settled, window);
  return window;
}

/* win.open-corpus-path, then the dialog's fields, then Compute. */
static GtkWidget *
open_corpus_dialog (EsWindow   *window,
                    const char *path)
{
  GtkWidget *dialog;

  g_object_set_data (G_OBJECT (window), "reference", es_window_get_embedding_set (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-corpus-path", "s", path));
  dialog = ui_test_other_toplevel (GTK_WIDGET (window));
  g_assert_nonnull (dialog);
  return dialog;
}

static void
set_spin (GtkWidget  *dialog,
          const char *name,
          double      value)
{
  GtkWidget *spin = ui_test_find_named (dialog, name);

  g_assert_nonnull (spin);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
}

static char *
run_cli (const char *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = -1;
  va_list args;

  g_ptr_array_add (argv, (char *) g_getenv ("ES_CLI"));
  va_start (args, first);
  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_assert_nonnull (argv->pdata[0]);
  g_assert_true (g_spawn_sync (dir, (char **) argv->pdata, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                               NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

static char *
without_spaces (const char *text)
{
  char *copy = g_strdup (text), *w = copy;

  for (const char *p = text; *p != '\0'; p++)
    if (*p != ' ' && *p != '\n')
      *w++ = *p;
  *w = '\0';
  return copy;
}

static void
test_open_corpus (void)
{
  g_autofree char *corpus = corpus_path ();
  g_autofree char *saved = g_build_filename (dir, "saved.txt", NULL);
  g_autofree char *cli = g_build_filename (dir, "cli.txt", NULL);
  g_autofree char *saved_bin = g_build_filename (dir, "saved.bin", NULL);
  g_autofree char *saved_npy = g_build_filename (dir, "saved.npy", NULL);
  g_autofree char *out = NULL;
  g_autofree char *a = NULL, *b = NULL;
  EsWindow *window = open_empty_window ();
  GtkWidget *dialog;
  EsEmbeddingSet *set;

  g_test_summary ("Open Corpus… through its dialog (window 5, min count 5, 12 dimensions) counts, "
                  "weights and factorises lee_background.cor in a job; the map shows every word of "
                  "the vocabulary, the title names the corpus and LSA; Save Vectors As… writes what "
                  "`embedscope lsa --corpus` writes, byte for byte, and .bin/.npy read back equal");
  dialog = open_corpus_dialog (window, corpus);
  g_assert_false (gtk_widget_get_visible (ui_test_find_named (dialog, "transpose")));
  g_assert_true (gtk_widget_get_visible (ui_test_find_named (dialog, "min-count")));
  set_spin (dialog, "dims", 12);
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  ui_test_wait_for (ui_test_window_another_set, window);
  g_assert_null (es_window_get_error (window));

  set = es_window_get_embedding_set (window);
  g_assert_nonnull (es_document_get_corpus (window->document));
  g_assert_cmpuint (es_embedding_set_get_rows (set), ==,
                    es_sparse_matrix_get_rows (es_corpus_vectors_get_matrix (es_document_get_corpus (window->document))));
  g_assert_cmpuint (es_embedding_set_get_rows (set), >, 1000);
  g_assert_cmpuint (es_embedding_set_get_dims (set), ==, 12);
  g_assert_cmpuint (ui_test_finite_points (window), ==, es_embedding_set_get_rows (set));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "lee_background.cor — LSA 12d — Embedscope");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.save-vectors-to", "s", saved));
  ui_test_wait_for (ui_test_window_settled, window);
  g_assert_null (es_window_get_error (window));
  out = run_cli ("lsa", "--corpus", corpus, "--dims", "12", "--output", cli, NULL);
  g_assert_true (g_file_get_contents (saved, &a, NULL, NULL));
  g_assert_true (g_file_get_contents (cli, &b, NULL, NULL));
  g_assert_cmpstr (a, ==, b);

  for (guint f = 0; f < 2; f++)
    {
      const char *path = f == 0 ? saved_bin : saved_npy;
      g_autoptr(EsEmbeddingSet) back = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.save-vectors-to", "s", path));
      ui_test_wait_for (ui_test_window_settled, window);
      g_assert_null (es_window_get_error (window));
      back = es_loader_load_path (path, NULL, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (es_embedding_set_get_rows (back), ==, es_embedding_set_get_rows (set));
      for (gsize r = 0; r < es_embedding_set_get_rows (set); r += 7)
        g_assert_cmpmem (es_embedding_set_get_vector (back, r), 12 * sizeof (float),
                         es_embedding_set_get_vector (set, r), 12 * sizeof (float));
      if (f == 0)
        g_assert_cmpstr (es_embedding_set_get_word (back, 5), ==, es_embedding_set_get_word (set, 5));
    }

  ui_test_destroy_window (GTK_WIDGET (window));
}

static gboolean
has_load_job (gpointer data)
{
  return ((EsWindow *) data)->load_job != NULL;
}

static void
cancel_on_progress_cb (EsJob      *job,
                       GParamSpec *pspec,
                       gpointer    user_data)
{
  guint *cancelled = user_data;

  if (*cancelled == 0 && es_job_get_fraction (job) > 0.0)
    {
      (*cancelled)++;
      es_job_cancel (job);
    }
}

static void
test_cancel_and_errors (void)
{
  g_autofree char *corpus = corpus_path ();
  g_autofree char *big = g_build_filename (dir, "big.txt", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GString) many = g_string_new (NULL);
  EsWindow *window = open_window_on_sample ();
  EsEmbeddingSet *reference = es_window_get_embedding_set (window);
  g_autofree char *title = g_strdup (gtk_window_get_title (GTK_WINDOW (window)));
  GtkWidget *dialog;
  guint cancelled = 0;
  gsize len = 0;

  g_test_summary ("Cancelling Open Corpus while it counts, an empty vocabulary (min count 10⁶) and "
                  "more dimensions than words each leave the previous view as it was; the errors are "
                  "shown in the window");
  /* Three copies: counting takes long enough to be cancelled midway. */
  g_assert_true (g_file_get_contents (corpus, &text, &len, NULL));
  for (guint i = 0; i < 3; i++)
    g_string_append_len (many, text, (gssize) len);
  g_assert_true (g_file_set_contents (big, many->str, (gssize) many->len, NULL));

  dialog = open_corpus_dialog (window, big);
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  ui_test_wait_for (has_load_job, window);
  g_signal_connect (window->load_job, "notify::fraction", G_CALLBACK (cancel_on_progress_cb), &cancelled);
  ui_test_wait_for (ui_test_window_settled, window);
  g_assert_cmpuint (cancelled, ==, 1);
  g_assert_null (es_window_get_error (window));
  g_assert_true (es_window_get_embedding_set (window) == reference);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, title);
  g_assert_null (es_document_get_corpus (window->document));

  dialog = open_corpus_dialog (window, corpus);
  set_spin (dialog, "min-count", 1000000);
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  ui_test_wait_for (ui_test_window_another_set, window);
  g_assert_nonnull (es_window_get_error (window));
  g_assert_true (es_window_get_embedding_set (window) == reference);

  dialog = open_corpus_dialog (window, corpus);
  set_spin (dialog, "max-vocab", 20);
  set_spin (dialog, "dims", 25);
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  ui_test_wait_for (ui_test_window_another_set, window);
  g_assert_nonnull (es_window_get_error (window));
  g_assert_true (es_window_get_embedding_set (window) == reference);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, title);

  ui_test_destroy_window (GTK_WIDGET (window));
}

/* The window's method is PCA and the plot shows PCA coordinates: the two
 * plotted components are uncorrelated, the first has the larger variance
 * (PCA's defining properties), and they are not the raw dimensions 0 and
 * 1 that Identity would show.
 */
static void
assert_shows_pca (EsWindow *window)
{
  EsProjection *projection = es_window_get_projection (window);
  EsEmbeddingSet *set = es_window_get_embedding_set (window);
  EsScatterData *data = es_scatter_view_get_data (ES_SCATTER_VIEW (es_window_get_plot (window)));
  guint n = es_projection_get_n_components (projection);
  gsize rows = es_projection_get_rows (projection);
  const float *coords = es_projection_get_coords (projection);
  double mean[2] = { 0 }, var[2] = { 0 }, cov = 0, raw_mean[2] = { 0 }, raw_cov = 0, raw_var[2] = { 0 };

  g_assert_cmpstr (window->method, ==, "pca");
  g_assert_cmpstr (gtk_menu_button_get_label (window->method_button), ==, "PCA");
  g_assert_cmpint (es_projection_get_method (projection), ==, ES_METHOD_PCA);
  g_assert_true (_es_window_plot_is_current (window));
  g_assert_cmpuint (es_scatter_data_get_n_points (data), ==, rows);
  g_assert_cmpuint (rows, ==, es_embedding_set_get_rows (set));
  for (gsize r = 0; r < rows; r++)
    for (guint c = 0; c < 2; c++)
      {
        mean[c] += coords[r * n + c] / (double) rows;
        raw_mean[c] += es_embedding_set_get_vector (set, r)[c] / (double) rows;
      }
  for (gsize r = 0; r < rows; r++)
    {
      double d0 = coords[r * n] - mean[0], d1 = coords[r * n + 1] - mean[1];
      double e0 = es_embedding_set_get_vector (set, r)[0] - raw_mean[0];
      double e1 = es_embedding_set_get_vector (set, r)[1] - raw_mean[1];

      var[0] += d0 * d0;
      var[1] += d1 * d1;
      cov += d0 * d1;
      raw_var[0] += e0 * e0;
      raw_var[1] += e1 * e1;
      raw_cov += e0 * e1;
    }
  g_assert_cmpfloat (var[0], >=, var[1]);
  g_assert_cmpfloat (fabs (cov) / sqrt (var[0] * var[1]), <, 1e-3);
  /* The raw dimensions are correlated: Identity would not pass the above. */
  g_assert_cmpfloat (fabs (raw_cov) / sqrt (raw_var[0] * raw_var[1]), >, 1e-2);
}

static void
test_topics (void)
{
  g_autofree char *corpus = corpus_path ();
  g_autofree char *out = NULL;
  g_autofree char *compact = NULL;
  EsWindow *window = open_empty_window ();
  EsTopicsPanel *panel = _es_window_get_topics_panel (window);
  GtkWidget *dialog;
  EsEmbeddingSet *lsa;

  g_test_summary ("NMF Topics (k = 10) on an opened corpus: the topics panel lists per topic the top "
                  "words of `embedscope nmf --corpus --max-vocab 400 --components 10 --json`; the words are placed by "
                  "topic weights (Identity of W) and coloured by topic 1; clicking topic 3 colours by "
                  "it and makes it the Y axis; a file opened next drops the panel and the matrix, and "
                  "is reduced by PCA again (not Identity): the menu says PCA and the plotted "
                  "coordinates are uncorrelated with decreasing variance, unlike its raw dimensions");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (panel)));
  dialog = open_corpus_dialog (window, corpus);
  set_spin (dialog, "dims", 10);
  /* The 400 most frequent words: NMF stays quick under ASan. */
  set_spin (dialog, "max-vocab", 400);
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  ui_test_wait_for (ui_test_window_another_set, window);
  g_assert_null (es_window_get_error (window));
  lsa = es_window_get_embedding_set (window);
  g_assert_cmpuint (es_embedding_set_get_rows (lsa), ==, 400);

  g_object_set_data (G_OBJECT (window), "reference", lsa);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.nmf-k", "u", 10));
  ui_test_wait_for (ui_test_window_another_set, window);
  g_assert_null (es_window_get_error (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (panel)));
  g_assert_cmpuint (es_topics_panel_get_n_topics (panel), ==, 10);
  g_assert_cmpuint (es_embedding_set_get_dims (es_window_get_embedding_set (window)), ==, 10);
  g_assert_cmpuint (es_embedding_set_get_rows (es_window_get_embedding_set (window)), ==,
                    es_embedding_set_get_rows (lsa));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==,
                   "lee_background.cor — NMF 10 topics — Embedscope");
  g_assert_nonnull (es_document_get_corpus (window->document));

  out = run_cli ("nmf", "--corpus", corpus, "--max-vocab", "400", "--components", "10", "--json", NULL);
  compact = without_spaces (out);
  for (guint t = 0; t < 10; t++)
    {
      g_auto(GStrv) words = g_strsplit (es_topics_panel_get_words (panel, t), " ", -1);
      g_autoptr(GString) want = g_string_new ("[");
      g_autofree char *needle = NULL;

      g_assert_cmpuint (g_strv_length (words), ==, 10);
      for (guint i = 0; words[i] != NULL; i++)
        g_string_append_printf (want, "%s\"%s\"", i ? "," : "", words[i]);
      g_string_append (want, "]");
      needle = without_spaces (want->str);
      if (strstr (compact, needle) == NULL)
        g_error ("topic %u (%s) is not in the CLI's output:\n%s", t, want->str, out);
    }

  /* Identity of W: the coordinates are the topic weights. */
  {
    EsProjection *projection = es_window_get_projection (window);
    EsEmbeddingSet *w = es_window_get_embedding_set (window);
    guint n = es_projection_get_n_components (projection);

    g_assert_cmpstr (window->method, ==, "identity");
    g_assert_cmpuint (window->component_x, ==, 0);
    g_assert_cmpuint (window->component_y, ==, 1);
    for (gsize r = 0; r < es_embedding_set_get_rows (w); r += 11)
      for (guint c = 0; c < MIN (n, 10); c++)
        g_assert_cmpfloat (es_projection_get_coords (projection)[r * n + c], ==, es_embedding_set_get_vector (w, r)[c]);
    g_assert_cmpuint (ui_test_finite_points (window), ==, es_embedding_set_get_rows (w));
  }
  g_assert_cmpuint (gtk_drop_down_get_selected (window->color_dropdown), ==, 1);
  g_assert_cmpint (es_topics_panel_get_active (panel), ==, 0);
  g_signal_emit_by_name (panel, "topic-activated", 2u);
  g_assert_cmpuint (gtk_drop_down_get_selected (window->color_dropdown), ==, 3);
  g_assert_cmpuint (window->component_y, ==, 2);
  g_assert_cmpint (es_topics_panel_get_active (panel), ==, 2);

  /* Another file: no topics, no matrix. */
  {
    g_autofree char *sample = es_window_find_sample ();

    g_object_set_data (G_OBJECT (window), "reference", es_window_get_embedding_set (window));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", sample));
    ui_test_wait_for (ui_test_window_another_set, window);
    g_assert_false (gtk_widget_get_visible (GTK_WIDGET (panel)));
    g_assert_null (es_document_get_corpus (window->document));
    assert_shows_pca (window);
  }
  ui_test_destroy_window (GTK_WIDGET (window));
}

static void
test_open_mtx (void)
{
  g_autofree char *corpus = corpus_path ();
  g_autofree char *mm = g_test_build_filename (G_TEST_DIST, "data", "gensim", "dtm_test.mm", NULL);
  g_autofree char *copy = g_build_filename (dir, "dtm.mm", NULL);
  g_autofree char *contents = NULL;
  EsWindow *window = open_empty_window ();
  GtkWidget *dialog;
  gsize len = 0;

  g_test_summary ("A Matrix Market file opened like any file (by its banner, whatever its name) asks "
                  "for LSA with a Transpose toggle: gensim's 10 × 546 dtm_test.mm, transposed, shows "
                  "its 546 columns as points (row_1 … row_546), 5 dimensions");
  g_assert_true (g_file_get_contents (mm, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (copy, contents, (gssize) len, NULL));
  g_object_set_data (G_OBJECT (window), "reference", es_window_get_embedding_set (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", copy));
  dialog = ui_test_other_toplevel (GTK_WIDGET (window));
  g_assert_nonnull (dialog);
  g_assert_true (gtk_widget_get_visible (ui_test_find_named (dialog, "transpose")));
  g_assert_false (gtk_widget_get_visible (ui_test_find_named (dialog, "min-count")));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (ui_test_find_named (dialog, "transpose")), TRUE);
  set_spin (dialog, "dims", 5);
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  ui_test_wait_for (ui_test_window_another_set, window);
  g_assert_null (es_window_get_error (window));
  g_assert_cmpuint (es_embedding_set_get_rows (es_window_get_embedding_set (window)), ==, 546);
  g_assert_cmpuint (es_embedding_set_get_dims (es_window_get_embedding_set (window)), ==, 5);
  g_assert_cmpuint (ui_test_finite_points (window), ==, 546);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "dtm.mm — LSA 5d — Embedscope");
  ui_test_destroy_window (GTK_WIDGET (window));
}

/* ---- Save Vectors As… as a job ---- */

static gint save_started;
static gint save_on_main_thread;
static gint save_hold;  /* the worker waits for Cancel */

static void
save_hook (GCancellable *cancellable)
{
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  if (g_main_context_is_owner (g_main_context_default ()))
    g_atomic_int_set (&save_on_main_thread, 1);
  g_atomic_int_set (&save_started, 1);
  while (g_atomic_int_get (&save_hold) && !g_cancellable_is_cancelled (cancellable) && g_get_monotonic_time () < end)
    g_usleep (1000);
}

static gboolean
save_has_started (gpointer data)
{
  return g_atomic_int_get (&save_started) != 0;
}

static guint
count_files (const char *folder)
{
  g_autoptr(GDir) d = g_dir_open (folder, 0, NULL);
  guint n = 0;

  g_assert_nonnull (d);
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
test_save_vectors_job (void)
{
  g_autofree char *folder = g_build_filename (dir, "save-job", NULL);
  g_autofree char *saved = g_build_filename (folder, "saved.txt", NULL);
  g_autofree char *cancelled = g_build_filename (folder, "cancelled.txt", NULL);
  g_autofree char *kept = g_build_filename (folder, "kept.bin", NULL);
  g_autofree char *bad = g_build_filename (folder, "none", "x.txt", NULL);
  EsWindow *window = open_window_on_sample ();
  EsEmbeddingSet *set = es_window_get_embedding_set (window);
  EsProjection *projection = es_window_get_projection (window);
  g_autoptr(EsEmbeddingSet) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize dims = es_embedding_set_get_dims (set);

  g_test_summary ("Save Vectors As… writes in a worker (not the main thread) as a job with progress: "
                  "the file reads back with every word and vector equal to the window's set; a save "
                  "cancelled with Cancel (win.cancel) leaves no file, and an existing file under that "
                  "name as it was; a failed save shows its error in the window; the view stays");
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  _es_window_save_vectors_hook = save_hook;

  /* Completes: the same words and floats back. */
  save_started = 0;
  g_atomic_int_set (&save_hold, FALSE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.save-vectors-to", "s", saved));
  g_assert_true (es_window_get_busy (window));
  g_assert_true (gtk_revealer_get_reveal_child (window->progress_revealer));
  g_assert_nonnull (strstr (gtk_label_get_label (window->progress_label), "saved.txt"));
  ui_test_wait_for (ui_test_window_settled, window);
  g_assert_true (save_started);
  g_assert_false (save_on_main_thread);
  g_assert_null (es_window_get_error (window));
  back = es_loader_load_path (saved, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (es_embedding_set_get_rows (back), ==, es_embedding_set_get_rows (set));
  g_assert_cmpuint (es_embedding_set_get_dims (back), ==, dims);
  for (gsize r = 0; r < es_embedding_set_get_rows (set); r++)
    {
      g_assert_cmpstr (es_embedding_set_get_word (back, r), ==, es_embedding_set_get_word (set, r));
      g_assert_cmpmem (es_embedding_set_get_vector (back, r), dims * sizeof (float),
                       es_embedding_set_get_vector (set, r), dims * sizeof (float));
    }

  /* Cancelled while it writes: no file, and the view as it was. */
  g_assert_true (g_file_set_contents (kept, "old contents\n", -1, NULL));
  for (guint round = 0; round < 2; round++)
    {
      const char *path = round == 0 ? cancelled : kept;

      save_started = 0;
      g_atomic_int_set (&save_hold, TRUE);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.save-vectors-to", "s", path));
      ui_test_wait_for (save_has_started, NULL);
      g_assert_true (es_window_get_busy (window));
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel", NULL));
      ui_test_wait_for (ui_test_window_settled, window);
      g_assert_null (es_window_get_error (window));
      g_assert_true (es_window_get_embedding_set (window) == set);
      g_assert_true (es_window_get_projection (window) == projection);
    }
  g_atomic_int_set (&save_hold, FALSE);
  g_assert_false (g_file_test (cancelled, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_get_contents (kept, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "old contents\n");
  /* No temporary left beside them: saved.txt and kept.bin only. */
  g_assert_cmpuint (count_files (folder), ==, 2);

  /* A folder that does not exist: the error in the window, the view kept. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.save-vectors-to", "s", bad));
  ui_test_wait_for (ui_test_window_settled, window);
  g_assert_nonnull (es_window_get_error (window));
  g_assert_true (es_window_get_embedding_set (window) == set);
  g_assert_true (es_window_get_projection (window) == projection);

  _es_window_save_vectors_hook = NULL;
  ui_test_destroy_window (GTK_WIDGET (window));
}

int
main (int   argc,
      char *argv[])
{
  gboolean display;
  g_autofree char *home = ui_test_init (&argc, &argv, "es-test-window-corpus", &display);
  int status;

  dir = g_build_filename (home, "files", NULL);
  g_mkdir_with_parents (dir, 0700);

  if (!display)
    ui_test_add_no_display ("/ui/corpus/no-display");
  else
    {
      g_test_add_func ("/ui/corpus/open-corpus", test_open_corpus);
      g_test_add_func ("/ui/corpus/cancel-and-errors", test_cancel_and_errors);
      g_test_add_func ("/ui/corpus/topics", test_topics);
      g_test_add_func ("/ui/corpus/open-mtx", test_open_mtx);
      g_test_add_func ("/ui/corpus/save-vectors-job", test_save_vectors_job);
    }
  status = g_test_run ();
  ui_test_remove_tree (home);
  g_free (dir);

  return status;
}
