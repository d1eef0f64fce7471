"""Check-language nodes → plain Python values: the reference interpreter, same unknown semantics.

The deliberately simple counterpart of catalog/expr_polars.py: `None` is unknown, arithmetic and
comparisons propagate it, `and`/`or` are Kleene, `x / 0` is unknown. The reference evaluator and
the check kinds' reference decisions use it; the vectorized engine never does.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from campusplan.catalog import expr as ex

Env = Callable[[str, str], object]
FUNCTIONS = {"ceil": math.ceil, "floor": math.floor, "abs": abs, "min": min, "max": max}


def evaluate(node: ex.Node, env: Env) -> object:  # noqa: C901 - one small interpreter
    if isinstance(node, ex.Const):
        return node.value
    if isinstance(node, ex.Ref):
        return env(node.ns, node.name)
    if isinstance(node, ex.Unary):
        v = evaluate(node.arg, env)
        return None if v is None else (not v if node.op == "not" else -v)
    if isinstance(node, ex.Logic):
        return _logic(node, env)
    if isinstance(node, ex.IfElse):
        c = evaluate(node.cond, env)
        if c is None:
            return None
        return evaluate(node.then if c else node.other, env)
    if isinstance(node, ex.Compare):
        return _compare(node, env)
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
        out = FUNCTIONS[node.fn](*args)
        return float(out) if node.fn in ("ceil", "floor") else out
    raise TypeError(node)


def _logic(node: ex.Logic, env: Env) -> object:
    vals = [evaluate(a, env) for a in node.args]
    decisive = node.op == "or"  # True decides `or`, False decides `and`
    if any(v is not None and bool(v) is decisive for v in vals):
        return decisive
    return None if any(v is None for v in vals) else not decisive


def _compare(node: ex.Compare, env: Env) -> object:
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


def run(text: str | None, env: Env) -> object:
    """Parse (cached) and evaluate one expression text; a missing text (`None`) gives `None`."""
    return None if text is None else evaluate(ex.parse(text), env)
