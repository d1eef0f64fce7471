"""Each stored run's full result matrix as a zstd Parquet file beside the database
(`CAMPUSPLAN_RUN_DIR`, `<var>/runs`): every (school, requirement) row with its numbers, for
exports and analytics (polars, DuckDB) to read without the database. The database keeps what
pages read; the file is the run's columnar copy, one per run id.

A deleted run's file is removed once the deletion commits (assessments/signals.py). A run whose
transaction rolls back may leave its file behind; the next run given the same id overwrites it."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from django.conf import settings


def path(run_id: int) -> Path:
    return Path(settings.CAMPUSPLAN_RUN_DIR) / f"run-{run_id}.parquet"


def write(run_id: int, rows: pl.DataFrame) -> Path:
    """Write the run's rows (the engine's annotated columns, school by code)."""
    target = path(run_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".parquet.part")
    rows.write_parquet(partial, compression="zstd", statistics=True)
    partial.replace(target)  # readers never see half a file
    return target


def read(run_id: int) -> pl.DataFrame | None:
    """The run's stored matrix, or None when the file is absent (a run from before the files,
    or a directory not kept)."""
    target = path(run_id)
    return pl.read_parquet(target) if target.exists() else None
