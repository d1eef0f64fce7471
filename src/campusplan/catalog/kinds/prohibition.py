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
    templates = {
        "met": Text(zh="未发现：{label}", en="not present: {label}"),
        "excused": Text(zh="已有{label}，属允许情形：{why}", en="present but allowed: {label} ({why})"),
        "excused_unknown": Text(zh="未登记是否有{label}；即使有也属允许情形：{why}",
                                en="not recorded, allowed in any case: {label} ({why})"),
        "violation": Text(zh="违反规定：{label}", en="violation: {label}"),
        "violation_why": Text(zh="违反规定：{label}（{why}）", en="violation: {label} ({why})"),
    }
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

    def explain(self, ex, spec, row, school) -> str:
        """Present and allowed is said so, with the reason (获批, 班级数 超过 30): never 未发现."""
        status = row["status"]
        if status == "unknown" or (spec.req.explain is not None and status != "met"):
            return super().explain(ex, spec, row, school)
        label = ex.label(f"fact.{self.fact}")[0]
        why = ex.reasons(self.unless, spec, school, status == "met") if self.unless else ""
        if status == "met" and row["actual"] == 0:
            return ex.render(self.templates["met"], label=label)
        if status == "met":
            key = "excused" if row["actual"] is not None else "excused_unknown"
            return ex.render(self.templates[key], label=label, why=why)
        return ex.render(self.templates["violation_why" if why else "violation"],
                         label=label, why=why)

    def explain_known(self, ex, spec, row) -> str:
        """Without the school's values: the bare sentence (present or not)."""
        label, unit = ex.label(f"fact.{self.fact}")
        return self.template(ex, row["status"], label=label, unit=unit, **ex.numbers(row))

    def meaning(self, vocab) -> list[str]:
        return yes_no_fact_problems(self.kind, self.fact, vocab)


def _constants_only(ns: str, name: str) -> object:
    raise TypeError(f"{ns}.{name}: the node holds constants only")
