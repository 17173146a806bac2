/* es-map-settings.h: the t-SNE and UMAP parameters, in a popover
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* What a map is computed with, beyond the method and 2D/3D. */
typedef struct
{
  double  perplexity;     /* t-SNE */
  guint   iterations;     /* t-SNE */
  guint   n_neighbors;    /* UMAP */
  double  min_dist;       /* UMAP */
  guint   epochs;         /* UMAP; 0: by size, as umap-learn */
  guint64 seed;           /* both */
} EsMapParams;

void  es_map_params_init (EsMapParams       *params);
/* A short text naming every parameter: for the document's layout cache
 * and the status bar.
 */
char *es_map_params_describe (const EsMapParams *params,
                              gboolean           tsne);

#define ES_TYPE_MAP_SETTINGS (es_map_settings_get_type ())

G_DECLARE_FINAL_TYPE (EsMapSettings, es_map_settings, ES, MAP_SETTINGS, GtkPopover)

GtkWidget *es_map_settings_new        (void);
/* Shows the rows of "tsne" or "umap". */
void       es_map_settings_set_method (EsMapSettings     *self,
                                       const char        *method);
void       es_map_settings_set_params (EsMapSettings     *self,
                                       const EsMapParams *params);
void       es_map_settings_get_params (EsMapSettings     *self,
                                       EsMapParams       *params);

G_END_DECLS
