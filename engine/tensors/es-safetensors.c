/* es-safetensors.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The header of a .safetensors file, checked before a byte of tensor data
 * is touched: the file comes from anywhere (a model hub), so every count
 * and offset in it is an untrusted number.
 */

#define G_LOG_DOMAIN "es-tensors"

#include "config.h"

#include "es-safetensors.h"

#include <string.h>

#include "es-engine-error.h"
#include "es-memory.h"
#include "es-tensors-private.h"

/* The format's own limit (safetensors' MAX_HEADER_SIZE). */
#define MAX_HEADER_BYTES (100u << 20)
#define MAX_JSON_DEPTH 64

struct _EsSafetensors
{
  GArray  *tensors;      /* EsTensorInfo, by data offset */
  guint64  data_start;
};

static const struct
{
  const char   *name;
  guint         size;
  EsTensorType  type;
} dtypes[] = {
  { "F16", 2, ES_TENSOR_F16 }, { "BF16", 2, ES_TENSOR_BF16 }, { "F32", 4, ES_TENSOR_F32 },
  { "F64", 8, ES_TENSOR_F64 }, { "BOOL", 1, ES_TENSOR_OTHER }, { "U8", 1, ES_TENSOR_OTHER },
  { "I8", 1, ES_TENSOR_OTHER }, { "F8_E5M2", 1, ES_TENSOR_OTHER }, { "F8_E4M3", 1, ES_TENSOR_OTHER },
  { "I16", 2, ES_TENSOR_OTHER }, { "U16", 2, ES_TENSOR_OTHER }, { "I32", 4, ES_TENSOR_OTHER },
  { "U32", 4, ES_TENSOR_OTHER }, { "I64", 8, ES_TENSOR_OTHER }, { "U64", 8, ES_TENSOR_OTHER },
};

/* The usual names of the token-embedding matrix (Llama/Mistral/Qwen, BERT
 * family, GPT-2, Llama's original checkpoints, GPT-NeoX, T5, Falcon…).
 */
static const char *const embedding_names[] = {
  "model.embed_tokens.weight", "embed_tokens.weight",
  "bert.embeddings.word_embeddings.weight", "embeddings.word_embeddings.weight",
  "roberta.embeddings.word_embeddings.weight", "distilbert.embeddings.word_embeddings.weight",
  "transformer.wte.weight", "wte.weight", "tok_embeddings.weight", "gpt_neox.embed_in.weight",
  "embed_in.weight", "transformer.word_embeddings.weight", "word_embeddings.weight",
  "shared.weight", "encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight",
  "transformer.embedding.word_embeddings.weight",
};

gboolean
es_safetensors_sniff (const guint8 *data,
                      gsize         len)
{
  return len >= 9 && data[8] == '{' && data[5] == 0 && data[6] == 0 && data[7] == 0;
}

/* Nesting of objects and arrays outside strings, stopped at the first
 * level too deep: json-glib's parser recurses, so "[[[[…" of 100 MB must
 * never reach it.
 */
static gboolean
check_depth (const char  *name,
             const char  *json,
             gsize        len,
             guint64      offset,
             GError     **error)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char c = json[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        {
          if (++depth > MAX_JSON_DEPTH)
            {
              g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_HEADER,
                           "%s: byte %" G_GUINT64_FORMAT ": JSON nested more than %u deep; "
                           "expected a flat header", name, offset + i, MAX_JSON_DEPTH);
              return FALSE;
            }
        }
      else if ((c == '}' || c == ']') && depth > 0)
        depth--;
    }

  return TRUE;
}

JsonParser *
_es_json_parse (const char  *name,
                const char  *json,
                gsize        len,
                guint64      offset,
                const char  *what,
                GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  guint64 bytes;

  /* Nodes, strings and hash tables: a generous 32 bytes per input byte. */
  if (!es_memory_check (len, 32, what, &bytes, error) ||
      !check_depth (name, json, len, offset, error))
    return NULL;
  if (len > G_MAXSSIZE)
    len = G_MAXSSIZE;
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, json, (gssize) len, &local_error))
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_HEADER,
                   "%s: %s (bytes %" G_GUINT64_FORMAT "–%" G_GUINT64_FORMAT ") is not valid JSON: %s",
                   name, what, offset, offset + len, local_error->message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_HEADER,
                   "%s: %s (byte %" G_GUINT64_FORMAT ") must be a JSON object {…}",
                   name, what, offset);
      return NULL;
    }

  return g_steal_pointer (&parser);
}

