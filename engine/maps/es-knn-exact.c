/* es-knn-exact.c: the kNN graph by blocked brute force
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Exact path.  Blocked brute force: a block of query points (gathered)
 * against a block of the matrix's rows (in place; invalid and zero rows
 * skipped) through one sgemm; for cosine the score is −x·y/|y|, for
 * euclidean ||y||² − 2x·y (|x| and ||x||² are constant per query).  A bounded max-heap
 * per query keeps k + SLACK candidates; these are rescored with the direct
 * pair distance (the same function the approximate path uses, summed in a
 * fixed order) and sorted by (distance, row), so the result does not depend
 * on BLAS rounding, blocking or thread count.  Threads own fixed ranges of
 * query points.
 *
 * Tiles hold at most TILE_MADDS multiply-adds: OpenBLAS runs a product
 * that small on the calling thread (its default GEMM_MULTITHREAD_THRESHOLD,
 * 4 × 65536), so the search threads don't queue for its one pool (they
 * did: on 2 cores, a sixth of the CPU time went to its sched_yield).
 * The scores are scanned eight at a time against the heap's largest key,
 * with the per-column factor in a row-indexed array (NaN for skipped rows,
 * which compares false), so only the few that can enter the heap are
 * looked at one by one.
 */

#define G_LOG_DOMAIN "es-knn-graph"

#include "config.h"

#include "es-knn-graph-private.h"

#include "es-engine-error.h"
#include "es-memory.h"
#include "es-worker.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

#define SLACK           16
#define QUERY_BLOCK     32
#define TILE_MADDS      262144
#define COLUMN_BLOCK    2048
#define SCAN_WIDTH      8

/* ---- exact path ------------------------------------------------------- */

typedef struct
{
  const EsKnnPoints *P;
  guint              k;        /* min (k, n − 1) */
  guint              kk;       /* candidates kept: min (k + SLACK, n − 1) */
  gsize              lo, hi;   /* query points */
  gsize              nc_max;   /* columns per tile */
  const float       *factor;   /* per row of x: the score's factor or offset, NaN if skipped */
  gint32            *out_id;   /* n × k, point indices */
  float             *out_key;  /* n × k, internal distances */
  GCancellable      *cancellable;
  EsProgressFunc     progress;
  gpointer           progress_data;
  gboolean           failed;
  GError            *error;
} ExactPart;

static gpointer
exact_part_run (gpointer data)
{
  ExactPart *part = data;
  const EsKnnPoints *P = part->P;
  gsize rows = P->rows, d = P->d;
  guint kk = part->kk;
  gboolean dot = P->kind == ES_KNN_DIST_DOT;
  g_autofree float *queries = NULL;
  g_autofree float *scores = NULL;
  g_autofree float *hkey = NULL;
  g_autofree gint32 *hid = NULL;
  g_autofree EsKnnKeyId *cand = NULL;

  es_worker_enter ();

  queries = g_try_new (float, (gsize) QUERY_BLOCK * MAX (d, 1));
  scores = g_try_new (float, (gsize) QUERY_BLOCK * part->nc_max + SCAN_WIDTH);
  hkey = g_try_new (float, (gsize) QUERY_BLOCK * kk);
  hid = g_try_new (gint32, (gsize) QUERY_BLOCK * kk);
  cand = g_try_new (EsKnnKeyId, kk);
  if (queries == NULL || scores == NULL || hkey == NULL || hid == NULL || cand == NULL)
    {
      g_set_error (&part->error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                   "cannot allocate the kNN search buffers");
      part->failed = TRUE;
      return NULL;
    }

  for (gsize q0 = part->lo; q0 < part->hi; q0 += QUERY_BLOCK)
    {
      gsize nq = MIN (QUERY_BLOCK, part->hi - q0);

      if (g_cancellable_is_cancelled (part->cancellable))
        {
          part->failed = TRUE;
          return NULL;
        }
      if (part->progress != NULL)
        part->progress ((double) (q0 - part->lo) / (part->hi - part->lo), part->progress_data);

      for (gsize i = 0; i < nq * kk; i++)
        {
          hkey[i] = INFINITY;
          hid[i] = -1;
        }

      /* The queries gathered (a block of points need not be a block of
       * rows); the columns are the matrix's rows in place, the invalid
       * and zero ones skipped.
       */
      for (gsize qi = 0; qi < nq; qi++)
        memcpy (queries + qi * d, _es_knn_point (P, q0 + qi), d * sizeof (float));

      for (gsize c0 = 0; c0 < rows; c0 += part->nc_max)
        {
          gsize nc = MIN (part->nc_max, rows - c0);

          cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans,
                       nq, nc, d,
                       1.0f, queries, d,
                       P->x + c0 * P->ld, P->ld,
                       0.0f, scores, nc);

          for (gsize qi = 0; qi < nq; qi++)
            {
              const float *sc = scores + qi * nc;
              const float *f = part->factor + c0;
              float *key = hkey + qi * kk;
              gint32 *id = hid + qi * kk;
              gsize q = q0 + qi;

              for (gsize cj0 = 0; cj0 < nc; cj0 += SCAN_WIDTH)
                {
                  guint width = (guint) MIN (SCAN_WIDTH, nc - cj0), mask;
                  float v[SCAN_WIDTH];

                  if (width == SCAN_WIDTH)
                    {
                      EsKnnV4 f0, f1;

                      memcpy (&f0, f + cj0, sizeof f0);
                      memcpy (&f1, f + cj0 + 4, sizeof f1);
                      /* Cosine: −x·y/|y| ranks as 1 − cos (|x| is the query's). */
                      if (!(mask = _es_knn_keys8 (dot, sc + cj0, f0, f1, (EsKnnV4) { 0 } + key[0],
                                                  (EsKnnV4) { 0 } + key[0], v)))
                        continue;
                    }
                  else
                    {
                      mask = (1u << width) - 1;
                      for (guint l = 0; l < width; l++)
                        v[l] = dot ? -sc[cj0 + l] * f[cj0 + l] : f[cj0 + l] - 2.0f * sc[cj0 + l];
                    }

                  /* Only the lanes that passed (the root only drops meanwhile). */
                  for (; mask != 0; mask &= mask - 1)
                    {
                      guint l = (guint) __builtin_ctz (mask);
                      gint32 c = P->point[c0 + cj0 + l];

                      if (c < 0 || (gsize) c == q || !_es_knn_pair_less (v[l], c, key[0], id[0]))
                        continue;
                      key[0] = v[l];
                      id[0] = c;
                      _es_knn_heap_sift_down (key, id, NULL, kk, 0);
                    }
                }
            }
        }

      /* Rescore the candidates with the direct distance; keep k. */
      for (gsize qi = 0; qi < nq; qi++)
        {
          gsize q = q0 + qi;
          guint m = 0;

          for (guint j = 0; j < kk; j++)
            {
              gint32 c = hid[qi * kk + j];

              if (c < 0)
                continue;
              cand[m].key = _es_knn_pair_distance (P, q, c);
              cand[m].id = c;
              m++;
            }
          _es_knn_sort_key_id (cand, m);
          g_assert (m >= part->k);
          for (guint j = 0; j < part->k; j++)
            {
              part->out_id[q * part->k + j] = cand[j].id;
              part->out_key[q * part->k + j] = cand[j].key;
            }
        }
    }

  return NULL;
}

