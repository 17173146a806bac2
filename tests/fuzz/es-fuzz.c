/* es-fuzz.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-fuzz"

#include "config.h"

#include "es-fuzz.h"

#include <stdio.h>
#include <stdlib.h>

#include <glib/gstdio.h>

void
es_fuzz_load_options (EsLoadOptions *options)
{
  es_load_options_init (options);
  options->memory_limit = 256 << 20;
}

void
es_fuzz_load (const uint8_t       *data,
              size_t               size,
              const char          *name,
              const EsLoadOptions *options)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(GError) error = NULL;

  set = es_loader_load_bytes (bytes, name, options, NULL, NULL, NULL, &error);
  g_assert ((set == NULL) != (error == NULL));
  if (set != NULL)
    {
      /* Touch what a caller would: every word and the norms. */
      for (gsize i = 0; i < es_embedding_set_get_rows (set); i++)
        g_assert (es_embedding_set_get_word (set, i) != NULL);
      es_embedding_set_get_norms (set);
    }
}

static char *temp_dir = NULL;

static void
remove_temp_dir (void)
{
  g_autoptr(GDir) listing = g_dir_open (temp_dir, 0, NULL);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (temp_dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (temp_dir);
  g_clear_pointer (&temp_dir, g_free);
}

const char *
es_fuzz_write_temp (const char    *basename,
                    const uint8_t *data,
                    size_t         size)
{
  g_autofree char *path = NULL;
  FILE *file;

  /* One directory per process: parallel fuzzers do not share files. */
  if (temp_dir == NULL)
    {
      g_autoptr(GError) error = NULL;

      temp_dir = g_dir_make_tmp ("es-fuzz-XXXXXX", &error);
      g_assert_no_error (error);
      atexit (remove_temp_dir);
    }

  path = g_build_filename (temp_dir, basename, NULL);
  file = fopen (path, "wb");
  g_assert (file != NULL);
  g_assert (size == 0 || fwrite (data, 1, size, file) == size);
  g_assert (fclose (file) == 0);

  return g_intern_string (path);
}
