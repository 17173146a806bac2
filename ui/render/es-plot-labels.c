/* es-plot-labels.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-plot-labels"

#include "config.h"

#include "es-plot-labels-private.h"

#include <math.h>
#include <string.h>

#define OCC_CELL      4      /* label occupancy grid cell, pixels */
#define LABEL_TRIES   2500   /* on-screen candidates measured per layout */
#define LABEL_SCAN    40000  /* on-screen candidates looked at per layout */
#define LABEL_RINGS   10     /* how far a forced label may move out of a crowd */
#define RANK_GRID_MIN 20000  /* rows from which label candidates come from a grid */

/* Text with a halo in the background colour: readable over points.  On
 * pixels the halo is the text itself shifted around (a glyph-cache hit
 * each, where an outline stroke costs ~80 us), and the whole label is
 * cached as an image; in vector output the halo is a stroked outline and
 * the text stays real text (so PDF keeps it searchable).
 */
void
_es_scatter_renderer_show_text_halo (EsScatterRenderer *self,
                                     cairo_t           *cr,
                                     const EsPlotStyle *style,
                                     double             x,
                                     double             y,
                                     const char        *text,
                                     const double       color[4])
{
  double halo[4] = { style->background[0], style->background[1], style->background[2],
                     style->background[3] * 0.85 };
  double w = MAX (style->font_size / 12, 1);

  if (es_label_cache_usable (cr))
    {
      es_label_cache_show (self->label_cache, cr, x, y, text, color, halo, w);
      return;
    }
  if (cairo_surface_get_type (cairo_get_target (cr)) == CAIRO_SURFACE_TYPE_IMAGE)
    {
      es_label_cache_show_uncached (cr, x, y, text, color, halo, w);
      return;
    }

  cairo_new_path (cr);
  _es_plot_set_source (cr, halo, 1);
  cairo_move_to (cr, x, y);
  cairo_text_path (cr, text);
  cairo_set_line_width (cr, MAX (style->font_size / 4, 2));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke (cr);
  cairo_move_to (cr, x, y);
  _es_plot_set_source (cr, color, 1);
  cairo_show_text (cr, text);
  cairo_new_path (cr);
}

/* ---- placement --------------------------------------------------------- */

void
_es_scatter_renderer_occupancy_reset (EsScatterRenderer *self,
                                      int                width,
                                      int                height)
{
  gsize len;

  self->occ_cols = (width + OCC_CELL - 1) / OCC_CELL;
  self->occ_rows = (height + OCC_CELL - 1) / OCC_CELL;
  len = (gsize) self->occ_cols * self->occ_rows;
  if (self->occupancy_len < len)
    {
      g_free (self->occupancy);
      self->occupancy = g_new (guint8, len);
      self->occupancy_len = len;
    }
  memset (self->occupancy, 0, len);
}

/* Cells of the grid a box touches; a box only goes where all are free, so
 * two placed boxes never share a cell and are disjoint.
 */
static gboolean
occupancy_cells (EsScatterRenderer *self,
                 double             x,
                 double             y,
                 double             w,
                 double             h,
                 int               *c0,
                 int               *r0,
                 int               *c1,
                 int               *r1)
{
  /* In double first: a label far off the surface (huge coordinates) must
   * not become an int out of range.
   */
  if (!(x >= 0 && y >= 0 && x + w < (double) self->occ_cols * OCC_CELL &&
        y + h < (double) self->occ_rows * OCC_CELL))
    return FALSE;
  *c0 = (int) floor (x / OCC_CELL);
  *r0 = (int) floor (y / OCC_CELL);
  *c1 = (int) floor ((x + w) / OCC_CELL);
  *r1 = (int) floor ((y + h) / OCC_CELL);

  return *c0 >= 0 && *r0 >= 0 && *c1 < self->occ_cols && *r1 < self->occ_rows;
}

static gboolean
occupancy_is_free (EsScatterRenderer *self,
                   double             x,
                   double             y,
                   double             w,
                   double             h)
{
  int c0, r0, c1, r1;

  if (!occupancy_cells (self, x, y, w, h, &c0, &r0, &c1, &r1))
    return FALSE;
  for (int r = r0; r <= r1; r++)
    for (int c = c0; c <= c1; c++)
      if (self->occupancy[r * self->occ_cols + c])
        return FALSE;

  return TRUE;
}

