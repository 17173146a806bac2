/* es-plot-density.c: the density map layer: shading under the points,
 * contours over them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-plot-density"

#include "config.h"

#include "es-plot-density-private.h"

#include "es-plot-palette-private.h"

#include <math.h>
#include <string.h>

/* How this relates to es-density.c: that file is a way of drawing many
 * points (from 150k visible, 2D): counts per pixel spread over a marker's
 * box, each pixel as dark as that many overlapping markers would make
 * it.  It shows the points, not an estimate, and stays what draws them.
 * The density map here is a separate layer the user turns on: a
 * Gaussian kernel density estimate with a stated bandwidth and contour
 * levels that mean a share of the points, drawn under the points (which
 * fade while it is on) by either point path, in 2D and 3D, on the screen
 * and in PNG, SVG and PDF.
 */

void
_es_density_layer_free (EsDensityLayer *layer)
{
  if (layer == NULL)
    return;
  g_clear_pointer (&layer->data, es_scatter_data_unref);
  _es_density_grid_clear (&layer->grid);
  _es_contour_set_clear (&layer->contours);
  g_clear_pointer (&layer->shade, cairo_surface_destroy);
  g_free (layer);
}

double
_es_plot_density_point_fade (const EsViewport *vp)
{
  double z = es_viewport_get_zoom (vp);
  double t = z > 1 && isfinite (z) ? log2 (z) / 3 : 0;

  return 0.2 + 0.8 * MIN (t, 1.0);
}

/* The style's levels, valid ones only, densest region (smallest share)
 * first.
 */
static guint
sorted_levels (const EsPlotStyle *style,
               double             levels[ES_PLOT_MAX_DENSITY_LEVELS])
{
  guint n = 0;

  for (guint l = 0; l < MIN (style->n_density_levels, ES_PLOT_MAX_DENSITY_LEVELS); l++)
    {
      double p = style->density_levels[l];
      guint at = n;

      if (!(p > 0 && p < 1))
        continue;
      while (at > 0 && levels[at - 1] > p)
        {
          levels[at] = levels[at - 1];
          at--;
        }
      levels[at] = p;
      n++;
    }
  return n;
}

static gboolean
layer_matches (const EsDensityLayer *layer,
               EsScatterData        *data,
               const EsViewport     *vp,
               double                bandwidth,
               const double         *levels,
               guint                 n_levels)
{
  return layer->valid && layer->data == data && es_viewport_equal (&layer->vp, vp) &&
         layer->bandwidth == bandwidth && layer->n_levels == n_levels &&
         memcmp (layer->levels, levels, n_levels * sizeof (double)) == 0;
}

gboolean
_es_scatter_renderer_prepare_density (EsScatterRenderer *self,
                                      EsScatterData     *data,
                                      const EsViewport  *vp,
                                      const EsPlotStyle *style)
{
  EsDensityLayer *layer;
  double levels[ES_PLOT_MAX_DENSITY_LEVELS];
  double bandwidth;
  guint n_levels;
  EsDensityParams params = { 0 };
  EsViewTransform t;

  if (data == NULL || !style->show_density)
    return FALSE;
  if (self->density_layer == NULL)
    {
      self->density_layer = g_new0 (EsDensityLayer, 1);
      _es_density_grid_init (&self->density_layer->grid);
      _es_contour_set_init (&self->density_layer->contours);
    }
  layer = self->density_layer;
  bandwidth = style->density_bandwidth > 0 && isfinite (style->density_bandwidth)
              ? style->density_bandwidth : 1.0;
  n_levels = sorted_levels (style, levels);
  if (layer_matches (layer, data, vp, bandwidth, levels, n_levels))
    return layer->drawable;

  /* Hold the data: a new one at the same address must not match. */
  if (layer->data != data)
    {
      g_clear_pointer (&layer->data, es_scatter_data_unref);
      layer->data = es_scatter_data_ref (data);
    }
  layer->vp = *vp;
  layer->bandwidth = bandwidth;
  layer->n_levels = n_levels;
  memcpy (layer->levels, levels, sizeof levels);
  layer->valid = TRUE;
  g_clear_pointer (&layer->shade, cairo_surface_destroy);
  _es_contour_set_reset (&layer->contours);

  params.bandwidth = bandwidth;
  params.levels = levels;
  params.n_levels = n_levels;
  es_viewport_get_transform (vp, &t);
  layer->n_computed++;
  layer->drawable = _es_density_grid_compute (&layer->grid, data, &t, vp->width, vp->height, &params);
  if (!layer->drawable)
    return FALSE;

  for (guint l = 0; l < layer->grid.n_levels; l++)
    {
      _es_contour_trace (&layer->contours, layer->grid.f, layer->grid.nx, layer->grid.ny,
                         layer->grid.level[l]);
      layer->level_end[l] = layer->contours.paths->len;
    }
  return TRUE;
}

