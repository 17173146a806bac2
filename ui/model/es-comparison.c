/* es-comparison.c: two embedding sets aligned, scored and projected together
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-comparison"

#include "config.h"

#include "es-comparison.h"

#include "es-engine-error.h"
#include "es-matrix.h"
#include "es-memory.h"
#include "es-projection.h"
#include "es-vocabulary.h"
#include "es-writer.h"

#include <string.h>

struct _EsComparison
{
  EsEmbeddingSet *a;
  EsEmbeddingSet *b;
  EsWordPairs    *pairs;       /* rows of A, rows of B, in A's order */
  EsAlignment    *alignment;   /* B onto A */
  EsChangeScores *scores;
  EsComparisonOptions options;
  char           *anchors;     /* options.anchors points here */
  gsize           n_anchors;
  gsize          *ranking;
  gint64         *pair_of_row; /* per row of A */
  gsize           n_plotted;
  gsize          *plotted;
  gint64         *plot_index;  /* per pair */
  guint           n_components;
  float          *coords;
};

typedef struct
{
  EsProgressFunc func;
  gpointer       data;
  double         base;
  double         span;
} Stage;

static void
stage_progress (double   fraction,
                gpointer user_data)
{
  Stage *stage = user_data;

  if (stage->func != NULL)
    stage->func (stage->base + stage->span * CLAMP (fraction, 0, 1), stage->data);
}

static void
comparison_free (EsComparison *self)
{
  g_clear_pointer (&self->a, es_embedding_set_unref);
  g_clear_pointer (&self->b, es_embedding_set_unref);
  g_clear_pointer (&self->pairs, es_word_pairs_free);
  g_clear_pointer (&self->alignment, es_alignment_free);
  g_clear_pointer (&self->scores, es_change_scores_free);
  g_free (self->anchors);
  g_free (self->ranking);
  g_free (self->pair_of_row);
  g_free (self->plotted);
  g_free (self->plot_index);
  g_free (self->coords);
}

/* The stacked [A; aligned B] vectors of the plotted words as a set (with
 * placeholder words: a word appears twice), for the PCA.
 */
static EsEmbeddingSet *
stacked_set (EsComparison  *self,
             GError       **error)
{
  gsize m = self->n_plotted, dims = es_embedding_set_get_dims (self->a);
  gsize dims_b = es_embedding_set_get_dims (self->b);
  const gsize *rows_a = es_word_pairs_get_rows_a (self->pairs);
  const gsize *rows_b = es_word_pairs_get_rows_b (self->pairs);
  g_autoptr(EsMatrix) matrix = es_matrix_new (2 * m, dims, error);
  g_autofree gsize *ra = NULL, *rb = NULL;
  g_autofree float *gathered = NULL;
  g_autoptr(EsVocabulary) vocabulary = NULL;
  float *data;
  guint64 count;

  if (matrix == NULL)
    return NULL;
  if (!es_checked_mul (m, dims_b, &count))
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                   "%" G_GSIZE_FORMAT " × %" G_GSIZE_FORMAT " floats do not fit", m, dims_b);
      return NULL;
    }
  if (!(gathered = es_memory_try_alloc (count, sizeof (float), "the vectors of B to plot", error)))
    return NULL;
  ra = g_new (gsize, MAX (m, 1));
  rb = g_new (gsize, MAX (m, 1));
  for (gsize j = 0; j < m; j++)
    {
      ra[j] = rows_a[self->plotted[j]];
      rb[j] = rows_b[self->plotted[j]];
    }
  data = es_matrix_get_data_mut (matrix);
  _es_align_gather (self->a, ra, m, data);
  _es_align_gather (self->b, rb, m, gathered);
  es_alignment_apply (self->alignment, gathered, m, data + m * dims);

  vocabulary = es_vocabulary_new (2 * m);
  for (gsize i = 0; i < 2 * m; i++)
    {
      char name[32];
      int len = g_snprintf (name, sizeof name, "%c%" G_GSIZE_FORMAT, i < m ? 'a' : 'b', i % MAX (m, 1));

      es_vocabulary_add (vocabulary, name, (gsize) len, NULL);
    }
  return es_embedding_set_new (g_steal_pointer (&matrix), g_steal_pointer (&vocabulary));
}

