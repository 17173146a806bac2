/* es-knn-exact-sym.c: the exact kNN graph from half the score matrix
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * When every row of the matrix is a point, in order, the score matrix
 * X Xᵀ is symmetric: the points are cut into square blocks, each pair of
 * blocks I < J gets one sgemm tile, scanned by rows for I's points and by
 * columns for J's; a diagonal tile is scanned by rows only.  Half the
 * multiply-adds, and half the packing, of the blocked brute force in
 * es-knn-exact.c.
 *
 * Every point keeps a buffer of candidates for the whole search and a
 * threshold: the kk-th smallest (key, point) at its last selection, kk =
 * k + SLACK.  A candidate below the threshold is appended; a full buffer
 * keeps its kk smallest (a quickselect on (key, point) packed in one
 * integer) and takes the new threshold.  One compare per candidate, an
 * append per accepted one and a selection per cap − kk accepted ones:
 * cheaper than a bounded max-heap's sift per accepted candidate (~1000
 * of a 30k file's 30000 candidates per point are accepted; the search's
 * CPU time fell by 40 %).  The thresholds' keys sit in one array, so the
 * column scan compares eight scores with eight thresholds at once.
 *
 * A tile writes the buffers of two blocks.  Blocks are grouped in runs of
 * GROUP_POINTS points, and all the tiles between two groups run together
 * (a schedule by single blocks spent half its time fetching heaps); the
 * pairs of groups run in the rounds of a round-robin tournament (the
 * circle method): in a round no group is in two pairs, the threads split
 * the round's pairs, and all wait for each other between rounds.  A
 * buffer ends with the kk smallest (score, point) pairs it was offered,
 * whatever the order (the threshold only drops pairs that cannot be
 * among them), and every pair's score comes from its one tile, so the
 * candidates do not depend on the thread count; they are then rescored
 * with the direct distance and sorted by (distance, point), as on the
 * other paths.  The buffers take 2 kk × 8 bytes per point (170 MB at
 * 100k points and k = 90; the heaps took half that).
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

#define SLACK       16
#define TILE_MADDS  262144   /* see es-knn-exact.c: OpenBLAS runs these on the calling thread */
#define SCAN_WIDTH  8
#define GROUP_POINTS 768     /* see group_pair () */


typedef struct
{
  GMutex        lock;
  GCond         cond;
  guint         n_threads;
  guint         waiting;
  guint64       generation;
  gboolean      stop;          /* cancelled: every thread leaves at the next round */
  GCancellable *cancellable;
} SymShared;

typedef struct
{
  const EsKnnPoints *P;
  SymShared         *shared;
  guint              t;
  guint              k, kk;
  gsize              block, n_blocks;
  gsize              group;    /* blocks per super-block */
  const float       *factor;   /* per point: the score's factor (cosine) or offset */
  guint              cap;      /* candidates a point's buffer holds */
  guint64           *buf;      /* n × cap codes, see pair_code () */
  guint32           *count;    /* n: candidates in each buffer */
  float             *root;     /* n: the threshold's key: kk-th smallest at the last selection */
  guint64           *root_code; /* n: its code */
  float             *scores;   /* block × block */
  EsKnnKeyId        *cand;     /* kk */
  gint32            *out_id;
  float             *out_key;
  EsProgressFunc     progress;
  gpointer           progress_data;
} SymPart;

/* Waits for every thread; TRUE when all go on. */
static gboolean
barrier (SymShared *s,
         gboolean   cancelled)
{
  gboolean stop;

  g_mutex_lock (&s->lock);
  s->stop = s->stop || cancelled;
  if (++s->waiting == s->n_threads)
    {
      s->waiting = 0;
      s->generation++;
      g_cond_broadcast (&s->cond);
    }
  else
    {
      guint64 gen = s->generation;

      while (gen == s->generation)
        g_cond_wait (&s->cond, &s->lock);
    }
  stop = s->stop;
  g_mutex_unlock (&s->lock);
  return !stop;
}

/* (key, point) as one integer in the same total order as
 * _es_knn_pair_less (): the key's bits made monotone (−0 taken as +0,
 * which compares equal to it), then the point as unsigned.  Keys here are
 * never NaN: NaN fails the threshold's compare.
 */
static inline guint64
pair_code (float  key,
           gint32 id)
{
  guint32 u;

  key += 0.0f;
  memcpy (&u, &key, sizeof u);
  u ^= (u >> 31) ? 0xFFFFFFFFu : 0x80000000u;
  return ((guint64) u << 32) | (guint32) id;
}

