/* test-text-fast-line.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The text reader's one-pass line parser (_es_text_fast_line), which finds
 * value boundaries from separator bits and parses values in batches:
 * every value it takes must be bit-identical to strtof_l() in the C locale
 * of the same token, every line it must leave to the general path (wrong
 * count, junk, non-finite, overflow, a lone '\r') must be refused, and it
 * must read nothing past the buffer (which ends at a PROT_NONE page here).
 */

/* strtof_l and newlocale are GNU/POSIX-2008 extensions of <stdlib.h>. */
#define _GNU_SOURCE

#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "es-text-reader-private.h"

static locale_t c_locale;

/* The variant under test: _es_text_fast_line()'s SSSE3 one or not. */
static gboolean use_ssse3;

/* The bytes of the C library's reading of @token (which must be whole). */
static guint32
reference_bits (const char *token)
{
  char *end = NULL;
  float v = strtof_l (token, &end, c_locale);
  guint32 bits;

  g_assert_true (*end == '\0');
  memcpy (&bits, &v, sizeof bits);

  return bits;
}

/* A buffer ending right before an unreadable page, so a read past the
 * data faults instead of passing unnoticed.
 */
typedef struct
{
  char  *map;
  gsize  map_len;
  char  *data;
  gsize  len;
} GuardedBuffer;

