/* es-cli-cluster.c: embedscope cluster
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "es-cli-private.h"
#include "es-kmeans.h"
#include "es-output.h"

/* A whole decimal number in [min, max], nothing else. */
static gboolean
parse_uint64 (const char *text,
              guint64     min,
              guint64     max,
              guint64    *out)
{
  return text != NULL && g_ascii_string_to_unsigned (text, 10, min, max, out, NULL);
}

static GString *
build_tsv (EsEmbeddingSet *set,
           EsKmeans       *km)
{
  gsize rows = es_kmeans_get_rows (km);
  const gint32 *assign = es_kmeans_get_assignments (km);
  GString *tsv = g_string_sized_new (rows * 48);

  g_string_append (tsv, "word\tcluster\tname\n");
  for (gsize i = 0; i < rows; i++)
    {
      g_string_append_len (tsv, es_embedding_set_get_word (set, i), es_embedding_set_get_word_len (set, i));
      g_string_append_printf (tsv, "\t%d\t%s\n", assign[i],
                              assign[i] >= 0 ? es_kmeans_get_name (km, assign[i]) : "");
    }

  return tsv;
}

int
_es_cli_cluster (int    argc,
                 char **argv)
{
  const EsCliCommand *command = _es_cli_find_command ("cluster");
  EsCliCommon common = { 0 };
  g_autofree char *clusters_text = NULL;
  g_autofree char *seed_text = NULL;
  g_autofree char *iterations_text = NULL;
  g_autofree char *metric_name = NULL;
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "clusters", 'k', 0, G_OPTION_ARG_STRING, &clusters_text, "Number of clusters (required)", "K" },
    { "seed", 's', 0, G_OPTION_ARG_STRING, &seed_text, "Random seed (default 42)", "S" },
    { "metric", 0, 0, G_OPTION_ARG_STRING, &metric_name, "cosine (default: spherical k-means) or euclidean", "METRIC" },
    { "max-iterations", 0, 0, G_OPTION_ARG_STRING, &iterations_text, "Most Lloyd rounds (default 300)", "N" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write word, cluster and name per row to this TSV file", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = _es_cli_context_new (command, &common, entries);
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(EsKmeans) km = NULL;
  g_autoptr(GError) error = NULL;
  EsKmeansOptions options;
  guint64 value;
  gint64 t0;
  double load_seconds;
  int status;

  es_kmeans_options_init (&options);

  if ((status = _es_cli_parse (context, command, &common, &argc, &argv, 1)) >= 0)
    goto out;
  if (clusters_text == NULL)
    {
      status = _es_cli_usage_error (command, "--clusters K is required");
      goto out;
    }
  if (!parse_uint64 (clusters_text, 1, G_MAXINT32, &value))
    {
      status = _es_cli_usage_error (command, "--clusters expects a whole number ≥ 1, not '%s'", clusters_text);
      goto out;
    }
  options.k = (guint) value;
  if (seed_text != NULL)
    {
      if (!parse_uint64 (seed_text, 0, G_MAXUINT64, &value))
        {
          status = _es_cli_usage_error (command, "--seed expects a whole number ≥ 0, not '%s'", seed_text);
          goto out;
        }
      options.seed = value;
    }
  if (iterations_text != NULL)
    {
      if (!parse_uint64 (iterations_text, 1, 1000000, &value))
        {
          status = _es_cli_usage_error (command, "--max-iterations expects a whole number ≥ 1, not '%s'",
                                        iterations_text);
          goto out;
        }
      options.max_iterations = (guint) value;
    }
  if (metric_name != NULL && (!es_metric_from_string (metric_name, &options.metric) ||
                              options.metric == ES_METRIC_DOT))
    {
      status = _es_cli_usage_error (command, "unknown metric '%s' (cosine or euclidean)", metric_name);
      goto out;
    }

  t0 = g_get_monotonic_time ();
  if (!(set = _es_cli_load (argv[1], &common, &error)))
    {
      status = _es_cli_input_error (argv[1], error);
      goto out;
    }
  load_seconds = (g_get_monotonic_time () - t0) / 1e6;

  if (options.k > es_embedding_set_get_n_valid (set))
    {
      g_set_error (&error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "%s: --clusters %u is more than the %" G_GSIZE_FORMAT " valid rows",
                   argv[1], options.k, es_embedding_set_get_n_valid (set));
      status = _es_cli_input_error (argv[1], error);
      goto out;
    }

  if (!(km = es_kmeans_compute (set, &options, NULL, NULL, NULL, &error)))
    {
      status = _es_cli_input_error (argv[1], error);
      goto out;
    }

  if (!common.json)
    _es_cli_print_warnings (set);

  if (output != NULL || !common.json)
    {
      g_autoptr(GString) tsv = build_tsv (set, km);

      if (output == NULL)
        fflush (stdout);
      if (!es_output_write_file (output != NULL ? output : "-", tsv->str, tsv->len, &error))
        {
          status = _es_cli_input_error (output, error);
          goto out;
        }
    }

  if (common.json)
    {
      EsJsonBuilder *builder = es_json_builder_new ();
      const EsKmeansTimings *timings = es_kmeans_get_timings (km);

      es_json_builder_begin_object (builder);
      es_json_builder_member (builder, "k");
      es_json_builder_int (builder, options.k);
      es_json_builder_member (builder, "metric");
      es_json_builder_string (builder, es_metric_to_string (options.metric), -1);
      es_json_builder_member (builder, "seed");
      es_json_builder_int (builder, (gint64) options.seed);
      es_json_builder_member (builder, "objective");
      es_json_builder_double (builder, es_kmeans_get_objective (km));
      es_json_builder_member (builder, "iterations");
      es_json_builder_int (builder, es_kmeans_get_iterations (km));
      es_json_builder_member (builder, "converged");
      es_json_builder_boolean (builder, es_kmeans_get_converged (km));
      es_json_builder_member (builder, "sizes");
      es_json_builder_begin_array (builder);
      for (guint c = 0; c < options.k; c++)
        es_json_builder_int (builder, es_kmeans_get_sizes (km)[c]);
      es_json_builder_end_array (builder);
      es_json_builder_member (builder, "names");
      es_json_builder_begin_array (builder);
      for (guint c = 0; c < options.k; c++)
        es_json_builder_string (builder, es_kmeans_get_name (km, c), -1);
      es_json_builder_end_array (builder);
      es_json_builder_member (builder, "timings");
      es_json_builder_begin_object (builder);
      es_json_builder_member (builder, "load");
      es_json_builder_double (builder, load_seconds);
      es_json_builder_member (builder, "seeding");
      es_json_builder_double (builder, timings->seeding);
      es_json_builder_member (builder, "iterations");
      es_json_builder_double (builder, timings->iterations);
      es_json_builder_member (builder, "naming");
      es_json_builder_double (builder, timings->naming);
      es_json_builder_end_object (builder);
      es_json_builder_end_object (builder);
      _es_cli_print_json (builder);
    }
  else if (output != NULL)
    {
      g_autofree char *objective = es_format_double (es_kmeans_get_objective (km));

      printf ("%u clusters (%s), objective %s after %u iterations%s\n", options.k,
              es_metric_to_string (options.metric), objective, es_kmeans_get_iterations (km),
              es_kmeans_get_converged (km) ? "" : " (not converged)");
      for (guint c = 0; c < options.k; c++)
        printf ("  %3u  %8" G_GSIZE_FORMAT "  %s\n", c, es_kmeans_get_sizes (km)[c], es_kmeans_get_name (km, c));
      printf ("Clusters written to %s\n", output);
    }

  status = ES_CLI_EXIT_OK;

out:
  _es_cli_common_clear (&common);
  return status;
}