static inline float
code_key (guint64 code)
{
  guint32 u = (guint32) (code >> 32);
  float key;

  u ^= (u >> 31) ? 0x80000000u : 0xFFFFFFFFu;
  memcpy (&key, &u, sizeof key);
  return key;
}

/* Moves the m smallest of b[0, n) to the front, the m-th at b[m − 1]:
 * quickselect, partitioning without branches on the data (the compares
 * are coin flips a predictor keeps missing); a run that partitions badly
 * too often is sorted instead, O(n²) at worst for these short lists.
 */
static void
select_codes (guint64 *b,
              guint    n,
              guint    m)
{
  guint lo = 0, hi = n, target = m - 1, rounds = 0;

  while (hi - lo > 16 && rounds++ < 48)
    {
      guint mid = lo + (hi - lo) / 2, last = hi - 1, j = lo;
      guint64 x = b[lo], y = b[mid], z = b[last], pivot;

      /* The median of three to the end. */
      pivot = MAX (MIN (x, y), MIN (MAX (x, y), z));
      if (pivot == x)
        b[lo] = z;
      else if (pivot == y)
        b[mid] = z;
      b[last] = pivot;
      for (guint i = lo; i < last; i++)
        {
          guint64 t = b[i];

          b[i] = b[j];
          b[j] = t;
          j += t < pivot;
        }
      b[last] = b[j];
      b[j] = pivot;
      if (j == target)
        return;
      if (j > target)
        hi = j;
      else
        lo = j + 1;
    }
  for (guint i = lo + 1; i < hi; i++)
    {
      guint64 t = b[i];
      guint j = i;

      for (; j > lo && b[j - 1] > t; j--)
        b[j] = b[j - 1];
      b[j] = t;
    }
}

static inline __attribute__ ((always_inline)) void
offer (SymPart *part,
       gsize    q,
       float    v,
       gint32   c)
{
  guint64 code = pair_code (v, c), *b;
  guint m;

  if (!(v <= part->root[q] && code < part->root_code[q]))
    return;
  b = part->buf + q * part->cap;
  m = part->count[q];
  b[m] = code;
  if (++m == part->cap)
    {
      /* Full: keep the kk smallest; the kk-th is the new threshold. */
      select_codes (b, m, part->kk);
      m = part->kk;
      part->root_code[q] = b[m - 1];
      part->root[q] = code_key (b[m - 1]);
    }
  part->count[q] = m;
}

static inline float
score_key (gboolean dot,
           float    s,
           float    f)
{
  /* Cosine: −x·y/|y| ranks as 1 − cos (|x| is the owner's). */
  return dot ? -s * f : f - 2.0f * s;
}

/* Blocks bi ≤ bj: one sgemm, then bi's buffers by rows and (bi < bj) bj's by columns. */
static void
tile (SymPart *part,
      gsize    bi,
      gsize    bj)
{
  const EsKnnPoints *P = part->P;
  gsize n = P->n, d = P->d, B = part->block;
  gsize i0 = bi * B, j0 = bj * B, ni = MIN (B, n - i0), nj = MIN (B, n - j0);
  gboolean dot = P->kind == ES_KNN_DIST_DOT;
  const float *f = part->factor;

  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, ni, nj, d,
               1.0f, P->x + i0 * P->ld, P->ld, P->x + j0 * P->ld, P->ld,
               0.0f, part->scores, nj);

  /* Rows: point i0 + ii against J's points, eight scores to its root. */
  for (gsize ii = 0; ii < ni; ii++)
    {
      const float *sc = part->scores + ii * nj;
      gsize q = i0 + ii;

      for (gsize c0 = 0; c0 < nj; c0 += SCAN_WIDTH)
        {
          guint width = (guint) MIN (SCAN_WIDTH, nj - c0), mask;
          float v[SCAN_WIDTH];

          if (width == SCAN_WIDTH)
            {
              EsKnnV4 f0, f1, r = (EsKnnV4) { 0 } + part->root[q];

              memcpy (&f0, f + j0 + c0, sizeof f0);
              memcpy (&f1, f + j0 + c0 + 4, sizeof f1);
              if (!(mask = _es_knn_keys8 (dot, sc + c0, f0, f1, r, r, v)))
                continue;
            }
          else
            {
              mask = (1u << width) - 1;
              for (guint l = 0; l < width; l++)
                v[l] = score_key (dot, sc[c0 + l], f[j0 + c0 + l]);
            }

          /* Only the lanes that passed (the threshold may drop meanwhile). */
          for (; mask != 0; mask &= mask - 1)
            {
              guint l = (guint) __builtin_ctz (mask);

              if (j0 + c0 + l != q)
                offer (part, q, v[l], (gint32) (j0 + c0 + l));
            }
        }
    }
  if (bi == bj)
    return;

  /* Columns: J's points against point i0 + ii, eight scores to eight roots. */
  for (gsize ii = 0; ii < ni; ii++)
    {
      const float *sc = part->scores + ii * nj;
      gsize q = i0 + ii;
      float fq = f[q];

      for (gsize c0 = 0; c0 < nj; c0 += SCAN_WIDTH)
        {
          guint width = (guint) MIN (SCAN_WIDTH, nj - c0), mask;
          float v[SCAN_WIDTH];

          if (width == SCAN_WIDTH)
            {
              EsKnnV4 r0, r1, fv = (EsKnnV4) { 0 } + fq;

              memcpy (&r0, part->root + j0 + c0, sizeof r0);
              memcpy (&r1, part->root + j0 + c0 + 4, sizeof r1);
              if (!(mask = _es_knn_keys8 (dot, sc + c0, fv, fv, r0, r1, v)))
                continue;
            }
          else
            {
              mask = (1u << width) - 1;
              for (guint l = 0; l < width; l++)
                v[l] = score_key (dot, sc[c0 + l], fq);
            }

          /* Eight points, each root unchanged by the others' offers. */
          for (; mask != 0; mask &= mask - 1)
            {
              guint l = (guint) __builtin_ctz (mask);

              offer (part, j0 + c0 + l, v[l], (gint32) q);
            }
        }
    }
}

