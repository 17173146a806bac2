/* es-scatter-data.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-scatter-data"

#include "config.h"

#include "es-scatter-data.h"

#include "es-engine-error.h"

#include <math.h>
#include <string.h>

#define ES_KEY_NONE 0xffff

struct _EsScatterData
{
  gatomicrefcount     ref_count;

  gsize               n_points;
  gsize               n_visible;
  gboolean            three_d;

  /* n_points x 3, normalised; NaN rows are masked. */
  float              *xyz;
  double              center[3];
  double              scale;
  double              min[3];
  double              max[3];

  /* Labels: borrowed from the set when its word is valid UTF-8, else a
   * made-valid copy kept here (rare: only broken files have those).
   */
  EsEmbeddingSet     *set;
  char              **words;
  GHashTable         *fixed_words;
  GHashTable         *word_index;   /* only for the words[] variant */

  EsScatterColorMode  color_mode;
  guint              *categories;
  GPtrArray          *category_names;
  double             *values;
  double              value_min;
  double              value_max;
  char               *color_title;
  char               *axis_titles[3];

  guint32            *sorted_rows;
  guint               color_serial;  /* bumped by every colour change */
  guint16            *sorted_keys;
  float              *sorted_xyz;
};

G_DEFINE_BOXED_TYPE (EsScatterData, es_scatter_data, es_scatter_data_ref, es_scatter_data_unref)

/* Spreads the low 10 bits of v so that two such values interleave. */
static guint32
spread_bits (guint32 v)
{
  v &= 0x3ff;
  v = (v | (v << 16)) & 0x030000ff;
  v = (v | (v << 8)) & 0x0300f00f;
  v = (v | (v << 4)) & 0x030c30c3;
  v = (v | (v << 2)) & 0x09249249;
  return v;
}

/* Spreads the 16 bits of v to the even bit positions. */
static guint32
spread_bits16 (guint32 v)
{
  v &= 0xffff;
  v = (v | (v << 8)) & 0x00ff00ff;
  v = (v | (v << 4)) & 0x0f0f0f0f;
  v = (v | (v << 2)) & 0x33333333;
  v = (v | (v << 1)) & 0x55555555;
  return v;
}

static guint32
morton_code (double x,
             double y,
             double z,
             gboolean three_d)
{
  guint32 ix = (guint32) CLAMP (x * 1023.0, 0.0, 1023.0);
  guint32 iy = (guint32) CLAMP (y * 1023.0, 0.0, 1023.0);
  guint32 iz = (guint32) CLAMP (z * 1023.0, 0.0, 1023.0);

  if (three_d)
    return spread_bits (ix) | (spread_bits (iy) << 1) | (spread_bits (iz) << 2);

  /* 2D: 16 bits per axis, interleaved. */
  ix = (guint32) CLAMP (x * 65535.0, 0.0, 65535.0);
  iy = (guint32) CLAMP (y * 65535.0, 0.0, 65535.0);
  return spread_bits16 (ix) | (spread_bits16 (iy) << 1);
}

/* LSD radix sort of (code << 32 | row) by the code, 4 passes of 8 bits. */
static void
radix_sort (guint64 *items,
            gsize    n)
{
  g_autofree guint64 *tmp = g_new (guint64, n);
  guint64 *src = items;
  guint64 *dst = tmp;

  for (guint pass = 0; pass < 4; pass++)
    {
      gsize count[257] = { 0 };
      guint shift = 32 + pass * 8;
      guint64 *swap;

      for (gsize i = 0; i < n; i++)
        count[((src[i] >> shift) & 0xff) + 1]++;
      for (guint b = 0; b < 256; b++)
        count[b + 1] += count[b];
      for (gsize i = 0; i < n; i++)
        dst[count[(src[i] >> shift) & 0xff]++] = src[i];

      swap = src;
      src = dst;
      dst = swap;
    }

  /* After an even number of passes the result is back in items. */
  g_assert (src == items);
}

