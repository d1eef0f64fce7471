"""Each stored run's full result matrix as a zstd Parquet file beside the database
(`CAMPUSPLAN_RUN_DIR`, `<var>/runs`): every (school, requirement) row with its numbers. It is
what the pages read a school's met and not-applicable rows from, and what exports and analytics
(polars, DuckDB) read without the database.

The database keeps only the rows people look for in lists — gaps, violations, unknowns and the
rows a waiver set aside (`in_database`): a quarter of a run (docs/scale.md). The run names its
file (`AssessmentRun.matrix_file`), with a random part, so a file left by a rolled-back run can
never be read as another run's. A run whose `matrix_file` is empty (runs from before the files)
keeps every row in the database.

A deleted run's file is removed once the deletion commits (assessments/signals.py)."""

from __future__ import annotations

import secrets
from collections.abc import Collection
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import polars as pl
from django.conf import settings

# the statuses whose rows the database keeps (with any waived row): what lists and filters read
IN_DATABASE = ("gap", "violation", "unknown")

SCHEMA = {"school": pl.Int64, "school_id": pl.Utf8, "requirement_id": pl.Utf8,
          "item": pl.Int64, "status": pl.Utf8, "level": pl.Utf8, "actual": pl.Float64,
          "required": pl.Float64, "shortfall": pl.Float64, "basis": pl.Float64,
          "rows_short": pl.Float64, "waived_by": pl.Int64}

# ≈ 500 row groups whatever the run's size (≥ 16,384 rows each): a school's rows are read from
# one group, found by the groups' min/max of `school`, without a footer too large to read per page
GROUPS = 500
MIN_GROUP = 16_384


def in_database() -> pl.Expr:
    return pl.col("status").is_in(IN_DATABASE) | pl.col("waived_by").is_not_null()


def path(name: str) -> Path:
    return Path(settings.CAMPUSPLAN_RUN_DIR) / name


class Writer:
    """A run's file written batch by batch (assessments/services.py assesses a large run a few
    districts at a time): each batch a part, the parts streamed into the one file at the end.

    A part is written in a thread of its own while the run goes on: encoding it is Polars' work
    (outside the GIL), and the run's next steps — its rows, tallies, scores and units copied into
    the database — wait mostly on the server, so the two overlap on a machine's two cores
    (0.6–0.9 s of a 10,000-school run, docs/scale.md). One part at a time: a batch waits for the
    previous part, so at most one batch's frame is held for the file."""

    def __init__(self, run_id: int):
        # a folder per thousand runs: every edit of a school stores a (small) run
        self.name = f"{run_id // 1000:04d}/run-{run_id}-{secrets.token_hex(6)}.parquet"
        self.target = path(self.name)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.parts: list[Path] = []
        self.rows = 0
        self.pending: Future | None = None
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="run-file")

    def add(self, rows: pl.DataFrame) -> None:
        self._wait()
        part = self.target.with_suffix(f".part{len(self.parts)}")
        self.parts.append(part)
        self.rows += rows.height
        self.pending = self.pool.submit(_write_part, part, rows)

    def _wait(self) -> None:
        pending, self.pending = self.pending, None
        if pending is not None:
            pending.result()  # a part that failed fails the run here

    def discard(self) -> None:
        """The run failed: its parts go (a written file stays until the next run's name)."""
        try:
            self._wait()
        except Exception:  # noqa: BLE001 — the run's own error is the one that matters
            pass
        finally:
            self.pool.shutdown()
            for part in self.parts:
                part.unlink(missing_ok=True)

    def close(self) -> str:
        try:
            self._wait()
        finally:
            self.pool.shutdown()
        partial = self.target.with_suffix(".part")
        if len(self.parts) == 1:
            self.parts[0].replace(partial)
        else:  # streamed: no batch's rows are held beside another's
            pl.scan_parquet(self.parts).sink_parquet(
                partial, compression="zstd", statistics=True,
                row_group_size=max(MIN_GROUP, self.rows // GROUPS + 1))
            for part in self.parts:
                part.unlink()
        partial.replace(self.target)  # readers never see half a file
        return self.name


def _write_part(part: Path, rows: pl.DataFrame) -> None:
    frame = rows.select([pl.col(k).cast(t) for k, t in SCHEMA.items()]) \
        .sort("school", "requirement_id")
    frame.write_parquet(part, compression="zstd", statistics=True,
                        row_group_size=max(MIN_GROUP, frame.height // GROUPS + 1))


def read(name: str, schools: Collection[int] | None = None) -> pl.DataFrame | None:
    """A run's rows (of these school ids, or all), or None when it has no file or the file is
    gone (a run directory not kept with its database: the pages fall back to the database's
    rows)."""
    target = path(name) if name else None
    if target is None or not target.exists():
        return None
    scan = pl.scan_parquet(target)
    if schools is not None:
        ids = sorted(set(schools))
        # the range lets the reader skip row groups by their statistics before is_in filters
        scan = scan.filter(pl.col("school").is_between(ids[0], ids[-1])
                           & pl.col("school").is_in(ids)) if ids else scan.head(0)
    return scan.collect()
