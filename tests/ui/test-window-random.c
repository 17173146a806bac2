/* test-window-random.c: seeded random action sequences on a real window
 *
 * The window is driven through its actions and private API, as menus,
 * keys and panels would, with invariants checked after every step.  A
 * failure prints the seed and the steps so far; ES_RANDOM_SEED=N replays
 * a sequence, ES_RANDOM_STEPS=M makes it longer (tests/fuzz/window-random
 * runs many seeds).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-window-random"

#include "config.h"

#include "ui-test-util.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "es-analogy-panel.h"
#include "es-embedding-set.h"
#include "es-neighbors.h"
#include "es-neighbors-panel.h"
#include "es-projection.h"
#include "es-scatter-data.h"
#include "es-scatter-view-private.h"
#include "es-window.h"
#include "es-window-private.h"
#include "es-word-search.h"

#define DEFAULT_STEPS 200
/* The default run stops early past this (DESIGN.md: ≤ 30 s under ASan). */
#define DEFAULT_BUDGET_S 20
#define SETTLE_TIMEOUT_S 60
/* Maps (t-SNE, UMAP) only on views this small: each step stays short. */
#define MAP_MAX_ROWS 600

/* Written by the abort handler: the replay, whatever killed the test. */
static char replay_buffer[64 * 1024];
static gsize replay_len;

static void
replay_append (const char *format,
               ...) G_GNUC_PRINTF (1, 2);

static void
replay_append (const char *format,
               ...)
{
  va_list args;
  int n;

  if (replay_len >= sizeof replay_buffer - 1)
    return;
  va_start (args, format);
  n = g_vsnprintf (replay_buffer + replay_len, sizeof replay_buffer - replay_len, format, args);
  va_end (args);
  if (n > 0)
    replay_len = MIN (replay_len + (gsize) n, sizeof replay_buffer - 1);
}

static void
print_replay (void)
{
  static const char header[] = "\n# window random test failed; steps so far:\n";

  if (write (STDERR_FILENO, header, sizeof header - 1) < 0 ||
      write (STDERR_FILENO, replay_buffer, replay_len) < 0)
    return;
}

static void
abort_handler (int signum)
{
  print_replay ();
  signal (signum, SIG_DFL);
  raise (signum);
}

/* ASan ends the process without SIGABRT: it calls this instead. */
extern void __sanitizer_set_death_callback (void (*callback) (void)) __attribute__ ((weak));

typedef struct
{
  EsWindow         *window;
  GRand            *rand;
  char             *tmpdir;
  GPtrArray        *files;     /* paths, good and bad */
  char             *iris_labels;
  char             *corpus;    /* lee_background.cor */
  char             *matrix;    /* dtm_test.mm */
  guint             step;
} Run;

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static EsNeighborsPanel *
neighbors_panel (Run *run)
{
  return run->window->neighbors_panel;
}

static gboolean
settled (Run *run)
{
  EsWindow *window = run->window;
  EsDocument *document = window->document;

  if (es_window_get_busy (window) || window->filter_source != 0 ||
      es_neighbors_panel_get_busy (window->neighbors_panel) ||
      es_analogy_panel_get_busy (window->analogy_panel) ||
      !es_word_search_is_ready (window->search))
    return FALSE;
  /* A big plot is built in a worker: wait for it. */
  if (es_document_get_projection (document) != NULL && !_es_window_plot_is_current (window))
    return FALSE;

  return TRUE;
}

/* A map of a big view (a file opened or Show All while t-SNE or UMAP is
 * the method) takes minutes: the user presses Esc, and so do we.
 */
static void
cancel_big_map (Run *run)
{
  EsWindow *window = run->window;
  EsEmbeddingSet *view = window->pending_set != NULL ? window->pending_set
                                                     : es_document_get_view_set (window->document);

  if (window->project_job != NULL && view != NULL && es_embedding_set_get_rows (view) > MAP_MAX_ROWS &&
      (g_str_equal (window->method, "tsne") || g_str_equal (window->method, "umap")))
    {
      replay_append ("#      (a map of %" G_GSIZE_FORMAT " rows: Esc)\n", es_embedding_set_get_rows (view));
      gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel", NULL);
    }
}

