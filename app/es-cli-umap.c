/* es-cli-umap.c: embedscope project|render --method umap
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "es-cli-private.h"
#include "es-layout-quality.h"
#include "es-umap.h"

/* TRUE when argv asks for --method NAME (or --method=NAME). */
gboolean
_es_cli_method_is (int          argc,
                   char       **argv,
                   const char  *name)
{
  g_autofree char *joined = g_strconcat ("--method=", name, NULL);

  for (int i = 1; i < argc; i++)
    {
      if (g_strcmp0 (argv[i], "--") == 0)
        break;
      if (g_strcmp0 (argv[i], joined) == 0 ||
          (g_strcmp0 (argv[i], "--method") == 0 && i + 1 < argc && g_strcmp0 (argv[i + 1], name) == 0))
        return TRUE;
    }
  return FALSE;
}

typedef struct
{
  char    *method;
  gint     neighbors;
  double   min_dist;
  gint     epochs;
  gint     iterations;
  gint64   seed;
  gboolean three_d;
  char    *metric;
  char    *knn;
  gint     threads;
} UmapFlags;

static void
umap_flags_clear (UmapFlags *flags)
{
  g_clear_pointer (&flags->method, g_free);
  g_clear_pointer (&flags->metric, g_free);
  g_clear_pointer (&flags->knn, g_free);
}

#define UMAP_ENTRIES(f) \
    { "method", 0, 0, G_OPTION_ARG_STRING, &(f)->method, "umap here (pca, svd, axes, identity, umap)", "METHOD" }, \
    { "neighbors", 'k', 0, G_OPTION_ARG_INT, &(f)->neighbors, "UMAP neighbours, the point itself counted as umap-learn (default 15)", "K" }, \
    { "min-dist", 0, 0, G_OPTION_ARG_DOUBLE, &(f)->min_dist, "Minimum distance in the layout, ≥ 0 (default 0.1)", "D" }, \
    { "epochs", 0, 0, G_OPTION_ARG_INT, &(f)->epochs, "Optimisation epochs (default 500 up to 10,000 rows, else 200)", "N" }, \
    { "iterations", 0, 0, G_OPTION_ARG_INT, &(f)->iterations, "Same as --epochs", "N" }, \
    { "seed", 0, 0, G_OPTION_ARG_INT64, &(f)->seed, "Random seed (default 42); same seed, same layout", "S" }, \
    { "3d", 0, 0, G_OPTION_ARG_NONE, &(f)->three_d, "Three dimensions", NULL }, \
    { "metric", 0, 0, G_OPTION_ARG_STRING, &(f)->metric, "cosine (default) or euclidean", "METRIC" }, \
    { "knn", 0, 0, G_OPTION_ARG_STRING, &(f)->knn, "Neighbour search: auto (default), exact or approximate", "HOW" }, \
    { "threads", 0, 0, G_OPTION_ARG_INT, &(f)->threads, "Threads (default: the cores, at most 2); the result does not depend on it", "N" }

/* Flags to options; an exit status on a malformed value, else -1. */
static int
umap_options_from_flags (const EsCliCommand *command,
                         const UmapFlags    *flags,
                         EsUmapOptions      *options)
{
  es_umap_options_init (options);
  options->one_shot = TRUE;  /* one run per process: no cached kNN graph to keep */
  if (flags->neighbors != -1 && flags->neighbors < 2)
    return _es_cli_usage_error (command, "--neighbors must be at least 2, not %d", flags->neighbors);
  if (!(flags->min_dist >= 0) || flags->min_dist > 1e6)
    return _es_cli_usage_error (command, "--min-dist must be a number ≥ 0");
  if (flags->epochs != -1 && flags->iterations != -1 && flags->epochs != flags->iterations)
    return _es_cli_usage_error (command, "--epochs and --iterations disagree");
  if ((flags->epochs != -1 && flags->epochs < 1) || (flags->iterations != -1 && flags->iterations < 1))
    return _es_cli_usage_error (command, "--epochs must be at least 1");
  if (flags->seed < 0)
    return _es_cli_usage_error (command, "--seed must be ≥ 0");
  if (flags->threads != 0 && (flags->threads < 1 || flags->threads > 64))
    return _es_cli_usage_error (command, "--threads must be between 1 and 64");
  if (flags->metric != NULL &&
      (!es_metric_from_string (flags->metric, &options->metric) || options->metric == ES_METRIC_DOT))
    return _es_cli_usage_error (command, "--metric must be cosine or euclidean, not '%s'", flags->metric);
  if (flags->knn != NULL)
    {
      if (g_str_equal (flags->knn, "auto"))
        options->knn_method = ES_KNN_AUTO;
      else if (g_str_equal (flags->knn, "exact"))
        options->knn_method = ES_KNN_EXACT;
      else if (g_str_equal (flags->knn, "approximate"))
        options->knn_method = ES_KNN_APPROXIMATE;
      else
        return _es_cli_usage_error (command, "--knn must be auto, exact or approximate, not '%s'", flags->knn);
    }

  if (flags->neighbors != -1)
    options->n_neighbors = flags->neighbors;
  options->min_dist = flags->min_dist;
  if (options->min_dist > options->spread)
    options->spread = options->min_dist;   /* umap-learn warns; keep the curve fittable */
  options->n_epochs = flags->epochs != -1 ? flags->epochs : flags->iterations != -1 ? flags->iterations : 0;
  options->seed = flags->seed;
  options->dims = flags->three_d ? 3 : 2;
  options->n_threads = flags->threads;
  return -1;
}

