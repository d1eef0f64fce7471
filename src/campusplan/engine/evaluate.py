"""The engine: every school judged against every requirement in one vectorized pass.

1. Collections (rooms, services) are reduced per school: for each room type, all its
   requirements' conditions are computed in one `select` and counted in one `group_by`.
2. Those counts are joined onto the schools frame, giving one wide frame.
3. Each requirement compiles to five column expressions over it (status code, actual, required,
   shortfall, basis); one `select` computes them all.
4. The wide result is stacked into long rows: (school, requirement, status, level, numbers).

No per-school Python loop and no `eval`: the YAML's expressions become Polars expressions via
catalog/expr_polars.py, and each check kind (catalog/kinds) builds its own five columns; this
module only loops over requirements and asks their kind. Explanations are rendered on demand for
the rows someone reads (engine/explain.py), not for the tens of millions of rows of a national
run.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from campusplan.catalog import expr as ex
from campusplan.catalog.expr_polars import to_polars
from campusplan.catalog.kinds.base import NUM, STATUS, STATUSES, RowSource, Tally
from campusplan.catalog.loader import Catalog
from campusplan.catalog.schema import Item, Requirement
from campusplan.engine.frames import Frames

__all__ = ["LEVEL", "NUM", "NUMBERS", "RESULT_SCHEMA", "STATUS", "STATUSES", "Spec", "assess", "requirement_exprs",
           "requirement_table", "specs", "stack"]

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


PARAM_PREFIX = "param."


def tailored(frames: Frames) -> frozenset[str]:
    """The parameters that differ between the schools of this run (a district tightened them):
    columns `param.<key>` of the schools frame. Every other parameter stays a literal."""
    return frozenset(c[len(PARAM_PREFIX):] for c in frames.schools.columns
                     if c.startswith(PARAM_PREFIX))


class _Resolver:
    def __init__(self, catalog: Catalog, stage: str | None, row_ns: str | None = None,
                 columns: frozenset[str] = frozenset()):
        self.params = catalog.standard.param_values()
        self.stage, self.row_ns, self.columns = stage, row_ns, columns

    def __call__(self, ns: str, name: str) -> pl.Expr:
        if ns == "param" and name in self.columns:
            return pl.col(f"{PARAM_PREFIX}{name}")
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
    """Per school: rows of each type and, per requirement with a row source, rows ok / failing /
    unknown.

    One lazy query per (collection, type), collected together: projection pushdown reads only
    the columns the conditions name, and the queries run in parallel.
    """
    out = pl.DataFrame({"school_idx": pl.int_range(frames.schools.height, dtype=pl.UInt32,
                                                   eager=True)})
    groups: dict[tuple[str, str], list[tuple[Spec, RowSource]]] = {}
    for s in all_specs:
        source = s.req.check.row_source()
        if source is not None:
            groups.setdefault((source.collection.of, source.type), []).append((s, source))
    columns = tailored(frames)
    queries = [_count_group(catalog, frames, group, columns) for group in groups.values()]
    for counts in pl.collect_all(queries):
        out = out.join(counts, on="school_idx", how="left", maintain_order="left")
    return out


def _count_name(source: RowSource) -> str:
    return f"n_{source.collection.of}_{source.type}"


def _count_group(catalog, frames, group: list[tuple[Spec, RowSource]],
                 columns: frozenset[str] = frozenset()) -> pl.LazyFrame:
    collection, typ = group[0][1].collection, group[0][1].type
    rows = getattr(frames, collection.of).lazy()
    if typ != "*":
        rows = rows.filter(pl.col(collection.type_column) == typ)
    needed = set()
    for s, source in group:
        for text in filter(None, (source.condition, source.deficit)):
            needed |= {f"{ns}.{n}" if ns != "stage" else f"stage.{s.stage}.{n}"
                       for ns, n in ex.refs(ex.parse(text))
                       if ns in ("school", "fact", "stage") or (ns == "param" and n in columns)}
    if needed:  # gather by row index: no hash join needed
        school_cols = frames.schools.select(sorted(needed))
        rows = rows.with_columns(pl.lit(school_cols[c]).gather(pl.col("school_idx")).alias(c)
                                 for c in school_cols.columns)
    conds = [_compile(source.condition, _Resolver(catalog, s.stage, collection.namespace, columns))
             .alias(f"c{s.index}") for s, source in group]
    # how far each failing row falls short, in the measured fact's unit (null where it holds)
    deficits = [pl.when(~pl.col(f"c{s.index}")).then(
        _compile(source.deficit, _Resolver(catalog, s.stage, collection.namespace, columns)))
        .alias(f"d{s.index}") for s, source in group if source.deficit is not None]
    name = _count_name(group[0][1])
    n, aggs = pl.col(name), [pl.len().alias(name)]
    for s, source in group:
        c = pl.col(f"c{s.index}")
        aggs += [c.fill_null(False).sum().alias(f"ok{s.index}"),
                 (~c).fill_null(False).sum().alias(f"fail{s.index}")]
        if source.deficit is not None:
            aggs.append(pl.col(f"d{s.index}").sum().alias(f"units{s.index}"))
    nulls = [(n - pl.col(f"ok{s.index}") - pl.col(f"fail{s.index}")).alias(f"null{s.index}")
             for s, _source in group]
    return rows.with_columns(*conds).select("school_idx", *(c.meta.output_name() for c in conds),
                                            *deficits).group_by("school_idx").agg(aggs) \
        .with_columns(nulls)


# --- step 3: per requirement expressions -----------------------------------------------------


def _applicable(spec: Spec, resolver: _Resolver) -> pl.Expr:
    stages = spec.item.stages if spec.item else []
    on_stage = pl.any_horizontal([pl.col(f"school.has_{st.value}") for st in stages]) \
        if stages else pl.lit(True)
    applies = _compile(spec.req.applies, resolver)
    return on_stage if applies is None else on_stage & applies


class _Context:
    """What a check kind's `polars()` hook is given (catalog/kinds/base.py PolarsContext)."""

    def __init__(self, catalog: Catalog, spec: Spec, columns: frozenset[str] = frozenset()):
        self.catalog, self.spec, self.columns = catalog, spec, columns
        self.resolver = _Resolver(catalog, spec.stage, columns=columns)
        self.stage = spec.stage

    def expr(self, text: str | None, stage: str | None = None) -> pl.Expr | None:
        """`stage.*` reads the item's 学段, or `stage` (a kind sharing a pool across 学段)."""
        resolver = self.resolver if stage is None else _Resolver(self.catalog, stage,
                                                                 columns=self.columns)
        return _compile(text, resolver)

    def applicable(self) -> pl.Expr:
        return _applicable(self.spec, self.resolver)

    def outcome(self, requirement_id: str) -> dict[str, pl.Expr]:
        """Another requirement's five columns, compiled again here (a rule over other rules,
        e.g. `at_least`): Polars evaluates the shared sub-expressions once per select."""
        other = _by_id(self.catalog)[requirement_id]
        return requirement_exprs(self.catalog, other, self.columns)

    def tally(self) -> Tally:
        """The counts step 1 left for this requirement; a school without rows counts 0."""
        i, source = self.spec.index, self.spec.req.check.row_source()
        units = None if source.deficit is None else pl.col(f"units{i}").fill_null(0)
        return Tally(pl.col(_count_name(source)).fill_null(0),
                     *(pl.col(f"{k}{i}").fill_null(0) for k in ("ok", "fail", "null")), units)


