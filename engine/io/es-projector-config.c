/* es-projector-config.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads just enough of a TensorBoard projector_config.json to find the
 * entry whose tensorPath names our file: its tensorShape [R, D] and its
 * metadataPath.  A tiny tolerant recursive-descent scanner (no JSON
 * library dependency); anything it does not understand just means "no
 * config", never a crash: depth and all reads are bounded.
 */

#define G_LOG_DOMAIN "es-loader"

#include "config.h"

#include <string.h>

#include "es-loader-private.h"

#define MAX_DEPTH 64

typedef struct
{
  const char *p;
  const char *end;
  const char *want;       /* basename of the tensor we are loading */
  gboolean    found;
  gsize       rows;
  gsize       dims;
  char       *metadata_path;
} Scanner;

static gboolean parse_value (Scanner  *s,
                             int       depth,
                             GString  *string_out,
                             guint64  *numbers,
                             guint    *n_numbers);

static void
skip_ws (Scanner *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static gboolean
parse_string (Scanner *s,
              GString *out)
{
  if (s->p >= s->end || *s->p != '"')
    return FALSE;

  for (s->p++; s->p < s->end; s->p++)
    {
      char c = *s->p;

      if (c == '"')
        {
          s->p++;
          return TRUE;
        }
      if (c == '\\')
        {
          /* Paths rarely have escapes; keep the escaped char (\/ -> /). */
          if (++s->p >= s->end)
            return FALSE;
          c = *s->p;
          if (c == 'n')
            c = '\n';
          else if (c == 't')
            c = '\t';
        }
      if (out != NULL)
        g_string_append_c (out, c);
    }

  return FALSE;
}

static gboolean
parse_object (Scanner *s,
              int      depth)
{
  g_autoptr(GString) tensor_path = NULL;
  g_autoptr(GString) metadata_path = NULL;
  guint64 shape[2] = { 0, 0 };
  guint n_shape = 0;

  s->p++;   /* '{' */
  skip_ws (s);
  if (s->p < s->end && *s->p == '}')
    {
      s->p++;
      return TRUE;
    }

  for (;;)
    {
      g_autoptr(GString) key = g_string_new (NULL);

      skip_ws (s);
      if (!parse_string (s, key))
        return FALSE;
      skip_ws (s);
      if (s->p >= s->end || *s->p != ':')
        return FALSE;
      s->p++;
      skip_ws (s);

      if (strcmp (key->str, "tensorPath") == 0)
        {
          if (tensor_path != NULL)
            g_string_free (tensor_path, TRUE);
          tensor_path = g_string_new (NULL);
          if (!parse_string (s, tensor_path))
            return FALSE;
        }
      else if (strcmp (key->str, "metadataPath") == 0)
        {
          if (metadata_path != NULL)
            g_string_free (metadata_path, TRUE);
          metadata_path = g_string_new (NULL);
          if (!parse_string (s, metadata_path))
            return FALSE;
        }
      else if (strcmp (key->str, "tensorShape") == 0)
        {
          n_shape = 0;
          if (!parse_value (s, depth + 1, NULL, shape, &n_shape))
            return FALSE;
        }
      else if (!parse_value (s, depth + 1, NULL, NULL, NULL))
        return FALSE;

      skip_ws (s);
      if (s->p < s->end && *s->p == ',')
        {
          s->p++;
          continue;
        }
      if (s->p < s->end && *s->p == '}')
        {
          s->p++;
          break;
        }
      return FALSE;
    }

  if (!s->found && tensor_path != NULL)
    {
      g_autofree char *base = g_path_get_basename (tensor_path->str);

      if (strcmp (base, s->want) == 0)
        {
          s->found = TRUE;
          if (n_shape == 2)
            {
              s->rows = shape[0];
              s->dims = shape[1];
            }
          if (metadata_path != NULL)
            s->metadata_path = g_strdup (metadata_path->str);
        }
    }

  return TRUE;
}

/* @numbers collects up to 2 integers of an array (tensorShape). */
static gboolean
parse_value (Scanner *s,
             int      depth,
             GString *string_out,
             guint64 *numbers,
             guint   *n_numbers)
{
  if (depth > MAX_DEPTH)
    return FALSE;

  skip_ws (s);
  if (s->p >= s->end)
    return FALSE;

  switch (*s->p)
    {
    case '{':
      return parse_object (s, depth);

    case '[':
      s->p++;
      skip_ws (s);
      if (s->p < s->end && *s->p == ']')
        {
          s->p++;
          return TRUE;
        }
      for (;;)
        {
          const char *start;

          skip_ws (s);
          start = s->p;
          if (!parse_value (s, depth + 1, NULL, NULL, NULL))
            return FALSE;
          if (numbers != NULL && *n_numbers < 2)
            {
              guint64 v;

              if (_es_parse_uint (start, s->p - start, &v))
                numbers[(*n_numbers)++] = v;
            }
          skip_ws (s);
          if (s->p < s->end && *s->p == ',')
            {
              s->p++;
              continue;
            }
          if (s->p < s->end && *s->p == ']')
            {
              s->p++;
              return TRUE;
            }
          return FALSE;
        }

    case '"':
      return parse_string (s, string_out);

    default:
      /* Numbers, true, false, null. */
      if (!g_ascii_isalnum (*s->p) && *s->p != '-' && *s->p != '+' && *s->p != '.')
        return FALSE;
      while (s->p < s->end &&
             (g_ascii_isalnum (*s->p) || *s->p == '-' || *s->p == '+' || *s->p == '.'))
        s->p++;
      return TRUE;
    }
}

gboolean
_es_projector_config_scan (const char  *json,
                           gsize        len,
                           const char  *tensor_basename,
                           gsize       *rows,
                           gsize       *dims,
                           char       **metadata_path)
{
  Scanner s = { json, json + len, tensor_basename, FALSE, 0, 0, NULL };

  parse_value (&s, 0, NULL, NULL, NULL);
  if (!s.found)
    {
      g_free (s.metadata_path);
      return FALSE;
    }

  *rows = s.rows;
  *dims = s.dims;
  *metadata_path = s.metadata_path;

  return TRUE;
}

/* Looks for projector_config.json beside @tensor_path; the metadata path in
 * it is relative to the config (the projector's own layout often has a
 * folder prefix such as "oss_data/", so the basename is tried too).
 */
gboolean
_es_projector_config_find (const char  *tensor_path,
                           gsize       *rows,
                           gsize       *dims,
                           char       **metadata_path)
{
  g_autofree char *dir = g_path_get_dirname (tensor_path);
  g_autofree char *base = g_path_get_basename (tensor_path);
  g_autofree char *config = g_build_filename (dir, "projector_config.json", NULL);
  g_autofree char *json = NULL;
  g_autofree char *meta = NULL;
  gsize len;

  *rows = *dims = 0;
  *metadata_path = NULL;

  /* A config is a few hundred bytes; anything odd just means "no config". */
  if (!_es_read_side_file (config, 16 << 20, &json, &len, NULL))
    return FALSE;
  if (!_es_projector_config_scan (json, len, base, rows, dims, &meta))
    return FALSE;

  if (meta != NULL)
    {
      g_autofree char *direct = g_build_filename (dir, meta, NULL);

      if (g_path_is_absolute (meta))
        *metadata_path = g_steal_pointer (&meta);
      else if (g_file_test (direct, G_FILE_TEST_EXISTS))
        *metadata_path = g_steal_pointer (&direct);
      else
        {
          g_autofree char *meta_base = g_path_get_basename (meta);

          *metadata_path = g_build_filename (dir, meta_base, NULL);
        }
    }

  return TRUE;
}