static guint16
key_for_row (const EsScatterData *self,
             gsize                row)
{
  switch (self->color_mode)
    {
    case ES_SCATTER_COLOR_CATEGORIES:
      if (self->categories[row] == G_MAXUINT)
        return ES_KEY_NONE;
      return (guint16) MIN (self->categories[row], ES_KEY_NONE - 1);

    case ES_SCATTER_COLOR_VALUES:
      {
        double v = self->values[row];
        double range = self->value_max - self->value_min;

        if (!isfinite (v))
          return ES_KEY_NONE;
        if (range <= 0)
          return 128;
        return (guint16) CLAMP ((v - self->value_min) / range * 255.0 + 0.5, 0, 255);
      }

    case ES_SCATTER_COLOR_NONE:
    default:
      return 0;
    }
}

static void
update_sorted_keys (EsScatterData *self)
{
  self->color_serial++;
  for (gsize i = 0; i < self->n_visible; i++)
    self->sorted_keys[i] = key_for_row (self, self->sorted_rows[i]);
}

static void
build_sorted (EsScatterData *self)
{
  g_autofree guint64 *items = g_new (guint64, MAX (self->n_visible, 1));
  gsize k = 0;

  for (gsize i = 0; i < self->n_points; i++)
    {
      const float *p = self->xyz + 3 * i;

      if (isnan (p[0]))
        continue;
      items[k++] = ((guint64) morton_code (p[0], p[1], p[2], self->three_d) << 32) | (guint64) i;
    }
  g_assert (k == self->n_visible);

  radix_sort (items, k);

  self->sorted_rows = g_new (guint32, MAX (k, 1));
  self->sorted_keys = g_new0 (guint16, MAX (k, 1));
  self->sorted_xyz = g_new (float, 3 * MAX (k, 1));
  for (gsize i = 0; i < k; i++)
    {
      guint32 row = (guint32) (items[i] & 0xffffffff);

      self->sorted_rows[i] = row;
      memcpy (self->sorted_xyz + 3 * i, self->xyz + 3 * (gsize) row, 3 * sizeof (float));
    }
  update_sorted_keys (self);
}

