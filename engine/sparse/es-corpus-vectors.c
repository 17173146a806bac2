/* es-corpus-vectors.c: count → weight → truncated SVD → an embedding set,
 * one code path for `embedscope lsa` and the window's Open Corpus
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-sparse"

#include "config.h"

#include "es-corpus-vectors.h"

#include "es-engine-error.h"
#include "es-memory.h"

#include <string.h>
#include <time.h>

struct _EsCorpusVectors
{
  gatomicrefcount  ref_count;
  char            *path;
  char            *title;
  EsSparseMatrix  *matrix;
  EsSparseSvd     *svd;
  EsEmbeddingSet  *set;
  EsWeighting      weighting;
  double           power;
  double           matrix_seconds;
  double           svd_seconds;
  double           svd_cpu_seconds;
};

/* Where each stage sits in the whole run's fraction: counting a corpus
 * reads it twice and dominates; reading a .mtx is one pass.
 */
typedef struct
{
  EsCorpusProgressFunc progress;
  gpointer             data;
  EsCorpusStage        stage;
  double               start;
  double               span;
} Stage;

static void
stage_progress_cb (double   fraction,
                   gpointer user_data)
{
  Stage *stage = user_data;

  if (stage->progress != NULL)
    stage->progress (stage->stage, stage->start + stage->span * CLAMP (fraction, 0.0, 1.0), stage->data);
}

static void
stage_enter (Stage        *stage,
             EsCorpusStage which,
             double        start,
             double        span)
{
  stage->stage = which;
  stage->start = start;
  stage->span = span;
  stage_progress_cb (0.0, stage);
}

void
es_corpus_options_init (EsCorpusOptions *options,
                        gboolean         is_matrix)
{
  g_return_if_fail (options != NULL);

  es_cooccur_options_init (&options->cooccur);
  es_matrix_market_options_init (&options->matrix);
  es_weighting_options_init (&options->weighting);
  if (is_matrix)
    options->weighting.weighting = ES_WEIGHTING_NONE;
  es_sparse_svd_options_init (&options->svd);
  options->power = 0.5;
}

EsEmbeddingSet *
es_corpus_make_set (const EsSparseMatrix  *m,
                    const float           *data,
                    gsize                  dims,
                    GError               **error)
{
  gsize rows = es_sparse_matrix_get_rows (m);
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  EsEmbeddingSet *set;

  if (!es_memory_check (rows, dims * sizeof (float) + 64, "The vectors", NULL, error))
    return NULL;
  for (gsize i = 0; i < rows; i++)
    {
      const char *label = es_sparse_matrix_get_row_label (m, i);
      char *word = label != NULL ? g_strdup (label) : g_strdup_printf ("row_%" G_GSIZE_FORMAT, i + 1);

      /* A labels file may repeat a label: the vocabulary cannot, so the
       * repeat gets its row number (and a warning) instead of a crash.
       */
      if (g_hash_table_contains (seen, word))
        {
          char *unique = g_strdup_printf ("%s#%" G_GSIZE_FORMAT, word, i + 1);

          for (guint n = 2; g_hash_table_contains (seen, unique); n++)
            {
              g_free (unique);
              unique = g_strdup_printf ("%s#%" G_GSIZE_FORMAT ".%u", word, i + 1, n);
            }
          g_ptr_array_add (warnings, g_strdup_printf ("row %" G_GSIZE_FORMAT ": the label “%s” repeats an "
                                                      "earlier row's; shown as “%s”", i + 1, word, unique));
          g_free (word);
          word = unique;
        }
      g_hash_table_add (seen, word);
      g_ptr_array_add (words, word);
    }
  g_ptr_array_add (words, NULL);
  set = es_embedding_set_new_from_arrays (rows, dims, (const char * const *) words->pdata, data);
  if (set != NULL && warnings->len > 0)
    es_embedding_set_take_warnings (set, g_steal_pointer (&warnings));
  return set;
}

static EsCorpusVectors *
finish (const char            *path,
        EsSparseMatrix        *counts,
        const EsCorpusOptions *options,
        GPtrArray             *warnings,
        Stage                 *stage,
        gint64                 t0,
        GCancellable          *cancellable,
        GError               **error)
{
  g_autoptr(EsCorpusVectors) self = g_new0 (EsCorpusVectors, 1);
  g_autofree float *vectors = NULL;
  g_autofree char *base = g_path_get_basename (path);
  gint64 t1;
  double cpu1;

  g_atomic_ref_count_init (&self->ref_count);
  self->path = g_strdup (path);
  self->weighting = options->weighting.weighting;
  self->power = options->power;

  stage_enter (stage, ES_CORPUS_STAGE_WEIGHTING, stage->start + stage->span, 0.05);
  if (options->weighting.weighting == ES_WEIGHTING_NONE)
    self->matrix = es_sparse_matrix_ref (counts);
  else if (!(self->matrix = es_weighting_apply (counts, &options->weighting, error)))
    return NULL;
  self->matrix_seconds = (g_get_monotonic_time () - t0) / 1e6;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  t1 = g_get_monotonic_time ();
  cpu1 = es_corpus_process_cpu_seconds ();
  stage_enter (stage, ES_CORPUS_STAGE_SVD, stage->start + stage->span, 1.0 - (stage->start + stage->span));
  if (!(self->svd = es_sparse_svd_compute (self->matrix, &options->svd, cancellable, stage_progress_cb, stage, error)) ||
      !(vectors = es_sparse_svd_dup_row_vectors (self->svd, options->power, error)))
    return NULL;
  self->svd_seconds = (g_get_monotonic_time () - t1) / 1e6;
  self->svd_cpu_seconds = es_corpus_process_cpu_seconds () - cpu1;
  if (!(self->set = es_corpus_make_set (self->matrix, vectors, es_sparse_svd_get_dims (self->svd), error)))
    return NULL;
  if (warnings != NULL && warnings->len > 0)
    {
      GPtrArray *kept = g_ptr_array_new_with_free_func (g_free);
      GPtrArray *own = es_embedding_set_get_warnings (self->set);

      for (guint i = 0; i < warnings->len; i++)
        g_ptr_array_add (kept, g_strdup (warnings->pdata[i]));
      for (guint i = 0; own != NULL && i < own->len; i++)
        g_ptr_array_add (kept, g_strdup (own->pdata[i]));
      es_embedding_set_take_warnings (self->set, kept);
    }
  self->title = g_strdup_printf ("%s — LSA %ud", base, es_sparse_svd_get_dims (self->svd));
  stage_progress_cb (1.0, stage);
  return g_steal_pointer (&self);
}

