/* test-plot-labels.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The label image cache against Cairo drawing the text itself, and the
 * label candidates by rank near the view against a scan of every row.
 */

#include "config.h"

#include "render-test-util.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "es-label-cache-private.h"
#include "es-png-writer.h"
#include "es-rank-grid-private.h"
#include "es-point-index.h"
#include "es-scatter-data.h"
#include "es-scatter-renderer.h"
#include "es-splat-2d-private.h"
#include "es-viewport.h"

/* ---- label image cache ------------------------------------------------------------ */

static cairo_surface_t *
white_surface (int w,
               int h)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cairo_t *cr = cairo_create (s);

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_destroy (cr);

  return s;
}

/* Draws @text at (x, y) through @cache, or with Cairo when @cache is NULL. */
static cairo_surface_t *
label_image (EsLabelCache *cache,
             const char   *text,
             double        size,
             gboolean      bold,
             const double  color[4],
             double        x,
             double        y)
{
  static const double halo[4] = { 1, 1, 1, 0.85 };
  cairo_surface_t *s = white_surface (160, 40);
  cairo_t *cr = cairo_create (s);

  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL,
                          bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, size);
  if (cache != NULL)
    {
      g_assert_true (es_label_cache_usable (cr));
      es_label_cache_show (cache, cr, x, y, text, color, halo, 1);
    }
  else
    {
      cairo_move_to (cr, x, y);
      cairo_set_source_rgba (cr, color[0], color[1], color[2], color[3]);
      cairo_show_text (cr, text);
    }
  cairo_destroy (cr);
  cairo_surface_flush (s);

  return s;
}

static guint
count_ink (cairo_surface_t *s)
{
  guint n = 0;

  for (int y = 0; y < cairo_image_surface_get_height (s); y++)
    for (int x = 0; x < cairo_image_surface_get_width (s); x++)
      n += (render_test_pixel_at (s, x, y) & 0xff) < 128;

  return n;
}

static void
test_label_cache_like_cairo (void)
{
  static const double dark[4] = { 0.1, 0.1, 0.15, 1 };
  static const char *words[] = { "Hamlet", "gjpqy", "Ophelia's", "x", "W" };
  g_autoptr(EsLabelCache) cache = es_label_cache_new ();

  g_test_summary ("A cached label (its halo white on white, so invisible) has the pixels of Cairo "
                  "drawing the same text at the same whole-pixel origin, descenders and wide "
                  "glyphs included (no clipping)");

  for (guint w = 0; w < G_N_ELEMENTS (words); w++)
    for (guint pass = 0; pass < 2; pass++)
      {
        /* The second pass is served from the cache. */
        cairo_surface_t *a = label_image (cache, words[w], 14, FALSE, dark, 20, 25);
        cairo_surface_t *b = label_image (NULL, words[w], 14, FALSE, dark, 20, 25);
        int worst = render_test_block_diff (a, 0, 0, b, 0, 0, 160, 40);

        g_test_message ("%s: %u ink pixels, worst difference %d", words[w], count_ink (b), worst);
        g_assert_cmpuint (count_ink (b), >, 4);
        g_assert_cmpint (worst, <=, 2);
        cairo_surface_destroy (a);
        cairo_surface_destroy (b);
      }
  g_assert_cmpuint (es_label_cache_get_n_entries (cache), ==, G_N_ELEMENTS (words));
  g_assert_cmpuint (es_label_cache_get_n_hits (cache), ==, G_N_ELEMENTS (words));
}

