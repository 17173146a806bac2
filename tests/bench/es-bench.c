/* es-bench.c: times ONE Embedscope operation per invocation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints one line on stdout: the seconds of the operation (a median where
 * the operation is repeated), then key=value extras separated by tabs.
 * The driver (tests/bench/run) takes medians over runs and compares with
 * the peers; tests/meson.build runs every operation once on a tiny file
 * so the code paths stay correct.
 */

#define G_LOG_DOMAIN "es-bench"

#include "config.h"

#include "es-blas.h"
#include "es-engine-error.h"
#include "es-loader.h"
#include "es-point-index.h"
#include "es-neighbors-private.h"
#include "es-plot-density-private.h"
#include "es-projection.h"
#include "es-scatter-data.h"
#include "es-scatter-renderer.h"
#include "es-viewport.h"

#include <cairo.h>
#include <cblas.h>
#include <fontconfig/fontconfig.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct
{
  const char *op;
  const char *file;
  gint64      points;
  gint        frames;
  gint        queries;
  gint        threads;
  gboolean    no_labels;
  double      zoom;
  gint        categories;
  const char *output;
  gboolean    density;
} BenchOptions;

static double
now_s (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* CPU time of the whole process, all threads (a query's scan threads). */
static double
process_cpu_s (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* CPU time of this thread: what a frame costs, whatever else the
 * (shared) machine is doing.
 */
static double
thread_cpu_s (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *values,
        gsize   n)
{
  qsort (values, n, sizeof (double), compare_double);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/* Extras are printed after the seconds, locale-independently. */
static GString *extras;

static void
add_extra (const char *key,
           double      value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_printf (extras, "\t%s=%s", key,
                          g_ascii_formatd (buf, sizeof buf, "%.6g", value));
}

static void
print_result (double seconds)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  printf ("%s%s\n", g_ascii_formatd (buf, sizeof buf, "%.9g", seconds), extras->str);
}

static EsEmbeddingSet *
load (const char  *file,
      double      *seconds,
      GError     **error)
{
  EsLoadOptions options;
  EsEmbeddingSet *set;
  double t0;

  if (file == NULL)
    {
      g_set_error_literal (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                           "this operation needs a FILE");
      return NULL;
    }

  es_load_options_init (&options);
  t0 = now_s ();
  set = es_loader_load_path (file, &options, NULL, NULL, NULL, error);
  if (seconds != NULL)
    *seconds = now_s () - t0;

  return set;
}

/* ---- memory bandwidth: every thread sums its slice once ---- */

typedef float EsV4 __attribute__ ((vector_size (16)));

typedef struct
{
  const float *data;
  gsize        n;
  float        sum;
} StreamSlice;

static gpointer
stream_slice (gpointer user_data)
{
  StreamSlice *slice = user_data;
  EsV4 acc[4] = { { 0 } };
  gsize i = 0, blocks = slice->n / 16;
  float sum = 0;

  /* Four independent vector sums: bound by memory, not by the adds. */
  for (gsize b = 0; b < blocks; b++, i += 16)
    for (int k = 0; k < 4; k++)
      {
        EsV4 v;

        memcpy (&v, slice->data + i + 4 * k, sizeof v);
        acc[k] += v;
      }
  for (; i < slice->n; i++)
    sum += slice->data[i];
  for (int k = 0; k < 4; k++)
    sum += acc[k][0] + acc[k][1] + acc[k][2] + acc[k][3];
  slice->sum = sum;

  return NULL;
}

/* GB/s of reading @n floats once with @threads threads, best of @reps. */
static double
stream_bandwidth (const float *data,
                  gsize        n,
                  guint        threads,
                  guint        reps)
{
  double best = 0;

  threads = CLAMP (threads, 1, 16);
  for (guint r = 0; r < reps; r++)
    {
      StreamSlice slices[16];
      GThread *workers[16];
      gsize per = n / threads;
      double t0, seconds;

      t0 = now_s ();
      for (guint t = 0; t < threads; t++)
        {
          slices[t].data = data + t * per;
          slices[t].n = t + 1 < threads ? per : n - t * per;
          workers[t] = t == 0 ? NULL : g_thread_new ("stream", stream_slice, &slices[t]);
        }
      stream_slice (&slices[0]);
      for (guint t = 1; t < threads; t++)
        g_thread_join (workers[t]);
      seconds = now_s () - t0;

      /* Keep the sums alive so the loop is not optimised away. */
      if (slices[0].sum == 12345.678f)
        g_message ("unlikely sum");
      best = MAX (best, n * sizeof (float) / seconds / 1e9);
    }

  return best;
}

/* Machine bandwidth over @data: the best of 1 thread and all cores. */
static double
measure_bandwidth (const float *data,
                   gsize        n)
{
  guint cores = g_get_num_processors ();
  double one = stream_bandwidth (data, n, 1, 3);
  double all = cores > 1 ? stream_bandwidth (data, n, cores, 3) : one;

  add_extra ("bw1_gbs", one);
  add_extra ("bw_gbs", MAX (one, all));

  return MAX (one, all);
}

static int
op_bandwidth (const BenchOptions  *opts,
              GError             **error)
{
  gsize n = (gsize) (opts->points > 0 ? opts->points : 128 * 1024 * 1024);
  g_autofree float *data = g_new (float, n);
  double gbs;

  /* Touch every page first: the first pass would measure page faults. */
  for (gsize i = 0; i < n; i++)
    data[i] = (float) (i & 1023);
  gbs = measure_bandwidth (data, n);
  add_extra ("bytes", n * sizeof (float));
  print_result (n * sizeof (float) / (gbs * 1e9));

  return 0;
}

/* ---- load, PCA, neighbours ---- */

static int
op_load (const BenchOptions  *opts,
         GError             **error)
{
  g_autoptr(EsEmbeddingSet) set = NULL;
  double seconds;
  gsize word_bytes = 0;

  set = load (opts->file, &seconds, error);
  if (set == NULL)
    return 1;

  for (gsize i = 0; i < es_embedding_set_get_rows (set); i++)
    word_bytes += es_embedding_set_get_word_len (set, i) + 1;

  add_extra ("rows", es_embedding_set_get_rows (set));
  add_extra ("dims", es_embedding_set_get_dims (set));
  add_extra ("matrix_bytes", (double) es_embedding_set_get_rows (set) *
                             es_embedding_set_get_dims (set) * sizeof (float));
  add_extra ("word_bytes", word_bytes);
  print_result (seconds);

  return 0;
}

static int
op_pca (const BenchOptions  *opts,
        GError             **error)
{
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(EsProjection) projection = NULL;
  EsProjectionOptions options;
  const double *ratio;
  guint n = 0;
  double t0, seconds;

  set = load (opts->file, NULL, error);
  if (set == NULL)
    return 1;

  es_projection_options_init (&options);
  options.method = ES_METHOD_PCA;
  options.n_components = MIN (3, es_embedding_set_get_dims (set));

  t0 = now_s ();
  projection = es_projection_compute (set, &options, NULL, NULL, NULL, error);
  seconds = now_s () - t0;
  if (projection == NULL)
    return 1;

  ratio = es_projection_get_explained_variance_ratio (projection, &n);
  for (guint i = 0; i < n; i++)
    {
      char key[16];

      g_snprintf (key, sizeof key, "evr%u", i + 1);
      add_extra (key, ratio[i]);
    }
  print_result (seconds);

  return 0;
}

/* @n query rows spread over the file, like the peers pick them. */
static gsize *
pick_rows (EsEmbeddingSet *set,
           guint           n)
{
  gsize rows = es_embedding_set_get_rows (set);
  gsize step = MAX (rows / n, 1);
  gsize *picked = g_new (gsize, n);

  for (guint i = 0; i < n; i++)
    picked[i] = MIN (i * step, rows - 1);

  return picked;
}

static double *
row_as_double (EsEmbeddingSet *set,
               gsize           row)
{
  gsize dims = es_embedding_set_get_dims (set);
  const float *v = es_embedding_set_get_vector (set, row);
  double *q = g_new (double, MAX (dims, 1));

  for (gsize j = 0; j < dims; j++)
    q[j] = v[j];

  return q;
}

static gboolean
check_neighbors (GArray  *result,
                 guint    k,
                 gsize    rows,
                 GError **error)
{
  guint expected = (guint) MIN ((gsize) k, rows - 1);

  if (result->len != expected)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC,
                   "expected %u neighbours, got %u", expected, result->len);
      return FALSE;
    }
  return TRUE;
}

/* One bare OpenBLAS sgemv over the whole matrix (median of 5): the core of
 * numpy's x @ q, so of gensim's most_similar.  Not a floor: sgemv threads
 * itself and spends more CPU per byte here than our sdot-per-row scan.
 */
static double
gemv_floor (EsEmbeddingSet *set,
            gsize           row)
{
  gsize rows = es_embedding_set_get_rows (set);
  gsize dims = es_embedding_set_get_dims (set);
  g_autofree float *scores = g_new (float, rows);
  double times[5];

  for (guint r = 0; r < G_N_ELEMENTS (times); r++)
    {
      double t0 = now_s ();

      cblas_sgemv (CblasRowMajor, CblasNoTrans, (blasint) rows, (blasint) dims, 1.0f,
                   es_matrix_get_data (es_embedding_set_get_matrix (set)), (blasint) dims,
                   es_embedding_set_get_vector (set, row), 1, 0.0f, scores, 1);
      times[r] = now_s () - t0;
    }

  return median (times, G_N_ELEMENTS (times));
}

static int
op_knn_single (const BenchOptions  *opts,
               GError             **error)
{
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autofree gsize *picked = NULL;
  g_autofree double *times = NULL;
  g_autofree double *cpu = NULL;
  guint n = MAX (opts->queries, 1);
  gsize rows, bytes;
  double gbs, seconds, mean = 0;

  set = load (opts->file, NULL, error);
  if (set == NULL)
    return 1;
  rows = es_embedding_set_get_rows (set);
  bytes = rows * es_embedding_set_get_dims (set) * sizeof (float);

  picked = pick_rows (set, n);
  times = g_new (double, n);
  cpu = g_new (double, n);

  /* Warm-up: the norms are computed once per set, like gensim's (peers.py
   * calls most_similar once before its timed loop).  CPU time is reported
   * too: on a shared machine it shows the work when the wall time is noisy.
   */
  for (guint i = 0; i <= n; i++)
    {
      gsize row = picked[i == 0 ? 0 : i - 1];
      g_autofree double *query = row_as_double (set, row);
      g_autoptr(GArray) result = NULL;
      double t0 = now_s (), c0 = process_cpu_s ();

      result = es_neighbors_search (set, query, ES_METRIC_COSINE, 10, &row, 1, 0, NULL, error);
      if (i > 0)
        {
          times[i - 1] = now_s () - t0;
          cpu[i - 1] = process_cpu_s () - c0;
        }
      if (result == NULL || !check_neighbors (result, 10, rows, error))
        return 1;
    }

  for (guint i = 0; i < n; i++)
    mean += times[i] / n;
  seconds = median (times, n);
  add_extra ("min_s", times[0]);
  add_extra ("mean_s", mean);
  add_extra ("cpu_s", median (cpu, n));
  add_extra ("cpu_min_s", cpu[0]);
  add_extra ("gemv_s", gemv_floor (set, picked[0]));
  gbs = measure_bandwidth (es_matrix_get_data (es_embedding_set_get_matrix (set)),
                           bytes / sizeof (float));
  add_extra ("matrix_bytes", bytes);
  add_extra ("bound_s", bytes / (gbs * 1e9));
  add_extra ("queries", n);
  print_result (seconds);

  return 0;
}

static int
op_knn_batched (const BenchOptions  *opts,
                GError             **error)
{
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autofree gsize *picked = NULL;
  g_autofree EsNeighborQuery *queries = NULL;
  g_autofree GArray **results = NULL;
  g_autofree double *vectors = NULL;
  guint n = MAX (opts->queries, 1);
  gsize rows, dims;
  double times[3];

  set = load (opts->file, NULL, error);
  if (set == NULL)
    return 1;
  rows = es_embedding_set_get_rows (set);
  dims = es_embedding_set_get_dims (set);

  picked = pick_rows (set, n);
  queries = g_new (EsNeighborQuery, n);
  results = g_new0 (GArray *, n);
  vectors = g_new (double, (gsize) n * MAX (dims, 1));
  for (guint q = 0; q < n; q++)
    {
      const float *v = es_embedding_set_get_vector (set, picked[q]);

      for (gsize j = 0; j < dims; j++)
        vectors[q * dims + j] = v[j];
      queries[q].vector = vectors + q * dims;
      queries[q].exclude = &picked[q];
      queries[q].n_exclude = 1;
    }

  /* Warm-up (norms), then the whole batch three times. */
  g_array_unref (es_neighbors_search (set, queries[0].vector, ES_METRIC_COSINE, 10,
                                      NULL, 0, 0, NULL, NULL));
  for (guint r = 0; r < G_N_ELEMENTS (times); r++)
    {
      double t0 = now_s ();
      gboolean ok = _es_neighbors_search_many (set, queries, n, ES_METRIC_COSINE, 10, 0,
                                               NULL, results, error);

      times[r] = (now_s () - t0) / n;
      if (!ok)
        return 1;
      for (guint q = 0; q < n; q++)
        {
          gboolean good = check_neighbors (results[q], 10, rows, error);

          g_clear_pointer (&results[q], g_array_unref);
          if (!good)
            return 1;
        }
    }

  add_extra ("queries", n);
  print_result (median (times, G_N_ELEMENTS (times)));

  return 0;
}

/* ---- drawing ---- */

/* Points to draw: the PCA of FILE, or a normal cloud (what a PCA of a
 * large embedding looks like) of --points points with generated words.
 */
static EsScatterData *
make_points (const BenchOptions  *opts,
             gboolean             three_d,
             GError             **error)
{
  g_autoptr(GRand) rand = NULL;
  g_autofree float *coords = NULL;
  g_autofree char *arena = NULL;
  g_autofree const char **words = NULL;
  gsize n, used = 0;

  if (opts->file != NULL)
    {
      g_autoptr(EsEmbeddingSet) set = NULL;
      g_autoptr(EsProjection) projection = NULL;
      EsProjectionOptions options;

      set = load (opts->file, NULL, error);
      if (set == NULL)
        return NULL;
      es_projection_options_init (&options);
      options.method = ES_METHOD_PCA;
      options.n_components = 3;
      projection = es_projection_compute (set, &options, NULL, NULL, NULL, error);
      if (projection == NULL)
        return NULL;
      return es_scatter_data_new_from_projection (set, projection, 0, 1, three_d ? 2 : -1, error);
    }

  n = (gsize) (opts->points > 0 ? opts->points : 100000);
  rand = g_rand_new_with_seed (1);
  coords = g_new (float, 3 * n);
  arena = g_malloc (n * 12);
  words = g_new (const char *, n);
  for (gsize i = 0; i < n; i++)
    {
      for (int c = 0; c < 3; c++)
        {
          /* Box-Muller; the axes have PCA-like decreasing spreads. */
          double u = 1.0 - g_rand_double (rand), v = g_rand_double (rand);

          coords[3 * i + c] = (float) (sqrt (-2 * log (u)) * cos (2 * G_PI * v) / (1 + c * 0.5));
        }
      words[i] = arena + used;
      used += g_snprintf (arena + used, 12, "w%" G_GSIZE_FORMAT, i) + 1;
    }

  return es_scatter_data_new_from_coords (coords, n, 3, 0, 1, three_d ? 2 : -1,
                                          NULL, (const char * const *) words);
}

static int
op_draw (const BenchOptions  *opts,
         gboolean             three_d,
         GError             **error)
{
  g_autoptr(EsScatterData) data = NULL;
  g_autoptr(EsScatterRenderer) renderer = es_scatter_renderer_new ();
  g_autofree double *times = NULL;
  g_autofree double *cpu = NULL;
  g_autofree double *process_cpu = NULL;
  cairo_surface_t *image;
  EsViewport viewport;
  EsPlotStyle style;
  double lo[3], hi[3], seconds;
  guint frames = MAX (opts->frames, 1);

  data = make_points (opts, three_d, error);
  if (data == NULL)
    return 1;
  if (opts->categories > 0)
    {
      gsize n = es_scatter_data_get_n_points (data);
      g_autofree guint *categories = g_new (guint, n);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

      for (gint c = 0; c < opts->categories; c++)
        g_ptr_array_add (names, g_strdup_printf ("c%d", c));
      for (gsize i = 0; i < n; i++)
        categories[i] = (guint) ((i * 7) % (gsize) opts->categories);
      es_scatter_data_set_categories (data, categories, (const char * const *) names->pdata,
                                      (guint) opts->categories);
    }

  image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1920, 1080);
  es_plot_style_init (&style, FALSE);
  style.show_labels = !opts->no_labels;
  style.show_density = opts->density;
  es_viewport_init (&viewport, 1920, 1080, three_d);
  es_scatter_data_get_bounds (data, lo, hi);
  es_viewport_fit (&viewport, lo, hi, 24);
  if (opts->zoom > 0 && opts->zoom != 1)
    es_viewport_zoom_at (&viewport, opts->zoom, 1920 / 2.0, 1080 / 2.0);

  /* One warm-up frame (sprites, label widths), then the timed ones: a
   * small pan in 2D, a turn of 3 degrees per frame in 3D.
   */
  times = g_new (double, frames);
  cpu = g_new (double, frames);
  process_cpu = g_new (double, frames);
  for (guint f = 0; f <= frames; f++)
    {
      double t0 = now_s (), c0 = thread_cpu_s (), p0 = process_cpu_s ();

      es_scatter_renderer_render_image (renderer, image, data, &viewport, &style, NULL);
      if (f > 0)
        {
          times[f - 1] = now_s () - t0;
          cpu[f - 1] = thread_cpu_s () - c0;
          process_cpu[f - 1] = process_cpu_s () - p0;
        }
      if (three_d)
        es_viewport_set_angles (&viewport, viewport.azimuth + 3, viewport.elevation);
      else
        es_viewport_pan (&viewport, f % 2 ? -1 : 1, 0);
    }

  if (opts->output != NULL && cairo_surface_write_to_png (image, opts->output) != CAIRO_STATUS_SUCCESS)
    g_warning ("could not write %s", opts->output);
  cairo_surface_destroy (image);

  seconds = median (times, frames);
  add_extra ("points", es_scatter_data_get_n_visible (data));
  add_extra ("fps", 1 / seconds);
  add_extra ("frames", frames);
  add_extra ("min_s", times[0]);
  add_extra ("cpu_median_s", median (cpu, frames));
  add_extra ("cpu_min_s", cpu[0]);
  add_extra ("process_cpu_median_s", median (process_cpu, frames));
  print_result (seconds);

  return 0;
}