static void
tensor_info_clear (gpointer pointer)
{
  EsTensorInfo *info = pointer;

  g_free (info->name);
  g_free (info->dtype);
}

void
es_safetensors_free (EsSafetensors *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->tensors);
  g_free (self);
}

/* A non-negative JSON integer, or FALSE. */
static gboolean
get_count (JsonNode *node,
           guint64  *value)
{
  gint64 v;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  v = json_node_get_int (node);
  if (v < 0)
    return FALSE;
  *value = (guint64) v;

  return TRUE;
}

static gboolean
tensor_error (GError     **error,
              const char  *name,
              const char  *tensor,
              const char  *format,
              ...) G_GNUC_PRINTF (4, 5);

static gboolean
tensor_error (GError     **error,
              const char  *name,
              const char  *tensor,
              const char  *format,
              ...)
{
  g_autofree char *what = NULL;
  g_autofree char *shown = g_utf8_make_valid (tensor, MIN (strlen (tensor), 200));
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_HEADER,
               "%s: tensor '%s' in the header: %s", name, shown, what);

  return FALSE;
}

static gboolean
read_tensor (const char    *name,
             const char    *tensor,
             JsonNode      *node,
             guint64        data_len,
             EsTensorInfo  *info,
             GError       **error)
{
  JsonObject *object;
  JsonNode *dtype_node;
  JsonArray *shape, *offsets;
  const char *dtype;
  guint64 elements = 1, bytes;
  guint size = 0;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return tensor_error (error, name, tensor, "expected an object {\"dtype\", \"shape\", \"data_offsets\"}");
  object = json_node_get_object (node);
  dtype_node = json_object_get_member (object, "dtype");
  if (dtype_node == NULL || !JSON_NODE_HOLDS_VALUE (dtype_node) ||
      json_node_get_value_type (dtype_node) != G_TYPE_STRING)
    return tensor_error (error, name, tensor, "expected \"dtype\": a string such as \"F32\"");
  dtype = json_node_get_string (dtype_node);
  for (guint i = 0; i < G_N_ELEMENTS (dtypes); i++)
    if (strcmp (dtype, dtypes[i].name) == 0)
      {
        size = dtypes[i].size;
        info->type = dtypes[i].type;
      }
  if (size == 0)
    {
      g_autofree char *shown = g_utf8_make_valid (dtype, MIN (strlen (dtype), 40));

      return tensor_error (error, name, tensor, "unknown dtype '%s' (expected F16, BF16, F32, F64, "
                           "or an integer, bool or F8 type)", shown);
    }

  if (!json_object_has_member (object, "shape") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "shape")))
    return tensor_error (error, name, tensor, "expected \"shape\": an array of sizes");
  shape = json_object_get_array_member (object, "shape");
  if (json_array_get_length (shape) > ES_TENSOR_MAX_DIMS)
    return tensor_error (error, name, tensor, "%u dimensions; at most %u are read",
                         json_array_get_length (shape), ES_TENSOR_MAX_DIMS);
  info->n_dims = json_array_get_length (shape);
  for (guint i = 0; i < info->n_dims; i++)
    {
      if (!get_count (json_array_get_element (shape, i), &info->shape[i]))
        return tensor_error (error, name, tensor, "shape entry %u is not a non-negative integer", i + 1);
      if (!g_uint64_checked_mul (&elements, elements, info->shape[i]))
        return tensor_error (error, name, tensor, "its shape has more elements than 64 bits can count");
    }

  if (!json_object_has_member (object, "data_offsets") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "data_offsets")) ||
      json_array_get_length (offsets = json_object_get_array_member (object, "data_offsets")) != 2 ||
      !get_count (json_array_get_element (offsets, 0), &info->begin) ||
      !get_count (json_array_get_element (offsets, 1), &info->end) ||
      info->begin > info->end)
    return tensor_error (error, name, tensor, "expected \"data_offsets\": [BEGIN, END] with 0 <= BEGIN <= END");
  if (info->end > data_len)
    return tensor_error (error, name, tensor, "data_offsets end at byte %" G_GUINT64_FORMAT
                         " of the data, which has %" G_GUINT64_FORMAT " bytes", info->end, data_len);
  if (!g_uint64_checked_mul (&bytes, elements, size))
    return tensor_error (error, name, tensor, "its shape needs more bytes than 64 bits can count");
  if (bytes != info->end - info->begin)
    {
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; i < info->n_dims; i++)
        g_string_append_printf (text, "%s%" G_GUINT64_FORMAT, i > 0 ? ", " : "", info->shape[i]);
      return tensor_error (error, name, tensor, "%s of shape [%s] needs %" G_GUINT64_FORMAT
                           " bytes, but its data_offsets [%" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT
                           "] span %" G_GUINT64_FORMAT, dtype, text->str, bytes, info->begin,
                           info->end, info->end - info->begin);
    }
  info->name = g_strdup (tensor);
  info->dtype = g_strdup (dtype);

  return TRUE;
}

