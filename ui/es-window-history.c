/* es-window-history.c: what the window shows, as a step of history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The document keeps back/forward (ui/model/es-document.c); this file
 * says what of the window goes into a step — the method, 2D/3D, the
 * isolated words and the filters — and puts it back when the user goes
 * back or forward.  Applying a step records the same state again, which
 * the document ignores (no new step).
 */

#define G_LOG_DOMAIN "es-window"

#include "config.h"

#include "es-window-private.h"

/* The state of the window now; @view is the view shown (or requested). */
static GVariant *
view_state (EsWindow       *self,
            EsEmbeddingSet *view)
{
  EsEmbeddingSet *set = es_document_get_set (self->document);
  GVariantBuilder builder;
  GVariantBuilder words;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "method",
                         g_variant_new_string (self->method != NULL ? self->method : "pca"));
  g_variant_builder_add (&builder, "{sv}", "three-d", g_variant_new_boolean (self->three_d));
  g_variant_builder_init (&words, G_VARIANT_TYPE_STRING_ARRAY);
  if (view != NULL && set != NULL && view != set)
    for (gsize r = 0; r < es_embedding_set_get_rows (view); r++)
      g_variant_builder_add (&words, "s", es_embedding_set_get_word (view, r));
  g_variant_builder_add (&builder, "{sv}", "isolate", g_variant_builder_end (&words));
  g_variant_builder_add (&builder, "{sv}", "filter",
                         g_variant_new_string (self->filter_text != NULL ? self->filter_text : ""));
  g_variant_builder_add (&builder, "{sv}", "regex", g_variant_new_boolean (self->filter_regex));
  g_variant_builder_add (&builder, "{sv}", "top-n", g_variant_new_uint32 (self->top_n));

  return g_variant_builder_end (&builder);
}

void
_es_window_record_view (EsWindow *self)
{
  /* While a reprojection runs, the document still holds the old view: the
   * step is recorded when the new one lands (_es_window_apply_projection).
   */
  if (self->applying_view > 0 || self->document == NULL || self->project_job != NULL)
    return;
  es_document_set_view_state (self->document,
                              view_state (self, es_document_get_view_set (self->document)));
}

/* Back or forward reached a step with another view: show it. */
void
_es_window_apply_view_state (EsWindow *self)
{
  GVariant *state = es_document_get_view_state (self->document);
  EsEmbeddingSet *set = es_document_get_set (self->document);
  const char *method = "pca", *filter = "";
  gboolean three_d = FALSE, regex = FALSE;
  guint32 top_n = 0;
  g_autoptr(GVariant) isolate = NULL;
  EsEmbeddingSet *current = es_document_get_view_set (self->document);

  if (state == NULL || set == NULL)
    return;
  g_variant_lookup (state, "method", "&s", &method);
  g_variant_lookup (state, "three-d", "b", &three_d);
  g_variant_lookup (state, "filter", "&s", &filter);
  g_variant_lookup (state, "regex", "b", &regex);
  g_variant_lookup (state, "top-n", "u", &top_n);
  isolate = g_variant_lookup_value (state, "isolate", G_VARIANT_TYPE_STRING_ARRAY);

  self->applying_view++;
  g_object_set (self, "filter-text", filter, "filter-regex", regex, "top-n", (guint) top_n,
                "three-d", three_d, "method", method, NULL);
  if (isolate != NULL && g_variant_n_children (isolate) > 0)
    {
      gsize n = 0;
      g_autofree const char **words = g_variant_get_strv (isolate, &n);
      g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (gsize));
      gboolean same = current != NULL && current != set && es_embedding_set_get_rows (current) == n;

      for (gsize i = 0; i < n; i++)
        {
          gsize row;

          same = same && g_strcmp0 (es_embedding_set_get_word (current, i), words[i]) == 0;
          if (es_embedding_set_lookup (set, words[i], &row))
            g_array_append_val (rows, row);
        }
      /* Words another file lacks are dropped; too few left shows all. */
      if (!same && rows->len >= 3)
        {
          g_autoptr(EsEmbeddingSet) subset = es_embedding_set_subset (set, (const gsize *) (gpointer) rows->data,
                                                                       rows->len);

          if (subset != NULL)
            _es_window_reproject (self, subset);
        }
      else if (!same)
        _es_window_reproject (self, set);
    }
  else if (current != NULL && current != set)
    _es_window_reproject (self, set);
  self->applying_view--;
}
