/* test-document.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EsDocument against a reference model written here: seeded random
 * sequences of user actions (open a file of another vocabulary, isolate,
 * show all, focus a word, box-select with Shift/Ctrl, clear, back,
 * forward, several changes in one transaction), with the invariants
 * checked after every step and at every "changed" signal.  A failure
 * prints the seed and the last steps; rerun with --seed.
 */

#define G_LOG_DOMAIN "test-document"

#include "config.h"

#include <string.h>

#include "es-document.h"
#include "es-engine.h"

#define N_FILES 4

/* ---- the reference model: words only, no rows ---- */

typedef struct
{
  char       *focus;      /* word or NULL */
  GHashTable *selection;  /* word set */
} RefState;

static void
ref_state_free (gpointer data)
{
  RefState *s = data;

  g_free (s->focus);
  g_hash_table_unref (s->selection);
  g_free (s);
}

static RefState *
ref_state_copy (const RefState *s)
{
  RefState *c = g_new0 (RefState, 1);
  GHashTableIter iter;
  gpointer key;

  c->focus = g_strdup (s->focus);
  c->selection = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_iter_init (&iter, s->selection);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (c->selection, g_strdup (key));
  return c;
}

static gboolean
ref_state_equal (const RefState *a,
                 const RefState *b)
{
  GHashTableIter iter;
  gpointer key;

  if (g_strcmp0 (a->focus, b->focus) != 0 || g_hash_table_size (a->selection) != g_hash_table_size (b->selection))
    return FALSE;
  g_hash_table_iter_init (&iter, a->selection);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (b->selection, key))
      return FALSE;
  return TRUE;
}

typedef struct
{
  GPtrArray      *history;  /* RefState */
  guint           pos;
  RefState       *now;
  EsEmbeddingSet *set;
  EsEmbeddingSet *view;
} Ref;

/* A step is an action that changed the focus or the selection, recorded
 * unless it ends where the current history entry already is.
 */
static void
ref_commit (Ref            *ref,
            const RefState *before)
{
  RefState *top = g_ptr_array_index (ref->history, ref->pos);

  if (ref_state_equal (before, ref->now) || ref_state_equal (top, ref->now))
    return;
  if (ref->pos + 1 < ref->history->len)
    g_ptr_array_remove_range (ref->history, ref->pos + 1, ref->history->len - ref->pos - 1);
  g_ptr_array_add (ref->history, ref_state_copy (ref->now));
  ref->pos = ref->history->len - 1;
  /* The document keeps the last 100 steps. */
  if (ref->history->len > 100)
    {
      g_ptr_array_remove_range (ref->history, 0, ref->history->len - 100);
      ref->pos = ref->history->len - 1;
    }
}

/* What survives in @set (focus: in @view). */
static void
ref_restrict (Ref *ref)
{
  GHashTableIter iter;
  gpointer key;
  gsize row;

  if (ref->now->focus != NULL && !es_embedding_set_lookup (ref->view, ref->now->focus, &row))
    g_clear_pointer (&ref->now->focus, g_free);
  g_hash_table_iter_init (&iter, ref->now->selection);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!es_embedding_set_lookup (ref->set, key, &row))
      g_hash_table_iter_remove (&iter);
}

/* ---- the fixture: small files with overlapping vocabularies ---- */

typedef struct
{
  EsEmbeddingSet *files[N_FILES];
  GString        *log;
  guint           signals;
  gboolean        checked_in_signal;
} Fixture;

static EsEmbeddingSet *
make_file (guint index,
           GRand *rand)
{
  /* File i holds words w{100 i / 2} .. : neighbours share half their words. */
  gsize rows = 40 + 30 * index;
  gsize dims = 6;
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autofree float *data = g_new (float, rows * dims);

  for (gsize r = 0; r < rows; r++)
    g_ptr_array_add (words, g_strdup_printf ("w%" G_GSIZE_FORMAT, r + 25 * index));
  g_ptr_array_add (words, NULL);
  for (gsize i = 0; i < rows * dims; i++)
    data[i] = (float) g_rand_double_range (rand, -1, 1);
  return es_embedding_set_new_from_arrays (rows, dims, (const char * const *) words->pdata, data);
}