static int
op_export (const BenchOptions  *opts,
           EsPlotFormat         format,
           const char          *extension,
           GError             **error)
{
  g_autoptr(EsScatterData) data = NULL;
  g_autofree char *path = NULL;
  EsViewport viewport;
  EsPlotStyle style;
  EsPlotOverlay overlay;
  double lo[3], hi[3], t0, seconds;
  GStatBuf st;

  data = make_points (opts, FALSE, error);
  if (data == NULL)
    return 1;

  if (opts->output != NULL)
    path = g_strdup (opts->output);
  else
    path = g_strdup_printf ("%s/es-bench-export-%d.%s", g_get_tmp_dir (), (int) getpid (), extension);

  es_plot_style_init (&style, FALSE);
  /* Like the matplotlib peer: points and axes, no word labels. */
  style.show_labels = FALSE;
  es_plot_overlay_init (&overlay);
  es_viewport_init (&viewport, 1920, 1080, FALSE);
  es_scatter_data_get_bounds (data, lo, hi);
  es_viewport_fit (&viewport, lo, hi, 24);

  t0 = now_s ();
  if (!es_scatter_renderer_export (data, &viewport, &style, &overlay, path, format,
                                   1920, 1080, error))
    return 1;
  seconds = now_s () - t0;

  /* Where the PNG time goes: the raster frame; and, for comparison, what
   * Cairo's own encoder (not used by the export) takes for the same frame.
   */
  if (format == ES_PLOT_FORMAT_PNG)
    {
      g_autoptr(EsScatterRenderer) renderer = es_scatter_renderer_new ();
      g_autofree char *scratch = g_strconcat (path, ".scratch.png", NULL);
      cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1920, 1080);

      t0 = now_s ();
      es_scatter_renderer_render_image (renderer, image, data, &viewport, &style, &overlay);
      add_extra ("render_s", now_s () - t0);
      t0 = now_s ();
      if (cairo_surface_write_to_png (image, scratch) == CAIRO_STATUS_SUCCESS)
        add_extra ("encode_s", now_s () - t0);
      g_unlink (scratch);
      cairo_surface_destroy (image);
    }

  if (g_stat (path, &st) == 0)
    add_extra ("file_bytes", st.st_size);
  if (opts->output == NULL)
    g_unlink (path);
  add_extra ("points", es_scatter_data_get_n_visible (data));
  print_result (seconds);

  return 0;
}