void
_es_scatter_renderer_occupy (EsScatterRenderer *self,
                             double             x,
                             double             y,
                             double             w,
                             double             h)
{
  int c0, c1, r0, r1;

  /* Off the surface (or NaN): nothing to occupy, and no int out of range. */
  if (!(x + w >= 0 && y + h >= 0 && x < (double) self->occ_cols * OCC_CELL &&
        y < (double) self->occ_rows * OCC_CELL))
    return;
  c0 = (int) MAX (floor (x / OCC_CELL), 0);
  r0 = (int) MAX (floor (y / OCC_CELL), 0);
  c1 = (int) MIN (floor ((x + w) / OCC_CELL), self->occ_cols - 1);
  r1 = (int) MIN (floor ((y + h) / OCC_CELL), self->occ_rows - 1);

  for (int r = r0; r <= r1; r++)
    for (int c = c0; c <= c1; c++)
      self->occupancy[r * self->occ_cols + c] = 1;
}

static double
label_width (EsScatterRenderer *self,
             cairo_t           *cr,
             EsScatterData     *data,
             const EsPlotStyle *style,
             double             font_size,
             gsize              row)
{
  cairo_text_extents_t ext;

  if (self->width_data != data || self->width_font_size != font_size ||
      g_strcmp0 (self->width_font_family, style->font_family) != 0)
    {
      gsize n = es_scatter_data_get_n_points (data);

      g_clear_pointer (&self->width_data, es_scatter_data_unref);
      g_clear_pointer (&self->widths, g_free);
      g_free (self->width_font_family);
      self->width_data = es_scatter_data_ref (data);
      self->width_font_size = font_size;
      self->width_font_family = g_strdup (style->font_family);
      self->widths = g_new (float, MAX (n, 1));
      for (gsize i = 0; i < n; i++)
        self->widths[i] = -1;
    }
  if (self->widths[row] < 0)
    {
      cairo_text_extents (cr, es_scatter_data_get_label (data, row), &ext);
      self->widths[row] = (float) ext.x_advance;
    }

  return self->widths[row];
}

/* Right, left, above, below, then the diagonals. */
static const int label_dirs[8][2] = {
  { 1, 0 }, { -1, 0 }, { 0, -1 }, { 0, 1 }, { 1, -1 }, { -1, -1 }, { 1, 1 }, { -1, 1 },
};

/* The box at @dist from the point in a direction, its near side facing it. */
static void
label_position (double  sx,
                double  sy,
                double  w,
                double  h,
                double  dist,
                guint   dir,
                double *x,
                double *y)
{
  int dx = label_dirs[dir][0], dy = label_dirs[dir][1];
  double d = dx != 0 && dy != 0 ? dist * G_SQRT2 / 2 : dist;
  double px = sx + dx * d, py = sy + dy * d;

  *x = dx > 0 ? px : dx < 0 ? px - w : px - w / 2;
  *y = dy > 0 ? py : dy < 0 ? py - h : py - h / 2;
}

static gboolean
label_fits (EsScatterRenderer *self,
            EsLabelContext    *lc,
            double             x,
            double             y,
            double             w)
{
  double h = lc->height, pad = lc->pad;

  return x >= 0 && y >= 0 && x + w <= lc->vp->width && y + h <= lc->vp->height &&
         occupancy_is_free (self, x - pad, y - pad, w + 2 * pad, h + 2 * pad);
}

