/* maps-test-util.h: generated data for the map tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-embedding-set.h"

G_BEGIN_DECLS

/* @rows × @dims floats: @clusters Gaussian centres N(0, @spread²) in a random
 * @intrinsic-dimensional subspace, each row a centre (row % clusters, so the
 * planted label of row i is i % clusters) plus N(0, 0.5²) in the subspace,
 * plus isotropic N(0, @noise²).  Deterministic in @seed.
 */
float          *maps_test_mixture     (gsize    rows,
                                       gsize    dims,
                                       guint    clusters,
                                       guint    intrinsic,
                                       double   spread,
                                       double   noise,
                                       guint32  seed);
/* Words "w0", "w1", ... */
EsEmbeddingSet *maps_test_set_new     (gsize        rows,
                                       gsize        dims,
                                       const float *data);
double          maps_test_gaussian    (GRand   *rand);

G_END_DECLS
