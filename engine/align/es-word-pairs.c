/* es-word-pairs.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-align"

#include "config.h"

#include "es-word-pairs.h"

#include <string.h>

#include "es-engine-error.h"
#include "es-memory.h"

struct _EsWordPairs
{
  gsize  n;
  gsize *rows_a;
  gsize *rows_b;
  gsize  only_a;
  gsize  only_b;
  gsize  invalid;
};

static EsWordPairs *
pairs_alloc (gsize    n,
             GError **error)
{
  g_autoptr(EsWordPairs) self = g_new0 (EsWordPairs, 1);

  if (!(self->rows_a = es_memory_try_alloc (n, sizeof (gsize), "the word pairs", error)) ||
      !(self->rows_b = es_memory_try_alloc (n, sizeof (gsize), "the word pairs", error)))
    return NULL;

  return g_steal_pointer (&self);
}

EsWordPairs *
es_word_pairs_new (const gsize *rows_a,
                   const gsize *rows_b,
                   gsize        n)
{
  EsWordPairs *self = g_new0 (EsWordPairs, 1);

  self->n = n;
  self->rows_a = g_memdup2 (rows_a, MAX (n, 1) * sizeof (gsize));
  self->rows_b = g_memdup2 (rows_b, MAX (n, 1) * sizeof (gsize));

  return self;
}

void
es_word_pairs_free (EsWordPairs *self)
{
  if (self == NULL)
    return;
  g_free (self->rows_a);
  g_free (self->rows_b);
  g_free (self);
}

EsWordPairs *
es_word_pairs_new_shared (EsEmbeddingSet  *a,
                          EsEmbeddingSet  *b,
                          GCancellable    *cancellable,
                          GError         **error)
{
  gsize rows_a = es_embedding_set_get_rows (a);
  gsize rows_b = es_embedding_set_get_rows (b);
  const EsVocabulary *vocab_b = es_embedding_set_get_vocabulary (b);
  g_autoptr(EsWordPairs) self = NULL;
  gsize valid_b = 0;

  g_return_val_if_fail (a != NULL && b != NULL, NULL);

  if (!(self = pairs_alloc (MIN (rows_a, rows_b), error)))
    return NULL;

  for (gsize i = 0; i < rows_a; i++)
    {
      gsize len, j;
      const char *word;

      if (i % 65536 == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (!es_embedding_set_is_row_valid (a, i))
        {
          self->invalid++;
          continue;
        }
      word = es_embedding_set_get_word (a, i);
      len = es_embedding_set_get_word_len (a, i);
      if (!es_vocabulary_lookup (vocab_b, word, len, &j))
        {
          self->only_a++;
          continue;
        }
      if (!es_embedding_set_is_row_valid (b, j))
        {
          self->only_a++;
          continue;
        }
      self->rows_a[self->n] = i;
      self->rows_b[self->n] = j;
      self->n++;
    }
  for (gsize j = 0; j < rows_b; j++)
    valid_b += es_embedding_set_is_row_valid (b, j);
  self->invalid += rows_b - valid_b;
  self->only_b = valid_b - self->n;

  return g_steal_pointer (&self);
}

/* "word" or "a<TAB>b" or "a b": FALSE when the line has no usable word. */
static gboolean
split_line (char  *line,
            char **word_a,
            char **word_b)
{
  char *sep;

  g_strchomp (line);
  while (*line == ' ')
    line++;
  if (*line == '\0' || *line == '#')
    return FALSE;
  if ((sep = strchr (line, '\t')) != NULL || (sep = strchr (line, ' ')) != NULL)
    {
      *sep = '\0';
      *word_a = line;
      *word_b = sep + 1;
      while (**word_b == ' ' || **word_b == '\t')
        (*word_b)++;
      if (**word_b == '\0')
        *word_b = line;
    }
  else
    *word_a = *word_b = line;

  return TRUE;
}

