/* test-blas-settle.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * es_blas_settle(): OpenBLAS's idle pool stops spinning at start, and BLAS
 * still computes (on its threads, started again) afterwards.
 */

#include "config.h"

#include <math.h>
#include <sys/resource.h>

#include <cblas.h>

#include "es-blas.h"

static gboolean settled;
static double cpu_while_idle = -1;

static double
process_cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);

  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static void
test_idle_pool (void)
{
  g_test_summary ("After es_blas_settle() at start, an idle process uses no CPU: the pool's "
                  "threads (which spin ~0.1 s of a core after start) are gone");
  if (openblas_get_num_threads () < 2)
    {
      g_test_skip ("OpenBLAS runs one thread here: no pool");
      return;
    }
  g_assert_true (settled);
  g_test_message ("CPU while idle for 0.3 s after settling: %.3f s", cpu_while_idle);
  g_assert_cmpfloat (cpu_while_idle, <, 0.03);
}

static void
test_blas_after (void)
{
  const int n = 600;
  g_autofree float *a = g_new (float, n * n);
  g_autofree float *c = g_new0 (float, n * n);
  guint32 state = 12345;

  g_test_summary ("BLAS after the pool was ended: a threaded sgemm is right (against sums in "
                  "double), so the pool came back instead of leaving work unclaimed");
  for (int i = 0; i < n * n; i++)
    {
      state = state * 1664525u + 1013904223u;
      a[i] = (float) (state >> 8) / (float) (1u << 24) - 0.5f;
    }
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, n, n, n, 1.0f, a, n, a, n, 0.0f, c, n);
  for (int probe = 0; probe < 50; probe++)
    {
      int i = (probe * 37) % n, j = (probe * 101 + 7) % n;
      double want = 0;

      for (int k = 0; k < n; k++)
        want += (double) a[i * n + k] * a[j * n + k];
      g_assert_cmpfloat (fabs (c[i * n + j] - want), <, 1e-3);
    }
}

int
main (int   argc,
      char *argv[])
{
  double before;

  /* First, as embedscope's main() does; then idle for a while. */
  settled = es_blas_settle ();
  before = process_cpu_seconds ();
  g_usleep (G_USEC_PER_SEC * 3 / 10);
  cpu_while_idle = process_cpu_seconds () - before;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/blas/idle-pool", test_idle_pool);
  g_test_add_func ("/engine/blas/after-settle", test_blas_after);

  return g_test_run ();
}
