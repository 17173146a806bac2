/* es-json-builder.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-json-builder"

#include "config.h"

#include <math.h>
#include <string.h>

#include "es-json-builder.h"

struct _EsJsonBuilder
{
  GString *out;
  /* One flag per open container: has it got a first element yet? */
  GArray *has_element;
  gboolean after_member;
};

EsJsonBuilder *
es_json_builder_new (void)
{
  EsJsonBuilder *self = g_new0 (EsJsonBuilder, 1);

  self->out = g_string_new (NULL);
  self->has_element = g_array_new (FALSE, FALSE, sizeof (gboolean));

  return self;
}

void
es_json_builder_free (EsJsonBuilder *self)
{
  if (self == NULL)
    return;

  g_string_free (self->out, TRUE);
  g_array_unref (self->has_element);
  g_free (self);
}

char *
es_json_builder_free_to_string (EsJsonBuilder *self)
{
  char *str = g_string_free (self->out, FALSE);

  self->out = NULL;
  g_array_unref (self->has_element);
  g_free (self);

  return str;
}

/* Emits the separator a new value needs in the current container. */
static void
begin_value (EsJsonBuilder *self)
{
  gboolean *has;

  if (self->after_member)
    {
      self->after_member = FALSE;
      return;
    }
  if (self->has_element->len == 0)
    return;

  has = &g_array_index (self->has_element, gboolean, self->has_element->len - 1);
  if (*has)
    g_string_append (self->out, ", ");
  *has = TRUE;
}

static void
open_container (EsJsonBuilder *self,
                char           bracket)
{
  gboolean no = FALSE;

  begin_value (self);
  g_string_append_c (self->out, bracket);
  g_array_append_val (self->has_element, no);
}

static void
close_container (EsJsonBuilder *self,
                 char           bracket)
{
  g_return_if_fail (self->has_element->len > 0);

  g_array_set_size (self->has_element, self->has_element->len - 1);
  g_string_append_c (self->out, bracket);
}

void
es_json_builder_begin_object (EsJsonBuilder *self)
{
  open_container (self, '{');
}

void
es_json_builder_end_object (EsJsonBuilder *self)
{
  close_container (self, '}');
}

void
es_json_builder_begin_array (EsJsonBuilder *self)
{
  open_container (self, '[');
}

void
es_json_builder_end_array (EsJsonBuilder *self)
{
  close_container (self, ']');
}

static void
append_escaped (GString    *out,
                const char *value,
                gssize      len)
{
  g_autofree char *valid = g_utf8_make_valid (value, len);

  g_string_append_c (out, '"');
  for (const char *p = valid; *p; p++)
    {
      guchar c = *p;

      switch (c)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, c);
        }
    }
  g_string_append_c (out, '"');
}

void
es_json_builder_member (EsJsonBuilder *self,
                        const char    *name)
{
  begin_value (self);
  append_escaped (self->out, name, -1);
  g_string_append (self->out, ": ");
  self->after_member = TRUE;
}

void
es_json_builder_string (EsJsonBuilder *self,
                        const char    *value,
                        gssize         len)
{
  begin_value (self);
  append_escaped (self->out, value, len);
}

void
es_json_builder_int (EsJsonBuilder *self,
                     gint64         value)
{
  begin_value (self);
  g_string_append_printf (self->out, "%" G_GINT64_FORMAT, value);
}

void
es_json_builder_boolean (EsJsonBuilder *self,
                         gboolean       value)
{
  begin_value (self);
  g_string_append (self->out, value ? "true" : "false");
}

char *
es_format_double (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    return g_strdup (isnan (value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");

  for (int digits = 1; digits <= 17; digits++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", digits);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }

  return g_strdup (buf);
}

char *
es_format_float (float value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    return g_strdup (isnan (value) ? "nan" : value > 0 ? "inf" : "-inf");

  for (int digits = 1; digits <= 9; digits++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", digits);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if ((float) g_ascii_strtod (buf, NULL) == value)
        break;
    }

  return g_strdup (buf);
}

void
es_json_builder_double (EsJsonBuilder *self,
                        double         value)
{
  g_autofree char *text = NULL;

  begin_value (self);
  /* JSON has no NaN or Infinity. */
  if (!isfinite (value))
    {
      g_string_append (self->out, "null");
      return;
    }
  text = es_format_double (value);
  g_string_append (self->out, text);
}
