"""The engine: every school judged against every requirement in one vectorized pass.

1. Collections (rooms, services) are reduced per school: for each room type, all its
   requirements' conditions are computed in one `select` and counted in one `group_by`.
2. Those counts are joined onto the schools frame, giving one wide frame.
3. Each requirement compiles to five column expressions over it (status code, actual, required,
   shortfall, basis); one `select` computes them all.
4. The wide result is stacked into long rows: (school, requirement, status, level, numbers).

No per-school Python loop and no `eval`: the YAML's expressions become Polars expressions via
engine/compile.py. Explanations are rendered on demand for the rows someone reads
(engine/explain.py), not for the tens of millions of rows of a national run.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from campusplan.catalog import expr as ex
from campusplan.catalog.checks import row_namespace
from campusplan.catalog.loader import Catalog
from campusplan.catalog.schema import Each, Item, Requirement
from campusplan.engine.compile import to_polars
from campusplan.engine.frames import Frames

STATUSES = ["met", "gap", "violation", "unknown", "not_applicable"]
STATUS = pl.Enum(STATUSES)
MET, GAP, VIOLATION, UNKNOWN, NA = (pl.lit(s, dtype=STATUS) for s in STATUSES)
NUM = pl.Float32  # counts, Mbps, days: exact well past any school's figures, half the memory
LEVEL = pl.Enum(["required", "optional"])


@dataclass(frozen=True)
class Spec:
    """One requirement as the engine sees it: where it sits and how it is resolved."""

    index: int
    area: str
    item: Item | None
    req: Requirement

    @property
    def stage(self) -> str | None:
        return self.item.stages[0].value if self.item and len(self.item.stages) == 1 else None


def specs(catalog: Catalog) -> list[Spec]:
    return [Spec(i, area.key, item, req)
            for i, (area, item, req) in enumerate(catalog.standard.requirements())]


def requirement_table(catalog: Catalog) -> pl.DataFrame:
    """One row per requirement: index, id, item, area, level — joined onto results for display."""
    rows = [{"req": s.index, "requirement_id": s.req.id,
             "item": s.item.number if s.item else None, "area": s.area,
             "level": s.req.level.value, "kind": s.req.check.kind} for s in specs(catalog)]
    return pl.DataFrame(rows, schema={"req": pl.UInt16, "requirement_id": pl.Utf8,
                                      "item": pl.Int32, "area": pl.Utf8, "level": LEVEL,
                                      "kind": pl.Utf8})


class _Resolver:
    def __init__(self, catalog: Catalog, stage: str | None, row_ns: str | None = None):
        self.params = catalog.standard.param_values()
        self.stage, self.row_ns = stage, row_ns

    def __call__(self, ns: str, name: str) -> pl.Expr:
        if ns == "param":
            value = self.params[name]
            return pl.lit(value, dtype=pl.Float64) if value is None else pl.lit(value)
        if ns == "stage":
            return pl.col(f"stage.{self.stage}.{name}")
        return pl.col(f"{ns}.{name}")


def _compile(text: str | None, resolver: _Resolver) -> pl.Expr | None:
    return None if text is None else to_polars(ex.parse(text), resolver)


# --- step 1: collections ---------------------------------------------------------------------


def _collection_counts(catalog: Catalog, frames: Frames, all_specs: list[Spec]) -> pl.DataFrame:
    """Per school: rows of each type and, per `each` requirement, rows ok / failing / unknown.

    One lazy query per (collection, type), collected together: projection pushdown reads only
    the columns the conditions name, and the queries run in parallel.
    """
    out = pl.DataFrame({"school_idx": pl.int_range(frames.schools.height, dtype=pl.UInt32,
                                                   eager=True)})
    groups: dict[tuple[str, str], list[Spec]] = {}
    for s in all_specs:
        if isinstance(s.req.check, Each):
            groups.setdefault((s.req.check.of, s.req.check.type), []).append(s)
    queries = [_count_group(catalog, frames, of, typ, group)
               for (of, typ), group in groups.items()]
    for counts in pl.collect_all(queries):
        out = out.join(counts, on="school_idx", how="left", maintain_order="left")
    return out


def _count_group(catalog, frames, of, typ, group) -> pl.LazyFrame:
    rows = (frames.rooms if of == "rooms" else frames.services).lazy()
    if typ != "*":
        rows = rows.filter(pl.col("room_type" if of == "rooms" else "category") == typ)
    needed = set()
    for s in group:
        needed |= {f"{ns}.{n}" if ns != "stage" else f"stage.{s.stage}.{n}"
                   for ns, n in ex.refs(ex.parse(s.req.check.condition))
                   if ns in ("school", "fact", "stage")}
    if needed:  # gather by row index: no hash join needed
        school_cols = frames.schools.select(sorted(needed))
        rows = rows.with_columns(pl.lit(school_cols[c]).gather(pl.col("school_idx")).alias(c)
                                 for c in school_cols.columns)
    conds = [_compile(s.req.check.condition, _Resolver(catalog, s.stage, row_namespace(s.req.check)))
             .alias(f"c{s.index}") for s in group]
    aggs = [pl.len().alias(f"n_{of}_{typ}")]
    for s in group:
        c = pl.col(f"c{s.index}")
        aggs += [c.fill_null(False).sum().alias(f"ok{s.index}"),
                 (~c).fill_null(False).sum().alias(f"fail{s.index}")]
    n = pl.col(f"n_{of}_{typ}")
    nulls = [(n - pl.col(f"ok{s.index}") - pl.col(f"fail{s.index}")).alias(f"null{s.index}")
             for s in group]
    return rows.select("school_idx", *conds).group_by("school_idx").agg(aggs) \
        .with_columns(nulls)


# --- step 3: per requirement expressions -----------------------------------------------------


def _applicable(spec: Spec, resolver: _Resolver) -> pl.Expr:
    stages = spec.item.stages if spec.item else []
    on_stage = pl.any_horizontal([pl.col(f"school.has_{st.value}") for st in stages]) \
        if stages else pl.lit(True)
    applies = _compile(spec.req.applies, resolver)
    return on_stage if applies is None else on_stage & applies


def _status(applicable: pl.Expr, ok: pl.Expr, fail: pl.Expr) -> pl.Expr:
    return (pl.when(applicable.is_null()).then(UNKNOWN)
            .when(~applicable).then(NA)
            .when(ok.is_null()).then(UNKNOWN)
            .when(ok).then(MET)
            .otherwise(fail))


def _f(e: pl.Expr | None) -> pl.Expr:
    return pl.lit(None, dtype=NUM) if e is None else e.cast(NUM)


def requirement_exprs(catalog: Catalog, spec: Spec) -> dict[str, pl.Expr]:
    """status, actual, required, shortfall, basis for one requirement over the wide frame."""
    check, r = spec.req.check, _Resolver(catalog, spec.stage)
    kind = check.kind
    fail, basis, shortfall = GAP, None, None
    if kind == "presence":
        actual = pl.col(f"fact.{check.fact}")
        ok, required = actual, pl.lit(1.0)
    elif kind == "condition":
        ok, actual, required = _compile(check.expr, r), None, None
    elif kind in ("minimum", "ratio"):
        actual = _compile(check.actual, r)
        if kind == "ratio":
            basis = _compile(check.per, r)
            ratio = _compile(check.ratio, r)
            required = pl.when(ratio > 0).then((basis / ratio).ceil())
        else:
            required = _compile(check.required, r)
        ok = actual >= required
        shortfall = required - actual
    elif kind == "maximum":
        actual, required = _compile(check.actual, r), _compile(check.limit, r)
        ok, fail, shortfall = actual <= required, VIOLATION, actual - required
    elif kind == "prohibition":
        actual = pl.col(f"fact.{check.fact}")
        unless = _compile(check.unless, r)
        ok = ~actual if unless is None else (~actual | unless)
        required, fail = pl.lit(0.0), VIOLATION
    else:
        return _each_exprs(catalog, spec, r)
    applicable = _applicable(spec, r)
    status = _status(applicable, ok, fail)
    return {"status": status, "actual": _f(actual), "required": _f(required),
            "shortfall": pl.when(status == fail).then(_f(shortfall)), "basis": _f(basis)}



def _each_exprs(catalog: Catalog, spec: Spec, r: _Resolver) -> dict[str, pl.Expr]:
    check = spec.req.check
    i = spec.index
    n = pl.col(f"n_{check.of}_{check.type}").fill_null(0)
    ok_n, fail_n, null_n = (pl.col(f"{k}{i}").fill_null(0) for k in ("ok", "fail", "null"))
    inventoried = pl.col("rooms_inventoried" if check.of == "rooms" else "services_inventoried")
    expected = _compile(check.expected, r)
    none_code = {"gap": GAP if check.on_fail == "gap" else VIOLATION, "met": MET,
                 "not_applicable": NA}[check.when_none]
    fail = GAP if check.on_fail == "gap" else VIOLATION
    required = n if expected is None else expected
    short = (required - ok_n) if expected is not None else fail_n
    missing = (n < expected) if expected is not None else pl.lit(False)
    applicable = _applicable(spec, r)
    core = (pl.when(~inventoried).then(UNKNOWN)
            .when(fail_n > 0).then(fail)
            .when(missing.is_null()).then(UNKNOWN)
            .when(missing).then(fail)
            .when(null_n > 0).then(UNKNOWN)
            .when(n == 0).then(none_code)
            .otherwise(MET))
    status = pl.when(applicable.is_null()).then(UNKNOWN).when(~applicable).then(NA).otherwise(core)
    none_short = pl.when(n == 0).then(pl.max_horizontal(required, pl.lit(1))).otherwise(short)
    return {"status": status, "actual": _f(ok_n), "required": _f(required),
            "shortfall": pl.when(status == fail).then(_f(none_short)), "basis": _f(n)}


# --- steps 2 and 4 -----------------------------------------------------------------------------


def assess(catalog: Catalog, frames: Frames) -> pl.DataFrame:
    """One row per (school, requirement): school_idx, req, status, level, actual, required,
    shortfall, basis. `school_idx` is the row of `frames.schools`; `req` indexes
    `requirement_table(catalog)`."""
    all_specs = specs(catalog)
    counts = _collection_counts(catalog, frames, all_specs)
    wide = pl.concat([frames.schools, counts.drop("school_idx")], how="horizontal") \
        if counts.height == frames.schools.height else frames.schools
    cols = []
    for s in all_specs:
        for name, e in requirement_exprs(catalog, s).items():
            cols.append(e.alias(f"{s.index}:{name}"))
    computed = wide.select(cols)
    return stack(computed, all_specs)


def stack(computed: pl.DataFrame, all_specs: list[Spec]) -> pl.DataFrame:
    n = computed.height
    idx = pl.int_range(n, dtype=pl.UInt32, eager=True).alias("school_idx")
    parts = []
    for s in all_specs:
        parts.append(pl.DataFrame([
            idx,
            pl.Series("req", [s.index], dtype=pl.UInt16).new_from_index(0, n),
            computed[f"{s.index}:status"].alias("status"),
            pl.Series("level", [s.req.level.value], dtype=LEVEL).new_from_index(0, n),
            *(computed[f"{s.index}:{k}"].alias(k) for k in ("actual", "required", "shortfall",
                                                               "basis")),
        ]))
    if not parts:
        return pl.DataFrame(schema={"school_idx": pl.UInt32, "req": pl.UInt16, "status": STATUS,
                                    "level": LEVEL, "actual": NUM, "required": NUM,
                                    "shortfall": NUM, "basis": NUM})
    return pl.concat(parts, rechunk=False)