static void
umap_flags_init (UmapFlags *flags)
{
  memset (flags, 0, sizeof *flags);
  flags->neighbors = -1;
  flags->min_dist = 0.1;
  flags->epochs = -1;
  flags->iterations = -1;
  flags->seed = 42;
}

static void
add_info_json (EsJsonBuilder         *builder,
               const EsUmapOptions   *options,
               const EsUmapInfo      *info,
               const EsLayoutTimings *timings)
{
  es_json_builder_member (builder, "method");
  es_json_builder_string (builder, "umap", -1);
  es_json_builder_member (builder, "dims");
  es_json_builder_int (builder, options->dims);
  es_json_builder_member (builder, "n_neighbors");
  es_json_builder_int (builder, options->n_neighbors);
  es_json_builder_member (builder, "min_dist");
  es_json_builder_double (builder, options->min_dist);
  es_json_builder_member (builder, "epochs");
  es_json_builder_int (builder, info->n_epochs);
  es_json_builder_member (builder, "seed");
  es_json_builder_int (builder, (gint64) options->seed);
  es_json_builder_member (builder, "metric");
  es_json_builder_string (builder, es_metric_to_string (options->metric), -1);
  es_json_builder_member (builder, "a");
  es_json_builder_double (builder, info->a);
  es_json_builder_member (builder, "b");
  es_json_builder_double (builder, info->b);
  es_json_builder_member (builder, "rows_laid_out");
  es_json_builder_int (builder, info->n_valid);
  es_json_builder_member (builder, "knn_exact");
  es_json_builder_boolean (builder, info->knn_exact);
  es_json_builder_member (builder, "graph_edges");
  es_json_builder_int (builder, (gint64) info->n_edges);
  es_json_builder_member (builder, "graph_components");
  es_json_builder_int (builder, info->n_graph_components);
  es_json_builder_member (builder, "init");
  es_json_builder_string (builder, info->init == ES_UMAP_INIT_SPECTRAL ? "spectral" : "pca", -1);
  if (info->init_note[0] != '\0')
    {
      es_json_builder_member (builder, "init_note");
      es_json_builder_string (builder, info->init_note, -1);
    }
  es_json_builder_member (builder, "timings");
  es_json_builder_begin_object (builder);
  es_json_builder_member (builder, "knn");
  es_json_builder_double (builder, timings->knn);
  es_json_builder_member (builder, "graph");
  es_json_builder_double (builder, timings->affinities);
  es_json_builder_member (builder, "init");
  es_json_builder_double (builder, timings->init);
  es_json_builder_member (builder, "optimize");
  es_json_builder_double (builder, timings->optimize);
  es_json_builder_member (builder, "total");
  es_json_builder_double (builder, timings->knn + timings->affinities + timings->init + timings->optimize);
  es_json_builder_end_object (builder);
}

