/* es-memory.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-memory"

#include "config.h"

#include "es-memory.h"

#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#ifdef __linux__
#include <sys/mman.h>
#endif

#include "es-engine-error.h"

static guint64 ceiling_override;

/* glibc serves a block below its mmap threshold from the heap, and a freed
 * block there stays in the process unless it sits at the top.  The
 * threshold also rises (up to 32 MB) each time an mmapped block is freed,
 * so after the first big free, arrays of tens of MB (a kNN graph, a
 * phase's scratch) stay resident when freed, and the next phase's peak
 * stacks on top of them: UMAP's at 400k rows kept the freed 48 MB kNN
 * graph.  A fixed threshold stops the rise; blocks of 1 MB and more are
 * mapped and given back on free.  Fixing it also fixes the trim threshold
 * at its default of 128 kB: FFTW's plans take and free buffers of a few
 * hundred kB per execution, and the heap top was given back and faulted in
 * again each time (t-SNE at 30k rows: 74k of its 137k page faults); a top
 * of up to 8 MB stays.
 */
void
es_memory_settle (void)
{
#ifdef __GLIBC__
  mallopt (M_MMAP_THRESHOLD, 1 << 20);
  mallopt (M_TRIM_THRESHOLD, 8 << 20);
#endif
}

static guint64
default_ceiling (void)
{
  long pages = sysconf (_SC_PHYS_PAGES);
  long page_size = sysconf (_SC_PAGESIZE);

  if (pages <= 0 || page_size <= 0)
    return G_GUINT64_CONSTANT (4) << 30;

  return (guint64) ((double) pages * (double) page_size * 0.9);
}

guint64
es_memory_get_ceiling (void)
{
  guint64 value = ceiling_override;

  return value ? value : default_ceiling ();
}

void
es_memory_set_ceiling (guint64 bytes)
{
  ceiling_override = bytes;
}

gboolean
es_memory_check (guint64      count,
                 guint64      size,
                 const char  *what,
                 guint64     *bytes,
                 GError     **error)
{
  guint64 total;
  guint64 ceiling = es_memory_get_ceiling ();

  if (!es_checked_mul (count, size, &total))
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                   "%s: %" G_GUINT64_FORMAT " × %" G_GUINT64_FORMAT
                   " bytes overflows", what, count, size);
      return FALSE;
    }
  if (bytes != NULL)
    *bytes = total;
  if (total > ceiling)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                   "%s needs %.1f GB, over the memory ceiling of %.1f GB",
                   what, total / 1e9, ceiling / 1e9);
      return FALSE;
    }
  return TRUE;
}

/* Large blocks ask for transparent huge pages where the kernel gives
 * them only on request (THP "madvise" mode, Debian's default): a 4 KiB
 * page fault costs microseconds (far more in a VM), and an SVD basis of
 * 50 MB touched once would otherwise spend more time faulting than
 * computing.  Only the page-aligned interior is advised; a failure
 * changes nothing.
 */
static void
advise_huge (gpointer block,
             guint64  total)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  const guintptr huge = 2 << 20;
  guintptr from = ((guintptr) block + 4095) & ~(guintptr) 4095;
  guintptr to = ((guintptr) block + total) & ~(guintptr) 4095;

  if (total >= 4 * huge && to > from)
    madvise ((void *) from, to - from, MADV_HUGEPAGE);
#endif
}

static gpointer
try_alloc (guint64      count,
           guint64      size,
           gboolean     zero,
           const char  *what,
           GError     **error)
{
  guint64 total;
  gpointer block;

  if (!es_memory_check (count, size, what, &total, error))
    return NULL;
  if (total == 0)
    total = 1;
  if (total > G_MAXSIZE)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                   "%s needs more memory than this machine can address", what);
      return NULL;
    }
  block = zero ? g_try_malloc0 (total) : g_try_malloc (total);
  if (block == NULL)
    g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE,
                 "%s: out of memory allocating %.1f GB", what, total / 1e9);
  else
    advise_huge (block, total);
  return block;
}

gpointer
es_memory_try_alloc (guint64      count,
                     guint64      size,
                     const char  *what,
                     GError     **error)
{
  return try_alloc (count, size, FALSE, what, error);
}

gpointer
es_memory_try_alloc0 (guint64      count,
                      guint64      size,
                      const char  *what,
                      GError     **error)
{
  return try_alloc (count, size, TRUE, what, error);
}
