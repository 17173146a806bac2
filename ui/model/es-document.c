/* es-document.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one owner of what the user looks at.  Widgets render it and send it
 * commands; they keep no copy.  Every change goes through a transaction so
 * that no signal ever sees half of one (issue 11: a panel's signal used to
 * run between the switch of the file and the switch of the view).
 */

#define G_LOG_DOMAIN "es-document"

#include "config.h"

#include "es-document.h"

#include <string.h>

#define HISTORY_MAX_ENTRIES 100
#define HISTORY_MAX_WORDS   (1u << 20)  /* summed over the entries */

typedef struct
{
  char      *focus_word;
  GPtrArray *selection;   /* words */
  GVariant  *view_state;  /* the window's, or NULL */
} HistoryEntry;

struct _EsDocument
{
  GObject         parent_instance;

  EsEmbeddingSet *set;
  EsEmbeddingSet *view_set;
  EsProjection   *projection;
  EsKmeans       *clusters;    /* of set, or NULL */
  EsCorpusVectors *corpus;     /* the matrix set was computed from, or NULL */
  char           *title;       /* a computed set's name, or NULL */
  GHashTable     *layouts;     /* "VIEW-POINTER KEY" -> CachedLayout */

  gint64          focus;       /* row of view_set, -1 */
  char           *focus_word;
  GArray         *selection;   /* gsize rows of set, sorted, unique */

  guint           depth;       /* open transactions */
  guint           pending;     /* EsDocumentChange flags of this transaction */
  gboolean        restoring;   /* going back or forward: not a new step */

  GVariant       *view_state;  /* what the window shows (method, isolate, filters), or NULL */

  GPtrArray      *history;     /* HistoryEntry, oldest first */
  guint           history_pos; /* the entry that is the current state */
};

G_DEFINE_FINAL_TYPE (EsDocument, es_document, G_TYPE_OBJECT)

typedef struct
{
  EsEmbeddingSet *view_set;  /* held, so its address names it */
  EsProjection   *projection;
} CachedLayout;

static void
cached_layout_free (gpointer data)
{
  CachedLayout *cached = data;

  es_embedding_set_unref (cached->view_set);
  es_projection_unref (cached->projection);
  g_free (cached);
}

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
history_entry_free (gpointer data)
{
  HistoryEntry *entry = data;

  g_free (entry->focus_word);
  g_ptr_array_unref (entry->selection);
  g_clear_pointer (&entry->view_state, g_variant_unref);
  g_free (entry);
}

static HistoryEntry *
snapshot (EsDocument *self)
{
  HistoryEntry *entry = g_new0 (HistoryEntry, 1);

  entry->focus_word = g_strdup (self->focus_word);
  entry->view_state = self->view_state != NULL ? g_variant_ref (self->view_state) : NULL;
  entry->selection = g_ptr_array_new_full (self->selection->len, g_free);
  for (guint i = 0; self->set != NULL && i < self->selection->len; i++)
    g_ptr_array_add (entry->selection,
                     g_strdup (es_embedding_set_get_word (self->set, g_array_index (self->selection, gsize, i))));
  return entry;
}

static gboolean
same_state (const HistoryEntry *a,
            const HistoryEntry *b)
{
  if (g_strcmp0 (a->focus_word, b->focus_word) != 0 || a->selection->len != b->selection->len)
    return FALSE;
  if ((a->view_state == NULL) != (b->view_state == NULL) ||
      (a->view_state != NULL && !g_variant_equal (a->view_state, b->view_state)))
    return FALSE;
  for (guint i = 0; i < a->selection->len; i++)
    if (strcmp (g_ptr_array_index (a->selection, i), g_ptr_array_index (b->selection, i)) != 0)
      return FALSE;
  return TRUE;
}

/* Oldest entries go first when the words they hold add up too much (a
 * select-all of 400k words is one entry, not a hundred).
 */
static void
history_trim (EsDocument *self)
{
  gsize words = 0;
  guint keep_from = 0;

  for (guint i = self->history->len; i > 0; i--)
    {
      HistoryEntry *entry = g_ptr_array_index (self->history, i - 1);

      words += entry->selection->len + 1;
      if (entry->view_state != NULL)
        words += g_variant_get_size (entry->view_state) / 8;
      if (words > HISTORY_MAX_WORDS || self->history->len - (i - 1) > HISTORY_MAX_ENTRIES)
        {
          keep_from = i;
          break;
        }
    }
  keep_from = MIN (keep_from, self->history_pos);
  if (keep_from > 0)
    {
      g_ptr_array_remove_range (self->history, 0, keep_from);
      self->history_pos -= keep_from;
    }
}