EsWordPairs *
es_word_pairs_new_from_file (EsEmbeddingSet  *a,
                             EsEmbeddingSet  *b,
                             const char      *path,
                             GError         **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GArray) ra = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(GArray) rb = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autofree gint64 *keys = NULL;
  gsize len, n_missing = 0, line_no = 0, n_lines = 0;
  char *p, *next;

  g_return_val_if_fail (a != NULL && b != NULL && path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_FAILED, "%s", local_error->message);
      return NULL;
    }
  if (memchr (contents, '\0', len) != NULL)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_FORMAT,
                   "%s: an anchor list is text, one pair per line (found a NUL byte)", path);
      return NULL;
    }
  for (gsize i = 0; i < len; i++)
    n_lines += contents[i] == '\n';
  keys = g_new (gint64, n_lines + 1);

  for (p = contents; p != NULL && *p != '\0'; p = next)
    {
      char *word_a, *word_b;
      gsize row_a, row_b;
      gboolean has_a, has_b;

      next = strchr (p, '\n');
      if (next != NULL)
        *next++ = '\0';
      line_no++;
      if (!split_line (p, &word_a, &word_b))
        continue;
      has_a = es_embedding_set_lookup (a, word_a, &row_a) && es_embedding_set_is_row_valid (a, row_a);
      has_b = es_embedding_set_lookup (b, word_b, &row_b) && es_embedding_set_is_row_valid (b, row_b);
      if (!has_a || !has_b)
        {
          if (n_missing < 10)
            g_string_append_printf (missing, "%s“%s” (line %" G_GSIZE_FORMAT ", %s)",
                                    n_missing > 0 ? ", " : "", !has_a ? word_a : word_b, line_no,
                                    !has_a && !has_b ? "in neither" : !has_a ? "not in A" : "not in B");
          n_missing++;
          continue;
        }
      keys[ra->len] = (gint64) row_a * (gint64) es_embedding_set_get_rows (b) + (gint64) row_b;
      if (g_hash_table_contains (seen, &keys[ra->len]))
        continue;
      g_hash_table_add (seen, &keys[ra->len]);
      g_array_append_val (ra, row_a);
      g_array_append_val (rb, row_b);
    }

  if (n_missing > 0)
    {
      if (n_missing > 10)
        g_string_append_printf (missing, " and %" G_GSIZE_FORMAT " more", n_missing - 10);
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_UNKNOWN_WORD,
                   "%s: %" G_GSIZE_FORMAT " anchor word%s missing: %s", path, n_missing,
                   n_missing == 1 ? " is" : "s are", missing->str);
      return NULL;
    }
  if (ra->len == 0)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_EMPTY, "%s: no anchor pairs", path);
      return NULL;
    }

  return es_word_pairs_new ((const gsize *) ra->data, (const gsize *) rb->data, ra->len);
}

gsize
es_word_pairs_get_n (const EsWordPairs *self)
{
  return self->n;
}

const gsize *
es_word_pairs_get_rows_a (const EsWordPairs *self)
{
  return self->rows_a;
}

const gsize *
es_word_pairs_get_rows_b (const EsWordPairs *self)
{
  return self->rows_b;
}

gsize
es_word_pairs_get_only_a (const EsWordPairs *self)
{
  return self->only_a;
}

gsize
es_word_pairs_get_only_b (const EsWordPairs *self)
{
  return self->only_b;
}

gsize
es_word_pairs_get_invalid (const EsWordPairs *self)
{
  return self->invalid;
}

void
es_word_pairs_split (const EsWordPairs  *self,
                     double              fraction,
                     guint64             seed,
                     EsWordPairs       **fit,
                     EsWordPairs       **held_out)
{
  g_autofree gsize *order = g_new (gsize, MAX (self->n, 1));
  g_autofree guint8 *hold = g_new0 (guint8, MAX (self->n, 1));
  gsize n_hold = (gsize) (fraction * self->n + 0.5);
  GRand *rand = g_rand_new_with_seed_array ((const guint32 *) &seed, 2);
  EsWordPairs *f = g_new0 (EsWordPairs, 1), *h = g_new0 (EsWordPairs, 1);

  g_return_if_fail (fraction >= 0 && fraction < 1);

  for (gsize i = 0; i < self->n; i++)
    order[i] = i;
  /* Fisher–Yates; only the first n_hold places matter. */
  for (gsize i = 0; i < n_hold; i++)
    {
      gsize j = i + (gsize) (g_rand_double (rand) * (self->n - i));
      gsize t = order[i];

      order[i] = order[MIN (j, self->n - 1)];
      order[MIN (j, self->n - 1)] = t;
      hold[order[i]] = 1;
    }
  g_rand_free (rand);

  f->rows_a = g_new (gsize, MAX (self->n - n_hold, 1));
  f->rows_b = g_new (gsize, MAX (self->n - n_hold, 1));
  h->rows_a = g_new (gsize, MAX (n_hold, 1));
  h->rows_b = g_new (gsize, MAX (n_hold, 1));
  for (gsize i = 0; i < self->n; i++)
    {
      EsWordPairs *to = hold[i] ? h : f;

      to->rows_a[to->n] = self->rows_a[i];
      to->rows_b[to->n] = self->rows_b[i];
      to->n++;
    }
  *fit = f;
  *held_out = h;
}
