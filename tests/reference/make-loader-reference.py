#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Makes the loader's reference data with tools independent of our code.

Run from tests/:  /usr/bin/python3 reference/make-loader-reference.py
- data/reference/euclidean_vectors_rows.tsv: rows of gensim's
  euclidean_vectors.bin, read with gensim (and cross-checked with a plain
  struct reader), values printed with %.9g so they parse back to the exact
  float32.
- data/npy/*.npy: the iris tensor saved by numpy in the variants the
  loader accepts (v1 '<f4', v2 '<f8') and some it must refuse.
"""
import struct

import numpy as np
from gensim.models import KeyedVectors

ROWS = [0, 1, 2, 100, 1000, 2000, 2746]


def struct_rows(path):
    """word2vec binary without gensim: header, then word, space, floats."""
    with open(path, 'rb') as f:
        data = f.read()
    nl = data.index(b'\n')
    rows, dims = map(int, data[:nl].split())
    pos = nl + 1
    out = []
    for _ in range(rows):
        while data[pos:pos + 1] == b'\n':
            pos += 1
        sp = data.index(b' ', pos)
        word = data[pos:sp]
        pos = sp + 1
        out.append((word, struct.unpack('<%df' % dims, data[pos:pos + 4 * dims])))
        pos += 4 * dims
    return out


def euclidean():
    path = 'data/gensim/euclidean_vectors.bin'
    kv = KeyedVectors.load_word2vec_format(path, binary=True)
    plain = struct_rows(path)
    assert len(plain) == len(kv.index_to_key) == 2747
    with open('data/reference/euclidean_vectors_rows.tsv', 'w') as out:
        out.write('# row\tword\tvalues (float32, %.9g); made by reference/make-loader-reference.py\n')
        for i in ROWS:
            word = kv.index_to_key[i]
            vec = kv.vectors[i]
            assert plain[i][0].decode('utf-8') == word
            assert all(np.float32(a) == b for a, b in zip(plain[i][1], vec))
            out.write('%d\t%s\t%s\n' % (i, word, ' '.join('%.9g' % v for v in vec)))


def npy():
    iris = np.fromfile('data/projector/iris_tensors.bytes', dtype='<f4').reshape(150, 4)
    np.save('data/npy/iris_f4.npy', iris)
    with open('data/npy/iris_f8_v2.npy', 'wb') as f:
        np.lib.format.write_array(f, iris.astype('<f8'), version=(2, 0))
    np.save('data/npy/bad_fortran.npy', np.asfortranarray(iris))
    # Rank 3 (150 layers x 2 tokens x 2 dims): accepted since #14.
    np.save('data/npy/iris_3d.npy', iris.reshape(150, 2, 2))
    np.save('data/npy/bad_int.npy', iris.astype('<i4'))
    np.save('data/npy/bad_big_endian.npy', iris.astype('>f4'))
    # Hidden states as float16: 3 layers x 4 tokens x 5 dims, a repeated
    # token, and the values numpy's float16 rounds to (the test reads them
    # back exactly); the same as big-endian is refused like rank 2.
    hidden = (np.arange(60, dtype=np.float64).reshape(3, 4, 5) - 29.5) / 7
    np.save('data/npy/hidden_f16.npy', hidden.astype('<f2'))
    np.save('data/npy/bad_3d_big_endian.npy', hidden.astype('>f2'))
    with open('data/npy/hidden.tokens.tsv', 'w') as f:
        f.write('the\ncat\nthe\nmat\n')
    with open('data/npy/iris_f4.npy', 'rb') as f:
        blob = f.read()
    with open('data/npy/bad_truncated.npy', 'wb') as f:
        f.write(blob[:-10])


if __name__ == '__main__':
    euclidean()
    npy()
