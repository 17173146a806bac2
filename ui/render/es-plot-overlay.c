/* es-plot-overlay.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-plot-overlay"

#include "config.h"

#include "es-plot-overlay-private.h"

#include <math.h>

static void
draw_arrow (cairo_t *cr,
            double   x0,
            double   y0,
            double   x1,
            double   y1,
            double   head)
{
  double dx = x1 - x0, dy = y1 - y0;
  double len = hypot (dx, dy);
  double ux, uy;

  if (len < 1)
    return;
  ux = dx / len;
  uy = dy / len;
  cairo_move_to (cr, x0, y0);
  cairo_line_to (cr, x1 - ux * head * 0.8, y1 - uy * head * 0.8);
  cairo_stroke (cr);
  cairo_move_to (cr, x1, y1);
  cairo_line_to (cr, x1 - ux * head - uy * head * 0.45, y1 - uy * head + ux * head * 0.45);
  cairo_line_to (cr, x1 - ux * head + uy * head * 0.45, y1 - uy * head - ux * head * 0.45);
  cairo_close_path (cr);
  cairo_fill (cr);
}

void
_es_plot_draw_overlay (cairo_t             *cr,
                       EsScatterData       *data,
                       const EsViewport    *vp,
                       const EsPlotStyle   *style,
                       const EsPlotOverlay *overlay,
                       double               scale)
{
  EsViewTransform t;
  double sel_x = 0, sel_y = 0, depth;
  gboolean have_sel;
  double ring = MAX (style->point_size, 2) / 2 + 3 * scale;

  es_viewport_get_transform (vp, &t);
  cairo_save (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);

  have_sel = overlay->selected >= 0 &&
             _es_plot_project_row (data, &t, (gsize) overlay->selected, &sel_x, &sel_y, &depth);

  /* The selection under everything else: a dot in the accent colour with
   * a rim in the text colour, so it reads on any point colour (the accent
   * may also be a category's colour).
   */
  if (overlay->n_selection > 0)
    {
      double r = MAX (style->point_size, 2) / 2 + 1.5 * scale;

      for (guint pass = 0; pass < 2; pass++)
        {
          for (gsize i = 0; i < overlay->n_selection; i++)
            {
              double x, y, d;

              if (!_es_plot_project_row (data, &t, overlay->selection[i], &x, &y, &d))
                continue;
              cairo_new_sub_path (cr);
              cairo_arc (cr, x, y, (pass == 0 ? r + scale : r) * _es_plot_depth_size_factor (vp, d),
                         0, 2 * G_PI);
            }
          if (pass == 0)
            _es_plot_set_source (cr, style->foreground, 0.85);
          else
            _es_plot_set_source (cr, style->accent, 1);
          cairo_fill (cr);
        }
    }

  /* A token's path across layers: a line from layer to layer, a dot at
   * each, the first hollow so the direction reads.
   */
  if (overlay->n_path >= 2)
    {
      gboolean started = FALSE;

      _es_plot_set_source (cr, style->foreground, 0.75);
      cairo_set_line_width (cr, 1.5 * scale);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      for (gsize i = 0; i < overlay->n_path; i++)
        {
          double x, y, d;

          if (!_es_plot_project_row (data, &t, overlay->path[i], &x, &y, &d))
            continue;
          if (started)
            cairo_line_to (cr, x, y);
          else
            cairo_move_to (cr, x, y);
          started = TRUE;
        }
      cairo_stroke (cr);
      for (gsize i = 0; i < overlay->n_path; i++)
        {
          double x, y, d;

          if (!_es_plot_project_row (data, &t, overlay->path[i], &x, &y, &d))
            continue;
          cairo_new_sub_path (cr);
          cairo_arc (cr, x, y, 2.5 * scale, 0, 2 * G_PI);
          if (i == 0)
            cairo_stroke (cr);
          else
            cairo_fill (cr);
        }
    }

  /* Links first, so rings and labels sit on top. */
  if (have_sel)
    {
      _es_plot_set_source (cr, style->accent, 0.55);
      cairo_set_line_width (cr, 1.25 * scale);
      for (gsize i = 0; i < overlay->n_highlighted; i++)
        {
          double x, y;

          if (_es_plot_project_row (data, &t, overlay->highlighted[i], &x, &y, &depth))
            {
              cairo_move_to (cr, sel_x, sel_y);
              cairo_line_to (cr, x, y);
            }
        }
      cairo_stroke (cr);
    }

  cairo_set_line_width (cr, 1.75 * scale);
  _es_plot_set_source (cr, style->accent, 1);
  for (gsize i = 0; i < overlay->n_highlighted; i++)
    {
      double x, y;

      if (_es_plot_project_row (data, &t, overlay->highlighted[i], &x, &y, &depth))
        {
          cairo_new_sub_path (cr);
          cairo_arc (cr, x, y, ring * _es_plot_depth_size_factor (vp, depth), 0, 2 * G_PI);
          /* Each ring its own colour: the accent for the nearest, toward
           * the grid colour for the farthest.
           */
          if (overlay->closeness != NULL)
            {
              double c = CLAMP (overlay->closeness[i], 0, 1), rgba[4];

              for (guint a = 0; a < 3; a++)
                rgba[a] = c * style->accent[a] + (1 - c) * (0.5 * style->foreground[a] + 0.5 * style->background[a]);
              rgba[3] = 1;
              _es_plot_set_source (cr, rgba, 1);
              cairo_stroke (cr);
            }
        }
    }
  cairo_stroke (cr);

  _es_plot_set_source (cr, style->foreground, 0.8);
  cairo_set_line_width (cr, 1.25 * scale);
  for (gsize i = 0; i < overlay->n_search_hits; i++)
    {
      double x, y;

      if (_es_plot_project_row (data, &t, overlay->search_hits[i], &x, &y, &depth))
        cairo_rectangle (cr, x - ring, y - ring, 2 * ring, 2 * ring);
    }
  cairo_stroke (cr);

  /* Analogy a - b + c = result: the offset b -> a, drawn again from c. */
  {
    double p[4][2];
    gboolean ok[4];

    for (guint i = 0; i < 4; i++)
      ok[i] = overlay->analogy[i] >= 0 &&
              _es_plot_project_row (data, &t, (gsize) overlay->analogy[i], &p[i][0], &p[i][1], &depth);
    _es_plot_set_source (cr, style->accent, 1);
    cairo_set_line_width (cr, 2 * scale);
    if (ok[0] && ok[1])
      {
        double dash[] = { 5 * scale, 4 * scale };

        cairo_set_dash (cr, dash, 2, 0);
        draw_arrow (cr, p[1][0], p[1][1], p[0][0], p[0][1], 9 * scale);
        cairo_set_dash (cr, NULL, 0, 0);
      }
    if (ok[2] && ok[3])
      draw_arrow (cr, p[2][0], p[2][1], p[3][0], p[3][1], 9 * scale);
    for (guint i = 0; i < 4; i++)
      {
        if (ok[i])
          {
            cairo_new_sub_path (cr);
            cairo_arc (cr, p[i][0], p[i][1], ring, 0, 2 * G_PI);
          }
      }
    cairo_stroke (cr);
  }

  /* Links (from, to): arrows in the foreground colour on a halo of the
   * background, so they read over dense points of any colour; a
   * zero-length link draws nothing.
   */
  for (guint pass = 0; overlay->links != NULL && pass < 2; pass++)
    {
      if (pass == 0)
        _es_plot_set_source (cr, style->background, 0.8);
      else
        _es_plot_set_source (cr, style->foreground, 0.9);
      cairo_set_line_width (cr, (pass == 0 ? 4.5 : 1.75) * scale);
      for (gsize i = 0; i < overlay->n_links; i++)
        {
          double x0, y0, x1, y1, d0, d1;

          if (_es_plot_project_row (data, &t, overlay->links[2 * i], &x0, &y0, &d0) &&
              _es_plot_project_row (data, &t, overlay->links[2 * i + 1], &x1, &y1, &d1))
            draw_arrow (cr, x0, y0, x1, y1, (pass == 0 ? 9 : 7.5) * scale);
        }
    }

  if (have_sel)
    {
      double r = ring * _es_plot_depth_size_factor (vp, depth) + 1.5 * scale;

      cairo_set_line_width (cr, 4.5 * scale);
      _es_plot_set_source (cr, style->background, 0.9);
      cairo_arc (cr, sel_x, sel_y, r, 0, 2 * G_PI);
      cairo_stroke (cr);
      cairo_set_line_width (cr, 2.25 * scale);
      _es_plot_set_source (cr, style->foreground, 1);
      cairo_arc (cr, sel_x, sel_y, r, 0, 2 * G_PI);
      cairo_stroke (cr);
    }

  cairo_restore (cr);
}

