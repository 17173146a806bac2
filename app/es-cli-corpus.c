/* es-cli-corpus.c: embedscope cooccur, lsa and nmf
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-cli"

#include "config.h"

#include <cblas.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "es-cli-private.h"
#include "es-corpus-topics.h"
#include "es-corpus-vectors.h"
#include "es-embedding-writer.h"
#include "es-nmf.h"


/* Flags shared by the three commands (strings, checked after parsing). */
typedef struct
{
  char     *window;
  char     *min_count;
  char     *max_vocab;
  gboolean  distance;
  char     *corpus;
  char     *row_labels;
  char     *col_labels;
  gboolean  transpose;
  char     *weight;
  char     *alpha;
  char     *shift;
  char     *output;
  char     *format;
  char     *seed;
  /* checked */
  EsCooccurOptions   cooccur;
  EsWeightingOptions weighting;
  gboolean           weight_given;
  guint64            seed_value;
} CorpusFlags;

static void
corpus_flags_clear (CorpusFlags *f)
{
  g_free (f->window);
  g_free (f->min_count);
  g_free (f->max_vocab);
  g_free (f->corpus);
  g_free (f->row_labels);
  g_free (f->col_labels);
  g_free (f->weight);
  g_free (f->alpha);
  g_free (f->shift);
  g_free (f->output);
  g_free (f->format);
  g_free (f->seed);
}

static void
add_cooccur_entries (GOptionContext *context,
                     CorpusFlags    *f)
{
  const GOptionEntry entries[] = {
    { "window", 0, 0, G_OPTION_ARG_STRING, &f->window, "Words on each side within a line (default 5)", "N" },
    { "min-count", 0, 0, G_OPTION_ARG_STRING, &f->min_count, "Keep words seen at least N times (default 5)", "N" },
    { "max-vocab", 0, 0, G_OPTION_ARG_STRING, &f->max_vocab, "Keep at most the N most frequent words", "N" },
    { "distance-weighting", 0, 0, G_OPTION_ARG_NONE, &f->distance, "A pair d words apart counts 1/d", NULL },
    { NULL }
  };
  GOptionGroup *group = g_option_group_new ("corpus", "Counting a corpus:", "Show the counting options", NULL, NULL);

  g_option_group_add_entries (group, entries);
  g_option_context_add_group (context, group);
}

