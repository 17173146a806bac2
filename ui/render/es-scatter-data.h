/* es-scatter-data.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "es-embedding-set.h"
#include "es-projection.h"

G_BEGIN_DECLS

#define ES_TYPE_SCATTER_DATA (es_scatter_data_get_type ())

typedef struct _EsScatterData EsScatterData;

/* What the plot shows: one point per embedding row, its coordinates
 * normalised into the unit square (cube in 3D) with ONE scale for every
 * axis so distances keep their meaning, centred on 0.5.  Masked rows keep
 * their index and get NaN.  Also: the word of every row (label priority =
 * row rank, row 0 most frequent), optional categories or numeric values
 * for colour, axis titles, and a spatial order for the raster back-end.
 *
 * Immutable once shared (the setters are for its creator only), so it can
 * be built in a worker thread and handed to the widget.
 */

GType          es_scatter_data_get_type          (void) G_GNUC_CONST;

/* coords: n_points rows of @stride floats; x, y (and z when cz >= 0) are
 * the columns cx, cy, cz.  Labels are @words (n_points strings, e.g. a
 * metadata column) when given, else the words of @set (its rows must
 * match), else empty.  Lookups by word use @set when there is one.
 */
EsScatterData *es_scatter_data_new_from_coords   (const float         *coords,
                                                  gsize                n_points,
                                                  guint                stride,
                                                  guint                cx,
                                                  guint                cy,
                                                  gint                 cz,
                                                  EsEmbeddingSet      *set,
                                                  const char * const  *words);
/* Components are 0-based; cz < 0 means 2D.  Axis titles name the
 * component and its explained variance when the projection has one.
 */
EsScatterData *es_scatter_data_new_from_projection (EsEmbeddingSet    *set,
                                                  EsProjection        *projection,
                                                  guint                cx,
                                                  guint                cy,
                                                  gint                 cz,
                                                  GError             **error);
EsScatterData *es_scatter_data_ref               (EsScatterData       *self);
void           es_scatter_data_unref             (EsScatterData       *self);

/* Only while the data is still private to its creator.  @categories has
 * n_points entries (G_MAXUINT: none); @values too (NaN: none).
 */
void           es_scatter_data_set_categories    (EsScatterData       *self,
                                                  const guint         *categories,
                                                  const char * const  *names,
                                                  guint                n_names);
void           es_scatter_data_set_values        (EsScatterData       *self,
                                                  const double        *values,
                                                  const char          *title);
/* A metadata column: numeric (every non-empty value parses) becomes a
 * gradient, anything else a categorical colour in order of appearance.
 */
gboolean       es_scatter_data_set_color_column  (EsScatterData       *self,
                                                  EsMetadata          *metadata,
                                                  guint                column);
void           es_scatter_data_set_axis_title    (EsScatterData       *self,
                                                  guint                axis,
                                                  const char          *title);

gsize          es_scatter_data_get_n_points      (const EsScatterData *self);
gsize          es_scatter_data_get_n_visible     (const EsScatterData *self);
gboolean       es_scatter_data_is_3d             (const EsScatterData *self);
/* Normalised; NaN for masked rows; z is 0.5 in 2D. */
gboolean       es_scatter_data_get_point         (const EsScatterData *self,
                                                  gsize                row,
                                                  double              *x,
                                                  double              *y,
                                                  double              *z);
const float   *es_scatter_data_get_xyz           (const EsScatterData *self);
/* Normalised coordinate n = (value - offset) * scale + 0.5 on every axis. */
void           es_scatter_data_get_transform     (const EsScatterData *self,
                                                  guint                axis,
                                                  double              *center,
                                                  double              *scale);
/* Bounds of the visible points, normalised, min then max per axis. */
void           es_scatter_data_get_bounds        (const EsScatterData *self,
                                                  double               min[3],
                                                  double               max[3]);
double         es_scatter_data_to_data_units     (const EsScatterData *self,
                                                  guint                axis,
                                                  double               normalised);
double         es_scatter_data_from_data_units   (const EsScatterData *self,
                                                  guint                axis,
                                                  double               value);
const char    *es_scatter_data_get_label         (const EsScatterData *self,
                                                  gsize                row);
gboolean       es_scatter_data_lookup            (const EsScatterData *self,
                                                  const char          *word,
                                                  gsize               *row);
const char    *es_scatter_data_get_axis_title    (const EsScatterData *self,
                                                  guint                axis);
EsEmbeddingSet *es_scatter_data_get_embedding_set (const EsScatterData *self);

/* Colour keys: none, categories (key = category index) or values
 * (key = 0..255 along the gradient, 0xffff for a missing value).
 */
typedef enum
{
  ES_SCATTER_COLOR_NONE,
  ES_SCATTER_COLOR_CATEGORIES,
  ES_SCATTER_COLOR_VALUES,
} EsScatterColorMode;

EsScatterColorMode es_scatter_data_get_color_mode (const EsScatterData *self);
guint          es_scatter_data_get_n_categories  (const EsScatterData *self);
const char    *es_scatter_data_get_category_name (const EsScatterData *self,
                                                  guint                category);
/* G_MAXUINT when the row has none. */
guint          es_scatter_data_get_category      (const EsScatterData *self,
                                                  gsize                row);
void           es_scatter_data_get_value_range   (const EsScatterData *self,
                                                  double              *min,
                                                  double              *max);
const char    *es_scatter_data_get_color_title   (const EsScatterData *self);
/* Changes whenever the colours (categories, values) change: for caches. */
guint          es_scatter_data_get_color_serial  (const EsScatterData *self);

/* The visible points in a space-filling (Morton) order, so that splatting
 * them in this order touches memory coherently at any pan and zoom.
 * Arrays of es_scatter_data_get_n_visible() entries.
 */
const guint32 *es_scatter_data_get_sorted_rows   (const EsScatterData *self);
const guint16 *es_scatter_data_get_sorted_keys   (const EsScatterData *self);
const float   *es_scatter_data_get_sorted_xyz    (const EsScatterData *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsScatterData, es_scatter_data_unref)

G_END_DECLS
