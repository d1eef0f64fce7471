"""Each room's (service's) own verdict under the per-row requirements (`each`) of its type.

The vectorized engine counts, per school, the rows whose condition holds, fails or lacks data;
a school page that lists the rooms says which room is which. This reads one school's rows from
its frames and evaluates each per-row condition on each row with the reference evaluator
(catalog/expr_python.py, the whitelisted interpreter the property tests hold equal to the
Polars compilation), so a room's verdict and the school's count cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from campusplan.catalog import expr as ex
from campusplan.catalog.expr_python import run
from campusplan.catalog.kinds.base import COLLECTIONS
from campusplan.catalog.loader import Catalog
from campusplan.engine.evaluate import Spec, specs
from campusplan.engine.explain import Explainer
from campusplan.engine.frames import Frames


@dataclass(frozen=True)
class RowVerdict:
    """One row under one per-row requirement: met, the requirement's failure status (gap or
    violation), or unknown when the row lacks a fact the condition reads; `why` quotes the
    parts of the condition that decided it (「信息点数 2 低于 4」)."""

    requirement_id: str
    marker: str
    status: str
    why: str


def row_specs(catalog: Catalog, collection: str = "rooms") -> list[Spec]:
    """The requirements judged row by row over `collection`, in the standard's order."""
    return [s for s in specs(catalog) if (src := s.req.check.row_source()) is not None
            and src.collection.of == collection]


def row_facts_read(spec: Spec) -> set[str]:
    """The row facts (room.x / service.x names) a per-row requirement's condition reads."""
    source = spec.req.check.row_source()
    ns = source.collection.namespace
    return {n for s, n in ex.refs(ex.parse(source.condition)) if s == ns}


def row_verdicts(catalog: Catalog, frames: Frames, school_id: str, lang: str = "zh",
                 collection: str = "rooms", skip: frozenset[str] = frozenset()
                 ) -> dict[str, list[RowVerdict]]:
    """Row code (a room's code) → its verdicts, for one school. `skip` names requirements not
    to judge (those not applicable to the school: a room of a school without that 学段)."""
    kind = COLLECTIONS[collection]
    school = next(frames.schools.filter(pl.col("school_id") == school_id)
                  .iter_rows(named=True), None)
    if school is None:
        return {}
    rows = getattr(frames, collection).filter(pl.col("school_id") == school_id).to_dicts()
    explain = Explainer(catalog, lang, frames)
    key = "room_code" if collection == "rooms" else "name"
    out: dict[str, list[RowVerdict]] = {r[key]: [] for r in rows}
    for spec in row_specs(catalog, collection):
        if spec.req.id in skip:
            continue
        source = spec.req.check.row_source()
        for row in rows:
            if source.type != "*" and row[kind.type_column] != source.type:
                continue
            out[row[key]].append(_verdict(explain, spec, school, row))
    return out


def _verdict(explain: Explainer, spec: Spec, school: dict, row: dict) -> RowVerdict:
    source = spec.req.check.row_source()
    holds = run(source.condition, explain.env(spec, school, row))
    fail = getattr(spec.req.check, "on_fail", "gap")
    status = "met" if holds is True else fail if holds is False else "unknown"
    if holds is None:
        why = _missing(explain, spec, school, row)
    else:
        why = explain.reasons(source.condition, spec, school, holds, row=row)
    return RowVerdict(spec.req.id, spec.req.marker or "", status, why)


def _missing(explain: Explainer, spec: Spec, school: dict, row: dict) -> str:
    """The row's facts the condition reads and the row lacks; else what the school lacks."""
    source = spec.req.check.row_source()
    ns = source.collection.namespace
    names = [explain.label(f"{ns}.{n}")[0] for s, n in sorted(ex.refs(ex.parse(source.condition)))
             if s == ns and row.get(f"{ns}.{n}") is None]
    if names:
        return explain.t("missing", names=explain.join(names))
    return explain.missing(spec, school) or explain.t("missing", names="?")