static gboolean
is_dark (const EsPlotStyle *style)
{
  const double *b = style->background;

  return 0.2126 * b[0] + 0.7152 * b[1] + 0.0722 * b[2] < 0.5;
}

/* The map's colour: the points' own when they have one colour, else a
 * neutral one that every category reads against.
 */
static void
map_color (const EsPlotStyle *style,
           EsScatterData     *data,
           double             rgba[4])
{
  gboolean plain = es_scatter_data_get_color_mode (data) == ES_SCATTER_COLOR_NONE;
  const double *c = plain ? style->point : style->foreground;

  memcpy (rgba, c, 3 * sizeof (double));
  rgba[3] = is_dark (style) ? (plain ? 0.5 : 0.26) : (plain ? 0.45 : 0.2);
}

/* An image of the grid, one pixel per node: the map's colour at an
 * opacity growing with the share of the points in sparser places, so the
 * shading steps evenly through the contour levels whatever the peak.
 */
static cairo_surface_t *
make_shade (const EsDensityGrid *grid,
            const double         rgba[4])
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, grid->nx, grid->ny);
  guint8 *pixels;
  int stride;
  guint32 lut[256];

  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    return surface;
  for (guint a = 0; a < 256; a++)
    lut[a] = _es_plot_pack_premultiplied (rgba, rgba[3] * a / 255.0);
  cairo_surface_flush (surface);
  pixels = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int j = 0; j < grid->ny; j++)
    {
      guint32 *row = (guint32 *) (gpointer) (pixels + (gsize) j * stride);
      const float *f = grid->f + (gsize) j * grid->nx;

      for (int i = 0; i < grid->nx; i++)
        {
          double s = 1 - _es_density_grid_coverage (grid, f[i]);

          row[i] = lut[(int) CLAMP (s * 255 + 0.5, 0, 255)];
        }
    }
  cairo_surface_mark_dirty (surface);
  return surface;
}

void
_es_scatter_renderer_draw_density_shading (EsScatterRenderer *self,
                                           cairo_t           *cr,
                                           EsScatterData     *data,
                                           const EsViewport  *vp,
                                           const EsPlotStyle *style)
{
  EsDensityLayer *layer = self->density_layer;
  const EsDensityGrid *grid;
  cairo_pattern_t *pattern;
  cairo_matrix_t m;
  double rgba[4];

  if (layer == NULL || !layer->valid || !layer->drawable)
    return;
  grid = &layer->grid;
  map_color (style, data, rgba);
  if (layer->shade == NULL || memcmp (rgba, layer->shade_rgba, sizeof rgba) != 0)
    {
      g_clear_pointer (&layer->shade, cairo_surface_destroy);
      layer->shade = make_shade (grid, rgba);
      memcpy (layer->shade_rgba, rgba, sizeof rgba);
    }
  if (cairo_surface_status (layer->shade) != CAIRO_STATUS_SUCCESS)
    return;

  /* Pixel (i, j) of the image is centred on node (i, j). */
  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, vp->width, vp->height);
  cairo_clip (cr);
  pattern = cairo_pattern_create_for_surface (layer->shade);
  cairo_matrix_init_scale (&m, 1 / grid->cell, 1 / grid->cell);
  cairo_matrix_translate (&m, -grid->x0 + grid->cell / 2, -grid->y0 + grid->cell / 2);
  cairo_pattern_set_matrix (pattern, &m);
  cairo_pattern_set_filter (pattern, CAIRO_FILTER_BILINEAR);
  cairo_set_source (cr, pattern);
  cairo_paint (cr);
  cairo_pattern_destroy (pattern);
  cairo_restore (cr);
}

/* A polyline through the marching-squares points as a Catmull-Rom
 * spline (Bézier control points a sixth of the neighbours' chord away):
 * smooth at any scale, through the same points.  Points closer than a
 * fifth of a node to the last kept one are dropped first, so the short
 * hops where a line passes near a node make no kinks.
 */
