/* es-metadata.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-metadata"

#include "config.h"

#include <string.h>

#include "es-metadata.h"

struct _EsMetadata
{
  gatomicrefcount ref_count;
  GStrv column_names;
  guint n_columns;
  GStringChunk *chunk;  /* every value, interned: categories repeat a lot */
  GPtrArray *cells;     /* n_rows * n_columns borrowed pointers into chunk */
};

EsMetadata *
es_metadata_new (const char * const *column_names)
{
  EsMetadata *self;

  g_return_val_if_fail (column_names != NULL && column_names[0] != NULL, NULL);

  self = g_new0 (EsMetadata, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->column_names = g_strdupv ((char **) column_names);
  self->n_columns = g_strv_length (self->column_names);
  self->chunk = g_string_chunk_new (4096);
  self->cells = g_ptr_array_new ();

  return self;
}

EsMetadata *
es_metadata_ref (EsMetadata *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
es_metadata_unref (EsMetadata *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_strfreev (self->column_names);
      g_string_chunk_free (self->chunk);
      g_ptr_array_unref (self->cells);
      g_free (self);
    }
}

/* Missing trailing values become empty strings; extra ones are dropped. */
void
es_metadata_append_row (EsMetadata         *self,
                        const char * const *values)
{
  gboolean ended = FALSE;

  for (guint i = 0; i < self->n_columns; i++)
    {
      const char *value = "";

      if (!ended && values[i] == NULL)
        ended = TRUE;
      if (!ended)
        value = values[i];

      g_ptr_array_add (self->cells, g_string_chunk_insert_const (self->chunk, value));
    }
}

guint
es_metadata_get_n_columns (const EsMetadata *self)
{
  return self->n_columns;
}

gsize
es_metadata_get_n_rows (const EsMetadata *self)
{
  return self->cells->len / self->n_columns;
}

const char *
es_metadata_get_column_name (const EsMetadata *self,
                             guint             column)
{
  g_return_val_if_fail (column < self->n_columns, NULL);

  return self->column_names[column];
}

int
es_metadata_find_column (const EsMetadata *self,
                         const char       *name)
{
  for (guint i = 0; i < self->n_columns; i++)
    if (strcmp (self->column_names[i], name) == 0)
      return i;

  return -1;
}

const char *
es_metadata_get_value (const EsMetadata *self,
                       gsize             row,
                       guint             column)
{
  g_return_val_if_fail (column < self->n_columns, NULL);
  g_return_val_if_fail (row < es_metadata_get_n_rows (self), NULL);

  return g_ptr_array_index (self->cells, row * self->n_columns + column);
}
