/* es-cli.c: the headless subcommands, dispatched before any GTK set-up
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-cli"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "es-cli-private.h"

static const EsCliCommand commands[] = {
  { "info", "FILE", "Show the format, shape, first words and load warnings of an embedding file",
    "Example:\n  embedscope info vectors.txt --json", _es_cli_info },
  { "neighbors", "FILE QUERY", "List the nearest neighbours of a word or word expression",
    "QUERY is a word or an expression such as 'king - man + woman', '0.5*paris + avg(rome, berlin)'\n"
    "or '\"new york\"'. Neighbours are computed in the original space, over all rows,\n"
    "excluding the query's own words.\n\n"
    "Scores: cosine similarity (descending) for cosine, euclidean distance (ascending) for\n"
    "euclidean, dot product (descending) for dot.", _es_cli_neighbors, TRUE },
  { "analogy", "FILE A B C", "Solve 'A is to B as C is to ?' (B - A + C)",
    "The order is that of questions-words.txt. Example:\n"
    "  embedscope analogy vectors.txt man king woman      -> queen\n\n"
    "3CosAdd on unit vectors like gensim's most_similar(positive=[B, C], negative=[A]);\n"
    "--cosmul gives gensim's most_similar_cosmul (3CosMul).", _es_cli_analogy },
  { "similarity", "FILE A B", "Print the cosine similarity of two words", NULL, _es_cli_similarity },
  { "evaluate", "FILE", "Evaluate on an analogy set (questions-words) or word-pair similarities",
    "Like gensim's evaluate_word_analogies (case-insensitive, restricted to the first 300000\n"
    "words by default) and evaluate_word_pairs (Pearson, Spearman, OOV as a fraction).", _es_cli_evaluate },
  { "project", "FILE", "Reduce or project every row and write the coordinates as TSV",
    "Methods: pca (exact, centred on all rows), svd (truncated, not centred), axes (dot products\n"
    "with word-expression axes, e.g. --axis 'woman - man' --axis 'king - queen'), identity\n"
    "(chosen columns as they are). Components are 1-based.", _es_cli_project },
  { "render", "FILE", "Draw the projection to a PNG, SVG or PDF file without a display",
    "Example:\n  embedscope render vectors.txt --method pca --highlight king --output plot.png", _es_cli_render },
  { "cluster", "FILE", "Group the rows into K clusters (k-means) named by their most central words",
    "Spherical k-means for cosine (the default), plain for euclidean; greedy k-means++ seeds;\n"
    "each cluster is named by the 3 words nearest its centroid. TSV: word, cluster, name\n"
    "(rows with NaN get cluster -1). Example:\n  embedscope cluster vectors.txt --clusters 50 --output clusters.tsv",
    _es_cli_cluster },
  { "convert", "IN OUT", "Write an embedding as word2vec text or binary, GloVe, or .npy + words TSV",
    "The format is --format, else OUT's name: .npy -> npy (words to OUT.words.tsv), .bin ->\n"
    "w2v-binary, a name containing 'glove' -> glove, anything else -> w2v-text. Values are\n"
    "the shortest decimals that read back as the same float32, so conversions are lossless.\n"
    "Words holding a space or line break cannot go to a text format (error naming the row).\n"
    "Read an .npy back with --metadata OUT.words.tsv.", _es_cli_convert },
  { "transform", "FILE", "Apply a linear map to every row, or remove directions, into a new embedding",
    "--matrix W.npy multiplies every row by W (DIMS x D', float32 or float64 .npy).\n"
    "--remove-direction EXPR projects out the direction of a word expression (a sum of unit\n"
    "word vectors, e.g. 'he - she'; Bolukbasi et al. 2016); several are orthonormalised first\n"
    "(QR), so their whole span is removed. Written as by convert (--format, else OUT's name).\n"
    "Example:\n  embedscope transform vectors.txt --remove-direction 'he - she' --output neutral.txt",
    _es_cli_transform },
  { "compare", "A B", "Align two embeddings on their shared words and rank the words that moved",
    "Orthogonal Procrustes (default; --center, --scale) or a least-squares linear map (--method\n"
    "linear; the dimensions may differ), fitted on every shared word or on --anchors. Change\n"
    "scores: cosine distance after alignment for every shared word, and neighbour overlap\n"
    "|top-k(A) ∩ top-k(B)| / k (Gonen et al. 2020) on the first --overlap-words shared words\n"
    "(the most frequent, as files list them). Example:\n"
    "  embedscope compare 1990s.vec 2010s.vec --center --top 20 --output moved.tsv", _es_cli_compare },
  { "cooccur", "CORPUS", "Count word co-occurrences in a plain-text corpus into a Matrix Market file",
    "Words: lowercased runs of Unicode letters and digits (apostrophes inside words kept),\n"
    "counted within a symmetric window on each line. Example:\n"
    "  embedscope cooccur corpus.txt --window 5 --min-count 5 --output counts.mtx", _es_cli_cooccur },
  { "lsa", "[M.mtx]", "Word vectors by truncated SVD of a (PPMI-weighted) sparse matrix",
    "The matrix is a Matrix Market file (points are its rows; --transpose for columns) or\n"
    "--corpus TEXT counted as by cooccur and PPMI-weighted (α = 0.75). Randomized block Krylov\n"
    "SVD (Musco & Musco 2015); vectors U·Σ^P. Example:\n"
    "  embedscope lsa --corpus corpus.txt --dims 100 --output vectors.txt", _es_cli_lsa, TRUE },
  { "nmf", "[M.mtx]", "Topics by non-negative matrix factorisation of a sparse matrix or a corpus",
    "HALS coordinate descent (Cichocki & Phan 2009) from an NNDSVDa start, Frobenius loss.\n"
    "Lists each component's top columns (words); --output writes W as vectors. Example:\n"
    "  embedscope nmf counts.mtx --weight ppmi --components 10 --top 10", _es_cli_nmf, TRUE },
};

gboolean
es_cli_is_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (name, commands[i].name) == 0)
      return TRUE;

  return g_strcmp0 (name, "help") == 0;
}

/* Levenshtein distance, capped: names are short. */
static guint
edit_distance (const char *a,
               const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  guint row[33];

  if (la > 32 || lb > 32)
    return G_MAXUINT;
  for (gsize j = 0; j <= lb; j++)
    row[j] = j;
  for (gsize i = 1; i <= la; i++)
    {
      guint diagonal = row[0];

      row[0] = i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint above = row[j];

          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] != b[j - 1]));
          diagonal = above;
        }
    }

  return row[lb];
}

