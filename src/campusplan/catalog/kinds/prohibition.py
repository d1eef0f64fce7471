"""prohibition — something the standard rules out (5.3: no own data centre under 30 classes)."""

from __future__ import annotations

from typing import Literal

import polars as pl

from campusplan.catalog.base import Text
from campusplan.catalog.expr import Const, Logic, Node, Unary
from campusplan.catalog.expr_python import evaluate
from campusplan.catalog.kinds.base import (
    CheckKind,
    polars_outcome,
    python_outcome,
    yes_no_fact_problems,
)
from campusplan.catalog.kinds.registry import kinds


@kinds.register("prohibition")
class Prohibition(CheckKind):
    """Something the standard rules out; present (and not excused by `unless`) is a violation.

    `{kind: prohibition, fact: own_data_center, unless: "school.classes >= param.x"}`
    """

    kind: Literal["prohibition"]
    fact: str
    unless: str | None = None

    label = Text(zh="禁止", en="Prohibition")
    templates = {"met": Text(zh="未发现：{label}", en="not present: {label}"),
                 "violation": Text(zh="违反规定：{label}", en="violation: {label}")}
    expression_fields = ("unless",)

    def reads(self) -> dict[str, str]:
        return self.expressions() | {"fact": f"fact.{self.fact}"}

    def polars(self, ctx) -> dict[str, pl.Expr]:
        actual, unless = ctx.expr(f"fact.{self.fact}"), ctx.expr(self.unless)
        ok = ~actual if unless is None else (~actual | unless)
        return polars_outcome(ctx, ok, "violation", actual, pl.lit(0.0))

    def decide(self, ctx) -> dict:
        actual = ctx.run(f"fact.{self.fact}")
        # not present, or excused: three-valued, as the engine's `~actual | unless`
        node: Node = Unary("not", Const(actual))
        if self.unless is not None:
            node = Logic("or", (node, Const(ctx.run(self.unless))))
        return python_outcome(evaluate(node, _constants_only), "violation", actual, 0.0)

    def explain_known(self, ex, spec, row) -> str:
        label, unit = ex.label(f"fact.{self.fact}")
        return self.template(ex, row["status"], label=label, unit=unit, **ex.numbers(row))

    def meaning(self, vocab) -> list[str]:
        return yes_no_fact_problems(self.kind, self.fact, vocab)


def _constants_only(ns: str, name: str) -> object:
    raise TypeError(f"{ns}.{name}: the node holds constants only")
