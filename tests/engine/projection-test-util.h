/* projection-test-util.h: test-only readers for the projection tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-engine.h"

G_BEGIN_DECLS

/* A deliberately tiny word2vec-text reader, independent of the loader:
 * header "ROWS DIMS", then "word v1 ... vD" per line.
 */
EsEmbeddingSet *projection_test_read_word2vec (const char    *path);

/* tests/data/reference/NAME.projection.tsv (see make-projection-reference.py):
 * the records whose first field is @key, each split on tabs without the key.
 */
GPtrArray      *projection_test_read_reference (const char   *path,
                                                const char   *key);
/* Parses fields[first..] as doubles; returns how many. */
guint           projection_test_parse_values   (char * const *fields,
                                                guint         first,
                                                double       *out,
                                                guint         max);

/* Runs es_projection_compute_async to completion; frees @options and
 * @strings (poisoned) right after starting the job.
 */
EsProjection   *projection_test_compute_async  (EsEmbeddingSet      *set,
                                                EsProjectionOptions *options,
                                                char               **strings,
                                                GCancellable        *cancellable,
                                                GError             **error);

void            projection_test_add_reference_tests (void);
void            projection_test_add_axes_tests      (void);

G_END_DECLS