static void
test_label_cache_keys (void)
{
  static const double dark[4] = { 0.1, 0.1, 0.15, 1 };
  static const double red[4] = { 0.9, 0.1, 0.1, 1 };
  g_autoptr(EsLabelCache) cache = es_label_cache_new ();
  cairo_surface_t *alpha, *again, *bravo, *reddish, *bigger, *bold, *moved;

  g_test_summary ("The label cache answers by text, colour, size and weight: changing any of them "
                  "changes the pixels, and only an identical request is a hit");

  alpha = label_image (cache, "alpha", 14, FALSE, dark, 20, 25);
  again = label_image (cache, "alpha", 14, FALSE, dark, 20, 25);
  g_assert_cmpuint (es_label_cache_get_n_hits (cache), ==, 1);
  g_assert_cmpint (render_test_block_diff (alpha, 0, 0, again, 0, 0, 160, 40), ==, 0);

  bravo = label_image (cache, "bravo", 14, FALSE, dark, 20, 25);
  reddish = label_image (cache, "alpha", 14, FALSE, red, 20, 25);
  bigger = label_image (cache, "alpha", 18, FALSE, dark, 20, 25);
  bold = label_image (cache, "alpha", 14, TRUE, dark, 20, 25);
  g_assert_cmpuint (es_label_cache_get_n_hits (cache), ==, 1);
  g_assert_cmpuint (es_label_cache_get_n_entries (cache), ==, 5);
  g_assert_cmpint (render_test_block_diff (alpha, 0, 0, bravo, 0, 0, 160, 40), >, 100);
  g_assert_cmpint (render_test_block_diff (alpha, 0, 0, reddish, 0, 0, 160, 40), >, 100);
  g_assert_cmpint (render_test_block_diff (alpha, 0, 0, bigger, 0, 0, 160, 40), >, 100);
  g_assert_cmpint (render_test_block_diff (alpha, 0, 0, bold, 0, 0, 160, 40), >, 50);

  /* A hit drawn elsewhere is the same picture, moved. */
  moved = label_image (cache, "alpha", 14, FALSE, dark, 27, 31);
  g_assert_cmpuint (es_label_cache_get_n_hits (cache), ==, 2);
  g_assert_cmpint (render_test_block_diff (alpha, 0, 0, moved, 7, 6, 150, 34), ==, 0);

  cairo_surface_destroy (alpha);
  cairo_surface_destroy (again);
  cairo_surface_destroy (bravo);
  cairo_surface_destroy (reddish);
  cairo_surface_destroy (bigger);
  cairo_surface_destroy (bold);
  cairo_surface_destroy (moved);
}

/* Points on a 6 x 5 lattice, labelled from @words. */
static EsScatterData *
lattice_data (const char * const *words)
{
  float xyz[30 * 3];

  for (guint i = 0; i < 30; i++)
    {
      xyz[3 * i] = (float) (i % 6);
      xyz[3 * i + 1] = (float) (i / 6);
      xyz[3 * i + 2] = 0;
    }

  return es_scatter_data_new_from_coords (xyz, 30, 3, 0, 1, -1, NULL, words);
}

static cairo_surface_t *
render_labels (EsScatterRenderer *renderer,
               EsScatterData     *data,
               gboolean           dark)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 480, 320);
  EsPlotStyle style;
  EsViewport vp;
  double lo[3], hi[3];

  es_plot_style_init (&style, dark);
  style.show_axes = FALSE;
  style.point_size = 3;
  es_viewport_init (&vp, 480, 320, FALSE);
  es_scatter_data_get_bounds (data, lo, hi);
  es_viewport_fit (&vp, lo, hi, 40);
  es_scatter_renderer_render_image (renderer, s, data, &vp, &style, NULL);
  cairo_surface_flush (s);

  return s;
}

