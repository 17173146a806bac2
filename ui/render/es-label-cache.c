/* es-label-cache.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-label-cache"

#include "config.h"

#include "es-label-cache-private.h"

#include <math.h>
#include <string.h>

/* A frame shows at most ~1,200 labels of ~4 KiB each: the budget holds
 * several frames' worth, and is simply emptied when it overflows.
 */
#define MAX_BYTES (24 * 1024 * 1024)
#define MAX_SETS  16

/* One look: everything but the string that decides the pixels. */
typedef struct
{
  cairo_font_face_t *face;
  cairo_matrix_t     matrix;
  unsigned long      options_hash;
  double             color[4];
  double             halo[4];
  double             halo_width;
} StyleKey;

typedef struct
{
  StyleKey    key;
  GHashTable *entries;   /* text -> Entry */
} StyleSet;

typedef struct
{
  cairo_surface_t *image;   /* NULL when the text has no ink */
  int              x0;      /* the image's top-left, from the baseline origin */
  int              y0;
} Entry;

struct _EsLabelCache
{
  GPtrArray *sets;          /* most recently added last */
  gsize      bytes;
  guint      n_entries;
  guint64    hits;
};

static void
entry_free (gpointer p)
{
  Entry *e = p;

  g_clear_pointer (&e->image, cairo_surface_destroy);
  g_free (e);
}

static void
style_set_free (gpointer p)
{
  StyleSet *set = p;

  cairo_font_face_destroy (set->key.face);
  g_hash_table_unref (set->entries);
  g_free (set);
}

EsLabelCache *
es_label_cache_new (void)
{
  EsLabelCache *self = g_new0 (EsLabelCache, 1);

  self->sets = g_ptr_array_new_with_free_func (style_set_free);

  return self;
}

void
es_label_cache_free (EsLabelCache *self)
{
  if (self == NULL)
    return;

  g_ptr_array_unref (self->sets);
  g_free (self);
}

gboolean
es_label_cache_usable (cairo_t *cr)
{
  cairo_matrix_t m;

  g_return_val_if_fail (cr != NULL, FALSE);

  if (cairo_surface_get_type (cairo_get_target (cr)) != CAIRO_SURFACE_TYPE_IMAGE)
    return FALSE;
  cairo_get_matrix (cr, &m);

  return m.xx == 1 && m.yy == 1 && m.xy == 0 && m.yx == 0 &&
         m.x0 == floor (m.x0) && m.y0 == floor (m.y0);
}

/* Eight copies of the text around (x, y), then the text. */
static void
show_with_offsets (cairo_t      *cr,
                   double        x,
                   double        y,
                   const char   *text,
                   const double  color[4],
                   const double  halo_color[4],
                   double        diagonal,
                   double        axis)
{
  const double off[8][2] = {
    { -diagonal, -diagonal }, { diagonal, -diagonal },
    { -diagonal, diagonal }, { diagonal, diagonal },
    { -axis, 0 }, { axis, 0 }, { 0, -axis }, { 0, axis },
  };

  cairo_new_path (cr);
  cairo_set_source_rgba (cr, halo_color[0], halo_color[1], halo_color[2], halo_color[3]);
  for (guint i = 0; i < G_N_ELEMENTS (off); i++)
    {
      cairo_move_to (cr, x + off[i][0], y + off[i][1]);
      cairo_show_text (cr, text);
    }
  cairo_move_to (cr, x, y);
  cairo_set_source_rgba (cr, color[0], color[1], color[2], color[3]);
  cairo_show_text (cr, text);
  cairo_new_path (cr);
}

void
es_label_cache_show_uncached (cairo_t      *cr,
                              double        x,
                              double        y,
                              const char   *text,
                              const double  color[4],
                              const double  halo_color[4],
                              double        halo_width)
{
  /* The text itself, shifted around: a glyph-cache hit each, where an
   * outline stroke costs ~80 us per label.  Glyphs land on whole pixels,
   * so how wide the halo comes out depends on where (x, y) falls.
   */
  show_with_offsets (cr, x, y, text, color, halo_color, halo_width, 1.4 * halo_width);
}

static void
style_key_init (StyleKey     *key,
                cairo_t      *cr,
                const double  color[4],
                const double  halo_color[4],
                double        halo_width)
{
  cairo_font_options_t *options = cairo_font_options_create ();

  memset (key, 0, sizeof *key);
  key->face = cairo_get_font_face (cr);
  cairo_get_font_matrix (cr, &key->matrix);
  cairo_get_font_options (cr, options);
  key->options_hash = cairo_font_options_hash (options);
  cairo_font_options_destroy (options);
  memcpy (key->color, color, sizeof key->color);
  memcpy (key->halo, halo_color, sizeof key->halo);
  key->halo_width = halo_width;
}

