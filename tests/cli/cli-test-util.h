/* cli-test-util.h: running the embedscope binary from the cli tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  int   status;   /* exit status */
  char *out;
  char *err;
} RunResult;

void run_result_clear     (RunResult  *result);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RunResult, run_result_clear)

/* Runs $ES_CLI with the NULL-terminated arguments, in @working_dir (NULL:
 * the current one); asserts it exited (a signal is a failure) and keeps
 * its exit status and output.  @result is cleared first.
 */
void cli_test_run_in      (RunResult  *result,
                           const char *working_dir,
                           const char *first,
                           ...) G_GNUC_NULL_TERMINATED;
#define cli_test_run(result, ...) cli_test_run_in ((result), NULL, __VA_ARGS__)

/* A temporary folder of the test and the files in it. */
void cli_test_remove_dir  (const char *dir);

G_END_DECLS
