/* es-plot-palette-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-scatter-renderer-private.h"

G_BEGIN_DECLS

/* Colours: a point's colour key to RGB, packed premultiplied pixels. */

void      _es_plot_key_color          (const EsScatterData *data,
                                       const EsPlotStyle   *style,
                                       guint16              key,
                                       double               rgb[3]);
guint     _es_plot_n_color_keys       (const EsScatterData *data);
/* Viridis at @t, trimmed on a dark background (its dark end vanishes). */
void      _es_plot_gradient_color     (const EsPlotStyle   *style,
                                       double               t,
                                       double               rgb[3]);
guint32   _es_plot_pack_premultiplied (const double         rgb[3],
                                       double               alpha);
guint32  *_es_plot_build_lut          (const EsScatterData *data,
                                       const EsPlotStyle   *style,
                                       guint               *n_keys,
                                       guint32             *missing);

G_END_DECLS
