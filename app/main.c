/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>

#include "es-blas.h"
#include "es-cli.h"
#include "es-memory.h"

#include "es-application.h"

int
main (int   argc,
      char *argv[])
{
  /* Before any thread: see es-blas.c. */
  es_blas_settle ();
  es_memory_settle ();

  /* Headless commands never initialise GTK and never need a display. */
  if (argc > 1 && (es_cli_is_command (argv[1]) || es_cli_misspelt_command (argv[1]) != NULL ||
                   g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
                   g_str_equal (argv[1], "--version")))
    return es_cli_run (argc, argv);

  return es_application_run_gui (argc, argv);
}
