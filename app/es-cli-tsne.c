/* es-cli-tsne.c: --method tsne for `project` and `render`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-cli"

#include "config.h"

#include <math.h>
#include <stdio.h>

#include "es-cli-private.h"

#define MAX_ITERATIONS 1000000

void
_es_cli_tsne_add_entries (GOptionContext *context,
                          EsCliTsneArgs  *args,
                          gboolean        with_3d)
{
  const GOptionEntry entries[] = {
    { "perplexity", 0, 0, G_OPTION_ARG_STRING, &args->perplexity, "t-SNE perplexity (default 30; at most (rows - 1) / 3)", "P" },
    { "iterations", 0, 0, G_OPTION_ARG_STRING, &args->iterations, "t-SNE iterations (default 1000)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &args->seed, "t-SNE random seed (default 42)", "S" },
    { "3d", 0, 0, G_OPTION_ARG_NONE, &args->three_d, "A 3D t-SNE map", NULL },
    { NULL }
  };
  g_autofree GOptionEntry *copy = g_memdup2 (entries, sizeof entries);

  if (!with_3d)
    copy[3] = copy[4];
  g_option_context_add_main_entries (context, copy, NULL);
}

void
_es_cli_tsne_args_clear (EsCliTsneArgs *args)
{
  g_clear_pointer (&args->perplexity, g_free);
  g_clear_pointer (&args->iterations, g_free);
  g_clear_pointer (&args->seed, g_free);
}

gboolean
_es_cli_tsne_args_given (const EsCliTsneArgs *args)
{
  return args->perplexity != NULL || args->iterations != NULL || args->seed != NULL || args->three_d;
}

/* -1 when the values are well-formed, else the usage exit status. */
int
_es_cli_tsne_options (const EsCliCommand  *command,
                      const EsCliTsneArgs *args,
                      gboolean             three_d,
                      EsTsneOptions       *options)
{
  es_tsne_options_init (options);
  options->dims = three_d ? 3 : 2;

  if (args->perplexity != NULL)
    {
      char *end = NULL;
      double p = g_ascii_strtod (args->perplexity, &end);

      if (end == args->perplexity || *end != '\0' || !isfinite (p) || !(p > 0))
        return _es_cli_usage_error (command, "--perplexity expects a positive number, not '%s'",
                                    args->perplexity);
      options->perplexity = p;
    }
  if (args->iterations != NULL)
    {
      guint64 n;

      if (!g_ascii_string_to_unsigned (args->iterations, 10, 0, MAX_ITERATIONS, &n, NULL))
        return _es_cli_usage_error (command, "--iterations expects a whole number from 0 to %d, not '%s'",
                                    MAX_ITERATIONS, args->iterations);
      options->n_iterations = (guint) n;
    }
  if (args->seed != NULL)
    {
      guint64 seed;

      if (!g_ascii_string_to_unsigned (args->seed, 10, 0, G_MAXUINT64, &seed, NULL))
        return _es_cli_usage_error (command, "--seed expects a whole number >= 0, not '%s'", args->seed);
      options->seed = seed;
    }
  return -1;
}

EsMatrix *
_es_cli_tsne_compute (EsEmbeddingSet      *set,
                      const char          *path,
                      const EsTsneOptions *options,
                      EsLayoutTimings     *timings,
                      GError             **error)
{
  g_autoptr(GError) local = NULL;
  EsMatrix *coords;

  (void) path;
  coords = es_tsne_run (set, options, NULL, NULL, NULL, NULL, NULL, timings, &local);
  if (coords == NULL)
    g_propagate_prefixed_error (error, g_steal_pointer (&local), "t-SNE: ");
  return coords;
}

static void
add_timings_json (EsJsonBuilder         *builder,
                  const EsLayoutTimings *t)
{
  es_json_builder_member (builder, "timings");
  es_json_builder_begin_object (builder);
  es_json_builder_member (builder, "knn");
  es_json_builder_double (builder, t->knn);
  es_json_builder_member (builder, "affinities");
  es_json_builder_double (builder, t->affinities);
  es_json_builder_member (builder, "init");
  es_json_builder_double (builder, t->init);
  es_json_builder_member (builder, "optimize");
  es_json_builder_double (builder, t->optimize);
  es_json_builder_member (builder, "total");
  es_json_builder_double (builder, t->knn + t->affinities + t->init + t->optimize);
  es_json_builder_end_object (builder);
  es_json_builder_member (builder, "knn_exact");
  es_json_builder_boolean (builder, t->knn_exact);
}