const char *
es_cli_misspelt_command (const char *name)
{
  const char *best = NULL;
  guint best_distance = 3;

  if (name == NULL || name[0] == '\0' || name[0] == '-' || es_cli_is_command (name) ||
      g_file_test (name, G_FILE_TEST_EXISTS))
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      guint d = edit_distance (name, commands[i].name);

      if (d < best_distance)
        {
          best_distance = d;
          best = commands[i].name;
        }
    }

  return best;
}

static void
print_overview (FILE *stream)
{
  fprintf (stream,
           "Usage:\n"
           "  embedscope [FILE]                open the desktop app (on the bundled sample without FILE)\n"
           "  embedscope COMMAND FILE [...]    run a headless command\n\n"
           "Commands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %-11s %s\n", commands[i].name, commands[i].summary);
  fprintf (stream,
           "\nRun 'embedscope COMMAND --help' for a command's options.\n"
           "Example: embedscope analogy vectors.txt man king woman   (-> queen)\n");
}

int
es_cli_run (int    argc,
            char **argv)
{
  const char *name = argc > 1 ? argv[1] : NULL;

  if (name == NULL || g_strcmp0 (name, "help") == 0 ||
      g_strcmp0 (name, "--help") == 0 || g_strcmp0 (name, "-h") == 0)
    {
      if (name != NULL && argc > 2 && g_strcmp0 (name, "help") == 0)
        {
          char *help_argv[] = { argv[2], (char *) "--help", NULL };

          for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
            if (g_strcmp0 (argv[2], commands[i].name) == 0)
              return commands[i].run (2, help_argv);
        }
      print_overview (stdout);
      return ES_CLI_EXIT_OK;
    }

  if (g_strcmp0 (name, "--version") == 0)
    {
      printf ("embedscope %s\n", PACKAGE_VERSION);
      return ES_CLI_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (name, commands[i].name) == 0)
      return commands[i].run (argc - 1, argv + 1);

  if (es_cli_misspelt_command (name) != NULL)
    {
      fprintf (stderr, "embedscope: unknown command '%s' — did you mean '%s'?\n",
               name, es_cli_misspelt_command (name));
      return ES_CLI_EXIT_USAGE;
    }
  fprintf (stderr, "embedscope: unknown command '%s'\n\n", name);
  print_overview (stderr);

  return ES_CLI_EXIT_USAGE;
}

