/* es-cooccur.c: counting, one pass over the text, two threads per block
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each block of whole lines is cut in two at a line break; each half is
 * tokenised by its own thread into its own word table, and its words are
 * kept as that table's ids (4 bytes a word, a separator after each line),
 * so the text is read and tokenised once.  The tables are merged, the
 * vocabulary chosen, the ids mapped to it (dropping the other words), and
 * the pairs counted from the ids (es-pair-counter.c).  Counts are integers
 * (a 1/d weight is counted in units of 1/lcm(1..window)), so the sums are
 * exact and do not depend on the order or the thread count.
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

/* Pair entries counted per sweep over the rows: 0 lets es-pair-counter.c
 * choose.
 */
static gsize pair_budget = 0;

void
_es_cooccur_set_pair_buffer (gsize keys)
{
  pair_budget = keys;
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
  EsWordTable  words;       /* word → count, in order of first sight */
  EsIdStream   ids;         /* the words as entry indices of words */
  GString     *scratch;
  guint64      invalid;
  guint64      first_invalid_line;
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
} Job;

/* A word → its entry index, appended to the thread's stream; the counts
 * come from the stream afterwards, so the entry is not touched here.
 */
static void
count_word_cb (const char *word,
               gsize       len,
               gpointer    user_data)
{
  ThreadState *state = user_data;
  const GString *scratch = state->scratch;
  gsize readable = len;
  guint64 first8, hash;
  guint32 index;

  if (G_UNLIKELY (state->error != NULL))
    return;
  /* The tokeniser hands out its scratch buffer: 8 bytes may be read in one go. */
  if (word >= scratch->str && word < scratch->str + scratch->allocated_len)
    readable = scratch->allocated_len - (gsize) (word - scratch->str);
  first8 = _es_word_first8 (word, len, readable);
  hash = _es_word_hash (word, len, first8);
  index = _es_word_table_add (&state->words, word, len, first8, hash, &state->error);
  if (index != ES_WORD_TABLE_NONE)
    _es_id_stream_append (&state->ids, index, &state->error);
}

/* Each entry's count, from the stream. */
static void
tally_task (guint    index,
            gpointer data)
{
  ThreadState *state = &((Job *) data)->state[index];
  EsWordEntry *entries = state->words.entries;

  for (gsize i = 0; i < state->ids.len; i++)
    if (state->ids.ids[i] != ES_WORD_TABLE_NONE)
      entries[state->ids.ids[i]].count++;
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

  if (state->error != NULL)
    return;
  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *stop = nl != NULL ? nl : end;
      gsize invalid, before = state->ids.len;

      invalid = es_tokenize_foreach (p, stop - p, state->scratch, count_word_cb, state);
      if (state->error != NULL)
        return;
      /* Pairs never span lines. */
      if (state->ids.len > before && !_es_id_stream_append (&state->ids, ES_WORD_TABLE_NONE, &state->error))
        return;
      if (invalid > 0)
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
        progress (base + 0.6 * _es_line_source_fraction (source), progress_data);
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
  guint32     index;   /* in the merged word table */
  guint64     count;
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
      _es_id_stream_clear (&job->state[i].ids);
      g_clear_error (&job->state[i].error);
    }
}

/* A stream's entry indices → vocabulary ids in place, dropping the words
 * out of it and empty lines.
 */
