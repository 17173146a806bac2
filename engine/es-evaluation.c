/* es-evaluation.c: analogy and word-pair benchmarks, as gensim runs them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-evaluation"

#include "config.h"

#include "es-evaluation.h"

#include "es-engine-error.h"
#include "es-loader-private.h"
#include "es-memory.h"
#include "es-neighbors-private.h"

#include <math.h>
#include <string.h>

#define DEFAULT_RESTRICT 300000
/* Questions scored per pass over the matrix (one sgemm per row block). */
#define QUESTION_BATCH   256
/* gensim asks most_similar for this many answers and takes the first that
 * is not a question word.
 */
#define ANALOGY_TOPN     5

typedef struct
{
  guint  section;
  gsize  rows[4];   /* a, b, c, expected */
  char  *words[4];  /* as compared: upper-cased when case-insensitive */
} Question;

static void
question_clear (gpointer data)
{
  Question *question = data;

  for (guint i = 0; i < 4; i++)
    g_free (question->words[i]);
}

static void
analogy_section_free (gpointer data)
{
  EsAnalogySection *section = data;

  g_free (section->name);
  g_free (section);
}

void
es_analogy_evaluation_free (EsAnalogyEvaluation *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->sections, g_ptr_array_unref);
  g_free (self);
}

static char *
fold_word (const char *word,
           gsize       len)
{
  if (g_utf8_validate (word, len, NULL))
    return g_utf8_strup (word, len);

  return g_ascii_strup (word, len);
}

static char *
make_key (const char *word,
          gboolean    case_insensitive)
{
  return case_insensitive ? fold_word (word, strlen (word)) : g_strdup (word);
}

/* gensim's ok_vocab: the first @limit words (upper-cased when
 * case-insensitive, the first occurrence winning) -> row.  Rows holding NaN
 * or Inf are left out, so questions about them count as unknown.
 */
static GHashTable *
build_vocabulary (EsEmbeddingSet *set,
                  gsize           restrict_rows,
                  gboolean        case_insensitive)
{
  gsize rows = es_embedding_set_get_rows (set);
  gsize limit = MIN (restrict_rows > 0 ? restrict_rows : DEFAULT_RESTRICT, rows);
  GHashTable *vocabulary = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (gsize i = 0; i < limit; i++)
    {
      char *key;

      if (!es_embedding_set_is_row_valid (set, i))
        continue;

      key = case_insensitive ? fold_word (es_embedding_set_get_word (set, i),
                                          es_embedding_set_get_word_len (set, i))
                             : g_strdup (es_embedding_set_get_word (set, i));
      if (g_hash_table_contains (vocabulary, key))
        g_free (key);
      else
        g_hash_table_insert (vocabulary, key, GSIZE_TO_POINTER (i + 1));
    }

  return vocabulary;
}

static gboolean
lookup (GHashTable *vocabulary,
        const char *key,
        gsize      *row)
{
  gpointer value = g_hash_table_lookup (vocabulary, key);

  if (value == NULL)
    return FALSE;

  *row = GPOINTER_TO_SIZE (value) - 1;

  return TRUE;
}

static char **
read_lines (const char  *path,
            GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length;
  const char *end;

  /* A side file: regular, within the ceiling (`--analogies /dev/zero`
   * would read until memory ran out; a FIFO would block).
   */
  if (!_es_read_side_file (path, es_memory_get_ceiling () / 4, &contents, &length, error))
    return NULL;

  if (!g_utf8_validate (contents, length, &end))
    {
      guint line = 1;

      for (const char *p = contents; p < end; p++)
        line += *p == '\n';
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_ENCODING,
                   "%s:%u: invalid UTF-8", path, line);
      return NULL;
    }

  return g_strsplit (contents, "\n", -1);
}

