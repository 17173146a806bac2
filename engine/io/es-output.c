/* es-output.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rename only over regular files: renaming a temporary file over a device
 * node or a symlink would replace it with a regular file (as root, over
 * /dev/null).  Devices and pipes cannot be replaced atomically anyway, so
 * they are written in place, and their errors still reported.
 */

#define G_LOG_DOMAIN "es-output"

#include "config.h"

#include "es-output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

struct _EsOutput
{
  EsOutputKind kind;
  char        *display;   /* the path as the user gave it, for messages */
  char        *target;    /* the file replaced (REPLACE) */
  char        *tmp_path;  /* REPLACE only */
  int          fd;
  int          saved_errno;
};

static gboolean
is_stdout (const struct stat *st)
{
  struct stat out;

  return fstat (STDOUT_FILENO, &out) == 0 && out.st_dev == st->st_dev && out.st_ino == st->st_ino;
}

static void
set_errno_error (GError    **error,
                 int         saved,
                 const char *display)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
               "Cannot write “%s”: %s", display, g_strerror (saved));
}

EsOutputKind
es_output_kind (const char  *path,
                char       **target,
                GError     **error)
{
  g_autofree char *display = NULL;
  struct stat lst, st;

  g_return_val_if_fail (path != NULL, ES_OUTPUT_REFUSED);

  if (target != NULL)
    *target = NULL;
  if (g_str_equal (path, "-"))
    return ES_OUTPUT_STDOUT;

  display = g_filename_display_name (path);
  if (lstat (path, &lst) != 0)
    {
      int saved = errno;

      if (saved != ENOENT)
        {
          set_errno_error (error, saved, display);
          return ES_OUTPUT_REFUSED;
        }
      if (target != NULL)
        *target = g_strdup (path);
      return ES_OUTPUT_REPLACE;
    }

  if (stat (path, &st) != 0)
    {
      int saved = errno;

      /* A dangling symlink: create what it points to, if we can name it. */
      if (S_ISLNK (lst.st_mode) && saved == ENOENT)
        {
          g_autofree char *link = g_file_read_link (path, NULL);

          if (link != NULL)
            {
              g_autofree char *dir = g_path_get_dirname (path);

              if (target != NULL)
                *target = g_path_is_absolute (link) ? g_strdup (link)
                                                    : g_build_filename (dir, link, NULL);
              return ES_OUTPUT_REPLACE;
            }
        }
      set_errno_error (error, saved, display);
      return ES_OUTPUT_REFUSED;
    }

  if (is_stdout (&st))
    return ES_OUTPUT_STDOUT;
  if (S_ISCHR (st.st_mode) || S_ISFIFO (st.st_mode) || S_ISSOCK (st.st_mode))
    return ES_OUTPUT_DIRECT;
  if (S_ISREG (st.st_mode))
    {
      if (S_ISLNK (lst.st_mode))
        {
          char *real = realpath (path, NULL);

          if (real == NULL)
            {
              set_errno_error (error, errno, display);
              return ES_OUTPUT_REFUSED;
            }
          if (target != NULL)
            *target = g_strdup (real);
          free (real);
        }
      else if (target != NULL)
        *target = g_strdup (path);
      return ES_OUTPUT_REPLACE;
    }

  g_set_error (error, G_IO_ERROR, S_ISDIR (st.st_mode) ? G_IO_ERROR_IS_DIRECTORY : G_IO_ERROR_NOT_REGULAR_FILE,
               "Cannot write “%s”: %s", display,
               S_ISDIR (st.st_mode) ? "it is a folder" : "it is not a regular file, a character device or a pipe");
  return ES_OUTPUT_REFUSED;
}

