/* es-tsne-gradient.c: attraction, the exact repulsion, the fixed parts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The t-SNE gradient (van der Maaten & Hinton 2008, Student-t kernel
 * w_ij = 1 / (1 + |y_i − y_j|²), Z = Σ_{k≠l} w_kl) is
 *   ∂C/∂y_i = 4 [ α Σ_j P_ij w_ij (y_i − y_j) − (1/Z) Σ_j w_ij² (y_i − y_j) ]
 * with α the exaggeration: a sparse attraction over P and a dense
 * repulsion, approximated elsewhere (FFT, Barnes-Hut) and exactly here.
 */

#define G_LOG_DOMAIN "es-tsne"

#include "config.h"

#include "es-tsne-private.h"

#include "es-worker.h"

#include <string.h>

void
_es_tsne_part_range (gsize  n,
                     guint  part,
                     gsize *begin,
                     gsize *end)
{
  *begin = n * part / ES_TSNE_N_PARTS;
  *end = n * (part + 1) / ES_TSNE_N_PARTS;
}

/* The parts are claimed, not assigned: the caller and the pool's threads
 * take the next unclaimed part until none is left, so when a thread is
 * not running (a busy machine), the others do its parts instead of
 * waiting for it to be scheduled at every stage.  A part's work does not
 * depend on who runs it, so neither does the result.
 */
struct _EsTsnePool
{
  guint          n_threads;
  GThread       *threads[ES_TSNE_N_PARTS];
  GMutex         lock;
  GCond          cond;
  EsTsnePartFunc func;
  gpointer       data;
  guint64        generation;        /* work handed out */
  gint           next;              /* the next part to claim (atomic) */
  guint          busy;              /* pool threads claiming this generation's parts */
  gboolean       quit;
};

typedef struct
{
  EsTsnePool *pool;
  guint       part;
} Worker;

static void
claim_parts (EsTsnePool     *pool,
             EsTsnePartFunc  func,
             gpointer        data)
{
  for (;;)
    {
      gint part = g_atomic_int_add (&pool->next, 1);

      if (part >= ES_TSNE_N_PARTS)
        return;
      func ((guint) part, data);
    }
}

/* A stage's parts take from tens of microseconds to milliseconds, and a
 * thread asleep on the condition wakes tens of microseconds late: on the
 * English map each of the five stages a step ended 0.1–0.2 ms after its
 * slower part.  So a thread that has finished its part first watches the
 * counter for the next stage (and the caller for the threads' parts) for
 * SPIN_LIMIT pauses (20–100 µs, by processor) before it sleeps: 0.3–0.9 s
 * less of 9–10 s of optimisation in three idle pairs.
 */
#define SPIN_LIMIT 1000

static inline void
pause_briefly (void)
{
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause ();
#endif
}

static gpointer
worker_thread (gpointer data)
{
  Worker *worker = data;
  EsTsnePool *pool = worker->pool;
  guint64 seen = 0;

  g_free (worker);
  es_worker_enter ();
  for (;;)
    {
      EsTsnePartFunc func;
      gpointer job;

      for (guint spin = 0; spin < SPIN_LIMIT; spin++)
        {
          if (__atomic_load_n (&pool->generation, __ATOMIC_ACQUIRE) != seen ||
              __atomic_load_n (&pool->quit, __ATOMIC_ACQUIRE))
            break;
          pause_briefly ();
        }
      g_mutex_lock (&pool->lock);
      while (!pool->quit && pool->generation == seen)
        g_cond_wait (&pool->cond, &pool->lock);
      if (pool->quit)
        {
          g_mutex_unlock (&pool->lock);
          break;
        }
      /* Registered under the lock: the caller cannot finish this
       * generation (and reset the claims) while we claim.
       */
      seen = pool->generation;
      func = pool->func;
      job = pool->data;
      __atomic_add_fetch (&pool->busy, 1, __ATOMIC_RELAXED);
      g_mutex_unlock (&pool->lock);

      claim_parts (pool, func, job);

      g_mutex_lock (&pool->lock);
      if (__atomic_sub_fetch (&pool->busy, 1, __ATOMIC_RELEASE) == 0)
        g_cond_broadcast (&pool->cond);
      g_mutex_unlock (&pool->lock);
    }
  return NULL;
}

