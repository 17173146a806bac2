/* test-result-list.c: the ranked word list of the neighbours and analogy panels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-result-list"

#include "config.h"

#include <gtk/gtk.h>

#include "es-neighbors.h"
#include "es-result-list.h"

static void
select_word_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  char **selected = user_data;

  g_free (*selected);
  *selected = g_variant_dup_string (parameter, NULL);
}

static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_str_equal (gtk_label_get_text (GTK_LABEL (widget)), text))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_result_list_rows (void)
{
  const char *words[] = { "alpha", "beta", "gamma", "delta" };
  const float data[] = { 1, 0, 0, 1, 1, 1, -1, 0 };
  g_autoptr(EsEmbeddingSet) set = es_embedding_set_new_from_arrays (4, 2, words, data);
  g_autoptr(GArray) results = g_array_new (FALSE, FALSE, sizeof (EsNeighbor));
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) action = g_simple_action_new ("select-word", G_VARIANT_TYPE_STRING);
  g_autofree char *selected = NULL;
  GtkWidget *window = gtk_window_new ();
  EsResultList *list = ES_RESULT_LIST (es_result_list_new ());
  EsNeighbor n;

  g_test_summary ("Rows show rank, word and score in the order given; activating a row "
                  "selects its word through win.select-word; NULL empties the list");

  g_signal_connect (action, "activate", G_CALLBACK (select_word_cb), &selected);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (action));
  gtk_widget_insert_action_group (window, "win", G_ACTION_GROUP (group));
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (list));

  n.row = 2;
  n.score = 0.75;
  g_array_append_val (results, n);
  n.row = 0;
  n.score = -0.125;
  g_array_append_val (results, n);

  es_result_list_set_show_rank (list, TRUE);
  es_result_list_set_results (list, set, results);
  g_assert_cmpuint (es_result_list_get_n_rows (list), ==, 2);
  g_assert_cmpstr (es_result_list_get_word (list, 0), ==, "gamma");
  g_assert_cmpstr (es_result_list_get_word (list, 1), ==, "alpha");
  g_assert_null (es_result_list_get_word (list, 2));
  /* Four decimals, locale-independent; ranks from 1. */
  g_assert_nonnull (find_label (GTK_WIDGET (list), "0.7500"));
  g_assert_nonnull (find_label (GTK_WIDGET (list), "-0.1250"));
  g_assert_nonnull (find_label (GTK_WIDGET (list), "2."));

  es_result_list_activate_row (list, 1);
  g_assert_cmpstr (selected, ==, "alpha");

  /* Without ranks: no "1." label. */
  es_result_list_set_show_rank (list, FALSE);
  es_result_list_set_results (list, set, results);
  g_assert_null (find_label (GTK_WIDGET (list), "1."));
  g_assert_nonnull (find_label (GTK_WIDGET (list), "gamma"));

  es_result_list_set_results (list, set, NULL);
  g_assert_cmpuint (es_result_list_get_n_rows (list), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_no_display (void)
{
  if (g_getenv ("ES_REQUIRE_DISPLAY") != NULL)
    g_error ("no display, but ES_REQUIRE_DISPLAY is set");
  g_test_skip ("no display");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      g_test_add_func ("/ui/result-list/no-display", test_no_display);
      return g_test_run ();
    }

  g_test_add_func ("/ui/result-list/rows", test_result_list_rows);

  return g_test_run ();
}
