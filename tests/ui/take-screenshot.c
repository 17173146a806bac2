/* take-screenshot.c: the README/AppStream screenshot, made reproducibly
 *
 *   xvfb-run -a -s "-screen 0 1400x900x24" build/tests/take-screenshot docs/screenshot.png \
 *     [--file F] [--metadata M] [--word W] [--analogy A] [--method M] [--three-d] [--dark]
 *     [--clusters K] [--density]
 *     [--search TEXT] [--width PX] [--hold MS] [--filter TEXT] [--color N] [--export TSV]
 *     [--corpus TEXT [--dims K] [--dialog-hold MS] [--progress PNG] [--topics K [--topic N]]]
 *     [--save-vectors OUT [--progress PNG]]
 *
 * --corpus opens a plain-text corpus through Open Corpus's dialog (held up
 * --dialog-hold ms, for `xwd -id`), --progress renders the window while the
 * job counts, --topics runs NMF and --topic clicks one topic.  --save-vectors
 * runs Save Vectors As… to OUT (--progress: the window while it writes).
 *
 * Opens the main window (on the bundled sample by default), selects a
 * word, solves an analogy and renders the window with GTK's own renderer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "take-screenshot"

#include "config.h"

#include <gtk/gtk.h>

#include "es-analogy-panel.h"
#include "es-job.h"
#include "es-neighbors-panel.h"
#include "es-window.h"
#include "es-window-private.h"
#include "es-word-search.h"

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

static gboolean
save_window (EsWindow   *window,
             const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (GTK_WIDGET (window));
  int height = gtk_widget_get_height (GTK_WIDGET (window));

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  return gdk_texture_save_to_png (texture, path);
}

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Open Corpus… as a user runs it: the dialog, then the job. */
static void
open_corpus (EsWindow   *window,
             const char *corpus,
             int         dims,
             int         dialog_hold,
             const char *progress)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWidget *dialog = NULL;
  gboolean shot = FALSE;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-corpus-path", "s", corpus);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);

      if (w != GTK_WIDGET (window) && gtk_widget_get_visible (w))
        dialog = w;
    }
  if (dialog == NULL)
    return;
  if (dims > 0)
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (find_named (dialog, "dims")), dims);
  spin ((guint) MAX (dialog_hold, 200));
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  while (window->load_job == NULL)
    g_main_context_iteration (NULL, TRUE);
  while (es_window_get_busy (window))
    {
      if (progress != NULL && !shot && window->load_job != NULL && es_job_get_fraction (window->load_job) > 0.2)
        {
          spin (50);
          shot = save_window (window, progress);
        }
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkCssProvider) provider = NULL;
  g_autofree char *sample = NULL;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  g_autofree char *metadata = NULL;
  g_autofree char *word = NULL;
  g_autofree char *analogy = NULL;
  g_autofree char *method = NULL;
  gboolean three_d = FALSE;
  int clusters = 0;
  gboolean dark = FALSE;
  gboolean density = FALSE;
  g_autofree char *search = NULL;
  g_autofree char *filter = NULL;
  g_autofree char *export = NULL;
  g_autofree char *save_vectors = NULL;
  int color = -1;
  int hold = 0;
  g_autofree char *corpus = NULL;
  g_autofree char *progress = NULL;
  int dims = 0, dialog_hold = 0, topics = 0, topic = -1;
  int window_width = 1280;
  const GOptionEntry entries[] = {
    { "file", 0, 0, G_OPTION_ARG_FILENAME, &file, "Embedding to open", "FILE" },
    { "metadata", 0, 0, G_OPTION_ARG_FILENAME, &metadata, "Metadata TSV to add", "FILE" },
    { "word", 0, 0, G_OPTION_ARG_STRING, &word, "Word to select", "WORD" },
    { "analogy", 0, 0, G_OPTION_ARG_STRING, &analogy, "Expression to solve", "EXPR" },
    { "method", 0, 0, G_OPTION_ARG_STRING, &method, "pca, svd, axes, identity, tsne or umap", "METHOD" },
    { "three-d", 0, 0, G_OPTION_ARG_NONE, &three_d, "Show three components", NULL },
    { "clusters", 0, 0, G_OPTION_ARG_INT, &clusters, "Colour by K k-means clusters", "K" },
    { "dark", 0, 0, G_OPTION_ARG_NONE, &dark, "Dark style", NULL },
    { "density", 0, 0, G_OPTION_ARG_NONE, &density, "Turn the density map on (its menu action)", NULL },
    { "search", 0, 0, G_OPTION_ARG_STRING, &search, "Text typed into the search entry", "TEXT" },
    { "filter", 0, 0, G_OPTION_ARG_STRING, &filter, "Filter text (a regex when it starts with ^)", "TEXT" },
    { "color", 0, 0, G_OPTION_ARG_INT, &color, "Colour menu entry (1: the first metadata column)", "N" },
    { "export", 0, 0, G_OPTION_ARG_FILENAME, &export, "Export the coordinates there (shows the note)", "TSV" },
    { "save-vectors", 0, 0, G_OPTION_ARG_FILENAME, &save_vectors, "Save Vectors As… there (a job)", "OUT" },
    { "width", 0, 0, G_OPTION_ARG_INT, &window_width, "Window width (1280; a narrow one shows the compact header)", "PX" },
    { "corpus", 0, 0, G_OPTION_ARG_FILENAME, &corpus, "Open this text corpus (Open Corpus…)", "TEXT" },
    { "dims", 0, 0, G_OPTION_ARG_INT, &dims, "Dimensions asked in the corpus dialog", "K" },
    { "dialog-hold", 0, 0, G_OPTION_ARG_INT, &dialog_hold, "Keep the corpus dialog up this many ms", "MS" },
    { "progress", 0, 0, G_OPTION_ARG_FILENAME, &progress, "Render the window while the corpus or save job runs", "PNG" },
    { "topics", 0, 0, G_OPTION_ARG_INT, &topics, "NMF topics of the corpus", "K" },
    { "topic", 0, 0, G_OPTION_ARG_INT, &topic, "Topic clicked (0: the first)", "N" },
    { "hold", 0, 0, G_OPTION_ARG_INT, &hold, "Keep the window up this many ms (for `import`, which also shows popovers)", "MS" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("OUTPUT.png");
  g_autoptr(GError) error = NULL;
  EsWindow *window;
  int width, height;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc < 2)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "usage: take-screenshot OUTPUT.png");
      return 2;
    }
  if (file == NULL && corpus == NULL)
    {
      word = word != NULL ? word : g_strdup ("king");
      analogy = analogy != NULL ? analogy : g_strdup ("king - man + woman");
    }

  gtk_init ();
  g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", dark, NULL);
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/embedscope/Embedscope/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  window = es_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), window_width, 800);
  gtk_window_present (GTK_WINDOW (window));

  sample = file != NULL ? g_strdup (file) : es_window_find_sample ();
  if (method != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.method", "s", method);
  if (three_d)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.three-d", NULL);
  spin (100);
  if (corpus != NULL)
    {
      open_corpus (window, corpus, dims, dialog_hold, progress);
      if (topics > 0)
        {
          gtk_widget_activate_action (GTK_WIDGET (window), "win.nmf-k", "u", (guint32) topics);
          spin (100);
          while (es_window_get_busy (window))
            g_main_context_iteration (NULL, TRUE);
          if (topic >= 0)
            _es_window_color_by_topic (window, (guint) topic);
        }
    }
  else
    gtk_widget_activate_action (GTK_WIDGET (window), "win.open-path", "s", sample);
  while (es_window_get_busy (window) || es_window_get_projection (window) == NULL)
    {
      if (es_window_get_error (window) != NULL)
        {
          g_printerr ("%s\n", es_window_get_error (window));
          return 1;
        }
      g_main_context_iteration (NULL, TRUE);
    }

  if (metadata != NULL)
    {
      gtk_widget_activate_action (GTK_WIDGET (window), "win.open-metadata-path", "s", metadata);
      spin (200);
      while (es_window_get_busy (window))
        g_main_context_iteration (NULL, TRUE);
    }
  if (clusters > 0)
    {
      gtk_widget_activate_action (GTK_WIDGET (window), "win.clusters", "u", (guint32) clusters);
      while (es_window_get_busy (window))
        g_main_context_iteration (NULL, TRUE);
    }
  if (density)
    gtk_widget_activate_action (es_window_get_plot (window), "plot.show-density", NULL);
  if (word != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.select-word", "s", word);
  if (analogy != NULL)
    {
      EsAnalogyPanel *panel = ES_ANALOGY_PANEL (find_descendant (GTK_WIDGET (window), ES_TYPE_ANALOGY_PANEL));

      es_analogy_panel_set_expression (panel, analogy);
      gtk_widget_activate_action (GTK_WIDGET (panel), "panel.analogy", NULL);
    }
  if (search != NULL)
    {
      EsWordSearch *entry = ES_WORD_SEARCH (find_descendant (GTK_WIDGET (window), ES_TYPE_WORD_SEARCH));

      while (!es_word_search_is_ready (entry))
        g_main_context_iteration (NULL, TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (entry));
      es_word_search_set_text (entry, search);
    }
  if (filter != NULL)
    g_object_set (window, "filter-regex", filter[0] == '^', "filter-text", filter, NULL);
  if (color >= 0)
    gtk_drop_down_set_selected (window->color_dropdown, (guint) color);
  if (export != NULL)
    {
      spin (500);
      gtk_widget_activate_action (GTK_WIDGET (window), "win.export-to", "(ss)", "coordinates", export);
    }
  if (save_vectors != NULL)
    {
      gboolean shot = FALSE;

      spin (500);
      gtk_widget_activate_action (GTK_WIDGET (window), "win.save-vectors-to", "s", save_vectors);
      while (es_window_get_busy (window))
        {
          if (progress != NULL && !shot && window->save_job != NULL && es_job_get_fraction (window->save_job) > 0.2)
            {
              spin (50);
              shot = save_window (window, progress);
            }
          g_main_context_iteration (NULL, FALSE);
          g_usleep (1000);
        }
    }
  spin (1500);
  if (es_window_get_error (window) != NULL)
    g_printerr ("window error: %s\n", es_window_get_error (window));

  width = gtk_widget_get_width (GTK_WIDGET (window));
  height = gtk_widget_get_height (GTK_WIDGET (window));
  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, argv[1]))
    {
      g_printerr ("could not write %s\n", argv[1]);
      return 1;
    }

  spin ((guint) MAX (hold, 0));
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
