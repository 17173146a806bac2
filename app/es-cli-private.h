/* es-cli-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-cli.h"
#include "es-engine.h"
#include "es-json-builder.h"
#include "es-scatter-renderer.h"
#include "es-session.h"
#include "es-tsne.h"

G_BEGIN_DECLS

/* Flags every command that reads an embedding accepts. */
typedef struct
{
  gint64   limit;
  char    *shape;
  char    *metadata;
  char    *layer;
  char    *tensor;
  char    *vocab;
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

/* --method tsne (es-cli-tsne.c) */
typedef struct
{
  char    *perplexity;
  char    *iterations;
  char    *seed;
  gboolean three_d;
} EsCliTsneArgs;

void      _es_cli_tsne_add_entries  (GOptionContext      *context,
                                     EsCliTsneArgs       *args,
                                     gboolean             with_3d);
void      _es_cli_tsne_args_clear   (EsCliTsneArgs       *args);
gboolean  _es_cli_tsne_args_given   (const EsCliTsneArgs *args);
int       _es_cli_tsne_options      (const EsCliCommand  *command,
                                     const EsCliTsneArgs *args,
                                     gboolean             three_d,
                                     EsTsneOptions       *options);
EsMatrix *_es_cli_tsne_compute      (EsEmbeddingSet      *set,
                                     const char          *path,
                                     const EsTsneOptions *options,
                                     EsLayoutTimings     *timings,
                                     GError             **error);
int       _es_cli_project_tsne      (const EsCliCommand  *command,
                                     EsCliCommon         *common,
                                     const char          *path,
                                     const EsTsneOptions *options,
                                     const char          *output);
int       _es_cli_render_tsne       (const char          *path,
                                     const EsCliCommon   *common,
                                     const EsTsneOptions *options,
                                     double               azimuth,
                                     double               elevation,
                                     const char          *highlight,
                                     const char          *output,
                                     int                  width,
                                     int                  height,
                                     const char          *save_session);

/* What any map prints (es-cli-layout-quality.c): its coordinates as TSV
 * (stdout when @output is NULL) and its "quality" member.
 */
gboolean  _es_cli_write_coords_tsv    (EsEmbeddingSet    *set,
                                       const EsMatrix    *coords,
                                       const char        *prefix,
                                       const char        *output,
                                       GError           **error);
void      _es_cli_print_layout_quality (EsEmbeddingSet   *set,
                                        const EsMatrix   *coords,
                                        EsMetric          metric);
void      _es_cli_layout_quality_json (EsJsonBuilder     *builder,
                                       EsEmbeddingSet    *set,
                                       const EsMatrix    *coords,
                                       EsMetric           metric);

int _es_cli_info       (int argc, char **argv);
int _es_cli_neighbors  (int argc, char **argv);
int _es_cli_analogy    (int argc, char **argv);
int _es_cli_similarity (int argc, char **argv);
int _es_cli_evaluate   (int argc, char **argv);
int _es_cli_project    (int argc, char **argv);
int _es_cli_render     (int argc, char **argv);
int _es_cli_cluster    (int argc, char **argv);
int _es_cli_cooccur    (int argc, char **argv);
int _es_cli_lsa        (int argc, char **argv);
int _es_cli_nmf        (int argc, char **argv);
int _es_cli_convert    (int argc, char **argv);

/* es-cli-vectors-output.c: an embedding set written as convert/transform do.
 * _es_cli_vectors_format: -1, or the exit status of a bad --format/--words.
 */
int      _es_cli_vectors_format        (const EsCliCommand *command,
                                        const char         *format_name,
                                        const char         *words,
                                        const char         *output,
                                        EsFormat           *format);
gboolean _es_cli_write_vectors         (EsEmbeddingSet     *set,
                                        const char         *output,
                                        EsFormat            format,
                                        const char         *words,
                                        char              **words_path,
                                        GError            **error);
void     _es_cli_vectors_written_json  (EsJsonBuilder      *builder,
                                        EsEmbeddingSet     *set,
                                        const char         *output,
                                        EsFormat            format,
                                        const char         *words_path);
void     _es_cli_print_vectors_written (EsEmbeddingSet     *set,
                                        const char         *output,
                                        EsFormat            format,
                                        const char         *words_path);
int _es_cli_compare    (int argc, char **argv);
int _es_cli_transform  (int argc, char **argv);

/* UMAP (es-cli-umap.c): project and render dispatch here on --method umap. */
gboolean _es_cli_method_is    (int argc, char **argv, const char *name);
int      _es_cli_project_umap (int argc, char **argv);
int      _es_cli_render_umap  (int argc, char **argv);

/* render --density (es-cli-density.c): the options, their check (a
 * usage error's exit status, or -1) and what they make of the style.
 */
void     _es_cli_density_add_entries (GOptionContext     *context);
int      _es_cli_density_check       (const EsCliCommand *command);
gboolean _es_cli_density_shown       (void);
void     _es_cli_density_apply       (EsPlotStyle        *style);

/* es-cli-render.c */
/* `embedscope render`: load @input, project it, plot components cx, cy
 * (and cz >= 0 for 3D, seen from @azimuth / @elevation degrees), select
 * @highlight_word (nullable) and write @output (PNG, SVG or PDF by its
 * extension) at width x height, atomically.  No GTK.
 */
gboolean _es_cli_render_file (const char                 *input,
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
                         GError                    **error);

/* es-cli-plot.c: the same for coordinates computed elsewhere (t-SNE, UMAP): @coords holds
 * rows × @dims floats for the rows of @set (NaN: not drawn); axes are
 * titled "@axis_name 1", "@axis_name 2"….
 */
/* es-cli-plot.c: --clusters K for every render method. */
void     _es_cli_render_add_cluster_entry (GOptionContext     *context);
/* -1 when fine, else the exit status of a usage error. */
int      _es_cli_render_check_clusters    (const EsCliCommand *command);
gboolean _es_cli_render_coords (EsEmbeddingSet             *set,
                           const float                *coords,
                           guint                       dims,
                           const char                 *axis_name,
                           double                      azimuth,
                           double                      elevation,
                           const char                 *highlight_word,
                           const char                 *output,
                           int                         width,
                           int                         height,
                           GError                    **error);

/* What every render shares: highlight, fit, export (es-cli-plot.c). */
gboolean _es_cli_render_data (EsEmbeddingSet             *set,
                              EsEmbeddingSet             *view,
                              EsScatterData              *data,
                              const EsSession            *session,
                              gboolean                    three_d,
                              double                      azimuth,
                              double                      elevation,
                              const char                 *highlight_word,
                              const char                 *output,
                              EsPlotFormat                format,
                              int                         width,
                              int                         height,
                              GError                    **error);

/* es-cli-session.c: `render --session S`. */
gboolean   _es_cli_session_given          (int                         argc,
                                           char                      **argv);
int        _es_cli_render_session         (int                         argc,
                                           char                      **argv);
/* es-cli-save-session.c: `render … --save-session S`, a session of what
 * `render` draws from @input (the focus: @highlight as the file spells it).
 */
EsSession *_es_cli_session_new            (const char                 *input,
                                           const EsLoadOptions        *load_options,
                                           EsEmbeddingSet             *set,
                                           const char                 *highlight,
                                           gboolean                    three_d,
                                           double                      azimuth,
                                           double                      elevation);
void       _es_cli_session_set_projection (EsSession                  *session,
                                           const EsProjectionOptions  *options,
                                           guint                       cx,
                                           guint                       cy,
                                           gint                        cz);

G_END_DECLS
