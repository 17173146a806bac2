/* es-cooccur.c: counting, two passes over the text, two threads per block
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each block of whole lines is cut in two at a line break; each half is
 * tokenised by its own thread into its own tables (word counts in the
 * first pass, pair counts in the second), merged at the end.  Counts are
 * integers (a 1/d weight is counted in units of 1/lcm(1..window)), so the
 * sums are exact and do not depend on the order or the thread count.
 * Pairs are kept once per unordered pair (i ≤ j) and mirrored at the end.
 */

#define G_LOG_DOMAIN "es-sparse"

#include "config.h"

#include "es-cooccur.h"

#include "es-engine-error.h"
#include "es-memory.h"
#include "es-sparse-private.h"
#include "es-tokenizer.h"

#include <string.h>

#define BLOCK_SIZE (16u << 20)

void
es_cooccur_options_init (EsCooccurOptions *options)
{
  memset (options, 0, sizeof *options);
  options->window = 5;
  options->min_count = 5;
}

/* A word and its count in one block: the table's value; its key is word. */
typedef struct
{
  guint64 count;
  char    word[];
} Entry;

typedef struct
{
  GHashTable *counts;       /* pass 1: word → Entry */
  GString    *scratch;
  guint64     invalid;
  guint64     first_invalid_line;
  guint64     tokens;
  GArray     *ids;          /* pass 2: the current line's word ids */
  EsPairMap   pairs;
  GError     *error;
} ThreadState;

typedef struct
{
  const char  *block;
  gsize        len;
  gsize        split;
  guint64      first_line;
  guint64      split_line;
  ThreadState  state[2];
  GHashTable  *vocab;       /* word → id + 1 */
  guint        window;
  guint64      units[ES_COOCCUR_MAX_WINDOW + 1];
  int          pass;
} Job;

static void
count_word_cb (const char *word,
               gsize       len,
               gpointer    user_data)
{
  ThreadState *state = user_data;
  Entry *entry;

  state->tokens++;
  entry = g_hash_table_lookup (state->counts, word);
  if (entry == NULL)
    {
      entry = g_malloc (sizeof (Entry) + len + 1);
      entry->count = 0;
      memcpy (entry->word, word, len + 1);
      g_hash_table_insert (state->counts, entry->word, entry);
    }
  entry->count++;
}

typedef struct
{
  ThreadState *state;
  GHashTable  *vocab;
} IdsData;

static void
id_word_cb (const char *word,
            gsize       len,
            gpointer    user_data)
{
  IdsData *data = user_data;
  gsize id = GPOINTER_TO_SIZE (g_hash_table_lookup (data->vocab, word));

  if (id > 0)
    {
      guint32 v = (guint32) (id - 1);
      g_array_append_val (data->state->ids, v);
    }
}

static gboolean
count_pairs (Job          *job,
             ThreadState  *state)
{
  const guint32 *ids = (const guint32 *) state->ids->data;
  guint n = state->ids->len;

  for (guint t = 0; t < n; t++)
    {
      guint last = MIN (n - 1, t + job->window);
      guint32 a = ids[t];

      for (guint u = t + 1; u <= last; u++)
        {
          guint32 b = ids[u];
          guint64 key = a <= b ? ((guint64) a << 32) | b : ((guint64) b << 32) | a;

          if (!_es_pair_map_add (&state->pairs, key, job->units[u - t], &state->error))
            return FALSE;
        }
    }
  return TRUE;
}

static void
block_half (guint    index,
            gpointer data)
{
  Job *job = data;
  ThreadState *state = &job->state[index];
  const char *p = job->block + (index == 0 ? 0 : job->split);
  const char *end = job->block + (index == 0 ? job->split : job->len);
  guint64 line = index == 0 ? job->first_line : job->split_line;
  IdsData ids_data = { state, job->vocab };

  if (state->error != NULL)
    return;
  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *stop = nl != NULL ? nl : end;
      gsize invalid;

      if (job->pass == 1)
        invalid = es_tokenize_foreach (p, stop - p, state->scratch, count_word_cb, state);
      else
        {
          g_array_set_size (state->ids, 0);
          invalid = es_tokenize_foreach (p, stop - p, state->scratch, id_word_cb, &ids_data);
          if (!count_pairs (job, state))
            return;
        }
      if (invalid > 0 && job->pass == 1)
        {
          if (state->invalid == 0)
            state->first_invalid_line = line;
          state->invalid += invalid;
        }
      p = stop + 1;
      line++;
    }
}

static guint64
count_lines (const char *p,
             const char *end)
{
  guint64 n = 0;

  while ((p = memchr (p, '\n', end - p)) != NULL)
    {
      n++;
      p++;
    }
  return n;
}