EsTsnePool *
_es_tsne_pool_new (guint n_threads)
{
  EsTsnePool *pool = g_new0 (EsTsnePool, 1);

  pool->n_threads = CLAMP (n_threads, 1, ES_TSNE_N_PARTS);
  g_mutex_init (&pool->lock);
  g_cond_init (&pool->cond);
  for (guint part = 1; part < pool->n_threads; part++)
    {
      Worker *worker = g_new (Worker, 1);

      *worker = (Worker) { pool, part };
      pool->threads[part] = g_thread_new ("es-tsne", worker_thread, worker);
    }
  return pool;
}

void
_es_tsne_pool_free (EsTsnePool *pool)
{
  if (pool == NULL)
    return;
  g_mutex_lock (&pool->lock);
  __atomic_store_n (&pool->quit, TRUE, __ATOMIC_RELEASE);
  g_cond_broadcast (&pool->cond);
  g_mutex_unlock (&pool->lock);
  for (guint part = 1; part < pool->n_threads; part++)
    g_thread_join (pool->threads[part]);
  g_mutex_clear (&pool->lock);
  g_cond_clear (&pool->cond);
  g_free (pool);
}

void
_es_tsne_parallel (EsTsnePool     *pool,
                   EsTsnePartFunc  func,
                   gpointer        data)
{
  if (pool == NULL || pool->n_threads <= 1)
    {
      for (guint part = 0; part < ES_TSNE_N_PARTS; part++)
        func (part, data);
      return;
    }

  g_mutex_lock (&pool->lock);
  /* A thread that woke late registered for the last generation: it finds
   * nothing left to claim, but must be done before the claims are reset.
   */
  while (pool->busy > 0)
    g_cond_wait (&pool->cond, &pool->lock);
  pool->func = func;
  pool->data = data;
  g_atomic_int_set (&pool->next, 0);
  __atomic_store_n (&pool->generation, pool->generation + 1, __ATOMIC_RELEASE);
  g_cond_broadcast (&pool->cond);
  g_mutex_unlock (&pool->lock);

  claim_parts (pool, func, data);

  /* A thread that claimed a part registered first (under the lock, before
   * its claim, which comes before ours that found none left), so busy
   * counts it until its part is done.
   */
  for (guint spin = 0; spin < SPIN_LIMIT && __atomic_load_n (&pool->busy, __ATOMIC_ACQUIRE) > 0; spin++)
    pause_briefly ();
  g_mutex_lock (&pool->lock);
  while (pool->busy > 0)
    g_cond_wait (&pool->cond, &pool->lock);
  g_mutex_unlock (&pool->lock);
}

void
_es_tsne_repulsion_exact (const float *y,
                          gsize        n,
                          guint        dims,
                          double      *rep,
                          double      *z)
{
  double sum = 0;

  for (gsize i = 0; i < n; i++)
    {
      for (guint d = 0; d < dims; d++)
        rep[i * dims + d] = 0;
      for (gsize j = 0; j < n; j++)
        {
          double diff[3], q = 1;

          if (j == i)
            continue;
          for (guint d = 0; d < dims; d++)
            {
              diff[d] = (double) y[i * dims + d] - y[j * dims + d];
              q += diff[d] * diff[d];
            }
          q = 1 / q;
          sum += q;
          for (guint d = 0; d < dims; d++)
            rep[i * dims + d] += q * q * diff[d];
        }
    }
  *z = sum;
}

/* Written per dimension count so the sums stay in registers.  In 2D four
 * entries at a time in SSE-sized vectors (GCC's vector extension, so the
 * same code and the same bits on any x86-64): four divisions per
 * instruction and four independent sums; the lanes are added in a fixed
 * order, so the result depends only on the row.
 */
typedef float EsV4 __attribute__ ((vector_size (16)));
typedef float EsV2 __attribute__ ((vector_size (8)));

/* Four entries of row i from entry e: their offsets y_i − y_j in @d0,
 * @d1 and P_ij w_ij.  Each point's two coordinates in one load, then split.
 */