EsScatterData *
es_scatter_data_new_from_coords (const float        *coords,
                                 gsize               n_points,
                                 guint               stride,
                                 guint               cx,
                                 guint               cy,
                                 gint                cz,
                                 EsEmbeddingSet     *set,
                                 const char * const *words)
{
  EsScatterData *self;
  guint axes[3] = { cx, cy, cz >= 0 ? (guint) cz : 0 };
  guint n_axes = cz >= 0 ? 3 : 2;
  double lo[3] = { INFINITY, INFINITY, INFINITY };
  double hi[3] = { -INFINITY, -INFINITY, -INFINITY };
  double range = 0;

  g_return_val_if_fail (coords != NULL || n_points == 0, NULL);
  g_return_val_if_fail (cx < stride && cy < stride && (cz < 0 || (guint) cz < stride), NULL);
  g_return_val_if_fail (set == NULL || es_embedding_set_get_rows (set) == n_points, NULL);
  g_return_val_if_fail (n_points < G_MAXUINT32, NULL);

  self = g_new0 (EsScatterData, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->n_points = n_points;
  self->three_d = cz >= 0;
  self->xyz = g_new (float, 3 * MAX (n_points, 1));

  /* A row is visible only if all of its shown coordinates are finite. */
  for (gsize i = 0; i < n_points; i++)
    {
      const float *row = coords + i * stride;
      gboolean ok = TRUE;

      for (guint a = 0; a < n_axes; a++)
        ok = ok && isfinite (row[axes[a]]);
      if (!ok)
        continue;
      self->n_visible++;
      for (guint a = 0; a < n_axes; a++)
        {
          lo[a] = MIN (lo[a], row[axes[a]]);
          hi[a] = MAX (hi[a], row[axes[a]]);
        }
    }

  for (guint a = 0; a < 3; a++)
    {
      if (a < n_axes && self->n_visible > 0)
        {
          self->center[a] = (lo[a] + hi[a]) / 2;
          range = MAX (range, hi[a] - lo[a]);
        }
    }
  /* One scale for all axes keeps the geometry of the projection. */
  self->scale = range > 0 && isfinite (range) ? 1.0 / range : 1.0;

  for (gsize i = 0; i < n_points; i++)
    {
      const float *row = coords + i * stride;
      float *out = self->xyz + 3 * i;
      gboolean ok = TRUE;

      for (guint a = 0; a < n_axes; a++)
        ok = ok && isfinite (row[axes[a]]);
      for (guint a = 0; a < 3; a++)
        {
          if (!ok)
            out[a] = NAN;
          else if (a < n_axes)
            out[a] = (float) ((row[axes[a]] - self->center[a]) * self->scale + 0.5);
          else
            out[a] = 0.5f;
        }
    }

  for (guint a = 0; a < 3; a++)
    {
      if (a < n_axes && self->n_visible > 0)
        {
          self->min[a] = (lo[a] - self->center[a]) * self->scale + 0.5;
          self->max[a] = (hi[a] - self->center[a]) * self->scale + 0.5;
        }
      else
        {
          self->min[a] = 0.5;
          self->max[a] = 0.5;
        }
    }

  if (set != NULL)
    {
      gboolean tokens = es_embedding_set_get_token_display (set) != ES_TOKEN_DISPLAY_NONE;

      self->set = es_embedding_set_ref (set);
      /* Labels differ from the words for invalid UTF-8 and decoded tokens. */
      for (gsize i = 0; i < n_points; i++)
        {
          gsize len = 0;
          const char *w = es_embedding_set_get_word (set, i);

          len = es_embedding_set_get_word_len (set, i);
          if (tokens || !g_utf8_validate (w, len, NULL))
            {
              char *shown = es_embedding_set_dup_display_word (set, i);

              if (strlen (shown) == len && memcmp (shown, w, len) == 0)
                {
                  g_free (shown);
                  continue;
                }
              if (self->fixed_words == NULL)
                self->fixed_words = g_hash_table_new_full (NULL, NULL, NULL, g_free);
              g_hash_table_insert (self->fixed_words, GSIZE_TO_POINTER (i), shown);
            }
        }
    }
  /* Labels from a metadata column replace the words on screen; lookups by
   * word still go through the set.
   */
  if (words != NULL)
    {
      self->words = g_new0 (char *, n_points + 1);
      if (set == NULL)
        self->word_index = g_hash_table_new (g_str_hash, g_str_equal);
      for (gsize i = 0; i < n_points; i++)
        {
          self->words[i] = g_utf8_make_valid (words[i], -1);
          if (self->word_index != NULL && !g_hash_table_contains (self->word_index, self->words[i]))
            g_hash_table_insert (self->word_index, self->words[i], GSIZE_TO_POINTER (i));
        }
    }

  for (guint a = 0; a < 3; a++)
    {
      if (a < n_axes)
        self->axis_titles[a] = g_strdup_printf ("%u", axes[a] + 1);
    }

  build_sorted (self);

  return self;
}

EsScatterData *
es_scatter_data_new_from_projection (EsEmbeddingSet  *set,
                                     EsProjection    *projection,
                                     guint            cx,
                                     guint            cy,
                                     gint             cz,
                                     GError         **error)
{
  EsScatterData *self;
  guint n_components;
  guint n_ratio = 0;
  const double *ratio;
  const char *prefix;
  guint axes[3] = { cx, cy, cz >= 0 ? (guint) cz : 0 };

  g_return_val_if_fail (set != NULL, NULL);
  g_return_val_if_fail (projection != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  n_components = es_projection_get_n_components (projection);
  if (cx >= n_components || cy >= n_components || (cz >= 0 && (guint) cz >= n_components))
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "Component %u is out of range: the projection has %u components",
                   MAX (MAX (cx, cy), cz >= 0 ? (guint) cz : 0) + 1, n_components);
      return NULL;
    }
  if (es_projection_get_rows (projection) != es_embedding_set_get_rows (set))
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_DIMENSION,
                   "The projection has %" G_GSIZE_FORMAT " rows but the embedding has %" G_GSIZE_FORMAT,
                   es_projection_get_rows (projection), es_embedding_set_get_rows (set));
      return NULL;
    }

  self = es_scatter_data_new_from_coords (es_projection_get_coords (projection),
                                          es_projection_get_rows (projection),
                                          n_components, cx, cy, cz, set, NULL);

  switch (es_projection_get_method (projection))
    {
    case ES_METHOD_PCA:      prefix = "PC"; break;
    case ES_METHOD_SVD:      prefix = "SV"; break;
    case ES_METHOD_AXES:     prefix = "Axis "; break;
    case ES_METHOD_IDENTITY: prefix = "Dim "; break;
    case ES_METHOD_TSNE:     prefix = "t-SNE "; break;
    case ES_METHOD_UMAP:     prefix = "UMAP "; break;
    default:                 prefix = ""; break;
    }

  ratio = es_projection_get_explained_variance_ratio (projection, &n_ratio);
  for (guint a = 0; a < (cz >= 0 ? 3u : 2u); a++)
    {
      g_free (self->axis_titles[a]);
      if (ratio != NULL && axes[a] < n_ratio)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          /* One decimal, locale-independent. */
          g_ascii_formatd (buf, sizeof buf, "%.1f", ratio[axes[a]] * 100.0);
          self->axis_titles[a] = g_strdup_printf ("%s%u (%s%%)", prefix, axes[a] + 1, buf);
        }
      else
        self->axis_titles[a] = g_strdup_printf ("%s%u", prefix, axes[a] + 1);
    }

  if (es_embedding_set_get_metadata (set) != NULL)
    {
      EsMetadata *metadata = es_embedding_set_get_metadata (set);

      /* A projector metadata file often has a label and a class column:
       * colour by the last column when there is more than one.
       */
      if (es_metadata_get_n_columns (metadata) > 1)
        es_scatter_data_set_color_column (self, metadata, es_metadata_get_n_columns (metadata) - 1);
    }

  return self;
}

