/* es-float-parser.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Decimal text to float32, bit-identical to strtof() in the C locale.
 *
 * Fast path: when the decimal significand m is below 2^24 and the decimal
 * exponent e has |e| <= 10, both m and 10^|e| are exact float32 values,
 * so one float multiplication or division gives the correctly rounded
 * result (IEEE rounds a single operation exactly).  That covers the usual
 * %.5g / %.6f files.  Everything else (long significands, %.18e, large
 * exponents) goes to strtof_l() with a "C" locale, after this file has
 * checked the syntax itself, so hex floats, "nan(...)" and locale
 * separators are never accepted.
 */

#define G_LOG_DOMAIN "es-loader"
/* strtof_l and newlocale are GNU/POSIX-2008 extensions of <stdlib.h>. */
#define _GNU_SOURCE

#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "es-float-parser-private.h"
#include "es-loader-private.h"

#if ES_HAVE_SPAN_SSSE3
/* _es_parse_float_span_ssse3()'s byte shuffles, [negative][d][n]: the
 * n digits of a value whose '.' is d digits in (after the sign), in
 * order, as bytes 8 - n .. 7; 0x80 gives a zero byte (leading zeros).
 * Byte j >= 8 - n takes digit q = j - (8 - n), which sits at
 * negative + q, one further once past the '.' (q >= d); n = 0 is never
 * used.  test-text-fast-line checks every (negative, d, n) against
 * strtof_l.  SHUF () is that rule for byte j of row (g, d, n).
 */
#define SHUF(g, d, n, j) \
  ((j) >= 8 - (n) ? (g) + (j) - (8 - (n)) + ((j) - (8 - (n)) >= (d)) : 0x80)
#define SHUF_ROW(g, d, n) \
  { SHUF (g, d, n, 0), SHUF (g, d, n, 1), SHUF (g, d, n, 2), SHUF (g, d, n, 3), \
    SHUF (g, d, n, 4), SHUF (g, d, n, 5), SHUF (g, d, n, 6), SHUF (g, d, n, 7), \
    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80 }
#define SHUF_D(g, d) \
  { SHUF_ROW (g, d, 0), SHUF_ROW (g, d, 1), SHUF_ROW (g, d, 2), SHUF_ROW (g, d, 3), \
    SHUF_ROW (g, d, 4), SHUF_ROW (g, d, 5), SHUF_ROW (g, d, 6), SHUF_ROW (g, d, 7), \
    SHUF_ROW (g, d, 8) }
#define SHUF_G(g) \
  { SHUF_D (g, 0), SHUF_D (g, 1), SHUF_D (g, 2), SHUF_D (g, 3), SHUF_D (g, 4), \
    SHUF_D (g, 5), SHUF_D (g, 6), SHUF_D (g, 7), SHUF_D (g, 8) }

const guint8 _es_span_shuffle[2][9][9][16] = { SHUF_G (0), SHUF_G (1) };
#endif

static locale_t
c_locale (void)
{
  static gsize once = 0;
  static locale_t locale;

  if (g_once_init_enter (&once))
    {
      locale = newlocale (LC_ALL_MASK, "C", (locale_t) 0);
      g_once_init_leave (&once, 1);
    }

  return locale;
}

static gboolean
matches_ci (const char *text,
            gsize       len,
            const char *word)
{
  return strlen (word) == len && g_ascii_strncasecmp (text, word, len) == 0;
}

static EsFloatStatus
parse_slow (const char *text,
            gsize       len,
            float      *value)
{
  char stack[64];
  g_autofree char *heap = NULL;
  char *buf = stack;
  char *end = NULL;
  float v;

  /* strtof_l needs a NUL-terminated string; the syntax is already checked. */
  if (len >= sizeof stack)
    buf = heap = g_malloc (len + 1);
  memcpy (buf, text, len);
  buf[len] = '\0';

  v = strtof_l (buf, &end, c_locale ());
  if (end != buf + len)
    return ES_FLOAT_INVALID;

  *value = v;
  /* A finite decimal that rounds to inf is an overflow: strtof gives inf. */
  return isinf (v) ? ES_FLOAT_OVERFLOW : ES_FLOAT_OK;
}

/* Parses the longest number at @p (never past @end) and sets *stop after
 * it; the caller decides whether what follows is a valid separator.
 */
EsFloatStatus
_es_parse_float_prefix (const char  *p,
                        const char  *end,
                        float       *value,
                        const char **stop)
{
  const char *start = p;
  const char *digits;
  gboolean negative = FALSE;
  guint64 m = 0;
  gsize n_int, n_frac = 0;
  int exp10 = 0;

  if (p < end && (*p == '+' || *p == '-'))
    negative = *p++ == '-';

  if (p < end && !g_ascii_isdigit (*p) && *p != '.')
    {
      const char *q = p;

      while (q < end && g_ascii_isalpha (*q))
        q++;
      *stop = q;
      if (matches_ci (p, q - p, "nan"))
        *value = negative ? -NAN : NAN;
      else if (matches_ci (p, q - p, "inf") || matches_ci (p, q - p, "infinity"))
        *value = negative ? -INFINITY : INFINITY;
      else
        return ES_FLOAT_INVALID;
      return ES_FLOAT_NONFINITE;
    }

  /* m may wrap for more than 19 digits; that case goes to strtof below. */
  for (digits = p; p < end && (guint) (*p - '0') < 10; p++)
    m = m * 10 + (guint) (*p - '0');
  n_int = p - digits;
  if (p < end && *p == '.')
    {
      for (digits = ++p; p < end && (guint) (*p - '0') < 10; p++)
        m = m * 10 + (guint) (*p - '0');
      n_frac = p - digits;
    }
  if (n_int + n_frac == 0)
    {
      *stop = p;
      return ES_FLOAT_INVALID;
    }

  /* An exponent needs digits; "1e" leaves the 'e' unparsed (an error). */
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      const char *q = p + 1;
      gboolean exp_negative = FALSE;
      int e = 0;

      if (q < end && (*q == '+' || *q == '-'))
        exp_negative = *q++ == '-';
      if (q < end && g_ascii_isdigit (*q))
        {
          for (; q < end && g_ascii_isdigit (*q); q++)
            if (e < 100000)
              e = e * 10 + (*q - '0');
          exp10 = exp_negative ? -e : e;
          p = q;
        }
    }
  *stop = p;

  if (n_int + n_frac > 19)
    return parse_slow (start, p - start, value);

  exp10 -= (int) n_frac;
  if (!_es_decimal_to_float (m, exp10, negative, value))
    return parse_slow (start, p - start, value);

  return ES_FLOAT_OK;
}

EsFloatStatus
_es_parse_float (const char *text,
                 gsize       len,
                 float      *value)
{
  const char *stop;
  EsFloatStatus status = _es_parse_float_prefix (text, text + len, value, &stop);

  return stop == text + len ? status : ES_FLOAT_INVALID;
}

/* A non-negative decimal integer, no sign, no overflow. */
gboolean
_es_parse_uint (const char *text,
                gsize       len,
                guint64    *value)
{
  guint64 v = 0;

  if (len == 0)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      if (!g_uint64_checked_mul (&v, v, 10) ||
          !g_uint64_checked_add (&v, v, text[i] - '0'))
        return FALSE;
    }
  *value = v;

  return TRUE;
}
