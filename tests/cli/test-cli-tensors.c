/* test-cli-tensors.c: rank-3 .npy and .safetensors from the command line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cli-test-util.h"

#include <glib.h>
#include <string.h>

static char *
data_path (const char *dir,
           const char *file)
{
  return g_build_filename (g_test_get_dir (G_TEST_DIST), "data", dir, file, NULL);
}

static void
test_info_safetensors (void)
{
  g_autofree char *tiny = data_path ("safetensors/tiny", "model.safetensors");
  g_autofree char *index = data_path ("safetensors/sharded", "model.safetensors.index.json");
  g_auto(RunResult) json = { 0 };
  g_auto(RunResult) human = { 0 };
  g_auto(RunResult) sharded = { 0 };

  g_test_summary ("info lists a checkpoint's tensors (name, dtype, shape) and loads the embeddings; "
                  "for an index, each tensor's shard");
  cli_test_run (&json, "info", tiny, "--json", NULL);
  g_assert_cmpint (json.status, ==, 0);
  g_assert_nonnull (strstr (json.out, "\"format\": \"safetensors\""));
  g_assert_nonnull (strstr (json.out, "\"rows\": 6"));
  g_assert_nonnull (strstr (json.out, "{\"name\": \"transformer.wte.weight\", \"dtype\": \"BF16\", \"shape\": [6, 4]}"));
  g_assert_nonnull (strstr (json.out, "{\"name\": \"transformer.h.0.attn.bias\", \"dtype\": \"I64\", \"shape\": [2]}"));

  cli_test_run (&human, "info", tiny, NULL);
  g_assert_cmpint (human.status, ==, 0);
  g_assert_nonnull (strstr (human.out, "Tensors:      4"));
  g_assert_nonnull (strstr (human.out, "lm_head.weight"));

  cli_test_run (&sharded, "info", index, "--json", NULL);
  g_assert_cmpint (sharded.status, ==, 0);
  g_assert_nonnull (strstr (sharded.out, "\"shard\": \"model-00002-of-00002.safetensors\""));
}

static void
test_tensor_flag (void)
{
  g_autofree char *tiny = data_path ("safetensors/tiny", "model.safetensors");
  g_auto(RunResult) head = { 0 };
  g_auto(RunResult) missing = { 0 };
  g_auto(RunResult) not_2d = { 0 };

  g_test_summary ("--tensor picks another matrix; a missing or 1-D one exits 1 naming it, "
                  "and info still lists the tensors");
  cli_test_run (&head, "similarity", tiny, "the", "\xC4\xA0the", "--tensor", "lm_head.weight", NULL);
  g_assert_cmpint (head.status, ==, 0);
  cli_test_run (&missing, "info", tiny, "--tensor", "nope", NULL);
  g_assert_cmpint (missing.status, ==, 1);
  g_assert_nonnull (strstr (missing.err, "no tensor 'nope'"));
  g_assert_nonnull (strstr (missing.out, "Tensors:      4"));
  cli_test_run (&not_2d, "info", tiny, "--tensor", "transformer.ln_f.weight", NULL);
  g_assert_cmpint (not_2d.status, ==, 1);
  g_assert_nonnull (strstr (not_2d.err, "2-D"));
}

static void
test_hostile_header (void)
{
  g_autofree char *dir = g_dir_make_tmp ("es-cli-tensors-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cut.safetensors", NULL);
  g_auto(RunResult) r = { 0 };
  static const char file[] = "\xff\x00\x00\x00\x00\x00\x00\x00{\"a\": 1}";

  g_test_summary ("a header length past the end exits 1 naming the file and byte 0");
  g_assert_true (g_file_set_contents (path, file, sizeof file - 1, NULL));
  cli_test_run (&r, "info", path, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, path));
  g_assert_nonnull (strstr (r.err, "byte 0: the header length is 255 bytes"));
  cli_test_remove_dir (dir);
}

static void
test_layers (void)
{
  g_autofree char *hidden = data_path ("npy", "hidden_f16.npy");
  g_autofree char *tokens = data_path ("npy", "hidden.tokens.tsv");
  g_auto(RunResult) all = { 0 };
  g_auto(RunResult) one = { 0 };
  g_auto(RunResult) beyond = { 0 };
  g_auto(RunResult) bad = { 0 };

  g_test_summary ("a rank-3 .npy with its tokens loads every layer, or one with --layer; a layer "
                  "beyond the tensor exits 1, a non-number 2");
  cli_test_run (&all, "info", hidden, "--metadata", tokens, "--json", NULL);
  g_assert_cmpint (all.status, ==, 0);
  g_assert_nonnull (strstr (all.out, "\"rows\": 12"));
  g_assert_nonnull (strstr (all.out, "\"the #0 @0\", \"cat #1 @0\", \"the #2 @0\""));
  cli_test_run (&one, "info", hidden, "--metadata", tokens, "--layer", "1", "--json", NULL);
  g_assert_cmpint (one.status, ==, 0);
  g_assert_nonnull (strstr (one.out, "\"rows\": 4"));
  g_assert_nonnull (strstr (one.out, "\"the #0 @1\""));
  cli_test_run (&beyond, "info", hidden, "--layer", "3", NULL);
  g_assert_cmpint (beyond.status, ==, 1);
  g_assert_nonnull (strstr (beyond.err, "3 layers (0 to 2)"));
  cli_test_run (&bad, "info", hidden, "--layer", "-1", NULL);
  g_assert_cmpint (bad.status, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/tensors/info-safetensors", test_info_safetensors);
  g_test_add_func ("/cli/tensors/tensor-flag", test_tensor_flag);
  g_test_add_func ("/cli/tensors/hostile-header", test_hostile_header);
  g_test_add_func ("/cli/tensors/layers", test_layers);

  return g_test_run ();
}
