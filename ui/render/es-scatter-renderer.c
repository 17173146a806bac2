/* es-scatter-renderer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-scatter-renderer"

#include "config.h"

#include "es-scatter-renderer-private.h"

#include "es-density-private.h"
#include "es-plot-axes-private.h"
#include "es-plot-category-names-private.h"
#include "es-plot-density-private.h"
#include "es-plot-labels-private.h"
#include "es-plot-overlay-private.h"
#include "es-plot-palette-private.h"
#include "es-plot-vector-private.h"
#include "es-splat-2d-private.h"
#include "es-splat-3d-private.h"

#include <math.h>
#include <string.h>

/* Sprites are built once per quarter-pixel diameter and kept. */
const EsSprite *
_es_scatter_renderer_get_sprite (EsScatterRenderer *self,
                                 double             diameter)
{
  int q = CLAMP ((int) (diameter * 4 + 0.5), 1, ES_SPRITE_MAX_Q);

  if (self->sprites[q] == NULL)
    self->sprites[q] = es_sprite_new (q);

  return self->sprites[q];
}

gboolean
_es_scatter_renderer_use_density (EsScatterRenderer *self,
                                  EsScatterData     *data,
                                  const EsViewport  *vp)
{
  return !vp->three_d && es_scatter_data_get_n_visible (data) >= self->density_threshold;
}

/* Everything drawn with Cairo on top of the points, shared by both
 * back-ends so the screen, PNG, SVG and PDF agree.
 */
static void
draw_decorations (EsScatterRenderer   *self,
                  cairo_t             *cr,
                  EsScatterData       *data,
                  const EsViewport    *vp,
                  const EsPlotStyle   *style,
                  const EsPlotOverlay *overlay)
{
  g_autoptr(GHashTable) placed = g_hash_table_new (NULL, NULL);
  EsLabelContext lc = { cr, data, vp, style };
  cairo_font_extents_t fext;
  double scale = style->font_size / 12.0;

  es_viewport_get_transform (vp, &lc.t);
  lc.font_size = style->font_size;
  lc.placed = placed;
  lc.pad = MAX (1.5, style->font_size / 6);
  cairo_save (cr);
  _es_plot_select_font (cr, style, 1.0, FALSE);
  cairo_font_extents (cr, &fext);
  lc.ascent = fext.ascent;
  lc.height = fext.ascent + fext.descent;

  _es_scatter_renderer_occupancy_reset (self, vp->width, vp->height);
  g_array_set_size (self->labels, 0);

  _es_plot_draw_overlay (cr, data, vp, style, overlay, MAX (scale, 1.0));

  /* Reserve the fixed furniture first, so labels avoid it. */
  if (style->show_axes)
    {
      if (vp->three_d)
        _es_scatter_renderer_draw_gizmo (self, &lc, scale);
      else
        _es_scatter_renderer_draw_axes_2d (self, &lc, scale);
    }
  _es_scatter_renderer_draw_legend (self, &lc, scale);

  _es_scatter_renderer_layout_category_names (self, &lc);
  _es_plot_select_font (cr, style, 1.0, FALSE);
  _es_scatter_renderer_layout_labels (self, &lc, overlay);
  _es_scatter_renderer_draw_labels (self, &lc, overlay);
  _es_scatter_renderer_draw_category_names (self, &lc);

  cairo_restore (cr);
}

/* ---- public API ------------------------------------------------------- */

EsScatterRenderer *
es_scatter_renderer_new (void)
{
  EsScatterRenderer *self = g_new0 (EsScatterRenderer, 1);

  self->labels = g_array_new (FALSE, FALSE, sizeof (EsLabelBox));
  self->category_labels = g_array_new (FALSE, FALSE, sizeof (EsLabelBox));
  self->label_cache = es_label_cache_new ();
  /* Above this many points (one colour, 2D) the density path is faster
   * than a sprite per point (measured: 1M points in ~10 ms against ~70).
   */
  self->density_threshold = 150000;

  return self;
}

