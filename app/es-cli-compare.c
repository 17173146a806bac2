/* es-cli-compare.c: embedscope compare
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "es-alignment.h"
#include "es-change-scores.h"
#include "es-cli-private.h"
#include "es-word-pairs.h"

typedef struct
{
  EsEmbeddingSet       *a;
  EsEmbeddingSet       *b;
  EsWordPairs          *shared;
  EsAlignment          *alignment;
  EsChangeScores       *scores;
  const EsAlignOptions *options;
  gsize                 n_held_out;
  double                p1;
  double                p5;
  gsize                 top;
  double                seconds_load;
  double                seconds_align;
  double                seconds_scores;
} Comparison;

/* Fitted on every shared word, the fit's figures come from the change
 * scores' pass over the same pairs (the fit skips its own).
 */
static double
fit_residual (const Comparison *c)
{
  return c->options->skip_fit_measures ? es_change_scores_get_residual (c->scores)
                                       : es_alignment_get_residual (c->alignment);
}

static double
fit_relative_residual (const Comparison *c)
{
  return c->options->skip_fit_measures ? es_change_scores_get_relative_residual (c->scores)
                                       : es_alignment_get_relative_residual (c->alignment);
}

static double
fit_mean_cosine (const Comparison *c)
{
  return c->options->skip_fit_measures ? es_change_scores_get_mean_cosine (c->scores)
                                       : es_alignment_get_mean_cosine (c->alignment);
}

static gboolean
parse_uint64 (const char *text,
              guint64     min,
              guint64     max,
              guint64    *out)
{
  return text != NULL && g_ascii_string_to_unsigned (text, 10, min, max, out, NULL);
}

static GString *
build_tsv (const Comparison  *c,
           GError           **error)
{
  gsize n = es_change_scores_get_n (c->scores);
  const float *dist = es_change_scores_get_distances (c->scores);
  const guint16 *overlap = es_change_scores_get_overlap (c->scores);
  gsize n_overlap = es_change_scores_get_n_overlap (c->scores);
  guint k = es_change_scores_get_k (c->scores);
  const gsize *rows_a = es_word_pairs_get_rows_a (c->shared);
  g_autofree gsize *order = es_change_scores_rank_by_distance (c->scores);
  g_autoptr(GString) tsv = g_string_sized_new (n * 32 + 64);

  g_string_append (tsv, "rank\tword\tcosine_distance\tneighbor_overlap\n");
  for (gsize r = 0; r < n; r++)
    {
      gsize i = order[r];
      const char *word = es_embedding_set_get_word (c->a, rows_a[i]);
      gsize len = es_embedding_set_get_word_len (c->a, rows_a[i]);
      char number[ES_FLOAT_BUF_SIZE];

      if (memchr (word, '\t', len) != NULL || memchr (word, '\n', len) != NULL ||
          memchr (word, '\r', len) != NULL)
        {
          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                       "the word of row %" G_GSIZE_FORMAT " contains a tab or line break, which a TSV "
                       "file cannot hold", rows_a[i] + 1);
          return NULL;
        }
      g_string_append_printf (tsv, "%" G_GSIZE_FORMAT "\t", r + 1);
      g_string_append_len (tsv, word, len);
      es_format_float_buf (dist[i], number);
      g_string_append_c (tsv, '\t');
      g_string_append (tsv, number);
      g_string_append_c (tsv, '\t');
      if (i < n_overlap)
        {
          es_format_float_buf ((float) overlap[i] / k, number);
          g_string_append (tsv, number);
        }
      g_string_append_c (tsv, '\n');
    }

  return g_steal_pointer (&tsv);
}

