/* es-plot-vector.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-plot-vector"

#include "config.h"

#include "es-plot-vector-private.h"

#include "es-plot-palette-private.h"

#include <math.h>

/* A PDF dot's line runs from this far up-left of the centre to as far
 * down-right, in points: far below what a viewer shows, yet not zero
 * (see below), and a multiple of Cairo's 1/256 so it stays centred.
 */
#define DOT_HALF (1.0 / 128)

typedef struct
{
  guint32 index;
  float   depth;
} DepthItem;

static int
compare_depth_desc (gconstpointer a,
                    gconstpointer b)
{
  float da = ((const DepthItem *) a)->depth;
  float db = ((const DepthItem *) b)->depth;

  return da < db ? 1 : da > db ? -1 : 0;
}

static void
finish_run (cairo_t  *cr,
            gboolean  dots)
{
  if (dots)
    cairo_stroke (cr);
  else
    cairo_fill (cr);
}

void
_es_plot_render_points_vector (cairo_t           *cr,
                               EsScatterData     *data,
                               const EsViewport  *vp,
                               const EsPlotStyle *style)
{
  gsize n = es_scatter_data_get_n_visible (data);
  const float *xyz = es_scatter_data_get_sorted_xyz (data);
  const guint16 *keys = es_scatter_data_get_sorted_keys (data);
  g_autoptr(GArray) items = g_array_new (FALSE, FALSE, sizeof (DepthItem));
  EsViewTransform t;
  double r = MAX (style->point_size, 0.5) / 2;
  double near, far;
  int last_key = -1;
  guint in_path = 0;
  gboolean dots;

  es_viewport_get_transform (vp, &t);
  _es_plot_depth_range (data, vp, &near, &far);

  for (gsize i = 0; i < n; i++)
    {
      double sx, sy, depth;
      DepthItem item = { (guint32) i, 0 };

      if (!es_view_transform_project (&t, xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2], &sx, &sy, &depth))
        continue;
      if (!(sx >= -4 * r && sy >= -4 * r && sx <= vp->width + 4 * r && sy <= vp->height + 4 * r))
        continue;
      item.depth = (float) depth;
      g_array_append_val (items, item);
    }
  /* Painter's order in 3D (a vector file has no depth buffer). */
  if (vp->three_d)
    g_array_sort (items, compare_depth_desc);

  cairo_save (cr);
  cairo_new_path (cr);
  /* In a PDF a disc of one size is a very short line with round caps:
   * the run's colour, the same union-per-run compositing as a filled
   * path, but 4 numbers instead of the 13 of Cairo's arc (two curves for
   * small discs, visibly squarish when zoomed; the caps are round).
   * Printing and deflating those numbers is most of the export's time, so
   * this cuts its CPU to 40 % and the file to 45 %. Not of zero length:
   * ISO 32000 draws a dot for that too, but pdf.js over canvas prunes
   * zero-length subpaths in some browsers (pdf.js #11882, whatwg/html
   * #1079). Not horizontal: poppler snaps axis-aligned lines to the
   * pixel grid, which moved the discs by up to half a pixel. 3D discs
   * each have their own size, so they stay arcs; so does SVG, for the
   * same viewer worry.
   */
  dots = !vp->three_d && cairo_surface_get_type (cairo_get_target (cr)) == CAIRO_SURFACE_TYPE_PDF;
  if (dots)
    {
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
      cairo_set_line_width (cr, 2 * r);
    }
  for (guint k = 0; k < items->len; k++)
    {
      const DepthItem *item = &g_array_index (items, DepthItem, k);
      gsize i = item->index;
      double sx, sy, depth, rr = r, rgb[3];
      int key = keys[i];

      es_view_transform_project (&t, xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2], &sx, &sy, &depth);
      if (vp->three_d)
        {
          /* The fog in the raster's levels: points in depth order mostly
           * share one with the previous point, so they share a path.
           */
          int level = _es_plot_depth_slot (depth, near, far, ES_PLOT_FOG_LEVELS);
          int colour = key * ES_PLOT_FOG_LEVELS + level;

          rr = r * _es_plot_depth_size_factor (vp, depth);
          if (colour != last_key || in_path >= 256)
            {
              double f = level * 150.0 / (ES_PLOT_FOG_LEVELS - 1) / 256.0;

              if (in_path > 0)
                finish_run (cr, dots);
              in_path = 0;
              _es_plot_key_color (data, style, key, rgb);
              for (guint c = 0; c < 3; c++)
                rgb[c] = rgb[c] * (1 - f) + style->background[c] * f;
              cairo_set_source_rgba (cr, rgb[0], rgb[1], rgb[2],
                                     style->opacity * (key == ES_PLOT_KEY_NONE ? 0.6 : 1));
              last_key = colour;
            }
        }
      else if (key != last_key || in_path >= 256)
        {
          /* Short runs of one colour per path: a path of thousands of
           * discs makes Cairo's tessellator superlinear.
           */
          if (in_path > 0)
            finish_run (cr, dots);
          in_path = 0;
          _es_plot_key_color (data, style, key, rgb);
          cairo_set_source_rgba (cr, rgb[0], rgb[1], rgb[2],
                                 style->opacity * (key == ES_PLOT_KEY_NONE ? 0.6 : 1));
          last_key = key;
        }
      if (dots)
        {
          cairo_move_to (cr, sx - DOT_HALF, sy - DOT_HALF);
          cairo_line_to (cr, sx + DOT_HALF, sy + DOT_HALF);
        }
      else
        {
          cairo_new_sub_path (cr);
          cairo_arc (cr, sx, sy, rr, 0, 2 * G_PI);
        }
      in_path++;
    }
  if (in_path > 0)
    finish_run (cr, dots);
  cairo_restore (cr);
}
