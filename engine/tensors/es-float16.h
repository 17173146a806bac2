/* es-float16.h: IEEE half and bfloat16 to float32, exactly
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <string.h>

#include <glib.h>

G_BEGIN_DECLS

/* Every half is a float32: normals re-biased (15 → 127), subnormals
 * (m × 2⁻²⁴) normalised, ±0 and ±Inf kept, NaN payloads shifted into the
 * top of the float mantissa (as numpy's npy_halfbits_to_floatbits does).
 */
static inline float
es_float16_to_float (guint16 half)
{
  guint32 sign = (guint32) (half & 0x8000u) << 16;
  guint32 exponent = (half >> 10) & 0x1fu;
  guint32 mantissa = half & 0x3ffu;
  guint32 bits;
  float value;

  if (exponent == 0x1f)
    bits = sign | 0x7f800000u | (mantissa << 13);
  else if (exponent != 0)
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  else if (mantissa == 0)
    bits = sign;
  else
    {
      guint32 shift = 0;

      while ((mantissa & 0x400u) == 0)
        {
          mantissa <<= 1;
          shift++;
        }
      bits = sign | ((113 - shift) << 23) | ((mantissa & 0x3ffu) << 13);
    }
  memcpy (&value, &bits, 4);

  return value;
}

/* bfloat16 is the top half of a float32. */
static inline float
es_bfloat16_to_float (guint16 bf16)
{
  guint32 bits = (guint32) bf16 << 16;
  float value;

  memcpy (&value, &bits, 4);

  return value;
}

G_END_DECLS