EsScatterData *
es_scatter_data_ref (EsScatterData *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
es_scatter_data_unref (EsScatterData *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_clear_pointer (&self->set, es_embedding_set_unref);
  g_clear_pointer (&self->word_index, g_hash_table_unref);
  g_strfreev (self->words);
  g_clear_pointer (&self->fixed_words, g_hash_table_unref);
  g_clear_pointer (&self->category_names, g_ptr_array_unref);
  g_free (self->categories);
  g_free (self->values);
  g_free (self->color_title);
  for (guint a = 0; a < 3; a++)
    g_free (self->axis_titles[a]);
  g_free (self->xyz);
  g_free (self->sorted_rows);
  g_free (self->sorted_keys);
  g_free (self->sorted_xyz);
  g_free (self);
}

void
es_scatter_data_set_categories (EsScatterData      *self,
                                const guint        *categories,
                                const char * const *names,
                                guint               n_names)
{
  g_return_if_fail (self != NULL);

  g_clear_pointer (&self->categories, g_free);
  g_clear_pointer (&self->values, g_free);
  g_clear_pointer (&self->category_names, g_ptr_array_unref);
  self->color_mode = ES_SCATTER_COLOR_NONE;

  if (categories != NULL)
    {
      self->color_mode = ES_SCATTER_COLOR_CATEGORIES;
      self->categories = g_memdup2 (categories, sizeof (guint) * MAX (self->n_points, 1));
      self->category_names = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < n_names; i++)
        g_ptr_array_add (self->category_names, g_strdup (names != NULL ? names[i] : ""));
      /* Rows naming a category without a name still get a slot. */
      for (gsize i = 0; i < self->n_points; i++)
        {
          while (categories[i] != G_MAXUINT && categories[i] >= self->category_names->len)
            g_ptr_array_add (self->category_names,
                             g_strdup_printf ("%u", self->category_names->len + 1));
        }
    }

  update_sorted_keys (self);
}

