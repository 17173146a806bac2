/* es-cooccur.c: counting, two passes over the text, two threads per block
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each block of whole lines is cut in two at a line break; each half is
 * tokenised by its own thread into its own tables (word counts in a word
 * table in the first pass; pair keys sorted and reduced into a sorted run
 * in the second, es-pair-sorter.c), merged at the end.  Counts are
 * integers (a 1/d weight is counted in units of 1/lcm(1..window)), so the
 * sums are exact and do not depend on the order or the thread count.
 * Pairs are kept once per unordered pair (i ≤ j), packed as i·2^b + j,
 * and mirrored when the CSR rows are filled, in order, from the sorted run.
 */

#define G_LOG_DOMAIN "es-sparse"

#include "config.h"

#include "es-cooccur.h"

#include "es-engine-error.h"
#include "es-memory.h"
#include "es-cooccur-private.h"
#include "es-sparse-private.h"
#include "es-tokenizer.h"

#include <string.h>

#define BLOCK_SIZE (16u << 20)
/* Pair keys per thread before a sort (32 MB, and twice as much to sort and reduce). */
#define PAIR_BUFFER (1u << 22)

static gsize pair_buffer_keys = PAIR_BUFFER;

void
_es_cooccur_set_pair_buffer (gsize keys)
{
  pair_buffer_keys = keys > 0 ? keys : PAIR_BUFFER;
}

void
es_cooccur_options_init (EsCooccurOptions *options)
{
  memset (options, 0, sizeof *options);
  options->window = 5;
  options->min_count = 5;
}

typedef struct
{
  EsWordTable  words;       /* pass 1: word → count */
  GString     *scratch;
  guint64      invalid;
  guint64      first_invalid_line;
  guint64      tokens;
  GArray      *ids;         /* pass 2: the current line's word ids */
  EsPairSorter pairs;
  GError      *error;
} ThreadState;

typedef struct
{
  const char        *block;
  gsize              len;
  gsize              split;
  guint64            first_line;
  guint64            split_line;
  ThreadState        state[2];
  const EsWordTable *vocab;   /* the vocabulary's words and their ids */
  guint              window;
  guint              key_shift;  /* bits of a word id in a pair key */
  guint              distance_bits;
  guint64            units[ES_COOCCUR_MAX_WINDOW + 1];
  int                pass;
} Job;

static void
count_word_cb (const char *word,
               gsize       len,
               gpointer    user_data)
{
  ThreadState *state = user_data;
  EsWordSlot *slot;

  state->tokens++;
  if (G_UNLIKELY (state->error != NULL))
    return;
  slot = _es_word_table_add (&state->words, word, len, _es_word_hash (word, len), &state->error);
  if (slot != NULL)
    slot->count++;
}

typedef struct
{
  ThreadState       *state;
  const EsWordTable *vocab;
} IdsData;

static void
id_word_cb (const char *word,
            gsize       len,
            gpointer    user_data)
{
  IdsData *data = user_data;
  const EsWordSlot *slot = _es_word_table_find (data->vocab, word, len, _es_word_hash (word, len));

  if (slot != NULL)
    g_array_append_val (data->state->ids, slot->id);
}

