/* es-cli-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-cli.h"
#include "es-engine.h"
#include "es-json-builder.h"

G_BEGIN_DECLS

/* Flags every command that reads an embedding accepts. */
typedef struct
{
  gint64   limit;
  char    *shape;
  char    *metadata;
  gboolean strict;
  gboolean json;
  gboolean version;
} EsCliCommon;

typedef struct
{
  const char *name;
  const char *parameters;   /* e.g. "FILE QUERY" */
  const char *summary;
  const char *description;  /* shown after the options in --help */
  int       (*run) (int argc, char **argv);
  gboolean    variadic;     /* the last parameter may span several arguments */
} EsCliCommand;

const EsCliCommand *_es_cli_find_command (const char *name);
GOptionContext *_es_cli_context_new      (const EsCliCommand *command,
                                          EsCliCommon        *common,
                                          const GOptionEntry *entries);
void            _es_cli_common_clear     (EsCliCommon        *common);
int             _es_cli_parse            (GOptionContext     *context,
                                          const EsCliCommand *command,
                                          EsCliCommon        *common,
                                          int                *argc,
                                          char             ***argv,
                                          int                 n_positional);
int             _es_cli_usage_error      (const EsCliCommand *command,
                                          const char         *format,
                                          ...) G_GNUC_PRINTF (2, 3);
int             _es_cli_input_error      (const char         *path,
                                          const GError       *error);
/* Every float option: finite and within [min, max], else a usage error
 * (exit 2, in *status) naming the option.
 */
gboolean        _es_cli_check_double     (const EsCliCommand *command,
                                          const char         *option,
                                          double              value,
                                          double              min,
                                          double              max,
                                          int                *status);
gboolean        _es_cli_parse_components (const char         *text,
                                          guint              *components,
                                          guint               max_components,
                                          guint              *n_components);
void            _es_cli_load_options     (const EsCliCommon  *common,
                                          EsLoadOptions      *options);
EsEmbeddingSet *_es_cli_load             (const char         *path,
                                          const EsCliCommon  *common,
                                          GError            **error);
void            _es_cli_print_warnings   (EsEmbeddingSet     *set);
void            _es_cli_print_json       (EsJsonBuilder      *builder);
void            _es_cli_json_word        (EsJsonBuilder      *builder,
                                          EsEmbeddingSet     *set,
                                          gsize               row);
char           *_es_cli_display_word     (EsEmbeddingSet     *set,
                                          gsize               row);

int _es_cli_info       (int argc, char **argv);
int _es_cli_neighbors  (int argc, char **argv);
int _es_cli_analogy    (int argc, char **argv);
int _es_cli_similarity (int argc, char **argv);
int _es_cli_evaluate   (int argc, char **argv);
int _es_cli_project    (int argc, char **argv);
int _es_cli_render     (int argc, char **argv);

G_END_DECLS
