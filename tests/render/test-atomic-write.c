/* test-atomic-write.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every file the app writes (the CLI's projected TSV, the renderer's PNG,
 * SVG and PDF exports) replaces the previous one atomically: on a failure
 * the previous file is intact, no temporary file is left behind and the
 * error is reported.  CI runs as root, which ignores permissions, so the
 * failures are made in other ways:
 *  - disk full: RLIMIT_FSIZE in a subprocess (SIGXFSZ ignored, so write()
 *    fails with EFBIG as on a full disk);
 *  - permission denied: a read-only folder, written by a subprocess that
 *    drops root for nobody (skipped, saying so, when it cannot);
 *  - unwritable target: the target is a folder, or its parent is a file.
 */

#define G_LOG_DOMAIN "test-atomic-write"

#include "config.h"

#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "es-scatter-data.h"
#include "es-scatter-renderer.h"
#include "es-viewport.h"

#define PREVIOUS "the previous file, which must survive\n"
/* Far below every writer's output (checked by the success test). */
#define FSIZE_LIMIT 1024
#define NOBODY 65534

typedef struct
{
  const char *name;
  const char *basename;
  gboolean  (*write) (const char  *path,
                      GError     **error);
} Writer;

/* `embedscope project SAMPLE --output PATH`: a failure is a non-zero exit
 * with a message naming the file.
 */
static gboolean
write_cli_tsv (const char  *path,
               GError     **error)
{
  g_autofree char *sample = g_test_build_filename (G_TEST_DIST, "..", "resources",
                                                   "kjv-hamlet-5k-50d.w2v.txt", NULL);
  const char *argv[] = { g_getenv ("ES_CLI"), "project", sample, "--components", "1,2",
                         "--output", path, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *base = g_path_get_basename (path);
  int wait_status;

  g_assert_nonnull (argv[0]);
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                     &out, &err, &wait_status, error))
    return FALSE;
  g_assert_true (WIFEXITED (wait_status));
  if (WEXITSTATUS (wait_status) == 0)
    return TRUE;

  g_assert_nonnull (strstr (err, base));
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", err);
  return FALSE;
}

static gboolean
write_export (const char    *path,
              EsPlotFormat   format,
              GError       **error)
{
  g_autoptr(EsScatterData) data = NULL;
  float coords[2 * 200];
  EsPlotStyle style;
  EsPlotOverlay overlay;
  EsViewport viewport;
  double lo[3], hi[3];

  for (guint i = 0; i < 200; i++)
    {
      coords[2 * i] = (float) (i % 20);
      coords[2 * i + 1] = (float) (i / 20) + 0.1f * (float) i;
    }
  data = es_scatter_data_new_from_coords (coords, 200, 2, 0, 1, -1, NULL, NULL);
  es_plot_style_init (&style, FALSE);
  es_plot_overlay_init (&overlay);
  es_viewport_init (&viewport, 400, 300, FALSE);
  es_scatter_data_get_bounds (data, lo, hi);
  es_viewport_fit (&viewport, lo, hi, 24);

  return es_scatter_renderer_export (data, &viewport, &style, &overlay, path, format,
                                     400, 300, error);
}

static gboolean
write_png (const char  *path,
           GError     **error)
{
  return write_export (path, ES_PLOT_FORMAT_PNG, error);
}

static gboolean
write_svg (const char  *path,
           GError     **error)
{
  return write_export (path, ES_PLOT_FORMAT_SVG, error);
}

static gboolean
write_pdf (const char  *path,
           GError     **error)
{
  return write_export (path, ES_PLOT_FORMAT_PDF, error);
}

static const Writer writers[] = {
  { "cli-tsv", "coords.tsv", write_cli_tsv },
  { "png", "plot.png", write_png },
  { "svg", "plot.svg", write_svg },
  { "pdf", "plot.pdf", write_pdf },
};

/* A fresh folder (readable by everyone, for the unprivileged child)
 * holding the previous file; its path is also in $ES_TEST_DIR for the
 * subprocess.
 */
static char *
make_folder (const Writer *writer)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("es-atomic-XXXXXX", &error);
  g_autofree char *path = NULL;

  g_assert_no_error (error);
  g_assert_no_errno (g_chmod (dir, 0755));
  path = g_build_filename (dir, writer->basename, NULL);
  g_assert_true (g_file_set_contents (path, PREVIOUS, -1, &error));
  g_assert_no_error (error);
  g_setenv ("ES_TEST_DIR", dir, TRUE);

  return dir;
}