static gboolean
style_key_equal (const StyleKey *a,
                 const StyleKey *b)
{
  return a->face == b->face && a->options_hash == b->options_hash &&
         a->halo_width == b->halo_width &&
         memcmp (&a->matrix, &b->matrix, sizeof a->matrix) == 0 &&
         memcmp (a->color, b->color, sizeof a->color) == 0 &&
         memcmp (a->halo, b->halo, sizeof a->halo) == 0;
}

static StyleSet *
lookup_set (EsLabelCache   *self,
            const StyleKey *key)
{
  StyleSet *set;

  for (guint i = self->sets->len; i > 0; i--)
    {
      set = g_ptr_array_index (self->sets, i - 1);
      if (style_key_equal (&set->key, key))
        return set;
    }

  if (self->sets->len >= MAX_SETS)
    {
      set = g_ptr_array_index (self->sets, 0);
      self->n_entries -= g_hash_table_size (set->entries);
      g_ptr_array_remove_index (self->sets, 0);
    }
  set = g_new0 (StyleSet, 1);
  set->key = *key;
  /* The face pointer is part of the key: hold it so it cannot be reused. */
  cairo_font_face_reference (set->key.face);
  set->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, entry_free);
  g_ptr_array_add (self->sets, set);

  return set;
}

static void
clear_entries (EsLabelCache *self)
{
  for (guint i = 0; i < self->sets->len; i++)
    g_hash_table_remove_all (((StyleSet *) g_ptr_array_index (self->sets, i))->entries);
  self->bytes = 0;
  self->n_entries = 0;
}

/* Renders the label at a whole-pixel origin into an image just big
 * enough for its ink and halo.
 */
static Entry *
render_entry (cairo_t        *cr,
              const StyleKey *key,
              const char     *text)
{
  Entry *e = g_new0 (Entry, 1);
  cairo_text_extents_t ext;
  cairo_font_options_t *options;
  double m = ceil (1.4 * key->halo_width);
  int x1, y1;
  cairo_t *icr;

  cairo_text_extents (cr, text, &ext);
  if (ext.width <= 0 || ext.height <= 0)
    return e;

  e->x0 = (int) floor (ext.x_bearing - m) - 1;
  e->y0 = (int) floor (ext.y_bearing - m) - 1;
  x1 = (int) ceil (ext.x_bearing + ext.width + m) + 1;
  y1 = (int) ceil (ext.y_bearing + ext.height + m) + 1;
  e->image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, x1 - e->x0, y1 - e->y0);

  icr = cairo_create (e->image);
  options = cairo_font_options_create ();
  cairo_get_font_options (cr, options);
  cairo_set_font_options (icr, options);
  cairo_font_options_destroy (options);
  cairo_set_font_face (icr, key->face);
  cairo_set_font_matrix (icr, &key->matrix);
  /* At a whole-pixel origin the offsets are whole pixels too: one
   * diagonally, and the 1.4 along the axes rounded up, so the halo is
   * never thinner than the uncached one at its thinnest.
   */
  show_with_offsets (icr, -e->x0, -e->y0, text, key->color, key->halo,
                     floor (key->halo_width + 0.5), ceil (1.4 * key->halo_width));
  cairo_destroy (icr);
  cairo_surface_flush (e->image);

  return e;
}

void
es_label_cache_show (EsLabelCache *self,
                     cairo_t      *cr,
                     double        x,
                     double        y,
                     const char   *text,
                     const double  color[4],
                     const double  halo_color[4],
                     double        halo_width)
{
  StyleKey key;
  StyleSet *set;
  Entry *e;

  g_return_if_fail (self != NULL);
  g_return_if_fail (cr != NULL);
  g_return_if_fail (text != NULL);

  style_key_init (&key, cr, color, halo_color, halo_width);
  set = lookup_set (self, &key);
  e = g_hash_table_lookup (set->entries, text);
  if (e == NULL)
    {
      if (self->bytes > MAX_BYTES)
        clear_entries (self);
      e = render_entry (cr, &set->key, text);
      if (e->image != NULL)
        self->bytes += (gsize) cairo_image_surface_get_stride (e->image) *
                       cairo_image_surface_get_height (e->image);
      g_hash_table_insert (set->entries, g_strdup (text), e);
      self->n_entries++;
    }
  else
    self->hits++;

  cairo_new_path (cr);
  if (e->image == NULL)
    return;
  /* Glyph origins land on whole pixels (Cairo rounds them likewise). */
  cairo_set_source_surface (cr, e->image, floor (x + 0.5) + e->x0, floor (y + 0.5) + e->y0);
  cairo_paint (cr);
}

guint
es_label_cache_get_n_entries (EsLabelCache *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_entries;
}

guint64
es_label_cache_get_n_hits (EsLabelCache *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->hits;
}