static void
map_ids (EsIdStream     *stream,
         const guint32  *map)
{
  guint32 *ids = stream->ids;
  gsize o = 0;

  for (gsize i = 0; i < stream->len; i++)
    {
      guint32 x = ids[i];

      if (x == ES_WORD_TABLE_NONE)
        {
          if (o > 0 && ids[o - 1] != ES_WORD_TABLE_NONE)
            ids[o++] = x;
        }
      else if ((x = map[x]) != ES_WORD_TABLE_NONE)
        ids[o++] = x;
    }
  stream->len = o;
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
  g_autofree guint32 *map0 = NULL;
  g_autofree guint32 *map1 = NULL;
  EsWordTable *table;
  guint64 units[ES_COOCCUR_MAX_WINDOW + 1];
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

  for (guint d = 1; options->distance_weighting && d <= options->window; d++)
    scale = scale / gcd (scale, d) * d;
  units[0] = 0;
  for (guint d = 1; d <= options->window; d++)
    units[d] = options->distance_weighting ? scale / d : 1;

  for (guint i = 0; i < 2; i++)
    {
      if (!_es_word_table_init (&job.state[i].words, 1 << 15, error))
        goto fail;
      job.state[i].scratch = g_string_sized_new (64);
    }

  /* The one pass over the text. */
  if (!run_pass (&job, path, cancellable, progress, progress_data, 0.0, error))
    goto fail;
  _es_sparse_run_parallel (2, tally_task, &job);
  tokens = 0;
  for (guint i = 0; i < 2; i++)
    for (gsize e = 0; e < job.state[i].words.size; e++)
      tokens += job.state[i].words.entries[e].count;
  invalid = job.state[0].invalid + job.state[1].invalid;
  if (invalid > 0 && warnings != NULL)
    g_ptr_array_add (warnings,
                     g_strdup_printf ("%s:%" G_GUINT64_FORMAT ": invalid UTF-8; %" G_GUINT64_FORMAT
                                      " bytes skipped in all", path,
                                      job.state[0].invalid > 0 ? job.state[0].first_invalid_line
                                                               : job.state[1].first_invalid_line,
                                      invalid));

  /* Thread 1's words into thread 0's table; map1: its entries there. */
  table = &job.state[0].words;
  if (!(map1 = es_memory_try_alloc (MAX (job.state[1].words.size, 1), sizeof (guint32), "The word table", error)))
    goto fail;
  for (gsize e = 0; e < job.state[1].words.size; e++)
    {
      const EsWordTable *from = &job.state[1].words;
      const EsWordEntry *x = &from->entries[e];
      const char *word = from->arena + x->offset;
      guint32 into = _es_word_table_add (table, word, x->len, _es_word_first8 (word, x->len, x->len), x->hash, error);

      if (into == ES_WORD_TABLE_NONE)
        goto fail;
      table->entries[into].count += x->count;
      map1[e] = into;
    }

  distinct = table->size;
  words = g_array_new (FALSE, FALSE, sizeof (WordCount));
  for (gsize e = 0; e < table->size; e++)
    {
      const EsWordEntry *x = &table->entries[e];

      if (x->count >= MAX (options->min_count, 1))
        {
          WordCount wc = { table->arena + x->offset, x->len, (guint32) e, x->count };
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

  /* map0: the merged table's entries → vocabulary ids; map1 through it. */
  labels = g_new0 (char *, vocab_size + 1);
  if (!(map0 = es_memory_try_alloc (table->size, sizeof (guint32), "The word table", error)))
    goto fail_labels;
  memset (map0, 0xff, table->size * sizeof (guint32));
  for (gsize i = 0; i < vocab_size; i++)
    {
      WordCount *wc = &g_array_index (words, WordCount, i);

      labels[i] = g_strndup (wc->word, wc->len);
      map0[wc->index] = (guint32) i;
    }
  for (gsize e = 0; e < job.state[1].words.size; e++)
    map1[e] = map0[map1[e]];
  g_clear_pointer (&words, g_array_unref);
  for (guint i = 0; i < 2; i++)
    _es_word_table_clear (&job.state[i].words);
  map_ids (&job.state[0].ids, map0);
  map_ids (&job.state[1].ids, map1);
  if (progress != NULL)
    progress (0.65, progress_data);

  {
    EsIdStream streams[2] = { job.state[0].ids, job.state[1].ids };

    m = _es_pair_count (streams, 2, vocab_size, options->window, units, scale, pair_budget,
                        pair_budget == 0, cancellable, error);
  }
  job_clear (&job);
  if (m == NULL)
    goto fail_labels;
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