static gboolean
try_place_label (EsScatterRenderer *self,
                 EsLabelContext    *lc,
                 gsize              row,
                 gboolean           forced)
{
  double sx, sy, depth, w, r, h = lc->height, pad = lc->pad;
  double x = 0, y = 0;
  gboolean found = FALSE;
  EsLabelBox box = { 0 };

  if (g_hash_table_contains (lc->placed, GSIZE_TO_POINTER (row)))
    return FALSE;
  if (!_es_plot_project_row (lc->data, &lc->t, row, &sx, &sy, &depth))
    return FALSE;
  if (!(sx >= 0 && sy >= 0 && sx < lc->vp->width && sy < lc->vp->height))
    return FALSE;
  if (*es_scatter_data_get_label (lc->data, row) == '\0')
    return FALSE;

  w = label_width (self, lc->cr, lc->data, lc->style, lc->font_size, row);
  r = MAX (lc->style->point_size, 2) / 2 * _es_plot_depth_size_factor (lc->vp, depth) + 2;

  /* Next to the point: the four sides (and, for labels that must show,
   * the corners too).
   */
  for (guint c = 0; c < (forced ? 8u : 4u) && !found; c++)
    {
      label_position (sx, sy, w, h, r, c, &x, &y);
      found = label_fits (self, lc, x, y, w);
    }
  if (!found && !forced)
    return FALSE;

  /* A label that must show but sits in a crowd (a word's neighbours are
   * often one clump) moves outwards ring by ring, to the nearest free
   * spot, and gets a leader line back to its point.
   */
  for (guint ring = 1; ring <= LABEL_RINGS && !found; ring++)
    for (guint c = 0; c < 8 && !found; c++)
      {
        label_position (sx, sy, w, h, r + ring * h * 0.8, c, &x, &y);
        found = label_fits (self, lc, x, y, w);
        box.displaced = found;
      }

  if (!found)
    {
      /* Nowhere free: right of the point, kept on the surface. */
      label_position (sx, sy, w, h, r, 0, &x, &y);
      x = CLAMP (x, 0, MAX (lc->vp->width - w, 0));
      y = CLAMP (y, 0, MAX (lc->vp->height - h, 0));
    }

  box.x = x;
  box.y = y;
  box.row = (guint32) row;
  box.forced = forced;
  box.width = w;
  box.height = h;
  _es_scatter_renderer_occupy (self, box.x - pad, box.y - pad, w + 2 * pad, h + 2 * pad);
  g_array_append_val (self->labels, box);
  g_hash_table_add (lc->placed, GSIZE_TO_POINTER (row));

  return TRUE;
}

void
_es_scatter_renderer_layout_labels (EsScatterRenderer   *self,
                                    EsLabelContext      *lc,
                                    const EsPlotOverlay *overlay)
{
  gsize n = es_scatter_data_get_n_points (lc->data);
  double area = (double) lc->vp->width * lc->vp->height;
  guint max_labels = (guint) CLAMP (area / (lc->height * lc->height * 25), 10, 1200);
  /* Regions of the surface with their own share, so the frequent words
   * in the middle of the cloud do not take every label.
   */
  double region = MAX (8 * lc->height, 64);
  int region_cols = (int) ceil (lc->vp->width / region);
  int region_rows = (int) ceil (lc->vp->height / region);
  guint region_cap = (guint) MAX (2, region * region / (lc->height * lc->height * 18));
  g_autofree guint16 *region_count = g_new0 (guint16, (gsize) region_cols * region_rows);
  guint tries = 0;
  guint scanned = 0;
  gsize next_row = 0;
  gboolean by_grid = FALSE;

  /* Always labelled, most important first. */
  if (overlay->selected >= 0)
    try_place_label (self, lc, (gsize) overlay->selected, TRUE);
  for (guint i = 0; i < 4; i++)
    if (overlay->analogy[i] >= 0)
      try_place_label (self, lc, (gsize) overlay->analogy[i], TRUE);
  for (gsize i = 0; i < overlay->n_highlighted; i++)
    try_place_label (self, lc, overlay->highlighted[i], TRUE);
  for (gsize i = 0; i < overlay->n_pinned; i++)
    try_place_label (self, lc, overlay->pinned[i], TRUE);
  for (gsize i = 0; i < overlay->n_search_hits; i++)
    try_place_label (self, lc, overlay->search_hits[i], TRUE);
  /* The selection next, but only where a label fits: a box over a crowd
   * must not bury the plot under a pile of words.
   */
  for (gsize i = 0; i < overlay->n_selection && self->labels->len < max_labels; i++)
    {
      double sx, sy, depth;

      if (_es_plot_project_row (lc->data, &lc->t, overlay->selection[i], &sx, &sy, &depth) &&
          sx >= 0 && sy >= 0 && sx < lc->vp->width && sy < lc->vp->height)
        try_place_label (self, lc, overlay->selection[i], FALSE);
    }

  if (!lc->style->show_labels)
    return;

  /* Then by rank while there is room; zooming in spreads the points, so
   * more of them find a free spot.  When most points are off the surface
   * only the rows near it are walked (still by rank).
   */
  if (!lc->vp->three_d && n >= RANK_GRID_MIN)
    {
      double x0, y0, x1, y1;

      if (self->rank_grid == NULL || es_rank_grid_get_data (self->rank_grid) != lc->data)
        {
          g_clear_pointer (&self->rank_grid, es_rank_grid_free);
          self->rank_grid = es_rank_grid_new (lc->data);
        }
      es_viewport_unproject (lc->vp, 0, lc->vp->height, &x0, &y0);
      es_viewport_unproject (lc->vp, lc->vp->width, 0, &x1, &y1);
      by_grid = es_rank_grid_begin (self->rank_grid, x0, y0, x1, y1, 0.25);
    }
  while (self->labels->len < max_labels && tries < LABEL_TRIES && scanned < LABEL_SCAN)
    {
      double sx, sy, depth;
      guint16 *count;
      gsize row;

      if (by_grid)
        {
          if (!es_rank_grid_next (self->rank_grid, &row))
            break;
        }
      else if (next_row < n)
        row = next_row++;
      else
        break;
      /* Written so that NaN fails it too. */
      if (!_es_plot_project_row (lc->data, &lc->t, row, &sx, &sy, &depth) ||
          !(sx >= 0 && sy >= 0 && sx < lc->vp->width && sy < lc->vp->height))
        continue;
      scanned++;
      count = &region_count[(int) (sy / region) * region_cols + (int) (sx / region)];
      if (*count >= region_cap)
        continue;
      tries++;
      if (try_place_label (self, lc, row, FALSE))
        (*count)++;
    }
}