static void
history_push (EsDocument *self)
{
  HistoryEntry *entry = snapshot (self);

  if (self->history->len > 0 &&
      same_state (g_ptr_array_index (self->history, self->history_pos), entry))
    {
      history_entry_free (entry);
      return;
    }
  if (self->history_pos + 1 < self->history->len)
    g_ptr_array_remove_range (self->history, self->history_pos + 1,
                              self->history->len - self->history_pos - 1);
  g_ptr_array_add (self->history, entry);
  self->history_pos = self->history->len - 1;

  history_trim (self);
  self->pending |= ES_DOCUMENT_CHANGE_HISTORY;
}

void
es_document_begin (EsDocument *self)
{
  g_return_if_fail (ES_IS_DOCUMENT (self));

  self->depth++;
}

void
es_document_end (EsDocument *self)
{
  guint changes;

  g_return_if_fail (ES_IS_DOCUMENT (self));
  g_return_if_fail (self->depth > 0);

  if (--self->depth > 0)
    return;
  if (!self->restoring &&
      (self->pending & (ES_DOCUMENT_CHANGE_FOCUS | ES_DOCUMENT_CHANGE_SELECTION | ES_DOCUMENT_CHANGE_VIEW)))
    history_push (self);
  changes = self->pending;
  self->pending = 0;
  if (changes != 0)
    {
      /* A handler may start a transaction of its own: it gets its own signal. */
      g_signal_emit (self, signals[CHANGED], 0, changes);
    }
}

static void
set_focus_internal (EsDocument *self,
                    gint64      view_row)
{
  const char *word = NULL;

  if (self->view_set == NULL || view_row < 0 ||
      (guint64) view_row >= es_embedding_set_get_rows (self->view_set))
    view_row = -1;
  if (view_row >= 0)
    word = es_embedding_set_get_word (self->view_set, (gsize) view_row);
  if (view_row == self->focus && g_strcmp0 (word, self->focus_word) == 0)
    return;
  self->focus = view_row;
  g_free (self->focus_word);
  self->focus_word = g_strdup (word);
  self->pending |= ES_DOCUMENT_CHANGE_FOCUS;
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  gsize x = *(const gsize *) a, y = *(const gsize *) b;

  return x < y ? -1 : x > y;
}

/* Sorted, unique, in range. */
static void
normalise_selection (EsDocument *self,
                     GArray     *rows)
{
  gsize n_rows = self->set != NULL ? es_embedding_set_get_rows (self->set) : 0;
  guint out = 0;

  if (rows->len > 1)
    g_array_sort (rows, compare_rows);
  for (guint i = 0; i < rows->len; i++)
    {
      gsize r = g_array_index (rows, gsize, i);

      if (r >= n_rows || (out > 0 && g_array_index (rows, gsize, out - 1) == r))
        continue;
      g_array_index (rows, gsize, out++) = r;
    }
  g_array_set_size (rows, out);
}

static void
take_selection (EsDocument *self,
                GArray     *rows)
{
  normalise_selection (self, rows);
  if (rows->len == self->selection->len &&
      (rows->len == 0 || memcmp (rows->data, self->selection->data, rows->len * sizeof (gsize)) == 0))
    {
      g_array_unref (rows);
      return;
    }
  g_array_unref (self->selection);
  self->selection = rows;
  self->pending |= ES_DOCUMENT_CHANGE_SELECTION;
}

/* Words of @words that @set has, as its rows. */
static GArray *
rows_of_words (EsEmbeddingSet *set,
               GPtrArray      *words)
{
  GArray *rows = g_array_sized_new (FALSE, FALSE, sizeof (gsize), words->len);

  for (guint i = 0; set != NULL && i < words->len; i++)
    {
      gsize row;

      if (es_embedding_set_lookup (set, g_ptr_array_index (words, i), &row))
        g_array_append_val (rows, row);
    }
  return rows;
}

