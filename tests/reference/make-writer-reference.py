#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks that gensim reads what `embedscope convert` writes, bit for bit,
and prints the SHA-256 of each file so that test-embedding-writer can check
it still writes exactly those bytes.

Run from the source root after building (Debian's python3-gensim 4.2.0):

    /usr/bin/python3 tests/reference/make-writer-reference.py build/app/embedscope

The set: 7 words (ASCII, UTF-8, BPE and SentencePiece markers) x 5 dims,
value (i, j) =
float32(((i * 37 + j * 11) % 97) - 48) / float32(7) * 10^((i + j) % 5 - 2)
computed in float32 (IEEE division and multiplication, as the C test does).
"""
import hashlib
import os
import subprocess
import sys
import tempfile

import numpy as np
from gensim.models import KeyedVectors

WORDS = ["the", "naïve", "Ġthe", "▁of", "x", "東京", "end."]
DIMS = 5


def make_set():
    data = np.zeros((len(WORDS), DIMS), dtype=np.float32)
    for i in range(len(WORDS)):
        for j in range(DIMS):
            v = np.float32(((i * 37 + j * 11) % 97) - 48) / np.float32(7)
            v = np.float32(v * np.float32(10.0 ** ((i + j) % 5 - 2)))
            data[i, j] = v
    return data


def main():
    cli = sys.argv[1]
    data = make_set()
    with tempfile.TemporaryDirectory() as d:
        np.save(os.path.join(d, "in.npy"), data)
        with open(os.path.join(d, "in.tsv"), "w", encoding="utf-8") as f:
            f.write("".join(w + "\n" for w in WORDS))
        outs = {"w2v-text": "out.txt", "w2v-binary": "out.bin", "glove": "out.glove.txt",
                "npy": "out.npy"}
        for fmt, name in outs.items():
            subprocess.run([cli, "convert", os.path.join(d, "in.npy"), "--metadata",
                            os.path.join(d, "in.tsv"), os.path.join(d, name), "--format", fmt],
                           check=True)
        for fmt, name in outs.items():
            path = os.path.join(d, name)
            if fmt == "npy":
                got = np.load(path)
                with open(os.path.join(d, "out.words.tsv"), encoding="utf-8") as f:
                    words = f.read().split("\n")[:-1]
            else:
                kv = KeyedVectors.load_word2vec_format(path, binary=(fmt == "w2v-binary"),
                                                       no_header=(fmt == "glove"))
                got, words = kv.vectors, list(kv.index_to_key)
            assert words == WORDS, (fmt, words)
            assert got.dtype == np.float32 and np.array_equal(got.view(np.uint32),
                                                              data.view(np.uint32)), fmt
            with open(path, "rb") as f:
                print(fmt, hashlib.sha256(f.read()).hexdigest())
        kv = KeyedVectors.load_word2vec_format(os.path.join(d, "out.bin"), binary=True)
        for word, score in kv.most_similar("the", topn=2):
            print("most_similar(the)", word, repr(score))


if __name__ == "__main__":
    main()
