/* es-cli-render.c: embedscope render (the command: options, PCA/SVD/axes
 * and dispatch to --session, --method tsne and umap; drawing in
 * es-cli-plot.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-cli"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "es-cli-private.h"
#include "es-scatter-data.h"

gboolean
_es_cli_render_file (const char                 *input,
                const EsLoadOptions        *load_options,
                const EsProjectionOptions  *projection_options,
                guint                       cx,
                guint                       cy,
                gint                        cz,
                double                      azimuth,
                double                      elevation,
                const char                 *highlight_word,
                const char                 *output,
                int                         width,
                int                         height,
                const char                 *save_session,
                GError                    **error)
{
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(EsProjection) projection = NULL;
  g_autoptr(EsScatterData) data = NULL;
  EsProjectionOptions options;
  EsPlotFormat format;

  g_return_val_if_fail (input != NULL, FALSE);
  g_return_val_if_fail (output != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Check what needs no work first: a typo should not cost a PCA. */
  if (!es_plot_format_from_path (output, &format))
    {
      g_autofree char *display = g_filename_display_name (output);

      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "%s: unknown image format: use .png, .svg or .pdf", display);
      return FALSE;
    }
  if (width <= 0 || height <= 0 || width > 32768 || height > 32768)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "invalid image size %d × %d", width, height);
      return FALSE;
    }

  set = es_loader_load_path (input, load_options, NULL, NULL, NULL, error);
  if (set == NULL)
    return FALSE;

  if (projection_options != NULL)
    options = *projection_options;
  else
    es_projection_options_init (&options);
  /* Enough components for the ones asked for. */
  if (options.method == ES_METHOD_PCA || options.method == ES_METHOD_SVD)
    options.n_components = MAX (options.n_components,
                                 MAX (MAX (cx, cy), cz >= 0 ? (guint) cz : 0) + 1);

  projection = es_projection_compute (set, &options, NULL, NULL, NULL, error);
  if (projection == NULL)
    return FALSE;

  data = es_scatter_data_new_from_projection (set, projection, cx, cy, cz, error);
  if (data == NULL)
    return FALSE;

  if (save_session != NULL)
    {
      g_autoptr(EsSession) session = _es_cli_session_new (input, load_options, set, highlight_word,
                                                          cz >= 0, azimuth, elevation);

      _es_cli_session_set_projection (session, &options, cx, cy, cz);
      if (!es_session_save (session, save_session, error))
        return FALSE;
    }

  return _es_cli_render_data (set, set, data, NULL, cz >= 0, azimuth, elevation, highlight_word,
                              output, format, width, height, error);
}

static int
render_tsne (const EsCliCommand  *command,
             EsCliCommon         *common,
             const EsCliTsneArgs *args,
             const char          *path,
             gboolean             three_d,
             double               azimuth,
             double               elevation,
             const char          *highlight,
             const char          *output,
             int                  width,
             int                  height,
             const char          *save_session,
             gboolean             linear_flags)
{
  EsTsneOptions options;
  int status;

  if (linear_flags)
    return _es_cli_usage_error (command, "--components, --axis, --center, --normalize and "
                                "--orthogonalize do not apply to --method tsne");
  if ((status = _es_cli_tsne_options (command, args, three_d, &options)) >= 0)
    return status;
  return _es_cli_render_tsne (path, common, &options, azimuth, elevation, highlight, output,
                              width, height, save_session);
}