static void
json_word_list (EsJsonBuilder    *builder,
                const Comparison *c,
                const gsize      *order,
                gsize             n,
                gboolean          reverse)
{
  const float *dist = es_change_scores_get_distances (c->scores);
  const guint16 *overlap = es_change_scores_get_overlap (c->scores);
  gsize n_overlap = es_change_scores_get_n_overlap (c->scores);
  const gsize *rows_a = es_word_pairs_get_rows_a (c->shared);

  es_json_builder_begin_array (builder);
  for (gsize r = 0; r < MIN (c->top, n); r++)
    {
      gsize i = order[reverse ? n - 1 - r : r];

      es_json_builder_begin_object (builder);
      es_json_builder_member (builder, "word");
      _es_cli_json_word (builder, c->a, rows_a[i]);
      es_json_builder_member (builder, "cosine_distance");
      es_json_builder_double (builder, dist[i]);
      if (i < n_overlap)
        {
          es_json_builder_member (builder, "neighbor_overlap");
          es_json_builder_double (builder, (double) overlap[i] / es_change_scores_get_k (c->scores));
        }
      es_json_builder_end_object (builder);
    }
  es_json_builder_end_array (builder);
}

static void
print_json (const Comparison *c)
{
  EsJsonBuilder *builder = es_json_builder_new ();
  g_autofree gsize *by_dist = es_change_scores_rank_by_distance (c->scores);
  g_autofree gsize *by_overlap = es_change_scores_rank_by_overlap (c->scores);
  gsize n = es_change_scores_get_n (c->scores);

  es_json_builder_begin_object (builder);
  es_json_builder_member (builder, "shared");
  es_json_builder_int (builder, es_word_pairs_get_n (c->shared));
  es_json_builder_member (builder, "only_a");
  es_json_builder_int (builder, es_word_pairs_get_only_a (c->shared));
  es_json_builder_member (builder, "only_b");
  es_json_builder_int (builder, es_word_pairs_get_only_b (c->shared));
  es_json_builder_member (builder, "invalid");
  es_json_builder_int (builder, es_word_pairs_get_invalid (c->shared));
  es_json_builder_member (builder, "alignment");
  es_json_builder_begin_object (builder);
  es_json_builder_member (builder, "method");
  es_json_builder_string (builder, es_align_method_to_string (c->options->method), -1);
  es_json_builder_member (builder, "center");
  es_json_builder_boolean (builder, c->options->center);
  es_json_builder_member (builder, "scale");
  es_json_builder_double (builder, es_alignment_get_scale (c->alignment));
  es_json_builder_member (builder, "fit_pairs");
  es_json_builder_int (builder, es_alignment_get_n_fit (c->alignment));
  es_json_builder_member (builder, "residual");
  es_json_builder_double (builder, fit_residual (c));
  es_json_builder_member (builder, "relative_residual");
  es_json_builder_double (builder, fit_relative_residual (c));
  es_json_builder_member (builder, "mean_cosine");
  es_json_builder_double (builder, fit_mean_cosine (c));
  if (c->n_held_out > 0)
    {
      es_json_builder_member (builder, "held_out");
      es_json_builder_int (builder, c->n_held_out);
      es_json_builder_member (builder, "precision_at_1");
      es_json_builder_double (builder, c->p1);
      es_json_builder_member (builder, "precision_at_5");
      es_json_builder_double (builder, c->p5);
    }
  es_json_builder_end_object (builder);
  es_json_builder_member (builder, "mean_cosine_distance");
  es_json_builder_double (builder, es_change_scores_get_mean_distance (c->scores));
  es_json_builder_member (builder, "neighbor_overlap");
  es_json_builder_begin_object (builder);
  es_json_builder_member (builder, "k");
  es_json_builder_int (builder, es_change_scores_get_k (c->scores));
  es_json_builder_member (builder, "words");
  es_json_builder_int (builder, es_change_scores_get_n_overlap (c->scores));
  es_json_builder_member (builder, "mean");
  es_json_builder_double (builder, es_change_scores_get_mean_overlap (c->scores));
  es_json_builder_end_object (builder);
  es_json_builder_member (builder, "most_moved");
  json_word_list (builder, c, by_dist, n, FALSE);
  es_json_builder_member (builder, "most_stable");
  json_word_list (builder, c, by_dist, n, TRUE);
  es_json_builder_member (builder, "least_neighbor_overlap");
  json_word_list (builder, c, by_overlap, es_change_scores_get_n_overlap (c->scores), FALSE);
  es_json_builder_member (builder, "timings");
  es_json_builder_begin_object (builder);
  es_json_builder_member (builder, "load");
  es_json_builder_double (builder, c->seconds_load);
  es_json_builder_member (builder, "align");
  es_json_builder_double (builder, c->seconds_align);
  es_json_builder_member (builder, "scores");
  es_json_builder_double (builder, c->seconds_scores);
  es_json_builder_end_object (builder);
  es_json_builder_end_object (builder);
  _es_cli_print_json (builder);
}

