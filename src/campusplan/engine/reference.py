"""A deliberately simple reference evaluator: one school at a time, plain Python.

Used only by tests (property: vectorized results == reference results) and by the benchmark
(the baseline the vectorized engine is measured against). It shares the parsed check language
with the engine but none of its Polars code, so the two implementations check each other.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator

from campusplan.catalog import expr as ex
from campusplan.catalog.loader import Catalog
from campusplan.engine.evaluate import Spec, specs
from campusplan.engine.frames import Frames


def evaluate(node: ex.Node, env) -> object:  # noqa: C901 - one small interpreter
    if isinstance(node, ex.Const):
        return node.value
    if isinstance(node, ex.Ref):
        return env(node.ns, node.name)
    if isinstance(node, ex.Unary):
        v = evaluate(node.arg, env)
        return None if v is None else (not v if node.op == "not" else -v)
    if isinstance(node, ex.Logic):
        vals = [evaluate(a, env) for a in node.args]
        decisive = node.op == "or"  # True decides `or`, False decides `and`
        if any(v is not None and bool(v) is decisive for v in vals):
            return decisive
        return None if any(v is None for v in vals) else not decisive
    if isinstance(node, ex.IfElse):
        c = evaluate(node.cond, env)
        if c is None:
            return None
        return evaluate(node.then if c else node.other, env)
    if isinstance(node, ex.Compare):
        left = evaluate(node.left, env)
        if node.op in ("in", "not in"):
            if left is None:
                return None
            values = node.right.value
            if all(isinstance(v, int | float) for v in values):
                hit = float(left) in [float(v) for v in values]
            else:
                hit = str(left) in [str(v) for v in values]
            return hit if node.op == "in" else not hit
        right = evaluate(node.right, env)
        if left is None or right is None:
            return None
        return {"==": left == right, "!=": left != right, "<": left < right,
                "<=": left <= right, ">": left > right, ">=": left >= right}[node.op]
    if isinstance(node, ex.Binary):
        a, b = evaluate(node.left, env), evaluate(node.right, env)
        if a is None or b is None:
            return None
        if node.op == "/":
            return None if b == 0 else a / b
        return {"+": a + b, "-": a - b, "*": a * b}[node.op]
    if isinstance(node, ex.Call):
        args = [evaluate(a, env) for a in node.args]
        if any(a is None for a in args):
            return None
        fns = {"ceil": math.ceil, "floor": math.floor, "abs": abs, "min": min, "max": max}
        return float(fns[node.fn](*args)) if node.fn in ("ceil", "floor") else fns[node.fn](*args)
    raise TypeError(node)


def _run(text: str | None, env) -> object:
    return None if text is None else evaluate(ex.parse(text), env)


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


def assess_school(catalog: Catalog, school: dict, rooms: list[dict], services: list[dict],
                  all_specs: list[Spec] | None = None) -> list[dict]:
    """Results for one school: one dict per requirement, in catalog order."""
    params = catalog.standard.param_values()
    return [_judge(s, params, school, rooms, services) for s in (all_specs or specs(catalog))]


def _judge(spec: Spec, params, school, rooms, services) -> dict:
    env = _Env(params, school, spec.stage)
    out = {"req": spec.index, "status": None, "actual": None, "required": None,
           "shortfall": None, "basis": None}
    stages = spec.item.stages if spec.item else []
    applicable = True if not stages else any(school[f"school.has_{s.value}"] for s in stages)
    if applicable and spec.req.applies is not None:
        applicable = _run(spec.req.applies, env)
    if applicable is None:
        return out | {"status": "unknown"} | _numbers(spec, env, school, rooms, services)
    if not applicable:
        return out | {"status": "not_applicable"} | _numbers(spec, env, school, rooms, services)
    return out | _decide(spec, env, school, rooms, services)


def _numbers(spec, env, school, rooms, services) -> dict:
    """The numbers are reported whatever the status; only the shortfall depends on it."""
    d = _decide(spec, env, school, rooms, services)
    return {k: v for k, v in d.items() if k not in ("status", "shortfall")}


def _decide(spec: Spec, env, school, rooms, services) -> dict:  # noqa: C901
    c, kind = spec.req.check, spec.req.check.kind
    if kind == "each":
        return _decide_each(spec, env, school, rooms, services)
    basis = None
    fail = "violation" if kind in ("maximum", "prohibition") else "gap"
    shortfall = None
    if kind == "presence":
        actual = env("fact", c.fact)
        ok, required = actual, 1.0
    elif kind == "condition":
        ok, actual, required = _run(c.expr, env), None, None
    elif kind in ("minimum", "ratio"):
        actual = _run(c.actual, env)
        if kind == "ratio":
            basis, ratio = _run(c.per, env), _run(c.ratio, env)
            required = None if basis is None or ratio is None or ratio <= 0 \
                else float(math.ceil(basis / ratio))
        else:
            required = _run(c.required, env)
        ok = None if actual is None or required is None else actual >= required
        shortfall = None if ok is None else required - actual
    elif kind == "maximum":
        actual, required = _run(c.actual, env), _run(c.limit, env)
        ok = None if actual is None or required is None else actual <= required
        shortfall = None if ok is None else actual - required
    else:  # prohibition
        actual, required = env("fact", c.fact), 0.0
        node: ex.Node = ex.Unary("not", ex.Const(actual))
        if c.unless is not None:
            node = ex.Logic("or", (node, ex.Const(_run(c.unless, env))))
        ok = evaluate(node, env)
    status = "unknown" if ok is None else ("met" if ok else fail)
    return {"status": status, "actual": _num(actual), "required": _num(required),
            "shortfall": _num(shortfall) if status == fail else None, "basis": _num(basis)}


def _decide_each(spec, env, school, rooms, services) -> dict:
    c = spec.req.check
    of_rooms = c.of == "rooms"
    pool = rooms if of_rooms else services
    key = "room_type" if of_rooms else "category"
    rows = [r for r in pool if c.type == "*" or r[key] == c.type]
    inventoried = school["rooms_inventoried" if of_rooms else "services_inventoried"]
    results = [_run(c.condition, _Env(env.params, school, spec.stage, r)) for r in rows]
    ok_n = sum(1 for v in results if v is True)
    fail_n = sum(1 for v in results if v is False)
    null_n = sum(1 for v in results if v is None)
    expected = _run(c.expected, env)
    required = len(rows) if c.expected is None else expected
    fail = c.on_fail
    if not inventoried:
        status = "unknown"
    elif fail_n:
        status = fail
    elif c.expected is not None and expected is None:
        status = "unknown"
    elif c.expected is not None and len(rows) < expected:
        status = fail
    elif null_n:
        status = "unknown"
    elif not rows:
        status = {"gap": fail, "met": "met", "not_applicable": "not_applicable"}[c.when_none]
    else:
        status = "met"
    if not rows:
        short = None if required is None else max(required, 1)
    else:
        short = fail_n if c.expected is None else (None if required is None else required - ok_n)
    return {"status": status, "actual": float(ok_n), "required": _num(required),
            "shortfall": _num(short) if status == fail else None, "basis": float(len(rows))}


def _num(v) -> float | None:
    return None if v is None else float(v)


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
