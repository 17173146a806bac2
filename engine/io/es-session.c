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
 *               "label-column", "color-column", "clusters",
 *               "camera": { "zoom", "center", "target", "azimuth", "elevation" },
 *               "style": { "point-size", "opacity", "font-size" } } }
 * Unknown keys are ignored, so a later version 1 writer may add some.
 */

#define G_LOG_DOMAIN "es-session"

#include "config.h"

#include "es-session.h"

#include "es-engine-error.h"
#include "es-memory.h"
#include "es-output.h"

#include <errno.h>
#include <fcntl.h>
#include <json-glib/json-glib.h>
#include <math.h>
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
static gboolean
file_fingerprint (const char  *path,
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

/* @path relative to the folder @base when both are absolute. */
static char *
relative_path (const char *path,
               const char *base)
{
  g_auto(GStrv) p = g_strsplit (path, G_DIR_SEPARATOR_S, -1);
  g_auto(GStrv) b = g_strsplit (base, G_DIR_SEPARATOR_S, -1);
  g_autoptr(GString) out = g_string_new (NULL);
  guint i = 0, j;

  if (!g_path_is_absolute (path) || !g_path_is_absolute (base))
    return g_strdup (path);
  while (p[i] != NULL && b[i] != NULL && g_str_equal (p[i], b[i]))
    i++;
  for (j = i; b[j] != NULL; j++)
    if (b[j][0] != '\0')
      g_string_append (out, ".." G_DIR_SEPARATOR_S);
  for (j = i; p[j] != NULL; j++)
    {
      g_string_append (out, p[j]);
      if (p[j + 1] != NULL)
        g_string_append_c (out, G_DIR_SEPARATOR);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ---- writing ---- */

static void
add_strv (JsonBuilder        *builder,
          const char         *name,
          const char * const *words)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; words[i] != NULL; i++)
    json_builder_add_string_value (builder, words[i]);
  json_builder_end_array (builder);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_double (JsonBuilder *builder,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_double_value (builder, value);
}

static void
add_bool (JsonBuilder *builder,
          const char  *name,
          gboolean     value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}

static void
add_file (JsonBuilder *builder,
          const char  *path,
          const char  *session_dir)
{
  g_autofree char *relative = session_dir != NULL ? relative_path (path, session_dir) : g_strdup (path);

  add_string (builder, "path", relative);
  add_string (builder, "absolute-path", path);
}

/* float32 little-endian, base64: exact, and a third of a decimal text. */
static char *
encode_coords (const float *coords,
               gsize        n)
{
  g_autofree guint32 *le = g_new (guint32, MAX (n, 1));

  for (gsize i = 0; i < n; i++)
    {
      guint32 bits;

      memcpy (&bits, &coords[i], 4);
      le[i] = GUINT32_TO_LE (bits);
    }
  return g_base64_encode ((const guchar *) le, n * 4);
}

char *
es_session_to_json (EsSession   *self,
                    const char  *session_dir,
                    GError     **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  guint n_dims = self->three_d ? 3 : 2;

  if (self->data_path == NULL)
    {
      g_set_error (error, ES_SESSION_ERROR, ES_SESSION_ERROR_DERIVED,
                   "A session names the files it shows, and this data set has none (%s): "
                   "save it as a file first, then save the session",
                   self->derived_reason != NULL ? self->derived_reason : "it was computed, not opened");
      return NULL;
    }

  json_builder_begin_object (builder);
  add_string (builder, "format", ES_SESSION_FORMAT);
  add_int (builder, "version", ES_SESSION_VERSION);

  json_builder_set_member_name (builder, "data");
  json_builder_begin_object (builder);
  add_file (builder, self->data_path, session_dir);
  add_int (builder, "size", (gint64) self->data_size);
  add_string (builder, "sha256-first-mib", self->data_checksum);
  json_builder_set_member_name (builder, "metadata");
  if (self->metadata_path != NULL)
    {
      json_builder_begin_object (builder);
      add_file (builder, self->metadata_path, session_dir);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);
  add_int (builder, "limit", (gint64) self->limit);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "projection");
  json_builder_begin_object (builder);
  add_string (builder, "method", es_method_to_string (self->method));
  add_bool (builder, "3d", self->three_d);
  json_builder_set_member_name (builder, "components");
  json_builder_begin_array (builder);
  for (guint a = 0; a < n_dims; a++)
    json_builder_add_int_value (builder, self->components[a]);
  json_builder_end_array (builder);
  add_bool (builder, "center", self->center);
  add_bool (builder, "normalize", self->normalize);
  if (self->axes != NULL)
    add_strv (builder, "axes", (const char * const *) self->axes);
  add_bool (builder, "orthogonalize", self->orthogonalize);
  add_double (builder, "perplexity", self->perplexity);
  add_int (builder, "iterations", self->iterations);
  add_int (builder, "neighbors", self->n_neighbors);
  add_double (builder, "min-dist", self->min_dist);
  add_int (builder, "epochs", self->epochs);
  /* JSON integers are int64: a seed above that travels as a string. */
  {
    g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, self->seed);

    json_builder_set_member_name (builder, "seed");
    json_builder_add_string_value (builder, seed);
  }
  if (self->coords != NULL)
    {
      g_autofree char *base64 = encode_coords (self->coords, self->coords_rows * self->coords_dims);

      json_builder_set_member_name (builder, "layout");
      json_builder_begin_object (builder);
      add_int (builder, "rows", (gint64) self->coords_rows);
      add_int (builder, "dims", self->coords_dims);
      add_string (builder, "float32le-base64", base64);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "view");
  json_builder_begin_object (builder);
  if (self->isolate != NULL)
    add_strv (builder, "isolate", (const char * const *) self->isolate);
  add_strv (builder, "selection",
            self->selection != NULL ? (const char * const *) self->selection : (const char *[]) { NULL });
  add_string (builder, "focus", self->focus);
  add_int (builder, "neighbors", self->neighbors_k);
  add_string (builder, "metric", self->metric);
  json_builder_set_member_name (builder, "filter");
  json_builder_begin_object (builder);
  add_string (builder, "text", self->filter_text != NULL ? self->filter_text : "");
  add_bool (builder, "regex", self->filter_regex);
  add_int (builder, "top-n", self->top_n);
  add_string (builder, "category", self->category);
  json_builder_end_object (builder);
  add_string (builder, "label-column", self->label_column);
  add_string (builder, "color-column", self->color_column);
  add_int (builder, "clusters", self->clusters);
  json_builder_set_member_name (builder, "camera");
  json_builder_begin_object (builder);
  if (self->has_camera)
    {
      add_double (builder, "zoom", self->zoom);
      json_builder_set_member_name (builder, "center");
      json_builder_begin_array (builder);
      for (guint a = 0; a < 2; a++)
        json_builder_add_double_value (builder, self->center_xy[a]);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "target");
      json_builder_begin_array (builder);
      for (guint a = 0; a < 3; a++)
        json_builder_add_double_value (builder, self->target[a]);
      json_builder_end_array (builder);
    }
  add_double (builder, "azimuth", self->azimuth);
  add_double (builder, "elevation", self->elevation);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "style");
  json_builder_begin_object (builder);
  add_double (builder, "point-size", self->point_size);
  add_double (builder, "opacity", self->opacity);
  add_double (builder, "font-size", self->font_size);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 1);
  return json_generator_to_data (generator, NULL);
}

