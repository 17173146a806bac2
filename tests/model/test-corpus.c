/* test-corpus.c: the corpus → vectors pipeline the window runs, against
 * the CLI's `lsa` and `nmf`, and the document keeping its matrix
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "es-corpus-topics.h"
#include "es-corpus-vectors.h"
#include "es-document.h"
#include "es-embedding-writer.h"
#include "es-loader.h"
#include "es-projection.h"

static char *dir;

static char *
corpus_path (void)
{
  return g_test_build_filename (G_TEST_DIST, "data", "gensim", "lee_background.cor", NULL);
}

/* Runs the embedscope binary; its stdout. */
static char *
run_cli (const char *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = -1;
  va_list args;

  g_ptr_array_add (argv, (char *) g_getenv ("ES_CLI"));
  va_start (args, first);
  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_assert_nonnull (argv->pdata[0]);
  g_assert_true (g_spawn_sync (dir, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("embedscope failed: %s", err);
  return out;
}

static void
assert_files_equal (const char *a,
                    const char *b)
{
  g_autofree char *x = NULL, *y = NULL;
  gsize nx = 0, ny = 0;

  g_assert_true (g_file_get_contents (a, &x, &nx, NULL));
  g_assert_true (g_file_get_contents (b, &y, &ny, NULL));
  g_assert_cmpuint (nx, ==, ny);
  g_assert_true (memcmp (x, y, nx) == 0);
}

typedef struct
{
  guint         calls;
  EsCorpusStage last;
  double        fraction;
  gboolean      monotonic;
} Progress;

static void
progress_cb (EsCorpusStage stage,
             double        fraction,
             gpointer      user_data)
{
  Progress *p = user_data;

  if (p->calls > 0 && (stage < p->last || fraction < p->fraction - 1e-12))
    p->monotonic = FALSE;
  p->calls++;
  p->last = stage;
  p->fraction = fraction;
}

static void
test_text_equals_cli (void)
{
  g_autofree char *corpus = corpus_path ();
  g_autofree char *ours = g_build_filename (dir, "ours.txt", NULL);
  g_autofree char *cli = g_build_filename (dir, "cli.txt", NULL);
  g_autofree char *out = NULL;
  g_autoptr(EsCorpusVectors) lsa = NULL;
  g_autoptr(EsEmbeddingSet) back = NULL;
  g_autoptr(GError) error = NULL;
  Progress progress = { 0, 0, 0, TRUE };
  EsCorpusOptions options;
  EsEmbeddingSet *set;
  const double *s;
  gsize rows;

  g_test_summary ("The window's pipeline on lee_background.cor writes the same bytes as `embedscope lsa "
                  "--corpus` (one code path); the written file reads back float for float; each "
                  "column's squared norm is σ² ᵖ (U orthonormal); progress runs counting → weighting → "
                  "SVD, never backwards");
  es_corpus_options_init (&options, FALSE);
  options.svd.dims = 16;
  lsa = es_corpus_vectors_from_text (corpus, &options, NULL, NULL, progress_cb, &progress, &error);
  g_assert_no_error (error);
  set = es_corpus_vectors_get_set (lsa);
  rows = es_embedding_set_get_rows (set);
  g_assert_cmpuint (rows, ==, es_sparse_matrix_get_rows (es_corpus_vectors_get_matrix (lsa)));
  g_assert_cmpuint (es_embedding_set_get_dims (set), ==, 16);
  g_assert_cmpstr (es_corpus_vectors_get_title (lsa), ==, "lee_background.cor — LSA 16d");
  g_assert_null (es_embedding_set_get_path (set));
  g_assert_true (progress.monotonic);
  g_assert_cmpint (progress.last, ==, ES_CORPUS_STAGE_SVD);
  g_assert_cmpfloat (progress.fraction, ==, 1.0);

  g_assert_true (es_embedding_writer_write (set, ours, ES_FORMAT_WORD2VEC_TEXT, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  out = run_cli ("lsa", "--corpus", corpus, "--dims", "16", "--output", cli, NULL);
  assert_files_equal (ours, cli);

  back = es_loader_load_path (ours, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (es_embedding_set_get_rows (back), ==, rows);
  for (gsize r = 0; r < rows; r++)
    {
      g_assert_cmpstr (es_embedding_set_get_word (back, r), ==, es_embedding_set_get_word (set, r));
      g_assert_cmpmem (es_embedding_set_get_vector (back, r), 16 * sizeof (float),
                       es_embedding_set_get_vector (set, r), 16 * sizeof (float));
    }

  /* U·Σ^0.5: column c has squared norm σ_c. */
  s = es_sparse_svd_get_singular_values (es_corpus_vectors_get_svd (lsa));
  for (guint c = 0; c < 16; c++)
    {
      double sum = 0;

      for (gsize r = 0; r < rows; r++)
        sum += (double) es_embedding_set_get_vector (set, r)[c] * es_embedding_set_get_vector (set, r)[c];
      g_assert_cmpfloat_with_epsilon (sum / s[c], 1.0, 1e-4);
    }
}

static void
test_matrix_equals_cli (void)
{
  g_autofree char *corpus = corpus_path ();
  g_autofree char *mm = g_test_build_filename (G_TEST_DIST, "data", "gensim", "dtm_test.mm", NULL);
  g_autofree char *counts = g_build_filename (dir, "counts.mtx", NULL);
  g_autofree char *ours = g_build_filename (dir, "ours-t.txt", NULL);
  g_autofree char *cli = g_build_filename (dir, "cli-t.txt", NULL);
  g_autofree char *out = NULL;
  g_autoptr(EsCorpusVectors) from_text = NULL;
  g_autoptr(EsCorpusVectors) from_counts = NULL;
  g_autoptr(EsCorpusVectors) transposed = NULL;
  g_autoptr(GError) error = NULL;
  EsCorpusOptions options;
  EsEmbeddingSet *a, *b;

  g_test_summary ("Counts written by `cooccur` and opened as a .mtx with PPMI give the vectors of the "
                  "corpus itself, word for word; gensim's dtm_test.mm transposed (points are its 546 "
                  "columns) equals `embedscope lsa --transpose`");
  es_corpus_options_init (&options, FALSE);
  options.svd.dims = 20;
  from_text = es_corpus_vectors_from_text (corpus, &options, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_free (run_cli ("cooccur", corpus, "--output", counts, NULL));
  from_counts = es_corpus_vectors_from_matrix (counts, &options, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  a = es_corpus_vectors_get_set (from_text);
  b = es_corpus_vectors_get_set (from_counts);
  g_assert_cmpuint (es_embedding_set_get_rows (a), ==, es_embedding_set_get_rows (b));
  for (gsize r = 0; r < es_embedding_set_get_rows (a); r++)
    {
      g_assert_cmpstr (es_embedding_set_get_word (a, r), ==, es_embedding_set_get_word (b, r));
      for (guint c = 0; c < 20; c++)
        g_assert_cmpfloat_with_epsilon (es_embedding_set_get_vector (a, r)[c],
                                        es_embedding_set_get_vector (b, r)[c], 1e-5);
    }

  es_corpus_options_init (&options, TRUE);
  options.svd.dims = 5;
  options.matrix.transpose = TRUE;
  transposed = es_corpus_vectors_from_matrix (mm, &options, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (es_embedding_set_get_rows (es_corpus_vectors_get_set (transposed)), ==, 546);
  g_assert_true (es_embedding_writer_write (es_corpus_vectors_get_set (transposed), ours, ES_FORMAT_WORD2VEC_TEXT,
                                            NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  out = run_cli ("lsa", mm, "--transpose", "--dims", "5", "--output", cli, NULL);
  assert_files_equal (ours, cli);
}

static void
test_errors (void)
{
  g_autofree char *corpus = corpus_path ();
  g_autoptr(GError) error = NULL;
  EsCorpusOptions options;
  EsCorpusVectors *lsa;
  GCancellable *cancellable = g_cancellable_new ();

  g_test_summary ("An empty vocabulary, dimensions beyond the vocabulary and a cancellation are errors, "
                  "not crashes");
  es_corpus_options_init (&options, FALSE);
  options.cooccur.min_count = 1000000;
  lsa = es_corpus_vectors_from_text (corpus, &options, NULL, NULL, NULL, NULL, &error);
  g_assert_null (lsa);
  g_assert_nonnull (error);
  g_clear_error (&error);

  es_corpus_options_init (&options, FALSE);
  options.cooccur.max_vocab = 30;
  options.svd.dims = 30;
  lsa = es_corpus_vectors_from_text (corpus, &options, NULL, NULL, NULL, NULL, &error);
  g_assert_null (lsa);
  g_assert_nonnull (error);
  g_clear_error (&error);

  es_corpus_options_init (&options, FALSE);
  g_cancellable_cancel (cancellable);
  lsa = es_corpus_vectors_from_text (corpus, &options, NULL, cancellable, NULL, NULL, &error);
  g_assert_null (lsa);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_object_unref (cancellable);
}

static void
test_topics_equal_cli (void)
{
  g_autofree char *corpus = corpus_path ();
  g_autofree char *out = NULL;
  g_autoptr(EsCorpusVectors) lsa = NULL;
  g_autoptr(EsCorpusTopics) topics = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) expected = g_string_new ("\"topics\": [");
  EsCorpusOptions options;
  EsNmfOptions nmf;
  EsEmbeddingSet *set;
  EsMetadata *metadata;

  g_test_summary ("NMF of the document's PPMI matrix lists per topic the top words of `embedscope nmf "
                  "--corpus --components 10 --json`; W is the set (one numeric column per topic)");
  es_corpus_options_init (&options, FALSE);
  options.svd.dims = 10;
  lsa = es_corpus_vectors_from_text (corpus, &options, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  es_nmf_options_init (&nmf);
  nmf.components = 10;
  topics = es_corpus_topics_compute (es_corpus_vectors_get_matrix (lsa), &nmf, 10, "lee_background.cor",
                                     NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (es_corpus_topics_get_n_topics (topics), ==, 10);
  g_assert_cmpstr (es_corpus_topics_get_title (topics), ==, "lee_background.cor — NMF 10 topics");

  out = run_cli ("nmf", "--corpus", corpus, "--components", "10", "--json", NULL);
  /* The CLI's JSON: "topics": [["w", …], …] (the builder's spacing). */
  for (guint t = 0; t < 10; t++)
    {
      const char * const *words = es_corpus_topics_get_words (topics, t);

      g_string_append (expected, t ? ", [" : "[");
      for (guint i = 0; words[i] != NULL; i++)
        g_string_append_printf (expected, "%s\"%s\"", i ? ", " : "", words[i]);
      g_string_append (expected, "]");
    }
  g_string_append (expected, "]");
  {
    g_autofree char *compact = g_strdup (out);
    char *w = compact;

    /* Whitespace-insensitive: compare without spaces and newlines. */
    for (const char *p = out; *p != '\0'; p++)
      if (*p != ' ' && *p != '\n')
        *w++ = *p;
    *w = '\0';
    {
      g_autofree char *want = g_strdup (expected->str);
      char *v = want;

      for (const char *p = expected->str; *p != '\0'; p++)
        if (*p != ' ')
          *v++ = *p;
      *v = '\0';
      if (strstr (compact, want) == NULL)
        g_error ("topics differ:\nCLI:  %s\nours: %s", out, expected->str);
    }
  }

  set = es_corpus_topics_get_set (topics);
  metadata = es_embedding_set_get_metadata (set);
  g_assert_cmpuint (es_embedding_set_get_dims (set), ==, 10);
  g_assert_cmpuint (es_metadata_get_n_columns (metadata), ==, 10);
  g_assert_true (g_str_has_prefix (es_metadata_get_column_name (metadata, 1), "topic 2: "));
  for (gsize r = 0; r < es_embedding_set_get_rows (set); r += 97)
    g_assert_cmpfloat_with_epsilon (g_ascii_strtod (es_metadata_get_value (metadata, r, 3), NULL),
                                    es_embedding_set_get_vector (set, r)[3],
                                    1e-5 * (1 + fabs (es_embedding_set_get_vector (set, r)[3])));
}

static void
test_repeated_labels (void)
{
  g_autofree char *mtx = g_build_filename (dir, "rep.mtx", NULL);
  g_autofree char *rows = g_build_filename (dir, "rep.rows.tsv", NULL);
  g_autoptr(EsCorpusVectors) lsa = NULL;
  g_autoptr(GError) error = NULL;
  EsCorpusOptions options;
  EsEmbeddingSet *set;
  GPtrArray *warnings;

  g_test_summary ("A labels file that repeats a label (rows 1 and 3 are both 'a') gives a set with the "
                  "repeat renamed after its row and a warning naming it, not a critical");
  g_assert_true (g_file_set_contents (mtx, "%%MatrixMarket matrix coordinate real general\n"
                                      "4 3 6\n1 1 1\n2 2 2\n3 3 3\n4 1 1\n4 2 1\n1 3 0.5\n", -1, NULL));
  g_assert_true (g_file_set_contents (rows, "a\nb\na\nc\n", -1, NULL));
  es_corpus_options_init (&options, TRUE);
  options.svd.dims = 2;
  lsa = es_corpus_vectors_from_matrix (mtx, &options, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  set = es_corpus_vectors_get_set (lsa);
  g_assert_cmpstr (es_embedding_set_get_word (set, 0), ==, "a");
  g_assert_cmpstr (es_embedding_set_get_word (set, 2), ==, "a#3");
  warnings = es_embedding_set_get_warnings (set);
  g_assert_nonnull (warnings);
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_nonnull (strstr (warnings->pdata[0], "row 3"));
}

static void
test_document_keeps_matrix (void)
{
  g_autofree char *corpus = corpus_path ();
  g_autoptr(EsCorpusVectors) lsa = NULL;
  g_autoptr(EsDocument) document = es_document_new ();
  g_autoptr(EsProjection) projection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EsEmbeddingSet) other = NULL;
  EsProjectionOptions popts;
  EsCorpusOptions options;
  EsEmbeddingSet *set;
  const char *words[] = { "a", "b", "c", NULL };
  const float data[] = { 1, 0, 0, 1, 1, 1 };

  g_test_summary ("The document keeps the corpus's matrix and title with the set it came with, and "
                  "drops both when another set comes");
  es_corpus_options_init (&options, FALSE);
  options.svd.dims = 5;
  lsa = es_corpus_vectors_from_text (corpus, &options, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  set = es_corpus_vectors_get_set (lsa);
  es_projection_options_init (&popts);
  projection = es_projection_compute (set, &popts, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  es_document_begin (document);
  es_document_set_data (document, set, set, projection);
  es_document_set_corpus (document, lsa, es_corpus_vectors_get_title (lsa));
  es_document_end (document);
  g_assert_true (es_document_get_corpus (document) == lsa);
  g_assert_cmpstr (es_document_get_title (document), ==, "lee_background.cor — LSA 5d");

  other = es_embedding_set_new_from_arrays (3, 2, words, data);
  g_clear_pointer (&projection, es_projection_unref);
  projection = es_projection_compute (other, &popts, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  es_document_set_data (document, other, other, projection);
  g_assert_null (es_document_get_corpus (document));
  g_assert_null (es_document_get_title (document));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("es-test-corpus-XXXXXX", NULL);
  g_test_add_func ("/model/corpus/text-equals-cli", test_text_equals_cli);
  g_test_add_func ("/model/corpus/matrix-equals-cli", test_matrix_equals_cli);
  g_test_add_func ("/model/corpus/errors", test_errors);
  g_test_add_func ("/model/corpus/topics-equal-cli", test_topics_equal_cli);
  g_test_add_func ("/model/corpus/repeated-labels", test_repeated_labels);
  g_test_add_func ("/model/corpus/document-keeps-matrix", test_document_keeps_matrix);
  status = g_test_run ();
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_unlink (path);
      }
    g_rmdir (dir);
  }
  g_free (dir);
  return status;
}
