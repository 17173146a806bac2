/* es-cli-project.c: embedscope project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "es-cli-private.h"

#define MAX_COMPONENTS 64

static void
add_doubles_json (EsJsonBuilder *builder,
                  const char    *name,
                  const double  *values,
                  guint          n)
{
  if (values == NULL)
    return;

  es_json_builder_member (builder, name);
  es_json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    es_json_builder_double (builder, values[i]);
  es_json_builder_end_array (builder);
}

static char *
column_title (EsProjection        *projection,
              const char * const  *axes,
              guint                component)
{
  switch (es_projection_get_method (projection))
    {
    case ES_METHOD_PCA:      return g_strdup_printf ("PC%u", component + 1);
    case ES_METHOD_SVD:      return g_strdup_printf ("SV%u", component + 1);
    case ES_METHOD_AXES:     return g_strdup (axes[component]);
    case ES_METHOD_TSNE:     return g_strdup_printf ("tsne%u", component + 1);
    case ES_METHOD_UMAP:     return g_strdup_printf ("umap%u", component + 1);
    case ES_METHOD_IDENTITY:
    default:                 return g_strdup_printf ("dim%u", component + 1);
    }
}

static GString *
build_tsv (EsEmbeddingSet     *set,
           EsProjection       *projection,
           const char * const *axes,
           const guint        *components,
           guint               n_components,
           GError            **error)
{
  /* PCA and SVD compute every component up to the highest asked for;
   * identity and axes hold exactly the chosen columns, in order.
   */
  EsMethod method = es_projection_get_method (projection);
  gboolean holds_all = method == ES_METHOD_PCA || method == ES_METHOD_SVD;
  g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  guint columns[3];

  for (guint c = 0; c < n_components; c++)
    {
      g_ptr_array_add (titles, column_title (projection, axes, components[c]));
      columns[c] = holds_all ? components[c] : c;
    }

  return es_writer_coordinates_tsv (set, es_projection_get_coords (projection),
                                    es_projection_get_n_components (projection),
                                    columns, (const char * const *) titles->pdata, n_components,
                                    NULL, error);
}

