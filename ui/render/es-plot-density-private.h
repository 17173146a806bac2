/* es-plot-density-private.h: the density map layer of the plot
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-contour-private.h"
#include "es-density-map-private.h"
#include "es-scatter-renderer-private.h"

G_BEGIN_DECLS

/* The layer's last result, kept by the renderer: the estimate, its
 * contours and its shading, reused while the data, the camera, the size
 * and the density options stay the same (a new selection, hover, labels
 * or colours redraw without recomputing; a pan or zoom recomputes, as
 * the bandwidth follows what is on the surface).
 */
typedef struct _EsDensityLayer EsDensityLayer;

struct _EsDensityLayer
{
  EsScatterData   *data;
  EsViewport       vp;
  double           bandwidth;
  guint            n_levels;
  double           levels[ES_PLOT_MAX_DENSITY_LEVELS];
  gboolean         valid;
  gboolean         drawable;

  EsDensityGrid    grid;
  EsContourSet     contours;
  guint            level_end[ES_PLOT_MAX_DENSITY_LEVELS];  /* paths of levels 0..l */

  cairo_surface_t *shade;
  double           shade_rgba[4];
  guint            n_computed;   /* estimates made: a test hook for the cache */
};

void     _es_density_layer_free                   (EsDensityLayer        *layer);

/* Computes the estimate unless the last one still holds; FALSE when
 * there is nothing to draw (the option off, no point on the surface).
 */
gboolean _es_scatter_renderer_prepare_density      (EsScatterRenderer     *self,
                                                    EsScatterData         *data,
                                                    const EsViewport      *vp,
                                                    const EsPlotStyle     *style);
/* Under the points: the shading, an image of the grid scaled up
 * smoothly (in SVG and PDF too: an embedded image).
 */
void     _es_scatter_renderer_draw_density_shading (EsScatterRenderer     *self,
                                                    cairo_t               *cr,
                                                    EsScatterData         *data,
                                                    const EsViewport      *vp,
                                                    const EsPlotStyle     *style);
/* Over the points: the contours as smooth vector paths. */
void     _es_scatter_renderer_draw_density_contours (EsScatterRenderer    *self,
                                                    cairo_t               *cr,
                                                    EsScatterData         *data,
                                                    const EsViewport      *vp,
                                                    const EsPlotStyle     *style);
/* What the points' opacity is multiplied by under the map: 0.2 at the
 * fitted zoom, growing with log2 (zoom) to 1 at 8x.
 */
double   _es_plot_density_point_fade              (const EsViewport      *vp);

/* The estimate's grid after a prepare (tests), or NULL. */
const EsDensityGrid *_es_scatter_renderer_get_density_grid (EsScatterRenderer *self);
/* ... and the joined contour paths of level @l (points in grid units:
 * x0 + x * cell is the surface position). */
guint    _es_scatter_renderer_get_density_contours (EsScatterRenderer     *self,
                                                    guint                  l,
                                                    const EsContourPath  **paths,
                                                    const float          **grid_xy);

G_END_DECLS