static inline EsV4
four_pairs (const EsTsneAffinities *p,
            const float            *y,
            gsize                   e,
            float                   yi0,
            float                   yi1,
            EsV4                   *d0,
            EsV4                   *d1)
{
  const gint32 *c = p->cols + e;
  EsV2 p0, p1, p2, p3;
  EsV4 a, b, v;

  memcpy (&p0, y + 2 * (gsize) c[0], sizeof p0);
  memcpy (&p1, y + 2 * (gsize) c[1], sizeof p1);
  memcpy (&p2, y + 2 * (gsize) c[2], sizeof p2);
  memcpy (&p3, y + 2 * (gsize) c[3], sizeof p3);
  a = __builtin_shufflevector (p0, p1, 0, 1, 2, 3);
  b = __builtin_shufflevector (p2, p3, 0, 1, 2, 3);
  *d0 = yi0 - __builtin_shufflevector (a, b, 0, 2, 4, 6);
  *d1 = yi1 - __builtin_shufflevector (a, b, 1, 3, 5, 7);
  memcpy (&v, p->vals + e, sizeof v);
  return v / (1 + *d0 * *d0 + *d1 * *d1);
}

/* The same for entry e alone (a row's last one to three). */
static inline float
one_pair (const EsTsneAffinities *p,
          const float            *y,
          gsize                   e,
          float                   yi0,
          float                   yi1,
          float                  *d0,
          float                  *d1)
{
  gsize j = (gsize) p->cols[e];

  *d0 = yi0 - y[2 * j];
  *d1 = yi1 - y[2 * j + 1];
  return p->vals[e] / (1 + *d0 * *d0 + *d1 * *d1);
}

static void
attraction_2d (const EsTsneAffinities *p,
               const float            *y,
               gsize                   begin,
               gsize                   end,
               float                  *attr)
{
  for (gsize i = begin; i < end; i++)
    {
      float yi0 = y[2 * i], yi1 = y[2 * i + 1], a0, a1;
      EsV4 s0 = { 0, 0, 0, 0 }, s1 = { 0, 0, 0, 0 };
      gsize e = p->row_ptr[i], stop = p->row_ptr[i + 1];

      for (; e + 4 <= stop; e += 4)
        {
          EsV4 d0, d1, q = four_pairs (p, y, e, yi0, yi1, &d0, &d1);

          s0 += q * d0;
          s1 += q * d1;
        }
      a0 = (s0[0] + s0[1]) + (s0[2] + s0[3]);
      a1 = (s1[0] + s1[1]) + (s1[2] + s1[3]);
      for (; e < stop; e++)
        {
          float d0, d1, q = one_pair (p, y, e, yi0, yi1, &d0, &d1);

          a0 += q * d0;
          a1 += q * d1;
        }
      attr[2 * i] = a0;
      attr[2 * i + 1] = a1;
    }
}

static void
attraction_3d (const EsTsneAffinities *p,
               const float            *y,
               gsize                   begin,
               gsize                   end,
               float                  *attr)
{
  for (gsize i = begin; i < end; i++)
    {
      float yi0 = y[3 * i], yi1 = y[3 * i + 1], yi2 = y[3 * i + 2], a0 = 0, a1 = 0, a2 = 0;

      for (gsize e = p->row_ptr[i]; e < p->row_ptr[i + 1]; e++)
        {
          gsize j = (gsize) p->cols[e];
          float d0 = yi0 - y[3 * j], d1 = yi1 - y[3 * j + 1], d2 = yi2 - y[3 * j + 2];
          float q = p->vals[e] / (1 + d0 * d0 + d1 * d1 + d2 * d2);

          a0 += q * d0;
          a1 += q * d1;
          a2 += q * d2;
        }
      attr[3 * i] = a0;
      attr[3 * i + 1] = a1;
      attr[3 * i + 2] = a2;
    }
}

void
_es_tsne_attraction (const EsTsneAffinities *p,
                     const float            *y,
                     guint                   dims,
                     gsize                   begin,
                     gsize                   end,
                     float                  *attr)
{
  g_return_if_fail (dims == 2 || dims == 3);

  if (dims == 2)
    attraction_2d (p, y, begin, end, attr);
  else
    attraction_3d (p, y, begin, end, attr);
}
