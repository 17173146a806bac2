/* test-output.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The output policy every writer goes through (es-output.h).  Device nodes
 * are made with mknod in a temporary folder: never aim a test at the real
 * /dev (developers and CI run as root).
 */

#define G_LOG_DOMAIN "test-output"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "es-engine.h"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("es-output-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static guint
count_entries (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
test_regular_replaced (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "out.tsv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  struct stat before, after;

  g_test_summary ("an existing regular file is replaced by a new inode (temp + rename), "
                  "an absent one created; no temporary file stays");
  g_assert_true (es_output_write_file (path, "old\n", 4, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stat (path, &before), ==, 0);
  g_assert_cmpint (es_output_kind (path, NULL, NULL), ==, ES_OUTPUT_REPLACE);
  g_assert_true (es_output_write_file (path, "new\n", 4, &error));
  g_assert_cmpint (stat (path, &after), ==, 0);
  g_assert_cmpuint (before.st_ino, !=, after.st_ino);
  g_assert_cmpint (after.st_mode & 0777, ==, 0644);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "new\n");
  g_assert_cmpuint (count_entries (f->dir), ==, 1);
}

static void
test_abort_keeps_old (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "keep.tsv", NULL);
  g_autofree char *contents = NULL;
  EsOutput *out;

  g_test_summary ("a write that fails half-way leaves the old file whole and no temporary file");
  g_assert_true (es_output_write_file (path, "old\n", 4, NULL));
  out = es_output_open (path, NULL);
  g_assert_nonnull (out);
  g_assert_true (es_output_write (out, "partial", 7, NULL));
  es_output_fail (out, ENOSPC);
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (es_output_commit (out, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
    g_assert_nonnull (strstr (error->message, "keep.tsv"));
  }
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "old\n");
  g_assert_cmpuint (count_entries (f->dir), ==, 1);
}

