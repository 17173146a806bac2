/* ui-test-util.h: what the window tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define UI_TEST_TIMEOUT_S 60

typedef gboolean (*Condition) (gpointer data);

/* Spins the main loop until @condition holds; fails after a minute. */
void ui_test_wait_for    (Condition   condition,
                          gpointer    data);
/* A temporary folder and everything in it. */
void ui_test_remove_tree (const char *path);

G_END_DECLS