static void
es_document_dispose (GObject *object)
{
  EsDocument *self = ES_DOCUMENT (object);

  g_clear_pointer (&self->clusters, es_kmeans_unref);
  g_clear_pointer (&self->corpus, es_corpus_vectors_unref);
  g_clear_pointer (&self->title, g_free);
  if (self->layouts != NULL)
    g_hash_table_remove_all (self->layouts);
  g_clear_pointer (&self->projection, es_projection_unref);
  g_clear_pointer (&self->view_set, es_embedding_set_unref);
  g_clear_pointer (&self->set, es_embedding_set_unref);

  G_OBJECT_CLASS (es_document_parent_class)->dispose (object);
}

static void
es_document_finalize (GObject *object)
{
  EsDocument *self = ES_DOCUMENT (object);

  g_free (self->focus_word);
  g_array_unref (self->selection);
  g_ptr_array_unref (self->history);
  g_hash_table_unref (self->layouts);
  g_clear_pointer (&self->view_state, g_variant_unref);

  G_OBJECT_CLASS (es_document_parent_class)->finalize (object);
}

static void
es_document_class_init (EsDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = es_document_dispose;
  object_class->finalize = es_document_finalize;

  /* The EsDocumentChange flags of the transaction that just ended. */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
es_document_init (EsDocument *self)
{
  self->focus = -1;
  self->selection = g_array_new (FALSE, FALSE, sizeof (gsize));
  self->history = g_ptr_array_new_with_free_func (history_entry_free);
  self->layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, cached_layout_free);
  g_ptr_array_add (self->history, snapshot (self));
}

EsDocument *
es_document_new (void)
{
  return g_object_new (ES_TYPE_DOCUMENT, NULL);
}

void
es_document_set_data (EsDocument     *self,
                      EsEmbeddingSet *set,
                      EsEmbeddingSet *view_set,
                      EsProjection   *projection)
{
  g_autofree char *word = NULL;
  g_autoptr(GPtrArray) words = NULL;

  g_return_if_fail (ES_IS_DOCUMENT (self));
  g_return_if_fail (set != NULL && view_set != NULL);
  g_return_if_fail (projection == NULL || es_projection_get_rows (projection) == es_embedding_set_get_rows (view_set));

  if (set == self->set && view_set == self->view_set && projection == self->projection)
    return;

  /* A load or an isolate is no step of the focus/selection history (going
   * back restores words, whatever the file).
   */
  self->restoring = TRUE;
  es_document_begin (self);
  /* By word: row numbers of the old file mean nothing in the new one. */
  word = g_strdup (self->focus_word);
  words = g_ptr_array_new_with_free_func (g_free);
  if (set != self->set)
    for (guint i = 0; self->set != NULL && i < self->selection->len; i++)
      g_ptr_array_add (words, g_strdup (es_embedding_set_get_word (self->set,
                                                                   g_array_index (self->selection, gsize, i))));

  if (projection != NULL)
    es_projection_ref (projection);
  g_clear_pointer (&self->projection, es_projection_unref);
  self->projection = projection;
  if (view_set != self->view_set)
    {
      es_embedding_set_ref (view_set);
      g_clear_pointer (&self->view_set, es_embedding_set_unref);
      self->view_set = view_set;
    }
  if (set != self->set)
    {
      es_embedding_set_ref (set);
      g_clear_pointer (&self->set, es_embedding_set_unref);
      self->set = set;
      take_selection (self, rows_of_words (set, words));
      g_hash_table_remove_all (self->layouts);
      /* A corpus and a title belong to the set they came with. */
      g_clear_pointer (&self->corpus, es_corpus_vectors_unref);
      g_clear_pointer (&self->title, g_free);
      if (self->clusters != NULL)
        {
          g_clear_pointer (&self->clusters, es_kmeans_unref);
          self->pending |= ES_DOCUMENT_CHANGE_CLUSTERS;
        }
      /* The same words, other rows: still a change for whoever draws rows. */
      self->pending |= ES_DOCUMENT_CHANGE_SELECTION;
    }
  self->pending |= ES_DOCUMENT_CHANGE_DATA;

  {
    gsize row;

    self->focus = -2;  /* force: the row may be the same number in another set */
    if (word != NULL && es_embedding_set_lookup (view_set, word, &row))
      set_focus_internal (self, (gint64) row);
    else
      set_focus_internal (self, -1);
  }
  es_document_end (self);
  self->restoring = FALSE;
}

