/* es-cli.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses of the headless commands. */
#define ES_CLI_EXIT_OK    0
#define ES_CLI_EXIT_INPUT 1  /* anything that depends on the input */
#define ES_CLI_EXIT_USAGE 2  /* unknown option, missing FILE, malformed flag value */

gboolean    es_cli_is_command     (const char *name);
/* The command @name is a typo of (within edit distance 2), when @name is
 * not an existing path: `embedscope infos FILE` must not start the GUI on
 * a file called "infos".  NULL otherwise.
 */
const char *es_cli_misspelt_command (const char *name);
int      es_cli_run        (int         argc,
                            char      **argv);

G_END_DECLS
