/* es-cli-neighbors.c: embedscope neighbors, analogy, similarity
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-cli"

#include "config.h"

#include <stdio.h>

#include "es-cli-private.h"

static const char *
score_meaning (EsMetric metric,
               gboolean cosmul)
{
  if (cosmul)
    return "3CosMul score, higher is closer";

  switch (metric)
    {
    case ES_METRIC_EUCLIDEAN: return "euclidean distance, lower is closer";
    case ES_METRIC_DOT:       return "dot product, higher is closer";
    case ES_METRIC_COSINE:
    default:                  return "cosine similarity, higher is closer";
    }
}

static void
print_neighbors (EsEmbeddingSet *set,
                 const char     *query,
                 const char     *metric_name,
                 EsMetric        metric,
                 gboolean        cosmul,
                 GArray         *neighbors,
                 gboolean        json)
{
  if (json)
    {
      EsJsonBuilder *builder = es_json_builder_new ();

      es_json_builder_begin_object (builder);
      es_json_builder_member (builder, "query");
      es_json_builder_string (builder, query, -1);
      es_json_builder_member (builder, "metric");
      es_json_builder_string (builder, metric_name, -1);
      es_json_builder_member (builder, "neighbors");
      es_json_builder_begin_array (builder);
      for (guint i = 0; i < neighbors->len; i++)
        {
          const EsNeighbor *n = &g_array_index (neighbors, EsNeighbor, i);

          es_json_builder_begin_object (builder);
          es_json_builder_member (builder, "word");
          _es_cli_json_word (builder, set, n->row);
          es_json_builder_member (builder, "score");
          es_json_builder_double (builder, n->score);
          es_json_builder_end_object (builder);
        }
      es_json_builder_end_array (builder);
      es_json_builder_end_object (builder);
      _es_cli_print_json (builder);
      return;
    }

  printf ("%s  (%s)\n", query, score_meaning (metric, cosmul));
  for (guint i = 0; i < neighbors->len; i++)
    {
      const EsNeighbor *n = &g_array_index (neighbors, EsNeighbor, i);
      g_autofree char *word = _es_cli_display_word (set, n->row);
      char score[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (score, sizeof score, "%.4f", n->score);
      printf ("%3u  %-24s %10s\n", i + 1, word, score);
    }
}

/* k must leave room in the candidate rows: asking for more neighbours than
 * there are rows is an input error, not something to pad silently.
 */
static gboolean
check_k (EsEmbeddingSet *set,
         gint            k,
         gsize           n_excluded,
         GError        **error)
{
  gsize candidates = es_embedding_set_get_n_valid (set);

  candidates = candidates > n_excluded ? candidates - n_excluded : 0;
  if ((gsize) k > candidates)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "%s: k = %d is larger than the %" G_GSIZE_FORMAT " rows that can be neighbours",
                   es_embedding_set_get_path (set), k, candidates);
      return FALSE;
    }

  return TRUE;
}

