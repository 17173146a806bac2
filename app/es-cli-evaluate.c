/* es-cli-evaluate.c: embedscope evaluate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-cli"

#include "config.h"

#include <stdio.h>

#include "es-cli-private.h"

static void
add_analogies_json (EsJsonBuilder             *builder,
                    const EsAnalogyEvaluation *eval)
{
  es_json_builder_member (builder, "accuracy");
  es_json_builder_double (builder, eval->accuracy);
  es_json_builder_member (builder, "correct");
  es_json_builder_int (builder, eval->correct);
  es_json_builder_member (builder, "total");
  es_json_builder_int (builder, eval->total);
  es_json_builder_member (builder, "oov_questions");
  es_json_builder_int (builder, eval->oov_questions);
  es_json_builder_member (builder, "sections");
  es_json_builder_begin_array (builder);
  for (guint i = 0; i < eval->sections->len; i++)
    {
      const EsAnalogySection *section = g_ptr_array_index (eval->sections, i);

      es_json_builder_begin_object (builder);
      es_json_builder_member (builder, "name");
      es_json_builder_string (builder, section->name, -1);
      es_json_builder_member (builder, "correct");
      es_json_builder_int (builder, section->correct);
      es_json_builder_member (builder, "total");
      es_json_builder_int (builder, section->total);
      es_json_builder_end_object (builder);
    }
  es_json_builder_end_array (builder);
}

static void
add_pairs_json (EsJsonBuilder           *builder,
                const EsPairsEvaluation *eval)
{
  es_json_builder_member (builder, "pearson");
  es_json_builder_double (builder, eval->pearson);
  es_json_builder_member (builder, "spearman");
  es_json_builder_double (builder, eval->spearman);
  es_json_builder_member (builder, "oov_ratio");
  es_json_builder_double (builder, eval->oov_ratio);
  es_json_builder_member (builder, "pairs");
  es_json_builder_int (builder, eval->pairs);
}

static char *
percent (guint correct,
         guint total)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (text, sizeof text, "%.1f", total ? 100.0 * correct / total : 0.0);

  return g_strdup (text);
}

static void
print_analogies (const char                *path,
                 const EsAnalogyEvaluation *eval)
{
  g_autofree char *total = percent (eval->correct, eval->total);

  printf ("Analogies (%s):\n", path);
  for (guint i = 0; i < eval->sections->len; i++)
    {
      const EsAnalogySection *section = g_ptr_array_index (eval->sections, i);
      g_autofree char *p = percent (section->correct, section->total);

      printf ("  %-28s %5s%%  (%u/%u)\n", section->name, p, section->correct, section->total);
    }
  printf ("  %-28s %5s%%  (%u/%u), %u questions skipped for unknown words\n",
          "total", total, eval->correct, eval->total, eval->oov_questions);
}

static void
print_pairs (const char              *path,
             const EsPairsEvaluation *eval)
{
  char pearson[G_ASCII_DTOSTR_BUF_SIZE], spearman[G_ASCII_DTOSTR_BUF_SIZE];
  char oov_text[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (pearson, sizeof pearson, "%.4f", eval->pearson);
  g_ascii_formatd (spearman, sizeof spearman, "%.4f", eval->spearman);
  g_ascii_formatd (oov_text, sizeof oov_text, "%.1f", 100.0 * eval->oov_ratio);
  printf ("Word pairs (%s): Pearson %s, Spearman %s, %u pairs, %s%% out of vocabulary\n",
          path, pearson, spearman, eval->pairs, oov_text);
}

int
_es_cli_evaluate (int    argc,
                  char **argv)
{
  const EsCliCommand *command = _es_cli_find_command ("evaluate");
  EsCliCommon common = { 0 };
  g_autofree char *analogies_path = NULL;
  g_autofree char *pairs_path = NULL;
  gint64 restrict_rows = 300000;
  gboolean case_sensitive = FALSE;
  const GOptionEntry entries[] = {
    { "analogies", 0, 0, G_OPTION_ARG_FILENAME, &analogies_path, "Analogy questions (questions-words.txt format)", "FILE" },
    { "pairs", 0, 0, G_OPTION_ARG_FILENAME, &pairs_path, "Word pairs with human similarity scores (TSV)", "FILE" },
    { "restrict", 0, 0, G_OPTION_ARG_INT64, &restrict_rows, "Only the first N words (default 300000, like gensim)", "N" },
    { "case-sensitive", 0, 0, G_OPTION_ARG_NONE, &case_sensitive, "Look words up exactly (gensim upper-cases by default)", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = _es_cli_context_new (command, &common, entries);
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(EsAnalogyEvaluation) analogies = NULL;
  EsPairsEvaluation pairs = { 0 };
  g_autoptr(GError) error = NULL;
  int status;

  if ((status = _es_cli_parse (context, command, &common, &argc, &argv, 1)) >= 0)
    goto out;
  if (analogies_path == NULL && pairs_path == NULL)
    {
      status = _es_cli_usage_error (command, "give --analogies FILE or --pairs FILE");
      goto out;
    }
  if (restrict_rows <= 0)
    {
      status = _es_cli_usage_error (command, "--restrict must be at least 1");
      goto out;
    }

  if (!(set = _es_cli_load (argv[1], &common, &error)) ||
      (analogies_path != NULL &&
       !(analogies = es_evaluate_analogies (set, analogies_path, restrict_rows, !case_sensitive,
                                            NULL, NULL, NULL, &error))) ||
      (pairs_path != NULL &&
       !es_evaluate_pairs (set, pairs_path, restrict_rows, !case_sensitive, &pairs, &error)))
    {
      status = _es_cli_input_error (argv[1], error);
      goto out;
    }

  if (common.json)
    {
      /* Both shapes share no key, so one object can hold both. */
      EsJsonBuilder *builder = es_json_builder_new ();

      es_json_builder_begin_object (builder);
      if (analogies != NULL)
        add_analogies_json (builder, analogies);
      if (pairs_path != NULL)
        add_pairs_json (builder, &pairs);
      es_json_builder_end_object (builder);
      _es_cli_print_json (builder);
    }
  else
    {
      _es_cli_print_warnings (set);
      if (analogies != NULL)
        print_analogies (analogies_path, analogies);
      if (pairs_path != NULL)
        print_pairs (pairs_path, &pairs);
    }
  status = ES_CLI_EXIT_OK;

out:
  _es_cli_common_clear (&common);
  return status;
}
