/* es-session.h: a saved view (.embedscope), read and written as JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "es-embedding-set.h"
#include "es-projection.h"

G_BEGIN_DECLS

/* A session is recognised by its content: a JSON object whose "format" is
 * this and whose "version" an integer no newer than ES_SESSION_VERSION.
 */
#define ES_SESSION_FORMAT  "embedscope-session"
#define ES_SESSION_VERSION 1

#define ES_SESSION_ERROR (es_session_error_quark ())

typedef enum
{
  ES_SESSION_ERROR_PARSE,        /* not JSON: the message names file, line, column */
  ES_SESSION_ERROR_NOT_SESSION,  /* JSON, but no session format key */
  ES_SESSION_ERROR_VERSION,      /* written by a newer Embedscope */
  ES_SESSION_ERROR_INVALID,      /* a key of the wrong type or out of range */
  ES_SESSION_ERROR_MISSING_FILE, /* the data or metadata file is not there */
  ES_SESSION_ERROR_NOT_REGULAR,  /* a FIFO, device or folder */
  ES_SESSION_ERROR_DERIVED,      /* no file behind the data set: cannot be saved */
} EsSessionError;

GQuark es_session_error_quark (void);

/* A plain description of what the user is looking at, by words (never
 * rows), so it survives a reload.  Fields are public; strings and vectors
 * are owned.  Zero, NULL or FALSE means "the default" where noted.
 */
typedef struct
{
  char      *path;            /* the session file once read or saved (absolute) */

  /* The files. */
  char      *data_path;       /* absolute; NULL: a derived set with no file */
  char      *derived_reason;  /* why data_path is NULL (for the refusal to save) */
  guint64    data_size;       /* as saved */
  char      *data_checksum;   /* SHA-256 of the first MiB, hex; NULL: not known */
  char      *metadata_path;   /* absolute or NULL */
  guint64    limit;           /* first N rows; 0: all */

  /* The projection and its parameters. */
  EsMethod   method;
  gboolean   three_d;
  guint      components[3];   /* 0-based x, y, z */
  gboolean   center;
  gboolean   normalize;
  char     **axes;            /* AXES: the expressions */
  gboolean   orthogonalize;
  double     perplexity;      /* t-SNE; 0: default */
  guint      iterations;      /* t-SNE; 0: default */
  guint      n_neighbors;     /* UMAP; 0: default */
  double     min_dist;        /* UMAP; < 0: default */
  guint      epochs;          /* UMAP; 0: default */
  guint64    seed;            /* t-SNE and UMAP */

  /* The layout itself (t-SNE, UMAP): coords_rows × coords_dims float32 in
   * the order of the shown rows; NULL when not stored or dropped.
   */
  float     *coords;
  gsize      coords_rows;
  guint      coords_dims;

  /* What is shown and singled out, by word. */
  char     **isolate;         /* the shown words in order; NULL: the whole file */
  char     **selection;
  char      *focus;
  guint      neighbors_k;     /* the focus word's neighbours shown */
  char      *metric;          /* "cosine" or "euclidean" */
  char      *filter_text;
  gboolean   filter_regex;
  guint      top_n;           /* 0: all */
  char      *category;        /* a value of the colour column; NULL: all */
  char      *label_column;    /* a metadata column; NULL: the words */
  char      *color_column;    /* a metadata column, "cluster", or NULL */
  guint      clusters;        /* k-means K (re-run on open); 0: none */
  char      *analogy;         /* the solved expression ("king - man + woman"), or NULL */

  /* The camera, independent of the picture's size: the zoom against the
   * view that fits the points, and where it looks (normalised plot
   * coordinates).  has_camera FALSE: fitted.
   */
  gboolean   has_camera;
  double     zoom;            /* against a fit with no margin, at the picture's size */
  double     center_xy[2];    /* 2D */
  double     target[3];       /* 3D */
  /* The same camera exactly, for a picture of the same size in pixels:
   * 2D pixels per unit, the 3D camera distance (0: not known).
   */
  int        view_width;
  int        view_height;
  double     scale;
  double     distance;
  double     azimuth;         /* 3D, degrees */
  double     elevation;

  /* Style; 0: the default. */
  double     point_size;
  double     opacity;
  double     font_size;
  gboolean   show_density;    /* the density map and its contours */

  /* A comparison with a second file (the compare window), or
   * compare_path NULL: B's file, the alignment ("auto", "orthogonal" or
   * "linear"; NULL: auto), centring, scaling, the anchor list (a file or
   * NULL), the neighbour overlap's k and word count, and the focus word.
   */
  char      *compare_path;
  char      *compare_method;
  gboolean   compare_center;
  gboolean   compare_scale;
  char      *compare_anchors;
  guint      compare_k;
  guint64    compare_overlap_top;
  char      *compare_focus;

  /* What reading it found wrong but survivable, one sentence each. */
  GPtrArray *warnings;
} EsSession;

