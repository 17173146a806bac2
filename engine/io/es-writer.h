/* es-writer.h: the TSV tables the CLI and the app write
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "es-embedding-set.h"
#include "es-engine-types.h"
#include "es-neighbors.h"

G_BEGIN_DECLS

/* The shortest decimal that reads back as the same float32 ("0.1", not
 * "0.100000001"); "nan", "inf", "-inf" for the others.  Locale-free.
 */
char    *es_format_float            (float                value);
/* The same into @buf (at least ES_FLOAT_BUF_SIZE bytes, NUL-terminated),
 * without an allocation; returns the length.
 */
#define ES_FLOAT_BUF_SIZE 40
gsize    es_format_float_buf        (float                value,
                                     char                *buf);

/* A coordinate table: a header "word<TAB>title…", then one line per row
 * of @set whose @row_mask byte is set (all rows when NULL), the word then
 * columns[c] of each row of @coords (@stride floats per row) by
 * es_format_float ().  Rows the set marks invalid have "nan" coordinates.
 * A word or title holding a TAB or a line break cannot be written (the
 * projector TSV has no escape): an error naming the row.
 */
GString *es_writer_coordinates_tsv  (EsEmbeddingSet      *set,
                                     const float         *coords,
                                     guint                stride,
                                     const guint         *columns,
                                     const char * const  *titles,
                                     guint                n_columns,
                                     const guint8        *row_mask,
                                     GError             **error);

/* A neighbour list: "# neighbours of WORD (METRIC, k = K)", a header
 * "rank<TAB>word<TAB>score|distance", then one line per neighbour.
 */
GString *es_writer_neighbors_tsv    (EsEmbeddingSet      *set,
                                     const char          *query,
                                     EsMetric             metric,
                                     const EsNeighbor    *neighbors,
                                     guint                n_neighbors,
                                     GError             **error);

G_END_DECLS