static void
settle (Run *run)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (SETTLE_TIMEOUT_S, timeout_cb, &timed_out);

  while (!settled (run) && !timed_out)
    {
      cancel_big_map (run);
      g_main_context_iteration (NULL, TRUE);
    }
  if (!timed_out)
    g_source_remove (id);
  else
    g_error ("step %u: the window did not settle in %d s (jobs: load %s, project %s, clusters %s; "
             "pending set %p; filter source %u; plot current %d; neighbours busy %d; analogy busy %d)",
             run->step, SETTLE_TIMEOUT_S,
             run->window->load_job != NULL ? es_job_get_title (run->window->load_job) : "-",
             run->window->project_job != NULL ? es_job_get_title (run->window->project_job) : "-",
             run->window->cluster_job != NULL ? es_job_get_title (run->window->cluster_job) : "-",
             (void *) run->window->pending_set, run->window->filter_source,
             _es_window_plot_is_current (run->window),
             es_neighbors_panel_get_busy (run->window->neighbors_panel),
             es_analogy_panel_get_busy (run->window->analogy_panel));
  /* Idles queued by the last callbacks (marks, status). */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
spin (guint iterations)
{
  for (guint i = 0; i < iterations; i++)
    g_main_context_iteration (NULL, FALSE);
}

/* Rows of the whole file as the window marks them: the view's row of the
 * same word, or none.
 */
static gboolean
to_view (EsDocument *document,
         gsize       full,
         guint32    *view_row)
{
  EsEmbeddingSet *set = es_document_get_set (document);
  EsEmbeddingSet *view = es_document_get_view_set (document);
  gsize row;

  if (full >= es_embedding_set_get_rows (set))
    return FALSE;
  if (view == set)
    {
      *view_row = (guint32) full;
      return TRUE;
    }
  if (!es_embedding_set_lookup (view, es_embedding_set_get_word (set, full), &row))
    return FALSE;
  *view_row = (guint32) row;
  return TRUE;
}

static gboolean
marks_contain (GArray  *marks,
               guint32  row)
{
  for (guint i = 0; marks != NULL && i < marks->len; i++)
    if (g_array_index (marks, guint32, i) == row)
      return TRUE;
  return FALSE;
}

static void
check_marks_in_range (GArray     *marks,
                      gsize       n_points,
                      const char *what,
                      guint       step)
{
  for (guint i = 0; marks != NULL && i < marks->len; i++)
    if (g_array_index (marks, guint32, i) >= n_points)
      g_error ("step %u: %s mark %u is outside the plot's %" G_GSIZE_FORMAT " points",
               step, what, g_array_index (marks, guint32, i), n_points);
}

