/* test-session.c: .embedscope sessions read, written and checked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-session"

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "es-engine.h"
#include "es-loader.h"
#include "es-session.h"

/* Every test works in a folder of its own. */
typedef struct
{
  char *dir;
  char *data;     /* a small word2vec text file in dir */
} Fixture;

static void
write_file (const char *path,
            const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("es-session-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  f->data = g_build_filename (f->dir, "words.txt", NULL);
  write_file (f->data,
              "5 3\n"
              "king 1 0 0\n"
              "queen 0.9 0.1 0\n"
              "man 0 1 0\n"
              "woman 0 0.9 0.1\n"
              "apple 0 0 1\n");
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->data);
}

/* A session with every field away from its default. */
static EsSession *
full_session (const char *data_path)
{
  EsSession *s = es_session_new ();
  const float coords[] = { 1.5f, -2.25f, NAN, 0.0f, 1e-30f, 3.4e38f, -0.0f, 7.125f, 0.1f, 0.2f };
  const char *isolate[] = { "king", "queen", "man", "woman", "apple", NULL };
  const char *selection[] = { "queen", "man", NULL };
  const char *axes[] = { "king - queen", "man", NULL };

  s->data_path = g_strdup (data_path);
  s->limit = 5;
  s->method = ES_METHOD_TSNE;
  s->three_d = FALSE;
  s->components[0] = 0;
  s->components[1] = 1;
  s->center = TRUE;
  s->normalize = TRUE;
  s->axes = g_strdupv ((char **) axes);
  s->orthogonalize = TRUE;
  s->perplexity = 1.5;
  s->iterations = 250;
  s->n_neighbors = 4;
  s->min_dist = 0.25;
  s->epochs = 77;
  s->seed = G_MAXUINT64 - 3;   /* beyond JSON's int64 */
  es_session_set_coords (s, coords, 5, 2);
  s->isolate = g_strdupv ((char **) isolate);
  s->selection = g_strdupv ((char **) selection);
  s->focus = g_strdup ("king");
  s->neighbors_k = 3;
  g_free (s->metric);
  s->metric = g_strdup ("euclidean");
  s->filter_text = g_strdup ("^[kq]");
  s->filter_regex = TRUE;
  s->top_n = 4;
  s->category = g_strdup ("royal");
  s->label_column = g_strdup ("gloss");
  s->color_column = g_strdup ("kind");
  s->clusters = 2;
  s->analogy = g_strdup ("king - man + woman");
  s->show_density = TRUE;
  s->has_camera = TRUE;
  s->zoom = 2.0 / 3.0;
  s->center_xy[0] = 0.1;
  s->center_xy[1] = 1.0 / 7.0;
  s->target[0] = 0.3;
  s->target[1] = 0.4;
  s->target[2] = 0.5;
  s->azimuth = 33.3;
  s->elevation = -12.5;
  s->point_size = 7;
  s->opacity = 0.45;
  s->font_size = 13;
  return s;
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(EsSession) saved = full_session (f->data);
  g_autoptr(EsSession) read = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "view.embedscope", NULL);

  g_test_summary ("Every field survives save and read; coordinates bit for bit, NaN included");

  g_assert_true (es_session_save (saved, path, &error));
  g_assert_no_error (error);
  g_assert_true (es_session_sniff (path));
  read = es_session_load (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (read);

  g_assert_cmpstr (read->data_path, ==, saved->data_path);
  g_assert_cmpuint (read->data_size, ==, strlen ("5 3\nking 1 0 0\nqueen 0.9 0.1 0\nman 0 1 0\n"
                                                   "woman 0 0.9 0.1\napple 0 0 1\n"));
  g_assert_cmpuint (read->data_checksum != NULL ? strlen (read->data_checksum) : 0, ==, 64);
  g_assert_cmpuint (read->limit, ==, 5);
  g_assert_cmpint (read->method, ==, ES_METHOD_TSNE);
  g_assert_true (read->center && read->normalize && read->orthogonalize && read->filter_regex);
  g_assert_cmpstrv (read->axes, saved->axes);
  g_assert_cmpfloat (read->perplexity, ==, 1.5);
  g_assert_cmpuint (read->iterations, ==, 250);
  g_assert_cmpuint (read->n_neighbors, ==, 4);
  g_assert_cmpfloat (read->min_dist, ==, 0.25);
  g_assert_cmpuint (read->epochs, ==, 77);
  g_assert_cmpuint (read->seed, ==, G_MAXUINT64 - 3);
  g_assert_cmpuint (read->coords_rows, ==, 5);
  g_assert_cmpuint (read->coords_dims, ==, 2);
  g_assert_cmpmem (read->coords, 10 * sizeof (float), saved->coords, 10 * sizeof (float));
  g_assert_cmpstrv (read->isolate, saved->isolate);
  g_assert_cmpstrv (read->selection, saved->selection);
  g_assert_cmpstr (read->focus, ==, "king");
  g_assert_cmpuint (read->neighbors_k, ==, 3);
  g_assert_cmpstr (read->metric, ==, "euclidean");
  g_assert_cmpstr (read->filter_text, ==, "^[kq]");
  g_assert_cmpuint (read->top_n, ==, 4);
  g_assert_cmpstr (read->category, ==, "royal");
  g_assert_cmpstr (read->label_column, ==, "gloss");
  g_assert_cmpstr (read->color_column, ==, "kind");
  g_assert_cmpuint (read->clusters, ==, 2);
  g_assert_cmpstr (read->analogy, ==, "king - man + woman");
  g_assert_true (read->show_density);
  g_assert_true (read->has_camera);
  /* Doubles exactly: json-glib writes 17 significant digits. */
  g_assert_cmpfloat (read->zoom, ==, 2.0 / 3.0);
  g_assert_cmpfloat (read->center_xy[1], ==, 1.0 / 7.0);
  g_assert_cmpfloat (read->target[2], ==, 0.5);
  g_assert_cmpfloat (read->azimuth, ==, 33.3);
  g_assert_cmpfloat (read->elevation, ==, -12.5);
  g_assert_cmpfloat (read->point_size, ==, 7);
  g_assert_cmpfloat (read->opacity, ==, 0.45);
  g_assert_cmpfloat (read->font_size, ==, 13);
  g_assert_cmpuint (read->warnings->len, ==, 0);
}

