#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The real result of issue 15: PPMI-SVD word vectors from the 8.8M-token
corpus of the shared kit's en30k-100d (rebuilt with
../shared/tools/make-corpus.py), the Python route on the same corpus as
the reference.

  /usr/bin/time -v /usr/bin/python3 tests/bench/corpus-real.py build/app/embedscope full.txt \\
      --pairs wordsim353.tsv [--window 2] [--shift 1] [--dims 100] [--out DIR]

Counts with the vectorised numpy counter of corpus-vs-scipy.py (min count
5), PPMI with α = 0.75 (and log k shift) in scipy, scikit-learn's
randomized TruncatedSVD (5 power iterations), vectors U·Σ^0.5 written as
word2vec text and scored by `embedscope evaluate --pairs` (Spearman, OOV
pairs reported) exactly as embedscope's own vectors are.  Wrap it in
`/usr/bin/time -v` for the Python route's peak memory; run
`/usr/bin/time -v embedscope lsa --corpus ...` with the same flags for
ours.
"""
import argparse, importlib.util, json, os, subprocess, tempfile, time
import numpy as np
from sklearn.decomposition import TruncatedSVD

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location('peers', os.path.join(HERE, 'corpus-vs-scipy.py'))
peers = importlib.util.module_from_spec(spec)
spec.loader.exec_module(peers)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('cli')
    ap.add_argument('corpus')
    ap.add_argument('--pairs', required=True)
    ap.add_argument('--window', type=int, default=2)
    ap.add_argument('--shift', type=float, default=1.0)
    ap.add_argument('--dims', type=int, default=100)
    ap.add_argument('--power', type=float, default=0.5)
    ap.add_argument('--out', default=None, help='folder for the vectors (default: a temporary one)')
    args = ap.parse_args()
    out = args.out or tempfile.mkdtemp(prefix='es-real-')
    print(f'corpus {args.corpus}, window {args.window}, shift {args.shift}, dims {args.dims}; '
          f'load average {os.getloadavg()[0]:.1f}')

    t0 = time.perf_counter()
    counts, vocab = peers.numpy_count(args.corpus, True, window=args.window)
    t1 = time.perf_counter()
    p = peers.ppmi(counts, shift=args.shift)
    del counts
    t2 = time.perf_counter()
    svd = TruncatedSVD(args.dims, algorithm='randomized', n_iter=5, random_state=0)
    us = svd.fit_transform(p)
    t3 = time.perf_counter()
    vectors = us / svd.singular_values_ ** (1 - args.power)
    print(f'numpy count {t1 - t0:.1f} s ({len(vocab)} words), scipy PPMI {t2 - t1:.1f} s (nnz {p.nnz}), '
          f'sklearn SVD {t3 - t2:.1f} s')

    path = os.path.join(out, f'scipy-w{args.window}.txt')
    with open(path, 'w', encoding='utf-8') as f:
        f.write(f'{len(vocab)} {args.dims}\n')
        for w, row in zip(vocab, vectors):
            f.write(w + ' ' + ' '.join(f'{x:.6g}' for x in row) + '\n')
    result = subprocess.run([args.cli, 'evaluate', path, '--pairs', args.pairs, '--json'],
                            check=True, capture_output=True, text=True).stdout
    print(f'scipy PPMI-SVD vectors {path}: evaluate {result.strip()}')
    print(f'load average at the end {os.getloadavg()[0]:.1f}')


if __name__ == '__main__':
    main()
