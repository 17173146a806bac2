/* fuzz-cli.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CLI's option parsing and validation, every command: the input is a
 * list of NUL-separated arguments after a command its first byte picks,
 * mixed with every option name and with non-finite and huge numbers
 * (nan, inf, 1e999, 2^64, -0).  Runs in a private folder on a small file;
 * an argument holding '/' loses it, so nothing outside the folder is
 * read or written, and help (which exits) is filtered out.  Exit statuses
 * must be 0, 1 or 2; libFuzzer reports any exit, crash or hang.
 */

#define G_LOG_DOMAIN "es-fuzz"

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "es-cli.h"
#include "es-fuzz.h"
#include "es-memory.h"

static const char *const commands[] = {
  "info", "neighbors", "analogy", "similarity", "evaluate", "project", "render", "infos",
  "neighbours", "rendr", "help", "bogus", "transform",
};

/* Every option of every command and the common ones; values follow. */
static const char *const words[] = {
  "in.txt", "-", "the", "of", "king", "--json", "--limit", "--shape", "--metadata", "--strict",
  "-k", "--metric", "--restrict", "--cosmul", "--analogies", "--pairs", "--case-sensitive",
  "--method", "--components", "-c", "--axis", "-a", "--orthogonalize", "--center",
  "--normalize", "--3d", "--azimuth", "--elevation", "--highlight", "--output", "-o",
  "--width", "--height", "nan", "-nan", "inf", "-inf", "1e999", "-1e999", "1e308",
  "18446744073709551616", "9223372036854775808", "-9223372036854775809", "4294967296",
  "-1", "0", "-0", "0x10", "1,2,3", "1,1", "0,1", "99999999999", "pca", "svd", "axes",
  "identity", "cosine", "euclidean", "dot", "out.png", "out.svg", "out.pdf", "out.tsv",
  "-1x4", "4x-1", "150x4", "0x0", "king - man + woman", "avg(", "\"", "--azimuth=nan",
  "--elevation=91", "--limit=-5", "-k0", "-k2147483648", "--layer", "--tensor", "--vocab",
  "--matrix", "--remove-direction", "the - of", "--layer=4294967296", "out.npy",
};

static const char text_file[] =
  "6 3\nthe 0.1 0.2 0.3\nof 0.4 0.5 0.6\nand 0.7 0.8 0.9\nking 1 1.1 1.2\nqueen 1.3 1.4 1.5\n"
  "man 1.6 1.7 0.8\n";

static char *folder;

static void
set_up (void)
{
  g_autoptr(GError) error = NULL;
  int null_fd;

  folder = g_dir_make_tmp ("es-fuzz-cli-XXXXXX", &error);
  g_assert_no_error (error);
  g_assert (g_chdir (folder) == 0);
  g_assert (g_file_set_contents ("in.txt", text_file, -1, NULL));
  g_assert (g_file_set_contents ("pairs.txt", "the\tof\t1\nking\tqueen\t9\n", -1, NULL));
  g_assert (g_file_set_contents ("questions.txt", ": s\nthe of and king\n", -1, NULL));
  /* What the commands print goes nowhere; stdin is empty.  stderr stays:
   * libFuzzer and the sanitizers report there (the commands' messages
   * land in the log too).
   */
  null_fd = open ("/dev/null", O_RDWR);
  dup2 (null_fd, STDOUT_FILENO);
  dup2 (null_fd, STDIN_FILENO);
  close (null_fd);
  es_memory_set_ceiling (256 << 20);
}

static gboolean
is_help (const char *arg)
{
  if (g_str_has_prefix (arg, "--"))
    return g_str_has_prefix (arg, "--help");
  /* Short clusters: -h and -? anywhere in them print help and exit. */
  return arg[0] == '-' && (strchr (arg, 'h') != NULL || strchr (arg, '?') != NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const uint8_t *p = data, *end = data + size;
  int status;

  if (folder == NULL)
    set_up ();
  if (size < 1)
    return 0;

  g_ptr_array_add (args, g_strdup ("embedscope"));
  g_ptr_array_add (args, g_strdup (commands[*p++ % G_N_ELEMENTS (commands)]));
  while (p < end && args->len < 24)
    {
      const uint8_t *nul = memchr (p, 0, end - p);
      gsize len = nul != NULL ? (gsize) (nul - p) : (gsize) (end - p);
      char *arg;

      /* A 1-byte argument names a word of the table; others are raw. */
      if (len == 1)
        arg = g_strdup (words[p[0] % G_N_ELEMENTS (words)]);
      else
        arg = g_strndup ((const char *) p, len);
      g_strdelimit (arg, "/", '_');
      /* Sizes a fuzzer would blow the RSS limit with: small ones instead. */
      if (args->len > 0 && (g_str_equal (g_ptr_array_index (args, args->len - 1), "--width") ||
                            g_str_equal (g_ptr_array_index (args, args->len - 1), "--height")))
        {
          g_free (arg);
          arg = g_strdup ("32");
        }
      if (g_str_has_prefix (arg, "--width=") || g_str_has_prefix (arg, "--height="))
        arg[strcspn (arg, "=") + 1] = '\0';
      if (is_help (arg) || g_str_equal (arg, "--version"))
        g_free (arg);
      else
        g_ptr_array_add (args, arg);
      p += len + (nul != NULL);
    }
  /* "help COMMAND" prints the command's help and exits: "help" alone. */
  if (g_str_equal (g_ptr_array_index (args, 1), "help"))
    g_ptr_array_set_size (args, 2);
  for (guint i = 0; i < args->len; i++)
    g_ptr_array_add (argv, g_ptr_array_index (args, i));
  g_ptr_array_add (argv, NULL);

  status = es_cli_run (argv->len - 1, (char **) argv->pdata);
  g_assert (status == 0 || status == 1 || status == 2);

  return 0;
}
