/* test-safetensors.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * engine/tensors and the safetensors reader: float16 and bfloat16 to
 * float32 for every bit pattern (numpy's float16 as the reference, and
 * bfloat16's definition), the small checkpoints of data/safetensors
 * (tests/reference/make-safetensors-reference.py), tokenizer vocabularies,
 * and one test per hostile header.
 */

#define G_LOG_DOMAIN "test-safetensors"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "es-engine.h"
#include "es-float16.h"
#include "es-safetensors.h"
#include "es-token-vocab.h"

static char *
data_path (const char *dir,
           const char *file)
{
  return g_build_filename (g_test_get_dir (G_TEST_DIST), "data", "safetensors", dir, file, NULL);
}

static EsEmbeddingSet *
load (const char          *path,
      const EsLoadOptions *options,
      GError             **error)
{
  return es_loader_load_path (path, options, NULL, NULL, NULL, error);
}

/* ---- exact conversions ---- */

static void
test_float16_all (void)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  g_test_summary ("all 65,536 float16 patterns convert to numpy's float32, byte for byte");
  for (guint b = 0; b < 65536; b++)
    {
      float value = es_float16_to_float ((guint16) b);
      guint32 bits;

      memcpy (&bits, &value, 4);
      bits = GUINT32_TO_LE (bits);
      g_checksum_update (checksum, (const guchar *) &bits, 4);
    }
  /* /usr/bin/python3 tests/reference/make-safetensors-reference.py (numpy
   * 1.24.2): sha256 of np.arange(65536, dtype='<u2').view('<f2').astype('<f4').
   */
  g_assert_cmpstr (g_checksum_get_string (checksum), ==,
                   "f4fdd084f85448d28c84f20fabf4022ba938e40b7f382d2727dec6f41ac6267a");

  /* The classes by hand: ±0, the smallest subnormal, the largest
   * subnormal, the smallest normal, 1, the largest finite, ±Inf, NaN.
   */
  g_assert_true (es_float16_to_float (0x0000) == 0.0f && !signbit (es_float16_to_float (0x0000)));
  g_assert_true (es_float16_to_float (0x8000) == 0.0f && signbit (es_float16_to_float (0x8000)));
  g_assert_cmpfloat (es_float16_to_float (0x0001), ==, ldexpf (1.0f, -24));
  g_assert_cmpfloat (es_float16_to_float (0x03ff), ==, ldexpf (1023.0f, -24));
  g_assert_cmpfloat (es_float16_to_float (0x0400), ==, ldexpf (1.0f, -14));
  g_assert_cmpfloat (es_float16_to_float (0x3c00), ==, 1.0f);
  g_assert_cmpfloat (es_float16_to_float (0x7bff), ==, 65504.0f);
  g_assert_cmpfloat (es_float16_to_float (0xfc00), ==, -INFINITY);
  g_assert_true (isnan (es_float16_to_float (0x7e00)));
}

static void
test_bfloat16_all (void)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  g_test_summary ("all 65,536 bfloat16 patterns equal torch's float32 and their definition: "
                  "normals, subnormals, ±0, ±Inf, NaN with sign and payload");
  for (guint b = 0; b < 65536; b++)
    {
      float value = es_bfloat16_to_float ((guint16) b);
      guint sign = b >> 15, exponent = (b >> 7) & 0xff, mantissa = b & 0x7f;
      guint32 bits, le;

      memcpy (&bits, &value, 4);
      le = GUINT32_TO_LE (bits);
      g_checksum_update (checksum, (const guchar *) &le, 4);
      if (exponent == 0xff && mantissa != 0)
        {
          g_assert_true (isnan (value));
          g_assert_cmpuint (bits >> 16, ==, b);   /* payload and sign kept */
          continue;
        }
      if (exponent == 0xff)
        g_assert_cmpfloat (value, ==, sign ? -INFINITY : INFINITY);
      else if (exponent == 0)
        g_assert_cmpfloat (value, ==, (sign ? -1.0 : 1.0) * ldexp (mantissa, -133));
      else
        g_assert_cmpfloat (value, ==, (sign ? -1.0 : 1.0) * ldexp (128 + mantissa, (int) exponent - 134));
      g_assert_cmpint (signbit (value) != 0, ==, sign);
    }
  /* The same script with Debian's python3-torch 1.13.1: sha256 of
   * torch.from_numpy(np.arange(65536, dtype='<u2').astype(np.int16))
   * .view(torch.bfloat16).to(torch.float32).
   */
  g_assert_cmpstr (g_checksum_get_string (checksum), ==,
                   "9207d7eb28680a098c73dbe536d1ff7b94311dc417b9a385e0af6660683e93ca");
}

