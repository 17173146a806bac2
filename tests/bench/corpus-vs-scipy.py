#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Corpus to vectors: embedscope cooccur / lsa / nmf against numpy, scipy
and scikit-learn doing the same, in the same run (ratios; the machine may
be shared and busy, so compare the ratios, not the seconds).

  /usr/bin/python3 tests/bench/corpus-vs-scipy.py build/app/embedscope [CORPUS]

Without CORPUS, one is made from the licence texts every Debian has
(/usr/share/common-licenses/* and /usr/share/doc/*/copyright).  The peer
counter is the vectorised one of issue 15: word ids per line, one pass per
window offset, one scipy COO sum.  Its tokeniser is a regex close to ours
(lowercase letter/digit runs with inner apostrophes), so the vocabularies
can differ slightly; the sizes are printed.
"""
import glob, json, os, re, subprocess, sys, tempfile, time
import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD, NMF

WINDOW, MIN_COUNT, DIMS, TOPICS = 5, 5, 100, 10
TOKEN = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")


def make_corpus(path):
    with open(path, 'wb') as out:
        for name in sorted(glob.glob('/usr/share/common-licenses/*') + glob.glob('/usr/share/doc/*/copyright')):
            try:
                with open(name, 'rb') as f:
                    out.write(f.read())
            except OSError:
                pass


def numpy_count(path):
    lines = [TOKEN.findall(l.lower()) for l in open(path, encoding='utf-8', errors='replace')]
    counts = {}
    for ws in lines:
        for w in ws:
            counts[w] = counts.get(w, 0) + 1
    vocab = sorted((w for w, c in counts.items() if c >= MIN_COUNT), key=lambda w: (-counts[w], w))
    index = {w: i for i, w in enumerate(vocab)}
    ids = [np.array([index[w] for w in ws if w in index], dtype=np.int32) for ws in lines]
    flat = np.concatenate([a for a in ids if len(a)])
    line_of = np.concatenate([np.full(len(a), i, dtype=np.int32) for i, a in enumerate(ids) if len(a)])
    rows, cols = [], []
    for d in range(1, WINDOW + 1):
        same = line_of[d:] == line_of[:-d]
        a, b = flat[:-d][same], flat[d:][same]
        rows += [a, b]
        cols += [b, a]
    r, c = np.concatenate(rows), np.concatenate(cols)
    m = sp.coo_matrix((np.ones(len(r), dtype=np.float32), (r, c)), shape=(len(vocab), len(vocab))).tocsr()
    m.sum_duplicates()
    return m


def ppmi(m, alpha=0.75):
    m = m.tocoo()
    r = np.asarray(m.sum(axis=1)).ravel()
    c = np.asarray(m.sum(axis=0)).ravel() ** alpha
    v = np.log(m.data * c.sum() / (r[m.row] * c[m.col]))
    keep = v > 0
    return sp.csr_matrix((v[keep].astype(np.float32), (m.row[keep], m.col[keep])), shape=m.shape)


def run(cli, *args):
    out = subprocess.run([cli, *args, '--json'], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    cli = sys.argv[1]
    tmp = tempfile.mkdtemp(prefix='es-bench-corpus-')
    corpus = sys.argv[2] if len(sys.argv) > 2 else os.path.join(tmp, 'corpus.txt')
    if len(sys.argv) <= 2:
        make_corpus(corpus)
    mtx = os.path.join(tmp, 'counts.mtx')
    print(f'corpus {corpus}: {os.path.getsize(corpus) / 1e6:.1f} MB; window {WINDOW}, min count {MIN_COUNT}')

    t = time.perf_counter(); ours = run(cli, 'cooccur', corpus, '--output', mtx); t_ours = time.perf_counter() - t
    t = time.perf_counter(); counts = numpy_count(corpus); t_np = time.perf_counter() - t
    print(f'count: embedscope {t_ours:.2f} s ({ours["vocabulary"]} words, {ours["nnz"]} nnz) '
          f'numpy {t_np:.2f} s ({counts.shape[0]} words, {counts.nnz} nnz) ratio {t_np / t_ours:.1f}x')

    t = time.perf_counter(); p = ppmi(counts); t_ppmi = time.perf_counter() - t
    t = time.perf_counter(); svd = TruncatedSVD(DIMS, algorithm='randomized', n_iter=5, random_state=0).fit(p)
    t_svd = time.perf_counter() - t
    lsa = run(cli, 'lsa', mtx, '--weight', 'ppmi', '--dims', str(DIMS))
    ours_svd = lsa['timings']['svd']
    s_ours, s_sk = np.array(lsa['singular_values']), svd.singular_values_
    print(f'PPMI (scipy) {t_ppmi:.2f} s; embedscope matrix read + PPMI {lsa["timings"]["matrix"]:.2f} s')
    print(f'SVD k={DIMS}: embedscope {ours_svd:.2f} s, sklearn TruncatedSVD {t_svd:.2f} s, ratio {t_svd / ours_svd:.1f}x; '
          f'σ1 {s_ours[0]:.4f} vs {s_sk[0]:.4f}, σ{DIMS} {s_ours[-1]:.4f} vs {s_sk[-1]:.4f}')

    t = time.perf_counter()
    model = NMF(TOPICS, init='nndsvda', solver='cd', tol=1e-4, max_iter=200, random_state=0).fit(p)
    t_nmf = time.perf_counter() - t
    nmf = run(cli, 'nmf', mtx, '--weight', 'ppmi', '--components', str(TOPICS))
    print(f'NMF k={TOPICS}: embedscope {nmf["seconds"]:.2f} s (error {nmf["error"]:.2f}, {nmf["iterations"]} it), '
          f'sklearn {t_nmf:.2f} s (error {model.reconstruction_err_:.2f}, {model.n_iter_} it), '
          f'ratio {t_nmf / nmf["seconds"]:.1f}x')


if __name__ == '__main__':
    main()