int
_es_cli_neighbors (int    argc,
                   char **argv)
{
  const EsCliCommand *command = _es_cli_find_command ("neighbors");
  EsCliCommon common = { 0 };
  gint k = 10;
  g_autofree char *metric_name = NULL;
  const GOptionEntry entries[] = {
    { "k", 'k', 0, G_OPTION_ARG_INT, &k, "Number of neighbours (default 10)", "K" },
    { "metric", 'm', 0, G_OPTION_ARG_STRING, &metric_name, "cosine (default), euclidean or dot", "METRIC" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = _es_cli_context_new (command, &common, entries);
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(GArray) neighbors = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *query = NULL;
  EsMetric metric = ES_METRIC_COSINE;
  int status;

  if ((status = _es_cli_parse (context, command, &common, &argc, &argv, 2)) >= 0)
    goto out;
  if (k <= 0)
    {
      status = _es_cli_usage_error (command, "-k must be at least 1");
      goto out;
    }
  if (metric_name != NULL && !es_metric_from_string (metric_name, &metric))
    {
      status = _es_cli_usage_error (command, "unknown metric '%s' (cosine, euclidean or dot)", metric_name);
      goto out;
    }

  /* An unquoted expression arrives as several arguments. */
  query = g_strjoinv (" ", argv + 2);

  if (!(set = _es_cli_load (argv[1], &common, &error)) ||
      !check_k (set, k, 1, &error) ||
      !(neighbors = es_neighbors_of_expression (set, query, metric, k, NULL, &error)))
    {
      status = _es_cli_input_error (argv[1], error);
      goto out;
    }

  if (!common.json)
    _es_cli_print_warnings (set);
  print_neighbors (set, query, es_metric_to_string (metric), metric, FALSE, neighbors, common.json);
  status = ES_CLI_EXIT_OK;

out:
  _es_cli_common_clear (&common);
  return status;
}

int
_es_cli_analogy (int    argc,
                 char **argv)
{
  const EsCliCommand *command = _es_cli_find_command ("analogy");
  EsCliCommon common = { 0 };
  gint k = 10;
  gint64 restrict_rows = 0;
  gboolean cosmul = FALSE;
  const GOptionEntry entries[] = {
    { "k", 'k', 0, G_OPTION_ARG_INT, &k, "Number of answers (default 10)", "K" },
    { "cosmul", 0, 0, G_OPTION_ARG_NONE, &cosmul, "Use 3CosMul (gensim's most_similar_cosmul)", NULL },
    { "restrict", 0, 0, G_OPTION_ARG_INT64, &restrict_rows, "Only the first N words are candidates", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = _es_cli_context_new (command, &common, entries);
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(GArray) neighbors = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *query = NULL;
  int status;

  if ((status = _es_cli_parse (context, command, &common, &argc, &argv, 4)) >= 0)
    goto out;
  if (k <= 0 || restrict_rows < 0)
    {
      status = _es_cli_usage_error (command, k <= 0 ? "-k must be at least 1" : "--restrict must not be negative");
      goto out;
    }

  /* A : B :: C : ?  is  B - A + C, as in questions-words.txt. */
  query = g_strdup_printf ("%s - %s + %s", argv[3], argv[2], argv[4]);

  {
    const char *positive[] = { argv[3], argv[4], NULL };
    const char *negative[] = { argv[2], NULL };

    if (!(set = _es_cli_load (argv[1], &common, &error)) ||
        !check_k (set, k, 3, &error) ||
        !(neighbors = es_neighbors_analogy (set, positive, negative, cosmul, k, restrict_rows, NULL, &error)))
      {
        status = _es_cli_input_error (argv[1], error);
        goto out;
      }
    /* --restrict can leave fewer candidates than k: the README's rule for
     * k larger than the rows, not a short list with exit 0.
     */
    if (neighbors->len < (guint) k)
      {
        g_set_error (&error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                     "k = %d is larger than the %u rows that can be answers%s",
                     k, neighbors->len, restrict_rows > 0 ? " within --restrict" : "");
        status = _es_cli_input_error (argv[1], error);
        goto out;
      }
  }

  if (!common.json)
    _es_cli_print_warnings (set);
  print_neighbors (set, query, cosmul ? "cosmul" : "cosine", ES_METRIC_COSINE, cosmul, neighbors, common.json);
  status = ES_CLI_EXIT_OK;

out:
  _es_cli_common_clear (&common);
  return status;
}

int
_es_cli_similarity (int    argc,
                    char **argv)
{
  const EsCliCommand *command = _es_cli_find_command ("similarity");
  EsCliCommon common = { 0 };
  g_autoptr(GOptionContext) context = _es_cli_context_new (command, &common, NULL);
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(GError) error = NULL;
  double cosine = 0;
  int status;

  if ((status = _es_cli_parse (context, command, &common, &argc, &argv, 3)) >= 0)
    goto out;

  if (!(set = _es_cli_load (argv[1], &common, &error)) ||
      !es_neighbors_similarity (set, argv[2], argv[3], &cosine, &error))
    {
      status = _es_cli_input_error (argv[1], error);
      goto out;
    }

  if (common.json)
    {
      EsJsonBuilder *builder = es_json_builder_new ();

      es_json_builder_begin_object (builder);
      es_json_builder_member (builder, "a");
      es_json_builder_string (builder, argv[2], -1);
      es_json_builder_member (builder, "b");
      es_json_builder_string (builder, argv[3], -1);
      es_json_builder_member (builder, "cosine");
      es_json_builder_double (builder, cosine);
      es_json_builder_end_object (builder);
      _es_cli_print_json (builder);
    }
  else
    {
      char text[G_ASCII_DTOSTR_BUF_SIZE];

      _es_cli_print_warnings (set);
      g_ascii_formatd (text, sizeof text, "%.6f", cosine);
      printf ("cosine(%s, %s) = %s\n", argv[2], argv[3], text);
    }
  status = ES_CLI_EXIT_OK;

out:
  _es_cli_common_clear (&common);
  return status;
}