static int
compare_offsets (gconstpointer a,
                 gconstpointer b)
{
  const EsTensorInfo *x = a, *y = b;

  if (x->begin != y->begin)
    return x->begin < y->begin ? -1 : 1;
  return x->end < y->end ? -1 : x->end > y->end;
}

EsSafetensors *
es_safetensors_parse (const char    *name,
                      const guint8  *data,
                      gsize          len,
                      GError       **error)
{
  g_autoptr(EsSafetensors) self = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *root;
  guint64 header_len, data_len;

  if (len < 8)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TRUNCATED,
                   "%s: %" G_GSIZE_FORMAT " bytes; a safetensors file starts with an 8-byte header length",
                   name, len);
      return NULL;
    }
  header_len = 0;
  for (guint i = 0; i < 8; i++)
    header_len |= (guint64) data[i] << (8 * i);
  if (header_len > len - 8)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TRUNCATED,
                   "%s: byte 0: the header length is %" G_GUINT64_FORMAT " bytes, but only %"
                   G_GSIZE_FORMAT " follow it", name, header_len, len - 8);
      return NULL;
    }
  if (header_len > MAX_HEADER_BYTES)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_HEADER,
                   "%s: byte 0: a header of %" G_GUINT64_FORMAT " bytes; safetensors headers are "
                   "at most %u", name, header_len, MAX_HEADER_BYTES);
      return NULL;
    }
  parser = _es_json_parse (name, (const char *) data + 8, header_len, 8, "the header", error);
  if (parser == NULL)
    return NULL;
  data_len = len - 8 - header_len;

  self = g_new0 (EsSafetensors, 1);
  self->tensors = g_array_new (FALSE, TRUE, sizeof (EsTensorInfo));
  g_array_set_clear_func (self->tensors, tensor_info_clear);
  self->data_start = 8 + header_len;
  root = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (root);
  for (GList *l = members; l != NULL; l = l->next)
    {
      EsTensorInfo info = { 0 };

      if (strcmp (l->data, "__metadata__") == 0)
        continue;
      if (!read_tensor (name, l->data, json_object_get_member (root, l->data), data_len, &info, error))
        {
          tensor_info_clear (&info);
          return NULL;
        }
      g_array_append_val (self->tensors, info);
    }

  /* Tensors may not share bytes: one would be read as another's data. */
  g_array_sort (self->tensors, compare_offsets);
  for (guint i = 1; i < self->tensors->len; i++)
    {
      const EsTensorInfo *a = &g_array_index (self->tensors, EsTensorInfo, i - 1);
      const EsTensorInfo *b = &g_array_index (self->tensors, EsTensorInfo, i);

      if (b->begin < a->end)
        {
          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_HEADER,
                       "%s: tensors '%s' (bytes %" G_GUINT64_FORMAT "–%" G_GUINT64_FORMAT ") and '%s' "
                       "(bytes %" G_GUINT64_FORMAT "–%" G_GUINT64_FORMAT ") overlap; expected "
                       "disjoint data_offsets", name, a->name, self->data_start + a->begin,
                       self->data_start + a->end, b->name, self->data_start + b->begin,
                       self->data_start + b->end);
          return NULL;
        }
    }

  return g_steal_pointer (&self);
}

guint
es_safetensors_get_n_tensors (const EsSafetensors *self)
{
  return self->tensors->len;
}

const EsTensorInfo *
es_safetensors_get_tensor (const EsSafetensors *self,
                           guint                index)
{
  g_return_val_if_fail (index < self->tensors->len, NULL);

  return &g_array_index (self->tensors, EsTensorInfo, index);
}

const EsTensorInfo *
es_safetensors_find (const EsSafetensors *self,
                     const char          *name)
{
  for (guint i = 0; i < self->tensors->len; i++)
    if (strcmp (g_array_index (self->tensors, EsTensorInfo, i).name, name) == 0)
      return &g_array_index (self->tensors, EsTensorInfo, i);

  return NULL;
}

guint64
es_safetensors_get_data_start (const EsSafetensors *self)
{
  return self->data_start;
}