static EsProjection *
project (EsEmbeddingSet *set)
{
  EsProjectionOptions options;
  g_autoptr(GError) error = NULL;
  EsProjection *projection;

  es_projection_options_init (&options);
  options.n_components = 2;
  projection = es_projection_compute (set, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return projection;
}

static void
changed_cb (EsDocument *document,
            guint       changes,
            Fixture    *f)
{
  g_autofree char *message = NULL;

  f->signals++;
  /* Consistent at every signal, not only between steps. */
  if (!es_document_check (document, &message))
    g_error ("inconsistent at a signal: %s\nlast steps:\n%s", message, f->log->str);
  f->checked_in_signal = TRUE;
}

static void
check_against (EsDocument *doc,
               Ref        *ref,
               Fixture    *f,
               guint64     seed)
{
  g_autofree char *message = NULL;
  gsize n;
  const gsize *rows;

  if (!es_document_check (doc, &message))
    g_error ("seed %" G_GUINT64_FORMAT ": %s\nlast steps:\n%s", seed, message, f->log->str);
  if (g_strcmp0 (es_document_get_focus_word (doc), ref->now->focus) != 0)
    g_error ("seed %" G_GUINT64_FORMAT ": focus %s, reference %s\nlast steps:\n%s", seed,
             es_document_get_focus_word (doc), ref->now->focus, f->log->str);
  rows = es_document_get_selection (doc, &n);
  if (n != g_hash_table_size (ref->now->selection))
    g_error ("seed %" G_GUINT64_FORMAT ": %" G_GSIZE_FORMAT " selected, reference %u\nlast steps:\n%s",
             seed, n, g_hash_table_size (ref->now->selection), f->log->str);
  for (gsize i = 0; i < n; i++)
    if (!g_hash_table_contains (ref->now->selection, es_embedding_set_get_word (es_document_get_set (doc), rows[i])))
      g_error ("seed %" G_GUINT64_FORMAT ": %s selected, not in the reference\nlast steps:\n%s", seed,
               es_embedding_set_get_word (es_document_get_set (doc), rows[i]), f->log->str);
  if (es_document_can_go_back (doc) != (ref->pos > 0) ||
      es_document_can_go_forward (doc) != (ref->pos + 1 < ref->history->len))
    g_error ("seed %" G_GUINT64_FORMAT ": back/forward %d/%d, reference %d/%d\nlast steps:\n%s", seed,
             es_document_can_go_back (doc), es_document_can_go_forward (doc),
             ref->pos > 0, ref->pos + 1 < ref->history->len, f->log->str);
}

static void
logf_step (Fixture    *f,
           const char *format,
           ...) G_GNUC_PRINTF (2, 3);

static void
logf_step (Fixture    *f,
           const char *format,
           ...)
{
  va_list args;

  /* The last ~40 steps are enough to replay by hand. */
  if (f->log->len > 4000)
    g_string_erase (f->log, 0, f->log->len - 2000);
  va_start (args, format);
  g_string_append_vprintf (f->log, format, args);
  va_end (args);
  g_string_append_c (f->log, '\n');
}

static void
random_rows (GRand  *rand,
             gsize   n_rows,
             GArray *out)
{
  guint n = g_rand_int_range (rand, 0, 12);

  g_array_set_size (out, 0);
  for (guint i = 0; i < n; i++)
    {
      /* Now and then a row past the end: the document must drop it. */
      gsize r = g_rand_int_range (rand, 0, (gint32) n_rows + 3);

      g_array_append_val (out, r);
    }
}

static void
select_in_ref (Ref          *ref,
               EsEmbeddingSet *set,
               GArray       *rows,
               EsSelectMode  mode)
{
  if (mode == ES_SELECT_REPLACE)
    g_hash_table_remove_all (ref->now->selection);
  for (guint i = 0; i < rows->len; i++)
    {
      gsize r = g_array_index (rows, gsize, i);
      const char *word;

      if (r >= es_embedding_set_get_rows (set))
        continue;
      word = es_embedding_set_get_word (set, r);
      if (mode == ES_SELECT_SUBTRACT)
        g_hash_table_remove (ref->now->selection, word);
      else
        g_hash_table_add (ref->now->selection, g_strdup (word));
    }
}

static void
run_sequence (Fixture *f,
              guint64  seed,
              guint    steps)
{
  g_autoptr(EsDocument) doc = es_document_new ();
  GRand *rand = g_rand_new_with_seed ((guint32) seed);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (gsize));
  Ref ref = { 0 };
  g_autoptr(EsProjection) first = NULL;

  ref.history = g_ptr_array_new_with_free_func (ref_state_free);
  ref.now = g_new0 (RefState, 1);
  ref.now->selection = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_ptr_array_add (ref.history, ref_state_copy (ref.now));
  g_signal_connect (doc, "changed", G_CALLBACK (changed_cb), f);

  first = project (f->files[0]);
  es_document_set_data (doc, f->files[0], f->files[0], first);
  ref.set = ref.view = f->files[0];
  g_string_truncate (f->log, 0);

  for (guint step = 0; step < steps; step++)
    {
      EsEmbeddingSet *set = es_document_get_set (doc);
      EsEmbeddingSet *view = es_document_get_view_set (doc);
      guint action = g_rand_int_range (rand, 0, 100);
      gboolean commit = TRUE;
      RefState *before = ref_state_copy (ref.now);

      if (action < 6)
        {
          /* Open another file (maybe the same one again). */
          guint i = g_rand_int_range (rand, 0, N_FILES);
          g_autoptr(EsProjection) projection = project (f->files[i]);

          logf_step (f, "%u: open file %u", step, i);
          es_document_set_data (doc, f->files[i], f->files[i], projection);
          ref.set = ref.view = f->files[i];
          ref_restrict (&ref);
          commit = FALSE;   /* a load is no step of the selection history */
        }
      else if (action < 10)
        {
          /* Isolate: a subset of the file as the view. */
          g_autoptr(EsEmbeddingSet) subset = NULL;
          g_autoptr(EsProjection) projection = NULL;

          random_rows (rand, es_embedding_set_get_rows (set), rows);
          for (guint k = 0; k < rows->len; k++)
            g_array_index (rows, gsize, k) %= es_embedding_set_get_rows (set);
          if (rows->len < 3)
            {
              ref_state_free (before);
              continue;
            }
          {
            /* Unique rows, as Isolate makes them. */
            g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
            guint out = 0;

            for (guint k = 0; k < rows->len; k++)
              if (g_hash_table_add (seen, GSIZE_TO_POINTER (g_array_index (rows, gsize, k) + 1)))
                g_array_index (rows, gsize, out++) = g_array_index (rows, gsize, k);
            g_array_set_size (rows, out);
          }
          if (rows->len < 3)
            {
              ref_state_free (before);
              continue;
            }
          subset = es_embedding_set_subset (set, (const gsize *) (gpointer) rows->data, rows->len);
          projection = project (subset);
          logf_step (f, "%u: isolate %u rows", step, rows->len);
          es_document_set_data (doc, set, subset, projection);
          ref.view = subset;
          ref_restrict (&ref);
          /* The reference's view must outlive this block: the document holds it. */
          ref.view = es_document_get_view_set (doc);
          commit = FALSE;
        }
      else if (action < 12)
        {
          g_autoptr(EsProjection) projection = project (set);

          logf_step (f, "%u: show all", step);
          es_document_set_data (doc, set, set, projection);
          ref.view = set;
          ref_restrict (&ref);
          commit = FALSE;
        }
      else if (action < 35)
        {
          gint64 row = g_rand_int_range (rand, -1, (gint32) es_embedding_set_get_rows (view) + 2);

          logf_step (f, "%u: focus row %" G_GINT64_FORMAT, step, row);
          es_document_set_focus (doc, row);
          g_free (ref.now->focus);
          ref.now->focus = row >= 0 && (gsize) row < es_embedding_set_get_rows (view)
                             ? g_strdup (es_embedding_set_get_word (view, (gsize) row)) : NULL;
        }
      else if (action < 65)
        {
          EsSelectMode mode = g_rand_int_range (rand, 0, 3);

          random_rows (rand, es_embedding_set_get_rows (set), rows);
          logf_step (f, "%u: select %u rows, mode %d", step, rows->len, mode);
          es_document_select_rows (doc, (const gsize *) (gpointer) rows->data, rows->len, mode);
          select_in_ref (&ref, set, rows, mode);
        }
      else if (action < 70)
        {
          logf_step (f, "%u: clear selection", step);
          es_document_clear_selection (doc);
          g_hash_table_remove_all (ref.now->selection);
        }
      else if (action < 82)
        {
          gboolean moved = es_document_go_back (doc);

          logf_step (f, "%u: back", step);
          g_assert_cmpint (moved, ==, ref.pos > 0);
          if (moved)
            {
              ref.pos--;
              ref_state_free (ref.now);
              ref.now = ref_state_copy (g_ptr_array_index (ref.history, ref.pos));
              ref_restrict (&ref);
            }
          commit = FALSE;
        }
      else if (action < 92)
        {
          gboolean moved = es_document_go_forward (doc);

          logf_step (f, "%u: forward", step);
          g_assert_cmpint (moved, ==, ref.pos + 1 < ref.history->len);
          if (moved)
            {
              ref.pos++;
              ref_state_free (ref.now);
              ref.now = ref_state_copy (g_ptr_array_index (ref.history, ref.pos));
              ref_restrict (&ref);
            }
          commit = FALSE;
        }
      else
        {
          /* Several changes, one transaction: one signal at most. */
          guint signals_before = f->signals;
          gint64 row = g_rand_int_range (rand, 0, (gint32) es_embedding_set_get_rows (view));

          random_rows (rand, es_embedding_set_get_rows (set), rows);
          logf_step (f, "%u: transaction (focus %" G_GINT64_FORMAT ", add %u rows)", step, row, rows->len);
          es_document_begin (doc);
          es_document_set_focus (doc, row);
          es_document_select_rows (doc, (const gsize *) (gpointer) rows->data, rows->len, ES_SELECT_ADD);
          g_assert_cmpuint (f->signals, ==, signals_before);
          es_document_end (doc);
          g_assert_cmpuint (f->signals, <=, signals_before + 1);
          g_free (ref.now->focus);
          ref.now->focus = g_strdup (es_embedding_set_get_word (view, (gsize) row));
          select_in_ref (&ref, set, rows, ES_SELECT_ADD);
        }

      if (commit)
        ref_commit (&ref, before);
      ref_state_free (before);
      check_against (doc, &ref, f, seed);
    }

  ref_state_free (ref.now);
  g_ptr_array_unref (ref.history);
  g_rand_free (rand);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  GRand *rand = g_rand_new_with_seed (11);

  for (guint i = 0; i < N_FILES; i++)
    f->files[i] = make_file (i, rand);
  f->log = g_string_new (NULL);
  g_rand_free (rand);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  for (guint i = 0; i < N_FILES; i++)
    es_embedding_set_unref (f->files[i]);
  g_string_free (f->log, TRUE);
}

