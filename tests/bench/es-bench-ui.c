/* es-bench-ui.c: the frame rate of the real window while a big file loads
 *
 *   xvfb-run -a -s "-screen 0 1400x900x24" es-bench-ui FILE [--after S] [--first F]
 *     [--frames-tsv F] [--default-priority] [--animate tsne|umap]
 *
 * Opens EsWindow on the bundled sample (or --first), then keeps the plot moving (a pan
 * and zoom every frame, from a tick callback) while FILE loads and is
 * reduced in the background, and for --after seconds once it is shown.
 * The interval between two ticks is one frame as the user sees it: any
 * main-thread stall (starved by the workers, flooded by progress, or busy
 * swapping in the data) makes it longer.
 *
 * --animate METHOD: FILE is loaded first (not timed); the frames are timed
 * for --before seconds of pan and zoom alone (fps_still=), then the
 * window's method becomes METHOD and they are timed while the map animates
 * (the engine's frames shown every 200 ms), until the map is done or
 * --after seconds have passed.  load_s is then the animation's length and
 * fps_load the frame rate during it; maps= counts the map frames shown.
 * The ratio of the two rates says what the animation costs on a machine
 * whose load changes between runs.
 *
 * Prints a human summary on stderr and one es-bench line on stdout:
 *   MEAN_FRAME_S  fps=..  worst_ms=..  over33=..  frames=..  load_s=..  swap_ms=..  fps_load=..
 * (mean frame interval in seconds first, as tests/bench/run expects a
 * time; 1/30 s is the 30 fps budget of issue 4).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-bench-ui"

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <math.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "es-scatter-view.h"
#include "es-thread-policy.h"
#include "es-window-private.h"

typedef struct
{
  EsWindow       *window;
  EsScatterView  *plot;
  EsEmbeddingSet *old_set;   /* the first file's: anything else is FILE's */
  GArray         *ticks;     /* gint64 monotonic us of every tick */
  GArray         *cpu;       /* gint64 main-thread CPU us at every tick */
  GArray         *waited;    /* gint64 us the main thread waited for a core */
  gint64          start;
  gint64          arrived;   /* when the plot first drew FILE's points */
  gint64          stop_after;
  EsViewport      home;
  gboolean        done;
  gboolean        animate;
  EsProjection   *last_map;  /* animate: the projection last seen */
  guint           maps;      /* animate: map frames shown */
  const char     *method;    /* animate: started after @before us */
  gint64          before;
  gint64          started;   /* when the map was started */
  gboolean        still;     /* no pan or zoom: a user waiting for the file */
} Bench;

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* Linux schedstat, second field: ns spent runnable but not running. */
static gint64
thread_waited_us (void)
{
  g_autofree char *text = NULL;
  guint64 run = 0, wait = 0;

  if (!g_file_get_contents ("/proc/thread-self/schedstat", &text, NULL, NULL) ||
      sscanf (text, "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, &run, &wait) != 2)
    return 0;
  return (gint64) (wait / 1000);
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  Bench *bench = user_data;
  gint64 now = g_get_monotonic_time ();
  EsScatterData *data = es_scatter_view_get_data (bench->plot);
  EsEmbeddingSet *shown = data != NULL ? es_scatter_data_get_embedding_set (data) : NULL;
  EsViewport viewport = bench->home;
  double t;

  g_array_append_val (bench->ticks, now);
  {
    gint64 cpu = thread_cpu_us (), waited = thread_waited_us ();

    g_array_append_val (bench->cpu, cpu);
    g_array_append_val (bench->waited, waited);
  }

  if (bench->animate && bench->started == 0)
    {
      if (now - bench->start >= bench->before)
        {
          bench->started = now;
          g_object_set (bench->window, "method", bench->method, NULL);
          bench->last_map = es_window_get_projection (bench->window);
        }
    }
  else if (bench->animate)
    {
      EsProjection *projection = es_window_get_projection (bench->window);

      if (projection != bench->last_map)
        {
          bench->last_map = projection;
          bench->maps++;
        }
      /* Done: the map finished (the job is gone), or time is up. */
      if ((!es_window_get_busy (bench->window) && now - bench->started > G_USEC_PER_SEC / 2) ||
          now - bench->started >= bench->stop_after)
        {
          bench->arrived = now;
          bench->done = TRUE;
          return G_SOURCE_REMOVE;
        }
    }
  /* Shown: the plot draws FILE's points (maybe built in a worker). */
  else if (bench->arrived == 0 && shown != NULL && shown != bench->old_set &&
      shown == es_window_get_view_set (bench->window))
    {
      bench->arrived = now;
      es_scatter_view_get_viewport (bench->plot, &bench->home);
      viewport = bench->home;
    }
  if (bench->arrived != 0 && now - bench->arrived >= bench->stop_after)
    {
      bench->done = TRUE;
      return G_SOURCE_REMOVE;
    }

  if (bench->still)
    return G_SOURCE_CONTINUE;

  /* A slow circle and a breathing zoom: every frame differs. */
  t = (double) (now - bench->start) / G_USEC_PER_SEC;
  viewport.center_x += 0.02 * cos (t * 2.0);
  viewport.center_y += 0.02 * sin (t * 2.0);
  viewport.scale *= 1.0 + 0.05 * sin (t * 3.0);
  es_scatter_view_set_viewport (bench->plot, &viewport);

  return G_SOURCE_CONTINUE;
}

/* Loaded, reduced, and drawn (big plot data is built in a worker). */
static gboolean
is_ready (EsWindow *window)
{
  EsScatterData *data = es_scatter_view_get_data (ES_SCATTER_VIEW (es_window_get_plot (window)));

  return !es_window_get_busy (window) && es_window_get_projection (window) != NULL &&
         data != NULL &&
         es_scatter_data_get_embedding_set (data) == es_window_get_view_set (window);
}

static gboolean
wait_ready (EsWindow *window,
            gint64    timeout_us)
{
  gint64 end = g_get_monotonic_time () + timeout_us;

  while (!is_ready (window) && g_get_monotonic_time () < end)
    {
      if (es_window_get_error (window) != NULL)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return is_ready (window);
}

/* Only what the window wrote into its own temporary XDG dirs. */
static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children =
    g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                               G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);

  if (children != NULL)
    {
      GFileInfo *info;
      GFile *child;

      while (g_file_enumerator_iterate (children, &info, &child, NULL, NULL) && info != NULL)
        remove_tree (child);
    }
  g_file_delete (file, NULL, NULL);
}

static void
settle (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

int
main (int   argc,
      char *argv[])
{
  double after = 1.0;
  gboolean default_priority = FALSE;
  gboolean still = FALSE;
  double timeout = 300.0;
  g_autofree char *frames_tsv = NULL;
  g_autofree char *first = NULL;
  g_autofree char *animate = NULL;
  double before = 10.0;
  const GOptionEntry entries[] = {
    { "before", 0, 0, G_OPTION_ARG_DOUBLE, &before,
      "--animate: seconds of pan and zoom alone before the map starts (10)", "S" },
    { "animate", 0, 0, G_OPTION_ARG_STRING, &animate,
      "Load FILE, then time the frames while a tsne or umap map animates", "METHOD" },
    { "after", 0, 0, G_OPTION_ARG_DOUBLE, &after,
      "Seconds to keep measuring once FILE is shown (1)", "S" },
    { "timeout", 0, 0, G_OPTION_ARG_DOUBLE, &timeout,
      "Give up after this many seconds (300)", "S" },
    { "default-priority", 0, 0, G_OPTION_ARG_NONE, &default_priority,
      "Do not lower the workers' priority (the app does)", NULL },
    { "still", 0, 0, G_OPTION_ARG_NONE, &still,
      "Do not move the plot (load+reduce as when the user just waits: tests/bench/ui-vs-cli)", NULL },
    { "first", 0, 0, G_OPTION_ARG_FILENAME, &first,
      "Show this file before FILE (the bundled sample)", "F" },
    { "frames-tsv", 0, 0, G_OPTION_ARG_FILENAME, &frames_tsv,
      "Write every frame (ms since start, interval ms, main-thread CPU and wait ms)", "F" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE");
  g_autoptr(GError) error = NULL;
  g_autofree char *sample = NULL;
  g_autofree char *tmp = NULL;
  Bench bench = { 0 };
  double worst_cpu = 0.0;
  double worst = 0.0, swap = 0.0, sum = 0.0, sum_load = 0.0;
  guint over = 0, n = 0, n_load = 0, n_still = 0;
  double sum_still = 0.0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "usage: es-bench-ui FILE");
      return 2;
    }

  /* Headless defaults (TOOLCHAIN.md), and keep recent files out of $HOME. */
  g_setenv ("GDK_BACKEND", "x11", FALSE);
  g_setenv ("GTK_A11Y", "none", FALSE);
  g_setenv ("NO_AT_BRIDGE", "1", FALSE);
  g_setenv ("GSETTINGS_BACKEND", "memory", FALSE);
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  tmp = g_dir_make_tmp ("es-bench-ui-XXXXXX", NULL);
  if (tmp != NULL)
    {
      g_autofree char *config = g_build_filename (tmp, "config", NULL);
      g_autofree char *data = g_build_filename (tmp, "data", NULL);

      g_setenv ("XDG_CONFIG_HOME", config, TRUE);
      g_setenv ("XDG_DATA_HOME", data, TRUE);
    }

  /* As the app does before GTK starts. */
  if (!default_priority)
    es_thread_policy_install ();
  if (!gtk_init_check ())
    {
      g_printerr ("no display (run under xvfb-run)\n");
      return 77;  /* a skip for meson */
    }
  bench.window = es_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (bench.window), 1280, 800);
  gtk_window_present (GTK_WINDOW (bench.window));
  bench.plot = ES_SCATTER_VIEW (es_window_get_plot (bench.window));

  sample = first != NULL ? g_strdup (first) : es_window_find_sample ();
  if (sample == NULL)
    {
      g_printerr ("the bundled sample is missing\n");
      return 1;
    }
  _es_window_load_path (bench.window, sample, 0, NULL);
  if (!wait_ready (bench.window, 60 * G_USEC_PER_SEC))
    {
      g_printerr ("sample: %s\n", es_window_get_error (bench.window));
      return 1;
    }
  settle (300);
  bench.old_set = es_window_get_view_set (bench.window);
  es_scatter_view_get_viewport (bench.plot, &bench.home);

  if (animate != NULL)
    {
      /* FILE first, untimed; the frames are timed while the map runs. */
      _es_window_load_path (bench.window, argv[1], 0, NULL);
      if (!wait_ready (bench.window, (gint64) (timeout * G_USEC_PER_SEC)))
        {
          g_printerr ("%s: %s\n", argv[1], es_window_get_error (bench.window));
          return 1;
        }
      settle (300);
      es_scatter_view_get_viewport (bench.plot, &bench.home);
      bench.animate = TRUE;
      bench.method = animate;
      bench.before = (gint64) (before * G_USEC_PER_SEC);
      if (after <= 1.0)
        after = timeout;
    }

  bench.ticks = g_array_new (FALSE, FALSE, sizeof (gint64));
  bench.cpu = g_array_new (FALSE, FALSE, sizeof (gint64));
  bench.waited = g_array_new (FALSE, FALSE, sizeof (gint64));
  bench.stop_after = (gint64) (after * G_USEC_PER_SEC);
  bench.still = still;
  bench.start = g_get_monotonic_time ();
  gtk_widget_add_tick_callback (GTK_WIDGET (bench.plot), tick_cb, &bench, NULL);
  if (animate == NULL)
    /* Not es_window_open: it would ask whether to load only the first rows. */
    _es_window_load_path (bench.window, argv[1], 0, NULL);

  while (!bench.done)
    {
      if (es_window_get_error (bench.window) != NULL)
        {
          g_printerr ("%s\n", es_window_get_error (bench.window));
          return 1;
        }
      if (g_get_monotonic_time () - bench.start > (gint64) (timeout * G_USEC_PER_SEC))
        {
          /* A map's workers may still run: leaving through exit() would
           * run the libraries' destructors under them (it crashed so).
           */
          g_printerr ("timed out\n");
          _exit (1);
        }
      g_main_context_iteration (NULL, TRUE);
    }

  {
    g_autoptr(GString) frames = g_string_new ("ms\tinterval_ms\tmain_cpu_ms\tmain_waited_ms\n");
    const gint64 *t = (const gint64 *) (gpointer) bench.ticks->data;
    const gint64 *c = (const gint64 *) (gpointer) bench.cpu->data;
    const gint64 *w = (const gint64 *) (gpointer) bench.waited->data;

    for (guint i = 1; i < bench.ticks->len; i++)
      {
        double gap = (double) (t[i] - t[i - 1]) / 1000.0;

        n++;
        sum += gap;
        worst = MAX (worst, gap);
        over += gap > 1000.0 / 30.0;
        if (bench.animate && t[i] <= bench.started)
          {
            n_still++;
            sum_still += gap;
          }
        else if (t[i] <= bench.arrived)
          {
            n_load++;
            sum_load += gap;
          }
        /* The frame that swaps the data in, and the first draws of it. */
        if (!bench.animate && t[i] >= bench.arrived && t[i - 1] <= bench.arrived + G_USEC_PER_SEC / 2)
          swap = MAX (swap, gap);
        worst_cpu = MAX (worst_cpu, (double) (c[i] - c[i - 1]) / 1000.0);
        g_string_append_printf (frames, "%.2f\t%.2f\t%.2f\t%.2f\n",
                                (double) (t[i] - bench.start) / 1000.0, gap,
                                (double) (c[i] - c[i - 1]) / 1000.0,
                                (double) (w[i] - w[i - 1]) / 1000.0);
      }
    if (frames_tsv != NULL && !g_file_set_contents (frames_tsv, frames->str, -1, &error))
      g_printerr ("%s\n", error->message);
  }
  if (n == 0)
    {
      g_printerr ("no frames\n");
      return 1;
    }

  {
    double load_s = (double) (bench.arrived - (bench.animate ? bench.started : bench.start)) / G_USEC_PER_SEC;
    double fps_still = n_still > 0 ? n_still / (sum_still / 1000.0) : 0.0;
    double mean = sum / n / 1000.0;
    double fps_load = n_load > 0 ? n_load / (sum_load / 1000.0) : 0.0;
    EsEmbeddingSet *set = es_window_get_embedding_set (bench.window);
    guint last = bench.ticks->len - 1;
    const gint64 *c = (const gint64 *) (gpointer) bench.cpu->data;
    const gint64 *w = (const gint64 *) (gpointer) bench.waited->data;
    double cpu_s = (double) (c[last] - c[0]) / G_USEC_PER_SEC;
    double waited_s = (double) (w[last] - w[0]) / G_USEC_PER_SEC;

    if (bench.animate)
      g_printerr ("%s: %s map animated for %.2f s, %u map frames shown; %.1f fps while it ran, "
                  "%.1f fps before it (pan and zoom alone), ratio %.2f\n",
                  argv[1], animate, load_s, bench.maps, fps_load, fps_still,
                  fps_still > 0 ? fps_load / fps_still : 0.0);
    g_printerr ("%s: %zu rows shown after %.2f s (load + reduce); %u frames, "
                "%.1f fps overall, %.1f fps until shown, worst frame %.1f ms, %u over 33 ms, "
                "worst around the swap %.1f ms; main thread: %.2f s CPU, worst frame %.1f ms "
                "CPU, %.2f s waiting for a core\n",
                argv[1], set != NULL ? es_embedding_set_get_rows (set) : 0, load_s, n, 1.0 / mean,
                fps_load, worst, over, swap, cpu_s, worst_cpu, waited_s);
    printf ("%.6f\tfps=%.2f\tworst_ms=%.2f\tover33=%u\tframes=%u\tload_s=%.3f\tswap_ms=%.2f"
            "\tfps_load=%.2f\tmain_cpu_s=%.3f\tworst_cpu_ms=%.2f\tmain_waited_s=%.3f\tmaps=%u\tfps_still=%.2f\n",
            mean, 1.0 / mean, worst, over, n, load_s, swap, fps_load, cpu_s, worst_cpu, waited_s,
            bench.maps, fps_still);
  }

  g_array_unref (bench.ticks);
  g_array_unref (bench.cpu);
  g_array_unref (bench.waited);
  gtk_window_destroy (GTK_WINDOW (bench.window));
  if (tmp != NULL)
    {
      g_autoptr(GFile) dir = g_file_new_for_path (tmp);

      remove_tree (dir);
    }
  return 0;
}
