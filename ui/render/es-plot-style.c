/* es-plot-style.c: the plot's style and overlay defaults, formats by name
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-plot-style"

#include "config.h"

#include "es-scatter-renderer.h"

#include <string.h>

gboolean
es_plot_format_from_path (const char   *path,
                          EsPlotFormat *format)
{
  const char *dot;

  g_return_val_if_fail (path != NULL, FALSE);

  dot = strrchr (path, '.');
  if (dot == NULL || strchr (dot, G_DIR_SEPARATOR) != NULL)
    return FALSE;
  if (g_ascii_strcasecmp (dot, ".png") == 0)
    *format = ES_PLOT_FORMAT_PNG;
  else if (g_ascii_strcasecmp (dot, ".svg") == 0)
    *format = ES_PLOT_FORMAT_SVG;
  else if (g_ascii_strcasecmp (dot, ".pdf") == 0)
    *format = ES_PLOT_FORMAT_PDF;
  else
    return FALSE;

  return TRUE;
}

static void
set_rgba (double c[4],
          double r,
          double g,
          double b,
          double a)
{
  c[0] = r;
  c[1] = g;
  c[2] = b;
  c[3] = a;
}

void
es_plot_style_init (EsPlotStyle *style,
                    gboolean     dark)
{
  g_return_if_fail (style != NULL);

  memset (style, 0, sizeof *style);
  if (dark)
    {
      set_rgba (style->background, 0.118, 0.118, 0.118, 1);
      set_rgba (style->foreground, 0.92, 0.92, 0.92, 1);
      set_rgba (style->grid, 1, 1, 1, 0.09);
      set_rgba (style->accent, 1.0, 0.64, 0.28, 1);
      /* Okabe & Ito's sky blue: their blue is too dark on a dark background. */
      set_rgba (style->point, 0.337, 0.706, 0.914, 1);
    }
  else
    {
      set_rgba (style->background, 1, 1, 1, 1);
      set_rgba (style->foreground, 0.14, 0.14, 0.16, 1);
      set_rgba (style->grid, 0, 0, 0, 0.08);
      set_rgba (style->accent, 0.90, 0.38, 0.0, 1);
      set_rgba (style->point, 0.000, 0.447, 0.698, 1);
    }
  style->point_size = 4;
  style->opacity = 0.75;
  style->font_size = 12;
  style->font_family = "Sans";
  style->show_labels = TRUE;
  style->show_axes = TRUE;
  style->show_legend = TRUE;
  style->show_category_names = TRUE;
  style->show_density = FALSE;
  style->density_bandwidth = 1;
  /* The densest quarter, half, three quarters and 90 % of the points. */
  style->n_density_levels = 4;
  style->density_levels[0] = 0.25;
  style->density_levels[1] = 0.5;
  style->density_levels[2] = 0.75;
  style->density_levels[3] = 0.9;
}

void
es_plot_overlay_init (EsPlotOverlay *overlay)
{
  g_return_if_fail (overlay != NULL);

  memset (overlay, 0, sizeof *overlay);
  overlay->selected = -1;
  for (guint i = 0; i < 4; i++)
    overlay->analogy[i] = -1;
}