EsEmbeddingSet *
es_document_get_set (EsDocument *self)
{
  g_return_val_if_fail (ES_IS_DOCUMENT (self), NULL);

  return self->set;
}

EsEmbeddingSet *
es_document_get_view_set (EsDocument *self)
{
  g_return_val_if_fail (ES_IS_DOCUMENT (self), NULL);

  return self->view_set;
}

EsProjection *
es_document_get_projection (EsDocument *self)
{
  g_return_val_if_fail (ES_IS_DOCUMENT (self), NULL);

  return self->projection;
}

void
es_document_set_focus (EsDocument *self,
                       gint64      view_row)
{
  g_return_if_fail (ES_IS_DOCUMENT (self));

  es_document_begin (self);
  set_focus_internal (self, view_row);
  es_document_end (self);
}

gboolean
es_document_set_focus_word (EsDocument *self,
                            const char *word)
{
  gsize row;

  g_return_val_if_fail (ES_IS_DOCUMENT (self), FALSE);

  if (word == NULL || self->view_set == NULL || !es_embedding_set_lookup (self->view_set, word, &row))
    return FALSE;
  es_document_set_focus (self, (gint64) row);
  return TRUE;
}

gint64
es_document_get_focus (EsDocument *self)
{
  g_return_val_if_fail (ES_IS_DOCUMENT (self), -1);

  return self->focus;
}

const char *
es_document_get_focus_word (EsDocument *self)
{
  g_return_val_if_fail (ES_IS_DOCUMENT (self), NULL);

  return self->focus_word;
}

void
es_document_select_rows (EsDocument   *self,
                         const gsize  *rows,
                         gsize         n_rows,
                         EsSelectMode  mode)
{
  GArray *next;

  g_return_if_fail (ES_IS_DOCUMENT (self));
  g_return_if_fail (rows != NULL || n_rows == 0);

  es_document_begin (self);
  switch (mode)
    {
    case ES_SELECT_ADD:
      next = g_array_sized_new (FALSE, FALSE, sizeof (gsize), self->selection->len + n_rows);
      g_array_append_vals (next, self->selection->data, self->selection->len);
      if (n_rows > 0)
        g_array_append_vals (next, rows, n_rows);
      break;

    case ES_SELECT_SUBTRACT:
      {
        g_autoptr(GArray) drop = g_array_sized_new (FALSE, FALSE, sizeof (gsize), n_rows);

        /* qsort and bsearch want a real array, even of length 0. */
        if (n_rows > 0)
          {
            g_array_append_vals (drop, rows, n_rows);
            g_array_sort (drop, compare_rows);
          }
        next = g_array_sized_new (FALSE, FALSE, sizeof (gsize), self->selection->len);
        for (guint i = 0; i < self->selection->len; i++)
          {
            gsize r = g_array_index (self->selection, gsize, i);

            if (drop->len == 0 ||
                bsearch (&r, drop->data, drop->len, sizeof (gsize), compare_rows) == NULL)
              g_array_append_val (next, r);
          }
      }
      break;

    case ES_SELECT_REPLACE:
    default:
      next = g_array_sized_new (FALSE, FALSE, sizeof (gsize), n_rows);
      if (n_rows > 0)
        g_array_append_vals (next, rows, n_rows);
      break;
    }
  take_selection (self, next);
  es_document_end (self);
}

void
es_document_clear_selection (EsDocument *self)
{
  g_return_if_fail (ES_IS_DOCUMENT (self));

  es_document_select_rows (self, NULL, 0, ES_SELECT_REPLACE);
}

const gsize *
es_document_get_selection (EsDocument *self,
                           gsize      *n_rows)
{
  g_return_val_if_fail (ES_IS_DOCUMENT (self), NULL);

  if (n_rows != NULL)
    *n_rows = self->selection->len;
  return (const gsize *) (gpointer) self->selection->data;
}

gboolean
es_document_is_selected (EsDocument *self,
                         gsize       row)
{
  g_return_val_if_fail (ES_IS_DOCUMENT (self), FALSE);

  return self->selection->len > 0 &&
         bsearch (&row, self->selection->data, self->selection->len, sizeof (gsize), compare_rows) != NULL;
}

gboolean
es_document_can_go_back (EsDocument *self)
{
  g_return_val_if_fail (ES_IS_DOCUMENT (self), FALSE);

  return self->history_pos > 0;
}

