/* es-tsne-private.h: the parts of t-SNE, shared by its split files and tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-tsne.h"

G_BEGIN_DECLS

/* Work is cut into this many fixed parts whatever the thread count, and
 * per-part results are combined in part order: the result never depends
 * on how many threads ran the parts.
 */
#define ES_TSNE_N_PARTS 2

/* Runs func (part, data) for part 0 … ES_TSNE_N_PARTS − 1 on the caller's
 * thread and the pool's (started once per run: a thousand iterations would
 * otherwise start thousands of threads), each taking the next unclaimed
 * part; returns when all are done.  A pool of one thread, or NULL, runs
 * every part on the caller's.
 */
typedef void (*EsTsnePartFunc) (guint    part,
                                gpointer data);
typedef struct _EsTsnePool EsTsnePool;

EsTsnePool *_es_tsne_pool_new        (guint           n_threads);
void      _es_tsne_pool_free         (EsTsnePool     *pool);
void      _es_tsne_parallel          (EsTsnePool     *pool,
                                      EsTsnePartFunc  func,
                                      gpointer        data);
/* [*begin, *end) of @n items for @part. */
void      _es_tsne_part_range        (gsize           n,
                                      guint           part,
                                      gsize          *begin,
                                      gsize          *end);

/* The symmetric joint probabilities P, sparse rows (CSR) over the n valid
 * points, each row sorted by column.
 */
typedef struct
{
  gsize   n;
  gsize  *row_ptr;   /* n + 1 */
  gint32 *cols;
  float  *vals;
} EsTsneAffinities;

void      _es_tsne_affinities_clear  (EsTsneAffinities *p);

/* One row's calibration: @d holds @k squared-distance-like values (the
 * Gaussian is exp (−β d)); fills @p (summing to 1) so that its entropy
 * (natural log) is log (@perplexity) within 1e-5, when any β reaches it.
 * When none can (all distances equal, or more ties at the smallest distance
 * than the perplexity), @p is the limit: uniform over the nearest ties.
 * Returns β; *entropy gets the entropy reached.
 */
double    _es_tsne_calibrate_row     (const float     *d,
                                      guint            k,
                                      double           perplexity,
                                      float           *p,
                                      double          *entropy);

/* P from the neighbours of n points (compact indices 0 … n − 1 in @idx,
 * ES_KNN_NONE for missing ones; row i at idx + i × k), distances as the kNN
 * graph gives them (squared here for euclidean; 1 − cos, which is half the
 * squared distance of the unit vectors, as it is for cosine).
 * P = (P_cond + P_condᵀ) / 2n.
 */
gboolean  _es_tsne_affinities_build  (gsize             n,
                                      guint             k,
                                      const gint32     *idx,
                                      const float      *dist,
                                      EsMetric          metric,
                                      double            perplexity,
                                      EsTsnePool       *pool,
                                      GCancellable     *cancellable,
                                      EsTsneAffinities *out,
                                      GError          **error);

/* Repulsion: rep[i] = Σ_j w_ij² (y_i − y_j) with w_ij = 1 / (1 + |y_i − y_j|²)
 * and *z = Σ_{i≠j} w_ij, for n points of @dims coordinates.
 */
void      _es_tsne_repulsion_exact   (const float     *y,
                                      gsize            n,
                                      guint            dims,
                                      double          *rep,
                                      double          *z);

/* By FFT-accelerated interpolation (Linderman et al. 2019), 2D only. */
typedef struct _EsTsneFft EsTsneFft;

EsTsneFft *_es_tsne_fft_new          (void);
void       _es_tsne_fft_free         (EsTsneFft       *self);
gboolean   _es_tsne_fft_repulsion    (EsTsneFft       *self,
                                      const float     *y,
                                      gsize            n,
                                      EsTsnePool      *pool,
                                      float           *rep,
                                      double          *z,
                                      GError         **error);
/* Nodes per box and dimension: 0 chooses by how crowded the boxes are (the
 * default), 3 or 4 force it (tests).
 */
void       _es_tsne_fft_force_nodes  (EsTsneFft       *self,
                                      guint            p);
guint      _es_tsne_fft_nodes        (const EsTsneFft *self);

/* By Barnes-Hut (an octree in 3D, a quadtree in 2D), opening angle @theta. */
gboolean   _es_tsne_bh_repulsion     (const float     *y,
                                      gsize            n,
                                      guint            dims,
                                      double           theta,
                                      EsTsnePool      *pool,
                                      float           *rep,
                                      double          *z,
                                      GError         **error);

/* attr[i] = Σ_j P_ij w_ij (y_i − y_j) for i in [begin, end). */
void       _es_tsne_attraction       (const EsTsneAffinities *p,
                                      const float     *y,
                                      guint            dims,
                                      gsize            begin,
                                      gsize            end,
                                      float           *attr);

/* The points renumbered in map order (es-tsne-order.c), with the buffers
 * for it allocated once: compute the order of @y (along a snake through a
 * 256 × 256 grid over its first two coordinates; _get gives it, and tests
 * may replace it), then apply it to P and to every per-point array.
 */
typedef struct _EsTsneOrder EsTsneOrder;

EsTsneOrder *_es_tsne_order_new     (gsize            n,
                                     gsize            nnz,
                                     GError         **error);
void       _es_tsne_order_free       (EsTsneOrder     *self);
gsize     *_es_tsne_order_get        (EsTsneOrder     *self);
void       _es_tsne_order_compute    (EsTsneOrder     *self,
                                      const float     *y,
                                      guint            dims);
void       _es_tsne_order_permute_affinities (EsTsneOrder      *self,
                                              EsTsneAffinities *p);
void       _es_tsne_order_permute_rows (EsTsneOrder   *self,
                                        float         *x,
                                        guint          width);
void       _es_tsne_order_permute_indices (EsTsneOrder *self,
                                           gsize       *x);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsTsneFft, _es_tsne_fft_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsTsneOrder, _es_tsne_order_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EsTsnePool, _es_tsne_pool_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (EsTsneAffinities, _es_tsne_affinities_clear)

G_END_DECLS
