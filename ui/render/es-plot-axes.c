/* es-plot-axes.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-plot-axes"

#include "config.h"

#include "es-plot-axes-private.h"

#include "es-plot-labels-private.h"
#include "es-plot-palette-private.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

static double
nice_step (double range,
           int    target)
{
  double raw = range / MAX (target, 1);
  double mag = pow (10, floor (log10 (raw)));
  double norm = raw / mag;

  if (norm < 1.5)
    return mag;
  if (norm < 3.5)
    return 2 * mag;
  if (norm < 7.5)
    return 5 * mag;
  return 10 * mag;
}

static void
format_tick (double  value,
             double  step,
             char   *buf,
             gsize   len)
{
  int decimals = step >= 1 ? 0 : (int) ceil (-log10 (step) - 1e-9);
  char fmt[16];

  if (fabs (value) < step * 1e-6)
    value = 0;
  g_snprintf (fmt, sizeof fmt, "%%.%df", CLAMP (decimals, 0, 12));
  g_ascii_formatd (buf, len, fmt, value);
}

/* Data-unit ticks of one axis (2D) visible on the surface. */
guint
_es_plot_compute_ticks (const EsScatterData *data,
                        const EsViewport    *vp,
                        guint                axis,
                        double              *values,
                        double              *positions,
                        guint                max_ticks,
                        double              *step_out)
{
  double a0, a1, b0, b1, lo, hi, step;
  guint n = 0;

  if (axis == 0)
    {
      es_viewport_unproject (vp, 0, 0, &a0, &b0);
      es_viewport_unproject (vp, vp->width, vp->height, &a1, &b1);
    }
  else
    {
      es_viewport_unproject (vp, 0, vp->height, &b0, &a0);
      es_viewport_unproject (vp, vp->width, 0, &b1, &a1);
    }
  lo = es_scatter_data_to_data_units (data, axis, a0);
  hi = es_scatter_data_to_data_units (data, axis, a1);
  if (!(hi > lo) || !isfinite (lo) || !isfinite (hi))
    return 0;

  step = nice_step (hi - lo, MAX (2, (int) ((axis == 0 ? vp->width : vp->height) / 110)));
  *step_out = step;
  for (double v = ceil (lo / step) * step; v <= hi && n < max_ticks; v += step)
    {
      double norm = es_scatter_data_from_data_units (data, axis, v);
      double sx, sy;

      if (axis == 0)
        es_viewport_project (vp, norm, 0.5, 0.5, &sx, &sy, NULL);
      else
        es_viewport_project (vp, 0.5, norm, 0.5, &sx, &sy, NULL);
      values[n] = v;
      positions[n] = axis == 0 ? sx : sy;
      n++;
    }

  return n;
}

/* ---- underlay: grid (2D) or bounding box (3D) ------------------------ */

void
_es_plot_draw_underlay (cairo_t             *cr,
                        const EsScatterData *data,
                        const EsViewport    *vp,
                        const EsPlotStyle   *style)
{
  if (!style->show_axes)
    return;

  cairo_save (cr);
  _es_plot_set_source (cr, style->grid, 1);
  cairo_set_line_width (cr, 1);

  if (!vp->three_d)
    {
      double values[64], pos[64], step;
      guint n;

      n = _es_plot_compute_ticks (data, vp, 0, values, pos, G_N_ELEMENTS (values), &step);
      for (guint i = 0; i < n; i++)
        {
          cairo_move_to (cr, floor (pos[i]) + 0.5, 0);
          cairo_line_to (cr, floor (pos[i]) + 0.5, vp->height);
        }
      n = _es_plot_compute_ticks (data, vp, 1, values, pos, G_N_ELEMENTS (values), &step);
      for (guint i = 0; i < n; i++)
        {
          cairo_move_to (cr, 0, floor (pos[i]) + 0.5);
          cairo_line_to (cr, vp->width, floor (pos[i]) + 0.5);
        }
      cairo_stroke (cr);
    }
  else
    {
      double lo[3], hi[3];
      EsViewTransform t;
      double corner[8][2];
      gboolean ok[8];

      es_scatter_data_get_bounds (data, lo, hi);
      es_viewport_get_transform (vp, &t);
      for (guint c = 0; c < 8; c++)
        ok[c] = es_view_transform_project (&t, c & 1 ? hi[0] : lo[0], c & 2 ? hi[1] : lo[1],
                                           c & 4 ? hi[2] : lo[2], &corner[c][0], &corner[c][1], NULL);
      /* The 12 edges join corners differing in exactly one bit. */
      for (guint a = 0; a < 8; a++)
        for (guint bit = 1; bit < 8; bit <<= 1)
          {
            guint b = a | bit;

            if (b == a || !ok[a] || !ok[b])
              continue;
            cairo_move_to (cr, corner[a][0], corner[a][1]);
            cairo_line_to (cr, corner[b][0], corner[b][1]);
          }
      _es_plot_set_source (cr, style->grid, 2.0);
      cairo_stroke (cr);
    }

  cairo_restore (cr);
}

