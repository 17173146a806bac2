/* es-scatter-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "es-scatter-data.h"
#include "es-viewport.h"

G_BEGIN_DECLS

#define ES_TYPE_SCATTER_VIEW (es_scatter_view_get_type ())

G_DECLARE_FINAL_TYPE (EsScatterView, es_scatter_view, ES, SCATTER_VIEW, GtkWidget)

GtkWidget     *es_scatter_view_new               (void);

EsScatterData *es_scatter_view_get_data          (EsScatterView  *self);
void           es_scatter_view_set_data          (EsScatterView  *self,
                                                  EsScatterData  *data);
gint64         es_scatter_view_get_selected      (EsScatterView  *self);
void           es_scatter_view_set_selected      (EsScatterView  *self,
                                                  gint64          row);
gboolean       es_scatter_view_get_three_d       (EsScatterView  *self);
void           es_scatter_view_set_three_d       (EsScatterView  *self,
                                                  gboolean        three_d);
double         es_scatter_view_get_point_size    (EsScatterView  *self);
void           es_scatter_view_set_point_size    (EsScatterView  *self,
                                                  double          point_size);
double         es_scatter_view_get_opacity       (EsScatterView  *self);
void           es_scatter_view_set_opacity       (EsScatterView  *self,
                                                  double          opacity);
double         es_scatter_view_get_font_size     (EsScatterView  *self);
void           es_scatter_view_set_font_size     (EsScatterView  *self,
                                                  double          font_size);
gboolean       es_scatter_view_get_show_labels   (EsScatterView  *self);
void           es_scatter_view_set_show_labels   (EsScatterView  *self,
                                                  gboolean        show_labels);
/* The density map (see EsPlotStyle.show_density). */
gboolean       es_scatter_view_get_show_density  (EsScatterView  *self);
void           es_scatter_view_set_show_density  (EsScatterView  *self,
                                                  gboolean        show_density);

/* Rows; copied.  Neighbours are ringed, linked to the selection and
 * labelled; pinned words and search hits are always labelled.
 */
void           es_scatter_view_set_highlighted   (EsScatterView  *self,
                                                  const guint32  *rows,
                                                  gsize           n_rows);
/* Per highlighted row, 1 nearest .. 0 farthest (copied; NULL: one colour);
 * reset by es_scatter_view_set_highlighted ().
 */
void           es_scatter_view_set_closeness     (EsScatterView  *self,
                                                  const float    *closeness,
                                                  gsize           n_rows);
void           es_scatter_view_set_pinned        (EsScatterView  *self,
                                                  const guint32  *rows,
                                                  gsize           n_rows);
const guint32 *es_scatter_view_get_pinned        (EsScatterView  *self,
                                                  gsize          *n_rows);
gboolean       es_scatter_view_is_pinned         (EsScatterView  *self,
                                                  gsize           row);
void           es_scatter_view_set_search_hits   (EsScatterView  *self,
                                                  const guint32  *rows,
                                                  gsize           n_rows);
/* Rows joined by a polyline in this order (a token across layers). */
void           es_scatter_view_set_path          (EsScatterView  *self,
                                                  const guint32  *rows,
                                                  gsize           n_rows);
const guint32 *es_scatter_view_get_path          (EsScatterView  *self,
                                                  gsize          *n_rows);
/* The user's selection, drawn filled and labelled where there is room. */
void           es_scatter_view_set_selection     (EsScatterView  *self,
                                                  const guint32  *rows,
                                                  gsize           n_rows);
/* Arrows from row to row: @pairs holds @n_links (from, to) pairs (copied). */
void           es_scatter_view_set_links         (EsScatterView  *self,
                                                  const guint32  *pairs,
                                                  gsize           n_links);
/* What a drag does: "pan" (pans or orbits; Shift or Ctrl + drag boxes),
 * "box" or "lasso" (select; Shift adds, Ctrl subtracts).
 */
const char    *es_scatter_view_get_tool          (EsScatterView  *self);
void           es_scatter_view_set_tool          (EsScatterView  *self,
                                                  const char     *tool);
/* a - b + c = result; -1 for a missing one, all -1 to clear. */
void           es_scatter_view_set_analogy       (EsScatterView  *self,
                                                  gint64          a,
                                                  gint64          b,
                                                  gint64          c,
                                                  gint64          result);

/* The lines under the word on the hover card (row, norm, metadata…): a
 * newly allocated string, or NULL.
 */
typedef char *(*EsScatterViewDetailFunc) (gsize    row,
                                          gpointer user_data);
void           es_scatter_view_set_detail_func   (EsScatterView         *self,
                                                  EsScatterViewDetailFunc func,
                                                  gpointer               user_data,
                                                  GDestroyNotify         destroy);

/* The row drawn nearest to widget point (x, y), or -1: a grid lookup, no
 * scan of all points.
 */
gint64         es_scatter_view_lookup_point      (EsScatterView  *self,
                                                  double          x,
                                                  double          y);
/* The camera, in device pixels. */
void           es_scatter_view_get_viewport      (EsScatterView  *self,
                                                  EsViewport     *viewport);
void           es_scatter_view_set_viewport      (EsScatterView  *self,
                                                  const EsViewport *viewport);
/* Exactly the current view as PNG, SVG or PDF (by the extension) at
 * width x height (0: the widget's size), atomically.
 */
gboolean       es_scatter_view_export            (EsScatterView  *self,
                                                  const char     *path,
                                                  int             width,
                                                  int             height,
                                                  GError        **error);

G_END_DECLS