void
es_scatter_data_set_values (EsScatterData *self,
                            const double  *values,
                            const char    *title)
{
  g_return_if_fail (self != NULL);

  es_scatter_data_set_categories (self, NULL, NULL, 0);
  g_free (self->color_title);
  self->color_title = g_strdup (title);

  if (values != NULL)
    {
      self->color_mode = ES_SCATTER_COLOR_VALUES;
      self->values = g_memdup2 (values, sizeof (double) * MAX (self->n_points, 1));
      self->value_min = INFINITY;
      self->value_max = -INFINITY;
      for (gsize i = 0; i < self->n_points; i++)
        {
          if (isfinite (values[i]) && !isnan (self->xyz[3 * i]))
            {
              self->value_min = MIN (self->value_min, values[i]);
              self->value_max = MAX (self->value_max, values[i]);
            }
        }
      if (self->value_min > self->value_max)
        self->value_min = self->value_max = 0;
    }

  update_sorted_keys (self);
}

gboolean
es_scatter_data_set_color_column (EsScatterData *self,
                                  EsMetadata    *metadata,
                                  guint          column)
{
  gsize n_rows;
  gboolean numeric = TRUE;
  gboolean any = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (metadata != NULL, FALSE);

  n_rows = es_metadata_get_n_rows (metadata);
  if (column >= es_metadata_get_n_columns (metadata))
    return FALSE;

  for (gsize i = 0; i < MIN (n_rows, self->n_points) && numeric; i++)
    {
      const char *v = es_metadata_get_value (metadata, i, column);
      char *end = NULL;

      if (v == NULL || *v == '\0')
        continue;
      g_ascii_strtod (v, &end);
      numeric = end != v && *end == '\0';
      any = TRUE;
    }

  if (numeric && any)
    {
      g_autofree double *values = g_new (double, MAX (self->n_points, 1));

      for (gsize i = 0; i < self->n_points; i++)
        {
          const char *v = i < n_rows ? es_metadata_get_value (metadata, i, column) : NULL;

          values[i] = v != NULL && *v != '\0' ? g_ascii_strtod (v, NULL) : NAN;
        }
      es_scatter_data_set_values (self, values, es_metadata_get_column_name (metadata, column));
    }
  else
    {
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GPtrArray) names = g_ptr_array_new ();
      g_autofree guint *categories = g_new (guint, MAX (self->n_points, 1));

      for (gsize i = 0; i < self->n_points; i++)
        {
          const char *v = i < n_rows ? es_metadata_get_value (metadata, i, column) : NULL;
          gpointer index;

          if (v == NULL || *v == '\0')
            {
              categories[i] = G_MAXUINT;
              continue;
            }
          if (!g_hash_table_lookup_extended (seen, v, NULL, &index))
            {
              index = GUINT_TO_POINTER (names->len);
              g_hash_table_insert (seen, (gpointer) v, index);
              g_ptr_array_add (names, (gpointer) v);
            }
          categories[i] = GPOINTER_TO_UINT (index);
        }
      es_scatter_data_set_categories (self, categories,
                                      (const char * const *) names->pdata, names->len);
      g_free (self->color_title);
      self->color_title = g_strdup (es_metadata_get_column_name (metadata, column));
    }

  return TRUE;
}

void
es_scatter_data_set_axis_title (EsScatterData *self,
                                guint          axis,
                                const char    *title)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (axis < 3);

  g_free (self->axis_titles[axis]);
  self->axis_titles[axis] = g_strdup (title);
}

gsize
es_scatter_data_get_n_points (const EsScatterData *self)
{
  return self->n_points;
}

gsize
es_scatter_data_get_n_visible (const EsScatterData *self)
{
  return self->n_visible;
}

gboolean
es_scatter_data_is_3d (const EsScatterData *self)
{
  return self->three_d;
}

gboolean
es_scatter_data_get_point (const EsScatterData *self,
                           gsize                row,
                           double              *x,
                           double              *y,
                           double              *z)
{
  const float *p;

  g_return_val_if_fail (row < self->n_points, FALSE);

  p = self->xyz + 3 * row;
  if (x != NULL)
    *x = p[0];
  if (y != NULL)
    *y = p[1];
  if (z != NULL)
    *z = p[2];

  return !isnan (p[0]);
}

const float *
es_scatter_data_get_xyz (const EsScatterData *self)
{
  return self->xyz;
}