static void
test_symlink_target (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *real = g_build_filename (f->dir, "real.tsv", NULL);
  g_autofree char *link = g_build_filename (f->dir, "link.tsv", NULL);
  g_autofree char *dangling = g_build_filename (f->dir, "dangling.tsv", NULL);
  g_autofree char *made = g_build_filename (f->dir, "made.tsv", NULL);
  g_autofree char *target = NULL;
  g_autofree char *contents = NULL;
  struct stat st;

  g_test_summary ("a symlink stays a symlink: the file it resolves to is replaced; a dangling "
                  "one gets its target created");
  g_assert_true (g_file_set_contents (real, "old\n", -1, NULL));
  g_assert_cmpint (symlink ("real.tsv", link), ==, 0);
  g_assert_cmpint (es_output_kind (link, &target, NULL), ==, ES_OUTPUT_REPLACE);
  g_assert_true (g_str_has_suffix (target, "/real.tsv"));
  g_assert_true (es_output_write_file (link, "new\n", 4, NULL));
  g_assert_cmpint (lstat (link, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  g_assert_true (g_file_get_contents (real, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "new\n");
  g_clear_pointer (&contents, g_free);

  g_assert_cmpint (symlink ("made.tsv", dangling), ==, 0);
  g_assert_true (es_output_write_file (dangling, "x\n", 2, NULL));
  g_assert_cmpint (lstat (dangling, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  g_assert_true (g_file_get_contents (made, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "x\n");
}

static gboolean
make_device (const char *path,
             guint       major_number,
             guint       minor_number)
{
  if (mknod (path, S_IFCHR | 0666, makedev (major_number, minor_number)) != 0)
    {
      g_test_skip_printf ("mknod %s: %s (needs root)", path, g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

static void
test_null_device (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "null", NULL);
  g_autoptr(GError) error = NULL;
  struct stat st;
  int fd;

  g_test_summary ("a character device (a null device made here) is written in place and stays "
                  "a device: never replaced by a regular file");
  if (!make_device (path, 1, 3))
    return;
  fd = open (path, O_WRONLY);
  if (fd < 0)
    {
      g_test_skip_printf ("cannot open a device node here: %s", g_strerror (errno));
      return;
    }
  close (fd);
  g_assert_cmpint (es_output_kind (path, NULL, NULL), ==, ES_OUTPUT_DIRECT);
  g_assert_true (es_output_write_file (path, "data\n", 5, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lstat (path, &st), ==, 0);
  g_assert_true (S_ISCHR (st.st_mode));
  g_assert_cmpuint (count_entries (f->dir), ==, 1);
}

static void
test_full_device (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "full", NULL);
  g_autoptr(GError) error = NULL;
  int fd;

  g_test_summary ("a full device reports ENOSPC naming the path, instead of success");
  if (!make_device (path, 1, 7))
    return;
  fd = open (path, O_WRONLY);
  if (fd < 0)
    {
      g_test_skip_printf ("cannot open a device node here: %s", g_strerror (errno));
      return;
    }
  close (fd);
  g_assert_false (es_output_write_file (path, "data\n", 5, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_nonnull (strstr (error->message, "full"));
}

static void
test_fifo (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "fifo", NULL);
  g_autoptr(GError) error = NULL;
  char buf[16] = { 0 };
  int reader;
  struct stat st;

  g_test_summary ("a FIFO without a reader fails at once (no hang); with one it is written in place");
  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  g_assert_cmpint (es_output_kind (path, NULL, NULL), ==, ES_OUTPUT_DIRECT);
  g_assert_false (es_output_write_file (path, "x", 1, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  reader = open (path, O_RDONLY | O_NONBLOCK);
  g_assert_cmpint (reader, >=, 0);
  g_assert_true (es_output_write_file (path, "hello", 5, &error));
  g_assert_no_error (error);
  g_assert_cmpint (read (reader, buf, sizeof buf - 1), ==, 5);
  g_assert_cmpstr (buf, ==, "hello");
  close (reader);
  g_assert_cmpint (lstat (path, &st), ==, 0);
  g_assert_true (S_ISFIFO (st.st_mode));
}

static void
test_stdout (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "stdout.txt", NULL);
  g_autofree char *contents = NULL;
  struct stat before, after;
  int saved = dup (STDOUT_FILENO);
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

  g_test_summary ("'-' and the file stdout already is are written through stdout, in place "
                  "(renaming over it would lose what the shell redirected)");
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (fstat (fd, &before), ==, 0);
  fflush (stdout);
  g_assert_cmpint (dup2 (fd, STDOUT_FILENO), ==, STDOUT_FILENO);
  close (fd);

  g_assert_cmpint (es_output_kind ("-", NULL, NULL), ==, ES_OUTPUT_STDOUT);
  g_assert_cmpint (es_output_kind (path, NULL, NULL), ==, ES_OUTPUT_STDOUT);
  g_assert_true (es_output_write_file ("-", "one\n", 4, NULL));
  g_assert_true (es_output_write_file (path, "two\n", 4, NULL));

  fflush (stdout);
  g_assert_cmpint (dup2 (saved, STDOUT_FILENO), ==, STDOUT_FILENO);
  close (saved);
  g_assert_cmpint (stat (path, &after), ==, 0);
  g_assert_cmpuint (before.st_ino, ==, after.st_ino);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "one\ntwo\n");
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (f->dir, "no-such-dir", "x.tsv", NULL);
  g_autoptr(GError) error = NULL;

  g_test_summary ("a folder is refused; a path in a missing folder fails naming it");
  g_assert_cmpint (es_output_kind (f->dir, NULL, &error), ==, ES_OUTPUT_REFUSED);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
  g_clear_error (&error);
  g_assert_false (es_output_write_file (missing, "x", 1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "x.tsv"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add ("/output/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("regular-replaced", test_regular_replaced);
  ADD ("abort-keeps-old", test_abort_keeps_old);
  ADD ("symlink-target", test_symlink_target);
  ADD ("null-device", test_null_device);
  ADD ("full-device", test_full_device);
  ADD ("fifo", test_fifo);
  ADD ("stdout", test_stdout);
  ADD ("refused", test_refused);
#undef ADD

  return g_test_run ();
}