static void
remove_folder (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  g_chmod (dir, 0755);
  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        remove_folder (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

/* The previous file as it was, and nothing else in the folder (no
 * temporary file left behind), apart from @also.
 */
static void
assert_intact (const char   *dir,
               const Writer *writer,
               const char   *also)
{
  g_autofree char *path = g_build_filename (dir, writer->basename, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      g_assert_cmpstr (contents, ==, PREVIOUS);
    }
  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    if (g_strcmp0 (name, also) != 0)
      g_assert_cmpstr (name, ==, writer->basename);
}

static void
test_success (gconstpointer data)
{
  const Writer *writer = data;
  g_autofree char *dir = make_folder (writer);
  g_autofree char *path = g_build_filename (dir, writer->basename, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  g_test_summary ("A successful write replaces the previous file and leaves nothing else");

  g_assert_true (writer->write (path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpstr (contents, !=, PREVIOUS);
  /* Big enough for the disk-full test to cut it short. */
  g_assert_cmpuint (len, >, FSIZE_LIMIT);
  g_assert_cmphex (g_file_test (path, G_FILE_TEST_IS_SYMLINK), ==, FALSE);

  {
    g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (listing)) != NULL)
      g_assert_cmpstr (name, ==, writer->basename);
  }
  remove_folder (dir);
}

/* In the subprocess: write, expect a reported failure, check the folder. */
static void
child_write_fails (const Writer *writer,
                   const char   *target)
{
  const char *dir = g_getenv ("ES_TEST_DIR");
  g_autofree char *path = g_build_filename (dir, target, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (writer->write (path, &error));
  g_assert_nonnull (error);
  /* For the parent, which checks that it failed for the intended reason. */
  g_printerr ("reported: %s\n", error->message);
  assert_intact (dir, writer, NULL);
}

static void
test_disk_full (gconstpointer data)
{
  const Writer *writer = data;
  g_autofree char *dir = NULL;

  if (g_test_subprocess ())
    {
      struct rlimit limit = { FSIZE_LIMIT, FSIZE_LIMIT };

      /* Without this the kernel kills the writer instead of failing write(). */
      signal (SIGXFSZ, SIG_IGN);
      g_assert_no_errno (setrlimit (RLIMIT_FSIZE, &limit));
      child_write_fails (writer, writer->basename);
      return;
    }

  g_test_summary ("A write that runs out of space (RLIMIT_FSIZE, EFBIG) reports it and "
                  "keeps the previous file");
  dir = make_folder (writer);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*reported: *File too large*");
  assert_intact (dir, writer, NULL);
  remove_folder (dir);
}

/* Whether a child can become nobody (root in a container may lack
 * CAP_SETUID); FALSE also when we are not root, where no drop is needed.
 */
static gboolean
can_drop_root (void)
{
  pid_t pid;
  int status;

  if (getuid () != 0)
    return FALSE;
  pid = fork ();
  if (pid == 0)
    _exit (setgroups (0, NULL) == 0 && setgid (NOBODY) == 0 && setuid (NOBODY) == 0 ? 0 : 1);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);

  return WIFEXITED (status) && WEXITSTATUS (status) == 0;
}

static void
test_permission_denied (gconstpointer data)
{
  const Writer *writer = data;
  g_autofree char *dir = NULL;

  if (g_test_subprocess ())
    {
      if (getuid () == 0)
        {
          g_assert_no_errno (setgroups (0, NULL));
          g_assert_no_errno (setgid (NOBODY));
          g_assert_no_errno (setuid (NOBODY));
          /* setuid() makes the process undumpable, which would stop
           * LeakSanitizer from inspecting it.
           */
          prctl (PR_SET_DUMPABLE, 1);
        }
      child_write_fails (writer, writer->basename);
      return;
    }

  g_test_summary ("A write into a folder the user may not write to reports it and keeps "
                  "the previous file");
  if (getuid () == 0 && !can_drop_root ())
    {
      g_test_skip ("running as root without CAP_SETUID: cannot make a folder unwritable");
      return;
    }
  dir = make_folder (writer);
  /* Root keeps 0755 and writes as nobody; anyone else loses the write bit. */
  if (getuid () != 0)
    g_assert_no_errno (g_chmod (dir, 0555));
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*reported: *Permission denied*");
  assert_intact (dir, writer, NULL);
  remove_folder (dir);
}

static void
test_target_is_folder (gconstpointer data)
{
  const Writer *writer = data;
  g_autofree char *dir = make_folder (writer);
  g_autofree char *target = g_build_filename (dir, "a-folder", NULL);
  g_autofree char *inside = g_build_filename (target, "kept", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("Writing over a folder fails, reports it and leaves the folder and no "
                  "temporary file");
  g_assert_no_errno (g_mkdir (target, 0755));
  g_assert_true (g_file_set_contents (inside, PREVIOUS, -1, NULL));

  g_assert_false (writer->write (target, &error));
  g_assert_nonnull (error);
  g_assert_true (g_file_get_contents (inside, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, PREVIOUS);
  assert_intact (dir, writer, "a-folder");
  remove_folder (dir);
}

static void
test_parent_is_file (gconstpointer data)
{
  const Writer *writer = data;
  g_autofree char *dir = make_folder (writer);
  g_autofree char *target = g_build_filename (dir, writer->basename, "out", NULL);
  g_autoptr(GError) error = NULL;

  g_test_summary ("Writing below a regular file (ENOTDIR, even for root) fails, reports it "
                  "and keeps that file");
  g_assert_false (writer->write (target, &error));
  g_assert_nonnull (error);
  assert_intact (dir, writer, NULL);
  remove_folder (dir);
}

int
main (int   argc,
      char *argv[])
{
  const struct
  {
    const char    *name;
    GTestDataFunc  func;
  } modes[] = {
    { "success", test_success },
    { "disk-full", test_disk_full },
    { "permission-denied", test_permission_denied },
    { "target-is-folder", test_target_is_folder },
    { "parent-is-file", test_parent_is_file },
  };

  g_test_init (&argc, &argv, NULL);
  /* The reasons are matched in English, also in what the CLI prints. */
  g_setenv ("LC_ALL", "C", TRUE);

  for (guint w = 0; w < G_N_ELEMENTS (writers); w++)
    for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
      {
        g_autofree char *name = g_strdup_printf ("/render/atomic-write/%s/%s",
                                                 writers[w].name, modes[m].name);

        g_test_add_data_func (name, &writers[w], modes[m].func);
      }

  return g_test_run ();
}
