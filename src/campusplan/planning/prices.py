"""The price catalog: one priced line per remedy the standard's catalog names.

`standards/prices.yaml` is the default; a district's own list (协议供货价) has the same format and
replaces it (`campusplan plan --prices FILE`). A line without a price is kept and reported as
unpriced — never costed as 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field

from campusplan.catalog.loader import STANDARDS_DIR, read_yaml
from campusplan.catalog.schema import Strict, Text, Unit

Basis = Literal["cap", "market", "budget", "contract", "award", "derived", "assumption",
                "district", "unpriced"]


class PriceLine(Strict):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Text
    unit: Unit  # {zh: 台, en: computers}
    unit_price: float | None = Field(None, ge=0)
    service_life_years: int | None = Field(None, ge=1)
    basis: Basis
    source: str
    once_per_school: bool = False  # whole-school lines: one closes every requirement naming it


class PriceCatalog(Strict):
    version: str
    currency: str = "CNY"
    lines: list[PriceLine]

    def by_key(self) -> dict[str, PriceLine]:
        return {line.key: line for line in self.lines}

    def coverage(self) -> tuple[int, int]:
        """(lines with a price, all lines) of the catalog itself."""
        return sum(line.unit_price is not None for line in self.lines), len(self.lines)


class PriceChange(Strict):
    """A district's own figures for one line (协议供货价); what it leaves out stays the city's."""

    key: str
    unit_price: float | None = Field(None, ge=0)
    unit: Unit | None = None
    service_life_years: int | None = Field(None, ge=1)
    source: str = ""
    priced_on: str = ""  # ISO date the price was set or agreed


def overlay(base: PriceCatalog, changes: list[PriceChange], version: str) -> PriceCatalog:
    """The district's list: the city's catalog with the district's lines put over it. A line
    the district prices is `basis: district` and names its source (its date is kept apart)."""
    mine = {c.key: c for c in changes}
    lines = []
    for line in base.lines:
        c = mine.get(line.key)
        if c is None:
            lines.append(line)
            continue
        lines.append(line.model_copy(update={
            "unit_price": c.unit_price, "unit": c.unit or line.unit,
            "service_life_years": c.service_life_years, "source": c.source,
            "basis": "district" if c.unit_price is not None else "unpriced"}))
    return PriceCatalog(version=version, currency=base.currency, lines=lines)


@dataclass(frozen=True)
class PriceBook:
    """Which catalog prices each district's lines: its own list where it has one, else the
    city's default. A plan across districts prices each school by its district's list."""

    default: PriceCatalog
    districts: Mapping[str, PriceCatalog] = field(default_factory=dict)

    def for_district(self, code: str | None) -> PriceCatalog:
        return self.districts.get(code or "", self.default)

    def list_of(self, code: str | None) -> str:
        """`district` when the district keeps its own list, else `city`."""
        return "district" if (code or "") in self.districts else "city"


def load_prices(path: Path | None = None) -> PriceCatalog:
    return PriceCatalog.model_validate(read_yaml(path or STANDARDS_DIR / "prices.yaml"))


@cache
def default_prices() -> PriceCatalog:
    return load_prices()
