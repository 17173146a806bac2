/* es-float-parser-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The exact decimal-to-float32 step shared by the general parser
 * (es-float-parser.c) and the text reader's inlined line parser, so both
 * round identically by construction; and a branch-light digit reader
 * (8 bytes at a time) for the common values of large text files.
 */

#pragma once

#include <string.h>

#if defined (__SSE2__)
#include <emmintrin.h>
#endif

/* x86 compilers build SSSE3 functions on demand (target attribute). */
#if defined (__SSE2__) && (defined (__GNUC__) || defined (__clang__))
#define ES_HAVE_SPAN_SSSE3 1
#else
#define ES_HAVE_SPAN_SSSE3 0
#endif

#include <glib.h>

G_BEGIN_DECLS

static const float es_pow10_exact[] = {
  1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f,
};

/* m / 10^k correctly rounded to float, for m < 2^24 and 1 <= k <= 10.
 * A float division would do, but it is the slowest step of the parser;
 * multiplying by the double nearest 10^-k is off by at most about one
 * double ulp, so rounding that to float is exact unless the double sits
 * within a few ulps of a float rounding midpoint (its 29 extra bits near
 * 0x10000000).  Only then, about once in 10^8 values, divide.
 */
static inline float
_es_divide_exact (guint64 m,
                  int     k)
{
  static const double inverse[] = {
    1e0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10,
  };
  double d = (double) (gint64) m * inverse[k];   /* signed: one instruction */
  guint64 bits;
  guint64 low;

  memcpy (&bits, &d, sizeof bits);
  low = bits & ((G_GUINT64_CONSTANT (1) << 29) - 1);
  if (G_UNLIKELY (low - ((G_GUINT64_CONSTANT (1) << 28) - 8) <= 16))
    return (float) (gint64) m / es_pow10_exact[k];

  return (float) d;
}

/* m * 10^exp10 as a float when that is exact in one operation (m below
 * 2^24 once trailing zeros are dropped, |exp10| <= 10); FALSE otherwise,
 * and the caller needs strtof.
 */
static inline gboolean
_es_decimal_to_float (guint64   m,
                      int       exp10,
                      gboolean  negative,
                      float    *value)
{
  float v;

  /* Trailing zeros of %.18e-style significands do not need the slow path. */
  while (m >= (1u << 24) && m % 10 == 0)
    {
      m /= 10;
      exp10++;
    }
  if (m >= (1u << 24) || exp10 > 10 || exp10 < -10)
    return FALSE;

  /* Converted in each branch: the usual value (exp10 < 0) never needs
   * the int-to-float conversion of m.
   */
  if (exp10 < 0)
    v = _es_divide_exact (m, -exp10);
  else if (exp10 > 0)
    v = (float) (gint32) m * es_pow10_exact[exp10];
  else
    v = (float) (gint32) m;
  /* The sign by its bit: half the values of a file are negative, and a
   * branch on it would be mispredicted every other time.
   */
  {
    guint32 bits;

    memcpy (&bits, &v, sizeof bits);
    bits ^= (guint32) (negative != 0) << 31;
    memcpy (value, &bits, sizeof bits);
  }

  return TRUE;
}

/* Eight bytes at @p with '0'..'9' turned into 0..9 (little-endian order:
 * the first byte is the lowest).
 */
static inline guint64
_es_swar_load (const char *p)
{
  guint64 x;

  memcpy (&x, p, sizeof x);

  return GUINT64_FROM_LE (x) ^ G_GUINT64_CONSTANT (0x3030303030303030);
}

/* How many of the eight bytes of @x are digits before the first
 * non-digit.  A byte is a digit when its value is below 10; the + 0x76
 * test can carry into the next byte only from a non-digit byte, and bytes
 * after the first non-digit do not matter.
 */
static inline guint
_es_swar_count_digits (guint64 x)
{
  guint64 non_digit = ((x + G_GUINT64_CONSTANT (0x7676767676767676)) | x) &
                      G_GUINT64_CONSTANT (0x8080808080808080);

  return non_digit == 0 ? 8 : (guint) __builtin_ctzll (non_digit) / 8;
}

/* The value of the first @n (1..8) digits of @x, in three multiplications. */
static inline guint32
_es_swar_digits_value (guint64 x,
                       guint   n)
{
  x <<= 8 * (8 - n);   /* the digits last, zeros (leading zeros) before them */
  x = x * 10 + (x >> 8);
  x = (((x & G_GUINT64_CONSTANT (0x000000FF000000FF)) * G_GUINT64_CONSTANT (0x000F424000000064)) +
       (((x >> 16) & G_GUINT64_CONSTANT (0x000000FF000000FF)) * G_GUINT64_CONSTANT (0x0000271000000001))) >> 32;

  return (guint32) x;
}

