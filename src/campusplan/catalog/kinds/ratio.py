"""ratio — at most `ratio` of `per` for each one of `actual` (生机比 10:1, 师机比 1:1)."""

from __future__ import annotations

import math
import re
from typing import Literal

import polars as pl

from campusplan.catalog.base import Text
from campusplan.catalog.kinds.base import CheckKind, polars_outcome, python_outcome
from campusplan.catalog.kinds.registry import kinds

SCHOOL_FACT = re.compile(r"^fact\.([a-z][a-z0-9_]*)$")  # a school fact, not an expression


@kinds.register("ratio")
class Ratio(CheckKind):
    """At most `ratio` of `per` for each one of `actual` (生机比 10:1, 师机比 1:1).

    required = ceil(per / ratio). `{kind: ratio, actual: fact.student_computers,
    per: stage.students, ratio: param.student_computer_ratio_primary}`
    """

    kind: Literal["ratio"]
    actual: str
    per: str
    ratio: str

    label = Text(zh="配比", en="Ratio")
    templates = {
        "met": Text(zh="{label} {actual}{unit}，{basis_label} {basis}，"
                       "按 {ratio}:1 需 {required}{unit}",
                    en="{label} {actual}{unit} for {basis} {basis_label}; {required} needed at "
                       "{ratio}:1"),
        "gap": Text(zh="{label} {actual}{unit}，{basis_label} {basis}，"
                       "按 {ratio}:1 需 {required}{unit}，缺 {shortfall}{unit}",
                    en="{label} {actual}{unit} for {basis} {basis_label}; {required} needed at "
                       "{ratio}:1, {shortfall} short"),
    }
    expression_fields = ("actual", "per", "ratio")

    def polars(self, ctx) -> dict[str, pl.Expr]:
        actual, basis, ratio = ctx.expr(self.actual), ctx.expr(self.per), ctx.expr(self.ratio)
        required = pl.when(ratio > 0).then((basis / ratio).ceil())
        return polars_outcome(ctx, actual >= required, "gap", actual, required,
                              shortfall=required - actual, basis=basis)

    def decide(self, ctx) -> dict:
        actual, basis, ratio = ctx.run(self.actual), ctx.run(self.per), ctx.run(self.ratio)
        required = None if basis is None or ratio is None or ratio <= 0 \
            else float(math.ceil(basis / ratio))
        ok = None if actual is None or required is None else actual >= required
        return python_outcome(ok, "gap", actual, required,
                              shortfall=None if ok is None else required - actual, basis=basis)

    def comparisons(self) -> dict[str, str]:
        return self.expressions() | {
            "check": f"({self.actual}) >= ceil(({self.per}) / ({self.ratio}))"}

    def measure(self) -> str | None:
        return self.actual

    def explain_known(self, ex, spec, row) -> str:
        label, unit = ex.label(self.actual)
        return self.template(ex, row["status"], label=label, unit=unit, **ex.numbers(row),
                             basis_label=ex.label(self.per)[0],
                             ratio=ex.fmt(ex.param_value(self.ratio)))

    def delivered(self) -> tuple[str, str] | None:
        m = SCHOOL_FACT.match(self.actual or "")
        return ("count", m.group(1)) if m else None