void
_es_scatter_renderer_draw_labels (EsScatterRenderer   *self,
                                  EsLabelContext      *lc,
                                  const EsPlotOverlay *overlay)
{
  /* Leader lines first, under every label's halo. */
  cairo_save (lc->cr);
  cairo_set_line_width (lc->cr, MAX (lc->font_size / 12, 1));
  _es_plot_set_source (lc->cr, lc->style->foreground, 0.6);
  for (guint i = 0; i < self->labels->len; i++)
    {
      const EsLabelBox *box = &g_array_index (self->labels, EsLabelBox, i);
      double sx, sy, depth, cx, cy, len;

      if (!box->displaced || !_es_plot_project_row (lc->data, &lc->t, box->row, &sx, &sy, &depth))
        continue;
      /* From the edge of the point's ring to the nearest side of the box. */
      cx = CLAMP (sx, box->x, box->x + box->width);
      cy = CLAMP (sy, box->y + box->height * 0.2, box->y + box->height * 0.8);
      len = hypot (cx - sx, cy - sy);
      if (len < 1)
        continue;
      {
        double r = MAX (lc->style->point_size, 2) / 2 * _es_plot_depth_size_factor (lc->vp, depth) + 1;

        cairo_move_to (lc->cr, sx + (cx - sx) * r / len, sy + (cy - sy) * r / len);
        cairo_line_to (lc->cr, cx, cy);
      }
    }
  cairo_stroke (lc->cr);
  cairo_restore (lc->cr);

  /* The selected word's label last: in a crowd (k ≥ 50 neighbours with no
   * free spot left) the others overlap it, and it must stay readable.
   */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < self->labels->len; i++)
      {
        const EsLabelBox *box = &g_array_index (self->labels, EsLabelBox, i);
        gboolean selected = overlay->selected >= 0 && box->row == (guint32) overlay->selected;

        if (selected != (pass == 1))
          continue;
        _es_plot_select_font (lc->cr, lc->style, lc->font_size / lc->style->font_size, selected);
        _es_scatter_renderer_show_text_halo (self, lc->cr, lc->style, box->x, box->y + lc->ascent,
                                             es_scatter_data_get_label (lc->data, box->row), lc->style->foreground);
      }
}

gboolean
_es_scatter_renderer_occupancy_is_free (EsScatterRenderer *self,
                                        double             x,
                                        double             y,
                                        double             w,
                                        double             h)
{
  return occupancy_is_free (self, x, y, w, h);
}