static void
append_smooth_path (cairo_t             *cr,
                    const EsDensityGrid *grid,
                    const float         *xy,
                    guint                n,
                    gboolean             closed,
                    GArray              *pts)
{
  double min_step = 0.2;
  guint m;

  g_array_set_size (pts, 0);
  for (guint k = 0; k < n; k++)
    {
      double p[2] = { xy[2 * k], xy[2 * k + 1] };

      if (pts->len > 0 && k + 1 < n)
        {
          const double *q = &g_array_index (pts, double, pts->len - 2);

          if (fabs (p[0] - q[0]) + fabs (p[1] - q[1]) < min_step)
            continue;
        }
      g_array_append_vals (pts, p, 2);
    }
  m = pts->len / 2;
  if (m < 2)
    return;
  for (guint k = 0; k < m; k++)
    {
      double *p = &g_array_index (pts, double, 2 * k);

      p[0] = grid->x0 + p[0] * grid->cell;
      p[1] = grid->y0 + p[1] * grid->cell;
    }

  {
    const double *P = (const double *) (gpointer) pts->data;
#define AT(k) (closed ? (((k) % (int) m) + (int) m) % (int) m : CLAMP ((k), 0, (int) m - 1))
    guint segs = closed ? m : m - 1;

    cairo_move_to (cr, P[0], P[1]);
    for (guint s = 0; s < segs; s++)
      {
        int a = AT ((int) s - 1), b = AT ((int) s), c = AT ((int) s + 1), d = AT ((int) s + 2);

        cairo_curve_to (cr,
                        P[2 * b] + (P[2 * c] - P[2 * a]) / 6, P[2 * b + 1] + (P[2 * c + 1] - P[2 * a + 1]) / 6,
                        P[2 * c] - (P[2 * d] - P[2 * b]) / 6, P[2 * c + 1] - (P[2 * d + 1] - P[2 * b + 1]) / 6,
                        P[2 * c], P[2 * c + 1]);
      }
    if (closed)
      cairo_close_path (cr);
#undef AT
  }
}

void
_es_scatter_renderer_draw_density_contours (EsScatterRenderer *self,
                                            cairo_t           *cr,
                                            EsScatterData     *data,
                                            const EsViewport  *vp,
                                            const EsPlotStyle *style)
{
  EsDensityLayer *layer = self->density_layer;
  g_autoptr(GArray) pts = NULL;
  const float *xy;
  double rgba[4], line[3], scale = MAX (style->font_size / 12.0, 0.5);
  gboolean dark = is_dark (style);
  guint n_levels, first = 0;

  if (layer == NULL || !layer->valid || !layer->drawable)
    return;
  n_levels = layer->grid.n_levels;
  if (n_levels == 0)
    return;
  pts = g_array_new (FALSE, FALSE, sizeof (double));
  xy = (const float *) (gpointer) layer->contours.xy->data;
  map_color (style, data, rgba);
  /* Darker than the shading on light, lighter on dark. */
  for (guint c = 0; c < 3; c++)
    line[c] = dark ? rgba[c] * 0.55 + 0.45 : rgba[c] * 0.62;

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, vp->width, vp->height);
  cairo_clip (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (guint l = 0; l < n_levels; l++)
    {
      /* The densest region's line strongest, the outermost faintest. */
      double t = n_levels > 1 ? (double) l / (n_levels - 1) : 0;
      const EsContourPath *paths = (const EsContourPath *) (gpointer) layer->contours.paths->data;

      cairo_new_path (cr);
      for (guint k = first; k < layer->level_end[l]; k++)
        append_smooth_path (cr, &layer->grid, xy + 2 * paths[k].start, paths[k].n,
                            paths[k].closed, pts);
      first = layer->level_end[l];
      cairo_set_source_rgba (cr, line[0], line[1], line[2], 0.9 - 0.4 * t);
      cairo_set_line_width (cr, scale * (1.5 - 0.7 * t));
      cairo_stroke (cr);
    }
  cairo_restore (cr);
}

const EsDensityGrid *
_es_scatter_renderer_get_density_grid (EsScatterRenderer *self)
{
  EsDensityLayer *layer = self->density_layer;

  return layer != NULL && layer->valid && layer->drawable ? &layer->grid : NULL;
}

guint
_es_scatter_renderer_get_density_contours (EsScatterRenderer    *self,
                                           guint                 l,
                                           const EsContourPath **paths,
                                           const float         **grid_xy)
{
  EsDensityLayer *layer = self->density_layer;
  guint first;

  if (_es_scatter_renderer_get_density_grid (self) == NULL || l >= layer->grid.n_levels)
    return 0;
  first = l > 0 ? layer->level_end[l - 1] : 0;
  *paths = (const EsContourPath *) (gpointer) layer->contours.paths->data + first;
  *grid_xy = (const float *) (gpointer) layer->contours.xy->data;
  return layer->level_end[l] - first;
}