static gboolean
count_pairs (Job          *job,
             ThreadState  *state)
{
  const guint32 *ids = (const guint32 *) state->ids->data;
  EsPairSorter *sorter = &state->pairs;
  guint n = state->ids->len, shift = job->key_shift, dbits = job->distance_bits;

  for (guint t = 0; t + 1 < n; t++)
    {
      guint last = MIN (n - 1, t + job->window);
      guint64 a = ids[t];
      guint64 *out;

      if (sorter->fill + job->window > sorter->capacity &&
          !_es_pair_sorter_reserve (sorter, job->window, &state->error))
        return FALSE;
      out = sorter->buffer + sorter->fill;
      for (guint u = t + 1; u <= last; u++)
        {
          guint64 b = ids[u];
          guint64 key = a <= b ? (a << shift) | b : (b << shift) | a;

          *out++ = (key << dbits) | (dbits ? u - t : 0);
        }
      sorter->fill += last - t;
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
        {
          invalid = es_tokenize_foreach (p, stop - p, state->scratch, count_word_cb, state);
          if (state->error != NULL)
            return;
        }
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
  const char *word;
  guint32     len;
  guint64     count;
  EsWordSlot *slot;
} WordCount;

/* Decreasing count, ties by byte order (as strcmp: a prefix first). */
static int
compare_words (gconstpointer a,
               gconstpointer b)
{
  const WordCount *x = a, *y = b;
  int c;

  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  c = memcmp (x->word, y->word, MIN (x->len, y->len));
  if (c != 0)
    return c;
  return x->len < y->len ? -1 : x->len > y->len;
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
      _es_word_table_clear (&job->state[i].words);
      if (job->state[i].scratch != NULL)
        g_string_free (job->state[i].scratch, TRUE);
      job->state[i].scratch = NULL;
      g_clear_pointer (&job->state[i].ids, g_array_unref);
      _es_pair_sorter_clear (&job->state[i].pairs);
      g_clear_error (&job->state[i].error);
    }
}

/* The symmetric CSR matrix from the sorted pairs i ≤ j: row r gets (r, x)
 * for every pair (x, r), x < r, then every pair (r, j), in that order, so
 * a cursor per row fills it sorted.  A diagonal pair counts twice (the
 * word is on both sides).
 */
