/* es-cli-render.c: embedscope render
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-cli"

#include "config.h"

#include <math.h>
#include <stdio.h>

#include "es-cli-private.h"
#include "es-render-command.h"

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
  g_auto(GStrv) axes = NULL;
  gboolean three_d = FALSE, orthogonalize = FALSE, center = FALSE, normalize = FALSE;
  double azimuth = 30, elevation = 20;
  gint width = 1600, height = 1000;
  const GOptionEntry entries[] = {
    { "method", 0, 0, G_OPTION_ARG_STRING, &method_name, "pca (default), svd, axes or identity", "METHOD" },
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
    { NULL }
  };
  g_autoptr(GOptionContext) context = _es_cli_context_new (command, &common, entries);
  g_autoptr(GError) error = NULL;
  EsProjectionOptions options;
  EsLoadOptions load_options;
  guint components[3] = { 0, 1, 2 };
  guint n_components;
  int status;

  es_projection_options_init (&options);

  if ((status = _es_cli_parse (context, command, &common, &argc, &argv, 1)) >= 0)
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
  if (method_name != NULL && !es_method_from_string (method_name, &options.method))
    {
      status = _es_cli_usage_error (command, "unknown method '%s' (pca, svd, axes or identity)", method_name);
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

  if (!es_render_file (argv[1], &load_options, &options,
                       components[0], components[1], three_d ? (gint) components[2] : -1,
                       azimuth, elevation, highlight, output, width, height, &error))
    status = _es_cli_input_error (argv[1], error);
  else
    status = ES_CLI_EXIT_OK;

  g_free ((gpointer) options.columns);

out:
  _es_cli_common_clear (&common);
  return status;
}
