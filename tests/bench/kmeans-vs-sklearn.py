#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""k-means: embedscope cluster against scikit-learn KMeans on the same file.

    tests/bench/kmeans-vs-sklearn.py EMBEDSCOPE FILE.bin K [THREADS] [SEEDS]

Both euclidean (scikit-learn has no spherical k-means), n_init=1, Lloyd,
k-means++ seeding, the same K; times include seeding and iterations, not
loading.  Prints both objectives (sum of squared distances: ours is
computed by our CLI, theirs is inertia_) and the time ratio.  SEEDS (default
3): both run with seeds 0 .. SEEDS-1, alternating, and the sums of times and
objectives are compared (one seed's objective is mostly seeding luck).  Run it on
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
    seeds = int(sys.argv[5]) if len(sys.argv) > 5 else 3
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS=threads)

    from threadpoolctl import threadpool_limits
    from sklearn.cluster import KMeans
    x = read_w2v_binary(path)
    print(f"{path}: {x.shape[0]} x {x.shape[1]}, K = {k}, {seeds} seeds; "
          f"load average {os.getloadavg()[0]:.1f}")
    totals = [0.0, 0.0, 0.0, 0.0]   # our time, objective, their time, inertia
    for seed in range(seeds):
        out = subprocess.run([exe, "cluster", path, "--clusters", str(k), "--metric", "euclidean",
                              "--seed", str(seed), "--json"],
                             check=True, capture_output=True, env=env).stdout
        ours = json.loads(out)
        ours_time = ours["timings"]["seeding"] + ours["timings"]["iterations"]
        with threadpool_limits(limits=int(threads)):
            t0 = time.perf_counter()
            km = KMeans(n_clusters=k, n_init=1, algorithm="lloyd", random_state=seed).fit(x)
            theirs_time = time.perf_counter() - t0
        print(f"  seed {seed}: embedscope {ours_time:.2f} s, {ours['iterations']} iterations, "
              f"objective {ours['objective']:.6g}; sklearn {theirs_time:.2f} s, {km.n_iter_} iterations, "
              f"inertia {km.inertia_:.6g}")
        for i, v in enumerate((ours_time, ours["objective"], theirs_time, km.inertia_)):
            totals[i] += v
    print(f"  total: embedscope {totals[0]:.2f} s, sklearn {totals[2]:.2f} s; "
          f"speed ratio (sklearn / embedscope) {totals[2] / totals[0]:.2f}x; "
          f"objective ratio (ours / theirs) {totals[1] / totals[3]:.4f}; "
          f"load average after {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