/* The data file is found beside the session after both moved together. */
static void
test_relative_path (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(EsSession) saved = es_session_new ();
  g_autoptr(EsSession) read = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sub = g_build_filename (f->dir, "sub", NULL);
  g_autofree char *path = g_build_filename (sub, "view.embedscope", NULL);
  g_autofree char *moved = g_build_filename (f->dir, "moved", NULL);
  g_autofree char *moved_session = g_build_filename (moved, "sub", "view.embedscope", NULL);
  g_autofree char *moved_data = g_build_filename (moved, "words.txt", NULL);
  g_autofree char *moved_sub = g_build_filename (moved, "sub", NULL);

  g_test_summary ("The data path is stored relative to the session and tried first");

  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  saved->data_path = g_strdup (f->data);
  g_assert_true (es_session_save (saved, path, &error));
  g_assert_no_error (error);

  /* Move the whole folder: the absolute path is gone, the relative holds. */
  g_assert_cmpint (g_mkdir (moved, 0700), ==, 0);
  g_assert_cmpint (g_rename (sub, moved_sub), ==, 0);
  g_assert_cmpint (g_rename (f->data, moved_data), ==, 0);
  read = es_session_load (moved_session, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (read->data_path, ==, moved_data);
}

static void
test_malformed (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "bad.embedscope", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(EsSession) read = NULL;
  g_autofree char *expected = NULL;

  g_test_summary ("JSON that does not parse: the error names the file, line and column");

  write_file (path, "{\n \"format\": \"embedscope-session\",\n  \"version\" 1\n}\n");
  read = es_session_read (path, &error);
  g_assert_null (read);
  g_assert_error (error, ES_SESSION_ERROR, ES_SESSION_ERROR_PARSE);
  /* Line 3, column 13 (json-glib counts columns from 1 at the token). */
  expected = g_strdup_printf ("%s:3:", path);
  g_assert_true (g_str_has_prefix (error->message, expected));
  g_assert_nonnull (strstr (error->message, "expected character `:'"));
}

static void
test_newer_version (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "new.embedscope", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf ("{\"format\": \"embedscope-session\", \"version\": %d, "
                                           "\"data\": {\"path\": \"words.txt\"}}",
                                           ES_SESSION_VERSION + 1);

  g_test_summary ("A session from a newer version is refused, saying so");

  write_file (path, text);
  g_assert_null (es_session_read (path, &error));
  g_assert_error (error, ES_SESSION_ERROR, ES_SESSION_ERROR_VERSION);
  g_assert_nonnull (strstr (error->message, "newer"));
  g_assert_nonnull (strstr (error->message, path));
}

static void
test_not_session (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "other.json", NULL);
  g_autoptr(GError) error = NULL;

  g_test_summary ("Recognised by content: other JSON and embeddings are not sessions");

  write_file (path, "{\"format\": \"something-else\", \"version\": 1}");
  g_assert_false (es_session_sniff (path));
  g_assert_false (es_session_sniff (f->data));
  g_assert_null (es_session_read (path, &error));
  g_assert_error (error, ES_SESSION_ERROR, ES_SESSION_ERROR_NOT_SESSION);
}