_BY_ID: dict[str, dict[str, Spec]] = {}


def _by_id(catalog: Catalog) -> dict[str, Spec]:
    """The requirements of a catalog by id (keyed by checksum: a catalog is immutable)."""
    if catalog.checksum not in _BY_ID:
        _BY_ID[catalog.checksum] = {s.req.id: s for s in specs(catalog)}
    return _BY_ID[catalog.checksum]


def requirement_exprs(catalog: Catalog, spec: Spec,
                      columns: frozenset[str] = frozenset()) -> dict[str, pl.Expr]:
    """status, actual, required, shortfall, basis for one requirement over the wide frame;
    the parameters in `columns` are read per school (tailored), the others are literals."""
    return spec.req.check.polars(_Context(catalog, spec, columns))


# --- steps 2 and 4 -----------------------------------------------------------------------------


def assess(catalog: Catalog, frames: Frames) -> pl.DataFrame:
    """One row per (school, requirement): school_idx, req, status, level, actual, required,
    shortfall, basis, rows_short. `school_idx` is the row of `frames.schools`; `req` indexes
    `requirement_table(catalog)`."""
    all_specs = specs(catalog)
    counts = _collection_counts(catalog, frames, all_specs)
    wide = pl.concat([frames.schools, counts.drop("school_idx")], how="horizontal") \
        if counts.height == frames.schools.height else frames.schools
    cols, columns = [], tailored(frames)
    for s in all_specs:
        for name, e in requirement_exprs(catalog, s, columns).items():
            cols.append(e.alias(f"{s.index}:{name}"))
    computed = wide.select(cols)
    return stack(computed, all_specs)


def stack(computed: pl.DataFrame, all_specs: list[Spec]) -> pl.DataFrame:
    n = computed.height
    idx = pl.int_range(n, dtype=pl.UInt32, eager=True).alias("school_idx")
    no_rows = pl.Series("rows_short", [None], dtype=NUM).new_from_index(0, n)
    parts = []
    for s in all_specs:
        rows_short = f"{s.index}:rows_short"
        parts.append(pl.DataFrame([
            idx,
            pl.Series("req", [s.index], dtype=pl.UInt16).new_from_index(0, n),
            computed[f"{s.index}:status"].alias("status"),
            pl.Series("level", [s.req.level.value], dtype=LEVEL).new_from_index(0, n),
            *(computed[f"{s.index}:{k}"].alias(k) for k in ("actual", "required", "shortfall",
                                                               "basis")),
            computed[rows_short].alias("rows_short") if rows_short in computed.columns
            else no_rows,
        ]))
    if not parts:
        return pl.DataFrame(schema=RESULT_SCHEMA)
    return pl.concat(parts, rechunk=False)


# `rows_short`: the rooms (or services) of an `each` that fail or are missing; null elsewhere.
# Its `shortfall` is then in the unit of what the condition measures (docs/assessment.md).
RESULT_SCHEMA = {"school_idx": pl.UInt32, "req": pl.UInt16, "status": STATUS, "level": LEVEL,
                 "actual": NUM, "required": NUM, "shortfall": NUM, "basis": NUM,
                 "rows_short": NUM}
NUMBERS = ("actual", "required", "shortfall", "basis", "rows_short")