int
_es_cli_project_tsne (const EsCliCommand  *command,
                      EsCliCommon         *common,
                      const char          *path,
                      const EsTsneOptions *options,
                      const char          *output)
{
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(EsMatrix) coords = NULL;
  g_autoptr(GError) error = NULL;
  EsLayoutTimings timings = { 0 };
  gsize rows;
  guint dims = options->dims;

  (void) command;
  if (!(set = _es_cli_load (path, common, &error)))
    return _es_cli_input_error (path, error);
  if (!(coords = _es_cli_tsne_compute (set, path, options, &timings, &error)))
    return _es_cli_input_error (path, error);
  rows = es_matrix_get_rows (coords);

  if (!common->json)
    _es_cli_print_warnings (set);

  if ((output != NULL || !common->json) &&
      !_es_cli_write_coords_tsv (set, coords, "tsne", output, &error))
    return _es_cli_input_error (output, error);

  if (common->json)
    {
      EsJsonBuilder *builder = es_json_builder_new ();

      es_json_builder_begin_object (builder);
      es_json_builder_member (builder, "method");
      es_json_builder_string (builder, "tsne", -1);
      es_json_builder_member (builder, "rows");
      es_json_builder_int (builder, (gint64) rows);
      es_json_builder_member (builder, "valid_rows");
      es_json_builder_int (builder, (gint64) es_embedding_set_get_n_valid (set));
      es_json_builder_member (builder, "dims");
      es_json_builder_int (builder, dims);
      es_json_builder_member (builder, "perplexity");
      es_json_builder_double (builder, options->perplexity);
      es_json_builder_member (builder, "neighbors");
      es_json_builder_int (builder, es_tsne_get_k (options->perplexity, es_embedding_set_get_n_valid (set)));
      es_json_builder_member (builder, "iterations");
      es_json_builder_int (builder, options->n_iterations);
      es_json_builder_member (builder, "seed");
      es_json_builder_int (builder, (gint64) options->seed);
      es_json_builder_member (builder, "metric");
      es_json_builder_string (builder, es_metric_to_string (options->metric), -1);
      _es_cli_layout_quality_json (builder, set, coords, options->metric);
      add_timings_json (builder, &timings);
      es_json_builder_end_object (builder);
      _es_cli_print_json (builder);
    }
  else if (output != NULL)
    {
      printf ("Method: tsne, %" G_GSIZE_FORMAT " rows mapped\n", es_embedding_set_get_n_valid (set));
      _es_cli_print_layout_quality (set, coords, options->metric);
      printf ("Coordinates written to %s\n", output);
    }

  return ES_CLI_EXIT_OK;
}

int
_es_cli_render_tsne (const char          *path,
                     const EsCliCommon   *common,
                     const EsTsneOptions *options,
                     double               azimuth,
                     double               elevation,
                     const char          *highlight,
                     const char          *output,
                     int                  width,
                     int                  height,
                     const char          *save_session)
{
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(EsMatrix) coords = NULL;
  g_autoptr(GError) error = NULL;

  if (!(set = _es_cli_load (path, common, &error)))
    return _es_cli_input_error (path, error);
  if (!(coords = _es_cli_tsne_compute (set, path, options, NULL, &error)))
    return _es_cli_input_error (path, error);
  /* The map itself goes into the session: reopening it runs no t-SNE. */
  if (save_session != NULL)
    {
      g_autoptr(EsSession) session = NULL;
      EsLoadOptions load_options;

      _es_cli_load_options (common, &load_options);
      session = _es_cli_session_new (path, &load_options, set, highlight, options->dims == 3,
                                     azimuth, elevation);
      session->method = ES_METHOD_TSNE;
      session->perplexity = options->perplexity;
      session->iterations = options->n_iterations;
      session->seed = options->seed;
      es_session_set_coords (session, es_matrix_get_data (coords), es_matrix_get_rows (coords),
                             options->dims);
      if (!es_session_save (session, save_session, &error))
        return _es_cli_input_error (save_session, error);
    }
  if (!_es_cli_render_coords (set, es_matrix_get_data (coords), options->dims, "t-SNE", azimuth, elevation,
                         highlight, output, width, height, &error))
    return _es_cli_input_error (path, error);
  return ES_CLI_EXIT_OK;
}
