#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reference values for test-alignment, from scipy and numpy (Debian's
python3-scipy 1.10.1, numpy 1.24.2).  Run from anywhere:

    /usr/bin/python3 tests/reference/make-align-reference.py

The inputs are built from integers in float32, exactly as the C test does:
  A[i, j] = float32((i*37 + j*11) % 97 - 48) / float32(7)
  B[i, j] = float32((i*53 + j*29) % 89 - 44) / float32(9)
(and for the overlap case a third formula, see overlap_inputs).  Prints C
arrays to paste into tests/engine/test-alignment.c.
"""
import numpy as np
from scipy.linalg import orthogonal_procrustes


def fa(n, d):
    return np.array([[np.float32((i * 37 + j * 11) % 97 - 48) / np.float32(7) for j in range(d)]
                     for i in range(n)], dtype=np.float32)


def fb(n, d):
    return np.array([[np.float32((i * 53 + j * 29) % 89 - 44) / np.float32(9) for j in range(d)]
                     for i in range(n)], dtype=np.float32)


def show(name, m):
    print(f"static const double {name}[] = {{")
    print("  " + ", ".join(repr(float(v)) for v in np.asarray(m).ravel()))
    print("};")


def main():
    a, b = fa(12, 4).astype(np.float64), fb(12, 4).astype(np.float64)
    # scipy.linalg.orthogonal_procrustes(A, B): R minimising ||A R - B||_F.
    r, _ = orthogonal_procrustes(a, b)
    show("procrustes_r", r)
    ac, bc = a - a.mean(0), b - b.mean(0)
    rc, ssum = orthogonal_procrustes(ac, bc)
    show("procrustes_centred_r", rc)
    print(f"static const double procrustes_centred_scale = {ssum / (ac ** 2).sum()!r};")
    # Least squares, different dims: numpy lstsq of A (12 x 4) onto B (12 x 3).
    w, *_ = np.linalg.lstsq(a, fb(12, 3).astype(np.float64), rcond=None)
    show("linear_w", w)

    # Neighbour overlap: 40 words, 5 dims, k = 5, cosine, self excluded,
    # ties by index (np.argsort kind='stable' on -similarity).
    n, d, k = 40, 5, 5
    x = fa(n, d).astype(np.float64)
    y = np.array([[np.float32((i * 17 + j * 31) % 83 - 41) / np.float32(5) for j in range(d)]
                  for i in range(n)], dtype=np.float32).astype(np.float64)

    def topk(m):
        u = m / np.linalg.norm(m, axis=1, keepdims=True)
        s = u @ u.T
        np.fill_diagonal(s, -np.inf)
        return [set(np.argsort(-s[i], kind="stable")[:k]) for i in range(n)]

    ta, tb = topk(x), topk(y)
    counts = [len(ta[i] & tb[i]) for i in range(n)]
    print("static const guint overlap_counts[] = { " + ", ".join(map(str, counts)) + " };")


if __name__ == "__main__":
    main()
