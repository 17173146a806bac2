/* es-viewport.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The camera over normalised scatter coordinates (see EsScatterData), as a
 * plain value type: copy it, compare it, no allocation.
 *
 * 2D: the world point (center_x, center_y) sits at the middle of the
 * surface and one world unit is @scale pixels; y grows upwards.
 *
 * 3D: a turntable camera looking at @target from @distance, turned by
 * @azimuth about the vertical (y) axis and raised by @elevation (degrees),
 * with a perspective of vertical field of view @fov_deg.  The camera sits at
 *   eye = target + distance * (cos el sin az, sin el, cos el cos az)
 * and a point p projects to
 *   sx = width / 2 + f * (p - eye) . right / depth,
 *   sy = height / 2 - f * (p - eye) . up / depth,
 *   depth = (p - eye) . forward,  f = (min (width, height) / 2) / tan (fov / 2).
 */
typedef struct
{
  int      width;
  int      height;
  gboolean three_d;

  double   center_x;
  double   center_y;
  double   scale;
  double   fit_scale;    /* the scale of the last fit, for the zoom level */

  double   target[3];
  double   azimuth;
  double   elevation;
  double   distance;
  double   fit_distance;
  double   fov_deg;
} EsViewport;

/* Precomputed camera for tight loops. */
typedef struct
{
  gboolean three_d;
  double   half_w;
  double   half_h;
  /* 2D: sx = ax * x + bx, sy = ay * y + by */
  double   ax, bx, ay, by;
  /* 3D */
  double   eye[3];
  double   right[3];
  double   up[3];
  double   forward[3];
  double   focal;
  double   near;
} EsViewTransform;

void     es_viewport_init           (EsViewport       *self,
                                     int               width,
                                     int               height,
                                     gboolean          three_d);
void     es_viewport_set_size       (EsViewport       *self,
                                     int               width,
                                     int               height);
/* Shows the box [min, max] (normalised coordinates) whole, with a margin
 * of @margin pixels on every side (2D), or its bounding sphere (3D).
 */
void     es_viewport_fit            (EsViewport       *self,
                                     const double      min[3],
                                     const double      max[3],
                                     double            margin);
/* Zoom by @factor (> 1 zooms in) keeping the world point under the surface
 * point (px, py) where it is (2D); moves the camera closer in 3D.
 */
void     es_viewport_zoom_at        (EsViewport       *self,
                                     double            factor,
                                     double            px,
                                     double            py);
/* Drag by (dx, dy) pixels: pans in 2D (the content follows the pointer),
 * moves the target in the view plane in 3D.
 */
void     es_viewport_pan            (EsViewport       *self,
                                     double            dx,
                                     double            dy);
/* Turntable orbit: (dx, dy) pixels to azimuth / elevation. */
void     es_viewport_orbit          (EsViewport       *self,
                                     double            dx,
                                     double            dy);
void     es_viewport_set_angles     (EsViewport       *self,
                                     double            azimuth,
                                     double            elevation);
/* Zoom level relative to the last fit: 1 right after fitting. */
double   es_viewport_get_zoom       (const EsViewport *self);
gboolean es_viewport_equal          (const EsViewport *a,
                                     const EsViewport *b);

void     es_viewport_get_transform  (const EsViewport *self,
                                     EsViewTransform  *out);
/* Surface position of a normalised point; FALSE when it is behind the
 * camera (3D).  @depth (nullable) is the distance along the view direction
 * (3D) or 0 (2D).
 */
gboolean es_view_transform_project  (const EsViewTransform *t,
                                     double            x,
                                     double            y,
                                     double            z,
                                     double           *sx,
                                     double           *sy,
                                     double           *depth);
gboolean es_viewport_project        (const EsViewport *self,
                                     double            x,
                                     double            y,
                                     double            z,
                                     double           *sx,
                                     double           *sy,
                                     double           *depth);
/* 2D only: the world point under the surface point (sx, sy). */
void     es_viewport_unproject      (const EsViewport *self,
                                     double            sx,
                                     double            sy,
                                     double           *x,
                                     double           *y);

G_END_DECLS