static void
guarded_buffer_init (GuardedBuffer *self,
                     const char    *text,
                     gsize          len)
{
  gsize page = (gsize) sysconf (_SC_PAGESIZE);
  gsize pages = (len + page - 1) / page + 1;

  self->map_len = (pages + 1) * page;
  self->map = mmap (NULL, self->map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  g_assert_true (self->map != MAP_FAILED);
  g_assert_cmpint (mprotect (self->map + pages * page, page, PROT_NONE), ==, 0);
  self->data = self->map + pages * page - len;
  self->len = len;
  memcpy (self->data, text, len);
}

static void
guarded_buffer_clear (GuardedBuffer *self)
{
  munmap (self->map, self->map_len);
}

/* A random finite value written the way some tool might have written
 * it; NULL-terminated text of 1..30 bytes in @buf.
 */
static const char *
random_token (char *buf,
              gsize size)
{
  static const char *const formats[] = {
    "%.5g", "%.6f", "%.9g", "%.17g", "%e", "%.3e", "%E", "%g", "%.4f", "%.8f", "%.7g", "%.2f",
  };
  double x;
  guint kind = g_test_rand_int_range (0, 8);
  char body[64];

  /* Mostly the usual embedding values, then anything. */
  if (kind < 4)
    x = g_test_rand_double_range (-1.0, 1.0);
  else if (kind == 4)
    x = g_test_rand_double_range (-1.0, 1.0) * pow (10.0, g_test_rand_int_range (-12, 13));
  else if (kind == 5)
    x = g_test_rand_int_range (-100000, 100000);
  else if (kind == 6)
    x = g_test_rand_double_range (-30.0, 30.0);
  else
    x = g_test_rand_bit () ? 0.0 : -0.0;

  switch (g_test_rand_int_range (0, 10))
    {
    case 0:
      /* An exponent as e+05 / E-5 / e3 write it. */
      g_snprintf (body, sizeof body, "%.4f%c%c%d", g_test_rand_double_range (-9.0, 9.0),
                  g_test_rand_bit () ? 'e' : 'E', "+-"[g_test_rand_bit ()],
                  g_test_rand_int_range (0, 20));
      break;

    case 1:
      /* Leading and trailing zeros, a bare integer, ".5", "5.". */
      switch (g_test_rand_int_range (0, 4))
        {
        case 0:
          g_snprintf (body, sizeof body, "%0*.*f", g_test_rand_int_range (1, 14),
                      g_test_rand_int_range (0, 9), x);
          break;
        case 1:
          g_snprintf (body, sizeof body, "%d", (int) g_test_rand_int_range (-99999999, 99999999));
          break;
        case 2:
          g_snprintf (body, sizeof body, ".%u", g_test_rand_int_range (0, 99999999));
          break;
        default:
          g_snprintf (body, sizeof body, "%u.", g_test_rand_int_range (0, 9999999));
          break;
        }
      break;

    default:
      {
        const char *format = formats[g_test_rand_int_range (0, G_N_ELEMENTS (formats))];

        /* g_ascii_formatd: no locale's decimal comma. */
        g_ascii_formatd (body, sizeof body, format, x);
      }
      break;
    }

  /* A '+' some writers put before positive values. */
  if (body[0] != '-' && g_test_rand_int_range (0, 10) == 0)
    g_snprintf (buf, size, "+%s", body);
  else
    g_strlcpy (buf, body, size);
  /* 1..30 bytes. */
  buf[MIN (strlen (buf), (gsize) 30)] = '\0';
  if (buf[0] == '\0' || g_str_has_suffix (buf, "e") || g_str_has_suffix (buf, "E") ||
      g_str_has_suffix (buf, "+") || g_str_has_suffix (buf, "-"))
    g_strlcpy (buf, "0.5", size);

  return buf;
}

static void
append_separators (GString *s,
                   guint    min)
{
  guint n = g_test_rand_int_range (min, min + 4);

  /* Mostly one space, as most files have. */
  if (min == 1 && g_test_rand_int_range (0, 4) != 0)
    n = 1;
  for (guint i = 0; i < n; i++)
    g_string_append_c (s, g_test_rand_int_range (0, 4) == 0 ? '\t' : ' ');
}

typedef struct
{
  gsize    offset;      /* line start in the text */
  gsize    len;         /* through its '\n' */
  gboolean take;        /* the fast path must take it (if not near the end) */
  gsize    word_len;
  GArray  *bits;        /* guint32 per value, for lines to take */
} Line;

/* A line of @dims values (TSV: no word), with random separators, maybe
 * trailing ones and "\r\n"; @bad turns it into one the fast path must
 * refuse.
 */
static void
append_line (GString  *s,
             GArray   *lines,
             gboolean  tsv,
             gsize     dims,
             guint     bad)
{
  static const char *const junk[] = {
    "abc", "1.2.3", "1x", "--1", "1e", "+-1", ".", "-", "nan", "NaN", "inf", "-inf",
    "Infinity", "1e400", "-3.5e39", "0x1p3", "1,5", "1.5\v", "\x80", "1.5\0" "2",
    /* The bytes just after '9' and before '0', and a second '.'. */
    "1.2:3", "0.:5", "-0.5:", "1/2", "0.5/", "/.5", "0.1.2", "-1..5", "0.5-", "5.5a",
  };
  Line line = { s->len, 0, bad == 0, 0, g_array_new (FALSE, FALSE, sizeof (guint32)) };
  gsize n = dims;
  gsize junk_at = G_MAXSIZE;
  char token[64];

  if (g_test_rand_bit ())
    append_separators (s, 0);
  if (!tsv)
    {
      gsize start = s->len;

      g_string_append_printf (s, "w%u", g_test_rand_int ());
      line.word_len = s->len - start;
    }

  if (bad == 1)
    n = g_test_rand_bit () ? dims - 1 : dims + 1;
  else if (bad == 2 || bad == 4)
    junk_at = g_test_rand_int_range (0, dims);

  for (gsize j = 0; j < n; j++)
    {
      /* A lone '\r' instead of the separator (or after the word). */
      if (bad == 4 && j == junk_at && (j > 0 || !tsv))
        {
          g_string_append_c (s, '\r');
          junk_at = G_MAXSIZE;
        }
      else if (j > 0 || !tsv)
        append_separators (s, 1);
      if (j == junk_at)
        {
          const char *t = junk[g_test_rand_int_range (0, G_N_ELEMENTS (junk))];

          /* The NUL-carrying one is written with its NUL. */
          g_string_append_len (s, t, strcmp (t, "1.5") == 0 ? 5 : strlen (t));
          continue;
        }
      random_token (token, sizeof token);
      g_string_append (s, token);
      if (line.take)
        {
          guint32 bits = reference_bits (token);

          g_array_append_val (line.bits, bits);
        }
    }

  if (g_test_rand_int_range (0, 4) == 0)
    append_separators (s, 1);
  if (bad == 3)
    g_string_append_c (s, '\r');      /* a lone '\r', then more text */
  if (bad == 3 || g_test_rand_int_range (0, 3) == 0)
    g_string_append (s, "\r\n");
  else
    g_string_append_c (s, '\n');
  line.len = s->len - line.offset;
  g_array_append_val (lines, line);
}

static void
free_lines (GArray *lines)
{
  for (guint i = 0; i < lines->len; i++)
    g_array_unref (g_array_index (lines, Line, i).bits);
  g_array_unref (lines);
}

/* Runs the fast path on every line of @text and checks it against @lines. */
static void
check_lines (const char *text,
             gsize       len,
             GArray     *lines,
             gboolean    tsv,
             gsize       dims,
             gsize      *taken,
             gsize      *refused)
{
  GuardedBuffer buffer;
  EsTextReader r = { NULL, tsv ? ES_FORMAT_PROJECTOR_TSV : ES_FORMAT_GLOVE, dims, NULL, 0, use_ssse3 };
  g_autofree float *out = g_new (float, dims + 2);
  const char *safe_end;

  guarded_buffer_init (&buffer, text, len);
  safe_end = _es_text_safe_end (buffer.data, buffer.len);

  for (guint i = 0; i < lines->len; i++)
    {
      const Line *line = &g_array_index (lines, Line, i);
      const char *p = buffer.data + line->offset;
      const char *word = NULL;
      const char *next = NULL;
      gsize word_len = 0;
      /* Lines this near the end may be left to the general path. */
      gboolean near_end = line->offset + line->len + 96 > buffer.len;
      gboolean ok = _es_text_fast_line (&r, p, safe_end, out, &word, &word_len, &next, NULL);

      if (!line->take)
        {
          if (ok)
            g_error ("line %u `%.*s` was taken, it must be refused", i,
                     (int) line->len - 1, text + line->offset);
          (*refused)++;
          continue;
        }
      if (!ok)
        {
          if (!near_end)
            g_error ("line %u `%.*s` was refused", i, (int) line->len - 1, text + line->offset);
          continue;
        }
      (*taken)++;
      g_assert_true (next == p + line->len);
      if (!tsv)
        {
          g_assert_cmpuint (word_len, ==, line->word_len);
          g_assert_true (word[0] == 'w');
        }
      for (gsize j = 0; j < dims; j++)
        {
          guint32 bits;

          memcpy (&bits, &out[j], sizeof bits);
          if (bits != g_array_index (line->bits, guint32, j))
            g_error ("line %u value %" G_GSIZE_FORMAT ": 0x%08x, strtof_l gives 0x%08x", i, j,
                     bits, g_array_index (line->bits, guint32, j));
        }
    }
  guarded_buffer_clear (&buffer);
}

static void
run_random (gboolean tsv)
{
  gsize taken = 0, refused = 0;

  for (guint round = 0; round < 60; round++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      GArray *lines = g_array_new (FALSE, FALSE, sizeof (Line));
      /* 1 to 300 values, the batch size (64) and its neighbours often. */
      static const gsize sizes[] = { 1, 2, 3, 7, 63, 64, 65, 127, 128, 129, 300 };
      gsize dims = g_test_rand_bit () ? sizes[g_test_rand_int_range (0, G_N_ELEMENTS (sizes))]
                                      : (gsize) g_test_rand_int_range (1, 80);
      guint n_lines = 4000 / dims + 3;

      for (guint i = 0; i < n_lines; i++)
        {
          /* One line in five must be refused. */
          guint bad = g_test_rand_int_range (0, 5) == 0 ? g_test_rand_int_range (1, 5) : 0;

          /* One value can only be refused by junk or a lone '\r'. */
          if ((bad == 1 || bad == 4) && dims == 1)
            bad = tsv ? 2 : bad;
          if (bad == 1 && dims == 1)
            bad = 2;
          append_line (text, lines, tsv, dims, bad);
        }
      check_lines (text->str, text->len, lines, tsv, dims, &taken, &refused);
      free_lines (lines);
    }

  g_test_message ("%" G_GSIZE_FORMAT " lines taken, %" G_GSIZE_FORMAT " refused",
                  taken, refused);
  /* The checks above ran on most lines: the fast path took them. */
  g_assert_cmpuint (taken, >, 5000);
  g_assert_cmpuint (refused, >, 1000);
}

static void
test_fast_line_glove (void)
{
  g_test_summary ("Random GloVe lines: every value taken is strtof_l's, bad lines are refused");
  run_random (FALSE);
}

static void
test_fast_line_tsv (void)
{
  g_test_summary ("Random TSV lines (no word): every value taken is strtof_l's, bad lines refused");
  run_random (TRUE);
}

/* One good line at every distance from the end of the buffer: never a
 * read past it (the guard page), and right values whenever it is taken.
 */
static void
test_fast_line_buffer_end (void)
{
  g_test_summary ("Lines near the end of the buffer are read within it, or refused");

  for (guint pad = 0; pad < 200; pad++)
    {
      for (guint dims = 1; dims <= 12; dims += 11)
        {
          g_autoptr(GString) text = g_string_new (NULL);
          GArray *lines = g_array_new (FALSE, FALSE, sizeof (Line));
          gsize taken = 0, refused = 0;

          append_line (text, lines, FALSE, dims, 0);
          append_line (text, lines, FALSE, dims, 0);
          /* Text after the last line (the next block's partial line). */
          for (guint i = 0; i < pad; i++)
            g_string_append_c (text, i % 7 == 0 ? ' ' : '1');
          check_lines (text->str, text->len, lines, FALSE, dims, &taken, &refused);
          free_lines (lines);
        }
    }
}

/* Hand-picked cases around the span parser's limits (1..8 digits, 9
 * bytes after the sign, m near 2^24, "-0.0") and the general parser's
 * (many digits, exponent forms).
 */
static void
test_fast_line_edges (void)
{
  static const char *const tokens[] = {
    "0", "-0", "0.0", "-0.0", "-0.00000000", "5.", "-5.", ".5", "-.5", "+.5", "+5",
    "1.6777216", "16.777216", "1677721.6", "16777215.", "16777216.", "16777217.",
    "9.9999999", "99999999.", "-9.9999999", "0.99999999", "-0.0070105", "0.0070105",
    "1234567.8", "12345678.9", "0.123456789012345678901", "1.5e-05", "1.5E+05", "1e3",
    "-1e-40", "1e-400", "3.4028235e38", "1.17549435e-38", "0.000000000000000000000000001",
    "00000000000000000000000001.5", "123456789012345678901234567",
  };
  g_autoptr(GString) text = g_string_new ("w");
  g_autoptr(GString) padding = NULL;
  gsize dims = G_N_ELEMENTS (tokens);
  EsTextReader r = { NULL, ES_FORMAT_GLOVE, dims, NULL, 0, use_ssse3 };
  g_autofree float *out = g_new (float, dims);
  const char *word, *next;
  gsize word_len;

  g_test_summary ("Values at the span parser's limits are strtof_l's");

  for (gsize j = 0; j < dims; j++)
    g_string_append_printf (text, " %s", tokens[j]);
  g_string_append (text, "\n");
  g_string_append_len (text, "                                                                "
                       "                                                                ", 128);

  g_assert_true (_es_text_fast_line (&r, text->str, _es_text_safe_end (text->str, text->len),
                                     out, &word, &word_len, &next, NULL));
  for (gsize j = 0; j < dims; j++)
    {
      guint32 bits;

      memcpy (&bits, &out[j], sizeof bits);
      if (bits != reference_bits (tokens[j]))
        g_error ("`%s`: 0x%08x, strtof_l gives 0x%08x", tokens[j], bits, reference_bits (tokens[j]));
    }
}

/* Every float written with %.5g/%.6f-like precision over many binades:
 * the divisions of the batch against strtof_l, densely.
 */
static void
test_fast_line_dense (void)
{
  const gsize dims = 100;
  EsTextReader r = { NULL, ES_FORMAT_PROJECTOR_TSV, dims, NULL, 0, use_ssse3 };
  g_autofree float *out = g_new (float, dims);
  g_autoptr(GString) text = g_string_new (NULL);
  char token[G_ASCII_DTOSTR_BUF_SIZE];
  guint32 *expected = g_new (guint32, dims);

  g_test_summary ("A million short decimals (1..8 digits, 0..8 after the '.') are strtof_l's");

  for (guint row = 0; row < 10000; row++)
    {
      const char *safe_end;
      const char *word, *next;
      gsize word_len;

      g_string_truncate (text, 0);
      for (gsize j = 0; j < dims; j++)
        {
          guint digits = g_test_rand_int_range (1, 9);
          guint after = g_test_rand_int_range (0, digits + 1);
          guint32 m = g_test_rand_int_range (0, (gint32) MIN (G_MAXINT32, pow (10, digits)));

          /* m with a '.' @after digits from its end, leading zeros kept. */
          g_snprintf (token, sizeof token, "%s%0*u", g_test_rand_bit () ? "-" : "", digits, m);
          {
            gsize l = strlen (token);

            memmove (token + l - after + 1, token + l - after, after + 1);
            token[l - after] = '.';
          }
          expected[j] = reference_bits (token);
          g_string_append_printf (text, "%s%s", j > 0 ? " " : "", token);
        }
      g_string_append (text, "\n");
      g_string_append_len (text, "                                                                "
                           "                                                                ", 128);
      safe_end = _es_text_safe_end (text->str, text->len);
      g_assert_true (_es_text_fast_line (&r, text->str, safe_end, out, &word, &word_len, &next, NULL));
      for (gsize j = 0; j < dims; j++)
        {
          guint32 bits;

          memcpy (&bits, &out[j], sizeof bits);
          g_assert_cmphex (bits, ==, expected[j]);
        }
    }
  g_free (expected);
}

/* Both separator finders against the definition, on random bytes with
 * many spaces, TABs and their neighbours (0x08, 0x0A, 0x1F, 0x21, 0xA0).
 */
static void
test_separator_bits (void)
{
  static const char alphabet[] = " \t\x08\n\x1f!\xa0\x89\xa9" "0123456789.-e";
  char block[64];

  g_test_summary ("The separator bits of 64 bytes are those of ' ' and '\\t', both ways");

  for (guint round = 0; round < 100000; round++)
    {
      guint64 expected = 0;

      for (guint i = 0; i < 64; i++)
        {
          block[i] = g_test_rand_int_range (0, 4) == 0 ? (char) g_test_rand_int_range (0, 256)
                                                       : alphabet[g_test_rand_int_range (0, sizeof alphabet - 1)];
          if (block[i] == ' ' || block[i] == '\t')
            expected |= G_GUINT64_CONSTANT (1) << i;
        }
      g_assert_cmphex (_es_text_separator_bits (block), ==, expected);
      g_assert_cmphex (_es_text_separator_bits_portable (block), ==, expected);
    }
}

typedef struct
{
  const char *name;
  GTestFunc   func;
  gboolean    ssse3;
} Variant;

/* Runs a test with one variant of the fast line. */
static void
run_variant (gconstpointer data)
{
  const Variant *variant = data;

  use_ssse3 = variant->ssse3;
#if ES_HAVE_SPAN_SSSE3
  if (use_ssse3 && !__builtin_cpu_supports ("ssse3"))
    {
      g_test_skip ("this CPU has no SSSE3");
      return;
    }
#else
  if (use_ssse3)
    {
      g_test_skip ("no SSSE3 variant on this architecture");
      return;
    }
#endif
  variant->func ();
}

int
main (int   argc,
      char *argv[])
{
  static const Variant variants[] = {
    { "generic/glove", test_fast_line_glove, FALSE },
    { "generic/tsv", test_fast_line_tsv, FALSE },
    { "generic/buffer-end", test_fast_line_buffer_end, FALSE },
    { "generic/edges", test_fast_line_edges, FALSE },
    { "generic/dense", test_fast_line_dense, FALSE },
    { "ssse3/glove", test_fast_line_glove, TRUE },
    { "ssse3/tsv", test_fast_line_tsv, TRUE },
    { "ssse3/buffer-end", test_fast_line_buffer_end, TRUE },
    { "ssse3/edges", test_fast_line_edges, TRUE },
    { "ssse3/dense", test_fast_line_dense, TRUE },
  };

  c_locale = newlocale (LC_ALL_MASK, "C", (locale_t) 0);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/text-fast-line/separator-bits", test_separator_bits);
  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      g_autofree char *path = g_strdup_printf ("/engine/text-fast-line/%s", variants[i].name);

      g_test_add_data_func (path, &variants[i], run_variant);
    }

  return g_test_run ();
}