const EsCliCommand *
_es_cli_find_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (name, commands[i].name) == 0)
      return &commands[i];

  g_return_val_if_reached (NULL);
}

GOptionContext *
_es_cli_context_new (const EsCliCommand *command,
                     EsCliCommon        *common,
                     const GOptionEntry *entries)
{
  const GOptionEntry common_entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &common->json, "Print machine-readable JSON", NULL },
    { "limit", 0, 0, G_OPTION_ARG_INT64, &common->limit, "Read only the first N rows", "N" },
    { "shape", 0, 0, G_OPTION_ARG_STRING, &common->shape, "Shape of a raw projector .bytes file", "ROWSxDIMS" },
    { "metadata", 0, 0, G_OPTION_ARG_FILENAME, &common->metadata, "Metadata TSV (projector, or joined by word)", "FILE" },
    { "strict", 0, 0, G_OPTION_ARG_NONE, &common->strict, "Treat invalid UTF-8 in words as an error", NULL },
    { "layer", 0, 0, G_OPTION_ARG_STRING, &common->layer, "Of a layers × tokens × dims tensor, only layer N (0-based)", "N" },
    { "tensor", 0, 0, G_OPTION_ARG_STRING, &common->tensor, "Of a .safetensors file, this tensor (default: the token embeddings)", "NAME" },
    { "vocab", 0, 0, G_OPTION_ARG_FILENAME, &common->vocab, "Tokens of a .safetensors matrix: tokenizer.json, vocab.json or one per line", "FILE" },
    { "version", 0, 0, G_OPTION_ARG_NONE, &common->version, "Print the version", NULL },
    { NULL }
  };
  g_autofree char *parameters = NULL;
  GOptionContext *context;

  if (command == NULL)
    return NULL;

  parameters = g_strdup_printf ("%s - %s", command->parameters, command->summary);
  context = g_option_context_new (parameters);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_main_entries (context, common_entries, NULL);
  if (command->description != NULL)
    g_option_context_set_description (context, command->description);

  return context;
}

void
_es_cli_common_clear (EsCliCommon *common)
{
  g_clear_pointer (&common->shape, g_free);
  g_clear_pointer (&common->metadata, g_free);
  g_clear_pointer (&common->layer, g_free);
  g_clear_pointer (&common->tensor, g_free);
  g_clear_pointer (&common->vocab, g_free);
}

int
_es_cli_usage_error (const EsCliCommand *command,
                     const char         *format,
                     ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  fprintf (stderr, "embedscope: %s\n", message);
  if (command != NULL)
    fprintf (stderr, "Try 'embedscope %s --help'.\n", command->name);

  return ES_CLI_EXIT_USAGE;
}

/* Returns -1 when parsing succeeded and the command should go on,
 * otherwise the exit status.
 */
int
_es_cli_parse (GOptionContext     *context,
               const EsCliCommand *command,
               EsCliCommon        *common,
               int                *argc,
               char             ***argv,
               int                 n_positional)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    return _es_cli_usage_error (command, "%s", error->message);

  if (common->version)
    {
      printf ("embedscope %s\n", PACKAGE_VERSION);
      return ES_CLI_EXIT_OK;
    }

  /* (*argv)[0] is the command name itself. */
  if (*argc - 1 < n_positional)
    return _es_cli_usage_error (command, "missing %s", command->parameters);
  if (*argc - 1 > n_positional && !command->variadic)
    return _es_cli_usage_error (command, "unexpected argument '%s'", (*argv)[n_positional + 1]);
  if (common->limit < 0)
    return _es_cli_usage_error (command, "--limit must be a positive number of rows");
  if (common->shape != NULL)
    {
      guint64 rows, dims;
      char *end;

      /* Digits only: strtoull would read "-1" as 2^64 - 1. */
      if (!g_ascii_isdigit (common->shape[0]))
        return _es_cli_usage_error (command, "--shape expects ROWSxDIMS, e.g. 150x4, not '%s'", common->shape);
      errno = 0;
      rows = g_ascii_strtoull (common->shape, &end, 10);
      if (end == common->shape || (*end != 'x' && *end != 'X') || !g_ascii_isdigit (end[1]))
        return _es_cli_usage_error (command, "--shape expects ROWSxDIMS, e.g. 150x4, not '%s'", common->shape);
      dims = g_ascii_strtoull (end + 1, &end, 10);
      if (*end != '\0' || rows == 0 || dims == 0 || errno == ERANGE)
        return _es_cli_usage_error (command, "--shape expects ROWSxDIMS, e.g. 150x4, not '%s'", common->shape);
    }
  if (common->layer != NULL)
    {
      guint64 layer;
      char *end;

      errno = 0;
      layer = g_ascii_strtoull (common->layer, &end, 10);
      if (!g_ascii_isdigit (common->layer[0]) || *end != '\0' || errno == ERANGE || layer > G_MAXUINT)
        return _es_cli_usage_error (command, "--layer expects a layer number (0, 1, …), not '%s'", common->layer);
    }

  return -1;
}

