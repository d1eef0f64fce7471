"""maximum — an upper cap; over it is a violation (5.11 试点期不超过 3 间智慧教室)."""

from __future__ import annotations

from typing import Literal

import polars as pl

from campusplan.catalog.base import Text
from campusplan.catalog.kinds.base import CheckKind, polars_outcome, python_outcome
from campusplan.catalog.kinds.registry import kinds


@kinds.register("maximum")
class Maximum(CheckKind):
    """An upper cap; over it is a violation.  `{kind: maximum, actual: ..., limit: ...}`"""

    kind: Literal["maximum"]
    actual: str
    limit: str

    label = Text(zh="上限", en="Maximum")
    templates = {
        "met": Text(zh="{label} {actual}，上限 {required}", en="{label} {actual}; cap {required}"),
        "violation": Text(zh="{label} {actual}，超过上限 {required}，超出 {shortfall}",
                          en="{label} {actual} exceeds the cap of {required} by {shortfall}"),
    }
    expression_fields = ("actual", "limit")

    def polars(self, ctx) -> dict[str, pl.Expr]:
        actual, limit = ctx.expr(self.actual), ctx.expr(self.limit)
        return polars_outcome(ctx, actual <= limit, "violation", actual, limit,
                              shortfall=actual - limit)

    def decide(self, ctx) -> dict:
        actual, limit = ctx.run(self.actual), ctx.run(self.limit)
        ok = None if actual is None or limit is None else actual <= limit
        return python_outcome(ok, "violation", actual, limit,
                              shortfall=None if ok is None else actual - limit)

    def comparisons(self) -> dict[str, str]:
        return self.expressions() | {"check": f"({self.actual}) <= ({self.limit})"}

    def explain_known(self, ex, spec, row) -> str:
        label, unit = ex.label(self.actual)
        return self.template(ex, row["status"], label=label, unit=unit, **ex.numbers(row))
