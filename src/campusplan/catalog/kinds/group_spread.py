"""group_spread — a group's (a district's schools of one 学段) spread of a per-school value:
its weighted coefficient of variation must not exceed a limit (优质均衡: 所有指标校际差异系数，
小学均小于或等于0.50，初中均小于或等于0.45)."""

from __future__ import annotations

from typing import Literal

import polars as pl

from campusplan.catalog.base import Text
from campusplan.catalog.kinds.base import CheckKind, polars_outcome, python_outcome
from campusplan.catalog.kinds.registry import kinds


@kinds.register("group_spread")
class GroupSpread(CheckKind):
    """The weighted CV of `amount / per` across the schools of a `group` the requirement
    applies to must be ≤ `limit`.

    Each school is one unit: x_i = `amount`, P_i = `per` (e.g. the 学段's students);
    X̄ = Σx / ΣP (the weighted mean), S = sqrt(Σ (P_i/P)(x_i/P_i − X̄)²), CV = S / X̄ — the
    student-weighted method of youzhi-junheng.md §3 (the reference decision is
    engine/equity.py `weighted_cv`). Units with P_i ≤ 0 carry no weight. The verdict is the
    group's, repeated on each of its schools: unknown while any school of the group lacks a
    value (missing is never zero); actual = CV, required = `limit`, basis = X̄.

    `{kind: group_spread, amount: "fact.multimedia_classrooms * stage.share * 100",
    per: stage.students, limit: param.cv_max_primary}`
    """

    kind: Literal["group_spread"]
    amount: str
    per: str
    limit: str
    group: Literal["district"] = "district"

    label = Text(zh="校际差异系数", en="Spread between schools")
    templates = {
        "met": Text(zh="区内本学段校际差异系数 {cv}，要求不超过 {required}；均值 {basis}",
                    en="CV across the district's schools of this stage {cv}; "
                       "at most {required}; mean {basis}"),
        "gap": Text(zh="区内本学段校际差异系数 {cv}，要求不超过 {required}，超出 {over}；"
                       "均值 {basis}",
                    en="CV across the district's schools of this stage {cv}; "
                       "at most {required}, {over} over; mean {basis}"),
        "unknown": Text(zh="区内本学段有学校缺少数据，差异系数尚不能判定（已知部分 {cv}）",
                        en="some schools of this stage in the district lack data; the CV cannot "
                           "be judged yet (known part {cv})"),
    }
    judges = "group"
    expression_fields = ("amount", "per", "limit")

    # --- vectorized: window expressions over the group ----------------------------------------

    def polars(self, ctx) -> dict[str, pl.Expr]:
        x, p, limit = ctx.expr(self.amount), ctx.expr(self.per), ctx.expr(self.limit)
        g = pl.col(self.group)
        member = ctx.applicable()
        inc = member.fill_null(False) & x.is_not_null() & p.is_not_null() & (p > 0)
        xw, pw = pl.when(inc).then(x.cast(pl.Float64)), pl.when(inc).then(p.cast(pl.Float64))
        total = pw.sum().over(g)
        mean = pl.when(total > 0).then(xw.sum().over(g) / total)
        var = (pw / total * (xw / pw - mean) ** 2).sum().over(g)
        cv = pl.when(mean != 0).then(var.sqrt() / mean)
        incomplete = (member.is_null() | (member.fill_null(False)
                                          & (x.is_null() | p.is_null()))).any().over(g)
        ok = pl.when(incomplete).then(None).otherwise(cv <= limit)
        return polars_outcome(ctx, ok, "gap", cv, limit, shortfall=cv - limit, basis=mean)

    # --- reference: the official method of engine/equity.py over the group's units --------------

    def decide(self, ctx) -> dict:
        # the group's figure is the same for each of its schools: computed once per group
        spread, incomplete = ctx.once(self.group, lambda: self._figure(ctx))
        limit = ctx.run(self.limit)
        ok = None if incomplete or spread.cv is None or limit is None else spread.cv <= limit
        return python_outcome(ok, "gap", spread.cv, limit,
                              shortfall=None if ok is None else spread.cv - limit,
                              basis=spread.mean)

    def _figure(self, ctx):
        pairs, incomplete = [], False
        for peer in ctx.peers(self.group):
            member = peer.applicable()
            if member is None:
                incomplete = True
                continue
            if not member:
                continue
            x, p = peer.run(self.amount), peer.run(self.per)
            if x is None or p is None:
                incomplete = True
                continue
            pairs.append((x, p))
        return ctx.spread(pairs), incomplete

    # --- what the other layers ask --------------------------------------------------------------

    def comparisons(self) -> dict[str, str]:
        return self.expressions() | {"check": f"0 <= ({self.limit})"}

    def explain(self, ex, spec, row: dict, school: dict) -> str:
        if row["status"] == "unknown":
            return self.template(ex, "unknown", cv=_cv(row.get("actual")))
        return self.explain_known(ex, spec, row)

    def explain_known(self, ex, spec, row) -> str:
        nums = ex.numbers(row)
        over = None if row.get("shortfall") is None else f"{row['shortfall']:.3f}"
        return self.template(ex, row["status"], cv=_cv(row.get("actual")), over=over, **nums)


def _cv(v) -> str:
    return "—" if v is None else f"{v:.3f}"
