"""each — every room of a type (or service of a category) must satisfy a per-row condition.

The only kind with a row source: the engine counts, per school, the rows whose condition holds,
fails or is unknown (one `group_by` per collection and type), and this module judges the counts.
"""

from __future__ import annotations

from typing import Literal

import polars as pl

from campusplan.catalog import expr as lang
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
        "room_met": Text(zh="{what} {basis} 间全部符合", en="all {basis} {what} comply"),
        "room_fail": Text(zh="{what} {basis} 间中 {actual} 间符合，需 {required} 间，差 {rows_short} 间",
                          en="{actual} of {basis} {what} comply; {required} needed, "
                             "{rows_short} short"),
        "room_none": Text(zh="未登记{what}", en="no {what} registered"),
        "room_fail_units": Text(
            zh="{what} {basis} 间中 {actual} 间符合，需 {required} 间；{label}：{rows_short} 间不符合，"
               "共缺 {shortfall} {unit}",
            en="{actual} of {basis} {what} comply; {required} needed; {label}: {rows_short} "
               "rooms short, {shortfall}{unit} short in all"),
        "none_units": Text(zh="，{label}共缺 {shortfall} {unit}", en=", {label} {shortfall}{unit} short"),
        "service_met": Text(zh="{what} {basis} 项均符合", en="all {basis} {what} comply"),
        "service_fail": Text(zh="{what} {basis} 项中 {rows_short} 项不符合",
                             en="{rows_short} of {basis} {what} do not comply"),
    }
    expression_fields = ("condition", "expected")

    def measured(self) -> tuple[str, str] | None:
        """(the row fact measured, its required value) when the condition is one `row.x >=
        value` comparison: a failing row is then short by `value - row.x` in the fact's unit
        (student computers, outlets, inches). Any other condition is judged in whole rows."""
        parts = lang.comparison(self.condition)
        if parts is None or parts[1] != ">=":
            return None
        left = lang.parse(parts[0])
        ns = COLLECTIONS[self.of].namespace
        return (parts[0], parts[2]) if isinstance(left, lang.Ref) and left.ns == ns else None

    def row_source(self) -> RowSource:
        m = self.measured()
        return RowSource(COLLECTIONS[self.of], self.type, "condition", self.condition,
                         deficit=None if m is None else f"({m[1]}) - {m[0]}")

    def _school_level_need(self) -> str | None:
        """The required value of a measured condition when it reads no row fact, so a row
        missing altogether is short by all of it (a missing computer room: its largest class)."""
        m = self.measured()
        if m is None:
            return None
        ns = COLLECTIONS[self.of].namespace
        return None if any(n == ns for n, _ in lang.refs(lang.parse(m[1]))) else m[1]

    def polars(self, ctx) -> dict[str, pl.Expr]:
        tally = ctx.tally()
        n, ok_n, fail_n, null_n = tally.n, tally.ok, tally.fail, tally.null
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
        rows_short = pl.when(n == 0).then(pl.max_horizontal(required, pl.lit(1))).otherwise(short)
        failing = status == fail
        out = {"status": status, "actual": num_expr(ok_n), "required": num_expr(required),
               "shortfall": pl.when(failing).then(num_expr(rows_short)),
               "basis": num_expr(n), "rows_short": pl.when(failing).then(num_expr(rows_short))}
        if tally.units is not None:
            absent = pl.when(n == 0).then(rows_short).otherwise(
                pl.lit(0) if expected is None else (expected - n).clip(lower_bound=0))
            units = pl.when(absent == 0).then(tally.units) \
                .otherwise(tally.units + absent * self._need_expr(ctx))
            out["shortfall"] = pl.when(failing).then(num_expr(units))
        return out

    def _need_expr(self, ctx) -> pl.Expr:
        need = self._school_level_need()
        return pl.lit(None, dtype=pl.Float64) if need is None else ctx.expr(need)

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
        failing = status == self.on_fail
        units = short
        if source.deficit is not None:
            units = self._units(ctx, source, rows, results, short, expected)
        return {"status": status, "actual": float(ok_n), "required": number(required),
                "shortfall": number(units) if failing else None, "basis": float(len(rows)),
                "rows_short": number(short) if failing else None}

    def _units(self, ctx, source, rows, results, short, expected):
        """The reference twin of the measured shortfall: failing rows' deficits plus the rows
        missing altogether, each short by the whole school-level need."""
        units = sum(ctx.run_row(source.deficit, r) for r, v in zip(rows, results, strict=True)
                    if v is False)
        if not rows:
            absent = short
        else:
            absent = 0 if self.expected is None else (
                None if expected is None else max(expected - len(rows), 0))
        if not absent:
            return None if absent is None else units
        need = self._school_level_need()
        value = None if need is None else ctx.run(need)
        return None if value is None else units + absent * value

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
        return ex.t("missing", names=f"{what}：" + "、".join(ex.row_facts(self.row_source())))

    def explain_known(self, ex, spec, row) -> str:
        what, met = ex.type_label(self.type), row["status"] == "met"
        nums = ex.numbers(row)
        if self.of == "services":
            return ex.render(self.templates["service_met" if met else "service_fail"],
                             what=what, **nums)
        m = self.measured()
        units = {} if met or m is None or row.get("shortfall") is None else dict(
            zip(("label", "unit"), ex.label(m[0]), strict=True))
        if not row.get("basis"):
            if met:
                return ex.t("na")
            none = ex.render(self.templates["room_none"], what=what)
            return none + ex.render(self.templates["none_units"], **units, **nums) if units \
                else none
        if met:
            return ex.render(self.templates["room_met"], what=what, **nums)
        # 「…；学生用计算机台数：1 间不符合，共缺 4 台」: the rooms and the measured unit
        key = "room_fail_units" if units else "room_fail"
        return ex.render(self.templates[key], what=what, **units, **nums)

    def plan_quantity(self, quantity: str, shortfall: float | None,
                      rows_short: float | None = None) -> float:
        """`quantity: rows` buys one per room (service) short — a display, an access point;
        `shortfall` buys what is short in the measured unit — student computers, outlets."""
        if quantity == "rows":
            return super().plan_quantity("shortfall", rows_short)
        return super().plan_quantity(quantity, shortfall)

    def meaning(self, vocab) -> list[str]:
        if self.type != "*" and self.type not in vocab.types[self.of]:
            return [f"unknown {self.of} type `{self.type}`"]
        return []