/* The density map's own part at 1000 x 700 (the estimate: projection,
 * binning, blur, levels, contours): a pan of a pixel per frame, so every
 * frame computes it anew; seconds per frame.
 */
static int
op_density (const BenchOptions  *opts,
            GError             **error)
{
  g_autoptr(EsScatterData) data = NULL;
  g_autoptr(EsScatterRenderer) renderer = es_scatter_renderer_new ();
  g_autofree double *times = NULL;
  g_autofree double *cpu = NULL;
  guint frames = MAX (opts->frames, 1);
  EsViewport viewport;
  EsPlotStyle style;
  double lo[3], hi[3];
  const EsDensityGrid *grid;

  data = make_points (opts, FALSE, error);
  if (data == NULL)
    return 1;
  es_plot_style_init (&style, FALSE);
  style.show_density = TRUE;
  es_viewport_init (&viewport, 1000, 700, FALSE);
  es_scatter_data_get_bounds (data, lo, hi);
  es_viewport_fit (&viewport, lo, hi, 24);
  if (opts->zoom > 0 && opts->zoom != 1)
    es_viewport_zoom_at (&viewport, opts->zoom, 500, 350);
  times = g_new (double, frames);
  cpu = g_new (double, frames);
  for (guint f = 0; f <= frames; f++)
    {
      double t0 = now_s (), c0 = thread_cpu_s ();

      _es_scatter_renderer_prepare_density (renderer, data, &viewport, &style);
      if (f > 0)
        {
          times[f - 1] = now_s () - t0;
          cpu[f - 1] = thread_cpu_s () - c0;
        }
      es_viewport_pan (&viewport, f % 2 ? -1 : 1, 0);
    }
  grid = _es_scatter_renderer_get_density_grid (renderer);
  add_extra ("points", es_scatter_data_get_n_visible (data));
  add_extra ("cpu_median_s", median (cpu, frames));
  if (grid != NULL)
    {
      add_extra ("nodes", (double) grid->nx * grid->ny);
      add_extra ("h_px", grid->hx);
    }
  print_result (median (times, frames));

  return 0;
}