static void
add_matrix_entries (GOptionContext *context,
                    CorpusFlags    *f)
{
  const GOptionEntry entries[] = {
    { "corpus", 0, 0, G_OPTION_ARG_FILENAME, &f->corpus, "Count this plain-text corpus instead of reading a matrix", "TEXT" },
    { "row-labels", 0, 0, G_OPTION_ARG_FILENAME, &f->row_labels, "Row labels, one per line (default M.rows.tsv)", "FILE" },
    { "col-labels", 0, 0, G_OPTION_ARG_FILENAME, &f->col_labels, "Column labels (default M.cols.tsv)", "FILE" },
    { "transpose", 0, 0, G_OPTION_ARG_NONE, &f->transpose, "The points are the matrix's columns", NULL },
    { "weight", 0, 0, G_OPTION_ARG_STRING, &f->weight, "ppmi, tfidf or none (default ppmi for a corpus, none for a matrix)", "W" },
    { "alpha", 0, 0, G_OPTION_ARG_STRING, &f->alpha, "PPMI context smoothing exponent (default 0.75)", "A" },
    { "shift", 0, 0, G_OPTION_ARG_STRING, &f->shift, "PPMI shift k: subtract log k (default 1)", "K" },
    { "seed", 's', 0, G_OPTION_ARG_STRING, &f->seed, "Random seed (default 42)", "S" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &f->output, "Write the vectors (.txt, .bin, .npy or a name with glove)", "FILE" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &f->format, "w2v-text, w2v-binary, glove or npy (default: from the name)", "FORMAT" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
}

static gboolean
parse_uint64 (const char *text,
              guint64     min,
              guint64     max,
              guint64    *out)
{
  return text != NULL && g_ascii_string_to_unsigned (text, 10, min, max, out, NULL);
}

static gboolean
parse_double (const char *text,
              double     *out)
{
  char *end = NULL;

  if (text == NULL || *text == '\0')
    return FALSE;
  *out = g_ascii_strtod (text, &end);
  return end != NULL && *end == '\0' && isfinite (*out);
}

/* -1 when fine, otherwise the exit status (usage error reported). */
static int
check_flags (const EsCliCommand *command,
             CorpusFlags        *f)
{
  guint64 v;

  es_cooccur_options_init (&f->cooccur);
  es_weighting_options_init (&f->weighting);
  f->seed_value = 42;
  if (f->window != NULL)
    {
      if (!parse_uint64 (f->window, 1, ES_COOCCUR_MAX_WINDOW, &v))
        return _es_cli_usage_error (command, "--window expects a whole number from 1 to %u, not '%s'",
                                    ES_COOCCUR_MAX_WINDOW, f->window);
      f->cooccur.window = (guint) v;
    }
  if (f->distance && f->cooccur.window > ES_COOCCUR_MAX_WEIGHTED_WINDOW)
    return _es_cli_usage_error (command, "--distance-weighting needs --window ≤ %u", ES_COOCCUR_MAX_WEIGHTED_WINDOW);
  f->cooccur.distance_weighting = f->distance;
  if (f->min_count != NULL)
    {
      if (!parse_uint64 (f->min_count, 1, G_MAXUINT64, &v))
        return _es_cli_usage_error (command, "--min-count expects a whole number ≥ 1, not '%s'", f->min_count);
      f->cooccur.min_count = v;
    }
  if (f->max_vocab != NULL)
    {
      if (!parse_uint64 (f->max_vocab, 1, G_MAXUINT32 - 1, &v))
        return _es_cli_usage_error (command, "--max-vocab expects a whole number ≥ 1, not '%s'", f->max_vocab);
      f->cooccur.max_vocab = v;
    }
  if (f->weight != NULL)
    {
      if (!es_weighting_from_string (f->weight, &f->weighting.weighting))
        return _es_cli_usage_error (command, "unknown weighting '%s' (ppmi, tfidf or none)", f->weight);
      f->weight_given = TRUE;
    }
  if (f->alpha != NULL && (!parse_double (f->alpha, &f->weighting.alpha) || !(f->weighting.alpha > 0)))
    return _es_cli_usage_error (command, "--alpha expects a number > 0, not '%s'", f->alpha);
  if (f->shift != NULL && (!parse_double (f->shift, &f->weighting.shift) || !(f->weighting.shift >= 1)))
    return _es_cli_usage_error (command, "--shift expects a number ≥ 1, not '%s'", f->shift);
  if (f->seed != NULL && !parse_uint64 (f->seed, 0, G_MAXUINT64, &f->seed_value))
    return _es_cli_usage_error (command, "--seed expects a whole number ≥ 0, not '%s'", f->seed);
  if (f->format != NULL)
    {
      EsFormat format;

      if (!es_embedding_format_from_name (f->format, &format))
        return _es_cli_usage_error (command, "unknown format '%s' (w2v-text, w2v-binary, glove or npy)", f->format);
      if (f->output == NULL)
        return _es_cli_usage_error (command, "--format needs --output");
    }
  return -1;
}

static void
print_warnings (GPtrArray *warnings)
{
  for (guint i = 0; i < warnings->len; i++)
    fprintf (stderr, "embedscope: warning: %s\n", (const char *) warnings->pdata[i]);
}

/* The matrix to work on: counted from a corpus (weighted PPMI unless told)
 * or read from a Matrix Market file (unweighted unless told).
 */
static EsSparseMatrix *
load_matrix (const char   *path,
             CorpusFlags  *f,
             gboolean      is_corpus,
             GPtrArray    *warnings,
             GError      **error)
{
  g_autoptr(EsSparseMatrix) m = NULL;
  EsWeightingOptions weighting = f->weighting;

  if (is_corpus)
    m = es_cooccur_count (path, &f->cooccur, warnings, NULL, NULL, NULL, error);
  else
    {
      EsMatrixMarketOptions options;

      es_matrix_market_options_init (&options);
      options.row_labels = f->row_labels;
      options.col_labels = f->col_labels;
      options.transpose = f->transpose;
      m = es_matrix_market_read (path, &options, warnings, NULL, NULL, NULL, error);
      if (!f->weight_given)
        weighting.weighting = ES_WEIGHTING_NONE;
    }
  if (m == NULL)
    return NULL;
  if (weighting.weighting == ES_WEIGHTING_NONE)
    return g_steal_pointer (&m);
  return es_weighting_apply (m, &weighting, error);
}

/* FILE is a Matrix Market file (by content) unless --corpus names a text. */
static int
resolve_input (const EsCliCommand  *command,
               CorpusFlags         *f,
               int                  argc,
               char               **argv,
               const char         **path,
               gboolean            *is_corpus)
{
  if (f->corpus != NULL && argc > 1)
    return _es_cli_usage_error (command, "give either a matrix FILE or --corpus TEXT, not both");
  if (f->corpus == NULL && argc < 2)
    return _es_cli_usage_error (command, "missing the matrix FILE (or --corpus TEXT)");
  if (argc > 2)
    return _es_cli_usage_error (command, "unexpected argument '%s'", argv[2]);
  *is_corpus = f->corpus != NULL;
  *path = *is_corpus ? f->corpus : argv[1];
  if (!*is_corpus && (f->window || f->min_count || f->max_vocab || f->distance))
    return _es_cli_usage_error (command, "--window, --min-count, --max-vocab and --distance-weighting need --corpus");
  if (*is_corpus && (f->row_labels || f->col_labels || f->transpose))
    return _es_cli_usage_error (command, "--row-labels, --col-labels and --transpose are for a matrix FILE");
  return -1;
}

static int
matrix_not_mtx_error (const char *path)
{
  fprintf (stderr, "embedscope: %s: not a Matrix Market file (no '%%%%MatrixMarket' banner); "
           "for a plain-text corpus use --corpus %s\n", path, path);
  return ES_CLI_EXIT_INPUT;
}

static gboolean
write_vectors (EsEmbeddingSet  *set,
               CorpusFlags     *f,
               GError         **error)
{
  g_autofree char *words_path = NULL;
  EsFormat format;

  if (f->format == NULL || !es_embedding_format_from_name (f->format, &format))
    format = es_embedding_format_for_path (f->output);
  if (format == ES_FORMAT_NPY)
    words_path = es_embedding_writer_words_path (f->output);
  return es_embedding_writer_write (set, f->output, format, words_path, NULL, NULL, NULL, error);
}

int
_es_cli_cooccur (int    argc,
                 char **argv)
{
  const EsCliCommand *command = _es_cli_find_command ("cooccur");
  EsCliCommon common = { 0 };
  CorpusFlags f = { 0 };
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &f.output, "Write the counts as Matrix Market (and M.rows.tsv, M.cols.tsv)", "M.mtx" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = _es_cli_context_new (command, &common, entries);
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(EsSparseMatrix) m = NULL;
  g_autoptr(GError) error = NULL;
  gint64 t0;
  double seconds;
  int status;

  add_cooccur_entries (context, &f);
  if ((status = _es_cli_parse (context, command, &common, &argc, &argv, 1)) >= 0 ||
      (status = check_flags (command, &f)) >= 0)
    goto out;
  if (argc > 2)
    {
      status = _es_cli_usage_error (command, "unexpected argument '%s'", argv[2]);
      goto out;
    }

  t0 = g_get_monotonic_time ();
  if (!(m = es_cooccur_count (argv[1], &f.cooccur, warnings, NULL, NULL, NULL, &error)))
    {
      status = _es_cli_input_error (argv[1], error);
      goto out;
    }
  seconds = (g_get_monotonic_time () - t0) / 1e6;
  print_warnings (warnings);
  if (f.output != NULL && !es_matrix_market_write (m, f.output, TRUE, &error))
    {
      status = _es_cli_input_error (f.output, error);
      goto out;
    }

  if (common.json)
    {
      EsJsonBuilder *builder = es_json_builder_new ();

      es_json_builder_begin_object (builder);
      es_json_builder_member (builder, "vocabulary");
      es_json_builder_int (builder, es_sparse_matrix_get_rows (m));
      es_json_builder_member (builder, "nnz");
      es_json_builder_int (builder, es_sparse_matrix_get_nnz (m));
      es_json_builder_member (builder, "window");
      es_json_builder_int (builder, f.cooccur.window);
      es_json_builder_member (builder, "seconds");
      es_json_builder_double (builder, seconds);
      if (f.output != NULL)
        {
          es_json_builder_member (builder, "output");
          es_json_builder_string (builder, f.output, -1);
        }
      es_json_builder_end_object (builder);
      _es_cli_print_json (builder);
    }
  else
    {
      printf ("%" G_GSIZE_FORMAT " words, %" G_GUINT64_FORMAT " non-zero counts (window %u) in %.2f s\n",
              es_sparse_matrix_get_rows (m), es_sparse_matrix_get_nnz (m), f.cooccur.window, seconds);
      if (f.output != NULL)
        {
          g_autofree char *rows = es_matrix_market_labels_path (f.output, "rows");
          printf ("Counts written to %s (words in %s)\n", f.output, rows);
        }
    }
  status = ES_CLI_EXIT_OK;

out:
  corpus_flags_clear (&f);
  _es_cli_common_clear (&common);
  return status;
}

/* lsa and nmf run one job, whose sparse products are on the engine's own
 * two threads; OpenBLAS's pool threads would spin in sched_yield through
 * them (measured: twice the CPU of the SVD and 10–15 % more wall time),
 * and the dense steps between them are too thin to gain from that pool.
 * So these commands give BLAS one thread unless OPENBLAS_NUM_THREADS
 * says otherwise; the engine splits its dense steps over its own two
 * threads (es-sparse-tall.c).  The GUI keeps BLAS's default: it runs
 * jobs side by side, and the setting is global.  OpenBLAS's sums depend
 * on its thread count (last float digits: 1e-4 of the largest vector
 * entry on Brown), so on one thread the CLI gives the same vectors on
 * every machine.
 */
static void
blas_one_thread (void)
{
  if (g_getenv ("OPENBLAS_NUM_THREADS") == NULL)
    openblas_set_num_threads (1);
}

int
_es_cli_lsa (int    argc,
             char **argv)
{
  const EsCliCommand *command = _es_cli_find_command ("lsa");
  EsCliCommon common = { 0 };
  CorpusFlags f = { 0 };
  g_autofree char *dims_text = NULL;
  g_autofree char *power_text = NULL;
  g_autofree char *iterations_text = NULL;
  const GOptionEntry entries[] = {
    { "dims", 'd', 0, G_OPTION_ARG_STRING, &dims_text, "Dimensions of the vectors (default 100)", "K" },
    { "power", 0, 0, G_OPTION_ARG_STRING, &power_text, "Vectors are U·Σ^P (default 0.5)", "P" },
    { "iterations", 0, 0, G_OPTION_ARG_STRING, &iterations_text, "Block Krylov iterations of the SVD: more is more accurate, fewer is faster (default 8)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = _es_cli_context_new (command, &common, entries);
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(EsCorpusVectors) lsa = NULL;
  EsSparseMatrix *m = NULL;
  const EsSparseSvd *svd = NULL;
  EsEmbeddingSet *set = NULL;
  g_autoptr(GError) error = NULL;
  EsSparseSvdOptions options;
  const char *path = NULL;
  gboolean is_corpus = FALSE;
  double power = 0.5, load_seconds, svd_seconds;
  guint64 v;
  int status;

  es_sparse_svd_options_init (&options);
  add_matrix_entries (context, &f);
  add_cooccur_entries (context, &f);
  if ((status = _es_cli_parse (context, command, &common, &argc, &argv, 0)) >= 0 ||
      (status = check_flags (command, &f)) >= 0 ||
      (status = resolve_input (command, &f, argc, argv, &path, &is_corpus)) >= 0)
    goto out;
  if (dims_text != NULL)
    {
      if (!parse_uint64 (dims_text, 1, G_MAXINT32, &v))
        {
          status = _es_cli_usage_error (command, "--dims expects a whole number ≥ 1, not '%s'", dims_text);
          goto out;
        }
      options.dims = (guint) v;
    }
  if (power_text != NULL && !parse_double (power_text, &power))
    {
      status = _es_cli_usage_error (command, "--power expects a number, not '%s'", power_text);
      goto out;
    }
  if (iterations_text != NULL)
    {
      if (!parse_uint64 (iterations_text, 0, 100, &v))
        {
          status = _es_cli_usage_error (command, "--iterations expects a whole number from 0 to 100, not '%s'",
                                        iterations_text);
          goto out;
        }
      options.power_iterations = (guint) v;
    }
  options.seed = f.seed_value;
  if (!is_corpus && !es_matrix_market_sniff (path))
    {
      status = g_file_test (path, G_FILE_TEST_EXISTS) ? matrix_not_mtx_error (path)
                                                       : (fprintf (stderr, "embedscope: %s: no such file\n", path),
                                                          ES_CLI_EXIT_INPUT);
      goto out;
    }
  blas_one_thread ();

  /* The window's Open Corpus runs the same pipeline (es-corpus-vectors.h). */
  {
    EsCorpusOptions corpus;

    es_corpus_options_init (&corpus, !is_corpus);
    corpus.cooccur = f.cooccur;
    corpus.matrix.row_labels = f.row_labels;
    corpus.matrix.col_labels = f.col_labels;
    corpus.matrix.transpose = f.transpose;
    if (is_corpus || f.weight_given)
      corpus.weighting = f.weighting;
    else
      {
        corpus.weighting = f.weighting;
        corpus.weighting.weighting = ES_WEIGHTING_NONE;
      }
    corpus.svd = options;
    corpus.power = power;
    lsa = is_corpus ? es_corpus_vectors_from_text (path, &corpus, warnings, NULL, NULL, NULL, &error)
                    : es_corpus_vectors_from_matrix (path, &corpus, warnings, NULL, NULL, NULL, &error);
  }
  print_warnings (warnings);
  if (lsa == NULL)
    {
      status = _es_cli_input_error (path, error);
      goto out;
    }
  m = es_corpus_vectors_get_matrix (lsa);
  svd = es_corpus_vectors_get_svd (lsa);
  set = es_corpus_vectors_get_set (lsa);
  load_seconds = es_corpus_vectors_get_matrix_seconds (lsa);
  svd_seconds = es_corpus_vectors_get_svd_seconds (lsa);
  if (f.output != NULL && !write_vectors (set, &f, &error))
    {
      status = _es_cli_input_error (f.output, error);
      goto out;
    }

  if (common.json)
    {
      EsJsonBuilder *builder = es_json_builder_new ();
      const double *s = es_sparse_svd_get_singular_values (svd);

      es_json_builder_begin_object (builder);
      es_json_builder_member (builder, "rows");
      es_json_builder_int (builder, es_sparse_matrix_get_rows (m));
      es_json_builder_member (builder, "cols");
      es_json_builder_int (builder, es_sparse_matrix_get_cols (m));
      es_json_builder_member (builder, "nnz");
      es_json_builder_int (builder, es_sparse_matrix_get_nnz (m));
      es_json_builder_member (builder, "weighting");
      es_json_builder_string (builder, es_weighting_to_string (is_corpus || f.weight_given ? f.weighting.weighting
                                                                                        : ES_WEIGHTING_NONE), -1);
      es_json_builder_member (builder, "dims");
      es_json_builder_int (builder, options.dims);
      es_json_builder_member (builder, "power");
      es_json_builder_double (builder, power);
      es_json_builder_member (builder, "singular_values");
      es_json_builder_begin_array (builder);
      for (guint c = 0; c < options.dims; c++)
        es_json_builder_double (builder, s[c]);
      es_json_builder_end_array (builder);
      if (f.output != NULL)
        {
          es_json_builder_member (builder, "output");
          es_json_builder_string (builder, f.output, -1);
        }
      es_json_builder_member (builder, "svd");
      es_json_builder_begin_object (builder);
      es_json_builder_member (builder, "method");
      es_json_builder_string (builder, es_sparse_svd_get_method_name (svd), -1);
      es_json_builder_member (builder, "block");
      es_json_builder_int (builder, es_sparse_svd_get_block (svd));
      es_json_builder_member (builder, "iterations");
      es_json_builder_int (builder, es_sparse_svd_get_iterations (svd));
      es_json_builder_member (builder, "space_dims");
      es_json_builder_int (builder, es_sparse_svd_get_space_dims (svd));
      es_json_builder_member (builder, "max_relative_residual");
      es_json_builder_double (builder, es_sparse_svd_get_max_residual (svd));
      es_json_builder_end_object (builder);
      es_json_builder_member (builder, "timings");
      es_json_builder_begin_object (builder);
      es_json_builder_member (builder, "matrix");
      es_json_builder_double (builder, load_seconds);
      es_json_builder_member (builder, "svd");
      es_json_builder_double (builder, svd_seconds);
      es_json_builder_member (builder, "svd_cpu");
      es_json_builder_double (builder, es_corpus_vectors_get_svd_cpu_seconds (lsa));
      es_json_builder_end_object (builder);
      es_json_builder_end_object (builder);
      _es_cli_print_json (builder);
    }
  else
    {
      const double *s = es_sparse_svd_get_singular_values (svd);

      printf ("%" G_GSIZE_FORMAT " × %" G_GSIZE_FORMAT " (%" G_GUINT64_FORMAT " non-zero) → %u dimensions; "
              "matrix %.2f s, SVD %.2f s\nSingular values:", es_sparse_matrix_get_rows (m),
              es_sparse_matrix_get_cols (m), es_sparse_matrix_get_nnz (m), options.dims, load_seconds, svd_seconds);
      for (guint c = 0; c < MIN (options.dims, 10); c++)
        printf (" %.6g", s[c]);
      printf ("%s\n", options.dims > 10 ? " …" : "");
      if (f.output != NULL)
        printf ("Vectors written to %s\n", f.output);
    }
  status = ES_CLI_EXIT_OK;

out:
  corpus_flags_clear (&f);
  _es_cli_common_clear (&common);
  return status;
}

int
_es_cli_nmf (int    argc,
             char **argv)
{
  const EsCliCommand *command = _es_cli_find_command ("nmf");
  EsCliCommon common = { 0 };
  CorpusFlags f = { 0 };
  g_autofree char *components_text = NULL;
  g_autofree char *top_text = NULL;
  g_autofree char *iterations_text = NULL;
  g_autofree char *tolerance_text = NULL;
  gboolean random_init = FALSE;
  const GOptionEntry entries[] = {
    { "components", 'k', 0, G_OPTION_ARG_STRING, &components_text, "Number of components (required)", "K" },
    { "top", 0, 0, G_OPTION_ARG_STRING, &top_text, "Words listed per component (default 10)", "N" },
    { "max-iterations", 0, 0, G_OPTION_ARG_STRING, &iterations_text, "Most iterations (default 200)", "N" },
    { "tolerance", 0, 0, G_OPTION_ARG_STRING, &tolerance_text, "Stop when the loss improves by less than this fraction (default 1e-4)", "T" },
    { "random-init", 0, 0, G_OPTION_ARG_NONE, &random_init, "Random start instead of NNDSVDa", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = _es_cli_context_new (command, &common, entries);
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(EsSparseMatrix) m = NULL;
  g_autoptr(EsNmf) nmf = NULL;
  g_autoptr(GError) error = NULL;
  EsNmfOptions options;
  const char *path = NULL;
  gboolean is_corpus = FALSE;
  guint64 v, top = 10;
  gsize cols;
  guint k;
  gint64 t0;
  double seconds, cpu_seconds, cpu0;
  EsJsonBuilder *builder = NULL;
  int status;

  es_nmf_options_init (&options);
  add_matrix_entries (context, &f);
  add_cooccur_entries (context, &f);
  if ((status = _es_cli_parse (context, command, &common, &argc, &argv, 0)) >= 0 ||
      (status = check_flags (command, &f)) >= 0 ||
      (status = resolve_input (command, &f, argc, argv, &path, &is_corpus)) >= 0)
    goto out;
  if (components_text == NULL || !parse_uint64 (components_text, 1, 100000, &v))
    {
      status = _es_cli_usage_error (command, "--components expects a whole number ≥ 1%s%s%s",
                                    components_text ? ", not '" : " (required)", components_text ? components_text : "",
                                    components_text ? "'" : "");
      goto out;
    }
  options.components = (guint) v;
  if (top_text != NULL && !parse_uint64 (top_text, 1, 100000, &top))
    {
      status = _es_cli_usage_error (command, "--top expects a whole number ≥ 1, not '%s'", top_text);
      goto out;
    }
  if (iterations_text != NULL)
    {
      if (!parse_uint64 (iterations_text, 1, 1000000, &v))
        {
          status = _es_cli_usage_error (command, "--max-iterations expects a whole number ≥ 1, not '%s'", iterations_text);
          goto out;
        }
      options.max_iterations = (guint) v;
    }
  if (tolerance_text != NULL && (!parse_double (tolerance_text, &options.tolerance) || options.tolerance < 0))
    {
      status = _es_cli_usage_error (command, "--tolerance expects a number ≥ 0, not '%s'", tolerance_text);
      goto out;
    }
  options.seed = f.seed_value;
  options.init = random_init ? ES_NMF_INIT_RANDOM : ES_NMF_INIT_NNDSVDA;
  blas_one_thread ();
  if (!is_corpus && !es_matrix_market_sniff (path))
    {
      status = g_file_test (path, G_FILE_TEST_EXISTS) ? matrix_not_mtx_error (path)
                                                       : (fprintf (stderr, "embedscope: %s: no such file\n", path),
                                                          ES_CLI_EXIT_INPUT);
      goto out;
    }

  if (!(m = load_matrix (path, &f, is_corpus, warnings, &error)))
    {
      status = _es_cli_input_error (path, error);
      goto out;
    }
  print_warnings (warnings);
  t0 = g_get_monotonic_time ();
  cpu0 = es_corpus_process_cpu_seconds ();
  if (!(nmf = es_nmf_compute (m, &options, NULL, NULL, NULL, &error)))
    {
      status = _es_cli_input_error (path, error);
      goto out;
    }
  seconds = (g_get_monotonic_time () - t0) / 1e6;
  cpu_seconds = es_corpus_process_cpu_seconds () - cpu0;
  k = options.components;
  cols = es_sparse_matrix_get_cols (m);
  top = MIN (top, cols);

  if (f.output != NULL)
    {
      g_autofree float *w = g_new (float, es_sparse_matrix_get_rows (m) * k);
      g_autoptr(EsEmbeddingSet) set = NULL;

      for (gsize i = 0; i < es_sparse_matrix_get_rows (m) * k; i++)
        w[i] = (float) es_nmf_get_w (nmf)[i];
      if (!(set = es_corpus_make_set (m, w, k, &error)) || !write_vectors (set, &f, &error))
        {
          status = _es_cli_input_error (f.output, error);
          goto out;
        }
    }

  if (common.json)
    {
      builder = es_json_builder_new ();
      es_json_builder_begin_object (builder);
      es_json_builder_member (builder, "components");
      es_json_builder_int (builder, k);
      es_json_builder_member (builder, "error");
      es_json_builder_double (builder, es_nmf_get_error (nmf));
      es_json_builder_member (builder, "iterations");
      es_json_builder_int (builder, es_nmf_get_iterations (nmf));
      /* ‖X − WH‖ after the start (index 0) and each iteration. */
      es_json_builder_member (builder, "errors");
      es_json_builder_begin_array (builder);
      {
        guint n_losses;
        const double *losses = es_nmf_get_losses (nmf, &n_losses);

        for (guint i = 0; i < n_losses; i++)
          es_json_builder_double (builder, sqrt (MAX (losses[i], 0.0)));
      }
      es_json_builder_end_array (builder);
      es_json_builder_member (builder, "converged");
      es_json_builder_boolean (builder, es_nmf_get_converged (nmf));
      es_json_builder_member (builder, "seconds");
      es_json_builder_double (builder, seconds);
      es_json_builder_member (builder, "cpu_seconds");
      es_json_builder_double (builder, cpu_seconds);
      es_json_builder_member (builder, "topics");
      es_json_builder_begin_array (builder);
    }
  else
    printf ("%u components, ‖X − WH‖ = %.6g after %u iterations%s (%.2f s)\n", k, es_nmf_get_error (nmf),
            es_nmf_get_iterations (nmf), es_nmf_get_converged (nmf) ? "" : " (not converged)", seconds);

  /* Each component by the columns it weighs most (H's row); the window's
   * topics panel lists the same (es-corpus-topics.h).
   */
  for (guint r = 0; r < k; r++)
    {
      gsize n = 0;
      g_autofree gsize *best = es_nmf_dup_top_columns (nmf, cols, r, top, &n);

      if (builder != NULL)
        es_json_builder_begin_array (builder);
      else
        printf ("  %3u ", r);
      for (gsize t = 0; t < n; t++)
        {
          const char *label = es_sparse_matrix_get_col_label (m, best[t]);
          g_autofree char *fallback = label == NULL ? g_strdup_printf ("col_%" G_GSIZE_FORMAT, best[t] + 1) : NULL;

          if (builder != NULL)
            es_json_builder_string (builder, label != NULL ? label : fallback, -1);
          else
            printf (" %s", label != NULL ? label : fallback);
        }
      if (builder != NULL)
        es_json_builder_end_array (builder);
      else
        printf ("\n");
    }
  if (builder != NULL)
    {
      es_json_builder_end_array (builder);
      es_json_builder_end_object (builder);
      _es_cli_print_json (builder);
    }
  else if (f.output != NULL)
    printf ("Word weights (W) written to %s\n", f.output);
  status = ES_CLI_EXIT_OK;

out:
  corpus_flags_clear (&f);
  _es_cli_common_clear (&common);
  return status;
}