EsCorpusVectors *
es_corpus_vectors_from_text (const char             *path,
                             const EsCorpusOptions  *options,
                             GPtrArray              *warnings,
                             GCancellable           *cancellable,
                             EsCorpusProgressFunc    progress,
                             gpointer                progress_data,
                             GError                **error)
{
  g_autoptr(EsSparseMatrix) counts = NULL;
  g_autoptr(GPtrArray) own = NULL;
  Stage stage = { progress, progress_data };
  gint64 t0 = g_get_monotonic_time ();

  g_return_val_if_fail (path != NULL && options != NULL, NULL);

  if (warnings == NULL)
    warnings = own = g_ptr_array_new_with_free_func (g_free);
  stage_enter (&stage, ES_CORPUS_STAGE_COUNTING, 0.0, 0.6);
  if (!(counts = es_cooccur_count (path, &options->cooccur, warnings, cancellable, stage_progress_cb, &stage, error)))
    return NULL;
  return finish (path, counts, options, warnings, &stage, t0, cancellable, error);
}

EsCorpusVectors *
es_corpus_vectors_from_matrix (const char             *path,
                               const EsCorpusOptions  *options,
                               GPtrArray              *warnings,
                               GCancellable           *cancellable,
                               EsCorpusProgressFunc    progress,
                               gpointer                progress_data,
                               GError                **error)
{
  g_autoptr(EsSparseMatrix) m = NULL;
  g_autoptr(GPtrArray) own = NULL;
  Stage stage = { progress, progress_data };
  gint64 t0 = g_get_monotonic_time ();

  g_return_val_if_fail (path != NULL && options != NULL, NULL);

  if (warnings == NULL)
    warnings = own = g_ptr_array_new_with_free_func (g_free);
  stage_enter (&stage, ES_CORPUS_STAGE_COUNTING, 0.0, 0.3);
  if (!(m = es_matrix_market_read (path, &options->matrix, warnings, cancellable, stage_progress_cb, &stage, error)))
    return NULL;
  return finish (path, m, options, warnings, &stage, t0, cancellable, error);
}

EsCorpusVectors *
es_corpus_vectors_ref (EsCorpusVectors *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
es_corpus_vectors_unref (EsCorpusVectors *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_clear_pointer (&self->set, es_embedding_set_unref);
  g_clear_pointer (&self->svd, es_sparse_svd_free);
  g_clear_pointer (&self->matrix, es_sparse_matrix_unref);
  g_free (self->title);
  g_free (self->path);
  g_free (self);
}

EsEmbeddingSet *
es_corpus_vectors_get_set (EsCorpusVectors *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->set;
}

EsSparseMatrix *
es_corpus_vectors_get_matrix (EsCorpusVectors *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->matrix;
}

const EsSparseSvd *
es_corpus_vectors_get_svd (EsCorpusVectors *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->svd;
}

EsWeighting
es_corpus_vectors_get_weighting (EsCorpusVectors *self)
{
  g_return_val_if_fail (self != NULL, ES_WEIGHTING_NONE);
  return self->weighting;
}

double
es_corpus_vectors_get_power (EsCorpusVectors *self)
{
  g_return_val_if_fail (self != NULL, 0.0);
  return self->power;
}

const char *
es_corpus_vectors_get_title (EsCorpusVectors *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->title;
}

const char *
es_corpus_vectors_get_path (EsCorpusVectors *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->path;
}

double
es_corpus_vectors_get_matrix_seconds (EsCorpusVectors *self)
{
  g_return_val_if_fail (self != NULL, 0.0);
  return self->matrix_seconds;
}

double
es_corpus_vectors_get_svd_cpu_seconds (EsCorpusVectors *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->svd_cpu_seconds;
}

double
es_corpus_process_cpu_seconds (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
    return 0;
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

double
es_corpus_vectors_get_svd_seconds (EsCorpusVectors *self)
{
  g_return_val_if_fail (self != NULL, 0.0);
  return self->svd_seconds;
}