/* ---- axes, gizmo, legend --------------------------------------------- */

void
_es_scatter_renderer_draw_axes_2d (EsScatterRenderer *self,
                                   EsLabelContext    *lc,
                                   double             scale)
{
  cairo_t *cr = lc->cr;
  double values[64], pos[64], step = 1;
  char buf[64];
  guint n;
  double small = lc->font_size * 0.85;
  double inset = 6 * scale;
  cairo_text_extents_t ext;
  cairo_font_extents_t fext;
  const char *title;

  cairo_save (cr);
  cairo_select_font_face (cr, lc->style->font_family, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, small);
  cairo_font_extents (cr, &fext);

  n = _es_plot_compute_ticks (lc->data, lc->vp, 0, values, pos, G_N_ELEMENTS (values), &step);
  for (guint i = 0; i < n; i++)
    {
      double x, y = lc->vp->height - inset - fext.descent;

      format_tick (values[i], step, buf, sizeof buf);
      cairo_text_extents (cr, buf, &ext);
      x = pos[i] - ext.x_advance / 2;
      if (x < 40 * scale || x + ext.x_advance > lc->vp->width - inset)
        continue;
      _es_scatter_renderer_occupy (self, x, y - fext.ascent, ext.x_advance, fext.height);
      _es_scatter_renderer_show_text_halo (self, cr, lc->style, x, y, buf, lc->style->foreground);
    }

  n = _es_plot_compute_ticks (lc->data, lc->vp, 1, values, pos, G_N_ELEMENTS (values), &step);
  for (guint i = 0; i < n; i++)
    {
      double y = pos[i] + (fext.ascent - fext.descent) / 2;

      format_tick (values[i], step, buf, sizeof buf);
      cairo_text_extents (cr, buf, &ext);
      /* Clear of the axis title above and the x tick labels below. */
      if (y - fext.ascent < inset + lc->height + 2 * scale || y > lc->vp->height - fext.height * 2 - inset)
        continue;
      _es_scatter_renderer_occupy (self, inset, y - fext.ascent, ext.x_advance, fext.height);
      _es_scatter_renderer_show_text_halo (self, cr, lc->style, inset, y, buf, lc->style->foreground);
    }

  /* Axis titles: x at the bottom right above its ticks, y at the top left. */
  cairo_select_font_face (cr, lc->style->font_family, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, lc->font_size);
  title = es_scatter_data_get_axis_title (lc->data, 0);
  if (title != NULL)
    {
      double x, y = lc->vp->height - inset - fext.height - 4 * scale;

      cairo_text_extents (cr, title, &ext);
      x = lc->vp->width - inset - ext.x_advance;
      _es_scatter_renderer_occupy (self, x, y - lc->ascent, ext.x_advance, lc->height);
      _es_scatter_renderer_show_text_halo (self, cr, lc->style, x, y, title, lc->style->foreground);
    }
  title = es_scatter_data_get_axis_title (lc->data, 1);
  if (title != NULL)
    {
      cairo_text_extents (cr, title, &ext);
      _es_scatter_renderer_occupy (self, inset, inset, ext.x_advance, lc->height);
      _es_scatter_renderer_show_text_halo (self, cr, lc->style, inset, inset + lc->ascent, title, lc->style->foreground);
    }

  cairo_restore (cr);
}

