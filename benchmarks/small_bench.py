"""Small runs: where the reference evaluator stops being faster than the vectorized engine.

    PYTHONPATH=src .venv/bin/python benchmarks/small_bench.py [--repeat 7]

For 1, 10, 30, 60, 100 and 300 schools of the Beijing mix (the same synthetic population the
demo loads), times the vectorized engine (`engine.evaluate.assess`) and the reference evaluator
as the engine uses it (`engine.assessment.reference_results`, the same result frame), both in
this process, median of `--repeat` runs after one warm-up, and prints the ratio
reference / vectorized: below 1 the reference is faster. The crossover is where
`engine.assessment.SMALL_RUN` belongs. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import statistics
import time

from campusplan.catalog import load_catalog
from campusplan.demo.synthetic import population
from campusplan.engine.assessment import SMALL_RUN, reference_results
from campusplan.engine.evaluate import assess

SIZES = (1, 10, 30, 60, 100, 300)


def _median(fn, repeat: int) -> float:
    fn()  # warm-up: the first call pays for imports and caches both paths share
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    catalog = load_catalog()
    print(f"{'schools':>8} {'vectorized':>11} {'reference':>10} {'ref/vec':>8}")
    crossover = None
    for n in SIZES:
        frames = population(catalog, n, seed=2021, mix="beijing")
        vec = _median(lambda f=frames: assess(catalog, f), args.repeat)
        ref = _median(lambda f=frames: reference_results(catalog, f), args.repeat)
        if crossover is None and ref > vec:
            crossover = n
        print(f"{n:>8} {vec * 1000:>9.1f}ms {ref * 1000:>8.1f}ms {ref / vec:>8.2f}")
    print(f"reference slower from {crossover} schools on; SMALL_RUN = {SMALL_RUN}")


if __name__ == "__main__":
    main()
