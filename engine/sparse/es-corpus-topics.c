/* es-corpus-topics.c: NMF topics as an embedding set and word lists, one
 * code path for `embedscope nmf` and the window's topics panel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-sparse"

#include "config.h"

#include "es-corpus-topics.h"

#include "es-corpus-vectors.h"
#include "es-memory.h"

#include <stdlib.h>

struct _EsCorpusTopics
{
  EsNmf          *nmf;
  EsEmbeddingSet *set;
  GPtrArray      *words;  /* per topic: a NULL-terminated GStrv */
  char           *title;
};

typedef struct
{
  double value;
  gsize  index;
} Ranked;

static int
compare_ranked (gconstpointer a,
                gconstpointer b)
{
  const Ranked *x = a, *y = b;

  if (x->value != y->value)
    return x->value > y->value ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

gsize *
es_nmf_dup_top_columns (const EsNmf *nmf,
                        gsize        cols,
                        guint        component,
                        gsize        top,
                        gsize       *n_out)
{
  guint k = es_nmf_get_components (nmf);
  const double *ht = es_nmf_get_ht (nmf);
  g_autofree Ranked *ranked = g_new (Ranked, MAX (cols, 1));
  gsize n = MIN (top, cols);
  gsize *out = g_new (gsize, MAX (n, 1));

  g_return_val_if_fail (component < k, NULL);

  for (gsize j = 0; j < cols; j++)
    ranked[j] = (Ranked) { ht[j * k + component], j };
  qsort (ranked, cols, sizeof (Ranked), compare_ranked);
  for (gsize t = 0; t < n; t++)
    out[t] = ranked[t].index;
  *n_out = n;
  return out;
}

static char *
dup_col_label (const EsSparseMatrix *m,
               gsize                 col)
{
  const char *label = es_sparse_matrix_get_col_label (m, col);

  return label != NULL ? g_strdup (label) : g_strdup_printf ("col_%" G_GSIZE_FORMAT, col + 1);
}

EsCorpusTopics *
es_corpus_topics_compute (EsSparseMatrix      *matrix,
                          const EsNmfOptions  *options,
                          guint                top,
                          const char          *title,
                          GCancellable        *cancellable,
                          EsProgressFunc       progress,
                          gpointer             progress_data,
                          GError             **error)
{
  g_autoptr(EsCorpusTopics) self = g_new0 (EsCorpusTopics, 1);
  g_autofree float *w = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(EsMetadata) metadata = NULL;
  g_autofree char **row = NULL;
  gsize rows = es_sparse_matrix_get_rows (matrix);
  gsize cols = es_sparse_matrix_get_cols (matrix);
  const double *wd;
  guint k;

  g_return_val_if_fail (matrix != NULL && options != NULL, NULL);

  self->words = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  if (!(self->nmf = es_nmf_compute (matrix, options, cancellable, progress, progress_data, error)))
    return NULL;
  k = es_nmf_get_components (self->nmf);
  wd = es_nmf_get_w (self->nmf);
  /* W as float32, and one metadata cell per word and topic (~12 bytes). */
  if (!(w = es_memory_try_alloc (rows, (guint64) k * sizeof (float), "The topic weights", error)) ||
      !es_memory_check (rows, (guint64) k * 16, "The topic columns", NULL, error))
    return NULL;
  for (gsize i = 0; i < rows * k; i++)
    w[i] = (float) wd[i];
  if (!(self->set = es_corpus_make_set (matrix, w, k, error)))
    return NULL;

  for (guint c = 0; c < k; c++)
    {
      gsize n = 0;
      g_autofree gsize *best = es_nmf_dup_top_columns (self->nmf, cols, c, top, &n);
      GStrvBuilder *builder = g_strv_builder_new ();
      GString *name = g_string_new (NULL);

      g_string_printf (name, "topic %u:", c + 1);
      for (gsize t = 0; t < n; t++)
        {
          g_autofree char *label = dup_col_label (matrix, best[t]);

          if (t < 3)
            g_string_append_printf (name, " %s", label);
          g_strv_builder_add (builder, label);
        }
      g_ptr_array_add (self->words, g_strv_builder_end (builder));
      g_strv_builder_unref (builder);
      g_ptr_array_add (names, g_string_free (name, FALSE));
    }
  g_ptr_array_add (names, NULL);

  /* Each topic a numeric column: colour by it, label by it, export it. */
  metadata = es_metadata_new ((const char * const *) names->pdata);
  row = g_new0 (char *, k + 1);
  for (gsize i = 0; i < rows; i++)
    {
      for (guint c = 0; c < k; c++)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          row[c] = g_strdup (g_ascii_formatd (buf, sizeof buf, "%.6g", wd[i * k + c]));
        }
      es_metadata_append_row (metadata, (const char * const *) row);
      for (guint c = 0; c < k; c++)
        g_clear_pointer (&row[c], g_free);
    }
  es_embedding_set_set_metadata (self->set, metadata);
  self->title = g_strdup_printf ("%s — NMF %u topics", title != NULL ? title : "matrix", k);
  return g_steal_pointer (&self);
}

void
es_corpus_topics_free (EsCorpusTopics *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->nmf, es_nmf_free);
  g_clear_pointer (&self->set, es_embedding_set_unref);
  g_clear_pointer (&self->words, g_ptr_array_unref);
  g_free (self->title);
  g_free (self);
}

EsNmf *
es_corpus_topics_get_nmf (EsCorpusTopics *self)
{
  return self->nmf;
}

EsEmbeddingSet *
es_corpus_topics_get_set (EsCorpusTopics *self)
{
  return self->set;
}

guint
es_corpus_topics_get_n_topics (EsCorpusTopics *self)
{
  return self->words->len;
}

const char * const *
es_corpus_topics_get_words (EsCorpusTopics *self,
                            guint           topic)
{
  g_return_val_if_fail (topic < self->words->len, NULL);
  return (const char * const *) self->words->pdata[topic];
}

const char *
es_corpus_topics_get_title (EsCorpusTopics *self)
{
  return self->title;
}
