/* es-scatter-renderer.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>

#include "es-scatter-data.h"
#include "es-viewport.h"

G_BEGIN_DECLS

typedef struct _EsScatterRenderer EsScatterRenderer;

typedef enum
{
  ES_PLOT_FORMAT_PNG,
  ES_PLOT_FORMAT_SVG,
  ES_PLOT_FORMAT_PDF,
} EsPlotFormat;

/* By the extension (case-insensitive); FALSE for anything else. */
gboolean es_plot_format_from_path (const char   *path,
                                   EsPlotFormat *format);

#define ES_PLOT_MAX_DENSITY_LEVELS 8

/* How it looks.  Sizes are in surface pixels (points for PDF). */
typedef struct
{
  double      background[4];
  double      foreground[4];   /* text, axes, the selection ring */
  double      grid[4];
  double      accent[4];       /* neighbours, links, analogy arrows */
  double      point[4];        /* points when no column colours them */
  double      point_size;      /* diameter */
  double      opacity;         /* of one point, 0..1 */
  double      font_size;
  const char *font_family;
  gboolean    show_labels;
  gboolean    show_axes;
  gboolean    show_legend;
  gboolean    show_category_names;  /* clusters and classes named at their centres */
  /* The density map: a kernel density estimate of the shown points on
   * the screen, shaded under the points with contour lines over them;
   * the points fade (opacity * 0.2 at the fitted zoom, full from 8x).
   * @density_levels are fractions of the points in (0, 1): the line
   * for 0.5 encloses the densest half.
   */
  gboolean    show_density;
  double      density_bandwidth;   /* times the rule's bandwidth (1) */
  guint       n_density_levels;
  double      density_levels[ES_PLOT_MAX_DENSITY_LEVELS];
} EsPlotStyle;

void es_plot_style_init (EsPlotStyle *style,
                         gboolean     dark);

/* What is singled out.  Rows are embedding rows; -1 for none. */
typedef struct
{
  gint64         selected;
  const guint32 *highlighted;     /* neighbours of the selection: ringed, linked, labelled */
  gsize          n_highlighted;
  const float   *closeness;       /* per highlighted row, 1 nearest .. 0 farthest, or NULL:
                                   * the ring fades from the accent colour with distance */
  const guint32 *pinned;          /* always labelled */
  gsize          n_pinned;
  const guint32 *search_hits;     /* always labelled, squared */
  gsize          n_search_hits;
  const guint32 *selection;       /* the user's selection: filled in the accent
                                   * colour, labelled first where there is room */
  gsize          n_selection;
  gint64         analogy[4];      /* a - b + c = result: arrows b->a and c->result */
  const guint32 *path;            /* a polyline through these rows in order (a token across
                                   * a tensor's layers), with a dot at each */
  gsize          n_path;
  const guint32 *links;           /* n_links (from, to) row pairs, 2 * n_links entries:
                                   * arrows from -> to (a word's move between two spaces) */
  gsize          n_links;
} EsPlotOverlay;

void es_plot_overlay_init (EsPlotOverlay *overlay);

/* A placed label, in surface pixels. */
typedef struct
{
  guint32  row;
  gboolean forced;    /* selection, neighbours, pins, hits: may overlap each other */
  double   x;
  double   y;
  double   width;
  double   height;
  gboolean displaced; /* moved away from a crowded point: drawn with a leader line */
} EsLabelBox;

/* The renderer keeps only caches (label widths, sprites, depth buffer);
 * one per widget or export, not shared between threads.
 */
EsScatterRenderer *es_scatter_renderer_new                  (void);
void              es_scatter_renderer_free                  (EsScatterRenderer    *self);

/* The whole plot.  Raster back-end when @cr targets an ARGB32 image
 * surface of the viewport's size without a transform (points written as
 * pixels, Cairo for the rest); vector back-end otherwise (every point a
 * Cairo path, for SVG/PDF).
 */
void              es_scatter_renderer_draw                  (EsScatterRenderer    *self,
                                                             cairo_t              *cr,
                                                             EsScatterData        *data,
                                                             const EsViewport     *viewport,
                                                             const EsPlotStyle    *style,
                                                             const EsPlotOverlay  *overlay);
/* The raster back-end on an ARGB32 image surface of the viewport's size. */
void              es_scatter_renderer_render_image          (EsScatterRenderer    *self,
                                                             cairo_surface_t      *image,
                                                             EsScatterData        *data,
                                                             const EsViewport     *viewport,
                                                             const EsPlotStyle    *style,
                                                             const EsPlotOverlay  *overlay);
/* The interactive layer on top: hover ring and a card with the word and
 * @detail (lines, or NULL), rubber band (@box: x0, y0, x1, y1, or NULL).
 */
void              es_scatter_renderer_draw_interaction      (EsScatterRenderer    *self,
                                                             cairo_t              *cr,
                                                             EsScatterData        *data,
                                                             const EsViewport     *viewport,
                                                             const EsPlotStyle    *style,
                                                             gint64                hover,
                                                             const char           *detail,
                                                             const double         *box);
/* A lasso being drawn: the outline @xy (x, y pairs in widget pixels,
 * times @scale for the surface), closed and lightly filled.
 */
void              es_scatter_renderer_draw_lasso            (cairo_t              *cr,
                                                             const EsPlotStyle    *style,
                                                             const double         *xy,
                                                             gsize                 n_vertices,
                                                             double                scale);
/* From this many visible points on the raster back-end switches to its
 * many-points paths: in 2D it counts points per pixel and colours by
 * density instead of drawing a marker per point; in 3D it draws the
 * points nearest depth slice first, composited front to back, skipping
 * those already hidden.  G_MAXSIZE turns that off.
 */
void              es_scatter_renderer_set_density_threshold (EsScatterRenderer    *self,
                                                             gsize                 n_points);
/* The category names placed by the last draw (row: the category). */
const EsLabelBox *es_scatter_renderer_get_category_labels (EsScatterRenderer  *self,
                                                           gsize              *n_labels);
/* The labels placed by the last draw. */
const EsLabelBox *es_scatter_renderer_get_labels            (EsScatterRenderer    *self,
                                                             gsize                *n_labels);

/* Writes exactly this view at width x height (the view scaled to fit,
 * sizes scaled with it) atomically: a temporary file in the same folder
 * renamed over @path, so a failure leaves no partial file and keeps an
 * existing one.
 */
gboolean          es_scatter_renderer_export                (EsScatterData        *data,
                                                             const EsViewport     *viewport,
                                                             const EsPlotStyle    *style,
                                                             const EsPlotOverlay  *overlay,
                                                             const char           *path,
                                                             EsPlotFormat          format,
                                                             int                   width,
                                                             int                   height,
                                                             GError              **error);

/* The colours, exposed for legends elsewhere and tests (r, g, b in 0..1). */
void              es_scatter_renderer_category_color        (guint                 category,
                                                             double                rgb[3]);
void              es_scatter_renderer_gradient_color        (double                t,
                                                             double                rgb[3]);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsScatterRenderer, es_scatter_renderer_free)

G_END_DECLS
