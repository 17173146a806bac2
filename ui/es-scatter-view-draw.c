/* es-scatter-view-draw.c: the plot's pixels
 *
 * The static image (points, labels, axes and marks) is rendered by
 * es-scatter-renderer into a texture only when something changed (dirty);
 * snapshot shows it and draws the interaction layer (hover card, box,
 * lasso) on top.  Export renders the same through the vector back-end.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-scatter-view"

#include "config.h"

#include "es-scatter-view-private.h"

#include "es-point-index.h"
#include "es-scatter-renderer.h"

#include <math.h>
#include <string.h>

void
_es_scatter_view_invalidate (EsScatterView *self)
{
  self->dirty = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Without queueing a draw: safe from snapshot and size_allocate. */
static void
mark_view_changed (EsScatterView *self)
{
  /* The hit-test grid follows the camera. */
  g_clear_pointer (&self->index, es_point_index_free);
  self->dirty = TRUE;
}

void
_es_scatter_view_invalidate_view (EsScatterView *self)
{
  mark_view_changed (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
_es_scatter_view_fit (EsScatterView *self)
{
  double lo[3], hi[3];

  if (self->data == NULL)
    return;
  es_scatter_data_get_bounds (self->data, lo, hi);
  es_viewport_fit (&self->viewport, lo, hi, FIT_MARGIN * self->scale_factor);
  /* Before the first allocation there is nothing to fit into yet. */
  self->needs_fit = self->viewport.width <= 1 || self->viewport.height <= 1;
}

static void
fill_overlay (EsScatterView *self,
              EsPlotOverlay *overlay)
{
  es_plot_overlay_init (overlay);
  overlay->selected = self->selected;
  overlay->highlighted = (const guint32 *) (gpointer) self->highlighted->data;
  overlay->n_highlighted = self->highlighted->len;
  if (self->closeness->len == self->highlighted->len && self->closeness->len > 0)
    overlay->closeness = (const float *) (gpointer) self->closeness->data;
  overlay->pinned = (const guint32 *) (gpointer) self->pinned->data;
  overlay->n_pinned = self->pinned->len;
  overlay->search_hits = (const guint32 *) (gpointer) self->search_hits->data;
  overlay->n_search_hits = self->search_hits->len;
  overlay->path = (const guint32 *) (gpointer) self->path->data;
  overlay->n_path = self->path->len;
  overlay->selection = (const guint32 *) (gpointer) self->selection->data;
  overlay->n_selection = self->selection->len;
  overlay->links = (const guint32 *) (gpointer) self->links->data;
  overlay->n_links = self->links->len / 2;
  memcpy (overlay->analogy, self->analogy, sizeof self->analogy);
}

/* The plot colours follow the theme: light or dark by the text colour. */
void
_es_scatter_view_update_style (EsScatterView *self)
{
  GdkRGBA color;
  gboolean dark;
  int sf = self->scale_factor;

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &color);
G_GNUC_END_IGNORE_DEPRECATIONS

  if (!gdk_rgba_equal (&color, &self->last_color))
    {
      self->last_color = color;
      self->dirty = TRUE;
    }
  dark = 0.2126 * color.red + 0.7152 * color.green + 0.0722 * color.blue > 0.5;
  es_plot_style_init (&self->style, dark);
  self->style.foreground[0] = color.red;
  self->style.foreground[1] = color.green;
  self->style.foreground[2] = color.blue;
  self->style.point_size = self->point_size * sf;
  self->style.opacity = self->opacity;
  self->style.font_size = self->font_size * sf;
  self->style.show_labels = self->show_labels;
  self->style.show_density = self->show_density;
}

static void
ensure_viewport_size_for (EsScatterView *self,
                          int            width,
                          int            height)
{
  int sf = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  int w = MAX (width, 1) * sf;
  int h = MAX (height, 1) * sf;

  if (w != self->viewport.width || h != self->viewport.height || sf != self->scale_factor)
    {
      double k = MIN ((double) w / self->viewport.width, (double) h / self->viewport.height);

      if (self->viewport.width <= 1 || self->viewport.height <= 1)
        self->needs_fit = TRUE;
      self->scale_factor = sf;
      es_viewport_set_size (&self->viewport, w, h);
      /* Keep what was visible visible when the widget grows or shrinks. */
      if (!self->three_d)
        {
          self->viewport.scale *= k;
          self->viewport.fit_scale *= k;
        }
      mark_view_changed (self);
    }
  if (self->needs_fit && self->data != NULL)
    {
      _es_scatter_view_fit (self);
      mark_view_changed (self);
    }
}

void
_es_scatter_view_ensure_viewport_size (EsScatterView *self)
{
  ensure_viewport_size_for (self,
                            gtk_widget_get_width (GTK_WIDGET (self)),
                            gtk_widget_get_height (GTK_WIDGET (self)));
}

void
_es_scatter_view_ensure_texture (EsScatterView *self)
{
  int w = self->viewport.width;
  int h = self->viewport.height;
  int stride = cairo_format_stride_for_width (CAIRO_FORMAT_ARGB32, w);
  guchar *pixels;
  cairo_surface_t *surface;
  EsPlotOverlay overlay;
  g_autoptr(GBytes) bytes = NULL;

  if (!self->dirty && self->texture != NULL &&
      gdk_texture_get_width (self->texture) == w && gdk_texture_get_height (self->texture) == h)
    return;

  /* A fresh buffer each time: a GdkTexture's pixels must never change
   * while the renderer may still hold the previous one.
   */
  pixels = g_malloc ((gsize) stride * h);
  surface = cairo_image_surface_create_for_data (pixels, CAIRO_FORMAT_ARGB32, w, h, stride);
  fill_overlay (self, &overlay);
  es_scatter_renderer_render_image (self->renderer, surface, self->data, &self->viewport,
                                    &self->style, &overlay);
  cairo_surface_destroy (surface);

  bytes = g_bytes_new_take (pixels, (gsize) stride * h);
  g_clear_object (&self->texture);
  /* GDK_MEMORY_DEFAULT is Cairo's ARGB32 layout. */
  self->texture = gdk_memory_texture_new (w, h, GDK_MEMORY_DEFAULT, bytes, stride);
  self->dirty = FALSE;
}

/* The hit-test grid: built once per camera change, then each lookup
 * reads a few cells.
 */
void
_es_scatter_view_ensure_index (EsScatterView *self)
{
  g_assert (self->data != NULL);

  _es_scatter_view_ensure_viewport_size (self);
  if (!es_point_index_matches (self->index, self->data, &self->viewport))
    {
      g_clear_pointer (&self->index, es_point_index_free);
      self->index = es_point_index_new (self->data, &self->viewport);
    }
}

void
_es_scatter_view_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  EsScatterView *self = ES_SCATTER_VIEW (widget);
  int w = gtk_widget_get_width (widget);
  int h = gtk_widget_get_height (widget);
  cairo_t *cr;

  _es_scatter_view_ensure_viewport_size (self);
  _es_scatter_view_update_style (self);
  _es_scatter_view_ensure_texture (self);
  gtk_snapshot_append_texture (snapshot, self->texture, &GRAPHENE_RECT_INIT (0, 0, w, h));

  if (self->hover < 0 && !self->box_selecting)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  cairo_scale (cr, 1.0 / self->scale_factor, 1.0 / self->scale_factor);
  {
    double box[4];

    for (guint i = 0; i < 4; i++)
      box[i] = self->box[i] * self->scale_factor;
    g_autofree char *detail = NULL;

    if (self->hover >= 0 && self->detail_func != NULL && !self->dragging)
      detail = self->detail_func ((gsize) self->hover, self->detail_data);
    es_scatter_renderer_draw_interaction (self->renderer, cr, self->data, &self->viewport,
                                          &self->style, self->hover, detail,
                                          self->box_selecting && !self->lasso_selecting ? box : NULL);
    if (self->lasso_selecting && self->lasso->len >= 4)
      es_scatter_renderer_draw_lasso (cr, &self->style, (const double *) (gpointer) self->lasso->data,
                                      self->lasso->len / 2, self->scale_factor);
  }
  cairo_destroy (cr);
}

void
_es_scatter_view_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  EsScatterView *self = ES_SCATTER_VIEW (widget);

  /* Follow the new size here, so snapshot only reads state. */
  ensure_viewport_size_for (self, width, height);
  /* A popover parented to a plain widget is placed by its parent. */
  if (self->context_menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->context_menu));
}

void
_es_scatter_view_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  *minimum = 100;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 640 : 480;
}

gboolean
es_scatter_view_export (EsScatterView  *self,
                        const char     *path,
                        int             width,
                        int             height,
                        GError        **error)
{
  EsPlotFormat format;
  EsPlotOverlay overlay;

  g_return_val_if_fail (ES_IS_SCATTER_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!es_plot_format_from_path (path, &format))
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Cannot export “%s”: use a .png, .svg or .pdf name", display);
      return FALSE;
    }

  _es_scatter_view_ensure_viewport_size (self);
  _es_scatter_view_update_style (self);
  fill_overlay (self, &overlay);
  if (width <= 0 || height <= 0)
    {
      width = self->viewport.width;
      height = self->viewport.height;
    }

  return es_scatter_renderer_export (self->data, &self->viewport, &self->style, &overlay,
                                     path, format, width, height, error);
}