void
es_scatter_renderer_free (EsScatterRenderer *self)
{
  if (self == NULL)
    return;

  for (guint q = 0; q <= ES_SPRITE_MAX_Q; q++)
    es_sprite_free (self->sprites[q]);
  g_free (self->zbuf);
  _es_splat_worker_free (self->splat_worker);
  g_free (self->hits);
  g_free (self->hits2);
  g_free (self->band_xy);
  g_free (self->band_color);
  g_free (self->density);
  g_free (self->hsum);
  g_free (self->key_at);
  g_free (self->hkey);
  g_free (self->box_rows);
  _es_density_layer_free (self->density_layer);
  g_free (self->base_buf);
  g_free (self->cell);
  g_free (self->mark);
  g_free (self->cell_hist);
  g_free (self->order);
  g_free (self->accum);
  g_clear_pointer (&self->width_data, es_scatter_data_unref);
  g_free (self->width_font_family);
  g_free (self->widths);
  g_free (self->occupancy);
  g_array_unref (self->labels);
  g_array_unref (self->category_labels);
  _es_scatter_renderer_clear_category_names (self);
  es_label_cache_free (self->label_cache);
  es_rank_grid_free (self->rank_grid);
  g_free (self);
}

void
es_scatter_renderer_render_image (EsScatterRenderer   *self,
                                  cairo_surface_t     *image,
                                  EsScatterData       *data,
                                  const EsViewport    *viewport,
                                  const EsPlotStyle   *style,
                                  const EsPlotOverlay *overlay)
{
  cairo_t *cr;
  guint32 *pixels;
  int stride_px, width, height;
  guint32 background;
  const EsPlotStyle *points_style = style;
  EsPlotStyle faded;
  gboolean density;

  g_return_if_fail (self != NULL);
  g_return_if_fail (cairo_surface_get_type (image) == CAIRO_SURFACE_TYPE_IMAGE);
  g_return_if_fail (cairo_image_surface_get_format (image) == CAIRO_FORMAT_ARGB32);
  g_return_if_fail (viewport != NULL && style != NULL);

  width = cairo_image_surface_get_width (image);
  height = cairo_image_surface_get_height (image);
  g_return_if_fail (width == viewport->width && height == viewport->height);

  cairo_surface_flush (image);
  pixels = (guint32 *) cairo_image_surface_get_data (image);
  stride_px = cairo_image_surface_get_stride (image) / 4;
  cr = cairo_create (image);

  /* The density map: its shading goes under the points, which fade. */
  density = _es_scatter_renderer_prepare_density (self, data, viewport, style);
  if (density)
    {
      faded = *style;
      faded.opacity *= _es_plot_density_point_fade (viewport);
      points_style = &faded;
    }

  if (data != NULL && !viewport->three_d && !density &&
      !_es_scatter_renderer_use_density (self, data, viewport))
    {
      /* Clears, draws the grid and the points in one sweep. */
      _es_scatter_renderer_render_points_banded (self, pixels, stride_px, width, height,
                                                 data, viewport, style);
      cairo_surface_mark_dirty (image);
    }
  else
    {
      background = _es_plot_pack_premultiplied (style->background, style->background[3]);
      for (int y = 0; y < height; y++)
        {
          guint32 *row = pixels + (gsize) y * stride_px;

          for (int x = 0; x < width; x++)
            row[x] = background;
        }
      cairo_surface_mark_dirty (image);

      if (data != NULL)
        {
          _es_plot_draw_underlay (cr, data, viewport, style);
          if (density)
            _es_scatter_renderer_draw_density_shading (self, cr, data, viewport, style);
          cairo_surface_flush (image);
          if (_es_scatter_renderer_use_density (self, data, viewport))
            {
              EsViewTransform t;

              es_viewport_get_transform (viewport, &t);
              _es_scatter_renderer_render_points_density (self, pixels, stride_px, width, height,
                                                          data, &t, points_style);
            }
          else if (!viewport->three_d)
            {
              /* The sprite path clears each band just before its points:
               * to the layer drawn so far, kept aside.
               */
              gsize n_pixels = (gsize) width * height;

              if (self->base_len < n_pixels)
                {
                  g_free (self->base_buf);
                  self->base_buf = g_new (guint32, n_pixels);
                  self->base_len = n_pixels;
                }
              for (int y = 0; y < height; y++)
                memcpy (self->base_buf + (gsize) y * width, pixels + (gsize) y * stride_px,
                        (gsize) width * sizeof (guint32));
              self->splat_base = self->base_buf;
              _es_scatter_renderer_render_points_banded (self, pixels, stride_px, width, height,
                                                         data, viewport, points_style);
              self->splat_base = NULL;
            }
          else
            _es_scatter_renderer_render_points_3d (self, image, data, viewport, points_style);
          cairo_surface_mark_dirty (image);
        }
    }

  if (density)
    _es_scatter_renderer_draw_density_contours (self, cr, data, viewport, style);

  if (data != NULL)
    {
      EsPlotOverlay empty;

      if (overlay == NULL)
        {
          es_plot_overlay_init (&empty);
          overlay = &empty;
        }
      draw_decorations (self, cr, data, viewport, style, overlay);
    }
  cairo_destroy (cr);
  cairo_surface_flush (image);
}

