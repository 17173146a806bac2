/* es-session.c: reading and writing .embedscope sessions (json-glib)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The file is a JSON object:
 *   { "format": "embedscope-session", "version": 1,
 *     "data": { "path", "absolute-path", "size", "sha256-first-mib",
 *               "metadata": { "path", "absolute-path" }, "limit" },
 *     "projection": { "method", "3d", "components", "center", "normalize",
 *                     "axes", "orthogonalize", "perplexity", "iterations",
 *                     "neighbors", "min-dist", "epochs", "seed",
 *                     "layout": { "rows", "dims", "float32le-base64" } },
 *     "view": { "isolate", "selection", "focus", "neighbors", "metric",
 *               "filter": { "text", "regex", "top-n", "category" },
 *               "label-column", "color-column", "clusters", "analogy",
 *               "camera": { "zoom", "center", "target", "size", "scale", "distance",
 *                           "azimuth", "elevation" },
 *               "style": { "point-size", "opacity", "font-size", "density" } },
 *     "compare": null or { "path", "absolute-path", "method", "center", "scale",
 *                  "anchors": null or { "path", "absolute-path" }, "k",
 *                  "overlap-words", "focus" } }
 * Unknown keys are ignored, so a later version 1 writer may add some.
 */

#define G_LOG_DOMAIN "es-session"

#include "config.h"

#include "es-session-private.h"

#include "es-engine-error.h"
#include "es-memory.h"

#include <errno.h>
#include <fcntl.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Coordinates of 400k rows in 3D are ~6 MB of base64: far below this. */
#define MAX_SESSION_BYTES  (G_GUINT64_CONSTANT (1) << 30)
#define CHECKSUM_BYTES     (1 << 20)
#define SNIFF_BYTES        4096

G_DEFINE_QUARK (es-session-error-quark, es_session_error)

EsSession *
es_session_new (void)
{
  EsSession *self = g_new0 (EsSession, 1);

  self->method = ES_METHOD_PCA;
  self->components[0] = 0;
  self->components[1] = 1;
  self->components[2] = 2;
  self->min_dist = -1;
  self->seed = 1;
  self->neighbors_k = 10;
  self->metric = g_strdup ("cosine");
  self->zoom = 1;
  self->azimuth = 30;
  self->elevation = 20;
  self->compare_k = 10;
  self->compare_overlap_top = 20000;
  self->warnings = g_ptr_array_new_with_free_func (g_free);
  return self;
}

void
es_session_free (EsSession *self)
{
  if (self == NULL)
    return;
  g_free (self->path);
  g_free (self->data_path);
  g_free (self->derived_reason);
  g_free (self->data_checksum);
  g_free (self->metadata_path);
  g_strfreev (self->axes);
  g_free (self->coords);
  g_strfreev (self->isolate);
  g_strfreev (self->selection);
  g_free (self->focus);
  g_free (self->metric);
  g_free (self->filter_text);
  g_free (self->category);
  g_free (self->label_column);
  g_free (self->color_column);
  g_free (self->analogy);
  g_free (self->compare_path);
  g_free (self->compare_method);
  g_free (self->compare_anchors);
  g_free (self->compare_focus);
  g_ptr_array_unref (self->warnings);
  g_free (self);
}

void
es_session_add_warning (EsSession  *self,
                        const char *format,
                        ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (self->warnings, g_strdup_vprintf (format, args));
  va_end (args);
}

void
es_session_set_coords (EsSession   *self,
                       const float *coords,
                       gsize        rows,
                       guint        dims)
{
  g_return_if_fail (self != NULL);

  g_clear_pointer (&self->coords, g_free);
  self->coords_rows = 0;
  self->coords_dims = 0;
  if (coords == NULL || rows == 0 || dims == 0)
    return;
  self->coords = g_memdup2 (coords, rows * dims * sizeof (float));
  self->coords_rows = rows;
  self->coords_dims = dims;
}

void
es_session_drop_coords (EsSession  *self,
                        const char *why)
{
  if (self->coords == NULL)
    return;
  es_session_set_coords (self, NULL, 0, 0);
  es_session_add_warning (self, "%s: the stored map is dropped and computed again", why);
}

/* ---- files ---- */

static char *
display (const char *path)
{
  return g_filename_display_name (path);
}

/* Opens @path for reading only if it is a regular file (a FIFO would
 * block, a device never end): the loaders' rule.
 */
