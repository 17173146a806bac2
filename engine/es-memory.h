/* es-memory.h: the memory ceiling every input-sized allocation goes through
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The ceiling in bytes: 90 % of physical memory unless set.  Beyond it the
 * machine would swap itself to a halt instead of failing cleanly, and GLib's
 * allocators abort instead of returning NULL: anything sized by input asks
 * here first.
 */
guint64  es_memory_get_ceiling  (void);
/* 0 restores the default; for tests and the CLI's --memory-limit. */
void     es_memory_set_ceiling  (guint64      bytes);

/* @count × @size bytes with overflow checked, refused over the ceiling with
 * ES_ENGINE_ERROR_TOO_LARGE: "@what needs 12.3 GB, over the memory ceiling
 * of 21.6 GB".  Returns FALSE without allocating; *bytes gets the product.
 */
gboolean es_memory_check        (guint64      count,
                                 guint64      size,
                                 const char  *what,
                                 guint64     *bytes,
                                 GError     **error);
/* Makes freed large blocks go back to the system at once (glibc: a fixed
 * mmap threshold).  Call at the start of main(), before any thread.
 */
void     es_memory_settle       (void);

/* es_memory_check(), then g_try_malloc(); NULL with the error set on refusal
 * or failure.  Free with g_free().  count == 0 gives a 1-byte block.
 */
gpointer es_memory_try_alloc    (guint64      count,
                                 guint64      size,
                                 const char  *what,
                                 GError     **error);
gpointer es_memory_try_alloc0   (guint64      count,
                                 guint64      size,
                                 const char  *what,
                                 GError     **error);

/* Checked arithmetic for input-derived counts (GLib's g_uint64_checked_*
 * with a name that reads at the call site).
 */
static inline gboolean
es_checked_mul (guint64 a, guint64 b, guint64 *out)
{
  return g_uint64_checked_mul (out, a, b);
}

static inline gboolean
es_checked_add (guint64 a, guint64 b, guint64 *out)
{
  return g_uint64_checked_add (out, a, b);
}

G_END_DECLS
