/* test-neighbors.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "es-engine.h"
#include "es-test-utils.h"

/* Rank equality is required wherever gensim's neighbouring scores differ
 * by more than this; scores must agree to SCORE_TOLERANCE.
 */
#define TIE_TOLERANCE   1e-6
#define SCORE_TOLERANCE 1e-5

typedef struct
{
  char   *word;
  double  score;
} RefEntry;

typedef struct
{
  char   *kind;
  char   *positive;
  char   *negative;
  gsize   restrict_rows;
  GArray *entries; /* RefEntry */
} RefQuery;

static void
ref_entry_clear (gpointer data)
{
  g_free (((RefEntry *) data)->word);
}

static void
ref_query_free (gpointer data)
{
  RefQuery *query = data;

  g_free (query->kind);
  g_free (query->positive);
  g_free (query->negative);
  g_array_unref (query->entries);
  g_free (query);
}

static GPtrArray *
read_neighbor_reference (const char *name)
{
  g_autofree char *file = g_strconcat (name, "-neighbors.tsv", NULL);
  g_autoptr(GPtrArray) rows = es_test_read_tsv ("data", "reference", file, NULL);
  GPtrArray *queries = g_ptr_array_new_with_free_func (ref_query_free);
  RefQuery *current = NULL;

  for (guint i = 0; i < rows->len; i++)
    {
      char **fields = g_ptr_array_index (rows, i);
      RefEntry entry;

      g_assert_cmpuint (g_strv_length (fields), ==, 7);

      if (strcmp (fields[4], "0") == 0)
        {
          current = g_new0 (RefQuery, 1);
          current->kind = g_strdup (fields[0]);
          current->positive = g_strdup (fields[1]);
          current->negative = g_strdup (fields[2]);
          current->restrict_rows = g_ascii_strtoull (fields[3], NULL, 10);
          current->entries = g_array_new (FALSE, FALSE, sizeof (RefEntry));
          g_array_set_clear_func (current->entries, ref_entry_clear);
          g_ptr_array_add (queries, current);
        }

      g_assert_nonnull (current);
      g_assert_cmpuint (g_ascii_strtoull (fields[4], NULL, 10), ==, current->entries->len);
      entry.word = g_strdup (fields[5]);
      entry.score = g_ascii_strtod (fields[6], NULL);
      g_array_append_val (current->entries, entry);
    }

  return queries;
}