/* The usual value of a large file (`-0.12345`, `0.0070105`, `1.5e-05`:
 * under 8 integer and 8 fraction digits, a short exponent), parsed up to
 * the first byte that cannot continue it, which is left in *stop.  The
 * text must be followed, within the same buffer, by a byte that is not
 * part of a number and then at least 16 readable bytes (a '\n' before the
 * end of the data does).  FALSE means "not sure": parse again with
 * _es_parse_float_prefix(), which knows every case and gives the same
 * result for everything this accepts.
 */
static inline gboolean
_es_parse_float_swar (const char  *p,
                      float       *value,
                      const char **stop)
{
  static const guint32 scale[] = { 1, 10, 100, 1000, 10000, 100000, 1000000, 10000000 };
  gboolean negative = *p == '-';
  guint64 x, m = 0;
  guint n_int, n_frac = 0;
  int exp10;

  p += negative;
  x = _es_swar_load (p);
  n_int = _es_swar_count_digits (x);
  if (n_int == 8)
    return FALSE;
  /* Most values have one integer digit ("0.", "-1."): it is the low byte. */
  if (n_int == 1)
    m = x & 0xff;
  else if (n_int > 0)
    m = _es_swar_digits_value (x, n_int);
  p += n_int;

  if (*p == '.')
    {
      x = _es_swar_load (++p);
      n_frac = _es_swar_count_digits (x);
      if (n_frac == 8)
        return FALSE;
      if (n_frac > 0)
        m = m * scale[n_frac] + _es_swar_digits_value (x, n_frac);
      p += n_frac;
    }
  if (n_int + n_frac == 0)
    return FALSE;
  exp10 = -(int) n_frac;

  if ((*p | 0x20) == 'e')
    {
      const char *q = p + 1;
      gboolean exp_negative = *q == '-';
      int e = 0;
      guint n_exp = 0;

      q += exp_negative || *q == '+';
      for (; (guint) (*q - '0') < 10 && n_exp < 4; q++, n_exp++)
        e = e * 10 + (*q - '0');
      if (n_exp == 0 || n_exp == 4)
        return FALSE;
      exp10 += exp_negative ? -e : e;
      p = q;
    }

  *stop = p;

  return _es_decimal_to_float (m, exp10, negative, value);
}

/* ±10^k, the sign in the divisor: m / -10^k is -(m / 10^k) exactly
 * (IEEE division rounds symmetrically), and 0 / -10^k is -0.
 */
static const float es_span_divisor[2][16] = {
  { 1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f },
  { -1e0f, -1e1f, -1e2f, -1e3f, -1e4f, -1e5f, -1e6f, -1e7f, -1e8f },
};

/* The usual value again (`-0.12345`, `0.0070105`: one '.', 1 to 8
 * digits, at most 9 bytes after the sign), when its end is known (the
 * next separator): the digits either side of the '.' are joined from two
 * overlapping loads, so one digit check and one digit reader do both
 * halves.  TRUE when the value is *m / *divisor, one IEEE division of
 * exact float operands (m < 2^24, ±10^k with k <= 8 digits after the
 * '.'), which is the correctly rounded m / 10^k that
 * _es_decimal_to_float() gives for the m and exponent
 * _es_parse_float_swar() reads (the digits without the '.', minus the
 * count after it); _es_span_divide() does the divisions of a line
 * together, without waiting for each.  @end > @p, and 16 bytes past @p
 * readable.  FALSE means "not this form": parse with
 * _es_parse_float_swar().
 */
