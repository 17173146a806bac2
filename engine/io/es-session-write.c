/* es-session-write.c: a session as JSON (json-glib), written atomically
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-session"

#include "config.h"

#include "es-session-private.h"

#include "es-output.h"

#include <json-glib/json-glib.h>
#include <string.h>

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

static void
write_compare (JsonBuilder *builder,
               EsSession   *self,
               const char  *session_dir)
{
  json_builder_set_member_name (builder, "compare");
  if (self->compare_path == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }
  json_builder_begin_object (builder);
  add_file (builder, self->compare_path, session_dir);
  add_string (builder, "method", self->compare_method != NULL ? self->compare_method : "auto");
  add_bool (builder, "center", self->compare_center);
  add_bool (builder, "scale", self->compare_scale);
  json_builder_set_member_name (builder, "anchors");
  if (self->compare_anchors != NULL)
    {
      json_builder_begin_object (builder);
      add_file (builder, self->compare_anchors, session_dir);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);
  add_int (builder, "k", self->compare_k);
  add_int (builder, "overlap-words", (gint64) self->compare_overlap_top);
  add_string (builder, "focus", self->compare_focus);
  json_builder_end_object (builder);
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
  add_string (builder, "analogy", self->analogy);
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
      json_builder_set_member_name (builder, "size");
      json_builder_begin_array (builder);
      json_builder_add_int_value (builder, self->view_width);
      json_builder_add_int_value (builder, self->view_height);
      json_builder_end_array (builder);
      add_double (builder, "scale", self->scale);
      add_double (builder, "distance", self->distance);
    }
  add_double (builder, "azimuth", self->azimuth);
  add_double (builder, "elevation", self->elevation);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "style");
  json_builder_begin_object (builder);
  add_double (builder, "point-size", self->point_size);
  add_double (builder, "opacity", self->opacity);
  add_double (builder, "font-size", self->font_size);
  add_bool (builder, "density", self->show_density);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  write_compare (builder, self, session_dir);

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
      if (!_es_session_fingerprint (self->data_path, &size, &checksum, error))
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
