#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the gensim 4.2 / numpy reference values that test-neighbors and
test-evaluation compare against.

Run from the source root with Debian's python3 (gensim, numpy, scipy):

    /usr/bin/python3 tests/reference/make-gensim-reference.py

Outputs, under tests/data/reference/ (tab-separated, scores as repr()):

  <set>-neighbors.tsv   kind, positive, negative, restrict, rank, word, score
      kind cosine:    most_similar(positive=[word], topn=10)
      kind add:       most_similar(positive, negative, topn=10, restrict_vocab)
      kind cosmul:    most_similar_cosmul(positive, negative, topn=10)
      kind euclidean: numpy float64 distance from sum(positive) - sum(negative)
                      (raw vectors), ascending, inputs excluded
      kind dot:       numpy float64 dot product with the same raw query,
                      descending, inputs excluded
      positive and negative are space-separated word lists.
  <set>-similarity.tsv  a, b, similarity(a, b)
  <set>-analogies.tsv   one block per run: "run restrict case_insensitive",
                        then "section name correct total" lines, then
                        "total correct total oov accuracy"
  <set>-pairs.tsv       file, restrict, case_insensitive, pearson, spearman,
                        oov_ratio (a fraction), pairs
"""

import logging
import os
import sys

import gensim
import numpy as np
from gensim.models import KeyedVectors

assert gensim.__version__.startswith('4.2'), gensim.__version__

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
OUT = os.path.join(ROOT, 'tests', 'data', 'reference')
GENSIM_DATA = os.path.join(ROOT, 'tests', 'data', 'gensim')

SETS = {
    'kjv-hamlet': {
        'path': os.path.join(ROOT, 'resources', 'kjv-hamlet-5k-50d.w2v.txt'),
        'words': ['god', 'lord', 'king', 'queen', 'gold', 'silver', 'hamlet',
                  'denmark', 'water', 'fire', 'heaven', 'earth', 'man', 'woman',
                  'father', 'son', 'love', 'death', 'blood', 'night', 'sword',
                  'the'],
        'analogies': [
            (['king', 'woman'], ['man']),
            (['father', 'daughter'], ['son']),
            (['gold', 'iron'], ['silver']),
            (['heaven', 'night'], ['earth']),
            (['god', 'man'], []),
            (['hamlet'], ['king']),
            ([], ['lord']),
        ],
        'cosmul': [
            (['king', 'woman'], ['man']),
            (['father', 'daughter'], ['son']),
            (['god', 'man'], []),
            (['hamlet', 'queen', 'denmark'], ['king', 'gold']),
        ],
        'restrict': [
            (['king'], [], 500),
            (['gold'], [], 1000),
            (['king', 'woman'], ['man'], 2000),
            (['father', 'daughter'], ['son'], 300),
        ],
        'expressions': [
            (['king', 'woman'], ['man']),
            (['gold', 'silver', 'brass'], []),
        ],
        'pairs': [('god', 'lord'), ('gold', 'silver'), ('king', 'queen'),
                  ('water', 'fire'), ('hamlet', 'denmark'), ('love', 'death'),
                  ('man', 'woman'), ('the', 'sword')],
        'analogy_runs': [(300000, True), (300000, False), (1000, True)],
    },
    'lee': {
        'path': os.path.join(GENSIM_DATA, 'lee_fasttext.vec'),
        'words': ['the', 'government', 'police', 'Australia', 'said', 'people',
                  'world', 'President', 'Minister', 'fire', 'Israeli',
                  'Palestinian', 'Afghanistan', 'killed', 'new', 'year', 'two',
                  'Sydney', 'Bank', 'attack', 'Qantas'],
        'analogies': [
            (['Israeli', 'Afghan'], ['Palestinian']),
            (['Sydney', 'US'], ['Australia']),
            (['police', 'military'], ['government']),
            (['two', 'three', 'four'], []),
            (['attack'], ['peace']),
        ],
        'cosmul': [
            (['Israeli', 'Afghan'], ['Palestinian']),
            (['Sydney', 'US'], ['Australia']),
            (['two', 'three'], []),
        ],
        'restrict': [
            (['police'], [], 200),
            (['Israeli', 'Afghan'], ['Palestinian'], 500),
            (['fire'], [], 1000),
        ],
        'expressions': [
            (['Israeli', 'Afghan'], ['Palestinian']),
            (['two', 'three', 'four'], []),
        ],
        'pairs': [('Israeli', 'Palestinian'), ('two', 'three'), ('police', 'fire'),
                  ('the', 'a'), ('Sydney', 'Australia'), ('Bank', 'West')],
        'analogy_runs': [(300000, True), (300000, False), (500, True)],
    },
}

PAIR_FILES = ['wordsim353.tsv', 'simlex999.txt']


def raw_neighbors(kv, positive, negative, metric, k=10):
    vectors = kv.vectors.astype(np.float64)
    query = np.zeros(vectors.shape[1])
    for w in positive:
        query += vectors[kv.get_index(w)]
    for w in negative:
        query -= vectors[kv.get_index(w)]
    exclude = {kv.get_index(w) for w in positive + negative}
    rows = np.arange(len(vectors))
    if metric == 'euclidean':
        scores = np.sqrt(((vectors - query) ** 2).sum(axis=1))
        order = np.lexsort((rows, scores))
    else:
        scores = vectors @ query
        order = np.lexsort((rows, -scores))
    result = [(kv.index_to_key[i], float(scores[i])) for i in order if i not in exclude]
    return result[:k]


def write_neighbors(f, kind, positive, negative, restrict, result):
    for rank, (word, score) in enumerate(result):
        f.write('\t'.join([kind, ' '.join(positive), ' '.join(negative), str(restrict),
                           str(rank), word, repr(score)]) + '\n')


def count_quadruplets(path):
    n = 0
    with open(path, encoding='utf8') as fin:
        for line in fin:
            if not line.startswith(': ') and len(line.split()) == 4:
                n += 1
    return n


def main():
    logging.basicConfig(level=logging.WARNING)
    os.makedirs(OUT, exist_ok=True)
    questions = os.path.join(GENSIM_DATA, 'questions-words.txt')
    n_quadruplets = count_quadruplets(questions)

    for name, spec in SETS.items():
        kv = KeyedVectors.load_word2vec_format(spec['path'], binary=False)
        words = [w for w in spec['words'] if w in kv.key_to_index]
        assert len(words) >= 20, (name, len(words))

        with open(os.path.join(OUT, name + '-neighbors.tsv'), 'w', encoding='utf8') as f:
            f.write('# kind\tpositive\tnegative\trestrict\trank\tword\tscore\n')
            for w in words:
                write_neighbors(f, 'cosine', [w], [], 0, kv.most_similar(positive=[w], topn=10))
                write_neighbors(f, 'euclidean', [w], [], 0, raw_neighbors(kv, [w], [], 'euclidean'))
                write_neighbors(f, 'dot', [w], [], 0, raw_neighbors(kv, [w], [], 'dot'))
            for positive, negative in spec['analogies']:
                write_neighbors(f, 'add', positive, negative, 0,
                                kv.most_similar(positive=positive, negative=negative, topn=10))
            for positive, negative in spec['cosmul']:
                write_neighbors(f, 'cosmul', positive, negative, 0,
                                kv.most_similar_cosmul(positive=positive, negative=negative, topn=10))
            for positive, negative, restrict in spec['restrict']:
                write_neighbors(f, 'add', positive, negative, restrict,
                                kv.most_similar(positive=positive, negative=negative, topn=10,
                                                restrict_vocab=restrict))
            for positive, negative in spec['expressions']:
                for metric in ('euclidean', 'dot'):
                    write_neighbors(f, metric, positive, negative, 0,
                                    raw_neighbors(kv, positive, negative, metric))

        with open(os.path.join(OUT, name + '-similarity.tsv'), 'w', encoding='utf8') as f:
            f.write('# a\tb\tsimilarity\n')
            for a, b in spec['pairs']:
                f.write('%s\t%s\t%r\n' % (a, b, float(kv.similarity(a, b))))

        with open(os.path.join(OUT, name + '-analogies.tsv'), 'w', encoding='utf8') as f:
            f.write('# run\trestrict\tcase_insensitive\n'
                    '# section\tname\tcorrect\ttotal\n'
                    '# total\tcorrect\ttotal\toov\taccuracy\n')
            for restrict, case_insensitive in spec['analogy_runs']:
                score, sections = kv.evaluate_word_analogies(
                    questions, restrict_vocab=restrict, case_insensitive=case_insensitive)
                f.write('run\t%d\t%d\n' % (restrict, int(case_insensitive)))
                evaluated = 0
                for s in sections[:-1]:
                    correct, incorrect = len(s['correct']), len(s['incorrect'])
                    evaluated += correct + incorrect
                    f.write('section\t%s\t%d\t%d\n' % (s['section'], correct, correct + incorrect))
                total = sections[-1]
                correct = len(total['correct'])
                f.write('total\t%d\t%d\t%d\t%r\n' % (correct, evaluated,
                                                     n_quadruplets - evaluated, float(score)))

        with open(os.path.join(OUT, name + '-pairs.tsv'), 'w', encoding='utf8') as f:
            f.write('# file\trestrict\tcase_insensitive\tpearson\tspearman\toov_ratio\tpairs\n')
            for pair_file in PAIR_FILES:
                for restrict, case_insensitive in ((300000, True), (300000, False), (1000, True)):
                    pearson, spearman, oov = kv.evaluate_word_pairs(
                        os.path.join(GENSIM_DATA, pair_file), restrict_vocab=restrict,
                        case_insensitive=case_insensitive)
                    n_pairs = count_pairs(kv, os.path.join(GENSIM_DATA, pair_file),
                                          restrict, case_insensitive)
                    f.write('%s\t%d\t%d\t%r\t%r\t%r\t%d\n' % (
                        pair_file, restrict, int(case_insensitive), float(pearson[0]),
                        float(spearman.correlation), oov / 100.0, n_pairs))

    return 0


def count_pairs(kv, path, restrict, case_insensitive):
    """The number of pairs gensim evaluated (it logs but does not return it)."""
    keys = kv.index_to_key[:restrict]
    ok = {k.upper() if case_insensitive else k for k in keys}
    n = 0
    with open(path, encoding='utf8') as fin:
        for line in fin:
            if not line or line.startswith('#'):
                continue
            fields = line.split('\t')
            if len(fields) != 3:
                continue
            try:
                float(fields[2])
            except ValueError:
                continue
            a, b = fields[0], fields[1]
            if case_insensitive:
                a, b = a.upper(), b.upper()
            if a in ok and b in ok:
                n += 1
    return n


if __name__ == '__main__':
    sys.exit(main())
