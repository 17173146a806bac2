/* es-contour.c: marching squares, with the segments joined into paths
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-contour"

#include "config.h"

#include "es-contour-private.h"

#include <math.h>
#include <string.h>

/* Cell edges by number: 0 bottom (y = j), 1 right (x = i + 1), 2 top
 * (y = j + 1), 3 left (x = i).  Per corner mask (bit 0 = (i, j),
 * 1 = (i + 1, j), 2 = (i + 1, j + 1), 3 = (i, j + 1)) the pairs of edges
 * its one or two segments join; the saddles 5 and 10 have a second
 * table, used when the cell's mean is inside.
 */
static const gint8 segments[16][4] = {
  { -1, -1, -1, -1 }, { 3, 0, -1, -1 }, { 0, 1, -1, -1 }, { 3, 1, -1, -1 },
  { 1, 2, -1, -1 },   { 3, 0, 1, 2 },   { 0, 2, -1, -1 }, { 2, 3, -1, -1 },
  { 2, 3, -1, -1 },   { 0, 2, -1, -1 }, { 0, 1, 2, 3 },   { 1, 2, -1, -1 },
  { 1, 3, -1, -1 },   { 0, 1, -1, -1 }, { 3, 0, -1, -1 }, { -1, -1, -1, -1 },
};
static const gint8 saddle_inside[16][4] = {
  [5] = { 0, 1, 2, 3 },
  [10] = { 3, 0, 1, 2 },
};

void
_es_contour_set_init (EsContourSet *self)
{
  memset (self, 0, sizeof *self);
  self->xy = g_array_new (FALSE, FALSE, sizeof (float));
  self->paths = g_array_new (FALSE, FALSE, sizeof (EsContourPath));
}

void
_es_contour_set_clear (EsContourSet *self)
{
  g_clear_pointer (&self->xy, g_array_unref);
  g_clear_pointer (&self->paths, g_array_unref);
  g_clear_pointer (&self->links, g_free);
  g_clear_pointer (&self->seen, g_free);
  self->links_len = self->seen_len = 0;
}

void
_es_contour_set_reset (EsContourSet *self)
{
  g_array_set_size (self->xy, 0);
  g_array_set_size (self->paths, 0);
}

/* The global number of edge @e of cell (i, j): horizontal edges first
 * ((nx - 1) per row, ny rows), then vertical ones (nx per row).
 */
static inline int
edge_id (int e,
         int i,
         int j,
         int nx,
         int n_horizontal)
{
  switch (e)
    {
    case 0: return j * (nx - 1) + i;
    case 1: return n_horizontal + j * nx + i + 1;
    case 2: return (j + 1) * (nx - 1) + i;
    default: return n_horizontal + j * nx + i;
    }
}

static inline void
link_edges (int *links,
            int  a,
            int  b)
{
  /* An edge borders two cells and each puts one segment through it. */
  links[2 * a + (links[2 * a] >= 0)] = b;
  links[2 * b + (links[2 * b] >= 0)] = a;
}

/* Where the isoline crosses edge @id, by linear interpolation. */
static void
edge_point (const float *f,
            int          nx,
            int          n_horizontal,
            int          id,
            double       level,
            float       *x,
            float       *y)
{
  int i, j, at0, at1;
  double t;

  if (id < n_horizontal)
    {
      j = id / (nx - 1);
      i = id % (nx - 1);
      at0 = j * nx + i;
      at1 = at0 + 1;
    }
  else
    {
      j = (id - n_horizontal) / nx;
      i = (id - n_horizontal) % nx;
      at0 = j * nx + i;
      at1 = at0 + nx;
    }
  t = (level - f[at0]) / ((double) f[at1] - f[at0]);
  t = CLAMP (t, 0.0, 1.0);
  *x = (float) (id < n_horizontal ? i + t : i);
  *y = (float) (id < n_horizontal ? j : j + t);
}

static void
walk (EsContourSet *self,
      const float  *f,
      int           nx,
      int           n_horizontal,
      double        level,
      int           start)
{
  EsContourPath path = { self->xy->len / 2, 0, FALSE };
  int prev = -1, cur = start;

  while (cur >= 0 && !self->seen[cur])
    {
      float p[2];
      int next;

      self->seen[cur] = 1;
      edge_point (f, nx, n_horizontal, cur, level, &p[0], &p[1]);
      g_array_append_vals (self->xy, p, 2);
      path.n++;
      next = self->links[2 * cur] != prev ? self->links[2 * cur] : self->links[2 * cur + 1];
      prev = cur;
      cur = next;
    }
  path.closed = cur == start && path.n > 2;
  if (path.n >= 2)
    g_array_append_val (self->paths, path);
  else
    g_array_set_size (self->xy, path.start * 2);
}

void
_es_contour_trace (EsContourSet *self,
                   const float  *f,
                   int           nx,
                   int           ny,
                   double        level)
{
  int n_horizontal, n_edges;
  gboolean any = FALSE;

  g_return_if_fail (self != NULL && f != NULL);

  if (nx < 2 || ny < 2 || !isfinite (level))
    return;
  n_horizontal = (nx - 1) * ny;
  n_edges = n_horizontal + nx * (ny - 1);
  if (self->links_len < (gsize) n_edges)
    {
      g_free (self->links);
      g_free (self->seen);
      self->links = g_new (int, 2 * (gsize) n_edges);
      self->seen = g_new (guint8, n_edges);
      self->links_len = self->seen_len = n_edges;
    }
  memset (self->links, 0xff, 2 * (gsize) n_edges * sizeof (int));

  for (int j = 0; j < ny - 1; j++)
    {
      const float *r0 = f + (gsize) j * nx, *r1 = r0 + nx;

      for (int i = 0; i < nx - 1; i++)
        {
          int mask = (r0[i] >= level) | (r0[i + 1] >= level) << 1 |
                     (r1[i + 1] >= level) << 2 | (r1[i] >= level) << 3;
          const gint8 *s;

          if (mask == 0 || mask == 15)
            continue;
          s = segments[mask];
          if ((mask == 5 || mask == 10) &&
              ((double) r0[i] + r0[i + 1] + r1[i] + r1[i + 1]) / 4 >= level)
            s = saddle_inside[mask];
          for (int k = 0; k < 4 && s[k] >= 0; k += 2)
            link_edges (self->links, edge_id (s[k], i, j, nx, n_horizontal),
                        edge_id (s[k + 1], i, j, nx, n_horizontal));
          any = TRUE;
        }
    }
  if (!any)
    return;

  memset (self->seen, 0, n_edges);
  /* Open paths start at an end (an edge with one neighbour), then what
   * is left are loops.
   */
  for (int e = 0; e < n_edges; e++)
    if (!self->seen[e] && self->links[2 * e] >= 0 && self->links[2 * e + 1] < 0)
      walk (self, f, nx, n_horizontal, level, e);
  for (int e = 0; e < n_edges; e++)
    if (!self->seen[e] && self->links[2 * e] >= 0)
      walk (self, f, nx, n_horizontal, level, e);
}
