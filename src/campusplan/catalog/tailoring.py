"""Which way a parameter tightens, read from the checks that use it (never from its name).

The city sets parameter values for its districts and a district may only tighten them (e.g.
录像存储 ≥ 45 天 where the standard says 30). "Tighter" is decided by the catalog itself: every
check's decisive comparisons (`CheckKind.comparisons()`, each true when the school complies)
are walked, and for each parameter on a side of `<`, `<=`, `>`, `>=` the walk notes whether
raising it makes compliance harder (it tightens upwards) or easier. Sides are followed through
`+ - * / ceil floor min max` and both branches of `a if c else b` (quantities are never
negative, so `*` keeps the direction). A parameter is tailorable when all its uses agree; a
use the walk cannot read (an `applies:`, an `==`, the test of an `if`, `abs`) makes it
ambiguous. A parameter no comparison decides may declare `tighter: higher|lower` in the YAML;
a declaration the checks contradict is a validation problem.
"""

from __future__ import annotations

from dataclasses import dataclass

from campusplan.catalog import expr as ex
from campusplan.catalog.schema import Parameter, Standard

ORDER = ("<", "<=", ">", ">=")
MONOTONE = ("ceil", "floor", "min", "max")


@dataclass(frozen=True)
class Direction:
    """How a parameter may be tailored: `tighter` is "higher", "lower" or None (not at all)."""

    key: str
    tighter: str | None
    derived: str | None  # what the checks say ("ambiguous" when they disagree or can't tell)
    declared: str | None  # the YAML's `tighter:`
    uses: tuple[str, ...]  # requirement.field where a comparison decided it

    def allows(self, new: float, base: float) -> bool:
        """True when `new` is as strict as `base` or stricter."""
        if self.tighter == "higher":
            return new >= base
        if self.tighter == "lower":
            return new <= base
        return new == base


def _merge(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    out = dict(a)
    for k, v in b.items():
        out[k] = v if k not in out or out[k] == v else 0
    return out


def _signs(node: ex.Node) -> dict[str, int]:
    """For each parameter in a numeric expression: +1 when raising it raises the expression, -1
    when it lowers it, 0 when it cannot be told."""
    if isinstance(node, ex.Ref):
        return {node.name: 1} if node.ns == "param" else {}
    if isinstance(node, ex.Unary) and node.op == "-":
        return {k: -v for k, v in _signs(node.arg).items()}
    if isinstance(node, ex.Binary):
        right = _signs(node.right)
        if node.op in ("-", "/"):
            right = {k: -v for k, v in right.items()}
        return _merge(_signs(node.left), right)
    if isinstance(node, ex.Call) and node.fn in MONOTONE:
        out: dict[str, int] = {}
        for arg in node.args:
            out = _merge(out, _signs(arg))
        return out
    if isinstance(node, ex.IfElse):
        return _merge(_merge(_signs(node.then), _signs(node.other)), _unreadable(node.cond))
    return _unreadable(node)


def _unreadable(node: ex.Node) -> dict[str, int]:
    return {name: 0 for ns, name in ex.refs(node) if ns == "param"}


def _walk(node: ex.Node, polarity: int, note) -> None:
    """`polarity` +1: the node holding means compliance; -1: under a `not`; 0: unreadable."""
    if isinstance(node, ex.Compare):
        if node.op not in ORDER:
            for key in _unreadable(node):
                note(key, 0)
            return
        # `left >= right`: raising the right side makes it harder to hold
        up = 1 if node.op in (">", ">=") else -1
        for side, sign in ((node.right, up), (node.left, -up)):
            for key, s in _signs(side).items():
                note(key, s * sign * polarity)
        return
    if isinstance(node, ex.Unary) and node.op == "not":
        _walk(node.arg, -polarity, note)
    elif isinstance(node, ex.IfElse):
        _walk(node.cond, 0, note)
        _walk(node.then, polarity, note)
        _walk(node.other, polarity, note)
    else:
        for child in ex.children(node):
            _walk(child, polarity, note)


def _derived(standard: Standard) -> tuple[dict[str, set[int]], dict[str, list[str]]]:
    seen: dict[str, set[int]] = {}
    uses: dict[str, list[str]] = {}
    for _area, _item, req in standard.requirements():
        for field, text in req.check.comparisons().items():
            def note(key: str, d: int, where=f"{req.id}.{field}") -> None:
                seen.setdefault(key, set()).add(d)
                if d:
                    uses.setdefault(key, []).append(where)
            _walk(ex.parse(text), 1, note)
        if req.applies:
            for key in _unreadable(ex.parse(req.applies)):
                seen.setdefault(key, set()).add(0)
    return seen, uses


def _reading(signs: set[int] | None) -> str | None:
    if not signs:
        return None
    if signs == {1}:
        return "higher"
    if signs == {-1}:
        return "lower"
    return "ambiguous"


def directions(standard: Standard) -> dict[str, Direction]:
    """Every parameter's tailoring direction. Only numbers are tailorable."""
    seen, uses = _derived(standard)
    out = {}
    for p in standard.parameters:
        derived = _reading(seen.get(p.key))
        tighter = derived if derived in ("higher", "lower") else (
            p.tighter if derived is None else None)
        if not _numeric(p):
            tighter = None
        out[p.key] = Direction(p.key, tighter, derived, p.tighter,
                               tuple(dict.fromkeys(uses.get(p.key, []))))
    return out


def _numeric(p: Parameter) -> bool:
    return isinstance(p.value, int | float) and not isinstance(p.value, bool) or p.value is None


def problems(standard: Standard) -> list[tuple[str, str]]:
    """A declared direction the checks contradict (or cannot confirm because they disagree)."""
    return [(f"parameters.{d.key}", f"declares tighter: {d.declared}, but its checks read "
                                   f"{d.derived} ({', '.join(d.uses) or 'no comparison'})")
            for d in directions(standard).values()
            if d.declared is not None and d.derived is not None and d.derived != d.declared]