int
_es_cli_project_umap (int    argc,
                      char **argv)
{
  const EsCliCommand *command = _es_cli_find_command ("project");
  EsCliCommon common = { 0 };
  UmapFlags flags;
  g_autofree char *output = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(EsMatrix) coords = NULL;
  g_autoptr(GError) error = NULL;
  EsUmapOptions options;
  EsUmapInfo info;
  EsLayoutTimings timings;
  int status;

  umap_flags_init (&flags);
  {
    const GOptionEntry entries[] = {
      UMAP_ENTRIES (&flags),
      { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write the coordinates to this TSV file", "FILE" },
      { NULL }
    };

    context = _es_cli_context_new (command, &common, entries);
  }

  if ((status = _es_cli_parse (context, command, &common, &argc, &argv, 1)) >= 0)
    goto out;
  if ((status = umap_options_from_flags (command, &flags, &options)) >= 0)
    goto out;

  if (!(set = _es_cli_load (argv[1], &common, &error)))
    {
      status = _es_cli_input_error (argv[1], error);
      goto out;
    }
  if (!(coords = es_umap_run (set, &options, NULL, NULL, NULL, NULL, NULL, &timings, &info, &error)))
    {
      status = _es_cli_input_error (argv[1], error);
      goto out;
    }

  if (!common.json)
    _es_cli_print_warnings (set);

  if ((output != NULL || !common.json) &&
      !_es_cli_write_coords_tsv (set, coords, "UMAP", output, &error))
    {
      status = _es_cli_input_error (output, error);
      goto out;
    }

  if (common.json)
    {
      EsJsonBuilder *builder = es_json_builder_new ();

      es_json_builder_begin_object (builder);
      add_info_json (builder, &options, &info, &timings);
      _es_cli_layout_quality_json (builder, set, coords, options.metric);
      es_json_builder_end_object (builder);
      _es_cli_print_json (builder);
    }
  else if (output != NULL)
    {
      printf ("Method: umap, %u rows laid out in %u epochs (%s start)\n", info.n_valid, info.n_epochs,
              info.init == ES_UMAP_INIT_SPECTRAL ? "spectral" : "PCA");
      if (info.init_note[0] != '\0')
        printf ("  %s\n", info.init_note);
      _es_cli_print_layout_quality (set, coords, options.metric);
      printf ("Coordinates written to %s\n", output);
    }

  status = ES_CLI_EXIT_OK;

out:
  umap_flags_clear (&flags);
  _es_cli_common_clear (&common);
  return status;
}

/* The map itself goes into the session: reopening it runs no UMAP. */
static gboolean
save_umap_session (const char          *path,
                   const char          *input,
                   const EsCliCommon   *common,
                   EsEmbeddingSet      *set,
                   const EsUmapOptions *options,
                   EsMatrix            *coords,
                   const char          *highlight,
                   double               azimuth,
                   double               elevation,
                   GError             **error)
{
  g_autoptr(EsSession) session = NULL;
  EsLoadOptions load_options;

  _es_cli_load_options (common, &load_options);
  session = _es_cli_session_new (input, &load_options, set, highlight, options->dims == 3,
                                 azimuth, elevation);
  session->method = ES_METHOD_UMAP;
  session->n_neighbors = options->n_neighbors;
  session->min_dist = options->min_dist;
  session->epochs = options->n_epochs;
  session->seed = options->seed;
  es_session_set_coords (session, es_matrix_get_data (coords), es_matrix_get_rows (coords),
                         options->dims);
  return es_session_save (session, path, error);
}

int
_es_cli_render_umap (int    argc,
                     char **argv)
{
  const EsCliCommand *command = _es_cli_find_command ("render");
  EsCliCommon common = { 0 };
  UmapFlags flags;
  g_autofree char *output = NULL;
  g_autofree char *highlight = NULL;
  g_autofree char *save_session = NULL;
  double azimuth = 30, elevation = 20;
  gint width = 1600, height = 1000;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(EsMatrix) coords = NULL;
  g_autoptr(GError) error = NULL;
  EsUmapOptions options;
  int status;

  umap_flags_init (&flags);
  {
    const GOptionEntry entries[] = {
      UMAP_ENTRIES (&flags),
      { "azimuth", 0, 0, G_OPTION_ARG_DOUBLE, &azimuth, "3D view azimuth in degrees (default 30)", "A" },
      { "elevation", 0, 0, G_OPTION_ARG_DOUBLE, &elevation, "3D view elevation in degrees (default 20)", "E" },
      { "highlight", 0, 0, G_OPTION_ARG_STRING, &highlight, "Select this word and show its neighbours", "WORD" },
      { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "PNG, SVG or PDF file (by extension)", "FILE" },
      { "width", 0, 0, G_OPTION_ARG_INT, &width, "Width in pixels or points (default 1600)", "W" },
      { "height", 0, 0, G_OPTION_ARG_INT, &height, "Height in pixels or points (default 1000)", "H" },
      { "save-session", 0, 0, G_OPTION_ARG_FILENAME, &save_session, "Also save what is drawn as a session (.embedscope)", "S" },
      { NULL }
    };

    context = _es_cli_context_new (command, &common, entries);
    _es_cli_render_add_cluster_entry (context);
    _es_cli_density_add_entries (context);
  }

  if ((status = _es_cli_parse (context, command, &common, &argc, &argv, 1)) >= 0 ||
      (status = _es_cli_render_check_clusters (command)) >= 0 ||
      (status = _es_cli_density_check (command)) >= 0)
    goto out;
  if ((status = umap_options_from_flags (command, &flags, &options)) >= 0)
    goto out;
  if (output == NULL)
    {
      status = _es_cli_usage_error (command, "--output FILE is required (.png, .svg or .pdf)");
      goto out;
    }
  if (!g_str_has_suffix (output, ".png") && !g_str_has_suffix (output, ".svg") &&
      !g_str_has_suffix (output, ".pdf"))
    {
      status = _es_cli_usage_error (command, "--output must end in .png, .svg or .pdf");
      goto out;
    }
  if (width < 16 || height < 16 || width > 16384 || height > 16384)
    {
      status = _es_cli_usage_error (command, "--width and --height must be between 16 and 16384");
      goto out;
    }

  if (!(set = _es_cli_load (argv[1], &common, &error)) ||
      !(coords = es_umap_run (set, &options, NULL, NULL, NULL, NULL, NULL, NULL, NULL, &error)) ||
      (save_session != NULL &&
       !save_umap_session (save_session, argv[1], &common, set, &options, coords, highlight,
                           azimuth, elevation, &error)) ||
      !_es_cli_render_coords (set, es_matrix_get_data (coords), options.dims, "UMAP", azimuth, elevation,
                         highlight, output, width, height, &error))
    {
      status = _es_cli_input_error (argv[1], error);
      goto out;
    }
  status = ES_CLI_EXIT_OK;

out:
  umap_flags_clear (&flags);
  _es_cli_common_clear (&common);
  return status;
}