gboolean
_es_knn_exact (const EsKnnPoints *P,
               guint              k,
               guint              n_threads,
               gint32            *out_id,
               float             *out_key,
               GCancellable      *cancellable,
               EsProgressFunc     progress,
               gpointer           progress_data,
               GError           **error)
{
  ExactPart parts[ES_KNN_MAX_THREADS];
  gsize n = P->n, nc_max;
  gboolean ok = TRUE;
  g_autofree float *factor = NULL;

  if (n < 2 || k == 0)
    return TRUE;
  if (_es_knn_exact_symmetric_applies (P))
    return _es_knn_exact_symmetric (P, k, n_threads, out_id, out_key, cancellable,
                                    progress, progress_data, error);

  if (!(factor = es_memory_try_alloc (P->rows + SCAN_WIDTH, sizeof (float), "the kNN search", error)))
    return FALSE;
  for (gsize r = 0; r < P->rows + SCAN_WIDTH; r++)
    {
      gint32 c = r < P->rows ? P->point[r] : -1;

      factor[r] = c < 0 ? NAN : P->kind == ES_KNN_DIST_DOT ? P->scale[c] : P->norm2[c];
    }
  nc_max = CLAMP (TILE_MADDS / (QUERY_BLOCK * MAX (P->d, 1)), 8, COLUMN_BLOCK);

  n_threads = (guint) MIN ((gsize) n_threads, MAX (n / QUERY_BLOCK, 1));
  memset (parts, 0, sizeof parts);
  for (guint t = 0; t < n_threads; t++)
    {
      parts[t].P = P;
      parts[t].k = k;
      parts[t].kk = (guint) MIN ((gsize) k + SLACK, n - 1);
      parts[t].nc_max = nc_max;
      parts[t].factor = factor;
      parts[t].lo = n * t / n_threads;
      parts[t].hi = n * (t + 1) / n_threads;
      parts[t].out_id = out_id;
      parts[t].out_key = out_key;
      parts[t].cancellable = cancellable;
    }
  parts[0].progress = progress;
  parts[0].progress_data = progress_data;

  _es_knn_run_parts (exact_part_run, parts, sizeof parts[0], n_threads);

  for (guint t = 0; t < n_threads; t++)
    {
      if (parts[t].error != NULL && ok)
        {
          g_propagate_error (error, parts[t].error);
          parts[t].error = NULL;
          ok = FALSE;
        }
      g_clear_error (&parts[t].error);
      if (parts[t].failed)
        ok = FALSE;
    }
  if (!ok && (error == NULL || *error == NULL))
    g_cancellable_set_error_if_cancelled (cancellable, error);

  return ok;
}
