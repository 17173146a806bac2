/* es-session-read.c: the keys of a session's JSON object, each checked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-session"

#include "config.h"

#include "es-session-private.h"

#include "es-memory.h"

#include <math.h>
#include <string.h>

/* A map above this is no map of ours (see es-session.c). */
#define MAX_SESSION_BYTES  (G_GUINT64_CONSTANT (1) << 30)

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
read_compare (Reader     *reader,
              JsonObject *compare,
              const char *session_dir,
              EsSession  *self)
{
  JsonObject *anchors = get_object (reader, compare, "anchors");
  guint64 words = self->compare_overlap_top;

  self->compare_path = get_file (reader, compare, session_dir);
  get_string (reader, compare, "method", &self->compare_method);
  if (self->compare_method != NULL && !g_str_equal (self->compare_method, "auto") &&
      !g_str_equal (self->compare_method, "orthogonal") && !g_str_equal (self->compare_method, "linear"))
    return fail (reader, "method", "auto, orthogonal or linear");
  get_bool (reader, compare, "center", &self->compare_center);
  get_bool (reader, compare, "scale", &self->compare_scale);
  if (anchors != NULL)
    self->compare_anchors = get_file (reader, anchors, session_dir);
  get_guint (reader, compare, "k", &self->compare_k);
  if (self->compare_k > G_MAXUINT16)
    return fail (reader, "k", "a neighbour count up to 65535");
  get_uint (reader, compare, "overlap-words", G_MAXINT64, &words);
  self->compare_overlap_top = words;
  get_string (reader, compare, "focus", &self->compare_focus);
  return !reader->failed;
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
  JsonObject *compare = get_object (reader, root, "compare");
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
  get_string (reader, view, "analogy", &self->analogy);
  if (camera != NULL && json_object_has_member (camera, "zoom"))
    {
      self->has_camera = TRUE;
      get_double (reader, camera, "zoom", 1e-9, 1e9, &self->zoom);
      get_doubles (reader, camera, "center", self->center_xy, 2);
      get_doubles (reader, camera, "target", self->target, 3);
      {
        double size[2] = { 0, 0 };

        get_doubles (reader, camera, "size", size, 2);
        if (size[0] >= 1 && size[0] <= 65536 && size[1] >= 1 && size[1] <= 65536)
          {
            self->view_width = (int) size[0];
            self->view_height = (int) size[1];
          }
      }
      get_double (reader, camera, "scale", 0, 1e300, &self->scale);
      get_double (reader, camera, "distance", 0, 1e300, &self->distance);
    }
  get_double (reader, camera, "azimuth", -1e6, 1e6, &self->azimuth);
  get_double (reader, camera, "elevation", -90, 90, &self->elevation);
  get_double (reader, style, "point-size", 0, 1000, &self->point_size);
  get_double (reader, style, "opacity", 0, 1, &self->opacity);
  get_double (reader, style, "font-size", 0, 1000, &self->font_size);
  get_bool (reader, style, "density", &self->show_density);
  if (compare != NULL && !read_compare (reader, compare, session_dir, self))
    return FALSE;

  return !reader->failed;
}

gboolean
_es_session_read_root (JsonObject  *root,
                       const char  *file,
                       const char  *session_dir,
                       EsSession   *self,
                       GError     **error)
{
  Reader reader = { 0 };

  reader.file = file;
  reader.error = error;
  return read_root (&reader, root, session_dir, self);
}