static void
print_list (const Comparison *c,
            const char       *title,
            const gsize      *order,
            gsize             n,
            gboolean          reverse)
{
  const float *dist = es_change_scores_get_distances (c->scores);
  const guint16 *overlap = es_change_scores_get_overlap (c->scores);
  gsize n_overlap = es_change_scores_get_n_overlap (c->scores);
  const gsize *rows_a = es_word_pairs_get_rows_a (c->shared);

  printf ("\n%s:\n  %4s  %-24s %9s %9s\n", title, "rank", "word", "distance", "overlap");
  for (gsize r = 0; r < MIN (c->top, n); r++)
    {
      gsize i = order[reverse ? n - 1 - r : r];
      g_autofree char *word = _es_cli_display_word (c->a, rows_a[i]);

      printf ("  %4" G_GSIZE_FORMAT "  %-24s %9.4f", r + 1, word, dist[i]);
      if (i < n_overlap)
        printf (" %9.2f\n", (double) overlap[i] / es_change_scores_get_k (c->scores));
      else
        printf (" %9s\n", "-");
    }
}

static void
print_text (const Comparison *c,
            const char       *path_a,
            const char       *path_b)
{
  g_autofree gsize *by_dist = es_change_scores_rank_by_distance (c->scores);
  g_autofree gsize *by_overlap = es_change_scores_rank_by_overlap (c->scores);
  gsize n = es_change_scores_get_n (c->scores);

  printf ("A: %s (%" G_GSIZE_FORMAT " × %" G_GSIZE_FORMAT ")\nB: %s (%" G_GSIZE_FORMAT " × %"
          G_GSIZE_FORMAT ")\n", path_a, es_embedding_set_get_rows (c->a), es_embedding_set_get_dims (c->a),
          path_b, es_embedding_set_get_rows (c->b), es_embedding_set_get_dims (c->b));
  printf ("Shared words: %" G_GSIZE_FORMAT " (only in A: %" G_GSIZE_FORMAT ", only in B: %" G_GSIZE_FORMAT
          ", invalid rows: %" G_GSIZE_FORMAT ")\n", es_word_pairs_get_n (c->shared),
          es_word_pairs_get_only_a (c->shared), es_word_pairs_get_only_b (c->shared),
          es_word_pairs_get_invalid (c->shared));
  printf ("%s map%s%s on %" G_GSIZE_FORMAT " pairs: residual %.6g (relative %.4f), mean cosine %.4f\n",
          c->options->method == ES_ALIGN_LINEAR ? "Linear" : "Orthogonal",
          c->options->center ? ", centred" : "", c->options->scale ? ", scaled" : "",
          es_alignment_get_n_fit (c->alignment), fit_residual (c),
          fit_relative_residual (c), fit_mean_cosine (c));
  if (c->options->scale)
    printf ("Scale factor: %.6g\n", es_alignment_get_scale (c->alignment));
  if (c->n_held_out > 0)
    printf ("Held out %" G_GSIZE_FORMAT " pairs: precision@1 %.4f, precision@5 %.4f\n",
            c->n_held_out, c->p1, c->p5);
  printf ("Mean cosine distance after alignment: %.4f\n", es_change_scores_get_mean_distance (c->scores));
  if (es_change_scores_get_n_overlap (c->scores) > 0)
    printf ("Neighbour overlap (k = %u, the first %" G_GSIZE_FORMAT " shared words): mean %.4f\n",
            es_change_scores_get_k (c->scores), es_change_scores_get_n_overlap (c->scores),
            es_change_scores_get_mean_overlap (c->scores));
  print_list (c, "Most moved (cosine distance after alignment)", by_dist, n, FALSE);
  print_list (c, "Most stable", by_dist, n, TRUE);
  if (es_change_scores_get_n_overlap (c->scores) > 0)
    print_list (c, "Least neighbour overlap", by_overlap, es_change_scores_get_n_overlap (c->scores), FALSE);
}

