/* es-bench-generate.c: GloVe-shaped text and word2vec binary files of any N x D
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Values look like real GloVe (%.5g-style, mixed signs, a few exponents),
 * words are unique.  The same seed gives the same matrix in both formats.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

static void
make_word (char  *buf,
           gsize  size,
           guint  row)
{
  static const char letters[] = "etaoinshrdlucmfwypvbgkjqxz";
  guint n = row;
  gsize len = 0;

  /* Short, unique, word-like: a base-26 spelling of the row plus a tag. */
  do
    {
      buf[len++] = letters[n % 26];
      n /= 26;
    }
  while (n > 0 && len < size - 8);
  if (row % 7 == 3)
    buf[len++] = '\'', buf[len++] = 's';
  buf[len] = '\0';
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("OUTPUT - write a synthetic embedding file");
  gint64 rows = 100000, dims = 300;
  gboolean binary = FALSE;
  gint seed = 1;
  const GOptionEntry entries[] = {
    { "rows", 'n', 0, G_OPTION_ARG_INT64, &rows, "Rows (default 100000)", "N" },
    { "dims", 'd', 0, G_OPTION_ARG_INT64, &dims, "Dimensions (default 300)", "D" },
    { "binary", 'b', 0, G_OPTION_ARG_NONE, &binary, "word2vec binary (with header) instead of GloVe text", NULL },
    { "seed", 's', 0, G_OPTION_ARG_INT, &seed, "Random seed", "S" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = NULL;
  g_autofree float *row = NULL;
  FILE *out;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2 || rows < 1 || dims < 1)
    {
      fprintf (stderr, "%s\n", error ? error->message : "usage: es-bench-generate [-n N] [-d D] [-b] OUTPUT");
      return 2;
    }

  out = fopen (argv[1], "wb");
  if (out == NULL)
    {
      perror (argv[1]);
      return 1;
    }
  setvbuf (out, NULL, _IOFBF, 1 << 20);

  rand = g_rand_new_with_seed (seed);
  row = g_new (float, dims);

  if (binary)
    fprintf (out, "%" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", rows, dims);

  for (gint64 i = 0; i < rows; i++)
    {
      char word[64];

      make_word (word, sizeof word, i);
      fputs (word, out);
      fputc (' ', out);

      for (gint64 j = 0; j < dims; j++)
        {
          /* Roughly normal, spread like GloVe 300d values. */
          double v = (g_rand_double (rand) + g_rand_double (rand) + g_rand_double (rand) - 1.5) * 0.7;

          if (g_rand_int_range (rand, 0, 1000) == 0)
            v *= 1e-4;
          row[j] = v;
        }

      if (binary)
        {
          fwrite (row, sizeof (float), dims, out);
          fputc ('\n', out);
        }
      else
        {
          for (gint64 j = 0; j < dims; j++)
            {
              char buf[G_ASCII_DTOSTR_BUF_SIZE];

              g_ascii_formatd (buf, sizeof buf, "%.5g", row[j]);
              fputs (buf, out);
              fputc (j + 1 < dims ? ' ' : '\n', out);
            }
        }
    }

  if (fclose (out) != 0)
    {
      perror (argv[1]);
      return 1;
    }

  return 0;
}
