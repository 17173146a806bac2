/* maps-test-util.c: generated data for the map tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "maps-test-util.h"

#include <math.h>

double
maps_test_gaussian (GRand *rand)
{
  double u1 = 1.0 - g_rand_double (rand);
  double u2 = g_rand_double (rand);

  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

float *
maps_test_mixture (gsize   rows,
                   gsize   dims,
                   guint   clusters,
                   guint   intrinsic,
                   double  spread,
                   double  noise,
                   guint32 seed)
{
  GRand *rand = g_rand_new_with_seed (seed);
  double *basis = g_new (double, intrinsic * dims);
  double *centres = g_new (double, clusters * intrinsic);
  double *latent = g_new (double, intrinsic);
  float *data = g_new (float, rows * dims);

  g_assert (intrinsic <= dims);
  for (guint i = 0; i < intrinsic; i++)
    {
      double *b = basis + i * dims, norm = 0.0;

      for (gsize j = 0; j < dims; j++)
        b[j] = maps_test_gaussian (rand);
      for (guint p = 0; p < i; p++)
        {
          double dot = 0.0;

          for (gsize j = 0; j < dims; j++)
            dot += b[j] * basis[p * dims + j];
          for (gsize j = 0; j < dims; j++)
            b[j] -= dot * basis[p * dims + j];
        }
      for (gsize j = 0; j < dims; j++)
        norm += b[j] * b[j];
      for (gsize j = 0; j < dims; j++)
        b[j] /= sqrt (norm);
    }
  for (guint i = 0; i < clusters * intrinsic; i++)
    centres[i] = spread * maps_test_gaussian (rand);

  for (gsize r = 0; r < rows; r++)
    {
      guint c = r % clusters;
      float *v = data + r * dims;

      for (guint p = 0; p < intrinsic; p++)
        latent[p] = centres[c * intrinsic + p] + 0.5 * maps_test_gaussian (rand);
      for (gsize j = 0; j < dims; j++)
        {
          double x = noise * maps_test_gaussian (rand);

          for (guint p = 0; p < intrinsic; p++)
            x += latent[p] * basis[p * dims + j];
          v[j] = (float) x;
        }
    }

  g_free (basis);
  g_free (centres);
  g_free (latent);
  g_rand_free (rand);

  return data;
}

EsEmbeddingSet *
maps_test_set_new (gsize        rows,
                   gsize        dims,
                   const float *data)
{
  char **words = g_new0 (char *, rows + 1);
  EsEmbeddingSet *set;

  for (gsize i = 0; i < rows; i++)
    words[i] = g_strdup_printf ("w%" G_GSIZE_FORMAT, i);
  set = es_embedding_set_new_from_arrays (rows, dims, (const char * const *) words, data);
  g_strfreev (words);

  return set;
}
