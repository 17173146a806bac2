/* es-cli-session.c: `embedscope render --session S.embedscope` draws a
 * saved session headless (what `render FILE … --save-session S` writes
 * is made in es-cli-save-session.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-cli"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "es-cli-private.h"
#include "es-kmeans.h"
#include "es-scatter-data.h"
#include "es-umap.h"

gboolean
_es_cli_session_given (int    argc,
                       char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      if (g_strcmp0 (argv[i], "--") == 0)
        break;
      if (g_strcmp0 (argv[i], "--session") == 0 || g_str_has_prefix (argv[i], "--session="))
        return TRUE;
    }
  return FALSE;
}

/* Each shown row's k-means cluster of the whole file, by word. */
static gboolean
color_by_clusters (EsScatterData  *data,
                   EsEmbeddingSet *set,
                   EsEmbeddingSet *view,
                   guint           k,
                   GError        **error)
{
  g_autoptr(EsKmeans) clusters = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  gsize rows = es_embedding_set_get_rows (view);
  g_autofree guint *categories = g_new (guint, MAX (rows, 1));
  EsKmeansOptions options;
  const gint32 *assign;

  es_kmeans_options_init (&options);
  options.k = k;
  if (!(clusters = es_kmeans_compute (set, &options, NULL, NULL, NULL, error)))
    return FALSE;
  assign = es_kmeans_get_assignments (clusters);
  for (gsize r = 0; r < rows; r++)
    {
      gsize full = r;

      categories[r] = G_MAXUINT;
      if (view != set && !es_embedding_set_lookup (set, es_embedding_set_get_word (view, r), &full))
        continue;
      if (full < es_kmeans_get_rows (clusters) && assign[full] >= 0)
        categories[r] = (guint) assign[full];
    }
  for (guint c = 0; c < es_kmeans_get_k (clusters); c++)
    g_ptr_array_add (names, (gpointer) es_kmeans_get_name (clusters, c));
  es_scatter_data_set_categories (data, categories, (const char * const *) names->pdata,
                                  es_kmeans_get_k (clusters));
  return TRUE;
}

/* The projection the session names: its stored map, or computed again. */
static EsProjection *
session_projection (EsSession       *session,
                    EsEmbeddingSet  *view,
                    guint           *cx,
                    guint           *cy,
                    gint            *cz,
                    GError         **error)
{
  guint dims = session->three_d ? 3 : 2;
  EsProjectionOptions options;
  EsProjection *projection;

  *cx = session->components[0];
  *cy = session->components[1];
  *cz = session->three_d ? (gint) session->components[2] : -1;

  if (es_method_is_layout (session->method))
    {
      g_autoptr(EsMatrix) coords = NULL;

      *cx = 0, *cy = 1, *cz = session->three_d ? 2 : -1;
      if ((projection = es_session_stored_layout (session, view)) != NULL)
        return projection;
      if (session->method == ES_METHOD_TSNE)
        {
          EsTsneOptions tsne;

          es_tsne_options_init (&tsne);
          tsne.dims = dims;
          if (session->perplexity > 0)
            tsne.perplexity = session->perplexity;
          if (session->iterations > 0)
            tsne.n_iterations = session->iterations;
          tsne.seed = session->seed;
          coords = _es_cli_tsne_compute (view, session->data_path, &tsne, NULL, error);
        }
      else
        {
          EsUmapOptions umap;

          es_umap_options_init (&umap);
          umap.one_shot = TRUE;
          umap.dims = dims;
          if (session->n_neighbors > 0)
            umap.n_neighbors = session->n_neighbors;
          if (session->min_dist >= 0)
            umap.min_dist = session->min_dist;
          umap.n_epochs = session->epochs;
          umap.seed = session->seed;
          coords = es_umap_run (view, &umap, NULL, NULL, NULL, NULL, NULL, NULL, NULL, error);
        }
      if (coords == NULL)
        return NULL;
      return es_projection_new_layout (session->method, es_matrix_get_rows (coords),
                                       es_embedding_set_get_dims (view), dims,
                                       es_matrix_get_data (coords), error);
    }

  es_projection_options_init (&options);
  options.method = session->method;
  options.center = session->center;
  options.normalize = session->normalize;
  options.orthogonalize = session->orthogonalize;
  if (session->method == ES_METHOD_AXES)
    {
      if (session->axes == NULL || g_strv_length (session->axes) != dims)
        {
          g_set_error (error, ES_SESSION_ERROR, ES_SESSION_ERROR_INVALID,
                       "the session's custom axes need %u expressions", dims);
          return NULL;
        }
      options.axes = (const char * const *) session->axes;
      *cx = 0, *cy = 1, *cz = session->three_d ? 2 : -1;
    }
  else if (session->method == ES_METHOD_IDENTITY)
    {
      options.columns = session->components;
      options.n_columns = dims;
      *cx = 0, *cy = 1, *cz = session->three_d ? 2 : -1;
    }
  else
    /* As `render` asks: enough components for the ones plotted. */
    options.n_components = MAX (MAX (*cx, *cy), *cz >= 0 ? (guint) *cz : 0) + 1;

  return es_projection_compute (view, &options, NULL, NULL, NULL, error);
}

