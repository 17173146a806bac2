/* es-sprite.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-sprite"

#include "config.h"

#include "es-sprite-private.h"

#include <math.h>

EsSprite *
es_sprite_new (int quarter_px)
{
  EsSprite *s = g_new0 (EsSprite, 1);
  double r = quarter_px / 8.0;

  s->radius = (int) ceil (r + 0.5);
  s->size = 2 * s->radius + 1;
  /* Padded: the vector splat reads up to 3 bytes past a row. */
  s->coverage = g_new0 (guint8, ES_SPRITE_SUB * ES_SPRITE_SUB * s->size * s->size + 16);
  for (int fy = 0; fy < ES_SPRITE_SUB; fy++)
    for (int fx = 0; fx < ES_SPRITE_SUB; fx++)
      {
        guint8 *cov = s->coverage + (fy * ES_SPRITE_SUB + fx) * s->size * s->size;
        double cx = s->radius + (fx + 0.5) / ES_SPRITE_SUB;
        double cy = s->radius + (fy + 0.5) / ES_SPRITE_SUB;

        for (int j = 0; j < s->size; j++)
          for (int i = 0; i < s->size; i++)
            {
              double d = hypot (i + 0.5 - cx, j + 0.5 - cy);
              /* Area coverage of a disc edge, approximated by distance:
               * exact enough for 1-64 px markers and cheap to build.
               */
              double c = CLAMP (r + 0.5 - d, 0.0, 1.0);

              cov[j * s->size + i] = (guint8) (c * 255.0 + 0.5);
            }
      }

  /* Row spans: the corners of the square are empty, so skip them. */
  s->span = g_new0 (guint8, ES_SPRITE_SUB * ES_SPRITE_SUB * s->size * 2);
  for (int k = 0; k < ES_SPRITE_SUB * ES_SPRITE_SUB; k++)
    for (int j = 0; j < s->size; j++)
      {
        const guint8 *row = s->coverage + k * s->size * s->size + j * s->size;
        guint8 *span = s->span + (k * s->size + j) * 2;
        int first = s->size, last = 0;

        for (int i = 0; i < s->size; i++)
          if (row[i] != 0)
            {
              first = MIN (first, i);
              last = i + 1;
            }
        span[0] = (guint8) MIN (first, last);
        span[1] = (guint8) last;
      }
  return s;
}

void
es_sprite_free (EsSprite *self)
{
  if (self == NULL)
    return;

  g_free (self->coverage);
  g_free (self->span);
  g_free (self);
}