void
es_scatter_renderer_draw_lasso (cairo_t           *cr,
                                const EsPlotStyle *style,
                                const double      *xy,
                                gsize              n_vertices,
                                double             scale)
{
  g_return_if_fail (cr != NULL && style != NULL);

  if (n_vertices < 2)
    return;
  cairo_save (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_move_to (cr, xy[0] * scale, xy[1] * scale);
  for (gsize i = 1; i < n_vertices; i++)
    cairo_line_to (cr, xy[2 * i] * scale, xy[2 * i + 1] * scale);
  cairo_close_path (cr);
  _es_plot_set_source (cr, style->accent, 0.12);
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
  cairo_fill_preserve (cr);
  _es_plot_set_source (cr, style->accent, 0.9);
  cairo_set_line_width (cr, 1.25 * scale);
  cairo_stroke (cr);
  cairo_restore (cr);
}

void
es_scatter_renderer_draw_interaction (EsScatterRenderer *self,
                                      cairo_t           *cr,
                                      EsScatterData     *data,
                                      const EsViewport  *viewport,
                                      const EsPlotStyle *style,
                                      gint64             hover,
                                      const char        *detail,
                                      const double      *box)
{
  EsViewTransform t;
  double sx, sy, depth;

  g_return_if_fail (cr != NULL);

  cairo_save (cr);
  if (box != NULL)
    {
      double x = MIN (box[0], box[2]), y = MIN (box[1], box[3]);
      double w = fabs (box[2] - box[0]), h = fabs (box[3] - box[1]);

      cairo_rectangle (cr, x + 0.5, y + 0.5, w, h);
      _es_plot_set_source (cr, style->accent, 0.12);
      cairo_fill_preserve (cr);
      _es_plot_set_source (cr, style->accent, 0.9);
      cairo_set_line_width (cr, 1);
      cairo_stroke (cr);
    }

  es_viewport_get_transform (viewport, &t);
  if (data != NULL && hover >= 0 && _es_plot_project_row (data, &t, (gsize) hover, &sx, &sy, &depth))
    {
      const char *word = es_scatter_data_get_label (data, (gsize) hover);
      double r = MAX (style->point_size, 2) / 2 * _es_plot_depth_size_factor (viewport, depth) + 3;
      cairo_text_extents_t ext;
      cairo_font_extents_t fext;
      double bx, by, bw, bh, pad = 5;

      cairo_set_line_width (cr, 2);
      _es_plot_set_source (cr, style->accent, 1);
      cairo_arc (cr, sx, sy, r, 0, 2 * G_PI);
      cairo_stroke (cr);

      /* The word in a small card above right, kept on the surface, with
       * the caller's detail lines (row, norm, metadata) under it.
       */
      g_auto(GStrv) lines = detail != NULL && *detail != '\0' ? g_strsplit (detail, "\n", 12) : NULL;
      guint n_lines = lines != NULL ? g_strv_length (lines) : 0;
      double line_h;

      _es_plot_select_font (cr, style, 1.0, TRUE);
      cairo_text_extents (cr, word, &ext);
      cairo_font_extents (cr, &fext);
      line_h = fext.ascent + fext.descent;
      bw = ext.x_advance + 2 * pad;
      _es_plot_select_font (cr, style, 0.85, FALSE);
      for (guint i = 0; i < n_lines; i++)
        {
          cairo_text_extents_t le;

          cairo_text_extents (cr, lines[i], &le);
          bw = MAX (bw, le.x_advance + 2 * pad);
        }
      bh = line_h * (1 + 0.85 * n_lines) + 2 * pad;
      bx = CLAMP (sx + r + 4, 0, MAX (viewport->width - bw, 0));
      by = CLAMP (sy - r - 4 - bh, 0, MAX (viewport->height - bh, 0));
      _es_plot_rounded_rect (cr, bx, by, bw, bh, 4);
      _es_plot_set_source (cr, style->foreground, 0.88);
      cairo_fill (cr);
      _es_plot_set_source (cr, style->background, 1);
      _es_plot_select_font (cr, style, 1.0, TRUE);
      cairo_move_to (cr, bx + pad, by + pad + fext.ascent);
      cairo_show_text (cr, word);
      _es_plot_select_font (cr, style, 0.85, FALSE);
      _es_plot_set_source (cr, style->background, 0.8);
      for (guint i = 0; i < n_lines; i++)
        {
          cairo_move_to (cr, bx + pad, by + pad + line_h + line_h * 0.85 * i + fext.ascent * 0.85);
          cairo_show_text (cr, lines[i]);
        }
    }
  cairo_restore (cr);
}