/* The plot data: the projection's columns, filtered rows masked, labels
 * and colours from the session's metadata columns.
 */
static EsScatterData *
session_data (EsSession       *session,
              EsEmbeddingSet  *set,
              EsEmbeddingSet  *view,
              EsProjection    *projection,
              guint            cx,
              guint            cy,
              gint             cz,
              GError         **error)
{
  g_autoptr(EsScatterData) titled = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  g_autofree float *coords = NULL;
  g_autofree guint8 *mask = es_session_filter_mask (session, view, view == set);
  EsMetadata *metadata = es_embedding_set_get_metadata (view);
  gsize rows = es_projection_get_rows (projection);
  guint n = es_projection_get_n_components (projection);
  int label_column = -1, color_column = -1;
  EsScatterData *data;

  if (!(titled = es_scatter_data_new_from_projection (view, projection, cx, cy, cz, error)))
    return NULL;
  coords = g_memdup2 (es_projection_get_coords (projection), rows * n * sizeof (float));
  for (gsize r = 0; r < rows; r++)
    if (!mask[r])
      for (guint c = 0; c < n; c++)
        coords[r * n + c] = NAN;

  if (metadata != NULL && session->label_column != NULL &&
      (label_column = es_metadata_find_column (metadata, session->label_column)) >= 0)
    {
      labels = g_ptr_array_sized_new ((guint) rows + 1);
      for (gsize r = 0; r < rows; r++)
        {
          const char *value = es_metadata_get_value (metadata, r, (guint) label_column);

          g_ptr_array_add (labels, (gpointer) (value != NULL ? value : ""));
        }
      g_ptr_array_add (labels, NULL);
    }
  data = es_scatter_data_new_from_coords (coords, rows, n, cx, cy, cz, view,
                                          labels != NULL ? (const char * const *) labels->pdata : NULL);
  for (guint a = 0; a < (cz >= 0 ? 3u : 2u); a++)
    es_scatter_data_set_axis_title (data, a, es_scatter_data_get_axis_title (titled, a));

  if (metadata != NULL && session->color_column != NULL &&
      (color_column = es_metadata_find_column (metadata, session->color_column)) >= 0)
    es_scatter_data_set_color_column (data, metadata, (guint) color_column);
  else if (g_strcmp0 (session->color_column, "cluster") == 0 && session->clusters >= 2 &&
           !color_by_clusters (data, set, view, session->clusters, error))
    {
      es_scatter_data_unref (data);
      return NULL;
    }
  return data;
}

static void
print_warnings (EsSession *session)
{
  for (guint i = 0; i < session->warnings->len; i++)
    fprintf (stderr, "embedscope: warning: %s\n", (const char *) g_ptr_array_index (session->warnings, i));
}

/* Exit 1 naming the session (the message names file, line and column). */
static int
session_error (const char   *path,
               const GError *error)
{
  return _es_cli_input_error (path, error);
}