static void
append_quoted (GString    *out,
               const char *word)
{
  g_string_append_c (out, '"');
  for (const char *p = word; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static char *
expression_of (const char *positive,
               const char *negative)
{
  g_auto(GStrv) pos = g_strsplit (positive, " ", -1);
  g_auto(GStrv) neg = g_strsplit (negative, " ", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; pos[i] != NULL; i++)
    if (pos[i][0] != '\0')
      {
        if (out->len > 0)
          g_string_append (out, " + ");
        append_quoted (out, pos[i]);
      }
  for (guint i = 0; neg[i] != NULL; i++)
    if (neg[i][0] != '\0')
      {
        g_string_append (out, " - ");
        append_quoted (out, neg[i]);
      }

  return g_string_free (out, FALSE);
}

static char **
words_of (const char *list)
{
  g_auto(GStrv) parts = g_strsplit (list, " ", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      g_strv_builder_add (builder, parts[i]);

  return g_strv_builder_end (builder);
}

/* Our list must give gensim's word at every rank, except where gensim's
 * own scores tie within TIE_TOLERANCE; every score within SCORE_TOLERANCE.
 */
static void
assert_matches_reference (EsEmbeddingSet *set,
                          const RefQuery *query,
                          GArray         *ours)
{
  GArray *ref = query->entries;

  g_assert_cmpuint (ours->len, ==, ref->len);

  for (guint i = 0; i < ref->len; i++)
    {
      const RefEntry *expected = &g_array_index (ref, RefEntry, i);
      const EsNeighbor *got = &g_array_index (ours, EsNeighbor, i);
      const char *word = es_embedding_set_get_word (set, got->row);

      g_assert_true (isfinite (got->score));
      g_assert_cmpfloat_with_epsilon (got->score, expected->score, SCORE_TOLERANCE);

      if (strcmp (word, expected->word) != 0)
        {
          /* Accept only a swap inside a tie of gensim's scores. */
          const RefEntry *other = NULL;

          for (guint j = 0; j < ref->len; j++)
            if (strcmp (g_array_index (ref, RefEntry, j).word, word) == 0)
              other = &g_array_index (ref, RefEntry, j);

          if (other != NULL)
            g_assert_cmpfloat_with_epsilon (other->score, expected->score, TIE_TOLERANCE);
          else
            g_assert_cmpfloat_with_epsilon (g_array_index (ref, RefEntry, ref->len - 1).score,
                                            expected->score, TIE_TOLERANCE);
          g_test_message ("%s [%s | %s] rank %u: %s for %s (tie)",
                          query->kind, query->positive, query->negative, i, word, expected->word);
        }
    }
}

static void
check_reference_set (EsEmbeddingSet *set,
                     const char     *name)
{
  g_autoptr(GPtrArray) queries = read_neighbor_reference (name);
  guint counts[5] = { 0 };

  g_assert_cmpuint (queries->len, >=, 40);

  for (guint i = 0; i < queries->len; i++)
    {
      const RefQuery *query = g_ptr_array_index (queries, i);
      g_autoptr(GArray) ours = NULL;
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) positive = words_of (query->positive);
      g_auto(GStrv) negative = words_of (query->negative);

      if (strcmp (query->kind, "add") == 0 || strcmp (query->kind, "cosmul") == 0)
        {
          gboolean cosmul = strcmp (query->kind, "cosmul") == 0;

          ours = es_neighbors_analogy (set, (const char * const *) positive,
                                       (const char * const *) negative,
                                       cosmul, 10, query->restrict_rows, NULL, &error);
          counts[cosmul ? 4 : 3]++;

          if (query->restrict_rows > 0)
            for (guint r = 0; r < ours->len; r++)
              g_assert_cmpuint (g_array_index (ours, EsNeighbor, r).row, <, query->restrict_rows);
        }
      else
        {
          g_autofree char *expression = expression_of (query->positive, query->negative);
          EsMetric metric;

          g_assert_true (es_metric_from_string (query->kind, &metric));
          g_assert_cmpuint (query->restrict_rows, ==, 0);
          ours = es_neighbors_of_expression (set, expression, metric, 10, NULL, &error);
          counts[metric]++;
        }

      g_assert_no_error (error);
      g_assert_nonnull (ours);
      assert_matches_reference (set, query, ours);
    }

  g_test_message ("%s: %u cosine, %u euclidean, %u dot, %u 3CosAdd, %u 3CosMul queries",
                  name, counts[0], counts[1], counts[2], counts[3], counts[4]);
  g_assert_cmpuint (counts[ES_METRIC_COSINE], >=, 20);
  g_assert_cmpuint (counts[ES_METRIC_EUCLIDEAN], >=, 20);
  g_assert_cmpuint (counts[ES_METRIC_DOT], >=, 20);
  g_assert_cmpuint (counts[3], >=, 5);
  g_assert_cmpuint (counts[4], >=, 3);
}

static void
check_similarity_reference (EsEmbeddingSet *set,
                            const char     *name)
{
  g_autofree char *file = g_strconcat (name, "-similarity.tsv", NULL);
  g_autoptr(GPtrArray) rows = es_test_read_tsv ("data", "reference", file, NULL);

  g_assert_cmpuint (rows->len, >=, 5);
  for (guint i = 0; i < rows->len; i++)
    {
      char **fields = g_ptr_array_index (rows, i);
      g_autoptr(GError) error = NULL;
      double cosine = NAN;

      g_assert_true (es_neighbors_similarity (set, fields[0], fields[1], &cosine, &error));
      g_assert_no_error (error);
      g_assert_cmpfloat_with_epsilon (cosine, g_ascii_strtod (fields[2], NULL), SCORE_TOLERANCE);
    }
}

static void
test_neighbors_gensim_kjv (void)
{
  g_autoptr(EsEmbeddingSet) set = es_test_load_set ("..", "resources", "kjv-hamlet-5k-50d.w2v.txt", NULL);

  g_test_summary ("kjv-hamlet: cosine, euclidean, dot, 3CosAdd, 3CosMul and restrict_vocab "
                  "neighbours equal gensim 4.2 / numpy (ranks where gaps > 1e-6, scores to 1e-5)");

  check_reference_set (set, "kjv-hamlet");
  check_similarity_reference (set, "kjv-hamlet");
}

static void
test_neighbors_gensim_lee (void)
{
  g_autoptr(EsEmbeddingSet) set = es_test_load_set ("data", "gensim", "lee_fasttext.vec", NULL);

  g_test_summary ("lee_fasttext (cased words with punctuation): neighbours equal gensim 4.2 / numpy");

  check_reference_set (set, "lee");
  check_similarity_reference (set, "lee");
}

static void
assert_no_nan (GArray *neighbors)
{
  for (guint i = 0; i < neighbors->len; i++)
    g_assert_true (isfinite (g_array_index (neighbors, EsNeighbor, i).score));
}

static void
test_neighbors_zero_vector (void)
{
  static const EsMetric metrics[] = { ES_METRIC_COSINE, ES_METRIC_EUCLIDEAN, ES_METRIC_DOT };
  g_autoptr(EsEmbeddingSet) set = es_test_load_set ("data", "bad", "zero_vector.txt", NULL);
  g_autoptr(GArray) london = NULL;
  g_autoptr(GArray) to = NULL;
  g_autoptr(GError) error = NULL;
  gsize to_row;
  double cosine = NAN;

  g_test_summary ("zero_vector.txt: london's nearest is red with cosine 1, the zero vector "
                  "'to' never gives NaN");

  london = es_neighbors_of_expression (set, "london", ES_METRIC_COSINE, 3, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (es_embedding_set_get_word (set, g_array_index (london, EsNeighbor, 0).row), ==, "red");
  g_assert_cmpfloat_with_epsilon (g_array_index (london, EsNeighbor, 0).score, 1.0, 1e-6);

  /* Every query of every word, with every metric, over all rows. */
  for (gsize row = 0; row < es_embedding_set_get_rows (set); row++)
    for (guint m = 0; m < G_N_ELEMENTS (metrics); m++)
      {
        g_autofree char *expression = g_strdup_printf ("\"%s\"", es_embedding_set_get_word (set, row));
        g_autoptr(GArray) result = es_neighbors_of_expression (set, expression, metrics[m], 20, NULL, &error);

        g_assert_no_error (error);
        g_assert_cmpuint (result->len, ==, 9);
        assert_no_nan (result);
      }

  /* The zero vector has no direction: every cosine with it is 0. */
  g_assert_true (es_embedding_set_lookup (set, "to", &to_row));
  to = es_neighbors_of_expression (set, "to", ES_METRIC_COSINE, 9, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < to->len; i++)
    {
      g_assert_cmpfloat (g_array_index (to, EsNeighbor, i).score, ==, 0.0);
      g_assert_cmpuint (g_array_index (to, EsNeighbor, i).row, !=, to_row);
    }
  for (guint i = 0; i < london->len; i++)
    g_assert_cmpuint (g_array_index (london, EsNeighbor, i).row, !=, to_row);

  g_assert_true (es_neighbors_similarity (set, "to", "the", &cosine, &error));
  g_assert_cmpfloat (cosine, ==, 0.0);
  g_assert_true (es_neighbors_similarity (set, "to", "to", &cosine, &error));
  g_assert_cmpfloat (cosine, ==, 0.0);
}

static void
test_neighbors_nan_rows (void)
{
  static const EsMetric metrics[] = { ES_METRIC_COSINE, ES_METRIC_EUCLIDEAN, ES_METRIC_DOT };
  g_autoptr(EsEmbeddingSet) set = es_test_load_set ("data", "bad", "nan_inf.txt", NULL);
  gsize rows = es_embedding_set_get_rows (set);
  guint n_invalid = 0;

  g_test_summary ("nan_inf.txt: the NaN/Inf rows (of, in, water) never appear, no score is NaN, "
                  "and querying them is an error");

  for (gsize row = 0; row < rows; row++)
    {
      g_autofree char *expression = g_strdup_printf ("\"%s\"", es_embedding_set_get_word (set, row));

      if (!es_embedding_set_is_row_valid (set, row))
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GArray) result = es_neighbors_of_expression (set, expression, ES_METRIC_COSINE,
                                                                 5, NULL, &error);

          g_assert_null (result);
          g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC);
          n_invalid++;
          continue;
        }

      for (guint m = 0; m < G_N_ELEMENTS (metrics); m++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GArray) result = es_neighbors_of_expression (set, expression, metrics[m],
                                                                 20, NULL, &error);

          g_assert_no_error (error);
          /* 10 rows, 3 masked, minus the query word */
          g_assert_cmpuint (result->len, ==, 6);
          assert_no_nan (result);
          for (guint i = 0; i < result->len; i++)
            g_assert_true (es_embedding_set_is_row_valid (set, g_array_index (result, EsNeighbor, i).row));
        }
    }

  g_assert_cmpuint (n_invalid, ==, 3);
}