void
es_scatter_data_get_transform (const EsScatterData *self,
                               guint                axis,
                               double              *center,
                               double              *scale)
{
  g_return_if_fail (axis < 3);

  if (center != NULL)
    *center = self->center[axis];
  if (scale != NULL)
    *scale = self->scale;
}

void
es_scatter_data_get_bounds (const EsScatterData *self,
                            double               min[3],
                            double               max[3])
{
  memcpy (min, self->min, sizeof self->min);
  memcpy (max, self->max, sizeof self->max);
}

double
es_scatter_data_to_data_units (const EsScatterData *self,
                               guint                axis,
                               double               normalised)
{
  return (normalised - 0.5) / self->scale + self->center[MIN (axis, 2)];
}

double
es_scatter_data_from_data_units (const EsScatterData *self,
                                 guint                axis,
                                 double               value)
{
  return (value - self->center[MIN (axis, 2)]) * self->scale + 0.5;
}

const char *
es_scatter_data_get_label (const EsScatterData *self,
                           gsize                row)
{
  g_return_val_if_fail (row < self->n_points, "");

  if (self->words != NULL)
    return self->words[row];
  if (self->set != NULL)
    {
      if (self->fixed_words != NULL)
        {
          const char *fixed = g_hash_table_lookup (self->fixed_words, GSIZE_TO_POINTER (row));

          if (fixed != NULL)
            return fixed;
        }
      return es_embedding_set_get_word (self->set, row);
    }
  if (self->words != NULL)
    return self->words[row];

  return "";
}

gboolean
es_scatter_data_lookup (const EsScatterData *self,
                        const char          *word,
                        gsize               *row)
{
  gpointer value;

  g_return_val_if_fail (word != NULL, FALSE);

  if (self->set != NULL)
    return es_embedding_set_lookup (self->set, word, row);

  if (self->word_index != NULL &&
      g_hash_table_lookup_extended (self->word_index, word, NULL, &value))
    {
      if (row != NULL)
        *row = GPOINTER_TO_SIZE (value);
      return TRUE;
    }

  return FALSE;
}

const char *
es_scatter_data_get_axis_title (const EsScatterData *self,
                                guint                axis)
{
  g_return_val_if_fail (axis < 3, NULL);

  return self->axis_titles[axis];
}

EsEmbeddingSet *
es_scatter_data_get_embedding_set (const EsScatterData *self)
{
  return self->set;
}

EsScatterColorMode
es_scatter_data_get_color_mode (const EsScatterData *self)
{
  return self->color_mode;
}

guint
es_scatter_data_get_n_categories (const EsScatterData *self)
{
  return self->category_names != NULL ? self->category_names->len : 0;
}

const char *
es_scatter_data_get_category_name (const EsScatterData *self,
                                   guint                category)
{
  g_return_val_if_fail (self->category_names != NULL, NULL);
  g_return_val_if_fail (category < self->category_names->len, NULL);

  return g_ptr_array_index (self->category_names, category);
}

guint
es_scatter_data_get_category (const EsScatterData *self,
                              gsize                row)
{
  g_return_val_if_fail (row < self->n_points, G_MAXUINT);

  if (self->categories == NULL)
    return G_MAXUINT;
  return self->categories[row];
}

void
es_scatter_data_get_value_range (const EsScatterData *self,
                                 double              *min,
                                 double              *max)
{
  if (min != NULL)
    *min = self->value_min;
  if (max != NULL)
    *max = self->value_max;
}

const char *
es_scatter_data_get_color_title (const EsScatterData *self)
{
  return self->color_title;
}

const guint32 *
es_scatter_data_get_sorted_rows (const EsScatterData *self)
{
  return self->sorted_rows;
}

const guint16 *
es_scatter_data_get_sorted_keys (const EsScatterData *self)
{
  return self->sorted_keys;
}

const float *
es_scatter_data_get_sorted_xyz (const EsScatterData *self)
{
  return self->sorted_xyz;
}

guint
es_scatter_data_get_color_serial (const EsScatterData *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->color_serial;
}
