"""The price catalog: one priced line per remedy the standard's catalog names.

`standards/prices.yaml` is the default; a district's own list (协议供货价) has the same format and
replaces it (`campusplan plan --prices FILE`). A line without a price is kept and reported as
unpriced — never costed as 0.
"""

from __future__ import annotations

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


def load_prices(path: Path | None = None) -> PriceCatalog:
    return PriceCatalog.model_validate(read_yaml(path or STANDARDS_DIR / "prices.yaml"))


@cache
def default_prices() -> PriceCatalog:
    return load_prices()
