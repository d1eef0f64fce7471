"""A deliberately simple reference evaluator: one school at a time, plain Python.

The tests prove it equal to the vectorized engine (property: vectorized results == reference
results); the benchmark measures the engine against it; and the engine itself uses it for runs
of a few schools (engine.assessment.SMALL_RUN: one school after a fact edit, the CLI on a few
files), where it is faster than the vectorized engine's fixed cost. It shares the parsed check language
with the engine but none of its Polars code, so the two implementations check each other: each
check kind's `decide()` (catalog/kinds) is its plain-Python counterpart of `polars()`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from campusplan.catalog.expr_python import run
from campusplan.catalog.kinds import RowSource
from campusplan.catalog.loader import Catalog
from campusplan.engine.evaluate import Spec, specs
from campusplan.engine.frames import Frames


class _Env:
    def __init__(self, params, school: dict, stage: str | None, row: dict | None = None):
        self.params, self.school, self.stage, self.row = params, school, stage, row

    def __call__(self, ns: str, name: str):
        if ns == "param":
            return self.params[name]
        if ns == "stage":
            return self.school[f"stage.{self.stage}.{name}"]
        if ns in ("room", "service"):
            return self.row.get(f"{ns}.{name}")
        return self.school.get(f"{ns}.{name}")


class _Context:
    """What a check kind's `decide()` hook is given (catalog/kinds/base.py PythonContext)."""

    def __init__(self, params, school: dict, stage: str | None, rows: dict[str, list[dict]]):
        self.params, self.school, self.stage, self.pools = params, school, stage, rows
        self.env = _Env(params, school, stage)

    def run(self, text: str | None, stage: str | None = None) -> object:
        env = self.env if stage is None else _Env(self.params, self.school, stage)
        return run(text, env)

    def rows(self, source: RowSource) -> list[dict]:
        key = source.collection.type_column
        return [r for r in self.pools[source.collection.of]
                if source.type == "*" or r[key] == source.type]

    def run_row(self, text: str, row: dict) -> object:
        return run(text, _Env(self.params, self.school, self.stage, row))


def assess_school(catalog: Catalog, school: dict, rooms: list[dict], services: list[dict],
                  all_specs: list[Spec] | None = None) -> list[dict]:
    """Results for one school: one dict per requirement, in catalog order."""
    # a tailored parameter is a column of the school (engine/frames.py with_params)
    params = catalog.standard.param_values() | {
        k[len("param."):]: v for k, v in school.items() if k.startswith("param.")}
    pools = {"rooms": rooms, "services": services}
    return [_judge(s, _Context(params, school, s.stage, pools)) for s in
            (all_specs or specs(catalog))]


def _judge(spec: Spec, ctx: _Context) -> dict:
    out = {"req": spec.index, "status": None, "actual": None, "required": None,
           "shortfall": None, "basis": None, "rows_short": None}
    stages = spec.item.stages if spec.item else []
    school = ctx.school
    applicable = True if not stages else any(school[f"school.has_{s.value}"] for s in stages)
    if applicable and spec.req.applies is not None:
        applicable = ctx.run(spec.req.applies)
    decided = spec.req.check.decide(ctx)
    if applicable is None or not applicable:
        # the numbers are reported whatever the status; only the shortfall depends on it
        status = "unknown" if applicable is None else "not_applicable"
        return out | {k: v for k, v in decided.items() if k not in ("status", "shortfall", "rows_short")} | {
            "status": status}
    return out | decided


def iter_schools(frames: Frames) -> Iterator[tuple[dict, list[dict], list[dict]]]:
    rooms, services = defaultdict(list), defaultdict(list)
    for r in frames.rooms.iter_rows(named=True):
        rooms[r["school_id"]].append(r)
    for s in frames.services.iter_rows(named=True):
        services[s["school_id"]].append(s)
    for school in frames.schools.iter_rows(named=True):
        yield school, rooms[school["school_id"]], services[school["school_id"]]


def assess_all(catalog: Catalog, frames: Frames) -> list[dict]:
    """The per-school loop over every school; rows carry `school_idx` like the engine's."""
    all_specs = specs(catalog)
    out = []
    for idx, (school, rooms, services) in enumerate(iter_schools(frames)):
        for row in assess_school(catalog, school, rooms, services, all_specs):
            out.append({"school_idx": idx} | row)
    return out
