/* es-token-vocab.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-tensors"

#include "config.h"

#include "es-token-vocab.h"

#include <string.h>

#include "es-engine-error.h"
#include "es-memory.h"
#include "es-tensors-private.h"

struct _EsTokenVocab
{
  GPtrArray *tokens;      /* by id; NULL for gaps */
  gsize      max_ids;
  gsize      n_beyond;
  gboolean   byte_level;
};

void
es_token_vocab_free (EsTokenVocab *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->tokens);
  g_free (self);
}

static void
set_token (EsTokenVocab *self,
           gint64        id,
           const char   *token,
           gsize         len)
{
  if (id < 0 || (guint64) id >= self->max_ids)
    {
      self->n_beyond++;
      return;
    }
  if ((gsize) id >= self->tokens->len)
    g_ptr_array_set_size (self->tokens, id + 1);
  if (g_ptr_array_index (self->tokens, id) == NULL)
    g_ptr_array_index (self->tokens, id) = g_strndup (token, len);
}

static gboolean
has_type (JsonObject *root,
          const char *member,
          const char *type)
{
  JsonNode *node = json_object_get_member (root, member);
  JsonObject *object;
  JsonNode *inner;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  object = json_node_get_object (node);
  if (g_strcmp0 (json_object_get_string_member_with_default (object, "type", ""), type) == 0)
    return TRUE;
  /* {"type": "Sequence", "decoders"/"pretokenizers": […]} */
  inner = json_object_get_member (object, g_str_equal (member, "decoder") ? "decoders" : "pretokenizers");
  if (inner != NULL && JSON_NODE_HOLDS_ARRAY (inner))
    {
      JsonArray *array = json_node_get_array (inner);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_OBJECT (element) &&
              g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (element),
                                                                      "type", ""), type) == 0)
            return TRUE;
        }
    }

  return FALSE;
}

static gboolean
vocab_error (GError     **error,
             const char  *name,
             const char  *what)
{
  g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_FORMAT,
               "%s: expected %s", name, what);
  return FALSE;
}

/* {"TOKEN": ID, …} */
static gboolean
read_map (EsTokenVocab  *self,
          JsonObject    *map,
          const char    *name,
          GError       **error)
{
  g_autoptr(GList) members = json_object_get_members (map);

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (map, l->data);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
        return vocab_error (error, name, "a vocabulary {\"TOKEN\": ID, …} with integer ids");
      set_token (self, json_node_get_int (node), l->data, strlen (l->data));
      if (strstr (l->data, "\xC4\xA0") != NULL)   /* Ġ: GPT-2's space */
        self->byte_level = TRUE;
    }

  return TRUE;
}

static gboolean
read_tokenizer_json (EsTokenVocab  *self,
                     JsonObject    *root,
                     const char    *name,
                     GError       **error)
{
  JsonNode *model = json_object_get_member (root, "model");
  JsonNode *vocab = NULL;
  JsonNode *added;

  if (model == NULL)
    {
      self->byte_level = FALSE;
      return read_map (self, root, name, error);
    }
  if (JSON_NODE_HOLDS_OBJECT (model))
    vocab = json_object_get_member (json_node_get_object (model), "vocab");
  if (vocab != NULL && JSON_NODE_HOLDS_OBJECT (vocab))
    {
      if (!read_map (self, json_node_get_object (vocab), name, error))
        return FALSE;
    }
  else if (vocab != NULL && JSON_NODE_HOLDS_ARRAY (vocab))
    {
      JsonArray *array = json_node_get_array (vocab);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *entry = json_array_get_element (array, i);
          JsonNode *token;

          if (!JSON_NODE_HOLDS_ARRAY (entry) || json_array_get_length (json_node_get_array (entry)) < 1 ||
              !JSON_NODE_HOLDS_VALUE (token = json_array_get_element (json_node_get_array (entry), 0)) ||
              json_node_get_value_type (token) != G_TYPE_STRING)
            return vocab_error (error, name, "model.vocab entries [\"TOKEN\", SCORE]");
          set_token (self, i, json_node_get_string (token), strlen (json_node_get_string (token)));
        }
    }
  else
    return vocab_error (error, name, "a tokenizer.json with model.vocab (an object or a list)");

  added = json_object_get_member (root, "added_tokens");
  if (added != NULL && JSON_NODE_HOLDS_ARRAY (added))
    {
      JsonArray *array = json_node_get_array (added);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *entry = json_array_get_element (array, i);
          JsonObject *object;
          JsonNode *id, *content;

          if (!JSON_NODE_HOLDS_OBJECT (entry))
            continue;
          object = json_node_get_object (entry);
          id = json_object_get_member (object, "id");
          content = json_object_get_member (object, "content");
          if (id != NULL && content != NULL && JSON_NODE_HOLDS_VALUE (id) && JSON_NODE_HOLDS_VALUE (content) &&
              json_node_get_value_type (id) == G_TYPE_INT64 && json_node_get_value_type (content) == G_TYPE_STRING)
            set_token (self, json_node_get_int (id), json_node_get_string (content),
                       strlen (json_node_get_string (content)));
        }
    }
  self->byte_level = has_type (root, "decoder", "ByteLevel") || has_type (root, "pre_tokenizer", "ByteLevel");

  return TRUE;
}