static gboolean
choose_plotted (EsComparison  *self,
                gsize          max_plotted,
                gsize          n_top,
                GError       **error)
{
  gsize n = es_word_pairs_get_n (self->pairs);
  gsize first = MIN (n, max_plotted);

  self->plot_index = es_memory_try_alloc (MAX (n, 1), sizeof (gint64), "the plot index", error);
  if (self->plot_index == NULL)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    self->plot_index[i] = -1;
  self->plotted = g_new (gsize, first + MIN (n_top, n) + 1);
  for (gsize i = 0; i < first; i++)
    {
      self->plot_index[i] = (gint64) self->n_plotted;
      self->plotted[self->n_plotted++] = i;
    }
  /* The most moved are often rare words: always plot them. */
  for (gsize r = 0; r < MIN (n_top, n); r++)
    {
      gsize pair = self->ranking[r];

      if (self->plot_index[pair] < 0)
        {
          self->plot_index[pair] = (gint64) self->n_plotted;
          self->plotted[self->n_plotted++] = pair;
        }
    }
  return TRUE;
}

void
es_comparison_options_init (EsComparisonOptions *options)
{
  memset (options, 0, sizeof *options);
  options->method = -1;
  options->k = 10;
  options->overlap_top = 20000;
}

gboolean
es_comparison_options_equal (const EsComparisonOptions *a,
                             const EsComparisonOptions *b)
{
  return a->method == b->method && !a->center == !b->center && !a->scale == !b->scale &&
         g_strcmp0 (a->anchors, b->anchors) == 0 && a->k == b->k && a->overlap_top == b->overlap_top;
}

/* The pairs to fit B onto A on: the anchors (read as A's word, B's word,
 * then swapped) or every shared word.
 */
static EsWordPairs *
fit_pairs (EsComparison  *self,
           GError       **error)
{
  g_autoptr(EsWordPairs) anchors = NULL;

  if (self->anchors == NULL)
    return es_word_pairs_new (es_word_pairs_get_rows_b (self->pairs), es_word_pairs_get_rows_a (self->pairs),
                              es_word_pairs_get_n (self->pairs));
  if (!(anchors = es_word_pairs_new_from_file (self->a, self->b, self->anchors, error)))
    return NULL;
  self->n_anchors = es_word_pairs_get_n (anchors);
  return es_word_pairs_new (es_word_pairs_get_rows_b (anchors), es_word_pairs_get_rows_a (anchors),
                            es_word_pairs_get_n (anchors));
}