gboolean
es_session_save (EsSession   *self,
                 const char  *path,
                 GError     **error)
{
  g_autofree char *absolute = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *json = NULL;
  g_autofree char *checksum = NULL;
  guint64 size = 0;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  absolute = g_canonicalize_filename (path, NULL);
  dir = g_path_get_dirname (absolute);
  /* What the file is now: a later open compares. */
  if (self->data_path != NULL)
    {
      if (!file_fingerprint (self->data_path, &size, &checksum, error))
        return FALSE;
      self->data_size = size;
      g_free (self->data_checksum);
      self->data_checksum = g_steal_pointer (&checksum);
    }
  if ((json = es_session_to_json (self, dir, error)) == NULL)
    return FALSE;
  if (!es_output_write_file (path, json, strlen (json), error))
    return FALSE;
  g_free (self->path);
  self->path = g_steal_pointer (&absolute);
  return TRUE;
}

/* ---- reading ---- */

typedef struct
{
  const char *file;   /* for messages */
  GError    **error;
  gboolean    failed;
} Reader;

static gboolean
fail (Reader     *reader,
      const char *key,
      const char *expected)
{
  if (!reader->failed)
    g_set_error (reader->error, ES_SESSION_ERROR, ES_SESSION_ERROR_INVALID,
                 "%s: “%s” should be %s", reader->file, key, expected);
  reader->failed = TRUE;
  return FALSE;
}

