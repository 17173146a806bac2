/* test-job.c: progress reports from many threads reach the main loop coalesced
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-job"

#include "config.h"

#include "es-job.h"

#define N_THREADS 4
#define N_UPDATES 5000

static gpointer
report_thread (gpointer data)
{
  EsJob *job = data;

  for (guint i = 1; i <= N_UPDATES; i++)
    es_job_progress_cb ((double) i / N_UPDATES, job);

  return NULL;
}

static void
count_cb (EsJob      *job,
          GParamSpec *pspec,
          guint      *count)
{
  /* Notifies arrive on the main thread only. */
  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  (*count)++;
}

static void
test_job_coalesce (void)
{
  g_autoptr(EsJob) job = es_job_new ("test");
  GThread *threads[N_THREADS];
  guint count = 0;

  g_test_summary ("20000 reports from 4 threads give a handful of notifies on the main "
                  "thread, and the last value wins");

  g_signal_connect (job, "notify::fraction", G_CALLBACK (count_cb), &count);
  g_main_context_acquire (g_main_context_default ());

  for (guint i = 0; i < N_THREADS; i++)
    threads[i] = g_thread_new ("report", report_thread, job);
  for (guint i = 0; i < N_THREADS; i++)
    g_thread_join (threads[i]);

  /* Nothing is emitted from the workers themselves. */
  g_assert_cmpuint (count, ==, 0);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_main_context_release (g_main_context_default ());

  /* All reports happened before the loop ran: exactly one idle. */
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpfloat (es_job_get_fraction (job), ==, 1.0);

  /* Right after a notify, the next one waits for the interval. */
  es_job_update (job, 0.25, "half-way");
  while (count < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (count, ==, 2);
  {
    g_autofree char *message = es_job_dup_message (job);

    g_assert_cmpstr (message, ==, "half-way");
  }
  g_assert_cmpfloat (es_job_get_fraction (job), ==, 0.25);

  g_assert_false (g_cancellable_is_cancelled (es_job_get_cancellable (job)));
  es_job_cancel (job);
  g_assert_true (g_cancellable_is_cancelled (es_job_get_cancellable (job)));
}

static void
test_job_rate (void)
{
  g_autoptr(EsJob) job = es_job_new ("test");
  gint64 start, end;
  guint count = 0;
  guint i = 0;

  g_test_summary ("A report every millisecond for 300 ms reaches the main thread at most "
                  "about 20 times a second");

  g_signal_connect (job, "notify::fraction", G_CALLBACK (count_cb), &count);
  start = g_get_monotonic_time ();
  end = start + 300 * 1000;
  while (g_get_monotonic_time () < end)
    {
      es_job_update (job, (double) ++i / 1000.0, NULL);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (1000);
    }
  g_test_message ("%u reports, %u notifies", i, count);
  /* 300 ms / 50 ms = 6, plus the first and some slack for a slow machine. */
  g_assert_cmpuint (count, >=, 2);
  g_assert_cmpuint (count, <=, 8);
  g_assert_cmpuint (i, >=, 50);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ui/job/coalesce", test_job_coalesce);
  g_test_add_func ("/ui/job/rate", test_job_rate);

  return g_test_run ();
}