static void
print_summary (EsProjection *projection,
               const char   *output)
{
  const double *ratios, *cumulative, *singular, *angles;
  guint n_ratios, n_cumulative, n_singular, n_angles;

  ratios = es_projection_get_explained_variance_ratio (projection, &n_ratios);
  cumulative = es_projection_get_cumulative_ratio (projection, &n_cumulative);
  singular = es_projection_get_singular_values (projection, &n_singular);
  angles = es_projection_get_axis_angles_deg (projection, &n_angles);

  printf ("Method: %s, %" G_GSIZE_FORMAT " rows fitted\n",
          es_method_to_string (es_projection_get_method (projection)),
          es_projection_get_n_fitted (projection));
  for (guint i = 0; ratios != NULL && i < n_ratios; i++)
    {
      char r[G_ASCII_DTOSTR_BUF_SIZE], c[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (r, sizeof r, "%.2f", 100 * ratios[i]);
      g_ascii_formatd (c, sizeof c, "%.2f", 100 * cumulative[MIN (i, n_cumulative - 1)]);
      printf ("  PC%-3u %6s%% of variance (cumulative %s%%)\n", i + 1, r, c);
    }
  for (guint i = 0; singular != NULL && i < n_singular; i++)
    {
      g_autofree char *s = es_format_double (singular[i]);

      printf ("  SV%-3u %s\n", i + 1, s);
    }
  for (guint i = 0; angles != NULL && i < n_angles; i++)
    {
      static const char *pairs[] = { "1-2", "1-3", "2-3" };
      char a[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (a, sizeof a, "%.1f", angles[i]);
      printf ("  angle between axes %s: %s degrees\n", n_angles == 1 ? "1-2" : pairs[i], a);
    }
  if (output != NULL)
    printf ("Coordinates written to %s\n", output);
}

static int
project_tsne (const EsCliCommand  *command,
              EsCliCommon         *common,
              const EsCliTsneArgs *args,
              const char          *path,
              const char          *output,
              gboolean             linear_flags)
{
  EsTsneOptions options;
  int status;

  if (linear_flags)
    return _es_cli_usage_error (command, "--components, --axis, --center, --normalize and "
                                "--orthogonalize do not apply to --method tsne");
  if ((status = _es_cli_tsne_options (command, args, args->three_d, &options)) >= 0)
    return status;
  return _es_cli_project_tsne (command, common, path, &options, output);
}

int
_es_cli_project (int    argc,
                 char **argv)
{
  const EsCliCommand *command = _es_cli_find_command ("project");
  EsCliCommon common = { 0 };
  g_autofree char *method_name = NULL;
  g_autofree char *components_text = NULL;
  g_autofree char *output = NULL;
  g_auto(GStrv) axes = NULL;
  gboolean orthogonalize = FALSE, center = FALSE, normalize = FALSE;
  const GOptionEntry entries[] = {
    { "method", 0, 0, G_OPTION_ARG_STRING, &method_name, "pca (default), svd, axes, identity or tsne", "METHOD" },
    { "components", 'c', 0, G_OPTION_ARG_STRING, &components_text, "1-based components or columns to write (default 1,2)", "LIST" },
    { "axis", 'a', 0, G_OPTION_ARG_STRING_ARRAY, &axes, "An axis as a word expression (2 or 3 times)", "EXPR" },
    { "orthogonalize", 0, 0, G_OPTION_ARG_NONE, &orthogonalize, "Make the axes orthogonal (Gram-Schmidt, in order)", NULL },
    { "center", 0, 0, G_OPTION_ARG_NONE, &center, "Subtract the column means first (PCA always does)", NULL },
    { "normalize", 0, 0, G_OPTION_ARG_NONE, &normalize, "L2-normalise every row first", NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write the coordinates to this TSV file", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = _es_cli_context_new (command, &common, entries);
  EsCliTsneArgs tsne_args = { 0 };
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(EsProjection) projection = NULL;
  g_autoptr(GError) error = NULL;
  EsProjectionOptions options;
  guint components[MAX_COMPONENTS] = { 0, 1 };
  guint n_components = 2;
  int status;

  if (_es_cli_method_is (argc, argv, "umap"))
    return _es_cli_project_umap (argc, argv);

  es_projection_options_init (&options);
  _es_cli_tsne_add_entries (context, &tsne_args, TRUE);

  if ((status = _es_cli_parse (context, command, &common, &argc, &argv, 1)) >= 0)
    goto out;
  if (g_strcmp0 (method_name, "tsne") == 0)
    {
      status = project_tsne (command, &common, &tsne_args, argv[1], output,
                             components_text != NULL || axes != NULL || center || normalize || orthogonalize);
      goto out;
    }
  if (_es_cli_tsne_args_given (&tsne_args))
    {
      status = _es_cli_usage_error (command, "--perplexity, --iterations, --seed and --3d apply to --method tsne");
      goto out;
    }
  if (method_name != NULL && !es_method_from_string (method_name, &options.method))
    {
      status = _es_cli_usage_error (command, "unknown method '%s' (pca, svd, axes, identity or tsne)", method_name);
      goto out;
    }
  if (components_text != NULL && !_es_cli_parse_components (components_text, components, MAX_COMPONENTS, &n_components))
    {
      status = _es_cli_usage_error (command, "--components expects 1-based numbers like 1,2,3, not '%s'",
                                    components_text);
      goto out;
    }
  if (options.method == ES_METHOD_AXES)
    {
      guint n_axes = axes ? g_strv_length (axes) : 0;

      if (n_axes < 2 || n_axes > 3)
        {
          status = _es_cli_usage_error (command, "--method axes needs 2 or 3 --axis expressions");
          goto out;
        }
      n_components = n_axes;
      for (guint i = 0; i < n_axes; i++)
        components[i] = i;
    }
  else if (axes != NULL)
    {
      status = _es_cli_usage_error (command, "--axis only applies to --method axes");
      goto out;
    }

  options.center = center;
  options.normalize = normalize;
  options.orthogonalize = orthogonalize;
  options.axes = (const char * const *) axes;
  if (options.method == ES_METHOD_IDENTITY)
    {
      options.columns = components;
      options.n_columns = n_components;
    }
  else if (options.method == ES_METHOD_PCA || options.method == ES_METHOD_SVD)
    {
      guint highest = 0;

      for (guint i = 0; i < n_components; i++)
        highest = MAX (highest, components[i] + 1);
      options.n_components = highest;
    }

  if (!(set = _es_cli_load (argv[1], &common, &error)))
    {
      status = _es_cli_input_error (argv[1], error);
      goto out;
    }
  /* PCA reports the ratios of the first min (10, D) components whatever is drawn. */
  if (options.method == ES_METHOD_PCA || options.method == ES_METHOD_SVD)
    {
      if (options.n_components > es_embedding_set_get_dims (set))
        {
          g_set_error (&error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                       "%s: component %u asked for, but the vectors have %" G_GSIZE_FORMAT " dimensions",
                       argv[1], options.n_components, es_embedding_set_get_dims (set));
          status = _es_cli_input_error (argv[1], error);
          goto out;
        }
      options.n_components = MAX (options.n_components, MIN (10, es_embedding_set_get_dims (set)));
    }

  if (!(projection = es_projection_compute (set, &options, NULL, NULL, NULL, &error)))
    {
      status = _es_cli_input_error (argv[1], error);
      goto out;
    }

  if (!common.json)
    _es_cli_print_warnings (set);

  if (output != NULL || !common.json)
    {
      g_autoptr(GString) tsv = build_tsv (set, projection, options.axes, components, n_components,
                                          &error);

      if (tsv == NULL)
        {
          status = _es_cli_input_error (argv[1], error);
          goto out;
        }
      /* es_output: a temporary file renamed into place (an existing file
       * survives a failed write), or stdout, a pipe or a device written
       * directly with its errors reported.
       */
      if (!es_output_write_file (output != NULL ? output : "-", tsv->str, tsv->len, &error))
        {
          status = _es_cli_input_error (output != NULL ? output : "stdout", error);
          goto out;
        }
    }

  if (common.json)
    {
      EsJsonBuilder *builder = es_json_builder_new ();
      const double *values;
      guint n;

      es_json_builder_begin_object (builder);
      es_json_builder_member (builder, "method");
      es_json_builder_string (builder, es_method_to_string (options.method), -1);
      values = es_projection_get_explained_variance_ratio (projection, &n);
      add_doubles_json (builder, "explained_variance_ratio", values, MIN (n, 10));
      values = es_projection_get_singular_values (projection, &n);
      add_doubles_json (builder, "singular_values", values, MIN (n, 10));
      values = es_projection_get_axis_angles_deg (projection, &n);
      add_doubles_json (builder, "axis_angles_deg", values, n);
      es_json_builder_end_object (builder);
      _es_cli_print_json (builder);
    }
  else if (output != NULL)
    print_summary (projection, output);

  status = ES_CLI_EXIT_OK;

out:
  _es_cli_tsne_args_clear (&tsne_args);
  _es_cli_common_clear (&common);
  return status;
}