static void
test_random_sequences (Fixture       *f,
                       gconstpointer  data)
{
  guint64 seed = g_test_rand_int () & 0x7fffffff;
  guint total = g_test_slow () ? 200000 : 10000;

  g_test_summary ("10,000 seeded random actions (open, isolate, show all, focus, select with "
                  "replace/add/subtract, clear, back, forward, transactions) against a reference "
                  "model of words; invariants at every step and every signal");
  g_test_message ("seed %" G_GUINT64_FORMAT " (rerun with --seed)", seed);
  for (guint run = 0; run < 10; run++)
    run_sequence (f, seed + run, total / 10);
  g_assert_true (f->checked_in_signal);
}

static void
test_switch_maps_by_word (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(EsDocument) doc = es_document_new ();
  g_autoptr(EsProjection) p0 = project (f->files[0]);
  g_autoptr(EsProjection) p1 = project (f->files[1]);
  gsize rows[3], n;
  const gsize *sel;

  g_test_summary ("opening another file keeps the focus and the selected words it has, by word, "
                  "and drops the others (issue 11)");
  es_document_set_data (doc, f->files[0], f->files[0], p0);
  /* w30 is row 30 of file 0 and row 5 of file 1; w3 is not in file 1. */
  g_assert_true (es_document_set_focus_word (doc, "w30"));
  rows[0] = 3;
  rows[1] = 30;
  rows[2] = 39;
  es_document_select_rows (doc, rows, 3, ES_SELECT_REPLACE);

  es_document_set_data (doc, f->files[1], f->files[1], p1);
  g_assert_cmpint (es_document_get_focus (doc), ==, 5);
  g_assert_cmpstr (es_document_get_focus_word (doc), ==, "w30");
  sel = es_document_get_selection (doc, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpstr (es_embedding_set_get_word (f->files[1], sel[0]), ==, "w30");
  g_assert_cmpstr (es_embedding_set_get_word (f->files[1], sel[1]), ==, "w39");

  /* A word the new file lacks clears the focus. */
  g_assert_true (es_document_set_focus_word (doc, "w25"));
  es_document_set_data (doc, f->files[0], f->files[0], p0);
  g_assert_cmpstr (es_document_get_focus_word (doc), ==, "w25");
  {
    g_autoptr(EsProjection) p3 = project (f->files[3]);

    /* File 3 starts at w75: neither w25 nor the selection survive. */
    es_document_set_data (doc, f->files[3], f->files[3], p3);
    g_assert_cmpint (es_document_get_focus (doc), ==, -1);
    g_assert_null (es_document_get_focus_word (doc));
    es_document_get_selection (doc, &n);
    g_assert_cmpuint (n, ==, 0);
  }
}

static void
test_back_forward (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(EsDocument) doc = es_document_new ();
  g_autoptr(EsProjection) p0 = project (f->files[0]);
  gsize rows[2] = { 1, 2 };

  g_test_summary ("back undoes an accidental selection change, forward redoes it; a new change "
                  "drops the forward steps");
  es_document_set_data (doc, f->files[0], f->files[0], p0);
  g_assert_false (es_document_can_go_back (doc));
  es_document_set_focus (doc, 7);
  es_document_select_rows (doc, rows, 2, ES_SELECT_REPLACE);
  es_document_clear_selection (doc);   /* the accident */
  g_assert_true (es_document_go_back (doc));
  g_assert_true (es_document_is_selected (doc, 1) && es_document_is_selected (doc, 2));
  g_assert_true (es_document_go_back (doc));
  g_assert_false (es_document_is_selected (doc, 1));
  g_assert_cmpint (es_document_get_focus (doc), ==, 7);
  g_assert_true (es_document_go_forward (doc));
  g_assert_true (es_document_is_selected (doc, 1));
  es_document_set_focus (doc, 9);
  g_assert_false (es_document_can_go_forward (doc));
}

static void
record_changes_cb (EsDocument *doc,
                   guint       changes,
                   guint      *last)
{
  *last = changes;
}

static void
test_view_state_history (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(EsDocument) doc = es_document_new ();
  g_autoptr(EsProjection) p0 = project (f->files[0]);
  guint last = 0;

  g_test_summary ("the view state (method, isolate, filters) is a step of history: the same state "
                  "again is none; back and forward put it back and say so");
  es_document_set_data (doc, f->files[0], f->files[0], p0);
  g_signal_connect (doc, "changed", G_CALLBACK (record_changes_cb), &last);
  es_document_set_view_state (doc, g_variant_new_string ("pca"));
  g_assert_true (es_document_can_go_back (doc));
  es_document_set_focus (doc, 3);
  es_document_set_view_state (doc, g_variant_new_string ("svd"));
  last = 0;
  es_document_set_view_state (doc, g_variant_new_string ("svd"));
  g_assert_cmpuint (last, ==, 0);

  g_assert_true (es_document_go_back (doc));   /* focus 3, pca */
  g_assert_cmpstr (g_variant_get_string (es_document_get_view_state (doc), NULL), ==, "pca");
  g_assert_true (last & ES_DOCUMENT_CHANGE_VIEW_RESTORED);
  g_assert_cmpint (es_document_get_focus (doc), ==, 3);
  g_assert_true (es_document_go_back (doc));   /* no focus, pca: the view stays */
  g_assert_false (last & ES_DOCUMENT_CHANGE_VIEW_RESTORED);
  g_assert_cmpint (es_document_get_focus (doc), ==, -1);
  g_assert_true (es_document_go_forward (doc));
  g_assert_true (es_document_go_forward (doc));
  g_assert_cmpstr (g_variant_get_string (es_document_get_view_state (doc), NULL), ==, "svd");
  g_assert_true (last & ES_DOCUMENT_CHANGE_VIEW_RESTORED);
  g_assert_false (es_document_can_go_forward (doc));

  /* A new state after going back drops the forward steps. */
  g_assert_true (es_document_go_back (doc));
  es_document_set_view_state (doc, g_variant_new_string ("umap"));
  g_assert_false (es_document_can_go_forward (doc));
  g_signal_handlers_disconnect_by_func (doc, record_changes_cb, &last);
}

static void
test_layout_cache (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(EsDocument) doc = es_document_new ();
  g_autoptr(EsProjection) p0 = project (f->files[0]);
  g_autoptr(EsProjection) p1 = project (f->files[1]);

  g_test_summary ("a map cached for a view of the file comes back by its key; another key, another "
                  "view or another file finds nothing (the cache goes with the file)");
  es_document_set_data (doc, f->files[0], f->files[0], p0);
  es_document_cache_layout (doc, f->files[0], "tsne 2D seed 1", p0);
  g_assert_true (es_document_lookup_layout (doc, f->files[0], "tsne 2D seed 1") == p0);
  g_assert_null (es_document_lookup_layout (doc, f->files[0], "tsne 2D seed 2"));
  g_assert_null (es_document_lookup_layout (doc, f->files[1], "tsne 2D seed 1"));
  /* A view of another file is not cached at all. */
  es_document_cache_layout (doc, f->files[2], "umap 2D seed 1", p0);
  g_assert_null (es_document_lookup_layout (doc, f->files[2], "umap 2D seed 1"));

  es_document_set_data (doc, f->files[1], f->files[1], p1);
  g_assert_null (es_document_lookup_layout (doc, f->files[0], "tsne 2D seed 1"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/model/document/random-sequences", Fixture, NULL, fixture_setup,
              test_random_sequences, fixture_teardown);
  g_test_add ("/model/document/switch-maps-by-word", Fixture, NULL, fixture_setup,
              test_switch_maps_by_word, fixture_teardown);
  g_test_add ("/model/document/back-forward", Fixture, NULL, fixture_setup,
              test_back_forward, fixture_teardown);
  g_test_add ("/model/document/layout-cache", Fixture, NULL, fixture_setup,
              test_layout_cache, fixture_teardown);
  g_test_add ("/model/document/view-state-history", Fixture, NULL, fixture_setup,
              test_view_state_history, fixture_teardown);

  return g_test_run ();
}
