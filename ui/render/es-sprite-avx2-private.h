/* es-sprite-avx2-private.h: the AVX2 steps shared by the 2D and 3D marker kernels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Eight pixels in 16-bit lanes, the same integer arithmetic as the scalar
 * _es_pixel_scale (): unpacking works within 128-bit halves (pixels 0, 1,
 * 4, 5 low; 2, 3, 6, 7 high) and the coverage is spread to match.  Only
 * for functions built with target ("avx2").
 */

#pragma once

#include <string.h>

#include <glib.h>
#include <immintrin.h>

G_BEGIN_DECLS

/* The premultiplied source of eight pixels: @color16 (one colour in
 * 16-bit lanes) scaled by the coverage bytes @c; only the first @n count,
 * the others are zero.
 */
__attribute__ ((target ("avx2"))) static inline void
_es_sprite_source8_avx2 (const guint8 *c,
                         int           n,
                         __m256i       color16,
                         __m256i      *slo,
                         __m256i      *shi)
{
  guint64 cov8;
  __m128i a, alo, ahi;
  __m256i a32;

  memcpy (&cov8, c, 8);
  if (n < 8)
    cov8 &= G_GUINT64_CONSTANT (0xffffffffffffffff) >> (8 * (8 - n));
  a = _mm_unpacklo_epi8 (_mm_cvtsi64_si128 ((long long) cov8), _mm_setzero_si128 ());
  a = _mm_add_epi16 (a, _mm_srli_epi16 (a, 7));
  alo = _mm_unpacklo_epi16 (a, a);
  ahi = _mm_unpackhi_epi16 (a, a);
  a32 = _mm256_inserti128_si256 (_mm256_castsi128_si256 (alo), ahi, 1);
  *slo = _mm256_srli_epi16 (_mm256_mullo_epi16 (color16, _mm256_unpacklo_epi32 (a32, a32)), 8);
  *shi = _mm256_srli_epi16 (_mm256_mullo_epi16 (color16, _mm256_unpackhi_epi32 (a32, a32)), 8);
}

/* 255 - each pixel's alpha, in every lane of the pixel, as a 0..256 factor. */
__attribute__ ((target ("avx2"))) static inline __m256i
_es_sprite_room_avx2 (__m256i x)
{
  __m256i room = _mm256_sub_epi16 (_mm256_set1_epi16 (255),
                                   _mm256_shufflehi_epi16 (_mm256_shufflelo_epi16 (x, 0xff), 0xff));

  return _mm256_add_epi16 (room, _mm256_min_epi16 (room, _mm256_set1_epi16 (1)));
}

G_END_DECLS
