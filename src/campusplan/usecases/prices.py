"""District price lists (协议供货价): read, edit one line, import and export the workbook.

The city's default catalog (standards/prices.yaml, with its sources) is every district's list
until the district sets its own figures; each change is audited, and the plans re-price from
it at once (their cached lines are keyed by the list's stamp).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from campusplan.accounts import audit
from campusplan.accounts.audit import Actor
from campusplan.exchange.price_sheet import PriceRow, read_price_sheet
from campusplan.exchange.problems import ExchangeError, Location, Problem
from campusplan.planning.prices import PriceCatalog, default_prices
from campusplan.projects import selectors, services
from campusplan.reports.price_xlsx import write_price_xlsx
from campusplan.schools.models import District
from campusplan.usecases import scoping

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PriceInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass(frozen=True)
class PriceList:
    district: District
    catalog: PriceCatalog  # the district's list (the city's where it sets nothing)
    own: set[str]  # the keys the district has set
    priced_on: dict[str, str]


@dataclass(frozen=True)
class Download:
    content: bytes
    filename: str
    content_type: str
    run: int | None = None


@dataclass
class PriceImport:
    changed: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def price_list(*, actor: Actor, district: str) -> PriceList:
    d = scoping.whole_district(actor, district)
    own = {c.key for c in selectors.price_changes(district_id=d.pk)}
    return PriceList(d, selectors.district_catalog(district=d, default=default_prices()), own,
                     selectors.priced_dates(district_id=d.pk))


def _validate(key: str, unit_price, service_life_years, where: Location) -> list[Problem]:
    problems = []
    if key not in default_prices().by_key():
        problems.append(Problem("单价目录中没有这个条目", "no such line in the price catalog",
                                where, key))
    if unit_price is not None and not 0 <= unit_price <= 1e11:
        problems.append(Problem("单价需为不小于 0 的金额", "the price must be at least 0", where,
                                unit_price))
    if service_life_years is not None and not 1 <= service_life_years <= 100:
        problems.append(Problem("使用年限需为 1–100 的整数", "service life must be 1–100 years",
                                where, service_life_years))
    return problems


def _values(line, unit: str, unit_price, life, source: str, priced_on) -> dict:
    same_unit = not unit or unit in (line.unit.zh, line.unit.en)
    return {"unit_price": unit_price, "unit_zh": "" if same_unit else unit[:20],
            "unit_en": "" if same_unit else unit[:40], "service_life_years": life,
            "source": source[:300], "priced_on": priced_on}


def set_price(*, actor: Actor, district: str, key: str, unit_price: float | None,
              unit: str = "", service_life_years: int | None = None, source: str = "",
              priced_on: dt.date | None = None) -> bool:
    """Set one line of the district's list (blank price: unpriced again). True if it changed.
    Raises PriceInvalid with located, bilingual problems; nothing is written then."""
    d = scoping.whole_district(actor, district, edit=True)
    problems = _validate(key, unit_price, service_life_years, Location(sheet=key))
    if unit_price is not None and not source.strip():
        problems.append(Problem("请填写单价来源（如：2026年协议供货价）",
                                "say where the price comes from (e.g. the 2026 agreement)",
                                Location(sheet=key)))
    if isinstance(priced_on, str):
        try:
            priced_on = dt.date.fromisoformat(priced_on) if priced_on.strip() else None
        except ValueError:
            problems.append(Problem("日期格式应为 YYYY-MM-DD", "a date as YYYY-MM-DD is required",
                                    Location(sheet=key), priced_on))
    if problems:
        raise PriceInvalid(problems)
    line = default_prices().by_key()[key]
    with audit.acting_as(actor), transaction.atomic():
        row = services.price_set(district=d, key=key, values=_values(
            line, unit, unit_price, service_life_years, source.strip(), priced_on))
    return row is not None


def import_prices(*, actor: Actor, district: str, path: Path) -> PriceImport:
    """Read the workbook; every problem, or every changed line applied in one transaction."""
    d = scoping.whole_district(actor, district, edit=True)
    defaults = default_prices().by_key()
    try:
        rows, problems = read_price_sheet(Path(path), set(defaults))
    except ExchangeError as exc:
        return PriceImport(problems=exc.problems)
    if problems:
        return PriceImport(problems=problems)
    own = {c.key for c in selectors.price_changes(district_id=d.pk)}
    result = PriceImport()
    with audit.acting_as(actor), transaction.atomic():
        for row in rows:
            if _same(defaults[row.key], row, row.key in own):
                continue
            values = _values(defaults[row.key], row.unit, row.unit_price,
                             row.service_life_years, row.source, row.priced_on)
            if services.price_set(district=d, key=row.key, values=values) is not None:
                result.changed.append(row.key)
    return result


def _same(line, row: PriceRow, own: bool) -> bool:
    """A city line the file repeats unchanged (an exported line left alone) is not the
    district's own price; the district's own lines are compared by price_set itself."""
    return not own and line.unit_price == row.unit_price and \
        line.service_life_years == row.service_life_years


def export_prices(*, actor: Actor, district: str, lang: str = "zh") -> Download:
    pl_ = price_list(actor=actor, district=district)
    buf = io.BytesIO()
    write_price_xlsx(pl_.catalog, pl_.priced_on, buf, lang)
    return Download(buf.getvalue(), f"{pl_.district.code}-prices.xlsx", XLSX)