static void
check_invariants (Run *run)
{
  EsWindow *window = run->window;
  EsDocument *document = window->document;
  EsEmbeddingSet *set = es_document_get_set (document);
  EsEmbeddingSet *view = es_document_get_view_set (document);
  EsProjection *projection = es_document_get_projection (document);
  EsScatterView *plot = ES_SCATTER_VIEW (es_window_get_plot (window));
  EsScatterData *data = es_scatter_view_get_data (plot);
  g_autofree char *message = NULL;
  gsize n_points, n_selected = 0;
  const gsize *selected;
  GArray *neighbors;
  GArray *results;

  if (!es_document_check (document, &message))
    g_error ("step %u: document: %s", run->step, message);
  /* A corpus's matrix comes only with its own set; the topics list only with NMF. */
  if (es_document_get_corpus (document) != NULL)
    g_assert_cmpuint (es_embedding_set_get_rows (set), ==,
                      es_sparse_matrix_get_rows (es_corpus_vectors_get_matrix (es_document_get_corpus (document))));
  if (gtk_widget_get_visible (GTK_WIDGET (_es_window_get_topics_panel (window))))
    g_assert_nonnull (es_document_get_corpus (document));

  g_assert_true (es_window_get_embedding_set (window) == set);
  g_assert_true (es_window_get_view_set (window) == view);
  if (set == NULL)
    return;

  /* Every shown row is a row of the current set. */
  if (view != set)
    for (gsize r = 0; r < es_embedding_set_get_rows (view); r++)
      {
        gsize full;

        if (!es_embedding_set_lookup (set, es_embedding_set_get_word (view, r), &full))
          g_error ("step %u: the view's word “%s” is not in the file", run->step,
                   es_embedding_set_get_word (view, r));
      }
  if (projection == NULL)
    return;
  g_assert_cmpuint (es_projection_get_rows (projection), ==, es_embedding_set_get_rows (view));
  g_assert_cmpuint (window->component_x, <, es_projection_get_n_components (projection));
  g_assert_cmpuint (window->component_y, <, es_projection_get_n_components (projection));

  /* The plot shows the view, with the model's marks. */
  g_assert_nonnull (data);
  g_assert_true (es_scatter_data_get_embedding_set (data) == view);
  n_points = es_scatter_data_get_n_points (data);
  g_assert_cmpuint (n_points, ==, es_embedding_set_get_rows (view));
  if (es_scatter_view_get_selected (plot) != es_document_get_focus (document))
    g_error ("step %u: the plot selects %" G_GINT64_FORMAT ", the document %" G_GINT64_FORMAT,
             run->step, es_scatter_view_get_selected (plot), es_document_get_focus (document));
  check_marks_in_range (plot->highlighted, n_points, "neighbour", run->step);
  check_marks_in_range (plot->search_hits, n_points, "search", run->step);
  check_marks_in_range (plot->selection, n_points, "selection", run->step);
  check_marks_in_range (plot->path, n_points, "path", run->step);
  check_marks_in_range (plot->pinned, n_points, "pinned", run->step);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (plot->analogy[i], <, (gint64) n_points);

  selected = es_document_get_selection (document, &n_selected);
  for (gsize i = 0; i < n_selected; i++)
    {
      guint32 row;

      if (to_view (document, selected[i], &row) && !marks_contain (plot->selection, row))
        g_error ("step %u: selected row %" G_GSIZE_FORMAT " is not marked", run->step, selected[i]);
    }

  /* The neighbour panel lists rows of this file, about the focus word. */
  neighbors = es_neighbors_panel_get_neighbors (window->neighbors_panel);
  if (es_document_get_focus (document) >= 0)
    {
      gsize full;

      g_assert_true (es_embedding_set_lookup (set, es_document_get_focus_word (document), &full));
      g_assert_cmpint (es_neighbors_panel_get_row (window->neighbors_panel), ==, (gint64) full);
      for (guint i = 0; neighbors != NULL && i < neighbors->len; i++)
        {
          gsize r = g_array_index (neighbors, EsNeighbor, i).row;
          guint32 row;

          g_assert_cmpuint (r, <, es_embedding_set_get_rows (set));
          if (to_view (document, r, &row) && !marks_contain (plot->highlighted, row))
            g_error ("step %u: neighbour %s is not highlighted", run->step,
                     es_embedding_set_get_word (set, r));
        }
    }
  else
    g_assert_cmpuint (plot->highlighted != NULL ? plot->highlighted->len : 0, ==, 0);

  results = es_analogy_panel_get_results (window->analogy_panel);
  for (guint i = 0; results != NULL && i < results->len; i++)
    g_assert_cmpuint (g_array_index (results, EsNeighbor, i).row, <, es_embedding_set_get_rows (set));

  g_assert_nonnull (gtk_label_get_text (window->status_label));
  g_assert_cmpstr (gtk_label_get_text (window->status_label), !=, "");
}

static const char *
random_word (Run *run)
{
  EsEmbeddingSet *view = es_document_get_view_set (run->window->document);

  if (view == NULL || es_embedding_set_get_rows (view) == 0 || g_rand_int_range (run->rand, 0, 8) == 0)
    return "zzz-not-a-word";
  return es_embedding_set_get_word (view, g_rand_int_range (run->rand, 0, (gint32) MIN (es_embedding_set_get_rows (view), G_MAXINT32)));
}

static gsize
view_rows (Run *run)
{
  EsEmbeddingSet *view = es_document_get_view_set (run->window->document);

  return view != NULL ? es_embedding_set_get_rows (view) : 0;
}

static gboolean
activate (Run        *run,
          const char *name,
          const char *format,
          ...)
{
  GVariant *parameter = NULL;
  va_list args;

  if (format != NULL)
    {
      va_start (args, format);
      parameter = g_variant_new_va (format, NULL, &args);
      va_end (args);
    }
  /* Disabled actions are what a user cannot reach: not run, not an error. */
  return gtk_widget_activate_action_variant (GTK_WIDGET (run->window), name, parameter);
}