EsOutput *
es_output_open (const char  *path,
                GError     **error)
{
  g_autofree char *target = NULL;
  EsOutputKind kind;
  EsOutput *self;

  g_return_val_if_fail (path != NULL, NULL);

  kind = es_output_kind (path, &target, error);
  if (kind == ES_OUTPUT_REFUSED)
    return NULL;

  self = g_new0 (EsOutput, 1);
  self->kind = kind;
  self->display = g_filename_display_name (path);
  self->fd = -1;

  switch (kind)
    {
    case ES_OUTPUT_STDOUT:
      /* What printf () holds goes first. */
      fflush (stdout);
      self->fd = dup (STDOUT_FILENO);
      break;

    case ES_OUTPUT_DIRECT:
      /* O_NONBLOCK: a FIFO without a reader fails (ENXIO) instead of
       * blocking forever; the writes themselves block as usual.
       */
      self->fd = open (path, O_WRONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
      if (self->fd >= 0)
        {
          int flags = fcntl (self->fd, F_GETFL);

          if (flags >= 0)
            fcntl (self->fd, F_SETFL, flags & ~O_NONBLOCK);
        }
      break;

    case ES_OUTPUT_REPLACE:
      {
        g_autofree char *dir = g_path_get_dirname (target);
        g_autofree char *base = g_path_get_basename (target);

        self->target = g_steal_pointer (&target);
        self->tmp_path = g_strdup_printf ("%s%c.%s.XXXXXX", dir, G_DIR_SEPARATOR, base);
        self->fd = g_mkstemp_full (self->tmp_path, O_WRONLY | O_CLOEXEC, 0666);
        /* mkstemp creates 0600; an export is not secret.  (Reading the
         * umask means setting it, which races with other threads.)
         */
        if (self->fd >= 0 && fchmod (self->fd, 0644) != 0)
          g_debug ("fchmod failed on %s: %s", self->tmp_path, g_strerror (errno));
        if (self->fd < 0)
          g_clear_pointer (&self->tmp_path, g_free);
      }
      break;

    case ES_OUTPUT_REFUSED:
    default:
      g_assert_not_reached ();
    }

  if (self->fd < 0)
    {
      set_errno_error (error, errno == ENXIO ? ENXIO : errno, self->display);
      es_output_abort (self);
      return NULL;
    }

  return self;
}

int
es_output_get_fd (EsOutput *self)
{
  g_return_val_if_fail (self != NULL, -1);

  return self->fd;
}

void
es_output_fail (EsOutput *self,
                int       saved_errno)
{
  g_return_if_fail (self != NULL);

  if (self->saved_errno == 0)
    self->saved_errno = saved_errno != 0 ? saved_errno : EIO;
}

gboolean
es_output_write (EsOutput    *self,
                 const void  *data,
                 gsize        len,
                 GError     **error)
{
  const char *p = data;

  g_return_val_if_fail (self != NULL, FALSE);

  while (len > 0 && self->saved_errno == 0)
    {
      gssize n = write (self->fd, p, MIN (len, (gsize) G_MAXSSIZE));

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          es_output_fail (self, n < 0 ? errno : ENOSPC);
          break;
        }
      p += n;
      len -= (gsize) n;
    }
  if (self->saved_errno != 0)
    {
      set_errno_error (error, self->saved_errno, self->display);
      return FALSE;
    }
  return TRUE;
}

gboolean
es_output_commit (EsOutput  *self,
                  GError   **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  /* fsync only makes sense for the file about to be renamed into place. */
  if (self->saved_errno == 0 && self->kind == ES_OUTPUT_REPLACE && fsync (self->fd) != 0)
    es_output_fail (self, errno);
  if (close (self->fd) != 0)
    es_output_fail (self, errno);
  self->fd = -1;
  if (self->saved_errno == 0 && self->kind == ES_OUTPUT_REPLACE)
    {
      if (g_rename (self->tmp_path, self->target) != 0)
        es_output_fail (self, errno);
      else
        g_clear_pointer (&self->tmp_path, g_free);
    }

  if (self->saved_errno != 0)
    {
      set_errno_error (error, self->saved_errno, self->display);
      es_output_abort (self);
      return FALSE;
    }
  es_output_abort (self);
  return TRUE;
}

void
es_output_abort (EsOutput *self)
{
  if (self == NULL)
    return;
  if (self->fd >= 0)
    close (self->fd);
  if (self->tmp_path != NULL)
    g_unlink (self->tmp_path);
  g_free (self->tmp_path);
  g_free (self->target);
  g_free (self->display);
  g_free (self);
}

gboolean
es_output_write_file (const char  *path,
                      const void  *data,
                      gsize        len,
                      GError     **error)
{
  EsOutput *out = es_output_open (path, error);

  if (out == NULL)
    return FALSE;
  if (!es_output_write (out, data, len, error))
    {
      es_output_abort (out);
      return FALSE;
    }
  return es_output_commit (out, error);
}
