#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The peers Embedscope is measured against, one operation per call.

Usage: peers.py OP FILE [ARGS]  ->  prints one line: seconds (median is taken by the driver).
Runs with Debian's python3-gensim, python3-sklearn, python3-matplotlib.
"""
import os
import sys
import time

op, path = sys.argv[1], sys.argv[2]


def load_gensim(binary):
    from gensim.models import KeyedVectors
    no_header = not binary
    return KeyedVectors.load_word2vec_format(path, binary=binary, no_header=no_header)


def timed(fn):
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def main():
    extras = {}
    if op == "load-text":
        seconds, _ = timed(lambda: load_gensim(False))
    elif op == "load-binary":
        seconds, _ = timed(lambda: load_gensim(True))
    elif op == "loadtxt":
        import numpy as np
        # GloVe: the first column is the word.
        seconds, _ = timed(lambda: np.loadtxt(path, dtype=np.float32, comments=None,
                                                usecols=range(1, int(sys.argv[3]) + 1),
                                                encoding="utf-8"))
    elif op in ("pca-full", "pca-arpack"):
        import numpy as np
        from sklearn.decomposition import PCA
        kv = load_gensim(path.endswith(".bin"))
        x = kv.vectors
        solver = "full" if op == "pca-full" else "arpack"
        pca = PCA(n_components=3, svd_solver=solver)
        seconds, _ = timed(lambda: pca.fit_transform(x))
        extras = {f"evr{i + 1}": r for i, r in enumerate(pca.explained_variance_ratio_)}
    elif op == "most-similar":
        kv = load_gensim(path.endswith(".bin"))
        words = kv.index_to_key[:: max(1, len(kv) // 20)][:20]
        kv.most_similar(words[0], topn=10)  # fills the norms once, as a warm session would
        # Each query timed alone, the median reported: what es-bench knn-single does.
        times = []
        for w in words:
            t0 = time.perf_counter()
            kv.most_similar(w, topn=10)
            times.append(time.perf_counter() - t0)
        times.sort()
        seconds = (times[len(times) // 2 - 1] + times[len(times) // 2]) / 2
        extras = {"min_s": times[0], "mean_s": sum(times) / len(times)}
    elif op == "batched-argpartition":
        import numpy as np
        kv = load_gensim(path.endswith(".bin"))
        x = kv.get_normed_vectors()
        q = x[:: max(1, len(x) // 100)][:100]
        t0 = time.perf_counter()
        sims = q @ x.T
        idx = np.argpartition(-sims, 11, axis=1)[:, :11]
        order = np.take_along_axis(sims, idx, axis=1).argsort(axis=1)[:, ::-1]
        np.take_along_axis(idx, order, axis=1)
        seconds = (time.perf_counter() - t0) / len(q)
    elif op.startswith("scatter-"):
        import numpy as np
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        n = int(sys.argv[3])
        rng = np.random.default_rng(1)
        xy = rng.normal(size=(n, 2))
        fmt = op.split("-", 1)[1]
        out = os.path.join(os.environ.get("TMPDIR", "/tmp"), "es-bench-peer." + fmt)

        def draw():
            fig = plt.figure(figsize=(19.2, 10.8), dpi=100)
            ax = fig.add_subplot()
            ax.scatter(xy[:, 0], xy[:, 1], s=4, alpha=0.6, linewidths=0)
            fig.savefig(out)
            plt.close(fig)
        seconds, _ = timed(draw)
    else:
        sys.exit("unknown op " + op)
    print("\t".join([f"{seconds:.9g}"] + [f"{k}={v:.6g}" for k, v in extras.items()]))


main()