static void
test_missing_file (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(EsSession) saved = es_session_new ();
  g_autoptr(EsSession) read = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "view.embedscope", NULL);

  g_test_summary ("A data file that is gone: the error names it (the GUI offers to locate it)");

  saved->data_path = g_strdup (f->data);
  g_assert_true (es_session_save (saved, path, &error));
  g_assert_cmpint (g_unlink (f->data), ==, 0);

  read = es_session_read (path, &error);
  g_assert_no_error (error);
  g_assert_false (es_session_check_files (read, &error));
  g_assert_error (error, ES_SESSION_ERROR, ES_SESSION_ERROR_MISSING_FILE);
  g_assert_nonnull (strstr (error->message, f->data));
}

static void
test_changed_file (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(EsSession) saved = full_session (f->data);
  g_autoptr(EsSession) read = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "view.embedscope", NULL);

  g_test_summary ("A data file whose checksum changed: a warning, the stored map dropped");

  g_assert_true (es_session_save (saved, path, &error));
  /* Same size, one byte different. */
  write_file (f->data,
              "5 3\n"
              "king 1 0 0\n"
              "queen 0.9 0.1 0\n"
              "man 0 1 0\n"
              "woman 0 0.9 0.1\n"
              "apple 0 0 2\n");
  read = es_session_load (path, &error);
  g_assert_no_error (error);
  g_assert_null (read->coords);
  g_assert_cmpuint (read->warnings->len, ==, 2);
  g_assert_nonnull (strstr (g_ptr_array_index (read->warnings, 0), "has changed"));
  /* The rest of the view is restored. */
  g_assert_cmpstr (read->focus, ==, "king");
}