EsSession *es_session_new            (void);
void       es_session_free           (EsSession       *self);

/* Recognises a session by content (no more than its first bytes): a
 * regular file holding a JSON object with the session format key.
 */
gboolean   es_session_sniff          (const char      *path);

/* Parses @path: errors name the file, and the line and column for JSON
 * that does not parse.  Relative file paths are taken against the
 * session's folder first, then the absolute path stored beside them.
 * Files are not looked at: es_session_check_files () does.
 */
EsSession *es_session_read           (const char      *path,
                                      GError         **error);
/* The data and metadata files: missing (ES_SESSION_ERROR_MISSING_FILE,
 * naming it), not a regular file, or changed since the session was saved
 * (size or checksum: a warning, and stored coordinates are dropped).
 */
gboolean   es_session_check_files    (EsSession       *self,
                                      GError         **error);
/* Both. */
EsSession *es_session_load           (const char      *path,
                                      GError         **error);

/* Writes @self to @path through es_output (atomic), with the data file's
 * path relative to @path's folder and absolute, its size and checksum.
 * Refuses a set without a file (derived), naming why.
 */
gboolean   es_session_save           (EsSession       *self,
                                      const char      *path,
                                      GError         **error);
char      *es_session_to_json        (EsSession       *self,
                                      const char      *session_dir,
                                      GError         **error);

void       es_session_set_coords     (EsSession       *self,
                                      const float     *coords,
                                      gsize            rows,
                                      guint            dims);
void       es_session_drop_coords    (EsSession       *self,
                                      const char      *why);
void       es_session_add_warning    (EsSession       *self,
                                      const char      *format,
                                      ...) G_GNUC_PRINTF (2, 3);

/* ---- restoring against the loaded file ---- */

/* Rows of @set for @words (in order, absent ones dropped with one warning
 * naming how many and the first few; @what says which list).  Free with
 * g_free.
 */
gsize          *es_session_lookup_words  (EsSession       *self,
                                          EsEmbeddingSet  *set,
                                          const char * const *words,
                                          const char      *what,
                                          gsize           *n_rows);
/* The shown set: @set itself, or the isolated words of it.  When words
 * are dropped the stored coordinates no longer fit and are dropped too.
 */
EsEmbeddingSet *es_session_build_view    (EsSession       *self,
                                          EsEmbeddingSet  *set);
/* The stored layout as a projection of @view_set, or NULL (none stored, or
 * it does not fit the rows: then dropped with a warning).
 */
EsProjection   *es_session_stored_layout (EsSession       *self,
                                          EsEmbeddingSet  *view_set);
/* The filters (top N only when @whole_file), as the window applies them:
 * 1 for a row that passes.  An invalid regular expression passes all.
 */
guint8         *es_session_filter_mask   (const EsSession *self,
                                          EsEmbeddingSet  *view_set,
                                          gboolean         whole_file);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsSession, es_session_free)

G_END_DECLS
