/* es-cli-save-session.c: the session a render writes (--save-session S)
 *
 * What `render` (PCA and the others), `--method tsne` and `--method umap`
 * draw, as a session the window opens; `render --session` reads it back
 * (es-cli-session.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-cli"

#include "config.h"

#include "es-cli-private.h"

EsSession *
_es_cli_session_new (const char          *input,
                     const EsLoadOptions *load_options,
                     EsEmbeddingSet      *set,
                     const char          *highlight,
                     gboolean             three_d,
                     double               azimuth,
                     double               elevation)
{
  EsSession *session = es_session_new ();
  gsize row;

  session->data_path = g_canonicalize_filename (input, NULL);
  if (load_options->metadata_path != NULL)
    session->metadata_path = g_canonicalize_filename (load_options->metadata_path, NULL);
  session->limit = load_options->limit;
  session->three_d = three_d;
  session->azimuth = azimuth;
  session->elevation = elevation;
  /* The map itself: its levels and bandwidth are the window's defaults. */
  session->show_density = _es_cli_density_shown ();
  if (highlight != NULL && (es_embedding_set_lookup (set, highlight, &row) ||
                            es_embedding_set_lookup_ignore_case (set, highlight, &row)))
    session->focus = g_strdup (es_embedding_set_get_word (set, row));
  return session;
}

void
_es_cli_session_set_projection (EsSession                 *session,
                                const EsProjectionOptions *options,
                                guint                      cx,
                                guint                      cy,
                                gint                       cz)
{
  session->method = options->method;
  session->center = options->center;
  session->normalize = options->normalize;
  session->orthogonalize = options->orthogonalize;
  g_strfreev (session->axes);
  session->axes = options->axes != NULL ? g_strdupv ((char **) options->axes) : NULL;
  session->components[0] = cx;
  session->components[1] = cy;
  session->components[2] = cz >= 0 ? (guint) cz : 2;
  /* Identity plots the chosen columns as components 0, 1, 2. */
  if (options->method == ES_METHOD_IDENTITY)
    for (guint a = 0; a < MIN (options->n_columns, 3u); a++)
      session->components[a] = options->columns[a];
}