static gboolean
run_pass (Job           *job,
          const char    *path,
          GCancellable  *cancellable,
          EsProgressFunc progress,
          gpointer       progress_data,
          double         base,
          GError       **error)
{
  g_autoptr(EsLineSource) source = _es_line_source_open (path, BLOCK_SIZE, error);
  g_autoptr(GError) local_error = NULL;

  if (source == NULL)
    return FALSE;
  while (_es_line_source_next (source, &job->block, &job->len, &job->first_line, &local_error))
    {
      const char *mid;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      mid = memchr (job->block + job->len / 2, '\n', job->len - job->len / 2);
      job->split = mid != NULL ? (gsize) (mid - job->block) + 1 : job->len;
      job->split_line = job->first_line + count_lines (job->block, job->block + job->split);
      _es_sparse_run_parallel (2, block_half, job);
      for (guint i = 0; i < 2; i++)
        if (job->state[i].error != NULL)
          {
            g_propagate_error (error, g_steal_pointer (&job->state[i].error));
            return FALSE;
          }
      if (progress != NULL)
        progress (base + 0.45 * _es_line_source_fraction (source), progress_data);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  char    *word;
  guint64  count;
} WordCount;

static int
compare_words (gconstpointer a,
               gconstpointer b)
{
  const WordCount *x = a, *y = b;

  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return strcmp (x->word, y->word);
}

static guint64
gcd (guint64 a,
     guint64 b)
{
  while (b != 0)
    {
      guint64 t = a % b;
      a = b;
      b = t;
    }
  return a;
}

static void
job_clear (Job *job)
{
  for (guint i = 0; i < 2; i++)
    {
      g_clear_pointer (&job->state[i].counts, g_hash_table_unref);
      if (job->state[i].scratch != NULL)
        g_string_free (job->state[i].scratch, TRUE);
      g_clear_pointer (&job->state[i].ids, g_array_unref);
      _es_pair_map_clear (&job->state[i].pairs);
      g_clear_error (&job->state[i].error);
    }
  g_clear_pointer (&job->vocab, g_hash_table_unref);
}

EsSparseMatrix *
es_cooccur_count (const char              *path,
                  const EsCooccurOptions  *options,
                  GPtrArray               *warnings,
                  GCancellable            *cancellable,
                  EsProgressFunc           progress,
                  gpointer                 progress_data,
                  GError                 **error)
{
  EsCooccurOptions defaults;
  Job job = { 0 };
  g_autoptr(GArray) words = NULL;
  g_autofree guint32 *ri = NULL;
  g_autofree guint32 *ci = NULL;
  g_autofree float *values = NULL;
  g_autoptr(EsSparseMatrix) m = NULL;
  GHashTableIter iter;
  gpointer key, value;
  guint64 scale = 1, tokens, invalid, n_triplets = 0, distinct;
  gsize vocab_size;
  char **labels = NULL;
  EsPairMap *pairs;

  if (options == NULL)
    {
      es_cooccur_options_init (&defaults);
      options = &defaults;
    }
  if (options->window < 1 || options->window > ES_COOCCUR_MAX_WINDOW ||
      (options->distance_weighting && options->window > ES_COOCCUR_MAX_WEIGHTED_WINDOW))
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "The window must be 1 to %u words (%u with distance weighting), not %u",
                   ES_COOCCUR_MAX_WINDOW, ES_COOCCUR_MAX_WEIGHTED_WINDOW, options->window);
      return NULL;
    }

  job.window = options->window;
  for (guint d = 1; options->distance_weighting && d <= job.window; d++)
    scale = scale / gcd (scale, d) * d;
  for (guint d = 1; d <= job.window; d++)
    job.units[d] = options->distance_weighting ? scale / d : 1;

  for (guint i = 0; i < 2; i++)
    {
      job.state[i].counts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
      job.state[i].scratch = g_string_sized_new (64);
    }

  /* Pass 1: the words. */
  job.pass = 1;
  if (!run_pass (&job, path, cancellable, progress, progress_data, 0.0, error))
    goto fail;
  tokens = job.state[0].tokens + job.state[1].tokens;
  invalid = job.state[0].invalid + job.state[1].invalid;
  if (invalid > 0 && warnings != NULL)
    g_ptr_array_add (warnings,
                     g_strdup_printf ("%s:%" G_GUINT64_FORMAT ": invalid UTF-8; %" G_GUINT64_FORMAT
                                      " bytes skipped in all", path,
                                      job.state[0].invalid > 0 ? job.state[0].first_invalid_line
                                                               : job.state[1].first_invalid_line,
                                      invalid));

  g_hash_table_iter_init (&iter, job.state[1].counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Entry *into = g_hash_table_lookup (job.state[0].counts, key);

      if (into != NULL)
        into->count += ((Entry *) value)->count;
      else
        {
          g_hash_table_iter_steal (&iter);
          g_hash_table_insert (job.state[0].counts, key, value);
        }
    }
  g_clear_pointer (&job.state[1].counts, g_hash_table_unref);

  distinct = g_hash_table_size (job.state[0].counts);
  words = g_array_new (FALSE, FALSE, sizeof (WordCount));
  g_hash_table_iter_init (&iter, job.state[0].counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (((Entry *) value)->count >= MAX (options->min_count, 1))
      {
        WordCount wc = { key, ((Entry *) value)->count };
        g_array_append_val (words, wc);
      }
  g_array_sort (words, compare_words);
  if (options->max_vocab > 0 && words->len > options->max_vocab)
    g_array_set_size (words, options->max_vocab);
  vocab_size = words->len;
  if (vocab_size == 0)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_EMPTY,
                   "%s: no word occurs at least %" G_GUINT64_FORMAT " times (%" G_GUINT64_FORMAT
                   " words, %" G_GUINT64_FORMAT " distinct)", path, MAX (options->min_count, 1), tokens, distinct);
      goto fail;
    }
  if (vocab_size > G_MAXUINT32 - 1)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE, "%s: too many words", path);
      goto fail;
    }

  job.vocab = g_hash_table_new (g_str_hash, g_str_equal);
  labels = g_new0 (char *, vocab_size + 1);
  for (gsize i = 0; i < vocab_size; i++)
    {
      WordCount *wc = &g_array_index (words, WordCount, i);

      labels[i] = g_strdup (wc->word);
      g_hash_table_insert (job.vocab, labels[i], GSIZE_TO_POINTER (i + 1));
    }
  g_clear_pointer (&job.state[0].counts, g_hash_table_unref);
  g_clear_pointer (&words, g_array_unref);

  /* Pass 2: the pairs. */
  job.pass = 2;
  for (guint i = 0; i < 2; i++)
    {
      job.state[i].ids = g_array_new (FALSE, FALSE, sizeof (guint32));
      if (!_es_pair_map_init (&job.state[i].pairs, 1 << 16, error))
        goto fail_labels;
    }
  if (!run_pass (&job, path, cancellable, progress, progress_data, 0.45, error))
    goto fail_labels;

  pairs = &job.state[0].pairs;
  for (gsize s = 0; s < job.state[1].pairs.capacity; s++)
    if (job.state[1].pairs.keys[s] != ES_PAIR_MAP_EMPTY &&
        !_es_pair_map_add (pairs, job.state[1].pairs.keys[s], job.state[1].pairs.values[s], error))
      goto fail_labels;
  _es_pair_map_clear (&job.state[1].pairs);

  if (!(ri = es_memory_try_alloc (pairs->size, 2 * sizeof (guint32), "The co-occurrence matrix", error)) ||
      !(ci = es_memory_try_alloc (pairs->size, 2 * sizeof (guint32), "The co-occurrence matrix", error)) ||
      !(values = es_memory_try_alloc (pairs->size, 2 * sizeof (float), "The co-occurrence matrix", error)))
    goto fail_labels;
  for (gsize s = 0; s < pairs->capacity; s++)
    {
      guint64 k = pairs->keys[s];
      guint32 a, b;
      float v;

      if (k == ES_PAIR_MAP_EMPTY)
        continue;
      a = (guint32) (k >> 32);
      b = (guint32) k;
      v = (float) ((double) pairs->values[s] / (double) scale);
      ri[n_triplets] = a;
      ci[n_triplets] = b;
      values[n_triplets++] = a == b ? 2 * v : v;
      if (a != b)
        {
          ri[n_triplets] = b;
          ci[n_triplets] = a;
          values[n_triplets++] = v;
        }
    }
  job_clear (&job);
  if (progress != NULL)
    progress (0.92, progress_data);

  m = es_sparse_matrix_new_from_triplets (vocab_size, vocab_size, ri, ci, values, n_triplets, NULL, error);
  if (m == NULL)
    {
      g_strfreev (labels);
      return NULL;
    }
  es_sparse_matrix_take_row_labels (m, labels);
  es_sparse_matrix_take_col_labels (m, g_strdupv (labels));
  if (progress != NULL)
    progress (1.0, progress_data);

  return g_steal_pointer (&m);

fail_labels:
  g_strfreev (labels);
fail:
  job_clear (&job);
  return NULL;
}
