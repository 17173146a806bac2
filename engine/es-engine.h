/* es-engine.h: the whole engine API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-blas.h"
#include "es-embedding-set.h"
#include "es-engine-error.h"
#include "es-engine-types.h"
#include "es-evaluation.h"
#include "es-expression.h"
#include "es-loader.h"
#include "es-output.h"
#include "es-writer.h"
#include "es-embedding-writer.h"
#include "es-matrix.h"
#include "es-metadata.h"
#include "es-neighbors.h"
#include "es-projection.h"
#include "es-vocabulary.h"
#include "es-worker.h"

/* engine/sparse */
#include "es-cooccur.h"
#include "es-matrix-market.h"
#include "es-nmf.h"
#include "es-sparse-matrix.h"
#include "es-sparse-svd.h"
#include "es-tokenizer.h"
#include "es-weighting.h"
