#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reference values for tests/test-projection*.c, computed independently of
Embedscope with numpy and scikit-learn.

Run from the source root:  /usr/bin/python3 tests/reference/make-projection-reference.py

For every input it writes tests/data/reference/<name>.projection.tsv with one
record per line, tab-separated:

    # comment
    <key> <TAB> v1 <TAB> v2 ...                 whole-set values
    <key> <TAB> <row> <TAB> <word> <TAB> v1 ...  per-row coordinates

keys:
    pca_ratio, pca_variance        sklearn PCA(10, svd_solver='full'):
                                   explained_variance_ratio_, explained_variance_
    pca_component0..2              the first three components (sign is arbitrary)
    pca_coords                     transform() of a few named rows
    pca_norm_ratio                 the same ratios after L2-normalising every row
    svd_raw_sv, svd_norm_sv        numpy.linalg.svd singular values (top 10) of the
                                   raw and of the row-L2-normalised matrix
    svd_raw_coords                 U * S (top 10) of a few named rows, raw matrix
    svd_norm_coords                the same for the normalised matrix

The vectors are read as float32 (as the app reads them) and then widened to
float64, so the references are the exact decomposition of the float32 data.
"""

import os
import sys

import numpy as np
import sklearn
from sklearn.decomposition import PCA

K = 10


def read_word2vec_text(path):
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")
    rows, dims = (int(x) for x in lines[0].split())
    words = []
    data = np.zeros((rows, dims), dtype=np.float32)
    for i, line in enumerate(lines[1:rows + 1]):
        fields = line.rstrip(b" \r").split(b" ")
        words.append(fields[0].decode("utf-8"))
        data[i] = np.array([float(x) for x in fields[1:]], dtype=np.float32)
    assert len(words) == rows
    return words, data


def fmt(values):
    return "\t".join(repr(float(v)) for v in values)


def write_reference(name, path, named_words):
    words, data32 = read_word2vec_text(path)
    x = data32.astype(np.float64)
    k = min(K, x.shape[1])
    index = {w: i for i, w in enumerate(words)}
    rows = [index[w] for w in named_words]

    out = []
    out.append("# made by tests/reference/make-projection-reference.py from %s" % path)
    out.append("# numpy %s, scikit-learn %s; %d x %d, float32 read, float64 maths"
               % (np.__version__, sklearn.__version__, x.shape[0], x.shape[1]))

    pca = PCA(n_components=k, svd_solver="full").fit(x)
    out.append("pca_ratio\t" + fmt(pca.explained_variance_ratio_))
    out.append("pca_variance\t" + fmt(pca.explained_variance_))
    for c in range(3):
        out.append("pca_component%d\t" % c + fmt(pca.components_[c]))
    coords = pca.transform(x)
    for r in rows:
        out.append("pca_coords\t%d\t%s\t" % (r, words[r]) + fmt(coords[r]))

    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    xn = x / norms
    pca_n = PCA(n_components=k, svd_solver="full").fit(xn)
    out.append("pca_norm_ratio\t" + fmt(pca_n.explained_variance_ratio_))

    for key, m in (("raw", x), ("norm", xn)):
        u, s, vt = np.linalg.svd(m, full_matrices=False)
        out.append("svd_%s_sv\t" % key + fmt(s[:k]))
        us = u[:, :k] * s[:k]
        for r in rows:
            out.append("svd_%s_coords\t%d\t%s\t" % (key, r, words[r]) + fmt(us[r]))

    target = os.path.join("tests", "data", "reference", name + ".projection.tsv")
    with open(target, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    print("wrote", target)


def main():
    if not os.path.isdir("tests/data"):
        sys.exit("run this from the source root")
    write_reference("kjv-hamlet-5k-50d", "resources/kjv-hamlet-5k-50d.w2v.txt",
                    ["the", "god", "lord", "king", "queen", "gold", "silver",
                     "hamlet", "denmark", "water", "heaven"])
    write_reference("lee_fasttext", "tests/data/gensim/lee_fasttext.vec",
                    ["the", "to", "</s>", "said", "Australia", "government",
                     "police", "Sydney", "fire", "people"])


if __name__ == "__main__":
    main()
