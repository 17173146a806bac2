/* es-viewport.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-viewport"

#include "config.h"

#include "es-viewport.h"

#include <math.h>
#include <string.h>

#define DEG (G_PI / 180.0)
#define MIN_SCALE 1e-6
#define MAX_SCALE 1e9

void
es_viewport_init (EsViewport *self,
                  int         width,
                  int         height,
                  gboolean    three_d)
{
  g_return_if_fail (self != NULL);

  memset (self, 0, sizeof *self);
  self->width = MAX (width, 1);
  self->height = MAX (height, 1);
  self->three_d = three_d;
  self->center_x = 0.5;
  self->center_y = 0.5;
  self->scale = MIN (self->width, self->height);
  self->fit_scale = self->scale;
  self->target[0] = self->target[1] = self->target[2] = 0.5;
  self->azimuth = 30;
  self->elevation = 20;
  self->fov_deg = 40;
  self->distance = 0.5 * sqrt (3.0) / sin (self->fov_deg * DEG / 2);
  self->fit_distance = self->distance;
}

void
es_viewport_set_size (EsViewport *self,
                      int         width,
                      int         height)
{
  g_return_if_fail (self != NULL);

  self->width = MAX (width, 1);
  self->height = MAX (height, 1);
}

void
es_viewport_fit (EsViewport   *self,
                 const double  min[3],
                 const double  max[3],
                 double        margin)
{
  double w, h;

  g_return_if_fail (self != NULL);

  if (!self->three_d)
    {
      double bw = max[0] - min[0];
      double bh = max[1] - min[1];

      w = MAX (self->width - 2 * margin, 1);
      h = MAX (self->height - 2 * margin, 1);
      self->center_x = (min[0] + max[0]) / 2;
      self->center_y = (min[1] + max[1]) / 2;
      if (bw <= 0 && bh <= 0)
        self->scale = MIN (w, h);
      else if (bw <= 0)
        self->scale = h / bh;
      else if (bh <= 0)
        self->scale = w / bw;
      else
        self->scale = MIN (w / bw, h / bh);
      self->scale = CLAMP (self->scale, MIN_SCALE, MAX_SCALE);
      self->fit_scale = self->scale;
    }
  else
    {
      double r2 = 0;
      double half = MIN (self->width, self->height) / 2.0;
      double inset = half > margin ? half / (half - margin) : 1.0;
      double radius;

      for (guint a = 0; a < 3; a++)
        {
          self->target[a] = (min[a] + max[a]) / 2;
          r2 += (max[a] - min[a]) * (max[a] - min[a]) / 4;
        }
      radius = MAX (sqrt (r2), 1e-6) * inset;
      /* The distance at which the bounding sphere just fills the view. */
      self->distance = radius / sin (self->fov_deg * DEG / 2);
      self->fit_distance = self->distance;
    }
}

void
es_viewport_zoom_at (EsViewport *self,
                     double      factor,
                     double      px,
                     double      py)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (factor > 0);

  if (!self->three_d)
    {
      double wx, wy;
      double new_scale = CLAMP (self->scale * factor, MIN_SCALE, MAX_SCALE);

      es_viewport_unproject (self, px, py, &wx, &wy);
      self->scale = new_scale;
      /* Solve for the centre that puts (wx, wy) back under (px, py). */
      self->center_x = wx - (px - self->width / 2.0) / new_scale;
      self->center_y = wy + (py - self->height / 2.0) / new_scale;
    }
  else
    {
      double near = self->fit_distance * 0.02;

      self->distance = MAX (self->distance / factor, near);
    }
}

void
es_viewport_pan (EsViewport *self,
                 double      dx,
                 double      dy)
{
  g_return_if_fail (self != NULL);

  if (!self->three_d)
    {
      self->center_x -= dx / self->scale;
      self->center_y += dy / self->scale;
    }
  else
    {
      EsViewTransform t;
      double per_pixel;

      es_viewport_get_transform (self, &t);
      /* World units per pixel at the depth of the target. */
      per_pixel = self->distance / t.focal;
      for (guint a = 0; a < 3; a++)
        self->target[a] += (-dx * t.right[a] + dy * t.up[a]) * per_pixel;
    }
}

void
es_viewport_orbit (EsViewport *self,
                   double      dx,
                   double      dy)
{
  g_return_if_fail (self != NULL);

  /* Half a degree per pixel: a full turn in a 720 px drag. */
  es_viewport_set_angles (self, self->azimuth - dx * 0.5, self->elevation + dy * 0.5);
}

void
es_viewport_set_angles (EsViewport *self,
                        double      azimuth,
                        double      elevation)
{
  g_return_if_fail (self != NULL);

  /* A non-finite angle (a drag of NaN pixels, a bad option) keeps the
   * current one: the camera never becomes NaN.
   */
  if (isfinite (azimuth))
    {
      self->azimuth = fmod (azimuth, 360.0);
      if (self->azimuth < 0)
        self->azimuth += 360.0;
    }
  /* Stop short of the poles, where "up" would be undefined. */
  if (!isnan (elevation))
    self->elevation = CLAMP (elevation, -89.0, 89.0);
}

