/* es-evaluation.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "es-embedding-set.h"

G_BEGIN_DECLS

typedef struct
{
  char  *name;
  guint  correct;
  guint  total;
} EsAnalogySection;

typedef struct
{
  double     accuracy;      /* correct / total, 0 when total is 0 */
  guint      correct;
  guint      total;         /* questions with all four words known */
  guint      oov_questions; /* questions skipped for an unknown word */
  GPtrArray *sections;      /* EsAnalogySection, in file order, no "total" */
} EsAnalogyEvaluation;

typedef struct
{
  double pearson;
  double spearman;
  double oov_ratio; /* fraction in [0, 1] */
  guint  pairs;     /* pairs evaluated (both words known) */
} EsPairsEvaluation;

/* Like gensim's evaluate_word_analogies: questions-words format, only the
 * first @restrict_rows words (0 = gensim's default 300000), upper-cased
 * lookup when @case_insensitive (gensim's default).
 */
EsAnalogyEvaluation *es_evaluate_analogies     (EsEmbeddingSet  *set,
                                                const char      *path,
                                                gsize            restrict_rows,
                                                gboolean         case_insensitive,
                                                GCancellable    *cancellable,
                                                EsProgressFunc   progress,
                                                gpointer         progress_data,
                                                GError         **error);
void                 es_analogy_evaluation_free (EsAnalogyEvaluation *self);

/* Like gensim's evaluate_word_pairs (tab- or space-separated, '#' comments). */
gboolean             es_evaluate_pairs         (EsEmbeddingSet    *set,
                                                const char        *path,
                                                gsize              restrict_rows,
                                                gboolean           case_insensitive,
                                                EsPairsEvaluation *out,
                                                GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsAnalogyEvaluation, es_analogy_evaluation_free)

G_END_DECLS
