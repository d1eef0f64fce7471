"""each — every room of a type (or service of a category) must satisfy a per-row condition.

The only kind with a row source: the engine counts, per school, the rows whose condition holds,
fails or is unknown (one `group_by` per collection and type), and this module judges the counts.
"""

from __future__ import annotations

from typing import Literal

import polars as pl

from campusplan.catalog.base import Text
from campusplan.catalog.kinds.base import (
    COLLECTIONS,
    FAIL_CODES,
    MET,
    NA,
    UNKNOWN,
    CheckKind,
    RowSource,
    num_expr,
    number,
)
from campusplan.catalog.kinds.registry import kinds


@kinds.register("each")
class Each(CheckKind):
    """Every row of a collection (rooms of a type, services of a category) must satisfy `condition`.

    `expected` (optional) is how many rows there should be, e.g. one ordinary classroom per
    class: rooms missing from the count are failures. `when_none` decides a school that has
    inventoried the collection but has no row of that type. `on_fail: violation` is for rules
    about what may be bought (vendor qualification, duplicate purchase).

    `{kind: each, of: rooms, type: ordinary_classroom, condition: "room.info_points >= 4"}`
    """

    kind: Literal["each"]
    of: Literal["rooms", "services"]
    type: str
    condition: str
    expected: str | None = None
    when_none: Literal["gap", "not_applicable", "met"] = "not_applicable"
    on_fail: Literal["gap", "violation"] = "gap"

    label = Text(zh="逐间/逐项", en="Each room/service")
    templates = {
        "not_inventoried": Text(zh="未登记{what}清单，无法判定",
                                en="no {what} inventory; cannot judge"),
        "row_facts": Text(zh="{what}：{names}", en="{what}: {names}"),
        "room_met": Text(zh="{what} {basis} 间全部符合", en="all {basis} {what} comply"),
        "room_fail": Text(zh="{what} {basis} 间中 {actual} 间符合，需 {required} 间，差 {shortfall} 间",
                          en="{actual} of {basis} {what} comply; {required} needed, "
                             "{shortfall} short"),
        "room_none": Text(zh="未登记{what}", en="no {what} registered"),
        "service_met": Text(zh="{what} {basis} 项均符合", en="all {basis} {what} comply"),
        "service_fail": Text(zh="{what} {basis} 项中 {shortfall} 项不符合",
                             en="{shortfall} of {basis} {what} do not comply"),
    }
    expression_fields = ("condition", "expected")

    def row_source(self) -> RowSource:
        return RowSource(COLLECTIONS[self.of], self.type, "condition", self.condition)

    def polars(self, ctx) -> dict[str, pl.Expr]:
        n, ok_n, fail_n, null_n = ctx.tally()
        inventoried = pl.col(COLLECTIONS[self.of].inventoried)
        expected = ctx.expr(self.expected)
        fail = FAIL_CODES[self.on_fail]
        none_code = {"gap": fail, "met": MET, "not_applicable": NA}[self.when_none]
        required = n if expected is None else expected
        short = (required - ok_n) if expected is not None else fail_n
        missing = (n < expected) if expected is not None else pl.lit(False)
        applicable = ctx.applicable()
        core = (pl.when(~inventoried).then(UNKNOWN)
                .when(fail_n > 0).then(fail)
                .when(missing.is_null()).then(UNKNOWN)
                .when(missing).then(fail)
                .when(null_n > 0).then(UNKNOWN)
                .when(n == 0).then(none_code)
                .otherwise(MET))
        status = pl.when(applicable.is_null()).then(UNKNOWN).when(~applicable).then(NA) \
            .otherwise(core)
        none_short = pl.when(n == 0).then(pl.max_horizontal(required, pl.lit(1))).otherwise(short)
        return {"status": status, "actual": num_expr(ok_n), "required": num_expr(required),
                "shortfall": pl.when(status == fail).then(num_expr(none_short)),
                "basis": num_expr(n)}

    def decide(self, ctx) -> dict:
        source = self.row_source()
        rows = ctx.rows(source)
        results = [ctx.run_row(self.condition, r) for r in rows]
        ok_n = sum(1 for v in results if v is True)
        fail_n = sum(1 for v in results if v is False)
        null_n = sum(1 for v in results if v is None)
        expected = ctx.run(self.expected)
        required = len(rows) if self.expected is None else expected
        status = self._status(ctx.school[source.collection.inventoried], rows, expected,
                              fail_n, null_n)
        if not rows:
            short = None if required is None else max(required, 1)
        else:
            short = fail_n if self.expected is None else (
                None if required is None else required - ok_n)
        return {"status": status, "actual": float(ok_n), "required": number(required),
                "shortfall": number(short) if status == self.on_fail else None,
                "basis": float(len(rows))}

    def _status(self, inventoried, rows, expected, fail_n: int, null_n: int) -> str:
        fail = self.on_fail
        if not inventoried:
            return "unknown"
        if fail_n:
            return fail
        if self.expected is not None and expected is None:
            return "unknown"
        if self.expected is not None and len(rows) < expected:
            return fail
        if null_n:
            return "unknown"
        if not rows:
            return {"gap": fail, "met": "met", "not_applicable": "not_applicable"}[self.when_none]
        return "met"

    def explain(self, ex, spec, row, school) -> str:
        """Unknown says whether the inventory or a room fact is missing; no custom template."""
        if row["status"] != "unknown":
            return self.explain_known(ex, spec, row)
        what = ex.type_label(self.type)
        if not school.get(COLLECTIONS[self.of].inventoried):
            return ex.render(self.templates["not_inventoried"], what=what)
        names = ex.join(ex.row_facts(self.row_source()))
        return ex.t("missing", names=ex.render(self.templates["row_facts"], what=what,
                                               names=names))

    def explain_known(self, ex, spec, row) -> str:
        what, met = ex.type_label(self.type), row["status"] == "met"
        nums = ex.numbers(row)
        if self.of == "services":
            return ex.render(self.templates["service_met" if met else "service_fail"],
                             what=what, **nums)
        if not row.get("basis"):
            return ex.render(self.templates["room_none"], what=what) if not met else ex.t("na")
        return ex.render(self.templates["room_met" if met else "room_fail"], what=what, **nums)

    def meaning(self, vocab) -> list[str]:
        if self.type != "*" and self.type not in vocab.types[self.of]:
            return [f"unknown {self.of} type `{self.type}`"]
        return []