EsComparison *
es_comparison_compute (EsEmbeddingSet  *a,
                       EsEmbeddingSet  *b,
                       const EsComparisonOptions *compare_options,
                       gsize            max_plotted,
                       gsize            n_top,
                       GCancellable    *cancellable,
                       EsProgressFunc   progress,
                       gpointer         progress_data,
                       GError         **error)
{
  g_autoptr(EsComparison) self = NULL;
  g_autoptr(EsWordPairs) b_onto_a = NULL;
  g_autoptr(EsWordPairs) fit = NULL;
  g_autoptr(EsEmbeddingSet) stacked = NULL;
  g_autoptr(EsProjection) projection = NULL;
  EsAlignOptions options;
  EsProjectionOptions popts;
  Stage stage = { progress, progress_data, 0, 0 };
  gsize n, rows_a, overlap_top;

  g_return_val_if_fail (a != NULL && b != NULL, NULL);

  self = g_atomic_rc_box_new0 (EsComparison);
  self->a = es_embedding_set_ref (a);
  self->b = es_embedding_set_ref (b);
  if (compare_options != NULL)
    self->options = *compare_options;
  else
    es_comparison_options_init (&self->options);
  self->options.anchors = self->anchors = g_strdup (self->options.anchors);

  if (!(self->pairs = es_word_pairs_new_shared (a, b, cancellable, error)))
    return NULL;
  n = es_word_pairs_get_n (self->pairs);
  if (n == 0)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_EMPTY,
                   "the two files share no word (%" G_GSIZE_FORMAT " words only in A, %" G_GSIZE_FORMAT
                   " only in B)", es_word_pairs_get_only_a (self->pairs), es_word_pairs_get_only_b (self->pairs));
      return NULL;
    }
  stage_progress (0.05, &stage);

  /* B onto A: the pairs swapped, so A's coordinates stay as they are. */
  b_onto_a = es_word_pairs_new (es_word_pairs_get_rows_b (self->pairs),
                                es_word_pairs_get_rows_a (self->pairs), n);
  if (!(fit = fit_pairs (self, error)))
    return NULL;
  es_align_options_init (&options);
  if (self->options.method >= 0)
    options.method = (EsAlignMethod) self->options.method;
  else
    options.method = es_embedding_set_get_dims (a) == es_embedding_set_get_dims (b) ? ES_ALIGN_ORTHOGONAL
                                                                                      : ES_ALIGN_LINEAR;
  options.center = self->options.center;
  options.scale = self->options.scale;
  if (!(self->alignment = es_alignment_fit (b, a, fit, &options, cancellable, error)))
    return NULL;
  stage_progress (0.2, &stage);

  stage.base = 0.2;
  stage.span = 0.3;
  /* The overlap needs more words than k; a tiny pair goes without. */
  overlap_top = MIN (self->options.overlap_top, n);
  if (self->options.k == 0 || self->options.k > G_MAXUINT16 || self->options.k >= overlap_top)
    overlap_top = 0;
  if (!(self->scores = es_change_scores_compute (b, a, b_onto_a, self->alignment,
                                                 CLAMP (self->options.k, 1, G_MAXUINT16), overlap_top, cancellable,
                                                 stage_progress, &stage, error)))
    return NULL;
  self->ranking = es_change_scores_rank_by_distance (self->scores);

  rows_a = es_embedding_set_get_rows (a);
  if (!(self->pair_of_row = es_memory_try_alloc (MAX (rows_a, 1), sizeof (gint64), "the word index", error)))
    return NULL;
  for (gsize i = 0; i < rows_a; i++)
    self->pair_of_row[i] = -1;
  for (gsize i = 0; i < n; i++)
    self->pair_of_row[es_word_pairs_get_rows_a (self->pairs)[i]] = (gint64) i;

  if (!choose_plotted (self, max_plotted, n_top, error))
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (!(stacked = stacked_set (self, error)))
    return NULL;

  es_projection_options_init (&popts);
  popts.method = ES_METHOD_PCA;
  popts.n_components = MIN (3, es_embedding_set_get_dims (a));
  stage.base = 0.55;
  stage.span = 0.45;
  if (!(projection = es_projection_compute (stacked, &popts, cancellable, stage_progress, &stage, error)))
    return NULL;
  self->n_components = es_projection_get_n_components (projection);
  if (self->n_components < 2)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_DIMENSION,
                   "a plot needs at least 2 dimensions; A has %" G_GSIZE_FORMAT,
                   es_embedding_set_get_dims (a));
      return NULL;
    }
  self->coords = g_memdup2 (es_projection_get_coords (projection),
                            2 * self->n_plotted * self->n_components * sizeof (float));
  stage_progress (1, &stage);

  return g_steal_pointer (&self);
}

EsComparison *
es_comparison_ref (EsComparison *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
es_comparison_unref (EsComparison *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, (GDestroyNotify) comparison_free);
}

EsEmbeddingSet *
es_comparison_get_a (const EsComparison *self)
{
  return self->a;
}

EsEmbeddingSet *
es_comparison_get_b (const EsComparison *self)
{
  return self->b;
}

