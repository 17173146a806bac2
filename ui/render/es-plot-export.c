/* es-plot-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-plot-export"

#include "config.h"

#include "es-scatter-renderer-private.h"

#include "es-output.h"
#include "es-png-writer.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <gio/gio.h>

typedef struct
{
  int      fd;
  int      saved_errno;
} WriteTarget;

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  WriteTarget *target = closure;

  if (!es_write_all (target->fd, data, length))
    {
      target->saved_errno = errno;
      return CAIRO_STATUS_WRITE_ERROR;
    }

  return CAIRO_STATUS_SUCCESS;
}

static gboolean
write_plot (WriteTarget         *target,
            EsScatterData       *data,
            const EsViewport    *vp,
            const EsPlotStyle   *style,
            const EsPlotOverlay *overlay,
            EsPlotFormat         format)
{
  g_autoptr(EsScatterRenderer) renderer = es_scatter_renderer_new ();
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  switch (format)
    {
    case ES_PLOT_FORMAT_PNG:
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, vp->width, vp->height);
      if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
        {
          cairo_surface_destroy (surface);
          target->saved_errno = ENOMEM;
          return FALSE;
        }
      {
        gboolean ok;

        es_scatter_renderer_render_image (renderer, surface, data, vp, style, overlay);
        ok = es_png_write_surface (surface, target->fd);
        if (!ok)
          target->saved_errno = errno;
        cairo_surface_destroy (surface);
        return ok;
      }

    case ES_PLOT_FORMAT_SVG:
      surface = cairo_svg_surface_create_for_stream (write_cb, target, vp->width, vp->height);
      break;

    case ES_PLOT_FORMAT_PDF:
      surface = cairo_pdf_surface_create_for_stream (write_cb, target, vp->width, vp->height);
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Embedscope");
      break;

    default:
      g_assert_not_reached ();
    }

  cr = cairo_create (surface);
  es_scatter_renderer_draw (renderer, cr, data, vp, style, overlay);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  return status == CAIRO_STATUS_SUCCESS;
}

gboolean
es_scatter_renderer_export (EsScatterData        *data,
                            const EsViewport     *viewport,
                            const EsPlotStyle    *style,
                            const EsPlotOverlay  *overlay,
                            const char           *path,
                            EsPlotFormat          format,
                            int                   width,
                            int                   height,
                            GError              **error)
{
  g_autofree char *display = NULL;
  EsOutput *output;
  EsViewport vp;
  EsPlotStyle st;
  WriteTarget target = { -1, 0 };
  double k;
  gboolean ok;

  g_return_val_if_fail (viewport != NULL, FALSE);
  g_return_val_if_fail (style != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  display = g_filename_display_name (path);
  if (width <= 0 || height <= 0 || width > 32768 || height > 32768)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Cannot export “%s”: invalid size %d × %d", display, width, height);
      return FALSE;
    }

  /* The same view at the new size: what was visible stays visible and
   * markers and text grow with it.
   */
  vp = *viewport;
  st = *style;
  k = MIN ((double) width / viewport->width, (double) height / viewport->height);
  es_viewport_set_size (&vp, width, height);
  vp.scale *= k;
  vp.fit_scale *= k;
  st.point_size *= k;
  st.font_size *= k;

  /* es_output: a temporary file renamed over a regular file, a device or
   * pipe written in place; never a device replaced by a file.
   */
  output = es_output_open (path, error);
  if (output == NULL)
    return FALSE;
  target.fd = es_output_get_fd (output);
  ok = write_plot (&target, data, &vp, &st, overlay, format);
  if (!ok)
    es_output_fail (output, target.saved_errno != 0 ? target.saved_errno : EIO);

  return es_output_commit (output, error);
}