void
_es_scatter_renderer_draw_gizmo (EsScatterRenderer *self,
                                 EsLabelContext    *lc,
                                 double             scale)
{
  static const double axis_rgb[3][3] = {
    { 0.835, 0.369, 0.000 }, { 0.000, 0.620, 0.451 }, { 0.000, 0.447, 0.698 },
  };
  cairo_t *cr = lc->cr;
  double len = 36 * scale;
  double ox = 16 * scale + len, oy = lc->vp->height - 16 * scale - len;
  guint order[3] = { 0, 1, 2 };
  double depth[3];

  cairo_save (cr);
  for (guint a = 0; a < 3; a++)
    depth[a] = lc->t.forward[a];
  /* Farthest axis first. */
  for (guint i = 0; i < 3; i++)
    for (guint j = i + 1; j < 3; j++)
      if (depth[order[j]] > depth[order[i]])
        {
          guint tmp = order[i];

          order[i] = order[j];
          order[j] = tmp;
        }

  _es_scatter_renderer_occupy (self, ox - len - 8 * scale, oy - len - 8 * scale, 2 * len + 16 * scale, 2 * len + 16 * scale);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  _es_plot_select_font (cr, lc->style, 0.85 * lc->font_size / lc->style->font_size, TRUE);
  for (guint i = 0; i < 3; i++)
    {
      guint a = order[i];
      double dx = lc->t.right[a] * len;
      double dy = -lc->t.up[a] * len;
      const char *title = es_scatter_data_get_axis_title (lc->data, a);
      double c[4] = { axis_rgb[a][0], axis_rgb[a][1], axis_rgb[a][2], 1 };

      cairo_set_line_width (cr, 2.5 * scale);
      _es_plot_set_source (cr, c, 1);
      cairo_move_to (cr, ox, oy);
      cairo_line_to (cr, ox + dx, oy + dy);
      cairo_stroke (cr);
      {
        /* The short name ("PC1", not "PC1 (9.8 %)") beyond the tip, on the
         * far side of it, so the three never cross each other or the axes.
         */
        g_autofree char *name = g_strdup (title != NULL ? title : (const char *[]) { "X", "Y", "Z" }[a]);
        char *paren = strstr (name, " (");
        cairo_text_extents_t ext;
        double l = hypot (dx, dy), ux = l > 1e-6 ? dx / l : 0, uy = l > 1e-6 ? dy / l : 0;
        double tx = ox + dx + ux * 4 * scale, ty = oy + dy + uy * 4 * scale;
        double ascent = 0.7 * 0.85 * lc->font_size;

        if (paren != NULL && paren != name)
          *paren = '\0';
        cairo_text_extents (cr, name, &ext);
        /* Anchor: the text's left edge when the axis points right, its
         * right edge when left, its middle in between; likewise vertically.
         */
        tx -= ext.x_advance * (1 - ux) / 2;
        ty += ascent * (1 + uy) / 2;
        /* An axis pointing at the near edge would push its name off the
         * surface: keep it on.
         */
        tx = CLAMP (tx, 2 * scale, MAX (lc->vp->width - ext.x_advance - 2 * scale, 2 * scale));
        ty = CLAMP (ty, ascent + 2 * scale, MAX (lc->vp->height - 2 * scale, ascent + 2 * scale));
        _es_scatter_renderer_show_text_halo (self, cr, lc->style, tx, ty, name, c);
      }
    }
  cairo_restore (cr);
}

