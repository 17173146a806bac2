/* es-load-warnings.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Collects per-line warnings; a broken 3M-row file must not produce 3M
 * strings, so only the first 100 are kept and the rest are counted.
 */

#define G_LOG_DOMAIN "es-loader"

#include "config.h"

#include "es-loader-private.h"

#define MAX_WARNINGS 100

struct _EsLoadWarnings
{
  GPtrArray *messages;
  guint64    n_dropped;
};

EsLoadWarnings *
_es_load_warnings_new (void)
{
  EsLoadWarnings *self = g_new0 (EsLoadWarnings, 1);

  self->messages = g_ptr_array_new_with_free_func (g_free);

  return self;
}

void
_es_load_warnings_free (EsLoadWarnings *self)
{
  if (self == NULL)
    return;

  g_ptr_array_unref (self->messages);
  g_free (self);
}

void
_es_load_warnings_add (EsLoadWarnings *self,
                       const char     *format,
                       ...)
{
  va_list args;

  if (self->messages->len >= MAX_WARNINGS)
    {
      self->n_dropped++;
      return;
    }

  va_start (args, format);
  g_ptr_array_add (self->messages, g_strdup_vprintf (format, args));
  va_end (args);
}

GPtrArray *
_es_load_warnings_steal (EsLoadWarnings *self)
{
  GPtrArray *messages = self->messages;

  if (self->n_dropped > 0)
    g_ptr_array_add (messages,
                     g_strdup_printf ("... and %" G_GUINT64_FORMAT " more", self->n_dropped));

  self->messages = g_ptr_array_new_with_free_func (g_free);
  self->n_dropped = 0;

  return messages;
}
