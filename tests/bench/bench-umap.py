#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""UMAP against its peers on one word2vec binary file (issue 13).

    tests/bench/bench-umap.py FILE.bin [--embedscope build/app/embedscope] [--runs 1]

Runs `embedscope project --method umap`, umap-learn (Debian's umap-learn;
a fresh NUMBA_CACHE_DIR per run, so its JIT counts as a user pays it) and
uwot (r-cran-uwot, n_threads = 2) alternately on the same vectors, with
n_neighbors 15, min_dist 0.1, cosine, default epochs.  Times include the
kNN graph, not the file load.  Quality: kNN-10 preservation (the share of
each sampled point's 10 nearest cosine neighbours among its 10 nearest in
the layout), computed here the same way for every layout.  Prints TSV:
tool, seconds, knn10, ratio (peer / ours).  FILE may be any word2vec binary,
e.g. structured data from `es-bench-generate -b --clusters 50
--intrinsic-dim 20`.  The load average is printed before and after (the
machine is shared).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np


def read_w2v_bin(path):
    with open(path, "rb") as f:
        rows, dims = map(int, f.readline().split())
        words = []
        x = np.empty((rows, dims), dtype=np.float32)
        for i in range(rows):
            w = bytearray()
            while True:
                c = f.read(1)
                if c == b" ":
                    break
                if c != b"\n":
                    w += c
            words.append(w.decode("utf-8", "replace"))
            x[i] = np.frombuffer(f.read(4 * dims), dtype=np.float32)
    return words, x


def knn10_preservation(x, y, sample=1000, seed=0):
    rng = np.random.default_rng(seed)
    idx = rng.choice(len(x), size=min(sample, len(x)), replace=False)
    xn = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-30)
    total = 0.0
    for i in idx:
        s = xn @ xn[i]
        s[i] = -np.inf
        a = set(np.argpartition(-s, 10)[:10])
        d = np.sum((y - y[i]) ** 2, axis=1)
        d[i] = np.inf
        b = set(np.argpartition(d, 10)[:10])
        total += len(a & b) / 10
    return total / len(idx)


UMAP_LEARN = """
import sys, time, numpy as np
x = np.load(sys.argv[1])
t0 = time.perf_counter()
import umap
y = umap.UMAP(n_neighbors=15, min_dist=0.1, metric="cosine").fit_transform(x)
print(time.perf_counter() - t0)
np.save(sys.argv[2], y)
"""

UWOT = """
args <- commandArgs(trailingOnly = TRUE)
n <- as.integer(args[2]); d <- as.integer(args[3])
con <- file(args[1], "rb"); v <- readBin(con, "numeric", size = 4, n = n * d); close(con)
x <- matrix(v, nrow = n, ncol = d, byrow = TRUE)
t0 <- proc.time()[["elapsed"]]
suppressMessages(library(uwot))
y <- umap(x, n_neighbors = 15, min_dist = 0.1, metric = "cosine", n_threads = 2, n_sgd_threads = 0)
cat(proc.time()[["elapsed"]] - t0, "\\n")
write.table(y, args[4], row.names = FALSE, col.names = FALSE)
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--embedscope", default="build/app/embedscope")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--skip", default="", help="comma-separated: umap-learn,uwot")
    args = ap.parse_args()

    words, x = read_w2v_bin(args.file)
    print(f"# {args.file}: {x.shape[0]} x {x.shape[1]}; load average {os.getloadavg()[0]:.1f}",
          file=sys.stderr, flush=True)
    tmp = tempfile.mkdtemp(prefix="es-bench-umap-")
    npy = os.path.join(tmp, "x.npy")
    raw = os.path.join(tmp, "x.f32")
    np.save(npy, x)
    x.tofile(raw)
    results = {}

    for run in range(args.runs):
        out = os.path.join(tmp, "ours.tsv")
        p = subprocess.run([args.embedscope, "project", args.file, "--method", "umap", "--json",
                            "--output", out], capture_output=True, text=True, check=True)
        info = json.loads(p.stdout)
        y = np.loadtxt(out, skiprows=1, usecols=(1, 2), comments=None, delimiter="\t", dtype=np.float64,
                       encoding="utf-8", quotechar=None) if False else np.array(
            [[float(v) for v in line.rstrip("\n").split("\t")[-2:]] for line in open(out, encoding="utf-8").readlines()[1:]])
        results.setdefault("embedscope", []).append((info["timings"]["total"], y, info))

        if "umap-learn" not in args.skip:
            env = dict(os.environ, NUMBA_CACHE_DIR=tempfile.mkdtemp(prefix="numba-", dir=tmp))
            yl = os.path.join(tmp, "ul.npy")
            p = subprocess.run(["/usr/bin/python3", "-c", UMAP_LEARN, npy, yl], capture_output=True,
                               text=True, env=env, check=True)
            results.setdefault("umap-learn", []).append((float(p.stdout.split()[-1]), np.load(yl), None))

        if "uwot" not in args.skip:
            yu = os.path.join(tmp, "uwot.txt")
            p = subprocess.run(["Rscript", "-e", UWOT, raw, str(x.shape[0]), str(x.shape[1]), yu],
                               capture_output=True, text=True, check=True)
            results.setdefault("uwot", []).append((float(p.stdout.split()[-1]), np.loadtxt(yu), None))

    ours = min(r[0] for r in results["embedscope"])
    print("tool\tseconds\tknn10\tratio_peer_over_ours")
    for tool, runs in results.items():
        best = min(r[0] for r in runs)
        q = knn10_preservation(x, runs[0][1])
        print(f"{tool}\t{best:.2f}\t{q:.4f}\t{best / ours:.2f}")
    print("embedscope detail:", json.dumps(results["embedscope"][0][2]), file=sys.stderr)
    print(f"# load average after: {os.getloadavg()[0]:.1f}", file=sys.stderr)


if __name__ == "__main__":
    main()