static inline gboolean
_es_parse_float_span (const char *p,
                      const char *end,
                      guint32    *m,
                      float      *divisor)
{
  const guint64 high = G_GUINT64_CONSTANT (0x8080808080808080);
  const guint64 add = G_GUINT64_CONSTANT (0x7676767676767676);
  guint negative = *p == '-';
  guint64 lo, hi, x, keep;
  guint64 len;
  guint d8;

  p += negative;
  len = (guint64) (end - p);
  lo = _es_swar_load (p);
  hi = _es_swar_load (p + 1);
  /* 8 x the first non-digit (56 when the first eight are digits: then
   * the byte there is no '.' and the check below fails).
   */
  d8 = (guint) __builtin_ctzll ((((lo + add) | lo) & high) | (G_GUINT64_CONSTANT (1) << 63)) & ~7u;
  /* The digits before the '.' from @lo, those after it from @hi, then
   * the len - 1 digits moved last, zeros (leading zeros) before them, as
   * _es_swar_digits_value() has them.
   */
  keep = (G_GUINT64_CONSTANT (1) << d8) - 1;
  x = hi ^ ((lo ^ hi) & keep);
  x <<= (72 - 8 * len) & 63;
  /* The '.' ('.' ^ '0' after _es_swar_load), and digits only. */
  if (G_UNLIKELY (len - 2 > 7 ||
                  ((lo >> d8) & 0xff) != ('.' ^ '0') ||
                  (((x + add) | x) & high) != 0))
    return FALSE;

  x = x * 10 + (x >> 8);
  x = (((x & G_GUINT64_CONSTANT (0x000000FF000000FF)) * G_GUINT64_CONSTANT (0x000F424000000064)) +
       (((x >> 16) & G_GUINT64_CONSTANT (0x000000FF000000FF)) * G_GUINT64_CONSTANT (0x0000271000000001))) >> 32;
  /* Eight digits may pass 2^24: _es_decimal_to_float()'s to round. */
  if (G_UNLIKELY (x >= (1u << 24)))
    return FALSE;
  *m = (guint32) x;
  *divisor = es_span_divisor[negative][(len - 1 - d8 / 8) & 15];

  return TRUE;
}

#if ES_HAVE_SPAN_SSSE3
#include <tmmintrin.h>

extern const guint8 _es_span_shuffle[2][9][9][16];

/* _es_parse_float_span() with SSSE3 (chosen at run time): one 16-byte
 * load, the '.' found by a compare, the digits put in order by one byte
 * shuffle (which drops the sign and the '.'), checked, and summed by
 * three multiply-adds.  Same form, same m and divisor, same FALSE.
 */
__attribute__ ((target ("ssse3"))) static inline gboolean
_es_parse_float_span_ssse3 (const char *p,
                            const char *end,
                            guint32    *m,
                            float      *divisor)
{
  __m128i v = _mm_loadu_si128 ((const __m128i *) p);
  guint negative = *p == '-';
  guint64 len = (guint64) (end - p);
  guint64 n = len - negative - 1;
  guint d = (guint) __builtin_ctz ((guint) _mm_movemask_epi8 (_mm_cmpeq_epi8 (v, _mm_set1_epi8 ('.'))) | 0x10000u);
  guint d_rel = d - negative;
  __m128i digits, t;
  guint32 x;

  /* 1 to 8 digits, and the first '.' inside the value (not the sign's
   * place: that is a '-' when there is one).
   */
  if (G_UNLIKELY (n - 1 > 7 || d >= len))
    return FALSE;
  digits = _mm_shuffle_epi8 (_mm_sub_epi8 (v, _mm_set1_epi8 ('0')),
                             _mm_loadu_si128 ((const __m128i *) _es_span_shuffle[negative][d_rel][n]));
  /* Every byte taken a digit (the rest are zeros). */
  if (G_UNLIKELY (_mm_movemask_epi8 (_mm_cmpeq_epi8 (_mm_min_epu8 (digits, _mm_set1_epi8 (9)), digits)) != 0xFFFF))
    return FALSE;
  t = _mm_maddubs_epi16 (digits, _mm_setr_epi8 (10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1));
  t = _mm_madd_epi16 (t, _mm_setr_epi16 (100, 1, 100, 1, 100, 1, 100, 1));
  t = _mm_packs_epi32 (t, t);
  t = _mm_madd_epi16 (t, _mm_setr_epi16 (10000, 1, 10000, 1, 10000, 1, 10000, 1));
  x = (guint32) _mm_cvtsi128_si32 (t);
  if (G_UNLIKELY (x >= (1u << 24)))
    return FALSE;
  *m = x;
  *divisor = es_span_divisor[negative][n - d_rel];

  return TRUE;
}
#endif

/* out[i] = m[i] / divisor[i], as _es_parse_float_span() describes. */
static inline void
_es_span_divide (const guint32 *m,
                 const float   *divisor,
                 float         *out,
                 gsize          n)
{
  gsize i = 0;

#if defined (__SSE2__)
  for (; i + 4 <= n; i += 4)
    {
      __m128 v = _mm_cvtepi32_ps (_mm_loadu_si128 ((const __m128i *) (m + i)));

      _mm_storeu_ps (out + i, _mm_div_ps (v, _mm_loadu_ps (divisor + i)));
    }
#endif
  for (; i < n; i++)
    out[i] = (float) (gint32) m[i] / divisor[i];
}

G_END_DECLS
