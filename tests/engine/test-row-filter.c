/* test-row-filter.c: the one rule the window and sessions filter rows by
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "es-row-filter.h"

/* Six rows of a layered tensor: three tokens in two layers. */
static EsEmbeddingSet *
make_set (void)
{
  static const char *words[] = { "King", "queen", "Café", "kingdom", "Queen", "man" };
  static const char *columns[] = { "pos", "layer", "position", NULL };
  static const char *cells[][3] = {
    { "noun", "0", "0" }, { "noun", "0", "1" }, { "place", "0", "2" },
    { "place", "1", "0" }, { "noun", "1", "1" }, { "noun", "1", "2" },
  };
  float data[6 * 2] = { 0 };
  EsEmbeddingSet *set = es_embedding_set_new_from_arrays (6, 2, words, data);
  g_autoptr(EsMetadata) metadata = es_metadata_new (columns);

  for (guint r = 0; r < 6; r++)
    es_metadata_append_row (metadata, cells[r]);
  es_embedding_set_set_metadata (set, metadata);
  return set;
}

static void
assert_mask (EsRowFilter   *filter,
             EsEmbeddingSet *set,
             const guint8   *expected)
{
  g_autofree guint8 *mask = es_row_filter_run (filter, set, 6);

  g_assert_cmpmem (mask, 6, expected, 6);
}

static void
test_words (void)
{
  g_autoptr(EsEmbeddingSet) set = make_set ();
  g_autoptr(EsRowFilter) filter = es_row_filter_new ();
  g_autoptr(GError) error = NULL;

  g_test_summary ("Substrings and regexes match without case; an invalid regex keeps the last filter");

  assert_mask (filter, set, (guint8[]) { 1, 1, 1, 1, 1, 1 });
  g_assert_false (es_row_filter_is_filtering (filter, 6));

  g_assert_true (es_row_filter_set_text (filter, "KING", FALSE, &error));
  assert_mask (filter, set, (guint8[]) { 1, 0, 0, 1, 0, 0 });
  g_assert_true (es_row_filter_is_filtering (filter, 6));

  g_assert_true (es_row_filter_set_text (filter, "^(queen|man)$", TRUE, &error));
  assert_mask (filter, set, (guint8[]) { 0, 1, 0, 0, 1, 1 });
  /* Non-ASCII words go through the regex engine whole. */
  g_assert_true (es_row_filter_set_text (filter, "^caf.$", TRUE, &error));
  assert_mask (filter, set, (guint8[]) { 0, 0, 1, 0, 0, 0 });

  g_assert_false (es_row_filter_set_text (filter, "[a-", TRUE, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_REGEX_ERROR);
  g_clear_error (&error);
  assert_mask (filter, set, (guint8[]) { 0, 0, 1, 0, 0, 0 });

  g_assert_true (es_row_filter_set_text (filter, "", TRUE, NULL));
  assert_mask (filter, set, (guint8[]) { 1, 1, 1, 1, 1, 1 });
}

static void
test_top_n_and_category (void)
{
  g_autoptr(EsEmbeddingSet) set = make_set ();
  g_autoptr(EsRowFilter) filter = es_row_filter_new ();
  g_autofree guint8 *longer = NULL;

  g_test_summary ("Top N, a category and a word filter all have to pass");

  es_row_filter_set_top_n (filter, 4);
  assert_mask (filter, set, (guint8[]) { 1, 1, 1, 1, 0, 0 });
  es_row_filter_set_top_n (filter, 6);
  g_assert_false (es_row_filter_is_filtering (filter, 6));

  es_row_filter_set_top_n (filter, 5);
  es_row_filter_set_category (filter, 0, "noun");
  assert_mask (filter, set, (guint8[]) { 1, 1, 0, 0, 1, 0 });
  es_row_filter_set_text (filter, "queen", FALSE, NULL);
  assert_mask (filter, set, (guint8[]) { 0, 1, 0, 0, 1, 0 });

  /* A column the table does not have (replaced metadata): no category filter. */
  es_row_filter_set_category (filter, 7, "noun");
  assert_mask (filter, set, (guint8[]) { 0, 1, 0, 0, 1, 0 });
  es_row_filter_set_category (filter, -1, NULL);
  es_row_filter_set_text (filter, NULL, FALSE, NULL);

  /* Rows past the set's never pass. */
  longer = es_row_filter_run (filter, set, 8);
  g_assert_cmpmem (longer, 8, ((guint8[]) { 1, 1, 1, 1, 1, 0, 0, 0 }), 8);
}

static void
test_layer (void)
{
  g_autoptr(EsEmbeddingSet) set = make_set ();
  g_autoptr(EsRowFilter) filter = es_row_filter_new ();

  g_test_summary ("One layer passes, and the focus token's rows in every layer");

  es_row_filter_set_layer (filter, 1, "1", 2, NULL);
  assert_mask (filter, set, (guint8[]) { 0, 0, 0, 1, 1, 1 });
  g_assert_false (es_row_filter_is_filtering (filter, 6));

  es_row_filter_set_layer (filter, 1, "1", 2, "1");
  assert_mask (filter, set, (guint8[]) { 0, 1, 0, 1, 1, 1 });

  es_row_filter_set_category (filter, 0, "place");
  assert_mask (filter, set, (guint8[]) { 0, 0, 0, 1, 0, 0 });
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/row-filter/words", test_words);
  g_test_add_func ("/engine/row-filter/top-n-and-category", test_top_n_and_category);
  g_test_add_func ("/engine/row-filter/layer", test_layer);

  return g_test_run ();
}
