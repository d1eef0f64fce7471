"""presence — a yes/no fact must be yes (22 ⑥ 安防监控中心)."""

from __future__ import annotations

from typing import Literal

import polars as pl

from campusplan.catalog.base import Text
from campusplan.catalog.kinds.base import (
    CheckKind,
    polars_outcome,
    python_outcome,
    yes_no_fact_problems,
)
from campusplan.catalog.kinds.registry import kinds


@kinds.register("presence")
class Presence(CheckKind):
    """A yes/no fact must be yes.  `{kind: presence, fact: broadcast_system}`"""

    kind: Literal["presence"]
    fact: str

    label = Text(zh="具备", en="Presence")
    templates = {"met": Text(zh="已具备：{label}", en="in place: {label}"),
                 "gap": Text(zh="未具备：{label}", en="missing: {label}")}

    def reads(self) -> dict[str, str]:
        return {"fact": f"fact.{self.fact}"}

    def polars(self, ctx) -> dict[str, pl.Expr]:
        actual = ctx.expr(f"fact.{self.fact}")
        return polars_outcome(ctx, actual, "gap", actual, pl.lit(1.0))

    def decide(self, ctx) -> dict:
        actual = ctx.run(f"fact.{self.fact}")
        return python_outcome(actual, "gap", actual, 1.0)

    def explain_known(self, ex, spec, row) -> str:
        label, unit = ex.label(f"fact.{self.fact}")
        return self.template(ex, row["status"], label=label, unit=unit, **ex.numbers(row))

    def meaning(self, vocab) -> list[str]:
        return yes_no_fact_problems(self.kind, self.fact, vocab)

    def delivered(self) -> tuple[str, str] | None:
        return ("flag", self.fact)