const char *
es_safetensors_pick_embeddings (const char * const *names,
                                guint               n_names,
                                const char         *requested,
                                const char         *file_name,
                                GError            **error)
{
  g_autoptr(GString) some = g_string_new (NULL);

  if (requested != NULL)
    {
      for (guint i = 0; i < n_names; i++)
        if (strcmp (names[i], requested) == 0)
          return names[i];
    }
  else
    {
      for (guint k = 0; k < G_N_ELEMENTS (embedding_names); k++)
        for (guint i = 0; i < n_names; i++)
          if (strcmp (names[i], embedding_names[k]) == 0)
            return names[i];
      for (guint k = 0; k < G_N_ELEMENTS (embedding_names); k++)
        for (guint i = 0; i < n_names; i++)
          if (g_str_has_suffix (names[i], embedding_names[k]))
            return names[i];
    }

  for (guint i = 0; i < MIN (n_names, 8); i++)
    g_string_append_printf (some, "%s%s", i > 0 ? ", " : "", names[i]);
  if (n_names > 8)
    g_string_append_printf (some, " and %u more", n_names - 8);
  if (requested != NULL)
    g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                 "%s: no tensor '%s'; it has %s%s", file_name, requested,
                 n_names > 0 ? some->str : "none", " (embedscope info lists them)");
  else
    g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_FORMAT,
                 "%s: none of its %u tensors has a usual token-embedding name (%s): name one "
                 "with --tensor", file_name, n_names, n_names > 0 ? some->str : "no tensors");

  return NULL;
}

gboolean
es_safetensors_index_sniff (const char *data,
                            gsize       len)
{
  gsize span = MIN (len, 4096);
  gsize i = 0;

  while (i < span && g_ascii_isspace (data[i]))
    i++;
  if (i == span || data[i] != '{')
    return FALSE;

  return g_strstr_len (data, span, "\"weight_map\"") != NULL;
}

/* The weight_map object of an index, or NULL with an error. */
static JsonObject *
weight_map (JsonParser  *parser,
            const char  *name,
            GError     **error)
{
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  JsonNode *map = json_object_get_member (root, "weight_map");

  if (map == NULL || !JSON_NODE_HOLDS_OBJECT (map))
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_HEADER,
                   "%s: expected a sharded-checkpoint index with \"weight_map\": {\"TENSOR\": \"SHARD\", …}",
                   name);
      return NULL;
    }

  return json_node_get_object (map);
}

GPtrArray *
es_safetensors_index_list (const char  *name,
                           const char  *json,
                           gsize        len,
                           GPtrArray  **shards,
                           GError     **error)
{
  g_autoptr(JsonParser) parser = _es_json_parse (name, json, len, 0, "the index", error);
  g_autoptr(GList) members = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  JsonObject *map;

  if (parser == NULL || (map = weight_map (parser, name, error)) == NULL)
    return NULL;
  members = g_list_sort (json_object_get_members (map), (GCompareFunc) strcmp);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (map, l->data);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_HEADER,
                       "%s: weight_map entry '%s' is not a shard file name", name, (const char *) l->data);
          return NULL;
        }
      g_ptr_array_add (names, g_strdup (l->data));
      g_ptr_array_add (files, g_strdup (json_node_get_string (node)));
    }
  *shards = g_steal_pointer (&files);

  return g_steal_pointer (&names);
}

char *
es_safetensors_index_find (const char  *name,
                           const char  *json,
                           gsize        len,
                           const char  *tensor,
                           char       **chosen,
                           GError     **error)
{
  g_autoptr(GPtrArray) shards = NULL;
  g_autoptr(GPtrArray) names = es_safetensors_index_list (name, json, len, &shards, error);
  const char *pick;
  const char *shard = NULL;

  if (names == NULL)
    return NULL;
  pick = es_safetensors_pick_embeddings ((const char * const *) names->pdata, names->len, tensor,
                                         name, error);
  if (pick == NULL)
    return NULL;
  for (guint i = 0; i < names->len; i++)
    if (g_ptr_array_index (names, i) == pick)
      shard = g_ptr_array_index (shards, i);
  /* Shards are files beside the index: a path could point anywhere. */
  if (shard == NULL || shard[0] == '\0' || strchr (shard, '/') != NULL ||
      strcmp (shard, ".") == 0 || strcmp (shard, "..") == 0)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_HEADER,
                   "%s: tensor '%s' is in shard '%s'; expected the name of a file beside the index",
                   name, pick, shard != NULL ? shard : "");
      return NULL;
    }
  *chosen = g_strdup (pick);

  return g_strdup (shard);
}