static EsSparseMatrix *
matrix_from_pairs (const EsPairRun  *pairs,
                   gsize             n,
                   guint             shift,
                   guint64           scale,
                   GError          **error)
{
  g_autoptr(EsSparseMatrix) m = NULL;
  g_autofree guint64 *next = NULL;
  guint64 nnz = 0, low = ((guint64) 1 << shift) - 1;
  guint64 *offsets;
  guint32 *columns;
  float *values;

  for (gsize p = 0; p < pairs->len; p++)
    nnz += (pairs->keys[p] >> shift) == (pairs->keys[p] & low) ? 1 : 2;
  if (!(m = es_sparse_matrix_new (n, n, nnz, error)) ||
      !(next = es_memory_try_alloc0 (n + 1, sizeof (guint64), "The co-occurrence matrix", error)))
    return NULL;
  offsets = es_sparse_matrix_get_offsets_mut (m);
  columns = es_sparse_matrix_get_columns_mut (m);
  values = es_sparse_matrix_get_values_mut (m);
  _es_advise_huge_pages (columns, nnz * sizeof (guint32));
  _es_advise_huge_pages (values, nnz * sizeof (float));
  for (gsize p = 0; p < pairs->len; p++)
    {
      guint64 a = pairs->keys[p] >> shift, b = pairs->keys[p] & low;

      next[a + 1]++;
      if (a != b)
        next[b + 1]++;
    }
  for (gsize i = 0; i < n; i++)
    next[i + 1] += next[i];
  memcpy (offsets, next, (n + 1) * sizeof (guint64));
  for (gsize p = 0; p < pairs->len; p++)
    {
      guint64 a = pairs->keys[p] >> shift, b = pairs->keys[p] & low, q;
      float v = scale == 1 ? (float) pairs->counts[p]
                           : (float) ((double) pairs->counts[p] / (double) scale);

      q = next[a]++;
      columns[q] = (guint32) b;
      values[q] = a == b ? 2 * v : v;
      if (a != b)
        {
          q = next[b]++;
          columns[q] = (guint32) a;
          values[q] = v;
        }
    }
  return g_steal_pointer (&m);
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
  g_autoptr(EsSparseMatrix) m = NULL;
  EsWordTable *table;
  EsWordTable vocab = { 0 };
  EsPairRun pairs = { 0 };
  guint64 scale = 1, tokens, invalid, distinct;
  gsize vocab_size;
  char **labels = NULL;

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
      if (!_es_word_table_init (&job.state[i].words, 1 << 14, error))
        goto fail;
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

  table = &job.state[0].words;
  for (gsize s = 0; s < job.state[1].words.capacity; s++)
    {
      const EsWordSlot *from = &job.state[1].words.slots[s];
      EsWordSlot *into;

      if (from->len == 0)
        continue;
      into = _es_word_table_add (table, job.state[1].words.arena + from->offset, from->len, from->hash, error);
      if (into == NULL)
        goto fail;
      into->count += from->count;
    }
  _es_word_table_clear (&job.state[1].words);

  distinct = table->size;
  words = g_array_new (FALSE, FALSE, sizeof (WordCount));
  for (gsize s = 0; s < table->capacity; s++)
    {
      EsWordSlot *slot = &table->slots[s];

      if (slot->len != 0 && slot->count >= MAX (options->min_count, 1))
        {
          WordCount wc = { table->arena + slot->offset, slot->len, slot->count, slot };
          g_array_append_val (words, wc);
        }
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
  /* A pair key holds two ids of key_shift bits (and a distance of 5). */
  job.key_shift = g_bit_storage (MAX (vocab_size - 1, 1));
  job.distance_bits = options->distance_weighting ? g_bit_storage (ES_COOCCUR_MAX_WEIGHTED_WINDOW) : 0;
  if (vocab_size > G_MAXUINT32 - 1 || 2 * job.key_shift + job.distance_bits > 64)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE, "%s: too many words", path);
      goto fail;
    }

  /* Pass 2 looks words up in a table of the vocabulary alone, small
   * enough to stay in cache.
   */
  labels = g_new0 (char *, vocab_size + 1);
  if (!_es_word_table_init (&vocab, 2 * vocab_size, error))
    goto fail_labels;
  for (gsize i = 0; i < vocab_size; i++)
    {
      WordCount *wc = &g_array_index (words, WordCount, i);
      EsWordSlot *slot;

      labels[i] = g_strndup (wc->word, wc->len);
      if (!(slot = _es_word_table_add (&vocab, wc->word, wc->len, wc->slot->hash, error)))
        goto fail_labels;
      slot->id = (guint32) i;
    }
  g_clear_pointer (&words, g_array_unref);
  _es_word_table_clear (table);
  job.vocab = &vocab;

  /* Pass 2: the pairs. */
  job.pass = 2;
  for (guint i = 0; i < 2; i++)
    {
      job.state[i].ids = g_array_new (FALSE, FALSE, sizeof (guint32));
      /* A thread reads the same lines as in pass 1: at most its tokens ×
       * window pairs, so the buffer starts at that size (no copies as it
       * grows) unless that is over its maximum.
       */
      guint64 expected = job.state[i].tokens * job.window + job.window;

      if (!_es_pair_sorter_init (&job.state[i].pairs, pair_buffer_keys, MIN (expected, G_MAXSIZE),
                                 2 * job.key_shift + job.distance_bits,
                                 job.distance_bits, job.units, error))
        goto fail_labels;
    }
  if (!run_pass (&job, path, cancellable, progress, progress_data, 0.45, error))
    goto fail_labels;
  for (guint i = 0; i < 2; i++)
    {
      if (!_es_pair_sorter_flush (&job.state[i].pairs, error))
        goto fail_labels;
      g_clear_pointer (&job.state[i].pairs.buffer, g_free);
      g_clear_pointer (&job.state[i].pairs.temp, g_free);
      g_clear_pointer (&job.state[i].pairs.run_counts, g_free);
      _es_pair_run_clear (&job.state[i].pairs.spare);
    }
  if (!_es_pair_run_merge (&job.state[0].pairs.acc, &job.state[1].pairs.acc, &pairs, error))
    goto fail_labels;
  job_clear (&job);
  _es_word_table_clear (&vocab);
  if (progress != NULL)
    progress (0.92, progress_data);

  m = matrix_from_pairs (&pairs, vocab_size, job.key_shift, scale, error);
  _es_pair_run_clear (&pairs);
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
  _es_word_table_clear (&vocab);
  return NULL;
}
