/* es-bench-fftw.c: FFTW_ESTIMATE's speed per transform length
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The t-SNE repulsion's circular convolution may be padded to any length
 * of at least 2 nn; this times, for each length given, the two kinds of
 * transform it runs with the plans it makes (FFTW_ESTIMATE, batches of 8
 * contiguous complex columns, in place and out of place; real rows, r2c
 * and c2r), best of 5, so that the lengths it picks can be checked on a
 * machine: es-bench-fftw 720 768 1008 1024.
 */

#include "config.h"

#include <fftw3.h>
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH 8

static double
best_of (fftwf_plan a,
         fftwf_plan b,
         int        reps,
         int        per)
{
  double best = INFINITY;

  for (int k = 0; k < 5; k++)
    {
      gint64 t0 = g_get_monotonic_time ();

      for (int i = 0; i < reps; i++)
        {
          fftwf_execute (a);
          if (b != NULL)
            fftwf_execute (b);
        }
      best = MIN (best, (g_get_monotonic_time () - t0) / (double) reps / per);
    }
  return best;
}

int
main (int argc, char **argv)
{
  if (argc < 2)
    {
      fprintf (stderr, "usage: %s LENGTH...\n", argv[0]);
      return 2;
    }
  printf ("length\tcolumn fwd+bwd in place (µs)\tout of place (µs)\trow r2c+c2r (µs)\n");
  for (int a = 1; a < argc; a++)
    {
      int m = atoi (argv[a]), rows = MAX (m * 2 / 5, 1), mc = m / 2 + 1, reps;
      fftwf_complex *c = fftwf_alloc_complex ((gsize) 3 * BATCH * m);
      float *r = fftwf_alloc_real ((gsize) rows * m);
      fftwf_complex *h = fftwf_alloc_complex ((gsize) rows * mc);
      fftwf_iodim len = { m, 1, 1 }, fwd = { rows, m, mc }, bwd = { rows, mc, m };
      fftwf_plan fi, bi, fo, bo, rf, rb;

      if (m < 2 || m % 2 != 0)
        {
          fprintf (stderr, "%s: lengths must be even and at least 2, not %s\n", argv[0], argv[a]);
          return 2;
        }
      fi = fftwf_plan_many_dft (1, &m, BATCH, c, NULL, 1, m, c, NULL, 1, m, FFTW_FORWARD, FFTW_ESTIMATE);
      bi = fftwf_plan_many_dft (1, &m, BATCH, c, NULL, 1, m, c, NULL, 1, m, FFTW_BACKWARD, FFTW_ESTIMATE);
      fo = fftwf_plan_many_dft (1, &m, BATCH, c, NULL, 1, m, c + BATCH * m, NULL, 1, m, FFTW_FORWARD, FFTW_ESTIMATE);
      bo = fftwf_plan_many_dft (1, &m, BATCH, c + BATCH * m, NULL, 1, m, c + 2 * BATCH * m, NULL, 1, m,
                                FFTW_BACKWARD, FFTW_ESTIMATE);
      rf = fftwf_plan_guru_dft_r2c (1, &len, 1, &fwd, r, h, FFTW_ESTIMATE);
      rb = fftwf_plan_guru_dft_c2r (1, &len, 1, &bwd, h, r, FFTW_ESTIMATE);
      for (gsize i = 0; i < (gsize) 3 * BATCH * m; i++)
        c[i][0] = c[i][1] = 1e-3f * (i % 97);
      for (gsize i = 0; i < (gsize) rows * m; i++)
        r[i] = 1e-3f * (i % 89);
      reps = MAX (50000000 / (m * BATCH * 10), 1);
      printf ("%d\t%.3f", m, best_of (fi, bi, reps, BATCH));
      printf ("\t%.3f", best_of (fo, bo, reps, BATCH));
      printf ("\t%.3f\n", best_of (rf, rb, MAX (reps / rows * BATCH, 1), rows));
      fftwf_destroy_plan (fi);
      fftwf_destroy_plan (bi);
      fftwf_destroy_plan (fo);
      fftwf_destroy_plan (bo);
      fftwf_destroy_plan (rf);
      fftwf_destroy_plan (rb);
      fftwf_free (c);
      fftwf_free (r);
      fftwf_free (h);
    }
  return 0;
}
