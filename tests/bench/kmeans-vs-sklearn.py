#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""k-means: embedscope cluster against scikit-learn KMeans on the same file.

    tests/bench/kmeans-vs-sklearn.py EMBEDSCOPE FILE.bin K [THREADS]

Both euclidean (scikit-learn has no spherical k-means), n_init=1, Lloyd,
k-means++ seeding, the same K; times include seeding and iterations, not
loading.  Prints both objectives (sum of squared distances: ours is
computed by our CLI, theirs is inertia_) and the time ratio.  Run it on
Debian's /usr/bin/python3 (python3-sklearn).
"""

import json
import os
import subprocess
import sys
import time

import numpy as np


def read_w2v_binary(path):
    with open(path, "rb") as f:
        rows, dims = map(int, f.readline().split())
        data = np.empty((rows, dims), dtype=np.float32)
        for i in range(rows):
            word = bytearray()
            while True:
                c = f.read(1)
                if c == b" ":
                    break
                if c != b"\n":
                    word += c
            data[i] = np.frombuffer(f.read(4 * dims), dtype=np.float32)
    return data


def main():
    exe, path, k = sys.argv[1], sys.argv[2], int(sys.argv[3])
    threads = sys.argv[4] if len(sys.argv) > 4 else "2"
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS=threads)

    out = subprocess.run([exe, "cluster", path, "--clusters", str(k), "--metric", "euclidean", "--json"],
                         check=True, capture_output=True, env=env).stdout
    ours = json.loads(out)
    ours_time = ours["timings"]["seeding"] + ours["timings"]["iterations"]

    from threadpoolctl import threadpool_limits
    from sklearn.cluster import KMeans
    x = read_w2v_binary(path)
    with threadpool_limits(limits=int(threads)):
        t0 = time.perf_counter()
        km = KMeans(n_clusters=k, n_init=1, algorithm="lloyd", random_state=0).fit(x)
        theirs_time = time.perf_counter() - t0

    print(f"{path}: {x.shape[0]} x {x.shape[1]}, K = {k}")
    print(f"  embedscope: {ours_time:.2f} s, {ours['iterations']} iterations, objective {ours['objective']:.6g}")
    print(f"  sklearn:    {theirs_time:.2f} s, {km.n_iter_} iterations, inertia {km.inertia_:.6g}")
    print(f"  speed ratio (sklearn / embedscope): {theirs_time / ours_time:.2f}x; "
          f"objective ratio (ours / theirs): {ours['objective'] / km.inertia_:.4f}")


if __name__ == "__main__":
    main()
