/* ui-test-util.h: what the window tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define UI_TEST_TIMEOUT_S 60

typedef gboolean (*Condition) (gpointer data);

/* Spins the main loop until @condition holds; fails after a minute. */
void       ui_test_wait_for        (Condition   condition,
                                    gpointer    data);
/* A temporary folder and everything in it. */
void       ui_test_remove_tree     (const char *path);

/* A test's main: settings and recent files go to a private home
 * (@name-XXXXXX in the temporary folder, returned: remove it with
 * ui_test_remove_tree after g_test_run), then g_test_init and
 * gtk_init_check; with a display, animations off.  FALSE in
 * *@has_display: register ui_test_add_no_display () instead of the tests.
 */
char      *ui_test_init            (int         *argc,
                                    char      ***argv,
                                    const char  *name,
                                    gboolean    *has_display);
/* One test at @path that skips for want of a display (and fails when
 * ES_REQUIRE_DISPLAY is set, as CI sets it).
 */
void       ui_test_add_no_display  (const char  *path);

/* The descendant of @widget (itself included) named @name, or NULL. */
GtkWidget *ui_test_find_named      (GtkWidget   *widget,
                                    const char  *name);
/* A visible toplevel other than @except (a dialog it opened), or NULL. */
GtkWidget *ui_test_other_toplevel  (GtkWidget   *except);
/* Destroys @window and waits (up to 20 s: worker callbacks hold
 * references until they have run, slowly under ASan) until it is
 * finalized; fails if it is not.
 */
void       ui_test_destroy_window  (GtkWidget   *window);

/* For an EsWindow: nothing running and the debounced plot data built. */
gboolean   ui_test_window_settled  (gpointer     window);
/* Settled on another set than the one stored as the window's "reference"
 * data (g_object_set_data), or on an error.
 */
gboolean   ui_test_window_another_set (gpointer  window);

/* For an EsWindow: how many plotted points have finite coordinates. */
gsize      ui_test_finite_points   (gpointer     window);

G_END_DECLS