void
_es_scatter_renderer_draw_legend (EsScatterRenderer *self,
                                  EsLabelContext    *lc,
                                  double             scale)
{
  cairo_t *cr = lc->cr;
  EsScatterColorMode mode = es_scatter_data_get_color_mode (lc->data);
  const char *title = es_scatter_data_get_color_title (lc->data);
  double pad = 8 * scale, row_h = lc->height * 1.15, swatch = lc->font_size * 0.7;
  double x, y, w = 0, h;
  guint n_show = 0, n_more = 0;
  cairo_text_extents_t ext;
  char more[64];

  if (mode == ES_SCATTER_COLOR_NONE || !lc->style->show_legend)
    return;

  cairo_save (cr);
  _es_plot_select_font (cr, lc->style, lc->font_size / lc->style->font_size, TRUE);
  if (title != NULL)
    {
      cairo_text_extents (cr, title, &ext);
      w = ext.x_advance;
    }
  _es_plot_select_font (cr, lc->style, lc->font_size / lc->style->font_size, FALSE);

  if (mode == ES_SCATTER_COLOR_CATEGORIES)
    {
      guint n_cat = es_scatter_data_get_n_categories (lc->data);

      n_show = MIN (n_cat, 12);
      n_more = n_cat - n_show;
      for (guint i = 0; i < n_show; i++)
        {
          cairo_text_extents (cr, es_scatter_data_get_category_name (lc->data, i), &ext);
          w = MAX (w, swatch + 6 * scale + ext.x_advance);
        }
      g_snprintf (more, sizeof more, _("+%u more"), n_more);
      if (n_more > 0)
        {
          /* Its own row needs room too, or it runs out of the box. */
          cairo_text_extents (cr, more, &ext);
          w = MAX (w, swatch + 6 * scale + ext.x_advance);
        }
      h = (n_show + (n_more > 0) + (title != NULL)) * row_h;
    }
  else
    {
      w = MAX (w, swatch * 1.5 + 6 * scale + 6 * lc->font_size * 0.6);
      h = (title != NULL ? row_h : 0) + 120 * scale;
    }

  x = lc->vp->width - w - 2 * pad - 10 * scale;
  y = 10 * scale;
  _es_scatter_renderer_occupy (self, x, y, w + 2 * pad, h + 2 * pad);

  _es_plot_rounded_rect (cr, x, y, w + 2 * pad, h + 2 * pad, 6 * scale);
  _es_plot_set_source (cr, lc->style->background, 0.88);
  cairo_fill_preserve (cr);
  _es_plot_set_source (cr, lc->style->foreground, 0.18);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);

  x += pad;
  y += pad;
  if (title != NULL)
    {
      _es_plot_select_font (cr, lc->style, lc->font_size / lc->style->font_size, TRUE);
      _es_plot_set_source (cr, lc->style->foreground, 1);
      cairo_move_to (cr, x, y + lc->ascent);
      cairo_show_text (cr, title);
      y += row_h;
      _es_plot_select_font (cr, lc->style, lc->font_size / lc->style->font_size, FALSE);
    }

  if (mode == ES_SCATTER_COLOR_CATEGORIES)
    {
      for (guint i = 0; i < n_show; i++)
        {
          double rgb[3];

          es_scatter_renderer_category_color (i, rgb);
          cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
          cairo_arc (cr, x + swatch / 2, y + lc->height / 2, swatch / 2, 0, 2 * G_PI);
          cairo_fill (cr);
          _es_plot_set_source (cr, lc->style->foreground, 1);
          cairo_move_to (cr, x + swatch + 6 * scale, y + lc->ascent);
          cairo_show_text (cr, es_scatter_data_get_category_name (lc->data, i));
          y += row_h;
        }
      if (n_more > 0)
        {
          _es_plot_set_source (cr, lc->style->foreground, 0.7);
          cairo_move_to (cr, x + swatch + 6 * scale, y + lc->ascent);
          cairo_show_text (cr, more);
        }
    }
  else
    {
      cairo_pattern_t *pattern;
      double bar_h = 120 * scale - row_h / 2;
      double lo, hi;
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      pattern = cairo_pattern_create_linear (0, y + bar_h, 0, y);
      for (guint s = 0; s < 17; s++)
        {
          double rgb[3];

          /* The points' own colours, exactly. */
          _es_plot_gradient_color (lc->style, s / 16.0, rgb);
          cairo_pattern_add_color_stop_rgb (pattern, s / 16.0, rgb[0], rgb[1], rgb[2]);
        }
      cairo_rectangle (cr, x, y + lc->height / 2, swatch * 1.5, bar_h - lc->height / 2);
      cairo_set_source (cr, pattern);
      cairo_fill (cr);
      cairo_pattern_destroy (pattern);

      es_scatter_data_get_value_range (lc->data, &lo, &hi);
      _es_plot_set_source (cr, lc->style->foreground, 1);
      for (guint k = 0; k < 3; k++)
        {
          double v = hi - (hi - lo) * k / 2.0;
          double yy = y + lc->height / 2 + (bar_h - lc->height / 2) * k / 2.0;

          g_ascii_formatd (buf, sizeof buf, "%.3g", v);
          cairo_move_to (cr, x + swatch * 1.5 + 6 * scale, yy + lc->ascent / 2);
          cairo_show_text (cr, buf);
        }
    }

  cairo_restore (cr);
}
