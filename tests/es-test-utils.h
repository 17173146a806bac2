/* es-test-utils.h: helpers shared by the engine tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-engine.h"

G_BEGIN_DECLS

/* Loads an embedding file, a path below tests/ ("..", "resources", ... for
 * the bundled sample), with es_loader_load_path and the default options;
 * fails the test when it cannot.
 */
EsEmbeddingSet *es_test_load_set  (const char *first_element,
                                   ...) G_GNUC_NULL_TERMINATED;

/* Splits a reference TSV into lines of fields, skipping '#' comments. */
GPtrArray      *es_test_read_tsv  (const char *first_element,
                                   ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
