/* es-scatter-view-private.h: what es-scatter-view.c and its input and
 * action half (es-scatter-view-actions.c) share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-point-index.h"
#include "es-scatter-renderer.h"
#include "es-scatter-view.h"

G_BEGIN_DECLS

#define KEY_PAN_FRACTION 0.1    /* of the view, per arrow key in 2D */
#define KEY_ORBIT_PX     10.0   /* the drag an arrow key stands for in 3D */
#define FIT_MARGIN       40.0   /* clear of the tick labels along the edges */
#define ZOOM_STEP        1.25

struct _EsScatterView
{
  GtkWidget          parent_instance;

  EsScatterData     *data;
  gint64             selected;
  gboolean           three_d;
  double             point_size;
  double             opacity;
  double             font_size;
  gboolean           show_labels;
  gboolean           show_density;

  GArray            *highlighted;
  GArray            *closeness;      /* float per highlighted row, or empty */
  GArray            *pinned;
  GArray            *search_hits;
  GArray            *selection;
  GArray            *path;
  GArray            *links;          /* (from, to) row pairs, guint32 each */
  gint64             analogy[4];

  EsViewport         viewport;
  gboolean           needs_fit;
  int                scale_factor;

  /* The plot as last rendered: re-rendered only when marked dirty or the
   * size changes, so hover and pointer moves cost a texture draw.
   */
  EsScatterRenderer *renderer;
  GdkTexture        *texture;
  gboolean           dirty;
  EsPlotStyle        style;
  GdkRGBA            last_color;

  EsPointIndex      *index;
  gint64             hover;
  double             pointer_x;
  double             pointer_y;

  GtkWidget         *context_menu;

  EsScatterViewDetailFunc detail_func;
  gpointer           detail_data;
  GDestroyNotify     detail_destroy;

  EsViewport         drag_start;
  gboolean           dragging;
  const char        *tool;          /* "pan", "box" or "lasso" (interned) */
  gboolean           box_selecting;  /* a box or a lasso is being drawn */
  gboolean           lasso_selecting;
  int                select_mode;    /* EsSelectMode of the gesture */
  double             box[4];
  GArray            *lasso;          /* x, y pairs in widget pixels */
  double             zoom_last;
};


enum {
  POINT_ACTIVATED,
  SELECTION_CHANGED,
  ROWS_SELECTED,
  CATEGORY_ACTIVATED,
  N_SIGNALS
};

extern guint _es_scatter_view_signals[N_SIGNALS];

/* es-scatter-view-draw.c */
void _es_scatter_view_invalidate (EsScatterView *self);
void _es_scatter_view_invalidate_view (EsScatterView *self);
void _es_scatter_view_fit (EsScatterView *self);
void _es_scatter_view_ensure_viewport_size (EsScatterView *self);
void _es_scatter_view_ensure_texture (EsScatterView *self);
void _es_scatter_view_ensure_index (EsScatterView *self);
void _es_scatter_view_update_style (EsScatterView *self);
void _es_scatter_view_snapshot (GtkWidget   *widget,
                                GtkSnapshot *snapshot);
void _es_scatter_view_size_allocate (GtkWidget *widget,
                                     int        width,
                                     int        height,
                                     int        baseline);
void _es_scatter_view_measure (GtkWidget      *widget,
                               GtkOrientation  orientation,
                               int             for_size,
                               int            *minimum,
                               int            *natural,
                               int            *minimum_baseline,
                               int            *natural_baseline);
/* es-scatter-view-actions.c */
void _es_scatter_view_update_actions (EsScatterView *self);
void _es_scatter_view_class_init_actions (GtkWidgetClass *widget_class);
void _es_scatter_view_init_controllers (EsScatterView *self);

G_END_DECLS