int
_es_cli_compare (int    argc,
                 char **argv)
{
  const EsCliCommand *command = _es_cli_find_command ("compare");
  EsCliCommon common = { 0 };
  g_autofree char *method_name = NULL;
  g_autofree char *anchors = NULL;
  g_autofree char *k_text = NULL;
  g_autofree char *top_text = NULL;
  g_autofree char *words_text = NULL;
  g_autofree char *holdout_text = NULL;
  g_autofree char *output = NULL;
  gboolean center = FALSE, scale = FALSE;
  const GOptionEntry entries[] = {
    { "method", 0, 0, G_OPTION_ARG_STRING, &method_name, "orthogonal (default) or linear", "METHOD" },
    { "anchors", 0, 0, G_OPTION_ARG_FILENAME, &anchors,
      "Fit on these pairs ('word' or 'word_a<TAB>word_b' per line), not on every shared word", "FILE" },
    { "center", 0, 0, G_OPTION_ARG_NONE, &center, "Subtract each side's mean first", NULL },
    { "scale", 0, 0, G_OPTION_ARG_NONE, &scale, "Orthogonal: also fit one scale factor", NULL },
    { "holdout", 0, 0, G_OPTION_ARG_STRING, &holdout_text,
      "Hold out this fraction of the fit pairs and report precision@1/@5 on them", "F" },
    { "neighbors", 'k', 0, G_OPTION_ARG_STRING, &k_text, "Neighbours for the overlap (default 10)", "K" },
    { "overlap-words", 0, 0, G_OPTION_ARG_STRING, &words_text,
      "Neighbour overlap on the first N shared words (default 20000; 0: none)", "N" },
    { "top", 0, 0, G_OPTION_ARG_STRING, &top_text, "Words listed as most moved / stable (default 50)", "N" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Every shared word's scores to this TSV", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = _es_cli_context_new (command, &common, entries);
  g_autoptr(EsEmbeddingSet) a = NULL;
  g_autoptr(EsEmbeddingSet) b = NULL;
  g_autoptr(EsWordPairs) shared = NULL;
  g_autoptr(EsWordPairs) listed = NULL;
  g_autoptr(EsWordPairs) fit = NULL;
  g_autoptr(EsWordPairs) held_out = NULL;
  g_autoptr(EsAlignment) alignment = NULL;
  g_autoptr(EsChangeScores) scores = NULL;
  g_autoptr(GError) error = NULL;
  EsAlignOptions options;
  Comparison c = { 0 };
  guint64 k = 10, top = 50, words = 20000;
  double holdout = 0;
  gint64 t0;
  int status;

  es_align_options_init (&options);
  if ((status = _es_cli_parse (context, command, &common, &argc, &argv, 2)) >= 0)
    goto out;
  if (method_name != NULL && !es_align_method_from_string (method_name, &options.method))
    {
      status = _es_cli_usage_error (command, "unknown method '%s' (orthogonal or linear)", method_name);
      goto out;
    }
  if (scale && options.method != ES_ALIGN_ORTHOGONAL)
    {
      status = _es_cli_usage_error (command, "--scale is for --method orthogonal (a linear map already scales)");
      goto out;
    }
  if (k_text != NULL && !parse_uint64 (k_text, 1, 10000, &k))
    {
      status = _es_cli_usage_error (command, "-k expects a whole number from 1 to 10000, not '%s'", k_text);
      goto out;
    }
  if (top_text != NULL && !parse_uint64 (top_text, 0, G_MAXUINT32, &top))
    {
      status = _es_cli_usage_error (command, "--top expects a whole number ≥ 0, not '%s'", top_text);
      goto out;
    }
  if (words_text != NULL && !parse_uint64 (words_text, 0, G_MAXINT32, &words))
    {
      status = _es_cli_usage_error (command, "--overlap-words expects a whole number ≥ 0, not '%s'", words_text);
      goto out;
    }
  if (holdout_text != NULL)
    {
      char *end = NULL;

      holdout = g_ascii_strtod (holdout_text, &end);
      if (end == holdout_text || *end != '\0' || !(holdout > 0 && holdout < 1))
        {
          status = _es_cli_usage_error (command, "--holdout expects a fraction between 0 and 1, not '%s'",
                                        holdout_text);
          goto out;
        }
    }
  options.center = center;
  options.scale = scale;

  t0 = g_get_monotonic_time ();
  if (!(a = _es_cli_load (argv[1], &common, &error)))
    {
      status = _es_cli_input_error (argv[1], error);
      goto out;
    }
  if (!(b = _es_cli_load (argv[2], &common, &error)))
    {
      status = _es_cli_input_error (argv[2], error);
      goto out;
    }
  if (!common.json)
    {
      _es_cli_print_warnings (a);
      _es_cli_print_warnings (b);
    }
  c.seconds_load = (g_get_monotonic_time () - t0) / 1e6;

  t0 = g_get_monotonic_time ();
  if (!(shared = es_word_pairs_new_shared (a, b, NULL, &error)))
    {
      status = _es_cli_input_error (argv[1], error);
      goto out;
    }
  if (anchors != NULL && !(listed = es_word_pairs_new_from_file (a, b, anchors, &error)))
    {
      status = _es_cli_input_error (anchors, error);
      goto out;
    }
  if (holdout > 0)
    es_word_pairs_split (listed != NULL ? listed : shared, holdout, 42, &fit, &held_out);
  options.skip_fit_measures = fit == NULL && listed == NULL;
  if (!(alignment = es_alignment_fit (a, b, fit != NULL ? fit : listed != NULL ? listed : shared,
                                      &options, NULL, &error)))
    {
      g_autofree char *both = g_strdup_printf ("%s, %s", argv[1], argv[2]);

      status = _es_cli_input_error (anchors != NULL ? anchors : both, error);
      goto out;
    }
  if (held_out != NULL &&
      !es_alignment_precision (alignment, a, b, held_out, &c.p1, &c.p5, NULL, &error))
    {
      status = _es_cli_input_error (argv[2], error);
      goto out;
    }
  c.seconds_align = (g_get_monotonic_time () - t0) / 1e6;

  t0 = g_get_monotonic_time ();
  if (words > 0 && k >= MIN (words, es_word_pairs_get_n (shared)))
    {
      g_set_error (&error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "-k %" G_GUINT64_FORMAT " needs more than the %" G_GSIZE_FORMAT
                   " shared words the overlap compares", k,
                   (gsize) MIN (words, es_word_pairs_get_n (shared)));
      status = _es_cli_input_error (argv[1], error);
      goto out;
    }
  if (!(scores = es_change_scores_compute (a, b, shared, alignment, k, words, NULL, NULL, NULL, &error)))
    {
      status = _es_cli_input_error (argv[1], error);
      goto out;
    }
  c.seconds_scores = (g_get_monotonic_time () - t0) / 1e6;

  c.a = a;
  c.b = b;
  c.shared = shared;
  c.alignment = alignment;
  c.scores = scores;
  c.options = &options;
  c.n_held_out = held_out != NULL ? es_word_pairs_get_n (held_out) : 0;
  c.top = top;

  if (output != NULL)
    {
      g_autoptr(GString) tsv = build_tsv (&c, &error);

      if (tsv == NULL || !es_output_write_file (output, tsv->str, tsv->len, &error))
        {
          status = _es_cli_input_error (output, error);
          goto out;
        }
    }
  if (common.json)
    print_json (&c);
  else
    print_text (&c, argv[1], argv[2]);
  status = ES_CLI_EXIT_OK;

out:
  _es_cli_common_clear (&common);
  return status;
}