void
es_scatter_renderer_draw (EsScatterRenderer   *self,
                          cairo_t             *cr,
                          EsScatterData       *data,
                          const EsViewport    *viewport,
                          const EsPlotStyle   *style,
                          const EsPlotOverlay *overlay)
{
  cairo_surface_t *target;
  cairo_matrix_t m;
  EsPlotOverlay empty;

  g_return_if_fail (self != NULL);
  g_return_if_fail (cr != NULL);
  g_return_if_fail (viewport != NULL && style != NULL);

  target = cairo_get_target (cr);
  cairo_get_matrix (cr, &m);
  if (cairo_surface_get_type (target) == CAIRO_SURFACE_TYPE_IMAGE &&
      cairo_image_surface_get_format (target) == CAIRO_FORMAT_ARGB32 &&
      cairo_image_surface_get_width (target) == viewport->width &&
      cairo_image_surface_get_height (target) == viewport->height &&
      m.xx == 1 && m.yy == 1 && m.xy == 0 && m.yx == 0 && m.x0 == 0 && m.y0 == 0)
    {
      es_scatter_renderer_render_image (self, target, data, viewport, style, overlay);
      return;
    }

  if (overlay == NULL)
    {
      es_plot_overlay_init (&empty);
      overlay = &empty;
    }

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, viewport->width, viewport->height);
  cairo_clip (cr);
  _es_plot_set_source (cr, style->background, 1);
  cairo_paint (cr);
  if (data != NULL)
    {
      _es_plot_draw_underlay (cr, data, viewport, style);
      if (_es_scatter_renderer_prepare_density (self, data, viewport, style))
        {
          /* The same layers as the raster: shading (an image), faded
           * points, contours (vector paths).
           */
          EsPlotStyle faded = *style;

          faded.opacity *= _es_plot_density_point_fade (viewport);
          _es_scatter_renderer_draw_density_shading (self, cr, data, viewport, style);
          _es_plot_render_points_vector (cr, data, viewport, &faded);
          _es_scatter_renderer_draw_density_contours (self, cr, data, viewport, style);
        }
      else
        _es_plot_render_points_vector (cr, data, viewport, style);
      draw_decorations (self, cr, data, viewport, style, overlay);
    }
  cairo_restore (cr);
}

void
es_scatter_renderer_set_density_threshold (EsScatterRenderer *self,
                                           gsize              n_points)
{
  g_return_if_fail (self != NULL);

  self->density_threshold = n_points;
}

const EsLabelBox *
es_scatter_renderer_get_labels (EsScatterRenderer *self,
                                gsize             *n_labels)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (n_labels != NULL)
    *n_labels = self->labels->len;
  return (const EsLabelBox *) (gpointer) self->labels->data;
}

const EsLabelBox *
es_scatter_renderer_get_category_labels (EsScatterRenderer *self,
                                         gsize             *n_labels)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (n_labels != NULL)
    *n_labels = self->category_labels->len;
  return (const EsLabelBox *) (gpointer) self->category_labels->data;
}
