/* main.c: temporary GUI-only entry point (the integrator's main.c
 * dispatches the CLI subcommands first, then calls es_application_run_gui).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "es-application.h"

int
main (int   argc,
      char *argv[])
{
  return es_application_run_gui (argc, argv);
}