const EsWordPairs *
es_comparison_get_pairs (const EsComparison *self)
{
  return self->pairs;
}

const EsAlignment *
es_comparison_get_alignment (const EsComparison *self)
{
  return self->alignment;
}

const EsChangeScores *
es_comparison_get_scores (const EsComparison *self)
{
  return self->scores;
}

const EsComparisonOptions *
es_comparison_get_options (const EsComparison *self)
{
  return &self->options;
}

gsize
es_comparison_get_n_anchors (const EsComparison *self)
{
  return self->n_anchors;
}

double
es_comparison_get_overlap (const EsComparison *self,
                           gsize               pair)
{
  if (pair >= es_change_scores_get_n_overlap (self->scores))
    return -1;
  return (double) es_change_scores_get_overlap (self->scores)[pair] / es_change_scores_get_k (self->scores);
}

gsize
es_comparison_get_n_shared (const EsComparison *self)
{
  return es_word_pairs_get_n (self->pairs);
}

const gsize *
es_comparison_get_ranking (const EsComparison *self)
{
  return self->ranking;
}

const char *
es_comparison_get_word (const EsComparison *self,
                        gsize               pair)
{
  g_return_val_if_fail (pair < es_word_pairs_get_n (self->pairs), NULL);

  return es_embedding_set_get_word (self->a, es_word_pairs_get_rows_a (self->pairs)[pair]);
}

gint64
es_comparison_pair_of_row_a (const EsComparison *self,
                             gsize               row_a)
{
  return row_a < es_embedding_set_get_rows (self->a) ? self->pair_of_row[row_a] : -1;
}

gint64
es_comparison_pair_of_word (const EsComparison *self,
                            const char         *word)
{
  gsize row;

  if (word == NULL || !es_embedding_set_lookup (self->a, word, &row))
    return -1;
  return es_comparison_pair_of_row_a (self, row);
}

gsize
es_comparison_get_n_plotted (const EsComparison *self)
{
  return self->n_plotted;
}

const gsize *
es_comparison_get_plotted (const EsComparison *self)
{
  return self->plotted;
}

gint64
es_comparison_plot_index (const EsComparison *self,
                          gsize               pair)
{
  return pair < es_word_pairs_get_n (self->pairs) ? self->plot_index[pair] : -1;
}

const float *
es_comparison_get_coords (const EsComparison *self,
                          guint              *n_components)
{
  if (n_components != NULL)
    *n_components = self->n_components;
  return self->coords;
}

GString *
es_comparison_scores_tsv (const EsComparison  *self,
                          GError             **error)
{
  gsize n = es_word_pairs_get_n (self->pairs);
  const float *dist = es_change_scores_get_distances (self->scores);
  const gsize *rows_a = es_word_pairs_get_rows_a (self->pairs);
  g_autoptr(GString) tsv = g_string_sized_new (n * 24 + 64);

  g_string_append (tsv, "rank\tword\tcosine_distance\n");
  for (gsize r = 0; r < n; r++)
    {
      gsize i = self->ranking[r];
      const char *word = es_embedding_set_get_word (self->a, rows_a[i]);
      gsize len = es_embedding_set_get_word_len (self->a, rows_a[i]);
      char number[ES_FLOAT_BUF_SIZE];

      if (memchr (word, '\t', len) != NULL || memchr (word, '\n', len) != NULL ||
          memchr (word, '\r', len) != NULL)
        {
          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                       "the word of row %" G_GSIZE_FORMAT " of A contains a tab or line break, which a "
                       "TSV file cannot hold", rows_a[i] + 1);
          return NULL;
        }
      es_format_float_buf (dist[i], number);
      g_string_append_printf (tsv, "%" G_GSIZE_FORMAT "\t", r + 1);
      g_string_append_len (tsv, word, len);
      g_string_append_c (tsv, '\t');
      g_string_append (tsv, number);
      g_string_append_c (tsv, '\n');
    }
  return g_steal_pointer (&tsv);
}