gboolean
es_document_can_go_forward (EsDocument *self)
{
  g_return_val_if_fail (ES_IS_DOCUMENT (self), FALSE);

  return self->history_pos + 1 < self->history->len;
}

static void
restore (EsDocument *self,
         guint       pos)
{
  HistoryEntry *entry = g_ptr_array_index (self->history, pos);
  gsize row;

  self->history_pos = pos;
  self->restoring = TRUE;
  es_document_begin (self);
  if (entry->focus_word != NULL && self->view_set != NULL &&
      es_embedding_set_lookup (self->view_set, entry->focus_word, &row))
    set_focus_internal (self, (gint64) row);
  else
    set_focus_internal (self, -1);
  take_selection (self, rows_of_words (self->set, entry->selection));
  if ((entry->view_state == NULL) != (self->view_state == NULL) ||
      (entry->view_state != NULL && !g_variant_equal (entry->view_state, self->view_state)))
    {
      g_clear_pointer (&self->view_state, g_variant_unref);
      self->view_state = entry->view_state != NULL ? g_variant_ref (entry->view_state) : NULL;
      self->pending |= ES_DOCUMENT_CHANGE_VIEW | ES_DOCUMENT_CHANGE_VIEW_RESTORED;
    }
  self->pending |= ES_DOCUMENT_CHANGE_HISTORY;
  es_document_end (self);
  self->restoring = FALSE;
}

void
es_document_set_view_state (EsDocument *self,
                            GVariant   *state)
{
  g_autoptr(GVariant) sunk = NULL;

  g_return_if_fail (ES_IS_DOCUMENT (self));

  if (state != NULL)
    sunk = g_variant_ref_sink (state);
  if ((sunk == NULL && self->view_state == NULL) ||
      (sunk != NULL && self->view_state != NULL && g_variant_equal (sunk, self->view_state)))
    return;
  es_document_begin (self);
  g_clear_pointer (&self->view_state, g_variant_unref);
  self->view_state = sunk != NULL ? g_variant_ref (sunk) : NULL;
  self->pending |= ES_DOCUMENT_CHANGE_VIEW;
  es_document_end (self);
}

GVariant *
es_document_get_view_state (EsDocument *self)
{
  g_return_val_if_fail (ES_IS_DOCUMENT (self), NULL);

  return self->view_state;
}

gboolean
es_document_go_back (EsDocument *self)
{
  g_return_val_if_fail (ES_IS_DOCUMENT (self), FALSE);

  if (self->history_pos == 0 || self->depth > 0)
    return FALSE;
  restore (self, self->history_pos - 1);
  return TRUE;
}

gboolean
es_document_go_forward (EsDocument *self)
{
  g_return_val_if_fail (ES_IS_DOCUMENT (self), FALSE);

  if (self->history_pos + 1 >= self->history->len || self->depth > 0)
    return FALSE;
  restore (self, self->history_pos + 1);
  return TRUE;
}

void
es_document_set_clusters (EsDocument *self,
                          EsKmeans   *clusters)
{
  g_return_if_fail (ES_IS_DOCUMENT (self));
  g_return_if_fail (clusters == NULL ||
                    (self->set != NULL && es_kmeans_get_rows (clusters) == es_embedding_set_get_rows (self->set)));

  if (clusters == self->clusters)
    return;
  es_document_begin (self);
  if (clusters != NULL)
    es_kmeans_ref (clusters);
  g_clear_pointer (&self->clusters, es_kmeans_unref);
  self->clusters = clusters;
  self->pending |= ES_DOCUMENT_CHANGE_CLUSTERS;
  es_document_end (self);
}

EsKmeans *
es_document_get_clusters (EsDocument *self)
{
  g_return_val_if_fail (ES_IS_DOCUMENT (self), NULL);

  return self->clusters;
}

void
es_document_set_corpus (EsDocument      *self,
                        EsCorpusVectors *corpus,
                        const char      *title)
{
  g_return_if_fail (ES_IS_DOCUMENT (self));

  if (corpus != NULL)
    es_corpus_vectors_ref (corpus);
  g_clear_pointer (&self->corpus, es_corpus_vectors_unref);
  self->corpus = corpus;
  g_free (self->title);
  self->title = g_strdup (title);
  self->pending |= ES_DOCUMENT_CHANGE_DATA;
  if (self->depth == 0)
    {
      es_document_begin (self);
      es_document_end (self);
    }
}

