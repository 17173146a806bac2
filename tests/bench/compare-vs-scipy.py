#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""embedscope compare against numpy + scipy doing the same steps.

    tests/bench/compare-vs-scipy.py EMBEDSCOPE FILE.bin          # a real file as A
    tests/bench/compare-vs-scipy.py EMBEDSCOPE --synthetic 400000 300

B is A rotated by a random orthogonal matrix, plus noise (sd 0.01), with
two words' vectors swapped and B's rows shuffled (so the lookup by word is
real work).  Both are written as word2vec binary.  Steps timed on both
sides, loading excluded: (1) shared-vocabulary lookup + orthogonal
Procrustes (scipy.linalg.orthogonal_procrustes) + aligned cosine for every
shared word; (2) neighbour overlap, k = 10, on the first 20000 shared
words (exact cosine top-k by blocked matrix products + argpartition).
Ours come from `compare --json` timings (align, scores): run once with
--overlap-words 0 for (1) and once with 20000 for (2).  Both sides use
OpenBLAS with its default threads.  ES_BENCH_RUNS=N sets the runs (default 3).  Prints the ratios peer / ours (bigger
is better for us) and checks that both find the swapped words first.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from scipy.linalg import orthogonal_procrustes


def read_w2v_binary(path):
    with open(path, "rb") as f:
        raw = f.read()
    nl = raw.index(b"\n")
    rows, dims = map(int, raw[:nl].split())
    pos = nl + 1
    words, data = [], np.empty((rows, dims), dtype=np.float32)
    for i in range(rows):
        while raw[pos] in (10, 13):
            pos += 1
        sp = raw.index(b" ", pos)
        words.append(raw[pos:sp].decode("utf-8", "replace"))
        pos = sp + 1
        data[i] = np.frombuffer(raw, dtype="<f4", count=dims, offset=pos)
        pos += 4 * dims
    return words, data


def write_w2v_binary(path, words, data):
    with open(path, "wb") as f:
        f.write(b"%d %d\n" % data.shape)
        for w, v in zip(words, data):
            f.write(w.encode() + b" " + v.astype("<f4").tobytes() + b"\n")


def peer_align(words_a, a, words_b, b):
    t0 = time.perf_counter()
    index_b = {w: i for i, w in enumerate(words_b)}
    ia = [i for i, w in enumerate(words_a) if w in index_b]
    ib = [index_b[words_a[i]] for i in ia]
    x, y = a[ia], b[ib]
    r, _ = orthogonal_procrustes(x, y)
    z = x @ r
    cos = np.einsum("ij,ij->i", z, y) / (np.linalg.norm(z, axis=1) * np.linalg.norm(y, axis=1))
    dist = 1 - cos
    return time.perf_counter() - t0, ia, ib, dist


def topk_sets(m, k, block=2048):
    u = m / np.linalg.norm(m, axis=1, keepdims=True)
    out = []
    for s in range(0, len(u), block):
        sims = u[s:s + block] @ u.T
        for r in range(sims.shape[0]):
            sims[r, s + r] = -np.inf
        idx = np.argpartition(-sims, k, axis=1)[:, :k]
        out.extend(set(row) for row in idx)
    return out


def peer_overlap(a, b, ia, ib, n=20000, k=10):
    t0 = time.perf_counter()
    n = min(n, len(ia))
    ta, tb = topk_sets(a[ia[:n]], k), topk_sets(b[ib[:n]], k)
    counts = np.array([len(ta[i] & tb[i]) for i in range(n)])
    return time.perf_counter() - t0, counts


def ours(cli, pa, pb, words):
    out = subprocess.run([cli, "compare", pa, pb, "--json", "--top", "2", "--overlap-words", str(words)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    cli = sys.argv[1]
    rng = np.random.default_rng(7)
    if sys.argv[2] == "--synthetic":
        rows, dims = int(sys.argv[3]), int(sys.argv[4])
        words_a = ["w%d" % i for i in range(rows)]
        a = rng.standard_normal((rows, dims), dtype=np.float32)
    else:
        words_a, a = read_w2v_binary(sys.argv[2])
        rows, dims = a.shape
    q, _ = np.linalg.qr(rng.standard_normal((dims, dims)))
    b = (a @ q.astype(np.float32) + rng.normal(0, 0.01, a.shape).astype(np.float32)).astype(np.float32)
    b[[3, 7]] = b[[7, 3]]
    perm = rng.permutation(rows)
    words_b = [words_a[i] for i in perm]
    b = b[perm]
    with tempfile.TemporaryDirectory() as d:
        pa, pb = os.path.join(d, "a.bin"), os.path.join(d, "b.bin")
        write_w2v_binary(pa, words_a, a)
        write_w2v_binary(pb, words_b, b)
        words_a2, a2 = read_w2v_binary(pa)
        words_b2, b2 = read_w2v_binary(pb)
        runs = []
        n_runs = int(os.environ.get("ES_BENCH_RUNS", "3"))
        for _ in range(n_runs):
            o1 = ours(cli, pa, pb, 0)
            o2 = ours(cli, pa, pb, 20000)
            t_align, ia, ib, dist = peer_align(words_a2, a2, words_b2, b2)
            t_overlap, counts = peer_overlap(a2, b2, ia, ib)
            runs.append((o1["timings"]["align"] + o1["timings"]["scores"],
                         o2["timings"]["scores"] - o1["timings"]["scores"], t_align, t_overlap))
        top_peer = {words_a2[ia[i]] for i in np.argsort(-dist)[:2]}
        top_ours = {w["word"] for w in o1["most_moved"]}
        best = [min(r[i] for r in runs) for i in range(4)]
        print(f"{rows} x {dims}, best of {n_runs} (machine shared and busy; threads: OpenBLAS default)")
        print(f"lookup + Procrustes + cosine: ours {best[0]:.3f} s, numpy/scipy {best[2]:.3f} s, "
              f"ratio {best[2] / best[0]:.2f}")
        print(f"neighbour overlap top 20k, k=10: ours {best[1]:.3f} s, numpy {best[3]:.3f} s, "
              f"ratio {best[3] / best[1]:.2f}")
        print(f"mean overlap ours {o2['neighbor_overlap']['mean']:.4f}, numpy {counts.mean() / 10:.4f}")
        print(f"most moved: ours {sorted(top_ours)}, numpy {sorted(top_peer)}")


if __name__ == "__main__":
    main()