static int
open_regular (const char  *path,
              GError     **error)
{
  g_autofree char *name = display (path);
  struct stat st;
  int fd;

  if (stat (path, &st) != 0)
    {
      int saved = errno;

      g_set_error (error, ES_SESSION_ERROR,
                   saved == ENOENT ? ES_SESSION_ERROR_MISSING_FILE : ES_SESSION_ERROR_INVALID,
                   "%s: %s", name, g_strerror (saved));
      return -1;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, ES_SESSION_ERROR, ES_SESSION_ERROR_NOT_REGULAR,
                   "%s: not a regular file: sessions name and are files", name);
      return -1;
    }
  fd = open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, ES_SESSION_ERROR, ES_SESSION_ERROR_INVALID, "%s: %s", name,
                   g_strerror (saved));
      return -1;
    }
  /* Replaced by something else between the stat and the open. */
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, ES_SESSION_ERROR, ES_SESSION_ERROR_NOT_REGULAR,
                   "%s: not a regular file: sessions name and are files", name);
      return -1;
    }
  return fd;
}

/* Up to @max bytes from the start; -1 on error. */
static gssize
read_up_to (int     fd,
            guint8 *buf,
            gsize   max)
{
  gsize got = 0;

  while (got < max)
    {
      gssize n = read (fd, buf + got, max - got);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return -1;
      if (n == 0)
        break;
      got += (gsize) n;
    }
  return (gssize) got;
}

/* Size and SHA-256 of the first MiB: enough to tell an edited or replaced
 * file from the one saved, without reading gigabytes.
 */
gboolean
_es_session_fingerprint (const char  *path,
                  guint64     *size,
                  char       **checksum,
                  GError     **error)
{
  g_autofree guint8 *buf = NULL;
  g_autoptr(GChecksum) sum = NULL;
  struct stat st;
  gssize n;
  int fd = open_regular (path, error);

  if (fd < 0)
    return FALSE;
  buf = g_malloc (CHECKSUM_BYTES);
  n = read_up_to (fd, buf, CHECKSUM_BYTES);
  if (n < 0 || fstat (fd, &st) != 0)
    {
      int saved = errno;
      g_autofree char *name = display (path);

      close (fd);
      g_set_error (error, ES_SESSION_ERROR, ES_SESSION_ERROR_INVALID, "%s: %s", name,
                   g_strerror (saved));
      return FALSE;
    }
  close (fd);
  sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (sum, buf, n);
  *size = (guint64) st.st_size;
  *checksum = g_strdup (g_checksum_get_string (sum));
  return TRUE;
}

gboolean
es_session_sniff (const char *path)
{
  guint8 buf[SNIFF_BYTES + 1];
  gssize n;
  gsize i = 0;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);

  if ((fd = open_regular (path, NULL)) < 0)
    return FALSE;
  n = read_up_to (fd, buf, SNIFF_BYTES);
  close (fd);
  if (n <= 0)
    return FALSE;
  buf[n] = '\0';
  /* A UTF-8 byte-order mark, white space, then an object that names the
   * format near its start (we write it first).
   */
  if (n >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF)
    i = 3;
  while (i < (gsize) n && g_ascii_isspace (buf[i]))
    i++;
  return i < (gsize) n && buf[i] == '{' && memchr (buf, '\0', n) == NULL &&
         strstr ((const char *) buf + i, "\"" ES_SESSION_FORMAT "\"") != NULL &&
         strstr ((const char *) buf + i, "\"format\"") != NULL;
}

/* ---- reading ---- */