/* One random action; returns what it did, for the replay. */
static char *
random_action (Run *run)
{
  EsWindow *window = run->window;
  static const char * const methods[] = { "pca", "svd", "axes", "identity", "tsne", "umap" };
  static const char * const filters[] = { "", "th", "^th", "([", "e$", "king", "[a-", "zz" };
  guint which = g_rand_int_range (run->rand, 0, 33);

  switch (which)
    {
    case 0:
    case 1:
      {
        const char *path = g_ptr_array_index (run->files, g_rand_int_range (run->rand, 0, run->files->len));

        activate (run, "win.open-path", "s", path);
        return g_strdup_printf ("open %s", path);
      }
    case 2:
      {
        /* A load cancelled half-way: the old picture stays. */
        const char *path = g_ptr_array_index (run->files, g_rand_int_range (run->rand, 0, run->files->len));
        guint wait = g_rand_int_range (run->rand, 0, 20);

        activate (run, "win.open-path", "s", path);
        spin (wait);
        activate (run, "win.cancel", NULL);
        return g_strdup_printf ("open %s, %u iterations, cancel", path, wait);
      }
    case 3:
    case 4:
      {
        g_autofree char *word = g_strdup (random_word (run));

        activate (run, "win.select-word", "s", word);
        return g_strdup_printf ("select-word %s", word);
      }
    case 5:
      {
        gint64 row = view_rows (run) > 0 ? g_rand_int_range (run->rand, -1, (gint32) MIN (view_rows (run), 100000)) : -1;

        activate (run, "win.select-row", "x", row);
        return g_strdup_printf ("select-row %" G_GINT64_FORMAT, row);
      }
    case 6:
      {
        g_autofree char *word = g_strdup (random_word (run));
        guint cut = g_rand_int_range (run->rand, 1, 4);

        if (strlen (word) > cut && g_utf8_validate (word, -1, NULL))
          *g_utf8_offset_to_pointer (word, MIN ((glong) cut, g_utf8_strlen (word, -1))) = '\0';
        es_word_search_set_text (window->search, word);
        if (g_rand_boolean (run->rand))
          {
            g_signal_emit_by_name (es_word_search_get_editable (window->search), "activate");
            return g_strdup_printf ("search “%s”, Enter", word);
          }
        return g_strdup_printf ("search “%s”", word);
      }
    case 7:
      {
        g_autofree char *expression = g_strdup_printf ("%s - %s + %s", random_word (run), random_word (run),
                                                       random_word (run));

        es_analogy_panel_set_expression (window->analogy_panel, expression);
        gtk_widget_activate_action (GTK_WIDGET (window->analogy_panel), "panel.analogy", NULL);
        return g_strdup_printf ("analogy %s", expression);
      }
    case 8:
      activate (run, "win.isolate", NULL);
      return g_strdup ("isolate");
    case 9:
      activate (run, "win.show-all", NULL);
      return g_strdup ("show-all");
    case 10:
    case 11:
      {
        const char *method = methods[g_rand_int_range (run->rand, 0, G_N_ELEMENTS (methods))];

        if ((g_str_equal (method, "tsne") || g_str_equal (method, "umap")) && view_rows (run) > MAP_MAX_ROWS)
          method = "pca";
        activate (run, "win.method", "s", method);
        return g_strdup_printf ("method %s", method);
      }
    case 12:
      if ((g_str_equal (window->method, "tsne") || g_str_equal (window->method, "umap")) && view_rows (run) > MAP_MAX_ROWS)
        return g_strdup ("three-d skipped (a big map)");
      activate (run, "win.three-d", NULL);
      return g_strdup ("three-d");
    case 13:
      {
        const char *filter = filters[g_rand_int_range (run->rand, 0, G_N_ELEMENTS (filters))];
        gboolean regex = g_rand_boolean (run->rand);

        g_object_set (window, "filter-regex", regex, "filter-text", filter, NULL);
        return g_strdup_printf ("filter “%s”%s", filter, regex ? " (regex)" : "");
      }
    case 14:
      {
        static const guint top[] = { 0, 3, 10, 100, 1000 };
        guint n = top[g_rand_int_range (run->rand, 0, G_N_ELEMENTS (top))];

        g_object_set (window, "top-n", n, NULL);
        return g_strdup_printf ("top-n %u", n);
      }
    case 15:
      {
        GListModel *model = gtk_drop_down_get_model (window->color_dropdown);
        guint n = model != NULL ? g_list_model_get_n_items (model) : 0;
        guint pick = n > 0 ? (guint) g_rand_int_range (run->rand, 0, (gint32) n) : 0;

        if (n > 0)
          gtk_drop_down_set_selected (window->color_dropdown, pick);
        return g_strdup_printf ("colour %u of %u", pick, n);
      }
    case 16:
      activate (run, g_rand_boolean (run->rand) ? "win.back" : "win.forward", NULL);
      return g_strdup ("back/forward");
    case 17:
      activate (run, "win.cancel", NULL);
      return g_strdup ("Esc");
    case 18:
      {
        g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (guint32));
        guint n = g_rand_int_range (run->rand, 0, 40);

        for (guint i = 0; i < n && view_rows (run) > 0; i++)
          {
            guint32 r = (guint32) g_rand_int_range (run->rand, 0, (gint32) MIN (view_rows (run), 100000));

            g_array_append_val (rows, r);
          }
        /* Replace, add (Shift) or subtract (Ctrl), as a box or lasso does. */
        int mode = g_rand_int_range (run->rand, 0, 3);

        _es_window_plot_rows_selected_cb (window, rows, mode, window->plot);
        return g_strdup_printf ("box-select %u rows, mode %d", rows->len, mode);
      }
    case 19:
      {
        guint k = g_rand_int_range (run->rand, 1, 120);

        es_neighbors_panel_set_k (neighbors_panel (run), k);
        return g_strdup_printf ("neighbours k %u", k);
      }
    case 20:
      {
        EsProjection *projection = es_document_get_projection (window->document);
        guint n = projection != NULL ? es_projection_get_n_components (projection) : 0;
        guint x = n > 0 ? (guint) g_rand_int_range (run->rand, 0, (gint32) n) : 0;

        if (n > 1)
          g_object_set (window, g_rand_boolean (run->rand) ? "component-x" : "component-y", x, NULL);
        return g_strdup_printf ("component %u of %u", x, n);
      }
    case 21:
      {
        g_autofree char *path = g_build_filename (run->tmpdir, g_rand_boolean (run->rand) ? "out.tsv" : "out.png", NULL);

        activate (run, "win.export-to", "(ss)", g_str_has_suffix (path, "tsv") ? "coordinates" : "png", path);
        return g_strdup_printf ("export %s", path);
      }
    case 22:
      activate (run, "win.open-metadata-path", "s", run->iris_labels);
      return g_strdup ("metadata iris_labels.tsv");
    case 23:
      {
        /* A click on a cluster or class name in the plot (any index). */
        guint category = (guint) g_rand_int_range (run->rand, 0, 8);
        int mode = g_rand_int_range (run->rand, 0, 3);

        g_signal_emit_by_name (window->plot, "category-activated", category, mode);
        return g_strdup_printf ("category %u, mode %d", category, mode);
      }
    case 24:
      {
        const char *tool = (const char *[]) { "pan", "box", "lasso" }[g_rand_int_range (run->rand, 0, 3)];

        gtk_widget_activate_action (GTK_WIDGET (window->plot), "plot.tool", "s", tool);
        return g_strdup_printf ("tool %s", tool);
      }
    case 25:
      {
        int layer = g_rand_int_range (run->rand, -1, 4);

        es_layer_bar_set_layer (window->layer_bar, layer);
        return g_strdup_printf ("layer %d", layer);
      }
    case 26:
      {
        g_autofree char *path = g_build_filename (run->tmpdir, "selection.tsv", NULL);

        activate (run, "win.export-to", "(ss)", "selection", path);
        return g_strdup ("export selection");
      }
    case 27:
      {
        g_autofree char *path = g_build_filename (run->tmpdir, "view.embedscope", NULL);
        g_autoptr(GError) error = NULL;

        /* Save what is shown; open it again half the time. */
        if (_es_window_save_session (window, path, &error) && g_rand_boolean (run->rand))
          {
            _es_window_open_session (window, path);
            return g_strdup ("save and open session");
          }
        return g_strdup ("save session");
      }
    case 28:
      {
        /* Open Corpus (or a .mtx) as the dialog would send it; cancelled
         * at once sometimes.  Small dimensions keep a step short.
         */
        gboolean matrix = g_rand_int_range (run->rand, 0, 4) == 0;
        gboolean cancel = g_rand_int_range (run->rand, 0, 4) == 0;
        EsCorpusOptions options;

        es_corpus_options_init (&options, matrix);
        options.svd.dims = (guint) g_rand_int_range (run->rand, 1, 9);
        options.cooccur.max_vocab = (gsize) (g_rand_boolean (run->rand) ? 0 : g_rand_int_range (run->rand, 2, 400));
        options.matrix.transpose = g_rand_boolean (run->rand);
        _es_window_compute_corpus (window, matrix ? run->matrix : run->corpus, matrix, &options);
        if (cancel)
          activate (run, "win.cancel", NULL);
        return g_strdup_printf ("corpus %s dims %u max-vocab %zu%s%s", matrix ? "mtx" : "text", options.svd.dims,
                                options.cooccur.max_vocab, options.matrix.transpose ? " transposed" : "",
                                cancel ? " cancelled" : "");
      }
    case 29:
      {
        guint32 k = (guint32) g_rand_int_range (run->rand, 1, 7);

        activate (run, "win.nmf-k", "u", k);
        return g_strdup_printf ("nmf %u", k);
      }
    case 30:
      {
        guint topic = (guint) g_rand_int_range (run->rand, 0, 8);

        _es_window_color_by_topic (window, topic);
        return g_strdup_printf ("topic %u", topic);
      }
    case 31:
      {
        static const char * const names[] = { "v.txt", "v.bin", "v.npy", "v-glove.txt" };
        const char *name = names[g_rand_int_range (run->rand, 0, G_N_ELEMENTS (names))];
        g_autofree char *path = g_build_filename (run->tmpdir, name, NULL);

        activate (run, "win.save-vectors-to", "s", path);
        return g_strdup_printf ("save vectors %s", name);
      }
    default:
      activate (run, "win.clear-selection", NULL);
      return g_strdup ("clear-selection");
    }
}