/* Python's str.split(): runs of whitespace separate, none are kept. */
static char **
split_whitespace (const char *line)
{
  GPtrArray *fields = g_ptr_array_new ();
  const char *p = line;

  for (;;)
    {
      const char *start;

      while (*p != '\0' && g_ascii_isspace (*p))
        p++;
      if (*p == '\0')
        break;
      start = p;
      while (*p != '\0' && !g_ascii_isspace (*p))
        p++;
      g_ptr_array_add (fields, g_strndup (start, p - start));
    }
  g_ptr_array_add (fields, NULL);

  return (char **) g_ptr_array_free (fields, FALSE);
}

/* The 3CosAdd query of a question: unit(b) + unit(c) - unit(a). */
static void
question_query (EsEmbeddingSet *set,
                const Question *question,
                double         *query)
{
  static const double signs[3] = { -1.0, 1.0, 1.0 };
  gsize dims = es_embedding_set_get_dims (set);

  memset (query, 0, dims * sizeof (double));
  for (guint t = 0; t < 3; t++)
    {
      const float *v = es_embedding_set_get_vector (set, question->rows[t]);
      double norm = 0.0;

      for (gsize j = 0; j < dims; j++)
        norm += (double) v[j] * v[j];
      norm = sqrt (norm);
      if (norm == 0.0)
        continue;
      for (gsize j = 0; j < dims; j++)
        query[j] += signs[t] * v[j] / norm;
    }
}

/* gensim's rule: walk the top answers, stop at the first that is not a
 * question word; the last one looked at is the prediction.
 */
static gboolean
question_is_correct (EsEmbeddingSet *set,
                     GHashTable     *vocabulary,
                     gboolean        case_insensitive,
                     const Question *question,
                     const GArray   *answers)
{
  g_autofree char *predicted = NULL;

  for (guint i = 0; i < answers->len; i++)
    {
      const EsNeighbor *answer = &g_array_index (answers, EsNeighbor, i);

      g_free (predicted);
      predicted = make_key (es_embedding_set_get_word (set, answer->row), case_insensitive);
      if (g_hash_table_contains (vocabulary, predicted) &&
          strcmp (predicted, question->words[0]) != 0 &&
          strcmp (predicted, question->words[1]) != 0 &&
          strcmp (predicted, question->words[2]) != 0)
        break;
    }

  return predicted != NULL && strcmp (predicted, question->words[3]) == 0;
}

static gboolean
score_questions (EsEmbeddingSet      *set,
                 GHashTable          *vocabulary,
                 gsize                restrict_rows,
                 gboolean             case_insensitive,
                 GArray              *questions,
                 EsAnalogyEvaluation *result,
                 GCancellable        *cancellable,
                 GError             **error)
{
  gsize dims = es_embedding_set_get_dims (set);
  guint n = questions->len;
  g_autofree double *queries = g_new (double, MAX (n * dims, 1));
  g_autofree EsNeighborQuery *specs = g_new0 (EsNeighborQuery, MAX (n, 1));
  g_autofree GArray **answers = g_new0 (GArray *, MAX (n, 1));

  if (n == 0)
    return TRUE;

  for (guint q = 0; q < n; q++)
    {
      const Question *question = &g_array_index (questions, Question, q);

      question_query (set, question, queries + q * dims);
      specs[q].vector = queries + q * dims;
      specs[q].exclude = question->rows;
      specs[q].n_exclude = 3;
    }

  if (!_es_neighbors_search_many (set, specs, n, ES_METRIC_COSINE, ANALOGY_TOPN,
                                  restrict_rows, cancellable, answers, error))
    return FALSE;

  for (guint q = 0; q < n; q++)
    {
      const Question *question = &g_array_index (questions, Question, q);
      EsAnalogySection *section = g_ptr_array_index (result->sections, question->section);

      if (question_is_correct (set, vocabulary, case_insensitive, question, answers[q]))
        {
          section->correct++;
          result->correct++;
        }
      section->total++;
      result->total++;
      g_array_unref (answers[q]);
    }

  g_array_set_size (questions, 0);

  return TRUE;
}

