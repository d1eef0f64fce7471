"""Gaps and violations → priced plan lines, plus end-of-life refresh of devices.

Every `gap` and `violation` becomes a line naming the requirement it closes. Its quantity comes
from the shortfall (rooms short of coverage, missing computers) or is fixed by the remedy
(`quantity: '1'`); its price from the price catalog. A violation is closed by an action
(停用自建网站, 补办审批, 更换服务商…) with nothing to buy; a gap whose remedy names no price line is
unpriced (the district must price it), never free.

Priority (tier) is the standard's `planning: tiers:` (beijing.yaml: required before optional;
within each, safety first, then teaching rooms, then the rest; end-of-life refresh between
required and optional work). `tier_names(catalog)` gives their names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from campusplan.catalog.loader import Catalog
from campusplan.catalog.schema import Text
from campusplan.catalog.vocabulary import LINE_KIND, label
from campusplan.engine.assessment import Assessment
from campusplan.engine.evaluate import specs
from campusplan.planning.prices import PriceBook, PriceCatalog, PriceLine

LINE_SCHEMA = {
    "school_id": pl.Utf8, "school": pl.Utf8, "district": pl.Utf8, "kind": pl.Utf8,
    "requirement_id": pl.Utf8, "item": pl.Int32, "level": pl.Utf8, "status": pl.Utf8,
    "tier": pl.Int8, "line": pl.Utf8, "label": pl.Utf8, "unit": pl.Utf8, "quantity": pl.Float64,
    "unit_price": pl.Float64, "cost": pl.Float64, "priced": pl.Boolean, "action": pl.Utf8,
    "explanation": pl.Utf8, "priced_by": pl.Utf8,
}


IDS_SEP = "、"  # joins the requirements one merged line closes: 22-1、22-6


def tier_names(catalog: Catalog) -> dict[int, Text]:
    """Tier number → its name (必配·安全 …), from the standard's `planning:` section."""
    return catalog.standard.planning.names()


def priced_by(line: PriceLine | None) -> str:
    """Which list set a line's price: `district` (协议供货价), `city` (the default), or "" when
    nothing priced it."""
    if line is None or line.unit_price is None:
        return ""
    return "district" if line.basis == "district" else "city"


def _price_lookup(prices: PriceCatalog, book: PriceBook | None):
    """district code → {line key: PriceLine}, each district's dict built once."""
    cache: dict[str | None, dict[str, PriceLine]] = {}

    def of(district: str | None) -> dict[str, PriceLine]:
        if district not in cache:
            cache[district] = (book.for_district(district) if book else prices).by_key()
        return cache[district]
    return of


def plan_lines(assessment: Assessment, prices: PriceCatalog, lang: str = "zh",
               as_of: dt.date | None = None, book: PriceBook | None = None) -> pl.DataFrame:
    """One row per plan line, ordered by tier, school and requirement. With a `book`, each
    school's lines are priced by its district's list (else by `prices`)."""
    reqs = {s.req.id: s.req for s in specs(assessment.catalog)}
    planning = assessment.catalog.standard.planning
    price_of = _price_lookup(prices, book)
    rows: list[dict] = []
    for r in assessment.explained(statuses=("gap", "violation"), lang=lang):
        req = reqs[r["requirement_id"]]
        remedy = req.remedy
        if remedy is None:
            continue
        line = price_of(r["district"]).get(remedy.line) if remedy.line else None
        qty = req.check.plan_quantity(remedy.quantity, r["shortfall"], r.get("rows_short"))
        # a violation is closed by an action (stop, migrate, obtain approval): nothing to buy;
        # a gap whose remedy names no priced line still needs buying: unpriced, never 0
        unit_price = line.unit_price if line else (0.0 if r["status"] == "violation" else None)
        rows.append({
            "school_id": r["school_id"], "school": r["name"], "district": r["district"],
            "kind": r["status"], "requirement_id": r["requirement_id"], "item": r["item"],
            "level": r["level"], "status": r["status"], "tier": planning.tier_of(r["level"], r["item"]),
            "line": remedy.line, "label": line.label.get(lang) if line else "",
            "unit": line.unit.get(lang) if line else "", "quantity": qty, "unit_price": unit_price,
            "cost": None if unit_price is None else qty * unit_price,
            "priced": unit_price is not None, "action": remedy.action.get(lang),
            "explanation": r["explanation"], "priced_by": priced_by(line),
        })
    rows += refresh_lines(assessment, price_of, lang, as_of or dt.date.today())
    df = pl.DataFrame(rows, schema=LINE_SCHEMA) if rows else pl.DataFrame(schema=LINE_SCHEMA)
    df = _same_measure(df, assessment)
    return _once_per_school(df, prices).sort("tier", "school_id", "item", "requirement_id",
                                             nulls_last=True, maintain_order=True)


