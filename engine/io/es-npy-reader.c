/* es-npy-reader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * NumPy .npy: "\x93NUMPY", version bytes, a little-endian header length
 * (2 bytes in v1, 4 in v2/v3) and a Python dict literal such as
 * {'descr': '<f4', 'fortran_order': False, 'shape': (150, 4), }.
 * Accepted: C order, little-endian f2/f4/f8, 2-D (rows × dims) or 3-D
 * (layers × tokens × dims: a transformer's hidden states), whose rows are
 * keyed by position (es-tensor-rows.c).
 */

#define G_LOG_DOMAIN "es-loader"

#include "config.h"

#include <string.h>

#include "es-engine-error.h"
#include "es-loader-private.h"
#include "es-memory.h"

/* The text after `'key':` (or `"key":`, which numpy reads too: the
 * header is a Python literal) in the header dict, blanks skipped.
 */
static const char *
dict_value (const char *dict,
            gsize       len,
            const char *key)
{
  const char *end = dict + len;

  for (guint q = 0; q < 2; q++)
    {
      g_autofree char *quoted = g_strdup_printf (q == 0 ? "'%s'" : "\"%s\"", key);
      gsize qlen = strlen (quoted);

      for (const char *p = dict; p + qlen <= end; p++)
        {
          if (memcmp (p, quoted, qlen) != 0)
            continue;
          p += qlen;
          while (p < end && (*p == ' ' || *p == ':'))
            p++;
          return p;
        }
    }

  return NULL;
}

/* A quoted string value @text ('<f4' or "<f4") at @p. */
static gboolean
quoted_is (const char *p,
           const char *text)
{
  gsize n = strlen (text);

  return (p[0] == '\'' || p[0] == '"') && memcmp (p + 1, text, n) == 0 && p[n + 1] == p[0];
}

static gboolean
npy_error (EsLoadContext  *ctx,
           GError        **error,
           const char     *what)
{
  g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_FORMAT,
               "%s: unsupported .npy file: %s", ctx->name, what);
  return FALSE;
}

EsEmbeddingSet *
_es_npy_reader_load (EsLoadContext  *ctx,
                     GError        **error)
{
  g_auto(EsRowBuilder) builder = { 0 };
  const guint8 *data = (const guint8 *) ctx->data;
  gsize len = ctx->len;
  guint8 major;
  gsize header_len, header_start;
  const char *dict, *dict_end, *p;
  EsRawType type;
  guint64 shape[3];
  guint64 rows, data_skip = 0;
  guint n_shape = 0;
  guint64 bytes;
  gsize wanted;

  if (len < 10)
    {
      npy_error (ctx, error, "truncated header");
      return NULL;
    }
  major = data[6];
  if (major == 1)
    {
      header_len = data[8] | (data[9] << 8);
      header_start = 10;
    }
  else if (major == 2 || major == 3)
    {
      if (len < 12)
        {
          npy_error (ctx, error, "truncated header");
          return NULL;
        }
      header_len = (gsize) data[8] | ((gsize) data[9] << 8) |
                   ((gsize) data[10] << 16) | ((gsize) data[11] << 24);
      header_start = 12;
    }
  else
    {
      npy_error (ctx, error, "unknown format version");
      return NULL;
    }
  if (header_len > len - header_start)
    {
      npy_error (ctx, error, "truncated header");
      return NULL;
    }
  dict = ctx->data + header_start;
  dict_end = dict + header_len;

  p = dict_value (dict, header_len, "descr");
  if (p == NULL || dict_end - p < 5)
    {
      npy_error (ctx, error, "no 'descr' in the header");
      return NULL;
    }
  if (quoted_is (p, "<f4"))
    type = ES_RAW_F32;
  else if (quoted_is (p, "<f8"))
    type = ES_RAW_F64;
  else if (quoted_is (p, "<f2"))
    type = ES_RAW_F16;
  else
    {
      npy_error (ctx, error, "dtype must be '<f2', '<f4' or '<f8' (float16, float32 or float64, little-endian)");
      return NULL;
    }

  p = dict_value (dict, header_len, "fortran_order");
  if (p == NULL || dict_end - p < 5 || memcmp (p, "False", 5) != 0)
    {
      npy_error (ctx, error, "only C order ('fortran_order': False) is supported");
      return NULL;
    }

  p = dict_value (dict, header_len, "shape");
  if (p == NULL || p >= dict_end || *p != '(')
    {
      npy_error (ctx, error, "no 'shape' in the header");
      return NULL;
    }
  for (p++; p < dict_end && *p != ')';)
    {
      const char *start;

      while (p < dict_end && (*p == ' ' || *p == ','))
        p++;
      if (p >= dict_end || *p == ')')
        break;
      start = p;
      while (p < dict_end && g_ascii_isdigit (*p))
        p++;
      if (n_shape == 3 || !_es_parse_uint (start, p - start, &shape[n_shape]))
        {
          npy_error (ctx, error, "the array must be 2-D (rows, dims) or 3-D (layers, tokens, dims)");
          return NULL;
        }
      n_shape++;
      while (p < dict_end && *p == 'L')   /* Python 2 longs */
        p++;
    }
  if (n_shape < 2 || p >= dict_end)
    {
      npy_error (ctx, error, "the array must be 2-D (rows, dims) or 3-D (layers, tokens, dims)");
      return NULL;
    }
  if (n_shape == 2)
    {
      /* (rows, dims) as (1, rows, dims) from here on. */
      shape[2] = shape[1];
      shape[1] = shape[0];
      shape[0] = 1;
    }
  if (shape[0] == 0 || shape[1] == 0 || shape[2] == 0)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_EMPTY,
                   "%s: file contains no vectors (shape %s)", ctx->name,
                   n_shape == 2 ? "with a zero" : "of layers × tokens × dims with a zero");
      return NULL;
    }

  if (!es_checked_mul (shape[0], shape[1], &rows) ||
      !es_checked_mul (rows, shape[2], &bytes) ||
      !es_checked_mul (bytes, _es_raw_type_size (type), &bytes) ||
      bytes > len - header_start - header_len)
    {
      g_autofree char *shape_text = n_shape == 2
        ? g_strdup_printf ("%" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT, shape[1], shape[2])
        : g_strdup_printf ("%" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT,
                           shape[0], shape[1], shape[2]);

      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TRUNCATED,
                   "%s: shape (%s) needs more data than the %" G_GSIZE_FORMAT " bytes after the header",
                   ctx->name, shape_text, len - header_start - header_len);
      return NULL;
    }

  if (n_shape == 3 && ctx->options->select_layer)
    {
      if (ctx->options->layer >= shape[0])
        {
          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                       "%s: layer %u of a tensor with %" G_GUINT64_FORMAT " layers (0 to %"
                       G_GUINT64_FORMAT ")", ctx->name, ctx->options->layer, shape[0], shape[0] - 1);
          return NULL;
        }
      rows = shape[1];
      data_skip = (guint64) ctx->options->layer * shape[1] * shape[2] * _es_raw_type_size (type);
    }

  wanted = ctx->options->limit > 0 ? MIN (rows, ctx->options->limit) : rows;
  if (!_es_row_builder_init (&builder, ctx, shape[2], wanted, error) ||
      !_es_read_raw_rows (ctx, &builder, dict_end + data_skip, wanted, type, error))
    return NULL;

  if (n_shape == 3)
    return _es_tensor_rows_finish (ctx, &builder, shape[1],
                                   ctx->options->select_layer ? ctx->options->layer : 0,
                                   ctx->metadata_path, error);
  return _es_attach_projector_metadata (ctx, &builder, ctx->metadata_path, error);
}
