/* es-cli-density.c: render's density map options
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-cli"

#include "config.h"

#include "es-cli-private.h"

/* One `render` per process: the options live here from parsing to
 * drawing, whichever method's path (PCA, t-SNE, UMAP) draws.
 */
static gboolean density;
static double bandwidth = 1;
static gboolean bandwidth_given;
static char *levels_text;
static double levels[ES_PLOT_MAX_DENSITY_LEVELS];
static guint n_levels;

/* A callback, to know whether it was given (any value turns the map on). */
static gboolean
parse_bandwidth (const char  *name,
                 const char  *value,
                 gpointer     data,
                 GError     **error)
{
  char *end = NULL;

  bandwidth = g_ascii_strtod (value, &end);
  if (value[0] == '\0' || end == NULL || *end != '\0')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "Cannot parse double value “%s” for %s", value, name);
      return FALSE;
    }
  bandwidth_given = TRUE;
  return TRUE;
}

void
_es_cli_density_add_entries (GOptionContext *context)
{
  static const GOptionEntry entries[] = {
    { "density", 0, 0, G_OPTION_ARG_NONE, &density,
      "Draw a density map: shading and contours of a kernel density estimate", NULL },
    { "density-levels", 0, 0, G_OPTION_ARG_STRING, &levels_text,
      "Contours around the densest shares of the points (default 0.25,0.5,0.75,0.9)", "LIST" },
    { "density-bandwidth", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer) parse_bandwidth,
      "Bandwidth as a multiple of Scott's rule (default 1)", "F" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
}

int
_es_cli_density_check (const EsCliCommand *command)
{
  int status = -1;

  if (!_es_cli_check_double (command, "--density-bandwidth", bandwidth, 0.05, 20, &status))
    return status;
  if (levels_text != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (levels_text, ",", -1);

      n_levels = 0;
      for (guint i = 0; parts[i] != NULL; i++)
        {
          char *end = NULL;
          const char *text = g_strstrip (parts[i]);
          double p = g_ascii_strtod (text, &end);

          if (text[0] == '\0' || end == NULL || *end != '\0' || !(p > 0 && p < 1) ||
              n_levels == ES_PLOT_MAX_DENSITY_LEVELS)
            return _es_cli_usage_error (command, "--density-levels needs 1 to %d comma-separated "
                                        "shares between 0 and 1 (e.g. 0.5,0.9), not '%s'",
                                        ES_PLOT_MAX_DENSITY_LEVELS, levels_text);
          levels[n_levels++] = p;
        }
      if (n_levels == 0)
        return _es_cli_usage_error (command, "--density-levels needs at least one share");
    }
  return -1;
}

gboolean
_es_cli_density_shown (void)
{
  /* A level or bandwidth asks for the map too. */
  return density || levels_text != NULL || bandwidth_given;
}

void
_es_cli_density_apply (EsPlotStyle *style)
{
  style->show_density = _es_cli_density_shown ();
  style->density_bandwidth = bandwidth;
  if (n_levels > 0)
    {
      style->n_density_levels = n_levels;
      for (guint l = 0; l < n_levels; l++)
        style->density_levels[l] = levels[l];
    }
}
