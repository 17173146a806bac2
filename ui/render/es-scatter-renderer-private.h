/* es-scatter-renderer-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-label-cache-private.h"
#include "es-plot-cairo-private.h"
#include "es-rank-grid-private.h"
#include "es-scatter-renderer.h"
#include "es-splat-worker-private.h"
#include "es-sprite-private.h"

G_BEGIN_DECLS

/* Shared by the files of the renderer: es-scatter-renderer.c orchestrates;
 * es-plot-palette.c, es-splat-2d.c, es-density.c, es-splat-3d.c,
 * es-plot-vector.c, es-plot-density.c, es-plot-axes.c, es-plot-labels.c, es-plot-overlay.c and
 * es-plot-export.c each draw or write one part.
 */

#define ES_PLOT_KEY_NONE   0xffff   /* colour key of a point without one */
#define ES_PLOT_FOG_LEVELS 16       /* steps of the 3D depth cue */

struct _EsScatterRenderer
{
  EsSprite        *sprites[ES_SPRITE_MAX_Q + 1];
  float           *zbuf;
  gsize            zbuf_len;
  guint8          *hits;      /* points centred in each pixel, 2D */
  gsize            hits_len;
  float           *band_xy;   /* 2D: projected points grouped by band of rows */
  guint32         *band_color;
  gsize            band_len;
  EsSplatWorker   *splat_worker;  /* 2D and 3D: draws parts of big frames */
  guint8          *hits2;         /* ... with its own saturation counts */
  gsize            hits2_len;
  int              splat_threads; /* EsSplatThreads, a test hook */
  guint8          *density;   /* big N: points per pixel, up to 255 */
  guint16         *hsum;      /* ... and their horizontal box sums */
  guint16         *key_at;    /* ... colour key of the last point per pixel */
  guint16         *hkey;
  guint32         *box_rows;
  gsize            density_len;
  gsize            density_threshold;
  struct _EsDensityLayer *density_layer;  /* the density map, last computed */
  guint32         *splat_base;  /* 2D sprite path: rows to clear to, or NULL */
  guint32         *base_buf;
  gsize            base_len;
  guint16         *cell;      /* big N, 3D: band of rows and depth slice per point */
  struct _Mark3d  *mark;      /* ... and where it lands */
  gsize            cell_len;
  guint32         *cell_hist; /* ... points per cell, per chunk of the points */
  gsize            cell_hist_len;
  struct _Mark3d  *order;     /* ... each part's marks, nearest slice first */
  gsize            order_len;
  guint32         *accum;     /* ... drawn front to back into this layer */
  gsize            accum_len;
  int              splat_3d_parts;   /* test hooks: 0 for the default */
  gboolean         splat_3d_no_skip;
  gboolean         splat_3d_scalar;

  /* Label widths, measured once per data and font. */
  EsScatterData   *width_data;
  double           width_font_size;
  char            *width_font_family;
  float           *widths;

  guint8          *occupancy;
  gsize            occupancy_len;
  int              occ_cols;
  int              occ_rows;
  GArray          *labels;
  EsLabelCache    *label_cache;
  EsRankGrid      *rank_grid;   /* label candidates by rank near the view (2D) */
  EsScatterData   *centre_data; /* category centres, once per data and colouring */
  guint            centre_serial;
  GArray          *centres;
  GArray          *category_labels;  /* EsLabelBox, row = the category */
  double           category_ascent;
};

/* What the decorations share while one frame is drawn. */
typedef struct
{
  cairo_t             *cr;
  EsScatterData       *data;
  const EsViewport    *vp;
  const EsPlotStyle   *style;
  EsViewTransform      t;
  double               font_size;
  double               ascent;
  double               height;
  double               pad;
  GHashTable          *placed;
} EsLabelContext;

/* es-scatter-renderer.c */
const EsSprite  *_es_scatter_renderer_get_sprite  (EsScatterRenderer     *self,
                                                   double                 diameter);
gboolean         _es_scatter_renderer_use_density (EsScatterRenderer     *self,
                                                   EsScatterData         *data,
                                                   const EsViewport      *vp);

/* Inline: these run once per point or label candidate. */
static inline gboolean
_es_plot_project_row (const EsScatterData   *data,
                      const EsViewTransform *t,
                      gsize                  row,
                      double                *sx,
                      double                *sy,
                      double                *depth)
{
  double x, y, z;

  if (row >= es_scatter_data_get_n_points (data))
    return FALSE;
  if (!es_scatter_data_get_point (data, row, &x, &y, &z))
    return FALSE;
  return es_view_transform_project (t, x, y, z, sx, sy, depth);
}

/* Which of @n slots (fog levels, depth slices) @depth falls in between
 * @near and @far: clamped while still a double, so a NaN depth or range
 * (near == far, a NaN camera) gives slot 0, never an int out of range.
 */
static inline int
_es_plot_depth_slot (double depth,
                     double near,
                     double far,
                     int    n)
{
  double f = (depth - near) / (far - near) * n;

  if (!(f >= 0))
    return 0;
  if (f > n - 1)
    return n - 1;
  return (int) f;
}

/* Marker diameter of a point in 3D: perspective makes near points bigger. */
static inline double
_es_plot_depth_size_factor (const EsViewport *vp,
                            double            depth)
{
  double f;

  if (!vp->three_d || !(depth > 0))
    return 1.0;
  /* Written so that a NaN distance gives a size, not NaN. */
  f = vp->distance / depth;
  if (!(f > 0.35))
    return 0.35;
  return MIN (f, 3.0);
}

/* The cached sprite without a call: this runs once per 3D point. */
static inline const EsSprite *
_es_scatter_renderer_sprite_for (EsScatterRenderer *self,
                                 double             diameter)
{
  int q = CLAMP ((int) (diameter * 4 + 0.5), 1, ES_SPRITE_MAX_Q);

  if (G_LIKELY (self->sprites[q] != NULL))
    return self->sprites[q];

  return _es_scatter_renderer_get_sprite (self, diameter);
}

G_END_DECLS