static char *
data_path (const char *first,
           ...)
{
  va_list args;
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  char *path;
  const char *part;

  g_ptr_array_add (parts, (gpointer) g_test_get_dir (G_TEST_DIST));
  g_ptr_array_add (parts, (gpointer) "data");
  va_start (args, first);
  for (part = first; part != NULL; part = va_arg (args, const char *))
    g_ptr_array_add (parts, (gpointer) part);
  va_end (args);
  g_ptr_array_add (parts, NULL);
  path = g_build_filenamev ((char **) parts->pdata);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  return path;
}

static void
run_sequence (guint32 seed,
              guint   steps,
              gdouble budget_s)
{
  Run run = { 0 };
  g_autoptr(GTimer) timer = g_timer_new ();
  GtkWidget *widget;

  run.rand = g_rand_new_with_seed (seed);
  run.tmpdir = g_dir_make_tmp ("es-window-random-XXXXXX", NULL);
  run.files = g_ptr_array_new_with_free_func (g_free);
  /* Good files of each format and size (5k × 50, 2.6k × 100, 150 × 4, ...) */
  g_ptr_array_add (run.files, es_window_find_sample ());
  g_ptr_array_add (run.files, data_path ("npm-word2vec", "vectors.txt", NULL));
  g_ptr_array_add (run.files, data_path ("projector", "iris_tensors.tsv", NULL));
  g_ptr_array_add (run.files, data_path ("npy", "iris_f4.npy", NULL));
  g_ptr_array_add (run.files, data_path ("bad", "good.txt", NULL));
  g_ptr_array_add (run.files, data_path ("bad", "good.bin", NULL));
  g_ptr_array_add (run.files, data_path ("gz", "good.bin.gz", NULL));
  g_ptr_array_add (run.files, data_path ("gensim", "test_glove.txt", NULL));
  g_ptr_array_add (run.files, data_path ("bad", "utf8_words.txt", NULL));
  g_ptr_array_add (run.files, data_path ("bad", "zero_vector.txt", NULL));
  g_ptr_array_add (run.files, data_path ("bad", "duplicate_words.txt", NULL));
  /* ... and bad ones: the old picture stays, with an error. */
  g_ptr_array_add (run.files, data_path ("bad", "header_huge.txt", NULL));
  g_ptr_array_add (run.files, data_path ("bad", "truncated.bin", NULL));
  g_ptr_array_add (run.files, data_path ("bad", "empty.txt", NULL));
  g_ptr_array_add (run.files, data_path ("bad", "non_numeric.txt", NULL));
  g_ptr_array_add (run.files, data_path ("bad", "nan.bin", NULL));
  g_ptr_array_add (run.files, data_path ("npy", "iris_3d.npy", NULL));
  g_ptr_array_add (run.files, data_path ("npy", "bad_3d_big_endian.npy", NULL));
  g_ptr_array_add (run.files, data_path ("projector", "iris_tensors.bytes", NULL));
  g_ptr_array_add (run.files, g_build_filename (run.tmpdir, "missing.txt", NULL));
  run.iris_labels = data_path ("projector", "iris_labels.tsv", NULL);
  run.corpus = data_path ("gensim", "lee_background.cor", NULL);
  run.matrix = data_path ("gensim", "dtm_test.mm", NULL);
  /* A .mtx opened like any file: its dialog is dismissed (destroyed with the window). */
  g_ptr_array_add (run.files, data_path ("gensim", "dtm_test.mm", NULL));

  replay_len = 0;
  replay_append ("# seed %u: replay with ES_RANDOM_SEED=%u ES_RANDOM_STEPS=%u\n", seed, seed, steps);
  g_test_message ("seed %u (replay: ES_RANDOM_SEED=%u)", seed, seed);

  run.window = es_window_new (NULL);
  _es_window_set_plot_async_rows (run.window, 2000);
  gtk_window_present (GTK_WINDOW (run.window));

  for (run.step = 0; run.step < steps; run.step++)
    {
      g_autofree char *what = random_action (&run);

      replay_append ("#   %u: %s\n", run.step, what);
      /* Mostly the next action waits for this one; sometimes not. */
      if (g_rand_int_range (run.rand, 0, 4) > 0)
        {
          settle (&run);
          check_invariants (&run);
        }
      else
        spin (g_rand_int_range (run.rand, 0, 5));
      if (budget_s > 0 && g_timer_elapsed (timer, NULL) > budget_s)
        {
          g_test_message ("seed %u: time budget reached after %u steps", seed, run.step + 1);
          break;
        }
    }
  settle (&run);
  check_invariants (&run);
  g_test_message ("seed %u: %u steps in %.1f s", seed, MIN (run.step + 1, steps), g_timer_elapsed (timer, NULL));

  widget = GTK_WIDGET (run.window);
  g_object_add_weak_pointer (G_OBJECT (widget), (gpointer *) &widget);
  gtk_window_destroy (GTK_WINDOW (run.window));
  for (guint i = 0; widget != NULL && i < 5000; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_null (widget);

  ui_test_remove_tree (run.tmpdir);
  g_free (run.tmpdir);
  g_free (run.iris_labels);
  g_free (run.corpus);
  g_free (run.matrix);
  g_ptr_array_unref (run.files);
  g_rand_free (run.rand);
}

static void
test_window_random (void)
{
  const char *seed_env = g_getenv ("ES_RANDOM_SEED");
  const char *steps_env = g_getenv ("ES_RANDOM_STEPS");
  guint32 seed = seed_env != NULL ? (guint32) g_ascii_strtoull (seed_env, NULL, 10) : (guint32) g_test_rand_int ();
  guint steps = steps_env != NULL ? (guint) g_ascii_strtoull (steps_env, NULL, 10) : DEFAULT_STEPS;

  g_test_summary ("Seeded random sequences of user actions on a real window (open good and bad "
                  "files, cancel a load, select, search, analogy, isolate, show all, methods, "
                  "3D, filters, colours, back/forward, Esc, export, corpus and .mtx → LSA, NMF "
                  "topics, save vectors): after every step the "
                  "document is consistent, the plot shows the view's rows with the model's "
                  "marks, no critical or warning is logged (issue 11)");
  run_sequence (seed, steps, steps_env != NULL ? 0 : DEFAULT_BUDGET_S);
}

int
main (int   argc,
      char *argv[])
{
  int status;
  g_autofree char *home = g_dir_make_tmp ("es-test-window-random-XXXXXX", NULL);
  g_autofree char *config = g_build_filename (home, "config", NULL);
  g_autofree char *data = g_build_filename (home, "data", NULL);

  g_mkdir_with_parents (config, 0700);
  g_mkdir_with_parents (data, 0700);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("XDG_DATA_HOME", data, TRUE);

  g_test_init (&argc, &argv, NULL);
  /* g_test_init makes criticals fatal; warnings too, explicitly. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  signal (SIGABRT, abort_handler);
  signal (SIGTRAP, abort_handler);
  if (__sanitizer_set_death_callback != NULL)
    __sanitizer_set_death_callback (print_replay);

  if (!gtk_init_check ())
    {
      ui_test_add_no_display ("/ui/window/random/no-display");
      status = g_test_run ();
      ui_test_remove_tree (home);
      return status;
    }
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/ui/window/random", test_window_random);
  status = g_test_run ();
  ui_test_remove_tree (home);

  return status;
}