static void
test_label_cache_in_renderer (void)
{
  const char *words_a[31], *words_b[31];
  g_autofree char *arena = g_malloc (30 * 2 * 16);
  g_autoptr(EsScatterData) a = NULL;
  g_autoptr(EsScatterData) b = NULL;
  g_autoptr(EsScatterRenderer) warm = es_scatter_renderer_new ();
  g_autoptr(EsScatterRenderer) fresh = es_scatter_renderer_new ();
  cairo_surface_t *img_a, *img_b_warm, *img_b_fresh, *img_b_dark, *img_b_dark_fresh;
  gsize n_labels;

  g_test_summary ("A renderer whose label cache is full of one data set's words draws another data "
                  "set (same points, other words) and another style exactly as a fresh renderer "
                  "does: a stale label would show as a pixel difference");

  for (guint i = 0; i < 30; i++)
    {
      words_a[i] = arena + 32 * i;
      words_b[i] = arena + 32 * i + 16;
      g_snprintf ((char *) words_a[i], 16, "word%u", i);
      g_snprintf ((char *) words_b[i], 16, i % 2 ? "word%u" : "other%u", i);
    }
  words_a[30] = words_b[30] = NULL;
  a = lattice_data (words_a);
  b = lattice_data (words_b);

  img_a = render_labels (warm, a, FALSE);
  es_scatter_renderer_get_labels (warm, &n_labels);
  g_assert_cmpuint (n_labels, >=, 20);
  img_b_warm = render_labels (warm, b, FALSE);
  img_b_fresh = render_labels (fresh, b, FALSE);
  g_assert_cmpint (render_test_block_diff (img_b_warm, 0, 0, img_b_fresh, 0, 0, 480, 320), ==, 0);
  /* ... and the words did change the picture. */
  g_assert_cmpint (render_test_block_diff (img_a, 0, 0, img_b_fresh, 0, 0, 480, 320), >, 100);

  img_b_dark = render_labels (warm, b, TRUE);
  g_clear_pointer (&fresh, es_scatter_renderer_free);
  fresh = es_scatter_renderer_new ();
  img_b_dark_fresh = render_labels (fresh, b, TRUE);
  g_assert_cmpint (render_test_block_diff (img_b_dark, 0, 0, img_b_dark_fresh, 0, 0, 480, 320), ==, 0);

  cairo_surface_destroy (img_a);
  cairo_surface_destroy (img_b_warm);
  cairo_surface_destroy (img_b_fresh);
  cairo_surface_destroy (img_b_dark);
  cairo_surface_destroy (img_b_dark_fresh);
}

/* ---- label candidates by rank near the view ---------------------------------------- */

static void
test_rank_grid_walk (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(EsScatterData) data = render_test_clustered_data (rand, 60000, 2);
  g_autoptr(EsRankGrid) grid = es_rank_grid_new (data);
  static const double rects[][4] = {
    { 0.45, 0.45, 0.5, 0.52 }, { 0.0, 0.0, 0.1, 0.1 }, { 0.3, 0.6, 0.31, 0.9 }, { -1, -1, -0.5, -0.5 },
  };

  g_test_summary ("The rank grid hands out every row inside a rectangle, in rank order, and few "
                  "others; it declines a rectangle holding most rows");

  g_assert_false (es_rank_grid_begin (grid, -1, -1, 2, 2, 0.25));
  for (guint k = 0; k < G_N_ELEMENTS (rects); k++)
    {
      const double *r = rects[k];
      gsize row, last = 0, walked = 0, inside = 0, found = 0;
      gboolean first = TRUE;

      g_assert_true (es_rank_grid_begin (grid, r[0], r[1], r[2], r[3], 0.25));
      for (gsize i = 0; i < es_scatter_data_get_n_points (data); i++)
        {
          double x, y;

          if (es_scatter_data_get_point (data, i, &x, &y, NULL) &&
              x >= r[0] && x <= r[2] && y >= r[1] && y <= r[3])
            inside++;
        }
      while (es_rank_grid_next (grid, &row))
        {
          double x, y;

          g_assert_true (first || row > last);
          first = FALSE;
          last = row;
          walked++;
          g_assert_true (es_scatter_data_get_point (data, row, &x, &y, NULL));
          found += x >= r[0] && x <= r[2] && y >= r[1] && y <= r[3];
        }
      g_test_message ("rect %u: %" G_GSIZE_FORMAT " inside, %" G_GSIZE_FORMAT " walked",
                      k, inside, walked);
      g_assert_cmpuint (found, ==, inside);
      g_assert_cmpuint (walked, <, 60000 / 4);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/render/rank-grid/walk", test_rank_grid_walk);
  g_test_add_func ("/render/label-cache/like-cairo", test_label_cache_like_cairo);
  g_test_add_func ("/render/label-cache/keys", test_label_cache_keys);
  g_test_add_func ("/render/label-cache/in-renderer", test_label_cache_in_renderer);

  return g_test_run ();
}
