"""condition — any boolean expression of the check language must hold."""

from __future__ import annotations

from typing import Literal

import polars as pl

from campusplan.catalog.base import Text
from campusplan.catalog.kinds.base import CheckKind, polars_outcome, python_outcome
from campusplan.catalog.kinds.registry import kinds


@kinds.register("condition")
class Condition(CheckKind):
    """Any boolean expression must hold.  `{kind: condition, expr: "fact.a and fact.b"}`"""

    kind: Literal["condition"]
    expr: str

    label = Text(zh="条件", en="Condition")
    templates = {"met": Text(zh="符合要求", en="meets the requirement"),
                 "gap": Text(zh="不符合：{text}", en="not met: {text}")}
    expression_fields = ("expr",)

    def polars(self, ctx) -> dict[str, pl.Expr]:
        return polars_outcome(ctx, ctx.expr(self.expr), "gap", None, None)

    def decide(self, ctx) -> dict:
        return python_outcome(ctx.run(self.expr), "gap", None, None)

    def explain_known(self, ex, spec, row) -> str:
        return self.template(ex, row["status"], text=spec.req.text)