EsTokenVocab *
es_token_vocab_parse (const char  *name,
                      const char  *data,
                      gsize        len,
                      gsize        max_ids,
                      GError     **error)
{
  g_autoptr(EsTokenVocab) self = g_new0 (EsTokenVocab, 1);
  gsize i = 0;

  self->tokens = g_ptr_array_new_with_free_func (g_free);
  self->max_ids = max_ids;
  if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  while (i < len && g_ascii_isspace (data[i]))
    i++;
  if (i < len && data[i] == '{')
    {
      g_autoptr(JsonParser) parser = _es_json_parse (name, data, len, 0, "the vocabulary", error);

      if (parser == NULL ||
          !read_tokenizer_json (self, json_node_get_object (json_parser_get_root (parser)), name, error))
        return NULL;
    }
  else
    {
      const char *p = data + (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0);
      const char *end = data + len;
      gint64 id = 0;

      if (memchr (data, '\0', len) != NULL)
        {
          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_FORMAT,
                       "%s: byte %" G_GSIZE_FORMAT ": a NUL byte; expected a tokenizer.json, a "
                       "vocab.json or one token per line", name,
                       (gsize) ((const char *) memchr (data, '\0', len) - data));
          return NULL;
        }
      while (p < end)
        {
          const char *nl = memchr (p, '\n', end - p);
          const char *stop = nl != NULL ? nl : end;

          if (stop > p && stop[-1] == '\r')
            stop--;
          set_token (self, id++, p, stop - p);
          p = nl != NULL ? nl + 1 : end;
        }
    }

  return g_steal_pointer (&self);
}

gsize
es_token_vocab_get_size (const EsTokenVocab *self)
{
  return self->tokens->len;
}

const char *
es_token_vocab_get (const EsTokenVocab *self,
                    gsize               id)
{
  return id < self->tokens->len ? g_ptr_array_index (self->tokens, id) : NULL;
}

gsize
es_token_vocab_get_n_beyond (const EsTokenVocab *self)
{
  return self->n_beyond;
}

gboolean
es_token_vocab_is_byte_level (const EsTokenVocab *self)
{
  return self->byte_level;
}

/* GPT-2's bytes_to_unicode() backwards: printable Latin-1 bytes stand for
 * themselves, the other 68 bytes (0–32, 127–160, 173) for U+0100 onwards.
 */
static int
byte_of_char (gunichar c)
{
  if ((c >= 33 && c <= 126) || (c >= 161 && c <= 172) || (c >= 174 && c <= 255))
    return (int) c;
  if (c >= 256 && c < 256 + 68)
    {
      guint n = c - 256;

      if (n < 33)
        return (int) n;
      if (n < 33 + 34)
        return (int) (127 + n - 33);
      return 173;
    }

  return -1;
}

char *
es_token_display_text (const char *token,
                       gsize       len,
                       gboolean    byte_level)
{
  g_autofree char *valid = g_utf8_make_valid (token, len);
  g_autoptr(GString) text = g_string_new (NULL);

  if (byte_level)
    {
      for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);
          int b = c == ' ' ? ' ' : byte_of_char (c);

          if (b < 0)
            {
              g_string_assign (text, valid);
              break;
            }
          g_string_append_c (text, (char) b);
        }
      if (!g_utf8_validate_len (text->str, text->len, NULL))
        g_string_assign (text, valid);
    }
  else
    g_string_assign (text, valid);
  if (strstr (text->str, "\xE2\x96\x81") != NULL)   /* ▁ */
    {
      g_auto(GStrv) parts = g_strsplit (text->str, "\xE2\x96\x81", -1);
      g_autofree char *joined = g_strjoinv (" ", parts);

      g_string_assign (text, joined);
    }
  g_strstrip (text->str);
  if (text->str[0] == '\0')
    return g_steal_pointer (&valid);
  return g_strdup (text->str);
}

char *
es_token_vocab_decode (const EsTokenVocab *self,
                       const char         *token)
{
  if (self->byte_level && g_utf8_validate (token, -1, NULL))
    {
      g_autoptr(GString) bytes = g_string_new (NULL);

      for (const char *p = token; *p != '\0'; p = g_utf8_next_char (p))
        {
          int b = byte_of_char (g_utf8_get_char (p));

          if (b < 0)
            return g_strdup (token);
          g_string_append_c (bytes, (char) b);
        }
      if (g_utf8_validate_len (bytes->str, bytes->len, NULL))
        return g_string_free (g_steal_pointer (&bytes), FALSE);
      return g_strdup (token);
    }
  if (strstr (token, "\xE2\x96\x81") != NULL)   /* ▁ */
    {
      g_auto(GStrv) parts = g_strsplit (token, "\xE2\x96\x81", -1);

      return g_strjoinv (" ", parts);
    }

  return g_strdup (token);
}