/* Every tile between super-blocks sa ≤ sb (runs of GROUP_POINTS points).
 * With heaps, 192 points kept two super-blocks' heaps in cache; the
 * buffers touch a line per accepted candidate, and longer runs (fewer
 * rounds, each block's rows reused over more tiles) took less CPU time:
 * es-bench-knn -k 90 --exact-only -t 2, CPU seconds at load 6–7, 192 →
 * 768 points: 4.15 → 3.55–3.71 at 30k × 100, 28.7 → 23.4 at 100k × 100.
 */
static gsize
n_groups (const SymPart *part)
{
  return (part->n_blocks + part->group - 1) / part->group;
}

/* Super-block g's first block: the blocks are dealt evenly (30k points in
 * blocks of 48: 40 runs of 15 or 16 blocks, not 39 of 16 and one of 1,
 * which left one thread a tiny pair in every round).
 */
static gsize
group_start (const SymPart *part,
             gsize          g)
{
  return g * part->n_blocks / n_groups (part);
}

static void
group_pair (SymPart *part,
            gsize    sa,
            gsize    sb)
{
  gsize a_end = group_start (part, sa + 1), b_end = group_start (part, sb + 1);

  for (gsize a = group_start (part, sa); a < a_end; a++)
    for (gsize b = sa == sb ? a : group_start (part, sb); b < b_end; b++)
      tile (part, a, b);
}

static gpointer
sym_part_run (gpointer data)
{
  SymPart *part = data;
  SymShared *s = part->shared;
  gsize n = part->P->n, ng = n_groups (part), nt = s->n_threads;
  gsize np = ng + (ng & 1);   /* with a dummy super-block when odd */
  gsize lo, hi;

  es_worker_enter ();

  /* Within each super-block, then between them in the tournament's rounds. */
  for (gsize g = part->t; g < ng; g += nt)
    group_pair (part, g, g);
  if (!barrier (s, g_cancellable_is_cancelled (s->cancellable)))
    return NULL;
  for (gsize r = 0; r + 1 < np; r++)
    {
      for (gsize p = part->t; p < np / 2; p += nt)
        {
          gsize a = p == 0 ? np - 1 : (r + p) % (np - 1);
          gsize b = p == 0 ? r : (r + np - 1 - p) % (np - 1);

          if (a < ng && b < ng)
            group_pair (part, MIN (a, b), MAX (a, b));
        }
      if (part->progress != NULL)
        part->progress ((double) (r + 1) / np, part->progress_data);
      if (!barrier (s, g_cancellable_is_cancelled (s->cancellable)))
        return NULL;
    }

  /* The kk smallest candidates, rescored with the direct distance; keep k. */
  lo = n * part->t / nt;
  hi = n * (part->t + 1) / nt;
  for (gsize q = lo; q < hi; q++)
    {
      guint64 *b = part->buf + q * part->cap;
      guint m = part->count[q];

      /* Fewer than kk only if some keys were NaN (refused), as the heaps
       * kept empty slots then.
       */
      if (m > part->kk)
        {
          select_codes (b, m, part->kk);
          m = part->kk;
        }
      for (guint j = 0; j < m; j++)
        {
          gint32 c = (gint32) (guint32) b[j];

          part->cand[j].key = _es_knn_pair_distance (part->P, q, c);
          part->cand[j].id = c;
        }
      _es_knn_sort_key_id (part->cand, m);
      g_assert (m >= part->k);
      for (guint j = 0; j < part->k; j++)
        {
          part->out_id[q * part->k + j] = part->cand[j].id;
          part->out_key[q * part->k + j] = part->cand[j].key;
        }
    }
  return NULL;
}

