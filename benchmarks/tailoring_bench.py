"""Tailoring's cost on the engine: the Beijing demo-sized population judged with every parameter
a literal, then with tailored parameters read per school (columns `param.<key>`, a value per
district), as usecases.tailoring makes them.

    .venv/bin/python benchmarks/tailoring_bench.py [--schools N] [--repeat 5]

Prints the median seconds of each and the ratio. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import statistics
import time

from campusplan.catalog import load_catalog
from campusplan.demo.beijing import CITY_TOTAL
from campusplan.demo.synthetic import population
from campusplan.engine.evaluate import assess
from campusplan.engine.frames import with_params

# a school-level minimum, a per-room condition and a cap: each hot path reads a column
TAILORED = {"video_retention_days": 45, "info_points_ordinary_classroom": 6,
            "smart_classrooms_pilot_max": 2}


def _median(catalog, frames, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        assess(catalog, frames)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=CITY_TOTAL)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    catalog = load_catalog()
    frames = population(catalog, args.schools, mix="beijing")
    districts = sorted(set(frames.schools["district"].to_list()))
    half = set(districts[: len(districts) // 2])  # half the districts tighten
    values = {code: TAILORED for code, d in frames.schools.select("school_id", "district").rows()
              if d in half}
    tailored = with_params(frames, catalog, values)
    plain = _median(catalog, frames, args.repeat)
    with_cols = _median(catalog, tailored, args.repeat)
    print(f"{frames.schools.height} schools, {len(districts)} districts, {len(TAILORED)} "
          f"tailored parameters in {len(half)} districts")
    print(f"literals: {plain:.3f}s  tailored columns: {with_cols:.3f}s  "
          f"ratio {with_cols / plain:.2f}")


if __name__ == "__main__":
    main()
