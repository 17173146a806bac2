/* es-sparse-spmm.c: sparse × thin dense products in float32
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Y = A X with A in CSR and X, Y row-major (one row of @width values per
 * row of the matrix), the shape the randomized SVD's sketches and NMF's
 * factors have.  A row of Y is built in registers: its columns go in
 * chunks of four vectors, and for each chunk the row's entries are
 * streamed, each adding value × (a contiguous piece of one row of X).  So
 * X is only read, A's row stays in L1 between chunks and no partial sums
 * go through memory.  The loops use GCC vector types, compiled twice
 * (AVX2 + FMA and the baseline) and chosen at run time; float32 sums also
 * have an AVX-512 version (rows_float_avx512) that keeps up to 136
 * columns in registers and streams each row's entries once.
 *
 * Threads: the rows are split where half the entries are done; each row
 * is summed by one thread in entry order, so the result is the same on
 * one thread or two.
 */

#define G_LOG_DOMAIN "es-sparse"

#include "config.h"

#include "es-sparse-private.h"

#include "es-sparse-kernels-private.h"
#include "es-sparse-matrix.h"

#include <string.h>

#define ES_SPMM_ROWS(NAME, OUT, CHUNK, LANES)                                                   \
  static void                                                                                   \
  NAME (const guint64 *offsets,                                                                 \
        const guint32 *columns,                                                                 \
        const float   *values,                                                                  \
        const float   *x,                                                                       \
        gsize          width,                                                                   \
        OUT           *y,                                                                       \
        gsize          from,                                                                    \
        gsize          to)                                                                      \
  {                                                                                             \
    gsize vectors = width / (LANES);                                                            \
                                                                                                \
    for (gsize i = from; i < to; i++)                                                           \
      {                                                                                         \
        guint64 p0 = offsets[i], p1 = offsets[i + 1];                                           \
        OUT *yi = y + i * width;                                                                \
        gsize v = 0;                                                                            \
                                                                                                \
        for (; v + 4 <= vectors; v += 4)                                                        \
          CHUNK (columns, values, p0, p1, x, width, v * (LANES), yi, 4);                        \
        switch (vectors - v)                                                                    \
          {                                                                                     \
          case 3: CHUNK (columns, values, p0, p1, x, width, v * (LANES), yi, 3); break;         \
          case 2: CHUNK (columns, values, p0, p1, x, width, v * (LANES), yi, 2); break;         \
          case 1: CHUNK (columns, values, p0, p1, x, width, v * (LANES), yi, 1); break;         \
          default: break;                                                                       \
          }                                                                                     \
        for (gsize c = vectors * (LANES); c < width; c++)                                       \
          {                                                                                     \
            OUT sum = 0;                                                                        \
                                                                                                \
            for (guint64 p = p0; p < p1; p++)                                                   \
              sum += (OUT) values[p] * x[(gsize) columns[p] * width + c];                       \
            yi[c] = sum;                                                                        \
          }                                                                                     \
      }                                                                                         \
  }

ES_SPMM_ROWS (rows_float, float, chunk_float, 8)
ES_SPMM_ROWS (rows_double, double, chunk_double, 4)

#if defined(__x86_64__) && defined(__GNUC__)
#define HAVE_AVX2_SPMM 1
__attribute__ ((target ("avx2,fma"))) ES_SPMM_ROWS (rows_float_avx2, float, chunk_float, 8)
__attribute__ ((target ("avx2,fma"))) ES_SPMM_ROWS (rows_double_avx2, double, chunk_double, 4)
#endif

#ifdef HAVE_AVX2_SPMM
/* AVX-512: 32 vector registers hold a whole row of Y up to 136 floats
 * (8 vectors of 16 and one of 8), so each row's entries are streamed
 * once, not once per chunk of four AVX2 vectors: the SVD's blocks are
 * 104 wide (6 × 16 + 8).
 */
typedef float EsV16f __attribute__ ((vector_size (64)));

#define LOAD16(p) ({ EsV16f v_; memcpy (&v_, (p), sizeof v_); v_; })

__attribute__ ((target ("avx512f"), always_inline)) static inline void
chunk_float16 (const guint32 *columns,
               const float   *values,
               guint64        p0,
               guint64        p1,
               const float   *x,
               gsize          width,
               gsize          c,
               float         *yi,
               const int      nv,
               const int      half)
{
  EsV16f acc[8];
  EsV8f tail = { 0 };

#pragma GCC unroll 8
  for (int t = 0; t < nv; t++)
    acc[t] = (EsV16f) { 0 };
  for (guint64 p = p0; p < p1; p++)
    {
      const float *xp = x + (gsize) columns[p] * width + c;
      float v = values[p];

#pragma GCC unroll 8
      for (int t = 0; t < nv; t++)
        acc[t] += v * LOAD16 (xp + 16 * t);
      if (half)
        tail += v * LOAD8 (xp + 16 * nv);
    }
#pragma GCC unroll 8
  for (int t = 0; t < nv; t++)
    memcpy (yi + c + 16 * t, &acc[t], sizeof acc[t]);
  if (half)
    memcpy (yi + c + 16 * nv, &tail, sizeof tail);
}

