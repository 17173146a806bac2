/* es-umap-private.h: the stages of es_umap_run(), shared by its files and tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "es-umap.h"

G_BEGIN_DECLS

/* A symmetric sparse matrix in CSR form over n vertices; each row's columns
 * ascend.  Every array comes from es_memory_try_alloc().
 */
typedef struct
{
  gsize    n;
  guint64 *row_ptr;   /* n + 1 */
  gint32  *col;
  float   *val;
} EsUmapGraph;

void     _es_umap_graph_clear       (EsUmapGraph   *graph);

/* Smooth-kNN distances: per row, rho (distance to the nearest neighbour at
 * non-zero distance) and sigma such that sum_j exp (-max (0, d_j - rho) /
 * sigma) = log2 (k + 1) (umap-learn's target with the point itself counted).
 * @indices/@distances: n × k (k neighbours other than the row, ascending
 * distance; ES_KNN_NONE entries and rows are skipped).
 */
void     _es_umap_smooth_knn        (const gint32  *indices,
                                     const float   *distances,
                                     gsize          n,
                                     guint          k,
                                     float         *rho,
                                     float         *sigma);

/* The fuzzy simplicial set: memberships exp (-(d - rho) / sigma), then the
 * union A + Aᵀ − A∘Aᵀ.  Entries below max / n_epochs are dropped when
 * n_epochs > 0 (umap-learn drops them before optimising).  @release
 * (nullable) gets @release_data exactly once, as soon as @indices and
 * @distances are no longer read (before the union, the step that needs
 * the most memory), or on failure.
 */
gboolean _es_umap_fuzzy_graph       (const gint32  *indices,
                                     const float   *distances,
                                     gsize          n,
                                     guint          k,
                                     guint          n_epochs,
                                     GDestroyNotify release,
                                     gpointer       release_data,
                                     EsUmapGraph   *graph,
                                     GError       **error);

/* Connected components: comp[i] in [0, count), numbered by first vertex;
 * 0 when its queue is over the memory ceiling. */
guint    _es_umap_graph_components  (const EsUmapGraph *graph,
                                     guint32           *comp);

/* The @dims eigenvectors of D^-1/2 A D^-1/2 after the trivial one (those of
 * the smallest non-zero eigenvalues of the normalised Laplacian), by Lanczos
 * with full reorthogonalisation and restarts; the tridiagonal problems go to
 * LAPACKE_dsyevr.  @out: n × dims, row-major, unit columns.  FALSE with
 * @error when the graph is empty, disconnected or Lanczos does not
 * converge to @tol.
 */
gboolean _es_spectral_embed         (const EsUmapGraph *graph,
                                     guint              dims,
                                     guint64            seed,
                                     double             tol,
                                     guint              n_threads,
                                     GCancellable      *cancellable,
                                     double            *out,
                                     double            *eigenvalues,
                                     GError           **error);

/* A counter-based hash (splitmix64 finaliser over the mixed words). */
static inline guint64
_es_umap_hash (guint64 seed, guint64 a, guint64 b, guint64 c)
{
  guint64 z = seed ^ (a * 0x9E3779B97F4A7C15ull) ^ (b * 0xC2B2AE3D27D4EB4Full) ^ (c * 0x165667B19E3779F9ull);

  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  z = (z ^ (z >> 29)) * 0xBF58476D1CE4E5B9ull;
  return z ^ (z >> 32);
}

/* A uniform integer in [0, n) from a 64-bit hash: the high half of the
 * 128-bit product (Lemire 2019), not a 64-bit division.
 */
static inline guint64
_es_umap_range (guint64 h, guint64 n)
{
  return (guint64) (((unsigned __int128) h * n) >> 64);
}

/* A standard normal draw from two hashed uniforms (Box-Muller). */
double   _es_umap_normal            (guint64        seed,
                                     guint64        a,
                                     guint64        b);

typedef struct
{
  guint             dims;
  guint             n_epochs;
  double            a, b;
  double            gamma;                 /* repulsion strength, 1 */
  double            negative_sample_rate;
  double            learning_rate;
  guint64           seed;
  guint             n_threads;
  GCancellable     *cancellable;
  EsProgressFunc    progress;              /* fraction of the epochs done */
  gpointer          progress_data;
  /* Called with the compact n × dims coordinates about every 100 ms and
   * after the last epoch.
   */
  void            (*frame) (const float *coords, guint epoch, gpointer data);
  gpointer          frame_data;
} EsUmapSgdParams;

/* Optimises @coords (n × dims, updated in place) over the graph: batch
 * epochs (every vertex's gradient from the positions at the epoch's start,
 * each vertex's sum in a fixed order, applied with Adam), edges sampled by
 * epochs_per_sample, negatives drawn by a hash of (seed, edge, epoch, p).
 */
gboolean _es_umap_optimize          (const EsUmapGraph     *graph,
                                     const EsUmapSgdParams *params,
                                     float                 *coords,
                                     GError               **error);

G_END_DECLS