EsAnalogyEvaluation *
es_evaluate_analogies (EsEmbeddingSet  *set,
                       const char      *path,
                       gsize            restrict_rows,
                       gboolean         case_insensitive,
                       GCancellable    *cancellable,
                       EsProgressFunc   progress,
                       gpointer         progress_data,
                       GError         **error)
{
  g_autoptr(EsAnalogyEvaluation) result = NULL;
  g_autoptr(GHashTable) vocabulary = NULL;
  g_autoptr(GArray) questions = NULL;
  g_auto(GStrv) lines = NULL;
  gsize limit;
  guint n_lines;

  g_return_val_if_fail (set != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  lines = read_lines (path, error);
  if (lines == NULL)
    return NULL;
  n_lines = g_strv_length (lines);

  limit = restrict_rows > 0 ? restrict_rows : DEFAULT_RESTRICT;
  vocabulary = build_vocabulary (set, limit, case_insensitive);

  result = g_new0 (EsAnalogyEvaluation, 1);
  result->sections = g_ptr_array_new_with_free_func (analogy_section_free);

  questions = g_array_new (FALSE, FALSE, sizeof (Question));
  g_array_set_clear_func (questions, question_clear);

  for (guint line_no = 0; line_no < n_lines; line_no++)
    {
      const char *line = lines[line_no];
      g_auto(GStrv) fields = NULL;
      Question question = { 0 };
      gboolean known = TRUE;

      if (line_no % 1024 == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      if (g_str_has_prefix (line, ": "))
        {
          EsAnalogySection *section = g_new0 (EsAnalogySection, 1);
          const char *name = line;

          /* gensim: line.lstrip(': ').strip() */
          while (*name == ':' || *name == ' ')
            name++;
          section->name = g_strstrip (g_strdup (name));
          g_ptr_array_add (result->sections, section);
          continue;
        }

      fields = split_whitespace (line);
      if (g_strv_length (fields) != 4)
        continue;

      if (result->sections->len == 0)
        {
          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_PARSE,
                       "%s:%u: question before the first ': section' line", path, line_no + 1);
          return NULL;
        }

      question.section = result->sections->len - 1;
      for (guint i = 0; i < 4; i++)
        {
          question.words[i] = make_key (fields[i], case_insensitive);
          known = known && lookup (vocabulary, question.words[i], &question.rows[i]);
        }

      if (!known)
        {
          result->oov_questions++;
          question_clear (&question);
          continue;
        }

      g_array_append_val (questions, question);

      if (questions->len == QUESTION_BATCH)
        {
          if (!score_questions (set, vocabulary, limit, case_insensitive, questions,
                                result, cancellable, error))
            return NULL;
          if (progress != NULL)
            progress ((double) (line_no + 1) / n_lines, progress_data);
        }
    }

  if (!score_questions (set, vocabulary, limit, case_insensitive, questions,
                        result, cancellable, error))
    return NULL;

  result->accuracy = result->total > 0 ? (double) result->correct / result->total : 0.0;
  if (progress != NULL)
    progress (1.0, progress_data);

  return g_steal_pointer (&result);
}

static double
pearson (const double *x,
         const double *y,
         gsize         n)
{
  double mean_x = 0.0, mean_y = 0.0;
  double sxy = 0.0, sxx = 0.0, syy = 0.0;

  for (gsize i = 0; i < n; i++)
    {
      mean_x += x[i];
      mean_y += y[i];
    }
  mean_x /= n;
  mean_y /= n;

  for (gsize i = 0; i < n; i++)
    {
      double dx = x[i] - mean_x;
      double dy = y[i] - mean_y;

      sxy += dx * dy;
      sxx += dx * dx;
      syy += dy * dy;
    }

  /* A constant column has no correlation; report 0 rather than NaN. */
  if (sxx == 0.0 || syy == 0.0)
    return 0.0;

  return sxy / sqrt (sxx * syy);
}

static int
compare_by_value (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  const double *values = user_data;
  double x = values[*(const gsize *) a];
  double y = values[*(const gsize *) b];

  return x < y ? -1 : x > y;
}

/* Ranks starting at 1, ties sharing their average rank (scipy's rankdata). */
static void
rank (const double *values,
      gsize         n,
      double       *ranks)
{
  g_autofree gsize *order = g_new (gsize, MAX (n, 1));

  for (gsize i = 0; i < n; i++)
    order[i] = i;
  g_qsort_with_data (order, (gint) n, sizeof (gsize), compare_by_value, (gpointer) values);

  for (gsize i = 0; i < n;)
    {
      gsize j = i + 1;
      double average;

      while (j < n && values[order[j]] == values[order[i]])
        j++;
      average = (i + 1 + j) / 2.0;
      for (gsize t = i; t < j; t++)
        ranks[order[t]] = average;
      i = j;
    }
}

static double
row_cosine (EsEmbeddingSet *set,
            gsize           a,
            gsize           b)
{
  gsize dims = es_embedding_set_get_dims (set);
  const float *u = es_embedding_set_get_vector (set, a);
  const float *v = es_embedding_set_get_vector (set, b);
  double dot = 0.0, uu = 0.0, vv = 0.0;

  for (gsize j = 0; j < dims; j++)
    {
      dot += (double) u[j] * v[j];
      uu += (double) u[j] * u[j];
      vv += (double) v[j] * v[j];
    }

  return uu > 0.0 && vv > 0.0 ? dot / (sqrt (uu) * sqrt (vv)) : 0.0;
}

/* Fields of a pairs line: tab-separated when it has a tab, else split at
 * whitespace.
 */
static char **
split_pair_line (const char *line)
{
  char **fields;

  if (strchr (line, '\t') == NULL)
    return split_whitespace (line);

  fields = g_strsplit (line, "\t", -1);
  for (guint i = 0; fields[i] != NULL; i++)
    g_strstrip (fields[i]);

  return fields;
}

gboolean
es_evaluate_pairs (EsEmbeddingSet    *set,
                   const char        *path,
                   gsize              restrict_rows,
                   gboolean           case_insensitive,
                   EsPairsEvaluation *out,
                   GError           **error)
{
  g_autoptr(GHashTable) vocabulary = NULL;
  g_autoptr(GArray) gold = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) model = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree double *gold_ranks = NULL;
  g_autofree double *model_ranks = NULL;
  g_auto(GStrv) lines = NULL;
  guint oov = 0;

  g_return_val_if_fail (set != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  lines = read_lines (path, error);
  if (lines == NULL)
    return FALSE;

  vocabulary = build_vocabulary (set, restrict_rows, case_insensitive);

  for (guint line_no = 0; lines[line_no] != NULL; line_no++)
    {
      g_auto(GStrv) fields = NULL;
      g_autofree char *a = NULL;
      g_autofree char *b = NULL;
      const char *score_text;
      char *end;
      double score;
      gsize row_a, row_b;

      if (lines[line_no][0] == '\0' || lines[line_no][0] == '#')
        continue;

      fields = split_pair_line (lines[line_no]);
      if (g_strv_length (fields) != 3)
        continue;

      score_text = fields[2];
      score = g_ascii_strtod (score_text, &end);
      if (end == score_text || *end != '\0' || !isfinite (score))
        continue;

      a = make_key (fields[0], case_insensitive);
      b = make_key (fields[1], case_insensitive);
      if (!lookup (vocabulary, a, &row_a) || !lookup (vocabulary, b, &row_b))
        {
          oov++;
          continue;
        }

      g_array_append_val (gold, score);
      score = row_cosine (set, row_a, row_b);
      g_array_append_val (model, score);
    }

  if (gold->len == 0)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_EMPTY,
                   "%s: no pair has both words in the vocabulary", path);
      return FALSE;
    }

  gold_ranks = g_new (double, gold->len);
  model_ranks = g_new (double, gold->len);
  rank ((const double *) (gpointer) gold->data, gold->len, gold_ranks);
  rank ((const double *) (gpointer) model->data, gold->len, model_ranks);

  out->pearson = pearson ((const double *) (gpointer) gold->data,
                          (const double *) (gpointer) model->data, gold->len);
  out->spearman = pearson (gold_ranks, model_ranks, gold->len);
  out->pairs = gold->len;
  out->oov_ratio = (double) oov / (gold->len + oov);

  return TRUE;
}
