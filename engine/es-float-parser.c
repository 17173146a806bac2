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

#include "es-loader-private.h"

static const float pow10_exact[] = {
  1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f,
};

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

EsFloatStatus
_es_parse_float (const char *text,
                 gsize       len,
                 float      *value)
{
  const char *p = text;
  const char *end = text + len;
  gboolean negative = FALSE;
  guint64 m = 0;
  int n_digits = 0;        /* significant digits accumulated into m */
  gboolean truncated = FALSE;
  gboolean any_digit = FALSE;
  int exp10 = 0;
  float v;

  if (p < end && (*p == '+' || *p == '-'))
    negative = *p++ == '-';

  if (p < end && !g_ascii_isdigit (*p) && *p != '.')
    {
      gsize rest = end - p;

      if (matches_ci (p, rest, "nan"))
        *value = negative ? -NAN : NAN;
      else if (matches_ci (p, rest, "inf") || matches_ci (p, rest, "infinity"))
        *value = negative ? -INFINITY : INFINITY;
      else
        return ES_FLOAT_INVALID;
      return ES_FLOAT_NONFINITE;
    }

  for (; p < end && g_ascii_isdigit (*p); p++)
    {
      any_digit = TRUE;
      if (m == 0 && *p == '0')
        continue;
      if (n_digits < 19)
        {
          m = m * 10 + (*p - '0');
          n_digits++;
        }
      else
        {
          truncated = TRUE;
          exp10++;
        }
    }
  if (p < end && *p == '.')
    {
      for (p++; p < end && g_ascii_isdigit (*p); p++)
        {
          any_digit = TRUE;
          if (m == 0 && *p == '0')
            {
              exp10--;
              continue;
            }
          if (n_digits < 19)
            {
              m = m * 10 + (*p - '0');
              n_digits++;
              exp10--;
            }
          else
            truncated = TRUE;
        }
    }
  if (!any_digit)
    return ES_FLOAT_INVALID;

  if (p < end && (*p == 'e' || *p == 'E'))
    {
      gboolean exp_negative = FALSE;
      int e = 0;
      gboolean exp_digit = FALSE;

      p++;
      if (p < end && (*p == '+' || *p == '-'))
        exp_negative = *p++ == '-';
      for (; p < end && g_ascii_isdigit (*p); p++)
        {
          exp_digit = TRUE;
          if (e < 100000)
            e = e * 10 + (*p - '0');
        }
      if (!exp_digit)
        return ES_FLOAT_INVALID;
      exp10 += exp_negative ? -e : e;
    }
  if (p != end)
    return ES_FLOAT_INVALID;

  if (truncated)
    return parse_slow (text, len, value);

  /* Trailing zeros of %.18e-style significands do not need the slow path. */
  while (m >= (1u << 24) && m % 10 == 0)
    {
      m /= 10;
      exp10++;
    }

  if (m >= (1u << 24) || exp10 > 10 || exp10 < -10)
    return parse_slow (text, len, value);

  v = (float) m;
  if (exp10 > 0)
    v *= pow10_exact[exp10];
  else if (exp10 < 0)
    v /= pow10_exact[-exp10];
  *value = negative ? -v : v;

  return ES_FLOAT_OK;
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
