"""each — every room of a type (or service of a category) must satisfy a per-row condition.

The only kind with a row source: the engine counts, per school, the rows whose condition holds,
fails or is unknown (one `group_by` per collection and type), and this module judges the counts.
"""

from __future__ import annotations

from typing import ClassVar, Literal

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
    Tally,
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
        "met": Text(zh="{what} {basis} {u}全部符合", en="all {basis} {what} comply"),
        "fail": Text(zh="{what} {basis} {u}中 {ok} {u}符合，{fail} {u}不符合{rest}",
                     en="{ok} of {basis} {what} comply, {fail} do not{rest}"),
        "short": Text(zh="{what} {basis} {u}中 {ok} {u}符合{rest}，需 {required} {u}，差 {rows_short} {u}",
                      en="{ok} of {basis} {what} comply{rest}; {required} needed, "
                         "{rows_short} short"),
        "unknown": Text(zh="{what} {basis} {u}中 {ok} {u}符合，{null} {u}缺少数据：{facts}",
                        en="{ok} of {basis} {what} comply, {null} lack data: {facts}"),
        "rest_fail": Text(zh="，{fail} {u}不符合", en=", {fail} do not"),
        "rest_null": Text(zh="，{null} {u}缺少数据", en=", {null} lack data"),
        "rest_uncounted": Text(zh="，{null} {u}缺少数据（未计入差额）",
                               en=", {null} lack data (not in the shortfall)"),
        "none": Text(zh="未登记{what}", en="no {what} registered"),
        "none_met": Text(zh="未登记{what}，本要求视为符合", en="no {what} registered; met"),
        # what is short in the measured unit, after the rooms: 「…；学生用计算机台数共缺 4 台」
        "units": Text(zh="；{label}共缺 {shortfall} {unit}", en="; {label}: {shortfall}{unit} short in all"),
    }
    units: ClassVar[dict[str, Text]] = {"rooms": Text(zh="间", en=""), "services": Text(zh="项", en="")}  # zh counters
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
        """Say every row: complying, failing, and without data (「30 间中 24 间符合，3 间不符合，
        3 间缺少数据」), so a shortfall never reads as the whole story."""
        what = ex.type_label(self.type)
        if row["status"] == "unknown" and not school.get(COLLECTIONS[self.of].inventoried):
            return ex.render(self.templates["not_inventoried"], what=what)
        tally = ex.tally(spec, school)
        if tally is None:  # no rows to hand: what the result row tells
            tally = _tally_from(row)
        if row["status"] == "unknown":
            if not tally.null:  # the expected count or applicability is what is missing
                return ex.missing(spec, school) or ex.t("missing", names="?")
            facts = ex.join(ex.row_facts(self.row_source()))
            return self._say(ex, "unknown", row, tally, what, facts=facts)
        if row["status"] == "not_applicable":
            return ex.t("na")
        return self._judged(ex, row, tally, what)

    def _judged(self, ex, row, tally, what) -> str:
        if row["status"] == "met":
            key = "none_met" if tally.n == 0 else "met"
            return ex.render(self.templates[key], what=what) if tally.n == 0 \
                else self._say(ex, key, row, tally, what)
        return self._rooms(ex, row, tally, what) + self._in_units(ex, row)

    def _rooms(self, ex, row, tally, what) -> str:
        if tally.n == 0:
            return ex.render(self.templates["none"], what=what)
        if self.expected is None:  # the shortfall counts the failing rows only
            rest = self._part(ex, "rest_uncounted", tally) if tally.null else ""
            return self._say(ex, "fail", row, tally, what, rest=rest)
        rest = (self._part(ex, "rest_fail", tally) if tally.fail else "") + \
            (self._part(ex, "rest_null", tally) if tally.null else "")
        return self._say(ex, "short", row, tally, what, rest=rest)

    def _in_units(self, ex, row) -> str:
        """What is short in the measured unit (computers, outlets), when the check measures one."""
        m = self.measured()
        if m is None or row.get("shortfall") is None:
            return ""
        label, unit = ex.label(m[0])
        return ex.render(self.templates["units"], label=label, unit=unit, **ex.numbers(row))

    def _say(self, ex, key, row, tally, what, **kw) -> str:
        values = ex.numbers(row) | self._counts(tally) | {"rest": ""} | kw
        return ex.render(self.templates[key], what=what, u=self._unit(ex), **values)

    def _part(self, ex, key, tally) -> str:
        return ex.render(self.templates[key], u=self._unit(ex), **self._counts(tally))

    def _unit(self, ex) -> str:
        return ex.render(self.units[self.of])

    @staticmethod
    def _counts(tally) -> dict[str, str]:
        return {"ok": str(tally.ok), "fail": str(tally.fail), "null": str(tally.null)}

    def explain_known(self, ex, spec, row) -> str:
        """From the result row alone (no rows to count): complying and the rest."""
        return self._judged(ex, row, _tally_from(row), ex.type_label(self.type))

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


def _tally_from(row: dict) -> Tally:
    """The counts a result row implies when the rows are not to hand: none without data."""
    n, ok = int(row.get("basis") or 0), int(row.get("actual") or 0)
    return Tally(n, ok, n - ok, 0)
