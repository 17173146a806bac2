/* es-bench-generate.c: GloVe-shaped text and word2vec binary files of any N x D
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Values look like real GloVe (%.5g-style, mixed signs, a few exponents),
 * words are unique.  The same seed gives the same matrix in both formats:
 * the binary holds the float that strtof gives for the printed decimal, so
 * a correct loader reads bit-identical matrices from the two files.
 *
 * --clusters C --intrinsic-dim D: structured data with neighbourhoods to
 * find (the i.i.d. default has none).  A random orthonormal D-dimensional
 * subspace of the D_full dimensions; C cluster centres drawn N(0, 1) in it;
 * each row picks a centre uniformly, adds N(0, 0.5²) within the subspace,
 * then isotropic N(0, 0.1²) noise in all dimensions.  Seeded like the rest.
 */

#define G_LOG_DOMAIN "es-bench-generate"

/* strtof_l and newlocale are GNU/POSIX-2008 extensions of <stdlib.h>. */
#define _GNU_SOURCE

#include "config.h"

#include <locale.h>
#include <math.h>
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

static double
gaussian (GRand *rand)
{
  double u1 = 1.0 - g_rand_double (rand);
  double u2 = g_rand_double (rand);

  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

/* @d random orthonormal rows of length @dims (Gram-Schmidt on Gaussians). */
static double *
random_basis (GRand *rand,
              gint64 d,
              gint64 dims)
{
  double *basis = g_new (double, d * dims);

  for (gint64 i = 0; i < d; i++)
    {
      double *b = basis + i * dims;
      double norm = 0.0;

      for (gint64 j = 0; j < dims; j++)
        b[j] = gaussian (rand);
      for (gint64 p = 0; p < i; p++)
        {
          const double *c = basis + p * dims;
          double dot = 0.0;

          for (gint64 j = 0; j < dims; j++)
            dot += b[j] * c[j];
          for (gint64 j = 0; j < dims; j++)
            b[j] -= dot * c[j];
        }
      for (gint64 j = 0; j < dims; j++)
        norm += b[j] * b[j];
      norm = sqrt (norm);
      for (gint64 j = 0; j < dims; j++)
        b[j] /= norm;
    }

  return basis;
}

static FILE *
open_output (const char *path)
{
  FILE *out = fopen (path, "wb");

  if (out == NULL)
    perror (path);
  else
    setvbuf (out, NULL, _IOFBF, 1 << 20);

  return out;
}

static gboolean
close_output (FILE       *out,
              const char *path)
{
  if (out != NULL && (ferror (out) || fclose (out) != 0))
    {
      perror (path);
      return FALSE;
    }

  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("OUTPUT - write a synthetic embedding file");
  gint64 rows = 100000, dims = 300;
  gboolean binary = FALSE;
  g_autofree char *also_binary = NULL;
  gint seed = 1;
  gint64 clusters = 0, intrinsic = 20;
  const GOptionEntry entries[] = {
    { "rows", 'n', 0, G_OPTION_ARG_INT64, &rows, "Rows (default 100000)", "N" },
    { "dims", 'd', 0, G_OPTION_ARG_INT64, &dims, "Dimensions (default 300)", "D" },
    { "binary", 'b', 0, G_OPTION_ARG_NONE, &binary, "word2vec binary (with header) instead of GloVe text", NULL },
    { "also-binary", 'a', 0, G_OPTION_ARG_FILENAME, &also_binary,
      "Also write the same matrix as word2vec binary to PATH (one pass)", "PATH" },
    { "seed", 's', 0, G_OPTION_ARG_INT, &seed, "Random seed", "S" },
    { "clusters", 'c', 0, G_OPTION_ARG_INT64, &clusters,
      "Gaussian mixture of C clusters in a random subspace plus noise (default 0: i.i.d.)", "C" },
    { "intrinsic-dim", 'i', 0, G_OPTION_ARG_INT64, &intrinsic,
      "Dimension of the clusters' subspace (default 20, at most D)", "D" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = NULL;
  g_autofree float *row = NULL;
  g_autofree char *line = NULL;
  g_autofree double *basis = NULL;
  g_autofree double *centres = NULL;
  g_autofree double *latent = NULL;
  g_autofree double *structured = NULL;
  locale_t c_locale;
  const char *text_path = NULL, *bin_path = NULL;
  FILE *text = NULL, *bin = NULL;
  gsize line_size;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2 || rows < 1 || dims < 1 ||
      (binary && also_binary != NULL) || clusters < 0 || clusters > 1000000 ||
      intrinsic < 1 || (clusters > 0 && intrinsic > dims))
    {
      fprintf (stderr, "%s\n", error ? error->message
                                     : "usage: es-bench-generate [-n N] [-d D] [-c C [-i D]] [-b | -a BIN] OUTPUT");
      return 2;
    }

  if (binary)
    bin_path = argv[1];
  else
    {
      text_path = argv[1];
      bin_path = also_binary;
    }

  if ((text_path != NULL && (text = open_output (text_path)) == NULL) ||
      (bin_path != NULL && (bin = open_output (bin_path)) == NULL))
    return 1;

  c_locale = newlocale (LC_ALL_MASK, "C", (locale_t) 0);
  rand = g_rand_new_with_seed (seed);
  row = g_new (float, dims);
  line_size = (gsize) dims * G_ASCII_DTOSTR_BUF_SIZE + 64;
  line = g_malloc (line_size);

  if (clusters > 0)
    {
      basis = random_basis (rand, intrinsic, dims);
      centres = g_new (double, clusters * intrinsic);
      for (gint64 i = 0; i < clusters * intrinsic; i++)
        centres[i] = gaussian (rand);
      latent = g_new (double, intrinsic);
      structured = g_new (double, dims);
    }

  if (bin != NULL)
    fprintf (bin, "%" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", rows, dims);

  for (gint64 i = 0; i < rows; i++)
    {
      char word[64];
      gsize len = 0;

      make_word (word, sizeof word, i);

      if (clusters > 0)
        {
          gint64 c = g_rand_int_range (rand, 0, (gint32) clusters);

          for (gint64 p = 0; p < intrinsic; p++)
            latent[p] = centres[c * intrinsic + p] + 0.5 * gaussian (rand);
          for (gint64 j = 0; j < dims; j++)
            structured[j] = 0.1 * gaussian (rand);
          for (gint64 p = 0; p < intrinsic; p++)
            for (gint64 j = 0; j < dims; j++)
              structured[j] += latent[p] * basis[p * dims + j];
        }

      for (gint64 j = 0; j < dims; j++)
        {
          /* Roughly normal, spread like GloVe 300d values. */
          double v;
          char *start = line + len;

          if (clusters > 0)
            v = structured[j];
          else
            {
              v = (g_rand_double (rand) + g_rand_double (rand) + g_rand_double (rand) - 1.5) * 0.7;
              if (g_rand_int_range (rand, 0, 1000) == 0)
                v *= 1e-4;
            }

          g_ascii_formatd (start, G_ASCII_DTOSTR_BUF_SIZE, "%.5g", (float) v);
          /* What the text says, to the bit, is what the binary holds. */
          row[j] = strtof_l (start, NULL, c_locale);
          len += strlen (start);
          line[len++] = j + 1 < dims ? ' ' : '\n';
        }

      if (text != NULL)
        {
          fputs (word, text);
          fputc (' ', text);
          fwrite (line, 1, len, text);
        }
      if (bin != NULL)
        {
          fputs (word, bin);
          fputc (' ', bin);
          fwrite (row, sizeof (float), dims, bin);
          fputc ('\n', bin);
        }
    }

  freelocale (c_locale);

  if (!close_output (text, text_path) || !close_output (bin, bin_path))
    return 1;

  return 0;
}