static void
test_absent_words (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(EsSession) s = full_session (f->data);
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(EsEmbeddingSet) view = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gsize *rows = NULL;
  const char *selection[] = { "queen", "w1", "w2", "w3", "w4", "w5", "w6", "man", NULL };
  const char *isolate[] = { "king", "ghost", "man", NULL };
  const char *warning;
  gsize n = 0;

  g_test_summary ("Words the file lacks are dropped with one warning: the count and the first few");

  set = es_loader_load_path (f->data, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  rows = es_session_lookup_words (s, set, selection, "selected", &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (rows[0], ==, 1);
  g_assert_cmpuint (rows[1], ==, 2);
  g_assert_cmpuint (s->warnings->len, ==, 1);
  warning = g_ptr_array_index (s->warnings, 0);
  g_assert_true (g_str_has_prefix (warning, "6 selected words are not in words.txt, dropped: "
                                            "“w1”, “w2”, “w3”, “w4”, “w5”, …"));

  /* An isolated word gone: the view shrinks and the map no longer fits. */
  g_strfreev (s->isolate);
  s->isolate = g_strdupv ((char **) isolate);
  view = es_session_build_view (s, set);
  g_assert_cmpuint (es_embedding_set_get_rows (view), ==, 2);
  g_assert_cmpstr (es_embedding_set_get_word (view, 1), ==, "man");
  g_assert_null (s->coords);
  g_assert_null (es_session_stored_layout (s, view));
}

static void
test_stored_layout (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(EsSession) s = full_session (f->data);
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(EsEmbeddingSet) view = NULL;
  g_autoptr(EsProjection) projection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *expected = g_memdup2 (s->coords, 10 * sizeof (float));

  g_test_summary ("The stored map becomes the projection of the shown rows, bit for bit");

  set = es_loader_load_path (f->data, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  view = es_session_build_view (s, set);
  projection = es_session_stored_layout (s, view);
  g_assert_nonnull (projection);
  g_assert_cmpint (es_projection_get_method (projection), ==, ES_METHOD_TSNE);
  g_assert_cmpmem (es_projection_get_coords (projection), 10 * sizeof (float), expected, 10 * sizeof (float));
}

static void
test_filter_mask (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(EsSession) s = es_session_new ();
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *mask = NULL;

  g_test_summary ("The filters as the window applies them: regex, substring, top N");

  set = es_loader_load_path (f->data, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  s->filter_text = g_strdup ("^(king|MAN)$");
  s->filter_regex = TRUE;
  mask = es_session_filter_mask (s, set, TRUE);
  g_assert_cmpmem (mask, 5, ((guint8[]) { 1, 0, 1, 0, 0 }), 5);
  g_clear_pointer (&mask, g_free);

  g_free (s->filter_text);
  s->filter_text = g_strdup ("MAN");
  s->filter_regex = FALSE;
  s->top_n = 3;
  mask = es_session_filter_mask (s, set, TRUE);
  g_assert_cmpmem (mask, 5, ((guint8[]) { 0, 0, 1, 0, 0 }), 5);
  g_clear_pointer (&mask, g_free);
  /* Top N is about the file, not an isolated subset. */
  mask = es_session_filter_mask (s, set, FALSE);
  g_assert_cmpmem (mask, 5, ((guint8[]) { 0, 0, 1, 1, 0 }), 5);
}

static void
test_fifo (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *fifo = g_build_filename (f->dir, "pipe", NULL);
  g_autofree char *path = g_build_filename (f->dir, "view.embedscope", NULL);
  g_autoptr(EsSession) saved = es_session_new ();
  g_autoptr(EsSession) read = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("A FIFO as the session or its data file: refused at once, never read");

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_false (es_session_sniff (fifo));
  g_assert_null (es_session_read (fifo, &error));
  g_assert_error (error, ES_SESSION_ERROR, ES_SESSION_ERROR_NOT_REGULAR);
  g_clear_error (&error);

  saved->data_path = g_strdup (fifo);
  g_assert_false (es_session_save (saved, path, &error));
  g_assert_error (error, ES_SESSION_ERROR, ES_SESSION_ERROR_NOT_REGULAR);
  g_clear_error (&error);

  /* A session naming one. */
  g_free (saved->data_path);
  saved->data_path = g_strdup (f->data);
  g_assert_true (es_session_save (saved, path, &error));
  g_assert_cmpint (g_unlink (f->data), ==, 0);
  g_assert_cmpint (g_rename (fifo, f->data), ==, 0);
  read = es_session_read (path, &error);
  g_assert_no_error (error);
  g_assert_false (es_session_check_files (read, &error));
  g_assert_error (error, ES_SESSION_ERROR, ES_SESSION_ERROR_NOT_REGULAR);
  g_assert_nonnull (strstr (error->message, "words.txt"));
}

static void
test_derived (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(EsSession) s = es_session_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "view.embedscope", NULL);

  g_test_summary ("A data set without a file is refused, saying why, and nothing is written");

  s->derived_reason = g_strdup ("aligned to another space");
  g_assert_false (es_session_save (s, path, &error));
  g_assert_error (error, ES_SESSION_ERROR, ES_SESSION_ERROR_DERIVED);
  g_assert_nonnull (strstr (error->message, "aligned to another space"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_wrong_types (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "types.embedscope", NULL);
  g_autoptr(GError) error = NULL;

  g_test_summary ("A key of the wrong type names the key and what it should be");

  write_file (path, "{\"format\": \"embedscope-session\", \"version\": 1, "
                    "\"data\": {\"path\": \"words.txt\"}, \"view\": {\"selection\": [1, 2]}}");
  g_assert_null (es_session_read (path, &error));
  g_assert_error (error, ES_SESSION_ERROR, ES_SESSION_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“selection” should be a list of strings"));
}

static void
test_compare (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "pair.embedscope", NULL);
  g_autofree char *b = g_build_filename (f->dir, "other.txt", NULL);
  g_autofree char *anchors = g_build_filename (f->dir, "anchors.txt", NULL);
  g_autoptr(EsSession) s = es_session_new ();
  g_autoptr(EsSession) back = NULL;
  g_autoptr(EsSession) lost = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("A session stores the compared file, the alignment options and the compare focus, "
                  "reads them back; a missing B or anchor list is a warning, a bad method an error");

  write_file (b, "2 3\nking 1 0 0\nman 0 1 0\n");
  write_file (anchors, "king\nman\n");
  s->data_path = g_strdup (f->data);
  s->compare_path = g_strdup (b);
  s->compare_method = g_strdup ("linear");
  s->compare_center = TRUE;
  s->compare_scale = TRUE;
  s->compare_anchors = g_strdup (anchors);
  s->compare_k = 7;
  s->compare_overlap_top = 1234;
  s->compare_focus = g_strdup ("man");
  g_assert_true (es_session_save (s, path, &error));
  g_assert_no_error (error);

  back = es_session_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->compare_path, ==, b);
  g_assert_cmpstr (back->compare_method, ==, "linear");
  g_assert_true (back->compare_center);
  g_assert_true (back->compare_scale);
  g_assert_cmpstr (back->compare_anchors, ==, anchors);
  g_assert_cmpuint (back->compare_k, ==, 7);
  g_assert_cmpuint (back->compare_overlap_top, ==, 1234);
  g_assert_cmpstr (back->compare_focus, ==, "man");
  g_assert_cmpuint (back->warnings->len, ==, 0);

  /* Without B: the session opens, the comparison is dropped with a warning. */
  g_unlink (anchors);
  g_unlink (b);
  lost = es_session_load (path, &error);
  g_assert_no_error (error);
  g_assert_null (lost->compare_path);
  g_assert_cmpuint (lost->warnings->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (lost->warnings, 0), "other.txt"));

  /* No comparison: "compare" is null and reads back as none. */
  g_clear_pointer (&s->compare_path, g_free);
  g_assert_true (es_session_save (s, path, &error));
  g_clear_pointer (&back, es_session_free);
  back = es_session_read (path, &error);
  g_assert_no_error (error);
  g_assert_null (back->compare_path);

  write_file (path, "{\"format\": \"embedscope-session\", \"version\": 1, "
                    "\"data\": {\"path\": \"words.txt\"}, "
                    "\"compare\": {\"path\": \"words.txt\", \"method\": \"rotate\"}}");
  g_clear_pointer (&back, es_session_free);
  g_assert_null (es_session_read (path, &error));
  g_assert_error (error, ES_SESSION_ERROR, ES_SESSION_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“method” should be auto, orthogonal or linear"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add ("/engine/session/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("round-trip", test_round_trip);
  ADD ("relative-path", test_relative_path);
  ADD ("malformed", test_malformed);
  ADD ("newer-version", test_newer_version);
  ADD ("not-session", test_not_session);
  ADD ("missing-file", test_missing_file);
  ADD ("changed-file", test_changed_file);
  ADD ("absent-words", test_absent_words);
  ADD ("stored-layout", test_stored_layout);
  ADD ("filter-mask", test_filter_mask);
  ADD ("fifo", test_fifo);
  ADD ("derived", test_derived);
  ADD ("wrong-types", test_wrong_types);
  ADD ("compare", test_compare);
#undef ADD

  return g_test_run ();
}