def _same_measure(df: pl.DataFrame, assessment: Assessment) -> pl.DataFrame:
    """Two rules that count the same thing (9 备注: 至少1间 and 每12个班级1间 both count
    recording classrooms) need the larger quantity, not the sum: keep the largest line per
    (school, line, measured value) and name both requirements."""
    measure = {s.req.id: m for s in specs(assessment.catalog)
               if (m := s.req.check.measure()) is not None}
    keyed = df.with_columns(pl.col("requirement_id").replace_strict(
        measure, default=None, return_dtype=pl.Utf8).alias("_measure"))
    plain = keyed.filter(pl.col("_measure").is_null() | pl.col("line").is_null())
    counted = keyed.filter(pl.col("_measure").is_not_null() & pl.col("line").is_not_null())
    if counted.height == 0:
        return df
    merged = (counted.sort("quantity", descending=True)
              .group_by("school_id", "line", "_measure", maintain_order=True)
              .agg(pl.all().first(), pl.col("requirement_id").sort().alias("_ids"))
              .with_columns(pl.col("_ids").list.join(IDS_SEP).alias("requirement_id")))
    return pl.concat([plain.select(df.columns), merged.select(df.columns)])


def _once_per_school(df: pl.DataFrame, prices: PriceCatalog) -> pl.DataFrame:
    """Whole-school lines (one security upgrade closes 22 ①, ⑥ and ⑨): keep one per school,
    at the highest priority, naming every requirement it closes."""
    once = [k for k, v in prices.by_key().items() if v.once_per_school]
    is_once = pl.col("line").is_in(once).fill_null(False)  # actions have no line
    single, rest = df.filter(is_once), df.filter(~is_once)
    if single.height == 0:
        return df
    merged = (single.sort("tier").group_by("school_id", "line", maintain_order=True)
              .agg(pl.all().first(), pl.col("requirement_id").alias("closes"))
              .with_columns(pl.col("closes").list.join(IDS_SEP).alias("requirement_id"))
              .drop("closes").select(df.columns))
    return pl.concat([rest, merged])


YEAR_DAYS = 365.25


@dataclass(frozen=True)
class DeviceLife:
    """A device's age and when its service life ends (None where the purchase date or the
    price line's service life is unknown — never guessed)."""

    age_years: float | None
    service_life_years: int | None
    refresh_year: int | None  # the year its service life ends: when the plan replaces it
    due: bool  # at or past the end of its service life on the day asked


def device_life(purchased: dt.date | None, service_life_years: int | None,
                as_of: dt.date) -> DeviceLife:
    """The one rule of end-of-life refresh: a device is due once it is as old as its price
    line's service life (refresh_lines plans it; the school page shows it)."""
    if purchased is None:
        return DeviceLife(None, service_life_years, None, False)
    age = (as_of - purchased).days / YEAR_DAYS
    if service_life_years is None:
        return DeviceLife(age, None, None, False)
    end = purchased + dt.timedelta(days=service_life_years * YEAR_DAYS)
    return DeviceLife(age, service_life_years, end.year, age >= service_life_years)


def refresh_lines(assessment: Assessment, price_of, lang: str,
                  as_of: dt.date) -> list[dict]:
    """Devices older than their line's service life become replacement lines (refresh tier)."""
    devices = assessment.frames.devices
    if devices.height == 0:
        return []
    names = dict(assessment.frames.schools.select("school_id", "name").iter_rows())
    districts = dict(assessment.frames.schools.select("school_id", "district").iter_rows())
    out = []
    for d in devices.iter_rows(named=True):
        line = price_of(districts.get(d["school_id"])).get(d["kind"])
        if line is None or line.service_life_years is None:
            continue
        life = device_life(d["purchased"], line.service_life_years, as_of)
        if not life.due:
            continue
        age = life.age_years
        zh = lang.startswith("zh")
        why = (f"{d['purchased']:%Y-%m} 购置，已使用 {age:.1f} 年，超过使用年限 "
               f"{line.service_life_years} 年") if zh else (
            f"bought {d['purchased']:%Y-%m}, {age:.1f} years old, past its "
            f"{line.service_life_years}-year service life")
        cost = None if line.unit_price is None else d["quantity"] * line.unit_price
        out.append({
            "school_id": d["school_id"], "school": names.get(d["school_id"]),
            "district": districts.get(d["school_id"]), "kind": "refresh",
            "requirement_id": None, "item": None, "level": None, "status": None,
            "tier": assessment.catalog.standard.planning.refresh_tier(),
            "line": line.key, "label": line.label.get(lang), "unit": line.unit.get(lang),
            "quantity": float(d["quantity"]), "unit_price": line.unit_price, "cost": cost,
            "priced": line.unit_price is not None,
            "action": label(LINE_KIND, "refresh", lang), "explanation": why,
            "priced_by": priced_by(line),
        })
    return out