gboolean
_es_knn_exact_symmetric_applies (const EsKnnPoints *P)
{
  if (P->n != P->rows || P->n < 2)
    return FALSE;
  for (gsize p = 0; p < P->n; p++)
    if ((gsize) P->row[p] != p)
      return FALSE;
  return TRUE;
}

gboolean
_es_knn_exact_symmetric (const EsKnnPoints *P,
                         guint              k,
                         guint              n_threads,
                         gint32            *out_id,
                         float             *out_key,
                         GCancellable      *cancellable,
                         EsProgressFunc     progress,
                         gpointer           progress_data,
                         GError           **error)
{
  SymPart parts[ES_KNN_MAX_THREADS];
  SymShared shared = { 0 };
  gsize n = P->n, kk = MIN ((gsize) k + SLACK, n - 1), cap = kk + kk, block;
  g_autofree float *factor = NULL, *root = NULL, *scores = NULL;
  g_autofree guint64 *root_code = NULL, *buf = NULL;
  g_autofree guint32 *count = NULL;
  g_autofree EsKnnKeyId *cand = NULL;
  gboolean ok;

  g_return_val_if_fail (_es_knn_exact_symmetric_applies (P), FALSE);

  /* Square tiles of at most TILE_MADDS, a multiple of 8 points wide. */
  block = (gsize) sqrt ((double) TILE_MADDS / MAX (P->d, 1)) / SCAN_WIDTH * SCAN_WIDTH;
  block = CLAMP (block, SCAN_WIDTH, 256);
  n_threads = CLAMP (n_threads, 1, ES_KNN_MAX_THREADS);

  if (!(factor = es_memory_try_alloc (n + SCAN_WIDTH, sizeof (float), "the kNN search", error)) ||
      !(root = es_memory_try_alloc (n + SCAN_WIDTH, sizeof (float), "the kNN search", error)) ||
      !(root_code = es_memory_try_alloc (n, sizeof (guint64), "the kNN search", error)) ||
      !(count = es_memory_try_alloc (n, sizeof (guint32), "the kNN search", error)) ||
      !(buf = es_memory_try_alloc (n, cap * sizeof (guint64), "the kNN search", error)) ||
      !(scores = es_memory_try_alloc (n_threads, (block * block + SCAN_WIDTH) * sizeof (float), "the kNN search", error)) ||
      !(cand = es_memory_try_alloc (n_threads, kk * sizeof (EsKnnKeyId), "the kNN search", error)))
    return FALSE;
  for (gsize p = 0; p < n + SCAN_WIDTH; p++)
    {
      factor[p] = p < n ? (P->kind == ES_KNN_DIST_DOT ? P->scale[p] : P->norm2[p]) : 0;
      root[p] = INFINITY;
      if (p < n)
        {
          root_code[p] = G_MAXUINT64;   /* (+inf, -1): above every (key, point) */
          count[p] = 0;
        }
    }

  g_mutex_init (&shared.lock);
  g_cond_init (&shared.cond);
  shared.n_threads = n_threads;
  shared.cancellable = cancellable;
  memset (parts, 0, sizeof parts);
  for (guint t = 0; t < n_threads; t++)
    parts[t] = (SymPart) {
      .P = P, .shared = &shared, .t = t, .k = k, .kk = (guint) kk,
      .block = block, .n_blocks = (n + block - 1) / block, .group = MAX (GROUP_POINTS / block, 1),
      .factor = factor, .cap = (guint) cap, .buf = buf, .count = count,
      .root = root, .root_code = root_code,
      .scores = scores + t * (block * block + SCAN_WIDTH), .cand = cand + t * kk,
      .out_id = out_id, .out_key = out_key,
      .progress = t == 0 ? progress : NULL, .progress_data = progress_data,
    };

  _es_knn_run_parts (sym_part_run, parts, sizeof parts[0], n_threads);

  ok = !shared.stop;
  g_mutex_clear (&shared.lock);
  g_cond_clear (&shared.cond);
  if (!ok)
    g_cancellable_set_error_if_cancelled (cancellable, error);
  return ok;
}
