/* es-sparse-kernels-private.h: the inner loops of sparse × thin dense products
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Inline, so that each user compiles them into its AVX2 and baseline
 * variants (see es-sparse-spmm.c).
 */

#pragma once

#include <glib.h>
#include <string.h>

typedef float  EsV8f __attribute__ ((vector_size (32)));
typedef double EsV4d __attribute__ ((vector_size (32)));

#define ES_ALWAYS_INLINE static inline __attribute__ ((always_inline))

/* Macros, not functions: a vector returned by value changes the ABI
 * between the two compilations.  The double load is element by element:
 * GCC makes one vcvtps2pd of it (and two half-width ones of
 * __builtin_convertvector).
 */
#define LOAD8(p) ({ EsV8f v_; memcpy (&v_, (p), sizeof v_); v_; })
#define LOAD4_AS_DOUBLE(p) ((EsV4d) { (p)[0], (p)[1], (p)[2], (p)[3] })

/* Columns c .. c + 8·nv of row i, float accumulation. */
ES_ALWAYS_INLINE void
chunk_float (const guint32 *columns,
             const float   *values,
             guint64        p0,
             guint64        p1,
             const float   *x,
             gsize          width,
             gsize          c,
             float         *yi,
             const int      nv)
{
  EsV8f acc[4] = { { 0 } };

#pragma GCC unroll 4
  for (int t = 0; t < nv; t++)
    acc[t] = (EsV8f) { 0 };
  for (guint64 p = p0; p < p1; p++)
    {
      const float *xp = x + (gsize) columns[p] * width + c;
      float v = values[p];

#pragma GCC unroll 4
      for (int t = 0; t < nv; t++)
        acc[t] += v * LOAD8 (xp + 8 * t);
    }
#pragma GCC unroll 4
  for (int t = 0; t < nv; t++)
    memcpy (yi + c + 8 * t, &acc[t], sizeof acc[t]);
}

/* The same in double: four doubles per vector.  Even and odd entries
 * go to two sets of sums, added at the end: one set is a chain of
 * dependent FMAs, bound by their latency (4 cycles), not their rate.
 */
ES_ALWAYS_INLINE void
chunk_double (const guint32 *columns,
              const float   *values,
              guint64        p0,
              guint64        p1,
              const float   *x,
              gsize          width,
              gsize          c,
              double        *yi,
              const int      nv)
{
  EsV4d acc[4] = { { 0 } }, odd[4] = { { 0 } };
  guint64 p = p0;

#pragma GCC unroll 4
  for (int t = 0; t < nv; t++)
    acc[t] = odd[t] = (EsV4d) { 0 };
  for (; p + 2 <= p1; p += 2)
    {
      const float *xp = x + (gsize) columns[p] * width + c;
      const float *xq = x + (gsize) columns[p + 1] * width + c;
      double v = values[p], w = values[p + 1];

#pragma GCC unroll 4
      for (int t = 0; t < nv; t++)
        {
          acc[t] += v * LOAD4_AS_DOUBLE (xp + 4 * t);
          odd[t] += w * LOAD4_AS_DOUBLE (xq + 4 * t);
        }
    }
  if (p < p1)
    {
      const float *xp = x + (gsize) columns[p] * width + c;
      double v = values[p];

#pragma GCC unroll 4
      for (int t = 0; t < nv; t++)
        acc[t] += v * LOAD4_AS_DOUBLE (xp + 4 * t);
    }
#pragma GCC unroll 4
  for (int t = 0; t < nv; t++)
    {
      acc[t] += odd[t];
      memcpy (yi + c + 4 * t, &acc[t], sizeof acc[t]);
    }
}

/* Row i of @a times @x into @yi (double), whole vectors then a scalar tail. */
ES_ALWAYS_INLINE void
spmm_row_double (const guint32 *columns,
                 const float   *values,
                 guint64        p0,
                 guint64        p1,
                 const float   *x,
                 gsize          width,
                 double        *yi)
{
  gsize vectors = width / 4, v = 0;

  for (; v + 4 <= vectors; v += 4)
    chunk_double (columns, values, p0, p1, x, width, v * 4, yi, 4);
  switch (vectors - v)
    {
    case 3: chunk_double (columns, values, p0, p1, x, width, v * 4, yi, 3); break;
    case 2: chunk_double (columns, values, p0, p1, x, width, v * 4, yi, 2); break;
    case 1: chunk_double (columns, values, p0, p1, x, width, v * 4, yi, 1); break;
    default: break;
    }
  for (gsize c = vectors * 4; c < width; c++)
    {
      double sum = 0;

      for (guint64 p = p0; p < p1; p++)
        sum += (double) values[p] * x[(gsize) columns[p] * width + c];
      yi[c] = sum;
    }
}