/* Points on a plane, easy to check by hand. */
static EsEmbeddingSet *
make_plane (void)
{
  static const char *words[] = { "east", "north", "west", "far_east", "nan", "north_east", "zero", NULL };
  const float data[] = {
    1, 0,
    0, 1,
    -1, 0,
    10, 0,
    NAN, 1,
    1, 1,
    0, 0,
  };

  return es_embedding_set_new_from_arrays (7, 2, words, data);
}

static void
assert_rows (GArray      *neighbors,
             const gsize *rows,
             guint        n)
{
  g_assert_cmpuint (neighbors->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (g_array_index (neighbors, EsNeighbor, i).row, ==, rows[i]);
}

static void
test_neighbors_by_hand (void)
{
  g_autoptr(EsEmbeddingSet) set = make_plane ();
  const double query[2] = { 2, 0 };
  const gsize exclude[] = { 3 };
  g_autoptr(GArray) cosine = NULL;
  g_autoptr(GArray) euclidean = NULL;
  g_autoptr(GArray) dot = NULL;
  g_autoptr(GArray) restricted = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("Hand-computed scores and orders for each metric, the NaN row never appears");

  /* cosine with (1,0): east 1, far_east 1 (excluded), north_east 0.7071,
   * north 0, zero 0, west -1; ties by row.
   */
  cosine = es_neighbors_search (set, query, ES_METRIC_COSINE, 10, exclude, 1, 0, NULL, &error);
  g_assert_no_error (error);
  assert_rows (cosine, (const gsize[]) { 0, 5, 1, 6, 2 }, 5);
  g_assert_cmpfloat_with_epsilon (g_array_index (cosine, EsNeighbor, 0).score, 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (g_array_index (cosine, EsNeighbor, 1).score, M_SQRT1_2, 1e-12);
  g_assert_cmpfloat (g_array_index (cosine, EsNeighbor, 3).score, ==, 0.0);
  g_assert_cmpfloat_with_epsilon (g_array_index (cosine, EsNeighbor, 4).score, -1.0, 1e-12);

  /* distance from (2,0): east 1, north_east sqrt 2, zero 2, north sqrt 5,
   * west 3, far_east 8.
   */
  euclidean = es_neighbors_search (set, query, ES_METRIC_EUCLIDEAN, 10, NULL, 0, 0, NULL, &error);
  assert_rows (euclidean, (const gsize[]) { 0, 5, 6, 1, 2, 3 }, 6);
  g_assert_cmpfloat_with_epsilon (g_array_index (euclidean, EsNeighbor, 1).score, sqrt (2), 1e-12);
  g_assert_cmpfloat_with_epsilon (g_array_index (euclidean, EsNeighbor, 3).score, sqrt (5), 1e-12);
  g_assert_cmpfloat_with_epsilon (g_array_index (euclidean, EsNeighbor, 5).score, 8.0, 1e-12);

  /* dot with (2,0): far_east 20, east 2, north_east 2, north 0, zero 0, west -2 */
  dot = es_neighbors_search (set, query, ES_METRIC_DOT, 4, NULL, 0, 0, NULL, &error);
  assert_rows (dot, (const gsize[]) { 3, 0, 5, 1 }, 4);
  g_assert_cmpfloat (g_array_index (dot, EsNeighbor, 0).score, ==, 20.0);

  /* Only the first three rows are candidates. */
  restricted = es_neighbors_search (set, query, ES_METRIC_EUCLIDEAN, 10, NULL, 0, 3, NULL, &error);
  assert_rows (restricted, (const gsize[]) { 0, 1, 2 }, 3);
}

/* A random set larger than a row block, against a plain double full sort. */
static void
test_neighbors_brute_force (void)
{
  static const EsMetric metrics[] = { ES_METRIC_COSINE, ES_METRIC_EUCLIDEAN, ES_METRIC_DOT };
  const gsize rows = 10000, dims = 24;
  g_autofree float *data = g_new (float, rows * dims);
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  double query[24];
  const gsize exclude[] = { 17, 4242 };

  g_test_summary ("k = 50 over 10000 random rows (three row blocks) equals a full double sort");

  for (gsize i = 0; i < rows; i++)
    {
      g_ptr_array_add (words, g_strdup_printf ("w%" G_GSIZE_FORMAT, i));
      for (gsize j = 0; j < dims; j++)
        data[i * dims + j] = (float) g_rand_double_range (rand, -1, 1);
    }
  g_ptr_array_add (words, NULL);
  set = es_embedding_set_new_from_arrays (rows, dims, (const char * const *) words->pdata, data);

  for (gsize j = 0; j < dims; j++)
    query[j] = data[17 * dims + j] + 0.3 * data[4242 * dims + j];

  for (guint m = 0; m < G_N_ELEMENTS (metrics); m++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) result = es_neighbors_search (set, query, metrics[m], 50, exclude, 2, 0, NULL, &error);
      g_autofree double *scores = g_new (double, rows);
      g_autofree gsize *order = g_new (gsize, rows);
      gsize n = 0;

      g_assert_no_error (error);
      for (gsize i = 0; i < rows; i++)
        {
          double dot = 0, vv = 0, qq = 0, dd = 0;

          for (gsize j = 0; j < dims; j++)
            {
              double v = data[i * dims + j];

              dot += v * query[j];
              vv += v * v;
              qq += query[j] * query[j];
              dd += (v - query[j]) * (v - query[j]);
            }
          scores[i] = metrics[m] == ES_METRIC_COSINE ? dot / sqrt (vv * qq)
                    : metrics[m] == ES_METRIC_EUCLIDEAN ? -sqrt (dd) : dot;
          if (i != 17 && i != 4242)
            order[n++] = i;
        }

      /* Selection sort of the best 50 is enough here. */
      for (gsize r = 0; r < 50; r++)
        {
          gsize best = r;

          for (gsize i = r + 1; i < n; i++)
            if (scores[order[i]] > scores[order[best]])
              best = i;
          {
            gsize t = order[r];
            order[r] = order[best];
            order[best] = t;
          }

          g_assert_cmpuint (g_array_index (result, EsNeighbor, r).row, ==, order[r]);
          g_assert_cmpfloat_with_epsilon (fabs (g_array_index (result, EsNeighbor, r).score),
                                          fabs (scores[order[r]]), 1e-9);
        }
      g_assert_cmpuint (result->len, ==, 50);
    }
}

static void
async_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GArray **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = es_neighbors_of_expression_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_neighbors_async (void)
{
  g_autoptr(EsEmbeddingSet) set = make_plane ();
  g_autoptr(GArray) sync = NULL;
  g_autoptr(GArray) async = NULL;

  g_test_summary ("The async variant gives the same list as the sync one");

  sync = es_neighbors_of_expression (set, "east + 0.5*north", ES_METRIC_COSINE, 5, NULL, NULL);
  es_neighbors_of_expression_async (set, "east + 0.5*north", ES_METRIC_COSINE, 5, NULL,
                                    async_done_cb, &async);
  while (async == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (sync->len, ==, async->len);
  g_assert_cmpmem (sync->data, sync->len * sizeof (EsNeighbor),
                   async->data, async->len * sizeof (EsNeighbor));
  /* Inputs are excluded: north_east is first, then far_east. */
  g_assert_cmpuint (g_array_index (async, EsNeighbor, 0).row, ==, 5);
}

static void
test_neighbors_errors (void)
{
  g_autoptr(EsEmbeddingSet) set = make_plane ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  const char *none[] = { NULL };
  const char *west[] = { "west", NULL };
  const char *bad[] = { "nan", NULL };
  GArray *result;
  GError *error = NULL;
  double cosine;

  g_test_summary ("Unknown words, NaN words, empty analogies and cancellation are errors");

  result = es_neighbors_of_expression (set, "east - south", ES_METRIC_COSINE, 5, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_UNKNOWN_WORD);
  g_assert_cmpstr (error->message, ==, "unknown word 'south' at column 8");
  g_clear_error (&error);

  result = es_neighbors_of_expression (set, "east +", ES_METRIC_COSINE, 5, NULL, &error);
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_EXPRESSION);
  g_clear_error (&error);

  result = es_neighbors_analogy (set, none, west, TRUE, 5, 0, NULL, &error);
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  result = es_neighbors_analogy (set, bad, none, FALSE, 5, 0, NULL, &error);
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC);
  g_clear_error (&error);

  g_assert_false (es_neighbors_similarity (set, "east", "south", &cosine, &error));
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_UNKNOWN_WORD);
  g_clear_error (&error);

  g_cancellable_cancel (cancellable);
  result = es_neighbors_of_expression (set, "east", ES_METRIC_COSINE, 5, cancellable, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/neighbors/by-hand", test_neighbors_by_hand);
  g_test_add_func ("/engine/neighbors/brute-force", test_neighbors_brute_force);
  g_test_add_func ("/engine/neighbors/async", test_neighbors_async);
  g_test_add_func ("/engine/neighbors/errors", test_neighbors_errors);
  g_test_add_func ("/engine/neighbors/zero-vector", test_neighbors_zero_vector);
  g_test_add_func ("/engine/neighbors/nan-rows", test_neighbors_nan_rows);
  g_test_add_func ("/engine/neighbors/gensim-kjv-hamlet", test_neighbors_gensim_kjv);
  g_test_add_func ("/engine/neighbors/gensim-lee", test_neighbors_gensim_lee);

  return g_test_run ();
}
