#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Reference values for tests/engine/test-sparse.c, from scipy/numpy/sklearn:
#   /usr/bin/python3 tests/reference/make-sparse-reference.py
# (scipy 1.10.1, numpy, scikit-learn 1.2.1 on Debian 12).
import numpy as np
import scipy.io
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.decomposition import NMF

X = scipy.io.mmread('tests/data/gensim/dtm_test.mm').tocsr().astype(np.float64)
print('shape', X.shape, 'nnz', X.nnz, 'sum', X.sum(), 'sumsq', X.multiply(X).sum())
print('row sums', X.sum(axis=1).A1.tolist())

def ppmi(D, alpha=0.75, k=1.0):
    D = np.asarray(D, dtype=np.float64)
    r = D.sum(axis=1, keepdims=True)
    c = D.sum(axis=0, keepdims=True) ** alpha
    with np.errstate(divide='ignore'):
        pmi = np.log(D * c.sum() / (r * c)) - np.log(k)
    return np.where(D > 0, np.maximum(pmi, 0), 0)

D = X.toarray()
for k in (1.0, 5.0):
    P = ppmi(D, 0.75, k)
    print('ppmi k=%g sum %.9g nnz %d P[0,23] %.9g P[9,545] %.9g P[3,0] %.9g' %
          (k, P.sum(), (P > 0).sum(), P[0, 23], P[9, 545], P[3, 0]))
T = TfidfTransformer().fit_transform(X).toarray()
print('tfidf sum %.9g T[0,23] %.9g T[9,545] %.9g' % (T.sum(), T[0, 23], T[9, 545]))
print('singular values', np.linalg.svd(D, compute_uv=False)[:5].tolist())
for k in (3,):
    model = NMF(n_components=k, init='nndsvda', solver='cd', tol=0, max_iter=200, random_state=0)
    model.fit(X)
    print('sklearn NMF k=%d nndsvda cd 200 iterations: reconstruction_err_ %.9g' % (k, model.reconstruction_err_))
