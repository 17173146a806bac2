/* es-density-map-private.h: a kernel density estimate on the screen grid
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-scatter-data.h"
#include "es-scatter-renderer.h"
#include "es-viewport.h"

G_BEGIN_DECLS

#define ES_DENSITY_HIST_BINS 4096

typedef struct
{
  double        bandwidth;   /* times the rule's bandwidth; 1 for the rule itself */
  double        fixed_h;     /* > 0: this bandwidth in pixels on both axes instead */
  const double *levels;      /* fractions of the points, each in (0, 1) */
  guint         n_levels;
} EsDensityParams;

/* The density of the points on a grid of nodes @cell pixels apart, node
 * (i, j) at surface position (x0 + i * cell, y0 + j * cell), covering the
 * surface plus the kernel's reach on every side.  f is a probability
 * density per square pixel of the points in the grid (n_binned of them):
 *   f(x) = 1 / n  sum_i  N(x; x_i, diag (hx², hy²)).
 */
typedef struct
{
  int      nx;
  int      ny;
  double   x0;
  double   y0;
  double   cell;
  double   hx;
  double   hy;
  gsize    n_screen;      /* points on the surface: the bandwidth's sample */
  gsize    n_binned;      /* points in the grid: the density's */
  float   *f;
  double   mass;          /* sum of f * cell²: 1 unless mass spilled off the grid */
  double   fmax;
  guint    n_levels;
  double   level_fraction[ES_PLOT_MAX_DENSITY_LEVELS];
  double   level[ES_PLOT_MAX_DENSITY_LEVELS];   /* the density at each contour */

  /* The share of the (sampled) points in each bin of sqrt (f / fmax)
   * and up: ES_DENSITY_HIST_BINS + 1 entries, the last 0.
   */
  double  *above;
  gsize    n_sampled;

  /* Scratch, kept between frames. */
  float   *xy;
  gsize    xy_len;
  float   *tmp;
  gsize    f_len;
  guint32 *hist;
  gsize    hist_len;
} EsDensityGrid;

void     _es_density_grid_init       (EsDensityGrid         *self);
void     _es_density_grid_clear      (EsDensityGrid         *self);

/* From surface positions (x, y pairs; NaN ones and those beyond the
 * kernel's reach are left out).  FALSE when no point is on the surface.
 */
gboolean _es_density_grid_compute_xy (EsDensityGrid         *self,
                                      const float           *xy,
                                      gsize                  n,
                                      int                    width,
                                      int                    height,
                                      const EsDensityParams *params);
/* The visible points of @data through the camera @t (2D or 3D). */
gboolean _es_density_grid_compute    (EsDensityGrid         *self,
                                      EsScatterData         *data,
                                      const EsViewTransform *t,
                                      int                    width,
                                      int                    height,
                                      const EsDensityParams *params);
/* The share of the points where the density is higher than @f: 0 at
 * the peak, 1 where there are no points.
 */
double   _es_density_grid_coverage   (const EsDensityGrid   *self,
                                      double                 f);

G_END_DECLS