/* Hover hit-testing: build the grid once for the fitted view, then look
 * up random pointer positions (8 px radius); seconds per lookup.
 */
static int
op_hover (const BenchOptions  *opts,
          GError             **error)
{
  g_autoptr(EsScatterData) data = NULL;
  g_autoptr(EsPointIndex) index = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (2);
  EsViewport viewport;
  double lo[3], hi[3], t0, build;
  const guint lookups = 20000;
  guint hits = 0;

  data = make_points (opts, FALSE, error);
  if (data == NULL)
    return 1;
  es_viewport_init (&viewport, 1920, 1080, FALSE);
  es_scatter_data_get_bounds (data, lo, hi);
  es_viewport_fit (&viewport, lo, hi, 24);

  t0 = now_s ();
  index = es_point_index_new (data, &viewport);
  build = now_s () - t0;

  t0 = now_s ();
  for (guint i = 0; i < lookups; i++)
    hits += es_point_index_lookup (index, g_rand_double_range (rand, 0, 1920),
                                   g_rand_double_range (rand, 0, 1080), 8) >= 0;

  add_extra ("build_s", build);
  add_extra ("hit_fraction", (double) hits / lookups);
  add_extra ("points", es_scatter_data_get_n_visible (data));
  print_result ((now_s () - t0) / lookups);

  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  BenchOptions opts = { NULL, NULL, 0, 15, 0, 0, FALSE, 1, 0, NULL, FALSE };
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "points", 'p', 0, G_OPTION_ARG_INT64, &opts.points,
      "Points to draw or export when no FILE is given (default 100000); floats to stream for bandwidth (default 128 Mi)", "N" },
    { "frames", 'f', 0, G_OPTION_ARG_INT, &opts.frames, "Timed frames (default 15)", "F" },
    { "queries", 'q', 0, G_OPTION_ARG_INT, &opts.queries,
      "Queries (default 20 for knn-single, 100 for knn-batched)", "Q" },
    { "threads", 't', 0, G_OPTION_ARG_INT, &opts.threads,
      "OpenBLAS threads (default: as OPENBLAS_NUM_THREADS or all cores)", "T" },
    { "no-labels", 0, 0, G_OPTION_ARG_NONE, &opts.no_labels, "Draw without word labels", NULL },
    { "zoom", 0, 0, G_OPTION_ARG_DOUBLE, &opts.zoom, "Zoom in by Z at the centre before drawing (default 1)", "Z" },
    { "categories", 0, 0, G_OPTION_ARG_INT, &opts.categories, "Colour the drawn points by C categories (default none)", "C" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Keep the image here", "PATH" },
    { "density", 0, 0, G_OPTION_ARG_NONE, &opts.density,
      "Draw with the density map (every timed frame pans, so it is computed anew)", NULL },
    { NULL }
  };
  int status;

  context = g_option_context_new ("OP [FILE] - time one Embedscope operation");
  g_option_context_set_summary (context,
    "OP: load, pca, knn-single, knn-batched, bandwidth, draw-2d, draw-3d,\n"
    "    density, hover, export-png, export-svg, export-pdf\n"
    "Prints the seconds (median where repeated) and key=value extras.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc < 2 || argc > 3)
    {
      fprintf (stderr, "%s\n", error != NULL ? error->message : "usage: es-bench OP [FILE]");
      return 2;
    }
  opts.op = argv[1];
  opts.file = argc > 2 ? argv[2] : NULL;
  opts.output = output;
  if (opts.threads > 0)
    openblas_set_num_threads (opts.threads);
  /* OpenBLAS starts its thread pool when the process starts, and the pool
   * spins (sched_yield) for about 0.1 s before it sleeps: embedscope ends
   * it at start (es-blas.c), and so does this.  Where that is not possible,
   * time the operation in a settled process, as the peers are timed after
   * their interpreter started and imported numpy.
   */
  if (!es_blas_settle ())
    g_usleep (G_USEC_PER_SEC / 4);
  extras = g_string_new (NULL);

  if (g_str_equal (opts.op, "load"))
    status = op_load (&opts, &error);
  else if (g_str_equal (opts.op, "pca"))
    status = op_pca (&opts, &error);
  else if (g_str_equal (opts.op, "knn-single"))
    {
      opts.queries = opts.queries > 0 ? opts.queries : 20;
      status = op_knn_single (&opts, &error);
    }
  else if (g_str_equal (opts.op, "knn-batched"))
    {
      opts.queries = opts.queries > 0 ? opts.queries : 100;
      status = op_knn_batched (&opts, &error);
    }
  else if (g_str_equal (opts.op, "bandwidth"))
    status = op_bandwidth (&opts, &error);
  else if (g_str_equal (opts.op, "draw-2d"))
    status = op_draw (&opts, FALSE, &error);
  else if (g_str_equal (opts.op, "draw-3d"))
    status = op_draw (&opts, TRUE, &error);
  else if (g_str_equal (opts.op, "density"))
    status = op_density (&opts, &error);
  else if (g_str_equal (opts.op, "hover"))
    status = op_hover (&opts, &error);
  else if (g_str_equal (opts.op, "export-png"))
    status = op_export (&opts, ES_PLOT_FORMAT_PNG, "png", &error);
  else if (g_str_equal (opts.op, "export-svg"))
    status = op_export (&opts, ES_PLOT_FORMAT_SVG, "svg", &error);
  else if (g_str_equal (opts.op, "export-pdf"))
    status = op_export (&opts, ES_PLOT_FORMAT_PDF, "pdf", &error);
  else
    {
      fprintf (stderr, "es-bench: unknown operation “%s”\n", opts.op);
      status = 2;
    }

  if (status == 1)
    fprintf (stderr, "es-bench %s: %s\n", opts.op,
             error != NULL ? error->message : "failed");
  g_string_free (extras, TRUE);

  /* Cairo and fontconfig keep caches for the life of the process; drop
   * them so the sanitizer build of test-bench-paths sees no leak.
   */
  cairo_debug_reset_static_data ();
  FcFini ();

  return status;
}
