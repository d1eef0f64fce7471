"""at_least — k of the listed requirements met, the rest no lower than a floor share of theirs
(优质均衡 资源配置: 每所学校至少6项指标达到上述要求，余项不能低于要求的85%)."""

from __future__ import annotations

from typing import Literal

import polars as pl

from campusplan.catalog.base import Text
from campusplan.catalog.kinds.base import CheckKind, polars_outcome, python_outcome
from campusplan.catalog.kinds.registry import kinds

FAILING = ("gap", "violation")


@kinds.register("at_least")
class AtLeast(CheckKind):
    """At least `count` of the requirements `of` are met, and each one that is not reaches
    `floor` × its required value (its `actual >= floor * required`).

    `{kind: at_least, of: [101-1, 102-1, …], count: param.indicators_to_meet,
    floor: param.remaining_floor}`. A listed requirement that does not apply counts neither
    way; one that is unknown could still be met, so the rule is unknown unless the known ones
    already decide it. actual = requirements met, required = `count`, shortfall = how many
    more must be met, basis = failing ones below the floor.
    """

    kind: Literal["at_least"]
    of: list[str]
    count: str
    floor: str | None = None  # None: the rest may fall short by any amount

    label = Text(zh="至少几项", en="At least k of n")
    templates = {
        "met": Text(zh="{n} 项中达到要求 {actual} 项，要求至少 {required} 项{floor_text}",
                    en="{actual} of {n} met; at least {required} required{floor_text}"),
        "gap": Text(zh="{n} 项中达到要求 {actual} 项，要求至少 {required} 项{floor_text}；"
                       "低于下限 {basis} 项",
                    en="{actual} of {n} met; at least {required} required{floor_text}; "
                       "{basis} below the floor"),
        "unknown": Text(zh="所列 {n} 项中有未知结果，尚不能判定（已达到 {actual} 项）",
                        en="some of the {n} listed results are unknown ({actual} met so far)"),
        "floor": Text(zh="，其余不低于要求的 {floor}%", en=", the rest at least {floor}% of theirs"),
    }
    judges = "requirements"
    expression_fields = ("count", "floor")

    # --- vectorized -----------------------------------------------------------------------------

    def polars(self, ctx) -> dict[str, pl.Expr]:
        outs = [ctx.outcome(rid) for rid in self.of]
        k = ctx.expr(self.count)
        floor = ctx.expr(self.floor)

        def total(parts) -> pl.Expr:
            return pl.sum_horizontal([p.cast(pl.Int32) for p in parts])

        met = total(o["status"] == "met" for o in outs)
        unknown = total(o["status"] == "unknown" for o in outs)
        below, below_null = [], []
        for o in outs:
            failing = o["status"].is_in(FAILING)
            under = pl.lit(False) if floor is None else (o["actual"] < floor * o["required"])
            below.append(failing & under.fill_null(False))
            below_null.append(failing & under.is_null())
        below_n, below_unknown = total(below), total(below_null)
        ok = (pl.when(below_n > 0).then(False)
              .when(met + unknown < k).then(False)
              .when(unknown + below_unknown > 0).then(None)
              .otherwise(met >= k))
        return polars_outcome(ctx, ok, "gap", met, k,
                              shortfall=pl.max_horizontal(k - met, pl.lit(0)), basis=below_n)

    # --- reference ------------------------------------------------------------------------------

    def decide(self, ctx) -> dict:
        outs = [ctx.outcome(rid) for rid in self.of]
        k, floor = ctx.run(self.count), ctx.run(self.floor)
        met = sum(o["status"] == "met" for o in outs)
        unknown = sum(o["status"] == "unknown" for o in outs)
        below = below_unknown = 0
        for o in outs:
            if o["status"] not in FAILING or self.floor is None:
                continue
            if floor is None or o["actual"] is None or o["required"] is None:
                below_unknown += 1
            elif o["actual"] < floor * o["required"]:
                below += 1
        if k is None:
            ok = None
        elif below > 0 or met + unknown < k:
            ok = False
        elif unknown + below_unknown > 0:
            ok = None
        else:
            ok = met >= k
        return python_outcome(ok, "gap", met, k,
                              shortfall=None if k is None else max(k - met, 0), basis=below)

    # --- what the other layers ask --------------------------------------------------------------

    def comparisons(self) -> dict[str, str]:
        # the count's own comparison: met >= count (the left side stands for the tally)
        out = self.expressions() | {"check": f"0 >= ({self.count})"}
        if self.floor is not None:
            out["floor_check"] = f"0 >= ({self.floor})"
        return out

    def meaning(self, vocab) -> list[str]:
        ids = getattr(vocab, "requirement_ids", set())
        return [f"at_least names an unknown requirement `{rid}`" for rid in self.of
                if rid not in ids]

    def explain(self, ex, spec, row: dict, school: dict) -> str:
        if row["status"] == "unknown":
            return self.template(ex, "unknown", n=len(self.of), **ex.numbers(row))
        return self.explain_known(ex, spec, row)

    def explain_known(self, ex, spec, row) -> str:
        floor = ex.param_value(self.floor) if self.floor else None
        floor_text = "" if floor is None else ex.render(self.templates["floor"],
                                                        floor=ex.fmt(float(floor) * 100))
        return self.template(ex, row["status"], n=len(self.of), floor_text=floor_text,
                             **ex.numbers(row))
