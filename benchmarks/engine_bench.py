"""Engine benchmark: a national-scale synthetic population, vectorized vs the per-school loop.

    .venv/bin/python benchmarks/engine_bench.py            # 210,000 schools (about a minute)
    .venv/bin/python benchmarks/engine_bench.py --schools 20000 --loop-sample 500

Prints schools per second for the vectorized engine (result rows included) and for the
reference per-school loop (engine/reference.py) on a sample of the same population, measured
in the same run, their ratio, the vectorized run's peak memory (measured in a fresh process
that only loads the frames and assesses), and the one-school CLI time end to end.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

from campusplan.catalog import load_catalog
from campusplan.demo.synthetic import population
from campusplan.engine import reference
from campusplan.engine.evaluate import assess
from campusplan.engine.frames import Frames

ROOT = Path(__file__).resolve().parents[1]


def _save(frames: Frames, folder: Path) -> None:
    for name in ("schools", "rooms", "services"):
        getattr(frames, name).write_parquet(folder / f"{name}.parquet")


def _load(folder: Path) -> Frames:
    return Frames(*(pl.read_parquet(folder / f"{n}.parquet") for n in ("schools", "rooms",
                                                                         "services")))


def _status_kib(field: str) -> int:
    """A memory figure of this process from /proc/self/status (VmRSS now, VmHWM its peak), in
    KiB. Not getrusage's ru_maxrss: a child started by fork + exec inherits the parent's peak
    there (the old figure, 2.85 GiB, was the benchmark parent's; the assessing process peaks
    lower), while VmHWM belongs to the address space exec created."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} missing from /proc/self/status")


def assess_only(folder: Path) -> None:
    """Run in a fresh process: load frames, assess, report time and peak RSS."""
    catalog = load_catalog()
    frames = _load(folder)
    base = _status_kib("VmRSS")
    t = time.perf_counter()
    results = assess(catalog, frames)
    elapsed = time.perf_counter() - t
    peak = _status_kib("VmHWM")
    inherited = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{elapsed:.4f} {results.height} {peak / 2**20:.3f} {(peak - base) / 2**20:.3f} "
          f"{inherited / 2**20:.3f}")


def loop_rate(catalog, frames: Frames, sample: int) -> float:
    subset_ids = frames.schools["school_id"].head(sample)
    sub = Frames(frames.schools.head(sample),
                 frames.rooms.filter(pl.col("school_id").is_in(subset_ids.implode())),
                 frames.services.filter(pl.col("school_id").is_in(subset_ids.implode())))
    t = time.perf_counter()
    rows = reference.assess_all(catalog, sub)
    elapsed = time.perf_counter() - t
    assert len(rows) == sample * len(catalog.standard.requirements())
    return sample / elapsed


def _median_run(cmd: list[str], runs: int) -> float:
    subprocess.run(cmd, check=True, capture_output=True)  # bytecode and the catalog cache
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def cli_one_school(runs: int = 5) -> dict[str, float]:
    """The one-school CLI (summary only, and with its ~150 detail rows) beside what no command
    can go under: the interpreter's start and `import polars` (the engine's frames), measured in
    the same run — the ratios move less than the seconds on a shared machine."""
    school = str(ROOT / "examples/small-primary.json")
    cli = [sys.executable, "-m", "campusplan", "assess", school]
    return {"python -c pass": _median_run([sys.executable, "-c", "pass"], runs),
            "import polars": _median_run([sys.executable, "-c", "import polars"], runs),
            "assess --summary": _median_run([*cli, "--summary"], runs),
            "assess": _median_run(cli, runs)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--schools", type=int, default=210_000)
    ap.add_argument("--loop-sample", type=int, default=2_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--assess-only", type=Path)
    args = ap.parse_args()
    if args.assess_only:
        return assess_only(args.assess_only)
    catalog = load_catalog()
    t = time.perf_counter()
    frames = population(catalog, args.schools, seed=2022, mix="national")
    print(f"population: {frames.schools.height:,} schools, {frames.rooms.height:,} rooms, "
          f"{frames.services.height:,} services (generated in {time.perf_counter() - t:.1f} s)")
    with tempfile.TemporaryDirectory() as tmp:
        _save(frames, Path(tmp))
        runs = []
        for _ in range(args.repeat):
            out = subprocess.run([sys.executable, __file__, "--assess-only", tmp], check=True,
                                 capture_output=True, text=True).stdout.split()
            runs.append((float(out[0]), int(out[1]), float(out[2]), float(out[3]),
                         float(out[4])))
    best = min(runs)
    vec_rate = args.schools / best[0]
    loop = loop_rate(catalog, frames, min(args.loop_sample, args.schools))
    print(f"vectorized engine: {best[0]:.2f} s for {args.schools:,} schools, {best[1]:,} result "
          f"rows → {vec_rate:,.0f} schools/s (best of {args.repeat}: "
          f"{', '.join(f'{r[0]:.2f}' for r in runs)} s)")
    print(f"per-school loop:   {loop:,.0f} schools/s (reference evaluator, "
          f"{min(args.loop_sample, args.schools):,}-school sample of the same population)")
    print(f"ratio:             {vec_rate / loop:,.0f}× faster")
    print(f"peak memory:       {best[2]:.2f} GiB RSS in the assessing process "
          f"(VmHWM; of which {best[3]:.2f} GiB above the loaded input frames; getrusage "
          f"would say {best[4]:.2f} GiB, the parent's peak inherited through fork)")
    cli = cli_one_school()
    floor = cli["import polars"]
    for name, seconds in cli.items():
        print(f"one school, {name + ':':18s} {seconds * 1000:5.0f} ms (median of 5), "
              f"{seconds / floor:.2f}× `import polars`")


if __name__ == "__main__":
    main()
