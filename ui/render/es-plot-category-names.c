/* es-plot-category-names.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-plot-category-names"

#include "config.h"

#include "es-plot-category-names-private.h"

#include "es-plot-cairo-private.h"
#include "es-plot-labels-private.h"

#include <math.h>

#define MAX_NAMED_CATEGORIES 256   /* beyond this the colours repeat anyway */
#define NAME_SCALE           1.3   /* of the word font, bold */

typedef struct
{
  guint  category;
  gsize  count;
  gsize  row;      /* the member nearest the mean: on the cluster, never in a gap */
} Centre;

static int
compare_by_count (gconstpointer a,
                  gconstpointer b)
{
  const Centre *ca = a, *cb = b;

  if (ca->count != cb->count)
    return ca->count < cb->count ? 1 : -1;
  return ca->category < cb->category ? -1 : ca->category > cb->category;
}

/* Once per data set: O(n) over its points. */
static void
ensure_centres (EsScatterRenderer *self,
                EsScatterData     *data)
{
  guint k = es_scatter_data_get_n_categories (data);
  gsize n = es_scatter_data_get_n_points (data);
  g_autofree double *sum = NULL;
  g_autofree double *best = NULL;
  g_autofree Centre *centres = NULL;

  if (self->centre_data == data && self->centre_serial == es_scatter_data_get_color_serial (data))
    return;
  g_clear_pointer (&self->centre_data, es_scatter_data_unref);
  g_clear_pointer (&self->centres, g_array_unref);
  self->centre_data = es_scatter_data_ref (data);
  self->centre_serial = es_scatter_data_get_color_serial (data);
  self->centres = g_array_new (FALSE, FALSE, sizeof (Centre));
  if (es_scatter_data_get_color_mode (data) != ES_SCATTER_COLOR_CATEGORIES ||
      k == 0 || k > MAX_NAMED_CATEGORIES)
    return;

  sum = g_new0 (double, 3 * (gsize) k);
  best = g_new (double, k);
  centres = g_new0 (Centre, k);
  for (gsize r = 0; r < n; r++)
    {
      guint c = es_scatter_data_get_category (data, r);
      double x, y, z;

      if (c >= k || !es_scatter_data_get_point (data, r, &x, &y, &z))
        continue;
      sum[3 * c] += x;
      sum[3 * c + 1] += y;
      sum[3 * c + 2] += z;
      centres[c].count++;
    }
  for (guint c = 0; c < k; c++)
    {
      centres[c].category = c;
      best[c] = INFINITY;
      if (centres[c].count > 0)
        for (guint a = 0; a < 3; a++)
          sum[3 * c + a] /= (double) centres[c].count;
    }
  for (gsize r = 0; r < n; r++)
    {
      guint c = es_scatter_data_get_category (data, r);
      double x, y, z, d;

      if (c >= k || !es_scatter_data_get_point (data, r, &x, &y, &z))
        continue;
      d = (x - sum[3 * c]) * (x - sum[3 * c]) + (y - sum[3 * c + 1]) * (y - sum[3 * c + 1]) +
          (z - sum[3 * c + 2]) * (z - sum[3 * c + 2]);
      if (d < best[c])
        {
          best[c] = d;
          centres[c].row = r;
        }
    }
  for (guint c = 0; c < k; c++)
    if (centres[c].count > 0)
      g_array_append_val (self->centres, centres[c]);
  g_array_sort (self->centres, compare_by_count);
}

void
_es_scatter_renderer_clear_category_names (EsScatterRenderer *self)
{
  g_clear_pointer (&self->centre_data, es_scatter_data_unref);
  g_clear_pointer (&self->centres, g_array_unref);
}

void
_es_scatter_renderer_layout_category_names (EsScatterRenderer *self,
                                            EsLabelContext    *lc)
{
  cairo_font_extents_t fext;
  double h, pad = lc->pad * 2;

  g_array_set_size (self->category_labels, 0);
  if (!lc->style->show_category_names)
    return;
  ensure_centres (self, lc->data);
  if (self->centres->len == 0)
    return;

  cairo_save (lc->cr);
  _es_plot_select_font (lc->cr, lc->style, NAME_SCALE, TRUE);
  cairo_font_extents (lc->cr, &fext);
  h = fext.ascent + fext.descent;
  for (guint i = 0; i < self->centres->len; i++)
    {
      const Centre *centre = &g_array_index (self->centres, Centre, i);
      const char *name = es_scatter_data_get_category_name (lc->data, centre->category);
      cairo_text_extents_t ext;
      double sx, sy, depth, w;
      EsLabelBox box = { 0 };
      /* On the centre, else just above or below it. */
      const double offsets[] = { 0, -1, 1 };
      gboolean found = FALSE;

      if (name == NULL || *name == '\0' ||
          !_es_plot_project_row (lc->data, &lc->t, centre->row, &sx, &sy, &depth))
        continue;
      cairo_text_extents (lc->cr, name, &ext);
      w = ext.x_advance;
      for (guint o = 0; o < G_N_ELEMENTS (offsets) && !found; o++)
        {
          box.x = sx - w / 2;
          box.y = sy - h / 2 + offsets[o] * h;
          found = box.x >= 0 && box.y >= 0 && box.x + w <= lc->vp->width &&
                  box.y + h <= lc->vp->height &&
                  _es_scatter_renderer_occupancy_is_free (self, box.x - pad, box.y - pad,
                                                          w + 2 * pad, h + 2 * pad);
        }
      if (!found)
        continue;
      box.row = centre->category;
      box.width = w;
      box.height = h;
      _es_scatter_renderer_occupy (self, box.x - pad, box.y - pad, w + 2 * pad, h + 2 * pad);
      g_array_append_val (self->category_labels, box);
    }
  self->category_ascent = fext.ascent;
  cairo_restore (lc->cr);
}

void
_es_scatter_renderer_draw_category_names (EsScatterRenderer *self,
                                          EsLabelContext    *lc)
{
  if (self->category_labels->len == 0)
    return;

  cairo_save (lc->cr);
  _es_plot_select_font (lc->cr, lc->style, NAME_SCALE, TRUE);
  for (guint i = 0; i < self->category_labels->len; i++)
    {
      const EsLabelBox *box = &g_array_index (self->category_labels, EsLabelBox, i);
      double rgb[3], color[4];

      /* The category's own colour, darkened or lightened toward the text
       * colour so it reads on the background.
       */
      es_scatter_renderer_category_color (box->row, rgb);
      for (guint a = 0; a < 3; a++)
        color[a] = 0.45 * rgb[a] + 0.55 * lc->style->foreground[a];
      color[3] = 1;
      _es_scatter_renderer_show_text_halo (self, lc->cr, lc->style, box->x, box->y + self->category_ascent,
                                           es_scatter_data_get_category_name (lc->data, box->row), color);
    }
  cairo_restore (lc->cr);
}
