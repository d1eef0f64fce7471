"""A district's price list (协议供货价) as a workbook: the columns, and reading one back.

One row per price line of the catalog, keyed by the line's code (a natural key, never a
database id). Reading collects every problem (sheet, row, column letter, value, reason in zh
and en) before anything is applied; the workbook itself is written by reports/price_xlsx.py
from the same columns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from campusplan.exchange.problems import Location, Problem
from campusplan.exchange.readers import read_xlsx

SHEET = "单价"
# key, zh header, en header
COLUMNS = [
    ("key", "条目代码", "Line code"),
    ("label", "名称", "Name"),
    ("unit", "单位", "Unit"),
    ("unit_price", "单价（元）", "Unit price (RMB)"),
    ("service_life_years", "使用年限", "Service life (years)"),
    ("source", "来源", "Source"),
    ("priced_on", "定价日期", "Price date"),
    ("list", "定价方", "Priced by"),
]
HEADERS = {h.strip().lower(): key for key, zh, en in COLUMNS for h in (zh, en, key)}


@dataclass(frozen=True)
class PriceRow:
    key: str
    unit: str
    unit_price: float | None
    service_life_years: int | None
    source: str
    priced_on: dt.date | None


def read_price_sheet(path: Path, known: set[str]) -> tuple[list[PriceRow], list[Problem]]:
    """Every row of the workbook's price sheet, or every problem found in it."""
    doc = read_xlsx(path)
    problems = list(doc.problems)
    table = next((t for t in doc.tables if t.sheet == SHEET), doc.tables[0] if doc.tables
                 else None)
    if table is None:
        return [], problems + [Problem("工作簿中没有单价表", "the workbook has no price sheet",
                                       Location(file=path.name))]
    cols = {HEADERS.get(str(h).strip().lower()): i for i, h in enumerate(table.headers)}
    if "key" not in cols or "unit_price" not in cols:
        return [], problems + [Problem("缺少“条目代码”或“单价（元）”列",
                                       "the columns 条目代码 and 单价（元） are required",
                                       table.where(table.header_row))]
    rows, seen = [], set()
    for number, values in table.rows:
        row = _row(table, cols, number, values, known, seen, problems)
        if row is not None:
            rows.append(row)
    return rows, problems


def _cell(cols: dict, values: list, key: str) -> Any:
    i = cols.get(key)
    value = values[i] if i is not None and i < len(values) else None
    return value.strip() if isinstance(value, str) else value


def _row(table, cols, number, values, known, seen, problems) -> PriceRow | None:
    def at(key: str) -> Location:
        return table.where(number, cols.get(key))

    key = str(_cell(cols, values, "key") or "")
    if not key:
        return None
    if key not in known:
        problems.append(Problem("单价目录中没有这个条目代码", "no such line in the price catalog",
                                at("key"), key))
        return None
    if key in seen:
        problems.append(Problem("条目代码重复", "the line appears twice", at("key"), key))
        return None
    seen.add(key)
    before = len(problems)
    price = _number(_cell(cols, values, "unit_price"), at("unit_price"), problems, whole=False)
    life = _number(_cell(cols, values, "service_life_years"), at("service_life_years"), problems,
                   whole=True)
    priced_on = _date(_cell(cols, values, "priced_on"), at("priced_on"), problems)
    if len(problems) > before:
        return None
    return PriceRow(key, str(_cell(cols, values, "unit") or ""), price,
                    None if life is None else int(life),
                    str(_cell(cols, values, "source") or "")[:300], priced_on)


def _number(value, where: Location, problems: list[Problem], whole: bool) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(str(value).replace(",", ""))
    except ValueError:
        problems.append(Problem("不是数字", "not a number", where, value))
        return None
    if number != number or number < (1 if whole else 0) or number > 1e11 or (
            whole and number != int(number)):
        problems.append(Problem("需为不小于 1 的整数" if whole else "需为不小于 0 的金额",
                                "a whole number of at least 1 is required" if whole else
                                "an amount of at least 0 is required", where, value))
        return None
    return number


def _date(value, where: Location, problems: list[Problem]) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problems.append(Problem("日期格式应为 YYYY-MM-DD", "a date as YYYY-MM-DD is required",
                                where, value))
        return None