__attribute__ ((target ("avx512f"))) static void
rows_float_avx512 (const guint64 *offsets,
                   const guint32 *columns,
                   const float   *values,
                   const float   *x,
                   gsize          width,
                   float         *y,
                   gsize          from,
                   gsize          to)
{
  gsize vectors = width / 16;

  for (gsize i = from; i < to; i++)
    {
      guint64 p0 = offsets[i], p1 = offsets[i + 1];
      float *yi = y + i * width;
      gsize v = 0, c, rest = width - vectors * 16;

      /* Whole chunks of 8 vectors, then the rest with an 8-float half
       * where it fits: one pass over the row's entries per chunk.
       */
      for (; v + 8 < vectors || (v + 8 == vectors && rest < 8); v += 8)
        chunk_float16 (columns, values, p0, p1, x, width, v * 16, yi, 8, 0);
      c = v * 16;
      if (rest >= 8)
        {
          switch (vectors - v)
            {
            case 8: chunk_float16 (columns, values, p0, p1, x, width, c, yi, 8, 1); break;
            case 7: chunk_float16 (columns, values, p0, p1, x, width, c, yi, 7, 1); break;
            case 6: chunk_float16 (columns, values, p0, p1, x, width, c, yi, 6, 1); break;
            case 5: chunk_float16 (columns, values, p0, p1, x, width, c, yi, 5, 1); break;
            case 4: chunk_float16 (columns, values, p0, p1, x, width, c, yi, 4, 1); break;
            case 3: chunk_float16 (columns, values, p0, p1, x, width, c, yi, 3, 1); break;
            case 2: chunk_float16 (columns, values, p0, p1, x, width, c, yi, 2, 1); break;
            case 1: chunk_float16 (columns, values, p0, p1, x, width, c, yi, 1, 1); break;
            default: chunk_float16 (columns, values, p0, p1, x, width, c, yi, 0, 1); break;
            }
          c = vectors * 16 + 8;
        }
      else
        {
          switch (vectors - v)
            {
            case 8: chunk_float16 (columns, values, p0, p1, x, width, c, yi, 8, 0); break;
            case 7: chunk_float16 (columns, values, p0, p1, x, width, c, yi, 7, 0); break;
            case 6: chunk_float16 (columns, values, p0, p1, x, width, c, yi, 6, 0); break;
            case 5: chunk_float16 (columns, values, p0, p1, x, width, c, yi, 5, 0); break;
            case 4: chunk_float16 (columns, values, p0, p1, x, width, c, yi, 4, 0); break;
            case 3: chunk_float16 (columns, values, p0, p1, x, width, c, yi, 3, 0); break;
            case 2: chunk_float16 (columns, values, p0, p1, x, width, c, yi, 2, 0); break;
            case 1: chunk_float16 (columns, values, p0, p1, x, width, c, yi, 1, 0); break;
            default: break;
            }
          c = vectors * 16;
        }
      for (; c < width; c++)
        {
          float sum = 0;

          for (guint64 p = p0; p < p1; p++)
            sum += values[p] * x[(gsize) columns[p] * width + c];
          yi[c] = sum;
        }
    }
}
#endif

typedef struct
{
  const EsSparseMatrix *a;
  const float          *x;
  gsize                 width;
  float                *y_float;
  double               *y_double;
  gsize                 split;
  gboolean              avx2;
  gboolean              avx512;
} SpmmJob;

static void
spmm_part (guint    index,
           gpointer data)
{
  SpmmJob *job = data;
  const guint64 *offsets = es_sparse_matrix_get_offsets (job->a);
  const guint32 *columns = es_sparse_matrix_get_columns (job->a);
  const float *values = es_sparse_matrix_get_values (job->a);
  gsize from = index == 0 ? 0 : job->split;
  gsize to = index == 0 ? job->split : es_sparse_matrix_get_rows (job->a);

#ifdef HAVE_AVX2_SPMM
  if (job->avx512 && job->y_float != NULL)
    {
      rows_float_avx512 (offsets, columns, values, job->x, job->width, job->y_float, from, to);
      return;
    }
  if (job->avx2)
    {
      if (job->y_float != NULL)
        rows_float_avx2 (offsets, columns, values, job->x, job->width, job->y_float, from, to);
      else
        rows_double_avx2 (offsets, columns, values, job->x, job->width, job->y_double, from, to);
      return;
    }
#endif
  if (job->y_float != NULL)
    rows_float (offsets, columns, values, job->x, job->width, job->y_float, from, to);
  else
    rows_double (offsets, columns, values, job->x, job->width, job->y_double, from, to);
}

gsize
_es_sparse_split_rows (const EsSparseMatrix *a)
{
  const guint64 *offsets = es_sparse_matrix_get_offsets (a);
  guint64 half = es_sparse_matrix_get_nnz (a) / 2;
  gsize lo = 0, hi = es_sparse_matrix_get_rows (a);

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (offsets[mid] < half)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static void
spmm (const EsSparseMatrix *a,
      const float          *x,
      gsize                 width,
      float                *y_float,
      double               *y_double)
{
  SpmmJob job = { a, x, width, y_float, y_double, _es_sparse_split_rows (a), FALSE, FALSE };

#ifdef HAVE_AVX2_SPMM
  job.avx2 = __builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma");
  job.avx512 = job.avx2 && __builtin_cpu_supports ("avx512f");
#endif
  _es_sparse_run_parallel (2, spmm_part, &job);
}

void
_es_sparse_spmm_float (const EsSparseMatrix *a,
                       const float          *x,
                       gsize                 width,
                       float                *y)
{
  spmm (a, x, width, y, NULL);
}

void
_es_sparse_spmm_double (const EsSparseMatrix *a,
                        const float          *x,
                        gsize                 width,
                        double               *y)
{
  spmm (a, x, width, NULL, y);
}