int
_es_cli_render (int    argc,
                char **argv)
{
  const EsCliCommand *command = _es_cli_find_command ("render");
  EsCliCommon common = { 0 };
  g_autofree char *method_name = NULL;
  g_autofree char *components_text = NULL;
  g_autofree char *output = NULL;
  g_autofree char *highlight = NULL;
  g_autofree char *save_session = NULL;
  g_autofree char *session_seen = NULL;  /* --session dispatches before parsing */
  g_auto(GStrv) axes = NULL;
  gboolean three_d = FALSE, orthogonalize = FALSE, center = FALSE, normalize = FALSE;
  double azimuth = 30, elevation = 20;
  gint width = 1600, height = 1000;
  const GOptionEntry entries[] = {
    { "method", 0, 0, G_OPTION_ARG_STRING, &method_name, "pca (default), svd, axes, identity or tsne", "METHOD" },
    { "components", 'c', 0, G_OPTION_ARG_STRING, &components_text, "1-based components to plot (default 1,2 or 1,2,3)", "LIST" },
    { "axis", 'a', 0, G_OPTION_ARG_STRING_ARRAY, &axes, "An axis as a word expression (2 or 3 times)", "EXPR" },
    { "orthogonalize", 0, 0, G_OPTION_ARG_NONE, &orthogonalize, "Make the axes orthogonal", NULL },
    { "center", 0, 0, G_OPTION_ARG_NONE, &center, "Subtract the column means first", NULL },
    { "normalize", 0, 0, G_OPTION_ARG_NONE, &normalize, "L2-normalise every row first", NULL },
    { "3d", 0, 0, G_OPTION_ARG_NONE, &three_d, "Plot three components in perspective", NULL },
    { "azimuth", 0, 0, G_OPTION_ARG_DOUBLE, &azimuth, "3D view azimuth in degrees (default 30)", "A" },
    { "elevation", 0, 0, G_OPTION_ARG_DOUBLE, &elevation, "3D view elevation in degrees (default 20)", "E" },
    { "highlight", 0, 0, G_OPTION_ARG_STRING, &highlight, "Select this word and show its neighbours", "WORD" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "PNG, SVG or PDF file (by extension)", "FILE" },
    { "width", 0, 0, G_OPTION_ARG_INT, &width, "Width in pixels or points (default 1600)", "W" },
    { "height", 0, 0, G_OPTION_ARG_INT, &height, "Height in pixels or points (default 1000)", "H" },
    { "save-session", 0, 0, G_OPTION_ARG_FILENAME, &save_session, "Also save what is drawn as a session (.embedscope)", "S" },
    { "session", 0, 0, G_OPTION_ARG_FILENAME, &session_seen, "Draw a saved session (FILE then optional: it replaces the session's data file)", "S" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = _es_cli_context_new (command, &common, entries);
  EsCliTsneArgs tsne_args = { 0 };
  g_autoptr(GError) error = NULL;
  EsProjectionOptions options;
  EsLoadOptions load_options;
  guint components[3] = { 0, 1, 2 };
  guint n_components;
  int status;

  if (_es_cli_session_given (argc, argv))
    return _es_cli_render_session (argc, argv);
  if (_es_cli_method_is (argc, argv, "umap"))
    return _es_cli_render_umap (argc, argv);

  es_projection_options_init (&options);
  _es_cli_tsne_add_entries (context, &tsne_args, FALSE);
  _es_cli_render_add_cluster_entry (context);
  _es_cli_density_add_entries (context);

  if ((status = _es_cli_parse (context, command, &common, &argc, &argv, 1)) >= 0 ||
      (status = _es_cli_render_check_clusters (command)) >= 0 ||
      (status = _es_cli_density_check (command)) >= 0)
    goto out;
  if (output == NULL)
    {
      status = _es_cli_usage_error (command, "--output FILE is required (.png, .svg or .pdf)");
      goto out;
    }
  if (!g_str_has_suffix (output, ".png") && !g_str_has_suffix (output, ".svg") &&
      !g_str_has_suffix (output, ".pdf"))
    {
      status = _es_cli_usage_error (command, "--output must end in .png, .svg or .pdf");
      goto out;
    }
  /* Angles: finite (the azimuth wraps), the elevation a real one. */
  if (!_es_cli_check_double (command, "--azimuth", azimuth, -G_MAXDOUBLE, G_MAXDOUBLE, &status) ||
      !_es_cli_check_double (command, "--elevation", elevation, -90, 90, &status))
    goto out;
  if (width < 16 || height < 16 || width > 16384 || height > 16384)
    {
      status = _es_cli_usage_error (command, "--width and --height must be between 16 and 16384");
      goto out;
    }
  if (g_strcmp0 (method_name, "tsne") == 0)
    {
      status = render_tsne (command, &common, &tsne_args, argv[1], three_d, azimuth, elevation,
                            highlight, output, width, height, save_session,
                            components_text != NULL || axes != NULL || center || normalize || orthogonalize);
      goto out;
    }
  if (_es_cli_tsne_args_given (&tsne_args))
    {
      status = _es_cli_usage_error (command, "--perplexity, --iterations and --seed apply to --method tsne");
      goto out;
    }
  if (method_name != NULL && !es_method_from_string (method_name, &options.method))
    {
      status = _es_cli_usage_error (command, "unknown method '%s' (pca, svd, axes, identity or tsne)", method_name);
      goto out;
    }

  n_components = three_d ? 3 : 2;
  if (components_text != NULL)
    {
      guint n_given = 0;

      if (!_es_cli_parse_components (components_text, components, 3, &n_given) ||
          n_given != n_components)
        {
          status = _es_cli_usage_error (command, "--components needs %u 1-based numbers%s, not '%s'",
                                        n_components, three_d ? " with --3d" : "", components_text);
          goto out;
        }
    }

  options.center = center;
  options.normalize = normalize;
  options.orthogonalize = orthogonalize;
  if (options.method == ES_METHOD_AXES)
    {
      guint n_axes = axes ? g_strv_length (axes) : 0;

      if (n_axes != n_components)
        {
          status = _es_cli_usage_error (command, "--method axes needs %u --axis expressions%s",
                                        n_components, three_d ? " with --3d" : "");
          goto out;
        }
      options.axes = (const char * const *) axes;
      for (guint i = 0; i < n_components; i++)
        components[i] = i;
    }
  else if (options.method == ES_METHOD_IDENTITY)
    {
      /* The projection holds exactly the chosen columns, in order. */
      options.columns = g_memdup2 (components, sizeof components);
      options.n_columns = n_components;
      for (guint i = 0; i < n_components; i++)
        components[i] = i;
    }
  else
    {
      for (guint i = 0; i < n_components; i++)
        options.n_components = MAX (options.n_components, components[i] + 1);
    }

  _es_cli_load_options (&common, &load_options);

  if (!_es_cli_render_file (argv[1], &load_options, &options,
                       components[0], components[1], three_d ? (gint) components[2] : -1,
                       azimuth, elevation, highlight, output, width, height, save_session,
                       &error))
    status = _es_cli_input_error (argv[1], error);
  else
    status = ES_CLI_EXIT_OK;

  g_free ((gpointer) options.columns);

out:
  _es_cli_tsne_args_clear (&tsne_args);
  _es_cli_common_clear (&common);
  return status;
}
