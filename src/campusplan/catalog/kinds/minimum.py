"""minimum — a count or measure must reach a formula (1 ① 带宽不低于百兆)."""

from __future__ import annotations

import re
from typing import Literal

import polars as pl

from campusplan.catalog.base import Text
from campusplan.catalog.kinds.base import CheckKind, polars_outcome, python_outcome
from campusplan.catalog.kinds.registry import kinds

SCHOOL_FACT = re.compile(r"^fact\.([a-z][a-z0-9_]*)$")  # a school fact, not an expression


@kinds.register("minimum")
class Minimum(CheckKind):
    """A count or measure must reach a formula.

    `{kind: minimum, actual: fact.bandwidth_mbps, required: param.min_bandwidth_mbps}`
    """

    kind: Literal["minimum"]
    actual: str
    required: str

    label = Text(zh="下限", en="Minimum")
    templates = {
        "met": Text(zh="{label} {actual}{unit}，要求不低于 {required}{unit}",
                    en="{label} {actual}{unit}; at least {required}{unit} required"),
        "gap": Text(zh="{label} {actual}{unit}，需不低于 {required}{unit}，缺 {shortfall}{unit}",
                    en="{label} {actual}{unit}; at least {required}{unit} required, "
                       "{shortfall}{unit} short"),
    }
    expression_fields = ("actual", "required")

    def polars(self, ctx) -> dict[str, pl.Expr]:
        actual, required = ctx.expr(self.actual), ctx.expr(self.required)
        return polars_outcome(ctx, actual >= required, "gap", actual, required,
                              shortfall=required - actual)

    def decide(self, ctx) -> dict:
        actual, required = ctx.run(self.actual), ctx.run(self.required)
        ok = None if actual is None or required is None else actual >= required
        return python_outcome(ok, "gap", actual, required,
                              shortfall=None if ok is None else required - actual)

    def comparisons(self) -> dict[str, str]:
        return self.expressions() | {"check": f"({self.actual}) >= ({self.required})"}

    def measure(self) -> str | None:
        return self.actual

    def explain_known(self, ex, spec, row) -> str:
        label, unit = ex.label(self.actual)
        return self.template(ex, row["status"], label=label, unit=unit, **ex.numbers(row))

    def delivered(self) -> tuple[str, str] | None:
        m = SCHOOL_FACT.match(self.actual or "")
        return ("count", m.group(1)) if m else None
