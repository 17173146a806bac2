/* es-bytes-reader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TensorBoard projector raw tensors: little-endian float32, row-major, no
 * header at all, so the shape comes from the options or from the
 * projector_config.json next to the file.  Also used by the .npy reader
 * for the data part.
 */

#define G_LOG_DOMAIN "es-loader"

#include "config.h"

#include <math.h>
#include <string.h>

#include "es-engine-error.h"
#include "es-loader-private.h"

#include "es-float16.h"

gsize
_es_raw_type_size (EsRawType type)
{
  switch (type)
    {
    case ES_RAW_F16:
    case ES_RAW_BF16:
      return 2;
    case ES_RAW_F32:
      return 4;
    case ES_RAW_F64:
    default:
      return 8;
    }
}

/* One little-endian value of @type at @p as a float32: float16 and
 * bfloat16 exactly (es-float16.h), float64 rounded.
 */
static inline float
raw_value (const char *p,
           EsRawType   type)
{
  switch (type)
    {
    case ES_RAW_F16:
    case ES_RAW_BF16:
      {
        guint16 bits;

        memcpy (&bits, p, 2);
        bits = GUINT16_FROM_LE (bits);
        return type == ES_RAW_F16 ? es_float16_to_float (bits) : es_bfloat16_to_float (bits);
      }
    case ES_RAW_F32:
      {
        guint32 bits;
        float value;

        memcpy (&bits, p, 4);
        bits = GUINT32_FROM_LE (bits);
        memcpy (&value, &bits, 4);
        return value;
      }
    case ES_RAW_F64:
    default:
      {
        guint64 bits;
        double value;

        memcpy (&bits, p, 8);
        bits = GUINT64_FROM_LE (bits);
        memcpy (&value, &bits, 8);
        return (float) value;
      }
    }
}

/* Copies rows x dims little-endian values of @type from @src. */
gboolean
_es_read_raw_rows (EsLoadContext  *ctx,
                   EsRowBuilder   *builder,
                   const char     *src,
                   gsize           rows,
                   EsRawType       type,
                   GError        **error)
{
  gsize dims = builder->dims;
  gsize itemsize = _es_raw_type_size (type);
  gsize row_bytes = dims * itemsize;
  const char *released = src;

  for (gsize i = 0; i < rows; i++)
    {
      const char *p = src + i * row_bytes;
      gsize offset = p - ctx->data;
      float *slot;
      gboolean finite = TRUE;

      if (G_UNLIKELY (offset >= ctx->next_poll))
        {
          if (!_es_load_context_poll (ctx, offset, error))
            return FALSE;
          /* Rows already copied are not looked at again. */
          _es_load_context_release (ctx, released, p);
          released = p;
        }

      slot = _es_row_builder_slot (builder, error);
      if (slot == NULL)
        return FALSE;

      if (type == ES_RAW_F32)
        {
          for (gsize j = 0; j < dims; j++)
            {
              slot[j] = raw_value (p + 4 * j, ES_RAW_F32);
              finite &= isfinite (slot[j]) != 0;
            }
        }
      else
        {
          for (gsize j = 0; j < dims; j++)
            {
              slot[j] = raw_value (p + itemsize * j, type);
              finite &= isfinite (slot[j]) != 0;
            }
        }

      if (!finite)
        _es_load_warnings_add (ctx->warnings,
                               "%s: row %" G_GSIZE_FORMAT ", byte %" G_GSIZE_FORMAT
                               ": non-finite value (or out of float32 range)",
                               ctx->name, i + 1, offset);
      builder->rows++;
    }

  return TRUE;
}

EsEmbeddingSet *
_es_bytes_reader_load (EsLoadContext  *ctx,
                       gsize           rows,
                       gsize           dims,
                       GError        **error)
{
  g_auto(EsRowBuilder) builder = { 0 };
  guint64 bytes = 0;
  gsize wanted;

  if (rows == 0 || dims == 0)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "%s: raw float32 data needs both a row count and a dimension count",
                   ctx->name);
      return NULL;
    }
  if (!es_matrix_byte_size (rows, dims, &bytes))
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_DIMENSION,
                   "%s: a %" G_GSIZE_FORMAT " x %" G_GSIZE_FORMAT " float32 tensor needs more "
                   "bytes than 64 bits can count, the file has %" G_GSIZE_FORMAT,
                   ctx->name, rows, dims, ctx->len + ctx->data_offset);
      return NULL;
    }
  if (bytes != ctx->len + ctx->data_offset)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_DIMENSION,
                   "%s: a %" G_GSIZE_FORMAT " x %" G_GSIZE_FORMAT " float32 tensor needs %"
                   G_GUINT64_FORMAT " bytes, the file has %" G_GSIZE_FORMAT,
                   ctx->name, rows, dims, bytes, ctx->len + ctx->data_offset);
      return NULL;
    }
  /* A BOM-looking start is just float bytes here. */
  ctx->data -= ctx->data_offset;
  ctx->len += ctx->data_offset;
  ctx->data_offset = 0;

  wanted = ctx->options->limit > 0 ? MIN (rows, ctx->options->limit) : rows;
  if (!_es_row_builder_init (&builder, ctx, dims, wanted, error) ||
      !_es_read_raw_rows (ctx, &builder, ctx->data, wanted, ES_RAW_F32, error))
    return NULL;

  return _es_attach_projector_metadata (ctx, &builder, ctx->metadata_path, error);
}
