/* es-fuzz.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the libFuzzer harnesses: every harness only checks that the
 * engine returns (a result or an error, never both, never neither) without
 * a sanitizer report; the sanitizers and libFuzzer's limits do the rest.
 */

#pragma once

#include <stddef.h>
#include <stdint.h>

#include "es-loader.h"

G_BEGIN_DECLS

int             LLVMFuzzerTestOneInput (const uint8_t        *data,
                                        size_t                size);

/* Options with a memory ceiling far below libFuzzer's -rss_limit_mb, so a
 * huge header is refused by the loader instead of tripping the limit.
 */
void            es_fuzz_load_options   (EsLoadOptions        *options);
/* Loads @data through the public in-memory entry point and checks the
 * GError contract.
 */
void            es_fuzz_load           (const uint8_t        *data,
                                        size_t                size,
                                        const char           *name,
                                        const EsLoadOptions  *options);
/* A file holding @data, rewritten on every call (metadata and other side
 * files are read by path).  Returns its path; owned by the helper.
 */
const char     *es_fuzz_write_temp     (const char           *basename,
                                        const uint8_t        *data,
                                        size_t                size);

G_END_DECLS