gboolean
_es_cli_check_double (const EsCliCommand *command,
                      const char         *option,
                      double              value,
                      double              min,
                      double              max,
                      int                *status)
{
  if (!isfinite (value))
    {
      *status = _es_cli_usage_error (command, "%s must be a finite number", option);
      return FALSE;
    }
  if (value < min || value > max)
    {
      *status = _es_cli_usage_error (command, "%s must be between %g and %g, not %g",
                                     option, min, max, value);
      return FALSE;
    }

  return TRUE;
}

/* "1,2,3" -> {0, 1, 2}; components are 1-based on the command line. */
gboolean
_es_cli_parse_components (const char *text,
                          guint      *components,
                          guint       max_components,
                          guint      *n_components)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  guint n = g_strv_length (parts);

  if (n < 1 || n > max_components)
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      guint64 value;

      if (!g_ascii_string_to_unsigned (g_strstrip (parts[i]), 10, 1, G_MAXUINT, &value, NULL))
        return FALSE;
      components[i] = value - 1;
    }
  *n_components = n;

  return TRUE;
}

/* Every input error names the file it is about: loader errors already
 * start with it, others (an unknown word, k too large) get it here.
 */
int
_es_cli_input_error (const char   *path,
                     const GError *error)
{
  if (g_str_has_prefix (error->message, path))
    fprintf (stderr, "embedscope: %s\n", error->message);
  else
    fprintf (stderr, "embedscope: %s: %s\n", path, error->message);

  return ES_CLI_EXIT_INPUT;
}

/* The common flags as loader options; borrowed strings stay in @common. */
void
_es_cli_load_options (const EsCliCommon *common,
                      EsLoadOptions     *options)
{
  es_load_options_init (options);
  options->limit = common->limit;
  options->encoding = common->strict ? ES_ENCODING_STRICT : ES_ENCODING_LENIENT;
  options->metadata_path = common->metadata;
  options->tensor_name = common->tensor;
  options->vocab_path = common->vocab;
  if (common->layer != NULL)
    {
      /* Already validated by _es_cli_parse (). */
      options->select_layer = TRUE;
      options->layer = (guint) g_ascii_strtoull (common->layer, NULL, 10);
    }
  /* `-` and pipes are read as streams (text formats). */
  options->allow_stream = TRUE;
  if (common->shape != NULL)
    {
      char *end;

      /* Already validated by _es_cli_parse (). */
      options->shape_rows = g_ascii_strtoull (common->shape, &end, 10);
      options->shape_dims = g_ascii_strtoull (end + 1, NULL, 10);
    }
}

EsEmbeddingSet *
_es_cli_load (const char        *path,
              const EsCliCommon *common,
              GError           **error)
{
  EsLoadOptions options;

  _es_cli_load_options (common, &options);

  return es_loader_load_path (path, &options, NULL, NULL, NULL, error);
}

/* Human-readable commands report load warnings on stderr, so that stdout
 * stays what was asked for.
 */
void
_es_cli_print_warnings (EsEmbeddingSet *set)
{
  GPtrArray *warnings = es_embedding_set_get_warnings (set);

  for (guint i = 0; i < warnings->len; i++)
    fprintf (stderr, "embedscope: warning: %s\n", (const char *) g_ptr_array_index (warnings, i));
}

void
_es_cli_print_json (EsJsonBuilder *builder)
{
  g_autofree char *text = es_json_builder_free_to_string (builder);

  printf ("%s\n", text);
}

void
_es_cli_json_word (EsJsonBuilder  *builder,
                   EsEmbeddingSet *set,
                   gsize           row)
{
  es_json_builder_string (builder,
                          es_embedding_set_get_word (set, row),
                          es_embedding_set_get_word_len (set, row));
}

char *
_es_cli_display_word (EsEmbeddingSet *set,
                      gsize           row)
{
  return es_embedding_set_dup_display_word (set, row);
}
