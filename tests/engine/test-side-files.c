/* test-side-files.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Files named by the data itself (projector_config.json beside a tensor,
 * the metadataPath inside it) are as untrusted as the data: one naming a
 * FIFO or a device must fail at once instead of hanging or reading
 * forever, and a huge one is refused before it is read.
 */

#define G_LOG_DOMAIN "test-side-files"

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "es-engine.h"

/* A 3 x 4 raw float32 tensor with a config naming @metadata_path. */
static char *
make_bundle (const char *metadata_path)
{
  static const float tensor[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("es-side-XXXXXX", &error);
  g_autofree char *config = g_build_filename (dir, "projector_config.json", NULL);
  g_autofree char *json = NULL;
  char *tensor_path = g_build_filename (dir, "t.bytes", NULL);

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (tensor_path, (const char *) tensor, sizeof tensor, NULL));
  json = g_strdup_printf ("{\"embeddings\": [{\"tensorPath\": \"t.bytes\", \"tensorShape\": [3, 4], "
                          "\"metadataPath\": \"%s\"}]}", metadata_path);
  g_assert_true (g_file_set_contents (config, json, -1, NULL));

  return tensor_path;
}

static void
remove_bundle (const char *tensor_path)
{
  g_autofree char *dir = g_path_get_dirname (tensor_path);
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
test_metadata_fifo (void)
{
  g_autofree char *tensor = make_bundle ("labels.fifo");
  g_autofree char *dir = g_path_get_dirname (tensor);
  g_autofree char *fifo = g_build_filename (dir, "labels.fifo", NULL);
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("A metadataPath naming a FIFO fails at once (reading it would block "
                  "forever)");
  g_assert_no_errno (mkfifo (fifo, 0600));

  set = es_loader_load_path (tensor, NULL, NULL, NULL, NULL, &error);
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "not a regular file"));
  g_assert_null (set);
  remove_bundle (tensor);
}

static void
test_metadata_device (void)
{
  g_autofree char *tensor = make_bundle ("/dev/zero");
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("A metadataPath naming /dev/zero fails at once (reading it would never end)");
  set = es_loader_load_path (tensor, NULL, NULL, NULL, NULL, &error);
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_FORMAT);
  g_assert_null (set);
  remove_bundle (tensor);
}

static void
test_metadata_too_large (void)
{
  g_autofree char *tensor = make_bundle ("labels.tsv");
  g_autofree char *dir = g_path_get_dirname (tensor);
  g_autofree char *labels = g_build_filename (dir, "labels.tsv", NULL);
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(GError) error = NULL;
  EsLoadOptions options;

  g_test_summary ("Metadata over a quarter of the memory ceiling is refused before it is read");
  g_assert_true (g_file_set_contents (labels, "a\nb\nc\n", -1, NULL));
  /* A sparse 1 GB file: its size is checked, its bytes are never read. */
  g_assert_no_errno (truncate (labels, 1 << 30));
  es_load_options_init (&options);
  options.memory_limit = 64 << 20;

  set = es_loader_load_path (tensor, &options, NULL, NULL, NULL, &error);
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE);
  g_assert_null (set);

  /* Within the ceiling it loads, with its labels as words. */
  g_clear_error (&error);
  g_assert_no_errno (truncate (labels, 6));
  set = es_loader_load_path (tensor, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (es_embedding_set_get_word (set, 2), ==, "c");
  remove_bundle (tensor);
}

static void
test_config_fifo (void)
{
  g_autofree char *tensor = make_bundle ("labels.tsv");
  g_autofree char *dir = g_path_get_dirname (tensor);
  g_autofree char *config = g_build_filename (dir, "projector_config.json", NULL);
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("A projector_config.json that is a FIFO is ignored, not waited for");
  g_assert_no_errno (g_unlink (config));
  g_assert_no_errno (mkfifo (config, 0600));

  set = es_loader_load_path (tensor, NULL, NULL, NULL, NULL, &error);
  /* Without a config, raw .bytes need a shape, and the error says so. */
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "--shape"));
  g_assert_null (set);
  remove_bundle (tensor);
}

int
main (int   argc,
      char *argv[])
{
  /* No G_TEST_OPTION_ISOLATE_DIRS: GLib 2.74 leaks the user dirs it
   * replaces, which the sanitizer build would report.
   */
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/side-files/metadata-fifo", test_metadata_fifo);
  g_test_add_func ("/engine/side-files/metadata-device", test_metadata_device);
  g_test_add_func ("/engine/side-files/metadata-too-large", test_metadata_too_large);
  g_test_add_func ("/engine/side-files/config-fifo", test_config_fifo);

  return g_test_run ();
}