EsCorpusVectors *
es_document_get_corpus (EsDocument *self)
{
  g_return_val_if_fail (ES_IS_DOCUMENT (self), NULL);

  return self->corpus;
}

const char *
es_document_get_title (EsDocument *self)
{
  g_return_val_if_fail (ES_IS_DOCUMENT (self), NULL);

  return self->title;
}

static char *
layout_key (EsEmbeddingSet *view_set,
            const char     *key)
{
  return g_strdup_printf ("%p %s", (void *) view_set, key);
}

void
es_document_cache_layout (EsDocument     *self,
                          EsEmbeddingSet *view_set,
                          const char     *key,
                          EsProjection   *projection)
{
  CachedLayout *cached;

  g_return_if_fail (ES_IS_DOCUMENT (self));
  g_return_if_fail (view_set != NULL && key != NULL && projection != NULL);

  /* Only views of the current file: others would outlive their file. */
  if (self->set == NULL || (view_set != self->set && view_set != self->view_set))
    return;
  cached = g_new0 (CachedLayout, 1);
  cached->view_set = es_embedding_set_ref (view_set);
  cached->projection = es_projection_ref (projection);
  g_hash_table_replace (self->layouts, layout_key (view_set, key), cached);
}

EsProjection *
es_document_lookup_layout (EsDocument     *self,
                           EsEmbeddingSet *view_set,
                           const char     *key)
{
  g_autofree char *full = NULL;
  CachedLayout *cached;

  g_return_val_if_fail (ES_IS_DOCUMENT (self), NULL);

  if (view_set == NULL || key == NULL)
    return NULL;
  full = layout_key (view_set, key);
  cached = g_hash_table_lookup (self->layouts, full);
  return cached != NULL && cached->view_set == view_set ? cached->projection : NULL;
}

gboolean
es_document_check (EsDocument  *self,
                   char       **message)
{
  gsize rows = self->set != NULL ? es_embedding_set_get_rows (self->set) : 0;
  gsize view_rows = self->view_set != NULL ? es_embedding_set_get_rows (self->view_set) : 0;

#define FAIL(...) G_STMT_START { if (message) *message = g_strdup_printf (__VA_ARGS__); return FALSE; } G_STMT_END

  if ((self->set == NULL) != (self->view_set == NULL))
    FAIL ("a set without a view or a view without a set");
  if (self->projection != NULL && es_projection_get_rows (self->projection) != view_rows)
    FAIL ("the projection has %" G_GSIZE_FORMAT " rows, the view %" G_GSIZE_FORMAT,
          es_projection_get_rows (self->projection), view_rows);
  if (self->focus < -1 || (self->focus >= 0 && (guint64) self->focus >= view_rows))
    FAIL ("focus %" G_GINT64_FORMAT " outside the view's %" G_GSIZE_FORMAT " rows", self->focus, view_rows);
  if ((self->focus >= 0) != (self->focus_word != NULL))
    FAIL ("focus %" G_GINT64_FORMAT " with word %s", self->focus, self->focus_word ? self->focus_word : "(none)");
  if (self->focus >= 0 && strcmp (self->focus_word, es_embedding_set_get_word (self->view_set, (gsize) self->focus)) != 0)
    FAIL ("focus word %s is not row %" G_GINT64_FORMAT "'s word", self->focus_word, self->focus);
  for (guint i = 0; i < self->selection->len; i++)
    {
      gsize r = g_array_index (self->selection, gsize, i);

      if (r >= rows)
        FAIL ("selected row %" G_GSIZE_FORMAT " outside the set's %" G_GSIZE_FORMAT " rows", r, rows);
      if (i > 0 && g_array_index (self->selection, gsize, i - 1) >= r)
        FAIL ("selection not sorted and unique at %u", i);
    }
  if (self->clusters != NULL && es_kmeans_get_rows (self->clusters) != rows)
    FAIL ("clusters of %" G_GSIZE_FORMAT " rows on a set of %" G_GSIZE_FORMAT,
          es_kmeans_get_rows (self->clusters), rows);
  if (self->history_pos >= self->history->len)
    FAIL ("history position %u of %u", self->history_pos, self->history->len);
  if (self->depth != 0)
    FAIL ("%u transactions open", self->depth);
#undef FAIL
  return TRUE;
}
