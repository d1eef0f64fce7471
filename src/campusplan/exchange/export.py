"""Export stored schools (and results) to .xlsx, .csv or .json — each re-imports unchanged.

- .xlsx: the survey workbook, filled, plus a 评估结果 sheet (read-only on import).
- .csv: UTF-8 with BOM (Excel on Windows opens it as is); `name.csv` holds the profile and every
  school fact, one row per school; `name-rooms.csv`, `name-services.csv`, `name-devices.csv`,
  `name-results.csv` beside it when there is something to write.
- .json: the engine's input format (`campusplan assess` reads it) plus `devices` and `results`.
Text cells starting with = + - @ tab or CR get a leading apostrophe (formula injection).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from campusplan.exchange.inventory import DeviceRow
from campusplan.exchange.layout import Column, Layout
from campusplan.exchange.rows import SheetRows, school_table, sheet_rows
from campusplan.exchange.workbook import write_workbook

FORMATS = (".xlsx", ".csv", ".json")


def write_export(path: Path, layout: Layout, docs: list[dict], district_services: list[dict],
                 devices: list[DeviceRow], results: list[dict] | None, meta: dict,
                 lang: str = "zh", progress: Callable | None = None) -> list[Path]:
    suffix = path.suffix.lower()
    if suffix == ".json":
        return [_write_json(path, docs, district_services, devices, results, meta)]
    data = sheet_rows(layout, docs, district_services, devices, results)
    if suffix == ".xlsx":
        return [write_workbook(path, layout, data, meta, lang, with_results=results is not None,
                               progress=progress)]
    if suffix == ".csv":
        return _write_csvs(path, layout, docs, data, lang)
    raise ValueError(f"unsupported export format {suffix!r}: use one of {FORMATS}")


def _write_csvs(path: Path, layout: Layout, docs: list[dict], data: SheetRows,
                lang: str) -> list[Path]:
    written = [write_csv(path, layout.school_columns, school_table(layout, docs), lang)]
    for key in ("rooms", "services", "devices", "results"):
        rows = data.get(key)
        if rows:
            target = path.with_name(f"{path.stem}-{key}{path.suffix}")
            written.append(write_csv(target, layout.sheet(key).columns, rows, lang))
    return written


def csv_cell(col: Column, value: Any, lang: str) -> str:
    cell = col.to_cell(value, lang)
    if cell is None:
        return ""
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, float):
        return repr(cell) if not cell.is_integer() else str(int(cell))
    return str(cell)


def write_csv(path: Path, columns: tuple[Column, ...], rows: list[dict], lang: str) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([c.header(lang) for c in columns])
        for row in rows:
            writer.writerow([csv_cell(c, row.get(c.key), lang) for c in columns])
    return path


def _write_json(path: Path, docs, district_services, devices, results, meta) -> Path:
    out = {"format": "campusplan-export", "meta": meta, "schools": docs,
           "district_services": district_services,
           "devices": [_device(d) for d in devices], "results": results or []}
    path.write_text(json.dumps(out, ensure_ascii=False, indent=1, default=_default),
                    encoding="utf-8")
    return path


def _device(d: DeviceRow) -> dict:
    return {"school": d.school, "asset_tag": d.asset_tag, "kind": d.kind, "room": d.room,
            "model": d.model, "purchase_date": d.purchase_date, "cost": d.cost}


def _default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value))
