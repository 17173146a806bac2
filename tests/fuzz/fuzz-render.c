/* fuzz-render.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The renderer with whatever coordinates and camera: the input is a camera
 * (azimuth, elevation, distance, scale, centre as raw doubles: NaN, Inf,
 * 1e308 and denormals included), a few style bits, then points as raw
 * float32 triples.  Every back-end, labels, the overlay and the hit index
 * run on it; the sanitizers report any index made from a non-finite
 * coordinate.
 */

#define G_LOG_DOMAIN "es-fuzz"

#include "config.h"

#include <string.h>

#include "es-fuzz.h"
#include "es-point-index.h"
#include "es-scatter-data.h"
#include "es-scatter-renderer.h"
#include "es-viewport.h"

static double
take_double (const uint8_t **p,
             const uint8_t  *end)
{
  double v = 0;

  if (end - *p >= 8)
    {
      memcpy (&v, *p, 8);
      *p += 8;
    }
  return v;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const uint8_t *p = data, *end = data + size;
  double azimuth, elevation, distance, scale, cx, cy, hover_x, hover_y;
  guint8 flags;
  gsize n;
  g_autofree float *xyz = NULL;
  g_auto(GStrv) words = NULL;
  g_autoptr(EsScatterData) scatter = NULL;
  g_autoptr(EsScatterRenderer) renderer = NULL;
  g_autoptr(EsPointIndex) index = NULL;
  cairo_surface_t *image;
  cairo_t *cr;
  EsViewport vp;
  EsPlotStyle style;
  EsPlotOverlay overlay;
  guint32 highlighted[2] = { 0, 1 };
  double box[4];

  if (size < 8 * 8 + 1)
    return 0;
  azimuth = take_double (&p, end);
  elevation = take_double (&p, end);
  distance = take_double (&p, end);
  scale = take_double (&p, end);
  cx = take_double (&p, end);
  cy = take_double (&p, end);
  hover_x = take_double (&p, end);
  hover_y = take_double (&p, end);
  flags = *p++;
  n = MIN ((gsize) (end - p) / 12, 4096);
  if (n < 2)
    return 0;
  xyz = g_new (float, 3 * n);
  memcpy (xyz, p, 12 * n);
  words = g_new0 (char *, n + 1);
  for (gsize i = 0; i < n; i++)
    words[i] = g_strdup_printf ("w%" G_GSIZE_FORMAT, i);

  scatter = es_scatter_data_new_from_coords (xyz, n, 3, 0, 1, (flags & 1) ? 2 : -1, NULL,
                                             (const char * const *) words);
  es_viewport_init (&vp, 96, 64, (flags & 1) != 0);
  if (flags & 2)
    {
      double min[3], max[3];

      es_scatter_data_get_bounds (scatter, min, max);
      es_viewport_fit (&vp, min, max, 4);
    }
  /* Through the setters and, half the time, behind their back. */
  es_viewport_set_angles (&vp, azimuth, elevation);
  if (flags & 4)
    {
      vp.azimuth = azimuth;
      vp.elevation = elevation;
      vp.distance = distance;
      vp.scale = scale;
      vp.center_x = cx;
      vp.center_y = cy;
    }
  else if (scale > 0)
    es_viewport_zoom_at (&vp, scale, cx, cy);

  es_plot_style_init (&style, (flags & 8) != 0);
  style.show_labels = (flags & 16) != 0;
  style.show_axes = TRUE;
  /* The density map with labels and a selection (no flag bit is left). */
  style.show_density = (flags & 48) == 48;
  es_plot_overlay_init (&overlay);
  overlay.selected = flags & 32 ? 0 : -1;
  overlay.highlighted = highlighted;
  overlay.n_highlighted = 2;

  renderer = es_scatter_renderer_new ();
  es_scatter_renderer_set_density_threshold (renderer, flags & 64 ? 0 : G_MAXSIZE);
  image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, vp.width, vp.height);
  es_scatter_renderer_render_image (renderer, image, scatter, &vp, &style, &overlay);
  cr = cairo_create (image);
  box[0] = hover_x;
  box[1] = hover_y;
  box[2] = cx;
  box[3] = cy;
  es_scatter_renderer_draw_interaction (renderer, cr, scatter, &vp, &style, flags & 128 ? 1 : -1,
                                        flags & 64 ? "row 1\nnorm 2" : NULL, box);
  cairo_destroy (cr);
  if (flags & 128)
    {
      cairo_surface_t *rec = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);

      cr = cairo_create (rec);
      es_scatter_renderer_draw (renderer, cr, scatter, &vp, &style, &overlay);
      cairo_destroy (cr);
      cairo_surface_destroy (rec);
    }
  cairo_surface_destroy (image);

  index = es_point_index_new (scatter, &vp);
  es_point_index_lookup (index, hover_x, hover_y, 6);
  g_array_unref (es_point_index_query_rect (index, hover_x, hover_y, cx, cy));

  return 0;
}
