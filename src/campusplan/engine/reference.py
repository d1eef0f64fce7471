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
from dataclasses import dataclass, field

from campusplan.catalog.expr_python import run
from campusplan.catalog.kinds import RowSource
from campusplan.catalog.loader import Catalog
from campusplan.engine.equity import weighted_cv
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

    def __init__(self, params, school: dict, stage: str | None, rows: dict[str, list[dict]],
                 spec: Spec | None = None, world: _World | None = None):
        self.params, self.school, self.stage, self.pools = params, school, stage, rows
        self.env = _Env(params, school, stage)
        self.spec, self.world = spec, world

    def applicable(self) -> bool | None:
        """Whether the requirement applies to this school (its 学段, then `applies:`)."""
        stages = self.spec.item.stages if self.spec.item else []
        ok = True if not stages else any(self.school[f"school.has_{s.value}"] for s in stages)
        if ok and self.spec.req.applies is not None:
            ok = self.run(self.spec.req.applies)
        return ok

    def outcome(self, requirement_id: str) -> dict:
        """Another requirement's result for this school (a rule over other rules)."""
        other = self.world.by_id[requirement_id]
        return _judge(other, self._for(other, self.school, self.pools))

    def peers(self, group: str) -> list[_Context]:
        """This requirement's context for every school of this school's group (itself too)."""
        return [self._for(self.spec, school, pools)
                for school, pools in self.world.groups[group][self.school[group]]]

    def spread(self, pairs):
        return weighted_cv(pairs)

    def once(self, group: str, compute):
        """This requirement's figure over this school's group, computed for the group's first
        school and reused by the others (and by a rule over it), so a group costs O(n)."""
        key = (self.spec.index, group, self.school.get(group))
        memo = self.world.memo
        if key not in memo:
            memo[key] = compute()
        return memo[key]

    def _for(self, spec: Spec, school: dict, pools: dict) -> _Context:
        params = self.world.params_of(school)
        return _Context(params, school, spec.stage, pools, spec, self.world)

    def run(self, text: str | None, stage: str | None = None) -> object:
        env = self.env if stage is None else _Env(self.params, self.school, stage)
        return run(text, env)

    def rows(self, source: RowSource) -> list[dict]:
        key = source.collection.type_column
        return [r for r in self.pools[source.collection.of]
                if source.type == "*" or r[key] == source.type]

    def run_row(self, text: str, row: dict) -> object:
        return run(text, _Env(self.params, self.school, self.stage, row))


@dataclass
class _World:
    """What a rule over other rules or over a group reads: requirements by id, and every
    school of the run by group (district), each with its rooms and services."""

    catalog: Catalog
    by_id: dict[str, Spec]
    groups: dict[str, dict[str, list[tuple[dict, dict]]]] = field(default_factory=dict)
    memo: dict[tuple, object] = field(default_factory=dict)  # group figures (_Context.once)

    def params_of(self, school: dict) -> dict:
        # a tailored parameter is a column of the school (engine/frames.py with_params)
        return self.catalog.standard.param_values() | {
            k[len("param."):]: v for k, v in school.items() if k.startswith("param.")}


def _world(catalog: Catalog, schools: list[tuple[dict, dict]], all_specs: list[Spec]) -> _World:
    by_district: dict[str, list[tuple[dict, dict]]] = defaultdict(list)
    for school, pools in schools:
        by_district[school.get("district")].append((school, pools))
    return _World(catalog, {s.req.id: s for s in all_specs}, {"district": by_district})


def assess_school(catalog: Catalog, school: dict, rooms: list[dict], services: list[dict],
                  all_specs: list[Spec] | None = None, world: _World | None = None) -> list[dict]:
    """Results for one school: one dict per requirement, in catalog order. A group rule
    sees the schools of `world` (default: this school alone)."""
    all_specs = all_specs or specs(catalog)
    pools = {"rooms": rooms, "services": services}
    world = world or _world(catalog, [(school, pools)], all_specs)
    params = world.params_of(school)
    return [_judge(s, _Context(params, school, s.stage, pools, s, world)) for s in all_specs]


def _judge(spec: Spec, ctx: _Context) -> dict:
    out = {"req": spec.index, "status": None, "actual": None, "required": None,
           "shortfall": None, "basis": None, "rows_short": None}
    applicable = ctx.applicable()
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
    schools = [(school, {"rooms": rooms, "services": services})
               for school, rooms, services in iter_schools(frames)]
    world = _world(catalog, schools, all_specs)
    out = []
    for idx, (school, pools) in enumerate(schools):
        for row in assess_school(catalog, school, pools["rooms"], pools["services"], all_specs,
                                 world):
            out.append({"school_idx": idx} | row)
    return out