static JsonObject *
get_object (Reader     *reader,
            JsonObject *object,
            const char *key)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, key) : NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (reader, key, "an object");
      return NULL;
    }
  return json_node_get_object (node);
}

static void
get_string (Reader     *reader,
            JsonObject *object,
            const char *key,
            char      **out)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, key) : NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return;
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    {
      fail (reader, key, "a string");
      return;
    }
  g_free (*out);
  *out = g_strdup (json_node_get_string (node));
}

static void
get_bool (Reader     *reader,
          JsonObject *object,
          const char *key,
          gboolean   *out)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, key) : NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return;
  if (json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      fail (reader, key, "true or false");
      return;
    }
  *out = json_node_get_boolean (node);
}

static void
get_double (Reader     *reader,
            JsonObject *object,
            const char *key,
            double      min,
            double      max,
            double     *out)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, key) : NULL;
  GType type;
  double value;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return;
  type = json_node_get_value_type (node);
  if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
    {
      fail (reader, key, "a number");
      return;
    }
  value = json_node_get_double (node);
  if (!isfinite (value) || value < min || value > max)
    {
      g_autofree char *range = g_strdup_printf ("a number from %g to %g", min, max);

      fail (reader, key, range);
      return;
    }
  *out = value;
}

static void
get_uint (Reader     *reader,
          JsonObject *object,
          const char *key,
          guint64     max,
          guint64    *out)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, key) : NULL;
  gint64 value;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return;
  if (json_node_get_value_type (node) != G_TYPE_INT64 ||
      (value = json_node_get_int (node)) < 0 || (guint64) value > max)
    {
      g_autofree char *range = g_strdup_printf ("an integer from 0 to %" G_GUINT64_FORMAT, max);

      fail (reader, key, range);
      return;
    }
  *out = (guint64) value;
}

static void
get_guint (Reader     *reader,
           JsonObject *object,
           const char *key,
           guint      *out)
{
  guint64 value = *out;

  get_uint (reader, object, key, G_MAXINT32, &value);
  *out = (guint) value;
}

static void
get_strv (Reader     *reader,
          JsonObject *object,
          const char *key,
          char     ***out)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, key) : NULL;
  JsonArray *array;
  GPtrArray *words;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      fail (reader, key, "a list of strings");
      return;
    }
  array = json_node_get_array (node);
  words = g_ptr_array_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (json_node_get_value_type (element) != G_TYPE_STRING)
        {
          g_ptr_array_free (words, TRUE);
          fail (reader, key, "a list of strings");
          return;
        }
      g_ptr_array_add (words, g_strdup (json_node_get_string (element)));
    }
  g_ptr_array_add (words, NULL);
  g_strfreev (*out);
  *out = (char **) g_ptr_array_free (words, FALSE);
}