EsSession *
es_session_read (const char  *path,
                 GError     **error)
{
  g_autoptr(EsSession) self = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *absolute = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *format = NULL;
  JsonNode *root;
  JsonObject *object;
  struct stat st;
  gssize n;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  name = display (path);
  if ((fd = open_regular (path, error)) < 0)
    return NULL;
  if (fstat (fd, &st) != 0 || (guint64) st.st_size > MAX_SESSION_BYTES)
    {
      close (fd);
      g_set_error (error, ES_SESSION_ERROR, ES_SESSION_ERROR_INVALID,
                   "%s: too large for a session (at most 1 GiB)", name);
      return NULL;
    }
  /* The file, the parsed tree and the decoded map: about three times it. */
  if (!es_memory_check ((guint64) st.st_size + 1, 3, "The session", NULL, error) ||
      (contents = es_memory_try_alloc ((guint64) st.st_size + 1, 1, "The session", error)) == NULL)
    {
      close (fd);
      return NULL;
    }
  n = read_up_to (fd, (guint8 *) contents, (gsize) st.st_size);
  close (fd);
  if (n < 0)
    {
      g_set_error (error, ES_SESSION_ERROR, ES_SESSION_ERROR_INVALID, "%s: %s", name,
                   g_strerror (errno));
      return NULL;
    }
  contents[n] = '\0';

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, contents, n, &local_error))
    {
      /* json-glib says "<data>:LINE:COLUMN: Parse error: …": name the file. */
      const char *message = local_error->message;

      if (g_str_has_prefix (message, "<data>"))
        message += strlen ("<data>");
      g_set_error (error, ES_SESSION_ERROR, ES_SESSION_ERROR_PARSE, "%s%s%s", name,
                   message[0] == ':' ? "" : ": ", message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, ES_SESSION_ERROR, ES_SESSION_ERROR_NOT_SESSION,
                   "%s: not an Embedscope session (no JSON object with \"format\": \"%s\")",
                   name, ES_SESSION_FORMAT);
      return NULL;
    }
  object = json_node_get_object (root);
  {
    JsonNode *node = json_object_get_member (object, "format");

    if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING ||
        !g_str_equal (json_node_get_string (node), ES_SESSION_FORMAT))
      {
        g_set_error (error, ES_SESSION_ERROR, ES_SESSION_ERROR_NOT_SESSION,
                     "%s: not an Embedscope session (no \"format\": \"%s\")", name,
                     ES_SESSION_FORMAT);
        return NULL;
      }
    node = json_object_get_member (object, "version");
    if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64 ||
        json_node_get_int (node) < 1)
      {
        g_set_error (error, ES_SESSION_ERROR, ES_SESSION_ERROR_INVALID,
                     "%s: “version” should be a positive integer", name);
        return NULL;
      }
    if (json_node_get_int (node) > ES_SESSION_VERSION)
      {
        g_set_error (error, ES_SESSION_ERROR, ES_SESSION_ERROR_VERSION,
                     "%s: session version %" G_GINT64_FORMAT " is newer than this Embedscope "
                     "reads (version %d): update Embedscope to open it",
                     name, json_node_get_int (node), ES_SESSION_VERSION);
        return NULL;
      }
  }

  absolute = g_canonicalize_filename (path, NULL);
  dir = g_path_get_dirname (absolute);
  self = es_session_new ();
  if (!_es_session_read_root (object, name, dir, self, error))
    return NULL;
  self->path = g_steal_pointer (&absolute);
  return g_steal_pointer (&self);
}

gboolean
es_session_check_files (EsSession  *self,
                        GError    **error)
{
  g_autofree char *checksum = NULL;
  g_autofree char *name = NULL;
  guint64 size = 0;

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->data_path == NULL)
    {
      g_set_error (error, ES_SESSION_ERROR, ES_SESSION_ERROR_INVALID, "The session names no data file");
      return FALSE;
    }
  if (!_es_session_fingerprint (self->data_path, &size, &checksum, error))
    return FALSE;
  if (self->metadata_path != NULL)
    {
      int fd = open_regular (self->metadata_path, error);

      if (fd < 0)
        return FALSE;
      close (fd);
    }

  /* The comparison is an extra: without B (or its anchors) the session
   * still opens, with a warning.
   */
  if (self->compare_path != NULL && !g_file_test (self->compare_path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *b = display (self->compare_path);

      es_session_add_warning (self, "%s, compared with in the session, is missing: the comparison "
                              "is not restored", b);
      g_clear_pointer (&self->compare_path, g_free);
    }
  if (self->compare_path != NULL && self->compare_anchors != NULL &&
      !g_file_test (self->compare_anchors, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *anchors = display (self->compare_anchors);

      es_session_add_warning (self, "the anchor list %s is missing: the comparison fits on every "
                              "shared word", anchors);
      g_clear_pointer (&self->compare_anchors, g_free);
    }

  name = display (self->data_path);
  if ((self->data_size != 0 && size != self->data_size) ||
      (self->data_checksum != NULL && g_ascii_strcasecmp (checksum, self->data_checksum) != 0))
    {
      es_session_add_warning (self, "%s has changed since the session was saved "
                              "(its size or first MiB differ)", name);
      es_session_drop_coords (self, name);
    }
  return TRUE;
}

EsSession *
es_session_load (const char  *path,
                 GError     **error)
{
  g_autoptr(EsSession) self = es_session_read (path, error);

  if (self == NULL || !es_session_check_files (self, error))
    return NULL;
  return g_steal_pointer (&self);
}