double
es_viewport_get_zoom (const EsViewport *self)
{
  if (self->three_d)
    return self->fit_distance / self->distance;

  return self->scale / self->fit_scale;
}

gboolean
es_viewport_equal (const EsViewport *a,
                   const EsViewport *b)
{
  /* Field by field: padding bytes of copies are unspecified. */
  return a->width == b->width && a->height == b->height &&
         !!a->three_d == !!b->three_d &&
         a->center_x == b->center_x && a->center_y == b->center_y &&
         a->scale == b->scale && a->fit_scale == b->fit_scale &&
         memcmp (a->target, b->target, sizeof a->target) == 0 &&
         a->azimuth == b->azimuth && a->elevation == b->elevation &&
         a->distance == b->distance && a->fit_distance == b->fit_distance &&
         a->fov_deg == b->fov_deg;
}

static void
normalize3 (double v[3])
{
  double n = sqrt (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);

  if (n > 0)
    {
      v[0] /= n;
      v[1] /= n;
      v[2] /= n;
    }
}

void
es_viewport_get_transform (const EsViewport *self,
                           EsViewTransform  *t)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (t != NULL);

  memset (t, 0, sizeof *t);
  t->three_d = self->three_d;
  t->half_w = self->width / 2.0;
  t->half_h = self->height / 2.0;

  if (!self->three_d)
    {
      t->ax = self->scale;
      t->bx = t->half_w - self->center_x * self->scale;
      t->ay = -self->scale;
      t->by = t->half_h + self->center_y * self->scale;
    }
  else
    {
      double az = self->azimuth * DEG;
      double el = self->elevation * DEG;
      double dir[3] = { cos (el) * sin (az), sin (el), cos (el) * cos (az) };

      for (guint a = 0; a < 3; a++)
        {
          t->eye[a] = self->target[a] + self->distance * dir[a];
          t->forward[a] = -dir[a];
        }
      /* right = forward x world-up (0, 1, 0); up = right x forward */
      t->right[0] = -t->forward[2];
      t->right[1] = 0;
      t->right[2] = t->forward[0];
      normalize3 (t->right);
      t->up[0] = t->right[1] * t->forward[2] - t->right[2] * t->forward[1];
      t->up[1] = t->right[2] * t->forward[0] - t->right[0] * t->forward[2];
      t->up[2] = t->right[0] * t->forward[1] - t->right[1] * t->forward[0];
      normalize3 (t->up);
      t->focal = (MIN (self->width, self->height) / 2.0) / tan (self->fov_deg * DEG / 2);
      t->near = self->distance * 1e-3;
    }
}

gboolean
es_view_transform_project (const EsViewTransform *t,
                           double                 x,
                           double                 y,
                           double                 z,
                           double                *sx,
                           double                *sy,
                           double                *depth)
{
  double v[3], cx, cy, cz;

  if (!t->three_d)
    {
      *sx = t->ax * x + t->bx;
      *sy = t->ay * y + t->by;
      if (depth != NULL)
        *depth = 0;
      return isfinite (*sx) && isfinite (*sy);
    }

  v[0] = x - t->eye[0];
  v[1] = y - t->eye[1];
  v[2] = z - t->eye[2];
  cx = v[0] * t->right[0] + v[1] * t->right[1] + v[2] * t->right[2];
  cy = v[0] * t->up[0] + v[1] * t->up[1] + v[2] * t->up[2];
  cz = v[0] * t->forward[0] + v[1] * t->forward[1] + v[2] * t->forward[2];
  if (depth != NULL)
    *depth = cz;
  if (!(cz > t->near))
    {
      *sx = *sy = NAN;
      return FALSE;
    }
  *sx = t->half_w + t->focal * cx / cz;
  *sy = t->half_h - t->focal * cy / cz;
  /* Whatever produced them (a NaN camera, huge values): a non-finite
   * screen point would become INT_MIN where it is made an index.
   */
  return isfinite (*sx) && isfinite (*sy);
}

gboolean
es_viewport_project (const EsViewport *self,
                     double            x,
                     double            y,
                     double            z,
                     double           *sx,
                     double           *sy,
                     double           *depth)
{
  EsViewTransform t;

  es_viewport_get_transform (self, &t);
  return es_view_transform_project (&t, x, y, z, sx, sy, depth);
}

void
es_viewport_unproject (const EsViewport *self,
                       double            sx,
                       double            sy,
                       double           *x,
                       double           *y)
{
  *x = self->center_x + (sx - self->width / 2.0) / self->scale;
  *y = self->center_y - (sy - self->height / 2.0) / self->scale;
}