/* ---- the checkpoints of data/safetensors ---- */

static gboolean
warnings_contain (EsEmbeddingSet *set,
                  const char     *needle)
{
  GPtrArray *warnings = es_embedding_set_get_warnings (set);

  for (guint i = 0; i < warnings->len; i++)
    if (strstr (g_ptr_array_index (warnings, i), needle) != NULL)
      return TRUE;
  return FALSE;
}

static void
test_tiny (void)
{
  /* The script's BF16 rows as float32 (round to nearest even of
   * (arange(24).reshape(6, 4) - 11.5) / 3).
   */
  static const float embeddings[24] = {
    -3.828125, -3.5, -3.171875, -2.828125, -2.5, -2.171875, -1.8359375, -1.5, -1.1640625,
    -0.83203125, -0.5, -0.166992188, 0.166992188, 0.5, 0.83203125, 1.1640625, 1.5, 1.8359375,
    2.171875, 2.5, 2.828125, 3.171875, 3.5, 3.828125,
  };
  g_autofree char *path = data_path ("tiny", "model.safetensors");
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(EsEmbeddingSet) head = NULL;
  g_autoptr(GError) error = NULL;
  EsMetadata *metadata;
  EsLoadOptions options;

  g_test_summary ("a GPT-2-like checkpoint: the BF16 wte picked by name, row = token id, "
                  "byte-level tokens decoded in the metadata, a padded row labelled #5");
  set = load (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (es_embedding_set_get_format (set), ==, ES_FORMAT_SAFETENSORS);
  g_assert_cmpuint (es_embedding_set_get_rows (set), ==, 6);
  g_assert_cmpuint (es_embedding_set_get_dims (set), ==, 4);
  g_assert_cmpmem (es_matrix_get_data (es_embedding_set_get_matrix (set)), sizeof embeddings,
                   embeddings, sizeof embeddings);
  g_assert_cmpstr (es_embedding_set_get_word (set, 0), ==, "the");
  g_assert_cmpstr (es_embedding_set_get_word (set, 1), ==, "\xC4\xA0the");
  g_assert_cmpstr (es_embedding_set_get_word (set, 4), ==, "<|endoftext|>");
  g_assert_cmpstr (es_embedding_set_get_word (set, 5), ==, "#5");
  metadata = es_embedding_set_get_metadata (set);
  g_assert_cmpint (es_metadata_find_column (metadata, "text"), ==, 2);
  g_assert_cmpstr (es_metadata_get_value (metadata, 1, 2), ==, " the");
  g_assert_cmpstr (es_metadata_get_value (metadata, 2, 2), ==, " caf\xC3\xA9");
  g_assert_cmpstr (es_metadata_get_value (metadata, 3, 2), ==, "\n");
  g_assert_cmpstr (es_metadata_get_value (metadata, 5, 1), ==, "5");
  g_assert_true (warnings_contain (set, "1 of the 6 rows"));

  es_load_options_init (&options);
  options.tensor_name = "lm_head.weight";
  head = load (path, &options, &error);
  g_assert_no_error (error);
  /* F16 of (arange(24) - 7) / 16: exact in float16. */
  for (guint i = 0; i < 24; i++)
    g_assert_cmpfloat (es_matrix_get_data (es_embedding_set_get_matrix (head))[i], ==, (i - 7.0f) / 16);

  options.tensor_name = "transformer.ln_f.weight";
  g_assert_null (load (path, &options, &error));
  g_assert_nonnull (strstr (error->message, "expected a 2-D matrix"));
  g_clear_error (&error);
  options.tensor_name = "transformer.h.0.attn.bias";
  g_assert_null (load (path, &options, &error));
  g_assert_nonnull (strstr (error->message, "is I64; expected F32, F16, BF16"));
  g_clear_error (&error);
  options.tensor_name = "wpe.weight";
  g_assert_null (load (path, &options, &error));
  g_assert_nonnull (strstr (error->message, "no tensor 'wpe.weight'; it has transformer.wte.weight, "));
  g_clear_error (&error);

  /* The ceiling counts the converted float32 tensor. */
  es_load_options_init (&options);
  options.memory_limit = 200;
  g_assert_null (load (path, &options, &error));
  g_assert_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_TOO_LARGE);
}