static void
get_doubles (Reader     *reader,
             JsonObject *object,
             const char *key,
             double     *out,
             guint       n)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, key) : NULL;
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return;
  if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (node != NULL ? json_node_get_array (node) : NULL) != n)
    {
      g_autofree char *what = g_strdup_printf ("a list of %u numbers", n);

      fail (reader, key, what);
      return;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      GType type = json_node_get_value_type (element);

      if ((type != G_TYPE_DOUBLE && type != G_TYPE_INT64) || !isfinite (json_node_get_double (element)))
        {
          g_autofree char *what = g_strdup_printf ("a list of %u numbers", n);

          fail (reader, key, what);
          return;
        }
      out[i] = json_node_get_double (element);
    }
}

/* A file member: the path relative to the session's folder if it is there,
 * else the absolute one; when neither is, the relative one (the error then
 * names it).
 */
static char *
get_file (Reader     *reader,
          JsonObject *object,
          const char *session_dir)
{
  g_autofree char *path = NULL;
  g_autofree char *absolute = NULL;
  g_autofree char *resolved = NULL;

  get_string (reader, object, "path", &path);
  get_string (reader, object, "absolute-path", &absolute);
  if (path == NULL && absolute == NULL)
    {
      fail (reader, "path", "the data file's path");
      return NULL;
    }
  if (path != NULL)
    {
      resolved = g_canonicalize_filename (path, session_dir);
      if (g_file_test (resolved, G_FILE_TEST_EXISTS) || absolute == NULL)
        return g_steal_pointer (&resolved);
    }
  if (g_file_test (absolute, G_FILE_TEST_EXISTS) || resolved == NULL)
    return g_canonicalize_filename (absolute, session_dir);
  return g_steal_pointer (&resolved);
}

static gboolean
decode_coords (Reader     *reader,
               JsonObject *layout,
               EsSession  *self)
{
  g_autofree char *base64 = NULL;
  g_autofree guchar *bytes = NULL;
  guint64 rows = 0, dims = 0, n = 0, size = 0;
  gsize len = 0;

  get_uint (reader, layout, "rows", G_MAXINT64, &rows);
  get_uint (reader, layout, "dims", 3, &dims);
  get_string (reader, layout, "float32le-base64", &base64);
  if (reader->failed)
    return FALSE;
  if (base64 == NULL || rows == 0 || dims < 2 ||
      !es_checked_mul (rows, dims, &n) || !es_checked_mul (n, 4, &size) ||
      size > MAX_SESSION_BYTES)
    return fail (reader, "layout", "rows, dims (2 or 3) and float32le-base64");
  bytes = g_base64_decode (base64, &len);
  if (len != size)
    return fail (reader, "float32le-base64", "rows × dims float32 values");
  self->coords = g_new (float, n);
  for (guint64 i = 0; i < n; i++)
    {
      guint32 bits;

      memcpy (&bits, bytes + i * 4, 4);
      bits = GUINT32_FROM_LE (bits);
      memcpy (&self->coords[i], &bits, 4);
    }
  self->coords_rows = rows;
  self->coords_dims = (guint) dims;
  return TRUE;
}