int
_es_cli_render_session (int    argc,
                        char **argv)
{
  const EsCliCommand *command = _es_cli_find_command ("render");
  EsCliCommon common = { 0 };
  g_autofree char *session_path = NULL;
  g_autofree char *output = NULL;
  gint width = 1600, height = 1000;
  const GOptionEntry entries[] = {
    { "session", 0, 0, G_OPTION_ARG_FILENAME, &session_path, "The session to draw (.embedscope)", "S" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "PNG, SVG or PDF file (by extension)", "FILE" },
    { "width", 0, 0, G_OPTION_ARG_INT, &width, "Width in pixels or points (default 1600)", "W" },
    { "height", 0, 0, G_OPTION_ARG_INT, &height, "Height in pixels or points (default 1000)", "H" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = _es_cli_context_new (command, &common, entries);
  g_autoptr(EsSession) session = NULL;
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(EsEmbeddingSet) view = NULL;
  g_autoptr(EsProjection) projection = NULL;
  g_autoptr(EsScatterData) data = NULL;
  g_autoptr(GError) error = NULL;
  EsLoadOptions load_options;
  EsPlotFormat format;
  guint cx, cy;
  gint cz;
  int status;

  EsCliCommand optional_file = *command;

  /* FILE is optional: given, it replaces the session's data file. */
  optional_file.variadic = TRUE;
  if ((status = _es_cli_parse (context, &optional_file, &common, &argc, &argv, 0)) >= 0)
    goto out;
  if (argc > 2)
    {
      status = _es_cli_usage_error (command, "unexpected argument '%s'", argv[2]);
      goto out;
    }
  if (session_path == NULL || output == NULL)
    {
      status = _es_cli_usage_error (command, "--session S needs --output FILE (.png, .svg or .pdf)");
      goto out;
    }
  if (!es_plot_format_from_path (output, &format))
    {
      status = _es_cli_usage_error (command, "--output must end in .png, .svg or .pdf");
      goto out;
    }
  if (width < 16 || height < 16 || width > 16384 || height > 16384)
    {
      status = _es_cli_usage_error (command, "--width and --height must be between 16 and 16384");
      goto out;
    }
  if (common.limit != 0 || common.metadata != NULL || common.shape != NULL)
    {
      status = _es_cli_usage_error (command, "--limit, --metadata and --shape come from the session");
      goto out;
    }

  if (!(session = es_session_read (session_path, &error)))
    {
      status = session_error (session_path, error);
      goto out;
    }
  if (argc == 2)
    {
      g_free (session->data_path);
      session->data_path = g_canonicalize_filename (argv[1], NULL);
    }
  if (!es_session_check_files (session, &error))
    {
      status = session_error (session_path, error);
      goto out;
    }

  es_load_options_init (&load_options);
  load_options.limit = (gsize) session->limit;
  load_options.metadata_path = session->metadata_path;
  if (!(set = es_loader_load_path (session->data_path, &load_options, NULL, NULL, NULL, &error)))
    {
      status = _es_cli_input_error (session->data_path, error);
      goto out;
    }
  _es_cli_print_warnings (set);
  view = es_session_build_view (session, set);
  if (!(projection = session_projection (session, view, &cx, &cy, &cz, &error)) ||
      !(data = session_data (session, set, view, projection, cx, cy, cz, &error)))
    {
      print_warnings (session);
      status = _es_cli_input_error (session->data_path, error);
      goto out;
    }
  /* The focus and the selection, by word: absent ones are warned about. */
  {
    const char *focus[2] = { session->focus, NULL };
    gsize n = 0;
    g_autofree gsize *rows = NULL;

    g_free (es_session_lookup_words (session, view, (const char * const *) session->selection,
                                     "selected", &n));
    rows = es_session_lookup_words (session, view, focus, "focus", &n);
    if (n == 0)
      g_clear_pointer (&session->focus, g_free);
  }
  print_warnings (session);

  if (!_es_cli_render_data (set, view, data, session, session->three_d, session->azimuth,
                            session->elevation, session->focus, output, format, width, height,
                            &error))
    status = _es_cli_input_error (session->data_path, error);
  else
    status = ES_CLI_EXIT_OK;

out:
  _es_cli_common_clear (&common);
  return status;
}
