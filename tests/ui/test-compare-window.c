/* test-compare-window.c: the compare window on the bundled sample
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-compare-window"

#include "config.h"

#include "ui-test-util.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "es-compare-window-private.h"
#include "es-embedding-set.h"
#include "es-loader.h"
#include "es-result-list.h"
#include "es-scatter-data.h"
#include "es-scatter-view.h"

/* Rows of the sample whose vectors the copy swaps: a frequent and a
 * rarer word, far apart.
 */
#define SWAP_1 40
#define SWAP_2 3000

static char *tmp_dir;

static gboolean
not_busy (gpointer data)
{
  return !es_compare_window_get_busy (data);
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static gboolean
neighbors_shown (gpointer data)
{
  return es_result_list_get_n_rows (ES_RESULT_LIST (es_compare_window_get_list (data, 2))) > 0 &&
         es_result_list_get_n_rows (ES_RESULT_LIST (es_compare_window_get_list (data, 3))) > 0;
}

static char *
sample_path (void)
{
  char *path = g_test_build_filename (G_TEST_DIST, "..", "resources", "kjv-hamlet-5k-50d.w2v.txt", NULL);

  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  return path;
}

/* The sample with the vector parts of two lines exchanged: the words
 * stay, their vectors trade places.  Line 0 is the header.
 */
static char *
swapped_copy (void)
{
  g_autofree char *sample = sample_path ();
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  char *path = g_build_filename (tmp_dir, "swapped.w2v.txt", NULL);
  char *space1, *space2;
  g_autofree char *v1 = NULL, *v2 = NULL, *w1 = NULL, *w2 = NULL;
  g_autofree char *joined = NULL;

  g_assert_true (g_file_get_contents (sample, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  space1 = strchr (lines[1 + SWAP_1], ' ');
  space2 = strchr (lines[1 + SWAP_2], ' ');
  w1 = g_strndup (lines[1 + SWAP_1], space1 - lines[1 + SWAP_1]);
  w2 = g_strndup (lines[1 + SWAP_2], space2 - lines[1 + SWAP_2]);
  v1 = g_strdup (space1);
  v2 = g_strdup (space2);
  g_free (lines[1 + SWAP_1]);
  g_free (lines[1 + SWAP_2]);
  lines[1 + SWAP_1] = g_strconcat (w1, v2, NULL);
  lines[1 + SWAP_2] = g_strconcat (w2, v1, NULL);
  joined = g_strjoinv ("\n", lines);
  g_assert_true (g_file_set_contents (path, joined, -1, NULL));
  return path;
}

static EsCompareWindow *
compare (const char *path_b)
{
  g_autofree char *sample = sample_path ();
  EsCompareWindow *window = es_compare_window_new (NULL, NULL, sample);

  gtk_window_present (GTK_WINDOW (window));
  es_compare_window_compare_path (window, path_b);
  g_assert_true (es_compare_window_get_busy (window));
  ui_test_wait_for (not_busy, window);
  return window;
}

static const char *
moved_word (EsCompareWindow *window,
            guint            rank)
{
  return es_result_list_get_word (ES_RESULT_LIST (es_compare_window_get_list (window, 0)), rank);
}

static void
test_swapped_words_move_most (void)
{
  g_autofree char *path_b = swapped_copy ();
  EsCompareWindow *window = compare (path_b);
  EsComparison *c = es_compare_window_get_comparison (window);
  g_autofree char *sample = sample_path ();
  g_autoptr(EsEmbeddingSet) a = NULL;
  const char *word1, *word2;
  const char *top0, *top1;
  EsLoadOptions options;
  const guint32 *links;
  gsize n_links;
  gboolean found = FALSE;

  es_load_options_init (&options);
  a = es_loader_load_path (sample, &options, NULL, NULL, NULL, NULL);
  g_assert_nonnull (a);
  word1 = es_embedding_set_get_word (a, SWAP_1);
  word2 = es_embedding_set_get_word (a, SWAP_2);
  g_assert_null (es_compare_window_get_error (window));
  g_assert_nonnull (c);
  g_assert_cmpuint (es_comparison_get_n_shared (c), ==, es_embedding_set_get_rows (a));
  /* The two swapped words top the list, in either order. */
  top0 = moved_word (window, 0);
  top1 = moved_word (window, 1);
  g_assert_true ((g_str_equal (top0, word1) && g_str_equal (top1, word2)) ||
                 (g_str_equal (top0, word2) && g_str_equal (top1, word1)));
  /* Everything else barely moved: the rotation fitted is near identity. */
  {
    const float *dist = es_change_scores_get_distances (es_comparison_get_scores (c));
    const gsize *ranking = es_comparison_get_ranking (c);

    g_assert_cmpfloat (dist[ranking[1]], >, 0.2);
    g_assert_cmpfloat (dist[ranking[2]], <, 0.01);
  }

  /* The focus is the most moved word; its arrow is drawn. */
  g_assert_cmpstr (es_compare_window_get_focus (window), ==, top0);
  links = es_compare_window_get_links (window, &n_links);
  g_assert_cmpuint (n_links, >=, 2);

  /* Clicking the second word in the list focuses it and draws its arrow
   * from its A point to its B point.
   */
  es_result_list_activate_row (ES_RESULT_LIST (es_compare_window_get_list (window, 0)), 1);
  g_assert_cmpstr (es_compare_window_get_focus (window), ==, top1);
  links = es_compare_window_get_links (window, &n_links);
  {
    gint64 j = es_comparison_plot_index (c, (gsize) es_comparison_pair_of_word (c, top1));
    gsize m = es_comparison_get_n_plotted (c);

    g_assert_cmpint (j, >=, 0);
    for (gsize i = 0; i < n_links; i++)
      found |= links[2 * i] == (guint32) j && links[2 * i + 1] == (guint32) (j + m);
    g_assert_true (found);
  }
  ui_test_wait_for (neighbors_shown, window);

  /* The scores as TSV: every shared word once, most moved first. */
  {
    g_autofree char *tsv_path = g_build_filename (tmp_dir, "scores.tsv", NULL);
    g_autofree char *contents = NULL;
    g_auto(GStrv) lines = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *png = g_build_filename (tmp_dir, "compare.png", NULL);
    g_autofree char *svg = g_build_filename (tmp_dir, "compare.svg", NULL);

    g_assert_true (es_compare_window_export_scores (window, tsv_path, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (tsv_path, &contents, NULL, NULL));
    lines = g_strsplit (contents, "\n", -1);
    g_assert_cmpstr (lines[0], ==, "rank\tword\tcosine_distance");
    g_assert_cmpuint (g_strv_length (lines), ==, es_comparison_get_n_shared (c) + 2);
    g_assert_true (g_str_has_prefix (lines[1], "1\t"));
    g_assert_nonnull (strstr (lines[1], top0));
    g_assert_true (es_scatter_view_export (ES_SCATTER_VIEW (es_compare_window_get_plot (window)), png,
                                           400, 300, &error));
    g_assert_no_error (error);
    g_assert_true (es_scatter_view_export (ES_SCATTER_VIEW (es_compare_window_get_plot (window)), svg,
                                           400, 300, &error));
    g_assert_no_error (error);
    g_unlink (png);
    g_unlink (svg);
    g_unlink (tsv_path);
  }
  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (path_b);
}

static void
test_self_compare (void)
{
  g_autofree char *sample = sample_path ();
  EsCompareWindow *window = compare (sample);
  EsComparison *c = es_compare_window_get_comparison (window);
  EsScatterData *data = es_scatter_view_get_data (ES_SCATTER_VIEW (es_compare_window_get_plot (window)));
  const float *dist;
  gsize n, m;
  const guint32 *links;
  gsize n_links;

  g_assert_nonnull (c);
  n = es_comparison_get_n_shared (c);
  dist = es_change_scores_get_distances (es_comparison_get_scores (c));
  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat (fabs (dist[i]), <, 1e-5);
  g_assert_cmpfloat (es_alignment_get_mean_cosine (es_comparison_get_alignment (c)), >, 1 - 1e-5);

  /* Every word's two points coincide: arrows of length 0. */
  m = es_comparison_get_n_plotted (c);
  g_assert_cmpuint (es_scatter_data_get_n_points (data), ==, 2 * m);
  links = es_compare_window_get_links (window, &n_links);
  g_assert_cmpuint (n_links, >, 0);
  for (gsize i = 0; i < n_links; i++)
    {
      double x0, y0, z0, x1, y1, z1;

      g_assert_true (es_scatter_data_get_point (data, links[2 * i], &x0, &y0, &z0));
      g_assert_true (es_scatter_data_get_point (data, links[2 * i + 1], &x1, &y1, &z1));
      g_assert_cmpfloat (hypot (x1 - x0, y1 - y0), <, 1e-4);
    }
  for (gsize j = 0; j < m; j += 97)
    {
      double x0, y0, z0, x1, y1, z1;

      g_assert_true (es_scatter_data_get_point (data, j, &x0, &y0, &z0));
      g_assert_true (es_scatter_data_get_point (data, j + m, &x1, &y1, &z1));
      g_assert_cmpfloat (hypot (x1 - x0, y1 - y0), <, 1e-4);
    }

  /* The same space: every neighbour is shared. */
  ui_test_wait_for (neighbors_shown, window);
  for (guint i = 0; i < 10; i++)
    {
      g_assert_true (es_compare_window_is_shared_neighbor (window, FALSE, i));
      g_assert_true (es_compare_window_is_shared_neighbor (window, TRUE, i));
      g_assert_true (es_result_list_get_marked (ES_RESULT_LIST (es_compare_window_get_list (window, 2)), i));
    }

  /* 3D and back keep the arrows. */
  es_scatter_view_set_three_d (ES_SCATTER_VIEW (es_compare_window_get_plot (window)), TRUE);
  g_assert_true (es_compare_window_select_word (window, es_comparison_get_word (c, 3)));
  g_assert_false (es_compare_window_select_word (window, "no-such-word-anywhere"));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_bad_b (void)
{
  g_autofree char *bad = g_build_filename (tmp_dir, "bad.txt", NULL);
  g_autofree char *good = sample_path ();
  g_autofree char *missing = g_build_filename (tmp_dir, "missing.vec", NULL);
  EsCompareWindow *window;

  g_assert_true (g_file_set_contents (bad, "3 4\nthe 1 2 x\n", -1, NULL));
  window = compare (bad);
  g_assert_nonnull (es_compare_window_get_error (window));
  g_assert_null (es_compare_window_get_comparison (window));
  g_assert_false (es_compare_window_select_word (window, "the"));

  /* A missing file too; then a good one works in the same window. */
  es_compare_window_compare_path (window, missing);
  ui_test_wait_for (not_busy, window);
  g_assert_nonnull (es_compare_window_get_error (window));
  es_compare_window_compare_path (window, good);
  ui_test_wait_for (not_busy, window);
  g_assert_null (es_compare_window_get_error (window));
  g_assert_nonnull (es_compare_window_get_comparison (window));
  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (bad);
}

static void
test_close_mid_job (void)
{
  g_autofree char *sample = sample_path ();

  for (guint round = 0; round < 3; round++)
    {
      EsCompareWindow *window = es_compare_window_new (NULL, NULL, sample);
      gpointer weak = window;

      g_object_add_weak_pointer (G_OBJECT (window), &weak);
      gtk_window_present (GTK_WINDOW (window));
      es_compare_window_compare_path (window, sample);
      /* A second comparison replaces the first at once. */
      if (round == 1)
        es_compare_window_compare_path (window, sample);
      for (guint i = 0; i < round * 5; i++)
        g_main_context_iteration (NULL, FALSE);
      gtk_window_destroy (GTK_WINDOW (window));
      /* The worker finishes, drops its result and the window goes. */
      ui_test_wait_for (is_null, &weak);
    }
}

static char *
anchors_file (EsEmbeddingSet *a,
              gsize           n,
              gboolean        with_missing)
{
  char *path = g_build_filename (tmp_dir, with_missing ? "bad-anchors.txt" : "anchors.txt", NULL);
  g_autoptr(GString) text = g_string_new ("# anchors\n");

  for (gsize i = 0; i < n; i++)
    if (i != SWAP_1 && i != SWAP_2)
      g_string_append_printf (text, "%s\n", es_embedding_set_get_word (a, i));
  if (with_missing)
    g_string_append (text, "no-such-word-anywhere\n");
  g_assert_true (g_file_set_contents (path, text->str, -1, NULL));
  return path;
}

static EsEmbeddingSet *
load_file (const char *path)
{
  EsLoadOptions options;
  EsEmbeddingSet *set;

  es_load_options_init (&options);
  set = es_loader_load_path (path, &options, NULL, NULL, NULL, NULL);
  g_assert_nonnull (set);
  return set;
}

static void
test_options (void)
{
  g_autofree char *path_b = swapped_copy ();
  g_autofree char *sample = sample_path ();
  g_autoptr(EsEmbeddingSet) a = load_file (sample);
  g_autofree char *anchors = anchors_file (a, 200, FALSE);
  g_autofree char *bad_anchors = NULL;
  EsCompareWindow *window = compare (path_b);
  const char *focus_word = es_embedding_set_get_word (a, 100);
  EsComparisonOptions options = *es_compare_window_get_options (window);
  EsComparison *c;
  const float *dist;

  g_test_summary ("The alignment options re-run the comparison as a job and keep the focus word: an "
                  "orthogonal fit on 199 anchors of a copy with two vectors swapped is the identity, "
                  "so every other word's distance is 0; linear + centred fits exactly too; k = 0 drops "
                  "the overlap; bad anchors are an error and clearing them recovers");

  g_assert_cmpint (options.method, ==, -1);
  g_assert_true (es_compare_window_select_word (window, focus_word));

  options.method = ES_ALIGN_ORTHOGONAL;
  options.anchors = anchors;
  es_compare_window_set_options (window, &options);
  g_assert_true (es_compare_window_get_busy (window));
  ui_test_wait_for (not_busy, window);
  g_assert_null (es_compare_window_get_error (window));
  c = es_compare_window_get_comparison (window);
  g_assert_cmpstr (es_compare_window_get_focus (window), ==, focus_word);
  g_assert_cmpuint (es_comparison_get_n_anchors (c), ==, 199);
  g_assert_cmpuint (es_alignment_get_n_fit (es_comparison_get_alignment (c)), ==, 199);
  g_assert_cmpfloat (es_alignment_get_mean_cosine (es_comparison_get_alignment (c)), >, 1 - 1e-5);
  dist = es_change_scores_get_distances (es_comparison_get_scores (c));
  for (gsize i = 0; i < es_comparison_get_n_shared (c); i++)
    {
      const char *word = es_comparison_get_word (c, i);
      gsize row;

      g_assert_true (es_embedding_set_lookup (a, word, &row));
      if (row == SWAP_1 || row == SWAP_2)
        g_assert_cmpfloat (dist[i], >, 0.2);
      else
        g_assert_cmpfloat (dist[i], <, 1e-5);
    }
  g_assert_nonnull (strstr (gtk_label_get_text (window->fit_label), "199 anchors"));
  g_assert_cmpstr (gtk_label_get_text (window->anchors_label), ==, "anchors.txt");

  /* The popover's widgets drive the same: linear, centred. */
  gtk_drop_down_set_selected (window->method_dropdown, 2);
  ui_test_wait_for (not_busy, window);
  gtk_check_button_set_active (window->center_check, TRUE);
  g_assert_true (es_compare_window_get_busy (window));
  ui_test_wait_for (not_busy, window);
  c = es_compare_window_get_comparison (window);
  g_assert_cmpint (es_alignment_get_method (es_comparison_get_alignment (c)), ==, ES_ALIGN_LINEAR);
  g_assert_nonnull (es_alignment_get_mean_a (es_comparison_get_alignment (c)));
  g_assert_true (es_comparison_get_options (c)->center);
  g_assert_cmpfloat (es_alignment_get_mean_cosine (es_comparison_get_alignment (c)), >, 1 - 1e-4);
  g_assert_nonnull (strstr (gtk_label_get_text (window->fit_label), "Linear"));
  g_assert_cmpstr (es_compare_window_get_focus (window), ==, focus_word);
  g_assert_cmpfloat (es_comparison_get_overlap (c, 0), >=, 0);

  /* k = 0: no overlap, no notes. */
  gtk_spin_button_set_value (window->k_spin, 0);
  ui_test_wait_for (not_busy, window);
  c = es_compare_window_get_comparison (window);
  g_assert_cmpfloat (es_comparison_get_overlap (c, 0), <, 0);
  g_assert_null (es_result_list_get_note (ES_RESULT_LIST (es_compare_window_get_list (window, 0)), 0));

  /* Anchors naming a missing word: the error names it; clearing recovers. */
  bad_anchors = anchors_file (a, 50, TRUE);
  options = *es_compare_window_get_options (window);
  options.anchors = bad_anchors;
  es_compare_window_set_options (window, &options);
  ui_test_wait_for (not_busy, window);
  g_assert_nonnull (es_compare_window_get_error (window));
  g_assert_nonnull (strstr (es_compare_window_get_error (window), "no-such-word-anywhere"));
  options.anchors = NULL;
  es_compare_window_set_options (window, &options);
  ui_test_wait_for (not_busy, window);
  g_assert_null (es_compare_window_get_error (window));
  g_assert_cmpuint (es_comparison_get_n_anchors (es_compare_window_get_comparison (window)), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (anchors);
  g_unlink (bad_anchors);
  g_unlink (path_b);
}

/* |top-k(A) ∩ top-k(B)| among the first @n rows by cosine, brute force. */
static guint
brute_overlap (EsEmbeddingSet *a,
               EsEmbeddingSet *b,
               gsize           row,
               gsize           n,
               guint           k)
{
  gsize *top[2];
  EsEmbeddingSet *sets[2] = { a, b };
  guint count = 0;

  for (guint s = 0; s < 2; s++)
    {
      gsize dims = es_embedding_set_get_dims (sets[s]);
      const float *q = es_embedding_set_get_vector (sets[s], row);
      double *best = g_new (double, k);

      top[s] = g_new (gsize, k);
      for (guint t = 0; t < k; t++)
        best[t] = -G_MAXDOUBLE;
      for (gsize i = 0; i < n; i++)
        {
          const float *v = es_embedding_set_get_vector (sets[s], i);
          double dot = 0, qq = 0, vv = 0, cosine;
          guint t;

          if (i == row)
            continue;
          for (gsize d = 0; d < dims; d++)
            {
              dot += (double) q[d] * v[d];
              qq += (double) q[d] * q[d];
              vv += (double) v[d] * v[d];
            }
          cosine = dot / sqrt (qq * vv);
          if (cosine <= best[k - 1])
            continue;
          for (t = k - 1; t > 0 && best[t - 1] < cosine; t--)
            {
              best[t] = best[t - 1];
              top[s][t] = top[s][t - 1];
            }
          best[t] = cosine;
          top[s][t] = i;
        }
      g_free (best);
    }
  for (guint p = 0; p < k; p++)
    for (guint q = 0; q < k; q++)
      count += top[0][p] == top[1][q];
  g_free (top[0]);
  g_free (top[1]);
  return count;
}

static void
test_overlap_notes (void)
{
  g_autofree char *path_b = swapped_copy ();
  g_autofree char *sample = sample_path ();
  g_autoptr(EsEmbeddingSet) a = load_file (sample);
  g_autoptr(EsEmbeddingSet) b = load_file (path_b);
  EsCompareWindow *window = compare (path_b);
  EsResultList *moved = ES_RESULT_LIST (es_compare_window_get_list (window, 0));
  EsResultList *stable = ES_RESULT_LIST (es_compare_window_get_list (window, 1));
  gsize n = es_embedding_set_get_rows (a);

  g_test_summary ("The Most Moved / Most Stable lists and the neighbour lists show each word's "
                  "neighbour overlap (k = 10 over the 5,000 shared words), equal to a brute-force count");

  for (guint list = 0; list < 2; list++)
    for (guint i = 0; i < 4; i++)
      {
        EsResultList *l = list == 0 ? moved : stable;
        gsize row;
        g_autofree char *expected = NULL;

        g_assert_true (es_embedding_set_lookup (a, es_result_list_get_word (l, i), &row));
        expected = g_strdup_printf ("∩ %.2f", brute_overlap (a, b, row, n, 10) / 10.0);
        g_assert_cmpstr (es_result_list_get_note (l, i), ==, expected);
      }
  /* A swapped word's neighbours are the other word's: little overlap. */
  {
    gsize row;

    g_assert_true (es_embedding_set_lookup (a, es_result_list_get_word (moved, 0), &row));
    g_assert_cmpuint (brute_overlap (a, b, row, n, 10), <=, 2);
  }
  ui_test_wait_for (neighbors_shown, window);
  for (guint side = 2; side < 4; side++)
    {
      EsResultList *l = ES_RESULT_LIST (es_compare_window_get_list (window, side));
      gsize row;
      g_autofree char *expected = NULL;

      g_assert_true (es_embedding_set_lookup (a, es_result_list_get_word (l, 0), &row));
      expected = g_strdup_printf ("∩ %.2f", brute_overlap (a, b, row, n, 10) / 10.0);
      g_assert_cmpstr (es_result_list_get_note (l, 0), ==, expected);
    }
  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (path_b);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      g_test_skip ("no display");
      return g_test_run ();
    }
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  tmp_dir = g_dir_make_tmp ("es-test-compare-XXXXXX", NULL);

  g_test_add_func ("/ui/compare/swapped-words", test_swapped_words_move_most);
  g_test_add_func ("/ui/compare/self", test_self_compare);
  g_test_add_func ("/ui/compare/bad-b", test_bad_b);
  g_test_add_func ("/ui/compare/close-mid-job", test_close_mid_job);
  g_test_add_func ("/ui/compare/options", test_options);
  g_test_add_func ("/ui/compare/overlap-notes", test_overlap_notes);
  status = g_test_run ();
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  return status;
}