static gboolean
read_root (Reader     *reader,
           JsonObject *root,
           const char *session_dir,
           EsSession  *self)
{
  JsonObject *data = get_object (reader, root, "data");
  JsonObject *metadata = get_object (reader, data, "metadata");
  JsonObject *projection = get_object (reader, root, "projection");
  JsonObject *layout = get_object (reader, projection, "layout");
  JsonObject *view = get_object (reader, root, "view");
  JsonObject *filter = get_object (reader, view, "filter");
  JsonObject *camera = get_object (reader, view, "camera");
  JsonObject *style = get_object (reader, view, "style");
  g_autofree char *method = NULL;
  g_autofree char *seed = NULL;
  guint64 value;

  if (reader->failed)
    return FALSE;
  if (data == NULL)
    return fail (reader, "data", "an object naming the data file");

  self->data_path = get_file (reader, data, session_dir);
  value = 0;
  get_uint (reader, data, "size", G_MAXINT64, &value);
  self->data_size = value;
  get_string (reader, data, "sha256-first-mib", &self->data_checksum);
  if (metadata != NULL)
    self->metadata_path = get_file (reader, metadata, session_dir);
  get_uint (reader, data, "limit", G_MAXINT64, &self->limit);

  get_string (reader, projection, "method", &method);
  if (method != NULL && !es_method_from_string (method, &self->method))
    return fail (reader, "method", "pca, svd, axes, identity, tsne or umap");
  get_bool (reader, projection, "3d", &self->three_d);
  {
    JsonNode *node = projection != NULL ? json_object_get_member (projection, "components") : NULL;
    guint n = self->three_d ? 3 : 2;

    if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
      {
        JsonArray *array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

        if (array == NULL || json_array_get_length (array) != n)
          return fail (reader, "components", self->three_d ? "3 component numbers" : "2 component numbers");
        for (guint a = 0; a < n; a++)
          {
            JsonNode *element = json_array_get_element (array, a);
            gint64 c;

            if (json_node_get_value_type (element) != G_TYPE_INT64 ||
                (c = json_node_get_int (element)) < 0 || c > 4096)
              return fail (reader, "components", "0-based component numbers");
            self->components[a] = (guint) c;
          }
      }
  }
  get_bool (reader, projection, "center", &self->center);
  get_bool (reader, projection, "normalize", &self->normalize);
  get_strv (reader, projection, "axes", &self->axes);
  get_bool (reader, projection, "orthogonalize", &self->orthogonalize);
  get_double (reader, projection, "perplexity", 0, 1e6, &self->perplexity);
  get_guint (reader, projection, "iterations", &self->iterations);
  get_guint (reader, projection, "neighbors", &self->n_neighbors);
  get_double (reader, projection, "min-dist", -1, 1e6, &self->min_dist);
  get_guint (reader, projection, "epochs", &self->epochs);
  get_string (reader, projection, "seed", &seed);
  if (seed != NULL && !g_ascii_string_to_unsigned (seed, 10, 0, G_MAXUINT64, &self->seed, NULL))
    return fail (reader, "seed", "an unsigned integer in a string");
  if (layout != NULL && !decode_coords (reader, layout, self))
    return FALSE;

  get_strv (reader, view, "isolate", &self->isolate);
  get_strv (reader, view, "selection", &self->selection);
  get_string (reader, view, "focus", &self->focus);
  get_guint (reader, view, "neighbors", &self->neighbors_k);
  get_string (reader, view, "metric", &self->metric);
  get_string (reader, filter, "text", &self->filter_text);
  get_bool (reader, filter, "regex", &self->filter_regex);
  get_guint (reader, filter, "top-n", &self->top_n);
  get_string (reader, filter, "category", &self->category);
  get_string (reader, view, "label-column", &self->label_column);
  get_string (reader, view, "color-column", &self->color_column);
  get_guint (reader, view, "clusters", &self->clusters);
  if (camera != NULL && json_object_has_member (camera, "zoom"))
    {
      self->has_camera = TRUE;
      get_double (reader, camera, "zoom", 1e-9, 1e9, &self->zoom);
      get_doubles (reader, camera, "center", self->center_xy, 2);
      get_doubles (reader, camera, "target", self->target, 3);
    }
  get_double (reader, camera, "azimuth", -1e6, 1e6, &self->azimuth);
  get_double (reader, camera, "elevation", -90, 90, &self->elevation);
  get_double (reader, style, "point-size", 0, 1000, &self->point_size);
  get_double (reader, style, "opacity", 0, 1, &self->opacity);
  get_double (reader, style, "font-size", 0, 1000, &self->font_size);

  return !reader->failed;
}

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
  Reader reader = { 0 };
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
  reader.file = name;
  reader.error = error;
  if (!read_root (&reader, object, dir, self))
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
  if (!file_fingerprint (self->data_path, &size, &checksum, error))
    return FALSE;
  if (self->metadata_path != NULL)
    {
      int fd = open_regular (self->metadata_path, error);

      if (fd < 0)
        return FALSE;
      close (fd);
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