static void
test_display_tokens (void)
{
  g_autofree char *path = data_path ("tiny", "model.safetensors");
  g_autofree char *npy = g_build_filename (g_test_get_dir (G_TEST_DIST), "data", "npy", "hidden_f16.npy", NULL);
  g_autofree char *dir = g_dir_make_tmp ("es-tokens-XXXXXX", NULL);
  g_autofree char *pieces = g_build_filename (dir, "pieces.tsv", NULL);
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(EsEmbeddingSet) sub = NULL;
  g_autoptr(EsEmbeddingSet) hidden = NULL;
  g_autoptr(GError) error = NULL;
  const char *expected[] = { "the", "the", "caf\xC3\xA9", "\xC4\x8A", "<|endoftext|>", "#5" };
  const gsize rows[] = { 2, 1 };
  EsLoadOptions options;

  g_test_summary ("Tokens are shown decoded (GPT-2's byte table backwards: \"Ġthe\" → \"the\", "
                  "\"ĠcafÃ©\" → \"café\"; SentencePiece '▁' → space), trimmed; a token that decodes "
                  "to white space alone (\"Ċ\") shows raw; the words stay byte-exact");

  set = load (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (es_embedding_set_get_token_display (set), ==, ES_TOKEN_DISPLAY_BYTE_LEVEL);
  for (gsize r = 0; r < G_N_ELEMENTS (expected); r++)
    {
      g_autofree char *shown = es_embedding_set_dup_display_word (set, r);

      g_assert_cmpstr (shown, ==, expected[r]);
    }
  g_assert_cmpstr (es_embedding_set_get_word (set, 1), ==, "\xC4\xA0the");
  /* A subset (an isolated view) keeps the decoding. */
  sub = es_embedding_set_subset (set, rows, 2);
  {
    g_autofree char *shown = es_embedding_set_dup_display_word (sub, 0);

    g_assert_cmpstr (shown, ==, "caf\xC3\xA9");
  }

  /* Hidden states whose tokens are SentencePiece pieces: "▁the #0 @0" → "the #0 @0". */
  g_assert_true (g_file_set_contents (pieces, "\xE2\x96\x81the\n\xE2\x96\x81" "cat\ns\n\xE2\x96\x81mat\n", -1, NULL));
  es_load_options_init (&options);
  options.metadata_path = pieces;
  hidden = es_loader_load_path (npy, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (es_embedding_set_get_token_display (hidden), ==, ES_TOKEN_DISPLAY_PIECES);
  {
    g_autofree char *shown0 = es_embedding_set_dup_display_word (hidden, 0);
    g_autofree char *shown6 = es_embedding_set_dup_display_word (hidden, 6);

    g_assert_cmpstr (es_embedding_set_get_word (hidden, 0), ==, "\xE2\x96\x81the #0 @0");
    g_assert_cmpstr (shown0, ==, "the #0 @0");
    g_assert_cmpstr (shown6, ==, "s #2 @1");
  }

  /* Byte-level with the position suffix; undecodable stays raw. */
  {
    g_autofree char *a = es_token_display_text ("\xC4\xA0the #3 @1", strlen ("\xC4\xA0the #3 @1"), TRUE);
    g_autofree char *b = es_token_display_text ("\xC4\xA0", 2, TRUE);
    g_autofree char *c = es_token_display_text ("\xE4\xB8\xAD", 3, TRUE);   /* 中: not in the table */
    g_autofree char *d = es_token_display_text ("plain", 5, FALSE);

    g_assert_cmpstr (a, ==, "the #3 @1");
    g_assert_cmpstr (b, ==, "\xC4\xA0");
    g_assert_cmpstr (c, ==, "\xE4\xB8\xAD");
    g_assert_cmpstr (d, ==, "plain");
  }
  g_unlink (pieces);
  g_rmdir (dir);
}

static void
test_sharded (void)
{
  g_autofree char *path = data_path ("sharded", "model.safetensors.index.json");
  g_autofree char *list = data_path ("sharded", "vocab.txt");
  g_autoptr(EsEmbeddingSet) set = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("a sharded index loads the embeddings from the shard its weight_map names, "
                  "with vocab.txt's SentencePiece tokens");
  set = load (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (es_embedding_set_get_rows (set), ==, 4);
  g_assert_cmpuint (es_embedding_set_get_dims (set), ==, 3);
  for (guint i = 0; i < 12; i++)
    g_assert_cmpfloat (es_matrix_get_data (es_embedding_set_get_matrix (set))[i], ==, (i - 5.0f) / 4);
  g_assert_cmpstr (es_embedding_set_get_word (set, 1), ==, "\xE2\x96\x81the");
  g_assert_cmpstr (es_metadata_get_value (es_embedding_set_get_metadata (set), 1, 2), ==, " the");
  g_assert_cmpuint (es_embedding_set_get_warnings (set)->len, ==, 0);
  (void) list;
}

/* ---- vocabularies ---- */

static void
test_vocab_kinds (void)
{
  static const char unigram[] =
    "{\"model\": {\"type\": \"Unigram\", \"vocab\": [[\"<unk>\", 0], [\"\xE2\x96\x81the\", -1.5], [\"s\", -2]]}}";
  static const char vocab_json[] = "{\"a\": 0, \"\xC4\xA0" "b\": 1, \"c\": 7}";
  static const char list[] = "[PAD]\r\n[UNK]\r\nthe\r\n##s\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(EsTokenVocab) u = es_token_vocab_parse ("u.json", unigram, strlen (unigram), 10, &error);
  g_autoptr(EsTokenVocab) v = NULL;
  g_autoptr(EsTokenVocab) l = NULL;
  g_autofree char *decoded = NULL;

  g_test_summary ("tokenizer.json (Unigram list), vocab.json (map; ids beyond the rows counted) "
                  "and a plain CRLF list give tokens by id");
  g_assert_no_error (error);
  g_assert_cmpuint (es_token_vocab_get_size (u), ==, 3);
  g_assert_cmpstr (es_token_vocab_get (u, 1), ==, "\xE2\x96\x81the");
  decoded = es_token_vocab_decode (u, "\xE2\x96\x81the\xE2\x96\x81" "end");
  g_assert_cmpstr (decoded, ==, " the end");
  g_assert_false (es_token_vocab_is_byte_level (u));

  v = es_token_vocab_parse ("vocab.json", vocab_json, strlen (vocab_json), 5, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (es_token_vocab_get (v, 1), ==, "\xC4\xA0" "b");
  g_assert_null (es_token_vocab_get (v, 2));
  g_assert_cmpuint (es_token_vocab_get_n_beyond (v), ==, 1);
  g_assert_true (es_token_vocab_is_byte_level (v));

  l = es_token_vocab_parse ("vocab.txt", list, strlen (list), 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (es_token_vocab_get_size (l), ==, 4);
  g_assert_cmpstr (es_token_vocab_get (l, 3), ==, "##s");
}

static void
test_vocab_errors (void)
{
  static const char *const bad[] = {
    "{\"model\": {\"vocab\": {\"a\": \"zero\"}}}",
    "{\"model\": {\"vocab\": 3}}",
    "{\"model\": {\"vocab\": {\"a\": 0}",
    "the\nof\0and\n",
  };
  static const gsize lens[] = { 0, 0, 0, 11 };

  g_test_summary ("a vocabulary with a non-integer id, no vocab, broken JSON or a NUL byte is an "
                  "error naming the file");
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(EsTokenVocab) vocab = es_token_vocab_parse ("tok.json", bad[i],
                                                            lens[i] ? lens[i] : strlen (bad[i]), 10, &error);

      g_assert_null (vocab);
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, "tok.json: "));
    }
}

/* ---- hostile headers: one test each ---- */

typedef struct
{
  const char *name;
  const char *header;      /* NULL: built by the test (the JSON bomb) */
  gsize       data_len;
  gint64      length_delta;
  const char *needles[3];
} Hostile;

static const Hostile hostile[] = {
  { "length-past-end", "{}", 0, 1000, { "byte 0", "header length is 1002 bytes, but only 2 follow" } },
  { "json-garbage", "{\"a\": {\"dtype\": \"F32\", \"shape\": [1, 1], \"data_offsets\": [0, 4]", 4, 0,
    { "the header (bytes 8–", "not valid JSON" } },
  { "json-bomb", NULL, 0, 0, { "nested more than 64 deep" } },
  { "tensor-not-object", "{\"model.embed_tokens.weight\": 1}", 0, 0, { "expected an object" } },
  { "offsets-out-of-range",
    "{\"model.embed_tokens.weight\": {\"dtype\": \"F32\", \"shape\": [2, 2], \"data_offsets\": [0, 16]}}", 8, 0,
    { "data_offsets end at byte 16 of the data, which has 8 bytes" } },
  { "offsets-overlap",
    "{\"a\": {\"dtype\": \"F32\", \"shape\": [2, 2], \"data_offsets\": [0, 16]},"
    " \"model.embed_tokens.weight\": {\"dtype\": \"F32\", \"shape\": [2, 2], \"data_offsets\": [8, 24]}}", 24, 0,
    { "overlap", "'a'", "'model.embed_tokens.weight'" } },
  { "offsets-reversed",
    "{\"model.embed_tokens.weight\": {\"dtype\": \"F32\", \"shape\": [1, 1], \"data_offsets\": [8, 4]}}", 8, 0,
    { "BEGIN <= END" } },
  { "offset-negative",
    "{\"model.embed_tokens.weight\": {\"dtype\": \"F32\", \"shape\": [1, 1], \"data_offsets\": [-4, 0]}}", 8, 0,
    { "data_offsets" } },
  { "unknown-dtype",
    "{\"model.embed_tokens.weight\": {\"dtype\": \"F12\", \"shape\": [1, 1], \"data_offsets\": [0, 4]}}", 4, 0,
    { "unknown dtype 'F12'" } },
  { "shape-bytes-mismatch",
    "{\"model.embed_tokens.weight\": {\"dtype\": \"BF16\", \"shape\": [3, 2], \"data_offsets\": [0, 16]}}", 16, 0,
    { "BF16 of shape [3, 2] needs 12 bytes", "span 16" } },
  { "shape-overflow",
    "{\"model.embed_tokens.weight\": {\"dtype\": \"F32\", \"shape\": [4294967296, 4294967296, 4294967296],"
    " \"data_offsets\": [0, 4]}}", 4, 0, { "64 bits" } },
  { "shape-not-integer",
    "{\"model.embed_tokens.weight\": {\"dtype\": \"F32\", \"shape\": [2.5, 2], \"data_offsets\": [0, 4]}}", 4, 0,
    { "shape entry 1" } },
  { "no-embedding-name",
    "{\"foo.weight\": {\"dtype\": \"F32\", \"shape\": [1, 1], \"data_offsets\": [0, 4]}}", 4, 0,
    { "none of its 1 tensors", "--tensor" } },
  { "empty-header", "{}", 0, 0, { "none of its 0 tensors" } },
  { "one-dimensional",
    "{\"model.embed_tokens.weight\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]}}", 16, 0,
    { "1 dimensions; expected a 2-D matrix" } },
  { "zero-rows",
    "{\"model.embed_tokens.weight\": {\"dtype\": \"F32\", \"shape\": [0, 4], \"data_offsets\": [0, 0]}}", 0, 0,
    { "no rows" } },
};

static void
test_hostile (gconstpointer data)
{
  const Hostile *h = data;
  g_autofree char *dir = g_dir_make_tmp ("es-safetensors-XXXXXX", NULL);
  g_autofree char *path = g_strdup_printf ("%s/%s.safetensors", dir, h->name);
  g_autoptr(GString) header = g_string_new (h->header);
  g_autoptr(GString) file = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(EsEmbeddingSet) set = NULL;
  guint64 length;

  g_test_summary (h->name);
  if (h->header == NULL)
    {
      /* A 1 MB JSON bomb: json-glib would recurse once per bracket. */
      g_string_assign (header, "{\"model.embed_tokens.weight\": ");
      for (guint i = 0; i < (1u << 20); i++)
        g_string_append_c (header, '[');
      g_string_append_c (header, '}');
    }
  length = GUINT64_TO_LE ((guint64) ((gint64) header->len + h->length_delta));
  g_string_append_len (file, (const char *) &length, 8);
  g_string_append_len (file, header->str, header->len);
  for (gsize i = 0; i < h->data_len; i++)
    g_string_append_c (file, (char) i);
  g_assert_true (g_file_set_contents (path, file->str, file->len, NULL));

  set = load (path, NULL, &error);
  g_assert_null (set);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, path));
  for (guint k = 0; k < G_N_ELEMENTS (h->needles) && h->needles[k] != NULL; k++)
    if (strstr (error->message, h->needles[k]) == NULL)
      g_error ("%s: `%s` not in `%s`", h->name, h->needles[k], error->message);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_index_hostile (void)
{
  static const struct
  {
    const char *shard;
    const char *needle;
  } cases[] = {
    { "../model.safetensors", "expected the name of a file beside the index" },
    { "/etc/passwd", "expected the name of a file beside the index" },
    { "model.safetensors.index.json", "names another index" },
    { "missing.safetensors", "No such file" },
  };
  g_autofree char *dir = g_dir_make_tmp ("es-safetensors-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "model.safetensors.index.json", NULL);

  g_test_summary ("an index naming a path, itself or a missing shard is an error naming the index");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"weight_map\": {\"model.embed_tokens.weight\": \"%s\"}}",
                                               cases[i].shard);
      g_autoptr(GError) error = NULL;
      g_autoptr(EsEmbeddingSet) set = NULL;

      g_assert_true (g_file_set_contents (path, json, -1, NULL));
      set = load (path, NULL, &error);
      g_assert_null (set);
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, path));
      g_assert_nonnull (strstr (error->message, cases[i].needle));
    }
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/safetensors/float16-all", test_float16_all);
  g_test_add_func ("/safetensors/bfloat16-all", test_bfloat16_all);
  g_test_add_func ("/safetensors/tiny", test_tiny);
  g_test_add_func ("/safetensors/display-tokens", test_display_tokens);
  g_test_add_func ("/safetensors/sharded", test_sharded);
  g_test_add_func ("/safetensors/vocab-kinds", test_vocab_kinds);
  g_test_add_func ("/safetensors/vocab-errors", test_vocab_errors);
  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autofree char *name = g_strdup_printf ("/safetensors/hostile/%s", hostile[i].name);

      g_test_add_data_func (name, &hostile[i], test_hostile);
    }
  g_test_add_func ("/safetensors/index-hostile", test_index_hostile);

  return g_test_run ();
}
