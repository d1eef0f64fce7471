"""shared_ratio — a ratio per 学段 over one pool the school's 学段 share (生机比 10:1 / 8:1 / 6:1).

A 九年一贯制 or 完全中学 school has one stock of student computers. Comparing all of it with each
学段's students would count the same computers for every 学段, so a school short of computers
would pass every one. Here a 学段 is judged on its own count where the school knows it, else on
its share of what the pool leaves over: the pool, less the 学段 counted on their own, divided among
the other 学段 in proportion to their needs (the reading is the requirement's `note`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import reduce
from typing import Literal

import polars as pl

from campusplan.catalog.base import Strict, Text
from campusplan.catalog.expr_python import run
from campusplan.catalog.kinds.base import CheckKind, polars_outcome, python_outcome
from campusplan.catalog.kinds.registry import kinds


class Share(Strict):
    """One 学段's claim on the pool: its own count (a fact, unknown when the school keeps only
    the total) and its ratio."""

    stage: Literal["primary", "junior", "senior"]  # catalog.schema.Stage, without the cycle
    actual: str
    ratio: str


@kinds.register("shared_ratio")
class SharedRatio(CheckKind):
    """At most `ratio` of `per` for each one of this 学段's part of a pool shared by the 学段.

    required = ceil(per / ratio) for the item's 学段; `shares` lists every 学段 that may draw
    on the pool, in the order the rounding of the proportional split follows.
    `{kind: shared_ratio, pool: fact.student_computers_total, per: stage.students, shares:
    [{stage: primary, actual: fact.student_computers_primary,
      ratio: param.student_computer_ratio_primary}, …]}`
    """

    kind: Literal["shared_ratio"]
    pool: str
    per: str
    shares: tuple[Share, ...]

    label = Text(zh="配比（学段分摊）", en="Ratio (shared across stages)")
    templates = {
        "own": Text(zh="{label} {actual}{unit}，{basis_label} {basis}，按 {ratio}:1 需 {required}{unit}",
                    en="{label} {actual}{unit} for {basis} {basis_label}; {required} needed at "
                       "{ratio}:1"),
        "alone": Text(zh="{pool_label} {pool}{unit}，{basis_label} {basis}，按 {ratio}:1 需 "
                         "{required}{unit}",
                      en="{pool_label} {pool}{unit} for {basis} {basis_label}; {required} needed "
                         "at {ratio}:1"),
        "shared": Text(zh="{pool_label} {pool}{unit}{known_part}，按各学段所需共 {need}{unit} 比例分摊，"
                          "本学段计 {actual}{unit}；{basis_label} {basis}，按 {ratio}:1 需 "
                          "{required}{unit}",
                       en="{pool_label} {pool}{unit}{known_part}, shared in proportion to the "
                          "stages' needs of {need}{unit}: {actual}{unit} for this stage; {basis} "
                          "{basis_label}, {required} needed at {ratio}:1"),
        "known_part": Text(zh="，扣除单列学段的 {known}{unit} 后余 {remainder}{unit}",
                           en=" ({known}{unit} counted for other stages, {remainder}{unit} left)"),
        "gap": Text(zh="，缺 {shortfall}{unit}", en=", {shortfall} short"),
    }
    expression_fields = ("pool", "per")

    def expressions(self) -> dict[str, str]:
        out = super().expressions()
        for i, share in enumerate(self.shares):
            out |= {f"shares[{i}].actual": share.actual, f"shares[{i}].ratio": share.ratio}
        return out

    # --- the vectorized split ------------------------------------------------------------------

    def polars(self, ctx) -> dict[str, pl.Expr]:
        parts = [self._polars_share(ctx, s) for s in self.shares]
        known = _sum([p["known"] for p in parts])
        remainder = (ctx.expr(self.pool) - known).clip(lower_bound=0)  # unknown stays unknown
        needs = [p["need_u"] for p in parts]
        mine = self._index(ctx.stage)
        total, before = _sum(needs), _sum(needs[:mine])
        upto = before + needs[mine]
        share = pl.when(total > 0).then(
            (remainder * upto / total).floor() - (remainder * before / total).floor()) \
            .otherwise(pl.when(total.is_not_null()).then(pl.lit(0.0)))
        own, required = parts[mine]["own"], parts[mine]["need"]
        actual = pl.when(own.is_not_null()).then(own).otherwise(share)
        return polars_outcome(ctx, actual >= required, "gap", actual, required,
                              shortfall=required - actual, basis=ctx.expr(self.per))

    def _polars_share(self, ctx, share: Share) -> dict[str, pl.Expr]:
        st = share.stage
        present = ctx.expr(f"school.has_{st}")
        own, ratio = ctx.expr(share.actual), ctx.expr(share.ratio)
        need = pl.when(ratio > 0).then((ctx.expr(self.per, stage=st) / ratio).ceil())
        counted = present & own.is_not_null()
        return {"own": own, "need": need,
                "known": pl.when(counted).then(own).otherwise(pl.lit(0)),
                "need_u": pl.when(present & own.is_null()).then(need).otherwise(pl.lit(0.0))}

    def _index(self, stage: str | None) -> int:
        return next(i for i, s in enumerate(self.shares) if s.stage == stage)

    # --- the reference split, also read by the explanation --------------------------------------

    def decide(self, ctx) -> dict:
        split = self.split(ctx.run, ctx.stage)
        actual, required = split["actual"], split["required"]
        ok = None if actual is None or required is None else actual >= required
        return python_outcome(ok, "gap", actual, required,
                              shortfall=None if ok is None else required - actual,
                              basis=ctx.run(self.per))

    def split(self, value: Callable[..., object], stage: str | None) -> dict:
        """This 学段's count (its own, or its share of the remainder) and need, and the figures
        the split used; `value(text, stage=…)` evaluates a check-language text."""
        parts = [self._share(value, s) for s in self.shares]
        known = sum(p["known"] for p in parts)
        pool = value(self.pool)
        remainder = None if pool is None else max(pool - known, 0)
        needs = [p["need_u"] for p in parts]
        mine = self._index(stage)
        total, before = _add(needs), _add(needs[:mine])
        upto = _add([before, needs[mine]])
        share = None
        if None in (total, before, upto):
            share = None
        elif total <= 0:
            share = 0.0  # nobody else needs any: as the vectorized split says
        elif remainder is not None:
            share = float(math.floor(remainder * upto / total)
                          - math.floor(remainder * before / total))
        own = parts[mine]["own"]
        return {"actual": own if own is not None else share, "required": parts[mine]["need"],
                "own": own, "pool": pool, "known": known, "remainder": remainder, "need": total,
                "sharing": sum(1 for p in parts if p["shares"])}

    def _share(self, value, share: Share) -> dict:
        st = share.stage
        present = bool(value(f"school.has_{st}"))
        own, ratio, per = value(share.actual), value(share.ratio), value(self.per, stage=st)
        need = None if per is None or ratio is None or ratio <= 0 else float(math.ceil(per / ratio))
        counted = present and own is not None
        return {"own": own, "need": need, "known": own if counted else 0,
                "need_u": need if present and own is None else 0.0,
                "shares": present and own is None}

    # --- explanation --------------------------------------------------------------------------

    def explain_known(self, ex, spec, row) -> str:
        """The row's numbers alone (without the school's figures the split used)."""
        return self._sentence(ex, spec, row, None)

    def explain(self, ex, spec, row, school) -> str:
        """Says which count the 学段 was judged on, and how the pool was shared."""
        if row["status"] == "unknown":
            return super().explain(ex, spec, row, school)
        return self._sentence(ex, spec, row,
                              self.split(_school_env(ex, school, spec.stage), spec.stage))

    def _sentence(self, ex, spec, row, split: dict | None) -> str:
        mine = self.shares[self._index(spec.stage)]
        label, unit = ex.label(mine.actual)
        words = {"label": label, "unit": unit, "basis_label": ex.label(self.per)[0],
                 "ratio": ex.fmt(ex.param_value(mine.ratio)), **ex.numbers(row)}
        if split is None or split["own"] is not None:
            text = ex.render(self.templates["own"], **words)
        elif split["sharing"] == 1 and not split["known"]:  # one 学段 has the whole pool
            text = ex.render(self.templates["alone"], pool_label=ex.label(self.pool)[0],
                             pool=ex.fmt(split["pool"]), **words)
        else:
            known = ex.render(self.templates["known_part"], known=ex.fmt(split["known"]),
                              remainder=ex.fmt(split["remainder"]), unit=unit) \
                if split["known"] else ""
            text = ex.render(self.templates["shared"], pool_label=ex.label(self.pool)[0],
                             pool=ex.fmt(split["pool"]), need=ex.fmt(split["need"]),
                             known_part=known, **words)
        return text + (ex.render(self.templates["gap"], **words) if row["status"] == "gap" else "")


def _sum(exprs: list[pl.Expr]) -> pl.Expr:
    """A sum that stays unknown when a part is (pl.sum_horizontal would skip it)."""
    return reduce(lambda a, b: a + b, exprs, pl.lit(0.0))


def _add(values: list) -> float | None:
    return None if any(v is None for v in values) else float(sum(values))


def _school_env(ex, school: dict, stage: str | None) -> Callable[..., object]:
    """Evaluate a text on one school's frame row, as the explanation sees it."""
    def value(text: str, stage: str | None = stage) -> object:
        def env(ns: str, name: str):
            if ns == "param":
                return ex.param_value(f"param.{name}")
            if ns == "stage":
                return school.get(f"stage.{stage}.{name}")
            return school.get(f"{ns}.{name}")
        return run(text, env)
    return value
