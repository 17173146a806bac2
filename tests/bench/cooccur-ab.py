#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Counting only: `embedscope cooccur` builds (before/after a change, say)
against the vectorised numpy counter of corpus-vs-scipy.py, interleaved in
the same run, so a busy machine slows all of them alike.

  /usr/bin/python3 tests/bench/cooccur-ab.py CORPUS EMBEDSCOPE [EMBEDSCOPE...] [--runs N]

For each binary: the count's wall clock (the JSON "seconds" of `cooccur
--json`, without writing a file: what corpus-vs-scipy.py times) and the
whole process's CPU seconds (user + sys, process start included); for
numpy, the wall clock and CPU seconds of numpy_count in this process.
Minimum and median over the runs, and the ratios numpy / ours.
"""
import importlib.util, json, os, resource, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location('peers', os.path.join(HERE, 'corpus-vs-scipy.py'))
peers = importlib.util.module_from_spec(spec)
spec.loader.exec_module(peers)


def main():
    argv = sys.argv[1:]
    runs = 5
    if '--runs' in argv:
        i = argv.index('--runs')
        runs = int(argv[i + 1])
        del argv[i:i + 2]
    if len(argv) < 2:
        sys.exit(__doc__)
    corpus, bins = argv[0], argv[1:]
    ours = {b: ([], []) for b in bins}
    np_wall, np_cpu = [], []
    load = os.getloadavg()[0]
    for _ in range(runs):
        for b in bins:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            out = subprocess.run([b, 'cooccur', corpus, '--json'], capture_output=True, text=True, check=True).stdout
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            ours[b][0].append(json.loads(out.splitlines()[0])['seconds'])
            ours[b][1].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        c, t = time.process_time(), time.perf_counter()
        peers.numpy_count(corpus)
        np_wall.append(time.perf_counter() - t)
        np_cpu.append(time.process_time() - c)
    med = statistics.median
    print(f'{corpus}: {runs} runs each, interleaved; load average {load:.1f} at the start, '
          f'{os.getloadavg()[0]:.1f} at the end')
    print(f'numpy counter: wall min {min(np_wall):.3f} median {med(np_wall):.3f} s; '
          f'CPU min {min(np_cpu):.3f} median {med(np_cpu):.3f} s')
    for b in bins:
        wall, cpu = ours[b]
        print(f'{b}: count wall min {min(wall):.3f} median {med(wall):.3f} s '
              f'(numpy/ours {min(np_wall) / min(wall):.1f}x min, {med(np_wall) / med(wall):.1f}x median); '
              f'process CPU min {min(cpu):.3f} median {med(cpu):.3f} s (numpy/ours {min(np_cpu) / min(cpu):.1f}x min)')


if __name__ == '__main__':
    main()
