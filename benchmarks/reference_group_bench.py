"""Timing of the reference evaluator on one district of the 优质均衡 standard, whose group rules
(group_spread per indicator and 学段, at_least over them) read every school of the district
(not run by the test suite).

    PYTHONPATH=src .venv/bin/python benchmarks/reference_group_bench.py [--schools 300]

Prints the best of three `reference.assess_all` runs over a synthetic district of N schools,
and the vectorized engine's for comparison.
"""

from __future__ import annotations

import argparse
import time

from campusplan.catalog import load_catalog
from campusplan.demo.synthetic import population
from campusplan.engine import reference
from campusplan.engine.evaluate import assess


def best(fn, times: int = 3) -> float:
    out = []
    for _ in range(times):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return min(out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=300)
    args = parser.parse_args()
    catalog = load_catalog("youzhi")
    frames = population(catalog, args.schools, seed=3, mix="beijing", district_codes=["110108"])
    ref = best(lambda: reference.assess_all(catalog, frames))
    vec = best(lambda: assess(catalog, frames))
    print(f"{args.schools} schools, one district: reference {ref:.3f} s, vectorized {vec:.3f} s")


if __name__ == "__main__":
    main()
